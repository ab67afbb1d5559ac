//! Where the expressions of a flow are: every site, with its place, key and state.
//!
//! CloudFlow: values of keys ending in `.$` at any depth of InputConstructor,
//! OutputConstructor, GlobalConstructor, ItemConstructor, Parameters and Catch
//! OutputConstructor, state fields such as `Seconds.$`, Choice `Condition` and Map
//! `ItemsPath`. Legacy: mapping `source`s that start with `$` (the others are constants),
//! choice `condition`, `serviceParams` values, foreach `iterationMapping.collection` and
//! wait `duration`/`timestamp` paths.

use fdl_schema::Dialect;

use crate::analysis::model::{Flow, State};
use crate::expr::Place;
use crate::syntax::{Node, NodeKind};

/// What is written at a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// An expression: its value is evaluated.
    Expression,
    /// A constructor or Parameters value under a key without `.$`: taken literally. Kept to
    /// warn when it looks like an expression.
    Literal,
}

#[derive(Clone, Copy, Debug)]
pub struct Site<'a> {
    pub kind: SiteKind,
    pub place: Place,
    /// The value: a scalar, or (under a `.$` key, wrongly) a mapping or list.
    pub node: Node<'a>,
    /// The key, when the value belongs to a mapping entry.
    pub key: Option<Node<'a>>,
    /// Whether the key ends in `.$`.
    pub dollar_key: bool,
    /// The state or step the site belongs to (`None` for legacy flow-level mappings).
    pub state: Option<Node<'a>>,
}

const CONSTRUCTORS: &[(&str, Place)] = &[
    ("InputConstructor", Place::InputConstructor),
    ("OutputConstructor", Place::OutputConstructor),
    ("GlobalConstructor", Place::GlobalConstructor),
    ("ItemConstructor", Place::ItemConstructor),
    ("Parameters", Place::Parameters),
];

/// Every expression site of a flow (and CloudFlow literal constructor values), in
/// document order.
pub fn sites<'a>(flow: &Flow<'a>) -> Vec<Site<'a>> {
    sites_where(flow, &|_| true)
}

/// The sites of the top-level states `keep` accepts and of the states nested in them (and,
/// in legacy, of the flow itself).
pub fn sites_where<'a>(flow: &Flow<'a>, keep: &dyn Fn(Node<'a>) -> bool) -> Vec<Site<'a>> {
    let tops = flow.top_scope().states().into_iter().map(|s| s.node).filter(|n| keep(*n));
    sites_within(flow, tops)
}

/// The sites of the given top-level states and of the states nested in them (and, in
/// legacy, of the flow itself): walking only the state under the cursor, or only the states
/// an edit changed, is much cheaper than walking every constructor of a big flow.
pub fn sites_within<'a>(flow: &Flow<'a>, tops: impl IntoIterator<Item = Node<'a>>) -> Vec<Site<'a>> {
    let mut out = Vec::new();
    let states = flow.states_within(tops);
    match flow.dialect() {
        Dialect::CloudFlow => cloudflow_sites(flow, &states, &mut out),
        Dialect::Legacy => legacy_sites(flow, &states, &mut out),
    }
    out.sort_by_key(|s| s.node.range().start);
    out
}

fn cloudflow_sites<'a>(flow: &Flow<'a>, states: &[State<'_, 'a>], out: &mut Vec<Site<'a>>) {
    for state in states {
        let s = Some(state.node);
        for e in flow.entries(state.node) {
            let Some(key) = e.key.scalar() else { continue };
            if let Some((_, place)) = CONSTRUCTORS.iter().find(|(k, _)| *k == key) {
                constructor(flow, e.value, *place, s, out);
            } else if key.ends_with(".$") {
                out.push(site(SiteKind::Expression, Place::StateField, e.value, Some(e.key), s));
            }
        }
        match state.ty().map(|(t, _)| t) {
            Some("Choice") => {
                for branch in flow.list(state.node, "Branches") {
                    if let Some(c) = flow.get(branch, "Condition") {
                        out.push(site(SiteKind::Expression, Place::Condition, c.value, Some(c.key), s));
                    }
                }
            }
            Some("Map") => {
                if let Some(e) = flow.get(state.node, "ItemsPath") {
                    out.push(site(SiteKind::Expression, Place::ItemsPath, e.value, Some(e.key), s));
                }
            }
            _ => {}
        }
        for rule in flow.list(state.node, "Catch") {
            if let Some(e) = flow.get(rule, "OutputConstructor") {
                constructor(flow, e.value, Place::CatchOutputConstructor, s, out);
            }
        }
    }
}

fn site<'a>(
    kind: SiteKind,
    place: Place,
    node: Node<'a>,
    key: Option<Node<'a>>,
    state: Option<Node<'a>>,
) -> Site<'a> {
    let dollar_key = key.and_then(|k| k.scalar()).is_some_and(|k| k.ends_with(".$"));
    Site { kind, place, node, key, dollar_key, state }
}

/// The `.$` values of a constructor, at any depth, and its literal string values.
fn constructor<'a>(
    flow: &Flow<'a>,
    node: Node<'a>,
    place: Place,
    state: Option<Node<'a>>,
    out: &mut Vec<Site<'a>>,
) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        let node = flow.resolve(node);
        match node.kind() {
            NodeKind::Mapping => {
                for e in flow.entries(node) {
                    let Some(key) = e.key.scalar() else { continue };
                    if key.ends_with(".$") {
                        out.push(site(SiteKind::Expression, place, e.value, Some(e.key), state));
                    } else if e.value.kind() == NodeKind::Scalar {
                        out.push(site(SiteKind::Literal, place, e.value, Some(e.key), state));
                    } else {
                        stack.push(e.value);
                    }
                }
            }
            NodeKind::Sequence => stack.extend(node.items()),
            _ => {}
        }
    }
}

fn legacy_sites<'a>(flow: &Flow<'a>, states: &[State<'_, 'a>], out: &mut Vec<Site<'a>>) {
    let root = flow.root();
    mappings(flow, root, "inputMappings", Place::InputMapping { flow_level: true }, None, out);
    mappings(flow, root, "outputMappings", Place::OutputMapping { flow_level: true }, None, out);
    for state in states {
        let s = Some(state.node);
        mappings(flow, state.node, "inputMappings", Place::InputMapping { flow_level: false }, s, out);
        mappings(flow, state.node, "outputMappings", Place::OutputMapping { flow_level: false }, s, out);
        mappings(flow, state.node, "errorMappings", Place::ErrorMapping, s, out);
        for choice in flow.list(state.node, "choices") {
            if let Some(e) = flow.get(choice, "condition")
                && is_text(e.value)
            {
                out.push(site(SiteKind::Expression, Place::Condition, e.value, Some(e.key), s));
            }
        }
        if let Some(e) = flow.get(state.node, "iterationMapping")
            && let Some(c) = flow.get(e.value, "collection")
        {
            path_site(c.value, Place::ForeachCollection, Some(c.key), s, out);
        }
        for (key, place) in [("duration", Place::WaitDuration), ("timestamp", Place::WaitTimestamp)] {
            if let Some(e) = flow.get(state.node, key) {
                path_site(e.value, place, Some(e.key), s, out);
            }
        }
        if let Some(e) = flow.get(state.node, "serviceParams") {
            let mut stack = vec![e.value];
            while let Some(node) = stack.pop() {
                let node = flow.resolve(node);
                match node.kind() {
                    NodeKind::Mapping => {
                        for e in flow.entries(node) {
                            if e.value.kind() == NodeKind::Scalar {
                                path_site(e.value, Place::ServiceParams, Some(e.key), s, out);
                            } else {
                                stack.push(e.value);
                            }
                        }
                    }
                    NodeKind::Sequence => stack.extend(node.items()),
                    _ => {}
                }
            }
        }
    }
}

/// A string scalar without a deploy-time tag (`!Ref …` is resolved by other tools).
fn is_text(node: Node<'_>) -> bool {
    node.scalar().is_some() && node.tag().is_none_or(|(t, _)| t.starts_with("!!")) && !node.is_missing()
}

/// A legacy value that is a path when it starts with `$`, a constant otherwise.
fn path_site<'a>(
    node: Node<'a>,
    place: Place,
    key: Option<Node<'a>>,
    state: Option<Node<'a>>,
    out: &mut Vec<Site<'a>>,
) {
    if is_text(node) && node.scalar().is_some_and(|v| v.trim_start().starts_with('$')) {
        out.push(site(SiteKind::Expression, place, node, key, state));
    }
}

fn mappings<'a>(
    flow: &Flow<'a>,
    owner: Node<'a>,
    key: &str,
    place: Place,
    state: Option<Node<'a>>,
    out: &mut Vec<Site<'a>>,
) {
    for entry in flow.list(owner, key) {
        if let Some(e) = flow.get(entry, "source") {
            path_site(e.value, place, Some(e.key), state, out);
        }
    }
}
