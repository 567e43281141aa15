//! `gemini-doctor send PROMPT`: one generate call, text streamed to stdout, a summary
//! and any failure explained on stderr; `--json` prints the whole exchange instead.

use super::common::{ConnectArgs, connect_or_exit, prompt_or_exit};
use super::{exit, report};
use crate::gemini::client::{CallSpec, Progress};
use crate::gemini::exchange::{Exchange, OutcomeClass};
use crate::gemini::wire::{
    Content, GenerateContentRequest, GenerationConfig, SafetySetting, ThinkingConfig,
};
use crate::guide::{Context, Lang};
use std::io::Write;
use tokio_util::sync::CancellationToken;

/// Arguments of `send`.
#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// The prompt (`-` reads it from stdin).
    pub prompt: String,
    /// Model id.
    #[arg(long, short)]
    pub model: Option<String>,
    /// System instruction (v1beta).
    #[arg(long)]
    pub system: Option<String>,
    /// Sampling temperature.
    #[arg(long, allow_negative_numbers = true)]
    pub temperature: Option<f64>,
    /// Nucleus sampling (topP).
    #[arg(long, allow_negative_numbers = true)]
    pub top_p: Option<f64>,
    /// Top-k sampling.
    #[arg(long, allow_negative_numbers = true)]
    pub top_k: Option<i64>,
    /// Number of candidates.
    #[arg(long, allow_negative_numbers = true)]
    pub candidate_count: Option<i64>,
    /// Output token cap.
    #[arg(long, allow_negative_numbers = true)]
    pub max_output_tokens: Option<i64>,
    /// Stop sequence (repeatable).
    #[arg(long = "stop")]
    pub stop_sequences: Vec<String>,
    /// Sampling seed.
    #[arg(long, allow_negative_numbers = true)]
    pub seed: Option<i64>,
    /// Presence penalty.
    #[arg(long, allow_negative_numbers = true)]
    pub presence_penalty: Option<f64>,
    /// Frequency penalty.
    #[arg(long, allow_negative_numbers = true)]
    pub frequency_penalty: Option<f64>,
    /// Response MIME type (v1beta), e.g. application/json.
    #[arg(long)]
    pub response_mime_type: Option<String>,
    /// Thinking budget in tokens (v1beta; -1 dynamic, 0 off where allowed).
    #[arg(long, allow_negative_numbers = true)]
    pub thinking_budget: Option<i64>,
    /// Safety threshold as CATEGORY=THRESHOLD (repeatable).
    #[arg(long = "safety", value_name = "CATEGORY=THRESHOLD")]
    pub safety: Vec<String>,
    /// Stream the answer (streamGenerateContent?alt=sse).
    #[arg(long)]
    pub stream: bool,
    /// Print the whole exchange record as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

impl SendArgs {
    fn request(&self, prompt: &str) -> Result<GenerateContentRequest, String> {
        let mut req = GenerateContentRequest::from_prompt(prompt);
        req.system_instruction = self.system.as_deref().map(Content::text);
        let thinking = self.thinking_budget.map(|b| ThinkingConfig {
            thinking_budget: Some(b),
            ..Default::default()
        });
        let cfg = GenerationConfig {
            temperature: self.temperature,
            top_p: self.top_p,
            top_k: self.top_k,
            candidate_count: self.candidate_count,
            max_output_tokens: self.max_output_tokens,
            stop_sequences: (!self.stop_sequences.is_empty()).then(|| self.stop_sequences.clone()),
            seed: self.seed,
            presence_penalty: self.presence_penalty,
            frequency_penalty: self.frequency_penalty,
            response_mime_type: self.response_mime_type.clone(),
            thinking_config: thinking,
            ..Default::default()
        };
        if cfg != GenerationConfig::default() {
            req.generation_config = Some(cfg);
        }
        if !self.safety.is_empty() {
            let mut settings = Vec::new();
            for s in &self.safety {
                let (category, threshold) = s
                    .split_once('=')
                    .ok_or_else(|| format!("--safety {s:?}: expected CATEGORY=THRESHOLD"))?;
                settings.push(SafetySetting {
                    category: category.trim().into(),
                    threshold: threshold.trim().into(),
                });
            }
            req.safety_settings = Some(settings);
        }
        Ok(req)
    }
}

/// Runs `send`.
pub async fn run(args: SendArgs) -> u8 {
    let prompt = match prompt_or_exit(&args.prompt) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let request = match args.request(&prompt) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let ctx = match connect_or_exit(&args.connect).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    eprintln!("→ {}", ctx.backend.describe());
    let spec = CallSpec {
        model: ctx.model(args.model.as_deref()),
        api_version: ctx.version,
        stream: args.stream,
        request,
        timeout: ctx.timeout,
    };
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let print_live = !args.json;
    let mut printed_any = false;
    let mut sink = |p: Progress| {
        if !print_live {
            return;
        }
        if let Progress::Event(_, Some(chunk)) = p {
            let t = chunk.text();
            if !t.is_empty() {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(t.as_bytes());
                let _ = out.flush();
                printed_any = true;
            }
        }
    };
    let ex = ctx.backend.client.generate(&spec, &cancel, &mut sink).await;
    watcher.abort();
    ctx.record(&ex);
    if args.json {
        match serde_json::to_string_pretty(&ex) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("error: cannot render the exchange: {e}"),
        }
    } else {
        print_result(&ex, printed_any);
        let key_source = ctx.backend.key.as_ref().map(|k| k.source.to_string());
        let findings = diagnose_exchange(&ex, key_source.as_deref());
        if !findings.is_empty() {
            eprint!(
                "\n{}",
                super::explain::findings_text(&findings, Lang::resolve(None))
            );
        }
    }
    exit_code(&ex)
}

/// Diagnoses with the published model facts of the catalogue as context (top 3 findings).
pub fn diagnose_exchange(ex: &Exchange, key_source: Option<&str>) -> Vec<crate::guide::Finding> {
    let models = crate::sandbox::catalogue().wire_models();
    let mut ctx = Context::new(Lang::resolve(None));
    ctx.known_models = &models;
    ctx.model = ex
        .model
        .as_deref()
        .and_then(|m| models.iter().find(|x| x.id() == m));
    ctx.key_source = key_source;
    let mut findings = crate::guide::diagnose(ex, &ctx);
    findings.truncate(3);
    findings
}

fn print_result(ex: &Exchange, streamed: bool) {
    if !streamed {
        let text = ex.text();
        if !text.is_empty() {
            println!("{text}");
        }
    } else {
        println!();
    }
    let report = report::failure_report(ex);
    if !report.is_empty() {
        eprint!("{report}");
    }
    eprintln!("{}", report::summary_line(ex));
}

/// Exit code for an exchange's outcome.
pub fn exit_code(ex: &Exchange) -> u8 {
    match ex.outcome.class() {
        OutcomeClass::Ok => exit::OK,
        OutcomeClass::Degraded => exit::DEGRADED,
        OutcomeClass::ApiError => exit::API_ERROR,
        OutcomeClass::Transport | OutcomeClass::InFlight => exit::TRANSPORT,
        OutcomeClass::Cancelled => exit::CANCELLED,
    }
}
