//! Service-integration rules as data: which task modes an `Action` supports, the
//! parameters of CloudFlow's optimized integrations, how legacy `resourceArn`s are
//! classified, and the error names the service is known to raise.
//!
//! Everything here is compiled in from the language references, so tools built on
//! this crate work without the reference files.

mod arn;
mod errors;
mod optimized;

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use arn::{
    ArnError, ArnTarget, classify_resource_arn, supported_patterns, supported_patterns_for_action,
};
pub use errors::{Dialects, KNOWN_ERRORS, known_errors};
pub use optimized::{
    OPTIMIZED_INTEGRATIONS, OptimizedIntegration, ParamSpec, ParamType, optimized_integration,
};

/// The error returned by the `FromStr` implementations of this module's enums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// What was being parsed, e.g. "task mode".
    pub what: &'static str,
    /// The rejected text.
    pub value: String,
    /// The accepted spellings.
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a {}; expected one of ", self.value, self.what)?;
        for (i, e) in self.expected.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{e}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownValue {}

/// Declares a fieldless enum whose variants have one exact wire spelling, with
/// `ALL`, `as_str`, `parse`, `Display` and `FromStr`.
macro_rules! wire_enum_impls {
    ($ty:ident, $what:literal, [$($variant:ident => $wire:literal),+ $(,)?]) => {
        impl $ty {
            /// Every value, in documented order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            const SPELLINGS: &'static [&'static str] = &[$($wire),+];

            /// The spelling used in flow definitions.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $wire),+
                }
            }

            /// Parses the exact spelling used in flow definitions (case-sensitive).
            pub fn parse(text: &str) -> Option<$ty> {
                match text {
                    $($wire => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownValue;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $ty::parse(text).ok_or_else(|| UnknownValue {
                    what: $what,
                    value: text.to_owned(),
                    expected: $ty::SPELLINGS,
                })
            }
        }
    };
}

/// # Task mode
///
/// How a CloudFlow Task waits for its integration. Omitted means `RequestComplete`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TaskMode {
    /// The task finishes as soon as the called API answers; the answer is the task result. Default.
    RequestComplete,
    /// The call starts an asynchronous job and the task waits until the service itself reports that the job finished (e.g. an asynchronous function invocation or a child flow). Standard workflows only.
    WaitForSystemCallback,
    /// The task pauses and hands out a task token (`$Context.Current.TaskToken`); it resumes when someone calls ReportTaskSucceeded or ReportTaskFailed with that token. Standard workflows only.
    WaitForCustomCallback,
}

wire_enum_impls!(TaskMode, "task mode", [
    RequestComplete => "RequestComplete",
    WaitForSystemCallback => "WaitForSystemCallback",
    WaitForCustomCallback => "WaitForCustomCallback",
]);

/// # Workflow mode
///
/// The workflow (flow resource) mode. It is not written in the YAML: it is set when the
/// flow is created, so tools must learn it from elsewhere (a setting, a sidecar file, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum WorkflowMode {
    /// Asynchronous executions of up to one year with full history; every task mode is available.
    Standard,
    /// Synchronous executions of at most five minutes; only `RequestComplete` tasks and waits of at most 20 seconds.
    Express,
}

wire_enum_impls!(WorkflowMode, "workflow mode", [
    Standard => "Standard",
    Express => "Express",
]);

/// # Invocation type
///
/// Whether Function Compute is invoked synchronously or asynchronously
/// (CloudFlow `Parameters.invocationType`, legacy `serviceParams.InvocationType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum InvocationType {
    /// Synchronous invocation: the call returns the function's result.
    Sync,
    /// Asynchronous invocation: the call returns once the event is queued.
    Async,
}

wire_enum_impls!(InvocationType, "function invocation type", [
    Sync => "Sync",
    Async => "Async",
]);

/// # Task pattern
///
/// Legacy `pattern`: how a legacy task step waits for its integration. Omitted means
/// `requestResponse`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Pattern {
    /// Call the service and continue as soon as the call returns. Default.
    RequestResponse,
    /// Submit an asynchronous job and wait until it completes (asynchronous function invocation, child flow).
    Sync,
    /// Submit, then pause until ReportTaskSucceeded or ReportTaskFailed is called with the task token (`$context.task.token`), or the task times out.
    WaitForCallback,
}

wire_enum_impls!(Pattern, "task pattern", [
    RequestResponse => "requestResponse",
    Sync => "sync",
    WaitForCallback => "waitForCallback",
]);

/// Which family of integration a CloudFlow `Action` belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntegrationKind {
    /// `FC:InvokeFunction`.
    FunctionCompute,
    /// `FNF:StartExecution` (child workflow).
    ChildWorkflow,
    /// `EventBridge:PutEvents`.
    EventBridge,
    /// `MNS:SendMessage` (Simple Message Queue, formerly MNS).
    MessageQueue,
    /// `HTTP:Request`.
    Http,
    /// `SMS:SendSms`.
    Sms,
    /// Any `OSS:<Operation>`.
    Oss,
    /// Any other `Service:Api`: the OpenAPI operation is called as-is.
    Normal,
}

/// What [`supported_task_modes`] found out about an `Action`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionModes {
    /// The integration family.
    pub kind: IntegrationKind,
    /// A name for messages, e.g. "Function Compute (FC:InvokeFunction)".
    pub name: String,
    /// The task modes the integration supports in Standard workflows.
    pub modes: &'static [TaskMode],
    /// The documentation page the rule comes from.
    pub doc: &'static str,
    /// For optimized integrations, the documented spelling of the Action. It differs
    /// from the input when the input used other letter case (e.g. `fc:invokeFunction`).
    pub canonical_action: Option<&'static str>,
}

pub(crate) const ALL_MODES: &[TaskMode] =
    &[TaskMode::RequestComplete, TaskMode::WaitForSystemCallback, TaskMode::WaitForCustomCallback];
pub(crate) const REQUEST_AND_CUSTOM_CALLBACK: &[TaskMode] =
    &[TaskMode::RequestComplete, TaskMode::WaitForCustomCallback];
pub(crate) const REQUEST_ONLY: &[TaskMode] = &[TaskMode::RequestComplete];

const OSS_DOC: &str = "https://help.aliyun.com/en/document_detail/2573663.html";
const NORMAL_DOC: &str =
    "https://www.alibabacloud.com/help/en/serverless-workflow/latest/general-integration";

/// Splits `Service:Api` into its two parts; `None` unless there is exactly one colon
/// with text on both sides.
pub fn split_action(action: &str) -> Option<(&str, &str)> {
    let (service, api) = action.split_once(':')?;
    if service.trim().is_empty() || api.trim().is_empty() || api.contains(':') {
        return None;
    }
    Some((service.trim(), api.trim()))
}

/// The task modes a CloudFlow `Action` supports in a Standard workflow.
///
/// The service part is matched case-insensitively (the docs write `FNF` and `ECS`
/// for products whose codes are `fnf` and `Ecs`). Optimized integrations are also
/// recognised when the API part differs only in case; `canonical_action` then
/// carries the documented spelling. Anything that is not an optimized integration or
/// an `OSS:` operation is a normal integration, which only supports
/// `RequestComplete` (so is a malformed Action).
pub fn supported_task_modes(action: &str) -> ActionModes {
    let trimmed = action.trim();
    if let Some(integration) = optimized_integration(trimmed) {
        return ActionModes {
            kind: integration.kind,
            name: format!("{} ({})", integration.service, integration.action),
            modes: integration.modes,
            doc: integration.doc[0],
            canonical_action: Some(integration.action),
        };
    }
    match split_action(trimmed) {
        Some((service, _)) if service.eq_ignore_ascii_case("OSS") => ActionModes {
            kind: IntegrationKind::Oss,
            name: format!("Object Storage Service ({trimmed})"),
            modes: REQUEST_ONLY,
            doc: OSS_DOC,
            canonical_action: None,
        },
        _ => ActionModes {
            kind: IntegrationKind::Normal,
            name: format!("normal integration ({trimmed})"),
            modes: REQUEST_ONLY,
            doc: NORMAL_DOC,
            canonical_action: None,
        },
    }
}

/// The task modes an `Action` may use in a workflow of the given mode: Express
/// workflows only support `RequestComplete`, whatever the integration.
pub fn allowed_task_modes(action: &str, mode: WorkflowMode) -> Vec<TaskMode> {
    match mode {
        WorkflowMode::Standard => supported_task_modes(action).modes.to_vec(),
        WorkflowMode::Express => vec![TaskMode::RequestComplete],
    }
}

/// Explains why a Function Compute `invocationType` cannot work with a task mode, or
/// `None` when the pair is valid.
///
/// Only `WaitForSystemCallback` + `Sync` is contradictory: waiting for the system to
/// report the end of an asynchronous job needs an asynchronous invocation.
/// `RequestComplete` + `Async` is a valid fire-and-forget call, and
/// `WaitForCustomCallback` works with either.
pub fn invocation_type_conflict(mode: TaskMode, invocation: InvocationType) -> Option<&'static str> {
    match (mode, invocation) {
        (TaskMode::WaitForSystemCallback, InvocationType::Sync) => Some(
            "WaitForSystemCallback waits for Function Compute to report the end of an asynchronous \
             invocation, so it needs `invocationType: Async`; with `Sync` use `TaskMode: RequestComplete`",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_enums_round_trip() {
        for mode in TaskMode::ALL {
            assert_eq!(TaskMode::parse(mode.as_str()), Some(*mode));
        }
        for pattern in Pattern::ALL {
            assert_eq!(pattern.as_str().parse::<Pattern>(), Ok(*pattern));
        }
        assert_eq!(Pattern::WaitForCallback.as_str(), "waitForCallback");
        let err = "requestcomplete".parse::<TaskMode>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "`requestcomplete` is not a task mode; expected one of `RequestComplete`, \
             `WaitForSystemCallback`, `WaitForCustomCallback`"
        );
        assert_eq!(WorkflowMode::parse("Express"), Some(WorkflowMode::Express));
        assert_eq!(InvocationType::parse("Async"), Some(InvocationType::Async));
        assert_eq!(InvocationType::parse("async"), None);
    }

    #[test]
    fn split_action_needs_one_colon() {
        assert_eq!(split_action("ECS:DescribeInstances"), Some(("ECS", "DescribeInstances")));
        assert_eq!(split_action("FC::InvokeFunction"), None);
        assert_eq!(split_action("FC"), None);
        assert_eq!(split_action(":Api"), None);
    }

    #[test]
    fn task_mode_matrix() {
        use TaskMode::*;
        let cases: &[(&str, IntegrationKind, &[TaskMode])] = &[
            ("FC:InvokeFunction", IntegrationKind::FunctionCompute, ALL_MODES),
            ("fc:InvokeFunction", IntegrationKind::FunctionCompute, ALL_MODES),
            ("FNF:StartExecution", IntegrationKind::ChildWorkflow, ALL_MODES),
            ("fnf:StartExecution", IntegrationKind::ChildWorkflow, ALL_MODES),
            (
                "EventBridge:PutEvents",
                IntegrationKind::EventBridge,
                &[RequestComplete, WaitForCustomCallback],
            ),
            ("MNS:SendMessage", IntegrationKind::MessageQueue, &[RequestComplete, WaitForCustomCallback]),
            ("HTTP:Request", IntegrationKind::Http, &[RequestComplete, WaitForCustomCallback]),
            ("SMS:SendSms", IntegrationKind::Sms, &[RequestComplete, WaitForCustomCallback]),
            ("OSS:GetObject", IntegrationKind::Oss, &[RequestComplete]),
            ("oss:PutObject", IntegrationKind::Oss, &[RequestComplete]),
            ("ECS:DescribeInstances", IntegrationKind::Normal, &[RequestComplete]),
            ("FC:ListFunctions", IntegrationKind::Normal, &[RequestComplete]),
            ("DashScope:QwenTextGeneration", IntegrationKind::Normal, &[RequestComplete]),
            ("FC::InvokeFunction", IntegrationKind::Normal, &[RequestComplete]),
        ];
        for (action, kind, modes) in cases {
            let found = supported_task_modes(action);
            assert_eq!(found.kind, *kind, "{action}");
            assert_eq!(found.modes, *modes, "{action}");
            assert!(found.doc.starts_with("https://"), "{action}");
        }
        let fc = supported_task_modes("FC:InvokeFunction");
        assert_eq!(fc.name, "Function Compute (FC:InvokeFunction)");
        assert_eq!(fc.canonical_action, Some("FC:InvokeFunction"));
        assert_eq!(supported_task_modes("fc:invokefunction").canonical_action, Some("FC:InvokeFunction"));
        assert_eq!(
            supported_task_modes("ECS:DescribeInstances").name,
            "normal integration (ECS:DescribeInstances)"
        );
    }

    #[test]
    fn express_allows_only_request_complete() {
        assert_eq!(
            allowed_task_modes("FC:InvokeFunction", WorkflowMode::Express),
            vec![TaskMode::RequestComplete]
        );
        assert_eq!(allowed_task_modes("FC:InvokeFunction", WorkflowMode::Standard), ALL_MODES);
        assert_eq!(allowed_task_modes("HTTP:Request", WorkflowMode::Standard), REQUEST_AND_CUSTOM_CALLBACK);
    }

    #[test]
    fn invocation_conflicts() {
        use InvocationType::*;
        use TaskMode::*;
        let conflicts: Vec<_> = TaskMode::ALL
            .iter()
            .flat_map(|m| InvocationType::ALL.iter().map(move |i| (*m, *i)))
            .filter(|(m, i)| invocation_type_conflict(*m, *i).is_some())
            .collect();
        assert_eq!(conflicts, vec![(WaitForSystemCallback, Sync)]);
        assert!(invocation_type_conflict(WaitForSystemCallback, Sync).unwrap().contains("Async"));
        assert_eq!(invocation_type_conflict(RequestComplete, Async), None);
        assert_eq!(invocation_type_conflict(WaitForCustomCallback, Sync), None);
        assert_eq!(invocation_type_conflict(WaitForCustomCallback, Async), None);
    }
}
