//! What the console (or the user) can do about a finding, with the data it needs.

use crate::gemini::ApiVersion;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

/// The fixed set of action names allowed in `guide.toml`.
pub const ACTION_NAMES: [&str; 8] = [
    "retry",
    "retry_after_delay",
    "switch_fallback_model",
    "raise_timeout",
    "clamp_parameter",
    "switch_api_version",
    "reduce_prompt",
    "check_key",
];

/// One suggested action. Serialised with a `kind` tag equal to its `guide.toml` name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Try the same call again now.
    Retry,
    /// Try again after a delay.
    RetryAfterDelay {
        /// How long to wait.
        #[serde(rename = "seconds", with = "secs")]
        delay: Duration,
        /// True when the server said so (RetryInfo or "retry in"), false for our default.
        from_server: bool,
    },
    /// Use another model; `model` is a concrete suggestion when we have one.
    SwitchFallbackModel {
        /// Suggested model id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        model: Option<String>,
    },
    /// Give the call more time.
    RaiseTimeout {
        /// Suggested timeout.
        #[serde(rename = "seconds", with = "secs")]
        to: Duration,
    },
    /// Set a request parameter to an accepted value.
    ClampParameter {
        /// camelCase path inside the request, e.g. `generationConfig.temperature`.
        field: String,
        /// The value to use.
        to: Value,
    },
    /// Call the other API version.
    SwitchApiVersion {
        /// Version to use.
        to: ApiVersion,
    },
    /// Shorten the prompt or history.
    ReducePrompt {
        /// The model's input limit, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_tokens: Option<u64>,
    },
    /// Check (or replace) the API key.
    CheckKey {
        /// Where the key came from (e.g. `$GEMINI_API_KEY`); never the key itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
}

impl Action {
    /// The `guide.toml` name of this action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Retry => "retry",
            Action::RetryAfterDelay { .. } => "retry_after_delay",
            Action::SwitchFallbackModel { .. } => "switch_fallback_model",
            Action::RaiseTimeout { .. } => "raise_timeout",
            Action::ClampParameter { .. } => "clamp_parameter",
            Action::SwitchApiVersion { .. } => "switch_api_version",
            Action::ReducePrompt { .. } => "reduce_prompt",
            Action::CheckKey { .. } => "check_key",
        }
    }
}

/// Durations as (fractional) seconds on the wire: readable in `--json` output.
mod secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let v = f64::deserialize(d)?;
        Duration::try_from_secs_f64(v).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_serialise_with_stable_names() {
        let a = Action::RetryAfterDelay {
            delay: Duration::from_secs(37),
            from_server: true,
        };
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            json!({"kind": "retry_after_delay", "seconds": 37.0, "from_server": true})
        );
        let c = Action::ClampParameter {
            field: "generationConfig.temperature".into(),
            to: json!(2.0),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["kind"], "clamp_parameter");
        assert_eq!(serde_json::from_value::<Action>(v).unwrap(), c);
        let s = Action::SwitchApiVersion {
            to: ApiVersion::V1Beta,
        };
        assert_eq!(serde_json::to_value(&s).unwrap()["to"], "v1beta");
        for a in [Action::Retry, a, c, s] {
            assert!(ACTION_NAMES.contains(&a.name()));
        }
    }
}
