//! The semantic tokens of each top-level state, kept between requests on the same
//! document: a keystroke changes one state's subtree, and only that state is tokenised
//! again (the tree shares every other subtree, whose identity is the key, as in the
//! analysis cache).

use std::sync::Arc;

use fdl_schema::Dialect;
use rustc_hash::FxHashMap;

use super::highlight::ExprTokenKind;
use crate::syntax::TextRange;
use crate::syntax::green::GreenNode;

#[derive(Default)]
pub(crate) struct TokenCache {
    dialect: Option<Dialect>,
    states: FxHashMap<usize, Tokens>,
}

/// One state's tokens, relative to the state's start.
pub(crate) struct Tokens {
    /// Held so that the address used as the key cannot be reused by another subtree.
    subtree: Arc<GreenNode>,
    pub(crate) tokens: Vec<(TextRange, ExprTokenKind)>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenCache({} states)", self.states.len())
    }
}

impl TokenCache {
    /// The entries for `dialect`, taken out to be picked by subtree; what is not picked
    /// back with [`TokenCache::keep`] is dropped.
    pub(crate) fn take(&mut self, dialect: Dialect) -> FxHashMap<usize, Tokens> {
        if self.dialect != Some(dialect) {
            self.states.clear();
            self.dialect = Some(dialect);
        }
        std::mem::take(&mut self.states)
    }

    pub(crate) fn keep(&mut self, entries: impl IntoIterator<Item = Tokens>) {
        self.states = entries.into_iter().map(|t| (key_of(&t.subtree), t)).collect();
    }
}

impl Tokens {
    pub(crate) fn new(subtree: Arc<GreenNode>, tokens: Vec<(TextRange, ExprTokenKind)>) -> Tokens {
        Tokens { subtree, tokens }
    }
}

pub(crate) fn key_of(subtree: &Arc<GreenNode>) -> usize {
    Arc::as_ptr(subtree) as usize
}
