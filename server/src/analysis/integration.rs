//! Rules about what a task calls: task modes per service, FC invocation types, resource
//! ARNs, legacy patterns, and the limits that depend on the workflow mode.

use fdl_schema::integrations::{self, ArnTarget, InvocationType, Pattern, TaskMode, WorkflowMode};

use super::arn::{ArnReading, read_arn};
use super::context::Ctx;
use super::{Code, Diagnostic, Severity};
use crate::syntax::Node;

pub(crate) fn check_cloudflow_state<'a>(cx: &mut Ctx<'_, 'a>, state: Node<'a>, ty: &str) {
    match ty {
        "Task" => check_task(cx, state),
        "Wait" => super::limits::wait_seconds(cx, state),
        "Succeed" | "Fail" => {
            if let Some(e) = cx.get(state, "End") {
                let (severity, message) = if ty == "Succeed" {
                    (Severity::Information, "`End` is redundant on a Succeed state: it always ends its scope")
                } else {
                    (Severity::Warning, "`End` has no meaning on a Fail state: it always fails the flow")
                };
                cx.push(Diagnostic::new(Code::DocQuirk, severity, e.key.range(), message).with_fix(
                    "Remove `End`",
                    super::context::entry_removal(cx.text, e.key.range().cover(e.value.range())),
                    "",
                ));
            }
        }
        _ => {}
    }
}

fn check_task<'a>(cx: &mut Ctx<'_, 'a>, state: Node<'a>) {
    super::limits::task_timeout(cx, state);
    let Some((action, action_node)) = cx.get_str(state, "Action") else { return };
    // What a deploy-time Action calls is unknown, and so are its modes and parameters.
    if cx.deploy_time(action_node) {
        return;
    }
    if let Some((service, api)) = action.split_once("::") {
        let fixed = format!("{service}:{api}");
        cx.push(
            Diagnostic::error(
                Code::DocQuirk,
                action_node.value_range(),
                format!("`{action}` has a double colon (a typo copied from Alibaba's docs): write `{fixed}`"),
            )
            .with_fix(
                format!("Replace with `{fixed}`"),
                action_node.value_range(),
                fixed.clone(),
            ),
        );
        return;
    }
    if integrations::split_action(action).is_none() {
        cx.push(Diagnostic::error(
            Code::InvalidValue,
            action_node.value_range(),
            format!("`Action` must be `Service:Api` (e.g. `FC:InvokeFunction`, `ECS:DescribeInstances`), not `{action}`"),
        ));
        return;
    }
    let support = integrations::supported_task_modes(action);
    let allowed = integrations::allowed_task_modes(action, cx.mode);
    // An invalid TaskMode is reported by the schema check.
    let task_mode =
        cx.get_str(state, "TaskMode").and_then(|(text, node)| TaskMode::parse(text).map(|m| (m, node)));
    if let Some((mode, node)) = task_mode
        && !allowed.contains(&mode)
    {
        let range = node.value_range();
        let names: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
        let message = if cx.mode == WorkflowMode::Express && support.modes.contains(&mode) {
            format!(
                "`{}` is not available in Express workflows, which support only `RequestComplete`",
                mode.as_str()
            )
        } else {
            format!(
                "`{}` is not supported by {}: it supports {}",
                mode.as_str(),
                support.name,
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            )
        };
        let mut d = Diagnostic::error(Code::UnsupportedTaskMode, range, message);
        for name in names {
            d = d.with_fix(format!("Use `{name}`"), range, name);
        }
        cx.push(d);
    }
    let Some(params) = cx.get(state, "Parameters").map(|e| cx.resolve(e.value)) else { return };
    if support.kind == integrations::IntegrationKind::FunctionCompute
        && let Some((inv_text, inv_node)) = cx.get_str(params, "invocationType")
        && let Some(inv) = InvocationType::parse(inv_text)
    {
        let mode = task_mode.map_or(TaskMode::RequestComplete, |(m, _)| m);
        if let Some(why) = integrations::invocation_type_conflict(mode, inv) {
            cx.push(Diagnostic::error(Code::InvocationTypeMismatch, inv_node.value_range(), why.to_string()));
        }
    }
    let arn_expected = matches!(
        support.kind,
        integrations::IntegrationKind::FunctionCompute
            | integrations::IntegrationKind::ChildWorkflow
            | integrations::IntegrationKind::MessageQueue
    );
    if arn_expected && let Some((arn, node)) = cx.get_str(params, "resourceArn") {
        check_arn(cx, arn, node, Some(support.kind));
    }
}

/// Reports a malformed ARN, or one that points at the wrong kind of resource.
fn check_arn(
    cx: &mut Ctx<'_, '_>,
    arn: &str,
    node: Node<'_>,
    kind: Option<integrations::IntegrationKind>,
) -> Option<ArnTarget> {
    if node.tag().is_some() {
        return None;
    }
    let range = node.value_range();
    match read_arn(arn, &cx.placeholders) {
        ArnReading::DeployTime => None,
        ArnReading::Invalid(why) => {
            cx.push(Diagnostic::error(Code::InvalidResourceArn, range, why));
            None
        }
        ArnReading::Target(target) => {
            use integrations::IntegrationKind as K;
            let fits = match kind {
                None => true,
                Some(K::FunctionCompute) => target.is_function(),
                Some(K::ChildWorkflow) => matches!(target, ArnTarget::Flow { .. }),
                Some(K::MessageQueue) => {
                    matches!(target, ArnTarget::MnsQueue { .. } | ArnTarget::MnsTopic { .. })
                }
                Some(_) => true,
            };
            if !fits {
                cx.push(Diagnostic::error(
                    Code::InvalidResourceArn,
                    range,
                    format!("this Action needs a different resource: `{arn}` is {}", target.describe()),
                ));
            }
            Some(target)
        }
    }
}

pub(crate) fn check_legacy_step<'a>(cx: &mut Ctx<'_, 'a>, step: Node<'a>, ty: &str) {
    if ty == "task" {
        check_legacy_task(cx, step);
    }
}

fn check_legacy_task<'a>(cx: &mut Ctx<'_, 'a>, step: Node<'a>) {
    let arn = cx.get(step, "resourceArn");
    let action = cx.get(step, "action");
    if arn.is_none() && action.is_none() {
        return; // missing-key from the schema's alternatives
    }
    let pattern = cx.get_str(step, "pattern").and_then(|(p, n)| Pattern::parse(p).map(|p| (p, n)));
    let invocation = cx
        .get(step, "serviceParams")
        .map(|e| cx.resolve(e.value))
        .and_then(|sp| cx.get_str(sp, "InvocationType"))
        .and_then(|(s, _)| InvocationType::parse(s));
    let (supported, what): (Vec<Pattern>, String) = if let Some(e) = action {
        let Some(a) = cx.resolve(e.value).scalar() else { return };
        (integrations::supported_patterns_for_action(a), format!("an `action:` call ({a})"))
    } else {
        let e = arn.expect("checked above");
        let value = cx.resolve(e.value);
        let Some(text) = value.scalar() else { return };
        let Some(target) = check_arn(cx, text, value, None) else { return };
        let what = target.describe();
        (integrations::supported_patterns(&target, invocation), what)
    };
    if let Some((p, node)) = pattern
        && !supported.contains(&p)
    {
        let range = node.value_range();
        let names: Vec<&str> = supported.iter().map(|p| p.as_str()).collect();
        let mut d = Diagnostic::error(
            Code::UnsupportedPattern,
            range,
            format!(
                "pattern `{}` is not supported by {what}: it supports {}",
                p.as_str(),
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
        );
        for name in names {
            d = d.with_fix(format!("Use `{name}`"), range, name);
        }
        cx.push(d);
    }
}
