//! The expression under an editor's cursor, for completion, hover and signature help.

use super::inputs::{Leaders, context_with};
use super::sites::{SiteKind, sites_within};
use crate::analysis::model::Flow;
use crate::expr::ExprContext;
use crate::syntax::scalar_map::ScalarMap;
use crate::syntax::{Node, NodeKind, SourceText, TextRange};

/// The expression under a cursor.
#[derive(Clone, Debug)]
pub struct FoundExpression {
    /// The expression text (the scalar's value).
    pub text: String,
    /// Maps offsets in `text` to the document and back.
    pub map: ScalarMap,
    pub context: ExprContext,
    /// The cursor as an offset in `text`.
    pub cursor: u32,
    /// The scalar's range in the document.
    pub range: TextRange,
}

/// The expression that contains the document offset `offset`, if any. An empty value being
/// typed (`Condition: ` or `key.$: `) counts, with an empty text.
pub fn expression_at(flow: &Flow<'_>, text: &SourceText, offset: u32) -> Option<FoundExpression> {
    expression_with(flow, text, offset, None)
}

/// [`expression_at`], with the states that lead to a top-level state looked up in
/// `leaders` (see [`Leaders`]).
pub fn expression_with(
    flow: &Flow<'_>,
    text: &SourceText,
    offset: u32,
    leaders: Option<Leaders<'_>>,
) -> Option<FoundExpression> {
    let near = |state: Node<'_>| {
        let r = state.range();
        // A value being typed may end past the state's last node, on the same line.
        r.start <= offset
            && (offset <= r.end
                || (offset - r.end <= 256 && !text.slice(TextRange::new(r.end, offset)).contains('\n')))
    };
    // States do not overlap: only the last one starting before the cursor can hold it.
    let tops = flow.top_state_before(offset).map(|s| s.node).filter(|n| near(*n));
    for site in sites_within(flow, tops) {
        if site.kind != SiteKind::Expression || site.node.kind() != NodeKind::Scalar {
            continue;
        }
        let node = site.node;
        let range = node.value_range();
        if node.is_missing() || node.scalar().is_some_and(str::is_empty) && range.is_empty() {
            // `key: ` with the cursor after the colon on the key's line.
            let Some(key) = site.key else { continue };
            let same_line = text.line_of(key.range().end) == text.line_of(offset);
            if same_line && offset > key.range().end {
                return Some(FoundExpression {
                    text: String::new(),
                    map: ScalarMap::empty_at(offset),
                    context: context_with(flow, &site, leaders),
                    cursor: 0,
                    range: TextRange::empty(offset),
                });
            }
            continue;
        }
        if !range.contains_inclusive(offset) {
            continue;
        }
        let map = ScalarMap::new(node, text)?;
        let cursor = map.to_value(offset)?;
        return Some(FoundExpression {
            text: node.scalar().unwrap_or_default().to_string(),
            map,
            context: context_with(flow, &site, leaders),
            cursor,
            range,
        });
    }
    None
}
