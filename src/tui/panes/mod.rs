//! The panes: each owns its state and draws itself.

pub mod faults;
pub mod help;
pub mod inspector;
pub mod log;
pub mod model_picker;
pub mod params;
pub mod prompt;
pub mod response;
pub mod status;
