//! Reproduce a recorded request outside the console: a curl command or a google-genai
//! Python snippet. The key is always `$GEMINI_API_KEY`, never the recorded (masked) value.

use crate::gemini::GOOGLE_BASE_URL;
use crate::gemini::exchange::Exchange;
use serde_json::Value;

/// Headers the snippet sets itself or that curl computes.
const SKIPPED_HEADERS: [&str; 6] = [
    "x-goog-api-key",
    "content-type",
    "content-length",
    "user-agent",
    "host",
    "accept-encoding",
];

/// A bash curl command equivalent to the exchange's request.
pub fn curl_command(ex: &Exchange) -> String {
    let req = &ex.request;
    let url = strip_key_param(&req.url);
    let mut out = String::from("curl -sS");
    if ex.operation.is_some_and(|o| o.is_stream()) {
        out.push_str(" -N");
    }
    if req.method != "GET" && !req.method.is_empty() {
        out.push_str(&format!(" -X {}", req.method));
    }
    out.push_str(&format!(" {} \\\n", shell_quote(&url)));
    out.push_str("  -H \"x-goog-api-key: $GEMINI_API_KEY\"");
    for (k, v) in &req.headers {
        if SKIPPED_HEADERS.iter().any(|s| k.eq_ignore_ascii_case(s)) {
            continue;
        }
        out.push_str(&format!(" \\\n  -H {}", shell_quote(&format!("{k}: {v}"))));
    }
    if let Some(body) = &req.body {
        let pretty = serde_json::to_string_pretty(body).unwrap_or_default();
        // A quoted heredoc passes the JSON verbatim: no escaping of quotes or `$`.
        out.push_str(" \\\n  -H 'Content-Type: application/json' \\\n  -d @- <<'JSON'\n");
        out.push_str(&pretty);
        out.push_str("\nJSON");
    }
    out.push('\n');
    out
}

/// A google-genai (Python) snippet making the same call.
pub fn python_snippet(ex: &Exchange) -> String {
    let body = ex.request.body.clone().unwrap_or(Value::Null);
    let model = ex
        .model
        .clone()
        .unwrap_or_else(|| "gemini-2.5-flash".into());
    let stream = ex.operation.is_some_and(|o| o.is_stream());
    let base = base_url_of(&ex.request.url, ex.api_version.as_str());
    let mut http = format!("api_version={:?}", ex.api_version.as_str());
    if let Some(b) = base.filter(|b| b.trim_end_matches('/') != GOOGLE_BASE_URL) {
        http.push_str(&format!(", base_url={b:?}"));
    }
    let mut config = serde_json::Map::new();
    if let Some(Value::Object(gc)) = body.get("generationConfig") {
        for (k, v) in gc {
            config.insert(snake(k), snake_keys(v));
        }
    }
    for (wire, py) in [
        ("safetySettings", "safety_settings"),
        ("systemInstruction", "system_instruction"),
        ("tools", "tools"),
        ("toolConfig", "tool_config"),
    ] {
        if let Some(v) = body.get(wire) {
            config.insert(py.into(), snake_keys(v));
        }
    }
    let contents = body.get("contents").map(snake_keys).unwrap_or(Value::Null);
    let mut out =
        String::from("import os\n\nfrom google import genai\nfrom google.genai import types\n\n");
    out.push_str(&format!(
        "client = genai.Client(\n    api_key=os.environ[\"GEMINI_API_KEY\"],\n    http_options=types.HttpOptions({http}),\n)\n\n"
    ));
    let call = if stream {
        "generate_content_stream"
    } else {
        "generate_content"
    };
    out.push_str(&format!(
        "response = client.models.{call}(\n    model={model:?},\n"
    ));
    out.push_str(&format!("    contents={},\n", py_literal(&contents, 1)));
    if !config.is_empty() {
        out.push_str(&format!(
            "    config={},\n",
            py_literal(&Value::Object(config), 1)
        ));
    }
    out.push_str(")\n");
    if stream {
        out.push_str("for chunk in response:\n    print(chunk.text or \"\", end=\"\", flush=True)\nprint()\n");
    } else {
        out.push_str("print(response.text)\n");
    }
    out
}

/// The base URL in front of `/{version}/` in a method URL.
fn base_url_of(url: &str, version: &str) -> Option<String> {
    let marker = format!("/{version}/");
    url.find(&marker).map(|i| url[..i].to_string())
}

/// Drops a `key=` query parameter, in case one was ever recorded.
fn strip_key_param(url: &str) -> String {
    let Some((path, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with("key="))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn snake(k: &str) -> String {
    let mut out = String::new();
    for c in k.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The SDK's pydantic types take snake_case field names.
fn snake_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (snake(k), snake_keys(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(snake_keys).collect()),
        other => other.clone(),
    }
}

/// JSON rendered as a Python literal (True/False/None), indented by four spaces a level.
fn py_literal(v: &Value, level: usize) -> String {
    let pad = "    ".repeat(level + 1);
    let close = "    ".repeat(level);
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Array(a) => {
            let items: Vec<String> = a
                .iter()
                .map(|x| format!("{pad}{},", py_literal(x, level + 1)))
                .collect();
            format!("[\n{}\n{close}]", items.join("\n"))
        }
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, x)| {
                    format!(
                        "{pad}{}: {},",
                        serde_json::to_string(k).unwrap_or_default(),
                        py_literal(x, level + 1)
                    )
                })
                .collect();
            format!("{{\n{}\n{close}}}", items.join("\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gemini::exchange::{Operation, RecordedRequest};
    use serde_json::json;

    fn exchange() -> Exchange {
        Exchange {
            id: "1".into(),
            operation: Some(Operation::StreamGenerateContent),
            model: Some("gemini-2.5-flash".into()),
            request: RecordedRequest {
                method: "POST".into(),
                url: "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse".into(),
                headers: vec![
                    ("x-goog-api-key".into(), "AIza…Qz3k".into()),
                    ("content-type".into(), "application/json".into()),
                    ("x-trace".into(), "it's".into()),
                ],
                body: Some(json!({
                    "contents": [{"role": "user", "parts": [{"text": "Say \"hi\" for $5"}]}],
                    "generationConfig": {"temperature": 0.5, "maxOutputTokens": 64, "thinkingConfig": {"thinkingBudget": 0}},
                    "systemInstruction": {"parts": [{"text": "be brief"}]},
                    "safetySettings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}],
                })),
            },
            ..Exchange::default()
        }
    }

    #[test]
    fn curl_uses_the_env_var_and_never_the_recorded_key() {
        let c = curl_command(&exchange());
        assert!(c.contains("\"x-goog-api-key: $GEMINI_API_KEY\""), "{c}");
        assert!(!c.contains("AIza"), "{c}");
        assert!(
            c.starts_with("curl -sS -N -X POST 'https://generativelanguage"),
            "{c}"
        );
        assert!(c.contains("-H 'x-trace: it'\\''s'"), "{c}");
        assert!(c.contains("<<'JSON'\n{"), "{c}");
        assert!(c.contains("Say \\\"hi\\\" for $5"), "{c}");
        assert!(c.trim_end().ends_with("JSON"));
    }

    #[test]
    fn key_query_params_are_dropped() {
        assert_eq!(
            strip_key_param("http://x/v1/m?alt=sse&key=SECRET"),
            "http://x/v1/m?alt=sse"
        );
        assert_eq!(strip_key_param("http://x/v1/m?key=SECRET"), "http://x/v1/m");
    }

    #[test]
    fn python_snippet_maps_the_body_to_the_sdk() {
        let p = python_snippet(&exchange());
        assert!(p.contains("api_key=os.environ[\"GEMINI_API_KEY\"]"), "{p}");
        assert!(!p.contains("AIza"), "{p}");
        assert!(!p.contains("base_url"), "google is the SDK default: {p}");
        assert!(p.contains("client.models.generate_content_stream("), "{p}");
        assert!(p.contains("\"max_output_tokens\": 64"), "{p}");
        assert!(p.contains("\"thinking_config\": {"), "{p}");
        assert!(p.contains("\"system_instruction\": {"), "{p}");
        assert!(p.contains("\"safety_settings\": ["), "{p}");
        assert!(p.contains("api_version=\"v1beta\""), "{p}");
    }

    #[test]
    fn python_snippet_keeps_a_custom_base_url() {
        let mut ex = exchange();
        ex.request.url = "http://127.0.0.1:9/v1beta/models/m:streamGenerateContent?alt=sse".into();
        ex.operation = Some(Operation::GenerateContent);
        let p = python_snippet(&ex);
        assert!(p.contains("base_url=\"http://127.0.0.1:9\""), "{p}");
        assert!(p.contains("print(response.text)"), "{p}");
        assert!(p.contains("True") || !p.contains("true"));
    }
}
