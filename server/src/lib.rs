//! fdl: editor tooling for the Flow Definition Language of Alibaba Cloud CloudFlow.
//!
//! Layers, each knowing only the ones above it in this list:
//! - [`syntax`]: text to YAML tree (knows nothing of FDL or LSP);
//! - [`templates`]: what deployment tools do to flows: placeholders, flows embedded in
//!   templates (knows YAML and the tools, not FDL rules);
//! - [`analysis`]: tree to FDL model to diagnostics (plain data, no LSP types); it checks
//!   expressions with [`expr`], the expression language (which knows no YAML);
//! - [`dryrun`]: the interpreter, on the typed flow of `analysis::model` and [`expr`] (plain
//!   data out, no LSP, files only through its `Loader`);
//! - [`migrate`]: legacy flows to CloudFlow, on `analysis::model` and [`expr`], proven
//!   by differential dry runs (plain data out);
//! - [`ide`]: editor features over immutable snapshots (plain data, no LSP types);
//! - [`lsp`]: the language server, the only layer that knows LSP;
//! - [`dap`]: the debug adapter, on the dry run (it knows no LSP);
//! - [`cli`]: the `fdl` command line.

pub mod analysis;
pub mod cli;
pub mod dap;
pub mod dryrun;
pub mod expr;
pub mod ide;
pub mod lsp;
pub mod migrate;
pub mod syntax;
pub mod templates;
mod wire;
