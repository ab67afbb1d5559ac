//! Documents written as one flow mapping (on one line, as JSON, with comments) are split
//! into entries and list items, parsed one by one; their tree is the whole parse's.

use expect_test::{Expect, expect};
use proptest::prelude::*;

use super::super::*;
use super::dump_all;

pub(super) const BASE: &str = "# flow\n{Type: StateMachine, Name: demo, StartAt: 视频理解,\n States: [{Name: 视频理解, Type: Task, Action: FC:InvokeFunction, Parameters: {body: {videoUrl.$: $Input.videoUrl}}, Next: Done},\n  {Type: Parallel, Name: P, Branches: [{StartAt: A, States: [{Type: Pass, Name: A, End: true}]}], Next: Done},\n  {\"Type\": \"Choice\", \"Name\": \"C\", \"Branches\": [{\"Condition\": \"$Input.a == \\\"x, y\\\"\", \"Next\": \"Done\"}], 'Default': 'it''s'},\n  {Type: Wait, Name: W, Seconds: 3, Next: Done, Comment: '$Input.a == \"]\"'}, # the waits\n  {Type: Succeed, Name: Done}],\n Description: \"text # not a comment\" # a comment\n}\n";

/// A split tree without errors equals the one-unit parse; one with errors has them
/// where the one-unit parse has some too. Aliases are left out: an alias whose anchor
/// is in another unit is read as text by the unit (and resolved by the model).
fn agrees_with_the_whole(src: &str, split: &SyntaxTree) -> Result<(), TestCaseError> {
    if !split.is_flow() || src.contains(['&', '*']) {
        return Ok(());
    }
    let whole = SyntaxTree::parse_as_one_unit(&SourceText::new(src));
    if split.errors().is_empty() {
        prop_assert!(same_as_whole(src).is_ok(), "{:?}\n{}", src, same_as_whole(src).unwrap_err());
    } else {
        prop_assert!(!whole.errors().is_empty(), "errors only when split: {:?}\n{}", src, dump_all(split));
    }
    Ok(())
}

/// A broken document that is split all the same (the one-unit parse has errors too): its
/// tree and errors.
fn check_broken(src: &str, expect: Expect) {
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    assert!(tree.unit_count() > 1, "not split: {src:?}");
    assert!(!SyntaxTree::parse_as_one_unit(&text).errors().is_empty(), "{src:?}");
    expect.assert_eq(&dump_all(&tree));
}

/// The split tree equals the one-unit parse, node for node (flow flags included).
fn same_as_whole(src: &str) -> Result<(), String> {
    let text = SourceText::new(src);
    let split = SyntaxTree::parse(&text);
    let whole = SyntaxTree::parse_as_one_unit(&text);
    if dump_all(&split) != dump_all(&whole) || split.green_root() != whole.green_root() {
        return Err(format!("{}\n---\n{}", dump_all(&split), dump_all(&whole)));
    }
    Ok(())
}

#[test]
fn a_flow_document_is_split_and_parses_as_a_whole() {
    for src in [
        BASE,
        "{Type: StateMachine, States: [{Type: Pass, Name: A, End: true}, {Type: Pass, Name: B, End: true}]}",
        "{\n  \"Type\": \"StateMachine\",\n  \"States\": [\n    {\"Type\": \"Pass\", \"Name\": \"A\"},\n    {\"Type\": \"Pass\"}\n  ]\n}\n",
        "{States: [], a: [1, ], b: [], d: , \"e\":f, ? g : h, i: !!str 1, j: [[1, 2], {k: l}]}",
        "{States: !seq [a, b], x: y}",
        "  {a: b}  # end\n\n",
        "{}",
        "{a: [ ]}",
        "{a: [1, # c\n ], b: c}",
        "{a: \"multi\n  line\", b: plain\n  continued, c: 'x'}",
    ] {
        let tree = SyntaxTree::parse(&SourceText::new(src));
        assert!(tree.unit_count() > 2, "not split: {src:?}");
        same_as_whole(src).unwrap_or_else(|e| panic!("{src:?}\n{e}"));
    }
}

#[test]
fn flow_documents_beyond_the_scanner_parse_whole() {
    for src in [
        "{a: b}\n---\n{c: d}",
        "{a: b,\n\tc: d}",
        // The implicit null of a key without `:` stretches to the next entry.
        "{c, d: e}",
        // The parser ends the root mapping at a trailing comma.
        "{a: b, # c\n}",
    ] {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        assert_eq!(tree.unit_count(), 1, "split: {src:?}");
        assert_eq!(dump_all(&tree), dump_all(&SyntaxTree::parse_as_one_unit(&text)), "{src:?}");
    }
}

/// A flow document broken where no blanked character mends it: the units before are
/// kept, the rest is one unit with the parser's first error there and no node (the
/// whole-document parser would drop everything, and parse it all on every keystroke).
#[test]
fn a_broken_flow_document_keeps_what_comes_before_the_break() {
    // An empty entry or item between two commas.
    check_broken(
        "{a: [x, # c\n , y]}",
        expect![[r#"
        Mapping@0..18
          Scalar@1..2 "a"
          Sequence@4..18
            Scalar@5..6 "x"
        13..14 While parsing a node, did not find expected node content
    "#]],
    );
    check_broken(
        "{甲: b, , c: d}",
        expect![[r#"
        Mapping@0..16
          Scalar@1..4 "甲"
          Scalar@6..7 "b"
        9..10 While parsing a node, did not find expected node content
    "#]],
    );
    // A comment must follow a blank.
    check_broken(
        "{a: [x]#c\n}",
        expect![[r#"
        Mapping@0..11
          Scalar@1..2 "a"
          Sequence@4..11
            Scalar@5..6 "x"
        7..8 Comments must be separated from other tokens by whitespace
    "#]],
    );
    check_broken(
        "{a: b}#\n",
        expect![[r#"
        Mapping@0..8
          Scalar@1..2 "a"
          Scalar@4..5 "b"
        6..7 Comments must be separated from other tokens by whitespace
    "#]],
    );
}

/// A syntax error inside one entry or item stays there: its neighbours are kept (the
/// whole-document parser would drop the line, which is the whole flow when it is
/// written on one line), and the error is where the parser of the whole finds one.
#[test]
fn an_error_inside_one_entry_or_item_keeps_its_neighbours() {
    check_broken(
        "{Type: StateMachine, States: [{Type: Pass Name: 甲, End: true}, {Type: Pass, Name: 乙, End: true}]}",
        expect![[r#"
            Mapping@0..101
              Scalar@1..5 "Type"
              Scalar@7..19 "StateMachine"
              Scalar@21..27 "States"
              Sequence@29..100
                Mapping@65..99
                  Scalar@66..70 "Type"
                  Scalar@72..76 "Pass"
                  Scalar@78..82 "Name"
                  Scalar@84..87 "乙"
                  Scalar@89..92 "End"
                  Scalar@94..98 "true"
            46..63 While parsing a flow mapping, did not find expected ',' or '}'
        "#]],
    );
    check_broken(
        "{Type: StateMachine, Name: a: b, StartAt: 甲}",
        expect![[r#"
            Mapping@0..46
              Scalar@1..5 "Type"
              Scalar@7..19 "StateMachine"
              Scalar@33..40 "StartAt"
              Scalar@42..45 "甲"
            28..31 While parsing a flow mapping, did not find expected ',' or '}'
        "#]],
    );
}

/// What typing leaves open for a moment (a quote, a bracket, the document's end) is
/// blanked and reported; the other states keep their trees. The whole-document parser
/// would drop the line, the whole flow when it is written on one line.
#[test]
fn what_typing_leaves_open_keeps_the_other_states() {
    // A quote opened in a state name.
    check_broken(
        "{StartAt: 甲, States: [{Name: \"甲, Type: Pass}, {Name: 乙, Type: Pass}]}",
        expect![[r#"
            Mapping@0..75
              Scalar@1..8 "StartAt"
              Scalar@10..13 "甲"
              Scalar@15..21 "States"
              Sequence@23..74
                Mapping@24..48
                  Scalar@25..29 "Name"
                  Scalar@32..35 "甲"
                  Scalar@37..41 "Type"
                  Scalar@43..47 "Pass"
                Mapping@50..73
                  Scalar@51..55 "Name"
                  Scalar@57..60 "乙"
                  Scalar@62..66 "Type"
                  Scalar@68..72 "Pass"
            31..32 this `"` is never closed: the string runs on into what follows
        "#]],
    );
    // A bracket opened in one state, one closing nothing in another.
    check_broken(
        "{States: [{Name: 甲, Next: [乙}, {Name: 乙}}, {Name: 丙}]}",
        expect![[r#"
            Mapping@0..62
              Scalar@1..7 "States"
              Sequence@9..61
                Mapping@10..33
                  Scalar@11..15 "Name"
                  Scalar@17..20 "甲"
                  Scalar@22..26 "Next"
                  Scalar@29..32 "乙"
                Mapping@35..47
                  Scalar@36..40 "Name"
                  Scalar@42..45 "乙"
                Mapping@49..60
                  Scalar@50..54 "Name"
                  Scalar@56..59 "丙"
            28..29 this `[` is never closed
            46..47 this `}` does not close the `[` that is open here
        "#]],
    );
    // The end of the document, inside the list of states.
    check_broken(
        "{StartAt: 甲, States: [{Name: 甲}, {Name: 乙}",
        expect![[r#"
        Mapping@0..48
          Scalar@1..8 "StartAt"
          Scalar@10..13 "甲"
          Scalar@15..21 "States"
          Sequence@23..48
            Mapping@24..35
              Scalar@25..29 "Name"
              Scalar@31..34 "甲"
            Mapping@37..48
              Scalar@38..42 "Name"
              Scalar@44..47 "乙"
        0..1 this `{` is never closed: the document ends first
        23..24 this `[` is never closed: the document ends first
    "#]],
    );
}

#[test]
fn an_edit_inside_one_item_reparses_only_that_item() {
    let mut text = SourceText::new(BASE);
    let tree = SyntaxTree::parse(&text);
    let at = BASE.find("Name: P").unwrap() as u32 + 6;
    text.edit(TextRange::new(at, at + 1), "Q2");
    let new = tree.reparse(&text, Edit { range: TextRange::new(at, at + 1), new_len: 2 });
    let first = BASE.find("[{Name: 视频理解").unwrap() as u32;
    let last = BASE.find(", # the waits").unwrap() as u32;
    assert!(new.shares_unit_with(&tree, first, first), "an item before the edit is reused");
    assert!(new.shares_unit_with(&tree, last + 1, last), "an item after the edit is reused");
    let edited = BASE.find(",\n  {Type: Parallel").unwrap() as u32;
    assert!(!new.shares_unit_with(&tree, edited, edited), "the edited item is parsed again");
    assert_eq!(dump_all(&new), dump_all(&SyntaxTree::parse(&text)));
    same_as_whole(&text.to_string_lossless()).unwrap();
}

/// A whole flow on one 1 MB line: split into one unit per state, and a keystroke
/// anywhere re-parses the one item it lands in (what keeps an edit within 50 ms; README,
/// "Reliability", has the measured figure).
#[test]
fn a_megabyte_flow_on_one_line_reparses_one_item_per_keystroke() {
    let src = fdl_bench::cloudflow_one_line(4_000);
    assert!(src.len() > 1_000_000 && src.lines().count() == 1);
    let mut text = SourceText::new(&src);
    let tree = SyntaxTree::parse(&text);
    assert!(tree.errors().is_empty());
    assert!(tree.unit_count() > 4_000, "{} units", tree.unit_count());
    assert_eq!(tree.root().and_then(|r| r.get("States")).map(|s| s.value.item_count()), Some(4_000));
    // One character typed into a state name near the middle, then one deleted.
    let name = src.len() / 2 + src[src.len() / 2..].find("Name: ").unwrap() + "Name: ".len();
    let at = (name + 1..).find(|i| src.is_char_boundary(*i)).unwrap() as u32;
    text.edit(TextRange::empty(at), "x");
    let typed = tree.reparse(&text, Edit { range: TextRange::empty(at), new_len: 1 });
    assert_eq!(typed.units_parsed_since(&tree), 1);
    assert!(typed.green_root() == SyntaxTree::parse(&text).green_root());
    text.edit(TextRange::new(at, at + 1), "");
    let deleted = typed.reparse(&text, Edit { range: TextRange::new(at, at + 1), new_len: 0 });
    assert_eq!(deleted.units_parsed_since(&typed), 1);
    assert!(deleted.green_root() == tree.green_root());
    // A quote opened before a name: it pairs with the next quote of the document, far
    // on, and the flow stops making sense a few states later. The states before are
    // kept, the rest is one unit with the error; typing on in the string re-parses only
    // the item it is in; deleting the quote mends all.
    let states =
        |tree: &SyntaxTree| tree.root().and_then(|r| r.get("States")).map_or(0, |s| s.value.item_count());
    let mut tree = deleted;
    let at = name as u32;
    for (i, typed) in ["\"", "a", "b"].into_iter().enumerate() {
        let edit = Edit { range: TextRange::empty(at + i as u32), new_len: 1 };
        text.edit(edit.range, typed);
        let next = tree.reparse(&text, edit);
        assert!(next.green_root() == SyntaxTree::parse(&text).green_root(), "after {typed:?}");
        assert!(!next.errors().is_empty(), "after {typed:?}");
        assert!(states(&next) > 1_000, "after {typed:?}: {} states", states(&next));
        if i > 0 {
            assert_eq!(next.units_parsed_since(&tree), 1, "after {typed:?}");
        }
        tree = next;
    }
    let edit = Edit { range: TextRange::new(at, at + 1), new_len: 0 };
    text.edit(edit.range, "");
    tree = tree.reparse(&text, edit);
    assert!(tree.errors().is_empty());
    assert_eq!(states(&tree), 4_000);
    assert!(tree.green_root() == SyntaxTree::parse(&text).green_root());
    // A bracket opened: blanked, the same.
    let at = at + 4;
    text.edit(TextRange::empty(at), "[");
    let open = tree.reparse(&text, Edit { range: TextRange::empty(at), new_len: 1 });
    assert_eq!(open.units_parsed_since(&tree), 1);
    assert_eq!(
        open.errors().iter().map(|e| e.message.as_str()).collect::<Vec<_>>(),
        ["this `[` is never closed"]
    );
}

/// A flow-style value: scalars of every style (CJK among them), lists and mappings,
/// written with commas, line breaks and comments between their parts.
fn flow_value() -> impl Strategy<Value = String> {
    let scalar = prop::sample::select(vec![
        "Pass",
        "视频理解",
        "42",
        "true",
        "\"a, b ] } # not a comment\"",
        "'it''s, [x]'",
        "$Input.a == \"x, y\" && $Input.b",
        "acs:fc:cn-hangzhou:1:functions/f",
        "\"处理\\\"引号\\\"\"",
        "",
        "!!str 7",
        "a b c",
    ])
    .prop_map(str::to_string);
    scalar.prop_recursive(3, 24, 4, |inner| {
        let sep = prop::sample::select(vec![", ", ",\n  ", ", # 注释, ]\n  ", " ,"]);
        prop_oneof![
            prop::collection::vec((inner.clone(), sep.clone()), 0..4).prop_map(|items| {
                let mut s = String::from("[");
                for (i, (v, sep)) in items.iter().enumerate() {
                    if i > 0 {
                        s.push_str(sep);
                    }
                    s.push_str(v);
                }
                s.push(']');
                s
            }),
            prop::collection::vec((flow_key(), inner, sep), 0..4).prop_map(|entries| {
                let mut s = String::from("{");
                for (i, (k, v, sep)) in entries.iter().enumerate() {
                    if i > 0 {
                        s.push_str(sep);
                    }
                    s.push_str(&format!("{k}: {v}"));
                }
                s.push('}');
                s
            }),
        ]
    })
}

fn flow_key() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["Type", "Name", "名称", "\"Next\"", "'End'", "Parameters", "a.$", "States"])
}

/// A flow document: a prelude, a root mapping whose entries may hold lists of
/// mappings (the states), and what follows the root.
fn flow_document() -> impl Strategy<Value = String> {
    let entry = (flow_key(), prop::collection::vec(flow_value(), 0..5), any::<bool>());
    (
        prop::sample::select(vec!["", "# 流程\n", "\n  "]),
        prop::collection::vec(entry, 1..5),
        prop::sample::select(vec![", ", ",\n ", " , ", ", # c\n "]),
        prop::sample::select(vec!["", "\n", " # end\n", "\n\n# 结束"]),
    )
        .prop_map(|(prelude, entries, sep, after)| {
            let mut s = format!("{prelude}{{");
            for (i, (key, values, list)) in entries.iter().enumerate() {
                if i > 0 {
                    s.push_str(sep);
                }
                let value = if *list {
                    format!("[{}]", values.join(sep))
                } else {
                    values.first().cloned().unwrap_or_default()
                };
                s.push_str(&format!("{key}: {value}"));
            }
            s.push('}');
            s.push_str(after);
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
    /// Generated flow documents, then edits that may break them: the split parse
    /// agrees with the one-unit parse, and re-parsing equals a fresh parse.
    #[test]
    fn generated_flow_documents_split_like_the_whole(
        src in flow_document(),
        edits in prop::collection::vec((0.0..1.0f64, 0usize..4, 0..SNIPPETS.len() + 1), 0..6),
    ) {
        let mut text = SourceText::new(&src);
        let mut tree = SyntaxTree::parse(&text);
        agrees_with_the_whole(&src, &tree)?;
        for (at, len, snippet) in edits {
            let s = text.to_string_lossless();
            let (start, end) = crate::syntax::text::random_edit_bounds(&s, at, len);
            let insert = SNIPPETS.get(snippet).copied().unwrap_or("");
            let range = TextRange::new(start as u32, end as u32);
            text.edit(range, insert);
            tree = tree.reparse(&text, Edit { range, new_len: insert.len() as u32 });
            let now = text.to_string_lossless();
            prop_assert_eq!(dump_all(&tree), dump_all(&SyntaxTree::parse(&text)), "text: {:?}", now);
            agrees_with_the_whole(&now, &tree)?;
        }
    }
}

const SNIPPETS: &[&str] = &[
    ",",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "#",
    " # c\n",
    "\n",
    "\t",
    ": ",
    ":",
    "x",
    "视频",
    "\\",
    "?",
    "- ",
    "{Type: Pass, Name: X}, ",
    "Name",
    "&a ",
    "*a",
    "\r\n",
    "---\n",
    "!t ",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]
    /// Any edits: re-parsing equals a fresh parse, and a split tree without anchors
    /// equals the one-unit parse.
    #[test]
    fn reparse_equals_fresh_parse_and_splitting_agrees_with_the_whole(
        edits in prop::collection::vec((0.0..1.0f64, 0.0..0.05f64, 0..SNIPPETS.len() + 1), 1..10)
    ) {
        let mut text = SourceText::new(BASE);
        let mut tree = SyntaxTree::parse(&text);
        for (at, len, snippet) in edits {
            let s = text.to_string_lossless();
            let (start, end) = crate::syntax::text::random_edit_bounds(&s, at, (len * s.len() as f64) as usize);
            let insert = SNIPPETS.get(snippet).copied().unwrap_or("");
            let range = TextRange::new(start as u32, end as u32);
            text.edit(range, insert);
            tree = tree.reparse(&text, Edit { range, new_len: insert.len() as u32 });
            let now = text.to_string_lossless();
            let fresh = SyntaxTree::parse(&text);
            prop_assert_eq!(dump_all(&tree), dump_all(&fresh), "text: {:?}", now);
            agrees_with_the_whole(&now, &fresh)?;
        }
    }
}
