//! `gemini-doctor sandbox` argument handling (the serving path runs in tests/conformance).

use assert_cmd::Command;
use std::io::Write;

#[test]
fn bad_config_and_bad_address_are_usage_errors() {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    writeln!(f, "no_such_key = 1").unwrap();
    let out = Command::cargo_bin("gemini-doctor")
        .unwrap()
        .args(["sandbox", "--listen", "127.0.0.1:0", "--config"])
        .arg(f.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_key"));
    assert!(out.stdout.is_empty(), "stdout carries only the base URL");

    let out = Command::cargo_bin("gemini-doctor")
        .unwrap()
        .args(["sandbox", "--listen", "not-an-address"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
