//! Big answers written as JSON text, not through `serde_json::Value`.
//!
//! tower-lsp-server turns every answer into a `serde_json::Value` (an `IndexMap` per object,
//! as the workspace enables `preserve_order`) and then prints that: for the outline of a
//! flow of 5,000 states (1.4 MB) that is about 10 ms, several times what making it costs. A
//! handler that writes its answer as JSON text itself hands it to [`Prepared::answer`] and
//! answers the `Value` it gets: a string naming the prepared text. [`Splice`], the writer
//! under the transport, puts the text in its place as the message goes out. The name holds
//! a random number drawn at start-up, so no text of the user's can name a prepared answer;
//! a quoted JSON string is found whole (a string's inner quotes are escaped), so a name is
//! never taken for part of a longer one.

use std::io;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll, ready};

use rustc_hash::FxHashMap;
use serde_json::Value;
use tokio::io::AsyncWrite;

/// Answers kept for a response that never goes out (a cancelled request) are dropped
/// beyond this many, oldest first.
const MAX_WAITING: usize = 32;

/// The prepared answers waiting for their message.
pub(crate) struct Prepared {
    /// `"fdl-answer-<random>-`: how every name starts, opening quote included.
    prefix: String,
    next: AtomicU64,
    waiting: Mutex<FxHashMap<u64, Vec<u8>>>,
    /// `waiting.len()`, read without the lock by the writer for every message.
    count: AtomicUsize,
}

impl Default for Prepared {
    fn default() -> Self {
        use std::hash::{BuildHasher, Hasher};
        // std's RandomState is seeded randomly per process.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(std::process::id() as u64);
        Prepared::with_nonce(hasher.finish())
    }
}

impl Prepared {
    fn with_nonce(nonce: u64) -> Prepared {
        Prepared {
            prefix: format!("\"fdl-answer-{nonce:016x}-"),
            next: AtomicU64::new(1),
            waiting: Mutex::new(FxHashMap::default()),
            count: AtomicUsize::new(0),
        }
    }

    /// Keeps `json` (one JSON value) and returns the value to answer in its place.
    pub(crate) fn answer(&self, json: Vec<u8>) -> Value {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        waiting.insert(id, json);
        while waiting.len() > MAX_WAITING {
            let Some(&oldest) = waiting.keys().min() else { break };
            waiting.remove(&oldest);
        }
        self.count.store(waiting.len(), Ordering::Release);
        Value::String(format!("{}{id}", &self.prefix[1..]))
    }

    /// `body` with the prepared answer it names (if any) in place of the name.
    fn splice(&self, body: Vec<u8>) -> Vec<u8> {
        if self.count.load(Ordering::Acquire) == 0 {
            return body;
        }
        // The first occurrence that is a whole string naming a waiting answer.
        let named = memchr::memmem::find_iter(&body, self.prefix.as_bytes()).find_map(|at| {
            let digits_from = at + self.prefix.len();
            let digits = body[digits_from..].iter().take_while(|b| b.is_ascii_digit()).count();
            let end = digits_from + digits;
            if digits == 0 || body.get(end) != Some(&b'"') {
                return None;
            }
            let id = std::str::from_utf8(&body[digits_from..end]).ok()?.parse::<u64>().ok()?;
            Some((at, end, id))
        });
        let Some((at, end, id)) = named else { return body };
        let json = {
            let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
            let json = waiting.remove(&id);
            self.count.store(waiting.len(), Ordering::Release);
            json
        };
        let Some(json) = json else { return body };
        let mut out = Vec::with_capacity(body.len() + json.len());
        out.extend_from_slice(&body[..at]);
        out.extend_from_slice(&json);
        out.extend_from_slice(&body[end + 1..]);
        out
    }
}

/// The server's output: frames `Content-Length` messages as the transport writes them and
/// splices prepared answers in. Bytes it cannot read as a message pass through unchanged.
pub(crate) struct Splice<W> {
    inner: W,
    prepared: std::sync::Arc<Prepared>,
    /// Written to us, not yet a whole message.
    input: Vec<u8>,
    /// Ready for `inner`, from `sent` on.
    output: Vec<u8>,
    sent: usize,
}

/// Past this much waiting output, writes wait for `inner` to take some.
const HIGH_WATER: usize = 8 << 20;

impl<W: AsyncWrite + Unpin> Splice<W> {
    pub(crate) fn new(inner: W, prepared: std::sync::Arc<Prepared>) -> Splice<W> {
        Splice { inner, prepared, input: Vec::new(), output: Vec::new(), sent: 0 }
    }

    /// Moves every whole message of `input` to `output`, prepared answers spliced in.
    fn frame(&mut self) {
        let mut from = 0;
        while let Some((body_start, length)) = header(&self.input[from..]) {
            let body_end = from + body_start + length;
            if body_end > self.input.len() {
                break;
            }
            let body = self.input[from + body_start..body_end].to_vec();
            let body = self.prepared.splice(body);
            self.output.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            self.output.extend_from_slice(&body);
            from = body_end;
        }
        // Not a header we know (never from tower-lsp-server): let it through as it is.
        if from < self.input.len() && header_prefix_broken(&self.input[from..]) {
            self.output.extend_from_slice(&self.input[from..]);
            from = self.input.len();
        }
        self.input.drain(..from);
    }

    /// Writes `output` to `inner` until it is all written or `inner` is not ready.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.output.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.output[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.output.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

/// `Content-Length: N\r\n\r\n` at the start of `bytes`: where the body starts and its length.
fn header(bytes: &[u8]) -> Option<(usize, usize)> {
    const NAME: &[u8] = b"Content-Length: ";
    let rest = bytes.strip_prefix(NAME)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let length = std::str::from_utf8(&rest[..digits]).ok()?.parse::<usize>().ok()?;
    rest[digits..].starts_with(b"\r\n\r\n").then_some((NAME.len() + digits + 4, length))
}

/// Whether `bytes` cannot be the start of a header (so waiting for more cannot help).
fn header_prefix_broken(bytes: &[u8]) -> bool {
    const NAME: &[u8] = b"Content-Length: ";
    let n = bytes.len().min(NAME.len());
    if bytes[..n] != NAME[..n] {
        return true;
    }
    if bytes.len() <= NAME.len() {
        return false;
    }
    let rest = &bytes[NAME.len()..];
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let after = &rest[digits..];
    let end = b"\r\n\r\n";
    digits > 20
        || (digits == 0 && !after.is_empty())
        || after[..after.len().min(4)] != end[..after.len().min(4)]
}

impl<W: AsyncWrite + Unpin> AsyncWrite for Splice<W> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.output.len() - this.sent >= HIGH_WATER {
            ready!(this.poll_drain(cx))?;
        }
        this.input.extend_from_slice(buf);
        this.frame();
        // Some progress now; the rest on flush (the transport flushes after each burst).
        if let Poll::Ready(Err(e)) = this.poll_drain(cx) {
            return Poll::Ready(Err(e));
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tokio::io::AsyncWriteExt;

    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn run(prepared: Arc<Prepared>, writes: Vec<Vec<u8>>) -> Vec<u8> {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async move {
            let mut splice = Splice::new(Vec::new(), prepared);
            for w in writes {
                splice.write_all(&w).await.unwrap();
            }
            splice.flush().await.unwrap();
            splice.inner
        })
    }

    #[test]
    fn prepared_answers_take_the_place_of_their_names() {
        let prepared = Arc::new(Prepared::with_nonce(7));
        let name = prepared.answer(r#"[{"name":"视频"}]"#.as_bytes().to_vec());
        let other = prepared.answer(b"[1,2,3]".to_vec());
        let Value::String(name) = name else { panic!() };
        let Value::String(other) = other else { panic!() };
        let first = format!(r#"{{"jsonrpc":"2.0","result":"{name}","id":1}}"#);
        let second = format!(r#"{{"jsonrpc":"2.0","result":"{other}","id":2}}"#);
        let mut stream = frame(r#"{"jsonrpc":"2.0","method":"x","params":{"a":"b"}}"#);
        stream.extend(frame(&first));
        stream.extend(frame(&second));
        // Written in pieces that split headers and bodies anywhere.
        let writes: Vec<Vec<u8>> = stream.chunks(5).map(<[u8]>::to_vec).collect();
        let out = String::from_utf8(run(Arc::clone(&prepared), writes)).unwrap();
        let want = [
            r#"{"jsonrpc":"2.0","method":"x","params":{"a":"b"}}"#,
            r#"{"jsonrpc":"2.0","result":[{"name":"视频"}],"id":1}"#,
            r#"{"jsonrpc":"2.0","result":[1,2,3],"id":2}"#,
        ]
        .map(|b| String::from_utf8(frame(b)).unwrap())
        .concat();
        assert_eq!(out, want);
        assert_eq!(prepared.count.load(Ordering::Acquire), 0);
    }

    #[test]
    fn names_inside_other_strings_and_unknown_names_are_left_alone() {
        let prepared = Arc::new(Prepared::with_nonce(7));
        let Value::String(name) = prepared.answer(b"[]".to_vec()) else { panic!() };
        let bodies = [
            // The user's text naming it, escaped inside a longer string.
            format!(r#"{{"result":"x\"{name}\""}}"#),
            // A name that was never handed out.
            r#"{"result":"fdl-answer-0000000000000007-99"}"#.to_string(),
            // A longer number.
            format!(r#"{{"result":"{name}0"}}"#),
        ];
        let writes: Vec<Vec<u8>> = bodies.iter().map(|b| frame(b)).collect();
        let out = run(Arc::clone(&prepared), writes.clone());
        assert_eq!(out, writes.concat());
        assert_eq!(prepared.count.load(Ordering::Acquire), 1);
    }

    #[test]
    fn unknown_bytes_pass_through() {
        let prepared = Arc::new(Prepared::with_nonce(7));
        let mut stream = b"garbage\r\n".to_vec();
        stream.extend(frame("{}"));
        assert_eq!(run(prepared, vec![stream.clone()]), stream);
    }

    #[test]
    fn answers_never_sent_are_dropped_beyond_a_bound() {
        let prepared = Prepared::with_nonce(7);
        for _ in 0..MAX_WAITING * 2 {
            prepared.answer(b"[]".to_vec());
        }
        assert_eq!(prepared.count.load(Ordering::Acquire), MAX_WAITING);
    }
}
