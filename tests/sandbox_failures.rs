//! Loopback tests of every failure rule of the sandbox: keys, invalid requests,
//! region, missing models, rate limits (manual clock), server errors, 200-but-failed
//! shapes, transport faults and the admin API.

mod sandbox_support;

use gemini_doctor::gemini::{ApiErrorBody, ErrorDetail};
use gemini_doctor::sandbox::{Fault, LimitOverride, LoadConfig, SandboxConfig};
use sandbox_support::*;
use serde_json::{Value, json};
use std::time::Duration;

const GEN: &str = "/v1beta/models/gemini-2.5-flash:generateContent";

fn only_field(e: &ApiErrorBody) -> Option<String> {
    let f: Vec<_> = e.field_violations().collect();
    assert_eq!(f.len(), 1, "{e:?}");
    f[0].field.clone()
}

#[tokio::test]
async fn key_rules() {
    let s = start_unlimited().await;
    let body = prompt("hi");
    let r = s.post_key(GEN, None, &body).await;
    assert_eq!(r.status, 403);
    assert!(
        r.error()
            .message
            .starts_with("Method doesn't allow unregistered callers")
    );
    assert!(r.error().details.is_empty());

    for (key, msg) in [
        (
            "my-invalid-key",
            "API key not valid. Please pass a valid API key.",
        ),
        (
            "key-notfound",
            "API Key not found. Please pass a valid API key.",
        ),
        (
            "expired-key-1",
            "API key expired. Please renew the API key.",
        ),
    ] {
        let r = s.post_key(GEN, Some(key), &body).await;
        assert_eq!(r.status, 400, "{key}");
        let e = r.error();
        assert_eq!(
            (e.status.as_str(), e.message.as_str()),
            ("INVALID_ARGUMENT", msg)
        );
        let (reason, domain, meta) = e.error_info().unwrap();
        assert_eq!((reason, domain), ("API_KEY_INVALID", "googleapis.com"));
        assert_eq!(meta["service"], "generativelanguage.googleapis.com");
        assert!(
            matches!(&e.details[1], ErrorDetail::LocalizedMessage { message, .. } if message == msg)
        );
    }
    let r = s.post_key(GEN, Some("leaked-key"), &body).await;
    assert_eq!(
        (r.status, r.error().message.as_str()),
        (
            403,
            "Your API key was reported as leaked. Please use another API key."
        )
    );
    let r = s
        .post_key(GEN, Some("suspended-secret-key-123456"), &body)
        .await;
    assert_eq!(r.error().reason(), Some("CONSUMER_SUSPENDED"));
    assert!(!r.body.contains("secret"), "the key is masked in the body");
    let r = s.post_key(GEN, Some("blocked-key"), &body).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.error().reason(), Some("API_KEY_SERVICE_BLOCKED"));
    assert!(r.error().message.contains(
        "google.ai.generativelanguage.v1beta.GenerativeService.GenerateContent are blocked."
    ));
    let r = s.post_key(GEN, Some("disabled-project-key"), &body).await;
    assert_eq!(
        (r.status, r.error().reason()),
        (403, Some("SERVICE_DISABLED"))
    );
    assert!(
        r.error()
            .details
            .iter()
            .any(|d| matches!(d, ErrorDetail::Help { .. }))
    );
    let r = s.post_key(GEN, Some("vertex-bound-key"), &body).await;
    assert_eq!(
        (r.status, r.error().status.as_str()),
        (401, "UNAUTHENTICATED")
    );
    assert_eq!(r.error().reason(), Some("CREDENTIALS_MISSING"));
    let r = s.post_key(GEN, Some("noaccess-key"), &body).await;
    assert_eq!(
        (r.status, r.error().message.as_str()),
        (403, "The caller does not have permission")
    );
    // The key may also come as ?key=.
    let r = s
        .send(
            s.client
                .post(format!("{}{GEN}?key=invalid", s.base))
                .body(body.to_string()),
        )
        .await;
    assert_eq!(r.error().reason(), Some("API_KEY_INVALID"));
    // A second `?` glues the key into `alt`: 400, with the key masked in the echo.
    let r = s
        .send(s.client.post(format!("{}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse?key=AIzaSyVerySecretKey0123", s.base)).body(body.to_string()))
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.error()
            .message
            .starts_with("Invalid value \"sse?key=AIza…"),
        "{}",
        r.error().message
    );
    assert!(r.error().message.ends_with("\" for query parameter 'alt'"));
    assert!(!r.body.contains("VerySecret"));
    assert!(
        !s.logs
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.path.contains("VerySecret"))
    );
    // Tuned models need OAuth.
    let tuned = "/v1beta/tunedModels/sandbox-tuned-model:generateContent";
    assert_eq!(s.post(tuned, &body).await.status, 403);
    let r = s
        .send(
            s.client
                .post(format!("{}{tuned}", s.base))
                .bearer_auth("ya29.token")
                .body(body.to_string()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn malformed_json_and_semantic_bullets() {
    let s = start_unlimited().await;
    let r = s
        .send(
            s.client
                .post(format!("{}{GEN}", s.base))
                .header("x-goog-api-key", KEY)
                .body("{\"contents\": [}"),
        )
        .await;
    assert_eq!(r.status, 400);
    let e = r.error();
    assert!(
        e.message
            .starts_with("Invalid JSON payload received. Unexpected token.\n{\"contents\": [}\n"),
        "{}",
        e.message
    );
    let r = s.post(GEN, &json!({})).await;
    assert_eq!(
        r.error().message,
        "* GenerateContentRequest.contents: contents is not specified\n"
    );
    assert!(r.error().details.is_empty());
    let r = s.post(GEN, &json!({"contents": [{"role": "user", "parts": [{"text": "a"}]}, {"role": "model", "parts": []}]})).await;
    assert_eq!(
        r.error().message,
        "* GenerateContentRequest.contents[1].parts: contents.parts must not be empty.\n"
    );
    let r = s
        .post(
            GEN,
            &json!({"contents": [{"role": "assistant", "parts": [{"text": "a"}]}]}),
        )
        .await;
    assert_eq!(r.error().message, "Please use a valid role: user, model.");
    let r = s.post(GEN, &json!({"contents": "hi"})).await;
    assert_eq!(r.status, 400);
    assert!(r.error().message.starts_with("Invalid value at 'contents[0]' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content)"));
}

#[tokio::test]
async fn parameter_ranges_follow_the_model() {
    let s = start_unlimited().await;
    let cases: Vec<(&str, Value, &str, Option<&str>)> = vec![
        (
            "gemini-2.5-flash",
            json!({"temperature": 2.5}),
            "generation_config.temperature",
            None,
        ),
        (
            "gemini-2.5-flash",
            json!({"temperature": -0.1}),
            "generation_config.temperature",
            None,
        ),
        (
            "gemini-2.5-flash",
            json!({"topP": 1.5}),
            "generation_config.top_p",
            None,
        ),
        (
            "gemini-2.0-flash",
            json!({"topK": 41}),
            "generation_config.top_k",
            None,
        ),
        (
            "gemini-2.5-flash",
            json!({"candidateCount": 9}),
            "generation_config.candidate_count",
            None,
        ),
        (
            "gemini-3-pro-preview",
            json!({"candidateCount": 2}),
            "generation_config.candidate_count",
            Some("Only one candidate can be specified"),
        ),
        (
            "gemini-2.0-flash",
            json!({"maxOutputTokens": 8193}),
            "generation_config.max_output_tokens",
            None,
        ),
        (
            "gemini-2.0-flash",
            json!({"maxOutputTokens": 0}),
            "generation_config.max_output_tokens",
            None,
        ),
        (
            "gemini-2.5-flash",
            json!({"stopSequences": ["a", "b", "c", "d", "e", "f"]}),
            "generation_config.stop_sequences",
            None,
        ),
        (
            "gemini-2.5-flash",
            json!({"thinkingConfig": {"thinkingBudget": 52428}}),
            "generation_config.thinking_config.thinking_budget",
            Some("The thinking budget (52428) is invalid."),
        ),
        (
            "gemini-2.5-pro",
            json!({"thinkingConfig": {"thinkingBudget": 0}}),
            "generation_config.thinking_config.thinking_budget",
            Some("Budget 0 is invalid. This model only works in thinking mode."),
        ),
    ];
    for (model, cfg, field, msg) in cases {
        let r = s.generate(model, &with_config("x", cfg.clone())).await;
        assert_eq!(r.status, 400, "{model} {cfg}");
        let e = r.error();
        assert_eq!(e.status, "INVALID_ARGUMENT");
        assert_eq!(only_field(&e).as_deref(), Some(field), "{cfg}");
        if let Some(m) = msg {
            assert_eq!(e.message, m);
        }
    }
    // The edges themselves are accepted.
    for (model, cfg) in [
        (
            "gemini-2.5-flash",
            json!({"temperature": 2.0, "topP": 1.0, "topK": 64, "candidateCount": 8, "maxOutputTokens": 65536}),
        ),
        (
            "gemini-2.5-flash",
            json!({"thinkingConfig": {"thinkingBudget": 0}}),
        ),
        (
            "gemini-2.5-pro",
            json!({"thinkingConfig": {"thinkingBudget": -1}}),
        ),
        (
            "gemini-3-pro-preview",
            json!({"thinkingConfig": {"thinkingLevel": "low"}}),
        ),
    ] {
        let r = s.generate(model, &with_config("x", cfg.clone())).await;
        assert!(
            r.status == 200 || (model == "gemini-3-pro-preview" && r.status == 429),
            "{model} {cfg}: {}",
            r.body
        );
    }
    let r = s
        .generate(
            "gemini-2.0-flash",
            &with_config("x", json!({"thinkingConfig": {"thinkingBudget": 512}})),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn prompt_over_the_input_limit() {
    let s = start_unlimited().await;
    let big = "a".repeat(4 * 1_048_576 + 8);
    let r = s.generate("gemini-2.0-flash", &prompt(&big)).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.error().message,
        "The input token count (1048578) exceeds the maximum number of tokens allowed (1048576)."
    );
}

#[tokio::test]
async fn region_and_missing_things() {
    let s = start_unlimited().await;
    s.control().set_region(false, false);
    let r = s.generate("gemini-2.5-flash", &prompt("x")).await;
    assert_eq!(
        (r.status, r.error().status.as_str()),
        (400, "FAILED_PRECONDITION")
    );
    assert_eq!(
        r.error().message,
        "User location is not supported for the API use."
    );
    s.control().set_region(false, true);
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("x")).await.status,
        200,
        "billing lifts it"
    );
    s.control().set_region(true, false);

    for (path, name, version, method) in [
        (
            "/v1beta/models/gemini-1.5-flash:generateContent",
            "models/gemini-1.5-flash",
            "v1beta",
            "generateContent",
        ),
        (
            "/v1beta/models/gpt-4o-mini:streamGenerateContent?alt=sse",
            "models/gpt-4o-mini",
            "v1beta",
            "generateContent",
        ),
        (
            "/v1beta/models/gemini-embedding-001:generateContent",
            "models/gemini-embedding-001",
            "v1beta",
            "generateContent",
        ),
        (
            "/v1/models/gemini-3-pro-preview:generateContent",
            "models/gemini-3-pro-preview",
            "v1",
            "generateContent",
        ),
    ] {
        let r = s.post(path, &prompt("x")).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(
            r.error().message,
            format!(
                "{name} is not found for API version {version}, or is not supported for {method}. Call ListModels to see the list of available models and their supported methods."
            )
        );
    }
    let file = |id: &str| json!({"contents": [{"parts": [{"text": "describe"}, {"fileData": {"mimeType": "image/png", "fileUri": format!("https://generativelanguage.googleapis.com/v1beta/files/{id}")}}]}]});
    let r = s.post(GEN, &file("nope123")).await;
    assert_eq!((r.status, r.error().status.as_str()), (404, "NOT_FOUND"));
    assert!(r.error().message.contains("nope123"));
    assert_eq!(s.post(GEN, &file("sandbox-sample")).await.status, 200);
    // A method the model has but the sandbox does not simulate.
    let r = s
        .post(
            "/v1beta/models/gemini-embedding-001:embedContent",
            &json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.error().status.as_str()),
        (501, "UNIMPLEMENTED")
    );
}

#[tokio::test]
async fn rate_limit_window_with_manual_clock() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.models.insert(
        "gemini-2.5-flash".into(),
        LimitOverride {
            rpm: Some(2),
            tpm: None,
            rpd: Some(4),
        },
    );
    let s = start(cfg).await;
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("1")).await.status,
        200
    );
    s.clock.advance(Duration::from_secs(23));
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("2")).await.status,
        200
    );
    s.clock.advance(Duration::from_millis(500));
    let r = s.generate("gemini-2.5-flash", &prompt("3")).await;
    assert_eq!(r.status, 429);
    let e = r.error();
    assert_eq!(e.status, "RESOURCE_EXHAUSTED");
    let v = e.quota_violations().next().unwrap();
    assert_eq!(
        v.quota_id,
        "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
    );
    assert_eq!(
        v.quota_metric,
        "generativelanguage.googleapis.com/generate_content_free_tier_requests"
    );
    assert_eq!(v.quota_dimensions["location"], "global");
    assert_eq!(v.quota_dimensions["model"], "gemini-2.5-flash");
    assert_eq!(v.quota_value.as_deref(), Some("2"));
    assert!(
        e.details
            .iter()
            .any(|d| matches!(d, ErrorDetail::Help { .. }))
    );
    // 60 - 23.5 = 36.5 s, rounded up to whole seconds.
    assert!(r.body.contains("\"retryDelay\": \"37s\""));
    assert!(e.message.ends_with("\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 2, model: gemini-2.5-flash\nPlease retry in 37s."));
    // Other models are not affected; waiting the delay is enough.
    assert_eq!(
        s.generate("gemini-2.0-flash", &prompt("x")).await.status,
        200
    );
    s.clock
        .advance(e.retry_delay().unwrap() - Duration::from_secs(1));
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("early"))
            .await
            .status,
        429
    );
    s.clock.advance(Duration::from_secs(1));
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("4")).await.status,
        200
    );
    // Daily quota: 4 accepted today, the 5th is refused without RetryInfo.
    s.clock.advance(Duration::from_secs(120));
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("5")).await.status,
        200
    );
    let r = s.generate("gemini-2.5-flash", &prompt("6")).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.error().retry_delay(), None);
    assert!(
        r.body
            .contains("GenerateRequestsPerDayPerProjectPerModel-FreeTier")
    );
    // Reset clears the windows.
    s.control().reset();
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("7")).await.status,
        200
    );
}

#[tokio::test]
async fn token_quota_and_no_free_tier() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.tpm = Some(100);
    let s = start(cfg).await;
    let r = s
        .generate("gemini-2.0-flash", &prompt(&"x".repeat(404)))
        .await;
    assert_eq!(r.status, 429);
    assert_eq!(
        r.error().quota_violations().next().unwrap().quota_id,
        "GenerateContentInputTokensPerModelPerMinute-FreeTier"
    );
    let r = s.generate("gemini-3-pro-preview", &prompt("hi")).await;
    assert_eq!(r.status, 429);
    assert!(
        r.error()
            .message
            .contains("limit: 0, model: gemini-3-pro-preview")
    );
}

#[tokio::test]
async fn server_errors_load_and_deadlines() {
    let s = start_unlimited().await;
    for (code, status, msg) in [
        (500, "INTERNAL", "An internal error has occurred."),
        (
            503,
            "UNAVAILABLE",
            "This model is currently experiencing high demand. Spikes in demand are usually temporary. Please try again later.",
        ),
        (504, "DEADLINE_EXCEEDED", "Deadline expired"),
    ] {
        s.control().arm(Fault::Status { code });
        let r = s.generate("gemini-2.5-flash", &prompt("x")).await;
        assert_eq!((r.status, r.error().status.as_str()), (code, status));
        assert!(r.error().message.starts_with(msg));
        assert_eq!(
            s.generate("gemini-2.5-flash", &prompt("x")).await.status,
            200,
            "one-shot"
        );
    }
    s.control().set_load(LoadConfig {
        p_unavailable: 1.0,
        ..Default::default()
    });
    for _ in 0..3 {
        assert_eq!(
            s.generate("gemini-2.5-flash", &prompt("x")).await.status,
            503
        );
    }
    s.control().set_load(LoadConfig::default());

    let timed = |secs: &str, text: &str| {
        s.client
            .post(format!("{}{GEN}", s.base))
            .header("x-goog-api-key", KEY)
            .header("x-server-timeout", secs)
            .body(prompt(text).to_string())
    };
    let r = s.send(timed("5", "x")).await;
    assert_eq!(
        r.error().message,
        "Manually set deadline 5s is too short. Minimum allowed deadline is 10s."
    );
    assert_eq!(s.send(timed("10", "short prompt")).await.status, 200);
    // 200k tokens ≈ 20.4 s of simulated processing > 10 s deadline.
    let r = s.send(timed("10", &"y".repeat(800_000))).await;
    assert_eq!(
        (r.status, r.error().status.as_str()),
        (504, "DEADLINE_EXCEEDED")
    );
    assert_eq!(s.send(timed("60", &"y".repeat(800_000))).await.status, 200);
}

fn cand(v: &Value) -> &Value {
    &v["candidates"][0]
}

#[tokio::test]
async fn two_hundred_but_failed_shapes() {
    let s = start_unlimited().await;
    for (marker, reason) in [
        ("sandbox:block-safety", "SAFETY"),
        ("sandbox:block-other", "OTHER"),
        ("sandbox:block-prohibited", "PROHIBITED_CONTENT"),
    ] {
        let r = s
            .generate("gemini-2.5-flash", &prompt(&format!("tell me {marker}")))
            .await;
        assert_eq!(r.status, 200);
        let v = r.json();
        assert!(v.get("candidates").is_none());
        assert_eq!(v["promptFeedback"]["blockReason"], reason);
    }
    let v = s
        .generate("gemini-2.5-flash", &prompt("sandbox:finish-safety"))
        .await
        .json();
    assert_eq!(cand(&v)["finishReason"], "SAFETY");
    assert!(cand(&v).get("content").is_none());
    let blocked: Vec<&Value> = cand(&v)["safetyRatings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["blocked"] == true)
        .collect();
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0]["probability"], "HIGH");
    let v = s
        .generate("gemini-2.5-flash", &prompt("sandbox:finish-recitation"))
        .await
        .json();
    assert_eq!(cand(&v)["finishReason"], "RECITATION");
    let v = s
        .generate("gemini-2.5-flash", &prompt("sandbox:finish-blocklist"))
        .await
        .json();
    assert_eq!(cand(&v), &json!({"finishReason": "BLOCKLIST"}));
    let v = s
        .generate("gemini-2.5-flash", &prompt("sandbox:finish-malformed-call"))
        .await
        .json();
    assert_eq!(cand(&v)["finishReason"], "MALFORMED_FUNCTION_CALL");
    assert!(
        cand(&v)["finishMessage"]
            .as_str()
            .unwrap()
            .starts_with("Malformed function call: ")
    );
    assert!(cand(&v).get("content").is_none());
    let v = s
        .generate("gemini-2.5-pro", &prompt("sandbox:empty-stop"))
        .await
        .json();
    assert_eq!(
        cand(&v),
        &json!({"content": {"role": "model"}, "finishReason": "STOP", "index": 0})
    );

    // Thinking eats the whole output budget: naturally with a small cap, and armed.
    let v = s
        .generate(
            "gemini-2.5-flash",
            &with_config("x", json!({"maxOutputTokens": 10})),
        )
        .await
        .json();
    assert_eq!(
        cand(&v),
        &json!({"content": {"role": "model"}, "finishReason": "MAX_TOKENS", "index": 0})
    );
    assert_eq!(v["usageMetadata"]["thoughtsTokenCount"], 10);
    assert!(v["usageMetadata"].get("candidatesTokenCount").is_none());
    s.control().arm(Fault::ThinkingEatsBudget);
    let v = s
        .generate(
            "gemini-2.5-pro",
            &with_config("x", json!({"maxOutputTokens": 2000})),
        )
        .await
        .json();
    assert_eq!(cand(&v)["finishReason"], "MAX_TOKENS");
    assert_eq!(v["usageMetadata"]["thoughtsTokenCount"], 2000);
    // Output cap on a non-thinking model: some text, then MAX_TOKENS.
    let v = s
        .generate(
            "gemini-2.0-flash",
            &with_config("x", json!({"maxOutputTokens": 5})),
        )
        .await
        .json();
    assert_eq!(cand(&v)["finishReason"], "MAX_TOKENS");
    assert_eq!(v["usageMetadata"]["candidatesTokenCount"], 5);
    // Armed content faults beat markers and fire once.
    s.control().arm(Fault::BlockPrompt {
        reason: "OTHER".into(),
    });
    let v = s.generate("gemini-2.5-flash", &prompt("x")).await.json();
    assert_eq!(v["promptFeedback"]["blockReason"], "OTHER");
    assert!(
        s.generate("gemini-2.5-flash", &prompt("x"))
            .await
            .json()
            .get("candidates")
            .is_some()
    );
}

#[tokio::test]
async fn safety_cut_streams_text_then_a_contentless_finish() {
    let s = start_unlimited().await;
    let r = s
        .post(
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            &prompt("sandbox:finish-safety and more words"),
        )
        .await;
    let ev = sse_events(&r.body);
    assert!(ev.len() >= 2);
    assert!(ev[0]["candidates"][0]["content"]["parts"][0]["text"].is_string());
    let last = &ev.last().unwrap()["candidates"][0];
    assert_eq!(last["finishReason"], "SAFETY");
    assert!(last.get("content").is_none());
}

#[tokio::test]
async fn transport_faults() {
    let s = start_unlimited().await;
    let stream = format!(
        "{}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
        s.base
    );
    let ask = || {
        s.client
            .post(&stream)
            .header("x-goog-api-key", KEY)
            .body(prompt("a prompt that streams").to_string())
    };

    s.control().arm(Fault::Drop { after_chunks: 1 });
    let mut r = ask().send().await.unwrap();
    assert_eq!(r.status(), 200);
    let first = r.chunk().await.unwrap().unwrap();
    assert!(first.starts_with(b"data: "));
    let mut failed = false;
    loop {
        match r.chunk().await {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                failed = true;
                break;
            }
        }
    }
    assert!(failed, "the body must end in an error, not a clean end");

    s.control().arm(Fault::Stall { after_chunks: 0 });
    let r = ask()
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "headers arrive");
    let err = r.text().await.unwrap_err();
    assert!(err.is_timeout(), "{err}");

    s.control().arm(Fault::MalformedChunk { after_chunks: 1 });
    let body = ask().send().await.unwrap().text().await.unwrap();
    let events: Vec<&str> = body.split_terminator("\r\n\r\n").collect();
    assert_eq!(events.len(), 2);
    assert!(serde_json::from_str::<Value>(events[1].trim_start_matches("data: ")).is_err());

    s.control().arm(Fault::Html502);
    let r = s.generate("gemini-2.5-flash", &prompt("x")).await;
    assert_eq!(r.status, 502);
    assert!(r.content_type.starts_with("text/html"));
    assert!(r.body.contains("<title>502 Bad Gateway</title>"));

    // The server keeps serving after all that.
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("x")).await.status,
        200
    );
    s.handle.shutdown().await;
}

#[tokio::test]
async fn admin_api_arms_faults_and_swaps_config() {
    let s = start_unlimited().await;
    let admin = |p: &str| format!("{}/__sandbox/{p}", s.base);
    let r = s
        .send(
            s.client
                .post(admin("faults"))
                .body(r#"[{"kind":"status","code":503},{"kind":"empty_stop"}]"#),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["armed"].as_array().unwrap().len(), 2);
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("x")).await.status,
        503
    );
    assert_eq!(
        cand(&s.generate("gemini-2.5-flash", &prompt("x")).await.json())["finishReason"],
        "STOP"
    );
    assert_eq!(
        s.send(s.client.post(admin("faults")).body("{\"kind\":\"nope\"}"))
            .await
            .status,
        400
    );

    let mut cfg: SandboxConfig =
        serde_json::from_value(s.send(s.client.get(admin("config"))).await.json()).unwrap();
    assert!(!cfg.limits.enabled);
    cfg.region_supported = false;
    let r = s
        .send(
            s.client
                .put(admin("config"))
                .body(serde_json::to_string(&cfg).unwrap()),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("x"))
            .await
            .error()
            .status,
        "FAILED_PRECONDITION"
    );
    cfg.region_supported = true;
    cfg.free_tier_available = false;
    s.control().set_config(cfg.clone());
    let e = s.generate("gemini-2.5-flash", &prompt("x")).await.error();
    assert_eq!(e.status, "FAILED_PRECONDITION");
    assert!(
        e.message
            .starts_with("Gemini API free tier is not available in your country.")
    );
    cfg.billing_enabled = true;
    s.control().set_config(cfg);
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("x")).await.status,
        200
    );
    s.control().arm(Fault::Status { code: 500 });
    assert_eq!(s.send(s.client.post(admin("reset"))).await.status, 200);
    assert!(s.control().armed().is_empty());
}

#[tokio::test]
async fn gemini_3_requires_thought_signatures_on_function_calls() {
    let s = start_unlimited().await;
    let history = |sig: Option<&str>| {
        let mut call = json!({"functionCall": {"name": "get_weather", "args": {"city": "Lisbon"}}});
        if let Some(sig) = sig {
            call["thoughtSignature"] = json!(sig);
        }
        json!({"contents": [
            {"role": "user", "parts": [{"text": "weather?"}]},
            {"role": "model", "parts": [call]},
            {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {"t": 20}}}]}
        ]})
    };
    let r = s.generate("gemini-3-pro-preview", &history(None)).await;
    assert_eq!(r.status, 400);
    let m = r.error().message;
    assert!(
        m.starts_with("Function call is missing a thought_signature in functionCall parts."),
        "{m}"
    );
    assert!(
        m.contains("function call `default_api:get_weather` , position 2."),
        "{m}"
    );
    assert_eq!(
        s.generate("gemini-2.5-flash", &history(None)).await.status,
        200,
        "2.5 does not check"
    );
    let r = s
        .generate("gemini-3-pro-preview", &history(Some("c2lnbmF0dXJl")))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(cand(&r.json())["content"]["parts"][0]["thoughtSignature"].is_string());
    let skip = history(Some("skip_thought_signature_validator"));
    assert_eq!(s.generate("gemini-3-pro-preview", &skip).await.status, 200);
}

#[tokio::test]
async fn mid_stream_stall_array_errors_load_and_quiet_logs() {
    let s = start_unlimited().await;
    let sse = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    // Stall after one event: the event arrives, then nothing until the client gives up.
    s.control().arm(Fault::Stall { after_chunks: 1 });
    let mut r = s
        .client
        .post(format!("{}{sse}", s.base))
        .header("x-goog-api-key", KEY)
        .body(prompt("stall me").to_string())
        .send()
        .await
        .unwrap();
    let first = r.chunk().await.unwrap().unwrap();
    assert!(first.starts_with(b"data: "));
    let waited = tokio::time::timeout(Duration::from_millis(300), r.chunk()).await;
    assert!(waited.is_err(), "nothing after the first event");
    drop(r);

    // Without alt=sse the error closes the JSON array as its last element.
    s.control().arm(Fault::StreamError {
        code: 500,
        after_chunks: 1,
    });
    let r = s
        .post(
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
            &prompt("array error"),
        )
        .await;
    let arr: Vec<Value> = serde_json::from_str(&r.body).expect("still a JSON array");
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[1]["error"]["status"], "INTERNAL");

    // Simulated load failing every stream after its first event.
    s.control().set_load(LoadConfig {
        p_unavailable: 1.0,
        mid_stream: 1.0,
        ..Default::default()
    });
    let r = s.post(sse, &prompt("loaded")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.ends_with("}\n") && r.body.contains("\"status\": \"UNAVAILABLE\""));
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("x")).await.status,
        503,
        "non-stream fails before headers"
    );
    s.control().set_load(LoadConfig::default());

    // log = false silences the sink.
    let before = s.logs.lock().unwrap().len();
    s.control().update(|c| c.log = false);
    assert_eq!(
        s.generate("gemini-2.5-flash", &prompt("quiet"))
            .await
            .status,
        200
    );
    assert_eq!(s.logs.lock().unwrap().len(), before);
}
