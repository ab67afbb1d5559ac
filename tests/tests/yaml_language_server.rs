//! The checked-in JSON Schemas (`schema/*.schema.json`) must be enough for a user of
//! yaml-language-server (e.g. VS Code's Red Hat YAML extension) without any fdl tooling:
//! this runs the real server from `tests/yamlls` (install it with
//! `cd tests/yamlls && npm ci`) over LSP and checks what such a user sees: diagnostics on
//! the lines of typical mistakes, key and value completion, hover text.
//!
//! Without the server installed the tests only print a note, so that developers without
//! Node still get a green `cargo test`; CI sets `FDL_REQUIRE_YAMLLS=1` to make that a
//! failure instead.

mod support;

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use fdl_wire_client::Connection;
use serde_json::{Value, json};

/// How long one exchange (start-up, a request, the diagnostics of one document) may
/// take. The server answers in well under a second; the margin is for a loaded CI box.
const TIMEOUT: Duration = Duration::from_secs(30);

const CLOUDFLOW_HEADER: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: Call\nStates:\n";
const CLOUDFLOW_STATE_TYPES: &[&str] =
    &["Task", "Pass", "Wait", "Choice", "Parallel", "Map", "Succeed", "Fail"];
const TASK_MODES: &[&str] = &["RequestComplete", "WaitForSystemCallback", "WaitForCustomCallback"];
/// Marks the position of a completion or hover request in a test document.
const CURSOR: &str = "<|>";

// ---------------------------------------------------------------------------------------
// Validation

#[test]
fn valid_examples_get_no_schema_diagnostics() {
    let Some(mut server) = YamlLs::start() else { return };
    for (example, key) in [("video-pipeline.fdl.yaml", "TaskMode"), ("legacy-batch.flow.yaml", "resourceArn")]
    {
        let text = example_text(example);
        let (doc, diagnostics) = server.open(example, &text);
        let diagnostics = schema_diagnostics(&diagnostics);
        assert!(diagnostics.is_empty(), "{example}: expected no schema diagnostics, got {diagnostics:#?}");
        // No diagnostics would also be what a document without a schema gets; a hover
        // with the schema's text shows that the schema was applied.
        let line = line_index(&text, &format!("    {key}: "));
        let hover = server.hover(&doc, line, 6);
        let schema_file = format!("{}.schema.json", dialect_of(example));
        assert!(
            hover.contains(&schema_file),
            "{example}: hover on `{key}` is not from {schema_file}: {hover}"
        );
    }
}

#[test]
fn typical_mistakes_are_reported_on_their_line() {
    let Some(mut server) = YamlLs::start() else { return };
    let video = example_text("video-pipeline.fdl.yaml");
    let legacy = example_text("legacy-batch.flow.yaml");
    let mistakes = [
        Mistake::new(
            "unknown-task-key.fdl.yaml",
            &video,
            "    Action: FC:InvokeFunction",
            "    Acton: FC:InvokeFunction",
        )
        .reported_with("Acton"),
        Mistake::new("wrong-type.fdl.yaml", &video, "  - Type: Wait", "  - Type: Wiat")
            .reported_with("Valid values"),
        Mistake::new("max-concurrency.fdl.yaml", &video, "    MaxConcurrency: 10", "    MaxConcurrency: 41")
            .reported_with("maximum of 40"),
        Mistake::new(
            "wait-seconds-twice.fdl.yaml",
            &video,
            "    Seconds: 120",
            "    Seconds: 120\n    Seconds.$: $Input.delay",
        )
        .reported_with("`Seconds.$`"),
        Mistake::new(
            "next-and-end.fdl.yaml",
            &video,
            "    Next: 剪辑与封面",
            "    Next: 剪辑与封面\n    End: true",
        )
        .reported_with("`End: true`"),
        Mistake::new(
            "unknown-step-key.flow.yaml",
            &legacy,
            "    timeoutSeconds: 60",
            "    timeoutSeconds: 60\n    resorceArn: x",
        )
        .reported_with("resorceArn"),
    ];
    for mistake in mistakes {
        let Mistake { name, text, lines, needle } = mistake;
        let (_, diagnostics) = server.open(name, &text);
        let diagnostics = schema_diagnostics(&diagnostics);
        let on_line =
            |d: &Value| d["range"]["start"]["line"].as_u64().is_some_and(|l| lines.contains(&(l as u32)));
        let mentions = |d: &Value| d["message"].as_str().is_some_and(|m| m.contains(needle));
        assert!(
            diagnostics.iter().any(|d| on_line(d) && mentions(d)),
            "{name}: expected a diagnostic mentioning {needle:?} on line {} of:\n{}\ngot {diagnostics:#?}",
            lines.start + 1,
            text.lines().skip(lines.start as usize).take(lines.len()).collect::<Vec<_>>().join("\n"),
        );
    }
}

/// An example with one line changed into a mistake.
struct Mistake {
    name: &'static str,
    text: String,
    /// The 0-based lines of the change, one of which must carry the diagnostic: a
    /// conflict between two keys may be reported at either key, but not elsewhere.
    lines: Range<u32>,
    /// Part of the expected message.
    needle: &'static str,
}

impl Mistake {
    /// `text` with the line `old` replaced by `new` (one or more lines).
    fn new(name: &'static str, text: &str, old: &str, new: &str) -> Mistake {
        let line = line_index(text, old);
        assert_eq!(text.lines().nth(line as usize), Some(old), "{name}: `{old}` must be a whole line");
        let mut lines: Vec<&str> = text.lines().collect();
        lines[line as usize] = new;
        let changed = line..line + new.lines().count() as u32;
        Mistake { name, text: lines.join("\n") + "\n", lines: changed, needle: "" }
    }

    fn reported_with(self, needle: &'static str) -> Mistake {
        Mistake { needle, ..self }
    }
}

// ---------------------------------------------------------------------------------------
// Completion and hover

#[test]
fn cloudflow_completion_and_hover() {
    let Some(mut server) = YamlLs::start() else { return };

    // A new key in a Task state: that state's keys, not those of other states.
    let labels = server.complete_at(
        "new-task-key.fdl.yaml",
        &format!("{CLOUDFLOW_HEADER}  - Type: Task\n    Name: Call\n    {CURSOR}\n"),
    );
    for key in ["Action", "TaskMode", "Parameters", "Next", "End"] {
        assert!(labels.iter().any(|l| l == key), "a Task state should offer `{key}`: {labels:?}");
    }
    for key in ["ItemsPath", "Seconds", "Type", "Name"] {
        assert!(!labels.iter().any(|l| l == key), "a Task state should not offer `{key}`: {labels:?}");
    }

    let labels = server.complete_at(
        "task-mode-value.fdl.yaml",
        &format!(
            "{CLOUDFLOW_HEADER}  - Type: Task\n    Name: Call\n    Action: FC:InvokeFunction\n    TaskMode: {CURSOR}\n    End: true\n"
        ),
    );
    assert_same_set(&labels, TASK_MODES, "TaskMode values");

    let labels =
        server.complete_at("type-value.fdl.yaml", &format!("{CLOUDFLOW_HEADER}  - Type: {CURSOR}\n"));
    assert_same_set(&labels, CLOUDFLOW_STATE_TYPES, "state types");

    // Before its `Type` is known, a state offers only `Type`, which decides the rest.
    let labels = server.complete_at("new-state.fdl.yaml", &format!("{CLOUDFLOW_HEADER}  - {CURSOR}\n"));
    assert!(labels.iter().any(|l| l == "Type"), "a new state should offer `Type`: {labels:?}");
    assert!(!labels.iter().any(|l| l == "Action"), "keys of one state type before `Type`: {labels:?}");

    let hover = server.hover_at(
        "hover.fdl.yaml",
        &format!("{CLOUDFLOW_HEADER}  - Type: Task\n    Name: Call\n    Task{CURSOR}Mode: RequestComplete\n    End: true\n"),
    );
    let description = schema_description("cloudflow", &["$defs", "TaskState", "properties", "TaskMode"]);
    let first_sentence = description.split(". ").next().expect("split yields one part");
    assert!(hover.contains(first_sentence), "hover on TaskMode should contain {first_sentence:?}: {hover}");
}

#[test]
fn legacy_completion() {
    let Some(mut server) = YamlLs::start() else { return };
    let labels = server.complete_at(
        "new-step-key.flow.yaml",
        &format!("version: v1\ntype: flow\nsteps:\n  - type: task\n    name: call\n    {CURSOR}\n"),
    );
    for key in ["resourceArn", "pattern", "inputMappings", "retry"] {
        assert!(labels.iter().any(|l| l == key), "a task step should offer `{key}`: {labels:?}");
    }
    assert!(!labels.iter().any(|l| l == "duration"), "a task step should not offer `duration`: {labels:?}");
}

// ---------------------------------------------------------------------------------------
// Helpers

fn example_text(name: &str) -> String {
    let path = support::repo_root().join("examples").join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn dialect_of(document_name: &str) -> &'static str {
    if document_name.ends_with(".flow.yaml") { "legacy" } else { "cloudflow" }
}

/// `text` without its [`CURSOR`], and the 0-based line and (ASCII) column of it.
fn split_cursor(text: &str) -> (String, u32, u32) {
    let offset = text.find(CURSOR).expect("the document marks the cursor");
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let column = (before.len() - before.rfind('\n').map_or(0, |i| i + 1)) as u32;
    (text.replacen(CURSOR, "", 1), line, column)
}

/// 0-based index of the first line starting with `prefix`.
fn line_index(text: &str, prefix: &str) -> u32 {
    let index = text.lines().position(|l| l.starts_with(prefix));
    index.unwrap_or_else(|| panic!("no line starts with {prefix:?}")) as u32
}

/// Diagnostics from schema validation, as opposed to YAML syntax or formatting.
fn schema_diagnostics(diagnostics: &[Value]) -> Vec<Value> {
    let from_schema = |d: &&Value| d["source"].as_str().is_some_and(|s| s.starts_with("yaml-schema"));
    diagnostics.iter().filter(from_schema).cloned().collect()
}

/// The `description` at `path` in the checked-in schema of `dialect`.
fn schema_description(dialect: &str, path: &[&str]) -> String {
    let text = fs::read_to_string(schema_path(dialect)).expect("checked-in schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let node = path.iter().fold(&schema, |node, key| &node[*key]);
    node["description"].as_str().unwrap_or_else(|| panic!("no description at {path:?}")).to_owned()
}

fn schema_path(dialect: &str) -> PathBuf {
    support::repo_root().join("schema").join(format!("{dialect}.schema.json"))
}

#[track_caller]
fn assert_same_set(labels: &[String], expected: &[&str], what: &str) {
    let mut got: Vec<&str> = labels.iter().map(String::as_str).collect();
    let mut want = expected.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "completion of {what}");
}

/// `file://` URI of an absolute path, percent-encoding what a URI path cannot hold.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().expect("UTF-8 path").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

// ---------------------------------------------------------------------------------------
// A minimal LSP client

/// A running yaml-language-server with both schemas configured: `*.fdl.yaml` documents
/// use the CloudFlow schema, `*.flow.yaml` the legacy one. Killed when dropped.
struct YamlLs {
    connection: Connection,
    stderr: Arc<Mutex<String>>,
    next_id: u64,
    settings: Value,
    diagnostics: HashMap<String, Vec<Value>>,
}

impl YamlLs {
    /// The started and configured server, or `None` (after a note) when it is not
    /// installed and `FDL_REQUIRE_YAMLLS` does not ask for it.
    fn start() -> Option<YamlLs> {
        let root = support::repo_root();
        let script = root.join("tests/yamlls/node_modules/yaml-language-server/bin/yaml-language-server");
        let required = std::env::var("FDL_REQUIRE_YAMLLS").is_ok_and(|v| v == "1");
        let skip = |why: String| {
            assert!(!required, "{why}; FDL_REQUIRE_YAMLLS=1 needs it: run `npm ci` in tests/yamlls");
            eprintln!("note: skipping the yaml-language-server test: {why} (run `npm ci` in tests/yamlls)");
            None
        };
        if !script.is_file() {
            return skip(format!("{} is missing", script.display()));
        }
        let spawned = Connection::spawn(
            Command::new("node").arg(&script).arg("--stdio").current_dir(&root).stderr(Stdio::piped()),
        );
        let mut connection = match spawned {
            Ok(connection) => connection,
            Err(e) => return skip(format!("cannot run node: {e}")),
        };
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = connection.take_stderr().expect("piped stderr");
        let sink = Arc::clone(&stderr);
        thread::spawn(move || {
            let mut chunk = [0; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                sink.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        let settings = json!({
            "yaml": {
                "schemas": {
                    file_uri(&schema_path("cloudflow")): "*.fdl.yaml",
                    file_uri(&schema_path("legacy")): "*.flow.yaml",
                },
                "validate": true,
                "completion": true,
                "hover": true,
            }
        });
        let mut server = YamlLs { connection, stderr, next_id: 0, settings, diagnostics: HashMap::new() };
        server.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": null,
                "capabilities": {
                    "workspace": { "configuration": true },
                    "textDocument": {
                        "completion": { "completionItem": { "snippetSupport": true } },
                        "hover": { "contentFormat": ["markdown", "plaintext"] },
                    },
                },
            }),
        );
        server.notify("initialized", json!({}));
        let settings = server.settings.clone();
        server.notify("workspace/didChangeConfiguration", json!({ "settings": settings }));
        server.wait_until_ready();
        Some(server)
    }

    /// Opens a document (named like a file, which picks the schema) and returns its URI
    /// and diagnostics. Waiting for those also makes sure that completion and hover
    /// requests see the document.
    fn open(&mut self, name: &str, text: &str) -> (String, Vec<Value>) {
        let uri = format!("file:///fdl-yamlls-test/{name}");
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
        let diagnostics = self.diagnostics(&uri);
        (uri, diagnostics)
    }

    /// Waits until the schema settings are in effect. They arrive asynchronously (the
    /// server asks for them with `workspace/configuration`, then loads the files), and
    /// until then a document is validated and completed without a schema, which would
    /// make a clean document look like a passing test. A document that breaks each
    /// schema is revalidated until both schemas report it.
    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + TIMEOUT;
        for name in ["ready.fdl.yaml", "ready.flow.yaml"] {
            let text = "unknownTopLevelKey: 1\n";
            let (uri, mut diagnostics) = self.open(name, text);
            for version in 2.. {
                if !schema_diagnostics(&diagnostics).is_empty() {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "yaml-language-server did not apply the schema to {name} within {TIMEOUT:?}{}",
                    self.stderr_note()
                );
                thread::sleep(Duration::from_millis(50));
                self.notify(
                    "textDocument/didChange",
                    json!({
                        "textDocument": { "uri": uri, "version": version },
                        "contentChanges": [{ "text": text }],
                    }),
                );
                diagnostics = self.diagnostics(&uri);
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(diagnostics) = self.diagnostics.remove(uri) {
                return diagnostics;
            }
            let message = self.receive(deadline, &format!("diagnostics of {uri}"));
            self.handle(message);
        }
    }

    /// The labels offered at the [`CURSOR`] in a newly opened document.
    fn complete_at(&mut self, name: &str, text: &str) -> Vec<String> {
        let (text, line, column) = split_cursor(text);
        let (uri, _) = self.open(name, &text);
        self.completion(&uri, line, column)
    }

    /// The hover text at the [`CURSOR`] in a newly opened document.
    fn hover_at(&mut self, name: &str, text: &str) -> String {
        let (text, line, column) = split_cursor(text);
        let (uri, _) = self.open(name, &text);
        self.hover(&uri, line, column)
    }

    /// The labels offered at a 0-based line and UTF-16 column.
    fn completion(&mut self, uri: &str, line: u32, character: u32) -> Vec<String> {
        let result = self.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        );
        let items = match &result {
            Value::Array(items) => items,
            Value::Object(list) => list.get("items").and_then(Value::as_array).expect("CompletionList items"),
            _ => return Vec::new(),
        };
        items.iter().filter_map(|item| item["label"].as_str().map(str::to_owned)).collect()
    }

    /// The hover text at a position, or "" when there is none.
    fn hover(&mut self, uri: &str, line: u32, character: u32) -> String {
        let result = self.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        );
        match &result["contents"] {
            Value::String(text) => text.clone(),
            Value::Object(markup) => {
                markup.get("value").and_then(Value::as_str).unwrap_or_default().to_owned()
            }
            _ => String::new(),
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline, &format!("the answer to {method}"));
            if message.get("method").is_none() && message["id"] == id {
                if let Some(error) = message.get("error") {
                    panic!("{method} failed: {error}");
                }
                return message["result"].clone();
            }
            self.handle(message);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Answers the server's own requests and records published diagnostics.
    fn handle(&mut self, message: Value) {
        let method = message["method"].as_str().unwrap_or_default();
        if let Some(id) = message.get("id").filter(|_| !method.is_empty()) {
            // The server asks for its settings through `workspace/configuration` and
            // uses them in place of those from `didChangeConfiguration`.
            let result = match method {
                "workspace/configuration" => {
                    let items = message["params"]["items"].as_array().cloned().unwrap_or_default();
                    let section = |item: &Value| match item["section"].as_str() {
                        Some("yaml") => self.settings["yaml"].clone(),
                        _ => Value::Null,
                    };
                    Value::Array(items.iter().map(section).collect())
                }
                _ => Value::Null,
            };
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
        } else if method == "textDocument/publishDiagnostics" {
            let params = &message["params"];
            let uri = params["uri"].as_str().unwrap_or_default().to_owned();
            let diagnostics = params["diagnostics"].as_array().cloned().unwrap_or_default();
            self.diagnostics.insert(uri, diagnostics);
        }
    }

    fn receive(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        match self.connection.receive(deadline) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => {
                panic!("no {waiting_for} from yaml-language-server within {TIMEOUT:?}{}", self.stderr_note())
            }
            Err(RecvTimeoutError::Disconnected) => {
                // The output ended: give the stderr reader a moment to collect the reason.
                thread::sleep(Duration::from_millis(500));
                panic!("yaml-language-server exited while waiting for {waiting_for}{}", self.stderr_note())
            }
        }
    }

    fn send(&mut self, message: &Value) {
        if let Err(e) = self.connection.send(message) {
            panic!("cannot write to yaml-language-server: {e}{}", self.stderr_note());
        }
    }

    fn stderr_note(&self) -> String {
        let stderr = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
        if stderr.trim().is_empty() { String::new() } else { format!("\nits stderr:\n{stderr}") }
    }
}
