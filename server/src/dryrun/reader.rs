//! Reading the dry run's own YAML files (mocks, tests) with the project's YAML parser, so
//! that every complaint points at a line and column, and nothing a user writes can make
//! the reader panic.

use std::fmt;

use fdl_schema::Dialect;
use serde_json::Value;

use super::literal;
use crate::analysis::model::Flow;
use crate::syntax::{Entry, Node, NodeKind, PositionEncoding, SourceText, SyntaxTree, TextRange};

/// A problem in a mocks or test file, at a 1-based line and column (characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub line: u32,
    pub column: u32,
    pub range: TextRange,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

pub(crate) struct Reader<'a> {
    pub text: &'a SourceText,
    pub flow: Flow<'a>,
    pub errors: Vec<FileError>,
}

/// Parses `text`; `None` (with the errors) when it holds no YAML mapping at all.
pub(crate) fn open<'a>(text: &'a SourceText, tree: &'a SyntaxTree) -> (Option<Reader<'a>>, Vec<FileError>) {
    let errors: Vec<FileError> =
        tree.errors().iter().map(|e| error_at(text, e.range, format!("YAML: {}", e.message))).collect();
    // An empty file (or one with only comments) mocks nothing.
    let Some(root) = tree.root() else { return (None, errors) };
    let flow = Flow::from_root(Dialect::CloudFlow, root, tree.may_have_anchors());
    (Some(Reader { text, flow, errors }), Vec::new())
}

pub(crate) fn error_at(text: &SourceText, range: TextRange, message: String) -> FileError {
    let p = text.position(range.start, PositionEncoding::Chars);
    FileError { line: p.line + 1, column: p.character + 1, range, message }
}

impl<'a> Reader<'a> {
    pub fn root(&self) -> Node<'a> {
        self.flow.root()
    }

    pub fn error(&mut self, node: Node<'_>, message: impl Into<String>) {
        let range = node.value_range();
        let e = error_at(self.text, range, message.into());
        if !self.errors.contains(&e) {
            self.errors.push(e);
        }
    }

    pub fn resolve(&self, node: Node<'a>) -> Node<'a> {
        self.flow.resolve(node)
    }

    pub fn json(&self, node: Node<'a>) -> Value {
        literal::to_json(&self.flow, node)
    }

    /// The entries of a mapping, each key checked against `allowed` (`None`: any key).
    /// Reports `what` is not a mapping, and unknown keys with a suggestion.
    pub fn entries(
        &mut self,
        node: Node<'a>,
        what: &str,
        allowed: Option<&[&str]>,
    ) -> Vec<(&'a str, Entry<'a>)> {
        let node = self.resolve(node);
        if node.kind() != NodeKind::Mapping {
            if !node.is_null() {
                self.error(node, format!("{what} must be a mapping of keys"));
            }
            return Vec::new();
        }
        let mut out: Vec<(&'a str, Entry<'a>)> = Vec::new();
        for e in self.flow.entries(node) {
            let Some(key) = self.resolve(e.key).scalar() else {
                self.error(e.key, format!("keys of {what} must be plain text"));
                continue;
            };
            if let Some(allowed) = allowed
                && !allowed.contains(&key)
            {
                let hint = crate::expr::check::suggest(key, allowed.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                let list = allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                self.error(e.key, format!("unknown key `{key}` in {what}{hint}; expected {list}"));
                continue;
            }
            if out.iter().any(|(k, _)| *k == key) {
                self.error(e.key, format!("`{key}` is given twice in {what}"));
                continue;
            }
            out.push((key, e));
        }
        out
    }

    pub fn string(&mut self, node: Node<'a>, what: &str) -> Option<&'a str> {
        let node = self.resolve(node);
        match node.scalar() {
            Some(s) if node.kind() == NodeKind::Scalar && !node.is_null() => Some(s),
            _ => {
                self.error(node, format!("{what} must be text"));
                None
            }
        }
    }

    pub fn number(&mut self, node: Node<'a>, what: &str) -> Option<f64> {
        match self.json(node) {
            Value::Number(n) if n.as_f64().is_some_and(|f| f.is_finite() && f >= 0.0) => n.as_f64(),
            _ => {
                self.error(node, format!("{what} must be a number of seconds, 0 or more"));
                None
            }
        }
    }

    pub fn strings(&mut self, node: Node<'a>, what: &str) -> Vec<(&'a str, Node<'a>)> {
        let node = self.resolve(node);
        match node.kind() {
            NodeKind::Sequence => {
                let items: Vec<Node<'a>> = node.items().collect();
                items.into_iter().filter_map(|n| self.string(n, what).map(|s| (s, n))).collect()
            }
            NodeKind::Scalar if !node.is_null() => {
                self.string(node, what).map(|s| (s, node)).into_iter().collect()
            }
            _ => {
                self.error(node, format!("{what} must be a list of state names"));
                Vec::new()
            }
        }
    }
}
