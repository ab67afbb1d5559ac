//! The service's runtime limits on state data, and naming the loop that ran into the
//! step limit.

use std::sync::Arc;

use super::Machine;
use super::fiber::{Fault, FiberId};
use serde_json::Value;

use crate::dryrun::data::{Data, MAX_VALUE_DEPTH, nests_deeper_than};
use crate::dryrun::program::StateId;
use crate::dryrun::result::Status;

/// CloudFlow: a state's input and output are each at most 64 KiB.
pub(crate) const CLOUDFLOW_STATE_BYTES: usize = 64 * 1024;
/// Legacy: a step's input, output and local together are at most 32 KiB.
pub(crate) const LEGACY_STEP_BYTES: usize = 32 * 1024;
/// `$Global`: keys up to 128 bytes, values up to 256 KiB.
const GLOBAL_KEY_BYTES: usize = 128;
const GLOBAL_VALUE_BYTES: usize = 256 * 1024;

fn data_fault(m: &mut Machine<'_>, fiber: FiberId, state: StateId, code: &str, detail: String) -> Fault {
    m.assume(fiber, state, "data-limit");
    Fault::fatal(Status::Failed, code, detail)
}

/// Values nested deeper than the dry run follows ([`MAX_VALUE_DEPTH`]): not a limit of the
/// service, so no assumption is recorded; checked before anything measures the value.
fn too_deep(
    m: &mut Machine<'_>,
    _fiber: FiberId,
    state: StateId,
    what: &str,
    data: &Value,
) -> Result<(), Fault> {
    if !nests_deeper_than(data, MAX_VALUE_DEPTH) {
        return Ok(());
    }
    let name = Arc::clone(&m.state(state).name);
    Err(Fault::fatal(
        Status::Failed,
        "FnF.DataLimitExceeded",
        format!(
            "the {what} of `{name}` nests values more than {MAX_VALUE_DEPTH} levels deep; the dry run follows no deeper"
        ),
    ))
}

/// A CloudFlow state's input or output: a JSON object of at most 64 KiB.
pub(super) fn state_data(
    m: &mut Machine<'_>,
    fiber: FiberId,
    state: StateId,
    what: &str,
    data: &Data,
) -> Result<(), Fault> {
    too_deep(m, fiber, state, what, data)?;
    let name = Arc::clone(&m.state(state).name);
    if !data.is_object() {
        let kind = crate::expr::value::describe(data);
        return Err(data_fault(
            m,
            fiber,
            state,
            "FnF.InvalidData",
            format!("the {what} of `{name}` is {kind}; a state's {what} must be a JSON object"),
        ));
    }
    let bytes = data.bytes();
    if bytes > CLOUDFLOW_STATE_BYTES {
        return Err(data_fault(
            m,
            fiber,
            state,
            "FnF.DataLimitExceeded",
            format!(
                "the {what} of `{name}` is {bytes} bytes; a state's {what} may be at most 64 KiB ({CLOUDFLOW_STATE_BYTES} bytes)"
            ),
        ));
    }
    Ok(())
}

/// A legacy step's output is an object, and input, output and local fit in 32 KiB together.
pub(super) fn legacy_data(
    m: &mut Machine<'_>,
    fiber: FiberId,
    state: StateId,
    input: &Data,
    output: &Data,
    local: &Data,
) -> Result<(), Fault> {
    too_deep(m, fiber, state, "input", input)?;
    too_deep(m, fiber, state, "output", output)?;
    too_deep(m, fiber, state, "local data", local)?;
    let name = Arc::clone(&m.state(state).name);
    if !output.is_object() {
        let kind = crate::expr::value::describe(output);
        return Err(data_fault(
            m,
            fiber,
            state,
            "FnF.InvalidData",
            format!("the output of `{name}` is {kind}; it must be a JSON object"),
        ));
    }
    let bytes = input.bytes() + output.bytes() + if local.ptr_eq(output) { 0 } else { local.bytes() };
    if bytes > LEGACY_STEP_BYTES {
        return Err(data_fault(
            m,
            fiber,
            state,
            "FnF.DataLimitExceeded",
            format!(
                "the input, output and local of `{name}` are {bytes} bytes together; a step may use at most 32 KiB ({LEGACY_STEP_BYTES} bytes)"
            ),
        ));
    }
    Ok(())
}

/// What a GlobalConstructor writes: an object whose keys and values are within limits.
pub(super) fn global(
    m: &mut Machine<'_>,
    fiber: FiberId,
    state: StateId,
    written: &Data,
) -> Result<(), Fault> {
    too_deep(m, fiber, state, "GlobalConstructor output", written)?;
    let name = Arc::clone(&m.state(state).name);
    let Some(entries) = written.as_object() else {
        let kind = crate::expr::value::describe(written);
        return Err(data_fault(
            m,
            fiber,
            state,
            "FnF.InvalidData",
            format!("the GlobalConstructor of `{name}` gave {kind}, not an object"),
        ));
    };
    for (k, v) in entries {
        let size = crate::dryrun::data::json_size(v);
        if k.len() > GLOBAL_KEY_BYTES || size > GLOBAL_VALUE_BYTES {
            return Err(data_fault(
                m,
                fiber,
                state,
                "FnF.DataLimitExceeded",
                format!(
                    "the GlobalConstructor of `{name}` writes `{k}` ({} byte key, {size} byte value); global variables allow keys of 128 bytes and values of 256 KiB",
                    k.len()
                ),
            ));
        }
    }
    Ok(())
}

/// Why the step limit was hit, naming the states that repeat at the end of the fiber's
/// history: `A` → `B` → `A`.
pub(super) fn loop_message(m: &Machine<'_>, fiber: FiberId, max: u64) -> String {
    let recent: Vec<StateId> = m.fibers[fiber].recent.iter().copied().collect();
    let name = |s: StateId| format!("`{}`", m.state(s).name);
    let n = recent.len();
    let period = (1..=n / 2).find(|&p| (0..p).all(|k| recent[n - 1 - k] == recent[n - 1 - k - p]));
    let found = match period {
        Some(p) => {
            // Start the loop at its earliest-defined state, which reads best.
            let cycle = &recent[n - p..];
            let first = (0..p).min_by_key(|&i| cycle[i]).unwrap_or(0);
            let cycle: Vec<StateId> = cycle[first..].iter().chain(&cycle[..first]).copied().collect();
            let mut names: Vec<String> = cycle.iter().map(|s| name(*s)).collect();
            names.push(name(cycle[0]));
            format!("the loop {} never ended", names.join(" → "))
        }
        None => {
            let mut seen = Vec::new();
            for s in recent.iter().rev() {
                if !seen.contains(s) {
                    seen.push(*s);
                }
            }
            let names: Vec<String> = seen.iter().rev().map(|s| name(*s)).collect();
            format!("the last states were {}", names.join(", "))
        }
    };
    format!("stopped after {max} steps: {found} (raise the limit with --max-steps if it ends on its own)")
}
