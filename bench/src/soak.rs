//! The soak test: a generated multi-megabyte flow, a burst of thousands of edits and
//! requests sent without waiting, then checks that the server's text equals the client's,
//! that the last diagnostics are for the last version, and that time and peak memory stay
//! within bounds. `.ci/run` runs it against the release binary.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::protocol::Server;

pub struct Soak {
    pub states: usize,
    pub edits: usize,
    /// Fails when the burst takes longer than this to be applied and diagnosed.
    pub max_time: Duration,
    /// Fails when the server's peak resident memory is higher (MiB).
    pub max_rss_mib: f64,
}

/// Runs the soak test; `Err` says what failed.
pub fn run(command: &[String], soak: &Soak) -> Result<String, String> {
    let text = crate::cloudflow(soak.states);
    let uri = "file:///soak/flow.fdl.yaml";
    let mut server = Server::start(command).map_err(|e| format!("cannot start {command:?}: {e}"))?;
    server.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    server.notify("initialized", json!({}));
    let opened = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let first = server.diagnostics(uri, 1);
    if !first.is_empty() {
        return Err(format!("the generated flow should be clean; first diagnostic: {}", first[0]));
    }
    let open_time = opened.elapsed();

    // Type into state names spread over the file, a request every 100 edits, never waiting.
    // Each place is at the end of its own line and the edits add no line, so a place's
    // position is its start plus the characters typed there: the client does O(1) work per
    // edit and the time measured is the server's.
    let places: Vec<usize> = (1..=8)
        .filter_map(|k| {
            let from = text.len() * k / 9;
            let from = (0..=from).rev().find(|i| text.is_char_boundary(*i))?;
            let name = from + text[from..].find("    Name: ")? + "    Name: ".len();
            Some(name + text[name..].find('\n')?)
        })
        .collect();
    let starts: Vec<(usize, usize)> = places.iter().map(|&at| line_and_utf16(&text, at)).collect();
    let mut typed = vec![0usize; places.len()];
    let started = Instant::now();
    let mut requests = Vec::new();
    for k in 0..soak.edits {
        let which = k % places.len();
        let (line, character) = starts[which];
        let pos = json!({"line": line, "character": character + typed[which]});
        typed[which] += 1;
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2 + k as i64},
                   "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}]}),
        );
        if k % 100 == 99 {
            requests.push(
                server.send_request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": uri}, "position": pos}),
                ),
            );
        }
    }
    let mut current = text.clone();
    for (at, n) in places.iter().zip(&typed).rev() {
        current.insert_str(*at, &"x".repeat(*n));
    }
    let last = 1 + soak.edits as i64;
    let (answer, _) = server.request("fdl/documentText", json!({"uri": uri}));
    let applied = started.elapsed();
    if answer["version"] != last {
        return Err(format!("the server is at version {}, the client at {last}", answer["version"]));
    }
    if answer["text"].as_str() != Some(current.as_str()) {
        return Err("the server's text differs from the client's after the burst".to_string());
    }
    for id in requests {
        server.response(id);
    }
    let last_diagnostics = server.diagnostics(uri, last);
    let diagnosed = started.elapsed();
    let rss = server.peak_rss_mib().unwrap_or(0.0);
    server.stop();
    let summary = format!(
        "{} states ({:.1} MB): opened and diagnosed in {:.0} ms; {} edits applied after {:.2} s, \
         last diagnostics ({} of them) after {:.2} s; peak RSS {rss:.0} MiB",
        soak.states,
        text.len() as f64 / 1e6,
        open_time.as_secs_f64() * 1000.0,
        soak.edits,
        applied.as_secs_f64(),
        last_diagnostics.len(),
        diagnosed.as_secs_f64()
    );
    if diagnosed > soak.max_time {
        return Err(format!("too slow (limit {:.0} s): {summary}", soak.max_time.as_secs_f64()));
    }
    if rss > soak.max_rss_mib {
        return Err(format!("too much memory (limit {:.0} MiB): {summary}", soak.max_rss_mib));
    }
    Ok(summary)
}

/// The line and UTF-16 column of a byte offset.
fn line_and_utf16(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count(), before[start..].chars().map(char::len_utf16).sum())
}
