//! "Migrate to CloudFlow" over the protocol: the code actions on a legacy flow (a new file
//! next to it, or the document replaced), the new file opened by `window/showDocument`,
//! clean diagnostics on the migrated text, and nothing offered where it does not apply.

#[path = "support/lsp.rs"]
mod lsp_client;
mod support;

use std::sync::{Arc, Mutex};

use lsp_client::LspServer;
use serde_json::{Value, json};
use support::{Scratch, arg, fdl};

const LEGACY: &str = "version: v1\ntype: flow\nname: orders\nsteps:\n  - type: task\n    name: charge # the payment\n    resourceArn: acs:fc:::services/shop/functions/charge\n    outputMappings:\n      - target: paid\n        source: $local.paid\n  - type: succeed\n    name: done\n";

fn actions(server: &mut LspServer, uri: &str, only: Option<&[&str]>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(kinds) = only {
        context["only"] = json!(kinds);
    }
    let at = json!({"line": 5, "character": 10});
    let result = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": at, "end": at}, "context": context}),
    );
    result.as_array().cloned().unwrap_or_default()
}

fn titles(actions: &[Value]) -> Vec<&str> {
    actions.iter().filter_map(|a| a["title"].as_str()).collect()
}

#[test]
fn migrate_to_a_new_file_or_in_place() {
    let scratch = Scratch::new("lsp-migrate");
    let flow = scratch.file("orders.flow.yaml", LEGACY);
    let uri = format!("file://{}", arg(&flow));
    let target_uri = format!("file://{}", arg(&scratch.path.join("orders.fdl.yaml")));
    let mut server = LspServer::start();
    let shown: Arc<Mutex<Vec<Value>>> = Arc::default();
    let log = Arc::clone(&shown);
    server.on_request = Box::new(move |method, params| {
        (method == "window/showDocument").then(|| {
            log.lock().unwrap().push(params.clone());
            json!({"success": true})
        })
    });
    server.initialize(json!({
        "workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}},
        "window": {"showDocument": {"support": true}}
    }));
    server.open(&uri, LEGACY);
    let offered = actions(&mut server, &uri, None);
    assert_eq!(
        titles(&offered),
        ["Migrate to CloudFlow: new file orders.fdl.yaml", "Migrate to CloudFlow: replace this document"]
    );
    // The new file: created, then filled with what `fdl migrate` writes.
    let expected = fdl(&["migrate", arg(&flow)]).stdout;
    let new_file = &offered[0];
    assert_eq!(new_file["kind"], "refactor.rewrite");
    let changes = new_file["edit"]["documentChanges"].as_array().expect("document changes");
    assert_eq!(
        changes[0],
        json!({"kind": "create", "uri": target_uri, "options": {"overwrite": false, "ignoreIfExists": false}})
    );
    assert_eq!(changes[1]["textDocument"]["uri"], target_uri);
    assert_eq!(changes[1]["edits"][0]["newText"].as_str(), Some(expected.as_str()));
    // Its command opens the new file.
    let command = &new_file["command"];
    assert_eq!(command["command"], "fdl.openMigrated");
    let result = server.request(
        "workspace/executeCommand",
        json!({"command": "fdl.openMigrated", "arguments": command["arguments"]}),
    );
    assert_eq!(result, json!(true));
    assert_eq!(shown.lock().unwrap()[0]["uri"], target_uri);
    // Opened, the migrated flow is clean.
    server.open(&target_uri, &expected);
    let diagnostics = server.diagnostics(&target_uri, None);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    // In place: one edit of the whole text.
    let replace = &offered[1]["edit"]["changes"][&uri][0];
    assert_eq!(
        replace["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 12, "character": 0}})
    );
    assert_eq!(replace["newText"].as_str(), Some(expected.as_str()));
    // Asked for quick fixes only, or on a CloudFlow flow: nothing to migrate.
    assert_eq!(titles(&actions(&mut server, &uri, Some(&["quickfix"]))), Vec::<&str>::new());
    assert_eq!(actions(&mut server, &uri, Some(&["refactor"])).len(), 2);
    server.open(&target_uri, &expected);
    assert_eq!(titles(&actions(&mut server, &target_uri, None)), Vec::<&str>::new());
    server.shutdown();
}

#[test]
fn clients_that_cannot_create_files_get_the_replacement_only() {
    let mut server = LspServer::start();
    server.initialize(json!({}));
    let uri = "file:///tmp/fdl-lsp-migrate/orders.flow.yaml";
    server.open(uri, LEGACY);
    let offered = actions(&mut server, uri, None);
    assert_eq!(titles(&offered), ["Migrate to CloudFlow: replace this document"]);
    assert!(offered[0]["command"].is_null());
    server.shutdown();
}
