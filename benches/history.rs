//! Loading a history of 100k exchanges (summaries only; bodies stay on disk).

use criterion::{Criterion, criterion_group, criterion_main};
use gemini_doctor::gemini::exchange::{Exchange, Outcome, RecordedRequest, StreamEvent, Timings};
use gemini_doctor::store::history::History;
use std::hint::black_box;

/// A realistic streamed exchange of about 3 KB.
fn sample(i: usize) -> Exchange {
    let events = (0..6)
        .map(|k| StreamEvent {
            at_ms: 100.0 + k as f64 * 40.0,
            data: format!("{{\"candidates\": [{{\"content\": {{\"parts\": [{{\"text\": \"chunk {k} of reply {i} with some words\"}}],\"role\": \"model\"}},\"index\": 0}}],\"usageMetadata\": {{\"promptTokenCount\": 12,\"candidatesTokenCount\": {k},\"totalTokenCount\": 40}}}}"),
            raw: false,
        })
        .collect();
    Exchange {
        id: format!("{i:013}-00001-0000"),
        started_at: "2026-12-04T10:00:00.000Z".into(),
        backend: "sandbox".into(),
        model: Some("gemini-2.5-flash".into()),
        request: RecordedRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:1/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
                .into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(
                serde_json::json!({"contents": [{"role": "user", "parts": [{"text": format!("prompt number {i}")}]}], "generationConfig": {"temperature": 0.7}}),
            ),
        },
        timings: Timings {
            headers_ms: Some(80.0),
            first_byte_ms: Some(95.0),
            total_ms: Some(400.0),
        },
        events,
        outcome: if i.is_multiple_of(7) {
            Outcome::Cancelled
        } else {
            Outcome::Success
        },
        ..Default::default()
    }
}

fn load_100k(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let history = History::new(dir.path().join("history.jsonl"), u64::MAX);
    for i in 0..100_000 {
        history.append(&sample(i)).unwrap();
    }
    let size = std::fs::metadata(history.path()).unwrap().len();
    eprintln!("history file: {} MiB for 100k entries", size >> 20);
    let mut g = c.benchmark_group("history");
    g.sample_size(10);
    g.bench_function("load_100k", |b| {
        b.iter(|| {
            let l = history.load().unwrap();
            assert_eq!(l.entries.len(), 100_000);
            black_box(l.entries.len())
        })
    });
    let loaded = history.load().unwrap();
    g.bench_function("read_one_full_entry", |b| {
        b.iter(|| {
            black_box(
                history
                    .read(loaded.entries[50_000].location)
                    .unwrap()
                    .events
                    .len(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, load_100k);
criterion_main!(benches);
