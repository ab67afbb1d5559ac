//! The checks that are local to the root or to one top-level state, in order, over the
//! states an analysis has not seen before: all of them when a document is opened.
//!
//! Each state's checks read only that state (and the flow, shared read-only), so a big
//! batch of states (a document being opened) is checked on every core: the root's checks
//! first, then each thread takes a run of states through every pass, and the diagnostics
//! are put together. Each state's diagnostics come out in the order one thread gives them
//! (pass after pass), so the result is the same (a test compares the two).

use super::context::{self, Ctx};
use super::{Dialect, catalog_rules, expressions, graph, keys, limits, states};
use crate::syntax::Node;

/// Fewer new states than this are checked on the calling thread.
const PARALLEL_FROM_STATES: usize = 256;

/// Tests set this to check on one thread, for the parallel checks to be compared with.
#[cfg(test)]
pub(crate) static SEQUENTIAL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Runs every local check. `plain`: the document has no anchors, so each state is read
/// where it is written (the only case split over threads).
pub(crate) fn run<'a>(cx: &mut Ctx<'_, 'a>, root: Node<'a>, plain: bool) {
    let threads = if cx.fresh.len() < PARALLEL_FROM_STATES { 1 } else { crate::syntax::tree::cores() };
    #[cfg(test)]
    let threads = if SEQUENTIAL.load(std::sync::atomic::Ordering::Relaxed) { 1 } else { threads };
    if !plain || threads < 2 || cx.fresh.len() < PARALLEL_FROM_STATES {
        context::yaml_checks(cx, root);
        root_object(cx, root);
        expressions::check(cx);
        catalog_rules::check(cx);
        graph::check_nested(cx);
        return;
    }
    // The root's own checks see no state; the states' go to the threads.
    let fresh = std::mem::take(&mut cx.fresh);
    context::yaml_checks(cx, root);
    root_object(cx, root);
    let run = fresh.len().div_ceil(threads);
    let found: Vec<Vec<super::Diagnostic>> = std::thread::scope(|scope| {
        let handles: Vec<_> = fresh
            .chunks(run)
            .map(|part| {
                let mut part_cx = Ctx {
                    flow: cx.flow,
                    dialect: cx.dialect,
                    mode: cx.mode,
                    placeholders: cx.placeholders.clone(),
                    text: cx.text,
                    diagnostics: Vec::new(),
                    top_list: cx.top_list,
                    fresh: part.to_vec(),
                };
                scope.spawn(move || {
                    states_checks(&mut part_cx);
                    part_cx.diagnostics
                })
            })
            .collect();
        // A panic in a thread is a bug of ours: it goes on as it would on this thread.
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    for part in found {
        cx.diagnostics.extend(part);
    }
    cx.fresh = fresh;
}

/// The root object's keys, values and limits (and, through `States`, the new states').
fn root_object<'a>(cx: &mut Ctx<'_, 'a>, root: Node<'a>) {
    let object = fdl_schema::spec::root_object(cx.dialect);
    let label = match cx.dialect {
        Dialect::CloudFlow => "state machine",
        Dialect::Legacy => "flow",
    };
    keys::check_object(cx, root, object, label);
    limits::flow_name(cx, root);
}

/// Every pass over the states of `cx.fresh`, as the root's walk would take them.
fn states_checks(cx: &mut Ctx<'_, '_>) {
    for item in cx.fresh.clone() {
        context::yaml_checks(cx, item);
    }
    for item in cx.fresh.clone() {
        states::check_state(cx, item);
    }
    expressions::check(cx);
    catalog_rules::check(cx);
    graph::check_nested(cx);
}
