//! The expressions of a flow: where they are ([`sites`]), what they can see
//! ([`context_for`]), their diagnostics ([`check`]), and the one under a cursor
//! ([`expression_at`], for the editor).
//!
//! CloudFlow: values of keys ending in `.$` at any depth of InputConstructor,
//! OutputConstructor, GlobalConstructor, ItemConstructor, Parameters and Catch
//! OutputConstructor, state fields such as `Seconds.$`, Choice `Condition` and Map
//! `ItemsPath`. Legacy: mapping `source`s that start with `$` (the others are constants),
//! choice `condition`, `serviceParams` values, foreach `iterationMapping.collection` and
//! wait `duration`/`timestamp` paths.

use fdl_schema::Dialect;

use super::context::Ctx;
use super::model::{Flow, State, TransitionKind};
use super::{Code, Diagnostic, Fix, Severity};
use crate::expr::check::{self as expr_check, Issue, IssueCode, Level};
use crate::expr::{ExprContext, Field, Place, functions, parser};
use crate::syntax::scalar_map::ScalarMap;
use crate::syntax::{Node, NodeKind, SourceText, TextRange};

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

/// The context of an expression at a site, with the fields of `$Input` inferred from the
/// flow where possible.
pub fn context_for(flow: &Flow<'_>, site: &Site<'_>) -> ExprContext {
    let mut ctx = ExprContext::new(flow.dialect(), site.place);
    if let Some(state) = site.state {
        ctx.input_fields = match flow.dialect() {
            Dialect::CloudFlow => cloudflow_input(flow, state, site.place),
            Dialect::Legacy => legacy_input(flow, state, site.place),
        };
    }
    ctx
}

/// Keys a constructor writes, with nested mappings as children.
fn constructor_fields(flow: &Flow<'_>, node: Node<'_>, origin: &str, depth: usize) -> Vec<Field> {
    let node = flow.resolve(node);
    let mut fields = Vec::new();
    for e in flow.entries(node) {
        let Some(key) = e.key.scalar() else { continue };
        let (name, dynamic) = match key.strip_suffix(".$") {
            Some(base) => (base, true),
            None => (key, false),
        };
        let children = if !dynamic && depth < 8 && flow.resolve(e.value).kind() == NodeKind::Mapping {
            constructor_fields(flow, e.value, origin, depth + 1)
        } else {
            Vec::new()
        };
        if !fields.iter().any(|f: &Field| f.name == name) {
            fields.push(Field { name: name.to_string(), origin: origin.to_string(), children });
        }
    }
    fields
}

fn state_name(flow: &Flow<'_>, node: Node<'_>) -> String {
    flow.get_str(
        node,
        match flow.dialect() {
            Dialect::CloudFlow => "Name",
            Dialect::Legacy => "name",
        },
    )
    .map_or_else(|| "?".to_string(), |(n, _)| n.to_string())
}

fn cloudflow_input(flow: &Flow<'_>, state: Node<'_>, place: Place) -> Vec<Field> {
    if place != Place::InputConstructor
        && let Some(e) = flow.get(state, "InputConstructor")
    {
        let origin = format!("InputConstructor of `{}`", state_name(flow, state));
        return constructor_fields(flow, e.value, &origin, 0);
    }
    incoming(flow, state, 0)
}

/// What the states that lead to `state` output, merged.
fn incoming(flow: &Flow<'_>, state: Node<'_>, depth: usize) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    if depth > 6 {
        return fields;
    }
    let name = state_name(flow, state);
    for scope in flow.scopes_around(state) {
        let states = scope.states();
        if !states.iter().any(|s| s.node.same(state)) {
            continue;
        }
        for pred in states.iter().filter(|s| s.leads_to(&name)) {
            for t in pred.transitions() {
                if t.target != name {
                    continue;
                }
                let more = if t.kind == TransitionKind::Catch {
                    catch_output(flow, pred, &name)
                } else {
                    output_fields(flow, pred, depth)
                };
                for f in more {
                    if !fields.iter().any(|g| g.name == f.name) {
                        fields.push(f);
                    }
                }
            }
        }
    }
    fields
}

fn catch_output(flow: &Flow<'_>, pred: &State<'_, '_>, target: &str) -> Vec<Field> {
    for rule in flow.list(pred.node, "Catch") {
        if flow.get_str(rule, "Next").is_some_and(|(n, _)| n == target)
            && let Some(e) = flow.get(rule, "OutputConstructor")
        {
            let origin = format!("Catch OutputConstructor of `{}`", state_name(flow, pred.node));
            return constructor_fields(flow, e.value, &origin, 0);
        }
    }
    Vec::new()
}

fn output_fields(flow: &Flow<'_>, state: &State<'_, '_>, depth: usize) -> Vec<Field> {
    let name = state_name(flow, state.node);
    if let Some(e) = state.get("OutputConstructor") {
        return constructor_fields(flow, e.value, &format!("OutputConstructor of `{name}`"), 0);
    }
    let field = |n: String, what: &str| Field {
        name: n,
        origin: format!("{what} of `{name}`"),
        children: Vec::new(),
    };
    match state.ty().map(|(t, _)| t) {
        Some("Parallel") => {
            let n = flow.list(state.node, "Branches").len();
            (0..n).map(|i| field(format!("Branch{i}"), "the branch results")).collect()
        }
        Some("Map") => vec![field("Items".to_string(), "the results")],
        // These pass their input on.
        Some("Pass" | "Wait" | "Choice") => match state.get("InputConstructor") {
            Some(e) => constructor_fields(flow, e.value, &format!("InputConstructor of `{name}`"), 0),
            None => incoming(flow, state.node, depth + 1),
        },
        _ => Vec::new(),
    }
}

fn legacy_input(flow: &Flow<'_>, step: Node<'_>, place: Place) -> Vec<Field> {
    let targets = |owner: Node<'_>, key: &str, origin: &str| -> Vec<Field> {
        flow.list(owner, key)
            .into_iter()
            .filter_map(|m| flow.get_str(m, "target"))
            .map(|(t, _)| Field { name: t.to_string(), origin: origin.to_string(), children: Vec::new() })
            .collect()
    };
    if matches!(place, Place::InputMapping { .. }) {
        return Vec::new();
    }
    let name = state_name(flow, step);
    if flow.get(step, "inputMappings").is_some() {
        return targets(step, "inputMappings", &format!("inputMappings of `{name}`"));
    }
    // Without inputMappings a step sees the parent's input merged with the outputs of the
    // steps before it.
    let mut fields: Vec<Field> = Vec::new();
    for scope in flow.scopes_around(step) {
        let states = scope.states();
        let Some(i) = states.iter().position(|s| s.node.same(step)) else { continue };
        for prev in &states[..i] {
            let origin = format!("outputMappings of `{}`", state_name(flow, prev.node));
            for f in targets(prev.node, "outputMappings", &origin) {
                if !fields.iter().any(|g| g.name == f.name) {
                    fields.push(f);
                }
            }
        }
    }
    fields
}

/// Reports the problems of every expression of the flow.
pub(crate) fn check(cx: &mut Ctx<'_, '_>) {
    let flow = cx.flow;
    for site in sites_within(flow, cx.fresh_states()) {
        match site.kind {
            SiteKind::Expression => check_expression(cx, &site),
            SiteKind::Literal => check_literal(cx, &site),
        }
    }
}

/// Removes the `.$` of a key (a fix for values that are not expressions).
fn drop_dollar_fix(text: &SourceText, key: Node<'_>) -> Option<Fix> {
    let k = key.scalar()?;
    let base = k.strip_suffix(".$")?;
    let range = key.value_range();
    let raw = text.slice(range);
    let replacement = if raw == k { base.to_string() } else { raw.replacen(".$", "", 1) };
    Some(Fix { title: format!("Remove `.$`: use `{base}` as a constant"), edits: vec![(range, replacement)] })
}

fn check_expression(cx: &mut Ctx<'_, '_>, site: &Site<'_>) {
    let node = site.node;
    if node.alias().is_some() || node.tag().is_some_and(|(t, _)| !t.starts_with("!!")) {
        return;
    }
    let dialect = cx.dialect;
    if node.kind() != NodeKind::Scalar {
        if cx.deploy_time(node) {
            return;
        }
        if site.dollar_key && matches!(node.kind(), NodeKind::Mapping | NodeKind::Sequence) {
            let mut d = Diagnostic::warning(
                Code::NotAnExpression,
                node.value_range(),
                "a `.$` key takes an expression string; what a mapping or list under it means is undocumented (write the key without `.$` and use `.$` on the leaves)",
            );
            d.fixes.extend(site.key.and_then(|k| drop_dollar_fix(cx.text, k)));
            cx.push(d);
        }
        return;
    }
    let Some(value) = node.scalar() else { return };
    if placeholder_outside_strings(cx, value) {
        return;
    }
    let range = node.value_range();
    if dialect == Dialect::CloudFlow && site.dollar_key {
        let non_string = node.is_plain_scalar() && (node.is_null() || plain_non_string(value));
        if non_string || value.trim().is_empty() {
            let what = if value.trim().is_empty() || node.is_null() {
                "nothing".to_string()
            } else {
                format!("the constant `{value}`")
            };
            let mut d = Diagnostic::error(
                Code::NotAnExpression,
                if range.is_empty() { site.key.map_or(range, |k| k.range()) } else { range },
                format!("a key ending in `.$` takes an expression, but its value is {what}"),
            );
            if !value.trim().is_empty() {
                d.fixes.extend(site.key.and_then(|k| drop_dollar_fix(cx.text, k)));
            }
            cx.push(d);
            return;
        }
    }
    if value.trim().is_empty() {
        if site.place == Place::Condition || site.place == Place::ItemsPath {
            cx.push(Diagnostic::error(Code::ExpressionSyntax, range, "the expression is empty"));
        }
        return;
    }
    let Some(map) = ScalarMap::new(node, cx.text) else { return };
    let ctx = ExprContext::new(dialect, site.place);
    let issues = match parser::parse(value) {
        Ok(expr) => expr_check::check(&expr, &ctx),
        Err(e) => {
            let looks_literal =
                dialect == Dialect::CloudFlow && site.dollar_key && !value.contains(['$', '(']);
            if looks_literal {
                let mut d = Diagnostic::error(
                    Code::NotAnExpression,
                    range,
                    format!(
                        "`{value}` is not an expression: a `.$` value reads variables (`$Input.x`), calls functions or is a quoted literal"
                    ),
                );
                d.fixes.extend(site.key.and_then(|k| drop_dollar_fix(cx.text, k)));
                cx.push(d);
                return;
            }
            vec![Issue {
                code: IssueCode::ExpressionSyntax,
                level: Level::Error,
                range: e.range,
                message: e.message,
                fix: None,
            }]
        }
    };
    for issue in issues {
        cx.push(to_diagnostic(&issue, &map));
    }
}

/// Whether a deploy-time placeholder stands in the expression itself rather than in one
/// of its string literals (`$Input.n > ${vars.limit}` against `$Input.s == "${vars.s}"`):
/// the expression is then only known after deployment.
fn placeholder_outside_strings(cx: &Ctx<'_, '_>, value: &str) -> bool {
    let placeholders = cx.placeholders_in(value);
    if placeholders.is_empty() {
        return false;
    }
    let (tokens, _) = crate::expr::lexer::lex(value);
    placeholders.iter().any(|p| {
        !tokens.iter().any(|t| {
            matches!(t.kind, crate::expr::lexer::TokenKind::String(_)) && t.range.contains_range(p.range)
        })
    })
}

/// Converts an expression issue to a document diagnostic.
pub fn to_diagnostic(issue: &Issue, map: &ScalarMap) -> Diagnostic {
    let severity = match issue.level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Hint => Severity::Hint,
    };
    let mut d = Diagnostic::new(
        code_of(issue.code),
        severity,
        map.range_to_document(issue.range),
        issue.message.clone(),
    );
    if let Some(fix) = &issue.fix
        && map.is_exact()
    {
        d.fixes.push(Fix {
            title: fix.title.clone(),
            edits: vec![(map.range_to_document(fix.range), fix.replacement.clone())],
        });
    }
    d
}

pub fn code_of(code: IssueCode) -> Code {
    match code {
        IssueCode::ExpressionSyntax => Code::ExpressionSyntax,
        IssueCode::UnknownVariable => Code::UnknownVariable,
        IssueCode::VariableOutOfScope => Code::VariableOutOfScope,
        IssueCode::UnknownFunction => Code::UnknownFunction,
        IssueCode::WrongArity => Code::WrongArity,
        IssueCode::InvalidArgument => Code::InvalidArgument,
        IssueCode::TooDeep => Code::TooDeep,
        IssueCode::NotAnExpression => Code::NotAnExpression,
        IssueCode::UndocumentedSyntax => Code::UndocumentedSyntax,
    }
}

/// A plain scalar YAML reads as a number or a boolean (YAML 1.2 core schema).
fn plain_non_string(value: &str) -> bool {
    let v = value.trim();
    matches!(v, "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | ".inf" | "-.inf" | ".nan")
        || v.parse::<f64>().is_ok_and(|_| v.bytes().any(|b| b.is_ascii_digit()))
        || v.strip_prefix("0x").is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

const CLOUDFLOW_ROOTS: &[&str] = &["$Input", "$Output", "$Context", "$Global", "$Item"];

/// Whether a literal value is most likely meant as an expression: it reads a CloudFlow
/// variable or calls a built-in, and parses. Text such as `${ALIUID}` or `$100` is not.
pub fn looks_like_expression(value: &str) -> bool {
    let v = value.trim();
    let reads_variable = CLOUDFLOW_ROOTS.iter().any(|root| {
        v.strip_prefix(root)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| ".[ =!<>&|".contains(c)))
    });
    let calls_builtin = v.find('(').is_some_and(|i| functions::lookup(&v[..i]).is_some()) && v.ends_with(')');
    (reads_variable || calls_builtin) && parser::parse(v).is_ok()
}

fn check_literal(cx: &mut Ctx<'_, '_>, site: &Site<'_>) {
    let node = site.node;
    let (Some(value), Some(key)) = (node.scalar(), site.key) else { return };
    if node.tag().is_some() || !looks_like_expression(value) {
        return;
    }
    let Some(k) = key.scalar() else { return };
    let key_range = key.value_range();
    // Inside the quotes of a quoted key, after the last character of a plain one.
    let insert_at = if key.is_plain_scalar() { key_range.end } else { key_range.end.saturating_sub(1) };
    let d = Diagnostic::warning(
        Code::MissingDollarKey,
        node.value_range(),
        format!("this looks like an expression, but `{k}` has no `.$`, so the text is used as it is; write `{k}.$` to evaluate it"),
    )
    .with_fix(format!("Rename the key to `{k}.$`"), TextRange::empty(insert_at), ".$");
    cx.push(d);
}

/// The expression under a cursor.
#[derive(Clone, Debug)]
pub struct FoundExpression {
    /// The expression text (the scalar's value).
    pub text: String,
    /// Maps offsets in `text` to the document and back.
    pub map: ScalarMap,
    pub context: ExprContext,
    /// The cursor as an offset in `text`.
    pub cursor: u32,
    /// The scalar's range in the document.
    pub range: TextRange,
}

/// The expression that contains the document offset `offset`, if any. An empty value being
/// typed (`Condition: ` or `key.$: `) counts, with an empty text.
pub fn expression_at(flow: &Flow<'_>, text: &SourceText, offset: u32) -> Option<FoundExpression> {
    let near = |state: Node<'_>| {
        let r = state.range();
        // A value being typed may end past the state's last node, on the same line.
        r.start <= offset
            && (offset <= r.end
                || (offset - r.end <= 256 && !text.slice(TextRange::new(r.end, offset)).contains('\n')))
    };
    // States do not overlap: only the last one starting before the cursor can hold it.
    let tops = flow.top_state_before(offset).map(|s| s.node).filter(|n| near(*n));
    for site in sites_within(flow, tops) {
        if site.kind != SiteKind::Expression || site.node.kind() != NodeKind::Scalar {
            continue;
        }
        let node = site.node;
        let range = node.value_range();
        if node.is_missing() || node.scalar().is_some_and(str::is_empty) && range.is_empty() {
            // `key: ` with the cursor after the colon on the key's line.
            let Some(key) = site.key else { continue };
            let same_line = text.line_of(key.range().end) == text.line_of(offset);
            if same_line && offset > key.range().end {
                return Some(FoundExpression {
                    text: String::new(),
                    map: ScalarMap::empty_at(offset),
                    context: context_for(flow, &site),
                    cursor: 0,
                    range: TextRange::empty(offset),
                });
            }
            continue;
        }
        if !range.contains_inclusive(offset) {
            continue;
        }
        let map = ScalarMap::new(node, text)?;
        let cursor = map.to_value(offset)?;
        return Some(FoundExpression {
            text: node.scalar().unwrap_or_default().to_string(),
            map,
            context: context_for(flow, &site),
            cursor,
            range,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::analysis::{CheckOptions, check as check_document};
    use crate::syntax::{PositionEncoding, SyntaxTree};

    const EXPRESSION_CODES: &[Code] = &[
        Code::ExpressionSyntax,
        Code::UnknownVariable,
        Code::VariableOutOfScope,
        Code::UnknownFunction,
        Code::WrongArity,
        Code::InvalidArgument,
        Code::TooDeep,
        Code::MissingDollarKey,
        Code::NotAnExpression,
        Code::UndocumentedSyntax,
    ];

    /// The flow with the expression diagnostics underlined (carets count characters; a
    /// range over several lines is marked on each of its lines).
    fn annotate(src: &str) -> String {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let diagnostics: Vec<Diagnostic> = check_document(&text, &tree, &CheckOptions::default())
            .into_iter()
            .filter(|d| EXPRESSION_CODES.contains(&d.code))
            .collect();
        let mut out = String::new();
        for (i, line) in src.lines().enumerate() {
            out.push_str(line);
            out.push('\n');
            let line_range = text.line_range(i as u32);
            for d in &diagnostics {
                let start = d.range.start.max(line_range.start);
                let end = d.range.end.min(line_range.end);
                if start > end || (start == end && d.range.start != start) {
                    continue;
                }
                let from = text.position(start, PositionEncoding::Chars).character;
                let to = text.position(end, PositionEncoding::Chars).character;
                let first = start == d.range.start;
                let fixes: Vec<String> = d
                    .fixes
                    .iter()
                    .map(|f| {
                        format!(
                            "{} => {:?}",
                            f.title,
                            f.edits
                                .iter()
                                .map(|(r, s)| format!("{}→{s}", text.slice(*r)))
                                .collect::<Vec<_>>()
                        )
                    })
                    .collect();
                let fixes = if fixes.is_empty() || !first {
                    String::new()
                } else {
                    format!(" [fix: {}]", fixes.join("; "))
                };
                let label = if first {
                    format!(" {}[{}]: {}{fixes}", d.severity.as_str(), d.code.as_str(), d.message)
                } else {
                    String::new()
                };
                out.push_str(&format!(
                    "{}{}{label}\n",
                    " ".repeat(from as usize),
                    "^".repeat((to - from).max(1) as usize)
                ));
            }
        }
        out
    }

    fn check_flow(src: &str, expect: Expect) {
        expect.assert_eq(&annotate(src));
    }

    const HEAD: &str = "Type: StateMachine\nName: f\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n";

    #[test]
    fn ranges_in_every_scalar_style() {
        check_flow(
            &format!(
                "{HEAD}{}",
                r#"  - Type: Task
    Name: 视频理解
    Action: HTTP:Request
    Parameters:
      plain.$: lenght($Input.视频)
      single.$: 'format(''{}'', $Inptu.a)'
      double.$: "hash(\"视频\", \"MD4\")"
      folded.$: >-
        format("{} {}",
          $Input.a,
          $Output.b)
      literal.$: |
        $Input.a ==
          ready
      nested:
        - deep.$: $Item
    OutputConstructor:
      ok.$: $Output.Body
      note: $Output.Body.note
      arn: acs:fc:${ALIUID}:x
      count.$: 3
      bare.$: hello world
      map.$:
        a: b
    Next: 判断
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.status = "ready"
        Next: 完成
      - Condition: "$Context.Current.Eror.Code == 'x'"
        Next: 完成
    Default: 完成
  - Type: Succeed
    Name: 完成
"#
            ),
            expect![[r#"
                Type: StateMachine
                Name: f
                SpecVersion: v1
                StartAt: 视频理解
                States:
                  - Type: Task
                    Name: 视频理解
                    Action: HTTP:Request
                    Parameters:
                      plain.$: lenght($Input.视频)
                               ^^^^^^ error[unknown-function]: unknown function `lenght`: did you mean `length`? [fix: Change to `length` => ["lenght→length"]]
                      single.$: 'format(''{}'', $Inptu.a)'
                                                ^^^^^^ error[unknown-variable]: unknown variable `$Inptu`: the variables are `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?) [fix: Change to `$Input` => ["$Inptu→$Input"]]
                      double.$: "hash(\"视频\", \"MD4\")"
                                              ^^^^^^^ error[invalid-argument]: unknown hash algorithm `MD4`: the algorithms are `MD5`, `SHA-1`, `SHA-256`, `SHA-512`
                      folded.$: >-
                        format("{} {}",
                          $Input.a,
                          $Output.b)
                          ^^^^^^^ error[variable-out-of-scope]: `$Output` cannot be read in Parameters: `$Output` holds the state's result, so it is only readable in OutputConstructor and GlobalConstructor
                      literal.$: |
                        $Input.a ==
                          ready
                          ^^^^^ error[unknown-variable]: `ready` is not a value: write a string `"ready"` or a field `$Input.ready`; variables start with `$`
                      nested:
                        - deep.$: $Item
                                  ^^^^^ error[variable-out-of-scope]: `$Item` cannot be read in Parameters: `$Item` is the current element of a distributed Map, only readable in its ItemConstructor
                    OutputConstructor:
                      ok.$: $Output.Body
                      note: $Output.Body.note
                            ^^^^^^^^^^^^^^^^^ warning[missing-dollar-key]: this looks like an expression, but `note` has no `.$`, so the text is used as it is; write `note.$` to evaluate it [fix: Rename the key to `note.$` => ["→.$"]]
                      arn: acs:fc:${ALIUID}:x
                      count.$: 3
                               ^ error[not-an-expression]: a key ending in `.$` takes an expression, but its value is the constant `3` [fix: Remove `.$`: use `count` as a constant => ["count.$→count"]]
                      bare.$: hello world
                              ^^^^^^^^^^^ error[not-an-expression]: `hello world` is not an expression: a `.$` value reads variables (`$Input.x`), calls functions or is a quoted literal [fix: Remove `.$`: use `bare` as a constant => ["bare.$→bare"]]
                      map.$:
                        a: b
                        ^^^^ warning[not-an-expression]: a `.$` key takes an expression string; what a mapping or list under it means is undocumented (write the key without `.$` and use `.$` on the leaves) [fix: Remove `.$`: use `map` as a constant => ["map.$→map"]]
                    Next: 判断
                  - Type: Choice
                    Name: 判断
                    Branches:
                      - Condition: $Input.status = "ready"
                                                 ^ error[expression-syntax]: `=` is not an operator: compare with `==`
                        Next: 完成
                      - Condition: "$Context.Current.Eror.Code == 'x'"
                                                     ^^^^ warning[unknown-variable]: `$Context.Current` has no documented field `Eror`: did you mean `Error`? [fix: Change to `Error` => ["Eror→Error"]]
                        Next: 完成
                    Default: 完成
                  - Type: Succeed
                    Name: 完成
            "#]],
        );
    }

    #[test]
    fn wait_map_and_catch_expressions() {
        check_flow(
            &format!(
                "{HEAD}{}",
                r#"  - Type: Wait
    Name: 视频理解
    Seconds.$: $Input.delay + 1
    Next: M
  - Type: Map
    Name: M
    ItemsPath: $Input.items[*]
    ItemConstructor:
      item.$: $Item.k
      out.$: $Output
    Processor:
      StartAt: P
      States:
        - Type: Pass
          Name: P
          End: true
    Next: T
  - Type: Task
    Name: T
    Action: HTTP:Request
    Catch:
      - Errors: [FnF.ALL]
        Description: all
        Next: E
        OutputConstructor:
          code.$: $Context.Current.Error.Code
          n.$: length(1, 2)
    End: true
  - Type: Fail
    Name: E
"#
            ),
            expect![[r#"
                Type: StateMachine
                Name: f
                SpecVersion: v1
                StartAt: 视频理解
                States:
                  - Type: Wait
                    Name: 视频理解
                    Seconds.$: $Input.delay + 1
                                            ^ hint[undocumented-syntax]: arithmetic (`+`) is not documented for FDL expressions and may be rejected by the service; `intAdd(a, b)` adds integers
                    Next: M
                  - Type: Map
                    Name: M
                    ItemsPath: $Input.items[*]
                                           ^^^ hint[undocumented-syntax]: `[*]` is legacy JSONPath; CloudFlow documents only `[index]`
                    ItemConstructor:
                      item.$: $Item.k
                      out.$: $Output
                             ^^^^^^^ error[variable-out-of-scope]: `$Output` cannot be read in an ItemConstructor: `$Output` holds the state's result, so it is only readable in OutputConstructor and GlobalConstructor
                    Processor:
                      StartAt: P
                      States:
                        - Type: Pass
                          Name: P
                          End: true
                    Next: T
                  - Type: Task
                    Name: T
                    Action: HTTP:Request
                    Catch:
                      - Errors: [FnF.ALL]
                        Description: all
                        Next: E
                        OutputConstructor:
                          code.$: $Context.Current.Error.Code
                          n.$: length(1, 2)
                                      ^ error[invalid-argument]: `value` of `length` must be string | array | object, but this is integer
                                         ^ error[wrong-arity]: `length(value: string | array | object) -> integer` takes 1 argument, but 2 are given
                    End: true
                  - Type: Fail
                    Name: E
            "#]],
        );
    }

    #[test]
    fn legacy_mappings_and_conditions() {
        check_flow(
            r#"version: v1
type: flow
inputMappings:
  - target: a
    source: $local.x
steps:
  - type: task
    name: t
    resourceArn: acs:fc:::services/s/functions/f
    inputMappings:
      - target: token
        source: $context.task.token
      - target: constant
        source: just text
      - target: bad
        source: $input.a == 1
    serviceParams:
      Input: $
      Name: $.name
      Other: $locl.x
    errorMappings:
      - target: err
        source: $local.cause
  - type: choice
    name: c
    choices:
      - condition: $.status == "ready" && $local.x
        goto: t
  - type: wait
    name: w
    duration: $.wait
  - type: foreach
    name: each
    iterationMapping:
      collection: $.names[
      item: name
    steps:
      - type: pass
        name: p
"#,
            expect![[r#"
                version: v1
                type: flow
                inputMappings:
                  - target: a
                    source: $local.x
                            ^^^^^^ error[variable-out-of-scope]: `$local` cannot be read in the flow's inputMappings: the flow's inputMappings read the execution input (`$input`); there is no `$local` yet
                steps:
                  - type: task
                    name: t
                    resourceArn: acs:fc:::services/s/functions/f
                    inputMappings:
                      - target: token
                        source: $context.task.token
                      - target: constant
                        source: just text
                      - target: bad
                        source: $input.a == 1
                                ^^^^^^^^^^^^^ error[expression-syntax]: inputMappings takes a JSONPath such as `$input.key`, `$.items[0]` or `$local[*].name`, not an expression
                    serviceParams:
                      Input: $
                      Name: $.name
                      Other: $locl.x
                             ^^^^^ error[unknown-variable]: unknown variable `$locl`: the variables are `$`, `$input`, `$local`, `$context` (did you mean `$local`?) [fix: Change to `$local` => ["$locl→$local"]]
                    errorMappings:
                      - target: err
                        source: $local.cause
                  - type: choice
                    name: c
                    choices:
                      - condition: $.status == "ready" && $local.x
                                                          ^^^^^^ error[variable-out-of-scope]: `$local` cannot be read in a condition: `$local` is only readable in inputMappings, outputMappings and errorMappings; here `$` is the step's mapped input
                        goto: t
                  - type: wait
                    name: w
                    duration: $.wait
                  - type: foreach
                    name: each
                    iterationMapping:
                      collection: $.names[
                                          ^ error[expression-syntax]: a value is missing at the end of the expression
                      item: name
                    steps:
                      - type: pass
                        name: p
            "#]],
        );
    }

    #[test]
    fn clean_flows_stay_clean() {
        check_flow(
            &format!(
                "{HEAD}{}",
                r#"  - Type: Task
    Name: 视频理解
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:cn-shanghai:${ALIUID}:functions/f/LATEST
      body:
        videoUrl.$: $Input.videoUrl
        id.$: uuid()
        text: "$100 is not an expression"
    OutputConstructor:
      content.$: >-
        $Output.output.choices[0].message.content
      merged.$: jsonMerge($Input, {"k": `v`})
    GlobalConstructor:
      last.$: $Output.Body
    Next: 判断
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.content != "" && "k" in $Input.merged
        Next: 完成
    Default: 完成
  - Type: Succeed
    Name: 完成
"#
            ),
            expect![[r#"
                Type: StateMachine
                Name: f
                SpecVersion: v1
                StartAt: 视频理解
                States:
                  - Type: Task
                    Name: 视频理解
                    Action: FC:InvokeFunction
                    Parameters:
                      resourceArn: acs:fc:cn-shanghai:${ALIUID}:functions/f/LATEST
                      body:
                        videoUrl.$: $Input.videoUrl
                        id.$: uuid()
                        text: "$100 is not an expression"
                    OutputConstructor:
                      content.$: >-
                        $Output.output.choices[0].message.content
                      merged.$: jsonMerge($Input, {"k": `v`})
                    GlobalConstructor:
                      last.$: $Output.Body
                    Next: 判断
                  - Type: Choice
                    Name: 判断
                    Branches:
                      - Condition: $Input.content != "" && "k" in $Input.merged
                        Next: 完成
                    Default: 完成
                  - Type: Succeed
                    Name: 完成
            "#]],
        );
    }

    #[test]
    fn the_expression_under_a_cursor() {
        let src = format!(
            "{HEAD}{}",
            r#"  - Type: Pass
    Name: 视频理解
    OutputConstructor:
      url.$: $Input.u
      body:
        size: 3
    Next: 下一步
  - Type: Task
    Name: 下一步
    Action: HTTP:Request
    Parameters:
      q.$: "format('{}', $Input.$0)"
    End: true
"#
        );
        let at = src.find("$0").unwrap() as u32;
        let src = src.replacen("$0", "", 1);
        let text = SourceText::new(&src);
        let tree = SyntaxTree::parse(&text);
        let flow = Flow::new(&tree).unwrap();
        let found = expression_at(&flow, &text, at).expect("an expression");
        assert_eq!(found.text, "format('{}', $Input.)");
        assert_eq!(found.cursor, 20);
        assert_eq!(found.context.place, Place::Parameters);
        let names: Vec<&str> = found.context.input_fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["url", "body"]);
        assert_eq!(found.context.input_fields[1].children[0].name, "size");
        assert_eq!(found.map.to_document(found.cursor), at);
        // Outside any expression.
        let name_at = src.find("下一步").unwrap() as u32;
        assert!(expression_at(&flow, &text, name_at).is_none());
        // An empty value being typed.
        let src2 = src.replace("q.$: \"format('{}', $Input.)\"", "q.$: ");
        let text2 = SourceText::new(&src2);
        let tree2 = SyntaxTree::parse(&text2);
        let flow2 = Flow::new(&tree2).unwrap();
        let after = src2.find("q.$: ").unwrap() as u32 + 5;
        let found = expression_at(&flow2, &text2, after).expect("an empty expression");
        assert_eq!((found.text.as_str(), found.cursor, found.map.to_document(0)), ("", 0, after));
    }
}
