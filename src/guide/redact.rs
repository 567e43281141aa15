//! Removes API keys from any text we print: some server messages quote the key
//! (`Consumer 'api_key:AIza…' has been suspended`).

use crate::gemini::key::mask;

/// Replaces anything that looks like an API key with its masked form.
pub fn redact(text: &str) -> String {
    if !text.contains("AIza") && !text.contains("AQ.") && !text.contains("api_key:") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = find_key_start(rest) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let (prefix_len, min_len) = if tail.starts_with("api_key:") {
            ("api_key:".len(), 1)
        } else {
            (0, 20)
        };
        let body = &tail[prefix_len..];
        let len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .unwrap_or(body.len());
        if len >= min_len {
            out.push_str(&tail[..prefix_len]);
            out.push_str(&mask(&body[..len]));
            rest = &body[len..];
        } else {
            out.push_str(&tail[..prefix_len.max(1)]);
            rest = &tail[prefix_len.max(1)..];
        }
    }
    out.push_str(rest);
    out
}

fn find_key_start(s: &str) -> Option<usize> {
    ["AIza", "AQ.", "api_key:"]
        .iter()
        .filter_map(|p| s.find(p))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_messages_are_masked() {
        let m = "Permission denied: Consumer 'api_key:AIzaSyD-abcdefghijklmnopqrstuvwxyz01234' has been suspended.";
        let r = redact(m);
        assert!(!r.contains("abcdefghij"), "{r}");
        assert!(r.contains("api_key:AIza…1234"), "{r}");
        assert_eq!(redact("no key here"), "no key here");
        assert_eq!(redact("AIza short"), "AIza short");
    }
}
