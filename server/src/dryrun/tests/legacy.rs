//! The legacy dialect: mappings and `$local`, choice steps and goto, foreach, parallel,
//! retry defaults, errorMappings, callbacks and timestamps.

use expect_test::expect;

use super::*;

#[test]
fn legacy_local_merging_and_mappings() {
    check(
        &legacy(
            r#"
            steps:
              - type: pass
                name: init
                outputMappings:
                  - target: marker
                    source: ""
                  - target: limit
                    source: 50
              - type: task
                name: list
                resourceArn: acs:fc:::services/s/functions/list
                inputMappings:
                  - target: bucket
                    source: $input.bucket
                  - target: marker
                    source: $local.marker
                  - target: execution
                    source: $context.execution.name
              - type: pass
                name: sees-everything
        "#,
        ),
        r#"
            States:
              list: {Return: {keys: [a, b], hasMore: false}}
        "#,
        r#"{"bucket": "photos"}"#,
        expect![[r#"
            ▶ execution input {"bucket":"photos"}
              init (pass)  t=0s
                input  {"bucket":"photos"}
                output {"marker":"","limit":50}
              list (task)  t=0s
                input  {"bucket":"photos","marker":"","execution":"63cbe1e4-5932-4dd7-a44c-3cd7f43c661c"}
                call   acs:fc:::services/s/functions/list requestResponse [mocked for the state]
                params {}
                result {"keys":["a","b"],"hasMore":false}
                output {"keys":["a","b"],"hasMore":false}
              sees-everything (pass)  t=0s
                input  {"bucket":"photos","marker":"","limit":50,"keys":["a","b"],"hasMore":false}
                output {}
            ✓ Succeeded in 0s (virtual)
              output {"marker":"","limit":50,"keys":["a","b"],"hasMore":false}
        "#]],
    );
}

#[test]
fn legacy_choice_steps_goto_and_default() {
    let flow = legacy(
        r#"
        steps:
          - type: choice
            name: mychoice
            choices:
              - condition: $.status == "ready"
                steps:
                  - type: pass
                    name: pass1
                    outputMappings:
                      - target: checked
                        source: true
                goto: final
              - condition: $.status == "failed"
                goto: handle_failure
            default:
              steps:
                - type: pass
                  name: pass2
          - type: fail
            name: handle_failure
            error: StatusIsNotReady
            cause: status is not ready
          - type: pass
            name: final
    "#,
    );
    check(
        &flow,
        "",
        r#"{"status": "ready"}"#,
        expect![[r#"
        ▶ execution input {"status":"ready"}
          mychoice (choice)  t=0s
            input  {"status":"ready"}
            → final  (`$.status == "ready"` is true)
        ┆ mychoice › choice 0
              pass1 (pass)  t=0s
                input  {"status":"ready"}
                output {"checked":true}
            output {"checked":true}
          final (pass)  t=0s
            input  {"status":"ready","checked":true}
            output {}
        ✓ Succeeded in 0s (virtual)
          output {"checked":true}
    "#]],
    );
    check(
        &flow,
        "",
        r#"{"status": "failed"}"#,
        expect![[r#"
        ▶ execution input {"status":"failed"}
          mychoice (choice)  t=0s
            input  {"status":"failed"}
            → handle_failure  (`$.status == "failed"` is true)
            output {}
          handle_failure (fail)  t=0s
            input  {"status":"failed"}
            ✗ failed: StatusIsNotReady: status is not ready
        ✗ Failed after 0s (virtual)
          StatusIsNotReady: status is not ready
    "#]],
    );
    check(
        &flow,
        "",
        r#"{}"#,
        expect![[r#"
        ▶ execution input {}
          mychoice (choice)  t=0s
            input  {}
            → handle_failure  (Default: no condition matched)
        ┆ mychoice › default
              pass2 (pass)  t=0s
                input  {}
                output {}
            output {}
          handle_failure (fail)  t=0s
            input  {}
            ✗ failed: StatusIsNotReady: status is not ready
        ✗ Failed after 0s (virtual)
          StatusIsNotReady: status is not ready
    "#]],
    );
}

#[test]
fn legacy_foreach_parallel_and_projections() {
    check(
        &legacy(
            r#"
            steps:
              - type: foreach
                name: each
                iterationMapping:
                  collection: $.names
                  item: name
                  index: i
                steps:
                  - type: task
                    name: upper
                    resourceArn: acs:fc:::services/s/functions/upper
                    inputMappings:
                      - target: name
                        source: $input.name
                      - target: at
                        source: $input.i
                outputMappings:
                  - target: names
                    source: $local[*].name
              - type: parallel
                name: both
                branches:
                  - steps:
                      - type: pass
                        name: left
                        outputMappings:
                          - target: side
                            source: left
                  - steps:
                      - type: wait
                        name: pause
                        duration: $.delay
                outputMappings:
                  - target: sides
                    source: $local[*].side
        "#,
        ),
        r#"
            States:
              upper:
                "0": {Return: {name: A}}
                "1": {Return: {name: B}, Delay: 1}
        "#,
        r#"{"names": ["a", "b"], "delay": 3}"#,
        expect![[r#"
            ▶ execution input {"names":["a","b"],"delay":3}
              each (foreach)  t=0s
                input  {"names":["a","b"],"delay":3}
                item 0 starts {"names":["a","b"],"delay":3,"name":"a","i":0}
                item 1 starts {"names":["a","b"],"delay":3,"name":"b","i":1}
            ┆ each › item 0
                  upper (task)  t=0s
                    input  {"name":"a","at":0}
                    call   acs:fc:::services/s/functions/upper requestResponse [mocked for the state]
                    params {}
                    result {"name":"A"}
                    output {"name":"A"}
                item 0 done {"name":"A"}
            ┆ each › item 1
                  upper (task)  t=0s
                    input  {"name":"b","at":1}
                    call   acs:fc:::services/s/functions/upper requestResponse (call 2) [mocked for the state]
                    params {}
                    result {"name":"B"}  t=1s
                    output {"name":"B"}
                item 1 done {"name":"B"}
                output {"names":["A","B"]}
              both (parallel)  t=1s
                input  {"names":["A","B"],"delay":3}
                branch 0 starts
                branch 1 starts
            ┆ both › branch 0
                  left (pass)  t=1s
                    input  {"names":["A","B"],"delay":3}
                    output {"side":"left"}
                branch 0 done {"side":"left"}
            ┆ both › branch 1
                  pause (wait)  t=1s
                    input  {"names":["A","B"],"delay":3}
                    wait   3s
                    output {}  t=4s
                branch 1 done {}
                output {"sides":["left"]}
            ✓ Succeeded in 4s (virtual)
              output {"names":["A","B"],"sides":["left"]}
        "#]],
    );
}

#[test]
fn legacy_retry_defaults_catch_and_error_mappings() {
    check(
        &legacy(
            r#"
            steps:
              - type: task
                name: hello
                resourceArn: acs:fc:::services/s/functions/hello
                retry:
                  - errors: [FC.ResourceThrottled]
                errorMappings:
                  - target: errCode
                    source: $local.error
                  - target: errMsg
                    source: $local.cause
                catch:
                  - errors: [FnF.ALL]
                    goto: report
              - type: pass
                name: skipped
              - type: pass
                name: report
        "#,
        ),
        r#"
            States:
              hello: {Throw: {Error: FC.ResourceThrottled, Cause: too many calls}}
        "#,
        "{}",
        expect![[r#"
            ▶ execution input {}
              hello (task)  t=0s
                input  {}
                call   acs:fc:::services/s/functions/hello requestResponse [mocked for the state]
                params {}
                ✗ FC.ResourceThrottled: too many calls
                ↻ retry 1 in 1s after FC.ResourceThrottled
                call   acs:fc:::services/s/functions/hello requestResponse (call 2) [mocked for the state]  t=1s
                params {}
                ✗ FC.ResourceThrottled: too many calls
                ↻ retry 2 in 2s after FC.ResourceThrottled
                call   acs:fc:::services/s/functions/hello requestResponse (call 3) [mocked for the state]  t=3s
                params {}
                ✗ FC.ResourceThrottled: too many calls
                ↻ retry 3 in 4s after FC.ResourceThrottled
                call   acs:fc:::services/s/functions/hello requestResponse (call 4) [mocked for the state]  t=7s
                params {}
                ✗ FC.ResourceThrottled: too many calls
                ⤷ caught FC.ResourceThrottled → report
              report (pass)  t=7s
                input  {"errCode":"FC.ResourceThrottled","errMsg":"too many calls"}
                output {}
            ✓ Succeeded in 7s (virtual)
              output {"errCode":"FC.ResourceThrottled","errMsg":"too many calls"}
            assumptions this run relied on (README.md, "Assumptions"):
              - [retry-interval] at hello
        "#]],
    );
}

#[test]
fn legacy_callback_token_timestamp_wait_and_timeout() {
    check(
        &legacy(
            r#"
            timeoutSeconds: 100
            steps:
              - type: wait
                name: until
                timestamp: $.at
              - type: task
                name: review
                resourceArn: acs:mns:::/topics/reviews/messages
                pattern: waitForCallback
                inputMappings:
                  - target: taskToken
                    source: $context.task.token
                serviceParams:
                  MessageBody: $
              - type: wait
                name: long
                duration: 1000
        "#,
        ),
        r#"
            States:
              review: {Callback: {Succeed: {status: approved}, Delay: 30}}
        "#,
        r#"{"at": "2023-11-14T22:13:30Z"}"#,
        expect![[r#"
            ▶ execution input {"at":"2023-11-14T22:13:30Z"}
              until (wait)  t=0s
                input  {"at":"2023-11-14T22:13:30Z"}
                wait   10s
                output {}  t=10s
              review (task)  t=10s
                input  {"taskToken":"fdl-task-token-E6984080BAB12A02953AEB70"}
                call   acs:mns:::/topics/reviews/messages waitForCallback [mocked for the state]
                params {"MessageBody":{"taskToken":"fdl-task-token-E6984080BAB12A02953AEB70"}}
                result {"status":"approved"}  t=40s
                output {"status":"approved"}
              long (wait)  t=40s
                input  {"at":"2023-11-14T22:13:30Z","status":"approved"}
                wait   1000s
            ✗ TimedOut after 100s (virtual)
              ExecutionTimedOut: the execution ran longer than its timeout of 100 seconds
        "#]],
    );
}

#[test]
fn legacy_succeed_ends_only_its_own_step_list() {
    check(
        &legacy(
            r#"
            steps:
              - type: foreach
                name: each
                iterationMapping:
                  collection: $.xs
                  item: x
                steps:
                  - type: choice
                    name: skip?
                    choices:
                      - condition: $.x == 2
                        goto: stop
                  - type: pass
                    name: work
                    outputMappings:
                      - target: did
                        source: $input.x
                  - type: succeed
                    name: stop
                outputMappings:
                  - target: did
                    source: $local[*].did
              - type: pass
                name: after
        "#,
        ),
        "",
        r#"{"xs": [1, 2]}"#,
        expect![[r#"
            ▶ execution input {"xs":[1,2]}
              each (foreach)  t=0s
                input  {"xs":[1,2]}
                item 0 starts {"xs":[1,2],"x":1}
                item 1 starts {"xs":[1,2],"x":2}
            ┆ each › item 0
                  skip? (choice)  t=0s
                    input  {"xs":[1,2],"x":1}
                    output {}
                  work (pass)  t=0s
                    input  {"xs":[1,2],"x":1}
                    output {"did":1}
                  stop (succeed)  t=0s
                    input  {"xs":[1,2],"x":1,"did":1}
                    output {}
                item 0 done {"did":1}
            ┆ each › item 1
                  skip? (choice)  t=0s
                    input  {"xs":[1,2],"x":2}
                    → stop  (`$.x == 2` is true)
                    output {}
                  stop (succeed)  t=0s
                    input  {"xs":[1,2],"x":2}
                    output {}
                item 1 done {}
                output {"did":[1]}
              after (pass)  t=0s
                input  {"xs":[1,2],"did":[1]}
                output {}
            ✓ Succeeded in 0s (virtual)
              output {"did":[1]}
        "#]],
    );
}
