//! JSON Schema generation (draft 2020-12) from the dialect types, plus a final
//! tidy-up pass that adapts schemars' output to what editors handle well.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use crate::{Dialect, cloudflow, legacy};

/// The JSON Schema of a dialect's flow definitions.
pub fn json_schema(dialect: Dialect) -> Value {
    cached_schema(dialect).clone()
}

/// [`json_schema`] as pretty-printed JSON with a trailing newline, exactly as
/// checked in under `schema/*.schema.json`.
pub fn json_schema_string(dialect: Dialect) -> String {
    let mut text =
        serde_json::to_string_pretty(cached_schema(dialect)).expect("a JSON value always serializes");
    text.push('\n');
    text
}

pub(crate) fn cached_schema(dialect: Dialect) -> &'static Value {
    static CLOUDFLOW: OnceLock<Value> = OnceLock::new();
    static LEGACY: OnceLock<Value> = OnceLock::new();
    let cell = match dialect {
        Dialect::CloudFlow => &CLOUDFLOW,
        Dialect::Legacy => &LEGACY,
    };
    cell.get_or_init(|| generate(dialect))
}

/// The dry run's files that have a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRunFile {
    /// `fdl run --mocks FILE`.
    Mocks,
    /// `*.fdltest.yaml`.
    Test,
}

impl DryRunFile {
    pub const ALL: &'static [DryRunFile] = &[DryRunFile::Mocks, DryRunFile::Test];

    /// The file name of the checked-in schema, under `schema/`.
    pub const fn schema_file_name(self) -> &'static str {
        match self {
            DryRunFile::Mocks => "mocks.schema.json",
            DryRunFile::Test => "fdltest.schema.json",
        }
    }
}

/// The JSON Schema of a mocks or test file.
pub fn dry_run_schema(file: DryRunFile) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = match file {
        DryRunFile::Mocks => generator.into_root_schema_for::<crate::dryrun::MocksFile>(),
        DryRunFile::Test => generator.into_root_schema_for::<crate::dryrun::TestFile>(),
    };
    let mut value = schema.to_value();
    for_each_schema(&mut value, &mut tidy);
    if let Value::Object(root) = &mut value {
        let comment = format!(
            "Generated from the fdl-schema crate ({file:?} file of the dry run). Do not edit: change the Rust types and run `UPDATE_SCHEMAS=1 cargo test -p fdl-schema`."
        );
        root.insert("$comment".to_owned(), Value::from(comment));
        order_keys(root);
    }
    value
}

/// [`dry_run_schema`] as checked in: pretty JSON with a trailing newline.
pub fn dry_run_schema_string(file: DryRunFile) -> String {
    let mut text =
        serde_json::to_string_pretty(&dry_run_schema(file)).expect("a JSON value always serializes");
    text.push('\n');
    text
}

fn generate(dialect: Dialect) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = match dialect {
        Dialect::CloudFlow => generator.into_root_schema_for::<cloudflow::StateMachine>(),
        Dialect::Legacy => generator.into_root_schema_for::<legacy::Flow>(),
    };
    let mut value = schema.to_value();
    for_each_schema(&mut value, &mut tidy);
    if let Value::Object(root) = &mut value {
        let comment = format!(
            "Generated from the fdl-schema crate ({dialect:?} dialect). Do not edit: change the Rust types and run `UPDATE_SCHEMAS=1 cargo test -p fdl-schema`."
        );
        root.insert("$comment".to_owned(), Value::from(comment));
        order_keys(root);
    }
    value
}

/// Applies `f` to `schema` and to every subschema below it, children first.
fn for_each_schema(schema: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>)) {
    let Value::Object(object) = schema else { return };
    for (key, child) in object.iter_mut() {
        match key.as_str() {
            "properties" | "$defs" | "patternProperties" | "dependentSchemas" => {
                if let Value::Object(children) = child {
                    for grandchild in children.values_mut() {
                        for_each_schema(grandchild, f);
                    }
                }
            }
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                if let Value::Array(children) = child {
                    for grandchild in children {
                        for_each_schema(grandchild, f);
                    }
                }
            }
            "items"
            | "additionalProperties"
            | "unevaluatedProperties"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames" => for_each_schema(child, f),
            _ => {}
        }
    }
    f(object);
}

fn tidy(schema: &mut Map<String, Value>) {
    drop_null_alternatives(schema);
    enum_with_descriptions(schema);
    drop_numeric_format(schema);
    if let Some(Value::String(description)) = schema.get_mut("description") {
        *description = unwrap_lines(description);
    }
    order_keys(schema);
}

/// Puts the human-facing keywords first and `$defs` last, so that the checked-in
/// files read well; the remaining keywords keep schemars' order.
fn order_keys(schema: &mut Map<String, Value>) {
    const FIRST: &[&str] = &[
        "$schema",
        "$comment",
        "title",
        "description",
        "deprecated",
        "x-fdl-replaced-by",
        "deprecationMessage",
        "$ref",
        "type",
    ];
    const LAST: &[&str] = &["$defs"];
    let mut rest = std::mem::take(schema);
    for key in FIRST {
        if let Some(value) = rest.shift_remove(*key) {
            schema.insert((*key).to_owned(), value);
        }
    }
    let last: Vec<(String, Value)> = LAST.iter().filter_map(|key| rest.shift_remove_entry(*key)).collect();
    schema.extend(rest);
    schema.extend(last);
}

/// schemars makes `Option<T>` fields nullable, but an empty YAML value (`Next:`) is
/// a mistake in FDL, not a way to omit a key.
fn drop_null_alternatives(schema: &mut Map<String, Value>) {
    let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.pop().expect("length checked");
            schema.insert("type".to_owned(), only);
        }
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
    if let Some(Value::Array(alternatives)) = schema.get_mut("anyOf") {
        alternatives.retain(|alternative| !is_null(alternative));
        if alternatives.len() == 1 {
            let Some(Value::Object(only)) = alternatives.pop() else { return };
            schema.remove("anyOf");
            for (key, value) in only {
                schema.entry(key).or_insert(value);
            }
        }
    }
}

/// schemars writes an enum with documented variants as `oneOf` of `const`s. A plain
/// `enum` gives editors better messages ("allowed values: …"); the variant docs
/// move to `enumDescriptions`, which VS Code-style editors show in completion.
fn enum_with_descriptions(schema: &mut Map<String, Value>) {
    let Some(Value::Array(alternatives)) = schema.get("oneOf") else { return };
    let mut values = Vec::new();
    let mut descriptions = Vec::new();
    for alternative in alternatives {
        let Some(object) = alternative.as_object() else { return };
        let only_const = object.keys().all(|k| matches!(k.as_str(), "type" | "const" | "description"));
        let Some(value @ Value::String(_)) = object.get("const") else { return };
        if !only_const {
            return;
        }
        values.push(value.clone());
        let description = object.get("description").and_then(Value::as_str).unwrap_or_default();
        descriptions.push(Value::from(unwrap_lines(description)));
    }
    schema.remove("oneOf");
    schema.insert("type".to_owned(), Value::from("string"));
    schema.insert("enum".to_owned(), Value::Array(values));
    schema.insert("enumDescriptions".to_owned(), Value::Array(descriptions));
}

/// `uint64`, `double` and friends describe Rust types, not FDL values.
fn drop_numeric_format(schema: &mut Map<String, Value>) {
    let numeric = matches!(schema.get("type").and_then(Value::as_str), Some("integer" | "number"));
    if numeric {
        schema.remove("format");
    }
}

/// Joins hard-wrapped doc-comment lines; blank lines stay paragraph breaks.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| {
            paragraph.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwrap_lines_keeps_paragraphs() {
        assert_eq!(unwrap_lines("a\nb\n\nc"), "a b\n\nc");
        assert_eq!(unwrap_lines("single"), "single");
    }

    #[test]
    fn schema_string_ends_with_newline() {
        for dialect in Dialect::ALL {
            let text = json_schema_string(*dialect);
            assert!(text.ends_with("}\n"));
            assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), json_schema(*dialect));
        }
    }
}
