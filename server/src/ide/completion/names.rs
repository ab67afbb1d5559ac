//! Names: states of the right scope for transitions, error names for `Errors`.

use fdl_schema::Dialect;
use fdl_schema::integrations;

use super::{CompletionItem, CompletionKind};
use crate::analysis::model::{Flow, Scope};
use crate::ide::cursor::Owner;
use crate::syntax::{Node, TextRange, yaml_string};

/// The scope a transition at `offset` refers into, and the state it is written in.
pub(super) fn scope_for<'f, 'a>(
    flow: &'f Flow<'a>,
    owner: Owner<'a>,
    key: &str,
    offset: u32,
) -> Option<(Scope<'f, 'a>, Option<Node<'a>>)> {
    let scopes = flow.scopes();
    if key == "StartAt"
        && let Some(m) = owner.node()
    {
        return scopes.into_iter().find(|s| s.owner.same(m)).map(|s| (s, None));
    }
    // Where the transition is written: the mapping that owns it (the cursor itself may be
    // past the end of an empty value, and so past the end of the last state of a list).
    let anchor = owner.node().map_or(offset, |m| m.range().start);
    let inside =
        |s: &Scope<'f, 'a>| s.list_entry().is_some_and(|e| e.value.range().contains_inclusive(anchor));
    let scope = scopes.into_iter().rfind(inside)?;
    // The state the cursor is in: the one holding the owner mapping.
    let current =
        scope.states().into_iter().find(|s| s.node.range().contains_inclusive(anchor)).map(|s| s.node);
    Some((scope, current))
}

pub(super) fn state_names(
    flow: &Flow<'_>,
    owner: Owner<'_>,
    key: &str,
    prefix: TextRange,
    offset: u32,
) -> Vec<CompletionItem> {
    let Some((scope, current)) = scope_for(flow, owner, key, offset) else { return Vec::new() };
    scope
        .states()
        .into_iter()
        .filter(|s| current.is_none_or(|c| !c.same(s.node)))
        .filter_map(|s| {
            let (name, _) = s.name()?;
            let ty = s.ty().map(|(t, _)| t).unwrap_or("state");
            Some(
                CompletionItem::new(name, CompletionKind::State, yaml_string(name), prefix)
                    .detail(format!("{ty} state")),
            )
        })
        .enumerate()
        .map(|(rank, item)| item.sort(rank))
        .collect()
}

/// Error names for `Errors`: the wildcard, known service errors and the Fail codes of the flow.
pub(super) fn error_names(flow: &Flow<'_>, prefix: TextRange, _in_list: bool) -> Vec<CompletionItem> {
    let dialect = flow.dialect();
    let mut items: Vec<CompletionItem> = integrations::known_errors(dialect)
        .map(|(name, doc)| CompletionItem::new(name, CompletionKind::Error, name, prefix).doc(doc))
        .collect();
    let code_key = match dialect {
        Dialect::CloudFlow => "Code",
        Dialect::Legacy => "error",
    };
    let fail = match dialect {
        Dialect::CloudFlow => "Fail",
        Dialect::Legacy => "fail",
    };
    for scope in flow.scopes() {
        for state in scope.states() {
            if state.ty().map(|(t, _)| t) == Some(fail)
                && let Some((code, _)) = state.get_str(code_key)
                && !items.iter().any(|i| i.label == code)
            {
                let name = state.name().map(|(n, _)| n).unwrap_or("?");
                items.push(
                    CompletionItem::new(code, CompletionKind::Error, yaml_string(code), prefix)
                        .detail(format!("raised by the Fail state `{name}`")),
                );
            }
        }
    }
    items.into_iter().enumerate().map(|(rank, i)| i.sort(rank)).collect()
}
