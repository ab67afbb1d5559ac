//! rustc-style output for people, drawn by annotate-snippets (rustc's own renderer).

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet, normalize_untrusted_str};

use crate::analysis::{Diagnostic, Severity};
use crate::syntax::{SourceText, TextRange};

use super::tally::Tally;

/// Renders one diagnostic, ending with a blank line like rustc.
pub fn render_diagnostic(path: &str, text: &SourceText, diagnostic: &Diagnostic, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let excerpt = Excerpt::new(text, diagnostic.range);
    let snippet = Snippet::source(excerpt.source.as_str())
        .line_start(excerpt.first_line as usize + 1)
        .annotation(AnnotationKind::Primary.span(excerpt.span.clone()));
    let title =
        || level(diagnostic.severity).primary_title(diagnostic.message.as_str()).id(diagnostic.code.as_str());
    let mut group = match excerpt.column {
        // A cut line: the renderer would count the column from the cut, so the location
        // line comes from a rendering of the location alone (below).
        Some(_) => title().element(snippet),
        None => title().element(snippet.path(path)),
    };
    for fix in &diagnostic.fixes {
        group = group.element(Level::HELP.message(normalize_untrusted_str(&fix.title)));
    }
    let mut out = renderer.render(&[group]);
    if let Some(column) = excerpt.column {
        let origin = Origin::path(path).line(excerpt.first_line as usize + 1).char_column(column);
        out = with_location(&out, &renderer.render(&[title().element(origin)]));
    }
    out.push_str("\n\n");
    out
}

/// `body` (rendered without a path) with the ` --> path:line:column` line of `located` (the
/// same title and only a location) put after the title, indented like `body`'s gutter.
fn with_location(body: &str, located: &str) -> String {
    let located: Vec<&str> = located.lines().collect();
    let Some(at) = located.iter().position(|l| l.contains("-->")) else { return body.to_string() };
    let mut lines: Vec<String> = body.lines().map(str::to_string).collect();
    // The gutter: the spaces before the `|` of the line that follows the title.
    let gutter = lines.get(at).map_or(1, |l| l.len() - l.trim_start().len()).saturating_sub(1);
    lines.insert(at.min(lines.len()), format!("{}{}", " ".repeat(gutter), located[at].trim_start()));
    lines.join("\n")
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
/// the size of those lines, not of the file. Lines longer than [`LONG_LINE`] (a whole flow
/// written on one line) are cut to a window around the range, so that it costs a window,
/// not the line: a thousand diagnostics on a 1 MB line would otherwise render a gigabyte.
struct Excerpt {
    source: String,
    first_line: u32,
    /// The range relative to `source`, on character boundaries.
    span: std::ops::Range<usize>,
    /// The range's column (1-based, in characters) when a line was cut.
    column: Option<usize>,
}

/// Lines longer than this (in bytes) are shown as a window around the range.
const LONG_LINE: u32 = 4096;
/// How much of a long line is kept on each side of the range's ends.
const WINDOW: u32 = 256;
/// How much of a long line is kept before the range's start or end when the range spans
/// several lines.
const LEAD: u32 = 32;

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
        if (first_line..=last_line).any(|l| text.line_range(l).len() > LONG_LINE) {
            return Excerpt::cut(text, start, end, first_line, last_line);
        }
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
        Excerpt { source, first_line, span: span_start..span_end, column: None }
    }

    /// The excerpt with each long line cut: the first and last lines to a window around the
    /// range's start and end, lines between to their beginning; `…` marks each cut.
    fn cut(text: &SourceText, start: u32, end: u32, first_line: u32, last_line: u32) -> Excerpt {
        let mut source = String::new();
        let (mut span_start, mut span_end) = (0, 0);
        for line in first_line..=last_line {
            let range = text.line_range(line);
            let (mut from, mut to) = (range.start, range.end);
            if range.len() > LONG_LINE {
                let window = |at: u32, before: u32| {
                    (at.saturating_sub(before).max(range.start), at.saturating_add(WINDOW).min(range.end))
                };
                // The renderer centres a range on one line, but draws a range over several
                // lines from the left: there the range's end of the line comes soon after the cut.
                (from, to) = match (line == first_line, line == last_line) {
                    (true, true) if end - start <= 2 * WINDOW => (window(start, WINDOW).0, window(end, 0).1),
                    (true, true) => window(start, WINDOW),
                    (true, false) => window(start, LEAD),
                    (false, true) => window(end, LEAD),
                    (false, false) => (range.start, range.start + WINDOW),
                };
                from = floor_boundary(text, from);
                to = floor_boundary(text, to).max(from);
            }
            if from > range.start {
                source.push('…');
            }
            let at = |offset: u32, source: &String| source.len() + (offset.clamp(from, to) - from) as usize;
            if line == first_line {
                span_start = at(start, &source);
            }
            if line == last_line {
                span_end = at(end, &source);
            }
            let piece = text.slice(TextRange::new(from, to));
            source.push_str(&piece.replace('\r', " "));
            if to < range.end {
                source.push('…');
            }
            if line != last_line {
                source.push('\n');
            }
        }
        let rope = text.rope();
        let line_start = text.line_start(first_line) as usize;
        let column = rope.byte_to_char(start as usize) - rope.byte_to_char(line_start) + 1;
        Excerpt { source, first_line, span: span_start..span_end.max(span_start), column: Some(column) }
    }
}

/// `at`, or the start of the character it falls in.
fn floor_boundary(text: &SourceText, mut at: u32) -> u32 {
    let rope = text.rope();
    while at > 0 && rope.get_byte(at as usize).is_some_and(|b| (b & 0xC0) == 0x80) {
        at -= 1;
    }
    at
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

    /// A flow written on one long line: a window of the line around the range, `…` where
    /// it is cut, the column counted from the line's real start, the carets under the range.
    fn long_line(states: usize, name: &str) -> String {
        let mut s = String::from("{Type: StateMachine, StartAt: S0, States: [");
        for i in 0..states {
            s.push_str(&format!("{{Type: Pass, Name: S{i}, Next: S{}}}, ", i + 1));
        }
        s.push_str(&format!(
            "{{Type: Pass, Name: {name}, Next: Nowhere}}, {{Type: Succeed, Name: End}}]}}\n"
        ));
        s
    }

    #[test]
    fn a_long_ascii_line_is_shown_as_a_window_around_the_range() {
        let source = long_line(200, "Last");
        check(
            &source,
            Diagnostic::error(
                Code::UnknownState,
                at(&source, "Nowhere"),
                "no state named `Nowhere` in this scope",
            ),
            expect![[r#"
                error[unknown-state]: no state named `Nowhere` in this scope
                 --> flow.yaml:1:7457
                  |
                1 | ...ass, Name: S199, Next: S200}, {Type: Pass, Name: Last, Next: Nowhere}, {Type: Succeed, Name: End}]}
                  |                                                                 ^^^^^^^

            "#]],
        );
        // In colour too, the location line is there, in the gutter.
        let d = Diagnostic::error(Code::UnknownState, at(&source, "Nowhere"), "m");
        let coloured = render_diagnostic("flow.yaml", &SourceText::new(&source), &d, true);
        let mut plain = String::new();
        let mut escape = false;
        for c in coloured.chars() {
            match c {
                '\x1b' => escape = true,
                'm' if escape => escape = false,
                _ if escape => {}
                _ => plain.push(c),
            }
        }
        assert!(plain.starts_with("error[unknown-state]: m\n --> flow.yaml:1:7457\n  |\n1 | ..."), "{plain}");
    }
    #[test]
    fn a_long_cjk_line_keeps_the_carets_under_the_characters() {
        let source = long_line(200, "视频理解").replace("Type: Pass", "Type: 通过");
        check(
            &source,
            Diagnostic::warning(Code::InvalidValue, at(&source, "视频理解"), "a CJK name"),
            expect![[r#"
                warning[invalid-value]: a CJK name
                 --> flow.yaml:1:7043
                  |
                1 | ...9}, {Type: 通过, Name: S199, Next: S200}, {Type: 通过, Name: 视频理解, Next: Nowhere}, {Type: Succeed, Name: End}]}
                  |                                                                 ^^^^^^^^

            "#]],
        );
        // Near the start of the line: no cut before it.
        check(
            &source,
            Diagnostic::error(Code::InvalidValue, at(&source, "StateMachine"), "at the start"),
            expect![[r#"
                error[invalid-value]: at the start
                 --> flow.yaml:1:8
                  |
                1 | {Type: StateMachine, StartAt: S0, States: [{Type: 通过, Name: S0, Next: S1}, {Type: 通过, Name: S1, Next: S2}, {Type: 通过, Name: S2,...
                  |        ^^^^^^^^^^^^

            "#]],
        );
    }

    #[test]
    fn a_long_range_on_a_long_line_and_a_range_onto_the_next_line() {
        let source = long_line(200, "Last");
        let from = source.find("S100").unwrap() as u32;
        check(
            &source,
            Diagnostic::error(Code::InvalidValue, TextRange::new(from, from + 2000), "long range"),
            expect![[r#"
                error[invalid-value]: long range
                 --> flow.yaml:1:3619
                  |
                1 | ...t: S100}, {Type: Pass, Name: S100, Next: S101}, {Type: Pass, Name: S101, Next: S102}, {Type: Pass, Name: S102, Next: S103}, {Type: Pass, Name: S103, Next: S104}, {Type: Pass, Name: S104, Next: S105}, {Type: Pass, Name: S105, Next: S106}, {Type: Pass, Name: S1…
                  |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

            "#]],
        );
        let source = format!("{}next: line\n", long_line(200, "Last"));
        let from = source.find("Nowhere").unwrap() as u32;
        let to = source.find("line").unwrap() as u32;
        check(
            &source,
            Diagnostic::error(Code::InvalidValue, TextRange::new(from, to), "onto the next line"),
            expect![[r#"
                error[invalid-value]: onto the next line
                 --> flow.yaml:1:7457
                  |
                1 |   … {Type: Pass, Name: Last, Next: Nowhere}, {Type: Succeed, Name: End}]}
                  |  __________________________________^
                2 | | next: line
                  | |______^

            "#]],
        );
    }

    /// Rendering costs the window, not the line: any range on a megabyte line renders to
    /// a few hundred bytes per line shown.
    #[test]
    fn rendering_on_a_megabyte_line_is_bounded() {
        let source = long_line(30_000, "视频理解");
        assert!(source.len() > 1_000_000);
        let text = SourceText::new(&source);
        let n = source.len() as u32;
        for (start, end) in [(0, 1), (n / 2, n / 2 + 5), (n / 3, n / 2), (n - 3, n), (n, n), (1, n)] {
            let d = Diagnostic::error(Code::InvalidValue, TextRange::new(start, end), "m");
            let out = render_diagnostic("f.yaml", &text, &d, false);
            assert!(out.len() < 2 * (2 * WINDOW as usize + 64) + 200, "{start}..{end}: {} bytes", out.len());
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
