//! Evidence: sentences about *this* call, in both languages, each tagged with a topic.
//! A finding shows the lines of its own group and of the topics its entry lists.

use super::context::Context;
use super::facts::Facts;
use super::fuzzy::{WELL_KNOWN_MODELS, did_you_mean};
use super::lang::Bi;
use crate::gemini::wire::FinishReason;
use std::time::Duration;

/// Topics an entry may list in `evidence = [...]`.
pub const TOPICS: [&str; 18] = [
    "call", "backend", "sdk", "param", "version", "request", "model", "safety", "output", "tokens",
    "key", "quota", "location", "net", "stream", "response", "retry", "timeout",
];

/// One evidence line.
#[derive(Debug, Clone)]
pub struct Line {
    /// Topic it belongs to.
    pub topic: &'static str,
    /// The sentence.
    pub text: Bi,
}

/// Seconds for humans: `37 s`, `1.5 s`, `2 min 5 s`.
pub fn human_secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 120.0 {
        let whole = s.round() as u64;
        format!("{} min {} s", whole / 60, whole % 60)
    } else if s >= 10.0 || s.fract() < 0.05 {
        format!("{} s", s.round() as u64)
    } else {
        format!("{s:.1} s")
    }
}

/// The "did you mean" suggestion for the model the call named.
pub fn model_suggestion(f: &Facts, ctx: &Context) -> Option<String> {
    let name = f.model.as_deref()?;
    let found = if ctx.known_models.is_empty() {
        did_you_mean(name, WELL_KNOWN_MODELS)
    } else {
        did_you_mean(name, ctx.known_models.iter().map(|m| m.id()))
    };
    found.map(str::to_string)
}

/// Every evidence line the facts support.
pub fn collect(f: &Facts, ctx: &Context) -> Vec<Line> {
    let mut out = Vec::new();
    let mut add = |topic: &'static str, en: String, pt: String| {
        out.push(Line {
            topic,
            text: Bi::new(en, pt),
        })
    };

    for q in &f.quotas {
        let per = if q.per_minute() {
            Some(("/min", "/min"))
        } else if q.per_day() {
            Some(("/day", "/dia"))
        } else {
            None
        };
        let limit = match (&q.limit, per) {
            (Some(l), Some((en, pt))) => {
                (format!(" (limit {l}{en})"), format!(" (limite {l}{pt})"))
            }
            (Some(l), None) => (format!(" (limit {l})"), format!(" (limite {l})")),
            (None, _) => (String::new(), String::new()),
        };
        let model = q
            .model
            .as_deref()
            .map_or((String::new(), String::new()), |m| {
                (format!(" for {m}"), format!(" para o {m}"))
            });
        let retry = f.retry.map_or((String::new(), String::new()), |d| {
            (
                format!("; server asks to retry in {}", human_secs(d)),
                format!("; o servidor pede nova tentativa em {}", human_secs(d)),
            )
        });
        add(
            "quota",
            format!(
                "quota {}{}{} exhausted{}",
                q.metric, limit.0, model.0, retry.0
            ),
            format!(
                "cota {}{}{} esgotada{}",
                q.metric, limit.1, model.1, retry.1
            ),
        );
        // A zero limit never refills: the window lines below would promise otherwise.
        if q.zero() {
        } else if q.per_day() {
            add(
                "quota",
                format!(
                    "{} is a per-day quota: it resets at midnight Pacific time, retrying sooner will fail",
                    q.quota_id
                ),
                format!(
                    "{} é uma cota diária: ela zera à meia-noite do horário do Pacífico; tentar antes vai falhar",
                    q.quota_id
                ),
            );
        } else if q.per_minute() {
            add(
                "quota",
                format!(
                    "{} is a per-minute quota: it refills within a minute",
                    q.quota_id
                ),
                format!(
                    "{} é uma cota por minuto: ela se recompõe em até um minuto",
                    q.quota_id
                ),
            );
        }
    }
    if f.signals.contains("quota_limit_zero") {
        add(
            "quota",
            "limit: 0 means this tier has no quota for this model — waiting will not help".into(),
            "limit: 0 significa que este nível não tem cota para este modelo — esperar não resolve"
                .into(),
        );
    }
    // The quota lines already carry the delay; say it on its own only without them.
    if let Some(d) = f.retry.filter(|_| f.quotas.is_empty()) {
        let (en, pt) = if f
            .ex
            .outcome
            .api_error()
            .is_some_and(|e| e.retry_delay().is_some())
        {
            ("RetryInfo", "RetryInfo")
        } else {
            ("the message", "a mensagem")
        };
        add(
            "retry",
            format!("{en} asks to retry in {}", human_secs(d)),
            format!("{pt} pede nova tentativa em {}", human_secs(d)),
        );
    }
    if f.model_missing() {
        if let Some(m) = &f.model {
            match model_suggestion(f, ctx) {
                Some(s) => add(
                    "model",
                    format!("model '{m}' not found — did you mean '{s}'?"),
                    format!("modelo '{m}' não encontrado — você quis dizer '{s}'?"),
                ),
                None => add(
                    "model",
                    format!(
                        "model '{m}' not found on {} (retired, misspelled, or not a generateContent model)",
                        f.version.0
                    ),
                    format!(
                        "modelo '{m}' não encontrado na {} (descontinuado, grafado errado ou sem generateContent)",
                        f.version.0
                    ),
                ),
            }
        }
    } else if f.http == Some(403)
        && f.message_has("caller does not have permission")
        && let Some(m) = &f.model
    {
        add(
            "model",
            format!("model '{m}' may not be available to this project or tier"),
            format!("o modelo '{m}' pode não estar liberado para este projeto ou nível"),
        );
    }
    for v in &f.violations {
        let topic = match v.entry.split('.').next() {
            Some("version") => "version",
            Some("tokens") => "tokens",
            Some("model") => "model",
            _ => "param",
        };
        add(topic, v.text.en.clone(), v.text.pt.clone());
    }
    let version_lines = f
        .violations
        .iter()
        .any(|v| v.entry == "version.v1beta_only_field");
    for (name, path) in &f.unknown_names {
        let at = path
            .as_deref()
            .map_or(String::new(), |p| format!(" (at '{p}')"));
        if f.signals.contains("v1beta_field_on_v1") && super::checks::is_v1beta_only(name) {
            if !version_lines {
                let called = if f.version.1 {
                    ("you called v1", "a chamada foi para a v1")
                } else {
                    (
                        "this error means the call went to v1",
                        "este erro indica que a chamada foi para a v1",
                    )
                };
                add(
                    "version",
                    format!(
                        "{} is only accepted on v1beta; {}",
                        super::checks::camel(name),
                        called.0
                    ),
                    format!(
                        "{} só é aceito na v1beta; {}",
                        super::checks::camel(name),
                        called.1
                    ),
                );
            }
        } else {
            add(
                "request",
                format!(
                    "the server does not know the field \"{name}\"{at}: misspelled, misplaced or unsupported"
                ),
                format!(
                    "o servidor não conhece o campo \"{name}\"{at}: nome errado, fora do lugar ou não suportado"
                ),
            );
        }
    }
    if let Some((n, lim)) = f.token_overflow {
        add(
            "tokens",
            format!(
                "the prompt has {n} tokens; the limit is {lim} ({} over)",
                n.saturating_sub(lim)
            ),
            format!(
                "o prompt tem {n} tokens; o limite é {lim} ({} a mais)",
                n.saturating_sub(lim)
            ),
        );
    }
    if let Some(src) = ctx.key_source {
        add(
            "key",
            format!("the key came from {src}"),
            format!("a chave veio de {src}"),
        );
    }
    if let Some(r) = &f.reason {
        add(
            "key",
            format!("ErrorInfo reason {r}"),
            format!("motivo no ErrorInfo: {r}"),
        );
    }
    if let (Some(class), Some(line)) = (ctx.sdk_error, f.ex.body.as_deref())
        && f.outcome == "in_flight"
    {
        let line = super::redact::redact(line);
        add(
            "sdk",
            format!("{class} was raised on your machine, before or after the HTTP call: {line}"),
            format!("{class} foi lançada na sua máquina, antes ou depois da chamada HTTP: {line}"),
        );
    }
    output_lines(f, &mut add);
    transport_lines(f, &mut add);
    call_lines(f, &mut add);
    out
}

/// What the service answered and which credential the call carried, in this call's words.
fn call_lines(f: &Facts, add: &mut impl FnMut(&'static str, String, String)) {
    if f.outcome == "api_error"
        && let Some(code) = f.http
    {
        let status = f.status.as_deref().unwrap_or("");
        let first = f
            .message
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let said = crate::gemini::client::snippet(first, 240);
        add(
            "backend",
            format!("the service answered HTTP {code} {status}: \"{said}\""),
            format!("o serviço respondeu HTTP {code} {status}: \"{said}\""),
        );
    }
    if matches!(f.http, Some(400 | 401 | 403)) && f.outcome == "api_error" {
        let sent =
            f.ex.request
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("x-goog-api-key"))
                .map(|(_, v)| v.as_str());
        match sent {
            Some(masked) => add(
                "key",
                format!("the call sent the key {masked} in x-goog-api-key"),
                format!("a chamada enviou a chave {masked} em x-goog-api-key"),
            ),
            None if !f.ex.request.url.contains("key=") => add(
                "key",
                "the call sent no API key: no x-goog-api-key header and no key= parameter".into(),
                "a chamada não enviou chave de API: sem cabeçalho x-goog-api-key e sem parâmetro key=".into(),
            ),
            None => {}
        }
    }
    if let crate::gemini::Outcome::Malformed { message } = &f.ex.outcome {
        add(
            "response",
            format!("the body could not be read as a Gemini response: {message}"),
            format!("o corpo não pôde ser lido como resposta do Gemini: {message}"),
        );
    }
}

fn output_lines(f: &Facts, add: &mut impl FnMut(&'static str, String, String)) {
    let usage = f.ex.usage();
    if f.signals.contains("thinking_exhausted") {
        let thoughts = usage.and_then(|u| u.thoughts_token_count).unwrap_or(0);
        let max =
            f.ex.generation_config()
                .and_then(|g| {
                    g.get("maxOutputTokens")
                        .or_else(|| g.get("max_output_tokens"))
                })
                .and_then(|v| v.as_u64());
        match max {
            Some(m) => add(
                "output",
                format!("thinking used {thoughts} of {m} output tokens, no text left"),
                format!(
                    "o raciocínio usou {thoughts} de {m} tokens de saída e não sobrou nada para o texto"
                ),
            ),
            None => add(
                "output",
                format!("thinking used {thoughts} output tokens and the answer has no text"),
                format!("o raciocínio usou {thoughts} tokens de saída e a resposta veio sem texto"),
            ),
        }
    } else if f.finish.as_deref() == Some(FinishReason::MaxTokens.as_str()) {
        let visible = usage.and_then(|u| u.candidates_token_count).unwrap_or(0);
        add(
            "output",
            format!("generation stopped at the output limit after {visible} visible tokens"),
            format!("a geração parou no limite de saída depois de {visible} tokens visíveis"),
        );
    } else if let Some(fr) = &f.finish
        && fr != "STOP"
    {
        let empty = f.signals.contains("empty_text");
        add(
            "output",
            format!(
                "finish reason {fr}{}",
                if empty {
                    ", no text returned"
                } else {
                    ", the text is incomplete"
                }
            ),
            format!(
                "finishReason {fr}{}",
                if empty {
                    ", nenhum texto retornado"
                } else {
                    ", o texto está incompleto"
                }
            ),
        );
    } else if f.outcome == "empty_response" {
        add(
            "output",
            "finish reason STOP but the candidate has no text parts".into(),
            "finishReason STOP, mas o candidato não tem partes de texto".into(),
        );
    }
    if f.outcome == "stopped_early" && !f.message.is_empty() {
        add(
            "output",
            format!("finishMessage: {}", f.message),
            format!("finishMessage: {}", f.message),
        );
    }
    if let Some(b) = &f.block {
        add(
            "safety",
            format!("the prompt was blocked (blockReason {b}); no candidates were generated"),
            format!("o prompt foi bloqueado (blockReason {b}); nenhum candidato foi gerado"),
        );
    }
    let ratings = f.ex.result.as_ref().map(|r| {
        let mut v: Vec<_> = r
            .prompt_feedback
            .iter()
            .flat_map(|p| p.safety_ratings.iter())
            .collect();
        v.extend(
            r.first_candidate()
                .into_iter()
                .flat_map(|c| c.safety_ratings.iter()),
        );
        v
    });
    for r in ratings.into_iter().flatten() {
        if r.blocked == Some(true) || matches!(r.probability.as_str(), "MEDIUM" | "HIGH") {
            add(
                "safety",
                format!(
                    "{} rated {}{}",
                    r.category,
                    r.probability,
                    if r.blocked == Some(true) {
                        " (blocked)"
                    } else {
                        ""
                    }
                ),
                format!(
                    "{} avaliado como {}{}",
                    r.category,
                    r.probability,
                    if r.blocked == Some(true) {
                        " (bloqueou)"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
}

fn transport_lines(f: &Facts, add: &mut impl FnMut(&'static str, String, String)) {
    if let Some(t) = &f.html_title {
        add(
            "net",
            format!(
                "the body is an HTML page titled '{t}' — it came from a proxy or load balancer, not from the Gemini API"
            ),
            format!(
                "o corpo é uma página HTML com título '{t}' — veio de um proxy ou balanceador, não da API Gemini"
            ),
        );
    } else if f.signals.contains("text_body") || f.signals.contains("empty_body") {
        let code = f.http.map_or(String::new(), |c| c.to_string());
        let body = if f.message.trim().is_empty() {
            (" (empty body)".to_string(), " (corpo vazio)".to_string())
        } else {
            let s = crate::gemini::client::snippet(f.message.trim(), 120);
            (format!(": \"{s}\""), format!(": \"{s}\""))
        };
        add(
            "net",
            format!(
                "HTTP {code} with a body that is not the Google error JSON — something between you and the API answered{}",
                body.0
            ),
            format!(
                "HTTP {code} com um corpo que não é o JSON de erro do Google — algo entre você e a API respondeu{}",
                body.1
            ),
        );
    }
    if f.transport.is_some() && !f.message.is_empty() {
        add(
            "net",
            format!("the HTTP stack said: {}", f.message),
            format!("a pilha HTTP disse: {}", f.message),
        );
    }
    if matches!(
        f.transport,
        Some(
            crate::gemini::TransportKind::TimeoutBeforeHeaders
                | crate::gemini::TransportKind::TimeoutMidBody
        )
    ) && let Some(ms) = f.ex.timeout_ms
    {
        let d = human_secs(Duration::from_millis(ms));
        add(
            "timeout",
            format!("the client gave up after its timeout of {d}"),
            format!("o cliente desistiu ao fim do tempo limite de {d}"),
        );
    }
    if let crate::gemini::Outcome::StreamInterrupted {
        events_received, ..
    } = &f.ex.outcome
    {
        let (en, pt) = if *events_received == 1 {
            ("stream event arrived", "evento do stream chegou")
        } else {
            ("stream events arrived", "eventos do stream chegaram")
        };
        add(
            "stream",
            format!("{events_received} {en} before the break; the text so far is partial"),
            format!("{events_received} {pt} antes da queda; o texto até aqui está incompleto"),
        );
    }
    let partial = f.ex.text().chars().count();
    if partial > 0 && matches!(f.outcome, "api_error" | "stream_interrupted") {
        add(
            "stream",
            format!(
                "{partial} characters of text arrived before it failed; that text is incomplete"
            ),
            format!(
                "{partial} caracteres de texto chegaram antes da falha; esse texto está incompleto"
            ),
        );
    }
    if f.signals.contains("in_stream") {
        add(
            "stream",
            "the error arrived inside a stream that had already started with HTTP 200".into(),
            "o erro chegou dentro de um stream que já tinha começado com HTTP 200".into(),
        );
    }
}
