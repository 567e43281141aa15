//! The loop: messages first, then input, then a ticker that exists only while something
//! animates. Drain the queue, run effects, draw once if anything changed.

use crate::tui::app::App;
use crate::tui::effects::{Effect, EffectRunner};
use crate::tui::msg::Msg;
use crate::tui::theme::Theme;
use crate::tui::view::draw;
use crossterm::event::Event;
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// Animation period (spinner, countdown) while something is in flight.
const TICK: Duration = Duration::from_millis(100);

/// Runs until the user quits, a fatal message arrives or the input ends.
/// `clock` gives the app time in milliseconds (fixed in tests).
pub async fn run_loop<B, S>(
    app: &mut App,
    mut input: S,
    runner: &mut dyn EffectRunner,
    rx: &mut UnboundedReceiver<Msg>,
    terminal: &mut Terminal<B>,
    theme: &Theme,
    clock: &dyn Fn() -> u64,
) -> std::io::Result<()>
where
    B: Backend,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let io_err = |e: B::Error| std::io::Error::other(e.to_string());
    for fx in app.startup() {
        runner.run(fx);
    }
    app.tick(clock());
    terminal.draw(|f| draw(f, app, theme)).map_err(io_err)?;
    app.session.dirty = false;
    let mut ticker: Option<tokio::time::Interval> = None;
    let mut input_open = true;
    loop {
        // The ticker exists only while something animates: no wake-ups when idle.
        if app.wants_ticks() {
            ticker.get_or_insert_with(|| {
                let mut t = tokio::time::interval(TICK);
                t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                t
            });
        } else {
            ticker = None;
        }
        let mut effects: Vec<Effect> = Vec::new();
        tokio::select! {
            biased;
            msg = rx.recv() => match msg {
                Some(m) => {
                    app.session.now_ms = clock();
                    effects.extend(app.update(m));
                }
                None => break,
            },
            ev = input.next(), if input_open => match ev {
                Some(Ok(ev)) => {
                    app.session.now_ms = clock();
                    effects.extend(app.on_event(ev));
                }
                Some(Err(e)) => return Err(e),
                None => input_open = false,
            },
            _ = async { ticker.as_mut().expect("guarded").tick().await }, if ticker.is_some() => {
                effects.extend(app.tick(clock()));
            }
        }
        // Drain whatever else arrived so a burst of stream events costs one frame.
        while let Ok(m) = rx.try_recv() {
            effects.extend(app.update(m));
        }
        for fx in effects {
            runner.run(fx);
        }
        if app.session.quit {
            break;
        }
        if app.session.dirty {
            terminal.draw(|f| draw(f, app, theme)).map_err(io_err)?;
            app.session.dirty = false;
        }
        if !input_open && !app.wants_ticks() && rx.is_empty() {
            // Tests end by closing the input; production input never closes.
            break;
        }
    }
    Ok(())
}
