//! `fdl migrate` over every legacy flow there is: the documentation corpus
//! (`../shared/spec/examples/legacy`, whole flows only: not `fragments/`, which have no
//! header, nor `quirks/`, invalid on purpose) and the legacy flows of `examples/`.
//!
//! - golden snapshots of the migrated text (`tests/tests/migrate/`; `UPDATE_EXPECT=1`
//!   rewrites them), so a change in what users get shows up in review;
//! - `fdl check` on every migrated flow: no error, and a warning only where the legacy flow
//!   has the same one or a note explains it;
//! - the property: for any seed, generated inputs and mock outcomes (results, errors,
//!   callbacks, latencies) run the legacy and the migrated flow alike (`migrate::verify`);
//! - the command line: the text on stdout or in `-o`, the notes on stderr, `--check`, and
//!   the exit statuses.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use expect_test::expect_file;
use fdl::dryrun::{self, Limits, NoLoader, Options, Program};
use fdl::migrate::{self, MigrateOptions, Migration, verify};
use fdl::syntax::{PositionEncoding, SourceText, SyntaxTree};
use proptest::prelude::*;
use support::{Scratch, arg, fdl, repo_root};

fn corpus_root() -> PathBuf {
    std::env::var_os("FDL_SPEC_EXAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/spec/examples"))
}

/// Every legacy flow, with the name of its golden file.
fn legacy_flows() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let legacy = corpus_root().join("legacy");
    if let Ok(entries) = fs::read_dir(&legacy) {
        let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
        files.sort();
        for f in files {
            let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("flow").to_string();
            out.push((f, format!("corpus/{stem}.fdl.yaml")));
        }
    } else {
        eprintln!("note: example corpus not found at {}; only examples/ is migrated", legacy.display());
    }
    let mut own = Vec::new();
    collect_legacy(&repo_root().join("examples"), &mut own);
    own.sort();
    for f in own {
        let relative =
            f.strip_prefix(repo_root().join("examples")).unwrap_or(&f).to_string_lossy().replace('/', "-");
        let stem = relative.trim_end_matches(".yml").trim_end_matches(".yaml").trim_end_matches(".flow");
        out.push((f.clone(), format!("examples/{stem}.fdl.yaml")));
    }
    out
}

fn collect_legacy(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for path in entries.flatten().map(|e| e.path()) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            collect_legacy(&path, out);
        } else if name.ends_with(".flow.yaml") || name.ends_with(".flow.yml") {
            out.push(path);
        }
    }
}

/// A legacy flow migrated and both compiled for dry runs.
struct Prepared {
    file: PathBuf,
    migration: Migration,
    legacy: Program,
    migrated: Program,
}

fn prepared() -> &'static [Prepared] {
    static FLOWS: OnceLock<Vec<Prepared>> = OnceLock::new();
    FLOWS.get_or_init(|| {
        legacy_flows()
            .into_iter()
            .map(|(file, _)| {
                let text = fs::read_to_string(&file).expect("read the flow");
                let options = MigrateOptions { flow_name: migrate::flow_name_from_path(&file) };
                let migration =
                    migrate::migrate(&text, &options).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                let lower = |t: &str| {
                    let text = SourceText::new(t);
                    let tree = SyntaxTree::parse(&text);
                    dryrun::lower(&text, &tree, PositionEncoding::Utf16).expect("compiles")
                };
                let mut legacy = lower(&text);
                verify::reference(&mut legacy, &migration);
                let migrated = lower(&migration.text);
                Prepared { file, migration, legacy, migrated }
            })
            .collect()
    })
}

#[test]
fn every_legacy_flow_migrates_to_its_golden_text() {
    let flows = legacy_flows();
    assert!(
        flows.iter().any(|(f, _)| f.starts_with(repo_root().join("examples"))),
        "examples/ has legacy flows"
    );
    for (file, golden) in flows {
        let text = fs::read_to_string(&file).expect("read the flow");
        let options = MigrateOptions { flow_name: migrate::flow_name_from_path(&file) };
        let migration =
            migrate::migrate(&text, &options).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        expect_file![format!("migrate/{golden}")].assert_eq(&migration.text);
    }
}

/// Diagnostics a migrated flow may have, each explained by its `fdl-migrate` note:
/// a legacy `timestamp` wait became the obsolete `UntilDateTime`, which has no `Seconds`.
const EXPLAINED: &[(&str, &str)] = &[("wait-timestamp", "obsolete-key"), ("wait-timestamp", "missing-key")];

#[test]
fn every_migrated_flow_checks_clean() {
    let scratch = Scratch::new("migrated");
    let mut problems = Vec::new();
    for p in prepared() {
        let out = scratch.file(&format!("{}.fdl.yaml", p.migration.name), &p.migration.text);
        let before = fdl(&["check", "--format", "json", arg(&p.file)]).codes();
        let after = fdl(&["check", "--format", "json", arg(&out)]);
        for d in after.json() {
            let code = d["code"].as_str().unwrap_or_default();
            let severity = d["severity"].as_str().unwrap_or_default();
            let explained = EXPLAINED
                .iter()
                .any(|(note, c)| *c == code && p.migration.notes.iter().any(|n| n.code == *note));
            let inherited = before.iter().any(|c| c == code) && severity == "warning";
            if matches!(severity, "error" | "warning") && !explained && !inherited {
                problems.push(format!("{}: {severity}[{code}] {}", p.file.display(), d["message"]));
            }
        }
    }
    assert!(problems.is_empty(), "migrated flows with problems:\n{}", problems.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any seed: the same generated input and mock outcomes run both flows alike (status,
    /// output or error, the states entered in every scope, what every task sent).
    #[test]
    fn migrated_flows_run_like_the_legacy_ones(seed in any::<u64>()) {
        // The legacy `$context.step.eventId` counts history events; the migrated flow reads
        // 0 (see its note), so runs are kept under the 4,000 events the flows compare with.
        let options = Options {
            limits: Limits { max_steps: 300, ..Limits::default() },
            start_time_ms: verify::START_TIME_MS,
            ..Options::default()
        };
        for p in prepared() {
            let case = verify::generate(&p.legacy, seed);
            let c = verify::compare(&p.legacy, &p.migrated, &p.migration, &case, &options, &NoLoader);
            prop_assert!(
                c.difference.is_none(),
                "{} (seed {seed}, input {}): {}",
                p.file.display(),
                case.input,
                c.difference.map(|d| d.to_string()).unwrap_or_default()
            );
        }
    }
}

#[test]
fn the_command_line() {
    let scratch = Scratch::new("migrate-cli");
    let flow = scratch.file(
        "orders.flow.yaml",
        "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: charge\n    resourceArn: acs:fc:::services/shop/functions/charge\n    outputMappings:\n      - target: paid\n        source: $local.paid\n  - type: foreach\n    name: each\n    iterationMapping:\n      collection: $.items\n      item: item\n      index: i\n    steps:\n      - type: pass\n        name: one\n",
    );
    // The text on stdout, the notes on stderr with where they are.
    let run = fdl(&["migrate", arg(&flow)]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("\nType: StateMachine\nSpecVersion: v1\nName: orders\n"), "{}", run.stdout);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        lines[0]
            .starts_with("note[flow-name]: the legacy definition has no `name`; the flow is named `orders`"),
        "{}",
        run.stderr
    );
    let foreach = lines.iter().position(|l| l.starts_with("note[foreach]: legacy foreach ran at most 100"));
    assert_eq!(
        foreach.map(|i| lines[i + 1].ends_with("orders.flow.yaml:10:5")),
        Some(true),
        "{}",
        run.stderr
    );
    // `-o` writes the file; `--check` proves it.
    let out = scratch.path.join("orders.fdl.yaml");
    let run = fdl(&["migrate", arg(&flow), "-o", arg(&out), "--check", "--cases", "40"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stdout, "");
    assert!(fs::read_to_string(&out).expect("written").contains("\nType: StateMachine\n"));
    assert!(run.stderr.contains("wrote "), "{}", run.stderr);
    assert!(
        run.stderr.contains("check: equivalent on 40 runs (")
            && run.stderr.contains("the legacy flow ran without `i`, the iteration index of `each`"),
        "{}",
        run.stderr
    );
    // A given input and mocks: one run with them.
    let mocks = scratch.file("mocks.yaml", "States:\n  charge: {Return: {paid: true}}\n");
    let run = fdl(&[
        "migrate",
        arg(&flow),
        "-o",
        arg(&out),
        "--check",
        "--input",
        r#"{"items": [1, 2]}"#,
        "--mocks",
        arg(&mocks),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.contains("check: equivalent on 1 run (1 succeeded, 0 failed"), "{}", run.stderr);
    // Not a legacy flow: exit 2 and why.
    let cloudflow = scratch.file("x.fdl.yaml", "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n");
    let run = fdl(&["migrate", arg(&cloudflow)]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(run.stderr.contains("this is already a CloudFlow flow"), "{}", run.stderr);
    let run = fdl(&["migrate", "/definitely/not/here.flow.yaml"]);
    assert_eq!(run.code, 2);
    // Options of --check need --check.
    assert_eq!(fdl(&["migrate", arg(&flow), "--cases", "3"]).code, 2);
}

/// Legacy flows written in deployment files (a ROS template, Terraform): migrated from
/// there, with the notes at their place in the file, and checked.
#[test]
fn legacy_flows_in_deployment_files() {
    for (file, golden) in [
        ("examples/templates/ros/image-pipeline.ros.yaml", "examples/templates-ros-NotifyFlow.fdl.yaml"),
        ("examples/templates/terraform/main.tf", "examples/templates-terraform-hello.fdl.yaml"),
    ] {
        let run = fdl(&["migrate", file, "--check", "--cases", "60"]);
        assert_eq!(run.code, 0, "{run:#?}");
        assert!(run.stderr.contains("check: equivalent on 60 runs"), "{}", run.stderr);
        expect_file![format!("migrate/{golden}")].assert_eq(&run.stdout);
    }
    let run = fdl(&["migrate", "examples/templates/ros/image-pipeline.ros.yaml"]);
    assert!(
        run.stderr.contains("  --> examples/templates/ros/image-pipeline.ros.yaml:53:11"),
        "{}",
        run.stderr
    );
    let run = fdl(&["migrate", "examples/templates/terraform/main.tf", "--resource", "approval"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: examples/templates/terraform/main.tf has no legacy flow in resource `approval`; it has `hello`\n"
    );
}
