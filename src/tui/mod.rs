//! The interactive console.
