//! The outline: states (with their type) in document order, with Parallel branches, Map
//! processors and legacy nested step lists as children.

use super::Document;
use crate::analysis::model::{Flow, Scope, ScopeKind};
use crate::syntax::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// A state; the detail holds its type.
    State,
    /// A Parallel branch, Map processor or nested step list.
    Scope,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The state's type as written (`Task`, legacy `task`), for states.
    pub state_type: Option<String>,
    pub range: TextRange,
    pub selection_range: TextRange,
    pub children: Vec<Symbol>,
}

pub fn document_symbols(doc: &Document) -> Vec<Symbol> {
    if let Some(host) = doc.host() {
        // One symbol per embedded flow (its resource), with the flow's outline inside.
        return host
            .flows
            .iter()
            .map(|e| Symbol {
                name: e.flow.resource.clone(),
                detail: Some(format!("flow in the {}", e.flow.format)),
                kind: SymbolKind::Scope,
                state_type: None,
                range: e.flow.range,
                selection_range: e.flow.range,
                children: document_symbols(&e.doc).into_iter().map(|s| mapped(s, e)).collect(),
            })
            .collect();
    }
    let Some(flow) = Flow::new(&doc.tree) else { return Vec::new() };
    scope_symbols(&flow.top_scope())
}

fn mapped(mut symbol: Symbol, e: &super::host::EmbeddedDoc) -> Symbol {
    symbol.range = e.range_to_host(symbol.range);
    symbol.selection_range = e.range_to_host(symbol.selection_range);
    symbol.children = symbol.children.into_iter().map(|c| mapped(c, e)).collect();
    symbol
}

fn scope_symbols(scope: &Scope<'_, '_>) -> Vec<Symbol> {
    scope
        .states()
        .iter()
        .map(|state| {
            let (name, selection_range) = match state.name() {
                Some((n, node)) => (n.to_string(), node.value_range()),
                None => ("(unnamed)".to_string(), state.node.range()),
            };
            let ty = state.ty().map(|(t, _)| t.to_string());
            let children_scopes = state.child_scopes();
            let many = children_scopes.len() > 1;
            let mut children = Vec::new();
            for (i, child) in children_scopes.iter().enumerate() {
                let states = scope_symbols(child);
                let label = match child.kind {
                    ScopeKind::ParallelBranch => format!("Branch {i}"),
                    ScopeKind::MapProcessor => "Processor".to_string(),
                    ScopeKind::NestedSteps | ScopeKind::Flow => {
                        if many {
                            format!("steps {i}")
                        } else {
                            "steps".to_string()
                        }
                    }
                };
                let range = child.owner.range();
                // A single nested list of a legacy step is shown inline, not as a level.
                if child.kind == ScopeKind::NestedSteps && !many {
                    children.extend(states);
                    continue;
                }
                let start = child.start_at().map(|(s, _)| format!("starts at {s}"));
                children.push(Symbol {
                    name: label,
                    detail: start,
                    kind: SymbolKind::Scope,
                    state_type: None,
                    range,
                    selection_range: TextRange::empty(range.start),
                    children: states,
                });
            }
            Symbol {
                name,
                detail: ty.clone(),
                kind: SymbolKind::State,
                state_type: ty,
                range: state.node.range(),
                selection_range,
                children,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    fn render(symbols: &[Symbol], depth: usize, out: &mut String) {
        for s in symbols {
            out.push_str(&format!(
                "{:indent$}{} [{}] {:?}\n",
                "",
                s.name,
                s.detail.as_deref().unwrap_or(""),
                s.selection_range,
                indent = depth * 2
            ));
            render(&s.children, depth + 1, out);
        }
    }

    #[test]
    fn nested_outline() {
        let doc = Document::new(
            "Type: StateMachine\nSpecVersion: v1\nStartAt: 分支\nStates:\n  - Type: Parallel\n    Name: 分支\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Pass\n            Name: A\n            End: true\n      - StartAt: M\n        States:\n          - Type: Map\n            Name: M\n            ItemsPath: $Input.xs\n            Processor:\n              StartAt: Each\n              States:\n                - Type: Pass\n                  Name: Each\n                  End: true\n            End: true\n    End: true\n",
        );
        let mut out = String::new();
        render(&document_symbols(&doc), 0, &mut out);
        expect![[r#"
            分支 [Parallel] 88..94
              Branch 0 [starts at A] 117..117
                A [Pass] 185..186
              Branch 1 [starts at M] 217..217
                M [Map] 284..285
                  Processor [starts at Each] 356..356
                    Each [Pass] 445..449
        "#]]
        .assert_eq(&out);
    }
}
