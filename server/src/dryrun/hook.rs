//! Where a debugger plugs into the interpreter: the machine calls a [`Hook`] before and
//! after every state and where a state fails, and may stop there;
//! [`super::Execution::resume`] carries on from the same point. `fdl run` passes
//! [`NoHook`], whose empty methods compile away.
//!
//! A sub-flow runs inside its parent's step, on the same thread, so it cannot hand a
//! pause back up: a hook that takes it ([`Hook::enter_subflow`]) is given the child
//! execution at each of its pauses instead ([`Hook::subflow_paused`]) and returns when the
//! child may go on.

use serde_json::Value;

use super::Execution;
use super::program::StateId;
use super::result::{ErrorInfo, PathSegment, Range};

/// What the hook sees at a stop.
pub struct Stop<'a> {
    pub state_id: StateId,
    pub state: &'a str,
    pub range: Range,
    /// The enclosing scopes, as in events.
    pub path: &'a [PathSegment],
    /// Virtual seconds.
    pub time: f64,
    /// Before a state: its `$Input`; after: its output.
    pub data: &'a Value,
    /// `$Global` at this point (CloudFlow).
    pub global: &'a Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Continue,
    Pause,
}

pub trait Hook {
    /// Before a state's work, once its input is built.
    fn before_state(&mut self, _at: &Stop<'_>) -> Control {
        Control::Continue
    }

    /// After a state's output is built, before it moves on.
    fn after_state(&mut self, _at: &Stop<'_>) -> Control {
        Control::Continue
    }

    /// Every 1,024 steps, for progress reports.
    fn progress(&mut self, _steps: u64, _virtual_seconds: f64) {}

    /// Whether [`Hook::on_error`] is wanted (finding out whether an error is handled has a
    /// cost the plain run does not pay).
    fn wants_errors(&self) -> bool {
        false
    }

    /// A state failed with `error` (its `Stop` shows its `$Input`), before its Retry and
    /// Catch apply. `handled`: a Retry or Catch of this state or of an enclosing one takes
    /// the error; otherwise the execution fails with it. Called once per error, where it is
    /// raised.
    fn on_error(&mut self, _at: &Stop<'_>, _error: &ErrorInfo, _handled: bool) -> Control {
        Control::Continue
    }

    /// A Task is about to run a flow of the workspace as a sub-flow. `true` runs it under
    /// this hook: its states come to this hook too, and when one of them pauses,
    /// [`Hook::subflow_paused`] is called with the child execution (the parent waits).
    fn enter_subflow(&mut self, _at: &SubflowStart<'_>) -> bool {
        false
    }

    /// The child execution of an entered sub-flow paused; returning resumes it.
    fn subflow_paused(&mut self, _child: &mut Execution<'_>) {}

    /// The entered sub-flow ended (the child execution, with all its events).
    fn exit_subflow(&mut self, _child: &Execution<'_>) {}
}

/// A sub-flow about to start.
pub struct SubflowStart<'a> {
    /// The flow's name, the file it was read from, and its text.
    pub flow: &'a str,
    pub file: &'a str,
    pub text: &'a str,
    /// The Task that starts it (its `data` is the Task's `$Input`).
    pub task: &'a Stop<'a>,
    /// The child execution's input.
    pub input: &'a Value,
}

pub struct NoHook;

impl Hook for NoHook {}

impl<H: Hook + ?Sized> Hook for &mut H {
    fn before_state(&mut self, at: &Stop<'_>) -> Control {
        (**self).before_state(at)
    }

    fn after_state(&mut self, at: &Stop<'_>) -> Control {
        (**self).after_state(at)
    }

    fn progress(&mut self, steps: u64, virtual_seconds: f64) {
        (**self).progress(steps, virtual_seconds)
    }

    fn wants_errors(&self) -> bool {
        (**self).wants_errors()
    }

    fn on_error(&mut self, at: &Stop<'_>, error: &ErrorInfo, handled: bool) -> Control {
        (**self).on_error(at, error, handled)
    }

    fn enter_subflow(&mut self, at: &SubflowStart<'_>) -> bool {
        (**self).enter_subflow(at)
    }

    fn subflow_paused(&mut self, child: &mut Execution<'_>) {
        (**self).subflow_paused(child)
    }

    fn exit_subflow(&mut self, child: &Execution<'_>) {
        (**self).exit_subflow(child)
    }
}
