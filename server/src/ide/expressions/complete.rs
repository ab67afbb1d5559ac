//! Completion inside an expression: variables visible at the place, fields of `$Context`
//! and of the `$Input` the states before produce, built-ins and keywords.
//!
//! It works on tokens rather than on the tree, because the text being typed rarely parses
//! (`$Input.`, `format("a", `).

use fdl_schema::Dialect;

use super::text::{PathBefore, clamp, input_field_at, inside_string, path_before};
use crate::expr::functions;
use crate::expr::lexer::{self, TokenKind};
use crate::expr::scope::{self, ContextField, ExprContext, Visibility};
use crate::syntax::TextRange;

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
