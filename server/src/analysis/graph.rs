//! The state graph, scope by scope: duplicate names, references to missing states,
//! reachability, `Next`/`End` rules and terminal states.
//!
//! CloudFlow: every `States` list is a scope with its own `StartAt` (top level, each
//! Parallel branch, each Map Processor); `Next`, `Default`, Choice branch `Next` and Catch
//! `Next` name a state of the same scope. Legacy: every `steps` list is a scope run in
//! order; `goto` names a sibling step.

use std::collections::HashMap;

use fdl_schema::Dialect;

use super::context::Ctx;
use super::model::{Scope, State, Transition, TransitionKind};
use super::names::Suggester;
use super::{Code, Diagnostic, Fix};
use crate::syntax::{Node, PositionEncoding, TextRange};

/// The scopes nested in top-level states that the cache does not cover. Their graph lies
/// inside one top-level state, so their diagnostics are local to it (and cached with it).
pub(crate) fn check_nested(cx: &mut Ctx<'_, '_>) {
    let flow = cx.flow;
    let mut pending: Vec<_> = flow
        .top_scope()
        .states()
        .into_iter()
        .filter(|s| !cx.skipped(s.node.range().start))
        .flat_map(|s| s.child_scopes())
        .collect();
    while let Some(scope) = pending.pop() {
        for state in scope.states() {
            pending.extend(state.child_scopes());
        }
        check_scope(cx, scope);
    }
}

/// The top-level scope: names, transitions and reachability across all top-level states.
pub(crate) fn check_top(cx: &mut Ctx<'_, '_>) {
    let top = cx.flow.top_scope();
    check_scope(cx, top);
}

fn check_scope<'a>(cx: &mut Ctx<'_, 'a>, scope: Scope<'_, 'a>) {
    match cx.dialect {
        Dialect::CloudFlow => cloudflow_scope(cx, scope),
        Dialect::Legacy => legacy_scope(cx, scope),
    }
}

/// Reports duplicate names. Returns each name with the index of its first state.
fn names<'a>(cx: &mut Ctx<'_, 'a>, states: &[State<'_, 'a>]) -> HashMap<&'a str, usize> {
    let mut map: HashMap<&'a str, usize> = HashMap::new();
    for (i, s) in states.iter().enumerate() {
        let Some((name, node)) = s.name() else { continue };
        if let Some(&first) = map.get(name).filter(|_| !cx.deploy_time(node)) {
            let line = states[first].name().map_or(0, |(_, n)| cx.text.line_of(n.range().start) + 1);
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

/// Where a reference leads: a state of the scope, nowhere (reported), or a state only
/// known at deployment (a placeholder: no report, and reachability is unknown).
enum Target {
    State(usize),
    Missing,
    DeployTime,
}

/// How many candidate names the suggestions of one scope may examine in all.
const SUGGESTION_BUDGET: usize = 200_000;

/// Resolves references to the states of one scope. The suggestions for unknown names are
/// prepared on the first one, once per scope.
struct Resolver<'a> {
    names: HashMap<&'a str, usize>,
    /// Sorted names, and the suggester over them.
    unknown: Option<(Vec<&'a str>, Suggester<'a>)>,
}

impl<'a> Resolver<'a> {
    fn new(names: HashMap<&'a str, usize>) -> Resolver<'a> {
        Resolver { names, unknown: None }
    }

    /// Resolves a reference, reporting it when it names no state of the scope.
    fn resolve(&mut self, cx: &mut Ctx<'_, 'a>, target: &'a str, node: Node<'a>, what: &str) -> Target {
        if let Some(&i) = self.names.get(target) {
            return Target::State(i);
        }
        if cx.deploy_time(node) {
            return Target::DeployTime;
        }
        let names = &self.names;
        let (candidates, suggester) = self.unknown.get_or_insert_with(|| {
            let mut sorted: Vec<&'a str> = names.keys().copied().collect();
            sorted.sort_unstable();
            let suggester = Suggester::new(sorted.iter().copied(), SUGGESTION_BUDGET);
            (sorted, suggester)
        });
        let range = node.value_range();
        let suggestion = suggester.suggest(target).or_else(|| (candidates.len() == 1).then(|| candidates[0]));
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
            d = d.with_fix(format!("Change to `{s}`"), range, crate::syntax::yaml_string(s));
        }
        cx.push(d);
        Target::Missing
    }
}

fn state_anchor(cx: &Ctx<'_, '_>, s: &State<'_, '_>) -> TextRange {
    s.name().map_or_else(|| super::keys::anchor_of(cx, s.node), |(_, n)| n.value_range())
}

/// Resolves every transition of the scope into edges (indices), reporting unknown targets.
/// `None` when a target is only known at deployment: then any state may be reached.
fn edges<'a>(
    cx: &mut Ctx<'_, 'a>,
    moves: &[Vec<Transition<'a>>],
    names: &mut Resolver<'a>,
) -> Option<Vec<Vec<usize>>> {
    let what = match cx.dialect {
        Dialect::CloudFlow => "transition",
        Dialect::Legacy => "goto",
    };
    let mut known = true;
    let edges = moves
        .iter()
        .map(|m| {
            m.iter()
                .filter_map(|t| match names.resolve(cx, t.target, t.node, what) {
                    Target::State(i) => Some(i),
                    Target::Missing => None,
                    Target::DeployTime => {
                        known = false;
                        None
                    }
                })
                .collect::<Vec<usize>>()
        })
        .collect();
    known.then_some(edges)
}

fn cloudflow_scope<'a>(cx: &mut Ctx<'_, 'a>, scope: Scope<'_, 'a>) {
    let Some(list) = scope.list_entry() else { return };
    let states = scope.states();
    let mut names = Resolver::new(names(cx, &states));
    // Each state's transitions, read once: big flows make this the hot loop.
    let moves: Vec<Vec<Transition<'a>>> = states.iter().map(|s| s.transitions()).collect();
    for (i, s) in states.iter().enumerate() {
        // The state written after this one is the likely next step.
        let following = states.get(i + 1).and_then(|n| n.name()).map(|(n, _)| n);
        transition_rules(cx, s, &moves[i], following);
    }
    let edges = edges(cx, &moves, &mut names);
    let start = match scope.start_at().map(|(t, n)| names.resolve(cx, t, n, "StartAt")) {
        Some(Target::State(i)) => Some(i),
        _ => None,
    };
    if let (Some(start), Some(edges)) = (start, edges) {
        let reached = reach(states.len(), &[start], |i| &edges[i]);
        for (i, after) in unreachable_roots(&reached, |i| &edges[i]) {
            cx.push(Diagnostic::warning(
                Code::UnreachableState,
                state_anchor(cx, &states[i]),
                format!(
                    "no path from `StartAt` leads to this state: it never runs{}",
                    nor_after(after, "state")
                ),
            ));
        }
    }
    if !states.is_empty() && !states.iter().any(|s| s.is_terminal()) {
        let label = match scope.kind {
            super::model::ScopeKind::ParallelBranch => "this Parallel branch",
            super::model::ScopeKind::MapProcessor => "this Map Processor",
            _ => "the flow",
        };
        cx.push(Diagnostic::error(
            Code::NoTerminalState,
            list.key.range(),
            format!(
                "no state of {label} ends it (`End: true`, Succeed or Fail): an execution could never finish"
            ),
        ));
    }
}

/// `Next` xor `End: true` on the states that move on; nothing on Choice, Succeed, Fail.
fn transition_rules<'a>(
    cx: &mut Ctx<'_, 'a>,
    s: &State<'_, 'a>,
    moves: &[Transition<'a>],
    following: Option<&str>,
) {
    let Some((ty, _)) = s.ty() else { return };
    if !matches!(ty, "Task" | "Pass" | "Wait" | "Parallel" | "Map") {
        return;
    }
    let next = moves.iter().find(|t| t.kind == TransitionKind::Next);
    let end_true = cx.flow.get_bool(s.node, "End");
    if next.is_some() && end_true {
        let e = s.get("End").expect("End is true");
        // The overview's rule is that the engine looks for `Next` only when `End` is not
        // set: the flow runs, but not as the `Next` suggests.
        cx.push(Diagnostic::warning(
            Code::ConflictingTransition,
            e.key.range().cover(e.value.range()),
            "a state has either `Next` or `End: true`, not both: with both, `End: true` wins (the engine looks for `Next` only when `End` is not set) and `Next` is ignored",
        ));
    } else if next.is_none() && !end_true {
        let mut d = Diagnostic::error(
            Code::MissingTransition,
            super::keys::anchor_of(cx, s.node),
            "this state needs `Next: <state>` or `End: true`: otherwise the flow cannot go on from it",
        );
        if let Some(fix) = add_key_fix(cx, s.node, "End: true") {
            d.fixes.push(fix);
        }
        if let Some(next) = following
            && let Some(fix) = add_key_fix(cx, s.node, &format!("Next: {}", crate::syntax::yaml_string(next)))
        {
            d.fixes.push(fix);
        }
        cx.push(d);
    }
}

/// Which states a walk from `starts` reaches.
fn reach<'e>(n: usize, starts: &[usize], next: impl Fn(usize) -> &'e [usize]) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut stack = starts.to_vec();
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut seen[i], true) {
            stack.extend_from_slice(next(i));
        }
    }
    seen
}

/// The unreachable states worth a warning, each with how many more unreachable states only
/// it leads to. A state that an unreachable state leads to is not reported on its own: one
/// broken link high in a long chain (a state name being typed, say) would otherwise turn
/// every state below it into a warning. Unreachable cycles have no such first state; the
/// first of them in the file stands for the cycle.
fn unreachable_roots<'e>(reached: &[bool], next: impl Fn(usize) -> &'e [usize]) -> Vec<(usize, usize)> {
    let n = reached.len();
    let mut led_to = vec![false; n];
    for i in (0..n).filter(|&i| !reached[i]) {
        for &j in next(i) {
            led_to[j] |= j != i;
        }
    }
    // A walk from a root marks what it covers and counts the states it covers first.
    fn walk<'e>(covered: &mut [bool], root: usize, next: &impl Fn(usize) -> &'e [usize]) -> usize {
        let mut count = 0;
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut covered[i], true) {
                count += 1;
                stack.extend_from_slice(next(i));
            }
        }
        count - 1
    }
    let mut covered = reached.to_vec();
    let mut roots = Vec::new();
    for i in (0..n).filter(|&i| !reached[i] && !led_to[i]) {
        roots.push((i, walk(&mut covered, i, &next)));
    }
    for i in 0..n {
        if !covered[i] {
            roots.push((i, walk(&mut covered, i, &next)));
        }
    }
    roots.sort_unstable();
    roots
}

/// `, nor do the 3 states after it` (empty when there are none).
fn nor_after(count: usize, what: &str) -> String {
    match count {
        0 => String::new(),
        1 => format!(", nor does the {what} it leads to"),
        n => format!(", nor do the {n} {what}s it leads to"),
    }
}

/// A fix that inserts `line` as a new key of the mapping `node`, after its last entry.
fn add_key_fix(cx: &Ctx<'_, '_>, node: Node<'_>, line: &str) -> Option<Fix> {
    let first = node.entries().next()?;
    let last = node.entries().last()?;
    let indent = cx.text.position(first.key.range().start, PositionEncoding::Utf8).character as usize;
    let at = last.value.range().end.max(last.key.range().end);
    let end_of_line = cx.text.line_range(cx.text.line_of(at)).end;
    Some(Fix {
        title: format!("Add `{line}`"),
        edits: vec![(TextRange::empty(end_of_line), format!("\n{}{line}", " ".repeat(indent)))],
    })
}

fn legacy_scope<'a>(cx: &mut Ctx<'_, 'a>, scope: Scope<'_, 'a>) {
    let steps = scope.states();
    let mut names = Resolver::new(names(cx, &steps));
    let moves: Vec<Vec<Transition<'a>>> = steps.iter().map(|s| s.transitions()).collect();
    let Some(jumps) = edges(cx, &moves, &mut names) else { return };
    // Steps run in order; `end: true`, succeed, fail, and a choice whose every way out is a
    // goto stop the fall-through to the next step.
    let flow = cx.flow;
    let falls_through: Vec<bool> = steps
        .iter()
        .map(|s| {
            if s.is_terminal() {
                return false;
            }
            if s.ty().map(|(t, _)| t) == Some("choice") {
                let gotos = s.transitions();
                let branches = flow.list(s.node, "choices").len();
                let branch_gotos = gotos.iter().filter(|t| t.kind == TransitionKind::Branch).count();
                let default_goto = gotos.iter().any(|t| t.kind == TransitionKind::Default);
                return !(branch_gotos == branches && default_goto);
            }
            true
        })
        .collect();
    let nexts: Vec<Vec<usize>> = (0..steps.len())
        .map(|i| {
            let mut next = jumps[i].clone();
            if falls_through[i] && i + 1 < steps.len() {
                next.push(i + 1);
            }
            next
        })
        .collect();
    let reached = reach(steps.len(), if steps.is_empty() { &[] } else { &[0] }, |i| &nexts[i]);
    for (i, after) in unreachable_roots(&reached, |i| &nexts[i]) {
        cx.push(Diagnostic::warning(
            Code::UnreachableState,
            state_anchor(cx, &steps[i]),
            format!(
                "no step before this one reaches it (the previous step ends or jumps away, and no `goto` names it): it never runs{}",
                nor_after(after, "step")
            ),
        ));
    }
}
