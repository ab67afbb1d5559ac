//! Documented limits that the JSON Schema cannot state: those that depend on the workflow
//! mode, numbers written as strings, and the flow name's character set.

use fdl_schema::integrations::WorkflowMode;

use super::context::Ctx;
use super::{Code, Diagnostic};
use crate::syntax::Node;
use crate::syntax::scalar::parse_int;

const TASK_TIMEOUT_MAX: i64 = 604_800;

/// Wait `Seconds`: the schema states the Standard limit (1-300); Express allows 1-20.
pub(crate) fn wait_seconds<'a>(cx: &mut Ctx<'_, 'a>, state: Node<'a>) {
    let Some((text, node)) = cx.get_str(state, "Seconds") else { return };
    let Some(n) = parse_int(text).filter(|_| node.is_plain_scalar()) else { return };
    if cx.mode == WorkflowMode::Express && n > 20 {
        cx.push(Diagnostic::error(
            Code::OutOfRange,
            node.value_range(),
            format!("a Wait in an Express workflow lasts 1 to 20 seconds, not {n}"),
        ));
    }
}

/// Task `Timeout` is documented as a string of seconds (`"30"`); integers are accepted too.
pub(crate) fn task_timeout<'a>(cx: &mut Ctx<'_, 'a>, state: Node<'a>) {
    let Some((text, node)) = cx.get_str(state, "Timeout") else { return };
    if node.tag().is_some() || cx.deploy_time(node) {
        return;
    }
    let range = node.value_range();
    if node.is_plain_scalar() && parse_int(text).is_some() {
        return; // an integer: the schema states its range
    }
    match parse_int(text) {
        None => cx.push(Diagnostic::error(
            Code::InvalidValue,
            range,
            format!("`Timeout` is a number of seconds (0 to {TASK_TIMEOUT_MAX}, 0 = never), not `{text}`"),
        )),
        Some(n) if !(0..=TASK_TIMEOUT_MAX).contains(&n) => cx.push(Diagnostic::error(
            Code::OutOfRange,
            range,
            format!("a task `Timeout` is 0 to {TASK_TIMEOUT_MAX} seconds (7 days), not {n}"),
        )),
        Some(_) => {}
    }
}

/// The flow name: 1-128 letters, digits, `_` and `-`, starting with a letter or `_`. For
/// CloudFlow the name in the definition must also equal the name the flow is created with.
/// Placeholders (`${vars.name}-flow`) stand for unknown text: only the characters around
/// them are checked, and the length only when the known part alone is too long.
pub(crate) fn flow_name<'a>(cx: &mut Ctx<'_, 'a>, root: Node<'a>) {
    let Some((name, node)) = cx.get_str(root, cx.flow.name_key()) else { return };
    if node.tag().is_some() || node.is_missing() {
        return;
    }
    let placeholders = cx.placeholders_in(name);
    let mut known = String::with_capacity(name.len());
    let mut at = 0;
    for p in &placeholders {
        known.push_str(&name[at..p.range.start as usize]);
        at = p.range.end as usize;
    }
    known.push_str(&name[at..]);
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let valid_start = match placeholders.first() {
        Some(p) if p.range.start == 0 => true,
        _ => name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_'),
    };
    let len = known.chars().count();
    let problem = if len > 128 {
        Some(format!("is {len} characters long; at most 128 are allowed"))
    } else if !known.chars().all(allowed) {
        let bad: String = known.chars().filter(|c| !allowed(*c)).take(3).collect();
        Some(format!("contains `{bad}`: only letters, digits, `_` and `-` are allowed"))
    } else if !valid_start {
        Some("must start with a letter or `_`".to_string())
    } else {
        None
    };
    if let Some(problem) = problem {
        cx.push(Diagnostic::error(
            Code::InvalidValue,
            node.value_range(),
            format!("the flow name `{name}` {problem}"),
        ));
    }
}
