//! A minimal LSP client over a server's stdio, for measuring: requests with timings,
//! diagnostics waited for by version, the server's own requests answered (with the
//! settings it asks for), and the server's peak memory from `/proc`.
//!
//! Times run to the moment a message's last byte is read, before this client decodes its
//! JSON: decoding a big answer (1.4 MB of outline at 5,000 states) into a `serde_json::Value`
//! takes this client longer than the server takes to make it, and that is the client's
//! cost, which every editor pays in its own way.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(120);

pub struct Server {
    child: Child,
    stdin: ChildStdin,
    /// Messages with the moment their last byte was read.
    inbox: Receiver<(Instant, Value)>,
    next_id: i64,
    /// What `workspace/configuration` answers for each requested section.
    pub settings: Value,
    /// Messages read while waiting for another one, in arrival order.
    backlog: Vec<(Instant, Value)>,
}

impl Server {
    pub fn start(command: &[String]) -> std::io::Result<Server> {
        let (program, args) = command.split_first().ok_or_else(|| std::io::Error::other("no command"))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| std::io::Error::other("no stdout"))?;
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
                let received = Instant::now();
                let Ok(message) = serde_json::from_slice::<Value>(&body) else { return };
                if tx.send((received, message)).is_err() {
                    return;
                }
            }
        });
        Ok(Server { child, stdin, inbox, next_id: 1, settings: Value::Null, backlog: Vec::new() })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let _ = write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = self.stdin.flush();
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
            let left = deadline.saturating_duration_since(Instant::now());
            let (received, message) = match self.inbox.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!("the server did not answer in {TIMEOUT:?}")
                }
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
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_response(message: &Value, id: i64) -> bool {
    message.get("id").and_then(Value::as_i64) == Some(id) && message.get("method").is_none()
}

/// A UTF-16 position of a byte offset.
pub fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
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
