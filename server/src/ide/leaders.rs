//! Which top-level states lead to a state of a given name, per document snapshot: what a
//! completion or hover in an expression needs to infer `$Input` without reading every
//! state of a big flow.
//!
//! Each top-level state's targets (hashed names) are kept by the identity of its subtree,
//! shared by the snapshots of one document's history like the outline's symbols, so a
//! snapshot's index costs a lookup per state, not a reading of each; the index itself is
//! made on first use in a snapshot and kept with it.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use fdl_schema::Dialect;
use rustc_hash::FxHasher;

use super::Document;
use crate::analysis::by_identity::ByIdentity;
use crate::analysis::model::Flow;
use crate::syntax::NodeKind;
use crate::syntax::green::GreenNode;

/// The targets of each top-level state of a document's snapshots, by state subtree.
#[derive(Default)]
pub(crate) struct TargetCache {
    dialect: Option<Dialect>,
    states: ByIdentity<GreenNode, Arc<[u64]>>,
}

impl std::fmt::Debug for TargetCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TargetCache({} states)", self.states.len())
    }
}

/// One snapshot's index: each target (a hashed name) of each top-level state, with the
/// state's index, in order. A flat list read whole per question (thousands of integers
/// compared are cheaper than a map of lists built per keystroke). Hashes may collide, so
/// it gives a superset; callers check each state.
#[derive(Debug, Default)]
pub(crate) struct TopLeaders {
    targets: Vec<(u64, u32)>,
}

impl TopLeaders {
    /// The indices in the top-level list of the states that may lead to `name`, in order.
    pub(crate) fn of(&self, name: &str) -> Vec<usize> {
        let h = hash(name);
        let mut out: Vec<usize> =
            self.targets.iter().filter(|(t, _)| *t == h).map(|&(_, i)| i as usize).collect();
        // A state naming a target twice (Next and a Catch) is listed once.
        out.dedup();
        out
    }
}

fn hash(name: &str) -> u64 {
    let mut h = FxHasher::default();
    name.hash(&mut h);
    h.finish()
}

/// The index of `doc`'s top-level states, or `None` where it cannot be trusted: aliases and
/// merge keys can bring a state's transitions from elsewhere, so its subtree would not
/// decide them.
pub(crate) fn build(doc: &Document, cache: &mut TargetCache) -> Option<TopLeaders> {
    if doc.tree.may_have_anchors() {
        return None;
    }
    let flow = Flow::new(&doc.tree)?;
    if cache.dialect != Some(flow.dialect()) {
        cache.states.clear();
        cache.dialect = Some(flow.dialect());
    }
    let scope = flow.top_scope();
    let list = scope.state_list()?;
    let mut out = TopLeaders::default();
    cache.states.begin();
    for i in 0..list.item_count() {
        let Some(node) = list.item(i).filter(|n| n.kind() == NodeKind::Mapping) else { continue };
        let subtree = node.subtree();
        let mut add = |targets: &[u64]| out.targets.extend(targets.iter().map(|&t| (t, i as u32)));
        if let Some(targets) = cache.states.get(&subtree) {
            add(targets);
            continue;
        }
        let targets: Arc<[u64]> = flow.state(node).transitions().iter().map(|t| hash(t.target)).collect();
        add(&targets);
        cache.states.insert(subtree, targets);
    }
    cache.states.end();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::expressions::expression_at;
    use crate::syntax::TextRange;

    /// A flow of 150 states (Tasks with outputs, Pass states that pass their input on,
    /// Catch rules, CJK names): every expression's `$Input` fields are the same whether the
    /// states that lead to it come from the index or from reading the scope, before and
    /// after an edit that changes one state's targets.
    #[test]
    fn the_index_gives_what_a_search_of_the_scope_gives() {
        let mut src = "Type: StateMachine\nSpecVersion: v1\nStartAt: 状态0\nStates:\n".to_string();
        for i in 0..150 {
            let next = format!("状态{}", (i + 1) % 150);
            if i % 5 == 4 {
                src.push_str(&format!("  - Type: Pass\n    Name: 状态{i}\n    Next: {next}\n"));
                continue;
            }
            src.push_str(&format!(
                "  - Type: Task\n    Name: 状态{i}\n    Action: HTTP:Request\n    Parameters:\n      v.$: $Input.a\n    OutputConstructor:\n      f{i}.$: $Output\n"
            ));
            if i % 7 == 0 {
                let to = (i + 3) % 150;
                src.push_str(&format!(
                    "    Catch:\n      - Errors: [FnF.ALL]\n        Next: 状态{to}\n        OutputConstructor:\n          caught{i}.$: $Input\n"
                ));
            }
            src.push_str(&format!("    Next: {next}\n"));
        }
        let doc = Document::new(&src);
        let at = src.find("Next: 状态9\n").unwrap() as u32 + 6;
        let edited = doc.edit(TextRange::new(at, at + "状态9".len() as u32), "状态12");
        for doc in [&doc, &edited] {
            let text = doc.text.to_string_lossless();
            let flow = Flow::new(&doc.tree).unwrap();
            assert!(doc.leaders().is_some());
            let mut seen = 0;
            for (at, _) in text.match_indices("$Input.a") {
                let offset = at as u32 + 7;
                let indexed = crate::ide::expressions::expression_in(doc, &flow, offset).unwrap();
                let searched = expression_at(&flow, &doc.text, offset).unwrap();
                assert_eq!(indexed.context, searched.context, "at {offset}");
                seen += usize::from(!searched.context.input_fields.is_empty());
            }
            assert!(seen > 100, "{seen}");
        }
    }
}
