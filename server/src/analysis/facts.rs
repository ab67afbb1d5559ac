//! What the graph rules need of one state, read once from its subtree.
//!
//! The rules across states (names, transitions, reachability, `Next`/`End`) read every
//! state's keys; done on every analysis, that was most of a keystroke's cost at thousands
//! of states. A state's facts depend only on its own subtree and on the settings the cache
//! is keyed on, so the cache keeps them beside the state's diagnostics, and a keystroke
//! reads the facts of the state it changed. Ranges are relative to the state's start, like
//! the cached diagnostics.

use fdl_schema::Dialect;

use super::context::Ctx;
use super::model::{State, TransitionKind};
use super::names::Sketch;
use crate::syntax::{PositionEncoding, TextRange};

#[derive(Clone, Debug)]
pub(crate) struct StateFacts {
    pub(crate) name: Option<Named>,
    /// Where warnings about the whole state point: its name, else its first key.
    pub(crate) anchor: TextRange,
    /// References to states of the same scope, in source order.
    pub(crate) moves: Vec<Move>,
    /// `End: true`, Succeed or Fail.
    pub(crate) terminal: bool,
    pub(crate) rule: NextOrEnd,
    /// Legacy: whether the step goes on to the one after it in the list.
    pub(crate) falls_through: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Named {
    pub(crate) text: Box<str>,
    /// The name's value.
    pub(crate) range: TextRange,
    /// A deployment placeholder: two of them may well end up different.
    pub(crate) deploy_time: bool,
    /// For "did you mean" on references to missing states.
    pub(crate) sketch: Sketch,
}

#[derive(Clone, Debug)]
pub(crate) struct Move {
    pub(crate) target: Box<str>,
    /// The target's value.
    pub(crate) range: TextRange,
    /// A deployment placeholder: the target is only known then.
    pub(crate) deploy_time: bool,
}

/// `Next` xor `End: true`, on the CloudFlow states that move on (Task, Pass, Wait,
/// Parallel, Map).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NextOrEnd {
    Fine,
    /// Both: the range of `End: true`.
    Both(TextRange),
    /// Neither: where to report it, and where a fix inserts a key line (the end of the
    /// state's last line) with which indentation, when the state has entries; for a flow
    /// mapping (`None` indentation), where `, key: value` goes after its last entry.
    Neither {
        anchor: TextRange,
        insert: Option<(u32, Option<usize>)>,
    },
}

impl StateFacts {
    /// Reads the facts of `state`, with ranges relative to `start`.
    pub(crate) fn read(cx: &Ctx<'_, '_>, state: &State<'_, '_>, start: u32) -> StateFacts {
        let rel = |r: TextRange| TextRange::new(r.start.saturating_sub(start), r.end.saturating_sub(start));
        let flow = cx.flow;
        let name = state.name().map(|(text, node)| Named {
            sketch: Sketch::of(text),
            text: text.into(),
            range: rel(node.value_range()),
            deploy_time: cx.deploy_time(node),
        });
        let anchor = match &name {
            Some(n) => n.range,
            None => rel(super::keys::anchor_of(cx, state.node)),
        };
        let transitions = state.transitions();
        let moves = transitions
            .iter()
            .map(|t| Move {
                target: t.target.into(),
                range: rel(t.node.value_range()),
                deploy_time: cx.deploy_time(t.node),
            })
            .collect();
        let terminal = state.is_terminal();
        let ty = state.ty().map(|(t, _)| t);
        let rule = match (cx.dialect, ty) {
            (Dialect::CloudFlow, Some("Task" | "Pass" | "Wait" | "Parallel" | "Map")) => {
                let next = transitions.iter().any(|t| t.kind == TransitionKind::Next);
                let end_true = flow.get_bool(state.node, "End");
                match (next, end_true) {
                    (true, true) => match state.get("End") {
                        Some(e) => NextOrEnd::Both(rel(e.key.range().cover(e.value.range()))),
                        None => NextOrEnd::Fine,
                    },
                    (false, false) => NextOrEnd::Neither {
                        anchor: rel(super::keys::anchor_of(cx, state.node)),
                        insert: insert_point(cx, state)
                            .map(|(at, indent)| (at.saturating_sub(start), indent)),
                    },
                    _ => NextOrEnd::Fine,
                }
            }
            _ => NextOrEnd::Fine,
        };
        // A choice whose every way out is a goto does not fall through either.
        let jumps_away = ty == Some("choice") && {
            let branches = flow.list(state.node, "choices").len();
            let branch_gotos = transitions.iter().filter(|t| t.kind == TransitionKind::Branch).count();
            let default_goto = transitions.iter().any(|t| t.kind == TransitionKind::Default);
            branch_gotos == branches && default_goto
        };
        let falls_through = !terminal && !jumps_away;
        StateFacts { name, anchor, moves, terminal, rule, falls_through }
    }
}

/// Where a new key of `state` goes: the end of the line of its last entry, indented like
/// its first key; in a flow mapping (`{Name: A, Type: Pass}`, perhaps on one long line),
/// right after its last entry, with no indentation.
fn insert_point(cx: &Ctx<'_, '_>, state: &State<'_, '_>) -> Option<(u32, Option<usize>)> {
    let node = state.node;
    let first = node.entries().next()?;
    let last = node.entries().last()?;
    let at = last.value.range().end.max(last.key.range().end);
    // A block mapping whose first key does not start its line (`[Type: Pass, …]`, a
    // one-pair mapping in a flow list) shares the line with others: the line's end is not
    // the state's, and a reused cached fix would point elsewhere than a fresh one.
    let key = first.key.range().start;
    let line_start = cx.text.line_start(cx.text.line_of(key));
    let head = cx.text.slice(TextRange::new(line_start.max(key.saturating_sub(256)), key));
    let starts_line = key - line_start <= 256 && head.chars().all(|c| matches!(c, ' ' | '-'));
    // Nor is it when the line goes on after the state with more than a comment (a block
    // mapping inside a flow list, `[a: 1, b: 2]`-like text a keystroke left behind).
    let line_end = cx.text.line_range(cx.text.line_of(at)).end;
    let tail = cx.text.slice(TextRange::new(at, line_end.min(at + 256)));
    let ends_line = line_end - at <= 256 && {
        let rest = tail.trim_start();
        rest.is_empty() || (rest.starts_with('#') && rest.len() < tail.len())
    };
    if node.is_flow() || !starts_line || !ends_line {
        return Some((at, None));
    }
    let indent = cx.text.position(first.key.range().start, PositionEncoding::Utf8).character as usize;
    Some((line_end, Some(indent)))
}
