//! The terminal comes back whole however the console ends: Ctrl-C, SIGTERM, SIGHUP or a
//! panic. Each run starts the console from an interactive shell in tmux, ends it, then
//! checks that the alternate screen and mouse capture are gone, the cursor shows, the
//! line discipline is canonical again and the shell answers a command.

mod support;

use std::path::Path;
use std::time::Duration;
use support::tmux::{Pane, available};

const WAIT: Duration = Duration::from_secs(20);
const BIN: &str = env!("CARGO_BIN_EXE_gemini-doctor");

enum Ending {
    CtrlC,
    Signal(&'static str),
    Panic,
}

fn run(ending: Ending) {
    if !available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let pidfile = home.path().join("pid");
    let shell = Pane::start("env PS1='READY$ ' bash --norc --noprofile", 100, 30);
    shell.wait_for("READY$", WAIT);
    let panic_env = if matches!(ending, Ending::Panic) {
        "GEMINI_DOCTOR_TEST_PANIC=1"
    } else {
        ""
    };
    shell.type_text(&console_command(home.path(), &pidfile, panic_env));
    shell.keys(&["Enter"]);
    match ending {
        Ending::Panic => {
            // The report stays readable and the prompt comes back below it.
            let s = shell.wait_until("the panic report, then the prompt", WAIT, |s| {
                s.split("panic requested by GEMINI_DOCTOR_TEST_PANIC")
                    .nth(1)
                    .is_some_and(|after| after.lines().any(|l| l.starts_with("READY$")))
            });
            assert!(s.contains("panicked at"), "{s}");
        }
        Ending::CtrlC => {
            shell.wait_for("SANDBOX", WAIT);
            assert_eq!(shell.format("alternate_on"), "1");
            shell.keys(&["C-c"]);
        }
        Ending::Signal(sig) => {
            shell.wait_for("SANDBOX", WAIT);
            let pid = std::fs::read_to_string(&pidfile).unwrap();
            let ok = std::process::Command::new("kill")
                .args([&format!("-{sig}"), pid.trim()])
                .status()
                .unwrap()
                .success();
            assert!(ok, "kill -{sig} failed");
        }
    }
    // The prompt is back once a READY$ line follows the one that started the console.
    shell.wait_until("the shell prompt after the console", WAIT, |s| {
        s.lines().filter(|l| l.starts_with("READY$")).count() >= 2 && !s.contains("[Prompt]")
    });
    assert_eq!(
        shell.format("alternate_on"),
        "0",
        "still on the alternate screen"
    );
    assert_eq!(shell.format("mouse_any_flag"), "0", "mouse capture left on");
    assert_eq!(shell.format("cursor_flag"), "1", "cursor left hidden");
    shell.type_text("stty -a | grep -o -- '-\\?icanon' ; echo ALIVE-$((40+2))");
    shell.keys(&["Enter"]);
    let s = shell.wait_for("ALIVE-42", WAIT);
    let mode = s
        .lines()
        .rev()
        .find(|l| l.trim().ends_with("icanon"))
        .unwrap_or_default();
    assert_eq!(mode.trim(), "icanon", "raw mode left on:\n{s}");
}

/// Starts the console on the sandbox and records its pid first (`exec` keeps the pid).
fn console_command(home: &Path, pidfile: &Path, extra_env: &str) -> String {
    format!(
        "sh -c 'echo $$ > {}; exec env -u GEMINI_API_KEY -u GOOGLE_API_KEY -u GOOGLE_GEMINI_BASE_URL RUST_BACKTRACE=0 {extra_env} GEMINI_DOCTOR_HOME={} {BIN}'",
        pidfile.display(),
        home.display()
    )
}

#[test]
fn ctrl_c_restores_the_terminal() {
    run(Ending::CtrlC);
}

#[test]
fn sigterm_restores_the_terminal() {
    run(Ending::Signal("TERM"));
}

#[test]
fn sighup_restores_the_terminal() {
    run(Ending::Signal("HUP"));
}

#[test]
fn a_panic_restores_the_terminal() {
    run(Ending::Panic);
}
