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
use super::render_human;
use crate::dryrun::render::{self, Style};
use crate::dryrun::suite::{self, CaseRun, FileRun, RunFile, SuiteFiles};
use crate::dryrun::workspace::Workspace;
use crate::dryrun::{Loader, Options};
use crate::syntax::{PositionEncoding, SourceText};

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

/// One test file's outcome: its run, and its text for the cases' positions.
struct FileOutcome {
    file: String,
    text: SourceText,
    run: FileRun,
}

/// The files as they are on disk.
struct Disk;

impl SuiteFiles for Disk {
    fn read(&self, path: &Path) -> Result<String, String> {
        files::read_text(path).map_err(|e| e.to_string())
    }

    fn loader(&self, flow: &Path) -> Box<dyn Loader + '_> {
        let cwd = std::env::current_dir().ok();
        Box::new(Workspace::new(flow.parent(), cwd.as_deref()))
    }
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
    let passed: usize = outcomes.iter().flat_map(|o| &o.run.cases).filter(|c| c.failures.is_empty()).count();
    let failed: usize = outcomes.iter().flat_map(|o| &o.run.cases).filter(|c| !c.failures.is_empty()).count();
    let broken = outcomes.iter().filter(|o| !o.run.problems.is_empty()).count();
    match args.format {
        Format::Human => report_human(&outcomes, passed, failed, console),
        Format::Json => report_json(&outcomes, passed, failed, console),
    }
    if failed > 0 || broken > 0 { Exit::Errors } else { Exit::Clean }
}

fn run_file(path: &Path, filter: Option<&str>, force: bool, console: &mut Console) -> FileOutcome {
    let file = path.display().to_string();
    let content = match files::read_text(path) {
        Ok(c) => c,
        Err(e) => {
            let run = FileRun { problems: vec![format!("{file}: {e}")], ..FileRun::default() };
            return FileOutcome { file, text: SourceText::default(), run };
        }
    };
    let select = |name: &str| filter.is_none_or(|f| name.contains(f));
    let how = RunFile { select: &select, force, base: Options::default(), encoding: PositionEncoding::Utf16 };
    let mut run = suite::run_file(path, &content, &Disk, &how);
    if let (Some(flow), Some(errors)) = (&run.flow, &run.flow_errors) {
        let name = flow.display().to_string();
        for d in &errors.errors {
            console.err(&render_human::render_diagnostic(&name, &errors.text, d, console.err_color));
        }
        let n = errors.errors.len();
        let s = if n == 1 { "" } else { "s" };
        if errors.refused {
            console.error_line(&format!(
                "{name} has {n} error{s} the service would reject; fix them, or run it anyway with --force"
            ));
            run.problems.push(format!(
                "{name} has errors the service would reject (see above); use --force to test it anyway"
            ));
        } else {
            console.err(&format!(
                "warning: {name} has {n} error{s} the service would reject; running anyway (--force)\n"
            ));
        }
    }
    FileOutcome { file, text: SourceText::new(&content), run }
}

fn report_human(outcomes: &[FileOutcome], passed: usize, failed: usize, console: &mut Console) {
    let color = console.color;
    let paint =
        |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() };
    for o in outcomes {
        let n = o.run.cases.len();
        let flow = o.run.flow.as_ref().map(|f| format!(" (flow {})", f.display())).unwrap_or_default();
        console.out(&format!("\nrunning {n} test{} from {}{flow}\n", if n == 1 { "" } else { "s" }, o.file));
        for p in &o.run.problems {
            console.out(&format!("{} {p}\n", paint("31", "error:")));
        }
        for c in &o.run.cases {
            let verdict = if c.failures.is_empty() { paint("32", "ok") } else { paint("31", "FAILED") };
            console.out(&format!("test {} ... {verdict}\n", c.name));
        }
    }
    let failing: Vec<(&FileOutcome, &CaseRun)> = outcomes
        .iter()
        .flat_map(|o| o.run.cases.iter().filter(|c| !c.failures.is_empty()).map(move |c| (o, c)))
        .collect();
    if !failing.is_empty() {
        console.out("\nfailures:\n");
        for (o, c) in &failing {
            console.out(&format!("\n---- {}: {} ----\n", o.file, c.name));
            for f in &c.failures {
                console.out(&format!("  {f}\n"));
            }
            console.out("  the run:\n");
            for line in render::human(&c.result, Style { max_value: 200, color: false }).lines() {
                console.out(&format!("    {line}\n"));
            }
        }
        console.out("\nfailures:\n");
        for (o, c) in &failing {
            console.out(&format!("    {}: {}\n", o.file, c.name));
        }
    }
    let broken = outcomes.iter().filter(|o| !o.run.problems.is_empty()).count();
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
    let files: Vec<Value> =
        outcomes.iter().map(|o| o.run.to_json(&o.file, &o.text, PositionEncoding::Utf16)).collect();
    let doc = json!({ "files": files, "passed": passed, "failed": failed });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    console.out(&text);
}
