//! A fiber is one running scope instance (the top level, a Parallel branch, a Map or
//! foreach iteration) with an explicit stack of frames instead of Rust recursion, so that
//! fibers interleave by virtual time and the machine can stop between any two steps (for
//! a debugger) and carry on later.

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::dryrun::data::Data;
use crate::dryrun::program::{StateId, Target};
use crate::dryrun::result::{ErrorInfo, Path, Status};

pub(crate) type FiberId = usize;

/// How many recent states a fiber remembers, to name the loop when the step limit hits.
pub(crate) const RECENT: usize = 64;

pub(crate) struct Fiber {
    /// The fiber waiting for this one, and this one's branch or item index there.
    pub parent: Option<(FiberId, u32)>,
    /// Tie-break among fibers due at the same virtual time: lower indices first.
    pub order: Arc<[u32]>,
    pub frames: Vec<Frame>,
    pub cancelled: bool,
    pub children: Vec<FiberId>,
    pub recent: VecDeque<StateId>,
}

/// One step list being run: the fiber's own scope, or (legacy) the steps of a choice
/// branch, run on the same fiber.
pub(crate) struct Frame {
    pub path: Path,
    /// Legacy: the input the steps of this list see as their parent's input.
    pub scope_input: Data,
    /// Legacy: the merged outputs of the steps run so far (the parent's `$local`).
    pub local: Map<String, Value>,
    pub step: Step,
    /// The state being run.
    pub act: Option<Box<Act>>,
}

/// What a frame does next.
pub(crate) enum Step {
    /// Enter `state` with `input` (CloudFlow: the previous output; legacy: unused, the
    /// input comes from the frame).
    Enter {
        state: StateId,
        input: Data,
    },
    /// Run the entered state's work.
    Execute,
    /// Blocked until woken.
    Await(Await),
    /// The state's work is done: build its output, then go to `next` (default: the state's).
    Finish {
        result: Data,
        next: Option<Target>,
    },
    /// The state failed: retry, catch, or fail the scope.
    Fail(Fault),
    Transition {
        target: Target,
        output: Data,
    },
    /// The frame's step list ended with this result.
    End(Data),
    /// Nothing left (the frame is being removed).
    Done,
}

pub(crate) enum Await {
    /// The Wait is over.
    Wait,
    /// Time to try the state again.
    Retry,
    /// The task's result (or its callback) arrives.
    Task(TaskEnd),
    /// Every child fiber finished (or one failed).
    Children,
    /// Legacy: the steps of a choice branch run in the frame above; then go to `next`.
    Nested { next: Target },
}

pub(crate) enum TaskEnd {
    Success(Data),
    Failure(ErrorInfo),
}

/// The state a frame is running, with what its phases share.
pub(crate) struct Act {
    pub state: StateId,
    /// `$Input` (legacy `$`): after the InputConstructor / inputMappings.
    pub input: Data,
    /// Retries so far (`$Context.Current.RetryCount`).
    pub retry_count: u32,
    /// Retries so far per Retry rule.
    pub rule_attempts: Vec<u32>,
    pub token: Option<Arc<str>>,
    pub children: Option<Children>,
}

/// The child fibers of a Parallel, Map or foreach state.
pub(crate) struct Children {
    pub results: Vec<Option<Data>>,
    /// Inputs of the iterations not started yet (Map, foreach).
    pub pending: VecDeque<(u32, Data)>,
    pub running: usize,
    pub failed: Option<Fault>,
    pub fibers: Vec<FiberId>,
    pub branches: bool,
}

/// An error on its way up: catchable by Retry and Catch, or fatal to the execution.
#[derive(Clone, Debug)]
pub(crate) struct Fault {
    pub error: ErrorInfo,
    /// `Some(status)`: the execution ends at once with this status.
    pub fatal: Option<Status>,
    /// Whether a hook was told about it already (it is told once, where it is raised, not
    /// again at each scope it fails on its way up).
    pub announced: bool,
}

impl Fault {
    pub fn catchable(error: ErrorInfo) -> Fault {
        Fault { error, fatal: None, announced: false }
    }

    pub fn fatal(status: Status, code: &str, detail: impl Into<Arc<str>>) -> Fault {
        Fault { error: ErrorInfo::new(code, detail), fatal: Some(status), announced: false }
    }

    /// The flow cannot run on (a missing state, an unknown type): the service would not
    /// have accepted it, so no Catch applies.
    pub fn definition(detail: impl Into<Arc<str>>) -> Fault {
        Fault::fatal(Status::Failed, "DryRun.InvalidDefinition", detail)
    }
}
