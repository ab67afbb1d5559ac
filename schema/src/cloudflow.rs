//! The current CloudFlow dialect (`Type: StateMachine`, `SpecVersion: v1`, `States`).
//!
//! Doc comments here are user documentation: they become the JSON Schema
//! `description`s and the editor's hover text. A leading `# Heading` becomes the
//! definition's `title`.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;

use crate::Dialect;
use crate::integration_schema::optimized_parameter_rules;
use crate::integrations::{TaskMode, WorkflowMode};
use crate::schema_rules::{
    Variant, at_least_one_of, discriminator, error_names_schema, exactly_one_of, next_or_end, tagged_union,
};

/// A free-form map whose keys ending in `.$` hold expressions (constructors and
/// `Parameters`).
pub type Constructor = Map<String, Value>;

// Key groups of which one must be present.
const SECONDS_OR_SECONDS_EXPRESSION: &[&str] = &["Seconds", "Seconds.$"];
const ITEMS_PATH_OR_ITEM_READER: &[&str] = &["ItemsPath", "ItemReader"];

// Shared hover texts of the keys that most states have.
macro_rules! doc_name {
    () => {
        "Name of the state, unique within its scope. `StartAt`, `Next`, `Default` and Catch `Next` refer to states by this name. Any characters are allowed, including spaces and CJK."
    };
}
macro_rules! doc_description {
    () => {
        "Free-text note about the state; it does not affect execution."
    };
}
macro_rules! doc_input_constructor {
    () => {
        "Builds the state's input, replacing the input it received. Values are taken literally, except under keys ending in `.$`, whose values are expressions over `$Input`, `$Context` and `$Global` (e.g. `orderId.$: $Input.order.id`); the `.$` is dropped from the resulting key."
    };
}
macro_rules! doc_output_constructor {
    () => {
        "Builds the state's output, which becomes the next state's input. Keys ending in `.$` take expressions."
    };
}
macro_rules! doc_global_constructor {
    () => {
        "Writes execution-wide variables when the state finishes; later states read them as `$Global.<key>`. Keys ending in `.$` take expressions. Keys are at most 128 bytes, values at most 256 KiB."
    };
}
macro_rules! doc_next {
    () => {
        "Name of the state to run next, in the same scope. Give either `Next` or `End: true`."
    };
}
macro_rules! doc_end {
    () => {
        "`true` ends the current scope after this state: the flow, or the enclosing Parallel branch or Map iteration. Give either `Next` or `End: true`."
    };
}
macro_rules! doc_retry {
    () => {
        "Retry rules, checked in order when the state fails; the first rule listing the error applies. Retries come before `Catch`."
    };
}
macro_rules! doc_catch {
    () => {
        "Catch rules, checked in order once retries are exhausted; the first rule listing the error continues at its `Next` state instead of failing."
    };
}

/// # CloudFlow flow definition
///
/// A CloudFlow workflow in the Flow Definition Language: `Type: StateMachine`, `SpecVersion: v1`, and the `States` to run, starting at `StartAt`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct StateMachine {
    /// Kind of document; always `StateMachine`.
    #[serde(rename = "Type")]
    pub kind: DocumentType,
    /// Name of the workflow. It must equal the name the workflow was created with: 1 to 128 letters, digits, `_` or `-`, starting with a letter or `_`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_-]{0,127}$"))]
    pub name: Option<String>,
    /// Version of the definition language; always `v1`.
    pub spec_version: SpecVersion,
    /// Free-text description of the workflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Name of the first state to run; must be one of the top-level `States`.
    pub start_at: String,
    /// The top-level states. Their order does not matter: execution follows `StartAt` and each state's `Next`.
    #[schemars(length(min = 1))]
    pub states: Vec<State>,
    /// Time limit of a whole execution, in seconds (the docs' example is `600`; the unit is inferred).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
}

/// # Document type
///
/// The `Type` of a CloudFlow document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum DocumentType {
    /// A workflow definition.
    StateMachine,
}

/// # Spec version
///
/// The `SpecVersion` of a CloudFlow document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum SpecVersion {
    /// The only version of the current dialect.
    #[serde(rename = "v1")]
    V1,
}

/// # State type
///
/// The kind of state. It decides which other keys the state accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum StateType {
    /// Calls a service integration (`Action`).
    Task,
    /// Hands its input on, optionally reshaped by constructors; does no work.
    Pass,
    /// Pauses for a number of seconds.
    Wait,
    /// Picks the next state by evaluating conditions in order.
    Choice,
    /// Runs several branches at the same time.
    Parallel,
    /// Runs a sub-flow for each element of an array.
    Map,
    /// Ends the current scope successfully.
    Succeed,
    /// Fails the flow with an error.
    Fail,
}

impl StateType {
    /// The `Type` values, in documented order.
    pub const ALL: &'static [StateType] = &[
        StateType::Task,
        StateType::Pass,
        StateType::Wait,
        StateType::Choice,
        StateType::Parallel,
        StateType::Map,
        StateType::Succeed,
        StateType::Fail,
    ];

    /// The spelling used in flow definitions.
    pub const fn as_str(self) -> &'static str {
        match self {
            StateType::Task => "Task",
            StateType::Pass => "Pass",
            StateType::Wait => "Wait",
            StateType::Choice => "Choice",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
        }
    }
}

/// One state of a flow, selected by its `Type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "Type")]
// Documents are small and deserialized once; boxing the larger states would only
// make matching on them clumsier.
#[allow(clippy::large_enum_variant)]
pub enum State {
    Task(TaskState),
    Pass(PassState),
    Wait(WaitState),
    Choice(ChoiceState),
    Parallel(ParallelState),
    Map(MapState),
    Succeed(SucceedState),
    Fail(FailState),
}

impl JsonSchema for State {
    fn schema_name() -> Cow<'static, str> {
        "State".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let variants = vec![
            Variant { value: "Task", schema: generator.subschema_for::<TaskState>() },
            Variant { value: "Pass", schema: generator.subschema_for::<PassState>() },
            Variant { value: "Wait", schema: generator.subschema_for::<WaitState>() },
            Variant { value: "Choice", schema: generator.subschema_for::<ChoiceState>() },
            Variant { value: "Parallel", schema: generator.subschema_for::<ParallelState>() },
            Variant { value: "Map", schema: generator.subschema_for::<MapState>() },
            Variant { value: "Succeed", schema: generator.subschema_for::<SucceedState>() },
            Variant { value: "Fail", schema: generator.subschema_for::<FailState>() },
        ];
        tagged_union::<StateType>(
            generator,
            "Type",
            "State",
            "One state of the flow. Its `Type` decides which other keys are allowed.",
            variants,
        )
    }
}

/// # Task state
///
/// Calls a service integration given by `Action`: an optimized integration such as `FC:InvokeFunction`, or any Alibaba Cloud OpenAPI operation. The call's result is `$Output` in `OutputConstructor`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
#[schemars(transform = discriminator("Type", "StateType", "Task"))]
#[schemars(transform = next_or_end)]
#[schemars(transform = optimized_parameter_rules)]
pub struct TaskState {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_description!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The operation to call, written `Service:Api`. Optimized integrations: `FC:InvokeFunction`, `FNF:StartExecution`, `MNS:SendMessage`, `EventBridge:PutEvents`, `OSS:GetObject` (and other `OSS:` operations), `HTTP:Request`, `SMS:SendSms`. Any other `Service:Api`, e.g. `ECS:DescribeInstances`, calls that OpenAPI operation as-is (normal integration), with the workflow's execution role.
    #[schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9_-]*:[A-Za-z][A-Za-z0-9_]*$"))]
    #[schemars(extend("examples" = [
        "FC:InvokeFunction",
        "FNF:StartExecution",
        "MNS:SendMessage",
        "EventBridge:PutEvents",
        "OSS:GetObject",
        "HTTP:Request",
        "SMS:SendSms",
    ]))]
    pub action: String,
    /// How the task waits for the integration. `RequestComplete` (default): done when the API answers. `WaitForSystemCallback`: waits until the service reports that the started job finished. `WaitForCustomCallback`: waits until ReportTaskSucceeded or ReportTaskFailed is called with the task token. Express workflows allow only `RequestComplete`, and each integration supports only some modes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "RequestComplete"))]
    pub task_mode: Option<TaskMode>,
    /// Request parameters of the Action. Optimized integrations take their own lowerCamelCase names (e.g. `resourceArn`, `invocationType`, `body` for `FC:InvokeFunction`); normal integrations take the OpenAPI operation's parameter names. A key ending in `.$`, at any depth, takes an expression (e.g. `videoUrl.$: $Input.videoUrl`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Constructor>,
    /// Time limit of the task in seconds, from 0 to 604800 (7 days); `0` means no limit. Documented as a string holding the number (e.g. `"30"`); a plain integer is accepted too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<TaskTimeout>,
    #[doc = doc_input_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_constructor: Option<Constructor>,
    /// Builds the state's output, which becomes the next state's input. `$Output` (the integration's result, e.g. `$Output.Body` for a function's return value) is only readable here and in `GlobalConstructor`. Keys ending in `.$` take expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_constructor: Option<Constructor>,
    /// Writes execution-wide variables when the task finishes; later states read them as `$Global.<key>`. Here `$Output` is the raw task result. Keys ending in `.$` take expressions. Keys are at most 128 bytes, values at most 256 KiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_constructor: Option<Constructor>,
    #[doc = doc_retry!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<RetryRule>>,
    #[doc = doc_catch!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<CatchRule>>,
    /// Obsolete: early-2024 versions of the language combined retrying and catching in one `OnErrors` list. Use `Retry` and `Catch` instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend(
        "deprecated" = true,
        "x-fdl-replaced-by" = "Retry/Catch",
        "deprecationMessage" = "OnErrors is obsolete: use Retry and Catch."
    ))]
    pub on_errors: Option<Vec<OnErrorsRule>>,
    #[doc = doc_next!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// Task `Timeout`: seconds as a string (the documented form) or as an integer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TaskTimeout {
    /// `Timeout: 30`.
    Seconds(u64),
    /// `Timeout: "30"`.
    Text(String),
}

impl JsonSchema for TaskTimeout {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "TaskTimeout".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "oneOf": [
                { "type": "string", "pattern": TASK_TIMEOUT_PATTERN },
                { "type": "integer", "minimum": 0, "maximum": TASK_TIMEOUT_MAX },
            ]
        })
    }
}

/// The largest task `Timeout`, 7 days in seconds.
pub const TASK_TIMEOUT_MAX: u64 = 604_800;
/// Decimal strings from 0 to 604800.
const TASK_TIMEOUT_PATTERN: &str =
    r"^(0|[1-9][0-9]{0,4}|[1-5][0-9]{5}|60[0-3][0-9]{3}|604[0-7][0-9]{2}|604800)$";

/// # Obsolete OnErrors rule
///
/// One rule of the obsolete `OnErrors` list: it either retried (`Retry`) or continued at another state (`Next`). Replaced by separate `Retry` and `Catch` rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct OnErrorsRule {
    /// Error names this rule handled; `FnF.ALL` matched every error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<String>>,
    /// Label of the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How to retry; now a `Retry` rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<OnErrorsRetry>,
    /// State to continue with; now a `Catch` rule. Took priority over `Retry`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Built the input of `Next`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_constructor: Option<Constructor>,
}

/// # Obsolete OnErrors retry settings
///
/// Retry settings of an obsolete `OnErrors` rule; see `Retry` rules for the current form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct OnErrorsRetry {
    /// Maximum number of retries; now `MaxAttempts` of a `Retry` rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    /// Seconds between retries; now `IntervalSeconds`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_backoff: Option<u64>,
    /// Growth factor of the interval; now `BackoffRate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
}

/// # Pass state
///
/// Does no work: hands its input on, optionally reshaped by `InputConstructor` and `OutputConstructor`. Useful for constants and placeholders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
#[schemars(transform = discriminator("Type", "StateType", "Pass"))]
#[schemars(transform = next_or_end)]
pub struct PassState {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_description!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[doc = doc_input_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_constructor: Option<Constructor>,
    #[doc = doc_output_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_constructor: Option<Constructor>,
    #[doc = doc_global_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_constructor: Option<Constructor>,
    #[doc = doc_next!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// The largest Wait `Seconds` in a Standard workflow.
pub const WAIT_SECONDS_MAX_STANDARD: u64 = 300;
/// The largest Wait `Seconds` in an Express workflow.
pub const WAIT_SECONDS_MAX_EXPRESS: u64 = 20;

/// The largest Wait `Seconds` for a workflow mode.
pub const fn wait_seconds_max(mode: WorkflowMode) -> u64 {
    match mode {
        WorkflowMode::Standard => WAIT_SECONDS_MAX_STANDARD,
        WorkflowMode::Express => WAIT_SECONDS_MAX_EXPRESS,
    }
}

/// # Wait state
///
/// Pauses the flow for `Seconds` (or `Seconds.$`) seconds, then continues.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
#[schemars(transform = discriminator("Type", "StateType", "Wait"))]
#[schemars(transform = exactly_one_of(SECONDS_OR_SECONDS_EXPRESSION))]
#[schemars(transform = next_or_end)]
pub struct WaitState {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_description!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How long to wait, in whole seconds: 1 to 300 in Standard workflows, 1 to 20 in Express workflows. Give either `Seconds` or `Seconds.$`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 300))]
    pub seconds: Option<u64>,
    /// An expression giving the number of seconds to wait, e.g. `$Input.delay`. Use instead of `Seconds` when the duration comes from data.
    #[serde(rename = "Seconds.$", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub seconds_expression: Option<String>,
    /// Obsolete: waiting until a point in time is no longer supported. Use `Seconds` or `Seconds.$`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend(
        "deprecated" = true,
        "x-fdl-replaced-by" = "Seconds",
        "deprecationMessage" = "UntilDateTime is obsolete: use Seconds or Seconds.$."
    ))]
    pub until_date_time: Option<String>,
    #[doc = doc_input_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_constructor: Option<Constructor>,
    #[doc = doc_output_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_constructor: Option<Constructor>,
    #[doc = doc_global_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_constructor: Option<Constructor>,
    #[doc = doc_next!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// # Choice state
///
/// Chooses the next state: `Branches` are checked in order and the first whose `Condition` is true decides; otherwise `Default` runs. A Choice has no `Next` or `End` of its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
#[schemars(transform = discriminator("Type", "StateType", "Choice"))]
pub struct ChoiceState {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_description!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[doc = doc_input_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_constructor: Option<Constructor>,
    #[doc = doc_global_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_constructor: Option<Constructor>,
    /// Conditions checked in order; the first that is true selects its `Next` state.
    #[schemars(length(min = 1))]
    pub branches: Vec<ChoiceBranch>,
    /// State to run when no condition is true. Required, so a Choice always has a way out.
    pub default: String,
}

/// # Choice branch
///
/// A condition and the state to run when it is true.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ChoiceBranch {
    /// Expression that must evaluate to `true` or `false`, e.g. `$Input.status == "ready"`. Operators: `==`, `!=`, `<`, `<=`, `>`, `>=` (strings and numbers), `&&`, `||`, `!`, and `in` (array element or object key). Strings are written in double quotes or backquotes.
    #[schemars(length(min = 1))]
    pub condition: String,
    /// State to run when the condition is true, in the same scope as the Choice.
    pub next: String,
}

/// The largest number of branches of a Parallel state.
pub const PARALLEL_BRANCHES_MAX: usize = 50;

/// # Parallel state
///
/// Runs its `Branches` at the same time, each with the same input. Its output is `{Branch0: …, Branch1: …}`, one entry per branch in declaration order. If a branch fails, the Parallel state fails.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
#[schemars(transform = discriminator("Type", "StateType", "Parallel"))]
#[schemars(transform = next_or_end)]
pub struct ParallelState {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_description!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Builds the input that every branch receives. Keys ending in `.$` take expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_constructor: Option<Constructor>,
    /// The branches to run concurrently, at most 50.
    #[schemars(length(min = 1, max = 50))]
    pub branches: Vec<ParallelBranch>,
    /// Builds the state's output from the combined result (`$Input.Branch0`, `$Input.Branch1`, …). Keys ending in `.$` take expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_constructor: Option<Constructor>,
    #[doc = doc_global_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_constructor: Option<Constructor>,
    #[doc = doc_retry!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<RetryRule>>,
    #[doc = doc_catch!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<CatchRule>>,
    #[doc = doc_next!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// # Parallel branch
///
/// One branch of a Parallel state: a nested scope with its own `StartAt` and `States`. A Succeed state inside ends only this branch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ParallelBranch {
    /// Name of the branch's first state; must be one of this branch's `States`.
    pub start_at: String,
    /// The states of this branch. `Next` and `Default` can only name states of the same branch.
    #[schemars(length(min = 1))]
    pub states: Vec<State>,
}

/// The largest `MaxConcurrency` of a Map state.
pub const MAP_MAX_CONCURRENCY: u64 = 40;

/// # Map state
///
/// Runs `Processor` once for each element of the array given by `ItemsPath`, several at a time; the output is `{Items: [...]}` with one result per element. With `ProcessorConfig` (distributed mode) each item or batch runs as a child execution, and items may come from OSS through `ItemReader`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
#[schemars(transform = discriminator("Type", "StateType", "Map"))]
#[schemars(transform = at_least_one_of(ITEMS_PATH_OR_ITEM_READER))]
#[schemars(transform = next_or_end)]
pub struct MapState {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_description!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[doc = doc_input_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_constructor: Option<Constructor>,
    /// Expression giving the array to iterate over, e.g. `$Input.items` or `$Context.Current.Input`. Each element is the input of one `Processor` run. Needed unless `ItemReader` supplies the items.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub items_path: Option<String>,
    /// The sub-flow run for each element.
    pub processor: Processor,
    /// How many `Processor` runs may execute at the same time, at most 40.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 40))]
    pub max_concurrency: Option<u64>,
    /// Misspelling of `MaxConcurrency` printed in the official field tables. Whether the service honours it is unknown: write `MaxConcurrency`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 40))]
    #[schemars(extend(
        "deprecated" = true,
        "x-fdl-replaced-by" = "MaxConcurrency",
        "deprecationMessage" = "MaxConcuccency is a misspelling: write MaxConcurrency."
    ))]
    pub max_concuccency: Option<u64>,
    /// Distributed mode: how the child executions run. Setting it runs each item (or batch) as a separate child execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processor_config: Option<ProcessorConfig>,
    /// Distributed mode: reads the items from OSS instead of `ItemsPath`. Its keys are not documented in detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_reader: Option<Map<String, Value>>,
    /// Distributed mode: reshapes each item before it is processed; the original item is `$Item`. Keys ending in `.$` take expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_constructor: Option<Constructor>,
    /// Distributed mode: groups items into batches; each batch is the input of one child execution. Its keys are not documented in detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_batcher: Option<Map<String, Value>>,
    /// Distributed mode: writes the children's results to OSS instead of returning them. Its keys are not documented in detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_writer: Option<Map<String, Value>>,
    /// Distributed mode: upper limit on the number of items processed (quota 10000 per execution, adjustable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "max_items_schema")]
    pub max_items: Option<Value>,
    /// Distributed mode: percentage (0 to 100) of child executions that may fail without failing the Map. By default one failure fails it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub tolerated_failure_percentage: Option<f64>,
    /// Distributed mode: number of child executions that may fail without failing the Map. By default one failure fails it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerated_failure_count: Option<u64>,
    /// Builds the state's output from `{Items: [...]}`, the results in element order. Keys ending in `.$` take expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_constructor: Option<Constructor>,
    #[doc = doc_global_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_constructor: Option<Constructor>,
    #[doc = doc_retry!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<RetryRule>>,
    #[doc = doc_catch!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<CatchRule>>,
    #[doc = doc_next!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

// The docs say "int/object" without showing the object form.
fn max_items_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "oneOf": [
            { "type": "integer", "minimum": 0 },
            { "type": "object" },
        ]
    })
}

/// # Map processor
///
/// The sub-flow a Map state runs for each item: a nested scope with its own `StartAt` and `States`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Processor {
    /// Name of the processor's first state; must be one of its `States`.
    pub start_at: String,
    /// The states run for each item. `Next` and `Default` can only name states of this processor.
    #[schemars(length(min = 1))]
    pub states: Vec<State>,
}

/// # Map processor configuration
///
/// Distributed Map: how the child executions run. Keys besides `ExecutionMode` are not documented.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ProcessorConfig {
    /// Workflow mode of the child executions, `Express` or `Standard`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_mode: Option<WorkflowMode>,
    /// Further, undocumented settings.
    #[serde(flatten)]
    #[schemars(skip)]
    pub other: Map<String, Value>,
}

/// # Succeed state
///
/// Ends the current scope successfully, like `return`: at top level the flow succeeds; inside a Parallel branch or a Map iteration only that branch or iteration ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
#[schemars(transform = discriminator("Type", "StateType", "Succeed"))]
pub struct SucceedState {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_description!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[doc = doc_input_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_constructor: Option<Constructor>,
    #[doc = doc_output_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_constructor: Option<Constructor>,
    #[doc = doc_global_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_constructor: Option<Constructor>,
    /// Not needed: a Succeed state always ends its scope. Tolerated because official examples write it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// # Fail state
///
/// Stops the current scope and fails the flow with an error, like `throw`. An enclosing Parallel or Map state fails with it and may catch it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
#[schemars(transform = discriminator("Type", "StateType", "Fail"))]
pub struct FailState {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_description!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Machine-readable error code, e.g. `customBizCode`. Recommended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Human-readable error message, e.g. `order not found`. The field table requires it, but the official example leaves it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[doc = doc_input_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_constructor: Option<Constructor>,
    #[doc = doc_output_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_constructor: Option<Constructor>,
    #[doc = doc_global_constructor!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_constructor: Option<Constructor>,
    /// Not needed: a Fail state always ends the flow. Tolerated because the official example writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// The largest `IntervalSeconds` and `MaxBackoffSeconds` of a retry rule (one day).
pub const RETRY_SECONDS_MAX: u64 = 86_400;

/// # Retry rule
///
/// Retries the failed state when the error is one of `Errors`: waits `IntervalSeconds`, multiplied by `BackoffRate` after each attempt and capped by `MaxBackoffSeconds`, for at most `MaxAttempts` retries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct RetryRule {
    /// Error names this rule handles, e.g. `FC.ResourceThrottled`; `FnF.ALL` matches every error. List specific names in rules before a `FnF.ALL` rule.
    #[schemars(schema_with = "cloudflow_error_names")]
    pub errors: Vec<String>,
    /// Label of the rule, shown in the console (e.g. `Retry policy #1`). Required by newer versions of the docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Maximum number of retries.
    pub max_attempts: u64,
    /// Seconds to wait before the first retry, at most 86400.
    #[schemars(range(max = 86400))]
    pub interval_seconds: u64,
    /// Factor applied to the interval after each retry, e.g. `2` doubles it. Without it the interval stays the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub backoff_rate: Option<f64>,
    /// Upper limit of the growing interval, in seconds, at most 86400.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 86400))]
    pub max_backoff_seconds: Option<u64>,
}

/// # Catch rule
///
/// When the state fails with one of `Errors` (after any retries), continues at `Next` instead of failing the flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct CatchRule {
    /// Error names this rule handles, e.g. `FC.ResourceExhausted`; `FnF.ALL` matches every error.
    #[schemars(schema_with = "cloudflow_error_names")]
    pub errors: Vec<String>,
    /// Label of the rule, shown in the console (e.g. `Error catch rule #1`). Required by newer versions of the docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Builds the input of the `Next` state; the error is readable as `$Context.Current.Error.Code` and `$Context.Current.Error.Detail`. Keys ending in `.$` take expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_constructor: Option<Constructor>,
    /// State to continue with, in the same scope as the failed state.
    pub next: String,
}

fn cloudflow_error_names(_: &mut SchemaGenerator) -> Schema {
    error_names_schema(Dialect::CloudFlow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_deserialize_by_type() {
        let doc: StateMachine = serde_json::from_value(serde_json::json!({
            "Type": "StateMachine",
            "SpecVersion": "v1",
            "Name": "demo",
            "StartAt": "Wait1",
            "States": [
                { "Type": "Wait", "Name": "Wait1", "Seconds.$": "$Input.delay", "Next": "Call" },
                {
                    "Type": "Task", "Name": "Call", "Action": "FC:InvokeFunction",
                    "Timeout": "30", "Parameters": { "body": { "x.$": "$Input.x" } }, "End": true
                }
            ]
        }))
        .unwrap();
        let State::Wait(wait) = &doc.states[0] else { panic!("not a Wait: {:?}", doc.states[0]) };
        assert_eq!(wait.seconds_expression.as_deref(), Some("$Input.delay"));
        let State::Task(task) = &doc.states[1] else { panic!("not a Task") };
        assert_eq!(task.timeout, Some(TaskTimeout::Text("30".into())));
        let back = serde_json::to_value(&doc).unwrap();
        assert_eq!(back["States"][0]["Type"], "Wait");
        assert!(back["States"][0].get("Seconds").is_none());
    }

    #[test]
    fn unknown_keys_are_rejected_by_serde_too() {
        let result: Result<State, _> = serde_json::from_value(serde_json::json!({
            "Type": "Pass", "Name": "P", "End": true, "Result": 1
        }));
        assert!(result.unwrap_err().to_string().contains("unknown field `Result`"));
    }

    #[test]
    fn state_type_spellings() {
        for ty in StateType::ALL {
            assert_eq!(serde_json::to_value(ty).unwrap(), ty.as_str());
        }
        assert_eq!(wait_seconds_max(WorkflowMode::Express), 20);
    }
}
