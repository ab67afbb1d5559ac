//! Golden traces: a flow, mocks and an input in; the rendered run out (what `fdl run`
//! prints). `UPDATE_EXPECT=1 cargo test -p fdl dryrun` rewrites the snapshots.

use std::collections::HashMap;

use expect_test::{Expect, expect};
use serde_json::Value;

use super::options::{LoadedFlow, Loader, Options};
use super::render::{Style, human};
use super::{lower, run, suite};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

/// Sub-flows by name, for the tests.
struct Flows(HashMap<&'static str, &'static str>);

impl Loader for Flows {
    fn flow(&self, name: &str) -> Option<LoadedFlow> {
        self.0.get(name).map(|text| LoadedFlow { path: format!("{name}.yaml"), text: text.to_string() })
    }
}

/// Fixtures are indented to sit in the code; YAML wants them flush left.
fn dedent(text: &str) -> String {
    let lines: Vec<&str> = text.lines().skip_while(|l| l.trim().is_empty()).collect();
    let margin = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines.iter().map(|l| l.get(margin..).unwrap_or("").trim_end()).collect::<Vec<_>>().join("\n") + "\n"
}

fn run_with(
    flow: &str,
    mocks: &str,
    input: &str,
    options: Options,
    subflows: &[(&'static str, &'static str)],
) -> super::RunResult {
    let flow = dedent(flow);
    let mocks = dedent(mocks);
    let text = SourceText::new(&flow);
    let tree = SyntaxTree::parse(&text);
    let program = lower(&text, &tree, PositionEncoding::Utf16).expect("a flow");
    let (file, errors) = suite::parse(&mocks);
    assert!(errors.is_empty(), "mocks: {errors:?}");
    let input: Value = serde_json::from_str(input).expect("input JSON");
    let loader = Flows(subflows.iter().map(|(n, t)| (*n, &*Box::leak(dedent(t).into_boxed_str()))).collect());
    run(&program, input, &file.mocks, &options, &loader)
}

fn options() -> Options {
    Options { seed: Some(7), start_time_ms: 1_700_000_000_000, ..Options::default() }
}

fn check(flow: &str, mocks: &str, input: &str, expect: Expect) {
    check_with(flow, mocks, input, options(), &[], expect);
}

fn check_with(
    flow: &str,
    mocks: &str,
    input: &str,
    options: Options,
    subflows: &[(&'static str, &'static str)],
    expect: Expect,
) {
    let result = run_with(flow, mocks, input, options, subflows);
    expect.assert_eq(&human(&result, Style { max_value: 300, color: false }));
}

const HEAD: &str = "Type: StateMachine\nName: f\nSpecVersion: v1\n";

fn cf(body: &str) -> String {
    format!("{HEAD}{}", dedent(body))
}

#[test]
fn pass_constructors_and_context() {
    check(
        &cf(r#"
            StartAt: A
            States:
              - Type: Pass
                Name: A
                InputConstructor:
                  x.$: $Input.a + 1
                  fixed: [1, {b: true}]
                OutputConstructor:
                  y.$: $Output.x
                  from.$: $Context.Current.Name
                  execution.$: $Context.Execution.Input
                Next: B
              - Type: Pass
                Name: B
                End: true
        "#),
        "",
        r#"{"a": 1}"#,
        expect![[r#"
            ▶ execution input {"a":1}
              A (Pass)  t=0s
                input  {"a":1}
                $Input {"x":2,"fixed":[1,{"b":true}]}
                output {"y":2,"from":"A","execution":{"a":1}}
              B (Pass)  t=0s
                input  {"y":2,"from":"A","execution":{"a":1}}
                output {"y":2,"from":"A","execution":{"a":1}}
            ✓ Succeeded in 0s (virtual)
              output {"y":2,"from":"A","execution":{"a":1}}
            assumptions this run relied on (README.md, "Assumptions"):
              - [default-output] at A
        "#]],
    );
}

#[test]
fn task_retry_then_success() {
    check(
        &cf(r#"
            StartAt: Charge
            States:
              - Type: Task
                Name: Charge
                Action: FC:InvokeFunction
                Parameters:
                  resourceArn: acs:fc:cn-hangzhou:123:functions/charge/LATEST
                  invocationType: Sync
                  body:
                    amount.$: $Input.amount
                    attempt.$: $Context.Current.RetryCount
                Retry:
                  - Errors: [FC.ResourceThrottled]
                    MaxAttempts: 3
                    IntervalSeconds: 2
                    BackoffRate: 2
                    MaxBackoffSeconds: 3
                OutputConstructor:
                  charged.$: $Output.Body.charged
                End: true
        "#),
        r#"
            States:
              Charge:
                "0-1": {Throw: {Error: FC.ResourceThrottled, Cause: busy}}
                "2": {Return: {Body: {charged: true}}, Delay: 0.5}
        "#,
        r#"{"amount": 46}"#,
        expect![[r#"
            ▶ execution input {"amount":46}
              Charge (Task)  t=0s
                input  {"amount":46}
                call   FC:InvokeFunction RequestComplete [mocked for the state]
                params {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge/LATEST","invocationType":"Sync","body":{"amount":46,"attempt":0}}
                ✗ FC.ResourceThrottled: busy
                ↻ retry 1 in 2s after FC.ResourceThrottled
                call   FC:InvokeFunction RequestComplete (call 2) [mocked for the state]  t=2s
                params {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge/LATEST","invocationType":"Sync","body":{"amount":46,"attempt":1}}
                ✗ FC.ResourceThrottled: busy
                ↻ retry 2 in 3s after FC.ResourceThrottled
                call   FC:InvokeFunction RequestComplete (call 3) [mocked for the state]  t=5s
                params {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge/LATEST","invocationType":"Sync","body":{"amount":46,"attempt":2}}
                result {"Body":{"charged":true}}  t=5.5s
                output {"charged":true}
            ✓ Succeeded in 5.5s (virtual)
              output {"charged":true}
            assumptions this run relied on (README.md, "Assumptions"):
              - [retry-interval] at Charge
        "#]],
    );
}

#[test]
fn retry_exhausted_then_catch() {
    check(
        &cf(r#"
            StartAt: Charge
            States:
              - Type: Task
                Name: Charge
                Action: HTTP:Request
                Parameters:
                  url: https://pay.example.com
                  method: POST
                Retry:
                  - Errors: [FnF.ALL]
                    MaxAttempts: 2
                    IntervalSeconds: 1
                Catch:
                  - Errors: [PaymentDeclined]
                    Next: Declined
                    OutputConstructor:
                      reason.$: $Context.Current.Error.Detail
                      code.$: $Context.Current.Error.Code
                Next: Done
              - Type: Pass
                Name: Declined
                End: true
              - Type: Succeed
                Name: Done
        "#),
        r#"
            Actions:
              "HTTP:Request": {Throw: {Error: PaymentDeclined, Cause: card expired}}
        "#,
        "{}",
        expect![[r#"
            ▶ execution input {}
              Charge (Task)  t=0s
                input  {}
                call   HTTP:Request RequestComplete [mocked for the action]
                params {"url":"https://pay.example.com","method":"POST"}
                ✗ PaymentDeclined: card expired
                ↻ retry 1 in 1s after PaymentDeclined
                call   HTTP:Request RequestComplete (call 2) [mocked for the action]  t=1s
                params {"url":"https://pay.example.com","method":"POST"}
                ✗ PaymentDeclined: card expired
                ↻ retry 2 in 1s after PaymentDeclined
                call   HTTP:Request RequestComplete (call 3) [mocked for the action]  t=2s
                params {"url":"https://pay.example.com","method":"POST"}
                ✗ PaymentDeclined: card expired
                ⤷ caught PaymentDeclined → Declined
              Declined (Pass)  t=2s
                input  {"reason":"card expired","code":"PaymentDeclined"}
                output {"reason":"card expired","code":"PaymentDeclined"}
            ✓ Succeeded in 2s (virtual)
              output {"reason":"card expired","code":"PaymentDeclined"}
        "#]],
    );
}

#[test]
fn wait_seconds_and_dynamic() {
    check(
        &cf(r#"
            StartAt: W1
            States:
              - Type: Wait
                Name: W1
                Seconds: 12
                Next: W2
              - Type: Wait
                Name: W2
                Seconds.$: $Input.delay
                End: true
        "#),
        "",
        r#"{"delay": 3.5}"#,
        expect![[r#"
            ▶ execution input {"delay":3.5}
              W1 (Wait)  t=0s
                input  {"delay":3.5}
                wait   12s
                output {"delay":3.5}  t=12s
              W2 (Wait)  t=12s
                input  {"delay":3.5}
                wait   3.5s
                output {"delay":3.5}  t=15.5s
            ✓ Succeeded in 15.5s (virtual)
              output {"delay":3.5}
        "#]],
    );
}

#[test]
fn choice_on_every_operator() {
    let flow = cf(r#"
        StartAt: C
        States:
          - Type: Choice
            Name: C
            Branches:
              - Condition: $Input.s == "eq"
                Next: Eq
              - Condition: $Input.s != "ne" && $Input.n > 100
                Next: Gt
              - Condition: $Input.n >= 50
                Next: Ge
              - Condition: $Input.n < 0 || $Input.n <= -10
                Next: Lt
              - Condition: '"k" in $Input && !($Input.k in [1, 2])'
                Next: InNot
            Default: Other
          - {Type: Succeed, Name: Eq}
          - {Type: Succeed, Name: Gt}
          - {Type: Succeed, Name: Ge}
          - {Type: Succeed, Name: Lt}
          - {Type: Succeed, Name: InNot}
          - {Type: Succeed, Name: Other}
    "#);
    let taken = |input: &str| {
        let result = run_with(&flow, "", input, options(), &[]);
        result
            .events
            .iter()
            .find_map(|e| match &e.kind {
                super::EventKind::ChoiceBranchTaken { condition, next, .. } => Some(format!(
                    "{input} → {} ({})",
                    next.as_deref().unwrap_or("-"),
                    condition.as_deref().unwrap_or("Default")
                )),
                _ => None,
            })
            .unwrap_or_else(|| format!("{input} → {:?}", result.error))
    };
    let lines: Vec<String> = [
        r#"{"s": "eq"}"#,
        r#"{"s": "x", "n": 101}"#,
        r#"{"s": "ne", "n": 101}"#,
        r#"{"n": -1}"#,
        r#"{"n": 5, "k": 3}"#,
        r#"{"n": 5, "k": 2}"#,
        r#"{"n": "text"}"#,
    ]
    .iter()
    .map(|i| taken(i))
    .collect();
    expect![[r#"
        {"s": "eq"} → Eq ($Input.s == "eq")
        {"s": "x", "n": 101} → Gt ($Input.s != "ne" && $Input.n > 100)
        {"s": "ne", "n": 101} → Ge ($Input.n >= 50)
        {"n": -1} → Lt ($Input.n < 0 || $Input.n <= -10)
        {"n": 5, "k": 3} → InNot ("k" in $Input && !($Input.k in [1, 2]))
        {"n": 5, "k": 2} → Other (Default)
        {"n": "text"} → Some(ErrorInfo { code: "FnF.RuntimeError", detail: "condition 1 of `C`: `$Input.s != \"ne\" && $Input.n > 100`: `>` compares two numbers or two strings, not a string and an integer [type-mismatch]" })"#]].assert_eq(&lines.join("\n"));
}

#[test]
fn parallel_output_and_succeed_in_a_branch() {
    check(
        &cf(r#"
            StartAt: P
            States:
              - Type: Parallel
                Name: P
                Branches:
                  - StartAt: S
                    States:
                      - Type: Succeed
                        Name: S
                        OutputConstructor:
                          FieldA: 123
                  - StartAt: W
                    States:
                      - Type: Wait
                        Name: W
                        Seconds: 5
                        Next: B
                      - Type: Pass
                        Name: B
                        InputConstructor:
                          FieldA: 321
                        End: true
                OutputConstructor:
                  first.$: $Output.Branch0.FieldA
                  second.$: $Output.Branch1.FieldA
                End: true
        "#),
        "",
        "{}",
        expect![[r#"
            ▶ execution input {}
              P (Parallel)  t=0s
                input  {}
                branch 0 starts
                branch 1 starts
            ┆ P › branch 0
                  S (Succeed)  t=0s
                    input  {}
                    output {"FieldA":123}
                branch 0 done {"FieldA":123}
            ┆ P › branch 1
                  W (Wait)  t=0s
                    input  {}
                    wait   5s
                    output {}  t=5s
                  B (Pass)  t=5s
                    input  {}
                    $Input {"FieldA":321}
                    output {"FieldA":321}
                branch 1 done {"FieldA":321}
                output {"first":123,"second":321}
            ✓ Succeeded in 5s (virtual)
              output {"first":123,"second":321}
            assumptions this run relied on (README.md, "Assumptions"):
              - [default-output] at S, P
        "#]],
    );
}

#[test]
fn map_inside_parallel_inside_map_with_concurrency() {
    check(
        &cf(r#"
            StartAt: Outer
            States:
              - Type: Map
                Name: Outer
                ItemsPath: $Input.groups
                MaxConcurrency: 1
                Processor:
                  StartAt: P
                  States:
                    - Type: Parallel
                      Name: P
                      Branches:
                        - StartAt: Inner
                          States:
                            - Type: Map
                              Name: Inner
                              ItemsPath: $Input.items
                              MaxConcurrency: 2
                              Processor:
                                StartAt: Work
                                States:
                                  - Type: Task
                                    Name: Work
                                    Action: FC:InvokeFunction
                                    Parameters:
                                      resourceArn: acs:fc:cn-hangzhou:1:functions/work/LATEST
                                      invocationType: Sync
                                      body.$: $Input
                                    OutputConstructor:
                                      v.$: $Output.Body.v
                                    End: true
                              End: true
                        - StartAt: Count
                          States:
                            - Type: Pass
                              Name: Count
                              OutputConstructor:
                                n.$: length($Input.items)
                              End: true
                      End: true
                End: true
        "#),
        r#"
            States:
              Work:
                "0": {Return: {Body: {v: a}}, Delay: 2}
                "1": {Return: {Body: {v: b}}, Delay: 1}
                "2": {Return: {Body: {v: c}}, Delay: 1}
                "3": {Return: {Body: {v: d}}}
        "#,
        r#"{"groups": [{"items": [{"i": 1}, {"i": 2}, {"i": 3}]}, {"items": [{"i": 4}]}]}"#,
        expect![[r#"
            ▶ execution input {"groups":[{"items":[{"i":1},{"i":2},{"i":3}]},{"items":[{"i":4}]}]}
              Outer (Map)  t=0s
                input  {"groups":[{"items":[{"i":1},{"i":2},{"i":3}]},{"items":[{"i":4}]}]}
                item 0 starts {"items":[{"i":1},{"i":2},{"i":3}]}
            ┆ Outer › item 0
                  P (Parallel)  t=0s
                    input  {"items":[{"i":1},{"i":2},{"i":3}]}
                    branch 0 starts
                    branch 1 starts
                ┆ Outer › item 0 › P › branch 0
                      Inner (Map)  t=0s
                        input  {"items":[{"i":1},{"i":2},{"i":3}]}
                        item 0 starts {"i":1}
                        item 1 starts {"i":2}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 0
                          Work (Task)  t=0s
                            input  {"i":1}
                            call   FC:InvokeFunction RequestComplete [mocked for the state]
                            params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/work/LATEST","invocationType":"Sync","body":{"i":1}}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 1
                          Work (Task)  t=0s
                            input  {"i":2}
                            call   FC:InvokeFunction RequestComplete (call 2) [mocked for the state]
                            params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/work/LATEST","invocationType":"Sync","body":{"i":2}}
                ┆ Outer › item 0 › P › branch 1
                      Count (Pass)  t=0s
                        input  {"items":[{"i":1},{"i":2},{"i":3}]}
                        output {"n":3}
            ┆ Outer › item 0
                    branch 1 done {"n":3}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 1
                            result {"Body":{"v":"b"}}  t=1s
                            output {"v":"b"}
                ┆ Outer › item 0 › P › branch 0
                        item 1 done {"v":"b"}
                        item 2 starts {"i":3}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 2
                          Work (Task)  t=1s
                            input  {"i":3}
                            call   FC:InvokeFunction RequestComplete (call 3) [mocked for the state]
                            params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/work/LATEST","invocationType":"Sync","body":{"i":3}}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 0
                            result {"Body":{"v":"a"}}  t=2s
                            output {"v":"a"}
                ┆ Outer › item 0 › P › branch 0
                        item 0 done {"v":"a"}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 2
                            result {"Body":{"v":"c"}}
                            output {"v":"c"}
                ┆ Outer › item 0 › P › branch 0
                        item 2 done {"v":"c"}
                        output {"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]}
            ┆ Outer › item 0
                    branch 0 done {"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]}
                    output {"Branch0":{"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]},"Branch1":{"n":3}}
                item 0 done {"Branch0":{"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]},"Branch1":{"n":3}}
                item 1 starts {"items":[{"i":4}]}
            ┆ Outer › item 1
                  P (Parallel)  t=2s
                    input  {"items":[{"i":4}]}
                    branch 0 starts
                    branch 1 starts
                ┆ Outer › item 1 › P › branch 0
                      Inner (Map)  t=2s
                        input  {"items":[{"i":4}]}
                        item 0 starts {"i":4}
                    ┆ Outer › item 1 › P › branch 0 › Inner › item 0
                          Work (Task)  t=2s
                            input  {"i":4}
                            call   FC:InvokeFunction RequestComplete (call 4) [mocked for the state]
                            params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/work/LATEST","invocationType":"Sync","body":{"i":4}}
                            result {"Body":{"v":"d"}}
                            output {"v":"d"}
                ┆ Outer › item 1 › P › branch 0
                        item 0 done {"v":"d"}
                        output {"Items":[{"v":"d"}]}
            ┆ Outer › item 1
                    branch 0 done {"Items":[{"v":"d"}]}
                ┆ Outer › item 1 › P › branch 1
                      Count (Pass)  t=2s
                        input  {"items":[{"i":4}]}
                        output {"n":1}
            ┆ Outer › item 1
                    branch 1 done {"n":1}
                    output {"Branch0":{"Items":[{"v":"d"}]},"Branch1":{"n":1}}
                item 1 done {"Branch0":{"Items":[{"v":"d"}]},"Branch1":{"n":1}}
                output {"Items":[{"Branch0":{"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]},"Branch1":{"n":3}},{"Branch0":{"Items":[{"v":"d"}]},"Branch1":{"n":1}}]}
            ✓ Succeeded in 2s (virtual)
              output {"Items":[{"Branch0":{"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]},"Branch1":{"n":3}},{"Branch0":{"Items":[{"v":"d"}]},"Branch1":{"n":1}}]}
            assumptions this run relied on (README.md, "Assumptions"):
              - [default-output] at Count
        "#]],
    );
}

#[test]
fn callback_modes() {
    check(
        &cf(r#"
            StartAt: Approve
            States:
              - Type: Task
                Name: Approve
                Action: MNS:SendMessage
                TaskMode: WaitForCustomCallback
                Parameters:
                  resourceArn: acs:mns:cn-hangzhou:1:/queues/approvals/messages
                  message:
                    token.$: $Context.Current.TaskToken
                Next: Transcode
              - Type: Task
                Name: Transcode
                Action: FC:InvokeFunction
                TaskMode: WaitForSystemCallback
                Timeout: "60"
                Parameters:
                  resourceArn: acs:fc:cn-hangzhou:1:functions/transcode/LATEST
                  invocationType: Async
                Catch:
                  - Errors: [FnF.TaskTimeout]
                    Next: TooSlow
                End: true
              - Type: Fail
                Name: TooSlow
                Code: Slow
                Detail: transcoding took too long
        "#),
        r#"
            States:
              Approve: {Callback: {Succeed: {approved: true}, Delay: 3600}}
              Transcode: {Return: {Body: {}}, Delay: 120}
        "#,
        "{}",
        expect![[r#"
            ▶ execution input {}
              Approve (Task)  t=0s
                input  {}
                call   MNS:SendMessage WaitForCustomCallback [mocked for the state]
                params {"resourceArn":"acs:mns:cn-hangzhou:1:/queues/approvals/messages","message":{"token":"fdl-task-token-E6984080BAB12A02953AEB70"}}
                result {"approved":true}  t=3600s
                output {"approved":true}
              Transcode (Task)  t=3600s
                input  {"approved":true}
                call   FC:InvokeFunction WaitForSystemCallback [mocked for the state]
                params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/transcode/LATEST","invocationType":"Async"}
                ✗ FnF.TaskTimeout: `Transcode` did not finish within its timeout of 60 seconds  t=3660s
                ⤷ caught FnF.TaskTimeout → TooSlow
              TooSlow (Fail)  t=3660s
                input  {"Code":"FnF.TaskTimeout","Detail":"`Transcode` did not finish within its timeout of 60 seconds"}
                ✗ failed: Slow: transcoding took too long
            ✗ Failed after 3660s (virtual)
              Slow: transcoding took too long
            assumptions this run relied on (README.md, "Assumptions"):
              - [task-timeout] at Transcode
              - [catch-output] at Transcode
        "#]],
    );
}

#[test]
fn infinite_loop_is_stopped_and_named() {
    let options = Options { limits: super::Limits { max_steps: 50, ..Default::default() }, ..options() };
    let result = run_with(
        &cf(r#"
            StartAt: Check
            States:
              - Type: Choice
                Name: Check
                Branches:
                  - Condition: $Input.done == true
                    Next: Done
                Default: Again
              - Type: Wait
                Name: Again
                Seconds: 1
                Next: Check
              - Type: Succeed
                Name: Done
        "#),
        "",
        "{}",
        options,
        &[],
    );
    expect![[r#"StepLimit Some(ErrorInfo { code: "DryRun.StepLimit", detail: "stopped after 50 steps: the loop `Check` → `Again` → `Check` never ended (raise the limit with --max-steps if it ends on its own)" })"#]].assert_eq(&format!("{} {:?}", result.status.as_str(), result.error));
}

const LEGACY: &str = "version: v1\ntype: flow\n";

fn legacy(body: &str) -> String {
    format!("{LEGACY}{}", dedent(body))
}

#[test]
fn legacy_local_merging_and_mappings() {
    check(
        &legacy(
            r#"
            steps:
              - type: pass
                name: init
                outputMappings:
                  - target: marker
                    source: ""
                  - target: limit
                    source: 50
              - type: task
                name: list
                resourceArn: acs:fc:::services/s/functions/list
                inputMappings:
                  - target: bucket
                    source: $input.bucket
                  - target: marker
                    source: $local.marker
                  - target: execution
                    source: $context.execution.name
              - type: pass
                name: sees-everything
        "#,
        ),
        r#"
            States:
              list: {Return: {keys: [a, b], hasMore: false}}
        "#,
        r#"{"bucket": "photos"}"#,
        expect![[r#"
            ▶ execution input {"bucket":"photos"}
              init (pass)  t=0s
                input  {"bucket":"photos"}
                output {"marker":"","limit":50}
              list (task)  t=0s
                input  {"bucket":"photos","marker":"","execution":"63cbe1e4-5932-4dd7-a44c-3cd7f43c661c"}
                call   acs:fc:::services/s/functions/list requestResponse [mocked for the state]
                params {}
                result {"keys":["a","b"],"hasMore":false}
                output {"keys":["a","b"],"hasMore":false}
              sees-everything (pass)  t=0s
                input  {"bucket":"photos","marker":"","limit":50,"keys":["a","b"],"hasMore":false}
                output {}
            ✓ Succeeded in 0s (virtual)
              output {"marker":"","limit":50,"keys":["a","b"],"hasMore":false}
        "#]],
    );
}

#[test]
fn legacy_choice_steps_goto_and_default() {
    let flow = legacy(
        r#"
        steps:
          - type: choice
            name: mychoice
            choices:
              - condition: $.status == "ready"
                steps:
                  - type: pass
                    name: pass1
                    outputMappings:
                      - target: checked
                        source: true
                goto: final
              - condition: $.status == "failed"
                goto: handle_failure
            default:
              steps:
                - type: pass
                  name: pass2
          - type: fail
            name: handle_failure
            error: StatusIsNotReady
            cause: status is not ready
          - type: pass
            name: final
    "#,
    );
    check(
        &flow,
        "",
        r#"{"status": "ready"}"#,
        expect![[r#"
        ▶ execution input {"status":"ready"}
          mychoice (choice)  t=0s
            input  {"status":"ready"}
            → final  (`$.status == "ready"` is true)
        ┆ mychoice › choice 0
              pass1 (pass)  t=0s
                input  {"status":"ready"}
                output {"checked":true}
            output {"checked":true}
          final (pass)  t=0s
            input  {"status":"ready","checked":true}
            output {}
        ✓ Succeeded in 0s (virtual)
          output {"checked":true}
    "#]],
    );
    check(
        &flow,
        "",
        r#"{"status": "failed"}"#,
        expect![[r#"
        ▶ execution input {"status":"failed"}
          mychoice (choice)  t=0s
            input  {"status":"failed"}
            → handle_failure  (`$.status == "failed"` is true)
            output {}
          handle_failure (fail)  t=0s
            input  {"status":"failed"}
            ✗ failed: StatusIsNotReady: status is not ready
        ✗ Failed after 0s (virtual)
          StatusIsNotReady: status is not ready
    "#]],
    );
    check(
        &flow,
        "",
        r#"{}"#,
        expect![[r#"
        ▶ execution input {}
          mychoice (choice)  t=0s
            input  {}
            → handle_failure  (Default: no condition matched)
        ┆ mychoice › default
              pass2 (pass)  t=0s
                input  {}
                output {}
            output {}
          handle_failure (fail)  t=0s
            input  {}
            ✗ failed: StatusIsNotReady: status is not ready
        ✗ Failed after 0s (virtual)
          StatusIsNotReady: status is not ready
    "#]],
    );
}

#[test]
fn legacy_foreach_parallel_and_projections() {
    check(
        &legacy(
            r#"
            steps:
              - type: foreach
                name: each
                iterationMapping:
                  collection: $.names
                  item: name
                  index: i
                steps:
                  - type: task
                    name: upper
                    resourceArn: acs:fc:::services/s/functions/upper
                    inputMappings:
                      - target: name
                        source: $input.name
                      - target: at
                        source: $input.i
                outputMappings:
                  - target: names
                    source: $local[*].name
              - type: parallel
                name: both
                branches:
                  - steps:
                      - type: pass
                        name: left
                        outputMappings:
                          - target: side
                            source: left
                  - steps:
                      - type: wait
                        name: pause
                        duration: $.delay
                outputMappings:
                  - target: sides
                    source: $local[*].side
        "#,
        ),
        r#"
            States:
              upper:
                "0": {Return: {name: A}}
                "1": {Return: {name: B}, Delay: 1}
        "#,
        r#"{"names": ["a", "b"], "delay": 3}"#,
        expect![[r#"
            ▶ execution input {"names":["a","b"],"delay":3}
              each (foreach)  t=0s
                input  {"names":["a","b"],"delay":3}
                item 0 starts {"names":["a","b"],"delay":3,"name":"a","i":0}
                item 1 starts {"names":["a","b"],"delay":3,"name":"b","i":1}
            ┆ each › item 0
                  upper (task)  t=0s
                    input  {"name":"a","at":0}
                    call   acs:fc:::services/s/functions/upper requestResponse [mocked for the state]
                    params {}
                    result {"name":"A"}
                    output {"name":"A"}
                item 0 done {"name":"A"}
            ┆ each › item 1
                  upper (task)  t=0s
                    input  {"name":"b","at":1}
                    call   acs:fc:::services/s/functions/upper requestResponse (call 2) [mocked for the state]
                    params {}
                    result {"name":"B"}  t=1s
                    output {"name":"B"}
                item 1 done {"name":"B"}
                output {"names":["A","B"]}
              both (parallel)  t=1s
                input  {"names":["A","B"],"delay":3}
                branch 0 starts
                branch 1 starts
            ┆ both › branch 0
                  left (pass)  t=1s
                    input  {"names":["A","B"],"delay":3}
                    output {"side":"left"}
                branch 0 done {"side":"left"}
            ┆ both › branch 1
                  pause (wait)  t=1s
                    input  {"names":["A","B"],"delay":3}
                    wait   3s
                    output {}  t=4s
                branch 1 done {}
                output {"sides":["left"]}
            ✓ Succeeded in 4s (virtual)
              output {"names":["A","B"],"sides":["left"]}
        "#]],
    );
}

#[test]
fn legacy_retry_defaults_catch_and_error_mappings() {
    check(
        &legacy(
            r#"
            steps:
              - type: task
                name: hello
                resourceArn: acs:fc:::services/s/functions/hello
                retry:
                  - errors: [FC.ResourceThrottled]
                errorMappings:
                  - target: errCode
                    source: $local.error
                  - target: errMsg
                    source: $local.cause
                catch:
                  - errors: [FnF.ALL]
                    goto: report
              - type: pass
                name: skipped
              - type: pass
                name: report
        "#,
        ),
        r#"
            States:
              hello: {Throw: {Error: FC.ResourceThrottled, Cause: too many calls}}
        "#,
        "{}",
        expect![[r#"
            ▶ execution input {}
              hello (task)  t=0s
                input  {}
                call   acs:fc:::services/s/functions/hello requestResponse [mocked for the state]
                params {}
                ✗ FC.ResourceThrottled: too many calls
                ↻ retry 1 in 1s after FC.ResourceThrottled
                call   acs:fc:::services/s/functions/hello requestResponse (call 2) [mocked for the state]  t=1s
                params {}
                ✗ FC.ResourceThrottled: too many calls
                ↻ retry 2 in 2s after FC.ResourceThrottled
                call   acs:fc:::services/s/functions/hello requestResponse (call 3) [mocked for the state]  t=3s
                params {}
                ✗ FC.ResourceThrottled: too many calls
                ↻ retry 3 in 4s after FC.ResourceThrottled
                call   acs:fc:::services/s/functions/hello requestResponse (call 4) [mocked for the state]  t=7s
                params {}
                ✗ FC.ResourceThrottled: too many calls
                ⤷ caught FC.ResourceThrottled → report
              report (pass)  t=7s
                input  {"errCode":"FC.ResourceThrottled","errMsg":"too many calls"}
                output {}
            ✓ Succeeded in 7s (virtual)
              output {"errCode":"FC.ResourceThrottled","errMsg":"too many calls"}
            assumptions this run relied on (README.md, "Assumptions"):
              - [retry-interval] at hello
        "#]],
    );
}

#[test]
fn legacy_callback_token_timestamp_wait_and_timeout() {
    check(
        &legacy(
            r#"
            timeoutSeconds: 100
            steps:
              - type: wait
                name: until
                timestamp: $.at
              - type: task
                name: review
                resourceArn: acs:mns:::/topics/reviews/messages
                pattern: waitForCallback
                inputMappings:
                  - target: taskToken
                    source: $context.task.token
                serviceParams:
                  MessageBody: $
              - type: wait
                name: long
                duration: 1000
        "#,
        ),
        r#"
            States:
              review: {Callback: {Succeed: {status: approved}, Delay: 30}}
        "#,
        r#"{"at": "2023-11-14T22:13:30Z"}"#,
        expect![[r#"
            ▶ execution input {"at":"2023-11-14T22:13:30Z"}
              until (wait)  t=0s
                input  {"at":"2023-11-14T22:13:30Z"}
                wait   10s
                output {}  t=10s
              review (task)  t=10s
                input  {"taskToken":"fdl-task-token-E6984080BAB12A02953AEB70"}
                call   acs:mns:::/topics/reviews/messages waitForCallback [mocked for the state]
                params {"MessageBody":{"taskToken":"fdl-task-token-E6984080BAB12A02953AEB70"}}
                result {"status":"approved"}  t=40s
                output {"status":"approved"}
              long (wait)  t=40s
                input  {"at":"2023-11-14T22:13:30Z","status":"approved"}
                wait   1000s
            ✗ TimedOut after 100s (virtual)
              ExecutionTimedOut: the execution ran longer than its timeout of 100 seconds
        "#]],
    );
}

const CHILD: &str = r#"
    Type: StateMachine
    Name: child
    SpecVersion: v1
    StartAt: Work
    States:
      - Type: Wait
        Name: Work
        Seconds: 30
        Next: Answer
      - Type: Pass
        Name: Answer
        OutputConstructor:
          doubled.$: $Input.n * 2
        End: true
"#;

#[test]
fn subflow_per_mode() {
    let flow = cf(r#"
        StartAt: Wait for child
        States:
          - Type: Task
            Name: Wait for child
            Action: FNF:StartExecution
            TaskMode: WaitForSystemCallback
            Parameters:
              resourceArn: acs:fnf:cn-hangzhou:1:flow/child
              input:
                n.$: $Input.n
            Next: Fire and forget
          - Type: Task
            Name: Fire and forget
            Action: FNF:StartExecution
            Parameters:
              resourceArn: acs:fnf:cn-hangzhou:1:flow/child
              executionName: run-2
            OutputConstructor:
              started.$: $Output.ExecutionName
            Next: Missing child
          - Type: Task
            Name: Missing child
            Action: FNF:StartExecution
            Parameters:
              resourceArn: acs:fnf:::flow/nowhere
            End: true
    "#);
    check_with(
        &flow,
        "",
        r#"{"n": 21}"#,
        options(),
        &[("child", CHILD)],
        expect![[r#"
        ▶ execution input {"n":21}
          Wait for child (Task)  t=0s
            input  {"n":21}
            call   FNF:StartExecution WaitForSystemCallback [sub-flow child from child.yaml: Succeeded in 30s]
            params {"resourceArn":"acs:fnf:cn-hangzhou:1:flow/child","input":{"n":21}}
            result {"doubled":42}  t=30s
            output {"doubled":42}
          Fire and forget (Task)  t=30s
            input  {"doubled":42}
            ! sub-flow `child` ended Failed: FnF.RuntimeError the OutputConstructor of `Answer`: `$Input.n * 2`: `*` needs two numbers, not null and an integer [type-mismatch]; the parent does not wait for it
            call   FNF:StartExecution RequestComplete [sub-flow child from child.yaml: Failed in 30s]
            params {"resourceArn":"acs:fnf:cn-hangzhou:1:flow/child","executionName":"run-2"}
            result {"FlowName":"child","ExecutionName":"run-2","RequestID":"73D33B66-6A1E-41DA-AFDA-BE86CBBEAA11"}
            output {"started":"run-2"}
          Missing child (Task)  t=30s
            input  {"started":"run-2"}
            ! no flow named `nowhere` was found in the workspace; `Missing child` gets a mocked or default result
            ! `Missing child` has no mock, so it got the default result of FNF:StartExecution: {"FlowName":"nowhere","ExecutionName":"225ec07a-9950-4761-a9c3-a27688795369","RequestID":"1A82E79B-05B5-4AEB-A5BA-4EB728…
            call   FNF:StartExecution RequestComplete [default result]
            params {"resourceArn":"acs:fnf:::flow/nowhere"}
            result {"FlowName":"nowhere","ExecutionName":"225ec07a-9950-4761-a9c3-a27688795369","RequestID":"1A82E79B-05B5-4AEB-A5BA-4EB728DD632C"}
            output {"FlowName":"nowhere","ExecutionName":"225ec07a-9950-4761-a9c3-a27688795369","RequestID":"1A82E79B-05B5-4AEB-A5BA-4EB728DD632C"}
        ✓ Succeeded in 30s (virtual)
          output {"FlowName":"nowhere","ExecutionName":"225ec07a-9950-4761-a9c3-a27688795369","RequestID":"1A82E79B-05B5-4AEB-A5BA-4EB728DD632C"}
        3 warnings:
          - Fire and forget: sub-flow `child` ended Failed: FnF.RuntimeError the OutputConstructor of `Answer`: `$Input.n * 2`: `*` needs two numbers, not null and an integer [type-mismatch]; the parent does not wait for it
          - Missing child: no flow named `nowhere` was found in the workspace; `Missing child` gets a mocked or default result
          - Missing child: `Missing child` has no mock, so it got the default result of FNF:StartExecution: {"FlowName":"nowhere","ExecutionName":"225ec07a-9950-4761-a9c3-a27688795369","RequestID":"1A82E79B-05B5-4AEB-A5BA-4EB728…
        assumptions this run relied on (README.md, "Assumptions"):
          - [subflow-lookup] at Wait for child, Fire and forget
          - [default-output] at Wait for child (sub-flow child), Fire and forget (sub-flow child)
          - [subflow-output] at Wait for child, Fire and forget
          - [runtime-error] at Fire and forget (sub-flow child)
    "#]],
    );
}

#[test]
fn legacy_subflow_sync_failure_is_caught_by_name() {
    let child = r#"
        version: v1
        type: flow
        steps:
          - type: fail
            name: no
            error: AuditUnknown
            cause: unknown error occurs
    "#;
    check_with(
        &legacy(
            r#"
            steps:
              - type: task
                name: audit
                resourceArn: acs:fnf:::flow/audit
                pattern: sync
                serviceParams:
                  Input: $
                catch:
                  - errors: [AuditUnknown]
                    goto: handled
              - type: succeed
                name: skipped
              - type: pass
                name: handled
        "#,
        ),
        "",
        r#"{"doc": 1}"#,
        options(),
        &[("audit", child)],
        expect![[r#"
            ▶ execution input {"doc":1}
              audit (task)  t=0s
                input  {"doc":1}
                call   acs:fnf:::flow/audit sync [sub-flow audit from audit.yaml: Failed in 0s]
                params {"Input":{"doc":1}}
                ✗ AuditUnknown: unknown error occurs
                ⤷ caught AuditUnknown → handled
              handled (pass)  t=0s
                input  {"doc":1}
                output {}
            ✓ Succeeded in 0s (virtual)
              output {}
            assumptions this run relied on (README.md, "Assumptions"):
              - [subflow-lookup] at audit
              - [subflow-output] at audit
        "#]],
    );
}

#[test]
fn limits_state_size_map_items_and_event_quota() {
    let big = format!(r#"{{"blob": "{}"}}"#, "x".repeat(70_000));
    let result = run_with(
        &cf("StartAt: A\nStates:\n  - {Type: Pass, Name: A, End: true}\n"),
        "",
        &big,
        options(),
        &[],
    );
    let too_big = format!("{} {:?}", result.status.as_str(), result.error);
    let items: Vec<String> = (0..20).map(|i| format!(r#"{{"i":{i}}}"#)).collect();
    let many = format!(r#"{{"items": [{}]}}"#, items.join(","));
    let map = cf(r#"
        StartAt: M
        States:
          - Type: Map
            Name: M
            ItemsPath: $Input.items
            Processor:
              StartAt: Each
              States:
                - {Type: Pass, Name: Each, End: true}
            End: true
    "#);
    let tiny = Options { limits: super::Limits { max_value_bytes: 100, ..Default::default() }, ..options() };
    let result = run_with(
        &cf("StartAt: A\nStates:\n  - {Type: Pass, Name: A, End: true}\n"),
        "",
        &format!(r#"{{"s": "{}"}}"#, "y".repeat(200)),
        tiny,
        &[],
    );
    assert_eq!(
        result.error.map(|e| e.code.to_string()).as_deref(),
        Some("FnF.DataLimitExceeded"),
        "the execution input is capped"
    );
    let capped = Options { limits: super::Limits { max_map_items: 10, ..Default::default() }, ..options() };
    let result = run_with(&map, "", &many, capped, &[]);
    let item_cap = format!("{} {:?}", result.status.as_str(), result.error);
    let items: Vec<String> = (0..1300).map(|i| format!(r#"{{"i":{i}}}"#)).collect();
    let lots = format!(r#"{{"items": [{}]}}"#, items.join(","));
    let result = run_with(&map, "", &lots, options(), &[]);
    let quota: Vec<String> =
        result.warnings.iter().filter(|w| w.code == "event-quota").map(|w| w.message.clone()).collect();
    expect![[r#"
        Failed Some(ErrorInfo { code: "FnF.DataLimitExceeded", detail: "the input of `A` is 70011 bytes; a state's input may be at most 64 KiB (65536 bytes)" })
        StepLimit Some(ErrorInfo { code: "DryRun.MapItemLimit", detail: "`M` has 20 items; the dry run runs at most 10 per Map" })
        Succeeded this run wrote 5205 history events; the service ends an execution at 5000 (a quota that can be raised); split the work into child executions"#]].assert_eq(&format!("{too_big}\n{item_cap}\n{} {}", result.status.as_str(), quota.join("\n")));
}

#[test]
fn events_carry_utf16_ranges_of_cjk_states_and_serialise() {
    let flow = cf(r#"
        StartAt: 视频理解
        States:
          - Type: Pass
            Name: 视频理解
            Next: 一键成片😀
          - {Type: Pass, Name: 一键成片😀, End: true}
    "#);
    let result = run_with(&flow, "", "{}", options(), &[]);
    let json = serde_json::to_value(&result).expect("serialises");
    let lines: Vec<String> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {} {} {}", e["type"], e["state"], e["range"], e["path"]))
        .collect();
    expect![[r#"
        "ExecutionStarted" null null []
        "StateEntered" "视频理解" {"start":{"line":5,"character":4},"end":{"line":7,"character":16}} []
        "StateExited" "视频理解" {"start":{"line":5,"character":4},"end":{"line":7,"character":16}} []
        "StateEntered" "一键成片😀" {"start":{"line":8,"character":4},"end":{"line":8,"character":41}} []
        "StateExited" "一键成片😀" {"start":{"line":8,"character":4},"end":{"line":8,"character":41}} []
        "ExecutionSucceeded" null null []
        {"type":"StateEntered","state":"视频理解","path":[],"range":{"start":{"line":5,"character":4},"end":{"line":7,"character":16}},"time":0.0,"input":{},"stateType":"Pass"}"#]].assert_eq(&format!("{}\n{}", lines.join("\n"), serde_json::to_string(&json["events"][1]).unwrap()));
}

#[test]
fn global_variables_and_custom_callback_failure() {
    check(
        &cf(r#"
            StartAt: Login
            States:
              - Type: Pass
                Name: Login
                GlobalConstructor:
                  user.$: $Input.user
                  seen.$: $Output.user
                Next: Approve
              - Type: Task
                Name: Approve
                Action: HTTP:Request
                TaskMode: WaitForCustomCallback
                Parameters:
                  url: https://approvals.example.com
                  method: POST
                  body:
                    who.$: $Global.user
                Catch:
                  - Errors: [Rejected]
                    Next: Denied
                    OutputConstructor:
                      who.$: $Global.user
                      why.$: $Context.Current.Error.Detail
                End: true
              - Type: Succeed
                Name: Denied
        "#),
        r#"
            States:
              Approve: {Callback: {Fail: {Error: Rejected, Cause: not today}, Delay: 60}}
        "#,
        r#"{"user": "ada"}"#,
        expect![[r#"
            ▶ execution input {"user":"ada"}
              Login (Pass)  t=0s
                input  {"user":"ada"}
                output {"user":"ada"}
              Approve (Task)  t=0s
                input  {"user":"ada"}
                call   HTTP:Request WaitForCustomCallback [mocked for the state]
                params {"url":"https://approvals.example.com","method":"POST","body":{"who":"ada"}}
                ✗ Rejected: not today  t=60s
                ⤷ caught Rejected → Denied
              Denied (Succeed)  t=60s
                input  {"who":"ada","why":"not today"}
                output {"who":"ada","why":"not today"}
            ✓ Succeeded in 60s (virtual)
              output {"who":"ada","why":"not today"}
            assumptions this run relied on (README.md, "Assumptions"):
              - [global-merge] at Login
        "#]],
    );
}

#[test]
fn express_executions_time_out_after_five_minutes() {
    let options = Options { mode: crate::analysis::WorkflowMode::Express, ..options() };
    check_with(
        &cf(r#"
            StartAt: Slow
            States:
              - Type: Task
                Name: Slow
                Action: FC:InvokeFunction
                Parameters:
                  resourceArn: acs:fc:cn-hangzhou:1:functions/slow/LATEST
                  invocationType: Sync
                End: true
        "#),
        "Actions:\n  FC:InvokeFunction: {Return: {Body: {}}, Delay: 400}\n",
        "{}",
        options,
        &[],
        expect![[r#"
            ▶ execution input {}
              Slow (Task)  t=0s
                input  {}
                call   FC:InvokeFunction RequestComplete [mocked for the action]
                params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/slow/LATEST","invocationType":"Sync"}
            ✗ TimedOut after 300s (virtual)
              ExecutionTimedOut: the execution ran longer than its timeout of 300 seconds
            assumptions this run relied on (README.md, "Assumptions"):
              - [express-duration] at the execution
        "#]],
    );
}

#[test]
fn legacy_succeed_ends_only_its_own_step_list() {
    check(
        &legacy(
            r#"
            steps:
              - type: foreach
                name: each
                iterationMapping:
                  collection: $.xs
                  item: x
                steps:
                  - type: choice
                    name: skip?
                    choices:
                      - condition: $.x == 2
                        goto: stop
                  - type: pass
                    name: work
                    outputMappings:
                      - target: did
                        source: $input.x
                  - type: succeed
                    name: stop
                outputMappings:
                  - target: did
                    source: $local[*].did
              - type: pass
                name: after
        "#,
        ),
        "",
        r#"{"xs": [1, 2]}"#,
        expect![[r#"
            ▶ execution input {"xs":[1,2]}
              each (foreach)  t=0s
                input  {"xs":[1,2]}
                item 0 starts {"xs":[1,2],"x":1}
                item 1 starts {"xs":[1,2],"x":2}
            ┆ each › item 0
                  skip? (choice)  t=0s
                    input  {"xs":[1,2],"x":1}
                    output {}
                  work (pass)  t=0s
                    input  {"xs":[1,2],"x":1}
                    output {"did":1}
                  stop (succeed)  t=0s
                    input  {"xs":[1,2],"x":1,"did":1}
                    output {}
                item 0 done {"did":1}
            ┆ each › item 1
                  skip? (choice)  t=0s
                    input  {"xs":[1,2],"x":2}
                    → stop  (`$.x == 2` is true)
                    output {}
                  stop (succeed)  t=0s
                    input  {"xs":[1,2],"x":2}
                    output {}
                item 1 done {}
                output {"did":[1]}
              after (pass)  t=0s
                input  {"xs":[1,2],"did":[1]}
                output {}
            ✓ Succeeded in 0s (virtual)
              output {"did":[1]}
        "#]],
    );
}

/// A debugger's view: the hook stops before and after every state; resuming from each
/// stop gives the same run as no hook at all.
#[test]
fn a_hook_pauses_before_and_after_each_state_and_the_run_resumes() {
    use super::hook::{Control, Hook, Stop};
    struct Stepper(Vec<String>);
    impl Hook for Stepper {
        fn before_state(&mut self, at: &Stop<'_>) -> Control {
            self.0.push(format!("before {} {} t={}", at.state, at.data, at.time));
            Control::Pause
        }
        fn after_state(&mut self, at: &Stop<'_>) -> Control {
            self.0.push(format!("after {} {} depth {}", at.state, at.data, at.path.len()));
            Control::Pause
        }
    }
    let flow = dedent(&cf(r#"
        StartAt: P
        States:
          - Type: Parallel
            Name: P
            Branches:
              - StartAt: W
                States:
                  - {Type: Wait, Name: W, Seconds: 2, End: true}
            Next: Done
          - {Type: Pass, Name: Done, End: true}
    "#));
    let text = SourceText::new(&flow);
    let tree = SyntaxTree::parse(&text);
    let program = lower(&text, &tree, PositionEncoding::Utf16).unwrap();
    let mocks = super::Mocks::default();
    let options = options();
    let input: Value = serde_json::json!({"a": 1});
    let mut execution = super::Execution::new(&program, input.clone(), &mocks, &options, &super::NoLoader);
    let mut hook = Stepper(Vec::new());
    let mut pauses = 0;
    while execution.resume(&mut hook) == super::Progress::Paused {
        pauses += 1;
        // A paused run shows its history so far, ending where it stopped.
        assert!(matches!(
            execution.events().last().map(|e| &e.kind),
            Some(super::EventKind::StateEntered { .. } | super::EventKind::StateExited { .. })
        ));
    }
    let stepped = execution.into_result();
    let plain = run(&program, input, &mocks, &options, &super::NoLoader);
    assert_eq!(serde_json::to_value(&stepped).unwrap(), serde_json::to_value(&plain).unwrap());
    assert_eq!(pauses, 6);
    expect![[r#"
        before P {"a":1} t=0
        before W {"a":1} t=0
        after W {"a":1} depth 1
        after P {"Branch0":{"a":1}} depth 0
        before Done {"Branch0":{"a":1}} t=2
        after Done {"Branch0":{"a":1}} depth 0"#]]
    .assert_eq(&hook.0.join("\n"));
}

#[test]
fn a_cancelled_run_stops() {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let options = Options { cancel: Some(flag), ..options() };
    let result =
        run_with(&cf("StartAt: A\nStates:\n  - {Type: Pass, Name: A, End: true}\n"), "", "{}", options, &[]);
    assert_eq!(
        (result.status, result.error.map(|e| e.code.to_string())),
        (super::Status::StepLimit, Some("DryRun.Cancelled".into()))
    );
}

#[test]
fn mocks_and_test_files_report_mistakes_with_positions() {
    let (_, errors) = suite::parse(&dedent(
        r#"
        States:
          A: {Return: 1, Throw: {Error: E}}
          B:
            "0": {Return: 1}
            "0-2": {Return: 2}
          C: {Callback: {Succeed: {}, Fail: {Error: X}}}
          D: {Throw: {Cause: no name}, Delay: -1}
          E: [1, 2]
        Actions: 3
        Tests:
          t:
            Input: [1]
            Expect:
              Status: Done
              Ran: {A: 1}
              Extra: 1
    "#,
    ));
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    expect![[r#"
        1:1: a file with `Tests` needs `Flow:`, the flow file the tests run (relative to this file)
        2:6: the mock of `A` gives more than one of `Return`, `Throw` and `Callback`
        5:5: invocations 0-2 of `B` overlap another entry
        6:17: `Callback` takes exactly one of `Succeed` (the output reported) or `Fail` (`Error`, `Cause`)
        7:14: `Throw` needs an `Error` name
        7:39: `Delay` must be a number of seconds, 0 or more
        8:6: the mock of `E` must be a mapping of keys
        9:10: `Actions` must be a mapping of keys
        12:12: `Input` must be a mapping: an execution's input is a JSON object
        14:15: `Status` is one of Succeeded, Failed, TimedOut, StepLimit, not `Done`
        15:12: `Ran` must be a list of state names
        16:7: unknown key `Extra` in `Expect`; expected `Status`, `Output`, `OutputIncludes`, `ErrorCode`, `Ran`, `NotRan`, `Parameters`"#]].assert_eq(&lines.join("\n"));
}

#[test]
fn mocks_may_be_json() {
    let (file, errors) = suite::parse(
        r#"{"States": {"A": {"0": {"Throw": {"Error": "E"}}, "1": {"Return": {"ok": true}}}}, "Actions": {"HTTP:Request": {"Return": {}}}}"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!((file.mocks.states.len(), file.mocks.actions.len()), (1, 1));
}

#[test]
fn per_invocation_mocks_repeat_the_last_response() {
    let (file, errors) = suite::parse("States:\n  A:\n    \"0\": {Return: 0}\n    \"1-2\": {Return: 1}\n");
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<String> = (0..5)
        .map(|i| match file.mocks.lookup("A", &[], i).map(|(r, _)| &r.outcome) {
            Some(super::mocks::Outcome::Return(v)) => v.to_string(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(got, ["0", "1", "1", "1", "1"]);
}

#[test]
fn expectations_compare_exactly_or_as_subsets() {
    let flow = cf("StartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n");
    let result = run_with(&flow, "", r#"{"a": {"b": [1, {"c": 2}], "d": 1.0}}"#, options(), &[]);
    let (file, errors) = suite::parse(&dedent(
        r#"
        Flow: f.yaml
        Tests:
          ok:
            Expect:
              Status: Succeeded
              Output: {a: {b: [1, {c: 2}], d: 1}}
              OutputIncludes: {a: {b: [1, {}]}}
              Ran: [A]
          wrong:
            Expect:
              Status: Failed
              Output: {a: 1}
              OutputIncludes: {a: {b: [1, {c: 3}]}, z: 1}
              ErrorCode: X
              NotRan: [A]
              Ran: [B]
              Parameters: {A: {}}
    "#,
    ));
    assert!(errors.is_empty(), "{errors:?}");
    let report: Vec<String> = file
        .cases
        .iter()
        .map(|c| format!("{}: {:?}", c.name, super::expect::check(&c.expect, &result)))
        .collect();
    expect![[r#"
        ok: []
        wrong: ["status: expected Failed, got Succeeded", "output: expected {\"a\":1}, got {\"a\":{\"b\":[1,{\"c\":2}],\"d\":1.0}}", "output.a.b[1].c: expected 3, got 2", "error code: expected `X`, but the run has no error", "`B` was expected to run, but it did not", "`A` was expected not to run, but it did", "parameters of `A`: the task was never called"]"#]].assert_eq(&report.join("\n"));
}
