//! Expression text to tokens. Never fails: characters that start no token become
//! [`TokenKind::Unknown`], and an unterminated string runs to the end of the text and is
//! reported as a [`LexError`]; the parser turns both into `expression-syntax` errors.

use crate::syntax::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quote {
    /// `"…"`, with backslash escapes.
    Double,
    /// `'…'`, with backslash escapes (seen in the built-in function examples).
    Single,
    /// `` `…` ``, raw: no escapes.
    Back,
}

impl Quote {
    pub fn char(self) -> char {
        match self {
            Quote::Double => '"',
            Quote::Single => '\'',
            Quote::Back => '`',
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// `$`, `$Input`, `$local`, …: a `$` and the identifier glued to it.
    Variable,
    Ident,
    Number,
    String(Quote),
    Dot,
    Comma,
    Colon,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    AndAnd,
    OrOr,
    Bang,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    /// A character that starts no token (`=`, `&`, `?`, `#`, …).
    Unknown,
    Eof,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

impl Token {
    pub fn text(self, source: &str) -> &str {
        source.get(self.range.as_usize()).unwrap_or("")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub range: TextRange,
    pub message: String,
}

/// Characters that may continue an identifier or a variable name. Letters of any script
/// count, so that `$Input.视频` reads a field with a CJK name.
pub fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

pub fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

/// Tokens of `text`, always ending with one [`TokenKind::Eof`].
pub fn lex(text: &str) -> (Vec<Token>, Vec<LexError>) {
    let mut tokens = Vec::new();
    let mut errors = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0usize;
    let range = |a: usize, b: usize| TextRange::new(a as u32, b as u32);
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        let start = i;
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let two = bytes.get(i + 1).copied();
        let kind = match c {
            '$' => {
                i += 1;
                i = skip_ident(text, i);
                TokenKind::Variable
            }
            '"' | '\'' | '`' => {
                let quote = match c {
                    '"' => Quote::Double,
                    '\'' => Quote::Single,
                    _ => Quote::Back,
                };
                match string_end(text, i, quote) {
                    Some(end) => i = end,
                    None => {
                        errors.push(LexError {
                            range: range(start, text.len()),
                            message: format!("this string has no closing {}", c),
                        });
                        i = text.len();
                    }
                }
                TokenKind::String(quote)
            }
            '0'..='9' => {
                i = number_end(text, i);
                TokenKind::Number
            }
            c if is_ident_start(c) => {
                i = skip_ident(text, i);
                TokenKind::Ident
            }
            _ => {
                let (kind, len) = match (c, two) {
                    ('=', Some(b'=')) => (TokenKind::EqEq, 2),
                    ('!', Some(b'=')) => (TokenKind::NotEq, 2),
                    ('<', Some(b'=')) => (TokenKind::Le, 2),
                    ('>', Some(b'=')) => (TokenKind::Ge, 2),
                    ('&', Some(b'&')) => (TokenKind::AndAnd, 2),
                    ('|', Some(b'|')) => (TokenKind::OrOr, 2),
                    ('.', _) => (TokenKind::Dot, 1),
                    (',', _) => (TokenKind::Comma, 1),
                    (':', _) => (TokenKind::Colon, 1),
                    ('(', _) => (TokenKind::LParen, 1),
                    (')', _) => (TokenKind::RParen, 1),
                    ('[', _) => (TokenKind::LBracket, 1),
                    (']', _) => (TokenKind::RBracket, 1),
                    ('{', _) => (TokenKind::LBrace, 1),
                    ('}', _) => (TokenKind::RBrace, 1),
                    ('<', _) => (TokenKind::Lt, 1),
                    ('>', _) => (TokenKind::Gt, 1),
                    ('!', _) => (TokenKind::Bang, 1),
                    ('+', _) => (TokenKind::Plus, 1),
                    ('-', _) => (TokenKind::Minus, 1),
                    ('*', _) => (TokenKind::Star, 1),
                    ('/', _) => (TokenKind::Slash, 1),
                    ('%', _) => (TokenKind::Percent, 1),
                    _ => (TokenKind::Unknown, c.len_utf8()),
                };
                i += len;
                kind
            }
        };
        tokens.push(Token { kind, range: range(start, i) });
    }
    tokens.push(Token { kind: TokenKind::Eof, range: range(text.len(), text.len()) });
    (tokens, errors)
}

fn skip_ident(text: &str, mut i: usize) -> usize {
    for c in text[i..].chars() {
        if !is_ident_char(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// Digits, an optional fraction and an optional exponent. `1.x` stops before the dot, so
/// that a member access after a number stays a syntax error instead of a strange number.
fn number_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = digits(start);
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            i = digits(j);
        }
    }
    i
}

/// The end (after the closing quote) of the string starting at `start`.
fn string_end(text: &str, start: usize, quote: Quote) -> Option<usize> {
    let q = quote.char() as u8;
    let b = text.as_bytes();
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if quote != Quote::Back => i += 2,
            c if c == q => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The value of a string token (quotes included in `raw`), or the problem with its escapes
/// as (byte offset within `raw`, length, message).
pub fn unescape(raw: &str, quote: Quote) -> Result<String, (usize, usize, String)> {
    let q = quote.char();
    let inner = raw.strip_prefix(q).unwrap_or(raw);
    let inner = inner.strip_suffix(q).filter(|_| raw.len() >= 2).unwrap_or(inner);
    if quote == Quote::Back {
        return Ok(inner.to_string());
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let at = i + 1;
        let Some((_, e)) = chars.next() else {
            return Err((at, 1, "a backslash at the end of the string escapes nothing".into()));
        };
        match e {
            '"' | '\'' | '\\' | '/' => out.push(e),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'u' => {
                let hex = inner
                    .get(i + 2..i + 6)
                    .filter(|h| h.len() == 4 && h.bytes().all(|b| b.is_ascii_hexdigit()));
                let Some(unit) = hex.and_then(|h| u32::from_str_radix(h, 16).ok()) else {
                    return Err((at, 1, "`\\u` needs four hex digits, e.g. `\\u00e9`".into()));
                };
                for _ in 0..4 {
                    chars.next();
                }
                let c = if (0xD800..0xDC00).contains(&unit) {
                    // A high surrogate must be followed by `\uDC00`..`\uDFFF`.
                    let low = inner
                        .get(i + 6..i + 12)
                        .and_then(|s| s.strip_prefix("\\u"))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|l| (0xDC00..0xE000).contains(l));
                    match low {
                        Some(low) => {
                            for _ in 0..6 {
                                chars.next();
                            }
                            char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                        }
                        None => None,
                    }
                } else {
                    char::from_u32(unit)
                };
                match c {
                    Some(c) => out.push(c),
                    None => return Err((at, 5, format!("`\\u{unit:04X}` is half of a surrogate pair"))),
                }
            }
            other => {
                return Err((
                    at,
                    1 + other.len_utf8(),
                    format!("unknown escape `\\{other}`: use `\\\\` for a backslash"),
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        lex(text).0.into_iter().map(|t| (t.kind, t.text(text))).collect()
    }

    #[test]
    fn tokens_of_a_condition() {
        assert_eq!(
            kinds("$Input.视频>=1.5e3&&!x"),
            [
                (TokenKind::Variable, "$Input"),
                (TokenKind::Dot, "."),
                (TokenKind::Ident, "视频"),
                (TokenKind::Ge, ">="),
                (TokenKind::Number, "1.5e3"),
                (TokenKind::AndAnd, "&&"),
                (TokenKind::Bang, "!"),
                (TokenKind::Ident, "x"),
                (TokenKind::Eof, ""),
            ]
        );
    }

    #[test]
    fn strings_escapes_and_unterminated() {
        assert_eq!(unescape(r#""a\"b\u00e9\n""#, Quote::Double), Ok("a\"bé\n".into()));
        assert_eq!(unescape(r"'it\'s'", Quote::Single), Ok("it's".into()));
        assert_eq!(unescape(r"`raw\n`", Quote::Back), Ok(r"raw\n".into()));
        assert_eq!(unescape(r#""\ud83d\ude00""#, Quote::Double), Ok("😀".into()));
        assert!(unescape(r#""\q""#, Quote::Double).is_err());
        assert!(unescape(r#""\u12""#, Quote::Double).is_err());
        let (tokens, errors) = lex("\"abc");
        assert_eq!(tokens[0].kind, TokenKind::String(Quote::Double));
        assert_eq!(errors.len(), 1);
    }
}
