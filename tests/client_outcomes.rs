//! Every Outcome the client can produce, over real loopback HTTP against scripted servers.

mod support;

use gemini_doctor::gemini::api_error::{ErrorBodyKind, ErrorDetail};
use gemini_doctor::gemini::client::{CallSpec, ClientConfig, GeminiClient, Progress};
use gemini_doctor::gemini::exchange::{Exchange, Outcome, TransportKind};
use gemini_doctor::gemini::key::ApiKey;
use gemini_doctor::gemini::wire::{ApiVersion, BlockReason, FinishReason, GenerateContentRequest};
use std::time::Duration;
use support::*;
use tokio_util::sync::CancellationToken;

const KEY: &str = "AIzaCANARYkey-never-leaks-0123456789";

fn client(base_url: &str, max_body: usize) -> GeminiClient {
    GeminiClient::new(ClientConfig {
        base_url: base_url.to_string(),
        api_key: ApiKey::new(KEY),
        backend: "custom".into(),
        max_body_bytes: max_body,
    })
    .unwrap()
}

fn spec(stream: bool, timeout_ms: u64) -> CallSpec {
    CallSpec {
        model: "gemini-2.5-flash".into(),
        api_version: ApiVersion::V1Beta,
        stream,
        request: GenerateContentRequest::from_prompt("hello"),
        timeout: Duration::from_millis(timeout_ms),
    }
}

async fn call(server: &ScriptServer, stream: bool, timeout_ms: u64) -> Exchange {
    client(&server.base_url(), 1 << 20)
        .generate(
            &spec(stream, timeout_ms),
            &CancellationToken::new(),
            &mut |_| {},
        )
        .await
}

fn assert_key_free(ex: &Exchange) {
    let json = serde_json::to_string(ex).unwrap();
    assert!(!json.contains(KEY), "the key leaked into the record");
    assert!(!json.contains("CANARYkey-never"), "part of the key leaked");
}

#[tokio::test]
async fn success_non_stream_records_body_usage_and_timings() {
    let body = format!("{}\n", text_chunk("Hello there", Some("STOP"), 2));
    let mut server = serve(vec![vec![Send(response(
        "200 OK",
        "application/json; charset=UTF-8",
        &body,
    ))]])
    .await;
    let ex = call(&server, false, 5_000).await;
    assert_eq!(ex.outcome, Outcome::Success);
    assert_eq!(ex.text(), "Hello there");
    assert_eq!(ex.usage().unwrap().total_token_count, Some(5));
    assert_eq!(ex.body.as_deref(), Some(body.as_str()));
    assert!(ex.timings.first_byte_ms.is_some() && ex.timings.total_ms.is_some());
    let req = server.requests.recv().await.unwrap();
    // The key travels only in the header.
    assert_eq!(req.header("x-goog-api-key"), Some(KEY));
    assert!(!req.request_line.contains(KEY));
    assert_eq!(
        req.request_line,
        "POST /v1beta/models/gemini-2.5-flash:generateContent HTTP/1.1"
    );
    assert!(
        ex.request
            .headers
            .iter()
            .any(|(k, v)| k == "x-goog-api-key" && v == "AIza…6789")
    );
    assert_key_free(&ex);
}

use support::Step::*;

#[tokio::test]
async fn stream_success_keeps_every_event_in_order() {
    let mut script = vec![Send(chunked_head("200 OK", "text/event-stream"))];
    for (i, w) in ["One", " two", " three"].iter().enumerate() {
        let fin = (i == 2).then_some("STOP");
        script.push(Send(chunk(&sse_event(&text_chunk(w, fin, i as u64 + 1)))));
    }
    script.push(Send(last_chunk()));
    let mut server = serve(vec![script]).await;
    let mut deltas = Vec::new();
    let ex = client(&server.base_url(), 1 << 20)
        .generate(&spec(true, 5_000), &CancellationToken::new(), &mut |p| {
            if let Progress::Event(_, Some(c)) = p {
                deltas.push(c.text());
            }
        })
        .await;
    assert_eq!(ex.outcome, Outcome::Success);
    assert_eq!(ex.events.len(), 3);
    assert_eq!(deltas, ["One", " two", " three"]);
    assert_eq!(ex.text(), "One two three");
    assert!(
        server
            .requests
            .recv()
            .await
            .unwrap()
            .request_line
            .contains(":streamGenerateContent?alt=sse")
    );
    assert_key_free(&ex);
}

/// A 200 SSE response of `n` events (`w0 `, `w1 `, …) with no finish reason, then `end`.
fn words_stream(n: u64, end: Step) -> Vec<Step> {
    let mut script = vec![Send(chunked_head("200 OK", "text/event-stream"))];
    for i in 0..n {
        script.push(Send(chunk(&sse_event(&text_chunk(
            &format!("w{i} "),
            None,
            i + 1,
        )))));
    }
    script.push(end);
    script
}

#[tokio::test]
async fn a_stream_cut_after_40_chunks_keeps_those_40() {
    // The peer goes away mid-body (no terminating chunk).
    let script = words_stream(40, Close);
    let server = serve(vec![script]).await;
    let ex = call(&server, true, 5_000).await;
    match &ex.outcome {
        Outcome::StreamInterrupted {
            kind,
            events_received,
            ..
        } => {
            assert_eq!(*kind, TransportKind::ConnectionReset, "{:?}", ex.outcome);
            assert_eq!(*events_received, 40, "{:?}", ex.outcome);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(ex.events.len(), 40);
    assert!(ex.text().starts_with("w0 w1 ") && ex.text().ends_with("w39 "));
}

#[tokio::test]
async fn a_tcp_reset_mid_stream_is_an_interruption_and_keeps_a_prefix() {
    let script = words_stream(5, Reset);
    let server = serve(vec![script]).await;
    let ex = call(&server, true, 5_000).await;
    // A reset may discard bytes still in the receive buffer, so only a prefix is guaranteed.
    match &ex.outcome {
        Outcome::StreamInterrupted {
            kind,
            events_received,
            ..
        } => {
            assert_eq!(*kind, TransportKind::ConnectionReset);
            assert!(*events_received <= 5);
            assert_eq!(*events_received, ex.events.len());
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!("w0 w1 w2 w3 w4 ".starts_with(&ex.text()));
}

#[tokio::test]
async fn a_stream_that_ends_without_finish_reason_is_interrupted() {
    let script = vec![
        Send(chunked_head("200 OK", "text/event-stream")),
        Send(chunk(&sse_event(&text_chunk("half", None, 1)))),
        Send(last_chunk()),
    ];
    let server = serve(vec![script]).await;
    let ex = call(&server, true, 5_000).await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::StreamInterrupted {
                kind: TransportKind::Other,
                events_received: 1,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
    assert_eq!(ex.text(), "half");
}

#[tokio::test]
async fn an_error_object_inside_a_200_stream_is_an_in_stream_api_error() {
    let err = "{\n  \"error\": {\n    \"code\": 503,\n    \"message\": \"The model is overloaded. Please try again later.\",\n    \"status\": \"UNAVAILABLE\"\n  }\n}\n";
    let script = vec![
        Send(chunked_head("200 OK", "text/event-stream")),
        Send(chunk(&sse_event(&text_chunk("partial", None, 1)))),
        Send(chunk(&sse_event(&text_chunk(" answer", None, 2)))),
        Send(chunk(err)),
        Send(last_chunk()),
    ];
    let server = serve(vec![script]).await;
    let ex = call(&server, true, 5_000).await;
    match &ex.outcome {
        Outcome::ApiError { error, in_stream } => {
            assert!(in_stream);
            assert_eq!((error.code, error.status.as_str()), (503, "UNAVAILABLE"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(ex.text(), "partial answer");
    assert_eq!(ex.events.len(), 3);
    assert!(ex.events[2].raw);
}

#[tokio::test]
async fn a_malformed_event_is_malformed_and_kept() {
    let script = vec![
        Send(chunked_head("200 OK", "text/event-stream")),
        Send(chunk(&sse_event(&text_chunk("ok", None, 1)))),
        Send(chunk("data: {\"candidates\": [{\"content\": \r\n\r\n")),
        Send(chunk(&sse_event(&text_chunk(".", Some("STOP"), 2)))),
        Send(last_chunk()),
    ];
    let server = serve(vec![script]).await;
    let ex = call(&server, true, 5_000).await;
    assert!(
        matches!(&ex.outcome, Outcome::Malformed { message } if message.contains("not valid JSON")),
        "{:?}",
        ex.outcome
    );
    assert_eq!(ex.events.len(), 3);
    assert_eq!(ex.events[1].data, "{\"candidates\": [{\"content\": ");
}

#[tokio::test]
async fn html_502_from_a_proxy_is_a_non_json_error_with_its_title() {
    let html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";
    let server = serve(vec![vec![Send(response(
        "502 Bad Gateway",
        "text/html",
        html,
    ))]])
    .await;
    let ex = call(&server, false, 5_000).await;
    match &ex.outcome {
        Outcome::NonJsonError {
            status,
            body_kind,
            snippet,
        } => {
            assert_eq!(*status, 502);
            assert_eq!(
                body_kind,
                &ErrorBodyKind::Html {
                    title: Some("502 Bad Gateway".into())
                }
            );
            assert!(snippet.contains("nginx"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(ex.body.as_deref(), Some(html));
}

#[tokio::test]
async fn no_headers_before_the_timeout() {
    let server = serve(vec![vec![Hang]]).await;
    let ex = call(&server, false, 800).await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::Transport {
                kind: TransportKind::TimeoutBeforeHeaders,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
    assert!(ex.response.is_none());
}

#[tokio::test]
async fn a_stream_that_stalls_mid_body_keeps_what_arrived() {
    let script = vec![
        Send(chunked_head("200 OK", "text/event-stream")),
        Send(chunk(&sse_event(&text_chunk("before the stall", None, 1)))),
        Hang,
    ];
    let server = serve(vec![script]).await;
    let ex = call(&server, true, 800).await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::StreamInterrupted {
                kind: TransportKind::TimeoutMidBody,
                events_received: 1,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
    assert_eq!(ex.text(), "before the stall");
}

#[tokio::test]
async fn a_non_stream_body_that_stalls_times_out_mid_body() {
    let script = vec![
        Send(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"candidates\"".to_vec()),
        Hang,
    ];
    let server = serve(vec![script]).await;
    let ex = call(&server, false, 800).await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::Transport {
                kind: TransportKind::TimeoutMidBody,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
    assert_eq!(ex.body_bytes, 13);
}

#[tokio::test]
async fn connection_refused() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{port}"), 1 << 20);
    let ex = c
        .generate(&spec(false, 5_000), &CancellationToken::new(), &mut |_| {})
        .await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::Transport {
                kind: TransportKind::ConnectRefused,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
    assert_key_free(&ex);
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_dns_failure() {
    // The resolver is local and always fails, so the test sends no DNS query anywhere.
    let http = reqwest::Client::builder()
        .dns_resolver(std::sync::Arc::new(NoSuchHost))
        .build()
        .unwrap();
    let c = GeminiClient::with_http(
        http,
        ClientConfig {
            base_url: "http://no-such-host.invalid".into(),
            api_key: ApiKey::new(KEY),
            backend: "custom".into(),
            max_body_bytes: 1 << 20,
        },
    );
    let ex = c
        .generate(&spec(false, 5_000), &CancellationToken::new(), &mut |_| {})
        .await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::Transport {
                kind: TransportKind::Dns,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_failure() {
    let server = serve(vec![vec![Send(response(
        "400 Bad Request",
        "text/plain",
        "plain http",
    ))]])
    .await;
    let c = client(&format!("https://{}", server.addr), 1 << 20);
    let ex = c
        .generate(&spec(false, 5_000), &CancellationToken::new(), &mut |_| {})
        .await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::Transport {
                kind: TransportKind::Tls,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
}

#[tokio::test]
async fn reset_before_any_response() {
    let server = serve(vec![vec![Reset]]).await;
    let ex = call(&server, false, 5_000).await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::Transport {
                kind: TransportKind::ConnectionReset,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
}

#[tokio::test]
async fn truncated_and_non_json_200_bodies_are_malformed() {
    let truncated = "{\n  \"candidates\": [\n    {\n      \"content\": {";
    let server = serve(vec![
        vec![Send(response("200 OK", "application/json", truncated))],
        vec![Send(response("200 OK", "text/plain", "OK"))],
    ])
    .await;
    for expected_body in [truncated, "OK"] {
        let ex = call(&server, false, 5_000).await;
        assert!(
            matches!(&ex.outcome, Outcome::Malformed { message } if message.contains("not valid JSON")),
            "{:?}",
            ex.outcome
        );
        assert_eq!(ex.body.as_deref(), Some(expected_body));
    }
}

#[tokio::test]
async fn a_body_over_the_cap_is_cut_with_bounded_memory() {
    let big = "x".repeat(300_000);
    let server = serve(vec![vec![Send(response(
        "200 OK",
        "application/json",
        &big,
    ))]])
    .await;
    let c = client(&server.base_url(), 64 * 1024);
    let ex = c
        .generate(&spec(false, 5_000), &CancellationToken::new(), &mut |_| {})
        .await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::Transport {
                kind: TransportKind::BodyTooLarge,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
    assert_eq!(ex.body.as_ref().unwrap().len(), 64 * 1024);
}

#[tokio::test]
async fn cancelling_while_the_server_hangs() {
    let script = vec![Send(chunked_head("200 OK", "text/event-stream")), Hang];
    let server = serve(vec![script]).await;
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let ex = client(&server.base_url(), 1 << 20)
        .generate(&spec(true, 60_000), &cancel, &mut |p| {
            if matches!(p, Progress::Headers(..)) {
                trigger.cancel();
            }
        })
        .await;
    assert_eq!(ex.outcome, Outcome::Cancelled);
    assert_eq!(ex.status(), Some(200));
}

#[tokio::test]
async fn blocked_prompt_and_early_stops_are_degraded_outcomes() {
    let blocked = "{\"promptFeedback\": {\"blockReason\": \"SAFETY\"},\"usageMetadata\": {\"promptTokenCount\": 13,\"totalTokenCount\": 13}}";
    let thinking = "{\"candidates\": [{\"content\": {\"role\": \"model\"},\"finishReason\": \"MAX_TOKENS\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 9,\"totalTokenCount\": 1033,\"thoughtsTokenCount\": 1024}}";
    let server = serve(vec![
        vec![
            Send(chunked_head("200 OK", "text/event-stream")),
            Send(chunk(&sse_event(blocked))),
            Send(last_chunk()),
        ],
        vec![Send(response("200 OK", "application/json", thinking))],
    ])
    .await;
    let ex = call(&server, true, 5_000).await;
    assert_eq!(
        ex.outcome,
        Outcome::PromptBlocked {
            reason: BlockReason::Safety
        }
    );
    let ex = call(&server, false, 5_000).await;
    assert_eq!(
        ex.outcome,
        Outcome::StoppedEarly {
            reason: FinishReason::MaxTokens,
            empty: true
        }
    );
    assert_eq!(ex.usage().unwrap().thoughts_token_count, Some(1024));
}

/// Real-shaped bodies for every error status the troubleshooting guide lists.
#[tokio::test]
async fn every_guide_error_status_parses_with_its_details() {
    let cases: Vec<(&str, &str, i64, &str)> = vec![
        (
            "400 Bad Request",
            r#"{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"temprature\" at 'generation_config': Cannot find field.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"generation_config","description":"Invalid JSON payload received. Unknown name \"temprature\" at 'generation_config': Cannot find field."}]}]}}"#,
            400,
            "INVALID_ARGUMENT",
        ),
        (
            "400 Bad Request",
            r#"{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}"#,
            400,
            "FAILED_PRECONDITION",
        ),
        (
            "403 Forbidden",
            r#"{"error":{"code":403,"message":"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.","status":"PERMISSION_DENIED"}}"#,
            403,
            "PERMISSION_DENIED",
        ),
        (
            "404 Not Found",
            r#"{"error":{"code":404,"message":"models/gemini-2.5-flsh is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}"#,
            404,
            "NOT_FOUND",
        ),
        (
            "429 Too Many Requests",
            r#"{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"},"quotaValue":"10"}]},{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}"#,
            429,
            "RESOURCE_EXHAUSTED",
        ),
        (
            "500 Internal Server Error",
            r#"{"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}"#,
            500,
            "INTERNAL",
        ),
        (
            "503 Service Unavailable",
            r#"{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"#,
            503,
            "UNAVAILABLE",
        ),
        (
            "504 Gateway Timeout",
            r#"{"error":{"code":504,"message":"Deadline Exceeded","status":"DEADLINE_EXCEEDED"}}"#,
            504,
            "DEADLINE_EXCEEDED",
        ),
    ];
    let server = serve(
        cases
            .iter()
            .map(|(line, body, _, _)| {
                vec![Send(response(
                    line,
                    "application/json; charset=UTF-8",
                    body,
                ))]
            })
            .collect(),
    )
    .await;
    for (_, _, code, status) in &cases {
        let ex = call(&server, false, 5_000).await;
        let err = ex
            .outcome
            .api_error()
            .unwrap_or_else(|| panic!("{:?}", ex.outcome));
        assert_eq!((err.code, err.status.as_str()), (*code, *status));
        if *code == 429 {
            assert_eq!(err.retry_delay(), Some(Duration::from_secs(37)));
            assert_eq!(
                err.quota_violations()
                    .next()
                    .unwrap()
                    .quota_value
                    .as_deref(),
                Some("10")
            );
            assert!(
                err.details
                    .iter()
                    .any(|d| matches!(d, ErrorDetail::Help { .. }))
            );
        }
        if *status == "INVALID_ARGUMENT" {
            assert_eq!(
                err.field_violations().next().unwrap().field.as_deref(),
                Some("generation_config")
            );
        }
    }
}

#[tokio::test]
async fn model_listing_follows_every_page() {
    let page1 = r#"{"models": [{"name": "models/a", "supportedGenerationMethods": ["generateContent"]}], "nextPageToken": "tok/1="}"#;
    let page2 = r#"{"models": [{"name": "models/b", "inputTokenLimit": 10}]}"#;
    let mut server = serve(vec![
        vec![Send(response("200 OK", "application/json", page1))],
        vec![Send(response("200 OK", "application/json", page2))],
    ])
    .await;
    let listing = client(&server.base_url(), 1 << 20)
        .list_models(
            ApiVersion::V1,
            1,
            Duration::from_secs(5),
            &CancellationToken::new(),
        )
        .await;
    assert!(!listing.failed);
    let ids: Vec<_> = listing.models.iter().map(|m| m.id().to_string()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(
        server.requests.recv().await.unwrap().request_line,
        "GET /v1/models?pageSize=1 HTTP/1.1"
    );
    assert_eq!(
        server.requests.recv().await.unwrap().request_line,
        "GET /v1/models?pageSize=1&pageToken=tok%2F1%3D HTTP/1.1"
    );
}

#[tokio::test]
async fn a_server_dripping_bytes_hits_the_non_stream_deadline_and_keeps_the_bytes() {
    let body = text_chunk("slow", Some("STOP"), 1);
    let full = body.clone();
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let server = serve(vec![vec![
        Send(head.into_bytes()),
        Drip(body.into_bytes(), Duration::from_millis(40)),
    ]])
    .await;
    let ex = call(&server, false, 1_000).await;
    assert!(
        matches!(
            ex.outcome,
            Outcome::Transport {
                kind: TransportKind::TimeoutMidBody,
                ..
            }
        ),
        "{:?}",
        ex.outcome
    );
    // Every byte that arrived is kept.
    assert!(ex.body_bytes >= 1, "{}", ex.body_bytes);
    assert_eq!(ex.body.as_ref().unwrap().len() as u64, ex.body_bytes);
    assert!(full.starts_with(&ex.body.unwrap()));
}

#[tokio::test]
async fn sse_events_split_into_single_byte_reads_parse_the_same() {
    let mut events = String::new();
    for (i, w) in ["Hé", "llo ", "wörld"].iter().enumerate() {
        events.push_str(&sse_event(&text_chunk(
            w,
            (i == 2).then_some("STOP"),
            i as u64 + 1,
        )));
    }
    // Chunked framing around a body that then arrives one byte per TCP write.
    let server = serve(vec![vec![
        Send(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
                .to_vec(),
        ),
        Drip(events.into_bytes(), Duration::from_millis(1)),
        Close,
    ]])
    .await;
    let ex = call(&server, true, 5_000).await;
    assert_eq!(ex.outcome, Outcome::Success, "{:?}", ex.outcome);
    assert_eq!(ex.events.len(), 3);
    assert_eq!(ex.text(), "Héllo wörld");
}
