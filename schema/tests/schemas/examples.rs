//! Every complete example flow of the language references validates against its
//! dialect's schema. The references live outside this repository (`shared/spec`
//! next to the checkout, or `$FDL_SPEC_DIR`); without them the test says so and
//! passes.

use std::path::{Path, PathBuf};

use fdl_schema::Dialect;
use fdl_schema::integrations::{TaskMode, classify_resource_arn, supported_task_modes};
use serde_json::Value;

use crate::{schema_errors, yaml};

/// Sub-folders that are not complete, valid flows: `quirks/` are broken on purpose
/// and `fragments/` have no header.
const NOT_COMPLETE_FLOWS: &[&str] = &["quirks", "fragments"];

fn examples_dir() -> PathBuf {
    match std::env::var_os("FDL_SPEC_DIR") {
        Some(dir) => PathBuf::from(dir).join("examples"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec/examples"),
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !NOT_COMPLETE_FLOWS.contains(&name.as_str()) {
                yaml_files(&path, out);
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(path);
        }
    }
}

/// The complete example flows of a folder, parsed; `None` (after a note) when the
/// references are not available.
fn load_examples(folder: &str) -> Option<Vec<(PathBuf, Result<Value, String>)>> {
    let dir = examples_dir().join(folder);
    if !dir.is_dir() {
        println!("note: {} not found; skipping the {folder} example corpus", dir.display());
        return None;
    }
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    assert!(!files.is_empty(), "no examples in {}", dir.display());
    Some(
        files
            .into_iter()
            .map(|file| {
                let document = yaml::to_json(&std::fs::read_to_string(&file).unwrap());
                (file, document)
            })
            .collect(),
    )
}

fn check_examples(dialect: Dialect, folder: &str) {
    let Some(examples) = load_examples(folder) else { return };
    let mut failures = Vec::new();
    for (file, document) in &examples {
        match document {
            Ok(document) => {
                for error in schema_errors(dialect, document) {
                    failures.push(format!("{}: {error}", file.display()));
                }
            }
            Err(error) => failures.push(format!("{}: not YAML: {error}", file.display())),
        }
    }
    assert!(failures.is_empty(), "examples rejected by the schema:\n{}", failures.join("\n"));
    println!("{} {folder} examples validate", examples.len());
}

/// Calls `f` on every object in `value`, depth first.
fn visit_objects(value: &Value, f: &mut impl FnMut(&serde_json::Map<String, Value>)) {
    match value {
        Value::Object(object) => {
            f(object);
            object.values().for_each(|v| visit_objects(v, f));
        }
        Value::Array(items) => items.iter().for_each(|v| visit_objects(v, f)),
        _ => {}
    }
}

#[test]
fn example_task_targets_are_recognised() {
    let mut checked = 0;
    for folder in ["cloudflow", "legacy"] {
        let Some(examples) = load_examples(folder) else { continue };
        for (file, document) in examples {
            let Ok(document) = document else { continue };
            visit_objects(&document, &mut |object| {
                // `!Ref Service/Function` tags are resolved at deploy time, not ARNs yet.
                let arn = object.get("resourceArn").and_then(Value::as_str).filter(|a| a.starts_with("acs:"));
                if let Some(arn) = arn {
                    if let Err(error) = classify_resource_arn(arn) {
                        panic!("{}: {arn}: {error}", file.display());
                    }
                    checked += 1;
                }
                if let Some(action) = object.get("Action").and_then(Value::as_str) {
                    let mode = object
                        .get("TaskMode")
                        .and_then(Value::as_str)
                        .map_or(TaskMode::RequestComplete, |m| TaskMode::parse(m).unwrap());
                    let supported = supported_task_modes(action);
                    assert!(supported.modes.contains(&mode), "{}: {action} with {mode}", file.display());
                }
            });
        }
    }
    println!("{checked} example ARNs recognised");
}

#[test]
fn cloudflow_examples_validate() {
    check_examples(Dialect::CloudFlow, "cloudflow");
}

#[test]
fn legacy_examples_validate() {
    check_examples(Dialect::Legacy, "legacy");
}

/// The test files of the repository's `examples/` validate against the test-file schema
/// (and, being mocks files too, against the mocks schema); broken ones do not.
#[test]
fn example_test_files_validate() {
    use fdl_schema::{DryRunFile, dry_run_schema};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".fdltest.yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "test files in {}", dir.display());
    let errors = |file: DryRunFile, document: &Value| -> Vec<String> {
        let schema = dry_run_schema(file);
        let validator = jsonschema::validator_for(&schema).expect("the generated schema compiles");
        validator.iter_errors(document).map(|e| format!("`{}`: {e}", e.instance_path())).collect()
    };
    for path in &files {
        let document = yaml::to_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        for file in DryRunFile::ALL {
            let found = errors(*file, &document);
            assert!(
                found.is_empty(),
                "{} against the {file:?} schema:\n{}",
                path.display(),
                found.join("\n")
            );
        }
    }
    let broken = serde_json::json!({
        "Flow": "f.yaml",
        "States": {"A": {"Return": 1, "Throw": {"Error": "E"}}, "B": {"0": {"Return": 1}, "x": {}}},
        "Tests": {"t": {"Expect": {"Status": "Fine", "Ranned": []}}}
    });
    let found = errors(DryRunFile::Test, &broken);
    for needle in ["/States/A", "/States/B", "/Tests/t/Expect"] {
        assert!(found.iter().any(|e| e.contains(needle)), "no error at {needle}: {found:#?}");
    }
    assert!(
        !errors(DryRunFile::Test, &serde_json::json!({"States": {}})).is_empty(),
        "Flow and Tests are required"
    );
    assert!(errors(DryRunFile::Mocks, &serde_json::json!({"States": {}})).is_empty());
}
