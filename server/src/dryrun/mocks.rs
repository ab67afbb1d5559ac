//! Mocked task results, per state name and per Action, modelled on Step Functions
//! Local's mock configuration:
//!
//! ```yaml
//! States:
//!   CheckStock: {Return: {Body: {inStock: true}}}            # every invocation
//!   Charge:                                                  # per invocation: "0", "1-2", ...
//!     "0": {Throw: {Error: FC.ResourceThrottled, Cause: busy}}
//!     "1": {Return: {Body: {charged: true}}}
//!   Approve: {Callback: {Succeed: {approved: true}, Delay: 3600}}
//! Actions:
//!   "FC:InvokeFunction": {Return: {Body: {}}}
//! ```
//!
//! Invocations count from 0 per state over the whole run (retries and loop rounds
//! included); past the last number given, the last response repeats.

use std::collections::HashMap;

use super::data::Data;
use super::reader::Reader;
use super::result::ErrorInfo;
use crate::syntax::{Node, TextRange};

#[derive(Clone, Debug, Default)]
pub struct Mocks {
    pub states: HashMap<String, MockSpec>,
    pub actions: HashMap<String, MockSpec>,
}

#[derive(Clone, Debug)]
pub enum MockSpec {
    Always(Response),
    /// Inclusive invocation ranges, sorted by their first invocation.
    PerInvocation(Vec<(u32, u32, Response)>),
}

#[derive(Clone, Debug)]
pub struct Response {
    pub outcome: Outcome,
    /// Virtual seconds before the result (or the callback) arrives.
    pub delay: f64,
}

#[derive(Clone, Debug)]
pub enum Outcome {
    Return(Data),
    Throw(ErrorInfo),
    CallbackSucceed(Data),
    CallbackFail(ErrorInfo),
}

/// Which mock answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MockSource {
    State,
    Action,
}

impl MockSpec {
    pub fn response(&self, invocation: u32) -> Option<&Response> {
        match self {
            MockSpec::Always(r) => Some(r),
            MockSpec::PerInvocation(list) => list
                .iter()
                .find(|(from, to, _)| (*from..=*to).contains(&invocation))
                .or_else(|| list.last())
                .map(|(_, _, r)| r),
        }
    }
}

impl Mocks {
    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.actions.is_empty()
    }

    /// The mocked response for a state's `invocation`-th call: by state name first, then by
    /// the first of `actions` that is mocked (exactly, else ignoring letter case).
    pub fn lookup(&self, state: &str, actions: &[&str], invocation: u32) -> Option<(&Response, MockSource)> {
        if let Some(spec) = self.states.get(state) {
            return spec.response(invocation).map(|r| (r, MockSource::State));
        }
        let by_action = actions.iter().find_map(|a| self.actions.get(*a)).or_else(|| {
            actions
                .iter()
                .find_map(|a| self.actions.iter().find(|(k, _)| k.eq_ignore_ascii_case(a)).map(|(_, v)| v))
        });
        by_action.and_then(|spec| spec.response(invocation)).map(|r| (r, MockSource::Action))
    }

    /// These mocks with `other`'s entries added, replacing entries of the same name.
    pub fn overlay(&self, other: &Mocks) -> Mocks {
        let mut out = self.clone();
        out.states.extend(other.states.iter().map(|(k, v)| (k.clone(), v.clone())));
        out.actions.extend(other.actions.iter().map(|(k, v)| (k.clone(), v.clone())));
        out
    }
}

/// Reads the entries of `States:` or `Actions:` into `into`; the names, and where they
/// are written, go to `names`.
pub(crate) fn read_section<'a>(
    r: &mut Reader<'a>,
    key: &str,
    node: Node<'a>,
    into: &mut HashMap<String, MockSpec>,
    names: &mut Vec<(String, TextRange)>,
) {
    let what = format!("`{key}`");
    for (name, e) in r.entries(node, &what, None) {
        names.push((name.to_string(), e.key.value_range()));
        if let Some(spec) = read_spec(r, e.value, name) {
            into.insert(name.to_string(), spec);
        }
    }
}

const RESPONSE_KEYS: &[&str] = &["Return", "Throw", "Callback", "Delay"];

fn read_spec<'a>(r: &mut Reader<'a>, node: Node<'a>, name: &str) -> Option<MockSpec> {
    let node = r.resolve(node);
    let keys: Vec<&str> = r.flow.entries(node).iter().filter_map(|e| e.key.scalar()).collect();
    let numbered = !keys.is_empty() && keys.iter().all(|k| invocation_range(k).is_some());
    if !numbered {
        return read_response(r, node, &format!("the mock of `{name}`")).map(MockSpec::Always);
    }
    let mut list = Vec::new();
    for (key, e) in r.entries(node, &format!("the mock of `{name}`"), None) {
        let Some((from, to)) = invocation_range(key) else { continue };
        if let Some(response) = read_response(r, e.value, &format!("invocation {key} of `{name}`")) {
            if list.iter().any(|(f, t, _): &(u32, u32, Response)| from <= *t && *f <= to) {
                r.error(e.key, format!("invocations {key} of `{name}` overlap another entry"));
                continue;
            }
            list.push((from, to, response));
        }
    }
    list.sort_by_key(|(from, _, _)| *from);
    (!list.is_empty()).then_some(MockSpec::PerInvocation(list))
}

/// `"3"` → (3, 3); `"1-2"` → (1, 2).
fn invocation_range(key: &str) -> Option<(u32, u32)> {
    let number = |s: &str| if s.bytes().all(|b| b.is_ascii_digit()) { s.parse::<u32>().ok() } else { None };
    match key.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (number(a.trim())?, number(b.trim())?);
            (a <= b).then_some((a, b))
        }
        None => number(key.trim()).map(|n| (n, n)),
    }
}

fn read_response<'a>(r: &mut Reader<'a>, node: Node<'a>, what: &str) -> Option<Response> {
    let entries = r.entries(node, what, Some(RESPONSE_KEYS));
    let mut delay = Some(0.0);
    let mut outcome = None;
    let mut callback_delay = None;
    // Every key is read (and its mistakes reported) before giving up on the response.
    let mut broken = false;
    for (key, e) in &entries {
        match *key {
            "Delay" => delay = r.number(e.value, "`Delay`"),
            "Return" => outcome = Some(Outcome::Return(Data::new(r.json(e.value)))),
            "Throw" => match read_error(r, e.value, "`Throw`") {
                Some(error) => outcome = Some(Outcome::Throw(error)),
                None => broken = true,
            },
            "Callback" => match read_callback(r, e.value) {
                Some((o, d)) => {
                    outcome = Some(o);
                    callback_delay = d;
                }
                None => broken = true,
            },
            _ => {}
        }
    }
    let delay = match (delay, broken) {
        (Some(d), false) => d,
        _ => return None,
    };
    let kinds = entries.iter().filter(|(k, _)| *k != "Delay").count();
    if kinds > 1 {
        r.error(node, format!("{what} gives more than one of `Return`, `Throw` and `Callback`"));
        return None;
    }
    match outcome {
        Some(outcome) => Some(Response { outcome, delay: callback_delay.unwrap_or(0.0) + delay }),
        None => {
            // Unknown keys were reported already; one message per mistake is enough.
            let rejected = r.resolve(node).entry_count() > entries.len();
            if !rejected && r.resolve(node).kind() == crate::syntax::NodeKind::Mapping {
                r.error(node, format!("{what} needs `Return`, `Throw` or `Callback`"));
            }
            None
        }
    }
}

fn read_callback<'a>(r: &mut Reader<'a>, node: Node<'a>) -> Option<(Outcome, Option<f64>)> {
    let entries = r.entries(node, "`Callback`", Some(&["Succeed", "Fail", "Delay"]));
    let mut delay = None;
    let mut outcome = None;
    let mut broken = false;
    for (key, e) in &entries {
        match *key {
            "Delay" => match r.number(e.value, "`Delay`") {
                Some(d) => delay = Some(d),
                None => broken = true,
            },
            "Succeed" => outcome = Some(Outcome::CallbackSucceed(Data::new(r.json(e.value)))),
            "Fail" => match read_error(r, e.value, "`Fail`") {
                Some(error) => outcome = Some(Outcome::CallbackFail(error)),
                None => broken = true,
            },
            _ => {}
        }
    }
    if broken {
        return None;
    }
    if entries.iter().filter(|(k, _)| *k != "Delay").count() != 1 {
        r.error(
            node,
            "`Callback` takes exactly one of `Succeed` (the output reported) or `Fail` (`Error`, `Cause`)",
        );
        return None;
    }
    outcome.map(|o| (o, delay))
}

fn read_error<'a>(r: &mut Reader<'a>, node: Node<'a>, what: &str) -> Option<ErrorInfo> {
    let entries = r.entries(node, what, Some(&["Error", "Cause"]));
    let mut error = None;
    let mut cause = "";
    for (key, e) in &entries {
        match *key {
            "Error" => error = r.string(e.value, "`Error`"),
            "Cause" => cause = r.string(e.value, "`Cause`").unwrap_or(""),
            _ => {}
        }
    }
    match error {
        Some(e) => Some(ErrorInfo::new(e, cause)),
        None => {
            if !entries.iter().any(|(k, _)| *k == "Error") {
                r.error(node, format!("{what} needs an `Error` name"));
            }
            None
        }
    }
}
