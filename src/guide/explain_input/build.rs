//! Turning recognised pieces (an error body, a response) into an `Exchange`.

use super::scan::{find_error_object, parse_lenient};
use super::{InputFormat, ParsedInput};
use crate::gemini::api_error::envelope_from_value;
use crate::gemini::exchange::{RecordedRequest, RecordedResponse};
use crate::gemini::wire::GenerateContentResponse;
use crate::gemini::{ApiErrorBody, ApiVersion, Exchange, Outcome};
use crate::guide::facts::canonical_status;
use serde_json::Value;

/// How deep nested error JSON is unwrapped (gemini-cli goes to 10 as well).
pub const MAX_NESTING: usize = 10;

/// A blank exchange with this outcome.
pub fn exchange(outcome: Outcome) -> Exchange {
    Exchange {
        id: "explain".into(),
        backend: "explain".into(),
        outcome,
        ..Default::default()
    }
}

/// An exchange for an API error; `http` is the status the response carried, if known.
pub fn error_exchange(mut error: ApiErrorBody, http: Option<u16>, in_stream: bool) -> Exchange {
    normalise(&mut error);
    let status = http.or_else(|| {
        u16::try_from(error.code)
            .ok()
            .filter(|c| (100..600).contains(c))
    });
    let mut ex = exchange(Outcome::ApiError { error, in_stream });
    ex.response = status.map(|s| RecordedResponse {
        status: s,
        ..Default::default()
    });
    ex
}

/// Replaces a reason phrase in `status` (the JS fallback puts "Service Unavailable" there)
/// with the google.rpc name for the code.
pub fn normalise(e: &mut ApiErrorBody) {
    let is_enum =
        !e.status.is_empty() && e.status.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    if !is_enum && let Some(s) = u16::try_from(e.code).ok().and_then(canonical_status) {
        e.status = s.to_string();
    }
}

/// Unwraps errors nested as (escaped) JSON inside `message`, up to [`MAX_NESTING`] levels.
pub fn unwrap_nested(mut e: ApiErrorBody) -> (ApiErrorBody, usize) {
    let mut levels = 0;
    while levels < MAX_NESTING {
        let msg = e.message.trim();
        let inner = parse_lenient(msg)
            .and_then(|v| envelope_from_value(&v))
            .or_else(|| find_error_object(msg).and_then(|(v, _)| envelope_from_value(&v)));
        let Some((mut inner, _)) = inner else { break };
        if inner.code == 0 {
            inner.code = e.code;
        }
        e = inner;
        levels += 1;
    }
    (e, levels)
}

/// A parsed envelope value → the parsed input (handles arrays and nesting).
pub fn from_error_value(
    v: &Value,
    format: InputFormat,
    http: Option<u16>,
    in_stream: bool,
) -> Option<ParsedInput> {
    let (error, in_array) = envelope_from_value(v)?;
    let (error, nesting) = unwrap_nested(error);
    let format = match format {
        InputFormat::ErrorJson if nesting > 0 => InputFormat::NestedErrorJson,
        InputFormat::ErrorJson if in_array => InputFormat::ErrorJsonArray,
        f => f,
    };
    Some(ParsedInput {
        format,
        exchange: error_exchange(error, http, in_stream),
        sdk_error: None,
        nesting,
    })
}

/// A response exchange (HTTP 200).
pub fn response_exchange(r: GenerateContentResponse) -> Exchange {
    let mut ex = exchange(Outcome::of_response(&r));
    ex.response = Some(RecordedResponse {
        status: 200,
        reason: "OK".into(),
        headers: Vec::new(),
    });
    ex.result = Some(r);
    ex
}

/// Records the request URL and what it tells (version, model).
pub fn set_url(ex: &mut Exchange, url: &str) {
    ex.request = RecordedRequest {
        method: "POST".into(),
        url: strip_key(url),
        ..Default::default()
    };
    for v in [ApiVersion::V1Beta, ApiVersion::V1] {
        if url.contains(&format!("/{}/", v.as_str())) {
            ex.api_version = v;
            break;
        }
    }
    if let Some(rest) = url.split("/models/").nth(1) {
        let id: String = rest
            .chars()
            .take_while(|c| !matches!(c, ':' | '?' | '/' | ' '))
            .collect();
        if !id.is_empty() {
            ex.model = Some(id);
        }
    }
}

/// Drops a `key=` query parameter: pasted URLs sometimes carry the key.
fn strip_key(url: &str) -> String {
    match url.split_once('?') {
        Some((base, q)) => {
            let kept: Vec<&str> = q.split('&').filter(|p| !p.starts_with("key=")).collect();
            if kept.is_empty() {
                base.to_string()
            } else {
                format!("{base}?{}", kept.join("&"))
            }
        }
        None => url.to_string(),
    }
}

/// The whole input is one JSON value: an error, a response, or an array of chunks.
pub fn whole_json(t: &str) -> Option<ParsedInput> {
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    let v: Value = serde_json::from_str(t).ok()?;
    if v.get("outcome").is_some()
        && v.get("request").is_some()
        && let Ok(exchange) = serde_json::from_value::<Exchange>(v.clone())
    {
        return Some(ParsedInput {
            format: InputFormat::ExchangeRecord,
            exchange,
            sdk_error: None,
            nesting: 0,
        });
    }
    if let Some(p) = from_error_value(&v, InputFormat::ErrorJson, None, false) {
        return Some(p);
    }
    response_from_value(&v).map(|r| ParsedInput {
        format: InputFormat::ResponseJson,
        exchange: response_exchange(r),
        sdk_error: None,
        nesting: 0,
    })
}

/// A response object, or an array of stream chunks merged.
pub fn response_from_value(v: &Value) -> Option<GenerateContentResponse> {
    let looks = |o: &Value| {
        o.get("candidates").is_some()
            || o.get("promptFeedback").is_some()
            || o.get("prompt_feedback").is_some()
    };
    match v {
        Value::Object(_) if looks(v) => serde_json::from_value(v.clone()).ok(),
        Value::Array(items) if !items.is_empty() && items.iter().all(looks) => {
            let mut acc = GenerateContentResponse::default();
            for i in items {
                acc.merge_chunk(serde_json::from_value(i.clone()).ok()?);
            }
            Some(acc)
        }
        _ => None,
    }
}
