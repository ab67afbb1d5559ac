//! Tokens to tree: a Pratt parser. Precedence, lowest first: `||`, `&&`, comparisons and
//! `in`, `+ -`, `* / %`, prefix `! -`, then member access, indexing and calls. The docs give
//! no precedence table; this is the one of expr-lang, which the documented syntax matches.
//!
//! The parser stops at the first error (an expression is one short line, so one precise
//! message beats a cascade) and bounds nesting, so hostile input cannot overflow the stack.

use serde_json::Number;

use super::ast::{BinaryOp, Expr, ExprKind, ObjectEntry, UnaryOp};
use super::lexer::{self, Token, TokenKind};
use crate::syntax::TextRange;

/// Deepest nesting of brackets, parentheses and prefix operators the parser follows, and
/// the deepest tree it returns. Real expressions stay far below; the limit only protects
/// the recursive passes (checks, evaluation, printing) from hostile input.
pub const MAX_NESTING: usize = 64;

/// The deepest tree the parser returns.
pub const MAX_DEPTH: usize = 2 * MAX_NESTING;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub range: TextRange,
    pub message: String,
}

/// Parses a whole expression.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let (tokens, lex_errors) = lexer::lex(text);
    let mut p = Parser { text, tokens, pos: 0, depth: 0 };
    let result = if p.at(TokenKind::Eof) {
        Err(ParseError { range: TextRange::empty(0), message: "the expression is empty".into() })
    } else {
        p.expr(0).and_then(|e| if p.at(TokenKind::Eof) { Ok(e) } else { Err(p.trailing_error()) })
    };
    match (result, lex_errors.into_iter().next()) {
        (Err(e), Some(l)) if l.range.start <= e.range.start => {
            Err(ParseError { range: l.range, message: l.message })
        }
        (Ok(_), Some(l)) => Err(ParseError { range: l.range, message: l.message }),
        (result, _) => result,
    }
}

fn tree_depth(expr: &Expr) -> usize {
    let mut max = 0;
    let mut stack = vec![(expr, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        stack.extend(e.children().into_iter().map(|c| (c, d + 1)));
    }
    max
}

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

type PResult = Result<Expr, ParseError>;

impl<'t> Parser<'t> {
    fn peek(&self) -> Token {
        self.tokens
            .get(self.pos)
            .copied()
            .unwrap_or(Token { kind: TokenKind::Eof, range: TextRange::empty(self.text.len() as u32) })
    }

    fn peek_at(&self, ahead: usize) -> Token {
        self.tokens.get(self.pos + ahead).copied().unwrap_or(self.peek_eof())
    }

    fn peek_eof(&self) -> Token {
        Token { kind: TokenKind::Eof, range: TextRange::empty(self.text.len() as u32) }
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.peek().kind == kind
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if t.kind != TokenKind::Eof {
            self.pos += 1;
        }
        t
    }

    fn text_of(&self, t: Token) -> &'t str {
        t.text(self.text)
    }

    fn describe(&self, t: Token) -> String {
        match t.kind {
            TokenKind::Eof => "the end of the expression".into(),
            _ => format!("`{}`", self.text_of(t)),
        }
    }

    fn error(&self, range: TextRange, message: impl Into<String>) -> ParseError {
        ParseError { range, message: message.into() }
    }

    fn expect(&mut self, kind: TokenKind, what: &str, open: Option<Token>) -> Result<Token, ParseError> {
        let t = self.peek();
        if t.kind == kind {
            return Ok(self.bump());
        }
        let mut message = format!("expected {what}, found {}", self.describe(t));
        if let Some(open) = open {
            message.push_str(&format!(
                " (to close the `{}` at column {})",
                self.text_of(open),
                self.column(open)
            ));
        }
        Err(self.error(t.range, message))
    }

    fn column(&self, t: Token) -> usize {
        self.text.get(..t.range.start as usize).map_or(0, |s| s.chars().count()) + 1
    }

    fn enter(&mut self, at: Token) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error(
                at.range,
                format!("the expression is nested too deeply (over {MAX_NESTING} levels)"),
            ));
        }
        Ok(())
    }

    fn binary_op(&self) -> Option<BinaryOp> {
        let t = self.peek();
        Some(match t.kind {
            TokenKind::OrOr => BinaryOp::Or,
            TokenKind::AndAnd => BinaryOp::And,
            TokenKind::EqEq => BinaryOp::Eq,
            TokenKind::NotEq => BinaryOp::Ne,
            TokenKind::Lt => BinaryOp::Lt,
            TokenKind::Le => BinaryOp::Le,
            TokenKind::Gt => BinaryOp::Gt,
            TokenKind::Ge => BinaryOp::Ge,
            TokenKind::Plus => BinaryOp::Add,
            TokenKind::Minus => BinaryOp::Sub,
            TokenKind::Star => BinaryOp::Mul,
            TokenKind::Slash => BinaryOp::Div,
            TokenKind::Percent => BinaryOp::Rem,
            TokenKind::Ident if self.text_of(t) == "in" => BinaryOp::In,
            _ => return None,
        })
    }

    /// An expression whose binary operators all bind tighter than `min`.
    fn expr(&mut self, min: u8) -> PResult {
        let first = self.peek();
        self.enter(first)?;
        let mut lhs = self.prefix()?;
        // Chains such as `a + a + …` grow the tree without recursion here, but every later
        // pass (and dropping the tree) recurses, so the depth is bounded as it grows.
        let mut depth = tree_depth(&lhs);
        while let Some(op) = self.binary_op() {
            if op.precedence() <= min {
                break;
            }
            let op_token = self.bump();
            let rhs = self.expr(op.precedence())?;
            depth = 1 + depth.max(tree_depth(&rhs));
            if depth > MAX_DEPTH {
                return Err(self.error(
                    lhs.range.cover(rhs.range),
                    format!("the expression is nested too deeply (over {MAX_DEPTH} levels)"),
                ));
            }
            let range = lhs.range.cover(rhs.range);
            lhs = Expr::new(
                ExprKind::Binary { op, op_range: op_token.range, lhs: Box::new(lhs), rhs: Box::new(rhs) },
                range,
            );
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn prefix(&mut self) -> PResult {
        let t = self.peek();
        let op = match t.kind {
            TokenKind::Bang => UnaryOp::Not,
            TokenKind::Minus => UnaryOp::Neg,
            _ => {
                let primary = self.primary()?;
                return self.postfix(primary);
            }
        };
        self.bump();
        // Binds tighter than every binary operator: `!a == b` is `(!a) == b`.
        let operand = self.expr(5)?;
        let range = t.range.cover(operand.range);
        Ok(Expr::new(ExprKind::Unary { op, op_range: t.range, operand: Box::new(operand) }, range))
    }

    fn postfix(&mut self, mut base: Expr) -> PResult {
        let mut depth = tree_depth(&base);
        loop {
            if depth > MAX_DEPTH {
                return Err(self.error(
                    base.range,
                    format!("the expression is nested too deeply (over {MAX_DEPTH} levels)"),
                ));
            }
            depth += 1;
            let t = self.peek();
            match t.kind {
                TokenKind::Dot => {
                    self.bump();
                    let name = self.peek();
                    if name.kind != TokenKind::Ident {
                        return Err(self.error(
                            name.range,
                            format!("expected a field name after `.`, found {}", self.describe(name)),
                        ));
                    }
                    self.bump();
                    let range = base.range.cover(name.range);
                    base = Expr::new(
                        ExprKind::Member {
                            base: Box::new(base),
                            name: self.text_of(name).to_string(),
                            name_range: name.range,
                        },
                        range,
                    );
                }
                TokenKind::LBracket => {
                    self.bump();
                    if self.at(TokenKind::Star) && self.peek_at(1).kind == TokenKind::RBracket {
                        self.bump();
                        let close = self.bump();
                        let range = base.range.cover(close.range);
                        base = Expr::new(ExprKind::Wildcard { base: Box::new(base) }, range);
                        continue;
                    }
                    if self.at(TokenKind::RBracket) {
                        return Err(self.error(self.peek().range, "expected an index between `[` and `]`"));
                    }
                    let index = self.expr(0)?;
                    depth = depth.max(1 + tree_depth(&index));
                    let close = self.expect(TokenKind::RBracket, "`]`", Some(t))?;
                    let range = base.range.cover(close.range);
                    base = Expr::new(ExprKind::Index { base: Box::new(base), index: Box::new(index) }, range);
                }
                TokenKind::LParen => {
                    return Err(self.error(
                        t.range,
                        "only built-in functions can be called, by their bare name: `name(...)`",
                    ));
                }
                _ => return Ok(base),
            }
        }
    }

    fn primary(&mut self) -> PResult {
        let t = self.peek();
        match t.kind {
            TokenKind::Number => {
                self.bump();
                number(self.text_of(t))
                    .map(|n| Expr::new(ExprKind::Number(n), t.range))
                    .ok_or_else(|| self.error(t.range, "this number is too large"))
            }
            TokenKind::String(quote) => {
                self.bump();
                match lexer::unescape(self.text_of(t), quote) {
                    Ok(s) => Ok(Expr::new(ExprKind::String(s, quote), t.range)),
                    Err((at, len, message)) => {
                        let start = (t.range.start + at as u32).min(t.range.end);
                        let end = (start + len as u32).min(t.range.end);
                        Err(self.error(TextRange::new(start, end), message))
                    }
                }
            }
            TokenKind::Variable => {
                self.bump();
                Ok(Expr::new(ExprKind::Variable(self.text_of(t).to_string()), t.range))
            }
            TokenKind::Ident => {
                self.bump();
                let name = self.text_of(t);
                match name {
                    "true" => return Ok(Expr::new(ExprKind::Bool(true), t.range)),
                    "false" => return Ok(Expr::new(ExprKind::Bool(false), t.range)),
                    "null" => return Ok(Expr::new(ExprKind::Null, t.range)),
                    "in" => return Err(self.error(t.range, "expected a value before `in`")),
                    _ => {}
                }
                if self.at(TokenKind::LParen) {
                    let open = self.bump();
                    let (args, close) = self.list(TokenKind::RParen, open, "`)`", |p| p.expr(0))?;
                    return Ok(Expr::new(
                        ExprKind::Call { name: name.to_string(), name_range: t.range, args },
                        t.range.cover(close.range),
                    ));
                }
                Ok(Expr::new(ExprKind::Ident(name.to_string()), t.range))
            }
            TokenKind::LParen => {
                self.bump();
                if self.at(TokenKind::RParen) {
                    return Err(self.error(self.peek().range, "expected an expression inside `( )`"));
                }
                let inner = self.expr(0)?;
                self.expect(TokenKind::RParen, "`)`", Some(t))?;
                Ok(inner)
            }
            TokenKind::LBracket => {
                let open = self.bump();
                let (items, close) = self.list(TokenKind::RBracket, open, "`]`", |p| p.expr(0))?;
                Ok(Expr::new(ExprKind::Array(items), t.range.cover(close.range)))
            }
            TokenKind::LBrace => {
                let open = self.bump();
                let (entries, close) = self.list(TokenKind::RBrace, open, "`}`", Parser::object_entry)?;
                Ok(Expr::new(ExprKind::Object(entries), t.range.cover(close.range)))
            }
            TokenKind::Eof => Err(self.error(t.range, "a value is missing at the end of the expression")),
            TokenKind::Unknown if self.text_of(t) == "=" => {
                Err(self.error(t.range, "`=` is not an operator: compare with `==`"))
            }
            _ => Err(self.error(t.range, format!("expected a value, found {}", self.describe(t)))),
        }
    }

    fn object_entry(&mut self) -> Result<ObjectEntry, ParseError> {
        let t = self.peek();
        let (key, quote) = match t.kind {
            TokenKind::Ident => (self.text_of(t).to_string(), None),
            TokenKind::String(q) => match lexer::unescape(self.text_of(t), q) {
                Ok(s) => (s, Some(q)),
                Err((_, _, message)) => return Err(self.error(t.range, message)),
            },
            _ => {
                return Err(self.error(
                    t.range,
                    format!("expected a key (a name or a string), found {}", self.describe(t)),
                ));
            }
        };
        self.bump();
        self.expect(TokenKind::Colon, "`:` after the key", None)?;
        let value = self.expr(0)?;
        Ok(ObjectEntry { key, quote, key_range: t.range, value })
    }

    /// Comma-separated items up to `close`; the opening token is already consumed.
    fn list<T>(
        &mut self,
        close: TokenKind,
        open: Token,
        close_name: &str,
        mut item: impl FnMut(&mut Self) -> Result<T, ParseError>,
    ) -> Result<(Vec<T>, Token), ParseError> {
        self.enter(open)?;
        let mut items = Vec::new();
        if self.at(close) {
            self.depth -= 1;
            return Ok((items, self.bump()));
        }
        loop {
            items.push(item(self)?);
            let t = self.peek();
            if t.kind == close {
                self.bump();
                self.depth -= 1;
                return Ok((items, t));
            }
            if t.kind != TokenKind::Comma {
                return Err(self.error(
                    t.range,
                    format!(
                        "expected `,` or {close_name}, found {} (to close the `{}` at column {})",
                        self.describe(t),
                        self.text_of(open),
                        self.column(open)
                    ),
                ));
            }
            self.bump();
            if self.at(close) {
                return Err(
                    self.error(self.peek().range, format!("expected a value after `,`, found {close_name}"))
                );
            }
        }
    }

    fn trailing_error(&self) -> ParseError {
        let t = self.peek();
        let text = self.text_of(t);
        let message = match (t.kind, text) {
            (TokenKind::Unknown, "=") => "`=` is not an operator: compare with `==`".to_string(),
            (TokenKind::Unknown, "&") => "use `&&` for a logical and".to_string(),
            (TokenKind::Unknown, "|") => "use `||` for a logical or".to_string(),
            (TokenKind::Unknown, "#") => {
                "`#` is part of the value here: YAML starts a comment only after a space".to_string()
            }
            (TokenKind::Ident, "and") => "use `&&` for a logical and".to_string(),
            (TokenKind::Ident, "or") => "use `||` for a logical or".to_string(),
            (TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace, _) => {
                format!("`{text}` closes nothing")
            }
            _ => format!("expected an operator or the end of the expression, found {}", self.describe(t)),
        };
        self.error(t.range, message)
    }
}

/// A number literal: integers stay integers (as JSON distinguishes them), others are floats.
fn number(text: &str) -> Option<Number> {
    if text.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse::<u64>()
    {
        return Some(Number::from(n));
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}
