//! `fdl graph`: the state graph of one flow as a Mermaid flowchart (for Markdown) or
//! Graphviz dot. States that hold scopes (Parallel, Map, legacy nested steps) become
//! subgraphs holding one subgraph per scope.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::analysis::model::TransitionKind;
use crate::ide::{Document, Graph, GraphNode, graph};

use super::args::{GraphArgs, GraphFormat};
use super::console::{Console, Exit};
use super::files;

pub fn run(args: &GraphArgs, console: &mut Console) -> Exit {
    let text = match files::read_text(&args.flow) {
        Ok(text) => text,
        Err(e) => {
            console.error_line(&format!("{}: {e}", args.flow.display()));
            return Exit::Trouble;
        }
    };
    let Some(g) = graph(&Document::new(&text)) else {
        console.error_line(&format!("{}: not a flow definition (neither dialect)", args.flow.display()));
        return Exit::Errors;
    };
    console.out(&match args.format {
        GraphFormat::Mermaid => mermaid(&g),
        GraphFormat::Dot => dot(&g),
    });
    Exit::Clean
}

/// Children of each state and of each scope, in order.
struct Tree<'g> {
    scopes_of: HashMap<&'g str, Vec<usize>>,
    nodes_of: HashMap<&'g str, Vec<&'g GraphNode>>,
}

impl<'g> Tree<'g> {
    fn new(g: &'g Graph) -> Tree<'g> {
        let mut scopes_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in g.scopes.iter().enumerate() {
            if let Some(p) = &s.parent {
                scopes_of.entry(p.as_str()).or_default().push(i);
            }
        }
        let mut nodes_of: HashMap<&str, Vec<&GraphNode>> = HashMap::new();
        for n in &g.nodes {
            nodes_of.entry(n.scope.as_str()).or_default().push(n);
        }
        Tree { scopes_of, nodes_of }
    }
}

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;")
}

pub(crate) fn mermaid(g: &Graph) -> String {
    let tree = Tree::new(g);
    let mut out = String::from("flowchart TD\n");
    if let Some(start) = g.scopes.first().and_then(|s| s.start.as_ref()) {
        let _ = writeln!(out, "  start((\"Start\")) --> {start}");
    }
    mermaid_scope(g, &tree, 0, 1, &mut out);
    let mut missing = 0;
    for e in &g.edges {
        let to = match &e.to {
            Some(to) => to.clone(),
            None => {
                missing += 1;
                let id = format!("missing{missing}");
                let _ = writeln!(out, "  {id}[/\"{} (missing)\"/]", mermaid_text(&e.target));
                id
            }
        };
        let arrow = match (e.kind, &e.label) {
            (TransitionKind::Next, _) => "-->".to_string(),
            (TransitionKind::Branch, Some(l)) => format!("-->|\"{}\"|", mermaid_text(l)),
            (TransitionKind::Branch, None) => "-->".to_string(),
            (TransitionKind::Default, _) => "-.->|\"Default\"|".to_string(),
            (TransitionKind::Catch, l) => {
                format!("-.->|\"Catch {}\"|", mermaid_text(l.as_deref().unwrap_or("")).trim_end())
            }
        };
        let _ = writeln!(out, "  {} {arrow} {to}", e.from);
    }
    out
}

fn mermaid_scope(g: &Graph, tree: &Tree<'_>, scope: usize, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for n in tree.nodes_of.get(g.scopes[scope].id.as_str()).into_iter().flatten() {
        let label = format!("{}<br/>{}", mermaid_text(&n.name), mermaid_text(&n.state_type));
        match tree.scopes_of.get(n.id.as_str()) {
            Some(children) => {
                let _ = writeln!(out, "{pad}subgraph {}[\"{label}\"]", n.id);
                for &c in children {
                    let _ = writeln!(
                        out,
                        "{pad}  subgraph {}[\"{}\"]",
                        g.scopes[c].id,
                        mermaid_text(&g.scopes[c].label)
                    );
                    mermaid_scope(g, tree, c, depth + 2, out);
                    let _ = writeln!(out, "{pad}  end");
                }
                let _ = writeln!(out, "{pad}end");
            }
            None => {
                let shape = match n.state_type.to_ascii_lowercase().as_str() {
                    "choice" => format!("{{\"{label}\"}}"),
                    "succeed" | "fail" => format!("([\"{label}\"])"),
                    _ => format!("[\"{label}\"]"),
                };
                let _ = writeln!(out, "{pad}{}{shape}", n.id);
            }
        }
    }
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub(crate) fn dot(g: &Graph) -> String {
    let tree = Tree::new(g);
    let mut out = String::from("digraph flow {\n  node [shape=box, style=rounded];\n");
    if let Some(start) = g.scopes.first().and_then(|s| s.start.as_ref()) {
        let _ = writeln!(out, "  start [shape=circle, label=\"Start\"];\n  start -> {start};");
    }
    dot_scope(g, &tree, 0, 1, &mut out);
    let mut missing = 0;
    for e in &g.edges {
        let to = match &e.to {
            Some(to) => to.clone(),
            None => {
                missing += 1;
                let id = format!("missing{missing}");
                let _ = writeln!(out, "  {id} [label=\"{} (missing)\", style=dashed];", dot_text(&e.target));
                id
            }
        };
        let attrs = match e.kind {
            TransitionKind::Next => String::new(),
            TransitionKind::Branch => format!(" [label=\"{}\"]", dot_text(e.label.as_deref().unwrap_or(""))),
            TransitionKind::Default => " [label=\"Default\", style=dashed]".to_string(),
            TransitionKind::Catch => {
                format!(
                    " [label=\"Catch {}\", style=dotted, color=red]",
                    dot_text(e.label.as_deref().unwrap_or(""))
                )
            }
        };
        let _ = writeln!(out, "  {} -> {to}{attrs};", e.from);
    }
    out.push_str("}\n");
    out
}

fn dot_scope(g: &Graph, tree: &Tree<'_>, scope: usize, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for n in tree.nodes_of.get(g.scopes[scope].id.as_str()).into_iter().flatten() {
        let shape = match n.state_type.to_ascii_lowercase().as_str() {
            "choice" => ", shape=diamond, style=\"\"",
            "succeed" | "fail" => ", peripheries=2",
            _ => "",
        };
        let node =
            format!("{} [label=\"{}\\n{}\"{shape}];", n.id, dot_text(&n.name), dot_text(&n.state_type));
        match tree.scopes_of.get(n.id.as_str()) {
            Some(children) => {
                let _ = writeln!(
                    out,
                    "{pad}subgraph cluster_{} {{\n{pad}  style=dashed; label=\"\";\n{pad}  {node}",
                    n.id
                );
                for &c in children {
                    let _ = writeln!(
                        out,
                        "{pad}  subgraph cluster_{} {{\n{pad}    label=\"{}\";",
                        g.scopes[c].id,
                        dot_text(&g.scopes[c].label)
                    );
                    dot_scope(g, tree, c, depth + 2, out);
                    let _ = writeln!(out, "{pad}  }}");
                }
                let _ = writeln!(out, "{pad}}}");
            }
            None => {
                let _ = writeln!(out, "{pad}{node}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    const FLOW: &str = "Type: StateMachine\nStartAt: 检查\nStates:\n  - Type: Choice\n    Name: 检查\n    Branches:\n      - Condition: $Input.name == \"a\"\n        Next: 并行\n    Default: 完城\n  - Type: Parallel\n    Name: 并行\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Task\n            Name: A\n            Action: FC:InvokeFunction\n            Catch:\n              - Errors: [FnF.ALL]\n                Next: B\n            End: true\n          - Type: Pass\n            Name: B\n            End: true\n    Next: 完成\n  - Type: Succeed\n    Name: 完成\n";

    #[test]
    fn mermaid_nests_scopes_and_marks_edge_kinds() {
        let g = graph(&Document::new(FLOW)).unwrap();
        expect![[r#"
            flowchart TD
              start(("Start")) --> n0
              n0{"检查<br/>Choice"}
              subgraph n1["并行<br/>Parallel"]
                subgraph c1["Branch 1"]
                  n3["A<br/>Task"]
                  n4["B<br/>Pass"]
                end
              end
              n2(["完成<br/>Succeed"])
              n0 -->|"$Input.name == #quot;a#quot;"| n1
              missing1[/"完城 (missing)"/]
              n0 -.->|"Default"| missing1
              n1 --> n2
              n3 -.->|"Catch FnF.ALL"| n4
        "#]]
        .assert_eq(&mermaid(&g));
    }

    #[test]
    fn dot_nests_clusters() {
        let g = graph(&Document::new(FLOW)).unwrap();
        expect![[r#"
            digraph flow {
              node [shape=box, style=rounded];
              start [shape=circle, label="Start"];
              start -> n0;
              n0 [label="检查\nChoice", shape=diamond, style=""];
              subgraph cluster_n1 {
                style=dashed; label="";
                n1 [label="并行\nParallel"];
                subgraph cluster_c1 {
                  label="Branch 1";
                  n3 [label="A\nTask"];
                  n4 [label="B\nPass"];
                }
              }
              n2 [label="完成\nSucceed", peripheries=2];
              n0 -> n1 [label="$Input.name == \"a\""];
              missing1 [label="完城 (missing)", style=dashed];
              n0 -> missing1 [label="Default", style=dashed];
              n1 -> n2;
              n3 -> n4 [label="Catch FnF.ALL", style=dotted, color=red];
            }
        "#]]
        .assert_eq(&dot(&g));
    }
}
