//! Completion, hover, signature help and highlighting on one expression's text, with a `$0`
//! cursor marker; the same mapped into a document; and their totality on any
//! expression-like text.

use expect_test::expect;
use fdl_schema::Dialect;

use super::complete::{self, CompletionKind};
use super::{ExprTokenKind, semantic_tokens, signature_help};
use super::{highlight, hover, signature};
use crate::expr::functions;
use crate::expr::scope::{ExprContext, Field, Place};
use crate::ide::Document;
use crate::ide::fixture::cursor as document_cursor;

/// Splits `text` at the `$0` marker: (text without it, the cursor's byte offset).
fn cursor(text: &str) -> (String, u32) {
    let at = text.find("$0").expect("a $0 cursor marker");
    (text.replacen("$0", "", 1), at as u32)
}

fn input_ctx() -> ExprContext {
    let field = |name: &str, children: Vec<Field>| Field {
        name: name.into(),
        origin: "OutputConstructor of `Prev`".into(),
        children,
    };
    ExprContext {
        dialect: Dialect::CloudFlow,
        place: Place::Parameters,
        input_fields: vec![field("videoUrl", vec![]), field("body", vec![field("size", vec![])])],
    }
}

fn completions(marked: &str, ctx: &ExprContext) -> String {
    let (text, at) = cursor(marked);
    complete::complete(&text, at, ctx)
        .iter()
        .map(|c| {
            let kind = match c.kind {
                CompletionKind::Variable => "var",
                CompletionKind::Field => "field",
                CompletionKind::Function => "fn",
                CompletionKind::Keyword => "kw",
            };
            format!(
                "{kind} {} -> {:?} @{:?}{}",
                c.label,
                c.insert_text,
                c.range,
                c.detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn completion_of_variables_fields_and_functions() {
    let ctx = input_ctx();
    expect![[r#"
        var $Input -> "$Input" @0..2
        var $Item -> "$Item" @0..2"#]]
    .assert_eq(&completions("$I$0", &ExprContext { place: Place::ItemConstructor, ..ctx.clone() }));
    // `$Output` is not offered in Parameters.
    expect![[r#"
        var $Input -> "$Input" @0..1
        var $Context -> "$Context" @0..1
        var $Global -> "$Global" @0..1"#]]
    .assert_eq(&completions("$$0", &ctx));
    expect![[r#"
        field Execution -> "Execution" @9..9
        field Current -> "Current" @9..9"#]]
    .assert_eq(&completions("$Context.$0", &ctx));
    expect![[r#"field Error -> "Error" @17..20"#]].assert_eq(&completions("$Context.Current.Er$0r", &ctx));
    expect![[r#"
        field videoUrl -> "videoUrl" @7..7 (from OutputConstructor of `Prev`)
        field body -> "body" @7..7 (from OutputConstructor of `Prev`)"#]]
    .assert_eq(&completions("$Input.$0", &ctx));
    expect![[r#"field size -> "size" @12..12 (from OutputConstructor of `Prev`)"#]]
        .assert_eq(&completions("$Input.body.$0 == 1", &ctx));
    expect![[r#"fn hash -> "hash(" @19..21 (hash(input: string, algorithm: string) -> string)"#]]
        .assert_eq(&completions("$Input.x == \"a\" && ha$0", &ctx));
    expect![[""]].assert_eq(&completions("format(\"{$0}\")", &ctx));
    expect![""].assert_eq(&completions("$Input.x $0", &ctx));
    let all = completions("$0", &ctx);
    for f in functions::FUNCTIONS {
        assert!(all.contains(&format!("fn {} ", f.name)), "{} in\n{all}", f.name);
    }
    assert!(all.contains("fn fromJSON "), "{all}");
    let legacy =
        ExprContext { dialect: Dialect::Legacy, place: Place::Condition, input_fields: ctx.input_fields };
    expect![[r#"
        field task -> "task" @9..9
        field execution -> "execution" @9..9
        field flow -> "flow" @9..9
        field step -> "step" @9..9"#]]
    .assert_eq(&completions("$context.$0", &legacy));
    expect![[r#"
        field videoUrl -> "videoUrl" @2..5 (from OutputConstructor of `Prev`)"#]]
    .assert_eq(&completions("$.vi$0d", &legacy));
}

#[test]
fn hover_on_functions_variables_and_fields() {
    let ctx = input_ctx();
    let hover = |marked: &str| {
        let (text, at) = cursor(marked);
        hover::hover(&text, at, &ctx).map(|h| format!("{:?}\n{}", h.range, h.markdown)).unwrap_or_default()
    };
    expect![[r#"
        0..4
        ```fdl
        hash(input: string, algorithm: string) -> string
        ```

        The hash of `input` in lowercase hexadecimal.

        - `input`: the text to hash (its UTF-8 bytes)
        - `algorithm`: `MD5`, `SHA-1`, `SHA-256` or `SHA-512`

        Example: `hash("abc", "MD5")` gives `"900150983cd24fb0d6963f7d28e17f72"`

        *hash built-in, documented.*"#]]
    .assert_eq(&hover("ha$0sh($Input.x, \"MD5\")"));
    expect![[r#"
        0..16
        ```fdl
        regexMatchString(pattern: string, input: string) -> boolean
        ```

        Whether `input` contains a match of the regular expression `pattern`.

        - `pattern`: a regular expression (RE2 syntax)
        - `input`: the text to search

        Example: `regexMatchString("^a.c$", "abc")` gives `true`

        *common built-in, name and purpose documented; signature assumed.* *Assumed: the argument order (pattern first) and the unanchored match follow Go's `regexp.MatchString`, which the name mirrors.*"#]]
    .assert_eq(&hover("$0regexMatchString(\"a\", \"b\")"));
    expect![[r#"
        0..7
        ```fdl
        $Output
        ```

        The state's result (for a Task, the integration's response, e.g. `$Output.Body`). Only in OutputConstructor and GlobalConstructor; in GlobalConstructor it is the raw result.

        **Not readable in Parameters**: `$Output` holds the state's result, so it is only readable in OutputConstructor and GlobalConstructor."#]]
    .assert_eq(&hover("$Out$0put.Body"));
    expect![[r#"
        17..22
        ```fdl
        $Context.Current.Error
        ```

        The error being handled, in a Catch rule."#]]
    .assert_eq(&hover("$Context.Current.Er$0ror.Code"));
    expect![[r#"
        12..16
        ```fdl
        $Input.body.size
        ```

        Set by the OutputConstructor of `Prev`."#]]
    .assert_eq(&hover("$Input.body.si$0ze"));
    expect![[""]].assert_eq(&hover("$Input.x == \"st$0r\""));
}

#[test]
fn signature_help_tracks_the_active_argument() {
    let help = |marked: &str| {
        let (text, at) = cursor(marked);
        signature::signature_help(&text, at)
            .map(|s| {
                let params: Vec<&str> = s.parameters.iter().map(|p| p.label.as_str()).collect();
                format!("{} {params:?} active={:?}", s.label, s.active_parameter)
            })
            .unwrap_or_default()
    };
    expect![[r#"hash(input: string, algorithm: string) -> string ["input: string", "algorithm: string"] active=Some(0)"#]]
    .assert_eq(&help("hash($0"));
    expect![[r#"hash(input: string, algorithm: string) -> string ["input: string", "algorithm: string"] active=Some(1)"#]]
    .assert_eq(&help("hash(format(\"{}, {}\", 1, 2), $0\"MD5\")"));
    expect![[r#"format(template: string, ...values: any) -> string ["template: string", "...values: any"] active=Some(1)"#]]
    .assert_eq(&help("hash(format(\"a\", [1, $0]), \"MD5\")"));
    expect![[r#"format(template: string, ...values: any) -> string ["template: string", "...values: any"] active=Some(1)"#]]
    .assert_eq(&help("format(\"{} {} {}\", 1, 2, $0"));
    expect![[r#"uuid() -> string [] active=None"#]].assert_eq(&help("uuid($0)"));
    expect![[""]].assert_eq(&help("nothing($0"));
    expect![[""]].assert_eq(&help("$Input.a $0"));
    expect![[""]].assert_eq(&help("hash(\"a,$0"));
}

#[test]
fn semantic_tokens_classify_every_part() {
    let text = r#"format("{}", $Input.视频[0]) == `x` && !(1.5 in {k: true})"#;
    let tokens: Vec<String> = highlight::semantic_tokens(text)
        .iter()
        .map(|(r, k)| format!("{:?} {:?}", k, &text[r.as_usize()]))
        .collect();
    expect![[r#"
        Function "format"
        String "\"{}\""
        Variable "$Input"
        Property "视频"
        Number "0"
        Operator "=="
        String "`x`"
        Operator "&&"
        Operator "!"
        Number "1.5"
        Operator "in"
        Property "k"
        Keyword "true""#]]
    .assert_eq(&tokens.join("\n"));
}

/// Expressions found in a document: tokens and signatures mapped back to it.
#[test]
fn tokens_and_signatures_map_to_the_document() {
    let src = "Type: StateMachine\nSpecVersion: v1\nStartAt: 选择\nStates:\n  - Type: Choice\n    Name: 选择\n    Branches:\n      - Condition: length($Input.名字) > 2\n        Next: 完\n    Default: 完\n  - Type: Succeed\n    Name: 完\n";
    let doc = Document::new(src);
    let tokens: Vec<(String, ExprTokenKind)> =
        semantic_tokens(&doc).into_iter().map(|(r, k)| (doc.text.slice(r), k)).collect();
    let texts: Vec<&str> = tokens.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["length", "$Input", "名字", ">", "2"]);
    assert_eq!(tokens[0].1, ExprTokenKind::Function);
    let (doc, offset) = document_cursor(&src.replace("$Input.名字)", "$Input.名字$0)"));
    let help = signature_help(&doc, offset).expect("inside length(");
    assert!(help.label.starts_with("length("), "{help:?}");
    assert_eq!(help.active_parameter, Some(0));
}

/// Fields of `$Input` that the states before build are offered after `$Input.`.
#[test]
fn input_fields_of_earlier_states_complete_in_a_document() {
    let src = "Type: StateMachine\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n  - Type: Pass\n    Name: 视频理解\n    OutputConstructor:\n      url.$: $Input.u\n      body:\n        size: 3\n    Next: 下一步\n  - Type: Task\n    Name: 下一步\n    Action: HTTP:Request\n    Parameters:\n      q.$: \"format('{}', $Input.$0)\"\n    End: true\n";
    let (doc, offset) = document_cursor(src);
    let labels: Vec<String> = crate::ide::completions(&doc, &crate::ide::Config::default(), offset)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(labels, ["url", "body"]);
}

mod properties {
    use proptest::prelude::*;

    use super::super::{complete, highlight, hover, signature};
    use crate::expr::scope::{ExprContext, Place};
    use crate::expr::tests::properties::expression_text;
    use fdl_schema::Dialect;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Every feature is total on any text at any offset, one past the end included.
        #[test]
        fn every_feature_is_total(text in expression_text()) {
            for dialect in [Dialect::CloudFlow, Dialect::Legacy] {
                let ctx = ExprContext::new(dialect, Place::Condition);
                for offset in 0..=text.len() as u32 + 1 {
                    let _ = complete::complete(&text, offset, &ctx);
                    let _ = hover::hover(&text, offset, &ctx);
                    let _ = signature::signature_help(&text, offset);
                }
                let _ = highlight::semantic_tokens(&text);
            }
        }
    }
}

mod cached_tokens {
    use proptest::prelude::*;

    use super::semantic_tokens;
    use crate::ide::Document;
    use crate::syntax::TextRange;

    const FLOW: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 选择\nStates:\n  - Type: Choice\n    Name: 选择\n    Branches:\n      - Condition: length($Input.名字) > 2\n        Next: 任务\n    Default: 完\n  - Type: Task\n    Name: 任务\n    Action: FC:InvokeFunction\n    Parameters:\n      body:\n        url.$: $Input.url\n        n.$: length($Input.items) + 1\n    Next: 完\n  - Type: Succeed\n    Name: 完\n";
    const LEGACY: &str = "version: v1\ntype: flow\ninputMappings:\n  - target: a\n    source: $input.a\nsteps:\n  - type: pass\n    name: 甲\n    inputMappings:\n      - target: x\n        source: $input.x\n  - type: choice\n    name: 乙\n    choices:\n      - condition: $.x > 1\n        goto: 甲\n";
    const SNIPPETS: &[&str] =
        &["x", "\n", "  ", "$Input.", " > 3", "视频", ": ", "url.$: $Input.a\n", "#", "  - Type: Pass\n"];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// Tokens reused from unchanged states are exactly what a fresh document gives.
        #[test]
        fn cached_tokens_equal_fresh_tokens(edits in prop::collection::vec((0.0..1.0f64, 0usize..12, 0..SNIPPETS.len() + 1), 1..8), legacy in any::<bool>()) {
            let mut doc = Document::new(if legacy { LEGACY } else { FLOW });
            semantic_tokens(&doc);
            for (at, len, snippet) in edits {
                let s = doc.text.to_string_lossless();
                let (start, end) = crate::syntax::text::random_edit_bounds(&s, at, len);
                let insert = SNIPPETS.get(snippet).copied().unwrap_or("");
                doc = doc.edit(TextRange::new(start as u32, end as u32), insert);
                let fresh = Document::new(&doc.text.to_string_lossless());
                prop_assert_eq!(semantic_tokens(&doc), semantic_tokens(&fresh), "text: {:?}", doc.text.to_string_lossless());
            }
        }
    }
}
