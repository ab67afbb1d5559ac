//! The top-level states of a document, kept across its snapshots: each state's name
//! (folded, for completion) and hashed targets (for `$Input`), laid out in contiguous
//! buffers in the order of the `States`/`steps` list.
//!
//! A snapshot brings the table up to date before it is read: an edit re-parses the states
//! it touched and every other state keeps its very subtree (`Arc`), so the items at both
//! ends of the list are matched by address (the addresses are read, not the states) and
//! only the items in between are read and spliced in. A completion after `Next: Ste` then
//! costs one pass of a substring search over the folded names, and a keystroke before it
//! a comparison of addresses, not a reading of every state.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Weak};

use fdl_schema::Dialect;
use rustc_hash::{FxHashMap, FxHasher};

use crate::analysis::model::Flow;
use crate::syntax::green::GreenNode;
use crate::syntax::{Node, NodeKind};

/// Begins and ends each folded name in [`TopStates::names`]: no UTF-8 text holds this
/// byte, so no match of typed text runs from one name into the next, and one with a
/// separator before it (after it) starts (ends) a name.
const SEPARATOR: u8 = 0xFF;

/// Variable-length rows laid out one after another: row `i` is `data[starts[i]..starts[i + 1]]`.
#[derive(Debug)]
struct Packed<T> {
    data: Vec<T>,
    starts: Vec<u32>,
}

impl<T: Copy> Packed<T> {
    fn new() -> Self {
        Packed { data: Vec::new(), starts: vec![0] }
    }

    fn clear(&mut self) {
        self.data.clear();
        self.starts.clear();
        self.starts.push(0);
    }

    fn row(&self, i: usize) -> &[T] {
        &self.data[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// Replaces rows `old` with `new` (each given by its data).
    fn splice(&mut self, old: Range<usize>, new: &[Vec<T>]) {
        let (from, to) = (self.starts[old.start] as usize, self.starts[old.end] as usize);
        let added: usize = new.iter().map(Vec::len).sum();
        self.data.splice(from..to, new.iter().flatten().copied());
        let mut ends = Vec::with_capacity(new.len());
        let mut at = from as u32;
        for row in new {
            at += row.len() as u32;
            ends.push(at);
        }
        self.starts.splice(old.start + 1..old.end + 1, ends);
        if added != to - from {
            let delta = added as i64 - (to - from) as i64;
            for s in &mut self.starts[old.start + 1 + new.len()..] {
                *s = (*s as i64 + delta) as u32;
            }
        }
    }

    /// The row holding position `pos` of `data`, searched from row `from` on (galloping:
    /// positions asked in increasing order cost little each, near or far).
    fn row_at(&self, pos: usize, from: usize) -> usize {
        let pos = pos as u32;
        // The first row after `from` that starts after `pos`, less one.
        let starts = &self.starts[from + 1..];
        let mut step = 1;
        let mut lo = 0;
        while lo + step < starts.len() && starts[lo + step] <= pos {
            lo += step;
            step *= 2;
        }
        let hi = (lo + step + 1).min(starts.len());
        from + lo + starts[lo..hi].partition_point(|&s| s <= pos)
    }
}

/// The top-level states of a document's snapshots: kept by the document across its
/// history, brought up to date by [`TopStates::sync`] with the snapshot being asked about.
pub(crate) struct TopStates {
    dialect: Option<Dialect>,
    /// The list the table was last brought up to date with. Its allocation is held (not its
    /// items, which the snapshot that drops the list last frees), so that its address names
    /// it while the table lives.
    list: Option<Weak<GreenNode>>,
    /// Each item of the list, in order (held; compared by address).
    items: Vec<Arc<GreenNode>>,
    /// Each item's name folded (`str::to_lowercase`) between two [`SEPARATOR`]s; an item
    /// that is not a named state (not a mapping, no `Name`) has an empty name.
    names: Packed<u8>,
    /// Each named state's name as written, [`SEPARATOR`] and its type (`state` when it has
    /// none): what a completion item shows (empty for other items).
    labels: Packed<u8>,
    /// How many items have each folded name (hashed; not empty): a name typed whole is
    /// searched for only where some state has it.
    name_counts: FxHashMap<u64, u32>,
    /// Each item's targets, hashed (a state's transitions; none for other items).
    targets: Packed<u64>,
}

impl Default for TopStates {
    fn default() -> Self {
        TopStates {
            dialect: None,
            list: None,
            items: Vec::new(),
            names: Packed::new(),
            labels: Packed::new(),
            name_counts: FxHashMap::default(),
            targets: Packed::new(),
        }
    }
}

impl std::fmt::Debug for TopStates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TopStates({} items)", self.items.len())
    }
}

fn hash(name: &str) -> u64 {
    let mut h = FxHasher::default();
    name.hash(&mut h);
    h.finish()
}

/// The key of a folded name in `name_counts`: the hash of a row's name (without its
/// separators), `None` for an empty one.
fn name_key(row: &[u8]) -> Option<u64> {
    let name = row.get(1..row.len().checked_sub(1)?)?;
    (!name.is_empty()).then(|| {
        let mut h = FxHasher::default();
        name.hash(&mut h);
        h.finish()
    })
}

fn address(subtree: &Arc<GreenNode>) -> usize {
    Arc::as_ptr(subtree) as usize
}

/// How well a state's name matches what is typed: 0 the name itself, 1 a name that starts
/// with it, 2 one that contains it (compared folded).
pub(crate) type Class = u8;

impl TopStates {
    /// Brings the table up to date with `list`, the top-level state list of `flow` (which
    /// must not follow aliases: a state's subtree then decides its name and targets).
    pub(crate) fn sync(&mut self, flow: &Flow<'_>, list: Node<'_>) {
        debug_assert!(!flow.follows_aliases());
        if self.dialect != Some(flow.dialect()) {
            self.clear();
            self.dialect = Some(flow.dialect());
        }
        if self.list.as_ref().is_some_and(|l| Weak::as_ptr(l) as usize == list.identity()) {
            return;
        }
        let (n, m) = (list.item_count(), self.items.len());
        let same = |(item, kept): (Node<'_>, &Arc<GreenNode>)| item.identity() == address(kept);
        let prefix = list.items().zip(&self.items).take_while(|&p| same(p)).count();
        let suffix = list
            .items()
            .rev()
            .zip(self.items.iter().rev())
            .take(n.min(m) - prefix)
            .take_while(|&p| same(p))
            .count();
        let (new, old) = (prefix..n - suffix, prefix..m - suffix);
        for row in old.clone() {
            let Some(key) = name_key(self.names.row(row)) else { continue };
            if let Some(count) = self.name_counts.get_mut(&key) {
                *count -= 1;
                if *count == 0 {
                    self.name_counts.remove(&key);
                }
            }
        }
        let mut items = Vec::with_capacity(new.len());
        let mut names = Vec::with_capacity(new.len());
        let mut labels = Vec::with_capacity(new.len());
        let mut targets = Vec::with_capacity(new.len());
        for node in list.items().skip(new.start).take(new.len()) {
            let read = read(flow, node);
            if let Some(key) = name_key(&read.name) {
                *self.name_counts.entry(key).or_default() += 1;
            }
            items.push(node.subtree());
            names.push(read.name);
            labels.push(read.label);
            targets.push(read.targets);
        }
        self.items.splice(old.clone(), items);
        self.names.splice(old.clone(), &names);
        self.labels.splice(old.clone(), &labels);
        self.targets.splice(old, &targets);
        self.list = Some(Arc::downgrade(&list.subtree()));
    }

    fn clear(&mut self) {
        self.list = None;
        self.items.clear();
        self.names.clear();
        self.labels.clear();
        self.name_counts.clear();
        self.targets.clear();
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// The best `limit` items whose names contain `typed` (folded, not empty), item `skip`
    /// left out: all whose name is `typed` (class 0), then those whose name starts with it
    /// (1), then those that contain it (2), each class in the order of the list read from
    /// item `first` on and around; and whether more items match than `limit`.
    ///
    /// Each class is searched for in one pass over the folded names, and the passes stop as
    /// soon as the answer is known: a common prefix typed reads the names near the cursor,
    /// not the thousands that start with it.
    pub(crate) fn matching(
        &self,
        typed: &str,
        first: usize,
        skip: Option<usize>,
        limit: usize,
    ) -> (Vec<(Class, usize)>, bool) {
        let mut out = Vec::new();
        if typed.is_empty() || self.items.is_empty() {
            return (out, false);
        }
        let t = typed.as_bytes();
        let exact = [&[SEPARATOR], t, &[SEPARATOR]].concat();
        // Class 0: every one (they come first, wherever they are), searched for only when
        // some item has that name, and until all of them are found.
        let mut exact_left = name_key(&exact).map_or(0, |k| self.name_counts.get(&k).copied().unwrap_or(0));
        if exact_left > 0 {
            self.search(&exact, first, |row, _| {
                if Some(row) != skip {
                    out.push((0, row));
                }
                exact_left -= 1;
                exact_left > 0
            });
        }
        // Class 1, then 2, until one more than `limit` is found.
        let enough = |out: &Vec<(Class, usize)>| out.len() > limit;
        if !enough(&out) {
            let name_is = |row: usize| self.names.row(row).len() == t.len() + 2;
            self.search(&exact[..t.len() + 1], first, |row, _| {
                if Some(row) != skip && !name_is(row) {
                    out.push((1, row));
                }
                !enough(&out)
            });
        }
        if !enough(&out) {
            let mut last = usize::MAX;
            self.search(t, first, |row, pos| {
                // Each name's first match comes first: one at its start is class 0 or 1.
                if row != last && Some(row) != skip && pos > self.names.starts[row] as usize + 1 {
                    out.push((2, row));
                }
                last = row;
                !enough(&out)
            });
        }
        let more = out.len() > limit;
        out.truncate(limit);
        (out, more)
    }

    /// Calls `found` with the row and position of each match of `needle` in the names, read
    /// from row `first` on and around, while it returns true. Matches do not cross rows
    /// (`needle` holds no separator but at its ends, and rows begin and end with one).
    fn search(&self, needle: &[u8], first: usize, mut found: impl FnMut(usize, usize) -> bool) {
        let n = self.items.len();
        let first = first.min(n);
        let finder = memchr::memmem::Finder::new(needle);
        for rows in [first..n, 0..first] {
            if rows.is_empty() {
                continue;
            }
            let base = self.names.starts[rows.start] as usize;
            let hay = &self.names.data[base..self.names.starts[rows.end] as usize];
            let mut row = rows.start;
            for at in finder.find_iter(hay) {
                row = self.names.row_at(base + at, row);
                if !found(row, base + at) {
                    return;
                }
            }
        }
    }

    /// The name and the type (`state` when it has none) of item `row`, when it is a named
    /// state.
    pub(crate) fn label(&self, row: usize) -> Option<(&str, &str)> {
        let label = self.labels.row(row);
        let at = memchr::memchr(SEPARATOR, label)?;
        // Both parts were written from `str`s.
        Some((std::str::from_utf8(&label[..at]).ok()?, std::str::from_utf8(&label[at + 1..]).ok()?))
    }

    /// The indices in the list of the states that may lead to `name`, in order (hashes may
    /// collide: a superset, which callers check).
    pub(crate) fn leaders_of(&self, name: &str) -> Vec<usize> {
        let h = hash(name);
        let mut out: Vec<usize> = Vec::new();
        let mut row = 0;
        for (pos, _) in self.targets.data.iter().enumerate().filter(|(_, t)| **t == h) {
            row = self.targets.row_at(pos, row);
            // A state naming a target twice (Next and a Catch) is listed once.
            if out.last() != Some(&row) {
                out.push(row);
            }
        }
        out
    }

    /// Each row (its name and targets), and the counts of names.
    #[cfg(test)]
    fn rows(&self) -> Rows {
        let rows = (0..self.len())
            .map(|i| ([self.names.row(i), self.labels.row(i)].concat(), self.targets.row(i).to_vec()))
            .collect();
        let mut counts: Vec<(u64, u32)> = self.name_counts.iter().map(|(&k, &v)| (k, v)).collect();
        counts.sort_unstable();
        (rows, counts)
    }
}

/// A table's rows (each name, label and targets) and name counts, as tests compare them.
#[cfg(test)]
type Rows = (Vec<(Vec<u8>, Vec<u64>)>, Vec<(u64, u32)>);

/// What the table keeps of a list item: its folded name between separators, its name and
/// type as written, its hashed targets.
fn read(flow: &Flow<'_>, node: Node<'_>) -> Read {
    if node.kind() != NodeKind::Mapping {
        return Read { name: vec![SEPARATOR, SEPARATOR], label: Vec::new(), targets: Vec::new() };
    }
    let state = flow.state(node);
    let mut name = vec![SEPARATOR];
    let mut label = Vec::new();
    if let Some((n, _)) = state.name() {
        name.extend_from_slice(n.to_lowercase().as_bytes());
        label.extend_from_slice(n.as_bytes());
        label.push(SEPARATOR);
        label.extend_from_slice(state.ty().map_or("state", |(t, _)| t).as_bytes());
    }
    name.push(SEPARATOR);
    Read { name, label, targets: state.transitions().iter().map(|t| hash(t.target)).collect() }
}

/// What the table keeps of a list item.
struct Read {
    name: Vec<u8>,
    label: Vec<u8>,
    targets: Vec<u64>,
}
#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::analysis::expressions::expression_at;
    use crate::ide::Document;
    use crate::syntax::TextRange;

    #[test]
    fn packed_rows_are_spliced_and_found() {
        let mut p = Packed::<u8>::new();
        p.splice(0..0, &[vec![1, 2], vec![], vec![3]]);
        assert_eq!((p.row(0), p.row(1), p.row(2)), (&[1, 2][..], &[][..], &[3][..]));
        p.splice(1..2, &[vec![4, 5, 6], vec![7]]);
        assert_eq!(p.data, [1, 2, 4, 5, 6, 7, 3]);
        assert_eq!(p.starts, [0, 2, 5, 6, 7]);
        assert_eq!((0..7).map(|pos| p.row_at(pos, 0)).collect::<Vec<_>>(), [0, 0, 1, 1, 1, 2, 3]);
        assert_eq!(p.row_at(6, 2), 3);
        p.splice(0..3, &[]);
        assert_eq!((p.data.as_slice(), p.starts.as_slice()), (&[3][..], &[0, 1][..]));
    }

    /// The table of a document's top-level states as a fresh reading of `doc` makes it.
    fn fresh(doc: &Document) -> Option<Rows> {
        let flow = Flow::new(&doc.tree)?;
        if doc.tree.may_have_anchors() {
            return None;
        }
        let mut table = TopStates::default();
        table.sync(&flow, flow.top_scope().state_list()?);
        Some(table.rows())
    }

    /// Six times four states (with names that fold and CJK names).
    fn states() -> String {
        let four = "  - Type: Pass\n    Name: 开始\n    Next: Ärger\n  - Type: Choice\n    Name: Ärger\n    Branches:\n      - Condition: $Input.a\n        Next: 开始\n    Default: KELVIN\n  - Type: Task\n    Name: KELVIN\n    Action: HTTP:Request\n    Catch:\n      - Errors: [FnF.ALL]\n        Next: 开始\n    Next: ΣΟΦΟΣ\n  - Type: Succeed\n    Name: ΣΟΦΟΣ\n";
        let mut s = "Type: StateMachine\nSpecVersion: v1\nStartAt: 开始\nStates:\n".to_string();
        for i in 0..6 {
            s.push_str(&four.replace("开始", &format!("开始{i}")).replace("KELVIN", &format!("KELVIN{i}")));
        }
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// After any sequence of edits, the table kept across snapshots (and brought up to
        /// date with each) equals a fresh reading of the snapshot: names, targets, items.
        #[test]
        fn the_kept_table_equals_a_fresh_reading(
            edits in prop::collection::vec((0.0f64..1.0, prop::sample::select(vec![0usize, 1, 3, 12, 40, 200]), prop::sample::select(vec![
                "", "x", "\n", "  - Type: Pass\n    Name: 新\n    End: true\n", "Name: ", "Next: 开始", ":", "视",
                "\n  - ", "  - Name: K\n", "- 5\n", "İ", "&a ", "*a",
            ])), 1..40),
            revisit in 0usize..40,
        ) {
            let mut doc = Document::new(&states());
            let mut history = vec![doc.clone()];
            for (at, len, insert) in edits {
                let text = doc.text.to_string_lossless();
                let mut start = (at * text.len() as f64) as usize;
                while !text.is_char_boundary(start) { start -= 1; }
                let mut end = (start + len).min(text.len());
                while !text.is_char_boundary(end) { end -= 1; }
                doc = doc.edit(TextRange::new(start as u32, end as u32), insert);
                history.push(doc.clone());
                // An older snapshot read in between (a late request) brings it back.
                let old = &history[revisit % history.len()];
                for d in [old, &doc] {
                    let kept = Flow::new(&d.tree).and_then(|flow| d.top_states(&flow, |t| t.rows()));
                    prop_assert_eq!(kept, fresh(d));
                }
            }
        }
    }

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
            assert!(doc.top_states(&flow, |t| t.len()).is_some());
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
