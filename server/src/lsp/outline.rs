//! `textDocument/documentSymbol` written as JSON text: each top-level state's symbols are
//! written once as a [`Template`] (positions relative to the state) and kept while `ide`
//! hands out the same symbol; an answer places every state's template at its start. The
//! text is what serde_json makes of the `ls_types` answer `convert` builds (a test compares
//! them), without the `Value` tower-lsp-server would build (see `output`).

use tower_lsp_server::ls_types::Uri;

use super::convert;
use super::pieces::{Starts, Template, TemplateWriter};
use crate::analysis::by_identity::ByIdentity;
use crate::ide::{self, Document, Symbol};
use crate::syntax::PositionEncoding;

/// The templates of one document's states, for one way of answering.
#[derive(Default)]
pub(crate) struct OutlineCache {
    form: Option<(PositionEncoding, bool)>,
    templates: ByIdentity<Symbol, Template>,
    /// The length of the last answer, to reserve as much for the next one.
    last_len: usize,
}

/// The answer to `textDocument/documentSymbol`: nested `DocumentSymbol`s when the client
/// takes them (`hierarchical`), else flat `SymbolInformation`s.
pub(crate) fn answer(
    doc: &Document,
    uri: &Uri,
    hierarchical: bool,
    encoding: PositionEncoding,
    cache: &mut OutlineCache,
) -> Vec<u8> {
    let outline = ide::outline(doc);
    if cache.form != Some((encoding, hierarchical)) {
        cache.templates.clear();
        cache.form = Some((encoding, hierarchical));
    }
    let mut starts = Starts::new(&doc.text, encoding);
    let mut out = Vec::with_capacity(cache.last_len + 4096);
    out.push(b'[');
    cache.templates.begin();
    for (i, placed) in outline.symbols.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let start = starts.at(placed.at);
        if let Some(template) = cache.templates.get(&placed.symbol) {
            template.write(&mut out, start);
            continue;
        }
        let mut w = TemplateWriter::default();
        if hierarchical {
            nested(&mut w, &placed.symbol, placed.at, 1);
        } else {
            flat(&mut w, uri, &placed.symbol, placed.at, None);
        }
        let (template, keep) = w.finish(&doc.text, placed.at, encoding);
        template.write(&mut out, start);
        if keep {
            cache.templates.insert(std::sync::Arc::clone(&placed.symbol), template);
        }
    }
    out.push(b']');
    cache.templates.end();
    cache.last_len = out.len();
    out
}

/// How deep symbols nest (as `convert::document_symbol` nests them).
const MAX_SYMBOL_DEPTH: usize = convert::MAX_SYMBOL_DEPTH;

/// A `DocumentSymbol` at `depth` (1 for the top level). Ranges are relative to `at`.
fn nested(w: &mut TemplateWriter, s: &Symbol, at: u32, depth: usize) {
    head(w, s, at);
    w.raw(",\"children\":[");
    if depth < MAX_SYMBOL_DEPTH {
        for (i, c) in s.children.iter().enumerate() {
            if i > 0 {
                w.raw(",");
            }
            nested(w, c, at, depth + 1);
        }
    } else {
        // Deeper descendants are listed flat, in document order, without children.
        let mut stack: Vec<&Symbol> = s.children.iter().rev().collect();
        let mut first = true;
        while let Some(c) = stack.pop() {
            stack.extend(c.children.iter().rev());
            if !first {
                w.raw(",");
            }
            first = false;
            head(w, c, at);
            w.raw(",\"children\":[]}");
        }
    }
    w.raw("]}");
}

/// A `DocumentSymbol`'s fields up to its children.
fn head(w: &mut TemplateWriter, s: &Symbol, at: u32) {
    w.raw("{\"name\":");
    w.str(&s.name);
    if let Some(detail) = &s.detail {
        w.raw(",\"detail\":");
        w.str(detail);
    }
    w.raw(",\"kind\":");
    kind(w, s);
    w.raw(",\"range\":");
    w.range(at + s.range.start, at + s.range.end);
    w.raw(",\"selectionRange\":");
    w.range(at + s.selection_range.start, at + s.selection_range.end);
}

fn kind(w: &mut TemplateWriter, s: &Symbol) {
    // A number; writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut w.json, &convert::symbol_kind(s));
}

/// `SymbolInformation`s of `s` and its descendants, in document order, comma-separated.
fn flat(w: &mut TemplateWriter, uri: &Uri, s: &Symbol, at: u32, container: Option<&str>) {
    w.raw("{\"name\":");
    w.str(&s.name);
    w.raw(",\"kind\":");
    kind(w, s);
    w.raw(",\"location\":{\"uri\":");
    let _ = serde_json::to_writer(&mut w.json, uri);
    w.raw(",\"range\":");
    w.range(at + s.range.start, at + s.range.end);
    w.raw("}");
    if let Some(container) = container {
        w.raw(",\"containerName\":");
        w.str(container);
    }
    w.raw("}");
    for c in &s.children {
        w.raw(",");
        flat(w, uri, c, at, Some(&s.name));
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tower_lsp_server::ls_types as lsp;

    use super::*;
    use crate::syntax::TextRange;

    /// What the typed path (`convert`, then serde_json) answers.
    fn typed(doc: &Document, uri: &Uri, hierarchical: bool, encoding: PositionEncoding) -> Vec<u8> {
        let symbols = ide::document_symbols(doc);
        let answer = if hierarchical {
            lsp::DocumentSymbolResponse::Nested(
                symbols.into_iter().map(|s| convert::document_symbol(&doc.text, s, encoding)).collect(),
            )
        } else {
            let mut flat = Vec::new();
            super::super::server::navigation::flatten(&doc.text, uri, symbols, None, encoding, &mut flat);
            lsp::DocumentSymbolResponse::Flat(flat)
        };
        serde_json::to_vec(&answer).unwrap()
    }

    const FLOW: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 分支\nStates:\n  - Type: Parallel\n    Name: 分支 \"引\"\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Pass\n            Name: A😀\n            End: true\n    Next: M\n  - Type: Map\n    Name: M\n    ItemsPath: $Input.xs\n    Processor:\n      StartAt: Each\n      States:\n        - Type: Task\n          Name: Each\n          End: true\n    Next: 完\n  - {Type: Succeed, Name: 完}\n";
    const SNIPPETS: &[&str] = &[
        "x",
        "\n",
        "\r\n",
        "\r",
        "  ",
        "视频😀",
        ": ",
        "  - Type: Pass\n    Name: 新\n",
        "  - Type: Wait\r\n    Name: 等\r\n",
        "&a ",
        "*a",
        "Type: Map\n",
        "{Type: Choice, Name: 流}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]
        /// The text written from templates, kept or new, is the typed answer's JSON.
        #[test]
        fn written_answers_equal_typed_answers(
            edits in prop::collection::vec((0.0..1.0f64, 0usize..12, 0..SNIPPETS.len() + 1), 1..6),
            hierarchical in any::<bool>(),
            utf8 in any::<bool>(),
        ) {
            let encoding = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
            let uri: Uri = "file:///tmp/%E8%A7%86.fdl.yaml".parse().unwrap();
            let mut cache = OutlineCache::default();
            let mut doc = Document::new(FLOW);
            prop_assert_eq!(answer(&doc, &uri, hierarchical, encoding, &mut cache), typed(&doc, &uri, hierarchical, encoding));
            for (at, len, snippet) in edits {
                let s = doc.text.to_string_lossless();
                let (start, end) = crate::syntax::text::random_edit_bounds(&s, at, len);
                let insert = SNIPPETS.get(snippet).copied().unwrap_or("");
                doc = doc.edit(TextRange::new(start as u32, end as u32), insert);
                let written = answer(&doc, &uri, hierarchical, encoding, &mut cache);
                let want = typed(&doc, &uri, hierarchical, encoding);
                prop_assert_eq!(String::from_utf8(written).unwrap(), String::from_utf8(want).unwrap(), "text: {:?}", doc.text.to_string_lossless());
            }
        }
    }

    /// Deeper than `MAX_SYMBOL_DEPTH`, a deployment file's flows, and an empty document.
    #[test]
    fn deep_outlines_hosts_and_empty_documents_equal_typed_answers() {
        let mut deep = String::from("Type: StateMachine\nSpecVersion: v1\nStartAt: P0\nStates:\n");
        let depth = 30;
        for i in 0..depth {
            let pad = "    ".repeat(i);
            deep.push_str(&format!(
                "{pad}  - Type: Parallel\n{pad}    Name: P{i}\n{pad}    End: true\n{pad}    Branches:\n{pad}      - StartAt: P{}\n{pad}        States:\n",
                i + 1
            ));
        }
        deep.push_str(&format!(
            "{}  - Type: Pass\n{}    Name: Last\n",
            "    ".repeat(depth),
            "    ".repeat(depth)
        ));
        let host = "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  Flow:\n    Type: ALIYUN::FNF::Flow\n    Properties:\n      Name: f\n      Definition: |\n        Type: StateMachine\n        SpecVersion: v1\n        StartAt: 甲\n        States:\n          - Type: Pass\n            Name: 甲\n            End: true\n";
        let uri: Uri = "file:///tmp/x.yaml".parse().unwrap();
        for text in [deep.as_str(), host, "", "a: [1\n"] {
            let doc = Document::new(text);
            for hierarchical in [true, false] {
                for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                    let mut cache = OutlineCache::default();
                    let want = String::from_utf8(typed(&doc, &uri, hierarchical, encoding)).unwrap();
                    for _ in 0..2 {
                        let got = answer(&doc, &uri, hierarchical, encoding, &mut cache);
                        assert_eq!(String::from_utf8(got).unwrap(), want);
                    }
                }
            }
        }
    }
}
