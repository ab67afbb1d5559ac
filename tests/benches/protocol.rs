//! Keystroke latency over the protocol: the real `fdl lsp` process, a CloudFlow flow with
//! thousands of states, one character typed per iteration. Measures the time from sending
//! `didChange` to receiving the `publishDiagnostics` of that version, and the time of a
//! completion request at the end of the file.
//!
//! Run with `cargo bench -p fdl-tests --bench protocol` (build `fdl` in release first:
//! `cargo build --release`; the support code builds the profile the bench runs in).

#[path = "../tests/support/lsp.rs"]
mod lsp_client;
#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_client::{LspServer, utf16_position};
use serde_json::json;

fn big_flow(n: usize) -> String {
    let mut s = String::from("Type: StateMachine\nName: big\nSpecVersion: v1\nStartAt: 状态0\nStates:\n");
    for i in 0..n {
        let next =
            if i + 1 == n { "    End: true\n".to_string() } else { format!("    Next: 状态{}\n", i + 1) };
        s.push_str(&format!(
            "  - Type: Task\n    Name: 状态{i}\n    Action: FC:InvokeFunction\n    TaskMode: RequestComplete\n    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:123:functions/f{i}/LATEST\n      invocationType: Sync\n      body:\n        id.$: $Input.id\n{next}"
        ));
    }
    s
}

fn bench(c: &mut Criterion) {
    for n in [1_000usize, 5_000] {
        let uri = format!("file:///bench/{n}.fdl.yaml");
        let mut text = big_flow(n);
        let mut server = LspServer::start();
        server.initialize(json!({}));
        server.open(&uri, &text);
        server.diagnostics(&uri, Some(1));
        let mut version = 1;
        let mut group = c.benchmark_group(format!("lsp, {n} states"));
        group.sample_size(30).measurement_time(Duration::from_secs(10));
        // Typing into a state name in the middle of the file, one character per iteration.
        let at = text.find(&format!("Name: 状态{}\n", n / 2)).unwrap() + "Name: ".len();
        group.bench_function("keystroke to diagnostics", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    version += 1;
                    let pos = utf16_position(&text, at);
                    text.insert(at, 'x');
                    let start = Instant::now();
                    server.notify(
                        "textDocument/didChange",
                        json!({"textDocument": {"uri": uri, "version": version},
                               "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}]}),
                    );
                    server.diagnostics(&uri, Some(version));
                    total += start.elapsed();
                }
                total
            })
        });
        let end = text.find("    End: true").unwrap();
        group.bench_function("completion of a transition", |b| {
            b.iter(|| {
                let position = utf16_position(&text, end);
                server.request(
                    "textDocument/completion",
                    json!({"textDocument": {"uri": uri}, "position": position}),
                )
            })
        });
        group.finish();
        let _ = server.shutdown();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
