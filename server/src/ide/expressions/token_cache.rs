//! The semantic tokens of each top-level state, kept between requests on the same
//! document: a keystroke changes one state's subtree, and only that state is tokenised
//! again (the same subtree identity as the analysis cache, see `syntax::green::BySubtree`).

use std::sync::Arc;

use fdl_schema::Dialect;

use super::highlight::ExprTokenKind;
use crate::syntax::TextRange;
use crate::syntax::green::{BySubtree, GreenNode};

/// One state's tokens, relative to the state's start.
pub(crate) type Tokens = Vec<(TextRange, ExprTokenKind)>;

#[derive(Default)]
pub(crate) struct TokenCache {
    dialect: Option<Dialect>,
    states: BySubtree<Tokens>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenCache({} states)", self.states.len())
    }
}

impl TokenCache {
    /// The entries for `dialect`, taken out to be picked by subtree; what is not put back
    /// with [`TokenCache::keep`] is dropped.
    pub(crate) fn take(&mut self, dialect: Dialect) -> BySubtree<Tokens> {
        if self.dialect != Some(dialect) {
            self.states.clear();
            self.dialect = Some(dialect);
        }
        self.states.take()
    }

    pub(crate) fn keep(&mut self, entries: impl IntoIterator<Item = (Arc<GreenNode>, Tokens)>) {
        self.states = entries.into_iter().collect();
    }
}
