//! What the outline and the semantic tokens share: answers assembled from per-state pieces
//! that `ide` keeps between snapshots (the same `Arc` while a state is unchanged), each
//! converted once to positions relative to the state's start and placed with the one
//! position of that start.

use super::sweep::Sweep;
use crate::syntax::{Position, PositionEncoding, SourceText};

/// A position relative to a piece's start: lines from the start's line; characters from
/// the start on that first line, from the line's start after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Relative {
    pub(crate) line: u32,
    pub(crate) character: u32,
}

impl Relative {
    /// The document position, given the position of the piece's start.
    pub(crate) fn placed(self, start: Position) -> Position {
        if self.line == 0 {
            Position { line: start.line, character: start.character + self.character }
        } else {
            Position { line: start.line + self.line, character: self.character }
        }
    }
}

/// The relative positions of `offsets` (document offsets at or after `at`, in any order).
/// `None` when they may depend on text after the piece: an offset right after a CR, whose
/// line break depends on the next byte. Such pieces are converted afresh every time.
pub(crate) fn relative(
    text: &SourceText,
    at: u32,
    offsets: &[u32],
    encoding: PositionEncoding,
) -> (Vec<Relative>, bool) {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![Relative { line: 0, character: 0 }; offsets.len()];
    let mut sweep = Sweep::new(text, at, encoding);
    let mut keep = true;
    for i in order {
        let p = sweep.at(offsets[i]);
        out[i] = Relative { line: p.line, character: p.character };
        if sweep.after_cr() {
            keep = false;
        }
    }
    (out, keep)
}

/// The document positions of increasing offsets (the starts of pieces). An offset before
/// the previous one starts the walk over from the beginning.
pub(crate) struct Starts<'t> {
    text: &'t SourceText,
    encoding: PositionEncoding,
    sweep: Sweep<'t>,
    last: u32,
}

impl<'t> Starts<'t> {
    pub(crate) fn new(text: &'t SourceText, encoding: PositionEncoding) -> Starts<'t> {
        Starts { text, encoding, sweep: Sweep::new(text, 0, encoding), last: 0 }
    }

    pub(crate) fn at(&mut self, offset: u32) -> Position {
        if offset < self.last {
            self.sweep = Sweep::new(self.text, 0, self.encoding);
        }
        self.last = offset;
        self.sweep.at(offset)
    }
}

/// JSON text with positions left open: each hole is written as `{"line":…,"character":…}`
/// once the piece's start is known.
#[derive(Clone, Debug, Default)]
pub(crate) struct Template {
    json: Vec<u8>,
    /// Where each position goes in `json`, in order, and the position.
    holes: Vec<(usize, Relative)>,
}

/// A [`Template`] being written: positions are noted as document offsets, converted when
/// it is finished.
#[derive(Default)]
pub(crate) struct TemplateWriter {
    pub(crate) json: Vec<u8>,
    holes: Vec<(usize, u32)>,
}

impl TemplateWriter {
    /// A position to fill in here.
    pub(crate) fn position(&mut self, offset: u32) {
        self.holes.push((self.json.len(), offset));
    }

    /// `{"start":…,"end":…}`.
    pub(crate) fn range(&mut self, start: u32, end: u32) {
        self.json.extend_from_slice(b"{\"start\":");
        self.position(start);
        self.json.extend_from_slice(b",\"end\":");
        self.position(end);
        self.json.push(b'}');
    }

    pub(crate) fn str(&mut self, s: &str) {
        string(&mut self.json, s);
    }

    pub(crate) fn raw(&mut self, s: &str) {
        self.json.extend_from_slice(s.as_bytes());
    }

    /// The template of a piece starting at `at`; whether it may be kept (see [`relative`]).
    pub(crate) fn finish(self, text: &SourceText, at: u32, encoding: PositionEncoding) -> (Template, bool) {
        let offsets: Vec<u32> = self.holes.iter().map(|&(_, o)| o).collect();
        let (positions, keep) = relative(text, at, &offsets, encoding);
        let holes = self.holes.iter().map(|&(i, _)| i).zip(positions).collect();
        (Template { json: self.json, holes }, keep)
    }
}

impl Template {
    /// Appends the JSON with the piece's start at `start`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, start: Position) {
        let mut from = 0;
        for &(at, relative) in &self.holes {
            out.extend_from_slice(&self.json[from..at]);
            position(out, relative.placed(start));
            from = at;
        }
        out.extend_from_slice(&self.json[from..]);
    }
}

/// `{"line":…,"character":…}`.
pub(crate) fn position(out: &mut Vec<u8>, p: Position) {
    let mut numbers = itoa::Buffer::new();
    out.extend_from_slice(b"{\"line\":");
    out.extend_from_slice(numbers.format(p.line).as_bytes());
    out.extend_from_slice(b",\"character\":");
    out.extend_from_slice(numbers.format(p.character).as_bytes());
    out.push(b'}');
}

/// A JSON string, escaped as serde_json escapes it.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    // Writing to a Vec cannot fail, and a &str always serializes.
    let _ = serde_json::to_writer(&mut *out, s);
}
