//! A small Debug Adapter Protocol client over the real `fdl dap` process, for end-to-end
//! tests: the framed pipes of `fdl_wire_client`, requests answered in order, events kept
//! until a test looks for them, and the console output collected.

#![allow(dead_code)] // Each test crate uses a different part of this module.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fdl_wire_client::Connection;
use serde_json::{Value, json};

use crate::support::fdl_binary;

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct DapClient {
    connection: Connection,
    seq: i64,
    /// Events received and not yet taken.
    events: Vec<Value>,
    /// Everything the console got, in order.
    pub console: String,
}

impl DapClient {
    pub fn start() -> DapClient {
        let connection = Connection::spawn(Command::new(fdl_binary()).arg("dap").stderr(Stdio::inherit()))
            .expect("spawn fdl dap");
        DapClient { connection, seq: 0, events: Vec::new(), console: String::new() }
    }

    /// Writes bytes as they are: no header is added (for framing tests).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.connection.send_bytes(bytes).expect("write");
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        self.connection.send_body(body).expect("write");
    }

    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let message = self.connection.receive(deadline).ok()?;
        if message["type"] == "event" {
            if message["event"] == "output" {
                self.console.push_str(message["body"]["output"].as_str().unwrap_or(""));
            }
            self.events.push(message.clone());
        }
        Some(message)
    }

    /// Sends a request and returns its response (events that come first are kept).
    pub fn request(&mut self, command: &str, arguments: Value) -> Value {
        self.seq += 1;
        let seq = self.seq;
        let body = json!({"seq": seq, "type": "request", "command": command, "arguments": arguments});
        self.send_raw(body.to_string().as_bytes());
        self.response_to(seq, command)
    }

    pub fn response_to(&mut self, seq: i64, command: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message =
                self.receive(deadline).unwrap_or_else(|| panic!("no response to `{command}` ({seq})"));
            if message["type"] == "response" && message["request_seq"] == seq {
                return message;
            }
        }
    }

    /// A successful response's body.
    pub fn ok(&mut self, command: &str, arguments: Value) -> Value {
        let response = self.request(command, arguments);
        assert_eq!(response["success"], true, "`{command}` failed: {response}");
        response["body"].clone()
    }

    /// The next event named `name` (events of other names are kept).
    pub fn event(&mut self, name: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(at) = self.events.iter().position(|e| e["event"] == name) {
                return self.events.remove(at)["body"].clone();
            }
            if self.receive(deadline).is_none() {
                panic!("no `{name}` event; console so far:\n{}", self.console);
            }
        }
    }

    /// Reads until the adapter ends its output (it exits).
    pub fn drain(&mut self) {
        let deadline = Instant::now() + TIMEOUT;
        while self.receive(deadline).is_some() {}
    }

    /// The adapter's exit status, waiting up to `within`.
    pub fn exit_status(&mut self, within: Duration) -> Option<i32> {
        self.connection.wait_for_exit(within).and_then(|status| status.code())
    }

    /// initialize, launch, breakpoints per file, exception filters, configurationDone.
    pub fn launch(
        &mut self,
        launch: Value,
        breakpoints: &[(&Path, Vec<Value>)],
        filters: &[&str],
    ) -> Vec<Value> {
        let capabilities = self
            .ok("initialize", json!({"adapterID": "fdl", "linesStartAt1": true, "columnsStartAt1": true}));
        assert_eq!(capabilities["supportsConfigurationDoneRequest"], true);
        self.event("initialized");
        self.ok("launch", launch);
        let mut placed = Vec::new();
        for (path, bps) in breakpoints {
            let body = self.ok("setBreakpoints", json!({"source": {"path": path}, "breakpoints": bps}));
            placed.extend(body["breakpoints"].as_array().cloned().unwrap_or_default());
        }
        self.ok("setExceptionBreakpoints", json!({"filters": filters}));
        self.ok("configurationDone", json!({}));
        placed
    }

    /// The next stop: `reason: description`.
    pub fn stopped(&mut self) -> String {
        let stop = self.event("stopped");
        format!("{}: {}", stop["reason"].as_str().unwrap_or(""), stop["description"].as_str().unwrap_or(""))
    }

    /// The stack as `name @file:line`, innermost first.
    pub fn stack(&mut self) -> String {
        let body = self.ok("stackTrace", json!({"threadId": 1}));
        let frames = body["stackFrames"].as_array().cloned().unwrap_or_default();
        frames
            .iter()
            .map(|f| {
                format!(
                    "{} @{}:{}",
                    f["name"].as_str().unwrap_or(""),
                    f["source"]["name"].as_str().unwrap_or(""),
                    f["line"]
                )
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// The members of a reference as `name = value`.
    pub fn variables(&mut self, reference: &Value) -> Vec<(String, Value)> {
        let body = self.ok("variables", json!({"variablesReference": reference}));
        body["variables"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v["name"].as_str().unwrap_or("").to_string(), v))
            .collect()
    }

    /// The top frame's scopes: name and reference.
    pub fn scopes(&mut self) -> Vec<(String, Value)> {
        let body = self.ok("scopes", json!({"frameId": 1}));
        body["scopes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|s| (s["name"].as_str().unwrap_or("").to_string(), s["variablesReference"].clone()))
            .collect()
    }

    /// The top frame's State scope as `name = value` lines.
    pub fn state(&mut self) -> String {
        let scopes = self.scopes();
        let reference = scopes[0].1.clone();
        self.variables(&reference)
            .iter()
            .map(|(name, v)| format!("{name} = {}", v["value"].as_str().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `evaluate` in the REPL: the result, or `error: message`.
    pub fn eval(&mut self, expression: &str) -> String {
        let response =
            self.request("evaluate", json!({"expression": expression, "context": "repl", "frameId": 1}));
        if response["success"] == true {
            response["body"]["result"].as_str().unwrap_or("").to_string()
        } else {
            format!("error: {}", response["message"].as_str().unwrap_or(""))
        }
    }
}

/// The 1-based number of the first line of `text` that ends with `needle`.
pub fn line_of(text: &str, needle: &str) -> i64 {
    text.lines()
        .position(|l| l.trim_end().ends_with(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in the flow")) as i64
        + 1
}
