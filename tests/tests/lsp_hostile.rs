//! A hostile or buggy client cannot stop `fdl lsp`: every message that is not a JSON-RPC
//! 2.0 message gets an error answer (with its id when it can be read, else `null`), framing
//! mistakes are survived, text the client mangled is repaired, and the server keeps serving.

#[path = "support/lsp.rs"]
mod lsp_client;
mod support;

use lsp_client::LspServer;
use serde_json::{Value, json};

const URI: &str = "file:///work/flow.fdl.yaml";
const FLOW: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 开始\nStates:\n  - Type: Pass\n    Name: 开始\n    End: true\n";

fn started() -> LspServer {
    let mut server = LspServer::start();
    server.initialize(json!({}));
    server.open(URI, FLOW);
    server
}

/// The server still answers a request about the open document.
fn still_serving(server: &mut LspServer) {
    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}));
    assert_eq!(symbols.as_array().map(Vec::len), Some(1), "{symbols}");
}

/// The error answer to the next bad message: (id, code).
fn error_answer(server: &mut LspServer) -> (Value, i64) {
    let r = server.response_where(|m| m.get("error").is_some());
    (r["id"].clone(), r["error"]["code"].as_i64().unwrap_or(0))
}

fn framed(body: &[u8]) -> Vec<u8> {
    [format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(), body].concat()
}

#[test]
fn json_that_is_not_json_rpc_is_answered() {
    let mut server = started();
    let cases: [(&[u8], Value, i64); 10] = [
        (b"{}", Value::Null, -32600),
        (b"[]", Value::Null, -32600),
        (b"42", Value::Null, -32600),
        (b"null", Value::Null, -32600),
        (br#"[{"jsonrpc":"2.0","id":9,"method":"shutdown"}]"#, Value::Null, -32600),
        (br#"{"jsonrpc":"1.0","id":11,"method":"textDocument/hover"}"#, json!(11), -32600),
        (br#"{"id":12,"method":"textDocument/hover"}"#, json!(12), -32600),
        (br#"{"jsonrpc":"2.0","id":{"x":1},"method":"textDocument/hover"}"#, Value::Null, -32600),
        (br#"{"jsonrpc":"2.0","id":1.5,"method":"textDocument/hover"}"#, Value::Null, -32600),
        (br#"{"jsonrpc":"2.0","id":13,"method":"$/noSuchRequest"}"#, json!(13), -32601),
    ];
    for (body, id, code) in cases {
        server.send_raw(body);
        assert_eq!(error_answer(&mut server), (id, code), "{}", String::from_utf8_lossy(body));
        still_serving(&mut server);
    }
    // Not JSON at all, with and without a readable id.
    server.send_raw(b"{\"id\": 14, \"method\": oops}");
    assert_eq!(error_answer(&mut server), (json!(14), -32700));
    server.send_raw(b"\xff\xfe not even text");
    assert_eq!(error_answer(&mut server), (Value::Null, -32700));
    still_serving(&mut server);
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn mangled_text_is_repaired_and_positions_still_line_up() {
    let mut server = started();
    // Invalid UTF-8 in a didChange (Neovim has sent it when pasting), and half a surrogate
    // pair in a didOpen (JSON.stringify writes one as \ud800): both become U+FFFD, one
    // UTF-16 unit, so later positions still match the client's.
    let change = r##"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///work/flow.fdl.yaml","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"# @\n"}]}}"##;
    let change: Vec<u8> = change.bytes().flat_map(|b| if b == b'@' { vec![0xff] } else { vec![b] }).collect();
    server.send_raw(&change);
    let text = server.request("fdl/documentText", json!({"uri": URI}));
    assert_eq!(text["text"].as_str().unwrap_or(""), format!("# \u{FFFD}\n{FLOW}"));
    let uri2 = "file:///work/surrogate.fdl.yaml";
    let open = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri2}","languageId":"yaml","version":1,"text":"Name: \ud800x\nType: StateMachine\n"}}}}}}"#
    );
    server.send_raw(open.as_bytes());
    let text = server.request("fdl/documentText", json!({"uri": uri2}));
    assert_eq!(text["text"], "Name: \u{FFFD}x\nType: StateMachine\n");
    // A request with a lone surrogate in a string is read and answered.
    server.send_raw(br#"{"jsonrpc":"2.0","id":21,"method":"workspace/symbol","params":{"query":"\ud800"}}"#);
    let answer = server.response(21);
    assert!(answer["result"].is_array(), "{answer}");
    still_serving(&mut server);
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn framing_mistakes_are_survived() {
    let mut server = started();
    let hover = |id: i64| {
        json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
               "params": {"textDocument": {"uri": URI}, "position": {"line": 5, "character": 11}}})
        .to_string()
    };
    let cases = [
        (31, format!("Content-Length: {}\r\n\r\n{}", hover(31).len() + 50, hover(31))), // too large
        (32, format!("Content-Length: 10\r\n\r\n{}", hover(32))),                       // too small
        (33, format!("Content-Type: application/json\r\n\r\n{}", hover(33))),           // missing
        (34, format!("Content-Length: many\r\n\r\n{}", hover(34))),                     // not a number
        (35, format!("Content-Length: 99999999999999999\r\n\r\n{}", hover(35))),        // absurd
        (36, format!("garbage\r\n{}", String::from_utf8_lossy(&framed(hover(36).as_bytes())))),
    ];
    for (id, bytes) in cases {
        server.send_bytes(bytes.as_bytes());
        let answer = server.response(id);
        assert!(answer["result"]["contents"].is_object(), "{id}: {answer}");
    }
    still_serving(&mut server);
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn notifications_before_initialize_are_dropped() {
    let mut server = LspServer::start();
    server.open(URI, FLOW);
    server.initialize(json!({}));
    let text = server.request("fdl/documentText", json!({"uri": URI}));
    assert_eq!(text, Value::Null, "the didOpen sent before initialize must not count");
    assert_eq!(server.shutdown(), Some(0));
}

/// Whether an LSP position (UTF-16) is a place in `text`: an existing line, at most its
/// length, and not between the two halves of a surrogate pair.
fn valid_position(text: &str, p: &Value) -> bool {
    let lines: Vec<&str> = text.split('\n').collect();
    let (Some(line), Some(character)) = (p["line"].as_u64(), p["character"].as_u64()) else { return false };
    let Some(l) = lines.get(line as usize) else { return false };
    let mut units = 0u64;
    for c in l.trim_end_matches('\r').chars() {
        if units == character {
            return true;
        }
        units += c.len_utf16() as u64;
        if units > character {
            return false; // inside a surrogate pair
        }
    }
    units == character
}

fn assert_valid_ranges(text: &str, value: &Value, what: &str) {
    match value {
        Value::Object(map) => {
            if let (Some(start), Some(end)) = (map.get("start"), map.get("end"))
                && start.get("line").is_some()
            {
                assert!(valid_position(text, start) && valid_position(text, end), "{what}: {value}");
            }
            for v in map.values() {
                assert_valid_ranges(text, v, what);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| assert_valid_ranges(text, v, what)),
        _ => {}
    }
}

/// Empty files, comment-only files and emoji: every range the server sends is a place in
/// the client's text, whatever position the client asked about.
#[test]
fn positions_sent_are_valid_for_the_client_text() {
    let mut server = LspServer::start();
    server.initialize(json!({}));
    let texts = [
        "",
        "# only a comment\n# and another",
        "Type: StateMachine\nSpecVersion: v1\nStartAt: 😀开始\nStates:\n  - Type: Pass\n    Name: 😀开始 # 🎉🎉\n    End: true\n",
    ];
    for (i, text) in texts.iter().enumerate() {
        let uri = format!("file:///work/p{i}.fdl.yaml");
        server.open(&uri, text);
        let positions: Vec<Value> = [(0, 0), (0, 99), (5, 11), (5, 12), (5, 13), (2, 10), (99, 0)]
            .iter()
            .map(|(l, c)| json!({"line": l, "character": c}))
            .collect();
        let doc = json!({"uri": uri});
        let answer = server
            .request("textDocument/selectionRange", json!({"textDocument": doc, "positions": positions}));
        assert_valid_ranges(text, &answer, "selectionRange");
        for p in &positions {
            for method in [
                "textDocument/hover",
                "textDocument/definition",
                "textDocument/completion",
                "textDocument/documentHighlight",
                "textDocument/references",
            ] {
                let mut params = json!({"textDocument": doc, "position": p});
                if method == "textDocument/references" {
                    params["context"] = json!({"includeDeclaration": true});
                }
                let answer = server.request(method, params);
                assert_valid_ranges(text, &answer, method);
            }
        }
        for method in ["textDocument/documentSymbol", "textDocument/foldingRange", "textDocument/codeLens"] {
            let answer = server.request(method, json!({"textDocument": doc}));
            assert_valid_ranges(text, &answer, method);
        }
    }
    assert_eq!(server.shutdown(), Some(0));
}
