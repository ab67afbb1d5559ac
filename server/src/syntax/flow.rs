//! Splits a document written as one flow mapping (`{Type: StateMachine, States: [{…}, …]}`,
//! often all on one line, or JSON) into units, as `layout` does for block documents: each
//! entry of the root mapping, and each item of an entry whose value is a flow list. An
//! edit then re-parses the items it touched, not the whole document.
//!
//! Each unit is parsed on its own in flow context, with the separator that starts it
//! (`{`, `[` or `,`) turned into the bracket that opens it and the closing bracket added
//! after it, so that every position stays where it is: `, Name: A` is parsed as
//! `{ Name: A}`, `, {Type: Pass}` as `[ {Type: Pass}]`. The tree assembled from them is the
//! tree of the whole document. Only clean documents are split: when the scan finds
//! something it does not follow, or a unit does not parse as exactly one entry or item
//! without error, the document is parsed as one unit, so syntax errors and their messages
//! are those of the whole-document parser.

use super::layout::{Boundary, NeedsWhole, UnitKind};
use super::text::SourceText;

/// What the scan is inside of, outside quotes and comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Before the root `{`: blank lines and comments.
    Prelude,
    /// Inside the root mapping (and what it holds).
    Root,
    /// After the root `}`: blank lines and comments.
    After,
}

/// Walks a flow document from a unit boundary and reports the unit boundaries that follow,
/// each once the unit's end (and so its kind) is known.
pub(crate) struct FlowScanner<'t> {
    bytes: std::iter::Peekable<ropey::iter::Bytes<'t>>,
    /// Offset of the next byte `bump` returns.
    at: u32,
    phase: Phase,
    /// Open brackets inside the root mapping (`{` or `[`), outermost first.
    stack: Vec<u8>,
    /// The bracket at depth 1 of `stack` is a list whose items are units.
    split_list: bool,
    /// In the current root entry: its `:` was seen; a value token was seen after it.
    colon: bool,
    valued: bool,
    /// The entry's list value was closed: only blanks and comments may follow it.
    closed: bool,
    /// Inside a plain scalar (where quotes are text and `#` needs a blank before it).
    plain: bool,
    /// The last token was a quoted scalar or a closed collection: a `:` right after it is
    /// a value indicator even without a blank (JSON style).
    after_closed: bool,
    /// The last byte was a blank or a line break.
    blank_before: bool,
    /// Indentation of the current line so far: `Some(has_tab)` until its first other byte.
    indent: Option<bool>,
    /// The unit in progress: where it starts and what it is so far.
    current: Option<Boundary>,
    /// The unit in progress has a token after its separator: `[a, , b]` is an error that
    /// only the whole-document parser reports.
    filled: bool,
    /// The unit in progress started at a `,`.
    comma: bool,
}

impl<'t> FlowScanner<'t> {
    /// Starts at `offset`, the start of a unit of `kind` (one of the flow kinds).
    pub(crate) fn new(text: &'t SourceText, offset: u32, kind: UnitKind) -> FlowScanner<'t> {
        let offset = offset.min(text.len());
        let line_start = offset == 0 || text.line_start(text.line_of(offset)) == offset;
        let mut scanner = FlowScanner {
            bytes: text.rope().bytes_at(offset as usize).peekable(),
            at: offset,
            phase: Phase::Root,
            stack: Vec::new(),
            split_list: false,
            colon: false,
            valued: false,
            closed: false,
            plain: false,
            after_closed: false,
            blank_before: line_start,
            indent: line_start.then_some(false),
            current: None,
            filled: false,
            comma: false,
        };
        let (phase, stack, kind): (Phase, &[u8], UnitKind) = match kind {
            UnitKind::FlowPrelude => (Phase::Prelude, &[], UnitKind::FlowPrelude),
            // The separator `{` or `,` is consumed by the first `next_boundary`.
            UnitKind::FlowEntry | UnitKind::FlowHeader => (Phase::Root, &[], UnitKind::FlowEntry),
            UnitKind::FlowItem => (Phase::Root, b"[", UnitKind::FlowItem),
            UnitKind::FlowListEnd => (Phase::Root, b"[", UnitKind::FlowListEnd),
            UnitKind::FlowEnd => (Phase::Root, &[], UnitKind::FlowEnd),
            _ => (Phase::Root, &[], kind),
        };
        scanner.phase = phase;
        scanner.stack.extend_from_slice(stack);
        scanner.split_list = !stack.is_empty();
        scanner.current = Some(Boundary { start: offset, kind });
        scanner
    }

    /// The next byte, keeping track of line starts; a content line indented with a tab is
    /// a YAML error, which only the whole-document parser reports.
    fn bump(&mut self) -> Result<Option<u8>, NeedsWhole> {
        let Some(b) = self.bytes.next() else { return Ok(None) };
        self.at += 1;
        if let Some(tab) = self.indent {
            match b {
                b' ' => {}
                b'\t' => self.indent = Some(true),
                b'#' | b'\n' | b'\r' => self.indent = None,
                _ if tab => return Err(NeedsWhole),
                _ => self.indent = None,
            }
        }
        if b == b'\n' || (b == b'\r' && self.bytes.peek() != Some(&b'\n')) {
            self.indent = Some(false);
        }
        Ok(Some(b))
    }

    fn peek(&mut self) -> Option<u8> {
        self.bytes.peek().copied()
    }

    /// Starts a unit of `kind` at `start`, handing back the one it ends.
    fn open(&mut self, start: u32, kind: UnitKind) -> Option<Boundary> {
        self.filled = false;
        self.current.replace(Boundary { start, kind })
    }

    fn skip_comment(&mut self) -> Result<(), NeedsWhole> {
        while let Some(b) = self.peek() {
            if b == b'\n' || b == b'\r' {
                break;
            }
            self.bump()?;
        }
        self.plain = false;
        Ok(())
    }

    fn skip_quoted(&mut self, quote: u8) -> Result<(), NeedsWhole> {
        loop {
            match self.bump()? {
                None => return Err(NeedsWhole),
                Some(b'\\') if quote == b'"' => {
                    self.bump()?;
                }
                Some(b) if b == quote => {
                    if quote == b'\'' && self.peek() == Some(b'\'') {
                        self.bump()?;
                        continue;
                    }
                    return Ok(());
                }
                Some(_) => {}
            }
        }
    }

    /// A value token starts in the current root entry.
    fn value_token(&mut self) {
        if self.stack.is_empty() && self.colon {
            self.valued = true;
        }
    }

    pub(crate) fn next_boundary(&mut self) -> Result<Option<Boundary>, NeedsWhole> {
        loop {
            let start = self.at;
            let Some(b) = self.bump()? else {
                // The end: only after the root mapping was closed.
                return match self.phase {
                    Phase::After => Ok(self.current.take()),
                    _ => Err(NeedsWhole),
                };
            };
            let blank_before = self.blank_before;
            self.blank_before = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
            if self.blank_before {
                continue;
            }
            match self.phase {
                Phase::Prelude | Phase::After => match b {
                    b'#' if blank_before => self.skip_comment()?,
                    b'{' if self.phase == Phase::Prelude => {
                        self.phase = Phase::Root;
                        self.start_entry();
                        if let Some(done) = self.open(start, UnitKind::FlowEntry) {
                            return Ok(Some(done));
                        }
                    }
                    _ => return Err(NeedsWhole),
                },
                Phase::Root => {
                    if let Some(done) = self.root_byte(b, start, blank_before)? {
                        return Ok(Some(done));
                    }
                }
            }
        }
    }

    fn start_entry(&mut self) {
        self.colon = false;
        self.valued = false;
        self.closed = false;
        self.plain = false;
        self.after_closed = false;
    }

    /// One byte inside the root mapping (not a blank); `Some` when it ends a unit.
    fn root_byte(&mut self, b: u8, start: u32, blank_before: bool) -> Result<Option<Boundary>, NeedsWhole> {
        let depth = self.stack.len();
        // The first byte of a unit that starts with its separator.
        if start == self.current.map_or(u32::MAX, |c| c.start) {
            let kind = self.current.map(|c| c.kind);
            match (kind, b) {
                (Some(UnitKind::FlowEntry), b'{' | b',') if depth == 0 => {
                    self.start_entry();
                    self.comma = b == b',';
                    return Ok(None);
                }
                (Some(UnitKind::FlowItem), b'[' | b',') if depth == 1 => {
                    self.plain = false;
                    self.after_closed = false;
                    return Ok(None);
                }
                (Some(UnitKind::FlowListEnd), b']') if depth == 1 => {
                    self.stack.clear();
                    self.split_list = false;
                    self.colon = true;
                    self.valued = true;
                    self.closed = true;
                    self.plain = false;
                    self.filled = true;
                    return Ok(None);
                }
                (Some(UnitKind::FlowEnd), b'}') if depth == 0 => {
                    self.phase = Phase::After;
                    return Ok(None);
                }
                _ => return Err(NeedsWhole),
            }
        }
        let filled = std::mem::replace(&mut self.filled, true);
        match b {
            b',' if (depth == 0 || (depth == 1 && self.split_list)) && !filled => Err(NeedsWhole),
            b',' if depth == 0 => {
                self.start_entry();
                let done = self.open(start, UnitKind::FlowEntry);
                self.comma = true;
                Ok(done)
            }
            b',' if depth == 1 && self.split_list => {
                self.plain = false;
                self.after_closed = false;
                Ok(self.open(start, UnitKind::FlowItem))
            }
            b',' => {
                self.plain = false;
                self.after_closed = false;
                Ok(None)
            }
            _ if self.closed && depth == 0 && b != b'}' && b != b'#' => Err(NeedsWhole),
            // After a trailing comma the parser ends the root mapping at the comma.
            b'}' if depth == 0 && !filled && self.comma => Err(NeedsWhole),
            b'}' if depth == 0 => {
                self.phase = Phase::After;
                Ok(self.open(start, UnitKind::FlowEnd))
            }
            b'[' if depth == 0 && self.colon && !self.valued => {
                // The entry's value is a list: its items become units.
                if let Some(current) = self.current.as_mut() {
                    current.kind = UnitKind::FlowHeader;
                }
                self.stack.push(b'[');
                self.split_list = true;
                self.plain = false;
                Ok(self.open(start, UnitKind::FlowItem))
            }
            b'[' | b'{' => {
                self.value_token();
                self.stack.push(b);
                self.plain = false;
                self.after_closed = false;
                Ok(None)
            }
            b']' | b'}' => {
                let opener = if b == b']' { b'[' } else { b'{' };
                if self.stack.last() != Some(&opener) {
                    return Err(NeedsWhole);
                }
                self.stack.pop();
                self.plain = false;
                self.after_closed = true;
                if depth == 1 && self.split_list {
                    self.split_list = false;
                    self.colon = true;
                    self.valued = true;
                    self.closed = true;
                    let done = self.open(start, UnitKind::FlowListEnd);
                    self.filled = true;
                    return Ok(done);
                }
                Ok(None)
            }
            // A comment needs a blank before it; elsewhere `#` is text of a plain scalar,
            // or an error.
            b'#' if blank_before => {
                self.filled = filled;
                self.skip_comment().map(|()| None)
            }
            b'#' if !self.plain => Err(NeedsWhole),
            _ if self.plain => {
                if b == b':' && self.indicator_follows() {
                    self.plain = false;
                    self.indicator_colon();
                }
                Ok(None)
            }
            b'"' | b'\'' => {
                self.value_token();
                self.skip_quoted(b)?;
                self.after_closed = true;
                Ok(None)
            }
            b':' if self.after_closed || self.indicator_follows() => {
                self.after_closed = false;
                self.indicator_colon();
                Ok(None)
            }
            b'&' | b'!' | b'*' => {
                if b == b'*' {
                    self.value_token();
                }
                while let Some(n) = self.peek() {
                    if matches!(n, b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}') {
                        break;
                    }
                    self.bump()?;
                }
                self.after_closed = b == b'*';
                Ok(None)
            }
            b'?' if self.indicator_follows() => Ok(None),
            _ => {
                self.value_token();
                self.plain = true;
                self.after_closed = false;
                Ok(None)
            }
        }
    }

    /// A `:` followed by a blank, a line break, a flow indicator or the end.
    fn indicator_follows(&mut self) -> bool {
        matches!(self.peek(), None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}'))
    }

    fn indicator_colon(&mut self) {
        if self.stack.is_empty() && !self.colon {
            self.colon = true;
        }
    }
}

/// The text the parser is given for a flow unit: its separator turned into the opening
/// bracket, and the closing bracket added (`{ key: []}` for a list's header). `None` for
/// the parts that hold only blanks and comments.
pub(crate) fn wrap(kind: UnitKind, text: &str) -> Option<String> {
    let (open, close) = match kind {
        UnitKind::FlowEntry => ('{', "}"),
        UnitKind::FlowHeader => ('{', "[]}"),
        UnitKind::FlowItem => ('[', "]"),
        _ => return None,
    };
    let mut fed = String::with_capacity(text.len() + close.len());
    fed.push(open);
    fed.push_str(text.get(1..)?);
    fed.push_str(close);
    Some(fed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boundaries(src: &str) -> Result<Vec<(String, UnitKind)>, NeedsWhole> {
        let text = SourceText::new(src);
        let mut scanner = FlowScanner::new(&text, 0, UnitKind::FlowPrelude);
        let mut out = Vec::new();
        let mut starts = Vec::new();
        while let Some(b) = scanner.next_boundary()? {
            starts.push(b);
        }
        for (i, b) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(src.len(), |n| n.start as usize);
            out.push((src[b.start as usize..end].to_string(), b.kind));
        }
        Ok(out)
    }

    #[test]
    fn splits_root_entries_and_list_items() {
        let src = "# c\n{Type: StateMachine, States: [{Type: Pass, Name: \"a, b\"}, {Name: 'it''s'}], StartAt: a}\n";
        let got = boundaries(src).expect("split");
        let pieces: Vec<String> = got.iter().map(|(t, k)| format!("{k:?} {t:?}")).collect();
        assert_eq!(
            pieces,
            [
                "FlowPrelude \"# c\\n\"",
                "FlowEntry \"{Type: StateMachine\"",
                "FlowHeader \", States: \"",
                "FlowItem \"[{Type: Pass, Name: \\\"a, b\\\"}\"",
                "FlowItem \", {Name: 'it''s'}\"",
                "FlowListEnd \"]\"",
                "FlowEntry \", StartAt: a\"",
                "FlowEnd \"}\\n\"",
            ]
        );
    }

    #[test]
    fn quotes_inside_plain_scalars_are_text_and_comments_end_at_the_line() {
        let src = "{Condition: $Input.a == \"x, y\", b: c # it's, here\n, d: [e]}";
        let got = boundaries(src).expect("split");
        let kinds: Vec<UnitKind> = got.iter().map(|(_, k)| *k).collect();
        // `== "x` is inside a plain scalar: the comma after it separates entries.
        assert_eq!(got[2].0, ", y\"");
        assert_eq!(
            kinds,
            [
                UnitKind::FlowPrelude,
                UnitKind::FlowEntry,
                UnitKind::FlowEntry,
                UnitKind::FlowEntry,
                UnitKind::FlowHeader,
                UnitKind::FlowItem,
                UnitKind::FlowListEnd,
                UnitKind::FlowEnd
            ]
        );
    }

    #[test]
    fn what_it_does_not_follow_is_parsed_whole() {
        for src in [
            "{a: [1, 2}",
            "{a: b",
            "{a: b} c",
            "{a: b}\n---\n{c: d}",
            "x: {a: b}",
            "{a: [1] x}",
            "{a: \"open}",
            "{a: b,\n\tc: d}",
        ] {
            assert!(boundaries(src).is_err(), "{src:?}");
        }
        // A tab inside a line, or on a comment line, is fine.
        assert!(boundaries("{a:\tb,\n\t# c\n  d: e}").is_ok());
    }
}
