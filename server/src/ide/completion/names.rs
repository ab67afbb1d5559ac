//! Names: states of the right scope for transitions, error names for `Errors`.

use fdl_schema::Dialect;
use fdl_schema::integrations;

use super::{CompletionItem, CompletionKind, CompletionList};
use crate::analysis::model::{Flow, Scope, State};
use crate::ide::Document;
use crate::ide::cursor::Owner;
use crate::ide::top_states::TopStates;
use crate::syntax::{Node, NodeKind, TextRange, yaml_string};

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
    // Only the scopes of the states around that place, found by halving: not every scope
    // of a big flow.
    let scopes = flow.scopes_containing(TextRange::empty(anchor));
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
    let current = if flow.follows_aliases() {
        scope.states().into_iter().find(|s| s.node.range().contains_inclusive(anchor))
    } else {
        scope.state_around(anchor)
    };
    Some((scope, current.map(|s| s.node)))
}

/// More states than this in a scope are not all offered at once: the list holds the best
/// matches of what is typed and says it is incomplete, so that the client asks again as
/// the user types (serialising thousands of items costs tens of milliseconds a keystroke).
pub(super) const MAX_STATE_ITEMS: usize = 100;

pub(super) fn state_names(
    doc: &Document,
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
    let item_of = |name: &str, ty: &str| {
        CompletionItem::new(name, CompletionKind::State, yaml_string(name), prefix)
            .detail(format!("{ty} state"))
    };
    let item = |s: &State<'_, '_>| Some(item_of(s.name()?.0, s.ty().map(|(t, _)| t).unwrap_or("state")));
    let Some(list) = scope.state_list() else { return CompletionList::default() };
    let count = list.item_count();
    if count <= MAX_STATE_ITEMS {
        let states = scope.states();
        let here = current.and_then(|c| states.iter().position(|s| s.node.same(c)));
        let items = states
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != here)
            .filter_map(|(_, s)| item(s))
            .enumerate()
            .map(|(rank, i)| i.sort(rank))
            .collect();
        return CompletionList { items, incomplete: false };
    }
    // A big scope: its states are read by index in its list, the state of the cursor
    // excluded, and only as many as the answer needs.
    let here = current.and_then(|c| scope.index_of(c));
    let candidate = |i: usize| {
        let node = flow.resolve(list.item(i)?);
        (node.kind() == NodeKind::Mapping && Some(i) != here).then(|| flow.state(node))
    };
    // Among equals, the states just after the cursor's come first, as the next state is
    // the likeliest target: `after` is the distance from it, around the list.
    let after = |i: usize| here.map_or(i, |h| (i + count - h) % count);
    let typed = typed.trim().trim_matches(['"', '\'']).to_lowercase();
    let ranked: Vec<(u8, usize, State<'_, '_>)> = if typed.is_empty() {
        // Nothing typed: every name matches, so the answer is the states that follow the
        // cursor's, found by walking from it (a nameless state is no target).
        let first = here.map_or(0, |h| h + 1);
        (0..count)
            .map(|k| (first + k) % count)
            .filter_map(|i| candidate(i).map(|s| (i, s)))
            .filter(|(_, s)| s.name().is_some_and(|(n, _)| !n.is_empty()))
            .take(MAX_STATE_ITEMS + 1)
            .map(|(i, s)| (2, after(i), s))
            .collect()
    } else {
        // In the top-level scope, the names are matched in the document's table of them
        // (one substring search over folded names kept across snapshots), and the items
        // are made from the table too: no state is read.
        let first = here.map_or(0, |h| h + 1);
        let from_table = |t: &TopStates| {
            (t.len() == count).then(|| {
                let (matched, incomplete) = t.matching(&typed, first, here, MAX_STATE_ITEMS);
                let items = matched
                    .iter()
                    .filter_map(|&(_, i)| t.label(i))
                    .enumerate()
                    .map(|(rank, (name, ty))| item_of(name, ty).sort(rank))
                    .collect();
                CompletionList { items, incomplete }
            })
        };
        let answer = scope.is_top().then(|| doc.top_states(flow, from_table)).flatten().flatten();
        if let Some(list) = answer.filter(|_| !read_every_state()) {
            return list;
        }
        (0..count)
            .filter_map(|i| {
                let s = candidate(i)?;
                let (name, _) = s.name()?;
                Some((class(name, &typed)?, after(i), s))
            })
            .collect()
    };
    best(ranked, &item)
}

#[cfg(test)]
thread_local! {
    /// Tests compare the table's answers with a reading of every state.
    pub(super) static READ_EVERY_STATE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn read_every_state() -> bool {
    #[cfg(test)]
    return READ_EVERY_STATE.with(|r| r.get());
    #[cfg(not(test))]
    false
}

/// The first [`MAX_STATE_ITEMS`] of `ranked` by class, then distance from the cursor's
/// state, as items; incomplete when there were more.
fn best<'f, 'a>(
    mut ranked: Vec<(u8, usize, State<'f, 'a>)>,
    item: &dyn Fn(&State<'f, 'a>) -> Option<CompletionItem>,
) -> CompletionList {
    let incomplete = ranked.len() > MAX_STATE_ITEMS;
    let key = |r: &(u8, usize, State<'f, 'a>)| (r.0, r.1);
    if incomplete {
        ranked.select_nth_unstable_by_key(MAX_STATE_ITEMS, key);
        ranked.truncate(MAX_STATE_ITEMS);
    }
    ranked.sort_unstable_by_key(key);
    let items =
        ranked.iter().filter_map(|(_, _, s)| item(s)).enumerate().map(|(rank, i)| i.sort(rank)).collect();
    CompletionList { items, incomplete }
}

/// How well `name` matches what is typed (already folded): 0 the name itself, 1 a name
/// that starts with it, 2 one that contains it (case-insensitive); `None` no match.
fn class(name: &str, typed: &str) -> Option<u8> {
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
    // Names without letters that fold (CJK names) are compared as they are.
    let unfolded = name.chars().all(|c| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    });
    let folded = if unfolded { std::borrow::Cow::Borrowed(name) } else { name.to_lowercase().into() };
    if folded == typed {
        Some(0)
    } else if folded.starts_with(typed) {
        Some(1)
    } else if folded.contains(typed) {
        Some(2)
    } else {
        None
    }
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
