//! The client end of the `Content-Length` base protocol over a child process's stdin and
//! stdout: LSP's framing, which DAP shares. The end-to-end tests drive `fdl lsp`, `fdl dap`
//! and yaml-language-server with it, and the benchmarks `fdl lsp` and its peers; what the
//! messages mean (JSON-RPC ids, DAP sequence numbers, the server's own requests) is left
//! to each of them.
//!
//! It reads strictly, unlike the server's `wire` module, which survives clients that get
//! the framing wrong: a test client must not forgive the server what a real client would
//! not, so the first header or body it cannot read ends the messages.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A running server and the messages it has written.
pub struct Connection {
    child: Child,
    stdin: ChildStdin,
    /// Messages with the moment their body's last byte was read (before decoding).
    inbox: Receiver<(Instant, Value)>,
}

impl Connection {
    /// Starts `command` with piped stdin and stdout (stderr is left as the command sets it)
    /// and a thread that decodes its output, so that messages can be waited for with a
    /// deadline. The thread ends with the output.
    pub fn spawn(command: &mut Command) -> io::Result<Connection> {
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("the child's stdin and stdout are not piped"));
        };
        let (tx, inbox) = channel();
        std::thread::spawn(move || read_messages(stdout, &tx));
        Ok(Connection { child, stdin, inbox })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The child's stderr, if the command piped it (once).
    pub fn take_stderr(&mut self) -> Option<ChildStderr> {
        self.child.stderr.take()
    }

    /// Writes bytes as they are, no header added (for framing tests).
    pub fn send_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stdin.write_all(bytes)?;
        self.stdin.flush()
    }

    /// Writes one message body with its header.
    pub fn send_body(&mut self, body: &[u8]) -> io::Result<()> {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.send_bytes(&[header.as_bytes(), body].concat())
    }

    pub fn send(&mut self, message: &Value) -> io::Result<()> {
        self.send_body(message.to_string().as_bytes())
    }

    /// The next message, waiting until `deadline`: `Timeout` then, `Disconnected` once the
    /// output has ended (or could not be read) and every message before it was taken.
    pub fn receive(&mut self, deadline: Instant) -> Result<Value, RecvTimeoutError> {
        self.receive_timed(deadline).map(|(_, message)| message)
    }

    /// [`Connection::receive`], with the moment the message's last byte was read: what a
    /// benchmark times, since decoding a big answer is the client's own cost.
    pub fn receive_timed(&mut self, deadline: Instant) -> Result<(Instant, Value), RecvTimeoutError> {
        self.inbox.recv_timeout(deadline.saturating_duration_since(Instant::now()))
    }

    /// Waits up to `within` for the process to exit; `None` if it is still running.
    pub fn wait_for_exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Decodes framed messages until the output ends, a header has no `Content-Length: N`, a
/// body is cut short or is not JSON, or nobody listens any more.
fn read_messages(stdout: ChildStdout, tx: &Sender<(Instant, Value)>) {
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
}

/// The LSP position (line, UTF-16 character) of a byte offset in `text`.
pub fn utf16_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cat` writes back what it reads: framed messages come back whole, in order.
    #[test]
    fn messages_go_through_a_pipe_and_back() {
        let mut cat = Connection::spawn(&mut Command::new("cat")).expect("cat");
        let deadline = Instant::now() + Duration::from_secs(10);
        cat.send(&json!({"id": 1, "名": "视频"})).unwrap();
        cat.send_body(br#"{"id":2}"#).unwrap();
        cat.send_bytes(b"Content-Length: 8\r\nContent-Type: x\r\n\r\n{\"id\":3}").unwrap();
        for id in 1..=3 {
            assert_eq!(cat.receive(deadline).unwrap()["id"], id);
        }
        assert_eq!(cat.receive(Instant::now() + Duration::from_millis(50)), Err(RecvTimeoutError::Timeout));
    }

    /// A header without a length ends the messages; those before it are still there.
    #[test]
    fn a_broken_frame_ends_the_messages() {
        let mut cat = Connection::spawn(&mut Command::new("cat")).expect("cat");
        let deadline = Instant::now() + Duration::from_secs(10);
        cat.send(&json!({"id": 1})).unwrap();
        cat.send_bytes(b"Content-Length: many\r\n\r\n{}").unwrap();
        cat.send(&json!({"id": 2})).unwrap();
        assert_eq!(cat.receive(deadline).unwrap()["id"], 1);
        assert_eq!(cat.receive(deadline), Err(RecvTimeoutError::Disconnected));
    }

    #[test]
    fn exit_is_waited_for() {
        let mut child = Connection::spawn(&mut Command::new("true")).expect("true");
        assert!(child.wait_for_exit(Duration::from_secs(10)).is_some_and(|s| s.success()));
        let mut cat = Connection::spawn(&mut Command::new("cat")).expect("cat");
        assert_eq!(cat.wait_for_exit(Duration::from_millis(30)), None);
    }

    #[test]
    fn positions_count_utf16_units() {
        let text = "a: 视频\nb: 😀x\n";
        assert_eq!(utf16_position(text, text.find('x').unwrap()), json!({"line": 1, "character": 5}));
        assert_eq!(utf16_position(text, text.find("频").unwrap()), json!({"line": 0, "character": 4}));
    }
}
