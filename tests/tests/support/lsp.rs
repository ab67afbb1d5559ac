//! A small LSP client over the real `fdl lsp` process, for end-to-end tests: Content-Length

#![allow(dead_code)] // Each test crate uses a different part of this module.
//! framing on pipes, requests with timeouts, notifications collected, and the server's own
//! requests (workspace/configuration, ...) answered by a closure.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::fdl_binary;

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Answers a request of the server: method and params in, result out (`None`: no answer).
pub type RequestHandler = Box<dyn FnMut(&str, &Value) -> Option<Value> + Send>;

pub struct LspServer {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    next_id: i64,
    /// Notifications received and not yet looked at.
    pub notifications: Vec<Value>,
    /// Answers the server's requests.
    pub on_request: RequestHandler,
}

impl LspServer {
    pub fn start() -> LspServer {
        let mut child = Command::new(fdl_binary())
            .arg("lsp")
            .env("FDL_LSP_TEST_HOOKS", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn fdl lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, inbox) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                match serde_json::from_slice::<Value>(&body) {
                    Ok(v) => {
                        if tx.send(v).is_err() {
                            return;
                        }
                    }
                    Err(_) => return,
                }
            }
        });
        LspServer {
            child,
            stdin,
            inbox,
            next_id: 1,
            notifications: Vec::new(),
            on_request: Box::new(|_, _| Some(Value::Null)),
        }
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.stdin.write_all(header.as_bytes()).expect("write header");
        self.stdin.write_all(body).expect("write body");
        self.stdin.flush().expect("flush");
    }

    /// Writes bytes as they are: no header is added (for framing tests).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write");
        self.stdin.flush().expect("flush");
    }

    /// The next response (a message with an id and no method) that `matches`, skipping
    /// others.
    pub fn response_where(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.next_message(deadline).unwrap_or_else(|| panic!("no matching response"));
            if message.get("method").is_none() && matches(&message) {
                return message;
            }
        }
    }

    fn send(&mut self, message: &Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its id without waiting.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The whole response (`result` or `error`) to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message =
                self.next_message(deadline).unwrap_or_else(|| panic!("no response to request {id}"));
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
        }
    }

    /// Sends a request and returns its `result`, panicking on an error.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// Reads one message, handling the server's requests on the way.
    fn next_message(&mut self, deadline: Instant) -> Option<Value> {
        let wait = deadline.saturating_duration_since(Instant::now());
        let message = match self.inbox.recv_timeout(wait) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        if let (Some(method), Some(id)) = (message.get("method").and_then(Value::as_str), message.get("id")) {
            let params = message.get("params").cloned().unwrap_or(Value::Null);
            if let Some(result) = (self.on_request)(method, &params) {
                let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
                self.send(&reply);
            }
            return Some(message);
        }
        if message.get("method").is_some() {
            self.notifications.push(message.clone());
        }
        Some(message)
    }

    /// Waits for a `publishDiagnostics` for `uri` (at `version`, if given) and returns its
    /// diagnostics, consuming the notifications seen so far for that document.
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let found = self.notifications.iter().rposition(|n| {
                n["method"] == "textDocument/publishDiagnostics"
                    && n["params"]["uri"] == uri
                    && version.is_none_or(|v| n["params"]["version"] == v)
            });
            if let Some(i) = found {
                let n = self.notifications.remove(i);
                self.notifications.retain(|m| {
                    !(m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
                });
                return n["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            if self.next_message(deadline).is_none() {
                panic!("no diagnostics for {uri} (version {version:?}); got {:#?}", self.notifications);
            }
        }
    }

    /// Drains messages for `time`, answering server requests.
    pub fn settle(&mut self, time: Duration) {
        let deadline = Instant::now() + time;
        while self.next_message(deadline).is_some() {}
    }

    pub fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self
            .request("initialize", json!({"processId": null, "rootUri": null, "capabilities": capabilities}));
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    /// Shuts down and exits; returns the process's exit status code.
    pub fn shutdown(mut self) -> Option<i32> {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("fdl lsp did not exit after `exit`");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for LspServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Converts a byte offset in `text` to an LSP position in UTF-16 code units.
pub fn utf16_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The position just after the first occurrence of `needle` in `text`.
pub fn after(text: &str, needle: &str) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text")) + needle.len();
    utf16_position(text, at)
}
