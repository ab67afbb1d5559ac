//! The adapter's input and output. Input: stdin framed by [`crate::wire`] (which survives
//! wrong lengths, garbage and bodies that are not JSON) on a reader thread, each body
//! judged here: a DAP request goes on, a broken one is answered with an error when its
//! `seq` and `command` can be read, and anything else is logged. Output: one writer shared
//! by the adapter and the run thread, which numbers the messages (`seq`) in the order they
//! are written.

use std::io::Write;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::{Value, json};
use tokio::io::AsyncRead;

use super::protocol::Request;
use crate::wire::{Frame, Framer, repaired};

/// What the reader hands the adapter.
#[derive(Debug)]
pub enum Incoming {
    Request(Request),
    /// A message that is not a request the adapter can take, and why; `seq` and `command`
    /// when they could be read (then it is answered).
    Broken {
        seq: Option<i64>,
        command: Option<String>,
        why: String,
    },
    /// The input ended (the client is gone).
    End,
}

/// Reads the input `open` gives (inside the reader's runtime, which tokio's stdin needs)
/// on a thread of its own until it ends, sending what it reads to `to`.
pub fn spawn_reader<R, F>(open: F, to: Sender<Incoming>)
where
    R: AsyncRead + Unpin + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    std::thread::Builder::new()
        .name("dap-reader".into())
        .spawn(move || {
            let runtime =
                match tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build() {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = to.send(Incoming::Broken {
                            seq: None,
                            command: None,
                            why: format!("no reader: {e}"),
                        });
                        let _ = to.send(Incoming::End);
                        return;
                    }
                };
            runtime.block_on(async move {
                let mut framer = Framer::new(open());
                while let Some(frame) = framer.next().await {
                    let incoming = match frame {
                        Frame::Json(bytes) => judge(&repaired(bytes)),
                        Frame::Broken { bytes, why } => {
                            let text = repaired(bytes);
                            Some(broken(&text, why))
                        }
                    };
                    if let Some(incoming) = incoming
                        && to.send(incoming).is_err()
                    {
                        return;
                    }
                }
                let _ = to.send(Incoming::End);
            });
        })
        .expect("a thread for the reader");
}

/// A body that is a JSON value: a request, or what is wrong with it. Responses and events
/// from the client (the adapter sends no reverse requests) are dropped.
pub fn judge(text: &str) -> Option<Incoming> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Some(broken(text, format!("not JSON: {e}"))),
    };
    let Value::Object(message) = &value else {
        return Some(broken(text, "a message must be a JSON object".into()));
    };
    let seq = message.get("seq").and_then(Value::as_i64);
    let command = message.get("command").and_then(Value::as_str).map(str::to_string);
    match message.get("type").and_then(Value::as_str) {
        Some("request") => {}
        Some("response" | "event") => return None,
        _ => {
            let why = "not a DAP request (`\"type\": \"request\"`)".to_string();
            return Some(Incoming::Broken { seq, command, why });
        }
    }
    match serde_json::from_value::<Request>(value.clone()) {
        Ok(request) => Some(Incoming::Request(request)),
        Err(e) => Some(Incoming::Broken { seq, command, why: format!("not a DAP request: {e}") }),
    }
}

fn broken(text: &str, why: String) -> Incoming {
    let excerpt: String = text.chars().take(80).collect();
    Incoming::Broken {
        seq: find_number(text, "seq"),
        command: find_string(text, "command"),
        why: format!("{why}: `{excerpt}`"),
    }
}

/// `"key": 12` in text that is not JSON, if it can be read.
fn find_number(text: &str, key: &str) -> Option<i64> {
    let rest = after_key(text, key)?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    digits.parse().ok()
}

/// `"key": "text"` in text that is not JSON, if it can be read.
fn find_string(text: &str, key: &str) -> Option<String> {
    let rest = after_key(text, key)?.strip_prefix('"')?;
    rest.find('"').map(|end| rest[..end].to_string())
}

fn after_key<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let at = text.find(&format!("\"{key}\""))?;
    Some(text[at + key.len() + 2..].trim_start().strip_prefix(':')?.trim_start())
}

/// The adapter's output: messages get their `seq` here, in the order they are written.
#[derive(Clone)]
pub struct Writer {
    inner: Arc<Mutex<Out>>,
}

struct Out {
    sink: Box<dyn Write + Send>,
    seq: i64,
}

impl Writer {
    pub fn new(sink: Box<dyn Write + Send>) -> Writer {
        Writer { inner: Arc::new(Mutex::new(Out { sink, seq: 0 })) }
    }

    fn send(&self, mut message: Value) {
        // A poisoned lock means a panic while writing: the output may be cut, but the
        // counter is intact, so carry on.
        let mut out = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        out.seq += 1;
        message["seq"] = json!(out.seq);
        let body = message.to_string();
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        // A client that is gone cannot be told; the reader sees the end of its input.
        let _ = out.sink.write_all(header.as_bytes());
        let _ = out.sink.write_all(body.as_bytes());
        let _ = out.sink.flush();
    }

    /// Answers `request`: `Ok(body)` or `Err(message)` (shown to the user).
    pub fn respond(&self, request: &Request, result: Result<Value, String>) {
        self.respond_to(request.seq, &request.command, result);
    }

    pub fn respond_to(&self, seq: i64, command: &str, result: Result<Value, String>) {
        let mut message = json!({
            "type": "response",
            "request_seq": seq,
            "command": command,
            "success": result.is_ok(),
        });
        match result {
            Ok(Value::Null) => {}
            Ok(body) => message["body"] = body,
            Err(text) => {
                // `format` is what VS Code shows; `message` is what the protocol asks for.
                message["body"] = json!({"error": {"id": 1, "format": text.clone(), "showUser": true}});
                message["message"] = json!(text);
            }
        }
        self.send(message);
    }

    pub fn event(&self, event: &str, body: impl Serialize) {
        let mut message = json!({"type": "event", "event": event});
        match serde_json::to_value(body) {
            Ok(Value::Null) | Err(_) => {}
            Ok(body) => message["body"] = body,
        }
        self.send(message);
    }

    /// A line in the client's debug console.
    pub fn output(&self, category: &'static str, text: impl Into<String>) {
        let mut output = text.into();
        if !output.ends_with('\n') {
            output.push('\n');
        }
        self.event("output", json!({"category": category, "output": output}));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        match judge(text) {
            Some(Incoming::Request(r)) => format!("request {} {} {}", r.seq, r.command, r.arguments),
            Some(Incoming::Broken { seq, command, why }) => format!("broken {seq:?} {command:?} {why}"),
            Some(Incoming::End) => "end".into(),
            None => "dropped".into(),
        }
    }

    #[test]
    fn requests_go_on_and_the_rest_is_judged() {
        let cases = [
            r#"{"seq": 1, "type": "request", "command": "initialize", "arguments": {"adapterID": "fdl"}}"#,
            r#"{"seq": 2, "type": "request", "command": "threads"}"#,
            r#"{"seq": 3, "type": "response", "request_seq": 9, "success": true, "command": "runInTerminal"}"#,
            r#"{"seq": 4, "type": "request", "command": 12}"#,
            r#"{"seq": 5, "command": "next"}"#,
            r#"[1, 2]"#,
            r#"{"seq": 6, "type": "request", "command": "next", "arguments": {"threadId": 1,}"#,
            r#"{"seq": "x", "type": "request", "command": "next"}"#,
        ];
        let out: Vec<String> = cases.iter().map(|c| show(c)).collect();
        expect_test::expect![[r#"
            request 1 initialize {"adapterID":"fdl"}
            request 2 threads null
            dropped
            broken Some(4) None not a DAP request: invalid type: integer `12`, expected a string
            broken Some(5) Some("next") not a DAP request (`"type": "request"`)
            broken None None a message must be a JSON object: `[1, 2]`
            broken Some(6) Some("next") not JSON: trailing comma at line 1 column 78: `{"seq": 6, "type": "request", "command": "next", "arguments": {"threadId": 1,}`
            broken None Some("next") not a DAP request: invalid type: string "x", expected i64"#]]
        .assert_eq(&out.join("\n"));
    }

    #[test]
    fn messages_are_numbered_in_the_order_written() {
        #[derive(Clone, Default)]
        struct Sink(Arc<Mutex<Vec<u8>>>);
        impl Write for Sink {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let sink = Sink::default();
        let writer = Writer::new(Box::new(sink.clone()));
        let request = Request { seq: 7, command: "evaluate".into(), arguments: Value::Null };
        writer.event("initialized", Value::Null);
        writer.respond(&request, Err("no `{` here".into()));
        writer.respond(&request, Ok(json!({"result": "1"})));
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        expect_test::expect![[r#"
            Content-Length: 46

            {"type":"event","event":"initialized","seq":1}Content-Length: 169

            {"type":"response","request_seq":7,"command":"evaluate","success":false,"body":{"error":{"id":1,"format":"no `{` here","showUser":true}},"message":"no `{` here","seq":2}Content-Length: 101

            {"type":"response","request_seq":7,"command":"evaluate","success":true,"body":{"result":"1"},"seq":3}"#]]
        .assert_eq(&text.replace("\r\n", "\n"));
    }
}
