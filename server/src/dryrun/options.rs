//! How a dry run is set up: workflow mode, seed, limits, and the ways in from outside
//! (a loader for sub-flows, a cancellation flag).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::analysis::WorkflowMode;

#[derive(Clone, Debug)]
pub struct Options {
    pub mode: WorkflowMode,
    /// Seed for `uuid()`, `randomInt()`, the execution name and task tokens; `None` draws one.
    pub seed: Option<u64>,
    pub limits: Limits,
    /// Virtual time zero as milliseconds since the Unix epoch (for legacy timestamp waits).
    pub start_time_ms: i64,
    /// `$Context.Execution.Name`; generated when `None`.
    pub execution_name: Option<String>,
    /// The flow's name when the definition has none (legacy flows): usually the file name.
    pub flow_name: Option<String>,
    /// How deep sub-flows may nest (this run is at `depth`).
    pub depth: u32,
    /// Set from another thread to stop the run (it ends with `StepLimit`, `DryRun.Cancelled`).
    pub cancel: Option<Arc<AtomicBool>>,
}

/// Bounds that keep a dry run small and finite, whatever the flow does.
#[derive(Clone, Debug)]
pub struct Limits {
    /// States entered, over the whole run (sub-flows included).
    pub max_steps: u64,
    /// Items of one Map or foreach.
    pub max_map_items: usize,
    /// The execution input and any mocked value, as compact JSON.
    pub max_value_bytes: usize,
    /// Events kept in the result (all are counted).
    pub max_events: usize,
    /// The values the kept events carry, as compact JSON, in all: past it, events keep only
    /// their small values (a loop that grows its data would otherwise keep, and print, the
    /// data of every pass: hundreds of megabytes).
    pub max_history_bytes: usize,
    pub wall_time: Duration,
    pub max_subflow_depth: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_steps: 10_000,
            max_map_items: 10_000,
            max_value_bytes: 1024 * 1024,
            max_events: 100_000,
            max_history_bytes: 16 * 1024 * 1024,
            wall_time: Duration::from_secs(30),
            max_subflow_depth: 4,
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mode: WorkflowMode::Standard,
            seed: None,
            limits: Limits::default(),
            start_time_ms: 0,
            execution_name: None,
            flow_name: None,
            depth: 0,
            cancel: None,
        }
    }
}

/// Reads other flow files for sub-flows. The dry run touches files only through this.
pub trait Loader {
    /// The flow whose name is `name`: its text and where it is (for messages).
    fn flow(&self, name: &str) -> Option<LoadedFlow>;
}

#[derive(Clone, Debug)]
pub struct LoadedFlow {
    pub path: String,
    pub text: String,
}

/// A loader that finds nothing (sub-flows get their mocked or default results).
pub struct NoLoader;

impl Loader for NoLoader {
    fn flow(&self, _: &str) -> Option<LoadedFlow> {
        None
    }
}
