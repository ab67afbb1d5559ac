//! Token-level helpers shared by the expression features: the cursor clamped to a character
//! boundary, whether it stands in a string, and the path of names before a `.`.

use crate::expr::lexer::{self, Token, TokenKind};
use crate::expr::scope::Field;

pub(super) fn clamp(text: &str, offset: u32) -> u32 {
    let mut o = (offset as usize).min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o as u32
}

/// Whether the cursor is inside a string literal (where nothing is completed).
pub(super) fn inside_string(text: &str, tokens: &[Token], offset: u32) -> bool {
    tokens.iter().any(|t| {
        matches!(t.kind, TokenKind::String(_))
            && t.range.start < offset
            && (offset < t.range.end || (offset == t.range.end && !is_terminated(text, *t)))
    })
}

pub(super) fn is_terminated(text: &str, t: Token) -> bool {
    let TokenKind::String(quote) = t.kind else { return true };
    let raw = t.text(text);
    let q = quote.char();
    if raw.len() < 2 || !raw.ends_with(q) {
        return false;
    }
    let escapes = raw[..raw.len() - 1].bytes().rev().take_while(|b| *b == b'\\').count();
    quote == lexer::Quote::Back || escapes % 2 == 0
}

/// A path of names before a `.`: the variable and the field names (`None` when the path
/// has an index or a call, whose fields we cannot know).
pub(super) struct PathBefore {
    pub(super) root: String,
    pub(super) fields: Vec<String>,
}

pub(super) fn path_before(text: &str, tokens: &[Token]) -> Option<PathBefore> {
    let mut fields = Vec::new();
    let mut i = tokens.len();
    loop {
        let t = *tokens.get(i.checked_sub(1)?)?;
        match t.kind {
            TokenKind::Variable => {
                fields.reverse();
                return Some(PathBefore { root: t.text(text).to_string(), fields });
            }
            TokenKind::Ident => {
                fields.push(t.text(text).to_string());
                i -= 1;
                let dot = *tokens.get(i.checked_sub(1)?)?;
                if dot.kind != TokenKind::Dot {
                    return None;
                }
                i -= 1;
            }
            _ => return None,
        }
    }
}

pub(super) fn input_field_at<'f>(fields: &'f [Field], path: &[String]) -> Option<&'f [Field]> {
    let mut level = fields;
    for name in path {
        level = &level.iter().find(|f| &f.name == name)?.children;
    }
    Some(level)
}
