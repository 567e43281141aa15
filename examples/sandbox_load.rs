//! Load test of the embedded sandbox: N requests over C concurrent keep-alive
//! connections on loopback (default 10 000 × 64), 80 % generateContent and 20 %
//! streamGenerateContent?alt=sse. Prints start-up time, throughput, latency
//! percentiles, and fails if any request did not complete with HTTP 200.
//!
//! `cargo run --release --example sandbox_load -- [REQUESTS] [CONNECTIONS]`

use gemini_doctor::sandbox::{self, SandboxConfig, StartOptions};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let total: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let conns: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    let _ = rustls::crypto::ring::default_provider().install_default();

    let mut cfg = SandboxConfig::default();
    cfg.limits.enabled = false;
    let t0 = Instant::now();
    let handle = sandbox::start_with(
        cfg,
        "127.0.0.1:0".parse().unwrap(),
        StartOptions {
            log: None,
            ..Default::default()
        },
    )
    .await
    .expect("start");
    let started = t0.elapsed();
    let base = handle.base_url();

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(conns)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let first = client
        .get(format!("{base}/__sandbox/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(first.status(), 200);
    let ready = t0.elapsed();

    let next = Arc::new(AtomicUsize::new(0));
    let t1 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (client, base, next) = (client.clone(), base.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut bad = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let stream = i % 5 == 4;
                let url = if stream {
                    format!("{base}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
                } else {
                    format!("{base}/v1beta/models/gemini-2.0-flash:generateContent")
                };
                let body =
                    format!(r#"{{"contents":[{{"parts":[{{"text":"load request {i}"}}]}}]}}"#);
                let t = Instant::now();
                let ok = match client
                    .post(url)
                    .header("x-goog-api-key", "load-test-key")
                    .body(body)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == 200 => match r.text().await {
                        Ok(text) => text.contains("[sandbox] "),
                        Err(_) => false,
                    },
                    _ => false,
                };
                lat.push(t.elapsed());
                if !ok {
                    bad += 1;
                }
            }
            (lat, bad)
        }));
    }
    let mut lat = Vec::with_capacity(total);
    let mut bad = 0;
    for t in tasks {
        let (l, b) = t.await.unwrap();
        lat.extend(l);
        bad += b;
    }
    let wall = t1.elapsed();
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "sandbox start (bound): {:.2} ms; first answer: {:.2} ms",
        ms(started),
        ms(ready)
    );
    println!(
        "requests: {}  connections: {}  wall: {:.2} s  throughput: {:.0} req/s",
        lat.len(),
        conns,
        wall.as_secs_f64(),
        lat.len() as f64 / wall.as_secs_f64()
    );
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(*lat.last().unwrap())
    );
    println!("failed or dropped: {bad}");
    handle.shutdown().await;
    if bad > 0 || lat.len() != total {
        std::process::exit(1);
    }
}
