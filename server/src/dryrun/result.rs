//! What a dry run returns: plain data with stable field names, serialised as JSON for
//! `fdl run --format json`, the language server's `fdl.dryRun` and `fdl/lastRun`, and
//! the editors built on them. README.md documents the shape; change it only together.

use std::sync::Arc;

use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::data::Data;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunResult {
    pub status: Status,
    /// The execution's output when it succeeded, else `null`.
    pub output: Option<Data>,
    pub error: Option<ErrorInfo>,
    /// Virtual time at the end, in seconds (waits, retries and mocked delays add to it).
    pub virtual_seconds: f64,
    pub warnings: Vec<Warning>,
    pub events: Vec<Event>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Status {
    Succeeded,
    Failed,
    TimedOut,
    /// The dry run stopped the execution: too many steps (a loop), too many Map items,
    /// too much wall time, or a cancellation. `error.code` says which.
    StepLimit,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "Succeeded",
            Status::Failed => "Failed",
            Status::TimedOut => "TimedOut",
            Status::StepLimit => "StepLimit",
        }
    }
}

/// An error as the service reports it: a name (`FC.ResourceThrottled`, a Fail state's
/// `Code`) and a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    pub code: Arc<str>,
    pub detail: Arc<str>,
}

impl ErrorInfo {
    pub fn new(code: impl Into<Arc<str>>, detail: impl Into<Arc<str>>) -> ErrorInfo {
        ErrorInfo { code: code.into(), detail: detail.into() }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    /// Kebab-case: `unmocked-task`, `assumption`, `event-quota`, ….
    pub code: &'static str,
    pub message: String,
    pub state: Option<Arc<str>>,
    pub range: Option<Range>,
    /// The id of the semantic assumption this run depended on (README lists them).
    pub assumption: Option<&'static str>,
}

/// A zero-based LSP range (UTF-16 columns unless the caller asked for another encoding).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: Pos,
    pub end: Pos,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Pos {
    pub line: u32,
    pub character: u32,
}

/// One enclosing scope of an event: a Parallel branch, a Map iteration, a legacy foreach
/// iteration or the steps of a legacy choice branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathSegment {
    pub state: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iteration: Option<u32>,
    /// Legacy choice: the index of the branch whose steps run, or `"default"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<ChoiceArm>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChoiceArm {
    Branch(u32),
    Default,
}

impl Serialize for ChoiceArm {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ChoiceArm::Branch(i) => s.serialize_u32(*i),
            ChoiceArm::Default => s.serialize_str("default"),
        }
    }
}

pub type Path = Arc<[PathSegment]>;

/// One entry of the execution history.
#[derive(Clone, Debug)]
pub struct Event {
    pub kind: EventKind,
    /// The state's name (`None` for the execution's own events).
    pub state: Option<Arc<str>>,
    pub path: Path,
    pub range: Option<Range>,
    /// Virtual time, seconds since the start.
    pub time: f64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
pub enum EventKind {
    ExecutionStarted {
        input: Data,
    },
    StateEntered {
        /// `Task`, `Choice`… (legacy: `task`, `choice`…).
        state_type: &'static str,
        /// What the state received (the previous output).
        input: Data,
        /// `$Input` after the InputConstructor (legacy: inputMappings), when there is one.
        #[serde(skip_serializing_if = "Option::is_none")]
        constructed: Option<Data>,
    },
    TaskScheduled {
        action: Arc<str>,
        /// Parameters (legacy: serviceParams) as evaluated.
        parameters: Data,
        mode: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        task_token: Option<Arc<str>>,
        /// Where the result comes from: `state`, `action` (a mock), `subflow`, `default`.
        source: &'static str,
        /// How many times the state called its integration before (0 for the first call).
        invocation: u32,
        /// The child execution, when a sub-flow of the workspace ran.
        #[serde(skip_serializing_if = "Option::is_none")]
        subflow: Option<SubflowRun>,
    },
    TaskSucceeded {
        output: Data,
    },
    TaskFailed {
        error: ErrorInfo,
    },
    RetryScheduled {
        /// 1 for the first retry.
        attempt: u32,
        /// Seconds until the retry.
        delay: f64,
        error: ErrorInfo,
    },
    CatchTaken {
        error: ErrorInfo,
        next: Arc<str>,
    },
    ChoiceBranchTaken {
        /// The branch's condition, or `null` when the default was taken.
        condition: Option<Arc<str>>,
        default: bool,
        /// The branch's index (`null` for the default).
        index: Option<u32>,
        /// The state it goes to (`null`: on to the next step, legacy).
        next: Option<Arc<str>>,
    },
    WaitStarted {
        seconds: f64,
    },
    BranchStarted {
        index: u32,
    },
    BranchSucceeded {
        index: u32,
        output: Data,
    },
    MapIterationStarted {
        index: u32,
        input: Data,
    },
    MapIterationSucceeded {
        index: u32,
        output: Data,
    },
    StateExited {
        output: Data,
    },
    StateFailed {
        error: ErrorInfo,
    },
    ExecutionSucceeded {
        output: Data,
    },
    ExecutionFailed {
        error: ErrorInfo,
    },
    ExecutionTimedOut {
        error: ErrorInfo,
    },
    /// The dry run stopped the execution (step limit, Map item limit, wall time).
    ExecutionStopped {
        error: ErrorInfo,
    },
    Warning {
        code: &'static str,
        message: String,
    },
}

/// A child flow run for a `FNF:StartExecution` (legacy `acs:fnf:::flow/…`) task.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubflowRun {
    pub flow: Arc<str>,
    /// The file it came from.
    pub file: String,
    pub status: Status,
    pub output: Option<Data>,
    pub error: Option<ErrorInfo>,
    pub virtual_seconds: f64,
    /// How many events the child's own history has.
    pub events: usize,
}

impl EventKind {
    /// The values the event carries (inputs, outputs, parameters), to be measured or left out.
    pub(crate) fn values_mut(&mut self) -> Vec<&mut Data> {
        match self {
            EventKind::ExecutionStarted { input } | EventKind::MapIterationStarted { input, .. } => {
                vec![input]
            }
            EventKind::StateEntered { input, constructed, .. } => {
                let mut values = vec![input];
                values.extend(constructed.as_mut());
                values
            }
            EventKind::TaskScheduled { parameters, subflow, .. } => {
                let mut values = vec![parameters];
                values.extend(subflow.as_mut().and_then(|s| s.output.as_mut()));
                values
            }
            EventKind::TaskSucceeded { output }
            | EventKind::BranchSucceeded { output, .. }
            | EventKind::MapIterationSucceeded { output, .. }
            | EventKind::StateExited { output }
            | EventKind::ExecutionSucceeded { output } => vec![output],
            EventKind::TaskFailed { .. }
            | EventKind::RetryScheduled { .. }
            | EventKind::CatchTaken { .. }
            | EventKind::ChoiceBranchTaken { .. }
            | EventKind::WaitStarted { .. }
            | EventKind::BranchStarted { .. }
            | EventKind::StateFailed { .. }
            | EventKind::ExecutionFailed { .. }
            | EventKind::ExecutionTimedOut { .. }
            | EventKind::ExecutionStopped { .. }
            | EventKind::Warning { .. } => Vec::new(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            EventKind::ExecutionStarted { .. } => "ExecutionStarted",
            EventKind::StateEntered { .. } => "StateEntered",
            EventKind::TaskScheduled { .. } => "TaskScheduled",
            EventKind::TaskSucceeded { .. } => "TaskSucceeded",
            EventKind::TaskFailed { .. } => "TaskFailed",
            EventKind::RetryScheduled { .. } => "RetryScheduled",
            EventKind::CatchTaken { .. } => "CatchTaken",
            EventKind::ChoiceBranchTaken { .. } => "ChoiceBranchTaken",
            EventKind::WaitStarted { .. } => "WaitStarted",
            EventKind::BranchStarted { .. } => "BranchStarted",
            EventKind::BranchSucceeded { .. } => "BranchSucceeded",
            EventKind::MapIterationStarted { .. } => "MapIterationStarted",
            EventKind::MapIterationSucceeded { .. } => "MapIterationSucceeded",
            EventKind::StateExited { .. } => "StateExited",
            EventKind::StateFailed { .. } => "StateFailed",
            EventKind::ExecutionSucceeded { .. } => "ExecutionSucceeded",
            EventKind::ExecutionFailed { .. } => "ExecutionFailed",
            EventKind::ExecutionTimedOut { .. } => "ExecutionTimedOut",
            EventKind::ExecutionStopped { .. } => "ExecutionStopped",
            EventKind::Warning { .. } => "Warning",
        }
    }
}

/// `{"type", "state", "path", "range", "time", ...the event's data}`: the common fields
/// first, so that a reader sees what an event is about before its (possibly long) data.
impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let data = serde_json::to_value(&self.kind).map_err(S::Error::custom)?;
        let Value::Object(mut fields) = data else {
            return Err(S::Error::custom("an event's data is an object"));
        };
        let kind = fields.remove("type").unwrap_or(Value::Null);
        let mut map = serializer.serialize_map(Some(fields.len() + 5))?;
        map.serialize_entry("type", &kind)?;
        map.serialize_entry("state", &self.state)?;
        map.serialize_entry("path", &*self.path)?;
        map.serialize_entry("range", &self.range)?;
        map.serialize_entry("time", &self.time)?;
        for (k, v) in &fields {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}
