//! The SSE decoder never panics, and splitting the input anywhere gives the same items.
#![no_main]

use gemini_doctor::gemini::sse::{SseDecoder, decode_all};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let whole = decode_all(data);
    let cut = data.first().map_or(0, |b| *b as usize % (data.len() + 1));
    let mut d = SseDecoder::new();
    let mut out = Vec::new();
    d.push(&data[..cut], &mut out);
    d.push(&data[cut..], &mut out);
    d.finish(&mut out);
    assert_eq!(out, whole);
});
