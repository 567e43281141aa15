//! The model picker: the live model list with a fuzzy filter and each model's limits.

use crate::gemini::wire::Model;
use crate::tui::panes::params::{clip, short_count};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// State of the picker.
#[derive(Debug, Default, Clone)]
pub struct PickerState {
    /// Typed filter.
    pub filter: String,
    /// Selected position among the matches.
    pub selected: usize,
}

/// True when every char of `needle` appears in `hay` in order (case-insensitive).
pub fn fuzzy(needle: &str, hay: &str) -> bool {
    let mut it = hay.chars().flat_map(char::to_lowercase);
    needle
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .all(|c| it.any(|h| h == c))
}

impl PickerState {
    /// Models matching the filter that can generate content.
    pub fn matches<'a>(&self, models: &'a [Model]) -> Vec<&'a Model> {
        models
            .iter()
            .filter(|m| m.supported_generation_methods.is_empty() || m.supports("generateContent"))
            .filter(|m| fuzzy(&self.filter, m.id()))
            .collect()
    }

    /// Moves the selection.
    pub fn move_by(&mut self, d: i64, n: usize) {
        self.selected = (self.selected as i64 + d).clamp(0, n.saturating_sub(1) as i64) as usize;
    }

    /// Draws the picker centred in `area`.
    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme, models: &[Model], status: &str) {
        let r = crate::tui::widgets::centered(area, 76, 20);
        f.render_widget(Clear, r);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(true))
            .title(Line::from(vec![
                Span::styled(" Model ", theme.accent()),
                Span::styled(format!("· filter: {}▏ ", self.filter), theme.dim()),
            ]));
        let inner = block.inner(r);
        f.render_widget(block, r);
        let found = self.matches(models);
        let mut lines = Vec::new();
        if found.is_empty() {
            lines.push(Line::from(Span::styled(format!(" {status}"), theme.dim())));
        }
        let hgt = inner.height as usize;
        let offset = self.selected.saturating_sub(hgt.saturating_sub(1));
        let name_w = (inner.width as usize).saturating_sub(34).max(10);
        for (i, m) in found.iter().enumerate().skip(offset).take(hgt) {
            let lim = |v: Option<u64>| v.map(short_count).unwrap_or_else(|| "?".into());
            let temp = m
                .max_temperature
                .map(|t| format!("t≤{t}"))
                .unwrap_or_default();
            let think = if m.thinking == Some(true) {
                "think"
            } else {
                ""
            };
            let line = Line::from(vec![
                Span::raw(format!(" {:<nw$}", clip(m.id(), name_w), nw = name_w)),
                Span::styled(
                    format!(
                        " in {:>5} out {:>5} {:<5} {}",
                        lim(m.input_token_limit),
                        lim(m.output_token_limit),
                        temp,
                        think
                    ),
                    theme.dim(),
                ),
            ]);
            lines.push(if i == self.selected {
                line.style(theme.selected())
            } else {
                line
            });
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::fuzzy;

    #[test]
    fn fuzzy_matches_subsequences() {
        assert!(fuzzy("25fl", "gemini-2.5-flash"));
        assert!(fuzzy("", "x"));
        assert!(fuzzy("PRO", "gemini-2.5-pro"));
        assert!(!fuzzy("lf", "flash-x"));
    }
}
