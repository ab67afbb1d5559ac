//! `fdl migrate`: a legacy flow as a CloudFlow flow. The text goes to stdout (or `-o`), the
//! notes to stderr; `--check` dry-runs both flows and compares them.

use std::path::Path;

use super::args::MigrateArgs;
use super::console::{Console, Exit};
use super::eval_cmd::read_json;
use super::files;
use super::render_human;
use crate::analysis::{self, CheckOptions, Severity};
use crate::dryrun::workspace::Workspace;
use crate::dryrun::{self, Limits, Mocks, Options, Status, suite};
use crate::migrate::verify::{self, Case};
use crate::migrate::{self, MigrateOptions, Migration};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

/// States a checked run may enter: enough for any real flow, small enough that a flow
/// that loops on generated data stops quickly (both flows stop, and are compared up to there).
const CHECK_STEPS: u64 = 800;

pub fn run(args: &MigrateArgs, console: &mut Console) -> Exit {
    let name = args.flow.display().to_string();
    let content = match files::read_text(&args.flow) {
        Ok(c) => c,
        Err(e) => {
            console.error_line(&format!("{name}: {e}"));
            return Exit::Trouble;
        }
    };
    let options = MigrateOptions { flow_name: migrate::flow_name_from_path(&args.flow) };
    let migration = match migrate::migrate(&content, &options) {
        Ok(m) => m,
        Err(e) => {
            console.error_line(&format!("{name}: {e}"));
            return Exit::Trouble;
        }
    };
    let text = SourceText::new(&content);
    for note in &migration.notes {
        let at = text.position(note.range.start, crate::syntax::PositionEncoding::Chars);
        let label = if console.err_color { "\x1b[1;96mnote\x1b[0m" } else { "note" };
        console.err(&format!(
            "{label}[{}]: {}\n  --> {name}:{}:{}\n",
            note.code,
            note.message,
            at.line + 1,
            at.character + 1
        ));
    }
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            if let Err(e) = std::fs::write(path, &migration.text) {
                console.error_line(&format!("{}: {e}", path.display()));
                return Exit::Trouble;
            }
            let n = migration.notes.len();
            console.err(&format!("wrote {} ({n} note{})\n", path.display(), if n == 1 { "" } else { "s" }));
        }
        _ => console.out(&migration.text),
    }
    if args.check { check(args, &name, &content, &migration, console) } else { Exit::Clean }
}

/// `--check`: the migrated flow must have no errors, and run like the legacy flow.
fn check(
    args: &MigrateArgs,
    name: &str,
    legacy_text: &str,
    migration: &Migration,
    console: &mut Console,
) -> Exit {
    let out_name = match &args.output {
        Some(p) if p.as_os_str() != "-" => p.display().to_string(),
        _ => migrate::migrated_path(&args.flow).display().to_string(),
    };
    let text = SourceText::new(&migration.text);
    let tree = SyntaxTree::parse(&text);
    let diagnostics = analysis::check(&text, &tree, &CheckOptions::default());
    let mut errors = 0;
    for d in diagnostics.iter().filter(|d| matches!(d.severity, Severity::Error | Severity::Warning)) {
        errors += usize::from(d.severity == Severity::Error);
        console.err(&render_human::render_diagnostic(&out_name, &text, d, console.err_color));
    }
    let old_text = SourceText::new(legacy_text);
    let old_tree = SyntaxTree::parse(&old_text);
    let (Ok(mut legacy), Ok(migrated)) = (
        dryrun::lower(&old_text, &old_tree, PositionEncoding::Utf16),
        dryrun::lower(&text, &tree, PositionEncoding::Utf16),
    ) else {
        console.error_line(&format!("{name}: the flows could not be compiled for a dry run"));
        return Exit::Errors;
    };
    let relaxed = verify::reference(&mut legacy, migration);
    let input = match args.input.as_deref().map(|t| read_json("--input", t)).transpose() {
        Ok(v) => v,
        Err(message) => {
            console.error_line(&message);
            return Exit::Trouble;
        }
    };
    let mocks = match &args.mocks {
        Some(path) => match read_mocks(path, console) {
            Some(m) => Some(m),
            None => return Exit::Trouble,
        },
        None => None,
    };
    let count = if input.is_some() { 1 } else { args.cases.max(1) };
    let options =
        Options { limits: Limits { max_steps: CHECK_STEPS, ..Limits::default() }, ..Options::default() };
    let cwd = std::env::current_dir().ok();
    let loader = Workspace::new(args.flow.parent(), cwd.as_deref());
    let mut tally = [0usize; 4];
    for i in 0..count {
        let seed = args.seed.wrapping_add(u64::from(i));
        let generated = verify::generate(&legacy, seed);
        let case = Case {
            input: input.clone().unwrap_or(generated.input),
            mocks: mocks.clone().unwrap_or(generated.mocks),
            seed,
        };
        let result = verify::compare(&legacy, &migrated, migration, &case, &options, &loader);
        if let Some(d) = result.difference {
            console.err(&format!(
                "check: the flows differ on case {} (seed {seed}, input {}):\n{d}\n",
                i + 1,
                crate::expr::value::preview(&case.input, 200)
            ));
            return Exit::Errors;
        }
        tally[match result.legacy.status {
            Status::Succeeded => 0,
            Status::Failed => 1,
            Status::TimedOut => 2,
            Status::StepLimit => 3,
        }] += 1;
    }
    let s = if count == 1 { "" } else { "s" };
    let relaxed = if relaxed.is_empty() {
        String::new()
    } else {
        format!("; the legacy flow ran {}", relaxed.join(", "))
    };
    console.err(&format!(
        "check: equivalent on {count} run{s} ({} succeeded, {} failed, {} timed out, {} stopped by the step limit){relaxed}\n",
        tally[0], tally[1], tally[2], tally[3]
    ));
    if errors > 0 {
        console.error_line(&format!("{out_name}: the migrated flow has {errors} error(s)"));
        return Exit::Errors;
    }
    Exit::Clean
}

fn read_mocks(path: &Path, console: &mut Console) -> Option<Mocks> {
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
