//! Terminal events → state: key routing (force-quit, overlay, input lines, focused pane,
//! global), paste, mouse and resize.

use super::{App, Focus, Overlay};
use crate::tui::effects::Effect;
use crate::tui::keymap::{KeyContext, lookup};
use crate::tui::msg::Action;
use crate::tui::panes::model_picker::PickerState;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::{Position, Rect};

impl App {
    /// Applies a terminal event.
    pub fn on_event(&mut self, ev: Event) -> Vec<Effect> {
        self.session.dirty = true;
        let mut fx = match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.on_key(k),
            Event::Paste(s) => {
                self.on_paste(&s);
                Vec::new()
            }
            Event::Mouse(m) => {
                let pos = Position::new(m.column, m.row);
                let a = self.areas();
                let hit = [
                    (a.prompt, Focus::Prompt),
                    (a.params, Focus::Params),
                    (a.log, Focus::Log),
                    (a.response, Focus::Response),
                    (a.inspector, Focus::Inspector),
                ]
                .into_iter()
                .find(|(r, _)| r.contains(pos))
                .map(|(_, f)| f);
                match (m.kind, hit) {
                    (_, _) if self.overlay.is_some() => Vec::new(),
                    (MouseEventKind::Down(MouseButton::Left), Some(f)) => {
                        self.focus = f;
                        Vec::new()
                    }
                    (MouseEventKind::ScrollUp, Some(f)) => self.scroll_pane(f, -3),
                    (MouseEventKind::ScrollDown, Some(f)) => self.scroll_pane(f, 3),
                    _ => {
                        self.session.dirty = false;
                        Vec::new()
                    }
                }
            }
            Event::Resize(w, h) => {
                self.session.size = Rect::new(0, 0, w, h);
                self.relayout();
                Vec::new()
            }
            _ => {
                self.session.dirty = false;
                Vec::new()
            }
        };
        fx.extend(self.sync_selection());
        fx
    }

    pub(super) fn scroll_pane(&mut self, f: Focus, d: i64) -> Vec<Effect> {
        match f {
            Focus::Log => self.log.move_by(d),
            Focus::Response => self.response.scroll_by(d),
            Focus::Inspector => {
                self.inspector.scroll = (self.inspector.scroll as i64 + d).max(0) as usize
            }
            Focus::Params => self.params.move_by(d.signum()),
            Focus::Prompt => {}
        }
        Vec::new()
    }

    pub(super) fn on_paste(&mut self, s: &str) {
        if let Some(e) = self.params.editing.as_mut() {
            e.push_str(s.lines().next().unwrap_or(""));
        } else if let Some(e) = self.log.searching.as_mut() {
            e.push_str(s.lines().next().unwrap_or(""));
        } else if let Some(Overlay::Picker(p)) = self.overlay.as_mut() {
            p.filter.push_str(s.trim());
        } else if self.focus == Focus::Prompt {
            self.prompt.active().insert_str(s.replace("\r\n", "\n"));
            self.refresh_preflight();
        }
    }

    /// Applies a key press.
    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // The force-quit chord works everywhere, whatever has focus.
        if lookup(KeyContext::Global, &key) == Some(Action::Quit) {
            self.session.quit = true;
            return Vec::new();
        }
        if self.overlay.is_some() {
            return self.overlay_key(key);
        }
        if self.params.editing.is_some() && self.focus == Focus::Params {
            self.edit_line_key(key);
            return Vec::new();
        }
        if self.log.searching.is_some() && self.focus == Focus::Log {
            self.search_key(key);
            return Vec::new();
        }
        let ctx = self.focus.context();
        let action = lookup(ctx, &key)
            .or_else(|| lookup(KeyContext::Global, &key))
            .or_else(|| {
                if self.focus != Focus::Prompt {
                    lookup(KeyContext::Panes, &key)
                } else {
                    None
                }
            });
        match action {
            Some(a) => self.apply(a),
            None if self.focus == Focus::Prompt => {
                self.prompt.active().input(key);
                self.refresh_preflight();
                Vec::new()
            }
            None => {
                self.session.dirty = false;
                Vec::new()
            }
        }
    }

    pub(super) fn edit_line_key(&mut self, key: KeyEvent) {
        let Some(line) = self.params.editing.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Enter => match self.params.commit_edit() {
                Ok(()) => {
                    self.status.message = None;
                    self.refresh_preflight();
                }
                Err(e) => self.error(e),
            },
            KeyCode::Esc => self.params.editing = None,
            KeyCode::Backspace => {
                line.pop();
            }
            KeyCode::Char(c) => line.push(c),
            _ => {}
        }
    }

    pub(super) fn search_key(&mut self, key: KeyEvent) {
        let Some(line) = self.log.searching.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Enter => {
                let text = line.clone();
                self.log.searching = None;
                self.log.set_search(text);
            }
            KeyCode::Esc => {
                self.log.searching = None;
                self.log.set_search(String::new());
            }
            KeyCode::Backspace => {
                line.pop();
            }
            KeyCode::Char(c) => line.push(c),
            _ => {}
        }
    }

    pub(super) fn overlay_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctx = self.context();
        let action = lookup(ctx, &key);
        let Some(overlay) = self.overlay.as_mut() else {
            return Vec::new();
        };
        match overlay {
            Overlay::Help(scroll) => match action {
                Some(Action::Close) => self.overlay = None,
                Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                Some(Action::Down) => *scroll += 1,
                _ => {}
            },
            Overlay::Faults(st) => match action {
                Some(Action::Close) => self.overlay = None,
                Some(Action::Up) => st.move_by(-1),
                Some(Action::Down) => st.move_by(1),
                Some(Action::Enter) => {
                    let c = st.choice();
                    self.overlay = None;
                    return vec![Effect::ArmFault(c)];
                }
                _ => {}
            },
            Overlay::Picker(p) => {
                let n = p.matches(&self.params.models).len();
                match (action, key.code) {
                    (Some(Action::Close), _) => self.overlay = None,
                    (Some(Action::Up), _) => p.move_by(-1, n),
                    (Some(Action::Down), _) => p.move_by(1, n),
                    (Some(Action::Enter), _) => {
                        let chosen = p
                            .matches(&self.params.models)
                            .get(p.selected)
                            .map(|m| m.id().to_string());
                        // With no match, the typed text is taken as a model id.
                        let typed = p.filter.trim().to_string();
                        self.overlay = None;
                        if let Some(m) = chosen.or((!typed.is_empty()).then_some(typed)) {
                            self.params.model = m;
                            self.refresh_preflight();
                        }
                    }
                    (_, KeyCode::Backspace) => {
                        p.filter.pop();
                        p.selected = 0;
                    }
                    (_, KeyCode::Char(c)) => {
                        p.filter.push(c);
                        p.selected = 0;
                    }
                    _ => {}
                }
            }
        }
        Vec::new()
    }

    pub(super) fn open_picker(&mut self) {
        let mut p = PickerState::default();
        p.selected = p
            .matches(&self.params.models)
            .iter()
            .position(|m| m.id() == self.params.model)
            .unwrap_or(0);
        self.overlay = Some(Overlay::Picker(p));
    }
}
