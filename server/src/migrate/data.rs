//! The data a migrated state receives and hands on: the envelope `{input, local}` (and
//! `parent` in a choice branch's steps), legacy mappings as constructors, the flow's output,
//! and Retry and Catch with the legacy defaults made explicit.

use serde_json::Value as Json;

use super::build::{Builder, EntryFrom, Exit, Frame, Scope, StepCx};
use super::rewrite::{self, Local, Vars, member, merge, var};
use super::yaml::{Entry, Item, Yaml};
use super::{Origin, OutputShape};
use crate::analysis::model::State;
use crate::expr::{Expr, ExprKind, printer};
use crate::syntax::{Node, NodeKind};

/// A constructor value: a constant or an expression.
#[derive(Clone, Debug)]
pub(super) enum Val {
    Const(Json),
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub(super) struct Field {
    pub key: String,
    pub value: Val,
    pub before: Vec<String>,
    pub trailing: Option<String>,
}

/// An object built by legacy mappings (`{target, source}` entries).
#[derive(Clone, Debug, Default)]
pub(super) struct Built {
    pub fields: Vec<Field>,
}

impl Built {
    /// As constructor entries: constants as they are, expressions under `key.$`.
    pub fn entries(&self) -> Vec<Entry> {
        self.fields
            .iter()
            .map(|f| {
                let mut e = match &f.value {
                    Val::Const(v) => Entry::new(f.key.clone(), Yaml::json(v)),
                    Val::Expr(x) => Entry::text(format!("{}.$", f.key), &printer::print(x)),
                };
                e.before = f.before.clone();
                e.trailing = f.trailing.clone();
                e
            })
            .collect()
    }

    /// As one expression (an object literal).
    pub fn expr(&self) -> Expr {
        rewrite::object_owned(
            self.fields
                .iter()
                .map(|f| {
                    let v = match &f.value {
                        Val::Const(c) => rewrite::literal(c),
                        Val::Expr(x) => x.clone(),
                    };
                    (f.key.clone(), v)
                })
                .collect(),
        )
    }

    /// The comments of its entries, for when it is printed as one expression.
    pub fn comments(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in &self.fields {
            out.extend(f.before.iter().cloned());
            out.extend(f.trailing.iter().cloned());
        }
        out
    }
}

/// What a step adds to its list's `$local` (its output).
pub(super) enum Out {
    /// Nothing: pass and wait steps, parallel and foreach steps without outputMappings.
    Nothing,
    /// A result merged in (a task's result, a choice branch's local), with its keys when
    /// they are known.
    Value(Expr, Option<Vec<String>>),
    /// outputMappings.
    Built(Built),
}

/// The `local` a state hands on.
pub(super) struct LocalOut {
    shape: Shape,
    /// Every key and its value, when the keys are known (see [`super::keys`]).
    exact: Option<Vec<(String, Val)>>,
}

enum Shape {
    Expr(Expr),
    /// Known entries (the list's local was empty before).
    Map(Built),
}

impl LocalOut {
    pub fn empty() -> LocalOut {
        LocalOut { shape: Shape::Map(Built::default()), exact: Some(Vec::new()) }
    }

    /// As a constructor entry `local`.
    fn entry(self) -> Entry {
        match self.shape {
            Shape::Expr(e) => Entry::text("local.$", &printer::print(&e)),
            Shape::Map(b) => Entry::new("local", Yaml::map(b.entries())),
        }
    }

    fn expr(&self) -> Expr {
        match &self.shape {
            Shape::Expr(e) => e.clone(),
            Shape::Map(b) => b.expr(),
        }
    }
}

/// The legacy `$local` after a step: `base` (the list's local so far, whose keys are
/// `known` when the analysis knows them) with the output merged in.
pub(super) fn local_after(base: Expr, known: Option<&[String]>, out: Out) -> LocalOut {
    let empty = known.is_some_and(<[String]>::is_empty);
    let mut exact: Option<Vec<(String, Val)>> =
        known.map(|ks| ks.iter().map(|k| (k.clone(), Val::Expr(member(base.clone(), k)))).collect());
    // Merging keeps a key's place and takes the new value, as the legacy merge did.
    let set = |exact: &mut Option<Vec<(String, Val)>>, key: &str, value: Val| {
        if let Some(pairs) = exact {
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => pairs.push((key.to_string(), value)),
            }
        }
    };
    let shape = match out {
        Out::Nothing if empty => Shape::Map(Built::default()),
        Out::Nothing => Shape::Expr(base),
        Out::Value(e, keys) => {
            match keys {
                Some(keys) => {
                    for k in keys {
                        set(&mut exact, &k, Val::Expr(member(e.clone(), &k)));
                    }
                }
                None => exact = None,
            }
            Shape::Expr(merge(base, e))
        }
        Out::Built(b) => {
            for f in &b.fields {
                set(&mut exact, &f.key, f.value.clone());
            }
            if empty { Shape::Map(b) } else { Shape::Expr(merge(base, b.expr())) }
        }
    };
    LocalOut { shape, exact }
}

/// What the first state of a state's work sees: the envelope entries of its
/// InputConstructor, and the expression holding the legacy step's input.
pub(super) struct InputSide {
    pub ic: Vec<Entry>,
    /// The legacy step input (`$` and `$input` of the step's own expressions).
    pub si: Expr,
    /// The keys of the list's `$local` here, when known (`[]` for the first state of a list).
    pub known: Option<Vec<String>>,
}

/// The envelope handed on: the frame's input and parents from `base` (the state's `$Input`,
/// or a choice branch's `$Input.parent`), and the new local.
pub(super) fn envelope(frame: Frame, base: &Expr, local: LocalOut) -> Vec<Entry> {
    let mut out =
        vec![Entry::text("input.$", &printer::print(&member(base.clone(), "input"))), local.entry()];
    if frame.depth > 0 {
        out.push(Entry::text("parent.$", &printer::print(&member(base.clone(), "parent"))));
    }
    out
}

/// `$Input.input`, `$Input.local`: the envelope as the state received it.
fn copy_envelope(frame: Frame) -> Vec<Entry> {
    let local = member(var("$Input"), "local");
    envelope(frame, &var("$Input"), LocalOut { shape: Shape::Expr(local), exact: None })
}

/// `jsonMerge($Input.input, $Input.local)`: the legacy default input of a step.
fn merged_input() -> Expr {
    rewrite::call("jsonMerge", vec![member(var("$Input"), "input"), member(var("$Input"), "local")])
}

/// The value of an expression made of literals only.
fn constant(e: &Expr) -> Option<Json> {
    let no_variables = e.walk().iter().all(|n| {
        matches!(
            n.kind,
            ExprKind::Null
                | ExprKind::Bool(_)
                | ExprKind::Number(_)
                | ExprKind::String(..)
                | ExprKind::Array(_)
                | ExprKind::Object(_)
                | ExprKind::Unary { .. }
        )
    });
    if !no_variables {
        return None;
    }
    crate::expr::evaluate(e, &mut crate::expr::Env::new(fdl_schema::Dialect::CloudFlow, Some(0))).ok()
}

fn is_path(node: Node<'_>) -> bool {
    node.kind() == NodeKind::Scalar
        && node.tag().is_none_or(|(t, _)| t.starts_with("!!"))
        && node.scalar().is_some_and(|v| v.trim_start().starts_with('$'))
}

impl Builder<'_, '_> {
    /// A legacy expression written at `node`, rewritten; its notes go to the current state.
    pub fn expr_at(&mut self, node: Node<'_>, vars: &Vars, state: &str, condition: bool) -> Expr {
        let node = self.flow.resolve(node);
        let text = node.scalar().unwrap_or("").trim();
        let parsed = match crate::expr::parse(text) {
            Ok(tree) => tree,
            Err(e) => {
                let message = format!(
                    "`{text}` is not a valid expression ({}); it was copied as it is and fails in both dialects",
                    e.message
                );
                let comment = self.note("expression", message, node.value_range(), Some(state));
                self.here.push(comment);
                return Expr::new(ExprKind::Ident(text.to_string()), crate::syntax::TextRange::empty(0));
            }
        };
        let mut notes = Vec::new();
        let e = if condition {
            rewrite::condition(&parsed, vars, &mut notes)
        } else {
            rewrite::value(&parsed, vars, &mut notes)
        };
        if e.walk().iter().any(|n| matches!(n.kind, ExprKind::Wildcard { .. })) {
            notes.push(format!(
                "`{}` projects with `[*]`, legacy JSONPath that CloudFlow does not document; it is kept because CloudFlow has no other way to take a field of every item: check that the service accepts it",
                printer::print(&e)
            ));
        }
        for n in notes {
            let comment = self.note("expression", n, node.value_range(), Some(state));
            self.here.push(comment);
        }
        e
    }

    /// A value of `serviceParams` (or a mapping source): a `$`-path is an expression,
    /// anything else a constant.
    pub fn param_val(&mut self, node: Node<'_>, vars: &Vars, state: &str) -> Val {
        let node = self.flow.resolve(node);
        if is_path(node) {
            let e = self.expr_at(node, vars, state, false);
            // What reads a constant (`$context.flow.name`) is that constant.
            match constant(&e) {
                Some(v) => Val::Const(v),
                None => Val::Expr(e),
            }
        } else {
            Val::Const(crate::dryrun::literal::to_json(self.flow, node))
        }
    }

    /// `inputMappings` / `outputMappings` / `errorMappings` of `owner`: `None` when absent.
    pub fn mappings(&mut self, owner: Node<'_>, key: &str, vars: &Vars, state: &str) -> Option<Built> {
        let flow = self.flow;
        flow.get(owner, key)?;
        let mut built = Built::default();
        for item in flow.list(owner, key) {
            let Some((target, target_node)) = flow.get_str(item, "target") else { continue };
            let mut before = self.comments.before(item.range().start);
            let value = match flow.get(item, "source") {
                Some(e) => {
                    let source = flow.resolve(e.value);
                    before.extend(self.comments.before(e.key.range().start));
                    self.param_val(source, vars, state)
                }
                None => Val::Const(Json::Null),
            };
            let mut trailing: Vec<String> = Vec::new();
            for line in [self.line(item.range().start), self.line(target_node.range().start)] {
                trailing.extend(self.comments.after(line));
            }
            if let Some(e) = flow.get(item, "source") {
                trailing.extend(self.comments.after(self.line(e.value.range().start)));
            }
            // A later entry for the same target wins, as in the dry run.
            built.fields.retain(|f| f.key != target);
            built.fields.push(Field {
                key: target.to_string(),
                value,
                before,
                trailing: (!trailing.is_empty()).then(|| trailing.join(";")),
            });
        }
        Some(built)
    }

    /// The InputConstructor and the step-input expression of a state. `reads`: how often
    /// the state's own expressions read the step input (twice or more: it gets a name).
    pub fn input_side(&mut self, step: &State<'_, '_>, cx: &StepCx<'_>, reads: usize) -> InputSide {
        let has_mappings = self.flow.get(step.node, "inputMappings").is_some();
        let step_key = |b: Option<Built>| Entry::new("step", Yaml::map(b.unwrap_or_default().entries()));
        match &cx.entry {
            Some(from) => {
                let mut ic = self.normalize(from);
                let vars = Vars { input: from.input.clone(), local: Local::Empty, names: self.names() };
                let si = if has_mappings {
                    let built = self.mappings(step.node, "inputMappings", &vars, &cx.name);
                    ic.push(step_key(built));
                    member(var("$Input"), "step")
                } else {
                    member(var("$Input"), "input")
                };
                InputSide { ic, si, known: Some(Vec::new()) }
            }
            None => {
                let mut ic = copy_envelope(cx.frame);
                let vars = Vars {
                    input: member(var("$Input"), "input"),
                    local: Local::Value(member(var("$Input"), "local")),
                    names: self.names(),
                };
                if has_mappings {
                    let built = self.mappings(step.node, "inputMappings", &vars, &cx.name);
                    ic.push(step_key(built));
                } else if reads >= 2 {
                    ic.push(Entry::text("step.$", &printer::print(&merged_input())));
                } else {
                    return InputSide {
                        ic: Vec::new(),
                        si: merged_input(),
                        known: self.known_before(step, cx),
                    };
                }
                InputSide { ic, si: member(var("$Input"), "step"), known: self.known_before(step, cx) }
            }
        }
    }

    /// The entries that make the envelope from what the first state of a list receives.
    fn normalize(&mut self, from: &EntryFrom) -> Vec<Entry> {
        let mut ic = vec![
            Entry::text("input.$", &printer::print(&from.input)),
            Entry::new("local", Yaml::map(Vec::new())),
        ];
        if let Some(depth) = from.parent_of {
            ic.push(Entry::new("parent", Yaml::map(copy_envelope(Frame { top: false, depth }))));
        }
        ic
    }

    /// A Pass that builds the envelope, for a list whose first step is also a jump target
    /// (or, at the top, for the flow's inputMappings).
    pub fn start_state(
        &mut self,
        scope: &mut Scope,
        label: &str,
        from: &EntryFrom,
        frame: Frame,
        first: &str,
    ) -> String {
        let name = scope.unique(label);
        let mut ic = self.normalize(from);
        if frame.top
            && let Some(e) = self.flow.get(self.flow.root(), "inputMappings")
        {
            let names = super::rewrite::Names { flow: self.flow_name.clone(), step: Some(String::new()) };
            let vars = Vars { input: var("$Input"), local: Local::Empty, names };
            let root = self.flow.root();
            let built = self.mappings(root, "inputMappings", &vars, &name).unwrap_or_default();
            let mut input = Entry::new("input", Yaml::map(built.entries()));
            input.before = self.comments.before(e.key.range().start);
            ic[0] = input;
        }
        let mut entries = vec![Entry::text("Type", "Pass"), Entry::text("Name", &name)];
        entries.push(Entry::new("InputConstructor", Yaml::map(ic)));
        entries.push(Entry::text("Next", first));
        entries[0].before = vec![
            " Starts the legacy data: `input` is what the steps read as `$input`, `local` their `$local`."
                .into(),
        ];
        entries[0].before.append(&mut self.here);
        scope.states.push(Item::new(Yaml::map(entries)));
        self.origins.push(Origin { name: name.clone(), legacy: None, task: None });
        name
    }

    /// The flow's output: its outputMappings over the flow's input and final local, or
    /// the local itself: key by key where its keys are known, else under `local` (see
    /// [`OutputShape::UnderLocal`]).
    pub fn flow_output(&mut self, input: Expr, local: LocalOut) -> Vec<Entry> {
        let root = self.flow.root();
        if self.flow.get(root, "outputMappings").is_none() {
            if self.exact_output
                && let Some(pairs) = local.exact
            {
                self.spread = true;
                let fields = pairs
                    .into_iter()
                    .map(|(key, value)| Field { key, value, before: Vec::new(), trailing: None })
                    .collect();
                return Built { fields }.entries();
            }
            self.output = OutputShape::UnderLocal;
            return vec![local.entry()];
        }
        // The flow's own mappings run outside any step.
        let names = super::rewrite::Names { flow: self.flow_name.clone(), step: Some(String::new()) };
        let vars = Vars { input, local: Local::Value(local.expr()), names };
        self.mappings(root, "outputMappings", &vars, "").unwrap_or_default().entries()
    }

    /// The keys of `$local` before a step of the flow's own list, when known exactly.
    fn known_before(&self, step: &State<'_, '_>, cx: &StepCx<'_>) -> Option<Vec<String>> {
        if !cx.frame.top {
            return None;
        }
        self.keys.before.get(&step.node.range().start).and_then(|k| k.exact())
    }

    /// The OutputConstructor of a state that hands `local` on to `exit`.
    pub fn hand_on(&mut self, frame: Frame, exit: &Exit, base: Expr, local: LocalOut) -> Vec<Entry> {
        if frame.top && *exit == Exit::End {
            self.flow_output(member(base, "input"), local)
        } else {
            envelope(frame, &base, local)
        }
    }

    /// `Next: x` or `End: true`.
    pub fn transition(exit: &Exit) -> Entry {
        match exit {
            Exit::End => Entry::new("End", Yaml::Scalar("true".into())),
            Exit::State(n) => Entry::text("Next", n),
        }
    }

    /// `retry` as `Retry`, with the legacy defaults written out.
    pub fn retry(&mut self, step: &State<'_, '_>, state: &str) -> Option<Entry> {
        let flow = self.flow;
        let e = flow.get(step.node, "retry")?;
        let number = |node: Node<'_>, key: &str| {
            flow.get(node, key).and_then(|e| match crate::dryrun::literal::to_json(flow, e.value) {
                Json::Number(n) => n.as_f64(),
                Json::String(s) => s.trim().parse().ok(),
                _ => None,
            })
        };
        let mut rules = Vec::new();
        for (i, rule) in flow.list(step.node, "retry").into_iter().enumerate() {
            let interval = number(rule, "intervalSeconds").unwrap_or(1.0);
            let attempts = number(rule, "maxAttempts").unwrap_or(3.0);
            let rate = number(rule, "multiplier").unwrap_or(2.0);
            let max = number(rule, "maxIntervalSeconds");
            let mut entries = vec![self.errors(rule, "errors")];
            entries.push(Entry::text("Description", &format!("retry policy {} of {state}", i + 1)));
            entries.push(self.numeric(rule, "intervalSeconds", "IntervalSeconds", interval));
            entries.push(self.numeric(rule, "maxAttempts", "MaxAttempts", attempts));
            entries.push(self.numeric(rule, "multiplier", "BackoffRate", rate));
            // Legacy intervals stop growing at 86,400 s; say so where it can matter.
            let longest = interval * rate.powf((attempts - 1.0).max(0.0));
            if max.is_some() || longest > 86_400.0 {
                entries.push(self.numeric(
                    rule,
                    "maxIntervalSeconds",
                    "MaxBackoffSeconds",
                    max.unwrap_or(86_400.0),
                ));
            }
            let mut item = Item::new(Yaml::map(entries));
            item.before = self.comments.before(rule.range().start);
            rules.push(item);
        }
        let mut entry = Entry::new("Retry", Yaml::Seq(rules));
        entry.before = self.comments.before(e.key.range().start);
        entry.trailing = self.comments.after(self.line(e.key.range().start));
        Some(entry)
    }

    /// `errors` as `Errors`, each name with its comments.
    fn errors(&mut self, rule: Node<'_>, key: &str) -> Entry {
        let flow = self.flow;
        let mut items = Vec::new();
        for n in flow.list(rule, key) {
            let mut item = Item::new(Yaml::json(&crate::dryrun::literal::to_json(flow, n)));
            item.before = self.comments.before(n.range().start);
            item.trailing = self.comments.after(self.line(n.range().start));
            items.push(item);
        }
        let mut entry = Entry::new("Errors", Yaml::Seq(items));
        if let Some(e) = flow.get(rule, key) {
            entry.before = self.comments.before(e.key.range().start);
            entry.trailing = self.comments.after(self.line(e.key.range().start));
        }
        entry
    }

    fn numeric(&mut self, rule: Node<'_>, legacy: &str, key: &str, value: f64) -> Entry {
        let text = if value.fract() == 0.0 && value.abs() < 1e15 {
            format!("{}", value as i64)
        } else {
            value.to_string()
        };
        let mut entry = Entry::new(key, Yaml::Scalar(text));
        if let Some(e) = self.flow.get(rule, legacy) {
            entry.before = self.comments.before(e.key.range().start);
            entry.trailing = self.comments.after(self.line(e.key.range().start));
        }
        entry
    }

    /// `catch` as `Catch`: each rule goes to its state with the envelope, the caught error
    /// mapped by `errorMappings` into the local.
    pub fn catch(&mut self, step: &State<'_, '_>, cx: &StepCx<'_>, si: &Expr) -> Option<Entry> {
        let flow = self.flow;
        let e = flow.get(step.node, "catch")?;
        let vars = Vars { input: si.clone(), local: Local::Error, names: self.names() };
        let mapped = self.mappings(step.node, "errorMappings", &vars, &cx.name);
        let mut rules = Vec::new();
        for (i, rule) in flow.list(step.node, "catch").into_iter().enumerate() {
            let mut entries = vec![self.errors(rule, "errors")];
            entries.push(Entry::text("Description", &format!("catch policy {} of {}", i + 1, cx.name)));
            let out = match &mapped {
                Some(b) => Out::Built(b.clone()),
                None => Out::Nothing,
            };
            let local = local_after(member(var("$Input"), "local"), None, out);
            let mut oc =
                Entry::new("OutputConstructor", Yaml::map(envelope(cx.frame, &var("$Input"), local)));
            if let Some(b) = &mapped {
                oc.before = b.comments();
            }
            entries.push(oc);
            let next = match flow.get_str(rule, "goto") {
                Some((goto, node)) => {
                    let mut next = Entry::text("Next", &self.resolve(cx, goto, node, &cx.name));
                    next.trailing = self.comments.after(self.line(node.range().start));
                    next
                }
                None => {
                    let message =
                        "the catch policy has no `goto`; CloudFlow's Catch needs a `Next`".to_string();
                    let comment = self.note("catch-goto", message, rule.range(), Some(&cx.name));
                    self.here.push(comment);
                    Entry::text("Next", "")
                }
            };
            entries.push(next);
            let mut item = Item::new(Yaml::map(entries));
            item.before = self.comments.before(rule.range().start);
            rules.push(item);
        }
        let mut entry = Entry::new("Catch", Yaml::Seq(rules));
        entry.before = self.comments.before(e.key.range().start);
        entry.trailing = self.comments.after(self.line(e.key.range().start));
        Some(entry)
    }

    /// The state a `goto` names, in the step's list.
    pub fn resolve(&mut self, cx: &StepCx<'_>, goto: &str, node: Node<'_>, state: &str) -> String {
        match cx.by_name.get(goto) {
            Some(n) => n.clone(),
            None => {
                // Named so that it matches no state of the scope either (a choice branch's
                // steps share their choice's scope here, where the name could exist).
                let missing = format!("{goto} (missing)");
                let message = format!(
                    "`{goto}` is no step of this list; the legacy flow fails when it goes there, and so does this one, which goes to `{missing}`"
                );
                let comment = self.note("unknown-goto", message, node.range(), Some(state));
                self.here.push(comment);
                missing
            }
        }
    }
}
