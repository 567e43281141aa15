//! `gemini-doctor history`: the request log without the console.

use super::exit;
use crate::store::config;
use crate::store::history::History;
use crate::store::paths::Paths;

/// Arguments of `history`.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Only failed calls.
    #[arg(long)]
    pub failed: bool,
    /// Print full exchange records as JSON lines.
    #[arg(long)]
    pub json: bool,
    /// Show at most this many (newest) entries.
    #[arg(long, short = 'n')]
    pub limit: Option<usize>,
}

/// Runs `history`.
pub async fn run(args: HistoryArgs) -> u8 {
    let paths = Paths::discover();
    let max_bytes = config::load(&paths.config_file)
        .map(|c| c.config.history.max_bytes)
        .unwrap_or(crate::store::history::DEFAULT_MAX_BYTES);
    let history = History::new(paths.history_file(), max_bytes);
    let loaded = match history.load() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", history.path().display());
            return exit::INTERNAL;
        }
    };
    for s in &loaded.skipped {
        eprintln!(
            "warning: skipped {} line {}: {}",
            s.file.display(),
            s.line,
            s.reason
        );
    }
    let mut entries: Vec<_> = loaded
        .entries
        .iter()
        .filter(|e| !args.failed || e.summary.is_failure())
        .collect();
    if let Some(n) = args.limit {
        let drop = entries.len().saturating_sub(n);
        entries.drain(..drop);
    }
    for e in entries {
        if args.json {
            match history.read(e.location) {
                Ok(ex) => println!("{}", serde_json::to_string(&ex).unwrap_or_default()),
                Err(err) => eprintln!("warning: entry {}: {err}", e.summary.id),
            }
        } else {
            let s = &e.summary;
            let opt_ms =
                |v: Option<f64>| v.map(|m| format!("{m:.0}ms")).unwrap_or_else(|| "-".into());
            println!(
                "{}  {:<24} {:<6} {:<26} ttfb {:>7}  total {:>7}  tok {:>5}/{:<5} {}",
                s.started_at,
                s.model,
                s.api_version,
                s.outcome,
                opt_ms(s.ttfb_ms),
                opt_ms(s.total_ms),
                s.tokens_in
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "-".into()),
                s.tokens_out
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "-".into()),
                s.finish_reason.as_deref().unwrap_or("")
            );
        }
    }
    exit::OK
}
