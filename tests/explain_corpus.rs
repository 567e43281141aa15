//! `explain`'s reader over real-shaped inputs: recognised format, parsed error and the
//! top finding for every file in `tests/corpus/explain/`.

use gemini_doctor::guide::{Context, InputFormat, Lang, diagnose, read_input};
use std::path::Path;

struct Expect {
    file: &'static str,
    format: InputFormat,
    error: Option<(i64, &'static str, Option<&'static str>)>,
    top: &'static str,
}

const fn e(
    file: &'static str,
    format: InputFormat,
    error: Option<(i64, &'static str, Option<&'static str>)>,
    top: &'static str,
) -> Expect {
    Expect {
        file,
        format,
        error,
        top,
    }
}

use InputFormat as F;

const CORPUS: &[Expect] = &[
    e(
        "200_blocklist.json",
        F::ResponseJson,
        None,
        "safety.blocklist",
    ),
    e(
        "200_empty_stop.json",
        F::ResponseJson,
        None,
        "output.empty_stop",
    ),
    e(
        "200_malformed_function_call.json",
        F::ResponseJson,
        None,
        "output.malformed_function_call",
    ),
    e(
        "200_prompt_blocked.sse.txt",
        F::SseStream,
        None,
        "safety.prompt_prohibited",
    ),
    e(
        "200_recitation.sse.txt",
        F::HttpDump,
        None,
        "output.recitation",
    ),
    e(
        "200_safety_other.json",
        F::ResponseJson,
        None,
        "safety.prompt_blocked_other",
    ),
    e(
        "200_thinking_max_tokens.json",
        F::ResponseJson,
        None,
        "output.thinking_exhausted",
    ),
    e(
        "400_api_key_invalid.json",
        F::ErrorJson,
        Some((400, "INVALID_ARGUMENT", Some("API_KEY_INVALID"))),
        "key.invalid",
    ),
    e(
        "400_empty_parts.json",
        F::ErrorJson,
        Some((400, "INVALID_ARGUMENT", None)),
        "request.invalid_contents",
    ),
    e(
        "400_js_legacy.txt",
        F::JsLegacy,
        Some((400, "INVALID_ARGUMENT", Some("API_KEY_INVALID"))),
        "key.invalid",
    ),
    e(
        "400_key_not_found_array.json",
        F::ErrorJsonArray,
        Some((400, "INVALID_ARGUMENT", Some("API_KEY_INVALID"))),
        "key.not_found",
    ),
    e(
        "400_legacy_api_core.txt",
        F::PythonLegacy,
        Some((400, "INVALID_ARGUMENT", Some("API_KEY_INVALID"))),
        "key.invalid",
    ),
    e(
        "400_location.json",
        F::ErrorJson,
        Some((400, "FAILED_PRECONDITION", None)),
        "location.unsupported",
    ),
    e(
        "400_thinking_budget.json",
        F::ErrorJson,
        Some((400, "INVALID_ARGUMENT", None)),
        "param.thinking_budget",
    ),
    e(
        "400_token_limit.json",
        F::ErrorJson,
        Some((400, "INVALID_ARGUMENT", None)),
        "tokens.input_too_long",
    ),
    e(
        "400_unknown_schema_keyword.json",
        F::ErrorJson,
        Some((400, "INVALID_ARGUMENT", None)),
        "request.unknown_field",
    ),
    e(
        "400_v1_unknown_name.json",
        F::ErrorJson,
        Some((400, "INVALID_ARGUMENT", None)),
        "version.v1beta_only_field",
    ),
    e(
        "401_credentials_missing.json",
        F::ErrorJson,
        Some((401, "UNAUTHENTICATED", Some("CREDENTIALS_MISSING"))),
        "key.wrong_product",
    ),
    e(
        "403_leaked.json",
        F::ErrorJson,
        Some((403, "PERMISSION_DENIED", None)),
        "key.leaked",
    ),
    e(
        "403_service_blocked.json",
        F::ErrorJson,
        Some((403, "PERMISSION_DENIED", Some("API_KEY_SERVICE_BLOCKED"))),
        "key.service_blocked",
    ),
    e(
        "403_suspended.json",
        F::ErrorJson,
        Some((403, "PERMISSION_DENIED", Some("CONSUMER_SUSPENDED"))),
        "key.suspended",
    ),
    e(
        "403_unregistered.curl.txt",
        F::HttpDump,
        Some((403, "PERMISSION_DENIED", None)),
        "key.missing",
    ),
    e(
        "404_js_legacy_v1.txt",
        F::JsLegacy,
        Some((400, "INVALID_ARGUMENT", None)),
        "version.v1beta_only_field",
    ),
    e(
        "404_model_not_found.curl.txt",
        F::HttpDump,
        Some((404, "NOT_FOUND", None)),
        "model.not_found",
    ),
    e(
        "429_gemini_cli_status.txt",
        F::GeminiCli,
        Some((429, "RESOURCE_EXHAUSTED", None)),
        "backend.resource_exhausted",
    ),
    e(
        "429_js_old_status.txt",
        F::JsSdk,
        Some((429, "RESOURCE_EXHAUSTED", None)),
        "backend.resource_exhausted",
    ),
    e(
        "429_legacy_api_core.txt",
        F::PythonLegacy,
        Some((429, "RESOURCE_EXHAUSTED", None)),
        "quota.per_minute",
    ),
    e(
        "429_per_day_python.txt",
        F::PythonSdk,
        Some((429, "RESOURCE_EXHAUSTED", None)),
        "quota.per_day",
    ),
    e(
        "429_python_sdk.txt",
        F::PythonSdk,
        Some((429, "RESOURCE_EXHAUSTED", None)),
        "quota.free_tier_zero",
    ),
    e(
        "429_quota_per_minute.json",
        F::ErrorJson,
        Some((429, "RESOURCE_EXHAUSTED", None)),
        "quota.per_minute",
    ),
    e(
        "500_nested_deep.json",
        F::NestedErrorJson,
        Some((500, "INTERNAL", None)),
        "backend.internal",
    ),
    e(
        "502_proxy_html.curl.txt",
        F::HttpDump,
        None,
        "net.proxy_html",
    ),
    e(
        "502_python_non_json.txt",
        F::PythonSdk,
        None,
        "net.proxy_html",
    ),
    e(
        "503_gemini_cli.txt",
        F::GeminiCli,
        Some((503, "UNAVAILABLE", None)),
        "backend.unavailable",
    ),
    e(
        "503_js_double_wrapped.txt",
        F::JsSdk,
        Some((503, "UNAVAILABLE", None)),
        "backend.unavailable",
    ),
    e(
        "503_js_in_stream.txt",
        F::JsSdk,
        Some((503, "UNAVAILABLE", None)),
        "backend.unavailable",
    ),
    e(
        "503_mid_stream.sse.txt",
        F::SseStream,
        Some((503, "UNAVAILABLE", None)),
        "backend.unavailable",
    ),
    e(
        "503_python_server_error.txt",
        F::PythonSdk,
        Some((503, "UNAVAILABLE", None)),
        "backend.unavailable",
    ),
    e(
        "504_deadline.json",
        F::ErrorJson,
        Some((504, "DEADLINE_EXCEEDED", None)),
        "backend.deadline_exceeded",
    ),
    e(
        "python_blocked_repr.txt",
        F::PythonResponseRepr,
        None,
        "safety.prompt_blocked_other",
    ),
    e(
        "sdk_pydantic.txt",
        F::PythonSdkException,
        None,
        "sdk.pydantic_validation",
    ),
    e(
        "sdk_unknown_function_arg.txt",
        F::PythonSdkException,
        None,
        "sdk.unknown_function_call_argument",
    ),
    e(
        "status_line_only.txt",
        F::StatusLine,
        Some((503, "UNAVAILABLE", None)),
        "backend.unavailable",
    ),
];

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/explain"))
}

#[test]
fn every_corpus_file_is_recognised_as_expected() {
    let mut failures = Vec::new();
    for x in CORPUS {
        let text = std::fs::read_to_string(dir().join(x.file)).unwrap();
        let p = match read_input(&text) {
            Ok(p) => p,
            Err(_) => {
                failures.push(format!("{}: not recognised", x.file));
                continue;
            }
        };
        if p.format != x.format {
            failures.push(format!(
                "{}: format {:?}, expected {:?}",
                x.file, p.format, x.format
            ));
        }
        let got = p.error().map(|e| (e.code, e.status.as_str(), e.reason()));
        if got != x.error {
            failures.push(format!("{}: error {got:?}, expected {:?}", x.file, x.error));
        }
        let ctx = Context {
            lang: Lang::En,
            sdk_error: p.sdk_error.as_deref(),
            ..Default::default()
        };
        let top = diagnose(&p.exchange, &ctx)
            .first()
            .map(|f| f.entry_id.clone());
        if top.as_deref() != Some(x.top) {
            failures.push(format!("{}: top {top:?}, expected {}", x.file, x.top));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_corpus_lists_every_file_and_the_unrecognised_one_fails() {
    for entry in std::fs::read_dir(dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name == "not_recognised.txt" {
            let text = std::fs::read_to_string(dir().join(&name)).unwrap();
            assert!(read_input(&text).is_err());
        } else {
            assert!(
                CORPUS.iter().any(|x| x.file == name),
                "{name} has no expectation"
            );
        }
    }
}

#[test]
fn nested_errors_unwrap_and_python_details_survive() {
    let text = std::fs::read_to_string(dir().join("500_nested_deep.json")).unwrap();
    let p = read_input(&text).unwrap();
    assert_eq!(p.nesting, 2);
    assert!(
        p.error()
            .unwrap()
            .message
            .starts_with("An internal error has occurred")
    );

    let text = std::fs::read_to_string(dir().join("429_python_sdk.txt")).unwrap();
    let p = read_input(&text).unwrap();
    assert_eq!(p.sdk_error.as_deref(), Some("ClientError"));
    let e = p.error().unwrap();
    assert_eq!(e.retry_delay(), Some(std::time::Duration::from_secs(38)));
    assert_eq!(
        e.quota_violations().next().unwrap().quota_dimensions["model"],
        "gemini-2.5-pro"
    );

    let text = std::fs::read_to_string(dir().join("400_js_legacy.txt")).unwrap();
    let p = read_input(&text).unwrap();
    assert_eq!(p.exchange.model.as_deref(), Some("gemini-pro"));
    assert_eq!(
        p.exchange.request.url,
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent"
    );

    let text = std::fs::read_to_string(dir().join("503_mid_stream.sse.txt")).unwrap();
    let p = read_input(&text).unwrap();
    assert!(matches!(
        p.exchange.outcome,
        gemini_doctor::gemini::Outcome::ApiError {
            in_stream: true,
            ..
        }
    ));
    assert_eq!(p.exchange.text(), "Once");
    let f = diagnose(&p.exchange, &Context::default());
    assert!(
        f[0].evidence
            .iter()
            .any(|e| e.contains("4 characters of text arrived")),
        "{:?}",
        f[0].evidence
    );
    // The model comes from the chunks' modelVersion; the guide's fallback is Pro → Flash.
    assert!(
        f[0].actions
            .contains(&gemini_doctor::guide::Action::SwitchFallbackModel {
                model: Some("gemini-2.5-flash".into())
            })
    );
}

#[test]
fn ten_levels_of_nesting_are_unwrapped_and_no_more_are_needed() {
    let mut v = serde_json::json!({"error": {"code": 429, "message": "innermost", "status": "RESOURCE_EXHAUSTED"}});
    for _ in 0..10 {
        let s = serde_json::to_string(&v).unwrap();
        v = serde_json::json!({"error": {"code": 500, "message": s, "status": "Internal Server Error"}});
    }
    let p = read_input(&serde_json::to_string(&v).unwrap()).unwrap();
    assert_eq!(p.nesting, 10);
    assert_eq!(p.error().unwrap().message, "innermost");
    assert_eq!(p.error().unwrap().code, 429);
}

#[test]
fn an_exported_exchange_record_is_read_back() {
    use gemini_doctor::gemini::{ApiErrorBody, Exchange, Outcome};
    let ex = Exchange {
        id: "01J".into(),
        started_at: "2026-12-04T16:00:00Z".into(),
        model: Some("gemini-2.5-flsh".into()),
        outcome: Outcome::ApiError {
            error: ApiErrorBody::new(
                404,
                "NOT_FOUND",
                "models/gemini-2.5-flsh is not found for API version v1beta, or is not supported for generateContent.",
            ),
            in_stream: false,
        },
        ..Default::default()
    };
    let p = read_input(&serde_json::to_string_pretty(&ex).unwrap()).unwrap();
    assert_eq!(p.format, InputFormat::ExchangeRecord);
    assert_eq!(p.exchange, ex);
    let f = diagnose(&p.exchange, &Context::default());
    assert_eq!(f[0].entry_id, "model.not_found");
}
