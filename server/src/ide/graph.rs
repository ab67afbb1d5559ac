//! The state graph of a flow as plain data, for drawing: every scope (the flow, Parallel
//! branches, Map processors, legacy nested steps), every state with its range, and every
//! transition with its kind. `fdl/graph` sends it to editors, `fdl graph` renders it.
//!
//! Ids are positional (`c0`, `c1`, ... for scopes, `n0`, `n1`, ... for states, in the
//! order of `Flow::scopes`), so that they are stable while names are edited or duplicated.

use std::collections::HashMap;

use fdl_schema::Dialect;

use super::Document;
use crate::analysis::model::{Flow, Scope, ScopeKind, State, TransitionKind};
use crate::syntax::{Node, TextRange};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graph {
    pub dialect: Dialect,
    /// Outer scopes before the scopes they contain; the first is the flow.
    pub scopes: Vec<GraphScope>,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphScope {
    pub id: String,
    pub kind: ScopeKind,
    /// What to call it: `Branch 2`, `Processor`, `Steps`, ...
    pub label: String,
    /// The state that holds it (`None` for the flow).
    pub parent: Option<String>,
    /// The state that runs first (`StartAt`; legacy: the first step), when it exists.
    pub start: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphNode {
    pub id: String,
    /// The state's name (`?` when it has none).
    pub name: String,
    /// The type as written (`Task`, legacy `task`), empty when absent.
    pub state_type: String,
    pub scope: String,
    /// The whole state.
    pub range: TextRange,
    /// The name's value (else the state's start), where a click should put the cursor.
    pub name_range: TextRange,
    /// `End: true`, Succeed or Fail.
    pub terminal: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphEdge {
    pub from: String,
    /// The state of the same scope the transition names; `None` when it names none.
    pub to: Option<String>,
    /// The name as written (legacy fall-through: the next step's name).
    pub target: String,
    pub kind: TransitionKind,
    /// A Choice branch's condition, a Catch rule's errors.
    pub label: Option<String>,
}

/// The graph of the document's flow; `None` when the document is not a flow.
pub fn graph(doc: &Document) -> Option<Graph> {
    let flow = Flow::new(&doc.tree)?;
    let mut out = Graph { dialect: flow.dialect(), scopes: Vec::new(), nodes: Vec::new(), edges: Vec::new() };
    // State mapping (by start offset) → node id, for the scopes nested in it.
    let mut ids: HashMap<u32, String> = HashMap::new();
    let mut branch_numbers: HashMap<u32, usize> = HashMap::new();
    for (scope_index, scope) in flow.scopes().into_iter().enumerate() {
        let scope_id = format!("c{scope_index}");
        let parent = scope.parent.and_then(|p| ids.get(&p.range().start).cloned());
        let label = scope_label(&scope, &mut branch_numbers);
        let states = scope.states();
        let first_id = out.nodes.len();
        let mut by_name: HashMap<&str, String> = HashMap::new();
        for (i, state) in states.iter().enumerate() {
            let id = format!("n{}", first_id + i);
            ids.entry(state.node.range().start).or_insert_with(|| id.clone());
            let name = state.name();
            if let Some((n, _)) = name {
                by_name.entry(n).or_insert_with(|| id.clone());
            }
            out.nodes.push(GraphNode {
                id,
                name: name.map_or("?", |(n, _)| n).to_string(),
                state_type: state.ty().map_or("", |(t, _)| t).to_string(),
                scope: scope_id.clone(),
                range: state.node.range(),
                name_range: name.map_or(TextRange::empty(state.node.range().start), |(_, n)| n.value_range()),
                terminal: state.is_terminal(),
            });
        }
        let start = match flow.dialect() {
            Dialect::CloudFlow => scope.start_at().and_then(|(s, _)| by_name.get(s).cloned()),
            Dialect::Legacy => (!states.is_empty()).then(|| format!("n{first_id}")),
        };
        for (i, state) in states.iter().enumerate() {
            let from = format!("n{}", first_id + i);
            for t in state.transitions() {
                out.edges.push(GraphEdge {
                    from: from.clone(),
                    to: by_name.get(t.target).cloned(),
                    target: t.target.to_string(),
                    kind: t.kind,
                    label: edge_label(&flow, state, t.kind, t.node),
                });
            }
            if flow.dialect() == Dialect::Legacy
                && falls_through(&flow, state)
                && let Some(next) = states.get(i + 1)
            {
                out.edges.push(GraphEdge {
                    from,
                    to: Some(format!("n{}", first_id + i + 1)),
                    target: next.name().map_or("?", |(n, _)| n).to_string(),
                    kind: TransitionKind::Next,
                    label: None,
                });
            }
        }
        out.scopes.push(GraphScope { id: scope_id, kind: scope.kind, label, parent, start });
    }
    Some(out)
}

fn scope_label(scope: &Scope<'_, '_>, branch_numbers: &mut HashMap<u32, usize>) -> String {
    match scope.kind {
        ScopeKind::Flow => "Flow".to_string(),
        ScopeKind::ParallelBranch => {
            let parent = scope.parent.map_or(0, |p| p.range().start);
            let n = branch_numbers.entry(parent).or_default();
            *n += 1;
            format!("Branch {n}")
        }
        ScopeKind::MapProcessor => "Processor".to_string(),
        ScopeKind::NestedSteps => "Steps".to_string(),
    }
}

/// Legacy steps run in order unless they end the scope or every way out of a choice jumps.
fn falls_through(flow: &Flow<'_>, state: &State<'_, '_>) -> bool {
    if state.is_terminal() {
        return false;
    }
    if state.ty().map(|(t, _)| t) == Some("choice") {
        let moves = state.transitions();
        let branches = flow.list(state.node, "choices").len();
        let gotos = moves.iter().filter(|t| t.kind == TransitionKind::Branch).count();
        let default = moves.iter().any(|t| t.kind == TransitionKind::Default);
        return !(gotos == branches && default);
    }
    true
}

/// The condition of the Choice branch, or the errors of the Catch rule, that holds `target`.
fn edge_label(
    flow: &Flow<'_>,
    state: &State<'_, '_>,
    kind: TransitionKind,
    target: Node<'_>,
) -> Option<String> {
    let (list, key) = match (kind, flow.dialect()) {
        (TransitionKind::Branch, Dialect::CloudFlow) => ("Branches", "Condition"),
        (TransitionKind::Branch, Dialect::Legacy) => ("choices", "condition"),
        (TransitionKind::Catch, Dialect::CloudFlow) => ("Catch", "Errors"),
        (TransitionKind::Catch, Dialect::Legacy) => ("catch", "errors"),
        (TransitionKind::Default, _) => return Some("Default".to_string()),
        (TransitionKind::Next, _) => return None,
    };
    let rule = flow.list(state.node, list).into_iter().find(|r| r.range().contains_range(target.range()))?;
    let value = flow.resolve(flow.get(rule, key)?.value);
    let text = match value.scalar() {
        Some(s) => s.to_string(),
        None => value.items().filter_map(|i| flow.resolve(i).scalar()).collect::<Vec<_>>().join(", "),
    };
    Some(shorten(text.trim(), 48))
}

fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut s: String = one_line.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(src: &str, expect: Expect) {
        let doc = Document::new(src);
        let g = graph(&doc).expect("a flow");
        let mut out = format!("{:?}\n", g.dialect);
        for s in &g.scopes {
            out.push_str(&format!(
                "{} {:?} {:?} parent={} start={}\n",
                s.id,
                s.kind,
                s.label,
                s.parent.as_deref().unwrap_or("-"),
                s.start.as_deref().unwrap_or("-")
            ));
            for n in g.nodes.iter().filter(|n| n.scope == s.id) {
                let name = &src[n.name_range.as_usize()];
                out.push_str(&format!(
                    "  {} {} ({}) name@{}={name}{}\n",
                    n.id,
                    n.name,
                    n.state_type,
                    n.name_range.start,
                    if n.terminal { " end" } else { "" }
                ));
                for e in g.edges.iter().filter(|e| e.from == n.id) {
                    out.push_str(&format!(
                        "    {:?} → {} ({}){}\n",
                        e.kind,
                        e.to.as_deref().unwrap_or("missing"),
                        e.target,
                        e.label.as_ref().map(|l| format!(" [{l}]")).unwrap_or_default()
                    ));
                }
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn cloudflow_scopes_and_edge_kinds() {
        check(
            r#"Type: StateMachine
SpecVersion: v1
StartAt: 检查
States:
  - Type: Choice
    Name: 检查
    Branches:
      - Condition: $Input.videoUrl == ""
        Next: 失败
    Default: 并行
  - Type: Parallel
    Name: 并行
    Branches:
      - StartAt: 逐个
        States:
          - Type: Map
            Name: 逐个
            ItemsPath: $Input.items
            Processor:
              StartAt: 处理
              States:
                - Type: Task
                  Name: 处理
                  Action: FC:InvokeFunction
                  Catch:
                    - Errors: [FC.Unknown, FnF.ALL]
                      Next: 兜底
                  End: true
                - Type: Pass
                  Name: 兜底
                  End: true
            End: true
      - StartAt: B
        States:
          - Type: Pass
            Name: B
            Next: 完城
    Next: 完成
  - Type: Succeed
    Name: 完成
  - Type: Fail
    Name: 失败
"#,
            expect![[r#"
                CloudFlow
                c0 Flow "Flow" parent=- start=n0
                  n0 检查 (Choice) name@86=检查
                    Branch → n3 (失败) [$Input.videoUrl == ""]
                    Default → n1 (并行) [Default]
                  n1 并行 (Parallel) name@218=并行
                    Next → n2 (完成)
                  n2 完成 (Succeed) name@939=完成 end
                  n3 失败 (Fail) name@971=失败 end
                c1 ParallelBranch "Branch 1" parent=n1 start=n4
                  n4 逐个 (Map) name@319=逐个 end
                c2 ParallelBranch "Branch 2" parent=n1 start=n5
                  n5 B (Pass) name@867=B
                    Next → missing (完城)
                c3 MapProcessor "Processor" parent=n4 start=n6
                  n6 处理 (Task) name@490=处理 end
                    Catch → n7 (兜底) [FC.Unknown, FnF.ALL]
                  n7 兜底 (Pass) name@734=兜底 end
            "#]],
        );
    }

    #[test]
    fn legacy_steps_fall_through_in_order() {
        check(
            "version: v1\ntype: flow\nsteps:\n  - type: choice\n    name: c\n    choices:\n      - condition: $.a > 1\n        steps:\n          - type: pass\n            name: inner\n        goto: done\n    default:\n      goto: done\n  - type: pass\n    name: skipped\n  - type: task\n    name: t\n    catch:\n      - errors: [FC.Unknown]\n        goto: done\n  - type: succeed\n    name: done\n",
            expect![[r#"
                Legacy
                c0 Flow "Flow" parent=- start=n0
                  n0 c (choice) name@57=c
                    Branch → n3 (done) [$.a > 1]
                    Default → n3 (done) [Default]
                  n1 skipped (pass) name@235=skipped
                    Next → n2 (t)
                  n2 t (task) name@268=t
                    Catch → n3 (done) [FC.Unknown]
                    Next → n3 (done)
                  n3 done (succeed) name@357=done end
                c1 NestedSteps "Steps" parent=n0 start=n4
                  n4 inner (pass) name@155=inner
            "#]],
        );
    }

    #[test]
    fn not_a_flow_and_broken_flows() {
        assert!(graph(&Document::new("a: 1\n")).is_none());
        // A flow being typed: states without names, a state that is not a mapping.
        let doc =
            Document::new("Type: StateMachine\nStartAt: x\nStates:\n  - Type: Pass\n  - 3\n  - Name: \n");
        let g = graph(&doc).unwrap();
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(g.scopes[0].start, None);
    }
}
