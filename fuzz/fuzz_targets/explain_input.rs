//! `explain`'s input reader never panics, and what it recognises can be diagnosed.
#![no_main]

use gemini_doctor::guide::{Context, diagnose, read_input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(parsed) = read_input(&text) {
        let _ = diagnose(&parsed.exchange, &Context::default());
    }
});
