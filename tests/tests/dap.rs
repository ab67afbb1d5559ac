//! End-to-end tests of `fdl dap`: the real binary, the Debug Adapter Protocol over its
//! stdin/stdout, driven the way VS Code and nvim-dap drive it.

#[path = "support/dap.rs"]
mod dap_client;
mod support;

use std::time::Duration;

use dap_client::{DapClient, line_of};
use expect_test::expect;
use serde_json::{Value, json};
use support::Scratch;

/// A Map inside a Parallel, a branch beside it, and a Succeed after.
const NESTED: &str = "\
Type: StateMachine
Name: orders
SpecVersion: v1
StartAt: Prepare
States:
  - Type: Pass
    Name: Prepare
    Next: Fan out
  - Type: Parallel
    Name: Fan out
    Branches:
      - StartAt: Charge all
        States:
          - Type: Map
            Name: Charge all
            ItemsPath: $Input.items
            Processor:
              StartAt: Charge
              States:
                - Type: Task
                  Name: Charge
                  Action: FC:InvokeFunction
                  Parameters:
                    resourceArn: acs:fc:cn-hangzhou:123:functions/charge
                    amount.$: $Input.amount
                  End: true
            End: true
      - StartAt: Note
        States:
          - Type: Pass
            Name: Note
            End: true
    Next: Done
  - Type: Succeed
    Name: Done
";

const MOCKS: &str = "Actions:\n  FC:InvokeFunction: {Return: {Body: {charged: true}}}\n";

fn items(amounts: &[i64]) -> Value {
    json!({"items": amounts.iter().map(|a| json!({"amount": a})).collect::<Vec<_>>()})
}

#[test]
fn breakpoints_stepping_and_variables_in_a_map_inside_a_parallel() {
    let dir = Scratch::new("dap-nested");
    let flow = dir.file("orders.fdl.yaml", NESTED);
    let mocks = dir.file("orders.mocks.yaml", MOCKS);
    let mut dap = DapClient::start();
    let launch = json!({"program": flow, "mocks": mocks, "input": items(&[1, 2])});
    let breakpoints = vec![
        json!({"line": line_of(NESTED, "- Type: Pass")}),
        // Inside Charge: moved to its first line.
        json!({"line": line_of(NESTED, "Action: FC:InvokeFunction")}),
        // Above the states: no state holds it.
        json!({"line": line_of(NESTED, "StartAt: Prepare")}),
    ];
    let placed = dap.launch(launch, &[(&flow, breakpoints)], &["uncaught"]);
    let placed: Vec<String> = placed
        .iter()
        .map(|b| format!("{} line {} {}", b["verified"], b["line"], b["message"].as_str().unwrap_or("")))
        .collect();
    expect![[r#"
        true line 6 
        true line 20 
        false line 4 no state on this line: a breakpoint goes on a state"#]]
    .assert_eq(&placed.join("\n"));

    let mut log = Vec::new();
    let note = |dap: &mut DapClient, log: &mut Vec<String>| {
        let stop = dap.stopped();
        let stack = dap.stack();
        log.push(format!("{stop}\n  {stack}"));
    };
    note(&mut dap, &mut log);
    log.push(dap.state());
    dap.ok("next", json!({"threadId": 1}));
    note(&mut dap, &mut log);
    log.push(dap.state());
    dap.ok("next", json!({"threadId": 1}));
    note(&mut dap, &mut log);
    // Into the Parallel's first branch, then into the Map's first iteration.
    dap.ok("stepIn", json!({"threadId": 1}));
    note(&mut dap, &mut log);
    dap.ok("stepIn", json!({"threadId": 1}));
    note(&mut dap, &mut log);
    log.push(dap.state());
    for expression in
        ["$Input.amount + 1", "$Context.Current.Name", "$Context.Execution.Input.items[1]", "$Inptu"]
    {
        let value = dap.eval(expression);
        log.push(format!("{expression} => {value}"));
    }
    // Without the breakpoint on Charge, step out of the iteration: after the Map, in the
    // branch; then out of the branch: after the Parallel.
    dap.ok("setBreakpoints", json!({"source": {"path": flow}, "breakpoints": []}));
    dap.ok("stepOut", json!({"threadId": 1}));
    note(&mut dap, &mut log);
    log.push(dap.state());
    dap.ok("stepOut", json!({"threadId": 1}));
    note(&mut dap, &mut log);
    dap.ok("continue", json!({"threadId": 1}));
    let exited = dap.event("exited");
    dap.event("terminated");
    log.push(format!("exited {}", exited["exitCode"]));
    expect![[r#"
        breakpoint: Paused on a breakpoint at `Prepare`
          Prepare @orders.fdl.yaml:6 | orders @orders.fdl.yaml:1
        $Input = {"items":[{"amount":1},{"amount":2}]}
        step: Paused after `Prepare`
          Prepare (done) @orders.fdl.yaml:6 | orders @orders.fdl.yaml:1
        $Input = {"items":[{"amount":1},{"amount":2}]}
        Output = {"items":[{"amount":1},{"amount":2}]}
        step: Paused before `Fan out`
          Fan out @orders.fdl.yaml:9 | orders @orders.fdl.yaml:1
        step: Paused before `Charge all`
          Charge all @orders.fdl.yaml:14 | Fan out › branch 0 @orders.fdl.yaml:9 | orders @orders.fdl.yaml:1
        breakpoint: Paused on a breakpoint at `Charge`
          Charge @orders.fdl.yaml:20 | Charge all › item 0 @orders.fdl.yaml:14 | Fan out › branch 0 @orders.fdl.yaml:9 | orders @orders.fdl.yaml:1
        $Input = {"amount":1}
        Parameters = {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge","amount":1}
        $Input.amount + 1 => 2
        $Context.Current.Name => "Charge"
        $Context.Execution.Input.items[1] => {"amount":2}
        $Inptu => error: error[unknown-variable]: unknown variable `$Inptu`: the variables are `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?)
        step: Paused after `Charge all`
          Charge all (done) @orders.fdl.yaml:14 | Fan out › branch 0 @orders.fdl.yaml:9 | orders @orders.fdl.yaml:1
        $Input = {"items":[{"amount":1},{"amount":2}]}
        Output = {"Items":[{"Body":{"charged":true}},{"Body":{"charged":true}}]}
        step: Paused after `Fan out`
          Fan out (done) @orders.fdl.yaml:9 | orders @orders.fdl.yaml:1
        exited 0"#]].assert_eq(&log.join("\n"));
    assert!(dap.console.contains("✓ Succeeded in 0s (virtual)"), "{}", dap.console);
    assert!(dap.console.contains("┆ Fan out › branch 0 › Charge all › item 1"), "{}", dap.console);
    dap.ok("disconnect", json!({}));
    assert_eq!(dap.exit_status(Duration::from_secs(5)), Some(0));
}

#[test]
fn conditions_hit_counts_log_points_and_function_breakpoints() {
    let dir = Scratch::new("dap-conditions");
    let flow = dir.file("orders.fdl.yaml", NESTED);
    let mut dap = DapClient::start();
    let launch = json!({"program": flow, "mocks": {"Actions": {"FC:InvokeFunction": {"Return": {"ok": 1}}}}, "input": items(&[1, 5, 2, 7, 9])});
    dap.ok("initialize", json!({"adapterID": "fdl"}));
    dap.ok("launch", launch);
    let charge = line_of(NESTED, "Name: Charge") - 1;
    let placed = dap.ok(
        "setBreakpoints",
        json!({"source": {"path": flow}, "breakpoints": [
            // The second item over 4 (the fourth item, amount 7).
            {"line": charge, "condition": "$Input.amount > 4", "hitCondition": "2"},
            {"line": line_of(NESTED, "Name: Prepare"), "logMessage": "preparing {length($Input.items)} items, the first {$Input.items[0]}"},
            {"line": line_of(NESTED, "Name: Note"), "condition": "$Input.items >"},
        ]}),
    );
    let verified: Vec<_> =
        placed["breakpoints"].as_array().unwrap().iter().map(|b| b["verified"].clone()).collect();
    assert_eq!(verified, [true, true, false], "{placed}");
    let functions =
        dap.ok("setFunctionBreakpoints", json!({"breakpoints": [{"name": "Done"}, {"name": "Nowhere"}]}));
    let functions: Vec<String> = functions["breakpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| format!("{} {}", b["verified"], b["message"].as_str().unwrap_or("")))
        .collect();
    dap.ok("configurationDone", json!({}));
    let mut log = vec![functions.join("\n")];
    log.push(dap.stopped());
    log.push(dap.state());
    dap.ok("continue", json!({"threadId": 1}));
    log.push(dap.stopped());
    log.push(dap.stack());
    dap.ok("continue", json!({"threadId": 1}));
    dap.event("terminated");
    let logged: Vec<&str> = dap.console.lines().filter(|l| l.starts_with("preparing")).collect();
    log.push(logged.join("\n"));
    expect![[r#"
        true 
        false the flow has no state named `Nowhere`
        breakpoint: Paused on a breakpoint at `Charge`
        $Input = {"amount":7}
        Parameters = {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge","amount":7}
        function breakpoint: Paused on a breakpoint at `Done`
        Done @orders.fdl.yaml:34 | orders @orders.fdl.yaml:1
        preparing 5 items, the first {"amount":1}"#]]
    .assert_eq(&log.join("\n"));
}

/// Retried once, then uncaught.
const FLAKY: &str = "\
Type: StateMachine
Name: flaky
SpecVersion: v1
StartAt: Call
States:
  - Type: Task
    Name: Call
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:cn-hangzhou:123:functions/call
    Retry:
      - Errors: [Busy]
        MaxAttempts: 1
    End: true
";

#[test]
fn exception_breakpoints_stop_on_a_failing_task() {
    let dir = Scratch::new("dap-errors");
    let flow = dir.file("flaky.fdl.yaml", FLAKY);
    let launch = json!({"program": flow, "mocks": {"States": {"Call": {"Throw": {"Error": "Busy", "Cause": "try later"}}}}});
    let mut log = Vec::new();
    for filters in [["uncaught"], ["any"]] {
        let mut dap = DapClient::start();
        dap.launch(launch.clone(), &[], &filters);
        log.push(format!("filters {filters:?}"));
        loop {
            let stop = dap.event("stopped");
            let info = dap.ok("exceptionInfo", json!({"threadId": 1}));
            log.push(format!(
                "  {} | {} {}",
                stop["description"].as_str().unwrap(),
                info["exceptionId"],
                info["breakMode"]
            ));
            log.push(format!("  {}", dap.state().replace('\n', " | ")));
            dap.ok("continue", json!({"threadId": 1}));
            if info["breakMode"] == "unhandled" {
                break;
            }
        }
        log.push(format!("  exited {}", dap.event("exited")["exitCode"]));
    }
    expect![[r#"
        filters ["uncaught"]
          Paused on uncaught error Busy: try later | "Busy" "unhandled"
          $Input = {} | Parameters = {"resourceArn":"acs:fc:cn-hangzhou:123:functions/call"} | Error = {"Code":"Busy","Detail":"try later"}
          exited 1
        filters ["any"]
          Paused on error Busy: try later | "Busy" "always"
          $Input = {} | Parameters = {"resourceArn":"acs:fc:cn-hangzhou:123:functions/call"} | Error = {"Code":"Busy","Detail":"try later"}
          Paused on uncaught error Busy: try later | "Busy" "unhandled"
          $Input = {} | Parameters = {"resourceArn":"acs:fc:cn-hangzhou:123:functions/call"} | Error = {"Code":"Busy","Detail":"try later"}
          exited 1"#]].assert_eq(&log.join("\n"));
}

/// Never ends on its own: the dry run stops it at its step limit.
const LOOP: &str = "\
Type: StateMachine
Name: loop
SpecVersion: v1
StartAt: Again
States:
  - Type: Pass
    Name: Again
    Next: Again
";

#[test]
fn pause_and_disconnect_in_the_middle_of_a_run() {
    let dir = Scratch::new("dap-disconnect");
    let flow = dir.file("loop.fdl.yaml", LOOP);
    let mut dap = DapClient::start();
    // Long enough to be caught running: millions of steps, seconds of work.
    let launch = json!({"program": flow, "stopOnEntry": true, "maxSteps": 50_000_000});
    dap.launch(launch, &[], &[]);
    assert_eq!(dap.stopped(), "entry: Paused before `Again`");
    // While stopped, a second pause changes nothing; a request about a stopped run works,
    // and one about frames or values that do not exist says so.
    dap.ok("pause", json!({"threadId": 1}));
    assert_eq!(dap.eval("$Context.Current.Name"), "\"Again\"");
    for (command, arguments) in [
        ("scopes", json!({"frameId": i64::MIN})),
        ("scopes", json!({"frameId": 99})),
        ("variables", json!({"variablesReference": i64::MAX})),
        ("setVariable", json!({"variablesReference": -1, "name": "a", "value": "1"})),
        ("stackTrace", json!({"threadId": 1, "startFrame": usize::MAX, "levels": usize::MAX})),
    ] {
        let response = dap.request(command, arguments);
        let ok = command == "stackTrace" && response["body"]["stackFrames"] == json!([]);
        assert!(ok || response["success"] == false, "{response}");
    }
    dap.ok("continue", json!({"threadId": 1}));
    std::thread::sleep(Duration::from_millis(300));
    // Requests that need a stopped run are refused while it runs.
    let refused = dap.request("stackTrace", json!({"threadId": 1}));
    assert_eq!(refused["message"], "the flow is running: pause it first");
    dap.ok("pause", json!({"threadId": 1}));
    let stop = dap.stopped();
    assert!(stop.starts_with("pause: Paused "), "{stop}");
    dap.ok("continue", json!({"threadId": 1}));
    std::thread::sleep(Duration::from_millis(100));
    // Disconnect while it runs: the run is cancelled and the adapter exits at once.
    let response = dap.request("disconnect", json!({"terminateDebuggee": true}));
    assert_eq!(response["success"], true);
    assert_eq!(dap.exit_status(Duration::from_secs(5)), Some(0));
    dap.drain();
    assert!(dap.console.contains("DryRun.Cancelled"), "{}", dap.console);
}

#[test]
fn bad_launch_configurations_get_clear_errors() {
    let dir = Scratch::new("dap-bad");
    let flow = dir.file("orders.fdl.yaml", NESTED);
    let tests = dir.file(
        "orders.fdltest.yaml",
        "Flow: orders.fdl.yaml\nTests:\n  small: {Input: {items: []}}\n  large: {Input: {items: [{amount: 1}]}}\n",
    );
    dir.file("broken.mocks.yaml", "States:\n  Charge: [1, 2]\n");
    dir.file("list.json", "[1, 2]");
    let mut dap = DapClient::start();
    dap.ok("initialize", json!({"adapterID": "fdl"}));
    let cwd = dir.path.display().to_string();
    let attempts = [
        json!({}),
        json!({"program": "missing.fdl.yaml", "cwd": cwd}),
        json!({"program": "orders.fdl.yaml", "cwd": cwd, "input": "nowhere.json"}),
        json!({"program": "orders.fdl.yaml", "cwd": cwd, "input": "list.json"}),
        json!({"program": "orders.fdl.yaml", "cwd": cwd, "input": "{\"a\": "}),
        json!({"program": "orders.fdl.yaml", "cwd": cwd, "mocks": "broken.mocks.yaml"}),
        json!({"program": "orders.fdl.yaml", "cwd": cwd, "mode": "fast"}),
        json!({"program": "orders.fdltest.yaml", "cwd": cwd}),
        json!({"program": "orders.fdltest.yaml", "cwd": cwd, "case": "medium"}),
        json!({"program": "orders.fdl.yaml", "cwd": cwd, "case": "small"}),
        json!({"program": "list.json", "cwd": cwd}),
        json!({"program": 7}),
    ];
    let mut log = Vec::new();
    for launch in attempts {
        let response = dap.request("launch", launch);
        assert_eq!(response["success"], false);
        log.push(response["message"].as_str().unwrap_or("").replace(&cwd, "DIR"));
    }
    // Broken messages: answered when their seq and command can be read, else skipped.
    dap.send_bytes(b"Content-Length: 40\r\n\r\n{\"seq\": 90, \"type\": \"request\", \"command\"");
    dap.send_bytes(b"garbage\r\n");
    dap.send_raw(br#"{"seq": 91, "type": "request", "command": "threads", "arguments": {"x": }"#);
    let broken = dap.response_to(91, "threads");
    log.push(broken["message"].as_str().unwrap_or("").to_string());
    dap.send_raw(br#"{"seq": 92, "type": "request", "command": "fly"}"#);
    log.push(dap.response_to(92, "fly")["message"].as_str().unwrap_or("").to_string());
    // The session goes on: a good launch still works.
    let good = dap.request("launch", json!({"program": tests, "case": "large"}));
    assert_eq!(good["success"], true, "{good}");
    expect![[r#"
        the launch configuration has no `program`: the flow file (or test file) to debug
        `program`: cannot read DIR/missing.fdl.yaml: No such file or directory (os error 2)
        `input`: cannot read DIR/nowhere.json: No such file or directory (os error 2)
        `input` must be a JSON object (an execution's input), not an array
        `input` is not valid JSON: EOF while parsing a value at line 1 column 6
        DIR/broken.mocks.yaml:2:11: the mock of `Charge` must be a mapping of keys
        `mode` is `standard` or `express`, not `fast`
        DIR/orders.fdltest.yaml has several tests: name one with `case` (`small`, `large`)
        DIR/orders.fdltest.yaml has no test named `medium`; its tests are `small`, `large`
        `case: small` names a test of a test file: set `program` (or `mocks`) to the test file
        DIR/list.json: not a flow definition: expected `Type: StateMachine` with `States` (CloudFlow) or `type: flow` with `steps` (legacy Serverless Workflow)
        invalid arguments for `launch`: invalid type: integer `7`, expected a string
        the body ended before its JSON value did: `{"seq": 91, "type": "request", "command": "threads", "arguments": {"x": }`
        `fly` is not supported by fdl dap"#]].assert_eq(&log.join("\n"));
    let _ = flow;
}

const CHILD: &str = "\
Type: StateMachine
Name: child
SpecVersion: v1
StartAt: Work
States:
  - Type: Pass
    Name: Work
    Next: Answer
  - Type: Pass
    Name: Answer
    OutputConstructor:
      doubled.$: $Input.n * 2
    End: true
";

const PARENT: &str = "\
Type: StateMachine
Name: parent
SpecVersion: v1
StartAt: Call
States:
  - Type: Task
    Name: Call
    Action: FNF:StartExecution
    TaskMode: WaitForSystemCallback
    Parameters:
      resourceArn: acs:fnf:cn-hangzhou:123:flow/child
      input:
        n.$: $Input.n
    End: true
";

#[test]
fn step_in_enters_a_subflow_and_breakpoints_stop_inside_it() {
    let dir = Scratch::new("dap-subflow");
    let parent = dir.file("parent.fdl.yaml", PARENT);
    let child = dir.file("child.fdl.yaml", CHILD);
    let mut dap = DapClient::start();
    let breakpoints = [
        (&*parent, vec![json!({"line": line_of(PARENT, "Name: Call") - 1})]),
        (&*child, vec![json!({"line": line_of(CHILD, "Name: Answer")})]),
    ];
    dap.launch(json!({"program": parent, "input": {"n": 21}, "cwd": dir.path}), &breakpoints, &[]);
    let mut log = vec![dap.stopped(), dap.stack()];
    dap.ok("stepIn", json!({"threadId": 1}));
    log.extend([dap.stopped(), dap.stack(), dap.state()]);
    dap.ok("continue", json!({"threadId": 1}));
    log.extend([dap.stopped(), dap.stack()]);
    dap.ok("stepOut", json!({"threadId": 1}));
    log.extend([dap.stopped(), dap.stack(), dap.state()]);
    dap.ok("continue", json!({"threadId": 1}));
    log.push(format!("exited {}", dap.event("exited")["exitCode"]));
    expect![[r#"
        breakpoint: Paused on a breakpoint at `Call`
        Call @parent.fdl.yaml:6 | parent @parent.fdl.yaml:1
        step: Paused before `Work`
        Work @child.fdl.yaml:6 | child @child.fdl.yaml:1 | Call › sub-flow child @parent.fdl.yaml:6 | parent @parent.fdl.yaml:1
        $Input = {"n":21}
        breakpoint: Paused on a breakpoint at `Answer`
        Answer @child.fdl.yaml:9 | child @child.fdl.yaml:1 | Call › sub-flow child @parent.fdl.yaml:6 | parent @parent.fdl.yaml:1
        step: Paused after `Call`
        Call (done) @parent.fdl.yaml:6 | parent @parent.fdl.yaml:1
        $Input = {"n":21}
        Parameters = {"resourceArn":"acs:fnf:cn-hangzhou:123:flow/child","input":{"n":21}}
        Result = {"doubled":42}
        Output = {"doubled":42}
        exited 0"#]].assert_eq(&log.join("\n"));
}

#[test]
fn a_test_case_runs_with_its_data_and_set_variable_changes_the_run() {
    let dir = Scratch::new("dap-case");
    dir.file("orders.fdl.yaml", NESTED);
    let tests = dir.file(
        "orders.fdltest.yaml",
        "Flow: orders.fdl.yaml\nActions:\n  FC:InvokeFunction: {Return: {Body: {charged: true}}}\nTests:\n  one item:\n    Input: {items: [{amount: 3}]}\n    Expect:\n      Status: Succeeded\n      Ran: [Charge]\n",
    );
    let mut dap = DapClient::start();
    let charge = line_of(NESTED, "Name: Charge");
    dap.launch(
        json!({"program": tests, "case": "one item"}),
        &[(&*dir.path.join("orders.fdl.yaml"), vec![json!({"line": charge})])],
        &[],
    );
    let mut log = vec![dap.stopped(), dap.state()];
    // Change the amount in the paused state's $Input: its Parameters follow.
    let scopes = dap.scopes();
    let state = dap.variables(&scopes[0].1);
    let input = state.iter().find(|(n, _)| n == "$Input").unwrap().1["variablesReference"].clone();
    let set =
        dap.ok("setVariable", json!({"variablesReference": input, "name": "amount", "value": "40 + 2"}));
    log.push(format!("set: {}", set["value"]));
    let refused = dap
        .request("setVariable", json!({"variablesReference": scopes[1].1, "name": "Current", "value": "1"}));
    log.push(format!("refused: {}", refused["message"].as_str().unwrap_or("")));
    log.push(dap.state());
    dap.ok("continue", json!({"threadId": 1}));
    dap.event("terminated");
    let outcome: Vec<&str> =
        dap.console.lines().filter(|l| l.contains("params") || l.starts_with("test ")).collect();
    log.push(outcome.join("\n"));
    expect![[r#"
        breakpoint: Paused on a breakpoint at `Charge`
        $Input = {"amount":3}
        Parameters = {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge","amount":3}
        set: "42"
        refused: only the paused state's `$Input` can be changed
        $Input = {"amount":42}
        Parameters = {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge","amount":42}
                    params {"resourceArn":"acs:fc:cn-hangzhou:123:functions/charge","amount":42}
        test `one item` passed"#]]
    .assert_eq(&log.join("\n"));
}

#[test]
fn placeholders_take_the_values_of_vars_and_entry_stops_before_the_first_state() {
    let flow_text = "\
Type: StateMachine
Name: regional
SpecVersion: v1
StartAt: Call
States:
  - Type: Task
    Name: Call
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:${vars.region}:123:functions/f
    End: true
";
    let dir = Scratch::new("dap-vars");
    let flow = dir.file("regional.fdl.yaml", flow_text);
    let vars = dir.file("vars.yaml", "vars.region: cn-beijing\n");
    let mut log = Vec::new();
    for given in [json!({"vars.region": "cn-shanghai"}), json!(vars)] {
        let mut dap = DapClient::start();
        dap.launch(json!({"program": flow, "vars": given, "stopOnEntry": true}), &[], &[]);
        log.push(dap.stopped());
        log.push(dap.state());
        dap.ok("continue", json!({"threadId": 1}));
        dap.event("terminated");
    }
    expect![[r#"
        entry: Paused before `Call`
        $Input = {}
        Parameters = {"resourceArn":"acs:fc:cn-shanghai:123:functions/f"}
        entry: Paused before `Call`
        $Input = {}
        Parameters = {"resourceArn":"acs:fc:cn-beijing:123:functions/f"}"#]]
    .assert_eq(&log.join("\n"));
}
