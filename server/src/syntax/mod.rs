//! Text to tree. Knows YAML, nothing of FDL or LSP.
//!
//! - [`text`]: the document text in a rope, byte ranges, and LSP/human positions.
//! - [`green`]: the immutable tree and its positioned [`Node`] view.
//! - [`layout`]: splits a document into independently parsed units by indentation.
//! - [`unit`]: parses one unit with saphyr-parser and recovers from errors line by line.
//! - [`scalar`]: what a plain scalar means (boolean, integer).
//! - [`tree`]: assembles units into a [`SyntaxTree`] and re-parses incrementally.
//! - `chunks`: the units of a tree in chunks, so an edit rebuilds only the chunk it touched.

mod chunks;
mod flow;
pub mod green;
mod layout;
mod quote;
pub mod scalar;
pub mod scalar_map;
pub mod text;
pub mod tree;
mod unit;

pub use green::{Entry, Node, NodeKind, ScalarStyle, dump};
pub use quote::yaml_string;
pub use text::{Position, PositionEncoding, SourceText, TextRange};
pub use tree::{Edit, SyntaxTree};
pub use unit::{MAX_NESTING, SyntaxError};

#[cfg(test)]
mod tests;
