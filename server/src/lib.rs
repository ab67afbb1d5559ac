//! fdl: editor tooling for the Flow Definition Language of Alibaba Cloud CloudFlow.
//!
//! Layers, each knowing only the ones above it in this list:
//! - [`syntax`]: text to YAML tree (knows nothing of FDL or LSP);
//! - [`analysis`]: tree to FDL model to diagnostics (plain data, no LSP types);
//! - [`cli`]: the `fdl` command line on top of the analysis.

pub mod analysis;
pub mod cli;
pub mod ide;
pub mod syntax;
