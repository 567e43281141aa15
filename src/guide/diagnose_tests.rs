//! `diagnose` on hand-built exchanges: one case per knowledge-base entry, checking the
//! top finding and the evidence it quotes from the call.

use super::kb::kb;
use super::{Action, Context, Lang, diagnose, preflight};
use crate::gemini::api_error::{ErrorBodyKind, QuotaViolation};
use crate::gemini::exchange::{RecordedRequest, RecordedResponse};
use crate::gemini::wire::{GenerateContentResponse, Model};
use crate::gemini::{ApiErrorBody, ApiVersion, ErrorDetail, Exchange, Outcome, TransportKind};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

fn err(code: i64, status: &str, msg: &str) -> Exchange {
    err_body(ApiErrorBody::new(code, status, msg))
}

fn err_body(e: ApiErrorBody) -> Exchange {
    Exchange {
        response: Some(RecordedResponse {
            status: e.code as u16,
            ..Default::default()
        }),
        outcome: Outcome::ApiError {
            error: e,
            in_stream: false,
        },
        ..Default::default()
    }
}

fn info(reason: &str) -> ErrorDetail {
    ErrorDetail::ErrorInfo {
        reason: reason.into(),
        domain: "googleapis.com".into(),
        metadata: Default::default(),
    }
}

fn quota(id: &str, value: Option<&str>) -> ErrorDetail {
    ErrorDetail::QuotaFailure {
        violations: vec![QuotaViolation {
            quota_metric: "generativelanguage.googleapis.com/generate_content_free_tier_requests"
                .into(),
            quota_id: id.into(),
            quota_dimensions: [("model".to_string(), "gemini-2.5-flash".to_string())].into(),
            quota_value: value.map(str::to_string),
            ..Default::default()
        }],
    }
}

fn resp(v: Value) -> Exchange {
    let r: GenerateContentResponse = serde_json::from_value(v).unwrap();
    Exchange {
        response: Some(RecordedResponse {
            status: 200,
            ..Default::default()
        }),
        outcome: Outcome::of_response(&r),
        result: Some(r),
        ..Default::default()
    }
}

fn transport(kind: TransportKind, msg: &str) -> Exchange {
    Exchange {
        timeout_ms: Some(30_000),
        outcome: Outcome::Transport {
            kind,
            message: msg.into(),
        },
        ..Default::default()
    }
}

fn with_request(mut ex: Exchange, version: ApiVersion, model: &str, body: Value) -> Exchange {
    ex.api_version = version;
    ex.model = Some(model.into());
    ex.request = RecordedRequest {
        method: "POST".into(),
        url: format!(
            "https://generativelanguage.googleapis.com/{version}/models/{model}:generateContent"
        ),
        headers: Vec::new(),
        body: Some(body),
    };
    ex
}

fn flash() -> Model {
    serde_json::from_value(json!({
        "name": "models/gemini-2.5-flash",
        "inputTokenLimit": 1048576,
        "outputTokenLimit": 65536,
        "supportedGenerationMethods": ["generateContent", "countTokens"],
        "temperature": 1.0, "maxTemperature": 2.0, "topP": 0.95, "topK": 64, "thinking": true
    }))
    .unwrap()
}

fn no_topk() -> Model {
    let mut m = flash();
    m.name = "models/gemini-3-pro-preview".into();
    m.top_k = None;
    m
}

fn embedding() -> Model {
    serde_json::from_value(json!({
        "name": "models/gemini-embedding-001",
        "supportedGenerationMethods": ["embedContent", "countTokens", "countTextTokens"]
    }))
    .unwrap()
}

struct Case {
    ex: Exchange,
    sdk: Option<&'static str>,
    model: Option<Model>,
    top: &'static str,
    evidence: Option<&'static str>,
    /// A lower-ranked entry that must also be present.
    also: Option<&'static str>,
}

fn case(ex: Exchange, top: &'static str, evidence: Option<&'static str>) -> Case {
    Case {
        ex,
        sdk: None,
        model: None,
        top,
        evidence,
        also: None,
    }
}

fn cases() -> Vec<Case> {
    let big = json!({"contents": [{"parts": [{"text": "hi"}]}]});
    let gc = |g: Value| json!({"contents": [{"parts": [{"text": "hi"}]}], "generationConfig": g});
    let mut v = vec![
        case(err_body(ApiErrorBody::new(400, "INVALID_ARGUMENT", "API Key not found. Please pass a valid API key.").with(info("API_KEY_INVALID"))), "key.not_found", Some("ErrorInfo reason API_KEY_INVALID")),
        case(err_body(ApiErrorBody::new(400, "INVALID_ARGUMENT", "API key expired. Please renew the API key.").with(info("API_KEY_INVALID"))), "key.expired", None),
        case(err_body(ApiErrorBody::new(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.").with(info("API_KEY_INVALID"))), "key.invalid", Some("the key came from $GEMINI_API_KEY")),
        case(err(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."), "key.missing", None),
        case(err(403, "PERMISSION_DENIED", "Your API key was reported as leaked. Please use another API key."), "key.leaked", None),
        case(err_body(ApiErrorBody::new(403, "PERMISSION_DENIED", "Permission denied: Consumer 'api_key:AIzaSyA-0123456789abcdefghijklmnopqrstu' has been suspended.").with(info("CONSUMER_SUSPENDED"))), "key.suspended", Some("CONSUMER_SUSPENDED")),
        case(err_body(ApiErrorBody::new(403, "PERMISSION_DENIED", "Requests from referer <empty> are blocked.").with(info("API_KEY_HTTP_REFERRER_BLOCKED"))), "key.service_blocked", None),
        case(err(403, "PERMISSION_DENIED", "Generative Language API has not been used in project 123 before or it is disabled. Enable it by visiting https://console.developers.google.com/ then retry."), "key.service_disabled", None),
        case(err_body(ApiErrorBody::new(401, "UNAUTHENTICATED", "API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal.").with(info("CREDENTIALS_MISSING"))), "key.wrong_product", None),
        case(err(400, "INVALID_ARGUMENT", "Multiple authentication credentials received. Please pass only one."), "key.multiple_credentials", None),
        case(err_body(ApiErrorBody::new(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.").with(quota("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", Some("0")))), "quota.free_tier_zero", Some("limit: 0 means this tier has no quota for this model — waiting will not help")),
        case(err_body(ApiErrorBody::new(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.").with(quota("GenerateRequestsPerDayPerProjectPerModel-FreeTier", Some("250")))), "quota.per_day", Some("(limit 250/day)")),
        case(err_body(ApiErrorBody::new(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.").with(quota("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", Some("10"))).with(ErrorDetail::RetryInfo { retry_delay: "37s".into() })), "quota.per_minute", Some("quota generate_content_free_tier_requests (limit 10/min) for gemini-2.5-flash exhausted; server asks to retry in 37 s")),
        case(err(400, "FAILED_PRECONDITION", "User location is not supported for the API use."), "location.unsupported", None),
        case(err(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"responseSchema\" at 'generation_config': Cannot find field."), "version.v1beta_only_field", Some("responseSchema is only accepted on v1beta; this error means the call went to v1")),
        case(err(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"temprature\" at 'generation_config': Cannot find field."), "request.unknown_field", Some("\"temprature\" (at 'generation_config')")),
        case(err(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified\n"), "request.invalid_contents", None),
        case(err(400, "INVALID_ARGUMENT", "Function call is missing a thought_signature in functionCall parts."), "request.thought_signature", None),
        case(err(400, "INVALID_ARGUMENT", "Manually set deadline 5s is too short. Minimum allowed deadline is 10s."), "timeout.deadline_too_short", None),
        case(with_request(err(400, "INVALID_ARGUMENT", "Request contains an invalid argument."), ApiVersion::V1Beta, "gemini-2.5-flash", gc(json!({"temperature": 2.4}))), "param.temperature", Some("temperature 2.4 is above gemini-2.5-flash's maximum of 2.0")),
        case(with_request(err(400, "INVALID_ARGUMENT", "Request contains an invalid argument."), ApiVersion::V1Beta, "gemini-2.5-flash", gc(json!({"topP": 1.5}))), "param.top_p", Some("topP 1.5 is outside 0.0–1.0")),
        case(with_request(err(400, "INVALID_ARGUMENT", "Request contains an invalid argument."), ApiVersion::V1Beta, "gemini-2.5-flash", gc(json!({"candidateCount": 10}))), "param.candidate_count", Some("candidateCount 10 is outside 1–8")),
        case(with_request(err(400, "INVALID_ARGUMENT", "Request contains an invalid argument."), ApiVersion::V1Beta, "gemini-2.5-flash", gc(json!({"maxOutputTokens": 100000}))), "param.max_output_tokens", Some("maxOutputTokens 100000 is above gemini-2.5-flash's output limit of 65536")),
        case(with_request(err(400, "INVALID_ARGUMENT", "Request contains an invalid argument."), ApiVersion::V1Beta, "gemini-2.5-flash", gc(json!({"stopSequences": ["a","b","c","d","e","f"]}))), "param.stop_sequences", Some("6 stop sequences sent; at most 5 are accepted")),
        case(err(400, "INVALID_ARGUMENT", "The thinking budget (52428) is invalid."), "param.thinking_budget", None),
        case(err(400, "INVALID_ARGUMENT", "The input token count (3475108) exceeds the maximum number of tokens allowed (1048576)."), "tokens.input_too_long", Some("the prompt has 3475108 tokens; the limit is 1048576 (2426532 over)")),
        case(err(404, "NOT_FOUND", "models/gemini-2.5-flsh is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods."), "model.not_found", Some("model 'gemini-2.5-flsh' not found — did you mean 'gemini-2.5-flash'?")),
        case(err(403, "PERMISSION_DENIED", "The caller does not have permission"), "model.no_permission", None),
        case(err(400, "INVALID_ARGUMENT", "Request contains an invalid argument."), "backend.invalid_argument", None),
        case(err(400, "FAILED_PRECONDITION", "Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio."), "backend.failed_precondition", None),
        case(err(403, "PERMISSION_DENIED", "Permission denied on resource tunedModels/abc."), "backend.permission_denied", None),
        case(err(404, "NOT_FOUND", "File files/abc123 does not exist."), "backend.not_found", None),
        case(err(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."), "backend.resource_exhausted", None),
        case(err(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"), "backend.internal", None),
        case(err(503, "UNAVAILABLE", "The model is overloaded. Please try again later."), "backend.unavailable", None),
        case(err(504, "DEADLINE_EXCEEDED", "Deadline Exceeded"), "backend.deadline_exceeded", None),
        case(resp(json!({"promptFeedback": {"blockReason": "OTHER"}})), "safety.prompt_blocked_other", Some("blockReason OTHER")),
        case(resp(json!({"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}})), "safety.prompt_prohibited", None),
        case(resp(json!({"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": [{"category": "HARM_CATEGORY_HARASSMENT", "probability": "HIGH", "blocked": true}]}})), "safety.prompt_blocked", Some("HARM_CATEGORY_HARASSMENT rated HIGH (blocked)")),
        case(resp(json!({"candidates": [{"finishReason": "SAFETY", "index": 0}]})), "safety.response_blocked", None),
        case(resp(json!({"candidates": [{"finishReason": "BLOCKLIST"}]})), "safety.blocklist", None),
        case(resp(json!({"candidates": [{"finishReason": "PROHIBITED_CONTENT"}]})), "safety.prohibited_content", None),
        case(resp(json!({"candidates": [{"finishReason": "SPII"}]})), "safety.spii", None),
        case(resp(json!({"candidates": [{"content": {"parts": [{"text": "We"}], "role": "model"}, "finishReason": "MAX_TOKENS"}], "usageMetadata": {"candidatesTokenCount": 3, "thoughtsTokenCount": 57}})), "output.max_tokens", Some("after 3 visible tokens")),
        case(resp(json!({"candidates": [{"finishReason": "RECITATION"}]})), "output.recitation", None),
        case(resp(json!({"candidates": [{"finishReason": "LANGUAGE"}]})), "output.language", None),
        case(resp(json!({"candidates": [{"finishReason": "MALFORMED_FUNCTION_CALL", "finishMessage": "Malformed function call: print(x)"}]})), "output.malformed_function_call", Some("finishMessage: Malformed function call: print(x)")),
        case(resp(json!({"candidates": [{"finishReason": "TOO_MANY_TOOL_CALLS"}]})), "output.tool_calls", None),
        case(resp(json!({"candidates": [{"content": {"role": "model"}, "finishReason": "STOP"}]})), "output.empty_stop", Some("finish reason STOP but the candidate has no text parts")),
        case(resp(json!({"candidates": [{"finishReason": "OTHER"}]})), "output.other", None),
        case(Exchange { response: Some(RecordedResponse { status: 502, ..Default::default() }), outcome: Outcome::NonJsonError { status: 502, body_kind: ErrorBodyKind::Html { title: Some("502 Bad Gateway".into()) }, snippet: "<html>".into() }, ..Default::default() }, "net.proxy_html", Some("titled '502 Bad Gateway'")),
        case(Exchange { outcome: Outcome::NonJsonError { status: 404, body_kind: ErrorBodyKind::Empty, snippet: String::new() }, ..Default::default() }, "net.non_json_error", Some("HTTP 404")),
        case(transport(TransportKind::Dns, "dns error: failed to lookup address information"), "net.dns", Some("failed to lookup")),
        case(transport(TransportKind::ConnectRefused, "Connection refused (os error 111)"), "net.connect_refused", None),
        case(transport(TransportKind::Tls, "invalid peer certificate: UnknownIssuer"), "net.tls", None),
        case(transport(TransportKind::TimeoutBeforeHeaders, "operation timed out"), "net.timeout_headers", Some("timeout of 30 s")),
        case(transport(TransportKind::TimeoutMidBody, "operation timed out"), "net.timeout_body", None),
        case(Exchange { outcome: Outcome::StreamInterrupted { kind: TransportKind::ConnectionReset, events_received: 4, message: "connection reset".into() }, ..Default::default() }, "stream.interrupted", Some("4 stream events arrived")),
        case(transport(TransportKind::ConnectionReset, "connection closed before message completed"), "net.connection_reset", None),
        case(transport(TransportKind::BodyTooLarge, "too large"), "net.body_too_large", None),
        case(transport(TransportKind::Other, "error sending request"), "net.other", None),
        case(Exchange { outcome: Outcome::Malformed { message: "expected value at line 1".into() }, ..Default::default() }, "response.malformed", None),
        case(Exchange { outcome: Outcome::Cancelled, ..Default::default() }, "call.cancelled", None),
    ];
    let thinking = resp(
        json!({"candidates": [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS"}], "usageMetadata": {"promptTokenCount": 12, "thoughtsTokenCount": 1024}}),
    );
    let thinking = with_request(
        thinking,
        ApiVersion::V1Beta,
        "gemini-2.5-flash",
        gc(json!({"maxOutputTokens": 1024})),
    );
    v.push(case(
        thinking,
        "output.thinking_exhausted",
        Some("thinking used 1024 of 1024 output tokens, no text left"),
    ));
    let mut in_stream = err(503, "UNAVAILABLE", "x");
    in_stream.outcome = Outcome::ApiError {
        error: ApiErrorBody::new(503, "UNAVAILABLE", "x"),
        in_stream: true,
    };
    let mut c = case(
        in_stream,
        "backend.unavailable",
        Some("inside a stream that had already started"),
    );
    c.also = Some("stream.error_in_stream");
    v.push(c);
    let mut v1 = with_request(
        err(
            400,
            "INVALID_ARGUMENT",
            "Invalid JSON payload received. Unknown name \"systemInstruction\": Cannot find field.",
        ),
        ApiVersion::V1,
        "gemini-2.5-flash",
        json!({"contents": [], "systemInstruction": {"parts": [{"text": "x"}]}}),
    );
    v1.request.url =
        "https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash:generateContent"
            .into();
    v.push(case(
        v1,
        "version.v1beta_only_field",
        Some("systemInstruction is only accepted on v1beta; you called v1"),
    ));
    let mut topk = case(
        with_request(
            err(
                400,
                "INVALID_ARGUMENT",
                "Request contains an invalid argument.",
            ),
            ApiVersion::V1Beta,
            "gemini-3-pro-preview",
            gc(json!({"topK": 40})),
        ),
        "param.top_k",
        Some("does not publish topK"),
    );
    topk.model = Some(no_topk());
    v.push(topk);
    let mut emb = case(
        with_request(
            err(
                400,
                "INVALID_ARGUMENT",
                "Request contains an invalid argument.",
            ),
            ApiVersion::V1Beta,
            "gemini-embedding-001",
            big,
        ),
        "model.no_generate_content",
        Some("gemini-embedding-001 supports only embedContent"),
    );
    emb.model = Some(embedding());
    v.push(emb);
    for (class, id) in [
        ("ClientError", "sdk.client_error"),
        ("ServerError", "sdk.server_error"),
        ("APIError", "sdk.api_error"),
        (
            "UnknownFunctionCallArgumentError",
            "sdk.unknown_function_call_argument",
        ),
        ("UnsupportedFunctionError", "sdk.unsupported_function"),
        ("FunctionInvocationError", "sdk.function_invocation"),
        ("ValidationError", "sdk.pydantic_validation"),
        ("UnknownApiResponseError", "sdk.unknown_response"),
    ] {
        v.push(Case {
            ex: Exchange::default(),
            sdk: Some(class),
            model: None,
            top: id,
            evidence: None,
            also: None,
        });
    }
    v
}

#[test]
fn every_matchable_entry_is_the_top_finding_of_its_case() {
    let mut covered = BTreeSet::new();
    for c in cases() {
        let model = c.model.clone().unwrap_or_else(flash);
        let known = [flash()];
        let ctx = Context {
            model: Some(&model),
            known_models: &known,
            lang: Lang::En,
            key_source: Some("$GEMINI_API_KEY"),
            sdk_error: c.sdk,
            ..Default::default()
        };
        let findings = diagnose(&c.ex, &ctx);
        let top = findings
            .first()
            .unwrap_or_else(|| panic!("no finding for {}", c.top));
        assert_eq!(
            top.entry_id,
            c.top,
            "ranked: {:?}",
            findings.iter().map(|f| &f.entry_id).collect::<Vec<_>>()
        );
        if let Some(e) = c.evidence {
            assert!(
                top.evidence.iter().any(|x| x.contains(e)),
                "{}: evidence {:?} lacks {e:?}",
                c.top,
                top.evidence
            );
        }
        covered.insert(c.top);
        if let Some(also) = c.also {
            assert!(
                findings.iter().any(|f| f.entry_id == also),
                "{also} missing for {}",
                c.top
            );
            covered.insert(also);
        }
    }
    for e in &kb().entries {
        if !e.matches.is_empty() {
            assert!(
                covered.contains(e.id.as_str()),
                "no diagnose case for {}",
                e.id
            );
        }
    }
}

#[test]
fn evidence_and_texts_follow_the_language() {
    let ex = err_body(
        ApiErrorBody::new(429, "RESOURCE_EXHAUSTED", "x")
            .with(quota(
                "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                Some("10"),
            ))
            .with(ErrorDetail::RetryInfo {
                retry_delay: "37s".into(),
            }),
    );
    let f = &diagnose(&ex, &Context::new(Lang::PtBr))[0];
    assert_eq!(f.title, "Limite por minuto atingido");
    assert!(
        f.evidence[0].contains("cota generate_content_free_tier_requests (limite 10/min)"),
        "{:?}",
        f.evidence
    );
    assert_eq!(
        f.actions[0],
        Action::RetryAfterDelay {
            delay: Duration::from_secs(37),
            from_server: true
        }
    );
}

#[test]
fn retry_delay_is_read_from_the_message_when_there_is_no_retry_info() {
    let ex = err(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: gemini-2.5-flash\nPlease retry in 38.962214405s.",
    );
    let f = &diagnose(&ex, &Context::default())[0];
    assert_eq!(f.entry_id, "backend.resource_exhausted");
    let Action::RetryAfterDelay { delay, from_server } = &f.actions[0] else {
        panic!("{:?}", f.actions)
    };
    assert!(*from_server);
    assert_eq!(delay.as_millis(), 38_962);
    assert!(
        f.evidence.iter().any(|e| e.contains("(limit 10)")),
        "{:?}",
        f.evidence
    );
}

#[test]
fn keys_never_appear_in_findings() {
    let key = "AIzaSyA-0123456789abcdefghijklmnopqrstu";
    let ex = err(
        403,
        "PERMISSION_DENIED",
        &format!("Permission denied: Consumer 'api_key:{key}' has been suspended."),
    );
    let out = serde_json::to_string(&diagnose(&ex, &Context::default())).unwrap();
    assert!(!out.contains("0123456789abcdef"), "{out}");
}

#[test]
fn successes_have_no_findings_and_an_empty_context_still_works() {
    let ok = resp(
        json!({"candidates": [{"content": {"parts": [{"text": "hi"}]}, "finishReason": "STOP"}]}),
    );
    assert!(diagnose(&ok, &Context::default()).is_empty());
    let f = diagnose(&err(503, "UNAVAILABLE", "overloaded"), &Context::default());
    assert_eq!(f[0].entry_id, "backend.unavailable");
}

#[test]
fn preflight_warns_about_ranges_versions_tokens_and_methods() {
    let model = flash();
    let ctx = Context {
        model: Some(&model),
        ..Default::default()
    };
    let body = json!({
        "contents": [{"parts": [{"text": "hi"}]}],
        "systemInstruction": {"parts": [{"text": "be brief"}]},
        "generationConfig": {"temperature": 2.4, "topP": 1.2, "candidateCount": 9, "maxOutputTokens": 70000,
                             "stopSequences": ["1","2","3","4","5","6"], "responseSchema": {"type": "STRING"},
                             "thinkingConfig": {"thinkingBudget": 30000}}
    });
    let f = preflight(&body, ApiVersion::V1, &ctx, Some(2_000_000));
    let ids: Vec<&str> = f.iter().map(|f| f.entry_id.as_str()).collect();
    for id in [
        "param.temperature",
        "param.top_p",
        "param.candidate_count",
        "param.max_output_tokens",
        "param.stop_sequences",
        "param.thinking_budget",
        "tokens.input_too_long",
        "version.v1beta_only_field",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(f.iter().all(|f| f.severity <= super::Severity::Warning));
    let version = f
        .iter()
        .find(|f| f.entry_id == "version.v1beta_only_field")
        .unwrap();
    assert_eq!(version.evidence.len(), 3, "{:?}", version.evidence);
    assert_eq!(
        version.actions,
        vec![Action::SwitchApiVersion {
            to: ApiVersion::V1Beta
        }]
    );
    let temp = f
        .iter()
        .find(|f| f.entry_id == "param.temperature")
        .unwrap();
    assert_eq!(
        temp.actions,
        vec![Action::ClampParameter {
            field: "generationConfig.temperature".into(),
            to: json!(2.0)
        }]
    );
    // A clean request on v1beta gives nothing.
    let clean = json!({"contents": [{"parts": [{"text": "hi"}]}], "generationConfig": {"temperature": 0.7}});
    assert!(preflight(&clean, ApiVersion::V1Beta, &ctx, Some(10)).is_empty());
    // Without any metadata, documented ranges still apply.
    let none = preflight(
        &json!({"generationConfig": {"temperature": 3.0}}),
        ApiVersion::V1Beta,
        &Context::default(),
        None,
    );
    assert_eq!(
        none[0].evidence[0],
        "temperature 3.0 is above the documented maximum of 2.0"
    );
}

#[test]
fn thinking_budget_zero_on_pro_is_explained() {
    let pro: Model =
        serde_json::from_value(json!({"name": "models/gemini-2.5-pro", "thinking": true})).unwrap();
    let ctx = Context {
        model: Some(&pro),
        lang: Lang::PtBr,
        ..Default::default()
    };
    let f = preflight(
        &json!({"generationConfig": {"thinkingConfig": {"thinkingBudget": 0}}}),
        ApiVersion::V1Beta,
        &ctx,
        None,
    );
    assert_eq!(f[0].entry_id, "param.thinking_budget");
    assert!(
        f[0].evidence[0].contains("só funciona com raciocínio"),
        "{:?}",
        f[0].evidence
    );
}

#[test]
fn a_404_about_a_file_does_not_blame_the_model() {
    let ex = with_request(
        err(
            404,
            "NOT_FOUND",
            "File abc123 does not exist or you do not have permission to access it.",
        ),
        ApiVersion::V1Beta,
        "gemini-2.5-flash",
        json!({"contents": [{"parts": [{"fileData": {"fileUri": "files/abc123"}}]}]}),
    );
    let known = [flash()];
    let ctx = Context {
        known_models: &known,
        ..Default::default()
    };
    let findings = diagnose(&ex, &ctx);
    assert_eq!(findings[0].entry_id, "backend.not_found");
    let evidence: Vec<&String> = findings.iter().flat_map(|f| &f.evidence).collect();
    assert!(
        evidence
            .iter()
            .all(|e| !e.contains("model 'gemini-2.5-flash'")),
        "{evidence:?}"
    );
    // The same 404 about the model still names it.
    let model_404 = with_request(
        err(
            404,
            "NOT_FOUND",
            "models/gemini-2.5-flsh is not found for API version v1beta, or is not supported for generateContent.",
        ),
        ApiVersion::V1Beta,
        "gemini-2.5-flsh",
        json!({"contents": []}),
    );
    let findings = diagnose(&model_404, &ctx);
    assert!(
        findings[0]
            .evidence
            .iter()
            .any(|e| e.contains("did you mean 'gemini-2.5-flash'")),
        "{:?}",
        findings[0].evidence
    );
}

#[test]
fn the_real_404_for_an_embedding_model_says_it_cannot_generate() {
    // What the service answers a generateContent call to an embedding-only model.
    let ex = with_request(
        err(
            404,
            "NOT_FOUND",
            "models/gemini-embedding-001 is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.",
        ),
        ApiVersion::V1Beta,
        "gemini-embedding-001",
        json!({"contents": [{"parts": [{"text": "hi"}]}]}),
    );
    let known = [flash(), embedding()];
    let ctx = Context {
        known_models: &known,
        ..Default::default()
    };
    let findings = diagnose(&ex, &ctx);
    assert_eq!(findings[0].entry_id, "model.no_generate_content");
    assert!(
        findings[0]
            .evidence
            .iter()
            .any(|e| e.contains("gemini-embedding-001 supports only embedContent")),
        "{:?}",
        findings[0].evidence
    );
}

#[test]
fn evidence_quotes_the_answer_the_key_sent_and_a_non_json_body() {
    let ctx = Context::default();
    let mut leaked = err(
        403,
        "PERMISSION_DENIED",
        "Your API key was reported as leaked. Please use another API key.",
    );
    leaked
        .request
        .headers
        .push(("x-goog-api-key".into(), "AIza…k3Qz".into()));
    let f = diagnose(&leaked, &ctx);
    assert_eq!(f[0].entry_id, "key.leaked");
    assert!(
        f[0].evidence.iter().any(|e| e.contains("AIza…k3Qz")),
        "{:?}",
        f[0].evidence
    );

    let keyless = err(
        403,
        "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    );
    let f = diagnose(&keyless, &ctx);
    assert_eq!(f[0].entry_id, "key.missing");
    assert!(
        f[0].evidence.iter().any(|e| e.contains("sent no API key")),
        "{:?}",
        f[0].evidence
    );

    let location = err(
        400,
        "FAILED_PRECONDITION",
        "User location is not supported for the API use.",
    );
    let f = diagnose(&location, &ctx);
    assert_eq!(f[0].entry_id, "location.unsupported");
    assert!(
        f[0].evidence
            .iter()
            .any(|e| e.contains("HTTP 400 FAILED_PRECONDITION: \"User location is not supported")),
        "{:?}",
        f[0].evidence
    );

    let proxy = Exchange {
        outcome: Outcome::NonJsonError {
            status: 503,
            body_kind: ErrorBodyKind::Text,
            snippet: "upstream connect error or disconnect/reset before headers".into(),
        },
        ..Default::default()
    };
    let f = diagnose(&proxy, &ctx);
    assert_eq!(f[0].entry_id, "net.non_json_error");
    assert!(
        f[0].evidence
            .iter()
            .any(|e| e.contains("\"upstream connect error")),
        "{:?}",
        f[0].evidence
    );
}

#[test]
fn a_zero_limit_is_not_said_to_refill() {
    let mut body = ApiErrorBody::new(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-flash",
    );
    body.details = vec![quota(
        "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
        Some("0"),
    )];
    let findings = diagnose(&err_body(body), &Context::default());
    assert_eq!(findings[0].entry_id, "quota.free_tier_zero");
    let evidence = &findings[0].evidence;
    assert!(
        evidence.iter().any(|e| e.contains("waiting will not help")),
        "{evidence:?}"
    );
    assert!(
        !evidence.iter().any(|e| e.contains("refills")),
        "{evidence:?}"
    );
}
