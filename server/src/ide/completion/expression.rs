//! Inside an expression: the expression features' completions mapped to the document.

use super::{CompletionItem, CompletionKind};

/// Completion inside an expression, mapped back to the document.
pub(super) fn expression_completions(
    found: &crate::ide::expressions::FoundExpression,
) -> Vec<CompletionItem> {
    use crate::ide::expressions::{CompletionKind as K, complete};
    complete::complete(&found.text, found.cursor, &found.context)
        .into_iter()
        .enumerate()
        .map(|(rank, c)| {
            let kind = match c.kind {
                K::Variable => CompletionKind::Variable,
                K::Field => CompletionKind::Field,
                K::Function => CompletionKind::Function,
                K::Keyword => CompletionKind::Keyword,
            };
            let mut item =
                CompletionItem::new(c.label, kind, c.insert_text, found.map.range_to_document(c.range))
                    .sort(rank);
            item.detail = c.detail;
            item.documentation = c.documentation;
            item
        })
        .collect()
}
