//! Scalar maps on arbitrary YAML: every value offset maps inside the scalar's text, and
//! every check of the document (expressions included) is total.

#![no_main]

use fdl::analysis::{CheckOptions, check};
use fdl::syntax::scalar_map::ScalarMap;
use fdl::syntax::{Node, SourceText, SyntaxTree, TextRange};
use libfuzzer_sys::fuzz_target;

fn walk(node: Node<'_>, text: &SourceText) {
    if let Some(value) = node.scalar() {
        if let Some(map) = ScalarMap::new(node, text) {
            let range = node.range();
            for (i, _) in value.char_indices().chain(std::iter::once((value.len(), ' '))) {
                let i = i as u32;
                let r = map.range_to_document(TextRange::new(i, (i + 1).min(value.len() as u32)));
                assert!(r.start <= r.end && r.end <= text.len(), "{r:?} outside the text");
                assert!(range.start <= r.start && r.end <= range.end, "{r:?} outside the scalar {range:?}");
                if let Some(back) = map.to_value(r.start) {
                    assert!(back as usize <= value.len());
                }
            }
        }
    }
    for child in node.children() {
        walk(child, text);
    }
}

fuzz_target!(|source: &str| {
    let text = SourceText::new(source);
    let tree = SyntaxTree::parse(&text);
    if let Some(root) = tree.root() {
        walk(root, &text);
    }
    let _ = check(&text, &tree, &CheckOptions::default());
});
