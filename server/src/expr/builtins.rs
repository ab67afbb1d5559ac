//! Implementations of the built-in functions listed in [`super::functions`]. Each takes
//! arguments whose count the caller has already checked against the table, and returns an
//! error value (never panics) for arguments of the wrong type or content.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};

use super::functions::CallError;
use super::value::{self, Num, describe, json_eq};

/// The random numbers behind `uuid()` and `randomInt()`: SplitMix64, which is tiny and good
/// enough for test data. With a seed the sequence is reproducible, so dry runs can be
/// compared; without one it starts from the process's hash seed and the clock.
#[derive(Clone, Debug)]
pub struct Random {
    state: u64,
}

impl Random {
    pub fn seeded(seed: u64) -> Random {
        Random { state: seed }
    }

    pub fn from_entropy() -> Random {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        h.write_u64(nanos);
        Random { state: h.finish() }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn string_arg<'v>(args: &'v [Value], i: usize, what: &str) -> Result<&'v str, CallError> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(CallError::arg(i, format!("{what} must be a string, not {}", describe(other)))),
        None => Err(CallError::call(format!("{what} is missing"))),
    }
}

fn array_arg<'v>(args: &'v [Value], i: usize, what: &str) -> Result<&'v Vec<Value>, CallError> {
    match args.get(i) {
        Some(Value::Array(a)) => Ok(a),
        Some(other) => Err(CallError::arg(i, format!("{what} must be an array, not {}", describe(other)))),
        None => Err(CallError::call(format!("{what} is missing"))),
    }
}

fn object_arg<'v>(args: &'v [Value], i: usize, what: &str) -> Result<&'v Map<String, Value>, CallError> {
    match args.get(i) {
        Some(Value::Object(o)) => Ok(o),
        Some(other) => Err(CallError::arg(i, format!("{what} must be an object, not {}", describe(other)))),
        None => Err(CallError::call(format!("{what} is missing"))),
    }
}

fn int_arg(args: &[Value], i: usize, what: &str) -> Result<i128, CallError> {
    match args.get(i) {
        Some(Value::Number(n)) => match Num::of(n) {
            Num::Int(v) => Ok(v),
            Num::Float(f) => Err(CallError::arg(i, format!("{what} must be an integer, not {f}"))),
        },
        Some(other) => Err(CallError::arg(i, format!("{what} must be an integer, not {}", describe(other)))),
        None => Err(CallError::call(format!("{what} is missing"))),
    }
}

fn int_value(v: i128) -> Result<Value, CallError> {
    Num::Int(v).to_value().ok_or_else(|| CallError::call("the result does not fit in a 64-bit integer"))
}

pub fn array_contains(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let array = array_arg(args, 0, "the first argument")?;
    let needle = args.get(1).unwrap_or(&Value::Null);
    Ok(Value::Bool(array.iter().any(|v| json_eq(v, needle))))
}

pub fn array_unique(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let array = array_arg(args, 0, "the argument")?;
    let mut out: Vec<Value> = Vec::with_capacity(array.len());
    for v in array {
        if !out.iter().any(|seen| json_eq(seen, v)) {
            out.push(v.clone());
        }
    }
    Ok(Value::Array(out))
}

pub fn format(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let template = string_arg(args, 0, "the template")?;
    let values = &args[1.min(args.len())..];
    let placeholders = template.matches("{}").count();
    if placeholders != values.len() {
        return Err(CallError::call(format!(
            "the template has {placeholders} `{{}}` placeholder{} but {} value{} {} given",
            plural(placeholders),
            values.len(),
            plural(values.len()),
            if values.len() == 1 { "is" } else { "are" }
        )));
    }
    let mut out = String::with_capacity(template.len());
    let mut pieces = template.split("{}");
    out.push_str(pieces.next().unwrap_or(""));
    for (piece, value) in pieces.zip(values) {
        out.push_str(&value::display(value));
        out.push_str(piece);
    }
    Ok(Value::String(out))
}

pub fn check_format(index: usize, value: &Value, arg_count: usize) -> Option<String> {
    let (0, Value::String(template)) = (index, value) else { return None };
    let placeholders = template.matches("{}").count();
    let values = arg_count.saturating_sub(1);
    (placeholders != values).then(|| {
        format!(
            "the template has {placeholders} `{{}}` placeholder{} but {values} value{} follow{}",
            plural(placeholders),
            plural(values),
            if values == 1 { "s" } else { "" }
        )
    })
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn from_base64(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let text = string_arg(args, 0, "the argument")?;
    let bytes =
        BASE64.decode(text.trim()).map_err(|e| CallError::arg(0, format!("not valid Base64: {e}")))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| CallError::arg(0, "the decoded bytes are not UTF-8 text"))
}

pub fn check_base64(_: usize, value: &Value, _: usize) -> Option<String> {
    let Value::String(s) = value else { return None };
    BASE64.decode(s.trim()).err().map(|e| format!("not valid Base64: {e}"))
}

pub fn to_base64(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let text = string_arg(args, 0, "the argument")?;
    Ok(Value::String(BASE64.encode(text.as_bytes())))
}

pub fn string_to_json(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let text = string_arg(args, 0, "the argument")?;
    serde_json::from_str(text).map_err(|e| CallError::arg(0, format!("not valid JSON: {e}")))
}

pub fn check_json(_: usize, value: &Value, _: usize) -> Option<String> {
    let Value::String(s) = value else { return None };
    serde_json::from_str::<Value>(s).err().map(|e| format!("not valid JSON: {e}"))
}

/// The algorithm names the docs list, exactly as written there.
pub const HASH_ALGORITHMS: &[&str] = &["MD5", "SHA-1", "SHA-256", "SHA-512"];

pub fn hash(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    use md5::Md5;
    use sha1::Sha1;
    use sha2::{Digest, Sha256, Sha512};
    let input = string_arg(args, 0, "the input")?.as_bytes();
    let algorithm = string_arg(args, 1, "the algorithm")?;
    let digest: Vec<u8> = match algorithm {
        "MD5" => Md5::digest(input).to_vec(),
        "SHA-1" => Sha1::digest(input).to_vec(),
        "SHA-256" => Sha256::digest(input).to_vec(),
        "SHA-512" => Sha512::digest(input).to_vec(),
        other => return Err(CallError::arg(1, unknown_algorithm(other))),
    };
    Ok(Value::String(digest.iter().map(|b| format!("{b:02x}")).collect()))
}

fn unknown_algorithm(name: &str) -> String {
    let squash = |s: &str| s.replace('-', "").to_ascii_uppercase();
    let list = HASH_ALGORITHMS.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
    match HASH_ALGORITHMS.iter().find(|a| squash(a) == squash(name)) {
        Some(a) => format!("unknown hash algorithm `{name}`: write it `{a}`"),
        None => format!("unknown hash algorithm `{name}`: the algorithms are {list}"),
    }
}

pub fn check_hash(index: usize, value: &Value, _: usize) -> Option<String> {
    match (index, value) {
        (1, Value::String(s)) if !HASH_ALGORITHMS.contains(&s.as_str()) => Some(unknown_algorithm(s)),
        _ => None,
    }
}

pub fn json_merge(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let mut merged = object_arg(args, 0, "the first argument")?.clone();
    for (k, v) in object_arg(args, 1, "the second argument")? {
        merged.insert(k.clone(), v.clone());
    }
    Ok(Value::Object(merged))
}

pub fn length(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let n = match args.first() {
        Some(Value::String(s)) => s.chars().count(),
        Some(Value::Array(a)) => a.len(),
        Some(Value::Object(o)) => o.len(),
        Some(other) => {
            return Err(CallError::arg(
                0,
                format!("the argument must be a string, an array or an object, not {}", describe(other)),
            ));
        }
        None => return Err(CallError::call("the argument is missing")),
    };
    int_value(n as i128)
}

pub fn map_keys(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let map = object_arg(args, 0, "the argument")?;
    Ok(Value::Array(map.keys().map(|k| Value::String(k.clone())).collect()))
}

pub fn map_values(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let map = object_arg(args, 0, "the argument")?;
    Ok(Value::Array(map.values().cloned().collect()))
}

fn compile_regex(pattern: &str) -> Result<regex::Regex, String> {
    // Bounded so that a hostile pattern costs little memory; matching is linear anyway.
    regex::RegexBuilder::new(pattern).size_limit(1 << 20).build().map_err(|e| {
        let why = match &e {
            regex::Error::Syntax(s) => {
                s.lines().find_map(|l| l.strip_prefix("error: ")).unwrap_or("syntax error").to_string()
            }
            regex::Error::CompiledTooBig(_) => "it is too large".to_string(),
            other => other.to_string(),
        };
        format!("not a valid regular expression: {why}")
    })
}

pub fn regex_match_string(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let pattern = string_arg(args, 0, "the pattern")?;
    let input = string_arg(args, 1, "the input")?;
    let re = compile_regex(pattern).map_err(|m| CallError::arg(0, m))?;
    Ok(Value::Bool(re.is_match(input)))
}

pub fn check_regex(index: usize, value: &Value, _: usize) -> Option<String> {
    match (index, value) {
        (0, Value::String(s)) => compile_regex(s).err(),
        _ => None,
    }
}

pub fn split(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let input = string_arg(args, 0, "the input")?;
    let separator = string_arg(args, 1, "the separator")?;
    let parts: Vec<Value> = if separator.is_empty() {
        input.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        input.split(separator).map(|s| Value::String(s.to_string())).collect()
    };
    Ok(Value::Array(parts))
}

pub fn to_array(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    Ok(Value::Array(args.to_vec()))
}

pub fn uuid(_: &[Value], random: &mut Random) -> Result<Value, CallError> {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&random.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&random.next_u64().to_le_bytes());
    Ok(Value::String(uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()))
}

pub fn get(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    match (args.first(), args.get(1)) {
        (Some(Value::Array(a)), Some(Value::Number(n))) => match Num::of(n) {
            Num::Int(i) => Ok(usize::try_from(i).ok().and_then(|i| a.get(i)).cloned().unwrap_or(Value::Null)),
            Num::Float(f) => Err(CallError::arg(1, format!("an array index must be an integer, not {f}"))),
        },
        (Some(Value::Array(_)), Some(other)) => {
            Err(CallError::arg(1, format!("an array index must be an integer, not {}", describe(other))))
        }
        (Some(Value::Object(o)), Some(Value::String(k))) => Ok(o.get(k).cloned().unwrap_or(Value::Null)),
        (Some(Value::Object(_)), Some(other)) => {
            Err(CallError::arg(1, format!("an object key must be a string, not {}", describe(other))))
        }
        (Some(other), _) => Err(CallError::arg(
            0,
            format!("the first argument must be an array or an object, not {}", describe(other)),
        )),
        (None, _) => Err(CallError::call("the arguments are missing")),
    }
}

pub fn int_add(args: &[Value], _: &mut Random) -> Result<Value, CallError> {
    let a = int_arg(args, 0, "the first argument")?;
    let b = int_arg(args, 1, "the second argument")?;
    int_value(a + b)
}

pub fn random_int(args: &[Value], random: &mut Random) -> Result<Value, CallError> {
    let min = int_arg(args, 0, "`min`")?;
    let max = int_arg(args, 1, "`max`")?;
    if max <= min {
        return Err(CallError::call(format!("`max` ({max}) must be greater than `min` ({min})")));
    }
    let span = (max - min) as u128;
    // Two draws give 128 bits, so the modulo bias is negligible for any 64-bit span.
    let draw = ((random.next_u64() as u128) << 64) | random.next_u64() as u128;
    int_value(min + (draw % span) as i128)
}
