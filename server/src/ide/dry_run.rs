//! The dry run in the editor: running the document as the editor holds it (a flow, or a
//! case of a test file), what the last run shows on each state (inlay hints that survive
//! edits elsewhere), and sub-flow references for "go to definition".

use fdl_schema::Dialect;
use serde_json::{Value, json};

use super::{Config, Document};
use crate::analysis::model::{Flow, Scope, State};
use crate::analysis::{self, Severity, WorkflowMode};
use crate::dryrun::{
    self, ErrorInfo, EventKind, Execution, Hook, Loader, Mocks, Options, RunResult, Warning, suite,
};
use crate::expr::value::preview;
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree, TextRange};

/// What the editor asks for.
#[derive(Clone, Debug, Default)]
pub struct RunRequest {
    pub input: Option<Value>,
    pub mocks: Mocks,
    pub mode: Option<WorkflowMode>,
    pub seed: Option<u64>,
    /// Values for the flow's deploy-time placeholders.
    pub vars: dryrun::DeployVars,
}

/// Runs a flow document. `Err` when it is no flow.
pub fn run_flow(
    doc: &Document,
    config: &Config,
    request: &RunRequest,
    mut options: Options,
    loader: &dyn Loader,
    hook: &mut dyn Hook,
    encoding: PositionEncoding,
) -> Result<RunResult, String> {
    let program =
        dryrun::lower_with(&doc.text, &doc.tree, encoding, std::sync::Arc::new(request.vars.clone()))?;
    let mode = request.mode.unwrap_or_else(|| doc.mode(config));
    options.mode = mode;
    options.seed = request.seed.or(options.seed);
    let input = request.input.clone().unwrap_or_else(|| json!({}));
    let mut execution = Execution::new(&program, input, &request.mocks, &options, loader);
    execution.resume(hook);
    let mut result = execution.into_result();
    // The editor runs what is typed, errors included; say so in the result.
    let errors = doc
        .diagnostics(&Config { mode: Some(mode), ..config.clone() })
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        let s = if errors == 1 { "" } else { "s" };
        result.warnings.insert(
            0,
            Warning {
                code: "static-errors",
                message: format!(
                    "the flow has {errors} error{s} the service would reject; the dry run went ahead"
                ),
                state: None,
                range: None,
                assumption: None,
            },
        );
    }
    Ok(result)
}

/// Runs one case of a test file against its flow (`flow_text`); unmet expectations come
/// back as warnings with the code `expectation`.
#[allow(clippy::too_many_arguments)]
pub fn run_case(
    test_text: &str,
    case: &str,
    flow_text: &str,
    options: Options,
    loader: &dyn Loader,
    hook: &mut dyn Hook,
    encoding: PositionEncoding,
) -> Result<RunResult, String> {
    let (file, errors) = suite::parse(test_text);
    if let Some(e) = errors.first() {
        return Err(format!("the test file has errors, first at {e}"));
    }
    let Some(case) = file.cases.iter().find(|c| c.name == case) else {
        return Err(format!("the test file has no test named `{case}`"));
    };
    let text = SourceText::new(flow_text);
    let tree = SyntaxTree::parse(&text);
    let program = dryrun::lower(&text, &tree, encoding)?;
    let mode = case
        .mode
        .or(file.mode)
        .or_else(|| analysis::mode_from_comment(&text))
        .unwrap_or(WorkflowMode::Standard);
    let options = suite::case_options(case, mode, &options);
    let mut execution = Execution::new(&program, case.input.clone(), &case.mocks, &options, loader);
    execution.resume(hook);
    let mut result = execution.into_result();
    for failure in dryrun::expect::check(&case.expect, &result) {
        result.warnings.push(Warning {
            code: "expectation",
            message: failure,
            state: None,
            range: None,
            assumption: None,
        });
    }
    Ok(result)
}

/// What the last run showed for each state it entered, with the state's text at the
/// time: a hint is shown only while the state's text is the same.
#[derive(Clone, Debug, Default)]
pub struct RunSnapshot {
    pub states: Vec<StateRun>,
}

#[derive(Clone, Debug)]
pub struct StateRun {
    /// Where the state is: enclosing states and branch indices, then its name.
    pub key: Vec<String>,
    pub text: String,
    pub label: String,
    pub tooltip: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint goes (after the state's name).
    pub offset: u32,
    pub label: String,
    pub tooltip: String,
}

/// Every state with its key (`["Parallel1", "#0", "Pass1"]`), outer scopes first.
fn keyed_states<'f, 'a>(flow: &'f Flow<'a>) -> Vec<(Vec<String>, State<'f, 'a>)> {
    fn walk<'f, 'a>(scope: Scope<'f, 'a>, prefix: &[String], out: &mut Vec<(Vec<String>, State<'f, 'a>)>) {
        for state in scope.states() {
            let mut key = prefix.to_vec();
            key.push(state.name().map_or_else(|| "?".to_string(), |(n, _)| n.to_string()));
            out.push((key.clone(), state));
            for (i, child) in state.child_scopes().into_iter().enumerate() {
                let mut k = key.clone();
                k.push(format!("#{i}"));
                walk(child, &k, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(flow.top_scope(), &[], &mut out);
    out
}

/// What the result says about each state of `doc` (the document that was run).
pub fn snapshot(doc: &Document, result: &RunResult, encoding: PositionEncoding) -> RunSnapshot {
    let Some(flow) = Flow::new(&doc.tree) else { return RunSnapshot::default() };
    let states = keyed_states(&flow);
    let start = |s: &State<'_, '_>| {
        let p = doc.text.position(s.node.range().start, encoding);
        (p.line, p.character)
    };
    let mut summaries: Vec<Summary> = vec![Summary::default(); states.len()];
    for event in &result.events {
        let Some(range) = event.range else { continue };
        let at = (range.start.line, range.start.character);
        let Some(i) = states.iter().position(|(_, s)| start(s) == at) else { continue };
        let summary = &mut summaries[i];
        summary.time = event.time;
        match &event.kind {
            EventKind::StateEntered { .. } => summary.visits += 1,
            EventKind::StateExited { output } => summary.last = Some(Outcome::Output(output.value().clone())),
            EventKind::StateFailed { error } => summary.last = Some(Outcome::Failed(error.clone())),
            EventKind::CatchTaken { error, next } => {
                summary.last = Some(Outcome::Caught(error.clone(), next.to_string()))
            }
            _ => {}
        }
    }
    let states = states
        .into_iter()
        .zip(summaries)
        .filter(|(_, s)| s.visits > 0)
        .map(|((key, state), s)| StateRun {
            key,
            text: doc.text.slice(state.node.range()),
            label: s.label(),
            tooltip: s.tooltip(),
        })
        .collect();
    RunSnapshot { states }
}

#[derive(Clone, Debug, Default)]
struct Summary {
    visits: u32,
    time: f64,
    last: Option<Outcome>,
}

#[derive(Clone, Debug)]
enum Outcome {
    Output(Value),
    Failed(ErrorInfo),
    Caught(ErrorInfo, String),
}

impl Summary {
    fn label(&self) -> String {
        let times = if self.visits > 1 { format!("×{} ", self.visits) } else { String::new() };
        match &self.last {
            Some(Outcome::Output(o)) => format!("✓ {times}{}", preview(o, 48)),
            Some(Outcome::Failed(e)) => format!("✗ {times}{}", e.code),
            Some(Outcome::Caught(e, next)) => format!("⤷ {times}{} → {next}", e.code),
            None => format!("… {times}running"),
        }
    }

    fn tooltip(&self) -> String {
        let runs = if self.visits == 1 { "once".to_string() } else { format!("{} times", self.visits) };
        let what = match &self.last {
            Some(Outcome::Output(o)) => {
                let pretty = serde_json::to_string_pretty(o).unwrap_or_default();
                let cut: String = pretty.chars().take(2000).collect();
                format!("Output:\n{cut}")
            }
            Some(Outcome::Failed(e)) => format!("Failed: {}: {}", e.code, e.detail),
            Some(Outcome::Caught(e, next)) => format!("Caught {}: {} (went to {next})", e.code, e.detail),
            None => "It had not finished when the run ended.".to_string(),
        };
        format!("Dry run: entered {runs}, last at {}s (virtual).\n{what}", dryrun::render::seconds(self.time))
    }
}

/// The hints of `snapshot` for the states of `doc` whose text has not changed since.
pub fn inlay_hints(doc: &Document, snapshot: &RunSnapshot, range: TextRange) -> Vec<InlayHint> {
    let Some(flow) = Flow::new(&doc.tree) else { return Vec::new() };
    let mut out = Vec::new();
    for (key, state) in keyed_states(&flow) {
        let Some(run) = snapshot.states.iter().find(|r| r.key == key) else { continue };
        let node_range = state.node.range();
        if node_range.end < range.start || node_range.start > range.end {
            continue;
        }
        if doc.text.slice(node_range) != run.text {
            continue;
        }
        let offset = state.name().map_or(node_range.start, |(_, n)| n.value_range().end);
        out.push(InlayHint { offset, label: run.label.clone(), tooltip: run.tooltip.clone() });
    }
    out.sort_by_key(|h| h.offset);
    out
}

/// The name of the flow a sub-flow reference under the cursor starts: an
/// `acs:fnf:…:flow/NAME` ARN, or the `FlowName` of a legacy `action: fnf:StartExecution`.
pub fn subflow_at(doc: &Document, offset: u32) -> Option<(String, TextRange)> {
    let flow = Flow::new(&doc.tree)?;
    let node = flow.root().node_at(offset)?;
    let text = node.scalar()?;
    let range = node.value_range();
    if let Some(name) = dryrun::lower::flow_name_of_arn(text) {
        return Some((name.to_string(), range));
    }
    if flow.dialect() == Dialect::Legacy {
        let line = doc.text.line_range(doc.text.line_of(range.start));
        let before = doc.text.slice(TextRange::new(line.start, range.start));
        if before.trim_start().trim_end().trim_end_matches(':').trim() == "FlowName"
            && !text.trim().is_empty()
        {
            return Some((text.trim().to_string(), range));
        }
    }
    None
}

/// The state names, task state names and Actions of a flow's text, for test files.
#[derive(Clone, Debug, Default)]
pub struct FlowFacts {
    pub states: Vec<String>,
    pub tasks: Vec<String>,
    pub actions: Vec<String>,
}

pub fn flow_facts(text: &str) -> Option<FlowFacts> {
    let source = SourceText::new(text);
    let tree = SyntaxTree::parse(&source);
    let flow = Flow::new(&tree)?;
    let mut facts = FlowFacts::default();
    for (_, state) in keyed_states(&flow) {
        let Some((name, _)) = state.name() else { continue };
        facts.states.push(name.to_string());
        if matches!(state.ty().map(|(t, _)| t), Some("Task" | "task")) {
            facts.tasks.push(name.to_string());
            let action = ["Action", "action", "resourceArn"].iter().find_map(|k| state.get_str(k));
            if let Some((a, _)) = action
                && !facts.actions.iter().any(|x| x == a)
            {
                facts.actions.push(a.to_string());
            }
        }
    }
    Some(facts)
}
