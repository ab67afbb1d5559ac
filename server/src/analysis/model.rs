//! Typed views of a flow definition over the syntax tree, for both dialects: the flow, its
//! scopes, their states and the transitions between them. Views are borrowed and cheap;
//! every accessor returns the syntax nodes it read, so callers point at exact tokens.
//!
//! Aliases and `<<` merge keys are resolved here, so that rules and editor features see a
//! state's keys as YAML means them.

mod lookup;

use std::collections::HashMap;

use fdl_schema::Dialect;

use crate::syntax::scalar::parse_bool;
use crate::syntax::{Entry, MAX_NESTING, Node, NodeKind, SyntaxTree};

/// A flow definition: its dialect, its root mapping and its anchors.
pub struct Flow<'a> {
    dialect: Dialect,
    root: Node<'a>,
    /// Empty when the document expands aliases beyond [`ALIAS_BUDGET`] or [`MAX_NESTING`]:
    /// then aliases are not followed at all (see [`Flow::excessive_aliasing`]).
    anchors: HashMap<&'a str, Node<'a>>,
    excessive_aliasing: Option<Excess>,
}

/// The bound a document's aliases pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Excess {
    /// More than [`ALIAS_BUDGET`] nodes added.
    Size,
    /// Values nested deeper than [`MAX_NESTING`] levels (an alias inside an anchored value
    /// inside another, and so on, nests each one inside the last).
    Depth,
}

/// How many nodes the aliases of a document may expand to, beyond its own nodes, before it
/// is refused as a "billion laughs" (nine levels of nine aliases make 387 million nodes out
/// of a few hundred bytes). Mature YAML libraries bound expansion the same way.
pub const ALIAS_BUDGET: u64 = 100_000;

/// A list of states with its own `StartAt` (CloudFlow) or its own order (legacy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The top-level `States` / `steps`.
    Flow,
    /// A `Branches` item of a Parallel state (legacy: of a parallel step).
    ParallelBranch,
    /// The `Processor` of a Map state.
    MapProcessor,
    /// Legacy: the `steps` of a foreach step, of a choice branch or of a choice default.
    NestedSteps,
}

#[derive(Clone, Copy)]
pub struct Scope<'f, 'a> {
    flow: &'f Flow<'a>,
    /// The mapping that holds `StartAt` and `States` (legacy: `steps`).
    pub owner: Node<'a>,
    pub kind: ScopeKind,
    /// The state this scope belongs to (`None` at the top level).
    pub parent: Option<Node<'a>>,
}

#[derive(Clone, Copy)]
pub struct State<'f, 'a> {
    flow: &'f Flow<'a>,
    /// The state's mapping.
    pub node: Node<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransitionKind {
    /// `Next` of a state.
    Next,
    /// `Default` of a Choice state (legacy: `default.goto`).
    Default,
    /// `Next` of a Choice branch (legacy: `goto` of a choice).
    Branch,
    /// `Next` of a Catch rule (legacy: `goto` of a catch policy).
    Catch,
}

/// A reference from a state to another state of its scope.
#[derive(Clone, Copy, Debug)]
pub struct Transition<'a> {
    pub kind: TransitionKind,
    pub target: &'a str,
    /// The scalar that names the target.
    pub node: Node<'a>,
}

impl<'a> Flow<'a> {
    /// The flow in `tree`, if the document is a flow definition of either dialect.
    pub fn new(tree: &'a SyntaxTree) -> Option<Flow<'a>> {
        let (dialect, root) = super::dialect::detect(tree).ok()?;
        Some(Flow::from_root(dialect, root, tree.may_have_anchors()))
    }

    pub(crate) fn from_root(dialect: Dialect, root: Node<'a>, may_have_anchors: bool) -> Flow<'a> {
        let mut anchors = HashMap::new();
        let mut stack = if may_have_anchors { vec![root] } else { Vec::new() };
        while let Some(node) = stack.pop() {
            if let Some((name, _)) = node.anchor() {
                anchors.insert(name, node);
            }
            stack.extend(node.children());
        }
        let excessive_aliasing = if anchors.is_empty() {
            None
        } else {
            let e = expansion(root, &anchors);
            if e.added > ALIAS_BUDGET {
                Some(Excess::Size)
            } else if e.depth as usize > MAX_NESTING {
                Some(Excess::Depth)
            } else {
                None
            }
        };
        if excessive_aliasing.is_some() {
            anchors.clear();
        }
        Flow { dialect, root, anchors, excessive_aliasing }
    }

    /// Whether the document's aliases would expand to more than [`ALIAS_BUDGET`] nodes, or
    /// nest values deeper than [`MAX_NESTING`] levels: they are then not followed.
    pub fn excessive_aliasing(&self) -> bool {
        self.excessive_aliasing.is_some()
    }

    /// Which bound the aliases would pass, if any.
    pub fn alias_excess(&self) -> Option<Excess> {
        self.excessive_aliasing
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn root(&self) -> Node<'a> {
        self.root
    }

    /// Follows an alias to its anchored node (the node itself otherwise).
    pub fn resolve(&self, node: Node<'a>) -> Node<'a> {
        match node.alias() {
            Some(name) => self.anchors.get(name).copied().unwrap_or(node),
            None => node,
        }
    }

    /// The entries of a mapping with `<<` merge keys expanded (YAML 1.1 merge, used in real
    /// flows to share defaults). Direct entries come first and win over merged ones.
    pub fn entries(&self, node: Node<'a>) -> Vec<Entry<'a>> {
        let node = self.resolve(node);
        let mut out: Vec<Entry<'a>> = Vec::with_capacity(node.entry_count());
        let mut merged = Vec::new();
        for e in node.entries() {
            if e.key.scalar() == Some("<<") && e.key.is_plain_scalar() {
                let value = self.resolve(e.value);
                let sources: Vec<Node<'a>> = if value.kind() == NodeKind::Sequence {
                    value.items().map(|n| self.resolve(n)).collect()
                } else {
                    vec![value]
                };
                for source in sources {
                    if source.kind() == NodeKind::Mapping && !source.same(node) {
                        merged.extend(source.entries());
                    }
                }
            } else {
                out.push(e);
            }
        }
        for m in merged {
            if !out.iter().any(|e| e.key.scalar() == m.key.scalar()) {
                out.push(m);
            }
        }
        out
    }

    /// The entry for `key`, merge keys included.
    pub fn get(&self, node: Node<'a>, key: &str) -> Option<Entry<'a>> {
        let node = self.resolve(node);
        if let Some(e) = node.get(key) {
            return Some(e);
        }
        // Merge keys only exist where anchors do.
        if self.anchors.is_empty() || node.get("<<").is_none() {
            return None;
        }
        self.entries(node).into_iter().find(|e| e.key.scalar() == Some(key))
    }

    /// The scalar value of `key` and its node.
    pub fn get_str(&self, node: Node<'a>, key: &str) -> Option<(&'a str, Node<'a>)> {
        let value = self.resolve(self.get(node, key)?.value);
        value.scalar().map(|s| (s, value))
    }

    /// Whether `key` is `true`.
    pub fn get_bool(&self, node: Node<'a>, key: &str) -> bool {
        self.get_str(node, key).is_some_and(|(s, n)| n.is_plain_scalar() && parse_bool(s) == Some(true))
    }

    /// The items of the list value of `key` (empty when absent or not a list).
    pub fn list(&self, node: Node<'a>, key: &str) -> Vec<Node<'a>> {
        match self.get(node, key) {
            Some(e) => self.resolve(e.value).items().map(|n| self.resolve(n)).collect(),
            None => Vec::new(),
        }
    }

    /// The state view of a mapping known to be a state (or step).
    pub fn state(&self, node: Node<'a>) -> State<'_, 'a> {
        State { flow: self, node }
    }

    pub fn top_scope(&self) -> Scope<'_, 'a> {
        Scope { flow: self, owner: self.root, kind: ScopeKind::Flow, parent: None }
    }

    /// Every scope, outer ones before the ones they contain.
    pub fn scopes(&self) -> Vec<Scope<'_, 'a>> {
        self.scopes_where(&|_| true)
    }

    /// [`Flow::scopes`], entering only the states `enter` accepts: a keystroke's analysis
    /// visits the scopes of the state it changed, not those of thousands of others.
    pub fn scopes_where(&self, enter: &dyn Fn(Node<'a>) -> bool) -> Vec<Scope<'_, 'a>> {
        let mut out = vec![self.top_scope()];
        let mut i = 0;
        while i < out.len() {
            let scope = out[i];
            for state in scope.states() {
                if enter(state.node) {
                    out.extend(state.child_scopes());
                }
            }
            i += 1;
        }
        out
    }

    /// Whether aliases are followed (the document has anchors, within the bounds): nodes
    /// can then be reached away from their text.
    pub fn follows_aliases(&self) -> bool {
        !self.anchors.is_empty()
    }

    /// The scopes that may hold `node` as one of their states (with others): without
    /// aliases, only the scopes of the top-level state around it, not every scope of a big
    /// flow; when aliases are followed, a state can be listed away from its text, so all.
    pub fn scopes_around(&self, node: Node<'a>) -> Vec<Scope<'_, 'a>> {
        if self.anchors.is_empty() {
            let range = node.range();
            self.scopes_where(&|n| n.range().contains_range(range))
        } else {
            self.scopes()
        }
    }

    /// The given states and every state of the scopes nested in them, at any depth, each
    /// before the states nested in it.
    pub fn states_within(&self, tops: impl IntoIterator<Item = Node<'a>>) -> Vec<State<'_, 'a>> {
        let mut out = Vec::new();
        let mut stack: Vec<State<'_, 'a>> = tops.into_iter().map(|n| self.state(n)).collect();
        stack.reverse();
        while let Some(state) = stack.pop() {
            for scope in state.child_scopes().into_iter().rev() {
                stack.extend(scope.states().into_iter().rev());
            }
            out.push(state);
        }
        out
    }

    /// The top-level state that starts last at or before `offset`, if any: found by halving,
    /// not by reading every state.
    pub fn top_state_before(&self, offset: u32) -> Option<State<'_, 'a>> {
        let list = self.resolve(self.top_scope().list_entry()?.value);
        let n = list.item_count();
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if list.item(mid)?.range().start <= offset {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let node = self.resolve(list.item(lo.checked_sub(1)?)?);
        (node.kind() == NodeKind::Mapping).then(|| self.state(node))
    }

    pub(crate) fn name_key(&self) -> &'static str {
        match self.dialect {
            Dialect::CloudFlow => "Name",
            Dialect::Legacy => "name",
        }
    }

    pub(crate) fn type_key(&self) -> &'static str {
        match self.dialect {
            Dialect::CloudFlow => "Type",
            Dialect::Legacy => "type",
        }
    }

    pub(crate) fn list_key(&self) -> &'static str {
        match self.dialect {
            Dialect::CloudFlow => "States",
            Dialect::Legacy => "steps",
        }
    }
}

/// What following every alias under `root` makes of it: how many nodes it adds beyond the
/// document's own, and how deep values then nest.
struct Expansion {
    added: u64,
    depth: u32,
}

/// Measures the expansion of the aliases under `root` without recursion, whatever the
/// document: every anchored node (and the root) is walked once, stopping at the anchored
/// nodes and aliases inside it, which become edges to their own measures; the measures are
/// then combined in a depth-first pass with an explicit stack. An alias met while its own
/// anchor is being measured (a cycle the parser let through) counts for nothing.
fn expansion<'a>(root: Node<'a>, anchors: &HashMap<&'a str, Node<'a>>) -> Expansion {
    struct Part {
        /// Nodes of its own (not counting anchored subtrees inside it), and its own depth.
        size: u64,
        depth: u32,
        /// The parts it takes in, with the depth (1 at its top) where each one goes.
        edges: Vec<(usize, u32)>,
    }
    // Parts are keyed by the node's start and length and whether it is the root: an
    // anchored node is the only anchored node with that range.
    let key = |n: Node<'a>| (n.range().start, n.range().end);
    let mut index: HashMap<(u32, u32), usize> = HashMap::new();
    let mut nodes: Vec<Node<'a>> = vec![root];
    index.insert(key(root), 0);
    let mut parts: Vec<Part> = Vec::new();
    let mut next = 0;
    while next < nodes.len() {
        let top = nodes[next];
        next += 1;
        let mut part = Part { size: 0, depth: 0, edges: Vec::new() };
        let mut stack = vec![(top, 1u32)];
        while let Some((node, depth)) = stack.pop() {
            let target = match node.alias() {
                Some(name) => anchors.get(name).copied(),
                None if depth > 1 && node.anchor().is_some() => Some(node),
                None => None,
            };
            if let Some(target) = target {
                let id = *index.entry(key(target)).or_insert_with(|| {
                    nodes.push(target);
                    nodes.len() - 1
                });
                part.edges.push((id, depth));
                continue;
            }
            if node.alias().is_some() {
                continue;
            }
            part.size += 1;
            part.depth = part.depth.max(depth);
            stack.extend(node.children().map(|c| (c, depth + 1)));
        }
        parts.push(part);
    }
    // Post-order over the parts; `None` while a part is being measured.
    let mut measured: Vec<Option<(u64, u32)>> = vec![None; parts.len()];
    let mut open = vec![false; parts.len()];
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    open[0] = true;
    while let Some(top) = stack.last_mut() {
        let (id, edge) = *top;
        if let Some(&(target, _)) = parts[id].edges.get(edge) {
            top.1 += 1;
            if measured[target].is_none() && !open[target] {
                open[target] = true;
                stack.push((target, 0));
            }
            continue;
        }
        let part = &parts[id];
        let (mut size, mut depth) = (part.size, part.depth);
        for &(target, at) in &part.edges {
            // A part still open here is a cycle: it adds nothing.
            if let Some((s, d)) = measured[target] {
                size = size.saturating_add(s);
                depth = depth.max((at - 1).saturating_add(d));
            }
        }
        measured[id] = Some((size, depth));
        open[id] = false;
        stack.pop();
    }
    let (size, depth) = measured[0].unwrap_or_default();
    Expansion { added: size.saturating_sub(subtree_size(root)), depth }
}

fn subtree_size(node: Node<'_>) -> u64 {
    let mut count = 0u64;
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        count += 1;
        stack.extend(node.children());
    }
    count
}

impl<'f, 'a> Scope<'f, 'a> {
    /// `StartAt` and its value node (CloudFlow only).
    pub fn start_at(&self) -> Option<(&'a str, Node<'a>)> {
        match self.flow.dialect {
            Dialect::CloudFlow => self.flow.get_str(self.owner, "StartAt"),
            Dialect::Legacy => None,
        }
    }

    /// The `States:` / `steps:` entry.
    pub fn list_entry(&self) -> Option<Entry<'a>> {
        self.flow.get(self.owner, self.flow.list_key())
    }

    /// The states, in list order (items that are not mappings are skipped).
    pub fn states(&self) -> Vec<State<'f, 'a>> {
        self.flow
            .list(self.owner, self.flow.list_key())
            .into_iter()
            .filter(|n| n.kind() == NodeKind::Mapping)
            .map(|node| State { flow: self.flow, node })
            .collect()
    }

    /// The first state named `name`.
    pub fn find(&self, name: &str) -> Option<State<'f, 'a>> {
        self.states().into_iter().find(|s| s.name().is_some_and(|(n, _)| n == name))
    }
}

impl<'f, 'a> State<'f, 'a> {
    pub fn name(&self) -> Option<(&'a str, Node<'a>)> {
        self.flow.get_str(self.node, self.flow.name_key())
    }

    /// The type as written (`Task`, legacy `task`).
    pub fn ty(&self) -> Option<(&'a str, Node<'a>)> {
        self.flow.get_str(self.node, self.flow.type_key())
    }

    pub fn get(&self, key: &str) -> Option<Entry<'a>> {
        self.flow.get(self.node, key)
    }

    pub fn get_str(&self, key: &str) -> Option<(&'a str, Node<'a>)> {
        self.flow.get_str(self.node, key)
    }

    /// Whether the state ends its scope: `End: true` (legacy `end: true`), Succeed or Fail.
    pub fn is_terminal(&self) -> bool {
        let ty = self.ty().map(|(t, _)| t);
        matches!(ty, Some("Succeed" | "Fail" | "succeed" | "fail"))
            || self
                .flow
                .get_bool(self.node, if self.flow.dialect == Dialect::CloudFlow { "End" } else { "end" })
    }

    /// Every reference to another state of the same scope, in source order.
    /// Whether one of [`State::transitions`] names `target`, without building them (a
    /// search for the states that lead to one reads every state of its scope).
    pub fn leads_to(&self, target: &str) -> bool {
        let f = self.flow;
        let named = |node: Node<'a>, key: &str| f.get_str(node, key).is_some_and(|(t, _)| t == target);
        let any_of = |key: &str, next: &str| f.list(self.node, key).into_iter().any(|n| named(n, next));
        match f.dialect {
            Dialect::CloudFlow => {
                (!target.is_empty() && named(self.node, "Next"))
                    || (self.ty().map(|(t, _)| t) == Some("Choice")
                        && (any_of("Branches", "Next") || named(self.node, "Default")))
                    || any_of("Catch", "Next")
            }
            Dialect::Legacy => {
                any_of("choices", "goto")
                    || f.get(self.node, "default").is_some_and(|d| named(d.value, "goto"))
                    || any_of("catch", "goto")
            }
        }
    }

    pub fn transitions(&self) -> Vec<Transition<'a>> {
        let f = self.flow;
        let mut out = Vec::new();
        let mut push = |kind, found: Option<(&'a str, Node<'a>)>| {
            if let Some((target, node)) = found {
                out.push(Transition { kind, target, node });
            }
        };
        match f.dialect {
            Dialect::CloudFlow => {
                push(TransitionKind::Next, f.get_str(self.node, "Next").filter(|(t, _)| !t.is_empty()));
                if self.ty().map(|(t, _)| t) == Some("Choice") {
                    for branch in f.list(self.node, "Branches") {
                        push(TransitionKind::Branch, f.get_str(branch, "Next"));
                    }
                    push(TransitionKind::Default, f.get_str(self.node, "Default"));
                }
                for rule in f.list(self.node, "Catch") {
                    push(TransitionKind::Catch, f.get_str(rule, "Next"));
                }
            }
            Dialect::Legacy => {
                for choice in f.list(self.node, "choices") {
                    push(TransitionKind::Branch, f.get_str(choice, "goto"));
                }
                if let Some(d) = f.get(self.node, "default") {
                    push(TransitionKind::Default, f.get_str(d.value, "goto"));
                }
                for rule in f.list(self.node, "catch") {
                    push(TransitionKind::Catch, f.get_str(rule, "goto"));
                }
            }
        }
        out.sort_by_key(|t| t.node.range().start);
        out
    }

    /// The scopes nested in this state: Parallel branches, a Map Processor, legacy
    /// foreach/choice/parallel step lists.
    pub fn child_scopes(&self) -> Vec<Scope<'f, 'a>> {
        let f = self.flow;
        let scope = |owner: Node<'a>, kind| Scope { flow: f, owner, kind, parent: Some(self.node) };
        let mut out = Vec::new();
        match (f.dialect, self.ty().map(|(t, _)| t)) {
            (Dialect::CloudFlow, Some("Parallel")) => {
                out.extend(
                    f.list(self.node, "Branches").into_iter().map(|b| scope(b, ScopeKind::ParallelBranch)),
                );
            }
            (Dialect::CloudFlow, Some("Map")) => {
                if let Some(p) = f.get(self.node, "Processor") {
                    out.push(scope(f.resolve(p.value), ScopeKind::MapProcessor));
                }
            }
            (Dialect::Legacy, _) => {
                if f.get(self.node, "steps").is_some() {
                    out.push(scope(self.node, ScopeKind::NestedSteps));
                }
                for b in f.list(self.node, "branches") {
                    out.push(scope(b, ScopeKind::ParallelBranch));
                }
                for c in f.list(self.node, "choices") {
                    if f.get(c, "steps").is_some() {
                        out.push(scope(c, ScopeKind::NestedSteps));
                    }
                }
                if let Some(d) = f.get(self.node, "default") {
                    let d = f.resolve(d.value);
                    if f.get(d, "steps").is_some() {
                        out.push(scope(d, ScopeKind::NestedSteps));
                    }
                }
            }
            _ => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::syntax::SourceText;

    /// Lists every scope with its states and their transitions.
    fn check(src: &str, expect: Expect) {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let flow = Flow::new(&tree).expect("a flow");
        let mut out = format!("{:?}\n", flow.dialect());
        for scope in flow.scopes() {
            let start = scope.start_at().map(|(s, _)| s).unwrap_or("-");
            out.push_str(&format!("{:?} (start {start})\n", scope.kind));
            for state in scope.states() {
                let name = state.name().map(|(n, _)| n).unwrap_or("?");
                let ty = state.ty().map(|(t, _)| t).unwrap_or("?");
                let moves: Vec<String> =
                    state.transitions().iter().map(|t| format!("{:?}→{}", t.kind, t.target)).collect();
                let end = if state.is_terminal() { " end" } else { "" };
                out.push_str(&format!("  {name}: {ty} [{}]{end}\n", moves.join(", ")));
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn cloudflow_scopes_transitions_and_merge_keys() {
        check(
            r#"Type: StateMachine
SpecVersion: v1
StartAt: 开始
defaults: &task
  Type: Task
  Action: HTTP:Request
States:
  - Name: 开始
    <<: *task
    Catch:
      - Errors: [FnF.ALL]
        Next: 失败
    Next: 分支
  - Type: Parallel
    Name: 分支
    Branches:
      - StartAt: A
        States:
          - Type: Map
            Name: A
            Processor:
              StartAt: Item
              States:
                - Type: Pass
                  Name: Item
                  End: true
            End: true
    Next: 判断
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.ok
        Next: 失败
    Default: 开始
  - Type: Fail
    Name: 失败
"#,
            expect![[r#"
                CloudFlow
                Flow (start 开始)
                  开始: Task [Catch→失败, Next→分支]
                  分支: Parallel [Next→判断]
                  判断: Choice [Branch→失败, Default→开始]
                  失败: Fail [] end
                ParallelBranch (start A)
                  A: Map [] end
                MapProcessor (start Item)
                  Item: Pass [] end
            "#]],
        );
    }

    #[test]
    fn legacy_nested_step_lists() {
        check(
            "version: v1\ntype: flow\nsteps:\n  - type: choice\n    name: c\n    choices:\n      - condition: $.a\n        steps:\n          - type: pass\n            name: inner\n        goto: done\n    default:\n      goto: done\n  - type: foreach\n    name: each\n    iterationMapping: {collection: $.xs, item: x}\n    steps:\n      - type: pass\n        name: body\n  - type: succeed\n    name: done\n",
            expect![[r#"
                Legacy
                Flow (start -)
                  c: choice [Branch→done, Default→done]
                  each: foreach []
                  done: succeed [] end
                NestedSteps (start -)
                  inner: pass []
                NestedSteps (start -)
                  body: pass []
            "#]],
        );
    }

    /// `leads_to` answers what `transitions` lists, for every state of every scope (Choice
    /// branches and defaults, Catch, empty `Next`, legacy gotos, merge keys) and every name.
    #[test]
    fn leads_to_agrees_with_transitions() {
        let choice = "Type: StateMachine\nSpecVersion: v1\nStartAt: 开始\nStates:\n  - Type: Task\n    Name: 开始\n    Action: FC:InvokeFunction\n    Catch:\n      - Errors: [FnF.ALL]\n        Next: 失败\n    Next: 判断\n  - &c\n    Type: Choice\n    Name: 判断\n    Branches:\n      - Condition: $Input.a\n        Next: 失败\n    Default: 开始\n  - <<: *c\n    Name: 二\n  - Type: Pass\n    Name: 空\n    Next: ''\n  - Type: Fail\n    Name: 失败\n";
        let legacy = "version: v1\ntype: flow\nsteps:\n  - type: choice\n    name: c\n    choices:\n      - condition: $.a\n        goto: done\n    default:\n      goto: c\n  - type: task\n    name: t\n    catch:\n      - errors: [A]\n        goto: done\n  - type: succeed\n    name: done\n";
        let big = fdl_bench::cloudflow(60);
        for src in [choice, legacy, big.as_str()] {
            let text = SourceText::new(src);
            let tree = SyntaxTree::parse(&text);
            let flow = Flow::new(&tree).expect("a flow");
            for scope in flow.scopes() {
                let states = scope.states();
                let mut names: Vec<&str> = states.iter().filter_map(|s| s.name().map(|(n, _)| n)).collect();
                names.extend(["", "nowhere"]);
                for state in &states {
                    for name in &names {
                        let listed = state.transitions().iter().any(|t| t.target == *name);
                        assert_eq!(state.leads_to(name), listed, "{name:?} from {:?}", state.name());
                    }
                }
            }
        }
    }
}
