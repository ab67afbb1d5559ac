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
use super::by_identity::ByIdentity;
use super::facts::StateFacts;
use crate::syntax::green::GreenNode;
use crate::templates::Syntaxes;

#[derive(Default)]
pub struct Cache {
    key: Option<(Dialect, WorkflowMode, Syntaxes)>,
    states: ByIdentity<GreenNode, Entry>,
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

    /// Starts an analysis: the entries it neither reads nor makes are dropped at its
    /// [`Cache::end`] (states that no longer exist).
    pub(crate) fn begin(&mut self) {
        self.states.begin();
    }

    /// The entry of this very subtree, if it was analysed before.
    pub(crate) fn get(&mut self, subtree: &Arc<GreenNode>) -> Option<&Entry> {
        self.states.get(subtree)
    }

    pub(crate) fn insert(&mut self, subtree: Arc<GreenNode>, entry: Entry) {
        self.states.insert(subtree, entry);
    }

    pub(crate) fn end(&mut self) {
        self.states.end();
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.len() == 0
    }
}
