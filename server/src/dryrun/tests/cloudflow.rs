//! Every CloudFlow state type, retries, catches, callbacks, globals and timeouts.

use expect_test::expect;

use super::*;

#[test]
fn pass_constructors_and_context() {
    check(
        &cf(r#"
            StartAt: A
            States:
              - Type: Pass
                Name: A
                InputConstructor:
                  x.$: $Input.a + 1
                  fixed: [1, {b: true}]
                OutputConstructor:
                  y.$: $Output.x
                  from.$: $Context.Current.Name
                  execution.$: $Context.Execution.Input
                Next: B
              - Type: Pass
                Name: B
                End: true
        "#),
        "",
        r#"{"a": 1}"#,
        expect![[r#"
            ▶ execution input {"a":1}
              A (Pass)  t=0s
                input  {"a":1}
                $Input {"x":2,"fixed":[1,{"b":true}]}
                output {"y":2,"from":"A","execution":{"a":1}}
              B (Pass)  t=0s
                input  {"y":2,"from":"A","execution":{"a":1}}
                output {"y":2,"from":"A","execution":{"a":1}}
            ✓ Succeeded in 0s (virtual)
              output {"y":2,"from":"A","execution":{"a":1}}
            assumptions this run relied on (README.md, "Assumptions"):
              - [default-output] at A
        "#]],
    );
}

#[test]
fn task_retry_then_success() {
    check(
        &cf(r#"
            StartAt: Charge
            States:
              - Type: Task
                Name: Charge
                Action: FC:InvokeFunction
                Parameters:
                  resourceArn: acs:fc:cn-hangzhou:123:functions/charge/LATEST
                  invocationType: Sync
                  body:
                    amount.$: $Input.amount
                    attempt.$: $Context.Current.RetryCount
                Retry:
                  - Errors: [FC.ResourceThrottled]
                    MaxAttempts: 3
                    IntervalSeconds: 2
                    BackoffRate: 2
                    MaxBackoffSeconds: 3
                OutputConstructor:
                  charged.$: $Output.Body.charged
                End: true
        "#),
        r#"
            States:
              Charge:
                "0-1": {Throw: {Error: FC.ResourceThrottled, Cause: busy}}
                "2": {Return: {Body: {charged: true}}, Delay: 0.5}
        "#,
        r#"{"amount": 46}"#,
        expect![[r#"
            ▶ execution input {"amount":46}
              Charge (Task)  t=0s
                input  {"amount":46}
                call   FC:InvokeFunction RequestComplete [mocked for the state]
                params {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge/LATEST","invocationType":"Sync","body":{"amount":46,"attempt":0}}
                ✗ FC.ResourceThrottled: busy
                ↻ retry 1 in 2s after FC.ResourceThrottled
                call   FC:InvokeFunction RequestComplete (call 2) [mocked for the state]  t=2s
                params {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge/LATEST","invocationType":"Sync","body":{"amount":46,"attempt":1}}
                ✗ FC.ResourceThrottled: busy
                ↻ retry 2 in 3s after FC.ResourceThrottled
                call   FC:InvokeFunction RequestComplete (call 3) [mocked for the state]  t=5s
                params {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge/LATEST","invocationType":"Sync","body":{"amount":46,"attempt":2}}
                result {"Body":{"charged":true}}  t=5.5s
                output {"charged":true}
            ✓ Succeeded in 5.5s (virtual)
              output {"charged":true}
            assumptions this run relied on (README.md, "Assumptions"):
              - [retry-interval] at Charge
        "#]],
    );
}

#[test]
fn retry_exhausted_then_catch() {
    check(
        &cf(r#"
            StartAt: Charge
            States:
              - Type: Task
                Name: Charge
                Action: HTTP:Request
                Parameters:
                  url: https://pay.example.com
                  method: POST
                Retry:
                  - Errors: [FnF.ALL]
                    MaxAttempts: 2
                    IntervalSeconds: 1
                Catch:
                  - Errors: [PaymentDeclined]
                    Next: Declined
                    OutputConstructor:
                      reason.$: $Context.Current.Error.Detail
                      code.$: $Context.Current.Error.Code
                Next: Done
              - Type: Pass
                Name: Declined
                End: true
              - Type: Succeed
                Name: Done
        "#),
        r#"
            Actions:
              "HTTP:Request": {Throw: {Error: PaymentDeclined, Cause: card expired}}
        "#,
        "{}",
        expect![[r#"
            ▶ execution input {}
              Charge (Task)  t=0s
                input  {}
                call   HTTP:Request RequestComplete [mocked for the action]
                params {"url":"https://pay.example.com","method":"POST"}
                ✗ PaymentDeclined: card expired
                ↻ retry 1 in 1s after PaymentDeclined
                call   HTTP:Request RequestComplete (call 2) [mocked for the action]  t=1s
                params {"url":"https://pay.example.com","method":"POST"}
                ✗ PaymentDeclined: card expired
                ↻ retry 2 in 1s after PaymentDeclined
                call   HTTP:Request RequestComplete (call 3) [mocked for the action]  t=2s
                params {"url":"https://pay.example.com","method":"POST"}
                ✗ PaymentDeclined: card expired
                ⤷ caught PaymentDeclined → Declined
              Declined (Pass)  t=2s
                input  {"reason":"card expired","code":"PaymentDeclined"}
                output {"reason":"card expired","code":"PaymentDeclined"}
            ✓ Succeeded in 2s (virtual)
              output {"reason":"card expired","code":"PaymentDeclined"}
        "#]],
    );
}

#[test]
fn wait_seconds_and_dynamic() {
    check(
        &cf(r#"
            StartAt: W1
            States:
              - Type: Wait
                Name: W1
                Seconds: 12
                Next: W2
              - Type: Wait
                Name: W2
                Seconds.$: $Input.delay
                End: true
        "#),
        "",
        r#"{"delay": 3.5}"#,
        expect![[r#"
            ▶ execution input {"delay":3.5}
              W1 (Wait)  t=0s
                input  {"delay":3.5}
                wait   12s
                output {"delay":3.5}  t=12s
              W2 (Wait)  t=12s
                input  {"delay":3.5}
                wait   3.5s
                output {"delay":3.5}  t=15.5s
            ✓ Succeeded in 15.5s (virtual)
              output {"delay":3.5}
        "#]],
    );
}

#[test]
fn choice_on_every_operator() {
    let flow = cf(r#"
        StartAt: C
        States:
          - Type: Choice
            Name: C
            Branches:
              - Condition: $Input.s == "eq"
                Next: Eq
              - Condition: $Input.s != "ne" && $Input.n > 100
                Next: Gt
              - Condition: $Input.n >= 50
                Next: Ge
              - Condition: $Input.n < 0 || $Input.n <= -10
                Next: Lt
              - Condition: '"k" in $Input && !($Input.k in [1, 2])'
                Next: InNot
            Default: Other
          - {Type: Succeed, Name: Eq}
          - {Type: Succeed, Name: Gt}
          - {Type: Succeed, Name: Ge}
          - {Type: Succeed, Name: Lt}
          - {Type: Succeed, Name: InNot}
          - {Type: Succeed, Name: Other}
    "#);
    let taken = |input: &str| {
        let result = run_with(&flow, "", input, options(), &[]);
        result
            .events
            .iter()
            .find_map(|e| match &e.kind {
                crate::dryrun::EventKind::ChoiceBranchTaken { condition, next, .. } => Some(format!(
                    "{input} → {} ({})",
                    next.as_deref().unwrap_or("-"),
                    condition.as_deref().unwrap_or("Default")
                )),
                _ => None,
            })
            .unwrap_or_else(|| format!("{input} → {:?}", result.error))
    };
    let lines: Vec<String> = [
        r#"{"s": "eq"}"#,
        r#"{"s": "x", "n": 101}"#,
        r#"{"s": "ne", "n": 101}"#,
        r#"{"n": -1}"#,
        r#"{"n": 5, "k": 3}"#,
        r#"{"n": 5, "k": 2}"#,
        r#"{"n": "text"}"#,
    ]
    .iter()
    .map(|i| taken(i))
    .collect();
    expect![[r#"
        {"s": "eq"} → Eq ($Input.s == "eq")
        {"s": "x", "n": 101} → Gt ($Input.s != "ne" && $Input.n > 100)
        {"s": "ne", "n": 101} → Ge ($Input.n >= 50)
        {"n": -1} → Lt ($Input.n < 0 || $Input.n <= -10)
        {"n": 5, "k": 3} → InNot ("k" in $Input && !($Input.k in [1, 2]))
        {"n": 5, "k": 2} → Other (Default)
        {"n": "text"} → Some(ErrorInfo { code: "FnF.RuntimeError", detail: "condition 1 of `C`: `$Input.s != \"ne\" && $Input.n > 100`: `>` compares two numbers or two strings, not a string and an integer [type-mismatch]" })"#]].assert_eq(&lines.join("\n"));
}

#[test]
fn parallel_output_and_succeed_in_a_branch() {
    check(
        &cf(r#"
            StartAt: P
            States:
              - Type: Parallel
                Name: P
                Branches:
                  - StartAt: S
                    States:
                      - Type: Succeed
                        Name: S
                        OutputConstructor:
                          FieldA: 123
                  - StartAt: W
                    States:
                      - Type: Wait
                        Name: W
                        Seconds: 5
                        Next: B
                      - Type: Pass
                        Name: B
                        InputConstructor:
                          FieldA: 321
                        End: true
                OutputConstructor:
                  first.$: $Output.Branch0.FieldA
                  second.$: $Output.Branch1.FieldA
                End: true
        "#),
        "",
        "{}",
        expect![[r#"
            ▶ execution input {}
              P (Parallel)  t=0s
                input  {}
                branch 0 starts
                branch 1 starts
            ┆ P › branch 0
                  S (Succeed)  t=0s
                    input  {}
                    output {"FieldA":123}
                branch 0 done {"FieldA":123}
            ┆ P › branch 1
                  W (Wait)  t=0s
                    input  {}
                    wait   5s
                    output {}  t=5s
                  B (Pass)  t=5s
                    input  {}
                    $Input {"FieldA":321}
                    output {"FieldA":321}
                branch 1 done {"FieldA":321}
                output {"first":123,"second":321}
            ✓ Succeeded in 5s (virtual)
              output {"first":123,"second":321}
            assumptions this run relied on (README.md, "Assumptions"):
              - [default-output] at S, P
        "#]],
    );
}

#[test]
fn map_inside_parallel_inside_map_with_concurrency() {
    check(
        &cf(r#"
            StartAt: Outer
            States:
              - Type: Map
                Name: Outer
                ItemsPath: $Input.groups
                MaxConcurrency: 1
                Processor:
                  StartAt: P
                  States:
                    - Type: Parallel
                      Name: P
                      Branches:
                        - StartAt: Inner
                          States:
                            - Type: Map
                              Name: Inner
                              ItemsPath: $Input.items
                              MaxConcurrency: 2
                              Processor:
                                StartAt: Work
                                States:
                                  - Type: Task
                                    Name: Work
                                    Action: FC:InvokeFunction
                                    Parameters:
                                      resourceArn: acs:fc:cn-hangzhou:1:functions/work/LATEST
                                      invocationType: Sync
                                      body.$: $Input
                                    OutputConstructor:
                                      v.$: $Output.Body.v
                                    End: true
                              End: true
                        - StartAt: Count
                          States:
                            - Type: Pass
                              Name: Count
                              OutputConstructor:
                                n.$: length($Input.items)
                              End: true
                      End: true
                End: true
        "#),
        r#"
            States:
              Work:
                "0": {Return: {Body: {v: a}}, Delay: 2}
                "1": {Return: {Body: {v: b}}, Delay: 1}
                "2": {Return: {Body: {v: c}}, Delay: 1}
                "3": {Return: {Body: {v: d}}}
        "#,
        r#"{"groups": [{"items": [{"i": 1}, {"i": 2}, {"i": 3}]}, {"items": [{"i": 4}]}]}"#,
        expect![[r#"
            ▶ execution input {"groups":[{"items":[{"i":1},{"i":2},{"i":3}]},{"items":[{"i":4}]}]}
              Outer (Map)  t=0s
                input  {"groups":[{"items":[{"i":1},{"i":2},{"i":3}]},{"items":[{"i":4}]}]}
                item 0 starts {"items":[{"i":1},{"i":2},{"i":3}]}
            ┆ Outer › item 0
                  P (Parallel)  t=0s
                    input  {"items":[{"i":1},{"i":2},{"i":3}]}
                    branch 0 starts
                    branch 1 starts
                ┆ Outer › item 0 › P › branch 0
                      Inner (Map)  t=0s
                        input  {"items":[{"i":1},{"i":2},{"i":3}]}
                        item 0 starts {"i":1}
                        item 1 starts {"i":2}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 0
                          Work (Task)  t=0s
                            input  {"i":1}
                            call   FC:InvokeFunction RequestComplete [mocked for the state]
                            params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/work/LATEST","invocationType":"Sync","body":{"i":1}}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 1
                          Work (Task)  t=0s
                            input  {"i":2}
                            call   FC:InvokeFunction RequestComplete (call 2) [mocked for the state]
                            params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/work/LATEST","invocationType":"Sync","body":{"i":2}}
                ┆ Outer › item 0 › P › branch 1
                      Count (Pass)  t=0s
                        input  {"items":[{"i":1},{"i":2},{"i":3}]}
                        output {"n":3}
            ┆ Outer › item 0
                    branch 1 done {"n":3}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 1
                            result {"Body":{"v":"b"}}  t=1s
                            output {"v":"b"}
                ┆ Outer › item 0 › P › branch 0
                        item 1 done {"v":"b"}
                        item 2 starts {"i":3}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 2
                          Work (Task)  t=1s
                            input  {"i":3}
                            call   FC:InvokeFunction RequestComplete (call 3) [mocked for the state]
                            params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/work/LATEST","invocationType":"Sync","body":{"i":3}}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 0
                            result {"Body":{"v":"a"}}  t=2s
                            output {"v":"a"}
                ┆ Outer › item 0 › P › branch 0
                        item 0 done {"v":"a"}
                    ┆ Outer › item 0 › P › branch 0 › Inner › item 2
                            result {"Body":{"v":"c"}}
                            output {"v":"c"}
                ┆ Outer › item 0 › P › branch 0
                        item 2 done {"v":"c"}
                        output {"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]}
            ┆ Outer › item 0
                    branch 0 done {"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]}
                    output {"Branch0":{"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]},"Branch1":{"n":3}}
                item 0 done {"Branch0":{"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]},"Branch1":{"n":3}}
                item 1 starts {"items":[{"i":4}]}
            ┆ Outer › item 1
                  P (Parallel)  t=2s
                    input  {"items":[{"i":4}]}
                    branch 0 starts
                    branch 1 starts
                ┆ Outer › item 1 › P › branch 0
                      Inner (Map)  t=2s
                        input  {"items":[{"i":4}]}
                        item 0 starts {"i":4}
                    ┆ Outer › item 1 › P › branch 0 › Inner › item 0
                          Work (Task)  t=2s
                            input  {"i":4}
                            call   FC:InvokeFunction RequestComplete (call 4) [mocked for the state]
                            params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/work/LATEST","invocationType":"Sync","body":{"i":4}}
                            result {"Body":{"v":"d"}}
                            output {"v":"d"}
                ┆ Outer › item 1 › P › branch 0
                        item 0 done {"v":"d"}
                        output {"Items":[{"v":"d"}]}
            ┆ Outer › item 1
                    branch 0 done {"Items":[{"v":"d"}]}
                ┆ Outer › item 1 › P › branch 1
                      Count (Pass)  t=2s
                        input  {"items":[{"i":4}]}
                        output {"n":1}
            ┆ Outer › item 1
                    branch 1 done {"n":1}
                    output {"Branch0":{"Items":[{"v":"d"}]},"Branch1":{"n":1}}
                item 1 done {"Branch0":{"Items":[{"v":"d"}]},"Branch1":{"n":1}}
                output {"Items":[{"Branch0":{"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]},"Branch1":{"n":3}},{"Branch0":{"Items":[{"v":"d"}]},"Branch1":{"n":1}}]}
            ✓ Succeeded in 2s (virtual)
              output {"Items":[{"Branch0":{"Items":[{"v":"a"},{"v":"b"},{"v":"c"}]},"Branch1":{"n":3}},{"Branch0":{"Items":[{"v":"d"}]},"Branch1":{"n":1}}]}
            assumptions this run relied on (README.md, "Assumptions"):
              - [default-output] at Count
        "#]],
    );
}

#[test]
fn callback_modes() {
    check(
        &cf(r#"
            StartAt: Approve
            States:
              - Type: Task
                Name: Approve
                Action: MNS:SendMessage
                TaskMode: WaitForCustomCallback
                Parameters:
                  resourceArn: acs:mns:cn-hangzhou:1:/queues/approvals/messages
                  message:
                    token.$: $Context.Current.TaskToken
                Next: Transcode
              - Type: Task
                Name: Transcode
                Action: FC:InvokeFunction
                TaskMode: WaitForSystemCallback
                Timeout: "60"
                Parameters:
                  resourceArn: acs:fc:cn-hangzhou:1:functions/transcode/LATEST
                  invocationType: Async
                Catch:
                  - Errors: [FnF.TaskTimeout]
                    Next: TooSlow
                End: true
              - Type: Fail
                Name: TooSlow
                Code: Slow
                Detail: transcoding took too long
        "#),
        r#"
            States:
              Approve: {Callback: {Succeed: {approved: true}, Delay: 3600}}
              Transcode: {Return: {Body: {}}, Delay: 120}
        "#,
        "{}",
        expect![[r#"
            ▶ execution input {}
              Approve (Task)  t=0s
                input  {}
                call   MNS:SendMessage WaitForCustomCallback [mocked for the state]
                params {"resourceArn":"acs:mns:cn-hangzhou:1:/queues/approvals/messages","message":{"token":"fdl-task-token-E6984080BAB12A02953AEB70"}}
                result {"approved":true}  t=3600s
                output {"approved":true}
              Transcode (Task)  t=3600s
                input  {"approved":true}
                call   FC:InvokeFunction WaitForSystemCallback [mocked for the state]
                params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/transcode/LATEST","invocationType":"Async"}
                ✗ FnF.TaskTimeout: `Transcode` did not finish within its timeout of 60 seconds  t=3660s
                ⤷ caught FnF.TaskTimeout → TooSlow
              TooSlow (Fail)  t=3660s
                input  {"Code":"FnF.TaskTimeout","Detail":"`Transcode` did not finish within its timeout of 60 seconds"}
                ✗ failed: Slow: transcoding took too long
            ✗ Failed after 3660s (virtual)
              Slow: transcoding took too long
            assumptions this run relied on (README.md, "Assumptions"):
              - [task-timeout] at Transcode
              - [catch-output] at Transcode
        "#]],
    );
}

#[test]
fn global_variables_and_custom_callback_failure() {
    check(
        &cf(r#"
            StartAt: Login
            States:
              - Type: Pass
                Name: Login
                GlobalConstructor:
                  user.$: $Input.user
                  seen.$: $Output.user
                Next: Approve
              - Type: Task
                Name: Approve
                Action: HTTP:Request
                TaskMode: WaitForCustomCallback
                Parameters:
                  url: https://approvals.example.com
                  method: POST
                  body:
                    who.$: $Global.user
                Catch:
                  - Errors: [Rejected]
                    Next: Denied
                    OutputConstructor:
                      who.$: $Global.user
                      why.$: $Context.Current.Error.Detail
                End: true
              - Type: Succeed
                Name: Denied
        "#),
        r#"
            States:
              Approve: {Callback: {Fail: {Error: Rejected, Cause: not today}, Delay: 60}}
        "#,
        r#"{"user": "ada"}"#,
        expect![[r#"
            ▶ execution input {"user":"ada"}
              Login (Pass)  t=0s
                input  {"user":"ada"}
                output {"user":"ada"}
              Approve (Task)  t=0s
                input  {"user":"ada"}
                call   HTTP:Request WaitForCustomCallback [mocked for the state]
                params {"url":"https://approvals.example.com","method":"POST","body":{"who":"ada"}}
                ✗ Rejected: not today  t=60s
                ⤷ caught Rejected → Denied
              Denied (Succeed)  t=60s
                input  {"who":"ada","why":"not today"}
                output {"who":"ada","why":"not today"}
            ✓ Succeeded in 60s (virtual)
              output {"who":"ada","why":"not today"}
            assumptions this run relied on (README.md, "Assumptions"):
              - [global-merge] at Login
        "#]],
    );
}

#[test]
fn express_executions_time_out_after_five_minutes() {
    let options = Options { mode: crate::analysis::WorkflowMode::Express, ..options() };
    check_with(
        &cf(r#"
            StartAt: Slow
            States:
              - Type: Task
                Name: Slow
                Action: FC:InvokeFunction
                Parameters:
                  resourceArn: acs:fc:cn-hangzhou:1:functions/slow/LATEST
                  invocationType: Sync
                End: true
        "#),
        "Actions:\n  FC:InvokeFunction: {Return: {Body: {}}, Delay: 400}\n",
        "{}",
        options,
        &[],
        expect![[r#"
            ▶ execution input {}
              Slow (Task)  t=0s
                input  {}
                call   FC:InvokeFunction RequestComplete [mocked for the action]
                params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/slow/LATEST","invocationType":"Sync"}
            ✗ TimedOut after 300s (virtual)
              ExecutionTimedOut: the execution ran longer than its timeout of 300 seconds
            assumptions this run relied on (README.md, "Assumptions"):
              - [express-duration] at the execution
        "#]],
    );
}
