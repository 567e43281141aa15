//! The inspector's actions and the copy/export of the selected request.

use super::{App, Countdown};
use crate::gemini::client::CallSpec;
use crate::gemini::exchange::Exchange;
use crate::gemini::wire::GenerateContentRequest;
use crate::tui::diagnosis::InspectorAction;
use crate::tui::effects::Effect;
use crate::tui::msg::Action;
use crate::tui::panes::params::Num;
use crate::tui::snippet::{curl_command, python_snippet};
use std::time::Duration;

impl App {
    pub(super) fn apply_fix(&mut self, n: u8) -> Vec<Effect> {
        let actions = self.inspector.actions();
        let Some(action) = actions.get(n as usize - 1).cloned() else {
            self.error(format!("no fix numbered {n}"));
            return Vec::new();
        };
        let fx = match action {
            InspectorAction::Retry => match self.selected_exchange().and_then(spec_from_exchange) {
                Some(spec) => return self.send(spec),
                None => {
                    self.error("this request cannot be re-sent (no recorded body)".into());
                    Vec::new()
                }
            },
            InspectorAction::RetryAfter(d) => {
                match self.selected_exchange().and_then(spec_from_exchange) {
                    Some(spec) => {
                        self.session.countdown = Some(Countdown {
                            deadline_ms: self.session.now_ms + d.as_millis() as u64,
                            spec,
                        });
                        self.notice("retry armed; Esc cancels");
                    }
                    None => self.error("this request cannot be re-sent (no recorded body)".into()),
                }
                Vec::new()
            }
            InspectorAction::SwitchModel(m) => {
                self.notice(&format!("model set to {m}; F5 sends"));
                self.params.model = m;
                Vec::new()
            }
            InspectorAction::RaiseTimeout(d) => {
                self.params.timeout_s = d.as_secs_f64();
                self.notice(&format!("timeout set to {} s; F5 sends", d.as_secs_f64()));
                Vec::new()
            }
            InspectorAction::ClampParameter { field, value } => {
                match Num::by_json_name(&field) {
                    Some(num) => {
                        self.params.set_num(num, Some(value));
                        self.notice(&format!("{field} set to {}", num.fmt(value)));
                    }
                    None => self.error(format!("unknown parameter {field}")),
                }
                Vec::new()
            }
            InspectorAction::SwitchApiVersion(v) => {
                self.params.version = v;
                self.notice(&format!("API version set to {v}; F5 sends"));
                Vec::new()
            }
            InspectorAction::ReducePrompt => {
                let text = self.prompt.prompt_text();
                let half: String = text.chars().take(text.chars().count() / 2).collect();
                self.prompt.set_prompt(&half);
                self.notice("prompt cut in half");
                Vec::new()
            }
        };
        self.refresh_preflight();
        fx
    }

    pub(super) fn copy(&mut self, a: Action) -> Vec<Effect> {
        let Some(ex) = self.selected_exchange() else {
            self.error("select a request in the log first".into());
            return Vec::new();
        };
        match a {
            Action::CopyCurl => {
                let s = curl_command(ex);
                self.notice("copied as curl (OSC 52); the key is $GEMINI_API_KEY");
                vec![Effect::Clipboard(s)]
            }
            Action::CopyPython => {
                let s = python_snippet(ex);
                self.notice("copied as Python (OSC 52); the key is $GEMINI_API_KEY");
                vec![Effect::Clipboard(s)]
            }
            _ => {
                let files = vec![
                    ("sh".to_string(), curl_command(ex)),
                    ("py".to_string(), python_snippet(ex)),
                    (
                        "json".to_string(),
                        serde_json::to_string_pretty(ex).unwrap_or_default(),
                    ),
                ];
                vec![Effect::Export {
                    stem: format!("exchange-{}", ex.id),
                    files,
                }]
            }
        }
    }
}

/// The call an exchange made, to send it again.
pub fn spec_from_exchange(ex: &Exchange) -> Option<CallSpec> {
    let body = ex.request.body.clone()?;
    let request: GenerateContentRequest = serde_json::from_value(body).ok()?;
    Some(CallSpec {
        model: ex.model.clone()?,
        api_version: ex.api_version,
        stream: ex.operation.is_some_and(|o| o.is_stream()),
        request,
        timeout: Duration::from_millis(ex.timeout_ms.unwrap_or(60_000)),
    })
}
