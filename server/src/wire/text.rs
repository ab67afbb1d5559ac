//! Message text as editors send it, repaired: invalid UTF-8 (Neovim has sent it when
//! pasting) and lone UTF-16 surrogate escapes (`JSON.stringify` writes half a pair as
//! `\ud800`) become U+FFFD, one UTF-16 unit each, so that positions still line up.

/// The body as text, with invalid UTF-8 and lone surrogate escapes replaced by U+FFFD.
pub(crate) fn repaired(bytes: Vec<u8>) -> String {
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let lower = text.contains("\\ud") || text.contains("\\uD");
    if lower { lone_surrogates_replaced(&text) } else { text }
}

/// Replaces `\uD800`-`\uDFFF` escapes inside strings that are not part of a high-low pair.
fn lone_surrogates_replaced(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut i = 0;
    let mut copied = 0;
    let escape_at = |at: usize| -> Option<u32> {
        if b.get(at) == Some(&b'\\') && b.get(at + 1) == Some(&b'u') {
            text.get(at + 2..at + 6).and_then(|h| u32::from_str_radix(h, 16).ok())
        } else {
            None
        }
    };
    while i < b.len() {
        match b[i] {
            b'"' => {
                in_string = !in_string;
                i += 1;
            }
            b'\\' if in_string => {
                match escape_at(i) {
                    Some(high @ 0xD800..=0xDBFF) => {
                        if matches!(escape_at(i + 6), Some(0xDC00..=0xDFFF)) {
                            i += 12;
                        } else {
                            out.push_str(&text[copied..i]);
                            out.push_str("\\uFFFD");
                            let _ = high;
                            i += 6;
                            copied = i;
                        }
                    }
                    Some(0xDC00..=0xDFFF) => {
                        out.push_str(&text[copied..i]);
                        out.push_str("\\uFFFD");
                        i += 6;
                        copied = i;
                    }
                    // Any other escape, `\\` and `\"` included, is two characters here.
                    _ => i += 2,
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied.min(text.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    #[test]
    fn broken_text_is_repaired_so_that_positions_line_up() {
        assert_eq!(repaired(b"{\"t\":\"a\xffb\"}".to_vec()), "{\"t\":\"a\u{FFFD}b\"}");
        let lone = r#"{"t":"x\ud800y \udc00 \ud83d\ude00 \\ud800 \"\ud800"}"#;
        assert_eq!(
            repaired(lone.as_bytes().to_vec()),
            r#"{"t":"x\uFFFDy \uFFFD \ud83d\ude00 \\ud800 \"\uFFFD"}"#
        );
        let v: Value = serde_json::from_str(&repaired(lone.as_bytes().to_vec())).unwrap();
        assert_eq!(v["t"], "x\u{FFFD}y \u{FFFD} 😀 \\ud800 \"\u{FFFD}");
    }
}
