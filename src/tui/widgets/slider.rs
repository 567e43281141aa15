//! A one-line slider showing a value against the model's valid range.

use crate::tui::theme::Theme;
use ratatui::text::Span;

/// Spans of a slider `width` cells wide. Unset values draw a dotted track; values outside
/// `range` pin the knob to the nearer end and turn red (they are allowed, not clamped).
pub fn slider(
    value: Option<f64>,
    range: Option<(f64, f64)>,
    width: usize,
    theme: &Theme,
) -> Vec<Span<'static>> {
    if width < 3 {
        return Vec::new();
    }
    let Some(v) = value else {
        return vec![Span::styled("┄".repeat(width), theme.dim())];
    };
    let Some((lo, hi)) = range.filter(|(lo, hi)| hi >= lo) else {
        return vec![Span::styled("─".repeat(width), theme.dim())];
    };
    let inner = width - 2;
    if v < lo || v > hi {
        let (l, r) = if v < lo {
            ("◀", "┤")
        } else {
            ("├", "▶")
        };
        return vec![
            Span::styled(l, theme.bad()),
            Span::styled("─".repeat(inner), theme.bad()),
            Span::styled(r, theme.bad()),
        ];
    }
    if hi == lo {
        // A single valid value (e.g. thinkingBudget 0 on a model without thinking).
        return vec![
            Span::styled("├", theme.dim()),
            Span::styled("●", theme.accent()),
            Span::styled("─".repeat(inner - 1), theme.dim()),
            Span::styled("┤", theme.dim()),
        ];
    }
    let pos = (((v - lo) / (hi - lo)) * (inner.saturating_sub(1)) as f64).round() as usize;
    vec![
        Span::styled("├", theme.dim()),
        Span::styled("━".repeat(pos), theme.accent()),
        Span::styled("●", theme.accent()),
        Span::styled("─".repeat(inner - pos - 1), theme.dim()),
        Span::styled("┤", theme.dim()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn draws_knob_in_range_and_pins_out_of_range() {
        let t = Theme::colored();
        assert_eq!(text(&slider(Some(0.0), Some((0.0, 2.0)), 7, &t)), "├●────┤");
        assert_eq!(text(&slider(Some(2.0), Some((0.0, 2.0)), 7, &t)), "├━━━━●┤");
        assert_eq!(text(&slider(Some(3.0), Some((0.0, 2.0)), 7, &t)), "├─────▶");
        assert_eq!(text(&slider(None, Some((0.0, 2.0)), 4, &t)), "┄┄┄┄");
        let red = slider(Some(-1.0), Some((0.0, 2.0)), 7, &t);
        assert!(red.iter().all(|s| s.style == t.bad()));
        let only_zero = slider(Some(128.0), Some((0.0, 0.0)), 7, &t);
        assert!(only_zero.iter().all(|s| s.style == t.bad()));
        assert_eq!(text(&slider(Some(0.0), Some((0.0, 0.0)), 7, &t)), "├●────┤");
    }
}
