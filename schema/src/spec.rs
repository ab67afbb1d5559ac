//! Introspection of the language, read once from the generated JSON Schema so that
//! the Rust types stay the single source of truth: which objects exist, which keys
//! they take, with what types, limits, documentation and deprecations.

use std::fmt;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde_json::{Map, Value};

use crate::Dialect;
use crate::generate::cached_schema;
use crate::{cloudflow, legacy};

/// An object of the language: the document itself, a state or step, or a nested
/// object such as a Retry rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectSpec {
    /// The `$defs` key (the Rust type name), e.g. `TaskState`; for the document
    /// itself `StateMachine` (CloudFlow) or `Flow` (legacy).
    pub name: String,
    /// Short human title, e.g. "Task state".
    pub title: String,
    /// What the object is for (hover text).
    pub description: String,
    /// The keys the object takes, in documentation order.
    pub fields: Vec<FieldSpec>,
    /// Whether keys other than `fields` are errors (`additionalProperties: false`).
    pub closed: bool,
    /// Groups of keys of which at least one (or exactly one) must be present, e.g.
    /// `Next`/`End`, `Seconds`/`Seconds.$`, `resourceArn`/`action`. Their keys are
    /// not `required` on their own.
    pub alternatives: Vec<KeyAlternatives>,
}

impl ObjectSpec {
    /// The field called `name` (exact, case-sensitive).
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The names of the required fields, in order.
    pub fn required_fields(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().filter(|f| f.required).map(|f| f.name.as_str())
    }
}

/// One key of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    /// The key as written in YAML, e.g. `Seconds.$`.
    pub name: String,
    /// Hover text.
    pub description: String,
    /// Whether the key must be present.
    pub required: bool,
    /// The value's type and limits.
    pub ty: ValueType,
    /// Whether the key is obsolete or misspelt.
    pub deprecated: bool,
    /// For deprecated keys: what to write instead, e.g. `MaxConcurrency`, `Retry/Catch`.
    pub replaced_by: Option<String>,
    /// The value the service assumes when the key is omitted, if documented.
    pub default: Option<Value>,
}

/// A set of keys of which at least one must be present; when `exclusive`, exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAlternatives {
    /// The keys, in documentation order.
    pub keys: Vec<String>,
    /// Whether giving more than one of them is an error.
    pub exclusive: bool,
}

/// The type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueType {
    /// Any string.
    String,
    /// A whole number within the optional bounds (inclusive).
    Integer { min: Option<i64>, max: Option<i64> },
    /// A number within the optional bounds (inclusive).
    Number { min: Option<f64>, max: Option<f64> },
    /// `true` or `false`.
    Boolean,
    /// One of the listed strings.
    Enum(Vec<String>),
    /// A list.
    Array { items: Box<ValueType>, max_items: Option<u64> },
    /// An object described by the [`ObjectSpec`] with this name.
    Object(String),
    /// A free-form object (constructors, `Parameters`, `serviceParams`).
    Map,
    /// Anything.
    Any,
    /// Any of the listed types.
    OneOf(Vec<ValueType>),
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn bounds(f: &mut fmt::Formatter<'_>, min: Option<String>, max: Option<String>) -> fmt::Result {
            match (min, max) {
                (Some(min), Some(max)) => write!(f, " from {min} to {max}"),
                (Some(min), None) => write!(f, " of at least {min}"),
                (None, Some(max)) => write!(f, " of at most {max}"),
                (None, None) => Ok(()),
            }
        }
        match self {
            ValueType::String => f.write_str("string"),
            ValueType::Integer { min, max } => {
                f.write_str("integer")?;
                bounds(f, min.map(|v| v.to_string()), max.map(|v| v.to_string()))
            }
            ValueType::Number { min, max } => {
                f.write_str("number")?;
                bounds(f, min.map(|v| v.to_string()), max.map(|v| v.to_string()))
            }
            ValueType::Boolean => f.write_str("boolean"),
            ValueType::Enum(values) => {
                f.write_str("one of ")?;
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "`{value}`")?;
                }
                Ok(())
            }
            ValueType::Array { items, max_items } => {
                write!(f, "list of {items}")?;
                match max_items {
                    Some(max) => write!(f, " (at most {max})"),
                    None => Ok(()),
                }
            }
            ValueType::Object(name) => write!(f, "{name} object"),
            ValueType::Map => f.write_str("map"),
            ValueType::Any => f.write_str("any value"),
            ValueType::OneOf(types) => {
                for (i, ty) in types.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    write!(f, "{ty}")?;
                }
                Ok(())
            }
        }
    }
}

/// The object called `name` (a `$defs` key, or the document's name), if any.
pub fn object(dialect: Dialect, name: &str) -> Option<&'static ObjectSpec> {
    dialect_spec(dialect).objects.iter().find(|o| o.name == name)
}

/// Every object of the dialect: the document first, then the `$defs` in schema order.
pub fn objects(dialect: Dialect) -> &'static [ObjectSpec] {
    &dialect_spec(dialect).objects
}

/// The object of a state (CloudFlow `Type`, e.g. `Task` → `TaskState`) or step
/// (legacy `type`, e.g. `task` → `TaskStep`). Exact, case-sensitive.
pub fn state_object(dialect: Dialect, type_name: &str) -> Option<&'static ObjectSpec> {
    let spec = dialect_spec(dialect);
    let (_, def) = spec.union.variants.iter().find(|(value, _)| value == type_name)?;
    object(dialect, def)
}

/// The values of the state discriminator (`Type` / legacy `type`), in documented order.
pub fn state_types(dialect: Dialect) -> &'static [&'static str] {
    static CLOUDFLOW: OnceLock<Vec<&'static str>> = OnceLock::new();
    static LEGACY: OnceLock<Vec<&'static str>> = OnceLock::new();
    let cell = match dialect {
        Dialect::CloudFlow => &CLOUDFLOW,
        Dialect::Legacy => &LEGACY,
    };
    cell.get_or_init(|| dialect_spec(dialect).union.values.iter().map(String::as_str).collect())
}

/// The discriminator key of states: `Type` (CloudFlow) or `type` (legacy).
pub fn state_tag(dialect: Dialect) -> &'static str {
    &dialect_spec(dialect).union.tag
}

/// The union of all states (`State`) or steps (`Step`): the object that list items
/// of `States`/`steps` refer to before their type is known.
pub fn state_union(dialect: Dialect) -> &'static ObjectSpec {
    object(dialect, &dialect_spec(dialect).union.name).expect("the union is an object")
}

/// The document itself.
pub fn root_object(dialect: Dialect) -> &'static ObjectSpec {
    &dialect_spec(dialect).objects[0]
}

struct DialectSpec {
    objects: Vec<ObjectSpec>,
    union: Union,
}

/// The discriminated union of states, as read from the schema.
struct Union {
    /// `$defs` key of the union.
    name: String,
    /// The discriminator key.
    tag: String,
    /// All discriminator values, in enum order.
    values: Vec<String>,
    /// Discriminator value → `$defs` key of that state's object.
    variants: Vec<(String, String)>,
}

fn dialect_spec(dialect: Dialect) -> &'static DialectSpec {
    static CLOUDFLOW: OnceLock<DialectSpec> = OnceLock::new();
    static LEGACY: OnceLock<DialectSpec> = OnceLock::new();
    let (cell, root_name) = match dialect {
        Dialect::CloudFlow => (&CLOUDFLOW, cloudflow::StateMachine::schema_name()),
        Dialect::Legacy => (&LEGACY, legacy::Flow::schema_name()),
    };
    cell.get_or_init(|| read_dialect(cached_schema(dialect), &root_name))
}

fn read_dialect(schema: &Value, root_name: &str) -> DialectSpec {
    let empty = Map::new();
    let defs = schema.get("$defs").and_then(Value::as_object).unwrap_or(&empty);
    let mut objects = vec![read_object(root_name, schema, defs)];
    let mut union = None;
    for (name, def) in defs {
        if def.get("properties").is_some() {
            objects.push(read_object(name, def, defs));
        }
        if union.is_none() {
            union = read_union(name, def, defs);
        }
    }
    DialectSpec { objects, union: union.expect("the schema has a discriminated union of states") }
}

fn read_object(name: &str, schema: &Value, defs: &Map<String, Value>) -> ObjectSpec {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let fields = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| {
            properties
                .iter()
                .map(|(key, property)| FieldSpec {
                    name: key.clone(),
                    description: description(property, defs),
                    required: required.contains(&key.as_str()),
                    ty: value_type(property, defs),
                    deprecated: property.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
                    replaced_by: property.get("x-fdl-replaced-by").and_then(Value::as_str).map(str::to_owned),
                    default: property.get("default").cloned(),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut alternatives = Vec::new();
    collect_alternatives(schema, &mut alternatives);
    if let Some(Value::Array(rules)) = schema.get("allOf") {
        for rule in rules {
            collect_alternatives(rule, &mut alternatives);
        }
    }
    ObjectSpec {
        name: name.to_owned(),
        title: schema.get("title").and_then(Value::as_str).unwrap_or(name).to_owned(),
        description: text(schema, "description"),
        fields,
        closed: schema.get("additionalProperties") == Some(&Value::Bool(false)),
        alternatives,
    }
}

/// Reads `oneOf`/`anyOf` lists whose members each require one key of a group.
fn collect_alternatives(schema: &Value, out: &mut Vec<KeyAlternatives>) {
    for (keyword, exclusive) in [("oneOf", true), ("anyOf", false)] {
        let Some(Value::Array(members)) = schema.get(keyword) else { continue };
        let keys: Option<Vec<String>> = members
            .iter()
            .map(|member| match member.get("required")?.as_array()?.as_slice() {
                [Value::String(key)] => Some(key.clone()),
                _ => None,
            })
            .collect();
        let Some(keys) = keys.filter(|k| !k.is_empty()) else { continue };
        // A member may also constrain the values of the group's keys (`End: true`, or
        // `false` for the keys it excludes) and carry an editor message; anything else
        // means the list is about more than which keys are present.
        let only_about_group = members.iter().all(|member| {
            member.as_object().is_some_and(|object| {
                object.iter().all(|(keyword, value)| match keyword.as_str() {
                    "required" | "errorMessage" => true,
                    "properties" => value.as_object().is_some_and(|p| p.keys().all(|k| keys.contains(k))),
                    _ => false,
                })
            })
        });
        if only_about_group {
            out.push(KeyAlternatives { keys, exclusive });
        }
    }
}

/// Recognises the `if {tag: const} then {$ref}` union built by `schema_rules::tagged_union`.
fn read_union(name: &str, def: &Value, defs: &Map<String, Value>) -> Option<Union> {
    let rules = def.get("allOf")?.as_array()?;
    let mut tag = None;
    let mut variants = Vec::new();
    for rule in rules {
        let condition = rule.get("if")?.get("properties")?.as_object()?;
        let [(key, value)] = condition.iter().collect::<Vec<_>>()[..] else { return None };
        let value = value.get("const")?.as_str()?;
        let target = ref_name(rule.get("then")?)?;
        if tag.get_or_insert_with(|| key.clone()) != key {
            return None;
        }
        variants.push((value.to_owned(), target.to_owned()));
    }
    let tag = tag?;
    let values = match value_type(def.get("properties")?.get(&tag)?, defs) {
        ValueType::Enum(values) => values,
        _ => return None,
    };
    Some(Union { name: name.to_owned(), tag, values, variants })
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix("#/$defs/")
}

fn text(schema: &Value, key: &str) -> String {
    schema.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// A property's own description, else that of the definition it refers to.
fn description(property: &Value, defs: &Map<String, Value>) -> String {
    match property.get("description").and_then(Value::as_str) {
        Some(own) => own.to_owned(),
        None => {
            ref_name(property).and_then(|r| defs.get(r)).map(|d| text(d, "description")).unwrap_or_default()
        }
    }
}

fn value_type(schema: &Value, defs: &Map<String, Value>) -> ValueType {
    let Some(object) = schema.as_object() else { return ValueType::Any };
    if let Some(name) = ref_name(schema) {
        return match defs.get(name) {
            Some(def) if def.get("properties").is_some() => ValueType::Object(name.to_owned()),
            Some(def) => value_type(def, defs),
            None => ValueType::Any,
        };
    }
    if let Some(Value::Array(values)) = object.get("enum") {
        return ValueType::Enum(values.iter().filter_map(Value::as_str).map(str::to_owned).collect());
    }
    if let Some(Value::String(value)) = object.get("const") {
        return ValueType::Enum(vec![value.clone()]);
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alternatives)) = object.get(keyword) {
            let types: Vec<ValueType> = alternatives.iter().map(|a| value_type(a, defs)).collect();
            return ValueType::OneOf(types);
        }
    }
    let int = |key| object.get(key).and_then(Value::as_i64);
    let float = |key| object.get(key).and_then(Value::as_f64);
    match object.get("type") {
        Some(Value::String(ty)) => match ty.as_str() {
            "string" => ValueType::String,
            "integer" => ValueType::Integer { min: int("minimum"), max: int("maximum") },
            "number" => ValueType::Number { min: float("minimum"), max: float("maximum") },
            "boolean" => ValueType::Boolean,
            "array" => ValueType::Array {
                items: Box::new(object.get("items").map_or(ValueType::Any, |i| value_type(i, defs))),
                max_items: object.get("maxItems").and_then(Value::as_u64),
            },
            "object" => ValueType::Map,
            _ => ValueType::Any,
        },
        _ => ValueType::Any,
    }
}
