//! Schema rules generated from [`crate::integrations`]: for each optimized
//! integration, a Task with that `Action` gets its `Parameters` documented (so an
//! editor completes and checks them) and its `TaskMode` restricted to the modes the
//! integration supports.
//!
//! Matching uses the documented spelling of the Action only; other letter cases are
//! left to the analyser, which can suggest the documented one. `Parameters` stay
//! open: `key.$` variants and undocumented parameters must keep working.

use schemars::Schema;
use serde_json::{Map, Value, json};

use crate::integrations::{
    InvocationType, OPTIMIZED_INTEGRATIONS, OptimizedIntegration, ParamSpec, ParamType, TaskMode,
};
use crate::schema_rules::push_all_of;

/// Adds the per-Action rules to the Task state schema.
pub(crate) fn optimized_parameter_rules(schema: &mut Schema) {
    for integration in OPTIMIZED_INTEGRATIONS {
        push_all_of(schema, action_rule(integration));
    }
    push_all_of(schema, fc_wait_for_system_callback_rule());
}

fn action_rule(integration: &OptimizedIntegration) -> Value {
    let mut properties = Map::new();
    let mut required_groups = Vec::new();
    for param in integration.params {
        properties.insert(param.name.to_owned(), param_schema(param));
        properties.insert(
            format!("{}.$", param.name),
            json!({
                "type": "string",
                "description": format!("Expression computing `{}` at run time.", param.name),
            }),
        );
        if param.required == Some(true) {
            required_groups.push(json!({
                "anyOf": [
                    { "required": [param.name] },
                    { "required": [format!("{}.$", param.name)] },
                ]
            }));
        }
    }
    let mut parameters = json!({ "type": "object", "properties": properties });
    if !required_groups.is_empty() {
        parameters["allOf"] = Value::Array(required_groups);
    }
    let modes: Vec<&str> = integration.modes.iter().map(|m| m.as_str()).collect();
    let mut then = json!({ "properties": { "TaskMode": { "enum": modes } } });
    then["properties"]["Parameters"] = parameters;
    // A Task without Parameters is reported once, not once per missing parameter.
    if integration.params.iter().any(|p| p.required == Some(true)) {
        then["required"] = json!(["Parameters"]);
    }
    json!({
        "if": { "properties": { "Action": { "const": integration.action } }, "required": ["Action"] },
        "then": then,
    })
}

/// `FC:InvokeFunction` with `WaitForSystemCallback` only works as an asynchronous call.
fn fc_wait_for_system_callback_rule() -> Value {
    json!({
        "if": {
            "properties": {
                "Action": { "const": "FC:InvokeFunction" },
                "TaskMode": { "const": TaskMode::WaitForSystemCallback.as_str() },
            },
            "required": ["Action", "TaskMode"],
        },
        "then": {
            "properties": {
                "Parameters": {
                    "properties": {
                        "invocationType": {
                            "const": InvocationType::Async.as_str(),
                            "description": "WaitForSystemCallback waits for the end of an asynchronous invocation, so `invocationType` must be `Async`.",
                        }
                    }
                }
            }
        },
    })
}

fn param_schema(param: &ParamSpec) -> Value {
    let mut schema = match param.ty {
        ParamType::String => json!({ "type": "string" }),
        ParamType::Integer => json!({ "type": "integer" }),
        ParamType::Number => json!({ "type": "number" }),
        ParamType::Boolean => json!({ "type": "boolean" }),
        ParamType::Array => json!({ "type": "array" }),
        ParamType::Object => json!({ "type": "object" }),
        ParamType::Any => json!({}),
    };
    schema["description"] = Value::from(param.description);
    if !param.values.is_empty() {
        if param.values_ignore_case {
            schema["pattern"] = Value::from(case_insensitive_pattern(param.values));
            schema["examples"] = json!(param.values);
        } else {
            schema["enum"] = json!(param.values);
        }
    }
    if let Some(min) = param.min {
        schema["minimum"] = Value::from(min);
    }
    if let Some(max) = param.max {
        schema["maximum"] = Value::from(max);
    }
    if let Some(default) = param.default {
        schema["default"] = serde_json::from_str(default).unwrap_or_else(|_| Value::from(default));
    }
    schema
}

/// An anchored ECMA-262 pattern matching any of `values` ignoring ASCII case (JSON
/// Schema regexes have no case-insensitive flag).
fn case_insensitive_pattern(values: &[&str]) -> String {
    let alternatives: Vec<String> = values
        .iter()
        .map(|value| {
            value
                .chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        })
        .collect();
    format!("^({})$", alternatives.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_patterns() {
        assert_eq!(case_insensitive_pattern(&["Get", "PUT"]), "^([Gg][Ee][Tt]|[Pp][Uu][Tt])$");
    }
}
