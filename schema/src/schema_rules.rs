//! Schema fragments that `#[derive(JsonSchema)]` cannot express on its own: the
//! `Type`-discriminated union of states, the discriminator property inside each
//! state, and "one of these keys" rules.
//!
//! The union uses `if`/`then` instead of serde's internally tagged representation:
//! schemars would put the tag next to a `$ref` to a closed (`additionalProperties:
//! false`) state, and that closed state would then reject its own tag. With
//! `if Type == "Task" then TaskState` (and `Type` declared in `TaskState`), an editor
//! reports unknown keys of the matching state only, and proposes that state's keys.
//!
//! The shapes here are tuned for yaml-language-server (checked by
//! `tests/tests/yaml_language_server.rs`). It reports a plain `oneOf` that matches
//! twice as "Matches multiple schemas" at the first line of the object, so each
//! member of an exactly-one-of group also forbids the other keys, which moves the
//! report onto the offending key. `errorMessage` (a VS Code JSON extension that
//! yaml-language-server honours; validators ignore unknown keywords) replaces its
//! generic "Missing property" / "Property X is not allowed" with one sentence that
//! names the whole group.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use crate::Dialect;
use crate::integrations::known_errors;

/// Adds the discriminator property (e.g. `Type`, referring to the enum of all state
/// types, fixed to `value`) as the first property of a state, and requires it.
pub(crate) fn discriminator(
    tag: &'static str,
    enum_def: &'static str,
    value: &'static str,
) -> impl FnMut(&mut Schema) {
    move |schema: &mut Schema| {
        let property = json!({ "$ref": format!("#/$defs/{enum_def}"), "const": value });
        let object = schema.ensure_object();
        let mut properties = Map::new();
        properties.insert(tag.to_owned(), property);
        if let Some(Value::Object(existing)) = object.remove("properties") {
            properties.extend(existing);
        }
        object.insert("properties".to_owned(), Value::Object(properties));
        let mut required = vec![Value::from(tag)];
        if let Some(Value::Array(existing)) = object.remove("required") {
            required.extend(existing);
        }
        object.insert("required".to_owned(), Value::Array(required));
    }
}

/// Requires a transition: either `Next`, or `End: true` (`End: false` next to
/// `Next` is redundant but harmless).
pub(crate) fn next_or_end(schema: &mut Schema) {
    let message = "Give either `Next` or `End: true`, not both.";
    push_all_of(
        schema,
        json!({
            "oneOf": [
                {
                    "required": ["Next"],
                    "properties": { "End": { "const": false, "errorMessage": message } },
                    "errorMessage": message,
                },
                {
                    "required": ["End"],
                    "properties": { "End": { "const": true }, "Next": false },
                    "errorMessage": message,
                },
            ]
        }),
    );
}

/// Requires exactly one of `keys`.
pub(crate) fn exactly_one_of(keys: &'static [&'static str]) -> impl FnMut(&mut Schema) {
    move |schema: &mut Schema| {
        let message = match keys {
            [first, second] => format!("Give either `{first}` or `{second}`, not both."),
            _ => format!("Give exactly one of {}.", key_list(keys)),
        };
        let members: Vec<Value> = keys
            .iter()
            .map(|key| {
                let others: Map<String, Value> = keys
                    .iter()
                    .filter(|k| *k != key)
                    .map(|k| ((*k).to_owned(), Value::Bool(false)))
                    .collect();
                json!({ "required": [key], "properties": others, "errorMessage": message })
            })
            .collect();
        push_all_of(schema, json!({ "oneOf": members }));
    }
}

/// Requires at least one of `keys`.
pub(crate) fn at_least_one_of(keys: &'static [&'static str]) -> impl FnMut(&mut Schema) {
    move |schema: &mut Schema| {
        let message = format!("Give {}.", key_list(keys));
        let members: Vec<Value> =
            keys.iter().map(|k| json!({ "required": [k], "errorMessage": message })).collect();
        push_all_of(schema, json!({ "anyOf": members }));
    }
}

/// "`a`, `b` or `c`".
fn key_list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// Adds a subschema under `allOf`, so that several rules can coexist.
pub(crate) fn push_all_of(schema: &mut Schema, rule: Value) {
    let object = schema.ensure_object();
    match object.get_mut("allOf") {
        Some(Value::Array(rules)) => rules.push(rule),
        _ => {
            object.insert("allOf".to_owned(), Value::Array(vec![rule]));
        }
    }
}

/// One member of a discriminated union: the discriminator value and the schema
/// (normally a `$ref`) of the object that has it.
pub(crate) struct Variant {
    pub value: &'static str,
    pub schema: Schema,
}

/// Builds a union of objects discriminated by `tag`, whose values are the enum `T`.
pub(crate) fn tagged_union<T: JsonSchema>(
    generator: &mut SchemaGenerator,
    tag: &str,
    title: &str,
    description: &str,
    variants: Vec<Variant>,
) -> Schema {
    let tag_schema = generator.subschema_for::<T>();
    let rules: Vec<Value> = variants
        .into_iter()
        .map(|variant| {
            // Without `"type": "object"` a list item that is not a mapping yet (`- ` while
            // typing) passes every `if` vacuously and gets one "Incorrect type" per state.
            json!({
                "if": {
                    "type": "object",
                    "properties": { tag: { "const": variant.value } },
                    "required": [tag],
                },
                "then": variant.schema,
            })
        })
        .collect();
    json_schema!({
        "title": title,
        "description": description,
        "type": "object",
        "properties": { tag: tag_schema },
        "required": [tag],
        "allOf": rules,
    })
}

/// A non-empty list of error names, offering the known names of `dialect` as
/// completion examples.
pub(crate) fn error_names_schema(dialect: Dialect) -> Schema {
    let examples: Vec<&str> = known_errors(dialect).map(|(name, _)| name).collect();
    json_schema!({
        "type": "array",
        "minItems": 1,
        "items": { "type": "string", "minLength": 1, "examples": examples },
    })
}
