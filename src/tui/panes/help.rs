//! The help overlay, generated from the binding table.

use crate::tui::keymap::help_sections;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Lines of the help text: every binding, then where files live.
/// `files` are (label, path) pairs shown at the end.
pub fn help_lines(theme: &Theme, files: &[(&str, &str)]) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (ctx, rows) in help_sections() {
        lines.push(Line::from(Span::styled(ctx.title(), theme.accent())));
        for (k, d) in rows {
            lines.push(Line::from(vec![
                Span::raw(format!("  {k:<22}")),
                Span::styled(d, theme.dim()),
            ]));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled("Mouse", theme.accent())));
    lines.push(Line::from(vec![
        Span::raw(format!("  {:<22}", "click")),
        Span::styled("focus a pane", theme.dim()),
    ]));
    lines.push(Line::from(vec![
        Span::raw(format!("  {:<22}", "wheel")),
        Span::styled("scroll", theme.dim()),
    ]));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Files", theme.accent())));
    for (label, path) in files {
        lines.push(Line::from(format!("  {label:<8} {path}")));
    }
    lines
}

/// Draws the overlay.
pub fn render(f: &mut Frame, area: Rect, theme: &Theme, scroll: usize, files: &[(&str, &str)]) {
    let r = crate::tui::widgets::centered(area, 72, area.height.saturating_sub(2).max(3));
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Span::styled(" Help ", theme.accent()))
        .title_bottom(Span::styled(" ↑/↓ scroll · Esc closes ", theme.dim()));
    let lines: Vec<Line> = help_lines(theme, files).into_iter().skip(scroll).collect();
    f.render_widget(Paragraph::new(lines).block(block), r);
}
