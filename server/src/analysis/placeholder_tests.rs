//! Deploy-time placeholders in every place a value is checked: a value that holds one is
//! unknown until deployment, so only what is around it is checked. Each fixture has a
//! twin where the same place holds a real mistake, which must still be reported.

use expect_test::{Expect, expect};

use super::fixture::annotate;
use super::*;

fn check_flow(src: &str, expect: Expect) {
    expect.assert_eq(&annotate(src, &CheckOptions::default()));
}

/// Names, ARNs, enums, numbers, TaskMode, Parameters, transitions and expressions holding
/// placeholders of every tool: all unknown until deployment, so nothing to report.
#[test]
fn placeholders_of_every_tool_in_every_place() {
    check_flow(
        r#"Type: StateMachine
SpecVersion: v1
Name: ${vars.name}-flow
StartAt: 调用函数
States:
  - Type: Task
    Name: 调用函数
    Action: FC:InvokeFunction
    TaskMode: ${vars.taskMode}
    Timeout: ${var.timeout}
    Parameters:
      resourceArn: acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:services/${ServiceName}.LATEST/functions/${FunctionName}
      invocationType: {{ invocationType }}
    Retry:
      - Errors: [FC.ResourceThrottled]
        Description: throttled
        MaxAttempts: ${vars.attempts}
        IntervalSeconds: !Ref RetryInterval
    Next: 等待
  - Type: Wait
    Name: 等待
    Seconds: {{ waitSeconds }}
    Next: 子流程
  - Type: Task
    Name: 子流程
    Action: FNF:StartExecution
    Parameters:
      resourceArn: acs:fnf:${var.region}::flow/${alicloud_fnf_flow.child.name}
    Next: 发消息
  - Type: Task
    Name: 发消息
    Action: MNS:SendMessage
    Parameters:
      resourceArn: ${resources.queue.output.arn}
      message: hello
      priority: ${env('PRIORITY')}
      delaySeconds: ${config('Delay')}
    Next: 查实例
  - Type: Task
    Name: 查实例
    Action: ECS:DescribeInstances
    Parameters:
      RegionId: ${ALIYUN::Region}
      PageSize: ${vars.pageSize}
    Next: 判断
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.stage == "${vars.stage}"
        Next: 循环
      - Condition: $Input.count > ${vars.threshold}
        Next: ${vars.next}
    Default: 循环
  - Type: Map
    Name: 循环
    ItemsPath: $Input.items
    MaxConcurrency: ${var.concurrency}
    Processor:
      StartAt: 处理
      States:
        - Type: Pass
          Name: 处理
          End: true
    End: true
"#,
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            Name: ${vars.name}-flow
            StartAt: 调用函数
            States:
              - Type: Task
                Name: 调用函数
                Action: FC:InvokeFunction
                TaskMode: ${vars.taskMode}
                Timeout: ${var.timeout}
                Parameters:
                  resourceArn: acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:services/${ServiceName}.LATEST/functions/${FunctionName}
                  invocationType: {{ invocationType }}
                Retry:
                  - Errors: [FC.ResourceThrottled]
                    Description: throttled
                    MaxAttempts: ${vars.attempts}
                    IntervalSeconds: !Ref RetryInterval
                Next: 等待
              - Type: Wait
                Name: 等待
                Seconds: {{ waitSeconds }}
                Next: 子流程
              - Type: Task
                Name: 子流程
                Action: FNF:StartExecution
                Parameters:
                  resourceArn: acs:fnf:${var.region}::flow/${alicloud_fnf_flow.child.name}
                Next: 发消息
              - Type: Task
                Name: 发消息
                Action: MNS:SendMessage
                Parameters:
                  resourceArn: ${resources.queue.output.arn}
                  message: hello
                  priority: ${env('PRIORITY')}
                  delaySeconds: ${config('Delay')}
                Next: 查实例
              - Type: Task
                Name: 查实例
                Action: ECS:DescribeInstances
                Parameters:
                  RegionId: ${ALIYUN::Region}
                  PageSize: ${vars.pageSize}
                Next: 判断
              - Type: Choice
                Name: 判断
                Branches:
                  - Condition: $Input.stage == "${vars.stage}"
                    Next: 循环
                  - Condition: $Input.count > ${vars.threshold}
                    Next: ${vars.next}
                Default: 循环
              - Type: Map
                Name: 循环
                ItemsPath: $Input.items
                MaxConcurrency: ${var.concurrency}
                Processor:
                  StartAt: 处理
                  States:
                    - Type: Pass
                      Name: 处理
                      End: true
                End: true
        "#]],
    );
}

/// The same places with real mistakes next to the placeholders: still reported, with the
/// placeholders quoted as written.
#[test]
fn mistakes_around_placeholders_are_still_reported() {
    check_flow(
        r#"Type: StateMachine
SpecVersion: v1
Name: ${vars.name} 流程!
StartAt: 调用函数
States:
  - Type: Task
    Name: 调用函数
    Action: FC:InvokeFunction
    TaskMode: WaitForSystemCallbak
    Timeout: 9999999
    Parameters:
      resourceArn: acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:service/${ServiceName}/functions/${FunctionName}
      invocationType: Sync
    Next: 等待
  - Type: Wait
    Name: 等待
    Seconds: 9999
    Next: 子流程
  - Type: Task
    Name: 子流程
    Action: FNF:StartExecution
    Parameters:
      resourceArn: acs:fc:${var.region}::functions/${var.fn}
    Next: 判断
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.stage == "${vars.stage}" &&
        Next: 结束
      - Condition: $Input.count > 1
        Next: 结束了
    Default: 结束
  - Type: Succeed
    Name: 结束
  - Type: Pass
    Name: 孤立
    End: true
"#,
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            Name: ${vars.name} 流程!
                  ^^^^^^^^^^^^^^^^ error[invalid-value]: the flow name `${vars.name} 流程!` contains ` 流程`: only letters, digits, `_` and `-` are allowed
            StartAt: 调用函数
            States:
              - Type: Task
                Name: 调用函数
                Action: FC:InvokeFunction
                TaskMode: WaitForSystemCallbak
                          ^^^^^^^^^^^^^^^^^^^^ error[invalid-value]: `TaskMode` of the Task state cannot be `WaitForSystemCallbak`: did you mean `WaitForSystemCallback`? (expected one of `RequestComplete`, `WaitForSystemCallback`, `WaitForCustomCallback`) [fix: Replace with `WaitForSystemCallback`]
                Timeout: 9999999
                         ^^^^^^^ error[out-of-range]: `Timeout` of the Task state is 9999999; the service allows between 0 and 604800
                Parameters:
                  resourceArn: acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:service/${ServiceName}/functions/${FunctionName}
                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[invalid-resource-arn]: The Function Compute resource `service/${ServiceName}/functions/${FunctionName}` has the wrong shape: expected `services/{service}[.{qualifier}]/functions/{function}` (or, for Function Compute 3.0, `functions/{function}[/{qualifier}]`).
                  invocationType: Sync
                Next: 等待
              - Type: Wait
                Name: 等待
                Seconds: 9999
                         ^^^^ error[out-of-range]: `Seconds` of the Wait state is 9999; the service allows between 1 and 300
                Next: 子流程
              - Type: Task
                Name: 子流程
                Action: FNF:StartExecution
                Parameters:
                  resourceArn: acs:fc:${var.region}::functions/${var.fn}
                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[invalid-resource-arn]: this Action needs a different resource: `acs:fc:${var.region}::functions/${var.fn}` is Function Compute function `${var.fn}`
                Next: 判断
              - Type: Choice
                Name: 判断
                Branches:
                  - Condition: $Input.stage == "${vars.stage}" &&
                                                                 ^ error[expression-syntax]: a value is missing at the end of the expression
                    Next: 结束
                  - Condition: $Input.count > 1
                    Next: 结束了
                          ^^^ error[unknown-state]: transition `结束了` names no state of this scope: did you mean `结束`? [fix: Change to `结束`]
                Default: 结束
              - Type: Succeed
                Name: 结束
              - Type: Pass
                Name: 孤立
                      ^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
                End: true
        "#]],
    );
}

/// With a tool's syntax turned off, its placeholders are plain text again.
#[test]
fn turned_off_syntaxes_are_checked_as_text() {
    check_flow(
        "# fdl: placeholders=-serverless-devs\nType: StateMachine\nSpecVersion: v1\nName: ${vars.name}-flow\nStartAt: A\nStates:\n  - Type: Wait\n    Name: A\n    Seconds: ${ALIYUN::Seconds}\n    End: true\n",
        expect![[r#"
            # fdl: placeholders=-serverless-devs
            Type: StateMachine
            SpecVersion: v1
            Name: ${vars.name}-flow
                  ^^^^^^^^^^^^^^^^^ error[invalid-value]: the flow name `${vars.name}-flow` contains `${.`: only letters, digits, `_` and `-` are allowed
            StartAt: A
            States:
              - Type: Wait
                Name: A
                Seconds: ${ALIYUN::Seconds}
                End: true
        "#]],
    );
    let options = CheckOptions { placeholders: crate::templates::Syntaxes::NONE, ..CheckOptions::default() };
    expect![[r#"
        Type: StateMachine
        SpecVersion: v1
        Name: flow
        StartAt: A
        States:
          - Type: Wait
            Name: A
            Seconds: {{ seconds }}
                     ^^^^^^^^^^^^^ error[invalid-type]: `Seconds` of the Wait state must be an integer, found a mapping
            End: true
    "#]].assert_eq(&annotate(
        "Type: StateMachine\nSpecVersion: v1\nName: flow\nStartAt: A\nStates:\n  - Type: Wait\n    Name: A\n    Seconds: {{ seconds }}\n    End: true\n",
        &options,
    ));
}

/// Legacy flows from ROS and Funcraft templates: ARNs, serviceParams, mappings, waits,
/// patterns and gotos with placeholders; and the mistakes next to them.
#[test]
fn legacy_placeholders() {
    check_flow(
        r#"version: v1
type: flow
steps:
  - type: task
    name: 转码
    resourceArn: acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:services/${ServiceName}/functions/${FunctionName}
    pattern: ${vars.pattern}
    timeoutSeconds: ${var.timeout}
    inputMappings:
      - target: bucket
        source: ${vars.bucket}
      - target: prefix
        source: $input.prefix-${vars.stage}
    serviceParams:
      InvocationType: ${vars.invocationType}
    retry:
      - errors: [FC.ResourceThrottled]
        maxAttempts: {{ maxAttempts }}
  - type: task
    name: 子流程
    resourceArn: !Ref ChildFlow
    pattern: sync
  - type: task
    name: 定时
    resourceArn: <resource-arn>
  - type: task
    name: 主题
    resourceArn: acs:mns:::/topics/<topic>-${ALIYUN::StackName}/messages
    pattern: waitForCallback
  - type: wait
    name: 等待
    duration: ${vars.wait}
  - type: choice
    name: 判断
    choices:
      - condition: $.status == "${vars.done}"
        goto: ${vars.doneStep}
  - type: task
    name: 队列
    resourceArn: acs:mns:${ALIYUN::Region}:${ALIYUN::AccountId}:/queue/${QueueName}/messages
    pattern: sync
"#,
        expect![[r#"
            version: v1
            type: flow
            steps:
              - type: task
                name: 转码
                resourceArn: acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:services/${ServiceName}/functions/${FunctionName}
                pattern: ${vars.pattern}
                timeoutSeconds: ${var.timeout}
                inputMappings:
                  - target: bucket
                    source: ${vars.bucket}
                  - target: prefix
                    source: $input.prefix-${vars.stage}
                serviceParams:
                  InvocationType: ${vars.invocationType}
                retry:
                  - errors: [FC.ResourceThrottled]
                    maxAttempts: {{ maxAttempts }}
              - type: task
                name: 子流程
                resourceArn: !Ref ChildFlow
                pattern: sync
              - type: task
                name: 定时
                resourceArn: <resource-arn>
              - type: task
                name: 主题
                resourceArn: acs:mns:::/topics/<topic>-${ALIYUN::StackName}/messages
                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[missing-parameter]: an MNS topic target requires parameter `MessageBody`, which is missing
                pattern: waitForCallback
              - type: wait
                name: 等待
                duration: ${vars.wait}
              - type: choice
                name: 判断
                choices:
                  - condition: $.status == "${vars.done}"
                    goto: ${vars.doneStep}
              - type: task
                name: 队列
                resourceArn: acs:mns:${ALIYUN::Region}:${ALIYUN::AccountId}:/queue/${QueueName}/messages
                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[invalid-resource-arn]: The MNS resource `/queue/${QueueName}/messages` has the wrong shape: expected `/queues/{queue}/messages` or `/topics/{topic}/messages`.
                pattern: sync
        "#]],
    );
}
