//! Builders of every error body the sandbox sends, with the real service's status,
//! message and details (reference §4.2). Wording marked "unverified" is the sandbox's
//! own plausible choice, listed in `docs/sandbox.md`.

use crate::gemini::api_error::{FieldViolation, HelpLink, QuotaViolation};
use crate::gemini::{ApiErrorBody, ApiVersion, ErrorDetail, Operation};
use std::collections::BTreeMap;

/// The API's service name, as it appears in ErrorInfo metadata.
pub const SERVICE: &str = "generativelanguage.googleapis.com";
/// The simulated project number shown where the real service names the consumer.
pub const PROJECT: &str = "projects/000000000000";
/// The rate-limit documentation page.
pub const RATE_LIMITS_URL: &str = "https://ai.google.dev/gemini-api/docs/rate-limits";

fn invalid(msg: impl Into<String>) -> ApiErrorBody {
    ApiErrorBody::new(400, "INVALID_ARGUMENT", msg)
}

fn meta(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn error_info(reason: &str, metadata: BTreeMap<String, String>) -> ErrorDetail {
    ErrorDetail::ErrorInfo {
        reason: reason.into(),
        domain: "googleapis.com".into(),
        metadata,
    }
}

fn localized(msg: &str) -> ErrorDetail {
    ErrorDetail::LocalizedMessage {
        locale: "en-US".into(),
        message: msg.into(),
    }
}

/// 403: no key reached the service.
pub fn unregistered_caller() -> ApiErrorBody {
    ApiErrorBody::new(
        403,
        "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    )
}

/// The three 400 `API_KEY_INVALID` variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadKey {
    /// "API key not valid."
    Invalid,
    /// "API Key not found."
    NotFound,
    /// "API key expired."
    Expired,
}

/// 400 INVALID_ARGUMENT + ErrorInfo `API_KEY_INVALID` + LocalizedMessage.
pub fn api_key_invalid(kind: BadKey) -> ApiErrorBody {
    let msg = match kind {
        BadKey::Invalid => "API key not valid. Please pass a valid API key.",
        BadKey::NotFound => "API Key not found. Please pass a valid API key.",
        BadKey::Expired => "API key expired. Please renew the API key.",
    };
    invalid(msg)
        .with(error_info("API_KEY_INVALID", meta(&[("service", SERVICE)])))
        .with(localized(msg))
}

/// 403: key revoked after being reported as leaked (no details).
pub fn key_leaked() -> ApiErrorBody {
    ApiErrorBody::new(
        403,
        "PERMISSION_DENIED",
        "Your API key was reported as leaked. Please use another API key.",
    )
}

/// 403 CONSUMER_SUSPENDED. The real message names the raw key; the sandbox names the
/// masked key instead, so a key never appears in a body or a log.
pub fn consumer_suspended(masked_key: &str) -> ApiErrorBody {
    ApiErrorBody::new(
        403,
        "PERMISSION_DENIED",
        format!("Permission denied: Consumer 'api_key:{masked_key}' has been suspended."),
    )
    .with(error_info(
        "CONSUMER_SUSPENDED",
        meta(&[("consumer", PROJECT), ("service", SERVICE)]),
    ))
}

/// The RPC method name of an operation, e.g. `google.ai.generativelanguage.v1beta.GenerativeService.GenerateContent`.
pub fn rpc_method(version: ApiVersion, op: Operation) -> String {
    let (svc, m) = match op {
        Operation::GenerateContent => ("GenerativeService", "GenerateContent"),
        Operation::StreamGenerateContent => ("GenerativeService", "StreamGenerateContent"),
        Operation::CountTokens => ("GenerativeService", "CountTokens"),
        Operation::ListModels => ("ModelService", "ListModels"),
        Operation::GetModel => ("ModelService", "GetModel"),
    };
    format!("google.ai.generativelanguage.{version}.{svc}.{m}")
}

/// 403 API_KEY_SERVICE_BLOCKED: the key's API restrictions exclude this method.
pub fn service_blocked(version: ApiVersion, op: Operation) -> ApiErrorBody {
    let method = rpc_method(version, op);
    let msg = format!("Requests to this API {SERVICE} method {method} are blocked.");
    ApiErrorBody::new(403, "PERMISSION_DENIED", msg.clone())
        .with(error_info(
            "API_KEY_SERVICE_BLOCKED",
            meta(&[
                ("apiName", SERVICE),
                ("consumer", PROJECT),
                ("methodName", &method),
                ("service", SERVICE),
            ]),
        ))
        .with(localized(&msg))
}

/// 403 SERVICE_DISABLED: the key's project has not enabled the API.
pub fn service_disabled() -> ApiErrorBody {
    let project = PROJECT.trim_start_matches("projects/");
    let url = format!(
        "https://console.developers.google.com/apis/api/{SERVICE}/overview?project={project}"
    );
    let msg = format!(
        "Generative Language API has not been used in project {project} before or it is disabled. Enable it by visiting {url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry."
    );
    ApiErrorBody::new(403, "PERMISSION_DENIED", msg.clone())
        .with(error_info(
            "SERVICE_DISABLED",
            meta(&[
                ("activationUrl", &url),
                ("consumer", PROJECT),
                ("containerInfo", project),
                ("service", SERVICE),
                ("serviceTitle", "Generative Language API"),
            ]),
        ))
        .with(localized(&msg))
        .with(ErrorDetail::Help {
            links: vec![HelpLink {
                description: "Google developers console API activation".into(),
                url,
            }],
        })
}

/// 401 CREDENTIALS_MISSING: a key the Developer API does not accept (e.g. a Vertex-bound key).
pub fn credentials_missing(version: ApiVersion, op: Operation) -> ApiErrorBody {
    ApiErrorBody::new(
        401,
        "UNAUTHENTICATED",
        "API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal. See https://cloud.google.com/docs/authentication",
    )
    .with(error_info(
        "CREDENTIALS_MISSING",
        meta(&[("method", &rpc_method(version, op)), ("service", SERVICE)]),
    ))
}

/// 403: the project may not use this model (preview access, tier).
pub fn no_permission() -> ApiErrorBody {
    ApiErrorBody::new(
        403,
        "PERMISSION_DENIED",
        "The caller does not have permission",
    )
}

/// 403: a tuned model called with an API key. Unverified wording (no public payload).
pub fn tuned_model_needs_oauth(name: &str) -> ApiErrorBody {
    ApiErrorBody::new(
        403,
        "PERMISSION_DENIED",
        format!(
            "The caller does not have permission to access {name}. Tuned models require OAuth credentials; API keys are not accepted."
        ),
    )
}

/// 400 with one `Invalid JSON payload received...` line per violation, mirrored in BadRequest.
pub fn invalid_payload(violations: Vec<FieldViolation>) -> ApiErrorBody {
    let msg = violations
        .iter()
        .map(|v| v.description.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    invalid(msg).with(ErrorDetail::BadRequest {
        field_violations: violations,
    })
}

/// 400 semantic validation: `* Request.path: text\n` bullets, no details.
pub fn semantic(bullets: &[String]) -> ApiErrorBody {
    invalid(
        bullets
            .iter()
            .map(|b| format!("* {b}\n"))
            .collect::<String>(),
    )
}

/// 400 about one field's value, with a BadRequest naming the snake_case path.
pub fn field_value(field: &str, msg: impl Into<String>) -> ApiErrorBody {
    let msg = msg.into();
    invalid(msg.clone()).with(ErrorDetail::BadRequest {
        field_violations: vec![FieldViolation {
            field: Some(field.into()),
            description: msg,
        }],
    })
}

/// 400 without details.
pub fn invalid_argument(msg: impl Into<String>) -> ApiErrorBody {
    invalid(msg)
}

/// 400 FAILED_PRECONDITION: the caller's region is not served.
pub fn location_not_supported() -> ApiErrorBody {
    ApiErrorBody::new(
        400,
        "FAILED_PRECONDITION",
        "User location is not supported for the API use.",
    )
}

/// 400 FAILED_PRECONDITION: the region is served, but not on the free tier (documented
/// message, reference §4.2).
pub fn free_tier_not_available() -> ApiErrorBody {
    ApiErrorBody::new(
        400,
        "FAILED_PRECONDITION",
        "Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.",
    )
}

/// 404 for an unknown/retired model, a model not served on `version`, or an unsupported method.
pub fn model_not_found(name: &str, version: ApiVersion, method: &str) -> ApiErrorBody {
    ApiErrorBody::new(
        404,
        "NOT_FOUND",
        format!(
            "{name} is not found for API version {version}, or is not supported for {method}. Call ListModels to see the list of available models and their supported methods."
        ),
    )
}

/// 404 of `models.get` on an unknown model. Unverified wording.
pub fn get_model_not_found(name: &str, version: ApiVersion) -> ApiErrorBody {
    ApiErrorBody::new(
        404,
        "NOT_FOUND",
        format!("Model is not found: {name} for api version {version}"),
    )
}

/// 404 for a `fileData.fileUri` naming a file that does not exist. Unverified wording.
pub fn file_not_found(file_id: &str) -> ApiErrorBody {
    ApiErrorBody::new(
        404,
        "NOT_FOUND",
        format!("File {file_id} does not exist or you do not have permission to access it."),
    )
}

/// 404 for a path the API does not have.
pub fn no_such_path(path: &str) -> ApiErrorBody {
    ApiErrorBody::new(
        404,
        "NOT_FOUND",
        format!("Requested entity was not found: {path}"),
    )
}

/// One exceeded quota, as reported in a 429.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaHit {
    /// Which window was exceeded.
    pub kind: QuotaKind,
    /// The limit's value.
    pub limit: u64,
    /// Model id.
    pub model: String,
}

/// The three free-tier quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaKind {
    /// Requests per minute.
    RequestsPerMinute,
    /// Input tokens per minute.
    InputTokensPerMinute,
    /// Requests per day.
    RequestsPerDay,
}

impl QuotaKind {
    /// (quotaMetric, quotaId).
    pub fn ids(self) -> (&'static str, &'static str) {
        match self {
            QuotaKind::RequestsPerMinute => (
                "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
            ),
            QuotaKind::InputTokensPerMinute => (
                "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count",
                "GenerateContentInputTokensPerModelPerMinute-FreeTier",
            ),
            QuotaKind::RequestsPerDay => (
                "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
            ),
        }
    }
}

/// 429 RESOURCE_EXHAUSTED in its 2026 form: QuotaFailure + Help, plus RetryInfo
/// (integer seconds) when waiting helps; `retry_secs` is `None` for daily exhaustion.
pub fn quota_exceeded(hits: &[QuotaHit], retry_secs: Option<u64>) -> ApiErrorBody {
    let mut msg = format!(
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: {RATE_LIMITS_URL}. To monitor your current usage, head to: https://ai.dev/rate-limit. "
    );
    for h in hits {
        msg.push_str(&format!(
            "\n* Quota exceeded for metric: {}, limit: {}, model: {}",
            h.kind.ids().0,
            h.limit,
            h.model
        ));
    }
    if let Some(s) = retry_secs {
        msg.push_str(&format!("\nPlease retry in {s}s."));
    }
    let violations = hits
        .iter()
        .map(|h| {
            let (metric, id) = h.kind.ids();
            QuotaViolation {
                quota_metric: metric.into(),
                quota_id: id.into(),
                quota_dimensions: meta(&[("location", "global"), ("model", &h.model)]),
                quota_value: Some(h.limit.to_string()),
                subject: None,
                description: None,
            }
        })
        .collect();
    let mut body = ApiErrorBody::new(429, "RESOURCE_EXHAUSTED", msg)
        .with(ErrorDetail::QuotaFailure { violations })
        .with(ErrorDetail::Help {
            links: vec![HelpLink {
                description: "Learn more about Gemini API quotas".into(),
                url: RATE_LIMITS_URL.into(),
            }],
        });
    if let Some(s) = retry_secs {
        body = body.with(ErrorDetail::RetryInfo {
            retry_delay: format!("{s}s"),
        });
    }
    body
}

/// 500 INTERNAL.
pub fn internal() -> ApiErrorBody {
    ApiErrorBody::new(
        500,
        "INTERNAL",
        "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
    )
}

/// 503 UNAVAILABLE, 2026 wording.
pub fn unavailable() -> ApiErrorBody {
    ApiErrorBody::new(
        503,
        "UNAVAILABLE",
        "This model is currently experiencing high demand. Spikes in demand are usually temporary. Please try again later.",
    )
}

/// 504 DEADLINE_EXCEEDED. The REST wording is unverified; this is the usual Google front-end text.
pub fn deadline_exceeded() -> ApiErrorBody {
    ApiErrorBody::new(
        504,
        "DEADLINE_EXCEEDED",
        "Deadline expired before operation could complete.",
    )
}

/// 400: `X-Server-Timeout` below the server's 10 s floor (status unverified).
pub fn deadline_too_short(secs: u64) -> ApiErrorBody {
    invalid(format!(
        "Manually set deadline {secs}s is too short. Minimum allowed deadline is 10s."
    ))
}

/// 400: body over the 20 MB request limit.
pub fn payload_too_large(limit: usize) -> ApiErrorBody {
    invalid(format!(
        "Request payload size exceeds the limit: {limit} bytes."
    ))
}

/// The body for an armed `Status { code }` fault.
pub fn for_status(code: u16, model: &str) -> ApiErrorBody {
    match code {
        400 => invalid("Request contains an invalid argument."),
        401 => credentials_missing(ApiVersion::V1Beta, Operation::GenerateContent),
        403 => no_permission(),
        404 => model_not_found(
            &format!("models/{model}"),
            ApiVersion::V1Beta,
            "generateContent",
        ),
        429 => quota_exceeded(
            &[QuotaHit {
                kind: QuotaKind::RequestsPerMinute,
                limit: 10,
                model: model.into(),
            }],
            Some(30),
        ),
        500 => internal(),
        503 => unavailable(),
        504 => deadline_exceeded(),
        other => ApiErrorBody::new(
            i64::from(other),
            status_name(other),
            format!("Simulated error {other}."),
        ),
    }
}

/// google.rpc.Code name for an HTTP status; codes without one are INTERNAL.
pub fn status_name(code: u16) -> &'static str {
    crate::gemini::api_error::canonical_status(code).unwrap_or("INTERNAL")
}
