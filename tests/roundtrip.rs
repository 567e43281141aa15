//! The round-trip proof of the knowledge base: every entry that names a `sandbox`
//! scenario is reproduced for real (sandbox on loopback, or the scripted fault server
//! for transport failures), sent through `GeminiClient` as a user would send it, and
//! `guide::diagnose` must rank that entry first with evidence naming this call's values.

mod support;

use gemini_doctor::gemini::client::{CallSpec, ClientConfig, GeminiClient};
use gemini_doctor::gemini::exchange::{Exchange, Outcome};
use gemini_doctor::gemini::key::ApiKey;
use gemini_doctor::gemini::wire::{ApiVersion, GenerateContentRequest, Model};
use gemini_doctor::guide::{Context, Finding, diagnose, kb::kb};
use gemini_doctor::sandbox::{
    self, Fault, LimitOverride, ManualClock, SandboxConfig, SandboxHandle, StartOptions,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use support::Step::*;
use support::{NoSuchHost, chunked_head, response, serve};
use tokio_util::sync::CancellationToken;

/// Every scenario this file reproduces; must equal the set named in `assets/guide.toml`.
const SCENARIOS: &[&str] = &[
    "key:not-found",
    "key:expired",
    "key:invalid",
    "key:missing",
    "key:leaked",
    "key:suspended",
    "key:service-blocked",
    "key:service-disabled",
    "key:wrong-product",
    "quota:limit-zero",
    "quota:rpd",
    "quota:rpm",
    "location:unsupported",
    "version:v1-beta-field",
    "request:unknown-field",
    "request:empty-parts",
    "request:thought-signature",
    "timeout:below-floor",
    "param:temperature",
    "param:top_p",
    "param:top_k",
    "param:candidate_count",
    "param:max_output_tokens",
    "param:stop_sequences",
    "param:thinking_budget",
    "tokens:input-limit",
    "model:unknown",
    "model:embedding-only",
    "model:no-permission",
    "fault:400",
    "location:free-tier",
    "request:missing-cache",
    "request:missing-file",
    "replay:quota-2024",
    "fault:500",
    "fault:503",
    "fault:504",
    "block:other",
    "block:prohibited",
    "block:safety",
    "finish:safety",
    "finish:blocklist",
    "finish:prohibited",
    "finish:spii",
    "finish:max_tokens-thinking",
    "finish:max_tokens",
    "finish:recitation",
    "finish:language",
    "finish:malformed_function_call",
    "finish:unexpected_tool_call",
    "finish:empty-stop",
    "finish:other",
    "proxy:html-502",
    "proxy:text",
    "net:dns",
    "net:refused",
    "net:tls",
    "net:timeout-headers",
    "net:timeout-body",
    "stream:drop",
    "stream:error-503",
    "net:reset",
    "response:too-large",
    "net:other",
    "response:malformed",
];

/// Entries the knowledge base ranks on purpose right below another entry of the same call
/// (`priority`), as `src/guide/diagnose_tests.rs` and `tests/explain_corpus.rs` also pin:
/// an in-stream 503 is first of all a 503. These are proven at rank two, under that entry.
const COMPANIONS: &[(&str, &str)] = &[("stream.error_in_stream", "backend.unavailable")];

const FLASH: &str = "gemini-2.5-flash";
/// A plain key without any magic word.
const KEY: &str = "sandbox-roundtrip-key";
/// Client timeout for the timeout scenarios: the thing under test, not a sleep.
const SHORT: Duration = Duration::from_millis(800);
const NORMAL: Duration = Duration::from_secs(30);

/// One reproduced call and what its evidence must mention.
struct Repro {
    exchange: Exchange,
    /// Substrings that must each appear in the top finding's evidence (values of this call).
    evidence: Vec<String>,
    /// Substrings that must not appear in any finding's evidence (a wrong explanation).
    absent: Vec<String>,
}

impl Repro {
    fn without(mut self, wrong: &[&str]) -> Self {
        self.absent = wrong.iter().map(|s| s.to_string()).collect();
        self
    }
}

fn repro(exchange: Exchange, evidence: &[&str]) -> Repro {
    Repro {
        exchange,
        evidence: evidence.iter().map(|s| s.to_string()).collect(),
        absent: Vec::new(),
    }
}

struct Sandbox {
    handle: SandboxHandle,
    clock: ManualClock,
}

async fn sandbox_with(cfg: SandboxConfig) -> Sandbox {
    let clock = ManualClock::new();
    let handle = sandbox::start_with(
        cfg,
        "127.0.0.1:0".parse().unwrap(),
        StartOptions {
            clock: Arc::new(clock.clone()),
            log: None,
        },
    )
    .await
    .expect("sandbox starts on loopback");
    Sandbox { handle, clock }
}

async fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig::default()).await
}

fn client_for(base_url: &str, key: Option<&str>, max_body: usize) -> GeminiClient {
    GeminiClient::new(ClientConfig {
        base_url: base_url.to_string(),
        api_key: key.and_then(ApiKey::new),
        backend: "sandbox".into(),
        max_body_bytes: max_body,
    })
    .unwrap()
}

/// A request as JSON, the way a user writes it (camelCase, any field the wire accepts).
fn request(body: Value) -> GenerateContentRequest {
    serde_json::from_value(body).expect("request JSON fits the wire types")
}

fn prompt(text: &str) -> GenerateContentRequest {
    GenerateContentRequest::from_prompt(text)
}

struct Call<'a> {
    model: &'a str,
    version: ApiVersion,
    stream: bool,
    timeout: Duration,
}

impl Call<'_> {
    fn to(model: &str) -> Call<'_> {
        Call {
            model,
            version: ApiVersion::V1Beta,
            stream: false,
            timeout: NORMAL,
        }
    }
}

async fn send(client: &GeminiClient, call: Call<'_>, req: GenerateContentRequest) -> Exchange {
    let spec = CallSpec {
        model: call.model.to_string(),
        api_version: call.version,
        stream: call.stream,
        request: req,
        timeout: call.timeout,
    };
    client
        .generate(&spec, &CancellationToken::new(), &mut |_| {})
        .await
}

/// One call to a fresh default sandbox with `key`.
async fn once(key: Option<&str>, call: Call<'_>, req: GenerateContentRequest) -> Exchange {
    let sb = sandbox().await;
    let c = client_for(&sb.handle.base_url(), key, 1 << 22);
    send(&c, call, req).await
}

/// One call to a fresh sandbox with `fault` armed.
async fn armed(fault: Fault, call: Call<'_>, req: GenerateContentRequest) -> Exchange {
    let sb = sandbox().await;
    sb.handle.control().arm(fault);
    let c = client_for(&sb.handle.base_url(), Some(KEY), 1 << 22);
    let ex = send(&c, call, req).await;
    assert!(
        sb.handle.control().armed().is_empty(),
        "the armed fault did not fire: {:?}",
        ex.outcome
    );
    ex
}

fn finish_fault(reason: &str) -> Fault {
    Fault::FinishReason {
        reason: reason.into(),
    }
}

fn key_with(word: &str) -> String {
    format!("sandbox-{word}-roundtrip")
}

fn status(ex: &Exchange) -> Option<u16> {
    ex.status()
}

/// Reproduces `scenario`; `None` when this file does not know it.
async fn reproduce(scenario: &str) -> Option<Repro> {
    let flash = || Call::to(FLASH);
    let r = match scenario {
        // ── keys ──
        "key:not-found"
        | "key:expired"
        | "key:invalid"
        | "key:leaked"
        | "key:suspended"
        | "key:service-blocked"
        | "key:service-disabled"
        | "key:wrong-product" => {
            let word = match scenario {
                "key:not-found" => "notfound",
                "key:service-blocked" => "blocked",
                "key:service-disabled" => "disabled",
                "key:wrong-product" => "vertex",
                other => other.trim_start_matches("key:"),
            };
            let key = key_with(word);
            let ex = once(Some(&key), flash(), prompt("hello")).await;
            let needle: &[&str] = match scenario {
                "key:not-found" | "key:expired" | "key:invalid" => &["API_KEY_INVALID"],
                "key:suspended" => &["CONSUMER_SUSPENDED"],
                "key:service-blocked" => &["API_KEY_SERVICE_BLOCKED"],
                "key:service-disabled" => &["SERVICE_DISABLED"],
                "key:wrong-product" => &["CREDENTIALS_MISSING"],
                _ => &[],
            };
            let masked = ApiKey::new(&key).unwrap().masked();
            let mut needles = needle.to_vec();
            needles.push(&masked);
            repro(ex, &needles)
        }
        "key:missing" => repro(
            once(None, flash(), prompt("hello")).await,
            &["sent no API key"],
        ),

        // ── quotas (ManualClock) ──
        "quota:rpm" => {
            let sb = sandbox().await;
            sb.handle.control().update(|c| {
                c.limits.models.insert(
                    FLASH.into(),
                    LimitOverride {
                        rpm: Some(2),
                        tpm: None,
                        rpd: None,
                    },
                );
            });
            let c = client_for(&sb.handle.base_url(), Some(KEY), 1 << 22);
            for _ in 0..2 {
                let ok = send(&c, flash(), prompt("hello")).await;
                assert_eq!(ok.outcome, Outcome::Success, "{:?}", ok.outcome);
            }
            sb.clock.advance(Duration::from_secs(20));
            let ex = send(&c, flash(), prompt("hello")).await;
            assert_eq!(status(&ex), Some(429));
            // 60 s window, 20 s elapsed: the server says 40 s; waiting that long is enough.
            let wait = retry_delay(&ex).expect("a per-minute 429 carries RetryInfo");
            assert_eq!(wait, Duration::from_secs(40));
            sb.clock.advance(wait);
            let after = send(&c, flash(), prompt("hello")).await;
            assert_eq!(after.outcome, Outcome::Success, "{:?}", after.outcome);
            repro(ex, &["2/min", "40 s", FLASH])
        }
        "replay:quota-2024" => {
            // The 2024 form of the 429 (reference §4.2): no QuotaFailure, no RetryInfo. The
            // sandbox speaks the 2026 form, so the scripted server replays this one.
            let body = r#"{"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}}"#;
            let ex = replay("429 Too Many Requests", body).await;
            repro(
                ex,
                &["429 RESOURCE_EXHAUSTED", "Resource has been exhausted"],
            )
        }
        "quota:rpd" => {
            let sb = sandbox().await;
            sb.handle.control().update(|c| {
                c.limits.models.insert(
                    FLASH.into(),
                    LimitOverride {
                        rpm: Some(100),
                        tpm: None,
                        rpd: Some(3),
                    },
                );
            });
            let c = client_for(&sb.handle.base_url(), Some(KEY), 1 << 22);
            for _ in 0..3 {
                let ok = send(&c, flash(), prompt("hello")).await;
                assert_eq!(ok.outcome, Outcome::Success, "{:?}", ok.outcome);
            }
            let ex = send(&c, flash(), prompt("hello")).await;
            assert_eq!(status(&ex), Some(429));
            assert_eq!(retry_delay(&ex), None, "daily exhaustion has no RetryInfo");
            // A minute later the day is still spent.
            sb.clock.advance(Duration::from_secs(61));
            let later = send(&c, flash(), prompt("hello")).await;
            assert_eq!(status(&later), Some(429));
            repro(ex, &["3/day", FLASH])
        }
        "quota:limit-zero" => {
            let model = "gemini-3-pro-preview";
            let ex = once(Some(KEY), Call::to(model), prompt("hello")).await;
            repro(ex, &["limit 0/min", "limit: 0", model])
                // Nothing refills a zero limit.
                .without(&["refills"])
        }

        // ── location ──
        "location:unsupported" => {
            let sb = sandbox().await;
            sb.handle.control().set_region(false, false);
            let c = client_for(&sb.handle.base_url(), Some(KEY), 1 << 22);
            repro(
                send(&c, flash(), prompt("hello")).await,
                &["User location is not supported"],
            )
        }

        // ── request shape and versions ──
        "version:v1-beta-field" => {
            let call = Call {
                version: ApiVersion::V1,
                ..flash()
            };
            let req = request(json!({
                "contents": [{"role": "user", "parts": [{"text": "hello"}]}],
                "systemInstruction": {"parts": [{"text": "be brief"}]}
            }));
            repro(
                once(Some(KEY), call, req).await,
                &["systemInstruction", "v1"],
            )
        }
        "request:unknown-field" => {
            let req = request(json!({
                "contents": [{"role": "user", "parts": [{"text": "hello"}]}],
                "generationConfig": {"temprature": 0.5}
            }));
            repro(once(Some(KEY), flash(), req).await, &["temprature"])
        }
        "request:empty-parts" => {
            let req = request(json!({
                "contents": [
                    {"role": "user", "parts": [{"text": "hello"}]},
                    {"role": "model", "parts": []},
                    {"role": "user", "parts": [{"text": "again"}]}
                ]
            }));
            repro(
                once(Some(KEY), flash(), req).await,
                &["contents[1].parts", "must not be empty"],
            )
        }
        "request:thought-signature" => {
            let req = request(json!({
                "contents": [
                    {"role": "user", "parts": [{"text": "weather in Lisbon?"}]},
                    {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Lisbon"}}}]},
                    {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {"temp": 21}}}]}
                ],
                "tools": [{"functionDeclarations": [{"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]}]
            }));
            repro(
                once(Some(KEY), Call::to("gemini-3-pro-preview"), req).await,
                &["get_weather", "thought_signature"],
            )
        }
        "timeout:below-floor" => {
            let call = Call {
                timeout: Duration::from_secs(5),
                ..flash()
            };
            repro(
                once(Some(KEY), call, prompt("hello")).await,
                &["deadline 5s is too short"],
            )
        }

        // ── parameters ──
        "param:temperature" => gen_config(json!({"temperature": 3.5}), &["temperature 3.5"]).await,
        "param:top_p" => gen_config(json!({"topP": 1.5}), &["topP 1.5"]).await,
        "param:top_k" => gen_config(json!({"topK": 0}), &["topK 0"]).await,
        "param:candidate_count" => {
            gen_config(json!({"candidateCount": 9}), &["candidateCount 9"]).await
        }
        "param:max_output_tokens" => {
            gen_config(
                json!({"maxOutputTokens": 100000}),
                &["maxOutputTokens 100000", "65536"],
            )
            .await
        }
        "param:stop_sequences" => {
            gen_config(
                json!({"stopSequences": ["a", "b", "c", "d", "e", "f"]}),
                &["6 stop sequences"],
            )
            .await
        }
        "param:thinking_budget" => {
            gen_config(
                json!({"thinkingConfig": {"thinkingBudget": 52428}}),
                &["thinking budget 52428", "0–24576"],
            )
            .await
        }
        "tokens:input-limit" => {
            let model = "gemini-2.0-flash-lite";
            // 1 048 576 tokens at 4 characters each, plus a little.
            let text = "abcd".repeat(1_048_576 + 1000);
            let ex = once(Some(KEY), Call::to(model), prompt(&text)).await;
            repro(ex, &["1049576", "1048576"])
        }

        // ── models ──
        "model:unknown" => {
            let ex = once(Some(KEY), Call::to("gemini-2.5-flsh"), prompt("hello")).await;
            repro(ex, &["gemini-2.5-flsh", "did you mean 'gemini-2.5-flash'"])
        }
        "model:embedding-only" => {
            let model = "gemini-embedding-001";
            repro(
                once(Some(KEY), Call::to(model), prompt("hello")).await,
                &[model, "supports only embedContent"],
            )
        }
        "model:no-permission" => {
            let key = key_with("noaccess");
            repro(once(Some(&key), flash(), prompt("hello")).await, &[FLASH])
        }

        // ── backend statuses ──
        "fault:400" => {
            let ex = armed(Fault::Status { code: 400 }, flash(), prompt("hello")).await;
            repro(ex, &["400 INVALID_ARGUMENT", "invalid argument"])
        }
        "location:free-tier" => {
            let sb = sandbox().await;
            sb.handle
                .control()
                .update(|c| c.free_tier_available = false);
            let c = client_for(&sb.handle.base_url(), Some(KEY), 1 << 22);
            let ex = send(&c, flash(), prompt("hello")).await;
            // Billing lifts it.
            sb.handle.control().update(|c| c.billing_enabled = true);
            let paid = send(&c, flash(), prompt("hello")).await;
            assert_eq!(paid.outcome, Outcome::Success, "{:?}", paid.outcome);
            repro(
                ex,
                &["400 FAILED_PRECONDITION", "free tier is not available"],
            )
            .without(&["User location"])
        }
        "request:missing-cache" => {
            let req = request(json!({
                "contents": [{"role": "user", "parts": [{"text": "hello"}]}],
                "cachedContent": "cachedContents/roundtrip-gone"
            }));
            repro(
                once(Some(KEY), flash(), req).await,
                &["403 PERMISSION_DENIED", "CachedContent not found"],
            )
        }
        "request:missing-file" => {
            let req = request(json!({
                "contents": [{"role": "user", "parts": [
                    {"text": "summarise this"},
                    {"fileData": {"mimeType": "application/pdf", "fileUri": "https://generativelanguage.googleapis.com/v1beta/files/roundtrip-gone"}}
                ]}]
            }));
            repro(
                once(Some(KEY), flash(), req).await,
                &["404 NOT_FOUND", "roundtrip-gone"],
            )
            // The model exists: the 404 is about the file, not the model.
            .without(&["did you mean", "not found on"])
        }
        "fault:500" | "fault:503" | "fault:504" => {
            let code: u16 = scenario[6..].parse().unwrap();
            let ex = armed(Fault::Status { code }, flash(), prompt("hello")).await;
            repro(ex, &[&format!("HTTP {code} ")])
        }

        // ── safety and output ──
        "block:other" | "block:prohibited" | "block:safety" => {
            let (marker, reason) = match scenario {
                "block:other" => ("sandbox:block-other", "OTHER"),
                "block:prohibited" => ("sandbox:block-prohibited", "PROHIBITED_CONTENT"),
                _ => ("sandbox:block-safety", "SAFETY"),
            };
            let ex = once(Some(KEY), flash(), prompt(&format!("tell me {marker}"))).await;
            repro(ex, &[&format!("blockReason {reason}")])
        }
        "finish:safety" => {
            let ex = once(Some(KEY), flash(), prompt("tell me sandbox:finish-safety")).await;
            repro(
                ex,
                &["finish reason SAFETY", "HARM_CATEGORY_DANGEROUS_CONTENT"],
            )
        }
        "finish:recitation" => {
            let ex = once(
                Some(KEY),
                flash(),
                prompt("tell me sandbox:finish-recitation"),
            )
            .await;
            repro(ex, &["finish reason RECITATION"])
        }
        "finish:blocklist" => {
            let ex = once(
                Some(KEY),
                flash(),
                prompt("tell me sandbox:finish-blocklist"),
            )
            .await;
            repro(ex, &["finish reason BLOCKLIST"])
        }
        "finish:malformed_function_call" => {
            let ex = once(
                Some(KEY),
                flash(),
                prompt("call it sandbox:finish-malformed-call"),
            )
            .await;
            repro(
                ex,
                &["finish reason MALFORMED_FUNCTION_CALL", "finishMessage"],
            )
        }
        "finish:prohibited" | "finish:spii" | "finish:language" | "finish:unexpected_tool_call" => {
            let reason = match scenario {
                "finish:prohibited" => "PROHIBITED_CONTENT",
                "finish:spii" => "SPII",
                "finish:language" => "LANGUAGE",
                _ => "UNEXPECTED_TOOL_CALL",
            };
            let ex = armed(finish_fault(reason), flash(), prompt("hello")).await;
            repro(ex, &[&format!("finish reason {reason}")])
        }
        "finish:other" => {
            let ex = once(Some(KEY), flash(), prompt("tell me sandbox:finish-other")).await;
            repro(ex, &["finish reason OTHER"])
        }
        "finish:empty-stop" => {
            let ex = once(Some(KEY), flash(), prompt("tell me sandbox:empty-stop")).await;
            repro(ex, &["finish reason STOP", "no text parts"])
        }
        "finish:max_tokens-thinking" => {
            // No marker: thinking naturally spends the whole 10-token budget.
            let req = request(json!({
                "contents": [{"role": "user", "parts": [{"text": "explain entropy"}]}],
                "generationConfig": {"maxOutputTokens": 10}
            }));
            repro(
                once(Some(KEY), flash(), req).await,
                &["thinking used 10 of 10"],
            )
        }
        "finish:max_tokens" => {
            let req = request(json!({
                "contents": [{"role": "user", "parts": [{"text": "explain entropy at length"}]}],
                "generationConfig": {"maxOutputTokens": 5}
            }));
            let ex = once(Some(KEY), Call::to("gemini-2.0-flash"), req).await;
            repro(ex, &["after 5 visible tokens"])
        }

        // ── proxies, streams, transport ──
        "proxy:html-502" => {
            let ex = armed(Fault::Html502, flash(), prompt("hello")).await;
            repro(ex, &["502 Bad Gateway"])
        }
        "proxy:text" => {
            let server = serve(vec![vec![Send(response(
                "503 Service Unavailable",
                "text/plain",
                "upstream connect error or disconnect/reset before headers",
            ))]])
            .await;
            let c = client_for(&server.base_url(), Some(KEY), 1 << 20);
            repro(
                send(&c, flash(), prompt("hello")).await,
                &["upstream connect error"],
            )
        }
        "net:dns" => {
            let c = GeminiClient::with_http(
                reqwest::Client::builder()
                    .dns_resolver(Arc::new(NoSuchHost))
                    .build()
                    .unwrap(),
                ClientConfig {
                    base_url: "http://no-such-host.invalid".into(),
                    api_key: ApiKey::new(KEY),
                    backend: "custom".into(),
                    max_body_bytes: 1 << 20,
                },
            );
            repro(
                send(&c, flash(), prompt("hello")).await,
                &["no-such-host.invalid"],
            )
        }
        "net:refused" => {
            let port = {
                let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                l.local_addr().unwrap().port()
            };
            let c = client_for(&format!("http://127.0.0.1:{port}"), Some(KEY), 1 << 20);
            let ex = send(&c, flash(), prompt("hello")).await;
            repro(ex, &[&format!("127.0.0.1:{port}")])
        }
        "net:tls" => {
            let server = serve(vec![vec![Send(response(
                "400 Bad Request",
                "text/plain",
                "plain http",
            ))]])
            .await;
            let url = format!("https://{}", server.addr);
            let c = client_for(&url, Some(KEY), 1 << 20);
            repro(send(&c, flash(), prompt("hello")).await, &[&url])
        }
        "net:timeout-headers" => {
            let server = serve(vec![vec![Hang]]).await;
            let c = client_for(&server.base_url(), Some(KEY), 1 << 20);
            let call = Call {
                timeout: SHORT,
                ..flash()
            };
            repro(send(&c, call, prompt("hello")).await, &["0.8 s"])
        }
        "net:timeout-body" => {
            // Not the sandbox's Stall: the client sends `X-Server-Timeout: 1` for a 300 ms
            // timeout, which the sandbox (like the service) rejects below its 10 s floor.
            let event = support::sse_event(&support::text_chunk("Once upon", None, 2));
            let server = serve(vec![vec![
                Send(chunked_head("200 OK", "text/event-stream")),
                Send(support::chunk(&event)),
                Hang,
            ]])
            .await;
            let c = client_for(&server.base_url(), Some(KEY), 1 << 20);
            let call = Call {
                stream: true,
                timeout: SHORT,
                ..flash()
            };
            repro(
                send(&c, call, prompt("hello")).await,
                &["0.8 s", "1 stream event arrived"],
            )
        }
        "stream:drop" => {
            let call = Call {
                stream: true,
                ..flash()
            };
            let ex = armed(Fault::Drop { after_chunks: 2 }, call, prompt("hello")).await;
            repro(ex, &["2 stream events"])
        }
        "stream:error-503" => {
            let call = Call {
                stream: true,
                ..flash()
            };
            let fault = Fault::StreamError {
                code: 503,
                after_chunks: 1,
            };
            let ex = armed(fault, call, prompt("hello")).await;
            let partial = ex.text().chars().count();
            assert!(partial > 0, "one event arrived before the error");
            repro(
                ex,
                &[
                    &format!("{partial} characters of text arrived"),
                    "inside a stream",
                ],
            )
        }
        "net:reset" => {
            let server = serve(vec![vec![Reset]]).await;
            let c = client_for(&server.base_url(), Some(KEY), 1 << 20);
            repro(
                send(&c, flash(), prompt("hello")).await,
                &["Connection reset by peer"],
            )
        }
        "response:too-large" => {
            let sb = sandbox().await;
            let c = client_for(&sb.handle.base_url(), Some(KEY), 256);
            repro(send(&c, flash(), prompt("hello")).await, &["256 B cap"])
        }
        "net:other" => {
            let server = serve(vec![vec![
                Send(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec()),
                Close,
            ]])
            .await;
            let c = client_for(&server.base_url(), Some(KEY), 1 << 20);
            repro(
                send(&c, flash(), prompt("hello")).await,
                &["invalid HTTP version"],
            )
        }
        "response:malformed" => {
            let call = Call {
                stream: true,
                ..flash()
            };
            let ex = armed(
                Fault::MalformedChunk { after_chunks: 1 },
                call,
                prompt("hello"),
            )
            .await;
            repro(ex, &["could not be read", "not valid JSON"])
        }
        _ => return None,
    };
    Some(r)
}

/// A recorded error response played back by the scripted server on loopback.
async fn replay(status: &str, body: &str) -> Exchange {
    let server = serve(vec![vec![Send(response(
        status,
        "application/json; charset=UTF-8",
        body,
    ))]])
    .await;
    let c = client_for(&server.base_url(), Some(KEY), 1 << 20);
    send(&c, Call::to(FLASH), prompt("hello")).await
}

async fn gen_config(config: Value, evidence: &[&str]) -> Repro {
    let req = request(json!({
        "contents": [{"role": "user", "parts": [{"text": "hello"}]}],
        "generationConfig": config
    }));
    repro(once(Some(KEY), Call::to(FLASH), req).await, evidence)
}

/// RetryInfo's delay, read from the recorded error.
fn retry_delay(ex: &Exchange) -> Option<Duration> {
    let Outcome::ApiError { error, .. } = &ex.outcome else {
        return None;
    };
    let v = serde_json::to_value(error).ok()?;
    v["details"].as_array()?.iter().find_map(|d| {
        let s = d.get("retryDelay")?.as_str()?;
        Some(Duration::from_secs(s.trim_end_matches('s').parse().ok()?))
    })
}

fn guide_scenarios() -> BTreeSet<&'static str> {
    kb().entries
        .iter()
        .filter_map(|e| e.sandbox.as_deref())
        .collect()
}

fn diagnose_with_catalogue(ex: &Exchange, model: &str) -> Vec<Finding> {
    let known: Vec<Model> = sandbox::catalogue().wire_models();
    let called = known.iter().find(|m| m.id() == model);
    let ctx = Context {
        model: called,
        known_models: &known,
        ..Default::default()
    };
    diagnose(ex, &ctx)
}

#[tokio::test]
async fn every_reproducible_entry_comes_out_on_top_with_this_calls_evidence() {
    let mut failures = Vec::new();
    for entry in &kb().entries {
        let Some(scenario) = entry.sandbox.as_deref() else {
            continue;
        };
        let Some(r) = reproduce(scenario).await else {
            failures.push(format!("{}: no reproduction for `{scenario}`", entry.id));
            continue;
        };
        let ex = &r.exchange;
        let model = ex.model.clone().unwrap_or_default();
        let model = model.strip_prefix("models/").unwrap_or(&model);
        let findings = diagnose_with_catalogue(ex, model);
        let Some(top) = findings.first() else {
            failures.push(format!(
                "{} ({scenario}): no finding; outcome {:?}",
                entry.id, ex.outcome
            ));
            continue;
        };
        let ranked: Vec<&str> = findings.iter().map(|f| f.entry_id.as_str()).collect();
        // A companion is proven as the finding right below the entry it accompanies.
        let (expected_rank, proven) = match COMPANIONS.iter().find(|(c, _)| *c == entry.id) {
            Some((_, above)) => {
                if top.entry_id != *above {
                    failures.push(format!(
                        "{} ({scenario}): expected {above} first, got {ranked:?}",
                        entry.id
                    ));
                    continue;
                }
                (1, findings.get(1))
            }
            None => (0, Some(top)),
        };
        let Some(top) = proven.filter(|f| f.entry_id == entry.id) else {
            failures.push(format!(
                "{} ({scenario}): not at rank {expected_rank} in {ranked:?}; outcome {:?}; evidence {:?}",
                entry.id, ex.outcome, top.evidence
            ));
            continue;
        };
        for wrong in &r.absent {
            if findings
                .iter()
                .flat_map(|f| &f.evidence)
                .any(|e| e.contains(wrong.as_str()))
            {
                failures.push(format!(
                    "{} ({scenario}): evidence wrongly says `{wrong}`",
                    entry.id
                ));
            }
        }
        let evidence = top.evidence.join("\n");
        for needle in &r.evidence {
            if !evidence.contains(needle.as_str()) {
                failures.push(format!(
                    "{} ({scenario}): evidence lacks `{needle}`: {:?}",
                    entry.id, top.evidence
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_entry_is_reproduced_or_says_why_not() {
    let implemented: BTreeSet<&str> = SCENARIOS.iter().copied().collect();
    assert_eq!(implemented.len(), SCENARIOS.len(), "duplicate scenario");
    let named = guide_scenarios();
    let missing: Vec<_> = named.difference(&implemented).collect();
    let stale: Vec<_> = implemented.difference(&named).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "scenarios named in guide.toml without a reproduction: {missing:?}; \
         reproductions no entry names: {stale:?}"
    );
    for e in &kb().entries {
        assert!(
            e.sandbox.is_some() || e.not_reproducible.as_deref().is_some_and(|r| !r.is_empty()),
            "{}: neither a scenario nor a reason",
            e.id
        );
        assert!(
            e.sandbox.is_none() || e.not_reproducible.is_none(),
            "{}: both a scenario and a reason why there is none",
            e.id
        );
    }
    // Each scenario proves one entry: two entries cannot both be the top finding of one call.
    let mut seen = BTreeSet::new();
    for s in kb().entries.iter().filter_map(|e| e.sandbox.as_deref()) {
        assert!(seen.insert(s), "scenario `{s}` is named by two entries");
    }
}
