//! A diagnosis result: one knowledge-base entry applied to one call.

use super::action::Action;
use serde::{Deserialize, Serialize};

/// How bad it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Advice; nothing failed.
    Info,
    /// Degraded or likely to fail.
    Warning,
    /// The call failed.
    Error,
}

impl Severity {
    /// Short label.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One explained failure, in the requested language, with evidence from the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable knowledge-base id, e.g. `quota.per_minute`.
    #[serde(rename = "id")]
    pub entry_id: String,
    /// Severity.
    pub severity: Severity,
    /// One-line title.
    pub title: String,
    /// Why it happens.
    pub cause: String,
    /// A typical example.
    pub example: String,
    /// What to do.
    pub fix: String,
    /// Documentation link.
    pub doc: String,
    /// Facts taken from this call that support the finding.
    pub evidence: Vec<String>,
    /// Suggested actions with their data.
    pub actions: Vec<Action>,
}
