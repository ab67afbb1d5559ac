//! The base protocol that the language server and the debug adapter share: messages
//! framed by a `Content-Length` header, each body one JSON value. Knows bytes and JSON
//! nesting, not LSP or DAP: [`framing`] survives clients that get the framing wrong,
//! [`text`] repairs the text they send.

pub(crate) mod framing;
mod text;

pub(crate) use framing::{Frame, Framer};
pub(crate) use text::repaired;
