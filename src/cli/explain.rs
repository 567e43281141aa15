//! `gemini-doctor explain [FILE|-] [--json] [--lang en|pt-BR]`: annotate an error the
//! user already has. Reading is done by `guide::read_input`, judging by `guide::diagnose`;
//! this file only does I/O and presentation.

use super::exit;
use crate::gemini::{ApiErrorBody, ErrorDetail, Outcome};
use crate::guide::evidence::human_secs;
use crate::guide::redact::redact;
use crate::guide::{Action, Context, Finding, Lang, ParsedInput, diagnose, read_input};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::Read;

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// File to read, or `-` for stdin.
    #[arg(default_value = "-")]
    pub input: String,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
    /// Output language: `en` or `pt-BR` (default: from LC_ALL, LC_MESSAGES, LANG).
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language `{s}` (use en or pt-BR)"))
}

/// Runs `explain`.
pub async fn run(args: ExplainArgs) -> u8 {
    let text = match read_source(&args.input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("explain: cannot read {}: {e}", args.input);
            return exit::USAGE;
        }
    };
    let lang = args.lang.unwrap_or_else(|| Lang::resolve(None));
    let (out, code) = explain_text(&text, args.json, lang);
    if code == exit::NOT_RECOGNISED && !args.json {
        eprint!("{out}");
    } else {
        print!("{out}");
    }
    code
}

fn read_source(input: &str) -> std::io::Result<String> {
    let bytes = if input == "-" {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() {
            eprintln!("explain: paste the error, then press Ctrl-D");
        }
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        b
    } else {
        std::fs::read(input)?
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The whole command without I/O: output text and exit code.
pub fn explain_text(text: &str, as_json: bool, lang: Lang) -> (String, u8) {
    match read_input(text) {
        Err(nr) => {
            let out = if as_json {
                let v = json!({
                    "recognised_as": Value::Null,
                    "error": Value::Null,
                    "findings": [],
                    "looked_for": nr.looked_for,
                });
                format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
            } else {
                let mut s = lang
                    .pick("Not recognised: this does not look like a Gemini API error, response or SDK exception.\nLooked for:\n",
                          "Não reconhecido: isto não parece um erro, resposta ou exceção de SDK da API Gemini.\nFormatos procurados:\n")
                    .to_string();
                for l in nr.looked_for {
                    let _ = writeln!(s, "  - {l}");
                }
                s
            };
            (out, exit::NOT_RECOGNISED)
        }
        Ok(p) => {
            let ctx = Context {
                lang,
                sdk_error: p.sdk_error.as_deref(),
                ..Context::default()
            };
            let findings = diagnose(&p.exchange, &ctx);
            let out = if as_json {
                let v = to_json(&p, &findings, lang);
                format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
            } else {
                to_text(&p, &findings, lang)
            };
            (out, exit::OK)
        }
    }
}

/// The `--json` document: `{recognised_as, error, findings, …}`.
pub fn to_json(p: &ParsedInput, findings: &[Finding], lang: Lang) -> Value {
    let error = p.error().map(|e| {
        json!({
            "code": e.code,
            "status": e.status,
            "message": redact(&e.message),
            "reason": e.reason(),
            "details": e.details,
        })
    });
    let findings: Vec<Value> = findings
        .iter()
        .map(|f| {
            json!({
                "id": f.entry_id,
                "severity": f.severity,
                "title": f.title,
                "cause": f.cause,
                "evidence": f.evidence,
                "fix": f.fix,
                "actions": f.actions,
                "doc": f.doc,
            })
        })
        .collect();
    json!({
        "recognised_as": p.format,
        "format": p.format.describe(),
        "lang": lang,
        "sdk_error": p.sdk_error,
        "outcome": p.exchange.outcome.short_label(),
        "http_status": p.exchange.status(),
        "error": error,
        "findings": findings,
    })
}

/// The human-readable report.
pub fn to_text(p: &ParsedInput, findings: &[Finding], lang: Lang) -> String {
    let l = |en: &'static str, pt: &'static str| lang.pick(en, pt);
    let mut s = String::new();
    let class = p
        .sdk_error
        .as_deref()
        .map_or(String::new(), |c| format!(" ({c})"));
    let _ = writeln!(
        s,
        "{} {}{class}",
        l("Recognised as:", "Reconhecido como:"),
        p.format.describe_in(lang)
    );
    if p.nesting > 0 {
        let _ = writeln!(
            s,
            "  {} {}",
            l(
                "nested error levels unwrapped:",
                "níveis de erro aninhado desembrulhados:"
            ),
            p.nesting
        );
    }
    match &p.exchange.outcome {
        Outcome::ApiError { error, in_stream } => error_block(&mut s, error, *in_stream, lang),
        Outcome::InFlight => {}
        other => {
            let _ = writeln!(
                s,
                "{} {}",
                l("Outcome:", "Resultado:"),
                redact(&other.short_label())
            );
        }
    }
    s.push('\n');
    if findings.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            l(
                "No known problem matches this input.",
                "Nenhum problema conhecido corresponde a esta entrada."
            )
        );
        return s;
    }
    s.push_str(&findings_text(findings, lang));
    s
}

/// The ranked findings with cause, evidence, fix, actions and docs (shared with `send`).
pub fn findings_text(findings: &[Finding], lang: Lang) -> String {
    let l = |en: &'static str, pt: &'static str| lang.pick(en, pt);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        l(
            "Findings (most likely first):",
            "Diagnóstico (mais provável primeiro):"
        )
    );
    for (i, f) in findings.iter().enumerate() {
        let _ = writeln!(
            s,
            "\n{}. [{}] {}  ({})",
            i + 1,
            severity(f.severity, lang),
            f.title,
            f.entry_id
        );
        let _ = writeln!(s, "   {} {}", l("Why:", "Por quê:"), f.cause);
        if !f.evidence.is_empty() {
            let _ = writeln!(s, "   {}", l("In this call:", "Nesta chamada:"));
            for e in &f.evidence {
                let _ = writeln!(s, "     - {e}");
            }
        }
        let _ = writeln!(s, "   {} {}", l("Fix:", "Correção:"), f.fix);
        if !f.actions.is_empty() {
            let acts: Vec<String> = f.actions.iter().map(|a| describe_action(a, lang)).collect();
            let _ = writeln!(s, "   {} {}", l("Actions:", "Ações:"), acts.join("; "));
        }
        let _ = writeln!(s, "   {} {}", l("Docs:", "Docs:"), f.doc);
    }
    s
}

fn error_block(s: &mut String, e: &ApiErrorBody, in_stream: bool, lang: Lang) {
    let l = |en: &'static str, pt: &'static str| lang.pick(en, pt);
    let mid = if in_stream {
        l(" (inside a stream)", " (dentro de um stream)")
    } else {
        ""
    };
    let _ = writeln!(s, "{} {} {}{mid}", l("Error:", "Erro:"), e.code, e.status);
    if let Some((reason, domain, _)) = e.error_info() {
        let _ = writeln!(s, "  {} {reason} ({domain})", l("reason:", "motivo:"));
    }
    let msg = redact(&e.message);
    let mut lines = msg.lines();
    if let Some(first) = lines.next() {
        let _ = writeln!(s, "  {} {first}", l("message:", "mensagem:"));
        for more in lines {
            let _ = writeln!(s, "           {more}");
        }
    }
    for d in &e.details {
        match d {
            ErrorDetail::QuotaFailure { violations } => {
                for v in violations {
                    let limit = v.quota_value.as_deref().unwrap_or("?");
                    let _ = writeln!(
                        s,
                        "  {} {} = {limit} ({})",
                        l("quota:", "cota:"),
                        v.quota_metric,
                        v.quota_id
                    );
                }
            }
            ErrorDetail::RetryInfo { retry_delay } => {
                let _ = writeln!(s, "  {} {retry_delay}", l("retry delay:", "aguardar:"));
            }
            ErrorDetail::Help { links } => {
                for link in links {
                    let _ = writeln!(s, "  {} {}", l("help:", "ajuda:"), link.url);
                }
            }
            ErrorDetail::BadRequest { field_violations } => {
                for v in field_violations
                    .iter()
                    .filter(|v| !e.message.contains(&v.description))
                {
                    let _ = writeln!(
                        s,
                        "  {} {} {}",
                        l("field:", "campo:"),
                        v.field.as_deref().unwrap_or("-"),
                        v.description
                    );
                }
            }
            _ => {}
        }
    }
}

fn severity(s: crate::guide::Severity, lang: Lang) -> &'static str {
    use crate::guide::Severity;
    match s {
        Severity::Info => "info",
        Severity::Warning => lang.pick("warning", "aviso"),
        Severity::Error => lang.pick("error", "erro"),
    }
}

/// One action as a short phrase.
pub fn describe_action(a: &Action, lang: Lang) -> String {
    match a {
        Action::Retry => lang.pick("retry now", "tentar de novo agora").into(),
        Action::RetryAfterDelay { delay, from_server } => {
            let who = match (from_server, lang) {
                (true, Lang::En) => " (server's delay)",
                (true, Lang::PtBr) => " (prazo do servidor)",
                (false, _) => "",
            };
            format!(
                "{} {}{who}",
                lang.pick("retry after", "tentar de novo após"),
                human_secs(*delay)
            )
        }
        Action::SwitchFallbackModel { model: Some(m) } => {
            format!(
                "{} {m}",
                lang.pick("switch to model", "trocar para o modelo")
            )
        }
        Action::SwitchFallbackModel { model: None } => lang
            .pick("switch to another model", "trocar de modelo")
            .into(),
        Action::RaiseTimeout { to } => format!(
            "{} {}",
            lang.pick("raise the timeout to", "aumentar o tempo limite para"),
            human_secs(*to)
        ),
        Action::ClampParameter { field, to } if to.is_null() => {
            format!("{} {field}", lang.pick("remove", "remover"))
        }
        Action::ClampParameter { field, to } => {
            format!("{} {field} = {to}", lang.pick("set", "definir"))
        }
        Action::SwitchApiVersion { to } => format!(
            "{} {to}",
            lang.pick("call API version", "chamar a versão da API")
        ),
        Action::ReducePrompt {
            max_tokens: Some(n),
        } => {
            format!(
                "{} {n} tokens",
                lang.pick(
                    "shorten the prompt to at most",
                    "encurtar o prompt para no máximo"
                )
            )
        }
        Action::ReducePrompt { max_tokens: None } => {
            lang.pick("shorten the prompt", "encurtar o prompt").into()
        }
        Action::CheckKey { source: Some(src) } => format!(
            "{} {src}",
            lang.pick("check the key in", "verificar a chave em")
        ),
        Action::CheckKey { source: None } => lang
            .pick("check the API key", "verificar a chave de API")
            .into(),
    }
}
