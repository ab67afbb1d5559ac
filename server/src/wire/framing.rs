//! Base-protocol framing that survives clients that get it wrong: a `Content-Length` that
//! is too large, too small, missing, not a number or absurd; garbage between messages;
//! bodies that are not JSON.
//!
//! A body is one JSON value, so its end is where that value ends; `Content-Length` is a
//! hint, trusted only to skip a body that is not JSON. Nothing is allocated from the
//! announced length: bytes are buffered as they arrive, up to [`MAX_BODY`].

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

/// Larger bodies are skipped, not buffered: no flow definition comes close.
pub(crate) const MAX_BODY: usize = 64 << 20;
/// Longest header line kept; longer ones are garbage.
const MAX_HEADER_LINE: usize = 8 << 10;
/// How long to wait for more bytes when a body that is not JSON ends at its announced
/// length, to tell a wrong length from a client that waits for our answer.
const SETTLE: Duration = Duration::from_millis(100);

/// One framed message, or what stood in its place.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Frame {
    /// A body: a complete JSON value, or the declared bytes of one that is not (either way
    /// not yet known to be a valid JSON-RPC message).
    Json(Vec<u8>),
    /// Bytes where a message should have been, and why they are not one.
    Broken { bytes: Vec<u8>, why: String },
}

pub(crate) struct Framer<R> {
    input: BufReader<R>,
}

enum Header {
    Length(usize),
    Absent,
    Invalid(String),
}

impl<R: AsyncRead + Unpin> Framer<R> {
    pub(crate) fn new(input: R) -> Framer<R> {
        Framer { input: BufReader::with_capacity(64 << 10, input) }
    }

    /// The next message; `None` at the end of the input.
    pub(crate) async fn next(&mut self) -> Option<Frame> {
        let header = self.headers().await?;
        let declared = match header {
            Header::Length(n) => Some(n),
            Header::Absent | Header::Invalid(_) => None,
        };
        let frame = self.body(declared).await;
        Some(match (frame, header) {
            (Frame::Broken { bytes, why }, Header::Invalid(h)) => {
                Frame::Broken { bytes, why: format!("{h}; {why}") }
            }
            (frame, _) => frame,
        })
    }

    /// Reads header lines up to the blank line that ends them. Lines that are not headers
    /// (garbage between messages) are skipped.
    async fn headers(&mut self) -> Option<Header> {
        let mut header = Header::Absent;
        let mut seen = false;
        loop {
            let line = self.line().await?;
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                if seen {
                    return Some(header);
                }
                continue;
            }
            // A body that arrives without headers starts a frame of its own.
            if !seen && text.starts_with(['{', '[']) {
                continue;
            }
            let Some((name, value)) = text.split_once(':') else { continue };
            seen = true;
            if name.trim().eq_ignore_ascii_case("content-length") {
                header = match value.trim().parse::<u64>() {
                    Ok(n) if n <= MAX_BODY as u64 => Header::Length(n as usize),
                    Ok(n) => Header::Invalid(format!("Content-Length {n} is absurd")),
                    Err(_) => Header::Invalid(format!("Content-Length `{}` is not a number", value.trim())),
                };
            }
        }
    }

    /// One line, without its end; longer lines are cut (the rest is dropped).
    async fn line(&mut self) -> Option<Vec<u8>> {
        let mut line = Vec::new();
        loop {
            let buf = self.input.fill_buf().await.ok()?;
            if buf.is_empty() {
                return if line.is_empty() { None } else { Some(line) };
            }
            let (take, done) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let room = MAX_HEADER_LINE.saturating_sub(line.len());
            line.extend_from_slice(&buf[..take.min(room)]);
            self.input.consume(take);
            if done {
                return Some(line);
            }
        }
    }

    /// Reads a body: up to the end of its JSON value, whatever the declared length says.
    async fn body(&mut self, declared: Option<usize>) -> Frame {
        let mut scan = JsonEnd::default();
        let mut body: Vec<u8> = Vec::with_capacity(declared.unwrap_or(0).min(1 << 20));
        loop {
            let buf = match self.input.fill_buf().await {
                Ok(buf) => buf,
                Err(e) => return broken(body, &format!("the input failed: {e}")),
            };
            if buf.is_empty() {
                return broken(body, "the input ended inside a message");
            }
            let mut used = 0;
            let mut done = None;
            for (i, &b) in buf.iter().enumerate() {
                // At or past the declared end, with the value still open, a header means
                // the body was not (complete) JSON: the next message starts there.
                let past = declared.is_some_and(|n| body.len() + i >= n);
                let boundary = declared == Some(body.len() + i) || (b == b'\n' && !scan.in_string());
                if past && boundary {
                    let at = if b == b'\n' { i + 1 } else { i };
                    if starts_header(&buf[at..]) {
                        used = at;
                        done = Some(false);
                        break;
                    }
                }
                match scan.push(b) {
                    Scan::More => {}
                    Scan::End => {
                        used = i + 1;
                        done = Some(true);
                        break;
                    }
                    Scan::NotJson => {
                        used = i + 1;
                        done = Some(false);
                        break;
                    }
                }
            }
            let used = if done.is_some() { used } else { buf.len() };
            if body.len() + used > MAX_BODY {
                self.input.consume(used);
                return broken(
                    Vec::new(),
                    &format!("a message of more than {} MiB is too large", MAX_BODY >> 20),
                );
            }
            body.extend_from_slice(&buf[..used]);
            self.input.consume(used);
            match done {
                Some(true) => return Frame::Json(body),
                Some(false) => {
                    // Not a JSON object or array: with a declared length, that many bytes are
                    // the message (judged later, and answered); without one, they are lost.
                    self.skip_to(declared, &mut body).await;
                    return if declared.is_some() {
                        Frame::Json(body)
                    } else {
                        broken(body, "the body is not JSON")
                    };
                }
                None => {}
            }
            // Everything declared has arrived and the value is still open: a length that is
            // too small, or a body that is not JSON. Wait a little for more.
            if let Some(n) = declared
                && body.len() >= n
                && self.input.buffer().is_empty()
            {
                match tokio::time::timeout(SETTLE, self.input.fill_buf()).await {
                    Ok(Ok(more)) if !more.is_empty() && !starts_header(more) => continue,
                    _ => return broken(body, "the body ended before its JSON value did"),
                }
            }
        }
    }

    /// Consumes the declared body's remaining bytes, if they have arrived.
    async fn skip_to(&mut self, declared: Option<usize>, body: &mut Vec<u8>) {
        let Some(n) = declared else { return };
        while body.len() < n {
            let buf = self.input.buffer();
            if buf.is_empty() || starts_header(buf) {
                return;
            }
            let take = buf.len().min(n - body.len());
            body.extend_from_slice(&buf[..take]);
            self.input.consume(take);
        }
    }
}

fn broken(bytes: Vec<u8>, why: &str) -> Frame {
    Frame::Broken { bytes, why: why.to_string() }
}

fn starts_header(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\r\n").or_else(|| bytes.strip_prefix(b"\n")).unwrap_or(bytes);
    let name = b"content-length";
    bytes.len() >= name.len() && bytes[..name.len()].eq_ignore_ascii_case(name)
}

#[derive(Debug, PartialEq, Eq)]
enum Scan {
    More,
    End,
    NotJson,
}

/// Finds where a JSON value ends without parsing it: nesting depth outside strings. Only
/// objects and arrays are expected (a message is an object; a batch is an array); a value
/// that starts otherwise is not a message.
#[derive(Default)]
struct JsonEnd {
    depth: usize,
    started: bool,
    string: bool,
    escape: bool,
}

impl JsonEnd {
    fn in_string(&self) -> bool {
        self.string
    }

    fn push(&mut self, b: u8) -> Scan {
        if self.string {
            match (self.escape, b) {
                (true, _) => self.escape = false,
                (false, b'\\') => self.escape = true,
                (false, b'"') => self.string = false,
                _ => {}
            }
            return Scan::More;
        }
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => Scan::More,
            b'{' | b'[' => {
                self.started = true;
                self.depth += 1;
                Scan::More
            }
            _ if !self.started => Scan::NotJson,
            b'}' | b']' => {
                self.depth -= 1;
                if self.depth == 0 { Scan::End } else { Scan::More }
            }
            b'"' => {
                self.string = true;
                Scan::More
            }
            _ => Scan::More,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames everything in `input` (all of it available at once).
    async fn frames(input: &[u8]) -> Vec<String> {
        let mut framer = Framer::new(std::io::Cursor::new(input.to_vec()));
        let mut out = Vec::new();
        while let Some(frame) = framer.next().await {
            out.push(match frame {
                Frame::Json(b) => format!("json {}", String::from_utf8_lossy(&b)),
                Frame::Broken { bytes, why } => {
                    format!("broken ({why}) {:?}", String::from_utf8_lossy(&bytes))
                }
            });
        }
        out
    }

    fn msg(body: &str, length: usize) -> String {
        format!("Content-Length: {length}\r\n\r\n{body}")
    }

    #[tokio::test]
    async fn wrong_lengths_resynchronise_on_the_next_header() {
        let ok = r#"{"id":1,"s":"}{\"]"}"#;
        let input = [
            msg(ok, ok.len()),
            msg(ok, ok.len() + 40), // too large: the value ends first
            msg(ok, 3),             // too small: the value decides
            format!("Content-Length: x\r\n\r\n{ok}"),
            format!("Content-Length: 99999999999999\r\n\r\n{ok}"),
            format!("Content-Type: json\r\n\r\n{ok}"), // no length at all
            "garbage line\r\n".to_string(),
            msg("{not json", 9),
            msg("42", 2),
            msg(ok, ok.len()),
        ]
        .concat();
        let out = frames(input.as_bytes()).await;
        let json = format!("json {ok}");
        assert_eq!(
            out[..6],
            [json.clone(), json.clone(), json.clone(), json.clone(), json.clone(), json.clone()]
        );
        assert_eq!(out[6], "json {not json", "{out:?}");
        assert_eq!(out[7], "json 42", "{out:?}");
        assert_eq!(out[8], json);
        assert_eq!(out.len(), 9, "{out:?}");
    }

    #[tokio::test]
    async fn a_body_cut_short_is_reported() {
        let out = frames(msg(r#"{"id": 1, "params": {"#, 21).as_bytes()).await;
        assert_eq!(
            out,
            ["broken (the body ended before its JSON value did) \"{\\\"id\\\": 1, \\\"params\\\": {\""]
        );
        let out = frames(b"Content-Length: 5\r\n\r\n{\"a\"").await;
        assert_eq!(out, ["broken (the input ended inside a message) \"{\\\"a\\\"\""]);
    }
}
