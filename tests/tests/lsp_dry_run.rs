//! End-to-end tests of the dry run in `fdl lsp`: `fdl.dryRun` over stdio on the text the
//! editor holds, the inlay hints and `fdl/lastRun` it leaves, `$/progress` on long runs,
//! test files (diagnostics, completion, "Run case") and go to definition on a sub-flow.

#[path = "support/lsp.rs"]
mod lsp_client;
mod support;

use lsp_client::{LspServer, after, utf16_position};
use serde_json::{Value, json};
use support::Scratch;

/// The flow as saved on disk; the editor holds a changed copy (`EDITED`).
const SAVED: &str = "Type: StateMachine\nName: order\nSpecVersion: v1\nStartAt: 校验\nStates:\n  - Type: Pass\n    Name: 校验\n    End: true\n";

const EDITED: &str = r#"Type: StateMachine
Name: order
SpecVersion: v1
StartAt: 校验
States:
  - Type: Task
    Name: 校验
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:cn-hangzhou:1:functions/check/LATEST
      invocationType: Sync
      body.$: $Input
    OutputConstructor:
      ok.$: $Output.Body.ok
    Next: Child
  - Type: Task
    Name: Child
    Action: FNF:StartExecution
    TaskMode: WaitForSystemCallback
    Parameters:
      resourceArn: acs:fnf:cn-hangzhou:1:flow/child
      input.$: $Input
    Next: Done
  - Type: Succeed
    Name: Done
"#;

const CHILD: &str = "Type: StateMachine\nName: child\nSpecVersion: v1\nStartAt: Echo\nStates:\n  - Type: Pass\n    Name: Echo\n    OutputConstructor:\n      child.$: $Input.ok\n    End: true\n";

fn uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

fn start(root: &std::path::Path, capabilities: Value) -> LspServer {
    let mut server = LspServer::start();
    server.on_request = Box::new(|_, _| Some(Value::Null));
    server.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(root), "capabilities": capabilities}),
    );
    server.notify("initialized", json!({}));
    server
}

fn labels(hints: &Value) -> Vec<String> {
    hints
        .as_array()
        .map(|a| a.iter().map(|h| h["label"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn dry_run_of_the_editors_text_leaves_hints_and_the_last_run() {
    let scratch = Scratch::new("lsp-dry-run");
    let flow = scratch.file("app/order.fdl.yaml", SAVED);
    scratch.file("flows/child.fdl.yaml", CHILD);
    let flow_uri = uri(&flow);
    let capabilities = json!({
        "workspace": {"inlayHint": {"refreshSupport": true}},
        "window": {"workDoneProgress": true}
    });
    let mut server = start(&scratch.path, capabilities);
    let init_caps = server.request("textDocument/codeLens", json!({"textDocument": {"uri": flow_uri}}));
    assert!(init_caps.is_null(), "a document that is not open has no lenses: {init_caps}");
    server.open(&flow_uri, EDITED);

    // The first-line lens runs the document.
    let lenses = server.request("textDocument/codeLens", json!({"textDocument": {"uri": flow_uri}}));
    let lens = lenses
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["command"]["command"] == "fdl.dryRun")
        .expect("a run lens");
    assert_eq!(lens["command"]["arguments"], json!([flow_uri]));

    // Run with an input and inline mocks: the unsaved text runs, and the sub-flow comes
    // from the workspace.
    let result = server.request(
        "workspace/executeCommand",
        json!({"command": "fdl.dryRun", "arguments": [{
            "uri": flow_uri,
            "input": {"id": 7},
            "mocks": {"States": {"校验": {"Return": {"Body": {"ok": true}}}}},
            "seed": 1
        }]}),
    );
    assert_eq!(result["status"], "Succeeded", "{result:#}");
    assert_eq!(result["output"], json!({"child": true}));
    let entered: Vec<&str> = result["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "StateEntered")
        .map(|e| e["state"].as_str().unwrap())
        .collect();
    assert_eq!(entered, ["校验", "Child", "Done"]);
    let child_call = result["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "TaskScheduled" && e["state"] == "Child")
        .unwrap();
    assert_eq!(child_call["source"], "subflow");
    assert!(
        child_call["subflow"]["file"].as_str().unwrap().ends_with("flows/child.fdl.yaml"),
        "{child_call}"
    );
    // Events carry LSP ranges (UTF-16): `  - Type: Task` of 校验 is line 5.
    let first = result["events"].as_array().unwrap().iter().find(|e| e["type"] == "StateEntered").unwrap();
    assert_eq!(first["range"]["start"], json!({"line": 5, "character": 4}));

    // The server asked the client to refresh its hints; the hints sit after each name.
    server.settle(std::time::Duration::from_millis(200));
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}});
    let hints =
        server.request("textDocument/inlayHint", json!({"textDocument": {"uri": flow_uri}, "range": whole}));
    assert_eq!(
        labels(&hints),
        [r#"✓ {"ok":true}"#, r#"✓ {"child":true}"#, r#"✓ {"child":true}"#],
        "{hints:#}"
    );
    assert_eq!(hints[0]["position"], after(EDITED, "Name: 校验"));
    assert!(hints[0]["tooltip"].as_str().unwrap().contains("Dry run: entered once"), "{hints:#}");

    // fdl/lastRun gives the whole result.
    let last = server.request("fdl/lastRun", json!({"uri": flow_uri}));
    assert_eq!(last["status"], "Succeeded");
    assert_eq!(last["events"].as_array().unwrap().len(), result["events"].as_array().unwrap().len());

    // Editing a state drops its hint only.
    let at = EDITED.find("Name: Done").unwrap() + "Name: Done".len();
    let pos = utf16_position(EDITED, at);
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": flow_uri, "version": 2},
               "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "!"}]}),
    );
    let hints =
        server.request("textDocument/inlayHint", json!({"textDocument": {"uri": flow_uri}, "range": whole}));
    assert_eq!(labels(&hints), [r#"✓ {"ok":true}"#, r#"✓ {"child":true}"#]);

    // Go to definition on the sub-flow's ARN opens its file.
    let definition = server.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": flow_uri}, "position": after(EDITED, "flow/ch")}),
    );
    assert!(definition["uri"].as_str().unwrap().ends_with("flows/child.fdl.yaml"), "{definition}");

    // A bad request is an error, not a crash.
    let bad = server.send_request(
        "workspace/executeCommand",
        json!({"command": "fdl.dryRun", "arguments": [{"uri": flow_uri, "input": [1]}]}),
    );
    assert!(
        server.response(bad)["error"]["message"].as_str().unwrap().contains("`input` must be a JSON object")
    );
    assert_eq!(server.shutdown(), Some(0));
}

/// A flow that never ends: it hits the step limit, reporting progress on the way.
const LOOP: &str = "Type: StateMachine\nName: spin\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    Next: B\n  - Type: Pass\n    Name: B\n    Next: A\n";

#[test]
fn long_runs_report_progress_and_end_at_the_step_limit() {
    let scratch = Scratch::new("lsp-progress");
    let flow = scratch.file("spin.fdl.yaml", LOOP);
    let flow_uri = uri(&flow);
    let mut server = start(&scratch.path, json!({"window": {"workDoneProgress": true}}));
    server.open(&flow_uri, LOOP);
    let result =
        server.request("workspace/executeCommand", json!({"command": "fdl.dryRun", "arguments": [flow_uri]}));
    assert_eq!(result["status"], "StepLimit");
    assert!(
        result["error"]["detail"].as_str().unwrap().contains("the loop `A` → `B` → `A` never ended"),
        "{result}"
    );
    server.settle(std::time::Duration::from_millis(200));
    let kinds: Vec<String> = server
        .notifications
        .iter()
        .filter(|n| n["method"] == "$/progress")
        .map(|n| n["params"]["value"]["kind"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(kinds.first().map(String::as_str), Some("begin"), "{kinds:?}");
    assert_eq!(kinds.last().map(String::as_str), Some("end"), "{kinds:?}");
    assert!(kinds.iter().filter(|k| *k == "report").count() >= 5, "a report every 1,024 steps: {kinds:?}");
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn cancelling_the_progress_stops_the_run() {
    let scratch = Scratch::new("lsp-cancel");
    let flow = scratch.file("spin.fdl.yaml", LOOP);
    let flow_uri = uri(&flow);
    let mut server = start(&scratch.path, json!({"window": {"workDoneProgress": true}}));
    server.open(&flow_uri, LOOP);
    // Fifty million steps would take minutes: the run must end because it was cancelled.
    let id = server.send_request(
        "workspace/executeCommand",
        json!({"command": "fdl.dryRun", "arguments": [{"uri": flow_uri, "maxSteps": 50_000_000}]}),
    );
    let token = loop {
        server.settle(std::time::Duration::from_millis(50));
        let begun = server
            .notifications
            .iter()
            .find(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "begin");
        if let Some(n) = begun {
            assert_eq!(n["params"]["value"]["cancellable"], true);
            break n["params"]["token"].clone();
        }
    };
    server.notify("window/workDoneProgress/cancel", json!({"token": token}));
    let response = server.response(id);
    assert_eq!(response["result"]["status"], "StepLimit", "{response}");
    assert_eq!(response["result"]["error"]["code"], "DryRun.Cancelled", "{response}");
    assert_eq!(server.shutdown(), Some(0));
}

const TESTS: &str = r#"Flow: order.fdl.yaml
States:
  校验: {Return: {Body: {ok: false}}}
  Nowhere: {Return: {}}
Tests:
  passes:
    Input: {id: 1}
    Expect:
      Status: Succeeded
  fails:
    Expect:
      Status: Failed
      Ran: [校验]
"#;

#[test]
fn test_files_are_checked_completed_and_run_by_case() {
    let scratch = Scratch::new("lsp-tests");
    let flow = scratch.file("order.fdl.yaml", SAVED);
    let tests = scratch.file("order.fdltest.yaml", TESTS);
    let (flow_uri, tests_uri) = (uri(&flow), uri(&tests));
    let mut server = start(&scratch.path, json!({}));
    server.open(&tests_uri, TESTS);
    let diagnostics = server.diagnostics(&tests_uri, Some(1));
    let messages: Vec<&str> = diagnostics.iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert_eq!(messages, ["the flow has no state `Nowhere`"]);
    assert_eq!(diagnostics[0]["range"]["start"], json!({"line": 3, "character": 2}));

    // Completion offers the flow's states under `States:` and the keys of an expectation.
    let edited = TESTS.replace("  Nowhere: {Return: {}}\n", "  \n");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": tests_uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let at = edited.find("}}}\n").unwrap() + 4 + 2;
    let items = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": tests_uri}, "position": utf16_position(&edited, at)}),
    );
    let names: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(names, ["校验"]);
    let at = edited.find("      Status: Failed").unwrap();
    let items = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": tests_uri}, "position": utf16_position(&edited, at + 6)}),
    );
    let keys: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(keys.contains(&"OutputIncludes") && keys.contains(&"NotRan"), "{keys:?}");

    // Each case has a lens; running one reports unmet expectations as warnings.
    let lenses = server.request("textDocument/codeLens", json!({"textDocument": {"uri": tests_uri}}));
    let args: Vec<&Value> =
        lenses.as_array().unwrap().iter().map(|l| &l["command"]["arguments"][0]).collect();
    assert_eq!(
        args,
        [&json!({"uri": tests_uri, "case": "passes"}), &json!({"uri": tests_uri, "case": "fails"})]
    );
    let result =
        server.request("workspace/executeCommand", json!({"command": "fdl.dryRun", "arguments": [args[1]]}));
    assert_eq!(result["status"], "Succeeded");
    let unmet: Vec<&str> = result["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "expectation")
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert_eq!(unmet, ["status: expected Failed, got Succeeded"]);
    // The run belongs to the flow: its hints and last run are the flow's.
    let last = server.request("fdl/lastRun", json!({"uri": flow_uri}));
    assert_eq!(last["status"], "Succeeded");
    assert_eq!(server.shutdown(), Some(0));
}

/// `fdl.runTests` with `arguments`, answered with a report.
fn run_tests(server: &mut LspServer, arguments: Value) -> Value {
    server.request("workspace/executeCommand", json!({"command": "fdl.runTests", "arguments": [arguments]}))
}

/// Each case of a one-file report as `[name, passed, status, failures]`.
fn outcomes(report: &Value) -> Vec<Value> {
    assert_eq!(report["files"].as_array().map(Vec::len), Some(1), "{report}");
    report["files"][0]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!([c["name"], c["passed"], c["status"], c["failures"]]))
        .collect()
}

/// The flow as the editor holds it in `test_runs_use_the_texts_the_editor_holds`: the
/// first state now fails.
const FAILING: &str = "Type: StateMachine\nName: order\nSpecVersion: v1\nStartAt: 校验\nStates:\n  - Type: Fail\n    Name: 校验\n    Code: Stop\n    Detail: edited\n";

#[test]
fn test_runs_use_the_texts_the_editor_holds() {
    let scratch = Scratch::new("lsp-run-tests");
    let flow = scratch.file("order.fdl.yaml", SAVED);
    let tests = scratch.file("order.fdltest.yaml", TESTS);
    let (flow_uri, tests_uri) = (uri(&flow), uri(&tests));
    let mut server = start(&scratch.path, json!({}));

    // Nothing open: the files, exactly as `fdl test --format json` reports them.
    let saved = run_tests(&mut server, json!(tests_uri));
    let cli = support::fdl(&["test", support::arg(&tests), "--format", "json"]);
    assert_eq!(cli.code, 1, "{}", cli.stderr);
    assert_eq!(saved, serde_json::from_str::<Value>(&cli.stdout).unwrap());
    assert_eq!(
        outcomes(&saved),
        [
            json!(["passes", true, "Succeeded", []]),
            json!(["fails", false, "Succeeded", ["status: expected Failed, got Succeeded"]]),
        ]
    );
    assert_eq!((saved["passed"].clone(), saved["failed"].clone()), (json!(1), json!(1)));
    assert_eq!(saved["files"][0]["flow"], json!(support::arg(&flow)));
    assert_eq!(
        saved["files"][0]["cases"][1]["range"],
        json!({"start": {"line": 9, "character": 2}, "end": {"line": 9, "character": 7}})
    );

    // An unsaved change to an expectation counts.
    let edited_tests = TESTS.replace("      Status: Failed\n", "      Status: Succeeded\n");
    server.open(&tests_uri, &edited_tests);
    let report = run_tests(&mut server, json!({"uri": tests_uri}));
    assert_eq!(
        outcomes(&report),
        [json!(["passes", true, "Succeeded", []]), json!(["fails", true, "Succeeded", []])]
    );
    assert_eq!((report["passed"].clone(), report["failed"].clone()), (json!(2), json!(0)));

    // So does an unsaved change to the flow; `cases` picks the cases to run.
    server.open(&flow_uri, FAILING);
    let report = run_tests(&mut server, json!({"uri": tests_uri, "cases": ["passes"]}));
    assert_eq!(
        outcomes(&report),
        [json!(["passes", false, "Failed", ["status: expected Succeeded, got Failed (Stop: edited)"]])]
    );
    assert_eq!((report["passed"].clone(), report["failed"].clone()), (json!(0), json!(1)));
    let report = run_tests(&mut server, json!({"uri": tests_uri, "cases": []}));
    assert_eq!(outcomes(&report), Vec::<Value>::new());

    // Closed, the flow is the file again; a text the client sends wins over it.
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": flow_uri}}));
    let report = run_tests(&mut server, json!({"uri": tests_uri, "cases": ["fails"]}));
    assert_eq!(outcomes(&report), [json!(["fails", true, "Succeeded", []])]);
    let report = run_tests(
        &mut server,
        json!({"uri": tests_uri, "cases": ["fails"], "texts": {flow_uri.clone(): FAILING}}),
    );
    assert_eq!(
        outcomes(&report),
        [json!(["fails", false, "Failed", ["status: expected Succeeded, got Failed (Stop: edited)"]])]
    );

    // A flow with errors the service would reject runs no case, and says why.
    let broken = SAVED.replace("    End: true\n", "    Next: Nowhere\n");
    let report = run_tests(&mut server, json!({"uri": tests_uri, "texts": {flow_uri.clone(): broken}}));
    assert_eq!(outcomes(&report), Vec::<Value>::new());
    assert_eq!(
        report["files"][0]["problems"],
        json!([format!(
            "{} has 2 errors the service would reject, the first at 5:1: no state of the flow ends it (`End: true`, Succeed or Fail): an execution could never finish; fix them to run its tests",
            support::arg(&flow)
        )])
    );

    // Mistakes in the arguments are the caller's.
    for bad in
        [json!({"uri": tests_uri, "cases": "fails"}), json!({"uri": tests_uri, "texts": {"x": 1}}), json!(42)]
    {
        let id = server
            .send_request("workspace/executeCommand", json!({"command": "fdl.runTests", "arguments": [bad]}));
        let response = server.response(id);
        assert_eq!(response["error"]["code"], -32602, "{bad}: {response}");
    }
    let id = server.send_request(
        "workspace/executeCommand",
        json!({"command": "fdl.runTests", "arguments": ["untitled:Untitled-1"]}),
    );
    assert_eq!(server.response(id)["error"]["code"], -32602);
    assert_eq!(server.shutdown(), Some(0));
}
