//! Failures armed on demand: one-shot [`Fault`]s queued by the admin API or
//! [`super::SandboxControl`], consumed by the next request they apply to.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// A failure to produce on a coming request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer the next API request with this HTTP error (400, 403, 429, 500, 503, 504...).
    Status {
        /// HTTP status; the body is the real one for that status.
        code: u16,
    },
    /// Abort the next stream after `after_chunks` events with a bare in-stream error object.
    StreamError {
        /// HTTP status carried in the error object.
        code: u16,
        /// Events sent before the error.
        #[serde(default = "one")]
        after_chunks: usize,
    },
    /// Close the connection abruptly after `after_chunks` events (no stream terminator).
    Drop {
        /// Events sent before the connection drops.
        #[serde(default)]
        after_chunks: usize,
    },
    /// Send headers (and `after_chunks` events), then nothing until the client gives up.
    Stall {
        /// Events sent before stalling; 0 = headers then nothing.
        #[serde(default)]
        after_chunks: usize,
    },
    /// Send `after_chunks` good events, then an event with truncated JSON, then close.
    MalformedChunk {
        /// Good events sent first.
        #[serde(default = "one")]
        after_chunks: usize,
    },
    /// Answer like a broken proxy: HTTP 502 with an HTML page.
    Html502,
    /// HTTP 200, no candidates, `promptFeedback.blockReason`.
    BlockPrompt {
        /// `SAFETY`, `OTHER`, `BLOCKLIST`, `PROHIBITED_CONTENT`...
        reason: String,
    },
    /// HTTP 200 with the candidate ending on this finish reason
    /// (`SAFETY`, `RECITATION`, `BLOCKLIST`, `MALFORMED_FUNCTION_CALL`, `MAX_TOKENS`, `OTHER`...).
    FinishReason {
        /// The finish reason.
        reason: String,
    },
    /// HTTP 200 with `{"content":{"role":"model"},"finishReason":"STOP"}` (no parts).
    EmptyStop,
    /// HTTP 200, MAX_TOKENS, no parts: thinking used every output token.
    ThinkingEatsBudget,
}

fn one() -> usize {
    1
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Status { code } => {
                write!(f, "HTTP {code} {}", super::errors::status_name(*code))
            }
            Fault::StreamError { code, after_chunks } => {
                write!(
                    f,
                    "{code} error inside the stream after {after_chunks} event(s)"
                )
            }
            Fault::Drop { after_chunks } => {
                write!(f, "connection dropped after {after_chunks} event(s)")
            }
            Fault::Stall { after_chunks } => write!(f, "stall after {after_chunks} event(s)"),
            Fault::MalformedChunk { after_chunks } => {
                write!(f, "malformed event after {after_chunks} event(s)")
            }
            Fault::Html502 => f.write_str("HTML 502 page from a proxy"),
            Fault::BlockPrompt { reason } => write!(f, "prompt blocked ({reason})"),
            Fault::FinishReason { reason } => write!(f, "candidate ends with {reason}"),
            Fault::EmptyStop => f.write_str("empty STOP candidate"),
            Fault::ThinkingEatsBudget => f.write_str("thinking uses every output token"),
        }
    }
}

impl Fault {
    /// One of each kind, with typical parameters: a menu for the console.
    pub fn presets() -> Vec<Fault> {
        let r = |s: &str| s.to_string();
        vec![
            Fault::Status { code: 429 },
            Fault::Status { code: 500 },
            Fault::Status { code: 503 },
            Fault::Status { code: 504 },
            Fault::StreamError {
                code: 503,
                after_chunks: 1,
            },
            Fault::Drop { after_chunks: 1 },
            Fault::Stall { after_chunks: 0 },
            Fault::Stall { after_chunks: 1 },
            Fault::MalformedChunk { after_chunks: 1 },
            Fault::Html502,
            Fault::BlockPrompt {
                reason: r("SAFETY"),
            },
            Fault::BlockPrompt {
                reason: r("PROHIBITED_CONTENT"),
            },
            Fault::FinishReason {
                reason: r("SAFETY"),
            },
            Fault::FinishReason {
                reason: r("RECITATION"),
            },
            Fault::FinishReason {
                reason: r("MAX_TOKENS"),
            },
            Fault::FinishReason {
                reason: r("MALFORMED_FUNCTION_CALL"),
            },
            Fault::EmptyStop,
            Fault::ThinkingEatsBudget,
        ]
    }
}

/// Which operations a fault can apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// Any API request (list/get/generate/stream/count).
    Any,
    /// generateContent and streamGenerateContent.
    Generate,
    /// streamGenerateContent only.
    Stream,
}

impl Fault {
    /// Where this fault can fire.
    pub fn applies(&self) -> Applies {
        match self {
            Fault::Status { .. } | Fault::Html502 => Applies::Any,
            Fault::StreamError { .. } | Fault::MalformedChunk { .. } => Applies::Stream,
            Fault::Drop { .. }
            | Fault::Stall { .. }
            | Fault::BlockPrompt { .. }
            | Fault::FinishReason { .. }
            | Fault::EmptyStop
            | Fault::ThinkingEatsBudget => Applies::Generate,
        }
    }

    /// Whether the fault changes the 200 body rather than the transport or status.
    pub fn is_content(&self) -> bool {
        matches!(
            self,
            Fault::BlockPrompt { .. }
                | Fault::FinishReason { .. }
                | Fault::EmptyStop
                | Fault::ThinkingEatsBudget
        )
    }
}

/// The queue of armed one-shot faults.
#[derive(Debug, Default)]
pub struct FaultQueue {
    armed: VecDeque<Fault>,
}

impl FaultQueue {
    /// Arms a fault behind the ones already armed.
    pub fn arm(&mut self, f: Fault) {
        self.armed.push_back(f);
    }

    /// Removes every armed fault.
    pub fn clear(&mut self) {
        self.armed.clear();
    }

    /// The armed faults, oldest first.
    pub fn list(&self) -> Vec<Fault> {
        self.armed.iter().cloned().collect()
    }

    /// Takes the oldest fault applicable to a request; `generate`/`stream` describe it.
    pub fn take(&mut self, generate: bool, stream: bool) -> Option<Fault> {
        self.take_matching(|f| match f.applies() {
            Applies::Any => true,
            Applies::Generate => generate,
            Applies::Stream => stream,
        })
    }

    /// Takes the oldest fault satisfying `pred`.
    pub fn take_matching(&mut self, pred: impl Fn(&Fault) -> bool) -> Option<Fault> {
        let pos = self.armed.iter().position(pred)?;
        self.armed.remove(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_fire_only_where_they_apply() {
        let mut q = FaultQueue::default();
        q.arm(Fault::Drop { after_chunks: 2 });
        q.arm(Fault::Status { code: 503 });
        // A models.list call skips the stream fault and takes the status fault.
        assert_eq!(q.take(false, false), Some(Fault::Status { code: 503 }));
        assert_eq!(q.take(false, false), None);
        assert_eq!(q.take(true, true), Some(Fault::Drop { after_chunks: 2 }));
    }

    #[test]
    fn presets_have_distinct_labels() {
        let labels: Vec<String> = Fault::presets().iter().map(Fault::to_string).collect();
        let mut dedup = labels.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), labels.len());
        assert_eq!(labels[0], "HTTP 429 RESOURCE_EXHAUSTED");
    }

    #[test]
    fn faults_parse_from_json() {
        let f: Fault = serde_json::from_str(r#"{"kind":"stream_error","code":503}"#).unwrap();
        assert_eq!(
            f,
            Fault::StreamError {
                code: 503,
                after_chunks: 1
            }
        );
        let f: Fault = serde_json::from_str(r#"{"kind":"html502"}"#).unwrap();
        assert_eq!(f, Fault::Html502);
    }
}
