//! The run thread: the dry run under a [`Hook`] that pauses it at every state, and what
//! happens at each pause. Most pauses last no longer than it takes to show the new events
//! in the console and to see that nothing asks for a stop; a breakpoint, an exception
//! filter, a finished step or a pause request turns one into a stop, reported to the
//! client, during which the thread answers the requests that read the paused run (stack,
//! scopes, variables, evaluate, setVariable) until one resumes it.
//!
//! The adapter thread forwards those requests as [`Command`]s; between stops they are
//! read without blocking at each pause (so `pause` and a disconnect take effect at the
//! next state) and the ones that need a stopped run are refused.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use super::breakpoints::{Lines, Table};
use super::launch::Prepared;
use super::protocol::{
    self, EvaluateArguments, ScopesArguments, SetVariableArguments, SourceOut, StackTraceArguments,
    StoppedEvent, VariablesArguments,
};
use super::source::canonical;
use super::stepping::{Key, Seg, Step};
use super::transport::Writer;
use super::variables::{self, Edit, Store};
use crate::dryrun::hook::{Control, Hook, Stop, SubflowStart};
use crate::dryrun::render::{self, Renderer, Style};
use crate::dryrun::result::ErrorInfo;
use crate::dryrun::{EventKind, Execution, Paused, Phase, Progress, Range, RunResult, Status};

/// What the adapter thread sends the run thread.
#[derive(Debug)]
pub enum Command {
    /// A request about the paused run, or one that resumes it.
    Request(protocol::Request),
    Pause,
    /// Disconnect or terminate: the run is cancelled and ends at once.
    Abort,
}

/// Lines of events shown in the console before the rest of a long run is left out.
const MAX_OUTPUT_LINES: usize = 5_000;

const STYLE: Style = Style { max_value: 200, color: false };

/// Runs a prepared flow to its end, debugging it.
pub fn run(
    prepared: Prepared,
    writer: Writer,
    table: Arc<Mutex<Table>>,
    commands: Receiver<Command>,
    lines: Lines,
) {
    let Prepared {
        path,
        program,
        input,
        mocks,
        options,
        loader,
        case,
        notes,
        title,
        stop_on_entry,
        no_debug,
        cancel,
        ..
    } = prepared;
    writer.output("console", &title);
    for note in notes {
        writer.output("stderr", note);
    }
    let top = Level::new(
        &path,
        program.name.as_deref().or(options.flow_name.as_deref()).unwrap_or("flow"),
        Vec::new(),
        Vec::new(),
    );
    let mut debugger = Debugger {
        writer: writer.clone(),
        table,
        commands,
        lines,
        cancel,
        no_debug,
        first: true,
        stop_on_entry,
        step: Step::Run,
        pause_requested: false,
        aborted: false,
        levels: vec![top],
        pending_error: None,
        stopped: None,
        store: Store::default(),
        output_lines: 0,
    };
    let mut execution = Execution::new(&program, input, &mocks, &options, &loader);
    while execution.resume(&mut debugger) == Progress::Paused {
        debugger.on_pause(&mut execution);
    }
    debugger.flush(&execution);
    let result = execution.into_result();
    finish(&writer, &result, case.as_ref().map(|(n, e)| (n.as_str(), e)));
}

/// The outcome in the console, then the events that end the session.
fn finish(writer: &Writer, result: &RunResult, case: Option<(&str, &crate::dryrun::expect::Expect)>) {
    let category = if result.status == Status::Succeeded { "console" } else { "stderr" };
    writer.output(category, render::outcome(result, STYLE).trim_end());
    if let Some((name, expect)) = case {
        let failures = crate::dryrun::expect::check(expect, result);
        if failures.is_empty() {
            writer.output("console", format!("test `{name}` passed"));
        } else {
            let list: Vec<String> = failures.iter().map(|f| format!("  - {f}")).collect();
            writer.output("stderr", format!("test `{name}` failed:\n{}", list.join("\n")));
        }
    }
    writer.event(
        "fdlResult",
        json!({
            "status": result.status.as_str(),
            "output": result.output,
            "error": result.error,
            "virtualSeconds": result.virtual_seconds,
        }),
    );
    writer.event("exited", json!({"exitCode": if result.status == Status::Succeeded { 0 } else { 1 }}));
    writer.event("terminated", json!({}));
}

/// The flow being run, or a sub-flow it entered.
struct Level {
    file: PathBuf,
    /// The path as shown to the client.
    shown: String,
    flow: String,
    renderer: Renderer,
    /// Events of this level already in the console.
    reported: usize,
    /// The key of this level's scopes: the enclosing Task's, then the sub-flow.
    prefix: Key,
    /// The frames of the level below when this sub-flow started.
    below: Vec<Frame>,
    /// This level's frames at its last pause before a Task (what a sub-flow it starts
    /// shows below its own frames).
    last_frames: Vec<Frame>,
}

impl Level {
    fn new(path: &Path, flow: &str, prefix: Key, below: Vec<Frame>) -> Level {
        Level {
            file: canonical(path),
            shown: path.display().to_string(),
            flow: flow.to_string(),
            renderer: Renderer::new(STYLE),
            reported: 0,
            prefix,
            below,
            last_frames: Vec::new(),
        }
    }
}

/// A stack frame, with the data its scopes show.
#[derive(Clone, Debug)]
struct Frame {
    name: String,
    file: String,
    range: Option<Range>,
    scopes: Vec<ScopeData>,
}

#[derive(Clone, Debug)]
struct ScopeData {
    name: &'static str,
    value: Value,
    /// The expression its members start from (`$Context`), if any.
    eval: Option<String>,
    edit: Edit,
}

/// Where the run is stopped.
struct Stopped {
    paused: Paused,
    key: Key,
    /// For a stop on an error: whether something handles it.
    handled: bool,
    frames: Vec<Frame>,
}

struct Debugger {
    writer: Writer,
    table: Arc<Mutex<Table>>,
    commands: Receiver<Command>,
    lines: Lines,
    cancel: Arc<AtomicBool>,
    no_debug: bool,
    /// No state has been paused at yet.
    first: bool,
    stop_on_entry: bool,
    step: Step,
    pause_requested: bool,
    aborted: bool,
    levels: Vec<Level>,
    /// From `on_error` to the pause that follows: whether the error is handled.
    pending_error: Option<bool>,
    stopped: Option<Stopped>,
    store: Store,
    output_lines: usize,
}

impl Hook for Debugger {
    fn before_state(&mut self, _: &Stop<'_>) -> Control {
        Control::Pause
    }

    fn after_state(&mut self, _: &Stop<'_>) -> Control {
        Control::Pause
    }

    fn wants_errors(&self) -> bool {
        true
    }

    fn on_error(&mut self, _: &Stop<'_>, _: &ErrorInfo, handled: bool) -> Control {
        self.pending_error = Some(handled);
        Control::Pause
    }

    fn enter_subflow(&mut self, at: &SubflowStart<'_>) -> bool {
        let parent = self.levels.last().expect("the flow's level");
        let mut below = parent.last_frames.clone();
        if let Some(task) = below.first_mut() {
            task.name = format!("{} › sub-flow {}", at.task.state, at.flow);
        }
        let mut prefix = parent.prefix.clone();
        prefix.extend(at.task.path.iter().cloned().map(Seg::Scope));
        prefix.push(Seg::Subflow(Arc::from(at.task.state)));
        self.say("console", format!("⤷ sub-flow `{}` ({}) starts", at.flow, at.file));
        self.levels.push(Level::new(Path::new(at.file), at.flow, prefix, below));
        true
    }

    fn subflow_paused(&mut self, child: &mut Execution<'_>) {
        self.on_pause(child);
    }

    fn exit_subflow(&mut self, child: &Execution<'_>) {
        self.flush(child);
        if let Some(level) = self.levels.pop() {
            self.say("console", format!("⤶ sub-flow `{}` ended", level.flow));
        }
    }
}

impl Debugger {
    fn level(&self) -> &Level {
        self.levels.last().expect("the flow's level")
    }

    /// A console line, within the budget.
    fn say(&mut self, category: &'static str, text: String) {
        self.output_lines += text.lines().count();
        if self.output_lines <= MAX_OUTPUT_LINES {
            self.writer.output(category, text);
        }
    }

    /// The events since the last pause, as `fdl run` prints them.
    fn flush(&mut self, exec: &Execution<'_>) {
        let depth = self.levels.len();
        let level = self.levels.last_mut().expect("the flow's level");
        let events = exec.events();
        let mut text = String::new();
        for event in events.get(level.reported..).unwrap_or(&[]) {
            if matches!(event.kind, EventKind::ExecutionStarted { .. }) && depth > 1 {
                continue;
            }
            let lines = level.renderer.event(event);
            if depth > 1 {
                for line in lines.lines() {
                    text.push_str(&format!("  ⤷ {line}\n"));
                }
            } else {
                text.push_str(&lines);
            }
        }
        level.reported = events.len();
        if text.is_empty() {
            return;
        }
        let before = self.output_lines;
        self.output_lines += text.lines().count();
        if self.output_lines <= MAX_OUTPUT_LINES {
            self.writer.output("stdout", text);
        } else if before <= MAX_OUTPUT_LINES {
            self.writer.output(
                "console",
                format!("… the console shows the first {MAX_OUTPUT_LINES} lines of this run; the outcome follows at the end"),
            );
        }
    }

    /// Reads what the adapter sent while the run goes on.
    fn poll(&mut self) {
        loop {
            match self.commands.try_recv() {
                Ok(Command::Pause) => self.pause_requested = true,
                Ok(Command::Abort) | Err(TryRecvError::Disconnected) => return self.abort(),
                Ok(Command::Request(request)) => {
                    let answer = match request.command.as_str() {
                        // Late: the run already goes on.
                        "continue" => Ok(json!({"allThreadsContinued": true})),
                        "next" | "stepIn" | "stepOut" => Ok(Value::Null),
                        _ => Err("the flow is running: pause it first".to_string()),
                    };
                    self.writer.respond(&request, answer);
                }
                Err(TryRecvError::Empty) => return,
            }
        }
    }

    fn abort(&mut self) {
        self.aborted = true;
        self.cancel.store(true, Ordering::Relaxed);
    }

    fn key(&self, paused: &Paused) -> Key {
        let mut key = self.level().prefix.clone();
        key.extend(paused.path.iter().cloned().map(Seg::Scope));
        key
    }

    fn on_pause(&mut self, exec: &mut Execution<'_>) {
        self.flush(exec);
        self.poll();
        let handled = self.pending_error.take();
        if self.aborted {
            return;
        }
        let Some(paused) = exec.paused() else { return };
        let is_task = matches!(
            exec.program().states[paused.state as usize].kind,
            crate::dryrun::program::Kind::Task(_)
        );
        if is_task && paused.phase == Phase::Before {
            let frames = self.frames(exec, &paused);
            self.levels.last_mut().expect("a level").last_frames = frames;
        }
        let key = self.key(&paused);
        let Some(stop) = self.reason(exec, &paused, &key, handled) else { return };
        self.step = Step::Run;
        self.pause_requested = false;
        self.store.clear();
        let frames = self.frames(exec, &paused);
        self.writer.event("stopped", stop);
        self.stopped = Some(Stopped { paused, key, handled: handled.unwrap_or(false), frames });
        self.serve(exec);
        self.stopped = None;
        self.store.clear();
    }

    /// Why the run stops here, if it does.
    fn reason(
        &mut self,
        exec: &Execution<'_>,
        paused: &Paused,
        key: &Key,
        handled: Option<bool>,
    ) -> Option<StoppedEvent> {
        let first = std::mem::replace(&mut self.first, false) && paused.phase == Phase::Before;
        if self.no_debug {
            return None;
        }
        let stop =
            |reason: &'static str, description: String, ids: Vec<i64>, text: Option<String>| StoppedEvent {
                reason,
                description: Some(description),
                thread_id: 1,
                all_threads_stopped: true,
                text,
                hit_breakpoint_ids: ids,
            };
        match &paused.phase {
            Phase::Failed { error } => {
                let filters = self.table.lock().unwrap_or_else(|e| e.into_inner()).exceptions;
                let handled = handled.unwrap_or(false);
                if filters.any || (filters.uncaught && !handled) {
                    let what = if handled { "error" } else { "uncaught error" };
                    let description = format!("Paused on {what} {}: {}", error.code, error.detail);
                    return Some(stop("exception", description, Vec::new(), Some(error.code.to_string())));
                }
            }
            Phase::Before => {
                if first && self.stop_on_entry {
                    return Some(stop("entry", format!("Paused before `{}`", paused.name), Vec::new(), None));
                }
                let (ids, function) = self.breakpoints_hit(exec, paused);
                if !ids.is_empty() {
                    let reason = if function { "function breakpoint" } else { "breakpoint" };
                    return Some(stop(
                        reason,
                        format!("Paused on a breakpoint at `{}`", paused.name),
                        ids,
                        None,
                    ));
                }
            }
            Phase::After { .. } => {}
        }
        if self.pause_requested {
            return Some(stop("pause", format!("Paused at `{}`", paused.name), Vec::new(), None));
        }
        if self.step.ends_at(key) {
            let at = match paused.phase {
                Phase::Before => "before",
                Phase::After { .. } => "after",
                Phase::Failed { .. } => "where it failed:",
            };
            return Some(stop("step", format!("Paused {at} `{}`", paused.name), Vec::new(), None));
        }
        None
    }

    /// The breakpoints on the paused state whose condition and hit count hold (log points
    /// write their message instead); `true` when one is a function breakpoint.
    fn breakpoints_hit(&mut self, exec: &Execution<'_>, paused: &Paused) -> (Vec<i64>, bool) {
        let file = self.level().file.clone();
        let mut ids = Vec::new();
        let mut function = false;
        let mut said = Vec::new();
        {
            let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
            for (bp, is_function) in table.at_state(&file, paused.range.start.line, &paused.name) {
                if let Some(condition) = &bp.condition {
                    match exec.evaluate(condition).map(|e| e.value) {
                        Some(Ok(Value::Bool(true))) => {}
                        Some(Ok(Value::Bool(false))) | None => continue,
                        // A broken condition stops, as in other debuggers, and says why.
                        Some(Ok(other)) => said.push(format!(
                            "the breakpoint condition `{condition}` gave {}, not true or false: stopped",
                            variables::shown(&other)
                        )),
                        Some(Err(e)) => said.push(format!(
                            "the breakpoint condition `{condition}` failed: {} [{}]: stopped",
                            e.message, e.code
                        )),
                    }
                }
                bp.hits += 1;
                if bp.hit.is_some_and(|h| !h.holds(bp.hits)) {
                    continue;
                }
                if let Some(message) = &bp.log {
                    said.push(interpolate(message, exec));
                    continue;
                }
                ids.push(bp.id);
                function |= is_function;
            }
        }
        for line in said {
            self.say("console", line);
        }
        (ids, function)
    }

    /// The stack at a pause, innermost first: the state, the states whose scopes enclose
    /// it (a Map's iteration, a Parallel's branch), the flow, and below a sub-flow the
    /// frames of the flow that started it.
    fn frames(&self, exec: &Execution<'_>, paused: &Paused) -> Vec<Frame> {
        let level = self.level();
        let program = exec.program();
        let file = level.shown.clone();
        let mut data = Map::new();
        data.insert("$Input".into(), paused.input.value().clone());
        if let Some(parameters) = exec.parameters() {
            data.insert("Parameters".into(), parameters.unwrap_or_else(Value::String));
        }
        if let Some(result) = exec.task_result() {
            data.insert("Result".into(), result);
        }
        let name = match &paused.phase {
            Phase::Before => paused.name.to_string(),
            Phase::After { output } => {
                data.insert("Output".into(), output.value().clone());
                format!("{} (done)", paused.name)
            }
            Phase::Failed { error } => {
                data.insert("Error".into(), json!({"Code": &*error.code, "Detail": &*error.detail}));
                format!("{} (failed: {})", paused.name, error.code)
            }
        };
        let mut frames = vec![Frame {
            name,
            file: file.clone(),
            range: Some(paused.range),
            scopes: vec![
                ScopeData { name: "State", value: Value::Object(data), eval: None, edit: Edit::InputScope },
                ScopeData {
                    name: "$Context",
                    value: exec.context().unwrap_or(Value::Null),
                    eval: Some("$Context".into()),
                    edit: Edit::None,
                },
                ScopeData {
                    name: "$Global",
                    value: exec.global().clone(),
                    eval: Some("$Global".into()),
                    edit: Edit::None,
                },
            ],
        }];
        for (i, enclosing) in paused.enclosing.iter().enumerate() {
            let def = &program.states[enclosing.state as usize];
            let segment = paused.path.len().checked_sub(i + 1).and_then(|at| paused.path.get(at));
            let name = match segment {
                Some(s) => render::path_label(std::slice::from_ref(s)),
                None => def.name.to_string(),
            };
            frames.push(Frame {
                name,
                file: file.clone(),
                range: Some(def.range),
                scopes: vec![ScopeData {
                    name: "State",
                    value: json!({"$Input": enclosing.input.value()}),
                    eval: None,
                    edit: Edit::None,
                }],
            });
        }
        let execution_input = exec.events().iter().find_map(|e| match &e.kind {
            EventKind::ExecutionStarted { input } => Some(input.value().clone()),
            _ => None,
        });
        frames.push(Frame {
            name: level.flow.clone(),
            file,
            range: None,
            scopes: vec![ScopeData {
                name: "Execution",
                value: json!({"Input": execution_input.unwrap_or(Value::Null)}),
                eval: None,
                edit: Edit::None,
            }],
        });
        frames.extend(level.below.iter().cloned());
        frames
    }

    /// Answers requests until one resumes the run (or the adapter goes away).
    fn serve(&mut self, exec: &mut Execution<'_>) {
        loop {
            let request = match self.commands.recv() {
                Ok(Command::Request(r)) => r,
                Ok(Command::Pause) => continue,
                Ok(Command::Abort) | Err(_) => return self.abort(),
            };
            let Some(stopped) = &self.stopped else { return };
            let step = match request.command.as_str() {
                "continue" => Some((Step::Run, json!({"allThreadsContinued": true}))),
                "next" => Some((Step::Next(stopped.key.clone()), Value::Null)),
                "stepIn" => Some((
                    Step::In { key: stopped.key.clone(), state: Arc::clone(&stopped.paused.name) },
                    Value::Null,
                )),
                "stepOut" => Some((Step::Out(stopped.key.clone()), Value::Null)),
                _ => None,
            };
            if let Some((step, body)) = step {
                self.step = step;
                self.writer.respond(&request, Ok(body));
                return;
            }
            let answer = self.inspect(exec, &request);
            self.writer.respond(&request, answer);
        }
    }

    fn inspect(&mut self, exec: &mut Execution<'_>, request: &protocol::Request) -> Result<Value, String> {
        match request.command.as_str() {
            "stackTrace" => self.stack_trace(&protocol::args(request)?),
            "scopes" => self.scopes(&protocol::args(request)?),
            "variables" => {
                let a: VariablesArguments = protocol::args(request)?;
                let variables = self.store.members(a.variables_reference, a.start, a.count)?;
                Ok(json!({ "variables": variables }))
            }
            "evaluate" => self.evaluate(exec, &protocol::args(request)?),
            "setVariable" => self.set_variable(exec, &protocol::args(request)?),
            "exceptionInfo" => {
                let stopped = self.stopped.as_ref().ok_or("not stopped")?;
                let Phase::Failed { error } = &stopped.paused.phase else {
                    return Err("the run is not stopped on an error".into());
                };
                Ok(json!({
                    "exceptionId": &*error.code,
                    "description": &*error.detail,
                    "breakMode": if stopped.handled { "always" } else { "unhandled" },
                    "details": {"message": &*error.detail, "typeName": &*error.code},
                }))
            }
            other => Err(format!("`{other}` is not supported by fdl dap")),
        }
    }

    fn stack_trace(&self, a: &StackTraceArguments) -> Result<Value, String> {
        let stopped = self.stopped.as_ref().ok_or("not stopped")?;
        let lines = self.lines;
        let all: Vec<protocol::StackFrame> = stopped
            .frames
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let range = f.range.unwrap_or_default();
                let name = Path::new(&f.file)
                    .file_name()
                    .map_or_else(|| f.file.clone(), |n| n.to_string_lossy().into_owned());
                protocol::StackFrame {
                    id: i as i64 + 1,
                    name: f.name.clone(),
                    source: Some(SourceOut { name, path: f.file.clone() }),
                    line: i64::from(range.start.line) + lines.line_base,
                    column: i64::from(range.start.character) + lines.column_base,
                    end_line: f.range.map(|r| i64::from(r.end.line) + lines.line_base),
                    end_column: f.range.map(|r| i64::from(r.end.character) + lines.column_base),
                    presentation_hint: (i > 0).then_some("normal"),
                }
            })
            .collect();
        let total = all.len();
        let start = a.start_frame.unwrap_or(0).min(total);
        let levels = a.levels.filter(|l| *l > 0).unwrap_or(total);
        let frames: Vec<_> = all.into_iter().skip(start).take(levels).collect();
        Ok(json!({"stackFrames": frames, "totalFrames": total}))
    }

    fn scopes(&mut self, a: &ScopesArguments) -> Result<Value, String> {
        let stopped = self.stopped.as_ref().ok_or("not stopped")?;
        let frame = a
            .frame_id
            .checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| stopped.frames.get(i))
            .ok_or_else(|| format!("no frame {}", a.frame_id))?
            .clone();
        let scopes: Vec<protocol::Scope> = frame
            .scopes
            .into_iter()
            .map(|s| protocol::Scope {
                name: s.name.to_string(),
                variables_reference: self.store.add(s.value, s.eval, s.edit),
                expensive: false,
                presentation_hint: (s.name == "State").then_some("locals"),
            })
            .collect();
        Ok(json!({ "scopes": scopes }))
    }

    fn evaluate(&mut self, exec: &Execution<'_>, a: &EvaluateArguments) -> Result<Value, String> {
        if self.stopped.is_none() {
            return Err("expressions are evaluated where the run is paused".into());
        }
        let text = a.expression.trim();
        let evaluation = exec.evaluate(text).ok_or("the run is not paused at a state")?;
        for note in &evaluation.notes {
            self.writer.output("console", format!("note[{}]: {}", note.code.as_str(), note.message));
        }
        let value = evaluation.value.map_err(|e| format!("error[{}]: {}", e.code, e.message))?;
        // Members get expressions only when the text is a plain path to extend.
        let plain =
            text.starts_with('$') && text.chars().all(|c| c.is_alphanumeric() || "$_.[]\"".contains(c));
        let variable = self.store.variable(String::new(), value, plain.then(|| text.to_string()), Edit::None);
        let mut body = json!({
            "result": variable.value,
            "type": variable.kind,
            "variablesReference": variable.variables_reference,
        });
        if let Some(n) = variable.named_variables {
            body["namedVariables"] = json!(n);
        }
        if let Some(n) = variable.indexed_variables {
            body["indexedVariables"] = json!(n);
        }
        Ok(body)
    }

    fn set_variable(&mut self, exec: &mut Execution<'_>, a: &SetVariableArguments) -> Result<Value, String> {
        let stopped = self.stopped.as_ref().ok_or("not stopped")?;
        let path = self.store.input_path(a.variables_reference, &a.name)?;
        // JSON, else an expression evaluated where the run is paused.
        let new = match serde_json::from_str::<Value>(&a.value) {
            Ok(v) => v,
            Err(_) => {
                let evaluation = exec.evaluate(&a.value).ok_or("the run is not paused at a state")?;
                evaluation.value.map_err(|e| {
                    format!("`{}` is neither JSON nor an expression that works here: {}", a.value, e.message)
                })?
            }
        };
        let input = variables::set(stopped.paused.input.value(), &path, new.clone())?;
        exec.set_input(input.clone())?;
        let paused = exec.paused().ok_or("the run is not paused at a state")?;
        let frames = self.frames(exec, &paused);
        self.store.input_changed(&input);
        if let Some(stopped) = &mut self.stopped {
            stopped.frames = frames;
            stopped.paused = paused;
        }
        let variable = self.store.variable(a.name.clone(), new, None, Edit::None);
        Ok(json!({
            "value": variable.value,
            "type": variable.kind,
            "variablesReference": variable.variables_reference,
        }))
    }
}

/// A log point's message with each `{expression}` replaced by its value where the run is.
fn interpolate(message: &str, exec: &Execution<'_>) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // The expression ends at the brace that closes this one.
        let mut depth = 1;
        let close = after.char_indices().find_map(|(i, c)| {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        });
        let Some(close) = close else {
            out.push_str(&rest[open..]);
            return out;
        };
        let text = &after[..close];
        let value = match exec.evaluate(text).map(|e| e.value) {
            Some(Ok(Value::String(s))) => s,
            Some(Ok(v)) => v.to_string(),
            Some(Err(e)) => format!("<{}: {}>", e.code, e.message),
            None => "<not paused>".into(),
        };
        out.push_str(&value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}
