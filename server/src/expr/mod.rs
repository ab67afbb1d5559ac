//! The expression language of FDL: CloudFlow expressions (`$Input.x == "a"`, built-in
//! calls such as `format("hi {}", $Input.name)`) and legacy JSONPath mappings and
//! conditions (`$local[*].name`, `$.status == "ready"`).
//!
//! The core works on one expression string and byte offsets within it; it knows neither
//! YAML nor LSP:
//! - [`lexer`] and [`parser`]: text to [`ast`] with exact ranges; [`printer`]: back to text;
//! - [`functions`]: the one table of built-ins (signatures, docs, confidence), implemented
//!   in [`builtins`];
//! - [`scope`]: which variables are visible where, and the documented `$Context` layout;
//! - [`check`]: static checks; [`eval`]: a total evaluator over [`value`]s.
//!
//! Editor features on expressions (completion, hover, signature help, highlighting) sit
//! above `analysis`, in `ide::expressions`.

pub mod ast;
pub mod builtins;
pub mod check;
pub mod eval;
pub mod functions;
pub mod lexer;
pub mod parser;
pub mod printer;
pub mod scope;
pub mod value;

pub use ast::{Expr, ExprKind};
pub use check::{Issue, IssueCode, Level};
pub use eval::{
    Env, EvalError, Evaluation, MAX_VALUE_BYTES, Random, Vars, evaluate, evaluate_text, evaluate_with,
};
pub use parser::{ParseError, parse};
pub use scope::{ExprContext, Field, Place};

#[cfg(test)]
pub(crate) mod tests;
