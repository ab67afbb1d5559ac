//! The expression language on arbitrary text: parsing, printing, checking, evaluating and
//! the editor features never panic, and printing a parsed tree reads back as the same tree.

#![no_main]

use fdl::expr::ast::shape;
use fdl::expr::check::check_text;
use fdl::expr::{Env, ExprContext, Place, evaluate_text, parse, printer};
use fdl::ide::expressions::{complete, highlight, hover, signature};
use fdl_schema::Dialect;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(expr) = parse(text) {
        let printed = printer::print(&expr);
        match parse(&printed) {
            Ok(again) => assert_eq!(shape(&again), shape(&expr), "{text:?} printed as {printed:?}"),
            Err(e) => panic!("{text:?} printed as {printed:?}, which does not parse: {}", e.message),
        }
    }
    for dialect in [Dialect::CloudFlow, Dialect::Legacy] {
        for place in [Place::Condition, Place::OutputConstructor, Place::InputMapping { flow_level: false }] {
            let ctx = ExprContext::new(dialect, place);
            for issue in check_text(text, &ctx) {
                assert!(issue.range.end as usize <= text.len());
            }
        }
        let mut env = Env::new(dialect, Some(7));
        let _ = evaluate_text(text, &mut env);
        let ctx = ExprContext::new(dialect, Place::Anywhere);
        // Every offset would be quadratic on long inputs; the ends and a few inside suffice.
        let len = text.len() as u32;
        for offset in [0, len / 3, len / 2, len.saturating_sub(1), len, len + 1] {
            let _ = complete::complete(text, offset, &ctx);
            let _ = hover::hover(text, offset, &ctx);
            let _ = signature::signature_help(text, offset);
        }
        let _ = highlight::semantic_tokens(text);
    }
});
