//! Where a debugger plugs into the interpreter: the machine calls a [`Hook`] before and
//! after every state and may stop there; [`super::Execution::resume`] carries on from the
//! same point. `fdl run` passes [`NoHook`], whose empty methods compile away.

use serde_json::Value;

use super::program::StateId;
use super::result::{PathSegment, Range};

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
}
