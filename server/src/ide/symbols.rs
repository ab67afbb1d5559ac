//! The outline: states (with their type) in document order, with Parallel branches, Map
//! processors and legacy nested step lists as children.
//!
//! Each top-level state's symbol is kept between requests on the same document, by its
//! subtree, with ranges relative to the state's start (see `analysis::by_identity`): an editor asks
//! for the outline after every keystroke, and a keystroke changes one state.

use std::sync::Arc;

use fdl_schema::Dialect;

use super::Document;
use crate::analysis::by_identity::ByIdentity;
use crate::analysis::model::{Flow, Scope, ScopeKind};
use crate::syntax::TextRange;
use crate::syntax::green::GreenNode;

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

impl Symbol {
    /// This symbol and its children with every range moved `by` bytes later.
    pub fn shifted(&self, by: u32) -> Symbol {
        Symbol {
            name: self.name.clone(),
            detail: self.detail.clone(),
            kind: self.kind,
            state_type: self.state_type.clone(),
            range: self.range.shifted(by),
            selection_range: self.selection_range.shifted(by),
            children: self.children.iter().map(|c| c.shifted(by)).collect(),
        }
    }

    /// Whether this symbol's ranges and its children's lie within `range`.
    fn within(&self, range: TextRange) -> bool {
        range.contains_range(self.range)
            && range.contains_range(self.selection_range)
            && self.children.iter().all(|c| c.within(range))
    }
}

/// The outline as placed pieces: each top-level symbol (shared with the cache) and the
/// offset its ranges are relative to. The `lsp` layer writes it without copying symbols.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    pub symbols: Vec<Placed>,
}

#[derive(Clone, Debug)]
pub struct Placed {
    /// Where the symbol's ranges start from: its ranges plus `at` are document offsets.
    pub at: u32,
    pub symbol: Arc<Symbol>,
}

impl Outline {
    /// The symbols with document ranges.
    pub fn into_symbols(self) -> Vec<Symbol> {
        self.symbols
            .into_iter()
            .map(|p| match Arc::try_unwrap(p.symbol) {
                Ok(symbol) if p.at == 0 => symbol,
                Ok(symbol) => symbol.shifted(p.at),
                Err(shared) => shared.shifted(p.at),
            })
            .collect()
    }
}

/// The top-level symbols of one document's snapshots, by state subtree, for one dialect.
#[derive(Default)]
pub(crate) struct SymbolCache {
    dialect: Option<Dialect>,
    states: ByIdentity<GreenNode, Arc<Symbol>>,
}

impl std::fmt::Debug for SymbolCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SymbolCache({} states)", self.states.len())
    }
}

pub fn document_symbols(doc: &Document) -> Vec<Symbol> {
    outline(doc).into_symbols()
}

/// [`document_symbols`] as placed pieces, reusing the symbols of states unchanged since the
/// last call on this document's history.
pub fn outline(doc: &Document) -> Outline {
    let placed = |symbol| Placed { at: 0, symbol: Arc::new(symbol) };
    if doc.host().is_some() {
        return Outline { symbols: fresh_symbols(doc).into_iter().map(placed).collect() };
    }
    let Some(flow) = Flow::new(&doc.tree) else { return Outline::default() };
    // Aliases and merge keys can bring a state's name or type from elsewhere: no reuse.
    if doc.tree.may_have_anchors() {
        return Outline { symbols: scope_symbols(&flow.top_scope()).into_iter().map(placed).collect() };
    }
    // A poisoned cache only means an earlier request panicked: start it afresh.
    let mut cache = doc.symbols.lock().unwrap_or_else(|e| {
        let mut guard = e.into_inner();
        *guard = SymbolCache::default();
        guard
    });
    if cache.dialect != Some(flow.dialect()) {
        cache.states.clear();
        cache.dialect = Some(flow.dialect());
    }
    let states = flow.top_scope().states();
    let mut symbols = Vec::with_capacity(states.len());
    cache.states.begin();
    for state in states {
        let range = state.node.range();
        let subtree = state.node.subtree();
        let symbol = match cache.states.get(&subtree) {
            Some(symbol) => Arc::clone(symbol),
            None => {
                let symbol = state_symbol(&state);
                // Relative ranges hold only for symbols inside their state (always, without
                // aliases); anything else is made afresh each time.
                if !symbol.within(range) {
                    symbols.push(placed(symbol));
                    continue;
                }
                let symbol = Arc::new(symbol.shifted_back(range.start));
                cache.states.insert(subtree, Arc::clone(&symbol));
                symbol
            }
        };
        symbols.push(Placed { at: range.start, symbol });
    }
    cache.states.end();
    Outline { symbols }
}

/// The symbols made from scratch, with document ranges.
fn fresh_symbols(doc: &Document) -> Vec<Symbol> {
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
                children: fresh_symbols(&e.doc).into_iter().map(|s| mapped(s, e)).collect(),
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
    scope.states().iter().map(state_symbol).collect()
}

fn state_symbol(state: &crate::analysis::model::State<'_, '_>) -> Symbol {
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
}

impl Symbol {
    /// The inverse of [`Symbol::shifted`], for symbols known to start at or after `by`.
    fn shifted_back(mut self, by: u32) -> Symbol {
        let back = |r: TextRange| TextRange::new(r.start - by, r.end - by);
        self.range = back(self.range);
        self.selection_range = back(self.selection_range);
        self.children = self.children.into_iter().map(|c| c.shifted_back(by)).collect();
        self
    }
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

    mod cached {
        use proptest::prelude::*;

        use super::super::*;

        const FLOW: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 分支\nStates:\n  - Type: Parallel\n    Name: 分支\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Pass\n            Name: A\n            End: true\n    Next: M\n  - Type: Map\n    Name: M\n    ItemsPath: $Input.xs\n    Processor:\n      StartAt: Each\n      States:\n        - Type: Pass\n          Name: Each\n          End: true\n    Next: 完\n  - Type: Succeed\n    Name: 完\n";
        const LEGACY: &str = "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: 甲\n  - type: foreach\n    name: 乙\n    iterationMapping:\n      collection: $.xs\n    steps:\n      - type: pass\n        name: 丙\n  - type: choice\n    name: 丁\n    choices:\n      - condition: $.x > 1\n        steps:\n          - type: pass\n            name: 戊\n    default:\n      goto: 甲\n";
        const SNIPPETS: &[&str] = &[
            "x",
            "\n",
            "  ",
            "视频",
            ": ",
            "#",
            "  - Type: Pass\n    Name: 新\n",
            "  - type: parallel\n    name: 并\n    branches:\n      - steps:\n          - type: pass\n            name: 子\n",
            "&a ",
            "*a",
            "<<: *a\n",
            "Type: Map\n",
            "\r\n",
            "{Type: Pass, Name: 流}",
        ];

        proptest! {
            #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
            /// Symbols reused from unchanged states are exactly what a fresh document gives,
            /// placed pieces and plain symbols alike.
            #[test]
            fn cached_symbols_equal_fresh_symbols(edits in prop::collection::vec((0.0..1.0f64, 0usize..12, 0..SNIPPETS.len() + 1), 1..8), legacy in any::<bool>()) {
                let mut doc = Document::new(if legacy { LEGACY } else { FLOW });
                document_symbols(&doc);
                for (at, len, snippet) in edits {
                    let s = doc.text.to_string_lossless();
                    let (start, end) = crate::syntax::text::random_edit_bounds(&s, at, len);
                    let insert = SNIPPETS.get(snippet).copied().unwrap_or("");
                    doc = doc.edit(TextRange::new(start as u32, end as u32), insert);
                    let fresh = Document::new(&doc.text.to_string_lossless());
                    let expected = fresh_symbols(&fresh);
                    prop_assert_eq!(&document_symbols(&doc), &expected, "text: {:?}", doc.text.to_string_lossless());
                    // Twice: the second answer comes from the cache whole.
                    prop_assert_eq!(&document_symbols(&doc), &expected);
                    prop_assert_eq!(&document_symbols(&fresh), &expected);
                }
            }
        }
    }
}
