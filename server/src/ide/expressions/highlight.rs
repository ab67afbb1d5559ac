//! The parts of an expression to colour (semantic tokens).

use crate::expr::lexer::{self, TokenKind};
use crate::syntax::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExprTokenKind {
    Variable,
    Property,
    Function,
    String,
    Number,
    Keyword,
    Operator,
}

/// The parts of an expression to colour, in order. Brackets and commas are left out.
pub fn semantic_tokens(text: &str) -> Vec<(TextRange, ExprTokenKind)> {
    let (tokens, _) = lexer::lex(text);
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).map(|t| t.kind);
        let previous = i.checked_sub(1).map(|j| tokens[j].kind);
        let kind = match t.kind {
            TokenKind::Variable => ExprTokenKind::Variable,
            TokenKind::Ident => match t.text(text) {
                _ if previous == Some(TokenKind::Dot) => ExprTokenKind::Property,
                _ if next == Some(TokenKind::LParen) => ExprTokenKind::Function,
                _ if next == Some(TokenKind::Colon) => ExprTokenKind::Property,
                "true" | "false" | "null" => ExprTokenKind::Keyword,
                "in" => ExprTokenKind::Operator,
                _ => ExprTokenKind::Variable,
            },
            TokenKind::Number => ExprTokenKind::Number,
            TokenKind::String(_) => ExprTokenKind::String,
            TokenKind::EqEq
            | TokenKind::NotEq
            | TokenKind::Lt
            | TokenKind::Le
            | TokenKind::Gt
            | TokenKind::Ge
            | TokenKind::AndAnd
            | TokenKind::OrOr
            | TokenKind::Bang
            | TokenKind::Plus
            | TokenKind::Minus
            | TokenKind::Star
            | TokenKind::Slash
            | TokenKind::Percent => ExprTokenKind::Operator,
            _ => continue,
        };
        out.push((t.range, kind));
    }
    out
}
