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
use rustc_hash::FxHashMap;

use super::Diagnostic;
use super::facts::StateFacts;
use crate::syntax::green::GreenNode;
use crate::templates::Syntaxes;

#[derive(Default)]
pub struct Cache {
    key: Option<(Dialect, WorkflowMode, Syntaxes)>,
    states: FxHashMap<usize, Entry>,
}

pub(crate) struct Entry {
    /// Held so that the address used as the key cannot be reused by another subtree.
    subtree: Arc<GreenNode>,
    /// Relative to the state's start.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// `None` for a list item that is not a state (not a mapping).
    pub(crate) facts: Option<Arc<StateFacts>>,
}

impl Entry {
    pub(crate) fn new(
        subtree: Arc<GreenNode>,
        diagnostics: Vec<Diagnostic>,
        facts: Option<Arc<StateFacts>>,
    ) -> Entry {
        Entry { subtree, diagnostics, facts }
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({} states)", self.states.len())
    }
}

fn key_of(subtree: &Arc<GreenNode>) -> usize {
    Arc::as_ptr(subtree) as usize
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
    pub(crate) fn take(&mut self) -> Taken {
        Taken(std::mem::take(&mut self.states))
    }

    /// Replaces the whole content: entries for states that no longer exist are dropped.
    pub(crate) fn replace(&mut self, entries: impl IntoIterator<Item = Entry>) {
        self.states = entries.into_iter().map(|e| (key_of(&e.subtree), e)).collect();
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

/// The entries of an earlier analysis, while a new one runs.
pub(crate) struct Taken(FxHashMap<usize, Entry>);

impl Taken {
    /// The entry of `subtree`, if an earlier analysis saw the very same subtree.
    pub(crate) fn remove(&mut self, subtree: &Arc<GreenNode>) -> Option<Entry> {
        self.0.remove(&key_of(subtree))
    }
}
