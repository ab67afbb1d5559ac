//! `fdl test`: runs the cases of test files (`*.fdltest.yaml`, and `*.mocks.yaml` files
//! with a `Tests:` section) and reports them like
//! `cargo test`. A test file names its flow (relative to itself); each case runs with a
//! fixed seed and clock, so results are the same on every machine.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::args::{Format, TestArgs};
use super::console::{Console, Exit};
use super::files;
use super::run_cmd::{flow_stem, refuse_with_errors};
use crate::analysis::{self, WorkflowMode};
use crate::dryrun::render::{self, Style};
use crate::dryrun::suite::{self, SuiteFile};
use crate::dryrun::workspace::Workspace;
use crate::dryrun::{self, Options, Program};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

/// Whether a file name is a test file's.
pub fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".fdltest.yaml") || n.ends_with(".fdltest.yml"))
}

/// A mocks file (`*.mocks.yaml`) may hold tests too, under a top-level `Tests:`.
fn is_mocks_file_with_tests(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.ends_with(".mocks.yaml") || name.ends_with(".mocks.yml"))
        && files::read_text(path).is_ok_and(|t| t.lines().any(|l| l.trim_end() == "Tests:"))
}

struct CaseOutcome {
    name: String,
    /// Where the case is named in its file (LSP-style: 0-based line, UTF-16 character).
    range: Value,
    failures: Vec<String>,
    /// The run, for the report of a failure.
    trace: Option<String>,
    status: Option<&'static str>,
}

struct FileOutcome {
    file: String,
    flow: Option<String>,
    /// Why the file could not run at all.
    problems: Vec<String>,
    cases: Vec<CaseOutcome>,
}

pub fn run(args: &TestArgs, console: &mut Console) -> Exit {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut test_files = Vec::new();
    for path in &paths {
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let walk = files::walk(path);
                for (dir, e) in walk.errors {
                    console.error_line(&format!("{}: {e}", dir.display()));
                }
                test_files.extend(
                    walk.files.into_iter().filter(|f| is_test_file(f) || is_mocks_file_with_tests(f)),
                );
            }
            Ok(_) => test_files.push(path.clone()),
            Err(e) => {
                console.error_line(&format!("{}: {}", path.display(), files::LoadError::from(e)));
                return Exit::Trouble;
            }
        }
    }
    if test_files.is_empty() {
        let list = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        console.error_line(&format!("no test files (*.fdltest.yaml) found under {list}"));
        return Exit::Trouble;
    }
    let outcomes: Vec<FileOutcome> =
        test_files.iter().map(|f| run_file(f, args.case.as_deref(), args.force, console)).collect();
    let passed: usize = outcomes.iter().flat_map(|o| &o.cases).filter(|c| c.failures.is_empty()).count();
    let failed: usize = outcomes.iter().flat_map(|o| &o.cases).filter(|c| !c.failures.is_empty()).count();
    let broken = outcomes.iter().filter(|o| !o.problems.is_empty()).count();
    match args.format {
        Format::Human => report_human(&outcomes, passed, failed, console),
        Format::Json => report_json(&outcomes, passed, failed, console),
    }
    if failed > 0 || broken > 0 { Exit::Errors } else { Exit::Clean }
}

fn run_file(path: &Path, filter: Option<&str>, force: bool, console: &mut Console) -> FileOutcome {
    let file = path.display().to_string();
    let mut outcome = FileOutcome { file: file.clone(), flow: None, problems: Vec::new(), cases: Vec::new() };
    let content = match files::read_text(path) {
        Ok(c) => c,
        Err(e) => {
            outcome.problems.push(format!("{file}: {e}"));
            return outcome;
        }
    };
    let (suite, errors) = suite::parse(&content);
    if !errors.is_empty() {
        outcome.problems.extend(errors.iter().map(|e| format!("{file}:{e}")));
        return outcome;
    }
    let Some((flow, _)) = &suite.flow else {
        outcome.problems.push(format!("{file}: no `Flow:`: name the flow file the tests run"));
        return outcome;
    };
    let flow_path = path.parent().unwrap_or(Path::new(".")).join(flow);
    outcome.flow = Some(flow_path.display().to_string());
    let Some((program, text)) = load_flow(&flow_path, &suite, force, console, &mut outcome) else {
        return outcome;
    };
    let cwd = std::env::current_dir().ok();
    let loader = Workspace::new(flow_path.parent(), cwd.as_deref());
    let file_mode = suite.mode.or_else(|| analysis::mode_from_comment(&text));
    let base = Options { flow_name: flow_stem(&flow_path), ..Options::default() };
    let source = SourceText::new(&content);
    let position = |offset: u32| {
        let p = source.position(offset, PositionEncoding::Utf16);
        json!({ "line": p.line, "character": p.character })
    };
    for case in suite.cases.iter().filter(|c| filter.is_none_or(|f| c.name.contains(f))) {
        let mode = case.mode.or(file_mode).unwrap_or(WorkflowMode::Standard);
        let options = suite::case_options(case, mode, &base);
        let (result, failures) = suite::run_case(&program, case, &options, &loader);
        let trace =
            (!failures.is_empty()).then(|| render::human(&result, Style { max_value: 200, color: false }));
        outcome.cases.push(CaseOutcome {
            name: case.name.clone(),
            range: json!({ "start": position(case.range.start), "end": position(case.range.end) }),
            failures,
            trace,
            status: Some(result.status.as_str()),
        });
    }
    outcome
}

fn load_flow(
    flow_path: &Path,
    suite: &SuiteFile,
    force: bool,
    console: &mut Console,
    outcome: &mut FileOutcome,
) -> Option<(Program, SourceText)> {
    let name = flow_path.display().to_string();
    let content = match files::read_text(flow_path) {
        Ok(c) => c,
        Err(e) => {
            outcome.problems.push(format!("{}: `Flow: {name}`: {e}", outcome.file));
            return None;
        }
    };
    let text = SourceText::new(&content);
    let tree = SyntaxTree::parse(&text);
    let mode = suite.mode.or_else(|| analysis::mode_from_comment(&text)).unwrap_or(WorkflowMode::Standard);
    if refuse_with_errors(&name, &text, &tree, mode, force, console).is_some() {
        outcome.problems.push(format!(
            "{name} has errors the service would reject (see above); use --force to test it anyway"
        ));
        return None;
    }
    match dryrun::lower(&text, &tree, PositionEncoding::Utf16) {
        Ok(p) => Some((p, text)),
        Err(message) => {
            outcome.problems.push(format!("{name}: {message}"));
            None
        }
    }
}

fn report_human(outcomes: &[FileOutcome], passed: usize, failed: usize, console: &mut Console) {
    let color = console.color;
    let paint =
        |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() };
    for o in outcomes {
        let n = o.cases.len();
        let flow = o.flow.as_deref().map(|f| format!(" (flow {f})")).unwrap_or_default();
        console.out(&format!("\nrunning {n} test{} from {}{flow}\n", if n == 1 { "" } else { "s" }, o.file));
        for p in &o.problems {
            console.out(&format!("{} {p}\n", paint("31", "error:")));
        }
        for c in &o.cases {
            let verdict = if c.failures.is_empty() { paint("32", "ok") } else { paint("31", "FAILED") };
            console.out(&format!("test {} ... {verdict}\n", c.name));
        }
    }
    let failing: Vec<(&FileOutcome, &CaseOutcome)> = outcomes
        .iter()
        .flat_map(|o| o.cases.iter().filter(|c| !c.failures.is_empty()).map(move |c| (o, c)))
        .collect();
    if !failing.is_empty() {
        console.out("\nfailures:\n");
        for (o, c) in &failing {
            console.out(&format!("\n---- {}: {} ----\n", o.file, c.name));
            for f in &c.failures {
                console.out(&format!("  {f}\n"));
            }
            if let Some(trace) = &c.trace {
                console.out("  the run:\n");
                for line in trace.lines() {
                    console.out(&format!("    {line}\n"));
                }
            }
        }
        console.out("\nfailures:\n");
        for (o, c) in &failing {
            console.out(&format!("    {}: {}\n", o.file, c.name));
        }
    }
    let broken = outcomes.iter().filter(|o| !o.problems.is_empty()).count();
    let ok = failed == 0 && broken == 0;
    let verdict = if ok { paint("32", "ok") } else { paint("31", "FAILED") };
    let files = if broken > 0 {
        format!("; {broken} test file{} could not run", if broken == 1 { "" } else { "s" })
    } else {
        String::new()
    };
    console.out(&format!("\ntest result: {verdict}. {passed} passed; {failed} failed{files}\n"));
}

fn report_json(outcomes: &[FileOutcome], passed: usize, failed: usize, console: &mut Console) {
    let files: Vec<Value> = outcomes
        .iter()
        .map(|o| {
            json!({
                "file": o.file,
                "flow": o.flow,
                "problems": o.problems,
                "cases": o.cases.iter().map(|c| json!({
                    "name": c.name,
                    "range": c.range,
                    "passed": c.failures.is_empty(),
                    "status": c.status,
                    "failures": c.failures,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({ "files": files, "passed": passed, "failed": failed });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    console.out(&text);
}
