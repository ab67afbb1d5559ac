//! One scope's states as the graph rules see them: names, where each transition leads, and
//! the counts the rules read, kept so that replacing one state's facts updates them for
//! that state and for the states that name it.
//!
//! The top-level scope of a flow of thousands of states keeps one between analyses (in the
//! analysis cache): a keystroke in one state replaces that state's facts, and the rules
//! then read the update instead of hashing every name and resolving every transition
//! again. Nested scopes build one per analysis. Building and updating give the same graph
//! (a property test edits flows and compares with a fresh analysis).

use std::cell::RefCell;
use std::ops::RangeInclusive;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::facts::{NextOrEnd, StateFacts};
use super::names::{self, NameIndex, Sketch};

#[derive(Clone, Debug, Default)]
pub(crate) struct ScopeGraph {
    states: Vec<Arc<StateFacts>>,
    /// The states of each name, in order: references lead to the first.
    by_name: FxHashMap<Box<str>, Vec<u32>>,
    /// The states whose transitions name each target (each state once), in order.
    referrers: FxHashMap<Box<str>, Vec<u32>>,
    /// Where each state leads: the states its transitions name, those naming nothing left
    /// out; state `i`'s are `arena[spans[i]]`. One array, in state order once built, so that
    /// walking the graph of thousands of states reads memory in order; an update appends
    /// the state's new edges, and the arena is compacted when most of it is stale.
    spans: Vec<(u32, u32)>,
    arena: Vec<u32>,
    /// How many edges of the arena are current.
    live: usize,
    /// States with a transition to no state of the scope, written plainly (reported).
    missing: Vec<u32>,
    /// Per state, its transitions to no state whose target is a placeholder: where those
    /// lead is only known at deployment. `unknown_total` sums them.
    unknown: Vec<u32>,
    unknown_total: usize,
    terminals: usize,
    /// States whose `Next`/`End` rule is broken.
    broken_rules: Vec<u32>,
    /// Names of more than one state.
    duplicated: FxHashSet<Box<str>>,
    /// The first state of each name, for "did you mean".
    suggestions: NameIndex,
    /// The alphabetically first few names ("states here: …"), made when needed.
    first_names: std::sync::OnceLock<Vec<Box<str>>>,
    /// The suggestions made for the words of the last analysis, kept true as names come
    /// and go: a rename being typed leaves the same reference broken keystroke after
    /// keystroke, and searching thousands of names for it again each time was most of
    /// what the graph rules cost.
    remembered: RefCell<FxHashMap<Box<str>, Remembered>>,
}

#[derive(Clone, Debug)]
struct Remembered {
    sketch: Sketch,
    reach: RangeInclusive<usize>,
    /// The closest name's state and score.
    best: Option<(u32, f64)>,
    /// Asked for since the last [`ScopeGraph::forget_unasked`].
    asked: bool,
}

/// How many names "states here" lists.
pub(crate) const LISTED_NAMES: usize = 8;

/// Keeps `v` sorted: inserts `x` unless present.
fn insert_sorted(v: &mut Vec<u32>, x: u32) {
    if let Err(at) = v.binary_search(&x) {
        v.insert(at, x);
    }
}

fn remove_sorted(v: &mut Vec<u32>, x: u32) {
    if let Ok(at) = v.binary_search(&x) {
        v.remove(at);
    }
}

impl ScopeGraph {
    pub(crate) fn build(states: Vec<Arc<StateFacts>>) -> ScopeGraph {
        let n = states.len();
        let mut graph = ScopeGraph {
            by_name: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            spans: vec![(0, 0); n],
            unknown: vec![0; n],
            ..ScopeGraph::default()
        };
        for (i, s) in states.iter().enumerate() {
            if let Some(name) = &s.name {
                graph.add_name(i as u32, &name.text, &name.sketch);
            }
            graph.add_referrer(i as u32, s);
            graph.terminals += s.terminal as usize;
            if s.rule != NextOrEnd::Fine {
                graph.broken_rules.push(i as u32);
            }
        }
        graph.states = states;
        for i in 0..n {
            graph.resolve(i as u32);
        }
        graph
    }

    /// Replaces the facts of state `i`, updating what depends on them.
    pub(crate) fn replace(&mut self, i: usize, new: Arc<StateFacts>) {
        let Some(slot) = self.states.get_mut(i) else { return };
        if Arc::ptr_eq(slot, &new) {
            return;
        }
        let old = std::mem::replace(slot, new);
        let new = Arc::clone(&self.states[i]);
        let at = i as u32;
        let (old_name, new_name) = (old.name.as_ref(), new.name.as_ref());
        let mut renamed: Vec<&str> = Vec::new();
        if old_name.map(|n| &n.text) != new_name.map(|n| &n.text) {
            if let Some(n) = old_name {
                self.remove_name(at, &n.text, &n.sketch);
                renamed.push(&n.text);
            }
            if let Some(n) = new_name {
                self.add_name(at, &n.text, &n.sketch);
                renamed.push(&n.text);
            }
        }
        for m in &old.moves {
            if let Some(v) = self.referrers.get_mut(&*m.target) {
                remove_sorted(v, at);
                if v.is_empty() {
                    self.referrers.remove(&*m.target);
                }
            }
        }
        self.add_referrer(at, &new);
        self.terminals = self.terminals + new.terminal as usize - old.terminal as usize;
        if (old.rule != NextOrEnd::Fine) != (new.rule != NextOrEnd::Fine) {
            if new.rule != NextOrEnd::Fine {
                insert_sorted(&mut self.broken_rules, at);
            } else {
                remove_sorted(&mut self.broken_rules, at);
            }
        }
        self.resolve(at);
        // The states that name a name that came or went may lead elsewhere now.
        let mut again: Vec<u32> = Vec::new();
        for name in renamed {
            again.extend(self.referrers.get(name).into_iter().flatten().copied());
        }
        for r in again {
            self.resolve(r);
        }
    }

    fn add_name(&mut self, i: u32, name: &str, sketch: &Sketch) {
        let states = self.by_name.entry(name.into()).or_default();
        let first_before = states.first().copied();
        insert_sorted(states, i);
        if states.len() == 2 {
            self.duplicated.insert(name.into());
        }
        match first_before {
            None => {
                self.index(i, name, sketch);
                self.first_names.take();
            }
            Some(first) if i < first => {
                self.unindex(first, sketch);
                self.index(i, name, sketch);
            }
            Some(_) => {}
        }
    }

    fn remove_name(&mut self, i: u32, name: &str, sketch: &Sketch) {
        let Some(states) = self.by_name.get_mut(name) else { return };
        let was_first = states.first() == Some(&i);
        remove_sorted(states, i);
        let (next, left) = (states.first().copied(), states.len());
        if was_first {
            self.unindex(i, sketch);
            if let Some(next) = next {
                self.index(next, name, sketch);
            }
        }
        match left {
            0 => {
                self.by_name.remove(name);
                self.first_names.take();
            }
            1 => {
                self.duplicated.remove(name);
            }
            _ => {}
        }
    }

    /// Makes state `i` the one suggested for `name`, and the remembered suggestions that
    /// it beats point to it.
    fn index(&mut self, i: u32, name: &str, sketch: &Sketch) {
        self.suggestions.insert(i, sketch);
        for (word, r) in self.remembered.get_mut().iter_mut() {
            if !names::in_reach(&r.reach, sketch) {
                continue;
            }
            let Some(score) = names::score(word, &r.sketch, name, sketch) else { continue };
            if r.best.is_none_or(|(p, s)| score > s || (score == s && i < p)) {
                r.best = Some((i, score));
            }
        }
    }

    /// No longer suggests state `i`; the suggestions that named it are searched again when
    /// asked for.
    fn unindex(&mut self, i: u32, sketch: &Sketch) {
        self.suggestions.remove(i, sketch);
        self.remembered.get_mut().retain(|_, r| r.best.is_none_or(|(p, _)| p != i));
    }

    fn add_referrer(&mut self, i: u32, s: &StateFacts) {
        for m in &s.moves {
            let v = self.referrers.entry(m.target.clone()).or_default();
            insert_sorted(v, i);
        }
    }

    /// Where state `i`'s transitions lead now.
    fn resolve(&mut self, i: u32) {
        let s = &self.states[i as usize];
        let from = self.arena.len() as u32;
        let (mut missing, mut unknown) = (false, 0);
        for m in &s.moves {
            match self.by_name.get(&*m.target) {
                Some(states) => self.arena.push(states[0]),
                None if m.deploy_time => unknown += 1,
                None => missing = true,
            }
        }
        let (old_from, old_to) = self.spans[i as usize];
        self.live = self.live + self.arena.len() - from as usize - (old_to - old_from) as usize;
        self.spans[i as usize] = (from, self.arena.len() as u32);
        if self.arena.len() > 2 * self.live + 1024 {
            self.compact();
        }
        self.unknown_total = self.unknown_total + unknown - self.unknown[i as usize] as usize;
        self.unknown[i as usize] = unknown as u32;
        if missing {
            insert_sorted(&mut self.missing, i);
        } else {
            remove_sorted(&mut self.missing, i);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.states.len()
    }

    pub(crate) fn state(&self, i: usize) -> &StateFacts {
        &self.states[i]
    }

    /// The state a reference to `name` leads to.
    pub(crate) fn target(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).map(|v| v[0] as usize)
    }

    pub(crate) fn edges(&self, i: usize) -> &[u32] {
        let (from, to) = self.spans[i];
        &self.arena[from as usize..to as usize]
    }

    /// Drops the edges that updates left behind.
    fn compact(&mut self) {
        let mut arena = Vec::with_capacity(self.states.len() + 16);
        for span in &mut self.spans {
            let from = arena.len() as u32;
            arena.extend_from_slice(&self.arena[span.0 as usize..span.1 as usize]);
            *span = (from, arena.len() as u32);
        }
        self.arena = arena;
    }

    /// States with a transition to no state (not a placeholder), in order.
    pub(crate) fn missing(&self) -> &[u32] {
        &self.missing
    }

    /// Whether some transition leads where only deployment knows.
    pub(crate) fn has_unknown(&self) -> bool {
        self.unknown_total > 0
    }

    pub(crate) fn terminals(&self) -> usize {
        self.terminals
    }

    pub(crate) fn broken_rules(&self) -> &[u32] {
        &self.broken_rules
    }

    /// The states of each name given to several, first state first.
    pub(crate) fn duplicates(&self) -> impl Iterator<Item = &[u32]> {
        self.duplicated.iter().filter_map(|n| self.by_name.get(n).map(Vec::as_slice))
    }

    pub(crate) fn distinct_names(&self) -> usize {
        self.by_name.len()
    }

    /// The name closest to `word`, spending `budget` as a search of the names would (a
    /// remembered answer included, so that the budget runs out where it would).
    pub(crate) fn suggest(&self, word: &str, budget: &mut usize) -> Option<&str> {
        let candidate = |p: u32| {
            let named = self.states[p as usize].name.as_ref().expect("indexed states have names");
            (&*named.text, &named.sketch)
        };
        let mut remembered = self.remembered.borrow_mut();
        if let Some(r) = remembered.get_mut(word) {
            r.asked = true;
            return match self.suggestions.spend(&r.reach, budget) {
                true => r.best.map(|(p, _)| candidate(p).0),
                false => None,
            };
        }
        let sketch = Sketch::of(word);
        let reach = NameIndex::reach(&sketch);
        if !self.suggestions.spend(&reach, budget) {
            return None;
        }
        let best = self.suggestions.best(word, &sketch, reach.clone(), &candidate);
        remembered.insert(word.into(), Remembered { sketch, reach, best, asked: true });
        best.map(|(p, _)| candidate(p).0)
    }

    /// Forgets the suggestions not asked for since the last call (references since mended).
    pub(crate) fn forget_unasked(&self) {
        self.remembered.borrow_mut().retain(|_, r| std::mem::replace(&mut r.asked, false));
    }

    /// The alphabetically first names of the scope (at most [`LISTED_NAMES`]).
    pub(crate) fn first_names(&self) -> &[Box<str>] {
        self.first_names.get_or_init(|| {
            let mut shown: Vec<&str> = Vec::with_capacity(LISTED_NAMES + 1);
            for name in self.by_name.keys() {
                let at = shown.partition_point(|s| *s < &**name);
                if at < LISTED_NAMES {
                    shown.insert(at, name);
                    shown.truncate(LISTED_NAMES);
                }
            }
            shown.into_iter().map(Box::from).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::ScopeGraph;
    use crate::analysis::facts::{Move, Named, NextOrEnd, StateFacts};
    use crate::analysis::names::Sketch;
    use crate::syntax::TextRange;

    /// Names from a small set, so that states share names and transitions find them.
    const NAMES: &[&str] = &["甲", "乙", "丙", "Step", "step", "Stpe", "${name}", "丁丁"];

    fn facts(name: Option<usize>, moves: Vec<usize>, terminal: bool, broken: bool) -> Arc<StateFacts> {
        let named = |i: usize| (NAMES[i], NAMES[i].starts_with("${"));
        Arc::new(StateFacts {
            name: name.map(|i| Named {
                text: named(i).0.into(),
                range: TextRange::new(6, 6 + named(i).0.len() as u32),
                deploy_time: named(i).1,
                sketch: Sketch::of(named(i).0),
            }),
            anchor: TextRange::new(0, 4),
            moves: moves
                .into_iter()
                .map(|i| Move {
                    target: named(i).0.into(),
                    range: TextRange::new(20, 22),
                    deploy_time: named(i).1,
                })
                .collect(),
            terminal,
            rule: if broken {
                NextOrEnd::Neither { anchor: TextRange::new(0, 4), insert: None }
            } else {
                NextOrEnd::Fine
            },
            falls_through: !terminal,
        })
    }

    fn state() -> impl Strategy<Value = Arc<StateFacts>> {
        (
            prop::option::weighted(0.9, 0..NAMES.len()),
            prop::collection::vec(0..NAMES.len() + 2, 0..3),
            any::<bool>(),
            prop::bool::weighted(0.2),
        )
            .prop_map(|(name, moves, terminal, broken)| {
                // Targets past the names are names no state has.
                let moves = moves.into_iter().map(|m| m.min(NAMES.len() - 1)).collect();
                facts(name, moves, terminal, broken)
            })
    }

    /// Everything the rules read of a graph.
    fn observed(g: &ScopeGraph) -> String {
        let mut duplicates: Vec<&[u32]> = g.duplicates().collect();
        duplicates.sort();
        let words = ["甲", "Stp", "stepp", "乙丙", "x"];
        let suggestions: Vec<Option<&str>> =
            words.iter().map(|w| g.suggest(w, &mut { usize::MAX })).collect();
        let targets: Vec<Option<usize>> = NAMES.iter().map(|n| g.target(n)).collect();
        format!(
            "edges {:?}\nmissing {:?} unknown {} terminals {} broken {:?}\nduplicates {:?} names {} first {:?}\nsuggest {:?} targets {:?}",
            (0..g.len()).map(|i| g.edges(i).to_vec()).collect::<Vec<_>>(),
            g.missing(),
            g.has_unknown(),
            g.terminals(),
            g.broken_rules(),
            duplicates,
            g.distinct_names(),
            g.first_names(),
            suggestions,
            targets,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]
        /// Replacing states one at a time leaves the graph that building it afresh gives.
        #[test]
        fn replacing_states_equals_building_afresh(
            states in prop::collection::vec(state(), 0..12),
            replacements in prop::collection::vec((any::<prop::sample::Index>(), state()), 0..12),
        ) {
            let mut graph = ScopeGraph::build(states.clone());
            let mut now = states;
            for (at, new) in replacements {
                if now.is_empty() {
                    break;
                }
                let i = at.index(now.len());
                graph.replace(i, Arc::clone(&new));
                now[i] = new;
                prop_assert_eq!(observed(&graph), observed(&ScopeGraph::build(now.clone())));
            }
        }
    }

    /// A remembered suggestion spends the budget a search would: with too little left,
    /// both find nothing and leave nothing.
    #[test]
    fn remembered_suggestions_spend_the_budget_of_a_search() {
        let states: Vec<_> = [0, 3, 4, 5].iter().map(|&n| facts(Some(n), vec![], true, false)).collect();
        let graph = ScopeGraph::build(states.clone());
        let sketches: Vec<(&str, Sketch)> =
            [0, 3, 4, 5].iter().map(|&n| (NAMES[n], Sketch::of(NAMES[n]))).collect();
        for budget in 0..6 {
            for word in ["Stp", "甲乙"] {
                let mut search =
                    crate::analysis::names::Suggester::new(sketches.iter().map(|(c, k)| (*c, k)), budget);
                let expected = search.suggest(word);
                for _ in 0..2 {
                    let mut left = budget;
                    assert_eq!(graph.suggest(word, &mut left), expected, "{word} with {budget}");
                    let mut spent = budget;
                    let mut index = crate::analysis::names::NameIndex::default();
                    for (p, (_, k)) in sketches.iter().enumerate() {
                        index.insert(p as u32, k);
                    }
                    index.suggest(word, &mut spent, |p| (sketches[p as usize].0, &sketches[p as usize].1));
                    assert_eq!(left, spent, "{word} with {budget}");
                }
            }
        }
    }
}
