//! What the caller knows besides the exchange. Every field is optional: with
//! `Context::default()` the engine still explains what the exchange itself shows.

use super::lang::Lang;
use crate::gemini::wire::Model;

/// Extra facts for [`diagnose`](super::diagnose()) and [`preflight`](super::preflight()).
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// Metadata of the model that was called (from `models.get`), if known.
    pub model: Option<&'a Model>,
    /// Models the key can see (from `models.list`), for "did you mean".
    pub known_models: &'a [Model],
    /// Output language.
    pub lang: Lang,
    /// Accepted thinking budget range `(min, max)` of the model, when the caller knows it.
    pub thinking_budget: Option<(i64, i64)>,
    /// Where the API key came from, e.g. `$GEMINI_API_KEY` (never the key).
    pub key_source: Option<&'a str>,
    /// A model the user prefers as fallback.
    pub fallback_model: Option<&'a str>,
    /// Client-side exception class seen in pasted output, e.g. `ClientError`.
    pub sdk_error: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// An empty context in `lang`.
    pub fn new(lang: Lang) -> Self {
        Context {
            lang,
            ..Default::default()
        }
    }

    /// The known model with this id (with or without `models/`).
    pub fn find_model(&self, id: &str) -> Option<&'a Model> {
        let id = id.strip_prefix("models/").unwrap_or(id);
        self.model
            .filter(|m| m.id() == id)
            .or_else(|| self.known_models.iter().find(|m| m.id() == id))
    }
}
