//! Request validation, second stage on the typed request: the service's semantic
//! `* Request.path: …` checks, the model's parameter ranges, the input token limit and
//! referenced files.

use super::catalogue::ModelEntry;
use super::errors;
use super::tokens;
use crate::gemini::ApiErrorBody;
use crate::gemini::wire::{Content, GenerateContentRequest, GenerationConfig};

/// Semantic checks of a typed request (the service's `* Request.path: text` bullets).
pub fn check_semantics(req: &GenerateContentRequest) -> Result<(), ApiErrorBody> {
    let mut bullets = Vec::new();
    if req.contents.is_empty() {
        bullets.push("GenerateContentRequest.contents: contents is not specified".to_string());
    }
    for (i, c) in req.contents.iter().enumerate() {
        if c.parts.is_empty() {
            bullets.push(format!(
                "GenerateContentRequest.contents[{i}].parts: contents.parts must not be empty."
            ));
        }
        for (j, p) in c.parts.iter().enumerate() {
            let has_data = p.text.is_some()
                || p.inline_data.is_some()
                || p.file_data.is_some()
                || p.function_call.is_some()
                || p.function_response.is_some()
                || p.extra.contains_key("executableCode")
                || p.extra.contains_key("codeExecutionResult");
            if !has_data {
                bullets.push(format!(
                    "GenerateContentRequest.contents[{i}].parts[{j}].data: required oneof field 'data' must have one initialized field"
                ));
            }
        }
    }
    if let Some(mime) = req
        .generation_config
        .as_ref()
        .and_then(|g| g.response_mime_type.as_deref())
    {
        const ALLOWED: [&str; 5] = [
            "text/plain",
            "application/json",
            "application/xml",
            "application/yaml",
            "text/x.enum",
        ];
        if !ALLOWED.contains(&mime) {
            bullets.push("GenerateContentRequest.generation_config.response_mime_type: allowed mimetypes are `text/plain`, `application/json`, `application/xml`, `application/yaml` and `text/x.enum`.".into());
        }
    }
    if !bullets.is_empty() {
        return Err(errors::semantic(&bullets));
    }
    let bad_role = req
        .contents
        .iter()
        .filter_map(|c| c.role.as_deref())
        .any(|r| r != "user" && r != "model");
    if bad_role {
        return Err(errors::invalid_argument(
            "Please use a valid role: user, model.",
        ));
    }
    if req.cached_content.is_some() {
        if req.system_instruction.is_some() || req.tools.is_some() || req.tool_config.is_some() {
            return Err(errors::invalid_argument(
                "CachedContent can not be used with GenerateContent request setting system_instruction, tools or tool_config.\n\nProposed fix: move those values to CachedContent from GenerateContent request.",
            ));
        }
        return Err(crate::gemini::ApiErrorBody::new(
            403,
            "PERMISSION_DENIED",
            "CachedContent not found (or permission denied)",
        ));
    }
    Ok(())
}

/// Integer range message (the Vertex AI wording; the Developer API's is unverified).
fn int_range(field: &str, value: i64, min: i64, max_inclusive: i64) -> ApiErrorBody {
    errors::field_value(
        &format!("generation_config.{field}"),
        format!(
            "Unable to submit request because it has a {field} value of {value} but the supported range is from {min} (inclusive) to {} (exclusive). Update the value and try again.",
            max_inclusive + 1
        ),
    )
}

fn float_range(field: &str, value: f64, max: f64) -> ApiErrorBody {
    errors::field_value(
        &format!("generation_config.{field}"),
        format!(
            "Unable to submit request because it has a {field} value of {value} but the supported range is from 0 (inclusive) to {max} (inclusive). Update the value and try again."
        ),
    )
}

/// Checks generation parameters against the model's published ranges.
pub fn check_ranges(cfg: &GenerationConfig, m: &ModelEntry) -> Result<(), ApiErrorBody> {
    let w = &m.wire;
    if let (Some(t), Some(max)) = (cfg.temperature, w.max_temperature)
        && !(0.0..=max).contains(&t)
    {
        return Err(float_range("temperature", t, max));
    }
    if let Some(p) = cfg.top_p
        && !(0.0..=1.0).contains(&p)
    {
        return Err(float_range("top_p", p, 1.0));
    }
    if let Some(k) = cfg.top_k {
        match w.top_k {
            None => {
                return Err(errors::field_value(
                    "generation_config.top_k",
                    format!("top_k is not supported by {}.", w.name),
                ));
            }
            Some(max) if k < 1 || k > max => return Err(int_range("top_k", k, 1, max)),
            Some(_) => {}
        }
    }
    if let Some(n) = cfg.candidate_count {
        let max = m.sandbox.max_candidate_count;
        if max == 1 && n > 1 {
            return Err(errors::field_value(
                "generation_config.candidate_count",
                "Only one candidate can be specified",
            ));
        }
        if n < 1 || n > max {
            return Err(int_range("candidate_count", n, 1, max));
        }
    }
    if let Some(n) = cfg.max_output_tokens {
        let limit = w.output_token_limit.unwrap_or(8192) as i64;
        if n < 1 || n > limit {
            return Err(int_range("max_output_tokens", n, 1, limit));
        }
    }
    if let Some(stops) = &cfg.stop_sequences
        && stops.len() > 5
    {
        return Err(errors::field_value(
            "generation_config.stop_sequences",
            format!(
                "Unable to submit request because it has a stop_sequences value of {} items but the supported range is from 0 (inclusive) to 6 (exclusive). Update the value and try again.",
                stops.len()
            ),
        ));
    }
    if let Some(tc) = &cfg.thinking_config {
        check_thinking(tc, m)?;
    }
    Ok(())
}

fn check_thinking(
    tc: &crate::gemini::wire::ThinkingConfig,
    m: &ModelEntry,
) -> Result<(), ApiErrorBody> {
    const BUDGET: &str = "generation_config.thinking_config.thinking_budget";
    const LEVEL: &str = "generation_config.thinking_config.thinking_level";
    let Some(range) = &m.sandbox.thinking else {
        let asks = tc.thinking_budget.is_some_and(|b| b != 0)
            || tc.include_thoughts == Some(true)
            || tc.thinking_level.is_some();
        if asks {
            return Err(errors::invalid_argument(format!(
                "Thinking is not enabled for {}",
                m.wire.name
            )));
        }
        return Ok(());
    };
    if tc.thinking_budget.is_some() && tc.thinking_level.is_some() {
        return Err(errors::invalid_argument(
            "You can only set only one of thinking budget and thinking level.",
        ));
    }
    if let Some(level) = &tc.thinking_level
        && !range.levels.iter().any(|l| l.eq_ignore_ascii_case(level))
    {
        return Err(errors::field_value(
            LEVEL,
            format!("Thinking level {level} is not supported for this model."),
        ));
    }
    match tc.thinking_budget {
        None | Some(-1) => Ok(()),
        Some(0) if range.can_disable => Ok(()),
        Some(0) => Err(errors::field_value(
            BUDGET,
            "Budget 0 is invalid. This model only works in thinking mode.",
        )),
        Some(b) if b < range.min || b > range.max => Err(errors::field_value(
            BUDGET,
            format!("The thinking budget ({b}) is invalid."),
        )),
        Some(_) => Ok(()),
    }
}

/// The value gemini-cli sends for synthetic turns; the service accepts it as a signature.
pub const SKIP_SIGNATURE: &str = "skip_thought_signature_validator";

/// Gemini 3: in the current turn (after the last user text), the first function call of
/// each model step must carry its `thoughtSignature`. The `position` in the message is the
/// 1-based index of that content (unverified).
pub fn check_thought_signatures(contents: &[Content], m: &ModelEntry) -> Result<(), ApiErrorBody> {
    if !m.sandbox.thought_signatures {
        return Ok(());
    }
    let turn_start = contents
        .iter()
        .rposition(|c| {
            c.role.as_deref() != Some("model")
                && c.parts.iter().any(|p| p.text.is_some())
                && c.parts.iter().all(|p| p.function_response.is_none())
        })
        .unwrap_or(0);
    for (i, c) in contents.iter().enumerate().skip(turn_start) {
        if c.role.as_deref() != Some("model") {
            continue;
        }
        let first_call = c.parts.iter().find(|p| p.function_call.is_some());
        if let Some(p) = first_call
            && p.thought_signature.as_deref().is_none_or(str::is_empty)
        {
            let name = p
                .function_call
                .as_ref()
                .map(|f| f.name.as_str())
                .unwrap_or("");
            return Err(errors::invalid_argument(format!(
                "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:{name}` , position {}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.",
                i + 1
            )));
        }
    }
    Ok(())
}

/// Prompt tokens (contents + system instruction) against the model's input limit.
pub fn check_input_tokens(prompt_tokens: u64, m: &ModelEntry) -> Result<(), ApiErrorBody> {
    match m.wire.input_token_limit {
        Some(limit) if prompt_tokens > limit => Err(errors::invalid_argument(format!(
            "The input token count ({prompt_tokens}) exceeds the maximum number of tokens allowed ({limit})."
        ))),
        _ => Ok(()),
    }
}

/// Prompt tokens of a request: contents plus the system instruction.
pub fn prompt_tokens(req: &GenerateContentRequest) -> u64 {
    tokens::contents_tokens(&req.contents)
        + req
            .system_instruction
            .as_ref()
            .map(|s| tokens::contents_tokens(std::slice::from_ref(s)))
            .unwrap_or(0)
}

/// The first `fileData.fileUri` whose file id is not in `files`.
pub fn missing_file<'a>(contents: &'a [Content], files: &[String]) -> Option<&'a str> {
    contents
        .iter()
        .flat_map(|c| c.parts.iter())
        .filter_map(|p| p.file_data.as_ref())
        .map(|fd| {
            let uri = fd.file_uri.as_str();
            uri.rsplit_once("files/").map(|(_, id)| id).unwrap_or(uri)
        })
        .find(|id| !files.iter().any(|f| f == id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn semantic_bullets() {
        let req: GenerateContentRequest = serde_json::from_value(
            json!({"contents": [{"role": "user", "parts": []}, {"parts": [{}]}]}),
        )
        .unwrap();
        let e = check_semantics(&req).unwrap_err();
        assert_eq!(
            e.message,
            "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n* GenerateContentRequest.contents[1].parts[0].data: required oneof field 'data' must have one initialized field\n"
        );
        assert!(e.details.is_empty());
        let e = check_semantics(&GenerateContentRequest::default()).unwrap_err();
        assert_eq!(
            e.message,
            "* GenerateContentRequest.contents: contents is not specified\n"
        );
    }
}
