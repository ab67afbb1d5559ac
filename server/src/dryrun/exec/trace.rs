//! The execution history being written: events (up to a cap, counted past it), and the
//! warnings of the run, each given once.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;

use crate::dryrun::assumptions::assumption;
use crate::dryrun::data::Data;
use crate::dryrun::program::StateDef;
use crate::dryrun::result::{Event, EventKind, Path, Range, Warning};

/// Values this small are kept in the history past its bound (a state's `{"ok": true}`):
/// 100,000 events of them are a few megabytes.
const ALWAYS_KEPT_BYTES: usize = 64;

pub(crate) struct Trace {
    pub events: Vec<Event>,
    /// Every event, recorded or not.
    pub count: u64,
    pub max_events: usize,
    /// The bytes of the values kept events carry, their bound, and how many values were
    /// left out once it was reached.
    pub history_bytes: usize,
    pub max_history_bytes: usize,
    pub left_out: u64,
    pub warnings: Vec<Warning>,
    seen: HashSet<(&'static str, Option<Arc<str>>, String)>,
    pub truncated: bool,
}

impl Trace {
    pub fn new(max_events: usize, max_history_bytes: usize) -> Trace {
        Trace {
            events: Vec::new(),
            count: 0,
            max_events,
            history_bytes: 0,
            max_history_bytes,
            left_out: 0,
            warnings: Vec::new(),
            seen: HashSet::new(),
            truncated: false,
        }
    }

    pub fn event(&mut self, mut kind: EventKind, state: Option<&StateDef>, path: &Path, time_ms: u64) {
        self.count += 1;
        if self.events.len() >= self.max_events {
            self.truncated = true;
            return;
        }
        for value in kind.values_mut() {
            let bytes = value.bytes();
            if bytes > ALWAYS_KEPT_BYTES && self.history_bytes + bytes > self.max_history_bytes {
                *value = Data::new(Value::String(format!("… {bytes} bytes left out of the history")));
                self.left_out += 1;
            } else {
                self.history_bytes += bytes;
            }
        }
        self.events.push(Event {
            kind,
            state: state.map(|s| Arc::clone(&s.name)),
            path: Arc::clone(path),
            range: state.map(|s| s.range),
            time: time_ms as f64 / 1000.0,
        });
    }

    /// A warning, once per code, state and message; also an event in the history.
    pub fn warn(
        &mut self,
        code: &'static str,
        message: String,
        state: Option<&StateDef>,
        path: &Path,
        time_ms: u64,
        assumption: Option<&'static str>,
    ) {
        let key = (code, state.map(|s| Arc::clone(&s.name)), message.clone());
        if !self.seen.insert(key) {
            return;
        }
        self.event(EventKind::Warning { code, message: message.clone() }, state, path, time_ms);
        self.warnings.push(Warning {
            code,
            message,
            state: state.map(|s| Arc::clone(&s.name)),
            range: state.map(|s| s.range),
            assumption,
        });
    }

    /// A warning about a place in the flow rather than a state (a placeholder in a value).
    pub fn warn_at(&mut self, code: &'static str, message: String, range: Range, path: &Path, time_ms: u64) {
        if !self.seen.insert((code, None, message.clone())) {
            return;
        }
        self.event(EventKind::Warning { code, message: message.clone() }, None, path, time_ms);
        self.warnings.push(Warning { code, message, state: None, range: Some(range), assumption: None });
    }

    /// Says that the outcome depended on an assumption (once per assumption and state).
    pub fn assume(&mut self, id: &'static str, state: Option<&StateDef>, path: &Path, time_ms: u64) {
        let text = assumption(id).map_or("", |a| a.text);
        self.warn("assumption", format!("assumed [{id}]: {text}"), state, path, time_ms, Some(id));
    }

    /// A warning about the whole run, given once it has ended: no event (the history ends
    /// with the execution's last event).
    pub fn closing_warning(&mut self, code: &'static str, message: String, assumption: Option<&'static str>) {
        let key = (code, None, message.clone());
        if self.seen.insert(key) {
            self.warnings.push(Warning { code, message, state: None, range: None, assumption });
        }
    }
}
