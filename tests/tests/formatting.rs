//! Formatting never changes what a flow means: every example flow (`examples/` and the
//! shared doc corpus, without the deliberately invalid `quirks/`) is formatted with two
//! indents, and
//! - the formatted YAML parses to the same data: compared on saphyr-parser's own event
//!   stream, independently of fdl's syntax tree (scalar values and whether they are plain,
//!   anchors, aliases, tags; not layout or quoting style);
//! - the diagnostics are the same (code, severity, message; positions move);
//! - formatting the result again changes nothing, and `fdl fmt --check` agrees.
//!
//! Also `fdl graph` on a bundled example (snapshot in `graph.snapshot`).

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use fdl::analysis::{CheckOptions, check};
use fdl::ide::{FormatOptions, format_text};
use fdl::syntax::{SourceText, SyntaxTree};
use saphyr_parser::{Event, Parser, ScalarStyle};
use support::{Scratch, fdl, repo_root};

fn examples() -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect(&repo_root().join("examples"), &mut files);
    let shared = repo_root().join("../shared/spec/examples");
    if shared.is_dir() {
        collect(&shared, &mut files);
    } else {
        eprintln!("note: {} not found; formatting only examples/", shared.display());
    }
    files.sort();
    files
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "quirks") {
                collect(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The YAML data as a list of events without positions or quoting style.
fn data(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for next in Parser::new_from_str(text) {
        let (event, _) = next.unwrap_or_else(|e| panic!("not YAML: {e:?}\n{text}"));
        out.push(match event {
            Event::Scalar(value, style, anchor, tag) => {
                let plain = if style == ScalarStyle::Plain { "plain" } else { "string" };
                format!("scalar {plain} {value:?} anchor={anchor} tag={tag:?}")
            }
            Event::MappingStart(anchor, tag) => format!("mapping anchor={anchor} tag={tag:?}"),
            Event::SequenceStart(anchor, tag) => format!("sequence anchor={anchor} tag={tag:?}"),
            other => format!("{other:?}"),
        });
    }
    out
}

fn diagnostics(text: &str) -> Vec<String> {
    let source = SourceText::new(text);
    let tree = SyntaxTree::parse(&source);
    check(&source, &tree, &CheckOptions::default())
        .into_iter()
        .map(|d| format!("{:?} {} {}", d.severity, d.code.as_str(), d.message))
        .collect()
}

#[test]
fn formatting_every_example_keeps_its_meaning() {
    let files = examples();
    assert!(files.len() >= 5, "too few examples: {files:?}");
    let mut changed = 0;
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for indent in [2, 4] {
            let formatted = format_text(&text, &FormatOptions { indent })
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert_eq!(data(&formatted), data(&text), "{} (indent {indent}): data changed", file.display());
            assert_eq!(
                diagnostics(&formatted),
                diagnostics(&text),
                "{} (indent {indent}): diagnostics changed",
                file.display()
            );
            let again = format_text(&formatted, &FormatOptions { indent }).unwrap();
            assert_eq!(again, formatted, "{} (indent {indent}): not idempotent", file.display());
            changed += usize::from(formatted != text);
        }
    }
    // With indent 4 every example changes: the test must have looked at real output.
    assert!(changed >= files.len(), "only {changed} results differed from their input");
}

#[test]
fn fmt_check_then_fmt_then_check_again() {
    let scratch = Scratch::new("fmt");
    let messy = scratch.file(
        "订单.fdl.yaml",
        "Type:   StateMachine\nSpecVersion: v1\nStartAt: 开始\nStates:\n    - Type: Pass   # 注释\n      Name: 开始\n      End: true\n",
    );
    let clean = scratch.file(
        "clean.fdl.yaml",
        "Type: StateMachine\nStartAt: a\nStates:\n  - Type: Pass\n    Name: a\n    End: true\n",
    );
    let other = scratch.file("ci.yaml", "jobs:    {}\n");
    let tf_text = "resource \"alicloud_fnf_flow\" \"f\" {\n  definition = <<EOF\nversion: v1\ntype:   flow\nsteps: []\nEOF\n}\n";
    let tf = scratch.file("main.tf", tf_text);
    let dir = scratch.path.to_string_lossy().into_owned();

    let run = fdl(&["fmt", "--check", &dir]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.contains("not formatted: ") && run.stdout.contains("订单.fdl.yaml"), "{run:#?}");
    assert!(run.stdout.ends_with("1 file not formatted, 1 formatted\n"), "{run:#?}");

    let run = fdl(&["fmt", &dir]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        fs::read_to_string(&messy).unwrap(),
        "Type: StateMachine\nSpecVersion: v1\nStartAt: 开始\nStates:\n  - Type: Pass # 注释\n    Name: 开始\n    End: true\n"
    );
    // Not a flow: a directory search leaves it alone.
    assert_eq!(fs::read_to_string(&other).unwrap(), "jobs:    {}\n");
    assert!(fs::read_to_string(&clean).unwrap().starts_with("Type: StateMachine\n"));
    assert_eq!(fdl(&["fmt", "--check", &dir]).code, 0);

    // Indent 4 for one file named on the command line.
    let path = messy.to_string_lossy().into_owned();
    assert_eq!(fdl(&["fmt", "--check", "--indent", "4", &path]).code, 1);

    // YAML errors: reported, nothing written, status 1.
    let broken = scratch.file("broken.fdl.yaml", "Type: StateMachine\nStates: [a\n");
    let run = fdl(&["fmt", &broken.to_string_lossy()]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("not formatted: the document has"), "{run:#?}");
    assert_eq!(fs::read_to_string(&broken).unwrap(), "Type: StateMachine\nStates: [a\n");
    assert_eq!(fdl(&["fmt", "/no/such/file.yaml"]).code, 2);

    // Terraform: a directory search leaves it alone; named, it is refused, never rewritten.
    assert_eq!(fs::read_to_string(&tf).unwrap(), tf_text);
    let run = fdl(&["fmt", &tf.to_string_lossy()]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("this is a Terraform file; `terraform fmt` formats it"), "{run:#?}");
    assert_eq!(fs::read_to_string(&tf).unwrap(), tf_text);
}

#[test]
fn graph_of_the_bundled_video_pipeline() {
    let run = fdl(&["graph", "examples/video-pipeline.fdl.yaml"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{run:#?}");
    expect_test::expect_file!["graph.snapshot"].assert_eq(&run.stdout);
    let dot = fdl(&["graph", "--format", "dot", "examples/legacy-batch.flow.yaml"]);
    assert_eq!(dot.code, 0, "{dot:#?}");
    assert!(dot.stdout.starts_with("digraph flow {\n") && dot.stdout.ends_with("}\n"), "{}", dot.stdout);
    assert_eq!(fdl(&["graph", "/no/such/flow.yaml"]).code, 2);
    let scratch = Scratch::new("graph");
    let not_flow = scratch.file("ci.yaml", "jobs: {}\n");
    assert_eq!(fdl(&["graph", &not_flow.to_string_lossy()]).code, 1);
}
