//! State shared by the rules while one document is analysed.

use std::collections::HashMap;

use fdl_schema::Dialect;
use fdl_schema::integrations::WorkflowMode;

use super::{Code, Diagnostic};
use crate::syntax::{Entry, Node, NodeKind, PositionEncoding, SourceText, TextRange};

/// Widens a range to the whole lines it touches, line break included: what deleting an
/// entry should remove.
pub(crate) fn whole_lines(text: &SourceText, range: TextRange) -> TextRange {
    let first = text.line_of(range.start);
    let last = text.line_of(range.end);
    TextRange::new(text.line_start(first), text.line_start(last + 1))
}

pub(crate) struct Ctx<'a> {
    pub(crate) dialect: Dialect,
    pub(crate) mode: WorkflowMode,
    pub(crate) text: &'a SourceText,
    pub(crate) anchors: HashMap<&'a str, Node<'a>>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Follows an alias to its anchored node (the node itself otherwise).
    pub(crate) fn resolve(&self, node: Node<'a>) -> Node<'a> {
        match node.alias() {
            Some(name) => self.anchors.get(name).copied().unwrap_or(node),
            None => node,
        }
    }

    /// The entries of a mapping, with `<<` merge keys expanded (YAML 1.1 merge, used in real
    /// flows to share defaults). Direct entries come first and win over merged ones.
    pub(crate) fn entries(&self, node: Node<'a>) -> Vec<Entry<'a>> {
        let node = self.resolve(node);
        let mut out: Vec<Entry<'a>> = Vec::new();
        let mut merged = Vec::new();
        for e in node.entries() {
            if e.key.scalar() == Some("<<") && e.key.is_plain_scalar() {
                let value = self.resolve(e.value);
                let sources: Vec<Node<'a>> = if value.kind() == NodeKind::Sequence {
                    value.items().map(|n| self.resolve(n)).collect()
                } else {
                    vec![value]
                };
                for source in sources {
                    if source.kind() == NodeKind::Mapping && !source.same(node) {
                        merged.extend(source.entries());
                    }
                }
            } else {
                out.push(e);
            }
        }
        for m in merged {
            if !out.iter().any(|e| e.key.scalar() == m.key.scalar()) {
                out.push(m);
            }
        }
        out
    }

    pub(crate) fn get(&self, node: Node<'a>, key: &str) -> Option<Entry<'a>> {
        let node = self.resolve(node);
        // Fast path: most mappings have no merge key.
        let mut has_merge = false;
        for e in node.entries() {
            match e.key.scalar() {
                Some(k) if k == key => return Some(e),
                Some("<<") => has_merge = true,
                _ => {}
            }
        }
        if !has_merge {
            return None;
        }
        self.entries(node).into_iter().find(|e| e.key.scalar() == Some(key))
    }

    /// The scalar value of `key`, if it is a scalar.
    pub(crate) fn get_str(&self, node: Node<'a>, key: &str) -> Option<(&'a str, Node<'a>)> {
        let e = self.get(node, key)?;
        let v = self.resolve(e.value);
        v.scalar().map(|s| (s, v))
    }
}

/// Walks the whole tree once: collects anchors and reports duplicate keys.
pub(crate) fn index_tree<'a>(
    text: &SourceText,
    root: Node<'a>,
    anchors: &mut HashMap<&'a str, Node<'a>>,
    out: &mut Vec<Diagnostic>,
) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if let Some((name, _)) = node.anchor() {
            anchors.insert(name, node);
        }
        if node.kind() == NodeKind::Mapping {
            // Mappings are small: a linear scan beats hashing every key.
            let mut seen: Vec<(&str, Node<'_>)> = Vec::with_capacity(node.entry_count());
            for e in node.entries() {
                let Some(k) = e.key.scalar() else { continue };
                if k == "<<" {
                    continue;
                }
                if let Some((_, first)) = seen.iter().find(|(s, _)| *s == k) {
                    let line = text.position(first.range().start, PositionEncoding::Chars).line + 1;
                    out.push(
                        Diagnostic::error(
                            Code::DuplicateKey,
                            e.key.range(),
                            format!("duplicate key `{k}`: it is already set on line {line}, and only one of the two counts"),
                        )
                        .with_fix(format!("Remove this `{k}` entry"), whole_lines(text, e.key.range().cover(e.value.range())), ""),
                    );
                } else {
                    seen.push((k, e.key));
                }
            }
        }
        stack.extend(node.children());
    }
}
