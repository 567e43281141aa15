//! The Exchange: a complete, key-free record of one API call and how it ended.
//!
//! Everything else in the program reads Exchanges: the diagnosis engine, the log,
//! the inspector, the history and `explain`.

use super::api_error::{ApiErrorBody, ErrorBodyKind};
use super::wire::{ApiVersion, BlockReason, FinishReason, GenerateContentResponse, UsageMetadata};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which API method a call used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Operation {
    /// `models/{m}:generateContent`.
    GenerateContent,
    /// `models/{m}:streamGenerateContent?alt=sse`.
    StreamGenerateContent,
    /// `models/{m}:countTokens`.
    CountTokens,
    /// `models` (one page).
    ListModels,
    /// `models/{m}`.
    GetModel,
}

impl Operation {
    /// The method name as the API spells it (in 404 messages, supportedGenerationMethods).
    pub fn method_name(self) -> &'static str {
        match self {
            Operation::GenerateContent => "generateContent",
            Operation::StreamGenerateContent => "streamGenerateContent",
            Operation::CountTokens => "countTokens",
            Operation::ListModels => "listModels",
            Operation::GetModel => "getModel",
        }
    }

    /// True for the streaming method.
    pub fn is_stream(self) -> bool {
        self == Operation::StreamGenerateContent
    }
}

/// The request as it was sent, with the key removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Full URL; never contains the key.
    pub url: String,
    /// Request headers; `x-goog-api-key` is recorded masked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// JSON body, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// The response status line and headers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RecordedResponse {
    /// HTTP status code.
    pub status: u16,
    /// Reason phrase (canonical for the status).
    #[serde(default)]
    pub reason: String,
    /// Response headers in arrival order.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

impl RecordedResponse {
    /// First header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One SSE event (or raw non-SSE segment) as it arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamEvent {
    /// Milliseconds since the request started.
    pub at_ms: f64,
    /// The event's data payload, or the raw text of a segment outside SSE framing.
    pub data: String,
    /// True for text that arrived outside `data:` framing (a bare error object, garbage).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub raw: bool,
}

/// When things happened, in milliseconds since `started_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Timings {
    /// Response headers arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers_ms: Option<f64>,
    /// First body byte arrived (time to first byte).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_byte_ms: Option<f64>,
    /// The exchange ended (any outcome).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_ms: Option<f64>,
}

/// Why the transport failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    /// Host name did not resolve.
    Dns,
    /// Nothing listens on that port.
    ConnectRefused,
    /// TLS handshake failed (wrong scheme, bad certificate, interception).
    Tls,
    /// No response headers within the timeout.
    TimeoutBeforeHeaders,
    /// Headers arrived, then the body stalled past the timeout.
    TimeoutMidBody,
    /// The peer closed or reset the connection before the body ended.
    ConnectionReset,
    /// The body exceeded the size cap and was cut off.
    BodyTooLarge,
    /// Anything else the HTTP stack reported.
    Other,
}

impl TransportKind {
    /// Short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            TransportKind::Dns => "dns",
            TransportKind::ConnectRefused => "connect refused",
            TransportKind::Tls => "tls",
            TransportKind::TimeoutBeforeHeaders => "timeout (headers)",
            TransportKind::TimeoutMidBody => "timeout (body)",
            TransportKind::ConnectionReset => "connection reset",
            TransportKind::BodyTooLarge => "too large",
            TransportKind::Other => "transport",
        }
    }
}

/// How an exchange ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// Still running (only seen live, never in history).
    #[default]
    InFlight,
    /// HTTP 200, a well-formed answer that finished with STOP (or a non-generate call).
    Success,
    /// HTTP 200 but the prompt was blocked: no candidates.
    PromptBlocked {
        /// `promptFeedback.blockReason`.
        reason: BlockReason,
    },
    /// HTTP 200 but generation stopped for a reason other than STOP; partial output kept in `result`.
    StoppedEarly {
        /// The finish reason.
        reason: FinishReason,
        /// True when the candidate carried no visible text at all.
        empty: bool,
    },
    /// HTTP 200 with STOP but no visible text (the intermittent empty candidate).
    EmptyResponse,
    /// The google.rpc envelope: an HTTP error status, or an error object inside a 200 stream.
    ApiError {
        /// The parsed error.
        error: ApiErrorBody,
        /// True when the error arrived inside a stream that had started with HTTP 200.
        in_stream: bool,
    },
    /// An HTTP error status whose body is not the envelope (proxy page, text, empty).
    NonJsonError {
        /// HTTP status.
        status: u16,
        /// What the body looked like.
        body_kind: ErrorBodyKind,
        /// The first few hundred characters of the body.
        snippet: String,
    },
    /// The connection failed before a complete response.
    Transport {
        /// Classified cause.
        kind: TransportKind,
        /// The HTTP stack's message (key-free).
        message: String,
    },
    /// A 200 stream that broke before its natural end; what arrived is kept.
    StreamInterrupted {
        /// Classified cause.
        kind: TransportKind,
        /// Events that arrived before the break.
        events_received: usize,
        /// The HTTP stack's message.
        message: String,
    },
    /// Cancelled by the user.
    Cancelled,
    /// A 200 whose body could not be understood.
    Malformed {
        /// What was wrong.
        message: String,
    },
}

/// Coarse classes of outcome, used for colours, filters and exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeClass {
    /// Still running.
    #[default]
    InFlight,
    /// Worked.
    Ok,
    /// HTTP 200 but the user did not get a full answer.
    Degraded,
    /// The API answered with an error.
    ApiError,
    /// Network, proxy or parsing trouble.
    Transport,
    /// The user cancelled.
    Cancelled,
}

impl Outcome {
    /// The coarse class.
    pub fn class(&self) -> OutcomeClass {
        match self {
            Outcome::InFlight => OutcomeClass::InFlight,
            Outcome::Success => OutcomeClass::Ok,
            Outcome::PromptBlocked { .. }
            | Outcome::StoppedEarly { .. }
            | Outcome::EmptyResponse => OutcomeClass::Degraded,
            Outcome::ApiError { .. } | Outcome::NonJsonError { .. } => OutcomeClass::ApiError,
            Outcome::Transport { .. }
            | Outcome::StreamInterrupted { .. }
            | Outcome::Malformed { .. } => OutcomeClass::Transport,
            Outcome::Cancelled => OutcomeClass::Cancelled,
        }
    }

    /// True for anything but success and in-flight.
    pub fn is_failure(&self) -> bool {
        !matches!(self.class(), OutcomeClass::Ok | OutcomeClass::InFlight)
    }

    /// A short label for a table cell, e.g. `429 RESOURCE_EXHAUSTED`, `blocked: SAFETY`.
    pub fn short_label(&self) -> String {
        match self {
            Outcome::InFlight => "…".into(),
            Outcome::Success => "OK".into(),
            Outcome::PromptBlocked { reason } => format!("blocked {reason}"),
            Outcome::StoppedEarly { reason, .. } => format!("stopped {reason}"),
            Outcome::EmptyResponse => "empty".into(),
            Outcome::ApiError { error, in_stream } => {
                let mid = if *in_stream { " (mid-stream)" } else { "" };
                format!("{} {}{mid}", error.code, error.status)
            }
            Outcome::NonJsonError { status, .. } => format!("{status} non-JSON"),
            Outcome::Transport { kind, .. } => kind.label().to_string(),
            Outcome::StreamInterrupted { kind, .. } => format!("cut: {}", kind.label()),
            Outcome::Cancelled => "cancelled".into(),
            Outcome::Malformed { .. } => "malformed".into(),
        }
    }

    /// How a well-formed HTTP 200 generate response ended (the single classifier used by
    /// the client and by `explain`).
    pub fn of_response(resp: &GenerateContentResponse) -> Outcome {
        if let Some(reason) = resp.block_reason() {
            return Outcome::PromptBlocked {
                reason: reason.clone(),
            };
        }
        let Some(cand) = resp.first_candidate() else {
            return Outcome::Malformed {
                message: "the response has neither candidates nor promptFeedback.blockReason"
                    .into(),
            };
        };
        // Function calls and other non-text parts are output too; thoughts are not.
        let has_output = cand.content.as_ref().is_some_and(|c| {
            c.parts.iter().any(|p| {
                (p.thought != Some(true) && p.text.as_deref().is_some_and(|t| !t.trim().is_empty()))
                    || p.function_call.is_some()
                    || !p.extra.is_empty()
            })
        });
        match &cand.finish_reason {
            Some(FinishReason::Stop) | None if has_output => Outcome::Success,
            Some(FinishReason::Stop) | None => Outcome::EmptyResponse,
            Some(reason) => Outcome::StoppedEarly {
                reason: reason.clone(),
                empty: !has_output,
            },
        }
    }

    /// The API error, if this outcome carries one.
    pub fn api_error(&self) -> Option<&ApiErrorBody> {
        match self {
            Outcome::ApiError { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// One call to the API, start to end. Contains no API key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Exchange {
    /// Unique id (time-ordered).
    pub id: String,
    /// Wall-clock start, RFC 3339 UTC.
    pub started_at: String,
    /// Which backend answered: `sandbox`, `live` or `custom`.
    #[serde(default)]
    pub backend: String,
    /// API method.
    pub operation: Option<Operation>,
    /// API version used.
    #[serde(default)]
    pub api_version: ApiVersion,
    /// Model id as typed by the user (without `models/`), when the call names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Timeout that applied, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// What was sent.
    pub request: RecordedRequest,
    /// Status line and headers, once they arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<RecordedResponse>,
    /// Timings.
    #[serde(default)]
    pub timings: Timings,
    /// The raw body of a non-streaming response (or of a stream's error response), lossily UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Bytes received in the body.
    #[serde(default)]
    pub body_bytes: u64,
    /// Stream events, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<StreamEvent>,
    /// The parsed (and, for streams, merged) generate response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<GenerateContentResponse>,
    /// Parsed non-generate result (count, model, model list), kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_json: Option<Value>,
    /// How it ended.
    pub outcome: Outcome,
}

impl Exchange {
    /// Usage of the generate result.
    pub fn usage(&self) -> Option<&UsageMetadata> {
        self.result.as_ref()?.usage_metadata.as_ref()
    }

    /// Visible text received so far.
    pub fn text(&self) -> String {
        self.result
            .as_ref()
            .map(GenerateContentResponse::text)
            .unwrap_or_default()
    }

    /// HTTP status, if headers arrived.
    pub fn status(&self) -> Option<u16> {
        self.response.as_ref().map(|r| r.status)
    }

    /// The finish reason of the first candidate.
    pub fn finish_reason(&self) -> Option<&FinishReason> {
        self.result.as_ref()?.finish_reason()
    }

    /// The request's generation config, if the body had one.
    pub fn generation_config(&self) -> Option<&Value> {
        self.request.body.as_ref()?.get("generationConfig")
    }
}
