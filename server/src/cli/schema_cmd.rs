//! `fdl schema`: prints a dialect's JSON Schema, e.g. for the `yaml.schemas` setting of
//! editors that have YAML support but no FDL plugin.

use super::args::SchemaArgs;
use super::console::{Console, Exit};

pub fn run(args: &SchemaArgs, console: &mut Console) -> Exit {
    let mut schema = fdl_schema::json_schema_string(args.dialect.into());
    if !schema.ends_with('\n') {
        schema.push('\n');
    }
    console.out(&schema);
    Exit::Clean
}
