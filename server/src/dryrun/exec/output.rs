//! What a state hands on: CloudFlow's OutputConstructor and GlobalConstructor, legacy
//! outputMappings merged into the parent's `$local`, and what a caught error becomes
//! (a Catch OutputConstructor, legacy errorMappings).

use serde_json::{Value, json};

use super::fiber::{Fault, FiberId};
use super::vars::{Env, eval_template};
use super::{Machine, checks};
use crate::dryrun::data::Data;
use crate::dryrun::program::{Kind, StateDef, Template};
use crate::dryrun::result::ErrorInfo;
use fdl_schema::Dialect;

impl<'p> Machine<'p> {
    /// OutputConstructor (`$Output` = the result), then GlobalConstructor (`$Output` = the
    /// raw result, `$Global` as before this state).
    pub(super) fn cloudflow_output(
        &mut self,
        fiber: FiberId,
        def: &'p StateDef,
        input: &Data,
        result: &Data,
    ) -> Result<Data, Fault> {
        let state = self.act(fiber).state;
        let (retry_count, token) = {
            let act = self.act(fiber);
            (act.retry_count, act.token.clone())
        };
        if def.output.is_some() && !matches!(def.kind, Kind::Task(_)) {
            self.assume(fiber, state, "default-output");
        }
        let evaluate = |m: &mut Machine<'_>, t| {
            let empty = Value::Null;
            let ctx = m.context_info(Some(def), input, Some(result), retry_count, token.as_deref());
            let mut env = Env::new(m.dialect, input, &m.global, &empty, ctx);
            env.output = Some(result);
            eval_template(t, &env, &mut m.random.borrow_mut())
        };
        let output = match &def.output {
            Some(t) => {
                evaluate(self, t).map_err(|e| self.runtime_fault(fiber, state, "the OutputConstructor", e))?
            }
            None => result.clone(),
        };
        if let Some(t) = &def.global {
            let written = evaluate(self, t)
                .map_err(|e| self.runtime_fault(fiber, state, "the GlobalConstructor", e))?;
            checks::global(self, fiber, state, &written)?;
            if let Value::Object(entries) = written.value() {
                let mut global = self.global.value().as_object().cloned().unwrap_or_default();
                for (k, v) in entries {
                    global.insert(k.clone(), v.clone());
                }
                self.global = Data::new(Value::Object(global));
                self.assume(fiber, state, "global-merge");
            }
        }
        checks::state_data(self, fiber, state, "output", &output)?;
        Ok(output)
    }

    /// outputMappings (`$input` = the step's input, `$local` = its result), else the result
    /// (parallel and foreach: nothing); merged into the parent's `$local`.
    pub(super) fn legacy_output(
        &mut self,
        fiber: FiberId,
        def: &'p StateDef,
        input: &Data,
        local: &Data,
    ) -> Result<Data, Fault> {
        let state = self.act(fiber).state;
        let token = self.act(fiber).token.clone();
        let output = match &def.output {
            Some(t) => {
                let evaluated = {
                    let ctx = self.context_info(Some(def), input, None, 0, token.as_deref());
                    let env = Env::new(self.dialect, input, &self.global, local, ctx);
                    eval_template(t, &env, &mut self.random.borrow_mut())
                };
                evaluated.map_err(|e| self.runtime_fault(fiber, state, "the outputMappings", e))?
            }
            None if matches!(def.kind, Kind::Parallel(_) | Kind::Foreach(_)) => Data::empty_object(),
            None => local.clone(),
        };
        checks::legacy_data(self, fiber, state, input, &output, local)?;
        if let Value::Object(entries) = output.value() {
            let frame = self.frame(fiber);
            for (k, v) in entries {
                frame.local.insert(k.clone(), v.clone());
            }
        }
        Ok(output)
    }

    /// What a caught state hands to its Catch target.
    pub(super) fn caught_output(
        &mut self,
        fiber: FiberId,
        def: &'p StateDef,
        constructor: Option<&Template>,
        error: &ErrorInfo,
    ) -> Result<Data, Fault> {
        let act = self.act(fiber);
        let (state, input, retry_count) = (act.state, act.input.clone(), act.retry_count);
        match self.dialect {
            Dialect::CloudFlow => {
                let error_object = Data::new(json!({ "Code": &*error.code, "Detail": &*error.detail }));
                let Some(t) = constructor else {
                    self.assume(fiber, state, "catch-output");
                    return Ok(error_object);
                };
                let evaluated = {
                    let empty = Value::Null;
                    let mut ctx =
                        self.context_info(Some(def), &input, Some(&error_object), retry_count, None);
                    ctx.error = Some(error);
                    let mut env = Env::new(self.dialect, &input, &self.global, &empty, ctx);
                    env.output = Some(&error_object);
                    eval_template(t, &env, &mut self.random.borrow_mut())
                };
                evaluated.map_err(|e| self.runtime_fault(fiber, state, "the Catch OutputConstructor", e))
            }
            Dialect::Legacy => {
                let Some(t) = &def.error_mappings else { return Ok(Data::empty_object()) };
                let local = json!({ "error": &*error.code, "cause": &*error.detail });
                let evaluated = {
                    let ctx = self.context_info(Some(def), &input, None, retry_count, None);
                    let env = Env::new(self.dialect, &input, &self.global, &local, ctx);
                    eval_template(t, &env, &mut self.random.borrow_mut())
                };
                let output =
                    evaluated.map_err(|e| self.runtime_fault(fiber, state, "the errorMappings", e))?;
                if let Value::Object(entries) = output.value() {
                    let frame = self.frame(fiber);
                    for (k, v) in entries {
                        frame.local.insert(k.clone(), v.clone());
                    }
                }
                Ok(output)
            }
        }
    }
}
