//! Messages from background tasks and the actions keys translate to.

use crate::gemini::client::Progress;
use crate::gemini::exchange::Exchange;
use crate::gemini::wire::{ApiVersion, Model};
use crate::store::history::Entry;

/// What a key (or a mouse gesture) asks for, independent of which key it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Leave the console.
    Quit,
    /// Send the draft.
    Send,
    /// Open or close the help overlay.
    Help,
    /// Focus the next pane.
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Cancel the selected in-flight request.
    Cancel,
    /// Close the overlay or the input line.
    Close,
    /// Open the sandbox fault menu.
    FaultMenu,
    /// Open the model picker.
    ModelPicker,
    /// Switch between the prompt and the system instruction.
    SwitchEditor,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Cursor one word left.
    WordLeft,
    /// Cursor one word right.
    WordRight,
    /// Move up.
    Up,
    /// Move down.
    Down,
    /// Step down / previous tab.
    Left,
    /// Step up / next tab.
    Right,
    /// Coarse step down.
    CoarseLeft,
    /// Coarse step up.
    CoarseRight,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// First row.
    Top,
    /// Newest row.
    Newest,
    /// Confirm / open.
    Enter,
    /// Type an exact value.
    EditValue,
    /// Reset to the model's default.
    ResetDefault,
    /// Omit from the request.
    Unset,
    /// Show failures only.
    FilterFailures,
    /// Search the log.
    Search,
    /// Next tab of the response view.
    NextTab,
    /// Apply the numbered fix of the inspector (1-based).
    ApplyFix(u8),
    /// Copy the selected request as curl.
    CopyCurl,
    /// Copy the selected request as a Python snippet.
    CopyPython,
    /// Export curl + Python + JSON of the selected exchange to files.
    Export,
    /// Count the draft's prompt tokens.
    CountTokens,
}

/// Everything background tasks tell the app; applied by `App::update`, in order.
#[derive(Debug)]
pub enum Msg {
    /// Live progress of a send.
    Progress {
        /// App-local request number.
        req: u64,
        /// What happened.
        progress: Progress,
    },
    /// A send ended.
    Finished {
        /// App-local request number.
        req: u64,
        /// The complete record.
        exchange: Box<Exchange>,
    },
    /// The model list arrived (or failed).
    Models {
        /// Version it was listed with.
        version: ApiVersion,
        /// Models, or why not.
        result: Result<Vec<Model>, String>,
    },
    /// History summaries loaded at start.
    HistoryLoaded {
        /// Entries, oldest first, or why not.
        result: Result<Vec<Entry>, String>,
        /// Corrupt lines skipped.
        skipped: usize,
    },
    /// A full exchange read back from history for viewing.
    ExchangeLoaded {
        /// Which one.
        id: String,
        /// The record, or why not.
        result: Result<Box<Exchange>, String>,
    },
    /// A token count finished.
    Counted {
        /// Model counted with.
        model: String,
        /// Total tokens, or why not.
        result: Result<u64, String>,
    },
    /// Something worth a line in the status bar.
    Notice(String),
    /// An error worth a line in the status bar.
    Error(String),
    /// SIGTERM / SIGHUP: leave cleanly.
    Quit,
    /// A background task panicked; leave before drawing on a restored terminal.
    Fatal(String),
    /// Panic on the UI thread (`GEMINI_DOCTOR_TEST_PANIC`): lets the end-to-end tests prove
    /// that the panic hook gives the terminal back.
    TestPanic,
}
