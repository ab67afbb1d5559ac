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
    pub(crate) items: Vec<Item>,
    /// The top-level scope's graph of the last analysis: its states are the items that have
    /// facts, in order.
    pub(crate) graph: Option<ScopeGraph>,
}

pub(crate) struct Item {
    /// Held so that its address names it while the entry lives.
    pub(crate) subtree: Arc<GreenNode>,
    /// Relative to the state's start.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// `None` for a list item that is not a state (not a mapping).
    pub(crate) facts: Option<Arc<StateFacts>>,
}

impl Item {
    pub(crate) fn address(&self) -> usize {
        Arc::as_ptr(&self.subtree) as usize
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({} states)", self.items.len())
    }
}

/// The items of the last analysis matched with the current ones (by address).
pub(crate) struct Matched {
    /// Per current item, its entry from the last analysis, if it was there unchanged.
    pub(crate) items: Vec<Option<Item>>,
    /// The current items outside `middle` sit where they sat, unchanged.
    pub(crate) middle: std::ops::Range<usize>,
    /// How many items the last analysis had, and which of those in the middle had facts.
    pub(crate) old_len: usize,
    pub(crate) old_middle_facts: Vec<bool>,
}

impl Cache {
    /// Forgets everything when what the entries depend on changed.
    pub(crate) fn prepare(&mut self, dialect: Dialect, mode: WorkflowMode, placeholders: &Syntaxes) {
        let key = Some((dialect, mode, placeholders.clone()));
        if self.key != key {
            self.items.clear();
            self.graph = None;
            self.key = key;
        }
    }

    /// Takes the entries of the last analysis, matched with the items now at `addresses`.
    pub(crate) fn take_matched(&mut self, addresses: &[usize]) -> Matched {
        let mut old = std::mem::take(&mut self.items);
        let (n, m) = (addresses.len(), old.len());
        let prefix = addresses.iter().zip(&old).take_while(|(a, o)| **a == o.address()).count();
        let suffix = addresses[prefix..]
            .iter()
            .rev()
            .zip(old[prefix..].iter().rev())
            .take_while(|(a, o)| **a == o.address())
            .count();
        let middle = prefix..n - suffix;
        let mut items: Vec<Option<Item>> = Vec::with_capacity(n);
        let tail: Vec<Item> = old.drain(m - suffix..).collect();
        let old_middle: Vec<Item> = old.drain(prefix..).collect();
        let old_middle_facts = old_middle.iter().map(|i| i.facts.is_some()).collect();
        items.extend(old.into_iter().map(Some));
        // In between, a state may have moved (a cut and a paste): looked up by address.
        let mut moved: FxHashMap<usize, Item> = old_middle.into_iter().map(|i| (i.address(), i)).collect();
        items.extend(addresses[middle.clone()].iter().map(|a| moved.remove(a)));
        items.extend(tail.into_iter().map(Some));
        Matched { items, middle, old_len: m, old_middle_facts }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
