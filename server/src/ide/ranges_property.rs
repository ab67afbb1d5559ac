//! Every range an editor feature returns lies in the document, on character boundaries,
//! whatever the text and the offset: the `lsp` layer turns them into positions of the
//! client's text, so this is what keeps those positions valid (emoji and CJK included).

use proptest::prelude::*;

use super::*;
use crate::syntax::TextRange;

/// Text that is mostly flow-like: keys, values, comments, emoji, CJK, odd indentation.
fn document() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Type: StateMachine\n".to_string()),
        Just("SpecVersion: v1\n".to_string()),
        Just("StartAt: 😀开始\n".to_string()),
        Just("States:\n".to_string()),
        Just("  - Type: Pass\n".to_string()),
        Just("    Name: 😀开始\n".to_string()),
        Just("    Next: 😀开始\n".to_string()),
        Just("    End: true\n".to_string()),
        Just("  - Type: Task\n    Name: 任务\n    Action: FC:InvokeFunction\n".to_string()),
        Just("    Parameters:\n      x.$: $Input.视频 == \"🎉\"\n".to_string()),
        Just("# 🎉 comment\n".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("- ".to_string()),
        Just(": ".to_string()),
        Just("\"".to_string()),
        Just("{".to_string()),
        Just("🎉".to_string()),
        Just("\r\n".to_string()),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

fn assert_in(text: &str, r: TextRange, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(r.start <= r.end && r.end as usize <= text.len(), "{what} {r:?} in {text:?}");
    prop_assert!(
        text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize),
        "{what} {r:?} splits a character in {text:?}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn ranges_are_in_the_document(text in document(), at in 0u32..400) {
        let doc = Document::new(&text);
        // The lsp layer turns positions into offsets in the document, on a character boundary.
        let mut offset = (at as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let offset = offset as u32;
        let config = Config::default();
        for item in completions(&doc, &config, offset) {
            assert_in(&text, item.replace, "completion")?;
        }
        if let Some(h) = hover(&doc, &config, offset) {
            assert_in(&text, h.range, "hover")?;
        }
        if let Some(t) = definition(&doc, offset) {
            assert_in(&text, t.focus_range, "definition")?;
            assert_in(&text, t.full_range, "definition")?;
        }
        for r in references(&doc, offset, true) {
            assert_in(&text, r, "references")?;
        }
        for (r, _) in highlights(&doc, offset) {
            assert_in(&text, r, "highlight")?;
        }
        if let Ok((r, _)) = prepare_rename(&doc, offset) {
            assert_in(&text, r, "prepareRename")?;
        }
        if let Ok(edits) = rename(&doc, offset, "新名字") {
            for (r, _) in edits {
                assert_in(&text, r, "rename")?;
            }
        }
        for r in selection_ranges(&doc, offset) {
            assert_in(&text, r, "selection")?;
        }
        let whole = TextRange::new(0, text.len() as u32);
        for action in code_actions(&doc, &config, whole) {
            for (r, _) in &action.edits {
                assert_in(&text, *r, "code action")?;
            }
        }
        for d in doc.diagnostics(&config) {
            assert_in(&text, d.range, "diagnostic")?;
        }
        let mut symbols = document_symbols(&doc);
        while let Some(s) = symbols.pop() {
            assert_in(&text, s.range, "symbol")?;
            assert_in(&text, s.selection_range, "symbol")?;
            symbols.extend(s.children);
        }
        for f in folding_ranges(&doc) {
            assert_in(&text, f.range, "folding")?;
        }
        for l in code_lenses(&doc) {
            assert_in(&text, l.range, "code lens")?;
        }
        for (r, _) in semantic_tokens(&doc) {
            assert_in(&text, r, "semantic token")?;
        }
    }
}
