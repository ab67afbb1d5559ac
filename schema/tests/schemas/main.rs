//! Tests of the generated JSON Schemas and of the introspection derived from them.

mod drift;
mod examples;
mod introspection;
mod invalid_documents;
mod yaml;

use fdl_schema::{Dialect, json_schema};
use serde_json::Value;

/// The validation errors of `document` against the dialect's schema, each as
/// "`/instance/path`: message".
pub fn schema_errors(dialect: Dialect, document: &Value) -> Vec<String> {
    let schema = json_schema(dialect);
    let validator = jsonschema::validator_for(&schema).expect("the generated schema compiles");
    validator.iter_errors(document).map(|error| format!("`{}`: {error}", error.instance_path())).collect()
}
