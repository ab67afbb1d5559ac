//! Fixture tests of the syntax layer: a document in, the tree and errors out.

use expect_test::{Expect, expect};

use super::*;

fn render(src: &str) -> String {
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    let mut out = String::new();
    if let Some(root) = tree.root() {
        out.push_str(&dump(root));
    }
    for e in tree.errors() {
        let p = text.position(e.range.start, PositionEncoding::Chars);
        out.push_str(&format!(
            "error {}:{} {:?} {}\n",
            p.line + 1,
            p.character + 1,
            text.slice(e.range),
            e.message
        ));
    }
    out
}

fn check(src: &str, expect: Expect) {
    expect.assert_eq(&render(src));
}

#[test]
fn valid_flow_with_cjk_names() {
    check(
        "Type: StateMachine\nStates:\n  - Name: 视频理解\n    Type: Pass\n    End: true\n",
        expect![[r#"
            Mapping@0..78
              Scalar@0..4 "Type"
              Scalar@6..18 "StateMachine"
              Scalar@19..25 "States"
              Sequence@29..78
                Mapping@31..78
                  Scalar@31..35 "Name"
                  Scalar@37..49 "视频理解"
                  Scalar@54..58 "Type"
                  Scalar@60..64 "Pass"
                  Scalar@69..72 "End"
                  Scalar@74..78 "true"
        "#]],
    );
}

#[test]
fn a_key_being_typed_keeps_its_neighbours() {
    check(
        "States:\n  - Name: A\n    Acti\n    Next: B\n  - Name: B\n    End: true\n",
        expect![[r#"
            Mapping@0..66
              Scalar@0..6 "States"
              Sequence@10..66
                Mapping@12..40
                  Scalar@12..16 "Name"
                  Scalar@18..19 "A"
                  Scalar@33..37 "Next"
                  Scalar@39..40 "B"
                Mapping@45..66
                  Scalar@45..49 "Name"
                  Scalar@51..52 "B"
                  Scalar@57..60 "End"
                  Scalar@62..66 "true"
            error 3:5 "Acti" `Acti` is not a `key: value` pair: add `:` and a value, or remove the line
        "#]],
    );
}

#[test]
fn unclosed_quote_is_confined_to_its_line() {
    check(
        "States:\n  - Name: \"A\n    End: true\n  - Name: B\n",
        expect![[r#"
            Mapping@0..46
              Scalar@0..6 "States"
              Sequence@10..46
                Mapping@25..34
                  Scalar@25..28 "End"
                  Scalar@30..34 "true"
                Mapping@39..46
                  Scalar@39..43 "Name"
                  Scalar@45..46 "B"
            error 2:11 "\"A" unclosed quoted string: add the closing quote
        "#]],
    );
}

#[test]
fn key_glued_to_value_gets_a_hint() {
    check(
        "States:\n  - Type: Choice\n    Branches:\n      - Condition:$Input.status==\"ready\"\n        Next: Pass2\n    Default: Pass1\n",
        expect![[r#"
            Mapping@0..118
              Scalar@0..6 "States"
              Sequence@10..118
                Mapping@12..118
                  Scalar@12..16 "Type"
                  Scalar@18..24 "Choice"
                  Scalar@29..37 "Branches"
                  Mapping@88..99
                    Scalar@88..92 "Next"
                    Scalar@94..99 "Pass2"
                  Scalar@104..111 "Default"
                  Scalar@113..118 "Pass1"
            error 4:7 "- Condition:$Input.status==\"ready\"" missing space after `Condition:`: YAML reads `Condition:$Input.status=="ready"` as one plain text, not a key and a value; write `Condition: $Input.status=="ready"`
        "#]],
    );
}

#[test]
fn tab_in_indentation() {
    check(
        "States:\n  - Type: Pass\n\tName: X\n    End: true\n",
        expect![[r#"
            Mapping@0..45
              Scalar@0..6 "States"
              Sequence@10..45
                Mapping@12..45
                  Scalar@12..16 "Type"
                  Scalar@18..22 "Pass"
                  Scalar@36..39 "End"
                  Scalar@41..45 "true"
            error 3:1 "\t" tab character in indentation: YAML indents with spaces only
        "#]],
    );
}

#[test]
fn anchors_aliases_merge_keys_and_tags_across_units() {
    check(
        "defaults: &d\n  End: true\nsteps:\n  - <<: *d\n    name: a\n    resourceArn: !Ref Svc/fn\n",
        expect![[r#"
            Mapping@0..83
              Scalar@0..8 "defaults"
              Mapping@10..24 &d@10..12
                Scalar@15..18 "End"
                Scalar@20..24 "true"
              Scalar@25..30 "steps"
              Sequence@34..83
                Mapping@36..83
                  Scalar@36..38 "<<"
                  Alias@40..42 *d
                  Scalar@47..51 "name"
                  Scalar@53..54 "a"
                  Scalar@59..70 "resourceArn"
                  Scalar@72..83 "Svc/fn" !Ref@72..76
        "#]],
    );
}

#[test]
fn stray_root_text_and_bad_indentation() {
    check(
        "Type: StateMachine\nSta\nStates:\n  - a\n - b\n",
        expect![[r#"
            Mapping@0..36
              Scalar@0..4 "Type"
              Scalar@6..18 "StateMachine"
              Scalar@23..29 "States"
              Sequence@33..36
                Scalar@35..36 "a"
            error 2:1 "Sta" expected `key: value` here (a top-level entry of the flow)
            error 5:2 "- b" bad indentation: this line belongs to no entry above it; align it with its siblings
        "#]],
    );
}

#[test]
fn non_mapping_documents_parse_whole() {
    check(
        "- a\n- b: [1, 2]\n",
        expect![[r#"
            Sequence@0..15
              Scalar@2..3 "a"
              Mapping@6..15
                Scalar@6..7 "b"
                Sequence@9..15
                  Scalar@10..11 "1"
                  Scalar@13..14 "2"
        "#]],
    );
    check(
        "a: 1\n---\nb: 2\n",
        expect![[r#"
            Mapping@0..4
              Scalar@0..1 "a"
              Scalar@3..4 "1"
            error 2:1 "---" a second YAML document: a flow definition is one document, the rest of the file is ignored
        "#]],
    );
}

#[test]
fn empty_and_comment_only_documents() {
    check("", expect![[""]]);
    check("# nothing\n\n", expect![[""]]);
}

#[test]
fn crlf_line_endings_and_block_scalars() {
    check(
        "Description: >-\r\n  two\r\n  lines\r\nStates:\r\n  - a\r\n",
        expect![[r#"
            Mapping@0..47
              Scalar@0..11 "Description"
              Scalar@19..31 "two lines" Folded
              Scalar@33..39 "States"
              Sequence@44..47
                Scalar@46..47 "a"
        "#]],
    );
}

#[test]
fn error_ranges_are_exact_after_cjk_text() {
    check(
        "States:\n  - Name: 视频理解\n    描述\n    End: true\n",
        expect![[r#"
            Mapping@0..55
              Scalar@0..6 "States"
              Sequence@10..55
                Mapping@12..55
                  Scalar@12..16 "Name"
                  Scalar@18..30 "视频理解"
                  Scalar@46..49 "End"
                  Scalar@51..55 "true"
            error 3:5 "描述" `描述` is not a `key: value` pair: add `:` and a value, or remove the line
        "#]],
    );
}

mod incremental {
    use proptest::prelude::*;

    use super::super::*;
    use super::dump_all;

    const BASE: &str = "# flow\nType: StateMachine\nName: demo\nStartAt: 视频理解\nStates:\n  - Name: 视频理解\n    Type: Task\n    Action: FC:InvokeFunction\n    Parameters:\n      body:\n        videoUrl.$: $Input.videoUrl\n    Next: Done\n  - Type: Parallel\n    Name: P\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Pass\n            Name: A\n            End: true\n    Next: Done\n  - Type: Succeed\n    Name: Done\nDescription: |\n  text\n";

    const SNIPPETS: &[&str] = &[
        "\n",
        "  ",
        "- ",
        ": ",
        "Type: Pass",
        "\"",
        "'",
        "#",
        "\t",
        "视频",
        "States:\n",
        "  - Name: X\n",
        "|\n",
        "---\n",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "x",
        "\n  - ",
        "\r\n",
        "    End: true\n",
        "Acti",
    ];

    fn edit_strategy() -> impl Strategy<Value = Vec<(f64, f64, usize)>> {
        prop::collection::vec((0.0..1.0f64, 0.0..0.2f64, 0..SNIPPETS.len() + 1), 1..12)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
        #[test]
        fn reparse_equals_fresh_parse(edits in edit_strategy()) {
            let mut text = SourceText::new(BASE);
            let mut tree = SyntaxTree::parse(&text);
            for (at, len, snippet) in edits {
                let s = text.to_string_lossless();
                let (start, end) = crate::syntax::text::random_edit_bounds(&s, at, (len * s.len() as f64) as usize);
                let insert = SNIPPETS.get(snippet).copied().unwrap_or("");
                let range = TextRange::new(start as u32, end as u32);
                text.edit(range, insert);
                tree = tree.reparse(&text, Edit { range, new_len: insert.len() as u32 });
                let fresh = SyntaxTree::parse(&text);
                prop_assert_eq!(dump_all(&tree), dump_all(&fresh), "text: {:?}", text.to_string_lossless());
            }
        }
    }

    /// A key being typed at column 0 between states (no colon yet) must not make every
    /// later keystroke below it re-parse the rest of the document.
    #[test]
    fn a_key_typed_at_column_zero_keeps_later_states_reusable() {
        let at = BASE.find("  - Type: Parallel").unwrap() as u32;
        let mut text = SourceText::new(BASE);
        let tree = SyntaxTree::parse(&text);
        text.edit(TextRange::empty(at), "S\n");
        let typed = tree.reparse(&text, Edit { range: TextRange::empty(at), new_len: 2 });
        // Then a keystroke in the last state.
        let last = text.to_string_lossless().find("  - Type: Succeed").unwrap() as u32;
        let mut again = text.clone();
        again.edit(TextRange::empty(last + 4), "x");
        let next = typed.reparse(&again, Edit { range: TextRange::empty(last + 4), new_len: 1 });
        assert!(next.shares_unit_with(&typed, at + 2, at + 2), "the state after the typed key is reused");
        let fresh = SyntaxTree::parse(&again);
        assert_eq!(dump_all(&next), dump_all(&fresh));
    }

    #[test]
    fn an_edit_inside_one_state_reparses_only_that_state() {
        let mut text = SourceText::new(BASE);
        let tree = SyntaxTree::parse(&text);
        let at = BASE.find("Name: P").unwrap() as u32 + 6;
        text.edit(TextRange::new(at, at + 1), "Q2");
        let new = tree.reparse(&text, Edit { range: TextRange::new(at, at + 1), new_len: 2 });
        let first_state = BASE.find("  - Name: 视频理解").unwrap() as u32;
        let last_state = BASE.find("  - Type: Succeed").unwrap() as u32;
        assert!(new.shares_unit_with(&tree, first_state, first_state), "a state before the edit is reused");
        assert!(new.shares_unit_with(&tree, last_state + 1, last_state), "a state after the edit is reused");
        let edited = BASE.find("  - Type: Parallel").unwrap() as u32;
        assert!(!new.shares_unit_with(&tree, edited, edited), "the edited state is parsed again");
    }
}

#[test]
fn a_key_typed_at_column_zero_between_states() {
    check(
        "States:\n  - Name: A\n    End: true\nSta\n  - Name: 视频\n    End: true\n",
        expect![[r#"
            Mapping@0..68
              Scalar@0..6 "States"
              Sequence@10..68
                Mapping@12..33
                  Scalar@12..16 "Name"
                  Scalar@18..19 "A"
                  Scalar@24..27 "End"
                  Scalar@29..33 "true"
                Mapping@42..68
                  Scalar@42..46 "Name"
                  Scalar@48..54 "视频"
                  Scalar@59..62 "End"
                  Scalar@64..68 "true"
            error 4:1 "Sta" expected `key: value` here (a top-level entry of the flow), or an item of the list around it
        "#]],
    );
}

#[test]
fn over_indented_keys_are_reported_on_their_line() {
    check(
        "steps:\n  - type: task\n      name: mytask\n    end: true\n",
        expect![[r#"
            Mapping@0..54
              Scalar@0..5 "steps"
              Sequence@9..54
                Mapping@11..54
                  Scalar@11..15 "type"
                  Scalar@17..21 "task"
                  Scalar@45..48 "end"
                  Scalar@50..54 "true"
            error 3:7 "name: mytask" bad indentation: this key starts in column 7 but the key above it in column 5; keys of one mapping line up
        "#]],
    );
}

fn anchors_flag(src: &str) -> bool {
    SyntaxTree::parse(&SourceText::new(src)).may_have_anchors()
}

#[test]
fn an_anchor_in_any_unit_flags_the_tree() {
    assert!(anchors_flag("Defaults: &d\n  Retry: []\nStates:\n  - Name: A\n    <<: *d\n    End: true\n"));
    assert!(anchors_flag("States:\n  - Name: A\n    Parameters: &p {a: 1}\n    End: true\n"));
    assert!(anchors_flag("States:\n  - Name: A\n    Type: &t Pass\n    End: true\n"));
}

#[test]
fn an_ampersand_that_is_not_an_anchor_does_not_flag_it() {
    // `&&` in expressions and `&` in URLs and strings define nothing.
    assert!(!anchors_flag(
        "States:\n  - Name: A\n    Condition: $Input.a > 1 && $Input.b\n    Url: \"https://x/?a=1&b=2\"\n    Text: R&D\n    End: true\n"
    ));
}

/// Collections nested deeper than `MAX_NESTING` levels are cut, with one error each where
/// the cut collection starts; at the bound nothing is cut. Block lists written compactly
/// (`- - - x`) nest 10,000 levels in 20 kB, and the tree is built without recursion.
#[test]
fn nesting_deeper_than_the_bound_is_cut() {
    let cut = |src: &str| {
        let tree = SyntaxTree::parse(&SourceText::new(src));
        tree.errors().iter().map(|e| format!("{:?} {}", e.range, e.message)).collect::<Vec<_>>()
    };
    // The root mapping and the `a` list are two levels: `MAX_NESTING - 2` more fit.
    let dashes = |n: usize| format!("a:\n  {}x\nb: 1\n", "- ".repeat(n));
    assert!(cut(&dashes(MAX_NESTING - 1)).is_empty());
    expect![[r#"
        [
            "259..262 collections nested more than 128 levels deep: fdl reads no deeper (the bound keeps every tool's work finite)",
        ]
    "#]]
    .assert_debug_eq(&cut(&dashes(MAX_NESTING)));
    let errors = cut(&dashes(10_000));
    assert_eq!(errors.len(), 1, "{errors:?}");
    // The rest of the document is kept.
    let text = SourceText::new(&dashes(10_000));
    let tree = SyntaxTree::parse(&text);
    assert_eq!(tree.root().and_then(|r| r.get("b")).and_then(|b| b.value.scalar()), Some("1"));
    // Items of a top-level list count from the document's root, as the whole parse does;
    // flow collections are cut the same way (saphyr itself stops at 255).
    let states =
        |n: usize| format!("States:\n  - Type: Pass\n    Result: {}1{}\n", "[".repeat(n), "]".repeat(n));
    assert!(cut(&states(MAX_NESTING - 3)).is_empty());
    assert_eq!(cut(&states(MAX_NESTING - 2)).len(), 1);
    let text = SourceText::new(&states(MAX_NESTING - 2));
    assert_eq!(
        SyntaxTree::parse(&text).errors(),
        SyntaxTree::parse_as_one_unit(&text).errors(),
        "a unit of a top-level list counts its depth from the document's root"
    );
}

/// The tree and the syntax errors, for comparing parses.
fn dump_all(tree: &SyntaxTree) -> String {
    let mut out = tree.root().map(dump).unwrap_or_default();
    for e in tree.errors() {
        out.push_str(&format!("{:?} {}\n", e.range, e.message));
    }
    out
}

mod flow_documents;
mod long_lists;
