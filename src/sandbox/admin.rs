//! The admin API under `/__sandbox/` (no API key needed): arm faults, read and replace
//! the configuration, reset state.
//!
//! - `GET /__sandbox/health`
//! - `GET|POST|DELETE /__sandbox/faults` (POST takes one `Fault` or a list)
//! - `GET|PUT /__sandbox/config` (PUT takes a whole `SandboxConfig` as JSON)
//! - `POST /__sandbox/reset`

use super::stream::{self, JSON};
use super::{Fault, SandboxConfig, Shared};
use axum::body::Body;
use axum::http::{Method, Response};
use serde_json::{Value, json};
use std::sync::Arc;

fn reply(status: u16, v: Value) -> Response<Body> {
    stream::fixed(status, JSON, super::render::pretty(&v))
}

fn bad(msg: String) -> Response<Body> {
    reply(400, json!({"error": msg}))
}

pub(crate) async fn handle(
    shared: &Arc<Shared>,
    method: &Method,
    sub: &str,
    body: Body,
) -> Response<Body> {
    let bytes = match axum::body::to_bytes(body, 1024 * 1024).await {
        Ok(b) => b,
        Err(e) => return bad(format!("cannot read body: {e}")),
    };
    let faults = || shared.faults.lock().expect("fault lock");
    match (method.as_str(), sub.trim_end_matches('/')) {
        ("GET", "health") => reply(200, json!({"ok": true})),
        ("GET", "faults") => reply(200, json!({"armed": faults().list()})),
        ("DELETE", "faults") => {
            faults().clear();
            reply(200, json!({"armed": []}))
        }
        ("POST", "faults") => {
            let parsed: Result<Vec<Fault>, _> = serde_json::from_slice::<Fault>(&bytes)
                .map(|f| vec![f])
                .or_else(|_| serde_json::from_slice::<Vec<Fault>>(&bytes));
            match parsed {
                Ok(list) => {
                    let mut q = faults();
                    for f in list {
                        q.arm(f);
                    }
                    reply(200, json!({"armed": q.list()}))
                }
                Err(e) => bad(format!("not a fault: {e}")),
            }
        }
        ("GET", "config") => reply(200, json!(shared.config())),
        ("PUT", "config") => match serde_json::from_slice::<SandboxConfig>(&bytes) {
            Ok(cfg) => {
                *shared.cfg.write().expect("config lock") = cfg;
                reply(200, json!(shared.config()))
            }
            Err(e) => bad(format!("not a sandbox config: {e}")),
        },
        ("POST", "reset") => {
            shared.reset();
            reply(200, json!({"reset": true}))
        }
        _ => reply(
            404,
            json!({"error": format!("no admin endpoint {method} /__sandbox/{sub}")}),
        ),
    }
}
