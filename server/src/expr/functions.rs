//! The built-in functions: ONE table with every function's signature, documentation, how
//! sure we are of it, its implementation and the checks of its constant arguments. Static
//! checks, evaluation, completion, hover and signature help all read this table.
//!
//! The docs could only be read in part (see the reference, §4.4): several functions are
//! known by name and purpose only. For those the table picks the most plausible signature
//! (usually the Go standard-library function the name mirrors, as the service is written
//! in Go) and says so in `assumed`, which hover shows.

use serde_json::Value;

use super::builtins as imp;
use super::value::Ty;

/// How much of a function the documentation confirms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confidence {
    /// Signature and behaviour are documented, with an example.
    Documented,
    /// Documented, but a detail of the behaviour is assumed (see `assumed`).
    PartlyDocumented,
    /// The docs give the name and purpose only; the signature is assumed.
    NameOnly,
    /// Not seen in the docs at all; the docs imply that such a function exists.
    Unconfirmed,
}

impl Confidence {
    pub fn describe(self) -> &'static str {
        match self {
            Confidence::Documented => "documented",
            Confidence::PartlyDocumented => "documented; one detail assumed",
            Confidence::NameOnly => "name and purpose documented; signature assumed",
            Confidence::Unconfirmed => "not confirmed by the docs",
        }
    }

    /// Whether a call that does not fit the signature is surely wrong (an error) or may be
    /// our guess that is wrong (a warning).
    pub fn signature_is_certain(self) -> bool {
        matches!(self, Confidence::Documented | Confidence::PartlyDocumented)
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub name: &'static str,
    pub ty: Ty,
    pub doc: &'static str,
}

/// What went wrong in a call, and which argument caused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    pub arg: Option<usize>,
    pub message: String,
}

impl CallError {
    pub fn arg(index: usize, message: impl Into<String>) -> CallError {
        CallError { arg: Some(index), message: message.into() }
    }

    pub fn call(message: impl Into<String>) -> CallError {
        CallError { arg: None, message: message.into() }
    }
}

pub type Implementation = fn(&[Value], &mut imp::Random) -> Result<Value, CallError>;

/// Checks one argument whose value is known before the flow runs (a literal), given its
/// index and the number of arguments of the call: `Some(why)` when the call would fail.
pub type ConstCheck = fn(usize, &Value, usize) -> Option<String>;

pub struct Function {
    pub name: &'static str,
    /// Other names for the same function (`fromJSON` for `stringToJson`).
    pub aliases: &'static [&'static str],
    pub params: &'static [Param],
    /// A trailing parameter that may repeat any number of times (zero included).
    pub variadic: Option<Param>,
    pub returns: Ty,
    pub category: &'static str,
    pub summary: &'static str,
    /// A call and its result, from the docs where they give one.
    pub example: Option<(&'static str, &'static str)>,
    pub confidence: Confidence,
    /// What this table assumes beyond the docs.
    pub assumed: Option<&'static str>,
    pub implementation: Implementation,
    pub check_constant: Option<ConstCheck>,
}

/// The nesting limit of function calls in one expression (documented: 10 levels).
pub const MAX_CALL_DEPTH: usize = 10;

const fn p(name: &'static str, ty: Ty, doc: &'static str) -> Param {
    Param { name, ty, doc }
}

pub static FUNCTIONS: &[Function] = &[
    Function {
        name: "arrayContains",
        aliases: &[],
        params: &[
            p("array", Ty::ARRAY, "the array to search"),
            p("value", Ty::ANY, "the element to look for"),
        ],
        variadic: None,
        returns: Ty::BOOL,
        category: "array",
        summary: "Whether `array` has an element equal to `value`.",
        example: Some((r#"arrayContains(["Tom", 10], 10)"#, "true")),
        confidence: Confidence::Documented,
        assumed: None,
        implementation: imp::array_contains,
        check_constant: None,
    },
    Function {
        name: "arrayUnique",
        aliases: &[],
        params: &[p("array", Ty::ARRAY, "the array to deduplicate")],
        variadic: None,
        returns: Ty::ARRAY,
        category: "array",
        summary: "The elements of `array` without repeats, in the order of their first occurrence.",
        example: Some(("arrayUnique([1, 2, 3, 1])", "[1, 2, 3]")),
        confidence: Confidence::Documented,
        assumed: None,
        implementation: imp::array_unique,
        check_constant: None,
    },
    Function {
        name: "format",
        aliases: &[],
        params: &[p("template", Ty::STRING, "text with one `{}` per value")],
        variadic: Some(p("values", Ty::ANY, "the values for the `{}` placeholders, left to right")),
        returns: Ty::STRING,
        category: "common",
        summary: "Fills the `{}` placeholders of `template` with `values`, left to right. Strings are inserted as they are, other values as JSON.",
        example: Some((r#"format("hello {}", "world")"#, r#""hello world""#)),
        confidence: Confidence::PartlyDocumented,
        assumed: Some(
            "a different number of placeholders and values is an error; non-string values are inserted as JSON",
        ),
        implementation: imp::format,
        check_constant: Some(imp::check_format),
    },
    Function {
        name: "fromBase64",
        aliases: &[],
        params: &[p("text", Ty::STRING, "Base64 text (standard alphabet, with padding)")],
        variadic: None,
        returns: Ty::STRING,
        category: "encoding",
        summary: "Decodes Base64 text to a string.",
        example: Some((r#"fromBase64("Rm5G")"#, r#""FnF""#)),
        confidence: Confidence::PartlyDocumented,
        assumed: Some("the standard alphabet with padding; decoded bytes that are not UTF-8 are an error"),
        implementation: imp::from_base64,
        check_constant: Some(imp::check_base64),
    },
    Function {
        name: "toBase64",
        aliases: &[],
        params: &[p("text", Ty::STRING, "the text to encode")],
        variadic: None,
        returns: Ty::STRING,
        category: "encoding",
        summary: "Encodes a string as Base64 (standard alphabet, with padding).",
        example: Some((r#"toBase64("FnF")"#, r#""Rm5G""#)),
        confidence: Confidence::Unconfirmed,
        assumed: Some(
            "the docs list an encoding category with `fromBase64` but no encoder was seen; this name is a guess",
        ),
        implementation: imp::to_base64,
        check_constant: None,
    },
    Function {
        name: "stringToJson",
        aliases: &["fromJSON"],
        params: &[p("text", Ty::STRING, "JSON text")],
        variadic: None,
        returns: Ty::ANY,
        category: "JSON",
        summary: "Parses JSON text into a value. `fromJSON` is another name for it.",
        example: Some((r#"stringToJson('{"name": "Tom", "age": 10}')"#, r#"{"name": "Tom", "age": 10}"#)),
        confidence: Confidence::Documented,
        assumed: None,
        implementation: imp::string_to_json,
        check_constant: Some(imp::check_json),
    },
    Function {
        name: "hash",
        aliases: &[],
        params: &[
            p("input", Ty::STRING, "the text to hash (its UTF-8 bytes)"),
            p("algorithm", Ty::STRING, "`MD5`, `SHA-1`, `SHA-256` or `SHA-512`"),
        ],
        variadic: None,
        returns: Ty::STRING,
        category: "hash",
        summary: "The hash of `input` in lowercase hexadecimal.",
        example: Some((r#"hash("abc", "MD5")"#, r#""900150983cd24fb0d6963f7d28e17f72""#)),
        confidence: Confidence::Documented,
        assumed: None,
        implementation: imp::hash,
        check_constant: Some(imp::check_hash),
    },
    Function {
        name: "jsonMerge",
        aliases: &[],
        params: &[
            p("first", Ty::OBJECT, "the base object"),
            p("second", Ty::OBJECT, "the object merged into it"),
        ],
        variadic: None,
        returns: Ty::OBJECT,
        category: "JSON",
        summary: "A shallow merge of two objects: every key of both, in the order first seen.",
        example: Some((
            r#"jsonMerge({"name": "Tom", "age": 10}, {"name": "Tom", "address": "beijing"})"#,
            r#"{"name": "Tom", "age": 10, "address": "beijing"}"#,
        )),
        confidence: Confidence::PartlyDocumented,
        assumed: Some("when both objects have a key, the value of `second` wins"),
        implementation: imp::json_merge,
        check_constant: None,
    },
    Function {
        name: "length",
        aliases: &[],
        params: &[p("value", Ty::STRING.or(Ty::ARRAY).or(Ty::OBJECT), "a string, an array or an object")],
        variadic: None,
        returns: Ty::INT,
        category: "common",
        summary: "The number of characters of a string, elements of an array or keys of an object.",
        example: Some((r#"length("name")"#, "4")),
        confidence: Confidence::PartlyDocumented,
        assumed: Some("strings count Unicode characters (code points), not bytes: `length(\"视频\")` is 2"),
        implementation: imp::length,
        check_constant: None,
    },
    Function {
        name: "mapKeys",
        aliases: &[],
        params: &[p("map", Ty::OBJECT, "the object")],
        variadic: None,
        returns: Ty::ARRAY,
        category: "map",
        summary: "The keys of an object, as an array.",
        example: Some((r#"mapKeys({"a": 1, "b": 2})"#, r#"["a", "b"]"#)),
        confidence: Confidence::NameOnly,
        assumed: Some("keys come in the order they are written; the docs do not state an order"),
        implementation: imp::map_keys,
        check_constant: None,
    },
    Function {
        name: "mapValues",
        aliases: &[],
        params: &[p("map", Ty::OBJECT, "the object")],
        variadic: None,
        returns: Ty::ARRAY,
        category: "map",
        summary: "The values of an object, as an array.",
        example: Some((r#"mapValues({"a": 1, "b": 2})"#, "[1, 2]")),
        confidence: Confidence::NameOnly,
        assumed: Some("values come in the order their keys are written"),
        implementation: imp::map_values,
        check_constant: None,
    },
    Function {
        name: "regexMatchString",
        aliases: &[],
        params: &[
            p("pattern", Ty::STRING, "a regular expression (RE2 syntax)"),
            p("input", Ty::STRING, "the text to search"),
        ],
        variadic: None,
        returns: Ty::BOOL,
        category: "common",
        summary: "Whether `input` contains a match of the regular expression `pattern`.",
        example: Some((r#"regexMatchString("^a.c$", "abc")"#, "true")),
        confidence: Confidence::NameOnly,
        assumed: Some(
            "the argument order (pattern first) and the unanchored match follow Go's `regexp.MatchString`, which the name mirrors",
        ),
        implementation: imp::regex_match_string,
        check_constant: Some(imp::check_regex),
    },
    Function {
        name: "split",
        aliases: &[],
        params: &[p("input", Ty::STRING, "the text to split"), p("separator", Ty::STRING, "the delimiter")],
        variadic: None,
        returns: Ty::ARRAY,
        category: "common",
        summary: "Splits `input` at every `separator` into an array of strings.",
        example: Some((r#"split("a,b,c", ",")"#, r#"["a", "b", "c"]"#)),
        confidence: Confidence::NameOnly,
        assumed: Some(
            "the argument order (text first) follows Go's `strings.Split`; an empty separator splits into characters",
        ),
        implementation: imp::split,
        check_constant: None,
    },
    Function {
        name: "toArray",
        aliases: &[],
        params: &[],
        variadic: Some(p("values", Ty::ANY, "any number of values")),
        returns: Ty::ARRAY,
        category: "array",
        summary: "An array of the arguments.",
        example: Some((r#"toArray(1, "a", true)"#, r#"[1, "a", true]"#)),
        confidence: Confidence::NameOnly,
        assumed: None,
        implementation: imp::to_array,
        check_constant: None,
    },
    Function {
        name: "uuid",
        aliases: &[],
        params: &[],
        variadic: None,
        returns: Ty::STRING,
        category: "hash",
        summary: "A random UUID (version 4), e.g. `\"0f8fad5b-d9cb-469f-a165-70867728950e\"`.",
        example: None,
        confidence: Confidence::Documented,
        assumed: None,
        implementation: imp::uuid,
        check_constant: None,
    },
    Function {
        name: "get",
        aliases: &[],
        params: &[
            p("collection", Ty::ARRAY.or(Ty::OBJECT), "an array or an object"),
            p("key", Ty::INT.or(Ty::STRING), "an index into the array, or a key of the object"),
        ],
        variadic: None,
        returns: Ty::ANY,
        category: "common",
        summary: "The element of an array at an index, or the value of an object's key; `null` when there is none.",
        example: Some((r#"get(["a", "b"], 1)"#, r#""b""#)),
        confidence: Confidence::NameOnly,
        assumed: Some(
            "the argument order and `null` for a missing element; listed only in a 2026 copy of the docs",
        ),
        implementation: imp::get,
        check_constant: None,
    },
    Function {
        name: "intAdd",
        aliases: &[],
        params: &[p("a", Ty::INT, "an integer"), p("b", Ty::INT, "an integer")],
        variadic: None,
        returns: Ty::INT,
        category: "common",
        summary: "The sum of two integers.",
        example: Some(("intAdd(1, 2)", "3")),
        confidence: Confidence::NameOnly,
        assumed: Some("two arguments; listed only in a 2026 copy of the docs"),
        implementation: imp::int_add,
        check_constant: None,
    },
    Function {
        name: "randomInt",
        aliases: &[],
        params: &[
            p("min", Ty::INT, "the smallest possible result"),
            p("max", Ty::INT, "one more than the largest possible result"),
        ],
        variadic: None,
        returns: Ty::INT,
        category: "common",
        summary: "A random integer `n` with `min <= n < max`.",
        example: None,
        confidence: Confidence::NameOnly,
        assumed: Some(
            "the bounds and the half-open range follow Go's `rand`; listed only in a 2026 copy of the docs",
        ),
        implementation: imp::random_int,
        check_constant: None,
    },
];

/// The function called `name` (or one of its aliases). Names are case-sensitive.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name || f.aliases.contains(&name))
}

/// Every name a function can be called by, aliases included.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied()))
}

impl Function {
    /// `hash(input: string, algorithm: string) -> string`.
    pub fn signature(&self, called_as: &str) -> String {
        let mut params: Vec<String> = self.params.iter().map(|p| format!("{}: {}", p.name, p.ty)).collect();
        if let Some(v) = &self.variadic {
            params.push(format!("...{}: {}", v.name, v.ty));
        }
        format!("{called_as}({}) -> {}", params.join(", "), self.returns)
    }

    pub fn min_args(&self) -> usize {
        self.params.len()
    }

    pub fn max_args(&self) -> Option<usize> {
        if self.variadic.is_some() { None } else { Some(self.params.len()) }
    }

    /// The parameter that argument `index` binds to.
    pub fn param(&self, index: usize) -> Option<&Param> {
        self.params.get(index).or(self.variadic.as_ref())
    }

    /// Hover and completion documentation in Markdown.
    pub fn markdown(&self, called_as: &str) -> String {
        let mut out = format!("```fdl\n{}\n```\n\n{}", self.signature(called_as), self.summary);
        if called_as != self.name {
            out.push_str(&format!(" (`{called_as}` is another name for `{}`.)", self.name));
        } else if !self.aliases.is_empty() {
            let names: Vec<String> = self.aliases.iter().map(|a| format!("`{a}`")).collect();
            out.push_str(&format!(" Also called {}.", names.join(", ")));
        }
        let params: Vec<String> = self
            .params
            .iter()
            .chain(self.variadic.as_ref())
            .map(|p| format!("- `{}`: {}", p.name, p.doc))
            .collect();
        if !params.is_empty() {
            out.push_str("\n\n");
            out.push_str(&params.join("\n"));
        }
        if let Some((call, result)) = self.example {
            out.push_str(&format!("\n\nExample: `{call}` gives `{result}`"));
        }
        out.push_str(&format!("\n\n*{} built-in, {}.*", self.category, self.confidence.describe()));
        if let Some(a) = self.assumed {
            out.push_str(&format!(" *Assumed: {a}.*"));
        }
        out
    }
}
