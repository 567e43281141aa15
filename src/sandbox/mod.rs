//! The embedded sandbox: a local, wire-faithful simulator of the Gemini API.
//! (Placeholder until the simulator lands.)

/// Key the console uses with its embedded sandbox.
pub const CONSOLE_KEY: &str = "sandbox-console-key";

/// A running sandbox.
pub struct SandboxHandle;

impl SandboxHandle {
    /// Base URL.
    pub fn base_url(&self) -> String {
        String::new()
    }
}

/// Starts the sandbox in-process.
pub async fn start_embedded() -> Result<SandboxHandle, String> {
    Err("the embedded sandbox is not built yet".into())
}
