//! `explain`'s input reader: whatever a user has in hand (error JSON, `curl -i` dump,
//! SSE dump, SDK exception text, gemini-cli output) becomes an [`Exchange`], so the
//! diagnosis engine is the only place that interprets failures.
//!
//! [`read_input`] is pure and total: any string gives a result or [`NotRecognised`].

mod build;
mod http;
pub mod scan;
mod text_forms;

use crate::gemini::{ApiErrorBody, Exchange};
use serde::Serialize;
use std::fmt;

/// The shape an input was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// A raw `{"error": …}` body.
    ErrorJson,
    /// `[{"error": …}]` (OpenAI-compatible surface, JSON-array streams).
    ErrorJsonArray,
    /// An error whose message holds another error as escaped JSON.
    NestedErrorJson,
    /// `curl -i` output: status line, headers, body.
    HttpDump,
    /// A bare HTML error page.
    HtmlPage,
    /// An SSE stream dump (`data: …` lines).
    SseStream,
    /// A generateContent response (or a JSON array of stream chunks).
    ResponseJson,
    /// python-genai `ClientError` / `ServerError` / `APIError` text.
    PythonSdk,
    /// A python-genai or pydantic exception raised without an HTTP exchange.
    PythonSdkException,
    /// Legacy `google.api_core.exceptions.*` rendering.
    PythonLegacy,
    /// A Python response repr with `BlockedReason.X` / `FinishReason.X`.
    PythonResponseRepr,
    /// `@google/genai` ApiError text (`got status: …`, JSON message).
    JsSdk,
    /// Legacy `[GoogleGenerativeAI Error]` text.
    JsLegacy,
    /// gemini-cli `[API Error: …]` output.
    GeminiCli,
    /// Only a status such as `429 RESOURCE_EXHAUSTED` somewhere in the text.
    StatusLine,
    /// An exchange record exported by gemini-doctor itself.
    ExchangeRecord,
}

impl InputFormat {
    /// Human description (English; format names are technical terms).
    pub fn describe(self) -> &'static str {
        match self {
            InputFormat::ErrorJson => "Gemini API error JSON",
            InputFormat::ErrorJsonArray => "Gemini API error JSON in a one-element array",
            InputFormat::NestedErrorJson => "error JSON nested inside another error's message",
            InputFormat::HttpDump => "HTTP response dump (curl -i)",
            InputFormat::HtmlPage => "HTML error page",
            InputFormat::SseStream => "SSE stream dump",
            InputFormat::ResponseJson => "generateContent response JSON",
            InputFormat::PythonSdk => "python-genai exception",
            InputFormat::PythonSdkException => "Python SDK client-side exception",
            InputFormat::PythonLegacy => "google-generativeai / google.api_core exception",
            InputFormat::PythonResponseRepr => "python-genai response repr",
            InputFormat::JsSdk => "@google/genai ApiError",
            InputFormat::JsLegacy => "@google/generative-ai error",
            InputFormat::GeminiCli => "gemini-cli API error",
            InputFormat::StatusLine => "status line",
            InputFormat::ExchangeRecord => "gemini-doctor exchange record",
        }
    }

    /// Description in `lang`.
    pub fn describe_in(self, lang: crate::guide::Lang) -> &'static str {
        if lang == crate::guide::Lang::En {
            return self.describe();
        }
        match self {
            InputFormat::ErrorJson => "JSON de erro da API Gemini",
            InputFormat::ErrorJsonArray => {
                "JSON de erro da API Gemini dentro de um array de um elemento"
            }
            InputFormat::NestedErrorJson => "JSON de erro aninhado na mensagem de outro erro",
            InputFormat::HttpDump => "resposta HTTP completa (curl -i)",
            InputFormat::HtmlPage => "página de erro HTML",
            InputFormat::SseStream => "stream SSE",
            InputFormat::ResponseJson => "JSON de resposta do generateContent",
            InputFormat::PythonSdk => "exceção do python-genai",
            InputFormat::PythonSdkException => "exceção local do SDK Python",
            InputFormat::PythonLegacy => "exceção do google-generativeai / google.api_core",
            InputFormat::PythonResponseRepr => "repr de resposta do python-genai",
            InputFormat::JsSdk => "ApiError do @google/genai",
            InputFormat::JsLegacy => "erro do @google/generative-ai",
            InputFormat::GeminiCli => "erro de API do gemini-cli",
            InputFormat::StatusLine => "linha de status",
            InputFormat::ExchangeRecord => "registro de chamada do gemini-doctor",
        }
    }
}

/// What `read_input` understood.
#[derive(Debug, Clone)]
pub struct ParsedInput {
    /// The recognised shape.
    pub format: InputFormat,
    /// The reconstructed exchange (no key, `backend = "explain"`).
    pub exchange: Exchange,
    /// Client-side exception class, e.g. `ClientError`, `ValidationError`.
    pub sdk_error: Option<String>,
    /// How many levels of nested error JSON were unwrapped.
    pub nesting: usize,
}

impl ParsedInput {
    /// The API error, if the input carried one.
    pub fn error(&self) -> Option<&ApiErrorBody> {
        self.exchange.outcome.api_error()
    }
}

/// The input matched none of the known shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRecognised {
    /// What was tried, for the user.
    pub looked_for: &'static [&'static str],
}

/// The shapes `read_input` understands, for the "not recognised" message.
pub const LOOKED_FOR: &[&str] = &[
    "error JSON: {\"error\": {\"code\", \"message\", \"status\", \"details\"}} (also inside [ ] or nested in a message)",
    "curl -i output: HTTP/1.1 429 … headers, blank line, body (JSON, HTML or SSE)",
    "SSE stream dump: data: {…} lines",
    "generateContent response JSON with promptFeedback.blockReason or finishReason",
    "python-genai: google.genai.errors.ClientError: 429 RESOURCE_EXHAUSTED. {'error': …}",
    "google.api_core.exceptions.InvalidArgument: 400 …",
    "@google/genai: got status: UNAVAILABLE. {…} / ApiError: {\"error\": …}",
    "[GoogleGenerativeAI Error]: Error fetching from <url>: [400 Bad Request] …",
    "gemini-cli: [API Error: … (Status: …)]",
    "a status such as 429 RESOURCE_EXHAUSTED",
    "an exchange record exported by gemini-doctor",
];

impl fmt::Display for NotRecognised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "input not recognised; looked for:")?;
        for l in self.looked_for {
            writeln!(f, "  - {l}")?;
        }
        Ok(())
    }
}

impl std::error::Error for NotRecognised {}

/// Largest input examined; pasted logs beyond this are cut (keeps the reader fast).
pub const MAX_INPUT: usize = 1 << 20;

/// Reads pasted text into an exchange. Pure, total and panic-free.
pub fn read_input(text: &str) -> Result<ParsedInput, NotRecognised> {
    let mut end = text.len().min(MAX_INPUT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let t = text[..end].trim_start_matches('\u{feff}').trim();
    let none = NotRecognised {
        looked_for: LOOKED_FOR,
    };
    if t.is_empty() {
        return Err(none);
    }
    http::http_dump(t)
        .or_else(|| build::whole_json(t))
        .or_else(|| http::sse_dump(t))
        .or_else(|| http::html_page(t))
        .or_else(|| text_forms::parse(t))
        .ok_or(none)
}
