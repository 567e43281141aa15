//! The error inspector: findings for the selected exchange and for the draft, with
//! numbered actions and a live retry countdown.

use crate::tui::diagnosis::{InspectorAction, InspectorFinding, Severity};
use crate::tui::theme::Theme;
use crate::tui::wrap::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// State of the inspector.
#[derive(Debug, Default)]
pub struct InspectorState {
    /// Findings for the draft, before sending.
    pub preflight: Vec<InspectorFinding>,
    /// Findings for the selected exchange.
    pub findings: Vec<InspectorFinding>,
    /// First line shown.
    pub scroll: usize,
}

/// A retry armed to fire when the server's delay has passed.
#[derive(Debug, Clone)]
pub struct CountdownView {
    /// Milliseconds left.
    pub remaining_ms: u64,
}

impl InspectorState {
    /// Every action, numbered from 1 in display order (preflight first).
    pub fn actions(&self) -> Vec<InspectorAction> {
        self.shown_preflight()
            .into_iter()
            .chain(&self.findings)
            .flat_map(|f| f.actions.iter().cloned())
            .collect()
    }

    /// Draft findings worth showing: notes (like "the prompt is empty") give way to the
    /// selected request's findings.
    fn shown_preflight(&self) -> Vec<&InspectorFinding> {
        self.preflight
            .iter()
            .filter(|f| self.findings.is_empty() || f.severity != Severity::Info)
            .collect()
    }

    /// Draws the findings.
    pub fn render(
        &self,
        f: &mut Frame,
        area: Rect,
        focused: bool,
        theme: &Theme,
        countdown: Option<CountdownView>,
    ) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(focused))
            .title(Span::styled(" Inspector ", theme.accent()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = inner.width.saturating_sub(2).max(10) as usize;
        let mut lines: Vec<Line> = Vec::new();
        if let Some(c) = countdown {
            lines.push(Line::from(Span::styled(
                format!(
                    "⟳ retrying in {:.1} s — Esc cancels",
                    c.remaining_ms as f64 / 1000.0
                ),
                theme.warn(),
            )));
        }
        let short = inner.height < 8;
        let mut n = 0;
        // Draft warnings are short and come first, so they stay visible in a small pane;
        // the selected request's findings follow in full.
        let mut section =
            |title: &str, items: &[InspectorFinding], compact: bool, lines: &mut Vec<Line>| {
                if items.is_empty() {
                    return;
                }
                lines.push(Line::from(Span::styled(title.to_string(), theme.dim())));
                for fd in items {
                    let (icon, st) = match fd.severity {
                        Severity::Error => ("✖", theme.bad()),
                        Severity::Warning => ("▲", theme.warn()),
                        Severity::Info => ("●", theme.dim()),
                    };
                    lines.push(Line::from(vec![
                        Span::styled(format!("{icon} "), st),
                        Span::styled(fd.title.clone(), st),
                    ]));
                    // What this call shows comes first: it is what tells this failure apart.
                    // Two lines lead, the rest follow the fix. In a short pane (80×24) the
                    // numbered fixes go first so they stay in view.
                    let evidence = |items: &[String], lines: &mut Vec<Line>| {
                        for e in items {
                            for (i, l) in wrap(e, w.saturating_sub(4)).into_iter().enumerate() {
                                let lead = if i == 0 { "  › " } else { "    " };
                                lines.push(Line::from(Span::raw(format!("{lead}{l}"))));
                            }
                        }
                    };
                    let split = fd.evidence.len().min(2);
                    if !short {
                        evidence(&fd.evidence[..split], lines);
                    }
                    for a in &fd.actions {
                        n += 1;
                        lines.push(Line::from(vec![
                            Span::styled(format!("  [{n}] "), theme.accent()),
                            Span::raw(a.label()),
                        ]));
                    }
                    if short {
                        evidence(&fd.evidence[..split], lines);
                    }
                    if compact {
                        continue;
                    }
                    let para = |label: &str, text: &str, lines: &mut Vec<Line>| {
                        if text.is_empty() {
                            return;
                        }
                        for l in wrap(&format!("{label}{text}"), w) {
                            lines.push(Line::from(Span::styled(format!("  {l}"), theme.dim())));
                        }
                    };
                    para("Fix: ", &fd.fix, lines);
                    evidence(&fd.evidence[split..], lines);
                    para("Cause: ", &fd.cause, lines);
                    para("Example: ", &fd.example, lines);
                }
            };
        let pre: Vec<InspectorFinding> = self.shown_preflight().into_iter().cloned().collect();
        section("Before sending", &pre, true, &mut lines);
        section("Selected request", &self.findings, false, &mut lines);
        if lines.is_empty() {
            lines.push(Line::from(Span::styled("No problems found.", theme.good())));
        }
        let start = self.scroll.min(lines.len().saturating_sub(1));
        let shown: Vec<Line> = lines.into_iter().skip(start).collect();
        f.render_widget(Paragraph::new(shown), inner);
    }
}
