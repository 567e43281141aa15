//! Console state and `update`: keys and messages in, state changes and effects out. No I/O.

mod fixes;
mod input;

pub use fixes::spec_from_exchange;

use crate::gemini::client::{CallSpec, Progress};
use crate::gemini::exchange::{Exchange, OutcomeClass};
use crate::tui::diagnosis::{findings_for, preflight_for};
use crate::tui::effects::Effect;
use crate::tui::keymap::KeyContext;
use crate::tui::layout::{Areas, areas};
use crate::tui::msg::{Action, Msg};
use crate::tui::panes::faults::FaultsState;
use crate::tui::panes::inspector::InspectorState;
use crate::tui::panes::log::LogState;
use crate::tui::panes::model_picker::PickerState;
use crate::tui::panes::params::{Catalogue, Field, ParamsState};
use crate::tui::panes::prompt::PromptState;
use crate::tui::panes::response::ResponseState;
use crate::tui::panes::status::StatusState;
use ratatui::layout::Rect;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Prompt editor.
    Prompt,
    /// Parameters.
    Params,
    /// Request log.
    Log,
    /// Response view.
    Response,
    /// Inspector.
    Inspector,
}

const ORDER: [Focus; 5] = [
    Focus::Prompt,
    Focus::Params,
    Focus::Log,
    Focus::Response,
    Focus::Inspector,
];

impl Focus {
    /// The key context of the pane.
    pub fn context(self) -> KeyContext {
        match self {
            Focus::Prompt => KeyContext::Prompt,
            Focus::Params => KeyContext::Params,
            Focus::Log => KeyContext::Log,
            Focus::Response => KeyContext::Response,
            Focus::Inspector => KeyContext::Inspector,
        }
    }
}

/// A window drawn over the panes.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// Help, scrolled.
    Help(usize),
    /// Model picker.
    Picker(PickerState),
    /// Sandbox fault menu.
    Faults(FaultsState),
}

/// A retry that fires when the server's delay has passed.
#[derive(Debug, Clone)]
pub struct Countdown {
    /// When to send, on the app clock.
    pub deadline_ms: u64,
    /// What to send.
    pub spec: CallSpec,
}

/// Session-wide bits that are not a pane.
#[derive(Debug, Default)]
pub struct Session {
    /// The app clock in milliseconds (injected: real time in production, fixed in tests).
    pub now_ms: u64,
    /// Terminal size.
    pub size: Rect,
    /// Next request number.
    next_req: u64,
    /// Set when the user quits.
    pub quit: bool,
    /// Set when something visible changed since the last draw.
    pub dirty: bool,
    /// Fallback models from the config.
    pub fallbacks: Vec<String>,
    /// True on the sandbox backend (fault menu meaningful).
    pub sandbox: bool,
    /// An armed retry.
    pub countdown: Option<Countdown>,
    /// A history exchange read back for viewing.
    loaded: Option<Box<Exchange>>,
    /// The id whose record is being read (latest wins; older answers are dropped).
    wanted: Option<String>,
    /// The id the response view and inspector currently show.
    shown: Option<String>,
    /// The exchange whose scroll positions the panes hold.
    scrolled_for: Option<String>,
    /// Set by a fatal message.
    pub fatal: Option<String>,
}

/// The whole console state.
#[derive(Debug)]
pub struct App {
    /// Focused pane.
    pub focus: Focus,
    /// Overlay, if any.
    pub overlay: Option<Overlay>,
    /// Prompt editor.
    pub prompt: PromptState,
    /// Parameters.
    pub params: ParamsState,
    /// Request log.
    pub log: LogState,
    /// Response view.
    pub response: ResponseState,
    /// Inspector.
    pub inspector: InspectorState,
    /// Status bar.
    pub status: StatusState,
    /// Everything else.
    pub session: Session,
}

impl App {
    /// A fresh console.
    pub fn new(params: ParamsState, status: StatusState, size: Rect) -> Self {
        let mut app = App {
            focus: Focus::Prompt,
            overlay: None,
            prompt: PromptState::new(),
            params,
            log: LogState::new(),
            response: ResponseState::default(),
            inspector: InspectorState::default(),
            status,
            session: Session {
                size,
                dirty: true,
                next_req: 1,
                ..Session::default()
            },
        };
        app.relayout();
        app.refresh_preflight();
        app
    }

    /// Effects to run at start: model list and history, both in the background.
    pub fn startup(&self) -> Vec<Effect> {
        vec![Effect::ListModels(self.params.version), Effect::LoadHistory]
    }

    /// True while something animates (a request in flight, a countdown).
    pub fn wants_ticks(&self) -> bool {
        self.session.countdown.is_some() || self.log.in_flight() > 0
    }

    /// The pane rectangles for the current size.
    pub fn areas(&self) -> Areas {
        areas(self.session.size)
    }

    /// The key context that applies now (for the footer).
    pub fn context(&self) -> KeyContext {
        match &self.overlay {
            Some(Overlay::Help(_)) => KeyContext::Help,
            Some(Overlay::Picker(_)) => KeyContext::Picker,
            Some(Overlay::Faults(_)) => KeyContext::Faults,
            None => self.focus.context(),
        }
    }

    /// The exchange the response view shows.
    pub fn selected_exchange(&self) -> Option<&Exchange> {
        let row = self.log.selected_row()?;
        if let Some(ex) = &row.live {
            return Some(ex);
        }
        self.session
            .loaded
            .as_deref()
            .filter(|e| e.id == row.summary.id)
    }

    /// Milliseconds left on the countdown.
    pub fn countdown_left(&self) -> Option<u64> {
        self.session
            .countdown
            .as_ref()
            .map(|c| c.deadline_ms.saturating_sub(self.session.now_ms))
    }

    /// Advances the clock; fires the countdown when due.
    pub fn tick(&mut self, now_ms: u64) -> Vec<Effect> {
        self.session.now_ms = now_ms;
        if self.wants_ticks() {
            self.session.dirty = true;
        }
        let due = self
            .session
            .countdown
            .as_ref()
            .is_some_and(|c| now_ms >= c.deadline_ms);
        if due && let Some(c) = self.session.countdown.take() {
            self.notice("retrying now");
            return self.send(c.spec);
        }
        Vec::new()
    }

    /// Applies a message from a background task.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        self.session.dirty = true;
        let mut fx = Vec::new();
        match msg {
            Msg::Progress { req, progress } => self.on_progress(req, progress),
            Msg::Finished { req, exchange } => {
                if self.log.live_mut(req).is_none() {
                    self.log.push_live(req, exchange.clone());
                }
                if exchange.outcome == crate::gemini::exchange::Outcome::Cancelled {
                    self.notice("cancelled");
                }
                fx.push(Effect::AppendHistory(exchange.clone()));
                self.log.finish(req, exchange);
                if self.is_selected_req(req) {
                    self.session.shown = None;
                }
            }
            // Latest wins: a list for a version the user has since switched away from is stale.
            Msg::Models { version, .. } if version != self.params.version => {}
            Msg::Models { result, .. } => match result {
                Ok(models) => {
                    self.params.models = models;
                    self.params.catalogue = Catalogue::Loaded;
                    self.refresh_preflight();
                }
                Err(e) => {
                    self.params.catalogue = Catalogue::Failed(e.clone());
                    self.error(e);
                }
            },
            Msg::HistoryLoaded { result, skipped } => {
                self.status.skipped = skipped;
                match result {
                    Ok(entries) => self.log.load_history(entries),
                    Err(e) => self.error(e),
                }
            }
            Msg::ExchangeLoaded { id, result } => {
                if self.session.wanted.as_deref() == Some(id.as_str()) {
                    self.session.wanted = None;
                    match result {
                        Ok(ex) => self.session.loaded = Some(ex),
                        Err(e) => {
                            self.response.note = Some(format!("could not read this entry: {e}"))
                        }
                    }
                    self.session.shown = None;
                }
            }
            Msg::Counted { model, result } => match result {
                Ok(n) => {
                    let limit = self
                        .params
                        .models
                        .iter()
                        .find(|m| m.id() == model)
                        .and_then(|m| m.input_token_limit)
                        .map(|l| format!(" of {l}"))
                        .unwrap_or_default();
                    self.notice(&format!("prompt: {n} tokens{limit} ({model})"));
                }
                Err(e) => self.error(format!("count tokens failed: {e}")),
            },
            Msg::Notice(m) => self.notice(&m),
            Msg::Error(m) => self.error(m),
            Msg::Quit => self.session.quit = true,
            Msg::Fatal(m) => {
                self.session.fatal = Some(m);
                self.session.quit = true;
            }
            Msg::TestPanic => panic!("panic requested by GEMINI_DOCTOR_TEST_PANIC"),
        }
        fx.extend(self.sync_selection());
        fx
    }

    fn is_selected_req(&self, req: u64) -> bool {
        self.log.selected_index().and_then(|i| self.log.req_of(i)) == Some(req)
    }

    fn on_progress(&mut self, req: u64, p: Progress) {
        if let Progress::Started(ex) = p {
            self.log.push_live(req, ex);
            return;
        }
        let Some(ex) = self.log.live_mut(req) else {
            return;
        };
        match p {
            Progress::Started(_) => {}
            Progress::Headers(resp, ms) => {
                ex.response = Some(resp);
                ex.timings.headers_ms = Some(ms);
            }
            Progress::FirstByte(ms) => ex.timings.first_byte_ms = Some(ms),
            Progress::Event(ev, chunk) => {
                ex.events.push(ev);
                if let Some(c) = chunk {
                    ex.result
                        .get_or_insert_with(Default::default)
                        .merge_chunk(*c);
                }
            }
        }
        self.log.refresh(req);
        if self.is_selected_req(req)
            && let Some(ex) = self.log.selected_row().and_then(|r| r.live.as_deref())
        {
            self.response.rebuild_streaming(ex);
        }
    }

    /// When the selection moved, show the new exchange (reading it from disk if needed).
    fn sync_selection(&mut self) -> Vec<Effect> {
        let Some(row) = self.log.selected_row() else {
            if self.session.shown.take().is_some() {
                self.response.rebuild(None);
                self.inspector.findings.clear();
            }
            return Vec::new();
        };
        let id = row.summary.id.clone();
        if self.session.shown.as_deref() == Some(id.as_str()) {
            return Vec::new();
        }
        let location = row.location;
        if self.selected_exchange().is_some() {
            self.session.shown = Some(id);
            self.show_selected();
            return Vec::new();
        }
        if self.session.wanted.as_deref() == Some(id.as_str()) {
            return Vec::new();
        }
        let Some(location) = location else {
            return Vec::new();
        };
        self.session.wanted = Some(id.clone());
        self.response.rebuild(None);
        self.response.note = Some("Reading this entry from history…".into());
        self.inspector.findings.clear();
        vec![Effect::LoadExchange { id, location }]
    }

    fn show_selected(&mut self) {
        let model = self.params.models.clone();
        let ex = self.selected_exchange().cloned();
        let id = ex.as_ref().map(|e| e.id.clone());
        // The same exchange redrawn (it finished, the width changed) keeps its scroll.
        if self.session.scrolled_for != id {
            self.response.scroll = 0;
            self.inspector.scroll = 0;
            self.session.scrolled_for = id;
        }
        self.response.rebuild(ex.as_ref());
        self.response.scroll_by(0);
        self.inspector.findings = match &ex {
            Some(ex) => {
                let m = model.iter().find(|m| Some(m.id()) == ex.model.as_deref());
                if ex.outcome.class() == OutcomeClass::InFlight {
                    Vec::new()
                } else {
                    findings_for(ex, m, &model, &self.session.fallbacks)
                }
            }
            None => Vec::new(),
        };
    }

    fn notice(&mut self, m: &str) {
        self.status.message = Some((m.to_string(), false));
    }

    fn error(&mut self, m: String) {
        self.status.message = Some((m, true));
    }

    fn refresh_preflight(&mut self) {
        let spec = self.draft();
        self.inspector.preflight =
            preflight_for(&spec, self.params.current_model(), &self.params.models);
    }

    /// The call the current draft describes.
    pub fn draft(&self) -> CallSpec {
        self.params
            .build_spec(&self.prompt.prompt_text(), &self.prompt.system_text())
    }

    fn send(&mut self, spec: CallSpec) -> Vec<Effect> {
        let req = self.session.next_req;
        self.session.next_req += 1;
        self.log.newest();
        vec![Effect::Send {
            req,
            spec: Box::new(spec),
        }]
    }

    /// Recomputes sizes that depend on the layout and rewraps when the width changed.
    fn relayout(&mut self) {
        let a = self.areas();
        self.log.set_page(a.log.height.saturating_sub(3) as usize);
        let w = a.response.width.saturating_sub(2) as usize;
        self.response.page = a.response.height.saturating_sub(2) as usize;
        if w != self.response.width {
            self.response.width = w;
            self.session.shown = None;
        }
    }

    /// Applies an action.
    pub fn apply(&mut self, a: Action) -> Vec<Effect> {
        match a {
            Action::Quit => self.session.quit = true,
            Action::Send => {
                let spec = self.draft();
                return self.send(spec);
            }
            Action::Help => self.overlay = Some(Overlay::Help(0)),
            Action::CountTokens => {
                self.notice("counting tokens…");
                return vec![Effect::CountTokens(Box::new(self.draft()))];
            }
            Action::FocusNext | Action::FocusPrev => {
                let i = ORDER.iter().position(|f| *f == self.focus).unwrap_or(0) as i64;
                let d = if a == Action::FocusNext { 1 } else { -1 };
                self.focus = ORDER[(i + d).rem_euclid(ORDER.len() as i64) as usize];
            }
            Action::Cancel => return self.cancel(),
            Action::Close => self.overlay = None,
            Action::FaultMenu => {
                if !self.session.sandbox {
                    self.error(
                        "the fault menu only affects the sandbox backend (start with --sandbox)"
                            .into(),
                    );
                }
                self.overlay = Some(Overlay::Faults(FaultsState::default()));
            }
            Action::ModelPicker => self.open_picker(),
            Action::SwitchEditor => self.prompt.on_system = !self.prompt.on_system,
            Action::Undo | Action::Redo | Action::WordLeft | Action::WordRight => {
                let ta = self.prompt.active();
                match a {
                    Action::Undo => {
                        ta.undo();
                    }
                    Action::Redo => {
                        ta.redo();
                    }
                    Action::WordLeft => ta.move_cursor(ratatui_textarea::CursorMove::WordBack),
                    _ => ta.move_cursor(ratatui_textarea::CursorMove::WordForward),
                }
                self.refresh_preflight();
            }
            Action::ApplyFix(n) => return self.apply_fix(n),
            Action::CopyCurl | Action::CopyPython | Action::Export => return self.copy(a),
            _ => return self.pane_action(a),
        }
        Vec::new()
    }

    fn pane_action(&mut self, a: Action) -> Vec<Effect> {
        match self.focus {
            Focus::Params => {
                let version = self.params.version;
                match a {
                    Action::Up => self.params.move_by(-1),
                    Action::Down => self.params.move_by(1),
                    Action::Left => self.params.step(-1.0, false),
                    Action::Right => self.params.step(1.0, false),
                    Action::CoarseLeft => self.params.step(-1.0, true),
                    Action::CoarseRight => self.params.step(1.0, true),
                    Action::Enter if self.params.field() == Field::Model => self.open_picker(),
                    Action::Enter | Action::EditValue => self.params.begin_edit(),
                    Action::ResetDefault => self.params.reset(),
                    Action::Unset => self.params.unset(),
                    _ => {}
                }
                self.refresh_preflight();
                if self.params.version != version {
                    // The model list differs per API version.
                    self.params.catalogue = Catalogue::Loading;
                    return vec![Effect::ListModels(self.params.version)];
                }
            }
            Focus::Log => match a {
                Action::Up => self.log.move_by(-1),
                Action::Down => self.log.move_by(1),
                Action::PageUp => self.log.move_by(-(self.log.page as i64)),
                Action::PageDown => self.log.move_by(self.log.page as i64),
                Action::Top => self.log.move_by(i64::MIN / 2),
                Action::Newest => self.log.newest(),
                Action::FilterFailures => self.log.toggle_failures(),
                Action::Search => self.log.searching = Some(self.log.search.clone()),
                Action::Enter => self.focus = Focus::Response,
                _ => {}
            },
            Focus::Response => match a {
                Action::Left => self.response.switch_tab(-1),
                Action::Right | Action::NextTab => self.response.switch_tab(1),
                Action::Up => self.response.scroll_by(-1),
                Action::Down => self.response.scroll_by(1),
                Action::PageUp => self.response.scroll_by(-(self.response.page as i64)),
                Action::PageDown => self.response.scroll_by(self.response.page as i64),
                Action::Top => self.response.scroll = 0,
                Action::Newest => self.response.scroll_by(i64::MAX / 2),
                _ => {}
            },
            Focus::Inspector => match a {
                Action::Up => self.inspector.scroll = self.inspector.scroll.saturating_sub(1),
                Action::Down => self.inspector.scroll += 1,
                _ => {}
            },
            Focus::Prompt => {}
        }
        Vec::new()
    }

    fn cancel(&mut self) -> Vec<Effect> {
        if self.session.countdown.take().is_some() {
            self.notice("retry countdown cancelled");
            return Vec::new();
        }
        let running = self
            .log
            .selected_row()
            .is_some_and(|r| r.summary.class == OutcomeClass::InFlight);
        match self.log.selected_index().and_then(|i| self.log.req_of(i)) {
            Some(req) if running => {
                self.notice("cancelling…");
                vec![Effect::Cancel(req)]
            }
            _ => {
                self.session.dirty = false;
                Vec::new()
            }
        }
    }
}
