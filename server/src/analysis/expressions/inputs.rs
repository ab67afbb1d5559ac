//! What an expression can see: its context, with the fields of `$Input` inferred from
//! the states that lead to it (their constructors, outputs and mappings).

use fdl_schema::Dialect;

use super::sites::Site;
use crate::analysis::model::{Flow, State, TransitionKind};
use crate::expr::{ExprContext, Field, Place};
use crate::syntax::{Node, NodeKind};

/// The context of an expression at a site, with the fields of `$Input` inferred from the
/// flow where possible.
pub fn context_for(flow: &Flow<'_>, site: &Site<'_>) -> ExprContext {
    context_with(flow, site, None)
}

/// Which top-level states may lead to a state of a given name: indices in the top-level
/// list, in order, a superset of those that do (each is checked). `None` when not known:
/// then the scope is searched. An editor keeps this per document snapshot, so that a
/// completion after `$Input.` in a flow of thousands of states does not read them all.
pub type Leaders<'x> = &'x dyn Fn(&str) -> Option<Vec<usize>>;

/// [`context_for`], with the states that lead to a top-level state looked up in `leaders`.
pub fn context_with(flow: &Flow<'_>, site: &Site<'_>, leaders: Option<Leaders<'_>>) -> ExprContext {
    let mut ctx = ExprContext::new(flow.dialect(), site.place);
    if let Some(state) = site.state {
        ctx.input_fields = match flow.dialect() {
            Dialect::CloudFlow => cloudflow_input(flow, state, site.place, leaders),
            Dialect::Legacy => legacy_input(flow, state, site.place),
        };
    }
    ctx
}

/// Keys a constructor writes, with nested mappings as children.
fn constructor_fields(flow: &Flow<'_>, node: Node<'_>, origin: &str, depth: usize) -> Vec<Field> {
    let node = flow.resolve(node);
    let mut fields = Vec::new();
    for e in flow.entries(node) {
        let Some(key) = e.key.scalar() else { continue };
        let (name, dynamic) = match key.strip_suffix(".$") {
            Some(base) => (base, true),
            None => (key, false),
        };
        let children = if !dynamic && depth < 8 && flow.resolve(e.value).kind() == NodeKind::Mapping {
            constructor_fields(flow, e.value, origin, depth + 1)
        } else {
            Vec::new()
        };
        if !fields.iter().any(|f: &Field| f.name == name) {
            fields.push(Field { name: name.to_string(), origin: origin.to_string(), children });
        }
    }
    fields
}

fn state_name(flow: &Flow<'_>, node: Node<'_>) -> String {
    flow.get_str(
        node,
        match flow.dialect() {
            Dialect::CloudFlow => "Name",
            Dialect::Legacy => "name",
        },
    )
    .map_or_else(|| "?".to_string(), |(n, _)| n.to_string())
}

fn cloudflow_input(
    flow: &Flow<'_>,
    state: Node<'_>,
    place: Place,
    leaders: Option<Leaders<'_>>,
) -> Vec<Field> {
    if place != Place::InputConstructor
        && let Some(e) = flow.get(state, "InputConstructor")
    {
        let origin = format!("InputConstructor of `{}`", state_name(flow, state));
        return constructor_fields(flow, e.value, &origin, 0);
    }
    incoming(flow, state, 0, leaders)
}

/// What the states that lead to `state` output, merged.
fn incoming(flow: &Flow<'_>, state: Node<'_>, depth: usize, leaders: Option<Leaders<'_>>) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    if depth > 6 {
        return fields;
    }
    let name = state_name(flow, state);
    // The scopes around the state, found by halving: not every scope of a big flow.
    for scope in flow.scopes_holding(state) {
        if scope.index_of(state).is_none() {
            continue;
        }
        let known = leaders.filter(|_| scope.is_top()).and_then(|l| l(&name));
        let states = match known {
            Some(indices) => indices.into_iter().filter_map(|i| scope.state_at(i)).collect(),
            None => scope.states(),
        };
        for pred in states.iter().filter(|s| s.leads_to(&name)) {
            for t in pred.transitions() {
                if t.target != name {
                    continue;
                }
                let more = if t.kind == TransitionKind::Catch {
                    catch_output(flow, pred, &name)
                } else {
                    output_fields(flow, pred, depth, leaders)
                };
                for f in more {
                    if !fields.iter().any(|g| g.name == f.name) {
                        fields.push(f);
                    }
                }
            }
        }
    }
    fields
}

fn catch_output(flow: &Flow<'_>, pred: &State<'_, '_>, target: &str) -> Vec<Field> {
    for rule in flow.list(pred.node, "Catch") {
        if flow.get_str(rule, "Next").is_some_and(|(n, _)| n == target)
            && let Some(e) = flow.get(rule, "OutputConstructor")
        {
            let origin = format!("Catch OutputConstructor of `{}`", state_name(flow, pred.node));
            return constructor_fields(flow, e.value, &origin, 0);
        }
    }
    Vec::new()
}

fn output_fields(
    flow: &Flow<'_>,
    state: &State<'_, '_>,
    depth: usize,
    leaders: Option<Leaders<'_>>,
) -> Vec<Field> {
    let name = state_name(flow, state.node);
    if let Some(e) = state.get("OutputConstructor") {
        return constructor_fields(flow, e.value, &format!("OutputConstructor of `{name}`"), 0);
    }
    let field = |n: String, what: &str| Field {
        name: n,
        origin: format!("{what} of `{name}`"),
        children: Vec::new(),
    };
    match state.ty().map(|(t, _)| t) {
        Some("Parallel") => {
            let n = flow.list(state.node, "Branches").len();
            (0..n).map(|i| field(format!("Branch{i}"), "the branch results")).collect()
        }
        Some("Map") => vec![field("Items".to_string(), "the results")],
        // These pass their input on.
        Some("Pass" | "Wait" | "Choice") => match state.get("InputConstructor") {
            Some(e) => constructor_fields(flow, e.value, &format!("InputConstructor of `{name}`"), 0),
            None => incoming(flow, state.node, depth + 1, leaders),
        },
        _ => Vec::new(),
    }
}

fn legacy_input(flow: &Flow<'_>, step: Node<'_>, place: Place) -> Vec<Field> {
    let targets = |owner: Node<'_>, key: &str, origin: &str| -> Vec<Field> {
        flow.list(owner, key)
            .into_iter()
            .filter_map(|m| flow.get_str(m, "target"))
            .map(|(t, _)| Field { name: t.to_string(), origin: origin.to_string(), children: Vec::new() })
            .collect()
    };
    if matches!(place, Place::InputMapping { .. }) {
        return Vec::new();
    }
    let name = state_name(flow, step);
    if flow.get(step, "inputMappings").is_some() {
        return targets(step, "inputMappings", &format!("inputMappings of `{name}`"));
    }
    // Without inputMappings a step sees the parent's input merged with the outputs of the
    // steps before it.
    let mut fields: Vec<Field> = Vec::new();
    for scope in flow.scopes_around(step) {
        let states = scope.states();
        let Some(i) = states.iter().position(|s| s.node.same(step)) else { continue };
        for prev in &states[..i] {
            let origin = format!("outputMappings of `{}`", state_name(flow, prev.node));
            for f in targets(prev.node, "outputMappings", &origin) {
                if !fields.iter().any(|g| g.name == f.name) {
                    fields.push(f);
                }
            }
        }
    }
    fields
}
