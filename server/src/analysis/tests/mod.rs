//! Diagnostics fixtures: a flow in, the flow annotated with its diagnostics out.
//!
//! Every rule has a fixture that triggers it and one that must stay clean. Carets count
//! characters, so ranges on CJK state names are checked too.

use expect_test::{Expect, expect};

use super::fixture::annotate;
use super::*;
use crate::syntax::{SourceText, SyntaxTree};

fn check_flow(src: &str, expect: Expect) {
    expect.assert_eq(&annotate(src, &CheckOptions::default()));
}

fn check_express(src: &str, expect: Expect) {
    expect.assert_eq(&annotate(
        src,
        &CheckOptions { mode: Some(WorkflowMode::Express), ..CheckOptions::default() },
    ));
}

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
fn unknown_and_missing_keys_with_suggestions() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: M\nStates:\n  - Type: Map\n    Name: M\n    ItemsPath: $Input.xs\n    MaxConcurency: 5\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: M
            States:
              - Type: Map
                Name: M
                      ^ error[missing-key]: the Map state needs `Processor`: the sub-flow run for each element.
                ItemsPath: $Input.xs
                MaxConcurency: 5
                ^^^^^^^^^^^^^ warning[unknown-key]: unknown key `MaxConcurency` in the Map state: did you mean `MaxConcurrency`? [fix: Replace with `MaxConcurrency`]
                End: true
        "#]],
    );
}

#[test]
fn invalid_values_and_types() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v2\nStartAt: P\nStates:\n  - Type: Pas\n    Name: P\n    End: true\n  - Type: Wait\n    Name: W\n    Seconds: soon\n    End: yes\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v2
                         ^^ error[invalid-value]: `SpecVersion` of the state machine cannot be `v2`: did you mean `v1`? (expected one of `v1`) [fix: Replace with `v1`]
            StartAt: P
            States:
              - Type: Pas
                      ^^^ error[invalid-value]: unknown Type `Pas`: did you mean `Pass`? [fix: Replace with `Pass`]
                Name: P
                End: true
              - Type: Wait
                Name: W
                      ^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
                      ^ error[missing-transition]: this state needs `Next: <state>` or `End: true`: otherwise the flow cannot go on from it [fix: Add `End: true`]
                Seconds: soon
                         ^^^^ error[invalid-type]: `Seconds` of the Wait state must be an integer, found the text `soon`
                End: yes
                     ^^^ error[invalid-type]: `End` of the Wait state must be `true` or `false`, found the text `yes`
        "#]],
    );
}

#[test]
fn obsolete_keys_and_doc_quirks() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: M\nStates:\n  - Type: Map\n    Name: M\n    ItemsPath: $Input.xs\n    MaxConcuccency: 5\n    Processor:\n      StartAt: T\n      States:\n        - Type: Task\n          Name: T\n          Action: FC::InvokeFunction\n          End: true\n    Next: S\n  - Type: Succeed\n    Name: S\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: M
            States:
              - Type: Map
                Name: M
                ItemsPath: $Input.xs
                MaxConcuccency: 5
                ^^^^^^^^^^^^^^ warning[obsolete-key]: `MaxConcuccency` is obsolete in the Map state: use `MaxConcurrency` [fix: Rename to `MaxConcurrency`]
                Processor:
                  StartAt: T
                  States:
                    - Type: Task
                      Name: T
                      Action: FC::InvokeFunction
                              ^^^^^^^^^^^^^^^^^^ error[doc-quirk]: `FC::InvokeFunction` has a double colon (a typo copied from Alibaba's docs): write `FC:InvokeFunction` [fix: Replace with `FC:InvokeFunction`]
                      End: true
                Next: S
              - Type: Succeed
                Name: S
                End: true
                ^^^ information[doc-quirk]: `End` is redundant on a Succeed state: it always ends its scope [fix: Remove `End`]
        "#]],
    );
}

#[test]
fn state_references_in_every_scope() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: InvokeFunction\nStates:\n  - Type: Task\n    Name: 调用函数示例\n    Action: HTTP:Request\n    Next: 结速\n  - Type: Choice\n    Name: C\n    Branches:\n      - Condition: $Input.a\n        Next: Nowhere\n    Default: 结束\n  - Type: Pass\n    Name: 结束\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: InvokeFunction
                     ^^^^^^^^^^^^^^ error[unknown-state]: StartAt `InvokeFunction` names no state of this scope; states here: `C`, `结束`, `调用函数示例`
            States:
              - Type: Task
                Name: 调用函数示例
                Action: HTTP:Request
                Next: 结速
                      ^^ error[unknown-state]: transition `结速` names no state of this scope: did you mean `结束`? [fix: Change to `结束`]
              - Type: Choice
                Name: C
                Branches:
                  - Condition: $Input.a
                    Next: Nowhere
                          ^^^^^^^ error[unknown-state]: transition `Nowhere` names no state of this scope; states here: `C`, `结束`, `调用函数示例`
                Default: 结束
              - Type: Pass
                Name: 结束
                End: true
        "#]],
    );
}

#[test]
fn duplicate_names_and_keys() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    Next: A2\n  - Type: Pass\n    Name: A2\n    End: true\n    End: true\n  - Type: Pass\n    Name: A2\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: A
            States:
              - Type: Pass
                Name: A
                Next: A2
              - Type: Pass
                Name: A2
                End: true
                End: true
                ^^^ error[duplicate-key]: duplicate key `End`: it is already set on the line above, and only one of the two counts [fix: Remove this `End` entry]
              - Type: Pass
                Name: A2
                      ^^ error[duplicate-state-name]: another state of this scope is already named `A2` (line 9): transitions could not tell them apart
                      ^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
                End: true
        "#]],
    );
}

#[test]
fn transitions_and_reachability() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    Next: B\n    End: true\n  - Type: Pass\n    Name: B\n  - Type: Pass\n    Name: Lonely\n    Next: A\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: A
            States:
              - Type: Pass
                Name: A
                Next: B
                End: true
                ^^^^^^^^^ warning[conflicting-transition]: a state has either `Next` or `End: true`, not both: with both, `End: true` wins (the engine looks for `Next` only when `End` is not set) and `Next` is ignored
              - Type: Pass
                Name: B
                      ^ error[missing-transition]: this state needs `Next: <state>` or `End: true`: otherwise the flow cannot go on from it [fix: Add `End: true`; Add `Next: Lonely`]
              - Type: Pass
                Name: Lonely
                      ^^^^^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
                Next: A
        "#]],
    );
}

/// The missing-transition fix adds a line in a block mapping, and `, End: true` after the
/// last entry of a flow mapping (a flow on one long line gets no line of spaces).
#[test]
fn missing_transition_fix_in_block_and_flow_style() {
    let fixed = |src: &str| {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let diagnostics = check(&text, &tree, &CheckOptions::default());
        let d = diagnostics.iter().find(|d| d.code == Code::MissingTransition).expect("missing-transition");
        let (range, insert) = &d.fixes[0].edits[0];
        let mut out = src.to_string();
        out.replace_range(range.as_usize(), insert);
        out
    };
    assert_eq!(
        fixed("Type: StateMachine\nStartAt: 甲\nStates:\n  - Type: Pass\n    Name: 甲\n"),
        "Type: StateMachine\nStartAt: 甲\nStates:\n  - Type: Pass\n    Name: 甲\n    End: true\n"
    );
    assert_eq!(
        fixed("{Type: StateMachine, StartAt: 甲, States: [{Type: Pass, Name: 甲 }]}"),
        "{Type: StateMachine, StartAt: 甲, States: [{Type: Pass, Name: 甲, End: true }]}"
    );
}

#[test]
fn no_terminal_state_in_a_branch() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: P\nStates:\n  - Type: Parallel\n    Name: P\n    End: true\n    Branches:\n      - StartAt: X\n        States:\n          - Type: Pass\n            Name: X\n            Next: X\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: P
            States:
              - Type: Parallel
                Name: P
                End: true
                Branches:
                  - StartAt: X
                    States:
                    ^^^^^^ error[no-terminal-state]: no state of this Parallel branch ends it (`End: true`, Succeed or Fail): an execution could never finish
                      - Type: Pass
                        Name: X
                        Next: X
        "#]],
    );
}

#[test]
fn task_modes_per_service_and_mode() {
    let src = "Type: StateMachine\nSpecVersion: v1\nStartAt: E\nStates:\n  - Type: Task\n    Name: E\n    Action: EventBridge:PutEvents\n    TaskMode: WaitForSystemCallback\n    Next: O\n  - Type: Task\n    Name: O\n    Action: ECS:DescribeInstances\n    TaskMode: WaitForCustomCallback\n    Next: F\n  - Type: Task\n    Name: F\n    Action: FC:InvokeFunction\n    TaskMode: WaitForSystemCallback\n    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:1:functions/f/LATEST\n      invocationType: Sync\n    Next: W\n  - Type: Wait\n    Name: W\n    Seconds: 60\n    End: true\n";
    check_flow(
        src,
        expect![[r#"
        Type: StateMachine
        SpecVersion: v1
        StartAt: E
        States:
          - Type: Task
            Name: E
            Action: EventBridge:PutEvents
            TaskMode: WaitForSystemCallback
                      ^^^^^^^^^^^^^^^^^^^^^ error[unsupported-task-mode]: `WaitForSystemCallback` is not supported by EventBridge (EventBridge:PutEvents): it supports `RequestComplete`, `WaitForCustomCallback` [fix: Use `RequestComplete`; Use `WaitForCustomCallback`]
            Next: O
          - Type: Task
            Name: O
            Action: ECS:DescribeInstances
                    ^^^^^^^^^^^^^^^^^^^^^ warning[missing-parameter]: `Ecs:DescribeInstances` requires parameter `RegionId` (per the API catalog), which is missing; a `name.$` key may compute it from an expression
            TaskMode: WaitForCustomCallback
                      ^^^^^^^^^^^^^^^^^^^^^ error[unsupported-task-mode]: `WaitForCustomCallback` is not supported by normal integration (ECS:DescribeInstances): it supports `RequestComplete` [fix: Use `RequestComplete`]
            Next: F
          - Type: Task
            Name: F
            Action: FC:InvokeFunction
            TaskMode: WaitForSystemCallback
            Parameters:
              resourceArn: acs:fc:cn-hangzhou:1:functions/f/LATEST
              invocationType: Sync
                              ^^^^ error[invocation-type-mismatch]: WaitForSystemCallback waits for Function Compute to report the end of an asynchronous invocation, so it needs `invocationType: Async`; with `Sync` use `TaskMode: RequestComplete`
            Next: W
          - Type: Wait
            Name: W
            Seconds: 60
            End: true
    "#]],
    );
    check_express(
        src,
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: E
            States:
              - Type: Task
                Name: E
                Action: EventBridge:PutEvents
                TaskMode: WaitForSystemCallback
                          ^^^^^^^^^^^^^^^^^^^^^ error[unsupported-task-mode]: `WaitForSystemCallback` is not supported by EventBridge (EventBridge:PutEvents): it supports `RequestComplete` [fix: Use `RequestComplete`]
                Next: O
              - Type: Task
                Name: O
                Action: ECS:DescribeInstances
                        ^^^^^^^^^^^^^^^^^^^^^ warning[missing-parameter]: `Ecs:DescribeInstances` requires parameter `RegionId` (per the API catalog), which is missing; a `name.$` key may compute it from an expression
                TaskMode: WaitForCustomCallback
                          ^^^^^^^^^^^^^^^^^^^^^ error[unsupported-task-mode]: `WaitForCustomCallback` is not supported by normal integration (ECS:DescribeInstances): it supports `RequestComplete` [fix: Use `RequestComplete`]
                Next: F
              - Type: Task
                Name: F
                Action: FC:InvokeFunction
                TaskMode: WaitForSystemCallback
                          ^^^^^^^^^^^^^^^^^^^^^ error[unsupported-task-mode]: `WaitForSystemCallback` is not available in Express workflows, which support only `RequestComplete` [fix: Use `RequestComplete`]
                Parameters:
                  resourceArn: acs:fc:cn-hangzhou:1:functions/f/LATEST
                  invocationType: Sync
                                  ^^^^ error[invocation-type-mismatch]: WaitForSystemCallback waits for Function Compute to report the end of an asynchronous invocation, so it needs `invocationType: Async`; with `Sync` use `TaskMode: RequestComplete`
                Next: W
              - Type: Wait
                Name: W
                Seconds: 60
                         ^^ error[out-of-range]: a Wait in an Express workflow lasts 1 to 20 seconds, not 60
                End: true
        "#]],
    );
}

#[test]
fn express_mode_from_a_comment() {
    check_flow(
        "# fdl: mode=express\nType: StateMachine\nSpecVersion: v1\nStartAt: W\nStates:\n  - Type: Wait\n    Name: W\n    Seconds: 21\n    End: true\n",
        expect![[r#"
            # fdl: mode=express
            Type: StateMachine
            SpecVersion: v1
            StartAt: W
            States:
              - Type: Wait
                Name: W
                Seconds: 21
                         ^^ error[out-of-range]: a Wait in an Express workflow lasts 1 to 20 seconds, not 21
                End: true
        "#]],
    );
}

#[test]
fn resource_arns() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: F\nStates:\n  - Type: Task\n    Name: F\n    Action: FC:InvokeFunction\n    Parameters:\n      resourceArn: acs:fnf:::flow/child\n      invocationType: Sync\n    Next: G\n  - Type: Task\n    Name: G\n    Action: FNF:StartExecution\n    Parameters:\n      resourceArn: arn:aws:states:::flow\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: F
            States:
              - Type: Task
                Name: F
                Action: FC:InvokeFunction
                Parameters:
                  resourceArn: acs:fnf:::flow/child
                               ^^^^^^^^^^^^^^^^^^^^ error[invalid-resource-arn]: this Action needs a different resource: `acs:fnf:::flow/child` is child workflow `child`
                  invocationType: Sync
                Next: G
              - Type: Task
                Name: G
                Action: FNF:StartExecution
                Parameters:
                  resourceArn: arn:aws:states:::flow
                               ^^^^^^^^^^^^^^^^^^^^^ error[invalid-resource-arn]: `arn:aws:states:::flow` is not an Alibaba Cloud resource name: an ARN starts with `acs:` and reads `acs:{service}:{region}:{account}:{resource}`.
                End: true
        "#]],
    );
}

#[test]
fn unreachable_states_are_reported_once_per_chain_and_cycle() {
    // A chain no one enters is one warning, at its first state; a cycle no one enters has no
    // first state, so the first of it in the file stands for it.
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: 开始\nStates:\n  - Type: Pass\n    Name: 开始\n    End: true\n  - Type: Pass\n    Name: 甲\n    Next: 乙\n  - Type: Pass\n    Name: 乙\n    End: true\n  - Type: Pass\n    Name: C1\n    Next: C2\n  - Type: Pass\n    Name: C2\n    Next: C3\n  - Type: Pass\n    Name: C3\n    Next: C1\n  - Type: Succeed\n    Name: Alone\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: 开始
            States:
              - Type: Pass
                Name: 开始
                End: true
              - Type: Pass
                Name: 甲
                      ^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs, nor does the state it leads to
                Next: 乙
              - Type: Pass
                Name: 乙
                End: true
              - Type: Pass
                Name: C1
                      ^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs, nor do the 2 states it leads to
                Next: C2
              - Type: Pass
                Name: C2
                Next: C3
              - Type: Pass
                Name: C3
                Next: C1
              - Type: Succeed
                Name: Alone
                      ^^^^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
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

#[test]
fn exclusive_and_required_key_groups() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: W\nStates:\n  - Type: Wait\n    Name: W\n    Next: V\n  - Type: Wait\n    Name: V\n    Seconds: 3\n    Seconds.$: $Input.n\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: W
            States:
              - Type: Wait
                Name: W
                      ^ warning[missing-key]: the Wait state should have `Seconds`: the docs require `Seconds` or `Seconds.$` since December 2024 (earlier versions did not); what a Wait without them does is undocumented
                Next: V
              - Type: Wait
                Name: V
                Seconds: 3
                Seconds.$: $Input.n
                ^^^^^^^^^ error[conflicting-keys]: the Wait state takes only one of `Seconds` or `Seconds.$`
                End: true
        "#]],
    );
}

#[test]
fn recommended_keys_are_warnings() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: T\nStates:\n  - Type: Task\n    Name: T\n    Action: HTTP:Request\n    Retry:\n      - Errors: [FnF.ALL]\n        MaxAttempts: 2\n        IntervalSeconds: 1\n    Catch:\n      - Errors: [FnF.ALL]\n        Next: F\n    End: true\n  - Type: Fail\n    Name: F\n    Code: Failed\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: T
            States:
              - Type: Task
                Name: T
                Action: HTTP:Request
                Retry:
                  - Errors: [FnF.ALL]
                    ^^^^^^ warning[missing-key]: the Retry rule should have `Description`: the docs since December 2024 require it on every Retry rule (older versions did not)
                    MaxAttempts: 2
                    IntervalSeconds: 1
                Catch:
                  - Errors: [FnF.ALL]
                    ^^^^^^ warning[missing-key]: the Catch rule should have `Description`: the docs since December 2024 require it on every Catch rule (older versions did not)
                    Next: F
                End: true
              - Type: Fail
                Name: F
                      ^ warning[missing-key]: the Fail state should have `Detail`: the field table requires this human-readable message, though Alibaba's own example omits it
                Code: Failed
        "#]],
    );
}

#[test]
fn task_timeout_and_flow_name() {
    check_flow(
        "Type: StateMachine\nName: 9 lives\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Task\n    Name: A\n    Action: HTTP:Request\n    Timeout: \"700000\"\n    Next: B\n  - Type: Task\n    Name: B\n    Action: HTTP:Request\n    Timeout: 604801\n    Next: C\n  - Type: Task\n    Name: C\n    Action: HTTP:Request\n    Timeout: \"30\"\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            Name: 9 lives
                  ^^^^^^^ error[invalid-value]: the flow name `9 lives` contains ` `: only letters, digits, `_` and `-` are allowed
            SpecVersion: v1
            StartAt: A
            States:
              - Type: Task
                Name: A
                Action: HTTP:Request
                Timeout: "700000"
                         ^^^^^^^^ error[out-of-range]: a task `Timeout` is 0 to 604800 seconds (7 days), not 700000
                Next: B
              - Type: Task
                Name: B
                Action: HTTP:Request
                Timeout: 604801
                         ^^^^^^ error[out-of-range]: `Timeout` of the Task state is 604801; the service allows between 0 and 604800
                Next: C
              - Type: Task
                Name: C
                Action: HTTP:Request
                Timeout: "30"
                End: true
        "#]],
    );
}

#[test]
fn hash_glued_to_a_value_is_not_a_comment() {
    check_flow(
        "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: a# the first step\n  - type: choice\n    name: \"C#\"\n    choices:\n      - condition: $.x == \"#\" # a real comment\n        goto: a\n",
        expect![[r##"
            version: v1
            type: flow
            steps:
              - type: pass
                name: a# the first step
                      ^^^^^^^^^^^^^^^^^ warning[yaml-syntax]: `#` right after text is part of the value `a# the first step`, not a comment; put a space before `#` to start a comment
              - type: choice
                name: "C#"
                choices:
                  - condition: $.x == "#" # a real comment
                    goto: a
                          ^ error[unknown-state]: goto `a` names no state of this scope; states here: `C#`, `a# the first step`
        "##]],
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

mod robustness {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        /// Whatever the text, parsing and checking return (no panic) and every range lies
        /// inside the text on character boundaries.
        #[test]
        fn check_never_panics(src in "(Type: StateMachine\n|States:\n|steps:\n|version: v1\n|type: flow\n|  - |    |Type: |Name: |Next: |End: true\n|Task|Pass|Choice|Map|Parallel|Branches:\n|Processor:\n|StartAt: |视频|[\"'{}\\[\\]&*!|>#:,\t-]|\n|[a-z]{1,3}){0,60}") {
            let text = SourceText::new(&src);
            let tree = SyntaxTree::parse(&text);
            for mode in [None, Some(WorkflowMode::Express)] {
                for d in check(&text, &tree, &CheckOptions { mode, ..CheckOptions::default() }) {
                    prop_assert!(d.range.start <= d.range.end && d.range.end as usize <= src.len(), "{:?} in {:?}", d, src);
                    prop_assert!(src.is_char_boundary(d.range.start as usize) && src.is_char_boundary(d.range.end as usize), "{:?} in {:?}", d, src);
                    for fix in &d.fixes {
                        for (r, _) in &fix.edits {
                            prop_assert!(r.end as usize <= src.len() && src.is_char_boundary(r.start as usize));
                        }
                    }
                }
            }
        }
    }
}

mod cached {
    use proptest::prelude::*;

    use super::*;
    use crate::syntax::{Edit, TextRange};

    const FLOW: &str = "Type: StateMachine\nName: cache\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n  - Type: Task\n    Name: 视频理解\n    Action: FC:InvokeFunction\n    TaskMode: WaitForSystemCallback\n    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:1:functions/f/LATEST\n      invocationType: Sync\n      body:\n        url.$: $Input.url\n        bad.$: length(\n    Retry:\n      - Errors: [FnF.ALL]\n        MaxAttempts: 3\n        IntervalSeconds: 1\n    Next: 分支\n  - Type: Parallel\n    Name: 分支\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Wait\n            Name: A\n            Seconds: 400\n            End: true\n    Next: 结束\n  - Type: Task\n    Name: 列表\n    Action: ECS:DescribeInstances\n    Parameters:\n      RegionId: cn-hangzhou\n      PageSiz: 10\n    End: true\n  - Type: Succeed\n    Name: 结束\n";

    /// Legacy: fall-through, `goto`s, a choice whose every way out jumps, nested steps.
    const LEGACY: &str = "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: 甲\n  - type: choice\n    name: 乙\n    choices:\n      - condition: $.x > 1\n        goto: 丁\n    default:\n      goto: 丙\n  - type: pass\n    name: 丙\n    end: true\n  - type: foreach\n    name: 丁\n    iterationMapping:\n      collection: $.items\n      item: it\n    steps:\n      - type: pass\n        name: inner\n  - type: succeed\n    name: 戊\n";

    const SNIPPETS: &[&str] = &[
        "x",
        "\n",
        "  ",
        "Next: 列表",
        "Type: Pas",
        "视频",
        ": ",
        "$Input.",
        "End: true\n",
        "#",
        "goto: 丙",
        "end: true\n",
        "name: 乙\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        /// Reusing unchanged states' diagnostics gives exactly what a fresh analysis gives.
        #[test]
        fn cached_check_equals_fresh_check(edits in prop::collection::vec((0.0..1.0f64, 0usize..12, 0..SNIPPETS.len() + 1), 1..10), express in any::<bool>(), legacy in any::<bool>()) {
            let options = CheckOptions { mode: express.then_some(WorkflowMode::Express), ..CheckOptions::default() };
            let mut text = SourceText::new(if legacy { LEGACY } else { FLOW });
            let mut tree = SyntaxTree::parse(&text);
            let mut cache = Cache::default();
            check_cached(&text, &tree, &options, &mut cache);
            for (at, len, snippet) in edits {
                let s = text.to_string_lossless();
                let mut start = (at * s.len() as f64) as usize;
                while !s.is_char_boundary(start) { start -= 1; }
                let mut end = (start + len).min(s.len());
                while !s.is_char_boundary(end) { end -= 1; }
                let insert = SNIPPETS.get(snippet).copied().unwrap_or("");
                let range = TextRange::new(start as u32, end as u32);
                text.edit(range, insert);
                tree = tree.reparse(&text, Edit { range, new_len: insert.len() as u32 });
                let cached = check_cached(&text, &tree, &options, &mut cache);
                let fresh = check(&text, &SyntaxTree::parse(&text), &options);
                prop_assert_eq!(cached, fresh, "text: {:?}", text.to_string_lossless());
            }
        }
    }

    #[test]
    fn an_edit_in_one_state_reuses_the_others() {
        let options = CheckOptions::default();
        let text = SourceText::new(FLOW);
        let tree = SyntaxTree::parse(&text);
        let mut cache = Cache::default();
        let before = check_cached(&text, &tree, &options, &mut cache);
        assert_eq!(cache.len(), 4);
        let mut edited = text.clone();
        let at = FLOW.find("PageSiz").unwrap() as u32 + 7;
        edited.edit(TextRange::empty(at), "e");
        let new_tree = tree.reparse(&edited, Edit { range: TextRange::empty(at), new_len: 1 });
        let after = check_cached(&edited, &new_tree, &options, &mut cache);
        assert_eq!(after, check(&edited, &SyntaxTree::parse(&edited), &options));
        assert!(before.iter().any(|d| d.code == Code::UnknownParameter), "{before:#?}");
        assert!(!after.iter().any(|d| d.code == Code::UnknownParameter), "{after:#?}");
    }
}

/// Nine levels of nine aliases: refused with one diagnostic, at once, and not followed;
/// ordinary anchors and merge keys are followed as before.
#[test]
fn alias_bombs_are_refused() {
    let mut src = String::from(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    InputConstructor:\n      l0: &l0 [x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        src.push_str(&format!("      l{i}: &l{i} [{refs}]\n"));
    }
    src.push_str("    End: true\n");
    let out = annotate(&src, &CheckOptions::default());
    let notes: Vec<&str> = out.lines().filter(|l| l.contains('^')).collect();
    expect![[r#"^ error[excessive-aliasing]: the aliases of this document would expand to more than 100000 nodes (a "billion laughs"), which YAML parsers refuse; fdl does not follow them"#]].assert_eq(&notes.join("\n"));
    let fine = "Type: StateMachine\nSpecVersion: v1\nStartAt: A\ndefaults: &d {Type: Pass, End: true}\nStates:\n  - Name: A\n    <<: *d\n  - Name: B\n    <<: *d\n";
    let out = annotate(fine, &CheckOptions::default());
    assert!(!out.contains("excessive-aliasing"), "{out}");
}

/// Aliases that nest values through one another (each anchored value holds an alias of
/// the last) deeper than `syntax::MAX_NESTING` levels, within the node budget: refused
/// like a bomb, since every walk that follows aliases would recurse that deep; a chain
/// that stays within the bound is followed. A chain of 5,000 anchors (50,000 blew the
/// stack of the old measure) is refused too.
#[test]
fn aliases_nested_through_one_another_are_bounded() {
    let chain = |n: usize| {
        let mut src = String::from(
            "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    InputConstructor:\n      k0: &a0 [1]\n",
        );
        for k in 1..n {
            src.push_str(&format!("      k{k}: &a{k} [*a{}]\n", k - 1));
        }
        src.push_str(&format!("      last: *a{}\n    End: true\n", n - 1));
        src
    };
    let codes = |src: &str| {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        check(&text, &tree, &CheckOptions::default())
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect::<Vec<_>>()
    };
    assert!(codes(&chain(100)).is_empty(), "{:?}", codes(&chain(100)));
    let deep = codes(&chain(200));
    expect![[r#"
        [
            (
                ExcessiveAliasing,
                "the aliases of this document would nest values more than 128 levels deep (each alias inside the value of the anchor it follows); fdl does not follow them",
            ),
        ]
    "#]]
    .assert_debug_eq(&deep);
    let long = codes(&chain(5_000));
    assert_eq!(long.iter().map(|(c, _)| *c).collect::<Vec<_>>(), [Code::ExcessiveAliasing]);
}

/// Duplicate keys are found in big mappings too (keys indexed past a few dozen, so that a
/// constructor of 50,000 keys is not a quadratic scan), and distinct keys stay clean.
#[test]
fn duplicate_keys_in_a_big_mapping() {
    let flow = |keys: &[String]| {
        let entries: String = keys.iter().map(|k| format!("      {k}: 1\n")).collect();
        format!(
            "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    InputConstructor:\n{entries}    End: true\n"
        )
    };
    let count = |src: &str| {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        check(&text, &tree, &CheckOptions::default()).iter().filter(|d| d.code == Code::DuplicateKey).count()
    };
    let mut keys: Vec<String> = (0..5_000).map(|i| format!("键{i}")).collect();
    assert_eq!(count(&flow(&keys)), 0);
    keys.push("键17".to_string());
    keys.push("键4999".to_string());
    assert_eq!(count(&flow(&keys)), 2);
}
