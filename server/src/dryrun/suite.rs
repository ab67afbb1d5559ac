//! Test files (`*.fdltest.yaml`, or a `Tests:` section in a mocks file): which flow, the
//! mocks shared by every case, and named cases with their input, their own mocks and what
//! they expect.
//!
//! ```yaml
//! Flow: order.fdl.yaml            # relative to this file
//! Mode: express                   # optional
//! Actions:                        # mocks for every case (States: too)
//!   "FC:InvokeFunction": {Return: {Body: {valid: true}}}
//! Tests:
//!   accepts a valid order:
//!     Input: {orderId: A-1}
//!     States:                     # this case's own mocks, over the shared ones
//!       Charge: {Throw: {Error: PaymentDeclined}}
//!     Expect:
//!       Status: Failed
//!       ErrorCode: OrderRejected
//!       Ran: [ValidateOrder, Charge]
//!       NotRan: [Accepted]
//! ```
//!
//! [`run_file`] runs a test file's cases against its flow, as `fdl test` does; the files
//! come through [`SuiteFiles`], so that the language server can run the texts an editor
//! holds.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::expect::Expect;
use super::mocks::{self, Mocks};
use super::options::{Loader, Options};
use super::program::Program;
use super::reader::{self, FileError, Reader};
use super::result::RunResult;
use super::workspace::name_from_file;
use crate::analysis::{self, CheckOptions, Diagnostic, Severity, WorkflowMode};
use crate::syntax::{Node, PositionEncoding, SourceText, SyntaxTree, TextRange};

/// A mocks file or a test file (one format: a test file is a mocks file with `Flow` and
/// `Tests`).
#[derive(Clone, Debug, Default)]
pub struct SuiteFile {
    /// `Flow:` as written, and where.
    pub flow: Option<(String, TextRange)>,
    pub mode: Option<WorkflowMode>,
    pub mocks: Mocks,
    pub cases: Vec<Case>,
    /// State names the file mentions (mocks under `States`, expectations), and where: an
    /// editor checks them against the flow.
    pub state_refs: Vec<(String, TextRange)>,
    /// Action names the file mocks, and where.
    pub action_refs: Vec<(String, TextRange)>,
}

#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    /// The case's key, for "Run case" lenses and messages.
    pub range: TextRange,
    pub input: Value,
    /// The shared mocks with the case's own on top.
    pub mocks: Mocks,
    pub mode: Option<WorkflowMode>,
    pub seed: Option<u64>,
    pub expect: Expect,
}

pub const TOP_KEYS: &[&str] = &["Flow", "Mode", "States", "Actions", "Tests"];
pub const CASE_KEYS: &[&str] = &["Input", "States", "Actions", "Mode", "Seed", "Expect"];

/// Reads a mocks or test file. Errors come with whatever could be read.
pub fn parse(text: &str) -> (SuiteFile, Vec<FileError>) {
    let source = SourceText::new(text);
    let tree = SyntaxTree::parse(&source);
    let (reader, mut errors) = reader::open(&source, &tree);
    let Some(mut r) = reader else { return (SuiteFile::default(), errors) };
    let file = read(&mut r);
    errors.append(&mut r.errors);
    errors.sort_by_key(|e| (e.line, e.column));
    (file, errors)
}

fn read(r: &mut Reader<'_>) -> SuiteFile {
    let mut file = SuiteFile::default();
    let root = r.root();
    let mut tests = None;
    for (key, e) in r.entries(root, "the file", Some(TOP_KEYS)) {
        match key {
            "Flow" => file.flow = r.string(e.value, "`Flow`").map(|f| (f.to_string(), e.value.value_range())),
            "Mode" => file.mode = mode(r, e.value),
            "States" => {
                mocks::read_section(r, "States", e.value, &mut file.mocks.states, &mut file.state_refs)
            }
            "Actions" => {
                mocks::read_section(r, "Actions", e.value, &mut file.mocks.actions, &mut file.action_refs)
            }
            "Tests" => tests = Some(e.value),
            _ => {}
        }
    }
    if let Some(tests) = tests {
        for (name, e) in r.entries(tests, "`Tests`", None) {
            let case =
                read_case(r, name, e.key, e.value, &file.mocks, &mut file.state_refs, &mut file.action_refs);
            file.state_refs.extend(case.expect.state_names().map(|(n, r)| (n.to_string(), r)));
            file.cases.push(case);
        }
        if file.flow.is_none() {
            r.error(
                root,
                "a file with `Tests` needs `Flow:`, the flow file the tests run (relative to this file)",
            );
        }
    }
    file
}

fn mode<'a>(r: &mut Reader<'a>, node: Node<'a>) -> Option<WorkflowMode> {
    let text = r.string(node, "`Mode`")?;
    match text.to_ascii_lowercase().as_str() {
        "standard" => Some(WorkflowMode::Standard),
        "express" => Some(WorkflowMode::Express),
        _ => {
            r.error(node, format!("`Mode` is `standard` or `express`, not `{text}`"));
            None
        }
    }
}

fn read_case<'a>(
    r: &mut Reader<'a>,
    name: &str,
    key: Node<'a>,
    node: Node<'a>,
    shared: &Mocks,
    state_refs: &mut Vec<(String, TextRange)>,
    action_refs: &mut Vec<(String, TextRange)>,
) -> Case {
    let mut own = Mocks::default();
    let mut case = Case {
        name: name.to_string(),
        range: key.value_range(),
        input: Value::Object(Default::default()),
        mocks: Mocks::default(),
        mode: None,
        seed: None,
        expect: Expect::default(),
    };
    let what = format!("test `{name}`");
    for (k, e) in r.entries(node, &what, Some(CASE_KEYS)) {
        match k {
            "Input" => {
                case.input = r.json(e.value);
                if !case.input.is_object() {
                    r.error(e.value, "`Input` must be a mapping: an execution's input is a JSON object");
                }
            }
            "States" => mocks::read_section(r, "States", e.value, &mut own.states, state_refs),
            "Actions" => mocks::read_section(r, "Actions", e.value, &mut own.actions, action_refs),
            "Mode" => case.mode = mode(r, e.value),
            "Seed" => match r.json(e.value).as_u64() {
                Some(s) => case.seed = Some(s),
                None => r.error(e.value, "`Seed` must be a whole number, 0 or more"),
            },
            "Expect" => case.expect = super::expect::read(r, e.value),
            _ => {}
        }
    }
    case.mocks = shared.overlay(&own);
    case
}

/// How a case runs: its seed (0 unless given) and a fixed start time, so that a test gives
/// the same result on every machine.
pub fn case_options(case: &Case, mode: WorkflowMode, base: &Options) -> Options {
    Options {
        mode,
        seed: Some(case.seed.unwrap_or(0)),
        // 2025-01-01T00:00:00Z: legacy timestamp waits compare with a fixed clock.
        start_time_ms: 1_735_689_600_000,
        ..base.clone()
    }
}

/// Runs a case and checks its expectations.
pub fn run_case(
    program: &Program,
    case: &Case,
    options: &Options,
    loader: &dyn Loader,
) -> (RunResult, Vec<String>) {
    let result = super::run(program, case.input.clone(), &case.mocks, options, loader);
    let failures = super::expect::check(&case.expect, &result);
    (result, failures)
}

/// Where a test file's flow and its sub-flows come from: the files (`fdl test`), or an
/// editor's documents over them (the language server). The dry run reads no file itself.
pub trait SuiteFiles {
    /// The text of the file at `path` (without a byte-order mark), or why it cannot be
    /// read, in a few words.
    fn read(&self, path: &Path) -> Result<String, String>;
    /// The loader of the sub-flows that the flow at `flow` starts.
    fn loader(&self, flow: &Path) -> Box<dyn Loader + '_>;
}

/// How [`run_file`] runs a file's cases.
pub struct RunFile<'a> {
    /// The cases to run, by name.
    pub select: &'a dyn Fn(&str) -> bool,
    /// Run the cases even if the flow has errors the service would reject.
    pub force: bool,
    /// What every case starts from (limits, cancellation); the flow's name, the mode, the
    /// seed and the clock are set per case.
    pub base: Options,
    /// Of the ranges in the results' events.
    pub encoding: PositionEncoding,
}

/// A test file's cases run against its flow: what `fdl test` reports for one file.
#[derive(Debug, Default)]
pub struct FileRun {
    /// The flow the file names, joined to the file's folder, once the file names one.
    pub flow: Option<PathBuf>,
    /// Why the file could not run at all, each starting with the file it is about.
    pub problems: Vec<String>,
    /// The errors of the flow that the service would reject, if it has any.
    pub flow_errors: Option<FlowErrors>,
    pub cases: Vec<CaseRun>,
}

#[derive(Debug)]
pub struct FlowErrors {
    /// The flow's text, for rendering the errors.
    pub text: SourceText,
    pub errors: Vec<Diagnostic>,
    /// Whether the cases were left unrun because of them (no `force`).
    pub refused: bool,
}

#[derive(Debug)]
pub struct CaseRun {
    pub name: String,
    /// Where the case is named in the test file.
    pub range: TextRange,
    pub result: RunResult,
    /// The expectations the run did not meet.
    pub failures: Vec<String>,
}

/// Runs the cases of the test file at `path`, whose text is `text`, against the flow it
/// names (read through `files`). A file that cannot run says why in `problems`.
pub fn run_file(path: &Path, text: &str, files: &dyn SuiteFiles, how: &RunFile<'_>) -> FileRun {
    let file = path.display().to_string();
    let mut run = FileRun::default();
    let (suite, errors) = parse(text);
    if !errors.is_empty() {
        run.problems.extend(errors.iter().map(|e| format!("{file}:{e}")));
        return run;
    }
    let Some((flow, _)) = &suite.flow else {
        run.problems.push(format!("{file}: no `Flow:`: name the flow file the tests run"));
        return run;
    };
    let flow_path = path.parent().unwrap_or(Path::new(".")).join(flow);
    run.flow = Some(flow_path.clone());
    let name = flow_path.display().to_string();
    let content = match files.read(&flow_path) {
        Ok(c) => c,
        Err(e) => {
            run.problems.push(format!("{file}: `Flow: {name}`: {e}"));
            return run;
        }
    };
    let source = SourceText::new(&content);
    let tree = SyntaxTree::parse(&source);
    let file_mode = suite.mode.or_else(|| analysis::mode_from_comment(&source));
    let check =
        CheckOptions { mode: Some(file_mode.unwrap_or(WorkflowMode::Standard)), ..CheckOptions::default() };
    let errors: Vec<Diagnostic> = analysis::check(&source, &tree, &check)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        let refused = !how.force;
        run.flow_errors = Some(FlowErrors { text: source.clone(), errors, refused });
        if refused {
            return run;
        }
    }
    let program = match super::lower(&source, &tree, how.encoding) {
        Ok(p) => p,
        Err(message) => {
            run.problems.push(format!("{name}: {message}"));
            return run;
        }
    };
    let loader = files.loader(&flow_path);
    let base = Options { flow_name: name_from_file(&flow_path), ..how.base.clone() };
    for case in suite.cases.iter().filter(|c| (how.select)(&c.name)) {
        let mode = case.mode.or(file_mode).unwrap_or(WorkflowMode::Standard);
        let options = case_options(case, mode, &base);
        let (result, failures) = run_case(&program, case, &options, &*loader);
        run.cases.push(CaseRun { name: case.name.clone(), range: case.range, result, failures });
    }
    run
}

impl FileRun {
    /// The file's entry in `fdl test --format json`: `{file, flow, problems, cases: [{name,
    /// range, passed, status, failures}]}`, the ranges in `test_text` (the test file's
    /// text) with `encoding`.
    pub fn to_json(&self, file: &str, test_text: &SourceText, encoding: PositionEncoding) -> Value {
        let position = |offset: u32| {
            let p = test_text.position(offset, encoding);
            json!({ "line": p.line, "character": p.character })
        };
        json!({
            "file": file,
            "flow": self.flow.as_ref().map(|f| f.display().to_string()),
            "problems": self.problems,
            "cases": self.cases.iter().map(|c| json!({
                "name": c.name,
                "range": { "start": position(c.range.start), "end": position(c.range.end) },
                "passed": c.failures.is_empty(),
                "status": c.result.status.as_str(),
                "failures": c.failures,
            })).collect::<Vec<_>>(),
        })
    }
}
