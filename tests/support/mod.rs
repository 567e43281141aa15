//! A scripted HTTP/1.1 server on 127.0.0.1 for fault tests: each accepted connection
//! plays one script of raw writes, hangs, resets and closes, and reports the request it read.
#![allow(dead_code)]

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// One step of a connection script.
#[derive(Debug, Clone)]
pub enum Step {
    /// Write these bytes and flush (a separate TCP write).
    Send(Vec<u8>),
    /// Keep the connection open until the client goes away.
    Hang,
    /// Abort with a TCP reset.
    Reset,
    /// Close gracefully.
    Close,
    /// Write these bytes one at a time, pausing between them (a dripping server).
    Drip(Vec<u8>, std::time::Duration),
}

/// The request a connection received.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    /// Request line, e.g. `POST /v1beta/models/m:generateContent HTTP/1.1`.
    pub request_line: String,
    /// Header lines, lower-cased names.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Captured {
    /// First header with this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A running script server.
pub struct ScriptServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Requests, in order of arrival.
    pub requests: mpsc::UnboundedReceiver<Captured>,
}

impl ScriptServer {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Serves one script per connection, in order; further connections get a reset.
pub async fn serve(scripts: Vec<Vec<Step>>) -> ScriptServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut scripts = scripts.into_iter();
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let script = scripts.next().unwrap_or_else(|| vec![Step::Reset]);
            let tx = tx.clone();
            tokio::spawn(async move { play(sock, script, tx).await });
        }
    });
    ScriptServer { addr, requests: rx }
}

async fn play(mut sock: TcpStream, script: Vec<Step>, tx: mpsc::UnboundedSender<Captured>) {
    let captured = read_request(&mut sock).await;
    let _ = tx.send(captured);
    for step in script {
        match step {
            Step::Send(bytes) => {
                if sock.write_all(&bytes).await.is_err() || sock.flush().await.is_err() {
                    return;
                }
            }
            Step::Hang => {
                let mut buf = [0u8; 64];
                // Returns when the client closes its side.
                while let Ok(n) = sock.read(&mut buf).await {
                    if n == 0 {
                        return;
                    }
                }
                return;
            }
            Step::Reset => {
                let _ = sock.set_zero_linger();
                drop(sock);
                return;
            }
            Step::Drip(bytes, pause) => {
                for b in bytes {
                    if sock.write_all(&[b]).await.is_err() || sock.flush().await.is_err() {
                        return;
                    }
                    tokio::time::sleep(pause).await;
                }
            }
            Step::Close => {
                let _ = sock.shutdown().await;
                // Drain until the client closes: closing with unread bytes would send a reset.
                let mut buf = [0u8; 256];
                while let Ok(n) = sock.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                }
                return;
            }
        }
    }
}

async fn read_request(sock: &mut TcpStream) -> Captured {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        // A TLS ClientHello (record type 0x16) is not HTTP: answer it as a plain server would.
        if buf.first() == Some(&0x16) {
            return Captured {
                request_line: "<tls handshake>".into(),
                ..Default::default()
            };
        }
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return Captured::default(),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    Captured {
        request_line,
        headers,
        body,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A complete HTTP/1.1 response with a Content-Length body.
pub fn response(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Response head for a chunked body.
pub fn chunked_head(status: &str, content_type: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
    )
    .into_bytes()
}

/// One HTTP chunk.
pub fn chunk(data: &str) -> Vec<u8> {
    format!("{:x}\r\n{data}\r\n", data.len()).into_bytes()
}

/// The terminating chunk.
pub fn last_chunk() -> Vec<u8> {
    b"0\r\n\r\n".to_vec()
}

/// One SSE event as the real service frames it.
pub fn sse_event(json: &str) -> String {
    format!("data: {json}\r\n\r\n")
}

/// A stream chunk carrying `text`, optional finish reason, cumulative usage.
pub fn text_chunk(text: &str, finish: Option<&str>, total: u64) -> String {
    let finish = finish
        .map(|f| format!(",\"finishReason\": \"{f}\""))
        .unwrap_or_default();
    format!(
        "{{\"candidates\": [{{\"content\": {{\"parts\": [{{\"text\": {}}}],\"role\": \"model\"}}{finish},\"index\": 0}}],\"usageMetadata\": {{\"promptTokenCount\": 3,\"candidatesTokenCount\": {total},\"totalTokenCount\": {}}},\"modelVersion\": \"gemini-2.5-flash\"}}",
        serde_json::to_string(text).unwrap(),
        total + 3
    )
}
pub mod tmux;

/// A resolver that always fails, so DNS-failure tests send no query anywhere.
pub struct NoSuchHost;

impl reqwest::dns::Resolve for NoSuchHost {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let msg = format!(
            "failed to lookup address information: Name or service not known ({})",
            name.as_str()
        );
        Box::pin(async move { Err(msg.into()) })
    }
}

/// Every file below `dir`, recursively (for scanning what the program wrote).
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}
