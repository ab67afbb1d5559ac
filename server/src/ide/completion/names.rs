//! Names: states of the right scope for transitions, error names for `Errors`.

use fdl_schema::Dialect;
use fdl_schema::integrations;

use super::{CompletionItem, CompletionKind, CompletionList};
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
    // Where the transition is written: the mapping that owns it (the cursor itself may be
    // past the end of an empty value, and so past the end of the last state of a list).
    let anchor = owner.node().map_or(offset, |m| m.range().start);
    // Only the scopes of the states around that place: not every scope of a big flow.
    let scopes = flow.scopes_where(&|n| n.range().contains_inclusive(anchor));
    if key == "StartAt"
        && let Some(m) = owner.node()
    {
        return scopes.into_iter().find(|s| s.owner.same(m)).map(|s| (s, None));
    }
    let inside =
        |s: &Scope<'f, 'a>| s.list_entry().is_some_and(|e| e.value.range().contains_inclusive(anchor));
    let scope = scopes.into_iter().rfind(inside)?;
    // The state the cursor is in: the one holding the owner mapping. States follow one
    // another in the text unless aliases list them elsewhere: then the first that holds it.
    let states = scope.states();
    let current = if flow.follows_aliases() {
        states.iter().find(|s| s.node.range().contains_inclusive(anchor))
    } else {
        let after = states.partition_point(|s| s.node.range().start <= anchor);
        after.checked_sub(1).map(|i| &states[i]).filter(|s| s.node.range().contains_inclusive(anchor))
    };
    Some((scope, current.map(|s| s.node)))
}

/// More states than this in a scope are not all offered at once: the list holds the best
/// matches of what is typed and says it is incomplete, so that the client asks again as
/// the user types (serialising thousands of items costs tens of milliseconds a keystroke).
pub(super) const MAX_STATE_ITEMS: usize = 100;

pub(super) fn state_names(
    flow: &Flow<'_>,
    owner: Owner<'_>,
    key: &str,
    prefix: TextRange,
    typed: &str,
    offset: u32,
) -> CompletionList {
    let Some((scope, current)) = scope_for(flow, owner, key, offset) else {
        return CompletionList::default();
    };
    let states = scope.states();
    let here = current.and_then(|c| states.iter().position(|s| s.node.same(c)));
    let candidates = states.iter().enumerate().filter(|(i, _)| Some(*i) != here);
    let item = |s: &crate::analysis::model::State<'_, '_>| {
        let (name, _) = s.name()?;
        let ty = s.ty().map(|(t, _)| t).unwrap_or("state");
        Some(
            CompletionItem::new(name, CompletionKind::State, yaml_string(name), prefix)
                .detail(format!("{ty} state")),
        )
    };
    if states.len() <= MAX_STATE_ITEMS {
        let items =
            candidates.filter_map(|(_, s)| item(s)).enumerate().map(|(rank, i)| i.sort(rank)).collect();
        return CompletionList { items, incomplete: false };
    }
    // The best of many: the name typed, names that start with it, then names that contain
    // it (case-insensitive); among equals, the states just after the cursor's first, as the
    // next state is the likeliest target.
    let typed = typed.trim().trim_matches(['"', '\'']).to_lowercase();
    let after = |i: usize| here.map_or(i, |h| (i + states.len() - h) % states.len());
    let class = |name: &str| -> Option<u8> {
        // ASCII names fold without a copy (most names; thousands of them per request).
        if name.is_ascii() && typed.is_ascii() {
            let (n, t) = (name.as_bytes(), typed.as_bytes());
            return if n.eq_ignore_ascii_case(t) {
                Some(0)
            } else if n.len() >= t.len() && n[..t.len()].eq_ignore_ascii_case(t) {
                Some(1)
            } else if t.is_empty() || n.windows(t.len()).any(|w| w.eq_ignore_ascii_case(t)) {
                Some(2)
            } else {
                None
            };
        }
        let folded = name.to_lowercase();
        if folded == typed {
            Some(0)
        } else if folded.starts_with(&typed) {
            Some(1)
        } else if folded.contains(&typed) {
            Some(2)
        } else {
            None
        }
    };
    let mut ranked: Vec<(u8, usize, usize)> = candidates
        .filter_map(|(i, s)| {
            let (name, _) = s.name()?;
            Some((class(name)?, after(i), i))
        })
        .collect();
    let incomplete = ranked.len() > MAX_STATE_ITEMS;
    if incomplete {
        ranked.select_nth_unstable(MAX_STATE_ITEMS);
        ranked.truncate(MAX_STATE_ITEMS);
    }
    ranked.sort_unstable();
    let items = ranked
        .iter()
        .filter_map(|&(_, _, i)| item(&states[i]))
        .enumerate()
        .map(|(rank, i)| i.sort(rank))
        .collect();
    CompletionList { items, incomplete }
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
