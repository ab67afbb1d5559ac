//! What a test case expects of a run, and the check of a result against it.
//!
//! - `Status`: `Succeeded`, `Failed`, `TimedOut` or `StepLimit`;
//! - `Output`: the output, exactly (numbers by value);
//! - `OutputIncludes`: a subset of the output: every key given, recursively; lists
//!   element by element;
//! - `ErrorCode`: the error's code;
//! - `Ran` / `NotRan`: states that must / must not have been entered;
//! - `Parameters`: per task state, a subset of the Parameters (legacy: serviceParams)
//!   of its first call.

use serde_json::Value;

use super::reader::Reader;
use super::result::{EventKind, RunResult, Status};
use crate::expr::value::{json_eq, preview};
use crate::syntax::{Node, TextRange};

pub const EXPECT_KEYS: &[&str] =
    &["Status", "Output", "OutputIncludes", "ErrorCode", "Ran", "NotRan", "Parameters"];

#[derive(Clone, Debug, Default)]
pub struct Expect {
    pub status: Option<Status>,
    pub output: Option<Value>,
    pub output_includes: Option<Value>,
    pub error_code: Option<String>,
    pub ran: Vec<(String, TextRange)>,
    pub not_ran: Vec<(String, TextRange)>,
    pub parameters: Vec<(String, TextRange, Value)>,
}

pub(crate) fn read<'a>(r: &mut Reader<'a>, node: Node<'a>) -> Expect {
    let mut expect = Expect::default();
    for (key, e) in r.entries(node, "`Expect`", Some(EXPECT_KEYS)) {
        match key {
            "Status" => {
                let text = r.string(e.value, "`Status`").unwrap_or("");
                expect.status = match text {
                    "Succeeded" => Some(Status::Succeeded),
                    "Failed" => Some(Status::Failed),
                    "TimedOut" => Some(Status::TimedOut),
                    "StepLimit" => Some(Status::StepLimit),
                    _ => {
                        r.error(
                            e.value,
                            format!(
                                "`Status` is one of Succeeded, Failed, TimedOut, StepLimit, not `{text}`"
                            ),
                        );
                        None
                    }
                }
            }
            "Output" => expect.output = Some(r.json(e.value)),
            "OutputIncludes" => expect.output_includes = Some(r.json(e.value)),
            "ErrorCode" => expect.error_code = r.string(e.value, "`ErrorCode`").map(str::to_string),
            "Ran" => expect.ran = names(r, e.value, "`Ran`"),
            "NotRan" => expect.not_ran = names(r, e.value, "`NotRan`"),
            "Parameters" => {
                for (state, p) in r.entries(e.value, "`Parameters`", None) {
                    let value = r.json(p.value);
                    expect.parameters.push((state.to_string(), p.key.value_range(), value));
                }
            }
            _ => {}
        }
    }
    expect
}

fn names<'a>(r: &mut Reader<'a>, node: Node<'a>, what: &str) -> Vec<(String, TextRange)> {
    r.strings(node, what).into_iter().map(|(s, n)| (s.to_string(), n.value_range())).collect()
}

/// Every state name an expectation mentions, with where (to check they exist).
impl Expect {
    pub fn state_names(&self) -> impl Iterator<Item = (&str, TextRange)> {
        self.ran
            .iter()
            .chain(&self.not_ran)
            .map(|(n, r)| (n.as_str(), *r))
            .chain(self.parameters.iter().map(|(n, r, _)| (n.as_str(), *r)))
    }
}

/// The expectations a result does not meet, each as one sentence.
pub fn check(expect: &Expect, result: &RunResult) -> Vec<String> {
    let mut failures = Vec::new();
    if let Some(status) = expect.status
        && status != result.status
    {
        let why = result.error.as_ref().map(|e| format!(" ({}: {})", e.code, e.detail)).unwrap_or_default();
        failures.push(format!("status: expected {}, got {}{why}", status.as_str(), result.status.as_str()));
    }
    let output = result.output.as_ref().map(|o| o.value());
    if let Some(want) = &expect.output {
        match output {
            Some(got) if json_eq(got, want) => {}
            Some(got) => {
                failures.push(format!("output: expected {}, got {}", preview(want, 300), preview(got, 300)))
            }
            None => {
                failures.push(format!("output: expected {}, but the run has no output", preview(want, 300)))
            }
        }
    }
    if let Some(want) = &expect.output_includes {
        match output {
            Some(got) => {
                if let Some(why) = subset(want, got, "output") {
                    failures.push(why);
                }
            }
            None => failures.push("output: expected an output, but the run has none".to_string()),
        }
    }
    if let Some(code) = &expect.error_code {
        match &result.error {
            Some(e) if &*e.code == code => {}
            Some(e) => {
                failures.push(format!("error code: expected `{code}`, got `{}` ({})", e.code, e.detail))
            }
            None => failures.push(format!("error code: expected `{code}`, but the run has no error")),
        }
    }
    let entered = |name: &str| {
        result
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::StateEntered { .. }) && e.state.as_deref() == Some(name))
    };
    for (name, _) in &expect.ran {
        if !entered(name) {
            failures.push(format!("`{name}` was expected to run, but it did not"));
        }
    }
    for (name, _) in &expect.not_ran {
        if entered(name) {
            failures.push(format!("`{name}` was expected not to run, but it did"));
        }
    }
    for (name, _, want) in &expect.parameters {
        let first = result.events.iter().find_map(|e| match &e.kind {
            EventKind::TaskScheduled { parameters, .. } if e.state.as_deref() == Some(name.as_str()) => {
                Some(parameters)
            }
            _ => None,
        });
        match first {
            Some(got) => {
                if let Some(why) = subset(want, got.value(), &format!("parameters of `{name}`")) {
                    failures.push(why);
                }
            }
            None => failures.push(format!("parameters of `{name}`: the task was never called")),
        }
    }
    failures
}

/// `None` when `want` is contained in `got`; else where they differ.
fn subset(want: &Value, got: &Value, at: &str) -> Option<String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w.iter().find_map(|(k, wv)| match g.get(k) {
            Some(gv) => subset(wv, gv, &format!("{at}.{k}")),
            None => Some(format!("{at}.{k}: expected {}, but there is no `{k}`", preview(wv, 200))),
        }),
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            w.iter().zip(g).enumerate().find_map(|(i, (wv, gv))| subset(wv, gv, &format!("{at}[{i}]")))
        }
        _ if json_eq(want, got) => None,
        _ => Some(format!("{at}: expected {}, got {}", preview(want, 200), preview(got, 200))),
    }
}
