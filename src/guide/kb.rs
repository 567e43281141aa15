//! The knowledge base: `assets/guide.toml`, embedded at build time and validated at load.

use super::action::ACTION_NAMES;
use super::finding::Severity;
use super::lang::Lang;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The embedded source, so the binary needs no files at run time.
pub const GUIDE_TOML: &str = include_str!("../../assets/guide.toml");

/// Computed facts an entry may require (see `facts.rs`); validated so typos fail the tests.
pub const SIGNALS: [&str; 24] = [
    "quota_per_minute",
    "quota_per_day",
    "quota_limit_zero",
    "quota_input_tokens",
    "thinking_exhausted",
    "empty_text",
    "in_stream",
    "html_body",
    "text_body",
    "empty_body",
    "other_json",
    "v1beta_field_on_v1",
    "unknown_field",
    "param_temperature",
    "param_top_p",
    "param_top_k",
    "param_candidate_count",
    "param_max_output_tokens",
    "param_stop_sequences",
    "param_thinking_budget",
    "input_too_long",
    "model_not_found",
    "no_generate_content",
    "deadline_too_short",
];

/// Outcome type names, as `Outcome` serialises its `type` tag.
pub const OUTCOMES: [&str; 11] = [
    "in_flight",
    "success",
    "prompt_blocked",
    "stopped_early",
    "empty_response",
    "api_error",
    "non_json_error",
    "transport",
    "stream_interrupted",
    "cancelled",
    "malformed",
];

/// Transport kinds, as `TransportKind` serialises.
pub const TRANSPORTS: [&str; 8] = [
    "dns",
    "connect_refused",
    "tls",
    "timeout_before_headers",
    "timeout_mid_body",
    "connection_reset",
    "body_too_large",
    "other",
];

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuideFile {
    entry: Vec<Entry>,
}

/// One failure the guide knows about.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable id, `group.name`.
    pub id: String,
    /// How bad it is.
    pub severity: Severity,
    /// What the call must look like for this entry to apply (empty: advice only).
    #[serde(default)]
    pub matches: Matches,
    /// Added to the match score to break ties between equally specific entries.
    #[serde(default)]
    pub priority: i32,
    /// Evidence topics shown with this entry, besides the id's own group.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Documentation link.
    pub doc: String,
    /// Action names from [`ACTION_NAMES`].
    #[serde(default)]
    pub actions: Vec<String>,
    /// Sandbox scenario that reproduces it.
    #[serde(default)]
    pub sandbox: Option<String>,
    /// Why the sandbox cannot reproduce it.
    #[serde(default)]
    pub not_reproducible: Option<String>,
    /// English texts.
    pub en: Texts,
    /// Brazilian Portuguese texts.
    #[serde(rename = "pt-BR")]
    pub pt_br: Texts,
}

impl Entry {
    /// Texts in `lang`.
    pub fn texts(&self, lang: Lang) -> &Texts {
        lang.pick(&self.en, &self.pt_br)
    }

    /// The id's group (`quota` for `quota.per_minute`).
    pub fn group(&self) -> &str {
        self.id.split('.').next().unwrap_or(&self.id)
    }
}

/// The four texts of an entry in one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// One-line title.
    pub title: String,
    /// Why it happens.
    pub cause: String,
    /// A typical example.
    pub example: String,
    /// What to do.
    pub fix: String,
}

/// Match conditions: every listed category must match; within one, any value will do.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matches {
    /// HTTP status codes.
    #[serde(default)]
    pub http: Vec<u16>,
    /// google.rpc status names.
    #[serde(default)]
    pub status: Vec<String>,
    /// ErrorInfo reasons.
    #[serde(default)]
    pub reason: Vec<String>,
    /// Candidate finish reasons.
    #[serde(default)]
    pub finish: Vec<String>,
    /// Prompt block reasons.
    #[serde(default)]
    pub block: Vec<String>,
    /// Transport kinds.
    #[serde(default)]
    pub transport: Vec<String>,
    /// Outcome type names.
    #[serde(default)]
    pub outcome: Vec<String>,
    /// Case-insensitive substrings of the error message.
    #[serde(default)]
    pub message: Vec<String>,
    /// Detail type names (`QuotaFailure`, …).
    #[serde(default)]
    pub detail: Vec<String>,
    /// Computed signals from [`SIGNALS`].
    #[serde(default)]
    pub signal: Vec<String>,
    /// Client-side exception class names (from `explain` input).
    #[serde(default)]
    pub sdk: Vec<String>,
}

impl Matches {
    /// True when no category is set (an advice-only entry).
    pub fn is_empty(&self) -> bool {
        self.http.is_empty()
            && self.status.is_empty()
            && self.reason.is_empty()
            && self.finish.is_empty()
            && self.block.is_empty()
            && self.transport.is_empty()
            && self.outcome.is_empty()
            && self.message.is_empty()
            && self.detail.is_empty()
            && self.signal.is_empty()
            && self.sdk.is_empty()
    }
}

/// The loaded knowledge base.
#[derive(Debug)]
pub struct Kb {
    /// Entries in file order.
    pub entries: Vec<Entry>,
}

impl Kb {
    /// Parses and validates a guide file; returns every problem found, not just the first.
    pub fn parse(src: &str) -> Result<Kb, Vec<String>> {
        let file: GuideFile = toml::from_str(src).map_err(|e| vec![e.to_string()])?;
        let kb = Kb {
            entries: file.entry,
        };
        let problems = kb.problems();
        if problems.is_empty() {
            Ok(kb)
        } else {
            Err(problems)
        }
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut ids = BTreeSet::new();
        for e in &self.entries {
            let id = &e.id;
            if !ids.insert(id.as_str()) {
                out.push(format!("{id}: duplicate id"));
            }
            if !id.contains('.') || id.chars().any(|c| c.is_whitespace()) {
                out.push(format!("{id}: id must be `group.name` without spaces"));
            }
            for (tag, t) in [("en", &e.en), ("pt-BR", &e.pt_br)] {
                for (field, v) in [
                    ("title", &t.title),
                    ("cause", &t.cause),
                    ("example", &t.example),
                    ("fix", &t.fix),
                ] {
                    if v.trim().is_empty() {
                        out.push(format!("{id}: {tag}.{field} is empty"));
                    }
                }
            }
            if e.en.title == e.pt_br.title && e.en.fix == e.pt_br.fix {
                out.push(format!("{id}: pt-BR texts are a copy of the English ones"));
            }
            for a in &e.actions {
                if !ACTION_NAMES.contains(&a.as_str()) {
                    out.push(format!("{id}: unknown action `{a}`"));
                }
            }
            match (&e.sandbox, &e.not_reproducible) {
                (None, None) => out.push(format!("{id}: needs `sandbox` or `not_reproducible`")),
                (Some(s), _) if s.trim().is_empty() => out.push(format!("{id}: empty sandbox")),
                (_, Some(r)) if r.trim().is_empty() => {
                    out.push(format!("{id}: empty not_reproducible"))
                }
                _ => {}
            }
            if !e.doc.starts_with("https://") {
                out.push(format!("{id}: doc must be an https link"));
            }
            let m = &e.matches;
            let check = |out: &mut Vec<String>, what: &str, vals: &[String], ok: &[&str]| {
                for v in vals {
                    if !ok.contains(&v.as_str()) {
                        out.push(format!("{id}: unknown {what} `{v}`"));
                    }
                }
            };
            check(&mut out, "signal", &m.signal, &SIGNALS);
            check(&mut out, "outcome", &m.outcome, &OUTCOMES);
            check(&mut out, "transport", &m.transport, &TRANSPORTS);
            for s in m
                .status
                .iter()
                .chain(&m.reason)
                .chain(&m.finish)
                .chain(&m.block)
            {
                if s.is_empty() || s.chars().any(|c| !(c.is_ascii_uppercase() || c == '_')) {
                    out.push(format!("{id}: `{s}` is not an UPPER_SNAKE enum name"));
                }
            }
            for c in &m.http {
                if !(100..=599).contains(c) {
                    out.push(format!("{id}: http {c} out of range"));
                }
            }
            if m.message.iter().any(|s| s.trim().is_empty()) {
                out.push(format!("{id}: empty message pattern"));
            }
        }
        out
    }
}

/// The embedded knowledge base; validity is guaranteed by the `kb_is_valid` test.
pub fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| match Kb::parse(GUIDE_TOML) {
        Ok(kb) => kb,
        Err(problems) => panic!("assets/guide.toml is invalid:\n{}", problems.join("\n")),
    })
}
