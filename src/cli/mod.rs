//! The command line: argument parsing and the headless commands.
//! stdout carries data, stderr carries diagnostics.

pub mod common;
pub mod count;
pub mod explain;
pub mod history;
pub mod models;
pub mod report;
pub mod sandbox;
pub mod send;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit codes shared by the headless commands (documented in the README).
pub mod exit {
    /// The call succeeded.
    pub const OK: u8 = 0;
    /// Something unexpected inside gemini-doctor (I/O, config).
    pub const INTERNAL: u8 = 1;
    /// Bad usage (clap also uses 2).
    pub const USAGE: u8 = 2;
    /// The API answered with an error status.
    pub const API_ERROR: u8 = 3;
    /// HTTP 200 but the prompt was blocked, generation stopped early or came back empty.
    pub const DEGRADED: u8 = 4;
    /// Network, proxy, stream or parsing failure.
    pub const TRANSPORT: u8 = 5;
    /// Input not recognised (`explain`).
    pub const NOT_RECOGNISED: u8 = 6;
    /// Cancelled (Ctrl-C).
    pub const CANCELLED: u8 = 130;
}

/// gemini-doctor: see why a Gemini API call failed and what to do about it.
#[derive(Debug, Parser)]
#[command(name = "gemini-doctor", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    console: ConsoleArgs,
}

/// Options of the console (no subcommand).
#[derive(Debug, Clone, clap::Args)]
struct ConsoleArgs {
    /// Base URL of the API for the console (a proxy, a standalone sandbox).
    #[arg(long, env = crate::backend::BASE_URL_ENV, value_name = "URL")]
    base_url: Option<String>,
    /// Use the embedded sandbox even when an API key is set.
    #[arg(long, conflicts_with = "base_url")]
    sandbox: bool,
    /// Model to start with.
    #[arg(long, value_name = "MODEL")]
    model: Option<String>,
    /// API version to start with.
    #[arg(long, value_parser = |s: &str| crate::gemini::wire::ApiVersion::parse(s).ok_or(format!("{s:?} is not v1 or v1beta")), value_name = "v1|v1beta")]
    api_version: Option<crate::gemini::wire::ApiVersion>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Send one prompt and print the answer, a summary and any failure explained.
    Send(Box<send::SendArgs>),
    /// List the models the API serves, with their limits.
    Models(models::ModelsArgs),
    /// Count the tokens of a prompt.
    Count(count::CountArgs),
    /// Show the request history.
    History(history::HistoryArgs),
    /// Explain an error you already have (JSON body, curl -i dump, SDK traceback).
    Explain(explain::ExplainArgs),
    /// Run the local Gemini API simulator.
    Sandbox(sandbox::SandboxArgs),
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(exit::INTERNAL);
        }
    };
    let code = rt.block_on(async move {
        match cli.command {
            None => {
                let c = cli.console;
                crate::tui::run(crate::tui::ConsoleOptions {
                    sandbox: c.sandbox,
                    base_url: c.base_url,
                    model: c.model,
                    api_version: c.api_version,
                })
                .await
            }
            Some(Command::Send(a)) => send::run(*a).await,
            Some(Command::Models(a)) => models::run(a).await,
            Some(Command::Count(a)) => count::run(a).await,
            Some(Command::History(a)) => history::run(a).await,
            Some(Command::Explain(a)) => explain::run(a).await,
            Some(Command::Sandbox(a)) => sandbox::run(a).await,
        }
    });
    ExitCode::from(code)
}
