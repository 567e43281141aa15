//! SSE parsing throughput, and building an Exchange from a 1 MB streamed response
//! served over loopback (client, decoder, merge and record, end to end).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gemini_doctor::gemini::client::{CallSpec, ClientConfig, GeminiClient};
use gemini_doctor::gemini::exchange::Outcome;
use gemini_doctor::gemini::key::ApiKey;
use gemini_doctor::gemini::sse::{SseDecoder, decode_all};
use gemini_doctor::gemini::wire::{ApiVersion, GenerateContentRequest};
use std::hint::black_box;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

/// About `target` bytes of real-shaped SSE events, ~170 bytes of text each.
fn sse_body(target: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(target + 1024);
    let mut i = 0u64;
    while out.len() < target {
        let text = format!("word{i} ").repeat(20);
        let json = format!(
            "{{\"candidates\": [{{\"content\": {{\"parts\": [{{\"text\": \"{text}\"}}],\"role\": \"model\"}},\"index\": 0}}],\"usageMetadata\": {{\"promptTokenCount\": 9,\"candidatesTokenCount\": {i},\"totalTokenCount\": {}}},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"bench\"}}",
            i + 9
        );
        out.extend_from_slice(format!("data: {json}\r\n\r\n").as_bytes());
        i += 1;
    }
    let last = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \".\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}]}";
    out.extend_from_slice(format!("data: {last}\r\n\r\n").as_bytes());
    out
}

fn sse_parse(c: &mut Criterion) {
    let body = sse_body(1 << 20);
    let mut g = c.benchmark_group("sse_parse");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("whole_1MiB", |b| {
        b.iter(|| black_box(decode_all(black_box(&body))).len())
    });
    g.bench_function("tcp_sized_reads_1MiB", |b| {
        b.iter(|| {
            let mut d = SseDecoder::new();
            let mut out = Vec::new();
            for piece in body.chunks(1448) {
                d.push(piece, &mut out);
            }
            d.finish(&mut out);
            black_box(out.len())
        })
    });
    g.finish();
}

fn exchange_from_1mb_stream(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let body = sse_body(1 << 20);
    let addr = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let (head, body) = (head.clone(), body.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    loop {
                        // One request per connection iteration: read until the body of the POST is in.
                        let mut req = Vec::new();
                        loop {
                            let Ok(n) = sock.read(&mut buf).await else {
                                return;
                            };
                            if n == 0 {
                                return;
                            }
                            req.extend_from_slice(&buf[..n]);
                            if let Some(i) = req.windows(4).position(|w| w == b"\r\n\r\n") {
                                let text = String::from_utf8_lossy(&req[..i]).to_ascii_lowercase();
                                let len: usize = text
                                    .lines()
                                    .find_map(|l| {
                                        l.strip_prefix("content-length:")
                                            .map(|v| v.trim().parse().unwrap_or(0))
                                    })
                                    .unwrap_or(0);
                                if req.len() >= i + 4 + len {
                                    break;
                                }
                            }
                        }
                        if sock.write_all(head.as_bytes()).await.is_err()
                            || sock.write_all(&body).await.is_err()
                        {
                            return;
                        }
                    }
                });
            }
        });
        addr
    });
    let client = GeminiClient::new(ClientConfig {
        base_url: format!("http://{addr}"),
        api_key: ApiKey::new("bench-key-0000000000"),
        backend: "custom".into(),
        max_body_bytes: 64 << 20,
    })
    .unwrap();
    let spec = CallSpec {
        model: "gemini-2.5-flash".into(),
        api_version: ApiVersion::V1Beta,
        stream: true,
        request: GenerateContentRequest::from_prompt("bench"),
        timeout: Duration::from_secs(30),
    };
    let mut g = c.benchmark_group("exchange");
    g.throughput(Throughput::Bytes(1 << 20));
    g.sample_size(20);
    g.bench_function("stream_1MiB_loopback", |b| {
        b.iter(|| {
            let ex = rt.block_on(client.generate(&spec, &CancellationToken::new(), &mut |_| {}));
            assert_eq!(ex.outcome, Outcome::Success);
            black_box(ex.events.len())
        })
    });
    g.finish();
}

criterion_group!(benches, sse_parse, exchange_from_1mb_stream);
criterion_main!(benches);
