//! The server's input, made safe to frame.
//!
//! tower-lsp-server stops reading its input after the first message it cannot decode (its
//! framed reader ends after a decoder error), which would turn one malformed message into a
//! dead server. This pump frames stdin itself and passes on only well-formed JSON: a body that
//! is not JSON becomes an `fdl/invalidRequest` (when an `id` can be read from it, so the
//! client gets an error answer to that id) or an `fdl/invalidMessage` notification (logged).

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};

/// Larger bodies are not buffered but skipped: no flow definition comes close.
const MAX_BODY: usize = 256 << 20;

pub(crate) const INVALID_REQUEST: &str = "fdl/invalidRequest";
pub(crate) const INVALID_MESSAGE: &str = "fdl/invalidMessage";

/// A reader that yields only well-framed, well-formed messages from `input`.
pub(crate) fn sanitized<R: AsyncRead + Unpin + Send + 'static>(input: R) -> impl AsyncRead + Unpin + Send {
    let (mut out, reader) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        let mut input = BufReader::new(input);
        while let Some(body) = next_body(&mut input).await {
            let body = match serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
                Ok(_) => body,
                Err(e) => replacement(&body, &e.to_string()),
            };
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            if out.write_all(header.as_bytes()).await.is_err() || out.write_all(&body).await.is_err() {
                return;
            }
        }
        let _ = out.shutdown().await;
    });
    reader
}

/// Reads headers up to a blank line and then the body. Skips anything that has no
/// `Content-Length`. `None` at the end of the input.
async fn next_body<R: AsyncRead + Unpin>(input: &mut BufReader<R>) -> Option<Vec<u8>> {
    loop {
        let mut length: Option<usize> = None;
        let mut seen_header = false;
        loop {
            let mut line = Vec::new();
            if input.read_until(b'\n', &mut line).await.ok()? == 0 {
                return None;
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                if seen_header {
                    break;
                }
                continue;
            }
            seen_header = true;
            if let Some((name, value)) = text.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok();
            }
        }
        let Some(length) = length else { continue };
        if length > MAX_BODY {
            let mut rest = (&mut *input).take(length as u64);
            tokio::io::copy(&mut rest, &mut tokio::io::sink()).await.ok()?;
            return Some(replacement(b"", &format!("a message of {length} bytes is too large")));
        }
        let mut body = vec![0; length];
        input.read_exact(&mut body).await.ok()?;
        return Some(body);
    }
}

/// The message that stands for an unreadable one.
fn replacement(body: &[u8], why: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let excerpt: String = text.chars().take(80).collect();
    let params = json!({ "reason": why, "excerpt": excerpt });
    let message = match find_id(&text) {
        Some(id) => json!({"jsonrpc": "2.0", "id": id, "method": INVALID_REQUEST, "params": params}),
        None => json!({"jsonrpc": "2.0", "method": INVALID_MESSAGE, "params": params}),
    };
    message.to_string().into_bytes()
}

/// The `"id": 12` or `"id": "x"` of a broken message, if it can be read.
fn find_id(text: &str) -> Option<Value> {
    let at = text.find("\"id\"")?;
    let rest = text[at + 4..].trim_start().strip_prefix(':')?.trim_start();
    if let Some(s) = rest.strip_prefix('"') {
        let end = s.find('"')?;
        return Some(Value::String(s[..end].to_string()));
    }
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    digits.parse::<i64>().ok().map(Value::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn broken_messages_become_well_formed_ones() {
        let input = b"Content-Length: 9\r\n\r\n{not jsonContent-Length: 21\r\n\r\n{\"id\": 7, \"method\":}garbage\r\nContent-Length: 2\r\n\r\n{}".to_vec();
        let mut reader = sanitized(std::io::Cursor::new(input));
        let mut out = String::new();
        reader.read_to_string(&mut out).await.unwrap();
        let bodies: Vec<Value> = out
            .split("Content-Length: ")
            .filter(|s| !s.is_empty())
            .map(|s| serde_json::from_str(s.split_once("\r\n\r\n").unwrap().1).unwrap())
            .collect();
        assert_eq!(bodies.len(), 3);
        assert_eq!(bodies[0]["method"], INVALID_MESSAGE);
        assert_eq!(bodies[1]["method"], INVALID_REQUEST);
        assert_eq!(bodies[1]["id"], 7);
        assert_eq!(bodies[2], json!({}));
    }
}
