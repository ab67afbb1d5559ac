//! Editor features as plain Rust over immutable snapshots. No LSP types: positions are byte
//! offsets, results are plain data that the `lsp` layer converts.
//!
//! Every feature works on whatever the syntax layer could recover, so they keep working
//! while the document is being typed and does not parse as a whole.

mod completion;
mod cursor;
mod document;
mod navigation;

#[cfg(test)]
mod fixture;

pub use completion::{CompletionItem, CompletionKind, completions};
pub use document::{Config, Document};
pub use navigation::{
    HighlightKind, NavigationTarget, definition, highlights, prepare_rename, references, rename,
};
