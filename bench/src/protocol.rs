//! A minimal LSP client over a server's stdio (framed by `fdl_wire_client`), for
//! measuring: requests with timings, diagnostics waited for by version, the server's own
//! requests answered (with the settings it asks for), and the server's peak memory from
//! `/proc`.
//!
//! Times run to the moment a message's last byte is read, before this client decodes its
//! JSON: decoding a big answer (1.4 MB of outline at 5,000 states) into a `serde_json::Value`
//! takes this client longer than the server takes to make it, and that is the client's
//! cost, which every editor pays in its own way.

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
    backlog: Vec<(Instant, Value)>,
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

    /// Sends a request and waits for its answer; returns the result and how long it took
    /// (to the answer's last byte).
    pub fn request(&mut self, method: &str, params: Value) -> (Value, Duration) {
        let started = Instant::now();
        let id = self.send_request(method, params);
        let (received, mut answer) = self.wait(|m| is_response(m, id));
        let took = received.saturating_duration_since(started);
        (answer.get_mut("result").map(Value::take).unwrap_or(Value::Null), took)
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
        self.wait(|m| is_response(m, id)).1
    }

    /// Waits for the diagnostics of `uri` at `version` (servers that do not say the version
    /// are taken at their word for the next publication).
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        self.diagnostics_received(uri, version).1
    }

    /// [`Server::diagnostics`], with the moment they were read.
    pub fn diagnostics_received(&mut self, uri: &str, version: i64) -> (Instant, Vec<Value>) {
        let (received, mut m) = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && (m["params"]["version"].is_null() || m["params"]["version"] == version)
        });
        let diagnostics = m["params"]["diagnostics"].take();
        (received, diagnostics.as_array().cloned().unwrap_or_default())
    }

    fn wait(&mut self, matches: impl Fn(&Value) -> bool) -> (Instant, Value) {
        if let Some(i) = self.backlog.iter().position(|(_, m)| matches(m)) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let Ok((received, message)) = self.connection.receive_timed(deadline) else {
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
                return (received, message);
            }
            // Responses and diagnostics someone may still ask for; older diagnostics of a
            // document are superseded by newer ones, so only the latest is kept.
            if message["method"] == "textDocument/publishDiagnostics" {
                let uri = message["params"]["uri"].clone();
                self.backlog.retain(|(_, m)| {
                    !(m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
                });
            }
            self.backlog.push((received, message));
        }
    }

    /// The peak resident memory of the server process, in MiB (Linux).
    pub fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    /// The CPU time the server process has used so far, user and system, in seconds
    /// (Linux; assumes 100 clock ticks a second, as Linux reports them in /proc).
    pub fn cpu_seconds(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        // Fields after the command name (which may hold spaces, inside parentheses).
        let rest = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        Some(ticks / 100.0)
    }

    pub fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if self.connection.wait_for_exit(Duration::from_secs(5)).is_none() {
            self.connection.kill();
        }
    }
}

fn is_response(message: &Value, id: i64) -> bool {
    message.get("id").and_then(Value::as_i64) == Some(id) && message.get("method").is_none()
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
