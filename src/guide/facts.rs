//! Facts extracted once from an exchange; matching and evidence read only these.

use super::checks::{Violation, camel, check_request, is_v1beta_only};
use super::context::Context;
use super::redact::redact;
use crate::gemini::api_error::ErrorBodyKind;
use crate::gemini::wire::FinishReason;
use crate::gemini::{ApiVersion, Exchange, Outcome, TransportKind};
use std::collections::BTreeSet;
use std::time::Duration;

/// One exceeded quota, from QuotaFailure or from the message's `* Quota exceeded` lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Quota {
    /// Metric without the service prefix, e.g. `generate_content_free_tier_requests`.
    pub metric: String,
    /// e.g. `GenerateRequestsPerMinutePerProjectPerModel-FreeTier`.
    pub quota_id: String,
    /// The limit, when given.
    pub limit: Option<String>,
    /// The model dimension, when given.
    pub model: Option<String>,
}

impl Quota {
    /// Per-minute quota.
    pub fn per_minute(&self) -> bool {
        self.quota_id.contains("PerMinute")
    }
    /// Per-day quota.
    pub fn per_day(&self) -> bool {
        self.quota_id.contains("PerDay") || self.quota_id.contains("Daily")
    }
    /// The tier has no allowance at all.
    pub fn zero(&self) -> bool {
        self.limit.as_deref().is_some_and(|l| l.trim() == "0")
    }
}

/// Everything the engine looks at, taken from the exchange and the context.
#[derive(Debug)]
pub struct Facts<'a> {
    /// The exchange.
    pub ex: &'a Exchange,
    /// HTTP status (response, or the error's code).
    pub http: Option<u16>,
    /// google.rpc status name.
    pub status: Option<String>,
    /// ErrorInfo reason.
    pub reason: Option<String>,
    /// Finish reason of the first candidate.
    pub finish: Option<String>,
    /// Prompt block reason.
    pub block: Option<String>,
    /// Transport failure kind.
    pub transport: Option<TransportKind>,
    /// Outcome type name.
    pub outcome: &'static str,
    /// Error / transport / finish message, keys redacted.
    pub message: String,
    message_lc: String,
    /// Detail type names.
    pub details: Vec<String>,
    /// Computed signals.
    pub signals: BTreeSet<&'static str>,
    /// Model id (from the exchange or the error message).
    pub model: Option<String>,
    /// API version, and whether we actually know it.
    pub version: (ApiVersion, bool),
    /// Request problems found in the body that was sent.
    pub violations: Vec<Violation>,
    /// Server-suggested retry delay.
    pub retry: Option<Duration>,
    /// Exceeded quotas.
    pub quotas: Vec<Quota>,
    /// Names from `Unknown name "…"` messages, with their `at '…'` path.
    pub unknown_names: Vec<(String, Option<String>)>,
    /// `(input tokens, limit)` from a "input token count exceeds" message.
    pub token_overflow: Option<(u64, u64)>,
    /// HTML page title of a non-JSON error.
    pub html_title: Option<String>,
}

impl<'a> Facts<'a> {
    /// Case-insensitive substring test on the message.
    pub fn message_has(&self, needle: &str) -> bool {
        self.message_lc.contains(&needle.to_ascii_lowercase())
    }

    /// The call's model is what was not found: the message says so, or a 404 names nothing
    /// else (a 404 about a file or a cache is not about the model).
    pub fn model_missing(&self) -> bool {
        self.signals.contains("model_not_found")
            || (self.http == Some(404)
                && (self.message.trim().is_empty() || self.message_has("model")))
    }

    /// Extracts the facts.
    pub fn gather(ex: &'a Exchange, ctx: &Context) -> Facts<'a> {
        let mut f = Facts {
            ex,
            http: ex.status(),
            status: None,
            reason: None,
            finish: ex.finish_reason().map(|r| r.as_str().to_string()),
            block: ex
                .result
                .as_ref()
                .and_then(|r| r.block_reason())
                .map(|b| b.as_str().to_string()),
            transport: None,
            outcome: outcome_name(&ex.outcome),
            message: String::new(),
            message_lc: String::new(),
            details: Vec::new(),
            signals: BTreeSet::new(),
            model: ex.model.clone(),
            version: version_of(ex),
            violations: Vec::new(),
            retry: None,
            quotas: Vec::new(),
            unknown_names: Vec::new(),
            token_overflow: None,
            html_title: None,
        };
        let mut message = String::new();
        match &ex.outcome {
            Outcome::ApiError { error, in_stream } => {
                if f.http.is_none() || *in_stream {
                    f.http = u16::try_from(error.code).ok().filter(|c| *c >= 100);
                }
                f.status = Some(error.status.clone()).filter(|s| !s.is_empty());
                f.reason = error.reason().map(str::to_string);
                f.details = error.details.iter().map(|d| d.type_name()).collect();
                message = error.message.clone();
                f.retry = error.retry_delay();
                f.quotas = error
                    .quota_violations()
                    .map(|v| Quota {
                        metric: short_metric(&v.quota_metric),
                        quota_id: v.quota_id.clone(),
                        limit: v.quota_value.clone(),
                        model: v.quota_dimensions.get("model").cloned(),
                    })
                    .collect();
                for fv in error.field_violations() {
                    if !message.contains(&fv.description) {
                        message.push('\n');
                        message.push_str(&fv.description);
                    }
                }
                if *in_stream {
                    f.signals.insert("in_stream");
                }
            }
            Outcome::NonJsonError {
                status,
                body_kind,
                snippet,
            } => {
                f.http = Some(*status);
                message = snippet.clone();
                f.signals.insert(match body_kind {
                    ErrorBodyKind::Html { title } => {
                        f.html_title = title.clone();
                        "html_body"
                    }
                    ErrorBodyKind::Text => "text_body",
                    ErrorBodyKind::Empty => "empty_body",
                    ErrorBodyKind::OtherJson | ErrorBodyKind::Envelope { .. } => "other_json",
                });
            }
            Outcome::Transport { kind, message: m } => {
                f.transport = Some(*kind);
                message = m.clone();
            }
            Outcome::StreamInterrupted {
                kind, message: m, ..
            } => {
                f.transport = Some(*kind);
                message = m.clone();
            }
            Outcome::Malformed { message: m } => message = m.clone(),
            Outcome::PromptBlocked { reason } => f.block = Some(reason.as_str().to_string()),
            Outcome::StoppedEarly { reason, empty } => {
                f.finish = Some(reason.as_str().to_string());
                if *empty {
                    f.signals.insert("empty_text");
                }
                if let Some(m) = ex
                    .result
                    .as_ref()
                    .and_then(|r| r.first_candidate())
                    .and_then(|c| c.finish_message.clone())
                {
                    message = m;
                }
            }
            Outcome::EmptyResponse => {
                f.signals.insert("empty_text");
            }
            Outcome::Success | Outcome::InFlight | Outcome::Cancelled => {}
        }
        f.message = redact(&message);
        f.message_lc = f.message.to_ascii_lowercase();
        f.read_message();
        f.derive_signals(ctx);
        f
    }

    fn read_message(&mut self) {
        if self.status.is_none()
            && let Some(code) = self.http
        {
            self.status = canonical_status(code).map(str::to_string);
        }
        let msg = self.message.clone();
        // "models/x is not found for API version v1beta, or is not supported for generateContent."
        if let Some(rest) = msg.split("models/").nth(1)
            && msg.contains("not found")
        {
            let id: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ',' && *c != '\'' && *c != '"')
                .collect();
            if !id.is_empty() {
                self.model = Some(id);
            }
            self.signals.insert("model_not_found");
        }
        if let Some(v) = msg.split("API version ").nth(1) {
            let v: String = v
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if let Some(v) = ApiVersion::parse(&v) {
                self.version = (v, true);
            }
        }
        // `Unknown name "x" at 'generation_config': Cannot find field.`
        for chunk in msg.split("Unknown name \"").skip(1) {
            let Some(end) = chunk.find('"') else { continue };
            let name = chunk[..end].to_string();
            let path = chunk[end..]
                .strip_prefix("\" at '")
                .and_then(|p| p.split('\'').next())
                .map(str::to_string);
            if !self
                .unknown_names
                .iter()
                .any(|(n, p)| *n == name && *p == path)
            {
                self.unknown_names.push((name, path));
            }
        }
        if self.retry.is_none() {
            self.retry = retry_from_message(&msg);
        }
        // New-style messages list each quota with its limit; details may omit quotaValue.
        let from_msg = quotas_from_message(&msg);
        if self.quotas.is_empty() {
            self.quotas = from_msg;
        } else {
            for q in self.quotas.iter_mut().filter(|q| q.limit.is_none()) {
                if let Some(m) = from_msg.iter().find(|m| m.metric == q.metric) {
                    q.limit = m.limit.clone();
                }
            }
        }
        // "The input token count (3475108) exceeds the maximum number of tokens allowed (1048576)."
        if self.message_has("input token count") {
            let nums: Vec<u64> = msg
                .split(['(', ')'])
                .filter_map(|s| s.trim().parse().ok())
                .collect();
            if nums.len() >= 2 {
                self.token_overflow = Some((nums[0], nums[1]));
            }
            self.signals.insert("input_too_long");
        }
    }

    fn derive_signals(&mut self, ctx: &Context) {
        if self.model.is_none() {
            self.model = self
                .quotas
                .iter()
                .find_map(|q| q.model.clone())
                .or_else(|| {
                    self.ex
                        .result
                        .as_ref()
                        .and_then(|r| r.model_version.clone())
                });
        }
        for q in &self.quotas {
            if q.per_minute() {
                self.signals.insert("quota_per_minute");
            }
            if q.per_day() {
                self.signals.insert("quota_per_day");
            }
            if q.zero() {
                self.signals.insert("quota_limit_zero");
            }
            if q.metric.contains("input_token") {
                self.signals.insert("quota_input_tokens");
            }
        }
        if self.message_has("limit: 0,") || self.message_lc.trim_end().ends_with("limit: 0") {
            self.signals.insert("quota_limit_zero");
        }
        if self.message_has("minimum allowed deadline") {
            self.signals.insert("deadline_too_short");
        }
        // Thinking spent the whole output budget: MAX_TOKENS, no visible text, thoughts counted.
        if self.finish.as_deref() == Some(FinishReason::MaxTokens.as_str())
            && self.ex.text().trim().is_empty()
            && self
                .ex
                .usage()
                .and_then(|u| u.thoughts_token_count)
                .unwrap_or(0)
                > 0
        {
            self.signals.insert("thinking_exhausted");
        }
        if self.finish.is_some() && self.ex.result.is_some() && self.ex.text().trim().is_empty() {
            self.signals.insert("empty_text");
        }
        // An unknown v1beta-only name in its proper place means the call went to v1.
        let mut v1_hint = false;
        for (name, path) in &self.unknown_names {
            if is_v1beta_only(name) && placed_right(name, path.as_deref()) {
                v1_hint = true;
            }
        }
        if v1_hint {
            self.signals.insert("v1beta_field_on_v1");
            if !self.version.1 {
                self.version = (ApiVersion::V1, false);
            }
        } else if !self.unknown_names.is_empty() {
            self.signals.insert("unknown_field");
        }
        let is_400 = self.http == Some(400);
        // The service answers a generateContent call to an embedding-only model with 404
        // ("… or is not supported for generateContent"), so the request is checked then too.
        let checked = is_400 || self.signals.contains("model_not_found");
        if checked && let Some(body) = &self.ex.request.body {
            let prompt = self.ex.usage().and_then(|u| u.prompt_token_count);
            self.violations =
                check_request(body, self.version.0, self.model.as_deref(), ctx, prompt);
            for v in &self.violations {
                self.signals.insert(v.signal);
            }
        }
        // The message names the parameter even when we do not have the request body.
        if is_400 && self.unknown_names.is_empty() {
            let by_name: [(&[&str], &'static str); 7] = [
                (&["temperature"], "param_temperature"),
                (&["top_p", "topp"], "param_top_p"),
                (&["top_k", "topk"], "param_top_k"),
                (
                    &["candidate_count", "candidatecount", "one candidate"],
                    "param_candidate_count",
                ),
                (
                    &["max_output_tokens", "maxoutputtokens"],
                    "param_max_output_tokens",
                ),
                (&["stop_sequences", "stopsequences"], "param_stop_sequences"),
                (
                    &[
                        "thinking budget",
                        "thinking_budget",
                        "thinkingbudget",
                        "only works in thinking mode",
                    ],
                    "param_thinking_budget",
                ),
            ];
            for (needles, sig) in by_name {
                if needles.iter().any(|n| self.message_lc.contains(n)) {
                    self.signals.insert(sig);
                }
            }
        }
    }
}

/// Where each v1beta-only name legitimately lives, so "right place, unknown" means v1.
fn placed_right(name: &str, path: Option<&str>) -> bool {
    let c = camel(name);
    let path = path.unwrap_or("");
    if super::checks::V1BETA_TOP.contains(&c.as_str()) {
        path.is_empty()
    } else if super::checks::V1BETA_GEN.contains(&c.as_str()) {
        path == "generation_config"
    } else {
        path.contains("parts")
    }
}

fn version_of(ex: &Exchange) -> (ApiVersion, bool) {
    let url = &ex.request.url;
    if url.contains("/v1beta/") {
        (ApiVersion::V1Beta, true)
    } else if url.contains("/v1/") {
        (ApiVersion::V1, true)
    } else {
        (ex.api_version, ex.operation.is_some())
    }
}

/// The `type` tag `Outcome` serialises with.
pub fn outcome_name(o: &Outcome) -> &'static str {
    match o {
        Outcome::InFlight => "in_flight",
        Outcome::Success => "success",
        Outcome::PromptBlocked { .. } => "prompt_blocked",
        Outcome::StoppedEarly { .. } => "stopped_early",
        Outcome::EmptyResponse => "empty_response",
        Outcome::ApiError { .. } => "api_error",
        Outcome::NonJsonError { .. } => "non_json_error",
        Outcome::Transport { .. } => "transport",
        Outcome::StreamInterrupted { .. } => "stream_interrupted",
        Outcome::Cancelled => "cancelled",
        Outcome::Malformed { .. } => "malformed",
    }
}

pub use crate::gemini::api_error::canonical_status;

fn short_metric(m: &str) -> String {
    m.rsplit('/').next().unwrap_or(m).to_string()
}

/// "Please retry in 38.962214405s." / "retry in 500ms".
pub fn retry_from_message(msg: &str) -> Option<Duration> {
    let lc = msg.to_ascii_lowercase();
    let idx = lc.find("retry in ")? + "retry in ".len();
    let rest = &lc[idx..];
    let num: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let value: f64 = num.parse().ok()?;
    let unit = rest[num.len()..].trim_start();
    let secs = if unit.starts_with("ms") {
        value / 1000.0
    } else if unit.starts_with('s') {
        value
    } else if unit.starts_with('m') {
        value * 60.0
    } else {
        return None;
    };
    Duration::try_from_secs_f64(secs).ok()
}

/// `* Quota exceeded for metric: <m>, limit: <n>, model: <model>` lines.
pub fn quotas_from_message(msg: &str) -> Vec<Quota> {
    msg.split("Quota exceeded for metric:")
        .skip(1)
        .map(|chunk| {
            let line = chunk.lines().next().unwrap_or("");
            let mut fields = line.split(',').map(str::trim);
            let metric = short_metric(fields.next().unwrap_or(""));
            let mut q = Quota {
                metric,
                ..Default::default()
            };
            for f in fields {
                if let Some(v) = f.strip_prefix("limit:") {
                    q.limit = Some(v.trim().to_string());
                } else if let Some(v) = f.strip_prefix("model:") {
                    q.model = Some(v.trim().trim_end_matches('.').to_string());
                }
            }
            q
        })
        .collect()
}
