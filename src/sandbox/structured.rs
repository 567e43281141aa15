//! Structured output: when a request asks for `application/json` (or `text/x.enum`), the
//! simulated reply is a value that fits `responseSchema` / `responseJsonSchema`, so client
//! code that parses the reply keeps working against the sandbox.

use serde_json::{Map, Value, json};

const MAX_DEPTH: usize = 8;

/// The reply text for a structured-output request, or `None` for plain text.
pub fn reply(
    mime: Option<&str>,
    schema: Option<&Value>,
    json_schema: Option<&Value>,
    excerpt: &str,
) -> Option<String> {
    let schema = schema.or(json_schema);
    match mime? {
        "application/json" => Some(match schema {
            Some(s) => value_for(s, "reply", excerpt, 0).to_string(),
            None => json!({"sandbox": true, "reply": format!("[sandbox] {excerpt}")}).to_string(),
        }),
        "text/x.enum" => schema
            .and_then(|s| s.get("enum"))
            .and_then(|e| e.get(0))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

/// The schema's type name in upper case; JSON Schema type lists take their first non-null.
fn type_of(s: &Value) -> String {
    match s.get("type") {
        Some(Value::String(t)) => t.to_ascii_uppercase(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| !t.eq_ignore_ascii_case("null"))
            .unwrap_or("null")
            .to_ascii_uppercase(),
        _ if s.get("properties").is_some() => "OBJECT".into(),
        _ if s.get("items").is_some() => "ARRAY".into(),
        _ => "STRING".into(),
    }
}

fn value_for(s: &Value, name: &str, excerpt: &str, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(first) = s.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    if let Some(alt) = ["anyOf", "any_of", "oneOf"]
        .iter()
        .find_map(|k| s.get(*k).and_then(|a| a.get(0)))
    {
        return value_for(alt, name, excerpt, depth + 1);
    }
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    match type_of(s).as_str() {
        "OBJECT" => {
            let mut out = Map::new();
            if let Some(props) = s.get("properties").and_then(Value::as_object) {
                let order: Vec<String> = s
                    .get("propertyOrdering")
                    .and_then(Value::as_array)
                    .map(|o| {
                        o.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_else(|| props.keys().cloned().collect());
                for k in order {
                    if let Some(p) = props.get(&k) {
                        out.insert(k.clone(), value_for(p, &k, excerpt, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        "ARRAY" => {
            let n = s
                .get("minItems")
                .or_else(|| s.get("min_items"))
                .and_then(|v| v.as_str().and_then(|t| t.parse().ok()).or(v.as_u64()))
                .unwrap_or(1)
                .clamp(1, 3);
            let item = s.get("items").cloned().unwrap_or(json!({"type": "STRING"}));
            Value::Array(
                (0..n)
                    .map(|_| value_for(&item, name, excerpt, depth + 1))
                    .collect(),
            )
        }
        "INTEGER" => json!(num("minimum").map(|m| m.ceil() as i64).unwrap_or(0)),
        "NUMBER" => json!(num("minimum").unwrap_or(0.0)),
        "BOOLEAN" => json!(true),
        "NULL" => Value::Null,
        _ => json!(format!("[sandbox] {name}: {excerpt}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_replies_fit_the_schema() {
        let schema = json!({"type": "OBJECT", "properties": {
            "title": {"type": "STRING"}, "count": {"type": "INTEGER", "minimum": 2},
            "tags": {"type": "ARRAY", "items": {"type": "STRING", "enum": ["a", "b"]}},
            "ok": {"type": "BOOLEAN"}}, "propertyOrdering": ["count", "title", "tags", "ok"]});
        let text = reply(Some("application/json"), Some(&schema), None, "hi").unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["count"], 2);
        assert_eq!(v["tags"], json!(["a"]));
        assert!(v["title"].as_str().unwrap().starts_with("[sandbox] "));
        assert!(text.starts_with("{\"count\""));
        let js = json!({"type": "object", "properties": {"x": {"type": ["null", "number"]}}});
        assert_eq!(
            reply(Some("application/json"), None, Some(&js), "").unwrap(),
            r#"{"x":0.0}"#
        );
        let e = json!({"type": "STRING", "enum": ["POSITIVE", "NEGATIVE"]});
        assert_eq!(
            reply(Some("text/x.enum"), Some(&e), None, "").as_deref(),
            Some("POSITIVE")
        );
        assert_eq!(reply(Some("text/plain"), None, None, "x"), None);
        let free: Value =
            serde_json::from_str(&reply(Some("application/json"), None, None, "q").unwrap())
                .unwrap();
        assert_eq!(free["sandbox"], true);
    }
}
