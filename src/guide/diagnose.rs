//! The diagnosis engine: match the knowledge base against one exchange, rank, and
//! fill each finding with evidence and concrete actions. Pure: no I/O, no clock.

use super::action::Action;
use super::checks::Violation;
use super::context::Context;
use super::evidence::{self, Line, model_suggestion};
use super::facts::Facts;
use super::finding::Finding;
use super::kb::{Entry, Matches, kb};
use super::lang::Lang;
use crate::gemini::{ApiVersion, Exchange, Outcome, TransportKind};
use std::time::Duration;

/// How many findings `diagnose` returns at most; the rest are too weak to help.
pub const MAX_FINDINGS: usize = 6;

/// Explains an exchange: matching knowledge-base entries, best first. Empty for successes.
pub fn diagnose(exchange: &Exchange, ctx: &Context) -> Vec<Finding> {
    // A client-side exception (explain input) has no finished exchange but still needs explaining.
    if matches!(exchange.outcome, Outcome::InFlight | Outcome::Success) && ctx.sdk_error.is_none() {
        return Vec::new();
    }
    let facts = Facts::gather(exchange, ctx);
    let lines = evidence::collect(&facts, ctx);
    let mut scored: Vec<(i32, &Entry)> = kb()
        .entries
        .iter()
        .filter_map(|e| score(&e.matches, &facts, ctx).map(|s| (s + e.priority, e)))
        .collect();
    // Stable sort: equal scores keep the file's order, which lists specific entries first.
    scored.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    scored
        .into_iter()
        .take(MAX_FINDINGS)
        .map(|(_, e)| {
            let own: Vec<&Violation> = facts
                .violations
                .iter()
                .filter(|v| v.entry == e.id)
                .collect();
            let actions = actions_for(e, &facts, ctx, &own);
            finding(e, ctx.lang, evidence_for(e, &lines, ctx.lang), actions)
        })
        .collect()
}

/// Builds a finding from an entry in `lang`.
pub(crate) fn finding(
    e: &Entry,
    lang: Lang,
    evidence: Vec<String>,
    actions: Vec<Action>,
) -> Finding {
    let t = e.texts(lang);
    Finding {
        entry_id: e.id.clone(),
        severity: e.severity,
        title: t.title.clone(),
        cause: t.cause.clone(),
        example: t.example.clone(),
        fix: t.fix.clone(),
        doc: e.doc.clone(),
        evidence,
        actions,
    }
}

/// The entry's own group first, borrowed topics after: the most specific facts lead,
/// so a small inspector pane shows them before the generic ones.
fn evidence_for(e: &Entry, lines: &[Line], lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let own = lines.iter().filter(|l| l.topic == e.group());
    let borrowed = lines
        .iter()
        .filter(|l| l.topic != e.group() && e.evidence.iter().any(|t| t == l.topic));
    for l in own.chain(borrowed) {
        if !out.iter().any(|x| x == l.text.get(lang)) {
            out.push(l.text.get(lang).to_string());
        }
    }
    out
}

/// Weighted match: `None` unless every category the entry lists matches.
/// Specific categories weigh more, so `key.invalid` outranks the bare 400 entry.
fn score(m: &Matches, f: &Facts, ctx: &Context) -> Option<i32> {
    if m.is_empty() {
        return None;
    }
    let mut total = 0;
    let mut cat = |listed: bool, hit: bool, weight: i32| -> bool {
        if listed {
            total += weight;
            hit
        } else {
            true
        }
    };
    let eq = |list: &[String], v: Option<&str>| {
        v.is_some_and(|v| list.iter().any(|x| x.eq_ignore_ascii_case(v)))
    };
    let ok = cat(
        !m.http.is_empty(),
        f.http.is_some_and(|c| m.http.contains(&c)),
        1,
    ) && cat(!m.status.is_empty(), eq(&m.status, f.status.as_deref()), 1)
        && cat(
            !m.outcome.is_empty(),
            m.outcome.iter().any(|o| o == f.outcome),
            1,
        )
        && cat(
            !m.detail.is_empty(),
            m.detail.iter().any(|d| f.details.contains(d)),
            2,
        )
        && cat(
            !m.sdk.is_empty(),
            ctx.sdk_error.is_some_and(|s| m.sdk.iter().any(|x| x == s)),
            1,
        )
        && cat(!m.finish.is_empty(), eq(&m.finish, f.finish.as_deref()), 3)
        && cat(!m.block.is_empty(), eq(&m.block, f.block.as_deref()), 3)
        && cat(
            !m.transport.is_empty(),
            f.transport
                .is_some_and(|t| m.transport.iter().any(|x| x == transport_name(t))),
            3,
        )
        && cat(!m.reason.is_empty(), eq(&m.reason, f.reason.as_deref()), 4)
        && cat(
            !m.message.is_empty(),
            m.message.iter().any(|s| f.message_has(s)),
            4,
        )
        && cat(
            !m.signal.is_empty(),
            m.signal.iter().any(|s| f.signals.contains(s.as_str())),
            5,
        );
    ok.then_some(total)
}

/// `TransportKind` as serialised (snake_case).
pub fn transport_name(t: TransportKind) -> &'static str {
    match t {
        TransportKind::Dns => "dns",
        TransportKind::ConnectRefused => "connect_refused",
        TransportKind::Tls => "tls",
        TransportKind::TimeoutBeforeHeaders => "timeout_before_headers",
        TransportKind::TimeoutMidBody => "timeout_mid_body",
        TransportKind::ConnectionReset => "connection_reset",
        TransportKind::BodyTooLarge => "body_too_large",
        TransportKind::Other => "other",
    }
}

fn actions_for(e: &Entry, f: &Facts, ctx: &Context, own: &[&Violation]) -> Vec<Action> {
    let mut out = Vec::new();
    for name in &e.actions {
        match name.as_str() {
            "retry" => out.push(Action::Retry),
            "retry_after_delay" => {
                let (delay, from_server) = match f.retry {
                    Some(d) => (d, true),
                    // A per-minute window refills within 60 s; otherwise a short pause.
                    None if f.signals.contains("quota_per_minute") => {
                        (Duration::from_secs(60), false)
                    }
                    None => (Duration::from_secs(10), false),
                };
                out.push(Action::RetryAfterDelay { delay, from_server });
            }
            "switch_fallback_model" => {
                let model = if f.model_missing() {
                    model_suggestion(f, ctx)
                } else {
                    ctx.fallback_model
                        .map(str::to_string)
                        .or_else(|| fallback_for(f.model.as_deref(), ctx))
                };
                out.push(Action::SwitchFallbackModel { model });
            }
            "raise_timeout" => {
                let to = f.ex.timeout_ms.map_or(Duration::from_secs(120), |ms| {
                    Duration::from_millis(ms.saturating_mul(2)).max(Duration::from_secs(30))
                });
                out.push(Action::RaiseTimeout { to });
            }
            "clamp_parameter" => {
                let before = out.len();
                out.extend(
                    own.iter()
                        .filter_map(|v| v.action.clone())
                        .filter(|a| matches!(a, Action::ClampParameter { .. })),
                );
                if out.len() == before
                    && let Some(a) = raise_output_limit(f, ctx)
                {
                    out.push(a);
                }
            }
            "switch_api_version" => {
                let to =
                    if f.signals.contains("v1beta_field_on_v1") || f.version.0 == ApiVersion::V1 {
                        ApiVersion::V1Beta
                    } else {
                        ApiVersion::V1
                    };
                out.push(Action::SwitchApiVersion { to });
            }
            "reduce_prompt" => {
                let max_tokens = f
                    .token_overflow
                    .map(|(_, lim)| lim)
                    .or_else(|| ctx.model.and_then(|m| m.input_token_limit));
                out.push(Action::ReducePrompt { max_tokens });
            }
            "check_key" => out.push(Action::CheckKey {
                source: ctx.key_source.map(str::to_string),
            }),
            _ => {}
        }
    }
    out
}

/// After MAX_TOKENS with an explicit `maxOutputTokens`: double it, within the model's
/// output limit when known. Nothing when the cap was already the model's own.
fn raise_output_limit(f: &Facts, ctx: &Context) -> Option<Action> {
    use crate::gemini::wire::FinishReason::MaxTokens;
    let stopped = matches!(
        &f.ex.outcome,
        crate::gemini::Outcome::StoppedEarly {
            reason: MaxTokens,
            ..
        }
    );
    if !stopped && f.ex.finish_reason() != Some(&MaxTokens) {
        return None;
    }
    let current = f.ex.generation_config()?.get("maxOutputTokens")?.as_u64()?;
    let limit = f
        .model
        .as_deref()
        .and_then(|m| ctx.find_model(m))
        .and_then(|m| m.output_token_limit);
    let to = current.saturating_mul(2).max(1);
    let to = limit.map_or(to, |l| to.min(l));
    (to > current).then(|| Action::ClampParameter {
        field: "generationConfig.maxOutputTokens".into(),
        to: serde_json::json!(to),
    })
}

/// The guide's advice: step down from Pro to Flash (and Flash to Flash-Lite).
fn fallback_for(model: Option<&str>, ctx: &Context) -> Option<String> {
    let m = model?;
    let candidate = if m.contains("-pro") {
        m.replacen("-pro", "-flash", 1)
    } else if m.contains("-flash") && !m.contains("-flash-lite") {
        m.replacen("-flash", "-flash-lite", 1)
    } else {
        return None;
    };
    let candidate = candidate
        .split("-preview")
        .next()
        .unwrap_or(&candidate)
        .to_string();
    if ctx.known_models.is_empty() || ctx.known_models.iter().any(|k| k.id() == candidate) {
        Some(candidate)
    } else {
        None
    }
}
