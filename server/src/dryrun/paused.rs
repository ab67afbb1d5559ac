//! What a paused execution shows a debugger: where it stopped, the data there, and the
//! states whose scopes enclose it. Read through [`super::Execution::paused`]; the values
//! are shared with the run (`Data` is reference-counted), not copied.

use std::sync::Arc;

use super::data::Data;
use super::program::StateId;
use super::result::{ErrorInfo, Path, Range};

/// Where in a state's life the execution stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Before the state's work, its `$Input` built.
    Before,
    /// After the state's work, with its output, before it moves on.
    After { output: Data },
    /// The state failed, before its Retry and Catch apply.
    Failed { error: ErrorInfo },
}

#[derive(Clone, Debug)]
pub struct Paused {
    pub state: StateId,
    pub name: Arc<str>,
    pub range: Range,
    pub phase: Phase,
    /// The enclosing scopes, as in events.
    pub path: Path,
    /// Virtual seconds.
    pub time: f64,
    /// `$Input` (legacy: `$`), after the InputConstructor (legacy inputMappings).
    pub input: Data,
    /// `$Context.Current.RetryCount`.
    pub retry_count: u32,
    /// The states whose scopes enclose this one (a Parallel, a Map, a legacy choice or
    /// foreach), innermost first, each with its own `$Input`.
    pub enclosing: Vec<Enclosing>,
}

#[derive(Clone, Debug)]
pub struct Enclosing {
    pub state: StateId,
    pub input: Data,
}
