//! The state graph, scope by scope: duplicate names, references to missing states,
//! reachability, `Next`/`End` rules and terminal states.
//!
//! CloudFlow: every `States` list is a scope with its own `StartAt` (top level, each
//! Parallel branch, each Map Processor); `Next`, `Default`, Choice branch `Next` and Catch
//! `Next` name a state of the same scope. Legacy: every `steps` list is a scope run in
//! order; `goto` names a sibling step.
//!
//! The rules read each state's [`StateFacts`], not the tree, through the scope's
//! [`ScopeGraph`]: the top-level scope's is kept by the cache and updated for the states a
//! keystroke touched.

use std::sync::Arc;

use fdl_schema::Dialect;

use super::context::Ctx;
use super::facts::{NextOrEnd, StateFacts};
use super::model::{Scope, ScopeKind};
use super::scope_graph::ScopeGraph;
use super::{Code, Diagnostic, Fix};
use crate::syntax::TextRange;

/// The parts of one scope that are not its states (those are in its [`ScopeGraph`]).
pub(crate) struct ScopeView<'s> {
    pub(crate) kind: ScopeKind,
    /// The `States:` / `steps:` key; `None` when the scope has no list (nothing to check).
    pub(crate) list_key: Option<TextRange>,
    pub(crate) start_at: Option<StartAt<'s>>,
}

pub(crate) struct StartAt<'s> {
    pub(crate) target: &'s str,
    pub(crate) range: TextRange,
    pub(crate) deploy_time: bool,
}

impl<'s> ScopeView<'s> {
    pub(crate) fn new(cx: &Ctx<'_, 's>, scope: &Scope<'_, 's>) -> Self {
        ScopeView {
            kind: scope.kind,
            list_key: scope.list_entry().map(|e| e.key.range()),
            start_at: scope.start_at().map(|(target, node)| StartAt {
                target,
                range: node.value_range(),
                deploy_time: cx.deploy_time(node),
            }),
        }
    }
}

/// The scopes nested in top-level states that the cache does not cover. Their graph lies
/// inside one top-level state, so their diagnostics are local to it (and cached with it).
pub(crate) fn check_nested(cx: &mut Ctx<'_, '_>) {
    let flow = cx.flow;
    let mut pending: Vec<_> =
        cx.fresh_states().into_iter().flat_map(|s| flow.state(s).child_scopes()).collect();
    while let Some(scope) = pending.pop() {
        let states = scope.states();
        let (starts, facts): (Vec<u32>, Vec<Arc<StateFacts>>) = states
            .iter()
            .map(|s| {
                pending.extend(s.child_scopes());
                let at = s.node.range().start;
                (at, Arc::new(StateFacts::read(cx, s, at)))
            })
            .unzip();
        let view = ScopeView::new(cx, &scope);
        check_scope(cx, &view, &ScopeGraph::build(facts), &starts);
    }
}

/// A scope's rules, over its graph; `starts[i]` is where state `i` starts (its facts'
/// ranges are relative to it).
pub(crate) fn check_scope(cx: &mut Ctx<'_, '_>, scope: &ScopeView<'_>, graph: &ScopeGraph, starts: &[u32]) {
    if scope.list_key.is_none() {
        return;
    }
    duplicates(cx, graph, starts);
    match cx.dialect {
        Dialect::CloudFlow => cloudflow_scope(cx, scope, graph, starts),
        Dialect::Legacy => legacy_scope(cx, graph, starts),
    }
    graph.forget_unasked();
}

/// Reports every state named like one before it (placeholders aside: two of them may well
/// end up different).
fn duplicates(cx: &mut Ctx<'_, '_>, graph: &ScopeGraph, starts: &[u32]) {
    for states in graph.duplicates() {
        let first = states[0] as usize;
        let line = graph
            .state(first)
            .name
            .as_ref()
            .map_or(0, |n| cx.text.line_of(starts[first] + n.range.start) + 1);
        for &i in &states[1..] {
            let Some(name) = &graph.state(i as usize).name else { continue };
            if name.deploy_time {
                continue;
            }
            cx.push(Diagnostic::error(
                Code::DuplicateStateName,
                name.range.shifted(starts[i as usize]),
                format!("another state of this scope is already named `{}` (line {line}): transitions could not tell them apart", name.text),
            ));
        }
    }
}

/// How many candidate names the suggestions of one scope may examine in all.
const SUGGESTION_BUDGET: usize = 200_000;

/// Reports the references of a scope that name none of its states, in the order of the
/// states (the suggestions share one budget).
struct Missing {
    budget: usize,
    what: &'static str,
}

impl Missing {
    fn new(dialect: Dialect) -> Missing {
        let what = match dialect {
            Dialect::CloudFlow => "transition",
            Dialect::Legacy => "goto",
        };
        Missing { budget: SUGGESTION_BUDGET, what }
    }

    /// Every transition to no state (placeholders aside).
    fn transitions(&mut self, cx: &mut Ctx<'_, '_>, graph: &ScopeGraph, starts: &[u32]) {
        for &i in graph.missing() {
            let (at, s) = (starts[i as usize], graph.state(i as usize));
            for m in &s.moves {
                if !m.deploy_time && graph.target(&m.target).is_none() {
                    self.report(cx, graph, &m.target, m.range.shifted(at), self.what);
                }
            }
        }
    }

    fn report(
        &mut self,
        cx: &mut Ctx<'_, '_>,
        graph: &ScopeGraph,
        target: &str,
        range: TextRange,
        what: &str,
    ) {
        let only = (graph.distinct_names() == 1).then(|| graph.first_names().first().map(|n| &**n)).flatten();
        let suggestion = graph.suggest(target, &mut self.budget).or(only);
        let mut message = format!("{what} `{target}` names no state of this scope");
        match suggestion {
            Some(s) => message.push_str(&format!(": did you mean `{s}`?")),
            None if graph.distinct_names() > 0 => {
                let shown: Vec<String> = graph.first_names().iter().map(|c| format!("`{c}`")).collect();
                message.push_str(&format!("; states here: {}", shown.join(", ")));
            }
            None => {}
        }
        let mut d = Diagnostic::error(Code::UnknownState, range, message);
        if let Some(s) = suggestion {
            d = d.with_fix(format!("Change to `{s}`"), range, crate::syntax::yaml_string(s));
        }
        cx.push(d);
    }
}

/// The edges of a scope's graph, flat: `targets[starts[i]..starts[i + 1]]` are where state
/// `i` leads (one allocation for a scope of thousands of states, not one per state).
struct Edges {
    starts: Vec<u32>,
    targets: Vec<u32>,
}

impl Edges {
    fn of(&self, i: usize) -> &[u32] {
        &self.targets[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

fn cloudflow_scope(cx: &mut Ctx<'_, '_>, scope: &ScopeView<'_>, graph: &ScopeGraph, starts: &[u32]) {
    for &i in graph.broken_rules() {
        let i = i as usize;
        // The state written after this one is the likely next step.
        let following =
            (i + 1 < graph.len()).then(|| graph.state(i + 1).name.as_ref().map(|n| &*n.text)).flatten();
        next_or_end(cx, starts[i], graph.state(i), following);
    }
    let mut missing = Missing::new(cx.dialect);
    missing.transitions(cx, graph, starts);
    let start = scope.start_at.as_ref().and_then(|s| match graph.target(s.target) {
        Some(i) => Some(i),
        None if s.deploy_time => None,
        None => {
            missing.report(cx, graph, s.target, s.range, "StartAt");
            None
        }
    });
    if let Some(start) = start
        && !graph.has_unknown()
    {
        let reached = reach(graph.len(), &[start as u32], |i| graph.edges(i));
        for (i, after) in unreachable_roots(&reached, |i| graph.edges(i)) {
            let (at, s) = (starts[i], graph.state(i));
            cx.push(Diagnostic::warning(
                Code::UnreachableState,
                s.anchor.shifted(at),
                format!(
                    "no path from `StartAt` leads to this state: it never runs{}",
                    nor_after(after, "state")
                ),
            ));
        }
    }
    if graph.len() > 0 && graph.terminals() == 0 {
        let label = match scope.kind {
            ScopeKind::ParallelBranch => "this Parallel branch",
            ScopeKind::MapProcessor => "this Map Processor",
            _ => "the flow",
        };
        cx.push(Diagnostic::error(
            Code::NoTerminalState,
            scope.list_key.unwrap_or_default(),
            format!(
                "no state of {label} ends it (`End: true`, Succeed or Fail): an execution could never finish"
            ),
        ));
    }
}

/// `Next` xor `End: true` on the states that move on; nothing on Choice, Succeed, Fail.
fn next_or_end(cx: &mut Ctx<'_, '_>, at: u32, s: &StateFacts, following: Option<&str>) {
    match &s.rule {
        NextOrEnd::Fine => {}
        NextOrEnd::Both(end) => {
            // The overview's rule is that the engine looks for `Next` only when `End` is not
            // set: the flow runs, but not as the `Next` suggests.
            cx.push(Diagnostic::warning(
                Code::ConflictingTransition,
                end.shifted(at),
                "a state has either `Next` or `End: true`, not both: with both, `End: true` wins (the engine looks for `Next` only when `End` is not set) and `Next` is ignored",
            ));
        }
        NextOrEnd::Neither { anchor, insert } => {
            let mut d = Diagnostic::error(
                Code::MissingTransition,
                anchor.shifted(at),
                "this state needs `Next: <state>` or `End: true`: otherwise the flow cannot go on from it",
            );
            if let Some((offset, indent)) = insert {
                let add = |line: &str| Fix {
                    title: format!("Add `{line}`"),
                    edits: vec![(
                        TextRange::empty(at + offset),
                        match indent {
                            Some(indent) => format!("\n{}{line}", " ".repeat(*indent)),
                            None => format!(", {line}"),
                        },
                    )],
                };
                d.fixes.push(add("End: true"));
                if let Some(next) = following {
                    d.fixes.push(add(&format!("Next: {}", crate::syntax::yaml_string(next))));
                }
            }
            cx.push(d);
        }
    }
}

/// Which states a walk from `starts` reaches.
fn reach<'e>(n: usize, starts: &[u32], next: impl Fn(usize) -> &'e [u32]) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut stack = starts.to_vec();
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut seen[i as usize], true) {
            stack.extend_from_slice(next(i as usize));
        }
    }
    seen
}

/// The unreachable states worth a warning, each with how many more unreachable states only
/// it leads to. A state that an unreachable state leads to is not reported on its own: one
/// broken link high in a long chain (a state name being typed, say) would otherwise turn
/// every state below it into a warning. Unreachable cycles have no such first state; the
/// first of them in the file stands for the cycle.
fn unreachable_roots<'e>(reached: &[bool], next: impl Fn(usize) -> &'e [u32]) -> Vec<(usize, usize)> {
    let n = reached.len();
    let mut led_to = vec![false; n];
    for i in (0..n).filter(|&i| !reached[i]) {
        for &j in next(i) {
            led_to[j as usize] |= j as usize != i;
        }
    }
    // A walk from a root marks what it covers and counts the states it covers first.
    fn walk<'e>(covered: &mut [bool], root: usize, next: &impl Fn(usize) -> &'e [u32]) -> usize {
        let mut count = 0;
        let mut stack = vec![root as u32];
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut covered[i as usize], true) {
                count += 1;
                stack.extend_from_slice(next(i as usize));
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

fn legacy_scope(cx: &mut Ctx<'_, '_>, graph: &ScopeGraph, starts: &[u32]) {
    Missing::new(cx.dialect).transitions(cx, graph, starts);
    if graph.has_unknown() {
        return;
    }
    let n = graph.len();
    // Steps run in order; `end: true`, succeed, fail, and a choice whose every way out is a
    // goto stop the fall-through to the next step.
    let mut nexts = Edges { starts: Vec::with_capacity(n + 1), targets: Vec::new() };
    for i in 0..n {
        nexts.starts.push(nexts.targets.len() as u32);
        nexts.targets.extend_from_slice(graph.edges(i));
        if graph.state(i).falls_through && i + 1 < n {
            nexts.targets.push(i as u32 + 1);
        }
    }
    nexts.starts.push(nexts.targets.len() as u32);
    let reached = reach(n, if n == 0 { &[] } else { &[0] }, |i| nexts.of(i));
    for (i, after) in unreachable_roots(&reached, |i| nexts.of(i)) {
        let (at, s) = (starts[i], graph.state(i));
        cx.push(Diagnostic::warning(
            Code::UnreachableState,
            s.anchor.shifted(at),
            format!(
                "no step before this one reaches it (the previous step ends or jumps away, and no `goto` names it): it never runs{}",
                nor_after(after, "step")
            ),
        ));
    }
}
