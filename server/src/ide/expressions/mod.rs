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

use std::sync::Arc;

use super::Document;
use crate::analysis::expressions::{Site, SiteKind, sites_within};
use crate::analysis::model::Flow;
use crate::syntax::scalar_map::ScalarMap;
use crate::syntax::{Node, NodeKind, SourceText, TextRange};
use token_cache::TokenCache;
pub use token_cache::Tokens;

/// The expression that contains a document offset, with its text, its mapping to the
/// document, the cursor inside it and its context (dialect, visible variables, the fields
/// of `$Input` inferred from the states before it).
pub fn expression_at(flow: &Flow<'_>, text: &SourceText, offset: u32) -> Option<FoundExpression> {
    crate::analysis::expressions::expression_at(flow, text, offset)
}

/// [`expression_at`] in `doc`, with the states that lead to the expression's state found
/// in the table of the top-level states rather than by reading every state of its scope.
pub(crate) fn expression_in(doc: &Document, flow: &Flow<'_>, offset: u32) -> Option<FoundExpression> {
    let lookup = |name: &str| doc.top_states(flow, |t| t.leaders_of(name));
    crate::analysis::expressions::expression_with(flow, &doc.text, offset, Some(&lookup))
}

pub fn signature_help(doc: &Document, offset: u32) -> Option<SignatureHelp> {
    if let Some(help) = super::host::at(doc, offset, |e, inner| signature_help(&e.doc, inner)) {
        return help;
    }
    let flow = Flow::new(&doc.tree)?;
    let found = expression_in(doc, &flow, offset)?;
    signature::signature_help(&found.text, found.cursor)
}

/// The coloured parts of every expression of the document, in document order. Tokens that
/// the scalar's layout splits across lines are left out (LSP tokens are single-line).
pub fn semantic_tokens(doc: &Document) -> Vec<(TextRange, ExprTokenKind)> {
    let pieces = semantic_token_pieces(doc);
    let mut out = Vec::with_capacity(pieces.iter().map(|p| p.tokens.len()).sum());
    for piece in pieces {
        out.extend(piece.tokens.iter().map(|(r, k)| (r.shifted(piece.at), *k)));
    }
    out
}

/// [`semantic_tokens`] in pieces: the tokens of each top-level state that has any (shared
/// with the cache while the state is unchanged) and each token outside the states, with
/// ranges relative to the piece's `at`. Pieces are in document order and do not overlap.
#[derive(Clone, Debug)]
pub struct TokenPiece {
    pub at: u32,
    pub tokens: Arc<Tokens>,
}

pub fn semantic_token_pieces(doc: &Document) -> Vec<TokenPiece> {
    if let Some(host) = doc.host() {
        let mut out: Tokens = host
            .flows
            .iter()
            .flat_map(|e| semantic_tokens(&e.doc).into_iter().map(|(r, k)| (e.range_to_host(r), k)))
            .filter(|(r, _)| !r.is_empty() && doc.text.line_of(r.start) == doc.text.line_of(r.end))
            .collect();
        out.sort_by_key(|(r, _)| r.start);
        return vec![TokenPiece { at: 0, tokens: Arc::new(out) }];
    }
    let Some(flow) = Flow::new(&doc.tree) else { return Vec::new() };
    let tops: Vec<Node<'_>> = flow.top_scope().states().into_iter().map(|s| s.node).collect();
    // A poisoned cache only means an earlier request panicked: start it afresh.
    let mut cache = doc.tokens.lock().unwrap_or_else(|e| {
        let mut guard = e.into_inner();
        *guard = TokenCache::default();
        guard
    });
    cache.begin(flow.dialect());
    let mut per_top: Vec<Option<Arc<Tokens>>> =
        tops.iter().map(|n| cache.states.get(&n.subtree()).cloned()).collect();
    // The states not seen before, tokenised together; their tokens go to the state that
    // holds them (tops are in document order).
    let fresh: Vec<usize> = (0..tops.len()).filter(|&i| per_top[i].is_none()).collect();
    let mut found: Vec<Tokens> = vec![Vec::new(); tops.len()];
    if !fresh.is_empty() {
        // Each token's lines are looked up: worth indexing the text's lines for many new
        // states (a document just opened), not for the one a keystroke changed.
        if fresh.len() > 64 {
            doc.text.index_lines();
        }
        for token in tokens_of(doc, sites_within(&flow, fresh.iter().map(|&i| tops[i]))) {
            let at = tops.partition_point(|n| n.range().start <= token.0.start);
            if let Some(i) = at.checked_sub(1).filter(|&i| tops[i].range().contains_range(token.0)) {
                let start = tops[i].range().start;
                found[i].push((TextRange::new(token.0.start - start, token.0.end - start), token.1));
            }
        }
    }
    for i in fresh {
        let mut tokens = std::mem::take(&mut found[i]);
        tokens.sort_by_key(|(r, _)| r.start);
        let tokens = Arc::new(tokens);
        cache.states.insert(tops[i].subtree(), Arc::clone(&tokens));
        per_top[i] = Some(tokens);
    }
    cache.states.end();
    drop(cache);
    // What lies outside every state (a legacy flow's own mappings) is cheap and never
    // cached: a piece per token.
    let mut out: Vec<TokenPiece> = tokens_of(doc, sites_within(&flow, []))
        .into_iter()
        .filter(|(r, _)| !tops.iter().any(|n| n.range().contains_range(*r)))
        .map(|(r, k)| TokenPiece { at: r.start, tokens: Arc::new(vec![(TextRange::new(0, r.len()), k)]) })
        .collect();
    let outside = out.len();
    for (top, tokens) in tops.iter().zip(per_top) {
        if let Some(tokens) = tokens.filter(|t| !t.is_empty()) {
            out.push(TokenPiece { at: top.range().start, tokens });
        }
    }
    if outside > 0 {
        out.sort_by_key(|p| p.at);
    }
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
