//! The state graph, scope by scope: duplicate names, references to missing states,
//! reachability, `Next`/`End` rules and terminal states.
//!
//! CloudFlow: every `States` list is a scope with its own `StartAt` (top level, each
//! Parallel branch, each Map Processor); `Next`, `Default`, Choice branch `Next` and Catch
//! `Next` name a state of the same scope. Legacy: every `steps` list is a scope run in
//! order; `goto` names a sibling step.
//!
//! The rules read each state's [`StateFacts`], not the tree: the top-level scope's come
//! from the cache for every state a keystroke did not touch.

use fdl_schema::Dialect;
use rustc_hash::FxHashMap;

use super::context::Ctx;
use super::facts::{NextOrEnd, StateFacts};
use super::model::{Scope, ScopeKind};
use super::names::{Sketch, Suggester};
use super::{Code, Diagnostic, Fix};
use crate::syntax::TextRange;

/// One scope as the rules see it: its states' facts, each with the offset its ranges are
/// relative to.
pub(crate) struct ScopeView<'s> {
    pub(crate) kind: ScopeKind,
    /// The `States:` / `steps:` key; `None` when the scope has no list (nothing to check).
    pub(crate) list_key: Option<TextRange>,
    pub(crate) start_at: Option<StartAt<'s>>,
    pub(crate) states: Vec<(u32, &'s StateFacts)>,
}

pub(crate) struct StartAt<'s> {
    pub(crate) target: &'s str,
    pub(crate) range: TextRange,
    pub(crate) deploy_time: bool,
}

impl<'s> ScopeView<'s> {
    /// The parts of `scope` that are not its states.
    pub(crate) fn new(cx: &Ctx<'_, 's>, scope: &Scope<'_, 's>, states: Vec<(u32, &'s StateFacts)>) -> Self {
        ScopeView {
            kind: scope.kind,
            list_key: scope.list_entry().map(|e| e.key.range()),
            start_at: scope.start_at().map(|(target, node)| StartAt {
                target,
                range: node.value_range(),
                deploy_time: cx.deploy_time(node),
            }),
            states,
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
        let facts: Vec<(u32, StateFacts)> = states
            .iter()
            .map(|s| {
                pending.extend(s.child_scopes());
                let at = s.node.range().start;
                (at, StateFacts::read(cx, s, at))
            })
            .collect();
        let view = ScopeView::new(cx, &scope, facts.iter().map(|(at, f)| (*at, f)).collect());
        check_scope(cx, &view);
    }
}

/// A scope's rules: the top-level scope's with facts mostly from the cache.
pub(crate) fn check_scope(cx: &mut Ctx<'_, '_>, scope: &ScopeView<'_>) {
    if scope.list_key.is_none() {
        return;
    }
    match cx.dialect {
        Dialect::CloudFlow => cloudflow_scope(cx, scope),
        Dialect::Legacy => legacy_scope(cx, scope),
    }
}

/// Reports duplicate names. Returns each name with the index of its first state.
fn names<'s>(cx: &mut Ctx<'_, '_>, states: &[(u32, &'s StateFacts)]) -> FxHashMap<&'s str, usize> {
    let mut map: FxHashMap<&'s str, usize> =
        FxHashMap::with_capacity_and_hasher(states.len(), Default::default());
    for (i, (at, s)) in states.iter().enumerate() {
        let Some(name) = &s.name else { continue };
        let first = map.get(&*name.text).copied();
        match first {
            Some(first) if !name.deploy_time => {
                let (first_at, first_state) = states[first];
                let line =
                    first_state.name.as_ref().map_or(0, |n| cx.text.line_of(first_at + n.range.start) + 1);
                cx.push(Diagnostic::error(
                    Code::DuplicateStateName,
                    name.range.shifted(*at),
                    format!("another state of this scope is already named `{}` (line {line}): transitions could not tell them apart", name.text),
                ));
            }
            Some(_) => {}
            None => {
                map.insert(&*name.text, i);
            }
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
struct Resolver<'s, 'f> {
    names: FxHashMap<&'s str, usize>,
    states: &'f [(u32, &'s StateFacts)],
    suggester: Option<Suggester<'s, 's>>,
}

impl<'s, 'f> Resolver<'s, 'f> {
    fn new(names: FxHashMap<&'s str, usize>, states: &'f [(u32, &'s StateFacts)]) -> Resolver<'s, 'f> {
        Resolver { names, states, suggester: None }
    }

    /// The names of the scope, each once, in the order of the states, with their sketches.
    fn distinct_names(&self) -> impl Iterator<Item = (&'s str, &'s Sketch)> + '_ {
        self.states.iter().enumerate().filter_map(|(i, (_, s))| {
            let named = s.name.as_ref()?;
            let name: &'s str = &named.text;
            (self.names.get(name) == Some(&i)).then_some((name, &named.sketch))
        })
    }

    /// Resolves a reference, reporting it when it names no state of the scope.
    fn resolve(
        &mut self,
        cx: &mut Ctx<'_, '_>,
        target: &str,
        range: TextRange,
        deploy_time: bool,
        what: &str,
    ) -> Target {
        if let Some(&i) = self.names.get(target) {
            return Target::State(i);
        }
        if deploy_time {
            return Target::DeployTime;
        }
        if self.suggester.is_none() {
            self.suggester = Some(Suggester::new(self.distinct_names(), SUGGESTION_BUDGET));
        }
        let only = (self.names.len() == 1).then(|| self.distinct_names().next().map(|(n, _)| n)).flatten();
        let suggestion = self.suggester.as_mut().and_then(|s| s.suggest(target)).or(only);
        let mut message = format!("{what} `{target}` names no state of this scope");
        match suggestion {
            Some(s) => message.push_str(&format!(": did you mean `{s}`?")),
            None if !self.names.is_empty() => {
                // The first few in alphabetical order, without sorting them all.
                let mut shown: Vec<&str> = Vec::with_capacity(9);
                for (name, _) in self.distinct_names() {
                    let at = shown.partition_point(|s| *s < name);
                    if at < 8 {
                        shown.insert(at, name);
                        shown.truncate(8);
                    }
                }
                let shown: Vec<String> = shown.iter().map(|c| format!("`{c}`")).collect();
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

/// Resolves every transition of the scope into edges, reporting unknown targets. `None`
/// when a target is only known at deployment: then any state may be reached.
fn edges(cx: &mut Ctx<'_, '_>, names: &mut Resolver<'_, '_>) -> Option<Edges> {
    let what = match cx.dialect {
        Dialect::CloudFlow => "transition",
        Dialect::Legacy => "goto",
    };
    let mut known = true;
    let states = names.states;
    let mut edges =
        Edges { starts: Vec::with_capacity(states.len() + 1), targets: Vec::with_capacity(states.len()) };
    for (at, s) in states {
        edges.starts.push(edges.targets.len() as u32);
        for m in &s.moves {
            match names.resolve(cx, &m.target, m.range.shifted(*at), m.deploy_time, what) {
                Target::State(i) => edges.targets.push(i as u32),
                Target::Missing => {}
                Target::DeployTime => known = false,
            }
        }
    }
    edges.starts.push(edges.targets.len() as u32);
    known.then_some(edges)
}

fn cloudflow_scope(cx: &mut Ctx<'_, '_>, scope: &ScopeView<'_>) {
    let states = &scope.states;
    let mut names = Resolver::new(names(cx, states), states);
    for (i, (at, s)) in states.iter().enumerate() {
        // The state written after this one is the likely next step.
        let following = states.get(i + 1).and_then(|(_, n)| n.name.as_ref()).map(|n| &*n.text);
        next_or_end(cx, *at, s, following);
    }
    let edges = edges(cx, &mut names);
    let start =
        match scope.start_at.as_ref().map(|s| names.resolve(cx, s.target, s.range, s.deploy_time, "StartAt"))
        {
            Some(Target::State(i)) => Some(i),
            _ => None,
        };
    if let (Some(start), Some(edges)) = (start, edges) {
        let reached = reach(states.len(), &[start as u32], |i| edges.of(i));
        for (i, after) in unreachable_roots(&reached, |i| edges.of(i)) {
            let (at, s) = states[i];
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
    if !states.is_empty() && !states.iter().any(|(_, s)| s.terminal) {
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

fn legacy_scope(cx: &mut Ctx<'_, '_>, scope: &ScopeView<'_>) {
    let steps = &scope.states;
    let mut names = Resolver::new(names(cx, steps), steps);
    let Some(jumps) = edges(cx, &mut names) else { return };
    // Steps run in order; `end: true`, succeed, fail, and a choice whose every way out is a
    // goto stop the fall-through to the next step.
    let mut nexts = Edges { starts: Vec::with_capacity(steps.len() + 1), targets: Vec::new() };
    for i in 0..steps.len() {
        nexts.starts.push(nexts.targets.len() as u32);
        nexts.targets.extend_from_slice(jumps.of(i));
        if steps[i].1.falls_through && i + 1 < steps.len() {
            nexts.targets.push(i as u32 + 1);
        }
    }
    nexts.starts.push(nexts.targets.len() as u32);
    let reached = reach(steps.len(), if steps.is_empty() { &[] } else { &[0] }, |i| nexts.of(i));
    for (i, after) in unreachable_roots(&reached, |i| nexts.of(i)) {
        let (at, s) = steps[i];
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
