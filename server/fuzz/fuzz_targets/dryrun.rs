//! The dry run on any flow, mocks (or test file) and execution input: it always ends, with
//! a result inside its caps (steps, Map items, events, value sizes) whose JSON and human
//! rendering work; sub-flows (any name finds this same flow) stop at their depth bound.
//!
//! Input: the flow text, then optionally `\n#~mocks\n` and a mocks or test file (its cases
//! run too, with their inputs and expectations), then optionally `\n#~input\n` and the
//! execution input as JSON.

#![no_main]

use std::time::Duration;

use fdl::analysis::{self, WorkflowMode};
use fdl::dryrun::{self, Execution, Limits, LoadedFlow, Loader, NoHook, Options, RunResult, Status, suite};
use fdl::syntax::{PositionEncoding, SourceText, SyntaxTree};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const LIMITS: Limits = Limits {
    max_steps: 200,
    max_map_items: 40,
    max_value_bytes: 64 * 1024,
    max_events: 2_000,
    max_history_bytes: 1024 * 1024,
    wall_time: Duration::from_secs(3),
    max_subflow_depth: 3,
};

/// Every sub-flow is the flow under test: recursion meets the depth bound.
struct Itself<'a>(&'a str);

impl Loader for Itself<'_> {
    fn flow(&self, name: &str) -> Option<LoadedFlow> {
        Some(LoadedFlow { path: format!("{name}.fdl.yaml"), text: self.0.to_string() })
    }
}

fn cut<'a>(text: &'a str, marker: &str) -> (&'a str, Option<&'a str>) {
    match text.find(marker) {
        Some(at) => (&text[..at], Some(&text[at + marker.len()..])),
        None => (text, None),
    }
}

fn json_bytes(v: &Value) -> usize {
    serde_json::to_vec(v).map_or(0, |b| b.len())
}

fn run(flow: &str, program: &dryrun::Program, input: Value, mocks: &dryrun::Mocks, mode: WorkflowMode) -> RunResult {
    let options = Options { mode, seed: Some(7), limits: LIMITS, ..Options::default() };
    let loader = Itself(flow);
    let mut execution = Execution::new(program, input, mocks, &options, &loader);
    execution.resume(&mut NoHook);
    // Sub-flows count against their parent; each level may enter one more state.
    assert!(execution.steps() <= LIMITS.max_steps + 1, "{} steps", execution.steps());
    let result = execution.into_result();
    check(&result);
    result
}

fn check(result: &RunResult) {
    assert!(!result.events.is_empty());
    assert!(result.events.len() <= LIMITS.max_events, "{} events", result.events.len());
    assert_eq!(result.output.is_some(), result.status == Status::Succeeded);
    assert_eq!(result.error.is_some(), result.status != Status::Succeeded);
    if let Some(output) = &result.output {
        assert!(output.bytes() <= LIMITS.max_value_bytes, "an output of {} bytes", output.bytes());
    }
    let json = serde_json::to_value(result).expect("the result serialises");
    for event in json["events"].as_array().into_iter().flatten() {
        for key in ["input", "output", "parameters", "constructed"] {
            if let Some(v) = event.get(key) {
                let n = json_bytes(v);
                assert!(n <= LIMITS.max_value_bytes, "{key} of {n} bytes in {}", event["type"]);
            }
        }
    }
    let _ = dryrun::render::human(result, dryrun::render::Style { max_value: 80, color: false });
}

fuzz_target!(|text: &str| {
    let (rest, input_text) = cut(text, "\n#~input\n");
    let (flow, mocks_text) = cut(rest, "\n#~mocks\n");
    let source = SourceText::new(flow);
    let tree = SyntaxTree::parse(&source);
    let Ok(program) = dryrun::lower(&source, &tree, PositionEncoding::Utf16) else { return };
    let mode = analysis::mode_from_comment(&source).unwrap_or(WorkflowMode::Standard);
    let input = input_text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or_else(|| json!({}));
    let (file, _errors) = mocks_text.map(suite::parse).unwrap_or_default();
    run(flow, &program, input, &file.mocks, mode);
    for case in file.cases.iter().take(3) {
        let result = run(flow, &program, case.input.clone(), &case.mocks, case.mode.unwrap_or(mode));
        let _ = dryrun::expect::check(&case.expect, &result);
    }
});
