//! The server's input, made safe to frame and to decode.
//!
//! tower-lsp-server stops reading its input after the first message it cannot decode (its
//! framed reader ends after a decoder error), which would turn one malformed message into a
//! dead server. This pump frames stdin itself ([`crate::wire`]: wrong or missing lengths and
//! garbage are survived), repairs text and checks that each body is a JSON-RPC 2.0 message
//! ([`message`]), and passes on only those. Anything else becomes an `fdl/invalidRequest`
//! request with the offending message's id (or `null`), which the server answers with the
//! JSON-RPC error code it carries.

mod message;

use serde_json::json;
use tokio::io::{AsyncRead, AsyncWriteExt};

use crate::wire::{Frame, Framer};
use message::{Gate, Verdict};

pub(crate) const INVALID_REQUEST: &str = "fdl/invalidRequest";

/// A reader that yields only well-framed JSON-RPC messages from `input`.
pub(crate) fn sanitized<R: AsyncRead + Unpin + Send + 'static>(input: R) -> impl AsyncRead + Unpin + Send {
    let (mut out, reader) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        let mut framer = Framer::new(input);
        let mut gate = Gate::default();
        while let Some(frame) = framer.next().await {
            let verdict = match frame {
                Frame::Json(bytes) => gate.judge(bytes),
                Frame::Broken { bytes, why } => {
                    let text = message::repaired(bytes);
                    Verdict::Answer {
                        id: serde_json::Value::Null,
                        code: message::PARSE_ERROR,
                        reason: why,
                        excerpt: text.chars().take(80).collect(),
                    }
                }
            };
            let body = match verdict {
                Verdict::Forward(text) => text,
                Verdict::Answer { id, code, reason, excerpt } => json!({
                    "jsonrpc": "2.0",
                    "id": id,
                    "method": INVALID_REQUEST,
                    "params": {"code": code, "reason": reason, "excerpt": excerpt},
                })
                .to_string(),
                Verdict::Drop(why) => {
                    eprintln!("fdl lsp: ignored {why}");
                    continue;
                }
            };
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            if out.write_all(header.as_bytes()).await.is_err()
                || out.write_all(body.as_bytes()).await.is_err()
            {
                return;
            }
        }
        let _ = out.shutdown().await;
    });
    reader
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use tokio::io::AsyncReadExt;

    use super::*;

    #[tokio::test]
    async fn broken_messages_become_requests_the_server_answers() {
        let input = b"Content-Length: 9\r\n\r\n{not jsonContent-Length: 21\r\n\r\n{\"id\": 7, \"method\":}Content-Length: 2\r\n\r\n{}Content-Length: 58\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}".to_vec();
        let mut reader = sanitized(std::io::Cursor::new(input));
        let mut out = String::new();
        reader.read_to_string(&mut out).await.unwrap();
        let bodies: Vec<Value> = out
            .split("Content-Length: ")
            .filter(|s| !s.is_empty())
            .map(|s| serde_json::from_str(s.split_once("\r\n\r\n").unwrap().1).unwrap())
            .collect();
        let summary: Vec<String> =
            bodies.iter().map(|b| format!("{} {} {}", b["method"], b["id"], b["params"]["code"])).collect();
        assert_eq!(
            summary,
            [
                "\"fdl/invalidRequest\" null -32700",
                "\"fdl/invalidRequest\" 7 -32700",
                "\"fdl/invalidRequest\" null -32600",
                "\"initialize\" 1 null",
            ]
        );
    }
}
