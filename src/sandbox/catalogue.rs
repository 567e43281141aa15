//! The model catalogue (`assets/models.json`): the wire `Model` resources the sandbox
//! lists, plus sandbox-only facts (thinking range, API versions, free-tier limits, retired ids).

use crate::gemini::ApiVersion;
use crate::gemini::wire::Model;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const MODELS_JSON: &str = include_str!("../../assets/models.json");

/// Thinking-budget facts of a thinking model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThinkingRange {
    /// Smallest positive budget accepted.
    pub min: i64,
    /// Largest budget accepted.
    pub max: i64,
    /// Whether `thinkingBudget: 0` turns thinking off (false on 2.5 Pro).
    pub can_disable: bool,
    /// Whether the model thinks when no budget is sent.
    pub on_by_default: bool,
    /// `thinkingLevel` values accepted (Gemini 3); empty ⇒ levels rejected.
    #[serde(default)]
    pub levels: Vec<String>,
}

/// Requests-per-minute, input-tokens-per-minute and requests-per-day limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RateLimits {
    /// Requests per minute.
    pub rpm: u64,
    /// Input tokens per minute.
    pub tpm: u64,
    /// Requests per day.
    pub rpd: u64,
}

/// Facts the real service does not publish in the Model resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxFacts {
    /// API versions that serve the model.
    pub versions: Vec<ApiVersion>,
    /// Thinking range; `None` for models that do not think.
    #[serde(default)]
    pub thinking: Option<ThinkingRange>,
    /// Highest `candidateCount` accepted.
    pub max_candidate_count: i64,
    /// Tuned model: needs OAuth, an API key gets 403.
    #[serde(default)]
    pub tuned: bool,
    /// Gemini 3: function calls sent back must carry their `thoughtSignature`.
    #[serde(default)]
    pub thought_signatures: bool,
    /// Free-tier limits (a limit of 0 means "no free tier for this model").
    pub free_tier: RateLimits,
    /// Fields whose values are not confirmed from a public source.
    #[serde(default)]
    pub unverified: Vec<String>,
}

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelEntry {
    /// The resource exactly as `models.get` returns it.
    pub wire: Model,
    /// Sandbox-only facts.
    pub sandbox: SandboxFacts,
}

impl ModelEntry {
    /// Resource name, e.g. `models/gemini-2.5-flash`.
    pub fn name(&self) -> &str {
        &self.wire.name
    }

    /// Whether `version` serves this model.
    pub fn served_on(&self, version: ApiVersion) -> bool {
        self.sandbox.versions.contains(&version)
    }
}

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Current models, in listing order (tuned models included, but not listed).
    pub models: Vec<ModelEntry>,
    /// Ids of retired models: they answer 404 like unknown ones.
    pub retired: Vec<String>,
}

/// The embedded catalogue, parsed once.
pub fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| serde_json::from_str(MODELS_JSON).expect("assets/models.json is valid"))
}

impl Catalogue {
    /// Looks a model up by resource name (`models/x`, `tunedModels/x`) or bare id.
    pub fn lookup(&self, name: &str) -> Option<&ModelEntry> {
        let full = crate::gemini::wire::model_resource_name(name);
        self.models.iter().find(|m| m.wire.name == full)
    }

    /// Whether `name` is a known retired model.
    pub fn is_retired(&self, name: &str) -> bool {
        let id = name.strip_prefix("models/").unwrap_or(name);
        self.retired.iter().any(|r| r == id)
    }

    /// The base models `models.list` returns on `version` (tuned models excluded).
    pub fn listed(&self, version: ApiVersion) -> Vec<&ModelEntry> {
        self.models
            .iter()
            .filter(|m| !m.sandbox.tuned && m.served_on(version))
            .collect()
    }

    /// The wire resources of every listed model on v1beta (for "did you mean" and ranges).
    pub fn wire_models(&self) -> Vec<Model> {
        self.listed(ApiVersion::V1Beta)
            .into_iter()
            .map(|m| m.wire.clone())
            .collect()
    }

    /// Ids of the listed models, closest spelling to `name` first (for "did you mean").
    pub fn closest(&self, name: &str) -> Vec<&str> {
        let id = name.strip_prefix("models/").unwrap_or(name);
        let mut ids: Vec<&str> = self
            .listed(ApiVersion::V1Beta)
            .into_iter()
            .map(|m| m.wire.id())
            .collect();
        ids.sort_by_key(|c| (edit_distance(id, c), c.len()));
        ids
    }
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_the_required_models_with_consistent_facts() {
        let c = catalogue();
        for id in [
            "gemini-2.5-pro",
            "gemini-2.5-flash",
            "gemini-2.5-flash-lite",
            "gemini-2.0-flash",
            "gemini-2.0-flash-lite",
            "gemini-3-pro-preview",
            "gemini-embedding-001",
            "tunedModels/sandbox-tuned-model",
        ] {
            let m = c.lookup(id).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(m.wire.thinking == Some(true), m.sandbox.thinking.is_some());
        }
        assert!(
            !c.lookup("gemini-embedding-001")
                .unwrap()
                .wire
                .supports("generateContent")
        );
        assert!(c.is_retired("models/gemini-1.5-flash"));
        assert!(c.lookup("gemini-1.5-flash").is_none());
        assert_eq!(c.closest("gemini-2.5-flsh")[0], "gemini-2.5-flash");
        assert!(
            c.wire_models()
                .iter()
                .all(|m| m.name.starts_with("models/"))
        );
    }
}
