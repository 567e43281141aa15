//! `gemini-doctor models`: the live model list with each model's limits.

use super::common::{ConnectArgs, connect_or_exit};
use super::{exit, report, send::exit_code};
use crate::gemini::wire::Model;
use tokio_util::sync::CancellationToken;

/// Arguments of `models`.
#[derive(Debug, clap::Args)]
pub struct ModelsArgs {
    /// Print the models as JSON.
    #[arg(long)]
    pub json: bool,
    /// Models per page requested from the API.
    #[arg(long, default_value_t = 50)]
    pub page_size: u32,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Runs `models`.
pub async fn run(args: ModelsArgs) -> u8 {
    let ctx = match connect_or_exit(&args.connect).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    eprintln!("→ {}", ctx.backend.describe());
    let listing = ctx
        .backend
        .client
        .list_models(
            ctx.version,
            args.page_size,
            ctx.timeout,
            &CancellationToken::new(),
        )
        .await;
    if listing.failed {
        let last = listing.pages.last().expect("a failed listing has a page");
        ctx.record(last);
        eprint!("{}", report::failure_report(last));
        eprintln!("{}", report::summary_line(last));
        return exit_code(last);
    }
    if args.json {
        match serde_json::to_string_pretty(&listing.models) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("error: {e}"),
        }
    } else {
        print!("{}", table(&listing.models));
    }
    eprintln!(
        "{} models in {} page(s)",
        listing.models.len(),
        listing.pages.len()
    );
    exit::OK
}

/// A fixed-width table of models and their limits.
pub fn table(models: &[Model]) -> String {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let rows: Vec<[String; 7]> = models
        .iter()
        .map(|m| {
            [
                m.id().to_string(),
                opt(m.input_token_limit.map(|n| n.to_string())),
                opt(m.output_token_limit.map(|n| n.to_string())),
                match (m.temperature, m.max_temperature) {
                    (Some(t), Some(mx)) => format!("{t}/{mx}"),
                    (Some(t), None) => t.to_string(),
                    _ => "-".into(),
                },
                opt(m.top_p.map(|v| v.to_string())),
                opt(m.top_k.map(|v| v.to_string())),
                m.supported_generation_methods.join(","),
            ]
        })
        .collect();
    let header = [
        "MODEL", "INPUT", "OUTPUT", "TEMP/MAX", "TOP_P", "TOP_K", "METHODS",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let last = cells.len() - 1;
        for (i, c) in cells.iter().enumerate() {
            if i == last {
                out.push_str(c);
            } else {
                out.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        out.push('\n');
    };
    line(header.to_vec());
    for r in &rows {
        line(r.iter().map(String::as_str).collect());
    }
    out
}
