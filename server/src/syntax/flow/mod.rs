//! Splits a document written as one flow mapping (`{Type: StateMachine, States: [{…}, …]}`,
//! often all on one line, or JSON) into units, as `layout` does for block documents: each
//! entry of the root mapping, and each item of an entry whose value is a flow list. An
//! edit then re-parses the items it touched, not the whole document.
//!
//! Each unit is parsed on its own in flow context, with the separator that starts it
//! (`{`, `[` or `,`) turned into the bracket that opens it and the closing bracket added
//! after it, so that every position stays where it is: `, Name: A` is parsed as
//! `{ Name: A}`, `, {Type: Pass}` as `[ {Type: Pass}]`. The tree assembled from them is the
//! tree of the whole document. Clean documents are split; when the scan finds something it
//! does not follow, or a unit does not parse as exactly one entry or item without error,
//! the document is parsed as one unit, so syntax errors and their messages are those of
//! the whole-document parser.
//!
//! Except for what typing leaves behind for a moment: a quote or a bracket not closed yet,
//! or one closing nothing. The whole-document parser would read an open quote to the end
//! of the file and drop the one line that is often the whole flow; re-parsing a megabyte on
//! every keystroke until the quote is closed is also too slow. `RecoveringScanner` blanks
//! the culprit instead (as `unit` blanks a broken line of a block document: one character,
//! so positions hold), reports it as an error of its unit and splits the rest as usual.
//! A document whose root mapping (or list of states) is not closed at its end is split too,
//! with an error, as if it were closed there.

use super::layout::{Boundary, NeedsWhole, UnitKind};
use super::text::SourceText;

mod recovery;

pub(crate) use recovery::RecoveringScanner;

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
    /// Open brackets inside the root mapping (`{` or `[`) and where they are, outermost first.
    stack: Vec<(u8, u32)>,
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
    /// Offsets read as a blank (culprits blanked by `RecoveringScanner`), ascending, and
    /// the first of them not passed yet.
    blanks: Vec<u32>,
    next_blank: usize,
    /// Why the last `NeedsWhole` was returned, when a blanked character could mend it.
    failure: Option<Failure>,
    /// Where the first quoted scalars of the unit in progress that look like they swallowed
    /// a bracket and a comma start: a quote typed and not closed yet pairs with the next one
    /// in the document, and the unit runs on past its end, to wherever the scan fails.
    unit_quotes: Vec<(u8, u32)>,
    /// Scanning stops (`NeedsWhole`) past this offset: a trial needs to go no further.
    limit: u32,
}

/// What the scan stopped at, in the unit in progress, and the characters that blanked one
/// at a time could let the unit end: tried in this order.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    unit: Boundary,
    /// Where the scan stopped.
    at: u32,
    /// Quotes, then brackets (`bracket` true): a blanked bracket must let the unit go on
    /// past where the scan stopped, to mend what stopped it.
    candidates: Vec<(Culprit, bool)>,
    /// The scan stopped at the end of the text (blanks may follow).
    at_end: bool,
}

/// A character blanked by recovery and the error reported at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Culprit {
    pub(crate) at: u32,
    pub(crate) message: &'static str,
}

/// How many characters one document may have blanked before it is parsed whole: typing
/// leaves one or two; a document with more open quotes is in no state to be split.
const MAX_BLANKS: usize = 8;
/// How many openers of the unit in progress are tried, innermost first.
const MAX_OPENER_CANDIDATES: usize = 3;
/// How many quotes of the unit in progress are tried, first first.
const MAX_QUOTE_CANDIDATES: usize = 8;

impl<'t> FlowScanner<'t> {
    /// Starts at `offset`, the start of a unit of `kind` (one of the flow kinds).
    pub(crate) fn new(text: &'t SourceText, offset: u32, kind: UnitKind) -> FlowScanner<'t> {
        Self::with_blanks(text, offset, kind, Vec::new())
    }

    /// Like `new`, reading the bytes at `blanks` (ascending) as blanks.
    /// Scanning stops past `limit`.
    fn limit_to(&mut self, limit: u32) {
        self.limit = limit;
    }

    fn with_blanks(text: &'t SourceText, offset: u32, kind: UnitKind, blanks: Vec<u32>) -> FlowScanner<'t> {
        let offset = offset.min(text.len());
        let next_blank = blanks.partition_point(|&b| b < offset);
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
            blanks,
            next_blank,
            failure: None,
            unit_quotes: Vec::new(),
            limit: u32::MAX,
        };
        // A unit inside the list of states starts inside its `[`, which is in an earlier
        // unit (its offset stands for "outside the unit in progress").
        let (phase, stack, kind): (Phase, &[(u8, u32)], UnitKind) = match kind {
            UnitKind::FlowPrelude => (Phase::Prelude, &[], UnitKind::FlowPrelude),
            // The separator `{` or `,` is consumed by the first `next_boundary`.
            UnitKind::FlowEntry | UnitKind::FlowHeader => (Phase::Root, &[], UnitKind::FlowEntry),
            UnitKind::FlowItem => (Phase::Root, &[(b'[', 0)], UnitKind::FlowItem),
            UnitKind::FlowListEnd => (Phase::Root, &[(b'[', 0)], UnitKind::FlowListEnd),
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
        let Some(mut b) = self.bytes.next() else { return Ok(None) };
        if self.blanks.get(self.next_blank) == Some(&self.at) {
            b = b' ';
            self.next_blank += 1;
        }
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
        let b = self.bytes.peek().copied()?;
        Some(if self.blanks.get(self.next_blank) == Some(&self.at) { b' ' } else { b })
    }

    /// Starts a unit of `kind` at `start`, handing back the one it ends.
    fn open(&mut self, start: u32, kind: UnitKind) -> Option<Boundary> {
        self.filled = false;
        self.unit_quotes.clear();
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

    /// Skips a quoted scalar; true when it holds a closing bracket followed by a comma (`}, `
    /// or `],`): what a quote that pairs with the wrong one swallows, rarely a real string.
    fn skip_quoted(&mut self, quote: u8) -> Result<bool, NeedsWhole> {
        let mut after_closer = false;
        let mut swallowed = false;
        loop {
            match self.bump()? {
                None => return Err(NeedsWhole),
                Some(b'\\') if quote == b'"' => {
                    self.bump()?;
                    after_closer = false;
                }
                Some(b) if b == quote => {
                    if quote == b'\'' && self.peek() == Some(b'\'') {
                        self.bump()?;
                        after_closer = false;
                        continue;
                    }
                    return Ok(swallowed);
                }
                Some(b'}' | b']') => after_closer = true,
                Some(b',') if after_closer => swallowed = true,
                Some(b' ' | b'\t' | b'\n' | b'\r') => {}
                Some(_) => after_closer = false,
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
            if self.at > self.limit {
                return Err(NeedsWhole);
            }
            let Some(b) = self.bump()? else { return self.at_the_end() };
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

    /// The end of the text: the root mapping was closed, or the unit in progress is the last
    /// one and a zero-length `FlowUnclosed` unit stands for the brackets that are missing
    /// (when the unit itself has none open), or the openers of the unit are the culprits.
    fn at_the_end(&mut self) -> Result<Option<Boundary>, NeedsWhole> {
        match self.phase {
            Phase::After => Ok(self.current.take()),
            Phase::Prelude => Err(NeedsWhole),
            Phase::Root if self.stack.len() <= self.unit_base() => {
                self.phase = Phase::After;
                Ok(self.current.replace(Boundary { start: self.at, kind: UnitKind::FlowUnclosed }))
            }
            Phase::Root => self.fail(None, None),
        }
    }

    /// How many brackets of `stack` belong to units before the one in progress: the list of
    /// states, whose items are units.
    fn unit_base(&self) -> usize {
        usize::from(self.split_list)
    }

    /// Gives up on the unit in progress, naming what could be blanked to mend it: `first`,
    /// then the brackets the unit opened and did not close, innermost first, then `last`.
    fn fail<T>(&mut self, first: Option<Culprit>, last: Option<Culprit>) -> Result<T, NeedsWhole> {
        if let Some(unit) = self.current {
            let base = self.unit_base();
            let openers = self.stack[base.min(self.stack.len())..]
                .iter()
                .rev()
                .filter(|(_, at)| *at > unit.start)
                .take(MAX_OPENER_CANDIDATES)
                .map(|&(b, at)| Culprit {
                    at,
                    message: if b == b'{' { "this `{` is never closed" } else { "this `[` is never closed" },
                });
            let quotes = self
                .unit_quotes
                .iter()
                .filter(|(_, at)| first.is_none_or(|f| f.at != *at))
                .map(|&(q, at)| Culprit { at, message: quote_message(q) });
            let candidates: Vec<(Culprit, bool)> = first
                .into_iter()
                .chain(quotes)
                .map(|c| (c, false))
                .chain(openers.chain(last).map(|c| (c, true)))
                .collect();
            if !candidates.is_empty() {
                let at_end = self.bytes.clone().all(|b| b.is_ascii_whitespace());
                self.failure = Some(Failure { unit, at: self.at, candidates, at_end });
            }
        }
        Err(NeedsWhole)
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
                self.stack.push((b'[', start));
                self.split_list = true;
                self.plain = false;
                Ok(self.open(start, UnitKind::FlowItem))
            }
            b'[' | b'{' => {
                self.value_token();
                self.stack.push((b, start));
                self.plain = false;
                self.after_closed = false;
                Ok(None)
            }
            b']' | b'}' => {
                let opener = if b == b']' { b'[' } else { b'{' };
                if self.stack.last().map(|(o, _)| *o) != Some(opener) {
                    let message = match (b, self.stack.is_empty()) {
                        (b']', true) => "this `]` closes nothing",
                        (b']', false) => "this `]` does not close the `{` that is open here",
                        (_, true) => "this `}` closes nothing",
                        _ => "this `}` does not close the `[` that is open here",
                    };
                    return self.fail(None, Some(Culprit { at: start, message }));
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
                match self.skip_quoted(b) {
                    Ok(swallowed) => {
                        if swallowed && self.unit_quotes.len() < MAX_QUOTE_CANDIDATES {
                            self.unit_quotes.push((b, start));
                        }
                    }
                    // Read to the end: the quote is not closed.
                    Err(_) if self.bytes.peek().is_none() => {
                        return self.fail(Some(Culprit { at: start, message: quote_message(b) }), None);
                    }
                    Err(e) => return Err(e),
                }
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

fn quote_message(quote: u8) -> &'static str {
    if quote == b'"' {
        "this `\"` is never closed: the string runs on into what follows"
    } else {
        "this `'` is never closed: the string runs on into what follows"
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
mod tests;
