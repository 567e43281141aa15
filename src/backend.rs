//! Which server the console and the headless commands talk to, and with which key.
//!
//! Order of precedence: `--sandbox` → the embedded sandbox; a base URL (flag, config or
//! `GOOGLE_GEMINI_BASE_URL`) → that server, with the key if there is one; a key → Google;
//! nothing → the embedded sandbox, so everything works offline.

use crate::gemini::GOOGLE_BASE_URL;
use crate::gemini::client::{ClientConfig, DEFAULT_MAX_BODY_BYTES, GeminiClient};
use crate::gemini::key::{ApiKey, KeySource, ResolvedKey, resolve_key};
use crate::store::config::Config;
use std::fmt;

/// Environment variable the official SDKs read for a base URL override.
pub const BASE_URL_ENV: &str = "GOOGLE_GEMINI_BASE_URL";

/// Kind of backend, shown in the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// The in-process simulator.
    Sandbox,
    /// generativelanguage.googleapis.com.
    Live,
    /// Any other base URL (a proxy, a standalone sandbox).
    Custom,
}

impl BackendKind {
    /// Label recorded in exchanges.
    pub fn label(self) -> &'static str {
        match self {
            BackendKind::Sandbox => "sandbox",
            BackendKind::Live => "live",
            BackendKind::Custom => "custom",
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct BackendOptions {
    /// `--sandbox`.
    pub force_sandbox: bool,
    /// `--base-url` (or the env var, resolved by clap).
    pub base_url: Option<String>,
}

/// A connected backend.
pub struct Backend {
    /// Kind.
    pub kind: BackendKind,
    /// The client to use.
    pub client: GeminiClient,
    /// The key and its source, if any.
    pub key: Option<ResolvedKey>,
    /// The embedded sandbox, kept alive as long as the backend.
    pub sandbox: Option<crate::sandbox::SandboxHandle>,
}

impl Backend {
    /// One line for humans: `sandbox http://127.0.0.1:41234 (key sand…-key from sandbox)`.
    pub fn describe(&self) -> String {
        let key = match &self.key {
            Some(k) => k.describe(),
            None => "no API key".into(),
        };
        format!("{} {} ({key})", self.kind, self.client.config().base_url)
    }
}

/// Warnings gathered while connecting (both key variables set, config permissions).
pub type Warnings = Vec<String>;

/// Connects according to the options, the environment and the config.
pub async fn connect(
    opts: &BackendOptions,
    config: &Config,
    config_path: &str,
) -> Result<(Backend, Warnings), String> {
    let mut warnings = Vec::new();
    let env = |k: &str| std::env::var(k).ok();
    let key = resolve_key(env, config.api_key.as_deref().map(|k| (k, config_path)));
    if let Some(w) = key.as_ref().and_then(|k| k.warning.clone()) {
        warnings.push(w);
    }
    let base_url = opts
        .base_url
        .clone()
        .or_else(|| config.base_url.clone())
        .filter(|u| !u.trim().is_empty());

    if opts.force_sandbox || (base_url.is_none() && key.is_none()) {
        let handle = start_embedded_sandbox().await?;
        let key = ResolvedKey {
            key: ApiKey::new(crate::sandbox::CONSOLE_KEY).expect("console key is not empty"),
            source: KeySource::Sandbox,
            warning: None,
        };
        let client = make_client(
            handle.base_url(),
            Some(key.key.clone()),
            BackendKind::Sandbox,
        )?;
        return Ok((
            Backend {
                kind: BackendKind::Sandbox,
                client,
                key: Some(key),
                sandbox: Some(handle),
            },
            warnings,
        ));
    }
    let (kind, url) = match base_url {
        Some(u) => (BackendKind::Custom, u),
        None => (BackendKind::Live, GOOGLE_BASE_URL.to_string()),
    };
    validate_base_url(&url)?;
    let client = make_client(url, key.as_ref().map(|k| k.key.clone()), kind)?;
    Ok((
        Backend {
            kind,
            client,
            key,
            sandbox: None,
        },
        warnings,
    ))
}

/// Starts the simulator in-process on an OS-assigned loopback port, silent (the console
/// owns the terminal; its requests show up in the log instead).
pub async fn start_embedded_sandbox() -> Result<crate::sandbox::SandboxHandle, String> {
    let opts = crate::sandbox::StartOptions {
        log: None,
        ..Default::default()
    };
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    crate::sandbox::start_with(crate::sandbox::SandboxConfig::default(), addr, opts)
        .await
        .map_err(|e| format!("cannot start the embedded sandbox: {e}"))
}

fn make_client(
    base_url: String,
    api_key: Option<ApiKey>,
    kind: BackendKind,
) -> Result<GeminiClient, String> {
    GeminiClient::new(ClientConfig {
        base_url,
        api_key,
        backend: kind.label().to_string(),
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
    })
}

/// Rejects base URLs that cannot work, and ones that would put a key in the URL.
pub fn validate_base_url(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| format!("base URL {url:?} is not a valid URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "base URL {url:?} must start with http:// or https://"
        ));
    }
    if parsed.query().is_some() {
        return Err(format!(
            "base URL {:?} has a query string; pass the key in GEMINI_API_KEY, never in the URL",
            crate::gemini::client::snippet(parsed.as_str().split('?').next().unwrap_or(""), 80)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert!(validate_base_url("http://127.0.0.1:8642/prefix").is_ok());
        assert!(validate_base_url("ftp://x").is_err());
        let err = validate_base_url("https://x.test/?key=AIzaSECRET").unwrap_err();
        assert!(!err.contains("SECRET"), "{err}");
        assert!(validate_base_url("not a url").is_err());
    }
}
