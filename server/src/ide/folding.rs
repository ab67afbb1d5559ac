//! Folding: every mapping or list that spans several lines.

use super::Document;
use crate::syntax::{NodeKind, TextRange};

/// A foldable region, as the byte range of the node; the `lsp` layer folds its lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoldingRange {
    pub range: TextRange,
}

pub fn folding_ranges(doc: &Document) -> Vec<FoldingRange> {
    if let Some(host) = doc.host() {
        let mut out: Vec<FoldingRange> = doc.tree.root().map(|_| yaml_folds(doc)).unwrap_or_default();
        for e in &host.flows {
            out.extend(
                folding_ranges(&e.doc).into_iter().map(|f| FoldingRange { range: e.range_to_host(f.range) }),
            );
        }
        out.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
        out.dedup();
        return out;
    }
    yaml_folds(doc)
}

/// The multi-line mappings and lists of the YAML tree.
fn yaml_folds(doc: &Document) -> Vec<FoldingRange> {
    let Some(root) = doc.tree.root() else { return Vec::new() };
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if matches!(node.kind(), NodeKind::Mapping | NodeKind::Sequence) {
            let r = node.range();
            if doc.text.line_of(r.start) < doc.text.line_of(r.end) {
                out.push(FoldingRange { range: r });
            }
            stack.extend(node.children());
        }
    }
    out.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    out
}
