//! `read_input` (and `diagnose` after it) never panics, whatever is pasted.

use gemini_doctor::guide::{Context, diagnose, read_input};
use proptest::prelude::*;

fn check(s: &str) {
    if let Ok(p) = read_input(s) {
        let ctx = Context {
            sdk_error: p.sdk_error.as_deref(),
            ..Default::default()
        };
        let _ = diagnose(&p.exchange, &ctx);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        check(&s);
    }

    #[test]
    fn strings_made_of_markers(parts in prop::collection::vec(prop::sample::select(vec![
        "{", "}", "[", "]", "\"", "'", "\\", "\"error\"", "'error'", ": ", "429", "RESOURCE_EXHAUSTED",
        "got status: ", "[API Error: ", "HTTP/1.1 500 X\r\n", "\r\n\r\n", "data: ", "ClientError: ",
        "google.api_core.exceptions.", "[GoogleGenerativeAI Error]", "Error fetching from ", ": [",
        "models/", "Unknown name \"", "retry in ", "limit: 0", "FinishReason.", "blocked due to ",
        "<html><title>", "é", "\u{feff}", "(Status: ", "{\"code\":", "\"message\":",
    ]), 0..40)) {
        check(&parts.concat());
    }

    #[test]
    fn truncated_corpus_files(cut in 0usize..4000, idx in 0usize..40) {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/explain"));
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let text = std::fs::read_to_string(&files[idx % files.len()]).unwrap();
        let mut end = cut.min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        check(&text[..end]);
    }
}
