//! A minimal LSP client over a server's stdio (framed by `fdl_wire_client`), for
//! measuring: requests with timings, diagnostics waited for by version, the server's own
//! requests answered (with the settings it asks for), and the server's peak memory from
//! `/proc`.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fdl_wire_client::Connection;
pub use fdl_wire_client::utf16_position;
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(120);

pub struct Server {
    connection: Connection,
    next_id: i64,
    /// What `workspace/configuration` answers for each requested section.
    pub settings: Value,
    /// Messages read while waiting for another one, in arrival order.
    backlog: Vec<Value>,
}

impl Server {
    pub fn start(command: &[String]) -> std::io::Result<Server> {
        let (program, args) = command.split_first().ok_or_else(|| std::io::Error::other("no command"))?;
        let connection = Connection::spawn(Command::new(program).args(args).stderr(Stdio::null()))?;
        Ok(Server { connection, next_id: 1, settings: Value::Null, backlog: Vec::new() })
    }

    pub fn pid(&self) -> u32 {
        self.connection.pid()
    }

    fn send(&mut self, message: &Value) {
        let _ = self.connection.send(message);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its answer; returns the result and how long it took.
    pub fn request(&mut self, method: &str, params: Value) -> (Value, Duration) {
        let started = Instant::now();
        let id = self.send_request(method, params);
        let answer = self.response(id);
        (answer.get("result").cloned().unwrap_or(Value::Null), started.elapsed())
    }

    /// Sends a request without waiting; [`Server::response`] collects its answer.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The answer to request `id` (the whole message).
    pub fn response(&mut self, id: i64) -> Value {
        self.wait(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// Waits for the diagnostics of `uri` at `version` (servers that do not say the version
    /// are taken at their word for the next publication).
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && (m["params"]["version"].is_null() || m["params"]["version"] == version)
        });
        m["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn wait(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&matches) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let Ok(message) = self.connection.receive(deadline) else {
                panic!("the server did not answer in {TIMEOUT:?}")
            };
            if let (Some(method), Some(id)) = (message["method"].as_str(), message.get("id")) {
                let result = match method {
                    "workspace/configuration" => {
                        let items = message["params"]["items"].as_array().cloned().unwrap_or_default();
                        Value::Array(
                            items
                                .iter()
                                .map(|i| {
                                    let section = i["section"].as_str().unwrap_or("");
                                    section.split('.').fold(self.settings.clone(), |v, k| v[k].clone())
                                })
                                .collect(),
                        )
                    }
                    _ => Value::Null,
                };
                let reply = json!({"jsonrpc": "2.0", "id": id.clone(), "result": result});
                self.send(&reply);
                continue;
            }
            if matches(&message) {
                return message;
            }
            // Responses and diagnostics someone may still ask for; older diagnostics of a
            // document are superseded by newer ones, so only the latest is kept.
            if message["method"] == "textDocument/publishDiagnostics" {
                let uri = message["params"]["uri"].clone();
                self.backlog.retain(|m| {
                    !(m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
                });
            }
            self.backlog.push(message);
        }
    }

    /// The peak resident memory of the server process, in MiB (Linux).
    pub fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    pub fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if self.connection.wait_for_exit(Duration::from_secs(5)).is_none() {
            self.connection.kill();
        }
    }
}

/// Median and 95th percentile, in milliseconds.
pub fn p50_p95(samples: &mut [Duration]) -> (f64, f64) {
    if samples.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.95))
}
