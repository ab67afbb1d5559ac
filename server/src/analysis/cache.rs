//! What an analysis of a top-level state found, kept between analyses of the same document.
//!
//! A top-level state's own diagnostics (keys, values, integrations, expressions, catalog)
//! and the facts the graph rules read of it depend only on its subtree and on the dialect,
//! the mode and the placeholder syntaxes. The syntax tree shares the subtree of every state
//! an edit did not touch, so the subtree's identity is the key: a keystroke re-checks one
//! state, not thousands, and the graph rules run over cached facts.

use std::sync::Arc;

use fdl_schema::Dialect;
use fdl_schema::integrations::WorkflowMode;

use super::Diagnostic;
use super::facts::StateFacts;
use crate::syntax::green::{BySubtree, GreenNode};
use crate::templates::Syntaxes;

#[derive(Default)]
pub struct Cache {
    key: Option<(Dialect, WorkflowMode, Syntaxes)>,
    states: BySubtree<Entry>,
}

pub(crate) struct Entry {
    /// Relative to the state's start.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// `None` for a list item that is not a state (not a mapping).
    pub(crate) facts: Option<Arc<StateFacts>>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({} states)", self.states.len())
    }
}

impl Cache {
    /// Forgets everything when what the entries depend on changed.
    pub(crate) fn prepare(&mut self, dialect: Dialect, mode: WorkflowMode, placeholders: &Syntaxes) {
        let key = Some((dialect, mode, placeholders.clone()));
        if self.key != key {
            self.states.clear();
            self.key = key;
        }
    }

    /// Takes the entries out, to be picked by subtree and the survivors put back with
    /// [`Cache::replace`]: nothing is copied on the way.
    pub(crate) fn take(&mut self) -> BySubtree<Entry> {
        self.states.take()
    }

    /// Replaces the whole content: entries for states that no longer exist are dropped.
    pub(crate) fn replace(&mut self, entries: impl IntoIterator<Item = (Arc<GreenNode>, Entry)>) {
        self.states = entries.into_iter().collect();
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}
