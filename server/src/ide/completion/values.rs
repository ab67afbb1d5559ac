//! Values of a key: enums from the schema, the task modes the Action supports, legacy
//! patterns; it hands state references, error names, Actions and parameters to their
//! modules.

use fdl_schema::Dialect;
use fdl_schema::integrations::{self, Pattern, TaskMode, WorkflowMode};
use fdl_schema::spec::{self, ObjectSpec, ValueType};

use super::catalog::{actions, parameter_values};
use super::names::{error_names, state_names};
use super::{CompletionItem, CompletionKind, CompletionList, label};
use crate::analysis::model::Flow;
use crate::ide::cursor::{Owner, owner_object};
use crate::ide::{Config, Document};
use crate::syntax::{Node, TextRange, yaml_string};

/// Keys whose value names a state of the scope.
pub(super) fn is_state_reference(dialect: Dialect, object: &ObjectSpec, key: &str) -> bool {
    match dialect {
        Dialect::CloudFlow => {
            matches!(key, "StartAt" | "Default") || (key == "Next" && object.field("Next").is_some())
        }
        Dialect::Legacy => key == "goto",
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn value_completions(
    doc: &Document,
    flow: &Flow<'_>,
    owner: Owner<'_>,
    key: &str,
    prefix: TextRange,
    typed: &str,
    in_list: bool,
    config: &Config,
    offset: u32,
) -> CompletionList {
    let complete = |items| CompletionList { items, incomplete: false };
    let dialect = flow.dialect();
    if let Some(items) = parameter_values(flow, owner, key, prefix) {
        return complete(items);
    }
    let Some(object) = owner_object(flow, owner) else { return complete(Vec::new()) };
    let object = match owner.node() {
        Some(m) => crate::ide::cursor::state_specific(flow, m, object),
        None => object,
    };
    if is_state_reference(dialect, object, key) {
        return state_names(doc, flow, owner, key, prefix, typed, offset);
    }
    if matches!(key, "Errors" | "errors") {
        return complete(error_names(flow, prefix, in_list));
    }
    let Some(field) = object.field(key) else { return complete(Vec::new()) };
    let node = owner.node();
    match (dialect, key) {
        (Dialect::CloudFlow, "TaskMode") => {
            return complete(task_modes(flow, node, doc.mode(config), prefix));
        }
        (Dialect::Legacy, "pattern") => return complete(patterns(flow, node, prefix)),
        (Dialect::CloudFlow, "Action") | (Dialect::Legacy, "action") => {
            return complete(actions(dialect, typed, prefix));
        }
        _ => {}
    }
    complete(enum_items(&field.ty, prefix, object, key))
}

pub(super) fn enum_items(
    ty: &ValueType,
    prefix: TextRange,
    object: &ObjectSpec,
    key: &str,
) -> Vec<CompletionItem> {
    let dialect_types = |v: &str| {
        spec::objects(Dialect::CloudFlow)
            .iter()
            .chain(spec::objects(Dialect::Legacy))
            .find(|o| {
                o.name
                    .strip_suffix("State")
                    .or_else(|| o.name.strip_suffix("Step"))
                    .is_some_and(|n| n.eq_ignore_ascii_case(v))
            })
            .map(|o| o.description.clone())
    };
    match ty {
        ValueType::Enum(values) => values
            .iter()
            .enumerate()
            .map(|(rank, v)| {
                let mut item =
                    CompletionItem::new(v.clone(), CompletionKind::Value, yaml_string(v), prefix).sort(rank);
                if key == "Type" || key == "type" {
                    item = item.doc(dialect_types(v).unwrap_or_default());
                }
                item.detail(format!("{key} of the {}", label(object)))
            })
            .collect(),
        ValueType::Boolean => ["true", "false"]
            .iter()
            .enumerate()
            .map(|(rank, v)| CompletionItem::new(*v, CompletionKind::Value, *v, prefix).sort(rank))
            .collect(),
        ValueType::OneOf(options) => {
            options.iter().flat_map(|t| enum_items(t, prefix, object, key)).collect()
        }
        _ => Vec::new(),
    }
}

/// The task modes the state's Action supports, in the workflow's mode.
pub(super) fn task_modes(
    flow: &Flow<'_>,
    state: Option<Node<'_>>,
    mode: WorkflowMode,
    prefix: TextRange,
) -> Vec<CompletionItem> {
    let action = state.and_then(|s| flow.get_str(s, "Action")).map(|(a, _)| a);
    let allowed = match action {
        Some(a) => integrations::allowed_task_modes(a, mode),
        None if mode == WorkflowMode::Express => vec![TaskMode::RequestComplete],
        None => TaskMode::ALL.to_vec(),
    };
    let service = action.map(|a| integrations::supported_task_modes(a).name);
    TaskMode::ALL
        .iter()
        .enumerate()
        .filter(|(_, m)| allowed.contains(m))
        .map(|(rank, m)| {
            let detail = match &service {
                Some(s) => format!("supported by {s}"),
                None => "task mode".to_string(),
            };
            CompletionItem::new(m.as_str(), CompletionKind::Value, m.as_str(), prefix)
                .detail(detail)
                .doc(task_mode_doc(*m))
                .sort(rank)
        })
        .collect()
}

pub(crate) fn task_mode_doc(mode: TaskMode) -> &'static str {
    match mode {
        TaskMode::RequestComplete => {
            "The task finishes as soon as the called API answers; the answer is the task's output. The default."
        }
        TaskMode::WaitForSystemCallback => {
            "The call starts an asynchronous job; the task waits until the service reports that the job finished (asynchronous FC invocations, child flows). Standard workflows only."
        }
        TaskMode::WaitForCustomCallback => {
            "The task pauses with a task token (`$Context.Current.TaskToken`) until someone calls ReportTaskSucceeded or ReportTaskFailed with it. Standard workflows only."
        }
    }
}

/// Legacy patterns the step's resourceArn (or action) supports.
pub(super) fn patterns(flow: &Flow<'_>, step: Option<Node<'_>>, prefix: TextRange) -> Vec<CompletionItem> {
    let supported: Vec<Pattern> = step
        .and_then(|s| {
            if let Some((a, _)) = flow.get_str(s, "action") {
                return Some(integrations::supported_patterns_for_action(a));
            }
            let (arn, _) = flow.get_str(s, "resourceArn")?;
            let target = crate::analysis::arn::target(arn)?;
            let invocation = flow
                .get(s, "serviceParams")
                .and_then(|e| flow.get_str(e.value, "InvocationType"))
                .and_then(|(v, _)| integrations::InvocationType::parse(v));
            Some(integrations::supported_patterns(&target, invocation))
        })
        .unwrap_or_else(|| Pattern::ALL.to_vec());
    supported
        .iter()
        .enumerate()
        .map(|(rank, p)| {
            CompletionItem::new(p.as_str(), CompletionKind::Value, p.as_str(), prefix).sort(rank)
        })
        .collect()
}
