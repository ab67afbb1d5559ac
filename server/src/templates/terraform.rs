//! Flows in Terraform configurations: the `definition` of `resource "alicloud_fnf_flow"`
//! blocks, written as a heredoc (`<<EOF`, or `<<-EOF` which strips the common
//! indentation), as a quoted string, or as `file(...)` / `templatefile(...)` naming a
//! flow file.
//!
//! A small scanner rather than a full HCL parser: it only needs blocks, attributes and the
//! extent of strings, comments and heredocs, and it must keep working while the file is
//! half-typed (an unclosed `${` inside a heredoc makes the whole file invalid HCL, but the
//! flow in it is still worth checking).

use super::embedded::{EmbeddedFlow, FlowFile, Host, HostFormat, dedented};
use crate::syntax::TextRange;
use crate::syntax::scalar_map::ScalarMap;

const FLOW_RESOURCE: &str = "alicloud_fnf_flow";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Ident(TextRange),
    /// A quoted string (quotes included).
    Str(TextRange),
    /// `<<ID` or `<<-ID`: the body lines and whether their common indentation is stripped.
    Heredoc {
        body: TextRange,
        indented: bool,
    },
    Punct(u8),
}

/// The flows of a Terraform file, if it declares any `alicloud_fnf_flow`.
pub fn terraform_host(text: &str) -> Option<Host> {
    let tokens = lex(text);
    let mut host = Host { format: HostFormat::Terraform, flows: Vec::new(), files: Vec::new() };
    let mut found = false;
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Punct(b'{') => depth += 1,
            Token::Punct(b'}') => depth = depth.saturating_sub(1),
            Token::Ident(r) if depth == 0 && slice(text, *r) == "resource" => {
                if let (Some(Token::Str(ty)), Some(Token::Str(name)), Some(Token::Punct(b'{'))) =
                    (tokens.get(i + 1), tokens.get(i + 2), tokens.get(i + 3))
                    && unquote(text, *ty) == FLOW_RESOURCE
                {
                    found = true;
                    let end = block_end(&tokens, i + 3);
                    let resource = unquote(text, *name);
                    definition(text, &tokens[i + 4..end], &resource, &mut host);
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found.then_some(host)
}

/// The index of the `}` that closes the `{` at `open` (or the end).
fn block_end(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t {
            Token::Punct(b'{') => depth += 1,
            Token::Punct(b'}') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// Reads `definition = …` among the top-level attributes of a block's body.
fn definition(text: &str, body: &[Token], resource: &str, host: &mut Host) {
    let mut depth = 0usize;
    for (i, t) in body.iter().enumerate() {
        match t {
            Token::Punct(b'{' | b'[' | b'(') => depth += 1,
            Token::Punct(b'}' | b']' | b')') => depth = depth.saturating_sub(1),
            Token::Ident(r) if depth == 0 && slice(text, *r) == "definition" => {
                if body.get(i + 1) != Some(&Token::Punct(b'=')) {
                    continue;
                }
                match body.get(i + 2) {
                    Some(Token::Heredoc { body, indented }) => {
                        host.flows.push(heredoc(text, *body, *indented, resource));
                    }
                    Some(Token::Str(r)) => host.flows.push(quoted(text, *r, resource)),
                    Some(Token::Ident(f)) if matches!(slice(text, *f), "file" | "templatefile") => {
                        if let (Some(Token::Punct(b'(')), Some(Token::Str(arg))) =
                            (body.get(i + 3), body.get(i + 4))
                            && let Some(path) = module_path(&unquote(text, *arg))
                        {
                            host.files.push(FlowFile {
                                format: HostFormat::Terraform,
                                resource: resource.to_string(),
                                path,
                                range: *arg,
                            });
                        }
                    }
                    _ => {}
                }
                return;
            }
            _ => {}
        }
    }
}

/// A path argument relative to the module's folder; `None` when it depends on anything
/// but `path.module` / `path.root` / `path.cwd`.
fn module_path(path: &str) -> Option<String> {
    let mut p = path.to_string();
    for var in ["${path.module}", "${path.root}", "${path.cwd}"] {
        p = p.replace(var, ".");
    }
    (!p.contains("${") && !p.trim().is_empty()).then_some(p)
}

fn heredoc(text: &str, body: TextRange, indented: bool, resource: &str) -> EmbeddedFlow {
    let raw = slice(text, body);
    // `<<-` strips the smallest indentation of the non-blank lines.
    let strip = if indented {
        raw.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
            .min()
            .unwrap_or(0)
    } else {
        0
    };
    let (value, map) = dedented(raw, body.start, strip, true);
    EmbeddedFlow {
        format: HostFormat::Terraform,
        resource: resource.to_string(),
        text: value,
        map,
        range: body,
        line_prefix: Some(" ".repeat(strip)),
        replaced: Vec::new(),
        execution_mode: None,
    }
}

/// A quoted string's value, with HCL's escapes decoded and every character traced.
fn quoted(text: &str, range: TextRange, resource: &str) -> EmbeddedFlow {
    // A string not closed on its line ends there, with no quote to leave out (its last
    // character may be a CJK one: cutting a byte off would split it).
    let closed = range.len() >= 2 && text.as_bytes().get(range.end as usize - 1) == Some(&b'"');
    let inner =
        TextRange::new(range.start + 1, if closed { range.end - 1 } else { range.end.max(range.start + 1) });
    let raw = slice(text, inner);
    let mut pieces = Vec::new();
    let mut value = String::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = inner.start + i as u32;
        let (decoded, len) = if c == '\\' {
            match chars.next() {
                Some((_, e)) => {
                    let simple = match e {
                        'n' => Some('\n'),
                        't' => Some('\t'),
                        'r' => Some('\r'),
                        '"' => Some('"'),
                        '\\' => Some('\\'),
                        _ => None,
                    };
                    match (simple, e) {
                        (Some(d), _) => (d, 2),
                        (None, 'u' | 'U') => {
                            let n = if e == 'u' { 4 } else { 8 };
                            let digits = raw.get(i + 2..i + 2 + n).unwrap_or("");
                            match u32::from_str_radix(digits, 16).ok().and_then(char::from_u32) {
                                Some(d) if digits.len() == n => {
                                    for _ in 0..n {
                                        chars.next();
                                    }
                                    (d, 2 + n as u32)
                                }
                                _ => (e, 2),
                            }
                        }
                        (None, _) => (e, 1 + e.len_utf8() as u32),
                    }
                }
                None => ('\\', 1),
            }
        } else {
            (c, c.len_utf8() as u32)
        };
        pieces.push((decoded, TextRange::new(at, at + len)));
        value.push(decoded);
    }
    EmbeddedFlow {
        format: HostFormat::Terraform,
        resource: resource.to_string(),
        text: value,
        map: ScalarMap::from_pieces(pieces, inner.end),
        range: inner,
        line_prefix: None,
        replaced: Vec::new(),
        execution_mode: None,
    }
}

fn slice(text: &str, r: TextRange) -> &str {
    text.get(r.as_usize()).unwrap_or("")
}

fn unquote(text: &str, r: TextRange) -> String {
    let s = slice(text, r);
    s.strip_prefix('"').map(|s| s.strip_suffix('"').unwrap_or(s)).unwrap_or(s).to_string()
}

/// Tokens of the parts of HCL the scanner needs; everything else is skipped.
fn lex(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            }
            b'"' => {
                let end = string_end(b, i + 1);
                out.push(Token::Str(TextRange::new(i as u32, end as u32)));
                i = end;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => match heredoc_token(text, i) {
                Some((token, end)) => {
                    out.push(token);
                    i = end;
                }
                None => i += 2,
            },
            b'{' | b'}' | b'[' | b']' | b'(' | b')' | b'=' | b',' => {
                // `==`, `=>` are operators, not assignments.
                if c == b'=' && matches!(b.get(i + 1), Some(b'=' | b'>')) {
                    i += 2;
                    continue;
                }
                out.push(Token::Punct(c));
                i += 1;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'-')) {
                    i += 1;
                }
                out.push(Token::Ident(TextRange::new(start as u32, i as u32)));
            }
            _ => i += 1,
        }
    }
    out
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| from + n)
}

/// The end (after the closing quote) of a quoted string whose content starts at `from`.
/// Template sequences (`${ … }`) may hold quotes of their own; a string never spans lines.
fn string_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'\n' => return i,
            b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b'"' if depth > 0 => {
                // A string inside a template sequence.
                i = string_end(b, i + 1);
                continue;
            }
            b'"' => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// `<<ID` / `<<-ID` at `at`: the token and where scanning resumes (after the closing
/// delimiter's line, or at the end of the text when it never closes).
fn heredoc_token(text: &str, at: usize) -> Option<(Token, usize)> {
    let rest = &text[at + 2..];
    let indented = rest.starts_with('-');
    let id_start = at + 2 + usize::from(indented);
    let id_len = text[id_start..].bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
    if id_len == 0 {
        return None;
    }
    let id = &text[id_start..id_start + id_len];
    let after_id = id_start + id_len;
    let newline = text[after_id..].find('\n')? + after_id;
    if !text[after_id..newline].trim().is_empty() {
        return None;
    }
    let body_start = newline + 1;
    let mut line_start = body_start;
    while line_start < text.len() {
        let end = text[line_start..].find('\n').map_or(text.len(), |n| line_start + n);
        if text[line_start..end].trim() == id {
            let body = TextRange::new(body_start as u32, line_start as u32);
            return Some((Token::Heredoc { body, indented }, end));
        }
        line_start = end + 1;
    }
    let body = TextRange::new(body_start as u32, text.len() as u32);
    Some((Token::Heredoc { body, indented }, text.len()))
}
