//! Optional per-request log lines. The standalone server prints them on stderr; the
//! console passes its own sink (or none) because it must not write to the terminal.

use std::sync::Arc;

/// One served request. Never contains the API key (the `key` query parameter is stripped).
#[derive(Debug, Clone, PartialEq)]
pub struct RequestLog {
    /// HTTP method.
    pub method: String,
    /// Path and query, key removed.
    pub path: String,
    /// HTTP status sent.
    pub status: u16,
    /// What the sandbox did beyond the normal answer (fault, limit...), if anything.
    pub note: String,
}

impl std::fmt::Display for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sandbox: {} {} -> {}",
            self.method, self.path, self.status
        )?;
        if !self.note.is_empty() {
            write!(f, " ({})", self.note)?;
        }
        Ok(())
    }
}

/// Where log lines go.
pub type LogSink = Arc<dyn Fn(&RequestLog) + Send + Sync>;

/// A sink printing each line on stderr.
pub fn stderr_sink() -> LogSink {
    Arc::new(|l: &RequestLog| eprintln!("{l}"))
}
