//! Calling an integration: the Parameters are evaluated, then the result comes from a
//! mock (by state name, then by Action), from a sub-flow of the workspace, or from the
//! integration's default; a delay longer than the task's Timeout becomes a timeout.

use std::sync::Arc;

use fdl_schema::Dialect;
use serde_json::{Map, Value};

use super::fiber::{Await, Fault, FiberId, Step, TaskEnd};
use super::step::Next;
use super::vars::{Env, eval_template};
use super::{Machine, Progress};
use crate::dryrun::Execution;
use crate::dryrun::data::Data;
use crate::dryrun::hook::{Hook, Stop, SubflowStart};
use crate::dryrun::mocks::{MockSource, Outcome};
use crate::dryrun::program::{Integration, Kind, Mode, TaskDef};
use crate::dryrun::result::{ErrorInfo, EventKind, Status, SubflowRun};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

/// What a call will give, and after how many virtual seconds.
struct Planned {
    source: &'static str,
    end: TaskEnd,
    delay: f64,
    subflow: Option<SubflowRun>,
}

impl<'p> Machine<'p> {
    pub(super) fn invoke<H: Hook + ?Sized>(&mut self, fiber: FiberId, hook: &mut H) -> Next {
        let act = self.act(fiber);
        let (state, input, retry_count, token) =
            (act.state, act.input.clone(), act.retry_count, act.token.clone());
        let def = self.state(state);
        let Kind::Task(task) = &def.kind else { return Next::Go };
        let params = match &task.parameters {
            Some(t) => {
                let evaluated = {
                    let empty = Value::Null;
                    let ctx = self.context_info(Some(def), &input, None, retry_count, token.as_deref());
                    let env = Env::new(self.dialect, &input, &self.global, &empty, ctx);
                    eval_template(t, &env, &mut self.random.borrow_mut())
                };
                let place =
                    if self.dialect == Dialect::Legacy { "the serviceParams" } else { "the Parameters" };
                match evaluated {
                    Ok(p) => p,
                    Err(e) => {
                        let fault = self.runtime_fault(fiber, state, place, e);
                        return self.set_step(fiber, Step::Fail(fault));
                    }
                }
            }
            None => Data::empty_object(),
        };
        let invocation = self.invocations[state as usize];
        self.invocations[state as usize] += 1;
        let keys = [&*task.action, &*task.integration_action];
        let planned = match self.mocks.lookup(&def.name, &keys, invocation) {
            Some((response, source)) => {
                let (end, callback) = match &response.outcome {
                    Outcome::Return(v) => (TaskEnd::Success(v.clone()), false),
                    Outcome::Throw(e) => (TaskEnd::Failure(e.clone()), false),
                    Outcome::CallbackSucceed(v) => (TaskEnd::Success(v.clone()), true),
                    Outcome::CallbackFail(e) => (TaskEnd::Failure(e.clone()), true),
                };
                if callback && task.mode == Mode::Request {
                    self.warn(
                        fiber,
                        state,
                        "callback-mock",
                        format!("`{}` does not wait for a callback (its mode is RequestComplete); the mocked callback is used as its result", def.name),
                    );
                }
                let source = if source == MockSource::State { "state" } else { "action" };
                Planned { source, end, delay: response.delay, subflow: None }
            }
            None => match self.subflow(fiber, task, &params, &input, hook) {
                Some(p) => p,
                None if self.outcome.is_some() => return Next::Block,
                None => {
                    let value =
                        super::defaults::result(self.dialect, task, &params, &mut self.random.borrow_mut());
                    let message = format!(
                        "`{}` has no mock, so it got the default result of {}: {}",
                        def.name,
                        task.integration_action,
                        crate::expr::value::preview(&value, 120)
                    );
                    self.warn(fiber, state, "unmocked-task", message);
                    Planned {
                        source: "default",
                        end: TaskEnd::Success(Data::new(value)),
                        delay: 0.0,
                        subflow: None,
                    }
                }
            },
        };
        self.event(
            fiber,
            Some(state),
            EventKind::TaskScheduled {
                action: Arc::clone(&task.action),
                parameters: params,
                mode: mode_name(self.dialect, task.mode),
                task_token: token,
                source: planned.source,
                invocation,
                subflow: planned.subflow,
            },
        );
        let (mut end, mut delay) = (planned.end, planned.delay);
        if let TaskEnd::Success(v) = &end
            && v.bytes() > self.options.limits.max_value_bytes
        {
            let fault = Fault::fatal(
                Status::Failed,
                "FnF.DataLimitExceeded",
                format!("the result of `{}` is {} bytes, more than the dry run accepts", def.name, v.bytes()),
            );
            return self.set_step(fiber, Step::Fail(fault));
        }
        if let Some(timeout) = task.timeout
            && delay > timeout
        {
            self.assume(fiber, state, "task-timeout");
            let detail = format!("`{}` did not finish within its timeout of {timeout} seconds", def.name);
            end = TaskEnd::Failure(ErrorInfo::new("FnF.TaskTimeout", detail));
            delay = timeout;
        }
        if delay > 0.0 {
            return self.block_for(fiber, Await::Task(end), delay);
        }
        self.complete_task(fiber, end)
    }

    pub(super) fn complete_task(&mut self, fiber: FiberId, end: TaskEnd) -> Next {
        let state = self.act(fiber).state;
        match end {
            TaskEnd::Success(output) => {
                self.event(fiber, Some(state), EventKind::TaskSucceeded { output: output.clone() });
                let function = matches!(&self.state(state).kind, Kind::Task(t) if t.integration == Integration::Function);
                if self.dialect == Dialect::Legacy && function && !output.is_object() {
                    self.assume(fiber, state, "invalid-local");
                    let what = crate::expr::value::describe(&output);
                    let error = ErrorInfo::new(
                        "FnF.InvalidLocal",
                        format!(
                            "the function of `{}` returned {what}, not a JSON object",
                            self.state(state).name
                        ),
                    );
                    return self.set_step(fiber, Step::Fail(Fault::catchable(error)));
                }
                self.set_step(fiber, Step::Finish { result: output, next: None })
            }
            TaskEnd::Failure(error) => {
                self.event(fiber, Some(state), EventKind::TaskFailed { error: error.clone() });
                self.set_step(fiber, Step::Fail(Fault::catchable(error)))
            }
        }
    }

    /// Runs the workspace flow a sub-flow task names, if the loader finds it. `None` means
    /// "use the default result" (or, with `self.outcome` set, that the run must stop).
    fn subflow<H: Hook + ?Sized>(
        &mut self,
        fiber: FiberId,
        task: &TaskDef,
        params: &Data,
        input: &Data,
        hook: &mut H,
    ) -> Option<Planned> {
        let state = self.act(fiber).state;
        let text_param = |keys: &[&str]| keys.iter().find_map(|k| params.get(*k).and_then(Value::as_str));
        let name: Arc<str> = match &task.integration {
            Integration::SubFlow { name: Some(n) } => Arc::clone(n),
            Integration::SubFlow { name: None } => {
                let arn = text_param(&["resourceArn"])?;
                crate::dryrun::lower::flow_name_of_arn(arn)?
            }
            Integration::StartExecutionApi => Arc::from(text_param(&["FlowName", "flowName"])?),
            _ => return None,
        };
        let depth = self.options.depth + 1;
        if depth > self.options.limits.max_subflow_depth {
            let max = self.options.limits.max_subflow_depth;
            self.warn(
                fiber,
                state,
                "subflow-depth",
                format!("sub-flow `{name}` was not run: sub-flows nest at most {max} deep in a dry run"),
            );
            return None;
        }
        let Some(loaded) = self.loader.flow(&name) else {
            self.warn(
                fiber,
                state,
                "subflow-missing",
                format!(
                    "no flow named `{name}` was found in the workspace; `{}` gets a mocked or default result",
                    self.state(state).name
                ),
            );
            return None;
        };
        self.assume(fiber, state, "subflow-lookup");
        let text = SourceText::new(&loaded.text);
        let tree = SyntaxTree::parse(&text);
        let deploy = std::sync::Arc::clone(&self.program.deploy);
        let program = match crate::dryrun::lower::lower_with(&text, &tree, PositionEncoding::Utf16, deploy) {
            Ok(p) => p,
            Err(e) => {
                self.warn(
                    fiber,
                    state,
                    "subflow-invalid",
                    format!("sub-flow `{name}` in {}: {e}", loaded.path),
                );
                return None;
            }
        };
        let child_input = match self.dialect {
            Dialect::CloudFlow => params.get("input").cloned().unwrap_or_else(|| Value::Object(Map::new())),
            Dialect::Legacy => match params.get("Input") {
                Some(Value::String(s)) => {
                    serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone()))
                }
                Some(v) => v.clone(),
                None => input.value().clone(),
            },
        };
        let mut options = self.options.clone();
        options.depth = depth;
        options.seed = Some(self.random.borrow_mut().next_u64());
        options.execution_name = text_param(&["executionName", "ExecutionName"]).map(str::to_string);
        options.flow_name = Some(name.to_string());
        options.limits.max_steps =
            self.options.limits.max_steps.saturating_sub(self.steps + self.child_steps);
        let path = Arc::clone(&self.frame(fiber).path);
        let entered = {
            let def = self.state(state);
            let task = Stop {
                state_id: state,
                state: &def.name,
                range: def.range,
                path: &path,
                time: self.now as f64 / 1000.0,
                data: input.value(),
                global: self.global.value(),
            };
            let start = SubflowStart {
                flow: &name,
                file: &loaded.path,
                text: &loaded.text,
                task: &task,
                input: &child_input,
            };
            hook.enter_subflow(&start)
        };
        let (child, steps) = if entered {
            let mut execution = Execution::new(&program, child_input, self.mocks, &options, self.loader);
            while execution.resume(&mut *hook) == Progress::Paused {
                hook.subflow_paused(&mut execution);
            }
            hook.exit_subflow(&execution);
            let steps = execution.steps();
            (execution.into_result(), steps)
        } else {
            crate::dryrun::run_counting(&program, child_input, self.mocks, &options, self.loader)
        };
        self.child_steps += steps;
        for w in &child.warnings {
            self.trace.warn(
                w.code,
                format!("in sub-flow `{name}` ({}): {}", loaded.path, w.message),
                Some(self.state(state)),
                &path,
                self.now,
                w.assumption,
            );
        }
        if child.status == Status::StepLimit {
            let error = child
                .error
                .clone()
                .unwrap_or_else(|| ErrorInfo::new("DryRun.StepLimit", "the sub-flow was stopped"));
            let detail = format!("in sub-flow `{name}`: {}", error.detail);
            self.fail(Fault::fatal(Status::StepLimit, &error.code, detail));
            return None;
        }
        self.assume(fiber, state, "subflow-output");
        let run = SubflowRun {
            flow: Arc::clone(&name),
            file: loaded.path.clone(),
            status: child.status,
            output: child.output.clone(),
            error: child.error.clone(),
            virtual_seconds: child.virtual_seconds,
            events: child.events.len(),
        };
        let (end, delay) = match task.mode {
            Mode::Request => {
                if child.status != Status::Succeeded {
                    let why =
                        child.error.as_ref().map_or(String::new(), |e| format!(": {} {}", e.code, e.detail));
                    self.warn(
                        fiber,
                        state,
                        "subflow-failed",
                        format!(
                            "sub-flow `{name}` ended {}{why}; the parent does not wait for it",
                            child.status.as_str()
                        ),
                    );
                }
                let response = super::defaults::start_response(params, &mut self.random.borrow_mut());
                let mut response = response;
                response["FlowName"] = Value::from(&*name);
                (TaskEnd::Success(Data::new(response)), 0.0)
            }
            Mode::SystemCallback | Mode::CustomCallback => {
                let end = match (child.status, child.output, child.error) {
                    (Status::Succeeded, Some(output), _) => TaskEnd::Success(output),
                    (_, _, Some(error)) => TaskEnd::Failure(error),
                    _ => TaskEnd::Failure(ErrorInfo::new(
                        "ExecutionFailed",
                        format!("sub-flow `{name}` failed"),
                    )),
                };
                (end, child.virtual_seconds)
            }
        };
        Some(Planned { source: "subflow", end, delay, subflow: Some(run) })
    }
}

fn mode_name(dialect: Dialect, mode: Mode) -> &'static str {
    match (dialect, mode) {
        (Dialect::CloudFlow, Mode::Request) => "RequestComplete",
        (Dialect::CloudFlow, Mode::SystemCallback) => "WaitForSystemCallback",
        (Dialect::CloudFlow, Mode::CustomCallback) => "WaitForCustomCallback",
        (Dialect::Legacy, Mode::Request) => "requestResponse",
        (Dialect::Legacy, Mode::SystemCallback) => "sync",
        (Dialect::Legacy, Mode::CustomCallback) => "waitForCallback",
    }
}
