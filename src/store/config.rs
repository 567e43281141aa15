//! The TOML config file. A missing file is the default config; a broken one is an error
//! that names the file and the line.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// User settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// API key (prefer the environment; if set here the file must be private).
    pub api_key: Option<String>,
    /// Base URL override.
    pub base_url: Option<String>,
    /// Model selected at start.
    pub model: Option<String>,
    /// `v1` or `v1beta`.
    pub api_version: Option<String>,
    /// Per-call timeout in seconds.
    pub timeout_secs: Option<f64>,
    /// Models to offer when one is overloaded or out of quota, in order.
    pub fallback_models: Vec<String>,
    /// History settings.
    pub history: HistoryConfig,
    /// Console key overrides: action name → key, e.g. `send = "F9"`.
    pub keys: std::collections::BTreeMap<String, String>,
}

/// Model used when neither a flag nor the config names one.
pub const DEFAULT_MODEL: &str = "gemini-2.5-flash";

impl Config {
    /// The API version: the flag, else the config, else v1beta (the SDKs' default).
    pub fn version(&self, flag: Option<crate::gemini::ApiVersion>) -> crate::gemini::ApiVersion {
        flag.or_else(|| {
            self.api_version
                .as_deref()
                .and_then(crate::gemini::ApiVersion::parse)
        })
        .unwrap_or_default()
    }

    /// The model: the flag, else the config, else [`DEFAULT_MODEL`].
    pub fn model(&self, flag: Option<&str>) -> String {
        flag.map(str::to_string)
            .or_else(|| self.model.clone())
            .unwrap_or_else(|| DEFAULT_MODEL.to_string())
    }

    /// The history file as configured, unless history is off.
    pub fn history(&self, paths: &super::paths::Paths) -> Option<super::history::History> {
        self.history
            .enabled
            .then(|| super::history::History::new(paths.history_file(), self.history.max_bytes))
    }
}

/// `[history]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryConfig {
    /// Rotate the history file past this many bytes.
    pub max_bytes: u64,
    /// Set false to keep no history.
    pub enabled: bool,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            max_bytes: super::history::DEFAULT_MAX_BYTES,
            enabled: true,
        }
    }
}

/// The loaded config and anything the user should be told about it.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    /// The settings.
    pub config: Config,
    /// Warnings (e.g. permissions tightened).
    pub warnings: Vec<String>,
}

/// Loads the config; a missing file gives the defaults.
pub fn load(path: &Path) -> Result<LoadedConfig, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(LoadedConfig::default()),
        Err(e) => return Err(format!("cannot read config file {}: {e}", path.display())),
    };
    let config: Config = toml::from_str(&text)
        .map_err(|e| format!("config file {} is not valid: {e}", path.display()))?;
    let mut warnings = Vec::new();
    let holds_key = config
        .api_key
        .as_deref()
        .is_some_and(|k| !k.trim().is_empty());
    if holds_key && let Some(w) = make_private(path)? {
        warnings.push(w);
    }
    Ok(LoadedConfig { config, warnings })
}

/// A file holding a key must be readable by its owner only: tighten it and say so.
#[cfg(unix)]
fn make_private(path: &Path) -> Result<Option<String>, String> {
    use std::os::unix::fs::PermissionsExt;
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot stat {}: {e}", path.display()))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return Ok(None);
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| {
        format!(
            "config file {} holds an API key but is readable by others (mode {mode:o}) and could not be fixed: {e}; run `chmod 600 {}`",
            path.display(),
            path.display()
        )
    })?;
    Ok(Some(format!(
        "config file {} holds an API key and was readable by others (mode {mode:o}); its mode is now 600",
        path.display()
    )))
}

#[cfg(not(unix))]
fn make_private(_path: &Path) -> Result<Option<String>, String> {
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_default_and_bad_file_names_itself() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        assert_eq!(load(&p).unwrap().config, Config::default());
        std::fs::write(&p, "modle = 'x'\n").unwrap();
        let err = load(&p).unwrap_err();
        assert!(
            err.contains("config.toml") && err.contains("modle"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_world_readable_file_with_a_key_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(
            &p,
            "api_key = 'AIzaCANARY000000000000'\nmodel = 'gemini-2.5-pro'\n",
        )
        .unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let loaded = load(&p).unwrap();
        assert_eq!(loaded.config.model.as_deref(), Some("gemini-2.5-pro"));
        assert!(loaded.warnings[0].contains("now 600"));
        assert!(!loaded.warnings[0].contains("CANARY"));
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
