//! The editor's edit path on any text and any edit script: every edit applied as the
//! language server applies it, through `ide::Document::edit` (a snapshot per edit) and
//! through `ide::Pending` (bursts, brought up to date at points the script chooses), with
//! diagnostics asked for on the way so that the document's cache of unchanged states is
//! used. The end must equal a fresh parse of the final text: the same text, tree, syntax
//! errors and diagnostics.
//!
//! Input: the starting text, then `\n#~edits\n` and the script's bytes (each edit: where,
//! how many bytes it replaces, whether to bring the burst up to date after it, the text
//! inserted). Offsets may fall inside a character, as a confused client's could.

#![no_main]

use fdl::ide::{Config, Document, Pending};
use fdl::syntax::{TextRange, dump};
use libfuzzer_sys::arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

const SEPARATOR: &[u8] = b"\n#~edits\n";

#[derive(Debug)]
struct Step {
    at: u16,
    len: u8,
    flush: bool,
    insert: String,
}

/// Read by hand from the bytes (no derive: that would take the `arbitrary` crate's
/// derive feature as one more dependency).
fn step(u: &mut Unstructured<'_>) -> Option<Step> {
    Some(Step {
        at: u.arbitrary().ok()?,
        len: u.arbitrary().ok()?,
        flush: u.arbitrary().ok()?,
        insert: String::arbitrary(u).ok()?,
    })
}

fn split(data: &[u8]) -> (String, Vec<Step>) {
    let Some(at) = data.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) else {
        return (String::from_utf8_lossy(data).into_owned(), Vec::new());
    };
    let text = String::from_utf8_lossy(&data[..at]).into_owned();
    let mut u = Unstructured::new(&data[at + SEPARATOR.len()..]);
    let mut steps = Vec::new();
    while steps.len() < 24
        && !u.is_empty()
        && let Some(s) = step(&mut u)
    {
        steps.push(s);
    }
    (text, steps)
}

/// What `SourceText::edit` does with a range: clamped to the text, ends moved back to the
/// start of the character they fall in.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn shape(doc: &Document) -> String {
    let tree = doc.tree.root().map(dump).unwrap_or_default();
    format!("{tree}{:?}", doc.tree.errors())
}

fuzz_target!(|data: &[u8]| {
    let (base, steps) = split(data);
    let config = Config::default();
    let start = Document::new(&base);
    let _ = start.diagnostics(&config);
    let mut expected = base.clone();
    let mut one_by_one = start.clone();
    let mut burst_base = start.clone();
    let mut pending = Pending::new(&start);
    for step in steps {
        let s = step.at as usize;
        let e = s + step.len as usize;
        let range = TextRange::new(s as u32, e as u32);
        let (fs, fe) = (floor(&expected, s), floor(&expected, e).max(floor(&expected, s)));
        expected.replace_range(fs..fe, &step.insert);
        one_by_one = one_by_one.edit(range, &step.insert);
        pending.apply(range, &step.insert);
        assert_eq!(pending.text.to_string_lossless(), expected, "the burst's text after editing {range:?}");
        if step.flush {
            burst_base = pending.into_document(&burst_base);
            let _ = burst_base.diagnostics(&config);
            pending = Pending::new(&burst_base);
            let _ = one_by_one.diagnostics(&config);
        }
    }
    let burst = pending.into_document(&burst_base);
    let fresh = Document::new(&expected);
    for (what, doc) in [("edit by edit", &one_by_one), ("in bursts", &burst)] {
        assert_eq!(doc.text.to_string_lossless(), expected, "text {what}");
        assert_eq!(shape(doc), shape(&fresh), "tree {what}");
        assert_eq!(doc.diagnostics(&config), fresh.diagnostics(&config), "diagnostics {what}");
    }
});
