//! The dry run: executes a flow locally, on a virtual clock, with mocked integrations.
//! Sits on `analysis::model` (the typed flow) and `expr` (the evaluator); knows no LSP and
//! does no I/O except through [`Loader`] (sub-flow files). The CLI and the language
//! server call it; nothing below it calls back.
//!
//! - [`lower`]: the flow to a [`Program`] (indices, parsed expressions, templates);
//! - [`exec`]: the interpreter (fibers over a discrete-event scheduler);
//! - [`mocks`], [`suite`]: the mocks and test files, read with line and column errors;
//! - [`result`]: the result and its events (the JSON other tools read);
//! - [`assumptions`]: what is assumed where the docs are silent;
//! - [`hook`]: where a debugger stops the interpreter, and [`paused`]: what it sees there.

pub mod assumptions;
pub mod data;
pub mod deploy;
mod exec;
pub mod expect;
pub mod hook;
pub mod literal;
pub mod lower;
pub mod mocks;
pub mod options;
pub mod paused;
pub mod program;
pub mod reader;
pub mod render;
pub mod result;
pub mod suite;
pub mod workspace;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

use serde_json::Value;

pub use data::Data;
pub use deploy::DeployVars;
pub use exec::Progress;
pub use hook::{Control, Hook, NoHook, Stop, SubflowStart};
pub use lower::{lower, lower_with};
pub use mocks::Mocks;
pub use options::{Limits, LoadedFlow, Loader, NoLoader, Options};
pub use paused::{Enclosing, Paused, Phase};
pub use program::Program;
pub use reader::FileError;
pub use result::{ErrorInfo, Event, EventKind, PathSegment, Pos, Range, RunResult, Status, Warning};

/// An execution that can stop (at a hook's request) and go on.
pub struct Execution<'p> {
    machine: exec::Machine<'p>,
}

impl<'p> Execution<'p> {
    pub fn new(
        program: &'p Program,
        input: Value,
        mocks: &'p Mocks,
        options: &'p Options,
        loader: &'p dyn Loader,
    ) -> Execution<'p> {
        let mut machine = exec::Machine::new(program, input, mocks, options, loader);
        machine.start();
        Execution { machine }
    }

    /// Runs until the end, or until `hook` asks to pause.
    pub fn resume<H: Hook + ?Sized>(&mut self, hook: &mut H) -> Progress {
        self.machine.run(hook)
    }

    /// The history so far (a paused run's events up to the stop).
    pub fn events(&self) -> &[Event] {
        &self.machine.trace.events
    }

    /// Virtual seconds so far.
    pub fn virtual_seconds(&self) -> f64 {
        self.machine.now as f64 / 1000.0
    }

    /// States entered so far.
    pub fn steps(&self) -> u64 {
        self.machine.steps + self.machine.child_steps
    }

    pub fn into_result(self) -> RunResult {
        self.machine.into_result()
    }

    /// The program being run.
    pub fn program(&self) -> &'p Program {
        self.machine.program
    }

    /// Where a paused run stopped (`None` when it is not paused at a state, or has ended).
    pub fn paused(&self) -> Option<Paused> {
        self.machine.paused()
    }

    /// `$Global` now.
    pub fn global(&self) -> &Value {
        self.machine.global.value()
    }

    /// `$Context` as the paused state sees it.
    pub fn context(&self) -> Option<Value> {
        self.machine.paused_context()
    }

    /// The paused Task's Parameters: as sent once it has run, else as they will be.
    pub fn parameters(&self) -> Option<Result<Value, String>> {
        self.machine.paused_parameters()
    }

    /// The paused Task's result, once its call has returned.
    pub fn task_result(&self) -> Option<Value> {
        self.machine.paused_result()
    }

    /// Evaluates an expression at the paused state, as `fdl eval` does; the run is not
    /// affected (random functions draw from a copy of its generator).
    pub fn evaluate(&self, text: &str) -> Option<crate::expr::Evaluation> {
        self.machine.evaluate_paused(text)
    }

    /// Replaces the `$Input` of the state paused before its work (it must be an object).
    pub fn set_input(&mut self, value: Value) -> Result<(), String> {
        self.machine.set_paused_input(value)
    }
}

/// Runs a flow to its end.
pub fn run(
    program: &Program,
    input: Value,
    mocks: &Mocks,
    options: &Options,
    loader: &dyn Loader,
) -> RunResult {
    run_counting(program, input, mocks, options, loader).0
}

/// [`run`], also counting the states entered (sub-flows count against their parent).
pub(crate) fn run_counting(
    program: &Program,
    input: Value,
    mocks: &Mocks,
    options: &Options,
    loader: &dyn Loader,
) -> (RunResult, u64) {
    let mut execution = Execution::new(program, input, mocks, options, loader);
    execution.resume(&mut NoHook);
    let steps = execution.steps();
    (execution.into_result(), steps)
}
