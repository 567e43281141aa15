//! API key lookup (same precedence as Google's SDKs) and masking.
//!
//! The key is held in [`ApiKey`], whose `Debug` and `Display` print only the masked
//! form and which cannot be serialised, so it cannot leak into a record by accident.

use std::fmt;

/// An API key. Printing it shows the masked form only.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key; surrounding whitespace is trimmed as the SDKs do. Empty → None.
    pub fn new(raw: &str) -> Option<Self> {
        let k = raw.trim();
        (!k.is_empty()).then(|| ApiKey(k.to_string()))
    }

    /// The secret itself; call only where it goes into the `x-goog-api-key` header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `AIza…k3Qz`: enough to tell two keys apart, not enough to use one.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks any secret: first four and last four characters for long values, stars otherwise.
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 16 {
        return "*".repeat(chars.len().clamp(3, 8));
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Where the key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `GOOGLE_API_KEY`.
    GoogleApiKeyEnv,
    /// `GEMINI_API_KEY`.
    GeminiApiKeyEnv,
    /// The config file at this path.
    ConfigFile(String),
    /// The embedded sandbox's own key.
    Sandbox,
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::GoogleApiKeyEnv => f.write_str("$GOOGLE_API_KEY"),
            KeySource::GeminiApiKeyEnv => f.write_str("$GEMINI_API_KEY"),
            KeySource::ConfigFile(p) => write!(f, "config file {p}"),
            KeySource::Sandbox => f.write_str("sandbox"),
        }
    }
}

/// A resolved key, where it came from, and any warning to show the user.
#[derive(Debug, Clone)]
pub struct ResolvedKey {
    /// The key.
    pub key: ApiKey,
    /// Its source.
    pub source: KeySource,
    /// e.g. the "both variables are set" warning.
    pub warning: Option<String>,
}

impl ResolvedKey {
    /// `AIza…k3Qz from $GEMINI_API_KEY`.
    pub fn describe(&self) -> String {
        format!("{} from {}", self.key.masked(), self.source)
    }
}

/// Resolves the key like python-genai and @google/genai: `GOOGLE_API_KEY` wins over
/// `GEMINI_API_KEY` (with a warning when both are set); empty values are ignored;
/// the config file is the last resort.
pub fn resolve_key(
    env: impl Fn(&str) -> Option<String>,
    config_key: Option<(&str, &str)>,
) -> Option<ResolvedKey> {
    let google = env("GOOGLE_API_KEY").and_then(|v| ApiKey::new(&v));
    let gemini = env("GEMINI_API_KEY").and_then(|v| ApiKey::new(&v));
    match (google, gemini) {
        (Some(key), other) => Some(ResolvedKey {
            key,
            source: KeySource::GoogleApiKeyEnv,
            warning: other.map(|_| {
                "Both GOOGLE_API_KEY and GEMINI_API_KEY are set. Using GOOGLE_API_KEY.".to_string()
            }),
        }),
        (None, Some(key)) => Some(ResolvedKey {
            key,
            source: KeySource::GeminiApiKeyEnv,
            warning: None,
        }),
        (None, None) => {
            let (raw, path) = config_key?;
            Some(ResolvedKey {
                key: ApiKey::new(raw)?,
                source: KeySource::ConfigFile(path.to_string()),
                warning: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn google_api_key_wins_with_a_warning() {
        let r = resolve_key(
            env(&[
                ("GOOGLE_API_KEY", "AIzaGOOGLE0000000000"),
                ("GEMINI_API_KEY", "AIzaGEMINI0000000000"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(r.source, KeySource::GoogleApiKeyEnv);
        assert_eq!(r.key.expose(), "AIzaGOOGLE0000000000");
        assert!(r.warning.unwrap().contains("Using GOOGLE_API_KEY"));
    }

    #[test]
    fn empty_values_are_ignored_and_config_is_last() {
        let r = resolve_key(
            env(&[("GOOGLE_API_KEY", "  "), ("GEMINI_API_KEY", "")]),
            Some(("cfgkey-123456789012", "/c.toml")),
        )
        .unwrap();
        assert_eq!(r.source, KeySource::ConfigFile("/c.toml".into()));
        assert!(r.warning.is_none());
        assert!(resolve_key(env(&[]), None).is_none());
    }

    #[test]
    fn masking_never_shows_the_middle() {
        let k = ApiKey::new(" AIzaSyD-secret-middle-part-k3Qz \n").unwrap();
        assert_eq!(k.masked(), "AIza…k3Qz");
        assert_eq!(format!("{k:?}"), "ApiKey(AIza…k3Qz)");
        assert!(!format!("{k}").contains("secret"));
        assert_eq!(mask("short"), "*****");
    }
}
