//! A parsed document: the green tree assembled from independently parsed units, the syntax
//! errors, and what an edit needs to re-parse only what it touched.

use std::sync::Arc;

use super::chunks::{ListBuilder, Unit, Units, unit_items};
use super::flow::{self, Culprit, RecoveringScanner};
use super::green::{GreenChild, GreenKind, GreenNode, Node};
use super::layout::{self, Boundary, Layout, NeedsWhole, Scanner, UnitKind};
use super::text::{SourceText, TextRange};
use super::unit::{SyntaxError, UnitParse, first_error, parse_unit};

/// An immutable snapshot of a parsed document. Never fails: errors come with the tree.
#[derive(Clone, Debug)]
pub struct SyntaxTree {
    len: u32,
    layout: Layout,
    units: Units,
    root: Option<(u32, Arc<GreenNode>)>,
    errors: Vec<SyntaxError>,
    may_have_anchors: bool,
}

/// One text change: `range` of the old text was replaced by `new_len` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_len: u32,
}

impl SyntaxTree {
    pub fn parse(text: &SourceText) -> SyntaxTree {
        let (layout, first) = layout::detect(text);
        let units = match layout {
            Layout::Whole => None,
            Layout::Blocks { root_indent } => scan_units(text, root_indent, first, UnitKind::Entry),
            Layout::Flow => scan_flow_units(text),
        };
        match units {
            Some(units) if layout == Layout::Flow => Self::assemble_flow(text, Units::new(units)),
            Some(units) => Self::assemble(text.len(), layout, Units::new(units)),
            None => Self::parse_whole(text),
        }
    }

    /// The document parsed as one unit, whatever its layout: what splitting must agree with
    /// (tests and fuzzing compare the two).
    #[doc(hidden)]
    pub fn parse_as_one_unit(text: &SourceText) -> SyntaxTree {
        Self::parse_whole(text)
    }

    fn parse_whole(text: &SourceText) -> SyntaxTree {
        let unit = Unit {
            start: 0,
            end: text.len(),
            kind: UnitKind::Whole,
            parse: Arc::new(parse_unit(&text.to_string_lossless(), 0)),
            culprits: Box::default(),
        };
        Self::assemble(text.len(), Layout::Whole, Units::new(vec![unit]))
    }

    /// Re-parses after `edit`, given the text after the edit. Equal to `parse(new_text)`;
    /// the work done follows the size of the units the edit touched.
    pub fn reparse(&self, new_text: &SourceText, edit: Edit) -> SyntaxTree {
        self.try_reparse(new_text, edit).unwrap_or_else(|| Self::parse(new_text))
    }

    fn try_reparse(&self, new_text: &SourceText, edit: Edit) -> Option<SyntaxTree> {
        if self.layout == Layout::Whole {
            return None;
        }
        let delta = edit.new_len as i64 - edit.range.len() as i64;
        if new_text.len() as i64 != self.len as i64 + delta || self.units.len() < 2 {
            return None;
        }
        // The edit must start after the first line of the second unit's predecessor, so that
        // the prelude and the root indentation are untouched.
        let units = &self.units;
        let containing = units.partition_point(|start| start <= edit.range.start).checked_sub(1)?;
        let mut restart = containing.checked_sub(1)?;
        if restart == 0 && edit.range.start < units.get(1)?.start {
            return None;
        }
        // Whether a unit needed a character blanked depends on the text after it (an open
        // quote runs to the end): such a unit is scanned again whatever the edit.
        // (Only flow units have culprits: block documents skip the look.)
        if self.layout == Layout::Flow
            && let Some(first) = units.first_with_culprits(restart)
        {
            restart = first;
        }
        let from = units.get(restart)?;
        let edit_end_new = edit.range.start as i64 + edit.new_len as i64;
        let mut scanner = match self.layout {
            Layout::Blocks { root_indent } => {
                AnyScanner::Blocks(Scanner::new(new_text, root_indent, from.start, from.unit.kind))
            }
            _ => AnyScanner::Flow(Box::new(RecoveringScanner::new(new_text, from.start, from.unit.kind))),
        };
        let mut fresh: Vec<Boundary> = Vec::new();
        let mut resume: Option<usize> = None;
        while let Some(b) = scanner.next_boundary().ok()? {
            if b.start as i64 > edit_end_new && !fresh.is_empty() {
                let old_start = b.start as i64 - delta;
                let found = units.partition_point(|start| (start as i64) < old_start).max(restart);
                if let Some(old) = units.get(found)
                    && old.start as i64 == old_start
                    && old.unit.kind == b.kind
                {
                    resume = Some(found);
                    break;
                }
            }
            fresh.push(b);
        }
        let tail_start = match resume {
            Some(i) => (units.get(i)?.start as i64 + delta) as u32,
            None => new_text.len(),
        };
        // Units of the rescanned window that end before the edit have the same text as before.
        let unchanged = |b: &Boundary, end: u32, culprits: &[Culprit]| {
            let old = units.get(units.partition_point(|start| start < b.start))?;
            (old.start == b.start
                && old.end == end
                && old.unit.kind == b.kind
                && end <= edit.range.start
                && *old.unit.culprits == *culprits)
                .then(|| Arc::clone(&old.unit.parse))
        };
        let mut fresh = parse_boundaries(new_text, &fresh, tail_start, scanner.culprits(), unchanged)?;
        // Units the window starts with that are just as they were stay in their chunk.
        let skip = fresh
            .iter()
            .zip(restart..resume.unwrap_or(units.len()))
            .take_while(|(u, i)| units.get(*i).is_some_and(|old| old.is(u)))
            .count();
        fresh.drain(..skip);
        let units = units.splice(restart + skip, resume.unwrap_or(units.len()), fresh, delta);
        Some(match self.layout {
            Layout::Flow => Self::assemble_flow(new_text, units),
            layout => Self::assemble(new_text.len(), layout, units),
        })
    }

    fn assemble(len: u32, layout: Layout, units: Units) -> SyntaxTree {
        let mut errors = units.errors();
        let mut root = None;
        // Root entries flattened as key, value, key, value… with absolute starts.
        let mut children: Vec<(u32, Arc<GreenNode>)> = Vec::new();
        let mut open_value: Option<usize> = None;
        // The items of a top-level list so far; it ends at the next unit that is neither
        // an item nor a loose line (loose lines inside the list do not end it).
        let mut run: Option<Run> = None;
        for (base, chunk) in units.chunks() {
            if let Some(part) = &chunk.list {
                // A chunk of items: its chunk of green items joins the list as it is.
                if let Some((last_start, last_end)) = part.last_item {
                    let run = run.get_or_insert_with(Run::default);
                    if run.items.is_empty() {
                        run.start = base + part.first_giving.unwrap_or(last_start);
                    }
                    run.last_end = base + last_end;
                    if let Some((offset, node)) = &part.node {
                        run.items.push_chunk(base + offset, node);
                    }
                }
                continue;
            }
            for unit in chunk.units.iter() {
                let start = base + unit.start;
                match unit.kind {
                    UnitKind::Item { dash } => {
                        let run = run.get_or_insert_with(Run::default);
                        if run.items.is_empty() {
                            run.start = start + dash;
                        }
                        unit_items(unit, |at, node| run.items.push_item(base + at, node));
                        run.last_end = base + unit.end;
                    }
                    UnitKind::Loose { .. } => {}
                    kind => {
                        if let Some(run) = run.take() {
                            run.close(len, open_value.take(), &mut children, &mut errors);
                        }
                        let unit_root = unit.parse.root.as_ref().map(|(off, n)| (start + off, n));
                        match (kind, unit_root) {
                            (UnitKind::Whole, _) => root = unit_root.map(|(s, n)| (s, Arc::clone(n))),
                            (UnitKind::Entry, Some((at, node)))
                                if matches!(node.kind, GreenKind::Mapping { flow: false }) =>
                            {
                                open_value = None;
                                for child in node.children.iter() {
                                    children.push((at + child.offset, Arc::clone(&child.node)));
                                }
                                if node.children.len() >= 2 && children.last().is_some_and(|c| c.1.len == 0) {
                                    open_value = Some(children.len() - 1);
                                }
                            }
                            (UnitKind::Entry, _) => open_value = None,
                            _ => {}
                        }
                    }
                }
            }
        }
        if let Some(run) = run.take() {
            run.close(len, open_value.take(), &mut children, &mut errors);
        }
        if layout != Layout::Whole && !children.is_empty() {
            let start = children[0].0;
            root = Some(make_parent(start, children, true));
        }
        errors.sort_by_key(|e| (e.range.start, e.range.end));
        errors.dedup();
        let may_have_anchors = units.may_have_anchors();
        SyntaxTree { len, layout, units, root, errors, may_have_anchors }
    }

    /// A flow document's tree from its units: the root mapping holds the entries of the
    /// entry units; a header's placeholder `[]` becomes the list of the items up to its
    /// `]`. Entries and items with syntax errors give their errors and no node.
    fn assemble_flow(text: &SourceText, units: Units) -> SyntaxTree {
        let len = text.len();
        let mut children: Vec<(u32, Arc<GreenNode>)> = Vec::new();
        let mut root_start = None;
        let mut root_end = len;
        let mut list: Option<OpenList> = None;
        let mut errors = units.errors();
        for (base, chunk) in units.chunks() {
            if let Some(part) = &chunk.list {
                // A chunk of items: its chunk of green items joins the list as it is.
                if let (Some(open), Some((offset, node))) = (list.as_mut(), &part.node) {
                    open.items.push_chunk(base + offset, node);
                }
                continue;
            }
            for unit in chunk.units.iter() {
                let start = base + unit.start;
                let wrapper = unit.parse.root.as_ref().map(|(off, n)| (start + off, n));
                match unit.kind {
                    UnitKind::FlowEntry | UnitKind::FlowHeader => {
                        root_start.get_or_insert(start);
                        if let Some((at, node)) = wrapper {
                            children
                                .extend(node.children.iter().map(|c| (at + c.offset, Arc::clone(&c.node))));
                        }
                        if unit.kind == UnitKind::FlowHeader
                            && let Some((at, node)) = children.last()
                        {
                            list = Some(OpenList {
                                slot: children.len() - 1,
                                start: *at,
                                placeholder: Arc::clone(node),
                                items: ListBuilder::default(),
                            });
                        }
                    }
                    UnitKind::FlowItem => {
                        if let Some(open) = list.as_mut() {
                            unit_items(unit, |at, node| open.items.push_item(base + at, node));
                        }
                    }
                    UnitKind::FlowListEnd => {
                        if let Some(open) = list.take() {
                            open.close(bracket_end(text, start), &mut children);
                        }
                    }
                    UnitKind::FlowEnd => root_end = bracket_end(text, start),
                    // The document ends inside the root mapping, or inside its list: both end
                    // at the end of the text, and their openers say they are not closed.
                    UnitKind::FlowUnclosed => {
                        let never_closed = |at: u32, message: &str| SyntaxError {
                            range: TextRange::new(at, at + 1),
                            message: message.to_string(),
                        };
                        if let Some(open) = list.take() {
                            errors.push(never_closed(
                                open.start,
                                "this `[` is never closed: the document ends first",
                            ));
                            open.close(len, &mut children);
                        }
                        if let Some(start) = root_start {
                            errors.push(never_closed(
                                start,
                                "this `{` is never closed: the document ends first",
                            ));
                        }
                    }
                    // What is left is not read: the list and the root mapping end with it.
                    UnitKind::FlowRest { .. } => {
                        if let Some(open) = list.take() {
                            open.close(len, &mut children);
                        }
                    }
                    _ => {}
                }
            }
        }
        let root = root_start.map(|start| {
            let children: Box<[GreenChild]> =
                children.into_iter().map(|(s, node)| GreenChild { offset: s - start, node }).collect();
            let node = GreenNode {
                kind: GreenKind::Mapping { flow: true },
                len: root_end - start,
                props: None,
                children,
            };
            (start, Arc::new(node))
        });
        errors.sort_by_key(|e| (e.range.start, e.range.end));
        let may_have_anchors = units.may_have_anchors();
        SyntaxTree { len, layout: Layout::Flow, units, root, errors, may_have_anchors }
    }

    /// The root node: the top-level mapping of an FDL document. `None` for an empty file.
    pub fn root(&self) -> Option<Node<'_>> {
        self.root.as_ref().map(|(start, green)| Node::new(green, *start))
    }

    /// False when no `&` appears in the text: there are no anchors to look for.
    pub fn may_have_anchors(&self) -> bool {
        self.may_have_anchors
    }

    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many units the document was split into (for tests and benchmarks).
    pub fn unit_count(&self) -> usize {
        self.units.len()
    }

    /// The document was split as a flow document (tests).
    #[cfg(test)]
    pub(crate) fn is_flow(&self) -> bool {
        self.layout == Layout::Flow
    }

    /// The root's green node, to compare trees exactly (flow flags included) in tests.
    #[cfg(test)]
    pub(crate) fn green_root(&self) -> Option<&Arc<GreenNode>> {
        self.root.as_ref().map(|(_, n)| n)
    }

    /// How many units of this tree were parsed anew rather than taken from `old` (tests).
    #[cfg(test)]
    pub(crate) fn units_parsed_since(&self, old: &SyntaxTree) -> usize {
        let reused: std::collections::HashSet<*const UnitParse> =
            old.units.iter().map(|u| Arc::as_ptr(&u.unit.parse)).collect();
        self.units.iter().filter(|u| !reused.contains(&Arc::as_ptr(&u.unit.parse))).count()
    }

    /// True when `other` reuses this tree's parse of the unit starting at `offset` (tests).
    pub fn shares_unit_with(&self, other: &SyntaxTree, offset: u32, other_offset: u32) -> bool {
        let a = self.units.iter().find(|u| u.start == offset);
        let b = other.units.iter().find(|u| u.start == other_offset);
        matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(&a.unit.parse, &b.unit.parse))
    }
}

fn make_parent(start: u32, children: Vec<(u32, Arc<GreenNode>)>, mapping: bool) -> (u32, Arc<GreenNode>) {
    let end = children.iter().map(|(s, n)| s + n.len).max().unwrap_or(start);
    let children: Box<[GreenChild]> =
        children.into_iter().map(|(s, node)| GreenChild { offset: s - start, node }).collect();
    let kind = if mapping { GreenKind::Mapping { flow: false } } else { GreenKind::Sequence { flow: false } };
    (start, Arc::new(GreenNode { kind, len: end - start, props: None, children }))
}

/// A top-level block list while its items are gathered: where it starts (its first item
/// that gives a node, else its last item) and where its last item unit ends.
#[derive(Default)]
struct Run {
    start: u32,
    last_end: u32,
    items: ListBuilder,
}

impl Run {
    /// Puts the list in the slot of the entry that opened it (`open_value`), if any.
    fn close(
        self,
        len: u32,
        open_value: Option<usize>,
        children: &mut [(u32, Arc<GreenNode>)],
        errors: &mut Vec<SyntaxError>,
    ) {
        match open_value {
            Some(slot) if !self.items.is_empty() => {
                children[slot] = (self.start, Arc::new(self.items.finish(self.start, None, false, None)));
            }
            Some(_) => {}
            None => errors.push(SyntaxError {
                range: TextRange::new(self.start, self.last_end.min(len)),
                message: "list items without a `key:` to belong to".to_string(),
            }),
        }
    }
}

/// The list of a flow document's header while its items are gathered: the header's slot
/// among the root's children, where it starts, its placeholder `[]`, and the items so far.
struct OpenList {
    slot: usize,
    start: u32,
    placeholder: Arc<GreenNode>,
    items: ListBuilder,
}

impl OpenList {
    /// Puts the list, ending at `end`, in its slot.
    fn close(self, end: u32, children: &mut [(u32, Arc<GreenNode>)]) {
        let OpenList { slot, start, placeholder, items } = self;
        let flow = matches!(placeholder.kind, GreenKind::Sequence { flow: true });
        let node = items.finish(start, Some(end), flow, placeholder.props.clone());
        children[slot] = (start, Arc::new(node));
    }
}

/// Where the parser ends a flow collection whose closing bracket is at `at`: after the
/// blanks and the comment that follow it on its line.
fn bracket_end(text: &SourceText, at: u32) -> u32 {
    let mut end = at + 1;
    let mut comment = false;
    for b in text.rope().bytes_at((end as usize).min(text.len() as usize)) {
        match b {
            b'\n' | b'\r' => break,
            b'#' => comment = true,
            b' ' | b'\t' => {}
            _ if comment => {}
            _ => break,
        }
        end += 1;
    }
    end
}

/// Either scanner of unit boundaries.
enum AnyScanner<'t> {
    Blocks(Scanner<'t>),
    Flow(Box<RecoveringScanner<'t>>),
}

impl AnyScanner<'_> {
    fn next_boundary(&mut self) -> Result<Option<Boundary>, NeedsWhole> {
        match self {
            AnyScanner::Blocks(s) => s.next_boundary(),
            AnyScanner::Flow(s) => s.next_boundary(),
        }
    }

    fn culprits(&self) -> &[Culprit] {
        match self {
            AnyScanner::Blocks(_) => &[],
            AnyScanner::Flow(s) => s.culprits(),
        }
    }
}

/// The units of a flow document, if it splits into clean ones (or ones mended by blanking
/// what typing left open).
fn scan_flow_units(text: &SourceText) -> Option<Vec<Unit>> {
    let mut scanner = RecoveringScanner::new(text, 0, UnitKind::FlowPrelude);
    let mut boundaries = Vec::new();
    while let Some(b) = scanner.next_boundary().ok()? {
        boundaries.push(b);
    }
    parse_boundaries(text, &boundaries, text.len(), scanner.culprits(), |_, _, _| None)
}

fn scan_units(text: &SourceText, root_indent: u32, from: u32, kind: UnitKind) -> Option<Vec<Unit>> {
    let mut scanner = Scanner::new(text, root_indent, from, kind);
    let mut boundaries = Vec::new();
    while let Some(b) = scanner.next_boundary().ok()? {
        boundaries.push(b);
    }
    parse_boundaries(text, &boundaries, text.len(), &[], |_, _, _| None)
}

/// Parses the units between `boundaries` (the last one ends at `end`) with the `culprits`
/// (absolute, ascending) blanked, taking the parse of an unchanged unit from `reuse`.
/// `None` when a flow unit does not stand on its own, and so the document must be parsed
/// whole.
/// Below this much text, the units are parsed on the calling thread: starting threads
/// costs more than it saves.
pub(crate) const PARALLEL_FROM_BYTES: u32 = 256 * 1024;

/// How many threads a big batch of independent work is split over: the cores this process
/// may use (at most 8), asked once (the answer reads the cgroup's files on Linux).
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(8))
}

/// Tests set this to parse on one thread, for the parallel parse to be compared with.
#[cfg(test)]
pub(crate) static SEQUENTIAL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn parse_boundaries(
    text: &SourceText,
    boundaries: &[Boundary],
    end: u32,
    culprits: &[Culprit],
    reuse: impl Fn(&Boundary, u32, &[Culprit]) -> Option<Arc<UnitParse>> + Sync,
) -> Option<Vec<Unit>> {
    let span = end.saturating_sub(boundaries.first().map_or(end, |b| b.start));
    if span < PARALLEL_FROM_BYTES {
        return parse_range(text, boundaries, 0..boundaries.len(), end, culprits, &reuse);
    }
    let threads = cores();
    #[cfg(test)]
    let threads = if SEQUENTIAL.load(std::sync::atomic::Ordering::Relaxed) { 1 } else { threads };
    if threads < 2 || span < PARALLEL_FROM_BYTES || boundaries.len() < 2 * threads {
        return parse_range(text, boundaries, 0..boundaries.len(), end, culprits, &reuse);
    }
    // Units are independent: a big document (its first parse, mostly) is parsed on every
    // core, each thread taking a run of units of about the same size.
    let mut cuts = vec![0];
    for t in 1..threads {
        let at = boundaries[0].start + (span as u64 * t as u64 / threads as u64) as u32;
        let cut = boundaries.partition_point(|b| b.start < at).max(*cuts.last().unwrap_or(&0));
        cuts.push(cut);
    }
    cuts.push(boundaries.len());
    let parts: Vec<Option<Vec<Unit>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let range = w[0]..w[1];
                let reuse = &reuse;
                scope.spawn(move || parse_range(text, boundaries, range, end, culprits, reuse))
            })
            .collect();
        // A thread that panicked (saphyr is behind catch_unwind, so this is a bug of ours)
        // fails the split parse, as a unit that cannot be parsed does.
        handles.into_iter().map(|h| h.join().ok().flatten()).collect()
    });
    let mut units = Vec::with_capacity(boundaries.len());
    for part in parts {
        units.extend(part?);
    }
    Some(units)
}

/// The units of `boundaries[range]`.
fn parse_range(
    text: &SourceText,
    boundaries: &[Boundary],
    range: std::ops::Range<usize>,
    end: u32,
    culprits: &[Culprit],
    reuse: &(impl Fn(&Boundary, u32, &[Culprit]) -> Option<Arc<UnitParse>> + Sync),
) -> Option<Vec<Unit>> {
    boundaries[range.clone()]
        .iter()
        .zip(range)
        .map(|(b, i)| {
            let unit_end = boundaries.get(i + 1).map_or(end, |n| n.start);
            let first = culprits.partition_point(|c| c.at < b.start);
            let own: Box<[Culprit]> = culprits[first..]
                .iter()
                .take_while(|c| c.at < unit_end)
                .map(|c| Culprit { at: c.at - b.start, message: c.message })
                .collect();
            let parse = match reuse(b, unit_end, &own) {
                Some(parse) => parse,
                None => {
                    let mut piece = text.slice(TextRange::new(b.start, unit_end));
                    if own.is_empty() {
                        Arc::new(parse_piece(b.kind, &piece)?)
                    } else {
                        // Culprits are ASCII brackets and quotes: a blank in their place
                        // keeps the text valid and every position where it is.
                        for c in own.iter() {
                            piece.replace_range(c.at as usize..c.at as usize + 1, " ");
                        }
                        let mut parse = parse_piece(b.kind, &piece)?;
                        parse.errors.extend(own.iter().map(|c| SyntaxError {
                            range: TextRange::new(c.at, c.at + 1),
                            message: c.message.to_string(),
                        }));
                        parse.errors.sort_by_key(|e| (e.range.start, e.range.end));
                        Arc::new(parse)
                    }
                }
            };
            Some(Unit { start: b.start, end: unit_end, kind: b.kind, parse, culprits: own })
        })
        .collect()
}

/// The syntax error of what is left of a flow document from a unit the scan failed in,
/// found by parsing it where it stands: after a `{` (and `k: [` inside the list of states)
/// that replace the units before it, which are clean. `None` when it has none: the scan
/// does not follow some valid YAML there, and the document is parsed whole.
fn rest_errors(text: &str, in_list: bool, bracket: bool) -> Option<UnitParse> {
    let context = if in_list { "{k: [" } else { "{" };
    // The unit's separator (`,`, `[` or `{`) is in the context already.
    let own = if bracket { text } else { text.get(1..)? };
    let fed = format!("{context}{own}");
    let error = first_error(&fed)?;
    let len = text.len() as u32;
    let separator = (text.len() - own.len()) as u32;
    let at = |fed_at: u32| (fed_at + separator).saturating_sub(context.len() as u32).min(len);
    let range = TextRange::new(at(error.range.start), at(error.range.end).max(at(error.range.start)));
    Some(UnitParse {
        root: None,
        errors: vec![SyntaxError { range, message: error.message }],
        may_have_anchors: false,
    })
}

/// Parses one unit. Flow units are parsed wrapped in their brackets and must hold exactly
/// one entry (one item) inside the wrapper that ends where the added bracket does, or be
/// an entry or item with a syntax error of its own (it then adds its errors and no node,
/// as a broken state of a block document keeps its neighbours). Anything else is `None`:
/// the document is parsed whole.
fn parse_piece(kind: UnitKind, text: &str) -> Option<UnitParse> {
    let flow = matches!(
        kind,
        UnitKind::FlowPrelude
            | UnitKind::FlowEntry
            | UnitKind::FlowHeader
            | UnitKind::FlowItem
            | UnitKind::FlowListEnd
            | UnitKind::FlowEnd
            | UnitKind::FlowUnclosed
            | UnitKind::FlowRest { .. }
    );
    // An item of a top-level list sits inside the root mapping; its own parse has the list
    // at its top, the root mapping is not in its text.
    let outer =
        usize::from(matches!(kind, UnitKind::Item { .. } | UnitKind::Loose { .. } | UnitKind::FlowItem));
    if !flow {
        return Some(parse_unit(text, outer));
    }
    if let UnitKind::FlowRest { in_list, bracket } = kind {
        return rest_errors(text, in_list, bracket);
    }
    let Some(fed) = flow::wrap(kind, text) else { return Some(UnitParse::default()) };
    let mut parse = parse_unit(&fed, outer);
    if !parse.errors.is_empty() {
        if kind == UnitKind::FlowHeader {
            return None;
        }
        // Positions stay the unit's own: an error at the added bracket is at its end.
        let len = text.len() as u32;
        for e in &mut parse.errors {
            e.range = TextRange::new(e.range.start.min(len), e.range.end.min(len));
        }
        parse.root = None;
        return Some(parse);
    }
    let expected = match kind {
        UnitKind::FlowItem => GreenKind::Sequence { flow: true },
        _ => GreenKind::Mapping { flow: true },
    };
    // Nothing may reach past the unit's own text: the parser stretches an implicit null
    // (`{key, …}`) to the next token, which is in the next unit.
    let inside = |c: &GreenChild| (c.offset + c.node.len) as usize <= text.len();
    let fits = match &parse.root {
        Some((0, node)) if node.kind == expected && node.len as usize == fed.len() => match kind {
            UnitKind::FlowItem => node.children.len() <= 1 && node.children.iter().all(inside),
            UnitKind::FlowEntry => node.children.len() <= 2 && node.children.iter().all(inside),
            // `{ key: []}`: the placeholder list ends where the wrapper's `}` starts.
            _ => {
                node.children.len() == 2
                    && inside(&node.children[0])
                    && node.children[1].node.kind == GreenKind::Sequence { flow: true }
                    && node.children[1].node.children.is_empty()
                    && node.children[1].offset + node.children[1].node.len == node.len - 1
            }
        },
        _ => false,
    };
    fits.then_some(parse)
}
