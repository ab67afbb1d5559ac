//! Diagnostics fixtures: a flow in, the flow annotated with its diagnostics out.
//!
//! Every rule has a fixture that triggers it and one that must stay clean. Carets count
//! characters, so ranges on CJK state names are checked too.
//!
//! One module per topic of the rules; they all go through `check_flow` (or `check_express`
//! for Express mode).

mod cached;
mod flows;
mod graph;
mod integrations;
mod keys;
mod parallel;
mod robustness;

use expect_test::Expect;

use super::fixture::annotate;
use super::{CheckOptions, WorkflowMode};

fn check_flow(src: &str, expect: Expect) {
    expect.assert_eq(&annotate(src, &CheckOptions::default()));
}

fn check_express(src: &str, expect: Expect) {
    expect.assert_eq(&annotate(
        src,
        &CheckOptions { mode: Some(WorkflowMode::Express), ..CheckOptions::default() },
    ));
}
