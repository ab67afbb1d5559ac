//! End-to-end tests of `fdl check` and `fdl schema`: exit codes, both output formats, and
//! every way a path can be unusable.

mod support;

use std::fs;

use serde_json::Value;
use support::{Scratch, arg, fdl, fdl_in};

/// A flow whose only problem is a YAML syntax error on line 3 (`[` never closed), so that the
/// expected diagnostic does not depend on the analyser's FDL rules.
const SYNTAX_ERROR_FLOW: &str = "Type: StateMachine\nName: 视频\n  bad: [\n";

// ---------------------------------------------------------------------------------------
// The bundled examples

#[test]
fn bundled_examples_are_clean() {
    let run = fdl(&["check", "examples/"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stdout, "no problems in 9 files\n", "{run:#?}");
    assert_eq!(run.stderr, "");
}

/// The deployment templates in the published shapes (ROS with Fn::Replace and Fn::Sub,
/// Funcraft with DefinitionUri and !Ref, Serverless Devs with a file and an inline flow,
/// Terraform heredoc and string) are found and clean, placeholders and all.
#[test]
fn bundled_templates_are_checked_through_their_flows() {
    let run = fdl(&["check", "--format", "json", "examples/templates"]);
    assert_eq!((run.code, run.json().len()), (0, 0), "{run:#?}");
    let human = fdl(&["check", "examples/templates"]);
    assert_eq!(human.stdout, "no problems in 6 files\n", "{human:#?}");
}

#[test]
fn express_example_is_clean_in_both_modes() {
    // Express rules are a subset of Standard ones, so a valid Express flow is valid Standard.
    for mode in ["standard", "express"] {
        let run = fdl(&["check", "--mode", mode, "examples/order-express.fdl.yaml"]);
        assert_eq!(run.code, 0, "--mode {mode}: {run:#?}");
    }
}

/// Every `# <code>: ...` comment in the broken example announces an error with that code on
/// the next non-comment line; `# <code> (warning): ...` announces a warning.
#[test]
fn broken_example_reports_each_marked_mistake() {
    let file = "examples/broken/typical-mistakes.fdl.yaml";
    let source = fs::read_to_string(support::repo_root().join(file)).expect("broken example");
    let expected = marked_mistakes(&source);
    assert!(expected.len() >= 4, "the broken example should mark at least 4 mistakes: {expected:?}");

    let run = fdl(&["check", "--format", "json", "examples/broken"]);
    assert_eq!(run.code, 1, "{run:#?}");
    let diagnostics = run.json();
    for diagnostic in &diagnostics {
        assert_documented_shape(diagnostic);
        assert_eq!(diagnostic["file"], file);
    }
    for (code, severity, line) in &expected {
        assert!(
            diagnostics.iter().any(|d| d["code"] == code.as_str()
                && d["severity"] == severity.as_str()
                && d["range"]["start"]["line"] == *line),
            "expected {severity} `{code}` on line {} (1-based), got:\n{}",
            line + 1,
            run.stdout
        );
    }

    let human = fdl(&["check", "examples/broken"]);
    assert_eq!(human.code, 1);
    for (code, severity, _) in &expected {
        assert!(human.stdout.contains(&format!("{severity}[{code}]: ")), "{code} in:\n{}", human.stdout);
    }
    let summary = human.stdout.lines().last().unwrap_or_default();
    assert!(summary.ends_with(" in 1 file") && summary.contains("error"), "summary: {summary}");
}

/// (code, severity, 0-based line) for each `# some-code: why` or `# some-code (warning): why`.
fn marked_mistakes(source: &str) -> Vec<(String, String, u64)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut marks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(comment) = line.trim_start().strip_prefix("# ") else { continue };
        let Some((mark, _)) = comment.split_once(": ") else { continue };
        let (code, severity) = match mark.strip_suffix(" (warning)") {
            Some(code) => (code, "warning"),
            None => (mark, "error"),
        };
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            continue;
        }
        let target = (i + 1..lines.len()).find(|&j| !lines[j].trim_start().starts_with('#'));
        marks.push((
            code.to_owned(),
            severity.to_owned(),
            target.expect("a marked line follows its comment") as u64,
        ));
    }
    marks
}

fn assert_documented_shape(d: &Value) {
    let keys: Vec<&str> = d.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["file", "range", "severity", "code", "message"], "{d}");
    assert!(d["file"].is_string(), "{d}");
    for end in ["start", "end"] {
        assert!(d["range"][end]["line"].is_u64() && d["range"][end]["character"].is_u64(), "{d}");
    }
    assert!(
        ["error", "warning", "information", "hint"].contains(&d["severity"].as_str().unwrap_or("")),
        "{d}"
    );
    let code = d["code"].as_str().unwrap_or("");
    assert!(!code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{d}");
    assert!(!d["message"].as_str().unwrap_or("").is_empty(), "{d}");
}

#[test]
fn express_mode_rejects_the_standard_example() {
    // The file says `# fdl: mode=standard`; the command line wins.
    let run = fdl(&["check", "--mode", "express", "--format", "json", "examples/video-pipeline.fdl.yaml"]);
    assert_eq!(run.code, 1, "{run:#?}");
    let codes = run.codes();
    assert!(
        codes.iter().any(|c| c == "unsupported-task-mode" || c == "out-of-range"),
        "expected Express-mode errors, got {codes:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Usage

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["check"],
        &["check", "--mode", "fast", "x.yaml"],
        &["frobnicate"],
        &["schema", "--dialect", "aws"],
    ] {
        let run = fdl(args);
        assert_eq!(run.code, 2, "fdl {args:?}: {run:#?}");
        // Bare `fdl` prints the help; the others a clap error with a hint.
        assert!(
            run.stderr.contains("Usage: fdl") || run.stderr.starts_with("error: "),
            "fdl {args:?}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "fdl {args:?}");
    }
}

#[test]
fn help_and_version() {
    let run = fdl(&["--version"]);
    assert_eq!((run.code, run.stdout.trim()), (0, "fdl 0.1.0"));
    let run = fdl(&["--help"]);
    assert_eq!(run.code, 0);
    for word in ["check", "schema", "CloudFlow", "Exit status"] {
        assert!(run.stdout.contains(word), "`{word}` missing from --help:\n{}", run.stdout);
    }
    let run = fdl(&["check", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("--mode") && run.stdout.contains("--format"), "{}", run.stdout);
}

#[test]
fn schema_prints_json_for_both_dialects() {
    for args in [&["schema"][..], &["schema", "--dialect", "cloudflow"], &["schema", "--dialect", "legacy"]] {
        let run = fdl(args);
        assert_eq!(run.code, 0, "fdl {args:?}: {}", run.stderr);
        let schema: Value = serde_json::from_str(&run.stdout).expect("the schema is JSON");
        assert!(schema.is_object(), "fdl {args:?}");
    }
    assert_ne!(fdl(&["schema"]).stdout, fdl(&["schema", "--dialect", "legacy"]).stdout);
}

// ---------------------------------------------------------------------------------------
// Unusable paths: one clear line on stderr naming the path, exit 2, never a panic

fn assert_trouble(run: &support::Run, path: &str, reason: &str) {
    assert_eq!(run.code, 2, "{run:#?}");
    let line =
        run.stderr.lines().find(|l| l.contains(path)).unwrap_or_else(|| panic!("{path} not named: {run:#?}"));
    assert!(line.starts_with("error: ") && line.contains(reason), "`{reason}` not in: {line}");
}

/// A FIFO would block `open` until a writer comes; a device never ends. Both are refused
/// before they are opened.
#[cfg(unix)]
#[test]
fn pipes_and_devices_are_not_read() {
    let dir = Scratch::new("fifo");
    let fifo = dir.path.join("flow.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let run = fdl(&["check", arg(&fifo)]);
    assert_trouble(&run, arg(&fifo), "not a regular file");
    let run = fdl(&["check", "/dev/zero"]);
    assert_trouble(&run, "/dev/zero", "not a regular file");
}

#[test]
fn nonexistent_path() {
    let run = fdl(&["check", "examples/no-such-flow.yaml"]);
    assert_trouble(&run, "examples/no-such-flow.yaml", "no such file or directory");
    assert_eq!(run.stdout, "");
}

#[test]
fn binary_file() {
    let scratch = Scratch::new("binary");
    let path = scratch.file("image.yaml", b"Type: StateMachine\n\x00\x01\x02\xff");
    assert_trouble(&fdl(&["check", arg(&path)]), arg(&path), "binary file");
}

#[test]
fn non_utf8_file() {
    let scratch = Scratch::new("latin1");
    let path = scratch.file("latin1.yaml", b"Type: StateMachine\nName: caf\xe9\n");
    assert_trouble(&fdl(&["check", arg(&path)]), arg(&path), "not UTF-8");
}

#[test]
fn huge_file() {
    let scratch = Scratch::new("huge");
    let path = scratch.path.join("huge.yaml");
    // Sparse: the size alone must make fdl skip the file, without reading it.
    fs::File::create(&path).and_then(|f| f.set_len(10 * 1024 * 1024 + 1)).expect("create huge file");
    assert_trouble(&fdl(&["check", arg(&path)]), arg(&path), "too big");
}

#[test]
fn empty_directory() {
    let scratch = Scratch::new("empty");
    let dir = scratch.dir("nothing-here");
    let run = fdl(&["check", arg(&dir)]);
    assert_trouble(&run, arg(&dir), &format!("no flow definitions found under {}", arg(&dir)));
}

#[test]
fn directory_without_flows() {
    let scratch = Scratch::new("no-flows");
    scratch.file("ci.yaml", "on: push\njobs: {}\n");
    scratch.file("notes.txt", "Type: StateMachine\n");
    let run = fdl(&["check", arg(&scratch.path)]);
    assert_trouble(&run, arg(&scratch.path), "no flow definitions found");
}

#[test]
fn unreadable_file() {
    let scratch = Scratch::new("unreadable");
    let path = scratch.file("secret.yaml", "Type: StateMachine\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod");
    }
    if fs::read(&path).is_ok() {
        eprintln!("note: skipping unreadable_file: this user (root?) can read a mode-000 file");
        return;
    }
    assert_trouble(&fdl(&["check", arg(&path)]), arg(&path), "permission denied");
}

#[test]
fn other_files_are_still_checked_after_a_bad_path() {
    let scratch = Scratch::new("mixed");
    let good = scratch.file("flow.yaml", SYNTAX_ERROR_FLOW);
    let run = fdl(&["check", "--format", "json", "missing.yaml", arg(&good)]);
    assert_trouble(&run, "missing.yaml", "no such file or directory");
    assert!(run.codes().contains(&"yaml-syntax".to_owned()), "{run:#?}");
}

// ---------------------------------------------------------------------------------------
// Text handling and directory walking

#[test]
fn byte_order_mark_is_invisible_in_positions() {
    let scratch = Scratch::new("bom");
    let plain = scratch.file("plain.yaml", SYNTAX_ERROR_FLOW);
    let bom = scratch.file("bom.yaml", format!("\u{feff}{SYNTAX_ERROR_FLOW}"));
    let ranges = |path| {
        let run = fdl_in(&scratch.path, &["check", "--format", "json", arg(path)]);
        assert_eq!(run.code, 1, "{run:#?}");
        run.json().iter().map(|d| d["range"].clone()).collect::<Vec<_>>()
    };
    let expected = ranges(&plain);
    assert_eq!(ranges(&bom), expected);
    let syntax = fdl(&["check", "--format", "json", arg(&bom)]).json();
    let syntax = syntax.iter().find(|d| d["code"] == "yaml-syntax").expect("a yaml-syntax error");
    assert_eq!(syntax["range"]["start"], serde_json::json!({"line": 2, "character": 2}), "{syntax}");

    let human = fdl(&["check", arg(&bom)]);
    assert!(human.stdout.contains(&format!("{}:3:", arg(&bom))), "{}", human.stdout);
}

#[test]
fn directory_walk_is_sorted_and_skips_noise() {
    let scratch = Scratch::new("walk");
    for name in ["b.yaml", "a.yml", "sub/c.YAML", ".hidden/d.yaml", "target/e.yaml", "node_modules/f.yaml"] {
        scratch.file(name, SYNTAX_ERROR_FLOW);
    }
    scratch.file("ignored/g.yaml", SYNTAX_ERROR_FLOW);
    scratch.file(".fdlignore", "# not today\nignored/\n");
    scratch.file("ci.yaml", "on: push\n");
    scratch.file("flow.json", SYNTAX_ERROR_FLOW);

    let run = fdl_in(&scratch.path, &["check", "--format", "json", "."]);
    assert_eq!(run.code, 1, "{run:#?}");
    let mut files: Vec<String> =
        run.json().iter().map(|d| d["file"].as_str().unwrap_or("").to_owned()).collect();
    files.dedup();
    let sep = std::path::MAIN_SEPARATOR;
    assert_eq!(files, [format!(".{sep}a.yml"), format!(".{sep}b.yaml"), format!(".{sep}sub{sep}c.YAML")]);

    // Named explicitly, a file is checked whatever it holds and wherever it lives.
    let run = fdl_in(&scratch.path, &["check", "ci.yaml", "ignored", "target/e.yaml"]);
    assert!(run.stdout.ends_with(" in 3 files\n"), "{run:#?}");
}

/// Files are examined on every core but reported in the order they were found, each once:
/// more files than one batch (256), a file that is not a flow among them, and named files between
/// directories on the command line.
#[test]
fn many_files_are_reported_in_order_each_once() {
    let scratch = Scratch::new("many");
    let mut expected = Vec::new();
    for i in 0..300 {
        let name = format!("flows/f{i:03}.yaml");
        scratch.file(&name, SYNTAX_ERROR_FLOW);
        expected.push(name);
    }
    scratch.file("flows/f150-ci.yaml", "on: push\n");
    scratch.file("one.yaml", SYNTAX_ERROR_FLOW);
    scratch.file("two.yaml", SYNTAX_ERROR_FLOW);

    let run = fdl_in(
        &scratch.path,
        &["check", "--format", "json", "one.yaml", "flows", "two.yaml", "flows/f007.yaml"],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    let mut files: Vec<String> =
        run.json().iter().map(|d| d["file"].as_str().unwrap_or("").replace('\\', "/")).collect();
    // Each file has several diagnostics, consecutive.
    files.dedup();
    let mut want = vec!["one.yaml".to_string()];
    want.extend(expected);
    want.push("two.yaml".to_string());
    assert_eq!(files, want);
}

#[test]
fn human_output_points_at_the_line() {
    let scratch = Scratch::new("human");
    scratch.file("flow.yaml", SYNTAX_ERROR_FLOW);
    let run = fdl_in(&scratch.path, &["check", "flow.yaml"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(!run.stdout.contains('\x1b'), "no colour when stdout is a pipe");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("error[yaml-syntax]: ")).expect("a yaml-syntax error");
    assert_eq!(lines[at + 1], " --> flow.yaml:3:3", "{}", run.stdout);
    assert_eq!(lines[at + 2], "  |");
    assert_eq!(lines[at + 3], "3 |   bad: [");
    assert_eq!(lines[at + 4], "  |   ^^^^^^");
    let summary = lines.last().expect("a summary");
    assert!(summary.contains(" error") && summary.ends_with(" in 1 file"), "{summary}");
}

/// A whole flow on one line of more than a megabyte, in flow style: checked clean; with a
/// broken reference in one state in a hundred, each diagnostic shows a window of the line
/// around its column, not the line (README, "Reliability").
#[test]
fn a_megabyte_flow_on_one_line() {
    let scratch = Scratch::new("one-line");
    let clean = fdl_bench::cloudflow_one_line(4_000);
    assert!(clean.len() > 1_000_000 && clean.lines().count() == 1);
    scratch.file("flow.yaml", &clean);
    let run = fdl_in(&scratch.path, &["check", "flow.yaml"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "no problems in 1 file\n"), "{}", run.stderr);

    let mut broken = String::with_capacity(clean.len());
    for (i, piece) in clean.split("Next: ").enumerate() {
        if i > 0 {
            broken.push_str(if i % 100 == 0 { "Next: 没有" } else { "Next: " });
        }
        broken.push_str(piece);
    }
    scratch.file("broken.yaml", &broken);
    let run = fdl_in(&scratch.path, &["check", "broken.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let unknown = run.stdout.matches("error[unknown-state]").count();
    assert!(unknown >= 40, "{unknown} unknown-state errors");
    assert!(run.stdout.len() < 2_000 * run.stdout.matches("\n\n").count(), "{} bytes", run.stdout.len());
    let json = fdl_in(&scratch.path, &["check", "--format", "json", "broken.yaml"]);
    assert_eq!(json.code, 1);
    assert_eq!(json.codes().iter().filter(|c| *c == "unknown-state").count(), unknown);
}

/// Deployment files: flows inside a ROS template and a Terraform file are checked with
/// positions in the host; an s.yaml's flow file is checked in turn, a missing one reported
/// at its path; a template without flows is not a flow.
#[test]
fn deployment_files_and_the_flows_they_name() {
    let dir = Scratch::new("hosts");
    dir.file(
        "ros.yaml",
        "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  流程:\n    Type: ALIYUN::FNF::Flow\n    Properties:\n      Definition: |\n        version: v1\n        type: flow\n        steps:\n          - type: wait\n            name: 等待\n            duraton: 3\n",
    );
    dir.file(
        "main.tf",
        "resource \"alicloud_fnf_flow\" \"f\" {\n  definition = <<EOF\nversion: v1\ntype: flow\nsteps:\n  - type: pass\n    name: ok\nEOF\n}\n",
    );
    dir.file(
        "app/s.yaml",
        "edition: 3.0.0\nname: app\nresources:\n  flow:\n    component: flow\n    props:\n      definition: ./flows/main.flow.yaml\n  gone:\n    component: flow\n    props:\n      definition: ./flows/missing.flow.yaml\n",
    );
    dir.file("app/flows/main.flow.yaml", "version: v1\ntype: flow\nsteps:\n  - type: pas\n    name: x\n");
    dir.file(
        "only-functions.yaml",
        "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  F:\n    Type: ALIYUN::FC::Function\n",
    );

    let run = fdl_in(&dir.path, &["check", "--format", "json", "."]);
    assert_eq!(run.code, 1, "{run:#?}");
    let found: Vec<String> = run
        .json()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}",
                d["file"].as_str().unwrap_or_default(),
                d["code"].as_str().unwrap_or_default(),
                d["range"]["start"]["line"],
                d["range"]["start"]["character"]
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "./app/flows/main.flow.yaml invalid-value 3:10",
            "./app/s.yaml missing-flow-file 10:18",
            "./ros.yaml missing-key 10:18",
            "./ros.yaml unknown-key 11:12",
        ],
        "{}",
        run.stdout
    );

    // Named alone, s.yaml still brings in the flow file it names.
    let alone = fdl_in(&dir.path, &["check", "--format", "json", "app/s.yaml"]);
    let named: Vec<String> =
        alone.json().iter().map(|d| d["file"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(named, ["app/s.yaml", "app/flows/main.flow.yaml"], "{}", alone.stdout);

    let human = fdl_in(&dir.path, &["check", "."]);
    assert!(human.stdout.ends_with("3 errors, 1 warning in 4 files\n"), "{}", human.stdout);
    let none = fdl_in(&dir.path, &["check", "only-functions.yaml"]);
    assert_eq!(none.code, 2, "{none:#?}");
    assert!(
        none.stderr.contains("no flow definition found (a deployment file without flows)"),
        "{}",
        none.stderr
    );
}
