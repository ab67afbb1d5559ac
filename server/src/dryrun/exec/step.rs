//! One state's phases, for both dialects: enter (build `$Input`), work, finish (build
//! the output, write `$Global`, merge legacy `$local`), errors (Retry, Catch, failing the
//! scope) and transitions. Each phase leaves the next one in the frame's `step`, so a run
//! can stop between any two.

use std::sync::Arc;

use fdl_schema::Dialect;
use serde_json::{Map, Value};

use super::fiber::{Act, Await, Fault, FiberId, Frame, Step};
use super::vars::{Env, ExprFailure, eval_expr, eval_template};
use super::{Machine, Progress, checks, parse_rfc3339};
use crate::dryrun::data::Data;
use crate::dryrun::hook::{Control, Hook, Stop};
use crate::dryrun::program::{ChoiceDef, Kind, Mode, StateId, Target, WaitDef};
use crate::dryrun::result::{ChoiceArm, ErrorInfo, EventKind, PathSegment, Status};

/// Whether a fiber goes on or waits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Next {
    Go,
    Block,
}

impl<'p> Machine<'p> {
    pub(super) fn frame(&mut self, fiber: FiberId) -> &mut Frame {
        self.fibers[fiber].frames.last_mut().expect("a running fiber has a frame")
    }

    pub(super) fn act(&mut self, fiber: FiberId) -> &mut Act {
        self.frame(fiber).act.as_deref_mut().expect("a state is being run")
    }

    pub(super) fn set_step(&mut self, fiber: FiberId, step: Step) -> Next {
        self.frame(fiber).step = step;
        Next::Go
    }

    /// Runs a fiber until it waits, ends, or a hook pauses it.
    pub(super) fn run_fiber<H: Hook + ?Sized>(&mut self, fiber: FiberId, hook: &mut H) -> Progress {
        loop {
            if self.outcome.is_some() {
                return Progress::Finished;
            }
            let Some(frame) = self.fibers[fiber].frames.last_mut() else { return Progress::Finished };
            let step = std::mem::replace(&mut frame.step, Step::Done);
            let next = match step {
                Step::Enter { state, input } => {
                    if !self.count_step(fiber, state, hook) {
                        return Progress::Finished;
                    }
                    self.enter(fiber, state, input);
                    if matches!(self.frame(fiber).step, Step::Execute) && self.stop(fiber, hook, true) {
                        return Progress::Paused;
                    }
                    Next::Go
                }
                Step::Execute => self.execute(fiber, hook),
                Step::Await(w) => self.wake(fiber, w),
                Step::Finish { result, next } => {
                    self.finish(fiber, result, next);
                    if matches!(self.frame(fiber).step, Step::Transition { .. })
                        && self.stop(fiber, hook, false)
                    {
                        return Progress::Paused;
                    }
                    Next::Go
                }
                Step::Fail(mut fault) => {
                    if !fault.announced && hook.wants_errors() {
                        fault.announced = true;
                        if self.error_stop(fiber, hook, &fault) {
                            self.frame(fiber).step = Step::Fail(fault);
                            return Progress::Paused;
                        }
                    }
                    self.handle_fault(fiber, fault)
                }
                Step::Transition { target, output } => self.transition(fiber, target, output),
                Step::End(result) => self.end_frame(fiber, result),
                Step::Done => Next::Block,
            };
            if next == Next::Block {
                return Progress::Finished;
            }
        }
    }

    /// Asks the hook whether to stop before (`before`) or after the current state.
    fn stop<H: Hook + ?Sized>(&mut self, fiber: FiberId, hook: &mut H, before: bool) -> bool {
        let frame = self.fibers[fiber].frames.last().expect("a frame");
        let Some(act) = frame.act.as_deref() else { return false };
        let def = &self.program.states[act.state as usize];
        let data = match (&frame.step, before) {
            (_, true) => act.input.value(),
            (Step::Transition { output, .. }, false) => output.value(),
            _ => return false,
        };
        let stop = Stop {
            state_id: act.state,
            state: &def.name,
            range: def.range,
            path: &frame.path,
            time: self.now as f64 / 1000.0,
            data,
            global: self.global.value(),
        };
        let control = if before { hook.before_state(&stop) } else { hook.after_state(&stop) };
        control == Control::Pause
    }

    /// Tells the hook about an error where it is raised; `true` when it pauses there.
    fn error_stop<H: Hook + ?Sized>(&mut self, fiber: FiberId, hook: &mut H, fault: &Fault) -> bool {
        let frame = self.fibers[fiber].frames.last().expect("a frame");
        let Some(act) = frame.act.as_deref() else { return false };
        let def = &self.program.states[act.state as usize];
        let handled = fault.fatal.is_none() && self.handled(fiber, &fault.error.code);
        let stop = Stop {
            state_id: act.state,
            state: &def.name,
            range: def.range,
            path: &frame.path,
            time: self.now as f64 / 1000.0,
            data: act.input.value(),
            global: self.global.value(),
        };
        hook.on_error(&stop, &fault.error, handled) == Control::Pause
    }

    /// Whether an error raised by the state `fiber` runs is taken by a Retry (with attempts
    /// left) or a Catch of that state or of a state whose scope encloses it, the way
    /// [`Machine::handle_fault`] and the failure of child scopes pass it up.
    fn handled(&self, fiber: FiberId, code: &str) -> bool {
        let mut at = Some(fiber);
        while let Some(f) = at {
            for frame in self.fibers[f].frames.iter().rev() {
                let Some(act) = frame.act.as_deref() else { continue };
                let def = &self.program.states[act.state as usize];
                let retried = def
                    .retry
                    .iter()
                    .position(|r| rule_matches(&r.errors, code))
                    .is_some_and(|i| act.rule_attempts[i] < def.retry[i].max_attempts);
                if retried || def.catch.iter().any(|c| rule_matches(&c.errors, code)) {
                    return true;
                }
            }
            at = self.fibers[f].parent.map(|(p, _)| p);
        }
        false
    }

    /// An expression failure as the service's run-time error.
    pub(super) fn runtime_fault(
        &mut self,
        fiber: FiberId,
        state: StateId,
        place: &str,
        e: ExprFailure,
    ) -> Fault {
        let def = self.state(state);
        let path = Arc::clone(&self.frame(fiber).path);
        let detail = e.describe(&format!("{place} of `{}`", def.name));
        if e.too_large() {
            self.trace.assume("data-limit", Some(def), &path, self.now);
            return Fault::fatal(Status::Failed, "FnF.DataLimitExceeded", detail);
        }
        self.trace.assume("runtime-error", Some(def), &path, self.now);
        Fault::catchable(ErrorInfo::new("FnF.RuntimeError", detail))
    }

    pub(super) fn event(&mut self, fiber: FiberId, state: Option<StateId>, kind: EventKind) {
        let path = Arc::clone(&self.frame(fiber).path);
        let def = state.map(|s| &self.program.states[s as usize]);
        self.trace.event(kind, def, &path, self.now);
    }

    pub(super) fn assume(&mut self, fiber: FiberId, state: StateId, id: &'static str) {
        let path = Arc::clone(&self.frame(fiber).path);
        let def = &self.program.states[state as usize];
        self.trace.assume(id, Some(def), &path, self.now);
    }

    pub(super) fn warn(&mut self, fiber: FiberId, state: StateId, code: &'static str, message: String) {
        let path = Arc::clone(&self.frame(fiber).path);
        let def = &self.program.states[state as usize];
        self.trace.warn(code, message, Some(def), &path, self.now, None);
    }

    /// Builds the state's input and records its entry.
    fn enter(&mut self, fiber: FiberId, state: StateId, input: Data) {
        let def = self.state(state);
        let token = match &def.kind {
            Kind::Task(t) if t.mode == Mode::CustomCallback => Some(Arc::from(format!(
                "fdl-task-token-{}",
                super::defaults::hex_id(self.random.get_mut(), 12)
            ))),
            _ => None,
        };
        let frame = self.fibers[fiber].frames.last().expect("a frame");
        let (raw, built) = match self.dialect {
            Dialect::CloudFlow => {
                let built = def.input.as_ref().map(|t| {
                    let empty = Value::Null;
                    let ctx = self.context_info(Some(def), &input, None, 0, token.as_deref());
                    let env = Env::new(self.dialect, &input, &self.global, &empty, ctx);
                    eval_template(t, &env, &mut self.random.borrow_mut())
                });
                (input, built)
            }
            Dialect::Legacy => {
                let local = Value::Object(frame.local.clone());
                match &def.input {
                    Some(t) => {
                        let scope_input = frame.scope_input.clone();
                        let ctx = self.context_info(Some(def), &scope_input, None, 0, token.as_deref());
                        let env = Env::new(self.dialect, &scope_input, &self.global, &local, ctx);
                        let built = eval_template(t, &env, &mut self.random.borrow_mut());
                        (scope_input.clone(), Some(built))
                    }
                    None => (Data::new(merge(frame.scope_input.value(), &local)), None),
                }
            }
        };
        let (input, failure) = match built {
            Some(Ok(d)) => (d, None),
            Some(Err(e)) => (raw.clone(), Some(e)),
            None => (raw.clone(), None),
        };
        let constructed = match self.dialect {
            Dialect::CloudFlow => def.input.is_some().then(|| input.clone()).filter(|_| failure.is_none()),
            Dialect::Legacy => None,
        };
        let shown = if self.dialect == Dialect::Legacy { input.clone() } else { raw.clone() };
        self.frame(fiber).act = Some(Box::new(Act {
            state,
            input: input.clone(),
            retry_count: 0,
            rule_attempts: vec![0; def.retry.len()],
            token,
            children: None,
        }));
        let state_type = def.kind.label(self.dialect);
        self.event(fiber, Some(state), EventKind::StateEntered { state_type, input: shown, constructed });
        if let Some(e) = failure {
            let place =
                if self.dialect == Dialect::Legacy { "the inputMappings" } else { "the InputConstructor" };
            let fault = self.runtime_fault(fiber, state, place, e);
            self.set_step(fiber, Step::Fail(fault));
            return;
        }
        if self.dialect == Dialect::CloudFlow
            && let Err(fault) = checks::state_data(self, fiber, state, "input", &input)
        {
            self.set_step(fiber, Step::Fail(fault));
            return;
        }
        self.set_step(fiber, Step::Execute);
    }

    /// The state's own work.
    fn execute<H: Hook + ?Sized>(&mut self, fiber: FiberId, hook: &mut H) -> Next {
        let state = self.act(fiber).state;
        let def = self.state(state);
        let legacy = self.dialect == Dialect::Legacy;
        let input = self.act(fiber).input.clone();
        // What Pass, Wait and Succeed hand to their output: legacy steps have an empty
        // `$local`, CloudFlow states pass their input on.
        let own = if legacy { Data::empty_object() } else { input };
        match &def.kind {
            Kind::Pass | Kind::Succeed => self.set_step(fiber, Step::Finish { result: own, next: None }),
            Kind::Fail { code, detail } => {
                if code.is_empty() {
                    self.assume(fiber, state, "fail-code");
                }
                let fault =
                    Fault::catchable(ErrorInfo { code: Arc::clone(code), detail: Arc::clone(detail) });
                self.set_step(fiber, Step::Fail(fault))
            }
            Kind::Invalid(why) => {
                let fault = Fault::definition(format!("`{}` cannot run: {why}", def.name));
                self.set_step(fiber, Step::Fail(fault))
            }
            Kind::Wait(wait) => match self.wait_seconds(fiber, state, wait) {
                Ok(seconds) => {
                    self.event(fiber, Some(state), EventKind::WaitStarted { seconds });
                    self.block_for(fiber, Await::Wait, seconds)
                }
                Err(fault) => self.set_step(fiber, Step::Fail(fault)),
            },
            Kind::Choice(choice) => self.choose(fiber, state, choice),
            Kind::Task(_) => self.invoke(fiber, hook),
            Kind::Parallel(branches) => self.start_branches(fiber, branches),
            Kind::Map(map) => self.start_map(fiber, map),
            Kind::Foreach(each) => self.start_foreach(fiber, each),
        }
    }

    /// Waits `seconds` of virtual time, then continues with `then`.
    pub(super) fn block_for(&mut self, fiber: FiberId, then: Await, seconds: f64) -> Next {
        let ms = (seconds.clamp(0.0, 1e12) * 1000.0).round() as u64;
        self.frame(fiber).step = Step::Await(then);
        self.schedule(fiber, self.now + ms);
        Next::Block
    }

    fn wake(&mut self, fiber: FiberId, woken: Await) -> Next {
        match woken {
            Await::Wait => {
                let legacy = self.dialect == Dialect::Legacy;
                let act = self.act(fiber);
                let result = if legacy { Data::empty_object() } else { act.input.clone() };
                self.set_step(fiber, Step::Finish { result, next: None })
            }
            Await::Retry => self.set_step(fiber, Step::Execute),
            Await::Task(end) => self.complete_task(fiber, end),
            Await::Children => self.collect_children(fiber),
            // Only ever below a running frame; never woken itself.
            Await::Nested { .. } => Next::Block,
        }
    }

    fn wait_seconds(&mut self, fiber: FiberId, state: StateId, wait: &WaitDef) -> Result<f64, Fault> {
        let input = self.act(fiber).input.clone();
        let def = self.state(state);
        let eval = |m: &mut Machine<'_>, e| {
            let empty = Value::Null;
            let ctx = m.context_info(Some(def), &input, None, 0, None);
            let env = Env::new(m.dialect, &input, &m.global, &empty, ctx);
            eval_expr(e, &env, &mut m.random.borrow_mut())
        };
        let until = |m: &Machine<'_>, text: &str| -> Result<f64, String> {
            let at = parse_rfc3339(text).ok_or_else(|| format!("`{text}` is not an RFC 3339 time"))?;
            let now = m.options.start_time_ms + m.now as i64;
            Ok(((at - now) as f64 / 1000.0).max(0.0))
        };
        let bad = |m: &mut Machine<'_>, message: String| {
            m.assume(fiber, state, "runtime-error");
            Fault::catchable(ErrorInfo::new("FnF.RuntimeError", format!("`{}`: {message}", def.name)))
        };
        match wait {
            WaitDef::Seconds(s) => Ok(s.max(0.0)),
            WaitDef::Missing => Ok(0.0),
            WaitDef::Timestamp(t) => until(self, t).map_err(|m| bad(self, m)),
            WaitDef::SecondsExpr(e) => match eval(self, e) {
                Ok(v) => match number(&v) {
                    Some(s) if s >= 0.0 => Ok(s),
                    _ => Err(bad(
                        self,
                        format!("the wait time `{}` gave {v}, not a number of seconds", e.text),
                    )),
                },
                Err(f) => Err(self.runtime_fault(fiber, state, "the wait time", f)),
            },
            WaitDef::TimestampExpr(e) => match eval(self, e) {
                Ok(Value::String(s)) => until(self, &s).map_err(|m| bad(self, m)),
                Ok(v) => Err(bad(self, format!("the wait time `{}` gave {v}, not an RFC 3339 time", e.text))),
                Err(f) => Err(self.runtime_fault(fiber, state, "the wait time", f)),
            },
        }
    }

    fn choose(&mut self, fiber: FiberId, state: StateId, choice: &'p ChoiceDef) -> Next {
        let def = self.state(state);
        let input = self.act(fiber).input.clone();
        let legacy = self.dialect == Dialect::Legacy;
        for (i, branch) in choice.branches.iter().enumerate() {
            let value = {
                let empty = Value::Null;
                let ctx = self.context_info(Some(def), &input, None, 0, None);
                let env = Env::new(self.dialect, &input, &self.global, &empty, ctx);
                eval_expr(&branch.condition, &env, &mut self.random.borrow_mut())
            };
            let matched = match value {
                Ok(Value::Bool(b)) => b,
                Ok(Value::Null) if legacy => false,
                Ok(other) => {
                    self.assume(fiber, state, "runtime-error");
                    let detail = format!(
                        "the condition `{}` of `{}` gave {other}, not true or false",
                        branch.condition.text, def.name
                    );
                    return self.set_step(
                        fiber,
                        Step::Fail(Fault::catchable(ErrorInfo::new("FnF.RuntimeError", detail))),
                    );
                }
                Err(e) => {
                    let fault = self.runtime_fault(fiber, state, &format!("condition {i}"), e);
                    return self.set_step(fiber, Step::Fail(fault));
                }
            };
            if matched {
                let next = self.target_name(&branch.next);
                let condition = Some(Arc::clone(&branch.condition.text));
                self.event(
                    fiber,
                    Some(state),
                    EventKind::ChoiceBranchTaken { condition, default: false, index: Some(i as u32), next },
                );
                return self.take_branch(
                    fiber,
                    state,
                    ChoiceArm::Branch(i as u32),
                    branch.steps,
                    &branch.next,
                );
            }
        }
        match &choice.default {
            Some(d) => {
                let next = self.target_name(&d.next);
                self.event(
                    fiber,
                    Some(state),
                    EventKind::ChoiceBranchTaken { condition: None, default: true, index: None, next },
                );
                self.take_branch(fiber, state, ChoiceArm::Default, d.steps, &d.next)
            }
            // Legacy: "if there is no default, the choice step simply ends".
            None if legacy => self.set_step(fiber, Step::Finish { result: Data::empty_object(), next: None }),
            None => {
                let fault =
                    Fault::definition(format!("no branch of `{}` matched and it has no `Default`", def.name));
                self.set_step(fiber, Step::Fail(fault))
            }
        }
    }

    fn target_name(&self, target: &Target) -> Option<Arc<str>> {
        match target {
            Target::State(s) => Some(Arc::clone(&self.state(*s).name)),
            Target::Unknown(n) => Some(Arc::clone(n)),
            _ => None,
        }
    }

    /// Goes to a choice branch's target; legacy branch steps run first, in a frame above.
    fn take_branch(
        &mut self,
        fiber: FiberId,
        state: StateId,
        arm: ChoiceArm,
        steps: Option<crate::dryrun::program::ScopeId>,
        next: &Target,
    ) -> Next {
        let input = self.act(fiber).input.clone();
        let Some(scope) = steps else {
            let result = if self.dialect == Dialect::Legacy { Data::empty_object() } else { input };
            return self.set_step(fiber, Step::Finish { result, next: Some(next.clone()) });
        };
        let segment = PathSegment {
            state: Arc::clone(&self.state(state).name),
            branch: None,
            iteration: None,
            choice: Some(arm),
        };
        let path = {
            let mut p = self.frame(fiber).path.to_vec();
            p.push(segment);
            Arc::from(p)
        };
        let start = self.scope_start(&self.program.scopes[scope as usize].start, input.clone(), Some(state));
        self.frame(fiber).step = Step::Await(Await::Nested { next: next.clone() });
        self.fibers[fiber].frames.push(Frame {
            path,
            scope_input: input,
            local: Map::new(),
            step: start,
            act: None,
        });
        Next::Go
    }

    /// Builds the output from the state's result, then records the exit.
    fn finish(&mut self, fiber: FiberId, result: Data, next: Option<Target>) {
        let act = self.act(fiber);
        let (state, input) = (act.state, act.input.clone());
        let def = self.state(state);
        let next = next.unwrap_or_else(|| def.next.clone());
        let output = match self.dialect {
            Dialect::CloudFlow => match self.cloudflow_output(fiber, def, &input, &result) {
                Ok(o) => o,
                Err(fault) => {
                    self.set_step(fiber, Step::Fail(fault));
                    return;
                }
            },
            Dialect::Legacy => match self.legacy_output(fiber, def, &input, &result) {
                Ok(o) => o,
                Err(fault) => {
                    self.set_step(fiber, Step::Fail(fault));
                    return;
                }
            },
        };
        self.event(fiber, Some(state), EventKind::StateExited { output: output.clone() });
        self.set_step(fiber, Step::Transition { target: next, output });
    }

    /// Retry, then Catch, then failing the scope.
    fn handle_fault(&mut self, fiber: FiberId, fault: Fault) -> Next {
        if fault.fatal.is_some() {
            self.fail(fault);
            return Next::Block;
        }
        let Some(act) = self.frame(fiber).act.as_deref() else { return self.fail_frame(fiber, fault) };
        let state = act.state;
        let def = self.state(state);
        let code = &*fault.error.code;
        let matches = |errors: &[Arc<str>]| rule_matches(errors, code);
        if let Some(i) = def.retry.iter().position(|r| matches(&r.errors)) {
            let rule = &def.retry[i];
            let done = self.act(fiber).rule_attempts[i];
            if done < rule.max_attempts {
                let mut delay = rule.interval * rule.backoff.powi(done as i32);
                if let Some(max) = rule.max_interval {
                    delay = delay.min(max);
                }
                let act = self.act(fiber);
                act.rule_attempts[i] += 1;
                act.retry_count += 1;
                if done > 0 && rule.backoff != 1.0 {
                    self.assume(fiber, state, "retry-interval");
                }
                self.event(
                    fiber,
                    Some(state),
                    EventKind::RetryScheduled { attempt: done + 1, delay, error: fault.error.clone() },
                );
                return self.block_for(fiber, Await::Retry, delay);
            }
            if def.retry[i + 1..].iter().any(|r| matches(&r.errors)) {
                self.assume(fiber, state, "retry-first-rule");
            }
        }
        if let Some(rule) = def.catch.iter().find(|c| matches(&c.errors)) {
            let next = self.target_name(&rule.next).unwrap_or_else(|| Arc::from("?"));
            self.event(fiber, Some(state), EventKind::CatchTaken { error: fault.error.clone(), next });
            let output = match self.caught_output(fiber, def, rule.output.as_ref(), &fault.error) {
                Ok(o) => o,
                Err(f) => {
                    // The Catch's own constructor failed: nothing left to catch it.
                    self.event(fiber, Some(state), EventKind::StateFailed { error: f.error.clone() });
                    return self.fail_frame(fiber, f);
                }
            };
            return self.set_step(fiber, Step::Transition { target: rule.next.clone(), output });
        }
        self.event(fiber, Some(state), EventKind::StateFailed { error: fault.error.clone() });
        self.fail_frame(fiber, fault)
    }

    fn transition(&mut self, fiber: FiberId, target: Target, output: Data) -> Next {
        let from = self.frame(fiber).act.take().map(|a| a.state);
        let name = from.map_or_else(|| "the flow".to_string(), |s| format!("`{}`", self.state(s).name));
        match target {
            Target::State(next) => self.set_step(fiber, Step::Enter { state: next, input: output }),
            Target::End => {
                let result = match self.dialect {
                    Dialect::CloudFlow => output,
                    Dialect::Legacy => Data::new(Value::Object(self.frame(fiber).local.clone())),
                };
                self.set_step(fiber, Step::End(result))
            }
            Target::Missing => {
                let fault = Fault::definition(format!("{name} has neither `Next` nor `End: true`"));
                self.set_step(fiber, Step::Fail(fault))
            }
            Target::Unknown(n) => {
                let fault =
                    Fault::definition(format!("{name} goes to `{n}`, which is no state of its scope"));
                self.set_step(fiber, Step::Fail(fault))
            }
        }
    }

    /// A step list ended: hand its result to the frame below, the parent fiber, or the
    /// execution.
    fn end_frame(&mut self, fiber: FiberId, result: Data) -> Next {
        self.fibers[fiber].frames.pop();
        if let Some(below) = self.fibers[fiber].frames.last_mut() {
            let next = match std::mem::replace(&mut below.step, Step::Done) {
                Step::Await(Await::Nested { next }) => Some(next),
                _ => None,
            };
            below.step = Step::Finish { result, next };
            return Next::Go;
        }
        match self.fibers[fiber].parent {
            Some((parent, slot)) => self.child_done(parent, slot, result),
            None => self.succeed(result),
        }
        Next::Block
    }

    /// A fault nothing caught: the step list fails, and with it the state that runs it.
    fn fail_frame(&mut self, fiber: FiberId, fault: Fault) -> Next {
        self.fibers[fiber].frames.pop();
        if let Some(below) = self.fibers[fiber].frames.last_mut() {
            below.step = Step::Fail(fault);
            return Next::Go;
        }
        match self.fibers[fiber].parent {
            Some((parent, slot)) => self.child_failed(parent, slot, fault),
            None => self.fail(fault),
        }
        Next::Block
    }
}

/// Whether a Retry or Catch rule's `Errors` take the error `code`.
fn rule_matches(errors: &[Arc<str>], code: &str) -> bool {
    errors.iter().any(|e| &**e == "FnF.ALL" || &**e == code)
}

/// `base` with `over`'s keys added (legacy: the parent's input merged with its `$local`,
/// local winning).
pub(super) fn merge(base: &Value, over: &Value) -> Value {
    let mut map = base.as_object().cloned().unwrap_or_default();
    if let Value::Object(o) = over {
        for (k, v) in o {
            map.insert(k.clone(), v.clone());
        }
    }
    Value::Object(map)
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
