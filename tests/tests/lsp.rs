//! End-to-end tests of `fdl lsp`: the real binary, JSON-RPC over its stdin/stdout.

#[path = "support/lsp.rs"]
mod lsp_client;
mod support;

use std::time::Duration;

use lsp_client::{LspServer, after, utf16_position};
use serde_json::{Value, json};

const URI: &str = "file:///work/flow.fdl.yaml";

/// A flow with a Chinese state name, a TaskMode EventBridge does not support and a Next to
/// a missing state.
const BROKEN: &str = "Type: StateMachine\nName: demo\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n  - Type: Task\n    Name: 视频理解\n    Action: EventBridge:PutEvents\n    TaskMode: WaitForSystemCallback\n    Next: 完城\n  - Type: Succeed\n    Name: 完成\n";

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

fn capabilities() -> Value {
    json!({
        "textDocument": {
            "completion": {"completionItem": {"snippetSupport": true}},
            "hover": {"contentFormat": ["markdown"]},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true}
        }
    })
}

#[test]
fn a_session_from_open_to_exit() {
    let mut server = LspServer::start();
    let init = server.initialize(capabilities());
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);

    server.open(URI, BROKEN);
    let diagnostics = server.diagnostics(URI, Some(1));
    assert_eq!(codes(&diagnostics), ["unsupported-task-mode", "unknown-state", "unreachable-state"]);
    // Ranges are in UTF-16 units on a line with CJK text: `Next: 完束` → characters 10..12.
    let unknown = &diagnostics[1];
    assert_eq!(
        unknown["range"],
        json!({"start": {"line": 9, "character": 10}, "end": {"line": 9, "character": 12}})
    );

    // Incremental edits: fix the mode, then the transition.
    let mode_at = BROKEN.find("WaitForSystemCallback").unwrap();
    let start = utf16_position(BROKEN, mode_at);
    let end = utf16_position(BROKEN, mode_at + "WaitForSystemCallback".len());
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": start, "end": end}, "text": "RequestComplete"}]}),
    );
    let text = BROKEN.replace("WaitForSystemCallback", "RequestComplete");
    assert_eq!(codes(&server.diagnostics(URI, Some(2))), ["unknown-state", "unreachable-state"]);

    // Completion of the transition target offers the states of the scope.
    let next_at = text.find("Next: ").unwrap() + "Next: ".len();
    let completion = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": utf16_position(&text, next_at)}),
    );
    let labels: Vec<&str> =
        completion.as_array().unwrap().iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["完成"]);

    // A quick fix for the misspelt transition.
    let fix_pos = after(&text, "Next: 完");
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": fix_pos, "end": fix_pos}, "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = actions.as_array().unwrap().iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(titles, ["Change to `完成`"]);
    let edit = &actions[0]["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "完成");

    // Apply it as the editor would, and the flow is clean.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3},
               "contentChanges": [{"range": edit["range"], "text": "完成"}]}),
    );
    let text = text.replacen("Next: 完束", "Next: 完成", 1);
    assert_eq!(codes(&server.diagnostics(URI, Some(3))), Vec::<String>::new());

    // Hover, definition, references, rename.
    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": after(&text, "TaskMode: R")}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("| EventBridge (EventBridge:PutEvents) | Standard | Express |")
    );
    let definition = server.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": after(&text, "StartAt: 视")}),
    );
    assert_eq!(definition["range"]["start"], json!({"line": 6, "character": 10}));
    let references = server.request(
        "textDocument/references",
        json!({"textDocument": {"uri": URI}, "position": after(&text, "Name: 完"), "context": {"includeDeclaration": true}}),
    );
    assert_eq!(references.as_array().unwrap().len(), 2);
    let prepare = server.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": URI}, "position": after(&text, "Name: 完")}),
    );
    assert_eq!(prepare["placeholder"], "完成");
    let rename = server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": after(&text, "Name: 完"), "newName": "done: ok"}),
    );
    let edits = rename["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e["newText"] == "\"done: ok\""));
    let refused = server.send_request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": URI}, "position": after(&text, "Action: E")}),
    );
    assert!(server.response(refused)["error"]["message"].as_str().unwrap().contains("only state names"));

    // Outline and lenses.
    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}));
    let names: Vec<&str> = symbols.as_array().unwrap().iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["视频理解", "完成"]);
    let lenses = server.request("textDocument/codeLens", json!({"textDocument": {"uri": URI}}));
    assert_eq!(lenses[0]["command"]["title"], "2 states");
    let found = server.request("workspace/symbol", json!({"query": "完"}));
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["name"], "完成");
    let folds = server.request("textDocument/foldingRange", json!({"textDocument": {"uri": URI}}));
    assert!(folds.as_array().unwrap().iter().any(|f| f["startLine"] == 5), "{folds}");
    let selection = server.request(
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": URI}, "positions": [after(&text, "Name: 视")]}),
    );
    assert_eq!(selection[0]["range"]["start"], json!({"line": 6, "character": 10}));
    assert_eq!(
        selection[0]["parent"]["range"]["start"],
        json!({"line": 6, "character": 4}),
        "then `Name: 视频理解`"
    );
    let highlights = server.request(
        "textDocument/documentHighlight",
        json!({"textDocument": {"uri": URI}, "position": after(&text, "StartAt: 视")}),
    );
    assert_eq!(highlights.as_array().unwrap().len(), 2);

    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn expressions_and_the_catalog_over_the_protocol() {
    let mut server = LspServer::start();
    let init = server.initialize(capabilities());
    let legend = init["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"].clone();
    let text = "Type: StateMachine\nName: demo\nSpecVersion: v1\nStartAt: 查询\nStates:\n  - Type: Task\n    Name: 查询\n    Action: ECS:DescribeInstances\n    Parameters:\n      RegionId.$: format(\"cn-{}\", $Input.region)\n    End: true\n";
    server.open(URI, text);
    assert_eq!(codes(&server.diagnostics(URI, Some(1))), Vec::<String>::new());
    // Signature help inside format(
    let help = server.request(
        "textDocument/signatureHelp",
        json!({"textDocument": {"uri": URI}, "position": after(text, "format(\"cn")}),
    );
    assert!(help["signatures"][0]["label"].as_str().unwrap().starts_with("format("), "{help}");
    assert_eq!(help["activeParameter"], 0);
    // Semantic tokens: `format` is the first token, a function, on line 9 at UTF-16 column 18.
    let tokens = server.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": URI}}));
    let data = tokens["data"].as_array().unwrap();
    assert_eq!(&data[..3], &[json!(9), json!(18), json!(6)]);
    assert_eq!(legend[data[3].as_u64().unwrap() as usize], "function");
    // Completion of an API of a service, and hover on the Action.
    let completion = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": after(text, "ECS:DescribeInst")}),
    );
    assert_eq!(completion[0]["label"], "ECS:DescribeInstances", "{}", completion[0]);
    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": after(text, "ECS:Desc")}),
    );
    assert!(hover["contents"]["value"].as_str().unwrap().contains("Elastic Compute Service"));
    assert_eq!(server.shutdown(), Some(0));
}

/// Applies LSP text edits (UTF-16 positions) to `text`.
fn apply_edits(text: &str, edits: &Value) -> String {
    let offset = |p: &Value| {
        let (line, character) =
            (p["line"].as_u64().unwrap() as usize, p["character"].as_u64().unwrap() as usize);
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        let rest = &text[start..];
        let at = rest
            .char_indices()
            .find(|(_, c)| {
                let before = units;
                units += c.len_utf16();
                before >= character
            })
            .map_or(rest.len(), |(i, _)| i);
        start + at
    };
    let mut edits: Vec<&Value> = edits.as_array().unwrap().iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(
            offset(&e["range"]["start"])..offset(&e["range"]["end"]),
            e["newText"].as_str().unwrap(),
        );
    }
    out
}

#[test]
fn formatting_and_the_graph_over_the_protocol() {
    let mut server = LspServer::start();
    let init = server.initialize(capabilities());
    assert_eq!(init["capabilities"]["documentFormattingProvider"], true);
    assert_eq!(init["capabilities"]["documentRangeFormattingProvider"], true);
    let text = "Type: StateMachine\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n    - Type: Task # 理解\n      Name: 视频理解\n      Action: FC:InvokeFunction\n      Parameters: {resourceArn: acs:fc:cn-hangzhou:1:functions/f,   invocationType: Sync}\n      Next: 完成\n    - Type:    Succeed\n      Name: 完成\n";
    server.open(URI, text);
    let options = json!({"tabSize": 2, "insertSpaces": true});

    // The whole document: one edit from the first line that changes.
    let edits =
        server.request("textDocument/formatting", json!({"textDocument": {"uri": URI}, "options": options}));
    assert_eq!(edits.as_array().unwrap().len(), 1, "{edits}");
    assert_eq!(edits[0]["range"]["start"], json!({"line": 4, "character": 0}));
    assert_eq!(
        apply_edits(text, &edits),
        "Type: StateMachine\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n  - Type: Task # 理解\n    Name: 视频理解\n    Action: FC:InvokeFunction\n    Parameters: { resourceArn: acs:fc:cn-hangzhou:1:functions/f, invocationType: Sync }\n    Next: 完成\n  - Type: Succeed\n    Name: 完成\n"
    );

    // A range in the second state (after CJK text on the line) formats that state only, in place.
    let at = after(text, "Name: 完");
    let edits = server.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at}, "options": options}),
    );
    assert_eq!(
        apply_edits(text, &edits),
        text.replace("    - Type:    Succeed\n      Name: 完成", "    - Type: Succeed\n      Name: 完成")
    );

    // The graph: states with UTF-16 ranges, edges with kinds.
    let graph = server.request("fdl/graph", json!({"uri": URI}));
    assert_eq!(graph["dialect"], "cloudflow");
    assert_eq!(graph["scopes"][0]["start"], "n0");
    assert_eq!(graph["nodes"][0]["name"], "视频理解");
    assert_eq!(
        graph["nodes"][0]["selectionRange"],
        json!({"start": {"line": 5, "character": 12}, "end": {"line": 5, "character": 16}})
    );
    assert_eq!(graph["nodes"][1]["range"]["start"], json!({"line": 9, "character": 6}));
    assert_eq!(
        graph["edges"],
        json!([{"from": "n0", "to": "n1", "target": "完成", "kind": "next", "label": null}])
    );
    assert_eq!(server.request("fdl/graph", json!({"uri": "file:///not/open.yaml"})), Value::Null);

    // YAML errors: formatting answers an error that says why, and the server goes on.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "Type: StateMachine\nStates: [a\n"}]}),
    );
    let id = server
        .send_request("textDocument/formatting", json!({"textDocument": {"uri": URI}, "options": options}));
    let answer = server.response(id);
    assert_eq!(answer["error"]["code"], -32803);
    assert!(answer["error"]["message"].as_str().unwrap().contains("YAML error"), "{answer}");
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn a_thousand_rapid_edits_keep_the_server_text_equal_to_the_client_text() {
    let mut server = LspServer::start();
    server.initialize(capabilities());
    let mut text = BROKEN.to_string();
    server.open(URI, &text);
    // A deterministic walk of inserts and deletes at varying places, sent without waiting.
    let inserts = ["x", "视频", "\n  - ", ": ", "Type: Pass\n", "😀", "#", " "];
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    let mut rand = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for version in 2..=1001 {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let start = boundaries[rand(boundaries.len())];
        let later: Vec<usize> =
            boundaries.iter().copied().filter(|&b| b >= start && b <= start + 12).collect();
        let end = if rand(3) == 0 { later[rand(later.len())] } else { start };
        let insert = if end > start && rand(2) == 0 { "" } else { inserts[rand(inserts.len())] };
        let range = json!({"start": utf16_position(&text, start), "end": utf16_position(&text, end)});
        text.replace_range(start..end, insert);
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"range": range, "text": insert}]}),
        );
    }
    let server_copy = server.request("fdl/documentText", json!({"uri": URI}));
    assert_eq!(server_copy["version"], 1001);
    assert_eq!(server_copy["text"].as_str().unwrap(), text);
    // A stale version is dropped.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 5}, "contentChanges": [{"text": "stale"}]}),
    );
    let server_copy = server.request("fdl/documentText", json!({"uri": URI}));
    assert_eq!(server_copy["text"].as_str().unwrap(), text);
    // Diagnostics of the last version arrive (earlier ones may be skipped, never later ones).
    server.diagnostics(URI, Some(1001));
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn failures_stay_inside_their_request() {
    let mut server = LspServer::start();
    server.initialize(capabilities());
    server.open(URI, BROKEN);
    let panicked = server.send_request("fdl/test/panic", json!({"uri": URI}));
    let response = server.response(panicked);
    assert_eq!(response["error"]["code"], -32603, "{response}");
    assert!(response["error"]["message"].as_str().unwrap().contains("a test asked for it"));
    // Unknown methods, unknown documents, positions past the end, broken JSON.
    let unknown = server.send_request("fdl/noSuchMethod", json!({}));
    assert_eq!(server.response(unknown)["error"]["code"], -32601);
    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nope.yaml"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover, Value::Null);
    let far = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 999, "character": 999}}),
    );
    assert!(far.is_array() || far.is_null());
    server.send_raw(b"{not json");
    let bad_params = server.send_request("textDocument/hover", json!({"wrong": true}));
    assert_eq!(server.response(bad_params)["error"]["code"], -32602);
    // A cancelled request is answered (with its result or as cancelled) and changes nothing.
    let cancelled = server.send_request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 9, "character": 10}}),
    );
    server.notify("$/cancelRequest", json!({"id": cancelled}));
    let response = server.response(cancelled);
    assert!(response.get("result").is_some() || response["error"]["code"] == -32800, "{response}");
    // Still serving.
    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}));
    assert_eq!(symbols.as_array().unwrap().len(), 2);
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn settings_come_from_the_client_without_blocking() {
    // A client that answers workspace/configuration: fdl.mode = express.
    let mut server = LspServer::start();
    server.on_request = Box::new(|method, _| match method {
        "workspace/configuration" => Some(json!([{"mode": "express"}])),
        _ => Some(Value::Null),
    });
    server.initialize(json!({"workspace": {"configuration": true}}));
    let flow = "Type: StateMachine\nName: demo\nSpecVersion: v1\nStartAt: W\nStates:\n  - Type: Wait\n    Name: W\n    Seconds: 60\n    End: true\n";
    server.open(URI, flow);
    server.settle(Duration::from_millis(300));
    // Whatever arrived first, the express diagnostics arrive.
    let mut found = false;
    for _ in 0..5 {
        if codes(&server.diagnostics(URI, None)).contains(&"out-of-range".to_string()) {
            found = true;
            break;
        }
    }
    assert!(found, "express limits apply once the client answered");
    // didChangeConfiguration with settings switches back to standard.
    server.notify("workspace/didChangeConfiguration", json!({"settings": {"fdl": {"mode": "standard"}}}));
    assert_eq!(codes(&server.diagnostics(URI, None)), Vec::<String>::new());
    assert_eq!(server.shutdown(), Some(0));

    // A client that never answers workspace/configuration is still served.
    let mut silent = LspServer::start();
    silent.on_request = Box::new(|_, _| None);
    silent.initialize(json!({"workspace": {"configuration": true}}));
    silent.open(URI, flow);
    assert_eq!(codes(&silent.diagnostics(URI, Some(1))), Vec::<String>::new());
    let symbols = silent.request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}));
    assert_eq!(symbols.as_array().unwrap().len(), 1);
    assert_eq!(silent.shutdown(), Some(0));

    // A client without the capability gets no workspace/configuration request at all.
    let mut plain = LspServer::start();
    plain.on_request = Box::new(|method, _| panic!("unexpected request {method}"));
    plain.initialize(json!({}));
    plain.open(URI, flow);
    plain.diagnostics(URI, Some(1));
    assert_eq!(plain.shutdown(), Some(0));
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let mut server = LspServer::start();
    let init = server.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    server.open(URI, BROKEN);
    let diagnostics = server.diagnostics(URI, Some(1));
    let unknown = diagnostics.iter().find(|d| d["code"] == "unknown-state").unwrap();
    // `Next: 完束`: bytes 10..16 of the line.
    assert_eq!(
        unknown["range"],
        json!({"start": {"line": 9, "character": 10}, "end": {"line": 9, "character": 16}})
    );
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn pull_diagnostics_for_clients_that_pull() {
    let mut server = LspServer::start();
    let init = server.initialize(json!({"textDocument": {"diagnostic": {}}}));
    assert_eq!(init["capabilities"]["diagnosticProvider"]["identifier"], "fdl");
    server.open(URI, BROKEN);
    let report = server.request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}}));
    assert_eq!(report["kind"], "full");
    assert_eq!(
        codes(report["items"].as_array().unwrap()),
        ["unsupported-task-mode", "unknown-state", "unreachable-state"]
    );
    assert_eq!(server.shutdown(), Some(0));
}

/// Flows inside deployment files: a ROS template (YAML) and a Terraform file, each with a
/// Chinese state name; diagnostics, completion, hover and definition in host positions.
#[test]
fn flows_inside_templates_and_terraform() {
    const ROS: &str = "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  流程:\n    Type: ALIYUN::FNF::Flow\n    Properties:\n      Definition: |\n        Type: StateMachine\n        SpecVersion: v1\n        Name: flow-${ALIYUN::StackName}\n        StartAt: 视频理解\n        States:\n          - Type: Wait\n            Name: 视频理解\n            Seconds: 900\n            Next: 完成\n          - Type: Succeed\n            Name: 完成\n";
    const TF: &str = "resource \"alicloud_fnf_flow\" \"流\" {\n  definition = <<-EOF\n    version: v1\n    type: flow\n    steps:\n      - type: wait\n        name: 等待\n        duraton: 10\n  EOF\n}\n";
    let ros_uri = "file:///work/template.yaml";
    let tf_uri = "file:///work/main.tf";
    let mut server = LspServer::start();
    server.initialize(capabilities());

    server.open(ros_uri, ROS);
    let diagnostics = server.diagnostics(ros_uri, Some(1));
    assert_eq!(codes(&diagnostics), ["out-of-range"]);
    let at = ROS.find("900").unwrap();
    assert_eq!(
        diagnostics[0]["range"],
        json!({"start": utf16_position(ROS, at), "end": utf16_position(ROS, at + 3)})
    );
    let next = after(ROS, "Next: 完");
    let target = server
        .request("textDocument/definition", json!({"textDocument": {"uri": ros_uri}, "position": next}));
    let name_at = ROS.rfind("完成").unwrap();
    assert_eq!(target["range"]["start"], utf16_position(ROS, name_at), "{target}");
    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": ros_uri}, "position": after(ROS, "${ALIYUN::Stack")}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(markdown.contains("ROS pseudo parameter `ALIYUN::StackName`"), "{hover}");

    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": tf_uri, "languageId": "terraform", "version": 1, "text": TF}}),
    );
    let diagnostics = server.diagnostics(tf_uri, Some(1));
    assert_eq!(codes(&diagnostics), ["missing-key", "unknown-key"]);
    let typo = TF.find("duraton").unwrap();
    assert_eq!(diagnostics[1]["range"]["start"], utf16_position(TF, typo));
    let completion = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": tf_uri}, "position": after(TF, "duraton")}),
    );
    let items = completion.get("items").unwrap_or(&completion).as_array().cloned().unwrap_or_default();
    let duration = items.iter().find(|i| i["label"] == "duration").unwrap_or_else(|| panic!("{completion}"));
    // The key being typed is replaced where it is written in the host.
    assert_eq!(duration["textEdit"]["range"]["start"], utf16_position(TF, typo), "{duration}");
    assert_eq!(server.shutdown(), Some(0));
}

/// Next targets in a flow of 400 states: a short list marked incomplete, so that the client
/// asks again as the user types; what is typed then filters it.
#[test]
fn state_name_completion_in_a_big_flow_is_incomplete_and_filtered() {
    let mut text = String::from("Type: StateMachine\nSpecVersion: v1\nStartAt: 步骤0\nStates:\n");
    for i in 0..400 {
        text.push_str(&format!("  - Type: Pass\n    Name: 步骤{i}\n    Next: 步骤{}\n", (i + 1) % 400));
    }
    text = text.replacen("    Next: 步骤201\n", "    Next: 步骤3\n", 1);
    let mut server = LspServer::start();
    server.initialize(json!({}));
    server.open(URI, &text);
    let at =
        |text: &str, needle: &str| json!({"textDocument": {"uri": URI}, "position": after(text, needle)});
    let list = server.request("textDocument/completion", at(&text, "Name: 步骤200\n    Next: "));
    let labels = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["label"].as_str().map(String::from))
            .collect()
    };
    assert_eq!(list["isIncomplete"], true);
    let all = labels(&list);
    assert_eq!(all.len(), 100);
    assert_eq!(all[..2], ["步骤201", "步骤202"]);
    // 111 names start with 步骤3: still cut short, the exact name first.
    let typed = server.request("textDocument/completion", at(&text, "Name: 步骤200\n    Next: 步骤3"));
    assert_eq!((typed["isIncomplete"].clone(), labels(&typed).len()), (json!(true), 100));
    assert_eq!(labels(&typed)[0], "步骤3");
    // Only 11 names hold 步骤39: the whole list, and an ordinary (complete) answer.
    let text = text.replacen("    Next: 步骤202\n", "    Next: 步骤39\n", 1);
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let few = server.request("textDocument/completion", at(&text, "Name: 步骤201\n    Next: 步骤39"));
    assert!(few.is_array(), "a complete list is sent as a plain array");
    let mut few: Vec<String> =
        few.as_array().unwrap().iter().filter_map(|i| i["label"].as_str().map(String::from)).collect();
    few.sort();
    assert_eq!(few.len(), 11, "{few:?}");
    assert!(few.iter().all(|l| l.starts_with("步骤39")), "{few:?}");
    assert_eq!(server.shutdown(), Some(0));
}

/// `data` after a `SemanticTokensDelta`'s edits (applied from the last, so that each keeps
/// its offsets), or a whole answer's data.
fn apply_token_edits(data: &[Value], answer: &Value) -> Vec<Value> {
    let Some(edits) = answer["edits"].as_array() else {
        return answer["data"].as_array().expect("whole tokens hold data").clone();
    };
    let mut data = data.to_vec();
    let mut edits = edits.clone();
    edits.sort_by_key(|e| e["start"].as_u64());
    for e in edits.iter().rev() {
        let start = e["start"].as_u64().unwrap() as usize;
        let delete = e["deleteCount"].as_u64().unwrap() as usize;
        let insert = e["data"].as_array().cloned().unwrap_or_default();
        data.splice(start..start + delete, insert);
    }
    data
}

#[test]
fn semantic_token_deltas_applied_to_the_previous_tokens_equal_the_whole_tokens() {
    let mut server = LspServer::start();
    let init = server.initialize(json!({"textDocument": {"semanticTokens": {
        "requests": {"full": {"delta": true}}, "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]}}}));
    assert_eq!(init["capabilities"]["semanticTokensProvider"]["full"]["delta"], true);
    let mut text = fdl_bench::cloudflow(40);
    server.open(URI, &text);
    let doc = json!({"uri": URI});
    let full = |server: &mut LspServer| {
        server.request("textDocument/semanticTokens/full", json!({"textDocument": doc}))
    };
    let first = full(&mut server);
    let (mut id, mut held) = (first["resultId"].clone(), first["data"].as_array().unwrap().clone());
    assert!(held.len() > 500, "a flow with expressions has tokens");
    // Edits at varying places: in names, inside expressions, new lines, new states, deletions.
    let inserts = [
        "x",
        "视频😀",
        "\n",
        " + 1",
        "$Input.",
        "\r\n",
        "  - Type: Pass\n    Name: P\n    InputConstructor:\n      a.$: $Input.b\n",
        "",
    ];
    let mut seed: u64 = 0x9E3779B97F4A7C15;
    let mut rand = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut small = 0;
    for version in 2..=60 {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let start = boundaries[rand(boundaries.len())];
        let later: Vec<usize> =
            boundaries.iter().copied().filter(|&b| b >= start && b <= start + 8).collect();
        let insert = inserts[rand(inserts.len())];
        let end = if insert.is_empty() { later[rand(later.len())] } else { start };
        let range = json!({"start": utf16_position(&text, start), "end": utf16_position(&text, end)});
        text.replace_range(start..end, insert);
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"range": range, "text": insert}]}),
        );
        let delta = server.request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": doc, "previousResultId": id}),
        );
        assert!(delta["edits"].is_array(), "a delta from a result the server gave: {delta}");
        let changed: usize =
            delta["edits"].as_array().unwrap().iter().map(|e| e["data"].as_array().map_or(0, Vec::len)).sum();
        if changed <= 10 {
            small += 1;
        }
        held = apply_token_edits(&held, &delta);
        id = delta["resultId"].clone();
        // Now and then the whole tokens, which must equal what the deltas built.
        if version % 3 == 0 {
            let whole = full(&mut server);
            assert_eq!(whole["data"].as_array().unwrap(), &held, "after edit {version}");
        }
    }
    assert!(small > 20, "most deltas are a token or two: {small} of 59");
    let whole = full(&mut server);
    assert_eq!(whole["data"].as_array().unwrap(), &held);
    // A result the server does not know (or no longer keeps) gets the whole tokens.
    let unknown = server.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": doc, "previousResultId": "nonsense"}),
    );
    assert_eq!(unknown["data"].as_array().unwrap(), &held);
    assert!(unknown.get("edits").is_none());
    assert_eq!(server.shutdown(), Some(0));
}
