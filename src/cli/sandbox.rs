//! `gemini-doctor sandbox`: the simulator as a standalone server.

use crate::sandbox::{self, SandboxConfig};
use std::net::SocketAddr;

/// Arguments of `sandbox`.
#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8642")]
    pub listen: String,
    /// TOML configuration file (see docs/sandbox.md).
    #[arg(long)]
    pub config: Option<std::path::PathBuf>,
    /// Do not log requests on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Requests per minute for every model (overrides the free-tier defaults).
    #[arg(long)]
    pub rpm: Option<u64>,
    /// Input tokens per minute for every model.
    #[arg(long)]
    pub tpm: Option<u64>,
    /// Requests per day for every model.
    #[arg(long)]
    pub rpd: Option<u64>,
    /// Turn rate limiting off.
    #[arg(long)]
    pub no_limits: bool,
    /// Seed of the simulated load and of replies to requests without a seed.
    #[arg(long)]
    pub seed: Option<u64>,
}

fn load_config(args: &SandboxArgs) -> Result<SandboxConfig, String> {
    let mut cfg = match &args.config {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            SandboxConfig::from_toml(&text).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => SandboxConfig::default(),
    };
    if args.quiet {
        cfg.log = false;
    }
    if args.rpm.is_some() {
        cfg.limits.rpm = args.rpm;
    }
    if args.tpm.is_some() {
        cfg.limits.tpm = args.tpm;
    }
    if args.rpd.is_some() {
        cfg.limits.rpd = args.rpd;
    }
    if args.no_limits {
        cfg.limits.enabled = false;
    }
    if let Some(s) = args.seed {
        cfg.seed = s;
    }
    Ok(cfg)
}

/// Runs the standalone sandbox until Ctrl-C.
pub async fn run(args: SandboxArgs) -> u8 {
    let cfg = match load_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return super::exit::USAGE;
        }
    };
    let addr: SocketAddr = match args.listen.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: --listen {}: {e}", args.listen);
            return super::exit::USAGE;
        }
    };
    let handle = match sandbox::start(cfg, addr).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return super::exit::INTERNAL;
        }
    };
    let base = handle.base_url();
    println!("{base}");
    eprintln!(
        "Gemini API sandbox (a local simulator: replies are generated, not from a model) listening on {base}\n\
         Point the SDKs at it:\n  \
           export GOOGLE_GEMINI_BASE_URL={base}\n  \
           export GEMINI_API_KEY=sandbox-dummy-key   # any key works; see docs/sandbox.md for the magic ones\n  \
           python: genai.Client(api_key=..., http_options={{'base_url': '{base}'}})\n  \
           node:   new GoogleGenAI({{apiKey, httpOptions: {{baseUrl: '{base}'}}}})\n\
         Admin API: {base}/__sandbox/faults, /__sandbox/config, /__sandbox/reset. Ctrl-C stops."
    );
    let _ = tokio::signal::ctrl_c().await;
    eprintln!("sandbox: stopping");
    handle.shutdown().await;
    super::exit::OK
}
