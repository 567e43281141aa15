//! Request routing and the API methods, in the service's order of checks:
//! credentials → armed status faults → region → model → body → ranges → deadline →
//! rate limits → simulated load → content faults and prompt markers → the answer.

use super::catalogue::{ModelEntry, catalogue};
use super::errors::{self, BadKey};
use super::faults::Fault;
use super::stream::{self, JSON};
use super::{ADMIN_PREFIX, RequestLog, Shared, admin, call, models};
use crate::gemini::key::mask;
use crate::gemini::{ApiErrorBody, ApiVersion, Operation};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{Method, Response, header};
use std::sync::Arc;

/// The real service's request size limit.
pub const MAX_BODY: usize = 20 * 1024 * 1024;

type Resp = Response<Body>;

/// Failure or answer, plus a note for the log.
pub(super) struct Out {
    pub(super) resp: Resp,
    pub(super) note: String,
}

pub(super) fn err(e: ApiErrorBody) -> Resp {
    stream::fixed(e.code as u16, JSON, e.to_wire_pretty())
}

pub(super) fn out(resp: Resp, note: impl Into<String>) -> Out {
    Out {
        resp,
        note: note.into(),
    }
}

/// Entry point for every request.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Resp {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let query = parse_query(parts.uri.query().unwrap_or(""));
    if let Some(i) = path.find(ADMIN_PREFIX) {
        let sub = &path[i + ADMIN_PREFIX.len()..];
        return admin::handle(&shared, &parts.method, sub, body).await;
    }
    let shown_query: Vec<String> = query
        .iter()
        .filter(|(k, _)| k != "key")
        .map(|(k, v)| format!("{k}={}", mask_embedded_key(v)))
        .collect();
    let log_path = if shown_query.is_empty() {
        path.clone()
    } else {
        format!("{path}?{}", shown_query.join("&"))
    };
    let o = api(&shared, &parts, &path, &query, body).await;
    shared.log(RequestLog {
        method: parts.method.to_string(),
        path: log_path,
        status: o.resp.status().as_u16(),
        note: o.note,
    });
    o.resp
}

/// What the URL names.
enum Target {
    List,
    Get(String),
    Call(String, String),
}

fn route(path: &str) -> Option<(ApiVersion, Target)> {
    let segs: Vec<&str> = path.split('/').collect();
    let vpos = segs
        .iter()
        .position(|s| ApiVersion::parse(s).is_some() && s.starts_with('v'))?;
    let version = ApiVersion::parse(segs[vpos])?;
    let rest = percent_decode(&segs[vpos + 1..].join("/"));
    if rest == "models" {
        return Some((version, Target::List));
    }
    let (coll, tail) = rest.split_once('/')?;
    if !(coll == "models" || coll == "tunedModels") || tail.is_empty() || tail.contains('/') {
        return None;
    }
    match tail.rsplit_once(':') {
        Some((id, method)) => Some((version, Target::Call(format!("{coll}/{id}"), method.into()))),
        None => Some((version, Target::Get(format!("{coll}/{tail}")))),
    }
}

fn operation(method: &str) -> Option<Operation> {
    match method {
        "generateContent" => Some(Operation::GenerateContent),
        "streamGenerateContent" => Some(Operation::StreamGenerateContent),
        "countTokens" => Some(Operation::CountTokens),
        _ => None,
    }
}

/// Credentials of a request.
pub(super) struct Caller {
    pub(super) key: Option<String>,
    pub(super) oauth: bool,
}

impl Caller {
    pub(super) fn identity(&self) -> &str {
        self.key.as_deref().unwrap_or("oauth")
    }
}

fn caller(parts: &Parts, query: &[(String, String)]) -> Caller {
    let header_key = parts
        .headers
        .get("x-goog-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let query_key = query
        .iter()
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v.trim())
        .filter(|k| !k.is_empty());
    let oauth = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| !t.trim().is_empty());
    Caller {
        key: header_key.or(query_key).map(str::to_string),
        oauth,
    }
}

/// The magic-word key checks (see docs/sandbox.md).
fn check_key(key: &str, version: ApiVersion, op: Operation) -> Result<(), ApiErrorBody> {
    let k = key.to_ascii_lowercase();
    let e = if k.contains("leaked") {
        errors::key_leaked()
    } else if k.contains("suspended") {
        errors::consumer_suspended(&mask(key))
    } else if k.contains("disabled") {
        errors::service_disabled()
    } else if k.contains("vertex") {
        errors::credentials_missing(version, op)
    } else if k.contains("blocked") {
        errors::service_blocked(version, op)
    } else if k.contains("expired") {
        errors::api_key_invalid(BadKey::Expired)
    } else if k.contains("notfound") {
        errors::api_key_invalid(BadKey::NotFound)
    } else if k.contains("invalid") {
        errors::api_key_invalid(BadKey::Invalid)
    } else {
        return Ok(());
    };
    Err(e)
}

async fn api(
    shared: &Arc<Shared>,
    parts: &Parts,
    path: &str,
    query: &[(String, String)],
    body: Body,
) -> Out {
    let Some((version, target)) = route(path) else {
        return out(err(errors::no_such_path(path)), "unknown path");
    };
    let op = match &target {
        Target::List => Some(Operation::ListModels),
        Target::Get(_) => Some(Operation::GetModel),
        Target::Call(_, m) => operation(m),
    };
    let expected = match op {
        Some(Operation::ListModels | Operation::GetModel) => Method::GET,
        _ => Method::POST,
    };
    if parts.method != expected {
        return out(err(errors::no_such_path(path)), "wrong method");
    }
    if let Some((_, alt)) = query.iter().find(|(k, _)| k == "alt")
        && !matches!(alt.as_str(), "sse" | "json" | "proto" | "media")
    {
        // e.g. `?alt=sse?key=…` (a second `?`): the key is masked in the echo.
        let shown = mask_embedded_key(alt);
        let e = errors::invalid_argument(format!(
            "Invalid value \"{shown}\" for query parameter 'alt'"
        ));
        return out(err(e), "bad alt");
    }
    let who = caller(parts, query);
    if who.key.is_none() && !who.oauth {
        return out(err(errors::unregistered_caller()), "no key");
    }
    if let Some(k) = &who.key
        && let Err(e) = check_key(k, version, op.unwrap_or(Operation::GenerateContent))
    {
        return out(err(e), "magic key");
    }
    let armed = shared
        .faults
        .lock()
        .expect("fault lock")
        .take_matching(|f| matches!(f, Fault::Status { .. } | Fault::Html502));
    let model_hint = match &target {
        Target::Get(n) | Target::Call(n, _) => n.rsplit('/').next().unwrap_or(n).to_string(),
        Target::List => "gemini-2.5-flash".into(),
    };
    match armed {
        Some(Fault::Status { code }) => {
            return out(err(errors::for_status(code, &model_hint)), "armed fault");
        }
        Some(_) => return out(stream::html_502(), "armed fault: html 502"),
        None => {}
    }
    match target {
        Target::List => models::list_models(version, query),
        Target::Get(name) => models::get_model(&name, version, &who),
        Target::Call(name, method) => {
            let cfg = shared.config();
            if !cfg.region_supported && !cfg.billing_enabled {
                return out(err(errors::location_not_supported()), "region");
            }
            if !cfg.free_tier_available && !cfg.billing_enabled {
                return out(err(errors::free_tier_not_available()), "region");
            }
            let entry = match resolve(&name, version, &method, &who) {
                Ok(e) => e,
                Err(e) => return out(err(e), "model"),
            };
            let Some(op) = op else {
                let e = ApiErrorBody::new(
                    501,
                    "UNIMPLEMENTED",
                    format!("The sandbox does not simulate {method}."),
                );
                return out(err(e), "unimplemented");
            };
            let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
                Ok(b) => b,
                Err(_) => return out(err(errors::payload_too_large(MAX_BODY)), "too large"),
            };
            match op {
                Operation::CountTokens => {
                    models::count_tokens(&bytes, version, cfg.v1_has_beta_fields)
                }
                _ => {
                    let ctx = call::Call {
                        shared,
                        parts,
                        query,
                        version,
                        entry,
                        who: &who,
                        stream: op == Operation::StreamGenerateContent,
                    };
                    call::generate(ctx, &bytes)
                }
            }
        }
    }
}

/// Finds the model for a call, with the real 404/403 answers.
fn resolve(
    name: &str,
    version: ApiVersion,
    method: &str,
    who: &Caller,
) -> Result<&'static ModelEntry, ApiErrorBody> {
    let wire_method = if method == "streamGenerateContent" {
        "generateContent"
    } else {
        method
    };
    let entry = catalogue()
        .lookup(name)
        .filter(|e| e.served_on(version))
        .ok_or_else(|| errors::model_not_found(name, version, wire_method))?;
    // v1 streams only `models/*` (public protos).
    if entry.sandbox.tuned && version == ApiVersion::V1 && method == "streamGenerateContent" {
        return Err(errors::model_not_found(name, version, wire_method));
    }
    if entry.sandbox.tuned && !who.oauth {
        return Err(errors::tuned_model_needs_oauth(name));
    }
    if who
        .key
        .as_deref()
        .is_some_and(|k| k.to_ascii_lowercase().contains("noaccess"))
    {
        return Err(errors::no_permission());
    }
    if !entry.wire.supports(wire_method) {
        return Err(errors::model_not_found(name, version, wire_method));
    }
    Ok(entry)
}

/// Masks a key glued into another parameter's value (`sse?key=AIza…`).
fn mask_embedded_key(v: &str) -> String {
    match v.split_once("key=") {
        Some((head, key)) => format!("{head}key={}", mask(key)),
        None => v.to_string(),
    }
}

/// Splits a query string into decoded pairs.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` (as a space).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_keep_any_prefix() {
        assert!(matches!(
            route("/proxy/gemini/v1beta/models"),
            Some((ApiVersion::V1Beta, Target::List))
        ));
        match route("/v1/models/gemini-2.5-flash%3AgenerateContent") {
            Some((ApiVersion::V1, Target::Call(n, m))) => {
                assert_eq!(n, "models/gemini-2.5-flash");
                assert_eq!(m, "generateContent");
            }
            _ => panic!("no route"),
        }
        assert!(
            matches!(route("/v1beta/tunedModels/x"), Some((_, Target::Get(n))) if n == "tunedModels/x")
        );
        assert!(route("/v2/models").is_none());
    }

    #[test]
    fn query_decoding() {
        assert_eq!(
            parse_query("alt=sse&key=a%2Bb&x"),
            vec![
                ("alt".into(), "sse".into()),
                ("key".into(), "a+b".into()),
                ("x".into(), "".into())
            ]
        );
        assert_eq!(percent_decode("100%"), "100%");
    }
}
