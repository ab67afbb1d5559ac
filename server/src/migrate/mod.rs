//! Migration of a legacy Serverless Workflow flow (`type: flow`, `steps`) to an equivalent
//! CloudFlow flow (`Type: StateMachine`, `States`), and the proof of equivalence by
//! running both (`verify`). Sits on `analysis::model` (the legacy flow's typed view),
//! `expr` (rewriting JSONPath as CloudFlow expressions) and `dryrun` (for the proof);
//! plain data out (the new text, notes with ranges), no LSP types.
//!
//! How the legacy data model is reproduced (legacy-fdl.md §3): a legacy step list has an
//! input (its parent's) and a `$local` (the merged outputs of the steps so far); a step's
//! input is the two merged (or its inputMappings over them). CloudFlow hands one object
//! from state to state and builds objects with constructors whose keys are fixed, so it
//! cannot merge a result with unknown keys into the data passed on. Every migrated state
//! therefore passes an envelope `{input, local}` on: `$Input.input` is the legacy `$input`
//! of its step list and `$Input.local` the legacy `$local`; states of a choice branch's
//! steps (merged into the choice's scope) also carry their choice's envelope as `parent`.
//! The first state of a scope builds the envelope from what it receives; choices get
//! joining states that hand the branch's local on, as the legacy choice did.
//!
//! - [`rewrite`]: legacy expressions as CloudFlow expressions;
//! - [`build`]: step lists to scopes of states, names, transitions;
//! - [`steps`], [`task`]: each step type; [`data`]: the envelope, mappings as constructors,
//!   Retry and Catch;
//! - [`comments`], [`yaml`]: the legacy comments and the printed document;
//! - [`mocks`], [`verify`]: the differential dry run.

mod build;
mod comments;
mod data;
mod keys;
pub mod mocks;
mod rewrite;
mod steps;
mod task;
pub mod verify;
mod yaml;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

use fdl_schema::Dialect;

use crate::analysis::model::Flow;
use crate::syntax::{SourceText, SyntaxTree, TextRange};

/// What `fdl migrate` and the editor need to know about a migration.
#[derive(Clone, Debug)]
pub struct Migration {
    /// The CloudFlow flow, ready to save.
    pub text: String,
    /// The flow's `Name`.
    pub name: String,
    /// Where the migrated flow differs from the legacy one, or needs checking. Each is
    /// also a `# fdl-migrate:` comment in [`Migration::text`].
    pub notes: Vec<Note>,
    /// Every state of the migrated flow and where it came from.
    pub states: Vec<Origin>,
    /// How the legacy flow's output appears in the migrated flow's output.
    pub output: OutputShape,
    /// Differences no CloudFlow construct can avoid (each has a note). The check runs the
    /// legacy flow without them, so that everything else is still compared exactly.
    pub known: Vec<KnownDifference>,
}

/// A legacy behaviour the migrated flow cannot have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KnownDifference {
    /// A foreach's `iterationMapping.index`: CloudFlow gives a Map iteration no index.
    IterationIndex { foreach: String },
}

/// A difference or something to check, at a place of the legacy text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// Stable kebab-case identifier (README lists them).
    pub code: &'static str,
    pub message: String,
    /// The legacy node it is about.
    pub range: TextRange,
    /// The migrated state it is attached to, if any.
    pub state: Option<String>,
}

/// A state of the migrated flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub name: String,
    /// The legacy step it was made from (its name); `None` for states the migration added.
    pub legacy: Option<String>,
    /// For a task: how its CloudFlow result holds the legacy one (`None`: not a task).
    pub task: Option<TaskResult>,
}

/// How a migrated task's result holds the legacy task's result (its `$local`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskResult {
    /// As it is.
    Same,
    /// Under `Body` (Function Compute: `$Output.Body`): mocked results carry over wrapped
    /// in `{Body: …}`.
    InBody,
}

/// How the legacy output (the flow's `$local`, or its outputMappings) maps to the migrated
/// flow's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputShape {
    /// The same object.
    Same,
    /// Under the key `local`: the legacy output merged results whose keys are only known at
    /// run time, which a CloudFlow constructor cannot spread into its object (where every
    /// end of the flow knows its keys, the output is built key by key: [`OutputShape::Same`]).
    UnderLocal,
}

/// Why a text could not be migrated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MigrateError {
    /// The YAML has errors; nothing is guessed.
    Syntax { message: String, range: TextRange },
    /// Already a CloudFlow flow.
    AlreadyCloudFlow,
    /// Neither dialect.
    NotAFlow,
    /// Step lists nested deeper than [`MAX_NESTING`].
    TooDeep,
}

/// How deep step lists may nest (choice branches, parallel branches, foreach bodies): far
/// beyond any real flow, and within what the translation's recursion can take.
pub const MAX_NESTING: usize = 200;

impl std::fmt::Display for MigrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MigrateError::Syntax { message, .. } => write!(f, "the YAML has errors ({message}); fix them first"),
            MigrateError::AlreadyCloudFlow => f.write_str("this is already a CloudFlow flow (`Type: StateMachine`)"),
            MigrateError::NotAFlow => f.write_str(
                "not a legacy flow definition: expected `type: flow` with `steps` (legacy Serverless Workflow)",
            ),
            MigrateError::TooDeep => write!(f, "its step lists nest more than {MAX_NESTING} deep"),
        }
    }
}

/// Settings that are not in the file.
#[derive(Clone, Debug, Default)]
pub struct MigrateOptions {
    /// The flow's name when the legacy definition has no `name` (usually the file name
    /// without `.flow.yaml`).
    pub flow_name: Option<String>,
}

/// Migrates a legacy flow. Never panics on any text.
pub fn migrate(text: &str, options: &MigrateOptions) -> Result<Migration, MigrateError> {
    let source = SourceText::new(text);
    let tree = SyntaxTree::parse(&source);
    if let Some(e) = tree.errors().first() {
        return Err(MigrateError::Syntax { message: e.message.clone(), range: e.range });
    }
    let flow = Flow::new(&tree).ok_or(MigrateError::NotAFlow)?;
    if flow.dialect() == Dialect::CloudFlow {
        return Err(MigrateError::AlreadyCloudFlow);
    }
    if nesting(&flow) > MAX_NESTING {
        return Err(MigrateError::TooDeep);
    }
    let (migration, mixed) = build::Builder::new(&flow, &source, &tree, options).run();
    if !mixed {
        return Ok(migration);
    }
    // Some ends knew their keys and others did not: one shape for every end.
    let mut builder = build::Builder::new(&flow, &source, &tree, options);
    builder.exact_output = false;
    Ok(builder.run().0)
}

/// How deep the flow's step lists nest (without recursion: this guards the recursion).
fn nesting(flow: &Flow<'_>) -> usize {
    let mut deepest = 0;
    let mut queue = vec![(flow.top_scope(), 0usize)];
    while let Some((scope, depth)) = queue.pop() {
        deepest = deepest.max(depth);
        if depth > MAX_NESTING {
            break;
        }
        for state in scope.states() {
            queue.extend(state.child_scopes().into_iter().map(|s| (s, depth + 1)));
        }
    }
    deepest
}

/// The name a flow file gives its flow: the file name without `.flow.yaml`, `.flow.yml`,
/// `.yaml` or `.yml` (as the dry run finds sub-flows).
pub fn flow_name_from_path(path: &std::path::Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = [".flow.yaml", ".flow.yml", ".yaml", ".yml"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    Some(stem.to_string())
}

/// Where the migrated flow of `path` goes by default: `x.flow.yaml` → `x.fdl.yaml`.
pub fn migrated_path(path: &std::path::Path) -> std::path::PathBuf {
    let stem = flow_name_from_path(path).unwrap_or_else(|| "flow".to_string());
    path.with_file_name(format!("{stem}.fdl.yaml"))
}
