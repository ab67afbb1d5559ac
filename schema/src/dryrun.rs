//! The dry run's own files, as types for their JSON Schemas: a mocks file (`fdl run
//! --mocks`) and a test file (`*.fdltest.yaml`, run by `fdl test`). A test file is a
//! mocks file with `Flow` and `Tests`. The server reads these files itself (to point at
//! lines and columns); these types exist for the schemas, and a test checks that the
//! examples validate against both.
//!
//! Doc comments are user documentation: they become the schemas' descriptions.

#![allow(dead_code)] // Only the schema is derived from these types.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::schema_rules::exactly_one_of;

const RESPONSE_KINDS: &[&str] = &["Return", "Throw", "Callback"];
const CALLBACK_KINDS: &[&str] = &["Succeed", "Fail"];

/// # fdl mocks file
///
/// Mocked task results for `fdl run --mocks FILE`: by state name under `States`, by Action
/// under `Actions` (a state's own mock wins). A task without a mock gets a default result
/// shaped like its integration's output, and a warning.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MocksFile {
    /// The flow file the `Tests` of this file run, relative to this file.
    #[serde(rename = "Flow")]
    flow: Option<String>,
    #[serde(rename = "Mode")]
    mode: Option<Mode>,
    #[serde(rename = "States")]
    states: Option<StateMocks>,
    #[serde(rename = "Actions")]
    actions: Option<ActionMocks>,
    #[serde(rename = "Tests")]
    tests: Option<Tests>,
}

/// # fdl test file
///
/// Workflow tests run by `fdl test`: the flow they run, mocks for every test, and named
/// test cases with their input, their own mocks and what they expect.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// The flow file the tests run, relative to this file, e.g. `order.fdl.yaml`.
    #[serde(rename = "Flow")]
    #[schemars(length(min = 1))]
    flow: String,
    #[serde(rename = "Mode")]
    mode: Option<Mode>,
    #[serde(rename = "States")]
    states: Option<StateMocks>,
    #[serde(rename = "Actions")]
    actions: Option<ActionMocks>,
    #[serde(rename = "Tests")]
    tests: Tests,
}

/// # Workflow mode
///
/// Standard or Express (it is not in the flow's YAML). Default: the flow's
/// `# fdl: mode=express` comment, else Standard.
#[derive(JsonSchema, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Mode {
    /// Every task mode; waits up to 300 seconds; executions up to a year.
    Standard,
    /// RequestComplete tasks only; executions up to five minutes.
    Express,
}

/// # Mocks by state
///
/// Mocked results by state name, e.g. `CheckStock: {Return: {Body: {inStock: true}}}`.
#[derive(JsonSchema, Deserialize)]
#[serde(transparent)]
struct StateMocks(BTreeMap<String, Mock>);

/// # Mocks by Action
///
/// Mocked results by Action (`FC:InvokeFunction`, `HTTP:Request`; legacy: the `action`,
/// the `resourceArn`, or `FC:InvokeFunction`, `MNS:SendMessage`, `MNS:PublishMessage`,
/// `FNF:StartExecution` for the kind of target), for every task that calls it.
#[derive(JsonSchema, Deserialize)]
#[serde(transparent)]
struct ActionMocks(BTreeMap<String, Mock>);

/// # Mock
///
/// One response for every call, or responses per call: `"0"`, `"1-2"`, … (calls count
/// from 0 per state over the whole run, retries included; after the last one given, the
/// last response repeats).
#[derive(JsonSchema, Deserialize)]
#[serde(untagged)]
enum Mock {
    Always(Box<Response>),
    PerInvocation(PerInvocation),
}

/// # Responses per call
///
/// Keys are call numbers (`"0"`) or ranges (`"1-2"`), counted from 0.
#[derive(JsonSchema, Deserialize)]
#[serde(transparent)]
#[schemars(extend("propertyNames" = { "pattern": "^[0-9]+(-[0-9]+)?$" }, "minProperties" = 1))]
struct PerInvocation(BTreeMap<String, Response>);

/// # Response
///
/// What the task gives: `Return` a result, `Throw` an error, or (callback tasks) a
/// `Callback` that succeeds or fails after a `Delay`.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
#[schemars(transform = exactly_one_of(RESPONSE_KINDS))]
struct Response {
    /// The task's result: what `$Output` reads in its OutputConstructor (legacy: `$local`),
    /// e.g. `{Body: {...}}` for Function Compute.
    #[serde(rename = "Return")]
    ret: Option<Value>,
    #[serde(rename = "Throw")]
    throw: Option<Failure>,
    #[serde(rename = "Callback")]
    callback: Option<Callback>,
    /// Virtual seconds before the result arrives (no real waiting). Past the task's
    /// `Timeout` the task fails with `FnF.TaskTimeout`.
    #[serde(rename = "Delay")]
    #[schemars(range(min = 0))]
    delay: Option<f64>,
}

/// # Error
///
/// An error the task fails with; Retry and Catch match its name.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
struct Failure {
    /// The error's name, e.g. `FC.ResourceThrottled` or `PaymentDeclined`.
    #[serde(rename = "Error")]
    #[schemars(length(min = 1))]
    error: String,
    /// The message (`$Context.Current.Error.Detail`; legacy `$local.cause`).
    #[serde(rename = "Cause")]
    cause: Option<String>,
}

/// # Callback
///
/// For WaitForCustomCallback (legacy `waitForCallback`) tasks: what is reported with the
/// task token (ReportTaskSucceeded or ReportTaskFailed), and when.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
#[schemars(transform = exactly_one_of(CALLBACK_KINDS))]
struct Callback {
    /// The output reported with ReportTaskSucceeded.
    #[serde(rename = "Succeed")]
    succeed: Option<Value>,
    /// The error reported with ReportTaskFailed.
    #[serde(rename = "Fail")]
    fail: Option<Failure>,
    /// Virtual seconds until the report.
    #[serde(rename = "Delay")]
    #[schemars(range(min = 0))]
    delay: Option<f64>,
}

/// # Tests
///
/// Named test cases: `accepts a valid order: {Input: ..., Expect: ...}`.
#[derive(JsonSchema, Deserialize)]
#[serde(transparent)]
struct Tests(BTreeMap<String, TestCase>);

/// # Test case
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestCase {
    /// The execution input (a JSON object). Default: `{}`.
    #[serde(rename = "Input")]
    input: Option<BTreeMap<String, Value>>,
    /// This test's mocks by state name, over the file's.
    #[serde(rename = "States")]
    states: Option<StateMocks>,
    /// This test's mocks by Action, over the file's.
    #[serde(rename = "Actions")]
    actions: Option<ActionMocks>,
    #[serde(rename = "Mode")]
    mode: Option<Mode>,
    /// Seed for `uuid()`, `randomInt()`, the execution name and task tokens. Default: 0.
    #[serde(rename = "Seed")]
    #[schemars(range(min = 0))]
    seed: Option<u64>,
    #[serde(rename = "Expect")]
    expect: Option<Expect>,
}

/// # Expectations
///
/// What the run must show; the test fails on the first difference of each kind.
#[derive(JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(rename = "Status")]
    status: Option<Status>,
    /// The execution's output, exactly (numbers compare by value).
    #[serde(rename = "Output")]
    output: Option<Value>,
    /// Part of the output: every key given, recursively; lists element by element.
    #[serde(rename = "OutputIncludes")]
    output_includes: Option<Value>,
    /// The error's name, when the execution fails (a Fail state's `Code`, a task's error).
    #[serde(rename = "ErrorCode")]
    error_code: Option<String>,
    /// States that must run.
    #[serde(rename = "Ran")]
    ran: Option<Vec<String>>,
    /// States that must not run.
    #[serde(rename = "NotRan")]
    not_ran: Option<Vec<String>>,
    /// Per task state, part of the Parameters (legacy: serviceParams) of its first call, as
    /// evaluated.
    #[serde(rename = "Parameters")]
    parameters: Option<BTreeMap<String, Value>>,
}

/// # Status
///
/// How the execution ended.
#[derive(JsonSchema, Deserialize)]
enum Status {
    Succeeded,
    Failed,
    TimedOut,
    /// Stopped by the dry run: a loop past the step limit, too many Map items.
    StepLimit,
}
