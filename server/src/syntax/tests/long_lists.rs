//! Lists long enough to be stored in several chunks (`syntax::chunks`): edits that insert,
//! delete and merge whole states across chunk boundaries, in the first and last chunk,
//! re-parse as a fresh parse does; `Node` sees one list whatever the chunking; and an edit
//! inside one state leaves every other chunk and state shared with the old tree.

use proptest::prelude::*;

use super::super::*;
use super::dump_all;

/// A block document with `n` states between root entries.
fn blocks(n: usize) -> String {
    let mut s = String::from("Type: StateMachine\nName: long\nStates:\n");
    for i in 0..n {
        s.push_str(&format!("  - Name: S{i}\n    Type: Pass\n"));
    }
    s.push_str("StartAt: S0\n");
    s
}

/// The same in flow style, on one line.
fn one_line(n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("{{Name: S{i}, Type: Pass}}")).collect();
    format!("{{Type: StateMachine, States: [{}], StartAt: S0}}\n", items.join(", "))
}

/// Where each state starts, and where the list of states ends.
fn states(src: &str, flow: bool) -> (Vec<usize>, usize) {
    if flow {
        let starts: Vec<usize> = src.match_indices("{Name: ").map(|(i, _)| i).collect();
        let end = src.rfind(']').unwrap_or(src.len());
        (starts, end)
    } else {
        let starts: Vec<usize> = src.match_indices("\n  - ").map(|(i, _)| i + 1).collect();
        let end = src.find("\nStartAt").map_or(src.len(), |i| i + 1);
        (starts, end)
    }
}

/// A state index from a choice: the first, the last, one next to a chunk boundary, any.
fn pick(kind: u8, at: f64, n: usize) -> usize {
    let any = ((at * n as f64) as usize).min(n.saturating_sub(1));
    match kind {
        0 => 0,
        1 => n.saturating_sub(1),
        2 => ((any / 32) * 32 + usize::from(at > 0.5)).min(n.saturating_sub(1)),
        _ => any,
    }
}

/// One edit of the list: (range, inserted text).
fn edit_for(
    src: &str,
    flow: bool,
    op: u8,
    kind: u8,
    at: f64,
    count: usize,
) -> Option<(usize, usize, String)> {
    let (starts, end) = states(src, flow);
    if starts.is_empty() {
        return None;
    }
    let n = starts.len();
    let k = pick(kind, at, n);
    let state_end = |i: usize| starts.get(i + 1).copied().unwrap_or(end);
    let state_end = |i: usize| state_end(i).max(starts[i]);
    let new_state = if flow {
        format!("{{Name: N{k}, Type: Pass}}, ")
    } else {
        format!("  - Name: N{k}\n    Type: Pass\n")
    };
    let (start, end, insert) = match op {
        // A new state before state k.
        0 => (starts[k], starts[k], new_state),
        // A new state after the last one.
        1 if flow => (end, end, format!(", {{Name: Z{k}, Type: Pass}}")),
        1 => (end, end, new_state),
        // States k.. deleted (a few, or enough to empty a chunk).
        2 => {
            let last = (k + count).min(n - 1);
            if flow && last == n - 1 && k > 0 {
                // The last ones go with the comma before them.
                (state_end(k - 1).saturating_sub(2), end, String::new())
            } else {
                (starts[k], state_end(last), String::new())
            }
        }
        // State k merged into the one before it.
        3 if k > 0 && flow => (starts[k] - 3, starts[k] + 1, ", ".to_string()),
        3 if k > 0 => (starts[k], starts[k] + 4, "    ".to_string()),
        // One character typed into state k's name.
        4 | 3 => {
            let name = starts[k] + src[starts[k]..].find("Name: ")? + 6;
            (name, name, "x".to_string())
        }
        // Something that breaks it, or mends it.
        _ => {
            let snippets = ["\n", "- ", ": ", "\"", "#", "[", "}", "  - Name: Y\n", "{Name: Y}, ", ""];
            let at = starts[k] + (count % 9).min(state_end(k) - starts[k]);
            let at = (at..).find(|i| src.is_char_boundary(*i))?;
            let del = if count.is_multiple_of(3) { 1.min(src.len() - at) } else { 0 };
            (at, at + del, snippets[count % snippets.len()].to_string())
        }
    };
    (start <= end && end <= src.len()).then_some((start, end, insert))
}

/// The innermost node at `offset`, found by walking `children` only (as `node_at` did
/// before lists had chunks).
fn node_at_by_children(node: Node<'_>, offset: u32) -> Option<Node<'_>> {
    if !node.range().contains_inclusive(offset) {
        return None;
    }
    let mut node = node;
    'descend: loop {
        for child in node.children() {
            if child.range().contains_inclusive(offset) {
                node = child;
                continue 'descend;
            }
        }
        return Some(node);
    }
}

/// Every way `Node` offers to walk a list agrees with the others.
fn lists_walk_alike(tree: &SyntaxTree) -> Result<(), TestCaseError> {
    let Some(root) = tree.root() else { return Ok(()) };
    for entry in root.entries().filter(|e| e.value.kind() == NodeKind::Sequence) {
        let list = entry.value;
        let forward: Vec<Node<'_>> = list.items().collect();
        prop_assert_eq!(forward.len(), list.item_count());
        prop_assert_eq!(list.items().len(), list.item_count());
        prop_assert!(list.item(forward.len()).is_none());
        let mut backward: Vec<Node<'_>> = list.items().rev().collect();
        backward.reverse();
        let children: Vec<Node<'_>> = list.children().collect();
        prop_assert_eq!(children.len(), forward.len());
        for (i, node) in forward.iter().enumerate() {
            prop_assert!(list.item(i).is_some_and(|n| n.same(*node)), "item({})", i);
            prop_assert!(backward[i].same(*node) && children[i].same(*node));
        }
        // From both ends at once, meeting in the middle.
        let mut both = list.items();
        let (mut front, mut back) = (Vec::new(), Vec::new());
        loop {
            prop_assert_eq!(both.len(), forward.len() - front.len() - back.len());
            match (both.next(), both.next_back()) {
                (Some(a), Some(b)) => {
                    front.push(a);
                    back.push(b);
                }
                (Some(a), None) => front.push(a),
                _ => break,
            }
        }
        prop_assert_eq!(front.len() + back.len(), forward.len());
        // The chunks cover the items in order.
        let mut next = 0;
        for (_, range) in list.item_chunks() {
            prop_assert_eq!(range.start, next);
            prop_assert!(range.end > range.start);
            next = range.end;
        }
        prop_assert_eq!(next, forward.len());
        for node in &forward {
            let r = node.range();
            for offset in [r.start, r.end, r.start + r.len() / 2, r.end + 1, r.start.saturating_sub(1)] {
                let (a, b) = (root.node_at(offset), node_at_by_children(root, offset));
                prop_assert!(
                    a.map(|n| (n.range(), n.identity())) == b.map(|n| (n.range(), n.identity())),
                    "node_at({}): {:?} vs {:?}",
                    offset,
                    a,
                    b
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    /// Whole states inserted, deleted and merged anywhere in a list of several chunks
    /// (the first and the last among them), and edits that break it: re-parsing equals a
    /// fresh parse, and the lists walk alike every way.
    #[test]
    fn edits_across_chunks_reparse_as_a_fresh_parse(
        flow in any::<bool>(),
        n in 100usize..260,
        edits in prop::collection::vec((0u8..6, 0u8..4, 0.0..1.0f64, 0usize..80), 1..8),
    ) {
        let src = if flow { one_line(n) } else { blocks(n) };
        let mut text = SourceText::new(&src);
        let mut tree = SyntaxTree::parse(&text);
        prop_assert!(tree.unit_count() > 100);
        for (op, kind, at, count) in edits {
            let now = text.to_string_lossless();
            let Some((start, end, insert)) = edit_for(&now, flow, op, kind, at, count) else { continue };
            let range = TextRange::new(start as u32, end as u32);
            text.edit(range, &insert);
            tree = tree.reparse(&text, Edit { range, new_len: insert.len() as u32 });
            let fresh = SyntaxTree::parse(&text);
            let now = text.to_string_lossless();
            prop_assert_eq!(dump_all(&tree), dump_all(&fresh), "text: {:?}", now);
            prop_assert!(tree.green_root() == fresh.green_root(), "text: {:?}", now);
            lists_walk_alike(&tree)?;
        }
    }
}

/// One character typed into a state of a long list: the other states keep their green
/// node, and every chunk but the edited one is shared with the old tree.
#[test]
fn an_edit_inside_one_state_shares_every_other_chunk() {
    for flow in [false, true] {
        let src = if flow { one_line(1_000) } else { blocks(1_000) };
        let mut text = SourceText::new(&src);
        let tree = SyntaxTree::parse(&text);
        let at = (src.find("Name: S500").unwrap() + 7) as u32;
        text.edit(TextRange::empty(at), "x");
        let new = tree.reparse(&text, Edit { range: TextRange::empty(at), new_len: 1 });
        assert_eq!(dump_all(&new), dump_all(&SyntaxTree::parse(&text)));
        fn list(t: &SyntaxTree) -> Node<'_> {
            t.root().and_then(|r| r.get("States")).map(|e| e.value).unwrap()
        }
        let (old, now) = (list(&tree), list(&new));
        assert_eq!(now.item_count(), 1_000);
        let kept = (0..1_000).filter(|&i| old.item(i).unwrap().identity() == now.item(i).unwrap().identity());
        assert_eq!(kept.count(), 999, "flow: {flow}");
        assert_ne!(old.item(500).unwrap().subtree(), now.item(500).unwrap().subtree());
        let chunks: Vec<_> = old.item_chunks().collect();
        let shared = now.item_chunks().filter(|c| chunks.contains(c)).count();
        assert!(chunks.len() >= 10, "{} chunks", chunks.len());
        assert_eq!(shared, chunks.len() - 1, "flow: {flow}");
        lists_walk_alike(&new).unwrap();
    }
}

/// A document big enough to be parsed on several threads gives the tree and the errors a
/// parse on one thread gives, broken states included, in both layouts.
#[test]
fn a_parse_on_several_threads_equals_one_on_one_thread() {
    let states = 24_000;
    for flow in [false, true] {
        let mut src = if flow { one_line(states) } else { blocks(states) };
        // A broken state every 997 (text after a quoted name, a tab in indentation).
        let (starts, _) = self::states(&src, flow);
        for &at in starts.iter().step_by(997).rev() {
            src.insert_str(
                at,
                if flow { "{Name: \"x\" y, Type: Pass}, " } else { "  - Name: [x\n\t  Type: Pass\n" },
            );
        }
        let text = SourceText::new(&src);
        assert!(text.len() > 2 * super::super::tree::PARALLEL_FROM_BYTES, "big enough to be split");
        let parallel = SyntaxTree::parse(&text);
        super::super::tree::SEQUENTIAL.store(true, std::sync::atomic::Ordering::Relaxed);
        let sequential = SyntaxTree::parse(&text);
        super::super::tree::SEQUENTIAL.store(false, std::sync::atomic::Ordering::Relaxed);
        assert!(parallel.errors().len() >= 24, "{flow}: {:?}", parallel.errors().len());
        assert_eq!(dump_all(&parallel), dump_all(&sequential), "flow: {flow}");
    }
}
