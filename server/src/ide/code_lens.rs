//! Code lenses on the first line: how many states the flow has, and a dry run.

use super::Document;
use crate::analysis::model::Flow;
use crate::syntax::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLens {
    pub range: TextRange,
    pub title: String,
    /// The command a click runs, if any (`fdl.dryRun`).
    pub command: Option<String>,
}

/// The id of the command that runs the flow locally with mocked integrations.
pub const DRY_RUN_COMMAND: &str = "fdl.dryRun";

pub fn code_lenses(doc: &Document) -> Vec<CodeLens> {
    let Some(flow) = Flow::new(&doc.tree) else { return Vec::new() };
    let scopes = flow.scopes();
    let states: usize = scopes.iter().map(|s| s.states().len()).sum();
    let nested = scopes.len() - 1;
    let range = TextRange::empty(flow.root().range().start);
    let noun = if states == 1 { "state" } else { "states" };
    let title = if nested > 0 {
        format!("{states} {noun} in {} scopes", nested + 1)
    } else {
        format!("{states} {noun}")
    };
    vec![
        CodeLens { range, title, command: None },
        CodeLens { range, title: "▶ Dry run".to_string(), command: Some(DRY_RUN_COMMAND.to_string()) },
    ]
}
