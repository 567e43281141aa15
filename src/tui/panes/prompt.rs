//! The prompt editor: one text area for the prompt, one for the system instruction.

use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui_textarea::TextArea;

/// State of the prompt pane.
#[derive(Debug)]
pub struct PromptState {
    /// The user prompt.
    pub prompt: TextArea<'static>,
    /// The system instruction.
    pub system: TextArea<'static>,
    /// True while the system instruction tab is shown.
    pub on_system: bool,
}

impl Default for PromptState {
    fn default() -> Self {
        Self::new()
    }
}

impl PromptState {
    /// Empty editors with placeholders.
    pub fn new() -> Self {
        let mut prompt = TextArea::default();
        prompt.set_placeholder_text("Type a prompt, then F5 or Ctrl-S to send");
        let mut system = TextArea::default();
        system.set_placeholder_text("Optional system instruction (sent as systemInstruction)");
        for t in [&mut prompt, &mut system] {
            t.set_cursor_line_style(Style::new());
        }
        PromptState {
            prompt,
            system,
            on_system: false,
        }
    }

    /// The editor on screen.
    pub fn active(&mut self) -> &mut TextArea<'static> {
        if self.on_system {
            &mut self.system
        } else {
            &mut self.prompt
        }
    }

    /// Prompt text.
    pub fn prompt_text(&self) -> String {
        self.prompt.lines().join("\n")
    }

    /// System instruction text.
    pub fn system_text(&self) -> String {
        self.system.lines().join("\n")
    }

    /// Replaces the prompt (used by "reduce prompt").
    pub fn set_prompt(&mut self, text: &str) {
        let mut t = TextArea::new(text.lines().map(str::to_string).collect());
        t.set_cursor_line_style(Style::new());
        t.set_placeholder_text("Type a prompt, then F5 or Ctrl-S to send");
        self.prompt = t;
    }

    /// Draws the pane with a tab title.
    pub fn render(&mut self, f: &mut Frame, area: Rect, focused: bool, theme: &Theme) {
        let tab = |name: &'static str, on: bool| {
            if on {
                Span::styled(
                    format!("[{name}]"),
                    theme.accent().add_modifier(Modifier::REVERSED),
                )
            } else {
                Span::styled(format!(" {name} "), theme.dim())
            }
        };
        let chars = self
            .prompt
            .lines()
            .iter()
            .map(|l| l.chars().count())
            .sum::<usize>();
        let title = Line::from(vec![
            tab("Prompt", !self.on_system),
            Span::raw(" "),
            tab("System", self.on_system),
            Span::styled(format!("  {chars} chars "), theme.dim()),
        ]);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(focused))
            .title(title);
        let cursor = if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        let placeholder = theme.dim();
        let ta = self.active();
        ta.set_block(block);
        ta.set_cursor_style(cursor);
        ta.set_placeholder_style(placeholder);
        f.render_widget(&*ta, area);
    }
}
