//! The YAML tree: immutable "green" nodes that know only their length and the offsets of
//! their children, and a borrowed [`Node`] view that adds absolute positions while walking.
//!
//! Green nodes are shared through `Arc`, so an edit reuses every untouched subtree as is:
//! moving a state further down the file changes one offset in its parent, not the state.
//!
//! A big top-level list (the states of a flow) is stored in chunks: its green node is a
//! [`GreenKind::ChunkedSequence`] whose children are [`GreenKind::Chunk`] nodes, each holding
//! a run of consecutive items with offsets relative to the chunk. An edit then builds one
//! chunk anew and shifts the offsets of the others, instead of touching every item. Chunks
//! are invisible through [`Node`]: a chunked sequence is a `Sequence` whose items are the
//! chunks' items, in order, and two green nodes are equal whatever their chunking.

use std::sync::Arc;

use super::text::TextRange;

/// How a scalar was written. Plain scalars are the only ones YAML resolves to null, numbers
/// and booleans; quoted and block scalars are always strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum GreenKind {
    /// Children alternate key, value.
    Mapping {
        flow: bool,
    },
    Sequence {
        flow: bool,
    },
    Scalar {
        value: Box<str>,
        style: ScalarStyle,
    },
    Alias {
        name: Box<str>,
    },
    /// Text that could not be parsed at all.
    Error,
    /// A sequence whose children are `Chunk`s of its items (only a big top-level list, as
    /// `tree` assembles it). `firsts[k]` is the index of chunk `k`'s first item; one more
    /// element at the end holds the item count.
    ChunkedSequence {
        flow: bool,
        firsts: Box<[u32]>,
    },
    /// Consecutive items of a `ChunkedSequence`, offsets relative to the chunk (which starts
    /// where its first item does). Never seen through `Node`.
    Chunk,
}

impl GreenKind {
    /// Equal as `Node` sees them: a chunked sequence is a sequence.
    fn same_as(&self, other: &GreenKind) -> bool {
        match (self, other) {
            (
                GreenKind::Sequence { flow: a } | GreenKind::ChunkedSequence { flow: a, .. },
                GreenKind::Sequence { flow: b } | GreenKind::ChunkedSequence { flow: b, .. },
            ) => a == b,
            (a, b) => a == b,
        }
    }
}

/// Anchor and tag written before a node (`&base !Ref`), with offsets relative to the node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Props {
    pub(crate) anchor: Option<(TextRange, Box<str>)>,
    pub(crate) tag: Option<(TextRange, Box<str>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GreenChild {
    pub(crate) offset: u32,
    pub(crate) node: Arc<GreenNode>,
}

#[derive(Clone, Debug)]
pub struct GreenNode {
    pub(crate) kind: GreenKind,
    pub(crate) len: u32,
    pub(crate) props: Option<Box<Props>>,
    pub(crate) children: Box<[GreenChild]>,
}

impl GreenNode {
    pub(crate) fn leaf(kind: GreenKind, len: u32, props: Option<Box<Props>>) -> GreenNode {
        GreenNode { kind, len, props, children: Box::new([]) }
    }
}

/// Structural equality as `Node` sees the tree: chunks are looked through, so a list
/// assembled in chunks equals the same list parsed in one piece.
impl PartialEq for GreenNode {
    fn eq(&self, other: &GreenNode) -> bool {
        if self.len != other.len || self.props != other.props || !self.kind.same_as(&other.kind) {
            return false;
        }
        let (a, b) = (Flat::new(self, 0), Flat::new(other, 0));
        a.len() == b.len()
            && a.zip(b).all(|((sa, na), (sb, nb))| sa == sb && (Arc::ptr_eq(na, nb) || **na == **nb))
    }
}

impl Eq for GreenNode {}

/// The children of a green node as `Node` sees them, with their starts given the node's:
/// a chunked sequence's items are its chunks' children, one after the other.
struct Flat<'a> {
    green: &'a GreenNode,
    start: u32,
    chunked: bool,
    /// The next child from the front: (segment, index in it).
    front: (usize, usize),
    /// One past the next child from the back: (segment, index in it).
    back: (usize, usize),
    remaining: usize,
}

impl<'a> Flat<'a> {
    fn new(green: &'a GreenNode, start: u32) -> Flat<'a> {
        let (chunked, remaining, back) = match &green.kind {
            GreenKind::ChunkedSequence { firsts, .. } => {
                let count = firsts.last().copied().unwrap_or(0) as usize;
                let last = green.children.len().saturating_sub(1);
                let back = (last, green.children.get(last).map_or(0, |c| c.node.children.len()));
                (true, count, back)
            }
            _ => (false, green.children.len(), (0, green.children.len())),
        };
        Flat { green, start, chunked, front: (0, 0), back, remaining }
    }

    fn empty(green: &'a GreenNode) -> Flat<'a> {
        Flat { green, start: 0, chunked: false, front: (0, 0), back: (0, 0), remaining: 0 }
    }

    fn segments(&self) -> usize {
        if self.chunked { self.green.children.len() } else { 1 }
    }

    /// Segment `k`: its children and the start they are relative to.
    fn segment(&self, k: usize) -> (&'a [GreenChild], u32) {
        if self.chunked {
            match self.green.children.get(k) {
                Some(chunk) => (&chunk.node.children, self.start + chunk.offset),
                None => (&[], self.start),
            }
        } else {
            (&self.green.children, self.start)
        }
    }
}

impl<'a> Iterator for Flat<'a> {
    type Item = (u32, &'a Arc<GreenNode>);

    fn next(&mut self) -> Option<Self::Item> {
        while self.remaining > 0 {
            let (segment, base) = self.segment(self.front.0);
            if let Some(child) = segment.get(self.front.1) {
                self.front.1 += 1;
                self.remaining -= 1;
                return Some((base + child.offset, &child.node));
            }
            if self.front.0 + 1 >= self.segments() {
                self.remaining = 0;
                break;
            }
            self.front = (self.front.0 + 1, 0);
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl DoubleEndedIterator for Flat<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        while self.remaining > 0 {
            if self.back.1 > 0 {
                let (segment, base) = self.segment(self.back.0);
                if let Some(child) = segment.get(self.back.1 - 1) {
                    self.back.1 -= 1;
                    self.remaining -= 1;
                    return Some((base + child.offset, &child.node));
                }
            }
            if self.back.0 == 0 {
                self.remaining = 0;
                break;
            }
            self.back.0 -= 1;
            self.back.1 = self.segment(self.back.0).0.len();
        }
        None
    }
}

impl ExactSizeIterator for Flat<'_> {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Mapping,
    Sequence,
    Scalar,
    Alias,
    Error,
}

/// A node of the tree at an absolute position. Copy, cheap, borrowed from a `SyntaxTree`.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    green: &'a Arc<GreenNode>,
    start: u32,
}

/// A `key: value` pair of a mapping.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    pub key: Node<'a>,
    pub value: Node<'a>,
}

impl<'a> Node<'a> {
    pub(crate) fn new(green: &'a Arc<GreenNode>, start: u32) -> Node<'a> {
        Node { green, start }
    }

    pub fn kind(self) -> NodeKind {
        match self.green.kind {
            GreenKind::Mapping { .. } => NodeKind::Mapping,
            GreenKind::Sequence { .. } | GreenKind::ChunkedSequence { .. } | GreenKind::Chunk => {
                NodeKind::Sequence
            }
            GreenKind::Scalar { .. } => NodeKind::Scalar,
            GreenKind::Alias { .. } => NodeKind::Alias,
            GreenKind::Error => NodeKind::Error,
        }
    }

    /// The whole node, anchor and tag included.
    pub fn range(self) -> TextRange {
        TextRange::new(self.start, self.start + self.green.len)
    }

    /// The node without a leading anchor or tag: where a value "is" for diagnostics.
    pub fn value_range(self) -> TextRange {
        let range = self.range();
        match self.green.props.as_deref() {
            None => range,
            Some(props) => {
                let after = [props.anchor.as_ref(), props.tag.as_ref()]
                    .into_iter()
                    .flatten()
                    .map(|(r, _)| r.end)
                    .max()
                    .unwrap_or(0);
                // Skip the blank between the properties and the value.
                let start = (self.start + after).min(range.end);
                TextRange::new(start, range.end)
            }
        }
    }

    pub fn is_flow(self) -> bool {
        matches!(
            self.green.kind,
            GreenKind::Mapping { flow: true }
                | GreenKind::Sequence { flow: true }
                | GreenKind::ChunkedSequence { flow: true, .. }
        )
    }

    /// The scalar's value (after YAML unescaping and folding), for scalars only.
    pub fn scalar(self) -> Option<&'a str> {
        match &self.green.kind {
            GreenKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn scalar_style(self) -> Option<ScalarStyle> {
        match &self.green.kind {
            GreenKind::Scalar { style, .. } => Some(*style),
            _ => None,
        }
    }

    pub fn is_plain_scalar(self) -> bool {
        self.scalar_style() == Some(ScalarStyle::Plain)
    }

    /// `key:` with nothing after it, `~` or `null` (YAML core schema).
    pub fn is_null(self) -> bool {
        self.is_plain_scalar()
            && self.tag().is_none()
            && matches!(self.scalar(), Some("" | "~" | "null" | "Null" | "NULL"))
    }

    /// True for an absent value: `key:` followed by nothing at all.
    pub fn is_missing(self) -> bool {
        self.is_plain_scalar() && self.scalar() == Some("") && self.green.len == 0
    }

    pub fn alias(self) -> Option<&'a str> {
        match &self.green.kind {
            GreenKind::Alias { name } => Some(name),
            _ => None,
        }
    }

    pub fn anchor(self) -> Option<(&'a str, TextRange)> {
        let props = self.green.props.as_deref()?;
        let (range, name) = props.anchor.as_ref()?;
        Some((name, range.shifted(self.start)))
    }

    /// The tag as written, e.g. `!Ref` or `!!str`.
    pub fn tag(self) -> Option<(&'a str, TextRange)> {
        let props = self.green.props.as_deref()?;
        let (range, name) = props.tag.as_ref()?;
        Some((name, range.shifted(self.start)))
    }

    fn child(self, index: usize) -> Option<Node<'a>> {
        let child = self.green.children.get(index)?;
        Some(Node { green: &child.node, start: self.start + child.offset })
    }

    pub fn entry_count(self) -> usize {
        match self.green.kind {
            GreenKind::Mapping { .. } => self.green.children.len() / 2,
            _ => 0,
        }
    }

    /// The entries of a mapping, in source order (empty for other kinds).
    pub fn entries(self) -> impl DoubleEndedIterator<Item = Entry<'a>> + ExactSizeIterator + 'a {
        let n = self.entry_count();
        (0..n).map(move |i| Entry {
            key: self.child(2 * i).expect("mapping child"),
            value: self.child(2 * i + 1).expect("mapping child"),
        })
    }

    /// How many items a sequence has (0 for other kinds).
    pub fn item_count(self) -> usize {
        match &self.green.kind {
            GreenKind::Sequence { .. } => self.green.children.len(),
            GreenKind::ChunkedSequence { firsts, .. } => firsts.last().copied().unwrap_or(0) as usize,
            _ => 0,
        }
    }

    /// The index of the first item for which `past` holds, `past` being false for a prefix
    /// of the items and true for the rest (the item count when it never holds): a binary
    /// search, for lists whose items are in an order `past` follows (positions, mostly).
    pub fn item_partition_point(self, past: impl Fn(Node<'a>) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.item_count());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.item(mid) {
                Some(item) if !past(item) => lo = mid + 1,
                _ => hi = mid,
            }
        }
        lo
    }

    /// Item `index` of a sequence.
    pub fn item(self, index: usize) -> Option<Node<'a>> {
        match &self.green.kind {
            GreenKind::Sequence { .. } => self.child(index),
            GreenKind::ChunkedSequence { firsts, .. } => {
                let index = u32::try_from(index).ok()?;
                let k = firsts.partition_point(|&first| first <= index).checked_sub(1)?;
                let chunk = self.green.children.get(k)?;
                let child = chunk.node.children.get((index - firsts[k]) as usize)?;
                Some(Node { green: &child.node, start: self.start + chunk.offset + child.offset })
            }
            _ => None,
        }
    }

    /// The items of a sequence, in source order (empty for other kinds).
    pub fn items(self) -> impl DoubleEndedIterator<Item = Node<'a>> + ExactSizeIterator + 'a {
        let flat = match self.green.kind {
            GreenKind::Sequence { .. } | GreenKind::ChunkedSequence { .. } => {
                Flat::new(self.green, self.start)
            }
            _ => Flat::empty(self.green),
        };
        flat.map(|(start, green)| Node { green, start })
    }

    /// The chunks a sequence's items are stored in, as (identity of the chunk, the
    /// indices of its items): an edit builds anew only the chunks it touched, and an
    /// unchanged chunk keeps its identity (and its items theirs), so a cache over items
    /// can skip whole chunks. A sequence not stored in chunks is one chunk, identified by
    /// the sequence itself. Empty for other kinds.
    pub fn item_chunks(self) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + 'a {
        let green: &'a GreenNode = self.green;
        let (own, chunks) = match &green.kind {
            GreenKind::ChunkedSequence { firsts, .. } => (None, Some((firsts, &green.children))),
            GreenKind::Sequence { .. } if !green.children.is_empty() => {
                (Some((self.identity(), 0..green.children.len())), None)
            }
            _ => (None, None),
        };
        let chunked = chunks.into_iter().flat_map(|(firsts, children)| {
            children
                .iter()
                .zip(firsts.windows(2))
                .map(|(chunk, w)| (Arc::as_ptr(&chunk.node) as usize, w[0] as usize..w[1] as usize))
        });
        own.into_iter().chain(chunked)
    }

    /// The first entry whose key is the plain or quoted scalar `key`.
    pub fn get(self, key: &str) -> Option<Entry<'a>> {
        // Hot: compare keys on the green nodes and position only the entry that matches.
        if !matches!(self.green.kind, GreenKind::Mapping { .. }) {
            return None;
        }
        let pair =
            self.green.children.chunks_exact(2).find(
                |pair| matches!(&pair[0].node.kind, GreenKind::Scalar { value, .. } if &**value == key),
            )?;
        Some(Entry {
            key: Node { green: &pair[0].node, start: self.start + pair[0].offset },
            value: Node { green: &pair[1].node, start: self.start + pair[1].offset },
        })
    }

    /// Every direct child (keys and values of mappings, items of sequences).
    pub fn children(self) -> impl Iterator<Item = Node<'a>> + 'a {
        Flat::new(self.green, self.start).map(|(start, green)| Node { green, start })
    }

    /// The innermost node whose range contains `offset` (cursor semantics: the end counts).
    pub fn node_at(self, offset: u32) -> Option<Node<'a>> {
        if !self.range().contains_inclusive(offset) {
            return None;
        }
        let mut node = self;
        'descend: loop {
            if let GreenKind::ChunkedSequence { .. } = node.green.kind {
                // The first item that holds `offset`: in the first chunk that reaches it,
                // or (in a gap after that chunk's last item) in none.
                let chunks = &node.green.children;
                let first = chunks.partition_point(|c| node.start + c.offset + c.node.len < offset);
                for chunk in &chunks[first..] {
                    let base = node.start + chunk.offset;
                    if base > offset {
                        break;
                    }
                    for child in chunk.node.children.iter() {
                        let child = Node { green: &child.node, start: base + child.offset };
                        if child.range().contains_inclusive(offset) {
                            node = child;
                            continue 'descend;
                        }
                    }
                }
                return Some(node);
            }
            for child in node.children() {
                if child.range().contains_inclusive(offset) {
                    node = child;
                    continue 'descend;
                }
            }
            return Some(node);
        }
    }

    /// The address of the green node: equal for two nodes exactly when they share their
    /// subtree (as `subtree` would tell), without cloning the `Arc`. Only meaningful while
    /// the tree is alive; hold `subtree()` to keep the address from being reused.
    pub fn identity(self) -> usize {
        Arc::as_ptr(self.green) as usize
    }

    /// Same green node at the same position: identity, not structural equality.
    pub fn same(self, other: Node<'_>) -> bool {
        Arc::ptr_eq(self.green, other.green) && self.start == other.start
    }

    /// The shared subtree itself, whatever its position: an unchanged part of the document
    /// keeps its subtree across edits, so caches can key on it (holding it keeps the key
    /// from being reused).
    pub fn subtree(self) -> Arc<GreenNode> {
        Arc::clone(self.green)
    }
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}@{:?}", self.kind(), self.range())?;
        if let Some(s) = self.scalar() {
            write!(f, " {s:?}")?;
        }
        Ok(())
    }
}

/// An indented dump of a subtree, used by tests to compare trees (including every range).
pub fn dump(node: Node<'_>) -> String {
    fn go(node: Node<'_>, depth: usize, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "{:width$}{:?}", "", node, width = depth * 2);
        if let Some((a, r)) = node.anchor() {
            let _ = write!(out, " &{a}@{r:?}");
        }
        if let Some((t, r)) = node.tag() {
            let _ = write!(out, " {t}@{r:?}");
        }
        if let Some(name) = node.alias() {
            let _ = write!(out, " *{name}");
        }
        if let Some(style) = node.scalar_style()
            && style != ScalarStyle::Plain
        {
            let _ = write!(out, " {style:?}");
        }
        out.push('\n');
        for child in node.children() {
            go(child, depth + 1, out);
        }
    }
    let mut out = String::new();
    go(node, 0, &mut out);
    out
}
