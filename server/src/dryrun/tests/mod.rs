//! Golden traces: a flow, mocks and an input in; the rendered run out (what `fdl run`
//! prints). `UPDATE_EXPECT=1 cargo test -p fdl dryrun` rewrites the snapshots.

mod cloudflow;
mod debugging;
mod files;
mod legacy;
mod placeholders;
mod runtime;

use std::collections::HashMap;

use expect_test::Expect;
use serde_json::Value;

use crate::dryrun::options::{LoadedFlow, Loader, Options};
use crate::dryrun::render::{Style, human};
use crate::dryrun::{lower, run, suite};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

/// Sub-flows by name, for the tests.
struct Flows(HashMap<&'static str, &'static str>);

impl Loader for Flows {
    fn flow(&self, name: &str) -> Option<LoadedFlow> {
        self.0.get(name).map(|text| LoadedFlow { path: format!("{name}.yaml"), text: text.to_string() })
    }
}

/// Fixtures are indented to sit in the code; YAML wants them flush left.
fn dedent(text: &str) -> String {
    let lines: Vec<&str> = text.lines().skip_while(|l| l.trim().is_empty()).collect();
    let margin = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines.iter().map(|l| l.get(margin..).unwrap_or("").trim_end()).collect::<Vec<_>>().join("\n") + "\n"
}

fn run_with(
    flow: &str,
    mocks: &str,
    input: &str,
    options: Options,
    subflows: &[(&'static str, &'static str)],
) -> super::RunResult {
    let flow = dedent(flow);
    let mocks = dedent(mocks);
    let text = SourceText::new(&flow);
    let tree = SyntaxTree::parse(&text);
    let program = lower(&text, &tree, PositionEncoding::Utf16).expect("a flow");
    let (file, errors) = suite::parse(&mocks);
    assert!(errors.is_empty(), "mocks: {errors:?}");
    let input: Value = serde_json::from_str(input).expect("input JSON");
    let loader = Flows(subflows.iter().map(|(n, t)| (*n, &*Box::leak(dedent(t).into_boxed_str()))).collect());
    run(&program, input, &file.mocks, &options, &loader)
}

fn options() -> Options {
    Options { seed: Some(7), start_time_ms: 1_700_000_000_000, ..Options::default() }
}

fn check(flow: &str, mocks: &str, input: &str, expect: Expect) {
    check_with(flow, mocks, input, options(), &[], expect);
}

fn check_with(
    flow: &str,
    mocks: &str,
    input: &str,
    options: Options,
    subflows: &[(&'static str, &'static str)],
    expect: Expect,
) {
    let result = run_with(flow, mocks, input, options, subflows);
    expect.assert_eq(&human(&result, Style { max_value: 300, color: false }));
}

const HEAD: &str = "Type: StateMachine\nName: f\nSpecVersion: v1\n";

fn cf(body: &str) -> String {
    format!("{HEAD}{}", dedent(body))
}

const LEGACY: &str = "version: v1\ntype: flow\n";

fn legacy(body: &str) -> String {
    format!("{LEGACY}{}", dedent(body))
}
