//! The adapter thread: the session from `initialize` to `disconnect`. It answers what
//! needs no run (capabilities, breakpoints, threads), prepares the launch, starts the run
//! thread once the client has sent its configuration, and forwards the requests about the
//! run to it.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::breakpoints::{FILTER_ANY, FILTER_UNCAUGHT, Lines, Table};
use super::debugger::{self, Command};
use super::launch::{self, LaunchArguments, Prepared};
use super::protocol::{
    self, Capabilities, DisconnectArguments, ExceptionBreakpointsFilter, InitializeArguments, Request,
    SetBreakpointsArguments, SetExceptionBreakpointsArguments, SetFunctionBreakpointsArguments,
    SourceBreakpoint,
};
use super::source::{SourceMap, canonical};
use super::transport::{Incoming, Writer};

/// Requests the run thread answers.
const FORWARDED: &[&str] = &[
    "continue",
    "next",
    "stepIn",
    "stepOut",
    "stackTrace",
    "scopes",
    "variables",
    "setVariable",
    "evaluate",
    "exceptionInfo",
];

pub struct Adapter {
    writer: Writer,
    lines: Lines,
    table: Arc<Mutex<Table>>,
    /// Launched, waiting for `configurationDone`.
    launched: Option<Prepared>,
    configured: bool,
    /// The flow being debugged, to check function breakpoints' names.
    map: Option<SourceMap>,
    thread_name: String,
    run: Option<RunThread>,
}

struct RunThread {
    commands: Sender<Command>,
    cancel: Arc<std::sync::atomic::AtomicBool>,
    handle: JoinHandle<()>,
}

/// Whether the session goes on.
#[derive(PartialEq, Eq)]
pub enum Flow {
    Go,
    Exit,
}

pub fn capabilities() -> Capabilities {
    Capabilities {
        supports_configuration_done_request: true,
        supports_function_breakpoints: true,
        supports_conditional_breakpoints: true,
        supports_hit_conditional_breakpoints: true,
        supports_evaluate_for_hovers: true,
        supports_set_variable: true,
        supports_exception_info_request: true,
        supports_terminate_request: true,
        supports_log_points: true,
        supports_delayed_stack_trace_loading: true,
        exception_breakpoint_filters: vec![
            ExceptionBreakpointsFilter {
                filter: FILTER_UNCAUGHT,
                label: "Uncaught errors",
                description: "Stop where an error will fail the execution: no Retry or Catch of the state, or of a state around it, takes it.",
                default: true,
            },
            ExceptionBreakpointsFilter {
                filter: FILTER_ANY,
                label: "All errors",
                description: "Stop where any state fails, even when a Retry or Catch takes the error.",
                default: false,
            },
        ],
    }
}

impl Adapter {
    pub fn new(writer: Writer) -> Adapter {
        let mut table = Table::default();
        // As the filter's default says, until the client sets its own.
        table.set_exceptions(&[FILTER_UNCAUGHT.to_string()]);
        Adapter {
            writer,
            lines: Lines::default(),
            table: Arc::new(Mutex::new(table)),
            launched: None,
            configured: false,
            map: None,
            thread_name: "flow".into(),
            run: None,
        }
    }

    pub fn handle(&mut self, incoming: Incoming) -> Flow {
        match incoming {
            Incoming::Request(request) => self.request(request),
            Incoming::Broken { seq, command, why } => {
                eprintln!("fdl dap: ignored a message: {why}");
                match (seq, command) {
                    (Some(seq), Some(command)) => self.writer.respond_to(seq, &command, Err(why)),
                    _ => self.writer.output("stderr", format!("fdl dap: ignored a message: {why}")),
                }
                Flow::Go
            }
            Incoming::End => {
                self.stop_run();
                Flow::Exit
            }
        }
    }

    fn request(&mut self, request: Request) -> Flow {
        let command = request.command.as_str();
        if FORWARDED.contains(&command) {
            self.forward(request);
            return Flow::Go;
        }
        let answer = match command {
            "initialize" => self.initialize(&request),
            "launch" => self.launch(&request),
            "attach" => Err("fdl dap runs flows itself: use a `launch` configuration".into()),
            "setBreakpoints" => self.set_breakpoints(&request),
            "setFunctionBreakpoints" => {
                protocol::args::<SetFunctionBreakpointsArguments>(&request).map(|a| {
                    let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
                    json!({"breakpoints": table.set_functions(&a.breakpoints, self.map.as_ref())})
                })
            }
            "setExceptionBreakpoints" => {
                protocol::args::<SetExceptionBreakpointsArguments>(&request).map(|a| {
                    let mut filters = a.filters;
                    filters.extend(a.filter_options.into_iter().flatten().map(|o| o.filter_id));
                    self.table.lock().unwrap_or_else(|e| e.into_inner()).set_exceptions(&filters);
                    Value::Null
                })
            }
            "configurationDone" => {
                self.configured = true;
                self.start();
                Ok(Value::Null)
            }
            "threads" => Ok(json!({"threads": [{"id": 1, "name": self.thread_name}]})),
            "pause" => {
                if let Some(run) = &self.run {
                    let _ = run.commands.send(Command::Pause);
                }
                Ok(Value::Null)
            }
            "terminate" => {
                self.stop_run();
                Ok(Value::Null)
            }
            "disconnect" => {
                let _: DisconnectArguments = protocol::args(&request).unwrap_or_default();
                self.stop_run();
                self.writer.respond(&request, Ok(Value::Null));
                return Flow::Exit;
            }
            other => Err(format!("`{other}` is not supported by fdl dap")),
        };
        self.writer.respond(&request, answer);
        if command == "initialize" {
            self.writer.event("initialized", Value::Null);
        }
        Flow::Go
    }

    fn initialize(&mut self, request: &Request) -> Result<Value, String> {
        let a: InitializeArguments = protocol::args(request)?;
        self.lines = Lines {
            line_base: if a.lines_start_at1.unwrap_or(true) { 1 } else { 0 },
            column_base: if a.columns_start_at1.unwrap_or(true) { 1 } else { 0 },
        };
        serde_json::to_value(capabilities()).map_err(|e| e.to_string())
    }

    fn launch(&mut self, request: &Request) -> Result<Value, String> {
        if self.launched.is_some() || self.run.is_some() {
            return Err("this session has launched its run already".into());
        }
        let a: LaunchArguments = protocol::args(request)?;
        let prepared = launch::prepare(&a)?;
        self.map = Some(SourceMap::new(&prepared.program));
        self.thread_name = prepared.program.name.as_deref().map_or_else(|| "flow".into(), |n| n.to_string());
        self.launched = Some(prepared);
        self.start();
        Ok(Value::Null)
    }

    /// Starts the run once it is launched and configured.
    fn start(&mut self) {
        if !self.configured || self.run.is_some() {
            return;
        }
        let Some(prepared) = self.launched.take() else { return };
        let (commands, inbox) = channel();
        let cancel = Arc::clone(&prepared.cancel);
        let (writer, table, lines) = (self.writer.clone(), Arc::clone(&self.table), self.lines);
        let handle = std::thread::Builder::new()
            .name("dap-run".into())
            .spawn(move || {
                let writer_after_panic = writer.clone();
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    debugger::run(prepared, writer, table, inbox, lines)
                }));
                // A bug of ours must still end the session cleanly for the client.
                if outcome.is_err() {
                    writer_after_panic.output(
                        "stderr",
                        "fdl dap: the run failed inside the adapter (a bug); see its stderr",
                    );
                    writer_after_panic.event("terminated", json!({}));
                }
            })
            .expect("a thread for the run");
        self.run = Some(RunThread { commands, cancel, handle });
    }

    /// Hands a request about the run to the run thread, or answers it if there is none.
    fn forward(&mut self, request: Request) {
        let request = match &self.run {
            Some(run) if !run.handle.is_finished() => match run.commands.send(Command::Request(request)) {
                Ok(()) => return,
                Err(e) => match e.0 {
                    Command::Request(r) => r,
                    _ => return,
                },
            },
            _ => request,
        };
        let why = if self.run.is_some() { "the run has ended" } else { "no run is paused" };
        self.writer.respond(&request, Err(why.into()));
    }

    fn set_breakpoints(&mut self, request: &Request) -> Result<Value, String> {
        let a: SetBreakpointsArguments = protocol::args(request)?;
        let shown = a.source.path.clone().or(a.source.name.clone()).ok_or("the source has no path")?;
        let path = canonical(Path::new(&shown));
        let wanted: Vec<SourceBreakpoint> = match (a.breakpoints, a.lines) {
            (Some(b), _) => b,
            (None, Some(lines)) => {
                lines.into_iter().map(|line| SourceBreakpoint { line, ..Default::default() }).collect()
            }
            (None, None) => Vec::new(),
        };
        let map = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {shown}: {e}")).and_then(
            |text| SourceMap::of_text(&text).ok_or_else(|| format!("{shown} is not a flow definition")),
        );
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        let placed =
            table.set_lines(&path, &shown, &wanted, map.as_ref().map_err(String::as_str), self.lines);
        Ok(json!({ "breakpoints": placed }))
    }

    /// Cancels the run and waits (briefly) for its thread to end.
    fn stop_run(&mut self) {
        self.launched = None;
        let Some(run) = self.run.take() else { return };
        run.cancel.store(true, Ordering::Relaxed);
        let _ = run.commands.send(Command::Abort);
        let deadline = Instant::now() + Duration::from_secs(5);
        while !run.handle.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if run.handle.is_finished() {
            let _ = run.handle.join();
        }
    }
}
