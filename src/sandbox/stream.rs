//! Response bodies written piece by piece: stream events, pauses that force separate
//! TCP writes, abrupt drops and stalls.

use super::Shared;
use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use bytes::Bytes;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// One step of a body.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Bytes to write (flushed as one chunk).
    Data(String),
    /// Wait before the next piece, in milliseconds.
    Pause(u64),
    /// Abort the connection (no chunked terminator).
    Fail,
    /// Send nothing more until the client leaves, the server stops, or the stall cap passes.
    Stall,
}

/// `application/json; charset=UTF-8`.
pub const JSON: &str = "application/json; charset=UTF-8";
/// `text/event-stream`.
pub const SSE: &str = "text/event-stream";

/// A complete, fixed body.
pub fn fixed(status: u16, content_type: &str, body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).expect("valid content type"),
    );
    r
}

/// HTTP 200 whose body is produced from `pieces` by a background task.
pub fn piecewise(shared: &Arc<Shared>, content_type: &str, pieces: Vec<Piece>) -> Response<Body> {
    let (tx, mut rx) = mpsc::channel::<Result<Bytes, io::Error>>(4);
    let mut shutdown = shared.shutdown.clone();
    let stall_max = Duration::from_secs(shared.config().stream.stall_max_secs);
    tokio::spawn(async move {
        for p in pieces {
            match p {
                Piece::Data(s) => {
                    if tx.send(Ok(Bytes::from(s))).await.is_err() {
                        return; // Client gone.
                    }
                }
                Piece::Pause(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                Piece::Fail => {
                    let _ = tx
                        .send(Err(io::Error::other("sandbox: connection dropped")))
                        .await;
                    return;
                }
                Piece::Stall => {
                    tokio::select! {
                        _ = tx.closed() => {}
                        _ = shutdown.wait_for(|s| *s) => {}
                        _ = tokio::time::sleep(stall_max) => {}
                    }
                    return;
                }
            }
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).expect("valid content type"),
    );
    r
}

/// The page a misbehaving reverse proxy answers with.
pub fn html_502() -> Response<Body> {
    fixed(
        502,
        "text/html; charset=UTF-8",
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n".into(),
    )
}
