//! The HTTP client: turns one call into one [`Exchange`], whatever happens on the wire.
//!
//! Timeouts are our own rather than reqwest's so that we can tell "no headers in time"
//! from "the body stalled", and keep every byte that arrived before either:
//! - non-streaming calls: one deadline of `timeout` from the start (the SDKs' semantics,
//!   also sent to the server as `X-Server-Timeout`);
//! - streaming calls: headers within `timeout`, then at most `timeout` between two reads
//!   (a healthy stream may run longer than any fixed deadline).

use super::api_error::{ErrorBodyKind, classify_error_body, envelope_from_value};
use super::exchange::{
    Exchange, Operation, Outcome, RecordedRequest, RecordedResponse, StreamEvent, TransportKind,
};
use super::key::ApiKey;
use super::sse::{SseDecoder, SseItem};
use super::wire::{
    ApiVersion, CountTokensRequest, GenerateContentRequest, GenerateContentResponse,
    ListModelsResponse, Model, model_resource_name,
};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Default cap on a response body; past it the call ends with `BodyTooLarge`.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Default per-call timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Where to send calls and with which credentials.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL without the version segment; a path prefix is kept.
    pub base_url: String,
    /// The key, sent only as `x-goog-api-key`.
    pub api_key: Option<ApiKey>,
    /// Label recorded in each exchange (`sandbox`, `live`, `custom`).
    pub backend: String,
    /// Body size cap.
    pub max_body_bytes: usize,
}

/// Everything needed to make one generate call.
#[derive(Debug, Clone)]
pub struct CallSpec {
    /// Model id or resource name.
    pub model: String,
    /// API version.
    pub api_version: ApiVersion,
    /// Use `streamGenerateContent?alt=sse`.
    pub stream: bool,
    /// The body.
    pub request: GenerateContentRequest,
    /// Timeout (see module docs).
    pub timeout: Duration,
}

/// Live progress of a call, for the console and the streaming CLI.
#[derive(Debug, Clone)]
pub enum Progress {
    /// The request is about to go out; the record so far.
    Started(Box<Exchange>),
    /// Status line and headers arrived, after this many milliseconds.
    Headers(RecordedResponse, f64),
    /// The first body byte arrived after this many milliseconds.
    FirstByte(f64),
    /// One stream event, and the response it parsed to (if it did).
    Event(StreamEvent, Option<Box<GenerateContentResponse>>),
}

/// A callback receiving [`Progress`].
pub type ProgressSink<'a> = &'a mut (dyn FnMut(Progress) + Send);

/// The Gemini API client.
#[derive(Debug, Clone)]
pub struct GeminiClient {
    http: reqwest::Client,
    config: ClientConfig,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// A time-ordered id unique across concurrent processes.
pub fn new_exchange_id() -> String {
    let ms = chrono::Utc::now().timestamp_millis();
    let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    format!("{ms:013}-{:05}-{n:04}", std::process::id() % 100_000)
}

/// Installs the TLS crypto provider once; harmless when already installed.
fn ensure_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl GeminiClient {
    /// Builds a client.
    pub fn new(config: ClientConfig) -> Result<Self, String> {
        ensure_crypto_provider();
        let http = reqwest::Client::builder()
            .user_agent(concat!("gemini-doctor/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(GeminiClient { http, config })
    }

    /// Builds a client around a prepared reqwest client (custom resolver, proxy, TLS roots).
    pub fn with_http(http: reqwest::Client, config: ClientConfig) -> Self {
        ensure_crypto_provider();
        GeminiClient { http, config }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// URL of a model method, e.g. `<base>/v1beta/models/m:generateContent`.
    pub fn method_url(&self, version: ApiVersion, model: &str, op: Operation) -> String {
        let base = self.config.base_url.trim_end_matches('/');
        let name = model_resource_name(model);
        match op {
            Operation::StreamGenerateContent => {
                format!("{base}/{version}/{name}:streamGenerateContent?alt=sse")
            }
            Operation::GetModel => format!("{base}/{version}/{name}"),
            Operation::ListModels => format!("{base}/{version}/models"),
            op => format!("{base}/{version}/{name}:{}", op.method_name()),
        }
    }

    /// Calls generateContent or streamGenerateContent.
    pub async fn generate(
        &self,
        spec: &CallSpec,
        cancel: &CancellationToken,
        progress: ProgressSink<'_>,
    ) -> Exchange {
        let op = if spec.stream {
            Operation::StreamGenerateContent
        } else {
            Operation::GenerateContent
        };
        let body = serde_json::to_value(&spec.request).unwrap_or(Value::Null);
        let url = self.method_url(spec.api_version, &spec.model, op);
        let call = Call {
            op,
            version: spec.api_version,
            model: Some(strip_models_prefix(&spec.model)),
            method: "POST",
            url,
            body: Some(body),
            timeout: spec.timeout,
        };
        self.execute(call, cancel, progress).await
    }

    /// Calls countTokens for `contents`.
    pub async fn count_tokens(
        &self,
        model: &str,
        version: ApiVersion,
        request: &CountTokensRequest,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Exchange {
        let call = Call {
            op: Operation::CountTokens,
            version,
            model: Some(strip_models_prefix(model)),
            method: "POST",
            url: self.method_url(version, model, Operation::CountTokens),
            body: serde_json::to_value(request).ok(),
            timeout,
        };
        self.execute(call, cancel, &mut |_| {}).await
    }

    /// Calls models.get.
    pub async fn get_model(
        &self,
        model: &str,
        version: ApiVersion,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Exchange {
        let call = Call {
            op: Operation::GetModel,
            version,
            model: Some(strip_models_prefix(model)),
            method: "GET",
            url: self.method_url(version, model, Operation::GetModel),
            body: None,
            timeout,
        };
        self.execute(call, cancel, &mut |_| {}).await
    }

    /// Fetches every page of models.list. On failure returns the pages so far and the
    /// failed page's exchange.
    pub async fn list_models(
        &self,
        version: ApiVersion,
        page_size: u32,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> ModelListing {
        let mut listing = ModelListing::default();
        let mut token: Option<String> = None;
        // Bounded: a server that keeps handing out tokens must not loop us forever.
        for _ in 0..200 {
            let mut url = format!(
                "{}?pageSize={page_size}",
                self.method_url(version, "", Operation::ListModels)
            );
            if let Some(t) = &token {
                url.push_str("&pageToken=");
                url.push_str(&percent_encode(t));
            }
            let call = Call {
                op: Operation::ListModels,
                version,
                model: None,
                method: "GET",
                url,
                body: None,
                timeout,
            };
            let ex = self.execute(call, cancel, &mut |_| {}).await;
            let page = match (&ex.outcome, &ex.result_json) {
                (Outcome::Success, Some(v)) => {
                    serde_json::from_value::<ListModelsResponse>(v.clone()).ok()
                }
                _ => None,
            };
            listing.pages.push(ex);
            let Some(page) = page else {
                listing.failed = true;
                return listing;
            };
            listing.models.extend(page.models);
            match page.next_page_token.filter(|t| !t.is_empty()) {
                Some(t) => token = Some(t),
                None => return listing,
            }
        }
        listing
    }

    async fn execute(
        &self,
        call: Call,
        cancel: &CancellationToken,
        progress: ProgressSink<'_>,
    ) -> Exchange {
        let mut ex = self.new_exchange(&call);
        progress(Progress::Started(Box::new(ex.clone())));
        let start = Instant::now();
        let since = |start: Instant| start.elapsed().as_secs_f64() * 1000.0;

        let mut req = self
            .http
            .request(
                reqwest::Method::from_bytes(call.method.as_bytes()).unwrap_or(reqwest::Method::GET),
                &call.url,
            )
            .header("x-server-timeout", server_timeout(call.timeout));
        if let Some(key) = &self.config.api_key {
            req = req.header("x-goog-api-key", key.expose());
        }
        if let Some(body) = &call.body {
            req = req
                .header("content-type", "application/json")
                .body(serde_json::to_vec(body).unwrap_or_default());
        }

        let deadline = start + call.timeout;
        let sent = tokio::select! {
            biased;
            _ = cancel.cancelled() => None,
            r = tokio::time::timeout_at(deadline.into(), req.send()) => Some(r),
        };
        let mut resp = match sent {
            None => return finish(ex, Outcome::Cancelled, since(start)),
            Some(Err(_)) => {
                let msg = format!(
                    "no response headers within {}",
                    human_duration(call.timeout)
                );
                return finish(
                    ex,
                    transport(TransportKind::TimeoutBeforeHeaders, msg),
                    since(start),
                );
            }
            Some(Ok(Err(e))) => {
                let (kind, msg) = classify_reqwest_error(&e);
                return finish(ex, transport(kind, msg), since(start));
            }
            Some(Ok(Ok(r))) => r,
        };

        let status = resp.status();
        let recorded = RecordedResponse {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            headers: resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
        };
        let headers_ms = since(start);
        ex.timings.headers_ms = Some(headers_ms);
        ex.response = Some(recorded.clone());
        progress(Progress::Headers(recorded, headers_ms));

        let streaming = call.op.is_stream() && status.as_u16() == 200;
        let mut decoder = SseDecoder::new();
        let mut items = Vec::new();
        let mut body: Vec<u8> = Vec::new();
        let mut merged: Option<GenerateContentResponse> = None;
        let mut stream_state = StreamState::default();
        let mut read_error: Option<(TransportKind, String)> = None;
        let mut cancelled = false;

        loop {
            let read_deadline = if streaming {
                Instant::now() + call.timeout
            } else {
                deadline
            };
            let next = tokio::select! {
                biased;
                _ = cancel.cancelled() => { cancelled = true; break; }
                r = tokio::time::timeout_at(read_deadline.into(), resp.chunk()) => r,
            };
            let chunk = match next {
                Err(_) => {
                    let what = if streaming {
                        "the stream stalled for"
                    } else {
                        "the body did not complete within"
                    };
                    read_error = Some((
                        TransportKind::TimeoutMidBody,
                        format!("{what} {}", human_duration(call.timeout)),
                    ));
                    break;
                }
                Ok(Err(e)) => {
                    let (kind, msg) = classify_reqwest_error(&e);
                    // A body error after headers is the peer going away, whatever the HTTP stack calls it.
                    let kind = if kind == TransportKind::Other {
                        TransportKind::ConnectionReset
                    } else {
                        kind
                    };
                    read_error = Some((kind, msg));
                    break;
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(bytes))) => bytes,
            };
            if ex.body_bytes == 0 && !chunk.is_empty() {
                let t = since(start);
                ex.timings.first_byte_ms = Some(t);
                progress(Progress::FirstByte(t));
            }
            ex.body_bytes += chunk.len() as u64;
            if ex.body_bytes as usize > self.config.max_body_bytes {
                let room = self
                    .config
                    .max_body_bytes
                    .saturating_sub(body.len() + decoder.pending_bytes());
                let kept = &chunk[..room.min(chunk.len())];
                if streaming {
                    decoder.push(kept, &mut items);
                } else {
                    body.extend_from_slice(kept);
                }
                read_error = Some((
                    TransportKind::BodyTooLarge,
                    format!(
                        "the response exceeded the {} cap; the first part is kept",
                        human_bytes(self.config.max_body_bytes)
                    ),
                ));
                break;
            }
            if streaming {
                decoder.push(&chunk, &mut items);
                for item in items.drain(..) {
                    let event = stream_state.accept(item, since(start), &mut merged);
                    let parsed = stream_state.last_parsed.take();
                    ex.events.push(event.clone());
                    progress(Progress::Event(event, parsed));
                }
            } else {
                body.extend_from_slice(&chunk);
            }
        }
        // Whatever is left in the decoder is kept, complete or not.
        if streaming {
            decoder.finish(&mut items);
            for item in items.drain(..) {
                let event = stream_state.accept(item, since(start), &mut merged);
                stream_state.last_parsed = None;
                ex.events.push(event.clone());
                progress(Progress::Event(event, None));
            }
        }
        let total = since(start);
        if !streaming && !body.is_empty() {
            ex.body = Some(String::from_utf8_lossy(&body).into_owned());
        }
        ex.result = merged;

        let outcome = if cancelled {
            Outcome::Cancelled
        } else if !status.is_success() {
            error_status_outcome(status.as_u16(), recorded_content_type(&ex), &body)
        } else if streaming {
            stream_state.outcome(ex.events.len(), read_error, ex.result.as_ref())
        } else if let Some((kind, msg)) = read_error {
            transport(kind, msg)
        } else {
            self.success_body_outcome(&mut ex, call.op, &body)
        };
        finish(ex, outcome, total)
    }

    fn success_body_outcome(&self, ex: &mut Exchange, op: Operation, body: &[u8]) -> Outcome {
        let value: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                return Outcome::Malformed {
                    message: format!(
                        "HTTP 200 but the body is not valid JSON ({e}); {} bytes kept",
                        body.len()
                    ),
                };
            }
        };
        if let Some((error, _)) = envelope_from_value(&value) {
            return Outcome::ApiError {
                error,
                in_stream: false,
            };
        }
        match op {
            Operation::GenerateContent | Operation::StreamGenerateContent => {
                match serde_json::from_value::<GenerateContentResponse>(value) {
                    Ok(r) => {
                        let outcome = Outcome::of_response(&r);
                        ex.result = Some(r);
                        outcome
                    }
                    Err(e) => Outcome::Malformed {
                        message: format!(
                            "HTTP 200 but the JSON is not a GenerateContentResponse: {e}"
                        ),
                    },
                }
            }
            Operation::CountTokens | Operation::ListModels | Operation::GetModel => {
                let shape_ok = match op {
                    Operation::CountTokens => {
                        value.get("totalTokens").is_some()
                            || value.as_object().is_some_and(|o| o.is_empty())
                    }
                    Operation::ListModels => {
                        serde_json::from_value::<ListModelsResponse>(value.clone()).is_ok()
                    }
                    _ => serde_json::from_value::<Model>(value.clone()).is_ok(),
                };
                ex.result_json = Some(value);
                if shape_ok {
                    Outcome::Success
                } else {
                    Outcome::Malformed {
                        message: format!(
                            "HTTP 200 but the JSON is not a {} response",
                            op.method_name()
                        ),
                    }
                }
            }
        }
    }

    fn new_exchange(&self, call: &Call) -> Exchange {
        let mut headers = vec![];
        if call.body.is_some() {
            headers.push(("content-type".to_string(), "application/json".to_string()));
        }
        if let Some(key) = &self.config.api_key {
            headers.push(("x-goog-api-key".to_string(), key.masked()));
        }
        headers.push(("x-server-timeout".to_string(), server_timeout(call.timeout)));
        Exchange {
            id: new_exchange_id(),
            started_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            backend: self.config.backend.clone(),
            operation: Some(call.op),
            api_version: call.version,
            model: call.model.clone(),
            timeout_ms: Some(call.timeout.as_millis() as u64),
            request: RecordedRequest {
                method: call.method.to_string(),
                url: call.url.clone(),
                headers,
                body: call.body.clone(),
            },
            ..Default::default()
        }
    }
}

/// The pages fetched by [`GeminiClient::list_models`].
#[derive(Debug, Clone, Default)]
pub struct ModelListing {
    /// All models from successful pages.
    pub models: Vec<Model>,
    /// One exchange per page.
    pub pages: Vec<Exchange>,
    /// True when the last page failed.
    pub failed: bool,
}

struct Call {
    op: Operation,
    version: ApiVersion,
    model: Option<String>,
    method: &'static str,
    url: String,
    body: Option<Value>,
    timeout: Duration,
}

/// What a stream has shown so far.
#[derive(Default)]
struct StreamState {
    in_stream_error: Option<Outcome>,
    malformed: Option<String>,
    last_parsed: Option<Box<GenerateContentResponse>>,
}

impl StreamState {
    fn accept(
        &mut self,
        item: SseItem,
        at_ms: f64,
        merged: &mut Option<GenerateContentResponse>,
    ) -> StreamEvent {
        let (data, raw) = match item {
            SseItem::Data(d) => (d, false),
            SseItem::Raw(r) => (r, true),
        };
        // Fast path: one typed parse. An error object parses too (everything lands in
        // `extra`), so it is recognised afterwards without a second parse of good events.
        match serde_json::from_str::<GenerateContentResponse>(&data) {
            Ok(chunk) if chunk.extra.contains_key("error") => {
                let v = Value::Object(chunk.extra);
                self.note_error_or_garbage(&v, &data);
            }
            Ok(_) if raw => {
                self.malformed.get_or_insert_with(|| {
                    format!("text outside SSE framing: {}", snippet(&data, 120))
                });
            }
            Ok(chunk) => {
                self.last_parsed = Some(Box::new(chunk.clone()));
                merged
                    .get_or_insert_with(Default::default)
                    .merge_chunk(chunk);
            }
            Err(e) => match serde_json::from_str::<Value>(&data) {
                Ok(v) => self.note_error_or_garbage(&v, &data),
                Err(_) => {
                    self.malformed.get_or_insert_with(|| {
                        format!("an event is not valid JSON ({e}): {}", snippet(&data, 120))
                    });
                }
            },
        }
        StreamEvent { at_ms, data, raw }
    }

    fn note_error_or_garbage(&mut self, v: &Value, data: &str) {
        if let Some((error, _)) = envelope_from_value(v) {
            self.in_stream_error.get_or_insert(Outcome::ApiError {
                error,
                in_stream: true,
            });
        } else {
            self.malformed.get_or_insert_with(|| {
                format!(
                    "an event is not a GenerateContentResponse: {}",
                    snippet(data, 120)
                )
            });
        }
    }

    fn outcome(
        &mut self,
        events: usize,
        read_error: Option<(TransportKind, String)>,
        merged: Option<&GenerateContentResponse>,
    ) -> Outcome {
        if let Some(err) = self.in_stream_error.take() {
            return err;
        }
        if let Some((kind, message)) = read_error {
            return Outcome::StreamInterrupted {
                kind,
                events_received: events,
                message,
            };
        }
        if let Some(message) = self.malformed.take() {
            return Outcome::Malformed { message };
        }
        let Some(resp) = merged else {
            return Outcome::Malformed {
                message: "HTTP 200 but the stream carried no event".into(),
            };
        };
        if resp.block_reason().is_none() && resp.finish_reason().is_none() {
            return Outcome::StreamInterrupted {
                kind: TransportKind::Other,
                events_received: events,
                message: "the stream ended without a finish reason".into(),
            };
        }
        Outcome::of_response(resp)
    }
}

fn error_status_outcome(status: u16, content_type: Option<String>, body: &[u8]) -> Outcome {
    match classify_error_body(content_type.as_deref(), body) {
        ErrorBodyKind::Envelope { error, .. } => Outcome::ApiError {
            error,
            in_stream: false,
        },
        kind => Outcome::NonJsonError {
            status,
            body_kind: kind,
            snippet: snippet(&String::from_utf8_lossy(body), 400),
        },
    }
}

fn recorded_content_type(ex: &Exchange) -> Option<String> {
    ex.response
        .as_ref()?
        .header("content-type")
        .map(str::to_string)
}

fn finish(mut ex: Exchange, outcome: Outcome, total_ms: f64) -> Exchange {
    ex.timings.total_ms = Some(total_ms);
    ex.outcome = outcome;
    ex
}

fn transport(kind: TransportKind, message: String) -> Outcome {
    Outcome::Transport { kind, message }
}

/// `X-Server-Timeout` as the SDKs send it: whole seconds, rounded up, at least 1.
fn server_timeout(timeout: Duration) -> String {
    timeout.as_secs_f64().ceil().max(1.0).to_string()
}

fn strip_models_prefix(model: &str) -> String {
    model
        .trim()
        .strip_prefix("models/")
        .unwrap_or(model.trim())
        .to_string()
}

/// Classifies a reqwest error by walking its source chain; returns the kind and a
/// message made of the chain (reqwest messages carry the URL, which is key-free).
pub fn classify_reqwest_error(e: &reqwest::Error) -> (TransportKind, String) {
    let mut parts = vec![e.to_string()];
    let mut io_kind = None;
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = src {
        let text = s.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
        }
        src = s.source();
    }
    let message = parts.join(": ");
    let lower = message.to_ascii_lowercase();
    use std::io::ErrorKind as K;
    let kind = if lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
        || lower.contains("no address associated")
        || lower.contains("nodename nor servname")
    {
        TransportKind::Dns
    } else if io_kind == Some(K::ConnectionRefused) || lower.contains("connection refused") {
        TransportKind::ConnectRefused
    } else if lower.contains("tls")
        || lower.contains("certificate")
        || lower.contains("handshake")
        || lower.contains("invalidcontenttype")
        || lower.contains("corrupt message")
    {
        TransportKind::Tls
    } else if matches!(
        io_kind,
        Some(K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof)
    ) || lower.contains("connection closed before message completed")
        || lower.contains("end of file")
        || lower.contains("incomplete")
        || lower.contains("reset")
    {
        TransportKind::ConnectionReset
    } else if e.is_timeout() {
        TransportKind::TimeoutBeforeHeaders
    } else {
        TransportKind::Other
    };
    (kind, message)
}

/// First `max` characters, with an ellipsis when cut.
pub fn snippet(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `1.5 s`, `250 ms`, `2 min`.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 120_000 {
        let s = d.as_secs_f64();
        if (s - s.round()).abs() < 0.05 {
            format!("{} s", s.round())
        } else {
            format!("{s:.1} s")
        }
    } else {
        format!("{} min", d.as_secs() / 60)
    }
}

fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resp(v: Value) -> GenerateContentResponse {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn outcomes_of_200_shapes() {
        assert_eq!(
            Outcome::of_response(&resp(
                json!({"candidates": [{"content": {"parts": [{"text": "hi"}]}, "finishReason": "STOP"}]})
            )),
            Outcome::Success
        );
        assert_eq!(
            Outcome::of_response(&resp(
                json!({"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}})
            )),
            Outcome::PromptBlocked {
                reason: super::super::wire::BlockReason::ProhibitedContent
            }
        );
        assert_eq!(
            Outcome::of_response(&resp(
                json!({"candidates": [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS"}]})
            )),
            Outcome::StoppedEarly {
                reason: super::super::wire::FinishReason::MaxTokens,
                empty: true
            }
        );
        assert_eq!(
            Outcome::of_response(&resp(
                json!({"candidates": [{"content": {"role": "model"}, "finishReason": "STOP"}]})
            )),
            Outcome::EmptyResponse
        );
        assert_eq!(
            Outcome::of_response(&resp(
                json!({"candidates": [{"content": {"parts": [{"functionCall": {"name": "f"}}]}, "finishReason": "STOP"}]})
            )),
            Outcome::Success
        );
    }

    #[test]
    fn urls_keep_the_base_path_and_never_carry_a_key() {
        let c = GeminiClient::new(ClientConfig {
            base_url: "http://127.0.0.1:9/proxy/gemini/".into(),
            api_key: ApiKey::new("AIzaSECRETSECRETSECRET"),
            backend: "custom".into(),
            max_body_bytes: 10,
        })
        .unwrap();
        let u = c.method_url(
            ApiVersion::V1,
            "gemini-2.5-flash",
            Operation::StreamGenerateContent,
        );
        assert_eq!(
            u,
            "http://127.0.0.1:9/proxy/gemini/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
        );
        assert!(!u.contains("SECRET"));
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_duration(Duration::from_millis(250)), "250 ms");
        assert_eq!(human_duration(Duration::from_secs(37)), "37 s");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(human_duration(Duration::from_secs(600)), "10 min");
    }
}
