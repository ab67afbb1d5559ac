//! The compiled form of a flow that the interpreter runs: states and scopes by index,
//! transitions resolved to indices, expressions parsed once, constructors compiled to
//! templates. Both dialects compile to this one shape; what differs between them is
//! recorded as data ([`Program::dialect`], legacy mappings, [`Kind::Foreach`]).

use std::sync::Arc;

use super::deploy::DeployVars;

use fdl_schema::Dialect;
use serde_json::Value;

use super::data::Data;
use super::result::Range;
use crate::expr::Expr;
use crate::syntax::TextRange;

pub type StateId = u32;
pub type ScopeId = u32;

/// The top-level scope.
pub const TOP: ScopeId = 0;

#[derive(Debug)]
pub struct Program {
    pub dialect: Dialect,
    /// The flow's `Name` (legacy: `name`), if written.
    pub name: Option<Arc<str>>,
    pub states: Vec<StateDef>,
    pub scopes: Vec<ScopeDef>,
    /// Execution timeout in seconds (CloudFlow `Timeout`, legacy `timeoutSeconds`).
    pub timeout: Option<f64>,
    /// Legacy flow-level `inputMappings` and `outputMappings`.
    pub flow_input: Option<Template>,
    pub flow_output: Option<Template>,
    /// The values given for deploy-time placeholders (sub-flows are read with them too).
    pub deploy: Arc<DeployVars>,
    /// Placeholders that had no value, as written, where first met: the run says so.
    pub unfilled: Vec<(Arc<str>, Range)>,
}

#[derive(Debug)]
pub struct ScopeDef {
    /// The state whose branch, processor or step list this is (`None` at the top).
    pub owner: Option<StateId>,
    pub start: Target,
    /// The states in list order (legacy steps run in this order).
    pub states: Vec<StateId>,
}

/// Where a transition goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    State(StateId),
    /// `End: true` (legacy: the last step of a list, or `end: true`).
    End,
    /// Neither `Next` nor `End` (the checker reports it; a forced run stops here).
    Missing,
    /// A name that is no state of the scope.
    Unknown(Arc<str>),
}

#[derive(Debug)]
pub struct StateDef {
    pub name: Arc<str>,
    pub kind: Kind,
    pub scope: ScopeId,
    /// The state's mapping in the source, as bytes and as an LSP range.
    pub span: TextRange,
    pub range: Range,
    pub next: Target,
    /// CloudFlow InputConstructor; legacy inputMappings.
    pub input: Option<Template>,
    /// CloudFlow OutputConstructor; legacy outputMappings.
    pub output: Option<Template>,
    pub global: Option<Template>,
    pub retry: Vec<RetryRule>,
    pub catch: Vec<CatchRule>,
    /// Legacy errorMappings.
    pub error_mappings: Option<Template>,
}

#[derive(Debug)]
pub enum Kind {
    Pass,
    Task(Box<TaskDef>),
    Wait(WaitDef),
    Choice(ChoiceDef),
    Parallel(Vec<ScopeId>),
    Map(Box<MapDef>),
    /// Legacy foreach.
    Foreach(Box<ForeachDef>),
    Succeed,
    Fail {
        code: Arc<str>,
        detail: Arc<str>,
    },
    /// A state the interpreter cannot run (no or unknown `Type`): reaching it fails the run.
    Invalid(Arc<str>),
}

impl Kind {
    pub fn label(&self, dialect: Dialect) -> &'static str {
        let (cloudflow, legacy) = match self {
            Kind::Pass => ("Pass", "pass"),
            Kind::Task(_) => ("Task", "task"),
            Kind::Wait(_) => ("Wait", "wait"),
            Kind::Choice(_) => ("Choice", "choice"),
            Kind::Parallel(_) => ("Parallel", "parallel"),
            Kind::Map(_) => ("Map", "foreach"),
            Kind::Foreach(_) => ("Map", "foreach"),
            Kind::Succeed => ("Succeed", "succeed"),
            Kind::Fail { .. } => ("Fail", "fail"),
            Kind::Invalid(_) => ("?", "?"),
        };
        if dialect == Dialect::CloudFlow { cloudflow } else { legacy }
    }
}

/// How a task waits for its integration (legacy patterns map onto CloudFlow's modes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `RequestComplete`, legacy `requestResponse`.
    Request,
    /// `WaitForSystemCallback`, legacy `sync`.
    SystemCallback,
    /// `WaitForCustomCallback`, legacy `waitForCallback`.
    CustomCallback,
}

/// What a task calls, as far as mocks and default results care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Integration {
    /// `FC:InvokeFunction`, or a legacy `acs:fc:` function.
    Function,
    /// `FNF:StartExecution` or a legacy `acs:fnf:::flow/NAME`: the name from the ARN when
    /// it is a constant.
    SubFlow {
        name: Option<Arc<str>>,
    },
    /// Legacy `action: fnf:StartExecution` (an OpenAPI call, `FlowName` in serviceParams).
    StartExecutionApi,
    Http,
    MessageQueue,
    /// A legacy MNS topic.
    Topic,
    EventBridge,
    Sms,
    Oss,
    DashScope,
    /// Any other `Service:Api`.
    Api,
}

#[derive(Debug)]
pub struct TaskDef {
    /// `Action` (legacy: `action`, or the `resourceArn`), as written.
    pub action: Arc<str>,
    /// The name mocks can use for the integration: `FC:InvokeFunction`, `MNS:SendMessage`…
    pub integration_action: Arc<str>,
    pub integration: Integration,
    pub mode: Mode,
    /// CloudFlow Parameters; legacy serviceParams.
    pub parameters: Option<Template>,
    /// Seconds; `None` or 0 means no timeout.
    pub timeout: Option<f64>,
}

#[derive(Debug)]
pub enum WaitDef {
    Seconds(f64),
    SecondsExpr(Box<CompiledExpr>),
    /// An RFC 3339 time (legacy `timestamp`, obsolete CloudFlow `UntilDateTime`).
    Timestamp(Arc<str>),
    TimestampExpr(Box<CompiledExpr>),
    /// Nothing usable: the checker reports it; a forced run waits 0 seconds.
    Missing,
}

#[derive(Debug)]
pub struct ChoiceDef {
    pub branches: Vec<ChoiceBranch>,
    pub default: Option<ChoiceDefault>,
}

#[derive(Debug)]
pub struct ChoiceBranch {
    pub condition: CompiledExpr,
    /// CloudFlow `Next`; legacy `goto` (`End` when absent: go on with the next step).
    pub next: Target,
    /// Legacy nested `steps`.
    pub steps: Option<ScopeId>,
}

#[derive(Debug)]
pub struct ChoiceDefault {
    pub next: Target,
    pub steps: Option<ScopeId>,
}

#[derive(Debug)]
pub struct MapDef {
    pub items: Option<CompiledExpr>,
    pub item_constructor: Option<Template>,
    pub processor: Option<ScopeId>,
    /// 0: no limit.
    pub max_concurrency: usize,
    /// Distributed mode (ProcessorConfig, ItemReader, …): simulated inline.
    pub distributed: bool,
}

#[derive(Debug)]
pub struct ForeachDef {
    pub collection: Option<CompiledExpr>,
    pub item: Arc<str>,
    pub index: Option<Arc<str>>,
    pub body: Option<ScopeId>,
}

#[derive(Debug)]
pub struct RetryRule {
    pub errors: Vec<Arc<str>>,
    pub max_attempts: u32,
    pub interval: f64,
    /// Multiplier applied after each attempt (CloudFlow `BackoffRate`, legacy `multiplier`).
    pub backoff: f64,
    pub max_interval: Option<f64>,
}

#[derive(Debug)]
pub struct CatchRule {
    pub errors: Vec<Arc<str>>,
    pub next: Target,
    pub output: Option<Template>,
}

/// A value built at run time: literal parts are kept as values, `.$` parts as parsed
/// expressions.
#[derive(Debug)]
pub enum Template {
    Const(Data),
    Expr(Box<CompiledExpr>),
    Object(Vec<(Arc<str>, Template)>),
    Array(Vec<Template>),
}

impl Template {
    /// Folds parts without expressions into constants.
    pub fn object(entries: Vec<(Arc<str>, Template)>) -> Template {
        if entries.iter().all(|(_, t)| matches!(t, Template::Const(_))) {
            let map = entries
                .into_iter()
                .map(|(k, t)| {
                    (k.to_string(), if let Template::Const(d) = t { d.into_value() } else { Value::Null })
                })
                .collect();
            Template::Const(Data::new(Value::Object(map)))
        } else {
            Template::Object(entries)
        }
    }

    pub fn array(items: Vec<Template>) -> Template {
        if items.iter().all(|t| matches!(t, Template::Const(_))) {
            let values = items
                .into_iter()
                .map(|t| if let Template::Const(d) = t { d.into_value() } else { Value::Null });
            Template::Const(Data::new(Value::Array(values.collect())))
        } else {
            Template::Array(items)
        }
    }
}

/// An expression compiled once: its text, where it is, and its tree or the static error
/// that stops it from running.
#[derive(Debug)]
pub struct CompiledExpr {
    pub text: Arc<str>,
    /// The value's range in the document.
    pub span: TextRange,
    pub parsed: Result<Expr, StaticError>,
    /// Whether it reads `$Context` (which is then built for it).
    pub reads_context: bool,
}

#[derive(Clone, Debug)]
pub struct StaticError {
    pub code: &'static str,
    pub message: String,
}
