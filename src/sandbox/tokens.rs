//! The sandbox's token approximation, shared by `countTokens` and `usageMetadata`.
//!
//! Text: ceil(chars / 4) per non-empty text part (at least 1). Inline data and file
//! references: a flat 258 tokens each (the published per-image cost). Function calls and
//! responses: their compact JSON counted as text. Real tokenizers differ; this only has
//! to be stable and roughly proportional.

use crate::gemini::wire::{Content, Part};

/// Flat cost of one image/file part.
pub const MEDIA_PART_TOKENS: u64 = 258;

/// Tokens of a text.
pub fn text_tokens(text: &str) -> u64 {
    let chars = text.chars().count() as u64;
    if chars == 0 { 0 } else { chars.div_ceil(4) }
}

/// Tokens of one part.
pub fn part_tokens(p: &Part) -> u64 {
    let mut n = p.text.as_deref().map(text_tokens).unwrap_or(0);
    if p.inline_data.is_some() || p.file_data.is_some() {
        n += MEDIA_PART_TOKENS;
    }
    if let Some(fc) = &p.function_call {
        n += text_tokens(&serde_json::to_string(fc).unwrap_or_default());
    }
    if let Some(fr) = &p.function_response {
        n += text_tokens(&fr.to_string());
    }
    n
}

/// Tokens of a list of contents.
pub fn contents_tokens(contents: &[Content]) -> u64 {
    contents
        .iter()
        .flat_map(|c| c.parts.iter())
        .map(part_tokens)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximation_is_ceil_chars_over_four() {
        assert_eq!(text_tokens(""), 0);
        assert_eq!(text_tokens("a"), 1);
        assert_eq!(text_tokens("abcd"), 1);
        assert_eq!(text_tokens("abcde"), 2);
        assert_eq!(text_tokens("ééééé"), 2, "chars, not bytes");
        let c = vec![Content::user_text("hello world"), Content::user_text("hi")];
        assert_eq!(contents_tokens(&c), 3 + 1);
    }
}
