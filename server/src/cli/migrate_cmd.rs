//! `fdl migrate`: a legacy flow as a CloudFlow flow. The text goes to stdout (or `-o`), the
//! notes to stderr; `--check` dry-runs both flows and compares them.
use super::args::MigrateArgs;
use super::console::{Console, Exit};
use super::eval_cmd::read_json;
use super::files;
use super::render_human;
use super::run_cmd::read_mocks;
use crate::analysis::{self, CheckOptions, Severity};
use crate::dryrun::workspace::Workspace;
use crate::dryrun::{self, Limits, Options, Status};
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
    let Some(source) = legacy_source(args, &name, &content, console) else { return Exit::Trouble };
    let options = MigrateOptions { flow_name: source.flow_name.clone() };
    let migration = match migrate::migrate(&source.text, &options) {
        Ok(m) => m,
        Err(e) => {
            console.error_line(&format!("{name}{}: {e}", source.label));
            return Exit::Trouble;
        }
    };
    let text = SourceText::new(&content);
    for note in &migration.notes {
        // In a deployment file, where the note's spot is in the file.
        let offset = source.map.as_ref().map_or(note.range.start, |m| m.to_document(note.range.start));
        let at = text.position(offset, crate::syntax::PositionEncoding::Chars);
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
    if args.check { check(args, &name, &source.text, &migration, console) } else { Exit::Clean }
}

/// The legacy flow to migrate: the file, or a flow written in a deployment file.
struct Source {
    text: String,
    flow_name: Option<String>,
    /// For a flow in a deployment file: ` (resource NAME)`, and its offsets in the file.
    label: String,
    map: Option<crate::syntax::scalar_map::ScalarMap>,
}

fn legacy_source(args: &MigrateArgs, name: &str, content: &str, console: &mut Console) -> Option<Source> {
    let text = SourceText::new(content);
    let tree = SyntaxTree::parse(&text);
    let host = if args.flow.extension().is_some_and(|e| e == "tf") {
        crate::templates::terraform_host(content)
    } else {
        crate::templates::yaml_host(&text, &tree)
    };
    let Some(host) = host.filter(|h| !h.flows.is_empty()) else {
        if args.resource.is_some() {
            console.error_line(&format!("{name}: --resource is for deployment files, and this is none"));
            return None;
        }
        return Some(Source {
            text: content.to_string(),
            flow_name: migrate::flow_name_from_path(&args.flow),
            label: String::new(),
            map: None,
        });
    };
    let is_legacy = |t: &str| {
        let tree = SyntaxTree::parse(&SourceText::new(t));
        crate::analysis::model::Flow::new(&tree).is_some_and(|f| f.dialect() == fdl_schema::Dialect::Legacy)
    };
    let legacy: Vec<_> = host.flows.iter().filter(|f| is_legacy(&f.text)).collect();
    let chosen = match &args.resource {
        Some(r) => legacy.iter().find(|f| &f.resource == r).copied(),
        None if legacy.len() == 1 => Some(legacy[0]),
        None => None,
    };
    let Some(flow) = chosen else {
        let names: Vec<String> = legacy.iter().map(|f| format!("`{}`", f.resource)).collect();
        let message = match (&args.resource, names.is_empty()) {
            (_, true) => format!("{name} is a deployment file without legacy flows in it"),
            (Some(r), false) => {
                format!("{name} has no legacy flow in resource `{r}`; it has {}", names.join(", "))
            }
            (None, false) => format!(
                "{name} holds several legacy flows: choose one with --resource ({})",
                names.join(", ")
            ),
        };
        console.error_line(&message);
        return None;
    };
    Some(Source {
        text: flow.text.clone(),
        flow_name: Some(flow.resource.clone()),
        label: format!(" (resource `{}`)", flow.resource),
        map: Some(flow.map.clone()),
    })
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
