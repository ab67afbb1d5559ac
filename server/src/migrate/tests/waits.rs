//! Waits, jumps back to the first step, a choice that ends the flow.

use expect_test::expect;

use super::{check, check_allowing};

#[test]
fn waits_and_jumps_to_the_first_step() {
    check_allowing(
        r#"version: v1
type: flow
name: waits
steps:
  - type: wait
    name: again
    duration: $.sleep
  - type: wait
    name: until
    timestamp: "2030-01-01T00:00:00Z"
  - type: choice
    name: loop
    choices:
      - condition: $.more
        goto: again
"#,
        &["missing-key", "obsolete-key"],
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            Name: waits
            StartAt: Start
            States:
              # Starts the legacy data: `input` is what the steps read as `$input`, `local` their `$local`.
              - Type: Pass
                Name: Start
                InputConstructor:
                  input.$: $Input
                  local: {}
                Next: again
              # fdl-migrate: the wait time comes from the input: CloudFlow waits at most 300 seconds (Standard; Express 20), legacy up to 2 days; check the times this flow gets
              - Type: Wait
                Name: again
                Seconds.$: jsonMerge($Input.input, $Input.local).sleep
                Next: until
              # fdl-migrate: CloudFlow's Wait has no timestamp; this uses `UntilDateTime`, which the December 2023 docs had and later ones dropped: check that the service still accepts it, or wait a number of `Seconds`
              - Type: Wait
                Name: until
                UntilDateTime: 2030-01-01T00:00:00Z
                Next: loop
              - Type: Choice
                Name: loop
                InputConstructor:
                  input.$: $Input.input
                  local.$: $Input.local
                  step.$: jsonMerge($Input.input, $Input.local)
                Branches:
                  - Condition: $Input.step.more != null && $Input.step.more
                    Next: again
                Default: loop.end
              # Where `loop` went when no branch matched: the end (a Choice cannot end its scope).
              - Type: Pass
                Name: loop.end
                OutputConstructor: {}
                End: true
            -- note[wait-limit] at 87: the wait time comes from the input: CloudFlow waits at most 300 seconds (Standard; Express 20), legacy up to 2 days; check the times this flow gets
            -- note[wait-timestamp] at 141: CloudFlow's Wait has no timestamp; this uses `UntilDateTime`, which the December 2023 docs had and later ones dropped: check that the service still accepts it, or wait a number of `Seconds`
        "#]],
    );
}

#[test]
fn a_choice_that_ends_the_flow() {
    check(
        r#"version: v1
type: flow
name: loop
steps:
  - type: wait
    name: again
    duration: 2
  - type: choice
    name: loop
    choices:
      - condition: $.more
        goto: again
"#,
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            Name: loop
            StartAt: Start
            States:
              # Starts the legacy data: `input` is what the steps read as `$input`, `local` their `$local`.
              - Type: Pass
                Name: Start
                InputConstructor:
                  input.$: $Input
                  local: {}
                Next: again
              - Type: Wait
                Name: again
                Seconds: 2
                Next: loop
              - Type: Choice
                Name: loop
                InputConstructor:
                  input.$: $Input.input
                  local.$: $Input.local
                  step.$: jsonMerge($Input.input, $Input.local)
                Branches:
                  - Condition: $Input.step.more != null && $Input.step.more
                    Next: again
                Default: loop.end
              # Where `loop` went when no branch matched: the end (a Choice cannot end its scope).
              - Type: Pass
                Name: loop.end
                OutputConstructor: {}
                End: true
        "#]],
    );
}
