//! Severity by evidence: an error only where the service is known to reject the flow (the
//! docs' rule, confirmed by Alibaba's own examples or by how the flow would run); a warning
//! where the docs say more than the service is known to enforce. One fixture per audited
//! rule; the README's "Severity by evidence" table gives the reasons.

use expect_test::expect;

use super::fixture::annotate;
use super::*;

#[test]
fn docs_stricter_than_the_service_are_warnings() {
    expect![[r#"
        Type: StateMachine
        SpecVersion: v1
        Name: severity
        StartAt: 调用
        States:
          - Type: Task
            Name: 调用
            Action: FC:InvokeFunction
            Parameters:
            ^^^^^^^^^^ warning[missing-parameter]: `FC:InvokeFunction` should have `invocationType`: the docs require it, but Alibaba's published templates call `FC:InvokeFunction` without it; the function is then presumably invoked synchronously, Function Compute's default [fix: Add `invocationType`]
              resourceArn: acs:fc:cn-hangzhou:123:functions/fn
            Retry:
              - Errors: [FnF.ALL]
                ^^^^^^ warning[missing-key]: the Retry rule should have `Description`: the docs since December 2024 require it on every Retry rule (older versions did not)
                ^^^^^^ warning[missing-key]: the Retry rule should have `MaxAttempts`: the docs require it, but no published example shows what the service does without it (the legacy dialect defaults to 3 attempts)
                ^^^^^^ warning[missing-key]: the Retry rule should have `IntervalSeconds`: the docs require it, but no published example shows what the service does without it (the legacy dialect defaults to 1 second)
            Catch:
              - Errors: [FnF.ALL]
                ^^^^^^ warning[missing-key]: the Catch rule should have `Description`: the docs since December 2024 require it on every Catch rule (older versions did not)
                Next: 等待
            Next: 等待
            End: true
            ^^^^^^^^^ warning[conflicting-transition]: a state has either `Next` or `End: true`, not both: with both, `End: true` wins (the engine looks for `Next` only when `End` is not set) and `Next` is ignored
          - Type: Wait
            Name: 等待
                  ^^ warning[missing-key]: the Wait state should have `Seconds`: the docs require `Seconds` or `Seconds.$` since December 2024 (earlier versions did not); what a Wait without them does is undocumented
            Next: 失败
            Timout: 3
            ^^^^^^ warning[unknown-key]: unknown key `Timout` in the Wait state; allowed here: Description, Seconds, Seconds.$, InputConstructor, OutputConstructor, GlobalConstructor, End
          - Type: Fail
            Name: 失败
                  ^^ warning[missing-key]: the Fail state should have `Detail`: the field table requires this human-readable message, though Alibaba's own example omits it
            Code: E
    "#]].assert_eq(&annotate(
        r#"Type: StateMachine
SpecVersion: v1
Name: severity
StartAt: 调用
States:
  - Type: Task
    Name: 调用
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:cn-hangzhou:123:functions/fn
    Retry:
      - Errors: [FnF.ALL]
    Catch:
      - Errors: [FnF.ALL]
        Next: 等待
    Next: 等待
    End: true
  - Type: Wait
    Name: 等待
    Next: 失败
    Timout: 3
  - Type: Fail
    Name: 失败
    Code: E
"#,
        &CheckOptions::default(),
    ));
}

#[test]
fn what_the_service_rejects_or_cannot_run_stays_an_error() {
    expect![[r#"
        Type: StateMachine
        ^^^^ error[missing-key]: the state machine needs `StartAt`: name of the first state to run; must be one of the top-level `States`.
        SpecVersion: v2
                     ^^ error[invalid-value]: `SpecVersion` of the state machine cannot be `v2`: did you mean `v1`? (expected one of `v1`) [fix: Replace with `v1`]
        States:
        ^^^^^^ error[no-terminal-state]: no state of the flow ends it (`End: true`, Succeed or Fail): an execution could never finish
          - Type: Choice
            Name: 判断
                  ^^ error[missing-key]: the Choice state needs `Default`: state to run when no condition is true.
            Branches:
              - Condition: $Input.ok ==
                                       ^ error[expression-syntax]: a value is missing at the end of the expression
                Next: 没有
                      ^^ error[unknown-state]: transition `没有` names no state of this scope; states here: `函数`, `判断`
          - Type: Tsk
                  ^^^ error[invalid-value]: unknown Type `Tsk`: did you mean `Task`? [fix: Replace with `Task`]
            Name: 判断
                  ^^ error[duplicate-state-name]: another state of this scope is already named `判断` (line 5): transitions could not tell them apart
            Next: 判断
          - Type: Task
            Name: 函数
                  ^^ error[missing-transition]: this state needs `Next: <state>` or `End: true`: otherwise the flow cannot go on from it [fix: Add `End: true`]
            Action: FC::InvokeFunction
                    ^^^^^^^^^^^^^^^^^^ error[doc-quirk]: `FC::InvokeFunction` has a double colon (a typo copied from Alibaba's docs): write `FC:InvokeFunction` [fix: Replace with `FC:InvokeFunction`]
            TaskMode: WaitForCustomCallback
    "#]].assert_eq(&annotate(
        r#"Type: StateMachine
SpecVersion: v2
States:
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.ok ==
        Next: 没有
  - Type: Tsk
    Name: 判断
    Next: 判断
  - Type: Task
    Name: 函数
    Action: FC::InvokeFunction
    TaskMode: WaitForCustomCallback
"#,
        &CheckOptions::default(),
    ));
}
