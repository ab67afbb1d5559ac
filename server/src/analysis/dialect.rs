//! Which of the two languages a document is written in.

use fdl_schema::Dialect;

use super::{Code, Diagnostic};
use crate::syntax::{Node, NodeKind, SyntaxTree, TextRange};

const CLOUDFLOW_KEYS: &[&str] = &["Type", "SpecVersion", "StartAt", "States", "Name"];
const LEGACY_KEYS: &[&str] =
    &["version", "type", "steps", "inputMappings", "outputMappings", "timeoutSeconds"];

/// Detects the dialect from the top-level keys. Returns `Err` with the one diagnostic that
/// explains why the document is neither (instead of a cascade of unknown keys).
pub fn detect(tree: &SyntaxTree) -> Result<(Dialect, Node<'_>), Option<Diagnostic>> {
    let Some(root) = tree.root() else {
        return Err(Some(Diagnostic::error(
            Code::UnknownDialect,
            TextRange::empty(0),
            "empty document: a flow definition starts with `Type: StateMachine` (CloudFlow) or `version: v1` and `type: flow` (legacy Serverless Workflow)",
        )));
    };
    if root.kind() != NodeKind::Mapping {
        // A YAML error already explains an unparseable document.
        if root.kind() == NodeKind::Error {
            return Err(None);
        }
        return Err(Some(Diagnostic::error(
            Code::UnknownDialect,
            root.range(),
            "a flow definition is a YAML mapping of keys (`Type: StateMachine`, `States: ...`), not a list or a single value",
        )));
    }
    let score =
        |keys: &[&str]| root.entries().filter(|e| e.key.scalar().is_some_and(|k| keys.contains(&k))).count();
    let type_value = root.get("Type").and_then(|e| e.value.scalar());
    let legacy_type = root.get("type").and_then(|e| e.value.scalar());
    let cloudflow = score(CLOUDFLOW_KEYS) + 2 * usize::from(type_value == Some("StateMachine"));
    let legacy = score(LEGACY_KEYS) + 2 * usize::from(legacy_type == Some("flow"));
    if cloudflow == 0 && legacy == 0 {
        let first = root.entries().next().map_or(root.range(), |e| e.key.range());
        return Err(Some(Diagnostic::error(
            Code::UnknownDialect,
            first,
            "not a flow definition: expected `Type: StateMachine` with `States` (CloudFlow) or `type: flow` with `steps` (legacy Serverless Workflow)",
        )));
    }
    Ok((if legacy > cloudflow { Dialect::Legacy } else { Dialect::CloudFlow }, root))
}
