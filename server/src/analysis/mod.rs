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
            cache.begin();
            // Per item, the facts of an analysis before (`Some`), or `None` to analyse it.
            let mut facts_of: Vec<Option<Option<Arc<facts::StateFacts>>>> = Vec::with_capacity(items.len());
            let mut reused: Vec<Diagnostic> = Vec::new();
            let mut fresh = Vec::new();
            for item in &items {
                match cache.get(&item.subtree()).filter(|_| reuse) {
                    Some(entry) => {
                        let start = item.range().start;
                        reused.extend(entry.diagnostics.iter().map(|d| shifted(d, start)));
                        facts_of.push(Some(entry.facts.clone()));
                    }
                    None => {
                        fresh.push(*item);
                        facts_of.push(None);
                    }
                }
            }
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
            context::yaml_checks(&mut cx, root);
            let object = fdl_schema::spec::root_object(dialect);
            let label = match dialect {
                Dialect::CloudFlow => "state machine",
                Dialect::Legacy => "flow",
            };
            keys::check_object(&mut cx, root, object, label);
            limits::flow_name(&mut cx, root);
            expressions::check(&mut cx);
            catalog_rules::check(&mut cx);
            graph::check_nested(&mut cx);
            // Everything so far is local to a state or to the root: keep each new state's
            // part, and its facts, for the next analysis.
            let mut local: Vec<&Diagnostic> = cx.diagnostics[first_local..].iter().collect();
            local.sort_by_key(|d| d.range.start);
            for (item, slot) in items.iter().zip(facts_of.iter_mut()) {
                if slot.is_some() {
                    continue;
                }
                let range = item.range();
                let from = local.partition_point(|d| d.range.start < range.start);
                let own = local[from..]
                    .iter()
                    .take_while(|d| d.range.start <= range.end)
                    .filter(|d| range.contains_range(d.range))
                    .map(|d| shifted_back(d, range.start))
                    .collect();
                // An alias item reads the state it names (relative to that state's start).
                let state = flow.resolve(*item);
                let facts = (state.kind() == crate::syntax::NodeKind::Mapping)
                    .then(|| Arc::new(facts::StateFacts::read(&cx, &flow.state(state), state.range().start)));
                *slot = Some(facts.clone());
                cache.insert(item.subtree(), cache::Entry { diagnostics: own, facts });
            }
            cache.end();
            cx.diagnostics.extend(reused);
            let top_facts: Vec<(u32, Arc<facts::StateFacts>)> = items
                .iter()
                .zip(facts_of)
                .filter_map(|(item, facts)| Some((flow.resolve(*item).range().start, facts??)))
                .collect();
            let top = flow.top_scope();
            let view =
                graph::ScopeView::new(&cx, &top, top_facts.iter().map(|(at, f)| (*at, &**f)).collect());
            graph::check_scope(&mut cx, &view);
            diagnostics = cx.diagnostics;
        }
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    diagnostics.dedup();
    diagnostics
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
