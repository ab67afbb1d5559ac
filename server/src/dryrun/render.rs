//! A result as text for people: the path taken, state by state, with inputs, outputs,
//! calls, retries and choices; nested scopes indented under a line that names them; then
//! the outcome and the warnings. `fdl run` prints it, and the golden tests compare it.

use std::fmt::Write;

use serde_json::Value;

use std::sync::Arc;

use super::result::{ChoiceArm, Event, EventKind, Path, PathSegment, RunResult, Status};
use crate::expr::value::preview;

#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Longest JSON shown for one value (in characters) before it is cut with `…`.
    pub max_value: usize,
    pub color: bool,
}

pub fn human(result: &RunResult, style: Style) -> String {
    let mut renderer = Renderer::new(style);
    let mut out = String::new();
    for event in &result.events {
        out.push_str(&renderer.event(event));
    }
    out.push_str(&outcome(result, style));
    out
}

/// Renders events one at a time, as they happen (a debugger's console), the way [`human`]
/// renders a whole history: it remembers the scope and the time of the last event.
pub struct Renderer {
    style: Style,
    last_path: Path,
    last_time: f64,
    after_task_failure: bool,
}

impl Renderer {
    pub fn new(style: Style) -> Renderer {
        Renderer { style, last_path: Path::from(Vec::new()), last_time: 0.0, after_task_failure: false }
    }

    /// The lines of one event.
    pub fn event(&mut self, event: &Event) -> String {
        let style = self.style;
        let mut out = String::new();
        let paint = |code: &str, text: &str| {
            if style.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
        };
        let value = |v: &Value| preview(v, style.max_value);
        let path: &[PathSegment] = &event.path;
        if path != &*self.last_path && !path.is_empty() {
            let _ = writeln!(out, "{}┆ {}", indent(path.len() - 1), paint("2", &path_label(path)));
        }
        self.last_path = Arc::clone(&event.path);
        let pad = indent(path.len());
        // Lines other than a state's first say when they happen if the clock moved.
        let mut when = if event.time != self.last_time {
            format!("  t={}s", seconds(event.time))
        } else {
            String::new()
        };
        self.last_time = event.time;
        let after_task_failure = self.after_task_failure;
        let mut line = |out: &mut String, text: String| {
            let _ = writeln!(out, "{pad}    {text}{when}");
            when.clear();
        };
        let task_failure = matches!(event.kind, EventKind::TaskFailed { .. });
        match &event.kind {
            EventKind::ExecutionStarted { input } => {
                let _ = writeln!(out, "{} input {}", paint("1", "▶ execution"), value(input));
            }
            EventKind::StateEntered { state_type, input, constructed } => {
                let name = event.state.as_deref().unwrap_or("?");
                let _ =
                    writeln!(out, "{pad}  {} ({state_type})  t={}s", paint("1", name), seconds(event.time));
                line(&mut out, format!("input  {}", value(input)));
                if let Some(c) = constructed {
                    line(&mut out, format!("$Input {}", value(c)));
                }
            }
            EventKind::TaskScheduled { action, parameters, mode, source, invocation, subflow, .. } => {
                let from = match *source {
                    "state" => "mocked for the state".to_string(),
                    "action" => "mocked for the action".to_string(),
                    "subflow" => match subflow {
                        Some(s) => format!(
                            "sub-flow {} from {}: {} in {}s",
                            s.flow,
                            s.file,
                            s.status.as_str(),
                            seconds(s.virtual_seconds)
                        ),
                        None => "sub-flow".to_string(),
                    },
                    _ => "default result".to_string(),
                };
                let call =
                    if *invocation > 0 { format!(" (call {})", invocation + 1) } else { String::new() };
                line(&mut out, format!("call   {action} {mode}{call} [{from}]"));
                line(&mut out, format!("params {}", value(parameters)));
            }
            EventKind::TaskSucceeded { output } => line(&mut out, format!("result {}", value(output))),
            EventKind::TaskFailed { error } => {
                line(&mut out, paint("31", &format!("✗ {}: {}", error.code, error.detail)));
            }
            EventKind::RetryScheduled { attempt, delay, error } => {
                // A task's failure has its own line; other states' errors are said here.
                if !after_task_failure {
                    line(&mut out, paint("31", &format!("✗ {}: {}", error.code, error.detail)));
                }
                let text = format!("↻ retry {attempt} in {}s after {}", seconds(*delay), error.code);
                line(&mut out, paint("33", &text));
            }
            EventKind::CatchTaken { error, next } => {
                line(&mut out, paint("33", &format!("⤷ caught {} → {next}", error.code)));
            }
            EventKind::ChoiceBranchTaken { condition, next, .. } => {
                let to = next.as_deref().unwrap_or("(the next step)");
                let why = match condition {
                    Some(c) => format!("`{c}` is true"),
                    None => "Default: no condition matched".to_string(),
                };
                line(&mut out, format!("→ {to}  ({why})"));
            }
            EventKind::WaitStarted { seconds: s } => line(&mut out, format!("wait   {}s", seconds(*s))),
            EventKind::BranchStarted { index } => line(&mut out, format!("branch {index} starts")),
            EventKind::BranchSucceeded { index, output } => {
                line(&mut out, format!("branch {index} done {}", value(output)));
            }
            EventKind::MapIterationStarted { index, input } => {
                line(&mut out, format!("item {index} starts {}", value(input)));
            }
            EventKind::MapIterationSucceeded { index, output } => {
                line(&mut out, format!("item {index} done {}", value(output)));
            }
            EventKind::StateExited { output } => line(&mut out, format!("output {}", value(output))),
            EventKind::StateFailed { error } => {
                line(&mut out, paint("31", &format!("✗ failed: {}: {}", error.code, error.detail)));
            }
            EventKind::Warning { code, message } => {
                if *code != "assumption" {
                    line(&mut out, paint("33", &format!("! {message}")));
                }
            }
            EventKind::ExecutionSucceeded { .. }
            | EventKind::ExecutionFailed { .. }
            | EventKind::ExecutionTimedOut { .. }
            | EventKind::ExecutionStopped { .. } => {}
        }
        if !matches!(event.kind, EventKind::Warning { .. }) {
            self.after_task_failure = task_failure;
        }
        out
    }
}

/// The outcome, the warnings and the assumptions a run depended on.
pub fn outcome(result: &RunResult, style: Style) -> String {
    let mut out = String::new();
    let paint = |code: &str, text: &str| {
        if style.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    };
    let value = |v: &Value| preview(v, style.max_value);
    let time = seconds(result.virtual_seconds);
    match (result.status, &result.output, &result.error) {
        (Status::Succeeded, Some(output), _) => {
            let _ = writeln!(out, "{} in {time}s (virtual)", paint("1;32", "✓ Succeeded"));
            let _ = writeln!(out, "  output {}", value(output));
        }
        (status, _, error) => {
            let color = if status == Status::StepLimit { "1;33" } else { "1;31" };
            let _ =
                writeln!(out, "{} after {time}s (virtual)", paint(color, &format!("✗ {}", status.as_str())));
            if let Some(e) = error {
                let _ = writeln!(out, "  {}: {}", e.code, e.detail);
            }
        }
    }
    let (assumed, warnings): (Vec<_>, Vec<_>) = result.warnings.iter().partition(|w| w.assumption.is_some());
    if !warnings.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint("33", &format!("{} warning{}:", warnings.len(), plural(warnings.len())))
        );
        for w in warnings {
            let at = w.state.as_deref().map(|s| format!("{s}: ")).unwrap_or_default();
            let _ = writeln!(out, "  - {at}{}", w.message);
        }
    }
    // One line per assumption, with where it mattered.
    let mut ids: Vec<(&str, Vec<String>)> = Vec::new();
    for w in assumed {
        let id = w.assumption.unwrap_or("");
        let mut at = w.state.as_deref().unwrap_or("the execution").to_string();
        if let Some(rest) = w.message.strip_prefix("in sub-flow `")
            && let Some((child, _)) = rest.split_once('`')
        {
            at = format!("{at} (sub-flow {child})");
        }
        match ids.iter_mut().find(|(i, _)| *i == id) {
            Some((_, places)) if !places.contains(&at) => places.push(at),
            Some(_) => {}
            None => ids.push((id, vec![at])),
        }
    }
    if !ids.is_empty() {
        let _ = writeln!(out, "assumptions this run relied on (README.md, \"Assumptions\"):");
        for (id, places) in ids {
            let _ = writeln!(out, "  - [{id}] at {}", places.join(", "));
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn indent(depth: usize) -> String {
    "    ".repeat(depth)
}

/// `Parallel1 › branch 0 › Map1 › item 3`.
pub fn path_label(path: &[PathSegment]) -> String {
    path.iter()
        .map(|s| {
            let what = match (s.branch, s.iteration, s.choice) {
                (Some(b), _, _) => format!("branch {b}"),
                (_, Some(i), _) => format!("item {i}"),
                (_, _, Some(ChoiceArm::Branch(c))) => format!("choice {c}"),
                (_, _, Some(ChoiceArm::Default)) => "default".to_string(),
                _ => String::new(),
            };
            format!("{} › {what}", s.state)
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// Seconds without a needless fraction: `12`, `1.5`.
pub fn seconds(s: f64) -> String {
    if s.fract() == 0.0 && s.abs() < 1e15 {
        format!("{}", s as i64)
    } else {
        format!("{s:.3}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
