//! The status bar (backend, key, in-flight, messages) and the footer hints.

use crate::tui::keymap::{KeyContext, hints};
use crate::tui::panes::params::clip;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What the status bar shows.
#[derive(Debug, Clone, Default)]
pub struct StatusState {
    /// `SANDBOX`, `LIVE`, `CUSTOM` or `OFFLINE`.
    pub badge: String,
    /// Base URL.
    pub base_url: String,
    /// Masked key and its source.
    pub key: String,
    /// The latest message, and whether it is an error.
    pub message: Option<(String, bool)>,
    /// Corrupt history lines skipped at load.
    pub skipped: usize,
    /// History file, for the help screen.
    pub history_path: String,
    /// Export directory, for the help screen.
    pub export_dir: String,
    /// Config file, for the help screen.
    pub config_path: String,
}

impl StatusState {
    /// Draws the status line.
    pub fn render(
        &self,
        f: &mut Frame,
        area: Rect,
        theme: &Theme,
        in_flight: usize,
        countdown_ms: Option<u64>,
    ) {
        let bg = match self.badge.as_str() {
            "SANDBOX" => Color::Blue,
            "LIVE" => Color::Green,
            "CUSTOM" => Color::Magenta,
            _ => Color::Red,
        };
        let mut spans = vec![
            Span::styled(format!(" {} ", self.badge), theme.badge(bg)),
            Span::raw(" "),
        ];
        let w = area.width as usize;
        let mut right = Vec::new();
        if in_flight > 0 {
            right.push(Span::styled(
                format!(" {in_flight} in flight "),
                theme.accent(),
            ));
        }
        if let Some(ms) = countdown_ms {
            right.push(Span::styled(
                format!(" retry in {:.0}s ", (ms as f64 / 1000.0).ceil()),
                theme.warn(),
            ));
        }
        if self.skipped > 0 {
            right.push(Span::styled(
                format!(" {} history lines skipped ", self.skipped),
                theme.warn(),
            ));
        }
        // With a message showing, the connection moves to the right when there is room.
        let conn = format!(" {} · {} ", self.base_url, self.key);
        let used: usize = right.iter().map(|s| s.content.chars().count()).sum();
        let msg_len = self.message.as_ref().map_or(0, |(m, _)| m.chars().count());
        if self.message.is_some()
            && used + conn.chars().count() + msg_len + self.badge.len() + 6 <= w
        {
            right.insert(0, Span::styled(conn, theme.dim()));
        }
        let right_w: usize = right.iter().map(|s| s.content.chars().count()).sum();
        let left_room = w.saturating_sub(right_w + self.badge.len() + 3);
        let mut left = String::new();
        match &self.message {
            Some((m, err)) => {
                let st = if *err { theme.bad() } else { theme.good() };
                spans.push(Span::styled(clip(m, left_room), st));
                left.push_str(&clip(m, left_room));
            }
            None => {
                let s = clip(&format!("{} · {}", self.base_url, self.key), left_room);
                left.push_str(&s);
                spans.push(Span::styled(s, theme.dim()));
            }
        }
        let pad = left_room.saturating_sub(left.chars().count());
        spans.push(Span::raw(" ".repeat(pad)));
        spans.extend(right);
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}

/// Draws the footer: the hinted keys of the context, led by the fix keys when the
/// inspector offers `fixes` actions.
pub fn render_hints(f: &mut Frame, area: Rect, theme: &Theme, ctx: KeyContext, fixes: usize) {
    let mut spans = Vec::new();
    let mut used = 0;
    let mut all = Vec::new();
    if fixes > 0 {
        let n = fixes.min(5);
        let keys = match (ctx, n) {
            (KeyContext::Prompt, 1) => "Alt-1".to_string(),
            (KeyContext::Prompt, n) => format!("Alt-1…{n}"),
            (KeyContext::Picker | KeyContext::Faults | KeyContext::Help, _) => String::new(),
            (_, 1) => "1".to_string(),
            (_, n) => format!("1…{n}"),
        };
        if !keys.is_empty() {
            all.push((keys, "apply fix"));
        }
    }
    all.extend(hints(ctx));
    for (k, d) in all {
        let len = k.chars().count() + d.chars().count() + 3;
        if used + len > area.width as usize {
            break;
        }
        used += len;
        spans.push(Span::styled(format!(" {k}"), theme.accent()));
        spans.push(Span::styled(format!(" {d} "), theme.dim()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
