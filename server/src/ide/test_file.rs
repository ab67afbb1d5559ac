//! Editing the dry run's test files (`*.fdltest.yaml`): their problems (what `fdl test`
//! would refuse, state names the flow does not have), completion of keys and of the
//! flow's state names, and a "Run case" lens per case.

use super::code_lens::{CodeLens, DRY_RUN_COMMAND};
use super::completion::{CompletionItem, CompletionKind};
use super::dry_run::FlowFacts;
use crate::analysis::{Code, Diagnostic};
use crate::dryrun::expect::EXPECT_KEYS;
use crate::dryrun::suite::{self, CASE_KEYS, TOP_KEYS};
use crate::syntax::{SourceText, TextRange};

/// Whether a file name (or URI) is a test file's.
pub fn is_test_file(name: &str) -> bool {
    name.ends_with(".fdltest.yaml") || name.ends_with(".fdltest.yml")
}

/// The flow a test file names, as loaded by the caller.
#[derive(Clone, Debug)]
pub enum TestedFlow {
    Found(FlowFacts),
    /// Why it could not be read (a missing file, not a flow).
    Problem(String),
}

pub fn diagnostics(text: &SourceText, flow: Option<&TestedFlow>) -> Vec<Diagnostic> {
    let source = text.to_string_lossless();
    let (file, errors) = suite::parse(&source);
    let mut out: Vec<Diagnostic> = errors
        .iter()
        .map(|e| {
            let code = if e.message.starts_with("YAML: ") { Code::YamlSyntax } else { Code::TestFile };
            Diagnostic::error(code, e.range, e.message.trim_start_matches("YAML: "))
        })
        .collect();
    match (flow, &file.flow) {
        (Some(TestedFlow::Problem(why)), Some((_, range))) => {
            out.push(Diagnostic::error(Code::TestFile, *range, why.clone()));
        }
        (Some(TestedFlow::Found(facts)), _) => {
            for (name, range) in &file.state_refs {
                if !facts.states.iter().any(|s| s == name) {
                    let hint = crate::expr::check::suggest(name, facts.states.iter().map(String::as_str))
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    out.push(Diagnostic::error(
                        Code::UnknownState,
                        *range,
                        format!("the flow has no state `{name}`{hint}"),
                    ));
                }
            }
        }
        _ => {}
    }
    out.sort_by_key(|d| (d.range.start, d.range.end));
    out
}

pub fn code_lenses(text: &SourceText) -> Vec<CodeLens> {
    let (file, _) = suite::parse(&text.to_string_lossless());
    file.cases
        .iter()
        .map(|c| CodeLens {
            range: TextRange::empty(c.range.start),
            title: "▶ Run case".to_string(),
            command: Some(DRY_RUN_COMMAND.to_string()),
        })
        .collect()
}

/// The names of the cases, in the order of [`code_lenses`].
pub fn case_names(text: &SourceText) -> Vec<String> {
    suite::parse(&text.to_string_lossless()).0.cases.into_iter().map(|c| c.name).collect()
}

const RESPONSE_KEYS: &[(&str, &str)] = &[
    ("Return", "The task's result (`$Output`; legacy `$local`)."),
    ("Throw", "An error the task fails with: `{Error: name, Cause: message}`."),
    ("Callback", "For callback tasks: `{Succeed: output}` or `{Fail: {Error, Cause}}`, with a `Delay`."),
    ("Delay", "Virtual seconds before the result arrives."),
];

/// Completion in a test file at `offset`: keys for where the cursor is, and the state
/// names of the tested flow where names go.
pub fn completions(text: &SourceText, offset: u32, flow: Option<&FlowFacts>) -> Vec<CompletionItem> {
    let line_no = text.line_of(offset);
    let line_start = text.line_start(line_no);
    let before = text.slice(TextRange::new(line_start, offset));
    let indent = before.len() - before.trim_start().len();
    let typed = before.trim_start().trim_start_matches("- ").trim_start_matches('-').trim_start();
    let in_value = typed.contains(':');
    let word_start = offset - (typed.rsplit([':', ' ', '[', ',']).next().unwrap_or("").len() as u32);
    let replace = TextRange::new(word_start, offset);
    let parents = parents(text, line_no, indent);
    let parent = |i: usize| parents.get(i).map(String::as_str);
    let key = |label: &str, doc: &str| item(label, CompletionKind::Key, format!("{label}: "), doc, replace);
    let names = |list: &[String], kind: CompletionKind, suffix: &str| -> Vec<CompletionItem> {
        list.iter()
            .map(|n| item(n, kind, format!("{}{suffix}", crate::syntax::yaml_string(n)), "", replace))
            .collect()
    };
    let facts = flow.cloned().unwrap_or_default();
    if in_value {
        let (k, _) = typed.split_once(':').unwrap_or(("", ""));
        return match k.trim() {
            "Status" => ["Succeeded", "Failed", "TimedOut", "StepLimit"]
                .iter()
                .map(|s| item(s, CompletionKind::Value, s.to_string(), "", replace))
                .collect(),
            "Mode" => ["standard", "express"]
                .iter()
                .map(|s| item(s, CompletionKind::Value, s.to_string(), "", replace))
                .collect(),
            "Ran" | "NotRan" => names(&facts.states, CompletionKind::State, ""),
            _ => Vec::new(),
        };
    }
    match (parent(0), parent(1), parent(2)) {
        (None, _, _) => TOP_KEYS.iter().map(|k| key(k, top_doc(k))).collect(),
        (Some("Tests"), None, _) => Vec::new(),
        (Some(_), Some("Tests"), None) => CASE_KEYS.iter().map(|k| key(k, "")).collect(),
        (Some("Expect"), Some(_), Some("Tests")) => EXPECT_KEYS.iter().map(|k| key(k, "")).collect(),
        (Some("States"), _, _) => names(&facts.states, CompletionKind::State, ": "),
        (Some("Actions"), _, _) => names(&facts.actions, CompletionKind::Value, ": "),
        (Some("Ran" | "NotRan"), _, _) => names(&facts.states, CompletionKind::State, ""),
        (Some("Parameters"), Some("Expect"), _) => names(&facts.tasks, CompletionKind::State, ": "),
        (Some("Throw" | "Fail"), _, _) => ["Error", "Cause"].iter().map(|k| key(k, "")).collect(),
        (Some("Callback"), _, _) => ["Succeed", "Fail", "Delay"].iter().map(|k| key(k, "")).collect(),
        (Some(_), Some("States" | "Actions"), _) | (Some(_), Some(_), Some("States" | "Actions")) => {
            RESPONSE_KEYS.iter().map(|(k, d)| key(k, d)).collect()
        }
        _ => Vec::new(),
    }
}

fn top_doc(key: &str) -> &'static str {
    match key {
        "Flow" => "The flow file the tests run, relative to this file.",
        "Mode" => "`standard` or `express` (default: the flow's `# fdl: mode=` comment).",
        "States" => "Mocks by state name, for every test.",
        "Actions" => "Mocks by Action, for every test.",
        "Tests" => "Named test cases.",
        _ => "",
    }
}

fn item(label: &str, kind: CompletionKind, insert: String, doc: &str, replace: TextRange) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind,
        detail: None,
        documentation: (!doc.is_empty()).then(|| doc.to_string()),
        insert,
        snippet: false,
        replace,
        sort: label.to_string(),
        deprecated: false,
    }
}

/// The keys of the mappings that enclose a line at `indent`, innermost first.
fn parents(text: &SourceText, line: u32, indent: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut limit = indent;
    for l in (0..line).rev() {
        let content = text.slice(text.line_range(l));
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let own = content.len() - trimmed.len();
        // A list item's key sits after its dash.
        let (own, trimmed) = match trimmed.strip_prefix("- ") {
            Some(rest) => (own + 2, rest),
            None => (own, trimmed),
        };
        if own < limit {
            if let Some((k, _)) = trimmed.split_once(':') {
                out.push(k.trim().trim_matches(|c| c == '"' || c == '\'').to_string());
            }
            limit = own;
            if own == 0 {
                break;
            }
        }
    }
    out
}
