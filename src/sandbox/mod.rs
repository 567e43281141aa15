//! The embedded sandbox: a local, wire-faithful simulator of the Gemini API.
