//! The one binding table: keys → actions. Footer hints and the help overlay are drawn
//! from it, so what is shown is what works.

use crate::tui::msg::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyContext {
    /// Everywhere, even while typing.
    Global,
    /// Any pane that is not a text field.
    Panes,
    /// The prompt editor (other keys edit text).
    Prompt,
    /// The parameters pane.
    Params,
    /// The request log.
    Log,
    /// The response view.
    Response,
    /// The error inspector.
    Inspector,
    /// The model picker overlay (typing filters).
    Picker,
    /// The fault menu overlay.
    Faults,
    /// The help overlay.
    Help,
}

impl KeyContext {
    /// Heading in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            KeyContext::Global => "Everywhere",
            KeyContext::Panes => "Outside text fields",
            KeyContext::Prompt => "Prompt editor",
            KeyContext::Params => "Parameters",
            KeyContext::Log => "Request log",
            KeyContext::Response => "Response",
            KeyContext::Inspector => "Inspector",
            KeyContext::Picker => "Model picker",
            KeyContext::Faults => "Fault menu",
            KeyContext::Help => "Help",
        }
    }
}

/// One key binding.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Context.
    pub ctx: KeyContext,
    /// Key code.
    pub code: KeyCode,
    /// Modifiers (Shift is ignored for characters, which carry it in their case).
    pub mods: KeyModifiers,
    /// What it does.
    pub action: Action,
    /// Label in the help overlay.
    pub desc: &'static str,
    /// Shown in the footer when the context is active.
    pub hint: bool,
}

const fn b(
    ctx: KeyContext,
    code: KeyCode,
    mods: KeyModifiers,
    action: Action,
    desc: &'static str,
    hint: bool,
) -> Binding {
    Binding {
        ctx,
        code,
        mods,
        action,
        desc,
        hint,
    }
}

use KeyCode::*;
use KeyContext as C;
const N: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const ALT: KeyModifiers = KeyModifiers::ALT;

/// The default bindings.
pub const BINDINGS: &[Binding] = &[
    b(C::Global, Char('c'), CTRL, Action::Quit, "quit", false),
    b(C::Global, F(5), N, Action::Send, "send", true),
    b(C::Global, Char('s'), CTRL, Action::Send, "send", false),
    // Fixes stay one chord away while typing in the prompt.
    b(
        C::Global,
        Char('1'),
        ALT,
        Action::ApplyFix(1),
        "apply fix 1",
        false,
    ),
    b(
        C::Global,
        Char('2'),
        ALT,
        Action::ApplyFix(2),
        "apply fix 2",
        false,
    ),
    b(
        C::Global,
        Char('3'),
        ALT,
        Action::ApplyFix(3),
        "apply fix 3",
        false,
    ),
    b(
        C::Global,
        Char('4'),
        ALT,
        Action::ApplyFix(4),
        "apply fix 4",
        false,
    ),
    b(
        C::Global,
        Char('5'),
        ALT,
        Action::ApplyFix(5),
        "apply fix 5",
        false,
    ),
    b(C::Global, F(1), N, Action::Help, "help", true),
    b(C::Global, Tab, N, Action::FocusNext, "next pane", true),
    b(
        C::Global,
        BackTab,
        SHIFT,
        Action::FocusPrev,
        "previous pane",
        false,
    ),
    b(C::Global, F(2), N, Action::ModelPicker, "pick model", false),
    b(
        C::Global,
        F(6),
        N,
        Action::CountTokens,
        "count prompt tokens",
        false,
    ),
    b(
        C::Global,
        F(7),
        N,
        Action::FaultMenu,
        "sandbox faults",
        false,
    ),
    b(
        C::Global,
        F(8),
        N,
        Action::Cancel,
        "cancel selected request",
        false,
    ),
    b(C::Panes, Char('?'), N, Action::Help, "help", false),
    b(
        C::Panes,
        Esc,
        N,
        Action::Cancel,
        "cancel selected request",
        false,
    ),
    b(C::Panes, Char('q'), N, Action::Quit, "quit", false),
    b(
        C::Panes,
        Char('y'),
        N,
        Action::CopyCurl,
        "copy as curl (OSC 52)",
        false,
    ),
    b(
        C::Panes,
        Char('Y'),
        N,
        Action::CopyPython,
        "copy as Python",
        false,
    ),
    b(
        C::Panes,
        Char('x'),
        N,
        Action::Export,
        "export curl, Python, JSON",
        false,
    ),
    b(
        C::Prompt,
        Char('t'),
        CTRL,
        Action::SwitchEditor,
        "prompt ⇄ system instruction",
        true,
    ),
    b(C::Prompt, Char('z'), CTRL, Action::Undo, "undo", false),
    b(C::Prompt, Char('u'), CTRL, Action::Undo, "undo", false),
    b(C::Prompt, Char('r'), CTRL, Action::Redo, "redo", false),
    b(C::Prompt, Left, CTRL, Action::WordLeft, "word left", false),
    b(
        C::Prompt,
        Right,
        CTRL,
        Action::WordRight,
        "word right",
        false,
    ),
    b(C::Params, Up, N, Action::Up, "previous field", false),
    b(C::Params, Down, N, Action::Down, "next field", false),
    b(C::Params, Left, N, Action::Left, "step down", true),
    b(C::Params, Right, N, Action::Right, "step up", true),
    b(
        C::Params,
        Left,
        SHIFT,
        Action::CoarseLeft,
        "coarse step down",
        false,
    ),
    b(
        C::Params,
        Right,
        SHIFT,
        Action::CoarseRight,
        "coarse step up",
        false,
    ),
    b(
        C::Params,
        Enter,
        N,
        Action::Enter,
        "type a value / pick model",
        true,
    ),
    b(
        C::Params,
        Char('e'),
        N,
        Action::EditValue,
        "type an exact value",
        false,
    ),
    b(
        C::Params,
        Char('d'),
        N,
        Action::ResetDefault,
        "model default",
        true,
    ),
    b(C::Params, Char('u'), N, Action::Unset, "unset (omit)", true),
    b(C::Params, Delete, N, Action::Unset, "unset (omit)", false),
    b(C::Log, Up, N, Action::Up, "older", false),
    b(C::Log, Down, N, Action::Down, "newer", false),
    b(C::Log, PageUp, N, Action::PageUp, "page up", false),
    b(C::Log, PageDown, N, Action::PageDown, "page down", false),
    b(C::Log, Home, N, Action::Top, "oldest", false),
    b(C::Log, End, N, Action::Newest, "newest", true),
    b(C::Log, Char('G'), N, Action::Newest, "newest", false),
    b(
        C::Log,
        Char('f'),
        N,
        Action::FilterFailures,
        "failures only",
        true,
    ),
    b(C::Log, Char('/'), N, Action::Search, "search", true),
    b(
        C::Log,
        Enter,
        N,
        Action::NextTab,
        "next response tab",
        false,
    ),
    b(C::Response, Left, N, Action::Left, "previous tab", false),
    b(C::Response, Right, N, Action::Right, "next tab", true),
    b(C::Response, Up, N, Action::Up, "scroll up", false),
    b(C::Response, Down, N, Action::Down, "scroll down", true),
    b(C::Response, PageUp, N, Action::PageUp, "page up", false),
    b(
        C::Response,
        PageDown,
        N,
        Action::PageDown,
        "page down",
        false,
    ),
    b(C::Response, Home, N, Action::Top, "top", false),
    b(C::Response, End, N, Action::Newest, "bottom", false),
    b(
        C::Panes,
        Char('1'),
        N,
        Action::ApplyFix(1),
        "apply fix 1",
        false,
    ),
    b(
        C::Panes,
        Char('2'),
        N,
        Action::ApplyFix(2),
        "apply fix 2",
        false,
    ),
    b(
        C::Panes,
        Char('3'),
        N,
        Action::ApplyFix(3),
        "apply fix 3",
        false,
    ),
    b(
        C::Panes,
        Char('4'),
        N,
        Action::ApplyFix(4),
        "apply fix 4",
        false,
    ),
    b(
        C::Panes,
        Char('5'),
        N,
        Action::ApplyFix(5),
        "apply fix 5",
        false,
    ),
    b(C::Inspector, Up, N, Action::Up, "scroll up", false),
    b(C::Inspector, Down, N, Action::Down, "scroll down", false),
    b(C::Picker, Up, N, Action::Up, "previous model", false),
    b(C::Picker, Down, N, Action::Down, "next model", false),
    b(C::Picker, Enter, N, Action::Enter, "use model", true),
    b(C::Picker, Esc, N, Action::Close, "close", true),
    b(C::Faults, Up, N, Action::Up, "previous fault", false),
    b(C::Faults, Down, N, Action::Down, "next fault", false),
    b(C::Faults, Enter, N, Action::Enter, "arm fault", true),
    b(C::Faults, Esc, N, Action::Close, "close", true),
    b(C::Help, Esc, N, Action::Close, "close", true),
    b(C::Help, Char('?'), N, Action::Close, "close", false),
    b(C::Help, F(1), N, Action::Close, "close", false),
    b(C::Help, Up, N, Action::Up, "scroll up", false),
    b(C::Help, Down, N, Action::Down, "scroll down", false),
];

fn matches(bd: &Binding, key: &KeyEvent) -> bool {
    if bd.code != key.code {
        return false;
    }
    // Characters carry Shift in their case; BackTab always comes with Shift on some terminals.
    let mask = match key.code {
        Char(_) | BackTab => KeyModifiers::CONTROL | KeyModifiers::ALT,
        _ => KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT,
    };
    (key.modifiers & mask) == (bd.mods & mask)
}

/// The action bound to `key` in `ctx` (not falling back to other contexts).
pub fn lookup(ctx: KeyContext, key: &KeyEvent) -> Option<Action> {
    lookup_in(bindings(), ctx, key)
}

/// [`lookup`] in a given table.
pub fn lookup_in(table: &[Binding], ctx: KeyContext, key: &KeyEvent) -> Option<Action> {
    table
        .iter()
        .find(|bd| bd.ctx == ctx && matches(bd, key))
        .map(|bd| bd.action)
}

/// The table in force: the defaults, or the defaults with the config's `[keys]` applied.
/// Set once by the console at start-up (never by tests, which use the defaults).
static ACTIVE: std::sync::OnceLock<Vec<Binding>> = std::sync::OnceLock::new();

/// The bindings in force.
pub fn bindings() -> &'static [Binding] {
    ACTIVE.get().map_or(BINDINGS, Vec::as_slice)
}

/// Installs the table built from the config; only the first call has an effect.
pub fn install(table: Vec<Binding>) {
    let _ = ACTIVE.set(table);
}

/// A key's name as shown to users: `Ctrl-S`, `F5`, `Shift-→`.
pub fn key_name(bd: &Binding) -> String {
    let base = match bd.code {
        Char(' ') => "Space".to_string(),
        Char(c) if bd.mods.contains(KeyModifiers::CONTROL) => c.to_ascii_uppercase().to_string(),
        Char(c) => c.to_string(),
        F(n) => format!("F{n}"),
        Up => "↑".into(),
        Down => "↓".into(),
        Left => "←".into(),
        Right => "→".into(),
        Enter => "Enter".into(),
        Esc => "Esc".into(),
        Tab => "Tab".into(),
        BackTab => "Shift-Tab".into(),
        PageUp => "PgUp".into(),
        PageDown => "PgDn".into(),
        Home => "Home".into(),
        End => "End".into(),
        Delete => "Del".into(),
        other => format!("{other:?}"),
    };
    let mut s = String::new();
    if bd.mods.contains(KeyModifiers::CONTROL) {
        s.push_str("Ctrl-");
    }
    if bd.mods.contains(KeyModifiers::ALT) {
        s.push_str("Alt-");
    }
    if bd.mods.contains(KeyModifiers::SHIFT) && !matches!(bd.code, Char(_) | BackTab) {
        s.push_str("Shift-");
    }
    s.push_str(&base);
    s
}

/// Footer hints for a context: its hinted bindings, then the global ones.
pub fn hints(ctx: KeyContext) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for bd in bindings().iter().filter(|bd| bd.hint && bd.ctx == ctx) {
        out.push((key_name(bd), bd.desc));
    }
    if !matches!(
        ctx,
        KeyContext::Picker | KeyContext::Faults | KeyContext::Help
    ) {
        for bd in bindings()
            .iter()
            .filter(|bd| bd.hint && bd.ctx == KeyContext::Global)
        {
            out.push((key_name(bd), bd.desc));
        }
    }
    out
}

/// Every binding grouped by context, for the help overlay; keys with the same action merge.
pub fn help_sections() -> Vec<(KeyContext, Vec<(String, &'static str)>)> {
    let order = [
        C::Global,
        C::Panes,
        C::Prompt,
        C::Params,
        C::Log,
        C::Response,
        C::Inspector,
        C::Picker,
        C::Faults,
        C::Help,
    ];
    order
        .into_iter()
        .map(|ctx| {
            let mut rows: Vec<(String, &'static str)> = Vec::new();
            for bd in bindings().iter().filter(|bd| bd.ctx == ctx) {
                // The five fix keys read as one row: "1…5 apply the numbered fix".
                match bd.action {
                    Action::ApplyFix(1) => {
                        rows.push((format!("{}…5", key_name(bd)), "apply the numbered fix"));
                        continue;
                    }
                    Action::ApplyFix(_) => continue,
                    _ => {}
                }
                match rows.iter_mut().find(|(_, d)| *d == bd.desc) {
                    Some((k, _)) => {
                        k.push_str(" / ");
                        k.push_str(&key_name(bd));
                    }
                    None => rows.push((key_name(bd), bd.desc)),
                }
            }
            (ctx, rows)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_is_ignored_for_characters_but_not_arrows() {
        let q = KeyEvent::new(Char('?'), KeyModifiers::SHIFT);
        assert_eq!(lookup(C::Panes, &q), Some(Action::Help));
        let sr = KeyEvent::new(Right, KeyModifiers::SHIFT);
        assert_eq!(lookup(C::Params, &sr), Some(Action::CoarseRight));
        let r = KeyEvent::new(Right, KeyModifiers::NONE);
        assert_eq!(lookup(C::Params, &r), Some(Action::Right));
        let cs = KeyEvent::new(Char('s'), KeyModifiers::CONTROL);
        assert_eq!(lookup(C::Global, &cs), Some(Action::Send));
        assert_eq!(lookup(C::Global, &KeyEvent::new(Char('s'), N)), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for bd in &BINDINGS[i + 1..] {
                assert!(
                    !(a.ctx == bd.ctx && a.code == bd.code && a.mods == bd.mods),
                    "{a:?} / {bd:?}"
                );
            }
        }
    }

    #[test]
    fn help_lists_merged_keys() {
        let s = help_sections();
        let global = &s[0].1;
        assert!(
            global
                .iter()
                .any(|(k, d)| k == "F5 / Ctrl-S" && *d == "send"),
            "{global:?}"
        );
    }
}
