//! Legacy Serverless Workflow (`type: flow`, `steps`) to a program. Steps run in list
//! order, so each step's `next` is the step after it (or the end of its list); mappings
//! become templates whose `$`-paths are expressions and whose other sources are constants.

use std::collections::HashMap;
use std::sync::Arc;

use fdl_schema::Dialect;
use fdl_schema::integrations::{ArnTarget, Pattern, classify_resource_arn};

use super::{Lowering, ScopeStates, target};
use crate::analysis::model::{Scope, State};
use crate::dryrun::data::Data;
use crate::dryrun::program::*;
use crate::expr::Place;
use crate::syntax::{Node, NodeKind};

/// Documented defaults of a legacy retry policy.
const DEFAULT_INTERVAL: f64 = 1.0;
const DEFAULT_MULTIPLIER: f64 = 2.0;
const DEFAULT_MAX_ATTEMPTS: u32 = 3;
const DEFAULT_MAX_INTERVAL: f64 = 86_400.0;

pub(super) fn lower(cx: &mut Lowering<'_, '_>) -> Program {
    let flow = cx.flow;
    let root = flow.root();
    lower_scope(cx, &flow.top_scope(), None);
    let flow_input = flow
        .get(root, "inputMappings")
        .map(|_| mappings(cx, root, "inputMappings", Place::InputMapping { flow_level: true }));
    let flow_output = flow
        .get(root, "outputMappings")
        .map(|_| mappings(cx, root, "outputMappings", Place::OutputMapping { flow_level: true }));
    let name = flow.get_str(root, "name").map(|(n, _)| Arc::from(n));
    let timeout = flow.get(root, "timeoutSeconds").and_then(|e| cx.number(e.value)).filter(|t| *t > 0.0);
    cx.finish(Dialect::Legacy, |p| {
        p.name = name;
        p.timeout = timeout;
        p.flow_input = flow_input;
        p.flow_output = flow_output;
    })
}

fn lower_scope<'f, 'a>(cx: &mut Lowering<'f, 'a>, scope: &Scope<'f, 'a>, owner: Option<StateId>) -> ScopeId {
    let ScopeStates { id, states, by_name } = cx.open_scope(scope, owner);
    cx.scopes[id as usize].start = states.first().map_or(Target::End, |(sid, _, _)| Target::State(*sid));
    let ids: Vec<StateId> = states.iter().map(|(sid, _, _)| *sid).collect();
    for (i, (sid, state, name)) in states.into_iter().enumerate() {
        let next = if state.is_terminal() {
            Target::End
        } else {
            ids.get(i + 1).map_or(Target::End, |n| Target::State(*n))
        };
        let def = lower_step(cx, id, sid, &state, name, next, &by_name);
        cx.states[sid as usize] = Some(def);
    }
    id
}

fn lower_step<'f, 'a>(
    cx: &mut Lowering<'f, 'a>,
    scope: ScopeId,
    sid: StateId,
    state: &State<'f, 'a>,
    name: Arc<str>,
    next: Target,
    by_name: &HashMap<Arc<str>, StateId>,
) -> StateDef {
    let flow = cx.flow;
    let node = state.node;
    let children = state.child_scopes();
    let child_of = |owner: Node<'_>| children.iter().find(|s| s.owner.same(owner)).copied();
    let kind = match state.ty().map(|(t, _)| t) {
        Some("pass") => Kind::Pass,
        Some("task") => Kind::Task(Box::new(task(cx, node))),
        Some("wait") => Kind::Wait(wait(cx, node)),
        Some("choice") => {
            let mut branches = Vec::new();
            for c in flow.list(node, "choices") {
                let condition = match flow.get(c, "condition") {
                    Some(e) => cx.expr(e.value, Place::Condition),
                    None => super::compile_expr("", c.range(), Dialect::Legacy, Place::Condition),
                };
                let steps = child_of(c).map(|s| lower_scope(cx, &s, Some(sid)));
                let next = flow.get_str(c, "goto").map_or_else(|| next.clone(), |(g, _)| target(by_name, g));
                branches.push(ChoiceBranch { condition, next, steps });
            }
            let default = flow.get(node, "default").map(|d| {
                let d = flow.resolve(d.value);
                let steps = child_of(d).map(|s| lower_scope(cx, &s, Some(sid)));
                let next = flow.get_str(d, "goto").map_or_else(|| next.clone(), |(g, _)| target(by_name, g));
                ChoiceDefault { next, steps }
            });
            Kind::Choice(ChoiceDef { branches, default })
        }
        Some("parallel") => {
            let branches: Vec<_> = flow.list(node, "branches").into_iter().filter_map(child_of).collect();
            Kind::Parallel(branches.iter().map(|b| lower_scope(cx, b, Some(sid))).collect())
        }
        Some("foreach") => {
            let mapping = flow.get(node, "iterationMapping").map(|e| flow.resolve(e.value));
            let field = |key: &str| mapping.and_then(|m| flow.get_str(m, key));
            let body = child_of(node).map(|s| lower_scope(cx, &s, Some(sid)));
            Kind::Foreach(Box::new(ForeachDef {
                collection: mapping
                    .and_then(|m| flow.get(m, "collection"))
                    .map(|e| cx.expr(e.value, Place::ForeachCollection)),
                item: Arc::from(field("item").map_or("item", |(i, _)| i)),
                index: field("index").map(|(i, _)| Arc::from(i)),
                body,
            }))
        }
        Some("succeed") => Kind::Succeed,
        Some("fail") => Kind::Fail {
            code: Arc::from(flow.get_str(node, "error").map_or("", |(c, _)| c)),
            detail: Arc::from(flow.get_str(node, "cause").map_or("", |(d, _)| d)),
        },
        Some(other) => Kind::Invalid(Arc::from(format!("`{other}` is not a step type"))),
        None => Kind::Invalid(Arc::from("the step has no `type`")),
    };
    let number = |owner: Node<'_>, key: &str| flow.get(owner, key).and_then(|e| cx.number(e.value));
    let retry = flow
        .list(node, "retry")
        .into_iter()
        .map(|rule| RetryRule {
            errors: cx.str_list(rule, "errors"),
            max_attempts: number(rule, "maxAttempts").map_or(DEFAULT_MAX_ATTEMPTS, |n| n.max(0.0) as u32),
            interval: number(rule, "intervalSeconds").unwrap_or(DEFAULT_INTERVAL).max(0.0),
            backoff: number(rule, "multiplier").unwrap_or(DEFAULT_MULTIPLIER).max(0.0),
            max_interval: Some(number(rule, "maxIntervalSeconds").unwrap_or(DEFAULT_MAX_INTERVAL)),
        })
        .collect();
    let catch = flow
        .list(node, "catch")
        .into_iter()
        .map(|rule| CatchRule {
            errors: cx.str_list(rule, "errors"),
            next: flow.get_str(rule, "goto").map_or(Target::Missing, |(g, _)| target(by_name, g)),
            output: None,
        })
        .collect();
    let mapping = |key: &str, place| flow.get(node, key).map(|_| mappings(cx, node, key, place));
    StateDef {
        name,
        kind,
        scope,
        span: node.range(),
        range: cx.range(node.range()),
        next,
        input: mapping("inputMappings", Place::InputMapping { flow_level: false }),
        output: mapping("outputMappings", Place::OutputMapping { flow_level: false }),
        global: None,
        retry,
        catch,
        error_mappings: mapping("errorMappings", Place::ErrorMapping),
    }
}

fn task(cx: &Lowering<'_, '_>, node: Node<'_>) -> TaskDef {
    let flow = cx.flow;
    let mode = match flow.get_str(node, "pattern").and_then(|(p, _)| Pattern::parse(p)) {
        Some(Pattern::Sync) => Mode::SystemCallback,
        Some(Pattern::WaitForCallback) => Mode::CustomCallback,
        _ => Mode::Request,
    };
    let (action, integration, integration_action) = match flow.get_str(node, "action") {
        Some((action, _)) => {
            let integration = if action.trim().eq_ignore_ascii_case("fnf:StartExecution") {
                Integration::StartExecutionApi
            } else {
                Integration::Api
            };
            (action.to_string(), integration, action.to_string())
        }
        None => {
            let arn = flow.get_str(node, "resourceArn").map_or("", |(a, _)| a);
            let (integration, name) = match classify_resource_arn(arn) {
                Ok(ArnTarget::Flow { name, .. }) => {
                    (Integration::SubFlow { name: Some(Arc::from(name.as_str())) }, "FNF:StartExecution")
                }
                Ok(ArnTarget::MnsQueue { .. }) => (Integration::MessageQueue, "MNS:SendMessage"),
                Ok(ArnTarget::MnsTopic { .. }) => (Integration::Topic, "MNS:PublishMessage"),
                // Functions, and ARNs a deploy tool fills in (`!Ref Service/Function`).
                _ => (Integration::Function, "FC:InvokeFunction"),
            };
            (arn.to_string(), integration, name.to_string())
        }
    };
    TaskDef {
        action: Arc::from(action),
        integration_action: Arc::from(integration_action),
        integration,
        mode,
        parameters: flow.get(node, "serviceParams").map(|e| service_params(cx, e.value, 0)),
        timeout: flow.get(node, "timeoutSeconds").and_then(|e| cx.number(e.value)).filter(|t| *t > 0.0),
    }
}

fn wait(cx: &Lowering<'_, '_>, node: Node<'_>) -> WaitDef {
    let flow = cx.flow;
    let path = |text: &str| text.trim_start().starts_with('$');
    if let Some(e) = flow.get(node, "duration") {
        let value = flow.resolve(e.value);
        return match value.scalar() {
            Some(t) if path(t) => WaitDef::SecondsExpr(Box::new(cx.expr(value, Place::WaitDuration))),
            _ => cx.number(value).map_or(WaitDef::Missing, WaitDef::Seconds),
        };
    }
    if let Some((t, value)) = flow.get_str(node, "timestamp") {
        return if path(t) {
            WaitDef::TimestampExpr(Box::new(cx.expr(value, Place::WaitTimestamp)))
        } else {
            WaitDef::Timestamp(Arc::from(t))
        };
    }
    WaitDef::Missing
}

/// `inputMappings` / `outputMappings` / `errorMappings`: `{target, source}` entries.
fn mappings(cx: &Lowering<'_, '_>, owner: Node<'_>, key: &str, place: Place) -> Template {
    let flow = cx.flow;
    let mut entries: Vec<(Arc<str>, Template)> = Vec::new();
    for m in flow.list(owner, key) {
        let Some((name, _)) = flow.get_str(m, "target") else { continue };
        let source = flow.get(m, "source").map(|e| flow.resolve(e.value));
        let value = match source {
            Some(s) if is_path(s) => Template::Expr(Box::new(cx.expr(s, place))),
            Some(s) => Template::Const(Data::new(cx.json(s))),
            None => Template::Const(Data::new(serde_json::Value::Null)),
        };
        entries.retain(|(k, _)| &**k != name);
        entries.push((Arc::from(name), value));
    }
    Template::object(entries)
}

/// A value that is a `$`-path (the docs: sources not starting with `$input`, `$local` or
/// `$context` are constants; `$` and `$.x` read the step's input).
fn is_path(node: Node<'_>) -> bool {
    node.kind() == NodeKind::Scalar
        && node.tag().is_none_or(|(t, _)| t.starts_with("!!"))
        && !node.is_missing()
        && node.scalar().is_some_and(|v| v.trim_start().starts_with('$'))
}

fn service_params(cx: &Lowering<'_, '_>, node: Node<'_>, depth: usize) -> Template {
    let flow = cx.flow;
    let node = flow.resolve(node);
    if depth > 64 {
        return Template::Const(Data::new(serde_json::Value::Null));
    }
    match node.kind() {
        NodeKind::Mapping => Template::object(
            flow.entries(node)
                .into_iter()
                .filter_map(|e| {
                    let key = flow.resolve(e.key).scalar()?;
                    Some((Arc::from(key), service_params(cx, e.value, depth + 1)))
                })
                .collect(),
        ),
        NodeKind::Sequence => {
            Template::array(node.items().map(|n| service_params(cx, n, depth + 1)).collect())
        }
        _ if is_path(node) => Template::Expr(Box::new(cx.expr(node, Place::ServiceParams))),
        _ => Template::Const(Data::new(cx.json(node))),
    }
}
