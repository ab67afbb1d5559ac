//! The launch configuration (what `launch.json` or an nvim-dap configuration holds) and
//! everything read from it before a run can start: the flow (or a test file and one of its
//! cases), the input, the mocks, the placeholder values, the mode. Every mistake is an
//! error message for the user, never a panic; files are read here, once, so that the run
//! thread only runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde::Deserialize;
use serde_json::Value;

use crate::analysis::{self, CheckOptions, Severity, WorkflowMode};
use crate::dryrun::expect::Expect;
use crate::dryrun::suite::{self, Case, SuiteFile};
use crate::dryrun::workspace::{Workspace, name_from_file};
use crate::dryrun::{self, DeployVars, Limits, Mocks, Options, Program};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

/// The `launch` request's arguments (README: "The launch configuration").
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LaunchArguments {
    /// The flow file, or a test file (`*.fdltest.yaml`) whose `case` runs.
    pub program: Option<String>,
    /// The execution input: a JSON object, JSON text, or the path of a JSON file.
    pub input: Option<Value>,
    /// A mocks file (a test file is one), or the mocks themselves as an object.
    pub mocks: Option<Value>,
    /// Values for deploy-time placeholders: a file (YAML or JSON) or an object.
    pub vars: Option<Value>,
    /// `standard` or `express`.
    pub mode: Option<String>,
    /// A test case of the test file (`program`, or `mocks`).
    pub case: Option<String>,
    pub stop_on_entry: bool,
    /// "Run without debugging": no stops at all.
    pub no_debug: bool,
    /// Where relative paths start (default: the adapter's working directory).
    pub cwd: Option<String>,
    pub seed: Option<u64>,
    pub max_steps: Option<u64>,
}

/// A run ready to start.
pub struct Prepared {
    /// The flow file, as given (made absolute).
    pub path: PathBuf,
    pub program: Program,
    pub input: Value,
    pub mocks: Mocks,
    pub options: Options,
    pub loader: Workspace,
    /// The case run, whose expectations are checked at the end.
    pub case: Option<(String, Expect)>,
    /// What to tell the user before the run (errors the service would reject, ...).
    pub notes: Vec<String>,
    /// `dry run of order.fdl.yaml (CloudFlow, Standard)`.
    pub title: String,
    pub stop_on_entry: bool,
    pub no_debug: bool,
    /// Set to stop the run (disconnect, terminate).
    pub cancel: Arc<AtomicBool>,
}

pub fn prepare(args: &LaunchArguments) -> Result<Prepared, String> {
    let cwd = match &args.cwd {
        Some(c) => PathBuf::from(c),
        None => std::env::current_dir().map_err(|e| format!("no working directory: {e}"))?,
    };
    let Some(program) = args.program.as_deref().filter(|p| !p.trim().is_empty()) else {
        return Err("the launch configuration has no `program`: the flow file (or test file) to debug".into());
    };
    let program_path = cwd.join(program);
    let program_text = read(&program_path, "`program`")?;
    let mut mode = args.mode.as_deref().map(parse_mode).transpose()?;
    let given_mocks = args.mocks.as_ref().map(|m| mocks_file(m, &cwd)).transpose()?;

    // A test case: from `program` when it is a test file, else from `mocks`.
    let mut case: Option<(SuiteFile, Case)> = None;
    let flow_path = if is_test_file(&program_path, &program_text) {
        let suite = parse_suite(&program_text, &program_path)?;
        let Some((flow, _)) = &suite.flow else {
            return Err(format!(
                "{}: a test file needs `Flow:`, the flow its tests run",
                program_path.display()
            ));
        };
        let flow_path = program_path.parent().unwrap_or(Path::new(".")).join(flow);
        let chosen = pick_case(&suite, args.case.as_deref(), &program_path)?;
        case = Some((suite, chosen));
        flow_path
    } else {
        if let Some(name) = &args.case {
            let Some((suite, path)) = given_mocks.as_ref().filter(|(s, _)| !s.cases.is_empty()) else {
                return Err(format!(
                    "`case: {name}` names a test of a test file: set `program` (or `mocks`) to the test file"
                ));
            };
            case = Some((suite.clone(), pick_case(suite, Some(name), path)?));
        }
        program_path.clone()
    };
    let text =
        if flow_path == program_path { program_text } else { read(&flow_path, "the test file's `Flow`")? };
    let source = SourceText::new(&text);
    let tree = SyntaxTree::parse(&source);

    let vars = match &args.vars {
        None => DeployVars::default(),
        Some(Value::String(path)) => {
            let path = cwd.join(path.strip_prefix('@').unwrap_or(path));
            let content = read(&path, "`vars`")?;
            dryrun::deploy::read(&content).map_err(|e| file_errors(&path, &e))?
        }
        Some(v @ Value::Object(_)) => {
            dryrun::deploy::read(&v.to_string()).map_err(|e| file_errors(Path::new("vars"), &e))?
        }
        Some(other) => {
            return Err(format!(
                "`vars` is a file or an object, not {}",
                crate::expr::value::describe(other)
            ));
        }
    };
    let program = dryrun::lower_with(&source, &tree, PositionEncoding::Utf16, Arc::new(vars))
        .map_err(|e| format!("{}: {e}", flow_path.display()))?;

    let case_mode = case.as_ref().and_then(|(s, c)| c.mode.or(s.mode));
    mode = mode.or(case_mode).or_else(|| analysis::mode_from_comment(&source));
    let mode = mode.unwrap_or(WorkflowMode::Standard);

    let mut notes = Vec::new();
    let diagnostics =
        analysis::check(&source, &tree, &CheckOptions { mode: Some(mode), ..CheckOptions::default() });
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    if !errors.is_empty() {
        let s = if errors.len() == 1 { "" } else { "s" };
        notes.push(format!(
            "{} has {} error{s} the service would reject; the dry run goes ahead:",
            flow_path.display(),
            errors.len()
        ));
        for d in errors {
            let p = source.position(d.range.start, PositionEncoding::Utf16);
            notes.push(format!(
                "  {}:{}:{}: {} [{}]",
                flow_path.display(),
                p.line + 1,
                p.character + 1,
                d.message,
                d.code.as_str()
            ));
        }
    }

    let case_input = case.as_ref().map(|(_, c)| c.input.clone());
    let input = match &args.input {
        Some(given) => read_input(given, &cwd)?,
        None => case_input.unwrap_or_else(|| Value::Object(Default::default())),
    };
    let mocks = match (&case, given_mocks) {
        (Some((_, c)), _) => c.mocks.clone(),
        (None, Some((suite, _))) => suite.mocks,
        (None, None) => Mocks::default(),
    };
    let cancel = Arc::new(AtomicBool::new(false));
    let base = Options {
        mode,
        seed: args.seed,
        limits: Limits {
            max_steps: args.max_steps.unwrap_or(Limits::default().max_steps),
            ..Limits::default()
        },
        start_time_ms: now_ms(),
        flow_name: name_from_file(&flow_path),
        cancel: Some(Arc::clone(&cancel)),
        ..Options::default()
    };
    let options = match &case {
        Some((_, c)) => {
            Options { seed: args.seed.or(Some(c.seed.unwrap_or(0))), ..suite::case_options(c, mode, &base) }
        }
        None => base,
    };
    let loader = Workspace::new(flow_path.parent(), Some(&cwd));
    let file = flow_path
        .file_name()
        .map_or_else(|| flow_path.display().to_string(), |f| f.to_string_lossy().into_owned());
    let mode_name = match mode {
        WorkflowMode::Standard => "Standard",
        WorkflowMode::Express => "Express",
    };
    let what = case.as_ref().map(|(_, c)| format!(", test `{}`", c.name)).unwrap_or_default();
    Ok(Prepared {
        title: format!("dry run of {file} ({}, {mode_name}{what})", program.dialect.display_name()),
        path: flow_path,
        program,
        input,
        mocks,
        options,
        loader,
        case: case.map(|(_, c)| (c.name, c.expect)),
        notes,
        stop_on_entry: args.stop_on_entry,
        no_debug: args.no_debug,
        cancel,
    })
}

fn read(path: &Path, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map(|t| t.trim_start_matches('\u{feff}').to_string())
        .map_err(|e| format!("{what}: cannot read {}: {e}", path.display()))
}

fn parse_mode(text: &str) -> Result<WorkflowMode, String> {
    match text.to_ascii_lowercase().as_str() {
        "standard" => Ok(WorkflowMode::Standard),
        "express" => Ok(WorkflowMode::Express),
        _ => Err(format!("`mode` is `standard` or `express`, not `{text}`")),
    }
}

fn is_test_file(path: &Path, text: &str) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".fdltest.yaml")
        || name.ends_with(".fdltest.yml")
        || (text.lines().any(|l| l.trim_end() == "Tests:") && text.lines().any(|l| l.starts_with("Flow:")))
}

fn parse_suite(text: &str, path: &Path) -> Result<SuiteFile, String> {
    let (suite, errors) = suite::parse(text);
    if errors.is_empty() { Ok(suite) } else { Err(file_errors(path, &errors)) }
}

fn file_errors(path: &Path, errors: &[dryrun::FileError]) -> String {
    let lines: Vec<String> = errors.iter().map(|e| format!("{}:{e}", path.display())).collect();
    lines.join("\n")
}

fn pick_case(suite: &SuiteFile, name: Option<&str>, path: &Path) -> Result<Case, String> {
    let names = || suite.cases.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ");
    match name {
        Some(name) => suite.cases.iter().find(|c| c.name == name).cloned().ok_or_else(|| {
            format!("{} has no test named `{name}`; its tests are {}", path.display(), names())
        }),
        None if suite.cases.len() == 1 => Ok(suite.cases[0].clone()),
        None if suite.cases.is_empty() => Err(format!("{} has no tests", path.display())),
        None => Err(format!("{} has several tests: name one with `case` ({})", path.display(), names())),
    }
}

/// A mocks file named by path (a test file is one), or mocks written as an object.
fn mocks_file(given: &Value, cwd: &Path) -> Result<(SuiteFile, PathBuf), String> {
    match given {
        Value::String(path) => {
            let path = cwd.join(path.strip_prefix('@').unwrap_or(path));
            let text = read(&path, "`mocks`")?;
            Ok((parse_suite(&text, &path)?, path))
        }
        // JSON is YAML: the object reads like a mocks file, with the same checks.
        Value::Object(_) => {
            let path = PathBuf::from("mocks");
            Ok((parse_suite(&given.to_string(), &path)?, path))
        }
        other => Err(format!("`mocks` is a file or an object, not {}", crate::expr::value::describe(other))),
    }
}

fn read_input(given: &Value, cwd: &Path) -> Result<Value, String> {
    let value = match given {
        Value::String(text) if text.trim_start().starts_with(['{', '[']) => {
            serde_json::from_str(text).map_err(|e| format!("`input` is not valid JSON: {e}"))?
        }
        Value::String(path) => {
            let path = cwd.join(path.strip_prefix('@').unwrap_or(path));
            let text = read(&path, "`input`")?;
            serde_json::from_str(&text)
                .map_err(|e| format!("`input`: {} is not valid JSON: {e}", path.display()))?
        }
        other => other.clone(),
    };
    if !value.is_object() {
        let what = crate::expr::value::describe(&value);
        return Err(format!("`input` must be a JSON object (an execution's input), not {what}"));
    }
    Ok(value)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
