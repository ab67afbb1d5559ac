//! Parallel branches and Map / foreach iterations as child fibers. A Map starts at most
//! `MaxConcurrency` iterations and starts the next one when one finishes, so the limit
//! shows in the order of events. The first failure cancels the other children.

use std::collections::VecDeque;
use std::sync::Arc;

use fdl_schema::Dialect;
use serde_json::{Map, Value};

use super::Machine;
use super::fiber::{Await, Children, Fault, Fiber, FiberId, Frame, Step};
use super::step::{Next, merge};
use super::vars::{Env, eval_expr, eval_template};
use crate::dryrun::data::Data;
use crate::dryrun::program::{ForeachDef, MapDef, ScopeId, StateId};
use crate::dryrun::result::{ErrorInfo, EventKind, PathSegment, Status};

/// Legacy foreach: "at most 100 iterations run concurrently".
const FOREACH_CONCURRENCY: usize = 100;

impl<'p> Machine<'p> {
    pub(super) fn start_branches(&mut self, fiber: FiberId, branches: &'p [ScopeId]) -> Next {
        let input = self.act(fiber).input.clone();
        let state = self.act(fiber).state;
        let n = branches.len();
        self.act(fiber).children = Some(Children {
            results: vec![None; n],
            pending: VecDeque::new(),
            running: 0,
            failed: None,
            fibers: Vec::new(),
            branches: true,
        });
        if n == 0 {
            return self.collect_children(fiber);
        }
        for (i, scope) in branches.iter().enumerate() {
            self.event(fiber, Some(state), EventKind::BranchStarted { index: i as u32 });
            let segment = self.segment(state, Some(i as u32), None);
            self.spawn(fiber, i as u32, *scope, segment, input.clone());
        }
        self.frame(fiber).step = Step::Await(Await::Children);
        Next::Block
    }

    pub(super) fn start_map(&mut self, fiber: FiberId, map: &'p MapDef) -> Next {
        let act = self.act(fiber);
        let (state, input, token) = (act.state, act.input.clone(), act.token.clone());
        let def = self.state(state);
        if map.distributed {
            self.warn(
                fiber,
                state,
                "distributed-map",
                "distributed mode is simulated inline: every item runs in this execution (ItemReader, ItemBatcher and ResultWriter are not simulated)".into(),
            );
        }
        let items = match &map.items {
            Some(e) => {
                let value = {
                    let empty = Value::Null;
                    let ctx = self.context_info(Some(def), &input, None, 0, token.as_deref());
                    let env = Env::new(self.dialect, &input, &self.global, &empty, ctx);
                    eval_expr(e, &env, &mut self.random.borrow_mut())
                };
                match value {
                    Ok(Value::Array(items)) => items,
                    Ok(other) => {
                        self.assume(fiber, state, "runtime-error");
                        let detail =
                            format!("`ItemsPath: {}` of `{}` gave {other}, not an array", e.text, def.name);
                        return self.set_step(
                            fiber,
                            Step::Fail(Fault::catchable(ErrorInfo::new("FnF.RuntimeError", detail))),
                        );
                    }
                    Err(f) => {
                        let fault = self.runtime_fault(fiber, state, "ItemsPath", f);
                        return self.set_step(fiber, Step::Fail(fault));
                    }
                }
            }
            None => Vec::new(),
        };
        if let Some(fault) = self.too_many_items(state, items.len()) {
            return self.set_step(fiber, Step::Fail(fault));
        }
        let mut inputs = VecDeque::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let item_input = match &map.item_constructor {
                Some(t) => {
                    let built = {
                        let empty = Value::Null;
                        let ctx = self.context_info(Some(def), &input, None, 0, None);
                        let mut env = Env::new(self.dialect, &input, &self.global, &empty, ctx);
                        env.item = Some(&item);
                        eval_template(t, &env, &mut self.random.borrow_mut())
                    };
                    match built {
                        Ok(d) => d,
                        Err(f) => {
                            let fault = self.runtime_fault(fiber, state, "the ItemConstructor", f);
                            return self.set_step(fiber, Step::Fail(fault));
                        }
                    }
                }
                None => Data::new(item),
            };
            if !item_input.is_object() {
                self.assume(fiber, state, "map-items-objects");
                let what = crate::expr::value::describe(&item_input);
                let fault = Fault::fatal(
                    Status::Failed,
                    "FnF.InvalidData",
                    format!(
                        "item {i} of `{}` is {what}, but a state's input must be a JSON object",
                        def.name
                    ),
                );
                return self.set_step(fiber, Step::Fail(fault));
            }
            inputs.push_back((i as u32, item_input));
        }
        if map.max_concurrency == 0 && inputs.len() > 1 {
            self.assume(fiber, state, "map-concurrency");
        }
        let processor = map.processor;
        self.start_iterations(fiber, state, inputs, map.max_concurrency, processor)
    }

    pub(super) fn start_foreach(&mut self, fiber: FiberId, each: &'p ForeachDef) -> Next {
        let act = self.act(fiber);
        let (state, input, token) = (act.state, act.input.clone(), act.token.clone());
        let def = self.state(state);
        let items = match &each.collection {
            Some(e) => {
                let value = {
                    let empty = Value::Null;
                    let ctx = self.context_info(Some(def), &input, None, 0, token.as_deref());
                    let env = Env::new(self.dialect, &input, &self.global, &empty, ctx);
                    eval_expr(e, &env, &mut self.random.borrow_mut())
                };
                match value {
                    Ok(Value::Array(items)) => items,
                    // A missing collection iterates over nothing.
                    Ok(Value::Null) => Vec::new(),
                    Ok(other) => {
                        self.assume(fiber, state, "runtime-error");
                        let detail = format!(
                            "the collection `{}` of `{}` gave {other}, not an array",
                            e.text, def.name
                        );
                        return self.set_step(
                            fiber,
                            Step::Fail(Fault::catchable(ErrorInfo::new("FnF.RuntimeError", detail))),
                        );
                    }
                    Err(f) => {
                        let fault = self.runtime_fault(fiber, state, "the collection", f);
                        return self.set_step(fiber, Step::Fail(fault));
                    }
                }
            }
            None => Vec::new(),
        };
        if let Some(fault) = self.too_many_items(state, items.len()) {
            return self.set_step(fiber, Step::Fail(fault));
        }
        // Each iteration sees the step's input plus the element (and its index).
        let inputs = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let mut extra = Map::new();
                extra.insert(each.item.to_string(), item);
                if let Some(index) = &each.index {
                    extra.insert(index.to_string(), Value::from(i));
                }
                (i as u32, Data::new(merge(input.value(), &Value::Object(extra))))
            })
            .collect();
        self.start_iterations(fiber, state, inputs, FOREACH_CONCURRENCY, each.body)
    }

    fn too_many_items(&mut self, state: StateId, n: usize) -> Option<Fault> {
        let max = self.options.limits.max_map_items;
        (n > max).then(|| {
            Fault::fatal(
                Status::StepLimit,
                "DryRun.MapItemLimit",
                format!("`{}` has {n} items; the dry run runs at most {max} per Map", self.state(state).name),
            )
        })
    }

    fn start_iterations(
        &mut self,
        fiber: FiberId,
        state: StateId,
        inputs: VecDeque<(u32, Data)>,
        limit: usize,
        body: Option<ScopeId>,
    ) -> Next {
        let n = inputs.len();
        let Some(body) = body else {
            let def = self.state(state);
            return self.set_step(
                fiber,
                Step::Fail(Fault::definition(format!("`{}` has no steps to run per item", def.name))),
            );
        };
        self.act(fiber).children = Some(Children {
            results: vec![None; n],
            pending: inputs,
            running: 0,
            failed: None,
            fibers: Vec::new(),
            branches: false,
        });
        if n == 0 {
            return self.collect_children(fiber);
        }
        let first = if limit == 0 { n } else { limit.min(n) };
        for _ in 0..first {
            self.start_next_iteration(fiber, state, body);
        }
        self.frame(fiber).step = Step::Await(Await::Children);
        Next::Block
    }

    fn start_next_iteration(&mut self, fiber: FiberId, state: StateId, body: ScopeId) {
        let Some(children) = self.act(fiber).children.as_mut() else { return };
        let Some((index, input)) = children.pending.pop_front() else { return };
        self.event(fiber, Some(state), EventKind::MapIterationStarted { index, input: input.clone() });
        let segment = self.segment(state, None, Some(index));
        self.spawn(fiber, index, body, segment, input);
    }

    fn segment(&self, state: StateId, branch: Option<u32>, iteration: Option<u32>) -> PathSegment {
        PathSegment { state: Arc::clone(&self.state(state).name), branch, iteration, choice: None }
    }

    /// A child fiber running `scope` with `input`, due now.
    fn spawn(&mut self, parent: FiberId, slot: u32, scope: ScopeId, segment: PathSegment, input: Data) {
        let owner = self.program.scopes[scope as usize].owner;
        let step = self.scope_start(&self.program.scopes[scope as usize].start, input.clone(), owner);
        let path = {
            let mut p = self.frame(parent).path.to_vec();
            p.push(segment);
            Arc::from(p)
        };
        let order = {
            let mut o = self.fibers[parent].order.to_vec();
            o.push(slot);
            Arc::from(o)
        };
        let id = self.fibers.len();
        self.fibers.push(Fiber {
            parent: Some((parent, slot)),
            order,
            frames: vec![Frame { path, scope_input: input, local: Map::new(), step, act: None }],
            cancelled: false,
            children: Vec::new(),
            recent: VecDeque::new(),
        });
        self.fibers[parent].children.push(id);
        if let Some(children) = self.act(parent).children.as_mut() {
            children.running += 1;
            children.fibers.push(id);
        }
        self.schedule(id, self.now);
    }

    /// A child finished its scope with `result`.
    pub(super) fn child_done(&mut self, parent: FiberId, slot: u32, result: Data) {
        let state = self.act(parent).state;
        let Some(children) = self.act(parent).children.as_mut() else { return };
        children.running = children.running.saturating_sub(1);
        if let Some(r) = children.results.get_mut(slot as usize) {
            *r = Some(result.clone());
        }
        let (branches, failed) = (children.branches, children.failed.is_some());
        let kind = if branches {
            EventKind::BranchSucceeded { index: slot, output: result }
        } else {
            EventKind::MapIterationSucceeded { index: slot, output: result }
        };
        self.event(parent, Some(state), kind);
        if failed {
            return;
        }
        let body = match &self.state(state).kind {
            crate::dryrun::program::Kind::Map(m) => m.processor,
            crate::dryrun::program::Kind::Foreach(f) => f.body,
            _ => None,
        };
        if let Some(body) = body {
            self.start_next_iteration(parent, state, body);
        }
        let children = self.act(parent).children.as_ref().expect("children");
        if children.running == 0 && children.pending.is_empty() {
            self.schedule(parent, self.now);
        }
    }

    /// A child's scope failed: the first failure cancels the others and wakes the parent.
    pub(super) fn child_failed(&mut self, parent: FiberId, _slot: u32, fault: Fault) {
        if fault.fatal.is_some() {
            return self.fail(fault);
        }
        let state = self.act(parent).state;
        let Some(children) = self.act(parent).children.as_mut() else { return };
        children.running = children.running.saturating_sub(1);
        if children.failed.is_some() {
            return;
        }
        let others = children.running > 0 || !children.pending.is_empty();
        children.failed = Some(fault);
        children.pending.clear();
        let fibers = children.fibers.clone();
        for f in fibers {
            self.cancel(f);
        }
        if others {
            self.assume(parent, state, "parallel-failure");
        }
        self.schedule(parent, self.now);
    }

    fn cancel(&mut self, fiber: FiberId) {
        let mut stack = vec![fiber];
        while let Some(f) = stack.pop() {
            if !self.fibers[f].cancelled && !self.fibers[f].frames.is_empty() {
                self.fibers[f].cancelled = true;
                stack.extend(self.fibers[f].children.iter().copied());
            }
        }
    }

    /// Every child is done (or one failed): the state's result.
    pub(super) fn collect_children(&mut self, fiber: FiberId) -> Next {
        let Some(children) = self.act(fiber).children.take() else {
            return self.set_step(fiber, Step::Fail(Fault::definition("internal: no children to collect")));
        };
        if let Some(fault) = children.failed {
            return self.set_step(fiber, Step::Fail(fault));
        }
        let results = children.results.into_iter().map(|r| r.map(Data::into_value).unwrap_or(Value::Null));
        let result = match (self.dialect, children.branches) {
            (Dialect::CloudFlow, true) => {
                Value::Object(results.enumerate().map(|(i, r)| (format!("Branch{i}"), r)).collect())
            }
            (Dialect::CloudFlow, false) => {
                let mut map = Map::new();
                map.insert("Items".to_string(), Value::Array(results.collect()));
                Value::Object(map)
            }
            // Legacy: `$local` is the array of the branches' or iterations' results.
            (Dialect::Legacy, _) => Value::Array(results.collect()),
        };
        self.set_step(fiber, Step::Finish { result: Data::new(result), next: None })
    }
}
