//! Hover on a part of an expression: a built-in, a variable, a field, an operator.

use super::text::{PathBefore, clamp, input_field_at, path_before};
use crate::expr::functions;
use crate::expr::lexer::{self, TokenKind};
use crate::expr::scope::{self, ExprContext, Visibility};
use crate::syntax::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprHover {
    /// The hovered part of the expression.
    pub range: TextRange,
    pub markdown: String,
}

/// What the token under `offset` is.
pub fn hover(text: &str, offset: u32, ctx: &ExprContext) -> Option<ExprHover> {
    let offset = clamp(text, offset);
    let (tokens, _) = lexer::lex(text);
    let i = tokens
        .iter()
        .position(|t| t.kind != TokenKind::Eof && t.range.start <= offset && offset < t.range.end)?;
    let t = tokens[i];
    let next = tokens.get(i + 1).map(|t| t.kind);
    let previous = i.checked_sub(1).map(|j| tokens[j].kind);
    let word = t.text(text);
    let markdown = match t.kind {
        TokenKind::Ident if next == Some(TokenKind::LParen) => functions::lookup(word)?.markdown(word),
        TokenKind::Variable => {
            let Some(v) = scope::variable(ctx.dialect, word) else {
                return Some(ExprHover { range: t.range, markdown: format!("`{word}`: unknown variable") });
            };
            let mut md = format!("```fdl\n{word}\n```\n\n{}", v.doc);
            if let Visibility::OutOfScope { why, .. } = scope::visibility(ctx, word) {
                md.push_str(&format!("\n\n**Not readable in {}**: {why}.", ctx.place.describe()));
            }
            md
        }
        TokenKind::Ident if previous == Some(TokenKind::Dot) => {
            let path = path_before(text, &tokens[..=i])?;
            field_hover(ctx, &path)?
        }
        TokenKind::Ident if word == "in" => {
            "`x in array`: whether the array has an element equal to `x`; `key in object`: whether the object has the key.".to_string()
        }
        _ => operator_doc(t.kind)?.to_string(),
    };
    Some(ExprHover { range: t.range, markdown })
}

fn field_hover(ctx: &ExprContext, path: &PathBefore) -> Option<String> {
    let (last, parents) = path.fields.split_last()?;
    let var = scope::variable(ctx.dialect, &path.root)?;
    let full = format!("{}.{}", path.root, path.fields.join("."));
    if !var.fields.is_empty() {
        let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
        let level = scope::context_fields(var.fields, &parents)?;
        let f = level.iter().find(|f| f.name == last)?;
        return Some(format!("```fdl\n{full}\n```\n\n{}", f.doc));
    }
    let level = input_field_at(&ctx.input_fields, parents)?;
    let f = level.iter().find(|f| &f.name == last)?;
    Some(format!("```fdl\n{full}\n```\n\nSet by the {}.", f.origin))
}

fn operator_doc(kind: TokenKind) -> Option<&'static str> {
    Some(match kind {
        TokenKind::EqEq => "`==`: equal (JSON values; numbers by value, `1 == 1.0`).",
        TokenKind::NotEq => "`!=`: not equal.",
        TokenKind::Lt | TokenKind::Le | TokenKind::Gt | TokenKind::Ge => {
            "Comparison of two numbers or two strings (strings by Unicode code point)."
        }
        TokenKind::AndAnd => "`&&`: both conditions hold (the right one is only evaluated when needed).",
        TokenKind::OrOr => {
            "`||`: at least one condition holds (the right one is only evaluated when needed)."
        }
        TokenKind::Bang => "`!`: not.",
        TokenKind::Plus | TokenKind::Minus | TokenKind::Star | TokenKind::Slash | TokenKind::Percent => {
            "Arithmetic: not documented for FDL expressions (the service may reject it); `intAdd(a, b)` adds integers."
        }
        _ => return None,
    })
}
