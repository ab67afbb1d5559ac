//! The legacy Serverless Workflow dialect (`version: v1`, `type: flow`, `steps`).
//!
//! Steps run in list order; `end`, `succeed`, `fail`, choice `goto` and catch
//! `goto` change that order. Doc comments here are user documentation: they become
//! the JSON Schema `description`s and the editor's hover text.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;

use crate::Dialect;
use crate::integrations::Pattern;
use crate::schema_rules::{Variant, discriminator, error_names_schema, exactly_one_of, tagged_union};

// Key groups of which one must be present.
const RESOURCE_ARN_OR_ACTION: &[&str] = &["resourceArn", "action"];
const DURATION_OR_TIMESTAMP: &[&str] = &["duration", "timestamp"];

// Shared hover texts of the keys that most steps have.
macro_rules! doc_name {
    () => {
        "Name of the step. `goto` refers to steps by this name, so keep it unique (at least among its siblings)."
    };
}
macro_rules! doc_input_mappings {
    () => {
        "Builds this step's input from the parent's input (`$input`) and the results of earlier steps (`$local`). Without it the step receives the parent's input merged with `$local`."
    };
}
macro_rules! doc_output_mappings {
    () => {
        "Builds this step's output from its input (`$input`) and its result (`$local`). Without it the output is `$local`."
    };
}
macro_rules! doc_end {
    () => {
        "`true` stops the step list this step belongs to: the steps after it are skipped."
    };
}

/// # Serverless Workflow flow definition (legacy)
///
/// A flow in the legacy Serverless Workflow dialect: `version`, `type: flow` and the `steps` to run in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Flow {
    /// Version of the definition language: `v1`, or `v1beta1` (older, still accepted).
    pub version: Version,
    /// Kind of document; always `flow`.
    #[serde(rename = "type")]
    pub kind: DocumentType,
    /// Name of the flow. Not documented as part of the definition (the flow's name is given when it is created); it appears in an API example and is accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Time limit of a whole execution, in seconds; a longer execution ends as timed out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    /// Builds the flow's input from the execution input (`$input`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_mappings: Option<Vec<Mapping>>,
    /// Builds the execution's output from the flow's input (`$input`) and the merged results of the top-level steps (`$local`). Without it the output is `$local`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_mappings: Option<Vec<Mapping>>,
    /// The steps, run one after another in list order.
    #[schemars(length(min = 1))]
    pub steps: Vec<Step>,
}

/// # Version
///
/// The `version` of a legacy flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Version {
    /// The documented version.
    #[serde(rename = "v1")]
    V1,
    /// The earlier beta version, still used by many official examples and accepted by the service.
    #[serde(rename = "v1beta1")]
    V1beta1,
}

/// # Document type
///
/// The `type` of a legacy document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum DocumentType {
    /// A flow definition.
    #[serde(rename = "flow")]
    Flow,
}

/// # Step type
///
/// The kind of step. It decides which other keys the step accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StepType {
    /// Calls a function, a child flow, an MNS queue or topic (`resourceArn`) or a cloud API (`action`).
    Task,
    /// Outputs constants or reshapes its input; does no work.
    Pass,
    /// Pauses for a duration or until a point in time.
    Wait,
    /// Runs the first branch whose condition is true.
    Choice,
    /// Runs several branches at the same time.
    Parallel,
    /// Runs steps for each element of an array, in parallel.
    Foreach,
    /// Stops the current step list successfully.
    Succeed,
    /// Fails the flow with an error.
    Fail,
}

impl StepType {
    /// The `type` values, in documented order.
    pub const ALL: &'static [StepType] = &[
        StepType::Task,
        StepType::Pass,
        StepType::Wait,
        StepType::Choice,
        StepType::Parallel,
        StepType::Foreach,
        StepType::Succeed,
        StepType::Fail,
    ];

    /// The spelling used in flow definitions.
    pub const fn as_str(self) -> &'static str {
        match self {
            StepType::Task => "task",
            StepType::Pass => "pass",
            StepType::Wait => "wait",
            StepType::Choice => "choice",
            StepType::Parallel => "parallel",
            StepType::Foreach => "foreach",
            StepType::Succeed => "succeed",
            StepType::Fail => "fail",
        }
    }
}

/// One step of a legacy flow, selected by its `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
// Documents are small and deserialized once; boxing the larger states would only
// make matching on them clumsier.
#[allow(clippy::large_enum_variant)]
pub enum Step {
    Task(TaskStep),
    Pass(PassStep),
    Wait(WaitStep),
    Choice(ChoiceStep),
    Parallel(ParallelStep),
    Foreach(ForeachStep),
    Succeed(SucceedStep),
    Fail(FailStep),
}

impl JsonSchema for Step {
    fn schema_name() -> Cow<'static, str> {
        "Step".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let variants = vec![
            Variant { value: "task", schema: generator.subschema_for::<TaskStep>() },
            Variant { value: "pass", schema: generator.subschema_for::<PassStep>() },
            Variant { value: "wait", schema: generator.subschema_for::<WaitStep>() },
            Variant { value: "choice", schema: generator.subschema_for::<ChoiceStep>() },
            Variant { value: "parallel", schema: generator.subschema_for::<ParallelStep>() },
            Variant { value: "foreach", schema: generator.subschema_for::<ForeachStep>() },
            Variant { value: "succeed", schema: generator.subschema_for::<SucceedStep>() },
            Variant { value: "fail", schema: generator.subschema_for::<FailStep>() },
        ];
        tagged_union::<StepType>(
            generator,
            "type",
            "Step",
            "One step of the flow. Its `type` decides which other keys are allowed.",
            variants,
        )
    }
}

/// # Task step
///
/// Calls an integrated service: a Function Compute function, a child flow or an MNS queue or topic given by `resourceArn`, or a cloud API given by `action`. The call's result is `$local` in `outputMappings`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(transform = discriminator("type", "StepType", "task"))]
#[schemars(transform = exactly_one_of(RESOURCE_ARN_OR_ACTION))]
pub struct TaskStep {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    /// What to call. Function: `acs:fc:{region}:{account}:services/{service}[.{qualifier}]/functions/{function}`. Child flow: `acs:fnf:::flow/{name}`. MNS queue: `acs:mns:::/queues/{queue}/messages`; topic: `acs:mns:::/topics/{topic}/messages`. Region and account may be empty (same as the flow's). Give either `resourceArn` or `action`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub resource_arn: Option<String>,
    /// A cloud API to call directly, written `{service}:{api}`, e.g. `ocr:RecognizeIdentityCard` or `fnf:StartExecution`; its errors are reported as `{service}.{Code}`. Give either `resourceArn` or `action`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[^:\s]+:[^:\s]+$"))]
    pub action: Option<String>,
    /// How the step waits for the service: `requestResponse` (default), `sync` or `waitForCallback`. Functions invoked synchronously support `requestResponse` and `waitForCallback`; asynchronously invoked functions and child flows support all three; MNS supports `requestResponse` and `waitForCallback`; `action` calls only `requestResponse`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "requestResponse"))]
    pub pattern: Option<Pattern>,
    /// Request parameters of the service, named as the service names them (e.g. `InvocationType: Async` for a function, `Input` and `ExecutionName` for a child flow, `MessageBody` for MNS). Values are constants or paths into the step's input such as `$` or `$.key`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_params: Option<Map<String, Value>>,
    /// Time limit of the task in seconds; a task that runs longer times out (official examples retry such tasks on `FnF.TaskTimeout`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    /// Builds this step's input from the parent's input (`$input`) and the results of earlier steps (`$local`); for a function this is the event it receives. Without it the step receives the parent's input merged with `$local`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_mappings: Option<Vec<Mapping>>,
    /// Builds this step's output from its input (`$input`) and the service's result (`$local`; for a function, its return value, which must be a JSON object). Without it the output is `$local`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_mappings: Option<Vec<Mapping>>,
    /// When the step fails and a `catch` rule applies, builds the output handed on from the reserved `$local.error` and `$local.cause`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_mappings: Option<Vec<Mapping>>,
    /// Retry policies, matched in order when the step fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<RetryPolicy>>,
    /// Catch policies, matched in order once retries are exhausted; the first match jumps to its `goto` step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<CatchPolicy>>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// # Pass step
///
/// Does no work: outputs constants or reshapes its input through `outputMappings`. Its `$local` is empty. Also used as a placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(transform = discriminator("type", "StepType", "pass"))]
pub struct PassStep {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_input_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_mappings: Option<Vec<Mapping>>,
    #[doc = doc_output_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_mappings: Option<Vec<Mapping>>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// The longest legacy wait, two days in seconds.
pub const WAIT_SECONDS_MAX: u64 = 172_800;

/// # Wait step
///
/// Pauses for `duration` seconds or until `timestamp`, at most two days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(transform = discriminator("type", "StepType", "wait"))]
#[schemars(transform = exactly_one_of(DURATION_OR_TIMESTAMP))]
pub struct WaitStep {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    /// How long to wait in seconds (at most 172800, two days): a number such as `10`, or a path into the step's input such as `$.delay`. Give either `duration` or `timestamp`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<WaitDuration>,
    /// When to stop waiting: an RFC 3339 time such as `2019-05-02T15:04:05Z`, or a path into the step's input such as `$.until`. A time in the past ends the wait at once. Give either `duration` or `timestamp`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub timestamp: Option<String>,
    #[doc = doc_input_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_mappings: Option<Vec<Mapping>>,
    #[doc = doc_output_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_mappings: Option<Vec<Mapping>>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// A wait `duration`: seconds, or a path into the step's input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WaitDuration {
    /// `duration: 10`.
    Seconds(u64),
    /// `duration: $.delay`.
    Path(String),
}

impl JsonSchema for WaitDuration {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "WaitDuration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "oneOf": [
                { "type": "integer", "minimum": 0, "maximum": WAIT_SECONDS_MAX },
                { "type": "string", "minLength": 1 },
            ]
        })
    }
}

/// # Choice step
///
/// Runs the first of `choices` whose `condition` is true (its `steps`, then its `goto`); when none is, runs `default`. Without a `goto`, execution continues after the choice step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(transform = discriminator("type", "StepType", "choice"))]
pub struct ChoiceStep {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    /// The branches, checked in order; the first whose condition is true runs.
    #[schemars(length(min = 1))]
    pub choices: Vec<ChoiceRule>,
    /// What to do when no condition is true. Optional: without it the choice step simply ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<ChoiceDefault>,
    #[doc = doc_input_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_mappings: Option<Vec<Mapping>>,
    /// Builds this step's output from its input (`$input`) and the result of the branch that ran (`$local`). Without it the output is `$local`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_mappings: Option<Vec<Mapping>>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// # Choice branch (legacy)
///
/// A condition, with the steps to run and/or the step to jump to when it is true.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChoiceRule {
    /// Expression over the step's input, e.g. `$.status == "ready"`, `$.count >= 10 && $.more`, or a bare path such as `$.hasMore` tested for truth. Supports `==`, `!=`, `<`, `<=`, `>`, `>=` (strings and numbers), `&&`, `||` and parentheses; strings are written in double quotes. A missing key makes a comparison false.
    #[schemars(length(min = 1))]
    pub condition: String,
    /// Steps to run, in order, when the condition is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
    /// Step to jump to afterwards: a sibling of the choice step (it may come earlier, which makes a loop).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goto: Option<String>,
}

/// # Choice default (legacy)
///
/// What a choice step does when no condition is true.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChoiceDefault {
    /// Steps to run, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
    /// Step to jump to afterwards: a sibling of the choice step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goto: Option<String>,
}

/// The largest number of branches of a legacy parallel step.
pub const PARALLEL_BRANCHES_MAX: usize = 100;

/// # Parallel step
///
/// Runs its `branches` at the same time. Its `$local` is an array with each branch's result; without `outputMappings` its output is empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(transform = discriminator("type", "StepType", "parallel"))]
pub struct ParallelStep {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    /// The branches to run concurrently, at most 100.
    #[schemars(length(min = 1, max = 100))]
    pub branches: Vec<Branch>,
    #[doc = doc_input_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_mappings: Option<Vec<Mapping>>,
    /// Builds this step's output from its input (`$input`) and the array of branch results (`$local`, e.g. `$local[*].result`). Without it the output is empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_mappings: Option<Vec<Mapping>>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// # Parallel branch (legacy)
///
/// One branch of a parallel step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Branch {
    /// The steps of this branch, run in order.
    #[schemars(length(min = 1))]
    pub steps: Vec<Step>,
}

/// # Foreach step
///
/// Runs `steps` once for each element of an array, in parallel (at most 100 iterations at a time). Its `$local` is an array with each iteration's result; without `outputMappings` its output is empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(transform = discriminator("type", "StepType", "foreach"))]
pub struct ForeachStep {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    /// Which array to iterate over, and under which keys each iteration sees its element and position.
    pub iteration_mapping: IterationMapping,
    /// The steps run for each element, in order.
    #[schemars(length(min = 1))]
    pub steps: Vec<Step>,
    #[doc = doc_input_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_mappings: Option<Vec<Mapping>>,
    /// Builds this step's output from its input (`$input`) and the array of iteration results (`$local`, e.g. `$local[*].name`). Without it the output is empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_mappings: Option<Vec<Mapping>>,
    #[doc = doc_end!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// # Iteration mapping
///
/// How a foreach step builds each iteration's input: the step's input plus the current element (and optionally its position).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IterationMapping {
    /// Path to the array in the step's input, e.g. `$.names`.
    #[schemars(length(min = 1))]
    pub collection: String,
    /// Key under which each iteration's input holds the current element; the steps read it as `$input.<item>`.
    #[schemars(length(min = 1))]
    pub item: String,
    /// Key under which each iteration's input holds the element's position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
}

/// # Succeed step
///
/// Stops the current step list successfully, like `return`: the steps after it are skipped. Usually reached through a choice `goto`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(transform = discriminator("type", "StepType", "succeed"))]
pub struct SucceedStep {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    #[doc = doc_input_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_mappings: Option<Vec<Mapping>>,
    #[doc = doc_output_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_mappings: Option<Vec<Mapping>>,
    /// Not needed: a succeed step always stops its step list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// # Fail step
///
/// Stops the step list and fails the parent step, and so the flow, with `error` and `cause`, like `throw`. A parent flow can catch a child flow's `error` by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(transform = discriminator("type", "StepType", "fail"))]
pub struct FailStep {
    #[doc = doc_name!()]
    #[schemars(length(min = 1))]
    pub name: String,
    /// Error name, e.g. `StatusIsNotReady`; `retry` and `catch` rules match on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Human-readable reason for the failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[doc = doc_input_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_mappings: Option<Vec<Mapping>>,
    #[doc = doc_output_mappings!()]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_mappings: Option<Vec<Mapping>>,
    /// Not needed: a fail step always stops the flow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

/// # Mapping
///
/// Sets one key of the object being built: `target` receives the value of `source`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Mapping {
    /// Key to set in the object being built.
    #[schemars(length(min = 1))]
    pub target: String,
    /// The value: a path starting with `$input`, `$local` or `$context` (e.g. `$input.user.id`, `$local[*].name`, `$context.task.token`), or any other value, taken as a constant.
    pub source: Value,
}

/// The largest `intervalSeconds` and `maxIntervalSeconds` of a retry policy (one day).
pub const RETRY_SECONDS_MAX: u64 = 86_400;

/// # Retry policy
///
/// Retries the task when it fails with one of `errors`: waits `intervalSeconds`, multiplied by `multiplier` after each attempt and capped by `maxIntervalSeconds`, for at most `maxAttempts` retries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RetryPolicy {
    /// Error names this policy handles, e.g. `FC.ResourceThrottled` or `FnF.TaskTimeout`; `FnF.ALL` matches every error.
    #[schemars(schema_with = "legacy_error_names")]
    pub errors: Vec<String>,
    /// Seconds before the first retry, at most 86400. Default 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 86400), extend("default" = 1))]
    pub interval_seconds: Option<u64>,
    /// Upper limit of the growing interval, in seconds, at most 86400. Default 86400.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 86400), extend("default" = 86400))]
    pub max_interval_seconds: Option<u64>,
    /// Maximum number of retries. Default 3.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = 3))]
    pub max_attempts: Option<u64>,
    /// Factor applied to the interval after each retry (e.g. interval 10 with multiplier 2 waits 10, 20, 40 seconds). Default 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0), extend("default" = 2))]
    pub multiplier: Option<f64>,
}

/// # Catch policy
///
/// When the task fails with one of `errors` (after retries), jumps to the step `goto` instead of failing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CatchPolicy {
    /// Error names this policy handles; `FnF.ALL` matches every error.
    #[schemars(schema_with = "legacy_error_names")]
    pub errors: Vec<String>,
    /// Step to jump to: a sibling of the failed task step.
    pub goto: String,
}

fn legacy_error_names(_: &mut SchemaGenerator) -> Schema {
    error_names_schema(Dialect::Legacy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_deserialize_by_type() {
        let flow: Flow = serde_json::from_value(serde_json::json!({
            "version": "v1beta1",
            "type": "flow",
            "steps": [
                { "type": "wait", "name": "w", "duration": "$.wait" },
                { "type": "task", "name": "t", "resourceArn": "acs:fnf:::flow/x", "pattern": "sync",
                  "retry": [{ "errors": ["FnF.ALL"], "multiplier": 1.5 }] },
                { "type": "foreach", "name": "f", "iterationMapping": { "collection": "$.xs", "item": "x" },
                  "steps": [{ "type": "succeed", "name": "s" }] }
            ]
        }))
        .unwrap();
        assert_eq!(flow.version, Version::V1beta1);
        let Step::Wait(wait) = &flow.steps[0] else { panic!("not a wait") };
        assert_eq!(wait.duration, Some(WaitDuration::Path("$.wait".into())));
        let Step::Task(task) = &flow.steps[1] else { panic!("not a task") };
        assert_eq!(task.pattern, Some(Pattern::Sync));
        assert_eq!(serde_json::to_value(&flow).unwrap()["steps"][2]["type"], "foreach");
    }

    #[test]
    fn step_type_spellings() {
        for ty in StepType::ALL {
            assert_eq!(serde_json::to_value(ty).unwrap(), ty.as_str());
        }
    }
}
