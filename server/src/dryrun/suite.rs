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

use serde_json::Value;

use super::expect::Expect;
use super::mocks::{self, Mocks};
use super::options::{Loader, Options};
use super::program::Program;
use super::reader::{self, FileError, Reader};
use super::result::RunResult;
use crate::analysis::WorkflowMode;
use crate::syntax::{Node, SourceText, SyntaxTree, TextRange};

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
