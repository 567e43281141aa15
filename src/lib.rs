//! gemini-doctor: a terminal console that shows why a Gemini API call failed and what to do.
//!
//! Layers (only `tui` touches the terminal):
//! - [`gemini`]: wire types, client, Exchange/Outcome records;
//! - [`guide`]: the troubleshooting knowledge base and the diagnosis engine;
//! - [`sandbox`]: a local, wire-faithful simulator of the API;
//! - [`store`]: config and history on disk;
//! - [`cli`]: the headless commands; [`tui`]: the console.

pub mod backend;
pub mod cli;
pub mod gemini;
pub mod guide;
pub mod sandbox;
pub mod store;
pub mod tui;
