//! What an expression sees while a state runs: the variables are lent from the machine's
//! state, and `$Context` is built only when an expression reads it.

use std::borrow::Cow;
use std::cell::OnceCell;

use fdl_schema::Dialect;
use serde_json::{Map, Value, json};

use crate::dryrun::data::Data;
use crate::dryrun::program::{CompiledExpr, Template};
use crate::dryrun::result::ErrorInfo;
use crate::expr::value::json_size_within;
use crate::expr::{Random, Vars, evaluate_with};

/// The execution- and state-level facts `$Context` is made of.
pub(crate) struct ContextInfo<'a> {
    pub execution_name: &'a str,
    pub execution_input: &'a Value,
    pub role_arn: &'a str,
    pub flow_name: &'a str,
    pub state_name: &'a str,
    pub state_input: &'a Value,
    pub state_output: Option<&'a Value>,
    pub error: Option<&'a ErrorInfo>,
    pub retry_count: u32,
    pub token: Option<&'a str>,
    /// Legacy `$context.step.eventId`: the number of events so far.
    pub event_id: u64,
    /// The cap on any value an expression or a template builds (`Limits::max_value_bytes`).
    pub max_value_bytes: usize,
}

pub(crate) struct Env<'a> {
    pub dialect: Dialect,
    pub input: &'a Value,
    pub output: Option<&'a Value>,
    pub item: Option<&'a Value>,
    pub local: &'a Value,
    pub global: &'a Value,
    pub ctx: ContextInfo<'a>,
    built: OnceCell<Value>,
}

impl<'a> Env<'a> {
    pub fn new(
        dialect: Dialect,
        input: &'a Value,
        global: &'a Value,
        local: &'a Value,
        ctx: ContextInfo<'a>,
    ) -> Env<'a> {
        Env { dialect, input, output: None, item: None, local, global, ctx, built: OnceCell::new() }
    }

    fn build_context(&self) -> Value {
        let c = &self.ctx;
        match self.dialect {
            Dialect::CloudFlow => {
                let mut current = Map::new();
                current.insert("Name".into(), Value::from(c.state_name));
                current.insert("Input".into(), c.state_input.clone());
                if let Some(o) = c.state_output {
                    current.insert("Output".into(), o.clone());
                }
                if let Some(e) = c.error {
                    current.insert("Error".into(), json!({ "Code": &*e.code, "Detail": &*e.detail }));
                }
                current.insert("RetryCount".into(), Value::from(c.retry_count));
                if let Some(t) = c.token {
                    current.insert("TaskToken".into(), Value::from(t));
                }
                json!({
                    "Execution": { "Name": c.execution_name, "Input": c.execution_input, "RoleArn": c.role_arn },
                    "Current": current,
                })
            }
            Dialect::Legacy => json!({
                "task": { "token": c.token },
                "execution": { "name": c.execution_name },
                "flow": { "name": c.flow_name },
                "step": { "name": c.state_name, "eventId": c.event_id },
            }),
        }
    }
}

impl Vars for Env<'_> {
    fn dialect(&self) -> Dialect {
        self.dialect
    }
    fn input(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self.input)
    }
    fn context(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self.built.get_or_init(|| self.build_context()))
    }
    fn global(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self.global)
    }
    fn output(&self) -> Option<Cow<'_, Value>> {
        self.output.map(Cow::Borrowed)
    }
    fn item(&self) -> Option<Cow<'_, Value>> {
        self.item.map(Cow::Borrowed)
    }
    fn local(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self.local)
    }
    fn max_value_bytes(&self) -> usize {
        self.ctx.max_value_bytes
    }
}

/// An expression that could not be evaluated.
#[derive(Clone, Debug)]
pub(crate) struct ExprFailure {
    pub text: String,
    pub code: &'static str,
    pub message: String,
}

impl ExprFailure {
    pub fn describe(&self, place: &str) -> String {
        format!("{place}: `{}`: {} [{}]", self.text, self.message, self.code)
    }

    /// A value over the cap is over every data limit of the service too: the execution
    /// fails with its data-limit error. Anything else is a run-time error.
    pub fn too_large(&self) -> bool {
        self.code == "value-too-large"
    }
}

pub(crate) fn eval_expr(e: &CompiledExpr, env: &Env<'_>, random: &mut Random) -> Result<Value, ExprFailure> {
    let fail = |code, message| ExprFailure { text: e.text.to_string(), code, message };
    match &e.parsed {
        Err(s) => Err(fail(s.code, s.message.clone())),
        Ok(tree) => evaluate_with(tree, env, random).map_err(|err| fail(err.code, err.message)),
    }
}

/// Builds a template's value; constant templates cost one reference count. The whole
/// value may not pass the cap on values, however many expressions it holds: each one's
/// result is counted as it comes.
pub(crate) fn eval_template(t: &Template, env: &Env<'_>, random: &mut Random) -> Result<Data, ExprFailure> {
    match t {
        Template::Const(d) => Ok(d.clone()),
        other => {
            let mut room = env.ctx.max_value_bytes;
            build(other, env, random, &mut room).map(Data::new)
        }
    }
}

fn build(t: &Template, env: &Env<'_>, random: &mut Random, room: &mut usize) -> Result<Value, ExprFailure> {
    match t {
        Template::Const(d) => {
            spend(room, d.bytes(), "", env)?;
            Ok(d.value().clone())
        }
        Template::Expr(e) => {
            let value = eval_expr(e, env, random)?;
            let size = json_size_within(&value, *room).unwrap_or(usize::MAX);
            spend(room, size, &e.text, env)?;
            Ok(value)
        }
        Template::Object(entries) => {
            spend(room, 2, "", env)?;
            let mut map = Map::with_capacity(entries.len());
            for (k, v) in entries {
                spend(room, k.len() + 4, "", env)?;
                map.insert(k.to_string(), build(v, env, random, room)?);
            }
            Ok(Value::Object(map))
        }
        Template::Array(items) => {
            spend(room, 2, "", env)?;
            let mut values = Vec::with_capacity(items.len());
            for i in items {
                spend(room, 1, "", env)?;
                values.push(build(i, env, random, room)?);
            }
            Ok(Value::Array(values))
        }
    }
}

/// Takes `bytes` from what the template may still build; `text` is the expression that
/// gave them, if one did.
fn spend(room: &mut usize, bytes: usize, text: &str, env: &Env<'_>) -> Result<(), ExprFailure> {
    match room.checked_sub(bytes) {
        Some(left) => {
            *room = left;
            Ok(())
        }
        None => {
            let limit = env.ctx.max_value_bytes;
            let what = if text.is_empty() { "the value built" } else { "with this value, the value built" };
            let error = crate::expr::eval::too_large(what, limit, Default::default());
            Err(ExprFailure { text: text.to_string(), code: error.code, message: error.message })
        }
    }
}
