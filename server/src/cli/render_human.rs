//! rustc-style output for people, drawn by annotate-snippets (rustc's own renderer).

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet, normalize_untrusted_str};

use crate::analysis::{Diagnostic, Severity};
use crate::syntax::{SourceText, TextRange};

use super::tally::Tally;

/// Renders one diagnostic, ending with a blank line like rustc.
pub fn render_diagnostic(path: &str, text: &SourceText, diagnostic: &Diagnostic, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let excerpt = Excerpt::new(text, diagnostic.range);
    let snippet = Snippet::source(excerpt.source.as_str())
        .line_start(excerpt.first_line as usize + 1)
        .path(path)
        .annotation(AnnotationKind::Primary.span(excerpt.span.clone()));
    let mut group = level(diagnostic.severity)
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code.as_str())
        .element(snippet);
    for fix in &diagnostic.fixes {
        group = group.element(Level::HELP.message(normalize_untrusted_str(&fix.title)));
    }
    let mut out = renderer.render(&[group]);
    out.push_str("\n\n");
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::NOTE,
        Severity::Hint => Level::HELP.with_name("hint"),
    }
}

/// The lines a range touches, cut out of the document so that rendering a diagnostic costs
/// the size of those lines, not of the file.
struct Excerpt {
    source: String,
    first_line: u32,
    /// The range relative to `source`, on character boundaries.
    span: std::ops::Range<usize>,
}

impl Excerpt {
    fn new(text: &SourceText, range: TextRange) -> Excerpt {
        let len = text.len();
        let start = range.start.min(len);
        let end = range.end.clamp(start, len);
        let first_line = text.line_of(start);
        let mut last_line = text.line_of(end);
        // A range ending just after a line break would otherwise show the next line, empty.
        if last_line > first_line && text.line_start(last_line) == end {
            last_line -= 1;
        }
        let base = text.line_start(first_line);
        let stop = text.line_range(last_line).end.max(base);
        let mut source = text.slice(TextRange::new(base, stop));
        // annotate-snippets splits lines at `\n` only, while the document also breaks at a
        // lone `\r` (old Mac files); same length, so offsets stay valid.
        if source.contains('\r') {
            source = lone_cr_to_lf(&source);
        }
        let mut span_start = (start.saturating_sub(base) as usize).min(source.len());
        let mut span_end = (end.saturating_sub(base) as usize).clamp(span_start, source.len());
        while !source.is_char_boundary(span_start) {
            span_start -= 1;
        }
        while !source.is_char_boundary(span_end) {
            span_end += 1;
        }
        Excerpt { source, first_line, span: span_start..span_end }
    }
}

fn lone_cr_to_lf(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') { '\n' } else { c });
    }
    out
}

/// The closing line, e.g. `2 errors, 1 warning in 3 files`.
pub fn summary(tally: &Tally) -> String {
    let counts = [
        (tally.errors, "error", "errors"),
        (tally.warnings, "warning", "warnings"),
        (tally.notes, "note", "notes"),
        (tally.hints, "hint", "hints"),
    ];
    let problems: Vec<String> = counts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
    let problems = if problems.is_empty() { "no problems".to_owned() } else { problems.join(", ") };
    let files = plural(tally.files, "file", "files");
    let mut line = format!("{problems} in {files}");
    if tally.unreadable > 0 {
        line.push_str(&format!("; {} could not be checked", plural(tally.unreadable, "file", "files")));
    }
    line
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::analysis::Code;

    fn at(source: &str, needle: &str) -> TextRange {
        let start = source.find(needle).expect("needle") as u32;
        TextRange::new(start, start + needle.len() as u32)
    }

    fn check(source: &str, diagnostic: Diagnostic, expect: Expect) {
        let text = SourceText::new(source);
        expect.assert_eq(&render_diagnostic("flow.yaml", &text, &diagnostic, false));
    }

    const FLOW: &str = "Type: StateMachine\nSpecVersion: v1\nName: demo\nStartAt: Start\nStates:\n  - Type: Pass\n    Name: Start\n    Next: Missing\n";

    #[test]
    fn single_line_error() {
        check(
            FLOW,
            Diagnostic::error(
                Code::UnknownState,
                at(FLOW, "Missing"),
                "no state named `Missing` in this scope",
            ),
            expect![[r#"
                error[unknown-state]: no state named `Missing` in this scope
                 --> flow.yaml:8:11
                  |
                8 |     Next: Missing
                  |           ^^^^^^^

            "#]],
        );
    }

    #[test]
    fn cjk_underline_sits_under_the_characters() {
        // 视频理解 is four characters of display width 2 each: column 7 in characters, eight carets.
        let source = "Type: StateMachine\nName: 视频理解\n";
        check(
            source,
            Diagnostic::warning(
                Code::InvalidValue,
                at(source, "视频理解"),
                "flow names allow letters, digits, `_` and `-`",
            ),
            expect![[r#"
                warning[invalid-value]: flow names allow letters, digits, `_` and `-`
                 --> flow.yaml:2:7
                  |
                2 | Name: 视频理解
                  |       ^^^^^^^^

            "#]],
        );
    }

    #[test]
    fn multi_line_range_and_fix() {
        let start = FLOW.find("  - Type: Pass").unwrap() as u32;
        // Ends right after the line break of line 7: line 8 must not be shown.
        let end = FLOW.find("    Next:").unwrap() as u32;
        check(
            FLOW,
            Diagnostic::error(
                Code::MissingTransition,
                TextRange::new(start, end),
                "state `Start` has no way out",
            )
            .with_fix("add `End: true`", TextRange::empty(end), "    End: true\n"),
            expect![[r#"
                error[missing-transition]: state `Start` has no way out
                 --> flow.yaml:6:1
                  |
                6 | /   - Type: Pass
                7 | |     Name: Start
                  | |_______________^
                  |
                  = help: add `End: true`

            "#]],
        );
    }

    #[test]
    fn hints_and_notes_use_their_own_names() {
        let source = "a: 1\n";
        check(
            source,
            Diagnostic::new(Code::DocQuirk, Severity::Hint, at(source, "a"), "hint text"),
            expect![[r#"
                hint[doc-quirk]: hint text
                 --> flow.yaml:1:1
                  |
                1 | a: 1
                  | ^

            "#]],
        );
        check(
            source,
            Diagnostic::new(Code::DocQuirk, Severity::Information, at(source, "1"), "note text"),
            expect![[r#"
                note[doc-quirk]: note text
                 --> flow.yaml:1:4
                  |
                1 | a: 1
                  |    ^

            "#]],
        );
    }

    #[test]
    fn empty_file_and_end_of_file() {
        check(
            "",
            Diagnostic::error(Code::MissingKey, TextRange::empty(0), "empty document"),
            expect![[r#"
                error[missing-key]: empty document
                 --> flow.yaml:1:1
                  |
                1 |
                  | ^

            "#]],
        );
    }

    /// Every range over a text with CJK, emoji, tabs, CRLF, lone CR and empty lines renders
    /// without panicking, including stale ranges past the end or inside a character.
    #[test]
    fn any_range_renders() {
        let source = "a:\t视频\r\nb: 😀x\r\rc:\n\n d: [1, 2]";
        let text = SourceText::new(source);
        let n = source.len() as u32 + 3;
        for start in 0..n {
            for end in start..n {
                let d = Diagnostic::error(Code::InvalidValue, TextRange::new(start, end), "m");
                let out = render_diagnostic("f.yaml", &text, &d, false);
                assert!(out.starts_with("error[invalid-value]: m\n"), "{start}..{end}: {out}");
            }
        }
    }

    #[test]
    fn colour_only_on_request() {
        let text = SourceText::new("a: 1\n");
        let d = Diagnostic::error(Code::InvalidValue, TextRange::new(3, 4), "m");
        assert!(!render_diagnostic("f", &text, &d, false).contains('\x1b'));
        assert!(render_diagnostic("f", &text, &d, true).contains('\x1b'));
    }

    #[test]
    fn summaries() {
        let tally = |errors, warnings, notes, hints, files, unreadable| Tally {
            errors,
            warnings,
            notes,
            hints,
            files,
            unreadable,
        };
        expect!["no problems in 3 files"].assert_eq(&summary(&tally(0, 0, 0, 0, 3, 0)));
        expect!["2 errors, 1 warning in 3 files"].assert_eq(&summary(&tally(2, 1, 0, 0, 3, 0)));
        expect!["1 error, 2 notes, 1 hint in 1 file"].assert_eq(&summary(&tally(1, 0, 2, 1, 1, 0)));
        expect!["no problems in 1 file; 2 files could not be checked"]
            .assert_eq(&summary(&tally(0, 0, 0, 0, 1, 2)));
    }
}
