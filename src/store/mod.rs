//! Files on disk: where they live, the config file, and the request history.

pub mod config;
pub mod history;
pub mod paths;
