//! What the API catalog costs an editor: fuzzy completion over every API of every product
//! (about 23.7k names), over one product's APIs and over the services, the first lookup of
//! a product (inflating and decoding it), and the catalog rules inside `check`.
//!
//! Run with `cargo bench -p fdl --bench catalog`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use fdl::analysis::{CheckOptions, check};
use fdl::syntax::{SourceText, SyntaxTree};
use fdl_schema::Dialect;
use fdl_schema::catalog;

/// A flow of `n` normal-integration Tasks over a few products, each with parameters.
fn normal_integration_flow(n: usize) -> String {
    let calls = [
        ("ECS:DescribeInstances", "RegionId: cn-hangzhou\n      PageSize: 50"),
        ("Vpc:DescribeVpcs", "RegionId: cn-hangzhou"),
        ("goodstech:ClassifyCommodity", "ImageURL: https://example.com/a.jpg"),
        ("FC:InvokeFunction", "resourceArn: acs:fc:cn-hangzhou:1:functions/f\n      invocationType: Sync"),
    ];
    let mut s = String::from("Type: StateMachine\nName: calls\nSpecVersion: v1\nStartAt: T0\nStates:\n");
    for i in 0..n {
        let (action, params) = calls[i % calls.len()];
        let next = if i + 1 == n { "End: true".to_owned() } else { format!("Next: T{}", i + 1) };
        s.push_str(&format!(
            "  - Type: Task\n    Name: T{i}\n    Action: {action}\n    Parameters:\n      {params}\n    {next}\n"
        ));
    }
    s
}

fn bench(c: &mut Criterion) {
    let (products, apis) = catalog::stats();
    let mut group = c.benchmark_group(format!("catalog ({products} products, {apis} APIs)"));
    group.bench_function("fuzzy search over all APIs (`descinst`, best 50)", |b| {
        b.iter(|| catalog::search_actions(Dialect::CloudFlow, black_box("descinst"), 50))
    });
    group.bench_function("fuzzy search over all APIs (`CreateInstance`, best 50)", |b| {
        b.iter(|| catalog::search_actions(Dialect::CloudFlow, black_box("CreateInstance"), 50))
    });
    // Loads ECS once; the iterations measure ranking with summaries.
    group.bench_function("ECS APIs for `ECS:` completion (`descinst`)", |b| {
        b.iter(|| catalog::apis(Dialect::CloudFlow, "ECS", black_box("descinst")))
    });
    group.bench_function("services for `Action:` completion (`ec`)", |b| {
        b.iter(|| catalog::services(Dialect::CloudFlow, black_box("ec")))
    });
    let ecs = catalog::FirstLoad::new("ecs").expect("ECS is in the catalog");
    group.bench_function("first lookup of ECS (inflate + decode)", |b| b.iter(|| ecs.run()));
    let sas = catalog::FirstLoad::new("sas").expect("Sas is in the catalog");
    group.bench_function("first lookup of Sas, the largest product (inflate + decode)", |b| {
        b.iter(|| sas.run())
    });
    group.finish();

    let src = normal_integration_flow(400);
    let text = SourceText::new(&src);
    let tree = SyntaxTree::parse(&text);
    assert!(check(&text, &tree, &CheckOptions::default()).is_empty(), "the benchmark flow is valid");
    let mut group = c.benchmark_group(format!("400 normal-integration Tasks ({} KiB)", src.len() / 1024));
    group.sample_size(20);
    group.bench_function("check (all diagnostics)", |b| {
        b.iter(|| check(black_box(&text), &tree, &CheckOptions::default()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
