//! Reading (and, for a debugger, editing) the state a hook paused: the paused fiber's
//! frame says which state and in which phase; `$Context` and expressions are evaluated as
//! the state's own would be, with a copy of the run's random generator so that looking
//! never changes what the run does next.

use std::sync::Arc;

use fdl_schema::Dialect;
use serde_json::Value;

use super::Machine;
use super::fiber::{Act, Step};
use super::vars::{Env, eval_template};
use crate::dryrun::data::Data;
use crate::dryrun::paused::{Enclosing, Paused, Phase};
use crate::dryrun::program::Kind;
use crate::dryrun::result::EventKind;
use crate::expr::{self, Evaluation};

impl<'p> Machine<'p> {
    fn paused_act(&self) -> Option<(&super::fiber::Frame, &Act)> {
        let fiber = self.current?;
        let frame = self.fibers[fiber].frames.last()?;
        Some((frame, frame.act.as_deref()?))
    }

    pub(crate) fn paused(&self) -> Option<Paused> {
        if self.outcome.is_some() {
            return None;
        }
        let fiber = self.current?;
        let (frame, act) = self.paused_act()?;
        let phase = match &frame.step {
            Step::Execute => Phase::Before,
            Step::Transition { output, .. } => Phase::After { output: output.clone() },
            Step::Fail(fault) => Phase::Failed { error: fault.error.clone() },
            _ => return None,
        };
        let mut enclosing = Vec::new();
        let frames = &self.fibers[fiber].frames;
        let below = frames[..frames.len() - 1].iter().rev();
        let mut acts: Vec<&Act> = below.filter_map(|f| f.act.as_deref()).collect();
        let mut up = self.fibers[fiber].parent.map(|(p, _)| p);
        while let Some(p) = up {
            acts.extend(self.fibers[p].frames.iter().rev().filter_map(|f| f.act.as_deref()));
            up = self.fibers[p].parent.map(|(p, _)| p);
        }
        for a in acts {
            enclosing.push(Enclosing { state: a.state, input: a.input.clone() });
        }
        let def = self.state(act.state);
        Some(Paused {
            state: act.state,
            name: Arc::clone(&def.name),
            range: def.range,
            phase,
            path: Arc::clone(&frame.path),
            time: self.now as f64 / 1000.0,
            input: act.input.clone(),
            retry_count: act.retry_count,
            enclosing,
        })
    }

    /// The paused state's last call in this visit: its Parameters as sent and its result.
    fn last_call(&self) -> (Option<&Data>, Option<&Data>) {
        let Some(paused) = self.paused_state_and_path() else { return (None, None) };
        let (name, path) = paused;
        let mut parameters = None;
        let mut result = None;
        for event in self.trace.events.iter().rev() {
            if event.state.as_deref() != Some(name) || *event.path != *path {
                continue;
            }
            match &event.kind {
                EventKind::StateEntered { .. } => break,
                EventKind::TaskScheduled { parameters: p, .. } if parameters.is_none() => {
                    parameters = Some(p)
                }
                EventKind::TaskSucceeded { output } if result.is_none() && parameters.is_none() => {
                    result = Some(output)
                }
                _ => {}
            }
        }
        (parameters, result)
    }

    fn paused_state_and_path(&self) -> Option<(&str, &[crate::dryrun::PathSegment])> {
        let (frame, act) = self.paused_act()?;
        Some((&self.state(act.state).name, &frame.path))
    }

    /// `$Context` as the paused state's expressions see it.
    pub(crate) fn paused_context(&self) -> Option<Value> {
        use crate::expr::Vars;
        let (frame, act) = self.paused_act()?;
        let def = self.state(act.state);
        let output = match &frame.step {
            Step::Transition { output, .. } => Some(output.value()),
            _ => None,
        };
        let local = Value::Object(frame.local.clone());
        let ctx =
            self.context_info(Some(def), act.input.value(), output, act.retry_count, act.token.as_deref());
        let env = Env::new(self.dialect, &act.input, &self.global, &local, ctx);
        Some(env.context().into_owned())
    }

    /// The paused Task's Parameters (legacy serviceParams): as sent once it has run, else
    /// as they will be (built with a copy of the run's random generator, so `uuid()` shows
    /// the value the call will get).
    pub(crate) fn paused_parameters(&self) -> Option<Result<Value, String>> {
        let (frame, act) = self.paused_act()?;
        let def = self.state(act.state);
        let Kind::Task(task) = &def.kind else { return None };
        if !matches!(frame.step, Step::Execute) {
            return self.last_call().0.map(|d| Ok(d.value().clone()));
        }
        let template = task.parameters.as_ref()?;
        let empty = Value::Null;
        let ctx =
            self.context_info(Some(def), act.input.value(), None, act.retry_count, act.token.as_deref());
        let env = Env::new(self.dialect, &act.input, &self.global, &empty, ctx);
        let mut random = self.random.borrow().clone();
        Some(eval_template(template, &env, &mut random).map(Data::into_value).map_err(|e| {
            let place = if self.dialect == Dialect::Legacy { "serviceParams" } else { "Parameters" };
            e.describe(place)
        }))
    }

    /// The paused Task's result, once its call has returned.
    pub(crate) fn paused_result(&self) -> Option<Value> {
        self.last_call().1.map(|d| d.value().clone())
    }

    /// Evaluates an expression where the run is paused, as `fdl eval` does (static checks
    /// first, errors as values), with the state's `$Input`, `$Context`, `$Global`, its
    /// result as `$Output` once known, and legacy `$local`.
    pub(crate) fn evaluate_paused(&self, text: &str) -> Option<Evaluation> {
        let (frame, act) = self.paused_act()?;
        let mut env = expr::Env::new(self.dialect, None);
        env.random = self.random.borrow().clone();
        env.context = self.paused_context()?;
        env.input = act.input.value().clone();
        env.global = self.global.value().clone();
        env.output = self.paused_result();
        env.local = Value::Object(frame.local.clone());
        Some(expr::evaluate_text(text, &mut env))
    }

    /// Replaces the `$Input` of a state paused before its work.
    pub(crate) fn set_paused_input(&mut self, value: Value) -> Result<(), String> {
        let fiber = self.current.ok_or("the run is not paused")?;
        let frame = self.fibers[fiber].frames.last_mut().ok_or("the run is not paused")?;
        if !matches!(frame.step, Step::Execute) {
            return Err("the state has already run: its input can change only before it runs".into());
        }
        let act = frame.act.as_deref_mut().ok_or("the run is not paused at a state")?;
        if !value.is_object() {
            let what = crate::expr::value::describe(&value);
            return Err(format!("a state's input must be a JSON object, not {what}"));
        }
        act.input = Data::new(value);
        Ok(())
    }
}
