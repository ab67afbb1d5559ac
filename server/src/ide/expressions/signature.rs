//! Signature help for the innermost built-in call around the cursor.

use super::text::{clamp, is_terminated};
use crate::expr::functions::{self, Function};
use crate::expr::lexer::{self, Token, TokenKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureParameter {
    /// As it appears in the signature label, e.g. `algorithm: string`.
    pub label: String,
    pub documentation: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHelp {
    pub label: String,
    pub parameters: Vec<SignatureParameter>,
    pub active_parameter: Option<u32>,
    /// Markdown.
    pub documentation: String,
}

/// The signature of the innermost built-in call whose argument list holds `offset`.
pub fn signature_help(text: &str, offset: u32) -> Option<SignatureHelp> {
    let offset = clamp(text, offset);
    let (tokens, _) = lexer::lex(text);
    let before: Vec<Token> =
        tokens.into_iter().filter(|t| t.kind != TokenKind::Eof && t.range.end <= offset).collect();
    if before.last().is_some_and(|t| t.range.end == offset && !is_terminated(text, *t)) {
        return None;
    }
    let mut depth = 0usize;
    let mut commas = 0u32;
    for i in (0..before.len()).rev() {
        match before[i].kind {
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => depth += 1,
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace if depth > 0 => depth -= 1,
            TokenKind::LParen if i > 0 && before[i - 1].kind == TokenKind::Ident => {
                let name = before[i - 1].text(text);
                return functions::lookup(name).map(|f| signature(f, name, commas));
            }
            // An unmatched bracket or parenthesis that is no call: its contents are one
            // argument of whatever encloses it.
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => commas = 0,
            TokenKind::Comma if depth == 0 => commas += 1,
            _ => {}
        }
    }
    None
}

fn signature(f: &Function, name: &str, commas: u32) -> SignatureHelp {
    let mut parameters: Vec<SignatureParameter> = f
        .params
        .iter()
        .map(|p| SignatureParameter {
            label: format!("{}: {}", p.name, p.ty),
            documentation: p.doc.to_string(),
        })
        .collect();
    if let Some(v) = &f.variadic {
        parameters.push(SignatureParameter {
            label: format!("...{}: {}", v.name, v.ty),
            documentation: v.doc.to_string(),
        });
    }
    let count = parameters.len() as u32;
    let active = match f.variadic {
        Some(_) => Some(commas.min(count.saturating_sub(1))),
        None if commas < count => Some(commas),
        None => None,
    };
    SignatureHelp {
        label: f.signature(name),
        parameters,
        active_parameter: active,
        documentation: f.markdown(name),
    }
}
