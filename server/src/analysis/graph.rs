//! The state graph: names and references per scope, reachability, transitions.
//!
//! CloudFlow: every `States` list is a scope with its own `StartAt` (top level, each
//! Parallel branch, each Map Processor); `Next`, `Default`, Choice branch `Next` and Catch
//! `Next` name a state of the same scope. Legacy: every `steps` list is a scope run in
//! order; `goto` names a sibling step.

use std::collections::HashMap;

use fdl_schema::Dialect;

use super::context::Ctx;
use super::keys::parse_bool;
use super::names::did_you_mean;
use super::states::{name_key, type_key};
use super::{Code, Diagnostic, Severity};
use crate::syntax::{Node, NodeKind, TextRange};

/// A state of a scope and what it says about control flow.
struct StateInfo<'a> {
    node: Node<'a>,
    name: Option<(&'a str, Node<'a>)>,
    ty: Option<&'a str>,
    /// Transitions out of the state: (target name, the node that names it).
    targets: Vec<(&'a str, Node<'a>)>,
}

pub(crate) fn check<'a>(cx: &mut Ctx<'a>, root: Node<'a>) {
    match cx.dialect {
        Dialect::CloudFlow => cloudflow_scope(cx, root, "the flow"),
        Dialect::Legacy => {
            if let Some(e) = cx.get(root, "steps") {
                legacy_scope(cx, e.value);
            }
        }
    }
}

fn states_of<'a>(cx: &Ctx<'a>, list: Node<'a>) -> Vec<StateInfo<'a>> {
    let list = cx.resolve(list);
    list.items()
        .map(|n| cx.resolve(n))
        .filter(|n| n.kind() == NodeKind::Mapping)
        .map(|node| {
            let name = cx.get_str(node, name_key(cx.dialect));
            let ty = cx.get_str(node, type_key(cx.dialect)).map(|(t, _)| t);
            StateInfo { node, name, ty, targets: Vec::new() }
        })
        .collect()
}

/// Checks names: duplicates in a scope. Returns name → index of its first state.
fn names<'a>(cx: &mut Ctx<'a>, states: &[StateInfo<'a>]) -> HashMap<&'a str, usize> {
    let mut map: HashMap<&'a str, usize> = HashMap::new();
    for (i, s) in states.iter().enumerate() {
        let Some((name, node)) = s.name else { continue };
        if let Some(&first) = map.get(name) {
            let line = states[first].name.map_or(0, |(_, n)| cx.text.line_of(n.range().start) + 1);
            cx.push(Diagnostic::error(
                Code::DuplicateStateName,
                node.value_range(),
                format!("another state of this scope is already named `{name}` (line {line}): transitions could not tell them apart"),
            ));
        } else {
            map.insert(name, i);
        }
    }
    map
}

/// Reports a reference to a state name that does not exist in the scope.
fn resolve_ref<'a>(
    cx: &mut Ctx<'a>,
    names: &HashMap<&'a str, usize>,
    target: &'a str,
    node: Node<'a>,
    what: &str,
) -> Option<usize> {
    if let Some(&i) = names.get(target) {
        return Some(i);
    }
    let range = node.value_range();
    let mut candidates: Vec<&str> = names.keys().copied().collect();
    candidates.sort_unstable();
    let suggestion = did_you_mean(target, candidates.iter().copied())
        .or_else(|| (candidates.len() == 1).then(|| candidates[0]));
    let mut message = format!("{what} `{target}` names no state of this scope");
    match suggestion {
        Some(s) => message.push_str(&format!(": did you mean `{s}`?")),
        None if !candidates.is_empty() => {
            let shown: Vec<String> = candidates.iter().take(8).map(|c| format!("`{c}`")).collect();
            message.push_str(&format!("; states here: {}", shown.join(", ")));
        }
        None => {}
    }
    let mut d = Diagnostic::error(Code::UnknownState, range, message);
    if let Some(s) = suggestion {
        d = d.with_fix(format!("Change to `{s}`"), range, yaml_plain_or_quoted(s));
    }
    cx.push(d);
    None
}

/// A state name as YAML needs it: plain when that parses back to the same string.
pub(crate) fn yaml_plain_or_quoted(name: &str) -> String {
    let risky = name.is_empty()
        || name.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        || name.ends_with(' ')
        || name.contains(": ")
        || name.contains(" #")
        || matches!(name, "true" | "false" | "null" | "~" | "yes" | "no")
        || name.parse::<f64>().is_ok();
    if risky { format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\"")) } else { name.to_string() }
}

fn cloudflow_scope<'a>(cx: &mut Ctx<'a>, owner: Node<'a>, label: &str) {
    let Some(list) = cx.get(owner, "States") else { return };
    let mut states = states_of(cx, list.value);
    let names = names(cx, &states);
    // Transitions and per-state transition rules.
    for s in states.iter_mut() {
        let node = s.node;
        let next = cx.get_str(node, "Next").filter(|(t, _)| !t.is_empty());
        let end = cx.get(node, "End");
        let end_true = end.and_then(|e| cx.resolve(e.value).scalar().and_then(parse_bool)) == Some(true);
        match s.ty {
            Some("Choice") => {
                if let Some((t, n)) = cx.get_str(node, "Default") {
                    s.targets.push((t, n));
                }
                if let Some(b) = cx.get(node, "Branches") {
                    for branch in cx.resolve(b.value).items() {
                        if let Some((t, n)) = cx.get_str(branch, "Next") {
                            s.targets.push((t, n));
                        }
                    }
                }
            }
            Some("Task" | "Pass" | "Wait" | "Parallel" | "Map") => {
                if let Some((t, n)) = next {
                    s.targets.push((t, n));
                }
                if next.is_some() && end_true {
                    let e = end.expect("end_true");
                    cx.push(Diagnostic::error(
                        Code::ConflictingTransition,
                        e.key.range().cover(e.value.range()),
                        "a state has either `Next` or `End: true`, not both",
                    ));
                } else if next.is_none() && !end_true {
                    let mut d = Diagnostic::error(
                        Code::MissingTransition,
                        super::keys::anchor_of(cx, node),
                        "this state needs `Next: <state>` or `End: true`: otherwise the flow cannot go on from it",
                    );
                    if let Some(fix) = add_key_fix(cx, node, "End: true") {
                        d.fixes.push(fix);
                    }
                    cx.push(d);
                }
            }
            _ => {}
        }
        if let Some(c) = cx.get(node, "Catch") {
            for rule in cx.resolve(c.value).items() {
                if let Some((t, n)) = cx.get_str(rule, "Next") {
                    s.targets.push((t, n));
                }
            }
        }
    }
    // References.
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
    for (i, s) in states.iter().enumerate() {
        for &(target, node) in &s.targets {
            if let Some(j) = resolve_ref(cx, &names, target, node, "transition") {
                edges[i].push(j);
            }
        }
    }
    let start = match cx.get_str(owner, "StartAt") {
        Some((t, n)) => resolve_ref(cx, &names, t, n, "StartAt"),
        None => None,
    };
    if let Some(start) = start {
        let mut seen = vec![false; states.len()];
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            stack.extend(edges[i].iter().copied());
        }
        for (i, s) in states.iter().enumerate() {
            if !seen[i] {
                let range =
                    s.name.map_or_else(|| super::keys::anchor_of(cx, s.node), |(_, n)| n.value_range());
                cx.push(Diagnostic::warning(
                    Code::UnreachableState,
                    range,
                    "no path from `StartAt` leads to this state: it never runs",
                ));
            }
        }
    }
    let terminal = states.iter().any(|s| {
        matches!(s.ty, Some("Succeed" | "Fail"))
            || cx.get(s.node, "End").and_then(|e| cx.resolve(e.value).scalar().and_then(parse_bool))
                == Some(true)
    });
    if !terminal && !states.is_empty() {
        cx.push(Diagnostic::error(
            Code::NoTerminalState,
            list.key.range(),
            format!(
                "no state of {label} ends it (`End: true`, Succeed or Fail): an execution could never finish"
            ),
        ));
    }
    // Nested scopes.
    for s in &states {
        match s.ty {
            Some("Parallel") => {
                if let Some(b) = cx.get(s.node, "Branches") {
                    for branch in cx.resolve(b.value).items() {
                        cloudflow_scope(cx, cx.resolve(branch), "this Parallel branch");
                    }
                }
            }
            Some("Map") => {
                if let Some(p) = cx.get(s.node, "Processor") {
                    cloudflow_scope(cx, cx.resolve(p.value), "this Map Processor");
                }
            }
            _ => {}
        }
    }
}

/// A fix that inserts `line` as a new key of the mapping `node`, after its last entry.
fn add_key_fix(cx: &Ctx<'_>, node: Node<'_>, line: &str) -> Option<super::Fix> {
    let first = node.entries().next()?;
    let last = node.entries().last()?;
    let indent =
        cx.text.position(first.key.range().start, crate::syntax::PositionEncoding::Utf8).character as usize;
    let at = last.value.range().end.max(last.key.range().end);
    let end_of_line = cx.text.line_range(cx.text.line_of(at)).end;
    Some(super::Fix {
        title: format!("Add `{line}`"),
        edits: vec![(TextRange::empty(end_of_line), format!("\n{}{line}", " ".repeat(indent)))],
    })
}

fn legacy_scope<'a>(cx: &mut Ctx<'a>, list: Node<'a>) {
    let mut steps = states_of(cx, list);
    let names = names(cx, &steps);
    // gotos of choices and catches.
    for s in steps.iter_mut() {
        let node = s.node;
        if let Some(c) = cx.get(node, "choices") {
            for choice in cx.resolve(c.value).items() {
                if let Some((t, n)) = cx.get_str(choice, "goto") {
                    s.targets.push((t, n));
                }
            }
        }
        if let Some(d) = cx.get(node, "default")
            && let Some((t, n)) = cx.get_str(cx.resolve(d.value), "goto")
        {
            s.targets.push((t, n));
        }
        if let Some(c) = cx.get(node, "catch") {
            for rule in cx.resolve(c.value).items() {
                if let Some((t, n)) = cx.get_str(rule, "goto") {
                    s.targets.push((t, n));
                }
            }
        }
    }
    let mut reached = vec![false; steps.len()];
    let mut jumps: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (i, s) in steps.iter().enumerate() {
        for &(t, n) in &s.targets {
            if let Some(j) = resolve_ref(cx, &names, t, n, "goto") {
                jumps[i].push(j);
            }
        }
    }
    // Steps run in order; `end: true`, succeed, fail and a choice whose every way out is a
    // goto stop the fall-through to the next step.
    let falls_through = |s: &StateInfo<'a>| -> bool {
        if matches!(s.ty, Some("succeed" | "fail")) {
            return false;
        }
        if cx.get(s.node, "end").and_then(|e| cx.resolve(e.value).scalar().and_then(parse_bool)) == Some(true)
        {
            return false;
        }
        if s.ty == Some("choice") {
            let all_branches_jump = cx
                .get(s.node, "choices")
                .is_some_and(|c| cx.resolve(c.value).items().all(|b| cx.get(b, "goto").is_some()));
            let default_jumps =
                cx.get(s.node, "default").is_some_and(|d| cx.get(cx.resolve(d.value), "goto").is_some());
            return !(all_branches_jump && default_jumps);
        }
        true
    };
    let through: Vec<bool> = steps.iter().map(falls_through).collect();
    let mut stack = if steps.is_empty() { vec![] } else { vec![0] };
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reached[i], true) {
            continue;
        }
        if through[i] && i + 1 < steps.len() {
            stack.push(i + 1);
        }
        stack.extend(jumps[i].iter().copied());
    }
    for (i, s) in steps.iter().enumerate() {
        if !reached[i] {
            let range = s.name.map_or_else(|| super::keys::anchor_of(cx, s.node), |(_, n)| n.value_range());
            cx.push(Diagnostic::new(
                Code::UnreachableState,
                Severity::Warning,
                range,
                "no step before this one reaches it (the previous step ends or jumps away, and no `goto` names it)",
            ));
        }
    }
    // Nested step lists are scopes of their own.
    for s in steps.iter_mut() {
        let node = s.node;
        let mut nested: Vec<Node<'a>> = Vec::new();
        if let Some(e) = cx.get(node, "steps") {
            nested.push(e.value);
        }
        for key in ["branches", "choices"] {
            if let Some(e) = cx.get(node, key) {
                for b in cx.resolve(e.value).items() {
                    if let Some(st) = cx.get(b, "steps") {
                        nested.push(st.value);
                    }
                }
            }
        }
        if let Some(d) = cx.get(node, "default")
            && let Some(st) = cx.get(cx.resolve(d.value), "steps")
        {
            nested.push(st.value);
        }
        for list in nested {
            legacy_scope(cx, list);
        }
    }
}
