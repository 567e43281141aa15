//! `gemini-doctor explain [FILE|-]`.

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// File to read, or `-` for stdin.
    #[arg(default_value = "-")]
    pub input: String,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `explain`.
pub async fn run(_args: ExplainArgs) -> u8 {
    eprintln!("explain: not built yet");
    super::exit::INTERNAL
}
