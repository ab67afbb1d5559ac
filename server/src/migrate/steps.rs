//! One legacy step as CloudFlow states: pass, wait, succeed, fail, choice, parallel and
//! foreach here; tasks in [`super::task`].

use super::Origin;
use super::build::{Builder, EntryFrom, Exit, Frame, ListCx, Scope, StepCx};
use super::data::{Out, local_after};
use super::rewrite::{self, Local, Vars, member, var};
use super::yaml::{Entry, Item, Yaml};
use crate::analysis::model::State;
use crate::expr::printer;
use crate::syntax::Node;

pub(super) fn step<'f, 'a>(
    b: &mut Builder<'f, 'a>,
    scope: &mut Scope,
    step: &State<'f, 'a>,
    cx: &StepCx<'_>,
) {
    match step.ty().map(|(t, _)| t) {
        Some("task") => super::task::task(b, scope, step, cx),
        Some("pass") => pass(b, scope, step, cx, None),
        Some("wait") => wait(b, scope, step, cx),
        Some("succeed") => succeed(b, scope, step, cx),
        Some("fail") => fail(b, scope, step, cx),
        Some("choice") => choice(b, scope, step, cx),
        Some("parallel") => parallel(b, scope, step, cx),
        Some("foreach") => foreach(b, scope, step, cx),
        other => {
            let what = other.map_or("no `type`".to_string(), |t| format!("the type `{t}`"));
            let message =
                format!("the step has {what}, which the legacy dialect does not have; it became a Pass");
            let comment = b.note("unknown-step", message, step.node.range(), Some(&cx.name));
            b.here.push(comment);
            pass(b, scope, step, cx, None);
        }
    }
}

impl Builder<'_, '_> {
    /// The comments above a step, and the notes made about it before its state existed.
    pub fn state_comments(&mut self, step: &State<'_, '_>) -> Vec<String> {
        let start = step.node.range().start;
        let mut before = self.comments.before(start);
        before.extend(self.pending.remove(&start).unwrap_or_default());
        before
    }

    /// `Type` and `Name`, with the comments at the end of the legacy `type` and `name` lines.
    pub fn head(&mut self, step: &State<'_, '_>, ty: &str, name: &str) -> Vec<Entry> {
        let mut t = Entry::text("Type", ty);
        let mut n = Entry::text("Name", name);
        (t.before, t.trailing) = self.key_comments(step.node, "type");
        (n.before, n.trailing) = self.key_comments(step.node, "name");
        vec![t, n]
    }

    /// The comments above a key of `node` and at the end of its line.
    pub fn key_comments(&mut self, node: Node<'_>, key: &str) -> (Vec<String>, Option<String>) {
        match self.flow.get(node, key) {
            Some(e) => {
                let before = self.comments.before(e.key.range().start);
                (before, self.comments.after(self.line(e.key.range().start)))
            }
            None => (Vec::new(), None),
        }
    }

    /// Adds a finished state to its scope; the notes made while building it go above it.
    pub fn push_state(
        &mut self,
        scope: &mut Scope,
        mut before: Vec<String>,
        mut entries: Vec<Entry>,
        origin: Origin,
    ) -> usize {
        before.append(&mut self.here);
        if let Some(first) = entries.first_mut() {
            before.append(&mut first.before);
            first.before = before;
        }
        scope.states.push(Item::new(Yaml::map(entries)));
        self.origins.push(origin);
        scope.states.len() - 1
    }

    /// Retry and Catch are only Task, Parallel and Map fields in CloudFlow.
    pub fn no_error_handling(&mut self, step: &State<'_, '_>, ty: &str, name: &str) {
        for key in ["retry", "catch"] {
            if let Some(e) = self.flow.get(step.node, key) {
                let message = format!(
                    "CloudFlow has no `{}` on a {ty} state (only on Task, Parallel and Map), so the legacy `{key}` of this step was dropped: errors of its mappings are no longer retried or caught",
                    if key == "retry" { "Retry" } else { "Catch" }
                );
                let comment = self.note("error-handling-dropped", message, e.key.range(), Some(name));
                self.here.push(comment);
            }
        }
    }

    /// The legacy step's comments and header, and where it came from.
    fn origin(name: &str, step: &State<'_, '_>) -> Origin {
        Origin { name: name.to_string(), legacy: step.name().map(|(n, _)| n.to_string()), task: None }
    }

    /// `outputMappings` of a step whose `$local` is `local`, over the step input `si`.
    pub fn output_of(
        &mut self,
        step: &State<'_, '_>,
        si: &crate::expr::Expr,
        local: Local,
        name: &str,
    ) -> Out {
        let vars = Vars { input: si.clone(), local, names: self.names() };
        match self.mappings(step.node, "outputMappings", &vars, name) {
            Some(b) => Out::Built(b),
            None => Out::Nothing,
        }
    }
}

/// How often a step's expressions read its input (`$`, `$input`).
pub(super) fn input_reads(b: &Builder<'_, '_>, nodes: &[Node<'_>]) -> usize {
    let mut n = 0;
    for node in nodes {
        let mut stack = vec![b.flow.resolve(*node)];
        while let Some(node) = stack.pop() {
            if let Some(text) = node.scalar()
                && let Ok(tree) = crate::expr::parse(text.trim())
            {
                n += tree
                    .walk()
                    .iter()
                    .filter(|e| matches!(&e.kind, crate::expr::ExprKind::Variable(v) if v == "$" || v == "$input"))
                    .count();
            }
            stack.extend(node.children().map(|c| b.flow.resolve(c)));
        }
    }
    n
}

/// The `source` nodes of a step's mappings under `key`.
pub(super) fn sources<'a>(b: &Builder<'_, 'a>, node: Node<'a>, key: &str) -> Vec<Node<'a>> {
    b.flow.list(node, key).into_iter().filter_map(|m| b.flow.get(m, "source").map(|e| e.value)).collect()
}

/// A pass step (also what a `succeed` in a choice branch, or a `wait` of no time, becomes).
fn pass<'f, 'a>(
    b: &mut Builder<'f, 'a>,
    scope: &mut Scope,
    step: &State<'f, 'a>,
    cx: &StepCx<'_>,
    exit: Option<&Exit>,
) {
    let exit = exit.unwrap_or(&cx.exit);
    let before = b.state_comments(step);
    let reads = input_reads(b, &sources(b, step.node, "outputMappings"));
    let side = b.input_side(step, cx, reads);
    let out = b.output_of(step, &side.si, Local::Empty, &cx.name);
    b.no_error_handling(step, "Pass", &cx.name);
    let mut entries = b.head(step, "Pass", &cx.name);
    if !side.ic.is_empty() {
        entries.push(Entry::new("InputConstructor", Yaml::map(side.ic)));
    }
    let top_end = cx.frame.top && *exit == Exit::End;
    if !matches!(out, Out::Nothing) || top_end {
        let local = local_after(member(var("$Input"), "local"), side.known.as_deref(), out);
        let oc = b.hand_on(cx.frame, exit, var("$Input"), local);
        entries.push(Entry::new("OutputConstructor", Yaml::map(oc)));
    }
    entries.push(Builder::transition(exit));
    b.push_state(scope, before, entries, Builder::origin(&cx.name, step));
}

fn succeed<'f, 'a>(b: &mut Builder<'f, 'a>, scope: &mut Scope, step: &State<'f, 'a>, cx: &StepCx<'_>) {
    if cx.frame.depth > 0 {
        // A choice branch's steps share the choice's scope here: ending them means going on
        // to the joining state, which a Succeed cannot do.
        let message = "a `succeed` ends only its choice branch's steps; their states are in the choice's scope here, so it is a Pass that goes on to where the branch ends".to_string();
        let comment = b.note("succeed-in-choice", message, step.node.range(), Some(&cx.name));
        b.here.push(comment);
        let exit = cx.list_exit.clone();
        return pass(b, scope, step, cx, Some(&exit));
    }
    let before = b.state_comments(step);
    let reads = input_reads(b, &sources(b, step.node, "outputMappings"));
    let side = b.input_side(step, cx, reads);
    let out = b.output_of(step, &side.si, Local::Empty, &cx.name);
    b.no_error_handling(step, "Succeed", &cx.name);
    let mut entries = b.head(step, "Succeed", &cx.name);
    if !side.ic.is_empty() {
        entries.push(Entry::new("InputConstructor", Yaml::map(side.ic)));
    }
    if !matches!(out, Out::Nothing) || cx.frame.top {
        let local = local_after(member(var("$Input"), "local"), side.known.as_deref(), out);
        let oc = b.hand_on(cx.frame, &Exit::End, var("$Input"), local);
        entries.push(Entry::new("OutputConstructor", Yaml::map(oc)));
    }
    b.push_state(scope, before, entries, Builder::origin(&cx.name, step));
}

fn fail<'f, 'a>(b: &mut Builder<'f, 'a>, scope: &mut Scope, step: &State<'f, 'a>, cx: &StepCx<'_>) {
    let before = b.state_comments(step);
    b.no_error_handling(step, "Fail", &cx.name);
    let mut entries = b.head(step, "Fail", &cx.name);
    let text = |b: &Builder<'_, '_>, key: &str| {
        b.flow.get(step.node, key).map(|e| match crate::dryrun::literal::to_json(b.flow, e.value) {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        })
    };
    if let Some(code) = text(b, "error") {
        let mut e = Entry::text("Code", &code);
        (e.before, e.trailing) = b.key_comments(step.node, "error");
        entries.push(e);
    }
    let mut detail = Entry::text("Detail", &text(b, "cause").unwrap_or_default());
    (detail.before, detail.trailing) = b.key_comments(step.node, "cause");
    entries.push(detail);
    b.push_state(scope, before, entries, Builder::origin(&cx.name, step));
}

fn wait<'f, 'a>(b: &mut Builder<'f, 'a>, scope: &mut Scope, step: &State<'f, 'a>, cx: &StepCx<'_>) {
    let flow = b.flow;
    let duration = flow.get(step.node, "duration").map(|e| flow.resolve(e.value));
    let timestamp = flow.get(step.node, "timestamp").map(|e| flow.resolve(e.value));
    let seconds = duration.map(|d| crate::dryrun::literal::to_json(flow, d));
    let is_path =
        |n: Option<Node<'_>>| n.and_then(|n| n.scalar()).is_some_and(|t| t.trim_start().starts_with('$'));
    let constant = match (&seconds, is_path(duration)) {
        (Some(serde_json::Value::Number(n)), false) => n.as_f64(),
        (Some(serde_json::Value::String(s)), false) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    if duration.is_none() && timestamp.is_none() || constant.is_some_and(|s| s <= 0.0) {
        let message =
            "the wait step waits no time; CloudFlow's Wait waits at least 1 second, so it is a Pass"
                .to_string();
        let comment = b.note("wait-none", message, step.node.range(), Some(&cx.name));
        b.here.push(comment);
        return pass(b, scope, step, cx, None);
    }
    let before = b.state_comments(step);
    let mut reads = input_reads(b, &sources(b, step.node, "outputMappings"));
    reads += usize::from(is_path(duration) || is_path(timestamp));
    let side = b.input_side(step, cx, reads);
    let vars = Vars { input: side.si.clone(), local: Local::Empty, names: b.names() };
    // A wait longer than one Wait hands its output on from the last of its Waits.
    if constant.is_some_and(|s| s > 300.0) {
        b.step_name = step.name().map(|(n, _)| n.to_string());
    }
    let out = b.output_of(step, &side.si, Local::Empty, &cx.name);
    b.no_error_handling(step, "Wait", &cx.name);
    // A constant over 300 s (the Standard limit) waits in several Waits of at most 300 s.
    let mut chunks: Vec<f64> = Vec::new();
    let time = match (duration, timestamp, constant) {
        (Some(_), _, Some(s)) => {
            let mut left = s;
            while left > 300.0 {
                chunks.push(300.0);
                left -= 300.0;
            }
            chunks.push(left);
            if chunks.len() > 1 {
                let message = format!(
                    "CloudFlow's Wait waits at most 300 seconds (Standard; Express 20), so the {s} seconds are {} Waits in a row",
                    chunks.len()
                );
                let comment = b.note("wait-split", message, step.node.range(), Some(&cx.name));
                b.here.push(comment);
            }
            Entry::new("Seconds", Yaml::Scalar(number_text(chunks[0])))
        }
        (Some(d), _, None) => {
            let e = b.expr_at(d, &vars, &cx.name, false);
            let message = "the wait time comes from the input: CloudFlow waits at most 300 seconds (Standard; Express 20), legacy up to 2 days; check the times this flow gets".to_string();
            let comment = b.note("wait-limit", message, d.range(), Some(&cx.name));
            b.here.push(comment);
            Entry::text("Seconds.$", &printer::print(&e))
        }
        (None, Some(t), _) => {
            let text = if is_path(Some(t)) {
                printer::print(&b.expr_at(t, &vars, &cx.name, false))
            } else {
                t.scalar().unwrap_or("").to_string()
            };
            let message = "CloudFlow's Wait has no timestamp; this uses `UntilDateTime`, which the December 2023 docs had and later ones dropped: check that the service still accepts it, or wait a number of `Seconds`".to_string();
            let comment = b.note("wait-timestamp", message, t.range(), Some(&cx.name));
            b.here.push(comment);
            Entry::text("UntilDateTime", &text)
        }
        (None, None, _) => Entry::new("Seconds", Yaml::Scalar("1".into())),
    };
    let mut time = time;
    let key = if duration.is_some() { "duration" } else { "timestamp" };
    (time.before, time.trailing) = b.key_comments(step.node, key);
    let mut entries = b.head(step, "Wait", &cx.name);
    if !side.ic.is_empty() {
        entries.push(Entry::new("InputConstructor", Yaml::map(side.ic)));
    }
    entries.push(time);
    // The rest of a long wait: one more Wait per 300 seconds, then the step's output.
    let mut names = Vec::new();
    for _ in 1..chunks.len() {
        names.push(scope.unique(&format!("{}.{}", cx.name, names.len() + 2)));
    }
    let last_exit = cx.exit.clone();
    let finish = |b: &mut Builder<'_, '_>, entries: &mut Vec<Entry>, out: Out| {
        let top_end = cx.frame.top && last_exit == Exit::End;
        if !matches!(out, Out::Nothing) || top_end {
            let local = local_after(member(var("$Input"), "local"), side.known.as_deref(), out);
            let oc = b.hand_on(cx.frame, &last_exit, var("$Input"), local);
            entries.push(Entry::new("OutputConstructor", Yaml::map(oc)));
        }
        entries.push(Builder::transition(&last_exit));
    };
    let mut out = Some(out);
    if names.is_empty() {
        finish(b, &mut entries, out.take().unwrap_or(Out::Nothing));
    } else {
        entries.push(Entry::text("Next", &names[0]));
    }
    b.push_state(scope, before, entries, Builder::origin(&cx.name, step));
    for (i, name) in names.iter().enumerate() {
        let mut entries = vec![Entry::text("Type", "Wait"), Entry::text("Name", name)];
        entries.push(Entry::new("Seconds", Yaml::Scalar(number_text(chunks[i + 1]))));
        match names.get(i + 1) {
            Some(next) => entries.push(Entry::text("Next", next)),
            None => finish(b, &mut entries, out.take().unwrap_or(Out::Nothing)),
        }
        b.push_state(scope, Vec::new(), entries, Origin { name: name.clone(), legacy: None, task: None });
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 { format!("{}", n as i64) } else { n.to_string() }
}

fn choice<'f, 'a>(b: &mut Builder<'f, 'a>, scope: &mut Scope, step: &State<'f, 'a>, cx: &StepCx<'_>) {
    let flow = b.flow;
    let node = step.node;
    let name = cx.name.clone();
    let choices = flow.list(node, "choices");
    let conditions: Vec<Option<Node<'_>>> =
        choices.iter().map(|c| flow.get(*c, "condition").map(|e| flow.resolve(e.value))).collect();
    let before = b.state_comments(step);
    let mut reads = 2 * input_reads(b, &conditions.iter().flatten().copied().collect::<Vec<_>>());
    reads += input_reads(b, &sources(b, node, "outputMappings"));
    let side = b.input_side(step, cx, reads);
    let vars = Vars { input: side.si.clone(), local: Local::Empty, names: b.names() };
    let mut branches = Vec::new();
    for (c, cond) in choices.iter().zip(&conditions) {
        let condition = match cond {
            Some(n) => printer::print(&b.expr_at(*n, &vars, &name, true)),
            None => {
                let message = "the choice has no `condition`; the legacy flow fails when it gets here, and so does this one".to_string();
                let comment = b.note("choice-condition", message, c.range(), Some(&name));
                b.here.push(comment);
                String::new()
            }
        };
        let mut e = Entry::text("Condition", &condition);
        (e.before, e.trailing) = b.key_comments(*c, "condition");
        let mut item_before = b.comments.before(c.range().start);
        item_before.append(&mut e.before);
        e.before = item_before;
        branches.push(e);
    }
    b.no_error_handling(step, "Choice", &name);
    let has_outputs = flow.get(node, "outputMappings").is_some();
    let default = flow.get(node, "default").map(|e| flow.resolve(e.value));
    let mut arms: Vec<(Option<Node<'_>>, String, Exit)> = Vec::new();
    let labelled = choices.iter().enumerate().map(|(i, c)| (Some(*c), i.to_string()));
    for (arm, label) in labelled.chain(std::iter::once((default, "default".to_string()))) {
        let after = match arm.and_then(|a| flow.get_str(a, "goto")) {
            Some((goto, n)) => Exit::State(b.resolve(cx, goto, n, &name)),
            None => cx.exit.clone(),
        };
        arms.push((arm, label, after));
    }
    // The Choice goes first, its branches' steps after it; it is filled in below.
    let index =
        b.push_state(scope, before, vec![Entry::text("Type", "Choice")], Builder::origin(&name, step));
    let children = step.child_scopes();
    let mut end_state: Option<String> = None;
    let mut targets = Vec::new();
    for (arm, label, after) in arms {
        let steps = arm
            .and_then(|a| children.iter().find(|s| s.owner.same(a)))
            .map(|s| s.states())
            .unwrap_or_default();
        let arm_keys = if cx.frame.top {
            arm.and_then(|a| b.keys.arms.get(&a.range().start)).and_then(|k| k.exact())
        } else {
            None
        };
        // The joining states evaluate the choice's outputMappings, under the choice's name.
        b.step_name = step.name().map(|(n, _)| n.to_string());
        let target = if !steps.is_empty() {
            // Comments above the branch's `steps:` go with its first state.
            if let Some(e) = arm.and_then(|a| flow.get(a, "steps")) {
                let above = b.comments.before(e.key.range().start);
                b.pending.entry(steps[0].node.range().start).or_default().splice(0..0, above);
            }
            let join = scope.unique(&format!("{name}.join.{label}"));
            let arm_cx = ListCx {
                frame: Frame { top: false, depth: cx.frame.depth + 1 },
                entry: Some(EntryFrom { input: side.si.clone(), parent_of: Some(cx.frame.depth) }),
                exit: Exit::State(join.clone()),
                label: format!("{name}.{label}.start"),
            };
            let start = b.list(scope, steps, &arm_cx).unwrap_or_else(|| join.clone());
            b.step_name = step.name().map(|(n, _)| n.to_string());
            // What the branch's steps leave: the choice's `$local` is their local.
            let vars = Vars {
                input: member(var("$Input"), "input"),
                local: Local::Value(member(var("$Input"), "local")),
                names: b.names(),
            };
            let saved = std::mem::take(&mut b.here);
            let out = match b.mappings(node, "outputMappings", &vars, &name) {
                Some(built) => Out::Built(built),
                None => Out::Value(member(var("$Input"), "local"), arm_keys),
            };
            let parent = member(var("$Input"), "parent");
            let local = local_after(member(parent.clone(), "local"), side.known.as_deref(), out);
            let oc = b.hand_on(cx.frame, &after, parent, local);
            join_state(b, scope, &join, joined(&name), Some(oc), &after);
            b.here = saved;
            start
        } else if has_outputs {
            let join = scope.unique(&format!("{name}.join.{label}"));
            let saved = std::mem::take(&mut b.here);
            let out = b.output_of(step, &side.si, Local::Empty, &name);
            let local = local_after(member(var("$Input"), "local"), side.known.as_deref(), out);
            let oc = b.hand_on(cx.frame, &after, var("$Input"), local);
            join_state(b, scope, &join, joined(&name), Some(oc), &after);
            b.here = saved;
            join
        } else {
            match after {
                Exit::State(n) => n,
                Exit::End => {
                    if end_state.is_none() {
                        let end = scope.unique(&format!("{name}.end"));
                        let oc = cx.frame.top.then(|| {
                            let local = local_after(
                                member(var("$Input"), "local"),
                                side.known.as_deref(),
                                Out::Nothing,
                            );
                            b.flow_output(member(var("$Input"), "input"), local)
                        });
                        let why = format!(
                            " Where `{name}` went when no branch matched: the end (a Choice cannot end its scope)."
                        );
                        join_state(b, scope, &end, why, oc, &Exit::End);
                        end_state = Some(end);
                    }
                    end_state.clone().unwrap_or_default()
                }
            }
        };
        targets.push(target);
    }
    let default_target = targets.pop().unwrap_or_default();
    let mut entries = b.head(step, "Choice", &name);
    if !side.ic.is_empty() {
        entries.push(Entry::new("InputConstructor", Yaml::map(side.ic)));
    }
    let items = branches
        .into_iter()
        .zip(targets)
        .map(|(condition, next)| Item::new(Yaml::map(vec![condition, Entry::text("Next", &next)])))
        .collect();
    let (branches_before, branches_trailing) = b.key_comments(node, "choices");
    entries.push(Entry {
        before: branches_before,
        trailing: branches_trailing,
        ..Entry::new("Branches", Yaml::Seq(items))
    });
    let mut default = Entry::text("Default", &default_target);
    (default.before, default.trailing) = b.key_comments(node, "default");
    entries.push(default);
    if let Some(Item { value: Yaml::Map(slot), .. }) = scope.states.get_mut(index) {
        let before = slot.first().map(|e| e.before.clone()).unwrap_or_default();
        *slot = entries;
        if let Some(first) = slot.first_mut() {
            let mut all = before;
            all.append(&mut first.before);
            first.before = all;
        }
    }
}

fn joined(choice: &str) -> String {
    format!(" After a branch of `{choice}`: hands its result on, as the legacy choice did.")
}

/// A Pass the migration adds after a choice branch: it hands the branch's local on.
fn join_state(
    b: &mut Builder<'_, '_>,
    scope: &mut Scope,
    name: &str,
    why: String,
    oc: Option<Vec<Entry>>,
    exit: &Exit,
) {
    let mut entries = vec![Entry::text("Type", "Pass"), Entry::text("Name", name)];
    entries[0].before = vec![why];
    if let Some(oc) = oc {
        entries.push(Entry::new("OutputConstructor", Yaml::map(oc)));
    }
    entries.push(Builder::transition(exit));
    b.push_state(scope, Vec::new(), entries, Origin { name: name.to_string(), legacy: None, task: None });
}

fn parallel<'f, 'a>(b: &mut Builder<'f, 'a>, scope: &mut Scope, step: &State<'f, 'a>, cx: &StepCx<'_>) {
    let flow = b.flow;
    let before = b.state_comments(step);
    let reads = input_reads(b, &sources(b, step.node, "outputMappings"));
    let side = b.input_side(step, cx, reads);
    let branches = flow.list(step.node, "branches");
    let out = b.output_of(step, &side.si, Local::Branches(branches.len()), &cx.name);
    let retry = b.retry(step, &cx.name);
    let catch = b.catch(step, cx, &side.si);
    let mut entries = b.head(step, "Parallel", &cx.name);
    let here = std::mem::take(&mut b.here);
    let mut items = Vec::new();
    let children = step.child_scopes();
    for (i, branch) in branches.iter().enumerate() {
        let states = children.iter().find(|s| s.owner.same(*branch)).map(|s| s.states()).unwrap_or_default();
        let mut sub = Scope::default();
        let label = format!("{}.branch{i}.start", cx.name);
        let bcx = ListCx {
            frame: Frame { top: false, depth: 0 },
            entry: Some(EntryFrom { input: side.si.clone(), parent_of: None }),
            exit: Exit::End,
            label: label.clone(),
        };
        let start = match b.list(&mut sub, states, &bcx) {
            Some(start) => start,
            None => {
                // An empty branch ends at once with an empty local.
                let name = sub.unique(&label);
                let oc = super::data::envelope(
                    Frame { top: false, depth: 0 },
                    &var("$Input"),
                    super::data::LocalOut::empty(),
                );
                let entries = vec![
                    Entry::text("Type", "Pass"),
                    Entry::text("Name", &name),
                    Entry::new("OutputConstructor", Yaml::map(oc)),
                    Entry::new("End", Yaml::Scalar("true".into())),
                ];
                b.push_state(
                    &mut sub,
                    Vec::new(),
                    entries,
                    Origin { name: name.clone(), legacy: None, task: None },
                );
                name
            }
        };
        let mut item = Item::new(Yaml::map(vec![
            Entry::text("StartAt", &start),
            Entry::new("States", Yaml::Seq(sub.states)),
        ]));
        item.before = b.comments.before(branch.range().start);
        items.push(item);
    }
    b.here = here;
    if !side.ic.is_empty() {
        entries.push(Entry::new("InputConstructor", Yaml::map(side.ic)));
    }
    let (bb, bt) = b.key_comments(step.node, "branches");
    entries.push(Entry { before: bb, trailing: bt, ..Entry::new("Branches", Yaml::Seq(items)) });
    let local = local_after(member(var("$Input"), "local"), side.known.as_deref(), out);
    let mut oc =
        Entry::new("OutputConstructor", Yaml::map(b.hand_on(cx.frame, &cx.exit, var("$Input"), local)));
    (oc.before, oc.trailing) = b.key_comments(step.node, "outputMappings");
    entries.push(oc);
    entries.extend(retry);
    entries.extend(catch);
    entries.push(Builder::transition(&cx.exit));
    b.push_state(scope, before, entries, Builder::origin(&cx.name, step));
}

fn foreach<'f, 'a>(b: &mut Builder<'f, 'a>, scope: &mut Scope, step: &State<'f, 'a>, cx: &StepCx<'_>) {
    let flow = b.flow;
    let before = b.state_comments(step);
    let mapping = flow.get(step.node, "iterationMapping").map(|e| flow.resolve(e.value));
    let field = |key: &str| mapping.and_then(|m| flow.get(m, key));
    let collection = field("collection").map(|e| flow.resolve(e.value));
    let item = mapping.and_then(|m| flow.get_str(m, "item")).map_or("item", |(i, _)| i);
    let mut reads = input_reads(b, &sources(b, step.node, "outputMappings")) + 1;
    reads += collection.map_or(0, |c| input_reads(b, &[c]));
    let side = b.input_side(step, cx, reads);
    let vars = Vars { input: side.si.clone(), local: Local::Empty, names: b.names() };
    let items_path = match collection {
        Some(c) => printer::print(&b.expr_at(c, &vars, &cx.name, false)),
        None => {
            let message = "the foreach has no `iterationMapping.collection`; the legacy step ran no iteration, this Map fails".to_string();
            let comment = b.note("foreach-collection", message, step.node.range(), Some(&cx.name));
            b.here.push(comment);
            String::new()
        }
    };
    let mut message = "legacy foreach ran at most 100 iterations at a time; this Map runs all at once unless `MaxConcurrency` (at most 40) is set. A missing collection ran no iteration in legacy; it fails this Map. The iteration input is built by an `ItemConstructor`, which the docs describe for distributed Maps: check that the service accepts it on this inline Map".to_string();
    if let Some(index) = field("index") {
        if let Some((legacy, _)) = step.name() {
            b.known.push(super::KnownDifference::IterationIndex { foreach: legacy.to_string() });
        }
        let name = index.value.scalar().unwrap_or("index");
        message.push_str(&format!(
            ". CloudFlow gives an iteration no index, so `{name}` (iterationMapping.index) is missing from the iteration input: pass the positions in the collection's items if the steps need them"
        ));
    }
    let comment = b.note("foreach", message, step.node.range(), Some(&cx.name));
    b.here.push(comment);
    let out = b.output_of(step, &side.si, Local::Iterations, &cx.name);
    let retry = b.retry(step, &cx.name);
    let catch = b.catch(step, cx, &side.si);
    let mut entries = b.head(step, "Map", &cx.name);
    if !side.ic.is_empty() {
        entries.push(Entry::new("InputConstructor", Yaml::map(side.ic)));
    }
    let mut items_entry = Entry::text("ItemsPath", &items_path);
    if let Some(m) = mapping {
        (items_entry.before, items_entry.trailing) = b.key_comments(m, "collection");
        let (mb, mt) = b.key_comments(step.node, "iterationMapping");
        items_entry.before.splice(0..0, mb);
        items_entry.trailing = items_entry.trailing.or(mt);
    }
    entries.push(items_entry);
    let element = rewrite::object(vec![(item, var("$Item"))]);
    let input = rewrite::call("jsonMerge", vec![side.si.clone(), element]);
    let mut item_entry = Entry::text("input.$", &printer::print(&input));
    if let Some(m) = mapping {
        (item_entry.before, item_entry.trailing) = b.key_comments(m, "item");
    }
    entries.push(Entry::new(
        "ItemConstructor",
        Yaml::map(vec![item_entry, Entry::new("local", Yaml::map(Vec::new()))]),
    ));
    let here = std::mem::take(&mut b.here);
    let states = step
        .child_scopes()
        .into_iter()
        .find(|s| s.owner.same(step.node))
        .map(|s| s.states())
        .unwrap_or_default();
    let mut sub = Scope::default();
    let label = format!("{}.start", cx.name);
    let pcx =
        ListCx { frame: Frame { top: false, depth: 0 }, entry: None, exit: Exit::End, label: label.clone() };
    let start = match b.list(&mut sub, states, &pcx) {
        Some(s) => s,
        None => {
            let name = sub.unique(&label);
            let entries = vec![
                Entry::text("Type", "Pass"),
                Entry::text("Name", &name),
                Entry::new("End", Yaml::Scalar("true".into())),
            ];
            b.push_state(
                &mut sub,
                Vec::new(),
                entries,
                Origin { name: name.clone(), legacy: None, task: None },
            );
            name
        }
    };
    b.here = here;
    let (pb, pt) = b.key_comments(step.node, "steps");
    entries.push(Entry {
        before: pb,
        trailing: pt,
        ..Entry::new(
            "Processor",
            Yaml::map(vec![Entry::text("StartAt", &start), Entry::new("States", Yaml::Seq(sub.states))]),
        )
    });
    let local = local_after(member(var("$Input"), "local"), side.known.as_deref(), out);
    let mut oc =
        Entry::new("OutputConstructor", Yaml::map(b.hand_on(cx.frame, &cx.exit, var("$Input"), local)));
    (oc.before, oc.trailing) = b.key_comments(step.node, "outputMappings");
    entries.push(oc);
    entries.extend(retry);
    entries.extend(catch);
    entries.push(Builder::transition(&cx.exit));
    b.push_state(scope, before, entries, Builder::origin(&cx.name, step));
}
