//! Selection ranges: from the token under the cursor outwards, through `key: value` entries
//! and the mappings and lists around them.

use super::Document;
use crate::syntax::{NodeKind, TextRange};

/// Innermost first; each range contains the previous one.
pub fn selection_ranges(doc: &Document, offset: u32) -> Vec<TextRange> {
    if let Some(mut chain) = super::host::at(doc, offset, |e, inner| {
        selection_ranges(&e.doc, inner).into_iter().map(|r| e.range_to_host(r)).collect::<Vec<_>>()
    }) {
        // Then the definition in the host, and the host itself.
        return match chain.last().copied() {
            Some(last) => {
                let outer = doc.host().and_then(|h| h.at(offset)).map(|(e, _)| e.flow.range);
                chain.extend(outer.filter(|o| o.contains_range(last) && *o != last));
                chain
            }
            None => {
                chain.clear();
                chain
            }
        };
    }
    let Some(root) = doc.tree.root() else { return Vec::new() };
    let mut out: Vec<TextRange> = Vec::new();
    let mut node = root;
    let mut chain = vec![root.range()];
    'descend: loop {
        if node.kind() == NodeKind::Mapping {
            for e in node.entries() {
                let entry = e.key.range().cover(e.value.range());
                if entry.contains_inclusive(offset) {
                    chain.push(entry);
                    let next = if e.key.range().contains_inclusive(offset) { e.key } else { e.value };
                    chain.push(next.range());
                    node = next;
                    continue 'descend;
                }
            }
        }
        for child in node.children() {
            if child.range().contains_inclusive(offset) {
                chain.push(child.range());
                node = child;
                continue 'descend;
            }
        }
        break;
    }
    for r in chain.into_iter().rev() {
        if out.last() != Some(&r) && out.last().is_none_or(|last| r.contains_range(*last)) {
            out.push(r);
        }
    }
    out
}
