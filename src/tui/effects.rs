//! Side effects the app asks for, and the runner that performs them in background tasks.
//! Tasks never touch UI state: they report back with a [`Msg`] on the one queue.

use crate::gemini::client::{CallSpec, GeminiClient};
use crate::gemini::exchange::Exchange;
use crate::gemini::wire::ApiVersion;
use crate::sandbox::{Fault, LimitsConfig, SandboxControl};
use crate::store::history::{History, Location};
use crate::tui::msg::Msg;
use crate::tui::panes::faults::FaultChoice;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

/// Something `App::update` wants done outside the pure state.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Start a generate call numbered `req`.
    Send {
        /// App-local request number.
        req: u64,
        /// The call.
        spec: Box<CallSpec>,
    },
    /// Cancel request `req`.
    Cancel(u64),
    /// Count the tokens of a draft (a newer count cancels an older one).
    CountTokens(Box<CallSpec>),
    /// Fetch the model list.
    ListModels(ApiVersion),
    /// Load history summaries.
    LoadHistory,
    /// Read one full exchange from history.
    LoadExchange {
        /// Its id.
        id: String,
        /// Where it lives.
        location: Location,
    },
    /// Append a finished exchange to history.
    AppendHistory(Box<Exchange>),
    /// Write files `<stem>.<ext>` into the export directory.
    Export {
        /// File name without extension.
        stem: String,
        /// (extension, contents).
        files: Vec<(String, String)>,
    },
    /// Put text on the clipboard (OSC 52).
    Clipboard(String),
    /// Arm a sandbox fault.
    ArmFault(FaultChoice),
}

/// Performs effects.
pub trait EffectRunner {
    /// Starts the effect; must not block on network or disk.
    fn run(&mut self, effect: Effect);
}

/// The production runner: tokio tasks and a terminal writer for OSC 52.
pub struct TaskRunner {
    client: Option<GeminiClient>,
    history: Option<History>,
    export_dir: PathBuf,
    tx: UnboundedSender<Msg>,
    tokens: HashMap<u64, CancellationToken>,
    offline: String,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    counting: Option<CancellationToken>,
    sandbox: Option<SandboxControl>,
}

impl TaskRunner {
    /// A runner; without a client, sends report the connection error instead.
    pub fn new(
        client: Option<GeminiClient>,
        history: Option<History>,
        export_dir: PathBuf,
        tx: UnboundedSender<Msg>,
    ) -> Self {
        TaskRunner {
            client,
            history,
            export_dir,
            tx,
            tokens: HashMap::new(),
            offline: "no backend".into(),
            tasks: Vec::new(),
            counting: None,
            sandbox: None,
        }
    }

    /// Connects the fault menu to the embedded sandbox.
    pub fn with_sandbox(mut self, control: Option<SandboxControl>) -> Self {
        self.sandbox = control;
        self
    }

    /// Why there is no client, for the messages sends and listings answer with.
    pub fn offline_reason(mut self, reason: String) -> Self {
        self.offline = reason;
        self
    }

    /// Spawns a task whose panic is reported as `Msg::Fatal`, so the loop stops instead of
    /// drawing on a terminal the panic hook has already restored.
    fn spawn<F>(&mut self, fut: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let tx = self.tx.clone();
        let handle = tokio::spawn(fut);
        self.tasks.retain(|t| !t.is_finished());
        self.tasks.push(tokio::spawn(async move {
            if let Err(e) = handle.await
                && e.is_panic()
            {
                let _ = tx.send(Msg::Fatal("a background task panicked".into()));
            }
        }));
    }

    /// On the way out: cancels running sends and waits (up to `limit`) for the rest, so a
    /// history write or export issued just before quitting is not lost.
    pub async fn finish(&mut self, limit: std::time::Duration) {
        for t in self.tokens.values() {
            t.cancel();
        }
        let tasks = std::mem::take(&mut self.tasks);
        let _ = tokio::time::timeout(limit, futures_util::future::join_all(tasks)).await;
    }
}

impl EffectRunner for TaskRunner {
    fn run(&mut self, effect: Effect) {
        let tx = self.tx.clone();
        match effect {
            Effect::Send { req, spec } => {
                let Some(client) = self.client.clone() else {
                    let _ = tx.send(Msg::Error(format!("not connected: {}", self.offline)));
                    return;
                };
                let token = CancellationToken::new();
                self.tokens.retain(|_, t| !t.is_cancelled());
                self.tokens.insert(req, token.clone());
                self.spawn(async move {
                    let ptx = tx.clone();
                    let mut sink = move |p| {
                        let _ = ptx.send(Msg::Progress { req, progress: p });
                    };
                    let ex = client.generate(&spec, &token, &mut sink).await;
                    let _ = tx.send(Msg::Finished {
                        req,
                        exchange: Box::new(ex),
                    });
                });
            }
            Effect::Cancel(req) => {
                if let Some(t) = self.tokens.remove(&req) {
                    t.cancel();
                }
            }
            Effect::CountTokens(spec) => {
                let Some(client) = self.client.clone() else {
                    let _ = tx.send(Msg::Error(format!("not connected: {}", self.offline)));
                    return;
                };
                // Latest wins: a newer count makes the older one pointless.
                if let Some(old) = self.counting.take() {
                    old.cancel();
                }
                let token = CancellationToken::new();
                self.counting = Some(token.clone());
                self.spawn(async move {
                    let req = crate::gemini::wire::CountTokensRequest {
                        contents: Some(spec.request.contents.clone()),
                        generate_content_request: None,
                    };
                    let ex = client
                        .count_tokens(&spec.model, spec.api_version, &req, spec.timeout, &token)
                        .await;
                    if token.is_cancelled() {
                        return;
                    }
                    let result = match (&ex.outcome, ex.result_json.as_ref()) {
                        (crate::gemini::exchange::Outcome::Success, Some(v)) => v
                            .get("totalTokens")
                            .and_then(|t| t.as_u64())
                            .ok_or_else(|| "no totalTokens in the answer".to_string()),
                        (o, _) => Err(o.short_label()),
                    };
                    let _ = tx.send(Msg::Counted {
                        model: spec.model.clone(),
                        result,
                    });
                });
            }
            Effect::ListModels(version) => {
                let Some(client) = self.client.clone() else {
                    let _ = tx.send(Msg::Models {
                        version,
                        result: Err(format!("not connected: {}", self.offline)),
                    });
                    return;
                };
                self.spawn(async move {
                    let listing = client
                        .list_models(
                            version,
                            1000,
                            Duration::from_secs(20),
                            &CancellationToken::new(),
                        )
                        .await;
                    let result = if listing.failed {
                        let why = listing
                            .pages
                            .last()
                            .map(|p| p.outcome.short_label())
                            .unwrap_or_default();
                        Err(format!(
                            "could not list models ({why}); type a model name instead"
                        ))
                    } else {
                        Ok(listing.models)
                    };
                    let _ = tx.send(Msg::Models { version, result });
                });
            }
            Effect::LoadHistory => {
                let Some(h) = self.history.clone() else {
                    return;
                };
                self.spawn(async move {
                    let res = tokio::task::spawn_blocking(move || h.load()).await;
                    let msg = match res {
                        Ok(Ok(l)) => Msg::HistoryLoaded {
                            skipped: l.skipped.len(),
                            result: Ok(l.entries),
                        },
                        Ok(Err(e)) => Msg::HistoryLoaded {
                            skipped: 0,
                            result: Err(format!("history: {e}")),
                        },
                        Err(e) => Msg::HistoryLoaded {
                            skipped: 0,
                            result: Err(format!("history: {e}")),
                        },
                    };
                    let _ = tx.send(msg);
                });
            }
            Effect::LoadExchange { id, location } => {
                let Some(h) = self.history.clone() else {
                    return;
                };
                self.spawn(async move {
                    let res = tokio::task::spawn_blocking(move || h.read(location)).await;
                    let result = match res {
                        Ok(r) => r.map(Box::new),
                        Err(e) => Err(e.to_string()),
                    };
                    let _ = tx.send(Msg::ExchangeLoaded { id, result });
                });
            }
            Effect::AppendHistory(ex) => {
                let Some(h) = self.history.clone() else {
                    return;
                };
                self.spawn(async move {
                    let path = h.path().display().to_string();
                    if let Ok(Err(e)) = tokio::task::spawn_blocking(move || h.append(&ex)).await {
                        let _ = tx.send(Msg::Error(format!("could not write history {path}: {e}")));
                    }
                });
            }
            Effect::Export { stem, files } => {
                let dir = self.export_dir.clone();
                self.spawn(async move {
                    let res =
                        tokio::task::spawn_blocking(move || write_exports(&dir, &stem, &files))
                            .await;
                    let _ = tx.send(match res {
                        Ok(Ok(p)) => Msg::Notice(format!("exported to {p}")),
                        Ok(Err(e)) => Msg::Error(format!("export failed: {e}")),
                        Err(e) => Msg::Error(format!("export failed: {e}")),
                    });
                });
            }
            Effect::Clipboard(text) => {
                // Written on the loop thread between frames: a task writing to the terminal
                // could interleave its bytes with a frame being drawn. It is one small write.
                let mut out = std::io::stdout().lock();
                let res = out
                    .write_all(osc52(&text).as_bytes())
                    .and_then(|_| out.flush());
                if let Err(e) = res {
                    let _ = tx.send(Msg::Error(format!("clipboard: {e}")));
                }
            }
            Effect::ArmFault(choice) => {
                let note = match &self.sandbox {
                    Some(control) => arm(control, choice),
                    None => "the fault menu drives the embedded sandbox; start with --sandbox or without an API key".into(),
                };
                let _ = tx.send(Msg::Notice(note));
            }
        }
    }
}

/// Applies a fault-menu choice to the sandbox; returns what to tell the user.
fn arm(control: &SandboxControl, choice: FaultChoice) -> String {
    let one_shot = |fault: Fault| {
        let label = fault.to_string();
        control.arm(fault);
        format!("armed for the next request: {label}")
    };
    match choice {
        FaultChoice::Next503 => one_shot(Fault::Status { code: 503 }),
        FaultChoice::Next500 => one_shot(Fault::Status { code: 500 }),
        FaultChoice::Next504 => one_shot(Fault::Status { code: 504 }),
        FaultChoice::Next429 => one_shot(Fault::Status { code: 429 }),
        FaultChoice::DropStreamAfter5 => one_shot(Fault::Drop { after_chunks: 5 }),
        FaultChoice::StallStream => one_shot(Fault::Stall { after_chunks: 1 }),
        FaultChoice::MalformedChunk => one_shot(Fault::MalformedChunk { after_chunks: 1 }),
        FaultChoice::Html502 => one_shot(Fault::Html502),
        FaultChoice::BlockPrompt => one_shot(Fault::BlockPrompt {
            reason: "SAFETY".into(),
        }),
        FaultChoice::ThinkingEatsBudget => one_shot(Fault::ThinkingEatsBudget),
        FaultChoice::EmptyStop => one_shot(Fault::EmptyStop),
        FaultChoice::Recitation => one_shot(Fault::FinishReason {
            reason: "RECITATION".into(),
        }),
        FaultChoice::RateLimit2PerMin => {
            control.update(|c| {
                c.limits.enabled = true;
                c.limits.rpm = Some(2);
            });
            "rate limit set to 2 requests per minute for every model".into()
        }
        FaultChoice::ClearAll => {
            control.reset();
            control.set_limits(LimitsConfig::default());
            "faults cleared, rate limits back to the free-tier defaults".into()
        }
    }
}

fn write_exports(
    dir: &std::path::Path,
    stem: &str,
    files: &[(String, String)],
) -> std::io::Result<String> {
    std::fs::create_dir_all(dir)?;
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    for (ext, contents) in files {
        std::fs::write(dir.join(format!("{safe}.{ext}")), contents)?;
    }
    Ok(dir.join(format!("{safe}.*")).display().to_string())
}

/// The OSC 52 sequence that asks the terminal to set the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

/// Standard base64 with padding; hand-rolled because OSC 52 is its only use.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
