//! Properties of the dry run: whatever the flow, input and mocks, it returns a result
//! (never panics, never runs past its bounds) whose JSON serialises.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::options::{Limits, Options};
use super::{NoLoader, lower, run, suite};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

const EXPRESSIONS: &[&str] = &[
    "$Input.a",
    "$Input.a.b[0]",
    "length($Input.xs)",
    "$Input.n + 1",
    "$Context.Current.RetryCount",
    "uuid()",
    "$Global.g",
    "$Output.Body",
    "$Input.missing == null",
    "toArray(1, 2)",
    "format(\"{}\", $Input.s)",
    "$Input.xs[*].a",
    "$Input.n / 0",
    "(",
    "$Nope",
];

const CONDITIONS: &[&str] =
    &["$Input.n > 1", "$Input.s == \"x\"", "$Input.flag", "$.n >= 2", "true", "$Input.xs"];
const ERRORS: &[&str] = &["FnF.ALL", "FC.ResourceThrottled", "E1", "FnF.TaskTimeout", "FnF.RuntimeError"];
const ACTIONS: &[&str] =
    &["FC:InvokeFunction", "HTTP:Request", "FNF:StartExecution", "MNS:SendMessage", "ECS:DescribeInstances"];

/// One random state: its kind, a target index, and a few knobs.
type Spec = (u8, usize, usize, usize, bool);

fn cloudflow(specs: &[Spec]) -> String {
    let n = specs.len();
    let name = |i: usize| if i < n { format!("S{i}") } else { "Nowhere".to_string() };
    let mut out = String::from("Type: StateMachine\nName: p\nSpecVersion: v1\nStartAt: S0\nStates:\n");
    for (i, (kind, next, a, b, flag)) in specs.iter().enumerate() {
        let next = name(*next % (n + 1));
        let expr = EXPRESSIONS[a % EXPRESSIONS.len()];
        let end = if *flag { "End: true".to_string() } else { format!("Next: {next}") };
        let state = match kind % 8 {
            0 => format!("Type: Pass\n    InputConstructor:\n      v.$: {expr}\n    {end}"),
            1 => format!(
                "Type: Task\n    Action: {}\n    TaskMode: {}\n    Timeout: \"{b}\"\n    Parameters:\n      body.$: {expr}\n    Retry:\n      - Errors: [{}]\n        MaxAttempts: {}\n        IntervalSeconds: 1\n        BackoffRate: 2\n    Catch:\n      - Errors: [{}]\n        Next: {next}\n    {end}",
                ACTIONS[a % ACTIONS.len()],
                ["RequestComplete", "WaitForSystemCallback", "WaitForCustomCallback"][b % 3],
                ERRORS[b % ERRORS.len()],
                b % 4,
                ERRORS[a % ERRORS.len()]
            ),
            2 => format!("Type: Wait\n    Seconds.$: {expr}\n    {end}"),
            3 => format!(
                "Type: Choice\n    Branches:\n      - Condition: {}\n        Next: {next}\n    Default: {}",
                CONDITIONS[a % CONDITIONS.len()],
                name(b % (n + 1))
            ),
            4 => format!(
                "Type: Parallel\n    Branches:\n      - StartAt: P{i}\n        States:\n          - Type: Pass\n            Name: P{i}\n            OutputConstructor:\n              x.$: {expr}\n            End: true\n    {end}"
            ),
            5 => format!(
                "Type: Map\n    ItemsPath: {}\n    MaxConcurrency: {}\n    Processor:\n      StartAt: M{i}\n      States:\n        - Type: Pass\n          Name: M{i}\n          End: true\n    {end}",
                ["$Input.xs", "$Input.objs", "$Input"][b % 3],
                b % 3
            ),
            6 => "Type: Succeed".to_string(),
            _ => format!("Type: Fail\n    Code: {}", ERRORS[a % ERRORS.len()]),
        };
        out.push_str(&format!("  - Name: S{i}\n    {state}\n"));
    }
    out
}

fn legacy(specs: &[Spec]) -> String {
    let n = specs.len();
    let mut out = String::from("version: v1\ntype: flow\nsteps:\n");
    for (i, (kind, next, a, b, flag)) in specs.iter().enumerate() {
        let goto = if *next % (n + 1) < n { format!("S{}", next % (n + 1)) } else { "Nowhere".to_string() };
        let path = ["$.n", "$input.xs", "$local.v", "$.missing", "$context.step.eventId", "constant"][a % 6];
        let end = if *flag { "\n    end: true" } else { "" };
        let step = match kind % 7 {
            0 => format!("type: pass\n    outputMappings:\n      - target: v\n        source: {path}"),
            1 => format!(
                "type: task\n    resourceArn: {}\n    pattern: {}\n    timeoutSeconds: {b}\n    inputMappings:\n      - target: v\n        source: {path}\n    retry:\n      - errors: [{}]\n    catch:\n      - errors: [{}]\n        goto: {goto}",
                ["acs:fc:::services/s/functions/f", "acs:fnf:::flow/child", "acs:mns:::/topics/t/messages"]
                    [a % 3],
                ["requestResponse", "sync", "waitForCallback"][b % 3],
                ERRORS[b % ERRORS.len()],
                ERRORS[a % ERRORS.len()]
            ),
            2 => format!("type: wait\n    duration: {}", ["$.n", "3", "$.missing"][b % 3]),
            3 => format!(
                "type: choice\n    choices:\n      - condition: {}\n        goto: {goto}\n        steps:\n          - type: pass\n            name: C{i}",
                CONDITIONS[a % CONDITIONS.len()]
            ),
            4 => format!(
                "type: foreach\n    iterationMapping:\n      collection: {}\n      item: it\n    steps:\n      - type: pass\n        name: F{i}\n    outputMappings:\n      - target: all\n        source: $local[*].it",
                ["$.xs", "$.objs", "$.n"][b % 3]
            ),
            5 => format!(
                "type: parallel\n    branches:\n      - steps:\n          - type: succeed\n            name: B{i}"
            ),
            _ => format!("type: fail\n    error: {}", ERRORS[a % ERRORS.len()]),
        };
        out.push_str(&format!("  - name: S{i}\n    {step}{end}\n"));
    }
    out
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..5).prop_map(Value::from),
        "[a-z]{0,3}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,2}|xs|objs|n|s|a", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn mocks(choices: &[(u8, usize, u8)], n: usize) -> String {
    let mut out = String::from("States:\n");
    for (i, (kind, error, delay)) in choices.iter().enumerate().take(n) {
        let response = match kind % 4 {
            0 => format!("{{Return: {{Body: {{v: {i}}}}}, Delay: {delay}}}"),
            1 => format!("{{Throw: {{Error: {}, Cause: c}}, Delay: {delay}}}", ERRORS[error % ERRORS.len()]),
            2 => format!("{{Callback: {{Succeed: [{i}], Delay: {delay}}}}}"),
            _ => format!(
                "\n    \"0\": {{Throw: {{Error: {}}}}}\n    \"1-3\": {{Return: \"text\"}}",
                ERRORS[error % ERRORS.len()]
            ),
        };
        out.push_str(&format!("  S{i}: {response}\n"));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    /// Any flow of either dialect, with any input and mocks, runs to a result within its
    /// bounds, and the result serialises.
    #[test]
    fn the_dry_run_is_total(
        specs in prop::collection::vec((0u8..8, 0usize..8, 0usize..16, 0usize..16, any::<bool>()), 1..7),
        is_legacy in any::<bool>(),
        input in json_value(),
        mocked in prop::collection::vec((0u8..4, 0usize..5, 0u8..3), 0..7),
        seed in any::<u64>(),
    ) {
        let text = if is_legacy { legacy(&specs) } else { cloudflow(&specs) };
        let source = SourceText::new(&text);
        let tree = SyntaxTree::parse(&source);
        let program = lower(&source, &tree, PositionEncoding::Utf16).expect("a flow");
        let (file, errors) = suite::parse(&mocks(&mocked, specs.len()));
        prop_assert!(errors.is_empty(), "{:?}", errors);
        let options = Options {
            seed: Some(seed),
            limits: Limits { max_steps: 300, max_map_items: 50, ..Limits::default() },
            ..Options::default()
        };
        let input = if input.is_object() { input } else { json!({"n": 2, "xs": [1, 2], "objs": [{"a": 1}], "v": input}) };
        let result = run(&program, input, &file.mocks, &options, &NoLoader);
        let json = serde_json::to_value(&result).expect("the result serialises");
        prop_assert!(json["events"].as_array().is_some_and(|e| !e.is_empty()));
        prop_assert_eq!(result.output.is_some(), result.status == super::Status::Succeeded);
        prop_assert_eq!(result.error.is_some(), result.status != super::Status::Succeeded);
    }

    /// Any text as a mocks or test file: errors or mocks, never a panic.
    #[test]
    fn reading_mocks_is_total(src in "(States:\n|Actions:\n|Tests:\n|Flow: f\n|  |    |A: |\"0\": |\"1-2\": |Return: |Throw: |Callback: |Succeed: |Fail: |Error: |Delay: |Expect: |Status: |Ran: |\\{|\\}|\\[|\\]|, |-1|3|x|\n){0,40}") {
        let _ = suite::parse(&src);
    }
}

#[test]
fn generated_flows_run_states() {
    let specs: Vec<Spec> = (0..8u8).map(|k| (k, (k as usize + 1) % 9, k as usize, 1, false)).collect();
    for text in [cloudflow(&specs), legacy(&specs)] {
        let source = SourceText::new(&text);
        let tree = SyntaxTree::parse(&source);
        let errors: Vec<_> = tree.errors().to_vec();
        assert!(errors.is_empty(), "{errors:?}\n{text}");
        let program = lower(&source, &tree, PositionEncoding::Utf16).expect("a flow");
        assert!(program.states.len() >= 8, "{text}");
        let result =
            run(&program, json!({"n": 2, "xs": [1]}), &Default::default(), &Options::default(), &NoLoader);
        let entered =
            result.events.iter().filter(|e| matches!(e.kind, super::EventKind::StateEntered { .. })).count();
        assert!(
            entered >= 2,
            "{}",
            super::render::human(&result, super::render::Style { max_value: 80, color: false })
        );
    }
}
