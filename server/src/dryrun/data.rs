//! JSON values shared between the interpreter's state and the events that record them:
//! a state's output is the next state's input and appears in two events, so it is kept
//! once behind an `Arc`. Its serialized size is computed at most once, because the size
//! limits look at the same value several times (a Pass forwards its input unchanged).

use std::fmt;
use std::io;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

#[derive(Clone)]
pub struct Data(Arc<Inner>);

struct Inner {
    value: Value,
    bytes: OnceLock<usize>,
}

impl Data {
    pub fn new(value: Value) -> Data {
        Data(Arc::new(Inner { value, bytes: OnceLock::new() }))
    }

    pub fn empty_object() -> Data {
        Data::new(Value::Object(Map::new()))
    }

    pub fn value(&self) -> &Value {
        &self.0.value
    }

    /// The size of the value as compact JSON, in bytes: what the service's limits count.
    pub fn bytes(&self) -> usize {
        *self.0.bytes.get_or_init(|| json_size(&self.0.value))
    }

    /// The value, copied only when it is shared.
    pub fn into_value(self) -> Value {
        match Arc::try_unwrap(self.0) {
            Ok(inner) => inner.value,
            Err(shared) => shared.value.clone(),
        }
    }

    pub fn ptr_eq(&self, other: &Data) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for Data {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.0.value
    }
}

impl From<Value> for Data {
    fn from(value: Value) -> Data {
        Data::new(value)
    }
}

impl fmt::Debug for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.value)
    }
}

impl PartialEq for Data {
    fn eq(&self, other: &Data) -> bool {
        self.ptr_eq(other) || self.0.value == other.0.value
    }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.value.serialize(serializer)
    }
}

/// How deep values may nest at a state's boundary. Values are measured, copied, compared,
/// printed and dropped by recursive code (serde_json's and ours); nothing else caps their
/// nesting on its way through a run (a loop that wraps `$Input` in an object on each pass
/// fits 8,000 levels in the 64 KiB a state may hand on). 100 levels keep a run's JSON result
/// readable by serde_json, which refuses more than 128, as the service's inputs do: inputs
/// and mocks read as JSON nest at most 128 levels, so real data stays far below.
pub const MAX_VALUE_DEPTH: usize = 100;

/// Whether `value` nests arrays and objects more than `max` levels deep (`[]` is one level),
/// found without recursion and without looking further than the first path that does.
pub fn nests_deeper_than(value: &Value, max: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = vec![(value, 1)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(entries) => Box::new(entries.values()),
            _ => continue,
        };
        if depth > max {
            return true;
        }
        stack.extend(children.map(|c| (c, depth + 1)));
    }
    false
}

/// The length of `value` as compact JSON, without building the text.
pub fn json_size(value: &Value) -> usize {
    struct Count(usize);
    impl io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing into a counter cannot fail, and a `Value` always serializes.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nesting_is_measured_without_recursion() {
        let mut deep = json!(1);
        for _ in 0..20_000 {
            deep = Value::Array(vec![deep]);
        }
        assert!(nests_deeper_than(&deep, MAX_VALUE_DEPTH));
        assert!(!nests_deeper_than(&json!({"a": [1, {"b": []}]}), 4));
        assert!(nests_deeper_than(&json!({"a": [1, {"b": []}]}), 3));
        // serde_json's Drop would recurse 20,000 levels: taken apart level by level.
        while let Value::Array(items) = &mut deep {
            let inner = items.pop().unwrap_or_default();
            deep = inner;
        }
    }

    #[test]
    fn size_counts_utf8_bytes_of_compact_json() {
        assert_eq!(json_size(&json!({"a": [1, 2]})), r#"{"a":[1,2]}"#.len());
        assert_eq!(Data::new(json!("视频")).bytes(), 8);
    }
}
