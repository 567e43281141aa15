//! The sandbox fault menu: arm a failure for the next requests.

use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// A failure the sandbox can inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultChoice {
    /// Next request: 503 UNAVAILABLE.
    Next503,
    /// Next request: 500 INTERNAL.
    Next500,
    /// Next request: 504 DEADLINE_EXCEEDED.
    Next504,
    /// Next request: 429 RESOURCE_EXHAUSTED with RetryInfo.
    Next429,
    /// Rate limit of 2 requests per minute.
    RateLimit2PerMin,
    /// Drop the stream after 5 chunks.
    DropStreamAfter5,
    /// Stall the stream (no more bytes).
    StallStream,
    /// A malformed chunk in the stream.
    MalformedChunk,
    /// An HTML 502 page from a "proxy".
    Html502,
    /// Block the next prompt (SAFETY).
    BlockPrompt,
    /// Thinking consumes the whole output budget (MAX_TOKENS, no text).
    ThinkingEatsBudget,
    /// STOP with no text.
    EmptyStop,
    /// finishReason RECITATION.
    Recitation,
    /// Clear every armed fault.
    ClearAll,
}

/// Every fault, in menu order, with its label.
pub const FAULTS: [(FaultChoice, &str); 14] = [
    (FaultChoice::Next503, "next request: 503 UNAVAILABLE"),
    (FaultChoice::Next500, "next request: 500 INTERNAL"),
    (FaultChoice::Next504, "next request: 504 DEADLINE_EXCEEDED"),
    (FaultChoice::Next429, "next request: 429 with retryDelay"),
    (FaultChoice::RateLimit2PerMin, "rate limit 2 requests/min"),
    (FaultChoice::DropStreamAfter5, "drop stream after 5 chunks"),
    (FaultChoice::StallStream, "stall stream"),
    (FaultChoice::MalformedChunk, "malformed chunk"),
    (FaultChoice::Html502, "HTML 502 page (proxy)"),
    (FaultChoice::BlockPrompt, "block next prompt (SAFETY)"),
    (FaultChoice::ThinkingEatsBudget, "thinking eats the budget"),
    (FaultChoice::EmptyStop, "empty STOP"),
    (FaultChoice::Recitation, "RECITATION"),
    (FaultChoice::ClearAll, "clear all faults"),
];

/// State of the fault menu.
#[derive(Debug, Default, Clone)]
pub struct FaultsState {
    /// Selected entry.
    pub selected: usize,
}

impl FaultsState {
    /// Moves the selection.
    pub fn move_by(&mut self, d: i64) {
        self.selected = (self.selected as i64 + d).clamp(0, FAULTS.len() as i64 - 1) as usize;
    }

    /// The selected fault.
    pub fn choice(&self) -> FaultChoice {
        FAULTS[self.selected].0
    }

    /// Draws the menu centred in `area`.
    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme, sandbox: bool) {
        let r = crate::tui::widgets::centered(area, 48, FAULTS.len() as u16 + 4);
        f.render_widget(Clear, r);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(true))
            .title(Span::styled(" Sandbox faults ", theme.accent()));
        let mut lines: Vec<Line> = FAULTS
            .iter()
            .enumerate()
            .map(|(i, (_, label))| {
                let l = Line::from(format!(" {label}"));
                if i == self.selected {
                    l.style(theme.selected())
                } else {
                    l
                }
            })
            .collect();
        lines.push(Line::from(""));
        let note = if sandbox {
            " Enter arms · Esc closes"
        } else {
            " Not on the sandbox: faults have no effect"
        };
        lines.push(Line::from(Span::styled(
            note,
            if sandbox { theme.dim() } else { theme.warn() },
        )));
        f.render_widget(Paragraph::new(lines).block(block), r);
    }
}
