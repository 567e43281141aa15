//! `gemini-doctor sandbox`: the simulator as a standalone server.

/// Arguments of `sandbox`.
#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8642")]
    pub listen: String,
}

/// Runs the standalone sandbox.
pub async fn run(_args: SandboxArgs) -> u8 {
    eprintln!("sandbox: not built yet");
    super::exit::INTERNAL
}
