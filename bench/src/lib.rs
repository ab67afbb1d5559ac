//! Deterministic generators of large flows, the same for every benchmark: both dialects,
//! nested Parallel and Map scopes, constructors and parameters with expressions, retries
//! and catches, catalog Actions, and Chinese state names beside ASCII ones.
//!
//! The flows are valid: `fdl check` finds nothing in them, so a benchmark measures the
//! work of a clean flow, and a keystroke's diagnostics are the ones the edit causes.

pub mod generate;
pub mod one_line;
pub mod protocol;
pub mod soak;

pub use generate::{cloudflow, cloudflow_one_line, legacy};
