//! The byte layout of `schema/catalog/catalog.bin`, shared by the generator (which writes
//! it in tests) and the loader (which reads it at run time).
//!
//! ```text
//! file    = MAGIC, varint index_len, deflate(index), varint n, n × varint blob_len, blobs
//! blob    = deflate(product), one per product of the index, in index order (len 0: no detail)
//! index   = varint n, n × head
//! head    = code, name, name_zh, style, version, varint api_count,
//!           varint n, n × (name, u8 deprecated)          APIs of the default version, sorted
//!           varint n, n × (name, version)                APIs found only in other versions
//! product = varint n, n × string                         string table; string 0 is ""
//!           varint n, n × schema                         parameter schemas, children first
//!           varint n, n × (varint name, varint summary, u8 deprecated, varint n, n × varint schema)
//! schema  = varint name, u8 type, varint flags, then the fields the flags announce
//! ```
//!
//! Strings are `varint len, UTF-8 bytes`. Compression stays outside the payloads, so the
//! freshness test compares payloads and does not depend on the compressor's exact output.
//! Reading never panics: a malformed payload reads as `None`.

use crate::integrations::ParamType;

pub(crate) const MAGIC: &[u8; 8] = b"FDLCAT\x00\x01";

/// Schema flags.
pub(crate) const REQUIRED: u64 = 1;
pub(crate) const DEPRECATED: u64 = 1 << 1;
pub(crate) const EXCLUSIVE_MIN: u64 = 1 << 2;
pub(crate) const EXCLUSIVE_MAX: u64 = 1 << 3;
pub(crate) const HAS_DESCRIPTION: u64 = 1 << 4;
pub(crate) const HAS_LOCATION: u64 = 1 << 5;
pub(crate) const HAS_STYLE: u64 = 1 << 6;
pub(crate) const HAS_FORMAT: u64 = 1 << 7;
pub(crate) const HAS_MIN: u64 = 1 << 8;
pub(crate) const HAS_MAX: u64 = 1 << 9;
pub(crate) const HAS_MIN_LENGTH: u64 = 1 << 10;
pub(crate) const HAS_MAX_LENGTH: u64 = 1 << 11;
pub(crate) const HAS_MIN_ITEMS: u64 = 1 << 12;
pub(crate) const HAS_MAX_ITEMS: u64 = 1 << 13;
pub(crate) const HAS_PATTERN: u64 = 1 << 14;
pub(crate) const HAS_ENUM: u64 = 1 << 15;
pub(crate) const HAS_ITEMS: u64 = 1 << 16;
pub(crate) const HAS_PROPERTIES: u64 = 1 << 17;

/// Upper bound on inflated payloads: the largest product is about 1 MiB inflated.
pub(crate) const MAX_PAYLOAD: usize = 64 << 20;

#[cfg(test)]
pub(crate) fn type_code(ty: ParamType) -> u8 {
    match ty {
        ParamType::String => 0,
        ParamType::Integer => 1,
        ParamType::Number => 2,
        ParamType::Boolean => 3,
        ParamType::Array => 4,
        ParamType::Object => 5,
        ParamType::Any => 6,
    }
}

pub(crate) fn type_from_code(code: u8) -> Option<ParamType> {
    Some(match code {
        0 => ParamType::String,
        1 => ParamType::Integer,
        2 => ParamType::Number,
        3 => ParamType::Boolean,
        4 => ParamType::Array,
        5 => ParamType::Object,
        6 => ParamType::Any,
        _ => return None,
    })
}

/// A cursor over a payload.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn is_at_end(&self) -> bool {
        self.pos == self.buf.len()
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        let b = *self.buf.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    pub(crate) fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A count of items that each take at least one byte: bounded by what is left, so a
    /// corrupt count cannot ask for a huge allocation.
    pub(crate) fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n <= self.buf.len() - self.pos).then_some(n)
    }

    pub(crate) fn index(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(len)?;
        let out = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let len = self.count()?;
        std::str::from_utf8(self.bytes(len)?).ok()
    }
}

/// Inflates one payload.
pub(crate) fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(data, MAX_PAYLOAD).ok()
}

/// The parts of a catalog file: the inflated index and the still deflated product blobs.
pub(crate) struct Container<'a> {
    pub(crate) index: Vec<u8>,
    pub(crate) blobs: Vec<&'a [u8]>,
}

pub(crate) fn split_container(file: &[u8]) -> Option<Container<'_>> {
    let mut r = Reader::new(file);
    if r.bytes(MAGIC.len())? != MAGIC {
        return None;
    }
    let index_len = r.count()?;
    let index = inflate(r.bytes(index_len)?)?;
    let n = r.count()?;
    let lens: Vec<usize> = (0..n).map(|_| r.count()).collect::<Option<_>>()?;
    let blobs = lens.into_iter().map(|len| r.bytes(len)).collect::<Option<Vec<_>>>()?;
    r.is_at_end().then_some(Container { index, blobs })
}

#[cfg(test)]
pub(crate) mod write {
    //! The writing side, used only by the generator.

    use super::MAGIC;

    #[derive(Default)]
    pub(crate) struct Writer {
        pub(crate) buf: Vec<u8>,
    }

    impl Writer {
        pub(crate) fn u8(&mut self, b: u8) {
            self.buf.push(b);
        }

        pub(crate) fn varint(&mut self, mut v: u64) {
            loop {
                let b = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    self.buf.push(b);
                    return;
                }
                self.buf.push(b | 0x80);
            }
        }

        pub(crate) fn str(&mut self, s: &str) {
            self.varint(s.len() as u64);
            self.buf.extend_from_slice(s.as_bytes());
        }
    }

    /// Level 10 is miniz's slowest and smallest; it only runs when the data is regenerated.
    pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec(data, 10)
    }

    /// Packs the payloads into a catalog file. `products[i]` is `None` for a product of the
    /// index without API detail.
    pub(crate) fn container(index: &[u8], products: &[Option<Vec<u8>>]) -> Vec<u8> {
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        let index = deflate(index);
        w.varint(index.len() as u64);
        w.buf.extend_from_slice(&index);
        let blobs: Vec<Vec<u8>> =
            products.iter().map(|p| p.as_deref().map(deflate).unwrap_or_default()).collect();
        w.varint(blobs.len() as u64);
        for b in &blobs {
            w.varint(b.len() as u64);
        }
        for b in &blobs {
            w.buf.extend_from_slice(b);
        }
        w.buf
    }
}

#[cfg(test)]
mod tests {
    use super::write::Writer;
    use super::*;

    #[test]
    fn varints_round_trip_and_truncation_is_detected() {
        let mut w = Writer::default();
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            w.varint(v);
        }
        w.str("视频");
        let mut r = Reader::new(&w.buf);
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            assert_eq!(r.varint(), Some(v));
        }
        assert_eq!(r.str(), Some("视频"));
        assert!(r.is_at_end());
        assert_eq!(r.varint(), None);
        let mut r = Reader::new(&[0x80, 0x80]);
        assert_eq!(r.varint(), None);
        // A count larger than the rest of the buffer is refused.
        let mut r = Reader::new(&[0x05, b'a']);
        assert_eq!(r.str(), None);
    }

    #[test]
    fn containers_round_trip_and_garbage_is_refused() {
        let file = write::container(b"index", &[Some(b"first".to_vec()), None, Some(vec![7; 1000])]);
        let c = split_container(&file).unwrap();
        assert_eq!(c.index, b"index");
        assert_eq!(c.blobs.len(), 3);
        assert_eq!(inflate(c.blobs[0]).unwrap(), b"first");
        assert!(c.blobs[1].is_empty());
        assert_eq!(inflate(c.blobs[2]).unwrap(), vec![7; 1000]);
        assert!(split_container(b"").is_none());
        assert!(split_container(&file[..file.len() - 1]).is_none());
        let mut bad = file.clone();
        bad[0] = b'X';
        assert!(split_container(&bad).is_none());
    }
}
