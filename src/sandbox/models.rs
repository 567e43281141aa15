//! `models.list`, `models.get` and `countTokens`.

use super::catalogue::catalogue;
use super::errors;
use super::render;
use super::routes::{Caller, Out, err, out};
use super::schema::COUNT_TOKENS_REQUEST;
use super::stream::{self, JSON};
use super::{semantics, tokens, validate};
use crate::gemini::wire::{
    CountTokensRequest, CountTokensResponse, GenerateContentRequest, ListModelsResponse,
};
use crate::gemini::{ApiErrorBody, ApiVersion};
use serde_json::json;

const PAGE_DEFAULT: usize = 50;
const PAGE_MAX: usize = 1000;

pub(super) fn list_models(version: ApiVersion, query: &[(String, String)]) -> Out {
    let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
    let size = get("pageSize")
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .map(|n| (n as usize).min(PAGE_MAX))
        .unwrap_or(PAGE_DEFAULT);
    let start = match get("pageToken").filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => match t.strip_prefix("sbx-").and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => n,
            None => {
                return out(
                    err(errors::invalid_argument("Invalid page token.")),
                    "page token",
                );
            }
        },
    };
    let all = catalogue().listed(version);
    let end = (start + size).min(all.len());
    let models = all
        .get(start..end)
        .unwrap_or(&[])
        .iter()
        .map(|m| m.wire.clone())
        .collect();
    let body = ListModelsResponse {
        models,
        next_page_token: (end < all.len()).then(|| format!("sbx-{end}")),
    };
    out(stream::fixed(200, JSON, render::pretty(&body)), "")
}

pub(super) fn get_model(name: &str, version: ApiVersion, who: &Caller) -> Out {
    match catalogue().lookup(name).filter(|e| e.served_on(version)) {
        None => out(err(errors::get_model_not_found(name, version)), "model"),
        Some(e) if e.sandbox.tuned && !who.oauth => {
            out(err(errors::tuned_model_needs_oauth(name)), "tuned")
        }
        Some(e) => out(stream::fixed(200, JSON, render::pretty(&e.wire)), ""),
    }
}

pub(super) fn count_tokens(bytes: &[u8], version: ApiVersion, v1_beta: bool) -> Out {
    let run = || -> Result<u64, ApiErrorBody> {
        let mut v = validate::parse_json(bytes)?;
        validate::check_fields(&COUNT_TOKENS_REQUEST, &mut v, version, v1_beta)?;
        let req: CountTokensRequest = typed(v)?;
        if let Some(inner) = req.generate_content_request {
            let g: GenerateContentRequest = typed(*inner)?;
            return Ok(semantics::prompt_tokens(&g));
        }
        match req.contents {
            Some(c) if !c.is_empty() => Ok(tokens::contents_tokens(&c)),
            _ => Err(errors::semantic(&[
                "CountTokensRequest.contents: contents is not specified".into(),
            ])),
        }
    };
    match run() {
        Err(e) => out(err(e), "invalid"),
        Ok(n) => {
            let mut resp = CountTokensResponse {
                total_tokens: n,
                ..Default::default()
            };
            resp.extra.insert(
                "promptTokensDetails".into(),
                json!([{"modality": "TEXT", "tokenCount": n}]),
            );
            out(stream::fixed(200, JSON, render::pretty(&resp)), "")
        }
    }
}

pub(super) fn typed<T: serde::de::DeserializeOwned>(
    v: serde_json::Value,
) -> Result<T, ApiErrorBody> {
    serde_json::from_value(v)
        .map_err(|e| errors::invalid_argument(format!("Invalid JSON payload received. {e}")))
}
