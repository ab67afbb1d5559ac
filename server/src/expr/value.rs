//! JSON values as expressions see them: type names, sets of types for signatures and static
//! checks, equality and ordering. Values are `serde_json::Value`, which keeps integers and
//! floats apart (`1` and `1.0` print differently, as the service's JSON would).

use std::cmp::Ordering;
use std::fmt;

use serde_json::{Number, Value};

/// A set of JSON types, for parameter signatures and inferred types.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ty(u8);

impl Ty {
    pub const NULL: Ty = Ty(1);
    pub const BOOL: Ty = Ty(2);
    pub const INT: Ty = Ty(4);
    pub const FLOAT: Ty = Ty(8);
    pub const STRING: Ty = Ty(16);
    pub const ARRAY: Ty = Ty(32);
    pub const OBJECT: Ty = Ty(64);
    pub const NUMBER: Ty = Ty(4 | 8);
    pub const ANY: Ty = Ty(127);
    pub const NONE: Ty = Ty(0);

    pub const fn or(self, other: Ty) -> Ty {
        Ty(self.0 | other.0)
    }

    pub fn intersects(self, other: Ty) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_subset_of(self, other: Ty) -> bool {
        self.0 & !other.0 == 0
    }

    pub fn is_any(self) -> bool {
        self == Ty::ANY
    }

    pub fn of(value: &Value) -> Ty {
        match value {
            Value::Null => Ty::NULL,
            Value::Bool(_) => Ty::BOOL,
            Value::Number(n) if n.is_f64() => Ty::FLOAT,
            Value::Number(_) => Ty::INT,
            Value::String(_) => Ty::STRING,
            Value::Array(_) => Ty::ARRAY,
            Value::Object(_) => Ty::OBJECT,
        }
    }
}

impl fmt::Display for Ty {
    /// `string`, `array | object`, `any`: how signatures show a type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Ty::ANY {
            return f.write_str("any");
        }
        let mut names = Vec::new();
        let mut rest = *self;
        if rest.0 & Ty::NUMBER.0 == Ty::NUMBER.0 {
            names.push("number");
            rest = Ty(rest.0 & !Ty::NUMBER.0);
        }
        for (t, name) in [
            (Ty::NULL, "null"),
            (Ty::BOOL, "boolean"),
            (Ty::INT, "integer"),
            (Ty::FLOAT, "float"),
            (Ty::STRING, "string"),
            (Ty::ARRAY, "array"),
            (Ty::OBJECT, "object"),
        ] {
            if rest.intersects(t) {
                names.push(name);
            }
        }
        if names.is_empty() {
            return f.write_str("nothing");
        }
        f.write_str(&names.join(" | "))
    }
}

impl fmt::Debug for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// What a value is, for messages: `a string`, `an integer`, ….
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A number for arithmetic: integers exactly (i128 holds both i64 and u64), floats as f64.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    pub fn of(n: &Number) -> Num {
        if let Some(i) = n.as_i64() {
            Num::Int(i as i128)
        } else if let Some(u) = n.as_u64() {
            Num::Int(u as i128)
        } else {
            Num::Float(n.as_f64().unwrap_or(f64::NAN))
        }
    }

    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    /// The JSON value, or `None` when it has none (out of the 64-bit range, NaN, infinite).
    pub fn to_value(self) -> Option<Value> {
        match self {
            Num::Int(i) => {
                if let Ok(v) = i64::try_from(i) {
                    Some(Value::from(v))
                } else {
                    u64::try_from(i).ok().map(Value::from)
                }
            }
            Num::Float(f) => Number::from_f64(f).map(Value::Number),
        }
    }
}

/// JSON equality, except that numbers compare by value (`1 == 1.0`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (Num::of(x), Num::of(y)) {
            (Num::Int(x), Num::Int(y)) => x == y,
            (x, y) => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// The order of two numbers or two strings (by Unicode code point); `None` for other pairs.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (Num::of(x), Num::of(y)) {
            (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
            (x, y) => x.as_f64().partial_cmp(&y.as_f64()),
        },
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// How `format` shows a value: strings as they are, everything else as JSON.
pub fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A short JSON rendering for messages, cut after `max` characters.
pub fn preview(value: &Value, max: usize) -> String {
    let s = value.to_string();
    if s.chars().count() <= max { s } else { format!("{}…", s.chars().take(max).collect::<String>()) }
}

/// The size of `value` as compact JSON (what the service's data limits count), or `None`
/// as soon as it passes `limit` bytes: the count stops there, so measuring costs at most
/// about `limit` bytes of work whatever the value.
pub fn json_size_within(value: &Value, limit: usize) -> Option<usize> {
    struct Count {
        n: usize,
        limit: usize,
    }
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.n += buf.len();
            if self.n > self.limit {
                return Err(std::io::Error::other("over the limit"));
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count { n: 0, limit };
    // A `Value` always serializes: the only error is the counter's own.
    serde_json::to_writer(&mut count, value).ok().map(|()| count.n)
}

/// A size limit as people write it: `64 KiB`, `1 MiB`, else bytes.
pub fn bytes_limit(limit: usize) -> String {
    match limit {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}
