//! The google.rpc error envelope `{"error": {code, message, status, details}}`, its
//! typed details, and the classification of error bodies that are not that envelope.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

/// `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// The error itself.
    pub error: ApiErrorBody,
}

/// The inside of the envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ApiErrorBody {
    /// HTTP status code as an integer.
    #[serde(default)]
    pub code: i64,
    /// Human-readable message (may span several lines joined by `\n`).
    #[serde(default)]
    pub message: String,
    /// google.rpc.Code name, e.g. `RESOURCE_EXHAUSTED`.
    #[serde(default)]
    pub status: String,
    /// Typed details; omitted by the service when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ErrorDetail>,
}

impl ApiErrorBody {
    /// A body without details.
    pub fn new(code: i64, status: &str, message: impl Into<String>) -> Self {
        ApiErrorBody {
            code,
            message: message.into(),
            status: status.to_string(),
            details: Vec::new(),
        }
    }

    /// Adds one detail.
    pub fn with(mut self, detail: ErrorDetail) -> Self {
        self.details.push(detail);
        self
    }

    /// The first ErrorInfo detail.
    pub fn error_info(&self) -> Option<(&str, &str, &BTreeMap<String, String>)> {
        self.details.iter().find_map(|d| match d {
            ErrorDetail::ErrorInfo {
                reason,
                domain,
                metadata,
            } => Some((reason.as_str(), domain.as_str(), metadata)),
            _ => None,
        })
    }

    /// The ErrorInfo reason, if any.
    pub fn reason(&self) -> Option<&str> {
        self.error_info().map(|(r, _, _)| r)
    }

    /// The RetryInfo delay, if any and parseable.
    pub fn retry_delay(&self) -> Option<Duration> {
        self.details.iter().find_map(|d| match d {
            ErrorDetail::RetryInfo { retry_delay } => parse_proto_duration(retry_delay),
            _ => None,
        })
    }

    /// All QuotaFailure violations.
    pub fn quota_violations(&self) -> impl Iterator<Item = &QuotaViolation> {
        self.details
            .iter()
            .filter_map(|d| match d {
                ErrorDetail::QuotaFailure { violations } => Some(violations.iter()),
                _ => None,
            })
            .flatten()
    }

    /// All BadRequest field violations.
    pub fn field_violations(&self) -> impl Iterator<Item = &FieldViolation> {
        self.details
            .iter()
            .filter_map(|d| match d {
                ErrorDetail::BadRequest { field_violations } => Some(field_violations.iter()),
                _ => None,
            })
            .flatten()
    }

    /// Wraps the body in its envelope and renders it as the service does
    /// (pretty-printed, two-space indent, trailing newline).
    pub fn to_wire_pretty(&self) -> String {
        let env = ErrorEnvelope {
            error: self.clone(),
        };
        let mut s = serde_json::to_string_pretty(&env).expect("error envelope serialises");
        s.push('\n');
        s
    }
}

/// A quota that was exceeded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct QuotaViolation {
    /// e.g. `generativelanguage.googleapis.com/generate_content_free_tier_requests`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quota_metric: String,
    /// e.g. `GenerateRequestsPerMinutePerProjectPerModel-FreeTier`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quota_id: String,
    /// e.g. `{"location": "global", "model": "gemini-2.5-flash"}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub quota_dimensions: BTreeMap<String, String>,
    /// The limit's value, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota_value: Option<String>,
    /// Legacy subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Legacy description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A request field that failed validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct FieldViolation {
    /// snake_case path; omitted for unknown top-level names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong.
    #[serde(default)]
    pub description: String,
}

/// A `google.rpc.Help` link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct HelpLink {
    /// Link text.
    #[serde(default)]
    pub description: String,
    /// Target.
    #[serde(default)]
    pub url: String,
}

const TYPE_PREFIX: &str = "type.googleapis.com/google.rpc.";

/// One entry of `error.details`, keyed on the wire by `@type`.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorDetail {
    /// `google.rpc.ErrorInfo`.
    ErrorInfo {
        /// e.g. `API_KEY_INVALID`.
        reason: String,
        /// e.g. `googleapis.com`.
        domain: String,
        /// e.g. `{"service": "generativelanguage.googleapis.com"}`.
        metadata: BTreeMap<String, String>,
    },
    /// `google.rpc.RetryInfo`.
    RetryInfo {
        /// Proto Duration string such as `"37s"`.
        retry_delay: String,
    },
    /// `google.rpc.QuotaFailure`.
    QuotaFailure {
        /// Exceeded quotas.
        violations: Vec<QuotaViolation>,
    },
    /// `google.rpc.BadRequest`.
    BadRequest {
        /// Offending fields.
        field_violations: Vec<FieldViolation>,
    },
    /// `google.rpc.Help`.
    Help {
        /// Links.
        links: Vec<HelpLink>,
    },
    /// `google.rpc.LocalizedMessage`.
    LocalizedMessage {
        /// e.g. `en-US`.
        locale: String,
        /// Translated message.
        message: String,
    },
    /// `google.rpc.DebugInfo`.
    DebugInfo {
        /// Detail text.
        detail: String,
        /// Stack entries.
        stack_entries: Vec<String>,
    },
    /// Any other `@type`, kept verbatim.
    Other(Value),
}

impl ErrorDetail {
    /// The short type name (`ErrorInfo`, `RetryInfo`, …).
    pub fn type_name(&self) -> String {
        match self {
            ErrorDetail::ErrorInfo { .. } => "ErrorInfo".into(),
            ErrorDetail::RetryInfo { .. } => "RetryInfo".into(),
            ErrorDetail::QuotaFailure { .. } => "QuotaFailure".into(),
            ErrorDetail::BadRequest { .. } => "BadRequest".into(),
            ErrorDetail::Help { .. } => "Help".into(),
            ErrorDetail::LocalizedMessage { .. } => "LocalizedMessage".into(),
            ErrorDetail::DebugInfo { .. } => "DebugInfo".into(),
            ErrorDetail::Other(v) => v
                .get("@type")
                .and_then(Value::as_str)
                .map(|t| t.rsplit('.').next().unwrap_or(t).to_string())
                .unwrap_or_else(|| "unknown".into()),
        }
    }

    fn to_value(&self) -> Value {
        let typed = |name: &str, body: Value| -> Value {
            let mut m = Map::new();
            m.insert(
                "@type".into(),
                Value::String(format!("{TYPE_PREFIX}{name}")),
            );
            if let Value::Object(fields) = body {
                m.extend(fields);
            }
            Value::Object(m)
        };
        match self {
            ErrorDetail::ErrorInfo {
                reason,
                domain,
                metadata,
            } => {
                let mut body = json!({"reason": reason, "domain": domain});
                if !metadata.is_empty() {
                    body["metadata"] = json!(metadata);
                }
                typed("ErrorInfo", body)
            }
            ErrorDetail::RetryInfo { retry_delay } => {
                typed("RetryInfo", json!({"retryDelay": retry_delay}))
            }
            ErrorDetail::QuotaFailure { violations } => {
                typed("QuotaFailure", json!({"violations": violations}))
            }
            ErrorDetail::BadRequest { field_violations } => {
                typed("BadRequest", json!({"fieldViolations": field_violations}))
            }
            ErrorDetail::Help { links } => typed("Help", json!({"links": links})),
            ErrorDetail::LocalizedMessage { locale, message } => typed(
                "LocalizedMessage",
                json!({"locale": locale, "message": message}),
            ),
            ErrorDetail::DebugInfo {
                detail,
                stack_entries,
            } => {
                let mut body = json!({"detail": detail});
                if !stack_entries.is_empty() {
                    body["stackEntries"] = json!(stack_entries);
                }
                typed("DebugInfo", body)
            }
            ErrorDetail::Other(v) => v.clone(),
        }
    }

    fn from_value(v: Value) -> Self {
        let ty = v
            .get("@type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .rsplit('.')
            .next()
            .unwrap_or("")
            .to_string();
        let get =
            |k: &str, alt: &str| -> Option<Value> { v.get(k).or_else(|| v.get(alt)).cloned() };
        let string = |k: &str, alt: &str| -> String {
            get(k, alt)
                .and_then(|x| x.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let parsed = match ty.as_str() {
            "ErrorInfo" => Some(ErrorDetail::ErrorInfo {
                reason: string("reason", "reason"),
                domain: string("domain", "domain"),
                metadata: get("metadata", "metadata")
                    .and_then(|m| m.as_object().cloned())
                    .map(|m| {
                        m.into_iter()
                            .map(|(k, v)| {
                                let s = v.as_str().map(str::to_string).unwrap_or(v.to_string());
                                (k, s)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }),
            "RetryInfo" => get("retryDelay", "retry_delay").map(|d| ErrorDetail::RetryInfo {
                retry_delay: match d {
                    Value::String(s) => s,
                    // Some renderings spell the Duration as {"seconds": N, "nanos": M}.
                    Value::Object(o) => {
                        let secs = o.get("seconds").and_then(value_as_f64).unwrap_or(0.0);
                        let nanos = o.get("nanos").and_then(value_as_f64).unwrap_or(0.0);
                        format!("{}s", secs + nanos / 1e9)
                    }
                    other => other.to_string(),
                },
            }),
            "QuotaFailure" => get("violations", "violations")
                .and_then(|x| serde_json::from_value(x).ok())
                .map(|violations| ErrorDetail::QuotaFailure { violations }),
            "BadRequest" => get("fieldViolations", "field_violations")
                .and_then(|x| serde_json::from_value(x).ok())
                .map(|field_violations| ErrorDetail::BadRequest { field_violations }),
            "Help" => get("links", "links")
                .and_then(|x| serde_json::from_value(x).ok())
                .map(|links| ErrorDetail::Help { links }),
            "LocalizedMessage" => Some(ErrorDetail::LocalizedMessage {
                locale: string("locale", "locale"),
                message: string("message", "message"),
            }),
            "DebugInfo" => Some(ErrorDetail::DebugInfo {
                detail: string("detail", "detail"),
                stack_entries: get("stackEntries", "stack_entries")
                    .and_then(|x| serde_json::from_value(x).ok())
                    .unwrap_or_default(),
            }),
            _ => None,
        };
        parsed.unwrap_or(ErrorDetail::Other(v))
    }
}

fn value_as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

impl Serialize for ErrorDetail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

impl<'de> Deserialize<'de> for ErrorDetail {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ErrorDetail::from_value(Value::deserialize(d)?))
    }
}

/// The google.rpc.Code name the service pairs with an HTTP status (code.proto mapping).
pub fn canonical_status(code: u16) -> Option<&'static str> {
    Some(match code {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        500 => "INTERNAL",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => return None,
    })
}

/// Parses a proto Duration string (`"37s"`, `"0.539477544s"`).
pub fn parse_proto_duration(s: &str) -> Option<Duration> {
    let secs: f64 = s.trim().strip_suffix('s')?.parse().ok()?;
    if secs.is_finite() && secs >= 0.0 {
        Some(Duration::from_secs_f64(secs))
    } else {
        None
    }
}

/// What an error response's body turned out to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErrorBodyKind {
    /// The google.rpc envelope (possibly inside a one-element array).
    Envelope {
        /// The parsed error.
        error: ApiErrorBody,
        /// True when it came wrapped in a JSON array (OpenAI-compatible surface, array streams).
        in_array: bool,
    },
    /// Valid JSON that is not the envelope.
    OtherJson,
    /// An HTML page, typically from a proxy or load balancer.
    Html {
        /// The page's `<title>`, if it has one.
        title: Option<String>,
    },
    /// Plain text.
    Text,
    /// No body at all.
    Empty,
}

/// Classifies an error body; never fails.
pub fn classify_error_body(content_type: Option<&str>, body: &[u8]) -> ErrorBodyKind {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return ErrorBodyKind::Empty;
    }
    if let Ok(v) = serde_json::from_str::<Value>(trimmed) {
        return match envelope_from_value(&v) {
            Some((error, in_array)) => ErrorBodyKind::Envelope { error, in_array },
            None => ErrorBodyKind::OtherJson,
        };
    }
    let looks_html = content_type.is_some_and(|c| c.contains("html"))
        || trimmed.starts_with('<')
        || trimmed
            .get(..15)
            .is_some_and(|p| p.to_ascii_lowercase().starts_with("<!doctype html"));
    if looks_html {
        return ErrorBodyKind::Html {
            title: html_title(trimmed),
        };
    }
    ErrorBodyKind::Text
}

/// Extracts the envelope from a parsed JSON value (`{"error":…}` or `[{"error":…}]`).
pub fn envelope_from_value(v: &Value) -> Option<(ApiErrorBody, bool)> {
    let (inner, in_array) = match v {
        Value::Array(a) if a.len() == 1 => (&a[0], true),
        other => (other, false),
    };
    let err = inner.get("error")?;
    if !err.is_object() {
        return None;
    }
    serde_json::from_value(err.clone())
        .ok()
        .map(|e| (e, in_array))
}

/// The text of the first `<title>` element, whitespace collapsed.
pub fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = html.get(open_end..close)?;
    let collapsed = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL_429: &str = r#"{
  "error": {
    "code": 429,
    "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
    "status": "RESOURCE_EXHAUSTED",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        "violations": [
          {
            "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
            "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
            "quotaDimensions": {
              "location": "global",
              "model": "gemini-2.5-flash"
            },
            "quotaValue": "10"
          }
        ]
      },
      {
        "@type": "type.googleapis.com/google.rpc.Help",
        "links": [
          {
            "description": "Learn more about Gemini API quotas",
            "url": "https://ai.google.dev/gemini-api/docs/rate-limits"
          }
        ]
      },
      {
        "@type": "type.googleapis.com/google.rpc.RetryInfo",
        "retryDelay": "37s"
      }
    ]
  }
}
"#;

    #[test]
    fn parses_a_real_429_and_renders_it_back_identically() {
        let ErrorBodyKind::Envelope { error, in_array } =
            classify_error_body(Some("application/json; charset=UTF-8"), REAL_429.as_bytes())
        else {
            panic!("not an envelope");
        };
        assert!(!in_array);
        assert_eq!(error.code, 429);
        assert_eq!(error.retry_delay(), Some(Duration::from_secs(37)));
        let v = error.quota_violations().next().unwrap();
        assert_eq!(v.quota_value.as_deref(), Some("10"));
        assert_eq!(v.quota_dimensions["model"], "gemini-2.5-flash");
        assert_eq!(error.to_wire_pretty(), REAL_429);
    }

    #[test]
    fn api_key_invalid_has_reason_and_localized_message() {
        let body = r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}},{"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en-US","message":"API key not valid. Please pass a valid API key."}]}}"#;
        let ErrorBodyKind::Envelope { error, .. } = classify_error_body(None, body.as_bytes())
        else {
            panic!()
        };
        assert_eq!(error.reason(), Some("API_KEY_INVALID"));
        assert!(matches!(
            &error.details[1],
            ErrorDetail::LocalizedMessage { locale, .. } if locale == "en-US"
        ));
    }

    #[test]
    fn one_element_array_is_unwrapped() {
        let body = r#"[{"error":{"code":400,"message":"x","status":"INVALID_ARGUMENT"}}]"#;
        assert!(matches!(
            classify_error_body(None, body.as_bytes()),
            ErrorBodyKind::Envelope { in_array: true, .. }
        ));
    }

    #[test]
    fn non_envelope_bodies_are_classified() {
        let html = b"<!DOCTYPE html>\n<html><head><title>502 Bad\n Gateway</title></head></html>";
        assert_eq!(
            classify_error_body(Some("text/html"), html),
            ErrorBodyKind::Html {
                title: Some("502 Bad Gateway".into())
            }
        );
        assert_eq!(
            classify_error_body(None, b"upstream connect error"),
            ErrorBodyKind::Text
        );
        assert_eq!(classify_error_body(None, b"  \n"), ErrorBodyKind::Empty);
        assert_eq!(
            classify_error_body(None, br#"{"detail":"x"}"#),
            ErrorBodyKind::OtherJson
        );
    }

    #[test]
    fn unknown_detail_types_are_kept_verbatim() {
        let v = serde_json::json!({"@type": "type.googleapis.com/google.rpc.PreconditionFailure", "violations": [1]});
        let d: ErrorDetail = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(d.type_name(), "PreconditionFailure");
        assert_eq!(serde_json::to_value(&d).unwrap(), v);
    }

    #[test]
    fn proto_durations() {
        assert_eq!(parse_proto_duration("26s"), Some(Duration::from_secs(26)));
        assert_eq!(
            parse_proto_duration("0.5s"),
            Some(Duration::from_millis(500))
        );
        assert_eq!(parse_proto_duration("soon"), None);
        assert_eq!(parse_proto_duration("-1s"), None);
    }
}
