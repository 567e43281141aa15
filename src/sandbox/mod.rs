//! The embedded sandbox: a local, wire-faithful simulator of the Gemini REST API.
//!
//! Replies are generated locally and say so (`[sandbox] ...`); failures follow the real
//! service's statuses, messages and details. Start one with [`start`] (or [`start_with`]
//! to inject a clock and a log sink), steer it with [`SandboxControl`] or the admin API
//! under `/__sandbox/`. See `docs/sandbox.md`.

mod admin;
mod call;
pub mod catalogue;
pub mod clock;
pub mod config;
pub mod errors;
pub mod faults;
mod generate;
pub mod limiter;
pub mod log;
mod models;
mod prng;
mod render;
pub mod reply;
mod routes;
mod schema;
pub mod semantics;
mod stream;
mod structured;
pub mod tokens;
pub mod validate;

pub use catalogue::{Catalogue, ModelEntry, RateLimits, catalogue};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{LimitOverride, LimitsConfig, LoadConfig, SandboxConfig, Trigger};
pub use faults::Fault;
pub use log::{LogSink, RequestLog};

use faults::FaultQueue;
use limiter::Limiter;
use prng::SplitMix;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The API key the console uses with its embedded sandbox (any key without a magic word works).
pub const CONSOLE_KEY: &str = "sandbox-console-key";

/// Reserved path prefix of the admin API.
pub const ADMIN_PREFIX: &str = "/__sandbox/";

/// State shared by every request.
pub(crate) struct Shared {
    pub(crate) cfg: RwLock<SandboxConfig>,
    pub(crate) faults: Mutex<FaultQueue>,
    pub(crate) limiter: Mutex<Limiter>,
    pub(crate) rng: Mutex<SplitMix>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) log: Option<LogSink>,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub(crate) fn config(&self) -> SandboxConfig {
        self.cfg.read().expect("config lock").clone()
    }

    pub(crate) fn next_random(&self) -> u64 {
        self.rng.lock().expect("rng lock").next_u64()
    }

    pub(crate) fn next_f64(&self) -> f64 {
        self.rng.lock().expect("rng lock").next_f64()
    }

    pub(crate) fn log(&self, line: RequestLog) {
        if let Some(sink) = &self.log
            && self.cfg.read().expect("config lock").log
        {
            sink(&line);
        }
    }

    pub(crate) fn reset(&self) {
        self.faults.lock().expect("fault lock").clear();
        self.limiter.lock().expect("limiter lock").reset();
        let seed = self.cfg.read().expect("config lock").seed;
        *self.rng.lock().expect("rng lock") = SplitMix::new(seed);
    }
}

/// Runtime control of a running sandbox (cheap to clone).
#[derive(Clone)]
pub struct SandboxControl {
    shared: Arc<Shared>,
}

impl SandboxControl {
    /// Arms a one-shot fault for the next request it applies to.
    pub fn arm(&self, fault: Fault) {
        self.shared.faults.lock().expect("fault lock").arm(fault);
    }

    /// The faults still armed, oldest first.
    pub fn armed(&self) -> Vec<Fault> {
        self.shared.faults.lock().expect("fault lock").list()
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        self.shared.faults.lock().expect("fault lock").clear();
    }

    /// A copy of the current configuration.
    pub fn config(&self) -> SandboxConfig {
        self.shared.config()
    }

    /// Replaces the configuration (rate-limit windows are kept).
    pub fn set_config(&self, cfg: SandboxConfig) {
        *self.shared.cfg.write().expect("config lock") = cfg;
    }

    /// Edits the configuration in place.
    pub fn update(&self, f: impl FnOnce(&mut SandboxConfig)) {
        f(&mut self.shared.cfg.write().expect("config lock"));
    }

    /// Sets the rate limits.
    pub fn set_limits(&self, limits: LimitsConfig) {
        self.update(|c| c.limits = limits);
    }

    /// Sets the random-failure probabilities.
    pub fn set_load(&self, load: LoadConfig) {
        self.update(|c| c.load = load);
    }

    /// Sets whether the simulated region is supported and billing is on.
    pub fn set_region(&self, supported: bool, billing_enabled: bool) {
        self.update(|c| {
            c.region_supported = supported;
            c.billing_enabled = billing_enabled;
        });
    }

    /// Clears faults and rate-limit windows and reseeds the RNG.
    pub fn reset(&self) {
        self.shared.reset();
    }
}

/// A running sandbox.
pub struct SandboxHandle {
    addr: SocketAddr,
    control: SandboxControl,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT` — use as the SDKs' base URL (any path prefix also works).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A control for faults and settings.
    pub fn control(&self) -> SandboxControl {
        self.control.clone()
    }

    /// Stops accepting, ends stalled streams, and waits for the server task.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Options of [`start_with`].
pub struct StartOptions {
    /// Time source of the rate limiter.
    pub clock: Arc<dyn Clock>,
    /// Log sink; `None` = never log, whatever `SandboxConfig::log` says.
    pub log: Option<LogSink>,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            clock: Arc::new(SystemClock::new()),
            log: Some(log::stderr_sink()),
        }
    }
}

/// Starts a sandbox on `addr` (e.g. `127.0.0.1:0`) with the system clock, logging to stderr
/// when `cfg.log` is set.
pub async fn start(cfg: SandboxConfig, addr: SocketAddr) -> io::Result<SandboxHandle> {
    start_with(cfg, addr, StartOptions::default()).await
}

/// Starts a sandbox with an injected clock and log sink.
pub async fn start_with(
    cfg: SandboxConfig,
    addr: SocketAddr,
    opts: StartOptions,
) -> io::Result<SandboxHandle> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, shutdown) = watch::channel(false);
    let shared = Arc::new(Shared {
        rng: Mutex::new(SplitMix::new(cfg.seed)),
        cfg: RwLock::new(cfg),
        faults: Mutex::new(FaultQueue::default()),
        limiter: Mutex::new(Limiter::default()),
        clock: opts.clock,
        log: opts.log,
        shutdown: shutdown.clone(),
    });
    let app = axum::Router::new()
        .fallback(routes::handle)
        .with_state(shared.clone());
    let mut rx = shutdown;
    // No Nagle: stream events and the in-stream error object must leave as separate writes.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        let _ = tcp.set_nodelay(true);
    });
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.wait_for(|s| *s).await;
            })
            .await;
    });
    Ok(SandboxHandle {
        addr,
        control: SandboxControl { shared },
        stop,
        task: Some(task),
    })
}
