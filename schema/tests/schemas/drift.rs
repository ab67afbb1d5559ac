//! The checked-in schema files must equal the generated schemas, so that editors
//! pointed at `schema/*.schema.json` see what the Rust types say.

use std::path::PathBuf;

use fdl_schema::{Dialect, DryRunFile, dry_run_schema_string, json_schema_string};

fn checked_in_path(dialect: Dialect) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dialect.schema_file_name())
}

#[test]
fn checked_in_schemas_match_the_types() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v != "0");
    let mut stale = Vec::new();
    let flows = Dialect::ALL.iter().map(|d| (checked_in_path(*d), json_schema_string(*d)));
    let dry_run = DryRunFile::ALL.iter().map(|f| {
        (PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(f.schema_file_name()), dry_run_schema_string(*f))
    });
    for (path, generated) in flows.chain(dry_run) {
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        if on_disk == generated {
            continue;
        }
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, generated).unwrap();
            eprintln!("updated {}", path.display());
        } else {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "the checked-in JSON Schemas are out of date with the Rust types: {}\n\
         Regenerate them with `UPDATE_SCHEMAS=1 cargo test -p fdl-schema` and commit the result.",
        stale.join(", ")
    );
}
