//! `SandboxConfig`: every knob of the simulator, serde/TOML-loadable, with defaults
//! that behave like a fresh free-tier project in a supported region.

use super::catalogue::RateLimits;
use super::faults::Fault;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The simulator's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SandboxConfig {
    /// Write one line per request to the log sink (stderr by default).
    pub log: bool,
    /// Seeds the load RNG and the reply seed used when a request sends none.
    pub seed: u64,
    /// Rate limits.
    pub limits: LimitsConfig,
    /// Random server-side failures.
    pub load: LoadConfig,
    /// Whether the simulated caller's region is supported.
    pub region_supported: bool,
    /// Billing on: lifts the region restriction as the real paid tier does.
    pub billing_enabled: bool,
    /// Whether the free tier is offered in the caller's country; off (and billing off)
    /// → 400 FAILED_PRECONDITION "Gemini API free tier is not available in your country…".
    pub free_tier_available: bool,
    /// Let v1 accept the v1beta-only fields. Off = the public v1 protos (Dec 2025);
    /// on = the v1 that 2026 docs describe (thinking, system instructions, tools on v1).
    pub v1_has_beta_fields: bool,
    /// Prompt markers that produce a failure.
    pub triggers: Vec<Trigger>,
    /// Ids of uploaded files that exist (`files/<id>`); other `fileData.fileUri`s → 404.
    pub files: Vec<String>,
    /// Stream pacing.
    pub stream: StreamConfig,
    /// Simulated processing time, checked against the client's `X-Server-Timeout`.
    pub processing: ProcessingConfig,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            log: true,
            seed: 0x5eed,
            limits: LimitsConfig::default(),
            load: LoadConfig::default(),
            region_supported: true,
            billing_enabled: false,
            free_tier_available: true,
            v1_has_beta_fields: false,
            triggers: default_triggers(),
            files: vec!["sandbox-sample".into()],
            stream: StreamConfig::default(),
            processing: ProcessingConfig::default(),
        }
    }
}

impl SandboxConfig {
    /// Parses a TOML document; missing keys take their defaults.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

/// Rate limits: catalogue free-tier values, overridden globally, then per model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Off = unlimited (a paid project with generous limits).
    pub enabled: bool,
    /// Overrides every model's requests per minute.
    pub rpm: Option<u64>,
    /// Overrides every model's input tokens per minute.
    pub tpm: Option<u64>,
    /// Overrides every model's requests per day.
    pub rpd: Option<u64>,
    /// Per-model overrides, keyed by model id (`gemini-2.5-flash`).
    pub models: BTreeMap<String, LimitOverride>,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            enabled: true,
            rpm: None,
            tpm: None,
            rpd: None,
            models: BTreeMap::new(),
        }
    }
}

/// Optional replacement values for one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LimitOverride {
    /// Requests per minute.
    pub rpm: Option<u64>,
    /// Input tokens per minute.
    pub tpm: Option<u64>,
    /// Requests per day.
    pub rpd: Option<u64>,
}

impl LimitsConfig {
    /// The limits in force for `model_id`, starting from the catalogue's free tier.
    pub fn effective(&self, model_id: &str, free_tier: RateLimits) -> RateLimits {
        let o = self.models.get(model_id).copied().unwrap_or_default();
        RateLimits {
            rpm: o.rpm.or(self.rpm).unwrap_or(free_tier.rpm),
            tpm: o.tpm.or(self.tpm).unwrap_or(free_tier.tpm),
            rpd: o.rpd.or(self.rpd).unwrap_or(free_tier.rpd),
        }
    }
}

/// Random failures under simulated load, drawn from a seeded RNG.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LoadConfig {
    /// Probability of 500 INTERNAL per generate call.
    pub p_internal: f64,
    /// Probability of 503 UNAVAILABLE per generate call.
    pub p_unavailable: f64,
    /// Probability of 504 DEADLINE_EXCEEDED per generate call.
    pub p_deadline: f64,
    /// Share of stream failures that happen after the first event instead of before headers.
    pub mid_stream: f64,
}

/// Stream pacing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StreamConfig {
    /// Events a reply is split into (at most; short replies give fewer).
    pub chunks: usize,
    /// Pause between events, in milliseconds.
    pub chunk_delay_ms: u64,
    /// Pause before an in-stream error object so it is its own TCP write.
    pub error_pause_ms: u64,
    /// Longest stall before the server gives up itself, in seconds.
    pub stall_max_secs: u64,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            chunks: 4,
            chunk_delay_ms: 0,
            error_pause_ms: 60,
            stall_max_secs: 300,
        }
    }
}

/// Simulated processing time = `base_ms` + prompt tokens × `us_per_token` / 1000 (never waited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProcessingConfig {
    /// Fixed part, in milliseconds.
    pub base_ms: u64,
    /// Per prompt token, in microseconds.
    pub us_per_token: u64,
}

impl Default for ProcessingConfig {
    fn default() -> Self {
        ProcessingConfig {
            base_ms: 400,
            us_per_token: 100,
        }
    }
}

/// A prompt marker: when `term` occurs in the request's contents, `fault` fires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Text to look for (case-sensitive).
    pub term: String,
    /// What happens.
    pub fault: Fault,
}

fn t(term: &str, fault: Fault) -> Trigger {
    Trigger {
        term: term.into(),
        fault,
    }
}

/// The documented default markers (`sandbox:...`).
pub fn default_triggers() -> Vec<Trigger> {
    let block = |r: &str| Fault::BlockPrompt { reason: r.into() };
    let finish = |r: &str| Fault::FinishReason { reason: r.into() };
    vec![
        t("sandbox:block-safety", block("SAFETY")),
        t("sandbox:block-other", block("OTHER")),
        t("sandbox:block-prohibited", block("PROHIBITED_CONTENT")),
        t("sandbox:block-blocklist", block("BLOCKLIST")),
        t("sandbox:finish-safety", finish("SAFETY")),
        t("sandbox:finish-recitation", finish("RECITATION")),
        t("sandbox:finish-blocklist", finish("BLOCKLIST")),
        t(
            "sandbox:finish-malformed-call",
            finish("MALFORMED_FUNCTION_CALL"),
        ),
        t("sandbox:finish-max-tokens", finish("MAX_TOKENS")),
        t("sandbox:finish-other", finish("OTHER")),
        t("sandbox:empty-stop", Fault::EmptyStop),
        t("sandbox:thinking-eats-budget", Fault::ThinkingEatsBudget),
        t("sandbox:error-500", Fault::Status { code: 500 }),
        t("sandbox:error-503", Fault::Status { code: 503 }),
        t("sandbox:error-504", Fault::Status { code: 504 }),
        t("sandbox:error-429", Fault::Status { code: 429 }),
        t(
            "sandbox:stream-error-503",
            Fault::StreamError {
                code: 503,
                after_chunks: 1,
            },
        ),
        t("sandbox:drop", Fault::Drop { after_chunks: 1 }),
        t(
            "sandbox:malformed-chunk",
            Fault::MalformedChunk { after_chunks: 1 },
        ),
        t("sandbox:html-502", Fault::Html502),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_round_trip_and_partial_files() {
        let cfg = SandboxConfig::default();
        let text = toml::to_string(&cfg).unwrap();
        assert_eq!(SandboxConfig::from_toml(&text).unwrap(), cfg);
        let partial = SandboxConfig::from_toml(
            "log = false\n[limits]\nrpm = 3\n[limits.models.\"gemini-2.5-pro\"]\nrpd = 7\n[[triggers]]\nterm = \"boom\"\nfault = { kind = \"status\", code = 500 }\n",
        )
        .unwrap();
        assert!(!partial.log);
        assert_eq!(partial.triggers.len(), 1);
        let free = RateLimits {
            rpm: 5,
            tpm: 100,
            rpd: 50,
        };
        assert_eq!(
            partial.limits.effective("gemini-2.5-pro", free),
            RateLimits {
                rpm: 3,
                tpm: 100,
                rpd: 7
            }
        );
        assert!(SandboxConfig::from_toml("nope = 1").is_err());
    }
}
