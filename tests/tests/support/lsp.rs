//! A small LSP client over the real `fdl lsp` process, for end-to-end tests: JSON-RPC on
//! the framed pipes of `fdl_wire_client`, requests with timeouts, notifications collected,
//! and the server's own requests (workspace/configuration, ...) answered by a closure.

#![allow(dead_code)] // Each test crate uses a different part of this module.

use std::process::{Command, Stdio};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use fdl_wire_client::Connection;
pub use fdl_wire_client::utf16_position;
use serde_json::{Value, json};

use crate::support::fdl_binary;

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Answers a request of the server: method and params in, result out (`None`: no answer).
pub type RequestHandler = Box<dyn FnMut(&str, &Value) -> Option<Value> + Send>;

pub struct LspServer {
    connection: Connection,
    next_id: i64,
    /// Notifications received and not yet looked at.
    pub notifications: Vec<Value>,
    /// Answers the server's requests.
    pub on_request: RequestHandler,
}

impl LspServer {
    pub fn start() -> LspServer {
        let connection = Connection::spawn(
            Command::new(fdl_binary()).arg("lsp").env("FDL_LSP_TEST_HOOKS", "1").stderr(Stdio::inherit()),
        )
        .expect("spawn fdl lsp");
        LspServer {
            connection,
            next_id: 1,
            notifications: Vec::new(),
            on_request: Box::new(|_, _| Some(Value::Null)),
        }
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        self.connection.send_body(body).expect("write");
    }

    /// Writes bytes as they are: no header is added (for framing tests).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.connection.send_bytes(bytes).expect("write");
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
        let message = match self.connection.receive(deadline) {
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
        match self.connection.wait_for_exit(TIMEOUT) {
            Some(status) => status.code(),
            None => {
                self.connection.kill();
                panic!("fdl lsp did not exit after `exit`");
            }
        }
    }
}

/// The position just after the first occurrence of `needle` in `text`.
pub fn after(text: &str, needle: &str) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text")) + needle.len();
    utf16_position(text, at)
}
