//! Which framed bodies are JSON-RPC 2.0 messages the server may see, and what to answer
//! for the others (JSON-RPC 2.0, section 5.1: an error with the request's id when it can be
//! read, else with `id: null`).
//!
//! Text is repaired first ([`crate::wire::repaired`]), as editors send it.

use serde_json::{Value, json};

pub(crate) use crate::wire::repaired;

/// What to do with one framed body.
#[derive(Debug, PartialEq)]
pub(crate) enum Verdict {
    /// Hand it to the server, as this text.
    Forward(String),
    /// Answer it with an error.
    Answer { id: Value, code: i64, reason: String, excerpt: String },
    /// Ignore it (said on stderr, the editor's log).
    Drop(String),
}

pub(crate) const PARSE_ERROR: i64 = -32700;
pub(crate) const INVALID_REQUEST: i64 = -32600;
pub(crate) const METHOD_NOT_FOUND: i64 = -32601;

/// Decides about the messages of one session, in order.
#[derive(Default)]
pub(crate) struct Gate {
    /// Whether `initialize` went through: notifications before it are dropped.
    initializing: bool,
}

impl Gate {
    pub(crate) fn judge(&mut self, bytes: Vec<u8>) -> Verdict {
        let text = repaired(bytes);
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => return answer(find_id(&text), PARSE_ERROR, &format!("not JSON: {e}"), &text),
        };
        let Value::Object(message) = &value else {
            let why = match value {
                Value::Array(_) => "a batch of messages, which LSP does not use",
                _ => "a message must be a JSON object",
            };
            return answer(Value::Null, INVALID_REQUEST, why, &text);
        };
        let id = message.get("id");
        let id_ok = match id {
            None | Some(Value::Null | Value::String(_)) => true,
            Some(Value::Number(n)) => n.is_i64(),
            Some(_) => false,
        };
        let reply_to = if id_ok { id.cloned().unwrap_or(Value::Null) } else { Value::Null };
        if message.get("jsonrpc") != Some(&json!("2.0")) {
            return answer(
                reply_to,
                INVALID_REQUEST,
                "not a JSON-RPC 2.0 message (`\"jsonrpc\": \"2.0\"`)",
                &text,
            );
        }
        if !id_ok {
            return answer(Value::Null, INVALID_REQUEST, "an id must be an integer or a string", &text);
        }
        match (message.get("method"), id) {
            (Some(Value::String(method)), Some(_)) => {
                if method == "initialize" {
                    self.initializing = true;
                }
                // `$/` requests are optional; the ones we do not know are answered.
                if method.starts_with("$/") {
                    return answer(reply_to, METHOD_NOT_FOUND, &format!("unknown method `{method}`"), &text);
                }
                Verdict::Forward(text)
            }
            (Some(Value::String(method)), None) => {
                if !self.initializing && method != "exit" {
                    return Verdict::Drop(format!("a `{method}` notification before `initialize`"));
                }
                Verdict::Forward(text)
            }
            (Some(_), _) => answer(reply_to, INVALID_REQUEST, "`method` must be a string", &text),
            (None, Some(_)) if message.contains_key("result") || message.contains_key("error") => {
                Verdict::Forward(text)
            }
            (None, _) => {
                answer(reply_to, INVALID_REQUEST, "neither a request, a notification nor a response", &text)
            }
        }
    }
}

fn answer(id: Value, code: i64, reason: &str, text: &str) -> Verdict {
    Verdict::Answer { id, code, reason: reason.to_string(), excerpt: text.chars().take(80).collect() }
}

/// The `"id": 12` or `"id": "x"` of a message that is not JSON, if it can be read.
fn find_id(text: &str) -> Value {
    let Some(at) = text.find("\"id\"") else { return Value::Null };
    let Some(rest) = text[at + 4..].trim_start().strip_prefix(':') else { return Value::Null };
    let rest = rest.trim_start();
    if let Some(s) = rest.strip_prefix('"') {
        return s.find('"').map_or(Value::Null, |end| Value::String(s[..end].to_string()));
    }
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    digits.parse::<i64>().map_or(Value::Null, Value::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(gate: &mut Gate, body: &[u8]) -> String {
        match gate.judge(body.to_vec()) {
            Verdict::Forward(text) => format!("forward {text}"),
            Verdict::Answer { id, code, reason, .. } => format!("answer {id} {code} {reason}"),
            Verdict::Drop(why) => format!("drop {why}"),
        }
    }

    #[test]
    fn only_json_rpc_messages_go_through() {
        let mut gate = Gate::default();
        let cases: [&[u8]; 13] = [
            br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{}}"#,
            br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#,
            br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            b"{}",
            b"[]",
            b"42",
            b"null",
            br#"{"jsonrpc":"1.0","id":2,"method":"x"}"#,
            br#"{"id":3,"method":"x"}"#,
            br#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#,
            br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
            br#"{"jsonrpc":"2.0","id":4,"method":"$/unknownThing"}"#,
            br#"{"jsonrpc":"2.0","id":"r1","result":null}"#,
        ];
        let out: Vec<String> = cases.iter().map(|c| judge(&mut gate, c)).collect();
        expect_test::expect![[r#"
            drop a `textDocument/didOpen` notification before `initialize`
            forward {"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}
            forward {"jsonrpc":"2.0","method":"initialized","params":{}}
            answer null -32600 not a JSON-RPC 2.0 message (`"jsonrpc": "2.0"`)
            answer null -32600 a batch of messages, which LSP does not use
            answer null -32600 a message must be a JSON object
            answer null -32600 a message must be a JSON object
            answer 2 -32600 not a JSON-RPC 2.0 message (`"jsonrpc": "2.0"`)
            answer 3 -32600 not a JSON-RPC 2.0 message (`"jsonrpc": "2.0"`)
            answer null -32600 an id must be an integer or a string
            answer null -32600 an id must be an integer or a string
            answer 4 -32601 unknown method `$/unknownThing`
            forward {"jsonrpc":"2.0","id":"r1","result":null}"#]]
        .assert_eq(&out.join("\n"));
    }

    #[test]
    fn the_id_of_a_broken_message_is_found_when_it_can_be() {
        assert_eq!(find_id(r#"{"id": 7, "method":}"#), json!(7));
        assert_eq!(find_id(r#"{"id":"a"#), Value::Null);
    }
}
