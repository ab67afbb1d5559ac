//! CloudFlow (`Type: StateMachine`) to a program.

use std::sync::Arc;

use fdl_schema::Dialect;
use fdl_schema::integrations::{IntegrationKind, TaskMode, supported_task_modes};

use super::{Lowering, ScopeStates, target};
use crate::analysis::expressions::looks_like_expression;
use crate::analysis::model::{Scope, State};
use crate::dryrun::data::Data;
use crate::dryrun::program::*;
use crate::expr::Place;
use crate::syntax::{Node, NodeKind};

pub(super) fn lower(cx: &mut Lowering<'_, '_>) -> Program {
    let flow = cx.flow;
    let top = flow.top_scope();
    lower_scope(cx, &top, None);
    let name = flow.get_str(flow.root(), "Name").map(|(n, _)| Arc::from(n));
    let timeout = flow.get(flow.root(), "Timeout").and_then(|e| cx.number(e.value)).filter(|t| *t > 0.0);
    cx.finish(Dialect::CloudFlow, |p| {
        p.name = name;
        p.timeout = timeout;
    })
}

fn lower_scope<'f, 'a>(cx: &mut Lowering<'f, 'a>, scope: &Scope<'f, 'a>, owner: Option<StateId>) -> ScopeId {
    let ScopeStates { id, states, by_name } = cx.open_scope(scope, owner);
    cx.scopes[id as usize].start = match scope.start_at() {
        Some((name, _)) => target(&by_name, name),
        None => Target::Missing,
    };
    for (sid, state, name) in states {
        let def = lower_state(cx, id, sid, &state, name, &by_name);
        cx.states[sid as usize] = Some(def);
    }
    id
}

fn lower_state<'f, 'a>(
    cx: &mut Lowering<'f, 'a>,
    scope: ScopeId,
    sid: StateId,
    state: &State<'f, 'a>,
    name: Arc<str>,
    by_name: &std::collections::HashMap<Arc<str>, StateId>,
) -> StateDef {
    let flow = cx.flow;
    let node = state.node;
    let ty = state.ty().map(|(t, _)| t);
    let kind = match ty {
        Some("Pass") => Kind::Pass,
        Some("Task") => Kind::Task(Box::new(task(cx, node))),
        Some("Wait") => Kind::Wait(wait(cx, node)),
        Some("Choice") => Kind::Choice(choice(cx, node, by_name)),
        Some("Parallel") => {
            let branches = state.child_scopes();
            Kind::Parallel(branches.iter().map(|b| lower_scope(cx, b, Some(sid))).collect())
        }
        Some("Map") => Kind::Map(Box::new(map(cx, state, sid))),
        Some("Succeed") => Kind::Succeed,
        Some("Fail") => Kind::Fail {
            code: Arc::from(flow.get_str(node, "Code").map_or("", |(c, _)| c)),
            detail: Arc::from(flow.get_str(node, "Detail").map_or("", |(d, _)| d)),
        },
        Some(other) => Kind::Invalid(Arc::from(format!("`{other}` is not a state type"))),
        None => Kind::Invalid(Arc::from("the state has no `Type`")),
    };
    let next = if state.is_terminal() {
        Target::End
    } else {
        match flow.get_str(node, "Next") {
            Some((n, _)) if !n.is_empty() => target(by_name, n),
            _ => Target::Missing,
        }
    };
    let template = |cx: &Lowering<'_, '_>, key: &str, place| {
        flow.get(node, key).map(|e| constructor(cx, e.value, place))
    };
    let retry = flow
        .list(node, "Retry")
        .into_iter()
        .map(|rule| RetryRule {
            errors: cx.str_list(rule, "Errors"),
            max_attempts: flow
                .get(rule, "MaxAttempts")
                .and_then(|e| cx.number(e.value))
                .map_or(0, |n| n.max(0.0) as u32),
            interval: flow
                .get(rule, "IntervalSeconds")
                .and_then(|e| cx.number(e.value))
                .unwrap_or(1.0)
                .max(0.0),
            backoff: flow.get(rule, "BackoffRate").and_then(|e| cx.number(e.value)).unwrap_or(1.0).max(0.0),
            max_interval: flow.get(rule, "MaxBackoffSeconds").and_then(|e| cx.number(e.value)),
        })
        .collect();
    let catch = flow
        .list(node, "Catch")
        .into_iter()
        .map(|rule| CatchRule {
            errors: cx.str_list(rule, "Errors"),
            next: flow.get_str(rule, "Next").map_or(Target::Missing, |(n, _)| target(by_name, n)),
            output: flow
                .get(rule, "OutputConstructor")
                .map(|e| constructor(cx, e.value, Place::CatchOutputConstructor)),
        })
        .collect();
    StateDef {
        name,
        kind,
        scope,
        span: node.range(),
        range: cx.range(node.range()),
        next,
        input: template(cx, "InputConstructor", Place::InputConstructor),
        output: template(cx, "OutputConstructor", Place::OutputConstructor),
        global: template(cx, "GlobalConstructor", Place::GlobalConstructor),
        retry,
        catch,
        error_mappings: None,
    }
}

fn task(cx: &Lowering<'_, '_>, node: Node<'_>) -> TaskDef {
    let flow = cx.flow;
    let action = flow.get_str(node, "Action").map_or("", |(a, _)| a);
    let modes = supported_task_modes(action);
    let params = flow.get(node, "Parameters");
    let arn = params.and_then(|p| flow.get_str(p.value, "resourceArn")).map(|(a, _)| a);
    let integration = match modes.kind {
        IntegrationKind::FunctionCompute => Integration::Function,
        IntegrationKind::ChildWorkflow => Integration::SubFlow { name: arn.and_then(flow_name_of_arn) },
        IntegrationKind::EventBridge => Integration::EventBridge,
        IntegrationKind::MessageQueue => Integration::MessageQueue,
        IntegrationKind::Http => Integration::Http,
        IntegrationKind::Sms => Integration::Sms,
        IntegrationKind::Oss => Integration::Oss,
        IntegrationKind::Normal if action.to_ascii_lowercase().starts_with("dashscope:") => {
            Integration::DashScope
        }
        IntegrationKind::Normal => Integration::Api,
    };
    let mode = match flow.get_str(node, "TaskMode").and_then(|(m, _)| TaskMode::parse(m)) {
        Some(TaskMode::WaitForSystemCallback) => Mode::SystemCallback,
        Some(TaskMode::WaitForCustomCallback) => Mode::CustomCallback,
        _ => Mode::Request,
    };
    TaskDef {
        action: Arc::from(action),
        integration_action: Arc::from(modes.canonical_action.unwrap_or(action)),
        integration,
        mode,
        parameters: params.map(|p| constructor(cx, p.value, Place::Parameters)),
        timeout: flow.get(node, "Timeout").and_then(|e| cx.number(e.value)).filter(|t| *t > 0.0),
    }
}

/// `acs:fnf:{region}:{account}:flow/{name}` → `name`, when written as a constant.
pub(crate) fn flow_name_of_arn(arn: &str) -> Option<Arc<str>> {
    let (_, name) = arn.trim().rsplit_once(":flow/")?;
    let name = name.trim_matches('/');
    (!name.is_empty() && !name.contains(char::is_whitespace)).then(|| Arc::from(name))
}

fn wait(cx: &Lowering<'_, '_>, node: Node<'_>) -> WaitDef {
    let flow = cx.flow;
    if let Some(e) = flow.get(node, "Seconds") {
        return cx.number(e.value).map_or(WaitDef::Missing, WaitDef::Seconds);
    }
    if let Some(e) = flow.get(node, "Seconds.$") {
        return WaitDef::SecondsExpr(Box::new(cx.expr(e.value, Place::StateField)));
    }
    // Obsolete (Dec 2023 docs), still run: a time, or `$Input.x` giving one.
    if let Some((t, value)) = flow.get_str(node, "UntilDateTime") {
        return if t.trim_start().starts_with('$') {
            WaitDef::TimestampExpr(Box::new(cx.expr(value, Place::StateField)))
        } else {
            WaitDef::Timestamp(Arc::from(t))
        };
    }
    WaitDef::Missing
}

fn choice(
    cx: &Lowering<'_, '_>,
    node: Node<'_>,
    by_name: &std::collections::HashMap<Arc<str>, StateId>,
) -> ChoiceDef {
    let flow = cx.flow;
    let branches = flow
        .list(node, "Branches")
        .into_iter()
        .map(|b| ChoiceBranch {
            condition: match flow.get(b, "Condition") {
                Some(e) => cx.expr(e.value, Place::Condition),
                None => super::compile_expr("", b.range(), Dialect::CloudFlow, Place::Condition),
            },
            next: flow.get_str(b, "Next").map_or(Target::Missing, |(n, _)| target(by_name, n)),
            steps: None,
        })
        .collect();
    let default =
        flow.get_str(node, "Default").map(|(n, _)| ChoiceDefault { next: target(by_name, n), steps: None });
    ChoiceDef { branches, default }
}

fn map<'f, 'a>(cx: &mut Lowering<'f, 'a>, state: &State<'f, 'a>, sid: StateId) -> MapDef {
    let flow = cx.flow;
    let node = state.node;
    let processor = state.child_scopes().first().map(|s| lower_scope(cx, s, Some(sid)));
    let concurrency = ["MaxConcurrency", "MaxConcuccency"]
        .iter()
        .find_map(|k| flow.get(node, k))
        .and_then(|e| cx.number(e.value))
        .map_or(0, |n| n.max(0.0) as usize);
    let distributed = ["ProcessorConfig", "ItemReader", "ItemBatcher", "ResultWriter", "ItemConstructor"]
        .iter()
        .any(|k| flow.get(node, k).is_some());
    MapDef {
        items: flow.get(node, "ItemsPath").map(|e| cx.expr(e.value, Place::ItemsPath)),
        item_constructor: flow
            .get(node, "ItemConstructor")
            .map(|e| constructor(cx, e.value, Place::ItemConstructor)),
        processor,
        max_concurrency: concurrency,
        distributed,
    }
}

/// A constructor or Parameters mapping: `key.$` values are expressions, other values are
/// literal, at any depth (lists included).
pub(super) fn constructor(cx: &Lowering<'_, '_>, node: Node<'_>, place: Place) -> Template {
    build(cx, node, place, 0)
}

fn build(cx: &Lowering<'_, '_>, node: Node<'_>, place: Place, depth: usize) -> Template {
    let flow = cx.flow;
    let node = flow.resolve(node);
    if depth > 64 {
        return Template::Const(Data::new(serde_json::Value::Null));
    }
    match node.kind() {
        NodeKind::Mapping => {
            let mut entries = Vec::new();
            for e in flow.entries(node) {
                let Some(key) = flow.resolve(e.key).scalar() else { continue };
                let value: (Arc<str>, Template) = match key.strip_suffix(".$") {
                    Some(base) => (Arc::from(base), dollar_value(cx, e.value, place, depth + 1)),
                    None => (Arc::from(key), build(cx, e.value, place, depth + 1)),
                };
                // A later `key.$` and `key` both write `key`; the last one wins, as in JSON.
                entries.retain(|(k, _)| *k != value.0);
                entries.push(value);
            }
            Template::object(entries)
        }
        NodeKind::Sequence => Template::array(node.items().map(|n| build(cx, n, place, depth + 1)).collect()),
        _ => Template::Const(Data::new(cx.json(node))),
    }
}

/// The value of a `key.$`: an expression; under a mapping or list (undocumented, see the
/// `dollar-key-object` assumption) the leaves that look like expressions are evaluated.
fn dollar_value(cx: &Lowering<'_, '_>, node: Node<'_>, place: Place, depth: usize) -> Template {
    let node = cx.flow.resolve(node);
    if node.kind() == NodeKind::Scalar {
        Template::Expr(Box::new(cx.expr(node, place)))
    } else {
        nested(cx, node, place, depth)
    }
}

fn nested(cx: &Lowering<'_, '_>, node: Node<'_>, place: Place, depth: usize) -> Template {
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
                    let key = key.strip_suffix(".$").unwrap_or(key);
                    Some((Arc::from(key), nested(cx, e.value, place, depth + 1)))
                })
                .collect(),
        ),
        NodeKind::Sequence => {
            Template::array(node.items().map(|n| nested(cx, n, place, depth + 1)).collect())
        }
        _ => match node.scalar() {
            Some(text) if node.tag().is_none() && looks_like_expression(text) => {
                Template::Expr(Box::new(cx.expr(node, place)))
            }
            _ => Template::Const(Data::new(cx.json(node))),
        },
    }
}
