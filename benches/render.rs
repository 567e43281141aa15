//! Renders one console frame with 100k history rows in the log (virtualised drawing).

use criterion::{Criterion, criterion_group, criterion_main};
use gemini_doctor::gemini::exchange::OutcomeClass;
use gemini_doctor::gemini::wire::ApiVersion;
use gemini_doctor::store::history::{Entry, Location, Summary};
use gemini_doctor::tui::app::{App, Focus};
use gemini_doctor::tui::msg::Msg;
use gemini_doctor::tui::panes::params::ParamsState;
use gemini_doctor::tui::panes::status::StatusState;
use gemini_doctor::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use std::time::Duration;

fn entries(n: usize) -> Vec<Entry> {
    (0..n)
        .map(|i| Entry {
            summary: Summary {
                id: format!("{i:013}"),
                started_at: format!(
                    "2026-12-04T{:02}:{:02}:{:02}.000Z",
                    i / 3600 % 24,
                    i / 60 % 60,
                    i % 60
                ),
                backend: "sandbox".into(),
                operation: "streamGenerateContent".into(),
                api_version: "v1beta".into(),
                model: "gemini-2.5-flash".into(),
                status: Some(if i % 7 == 3 { 429 } else { 200 }),
                outcome: if i % 7 == 3 {
                    "429 RESOURCE_EXHAUSTED".into()
                } else {
                    "OK".into()
                },
                class: if i % 7 == 3 {
                    OutcomeClass::ApiError
                } else {
                    OutcomeClass::Ok
                },
                ttfb_ms: Some(412.0),
                total_ms: Some(2310.0),
                tokens_in: Some(7),
                tokens_out: Some(48),
                finish_reason: Some("STOP".into()),
            },
            location: Location {
                file: 1,
                offset: i as u64 * 100,
                len: 100,
            },
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    for (rows, w, h) in [
        (10usize, 80u16, 24u16),
        (100_000, 80, 24),
        (10, 200, 60),
        (100_000, 200, 60),
    ] {
        let params = ParamsState::new(
            "gemini-2.5-flash".into(),
            ApiVersion::V1Beta,
            Duration::from_secs(60),
        );
        let mut app = App::new(params, StatusState::default(), Rect::new(0, 0, w, h));
        app.update(Msg::HistoryLoaded {
            result: Ok(entries(rows)),
            skipped: 0,
        });
        app.focus = Focus::Log;
        let theme = Theme::colored();
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        c.bench_function(&format!("frame_{rows}_rows_{w}x{h}"), |b| {
            b.iter(|| {
                term.draw(|f| gemini_doctor::tui::view::draw(f, &mut app, &theme))
                    .unwrap();
            })
        });
        // Scrolling: one key press (selection moves, body read requested) plus one frame.
        let up = crossterm::event::Event::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Up,
        ));
        c.bench_function(&format!("scroll_step_{rows}_rows_{w}x{h}"), |b| {
            b.iter(|| {
                let fx = app.on_event(up.clone());
                std::hint::black_box(fx);
                term.draw(|f| gemini_doctor::tui::view::draw(f, &mut app, &theme))
                    .unwrap();
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
