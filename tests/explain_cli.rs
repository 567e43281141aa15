//! The `explain` command end to end: text, `--json`, `--lang pt-BR`, stdin, exit codes.

use assert_cmd::Command;
use std::path::PathBuf;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/explain")
        .join(name)
}

fn cmd() -> Command {
    let mut c = Command::cargo_bin("gemini-doctor").unwrap();
    // The locale must not leak into the default-language assertions.
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    c
}

fn stdout(c: &mut Command) -> (String, i32) {
    let out = c.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn text_output_names_the_error_the_finding_and_the_evidence() {
    let (out, code) = stdout(
        cmd()
            .arg("explain")
            .arg(corpus("429_quota_per_minute.json")),
    );
    assert_eq!(code, 0);
    assert!(out.contains("Error: 429 RESOURCE_EXHAUSTED"), "{out}");
    assert!(
        out.contains("1. [error] Per-minute rate limit reached  (quota.per_minute)"),
        "{out}"
    );
    assert!(
        out.contains("(limit 10/min) for gemini-2.5-flash exhausted; server asks to retry in 37 s"),
        "{out}"
    );
    assert!(out.contains("retry after 37 s (server's delay)"), "{out}");
}

#[test]
fn json_output_has_the_documented_shape() {
    let (out, code) = stdout(
        cmd()
            .args(["explain", "--json"])
            .arg(corpus("404_model_not_found.curl.txt")),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["recognised_as"], "http_dump");
    assert_eq!(v["error"]["code"], 404);
    assert_eq!(v["error"]["status"], "NOT_FOUND");
    assert_eq!(v["findings"][0]["id"], "model.not_found");
    assert_eq!(
        v["findings"][0]["actions"][0]["kind"],
        "switch_fallback_model"
    );
    assert_eq!(v["findings"][0]["actions"][0]["model"], "gemini-2.5-flash");
    let ev = v["findings"][0]["evidence"][0].as_str().unwrap();
    assert!(ev.contains("did you mean 'gemini-2.5-flash'"), "{ev}");
}

#[test]
fn portuguese_from_the_flag_and_from_the_locale() {
    let (out, _) = stdout(
        cmd()
            .args(["explain", "--lang", "pt-BR"])
            .arg(corpus("400_api_key_invalid.json")),
    );
    assert!(out.contains("Chave de API inválida"), "{out}");
    assert!(out.contains("Correção:"), "{out}");
    let (out, _) = stdout(
        cmd()
            .env("LANG", "pt_BR.UTF-8")
            .arg("explain")
            .arg(corpus("400_api_key_invalid.json")),
    );
    assert!(out.contains("Chave de API inválida"), "{out}");
    let (out, _) = stdout(
        cmd()
            .env("LANG", "pt_BR.UTF-8")
            .args(["explain", "--lang", "en"])
            .arg(corpus("400_api_key_invalid.json")),
    );
    assert!(out.contains("API key not valid"), "{out}");
}

#[test]
fn stdin_is_read_with_dash_or_no_argument() {
    let text = std::fs::read_to_string(corpus("503_python_server_error.txt")).unwrap();
    let (out, code) = stdout(
        cmd()
            .args(["explain", "-", "--json"])
            .write_stdin(text.clone()),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["recognised_as"], "python_sdk");
    assert_eq!(v["findings"][0]["id"], "backend.unavailable");
    let (out, code) = stdout(cmd().arg("explain").write_stdin(text));
    assert_eq!(code, 0);
    assert!(out.contains("503 UNAVAILABLE"), "{out}");
}

#[test]
fn unrecognised_input_exits_6_and_says_what_it_looked_for() {
    let out = cmd()
        .arg("explain")
        .arg(corpus("not_recognised.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Not recognised"), "{err}");
    assert!(err.contains("curl -i"), "{err}");
    let (out, code) = stdout(cmd().args(["explain", "--json"]).write_stdin(""));
    assert_eq!(code, 6);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["recognised_as"].is_null());
    assert!(v["looked_for"].as_array().unwrap().len() > 5);
}

#[test]
fn a_missing_file_is_a_usage_error() {
    let out = cmd()
        .args(["explain", "/nonexistent/err.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn keys_in_pasted_errors_are_masked() {
    let (out, _) = stdout(cmd().arg("explain").arg(corpus("403_suspended.json")));
    assert!(
        !out.contains("AIzaSyDUMMYdummyDUMMYdummyDUMMYdummy0000"),
        "{out}"
    );
    assert!(out.contains("api_key:AIza…0000"), "{out}");
}
