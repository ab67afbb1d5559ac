//! Editor features on expressions. The submodules work on one expression's text and a
//! byte offset in it (completion, hover, signature help, highlighting); this module finds
//! the expression under a document offset ([`expression_at`]) and maps results back to
//! the document.

pub mod complete;
pub mod highlight;
pub mod hover;
pub mod signature;
mod text;
pub(crate) mod token_cache;

pub use crate::analysis::expressions::FoundExpression;
pub use complete::{CompletionKind, ExprCompletion};
pub use highlight::ExprTokenKind;
pub use hover::ExprHover;
pub use signature::{SignatureHelp, SignatureParameter};

use super::Document;
use crate::analysis::expressions::{Site, SiteKind, sites_within};
use crate::analysis::model::Flow;
use crate::syntax::scalar_map::ScalarMap;
use crate::syntax::{Node, NodeKind, SourceText, TextRange};
use token_cache::{TokenCache, Tokens};

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
    doc.text.index_lines();
    let tops: Vec<Node<'_>> = flow.top_scope().states().into_iter().map(|s| s.node).collect();
    // A poisoned cache only means an earlier request panicked: start it afresh.
    let mut cache = doc.tokens.lock().unwrap_or_else(|e| {
        let mut guard = e.into_inner();
        *guard = TokenCache::default();
        guard
    });
    let mut earlier = cache.take(flow.dialect());
    let mut per_top: Vec<Option<Tokens>> = tops.iter().map(|n| earlier.remove(&n.subtree())).collect();
    drop(earlier);
    // The states not seen before, tokenised together; their tokens go to the state that
    // holds them (tops are in document order).
    let fresh: Vec<usize> = (0..tops.len()).filter(|&i| per_top[i].is_none()).collect();
    let mut found: Vec<Tokens> = vec![Vec::new(); tops.len()];
    for token in tokens_of(doc, sites_within(&flow, fresh.iter().map(|&i| tops[i]))) {
        let at = tops.partition_point(|n| n.range().start <= token.0.start);
        if let Some(i) = at.checked_sub(1).filter(|&i| tops[i].range().contains_range(token.0)) {
            let start = tops[i].range().start;
            found[i].push((TextRange::new(token.0.start - start, token.0.end - start), token.1));
        }
    }
    for i in fresh {
        per_top[i] = Some(std::mem::take(&mut found[i]));
    }
    // What lies outside every state (a legacy flow's own mappings) is cheap and never cached.
    let mut out: Vec<(TextRange, ExprTokenKind)> = tokens_of(doc, sites_within(&flow, []))
        .into_iter()
        .filter(|(r, _)| !tops.iter().any(|n| n.range().contains_range(*r)))
        .collect();
    for (top, tokens) in tops.iter().zip(&per_top) {
        let start = top.range().start;
        let tokens = tokens.iter().flatten();
        out.extend(tokens.map(|(r, k)| (r.shifted(start), *k)));
    }
    cache.keep(tops.iter().zip(per_top).filter_map(|(n, t)| Some((n.subtree(), t?))));
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// The tokens of the expressions at `sites`, single-line ones only (LSP tokens are).
fn tokens_of(doc: &Document, sites: Vec<Site<'_>>) -> Vec<(TextRange, ExprTokenKind)> {
    let mut out = Vec::new();
    for site in sites {
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
    out
}

#[cfg(test)]
mod tests;
