//! The history survives its writers: two processes appending at once never interleave
//! lines, and a writer killed mid-append leaves a file that loads (the torn line, if
//! any, skipped and reported) and that the next append continues cleanly.
//!
//! The writers are this test binary re-run as a child with `HISTORY_WRITER=<path>`.

use gemini_doctor::gemini::exchange::{Exchange, Outcome};
use gemini_doctor::store::history::{DEFAULT_MAX_BYTES, History};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const WRITER_ENV: &str = "HISTORY_WRITER";

fn entry(tag: &str, i: usize) -> Exchange {
    Exchange {
        id: format!("{tag}-{i:06}"),
        started_at: "2026-12-04T10:00:00.000Z".into(),
        // Large bodies make each append many write() calls' worth of bytes.
        body: Some("y".repeat(256 * 1024)),
        outcome: Outcome::Success,
        ..Default::default()
    }
}

/// The child process: append forever (or `HISTORY_WRITER_COUNT` times) and exit.
/// Ignored in normal runs; the tests below start it with `--ignored`.
#[test]
#[ignore = "helper process for the durability tests"]
fn writer_child() {
    let Ok(path) = std::env::var(WRITER_ENV) else {
        return;
    };
    let tag = std::env::var("HISTORY_WRITER_TAG").unwrap_or_else(|_| "w".into());
    let count: usize = std::env::var("HISTORY_WRITER_COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(usize::MAX);
    let h = History::new(path.into(), DEFAULT_MAX_BYTES * 64);
    for i in 0..count {
        h.append(&entry(&tag, i)).unwrap();
    }
}

fn spawn_writer(path: &Path, tag: &str, count: Option<usize>) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["writer_child", "--exact", "--ignored", "--test-threads=1"])
        .env(WRITER_ENV, path)
        .env("HISTORY_WRITER_TAG", tag);
    if let Some(n) = count {
        cmd.env("HISTORY_WRITER_COUNT", n.to_string());
    }
    cmd.stdout(std::process::Stdio::null()).spawn().unwrap()
}

#[test]
fn two_processes_appending_at_once_never_interleave() {
    if std::env::var(WRITER_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.jsonl");
    let mut a = spawn_writer(&path, "a", Some(40));
    let mut b = spawn_writer(&path, "b", Some(40));
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    let loaded = History::new(path, DEFAULT_MAX_BYTES * 64).load().unwrap();
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
    assert_eq!(loaded.entries.len(), 80);
    for tag in ["a", "b"] {
        let ids: Vec<_> = loaded
            .entries
            .iter()
            .filter(|e| e.summary.id.starts_with(tag))
            .map(|e| e.summary.id.clone())
            .collect();
        assert_eq!(ids.len(), 40, "{tag}");
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{tag} out of order");
    }
}

#[test]
fn a_writer_killed_mid_append_leaves_a_file_that_loads() {
    if std::env::var(WRITER_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.jsonl");
    let mut child = spawn_writer(&path, "k", None);
    // Kill it once it has written a few entries; where in an append it dies is up to chance.
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::metadata(&path).map_or(0, |m| m.len()) < 3 * 256 * 1024 + 100 {
        assert!(Instant::now() < deadline, "the writer wrote nothing");
        std::thread::yield_now();
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let h = History::new(path.clone(), DEFAULT_MAX_BYTES * 64);
    let loaded = h.load().unwrap();
    assert!(loaded.entries.len() >= 3, "{}", loaded.entries.len());
    assert!(loaded.skipped.len() <= 1, "{:?}", loaded.skipped);
    for e in &loaded.entries {
        assert_eq!(h.read(e.location).unwrap().id, e.summary.id);
    }
    // The next append starts on a fresh line and loads.
    h.append(&entry("after", 0)).unwrap();
    let again = h.load().unwrap();
    assert_eq!(again.entries.last().unwrap().summary.id, "after-000000");
    assert_eq!(again.entries.len(), loaded.entries.len() + 1);
}
