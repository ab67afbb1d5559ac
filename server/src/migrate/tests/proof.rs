//! What is not a flow, and the check catching a changed migration.

use expect_test::expect;

use super::CASES;
use crate::dryrun::{NoLoader, Options};
use crate::migrate::verify;
use crate::migrate::*;
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

#[test]
fn not_a_legacy_flow() {
    let err = |src: &str| migrate(src, &MigrateOptions::default()).unwrap_err().to_string();
    assert_eq!(
        err("Type: StateMachine\nStates: []\n"),
        "this is already a CloudFlow flow (`Type: StateMachine`)"
    );
    assert!(err("a: [\n").starts_with("the YAML has errors"));
    assert!(err("hello: world\n").starts_with("not a legacy flow definition"));
    // Nested far beyond any real flow: refused, not a stack overflow.
    let mut deep = String::from("version: v1\ntype: flow\nsteps:\n");
    let mut pad = String::from(" ");
    for d in 0..=MAX_NESTING {
        deep.push_str(&format!("{pad}- type: choice\n{pad}  name: c{d}\n{pad}  choices:\n{pad}  - condition: $.a\n{pad}    steps:\n"));
        pad.push_str("    ");
    }
    deep.push_str(&format!("{pad}- type: pass\n{pad}  name: end\n"));
    // The YAML itself is refused first: collections nest four levels per choice, and the
    // parser reads no deeper than `syntax::MAX_NESTING`. The migration's own bound stays
    // as a second line of defence.
    assert!(
        err(&deep).starts_with(&format!(
            "the YAML has errors (collections nested more than {} levels deep",
            crate::syntax::MAX_NESTING
        )),
        "{}",
        err(&deep)
    );
}

/// The check is not a formality: a migrated flow that takes another branch, sends another
/// event or returns another output is caught, with the events where the runs part.
#[test]
fn the_check_catches_a_changed_flow() {
    let src = r#"version: v1
type: flow
name: guard
steps:
  - type: choice
    name: big
    choices:
      - condition: $.n > 2
        goto: call
    default:
      goto: done
  - type: task
    name: call
    resourceArn: acs:fc:::services/s/functions/f
  - type: pass
    name: done
"#;
    let m = migrate(src, &MigrateOptions::default()).expect("a legacy flow");
    let first = |edit: &dyn Fn(&str) -> String| {
        let broken = Migration { text: edit(&m.text), ..m.clone() };
        let text = SourceText::new(&broken.text);
        let tree = SyntaxTree::parse(&text);
        let migrated = crate::dryrun::lower(&text, &tree, PositionEncoding::Utf16).expect("migrated");
        let old_text = SourceText::new(src);
        let old_tree = SyntaxTree::parse(&old_text);
        let legacy = crate::dryrun::lower(&old_text, &old_tree, PositionEncoding::Utf16).expect("legacy");
        (0..CASES)
            .find_map(|seed| {
                let case = verify::generate(&legacy, seed);
                verify::compare(&legacy, &migrated, &broken, &case, &Options::default(), &NoLoader).difference
            })
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    expect![[r#"
        the runs take different paths in the flow (step 2)
          legacy:   enters `done` (pass) at 0s
          migrated: enters `call` (Task) at 0s"#]]
    .assert_eq(&first(&|t| t.replace("> 2", ">= 2")));
    expect![[r#"
        the call from `call` sent something else (in the flow)
          legacy:   `call` calls acs:fc:::services/s/functions/f at 0s {"n":10}
          migrated: `call` calls FC:InvokeFunction at 0s {"n":10,"extra":true}"#]]
    .assert_eq(&first(&|t| {
        t.replace(
            "body.$: jsonMerge($Input.input, $Input.local)",
            "body.$: 'jsonMerge($Input.input, {\"extra\": true})'",
        )
    }));
    expect![[r#"
        the outputs differ (the migrated output's `local`)
          legacy:   output {}
          migrated: output {"n":null}"#]]
    .assert_eq(&first(&|t| t.replace("local.$: $Input.local\n    End", "local.$: $Input.input\n    End")));
}
