//! Tree to model to diagnostics. Knows FDL, nothing of LSP or terminals.
//!
//! [`check`] runs, in order: the syntax errors; dialect detection (one `unknown-dialect`
//! diagnostic instead of a cascade); generic YAML checks (duplicate keys); the schema-driven
//! key and value checks of every object, state by state ([`keys`], [`states`]); the service
//! integration rules ([`integration`]); and the state graph of every scope ([`graph`]).

pub mod catalog_rules;
mod context;
mod diagnostic;
mod dialect;
pub mod expressions;
mod graph;
mod integration;
mod keys;
mod limits;
pub mod model;
mod names;
mod states;

pub use diagnostic::{Code, Diagnostic, Fix, Severity};
pub use fdl_schema::Dialect;
pub use fdl_schema::integrations::WorkflowMode;

use crate::syntax::{SourceText, SyntaxTree};

/// Settings that are not in the YAML.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// The workflow mode. `None`: from a `# fdl: mode=express` comment, else Standard.
    pub mode: Option<WorkflowMode>,
}

/// All diagnostics of a document, sorted by position.
pub fn check(text: &SourceText, tree: &SyntaxTree, options: &CheckOptions) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = tree
        .errors()
        .iter()
        .map(|e| Diagnostic::error(Code::YamlSyntax, e.range, e.message.clone()))
        .collect();
    match dialect::detect(tree) {
        Err(d) => diagnostics.extend(d),
        Ok((dialect, root)) => {
            let mode = options.mode.or_else(|| mode_from_comment(text)).unwrap_or(WorkflowMode::Standard);
            let flow = model::Flow::from_root(dialect, root, tree.may_have_anchors());
            let mut cx = context::Ctx { flow: &flow, dialect, mode, text, diagnostics };
            context::yaml_checks(text, root, &mut cx.diagnostics);
            let object = fdl_schema::spec::root_object(dialect);
            let label = match dialect {
                Dialect::CloudFlow => "state machine",
                Dialect::Legacy => "flow",
            };
            keys::check_object(&mut cx, root, object, label);
            limits::flow_name(&mut cx, root);
            graph::check(&mut cx);
            expressions::check(&mut cx);
            catalog_rules::check(&mut cx);
            diagnostics = cx.diagnostics;
        }
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    diagnostics.dedup();
    diagnostics
}

/// The dialect of a document, if it is a flow definition.
pub fn dialect_of(tree: &SyntaxTree) -> Option<Dialect> {
    dialect::detect(tree).ok().map(|(d, _)| d)
}

/// Reads `# fdl: mode=express` (or `standard`) from a comment line.
pub fn mode_from_comment(text: &SourceText) -> Option<WorkflowMode> {
    for line in text.rope().lines().take(200) {
        let line = line.to_string();
        let t = line.trim_start();
        let Some(comment) = t.strip_prefix('#') else {
            continue;
        };
        let Some(rest) = comment.trim_start().strip_prefix("fdl:") else { continue };
        for part in rest.split([' ', ',', ';']) {
            if let Some(v) = part.trim().strip_prefix("mode=") {
                match v.to_ascii_lowercase().as_str() {
                    "express" => return Some(WorkflowMode::Express),
                    "standard" => return Some(WorkflowMode::Standard),
                    _ => {}
                }
            }
        }
    }
    None
}

/// Whether a parsed YAML file holds a flow definition of either dialect (used when a
/// directory is checked, to skip unrelated YAML such as CI configuration).
pub fn looks_like_fdl(tree: &SyntaxTree) -> bool {
    let Some(root) = tree.root() else { return false };
    root.get("States").is_some()
        || root.get("Type").is_some_and(|e| e.value.scalar() == Some("StateMachine"))
        || root.get("steps").is_some()
        || root.get("type").is_some_and(|e| e.value.scalar() == Some("flow"))
}

#[cfg(test)]
mod tests;
