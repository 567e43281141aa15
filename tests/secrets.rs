//! Canary key: run every headless command and a scripted console session with a key no
//! one else uses, then search everything the program wrote — history, config, exports,
//! stdout, stderr, the screen, the clipboard, panic output — and fail if the key appears.
//! The key must still reach the server, and only in the `x-goog-api-key` header.

mod support;

use gemini_doctor::sandbox::{self, LogSink, SandboxConfig, StartOptions};

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::files_under;
use support::tmux::{Pane, available};

const CANARY: &str = "AIzaCANARY-secret-9f3c2b7e1d5a4c8b6e0f";
const BIN: &str = env!("CARGO_BIN_EXE_gemini-doctor");
const WAIT: Duration = Duration::from_secs(20);

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(CANARY), "the key leaked into {what}");
    // A long slice of the key is as bad as the whole key.
    assert!(
        !text.contains(&CANARY[4..24]),
        "part of the key leaked into {what}"
    );
}

fn run(home: &Path, args: &[&str], stdin: Option<&str>) -> (String, String) {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GEMINI_DOCTOR_HOME", home)
        .env("GEMINI_API_KEY", CANARY)
        .args(args);
    let out = match stdin {
        Some(text) => {
            use std::io::Write;
            let mut child = cmd
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        }
        None => cmd.output().unwrap(),
    };
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_canary_key_never_leaves_the_header() {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log_lines = seen.clone();
    let sink: LogSink = Arc::new(move |line: &sandbox::RequestLog| {
        log_lines.lock().unwrap().push(line.to_string())
    });
    let mut cfg = SandboxConfig::default();
    cfg.limits.enabled = false;
    let handle = sandbox::start_with(
        cfg,
        "127.0.0.1:0".parse().unwrap(),
        StartOptions {
            log: Some(sink),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let base = handle.base_url();
    let home = tempfile::tempdir().unwrap();
    let h = home.path().to_path_buf();

    // A config file holding the key too: it must be made private and never echoed.
    std::fs::write(h.join("config.toml"), format!("api_key = \"{CANARY}\"\n")).unwrap();

    let headless = tokio::task::spawn_blocking({
        let (h, base) = (h.clone(), base.clone());
        move || {
            let mut outputs = vec![];
            for args in [
                vec!["send", "hello", "--base-url", &base],
                vec!["send", "hello", "--stream", "--base-url", &base],
                vec!["send", "hello", "--json", "--base-url", &base],
                vec!["send", "hello", "--temperature", "9", "--base-url", &base],
                vec!["models", "--json", "--base-url", &base],
                vec!["count", "hello", "--json", "--base-url", &base],
                vec!["history", "--json"],
                vec!["history"],
            ] {
                outputs.push((format!("{args:?}"), run(&h, &args, None)));
            }
            // A pasted error that quotes a key is explained with the key masked.
            let pasted = format!(
                "{{\"error\":{{\"code\":403,\"message\":\"Permission denied: Consumer 'api_key:{CANARY}' has been suspended.\",\"status\":\"PERMISSION_DENIED\"}}}}"
            );
            outputs.push(("explain".into(), run(&h, &["explain", "-"], Some(&pasted))));
            outputs.push(("explain --json".into(), run(&h, &["explain", "--json", "-"], Some(&pasted))));
            outputs
        }
    })
    .await
    .unwrap();
    for (what, (stdout, stderr)) in &headless {
        assert_clean(&format!("stdout of {what}"), stdout);
        assert_clean(&format!("stderr of {what}"), stderr);
    }
    // The calls were answered, so the key did reach the server (the sandbox refuses keyless calls).
    assert!(headless[0].1.0.contains("[sandbox]"), "{:?}", headless[0]);
    // The JSON record shows the header, masked.
    let json_send = &headless[2].1.0;
    assert!(json_send.contains("\"x-goog-api-key\""), "{json_send}");
    assert!(
        json_send.contains("AIza…4c8b6e0f") || json_send.contains("AIza…"),
        "{json_send}"
    );

    if available() {
        console_session(&h, &base);
        panic_report(&h);
    }

    for f in files_under(&h) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        if f.ends_with("config.toml") {
            // The one place the user put it; it must be private now.
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "config holding a key is readable by others");
            continue;
        }
        assert_clean(&f.display().to_string(), &text);
    }
    let history = std::fs::read_to_string(h.join("data/history.jsonl")).unwrap();
    assert!(
        history.lines().count() >= 6,
        "history was not written:\n{history}"
    );
    for line in seen.lock().unwrap().iter() {
        assert_clean("the sandbox's request log", line);
    }
    assert!(
        !seen.lock().unwrap().is_empty(),
        "the sandbox saw no request"
    );
}

fn console_session(home: &Path, base: &str) {
    let pane = Pane::start(
        &format!(
            "env -u GOOGLE_API_KEY NO_COLOR=1 GEMINI_API_KEY={CANARY} GEMINI_DOCTOR_HOME={} {BIN} --base-url {base}",
            home.display()
        ),
        120,
        40,
    );
    let _ = Command::new("tmux")
        .args(["set-option", "-g", "set-clipboard", "on"])
        .status();
    let s = pane.wait_for("CUSTOM", WAIT);
    assert_clean("the console's first screen", &s);
    assert!(s.contains("AIza…"), "the masked key is not shown:\n{s}");
    pane.type_text("Say hello");
    pane.keys(&["F5"]);
    let s = pane.wait_for("[sandbox] Simulated reply", WAIT);
    assert_clean("the console after a send", &s);
    // Request tab of the response view, then copy as curl and export everything.
    pane.keys(&["Tab"]);
    pane.keys(&["Tab"]);
    pane.keys(&["Tab"]);
    let s = pane.screen();
    assert_clean("the response tabs", &s);
    pane.keys(&["y"]);
    pane.keys(&["x"]);
    pane.wait_until("the export to finish", WAIT, |s| {
        s.contains("export") || s.contains("Export")
    });
    let clip = Command::new("tmux").args(["show-buffer"]).output().unwrap();
    let clip = String::from_utf8_lossy(&clip.stdout).into_owned();
    assert_clean("the clipboard", &clip);
    if !clip.is_empty() {
        assert!(
            clip.contains("$GEMINI_API_KEY"),
            "copied curl lacks the variable: {clip}"
        );
    }
    pane.keys(&["C-c"]);
    let exports = home.join("data/exports");
    let files = files_under(&exports);
    assert!(!files.is_empty(), "nothing exported");
    let curl = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "sh"))
        .map(|f| std::fs::read_to_string(f).unwrap())
        .unwrap_or_default();
    assert!(
        curl.contains("$GEMINI_API_KEY") || curl.contains("${GEMINI_API_KEY"),
        "{curl}"
    );
}

fn panic_report(home: &Path) {
    let pane = Pane::start(
        &format!(
            "env -u GOOGLE_API_KEY RUST_BACKTRACE=1 GEMINI_DOCTOR_TEST_PANIC=1 GEMINI_API_KEY={CANARY} GEMINI_DOCTOR_HOME={} {BIN} --base-url http://127.0.0.1:9",
            home.display()
        ),
        200,
        60,
    );
    let s = pane.wait_until("the panic report", WAIT, |s| {
        s.contains("panicked at") && pane.dead()
    });
    assert_clean("the panic report", &s);
}
