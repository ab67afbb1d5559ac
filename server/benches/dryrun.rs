//! The dry run's speed: state transitions per second on a chain of Pass states, a Map
//! over 10,000 items, a loop of Tasks with expressions, and compiling a big flow. The
//! targets (issue 9): at least a million Pass transitions per second, and a Map over
//! 10,000 items in under 100 ms.
//!
//! Run with `cargo bench -p fdl --bench dryrun`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fdl::dryrun::{Limits, Mocks, NoLoader, Options, Program, Status, lower, run, suite};
use fdl::syntax::{PositionEncoding, SourceText, SyntaxTree};
use serde_json::{Value, json};

fn compile(src: &str) -> Program {
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    lower(&text, &tree, PositionEncoding::Utf16).expect("a flow")
}

/// `n` Pass states, each going to the next.
fn pass_chain(n: usize) -> String {
    let mut s = String::from("Type: StateMachine\nName: chain\nSpecVersion: v1\nStartAt: P0\nStates:\n");
    for i in 0..n {
        let next = if i + 1 == n { "End: true".to_string() } else { format!("Next: P{}", i + 1) };
        s.push_str(&format!("  - Type: Pass\n    Name: P{i}\n    {next}\n"));
    }
    s
}

const MAP: &str = "Type: StateMachine\nName: fan-out\nSpecVersion: v1\nStartAt: Each\nStates:\n  - Type: Map\n    Name: Each\n    ItemsPath: $Input.items\n    MaxConcurrency: 40\n    Processor:\n      StartAt: Work\n      States:\n        - Type: Pass\n          Name: Work\n          End: true\n    End: true\n";

/// A loop of a Task with Parameters and constructors, counted down by a Choice: the work
/// of a typical flow per step (evaluating expressions, a mock, events).
const LOOP: &str = r#"Type: StateMachine
Name: countdown
SpecVersion: v1
StartAt: Call
States:
  - Type: Task
    Name: Call
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:cn-hangzhou:1:functions/f/LATEST
      invocationType: Sync
      body:
        n.$: $Input.n
        id.$: $Context.Execution.Name
    OutputConstructor:
      n.$: $Input.n - 1
      last.$: $Output.Body.ok
    Next: More
  - Type: Choice
    Name: More
    Branches:
      - Condition: $Input.n > 0
        Next: Call
    Default: Done
  - Type: Succeed
    Name: Done
"#;

fn options(max_steps: u64) -> Options {
    Options {
        seed: Some(1),
        limits: Limits { max_steps, max_events: 10_000_000, ..Limits::default() },
        ..Options::default()
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("dry run");
    group.sample_size(20);

    let n = 10_000;
    let chain = compile(&pass_chain(n));
    let opts = options(1_000_000);
    assert_eq!(run(&chain, json!({"a": 1}), &Mocks::default(), &opts, &NoLoader).status, Status::Succeeded);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("10,000 Pass transitions", |b| {
        b.iter(|| run(black_box(&chain), json!({"a": 1}), &Mocks::default(), &opts, &NoLoader))
    });

    let map = compile(MAP);
    let items: Value = Value::Array(vec![json!({}); 10_000]);
    let input = json!({ "items": items });
    let result = run(&map, input.clone(), &Mocks::default(), &opts, &NoLoader);
    assert_eq!(result.status, Status::Succeeded, "{:?}", result.error);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("Map over 10,000 items (MaxConcurrency 40)", |b| {
        b.iter(|| run(black_box(&map), input.clone(), &Mocks::default(), &opts, &NoLoader))
    });

    let countdown = compile(LOOP);
    let (file, errors) = suite::parse("States:\n  Call: {Return: {Body: {ok: true}}}\n");
    assert!(errors.is_empty());
    let rounds = 1_000;
    let result = run(&countdown, json!({"n": rounds}), &file.mocks, &opts, &NoLoader);
    assert_eq!(result.status, Status::Succeeded, "{:?}", result.error);
    group.throughput(Throughput::Elements(2 * rounds as u64));
    group.bench_function("1,000 rounds of Task + Choice", |b| {
        b.iter(|| run(black_box(&countdown), json!({"n": rounds}), &file.mocks, &opts, &NoLoader))
    });

    let src = pass_chain(n);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("compile 10,000 states (parse + lower)", |b| b.iter(|| compile(black_box(&src))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
