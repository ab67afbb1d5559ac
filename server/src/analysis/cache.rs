//! Diagnostics of unchanged states, kept between analyses of the same document.
//!
//! A top-level state's own diagnostics (keys, values, integrations, expressions, catalog)
//! depend only on its subtree and on the dialect, the mode and the placeholder syntaxes. The syntax tree shares the
//! subtree of every state an edit did not touch, so the subtree's identity is the key: a
//! keystroke re-checks one state, not thousands. The graph rules (names, transitions,
//! reachability) look across states and always run.

use std::collections::HashMap;
use std::sync::Arc;

use fdl_schema::Dialect;
use fdl_schema::integrations::WorkflowMode;

use super::Diagnostic;
use crate::syntax::green::GreenNode;
use crate::templates::Syntaxes;

#[derive(Default)]
pub struct Cache {
    key: Option<(Dialect, WorkflowMode, Syntaxes)>,
    states: HashMap<usize, Entry>,
}

struct Entry {
    /// Held so that the address used as the key cannot be reused by another subtree.
    _subtree: Arc<GreenNode>,
    /// Relative to the state's start.
    diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({} states)", self.states.len())
    }
}

impl Cache {
    /// Forgets everything when what the diagnostics depend on changed.
    pub(crate) fn prepare(&mut self, dialect: Dialect, mode: WorkflowMode, placeholders: &Syntaxes) {
        let key = Some((dialect, mode, placeholders.clone()));
        if self.key != key {
            self.states.clear();
            self.key = key;
        }
    }

    pub(crate) fn get(&self, subtree: &Arc<GreenNode>) -> Option<&[Diagnostic]> {
        self.states.get(&(Arc::as_ptr(subtree) as usize)).map(|e| e.diagnostics.as_slice())
    }

    /// Replaces the whole content: entries for states that no longer exist are dropped.
    pub(crate) fn replace(&mut self, states: Vec<(Arc<GreenNode>, Vec<Diagnostic>)>) {
        self.states = states
            .into_iter()
            .map(|(subtree, diagnostics)| {
                (Arc::as_ptr(&subtree) as usize, Entry { _subtree: subtree, diagnostics })
            })
            .collect();
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}
