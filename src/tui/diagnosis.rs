//! The console's view of a diagnosis: findings with evidence and applicable actions.
//!
//! [`findings_for`] and [`preflight_for`] are the only two adapters between the console
//! and the diagnosis engine (`crate::guide`): they pass what the console knows (the
//! model's metadata, the live model list, the configured fallbacks) and turn the
//! engine's actions into ones the console can apply with one key.

use crate::gemini::client::{CallSpec, human_duration};
use crate::gemini::exchange::Exchange;
use crate::gemini::wire::{ApiVersion, Model};
use crate::guide::{self, Action, Context, Finding, Lang};
use std::sync::OnceLock;
use std::time::Duration;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The call failed.
    Error,
    /// The call may fail or gave a partial answer.
    Warning,
    /// Worth knowing.
    Info,
}

/// Something the user can do about a finding, applied with one key.
#[derive(Debug, Clone, PartialEq)]
pub enum InspectorAction {
    /// Send the same request again.
    Retry,
    /// Send the same request again once the server's delay has passed.
    RetryAfter(Duration),
    /// Use another model for the next send.
    SwitchModel(String),
    /// Use a longer timeout for the next send.
    RaiseTimeout(Duration),
    /// Set a parameter (JSON name, e.g. `temperature`) to a value.
    ClampParameter {
        /// The generationConfig field, as the API spells it.
        field: String,
        /// The value to set.
        value: f64,
    },
    /// Use another API version for the next send.
    SwitchApiVersion(ApiVersion),
    /// Cut the prompt to fit.
    ReducePrompt,
}

impl InspectorAction {
    /// A short label for the key list.
    pub fn label(&self) -> String {
        match self {
            InspectorAction::Retry => "retry the same request".into(),
            InspectorAction::RetryAfter(d) => format!("retry after {}", human_duration(*d)),
            InspectorAction::SwitchModel(m) => format!("switch to {m}"),
            InspectorAction::RaiseTimeout(d) => format!("raise timeout to {}", human_duration(*d)),
            InspectorAction::ClampParameter { field, value } => format!("set {field} = {value}"),
            InspectorAction::SwitchApiVersion(v) => format!("switch to {v}"),
            InspectorAction::ReducePrompt => "cut the prompt in half".into(),
        }
    }
}

/// One explained problem.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectorFinding {
    /// Stable id (a guide entry).
    pub id: String,
    /// Severity.
    pub severity: Severity,
    /// Headline.
    pub title: String,
    /// Why it happens.
    pub cause: String,
    /// What the failure typically looks like.
    pub example: String,
    /// What to do.
    pub fix: String,
    /// Facts from this call.
    pub evidence: Vec<String>,
    /// Applicable actions.
    pub actions: Vec<InspectorAction>,
}

/// Built-in fallback when neither the config nor the model list names one: a lighter
/// model of the same family.
fn default_fallback(model: &str) -> &'static str {
    if model.contains("flash-lite") {
        "gemini-2.0-flash"
    } else if model.contains("flash") {
        "gemini-2.5-flash-lite"
    } else {
        "gemini-2.5-flash"
    }
}

/// The language of the findings, read once from the locale.
fn lang() -> Lang {
    static LANG: OnceLock<Lang> = OnceLock::new();
    *LANG.get_or_init(|| Lang::resolve(None))
}

/// The first configured fallback that is not the model that failed.
fn configured_fallback<'a>(current: Option<&str>, fallbacks: &'a [String]) -> Option<&'a str> {
    fallbacks
        .iter()
        .map(String::as_str)
        .find(|m| Some(*m) != current)
}

/// The accepted thinking budget of a model, from the published facts the sandbox carries.
fn thinking_range(model: Option<&str>) -> Option<(i64, i64)> {
    let entry = crate::sandbox::catalogue().lookup(model?)?;
    entry.sandbox.thinking.as_ref().map(|t| (t.min, t.max))
}

fn context<'a>(
    model_id: Option<&str>,
    model: Option<&'a Model>,
    known: &'a [Model],
    fallback: Option<&'a str>,
) -> Context<'a> {
    Context {
        model,
        known_models: known,
        lang: lang(),
        thinking_budget: thinking_range(model_id),
        fallback_model: fallback,
        ..Default::default()
    }
}

/// Findings for a finished exchange, best first. `known` is the live model list (for
/// "did you mean"); `fallbacks` are the configured fallback models.
pub fn findings_for(
    ex: &Exchange,
    model: Option<&Model>,
    known: &[Model],
    fallbacks: &[String],
) -> Vec<InspectorFinding> {
    let fallback = configured_fallback(ex.model.as_deref(), fallbacks);
    let ctx = context(ex.model.as_deref(), model, known, fallback);
    let current = ex.model.as_deref().unwrap_or_default();
    // The response pane already shows the server's message; don't spend inspector rows on it.
    let shown = ex
        .outcome
        .api_error()
        .and_then(|e| e.message.lines().map(str::trim).find(|l| !l.is_empty()))
        .map(|l| {
            crate::gemini::client::snippet(l, 60)
                .trim_end_matches('…')
                .to_string()
        });
    guide::diagnose(ex, &ctx)
        .into_iter()
        .map(|mut f| {
            if let Some(msg) = shown.as_deref().filter(|m| !m.is_empty()) {
                f.evidence.retain(|e| !e.contains(msg));
            }
            convert(f, current)
        })
        .collect()
}

/// Warnings for the draft before it is sent (never a reason not to send).
pub fn preflight_for(
    draft: &CallSpec,
    model: Option<&Model>,
    known: &[Model],
) -> Vec<InspectorFinding> {
    let id = draft.model.strip_prefix("models/").unwrap_or(&draft.model);
    let ctx = context(Some(id), model, known, None);
    let mut out: Vec<InspectorFinding> =
        guide::preflight_request(&draft.request, draft.api_version, &ctx, None)
            .into_iter()
            .map(|f| convert(f, id))
            .collect();
    // A console nudge rather than an API failure, so it is not a guide entry.
    let blank = draft
        .request
        .contents
        .iter()
        .all(|c| c.visible_text().trim().is_empty());
    if blank {
        out.push(InspectorFinding {
            id: "console.empty_prompt".into(),
            severity: Severity::Info,
            title: "The prompt is empty".into(),
            cause: "Nothing has been typed yet; the request would carry an empty text part.".into(),
            example: String::new(),
            fix: "Type a prompt first (the prompt pane has focus at start).".into(),
            evidence: Vec::new(),
            actions: Vec::new(),
        });
    }
    out
}

fn convert(f: Finding, current_model: &str) -> InspectorFinding {
    InspectorFinding {
        actions: f
            .actions
            .iter()
            .filter_map(|a| action(a, current_model))
            .collect(),
        id: f.entry_id,
        severity: match f.severity {
            guide::Severity::Error => Severity::Error,
            guide::Severity::Warning => Severity::Warning,
            guide::Severity::Info => Severity::Info,
        },
        title: f.title,
        cause: f.cause,
        example: f.example,
        fix: f.fix,
        evidence: f.evidence,
    }
}

/// The console's one-key form of an engine action; `None` for advice with no key
/// (checking the key happens outside the console).
fn action(a: &Action, current_model: &str) -> Option<InspectorAction> {
    Some(match a {
        Action::Retry => InspectorAction::Retry,
        Action::RetryAfterDelay { delay, .. } => InspectorAction::RetryAfter(*delay),
        Action::SwitchFallbackModel { model } => InspectorAction::SwitchModel(
            model
                .clone()
                .unwrap_or_else(|| default_fallback(current_model).to_string()),
        ),
        Action::RaiseTimeout { to } => InspectorAction::RaiseTimeout(*to),
        Action::ClampParameter { field, to } => InspectorAction::ClampParameter {
            // `generationConfig.thinkingConfig.thinkingBudget` → `thinkingBudget`.
            field: field.rsplit('.').next().unwrap_or(field).to_string(),
            value: to.as_f64()?,
        },
        Action::SwitchApiVersion { to } => InspectorAction::SwitchApiVersion(*to),
        Action::ReducePrompt { .. } => InspectorAction::ReducePrompt,
        Action::CheckKey { .. } => return None,
    })
}
