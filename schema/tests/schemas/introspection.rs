//! The `spec` module reads the generated schema back into plain Rust values.

use fdl_schema::spec::{object, objects, root_object, state_object, state_tag, state_types, state_union};
use fdl_schema::{Dialect, FieldSpec, KeyAlternatives, ValueType};
use serde_json::json;

fn field_names(fields: &[FieldSpec]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn alternatives(keys: &[&str], exclusive: bool) -> KeyAlternatives {
    KeyAlternatives { keys: strings(keys), exclusive }
}

const CLOUDFLOW_TYPES: &[&str] = &["Task", "Pass", "Wait", "Choice", "Parallel", "Map", "Succeed", "Fail"];
const LEGACY_TYPES: &[&str] = &["task", "pass", "wait", "choice", "parallel", "foreach", "succeed", "fail"];

#[test]
fn state_types_in_documented_order() {
    assert_eq!(state_types(Dialect::CloudFlow), CLOUDFLOW_TYPES);
    assert_eq!(state_types(Dialect::Legacy), LEGACY_TYPES);
    assert_eq!(state_tag(Dialect::CloudFlow), "Type");
    assert_eq!(state_tag(Dialect::Legacy), "type");
    assert_eq!(state_union(Dialect::CloudFlow).name, "State");
    assert_eq!(state_union(Dialect::Legacy).name, "Step");
    let expected = [(Dialect::CloudFlow, CLOUDFLOW_TYPES, "State"), (Dialect::Legacy, LEGACY_TYPES, "Step")];
    for (dialect, types, suffix) in expected {
        for ty in types {
            let spec = state_object(dialect, ty).unwrap_or_else(|| panic!("no object for {ty}"));
            let mut capitalised = ty.to_string();
            capitalised[..1].make_ascii_uppercase();
            assert_eq!(spec.name, format!("{capitalised}{suffix}"));
            // The discriminator is a field of every state, listing every type.
            let tag = spec.field(state_tag(dialect)).unwrap();
            assert!(tag.required);
            assert_eq!(tag.ty, ValueType::Enum(strings(types)));
            assert_eq!(spec.fields[0].name, state_tag(dialect));
            assert!(spec.closed, "{ty}");
        }
        assert!(state_object(dialect, "task ").is_none());
    }
    assert!(state_object(Dialect::CloudFlow, "task").is_none());
    assert!(state_object(Dialect::Legacy, "Task").is_none());
}

#[test]
fn task_state() {
    let task = state_object(Dialect::CloudFlow, "Task").unwrap();
    assert_eq!(task.title, "Task state");
    assert!(task.description.starts_with("Calls a service integration"));
    assert_eq!(
        field_names(&task.fields),
        [
            "Type",
            "Name",
            "Description",
            "Action",
            "TaskMode",
            "Parameters",
            "Timeout",
            "InputConstructor",
            "OutputConstructor",
            "GlobalConstructor",
            "Retry",
            "Catch",
            "OnErrors",
            "Next",
            "End",
        ]
    );
    assert_eq!(task.required_fields().collect::<Vec<_>>(), ["Type", "Name", "Action"]);
    let mode = task.field("TaskMode").unwrap();
    assert_eq!(
        mode.ty,
        ValueType::Enum(strings(&["RequestComplete", "WaitForSystemCallback", "WaitForCustomCallback"]))
    );
    assert_eq!(mode.default, Some(json!("RequestComplete")));
    assert_eq!(task.field("Parameters").unwrap().ty, ValueType::Map);
    assert_eq!(
        task.field("Timeout").unwrap().ty,
        ValueType::OneOf(vec![ValueType::String, ValueType::Integer { min: Some(0), max: Some(604_800) }])
    );
    assert_eq!(
        task.field("Retry").unwrap().ty,
        ValueType::Array { items: Box::new(ValueType::Object("RetryRule".into())), max_items: None }
    );
    let on_errors = task.field("OnErrors").unwrap();
    assert!(on_errors.deprecated);
    assert_eq!(on_errors.replaced_by.as_deref(), Some("Retry/Catch"));
    assert!(!task.field("Action").unwrap().deprecated);
    assert_eq!(task.field("End").unwrap().ty, ValueType::Boolean);
    assert_eq!(task.alternatives, [alternatives(&["Next", "End"], true)]);
}

#[test]
fn wait_state() {
    let wait = state_object(Dialect::CloudFlow, "Wait").unwrap();
    assert_eq!(
        field_names(&wait.fields),
        [
            "Type",
            "Name",
            "Description",
            "Seconds",
            "Seconds.$",
            "UntilDateTime",
            "InputConstructor",
            "OutputConstructor",
            "GlobalConstructor",
            "Next",
            "End",
        ]
    );
    let seconds = wait.field("Seconds").unwrap();
    assert_eq!(seconds.ty, ValueType::Integer { min: Some(1), max: Some(300) });
    assert!(!seconds.required);
    assert!(seconds.description.contains("1 to 20 in Express"));
    assert_eq!(wait.field("Seconds.$").unwrap().ty, ValueType::String);
    let until = wait.field("UntilDateTime").unwrap();
    assert!(until.deprecated);
    assert_eq!(until.replaced_by.as_deref(), Some("Seconds"));
    assert_eq!(
        wait.alternatives,
        [alternatives(&["Seconds", "Seconds.$"], true), alternatives(&["Next", "End"], true)]
    );
}

#[test]
fn map_and_parallel_states() {
    let map = state_object(Dialect::CloudFlow, "Map").unwrap();
    assert_eq!(map.name, "MapState");
    assert_eq!(map.field("MaxConcurrency").unwrap().ty, ValueType::Integer { min: Some(0), max: Some(40) });
    let misspelt = map.field("MaxConcuccency").unwrap();
    assert!(misspelt.deprecated);
    assert_eq!(misspelt.replaced_by.as_deref(), Some("MaxConcurrency"));
    assert_eq!(map.field("Processor").unwrap().ty, ValueType::Object("Processor".into()));
    assert!(map.field("Processor").unwrap().required);
    assert!(!map.field("ItemsPath").unwrap().required);
    assert_eq!(map.field("ProcessorConfig").unwrap().ty, ValueType::Object("ProcessorConfig".into()));
    assert_eq!(map.field("ItemReader").unwrap().ty, ValueType::Map);
    assert_eq!(
        map.field("MaxItems").unwrap().ty,
        ValueType::OneOf(vec![ValueType::Integer { min: Some(0), max: None }, ValueType::Map])
    );
    assert_eq!(
        map.field("ToleratedFailurePercentage").unwrap().ty,
        ValueType::Number { min: Some(0.0), max: Some(100.0) }
    );
    assert_eq!(
        map.alternatives,
        [alternatives(&["ItemsPath", "ItemReader"], false), alternatives(&["Next", "End"], true)]
    );
    let processor = object(Dialect::CloudFlow, "Processor").unwrap();
    assert_eq!(field_names(&processor.fields), ["StartAt", "States"]);
    assert_eq!(
        processor.field("States").unwrap().ty,
        ValueType::Array { items: Box::new(ValueType::Object("State".into())), max_items: None }
    );
    let config = object(Dialect::CloudFlow, "ProcessorConfig").unwrap();
    assert!(!config.closed, "undocumented ProcessorConfig keys are allowed");
    assert_eq!(config.field("ExecutionMode").unwrap().ty, ValueType::Enum(strings(&["Standard", "Express"])));

    let parallel = state_object(Dialect::CloudFlow, "Parallel").unwrap();
    assert_eq!(
        parallel.field("Branches").unwrap().ty,
        ValueType::Array { items: Box::new(ValueType::Object("ParallelBranch".into())), max_items: Some(50) }
    );
    let choice = state_object(Dialect::CloudFlow, "Choice").unwrap();
    assert!(choice.field("Next").is_none() && choice.field("End").is_none());
    assert!(choice.field("Default").unwrap().required);
    assert!(choice.alternatives.is_empty());
}

#[test]
fn retry_rule_limits() {
    let retry = object(Dialect::CloudFlow, "RetryRule").unwrap();
    assert_eq!(retry.title, "Retry rule");
    assert_eq!(retry.required_fields().collect::<Vec<_>>(), ["Errors", "MaxAttempts", "IntervalSeconds"]);
    assert_eq!(
        retry.field("IntervalSeconds").unwrap().ty,
        ValueType::Integer { min: Some(0), max: Some(86_400) }
    );
    assert_eq!(
        retry.field("MaxBackoffSeconds").unwrap().ty,
        ValueType::Integer { min: Some(0), max: Some(86_400) }
    );
    assert_eq!(retry.field("BackoffRate").unwrap().ty, ValueType::Number { min: Some(0.0), max: None });
    assert_eq!(
        retry.field("Errors").unwrap().ty,
        ValueType::Array { items: Box::new(ValueType::String), max_items: None }
    );
    let catch = object(Dialect::CloudFlow, "CatchRule").unwrap();
    assert_eq!(catch.required_fields().collect::<Vec<_>>(), ["Errors", "Next"]);
}

#[test]
fn legacy_task_step() {
    let task = state_object(Dialect::Legacy, "task").unwrap();
    assert_eq!(task.name, "TaskStep");
    assert_eq!(
        field_names(&task.fields),
        [
            "type",
            "name",
            "resourceArn",
            "action",
            "pattern",
            "serviceParams",
            "timeoutSeconds",
            "inputMappings",
            "outputMappings",
            "errorMappings",
            "retry",
            "catch",
            "end",
        ]
    );
    assert_eq!(task.required_fields().collect::<Vec<_>>(), ["type", "name"]);
    let pattern = task.field("pattern").unwrap();
    assert_eq!(pattern.ty, ValueType::Enum(strings(&["requestResponse", "sync", "waitForCallback"])));
    assert_eq!(pattern.default, Some(json!("requestResponse")));
    assert_eq!(
        task.field("inputMappings").unwrap().ty,
        ValueType::Array { items: Box::new(ValueType::Object("Mapping".into())), max_items: None }
    );
    assert_eq!(task.field("serviceParams").unwrap().ty, ValueType::Map);
    assert_eq!(task.alternatives, [alternatives(&["resourceArn", "action"], true)]);
    let mapping = object(Dialect::Legacy, "Mapping").unwrap();
    assert_eq!(mapping.field("source").unwrap().ty, ValueType::Any);
    let retry = object(Dialect::Legacy, "RetryPolicy").unwrap();
    assert_eq!(retry.field("maxAttempts").unwrap().default, Some(json!(3)));
    assert_eq!(retry.field("multiplier").unwrap().default, Some(json!(2)));
    let wait = state_object(Dialect::Legacy, "wait").unwrap();
    assert_eq!(
        wait.field("duration").unwrap().ty,
        ValueType::OneOf(vec![ValueType::Integer { min: Some(0), max: Some(172_800) }, ValueType::String])
    );
    let parallel = state_object(Dialect::Legacy, "parallel").unwrap();
    assert_eq!(
        parallel.field("branches").unwrap().ty,
        ValueType::Array { items: Box::new(ValueType::Object("Branch".into())), max_items: Some(100) }
    );
}

#[test]
fn roots() {
    let cloudflow = root_object(Dialect::CloudFlow);
    assert_eq!(cloudflow.name, "StateMachine");
    assert_eq!(
        field_names(&cloudflow.fields),
        ["Type", "Name", "SpecVersion", "Description", "StartAt", "States", "Timeout"]
    );
    assert_eq!(cloudflow.field("Type").unwrap().ty, ValueType::Enum(strings(&["StateMachine"])));
    assert!(cloudflow.closed);
    assert_eq!(object(Dialect::CloudFlow, "StateMachine"), Some(cloudflow));
    let legacy = root_object(Dialect::Legacy);
    assert_eq!(legacy.name, "Flow");
    assert_eq!(legacy.field("version").unwrap().ty, ValueType::Enum(strings(&["v1", "v1beta1"])));
    assert_eq!(legacy.field("type").unwrap().ty, ValueType::Enum(strings(&["flow"])));
    assert!(legacy.field("steps").unwrap().required);
}

#[test]
fn everything_is_documented() {
    for dialect in Dialect::ALL {
        for spec in objects(*dialect) {
            assert!(!spec.title.is_empty() && !spec.description.is_empty(), "{}", spec.name);
            for field in &spec.fields {
                assert!(!field.description.is_empty(), "{}.{} has no description", spec.name, field.name);
                assert!(!field.description.contains('\n'), "{}.{} is hard-wrapped", spec.name, field.name);
                if field.deprecated {
                    assert!(field.replaced_by.is_some(), "{}.{}", spec.name, field.name);
                }
            }
        }
    }
}

#[test]
fn value_types_read_well() {
    assert_eq!(ValueType::Integer { min: Some(1), max: Some(300) }.to_string(), "integer from 1 to 300");
    assert_eq!(
        ValueType::Array { items: Box::new(ValueType::Object("RetryRule".into())), max_items: Some(50) }
            .to_string(),
        "list of RetryRule object (at most 50)"
    );
    assert_eq!(ValueType::Enum(strings(&["a", "b"])).to_string(), "one of `a`, `b`");
}

#[test]
fn every_definition_has_a_title_and_description() {
    for dialect in Dialect::ALL {
        let schema = fdl_schema::json_schema(*dialect);
        assert!(schema["title"].is_string() && schema["description"].is_string());
        for (name, def) in schema["$defs"].as_object().unwrap() {
            for key in ["title", "description"] {
                let text = def[key].as_str().unwrap_or_default();
                assert!(!text.is_empty(), "{dialect:?} $defs/{name} has no {key}");
            }
        }
    }
}
