//! Choices: branches with steps, jumps, no default, outputMappings, nesting, renames.

use expect_test::expect;

use super::check;

#[test]
fn choice_branches_with_steps_goto_and_no_default() {
    check(
        r#"version: v1
type: flow
name: route
steps:
  - type: pass
    name: init
    outputMappings:
      - target: n
        source: $input.n
  - type: choice
    name: which
    choices:
      - condition: $.n > 2
        # big numbers
        steps:
          - type: task
            name: big
            resourceArn: acs:fc:::services/s/functions/big
          - type: succeed
            name: stop
          - type: pass
            name: skipped
        goto: done
      - condition: $.flag
        goto: init
  - type: pass
    name: fallthrough
  - type: succeed
    name: done
"#,
        expect![[r##"
            # fdl-migrate: the legacy flow's output was its `$local`, the outputs of its steps merged; CloudFlow constructors cannot spread an object whose keys are only known at run time, so this flow outputs it under `local`: callers read `local` now
            Type: StateMachine
            SpecVersion: v1
            Name: route
            StartAt: Start
            States:
              # Starts the legacy data: `input` is what the steps read as `$input`, `local` their `$local`.
              - Type: Pass
                Name: Start
                InputConstructor:
                  input.$: $Input
                  local: {}
                Next: init
              - Type: Pass
                Name: init
                OutputConstructor:
                  input.$: $Input.input
                  local.$: 'jsonMerge($Input.local, {"n": jsonMerge($Input.input, $Input.local).n})'
                Next: which
              - Type: Choice
                Name: which
                InputConstructor:
                  input.$: $Input.input
                  local.$: $Input.local
                  step.$: jsonMerge($Input.input, $Input.local)
                Branches:
                  - Condition: $Input.step.n != null && $Input.step.n > 2
                    Next: big
                  - Condition: $Input.step.flag != null && $Input.step.flag
                    Next: init
                Default: fallthrough
              # big numbers
              - Type: Task
                Name: big
                Action: FC:InvokeFunction
                InputConstructor:
                  input.$: $Input.step
                  local: {}
                  parent:
                    input.$: $Input.input
                    local.$: $Input.local
                Parameters:
                  resourceArn: acs:fc:::services/s/functions/big
                  invocationType: Sync
                  body.$: $Input.input
                OutputConstructor:
                  input.$: $Input.input
                  local.$: jsonMerge($Input.local, $Output.Body)
                  parent.$: $Input.parent
                Next: stop
              # fdl-migrate: a `succeed` ends only its choice branch's steps; their states are in the choice's scope here, so it is a Pass that goes on to where the branch ends
              - Type: Pass
                Name: stop
                Next: which.join.0
              - Type: Pass
                Name: skipped
                Next: which.join.0
              # After a branch of `which`: hands its result on, as the legacy choice did.
              - Type: Pass
                Name: which.join.0
                OutputConstructor:
                  input.$: $Input.parent.input
                  local.$: jsonMerge($Input.parent.local, $Input.local)
                Next: done
              - Type: Pass
                Name: fallthrough
                Next: done
              - Type: Succeed
                Name: done
                OutputConstructor:
                  local.$: $Input.local
            -- note[output-under-local] at 0: the legacy flow's output was its `$local`, the outputs of its steps merged; CloudFlow constructors cannot spread an object whose keys are only known at run time, so this flow outputs it under `local`: callers read `local` now
            -- note[succeed-in-choice] at 361: a `succeed` ends only its choice branch's steps; their states are in the choice's scope here, so it is a Pass that goes on to where the branch ends
        "##]],
    );
}

#[test]
fn choice_output_mappings_nested_choices_and_renamed_steps() {
    check(
        r#"version: v1
type: flow
name: nested
steps:
  - type: choice
    name: outer
    inputMappings:
      - target: kind
        source: $input.kind
    outputMappings:
      - target: picked
        source: $local.picked
      - target: kind
        source: $input.kind
    choices:
      - condition: $.kind == "a"
        steps:
          - type: choice
            name: inner
            choices:
              - condition: $.kind == "a"
                steps:
                  - type: pass
                    name: outer
                    outputMappings:
                      - target: picked
                        source: inner-a
    default:
      steps:
        - type: pass
          name: last
          outputMappings:
            - target: picked
              source: default
"#,
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            Name: nested
            StartAt: outer
            States:
              - Type: Choice
                Name: outer
                InputConstructor:
                  input.$: $Input
                  local: {}
                  step:
                    kind.$: $Input.kind
                Branches:
                  - Condition: $Input.step.kind == "a"
                    Next: inner
                Default: last
              - Type: Choice
                Name: inner
                InputConstructor:
                  input.$: $Input.step
                  local: {}
                  parent:
                    input.$: $Input.input
                    local.$: $Input.local
                Branches:
                  - Condition: $Input.input.kind == "a"
                    Next: outer (2)
                Default: outer.join.0
              # fdl-migrate: CloudFlow keeps a choice branch's steps in the choice's scope, where `outer` is taken; this state is `outer (2)`
              - Type: Pass
                Name: outer (2)
                InputConstructor:
                  input.$: $Input.input
                  local: {}
                  parent:
                    input.$: $Input.input
                    local.$: $Input.local
                    parent.$: $Input.parent
                OutputConstructor:
                  input.$: $Input.input
                  local:
                    picked: inner-a
                  parent.$: $Input.parent
                Next: inner.join.0
              # After a branch of `inner`: hands its result on, as the legacy choice did.
              - Type: Pass
                Name: inner.join.0
                OutputConstructor:
                  input.$: $Input.parent.input
                  local.$: jsonMerge($Input.parent.local, $Input.local)
                  parent.$: $Input.parent.parent
                Next: outer.join.0
              # After a branch of `outer`: hands its result on, as the legacy choice did.
              - Type: Pass
                Name: outer.join.0
                OutputConstructor:
                  picked.$: $Input.local.picked
                  kind.$: $Input.input.kind
                End: true
              - Type: Pass
                Name: last
                InputConstructor:
                  input.$: $Input.step
                  local: {}
                  parent:
                    input.$: $Input.input
                    local.$: $Input.local
                OutputConstructor:
                  input.$: $Input.input
                  local:
                    picked: default
                  parent.$: $Input.parent
                Next: outer.join.default
              # After a branch of `outer`: hands its result on, as the legacy choice did.
              - Type: Pass
                Name: outer.join.default
                OutputConstructor:
                  picked.$: $Input.local.picked
                  kind.$: $Input.input.kind
                End: true
            -- note[renamed] at 518: CloudFlow keeps a choice branch's steps in the choice's scope, where `outer` is taken; this state is `outer (2)`
        "#]],
    );
}
