//! Parallel branches and foreach iterations.

use expect_test::expect;

use super::check;

#[test]
fn parallel_and_foreach_with_index() {
    check(
        r#"version: v1
type: flow
name: fan
steps:
  - type: parallel
    name: both
    branches:
      - steps:
          - type: foreach
            name: each
            iterationMapping:
              collection: $.items
              item: item
              index: i
            steps:
              - type: task
                name: work
                resourceArn: acs:fc:::services/s/functions/work
                inputMappings:
                  - target: item
                    source: $input.item
                  - target: i
                    source: $input.i
            outputMappings:
              - target: results
                source: $local[*].result
      - steps:
          - type: wait
            name: pause
            duration: 700
    outputMappings:
      - target: results
        source: $local[0].results
      - target: all
        source: $local
"#,
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            Name: fan
            StartAt: both
            States:
              - Type: Parallel
                Name: both
                InputConstructor:
                  input.$: $Input
                  local: {}
                Branches:
                  - StartAt: each
                    States:
                      # fdl-migrate: legacy foreach ran at most 100 iterations at a time; this Map runs all at once unless `MaxConcurrency` (at most 40) is set. A missing collection ran no iteration in legacy; it fails this Map. The iteration input is built by an `ItemConstructor`, which the docs describe for distributed Maps: check that the service accepts it on this inline Map. CloudFlow gives an iteration no index, so `i` (iterationMapping.index) is missing from the iteration input: pass the positions in the collection's items if the steps need them
                      # fdl-migrate: `$Output.Items[*].local.result` projects with `[*]`, legacy JSONPath that CloudFlow does not document; it is kept because CloudFlow has no other way to take a field of every item: check that the service accepts it
                      - Type: Map
                        Name: each
                        InputConstructor:
                          input.$: $Input.input
                          local: {}
                        ItemsPath: $Input.input.items
                        ItemConstructor:
                          input.$: 'jsonMerge($Input.input, {"item": $Item})'
                          local: {}
                        Processor:
                          StartAt: work
                          States:
                            - Type: Task
                              Name: work
                              Action: FC:InvokeFunction
                              InputConstructor:
                                input.$: $Input.input
                                local.$: $Input.local
                                step:
                                  item.$: $Input.input.item
                                  i.$: $Input.input.i
                              Parameters:
                                resourceArn: acs:fc:::services/s/functions/work
                                invocationType: Sync
                                body.$: $Input.step
                              OutputConstructor:
                                input.$: $Input.input
                                local.$: jsonMerge($Input.local, $Output.Body)
                              End: true
                        OutputConstructor:
                          input.$: $Input.input
                          local:
                            results.$: $Output.Items[*].local.result
                        End: true
                  - StartAt: pause
                    States:
                      # fdl-migrate: CloudFlow's Wait waits at most 300 seconds (Standard; Express 20), so the 700 seconds are 3 Waits in a row
                      - Type: Wait
                        Name: pause
                        InputConstructor:
                          input.$: $Input.input
                          local: {}
                        Seconds: 300
                        Next: pause.2
                      - Type: Wait
                        Name: pause.2
                        Seconds: 300
                        Next: pause.3
                      - Type: Wait
                        Name: pause.3
                        Seconds: 100
                        End: true
                OutputConstructor:
                  results.$: $Output.Branch0.local.results
                  all.$: '[$Output.Branch0.local, $Output.Branch1.local]'
                End: true
            -- note[foreach] at 115: legacy foreach ran at most 100 iterations at a time; this Map runs all at once unless `MaxConcurrency` (at most 40) is set. A missing collection ran no iteration in legacy; it fails this Map. The iteration input is built by an `ItemConstructor`, which the docs describe for distributed Maps: check that the service accepts it on this inline Map. CloudFlow gives an iteration no index, so `i` (iterationMapping.index) is missing from the iteration input: pass the positions in the collection's items if the steps need them
            -- note[expression] at 656: `$Output.Items[*].local.result` projects with `[*]`, legacy JSONPath that CloudFlow does not document; it is kept because CloudFlow has no other way to take a field of every item: check that the service accepts it
            -- note[wait-split] at 700: CloudFlow's Wait waits at most 300 seconds (Standard; Express 20), so the 700 seconds are 3 Waits in a row
        "#]],
    );
}
