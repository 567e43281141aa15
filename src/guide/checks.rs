//! Checks of a request body against the documented ranges and the model's metadata.
//! Shared by `preflight` (before sending) and `diagnose` (explaining a 400 after the fact).

use super::action::Action;
use super::context::Context;
use super::lang::Bi;
use crate::gemini::ApiVersion;
use serde_json::{Value, json};

/// One problem in a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Knowledge-base entry that explains it.
    pub entry: &'static str,
    /// Signal raised for matching.
    pub signal: &'static str,
    /// Evidence text.
    pub text: Bi,
    /// The corrective action, with its data.
    pub action: Option<Action>,
}

/// Top-level request fields that exist only in v1beta (camelCase).
pub const V1BETA_TOP: [&str; 4] = ["systemInstruction", "tools", "toolConfig", "cachedContent"];
/// `generationConfig` fields that exist only in v1beta.
pub const V1BETA_GEN: [&str; 9] = [
    "responseMimeType",
    "responseSchema",
    "responseJsonSchema",
    "responseModalities",
    "speechConfig",
    "thinkingConfig",
    "imageConfig",
    "mediaResolution",
    "_responseJsonSchema",
];
/// `Part` fields that exist only in v1beta.
pub const V1BETA_PART: [&str; 8] = [
    "functionCall",
    "functionResponse",
    "fileData",
    "executableCode",
    "codeExecutionResult",
    "thought",
    "thoughtSignature",
    "partMetadata",
];

/// `snake_case` → `camelCase` (the API accepts both spellings).
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut up = false;
    for (i, c) in name.chars().enumerate() {
        if c == '_' && i > 0 {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a field name (either spelling) is v1beta-only anywhere in the request.
pub fn is_v1beta_only(name: &str) -> bool {
    let c = camel(name);
    V1BETA_TOP.contains(&c.as_str())
        || V1BETA_GEN.contains(&c.as_str())
        || V1BETA_PART.contains(&c.as_str())
}

fn get<'v>(obj: &'v Value, camel_name: &str) -> Option<&'v Value> {
    obj.get(camel_name).or_else(|| {
        let snake: String = camel_name
            .chars()
            .flat_map(|c| {
                if c.is_ascii_uppercase() {
                    vec!['_', c.to_ascii_lowercase()]
                } else {
                    vec![c]
                }
            })
            .collect();
        obj.get(snake.as_str())
    })
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

/// Accepted thinking budget `(min, max, zero_allowed)` by model family, from the docs table.
fn thinking_range(model_id: &str, ctx: &Context) -> Option<(i64, i64, bool)> {
    if let Some((lo, hi)) = ctx.thinking_budget {
        return Some((lo, hi, lo == 0));
    }
    let id = model_id.to_ascii_lowercase();
    if id.contains("2.5-pro") {
        Some((128, 32768, false))
    } else if id.contains("2.5-flash-lite") {
        Some((512, 24576, true))
    } else if id.contains("2.5-flash") {
        Some((0, 24576, true))
    } else {
        None
    }
}

/// Checks a request body (JSON, either spelling) for the model in `model_id`.
pub fn check_request(
    body: &Value,
    version: ApiVersion,
    model_id: Option<&str>,
    ctx: &Context,
    prompt_tokens: Option<u64>,
) -> Vec<Violation> {
    let mut out = Vec::new();
    // Metadata of another model would give wrong limits: use ctx.model only if it is this one.
    let model = match model_id {
        Some(id) => ctx.find_model(id),
        None => ctx.model,
    };
    let name = model
        .map(|m| m.id().to_string())
        .or_else(|| model_id.map(str::to_string))
        .unwrap_or_else(|| "this model".into());
    let pt_name = model
        .map(|m| m.id().to_string())
        .or_else(|| model_id.map(str::to_string))
        .unwrap_or_else(|| "este modelo".into());
    let empty = json!({});
    let gc = get(body, "generationConfig").unwrap_or(&empty);

    if let Some(t) = get(gc, "temperature").and_then(Value::as_f64) {
        let max = model.and_then(|m| m.max_temperature).unwrap_or(2.0);
        let whose_en = model.map_or("the documented".to_string(), |m| format!("{}'s", m.id()));
        let whose_pt = model.map_or("documentado".to_string(), |m| format!("do {}", m.id()));
        if t > max {
            out.push(Violation {
                entry: "param.temperature",
                signal: "param_temperature",
                text: Bi::new(
                    format!(
                        "temperature {} is above {whose_en} maximum of {}",
                        num(t),
                        num(max)
                    ),
                    format!(
                        "temperature {} está acima do máximo {whose_pt} de {}",
                        num(t),
                        num(max)
                    ),
                ),
                action: Some(clamp("generationConfig.temperature", json!(max))),
            });
        } else if t < 0.0 {
            out.push(Violation {
                entry: "param.temperature",
                signal: "param_temperature",
                text: Bi::new(
                    format!("temperature {} is negative; the minimum is 0.0", num(t)),
                    format!("temperature {} é negativa; o mínimo é 0.0", num(t)),
                ),
                action: Some(clamp("generationConfig.temperature", json!(0.0))),
            });
        }
    }
    if let Some(p) = get(gc, "topP").and_then(Value::as_f64)
        && !(0.0..=1.0).contains(&p)
    {
        let to = p.clamp(0.0, 1.0);
        out.push(Violation {
            entry: "param.top_p",
            signal: "param_top_p",
            text: Bi::new(
                format!("topP {} is outside 0.0–1.0", num(p)),
                format!("topP {} está fora do intervalo 0.0–1.0", num(p)),
            ),
            action: Some(clamp("generationConfig.topP", json!(to))),
        });
    }
    if let Some(k) = get(gc, "topK").and_then(Value::as_i64) {
        if let Some(m) = model.filter(|m| m.top_k.is_none()) {
            out.push(Violation {
                entry: "param.top_k",
                signal: "param_top_k",
                text: Bi::new(
                    format!("topK {k} is set, but {} does not publish topK (top-k sampling is not supported)", m.id()),
                    format!("topK {k} foi definido, mas o {} não publica topK (não aceita amostragem top-k)", m.id()),
                ),
                action: Some(clamp("generationConfig.topK", Value::Null)),
            });
        } else if k < 1 {
            out.push(Violation {
                entry: "param.top_k",
                signal: "param_top_k",
                text: Bi::new(
                    format!("topK {k} must be at least 1"),
                    format!("topK {k} precisa ser pelo menos 1"),
                ),
                action: Some(clamp("generationConfig.topK", json!(1))),
            });
        }
    }
    if let Some(n) = get(gc, "candidateCount").and_then(Value::as_i64)
        && !(1..=8).contains(&n)
    {
        out.push(Violation {
            entry: "param.candidate_count",
            signal: "param_candidate_count",
            text: Bi::new(
                format!("candidateCount {n} is outside 1–8"),
                format!("candidateCount {n} está fora do intervalo 1–8"),
            ),
            action: Some(clamp(
                "generationConfig.candidateCount",
                json!(n.clamp(1, 8)),
            )),
        });
    }
    if let Some(n) = get(gc, "maxOutputTokens").and_then(Value::as_i64) {
        let limit = model.and_then(|m| m.output_token_limit);
        if let Some(lim) = limit.filter(|l| n > 0 && n as u64 > *l) {
            out.push(Violation {
                entry: "param.max_output_tokens",
                signal: "param_max_output_tokens",
                text: Bi::new(
                    format!("maxOutputTokens {n} is above {name}'s output limit of {lim}"),
                    format!(
                        "maxOutputTokens {n} está acima do limite de saída de {lim} do {pt_name}"
                    ),
                ),
                action: Some(clamp("generationConfig.maxOutputTokens", json!(lim))),
            });
        } else if n < 1 {
            out.push(Violation {
                entry: "param.max_output_tokens",
                signal: "param_max_output_tokens",
                text: Bi::new(
                    format!("maxOutputTokens {n} must be at least 1"),
                    format!("maxOutputTokens {n} precisa ser pelo menos 1"),
                ),
                action: Some(clamp("generationConfig.maxOutputTokens", json!(1))),
            });
        }
    }
    if let Some(seqs) = get(gc, "stopSequences").and_then(Value::as_array)
        && seqs.len() > 5
    {
        out.push(Violation {
            entry: "param.stop_sequences",
            signal: "param_stop_sequences",
            text: Bi::new(
                format!("{} stop sequences sent; at most 5 are accepted", seqs.len()),
                format!(
                    "{} sequências de parada enviadas; o máximo aceito é 5",
                    seqs.len()
                ),
            ),
            action: Some(clamp(
                "generationConfig.stopSequences",
                Value::Array(seqs[..5].to_vec()),
            )),
        });
    }
    if let Some(tc) = get(gc, "thinkingConfig") {
        check_thinking(tc, model_id.or(model.map(|m| m.id())), model, ctx, &mut out);
    }
    if let (Some(n), Some(lim)) = (prompt_tokens, model.and_then(|m| m.input_token_limit))
        && n > lim
    {
        out.push(Violation {
            entry: "tokens.input_too_long",
            signal: "input_too_long",
            text: Bi::new(
                format!("the prompt has {n} tokens; {name} accepts at most {lim}"),
                format!("o prompt tem {n} tokens; o {pt_name} aceita no máximo {lim}"),
            ),
            action: Some(Action::ReducePrompt {
                max_tokens: Some(lim),
            }),
        });
    }
    if version == ApiVersion::V1 {
        for f in v1beta_fields_in(body) {
            out.push(Violation {
                entry: "version.v1beta_only_field",
                signal: "v1beta_field_on_v1",
                text: Bi::new(
                    format!("{f} is only accepted on v1beta; you called v1"),
                    format!("{f} só é aceito na v1beta; a chamada foi para a v1"),
                ),
                action: Some(Action::SwitchApiVersion {
                    to: ApiVersion::V1Beta,
                }),
            });
        }
    }
    if let Some(m) = model
        .filter(|m| !m.supported_generation_methods.is_empty() && !m.supports("generateContent"))
    {
        out.push(Violation {
            entry: "model.no_generate_content",
            signal: "no_generate_content",
            text: Bi::new(
                format!(
                    "{} supports only {}, not generateContent",
                    m.id(),
                    m.supported_generation_methods.join(", ")
                ),
                format!(
                    "o {} só aceita {}, não generateContent",
                    m.id(),
                    m.supported_generation_methods.join(", ")
                ),
            ),
            action: Some(Action::SwitchFallbackModel { model: None }),
        });
    }
    out
}

fn check_thinking(
    tc: &Value,
    model_id: Option<&str>,
    model: Option<&crate::gemini::wire::Model>,
    ctx: &Context,
    out: &mut Vec<Violation>,
) {
    let name = model_id.unwrap_or("this model");
    if model.and_then(|m| m.thinking) == Some(false) {
        out.push(Violation {
            entry: "param.thinking_budget",
            signal: "param_thinking_budget",
            text: Bi::new(
                format!("thinkingConfig is set, but {name} does not think"),
                format!("thinkingConfig foi definido, mas o {name} não tem raciocínio (thinking)"),
            ),
            action: Some(clamp("generationConfig.thinkingConfig", Value::Null)),
        });
        return;
    }
    let Some(b) = get(tc, "thinkingBudget").and_then(Value::as_i64) else {
        return;
    };
    let Some((lo, hi, zero_ok)) = model_id.and_then(|m| thinking_range(m, ctx)) else {
        return;
    };
    let ok = b == -1 || (b == 0 && zero_ok) || (lo..=hi).contains(&b);
    if ok {
        return;
    }
    let to = if b == 0 {
        lo.max(1)
    } else {
        b.clamp(lo.max(1), hi)
    };
    let (en, pt) = if b == 0 {
        (
            format!(
                "thinking budget 0 turns thinking off, but {name} only works in thinking mode (accepted: {lo}–{hi} or -1)"
            ),
            format!(
                "thinkingBudget 0 desliga o raciocínio, mas o {name} só funciona com raciocínio (aceito: {lo}–{hi} ou -1)"
            ),
        )
    } else {
        (
            format!(
                "thinking budget {b} is outside {name}'s accepted range {lo}–{hi} (or -1 for dynamic)"
            ),
            format!(
                "thinkingBudget {b} está fora do intervalo aceito pelo {name}: {lo}–{hi} (ou -1, dinâmico)"
            ),
        )
    };
    out.push(Violation {
        entry: "param.thinking_budget",
        signal: "param_thinking_budget",
        text: Bi::new(en, pt),
        action: Some(clamp(
            "generationConfig.thinkingConfig.thinkingBudget",
            json!(to),
        )),
    });
}

/// v1beta-only field names present in a request body, camelCase, in request order.
pub fn v1beta_fields_in(body: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut push = |s: String| {
        if !found.contains(&s) {
            found.push(s);
        }
    };
    if let Some(obj) = body.as_object() {
        for k in obj.keys() {
            let c = camel(k);
            if V1BETA_TOP.contains(&c.as_str()) {
                push(c);
            }
        }
    }
    if let Some(gc) = get(body, "generationConfig").and_then(Value::as_object) {
        for k in gc.keys() {
            let c = camel(k);
            if V1BETA_GEN.contains(&c.as_str()) {
                push(c);
            }
        }
    }
    let parts = get(body, "contents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("parts").and_then(Value::as_array))
        .flatten();
    for p in parts {
        if let Some(o) = p.as_object() {
            for k in o.keys() {
                let c = camel(k);
                if V1BETA_PART.contains(&c.as_str()) {
                    push(c);
                }
            }
        }
    }
    found
}

fn clamp(field: &str, to: Value) -> Action {
    Action::ClampParameter {
        field: field.to_string(),
        to,
    }
}
