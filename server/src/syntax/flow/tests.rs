//! The flow scanner's splits, and what the recovering scanner blanks.

use super::*;

fn boundaries(src: &str) -> Result<Vec<(String, UnitKind)>, NeedsWhole> {
    let text = SourceText::new(src);
    let mut scanner = FlowScanner::new(&text, 0, UnitKind::FlowPrelude);
    let mut out = Vec::new();
    let mut starts = Vec::new();
    while let Some(b) = scanner.next_boundary()? {
        starts.push(b);
    }
    for (i, b) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(src.len(), |n| n.start as usize);
        out.push((src[b.start as usize..end].to_string(), b.kind));
    }
    Ok(out)
}

#[test]
fn splits_root_entries_and_list_items() {
    let src =
        "# c\n{Type: StateMachine, States: [{Type: Pass, Name: \"a, b\"}, {Name: 'it''s'}], StartAt: a}\n";
    let got = boundaries(src).expect("split");
    let pieces: Vec<String> = got.iter().map(|(t, k)| format!("{k:?} {t:?}")).collect();
    assert_eq!(
        pieces,
        [
            "FlowPrelude \"# c\\n\"",
            "FlowEntry \"{Type: StateMachine\"",
            "FlowHeader \", States: \"",
            "FlowItem \"[{Type: Pass, Name: \\\"a, b\\\"}\"",
            "FlowItem \", {Name: 'it''s'}\"",
            "FlowListEnd \"]\"",
            "FlowEntry \", StartAt: a\"",
            "FlowEnd \"}\\n\"",
        ]
    );
}

#[test]
fn quotes_inside_plain_scalars_are_text_and_comments_end_at_the_line() {
    let src = "{Condition: $Input.a == \"x, y\", b: c # it's, here\n, d: [e]}";
    let got = boundaries(src).expect("split");
    let kinds: Vec<UnitKind> = got.iter().map(|(_, k)| *k).collect();
    // `== "x` is inside a plain scalar: the comma after it separates entries.
    assert_eq!(got[2].0, ", y\"");
    assert_eq!(
        kinds,
        [
            UnitKind::FlowPrelude,
            UnitKind::FlowEntry,
            UnitKind::FlowEntry,
            UnitKind::FlowEntry,
            UnitKind::FlowHeader,
            UnitKind::FlowItem,
            UnitKind::FlowListEnd,
            UnitKind::FlowEnd
        ]
    );
}

#[test]
fn what_it_does_not_follow_is_parsed_whole() {
    for src in [
        "{a: [1, 2}",
        "{a: b} c",
        "{a: b}\n---\n{c: d}",
        "x: {a: b}",
        "{a: [1] x}",
        "{a: \"open}",
        "{a: b,\n\tc: d}",
    ] {
        assert!(boundaries(src).is_err(), "{src:?}");
    }
    // A tab inside a line, or on a comment line, is fine.
    assert!(boundaries("{a:\tb,\n\t# c\n  d: e}").is_ok());
}

/// The units of `src` as the recovering scanner splits it, and what it blanked.
fn recovered(src: &str) -> Result<(Vec<String>, Vec<Culprit>), NeedsWhole> {
    let text = SourceText::new(src);
    let mut scanner = RecoveringScanner::new(&text, 0, UnitKind::FlowPrelude);
    let mut starts = Vec::new();
    while let Some(b) = scanner.next_boundary()? {
        starts.push(b);
    }
    let pieces = starts
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let end = starts.get(i + 1).map_or(src.len(), |n| n.start as usize);
            format!("{:?} {:?}", b.kind, &src[b.start as usize..end])
        })
        .collect();
    Ok((pieces, scanner.culprits().to_vec()))
}

#[test]
fn what_typing_leaves_open_is_blanked_and_the_rest_is_split() {
    let blanked = |src: &str| -> Vec<(u32, &'static str)> {
        let (_, culprits) = recovered(src).unwrap_or_else(|_| panic!("not recovered: {src:?}"));
        culprits.iter().map(|c| (c.at, c.message)).collect()
    };
    // A quote not closed yet, in the first entry and in an item.
    assert_eq!(
        blanked("{a: \"open, b: c}"),
        [(4, "this `\"` is never closed: the string runs on into what follows")]
    );
    // One that pairs with the next quote of the document: of the unit's quotes, the one
    // whose blank ends the unit soonest.
    let src = "{S: [{Name: \"a\", C: \"hello, T: P}, {Name: b, X: {k: \"y\"}}, {Name: 'c'}]}";
    assert_eq!(blanked(src).iter().map(|c| c.0).collect::<Vec<_>>(), [src.find("\"hello").unwrap() as u32]);
    let src = "{S: [{Name: 'a', C: 'it, T: P}, {Name: b, X: ['y']}, {Name: \"c\"}]}";
    assert_eq!(
        blanked(src),
        [(src.find("'it").unwrap() as u32, "this `'` is never closed: the string runs on into what follows")]
    );
    let src = "{States: [{Name: '视频, Type: Pass}, {Name: b}], c: d}";
    let (pieces, culprits) = recovered(src).expect("recovered");
    assert_eq!(culprits.iter().map(|c| c.at).collect::<Vec<_>>(), [src.find('\'').unwrap() as u32]);
    assert_eq!(
        pieces,
        [
            "FlowPrelude \"\"",
            "FlowHeader \"{States: \"",
            "FlowItem \"[{Name: '视频, Type: Pass}\"",
            "FlowItem \", {Name: b}\"",
            "FlowListEnd \"]\"",
            "FlowEntry \", c: d\"",
            "FlowEnd \"}\"",
        ]
    );
    // A bracket opened and not closed: the opener; one closing nothing: the closer.
    assert_eq!(blanked("{S: [{a: [b, c: d}, {e: f}]}"), [(9, "this `[` is never closed")]);
    assert_eq!(
        blanked("{S: [{a: b}}, {e: f}]}"),
        [(11, "this `}` does not close the `[` that is open here")]
    );
    assert_eq!(blanked("{a: {b: c]}, d: e}"), [(9, "this `]` does not close the `{` that is open here")]);
    assert_eq!(blanked("{a: b], c: d}"), [(5, "this `]` closes nothing")]);
    // The list of states not closed: its items end where the document does.
    assert_eq!(blanked("{a: [1, 2}\n"), [(9, "this `}` does not close the `[` that is open here")]);
    // Two at once.
    assert_eq!(blanked("{S: [{a: \"b}, {c: [d}]}").len(), 2);
}

#[test]
fn a_document_that_ends_open_ends_with_an_unclosed_unit() {
    let (pieces, culprits) = recovered("{a: b, S: [{c: d}, {e: f}").expect("split");
    assert!(culprits.is_empty());
    assert_eq!(
        pieces,
        [
            "FlowPrelude \"\"",
            "FlowEntry \"{a: b\"",
            "FlowHeader \", S: \"",
            "FlowItem \"[{c: d}\"",
            "FlowItem \", {e: f}\"",
            "FlowUnclosed \"\"",
        ]
    );
    let (pieces, _) = recovered("{a: b").expect("split");
    assert_eq!(pieces, ["FlowPrelude \"\"", "FlowEntry \"{a: b\"", "FlowUnclosed \"\""]);
}
