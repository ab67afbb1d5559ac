//! Tasks: each integration and pattern.

use expect_test::expect;

use super::check;

#[test]
fn integrations() {
    check(
        r#"version: v1
type: flow
name: calls
steps:
  - type: task
    name: async
    resourceArn: acs:fc:::services/s/functions/f
    pattern: sync
    timeoutSeconds: 60
  - type: task
    name: callback
    resourceArn: acs:fc:::services/s/functions/f
    pattern: waitForCallback
    inputMappings:
      - target: token
        source: $context.task.token
  - type: task
    name: child
    resourceArn: acs:fnf:::flow/child
    pattern: sync
    serviceParams:
      Input: $
      ExecutionName: $.name
  - type: task
    name: queue
    resourceArn: acs:mns:::/queues/q/messages
    serviceParams:
      MessageBody: $
      Priority: 2
  - type: task
    name: topic
    resourceArn: acs:mns:::/topics/t/messages
    serviceParams:
      MessageBody: $.text
      MessageTag: tag
  - type: task
    name: api
    action: ocr:RecognizeIdentityCard
    serviceParams:
      ImageURL: $.url
      Side: face
  - type: task
    name: again
    action: fnf:StartExecution
    inputMappings:
      - target: flow_name
        source: $context.flow.name
    serviceParams:
      FlowName: $.flow_name
      Input: $
"#,
        expect![[r##"
            # fdl-migrate: the legacy flow's output was its `$local`, the outputs of its steps merged; CloudFlow constructors cannot spread an object whose keys are only known at run time, so this flow outputs it under `local`: callers read `local` now
            Type: StateMachine
            SpecVersion: v1
            Name: calls
            StartAt: async
            States:
              - Type: Task
                Name: async
                Action: FC:InvokeFunction
                TaskMode: WaitForSystemCallback
                InputConstructor:
                  input.$: $Input
                  local: {}
                Parameters:
                  resourceArn: acs:fc:::services/s/functions/f
                  invocationType: Async
                  body.$: $Input.input
                OutputConstructor:
                  input.$: $Input.input
                  local.$: jsonMerge($Input.local, $Output.Body)
                Timeout: 60
                Next: callback
              - Type: Task
                Name: callback
                Action: FC:InvokeFunction
                TaskMode: WaitForCustomCallback
                InputConstructor:
                  input.$: $Input.input
                  local.$: $Input.local
                  step:
                    token.$: $Context.Current.TaskToken
                Parameters:
                  resourceArn: acs:fc:::services/s/functions/f
                  invocationType: Sync
                  body.$: $Input.step
                OutputConstructor:
                  input.$: $Input.input
                  local.$: jsonMerge($Input.local, $Output)
                Next: child
              - Type: Task
                Name: child
                Action: FNF:StartExecution
                TaskMode: WaitForSystemCallback
                InputConstructor:
                  input.$: $Input.input
                  local.$: $Input.local
                  step.$: jsonMerge($Input.input, $Input.local)
                Parameters:
                  resourceArn: acs:fnf:::flow/child
                  executionName.$: $Input.step.name
                  input.$: $Input.step
                OutputConstructor:
                  input.$: $Input.input
                  local.$: jsonMerge($Input.local, $Output)
                Next: queue
              - Type: Task
                Name: queue
                Action: MNS:SendMessage
                Parameters:
                  resourceArn: acs:mns:::/queues/q/messages
                  message.$: jsonMerge($Input.input, $Input.local)
                  priority: 2
                OutputConstructor:
                  input.$: $Input.input
                  local.$: jsonMerge($Input.local, $Output)
                Next: topic
              - Type: Task
                Name: topic
                Action: MNS:SendMessage
                Parameters:
                  resourceArn: acs:mns:::/topics/t/messages
                  message.$: jsonMerge($Input.input, $Input.local).text
                  messageTag: tag
                OutputConstructor:
                  input.$: $Input.input
                  local.$: jsonMerge($Input.local, $Output)
                Next: api
              - Type: Task
                Name: api
                Action: ocr:RecognizeIdentityCard
                Parameters:
                  ImageURL.$: jsonMerge($Input.input, $Input.local).url
                  Side: face
                OutputConstructor:
                  input.$: $Input.input
                  local.$: jsonMerge($Input.local, $Output)
                Next: again
              - Type: Task
                Name: again
                Action: FNF:StartExecution
                InputConstructor:
                  input.$: $Input.input
                  local.$: $Input.local
                  step:
                    flow_name: calls
                Parameters:
                  resourceArn.$: format("acs:fnf:::flow/{}", $Input.step.flow_name)
                  input.$: $Input.step
                OutputConstructor:
                  local.$: jsonMerge($Input.local, $Output)
                End: true
            -- note[output-under-local] at 0: the legacy flow's output was its `$local`, the outputs of its steps merged; CloudFlow constructors cannot spread an object whose keys are only known at run time, so this flow outputs it under `local`: callers read `local` now
        "##]],
    );
}
