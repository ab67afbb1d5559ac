//! Formatting whole documents and ranges with pretty_yaml, never changing what a flow means.
//!
//! pretty_yaml works on a lossless tree, so comments, anchors, tags and key order survive.
//! We still distrust it: a result must parse without errors to the same data (kinds,
//! scalar values, whether a scalar is plain, anchors, aliases, tags), or formatting is
//! refused. A document with YAML errors is never formatted: the formatter would have to
//! guess what was meant.
//!
//! A range is formatted piece by piece: the pieces are the entries of the root mapping,
//! with the items of a block list under a root key (`States:`, `steps:`) as pieces of their
//! own. The pieces the range touches are replaced by their formatted text, moved to the
//! column where they were, so that they still line up with the pieces left alone.

use std::fmt;

use super::{Document, Language};
use crate::syntax::{Node, NodeKind, SourceText, SyntaxTree, TextRange};

/// What the editor or the command line asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    /// Spaces per level of indentation (YAML allows no tabs); clamped to 1..=8.
    pub indent: u32,
}

impl Default for FormatOptions {
    fn default() -> FormatOptions {
        FormatOptions { indent: 2 }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The document has YAML errors.
    SyntaxErrors { count: usize },
    /// pretty_yaml refused the text (it reads YAML a little differently from us) or failed.
    Formatter(String),
    /// The result would not mean the same; nothing is changed.
    WouldChangeMeaning,
    /// The document is not YAML (a Terraform file): its own formatter's business.
    NotYaml,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::SyntaxErrors { count } => write!(
                f,
                "not formatted: the document has {count} YAML error{}; fix {} first",
                if *count == 1 { "" } else { "s" },
                if *count == 1 { "it" } else { "them" }
            ),
            FormatError::Formatter(message) => write!(f, "not formatted: {message}"),
            FormatError::NotYaml => {
                f.write_str("not formatted: this is a Terraform file; `terraform fmt` formats it")
            }
            FormatError::WouldChangeMeaning => f.write_str(
                "not formatted: the formatter's result would not mean the same as the document (please report it)",
            ),
        }
    }
}

/// The whole text, formatted.
pub fn format_text(text: &str, options: &FormatOptions) -> Result<String, FormatError> {
    let source = SourceText::new(text);
    let tree = SyntaxTree::parse(&source);
    format_parsed(text, &tree, options)
}

fn format_parsed(text: &str, tree: &SyntaxTree, options: &FormatOptions) -> Result<String, FormatError> {
    if !tree.errors().is_empty() {
        return Err(FormatError::SyntaxErrors { count: tree.errors().len() });
    }
    if text.trim().is_empty() {
        return Ok(text.to_string());
    }
    let mut config = pretty_yaml::config::FormatOptions::default();
    config.layout.indent_width = options.indent.clamp(1, 8) as usize;
    // A long line is the user's business: wrapping flow collections and plain scalars
    // would mostly move expressions around.
    config.layout.print_width = 120;
    if text.contains("\r\n") {
        config.layout.line_break = pretty_yaml::config::LineBreak::Crlf;
    }
    // pretty_yaml is not ours: a panic on some input must not take the request with it.
    let formatted = std::panic::catch_unwind(|| pretty_yaml::format_text(text, &config))
        .map_err(|_| FormatError::Formatter("the YAML formatter failed on this text".to_string()))?
        .map_err(|e| FormatError::Formatter(format!("the YAML formatter cannot read this text ({e:?})")))?;
    let mut formatted = formatted;
    // pretty_yaml drops the line break after a last comment; keep the file's last line ending.
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if text.ends_with('\n') && !formatted.ends_with('\n') {
        formatted.push_str(newline);
    }
    let after = SyntaxTree::parse(&SourceText::new(&formatted));
    if !after.errors().is_empty() || !same_data(tree.root(), after.root()) {
        return Err(FormatError::WouldChangeMeaning);
    }
    Ok(formatted)
}

/// Only YAML is formatted here: the flows inside a Terraform file are in HCL strings.
fn yaml_only(doc: &Document) -> Result<(), FormatError> {
    match doc.language {
        Language::Yaml => Ok(()),
        Language::Terraform => Err(FormatError::NotYaml),
    }
}

/// The edit that formats the document: one replacement of the lines that differ, none when
/// it is already formatted (so the cursor and folds elsewhere stay put).
pub fn formatting(doc: &Document, options: &FormatOptions) -> Result<Vec<(TextRange, String)>, FormatError> {
    yaml_only(doc)?;
    let text = doc.text.to_string_lossless();
    let formatted = format_parsed(&text, &doc.tree, options)?;
    Ok(minimal_edit(&text, &formatted).into_iter().collect())
}

/// Edits that format the pieces of the document that `range` touches.
pub fn range_formatting(
    doc: &Document,
    range: TextRange,
    options: &FormatOptions,
) -> Result<Vec<(TextRange, String)>, FormatError> {
    yaml_only(doc)?;
    let text = doc.text.to_string_lossless();
    let formatted = format_parsed(&text, &doc.tree, options)?;
    let after = SyntaxTree::parse(&SourceText::new(&formatted));
    let old = Lines::new(&text);
    let new = Lines::new(&formatted);
    let old_pieces = pieces(&doc.tree, &old);
    let new_pieces = pieces(&after, &new);
    if old_pieces.len() != new_pieces.len() {
        // Not the same shape (it does not happen with the same data); format everything.
        return Ok(minimal_edit(&text, &formatted).into_iter().collect());
    }
    let first = old.line_of(range.start);
    let last = old.line_of(range.end.max(range.start));
    let mut edits = Vec::new();
    for (o, n) in old_pieces.iter().zip(&new_pieces) {
        if o.last < first || o.first > last {
            continue;
        }
        let shift = o.column as i64 - n.column as i64;
        let mut replacement = String::new();
        for line in n.first..=n.last {
            let content = new.line(line);
            let indent = content.len() - content.trim_start_matches(' ').len();
            if shift != 0
                && line >= n.content_line
                && indent >= n.column as usize
                && !content.trim().is_empty()
            {
                if shift > 0 {
                    replacement.extend(std::iter::repeat_n(' ', shift as usize));
                    replacement.push_str(content);
                } else {
                    replacement.push_str(&content[(-shift) as usize..]);
                }
            } else {
                replacement.push_str(content);
            }
        }
        let span = TextRange::new(old.start(o.first), old.end(o.last));
        if text[span.as_usize()] != replacement {
            edits.push((span, replacement));
        }
    }
    // The pieces left alone must still fit the formatted ones: check the result as a whole.
    let mut result = text.clone();
    for (span, new_text) in edits.iter().rev() {
        result.replace_range(span.as_usize(), new_text);
    }
    let check = SyntaxTree::parse(&SourceText::new(&result));
    if !check.errors().is_empty() || !same_data(doc.tree.root(), check.root()) {
        return Err(FormatError::WouldChangeMeaning);
    }
    Ok(edits)
}

/// One edit replacing the lines between the common first and last lines of `old` and `new`.
fn minimal_edit(old: &str, new: &str) -> Option<(TextRange, String)> {
    if old == new {
        return None;
    }
    let (a, b) = (Lines::new(old), Lines::new(new));
    let (na, nb) = (a.count(), b.count());
    let mut head = 0;
    while head < na && head < nb && a.line(head) == b.line(head) {
        head += 1;
    }
    let mut tail = 0;
    while tail < na - head && tail < nb - head && a.line(na - 1 - tail) == b.line(nb - 1 - tail) {
        tail += 1;
    }
    let old_range =
        TextRange::new(a.start(head), if na - tail > head { a.end(na - tail - 1) } else { a.start(head) });
    let new_range =
        TextRange::new(b.start(head), if nb - tail > head { b.end(nb - tail - 1) } else { b.start(head) });
    Some((old_range, new[new_range.as_usize()].to_string()))
}

/// A text cut into lines, each with its line break.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<u32>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let mut starts = vec![0];
        starts.extend(
            text.match_indices('\n').map(|(i, _)| i as u32 + 1).filter(|&s| (s as usize) < text.len()),
        );
        Lines { text, starts }
    }

    fn count(&self) -> u32 {
        self.starts.len() as u32
    }

    fn start(&self, line: u32) -> u32 {
        self.starts.get(line as usize).copied().unwrap_or(self.text.len() as u32)
    }

    /// The end of the line, after its line break.
    fn end(&self, line: u32) -> u32 {
        self.start(line + 1)
    }

    fn line(&self, line: u32) -> &'t str {
        &self.text[self.start(line) as usize..self.end(line) as usize]
    }

    fn line_of(&self, offset: u32) -> u32 {
        (self.starts.partition_point(|&s| s <= offset) as u32).saturating_sub(1)
    }
}

/// A top-level piece of a document: its lines (comments before it included) and the column
/// of the line its content starts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    first: u32,
    last: u32,
    content_line: u32,
    column: u32,
}

fn pieces(tree: &SyntaxTree, lines: &Lines<'_>) -> Vec<Piece> {
    let mut nodes: Vec<(TextRange, u32)> = Vec::new();
    let Some(root) = tree.root() else { return Vec::new() };
    let add_items = |list: Node<'_>, nodes: &mut Vec<(TextRange, u32)>| {
        for item in list.items() {
            nodes.push((item.range(), item.range().start));
        }
    };
    match root.kind() {
        NodeKind::Mapping if !root.is_flow() => {
            for e in root.entries() {
                if e.value.kind() == NodeKind::Sequence && !e.value.is_flow() && e.value.items().len() > 0 {
                    add_items(e.value, &mut nodes);
                } else {
                    let start = e.key.range().start;
                    nodes.push((TextRange::new(start, e.value.range().end.max(e.key.range().end)), start));
                }
            }
        }
        NodeKind::Sequence if !root.is_flow() => add_items(root, &mut nodes),
        _ => {}
    }
    let mut out = Vec::with_capacity(nodes.len() + 1);
    let mut next_line = 0;
    for (range, start) in nodes {
        let content_line = lines.line_of(start);
        let mut last = lines.line_of(range.end);
        // A range that ends at the start of a line ends on the line before.
        if last > content_line && lines.start(last) == range.end {
            last -= 1;
        }
        let line = lines.line(content_line);
        let column = (line.len() - line.trim_start_matches(' ').len()) as u32;
        let first = next_line.min(content_line);
        out.push(Piece { first, last: last.max(content_line), content_line, column });
        next_line = last.max(content_line) + 1;
    }
    // What follows the last piece (trailing comments) is a piece of its own.
    if next_line < lines.count() {
        out.push(Piece { first: next_line, last: lines.count() - 1, content_line: next_line, column: 0 });
    }
    out
}

/// Whether two trees hold the same YAML data: the same kinds, scalar values and plainness
/// (which decides between strings and numbers, booleans, null), anchors, aliases and tags.
/// Layout, quoting style and comments may differ.
pub(crate) fn same_data(a: Option<Node<'_>>, b: Option<Node<'_>>) -> bool {
    let (a, b) = match (a, b) {
        (None, None) => return true,
        (Some(a), Some(b)) => (a, b),
        _ => return false,
    };
    let mut stack = vec![(a, b)];
    while let Some((a, b)) = stack.pop() {
        if a.kind() != b.kind()
            || a.scalar() != b.scalar()
            || a.is_plain_scalar() != b.is_plain_scalar()
            || a.alias() != b.alias()
            || a.anchor().map(|(n, _)| n) != b.anchor().map(|(n, _)| n)
            || a.tag().map(|(t, _)| t) != b.tag().map(|(t, _)| t)
        {
            return false;
        }
        let (ca, cb): (Vec<_>, Vec<_>) = (a.children().collect(), b.children().collect());
        if ca.len() != cb.len() {
            return false;
        }
        stack.extend(ca.into_iter().zip(cb));
    }
    true
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn apply(text: &str, edits: &[(TextRange, String)]) -> String {
        let mut out = text.to_string();
        for (range, new) in edits.iter().rev() {
            out.replace_range(range.as_usize(), new);
        }
        out
    }

    fn check_range(src: &str, marker: &str, indent: u32, expect: Expect) {
        let start = src.find(marker).expect("marker") as u32;
        let doc = Document::new(src);
        let options = FormatOptions { indent };
        let edits = range_formatting(&doc, TextRange::empty(start), &options).expect("formats");
        expect.assert_eq(&apply(src, &edits));
    }

    const FLOW: &str = "# fdl: mode=standard\nType:   StateMachine\nName: 订单\nStartAt: 检查\nStates:\n    # the first state\n    -   Type: Pass\n        Name: 检查\n        Parameters: {a: 1,   b: [x,y]}\n        Next: 完成   # done next\n    -   Type: Succeed\n        Name: 完成\n        Description: 'it''s done'\n# end of flow\n";

    #[test]
    fn whole_document_keeps_comments_quotes_and_order() {
        expect![[r#"
            # fdl: mode=standard
            Type: StateMachine
            Name: 订单
            StartAt: 检查
            States:
              # the first state
              - Type: Pass
                Name: 检查
                Parameters: { a: 1, b: [x, y] }
                Next: 完成 # done next
              - Type: Succeed
                Name: 完成
                Description: 'it''s done'
            # end of flow
        "#]]
        .assert_eq(&format_text(FLOW, &FormatOptions::default()).unwrap());
        expect![[r#"
            a:
                b: &x
                    - 1
                c: *x
        "#]]
        .assert_eq(&format_text("a:\n  b: &x\n   - 1\n  c: *x\n", &FormatOptions { indent: 4 }).unwrap());
    }

    #[test]
    fn the_edit_covers_only_the_lines_that_change() {
        let doc = Document::new("a: 1\nb:   2\nc: 3\n");
        let edits = formatting(&doc, &FormatOptions::default()).unwrap();
        assert_eq!(edits, [(TextRange::new(5, 12), "b: 2\n".to_string())]);
        let clean = Document::new("a: 1\n");
        assert_eq!(formatting(&clean, &FormatOptions::default()).unwrap(), []);
    }

    #[test]
    fn ranges_format_the_pieces_they_touch_in_place() {
        // The second state only: it stays at its column, the first state is left alone.
        check_range(
            FLOW,
            "Name: 完成",
            2,
            expect![[r#"
                # fdl: mode=standard
                Type:   StateMachine
                Name: 订单
                StartAt: 检查
                States:
                    # the first state
                    -   Type: Pass
                        Name: 检查
                        Parameters: {a: 1,   b: [x,y]}
                        Next: 完成   # done next
                    - Type: Succeed
                      Name: 完成
                      Description: 'it''s done'
                # end of flow
            "#]],
        );
        check_range(
            FLOW,
            "Type:   State",
            2,
            expect![[r#"
                # fdl: mode=standard
                Type: StateMachine
                Name: 订单
                StartAt: 检查
                States:
                    # the first state
                    -   Type: Pass
                        Name: 检查
                        Parameters: {a: 1,   b: [x,y]}
                        Next: 完成   # done next
                    -   Type: Succeed
                        Name: 完成
                        Description: 'it''s done'
                # end of flow
            "#]],
        );
    }

    #[test]
    fn broken_yaml_is_refused() {
        let err = format_text("a: [1, 2\nb: 1\n", &FormatOptions::default()).unwrap_err();
        expect!["not formatted: the document has 1 YAML error; fix it first"].assert_eq(&err.to_string());
        let doc = Document::new("a: [1, 2\nb: 1\n");
        assert!(formatting(&doc, &FormatOptions::default()).is_err());
        assert!(range_formatting(&doc, TextRange::empty(0), &FormatOptions::default()).is_err());
    }

    #[test]
    fn terraform_is_not_formatted_as_yaml() {
        let tf = "resource \"alicloud_fnf_flow\" \"f\" {\n  definition = <<EOF\nversion:   v1\nEOF\n}\n";
        let doc = Document::with_language(tf, Language::Terraform);
        let err = formatting(&doc, &FormatOptions::default()).unwrap_err();
        assert_eq!(err, FormatError::NotYaml);
        assert_eq!(
            range_formatting(&doc, TextRange::empty(0), &FormatOptions::default()),
            Err(FormatError::NotYaml)
        );
    }

    #[test]
    fn data_equality_sees_types_and_anchors() {
        let same = |a: &str, b: &str| {
            let (ta, tb) = (SyntaxTree::parse(&SourceText::new(a)), SyntaxTree::parse(&SourceText::new(b)));
            same_data(ta.root(), tb.root())
        };
        assert!(same("a: 'x'\n", "a: \"x\"\n"));
        assert!(same("a: [1, 2]\n", "a:\n  - 1\n  - 2\n"));
        assert!(!same("a: '1'\n", "a: 1\n"));
        assert!(!same("a: &x 1\n", "a: &y 1\n"));
        assert!(!same("a: 1\nb: 2\n", "b: 2\na: 1\n"));
        assert!(!same("a: !!str 1\n", "a: 1\n"));
    }

    #[test]
    fn crlf_and_empty_documents() {
        assert_eq!(format_text("a:   1\r\nb: 2\r\n", &FormatOptions::default()).unwrap(), "a: 1\r\nb: 2\r\n");
        assert_eq!(format_text("", &FormatOptions::default()).unwrap(), "");
        assert_eq!(
            format_text("# only a comment\n", &FormatOptions::default()).unwrap(),
            "# only a comment\n"
        );
    }
}
