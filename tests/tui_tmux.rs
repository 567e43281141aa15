//! End to end: the real binary in tmux against a loopback server. Waits for screen text
//! (bounded), never sleeps for a fixed time to "let things settle". Skipped without tmux.

use std::process::Command;
use std::time::{Duration, Instant};

const KEY: &str = "AIzaCANARYconsole-key-0123456789";

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Polls the pane until `pred` holds or 20 s pass; returns the last screen.
async fn wait_for(session: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let screen = tmux(&["capture-pane", "-p", "-t", session]);
        if pred(&screen) {
            return screen;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; screen:\n{screen}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn serve() -> String {
    let models = r#"{"models":[{"name":"models/gemini-2.5-flash","inputTokenLimit":1048576,"outputTokenLimit":65536,"supportedGenerationMethods":["generateContent"],"temperature":1.0,"maxTemperature":2.0,"topP":0.95,"topK":64,"thinking":true}]}"#;
    let sse = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Rayleigh scattering, \"}]},\"index\":0}]}\r\n\r\n\
               data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"mostly.\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":6,\"candidatesTokenCount\":5,\"totalTokenCount\":11}}\r\n\r\n";
    let router = axum::Router::new()
        .route(
            "/v1beta/models",
            axum::routing::get(
                move || async move { ([("content-type", "application/json")], models) },
            ),
        )
        .fallback(move || async move { ([("content-type", "text/event-stream")], sse) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_sends_streams_and_restores_the_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tmux not installed; skipping");
        return;
    }
    let url = serve().await;
    let home = tempfile::tempdir().unwrap();
    let session = format!("gd-e2e-{}", std::process::id());
    let cmd = format!(
        "env -u GOOGLE_API_KEY NO_COLOR=1 GEMINI_DOCTOR_HOME={} GEMINI_API_KEY={KEY} {} --base-url {url}; echo EXIT=$?; stty -a | grep -o -- '-\\?icanon'; sleep 30",
        home.path().display(),
        env!("CARGO_BIN_EXE_gemini-doctor"),
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "100",
        "-y",
        "30",
        &cmd,
    ]);
    let _kill = KillOnDrop(session.clone());

    wait_for(&session, "the first frame", |s| {
        s.contains("[Prompt]") && s.contains("in 1M out 64k")
    })
    .await;
    tmux(&["send-keys", "-t", &session, "Why is the sky blue?"]);
    wait_for(&session, "the typed prompt", |s| {
        s.contains("Why is the sky blue?")
    })
    .await;
    tmux(&["send-keys", "-t", &session, "F5"]);
    let screen = wait_for(&session, "the answer", |s| {
        s.contains("Rayleigh scattering, mostly.") && s.contains(" OK ")
    })
    .await;
    assert!(screen.contains("CUSTOM"), "{screen}");
    assert!(
        !screen.contains(KEY),
        "the key is never drawn unmasked:\n{screen}"
    );
    tmux(&["send-keys", "-t", &session, "C-c"]);
    let screen = wait_for(&session, "exit", |s| {
        s.contains("EXIT=") && s.contains("icanon")
    })
    .await;
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        !screen.contains("-icanon"),
        "raw mode was left on:\n{screen}"
    );
    let history = std::fs::read_to_string(home.path().join("data/history.jsonl")).unwrap();
    assert_eq!(history.lines().count(), 1);
    assert!(!history.contains(KEY), "the key never reaches history");
}

struct KillOnDrop(String);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}
