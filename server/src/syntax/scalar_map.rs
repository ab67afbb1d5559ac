//! Maps offsets in a scalar's *value* (after unquoting, unescaping and folding) back to the
//! document, and the other way round. Anything written inside a YAML string, such as an
//! expression, reports problems at exact document positions with it, whatever the style:
//! plain, quoted with escapes, or a multi-line block scalar.
//!
//! The value is re-decoded from the source text, recording where every character came from.
//! When our decoding does not reproduce the parser's value (some exotic construct), the map
//! falls back to aligning equal characters, which is approximate; [`ScalarMap::is_exact`]
//! tells which.

use super::green::{Node, ScalarStyle};
use super::text::{SourceText, TextRange};

/// Where each character of a scalar's value comes from in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalarMap {
    /// (offset in the value, the source text it was decoded from), one per character, in
    /// value order.
    chars: Vec<(u32, TextRange)>,
    value_len: u32,
    /// Where an offset at the end of the value maps to.
    end: u32,
    exact: bool,
}

impl ScalarMap {
    /// The map of a scalar node; `None` for other nodes.
    pub fn new(node: Node<'_>, text: &SourceText) -> Option<ScalarMap> {
        let value = node.scalar()?;
        let style = node.scalar_style()?;
        let range = node.value_range();
        let raw = text.slice(range);
        let decoded = match style {
            ScalarStyle::Plain => flow(&raw, None),
            ScalarStyle::SingleQuoted => flow(&raw, Some('\'')),
            ScalarStyle::DoubleQuoted => flow(&raw, Some('"')),
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let line_start = text.line_start(text.line_of(range.start));
                let prefix = text.slice(TextRange::new(line_start, range.start));
                let indent = if prefix.chars().all(|c| c == ' ') { prefix.len() } else { 0 };
                block(&raw, indent, style == ScalarStyle::Folded)
            }
        };
        let mut decoded = decoded;
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            // Chomping (`|-`, `|+`) is in the header, outside the node: the value tells how
            // many final line breaks there are. They have no text of their own.
            let breaks = value.len() - value.trim_end_matches('\n').len();
            let content_breaks = decoded.iter().rev().take_while(|(c, _)| *c == '\n').count();
            for _ in content_breaks..breaks {
                decoded.push(('\n', TextRange::empty(raw.len() as u32)));
            }
        }
        let decoded_text: String = decoded.iter().map(|(c, _)| *c).collect();
        let (pieces, exact) =
            if decoded_text == value { (decoded, true) } else { (align(value, &raw), false) };
        let mut chars = Vec::with_capacity(pieces.len());
        let mut offset = 0u32;
        for (c, r) in pieces {
            chars.push((offset, r.shifted(range.start)));
            offset += c.len_utf8() as u32;
        }
        // Characters past the text (a block scalar's final line break) map to its end.
        let end = chars.iter().map(|(_, r)| r.end).max().unwrap_or(range.start).max(range.start);
        let end = if style == ScalarStyle::DoubleQuoted || style == ScalarStyle::SingleQuoted {
            range.end.saturating_sub(1).max(range.start)
        } else {
            end
        };
        Some(ScalarMap { chars, value_len: offset, end, exact })
    }

    /// The map of a string decoded from elsewhere (a Terraform heredoc or string): each
    /// character with the document range it came from, in order; `end` is where the end of
    /// the string maps to.
    pub fn from_pieces(pieces: impl IntoIterator<Item = (char, TextRange)>, end: u32) -> ScalarMap {
        let mut chars = Vec::new();
        let mut offset = 0u32;
        for (c, r) in pieces {
            chars.push((offset, r));
            offset += c.len_utf8() as u32;
        }
        ScalarMap { chars, value_len: offset, end, exact: true }
    }

    /// The map of an empty value that would start at `offset` (a value being typed).
    pub fn empty_at(offset: u32) -> ScalarMap {
        ScalarMap { chars: Vec::new(), value_len: 0, end: offset, exact: true }
    }

    /// Whether every character was traced to its source; otherwise positions are a best guess.
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    fn char_at(&self, offset: u32) -> Option<&(u32, TextRange)> {
        let i = self.chars.partition_point(|(o, _)| *o <= offset);
        i.checked_sub(1).and_then(|i| self.chars.get(i))
    }

    /// The document offset of a value offset (the value's end maps after its last character).
    pub fn to_document(&self, offset: u32) -> u32 {
        if offset >= self.value_len {
            return self.end;
        }
        self.char_at(offset).map_or(self.end, |(_, r)| r.start)
    }

    /// The document range of a value range: from the source of its first character to the
    /// end of the source of its last one (so `\"` covers both characters).
    pub fn range_to_document(&self, range: TextRange) -> TextRange {
        let start = self.to_document(range.start);
        if range.is_empty() {
            return TextRange::empty(start);
        }
        let end = if range.end > self.value_len {
            self.end
        } else {
            self.char_at(range.end - 1).map_or(self.end, |(_, r)| r.end)
        };
        TextRange::new(start, end.max(start))
    }

    /// The value offset of a document offset, if it lies within the scalar's text: the
    /// character whose source contains it, or the nearest following one.
    pub fn to_value(&self, document: u32) -> Option<u32> {
        let first = self.chars.first().map_or(self.end, |(_, r)| r.start);
        if document < first || document > self.end.max(first) {
            return None;
        }
        self.chars
            .iter()
            .find(|(_, r)| document < r.end || document == r.start)
            .map_or(Some(self.value_len), |(offset, _)| Some(*offset))
    }
}

/// Decodes a plain or quoted (flow) scalar. Line breaks fold: one becomes a space, `n`
/// empty lines become `n` line breaks; the white space around a break is dropped. Positions
/// are relative to `raw`.
fn flow(raw: &str, quote: Option<char>) -> Vec<(char, TextRange)> {
    let (body_start, body_end) = match quote {
        Some(q) => {
            let start = if raw.starts_with(q) { q.len_utf8() } else { 0 };
            let end =
                if raw.len() > start && raw.ends_with(q) { raw.len() - q.len_utf8() } else { raw.len() };
            (start, end.max(start))
        }
        None => (0, raw.len()),
    };
    let body = &raw[body_start..body_end];
    let mut out: Vec<(char, TextRange)> = Vec::new();
    let r = |a: usize, b: usize| TextRange::new((body_start + a) as u32, (body_start + b) as u32);
    let lines = split_lines(body);
    let last = lines.len().saturating_sub(1);
    // Set when the previous line ended in an escaped line break (`\` before it).
    let mut escaped_break = false;
    let mut pending_breaks: Vec<TextRange> = Vec::new();
    for (n, (start, line, break_range)) in lines.iter().enumerate() {
        let mut content = *line;
        let mut offset = *start;
        if n > 0 {
            let trimmed = content.trim_start_matches([' ', '\t']);
            offset += content.len() - trimmed.len();
            content = trimmed;
        }
        let is_last = n == last;
        if !is_last || quote.is_none() {
            content = content.trim_end_matches([' ', '\t']);
        }
        if n > 0 {
            if content.is_empty() && !is_last {
                pending_breaks.push(*break_range);
                continue;
            }
            if !escaped_break {
                if pending_breaks.is_empty() {
                    let prev = lines[n - 1].2;
                    out.push((' ', r(prev.start as usize, prev.end as usize)));
                } else {
                    for b in pending_breaks.drain(..) {
                        out.push(('\n', r(b.start as usize, b.end as usize)));
                    }
                }
            }
            pending_breaks.clear();
        }
        escaped_break = false;
        let mut chars = content.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let at = offset + i;
            match (quote, c) {
                (Some('\''), '\'') if chars.peek().map(|p| p.1) == Some('\'') => {
                    chars.next();
                    out.push(('\'', r(at, at + 2)));
                }
                (Some('"'), '\\') => match chars.next() {
                    None => escaped_break = true,
                    Some((_, e)) => {
                        let (decoded, extra) = match e {
                            '0' => (Some('\0'), 0),
                            'a' => (Some('\u{7}'), 0),
                            'b' => (Some('\u{8}'), 0),
                            't' | '\t' => (Some('\t'), 0),
                            'n' => (Some('\n'), 0),
                            'v' => (Some('\u{b}'), 0),
                            'f' => (Some('\u{c}'), 0),
                            'r' => (Some('\r'), 0),
                            'e' => (Some('\u{1b}'), 0),
                            ' ' => (Some(' '), 0),
                            '"' => (Some('"'), 0),
                            '/' => (Some('/'), 0),
                            '\\' => (Some('\\'), 0),
                            'N' => (Some('\u{85}'), 0),
                            '_' => (Some('\u{a0}'), 0),
                            'L' => (Some('\u{2028}'), 0),
                            'P' => (Some('\u{2029}'), 0),
                            'x' => (hex(content, i + 2, 2), 2),
                            'u' => (hex(content, i + 2, 4), 4),
                            'U' => (hex(content, i + 2, 8), 8),
                            _ => (None, 0),
                        };
                        for _ in 0..extra {
                            chars.next();
                        }
                        let end = at + 1 + e.len_utf8() + extra;
                        out.push((decoded.unwrap_or(e), r(at, end)));
                    }
                },
                _ => out.push((c, r(at, at + c.len_utf8()))),
            }
        }
    }
    out
}

fn hex(s: &str, at: usize, len: usize) -> Option<char> {
    let digits = s.get(at..at + len)?;
    u32::from_str_radix(digits, 16).ok().and_then(char::from_u32)
}

/// Lines of `s` as (start, text without the break, the break's range).
fn split_lines(s: &str) -> Vec<(usize, &str, TextRange)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let len = match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => 2,
            b'\r' | b'\n' => 1,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push((start, &s[start..i], TextRange::new(i as u32, (i + len) as u32)));
        i += len;
        start = i;
    }
    out.push((start, &s[start..], TextRange::empty(s.len() as u32)));
    out
}

/// Decodes the content of a literal (`|`) or folded (`>`) block scalar, given the column
/// of its first content line (the node's text starts at the content and ends at its last
/// non-blank character). Final line breaks are added by the caller.
fn block(raw: &str, indent: usize, folded: bool) -> Vec<(char, TextRange)> {
    let lines = split_lines(raw);
    let mut out: Vec<(char, TextRange)> = Vec::new();
    let mut prev_kind: Option<bool> = None; // Some(more_indented) of the previous content line
    let mut pending: Vec<TextRange> = Vec::new();
    for (n, (start, line, brk)) in lines.iter().enumerate() {
        // The first line's indentation is before the node's text.
        let skip = if n == 0 { 0 } else { line.bytes().take(indent).take_while(|b| *b == b' ').count() };
        let content = &line[skip..];
        let offset = start + skip;
        // A line of spaces no deeper than the indentation is an empty line.
        if n > 0 && content.is_empty() {
            pending.push(*brk);
            continue;
        }
        let more_indented = content.starts_with([' ', '\t']);
        if let Some(prev_more) = prev_kind {
            let prev_break = lines[n - 1 - pending.len()].2;
            if folded && !prev_more && !more_indented {
                if pending.is_empty() {
                    out.push((' ', prev_break));
                }
            } else {
                out.push(('\n', prev_break));
            }
            for b in pending.drain(..) {
                out.push(('\n', b));
            }
        }
        pending.clear();
        for (i, c) in content.char_indices() {
            let at = offset + i;
            out.push((c, TextRange::new(at as u32, (at + c.len_utf8()) as u32)));
        }
        prev_kind = Some(more_indented);
    }
    out
}

/// Fallback: each value character is matched to the next equal character of the source,
/// or placed at the current position when there is none nearby.
fn align(value: &str, raw: &str) -> Vec<(char, TextRange)> {
    let mut out = Vec::with_capacity(value.len());
    let mut cursor = 0usize;
    for c in value.chars() {
        let window = raw.get(cursor..).unwrap_or("");
        let found = window.char_indices().take(16).find(|(_, r)| *r == c).map(|(i, _)| cursor + i);
        match found {
            Some(at) => {
                out.push((c, TextRange::new(at as u32, (at + c.len_utf8()) as u32)));
                cursor = at + c.len_utf8();
            }
            None => out.push((c, TextRange::empty(cursor as u32))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::SyntaxTree;

    /// The map of the value of key `k`, checked to be exact, and the value.
    fn map_of(src: &str) -> (SourceText, ScalarMap, String) {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        assert!(tree.errors().is_empty(), "{:?}", tree.errors());
        let node = tree.root().and_then(|r| r.get("k")).expect("key k").value;
        let map = ScalarMap::new(node, &text).expect("a scalar");
        (text.clone(), map, node.scalar().unwrap_or_default().to_string())
    }

    /// Each value character with the document text it maps to.
    fn trace(src: &str) -> String {
        let (text, map, value) = map_of(src);
        assert!(map.is_exact(), "inexact map for {src:?}");
        let mut out = String::new();
        for (i, c) in value.char_indices() {
            let r = map.range_to_document(TextRange::new(i as u32, (i + c.len_utf8()) as u32));
            out.push_str(&format!("{c:?}={:?} ", text.slice(r)));
        }
        out.trim_end().to_string()
    }

    /// The document text of the value range of `needle`.
    fn doc_text(src: &str, needle: &str) -> String {
        let (text, map, value) = map_of(src);
        let at = value.find(needle).expect("needle in value") as u32;
        let r = map.range_to_document(TextRange::new(at, at + needle.len() as u32));
        assert_eq!(map.to_value(r.start), Some(at), "round trip of {needle:?} in {src:?}");
        text.slice(r)
    }

    #[test]
    fn plain_single_line_and_cjk() {
        assert_eq!(doc_text("k: $Input.视频 == 1\n", "视频"), "视频");
        assert_eq!(doc_text("k: $Input.视频 == 1\n", "1"), "1");
        assert_eq!(trace("k: a b\n"), r#"'a'="a" ' '=" " 'b'="b""#);
    }

    #[test]
    fn plain_multi_line_folds() {
        let src = "k: $Input.a ==\n  \"视\"\n\n  && x\n";
        assert_eq!(doc_text(src, "\"视\""), "\"视\"");
        assert_eq!(doc_text(src, "x"), "x");
        assert_eq!(trace("k: a\n  b\n"), r#"'a'="a" ' '="\n" 'b'="b""#);
    }

    #[test]
    fn single_quoted_with_doubled_quote() {
        assert_eq!(doc_text("k: 'format(''{}'', $Input.名)'\n", "'{}'"), "''{}''");
        assert_eq!(doc_text("k: 'format(''{}'', $Input.名)'\n", "名"), "名");
        assert_eq!(doc_text("k: '  a\n   b  '\n", "b  "), "b  ");
    }

    #[test]
    fn double_quoted_with_escapes_and_breaks() {
        let src = "k: \"$Input.a == \\\"视\\u9891\\\" \\\n   && b\"\n";
        assert_eq!(doc_text(src, "\"视频\""), "\\\"视\\u9891\\\"");
        assert_eq!(doc_text(src, "b"), "b");
        assert_eq!(doc_text("k: \"a\n\n  b\"\n", "b"), "b");
        assert_eq!(trace("k: \"a\\tb\"\n"), r#"'a'="a" '\t'="\\t" 'b'="b""#);
    }

    #[test]
    fn literal_block() {
        let src = "k: |\n  $Input.a\n    == \"视频\"\nn: 1\n";
        assert_eq!(doc_text(src, "== \"视频\""), "== \"视频\"");
        let src = "k: |-\n  line1\n\n  line3\n";
        assert_eq!(doc_text(src, "line3"), "line3");
    }

    #[test]
    fn folded_block() {
        let src = "x:\n  k: >-\n    format(\"{}\",\n    $Input.视频)\n";
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let k = tree.root().and_then(|r| r.get("x")).and_then(|e| e.value.get("k")).expect("k").value;
        let map = ScalarMap::new(k, &text).expect("scalar");
        assert!(map.is_exact());
        let value = k.scalar().unwrap();
        assert_eq!(value, "format(\"{}\", $Input.视频)");
        let at = value.find("视频").unwrap() as u32;
        assert_eq!(text.slice(map.range_to_document(TextRange::new(at, at + 6))), "视频");
        let src = "k: >\n  a\n  b\n\n  c\n   more\n  d\n";
        assert_eq!(doc_text(src, "c"), "c");
        assert_eq!(doc_text(src, "d"), "d");
    }

    #[test]
    fn crlf_and_out_of_range_offsets() {
        let (text, map, _) = map_of("k: >-\r\n  two\r\n  lines\r\n");
        assert!(map.is_exact());
        assert_eq!(text.slice(map.range_to_document(TextRange::new(4, 9))), "lines");
        // Past the value: the end of the scalar, never a panic.
        let end = map.to_document(1000);
        assert_eq!(map.range_to_document(TextRange::new(900, 1000)), TextRange::empty(end));
        assert_eq!(map.to_value(0), None);
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// `value` written as a double-quoted scalar, CJK characters sometimes as `\u` escapes.
        fn double_quoted(value: &str, escape_cjk: bool) -> String {
            let mut out = String::from("\"");
            for c in value.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    c if escape_cjk && (c as u32) > 0x2e80 && (c as u32) < 0xffff => {
                        out.push_str(&format!("\\u{:04x}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }

        fn styles(value: &str) -> Vec<String> {
            let mut out = vec![double_quoted(value, false), double_quoted(value, true)];
            if !value.contains(['\n', '\t']) {
                out.push(format!("'{}'", value.replace('\'', "''")));
            }
            let lines: Vec<&str> = value.split('\n').collect();
            let blockable = !value.contains('\t')
                && lines.iter().all(|l| !l.is_empty() && !l.starts_with(' ') && !l.ends_with(' '));
            if blockable {
                out.push(format!("|-\n{}", lines.iter().map(|l| format!("  {l}\n")).collect::<String>()));
            }
            out
        }

        #[test]
        fn the_written_styles_read_back() {
            for value in ["a \"视\\ b", "x\ny", "it's #1: $.x"] {
                for written in styles(value) {
                    let text = SourceText::new(&format!("k: {written}\nnext: 1\n"));
                    let tree = SyntaxTree::parse(&text);
                    let node = tree.root().and_then(|r| r.get("k")).map(|e| e.value);
                    assert_eq!(node.and_then(|n| n.scalar()), Some(value), "{written}");
                    assert!(ScalarMap::new(node.unwrap(), &text).unwrap().is_exact(), "{written}");
                }
            }
        }

        proptest! {
            /// Whatever the style, the map is exact and each character maps to text that
            /// maps back to it.
            #[test]
            fn every_character_round_trips(value in "[a-z $.=\"'\\\\(){}#:视频😀\n\t-]{0,24}") {
                for written in styles(&value) {
                    let src = format!("k: {written}\nnext: 1\n");
                    let text = SourceText::new(&src);
                    let tree = SyntaxTree::parse(&text);
                    let Some(node) = tree.root().and_then(|r| r.get("k")).map(|e| e.value) else { continue };
                    // Only cases the YAML parser reads back as the value test the map.
                    if !tree.errors().is_empty() || node.scalar() != Some(value.as_str()) {
                        continue;
                    }
                    let map = ScalarMap::new(node, &text).expect("a scalar");
                    prop_assert!(map.is_exact(), "inexact for {:?}", src);
                    for (i, _) in value.char_indices() {
                        let i = i as u32;
                        let doc = map.to_document(i);
                        prop_assert!(node.range().contains_inclusive(doc));
                        prop_assert_eq!(map.to_value(doc), Some(i), "{:?} at {}", src, i);
                    }
                }
            }
        }
    }
}
