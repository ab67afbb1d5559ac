//! Editor features on expressions. The submodules work on one expression's text and a
//! byte offset in it (completion, hover, signature help, highlighting); this module finds
//! the expression under a document offset ([`expression_at`]) and maps results back to
//! the document.

pub mod complete;
pub mod highlight;
pub mod hover;
pub mod signature;
mod text;

pub use crate::analysis::expressions::FoundExpression;
pub use complete::{CompletionKind, ExprCompletion};
pub use highlight::ExprTokenKind;
pub use hover::ExprHover;
pub use signature::{SignatureHelp, SignatureParameter};

use super::Document;
use crate::analysis::expressions::{SiteKind, sites};
use crate::analysis::model::Flow;
use crate::syntax::scalar_map::ScalarMap;
use crate::syntax::{NodeKind, SourceText, TextRange};

/// The expression that contains a document offset, with its text, its mapping to the
/// document, the cursor inside it and its context (dialect, visible variables, the fields
/// of `$Input` inferred from the states before it).
pub fn expression_at(flow: &Flow<'_>, text: &SourceText, offset: u32) -> Option<FoundExpression> {
    crate::analysis::expressions::expression_at(flow, text, offset)
}

pub fn signature_help(doc: &Document, offset: u32) -> Option<SignatureHelp> {
    if let Some(help) = super::host::at(doc, offset, |e, inner| signature_help(&e.doc, inner)) {
        return help;
    }
    let flow = Flow::new(&doc.tree)?;
    let found = expression_at(&flow, &doc.text, offset)?;
    signature::signature_help(&found.text, found.cursor)
}

/// The coloured parts of every expression of the document, in document order. Tokens that
/// the scalar's layout splits across lines are left out (LSP tokens are single-line).
pub fn semantic_tokens(doc: &Document) -> Vec<(TextRange, ExprTokenKind)> {
    if let Some(host) = doc.host() {
        let mut out: Vec<(TextRange, ExprTokenKind)> = host
            .flows
            .iter()
            .flat_map(|e| semantic_tokens(&e.doc).into_iter().map(|(r, k)| (e.range_to_host(r), k)))
            .filter(|(r, _)| !r.is_empty() && doc.text.line_of(r.start) == doc.text.line_of(r.end))
            .collect();
        out.sort_by_key(|(r, _)| r.start);
        return out;
    }
    let Some(flow) = Flow::new(&doc.tree) else { return Vec::new() };
    let mut out = Vec::new();
    for site in sites(&flow) {
        if site.kind != SiteKind::Expression || site.node.kind() != NodeKind::Scalar {
            continue;
        }
        let Some(map) = ScalarMap::new(site.node, &doc.text) else { continue };
        let Some(value) = site.node.scalar() else { continue };
        for (range, kind) in highlight::semantic_tokens(value) {
            let r = map.range_to_document(range);
            if doc.text.line_of(r.start) == doc.text.line_of(r.end) && !r.is_empty() {
                out.push((r, kind));
            }
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

#[cfg(test)]
mod tests;
