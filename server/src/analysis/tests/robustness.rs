//! Any text is checked without a panic, and hostile YAML is refused or bounded: alias
//! bombs, aliases nested through one another, duplicate keys in a huge mapping.

use expect_test::expect;
use proptest::prelude::*;

use crate::analysis::fixture::annotate;
use crate::analysis::{CheckOptions, Code, WorkflowMode, check};
use crate::syntax::{SourceText, SyntaxTree};

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    /// Whatever the text, parsing and checking return (no panic) and every range lies
    /// inside the text on character boundaries.
    #[test]
    fn check_never_panics(src in "(Type: StateMachine\n|States:\n|steps:\n|version: v1\n|type: flow\n|  - |    |Type: |Name: |Next: |End: true\n|Task|Pass|Choice|Map|Parallel|Branches:\n|Processor:\n|StartAt: |视频|[\"'{}\\[\\]&*!|>#:,\t-]|\n|[a-z]{1,3}){0,60}") {
        let text = SourceText::new(&src);
        let tree = SyntaxTree::parse(&text);
        for mode in [None, Some(WorkflowMode::Express)] {
            for d in check(&text, &tree, &CheckOptions { mode, ..CheckOptions::default() }) {
                prop_assert!(d.range.start <= d.range.end && d.range.end as usize <= src.len(), "{:?} in {:?}", d, src);
                prop_assert!(src.is_char_boundary(d.range.start as usize) && src.is_char_boundary(d.range.end as usize), "{:?} in {:?}", d, src);
                for fix in &d.fixes {
                    for (r, _) in &fix.edits {
                        prop_assert!(r.end as usize <= src.len() && src.is_char_boundary(r.start as usize));
                    }
                }
            }
        }
    }
}

/// Nine levels of nine aliases: refused with one diagnostic, at once, and not followed;
/// ordinary anchors and merge keys are followed as before.
#[test]
fn alias_bombs_are_refused() {
    let mut src = String::from(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    InputConstructor:\n      l0: &l0 [x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        src.push_str(&format!("      l{i}: &l{i} [{refs}]\n"));
    }
    src.push_str("    End: true\n");
    let out = annotate(&src, &CheckOptions::default());
    let notes: Vec<&str> = out.lines().filter(|l| l.contains('^')).collect();
    expect![[r#"^ error[excessive-aliasing]: the aliases of this document would expand to more than 100000 nodes (a "billion laughs"), which YAML parsers refuse; fdl does not follow them"#]].assert_eq(&notes.join("\n"));
    let fine = "Type: StateMachine\nSpecVersion: v1\nStartAt: A\ndefaults: &d {Type: Pass, End: true}\nStates:\n  - Name: A\n    <<: *d\n  - Name: B\n    <<: *d\n";
    let out = annotate(fine, &CheckOptions::default());
    assert!(!out.contains("excessive-aliasing"), "{out}");
}

/// Aliases that nest values through one another (each anchored value holds an alias of
/// the last) deeper than `syntax::MAX_NESTING` levels, within the node budget: refused
/// like a bomb, since every walk that follows aliases would recurse that deep; a chain
/// that stays within the bound is followed. A chain of 5,000 anchors (50,000 blew the
/// stack of the old measure) is refused too.
#[test]
fn aliases_nested_through_one_another_are_bounded() {
    let chain = |n: usize| {
        let mut src = String::from(
            "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    InputConstructor:\n      k0: &a0 [1]\n",
        );
        for k in 1..n {
            src.push_str(&format!("      k{k}: &a{k} [*a{}]\n", k - 1));
        }
        src.push_str(&format!("      last: *a{}\n    End: true\n", n - 1));
        src
    };
    let codes = |src: &str| {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        check(&text, &tree, &CheckOptions::default())
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect::<Vec<_>>()
    };
    assert!(codes(&chain(100)).is_empty(), "{:?}", codes(&chain(100)));
    let deep = codes(&chain(200));
    expect![[r#"
        [
            (
                ExcessiveAliasing,
                "the aliases of this document would nest values more than 128 levels deep (each alias inside the value of the anchor it follows); fdl does not follow them",
            ),
        ]
    "#]]
    .assert_debug_eq(&deep);
    let long = codes(&chain(5_000));
    assert_eq!(long.iter().map(|(c, _)| *c).collect::<Vec<_>>(), [Code::ExcessiveAliasing]);
}

/// Duplicate keys are found in big mappings too (keys indexed past a few dozen, so that a
/// constructor of 50,000 keys is not a quadratic scan), and distinct keys stay clean.
#[test]
fn duplicate_keys_in_a_big_mapping() {
    let flow = |keys: &[String]| {
        let entries: String = keys.iter().map(|k| format!("      {k}: 1\n")).collect();
        format!(
            "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    InputConstructor:\n{entries}    End: true\n"
        )
    };
    let count = |src: &str| {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        check(&text, &tree, &CheckOptions::default()).iter().filter(|d| d.code == Code::DuplicateKey).count()
    };
    let mut keys: Vec<String> = (0..5_000).map(|i| format!("键{i}")).collect();
    assert_eq!(count(&flow(&keys)), 0);
    keys.push("键17".to_string());
    keys.push("键4999".to_string());
    assert_eq!(count(&flow(&keys)), 2);
}
