//! Error-body classification never panics, and a parsed envelope renders back to JSON
//! that parses to the same error.
#![no_main]

use gemini_doctor::gemini::api_error::{ErrorBodyKind, classify_error_body};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let ErrorBodyKind::Envelope { error, .. } = classify_error_body(Some("application/json"), data) {
        let again = classify_error_body(None, error.to_wire_pretty().as_bytes());
        match again {
            ErrorBodyKind::Envelope { error: e2, .. } => assert_eq!(e2.code, error.code),
            other => panic!("re-rendered envelope classified as {other:?}"),
        }
    }
});
