//! Hover: keys (the schema's descriptions), state types, task modes and legacy patterns with
//! the service's support matrix, and state names (type and where the state leads).

use fdl_schema::Dialect;
use fdl_schema::integrations::{self, Pattern, TaskMode, WorkflowMode, classify_resource_arn};
use fdl_schema::spec::{self, ObjectSpec};

use super::completion::task_mode_doc;
use super::cursor::{object_of, path_to, state_specific};
use super::{Config, Document};
use crate::analysis::model::{Flow, State, TransitionKind};
use crate::syntax::{Node, NodeKind, TextRange};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

pub fn hover(doc: &Document, config: &Config, offset: u32) -> Option<Hover> {
    let flow = Flow::new(&doc.tree)?;
    let path = path_to(flow.root(), offset);
    let node = *path.last()?;
    if node.kind() != NodeKind::Scalar {
        return None;
    }
    let mapping = path.iter().rev().nth(1).copied().filter(|m| m.kind() == NodeKind::Mapping)?;
    let entry = mapping.entries().find(|e| e.key.same(node) || e.value.same(node))?;
    let key = entry.key.scalar()?;
    let object = object_of(&flow, mapping).map(|o| state_specific(&flow, mapping, o));
    let range = node.value_range();
    let markdown = if entry.key.same(node) {
        key_doc(object?, key)?
    } else {
        value_doc(&flow, doc, config, mapping, object, key, node)?
    };
    Some(Hover { range, markdown })
}

fn key_doc(object: &ObjectSpec, key: &str) -> Option<String> {
    let base = key.strip_suffix(".$");
    let field = object.field(key).or_else(|| base.and_then(|b| object.field(b)))?;
    let mut out = format!("**`{}`** — {}", field.name, label(object));
    if field.required {
        out.push_str(" (required)");
    }
    out.push_str("\n\n");
    out.push_str(&field.description);
    if base.is_some() && object.field(key).is_none() {
        out.push_str("\n\nWith `.$` the value is an expression, evaluated when the state runs.");
    }
    if let Some(new) = &field.replaced_by {
        out.push_str(&format!("\n\n**Obsolete**: use `{new}`."));
    }
    Some(out)
}

fn label(object: &ObjectSpec) -> &str {
    if object.title.is_empty() { &object.name } else { &object.title }
}

fn value_doc(
    flow: &Flow<'_>,
    doc: &Document,
    config: &Config,
    mapping: Node<'_>,
    object: Option<&ObjectSpec>,
    key: &str,
    value: Node<'_>,
) -> Option<String> {
    let dialect = flow.dialect();
    let text = value.scalar()?;
    let is_state = object.is_some_and(|o| {
        spec::state_types(dialect)
            .iter()
            .any(|t| spec::state_object(dialect, t).is_some_and(|s| s.name == o.name))
    });
    match (dialect, key) {
        (_, "Type" | "type")
            if is_state || object.is_some_and(|o| o.name == spec::state_union(dialect).name) =>
        {
            let state = spec::state_object(dialect, text)?;
            Some(format!("**{text}** state\n\n{}", state.description))
        }
        (Dialect::CloudFlow, "TaskMode") => {
            let mode = TaskMode::parse(text)?;
            Some(task_mode_hover(flow, mapping, mode, doc.mode(config)))
        }
        (Dialect::Legacy, "pattern") => {
            let pattern = Pattern::parse(text)?;
            Some(pattern_hover(flow, mapping, pattern))
        }
        (Dialect::CloudFlow, "Name" | "StartAt" | "Next" | "Default")
        | (Dialect::Legacy, "name" | "goto") => state_hover(flow, value),
        _ => None,
    }
}

fn task_mode_hover(flow: &Flow<'_>, state: Node<'_>, mode: TaskMode, workflow: WorkflowMode) -> String {
    let mut out = format!("**{}**\n\n{}", mode.as_str(), task_mode_doc(mode));
    if let Some((action, _)) = flow.get_str(state, "Action") {
        let support = integrations::supported_task_modes(action);
        out.push_str(&format!("\n\n| {} | Standard | Express |\n|---|---|---|\n", support.name));
        for m in TaskMode::ALL {
            let standard = if support.modes.contains(m) { "✔" } else { "✘" };
            let express =
                if *m == TaskMode::RequestComplete && support.modes.contains(m) { "✔" } else { "✘" };
            out.push_str(&format!("| {} | {standard} | {express} |\n", m.as_str()));
        }
        if workflow == WorkflowMode::Express {
            out.push_str("\nThis document is checked as an **Express** workflow.\n");
        }
    }
    out.trim_end().to_string()
}

fn pattern_hover(flow: &Flow<'_>, step: Node<'_>, pattern: Pattern) -> String {
    let what = match pattern {
        Pattern::RequestResponse => "Call the service and continue as soon as the call returns. The default.",
        Pattern::Sync => {
            "Submit an asynchronous job (asynchronous function invocation, child flow) and wait until it completes."
        }
        Pattern::WaitForCallback => {
            "Submit, then pause until ReportTaskSucceeded or ReportTaskFailed is called with the task token (`$context.task.token`)."
        }
    };
    let mut out = format!("**{}**\n\n{what}", pattern.as_str());
    let target = flow.get_str(step, "resourceArn").and_then(|(arn, _)| classify_resource_arn(arn).ok());
    if let Some(target) = target {
        let invocation = flow
            .get(step, "serviceParams")
            .and_then(|e| flow.get_str(e.value, "InvocationType"))
            .and_then(|(v, _)| integrations::InvocationType::parse(v));
        let supported = integrations::supported_patterns(&target, invocation);
        let names: Vec<String> = supported.iter().map(|p| format!("`{}`", p.as_str())).collect();
        out.push_str(&format!("\n\n{} supports {}.", target.describe(), names.join(", ")));
    }
    out
}

/// The state a name refers to: its type and where it leads.
fn state_hover(flow: &Flow<'_>, value: Node<'_>) -> Option<String> {
    let offset = value.value_range().start;
    for scope in flow.scopes() {
        let named_here = scope.start_at().is_some_and(|(_, n)| n.same(value))
            || scope.states().iter().any(|s| {
                s.name().is_some_and(|(_, n)| n.same(value))
                    || s.transitions().iter().any(|t| t.node.same(value))
            });
        if named_here {
            let name = value.scalar()?;
            let Some(state) = scope.find(name) else {
                return Some(format!("`{name}`: no state of this scope has this name"));
            };
            return Some(describe_state(&state));
        }
    }
    let _ = offset;
    None
}

fn describe_state(state: &State<'_, '_>) -> String {
    let name = state.name().map(|(n, _)| n).unwrap_or("?");
    let ty = state.ty().map(|(t, _)| t).unwrap_or("state");
    let mut out = format!("**{ty}** `{name}`");
    if let Some((action, _)) = state.get_str("Action").or_else(|| state.get_str("action")) {
        out.push_str(&format!(" calls `{action}`"));
    }
    if let Some((arn, _)) = state.get_str("resourceArn") {
        out.push_str(&format!(" calls `{arn}`"));
    }
    let moves = state.transitions();
    let mut leads: Vec<String> = moves
        .iter()
        .map(|t| match t.kind {
            TransitionKind::Next => format!("→ `{}`", t.target),
            TransitionKind::Default => format!("→ `{}` (default)", t.target),
            TransitionKind::Branch => format!("→ `{}` (when its condition holds)", t.target),
            TransitionKind::Catch => format!("→ `{}` (on error)", t.target),
        })
        .collect();
    if state.is_terminal() {
        leads.push("ends its scope".to_string());
    }
    if !leads.is_empty() {
        out.push_str("\n\n");
        out.push_str(&leads.join("  \n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::cursor;

    fn check(fixture: &str, expect: Expect) {
        let (doc, offset) = cursor(fixture);
        let out = match hover(&doc, &Config::default(), offset) {
            Some(h) => format!("{:?}\n{}", doc.text.slice(h.range), h.markdown),
            None => "none".to_string(),
        };
        expect.assert_eq(&out);
    }

    const FLOW: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n  - Type: Task\n    Name: 视频理解\n    Action: EventBridge:PutEvents\n    TaskMode: RequestComplete\n    Catch:\n      - Errors: [FnF.ALL]\n        Next: 失败\n    Next: 失败\n  - Type: Fail\n    Name: 失败\n    Code: E\n";

    fn at(needle: &str) -> String {
        let i = FLOW.find(needle).expect("needle") + 1;
        format!("{}$0{}", &FLOW[..i], &FLOW[i..])
    }

    #[test]
    fn keys_types_modes_and_states() {
        check(
            &at("TaskMode:"),
            expect![[r#"
            "TaskMode"
            **`TaskMode`** — Task state

            How the task waits for the integration. `RequestComplete` (default): done when the API answers. `WaitForSystemCallback`: waits until the service reports that the started job finished. `WaitForCustomCallback`: waits until ReportTaskSucceeded or ReportTaskFailed is called with the task token. Express workflows allow only `RequestComplete`, and each integration supports only some modes."#]],
        );
        check(
            &at("Task\n"),
            expect![[r#"
            "Task"
            **Task** state

            Calls a service integration given by `Action`: an optimized integration such as `FC:InvokeFunction`, or any Alibaba Cloud OpenAPI operation. The call's result is `$Output` in `OutputConstructor`."#]],
        );
        check(
            &at("RequestComplete"),
            expect![[r#"
            "RequestComplete"
            **RequestComplete**

            The task finishes as soon as the called API answers; the answer is the task's output. The default.

            | EventBridge (EventBridge:PutEvents) | Standard | Express |
            |---|---|---|
            | RequestComplete | ✔ | ✔ |
            | WaitForSystemCallback | ✘ | ✘ |
            | WaitForCustomCallback | ✔ | ✘ |"#]],
        );
        check(
            &at("StartAt"),
            expect![[r#"
            "StartAt"
            **`StartAt`** — CloudFlow flow definition (required)

            Name of the first state to run; must be one of the top-level `States`."#]],
        );
        check(
            &FLOW.replace("Name: 视频理解", "Name: 视$0频理解"),
            expect![[r#"
            "视频理解"
            **Task** `视频理解` calls `EventBridge:PutEvents`

            → `失败` (on error)  
            → `失败`"#]],
        );
    }

    #[test]
    fn legacy_pattern() {
        check(
            "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: t\n    resourceArn: acs:fnf:::flow/child\n    pattern: s$0ync\n",
            expect![[r#"
                "sync"
                **sync**

                Submit an asynchronous job (asynchronous function invocation, child flow) and wait until it completes.

                child workflow `child` supports `requestResponse`, `sync`, `waitForCallback`."#]],
        );
    }
}
