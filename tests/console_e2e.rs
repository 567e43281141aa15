//! The real console in tmux against its embedded sandbox, driven as a user would:
//! keys in with send-keys, the screen read back with capture-pane. Every wait is for
//! text on the screen (bounded), never a fixed sleep.

mod support;

use std::path::Path;
use std::time::Duration;
use support::tmux::{Pane, available};

const WAIT: Duration = Duration::from_secs(20);
const BIN: &str = env!("CARGO_BIN_EXE_gemini-doctor");

/// Starts the console on the embedded sandbox (no key, no base URL) in a private home.
fn console(home: &Path, cols: u16, rows: u16) -> Pane {
    let cmd = format!(
        "env -u GEMINI_API_KEY -u GOOGLE_API_KEY -u GOOGLE_GEMINI_BASE_URL NO_COLOR=1 LANG=C.UTF-8 GEMINI_DOCTOR_HOME={} {BIN}",
        home.display()
    );
    let pane = Pane::start(&cmd, cols, rows);
    pane.wait_until("the first frame on the sandbox", WAIT, |s| {
        s.contains("[Prompt]") && s.contains("SANDBOX") && s.contains("in 1M out 64k")
    });
    pane
}

/// From the prompt editor: focus the parameters pane and select the temperature row.
fn select_temperature(p: &Pane) {
    p.keys(&["Tab"]);
    for _ in 0..4 {
        p.keys(&["Down"]);
    }
    p.wait_for("›temperature", WAIT);
}

fn temperature_row(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains("temperature"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn type_raise_temperature_send_and_watch_it_stream() {
    if !available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let p = console(home.path(), 120, 40);
    p.type_text("Why is the sky blue?");
    p.wait_for("Why is the sky blue?", WAIT);
    select_temperature(&p);
    // The first press starts at the model's default (1.0), then fine steps of 0.05.
    for _ in 0..5 {
        p.keys(&["Right"]);
    }
    let s = p.wait_until("temperature raised to 1.2", WAIT, |s| {
        temperature_row(s).contains(" 1.2 ")
    });
    assert!(s.contains("›temperature"), "{s}");
    p.keys(&["F5"]);
    let s = p.wait_until("the reply and its log row", WAIT, |s| {
        s.contains("[sandbox] Simulated reply") && s.contains("STOP")
    });
    let row = s
        .lines()
        .find(|l| l.contains("gemini-2.5-flash") && l.contains("v1beta") && l.contains("STOP"))
        .unwrap_or_else(|| panic!("no log row:\n{s}"));
    assert!(row.contains(" OK "), "{row}");
    // The request that went out carried the slider's value.
    let history = std::fs::read_to_string(home.path().join("data/history.jsonl")).unwrap();
    assert!(
        history.contains("\"temperature\":1.2,") || history.contains("\"temperature\":1.2}"),
        "{history}"
    );
}

#[test]
fn an_armed_429_is_explained_and_retried_after_the_servers_delay() {
    if !available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let p = console(home.path(), 120, 40);
    p.type_text("hello");
    p.keys(&["F7"]);
    p.wait_for("Sandbox faults", WAIT);
    for _ in 0..3 {
        p.keys(&["Down"]);
    }
    p.keys(&["Enter"]);
    p.wait_for("armed for the next request: HTTP 429", WAIT);
    p.keys(&["F5"]);
    let s = p.wait_for("Per-minute rate limit reached", WAIT);
    assert!(s.contains("429 RESOURCE_EXHAUSTED"), "{s}");
    assert!(s.contains("generate_content_free_tier_requests"), "{s}");
    assert!(s.contains("[1] retry after"), "{s}");
    // Alt-1 applies fix 1 while the prompt editor has focus.
    p.keys(&["M-1"]);
    let s = p.wait_until("a live countdown", WAIT, |s| {
        s.contains("retrying in") && s.contains("Esc cancels")
    });
    let first = countdown(&s);
    let s = p.wait_until("the countdown to move", WAIT, |s| countdown(s) < first);
    assert!(countdown(&s) > 0.0, "{s}");
}

fn countdown(screen: &str) -> f64 {
    screen
        .split("retrying in ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(f64::MAX)
}

#[test]
fn out_of_range_temperature_warns_before_sending_then_the_400_is_explained() {
    if !available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let p = console(home.path(), 120, 40);
    p.type_text("Tell me a story");
    select_temperature(&p);
    for _ in 0..8 {
        p.keys(&["S-Right"]);
    }
    let s = p.wait_for("Before sending", WAIT);
    assert!(s.contains("Temperature out of range"), "{s}");
    assert!(s.contains("is above gemini-2.5-flash's maximum"), "{s}");
    p.keys(&["F5"]);
    let s = p.wait_for("Selected request", WAIT);
    assert!(s.contains("400 INVALID_ARGUMENT"), "{s}");
    let selected = s.split("Selected request").nth(1).unwrap();
    assert!(selected.contains("Temperature out of range"), "{s}");
    assert!(selected.contains("set temperature = 2"), "{s}");
    // The fix is one key away; after it the same request succeeds.
    p.keys(&["2"]);
    p.wait_until("temperature clamped", WAIT, |s| {
        temperature_row(s).contains(" 2 ")
    });
    p.keys(&["F5"]);
    p.wait_until("a successful send", WAIT, |s| {
        s.contains("[sandbox] Simulated reply")
    });
}

#[test]
fn narrow_terminal_still_shows_every_pane() {
    if !available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let p = console(home.path(), 80, 24);
    let s = p.screen();
    for pane in ["[Prompt]", "Parameters", "Log", "Inspector", "SANDBOX"] {
        assert!(s.contains(pane), "{pane} missing at 80x24:\n{s}");
    }
}

#[test]
fn keys_from_the_config_replace_the_defaults_everywhere() {
    if !available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[keys]\nsend = \"F9\"\nteleport = \"F3\"\n",
    )
    .unwrap();
    let p = console(home.path(), 120, 40);
    // The bad line is reported, the good one is in the footer.
    let s = p.wait_for("F9 send", WAIT);
    assert!(s.contains("\"teleport\" is not an action"), "{s}");
    p.type_text("hi");
    p.keys(&["F5"]);
    p.keys(&["F9"]);
    let s = p.wait_for("[sandbox] Simulated reply", WAIT);
    // F5 no longer sends: exactly one call went out.
    assert!(s.contains("Log 1 "), "{s}");
}
