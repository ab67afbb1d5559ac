//! Editor features on one expression, as plain functions over the expression text and a
//! byte offset in it; the language server maps document positions with the
//! [`FoundExpression`] that [`expression_at`] returns and converts the results to LSP types.
//!
//! Completion and signature help work on tokens rather than on the tree, because the text
//! being typed rarely parses (`$Input.`, `format("a", `).

use fdl_schema::Dialect;

use super::functions::{self, Function};
use super::lexer::{self, Token, TokenKind};
use super::scope::{self, ContextField, ExprContext, Field, Visibility};
use crate::analysis::model::Flow;
use crate::syntax::{SourceText, TextRange};

pub use crate::analysis::expressions::FoundExpression;

/// The expression that contains a document offset, with its text, its mapping to the
/// document, the cursor inside it and its context (dialect, visible variables, the fields
/// of `$Input` inferred from the states before it).
pub fn expression_at(flow: &Flow<'_>, text: &SourceText, offset: u32) -> Option<FoundExpression> {
    crate::analysis::expressions::expression_at(flow, text, offset)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Variable,
    Field,
    Function,
    Keyword,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprCompletion {
    pub label: String,
    pub kind: CompletionKind,
    /// One line: a signature or where a field comes from.
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// Plain text (no snippet syntax) that replaces `range`.
    pub insert_text: String,
    /// What the completion replaces: the partial word before and after the cursor.
    pub range: TextRange,
}

/// Completions at `offset` (a byte offset in `text`).
pub fn complete(text: &str, offset: u32, ctx: &ExprContext) -> Vec<ExprCompletion> {
    let offset = clamp(text, offset);
    let (tokens, _) = lexer::lex(text);
    if inside_string(text, &tokens, offset) {
        return Vec::new();
    }
    // The word being typed: a variable or a name that touches the cursor.
    let word = tokens.iter().position(|t| {
        matches!(t.kind, TokenKind::Variable | TokenKind::Ident)
            && t.range.start < offset
            && offset <= t.range.end
    });
    let (range, prefix, before) = match word {
        Some(i) => {
            let t = tokens[i];
            (t.range, &text[t.range.start as usize..offset as usize], i)
        }
        None => (
            TextRange::empty(offset),
            "",
            tokens.iter().take_while(|t| t.kind != TokenKind::Eof && t.range.end <= offset).count(),
        ),
    };
    let previous = before.checked_sub(1).map(|i| tokens[i]);
    let matches = |label: &str| label.to_lowercase().starts_with(&prefix.to_lowercase());
    let mut out = Vec::new();
    if prefix.starts_with('$') {
        variables(ctx, range, &matches, &mut out);
        return out;
    }
    if previous.is_some_and(|t| t.kind == TokenKind::Dot) {
        if let Some(fields) = path_before(text, &tokens[..before - 1]).and_then(|p| fields_at(ctx, &p)) {
            for f in fields.into_iter().filter(|f| matches(&f.label)) {
                out.push(ExprCompletion { range, insert_text: f.label.clone(), ..f });
            }
        }
        return out;
    }
    // After a complete operand an operator is expected, not a value.
    if prefix.is_empty()
        && previous.is_some_and(|t| {
            matches!(
                t.kind,
                TokenKind::Variable
                    | TokenKind::Ident
                    | TokenKind::Number
                    | TokenKind::String(_)
                    | TokenKind::RParen
                    | TokenKind::RBracket
                    | TokenKind::RBrace
            )
        })
    {
        return out;
    }
    variables(ctx, range, &matches, &mut out);
    for f in functions::FUNCTIONS {
        for name in std::iter::once(f.name).chain(f.aliases.iter().copied()) {
            if !matches(name) {
                continue;
            }
            let insert_text = if f.min_args() == 0 && f.variadic.is_none() {
                format!("{name}()")
            } else {
                format!("{name}(")
            };
            out.push(ExprCompletion {
                label: name.to_string(),
                kind: CompletionKind::Function,
                detail: Some(f.signature(name)),
                documentation: Some(f.markdown(name)),
                insert_text,
                range,
            });
        }
    }
    for kw in ["true", "false", "null"] {
        if matches(kw) {
            out.push(ExprCompletion {
                label: kw.to_string(),
                kind: CompletionKind::Keyword,
                detail: None,
                documentation: None,
                insert_text: kw.to_string(),
                range,
            });
        }
    }
    out
}

fn clamp(text: &str, offset: u32) -> u32 {
    let mut o = (offset as usize).min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o as u32
}

/// Whether the cursor is inside a string literal (where nothing is completed).
fn inside_string(text: &str, tokens: &[Token], offset: u32) -> bool {
    tokens.iter().any(|t| {
        matches!(t.kind, TokenKind::String(_))
            && t.range.start < offset
            && (offset < t.range.end || (offset == t.range.end && !is_terminated(text, *t)))
    })
}

fn is_terminated(text: &str, t: Token) -> bool {
    let TokenKind::String(quote) = t.kind else { return true };
    let raw = t.text(text);
    let q = quote.char();
    if raw.len() < 2 || !raw.ends_with(q) {
        return false;
    }
    let escapes = raw[..raw.len() - 1].bytes().rev().take_while(|b| *b == b'\\').count();
    quote == lexer::Quote::Back || escapes % 2 == 0
}

fn variables(
    ctx: &ExprContext,
    range: TextRange,
    matches: &dyn Fn(&str) -> bool,
    out: &mut Vec<ExprCompletion>,
) {
    for v in scope::variables(ctx.dialect) {
        if scope::visibility(ctx, v.name) != Visibility::Visible || !matches(v.name) {
            continue;
        }
        out.push(ExprCompletion {
            label: v.name.to_string(),
            kind: CompletionKind::Variable,
            detail: None,
            documentation: Some(v.doc.to_string()),
            insert_text: v.name.to_string(),
            range,
        });
    }
}

/// A path of names before a `.`: the variable and the field names (`None` when the path
/// has an index or a call, whose fields we cannot know).
struct PathBefore {
    root: String,
    fields: Vec<String>,
}

fn path_before(text: &str, tokens: &[Token]) -> Option<PathBefore> {
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

fn context_completions(fields: &'static [ContextField], path: &[String]) -> Option<Vec<ExprCompletion>> {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let level = scope::context_fields(fields, &path)?;
    Some(
        level
            .iter()
            .map(|f| ExprCompletion {
                label: f.name.to_string(),
                kind: CompletionKind::Field,
                detail: None,
                documentation: Some(f.doc.to_string()),
                insert_text: f.name.to_string(),
                range: TextRange::default(),
            })
            .collect(),
    )
}

fn input_field_at<'f>(fields: &'f [Field], path: &[String]) -> Option<&'f [Field]> {
    let mut level = fields;
    for name in path {
        level = &level.iter().find(|f| &f.name == name)?.children;
    }
    Some(level)
}

fn fields_at(ctx: &ExprContext, path: &PathBefore) -> Option<Vec<ExprCompletion>> {
    let var = scope::variable(ctx.dialect, &path.root)?;
    if !var.fields.is_empty() {
        return context_completions(var.fields, &path.fields);
    }
    let is_input = match ctx.dialect {
        Dialect::CloudFlow => path.root == "$Input",
        Dialect::Legacy => path.root == "$" || path.root == "$input",
    };
    if !is_input {
        return None;
    }
    let level = input_field_at(&ctx.input_fields, &path.fields)?;
    Some(
        level
            .iter()
            .map(|f| ExprCompletion {
                label: f.name.clone(),
                kind: CompletionKind::Field,
                detail: Some(format!("from {}", f.origin)),
                documentation: None,
                insert_text: f.name.clone(),
                range: TextRange::default(),
            })
            .collect(),
    )
}

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
