//! Rendering diagnostics under the source lines, shared by the analysis fixture tests.

use super::{CheckOptions, Diagnostic, check};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

/// The flow with each diagnostic rendered under the line it starts on.
pub(crate) fn annotate(src: &str, options: &CheckOptions) -> String {
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    let diagnostics = check(&text, &tree, options);
    let mut out = String::new();
    for (i, line) in src.lines().enumerate() {
        out.push_str(line);
        out.push('\n');
        for (line, note) in diagnostics.iter().map(|d| caret_note(&text, d)) {
            if line == i {
                out.push_str(&note);
                out.push('\n');
            }
        }
    }
    out
}

/// The zero-based line a diagnostic starts on, and a note for it: carets under its range
/// (characters, so CJK names line up), severity, code, message and the titles of its fixes.
pub(crate) fn caret_note(text: &SourceText, d: &Diagnostic) -> (usize, String) {
    let start = text.position(d.range.start, PositionEncoding::Chars);
    let end = text.position(d.range.end, PositionEncoding::Chars);
    let width = if end.line == start.line { (end.character - start.character).max(1) } else { 1 };
    let fixes: Vec<&str> = d.fixes.iter().map(|f| f.title.as_str()).collect();
    let fixes = if fixes.is_empty() { String::new() } else { format!(" [fix: {}]", fixes.join("; ")) };
    let note = format!(
        "{}{} {}[{}]: {}{fixes}",
        " ".repeat(start.character as usize),
        "^".repeat(width as usize),
        d.severity.as_str(),
        d.code.as_str(),
        d.message
    );
    (start.line as usize, note)
}
