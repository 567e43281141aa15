//! Key bindings from the config file: `[keys]` maps an action name to a key, e.g.
//! `send = "F9"`, `quit = "Ctrl-Q"`, `apply_fix_1 = "Alt-a"`. The new key replaces the
//! action's default key in every context it is bound in; footer hints and help follow.

use crate::tui::keymap::Binding;
use crate::tui::msg::Action;
use crossterm::event::{KeyCode, KeyModifiers};
use std::collections::BTreeMap;

/// Action names accepted in `[keys]`, with the action each stands for.
pub const ACTION_NAMES: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("send", Action::Send),
    ("help", Action::Help),
    ("focus_next", Action::FocusNext),
    ("focus_prev", Action::FocusPrev),
    ("cancel", Action::Cancel),
    ("fault_menu", Action::FaultMenu),
    ("model_picker", Action::ModelPicker),
    ("switch_editor", Action::SwitchEditor),
    ("undo", Action::Undo),
    ("redo", Action::Redo),
    ("filter_failures", Action::FilterFailures),
    ("search", Action::Search),
    ("next_tab", Action::NextTab),
    ("apply_fix_1", Action::ApplyFix(1)),
    ("apply_fix_2", Action::ApplyFix(2)),
    ("apply_fix_3", Action::ApplyFix(3)),
    ("apply_fix_4", Action::ApplyFix(4)),
    ("apply_fix_5", Action::ApplyFix(5)),
    ("copy_curl", Action::CopyCurl),
    ("copy_python", Action::CopyPython),
    ("export", Action::Export),
    ("count_tokens", Action::CountTokens),
    ("edit_value", Action::EditValue),
    ("reset_default", Action::ResetDefault),
    ("unset", Action::Unset),
];

/// Parses `F9`, `Ctrl-Q`, `Alt-1`, `Shift-Tab`, `Enter`, `Esc`, `PgUp`, `x`, `Space`….
pub fn parse_key(spec: &str) -> Result<(KeyCode, KeyModifiers), String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = spec.trim();
    loop {
        let lower = rest.to_ascii_lowercase();
        let (m, len) = if lower.starts_with("ctrl-") {
            (KeyModifiers::CONTROL, 5)
        } else if lower.starts_with("alt-") {
            (KeyModifiers::ALT, 4)
        } else if lower.starts_with("shift-") && rest.len() > 6 {
            (KeyModifiers::SHIFT, 6)
        } else {
            break;
        };
        mods |= m;
        rest = &rest[len..];
    }
    let code = match rest.to_ascii_lowercase().as_str() {
        "enter" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        "tab" => KeyCode::Tab,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "del" | "delete" => KeyCode::Delete,
        f if f.len() > 1
            && f.starts_with('f')
            && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) =>
        {
            KeyCode::F(f[1..].parse().expect("checked"))
        }
        _ => {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if mods.contains(KeyModifiers::CONTROL) => {
                    KeyCode::Char(c.to_ascii_lowercase())
                }
                (Some(c), None) => KeyCode::Char(c),
                _ => {
                    return Err(format!(
                        "{spec:?} is not a key (try F9, Ctrl-Q, Alt-1, Enter, x)"
                    ));
                }
            }
        }
    };
    Ok((code, mods))
}

/// The default bindings with the overrides applied; every bad line is reported and skipped.
pub fn apply(
    defaults: &[Binding],
    overrides: &BTreeMap<String, String>,
) -> (Vec<Binding>, Vec<String>) {
    let mut out: Vec<Binding> = defaults.to_vec();
    let mut errors = Vec::new();
    for (name, spec) in overrides {
        let Some(&(_, action)) = ACTION_NAMES.iter().find(|(n, _)| n == name) else {
            let known: Vec<&str> = ACTION_NAMES.iter().map(|(n, _)| *n).collect();
            errors.push(format!(
                "[keys] {name:?} is not an action; known: {}",
                known.join(", ")
            ));
            continue;
        };
        let (code, mods) = match parse_key(spec) {
            Ok(k) => k,
            Err(e) => {
                errors.push(format!("[keys] {name}: {e}"));
                continue;
            }
        };
        let mut moved: Vec<Binding> = Vec::new();
        out.retain(|bd| {
            if bd.action == action {
                // One binding per context keeps the help readable (F5 / Ctrl-S become one key).
                if !moved.iter().any(|m| m.ctx == bd.ctx) {
                    moved.push(Binding { code, mods, ..*bd });
                }
                false
            } else {
                true
            }
        });
        // First in the list: the new key wins over a default it collides with.
        out.splice(0..0, moved);
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{BINDINGS, KeyContext, lookup_in};
    use crossterm::event::KeyEvent;

    #[test]
    fn keys_parse() {
        assert_eq!(parse_key("F9"), Ok((KeyCode::F(9), KeyModifiers::NONE)));
        assert_eq!(
            parse_key("Ctrl-Q"),
            Ok((KeyCode::Char('q'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse_key("alt-1"),
            Ok((KeyCode::Char('1'), KeyModifiers::ALT))
        );
        assert_eq!(
            parse_key("Shift-Tab"),
            Ok((KeyCode::BackTab, KeyModifiers::SHIFT))
        );
        assert_eq!(parse_key("X"), Ok((KeyCode::Char('X'), KeyModifiers::NONE)));
        assert!(parse_key("Hyper-banana").is_err());
        assert!(parse_key("F99").is_err());
    }

    #[test]
    fn an_override_moves_the_action_and_reports_bad_lines() {
        let overrides: BTreeMap<String, String> = [
            ("send".to_string(), "F9".to_string()),
            ("teleport".to_string(), "F3".to_string()),
            ("quit".to_string(), "Hyper-x".to_string()),
        ]
        .into();
        let (bindings, errors) = apply(BINDINGS, &overrides);
        let f9 = KeyEvent::new(KeyCode::F(9), KeyModifiers::NONE);
        let f5 = KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE);
        assert_eq!(
            lookup_in(&bindings, KeyContext::Global, &f9),
            Some(Action::Send)
        );
        assert_eq!(lookup_in(&bindings, KeyContext::Global, &f5), None);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("Hyper-x") || errors[1].contains("Hyper-x"));
        assert!(errors.iter().any(|e| e.contains("teleport")));
        // Quit keeps its default since its override was bad.
        let cc = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            lookup_in(&bindings, KeyContext::Global, &cc),
            Some(Action::Quit)
        );
    }
}
