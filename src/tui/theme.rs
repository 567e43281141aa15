//! Colours, with `NO_COLOR` respected (modifiers only).

use crate::gemini::exchange::OutcomeClass;
use ratatui::style::{Color, Modifier, Style};

/// Styles used by every pane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    /// True when colours are allowed.
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    /// A theme with colour.
    pub fn colored() -> Self {
        Theme { color: true }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Style for an outcome class.
    pub fn class(&self, class: OutcomeClass) -> Style {
        match class {
            OutcomeClass::InFlight => self.fg(Color::Cyan),
            OutcomeClass::Ok => self.fg(Color::Green),
            OutcomeClass::Degraded => self.fg(Color::Yellow),
            OutcomeClass::ApiError => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            OutcomeClass::Transport => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            OutcomeClass::Cancelled => self.dim(),
        }
    }

    /// Secondary text.
    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// Titles and keys.
    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Errors and out-of-range values.
    pub fn bad(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Warnings.
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }

    /// Good values.
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Border of a pane.
    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    /// The selected row.
    pub fn selected(&self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Rgb(40, 48, 64))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// A badge (status bar).
    pub fn badge(&self, bg: Color) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(bg)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
}
