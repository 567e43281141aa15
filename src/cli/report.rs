//! Plain-text rendering of exchanges for the terminal: a one-line summary and an
//! error report with the server's details. Never a Rust debug dump.

use crate::gemini::api_error::{ApiErrorBody, ErrorBodyKind, ErrorDetail};
use crate::gemini::client::human_duration;
use crate::gemini::exchange::{Exchange, Outcome, OutcomeClass};
use std::fmt::Write;
use std::time::Duration;

/// `✓ 200 OK · ttfb 210 ms · total 1.2 s · 12 in / 48 out tokens · STOP · gemini-2.5-flash v1beta (sandbox)`.
pub fn summary_line(ex: &Exchange) -> String {
    let mark = match ex.outcome.class() {
        OutcomeClass::Ok => "✓",
        OutcomeClass::Degraded => "!",
        _ => "✗",
    };
    let mut parts = vec![];
    let status = match &ex.response {
        Some(r) => format!("{} {}", r.status, r.reason),
        None => "no response".into(),
    };
    parts.push(format!("{mark} {status}"));
    if !matches!(ex.outcome, Outcome::Success) {
        parts.push(ex.outcome.short_label());
    }
    if let Some(t) = ex.timings.first_byte_ms {
        parts.push(format!("ttfb {}", ms(t)));
    }
    if let Some(t) = ex.timings.total_ms {
        parts.push(format!("total {}", ms(t)));
    }
    if let Some(u) = ex.usage() {
        let mut tok = format!(
            "{} in / {} out tokens",
            u.prompt_token_count.unwrap_or(0),
            u.candidates_token_count.unwrap_or(0)
        );
        if let Some(t) = u.thoughts_token_count {
            let _ = write!(tok, " (+{t} thinking)");
        }
        parts.push(tok);
    }
    if let Some(f) = ex.finish_reason() {
        parts.push(f.to_string());
    }
    let model = ex.model.as_deref().unwrap_or("-");
    parts.push(format!("{model} {} ({})", ex.api_version, ex.backend));
    parts.join(" · ")
}

fn ms(t: f64) -> String {
    human_duration(Duration::from_secs_f64(t.max(0.0) / 1000.0))
}

/// A multi-line explanation of a failed outcome (empty for success).
pub fn failure_report(ex: &Exchange) -> String {
    let mut out = String::new();
    match &ex.outcome {
        Outcome::ApiError { error, in_stream } => {
            if *in_stream {
                let _ = writeln!(
                    out,
                    "The stream started (HTTP 200) and then the server sent an error:"
                );
            }
            out.push_str(&api_error_report(error));
        }
        Outcome::NonJsonError {
            status,
            body_kind,
            snippet,
        } => {
            let what = match body_kind {
                ErrorBodyKind::Html { title } => format!(
                    "an HTML page{} — usually a proxy or load balancer, not the Gemini API",
                    title
                        .as_ref()
                        .map(|t| format!(" titled {t:?}"))
                        .unwrap_or_default()
                ),
                ErrorBodyKind::Empty => "an empty body".into(),
                ErrorBodyKind::OtherJson => "JSON that is not a Google API error".into(),
                _ => "plain text, not a Google API error".into(),
            };
            let _ = writeln!(out, "HTTP {status} with {what}.");
            if !snippet.trim().is_empty() {
                let _ = writeln!(
                    out,
                    "  body: {}",
                    snippet.trim().replace('\n', "\n        ")
                );
            }
        }
        Outcome::Transport { kind, message } => {
            let _ = writeln!(out, "Transport failure ({}): {message}", kind.label());
        }
        Outcome::StreamInterrupted {
            kind,
            events_received,
            message,
        } => {
            let _ = writeln!(
                out,
                "The stream broke after {events_received} event(s) ({}): {message}. The text that arrived is kept.",
                kind.label()
            );
        }
        Outcome::Malformed { message } => {
            let _ = writeln!(out, "Malformed response: {message}");
        }
        Outcome::PromptBlocked { reason } => {
            let _ = writeln!(
                out,
                "The prompt was blocked (promptFeedback.blockReason = {reason}); no candidates were returned."
            );
        }
        Outcome::StoppedEarly { reason, empty } => {
            let tail = if *empty {
                " with no visible text"
            } else {
                "; the partial output is above"
            };
            let _ = writeln!(
                out,
                "Generation stopped early: finishReason {reason}{tail}."
            );
            if let Some(u) = ex.usage()
                && let Some(t) = u.thoughts_token_count
            {
                let _ = writeln!(out, "  thinking used {t} tokens");
            }
        }
        Outcome::EmptyResponse => {
            let _ = writeln!(
                out,
                "HTTP 200 but the candidate has no text (finishReason STOP, no parts)."
            );
        }
        Outcome::Cancelled => {
            let _ = writeln!(out, "Cancelled.");
        }
        Outcome::Success | Outcome::InFlight => {}
    }
    out
}

/// The envelope with each typed detail on its own line.
pub fn api_error_report(e: &ApiErrorBody) -> String {
    let mut out = format!("HTTP {} {}\n", e.code, e.status);
    for line in e.message.lines() {
        let _ = writeln!(out, "  {line}");
    }
    for d in &e.details {
        match d {
            ErrorDetail::ErrorInfo {
                reason,
                domain,
                metadata,
            } => {
                let meta: Vec<String> = metadata.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let _ = writeln!(out, "  reason: {reason} ({domain}) {}", meta.join(" "));
            }
            ErrorDetail::RetryInfo { retry_delay } => {
                let _ = writeln!(out, "  retry after: {retry_delay}");
            }
            ErrorDetail::QuotaFailure { violations } => {
                for v in violations {
                    let dims: Vec<String> = v
                        .quota_dimensions
                        .iter()
                        .map(|(k, x)| format!("{k}={x}"))
                        .collect();
                    let _ = writeln!(
                        out,
                        "  quota: {} ({}) limit {} {}",
                        v.quota_metric,
                        v.quota_id,
                        v.quota_value.as_deref().unwrap_or("?"),
                        dims.join(" ")
                    );
                }
            }
            ErrorDetail::BadRequest { field_violations } => {
                for f in field_violations {
                    let _ = writeln!(
                        out,
                        "  field {}: {}",
                        f.field.as_deref().unwrap_or("(top level)"),
                        f.description
                    );
                }
            }
            ErrorDetail::Help { links } => {
                for l in links {
                    let _ = writeln!(out, "  help: {} — {}", l.description, l.url);
                }
            }
            ErrorDetail::LocalizedMessage { .. } => {}
            ErrorDetail::DebugInfo { detail, .. } => {
                let _ = writeln!(out, "  debug: {detail}");
            }
            ErrorDetail::Other(v) => {
                let _ = writeln!(out, "  {}: {v}", d.type_name());
            }
        }
    }
    out
}
