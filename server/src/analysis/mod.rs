//! Tree to model to diagnostics. Knows FDL, nothing of LSP or terminals.
//!
//! [`check`] runs, in order: the syntax errors; dialect detection (one `unknown-dialect`
//! diagnostic instead of a cascade); generic YAML checks (duplicate keys); the schema-driven
//! key and value checks of every object, state by state ([`keys`], [`states`]); the service
//! integration rules ([`integration`]); and the state graph of every scope ([`graph`]).

pub mod arn;
pub(crate) mod by_identity;
mod cache;
pub mod catalog_rules;
mod context;
mod diagnostic;
mod dialect;
mod directives;
pub mod embedded;
pub mod expressions;
mod facts;
#[cfg(test)]
mod fixture;
mod graph;
mod integration;
mod keys;
mod limits;
pub mod model;
mod names;
mod passes;
mod scope_graph;
mod states;

pub use cache::Cache;
pub use diagnostic::{Code, Diagnostic, Fix, Severity};
pub use directives::Directives;
pub use fdl_schema::Dialect;
pub use fdl_schema::integrations::WorkflowMode;

use std::sync::Arc;

use crate::syntax::{SourceText, SyntaxTree, TextRange};
use crate::templates::Syntaxes;

/// Settings that are not in the YAML.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// The workflow mode. `None`: from a `# fdl: mode=express` comment, else Standard.
    pub mode: Option<WorkflowMode>,
    /// The deployment tools whose placeholders are recognised (all by default); a
    /// `# fdl: placeholders=…` comment edits this set.
    pub placeholders: Syntaxes,
}

/// All diagnostics of a document, sorted by position.
pub fn check(text: &SourceText, tree: &SyntaxTree, options: &CheckOptions) -> Vec<Diagnostic> {
    check_cached(text, tree, options, &mut Cache::default())
}

/// [`check`], reusing the diagnostics of the top-level states that `cache` saw unchanged in
/// an earlier analysis of the same document. Same result as [`check`].
pub fn check_cached(
    text: &SourceText,
    tree: &SyntaxTree,
    options: &CheckOptions,
    cache: &mut Cache,
) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = tree
        .errors()
        .iter()
        .map(|e| Diagnostic::error(Code::YamlSyntax, e.range, e.message.clone()))
        .collect();
    match dialect::detect(tree) {
        Err(d) => diagnostics.extend(d),
        Ok((dialect, root)) => {
            let directives = Directives::read(text);
            let mode = options.mode.or(directives.mode).unwrap_or(WorkflowMode::Standard);
            let placeholders = directives.placeholders(&options.placeholders);
            let flow = model::Flow::from_root(dialect, root, tree.may_have_anchors());
            cache.prepare(dialect, mode, &placeholders);
            // With anchors, a state's keys may come from elsewhere: no reuse then.
            let reuse = !tree.may_have_anchors();
            let items = flow
                .top_scope()
                .list_entry()
                .map(|e| e.value.items().collect::<Vec<_>>())
                .unwrap_or_default();
            if !reuse {
                cache.clear();
            }
            let addresses: Vec<usize> = items.iter().map(|i| i.identity()).collect();
            let window = cache.window(&addresses);
            let fresh: Vec<_> = window
                .middle
                .clone()
                .filter(|&k| window.kept(cache, k).is_none())
                .map(|k| items[k])
                .collect();
            let first_local = diagnostics.len();
            let top_list = flow.top_scope().list_entry().map(|e| e.value);
            let mut cx =
                context::Ctx { flow: &flow, dialect, mode, placeholders, text, diagnostics, top_list, fresh };
            if let Some(excess) = flow.alias_excess() {
                let message = match excess {
                    model::Excess::Size => format!(
                        "the aliases of this document would expand to more than {} nodes (a \"billion laughs\"), which YAML parsers refuse; fdl does not follow them",
                        model::ALIAS_BUDGET
                    ),
                    model::Excess::Depth => format!(
                        "the aliases of this document would nest values more than {} levels deep (each alias inside the value of the anchor it follows); fdl does not follow them",
                        crate::syntax::MAX_NESTING
                    ),
                };
                cx.push(Diagnostic::error(
                    Code::ExcessiveAliasing,
                    TextRange::empty(root.range().start),
                    message,
                ));
            }
            passes::run(&mut cx, root, reuse);
            // Everything so far is local to a state or to the root: keep each new state's
            // part, and its facts, for the next analysis.
            let mut local: Vec<&Diagnostic> = cx.diagnostics[first_local..].iter().collect();
            local.sort_by_key(|d| d.range.start);
            let mut reused: Vec<Diagnostic> = Vec::new();
            if cache.has_diagnostics() {
                for (k, item) in items.iter().enumerate() {
                    if let Some(kept) = window.kept(cache, k).filter(|kept| !kept.diagnostics.is_empty()) {
                        let start = item.range().start;
                        reused.extend(kept.diagnostics.iter().map(|d| shifted(d, start)));
                    }
                }
            }
            let mut middle: Vec<cache::Item> = Vec::with_capacity(window.middle.len());
            for k in window.middle.clone() {
                if let Some(kept) = window.kept(cache, k) {
                    middle.push(kept.clone());
                    continue;
                }
                let item = items[k];
                let range = item.range();
                let from = local.partition_point(|d| d.range.start < range.start);
                let own = local[from..]
                    .iter()
                    .take_while(|d| d.range.start <= range.end)
                    .filter(|d| range.contains_range(d.range))
                    .map(|d| shifted_back(d, range.start))
                    .collect();
                // An alias item reads the state it names (relative to that state's start).
                let state = flow.resolve(item);
                let facts = (state.kind() == crate::syntax::NodeKind::Mapping)
                    .then(|| Arc::new(facts::StateFacts::read(&cx, &flow.state(state), state.range().start)));
                middle.push(cache::Item { subtree: item.subtree(), diagnostics: own, facts });
            }
            cx.diagnostics.extend(reused);
            let graph = top_graph(cache, &window, &middle);
            cache.close(&window, middle);
            let all_states = cache.all_states();
            let starts: Vec<u32> = items
                .iter()
                .zip(cache.items())
                .filter(|(_, kept)| all_states || kept.facts.is_some())
                .map(|(item, _)| if reuse { item.range().start } else { flow.resolve(*item).range().start })
                .collect();
            let top = flow.top_scope();
            let view = graph::ScopeView::new(&cx, &top);
            graph::check_scope(&mut cx, &view, &graph, &starts);
            cache.graph = Some(graph);
            diagnostics = cx.diagnostics;
        }
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    diagnostics.dedup();
    diagnostics
}

/// The top-level scope's graph once `middle` (this analysis's entries of the window's
/// middle) replaces the window's old entries: the last one updated for the states in the
/// middle when the list kept its shape (the same number of items, the same ones states),
/// else built afresh.
fn top_graph(cache: &mut Cache, window: &cache::Window, middle: &[cache::Item]) -> scope_graph::ScopeGraph {
    let same_shape = window.old.len() == middle.len()
        && cache.old_states(window.old.clone()).zip(middle).all(|(was, now)| was == now.facts.is_some());
    match cache.graph.take() {
        Some(mut graph) if same_shape => {
            // The graph's index of an item: the items before it that are states.
            let mut index = if cache.all_states() {
                window.old.start
            } else {
                cache.old_states(0..window.old.start).filter(|s| *s).count()
            };
            for item in middle {
                if let Some(facts) = &item.facts {
                    graph.replace(index, Arc::clone(facts));
                    index += 1;
                }
            }
            graph
        }
        _ => {
            let kept = cache.items();
            let facts = kept[..window.old.start]
                .iter()
                .chain(middle)
                .chain(&kept[window.old.end..])
                .filter_map(|i| i.facts.clone())
                .collect();
            scope_graph::ScopeGraph::build(facts)
        }
    }
}

fn shifted(d: &Diagnostic, by: u32) -> Diagnostic {
    let mut d = d.clone();
    d.range = d.range.shifted(by);
    for fix in &mut d.fixes {
        for (r, _) in &mut fix.edits {
            *r = r.shifted(by);
        }
    }
    d
}

fn shifted_back(d: &Diagnostic, by: u32) -> Diagnostic {
    let mut d = d.clone();
    d.range = TextRange::new(d.range.start - by, d.range.end - by);
    for fix in &mut d.fixes {
        for (r, _) in &mut fix.edits {
            *r = TextRange::new(r.start.saturating_sub(by), r.end.saturating_sub(by));
        }
    }
    d
}

/// The dialect of a document, if it is a flow definition.
pub fn dialect_of(tree: &SyntaxTree) -> Option<Dialect> {
    dialect::detect(tree).ok().map(|(d, _)| d)
}

/// Reads `# fdl: mode=express` (or `standard`) from a comment line.
pub fn mode_from_comment(text: &SourceText) -> Option<WorkflowMode> {
    Directives::read(text).mode
}

/// Whether a parsed YAML file holds a flow definition of either dialect (used when a
/// directory is checked, to skip unrelated YAML such as CI configuration).
pub fn looks_like_fdl(tree: &SyntaxTree) -> bool {
    let Some(root) = tree.root() else { return false };
    // The dry run's mocks and test files have `States:` too, beside keys no flow has.
    let dry_run_file = ["Tests", "Actions", "Flow"].iter().any(|k| root.get(k).is_some());
    if dry_run_file && root.get("Type").is_none() && root.get("steps").is_none() {
        return false;
    }
    root.get("States").is_some()
        || root.get("Type").is_some_and(|e| e.value.scalar() == Some("StateMachine"))
        || root.get("steps").is_some()
        || root.get("type").is_some_and(|e| e.value.scalar() == Some("flow"))
}

#[cfg(test)]
mod placeholder_tests;
#[cfg(test)]
mod severity_tests;
#[cfg(test)]
mod tests;
