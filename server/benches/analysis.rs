//! How long a keystroke costs on a big flow: a full parse, an incremental re-parse after a
//! one-character edit, and the full diagnostics pass.
//!
//! Run with `cargo bench -p fdl --bench analysis`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use fdl::analysis::{Cache, CheckOptions, check, check_cached};
use fdl::syntax::{Edit, SourceText, SyntaxTree, TextRange};

/// A CloudFlow flow with `n` top-level states (Tasks, Choices, Waits, a Parallel every 50)
/// and Chinese state names, like the flows this tool is for.
fn big_flow(n: usize) -> String {
    let mut s = String::from("Type: StateMachine\nName: big\nSpecVersion: v1\nStartAt: 状态0\nStates:\n");
    for i in 0..n {
        let next =
            if i + 1 == n { "    End: true\n".to_string() } else { format!("    Next: 状态{}\n", i + 1) };
        match i % 50 {
            0 => s.push_str(&format!(
                "  - Type: Parallel\n    Name: 状态{i}\n    Branches:\n      - StartAt: A{i}\n        States:\n          - Type: Pass\n            Name: A{i}\n            End: true\n{next}"
            )),
            7 => s.push_str(&format!(
                "  - Type: Choice\n    Name: 状态{i}\n    Branches:\n      - Condition: $Input.x == {i}\n        Next: 状态{}\n    Default: 状态{}\n",
                (i + 1).min(n - 1),
                (i + 1).min(n - 1)
            )),
            13 => s.push_str(&format!("  - Type: Wait\n    Name: 状态{i}\n    Seconds: 5\n{next}")),
            _ => s.push_str(&format!(
                "  - Type: Task\n    Name: 状态{i}\n    Action: FC:InvokeFunction\n    TaskMode: RequestComplete\n    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:123:functions/f{i}/LATEST\n      invocationType: Sync\n      body:\n        id.$: $Input.id\n    Retry:\n      - Errors: [FC.ResourceThrottled]\n        Description: throttled\n        MaxAttempts: 3\n        IntervalSeconds: 1\n{next}"
            )),
        }
    }
    s
}

fn bench(c: &mut Criterion) {
    for n in [1_000usize, 5_000] {
        let src = big_flow(n);
        let text = SourceText::new(&src);
        let tree = SyntaxTree::parse(&text);
        assert!(tree.errors().is_empty());
        assert!(check(&text, &tree, &CheckOptions::default()).is_empty(), "the benchmark flow is valid");
        let mut group = c.benchmark_group(format!("{n} states ({} KiB)", src.len() / 1024));
        group.sample_size(20);
        group.bench_function("parse", |b| b.iter(|| SyntaxTree::parse(black_box(&text))));
        // Type one character into a state name in the middle of the file.
        let at = src.find(&format!("Name: 状态{}\n", n / 2)).unwrap() as u32 + 6;
        let mut edited = text.clone();
        edited.edit(TextRange::empty(at), "x");
        let edit = Edit { range: TextRange::empty(at), new_len: 1 };
        group.bench_function("reparse after a keystroke", |b| {
            b.iter(|| tree.reparse(black_box(&edited), edit))
        });
        let new_tree = tree.reparse(&edited, edit);
        group.bench_function("check (all diagnostics)", |b| {
            b.iter(|| check(black_box(&edited), &new_tree, &CheckOptions::default()))
        });
        // What the language server does per keystroke: the cache holds the states of the
        // previous version, so only the edited state is checked again.
        group.bench_function("check after a keystroke (cached)", |b| {
            b.iter_batched(
                || {
                    let mut cache = Cache::default();
                    check_cached(&text, &tree, &CheckOptions::default(), &mut cache);
                    cache
                },
                |mut cache| check_cached(black_box(&edited), &new_tree, &CheckOptions::default(), &mut cache),
                criterion::BatchSize::LargeInput,
            )
        });
        let doc = fdl::ide::Document::new(&src);
        let end = src.rfind("End: true").unwrap() as u32;
        group.bench_function("completion at the last state", |b| {
            b.iter(|| fdl::ide::completions(black_box(&doc), &fdl::ide::Config::default(), end))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
