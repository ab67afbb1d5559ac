//! The interpreter: a discrete-event scheduler over a virtual clock. Each running scope is
//! a [`fiber::Fiber`]; fibers wait in a queue ordered by virtual time, then by their
//! position (branch and item indices), then by arrival, so runs are deterministic and
//! `MaxConcurrency` shows in the order of events. Nothing sleeps: a Wait, a retry delay
//! or a mocked latency moves the clock.
//!
//! - [`step`]: one state's phases (enter, work, errors, transitions);
//! - [`output`]: what a state hands on (constructors, `$Global`, legacy `$local`, caught
//!   errors);
//! - [`task`]: calling an integration: mocks, defaults, sub-flows, timeouts;
//! - [`children`]: Parallel branches and Map/foreach iterations;
//! - [`checks`]: size limits and naming the loop that hit the step limit.

mod checks;
mod children;
mod clock;
pub(crate) mod defaults;
mod fiber;
mod inspect;
mod output;
mod step;
mod task;
mod trace;
mod vars;

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};
use std::sync::Arc;
use std::sync::atomic;
use std::time::Instant;

use fdl_schema::Dialect;
use serde_json::{Map, Value};

use self::fiber::{Fault, Fiber, FiberId, Frame, Step};
use self::trace::Trace;
use super::data::Data;
use super::hook::Hook;
use super::mocks::Mocks;
use super::options::{Loader, Options};
use super::program::{Program, StateDef, StateId, TOP, Target};
use super::result::{ErrorInfo, EventKind, Path, RunResult, Status};
use crate::analysis::WorkflowMode;
use crate::expr::Random;

pub(crate) use clock::parse_rfc3339;

/// Where a run stands after [`Machine::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A hook asked to stop; call again to go on.
    Paused,
    Finished,
}

/// One entry of the run queue.
#[derive(Eq, PartialEq)]
struct Due {
    time: u64,
    order: Arc<[u32]>,
    seq: u64,
    fiber: FiberId,
}

impl Ord for Due {
    fn cmp(&self, other: &Due) -> Ordering {
        (self.time, &*self.order, self.seq).cmp(&(other.time, &*other.order, other.seq))
    }
}

impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Due) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

pub(crate) struct Machine<'p> {
    pub program: &'p Program,
    pub options: &'p Options,
    pub mocks: &'p Mocks,
    pub loader: &'p dyn Loader,
    pub dialect: Dialect,
    /// Virtual time in milliseconds.
    pub now: u64,
    queue: BinaryHeap<Reverse<Due>>,
    seq: u64,
    pub fibers: Vec<Fiber>,
    /// The fiber a hook paused, resumed before anything else.
    current: Option<FiberId>,
    pub global: Data,
    /// Shared by every expression (`uuid()`, `randomInt()`) and the generated ids.
    pub random: std::cell::RefCell<Random>,
    pub execution_name: Arc<str>,
    pub flow_name: Arc<str>,
    pub execution_input: Data,
    /// Legacy: the flow's input after its inputMappings.
    pub flow_input: Data,
    pub steps: u64,
    /// Task invocations per state, for per-invocation mocks.
    pub invocations: Vec<u32>,
    pub trace: Trace,
    deadline: Option<(u64, bool)>,
    started: Instant,
    pub outcome: Option<(Status, Result<Data, ErrorInfo>)>,
    /// Steps taken by sub-flows (they count against the same limit).
    pub child_steps: u64,
    pub root_path: Path,
}

/// Role the dry run pretends the execution has (`$Context.Execution.RoleArn`).
pub(crate) const ROLE_ARN: &str = "acs:ram::000000000000:role/fdl-dry-run";

impl<'p> Machine<'p> {
    pub fn new(
        program: &'p Program,
        input: Value,
        mocks: &'p Mocks,
        options: &'p Options,
        loader: &'p dyn Loader,
    ) -> Machine<'p> {
        let mut random = options.seed.map_or_else(Random::from_entropy, Random::seeded);
        let execution_name: Arc<str> =
            options.execution_name.clone().map_or_else(|| Arc::from(defaults::uuid(&mut random)), Arc::from);
        let flow_name: Arc<str> = program
            .name
            .clone()
            .or_else(|| options.flow_name.as_deref().map(Arc::from))
            .unwrap_or_else(|| Arc::from("flow"));
        let (mode_limit, by_mode) = match options.mode {
            WorkflowMode::Express => (300_000, true),
            WorkflowMode::Standard => (365 * 86_400_000, true),
        };
        let deadline = match program.timeout.map(|t| (t * 1000.0).round() as u64) {
            Some(t) if t < mode_limit => Some((t, false)),
            _ => Some((mode_limit, by_mode)),
        };
        let input = Data::new(input);
        let root_path: Path = Arc::from(Vec::new());
        Machine {
            program,
            options,
            mocks,
            loader,
            dialect: program.dialect,
            now: 0,
            queue: BinaryHeap::new(),
            seq: 0,
            fibers: Vec::new(),
            current: None,
            global: Data::empty_object(),
            random: std::cell::RefCell::new(random),
            execution_name,
            flow_name,
            execution_input: input.clone(),
            flow_input: input,
            steps: 0,
            invocations: vec![0; program.states.len()],
            trace: Trace::new(options.limits.max_events, options.limits.max_history_bytes),
            deadline,
            started: Instant::now(),
            outcome: None,
            child_steps: 0,
            root_path,
        }
    }

    pub fn state(&self, id: StateId) -> &'p StateDef {
        &self.program.states[id as usize]
    }

    /// Starts the execution: checks the input, applies legacy flow inputMappings, and
    /// queues the top-level fiber.
    pub fn start(&mut self) {
        let path = Arc::clone(&self.root_path);
        let input = self.execution_input.clone();
        self.trace.event(EventKind::ExecutionStarted { input: input.clone() }, None, &path, 0);
        for (written, range) in &self.program.unfilled {
            let message = crate::dryrun::deploy::unfilled_message(written);
            self.trace.warn_at("deploy-placeholder", message, *range, &path, 0);
        }
        if !input.is_object() {
            let what = crate::expr::value::describe(&input);
            return self.fail(Fault::fatal(
                Status::Failed,
                "FnF.InvalidData",
                format!("the execution input must be a JSON object, not {what}"),
            ));
        }
        let limit = self.options.limits.max_value_bytes;
        if input.bytes() > limit {
            return self.fail(Fault::fatal(
                Status::Failed,
                "FnF.DataLimitExceeded",
                format!(
                    "the execution input is {} bytes; the service accepts requests up to {limit} bytes",
                    input.bytes()
                ),
            ));
        }
        if let Some(template) = &self.program.flow_input {
            let empty = Value::Object(Map::new());
            let result = {
                let ctx = self.context_info(None, &empty, None, 0, None);
                let env = vars::Env::new(self.dialect, &input, &empty, &empty, ctx);
                vars::eval_template(template, &env, &mut self.random.borrow_mut())
            };
            match result {
                Ok(d) => self.flow_input = d,
                Err(e) => {
                    return self.fail(Fault::fatal(
                        Status::Failed,
                        if e.too_large() { "FnF.DataLimitExceeded" } else { "FnF.RuntimeError" },
                        e.describe("the flow's inputMappings"),
                    ));
                }
            }
        }
        let scope = &self.program.scopes[TOP as usize];
        let step = self.scope_start(&scope.start, self.flow_input.clone(), None);
        let frame = Frame { path, scope_input: self.flow_input.clone(), local: Map::new(), step, act: None };
        self.fibers.push(Fiber {
            parent: None,
            order: Arc::from(Vec::new()),
            frames: vec![frame],
            cancelled: false,
            children: Vec::new(),
            recent: VecDeque::new(),
        });
        self.schedule(0, self.now);
    }

    /// The first step of a scope that starts at `start`.
    pub fn scope_start(&self, start: &Target, input: Data, owner: Option<StateId>) -> Step {
        match start {
            Target::State(s) => Step::Enter { state: *s, input },
            Target::End => Step::End(Data::empty_object()),
            Target::Missing => Step::Fail(Fault::definition(match owner {
                Some(o) => format!("a scope of `{}` has no `StartAt`", self.state(o).name),
                None => "the flow has no `StartAt`".to_string(),
            })),
            Target::Unknown(name) => Step::Fail(Fault::definition(format!(
                "`StartAt: {name}` names no state of its scope{}",
                owner.map(|o| format!(" (in `{}`)", self.state(o).name)).unwrap_or_default()
            ))),
        }
    }

    pub fn schedule(&mut self, fiber: FiberId, time: u64) {
        self.seq += 1;
        let order = Arc::clone(&self.fibers[fiber].order);
        self.queue.push(Reverse(Due { time, order, seq: self.seq, fiber }));
    }

    /// Runs until the execution ends or a hook pauses it.
    pub fn run<H: Hook + ?Sized>(&mut self, hook: &mut H) -> Progress {
        loop {
            if self.outcome.is_some() {
                return Progress::Finished;
            }
            let fiber = match self.current.take() {
                Some(f) => f,
                None => match self.queue.pop() {
                    Some(Reverse(due)) => {
                        if let Some((deadline, by_mode)) = self.deadline
                            && due.time > deadline
                        {
                            self.time_out(deadline, by_mode);
                            continue;
                        }
                        self.now = self.now.max(due.time);
                        due.fiber
                    }
                    None => {
                        // Every fiber waits on another: a bug of ours, said plainly.
                        self.fail(Fault::fatal(
                            Status::Failed,
                            "DryRun.InternalError",
                            "the dry run has nothing left to run but the execution has not ended",
                        ));
                        continue;
                    }
                },
            };
            if self.fibers[fiber].cancelled {
                continue;
            }
            if self.run_fiber(fiber, hook) == Progress::Paused {
                self.current = Some(fiber);
                return Progress::Paused;
            }
        }
    }

    fn time_out(&mut self, deadline: u64, by_mode: bool) {
        self.now = deadline;
        if by_mode {
            self.trace.assume("express-duration", None, &Arc::clone(&self.root_path), deadline);
        }
        let error = ErrorInfo::new(
            "ExecutionTimedOut",
            format!("the execution ran longer than its timeout of {} seconds", deadline as f64 / 1000.0),
        );
        let path = Arc::clone(&self.root_path);
        self.trace.event(EventKind::ExecutionTimedOut { error: error.clone() }, None, &path, self.now);
        self.outcome = Some((Status::TimedOut, Err(error)));
    }

    /// Ends the execution with a fault that reached the top (or is fatal).
    pub fn fail(&mut self, fault: Fault) {
        if self.outcome.is_some() {
            return;
        }
        let status = fault.fatal.unwrap_or(Status::Failed);
        let path = Arc::clone(&self.root_path);
        let error = fault.error;
        let kind = match status {
            Status::StepLimit => EventKind::ExecutionStopped { error: error.clone() },
            Status::TimedOut => EventKind::ExecutionTimedOut { error: error.clone() },
            _ => EventKind::ExecutionFailed { error: error.clone() },
        };
        self.trace.event(kind, None, &path, self.now);
        self.outcome = Some((status, Err(error)));
    }

    /// Ends the execution successfully with the top scope's result.
    pub fn succeed(&mut self, result: Data) {
        let output = match (&self.program.flow_output, self.dialect) {
            (Some(template), Dialect::Legacy) => {
                let empty = Value::Object(Map::new());
                let flow_input = self.flow_input.clone();
                let evaluated = {
                    let ctx = self.context_info(None, &flow_input, None, 0, None);
                    let env = vars::Env::new(self.dialect, &flow_input, &empty, &result, ctx);
                    vars::eval_template(template, &env, &mut self.random.borrow_mut())
                };
                match evaluated {
                    Ok(d) => d,
                    Err(e) => {
                        return self.fail(Fault::fatal(
                            Status::Failed,
                            if e.too_large() { "FnF.DataLimitExceeded" } else { "FnF.RuntimeError" },
                            e.describe("the flow's outputMappings"),
                        ));
                    }
                }
            }
            _ => result,
        };
        let path = Arc::clone(&self.root_path);
        self.trace.event(EventKind::ExecutionSucceeded { output: output.clone() }, None, &path, self.now);
        self.outcome = Some((Status::Succeeded, Ok(output)));
    }

    /// `$Context` facts for the state being run (`None`: flow-level mappings).
    pub fn context_info<'a>(
        &'a self,
        state: Option<&'a StateDef>,
        input: &'a Value,
        output: Option<&'a Value>,
        retry_count: u32,
        token: Option<&'a str>,
    ) -> vars::ContextInfo<'a> {
        vars::ContextInfo {
            execution_name: &self.execution_name,
            execution_input: &self.execution_input,
            role_arn: ROLE_ARN,
            flow_name: &self.flow_name,
            state_name: state.map_or("", |s| &s.name),
            state_input: input,
            state_output: output,
            error: None,
            retry_count,
            token,
            event_id: self.trace.count + 1,
            max_value_bytes: self.options.limits.max_value_bytes,
        }
    }

    /// Counts a step; stops the run at the step limit, the wall-time limit or a
    /// cancellation. `false` when the run must stop.
    pub fn count_step<H: Hook + ?Sized>(&mut self, fiber: FiberId, state: StateId, hook: &mut H) -> bool {
        self.steps += 1;
        let recent = &mut self.fibers[fiber].recent;
        if recent.len() == fiber::RECENT {
            recent.pop_front();
        }
        recent.push_back(state);
        let total = self.steps + self.child_steps;
        if total > self.options.limits.max_steps {
            let detail = checks::loop_message(self, fiber, self.options.limits.max_steps);
            self.fail(Fault::fatal(Status::StepLimit, "DryRun.StepLimit", detail));
            return false;
        }
        if total.is_multiple_of(1024) {
            hook.progress(total, self.now as f64 / 1000.0);
            if self.started.elapsed() > self.options.limits.wall_time {
                let secs = self.options.limits.wall_time.as_secs_f64();
                self.fail(Fault::fatal(
                    Status::StepLimit,
                    "DryRun.WallTimeLimit",
                    format!("the dry run stopped after {secs} seconds of real time ({total} steps)"),
                ));
                return false;
            }
        }
        if self.options.cancel.as_ref().is_some_and(|c| c.load(atomic::Ordering::Relaxed)) {
            self.fail(Fault::fatal(Status::StepLimit, "DryRun.Cancelled", "the dry run was cancelled"));
            return false;
        }
        true
    }

    /// The result, once finished (or as far as it got).
    pub fn into_result(mut self) -> RunResult {
        let quota = 5_000;
        if self.trace.count > quota {
            self.trace.closing_warning(
                "event-quota",
                format!(
                    "this run wrote {} history events; the service ends an execution at {quota} (a quota that can be raised); \
                     split the work into child executions",
                    self.trace.count
                ),
                None,
            );
            let text = super::assumptions::assumption("history-events").map_or("", |a| a.text);
            self.trace.closing_warning(
                "assumption",
                format!("assumed [history-events]: {text}"),
                Some("history-events"),
            );
        }
        if self.trace.left_out > 0 {
            self.trace.closing_warning(
                "history-values-left-out",
                format!(
                    "the events keep at most {} of values: {} later values are left out (each shows its size)",
                    match self.trace.max_history_bytes {
                        n if n % (1024 * 1024) == 0 => format!("{} MiB", n / (1024 * 1024)),
                        n => format!("{n} bytes"),
                    },
                    self.trace.left_out
                ),
                None,
            );
        }
        if self.trace.truncated {
            let kept = self.trace.events.len();
            self.trace.closing_warning(
                "events-truncated",
                format!("only the first {kept} of {} events are in the result", self.trace.count),
                None,
            );
        }
        let (status, result) = self.outcome.take().unwrap_or((
            Status::StepLimit,
            Err(ErrorInfo::new("DryRun.Paused", "the run was paused and not finished")),
        ));
        let (output, error) = match result {
            Ok(o) => (Some(o), None),
            Err(e) => (None, Some(e)),
        };
        RunResult {
            status,
            output,
            error,
            virtual_seconds: self.now as f64 / 1000.0,
            warnings: self.trace.warnings,
            events: self.trace.events,
        }
    }
}
