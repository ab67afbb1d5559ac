//! YAML values as JSON: the literal parts of constructors and Parameters, mocked results
//! and test expectations. Plain scalars resolve as in YAML 1.2's core schema (`null`,
//! `true`, `12`, `1.5`); quoted and block scalars, and tagged ones such as Funcraft's
//! `!Ref name`, stay strings. Aliases and `<<` merge keys are followed through the
//! [`Flow`] view, which knows the anchors.

use serde_json::{Map, Number, Value};

use crate::analysis::model::Flow;
use crate::syntax::{Node, NodeKind, ScalarStyle};

/// Deeper YAML is cut (as `null`): no real document nests this far, and the bound keeps
/// hostile input from exhausting the stack.
const MAX_DEPTH: usize = 128;

pub fn to_json(flow: &Flow<'_>, node: Node<'_>) -> Value {
    convert(flow, node, 0)
}

fn convert(flow: &Flow<'_>, node: Node<'_>, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let node = flow.resolve(node);
    match node.kind() {
        NodeKind::Scalar => scalar(node),
        NodeKind::Sequence => Value::Array(node.items().map(|n| convert(flow, n, depth + 1)).collect()),
        NodeKind::Mapping => {
            let mut map = Map::new();
            for e in flow.entries(node) {
                if let Some(key) = flow.resolve(e.key).scalar() {
                    map.insert(key.to_string(), convert(flow, e.value, depth + 1));
                }
            }
            Value::Object(map)
        }
        // An alias whose anchor is missing, or text that did not parse.
        NodeKind::Alias | NodeKind::Error => Value::Null,
    }
}

/// The JSON value of a scalar node.
pub fn scalar(node: Node<'_>) -> Value {
    let text = node.scalar().unwrap_or("");
    let core_tag = match node.tag() {
        None => true,
        Some((tag, _)) => matches!(tag, "!!null" | "!!bool" | "!!int" | "!!float"),
    };
    if node.scalar_style() == Some(ScalarStyle::Plain) && core_tag {
        plain(text)
    } else {
        Value::String(text.to_string())
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
pub fn plain(text: &str) -> Value {
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    if let Some(b) = crate::syntax::scalar::parse_bool(text) {
        return Value::Bool(b);
    }
    if let Some(n) = integer(text) {
        return Value::Number(n);
    }
    if is_float(text)
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text.to_string())
}

fn integer(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        let value = i64::try_from(magnitude)
            .ok()
            .map(|m| -m)
            .or_else(|| (magnitude == 1 << 63).then_some(i64::MIN))?;
        Some(Number::from(value))
    } else {
        Some(Number::from(magnitude))
    }
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let whole = digits(&mut i);
    let mut fraction = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        fraction = digits(&mut i);
    }
    if whole == 0 && fraction == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::syntax::{SourceText, SyntaxTree};

    fn yaml(src: &str) -> Value {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let root = tree.root().expect("a document");
        let flow = Flow::from_root(fdl_schema::Dialect::CloudFlow, root, tree.may_have_anchors());
        to_json(&flow, root)
    }

    #[test]
    fn core_schema_scalars() {
        assert_eq!(
            yaml(
                "a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf: '1'\ng: 0x1f\nh: 1e3\ni: abc\nj: !Ref x/y\nk: .5\nl: 1.\nm: 12abc\nn:\n"
            ),
            json!({"a": 1, "b": -2, "c": 1.5, "d": true, "e": null, "f": "1", "g": 31, "h": 1000.0,
                   "i": "abc", "j": "x/y", "k": 0.5, "l": 1.0, "m": "12abc", "n": null})
        );
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        assert_eq!(
            yaml("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b, [1, \"2\"]]\n"),
            json!({"base": {"x": 1, "y": 2}, "use": {"y": 3, "x": 1}, "list": [{"x": 1, "y": 2}, [1, "2"]]})
        );
    }
}
