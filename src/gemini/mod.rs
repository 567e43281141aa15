//! Everything about speaking the Gemini REST API: wire types, error bodies, stream
//! framing, the HTTP client, API keys, and the Exchange record of each call.

pub mod api_error;
pub mod client;
pub mod exchange;
pub mod key;
pub mod sse;
pub mod wire;

pub use api_error::{ApiErrorBody, ErrorDetail, ErrorEnvelope};
pub use exchange::{Exchange, Operation, Outcome, OutcomeClass, TransportKind};
pub use wire::ApiVersion;

/// The real service's base URL.
pub const GOOGLE_BASE_URL: &str = "https://generativelanguage.googleapis.com";
