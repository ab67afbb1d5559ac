//! Properties of the whole pipeline: printing a generated tree and parsing it back gives
//! the same tree, and every stage is total on expression-like text (whose generator the
//! editor features' properties reuse).

use proptest::prelude::*;
use serde_json::Number;

use crate::expr::ast::{BinaryOp, Expr, ExprKind, ObjectEntry, UnaryOp, shape};
use crate::expr::check::check_text;
use crate::expr::eval::{Env, evaluate_text};
use crate::expr::lexer::Quote;
use crate::expr::parse;
use crate::expr::printer::print;
use crate::expr::scope::{ExprContext, Place};
use crate::syntax::TextRange;
use fdl_schema::Dialect;

fn node(kind: ExprKind) -> Expr {
    Expr::new(kind, TextRange::default())
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("in".to_string()),
        Just("视频".to_string()),
        "[a-zA-Z_][a-zA-Z0-9_]{0,6}"
    ]
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        Just(node(ExprKind::Null)),
        any::<bool>().prop_map(|b| node(ExprKind::Bool(b))),
        any::<u64>().prop_map(|n| node(ExprKind::Number(Number::from(n)))),
        (0.0f64..1e12).prop_map(|f| node(ExprKind::Number(Number::from_f64(f).unwrap_or(Number::from(0))))),
        (".{0,8}", prop_oneof![Just(Quote::Double), Just(Quote::Single), Just(Quote::Back)])
            // A back-quoted string cannot hold a back-quote.
            .prop_map(|(s, q)| {
                let q = if q == Quote::Back && s.contains('`') { Quote::Double } else { q };
                node(ExprKind::String(s, q))
            }),
        prop_oneof![Just("$Input"), Just("$"), Just("$local"), Just("$Context")]
            .prop_map(|v| node(ExprKind::Variable(v.to_string()))),
        "[a-z][a-z0-9_]{0,5}"
            .prop_filter("keywords", |s| !matches!(s.as_str(), "true" | "false" | "null" | "in"))
            .prop_map(|s| node(ExprKind::Ident(s))),
    ]
}

fn binary_op() -> impl Strategy<Value = BinaryOp> {
    use BinaryOp::*;
    prop::sample::select(vec![Or, And, Eq, Ne, Lt, Le, Gt, Ge, In, Add, Sub, Mul, Div, Rem])
}

fn tree() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(6, 48, 4, |inner| {
        prop_oneof![
            (inner.clone(), name()).prop_map(|(b, n)| node(ExprKind::Member {
                base: Box::new(b),
                name: n,
                name_range: TextRange::default()
            })),
            (inner.clone(), inner.clone())
                .prop_map(|(b, i)| node(ExprKind::Index { base: Box::new(b), index: Box::new(i) })),
            inner.clone().prop_map(|b| node(ExprKind::Wildcard { base: Box::new(b) })),
            (
                // A keyword is never a function name.
                "[a-z]{1,6}"
                    .prop_filter("keywords", |s| !matches!(s.as_str(), "true" | "false" | "null" | "in")),
                prop::collection::vec(inner.clone(), 0..3),
            )
                .prop_map(|(n, args)| node(ExprKind::Call {
                    name: n,
                    name_range: TextRange::default(),
                    args
                })),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|items| node(ExprKind::Array(items))),
            prop::collection::vec((name(), any::<bool>(), inner.clone()), 0..3).prop_map(|entries| node(
                ExprKind::Object(
                    entries
                        .into_iter()
                        .map(|(key, quoted, value)| ObjectEntry {
                            key,
                            quote: quoted.then_some(Quote::Double),
                            key_range: TextRange::default(),
                            value,
                        })
                        .collect()
                )
            )),
            (prop::sample::select(vec![UnaryOp::Not, UnaryOp::Neg]), inner.clone()).prop_map(|(op, e)| node(
                ExprKind::Unary { op, op_range: TextRange::default(), operand: Box::new(e) }
            )),
            (binary_op(), inner.clone(), inner).prop_map(|(op, l, r)| node(ExprKind::Binary {
                op,
                op_range: TextRange::default(),
                lhs: Box::new(l),
                rhs: Box::new(r)
            })),
        ]
    })
}

/// Text that is mostly expression-like, to reach deep into the parser.
pub(crate) fn expression_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("$Input".to_string()),
        Just("$".to_string()),
        Just(".".to_string()),
        Just("a".to_string()),
        Just("视".to_string()),
        Just("format(".to_string()),
        Just("hash(".to_string()),
        Just(")".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just(" == ".to_string()),
        Just(" && ".to_string()),
        Just(" in ".to_string()),
        Just("!".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("/".to_string()),
        Just("%".to_string()),
        Just("1".to_string()),
        Just("2.5".to_string()),
        Just("0".to_string()),
        Just("\"s\"".to_string()),
        Just("'q".to_string()),
        Just("`".to_string()),
        Just("\\".to_string()),
        Just("[*]".to_string()),
        Just("null".to_string()),
        ".".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Printing a tree and parsing the text gives the same tree.
    #[test]
    fn print_then_parse_is_the_identity(expr in tree()) {
        let text = print(&expr);
        let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {}", e.message)))?;
        prop_assert_eq!(shape(&parsed), shape(&expr), "printed as {:?}", text);
    }

    /// Parse, print, parse: the same tree; and every stage is total on any text.
    #[test]
    fn every_stage_is_total(text in expression_text()) {
        if let Ok(expr) = parse(&text) {
            let printed = print(&expr);
            let again = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {}", e.message)))?;
            prop_assert_eq!(shape(&again), shape(&expr));
            for r in expr.walk().iter().map(|e| e.range) {
                prop_assert!(r.end as usize <= text.len() && text.is_char_boundary(r.start as usize));
            }
        }
        for dialect in [Dialect::CloudFlow, Dialect::Legacy] {
            let ctx = ExprContext::new(dialect, Place::Condition);
            for issue in check_text(&text, &ctx) {
                prop_assert!(issue.range.end as usize <= text.len());
            }
            let mut env = Env::new(dialect, Some(1));
            let _ = evaluate_text(&text, &mut env);
        }
    }
}
