//! The semantic tokens of each top-level state, kept between requests on the same
//! document: a keystroke changes one state's subtree, and only that state is tokenised
//! again (the same subtree identity as the analysis cache, see `analysis::by_identity`).

use std::sync::Arc;

use fdl_schema::Dialect;

use super::highlight::ExprTokenKind;
use crate::analysis::by_identity::ByIdentity;
use crate::syntax::TextRange;
use crate::syntax::green::GreenNode;

/// One state's tokens, relative to the state's start, in document order.
pub type Tokens = Vec<(TextRange, ExprTokenKind)>;

#[derive(Default)]
pub(crate) struct TokenCache {
    dialect: Option<Dialect>,
    pub(super) states: ByIdentity<GreenNode, Arc<Tokens>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenCache({} states)", self.states.len())
    }
}

impl TokenCache {
    /// Starts a pass for `dialect` (entries of another dialect are dropped); see
    /// [`ByIdentity::begin`].
    pub(crate) fn begin(&mut self, dialect: Dialect) {
        if self.dialect != Some(dialect) {
            self.states.clear();
            self.dialect = Some(dialect);
        }
        self.states.begin();
    }
}
