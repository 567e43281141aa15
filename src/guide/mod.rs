//! The troubleshooting knowledge base and the diagnosis engine.
//!
//! - [`kb`]: `assets/guide.toml`, embedded and validated;
//! - [`diagnose()`]: explains a finished [`Exchange`](crate::gemini::Exchange);
//! - [`preflight()`]: warns about a request before it is sent;
//! - [`explain_input`]: turns pasted errors (JSON, curl dumps, SDK tracebacks) into an Exchange.

pub mod action;
pub mod checks;
pub mod context;
pub mod diagnose;
pub mod evidence;
pub mod explain_input;
pub mod facts;
pub mod finding;
pub mod fuzzy;
pub mod kb;
pub mod lang;
pub mod preflight;
pub mod redact;

#[cfg(test)]
mod diagnose_tests;
#[cfg(test)]
mod tests;

pub use action::Action;
pub use context::Context;
pub use diagnose::diagnose;
pub use explain_input::{InputFormat, NotRecognised, ParsedInput, read_input};
pub use finding::{Finding, Severity};
pub use lang::Lang;
pub use preflight::{preflight, preflight_request};
