//! The Flow Definition Language of Alibaba Cloud CloudFlow, in both dialects, as
//! data that tools can build on:
//!
//! - [`cloudflow`] and [`legacy`]: serde + schemars types of the current dialect
//!   (`Type: StateMachine`, `States`) and the legacy Serverless Workflow dialect
//!   (`version: v1`, `type: flow`, `steps`). Their doc comments are the user-facing
//!   documentation of every key.
//! - [`json_schema`] / [`json_schema_string`]: JSON Schemas (draft 2020-12) generated
//!   from those types, for yaml-language-server and similar editors. The checked-in
//!   copies live in `schema/*.schema.json`.
//! - [`spec`]: the same information as plain Rust values (objects, keys, types,
//!   limits, deprecations), read from the generated schema, for an analyser.
//! - [`dryrun`]: the dry run's mocks and test files, for their JSON Schemas
//!   ([`dry_run_schema`]; checked in as `schema/mocks.schema.json` and
//!   `schema/fdltest.schema.json`).
//! - [`catalog`]: every Alibaba Cloud OpenAPI operation a Task can call, with its
//!   parameters, embedded compactly and loaded per product on first use; fuzzy search
//!   and hover text for editors.
//! - [`integrations`]: service-integration rules that a schema cannot express:
//!   task modes per `Action`, optimized-integration parameters, invocation-type
//!   conflicts, legacy ARN classification and patterns, known error names.
//!
//! Nothing here parses YAML or talks LSP.

pub mod catalog;
pub mod cloudflow;
pub mod dryrun;
mod generate;
mod integration_schema;
pub mod integrations;
pub mod legacy;
mod schema_rules;
pub mod spec;

pub use generate::{DryRunFile, dry_run_schema, dry_run_schema_string, json_schema, json_schema_string};
pub use spec::{FieldSpec, KeyAlternatives, ObjectSpec, ValueType};

/// Which flavour of the Flow Definition Language a document is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// The current CloudFlow dialect: `Type: StateMachine`, `SpecVersion: v1`, `States`.
    CloudFlow,
    /// The legacy Serverless Workflow dialect: `version: v1`, `type: flow`, `steps`.
    Legacy,
}

impl Dialect {
    /// Both dialects.
    pub const ALL: &'static [Dialect] = &[Dialect::CloudFlow, Dialect::Legacy];

    /// A name for messages.
    pub const fn display_name(self) -> &'static str {
        match self {
            Dialect::CloudFlow => "CloudFlow",
            Dialect::Legacy => "legacy Serverless Workflow",
        }
    }

    /// The file name of the dialect's checked-in JSON Schema, under `schema/`.
    pub const fn schema_file_name(self) -> &'static str {
        match self {
            Dialect::CloudFlow => "cloudflow.schema.json",
            Dialect::Legacy => "legacy.schema.json",
        }
    }
}
