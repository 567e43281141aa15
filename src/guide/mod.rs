//! The troubleshooting knowledge base and the diagnosis engine.
