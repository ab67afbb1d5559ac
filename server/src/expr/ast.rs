//! The expression tree. Every node keeps the byte range of its text in the expression, so
//! diagnostics, hover and semantic tokens point at exact characters.

use serde_json::Number;

use super::lexer::Quote;
use crate::syntax::TextRange;

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    /// The node's text, parentheses around it excluded.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// Always non-negative: `-1` is a negation of `1`.
    Number(Number),
    String(String, Quote),
    Array(Vec<Expr>),
    Object(Vec<ObjectEntry>),
    /// `$Input`, `$`, `$local`, … (the name includes the `$`).
    Variable(String),
    /// A bare name that is not a function call. FDL has no bare variables, so the checker
    /// reports it; the parser keeps it to say what was probably meant.
    Ident(String),
    Member {
        base: Box<Expr>,
        name: String,
        name_range: TextRange,
    },
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
    /// `[*]`: every element (legacy JSONPath projection, `$local[*].name`).
    Wildcard {
        base: Box<Expr>,
    },
    Call {
        name: String,
        name_range: TextRange,
        args: Vec<Expr>,
    },
    Unary {
        op: UnaryOp,
        op_range: TextRange,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        op_range: TextRange,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectEntry {
    pub key: String,
    /// How the key was written: `None` for a bare identifier.
    pub quote: Option<Quote>,
    pub key_range: TextRange,
    pub value: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl UnaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            UnaryOp::Not => "!",
            UnaryOp::Neg => "-",
        }
    }
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
        }
    }

    /// Binding power: higher binds tighter. All binary operators are left-associative.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::In => 3,
            BinaryOp::Add | BinaryOp::Sub => 4,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => 5,
        }
    }

    /// Arithmetic is accepted but not documented for FDL.
    pub fn is_arithmetic(self) -> bool {
        matches!(self, BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem)
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }
}

impl Expr {
    pub fn new(kind: ExprKind, range: TextRange) -> Expr {
        Expr { kind, range }
    }

    /// Direct sub-expressions, in source order.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::String(..)
            | ExprKind::Variable(_)
            | ExprKind::Ident(_) => Vec::new(),
            ExprKind::Array(items) => items.iter().collect(),
            ExprKind::Object(entries) => entries.iter().map(|e| &e.value).collect(),
            ExprKind::Member { base, .. } | ExprKind::Wildcard { base } => vec![base],
            ExprKind::Index { base, index } => vec![base, index],
            ExprKind::Call { args, .. } => args.iter().collect(),
            ExprKind::Unary { operand, .. } => vec![operand],
            ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
        }
    }

    /// The variable at the root of a path (`$Input` in `$Input.a[0].b`) and the path's
    /// segments, when the expression is a plain path.
    pub fn as_path(&self) -> Option<(&str, TextRange, Vec<PathSegment<'_>>)> {
        let mut segments = Vec::new();
        let mut node = self;
        loop {
            match &node.kind {
                ExprKind::Variable(name) => {
                    segments.reverse();
                    return Some((name, node.range, segments));
                }
                ExprKind::Member { base, name, name_range } => {
                    segments.push(PathSegment::Field(name, *name_range));
                    node = base;
                }
                ExprKind::Index { base, index } => {
                    segments.push(PathSegment::Index(index));
                    node = base;
                }
                ExprKind::Wildcard { base } => {
                    segments.push(PathSegment::Wildcard);
                    node = base;
                }
                _ => return None,
            }
        }
    }

    /// Every node of the tree, parents before children, without recursion (trees built by
    /// the parser are bounded in depth, but this is also used on trees built by hand).
    pub fn walk(&self) -> Vec<&Expr> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            out.push(e);
            let mut children = e.children();
            children.reverse();
            stack.extend(children);
        }
        out
    }
}

#[derive(Clone, Copy, Debug)]
pub enum PathSegment<'e> {
    Field(&'e str, TextRange),
    Index(&'e Expr),
    Wildcard,
}

/// A range-free rendering of the tree, as an S-expression: two trees are the same when
/// their shapes are equal (used by the round-trip property and by fixtures).
pub fn shape(expr: &Expr) -> String {
    let mut out = String::new();
    write_shape(expr, &mut out);
    out
}

fn write_shape(expr: &Expr, out: &mut String) {
    use std::fmt::Write;
    let list = |out: &mut String, head: &str, items: &[&Expr]| {
        out.push('(');
        out.push_str(head);
        for item in items {
            out.push(' ');
            write_shape(item, out);
        }
        out.push(')');
    };
    match &expr.kind {
        ExprKind::Null => out.push_str("null"),
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ExprKind::Number(n) => {
            let _ = write!(out, "{n}");
        }
        ExprKind::String(s, q) => {
            let _ = write!(out, "{}{s:?}", q.char());
        }
        ExprKind::Variable(v) => out.push_str(v),
        ExprKind::Ident(v) => {
            let _ = write!(out, "ident:{v}");
        }
        ExprKind::Array(items) => list(out, "array", &items.iter().collect::<Vec<_>>()),
        ExprKind::Object(entries) => {
            out.push_str("(object");
            for e in entries {
                let q = e.quote.map(|q| q.char().to_string()).unwrap_or_default();
                let _ = write!(out, " {q}{:?}:", e.key);
                write_shape(&e.value, out);
            }
            out.push(')');
        }
        ExprKind::Member { base, name, .. } => list(out, &format!(".{name}"), &[base]),
        ExprKind::Index { base, index } => list(out, "[]", &[base, index]),
        ExprKind::Wildcard { base } => list(out, "[*]", &[base]),
        ExprKind::Call { name, args, .. } => {
            list(out, &format!("{name}()"), &args.iter().collect::<Vec<_>>())
        }
        ExprKind::Unary { op, operand, .. } => list(out, op.as_str(), &[operand]),
        ExprKind::Binary { op, lhs, rhs, .. } => list(out, op.as_str(), &[lhs, rhs]),
    }
}
