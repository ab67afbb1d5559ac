//! The proof of a migration: the legacy flow and the migrated flow run with the same input
//! and mocks (the dry run, same seed), and are compared on what a caller and the called
//! services see: the status, the output (or the error's name), the states entered in each
//! scope (a Parallel branch, a Map iteration: their events interleave by virtual time, so
//! each is compared on its own) and what each task sent (the function event, the message,
//! the child flow's input, the API's parameters). The first difference is reported with
//! the events where the runs part.
//!
//! States the migration added are left out; a choice branch's steps, nested in legacy,
//! are in the choice's scope in CloudFlow, so the choice is left out of the scope path.

mod generate;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

pub use generate::{generate, generate_input};

use super::{KnownDifference, Migration, OutputShape};
use crate::dryrun::program::{Integration, Kind, Program};
use crate::dryrun::{self, Event, EventKind, Loader, Mocks, Options, RunResult, Status};

/// When checked runs start (2024-01-01T00:00:00Z), so that legacy timestamps from the
/// docs' era are in the past, as they are for a flow run today; both flows use it.
pub const START_TIME_MS: i64 = 1_704_067_200_000;

/// One execution to compare.
#[derive(Clone, Debug)]
pub struct Case {
    pub input: Value,
    /// The legacy flow's mocks; the migrated flow gets them through [`super::mocks::carry_over`].
    pub mocks: Mocks,
    pub seed: u64,
}

#[derive(Debug)]
pub struct Comparison {
    pub legacy: RunResult,
    pub migrated: RunResult,
    /// `None` when the runs are equivalent.
    pub difference: Option<Difference>,
}

/// Where two runs part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// What differs, in one sentence.
    pub what: String,
    /// The events where they part, as text (`None`: that run has no such event).
    pub legacy_event: Option<String>,
    pub migrated_event: Option<String>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.what)?;
        let show = |e: &Option<String>| e.clone().unwrap_or_else(|| "(nothing)".to_string());
        if self.legacy_event.is_some() || self.migrated_event.is_some() {
            write!(
                f,
                "\n  legacy:   {}\n  migrated: {}",
                show(&self.legacy_event),
                show(&self.migrated_event)
            )?;
        }
        Ok(())
    }
}

/// Makes the compiled legacy flow behave as the migrated flow can where no CloudFlow
/// construct reproduces it (the migration's [`KnownDifference`]s, each with a note); what
/// was changed, in words.
pub fn reference(legacy: &mut Program, migration: &Migration) -> Vec<String> {
    let mut done = Vec::new();
    for known in &migration.known {
        match known {
            KnownDifference::IterationIndex { foreach } => {
                for state in legacy.states.iter_mut().filter(|s| &*s.name == foreach.as_str()) {
                    if let Kind::Foreach(f) = &mut state.kind
                        && let Some(index) = f.index.take()
                    {
                        done.push(format!("without `{index}`, the iteration index of `{foreach}`, which CloudFlow does not have"));
                    }
                }
            }
        }
    }
    done
}

/// Runs both flows on `case` and compares them. `legacy` should have been through
/// [`reference`].
pub fn compare(
    legacy: &Program,
    migrated: &Program,
    migration: &Migration,
    case: &Case,
    options: &Options,
    loader: &dyn Loader,
) -> Comparison {
    let options = Options {
        seed: Some(case.seed),
        // A legacy flow without `name` is known by its file name; the migrated flow has
        // that name as `Name`, and `$context.flow.name` became that constant.
        flow_name: Some(migration.name.clone()),
        execution_name: options.execution_name.clone().or_else(|| Some(format!("check-{}", case.seed))),
        ..options.clone()
    };
    let mocks = super::mocks::carry_over(legacy, migration, &case.mocks);
    let old = dryrun::run(legacy, case.input.clone(), &case.mocks, &options, loader);
    let new = dryrun::run(migrated, case.input.clone(), &mocks, &options, loader);
    let difference = differ(legacy, migration, &old, &new);
    Comparison { legacy: old, migrated: new, difference }
}

/// Whether a run ended on the service's data size limits, which differ between the dialects
/// (legacy: 32 KiB for a step's input, output and local together; CloudFlow: 64 KiB for
/// each input and output): where one run hits them, the other may not.
pub fn hit_data_limit(run: &RunResult) -> bool {
    run.error.as_ref().is_some_and(|e| &*e.code == "FnF.DataLimitExceeded")
}

fn differ(legacy: &Program, migration: &Migration, old: &RunResult, new: &RunResult) -> Option<Difference> {
    if hit_data_limit(old) != hit_data_limit(new) {
        let which = if hit_data_limit(old) { "legacy" } else { "migrated" };
        return Some(Difference {
            what: format!(
                "only the {which} run exceeded its dialect's data limit (legacy: 32 KiB for a step's input, output and local together; CloudFlow: 64 KiB for each input and output)"
            ),
            legacy_event: old.events.last().map(describe),
            migrated_event: new.events.last().map(describe),
        });
    }
    let stopped = old.status == Status::StepLimit && new.status == Status::StepLimit;
    let a = trace(old, |name| Some(name.to_string()), |e| legacy_payload(legacy, old, e));
    let b = trace(new, |name| original(migration, name), migrated_payload);
    for (path, seq) in &a {
        let other = b.get(path).map(Vec::as_slice).unwrap_or_default();
        if let Some(d) = first_difference(path, seq, other, stopped, old, new) {
            return Some(d);
        }
    }
    for (path, seq) in &b {
        if !a.contains_key(path)
            && let Some(d) = first_difference(path, &[], seq, stopped, old, new)
        {
            return Some(d);
        }
    }
    if old.status != new.status {
        return Some(Difference {
            what: format!(
                "the legacy run ended {}, the migrated run {}",
                old.status.as_str(),
                new.status.as_str()
            ),
            legacy_event: old.events.last().map(describe),
            migrated_event: new.events.last().map(describe),
        });
    }
    match (&old.output, &new.output) {
        (Some(o), Some(n)) => {
            let n = match migration.output {
                OutputShape::Same => n.value().clone(),
                OutputShape::UnderLocal => n.value().get("local").cloned().unwrap_or(Value::Null),
            };
            if !crate::expr::value::json_eq(o.value(), &n) {
                let what = match migration.output {
                    OutputShape::Same => "the outputs differ",
                    OutputShape::UnderLocal => "the outputs differ (the migrated output's `local`)",
                };
                return Some(Difference {
                    what: what.to_string(),
                    legacy_event: Some(format!("output {}", crate::expr::value::preview(o.value(), 300))),
                    migrated_event: Some(format!("output {}", crate::expr::value::preview(&n, 300))),
                });
            }
        }
        (None, None) if !stopped => {
            let (o, n) = (old.error.as_ref(), new.error.as_ref());
            if o.map(|e| &e.code) != n.map(|e| &e.code) {
                let show =
                    |e: Option<&dryrun::ErrorInfo>| e.map(|e| format!("error {}: {}", e.code, e.detail));
                return Some(Difference {
                    what: "the errors differ".into(),
                    legacy_event: show(o),
                    migrated_event: show(n),
                });
            }
        }
        _ => {}
    }
    None
}

/// What a run did, per scope instance: the states entered and the calls made, in order.
type Trace<'r> = BTreeMap<String, Vec<Step<'r>>>;

#[derive(Clone, Debug)]
struct Step<'r> {
    /// `enter NAME` or `call NAME`.
    what: String,
    payload: Option<Value>,
    event: &'r Event,
}

fn trace<'r>(
    run: &'r RunResult,
    name_of: impl Fn(&str) -> Option<String>,
    payload: impl Fn(&Event) -> Option<Value>,
) -> Trace<'r> {
    let mut out: Trace<'r> = BTreeMap::new();
    for event in &run.events {
        let Some(state) = event.state.as_deref() else { continue };
        let Some(name) = name_of(state) else { continue };
        let what = match &event.kind {
            EventKind::StateEntered { .. } => format!("enter `{name}`"),
            EventKind::TaskScheduled { .. } => format!("call from `{name}`"),
            _ => continue,
        };
        let payload = match &event.kind {
            EventKind::TaskScheduled { .. } => payload(event),
            _ => None,
        };
        out.entry(scope_key(event, &name_of)).or_default().push(Step { what, payload, event });
    }
    out
}

/// The scope instance an event happened in: Parallel branches and Map/foreach iterations,
/// by their states' legacy names; a legacy choice's branch steps are in the choice's scope.
fn scope_key(event: &Event, name_of: &impl Fn(&str) -> Option<String>) -> String {
    let mut key = String::new();
    for segment in event.path.iter() {
        let state = name_of(&segment.state).unwrap_or_else(|| segment.state.to_string());
        if let Some(b) = segment.branch {
            let _ = write!(key, "{state} › branch {b} › ");
        }
        if let Some(i) = segment.iteration {
            let _ = write!(key, "{state} › item {i} › ");
        }
    }
    key
}

fn first_difference(
    path: &str,
    old: &[Step<'_>],
    new: &[Step<'_>],
    stopped: bool,
    old_run: &RunResult,
    new_run: &RunResult,
) -> Option<Difference> {
    let scope = if path.is_empty() {
        "the flow".to_string()
    } else {
        format!("`{}`", path.trim_end_matches(" › "))
    };
    for i in 0..old.len().max(new.len()) {
        match (old.get(i), new.get(i)) {
            (Some(a), Some(b)) if a.what == b.what => {
                if let (Some(pa), Some(pb)) = (&a.payload, &b.payload)
                    && !crate::expr::value::json_eq(pa, pb)
                {
                    return Some(Difference {
                        what: format!(
                            "{} sent something else (in {scope})",
                            a.what.replacen("call from", "the call from", 1)
                        ),
                        legacy_event: Some(format!(
                            "{} {}",
                            describe(a.event),
                            crate::expr::value::preview(pa, 300)
                        )),
                        migrated_event: Some(format!(
                            "{} {}",
                            describe(b.event),
                            crate::expr::value::preview(pb, 300)
                        )),
                    });
                }
            }
            // A run stopped by the step limit stops at another place in the other flow
            // (the migrated flow has states of its own): compare what both did.
            (None, _) | (_, None) if stopped => return None,
            (a, b) => {
                let _ = (old_run, new_run);
                return Some(Difference {
                    what: format!("the runs take different paths in {scope} (step {})", i + 1),
                    legacy_event: a.map(|s| describe(s.event)),
                    migrated_event: b.map(|s| describe(s.event)),
                });
            }
        }
    }
    None
}

/// The legacy name of a migrated state (`None` for states the migration added).
fn original(migration: &Migration, name: &str) -> Option<String> {
    migration.states.iter().find(|o| o.name == name).and_then(|o| o.legacy.clone())
}

/// What a legacy task sent: the function's event is the step's input.
fn legacy_payload(program: &Program, run: &RunResult, event: &Event) -> Option<Value> {
    let EventKind::TaskScheduled { parameters, .. } = &event.kind else { return None };
    let name = event.state.as_deref()?;
    let def = program.states.iter().find(|s| &*s.name == name)?;
    let Kind::Task(task) = &def.kind else { return None };
    let step_input = || {
        run.events.iter().rev().skip_while(|e| !std::ptr::eq(*e, event)).find_map(|e| match &e.kind {
            EventKind::StateEntered { input, .. }
                if e.state.as_deref() == Some(name) && e.path == event.path =>
            {
                Some(input.value().clone())
            }
            _ => None,
        })
    };
    let params = parameters.value();
    match task.integration {
        Integration::Function => step_input(),
        Integration::MessageQueue | Integration::Topic => params.get("MessageBody").cloned(),
        Integration::SubFlow { .. } | Integration::StartExecutionApi => {
            params.get("Input").map(parse_text).or_else(step_input)
        }
        _ => Some(params.clone()),
    }
}

/// What a migrated task sent.
fn migrated_payload(event: &Event) -> Option<Value> {
    let EventKind::TaskScheduled { parameters, action, .. } = &event.kind else { return None };
    let params = parameters.value();
    match action.to_ascii_lowercase().as_str() {
        "fc:invokefunction" => params.get("body").cloned(),
        "mns:sendmessage" => params.get("message").cloned(),
        "fnf:startexecution" => params.get("input").map(parse_text),
        _ => Some(params.clone()),
    }
}

/// Legacy child inputs may be JSON text.
fn parse_text(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    }
}

/// An event as one line: the state, where, when and what happened.
pub fn describe(event: &Event) -> String {
    let name = event.state.as_deref().map_or("the execution".to_string(), |s| format!("`{s}`"));
    let scope = scope_key(event, &|s: &str| Some(s.to_string()));
    let at =
        if scope.is_empty() { String::new() } else { format!(" in {}", scope.trim_end_matches(" › ")) };
    let what = match &event.kind {
        EventKind::StateEntered { state_type, .. } => format!("enters {name} ({state_type})"),
        EventKind::TaskScheduled { action, .. } => format!("{name} calls {action}"),
        EventKind::ExecutionSucceeded { .. } => "the execution succeeds".to_string(),
        EventKind::ExecutionFailed { error }
        | EventKind::ExecutionStopped { error }
        | EventKind::ExecutionTimedOut { error } => {
            format!("the execution ends: {} {}", error.code, error.detail)
        }
        EventKind::StateFailed { error } => format!("{name} fails: {} {}", error.code, error.detail),
        other => format!(
            "{name}: {}",
            serde_json::to_value(other).ok().and_then(|v| v.get("type").cloned()).unwrap_or_default()
        ),
    };
    format!("{what}{at} at {}s", event.time)
}
