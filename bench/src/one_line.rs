//! A whole flow written on one line in flow style (`fdl-bench one-line [STATES] [KEYSTROKES]`):
//! how long `fdl check` takes on it, and a keystroke's diagnostics over the protocol, on
//! the clean flow, while one state holds a syntax error, and while a quote or a bracket
//! typed into a state is not closed yet.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::protocol::{Server, p50_p95, utf16_position};

pub struct Figures {
    pub bytes: usize,
    pub check: Duration,
    pub open: Duration,
    /// p50 and p95 of a keystroke to its diagnostics, in ms: clean, then with an error.
    pub keystroke: (f64, f64),
    pub keystroke_with_error: (f64, f64),
    /// The keystroke that opens a quote (it pairs with the next quote of the document),
    /// then p50 and p95 of the keystrokes typed into the string.
    pub open_quote: f64,
    pub keystroke_in_open_quote: (f64, f64),
    /// The same for a `[` typed into a state and not closed.
    pub open_bracket: f64,
    pub keystroke_after_open_bracket: (f64, f64),
    pub rss_mib: f64,
}

/// Measures `fdl` (the binary; `fdl lsp` is started from it) on a generated one-line flow.
pub fn run(fdl: &str, states: usize, keystrokes: usize) -> Result<Figures, String> {
    let text = crate::cloudflow_one_line(states);
    let path = std::env::temp_dir().join(format!("fdl-one-line-{}.fdl.yaml", std::process::id()));
    std::fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let started = Instant::now();
    let out =
        Command::new(fdl).arg("check").arg(&path).output().map_err(|e| format!("cannot run {fdl}: {e}"))?;
    let check = started.elapsed();
    let _ = std::fs::remove_file(&path);
    if !out.status.success() {
        return Err(format!("fdl check found problems: {}", String::from_utf8_lossy(&out.stdout)));
    }

    let uri = "file:///bench/one-line.fdl.yaml";
    let mut server = Server::start(&[fdl.to_string(), "lsp".to_string()]).map_err(|e| e.to_string())?;
    server.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    server.notify("initialized", json!({}));
    let opened = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let first = server.diagnostics(uri, 1);
    let open = opened.elapsed();
    if !first.is_empty() {
        return Err(format!("the generated flow should be clean: {}", first[0]));
    }
    let mut current = text;
    let mut version = 1;
    // Types `insert` at `at`, waits for the diagnostics of that version.
    let mut type_at = |server: &mut Server, current: &mut String, at: usize, insert: &str| {
        let pos = utf16_position(current, at);
        current.insert_str(at, insert);
        version += 1;
        let t = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": pos, "end": pos}, "text": insert}]}),
        );
        let diagnostics = server.diagnostics(uri, version);
        (t.elapsed(), diagnostics.len())
    };
    // Into the descriptions of the Catch clauses, spread over the line: a character there
    // changes no rule's verdict.
    let spots = current.matches("Description: any").count().max(1);
    let mut clean = Vec::new();
    for k in 0..keystrokes {
        let at = nth_spot(&current, (k * 7919) % spots);
        clean.push(type_at(&mut server, &mut current, at, "x").0);
    }
    // A syntax error in one state (`Seconds: 5: ` is a mapping value where none may be),
    // then keystrokes elsewhere while it stays.
    let wait = current.find("Seconds: 5").ok_or("no Wait state")? + "Seconds: 5".len();
    let (_, baseline) = type_at(&mut server, &mut current, wait, ": x");
    if baseline == 0 {
        return Err("the broken state gave no diagnostic".to_string());
    }
    let mut with_error = Vec::new();
    for k in 0..keystrokes {
        let at = nth_spot(&current, (k * 7919 + 1) % spots);
        with_error.push(type_at(&mut server, &mut current, at, "x").0);
    }
    // A quote typed before a description in the middle (editors without auto-pairs leave it
    // open while the string is typed; it pairs with the next quote of the document), then
    // the string, then the closing quote; then the same with brackets.
    let mut typing_into = |server: &mut Server, current: &mut String, open: &str, close: &str| {
        let value = nth_spot(current, spots / 2) - "any".len();
        let (opened, errors) = type_at(server, current, value, open);
        let mut typed = Vec::new();
        for k in 0..keystrokes {
            typed.push(type_at(server, current, value + 1 + k, "x").0);
        }
        // After the whole description (`any failure`).
        let end = value + current[value..].find([',', '}']).unwrap_or(0);
        let (_, left) = type_at(server, current, end, close);
        (opened, errors, typed, left)
    };
    let (open_quote, errors, mut in_quote, left) = typing_into(&mut server, &mut current, "\"", "\"");
    if errors <= baseline || left != baseline {
        return Err(format!(
            "the open quote gave {errors} diagnostics, {left} once closed ({baseline} before)"
        ));
    }
    let (open_bracket, errors, mut after_bracket, left) = typing_into(&mut server, &mut current, "[", "]");
    // Closed, the description is a list: one diagnostic more (it must be text).
    if errors <= baseline || left != baseline + 1 {
        return Err(format!(
            "the open bracket gave {errors} diagnostics, {left} once closed ({baseline} before)"
        ));
    }
    let rss_mib = server.peak_rss_mib().unwrap_or(0.0);
    let (answer, _) = server.request("fdl/documentText", json!({"uri": uri}));
    if answer["text"].as_str() != Some(current.as_str()) {
        return Err("the server's text differs from the client's".to_string());
    }
    server.stop();
    Ok(Figures {
        bytes: current.len(),
        check,
        open,
        keystroke: p50_p95(&mut clean),
        keystroke_with_error: p50_p95(&mut with_error),
        open_quote: open_quote.as_secs_f64() * 1e3,
        keystroke_in_open_quote: p50_p95(&mut in_quote),
        open_bracket: open_bracket.as_secs_f64() * 1e3,
        keystroke_after_open_bracket: p50_p95(&mut after_bracket),
        rss_mib,
    })
}

/// The offset of the `n`th "Description: any" spot (after the label), in the text as it is.
fn nth_spot(text: &str, n: usize) -> usize {
    text.match_indices("Description: any").nth(n).map_or(0, |(i, _)| i + "Description: any".len())
}
