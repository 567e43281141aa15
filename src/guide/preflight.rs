//! Preflight: warn about a request before it is sent. It explains; it never blocks.

use super::checks::{Violation, check_request};
use super::context::Context;
use super::diagnose::finding;
use super::finding::{Finding, Severity};
use super::kb::kb;
use crate::gemini::ApiVersion;
use crate::gemini::wire::GenerateContentRequest;
use serde_json::Value;

/// Checks a request body (JSON, camelCase or snake_case) against the documented ranges,
/// `ctx.model`'s metadata and the API version. One finding per problem kind, as warnings.
pub fn preflight(
    request: &Value,
    version: ApiVersion,
    ctx: &Context,
    prompt_tokens: Option<u64>,
) -> Vec<Finding> {
    let model_id = ctx.model.map(|m| m.id());
    let violations = check_request(request, version, model_id, ctx, prompt_tokens);
    let mut out: Vec<Finding> = Vec::new();
    for v in &violations {
        if let Some(f) = out.iter_mut().find(|f| f.entry_id == v.entry) {
            push(f, v, ctx);
            continue;
        }
        let Some(e) = kb().get(v.entry) else { continue };
        let mut f = finding(e, ctx.lang, Vec::new(), Vec::new());
        f.severity = f.severity.min(Severity::Warning);
        push(&mut f, v, ctx);
        out.push(f);
    }
    out
}

/// [`preflight`] for a typed request.
pub fn preflight_request(
    request: &GenerateContentRequest,
    version: ApiVersion,
    ctx: &Context,
    prompt_tokens: Option<u64>,
) -> Vec<Finding> {
    let v = serde_json::to_value(request).unwrap_or(Value::Null);
    preflight(&v, version, ctx, prompt_tokens)
}

fn push(f: &mut Finding, v: &Violation, ctx: &Context) {
    f.evidence.push(v.text.get(ctx.lang).to_string());
    if let Some(a) = &v.action
        && !f.actions.contains(a)
    {
        f.actions.push(a.clone());
    }
}
