//! The whole analysis and every editor feature on any text, as YAML and as Terraform, at
//! offsets taken from the input: nothing panics, and every range returned lies in the text
//! on character boundaries.

#![no_main]

use fdl::ide::{self, Config, Document, Language};
use fdl::syntax::TextRange;
use libfuzzer_sys::fuzz_target;

fn ok(text: &str, r: TextRange) {
    assert!(r.start <= r.end && r.end as usize <= text.len(), "{r:?}");
    assert!(text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize), "{r:?}");
}

fuzz_target!(|input: (String, Vec<u16>, bool)| {
    let (text, offsets, terraform) = input;
    let language = if terraform { Language::Terraform } else { Language::Yaml };
    let doc = Document::with_language(&text, language);
    let config = Config::default();
    for d in doc.diagnostics(&config) {
        ok(&text, d.range);
    }
    let mut symbols = ide::document_symbols(&doc);
    while let Some(s) = symbols.pop() {
        ok(&text, s.range);
        symbols.extend(s.children);
    }
    for f in ide::folding_ranges(&doc) {
        ok(&text, f.range);
    }
    for (r, _) in ide::semantic_tokens(&doc) {
        ok(&text, r);
    }
    for at in offsets.into_iter().take(8) {
        let mut offset = (at as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let offset = offset as u32;
        for item in ide::completions(&doc, &config, offset) {
            ok(&text, item.replace);
        }
        if let Some(h) = ide::hover(&doc, &config, offset) {
            ok(&text, h.range);
        }
        if let Some(t) = ide::definition(&doc, offset) {
            ok(&text, t.focus_range);
        }
        for r in ide::references(&doc, offset, true) {
            ok(&text, r);
        }
        for r in ide::selection_ranges(&doc, offset) {
            ok(&text, r);
        }
        if let Ok(edits) = ide::rename(&doc, offset, "新") {
            for (r, _) in edits {
                ok(&text, r);
            }
        }
        let _ = ide::signature_help(&doc, offset);
        for a in ide::code_actions(&doc, &config, TextRange::empty(offset)) {
            for (r, _) in a.edits {
                ok(&text, r);
            }
        }
    }
});
