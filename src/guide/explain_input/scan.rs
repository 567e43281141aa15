//! Low-level text scanning: balanced brackets, Python reprs, embedded error objects.
//! Everything here works on arbitrary input and never panics.

use serde_json::Value;

/// The balanced `{…}` or `[…]` starting at byte `start`, aware of both quote styles.
pub fn balanced(text: &str, start: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let open = *bytes.get(start)?;
    if open != b'{' && open != b'[' {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return text.get(start..=i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Converts a Python literal (dict repr: single quotes, True/False/None) to JSON text.
pub fn py_to_json(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 16);
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push('"');
                let mut escaped = false;
                for d in chars.by_ref() {
                    if escaped {
                        escaped = false;
                        match d {
                            '\'' => out.push('\''),
                            '"' => out.push_str("\\\""),
                            'x' => out.push_str("\\u00"),
                            other => {
                                out.push('\\');
                                out.push(other);
                            }
                        }
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    } else if d == '"' {
                        out.push_str("\\\"");
                    } else if d == '\n' {
                        out.push_str("\\n");
                    } else {
                        out.push(d);
                    }
                }
                out.push('"');
            }
            c if c.is_ascii_alphabetic() => {
                let mut word = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        word.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push_str(match word.as_str() {
                    "True" => "true",
                    "False" => "false",
                    "None" => "null",
                    w => w,
                });
            }
            other => out.push(other),
        }
    }
    out
}

/// Parses JSON, falling back to a Python repr.
pub fn parse_lenient(s: &str) -> Option<Value> {
    serde_json::from_str(s)
        .ok()
        .or_else(|| serde_json::from_str(&py_to_json(s)).ok())
}

/// The first object (or one-element array) in `text` whose first key is `error`,
/// in JSON or Python syntax. Looks at a bounded number of candidates.
pub fn find_error_object(text: &str) -> Option<(Value, usize)> {
    let mut tried = 0;
    for (i, c) in text.char_indices() {
        if c != '{' && c != '[' {
            continue;
        }
        let after = text[i + 1..].trim_start();
        let looks = after.starts_with("\"error\"")
            || after.starts_with("'error'")
            || after.starts_with("\\\"error\\\"")
            || (c == '['
                && after.starts_with('{')
                && after[1..].trim_start().starts_with("\"error\""));
        if !looks {
            continue;
        }
        tried += 1;
        if tried > 32 {
            return None;
        }
        if let Some(v) = balanced(text, i).and_then(parse_lenient) {
            return Some((v, i));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_respects_strings() {
        let t = r#"x {"a": "}{", "b": [1, {"c": 2}]} tail"#;
        assert_eq!(balanced(t, 2), Some(r#"{"a": "}{", "b": [1, {"c": 2}]}"#));
        assert_eq!(balanced("{ unclosed", 0), None);
        assert_eq!(balanced("}", 0), None);
    }

    #[test]
    fn python_reprs_become_json() {
        let py = r#"{'error': {'code': 429, 'message': "It's \"busy\"", 'ok': True, 'x': None, 'l': [False]}}"#;
        let v: Value = serde_json::from_str(&py_to_json(py)).unwrap();
        assert_eq!(v["error"]["code"], 429);
        assert_eq!(v["error"]["message"], "It's \"busy\"");
        assert_eq!(v["error"]["ok"], true);
        assert!(v["error"]["x"].is_null());
    }
}
