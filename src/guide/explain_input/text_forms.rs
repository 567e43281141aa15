//! Error renderings of the SDKs and CLIs (see the reference §4.4), tried in order from
//! the most distinctive marker to the least.

use super::build::{
    error_exchange, exchange, from_error_value, response_exchange, set_url, unwrap_nested,
};
use super::scan::{balanced, find_error_object, parse_lenient};
use super::{InputFormat, ParsedInput};
use crate::gemini::api_error::ErrorDetail;
use crate::gemini::wire::{
    BlockReason, Candidate, FinishReason, GenerateContentResponse, PromptFeedback,
};
use crate::gemini::{ApiErrorBody, Outcome};
use crate::guide::facts::canonical_status;
use serde_json::Value;

/// google.rpc status names and their HTTP codes.
const STATUSES: [(&str, u16); 12] = [
    ("INVALID_ARGUMENT", 400),
    ("FAILED_PRECONDITION", 400),
    ("OUT_OF_RANGE", 400),
    ("UNAUTHENTICATED", 401),
    ("PERMISSION_DENIED", 403),
    ("NOT_FOUND", 404),
    ("RESOURCE_EXHAUSTED", 429),
    ("CANCELLED", 499),
    ("INTERNAL", 500),
    ("UNIMPLEMENTED", 501),
    ("UNAVAILABLE", 503),
    ("DEADLINE_EXCEEDED", 504),
];

fn code_of_status(s: &str) -> Option<u16> {
    STATUSES.iter().find(|(n, _)| *n == s).map(|(_, c)| *c)
}

/// Python exception classes raised without an HTTP exchange.
const PY_LOCAL: [&str; 5] = [
    "UnknownFunctionCallArgumentError",
    "UnsupportedFunctionError",
    "FunctionInvocationError",
    "UnknownApiResponseError",
    "EphemeralTokenAPIKeyError",
];

/// Tries every textual form.
pub fn parse(t: &str) -> Option<ParsedInput> {
    gemini_cli(t)
        .or_else(|| js_legacy(t))
        .or_else(|| js_got_status(t, InputFormat::JsSdk))
        .or_else(|| python_legacy(t))
        .or_else(|| python_genai(t))
        .or_else(|| python_local(t))
        .or_else(|| embedded_json(t))
        .or_else(|| python_response_repr(t))
        .or_else(|| status_only(t))
}

fn digits(s: &str) -> Option<(u16, &str)> {
    let s = s.trim_start();
    let n = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let code = s.get(..n)?.parse().ok()?;
    Some((code, &s[n..]))
}

fn parsed(format: InputFormat, exchange: crate::gemini::Exchange) -> ParsedInput {
    ParsedInput {
        format,
        exchange,
        sdk_error: None,
        nesting: 0,
    }
}

/// `[API Error: got status: …]`, `[API Error: {json}]`, `[API Error: msg (Status: X)]`.
fn gemini_cli(t: &str) -> Option<ParsedInput> {
    let start = t.find("[API Error: ")? + "[API Error: ".len();
    let inner = t[start..].trim_end();
    let inner = inner.rfind(']').map_or(inner, |e| &inner[..e]);
    if let Some(mut p) = js_got_status(inner, InputFormat::GeminiCli) {
        p.format = InputFormat::GeminiCli;
        return Some(p);
    }
    if let Some(mut p) = embedded_json(inner) {
        p.format = InputFormat::GeminiCli;
        p.sdk_error = None;
        return Some(p);
    }
    let (msg, status) = match inner.rfind("(Status: ") {
        Some(i) => {
            let st: String = inner[i + 9..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ' ')
                .collect();
            (inner[..i].trim(), st.trim().to_string())
        }
        None => (inner.trim(), String::new()),
    };
    let code = code_of_status(&status)
        .or_else(|| digits(msg).map(|(c, _)| c))
        .unwrap_or(0);
    let err = ApiErrorBody::new(i64::from(code), &status, msg);
    Some(parsed(
        InputFormat::GeminiCli,
        error_exchange(err, None, false),
    ))
}

/// `got status: UNAVAILABLE. {…}` (in-stream) or `got status: 429 Too Many Requests. {…}`.
fn js_got_status(t: &str, format: InputFormat) -> Option<ParsedInput> {
    let start = t.find("got status: ")? + "got status: ".len();
    let rest = &t[start..];
    let dot = rest.find(". ").or_else(|| rest.find('.'))?;
    let head = rest[..dot].trim();
    let tail = &rest[dot + 1..];
    let (code, status, in_stream) = match digits(head) {
        Some((c, phrase)) if c >= 100 => (Some(c), phrase.trim().to_string(), false),
        _ => (code_of_status(head), head.to_string(), true),
    };
    let mut p = match find_error_object(tail) {
        Some((v, _)) => from_error_value(&v, format, None, in_stream)?,
        None => {
            let err = ApiErrorBody::new(i64::from(code.unwrap_or(0)), &status, tail.trim());
            parsed(format, error_exchange(err, None, in_stream))
        }
    };
    p.format = format;
    if in_stream && let Some(r) = p.exchange.response.as_mut() {
        r.status = 200;
    }
    Some(p)
}

/// `[GoogleGenerativeAI Error]: Error fetching from <url>: [400 Bad Request] msg [details]`.
fn js_legacy(t: &str) -> Option<ParsedInput> {
    let start = t.find("[GoogleGenerativeAI Error]")?;
    let rest = &t[start..];
    if let Some(p) = blocked_due_to(rest) {
        return Some(parsed(InputFormat::JsLegacy, p));
    }
    let after = rest.split_once("Error fetching from ")?.1;
    let (url, tail) = after.split_once(": [")?;
    let (code, tail) = digits(tail)?;
    let close = tail.find(']')?;
    let tail = &tail[close + 1..];
    let (message, details) = match tail.find(" [{") {
        Some(i) => {
            let details = balanced(tail, i + 1)
                .and_then(|d| serde_json::from_str::<Vec<ErrorDetail>>(d).ok())
                .unwrap_or_default();
            (tail[..i].trim(), details)
        }
        None => (tail.trim(), Vec::new()),
    };
    let mut err = ApiErrorBody::new(i64::from(code), "", message);
    err.details = details;
    let (err, nesting) = unwrap_nested(err);
    let mut ex = error_exchange(err, Some(code), false);
    set_url(&mut ex, url.trim());
    Some(ParsedInput {
        format: InputFormat::JsLegacy,
        exchange: ex,
        sdk_error: None,
        nesting,
    })
}

/// Legacy JS SDK: `Candidate was blocked due to SAFETY`, `Response was blocked due to OTHER`.
fn blocked_due_to(t: &str) -> Option<crate::gemini::Exchange> {
    let i = t.find("blocked due to ")?;
    let reason: String = t[i + 15..]
        .chars()
        .take_while(|c| c.is_ascii_uppercase() || *c == '_')
        .collect();
    if reason.is_empty() {
        return None;
    }
    let mut r = GenerateContentResponse::default();
    if t[..i].contains("Candidate") {
        r.candidates = Some(vec![Candidate {
            finish_reason: Some(FinishReason::parse(&reason)),
            ..Default::default()
        }]);
    } else {
        r.prompt_feedback = Some(PromptFeedback {
            block_reason: Some(BlockReason::parse(&reason)),
            safety_ratings: Vec::new(),
        });
    }
    Some(response_exchange(r))
}

/// `google.api_core.exceptions.InvalidArgument: 400 msg [reason: "X" …]`.
fn python_legacy(t: &str) -> Option<ParsedInput> {
    let start = t.find("google.api_core.exceptions.")? + "google.api_core.exceptions.".len();
    let rest = &t[start..];
    let (class, tail) = rest.split_once(": ")?;
    let (code, tail) = digits(tail)?;
    let message = tail
        .find(" [")
        .or_else(|| tail.find("\n["))
        .map_or(tail, |i| &tail[..i])
        .trim();
    let mut err = ApiErrorBody::new(i64::from(code), "", message);
    let quoted = |key: &str| -> Option<String> {
        let i = tail.find(key)? + key.len();
        let s = tail[i..].trim_start().strip_prefix('"')?;
        Some(s[..s.find('"')?].to_string())
    };
    if let Some(reason) = quoted("reason:") {
        err.details.push(ErrorDetail::ErrorInfo {
            reason,
            domain: quoted("domain:").unwrap_or_default(),
            metadata: Default::default(),
        });
    }
    if let Some(quota_id) = quoted("quota_id:") {
        let value = tail
            .split("quota_value:")
            .nth(1)
            .and_then(|v| digits(v).map(|(n, _)| n.to_string()));
        err.details.push(ErrorDetail::QuotaFailure {
            violations: vec![crate::gemini::api_error::QuotaViolation {
                quota_metric: quoted("quota_metric:").unwrap_or_default(),
                quota_id,
                quota_value: value,
                ..Default::default()
            }],
        });
    }
    if let Some(secs) = tail
        .split("retry_delay {")
        .nth(1)
        .and_then(|r| r.split("seconds:").nth(1))
        .and_then(|s| digits(s).map(|(n, _)| n))
    {
        err.details.push(ErrorDetail::RetryInfo {
            retry_delay: format!("{secs}s"),
        });
    }
    if err.status.is_empty() {
        err.status = canonical_status(code).unwrap_or(class.trim()).to_string();
    }
    let mut p = parsed(
        InputFormat::PythonLegacy,
        error_exchange(err, Some(code), false),
    );
    p.sdk_error = Some(class.trim().to_string());
    Some(p)
}

/// `google.genai.errors.ClientError: 429 RESOURCE_EXHAUSTED. {'error': {...}}`.
fn python_genai(t: &str) -> Option<ParsedInput> {
    let (class, pos) = ["ClientError: ", "ServerError: ", "APIError: "]
        .iter()
        .filter_map(|m| t.find(m).map(|i| (m.trim_end_matches(": "), i + m.len())))
        .min_by_key(|(_, i)| *i)?;
    let rest = &t[pos..];
    let (code, tail) = digits(rest)?;
    let (status, tail) = tail
        .trim_start()
        .split_once(". ")
        .unwrap_or((tail.trim(), ""));
    let mut p = match find_error_object(tail) {
        Some((v, _)) => from_error_value(&v, InputFormat::PythonSdk, Some(code), false)?,
        None => non_json_dict(tail, code, status)?,
    };
    p.format = InputFormat::PythonSdk;
    p.sdk_error = Some(class.to_string());
    Some(p)
}

/// `{'message': '<html>…', 'status': 'Bad Gateway'}`: python-genai's form for non-JSON bodies.
fn non_json_dict(tail: &str, code: u16, status: &str) -> Option<ParsedInput> {
    let i = tail.find('{');
    let v = i.and_then(|i| balanced(tail, i)).and_then(parse_lenient);
    let message = v
        .as_ref()
        .and_then(|v| v.get("message"))
        .and_then(Value::as_str)
        .unwrap_or(tail.trim())
        .to_string();
    let lower = message.trim_start().to_ascii_lowercase();
    let ex = if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        let mut ex = exchange(Outcome::NonJsonError {
            status: code,
            body_kind: crate::gemini::api_error::ErrorBodyKind::Html {
                title: crate::gemini::api_error::html_title(&message),
            },
            snippet: message.chars().take(300).collect(),
        });
        ex.response = Some(crate::gemini::exchange::RecordedResponse {
            status: code,
            reason: status.to_string(),
            headers: Vec::new(),
        });
        ex
    } else {
        error_exchange(
            ApiErrorBody::new(i64::from(code), status, message),
            Some(code),
            false,
        )
    };
    Some(parsed(InputFormat::PythonSdk, ex))
}

/// Client-side exceptions: function-calling errors, pydantic, unparseable responses.
fn python_local(t: &str) -> Option<ParsedInput> {
    let class = PY_LOCAL
        .iter()
        .find(|c| t.contains(*c))
        .map(|c| c.to_string())
        .or_else(|| {
            let pydantic = t.contains("ValidationError")
                && (t.contains("pydantic") || t.contains("validation error for"));
            pydantic.then(|| "ValidationError".to_string())
        })?;
    let line = t
        .lines()
        .rev()
        .find(|l| l.contains(class.as_str()))
        .unwrap_or(t)
        .trim();
    let mut p = parsed(InputFormat::PythonSdkException, exchange(Outcome::InFlight));
    p.exchange.body = Some(line.chars().take(500).collect());
    p.sdk_error = Some(class);
    Some(p)
}

/// An error object anywhere in the text (JS ApiError message, logs, SDK reprs).
fn embedded_json(t: &str) -> Option<ParsedInput> {
    let (v, _) = find_error_object(t)?;
    let format = if t.contains("ApiError") {
        InputFormat::JsSdk
    } else {
        InputFormat::ErrorJson
    };
    let mut p = from_error_value(&v, format, None, false)?;
    if format == InputFormat::JsSdk {
        p.format = InputFormat::JsSdk;
        p.sdk_error = Some("ApiError".into());
    }
    Some(p)
}

/// python-genai response reprs: `block_reason=<BlockedReason.OTHER: 'OTHER'>`,
/// `finish_reason=<FinishReason.MAX_TOKENS: 'MAX_TOKENS'>`.
fn python_response_repr(t: &str) -> Option<ParsedInput> {
    let enum_after = |marker: &str| -> Option<String> {
        let i = t.find(marker)? + marker.len();
        let s: String = t[i..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || *c == '_')
            .collect();
        (!s.is_empty()).then_some(s)
    };
    let mut r = GenerateContentResponse::default();
    if let Some(b) = enum_after("BlockedReason.") {
        r.prompt_feedback = Some(PromptFeedback {
            block_reason: Some(BlockReason::parse(&b)),
            safety_ratings: Vec::new(),
        });
    } else {
        let f = enum_after("FinishReason.")?;
        r.candidates = Some(vec![Candidate {
            finish_reason: Some(FinishReason::parse(&f)),
            ..Default::default()
        }]);
    }
    Some(parsed(
        InputFormat::PythonResponseRepr,
        response_exchange(r),
    ))
}

/// A bare status name (`429 RESOURCE_EXHAUSTED`, `Status: UNAVAILABLE`) in free text.
fn status_only(t: &str) -> Option<ParsedInput> {
    let (name, code) = STATUSES.iter().find(|(n, _)| {
        t.match_indices(n).any(|(i, _)| {
            let before = t[..i].chars().next_back();
            let after = t[i + n.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    })?;
    let msg: String = t.chars().take(2000).collect();
    let err = ApiErrorBody::new(i64::from(*code), name, msg.trim());
    Some(parsed(
        InputFormat::StatusLine,
        error_exchange(err, Some(*code), false),
    ))
}
