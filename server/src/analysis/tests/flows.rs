//! Whole flows of both dialects: clean ones stay clean, broken ones show every rule at
//! work, near misses of each rule stay clean, and a broken state keeps its neighbours'
//! diagnostics.

use expect_test::expect;

use super::check_flow;
use crate::analysis::fixture::annotate;
use crate::analysis::{CheckOptions, WorkflowMode};

#[test]
fn clean_cloudflow() {
    check_flow(
        r#"Type: StateMachine
Name: video
SpecVersion: v1
StartAt: 视频理解
States:
  - Type: Task
    Name: 视频理解
    Action: FC:InvokeFunction
    TaskMode: WaitForSystemCallback
    Parameters:
      resourceArn: acs:fc:cn-shanghai:123:functions/analyse/LATEST
      invocationType: Async
      body:
        videoUrl.$: $Input.videoUrl
    Retry:
      - Errors: [FC.ResourceThrottled]
        Description: throttled
        MaxAttempts: 3
        IntervalSeconds: 2
    Catch:
      - Errors: [FnF.ALL]
        Description: anything else
        Next: 失败
    Next: 分支
  - Type: Parallel
    Name: 分支
    Branches:
      - StartAt: A
        States:
          - Type: Pass
            Name: A
            End: true
    Next: 循环
  - Type: Map
    Name: 循环
    ItemsPath: $Input.items
    MaxConcurrency: 10
    Processor:
      StartAt: Item
      States:
        - Type: Wait
          Name: Item
          Seconds: 5
          End: true
    Next: 判断
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.ok == true
        Next: 完成
    Default: 失败
  - Type: Succeed
    Name: 完成
  - Type: Fail
    Name: 失败
    Code: Bad
    Detail: it failed
"#,
        expect![[r#"
            Type: StateMachine
            Name: video
            SpecVersion: v1
            StartAt: 视频理解
            States:
              - Type: Task
                Name: 视频理解
                Action: FC:InvokeFunction
                TaskMode: WaitForSystemCallback
                Parameters:
                  resourceArn: acs:fc:cn-shanghai:123:functions/analyse/LATEST
                  invocationType: Async
                  body:
                    videoUrl.$: $Input.videoUrl
                Retry:
                  - Errors: [FC.ResourceThrottled]
                    Description: throttled
                    MaxAttempts: 3
                    IntervalSeconds: 2
                Catch:
                  - Errors: [FnF.ALL]
                    Description: anything else
                    Next: 失败
                Next: 分支
              - Type: Parallel
                Name: 分支
                Branches:
                  - StartAt: A
                    States:
                      - Type: Pass
                        Name: A
                        End: true
                Next: 循环
              - Type: Map
                Name: 循环
                ItemsPath: $Input.items
                MaxConcurrency: 10
                Processor:
                  StartAt: Item
                  States:
                    - Type: Wait
                      Name: Item
                      Seconds: 5
                      End: true
                Next: 判断
              - Type: Choice
                Name: 判断
                Branches:
                  - Condition: $Input.ok == true
                    Next: 完成
                Default: 失败
              - Type: Succeed
                Name: 完成
              - Type: Fail
                Name: 失败
                Code: Bad
                Detail: it failed
        "#]],
    );
}

#[test]
fn unknown_dialect_is_one_diagnostic() {
    check_flow(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n",
        expect![[r#"
        apiVersion: v1
        ^^^^^^^^^^ error[unknown-dialect]: not a flow definition: expected `Type: StateMachine` with `States` (CloudFlow) or `type: flow` with `steps` (legacy Serverless Workflow)
        kind: Pod
        spec:
          containers: []
    "#]],
    );
    check_flow(
        "- just\n- a list\n",
        expect![[r#"
        - just
        ^ error[unknown-dialect]: a flow definition is a YAML mapping of keys (`Type: StateMachine`, `States: ...`), not a list or a single value
        - a list
    "#]],
    );
}

#[test]
fn a_broken_state_keeps_its_neighbours_diagnostics() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    Next: Missing\n  - Type: Pass\n    Name: B\n    Acti\n    End: true\n  - Type: Wat\n    Name: C\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: A
            States:
              - Type: Pass
                Name: A
                Next: Missing
                      ^^^^^^^ error[unknown-state]: transition `Missing` names no state of this scope; states here: `A`, `B`, `C`
              - Type: Pass
                Name: B
                      ^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
                Acti
                ^^^^ error[yaml-syntax]: `Acti` is not a `key: value` pair: add `:` and a value, or remove the line
                End: true
              - Type: Wat
                      ^^^ error[invalid-value]: unknown Type `Wat`: did you mean `Wait`? [fix: Replace with `Wait`]
                Name: C
                      ^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
        "#]],
    );
}

#[test]
fn legacy_flow_clean_and_broken() {
    check_flow(
        "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: call\n    resourceArn: acs:fc:::services/s/functions/f\n    pattern: waitForCallback\n    retry:\n      - errors: [FnF.ALL]\n        intervalSeconds: 10\n    catch:\n      - errors: [FnF.ALL]\n        goto: failed\n  - type: choice\n    name: check\n    choices:\n      - condition: $.ok\n        goto: done\n    default:\n      goto: failed\n  - type: fail\n    name: failed\n    error: Boom\n  - type: succeed\n    name: done\n",
        expect![[r#"
            version: v1
            type: flow
            steps:
              - type: task
                name: call
                resourceArn: acs:fc:::services/s/functions/f
                pattern: waitForCallback
                retry:
                  - errors: [FnF.ALL]
                    intervalSeconds: 10
                catch:
                  - errors: [FnF.ALL]
                    goto: failed
              - type: choice
                name: check
                choices:
                  - condition: $.ok
                    goto: done
                default:
                  goto: failed
              - type: fail
                name: failed
                error: Boom
              - type: succeed
                name: done
        "#]],
    );
    check_flow(
        "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: child\n    resourceArn: acs:mns:::/queues/q/messages\n    pattern: sync\n    end: true\n  - type: pass\n    name: never\n  - type: choice\n    name: c\n    choices:\n      - condition: $.x\n        goto: nowhere\n  - type: wait\n    name: w\n    duration: 200000\n  - type: task\n    name: t\n    resourceArn: !Ref Svc/fn\n    Pattern: sync\n",
        expect![[r#"
            version: v1
            type: flow
            steps:
              - type: task
                name: child
                resourceArn: acs:mns:::/queues/q/messages
                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[missing-parameter]: an MNS queue target requires parameter `MessageBody`, which is missing
                pattern: sync
                         ^^^^ error[unsupported-pattern]: pattern `sync` is not supported by MNS queue `q`: it supports `requestResponse`, `waitForCallback` [fix: Use `requestResponse`; Use `waitForCallback`]
                end: true
              - type: pass
                name: never
                      ^^^^^ warning[unreachable-state]: no step before this one reaches it (the previous step ends or jumps away, and no `goto` names it): it never runs, nor do the 3 steps it leads to
              - type: choice
                name: c
                choices:
                  - condition: $.x
                    goto: nowhere
                          ^^^^^^^ error[unknown-state]: goto `nowhere` names no state of this scope; states here: `c`, `child`, `never`, `t`, `w`
              - type: wait
                name: w
                duration: 200000
                          ^^^^^^ error[out-of-range]: `duration` of the Wait step is 200000; the service allows between 0 and 172800
              - type: task
                name: t
                resourceArn: !Ref Svc/fn
                Pattern: sync
                ^^^^^^^ warning[unknown-key]: unknown key `Pattern` in the Task step: did you mean `pattern`? [fix: Replace with `pattern`]
        "#]],
    );
}

/// Valid flows that come close to each rule: none may produce a diagnostic. Each case names
/// the rule it stays clear of.
#[test]
fn near_misses_stay_clean() {
    let cloudflow = |states: &str| {
        format!("Type: StateMachine\nName: near-miss\nSpecVersion: v1\nStartAt: A\nStates:\n{states}")
    };
    let cases: Vec<(&str, Option<WorkflowMode>, String)> = vec![
        ("duplicate-key: the same key in different mappings", None, cloudflow("  - Type: Pass\n    Name: A\n    Next: B\n  - Type: Pass\n    Name: B\n    End: true\n")),
        ("unknown-key: .$ keys, Description, GlobalConstructor", None, cloudflow("  - Type: Wait\n    Name: A\n    Description: wait\n    Seconds.$: $Input.n\n    GlobalConstructor:\n      seen.$: $Input.n\n    End: true\n")),
        ("missing-key / conflicting-keys: one of Seconds and Seconds.$", None, cloudflow("  - Type: Wait\n    Name: A\n    Seconds: 1\n    End: true\n")),
        ("invalid-type: Timeout as a string, End as a boolean", None, cloudflow("  - Type: Task\n    Name: A\n    Action: HTTP:Request\n    Timeout: \"30\"\n    End: true\n")),
        ("obsolete-key: MaxConcurrency spelt right", None, cloudflow("  - Type: Map\n    Name: A\n    ItemsPath: $Input.xs\n    MaxConcurrency: 40\n    Processor:\n      StartAt: P\n      States:\n        - Type: Pass\n          Name: P\n          End: true\n    End: true\n")),
        ("unknown-state: names with spaces, dots and CJK", None, "Type: StateMachine\nName: n\nSpecVersion: v1\nStartAt: an example of function invocation.\nStates:\n  - Type: Pass\n    Name: an example of function invocation.\n    Next: 视频理解\n  - Type: Pass\n    Name: 视频理解\n    End: true\n".to_string()),
        ("duplicate-state-name: the same name in another scope", None, cloudflow("  - Type: Parallel\n    Name: A\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Pass\n            Name: A\n            End: true\n    End: true\n")),
        ("unreachable-state: reached through Catch and Choice", None, cloudflow("  - Type: Task\n    Name: A\n    Action: HTTP:Request\n    Catch:\n      - Errors: [FnF.ALL]\n        Description: any\n        Next: Handler\n    Next: C\n  - Type: Choice\n    Name: C\n    Branches:\n      - Condition: $Input.ok\n        Next: Done\n    Default: Handler\n  - Type: Succeed\n    Name: Done\n  - Type: Fail\n    Name: Handler\n    Code: E\n    Detail: failed\n")),
        ("missing-transition: Choice, Succeed and Fail need no Next", None, cloudflow("  - Type: Choice\n    Name: A\n    Branches:\n      - Condition: $Input.ok\n        Next: S\n    Default: F\n  - Type: Succeed\n    Name: S\n  - Type: Fail\n    Name: F\n    Detail: no\n")),
        ("conflicting-transition: End: false with Next", None, cloudflow("  - Type: Pass\n    Name: A\n    End: false\n    Next: B\n  - Type: Pass\n    Name: B\n    End: true\n")),
        ("no-terminal-state: a loop with an exit", None, cloudflow("  - Type: Choice\n    Name: A\n    Branches:\n      - Condition: $Input.again\n        Next: A\n    Default: B\n  - Type: Pass\n    Name: B\n    End: true\n")),
        ("unsupported-task-mode: every mode where it is supported", None, cloudflow("  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    TaskMode: WaitForSystemCallback\n    Parameters:\n      resourceArn: acs:fc:{regionId}:{accountId}:functions/f/LATEST\n      invocationType: Async\n    Next: B\n  - Type: Task\n    Name: B\n    Action: EventBridge:PutEvents\n    TaskMode: WaitForCustomCallback\n    Next: C\n  - Type: Task\n    Name: C\n    Action: DashScope:QwenTextGeneration\n    TaskMode: RequestComplete\n    Next: D\n  - Type: Task\n    Name: D\n    Action: fnf:StartExecution\n    TaskMode: WaitForSystemCallback\n    Parameters:\n      resourceArn: acs:fnf:::flow/child\n    End: true\n")),
        ("invocation-type-mismatch: RequestComplete with Async is fire-and-forget", None, cloudflow("  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Parameters:\n      resourceArn: acs:fc:::services/svc.LATEST/functions/fn\n      invocationType: Async\n    End: true\n")),
        ("invalid-resource-arn: placeholders of the docs", None, cloudflow("  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Parameters:\n      resourceArn: acs:fc:cn-shanghai:${ALIUID}:functions/${FUNCTION_NAME}/LATEST\n      invocationType: Sync\n    End: true\n")),
        ("out-of-range: the limits themselves", Some(WorkflowMode::Express), cloudflow("  - Type: Wait\n    Name: A\n    Seconds: 20\n    Next: B\n  - Type: Task\n    Name: B\n    Action: HTTP:Request\n    Timeout: 604800\n    End: true\n")),
        ("doc-quirk: a single colon", None, cloudflow("  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:1:functions/f\n      invocationType: Sync\n    End: true\n")),
        ("unsupported-pattern: every legacy pattern where it is supported", None, "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: fc\n    resourceArn: acs:fc:::services/s/functions/f\n    pattern: waitForCallback\n  - type: task\n    name: async\n    resourceArn: acs:fc:::services/s/functions/f\n    pattern: sync\n    serviceParams:\n      InvocationType: Async\n  - type: task\n    name: child\n    resourceArn: !Ref Svc/child\n    pattern: sync\n  - type: task\n    name: topic\n    resourceArn: acs:mns:::/topics/t/messages\n    pattern: waitForCallback\n    serviceParams:\n      MessageBody: $\n".to_string()),
    ];
    let mut out = String::new();
    for (name, mode, src) in &cases {
        let annotated = annotate(src, &CheckOptions { mode: *mode, ..CheckOptions::default() });
        let carets: Vec<&str> = annotated.lines().filter(|l| l.trim_start().starts_with('^')).collect();
        out.push_str(&format!(
            "{name}: {}\n",
            if carets.is_empty() { "clean".to_string() } else { carets.join("\n") }
        ));
    }
    expect![[r#"
        duplicate-key: the same key in different mappings: clean
        unknown-key: .$ keys, Description, GlobalConstructor: clean
        missing-key / conflicting-keys: one of Seconds and Seconds.$: clean
        invalid-type: Timeout as a string, End as a boolean: clean
        obsolete-key: MaxConcurrency spelt right: clean
        unknown-state: names with spaces, dots and CJK: clean
        duplicate-state-name: the same name in another scope: clean
        unreachable-state: reached through Catch and Choice: clean
        missing-transition: Choice, Succeed and Fail need no Next: clean
        conflicting-transition: End: false with Next: clean
        no-terminal-state: a loop with an exit: clean
        unsupported-task-mode: every mode where it is supported: clean
        invocation-type-mismatch: RequestComplete with Async is fire-and-forget: clean
        invalid-resource-arn: placeholders of the docs: clean
        out-of-range: the limits themselves: clean
        doc-quirk: a single colon: clean
        unsupported-pattern: every legacy pattern where it is supported: clean
    "#]]
    .assert_eq(&out);
}
