//! How long `diagnose` takes per exchange (target: well under 1 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use gemini_doctor::guide::{Context, Lang, diagnose, read_input};
use std::hint::black_box;

const QUOTA_429: &str = r#"{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"},"quotaValue":"10"}]},{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}"#;

const NOT_FOUND_404: &str = r#"{"error":{"code":404,"message":"models/gemini-2.5-flsh is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}"#;

const THINKING: &str = r#"{"candidates":[{"content":{"role":"model"},"finishReason":"MAX_TOKENS","index":0}],"usageMetadata":{"promptTokenCount":12,"totalTokenCount":1036,"thoughtsTokenCount":1024},"modelVersion":"gemini-2.5-flash"}"#;

fn bench(c: &mut Criterion) {
    for (name, input) in [
        ("quota_429", QUOTA_429),
        ("not_found_404", NOT_FOUND_404),
        ("thinking_max_tokens", THINKING),
    ] {
        let ex = read_input(input).expect("fixture parses").exchange;
        let ctx = Context::new(Lang::En);
        c.bench_function(&format!("diagnose/{name}"), |b| {
            b.iter(|| diagnose(black_box(&ex), black_box(&ctx)))
        });
    }
    c.bench_function("read_input+diagnose/quota_429", |b| {
        b.iter(|| {
            let p = read_input(black_box(QUOTA_429)).unwrap();
            diagnose(&p.exchange, &Context::new(Lang::PtBr))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
