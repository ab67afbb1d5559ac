//! The protocol benchmark: launches `fdl lsp` (and, if given, a peer such as
//! yaml-language-server configured with fdl's JSON Schema) over stdio on generated flows,
//! and prints what an editor user feels, as a Markdown table: start-up, open to first
//! diagnostics, a keystroke to its published diagnostics, completion, hover, outline and
//! semantic tokens (whole, and as a delta from the previous answer when the server offers
//! it; median and 95th percentile), and peak memory. Times run to the last byte of the
//! answer (see `protocol`).
//!
//! `cargo run --release -p fdl-bench -- --help` lists the options; bench/README.md has the
//! command that reproduces the published table.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fdl_bench::protocol::{Server, p50_p95, utf16_position};
use serde_json::{Value, json};

struct Options {
    sizes: Vec<usize>,
    keystrokes: usize,
    repeat: usize,
    fdl: Vec<String>,
    peer: Option<Vec<String>>,
    schema: PathBuf,
    /// Figures per place of completion and hover, and the server's CPU time (on stderr).
    breakdown: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: fdl-bench [--sizes 100,1000,5000] [--keystrokes N] [--repeat N] [--quick]\n\
         \x20                [--fdl 'path/to/fdl lsp'] [--peer 'node path/to/yaml-language-server --stdio']\n\
         \x20                [--schema schema/cloudflow.schema.json] [--breakdown]"
    );
    std::process::exit(2)
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    options_from(&args)
}

fn options_from(args: &[String]) -> Options {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut o = Options {
        sizes: vec![100, 1_000, 5_000],
        keystrokes: 60,
        repeat: 40,
        fdl: vec![root.join("target/release/fdl").display().to_string(), "lsp".to_string()],
        peer: None,
        schema: root.join("schema/cloudflow.schema.json"),
        breakdown: false,
    };
    let mut args = args.iter().cloned();
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--sizes" => {
                o.sizes = value().split(',').map(|s| s.trim().parse().unwrap_or_else(|_| usage())).collect()
            }
            "--keystrokes" => o.keystrokes = value().parse().unwrap_or_else(|_| usage()),
            "--repeat" => o.repeat = value().parse().unwrap_or_else(|_| usage()),
            "--quick" => {
                o.sizes = vec![100, 1_000];
                o.keystrokes = 10;
                o.repeat = 5;
            }
            "--fdl" => o.fdl = value().split_whitespace().map(str::to_string).collect(),
            "--peer" => o.peer = Some(value().split_whitespace().map(str::to_string).collect()),
            "--schema" => o.schema = PathBuf::from(value()),
            "--breakdown" => o.breakdown = true,
            _ => usage(),
        }
    }
    o
}

/// One server's figures on one flow.
struct Row {
    server: String,
    states: usize,
    kib: usize,
    init: f64,
    open: f64,
    keystroke: (f64, f64),
    completion: (f64, f64),
    hover: (f64, f64),
    symbols: (f64, f64),
    tokens: Option<(f64, f64)>,
    tokens_delta: Option<(f64, f64)>,
    rss: Option<f64>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn capabilities() -> Value {
    json!({
        "textDocument": {
            "completion": {"completionItem": {"snippetSupport": true}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "semanticTokens": {"requests": {"full": {"delta": true}}, "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]},
            "publishDiagnostics": {"versionSupport": true}
        },
        "workspace": {"configuration": true}
    })
}

/// Where the requests go: offsets in the middle of the flow.
struct Spots {
    /// Offsets after which a character is typed (the end of a state's name), in turn.
    typing: Vec<usize>,
    completion: Vec<usize>,
    hover: Vec<usize>,
}

fn spots(text: &str) -> Spots {
    let middle = text.len() / 2;
    let after = |needle: &str, from: usize| text[from..].find(needle).map(|i| from + i + needle.len());
    let mut typing = Vec::new();
    let mut at = middle;
    while typing.len() < 8 {
        let Some(name) = after("    Name: ", at) else { break };
        let end = name + text[name..].find('\n').unwrap_or(0);
        typing.push(end);
        at = end;
    }
    let completion = [
        after("TaskMode: ", middle),
        after("Next: ", middle),
        after("Action: F", middle),
        after("orderId.$: $Input.", middle),
        after("    Parameters:\n", middle).map(|p| p + 6),
    ]
    .into_iter()
    .flatten()
    .collect();
    let hover = [
        after("Action: FC:Invoke", middle),
        after("Name: ", middle).map(|p| p + text[p..].chars().next().map_or(0, char::len_utf8)),
    ]
    .into_iter()
    .flatten()
    .collect();
    Spots { typing, completion, hover }
}

fn measure(name: &str, command: &[String], states: usize, o: &Options, peer_settings: Option<Value>) -> Row {
    let text = fdl_bench::cloudflow(states);
    let spots = spots(&text);
    let uri = format!("file:///bench/flow{states}.fdl.yaml");
    let started = Instant::now();
    let mut server = Server::start(command).unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let init_params = json!({"processId": null, "rootUri": "file:///bench", "capabilities": capabilities()});
    let (init, _) = server.request("initialize", init_params);
    let init_ms = ms(started.elapsed());
    server.notify("initialized", json!({}));
    if let Some(settings) = peer_settings {
        server.settings = settings.clone();
        server.notify("workspace/didChangeConfiguration", json!({"settings": settings}));
    }
    let tokens_supported = init["capabilities"]["semanticTokensProvider"].is_object();
    let delta_supported = init["capabilities"]["semanticTokensProvider"]["full"]["delta"] == true;

    let opened = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let first = server.diagnostics(&uri, 1);
    let open_ms = ms(opened.elapsed());
    if name == "fdl" {
        assert!(first.is_empty(), "the generated flow should be clean: {:?}", first.first());
    }

    // Keystrokes: one character typed at the end of a state name, in turn, each waited for.
    let mut typist = Typist {
        spots: spots.typing.clone(),
        typed: vec![0; spots.typing.len()],
        current: text.clone(),
        version: 1,
    };
    let mut keystrokes = Vec::new();
    for _ in 0..o.keystrokes {
        let (version, change) = typist.next_change(&uri);
        let t = Instant::now();
        server.notify("textDocument/didChange", change);
        let (received, _) = server.diagnostics_received(&uri, version);
        keystrokes.push(received.saturating_duration_since(t));
    }
    let doc = json!({"uri": uri});
    let timed = |server: &mut Server, method: &str, params: Vec<Value>| {
        let mut samples = Vec::new();
        let mut by_place = vec![Vec::new(); params.len()];
        for r in 0..o.repeat {
            let p = params[r % params.len()].clone();
            let took = server.request(method, p).1;
            samples.push(took);
            by_place[r % params.len()].push(took);
        }
        if o.breakdown {
            for (p, mut s) in params.iter().zip(by_place) {
                let (p50, p95) = p50_p95(&mut s);
                eprintln!("{name} {states} {method} at {}: p50 {p50:.2} ms, p95 {p95:.2} ms", p["position"]);
            }
        }
        p50_p95(&mut samples)
    };
    let at = |offsets: &[usize], typist: &Typist| -> Vec<Value> {
        offsets
            .iter()
            .map(|&o| json!({"textDocument": doc, "position": utf16_position(&typist.current, typist.moved(o))}))
            .collect()
    };
    let completion = timed(&mut server, "textDocument/completion", at(&spots.completion, &typist));
    let hover = timed(&mut server, "textDocument/hover", at(&spots.hover, &typist));
    // An editor asks for the outline and the tokens again after each change: each request
    // here follows a keystroke (not waited for), as it would in an editor.
    let mut after_keystroke = |server: &mut Server, method: &str| {
        let mut samples = Vec::new();
        for _ in 0..o.repeat {
            typist.type_one(server, &uri);
            samples.push(server.request(method, json!({"textDocument": doc})).1);
        }
        p50_p95(&mut samples)
    };
    let symbols = after_keystroke(&mut server, "textDocument/documentSymbol");
    let tokens = tokens_supported.then(|| after_keystroke(&mut server, "textDocument/semanticTokens/full"));
    // Editors that can (VS Code) ask for the change since their last tokens: each delta is
    // applied here, and the tokens it leads to must equal a whole answer at the end.
    let tokens_delta = delta_supported.then(|| {
        let full = |server: &mut Server| {
            server.request("textDocument/semanticTokens/full", json!({"textDocument": doc})).0
        };
        let mut last = full(&mut server);
        let mut samples = Vec::new();
        for _ in 0..o.repeat {
            typist.type_one(&mut server, &uri);
            let params = json!({"textDocument": doc, "previousResultId": last["resultId"]});
            let (answer, took) = server.request("textDocument/semanticTokens/full/delta", params);
            samples.push(took);
            apply_tokens_delta(&mut last, answer);
        }
        let now = full(&mut server);
        assert_eq!(now["data"], last["data"], "semantic token deltas must lead to the whole answer");
        p50_p95(&mut samples)
    });
    let rss = server.peak_rss_mib();
    if o.breakdown
        && let Some(cpu) = server.cpu_seconds()
    {
        eprintln!("{name} {states} server CPU time over the whole run: {cpu:.2} s");
    }
    server.stop();
    Row {
        server: name.to_string(),
        states,
        kib: text.len() / 1024,
        init: init_ms,
        open: open_ms,
        keystroke: p50_p95(&mut keystrokes),
        completion,
        hover,
        symbols,
        tokens,
        tokens_delta,
        rss,
    }
}

/// `last` (a `SemanticTokens` answer) updated by `answer`: a `SemanticTokensDelta` (its
/// edits applied from the last one back, so that each keeps its offsets) or a whole answer.
fn apply_tokens_delta(last: &mut Value, answer: Value) {
    let Some(edits) = answer["edits"].as_array() else {
        *last = answer;
        return;
    };
    let data = last["data"].as_array_mut().expect("semantic tokens hold data");
    let mut edits = edits.clone();
    edits.sort_by_key(|e| e["start"].as_u64());
    for edit in edits.iter().rev() {
        let start = edit["start"].as_u64().unwrap_or(0) as usize;
        let delete = edit["deleteCount"].as_u64().unwrap_or(0) as usize;
        let insert = edit["data"].as_array().cloned().unwrap_or_default();
        data.splice(start..start + delete, insert);
    }
    last["resultId"] = answer["resultId"].clone();
}

/// Types one character at a time at the end of a state name, in turn, and keeps the text
/// the server should hold.
struct Typist {
    /// Where characters are typed, as offsets in the original text, in text order.
    spots: Vec<usize>,
    /// How many characters were typed at each spot.
    typed: Vec<usize>,
    current: String,
    version: i64,
}

impl Typist {
    /// An offset of the original text in the current one: the characters typed before it
    /// moved it.
    fn moved(&self, offset: usize) -> usize {
        offset
            + self.spots.iter().zip(&self.typed).filter(|(t, _)| **t <= offset).map(|(_, n)| n).sum::<usize>()
    }

    /// Sends the next keystroke (not waiting for anything); its document version.
    fn type_one(&mut self, server: &mut Server, uri: &str) -> i64 {
        let (version, change) = self.next_change(uri);
        server.notify("textDocument/didChange", change);
        version
    }

    /// The next keystroke's `didChange` and version, the client's own copy of the text
    /// already edited: what an editor does before it sends the change is not the server's
    /// time (the position of an offset in this `String` is a scan of megabytes).
    fn next_change(&mut self, uri: &str) -> (i64, Value) {
        let which = (self.version as usize - 1) % self.spots.len().max(1);
        let at = self.moved(self.spots[which]);
        let pos = utf16_position(&self.current, at);
        self.current.insert(at, 'x');
        self.typed[which] += 1;
        self.version += 1;
        let change = json!({"textDocument": {"uri": uri, "version": self.version},
               "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}]});
        (self.version, change)
    }
}

fn pair((a, b): (f64, f64)) -> String {
    format!("{a:.2} / {b:.2}")
}

fn main() {
    // `fdl-bench --emit cloudflow 5000` prints a generated flow (for fdl check, or editors).
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--emit") {
        let n = args.get(3).and_then(|n| n.parse().ok()).unwrap_or_else(|| usage());
        match args.get(2).map(String::as_str) {
            Some("cloudflow") => print!("{}", fdl_bench::cloudflow(n)),
            Some("cloudflow-one-line") => print!("{}", fdl_bench::cloudflow_one_line(n)),
            Some("legacy") => print!("{}", fdl_bench::legacy(n)),
            _ => usage(),
        }
        return;
    }
    // `fdl-bench one-line [STATES] [KEYSTROKES] [--fdl 'path/to/fdl lsp']`: a flow written on
    // one line.
    if args.get(1).map(String::as_str) == Some("one-line") {
        let o = options_from(args.get(4..).unwrap_or(&[]));
        let states = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(4_000);
        let keystrokes = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(200);
        match fdl_bench::one_line::run(&o.fdl[0], states, keystrokes) {
            Ok(f) => println!(
                "one line of {:.2} MB ({states} states): fdl check {:.0} ms; open to diagnostics {:.0} ms; \
                 keystroke to diagnostics p50 / p95 {:.1} / {:.1} ms, with a syntax error in one state {:.1} / {:.1} ms; \
                 a quote opened {:.1} ms, then typing in it {:.1} / {:.1} ms; a bracket opened {:.1} ms, then typing after it {:.1} / {:.1} ms; \
                 peak RSS {:.0} MiB",
                f.bytes as f64 / 1e6,
                ms(f.check),
                ms(f.open),
                f.keystroke.0,
                f.keystroke.1,
                f.keystroke_with_error.0,
                f.keystroke_with_error.1,
                f.open_quote,
                f.keystroke_in_open_quote.0,
                f.keystroke_in_open_quote.1,
                f.open_bracket,
                f.keystroke_after_open_bracket.0,
                f.keystroke_after_open_bracket.1,
                f.rss_mib
            ),
            Err(why) => {
                eprintln!("one-line: FAILED: {why}");
                std::process::exit(1);
            }
        }
        return;
    }
    // `fdl-bench soak [STATES] [EDITS]`: the soak test (exit 1 on failure).
    if args.get(1).map(String::as_str) == Some("soak") {
        let o = options_from(&[]);
        let soak = fdl_bench::soak::Soak {
            states: args.get(2).and_then(|n| n.parse().ok()).unwrap_or(12_400),
            edits: args.get(3).and_then(|n| n.parse().ok()).unwrap_or(10_000),
            max_time: Duration::from_secs(30),
            max_rss_mib: 400.0,
        };
        match fdl_bench::soak::run(&o.fdl, &soak) {
            Ok(summary) => println!("soak: ok: {summary}"),
            Err(why) => {
                eprintln!("soak: FAILED: {why}");
                std::process::exit(1);
            }
        }
        return;
    }
    let o = options();
    println!(
        "| server | states (KiB) | initialize ms | open → diagnostics ms | keystroke → diagnostics p50 / p95 ms | completion p50 / p95 ms | hover p50 / p95 ms | documentSymbol p50 / p95 ms | semanticTokens full p50 / p95 ms | semanticTokens delta p50 / p95 ms | peak RSS MiB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let schema_uri =
        format!("file://{}", std::fs::canonicalize(&o.schema).unwrap_or(o.schema.clone()).display());
    for &states in &o.sizes {
        let mut rows = vec![measure("fdl", &o.fdl, states, &o, None)];
        if let Some(peer) = &o.peer {
            let settings = json!({"yaml": {"schemas": {schema_uri.clone(): "*.yaml"}, "validate": true,
                                  "completion": true, "hover": true, "format": {"enable": false}}});
            rows.push(measure("yaml-language-server", peer, states, &o, Some(settings)));
        }
        for r in &rows {
            println!(
                "| {} | {} ({}) | {:.1} | {:.1} | {} | {} | {} | {} | {} | {} | {} |",
                r.server,
                r.states,
                r.kib,
                r.init,
                r.open,
                pair(r.keystroke),
                pair(r.completion),
                pair(r.hover),
                pair(r.symbols),
                r.tokens.map(pair).unwrap_or_else(|| "n/a".to_string()),
                r.tokens_delta.map(pair).unwrap_or_else(|| "n/a".to_string()),
                r.rss.map(|m| format!("{m:.0}")).unwrap_or_else(|| "?".to_string()),
            );
        }
        if rows.len() == 2 {
            let (f, p) = (&rows[0], &rows[1]);
            println!(
                "| ratio (peer / fdl) | {} | | {:.0}× | {:.0}× | {:.0}× | {:.0}× | {:.0}× | | | {} |",
                states,
                p.open / f.open,
                p.keystroke.1 / f.keystroke.1,
                p.completion.1 / f.completion.1,
                p.hover.1 / f.hover.1,
                p.symbols.1 / f.symbols.1,
                match (p.rss, f.rss) {
                    (Some(a), Some(b)) => format!("{:.1}×", a / b),
                    _ => "?".to_string(),
                }
            );
        }
    }
}
