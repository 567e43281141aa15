//! Knowledge-base validation and coverage of the troubleshooting guide.

use super::evidence::TOPICS;
use super::kb::{GUIDE_TOML, Kb, kb};

#[test]
fn kb_is_valid() {
    if let Err(problems) = Kb::parse(GUIDE_TOML) {
        panic!("guide.toml problems:\n{}", problems.join("\n"));
    }
    assert!(kb().entries.len() >= 60);
}

#[test]
fn evidence_topics_are_known() {
    for e in &kb().entries {
        for t in &e.evidence {
            assert!(
                TOPICS.contains(&t.as_str()),
                "{}: unknown evidence topic {t}",
                e.id
            );
        }
        assert!(
            TOPICS.contains(&e.group()),
            "{}: group {} has no evidence topic",
            e.id,
            e.group()
        );
    }
}

#[test]
fn validation_catches_broken_entries() {
    let ok_entry = |extra: &str| {
        format!(
            r#"[[entry]]
id = "x.y"
severity = "error"
doc = "https://example.com"
{extra}
[entry.en]
title = "T"
cause = "C"
example = "E"
fix = "F"
[entry."pt-BR"]
title = "Tp"
cause = "Cp"
example = "Ep"
fix = "Fp"
"#
        )
    };
    assert!(Kb::parse(&ok_entry("sandbox = \"s\"")).is_ok());
    let missing = Kb::parse(&ok_entry("")).unwrap_err();
    assert!(missing[0].contains("sandbox"), "{missing:?}");
    let bad_action = Kb::parse(&ok_entry("sandbox = \"s\"\nactions = [\"reboot\"]")).unwrap_err();
    assert!(bad_action[0].contains("unknown action"), "{bad_action:?}");
    let bad_signal = Kb::parse(&ok_entry(
        "sandbox = \"s\"\n[entry.matches]\nsignal = [\"nope\"]",
    ))
    .unwrap_err();
    assert!(bad_signal[0].contains("unknown signal"), "{bad_signal:?}");
    let no_pt = ok_entry("sandbox = \"s\"").replace(
        "[entry.\"pt-BR\"]\ntitle = \"Tp\"\ncause = \"Cp\"\nexample = \"Ep\"\nfix = \"Fp\"\n",
        "",
    );
    assert!(Kb::parse(&no_pt).is_err());
    let dup = format!(
        "{}\n{}",
        ok_entry("sandbox = \"s\""),
        ok_entry("sandbox = \"s\"")
    );
    assert!(Kb::parse(&dup).unwrap_err()[0].contains("duplicate"));
}

/// Every row of Google's troubleshooting guide has an entry.
#[test]
fn every_guide_row_has_an_entry() {
    let rows = [
        // Backend error table: HTTP code, status.
        "backend.invalid_argument",
        "backend.failed_precondition",
        "backend.permission_denied",
        "backend.not_found",
        "backend.resource_exhausted",
        "backend.internal",
        "backend.unavailable",
        "backend.deadline_exceeded",
        // Client SDK error table.
        "sdk.api_error",
        "sdk.client_error",
        "sdk.server_error",
        "sdk.unknown_function_call_argument",
        "sdk.unsupported_function",
        "sdk.function_invocation",
        "sdk.pydantic_validation",
        // Parameter ranges.
        "param.candidate_count",
        "param.temperature",
        "param.max_output_tokens",
        "param.top_p",
        // Version and model checks.
        "version.v1beta_only_field",
        "model.not_found",
        // Safety, recitation, quality, tokens, languages.
        "safety.prompt_blocked",
        "safety.prompt_blocked_other",
        "output.recitation",
        "output.quality",
        "tokens.input_too_long",
        "output.language",
    ];
    for id in rows {
        assert!(kb().get(id).is_some(), "missing entry {id}");
    }
    for (code, status) in [
        (400, "INVALID_ARGUMENT"),
        (400, "FAILED_PRECONDITION"),
        (403, "PERMISSION_DENIED"),
        (404, "NOT_FOUND"),
        (429, "RESOURCE_EXHAUSTED"),
        (500, "INTERNAL"),
        (503, "UNAVAILABLE"),
        (504, "DEADLINE_EXCEEDED"),
    ] {
        assert!(
            kb().entries.iter().any(|e| e.matches.http.contains(&code)
                && (e.matches.status.is_empty() || e.matches.status.iter().any(|s| s == status))
                && e.group() == "backend"),
            "no backend entry for {code} {status}"
        );
    }
    for class in [
        "APIError",
        "ClientError",
        "ServerError",
        "UnknownFunctionCallArgumentError",
        "UnsupportedFunctionError",
        "FunctionInvocationError",
        "ValidationError",
    ] {
        assert!(
            kb().entries
                .iter()
                .any(|e| e.matches.sdk.iter().any(|s| s == class)),
            "no entry matches SDK class {class}"
        );
    }
}
