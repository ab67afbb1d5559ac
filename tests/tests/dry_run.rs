//! The dry run from the command line: `fdl run` and `fdl test` end to end (output, exit
//! statuses, clear messages for bad files), and every flow of the shared documentation
//! corpus and of `examples/` run with default mocks without an internal error.
//!
//! The corpus run is also a snapshot (`dry_run_corpus.snapshot`): how each doc example
//! ends, so a change in semantics shows up in review. `quirks/` is skipped: its files are
//! invalid YAML on purpose (Q3, valid, is a reconstruction, not a doc example).

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{Scratch, arg, fdl, repo_root};

fn corpus_root() -> PathBuf {
    std::env::var_os("FDL_SPEC_EXAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/spec/examples"))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() && name != "quirks" && name != "templates" && name != "broken" {
            collect(&path, out);
        } else if name.ends_with(".yaml") && !name.ends_with(".fdltest.yaml") {
            out.push(path);
        }
    }
}

/// Errors the references say Alibaba's own examples contain (a StartAt naming no state).
fn documented_doc_bug(name: &str, code: &str) -> bool {
    code == "DryRun.InvalidDefinition" && ["07-", "08-", "23-"].iter().any(|p| name.starts_with(p))
}

#[test]
fn every_example_flow_runs_with_default_mocks() {
    let mut files = Vec::new();
    let root = corpus_root();
    let corpus = root.is_dir();
    if corpus {
        collect(&root, &mut files);
    } else {
        eprintln!("note: example corpus not found at {}; only examples/ runs", root.display());
    }
    let own_start = files.len();
    collect(&repo_root().join("examples"), &mut files);
    assert!(files.len() > own_start, "examples/ has flows");
    let mut problems = Vec::new();
    let mut snapshot = String::new();
    for file in &files {
        let run = fdl(&["run", arg(file), "--force", "--format", "json", "--seed", "1"]);
        let relative = file
            .strip_prefix(&root)
            .or_else(|_| file.strip_prefix(repo_root()))
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        // A fragment that is no flow at all is refused as such (exit 1), not run.
        if run.code == 1 && run.stdout.is_empty() {
            assert!(run.stderr.contains("not a flow definition"), "{relative}: {}", run.stderr);
            snapshot.push_str(&format!("{relative}: not a flow\n"));
            continue;
        }
        if run.code != 0 && run.code != 1 {
            problems.push(format!("{relative}: exit {} {}", run.code, run.stderr));
            continue;
        }
        let result: Value = match serde_json::from_str(&run.stdout) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{relative}: not JSON ({e}): {}", run.stdout));
                continue;
            }
        };
        let status = result["status"].as_str().unwrap_or("?");
        let code = result["error"]["code"].as_str().unwrap_or("");
        if code.starts_with("DryRun.") && !documented_doc_bug(&name, code) {
            problems.push(format!("{relative}: {status} {code}: {}", result["error"]["detail"]));
        }
        let events = result["events"].as_array().map_or(0, Vec::len);
        let unmocked = result["warnings"]
            .as_array()
            .map_or(0, |w| w.iter().filter(|w| w["code"] == "unmocked-task").count());
        snapshot
            .push_str(&format!("{relative}: {status} {code} ({events} events, {unmocked} unmocked tasks)\n"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    if corpus && std::env::var_os("FDL_SPEC_EXAMPLES").is_none() {
        expect_test::expect_file!["dry_run_corpus.snapshot"].assert_eq(&snapshot);
    }
}

const FLOW: &str = "Type: StateMachine\nName: greet\nSpecVersion: v1\nStartAt: Hello\nStates:\n  - Type: Task\n    Name: Hello\n    Action: FC:InvokeFunction\n    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:1:functions/hello/LATEST\n      invocationType: Sync\n      body:\n        name.$: $Input.name\n    OutputConstructor:\n      greeting.$: $Output.Body.greeting\n    End: true\n";

#[test]
fn fdl_run_prints_the_path_and_exits_by_status() {
    let scratch = Scratch::new("run");
    let flow = scratch.file("greet.fdl.yaml", FLOW);
    let mocks = scratch.file("greet.mocks.yaml", "States:\n  Hello: {Return: {Body: {greeting: hi Ada}}}\n");
    let run =
        fdl(&["run", arg(&flow), "--input", r#"{"name": "Ada"}"#, "--mocks", arg(&mocks), "--seed", "3"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("Hello (Task)  t=0s"), "{}", run.stdout);
    assert!(run.stdout.contains(r#"params {"resourceArn":"acs:fc:cn-hangzhou:1:functions/hello/LATEST","invocationType":"Sync","body":{"name":"Ada"}}"#), "{}", run.stdout);
    assert!(
        run.stdout.contains("✓ Succeeded in 0s (virtual)\n  output {\"greeting\":\"hi Ada\"}"),
        "{}",
        run.stdout
    );

    // JSON: the result object; a failure exits 1.
    let failing = scratch.file(
        "fail.mocks.yaml",
        "Actions:\n  FC:InvokeFunction: {Throw: {Error: FC.FunctionNotFound, Cause: gone}}\n",
    );
    let run = fdl(&["run", arg(&flow), "--mocks", arg(&failing), "--format", "json"]);
    assert_eq!(run.code, 1);
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(result["status"], "Failed");
    assert_eq!(result["error"]["code"], "FC.FunctionNotFound");
    for key in ["status", "output", "error", "virtualSeconds", "warnings", "events"] {
        assert!(result.get(key).is_some(), "no `{key}` in {result}");
    }
}

#[test]
fn fdl_run_refuses_bad_flows_inputs_and_mocks_clearly() {
    let scratch = Scratch::new("run-errors");
    let flow = scratch.file("greet.fdl.yaml", FLOW);
    let broken = scratch.file("broken.fdl.yaml", FLOW.replace("End: true", "Next: Nowhere"));
    let run = fdl(&["run", arg(&broken)]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[unknown-state]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("has 2 errors the service would reject; fix them, or run it anyway with --force"),
        "{}",
        run.stderr
    );
    let run = fdl(&["run", arg(&broken), "--force", "--format", "json"]);
    assert_eq!(run.code, 1);
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(result["error"]["code"], "DryRun.InvalidDefinition");

    let run = fdl(&["run", arg(&flow), "--input", "{not json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: --input: the argument is not valid JSON"), "{}", run.stderr);

    let mocks = scratch.file("bad.mocks.yaml", "States:\n  Hello:\n    Retrun: {Body: {}}\n");
    let run = fdl(&["run", arg(&flow), "--mocks", arg(&mocks)]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "error: {}:3:5: unknown key `Retrun` in the mock of `Hello` (did you mean `Return`?); expected `Return`, `Throw`, `Callback`, `Delay`\n",
            mocks.display()
        )
    );
    let run = fdl(&["run", "/definitely/not/here.fdl.yaml"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "error: /definitely/not/here.fdl.yaml: no such file or directory\n")
    );
}

/// A constructor that would build a value over the cap fails the run with the data-limit
/// error (no Catch takes it), quickly and with little memory; `--format json` says the same.
#[test]
fn fdl_run_caps_the_values_expressions_build() {
    let scratch = Scratch::new("run-cap");
    let args = vec!["$Input.s"; 400].join(", ");
    let flow = scratch.file(
        "bomb.fdl.yaml",
        format!(
            "Type: StateMachine\nName: bomb\nSpecVersion: v1\nStartAt: Build\nStates:\n  - Type: Pass\n    Name: Build\n    OutputConstructor:\n      big.$: format(\"{}\", {args})\n    End: true\n",
            "{}".repeat(400)
        ),
    );
    let input = scratch.file("input.json", format!(r#"{{"s": "{}"}}"#, "x".repeat(60_000)));
    let input = format!("@{}", arg(&input));
    let run = fdl(&["run", arg(&flow), "--input", &input, "--format", "json"]);
    assert_eq!(run.code, 1, "{run:#?}");
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(result["status"], "Failed");
    assert_eq!(result["error"]["code"], "FnF.DataLimitExceeded");
    let detail = result["error"]["detail"].as_str().unwrap_or_default();
    assert!(detail.starts_with("the OutputConstructor of `Build`: `format("), "{detail}");
    assert!(detail.contains("would be over 1 MiB as JSON"), "{detail}");
    let run = fdl(&["run", arg(&flow), "--input", &input]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.contains("FnF.DataLimitExceeded"), "{}", run.stdout);
}

#[test]
fn fdl_test_reports_like_cargo_test() {
    let scratch = Scratch::new("test");
    scratch.file("greet.fdl.yaml", FLOW);
    scratch.file(
        "greet.fdltest.yaml",
        "Flow: greet.fdl.yaml\nStates:\n  Hello: {Return: {Body: {greeting: hi}}}\nTests:\n  greets:\n    Input: {name: Ada}\n    Expect:\n      Output: {greeting: hi}\n      Parameters:\n        Hello: {body: {name: Ada}}\n  expects too much:\n    Expect:\n      Status: Failed\n      NotRan: [Hello]\n",
    );
    let run = support::fdl_in(&scratch.path, &["test"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.contains("running 2 tests from ./greet.fdltest.yaml (flow ./greet.fdl.yaml)\ntest greets ... ok\ntest expects too much ... FAILED\n"), "{}", run.stdout);
    assert!(run.stdout.contains("---- ./greet.fdltest.yaml: expects too much ----\n  status: expected Failed, got Succeeded\n  `Hello` was expected not to run, but it did\n"), "{}", run.stdout);
    assert!(run.stdout.ends_with("test result: FAILED. 1 passed; 1 failed\n"), "{}", run.stdout);

    let run = support::fdl_in(&scratch.path, &["test", "--case", "greets", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:#?}");
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!((report["passed"].as_u64(), report["failed"].as_u64()), (Some(1), Some(0)));
    assert_eq!(
        report["files"][0]["cases"][0]["range"]["start"],
        serde_json::json!({"line": 4, "character": 2})
    );

    // A mocks file with a `Tests:` section is found too.
    let other = Scratch::new("test-mocks");
    other.file("greet.fdl.yaml", FLOW);
    other.file(
        "greet.mocks.yaml",
        "Flow: greet.fdl.yaml\nStates:\n  Hello: {Return: {Body: {greeting: yo}}}\nTests:\n  yo:\n    Expect: {Output: {greeting: yo}}\n",
    );
    other.file("plain.mocks.yaml", "States:\n  Hello: {Return: {}}\n");
    let run = support::fdl_in(&other.path, &["test"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("running 1 test from ./greet.mocks.yaml"), "{}", run.stdout);

    // A broken test file fails with its position; no test file is a usage error.
    scratch.file("bad.fdltest.yaml", "Flow: greet.fdl.yaml\nTests:\n  t:\n    Expect: {Status: Fine}\n");
    let run = support::fdl_in(&scratch.path, &["test", "bad.fdltest.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("error: bad.fdltest.yaml:4:22: `Status` is one of Succeeded, Failed, TimedOut, StepLimit, not `Fine`"), "{}", run.stdout);
    let empty = Scratch::new("test-empty");
    let run = support::fdl_in(&empty.path, &["test"]);
    assert_eq!((run.code, run.stderr.as_str()), (2, "error: no test files (*.fdltest.yaml) found under .\n"));
}

/// `--vars` fills deploy-time placeholders; without it they stay text with a warning; a
/// vars file that is not a mapping is a usage error.
#[test]
fn fdl_run_takes_placeholder_values_from_a_vars_file() {
    let dir = Scratch::new("vars");
    let flow = dir.file(
        "flow.fdl.yaml",
        "Type: StateMachine\nSpecVersion: v1\nName: ${vars.name}-flow\nStartAt: 准备\nStates:\n  - Type: Pass\n    Name: 准备\n    OutputConstructor:\n      region: ${vars.region}\n      big.$: $Input.n > ${vars.limit}\n    End: true\n",
    );
    let vars = dir.file("vars.yaml", "vars.region: cn-hangzhou\nvars.limit: 10\n");
    let run = fdl(&["run", arg(&flow), "--input", "{\"n\": 50}", "--vars", arg(&vars), "--format", "json"]);
    assert_eq!(run.code, 0, "{run:#?}");
    let result: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(result["output"], serde_json::json!({"region": "cn-hangzhou", "big": true}));
    let without = fdl(&["run", arg(&flow), "--input", "{\"n\": 50}", "--format", "json"]);
    let result: Value = serde_json::from_str(&without.stdout).expect("JSON");
    let codes: Vec<&str> =
        result["warnings"].as_array().unwrap().iter().filter_map(|w| w["code"].as_str()).collect();
    assert!(codes.contains(&"deploy-placeholder"), "{}", without.stdout);
    let bad = dir.file("bad.yaml", "- a\n- b\n");
    let run = fdl(&["run", arg(&flow), "--vars", arg(&bad)]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("a vars file is a mapping of placeholders to values"), "{}", run.stderr);
}
