//! Draws the whole screen from the state. Reads only; all wrapping happened in update.

use crate::tui::app::{App, Focus, Overlay};
use crate::tui::panes::inspector::CountdownView;
use crate::tui::panes::params::Catalogue;
use crate::tui::panes::{help, status};
use crate::tui::theme::Theme;
use ratatui::Frame;

/// Draws one frame.
pub fn draw(f: &mut Frame, app: &mut App, theme: &Theme) {
    let a = app.areas();
    let focus = app.focus;
    let now = app.session.now_ms;
    app.prompt.render(
        f,
        a.prompt,
        focus == Focus::Prompt && app.overlay.is_none(),
        theme,
    );
    app.params
        .render(f, a.params, focus == Focus::Params, theme);
    app.log.render(f, a.log, focus == Focus::Log, theme, now);
    app.response.render(
        f,
        a.response,
        focus == Focus::Response,
        theme,
        app.selected_exchange(),
    );
    let countdown = app
        .countdown_left()
        .map(|remaining_ms| CountdownView { remaining_ms });
    app.inspector
        .render(f, a.inspector, focus == Focus::Inspector, theme, countdown);
    let fixes = app.inspector.actions().len();
    status::render_hints(f, a.hints, theme, app.context(), fixes);
    app.status.render(
        f,
        a.status,
        theme,
        app.log.in_flight(),
        app.countdown_left(),
    );
    let area = f.area();
    match &app.overlay {
        Some(Overlay::Help(scroll)) => help::render(
            f,
            area,
            theme,
            *scroll,
            &[
                ("config", &app.status.config_path),
                ("history", &app.status.history_path),
                ("exports", &app.status.export_dir),
            ],
        ),
        Some(Overlay::Picker(p)) => {
            let note = match &app.params.catalogue {
                Catalogue::Loading => "listing models…".to_string(),
                Catalogue::Failed(e) => format!("{e}. Type a model id and press Enter."),
                Catalogue::Loaded => "no model matches; Enter uses the typed id".to_string(),
            };
            p.render(f, area, theme, &app.params.models, &note);
        }
        Some(Overlay::Faults(s)) => s.render(f, area, theme, app.session.sandbox),
        None => {}
    }
}
