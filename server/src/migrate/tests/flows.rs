//! The implicit order of steps, the flow's output, Retry and Catch.

use expect_test::expect;

use super::check;

#[test]
fn implicit_order_end_and_the_flow_output() {
    check(
        r#"version: v1
type: flow
name: orders
# the steps
steps:
  - type: pass
    name: first
    outputMappings:
      - target: a
        source: 1 # one
  - type: task
    name: call
    resourceArn: acs:fc:cn-hangzhou:123:services/s/functions/f
    end: true
  - type: pass
    name: never
"#,
        expect![[r#"
            # fdl-migrate: the legacy flow's output was its `$local`, the outputs of its steps merged; CloudFlow constructors cannot spread an object whose keys are only known at run time, so this flow outputs it under `local`: callers read `local` now
            Type: StateMachine
            SpecVersion: v1
            Name: orders
            StartAt: first
            # the steps
            States:
              - Type: Pass
                Name: first
                InputConstructor:
                  input.$: $Input
                  local: {}
                OutputConstructor:
                  input.$: $Input.input
                  local:
                    a: 1 # one
                Next: call
              - Type: Task
                Name: call
                Action: FC:InvokeFunction
                Parameters:
                  resourceArn: acs:fc:cn-hangzhou:123:services/s/functions/f
                  invocationType: Sync
                  body.$: jsonMerge($Input.input, $Input.local)
                OutputConstructor:
                  local.$: jsonMerge($Input.local, $Output.Body)
                End: true
              - Type: Pass
                Name: never
                OutputConstructor:
                  local.$: $Input.local
                End: true
            -- note[output-under-local] at 0: the legacy flow's output was its `$local`, the outputs of its steps merged; CloudFlow constructors cannot spread an object whose keys are only known at run time, so this flow outputs it under `local`: callers read `local` now
        "#]],
    );
}

#[test]
fn retry_defaults_and_catch_with_error_mappings() {
    check(
        r#"version: v1
type: flow
name: errors
steps:
  - type: task
    name: hello
    resourceArn: acs:fc:::services/s/functions/hello
    errorMappings:
      - target: errMsg
        source: $local.cause
      - target: errCode
        source: $local.error
    retry:
      - errors: [FC.Unknown]
      - errors: [FnF.ALL]
        intervalSeconds: 10
        maxIntervalSeconds: 300
        maxAttempts: 3
        multiplier: 2
      - errors: [Big]
        intervalSeconds: 86400
        maxAttempts: 5
    catch:
      - errors: [FnF.ALL]
        goto: final
  - type: fail
    name: failed
    error: NoCatch
  - type: pass
    name: final
    outputMappings:
      - target: message
        source: $input.errMsg
"#,
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            Name: errors
            StartAt: hello
            States:
              - Type: Task
                Name: hello
                Action: FC:InvokeFunction
                InputConstructor:
                  input.$: $Input
                  local: {}
                Parameters:
                  resourceArn: acs:fc:::services/s/functions/hello
                  invocationType: Sync
                  body.$: $Input.input
                OutputConstructor:
                  input.$: $Input.input
                  local.$: jsonMerge($Input.local, $Output.Body)
                Retry:
                  - Errors:
                      - FC.Unknown
                    Description: retry policy 1 of hello
                    IntervalSeconds: 1
                    MaxAttempts: 3
                    BackoffRate: 2
                  - Errors:
                      - FnF.ALL
                    Description: retry policy 2 of hello
                    IntervalSeconds: 10
                    MaxAttempts: 3
                    BackoffRate: 2
                    MaxBackoffSeconds: 300
                  - Errors:
                      - Big
                    Description: retry policy 3 of hello
                    IntervalSeconds: 86400
                    MaxAttempts: 5
                    BackoffRate: 2
                    MaxBackoffSeconds: 86400
                Catch:
                  - Errors:
                      - FnF.ALL
                    Description: catch policy 1 of hello
                    OutputConstructor:
                      input.$: $Input.input
                      local.$: 'jsonMerge($Input.local, {"errMsg": $Context.Current.Error.Detail, "errCode": $Context.Current.Error.Code})'
                    Next: final
                Next: failed
              - Type: Fail
                Name: failed
                Code: NoCatch
                Detail: ''
              - Type: Pass
                Name: final
                OutputConstructor:
                  errMsg.$: $Input.local.errMsg
                  errCode.$: $Input.local.errCode
                  message.$: jsonMerge($Input.input, $Input.local).errMsg
                End: true
        "#]],
    );
}
