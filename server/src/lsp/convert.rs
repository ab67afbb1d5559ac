//! Between ide's byte offsets and plain data, and LSP's positions and types.

use tower_lsp_server::ls_types as lsp;

use crate::analysis::{self, Severity};
use crate::ide::{self, Config, Document};
use crate::syntax::{Position, PositionEncoding, SourceText, TextRange};

pub(crate) fn position(text: &SourceText, offset: u32, encoding: PositionEncoding) -> lsp::Position {
    let p = text.position(offset, encoding);
    lsp::Position { line: p.line, character: p.character }
}

pub(crate) fn range(text: &SourceText, range: TextRange, encoding: PositionEncoding) -> lsp::Range {
    lsp::Range { start: position(text, range.start, encoding), end: position(text, range.end, encoding) }
}

/// An offset for an LSP position; positions past a line's end or the text's end clamp.
pub(crate) fn offset(text: &SourceText, position: lsp::Position, encoding: PositionEncoding) -> u32 {
    text.offset(Position { line: position.line, character: position.character }, encoding)
}

pub(crate) fn text_range(text: &SourceText, range: lsp::Range, encoding: PositionEncoding) -> TextRange {
    let start = offset(text, range.start, encoding);
    let end = offset(text, range.end, encoding);
    TextRange::new(start.min(end), start.max(end))
}

pub(crate) fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

pub(crate) fn diagnostic(
    text: &SourceText,
    d: &analysis::Diagnostic,
    encoding: PositionEncoding,
) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: range(text, d.range, encoding),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        source: Some("fdl".to_string()),
        message: d.message.clone(),
        ..Default::default()
    }
}

pub(crate) fn diagnostics(
    doc: &Document,
    config: &Config,
    encoding: PositionEncoding,
) -> Vec<lsp::Diagnostic> {
    doc.diagnostics(config).iter().map(|d| diagnostic(&doc.text, d, encoding)).collect()
}

pub(crate) fn edits(
    text: &SourceText,
    edits: &[(TextRange, String)],
    encoding: PositionEncoding,
) -> Vec<lsp::TextEdit> {
    edits
        .iter()
        .map(|(r, new)| lsp::TextEdit { range: range(text, *r, encoding), new_text: new.clone() })
        .collect()
}

pub(crate) fn markdown(value: String, markdown: bool) -> lsp::MarkupContent {
    if markdown {
        lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value }
    } else {
        lsp::MarkupContent {
            kind: lsp::MarkupKind::PlainText,
            value: value.replace("**", "").replace('`', ""),
        }
    }
}

pub(crate) fn completion_item(
    text: &SourceText,
    item: ide::CompletionItem,
    encoding: PositionEncoding,
    snippets: bool,
    markdown_docs: bool,
) -> Option<lsp::CompletionItem> {
    if item.snippet && !snippets {
        // Without snippet support, plain items still work once the tab stops are stripped;
        // multi-line snippets do not.
        if item.insert.contains('\n') {
            return None;
        }
    }
    let insert = if item.snippet && !snippets { strip_snippet(&item.insert) } else { item.insert.clone() };
    let kind = match item.kind {
        ide::CompletionKind::Key => lsp::CompletionItemKind::PROPERTY,
        ide::CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
        ide::CompletionKind::State => lsp::CompletionItemKind::REFERENCE,
        ide::CompletionKind::Snippet => lsp::CompletionItemKind::SNIPPET,
        ide::CompletionKind::Error => lsp::CompletionItemKind::CONSTANT,
        ide::CompletionKind::Service => lsp::CompletionItemKind::MODULE,
        ide::CompletionKind::Api => lsp::CompletionItemKind::METHOD,
        ide::CompletionKind::Variable => lsp::CompletionItemKind::VARIABLE,
        ide::CompletionKind::Field => lsp::CompletionItemKind::FIELD,
        ide::CompletionKind::Function => lsp::CompletionItemKind::FUNCTION,
        ide::CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
    };
    Some(lsp::CompletionItem {
        label: item.label.clone(),
        kind: Some(kind),
        detail: item.detail.clone(),
        documentation: item
            .documentation
            .map(|d| lsp::Documentation::MarkupContent(markdown(d, markdown_docs))),
        deprecated: item.deprecated.then_some(true),
        sort_text: Some(format!("{}{}", item.sort, item.label)),
        filter_text: Some(item.label.clone()),
        insert_text_format: Some(if item.snippet && snippets {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: range(text, item.replace, encoding),
            new_text: insert,
        })),
        ..Default::default()
    })
}

/// `${1|a,b|}` → `a`, `${1:x}` → `x`, `$1` → nothing.
fn strip_snippet(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(body) = rest.strip_prefix('{') {
            let end = body.find('}').unwrap_or(body.len());
            let inner = &body[..end];
            let inner = inner.trim_start_matches(|c: char| c.is_ascii_digit());
            let value = inner.strip_prefix(':').unwrap_or_else(|| {
                inner.strip_prefix('|').and_then(|c| c.split([',', '|']).next()).unwrap_or("")
            });
            out.push_str(value);
            rest = &body[(end + 1).min(body.len())..];
        } else {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    out.push_str(rest);
    out
}

pub(crate) fn symbol_kind(symbol: &ide::Symbol) -> lsp::SymbolKind {
    match (symbol.kind, symbol.state_type.as_deref().map(str::to_ascii_lowercase).as_deref()) {
        (ide::SymbolKind::Scope, _) => lsp::SymbolKind::NAMESPACE,
        (_, Some("task")) => lsp::SymbolKind::FUNCTION,
        (_, Some("choice")) => lsp::SymbolKind::ENUM,
        (_, Some("parallel" | "map" | "foreach")) => lsp::SymbolKind::MODULE,
        (_, Some("wait")) => lsp::SymbolKind::EVENT,
        (_, Some("succeed" | "fail")) => lsp::SymbolKind::CONSTANT,
        _ => lsp::SymbolKind::OBJECT,
    }
}

#[cfg(test)] // the reference the JSON written by `lsp::outline` and `lsp::tokens` is tested against
#[allow(deprecated)] // `deprecated` is a required field of DocumentSymbol
pub(crate) fn document_symbol(
    text: &SourceText,
    s: ide::Symbol,
    encoding: PositionEncoding,
) -> lsp::DocumentSymbol {
    document_symbol_at(text, s, encoding, 1)
}

/// How deep symbols nest in an answer: each is a JSON object two levels inside its parent,
/// and clients that read JSON with serde_json (Helix, Zed) refuse more than 128 levels.
/// The descendants of a symbol at this depth are listed as its children, flat.
pub(crate) const MAX_SYMBOL_DEPTH: usize = 40;

#[cfg(test)] // the reference the JSON written by `lsp::outline` and `lsp::tokens` is tested against
#[allow(deprecated)] // `deprecated` must be given; `tags` is what we would set.
fn document_symbol_at(
    text: &SourceText,
    s: ide::Symbol,
    encoding: PositionEncoding,
    depth: usize,
) -> lsp::DocumentSymbol {
    let kind = symbol_kind(&s);
    let children = if depth < MAX_SYMBOL_DEPTH {
        s.children.into_iter().map(|c| document_symbol_at(text, c, encoding, depth + 1)).collect()
    } else {
        let mut flat = Vec::new();
        let mut stack: Vec<ide::Symbol> = s.children.into_iter().rev().collect();
        while let Some(mut c) = stack.pop() {
            stack.extend(std::mem::take(&mut c.children).into_iter().rev());
            flat.push(document_symbol_at(text, c, encoding, depth + 1));
        }
        flat
    };
    lsp::DocumentSymbol {
        name: s.name,
        detail: s.detail,
        kind,
        tags: None,
        deprecated: None,
        range: range(text, s.range, encoding),
        selection_range: range(text, s.selection_range, encoding),
        children: Some(children),
    }
}

/// `fdl/graph`'s answer: ids, names and kinds as plain JSON, ranges as LSP ranges.
pub(crate) fn graph(text: &SourceText, g: &ide::Graph, encoding: PositionEncoding) -> serde_json::Value {
    text.index_lines();
    use crate::analysis::model::{ScopeKind, TransitionKind};
    use serde_json::json;
    let scopes: Vec<_> = g
        .scopes
        .iter()
        .map(|s| {
            let kind = match s.kind {
                ScopeKind::Flow => "flow",
                ScopeKind::ParallelBranch => "parallelBranch",
                ScopeKind::MapProcessor => "mapProcessor",
                ScopeKind::NestedSteps => "steps",
            };
            json!({"id": s.id, "kind": kind, "label": s.label, "parent": s.parent, "start": s.start})
        })
        .collect();
    let nodes: Vec<_> = g
        .nodes
        .iter()
        .map(|n| {
            json!({
                "id": n.id, "name": n.name, "type": n.state_type, "scope": n.scope,
                "range": range(text, n.range, encoding),
                "selectionRange": range(text, n.name_range, encoding),
                "terminal": n.terminal,
            })
        })
        .collect();
    let edges: Vec<_> = g
        .edges
        .iter()
        .map(|e| {
            let kind = match e.kind {
                TransitionKind::Next => "next",
                TransitionKind::Branch => "branch",
                TransitionKind::Default => "default",
                TransitionKind::Catch => "catch",
            };
            json!({"from": e.from, "to": e.to, "target": e.target, "kind": kind, "label": e.label})
        })
        .collect();
    let dialect = match g.dialect {
        fdl_schema::Dialect::CloudFlow => "cloudflow",
        fdl_schema::Dialect::Legacy => "legacy",
    };
    json!({"dialect": dialect, "scopes": scopes, "nodes": nodes, "edges": edges})
}

/// The token types, in the order their indices are sent.
const TOKEN_TYPES: [(crate::ide::expressions::ExprTokenKind, lsp::SemanticTokenType); 7] = {
    use crate::ide::expressions::ExprTokenKind as K;
    [
        (K::Variable, lsp::SemanticTokenType::VARIABLE),
        (K::Property, lsp::SemanticTokenType::PROPERTY),
        (K::Function, lsp::SemanticTokenType::FUNCTION),
        (K::String, lsp::SemanticTokenType::STRING),
        (K::Number, lsp::SemanticTokenType::NUMBER),
        (K::Keyword, lsp::SemanticTokenType::KEYWORD),
        (K::Operator, lsp::SemanticTokenType::OPERATOR),
    ]
};

pub(crate) fn token_legend() -> Vec<lsp::SemanticTokenType> {
    TOKEN_TYPES.iter().map(|(_, t)| t.clone()).collect()
}

/// The index of a token's type in the legend.
pub(crate) fn token_type(kind: crate::ide::expressions::ExprTokenKind) -> u32 {
    TOKEN_TYPES.iter().position(|(k, _)| *k == kind).unwrap_or(0) as u32
}

#[cfg(test)] // the reference the JSON written by `lsp::outline` and `lsp::tokens` is tested against
/// LSP's relative encoding: each token as (line delta, start delta, length, type, modifiers).
pub(crate) fn semantic_tokens(
    text: &SourceText,
    tokens: &[(TextRange, crate::ide::expressions::ExprTokenKind)],
    encoding: PositionEncoding,
) -> Vec<lsp::SemanticToken> {
    text.index_lines();
    let mut out = Vec::with_capacity(tokens.len());
    let (mut line, mut character) = (0u32, 0u32);
    for (range, kind) in tokens {
        let start = position(text, range.start, encoding);
        let end = position(text, range.end, encoding);
        if start.line != end.line || end.character <= start.character {
            continue;
        }
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 { start.character - character } else { start.character };
        let token_type = token_type(*kind);
        out.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type,
            token_modifiers_bitset: 0,
        });
        line = start.line;
        character = start.character;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strip_snippet;

    #[test]
    fn snippets_degrade_to_plain_text() {
        assert_eq!(
            strip_snippet("TaskMode: ${1|RequestComplete,WaitForSystemCallback|}"),
            "TaskMode: RequestComplete"
        );
        assert_eq!(strip_snippet("Name: ${1:Task}$0"), "Name: Task");
        assert_eq!(strip_snippet("Seconds: $1"), "Seconds: ");
    }
}
