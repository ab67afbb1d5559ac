//! What an analysis of the top-level states found, kept between analyses of the same
//! document.
//!
//! A top-level state's own diagnostics (keys, values, integrations, expressions, catalog)
//! and the facts the graph rules read of it depend only on its subtree and on the dialect,
//! the mode and the placeholder syntaxes. The syntax tree shares the subtree of every state
//! an edit did not touch, so the subtree's identity is the key: a keystroke re-checks one
//! state, not thousands.
//!
//! The entries are kept in the order of the states: an analysis matches the states at
//! both ends of the list by address (reading the addresses, not the states) and looks up
//! only the ones in between, where the edit was. The graph of the top-level scope is kept
//! with them and updated for the states that changed.

use std::ops::Range;
use std::sync::Arc;

use fdl_schema::Dialect;
use fdl_schema::integrations::WorkflowMode;
use rustc_hash::FxHashMap;

use super::Diagnostic;
use super::facts::StateFacts;
use super::scope_graph::ScopeGraph;
use crate::syntax::green::GreenNode;
use crate::templates::Syntaxes;

#[derive(Default)]
pub struct Cache {
    key: Option<(Dialect, WorkflowMode, Syntaxes)>,
    /// The top-level items of the last analysis, in order.
    items: Vec<Item>,
    /// How many of `items` have diagnostics, and how many have facts (are states).
    with_diagnostics: usize,
    states: usize,
    /// The top-level scope's graph of the last analysis: its states are the items that have
    /// facts, in order.
    pub(crate) graph: Option<ScopeGraph>,
}

#[derive(Clone)]
pub(crate) struct Item {
    /// Held so that its address names it while the entry lives.
    pub(crate) subtree: Arc<GreenNode>,
    /// Relative to the state's start.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// `None` for a list item that is not a state (not a mapping).
    pub(crate) facts: Option<Arc<StateFacts>>,
}

impl Item {
    fn address(&self) -> usize {
        Arc::as_ptr(&self.subtree) as usize
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({} states)", self.items.len())
    }
}

/// Where the current items differ from those of the last analysis: the current items
/// outside `middle` are the kept items outside `old`, unchanged and in the same order.
pub(crate) struct Window {
    pub(crate) middle: Range<usize>,
    pub(crate) old: Range<usize>,
    /// Per current item of `middle`, the kept item with its address (a state moved by a
    /// cut and a paste), if any.
    found: Vec<Option<usize>>,
}

impl Window {
    /// The kept entry of current item `k`, if it was analysed before.
    pub(crate) fn kept<'c>(&self, cache: &'c Cache, k: usize) -> Option<&'c Item> {
        let at = if k < self.middle.start {
            k
        } else if k >= self.middle.end {
            k - self.middle.end + self.old.end
        } else {
            self.found[k - self.middle.start]?
        };
        cache.items.get(at)
    }
}

impl Cache {
    /// Forgets everything when what the entries depend on changed.
    pub(crate) fn prepare(&mut self, dialect: Dialect, mode: WorkflowMode, placeholders: &Syntaxes) {
        let key = Some((dialect, mode, placeholders.clone()));
        if self.key != key {
            self.clear();
            self.key = key;
        }
    }

    pub(crate) fn clear(&mut self) {
        self.items.clear();
        self.with_diagnostics = 0;
        self.states = 0;
        self.graph = None;
    }

    /// Matches the items now at `addresses` with the kept ones: the same addresses at both
    /// ends of the list are compared without reading the entries, and the ones in between
    /// are looked up by address.
    pub(crate) fn window(&self, addresses: &[usize]) -> Window {
        let old = &self.items;
        let (n, m) = (addresses.len(), old.len());
        let prefix = addresses.iter().zip(old).take_while(|(a, o)| **a == o.address()).count();
        let suffix = addresses[prefix..]
            .iter()
            .rev()
            .zip(old[prefix..].iter().rev())
            .take_while(|(a, o)| **a == o.address())
            .count();
        let (middle, old_range) = (prefix..n - suffix, prefix..m - suffix);
        let found = if old_range.is_empty() {
            vec![None; middle.len()]
        } else {
            let by_address: FxHashMap<usize, usize> =
                old_range.clone().map(|j| (old[j].address(), j)).collect();
            addresses[middle.clone()].iter().map(|a| by_address.get(a).copied()).collect()
        };
        Window { middle, old: old_range, found }
    }

    /// Whether any kept item has diagnostics (else reusing them costs nothing).
    pub(crate) fn has_diagnostics(&self) -> bool {
        self.with_diagnostics > 0
    }

    /// Whether every kept item is a state.
    pub(crate) fn all_states(&self) -> bool {
        self.states == self.items.len()
    }

    /// The kept items that are states, in `range`.
    pub(crate) fn old_states(&self, range: Range<usize>) -> impl Iterator<Item = bool> + '_ {
        self.items[range].iter().map(|i| i.facts.is_some())
    }

    /// Puts `middle` (this analysis's entries of the window's middle) in place of the
    /// window's old entries.
    pub(crate) fn close(&mut self, window: &Window, middle: Vec<Item>) {
        let count = |items: &[Item]| {
            (
                items.iter().filter(|i| !i.diagnostics.is_empty()).count(),
                items.iter().filter(|i| i.facts.is_some()).count(),
            )
        };
        let (d_old, s_old) = count(&self.items[window.old.clone()]);
        let (d_new, s_new) = count(&middle);
        self.with_diagnostics = self.with_diagnostics + d_new - d_old;
        self.states = self.states + s_new - s_old;
        self.items.splice(window.old.clone(), middle);
    }

    pub(crate) fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
