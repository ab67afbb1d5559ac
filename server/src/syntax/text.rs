//! Source text and the two coordinate systems around it.
//!
//! Everything inside the crate works with byte offsets into the UTF-8 text. Editors speak in
//! (line, character) positions where "character" is counted in UTF-16 code units by default
//! (LSP) or in UTF-8 bytes when negotiated, and humans read 1-based columns in characters.
//! The conversions live here, backed by a rope so that they stay logarithmic on big files.

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use ropey::Rope;

/// A half-open byte range `[start, end)` into the document text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: u32, end: u32) -> TextRange {
        debug_assert!(start <= end, "inverted range {start}..{end}");
        TextRange { start, end }
    }

    pub fn empty(at: u32) -> TextRange {
        TextRange { start: at, end: at }
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `offset` lies inside the range or touches its end (a cursor right after a
    /// token still belongs to it).
    pub fn contains_inclusive(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn shifted(self, by: u32) -> TextRange {
        TextRange { start: self.start + by, end: self.end + by }
    }

    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn as_usize(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Past this many bytes into a line, a column is computed from the rope's indexes rather
/// than by counting the line's text.
const LONG_COLUMN: usize = 2048;

/// How the `character` of a [`Position`] is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PositionEncoding {
    /// UTF-16 code units: the LSP default, and what the JSON output of `fdl check` uses.
    #[default]
    Utf16,
    /// UTF-8 bytes, for clients that negotiate it.
    Utf8,
    /// Unicode scalar values: what people count, used for `file:line:col` in human output.
    Chars,
}

/// A zero-based line and a zero-based column in the given encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// The document text. Cheap to clone (the rope shares its chunks, and the snapshots of one
/// text share its line index).
#[derive(Clone, Debug, Default)]
pub struct SourceText {
    rope: Rope,
    /// Built by [`SourceText::index_lines`] for callers about to convert thousands of
    /// offsets (an outline, semantic tokens); an edit drops it.
    lines: Arc<OnceLock<LineIndex>>,
}

/// Where each line starts and which lines are pure ASCII, so that a position is a binary
/// search and, on an ASCII line, a subtraction: no walk down the rope.
#[derive(Debug)]
struct LineIndex {
    starts: Vec<u32>,
    /// One bit per line: set when the line has a byte outside ASCII.
    non_ascii: Vec<u64>,
}

impl LineIndex {
    fn of(rope: &Rope) -> LineIndex {
        let mut starts = Vec::with_capacity(rope.len_lines());
        starts.push(0);
        let mut non_ascii = vec![0u64; rope.len_lines().div_ceil(64)];
        let mut offset = 0u32;
        // A CR ends a line unless an LF follows (then the LF ends it), across chunks too.
        let mut after_cr = false;
        for chunk in rope.chunks() {
            for &b in chunk.as_bytes() {
                if after_cr && b != b'\n' {
                    starts.push(offset);
                }
                after_cr = b == b'\r';
                if b == b'\n' {
                    starts.push(offset + 1);
                } else if b >= 0x80 {
                    let line = starts.len() - 1;
                    if let Some(word) = non_ascii.get_mut(line / 64) {
                        *word |= 1 << (line % 64);
                    }
                }
                offset += 1;
            }
        }
        if after_cr {
            starts.push(offset);
        }
        LineIndex { starts, non_ascii }
    }

    /// The line of `offset` and where it starts.
    fn line(&self, offset: u32) -> (usize, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        (line, self.starts.get(line).copied().unwrap_or(0))
    }

    fn is_ascii(&self, line: usize) -> bool {
        self.non_ascii.get(line / 64).is_none_or(|w| w & (1 << (line % 64)) == 0)
    }
}

impl SourceText {
    pub fn new(text: &str) -> SourceText {
        SourceText { rope: Rope::from_str(text), lines: Arc::default() }
    }

    /// Prepares this text for many position conversions (about 1 ms per megabyte, once per
    /// text): [`SourceText::position`] then costs a binary search, not two rope walks.
    pub fn index_lines(&self) {
        self.lines.get_or_init(|| LineIndex::of(&self.rope));
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn len(&self) -> u32 {
        self.rope.len_bytes() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// Copies a byte range out of the rope. Ranges are clamped to the text and to character
    /// boundaries, so a stale range never panics.
    pub fn slice(&self, range: TextRange) -> String {
        let len = self.rope.len_bytes();
        let start = self.floor_char_boundary((range.start as usize).min(len));
        let end = self.floor_char_boundary((range.end as usize).min(len)).max(start);
        self.rope.byte_slice(start..end).to_string()
    }

    pub fn to_string_lossless(&self) -> String {
        self.rope.to_string()
    }

    /// Number of lines as an editor counts them (a final line break opens an empty last line).
    pub fn line_count(&self) -> u32 {
        self.rope.len_lines() as u32
    }

    /// Byte offset where `line` starts; the end of the text for lines past the end.
    pub fn line_start(&self, line: u32) -> u32 {
        let line = line as usize;
        if line >= self.rope.len_lines() {
            return self.len();
        }
        self.rope.line_to_byte(line) as u32
    }

    /// Byte range of `line` without its line break.
    pub fn line_range(&self, line: u32) -> TextRange {
        let start = self.line_start(line);
        let next = self.line_start(line + 1);
        let mut end = next;
        while end > start && matches!(self.rope.get_byte(end as usize - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        TextRange::new(start, end)
    }

    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = (offset as usize).min(self.rope.len_bytes());
        match self.lines.get() {
            Some(index) => index.line(offset as u32).0 as u32,
            None => self.rope.byte_to_line(offset) as u32,
        }
    }

    /// `offset` clamped to the text and moved back to the start of the character it falls
    /// in: where [`SourceText::edit`] puts a range's ends.
    pub fn floor_offset(&self, offset: u32) -> u32 {
        self.floor_char_boundary((offset as usize).min(self.rope.len_bytes())) as u32
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && self.rope.get_byte(offset).is_some_and(|b| (b & 0xC0) == 0x80) {
            offset -= 1;
        }
        offset
    }

    /// The position of a byte offset. Offsets past the end clamp to the end; offsets inside a
    /// multi-byte character snap to its start.
    pub fn position(&self, offset: u32, encoding: PositionEncoding) -> Position {
        let offset = self.floor_char_boundary((offset as usize).min(self.rope.len_bytes()));
        let (line, line_start, ascii) = match self.lines.get() {
            Some(index) => {
                let (line, start) = index.line(offset as u32);
                (line, start as usize, index.is_ascii(line))
            }
            None => {
                let line = self.rope.byte_to_line(offset);
                (line, self.rope.line_to_byte(line), false)
            }
        };
        // The column counts the line's text before the offset, usually a few dozen bytes in
        // one chunk: cheaper than four more walks down the rope (this is on the path of
        // every range the server sends). Far into a long line (a flow written on one line)
        // the rope's indexes answer in logarithmic time instead.
        let character = match encoding {
            PositionEncoding::Utf8 => offset - line_start,
            _ if ascii => offset - line_start,
            _ if offset - line_start > LONG_COLUMN => {
                let (c0, c) = (self.rope.byte_to_char(line_start), self.rope.byte_to_char(offset));
                match encoding {
                    PositionEncoding::Chars => c - c0,
                    _ => self.rope.char_to_utf16_cu(c) - self.rope.char_to_utf16_cu(c0),
                }
            }
            PositionEncoding::Chars | PositionEncoding::Utf16 => {
                let mut n = 0;
                for chunk in self.rope.byte_slice(line_start..offset).chunks() {
                    n += if chunk.is_ascii() {
                        chunk.len()
                    } else if encoding == PositionEncoding::Chars {
                        chunk.chars().count()
                    } else {
                        chunk.chars().map(char::len_utf16).sum()
                    };
                }
                n
            }
        };
        Position { line: line as u32, character: character as u32 }
    }

    /// The byte offset of a position. A line past the end gives the end of the text; a
    /// character past the end of its line gives the end of that line (what LSP asks for).
    pub fn offset(&self, position: Position, encoding: PositionEncoding) -> u32 {
        let line = position.line as usize;
        if line >= self.rope.len_lines() {
            return self.len();
        }
        let line_range = self.line_range(position.line);
        let line_start = line_range.start as usize;
        let line_end = line_range.end as usize;
        let want = position.character as usize;
        let offset = match encoding {
            PositionEncoding::Utf8 => self.floor_char_boundary((line_start + want).min(line_end)),
            PositionEncoding::Chars => {
                let c0 = self.rope.byte_to_char(line_start);
                let c_end = self.rope.byte_to_char(line_end);
                self.rope.char_to_byte((c0 + want).min(c_end))
            }
            PositionEncoding::Utf16 => {
                let c0 = self.rope.byte_to_char(line_start);
                let c_end = self.rope.byte_to_char(line_end);
                let u0 = self.rope.char_to_utf16_cu(c0);
                let u_end = self.rope.char_to_utf16_cu(c_end);
                let c = self.rope.utf16_cu_to_char((u0 + want).min(u_end));
                self.rope.char_to_byte(c)
            }
        };
        offset as u32
    }

    /// Replaces a byte range. Offsets are clamped to character boundaries.
    pub fn edit(&mut self, range: TextRange, new_text: &str) {
        let len = self.rope.len_bytes();
        let start = self.floor_char_boundary((range.start as usize).min(len));
        let end = self.floor_char_boundary((range.end as usize).min(len)).max(start);
        let c_start = self.rope.byte_to_char(start);
        let c_end = self.rope.byte_to_char(end);
        self.rope.remove(c_start..c_end);
        self.rope.insert(c_start, new_text);
        self.lines = Arc::default();
    }
}

impl From<&str> for SourceText {
    fn from(text: &str) -> SourceText {
        SourceText::new(text)
    }
}

/// For the property tests that replay random edits: the byte bounds of an edit starting at
/// fraction `at` of `text` and spanning `len` bytes, both moved back to a character start.
#[cfg(test)]
pub(crate) fn random_edit_bounds(text: &str, at: f64, len: usize) -> (usize, usize) {
    let mut start = ((at * text.len() as f64) as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_chars_and_bytes() {
        // 视频 is two BMP characters (3 bytes, 1 UTF-16 unit each); 😀 is 4 bytes, 2 units.
        let text = SourceText::new("a: 1\nName: 视频😀x\n");
        let x = text.to_string_lossless().find('x').unwrap() as u32;
        assert_eq!(text.position(x, PositionEncoding::Utf16), Position { line: 1, character: 10 });
        assert_eq!(text.position(x, PositionEncoding::Chars), Position { line: 1, character: 9 });
        assert_eq!(text.position(x, PositionEncoding::Utf8), Position { line: 1, character: 16 });
        for enc in [PositionEncoding::Utf16, PositionEncoding::Chars, PositionEncoding::Utf8] {
            assert_eq!(text.offset(text.position(x, enc), enc), x);
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = SourceText::new("ab\r\ncd");
        assert_eq!(text.offset(Position { line: 0, character: 99 }, PositionEncoding::Utf16), 2);
        assert_eq!(text.offset(Position { line: 9, character: 0 }, PositionEncoding::Utf16), 6);
        assert_eq!(text.position(99, PositionEncoding::Utf16), Position { line: 1, character: 2 });
        assert_eq!(text.line_range(0), TextRange::new(0, 2));
        // Inside the surrogate pair of 😀 snaps to its start.
        let text = SourceText::new("😀b");
        assert_eq!(text.offset(Position { line: 0, character: 1 }, PositionEncoding::Utf16), 0);
        assert_eq!(text.position(2, PositionEncoding::Utf16), Position { line: 0, character: 0 });
    }

    proptest::proptest! {
        /// Positions agree with counting the line's characters directly, on texts long
        /// enough to span many rope chunks, with CJK, emoji and CRLF line ends.
        #[test]
        fn positions_match_a_direct_count(pieces in proptest::collection::vec(proptest::sample::select(vec!["ab", "视频", "😀", "\n", "\r\n", " ", "x: 1"]), 0..3000), at in 0.0..1.0f64) {
            check_position(&pieces.concat(), at)?;
        }

        /// With the line index, positions are the same as without, CR-only line ends included.
        #[test]
        fn indexed_positions_are_the_same(pieces in proptest::collection::vec(proptest::sample::select(vec!["ab", "视频", "😀", "\n", "\r\n", "\r", " ", "x: 1"]), 0..3000)) {
            let s: String = pieces.concat();
            let plain = SourceText::new(&s);
            let indexed = SourceText::new(&s);
            indexed.index_lines();
            for offset in (0..=s.len() as u32 + 2).step_by(7) {
                for enc in [PositionEncoding::Utf8, PositionEncoding::Chars, PositionEncoding::Utf16] {
                    proptest::prop_assert_eq!(indexed.position(offset, enc), plain.position(offset, enc), "offset {}", offset);
                }
                proptest::prop_assert_eq!(indexed.line_of(offset), plain.line_of(offset));
            }
        }

        /// Columns far into a long line (a flow on one line) are counted from the rope's
        /// indexes: the same numbers.
        #[test]
        fn positions_on_long_lines_match_a_direct_count(pieces in proptest::collection::vec(proptest::sample::select(vec!["ab", "视频", "😀", " ", "x: 1"]), 0..6000), at in 0.0..1.0f64, newline in 0.0..1.0f64) {
            let mut s: String = pieces.concat();
            let mut cut = (s.len() as f64 * newline) as usize;
            while !s.is_char_boundary(cut) { cut -= 1; }
            s.insert(cut, '\n');
            check_position(&s, at)?;
        }
    }

    /// The position of the offset at `at` (a fraction of the text) against a direct count.
    fn check_position(s: &str, at: f64) -> Result<(), proptest::test_runner::TestCaseError> {
        let text = SourceText::new(s);
        let mut offset = (s.len() as f64 * at) as usize;
        while !s.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &s[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() as u32;
        let col = &s[line_start..offset];
        for (enc, character) in [
            (PositionEncoding::Utf8, col.len()),
            (PositionEncoding::Chars, col.chars().count()),
            (PositionEncoding::Utf16, col.chars().map(char::len_utf16).sum()),
        ] {
            proptest::prop_assert_eq!(
                text.position(offset as u32, enc),
                Position { line, character: character as u32 }
            );
        }
        Ok(())
    }

    #[test]
    fn edits_apply_by_byte_range() {
        let mut text = SourceText::new("Name: 视频\n");
        text.index_lines();
        text.edit(TextRange::new(0, 0), "视频\n");
        // The line index of the text before the edit is gone with it.
        assert_eq!(text.position(13, PositionEncoding::Utf16), Position { line: 1, character: 6 });
        text.edit(TextRange::new(0, 7), "");
        text.edit(TextRange::new(6, 9), "短");
        assert_eq!(text.to_string_lossless(), "Name: 短频\n");
        text.edit(TextRange::new(100, 200), "!");
        assert_eq!(text.to_string_lossless(), "Name: 短频\n!");
    }
}
