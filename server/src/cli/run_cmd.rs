//! `fdl run`: one dry run of a flow. The flow is checked first; a flow with errors the
//! service would reject is refused (with those errors) unless `--force`.

use std::path::Path;

use super::args::{Format, RunArgs};
use super::console::{Console, Exit};
use super::eval_cmd::read_json;
use super::files;
use super::render_human;
use crate::analysis::{self, CheckOptions, Severity, WorkflowMode};
use crate::dryrun::render::{self, Style};
use crate::dryrun::workspace::Workspace;
use crate::dryrun::{self, Limits, Mocks, Options, Status, suite};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

pub fn run(args: &RunArgs, console: &mut Console) -> Exit {
    let name = args.flow.display().to_string();
    let content = match files::read_text(&args.flow) {
        Ok(c) => c,
        Err(e) => {
            console.error_line(&format!("{name}: {e}"));
            return Exit::Trouble;
        }
    };
    let text = SourceText::new(&content);
    let tree = SyntaxTree::parse(&text);
    let host = if args.flow.extension().is_some_and(|e| e == "tf") {
        crate::templates::terraform_host(&content)
    } else {
        crate::templates::yaml_host(&text, &tree)
    };
    if host.is_some() || crate::templates::embedded::is_deployment_file(&tree) {
        let named: Vec<String> = host.iter().flat_map(|h| &h.files).map(|f| f.path.clone()).collect();
        let hint = if named.is_empty() { String::new() } else { format!(" (it names {})", named.join(", ")) };
        console.error_line(&format!(
            "{name} is a deployment file, not a flow definition: run a flow file{hint}, or save an embedded flow as one"
        ));
        return Exit::Trouble;
    }
    let mode = args
        .mode
        .map(Into::into)
        .or_else(|| analysis::mode_from_comment(&text))
        .unwrap_or(WorkflowMode::Standard);
    if let Some(exit) = refuse_with_errors(&name, &text, &tree, mode, args.force, console) {
        return exit;
    }
    let deploy = match &args.vars {
        Some(path) => match read_vars(path, console) {
            Some(v) => v,
            None => return Exit::Trouble,
        },
        None => dryrun::DeployVars::default(),
    };
    let program = match dryrun::lower_with(&text, &tree, PositionEncoding::Utf16, std::sync::Arc::new(deploy))
    {
        Ok(p) => p,
        Err(message) => {
            console.error_line(&format!("{name}: {message}"));
            return Exit::Errors;
        }
    };
    let input = match args.input.as_deref().map(|t| read_json("--input", t)).transpose() {
        Ok(v) => v.unwrap_or_else(|| serde_json::json!({})),
        Err(message) => {
            console.error_line(&message);
            return Exit::Trouble;
        }
    };
    let mocks = match &args.mocks {
        Some(path) => match read_mocks(path, console) {
            Some(m) => m,
            None => return Exit::Trouble,
        },
        None => Mocks::default(),
    };
    let options = Options {
        mode,
        seed: args.seed,
        limits: Limits { max_steps: args.max_steps, ..Limits::default() },
        start_time_ms: now_ms(),
        flow_name: flow_stem(&args.flow),
        ..Options::default()
    };
    let cwd = std::env::current_dir().ok();
    let loader = Workspace::new(args.flow.parent(), cwd.as_deref());
    let result = dryrun::run(&program, input, &mocks, &options, &loader);
    match args.format {
        Format::Human => {
            let mode = match mode {
                WorkflowMode::Standard => "Standard",
                WorkflowMode::Express => "Express",
            };
            let seed = args.seed.map(|s| format!(", seed {s}")).unwrap_or_default();
            console.out(&format!("dry run of {name} ({}, {mode}{seed})\n", program.dialect.display_name()));
            console.out(&render::human(&result, Style { max_value: 160, color: console.color }));
        }
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&result).unwrap_or_else(|_| "{}".to_string());
            json.push('\n');
            console.out(&json);
        }
    }
    if result.status == Status::Succeeded { Exit::Clean } else { Exit::Errors }
}

/// Prints the flow's errors on stderr; `Some(exit)` when they stop the run.
pub(super) fn refuse_with_errors(
    name: &str,
    text: &SourceText,
    tree: &SyntaxTree,
    mode: WorkflowMode,
    force: bool,
    console: &mut Console,
) -> Option<Exit> {
    let diagnostics =
        analysis::check(text, tree, &CheckOptions { mode: Some(mode), ..CheckOptions::default() });
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    if errors.is_empty() {
        return None;
    }
    for d in &errors {
        console.err(&render_human::render_diagnostic(name, text, d, console.err_color));
    }
    let n = errors.len();
    let s = if n == 1 { "" } else { "s" };
    if force {
        console.err(&format!(
            "warning: {name} has {n} error{s} the service would reject; running anyway (--force)\n"
        ));
        return None;
    }
    console.error_line(&format!(
        "{name} has {n} error{s} the service would reject; fix them, or run it anyway with --force"
    ));
    Some(Exit::Errors)
}

/// The mocks file, or its errors on stderr (`path:line:col: message`).
fn read_vars(path: &Path, console: &mut Console) -> Option<dryrun::DeployVars> {
    let name = path.display().to_string();
    let content = match files::read_text(path) {
        Ok(c) => c,
        Err(e) => {
            console.error_line(&format!("{name}: {e}"));
            return None;
        }
    };
    match dryrun::deploy::read(&content) {
        Ok(vars) => Some(vars),
        Err(errors) => {
            for e in &errors {
                console.error_line(&format!("{name}:{e}"));
            }
            None
        }
    }
}

/// The mocks of a test file (`--mocks`), or `None` with the file's errors printed.
pub(super) fn read_mocks(path: &Path, console: &mut Console) -> Option<Mocks> {
    let name = path.display().to_string();
    let content = match files::read_text(path) {
        Ok(c) => c,
        Err(e) => {
            console.error_line(&format!("{name}: {e}"));
            return None;
        }
    };
    let (file, errors) = suite::parse(&content);
    if !errors.is_empty() {
        for e in &errors {
            console.error_line(&format!("{name}:{e}"));
        }
        return None;
    }
    Some(file.mocks)
}

/// The file name without its YAML extensions: a legacy flow's name when it has none.
pub(super) fn flow_stem(path: &Path) -> Option<String> {
    let file = path.file_name()?.to_str()?;
    let stem = [".fdl.yaml", ".fdl.yml", ".flow.yaml", ".flow.yml", ".yaml", ".yml"]
        .iter()
        .find_map(|ext| file.strip_suffix(ext))
        .unwrap_or(file);
    Some(stem.to_string())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
