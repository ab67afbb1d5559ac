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

/// A `FlowScanner` that mends what typing leaves open: when the unit in progress cannot end
/// (a quote or bracket not closed, a bracket closing nothing), it blanks the first culprit
/// with which the unit ends and scans on; the culprits are the errors of their units.
pub(crate) struct RecoveringScanner<'t> {
    text: &'t SourceText,
    scanner: FlowScanner<'t>,
    culprits: Vec<Culprit>,
    /// A `FlowRest` unit was handed out: nothing follows it.
    rest: bool,
}

impl<'t> RecoveringScanner<'t> {
    pub(crate) fn new(text: &'t SourceText, offset: u32, kind: UnitKind) -> RecoveringScanner<'t> {
        RecoveringScanner {
            text,
            scanner: FlowScanner::new(text, offset, kind),
            culprits: Vec::new(),
            rest: false,
        }
    }

    /// What was blanked so far, in the order of the text.
    pub(crate) fn culprits(&self) -> &[Culprit] {
        &self.culprits
    }

    pub(crate) fn next_boundary(&mut self) -> Result<Option<Boundary>, NeedsWhole> {
        if self.rest {
            return Ok(None);
        }
        match self.scanner.next_boundary() {
            Err(NeedsWhole) => self.mend_or_give_up(),
            done => done,
        }
    }

    /// Mends the unit in progress after the scan failed in it, or gives up on it: the rest
    /// of the document from it is one `FlowRest` unit (parsed only to confirm that the
    /// document is broken; if it is not, the whole document is parsed).
    fn mend_or_give_up(&mut self) -> Result<Option<Boundary>, NeedsWhole> {
        let mended = self.scanner.failure.take().and_then(|failure| self.mend(failure));
        if let Some(unit) = mended {
            return Ok(Some(unit));
        }
        let unit = self.scanner.current.ok_or(NeedsWhole)?;
        let in_list = matches!(unit.kind, UnitKind::FlowItem | UnitKind::FlowListEnd);
        let bracket = matches!(unit.kind, UnitKind::FlowListEnd | UnitKind::FlowEnd);
        if unit.kind == UnitKind::FlowPrelude {
            return Err(NeedsWhole);
        }
        self.rest = true;
        Ok(Some(Boundary { start: unit.start, kind: UnitKind::FlowRest { in_list, bracket } }))
    }

    fn mend(&mut self, failure: Failure) -> Option<Boundary> {
        if self.culprits.len() >= MAX_BLANKS {
            return None;
        }
        // The culprit is the one whose blank lets the unit end soonest: a quote typed and not
        // closed pairs with the next one and the unit runs on, and the scan may only stop far
        // away (often at the end); blanking an earlier quote that was closed pairs the later
        // ones differently and the unit runs on again. A bracket's blank must also let the
        // scan past where it stopped (an outer `{` blanked would end the unit early, at a
        // comma inside it). Each trial stops once it passes the best end so far.
        let mut best: Option<(Culprit, FlowScanner<'t>, Boundary)> = None;
        for (culprit, bracket) in failure.candidates {
            let mut blanks: Vec<u32> = self.culprits.iter().map(|c| c.at).collect();
            blanks.insert(blanks.partition_point(|&b| b < culprit.at), culprit.at);
            let mut trial =
                FlowScanner::with_blanks(self.text, failure.unit.start, failure.unit.kind, blanks);
            if let Some((_, best_trial, _)) = &best {
                trial.limit_to(best_trial.at.saturating_sub(1));
            }
            // The unit ends with this one blanked: the scan goes on from the next unit. It
            // must end before the end of the text, unless that is where the scan stopped:
            // the end stands for any brackets that are missing.
            if let Ok(Some(unit)) = trial.next_boundary()
                && (failure.at_end || trial.current.is_none_or(|c| c.kind != UnitKind::FlowUnclosed))
                && (!bracket || trial.at > failure.at)
            {
                best = Some((culprit, trial, unit));
            }
        }
        let (culprit, mut trial, unit) = best?;
        trial.limit_to(u32::MAX);
        self.culprits.insert(self.culprits.partition_point(|c| c.at < culprit.at), culprit);
        self.scanner = trial;
        Some(unit)
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

    /// The units of `src` as the recovering scanner splits it, and what it blanked.
    fn recovered(src: &str) -> Result<(Vec<String>, Vec<Culprit>), NeedsWhole> {
        let text = SourceText::new(src);
        let mut scanner = RecoveringScanner::new(&text, 0, UnitKind::FlowPrelude);
        let mut starts = Vec::new();
        while let Some(b) = scanner.next_boundary()? {
            starts.push(b);
        }
        let pieces = starts
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let end = starts.get(i + 1).map_or(src.len(), |n| n.start as usize);
                format!("{:?} {:?}", b.kind, &src[b.start as usize..end])
            })
            .collect();
        Ok((pieces, scanner.culprits().to_vec()))
    }

    #[test]
    fn what_typing_leaves_open_is_blanked_and_the_rest_is_split() {
        let blanked = |src: &str| -> Vec<(u32, &'static str)> {
            let (_, culprits) = recovered(src).unwrap_or_else(|_| panic!("not recovered: {src:?}"));
            culprits.iter().map(|c| (c.at, c.message)).collect()
        };
        // A quote not closed yet, in the first entry and in an item.
        assert_eq!(
            blanked("{a: \"open, b: c}"),
            [(4, "this `\"` is never closed: the string runs on into what follows")]
        );
        // One that pairs with the next quote of the document: of the unit's quotes, the one
        // whose blank ends the unit soonest.
        let src = "{S: [{Name: \"a\", C: \"hello, T: P}, {Name: b, X: {k: \"y\"}}, {Name: 'c'}]}";
        assert_eq!(
            blanked(src).iter().map(|c| c.0).collect::<Vec<_>>(),
            [src.find("\"hello").unwrap() as u32]
        );
        let src = "{S: [{Name: 'a', C: 'it, T: P}, {Name: b, X: ['y']}, {Name: \"c\"}]}";
        assert_eq!(
            blanked(src),
            [(
                src.find("'it").unwrap() as u32,
                "this `'` is never closed: the string runs on into what follows"
            )]
        );
        let src = "{States: [{Name: '视频, Type: Pass}, {Name: b}], c: d}";
        let (pieces, culprits) = recovered(src).expect("recovered");
        assert_eq!(culprits.iter().map(|c| c.at).collect::<Vec<_>>(), [src.find('\'').unwrap() as u32]);
        assert_eq!(
            pieces,
            [
                "FlowPrelude \"\"",
                "FlowHeader \"{States: \"",
                "FlowItem \"[{Name: '视频, Type: Pass}\"",
                "FlowItem \", {Name: b}\"",
                "FlowListEnd \"]\"",
                "FlowEntry \", c: d\"",
                "FlowEnd \"}\"",
            ]
        );
        // A bracket opened and not closed: the opener; one closing nothing: the closer.
        assert_eq!(blanked("{S: [{a: [b, c: d}, {e: f}]}"), [(9, "this `[` is never closed")]);
        assert_eq!(
            blanked("{S: [{a: b}}, {e: f}]}"),
            [(11, "this `}` does not close the `[` that is open here")]
        );
        assert_eq!(blanked("{a: {b: c]}, d: e}"), [(9, "this `]` does not close the `{` that is open here")]);
        assert_eq!(blanked("{a: b], c: d}"), [(5, "this `]` closes nothing")]);
        // The list of states not closed: its items end where the document does.
        assert_eq!(blanked("{a: [1, 2}\n"), [(9, "this `}` does not close the `[` that is open here")]);
        // Two at once.
        assert_eq!(blanked("{S: [{a: \"b}, {c: [d}]}").len(), 2);
    }

    #[test]
    fn a_document_that_ends_open_ends_with_an_unclosed_unit() {
        let (pieces, culprits) = recovered("{a: b, S: [{c: d}, {e: f}").expect("split");
        assert!(culprits.is_empty());
        assert_eq!(
            pieces,
            [
                "FlowPrelude \"\"",
                "FlowEntry \"{a: b\"",
                "FlowHeader \", S: \"",
                "FlowItem \"[{c: d}\"",
                "FlowItem \", {e: f}\"",
                "FlowUnclosed \"\"",
            ]
        );
        let (pieces, _) = recovered("{a: b").expect("split");
        assert_eq!(pieces, ["FlowPrelude \"\"", "FlowEntry \"{a: b\"", "FlowUnclosed \"\""]);
    }
}
