//! Positions of many offsets in one pass over the text.
//!
//! [`SourceText::position`] answers one offset at a time (a binary search once the text's
//! line index is built, and building that index walks the whole text byte by byte, again
//! after every edit). An outline or the semantic tokens of a big flow need positions at
//! thousands of increasing offsets: a [`Sweep`] walks the rope's chunks forward once,
//! counting line breaks with `memchr` between one offset and the next, and gives the same
//! answers (a property test checks it).

use crate::syntax::{Position, PositionEncoding, SourceText};

/// A forward walk over a text from some offset, answering positions of increasing offsets
/// relative to where it started: lines counted from the starting line, characters counted
/// from the start offset on that first line and from the line's start on later lines.
/// Started at 0, it answers [`SourceText::position`].
pub(crate) struct Sweep<'t> {
    text: &'t SourceText,
    encoding: PositionEncoding,
    chunks: ropey::iter::Chunks<'t>,
    chunk: &'t [u8],
    /// Where `chunk` starts in the text.
    chunk_start: usize,
    /// Everything before this offset has been counted.
    pos: usize,
    line: u32,
    /// Units (of the encoding) from the line's start, or from the sweep's start on its
    /// first line, to `pos`.
    units: u32,
    /// The byte before `pos` is a CR whose line break depends on the byte at `pos` (a CR
    /// followed by an LF ends its line after the LF).
    pending_cr: bool,
    /// The byte before `pos`, when the sweep has passed it, is a CR.
    after_cr: bool,
}

impl<'t> Sweep<'t> {
    pub(crate) fn new(text: &'t SourceText, from: u32, encoding: PositionEncoding) -> Sweep<'t> {
        let from = text.floor_offset(from) as usize;
        let (chunks, chunk_start, _, _) = text.rope().chunks_at_byte(from);
        let mut sweep = Sweep {
            text,
            encoding,
            chunks,
            chunk: &[],
            chunk_start,
            pos: from,
            line: 0,
            units: 0,
            pending_cr: false,
            after_cr: false,
        };
        sweep.next_chunk();
        sweep
    }

    fn next_chunk(&mut self) -> bool {
        self.chunk_start += self.chunk.len();
        match self.chunks.next() {
            Some(chunk) => {
                self.chunk = chunk.as_bytes();
                true
            }
            None => {
                self.chunk = &[];
                false
            }
        }
    }

    /// The position of `offset` (clamped to the text and moved back to the start of its
    /// character, as [`SourceText::position`] does). Offsets before the last one asked for
    /// answer the last one's position.
    pub(crate) fn at(&mut self, offset: u32) -> Position {
        let target = offset as usize;
        while self.pos < target {
            if self.pos >= self.chunk_start + self.chunk.len() && !self.next_chunk() {
                break;
            }
            let end_of_chunk = self.chunk_start + self.chunk.len();
            let mut end = target.min(end_of_chunk);
            // Chunks hold whole characters: only an offset inside this chunk can fall inside
            // a character.
            while end > self.pos && end < end_of_chunk && is_continuation(self.chunk[end - self.chunk_start])
            {
                end -= 1;
            }
            if end == self.pos {
                break;
            }
            let piece = &self.chunk[self.pos - self.chunk_start..end - self.chunk_start];
            self.count(piece);
            self.pos = end;
        }
        if self.pending_cr && self.text.rope().get_byte(self.pos) != Some(b'\n') {
            self.break_line();
        }
        Position { line: self.line, character: self.units }
    }

    /// Whether the byte before the last offset answered is a CR the sweep passed over: the
    /// position then depends on the byte after it.
    pub(crate) fn after_cr(&self) -> bool {
        self.after_cr
    }

    fn break_line(&mut self) {
        self.line += 1;
        self.units = 0;
        self.pending_cr = false;
    }

    /// Counts the line breaks and units of `piece`, the bytes from `pos` on.
    fn count(&mut self, piece: &[u8]) {
        self.after_cr = piece.last() == Some(&b'\r');
        if self.pending_cr {
            if piece[0] == b'\n' {
                // The LF ends the CR's line; it is counted below.
                self.pending_cr = false;
            } else {
                self.break_line();
            }
        }
        if memchr::memchr(b'\r', piece).is_none() {
            match memchr::memrchr(b'\n', piece) {
                Some(last) => {
                    self.line += memchr::memchr_iter(b'\n', &piece[..last]).count() as u32 + 1;
                    self.units = units(&piece[last + 1..], self.encoding);
                }
                None => self.units += units(piece, self.encoding),
            }
            return;
        }
        // CRs: a byte at a time (rare in practice).
        let mut line_from = None;
        for (i, &b) in piece.iter().enumerate() {
            match b {
                b'\n' => {
                    self.line += 1;
                    line_from = Some(i + 1);
                }
                b'\r' => match piece.get(i + 1) {
                    Some(b'\n') => {}
                    Some(_) => {
                        self.line += 1;
                        line_from = Some(i + 1);
                    }
                    None => self.pending_cr = true,
                },
                _ => {}
            }
        }
        match line_from {
            Some(from) => self.units = units(&piece[from..], self.encoding),
            None => self.units += units(piece, self.encoding),
        }
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// How long `bytes` (whole characters) are in the encoding's units.
pub(crate) fn units(bytes: &[u8], encoding: PositionEncoding) -> u32 {
    if encoding == PositionEncoding::Utf8 || bytes.is_ascii() {
        return bytes.len() as u32;
    }
    let chars = bytes.iter().filter(|&&b| !is_continuation(b)).count();
    let astral = match encoding {
        // Characters outside the BMP are two UTF-16 units; their first byte is 0xF0 or more.
        PositionEncoding::Utf16 => bytes.iter().filter(|&&b| b >= 0xF0).count(),
        _ => 0,
    };
    (chars + astral) as u32
}

/// The positions of `offsets` (in any order), with one sweep over the text.
#[cfg(test)]
pub(crate) fn positions(text: &SourceText, offsets: &[u32], encoding: PositionEncoding) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![Position { line: 0, character: 0 }; offsets.len()];
    let mut sweep = Sweep::new(text, 0, encoding);
    for i in order {
        out[i] = sweep.at(offsets[i]);
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "ab", "Name: ", "视频", "😀", "\n", "\r\n", "\r", " ", "x: 1", "\r\r\n", "\n\r",
        ]);
        // Long texts too, so that the rope has many chunks (and CRLFs across their edges).
        prop::collection::vec(piece, 0..3000).prop_map(|v| v.concat())
    }

    fn encoding() -> impl Strategy<Value = PositionEncoding> {
        prop::sample::select(vec![PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Chars])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Any offsets, inside characters and past the end included: the positions
        /// `SourceText::position` gives.
        #[test]
        fn sweep_positions_equal_single_positions(text in text(), at in prop::collection::vec(0.0..1.1f64, 0..60), encoding in encoding()) {
            let source = SourceText::new(&text);
            let offsets: Vec<u32> = at.iter().map(|a| (a * text.len() as f64) as u32).collect();
            let swept = positions(&source, &offsets, encoding);
            for (offset, got) in offsets.iter().zip(swept) {
                prop_assert_eq!(got, source.position(*offset, encoding), "offset {} of {:?}", offset, text);
            }
        }

        /// Started at an offset, lines count from its line and characters on that line from
        /// the offset.
        #[test]
        fn relative_sweeps_count_from_their_start(text in text(), from in 0.0..1.0f64, at in prop::collection::vec(0.0..1.0f64, 0..30), encoding in encoding()) {
            let source = SourceText::new(&text);
            let from = source.floor_offset((from * text.len() as f64) as u32);
            let base = source.position(from, encoding);
            let mut offsets: Vec<u32> = at.iter().map(|a| from + (a * (text.len() as u32 - from) as f64) as u32).collect();
            offsets.sort();
            let mut sweep = Sweep::new(&source, from, encoding);
            for offset in offsets {
                let got = sweep.at(offset);
                let mut want = source.position(offset, encoding);
                want.line -= base.line;
                if want.line == 0 {
                    want.character -= base.character;
                }
                prop_assert_eq!(got, want, "offset {} from {} of {:?}", offset, from, text);
            }
        }
    }

    #[test]
    fn a_cr_before_an_lf_ends_its_line_after_the_lf() {
        let text = SourceText::new("a\r\nb\rc");
        let got = positions(&text, &[0, 1, 2, 3, 4, 5, 6, 7], PositionEncoding::Utf16);
        let want: Vec<Position> = (0..8).map(|o| text.position(o, PositionEncoding::Utf16)).collect();
        assert_eq!(got, want);
        assert_eq!(got[2], Position { line: 0, character: 2 });
        assert_eq!(got[5], Position { line: 2, character: 0 });
    }
}
