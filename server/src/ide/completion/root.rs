//! An empty or unrecognisable document: a skeleton of each dialect.

use super::{CompletionItem, CompletionKind};
use crate::ide::Document;
use crate::syntax::TextRange;

/// An empty or unrecognisable document: offer a skeleton of each dialect.
pub(super) fn root_snippets(doc: &Document, offset: u32) -> Vec<CompletionItem> {
    let line = doc.text.line_of(offset);
    let range = TextRange::new(doc.text.line_start(line), offset);
    if !doc.text.slice(range).trim().chars().all(|c| c.is_alphanumeric()) {
        return Vec::new();
    }
    vec![
        CompletionItem::new(
            "CloudFlow state machine",
            CompletionKind::Snippet,
            "Type: StateMachine\nName: ${1:my-flow}\nSpecVersion: v1\nStartAt: ${2:Start}\nStates:\n  - Type: Pass\n    Name: ${2:Start}\n    End: true\n",
            range,
        )
        .detail("Type: StateMachine, StartAt, States")
        .snippet()
        .sort(0),
        CompletionItem::new(
            "Serverless Workflow flow (legacy)",
            CompletionKind::Snippet,
            "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: ${1:start}\n",
            range,
        )
        .detail("version: v1, type: flow, steps")
        .snippet()
        .sort(1),
    ]
}
