//! Shared helpers of the sandbox integration tests: a sandbox on 127.0.0.1:0 with a
//! manual clock and a captured log, and a plain-HTTP client.

#![allow(dead_code)]

use gemini_doctor::gemini::ApiErrorBody;
use gemini_doctor::sandbox::{
    self, ManualClock, RequestLog, SandboxConfig, SandboxControl, SandboxHandle, StartOptions,
};
use serde_json::Value;
use std::sync::{Arc, Mutex};

pub const KEY: &str = "test-key-0001";

pub struct Sbx {
    pub handle: SandboxHandle,
    pub clock: ManualClock,
    pub client: reqwest::Client,
    pub base: String,
    pub logs: Arc<Mutex<Vec<RequestLog>>>,
}

pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn error(&self) -> ApiErrorBody {
        let v = self.json();
        serde_json::from_value(v["error"].clone()).expect("error envelope")
    }
}

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().expect("client")
}

pub async fn start(cfg: SandboxConfig) -> Sbx {
    let clock = ManualClock::new();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink_logs = logs.clone();
    let handle = sandbox::start_with(
        cfg,
        "127.0.0.1:0".parse().unwrap(),
        StartOptions {
            clock: Arc::new(clock.clone()),
            log: Some(Arc::new(move |l: &RequestLog| {
                sink_logs.lock().unwrap().push(l.clone())
            })),
        },
    )
    .await
    .expect("sandbox starts");
    let base = handle.base_url();
    Sbx {
        handle,
        clock,
        client: client(),
        base,
        logs,
    }
}

/// A sandbox without rate limits, for tests that are not about them.
pub async fn start_unlimited() -> Sbx {
    let mut cfg = SandboxConfig::default();
    cfg.limits.enabled = false;
    start(cfg).await
}

impl Sbx {
    pub fn control(&self) -> SandboxControl {
        self.handle.control()
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let r = req.send().await.expect("request sent");
        let status = r.status().as_u16();
        let content_type = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = r.text().await.expect("body");
        Resp {
            status,
            content_type,
            body,
        }
    }

    pub async fn post_key(&self, path: &str, key: Option<&str>, body: &Value) -> Resp {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(k) = key {
            req = req.header("x-goog-api-key", k);
        }
        self.send(req).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.post_key(path, Some(KEY), body).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(
            self.client
                .get(format!("{}{path}", self.base))
                .header("x-goog-api-key", KEY),
        )
        .await
    }

    pub async fn generate(&self, model: &str, body: &Value) -> Resp {
        self.post(&format!("/v1beta/models/{model}:generateContent"), body)
            .await
    }

    /// Raw body chunks of a stream call, as the client received them.
    pub async fn stream_chunks(&self, path: &str, body: &Value) -> (u16, String, Vec<String>) {
        let mut r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("x-goog-api-key", KEY)
            .body(body.to_string())
            .send()
            .await
            .expect("sent");
        let status = r.status().as_u16();
        let ct = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let mut chunks = Vec::new();
        while let Some(c) = r.chunk().await.expect("chunk") {
            chunks.push(String::from_utf8(c.to_vec()).unwrap());
        }
        (status, ct, chunks)
    }
}

pub fn prompt(text: &str) -> Value {
    serde_json::json!({"contents": [{"role": "user", "parts": [{"text": text}]}]})
}

pub fn with_config(text: &str, cfg: Value) -> Value {
    let mut v = prompt(text);
    v["generationConfig"] = cfg;
    v
}

/// The JSON payloads of SSE events (asserting the exact framing on the way).
pub fn sse_events(body: &str) -> Vec<Value> {
    assert!(
        body.ends_with("\r\n\r\n"),
        "stream must end with a blank line"
    );
    body.split_terminator("\r\n\r\n")
        .map(|ev| {
            let json = ev
                .strip_prefix("data: ")
                .unwrap_or_else(|| panic!("not a data event: {ev:?}"));
            assert!(
                !json.contains('\n') && !json.contains('\r'),
                "single-line JSON"
            );
            serde_json::from_str(json).expect("event JSON")
        })
        .collect()
}
