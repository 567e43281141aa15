//! `generateContent` and `streamGenerateContent`: validation, limits, load, faults,
//! then the planned answer as one body or as framed stream events.

use super::catalogue::ModelEntry;
use super::errors;
use super::faults::Fault;
use super::generate::{self, PlanInput};
use super::models::typed;
use super::render;
use super::routes::{Caller, Out, err, out};
use super::schema::GENERATE_CONTENT_REQUEST;
use super::stream::{self, JSON, Piece, SSE};
use super::{Shared, semantics, validate};
use crate::gemini::wire::GenerateContentRequest;
use crate::gemini::{ApiErrorBody, ApiVersion};
use axum::http::request::Parts;
use std::sync::Arc;

pub(super) struct Call<'a> {
    pub(super) shared: &'a Arc<Shared>,
    pub(super) parts: &'a Parts,
    pub(super) query: &'a [(String, String)],
    pub(super) version: ApiVersion,
    pub(super) entry: &'static ModelEntry,
    pub(super) who: &'a Caller,
    pub(super) stream: bool,
}

/// Validation, limits, load and faults of generate/stream; `Ok` carries the request.
fn admit(c: &Call<'_>, bytes: &[u8]) -> Result<(GenerateContentRequest, u64), Box<Out>> {
    let bad = |e: ApiErrorBody, note: &str| Box::new(out(err(e), note.to_string()));
    let mut v = validate::parse_json(bytes).map_err(|e| bad(e, "malformed json"))?;
    let v1_beta = c.shared.config().v1_has_beta_fields;
    validate::check_fields(&GENERATE_CONTENT_REQUEST, &mut v, c.version, v1_beta)
        .map_err(|e| bad(e, "invalid fields"))?;
    let req: GenerateContentRequest = typed(v).map_err(|e| bad(e, "invalid"))?;
    semantics::check_semantics(&req).map_err(|e| bad(e, "invalid"))?;
    semantics::check_thought_signatures(&req.contents, c.entry)
        .map_err(|e| bad(e, "thought signature"))?;
    if let Some(gc) = &req.generation_config {
        semantics::check_ranges(gc, c.entry).map_err(|e| bad(e, "out of range"))?;
    }
    let cfg = c.shared.config();
    if let Some(id) = semantics::missing_file(&req.contents, &cfg.files) {
        return Err(bad(errors::file_not_found(id), "missing file"));
    }
    let ptoks = semantics::prompt_tokens(&req);
    semantics::check_input_tokens(ptoks, c.entry).map_err(|e| bad(e, "too many tokens"))?;
    if let Some(secs) = c
        .parts
        .headers
        .get("x-server-timeout")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        if secs < 10 {
            return Err(bad(errors::deadline_too_short(secs), "deadline floor"));
        }
        let p = &cfg.processing;
        let simulated_ms = p.base_ms + ptoks * p.us_per_token / 1000;
        if simulated_ms > secs * 1000 {
            return Err(bad(errors::deadline_exceeded(), "deadline"));
        }
    }
    if cfg.limits.enabled {
        let limits = cfg
            .limits
            .effective(c.entry.wire.id(), c.entry.sandbox.free_tier);
        let now = c.shared.clock.now();
        c.shared
            .limiter
            .lock()
            .expect("limiter lock")
            .admit(c.who.identity(), c.entry.wire.id(), limits, ptoks, now)
            .map_err(|e| bad(e, "rate limited"))?;
    }
    Ok((req, ptoks))
}

/// A simulated-load failure: (status, mid-stream?).
fn load_failure(c: &Call<'_>) -> Option<(u16, bool)> {
    let l = c.shared.config().load;
    let r = c.shared.next_f64();
    let code = if r < l.p_internal {
        500
    } else if r < l.p_internal + l.p_unavailable {
        503
    } else if r < l.p_internal + l.p_unavailable + l.p_deadline {
        504
    } else {
        return None;
    };
    let mid = c.stream && c.shared.next_f64() < l.mid_stream;
    Some((code, mid))
}

pub(super) fn generate(c: Call<'_>, bytes: &[u8]) -> Out {
    let (req, ptoks) = match admit(&c, bytes) {
        Ok(x) => x,
        Err(o) => return *o,
    };
    let model_id = c.entry.wire.id();
    let mut note = String::new();
    let mut fault = c
        .shared
        .faults
        .lock()
        .expect("fault lock")
        .take(true, c.stream);
    if fault.is_some() {
        note = "armed fault".into();
    }
    if fault.is_none()
        && let Some((code, mid)) = load_failure(&c)
    {
        if !mid {
            return out(err(errors::for_status(code, model_id)), "load");
        }
        fault = Some(Fault::StreamError {
            code,
            after_chunks: 1,
        });
        note = "load, mid-stream".into();
    }
    // Markers count in the latest turn only, so one in the history does not fire forever.
    let last_turn = req
        .contents
        .last()
        .map(|ct| ct.visible_text())
        .unwrap_or_default();
    if fault.is_none() {
        let cfg = c.shared.config();
        fault = cfg
            .triggers
            .iter()
            .find(|t| !t.term.is_empty() && last_turn.contains(&t.term))
            .map(|t| t.fault.clone());
        if fault.is_some() {
            note = "prompt marker".into();
        }
    }
    match &fault {
        Some(Fault::Status { code }) => return out(err(errors::for_status(*code, model_id)), note),
        Some(Fault::Html502) => return out(stream::html_502(), note),
        _ => {}
    }
    let (content_fault, transport) = match fault {
        Some(f) if f.is_content() => (Some(f), None),
        other => (None, other),
    };
    let plan = generate::plan(
        &req,
        PlanInput {
            model: c.entry,
            prompt_text: &last_turn,
            prompt_tokens: ptoks,
            fault: content_fault,
            fallback_seed: c.shared.next_random(),
        },
    );
    if let Some(f) = &transport {
        note = format!("{note}: {}", fault_name(f));
    }
    let cfg = c.shared.config();
    if !c.stream {
        let body = render::pretty(&render::wire(&render::render_full(&plan)));
        let resp = match transport {
            Some(Fault::Drop { .. }) => {
                let half: String = body.chars().take(body.chars().count() / 2).collect();
                let pause = Piece::Pause(cfg.stream.error_pause_ms);
                stream::piecewise(c.shared, JSON, vec![Piece::Data(half), pause, Piece::Fail])
            }
            Some(Fault::Stall { .. }) => stream::piecewise(c.shared, JSON, vec![Piece::Stall]),
            _ => stream::fixed(200, JSON, body),
        };
        return out(resp, note);
    }
    let sse = c.query.iter().any(|(k, v)| k == "alt" && v == "sse");
    let events = render::render_stream(&plan, cfg.stream.chunks);
    let pieces = stream_pieces(&events, sse, transport.as_ref(), &cfg.stream, model_id);
    let ct = if sse { SSE } else { JSON };
    out(stream::piecewise(c.shared, ct, pieces), note)
}

fn fault_name(f: &Fault) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default()
}

/// Frames stream events (SSE or JSON array) and splices in a transport fault.
fn stream_pieces(
    events: &[crate::gemini::wire::GenerateContentResponse],
    sse: bool,
    fault: Option<&Fault>,
    sc: &super::config::StreamConfig,
    model: &str,
) -> Vec<Piece> {
    let frame = |i: usize, e: &crate::gemini::wire::GenerateContentResponse| {
        if sse {
            format!("data: {}\r\n\r\n", render::sse_json(&render::wire(e)))
        } else {
            let body = serde_json::to_string_pretty(&render::wire(e)).expect("serialises");
            if i == 0 {
                format!("[{body}")
            } else {
                format!(",\r\n{body}")
            }
        }
    };
    let cut = |after: usize| after.min(events.len().saturating_sub(1));
    let upto = match fault {
        Some(
            Fault::StreamError { after_chunks, .. }
            | Fault::Drop { after_chunks }
            | Fault::Stall { after_chunks }
            | Fault::MalformedChunk { after_chunks },
        ) => cut(*after_chunks),
        _ => events.len(),
    };
    let mut pieces = Vec::new();
    for (i, e) in events.iter().take(upto).enumerate() {
        if i > 0 && sc.chunk_delay_ms > 0 {
            pieces.push(Piece::Pause(sc.chunk_delay_ms));
        }
        pieces.push(Piece::Data(frame(i, e)));
    }
    match fault {
        Some(Fault::StreamError { code, .. }) => {
            let e = errors::for_status(*code, model).to_wire_pretty();
            pieces.push(Piece::Pause(sc.error_pause_ms));
            pieces.push(Piece::Data(if sse {
                e
            } else if upto == 0 {
                format!("[{e}]")
            } else {
                format!(",\r\n{e}]")
            }));
        }
        Some(Fault::Drop { .. }) => {
            // Let the events already written reach the client before the abort.
            pieces.push(Piece::Pause(sc.error_pause_ms));
            pieces.push(Piece::Fail);
        }
        Some(Fault::Stall { .. }) => pieces.push(Piece::Stall),
        Some(Fault::MalformedChunk { .. }) => pieces.push(Piece::Data(if sse {
            "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"[sandbox] trunc\r\n\r\n"
                .into()
        } else {
            ",\r\n{\n  \"candidates\": [\n    {\n      \"content\": {\n".into()
        })),
        _ => {
            if !sse {
                pieces.push(Piece::Data(if events.is_empty() { "[]" } else { "]" }.into()));
            }
        }
    }
    pieces
}
