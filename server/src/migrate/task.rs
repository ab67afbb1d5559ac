//! Task steps: the legacy target (`resourceArn` of a function, a flow, an MNS queue or
//! topic; or `action: svc:Api`) as a CloudFlow `Action` with its `Parameters`, `pattern`
//! as `TaskMode`, and the result as the legacy step saw it.

use fdl_schema::integrations::{ArnTarget, Pattern, classify_resource_arn};
use serde_json::Value as Json;

use super::build::{Builder, Scope, StepCx};
use super::data::{Out, Val, local_after};
use super::rewrite::{self, Local, Vars, member, var};
use super::steps::{input_reads, sources};
use super::yaml::{Entry, Yaml};
use super::{Origin, TaskResult};
use crate::analysis::model::State;
use crate::expr::{Expr, printer};
use crate::syntax::Node;

/// The call a task makes.
struct Call {
    action: String,
    params: Vec<Entry>,
    /// The legacy `$local` (the result) as the CloudFlow result gives it.
    result: Expr,
    in_body: bool,
}

pub(super) fn task<'f, 'a>(
    b: &mut Builder<'f, 'a>,
    scope: &mut Scope,
    step: &State<'f, 'a>,
    cx: &StepCx<'_>,
) {
    let flow = b.flow;
    let node = step.node;
    let name = cx.name.clone();
    let before = b.state_comments(step);
    let params = flow.get(node, "serviceParams").map(|e| flow.resolve(e.value));
    // A function's event is the step input, and so is a child flow's input unless a
    // parameter gives one.
    let sends_input = match flow.get_str(node, "action") {
        Some((a, _)) => a.trim().eq_ignore_ascii_case("fnf:StartExecution"),
        None => !flow.get_str(node, "resourceArn").is_some_and(|(a, _)| a.contains(":mns:")),
    };
    let given_input = params.is_some_and(|p| flow.get(p, "Input").is_some());
    let mut reads = usize::from(sends_input && !given_input) + params.map_or(0, |p| input_reads(b, &[p]));
    reads += input_reads(b, &sources(b, node, "outputMappings"));
    reads += input_reads(b, &sources(b, node, "errorMappings"));
    let side = b.input_side(step, cx, reads);
    let pattern = flow.get_str(node, "pattern").and_then(|(p, _)| Pattern::parse(p));
    let call = call(b, step, cx, &side.si, params, pattern);
    let out = b.output_of(step, &side.si, Local::Value(call.result.clone()), &name);
    let out = match out {
        Out::Nothing => Out::Value(call.result.clone(), None),
        other => other,
    };
    let retry = b.retry(step, &name);
    let catch = b.catch(step, cx, &side.si);
    let mut entries = b.head(step, "Task", &name);
    let mut action = Entry::text("Action", &call.action);
    let target_key = if flow.get(node, "action").is_some() { "action" } else { "resourceArn" };
    (action.before, action.trailing) = b.key_comments(node, target_key);
    entries.push(action);
    if let Some(mode) = pattern.and_then(task_mode) {
        let mut e = Entry::text("TaskMode", mode);
        (e.before, e.trailing) = b.key_comments(node, "pattern");
        entries.push(e);
    }
    if !side.ic.is_empty() {
        let mut ic = Entry::new("InputConstructor", Yaml::map(side.ic));
        (ic.before, ic.trailing) = b.key_comments(node, "inputMappings");
        entries.push(ic);
    }
    let mut parameters = Entry::new("Parameters", Yaml::map(call.params));
    (parameters.before, parameters.trailing) = b.key_comments(node, "serviceParams");
    entries.push(parameters);
    let local = local_after(member(var("$Input"), "local"), side.known.as_deref(), out);
    let mut oc =
        Entry::new("OutputConstructor", Yaml::map(b.hand_on(cx.frame, &cx.exit, var("$Input"), local)));
    (oc.before, oc.trailing) = b.key_comments(node, "outputMappings");
    entries.push(oc);
    if let Some(e) = flow.get(node, "timeoutSeconds") {
        let value = crate::dryrun::literal::to_json(flow, e.value);
        let mut timeout = Entry::new("Timeout", Yaml::json(&value));
        (timeout.before, timeout.trailing) = b.key_comments(node, "timeoutSeconds");
        entries.push(timeout);
    }
    entries.extend(retry);
    entries.extend(catch);
    entries.push(Builder::transition(&cx.exit));
    let legacy = step.name().map(|(n, _)| n.to_string());
    let shape = if call.in_body { TaskResult::InBody } else { TaskResult::Same };
    b.push_state(scope, before, entries, Origin { name, legacy, task: Some(shape) });
}

fn task_mode(pattern: Pattern) -> Option<&'static str> {
    match pattern {
        Pattern::RequestResponse => None,
        Pattern::Sync => Some("WaitForSystemCallback"),
        Pattern::WaitForCallback => Some("WaitForCustomCallback"),
    }
}

fn call(
    b: &mut Builder<'_, '_>,
    step: &State<'_, '_>,
    cx: &StepCx<'_>,
    si: &Expr,
    params: Option<Node<'_>>,
    pattern: Option<Pattern>,
) -> Call {
    let flow = b.flow;
    let node = step.node;
    let vars = Vars { input: si.clone(), local: Local::Empty, names: b.names() };
    // serviceParams by name, each as a constant or an expression.
    let mut given: Vec<(String, Node<'_>)> = Vec::new();
    if let Some(p) = params {
        for e in flow.entries(p) {
            if let Some(k) = flow.resolve(e.key).scalar() {
                given.push((k.to_string(), e.value));
            }
        }
    }
    let mut take = |key: &str| -> Option<Node<'_>> {
        let i = given.iter().position(|(k, _)| k == key)?;
        Some(given.remove(i).1)
    };
    let callback = pattern == Some(Pattern::WaitForCallback);
    if let Some((action, action_node)) = flow.get_str(node, "action") {
        let action = action.trim();
        if action.eq_ignore_ascii_case("fnf:StartExecution") {
            let mut out = Vec::new();
            match take("FlowName") {
                Some(n) => match b.param_val(n, &vars, &cx.name) {
                    Val::Const(Json::String(f)) => {
                        out.push(Entry::text("resourceArn", &format!("acs:fnf:::flow/{f}")))
                    }
                    Val::Const(other) => {
                        out.push(Entry::text("resourceArn", &format!("acs:fnf:::flow/{other}")))
                    }
                    Val::Expr(e) => {
                        let arn = rewrite::call("format", vec![rewrite::string("acs:fnf:::flow/{}"), e]);
                        out.push(Entry::text("resourceArn.$", &printer::print(&arn)));
                    }
                },
                None => {
                    let message = "`fnf:StartExecution` without `FlowName`: the flow to start is unknown; give `resourceArn`".to_string();
                    let comment = b.note("subflow-name", message, action_node.range(), Some(&cx.name));
                    b.here.push(comment);
                }
            }
            child_params(b, &mut take, &vars, cx, si, &mut out);
            rest(b, given, "FNF:StartExecution", &vars, cx, &mut out);
            return Call {
                action: "FNF:StartExecution".into(),
                params: out,
                result: var("$Output"),
                in_body: false,
            };
        }
        // A normal integration: the OpenAPI operation with its own parameter names.
        let mut out = Vec::new();
        for (key, value) in given {
            out.push(param_entry(b, &key, value, &vars, &cx.name));
        }
        return Call { action: action.to_string(), params: out, result: var("$Output"), in_body: false };
    }
    let (arn_text, arn_node) = match flow.get(node, "resourceArn") {
        Some(e) => (flow.resolve(e.value).scalar().unwrap_or(""), Some(flow.resolve(e.value))),
        None => ("", None),
    };
    let arn_entry = || match arn_node {
        // A Funcraft `!Ref`, kept for the deploy tool to fill in.
        Some(n) if n.tag().is_some_and(|(t, _)| !t.starts_with("!!")) => {
            let tag = n.tag().map(|(t, _)| t).unwrap_or_default();
            Entry::new("resourceArn", Yaml::Scalar(format!("{tag} {}", super::yaml::scalar(arn_text))))
        }
        _ => Entry::text("resourceArn", arn_text),
    };
    let mut out = vec![arn_entry()];
    match classify_resource_arn(arn_text) {
        Ok(ArnTarget::Flow { .. }) => {
            child_params(b, &mut take, &vars, cx, si, &mut out);
            rest(b, given, "FNF:StartExecution", &vars, cx, &mut out);
            Call { action: "FNF:StartExecution".into(), params: out, result: var("$Output"), in_body: false }
        }
        Ok(target @ (ArnTarget::MnsQueue { .. } | ArnTarget::MnsTopic { .. })) => {
            let topic = matches!(target, ArnTarget::MnsTopic { .. });
            let mut pairs =
                vec![("MessageBody", "message"), ("Priority", "priority"), ("DelaySeconds", "delaySeconds")];
            if topic {
                pairs.extend([("MessageTag", "messageTag"), ("MessageAttributes", "messageAttributes")]);
            }
            for (legacy, new) in pairs {
                if let Some(value) = take(legacy) {
                    out.push(param_entry(b, new, value, &vars, &cx.name));
                }
            }
            rest(b, given, "MNS:SendMessage", &vars, cx, &mut out);
            Call { action: "MNS:SendMessage".into(), params: out, result: var("$Output"), in_body: false }
        }
        // Functions, and ARNs a deploy tool fills in.
        _ => {
            let invocation = match take("InvocationType").map(|n| crate::dryrun::literal::to_json(flow, n)) {
                Some(Json::String(s)) if s.eq_ignore_ascii_case("async") => "Async",
                Some(Json::String(s)) if s.eq_ignore_ascii_case("sync") => "Sync",
                _ if pattern == Some(Pattern::Sync) => "Async",
                _ => "Sync",
            };
            let invocation = if pattern == Some(Pattern::Sync) && invocation == "Sync" {
                let message = "`pattern: sync` waits for an asynchronous invocation; CloudFlow's WaitForSystemCallback needs `invocationType: Async`, which this uses instead of the legacy `InvocationType: Sync`".to_string();
                let comment = b.note("invocation-type", message, node.range(), Some(&cx.name));
                b.here.push(comment);
                "Async"
            } else {
                invocation
            };
            out.push(Entry::text("invocationType", invocation));
            out.push(Entry::text("body.$", &printer::print(si)));
            rest(b, given, "FC:InvokeFunction", &vars, cx, &mut out);
            // CloudFlow gives the function's return value under `Body`; a callback reports
            // the output itself.
            let (result, in_body) =
                if callback { (var("$Output"), false) } else { (member(var("$Output"), "Body"), true) };
            Call { action: "FC:InvokeFunction".into(), params: out, result, in_body }
        }
    }
}

/// `Input` and `ExecutionName` of a child flow as `input` and `executionName`.
fn child_params<'n>(
    b: &mut Builder<'_, '_>,
    take: &mut impl FnMut(&str) -> Option<Node<'n>>,
    vars: &Vars,
    cx: &StepCx<'_>,
    si: &Expr,
    out: &mut Vec<Entry>,
) {
    if let Some(n) = take("ExecutionName") {
        out.push(param_entry(b, "executionName", n, vars, &cx.name));
    }
    match take("Input") {
        Some(n) => {
            match b.param_val(n, vars, &cx.name) {
                // The legacy API takes the input as JSON text.
                Val::Const(Json::String(s)) => match serde_json::from_str::<Json>(&s) {
                    Ok(v) => out.push(Entry::new("input", Yaml::json(&v))),
                    Err(_) => {
                        let message = "the child flow's `Input` is text that is not JSON; CloudFlow's `input` is an object".to_string();
                        let comment = b.note("subflow-input", message, n.range(), Some(&cx.name));
                        b.here.push(comment);
                        out.push(Entry::text("input", &s));
                    }
                },
                Val::Const(v) => out.push(Entry::new("input", Yaml::json(&v))),
                Val::Expr(e) => out.push(Entry::text("input.$", &printer::print(&e))),
            }
        }
        // Without `Input` the child gets the step's input.
        None => out.push(Entry::text("input.$", &printer::print(si))),
    }
}

/// A parameter as `key: constant` or `key.$: expression` (nested mappings keep their
/// shape, with `.$` on the keys whose values are paths).
fn param_entry(b: &mut Builder<'_, '_>, key: &str, node: Node<'_>, vars: &Vars, state: &str) -> Entry {
    let flow = b.flow;
    let node = flow.resolve(node);
    let mut entry = match node.kind() {
        crate::syntax::NodeKind::Mapping => {
            let mut inner = Vec::new();
            for e in flow.entries(node) {
                if let Some(k) = flow.resolve(e.key).scalar() {
                    inner.push(param_entry(b, k, e.value, vars, state));
                }
            }
            Entry::new(key, Yaml::map(inner))
        }
        _ => match b.param_val(node, vars, state) {
            Val::Const(v) => Entry::new(key, Yaml::json(&v)),
            Val::Expr(e) => Entry::text(format!("{key}.$"), &printer::print(&e)),
        },
    };
    entry.trailing = b.comments.after(b.line(node.range().start));
    entry
}

/// serviceParams the CloudFlow integration does not document: kept, with a note.
fn rest(
    b: &mut Builder<'_, '_>,
    given: Vec<(String, Node<'_>)>,
    action: &str,
    vars: &Vars,
    cx: &StepCx<'_>,
    out: &mut Vec<Entry>,
) {
    for (key, value) in given {
        let message = format!(
            "`{key}` has no documented counterpart among the parameters of CloudFlow's `{action}`; it was kept as it is: check it"
        );
        let comment = b.note("parameter", message, value.range(), Some(&cx.name));
        b.here.push(comment);
        out.push(param_entry(b, &key, value, vars, &cx.name));
    }
}
