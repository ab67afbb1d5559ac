//! A document's units kept in chunks of a few dozen, so that an edit rebuilds the chunk it
//! touched and shifts the start of the others, whatever the number of units.
//!
//! A chunk holds its units with positions relative to its start, the errors of its units
//! that need no context (relative too), and, when every unit of it is an item of a
//! top-level list, those items as one green [`GreenKind::Chunk`] node: `tree` puts that
//! node in the list as it is, so an unchanged chunk of states is shared, node and all,
//! between a tree and the next, and assembling the list costs one step per chunk.

use std::sync::Arc;

use super::flow::Culprit;
use super::green::{GreenChild, GreenKind, GreenNode, Props};
use super::layout::UnitKind;
use super::text::TextRange;
use super::unit::{SyntaxError, UnitParse};

/// How many units a chunk holds at most when a run of them is cut into chunks.
const CHUNK: usize = 64;
/// A chunk rebuilt by an edit with fewer units than this takes in the next one.
const SMALL: usize = CHUNK / 4;

#[derive(Clone, Debug)]
pub(crate) struct Unit {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) kind: UnitKind,
    pub(crate) parse: Arc<UnitParse>,
    /// Characters of a flow unit blanked by recovery, relative to its start (their errors
    /// are in `parse`). A unit with some depends on the text after it: see `try_reparse`.
    pub(crate) culprits: Box<[Culprit]>,
}

impl Unit {
    fn shifted(&self, by: i64) -> Unit {
        Unit {
            start: (self.start as i64 + by) as u32,
            end: (self.end as i64 + by) as u32,
            kind: self.kind,
            parse: Arc::clone(&self.parse),
            culprits: self.culprits.clone(),
        }
    }
}

/// Items of a top-level list: chunks of them are stored apart from the rest.
fn is_list_item(kind: UnitKind) -> bool {
    matches!(kind, UnitKind::Item { .. } | UnitKind::Loose { .. } | UnitKind::FlowItem)
}

/// Units in a row, positions relative to the chunk's start (its first unit's start).
#[derive(Debug)]
pub(crate) struct Chunk {
    pub(crate) units: Box<[Unit]>,
    /// The errors its units have whatever their neighbours (see `unit_errors`), relative.
    errors: Box<[SyntaxError]>,
    /// Every unit is an item of a top-level list (or a loose line inside one).
    pub(crate) list: Option<ListPart>,
    may_have_anchors: bool,
    has_culprits: bool,
}

/// What a chunk of list items gives its list (positions relative to the chunk).
#[derive(Debug)]
pub(crate) struct ListPart {
    /// Its items as one `GreenKind::Chunk` node, and where that starts; `None` when no
    /// unit gives an item (they all have syntax errors of their own).
    pub(crate) node: Option<(u32, Arc<GreenNode>)>,
    /// Block lists: where the list starts (a unit's start and its dash) if its first item
    /// is in this chunk: at the first `Item` unit that gives an item.
    pub(crate) first_giving: Option<u32>,
    /// Block lists: the last `Item` unit's start and dash, and its end.
    pub(crate) last_item: Option<(u32, u32)>,
}

impl Chunk {
    /// The chunk of `units` (absolute positions, at least one), and its start.
    fn new(mut units: Vec<Unit>) -> (u32, Arc<Chunk>) {
        let start = units[0].start;
        for u in &mut units {
            u.start -= start;
            u.end -= start;
        }
        let mut errors = Vec::new();
        for u in &units {
            unit_errors(u, &mut errors);
        }
        let list = units.iter().all(|u| is_list_item(u.kind)).then(|| list_part(&units));
        let may_have_anchors = units.iter().any(|u| u.parse.may_have_anchors);
        let has_culprits = units.iter().any(|u| !u.culprits.is_empty());
        let chunk =
            Chunk { units: units.into(), errors: errors.into(), list, may_have_anchors, has_culprits };
        (start, Arc::new(chunk))
    }
}

/// The errors of a unit that do not depend on the units around it: its parse's, and what
/// its kind says of a root-level line (positions relative to what the unit's are).
fn unit_errors(unit: &Unit, out: &mut Vec<SyntaxError>) {
    out.extend(
        unit.parse
            .errors
            .iter()
            .map(|e| SyntaxError { range: e.range.shifted(unit.start), message: e.message.clone() }),
    );
    let root = unit.parse.root.as_ref().map(|(off, n)| (unit.start + off, n));
    let whole = || {
        let start = root.map_or(unit.start, |(s, _)| s);
        let end = root.map_or(unit.end, |(s, n)| s + n.len);
        TextRange::new(start, end.max(start))
    };
    let message = match unit.kind {
        UnitKind::Entry => match root {
            Some((start, node))
                if !matches!(node.kind, GreenKind::Mapping { flow: false } | GreenKind::Error) =>
            {
                out.push(SyntaxError {
                    range: TextRange::new(start, start + node.len),
                    message: "expected `key: value` here (a top-level entry of the flow)".to_string(),
                });
                return;
            }
            _ => return,
        },
        UnitKind::Loose { .. } => {
            "expected `key: value` here (a top-level entry of the flow), or an item of the list around it"
        }
        UnitKind::Stray => {
            "bad indentation: this line belongs to no entry above it; align it with its siblings"
        }
        _ => return,
    };
    out.push(SyntaxError { range: whole(), message: message.to_string() });
}

/// The items a list unit gives its list, with their starts (relative as the unit's are).
pub(crate) fn unit_items(unit: &Unit, mut push: impl FnMut(u32, &Arc<GreenNode>)) {
    let Some((offset, node)) = &unit.parse.root else { return };
    let start = unit.start + offset;
    match unit.kind {
        // A block item's parse has the list at its top; anything else is the item itself.
        UnitKind::Item { .. } => match node.kind {
            GreenKind::Sequence { flow: false } => {
                node.children.iter().for_each(|c| push(start + c.offset, &c.node));
            }
            _ => push(start, node),
        },
        // A flow item is parsed inside a `[…]` wrapper.
        UnitKind::FlowItem => node.children.iter().for_each(|c| push(start + c.offset, &c.node)),
        _ => {}
    }
}

fn list_part(units: &[Unit]) -> ListPart {
    let mut items: Vec<(u32, Arc<GreenNode>)> = Vec::new();
    let mut first_giving = None;
    let mut last_item = None;
    for u in units {
        let before = items.len();
        unit_items(u, |start, node| items.push((start, Arc::clone(node))));
        if let UnitKind::Item { dash } = u.kind {
            if first_giving.is_none() && items.len() > before {
                first_giving = Some(u.start + dash);
            }
            last_item = Some((u.start + dash, u.end));
        }
    }
    ListPart { node: chunk_node(items), first_giving, last_item }
}

/// Items (absolute starts, in order) as one `GreenKind::Chunk` node and its start.
fn chunk_node(items: Vec<(u32, Arc<GreenNode>)>) -> Option<(u32, Arc<GreenNode>)> {
    let start = items.first()?.0;
    let end = items.last().map_or(start, |(s, n)| s + n.len);
    let children: Box<[GreenChild]> =
        items.into_iter().map(|(s, node)| GreenChild { offset: s - start, node }).collect();
    Some((start, Arc::new(GreenNode { kind: GreenKind::Chunk, len: end - start, props: None, children })))
}

/// The items of a top-level list while it is assembled: chunks of a chunk of units taken
/// as they are, and items gathered one by one (made into chunks as they come).
#[derive(Default)]
pub(crate) struct ListBuilder {
    chunks: Vec<(u32, Arc<GreenNode>)>,
    loose: Vec<(u32, Arc<GreenNode>)>,
}

impl ListBuilder {
    pub(crate) fn push_item(&mut self, start: u32, node: &Arc<GreenNode>) {
        self.loose.push((start, Arc::clone(node)));
        if self.loose.len() == CHUNK {
            self.flush();
        }
    }

    pub(crate) fn push_chunk(&mut self, start: u32, node: &Arc<GreenNode>) {
        self.flush();
        self.chunks.push((start, Arc::clone(node)));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.chunks.is_empty() && self.loose.is_empty()
    }

    fn flush(&mut self) {
        if let Some(chunk) = chunk_node(std::mem::take(&mut self.loose)) {
            self.chunks.push(chunk);
        }
    }

    /// The list, from `start` to `end` (to its last item's end when `None`).
    pub(crate) fn finish(
        mut self,
        start: u32,
        end: Option<u32>,
        flow: bool,
        props: Option<Box<Props>>,
    ) -> GreenNode {
        self.flush();
        let end = end.unwrap_or_else(|| self.chunks.last().map_or(start, |(s, n)| s + n.len));
        if self.chunks.is_empty() {
            return GreenNode {
                kind: GreenKind::Sequence { flow },
                len: end - start,
                props,
                children: Box::new([]),
            };
        }
        let mut firsts = Vec::with_capacity(self.chunks.len() + 1);
        let mut count = 0u32;
        for (_, chunk) in &self.chunks {
            firsts.push(count);
            count += chunk.children.len() as u32;
        }
        firsts.push(count);
        let children: Box<[GreenChild]> =
            self.chunks.into_iter().map(|(s, node)| GreenChild { offset: s - start, node }).collect();
        let kind = GreenKind::ChunkedSequence { flow, firsts: firsts.into() };
        GreenNode { kind, len: end - start, props, children }
    }
}

#[derive(Clone, Debug)]
struct ChunkRef {
    /// Where its first unit starts.
    start: u32,
    /// The index of its first unit among all units.
    first: usize,
    chunk: Arc<Chunk>,
}

/// All units of a document, in chunks.
#[derive(Clone, Debug, Default)]
pub(crate) struct Units {
    chunks: Vec<ChunkRef>,
    count: usize,
}

/// A unit at its absolute position.
#[derive(Clone, Copy)]
pub(crate) struct UnitRef<'a> {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) unit: &'a Unit,
}

impl UnitRef<'_> {
    /// `unit` (absolute positions) is this unit: the same parse of the same text.
    pub(crate) fn is(self, unit: &Unit) -> bool {
        self.start == unit.start
            && self.end == unit.end
            && self.unit.kind == unit.kind
            && Arc::ptr_eq(&self.unit.parse, &unit.parse)
            && self.unit.culprits == unit.culprits
    }
}

impl Units {
    /// The units (absolute positions, in order) cut into chunks.
    pub(crate) fn new(units: Vec<Unit>) -> Units {
        let mut out = Units::default();
        out.push_run(units);
        out
    }

    /// Cuts `units` into chunks, at most `CHUNK` units each and no chunk mixing items of a
    /// list with other units, and appends them.
    fn push_run(&mut self, units: Vec<Unit>) {
        let mut rest = units.into_iter().peekable();
        while let Some(first) = rest.next() {
            let class = is_list_item(first.kind);
            let mut run = vec![first];
            while let Some(u) = rest.next_if(|u| is_list_item(u.kind) == class) {
                run.push(u);
            }
            // Chunks of equal size: a run one unit too long makes two halves, not a
            // chunk of one.
            let pieces = run.len().div_ceil(CHUNK);
            let size = run.len().div_ceil(pieces);
            let mut run = run.into_iter().peekable();
            while run.peek().is_some() {
                let piece: Vec<Unit> = run.by_ref().take(size).collect();
                let n = piece.len();
                let (start, chunk) = Chunk::new(piece);
                self.chunks.push(ChunkRef { start, first: self.count, chunk });
                self.count += n;
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// The chunks with their starts, in order.
    pub(crate) fn chunks(&self) -> impl Iterator<Item = (u32, &Chunk)> {
        self.chunks.iter().map(|c| (c.start, &*c.chunk))
    }

    fn chunk_of(&self, index: usize) -> usize {
        self.chunks.partition_point(|c| c.first <= index).saturating_sub(1)
    }

    pub(crate) fn get(&self, index: usize) -> Option<UnitRef<'_>> {
        let c = self.chunks.get(self.chunk_of(index))?;
        let unit = c.chunk.units.get(index.checked_sub(c.first)?)?;
        Some(UnitRef { start: c.start + unit.start, end: c.start + unit.end, unit })
    }

    /// How many units (from the first) start where `before` holds; `before` must hold for
    /// a prefix of starts, as for `slice::partition_point`.
    pub(crate) fn partition_point(&self, before: impl Fn(u32) -> bool) -> usize {
        let k = self.chunks.partition_point(|c| before(c.start));
        let Some(c) = k.checked_sub(1).map(|k| &self.chunks[k]) else { return 0 };
        c.first + c.chunk.units.partition_point(|u| before(c.start + u.start))
    }

    /// The first unit before `end` that has blanked characters.
    pub(crate) fn first_with_culprits(&self, end: usize) -> Option<usize> {
        let c = self.chunks.iter().take_while(|c| c.first < end).find(|c| c.chunk.has_culprits)?;
        let i = c.first + c.chunk.units.iter().position(|u| !u.culprits.is_empty())?;
        (i < end).then_some(i)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = UnitRef<'_>> {
        self.chunks.iter().flat_map(|c| {
            c.chunk.units.iter().map(|unit| UnitRef {
                start: c.start + unit.start,
                end: c.start + unit.end,
                unit,
            })
        })
    }

    /// Every chunk's context-free errors, at their absolute positions, in order.
    pub(crate) fn errors(&self) -> Vec<SyntaxError> {
        let mut out = Vec::new();
        for c in &self.chunks {
            out.extend(
                c.chunk
                    .errors
                    .iter()
                    .map(|e| SyntaxError { range: e.range.shifted(c.start), message: e.message.clone() }),
            );
        }
        out
    }

    pub(crate) fn may_have_anchors(&self) -> bool {
        self.chunks.iter().any(|c| c.chunk.may_have_anchors)
    }

    /// These units with units `from..to` replaced by `fresh` (absolute positions in the
    /// new text), the units from `to` on moved by `delta`. Only the chunks that held
    /// replaced units are built anew; the others are shared.
    pub(crate) fn splice(&self, from: usize, to: usize, fresh: Vec<Unit>, delta: i64) -> Units {
        if self.chunks.is_empty() {
            return Units::new(fresh);
        }
        let k0 = self.chunk_of(from.min(self.count - 1));
        let k1 = if to > from { self.chunk_of(to - 1) } else { k0 };
        let (c0, c1) = (&self.chunks[k0], &self.chunks[k1]);
        let mut region: Vec<Unit> = Vec::with_capacity(fresh.len() + 2 * CHUNK);
        region.extend(
            c0.chunk.units[..from.saturating_sub(c0.first)].iter().map(|u| u.shifted(c0.start as i64)),
        );
        region.extend(fresh);
        let tail = to.saturating_sub(c1.first).min(c1.chunk.units.len());
        region.extend(c1.chunk.units[tail..].iter().map(|u| u.shifted(c1.start as i64 + delta)));
        let mut next = k1 + 1;
        // A small chunk takes in the next one, so that deleting units leaves no crumbs.
        while let (Some(last), Some(c)) = (region.last(), self.chunks.get(next))
            && region.len() < SMALL
            && is_list_item(last.kind) == is_list_item(c.chunk.units[0].kind)
        {
            region.extend(c.chunk.units.iter().map(|u| u.shifted(c.start as i64 + delta)));
            next += 1;
        }
        let mut out = Units { chunks: Vec::with_capacity(self.chunks.len() + 2), count: 0 };
        out.chunks.extend_from_slice(&self.chunks[..k0]);
        out.count = c0.first;
        out.push_run(region);
        for c in &self.chunks[next..] {
            let start = (c.start as i64 + delta) as u32;
            out.chunks.push(ChunkRef { start, first: out.count, chunk: Arc::clone(&c.chunk) });
            out.count += c.chunk.units.len();
        }
        out
    }
}
