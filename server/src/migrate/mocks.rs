//! The legacy flow's mocks as mocks of the migrated flow. State names are kept, so a mock
//! by state name carries over as it is; a mock by action is resolved per task as the
//! legacy run resolves it (the legacy `resourceArn` names no CloudFlow Action) and carried by
//! state name. Function Compute results change shape: legacy `$local` is the function's
//! return value, CloudFlow's `$Output` holds it under `Body`, so those results are wrapped.

use serde_json::json;

use super::{Migration, TaskResult};
use crate::dryrun::Mocks;
use crate::dryrun::data::Data;
use crate::dryrun::mocks::{MockSpec, Outcome, Response};
use crate::dryrun::program::{Kind, Program};

/// Mocks for the migrated flow that answer its tasks as `mocks` answers the legacy flow's.
/// (Mocks are by state name: two tasks of one name in different scopes share their mock,
/// as in the legacy run, unless one is a function and the other not; [`conflicts`] says
/// which names those are.)
pub fn carry_over(legacy: &Program, migration: &Migration, mocks: &Mocks) -> Mocks {
    let mut resolved = Mocks::default();
    for origin in &migration.states {
        let (Some(name), Some(shape)) = (&origin.legacy, origin.task) else { continue };
        let Some(task) = legacy.states.iter().find_map(|s| match &s.kind {
            Kind::Task(t) if &*s.name == name.as_str() => Some(t),
            _ => None,
        }) else {
            continue;
        };
        let spec = mocks.states.get(name.as_str()).or_else(|| {
            let keys = [&*task.action, &*task.integration_action];
            keys.iter().find_map(|k| mocks.actions.get(*k)).or_else(|| {
                keys.iter().find_map(|k| {
                    mocks.actions.iter().find(|(a, _)| a.eq_ignore_ascii_case(k)).map(|(_, v)| v)
                })
            })
        });
        if let Some(spec) = spec {
            let spec = if shape == TaskResult::InBody { wrap(spec) } else { spec.clone() };
            resolved.states.insert(origin.name.clone(), spec);
        }
    }
    // Sub-flows the migrated flow starts are legacy flows: they keep the original mocks.
    mocks.overlay(&resolved)
}

fn wrap(spec: &MockSpec) -> MockSpec {
    let response = |r: &Response| Response {
        outcome: match &r.outcome {
            Outcome::Return(v) => Outcome::Return(Data::new(json!({ "Body": v.value() }))),
            Outcome::CallbackSucceed(v) => Outcome::CallbackSucceed(Data::new(json!({ "Body": v.value() }))),
            other => other.clone(),
        },
        delay: r.delay,
    };
    match spec {
        MockSpec::Always(r) => MockSpec::Always(response(r)),
        MockSpec::PerInvocation(list) => {
            MockSpec::PerInvocation(list.iter().map(|(a, b, r)| (*a, *b, response(r))).collect())
        }
    }
}

/// Names of migrated tasks whose mocks cannot carry over: tasks in different scopes with
/// one name, a function (its result under `Body`) and another integration.
pub fn conflicts(migration: &Migration) -> Vec<String> {
    let mut out = Vec::new();
    for a in &migration.states {
        let clash = migration
            .states
            .iter()
            .any(|b| a.name == b.name && a.task.is_some() && b.task.is_some() && a.task != b.task);
        if clash && !out.contains(&a.name) {
            out.push(a.name.clone());
        }
    }
    out
}
