//! Nesting no flow needs cannot crash fdl: collections nested 10,000 deep (the most a file
//! under the 10 MiB limit can nest is a few thousand levels of states, in compact block
//! lists ten thousand), legacy choices and CloudFlow Parallel and Map states nested
//! 700 deep, aliases nested through each other 10,000 times, and a loop that nests a value
//! one level deeper on each pass. `fdl check`, `run`, `graph`, `fmt` and `migrate` answer
//! with a diagnostic or an error, and the language server answers every request
//! about such documents and goes on serving (README, "Reliability").

#[path = "support/lsp.rs"]
mod lsp_client;
mod support;

use lsp_client::LspServer;
use serde_json::{Value, json};
use support::{Scratch, fdl_in};

/// Legacy choices nested `n` deep, each inside the branch of the last, as compactly as
/// block YAML allows (the case that overflowed the stack at about 700).
fn legacy_choices(n: usize) -> String {
    let mut s = String::from("version: v1\ntype: flow\nsteps:\n");
    let mut pad = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "{pad}- type: choice\n{pad}  name: c{i}\n{pad}  choices:\n{pad}  - condition: $.x > {i}\n{pad}    steps:\n"
        ));
        pad.push_str("    ");
    }
    s.push_str(&format!("{pad}- type: pass\n{pad}  name: leaf\n"));
    s
}

/// CloudFlow Parallel (or Map) states nested `n` deep.
fn cloudflow_nested(n: usize, map: bool) -> String {
    let mut s = String::from("Type: StateMachine\nName: deep\nSpecVersion: v1\nStartAt: s0\nStates:\n");
    let mut pad = String::new();
    for i in 0..n {
        let next = i + 1;
        if map {
            s.push_str(&format!(
                "{pad}- Type: Map\n{pad}  Name: s{i}\n{pad}  End: true\n{pad}  ItemsPath: $Input.items\n{pad}  Processor:\n{pad}    StartAt: s{next}\n{pad}    States:\n"
            ));
        } else {
            s.push_str(&format!(
                "{pad}- Type: Parallel\n{pad}  Name: s{i}\n{pad}  End: true\n{pad}  Branches:\n{pad}  - StartAt: s{next}\n{pad}    States:\n"
            ));
        }
        pad.push_str("    ");
    }
    s.push_str(&format!("{pad}- Type: Pass\n{pad}  Name: s{n}\n{pad}  End: true\n"));
    s
}

/// A Pass state whose InputConstructor holds `value`.
fn pass_with(value: &str) -> String {
    format!(
        "Type: StateMachine\nName: deep\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    InputConstructor:\n      x: {value}\n    End: true\n"
    )
}

/// `n` anchors, each holding an alias of the one before.
fn alias_chain(n: usize) -> String {
    let mut s = String::from(
        "Type: StateMachine\nName: deep\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n    InputConstructor:\n      k0: &a0 [1]\n",
    );
    for k in 1..n {
        s.push_str(&format!("      k{k}: &a{k} [*a{}]\n", k - 1));
    }
    s.push_str(&format!("      last: *a{}\n", n - 1));
    s
}

/// Every deep document, with a name and the message its diagnostics must include.
fn documents() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "block-lists",
            pass_with(&format!("\n        {}x", "- ".repeat(10_000))),
            "nested more than 128 levels",
        ),
        ("flow-lists", pass_with(&format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000))), ""),
        ("flow-maps", pass_with(&format!("{}1{}", "{a: ".repeat(10_000), "}".repeat(10_000))), ""),
        ("legacy-choices", legacy_choices(700), "nested more than 128 levels"),
        ("parallels", cloudflow_nested(600, false), "nested more than 128 levels"),
        ("maps", cloudflow_nested(600, true), "nested more than 128 levels"),
        ("alias-chain", alias_chain(10_000), "aliases of this document"),
    ]
}

#[test]
fn the_command_line_reports_deep_nesting_and_never_overflows() {
    let scratch = Scratch::new("deep");
    for (name, text, message) in documents() {
        let file = format!("{name}.yaml");
        scratch.file(&file, &text);
        let check = fdl_in(&scratch.path, &["check", &file]);
        assert_eq!(check.code, 1, "{name}: {check:#?}");
        assert!(check.stdout.contains(message), "{name}: {}", check.stdout);
        let json = fdl_in(&scratch.path, &["check", "--format", "json", &file]);
        assert_eq!(json.code, 1, "{name}");
        assert!(!json.codes().is_empty());
        // A flow with errors is not run; neither graph, fmt nor migrate overflows.
        for args in [
            vec!["run", file.as_str()],
            vec!["graph", file.as_str()],
            vec!["fmt", "--check", file.as_str()],
            vec!["migrate", file.as_str()],
        ] {
            let run = fdl_in(&scratch.path, &args);
            assert!(
                matches!(run.code, 0..=2),
                "{name}: fdl {args:?} ended with {}: {}",
                run.code,
                run.stderr
            );
        }
    }
}

/// A loop that wraps `$Input` in one more list on each pass, with room for 100,000
/// steps: the run fails at the dry run's bound on value nesting, and the result is printed
/// in both formats, the JSON one readable by serde_json (which refuses 128 levels).
#[test]
fn a_run_that_nests_values_ever_deeper_stops() {
    let scratch = Scratch::new("deep-run");
    scratch.file(
        "wrap.yaml",
        "Type: StateMachine\nName: wrap\nSpecVersion: v1\nStartAt: Wrap\nStates:\n  - Type: Pass\n    Name: Wrap\n    InputConstructor:\n      a.$: '[$Input]'\n    Next: Loop\n  - Type: Choice\n    Name: Loop\n    Branches:\n      - Condition: $Input.a == 1\n        Next: Done\n    Default: Wrap\n  - Type: Succeed\n    Name: Done\n",
    );
    let run = fdl_in(&scratch.path, &["run", "--max-steps", "100000", "wrap.yaml"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.contains("nests values more than 100 levels deep"), "{}", run.stdout);
    let json = fdl_in(&scratch.path, &["run", "--format", "json", "--max-steps", "100000", "wrap.yaml"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let result: Value = serde_json::from_str(&json.stdout).expect("a JSON result");
    assert_eq!(result["error"]["code"], "FnF.DataLimitExceeded");
}

/// The language server: every document above opened, then every request that walks a
/// tree, at the deepest place and at the start; the server answers them all and is still
/// serving (the requests run on threads with 2 MiB stacks). This client reads answers with
/// serde_json, as Helix and Zed do: selection ranges and symbols nested deeper than its
/// 128 levels would end the session, so they are capped.
#[test]
fn the_language_server_answers_about_deep_documents() {
    let mut server = LspServer::start();
    server.on_request = Box::new(|_, _| Some(Value::Null));
    server
        .initialize(json!({"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}}));
    for (name, text, _) in documents() {
        let uri = format!("file:///deep/{name}.fdl.yaml");
        server.open(&uri, &text);
        let diagnostics = server.diagnostics(&uri, None);
        assert!(!diagnostics.is_empty(), "{name}");
        let doc = json!({"uri": uri});
        let lines = text.lines().count();
        let deepest = text.lines().enumerate().max_by_key(|(_, l)| l.len() - l.trim_start().len());
        let deepest = deepest.map_or(0, |(i, _)| i);
        let spots = [
            json!({"line": 0, "character": 0}),
            json!({"line": deepest, "character": 12}),
            json!({"line": 5, "character": 4000}),
        ];
        for position in &spots {
            let at = json!({"textDocument": doc, "position": position});
            for method in [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/definition",
                "textDocument/references",
                "textDocument/documentHighlight",
                "textDocument/signatureHelp",
            ] {
                let mut params = at.clone();
                if method == "textDocument/references" {
                    params["context"] = json!({"includeDeclaration": true});
                }
                server.request(method, params);
            }
            server.request(
                "textDocument/selectionRange",
                json!({"textDocument": doc, "positions": [position]}),
            );
            let range = json!({"start": {"line": 0, "character": 0}, "end": position});
            server.request(
                "textDocument/codeAction",
                json!({"textDocument": doc, "range": range, "context": {"diagnostics": []}}),
            );
        }
        for method in [
            "textDocument/documentSymbol",
            "textDocument/foldingRange",
            "textDocument/semanticTokens/full",
            "textDocument/codeLens",
            "fdl/graph",
        ] {
            let params =
                if method == "fdl/graph" { json!({"uri": uri}) } else { json!({"textDocument": doc}) };
            server.request(method, params);
        }
        let formatting = server.send_request(
            "textDocument/formatting",
            json!({"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": true}}),
        );
        server.response(formatting);
        let run = server.send_request(
            "workspace/executeCommand",
            json!({"command": "fdl.dryRun", "arguments": [{"uri": uri}]}),
        );
        server.response(run);
        let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}});
        server.request("textDocument/inlayHint", json!({"textDocument": doc, "range": range}));
    }
    let text = server.request("fdl/documentText", json!({"uri": "file:///deep/alias-chain.fdl.yaml"}));
    assert!(text["text"].as_str().is_some_and(|t| t.ends_with("last: *a9999\n")));
    assert_eq!(server.shutdown(), Some(0));
}
