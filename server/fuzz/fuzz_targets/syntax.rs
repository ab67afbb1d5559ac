//! The syntax layer on any text and any edit script: parsing never panics, every range lies
//! in the text on character boundaries, and re-parsing after each edit gives the tree a
//! fresh parse gives.

#![no_main]

use fdl::syntax::{Edit, Node, SourceText, SyntaxTree, TextRange, dump};
use libfuzzer_sys::fuzz_target;

fn check_ranges(node: Node<'_>, text: &str) {
    let r = node.range();
    assert!(r.start <= r.end && r.end as usize <= text.len(), "{r:?}");
    assert!(text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize), "{r:?}");
    for child in node.children() {
        let c = child.range();
        assert!(r.start <= c.start && c.end <= r.end, "child {c:?} outside {r:?}");
        check_ranges(child, text);
    }
}

fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fuzz_target!(|input: (String, Vec<(u16, u16, String)>)| {
    let (mut source, edits) = input;
    let mut text = SourceText::new(&source);
    let mut tree = SyntaxTree::parse(&text);
    for (at, len, insert) in edits.into_iter().take(16) {
        let start = floor(&source, at as usize);
        let end = floor(&source, start + len as usize);
        source.replace_range(start..end, &insert);
        let range = TextRange::new(start as u32, end as u32);
        text.edit(range, &insert);
        tree = tree.reparse(&text, Edit { range, new_len: insert.len() as u32 });
        let fresh = SyntaxTree::parse(&text);
        let shape = |t: &SyntaxTree| t.root().map(dump).unwrap_or_default();
        assert_eq!(shape(&tree), shape(&fresh), "after editing {range:?} to {insert:?}");
        assert_eq!(tree.errors(), fresh.errors());
    }
    if let Some(root) = tree.root() {
        check_ranges(root, &source);
    }
    for e in tree.errors() {
        assert!(e.range.end as usize <= source.len());
    }
});
