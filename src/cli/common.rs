//! Options and plumbing shared by the commands that call the API.

use crate::backend::{self, Backend, BackendOptions};
use crate::gemini::exchange::Exchange;
use crate::gemini::wire::ApiVersion;
use crate::store::config::{self, LoadedConfig};
use crate::store::history::History;
use crate::store::paths::Paths;
use std::time::Duration;

/// Where to send calls.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectArgs {
    /// Base URL of the API (a proxy, a standalone sandbox); the SDKs' variable is honoured.
    #[arg(long, env = backend::BASE_URL_ENV, value_name = "URL")]
    pub base_url: Option<String>,
    /// Use the embedded sandbox even when an API key is set.
    #[arg(long, conflicts_with = "base_url")]
    pub sandbox: bool,
    /// API version.
    #[arg(long, value_parser = parse_version, value_name = "v1|v1beta")]
    pub api_version: Option<ApiVersion>,
    /// Timeout in seconds.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Do not append this call to the history.
    #[arg(long)]
    pub no_history: bool,
}

fn parse_version(s: &str) -> Result<ApiVersion, String> {
    ApiVersion::parse(s).ok_or_else(|| format!("{s:?} is not an API version (v1 or v1beta)"))
}

/// A connected command context.
pub struct Ctx {
    /// Backend.
    pub backend: Backend,
    /// Config.
    pub config: LoadedConfig,
    /// History, unless disabled.
    pub history: Option<History>,
    /// Version to use.
    pub version: ApiVersion,
    /// Timeout to use.
    pub timeout: Duration,
}

impl Ctx {
    /// Loads config, resolves the backend, prints warnings to stderr.
    pub async fn connect(args: &ConnectArgs) -> Result<Ctx, String> {
        let paths = Paths::discover();
        let config = config::load(&paths.config_file)?;
        for w in &config.warnings {
            eprintln!("warning: {w}");
        }
        let opts = BackendOptions {
            force_sandbox: args.sandbox,
            base_url: args.base_url.clone(),
        };
        let (backend, warnings) = backend::connect(
            &opts,
            &config.config,
            &paths.config_file.display().to_string(),
        )
        .await?;
        for w in warnings {
            eprintln!("warning: {w}");
        }
        let version = config.config.version(args.api_version);
        let secs = args.timeout.or(config.config.timeout_secs).unwrap_or(60.0);
        if !(secs.is_finite() && secs > 0.0) {
            return Err(format!(
                "timeout must be a positive number of seconds, not {secs}"
            ));
        }
        let history = if args.no_history {
            None
        } else {
            config.config.history(&paths)
        };
        Ok(Ctx {
            backend,
            config,
            history,
            version,
            timeout: Duration::from_secs_f64(secs),
        })
    }

    /// The model to use.
    pub fn model(&self, flag: Option<&str>) -> String {
        self.config.config.model(flag)
    }

    /// Appends to the history; a failure is reported, not fatal.
    pub fn record(&self, ex: &Exchange) {
        if let Some(h) = &self.history
            && let Err(e) = h.append(ex)
        {
            eprintln!(
                "warning: could not write history {}: {e}",
                h.path().display()
            );
        }
    }
}

/// [`Ctx::connect`] for a command: on failure prints why and gives the usage exit code.
pub async fn connect_or_exit(args: &ConnectArgs) -> Result<Ctx, u8> {
    Ctx::connect(args).await.map_err(|e| {
        eprintln!("error: {e}");
        super::exit::USAGE
    })
}

/// [`prompt_text`] for a command: on failure prints why and gives the usage exit code.
pub fn prompt_or_exit(arg: &str) -> Result<String, u8> {
    prompt_text(arg).map_err(|e| {
        eprintln!("error: {e}");
        super::exit::USAGE
    })
}

/// Reads `-` as stdin, anything else as literal text.
pub fn prompt_text(arg: &str) -> Result<String, String> {
    if arg == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("cannot read the prompt from stdin: {e}"))?;
        Ok(s)
    } else {
        Ok(arg.to_string())
    }
}
