//! Request validation, first stage: JSON syntax, then field names and value types per
//! API version (walking [`super::schema`]). Semantic and range checks follow in
//! [`super::semantics`].
//!
//! The walk also normalises the JSON (snake_case keys → camelCase, numeric strings →
//! numbers, enum numbers → names, a lone object for a repeated field → one-element list)
//! so that the typed structs of `crate::gemini::wire` can deserialize it.

use super::errors;
use super::schema::{Card, Kind, Msg, SCHEMA_TYPE};
use crate::gemini::api_error::FieldViolation;
use crate::gemini::{ApiErrorBody, ApiVersion};
use serde_json::{Map, Value};

const PAYLOAD_PREFIX: &str = "Invalid JSON payload received.";

/// Parses the body; an empty body counts as `{}`.
pub fn parse_json(body: &[u8]) -> Result<Value, ApiErrorBody> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|e| malformed(body, &e))
}

fn malformed(body: &[u8], e: &serde_json::Error) -> ApiErrorBody {
    let text = String::from_utf8_lossy(body);
    let msg = if e.is_eof() {
        format!("{PAYLOAD_PREFIX} Unexpected end of string.")
    } else {
        let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
        let col = e.column().saturating_sub(1);
        // Show at most 40 chars before the offending one, like the service's excerpt.
        let start = col.saturating_sub(40);
        let snippet: String = line.chars().skip(start).take(60).collect();
        let caret = " ".repeat(col - start);
        format!("{PAYLOAD_PREFIX} Unexpected token.\n{snippet}\n{caret}^")
    };
    errors::invalid_payload(vec![FieldViolation {
        field: None,
        description: msg,
    }])
}

/// Checks field names and types of `value` against `root` for `version`, normalising it.
/// `v1_has_beta_fields` lets v1 accept the v1beta-only fields (the 2026 v1 surface).
pub fn check_fields(
    root: &'static Msg,
    value: &mut Value,
    version: ApiVersion,
    v1_has_beta_fields: bool,
) -> Result<(), ApiErrorBody> {
    if !value.is_object() {
        return Err(errors::invalid_payload(vec![FieldViolation {
            field: None,
            description: format!(
                "{PAYLOAD_PREFIX} Unknown name \"\": Root element must be a message."
            ),
        }]));
    }
    let mut w = Walker {
        version,
        beta_fields: version == ApiVersion::V1Beta || v1_has_beta_fields,
        violations: Vec::new(),
    };
    w.message(root, value, "");
    if w.violations.is_empty() {
        Ok(())
    } else {
        Err(errors::invalid_payload(w.violations))
    }
}

struct Walker {
    version: ApiVersion,
    beta_fields: bool,
    violations: Vec<FieldViolation>,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn render(v: &Value) -> String {
    v.to_string()
}

impl Walker {
    fn bad_value(&mut self, path: &str, type_label: String, shown: String) {
        self.violations.push(FieldViolation {
            field: Some(path.to_string()),
            description: format!("Invalid value at '{path}' ({type_label}), {shown}"),
        });
    }

    fn type_url(&self, name: &str) -> String {
        format!(
            "type.googleapis.com/google.ai.generativelanguage.{}.{name}",
            self.version
        )
    }

    fn message(&mut self, msg: &'static Msg, value: &mut Value, path: &str) {
        let Value::Object(obj) = value else {
            let label = self.type_url(msg.name);
            self.bad_value(path, label, render(value));
            return;
        };
        let old = std::mem::take(obj);
        for (key, mut val) in old {
            let field = msg.field(&key).filter(|f| !f.beta || self.beta_fields);
            let Some(field) = field else {
                let description = if path.is_empty() {
                    format!("{PAYLOAD_PREFIX} Unknown name \"{key}\": Cannot find field.")
                } else {
                    format!(
                        "{PAYLOAD_PREFIX} Unknown name \"{key}\" at '{path}': Cannot find field."
                    )
                };
                self.violations.push(FieldViolation {
                    field: (!path.is_empty()).then(|| path.to_string()),
                    description,
                });
                obj.insert(key, val);
                continue;
            };
            if val.is_null() {
                continue; // proto3 JSON: null means "not set".
            }
            let fpath = join(path, field.snake);
            match field.card {
                Card::One => self.value(field.kind, &mut val, &fpath),
                Card::List => {
                    if !val.is_array() {
                        val = Value::Array(vec![val]);
                    }
                    if let Value::Array(items) = &mut val {
                        for (i, item) in items.iter_mut().enumerate() {
                            self.value(field.kind, item, &format!("{fpath}[{i}]"));
                        }
                    }
                }
                Card::Map => match &mut val {
                    Value::Object(entries) => {
                        for (i, (_, v)) in entries.iter_mut().enumerate() {
                            self.value(field.kind, v, &format!("{fpath}[{i}].value"));
                        }
                    }
                    other => {
                        let shown = render(other);
                        self.bad_value(&fpath, "map".into(), shown);
                    }
                },
            }
            obj.insert(field.json.to_string(), val);
        }
    }

    fn value(&mut self, kind: Kind, v: &mut Value, path: &str) {
        match kind {
            Kind::Any => {}
            Kind::Msg(m) => self.message(m, v, path),
            Kind::Str => {
                if !v.is_string() {
                    self.bad_value(path, "TYPE_STRING".into(), render(v));
                }
            }
            Kind::Bool => {
                if !v.is_boolean() {
                    self.bad_value(path, "TYPE_BOOL".into(), render(v));
                }
            }
            Kind::Float => {
                let parsed = match v {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().parse::<f64>().ok(),
                    _ => None,
                };
                match parsed.and_then(serde_json::Number::from_f64) {
                    Some(n) => *v = Value::Number(n),
                    None => self.bad_value(path, "TYPE_FLOAT".into(), render(v)),
                }
            }
            Kind::Int => {
                let parsed = match v {
                    Value::Number(n) => n
                        .as_i64()
                        .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
                    Value::String(s) => s.trim().parse::<i64>().ok(),
                    _ => None,
                };
                match parsed {
                    Some(n) => *v = Value::from(n),
                    None => self.bad_value(path, "TYPE_INT32".into(), render(v)),
                }
            }
            Kind::Bytes => {
                let ok = v.as_str().is_some_and(is_base64);
                if !ok {
                    let shown = match v.as_str() {
                        Some(s) => format!("Base64 decoding failed for \"{s}\""),
                        None => render(v),
                    };
                    self.bad_value(path, "TYPE_BYTES".into(), shown);
                }
            }
            Kind::Enum(name, values) => {
                let case_insensitive = matches!(SCHEMA_TYPE, Kind::Enum(n, _) if n == name);
                let found = match v {
                    Value::String(s) => values.iter().find(|c| {
                        if case_insensitive {
                            c.eq_ignore_ascii_case(s)
                        } else {
                            *c == s
                        }
                    }),
                    Value::Number(n) => n
                        .as_u64()
                        .and_then(|i| values.get(usize::try_from(i).ok()?)),
                    _ => None,
                };
                match found {
                    Some(c) => *v = Value::String((*c).to_string()),
                    None => {
                        let label = self.type_url(name);
                        self.bad_value(path, label, render(v));
                    }
                }
            }
        }
    }
}

fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::schema::GENERATE_CONTENT_REQUEST;
    use serde_json::json;

    fn check(v: Value, version: ApiVersion) -> Result<Value, ApiErrorBody> {
        let mut v = v;
        check_fields(&GENERATE_CONTENT_REQUEST, &mut v, version, false).map(|_| v)
    }

    #[test]
    fn v1_rejects_beta_fields_one_line_each() {
        let e = check(
            json!({"contents": [], "systemInstruction": {"parts": [{"text": "x"}]},
                   "generationConfig": {"responseMimeType": "application/json"}}),
            ApiVersion::V1,
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "Invalid JSON payload received. Unknown name \"systemInstruction\": Cannot find field.\nInvalid JSON payload received. Unknown name \"responseMimeType\" at 'generation_config': Cannot find field."
        );
        let fv: Vec<_> = e.field_violations().collect();
        assert_eq!(fv[0].field, None);
        assert_eq!(fv[1].field.as_deref(), Some("generation_config"));
        assert!(
            check(
                json!({"system_instruction": {"parts": [{"text": "x"}]}}),
                ApiVersion::V1Beta
            )
            .is_ok()
        );
    }

    #[test]
    fn snake_case_is_normalised_and_values_coerced() {
        let v = check(
            json!({"contents": {"parts": [{"inline_data": {"mime_type": "image/png", "data": "AAAA"}}]},
                   "generation_config": {"max_output_tokens": "12", "temperature": 1},
                   "safety_settings": [{"category": 7, "threshold": "BLOCK_NONE"}]}),
            ApiVersion::V1,
        )
        .unwrap();
        assert_eq!(v["generationConfig"]["maxOutputTokens"], json!(12));
        assert_eq!(
            v["contents"][0]["parts"][0]["inlineData"]["mimeType"],
            "image/png"
        );
        assert_eq!(
            v["safetySettings"][0]["category"],
            "HARM_CATEGORY_HARASSMENT"
        );
    }

    #[test]
    fn bad_types_and_enums_name_the_path() {
        let e = check(
            json!({"generationConfig": {"temperature": "hot"},
                   "safetySettings": [{"category": "NOPE", "threshold": "OFF"}],
                   "tools": [{"functionDeclarations": [{"name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "string", "additionalProperties": false}}}}]}]}),
            ApiVersion::V1Beta,
        )
        .unwrap_err();
        let lines: Vec<&str> = e.message.lines().collect();
        assert_eq!(
            lines[0],
            "Invalid value at 'generation_config.temperature' (TYPE_FLOAT), \"hot\""
        );
        assert_eq!(
            lines[1],
            "Invalid value at 'safety_settings[0].category' (type.googleapis.com/google.ai.generativelanguage.v1beta.HarmCategory), \"NOPE\""
        );
        assert_eq!(
            lines[2],
            "Invalid JSON payload received. Unknown name \"additionalProperties\" at 'tools[0].function_declarations[0].parameters.properties[0].value': Cannot find field."
        );
    }

    #[test]
    fn malformed_json_points_at_the_token() {
        let e = parse_json(br#"{"contents": [}"#).unwrap_err();
        assert!(
            e.message
                .starts_with("Invalid JSON payload received. Unexpected token.\n"),
            "{}",
            e.message
        );
        assert!(e.message.ends_with('^'));
        assert_eq!(e.code, 400);
    }
}
