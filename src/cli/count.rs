//! `gemini-doctor count PROMPT`: countTokens.

use super::common::{ConnectArgs, connect_or_exit, prompt_or_exit};
use super::{exit, report, send::exit_code};
use crate::gemini::exchange::Outcome;
use crate::gemini::wire::{Content, CountTokensRequest, CountTokensResponse};
use tokio_util::sync::CancellationToken;

/// Arguments of `count`.
#[derive(Debug, clap::Args)]
pub struct CountArgs {
    /// The prompt (`-` reads stdin).
    pub prompt: String,
    /// Model id.
    #[arg(long, short)]
    pub model: Option<String>,
    /// Print the exchange as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Runs `count`.
pub async fn run(args: CountArgs) -> u8 {
    let prompt = match prompt_or_exit(&args.prompt) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let ctx = match connect_or_exit(&args.connect).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let model = ctx.model(args.model.as_deref());
    let req = CountTokensRequest {
        contents: Some(vec![Content::user_text(&prompt)]),
        ..Default::default()
    };
    let ex = ctx
        .backend
        .client
        .count_tokens(
            &model,
            ctx.version,
            &req,
            ctx.timeout,
            &CancellationToken::new(),
        )
        .await;
    ctx.record(&ex);
    if args.json {
        match serde_json::to_string_pretty(&ex) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("error: {e}"),
        }
        return exit_code(&ex);
    }
    if ex.outcome == Outcome::Success {
        let parsed: Option<CountTokensResponse> = ex
            .result_json
            .clone()
            .and_then(|v| serde_json::from_value(v).ok());
        match parsed {
            Some(c) => println!("{}", c.total_tokens),
            None => println!("0"),
        }
        eprintln!("{}", report::summary_line(&ex));
        return exit::OK;
    }
    eprint!("{}", report::failure_report(&ex));
    eprintln!("{}", report::summary_line(&ex));
    exit_code(&ex)
}
