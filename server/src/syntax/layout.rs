//! Splits a document into units that are parsed independently: the entries of the top-level
//! mapping and the items of a top-level block list (`States:` / `steps:`), found from the
//! indentation of lines alone. This is what confines a syntax error to one state, and what
//! lets an edit re-parse only the states it touched.
//!
//! The rule is YAML's own: a unit goes on while lines are indented deeper than its first
//! line. A document that is one flow mapping is split by `flow` instead. Anything the
//! scanners cannot split safely (a top-level list, several documents, directives) is
//! parsed as one `Whole` unit.

use super::text::SourceText;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnitKind {
    /// `key: value` at the root indentation.
    Entry,
    /// `- item` of the block list that is the value of the preceding entry.
    Item { dash: u32 },
    /// A line indented where nothing can start (a YAML error): parsed only for its errors.
    Stray,
    /// A line at the root indentation inside a top-level list that is no `key:` (a key
    /// being typed): parsed only for its errors, and the list goes on after it. Without
    /// this, the half-typed line would swallow every item below it into one unit.
    Loose { dash: u32 },
    /// The whole document in one piece.
    Whole,
    /// A flow document (see `flow`): blank lines and comments before the root `{`.
    FlowPrelude,
    /// `{` or `,` and one `key: value` of the root mapping.
    FlowEntry,
    /// `{` or `,` and the key of an entry whose value is a list split into items.
    FlowHeader,
    /// `[` or `,` and one item of that list.
    FlowItem,
    /// The `]` that closes the list, and blanks and comments after it.
    FlowListEnd,
    /// The root's closing `}` and the rest of the document (blanks and comments).
    FlowEnd,
    /// Zero-length, at the end of a flow document whose root mapping (or list of states)
    /// is not closed: where the missing brackets are reported.
    FlowUnclosed,
    /// A flow document that stops making sense (`flow::RecoveringScanner` found no character
    /// to blank), from the unit where the scan failed to the end: its syntax error and no
    /// node. `in_list`: that unit was in the list of states; `bracket`: it starts with the
    /// `]` or `}` that closes the list or the root, not with a separator.
    FlowRest { in_list: bool, bracket: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    Blocks {
        root_indent: u32,
    },
    /// One flow mapping (`{…}`), split by `flow::FlowScanner`.
    Flow,
    Whole,
}

/// What one line looks like from the outside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineShape {
    Blank,
    /// `---`, `...` or `%DIRECTIVE` in column 0.
    Marker,
    Content {
        indent: u32,
        dash: bool,
        open_header: bool,
        flow_or_complex: bool,
        /// The line has a `key:` (a colon followed by a space or the line's end).
        key: bool,
    },
}

pub(crate) fn shape(line: &str) -> LineShape {
    match shape_lead(line) {
        LineLead::Blank => LineShape::Blank,
        LineLead::Marker => LineShape::Marker,
        // Tab-indented: no indentation YAML would accept. Keep it inside the current unit,
        // which reports the tab where it is.
        LineLead::Tab => LineShape::Content {
            indent: u32::MAX,
            dash: false,
            open_header: false,
            flow_or_complex: false,
            key: false,
        },
        LineLead::Content { indent, body } => {
            let dash = body.starts_with('-') && matches!(body.as_bytes().get(1), None | Some(b' ' | b'\t'));
            let flow_or_complex = body.starts_with(['[', '{', '?']);
            let key = has_key_colon(body);
            LineShape::Content {
                indent,
                dash,
                open_header: !dash && is_open_header(body),
                flow_or_complex,
                key,
            }
        }
    }
}

enum LineLead<'s> {
    Blank,
    Marker,
    Tab,
    /// The indentation and the line after it (line break removed).
    Content {
        indent: u32,
        body: &'s str,
    },
}

fn shape_lead(line: &str) -> LineLead<'_> {
    let line = line.trim_end_matches(['\n', '\r']);
    if line.starts_with("---") || line.starts_with("...") || line.starts_with('%') {
        let rest = &line[3.min(line.len())..];
        if line.starts_with('%') || rest.is_empty() || rest.starts_with([' ', '\t']) {
            return LineLead::Marker;
        }
    }
    let body = line.trim_start_matches(' ');
    let indent = (line.len() - body.len()) as u32;
    let trimmed = body.trim_start_matches(['\t', ' ']);
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return LineLead::Blank;
    }
    if body.starts_with('\t') {
        return LineLead::Tab;
    }
    LineLead::Content { indent, body }
}

/// Whether a line has a colon followed by a space, a tab or the line's end (quoted text
/// aside): what makes it a `key:` rather than a scalar.
fn has_key_colon(body: &str) -> bool {
    let b = body.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &c) in b.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'#' && i > 0 && b[i - 1] == b' ' => return false,
            None if c == b':' && matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n')) => {
                return true;
            }
            None => {}
        }
    }
    false
}

/// `key:` with no value on the line (a comment may follow): the value is a block below.
fn is_open_header(body: &str) -> bool {
    let rest = if let Some(q) = body.chars().next().filter(|c| *c == '"' || *c == '\'') {
        match body[1..].find(q) {
            Some(end) => &body[end + 2..],
            None => return false,
        }
    } else {
        if body.starts_with(['&', '*', '!', '|', '>', '[', '{', '@', '`']) {
            return false;
        }
        body
    };
    let bytes = rest.as_bytes();
    let Some(colon) =
        (0..bytes.len()).find(|&i| bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')))
    else {
        return false;
    };
    let after = rest[colon + 1..].trim_start_matches([' ', '\t']);
    after.is_empty() || after.starts_with('#')
}

/// Decides how a document is split, from its first content lines.
pub(crate) fn detect(text: &SourceText) -> (Layout, u32) {
    let rope = text.rope();
    let mut offset = 0u32;
    let mut seen_doc_start = false;
    for line in rope.lines() {
        let s = line.to_string();
        let len = s.len() as u32;
        match shape(&s) {
            LineShape::Blank => {}
            LineShape::Marker => {
                if s.starts_with("---") && !seen_doc_start {
                    seen_doc_start = true;
                } else {
                    return (Layout::Whole, 0);
                }
            }
            LineShape::Content { indent, dash, flow_or_complex, .. } => {
                if s.trim_start_matches(' ').starts_with('{') && !seen_doc_start {
                    return (Layout::Flow, 0);
                }
                if dash || flow_or_complex {
                    return (Layout::Whole, 0);
                }
                return (Layout::Blocks { root_indent: indent }, offset);
            }
        }
        offset += len;
    }
    (Layout::Blocks { root_indent: 0 }, text.len())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Root,
    Seq { dash: u32 },
}

/// A unit boundary: where a unit starts and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Boundary {
    pub(crate) start: u32,
    pub(crate) kind: UnitKind,
}

/// Why scanning had to stop: a construct that needs the whole-document parser.
#[derive(Debug)]
pub(crate) struct NeedsWhole;

/// Walks lines from a unit boundary and reports the following unit boundaries.
pub(crate) struct Scanner<'t> {
    text: &'t SourceText,
    root_indent: u32,
    line: usize,
    offset: u32,
    state: State,
    first_kind: UnitKind,
    /// The current unit is an entry whose header opens a block and has no body yet.
    open_header_pending: bool,
    started: bool,
}

impl<'t> Scanner<'t> {
    /// Starts at `offset`, which must be the start of a line that begins a unit of `kind`.
    pub(crate) fn new(text: &'t SourceText, root_indent: u32, offset: u32, kind: UnitKind) -> Self {
        let state = match kind {
            UnitKind::Item { dash } | UnitKind::Loose { dash } => State::Seq { dash },
            _ => State::Root,
        };
        Scanner {
            text,
            root_indent,
            line: text.line_of(offset) as usize,
            offset,
            state,
            first_kind: kind,
            open_header_pending: false,
            started: false,
        }
    }

    pub(crate) fn next_boundary(&mut self) -> Result<Option<Boundary>, NeedsWhole> {
        let rope = self.text.rope();
        let total = rope.len_lines();
        if self.line >= total {
            return Ok(None);
        }
        // One walk down the rope per boundary, not one per line.
        let lines = rope.lines_at(self.line);
        for slice in lines {
            if self.line >= total {
                break;
            }
            let owned;
            let s: &str = match slice.as_str() {
                Some(s) => s,
                None => {
                    owned = slice.to_string();
                    &owned
                }
            };
            let line_start = self.offset;
            self.offset += s.len() as u32;
            self.line += 1;
            // What decides a boundary is read only as far as needed: the colon of a key and
            // an open header are looked for on the few lines where they matter.
            let (indent, dash, body) = match indent_and_dash(s) {
                Lead::Blank => continue,
                Lead::Marker => return Err(NeedsWhole),
                Lead::Content { indent, dash, body } => (indent, dash, body),
            };
            if let Some(kind) = self.classify(indent, dash, || has_key_colon(body)) {
                self.open_header_pending = kind == UnitKind::Entry && !dash && is_open_header(body);
                self.started = true;
                return Ok(Some(Boundary { start: line_start, kind }));
            }
            self.open_header_pending = false;
        }
        Ok(None)
    }

    /// The kind of unit this line starts, or `None` when it continues the current unit.
    fn classify(&mut self, indent: u32, dash: bool, key: impl FnOnce() -> bool) -> Option<UnitKind> {
        let r = self.root_indent;
        if !self.started {
            return Some(self.first_kind);
        }
        if let State::Seq { dash: d } = self.state {
            if indent == d && dash {
                return Some(UnitKind::Item { dash: d });
            }
            if indent > d {
                return None;
            }
            // Deeper than the root but not the list's: inside the root entry's block.
            if indent == r && !dash && d > r && !key() {
                return Some(UnitKind::Loose { dash: d });
            }
            self.state = State::Root;
            return Some(if indent == r && !dash { UnitKind::Entry } else { UnitKind::Stray });
        }
        if self.open_header_pending && dash && indent >= r {
            self.state = State::Seq { dash: indent };
            return Some(UnitKind::Item { dash: indent });
        }
        if indent > r {
            return None;
        }
        Some(if indent == r && !dash { UnitKind::Entry } else { UnitKind::Stray })
    }
}

/// The start of a line as the scanner needs it; [`shape`] reads the same, and more.
enum Lead<'s> {
    Blank,
    Marker,
    /// Indentation, whether the line is a list item, and the line after its indentation.
    Content {
        indent: u32,
        dash: bool,
        body: &'s str,
    },
}

fn indent_and_dash(line: &str) -> Lead<'_> {
    match shape_lead(line) {
        LineLead::Blank => Lead::Blank,
        LineLead::Marker => Lead::Marker,
        LineLead::Tab => Lead::Content { indent: u32::MAX, dash: false, body: "" },
        LineLead::Content { indent, body } => {
            let dash = body.starts_with('-') && matches!(body.as_bytes().get(1), None | Some(b' ' | b'\t'));
            Lead::Content { indent, dash, body }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boundaries(src: &str) -> Vec<(u32, UnitKind)> {
        let text = SourceText::new(src);
        let (layout, first) = detect(&text);
        let Layout::Blocks { root_indent } = layout else { return vec![(0, UnitKind::Whole)] };
        let mut scanner = Scanner::new(&text, root_indent, first, UnitKind::Entry);
        let mut out = Vec::new();
        while let Ok(Some(b)) = scanner.next_boundary() {
            out.push((text.line_of(b.start), b.kind));
        }
        out
    }

    #[test]
    fn splits_root_entries_and_top_level_items() {
        let src = "# c\nType: StateMachine\nStates:\n  - Type: Pass\n    Name: A\n\n  - Type: Parallel\n    Branches:\n      - States:\n          - x\nStartAt: A\n";
        assert_eq!(
            boundaries(src),
            vec![
                (1, UnitKind::Entry),
                (2, UnitKind::Entry),
                (3, UnitKind::Item { dash: 2 }),
                (6, UnitKind::Item { dash: 2 }),
                (10, UnitKind::Entry),
            ]
        );
    }

    #[test]
    fn compact_lists_and_strays() {
        let src = "steps:\n- a\n- b\nname: x\n  - stray\nDescription: |\n  - not an item\n";
        assert_eq!(
            boundaries(src),
            vec![
                (0, UnitKind::Entry),
                (1, UnitKind::Item { dash: 0 }),
                (2, UnitKind::Item { dash: 0 }),
                (3, UnitKind::Entry),
                (5, UnitKind::Entry),
            ]
        );
        assert_eq!(boundaries("- a\n- b\n"), vec![(0, UnitKind::Whole)]);
        assert_eq!(boundaries("a: 1\n---\nb: 2\n").len(), 1);
    }

    #[test]
    fn a_key_being_typed_inside_the_list_does_not_swallow_it() {
        let src =
            "States:\n  - Type: Pass\n    Name: A\nSta\n  - Type: Pass\n    Name: B\nStartAt: A\n  - x\n";
        assert_eq!(
            boundaries(src),
            vec![
                (0, UnitKind::Entry),
                (1, UnitKind::Item { dash: 2 }),
                (3, UnitKind::Loose { dash: 2 }),
                (4, UnitKind::Item { dash: 2 }),
                (6, UnitKind::Entry),
            ]
        );
    }

    #[test]
    fn headers() {
        assert!(is_open_header("States:"));
        assert!(is_open_header("States:   # the states"));
        assert!(is_open_header("\"States\":"));
        assert!(!is_open_header("States: []"));
        assert!(!is_open_header("Condition:$Input.x"));
        assert!(!is_open_header("Description: |"));
        assert!(has_key_colon("a: b") && has_key_colon("a:") && has_key_colon("\"a: b\":"));
        assert!(
            !has_key_colon("Sta")
                && !has_key_colon("acs:fc")
                && !has_key_colon("\"a: b\"")
                && !has_key_colon("x # a: b")
        );
    }
}
