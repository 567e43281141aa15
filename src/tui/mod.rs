//! The interactive console: a keyboard-driven screen to compose calls, watch them stream,
//! and see why they failed and what to do.
//!
//! Only this module touches the terminal. Keys become [`msg::Action`]s through one binding
//! table ([`keymap`]); [`app::App`] applies actions and task messages without I/O and
//! returns [`effects::Effect`]s; [`event_loop::run_loop`] ties them together.

pub mod app;
pub mod diagnosis;
pub mod effects;
pub mod event_loop;
pub mod key_overrides;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod panes;
pub mod snippet;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod widgets;
pub mod wrap;

#[cfg(test)]
mod tests;

use crate::backend::{self, BackendKind, BackendOptions};
use crate::gemini::wire::ApiVersion;
use crate::store::config;
use crate::store::paths::Paths;
use app::App;
use effects::TaskRunner;
use panes::params::ParamsState;
use panes::status::StatusState;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};

/// What the command line passes to the console.
#[derive(Debug, Clone, Default)]
pub struct ConsoleOptions {
    /// `--sandbox`.
    pub sandbox: bool,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--model`.
    pub model: Option<String>,
    /// `--api-version`.
    pub api_version: Option<ApiVersion>,
}

/// Runs the console until the user quits. Returns an exit code.
pub async fn run(opts: ConsoleOptions) -> u8 {
    let paths = Paths::discover();
    let loaded = match config::load(&paths.config_file) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let cfg = loaded.config;
    let bopts = BackendOptions {
        force_sandbox: opts.sandbox,
        base_url: opts.base_url.clone(),
    };
    let connected = backend::connect(&bopts, &cfg, &paths.config_file.display().to_string()).await;
    let version = cfg.version(opts.api_version);
    let model = cfg.model(opts.model.as_deref());
    let timeout = Duration::from_secs_f64(
        cfg.timeout_secs
            .filter(|t| t.is_finite() && *t > 0.0)
            .unwrap_or(60.0),
    );
    let history = cfg.history(&paths);
    let mut status = StatusState {
        history_path: paths.history_file().display().to_string(),
        export_dir: paths.export_dir().display().to_string(),
        config_path: paths.config_file.display().to_string(),
        ..StatusState::default()
    };
    let mut warnings = loaded.warnings;
    let (table, key_errors) = key_overrides::apply(keymap::BINDINGS, &cfg.keys);
    keymap::install(table);
    warnings.extend(key_errors);
    let mut offline = String::new();
    let (client, kind, backend_alive) = match connected {
        Ok((b, w)) => {
            warnings.extend(w);
            status.badge = b.kind.label().to_ascii_uppercase();
            status.base_url = b.client.config().base_url.clone();
            status.key = b
                .key
                .as_ref()
                .map(|k| k.describe())
                .unwrap_or_else(|| "no API key".into());
            (Some(b.client.clone()), Some(b.kind), Some(b))
        }
        Err(e) => {
            status.badge = "OFFLINE".into();
            status.message = Some((format!("not connected: {e}"), true));
            offline = e;
            (None, None, None)
        }
    };
    if status.message.is_none()
        && let Some(w) = warnings.first()
    {
        status.message = Some((format!("warning: {w}"), true));
    }

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    spawn_signal_watch(tx.clone());
    if std::env::var_os("GEMINI_DOCTOR_TEST_PANIC").is_some() {
        let _ = tx.send(msg::Msg::TestPanic);
    }
    let (mut terminal, guard) = match terminal::enter() {
        Ok(t) => t,
        Err(e) => {
            terminal::restore();
            eprintln!("error: cannot set up the terminal: {e}");
            return 1;
        }
    };
    let size = terminal
        .size()
        .map(|s| Rect::new(0, 0, s.width, s.height))
        .unwrap_or(Rect::new(0, 0, 80, 24));
    let mut app = App::new(ParamsState::new(model, version, timeout), status, size);
    app.session.fallbacks = cfg.fallback_models.clone();
    app.session.sandbox = kind == Some(BackendKind::Sandbox);
    let sandbox = backend_alive
        .as_ref()
        .and_then(|b| b.sandbox.as_ref())
        .map(|h| h.control());
    let mut runner = TaskRunner::new(client, history, paths.export_dir(), tx)
        .offline_reason(offline)
        .with_sandbox(sandbox);
    let start = Instant::now();
    let clock = move || start.elapsed().as_millis() as u64;
    let theme = theme::Theme::from_env();
    let input = crossterm::event::EventStream::new();
    let res = event_loop::run_loop(
        &mut app,
        input,
        &mut runner,
        &mut rx,
        &mut terminal,
        &theme,
        &clock,
    )
    .await;
    drop(guard);
    runner.finish(Duration::from_secs(3)).await;
    if let Some(m) = &app.session.fatal {
        eprintln!("error: {m}");
        return 1;
    }
    match res {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// SIGTERM and SIGHUP become a clean quit through the message queue.
fn spawn_signal_watch(tx: tokio::sync::mpsc::UnboundedSender<msg::Msg>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
        let _ = tx.send(msg::Msg::Quit);
    });
    #[cfg(not(unix))]
    let _ = tx;
}
