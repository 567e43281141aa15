//! HTTP-level inputs: `curl -i` dumps, SSE stream dumps and bare HTML pages.

use super::build::{
    error_exchange, exchange, from_error_value, response_exchange, response_from_value,
    unwrap_nested,
};
use super::scan::parse_lenient;
use super::{InputFormat, ParsedInput};
use crate::gemini::api_error::{
    ErrorBodyKind, classify_error_body, envelope_from_value, html_title,
};
use crate::gemini::exchange::{RecordedResponse, StreamEvent};
use crate::gemini::sse::{SseItem, decode_all};
use crate::gemini::wire::GenerateContentResponse;
use crate::gemini::{Outcome, TransportKind};
use serde_json::Value;

/// `HTTP/1.1 429 Too Many Requests` (optionally prefixed by `< ` as in `curl -v`).
fn status_line(line: &str) -> Option<(u16, String)> {
    let l = line.trim().trim_start_matches("< ").trim();
    let rest = l.strip_prefix("HTTP/")?;
    let mut parts = rest.splitn(3, ' ');
    let _version = parts.next()?;
    let code: u16 = parts.next()?.trim().parse().ok()?;
    (100..600)
        .contains(&code)
        .then(|| (code, parts.next().unwrap_or("").trim().to_string()))
}

/// A `curl -i` (or `-v`) dump: the last status line block wins over `100 Continue`.
pub fn http_dump(t: &str) -> Option<ParsedInput> {
    let lines: Vec<&str> = t.split('\n').collect();
    let start = lines
        .iter()
        .rposition(|l| status_line(l).is_some_and(|(c, _)| c >= 200))?;
    let (status, reason) = status_line(lines[start])?;
    let mut headers = Vec::new();
    let mut i = start + 1;
    while i < lines.len() {
        let l = lines[i].trim_end_matches('\r').trim_start_matches("< ");
        i += 1;
        if l.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let body = lines.get(i..).map(|b| b.join("\n")).unwrap_or_default();
    let response = RecordedResponse {
        status,
        reason,
        headers,
    };
    let ctype = response.header("content-type").map(str::to_ascii_lowercase);
    let mut parsed = if status >= 400 {
        error_body(status, ctype.as_deref(), &body)
    } else if ctype.as_deref().is_some_and(|c| c.contains("event-stream"))
        || body.trim_start().starts_with("data:")
    {
        sse_body(&body)
    } else {
        let v = serde_json::from_str::<Value>(body.trim()).ok();
        let resp = v.as_ref().and_then(response_from_value);
        let err = v
            .as_ref()
            .and_then(|v| from_error_value(v, InputFormat::HttpDump, Some(status), false));
        match (resp, err) {
            (_, Some(p)) => p,
            (Some(r), None) => ParsedInput {
                format: InputFormat::HttpDump,
                exchange: response_exchange(r),
                sdk_error: None,
                nesting: 0,
            },
            (None, None) => ParsedInput {
                format: InputFormat::HttpDump,
                exchange: exchange(Outcome::Malformed {
                    message: format!("HTTP {status} with a body that is not a Gemini response"),
                }),
                sdk_error: None,
                nesting: 0,
            },
        }
    };
    parsed.format = InputFormat::HttpDump;
    parsed.exchange.response = Some(response);
    parsed.exchange.body = Some(body.chars().take(4096).collect());
    Some(parsed)
}

fn error_body(status: u16, ctype: Option<&str>, body: &str) -> ParsedInput {
    let (exchange, nesting) = match classify_error_body(ctype, body.trim().as_bytes()) {
        ErrorBodyKind::Envelope { error, .. } => {
            let (error, n) = unwrap_nested(error);
            (error_exchange(error, Some(status), false), n)
        }
        kind => (
            exchange(Outcome::NonJsonError {
                status,
                body_kind: kind,
                snippet: body.trim().chars().take(300).collect(),
            }),
            0,
        ),
    };
    ParsedInput {
        format: InputFormat::HttpDump,
        exchange,
        sdk_error: None,
        nesting,
    }
}

/// Decodes an SSE body: chunks are merged; an error object ends the stream.
fn sse_body(body: &str) -> ParsedInput {
    let mut acc = GenerateContentResponse::default();
    let mut events = Vec::new();
    let mut error = None;
    let mut chunks = 0usize;
    let mut bad = None;
    for item in decode_all(body.as_bytes()) {
        let (data, raw) = match item {
            SseItem::Data(d) => (d, false),
            SseItem::Raw(r) => (r, true),
        };
        events.push(StreamEvent {
            at_ms: 0.0,
            data: data.clone(),
            raw,
        });
        let d = data.trim();
        if d.is_empty() || d == "[DONE]" {
            continue;
        }
        let Some(v) = parse_lenient(d) else {
            bad.get_or_insert_with(|| d.chars().take(120).collect::<String>());
            continue;
        };
        if let Some((e, _)) = envelope_from_value(&v) {
            error = Some(unwrap_nested(e).0);
            break;
        }
        match serde_json::from_value::<GenerateContentResponse>(v) {
            Ok(c) => {
                acc.merge_chunk(c);
                chunks += 1;
            }
            Err(e) => {
                bad.get_or_insert_with(|| e.to_string());
            }
        }
    }
    let mut ex = match error {
        Some(e) => {
            let mut ex = error_exchange(e, Some(200), true);
            ex.result = (chunks > 0).then_some(acc);
            ex
        }
        None => {
            let finished = acc.finish_reason().is_some() || acc.block_reason().is_some();
            let outcome = match (&bad, finished) {
                (Some(b), _) if chunks == 0 => Outcome::Malformed {
                    message: format!("stream event is not valid JSON: {b}"),
                },
                (_, true) => Outcome::of_response(&acc),
                (_, false) => Outcome::StreamInterrupted {
                    kind: TransportKind::Other,
                    events_received: chunks,
                    message: "the stream ended without a finish reason".into(),
                },
            };
            let mut ex = exchange(outcome);
            ex.result = Some(acc);
            ex
        }
    };
    ex.response = Some(RecordedResponse {
        status: 200,
        reason: "OK".into(),
        headers: Vec::new(),
    });
    ex.events = events;
    ParsedInput {
        format: InputFormat::SseStream,
        exchange: ex,
        sdk_error: None,
        nesting: 0,
    }
}

/// A pasted SSE stream (`data: …` lines), without HTTP headers.
pub fn sse_dump(t: &str) -> Option<ParsedInput> {
    if !t.lines().any(|l| l.trim_start().starts_with("data:")) {
        return None;
    }
    let p = sse_body(t);
    // Only claim it if something in it made sense.
    let useful = !matches!(p.exchange.outcome, Outcome::Malformed { .. })
        || t.trim_start().starts_with("data:");
    useful.then_some(p)
}

/// A bare HTML error page (from a proxy); the status comes from its title when present.
pub fn html_page(t: &str) -> Option<ParsedInput> {
    let lower = t.get(..t.len().min(200))?.to_ascii_lowercase();
    if !(lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.starts_with("<head"))
    {
        return None;
    }
    let title = html_title(t);
    let status = title
        .as_deref()
        .and_then(|s| s.split_whitespace().find_map(|w| w.parse::<u16>().ok()))
        .filter(|c| (400..600).contains(c))
        .unwrap_or(502);
    let mut ex = exchange(Outcome::NonJsonError {
        status,
        body_kind: ErrorBodyKind::Html { title },
        snippet: t.chars().take(300).collect(),
    });
    ex.response = Some(RecordedResponse {
        status,
        ..Default::default()
    });
    Some(ParsedInput {
        format: InputFormat::HtmlPage,
        exchange: ex,
        sdk_error: None,
        nesting: 0,
    })
}
