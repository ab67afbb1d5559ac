//! The YAML tree: immutable "green" nodes that know only their length and the offsets of
//! their children, and a borrowed [`Node`] view that adds absolute positions while walking.
//!
//! Green nodes are shared through `Arc`, so an edit reuses every untouched subtree as is:
//! moving a state further down the file changes one offset in its parent, not the state.

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

#[derive(Clone, Debug, PartialEq, Eq)]
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
            GreenKind::Sequence { .. } => NodeKind::Sequence,
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
        matches!(self.green.kind, GreenKind::Mapping { flow: true } | GreenKind::Sequence { flow: true })
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
        match self.green.kind {
            GreenKind::Sequence { .. } => self.green.children.len(),
            _ => 0,
        }
    }

    /// Item `index` of a sequence.
    pub fn item(self, index: usize) -> Option<Node<'a>> {
        if index < self.item_count() { self.child(index) } else { None }
    }

    /// The items of a sequence, in source order (empty for other kinds).
    pub fn items(self) -> impl DoubleEndedIterator<Item = Node<'a>> + ExactSizeIterator + 'a {
        let n = match self.green.kind {
            GreenKind::Sequence { .. } => self.green.children.len(),
            _ => 0,
        };
        (0..n).map(move |i| self.child(i).expect("sequence child"))
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
        (0..self.green.children.len()).map(move |i| self.child(i).expect("child"))
    }

    /// The innermost node whose range contains `offset` (cursor semantics: the end counts).
    pub fn node_at(self, offset: u32) -> Option<Node<'a>> {
        if !self.range().contains_inclusive(offset) {
            return None;
        }
        let mut node = self;
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

    /// Same green node at the same position: identity, not structural equality.
    pub fn same(self, other: Node<'_>) -> bool {
        Arc::ptr_eq(self.green, other.green) && self.start == other.start
    }

    /// The address of this node's green node: equal for the same subtree shared by two
    /// trees, without touching the node (caches compare thousands of states by it).
    pub fn identity(self) -> usize {
        Arc::as_ptr(self.green) as usize
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
