//! The machine around the states: loops and limits, sub-flows, ranges and the JSON shape,
//! the hook a debugger uses, cancellation.

use expect_test::expect;
use serde_json::Value;

use super::*;
use crate::dryrun::lower;
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

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
fn infinite_loop_is_stopped_and_named() {
    let options =
        Options { limits: crate::dryrun::Limits { max_steps: 50, ..Default::default() }, ..options() };
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

/// A loop that wraps `$Input` (or a global variable) in one more level on each pass: the
/// run fails with the data-limit error at `MAX_VALUE_DEPTH` instead of recursing into a
/// stack overflow (values are measured, copied and printed by recursive code). Run on a
/// test thread, whose stack is 2 MiB like the language server's.
#[test]
fn values_nested_ever_deeper_by_a_loop_are_stopped() {
    let wrap = |constructor: &str| {
        cf(&format!(
            "StartAt: Wrap\nStates:\n  - Type: Pass\n    Name: Wrap\n    {constructor}\n    Next: Loop\n  - Type: Choice\n    Name: Loop\n    Branches:\n      - Condition: $Input.a == 1\n        Next: Done\n    Default: Wrap\n  - {{Type: Succeed, Name: Done}}\n"
        ))
    };
    let deep =
        Options { limits: crate::dryrun::Limits { max_steps: 100_000, ..Default::default() }, ..options() };
    let mut out = String::new();
    for constructor in [
        "InputConstructor: {a.$: $Input}",
        "InputConstructor: {a.$: '[[[$Input]]]'}",
        "GlobalConstructor: {g.$: '[$Global.g]'}",
    ] {
        let result = run_with(&wrap(constructor), "", "{}", deep.clone(), &[]);
        out.push_str(&format!("{} {:?}\n", result.status.as_str(), result.error));
    }
    expect![[r#"
        Failed Some(ErrorInfo { code: "FnF.DataLimitExceeded", detail: "the input of `Wrap` nests values more than 100 levels deep; the dry run follows no deeper" })
        Failed Some(ErrorInfo { code: "FnF.DataLimitExceeded", detail: "the input of `Wrap` nests values more than 100 levels deep; the dry run follows no deeper" })
        Failed Some(ErrorInfo { code: "FnF.DataLimitExceeded", detail: "the GlobalConstructor output of `Wrap` nests values more than 100 levels deep; the dry run follows no deeper" })
    "#]]
    .assert_eq(&out);
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
    let tiny =
        Options { limits: crate::dryrun::Limits { max_value_bytes: 100, ..Default::default() }, ..options() };
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
    let capped =
        Options { limits: crate::dryrun::Limits { max_map_items: 10, ..Default::default() }, ..options() };
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

/// A loop whose data grows on each pass: the events keep the values of the first passes up
/// to `Limits::max_history_bytes` (here 20,000 bytes), then only small values; the rest
/// show their size, and a warning says how many were left out. A run under the bound keeps
/// everything and has no such warning.
#[test]
fn a_loop_that_grows_its_data_keeps_a_bounded_history() {
    let grow = cf(r#"
        StartAt: Grow
        States:
          - Type: Pass
            Name: Grow
            InputConstructor:
              s.$: format("{}0123456789", $Input.s)
            Next: Loop
          - Type: Choice
            Name: Loop
            Branches:
              - Condition: length($Input.s) > 1000
                Next: Done
            Default: Grow
          - {Type: Succeed, Name: Done}
    "#);
    let bounded = Options {
        limits: crate::dryrun::Limits { max_history_bytes: 20_000, ..Default::default() },
        ..options()
    };
    let result = run_with(&grow, "", r#"{"s": ""}"#, bounded, &[]);
    assert_eq!(result.status.as_str(), "Succeeded");
    let mut events = result.events;
    let sizes: Vec<usize> = events.iter_mut().flat_map(|e| e.kind.values_mut()).map(|v| v.bytes()).collect();
    let kept: usize = sizes.iter().filter(|&&n| n > 64).sum();
    assert!(kept <= 20_000, "{kept} bytes of values kept");
    let left_out = events
        .iter_mut()
        .flat_map(|e| e.kind.values_mut())
        .filter(|v| v.value().as_str().is_some_and(|s| s.ends_with("bytes left out of the history")))
        .count();
    let warning: Vec<&str> = result
        .warnings
        .iter()
        .filter(|w| w.code == "history-values-left-out")
        .map(|w| w.message.as_str())
        .collect();
    assert!(left_out > 100, "{left_out} values left out");
    assert_eq!(
        warning,
        [format!(
            "the events keep at most 20000 bytes of values: {left_out} later values are left out (each shows its size)"
        )]
    );
    // The last value still ends the run: the output is not the history's.
    assert!(result.output.is_some_and(|o| o.bytes() > 1000));
    // Under the bound: nothing is left out.
    let result = run_with(&grow, "", r#"{"s": ""}"#, options(), &[]);
    assert!(result.warnings.iter().all(|w| w.code != "history-values-left-out"));
    assert!(result.events.iter().all(|e| !format!("{:?}", e.kind).contains("left out")));
}

/// No expression or constructor builds a value over the cap (`Limits::max_value_bytes`,
/// here 1,000 bytes): the execution fails with the data-limit error, which no Catch takes,
/// before the value is built. Below the cap the same flow runs.
#[test]
fn values_built_by_expressions_and_templates_are_capped() {
    let flow = |keys: usize, format_args: usize| {
        let params: String = (0..keys).map(|i| format!("\n      k{i}.$: $Input.s")).collect();
        let args = vec!["$Input.s"; format_args].join(", ");
        let template = "{}".repeat(format_args);
        cf(&format!(
            "StartAt: Call\nStates:\n  - Type: Task\n    Name: Call\n    Action: FC:InvokeFunction\n    Parameters:{params}\n      joined.$: format(\"{template}\", {args})\n    Catch:\n      - Errors: [FnF.ALL]\n        Next: Caught\n    End: true\n  - {{Type: Pass, Name: Caught, End: true}}\n"
        ))
    };
    let limits = crate::dryrun::Limits { max_value_bytes: 1000, ..Default::default() };
    let tiny = Options { limits, ..options() };
    let input = format!(r#"{{"s": "{}"}}"#, "x".repeat(100));
    let mut out = String::new();
    for (keys, format_args) in [(2, 2), (2, 12), (12, 1)] {
        let result = run_with(&flow(keys, format_args), "", &input, tiny.clone(), &[]);
        let ran: Vec<&str> = result.events.iter().filter_map(|e| e.state.as_deref()).collect();
        out.push_str(&format!(
            "{keys} keys, format of {format_args}: {} {:?} {ran:?}\n",
            result.status.as_str(),
            result.error
        ));
    }
    expect![[r#"
        2 keys, format of 2: Succeeded None ["Call", "Call", "Call", "Call", "Call"]
        2 keys, format of 12: Failed Some(ErrorInfo { code: "FnF.DataLimitExceeded", detail: "the Parameters of `Call`: `format(\"{}{}{}{}{}{}{}{}{}{}{}{}\", $Input.s, $Input.s, $Input.s, $Input.s, $Input.s, $Input.s, $Input.s, $Input.s, $Input.s, $Input.s, $Input.s, $Input.s)`: the arguments of `format` together would be over 1000 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable) [value-too-large]" }) ["Call", "Call"]
        12 keys, format of 1: Failed Some(ErrorInfo { code: "FnF.DataLimitExceeded", detail: "the Parameters of `Call`: `$Input.s`: with this value, the value built would be over 1000 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable) [value-too-large]" }) ["Call", "Call"]
    "#]].assert_eq(&out);
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

/// A debugger's view: the hook stops before and after every state; resuming from each
/// stop gives the same run as no hook at all.
#[test]
fn a_hook_pauses_before_and_after_each_state_and_the_run_resumes() {
    use crate::dryrun::hook::{Control, Hook, Stop};
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
    let mocks = crate::dryrun::Mocks::default();
    let options = options();
    let input: Value = serde_json::json!({"a": 1});
    let mut execution =
        crate::dryrun::Execution::new(&program, input.clone(), &mocks, &options, &crate::dryrun::NoLoader);
    let mut hook = Stepper(Vec::new());
    let mut pauses = 0;
    while execution.resume(&mut hook) == crate::dryrun::Progress::Paused {
        pauses += 1;
        // A paused run shows its history so far, ending where it stopped.
        assert!(matches!(
            execution.events().last().map(|e| &e.kind),
            Some(
                crate::dryrun::EventKind::StateEntered { .. } | crate::dryrun::EventKind::StateExited { .. }
            )
        ));
    }
    let stepped = execution.into_result();
    let plain = run(&program, input, &mocks, &options, &crate::dryrun::NoLoader);
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
        (crate::dryrun::Status::StepLimit, Some("DryRun.Cancelled".into()))
    );
}
