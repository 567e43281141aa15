//! The headless commands as a user runs them: the real binary against loopback servers.

mod support;

use assert_cmd::Command;
use support::Step::*;
use support::*;

const CANARY: &str = "AIzaCANARY-cli-key-0000000000000000";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary with a private home and the canary key; off the async runtime.
async fn run(home: &std::path::Path, args: Vec<String>) -> Run {
    let home = home.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let out = Command::cargo_bin("gemini-doctor")
            .unwrap()
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("GEMINI_DOCTOR_HOME", &home)
            .env("GEMINI_API_KEY", CANARY)
            .args(&args)
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    })
    .await
    .unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn assert_no_canary(home: &std::path::Path, r: &Run) {
    assert!(
        !r.stdout.contains(CANARY) && !r.stderr.contains(CANARY),
        "key printed"
    );
    for entry in files_under(home) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(CANARY),
            "key written to {}",
            entry.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_streams_text_prints_a_summary_and_records_history() {
    let home = tempfile::tempdir().unwrap();
    let script = vec![
        Send(chunked_head("200 OK", "text/event-stream")),
        Send(chunk(&sse_event(&text_chunk("Hello", None, 1)))),
        Send(chunk(&sse_event(&text_chunk(" world", Some("STOP"), 2)))),
        Send(last_chunk()),
    ];
    let mut server = serve(vec![script]).await;
    let r = run(
        home.path(),
        args(&[
            "send",
            "hi",
            "--stream",
            "--temperature",
            "0.3",
            "--base-url",
            &server.base_url(),
        ]),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "Hello world\n");
    assert!(
        r.stderr.contains("✓ 200 OK") && r.stderr.contains("STOP"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("AIza…0000 from $GEMINI_API_KEY"),
        "{}",
        r.stderr
    );
    let req = server.requests.recv().await.unwrap();
    assert_eq!(req.header("x-goog-api-key"), Some(CANARY));
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body["generationConfig"]["temperature"], 0.3);

    let h = run(home.path(), args(&["history"])).await;
    assert_eq!(h.code, 0);
    assert_eq!(h.stdout.lines().count(), 1);
    assert!(
        h.stdout.contains("gemini-2.5-flash") && h.stdout.contains("OK"),
        "{}",
        h.stdout
    );
    assert_no_canary(home.path(), &r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_distinguish_api_errors_degraded_and_transport() {
    let home = tempfile::tempdir().unwrap();
    let quota = r#"{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}"#;
    let blocked = r#"{"promptFeedback": {"blockReason": "OTHER"}}"#;
    let server = serve(vec![
        vec![Send(response(
            "429 Too Many Requests",
            "application/json",
            quota,
        ))],
        vec![Send(response("200 OK", "application/json", blocked))],
        vec![Reset],
    ])
    .await;
    let base = server.base_url();
    let r = run(home.path(), args(&["send", "x", "--base-url", &base])).await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("HTTP 429 RESOURCE_EXHAUSTED") && r.stderr.contains("retry after: 37s"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("ApiErrorBody {"),
        "debug dump leaked: {}",
        r.stderr
    );
    let r = run(home.path(), args(&["send", "x", "--base-url", &base])).await;
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("blocked (promptFeedback.blockReason = OTHER)"),
        "{}",
        r.stderr
    );
    let r = run(home.path(), args(&["send", "x", "--base-url", &base])).await;
    assert_eq!(r.code, 5, "{}", r.stderr);
    let h = run(home.path(), args(&["history", "--failed"])).await;
    assert_eq!(h.stdout.lines().count(), 3, "{}", h.stdout);
    assert_no_canary(home.path(), &r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output_is_the_whole_exchange_without_the_key() {
    let home = tempfile::tempdir().unwrap();
    let body = text_chunk("ok", Some("STOP"), 1);
    let server = serve(vec![vec![Send(response(
        "200 OK",
        "application/json",
        &body,
    ))]])
    .await;
    let r = run(
        home.path(),
        args(&[
            "send",
            "x",
            "--json",
            "--api-version",
            "v1",
            "--base-url",
            &server.base_url(),
        ]),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["outcome"]["type"], "success");
    assert_eq!(v["api_version"], "v1");
    assert!(
        v["request"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/v1/models/gemini-2.5-flash:generateContent")
    );
    assert_eq!(
        v["result"]["candidates"][0]["content"]["parts"][0]["text"],
        "ok"
    );
    assert_no_canary(home.path(), &r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn models_and_count() {
    let home = tempfile::tempdir().unwrap();
    let models = r#"{"models": [{"name": "models/gemini-2.5-flash", "inputTokenLimit": 1048576, "outputTokenLimit": 65536, "supportedGenerationMethods": ["generateContent", "countTokens"], "temperature": 1, "maxTemperature": 2, "topP": 0.95, "topK": 64}]}"#;
    let server = serve(vec![
        vec![Send(response("200 OK", "application/json", models))],
        vec![Send(response(
            "200 OK",
            "application/json",
            "{\n  \"totalTokens\": 7\n}\n",
        ))],
    ])
    .await;
    let base = server.base_url();
    let r = run(home.path(), args(&["models", "--base-url", &base])).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stdout.lines().nth(1).unwrap();
    assert!(
        line.starts_with("gemini-2.5-flash") && line.contains("1048576") && line.contains("1/2"),
        "{}",
        r.stdout
    );
    let r = run(
        home.path(),
        args(&["count", "hello world", "--base-url", &base]),
    )
    .await;
    assert_eq!((r.code, r.stdout.as_str()), (0, "7\n"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_usage_exits_2_with_a_clear_message() {
    let home = tempfile::tempdir().unwrap();
    let r = run(home.path(), args(&["send", "x", "--api-version", "v2"])).await;
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not an API version"), "{}", r.stderr);
    let r = run(
        home.path(),
        args(&[
            "send",
            "x",
            "--base-url",
            "https://example.test/?key=AIzaSECRET",
        ]),
    )
    .await;
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("never in the URL") && !r.stderr.contains("SECRET"),
        "{}",
        r.stderr
    );
}
