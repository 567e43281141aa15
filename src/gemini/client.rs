//! The HTTP client: turns a call into an [`Exchange`](super::Exchange).
