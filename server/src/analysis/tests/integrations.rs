//! Task integrations: task modes per service and workflow mode (also set by a comment),
//! and resource ARNs.

use expect_test::expect;

use super::{check_express, check_flow};

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
