//! Editor features as plain Rust over immutable snapshots. No LSP types: positions are byte
//! offsets, results are plain data that the `lsp` layer converts.
//!
//! Every feature works on whatever the syntax layer could recover, so they keep working
//! while the document is being typed and does not parse as a whole.

mod code_actions;
mod code_lens;
mod completion;
mod cursor;
mod document;
mod dry_run;
pub mod expressions;
mod folding;
mod formatting;
mod graph;
pub mod host;
mod hover;
mod migrate;
mod navigation;
mod selection;
mod symbols;
mod test_file;
mod top_states;
mod warm_up;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod ranges_property;

pub use code_actions::{CodeAction, code_actions};
pub use code_lens::{CodeLens, DRY_RUN_COMMAND, code_lenses};
pub use completion::{CompletionItem, CompletionKind, CompletionList, completion_list, completions};
pub use document::{Config, Document, Language, Pending};
pub use dry_run::{
    FlowFacts, InlayHint, RunRequest, RunSnapshot, flow_facts, inlay_hints, run_case, run_flow, snapshot,
    subflow_at,
};
pub use expressions::{TokenPiece, semantic_token_pieces, semantic_tokens, signature_help};
pub use folding::{FoldingRange, folding_ranges};
pub use formatting::{FormatError, FormatOptions, format_text, formatting, range_formatting};
pub use graph::{Graph, GraphEdge, GraphNode, GraphScope, graph};
pub use hover::{Hover, hover};
pub use migrate::{MigrationOffer, OPEN_MIGRATED_COMMAND, migration_offer};
pub use navigation::{
    HighlightKind, NavigationTarget, definition, highlights, prepare_rename, references, rename,
};
pub use selection::selection_ranges;
pub use symbols::{Outline, Placed, Symbol, SymbolKind, document_symbols, outline};
pub use test_file::{TestedFlow, is_test_file};
pub use warm_up::warm_up;

/// Test files: diagnostics, completion and lenses.
pub mod test_files {
    pub use super::test_file::{case_names, code_lenses, completions, diagnostics};
}
