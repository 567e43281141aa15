//! Platform paths for config and data, overridable for tests and portable setups.

use std::path::PathBuf;

/// Environment variable that puts config and data under one directory.
pub const HOME_ENV: &str = "GEMINI_DOCTOR_HOME";

/// Where gemini-doctor keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The TOML config file.
    pub config_file: PathBuf,
    /// The directory of history and exports.
    pub data_dir: PathBuf,
}

impl Paths {
    /// `$GEMINI_DOCTOR_HOME/{config.toml,data}` when set, else the platform directories
    /// (e.g. `~/.config/gemini-doctor/config.toml` and `~/.local/share/gemini-doctor`).
    pub fn discover() -> Self {
        if let Some(home) = std::env::var_os(HOME_ENV).filter(|h| !h.is_empty()) {
            return Self::under(PathBuf::from(home));
        }
        match directories::ProjectDirs::from("dev", "gemini-doctor", "gemini-doctor") {
            Some(d) => Paths {
                config_file: d.config_dir().join("config.toml"),
                data_dir: d.data_dir().to_path_buf(),
            },
            None => Self::under(std::env::temp_dir().join("gemini-doctor")),
        }
    }

    /// Everything under one directory.
    pub fn under(root: PathBuf) -> Self {
        Paths {
            config_file: root.join("config.toml"),
            data_dir: root.join("data"),
        }
    }

    /// The history file.
    pub fn history_file(&self) -> PathBuf {
        self.data_dir.join("history.jsonl")
    }

    /// Directory for exports (curl commands, snippets, JSON).
    pub fn export_dir(&self) -> PathBuf {
        self.data_dir.join("exports")
    }
}
