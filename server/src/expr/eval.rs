//! A pure evaluator for the dry run and `fdl eval`. Total: every input gives a value or an
//! [`EvalError`] with a code and the range of the culprit, never a panic.
//!
//! Semantics, where the docs are silent, follow expr-lang (the library the documented
//! syntax matches) and JSON: a missing field reads as `null`; `==` compares JSON values,
//! with numbers by value (`1 == 1.0`); `<`… compare two numbers or two strings; `&&`, `||`
//! and `!` take booleans, except that legacy flows treat `null` (a missing key) as false, as
//! their docs say comparisons on missing keys do not match; `/` always gives a float.

use std::borrow::Cow;

use fdl_schema::Dialect;
use serde_json::Value;

use super::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
pub use super::builtins::Random;
use super::check::{self, Issue, Level};
use super::functions::{self, MAX_CALL_DEPTH};
use super::parser;
use super::scope::{ExprContext, Place};
use super::value::{Num, bytes_limit, compare, describe, json_eq, json_size_within};
use crate::syntax::TextRange;

/// The most a value that an expression builds may weigh, as compact JSON: 1 MiB, the
/// largest request the service accepts. Its own data limits are smaller still (64 KiB per
/// state input or output, 256 KiB per `$Global` value), so no flow the service runs needs
/// more, while a hostile one (`format` with a big input a thousand times over) stops at once
/// with a `value-too-large` error instead of using up the memory.
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;

/// The values an expression can read.
#[derive(Clone, Debug)]
pub struct Env {
    pub dialect: Dialect,
    /// `$Input` (legacy: `$` and `$input`).
    pub input: Value,
    /// `$Context` (legacy: `$context`).
    pub context: Value,
    /// `$Global`.
    pub global: Value,
    /// `$Output`, when the place has one.
    pub output: Option<Value>,
    /// `$Item`, in a distributed Map's ItemConstructor.
    pub item: Option<Value>,
    /// Legacy `$local`.
    pub local: Value,
    pub random: Random,
    /// The cap on values the expression builds ([`MAX_VALUE_BYTES`] by default).
    pub max_value_bytes: usize,
}

impl Env {
    /// Empty objects everywhere; random numbers seeded when `seed` is given.
    pub fn new(dialect: Dialect, seed: Option<u64>) -> Env {
        let empty = || Value::Object(serde_json::Map::new());
        Env {
            dialect,
            input: empty(),
            context: empty(),
            global: empty(),
            output: None,
            item: None,
            local: empty(),
            random: seed.map_or_else(Random::from_entropy, Random::seeded),
            max_value_bytes: MAX_VALUE_BYTES,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// Kebab-case, like diagnostic codes: a static code (`expression-syntax`,
    /// `unknown-function`, …) or a run-time one (`type-mismatch`, `index-out-of-range`,
    /// `division-by-zero`, `arithmetic-overflow`, `missing-value`, `invalid-argument`).
    pub code: &'static str,
    pub message: String,
    /// Where in the expression text.
    pub range: TextRange,
}

/// The result of [`evaluate_text`]: the value or the first error, and the warnings and
/// hints of the static checks (e.g. undocumented arithmetic).
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub value: Result<Value, EvalError>,
    pub notes: Vec<Issue>,
}

/// Parses, checks and evaluates `text`. Static errors stop evaluation, as the service
/// would reject the expression before running it.
pub fn evaluate_text(text: &str, env: &mut Env) -> Evaluation {
    let expr = match parser::parse(text) {
        Ok(e) => e,
        Err(e) => {
            let error = EvalError { code: "expression-syntax", message: e.message, range: e.range };
            return Evaluation { value: Err(error), notes: Vec::new() };
        }
    };
    let ctx = ExprContext::new(env.dialect, Place::Anywhere);
    let (errors, notes): (Vec<Issue>, Vec<Issue>) =
        check::check(&expr, &ctx).into_iter().partition(|i| i.level == Level::Error);
    if let Some(e) = errors.into_iter().next() {
        let error = EvalError { code: e.code.as_str(), message: e.message, range: e.range };
        return Evaluation { value: Err(error), notes };
    }
    Evaluation { value: evaluate(&expr, env), notes }
}

/// Evaluates a parsed expression.
pub fn evaluate(expr: &Expr, env: &mut Env) -> Result<Value, EvalError> {
    let mut random = std::mem::replace(&mut env.random, Random::seeded(0));
    let result = evaluate_with(expr, &*env, &mut random);
    env.random = random;
    result
}

/// Where an evaluation reads its variables. [`Env`] holds them as values; the dry run
/// lends them from its own state (and builds `$Context` only when an expression reads it),
/// so that evaluating `$Input.a` does not copy the whole input.
pub trait Vars {
    fn dialect(&self) -> Dialect;
    /// `$Input` (legacy: `$` and `$input`).
    fn input(&self) -> Cow<'_, Value>;
    /// `$Context` (legacy: `$context`).
    fn context(&self) -> Cow<'_, Value>;
    /// The most a value the expression builds may weigh, as compact JSON: a list or object
    /// literal, the arguments of a call together, a call's result, a joined string.
    fn max_value_bytes(&self) -> usize {
        MAX_VALUE_BYTES
    }
    fn global(&self) -> Cow<'_, Value>;
    /// `$Output`, when the place has one.
    fn output(&self) -> Option<Cow<'_, Value>>;
    /// `$Item`, in a distributed Map's ItemConstructor.
    fn item(&self) -> Option<Cow<'_, Value>>;
    /// Legacy `$local`.
    fn local(&self) -> Cow<'_, Value>;
}

impl Vars for Env {
    fn dialect(&self) -> Dialect {
        self.dialect
    }
    fn input(&self) -> Cow<'_, Value> {
        Cow::Borrowed(&self.input)
    }
    fn context(&self) -> Cow<'_, Value> {
        Cow::Borrowed(&self.context)
    }
    fn global(&self) -> Cow<'_, Value> {
        Cow::Borrowed(&self.global)
    }
    fn output(&self) -> Option<Cow<'_, Value>> {
        self.output.as_ref().map(Cow::Borrowed)
    }
    fn item(&self) -> Option<Cow<'_, Value>> {
        self.item.as_ref().map(Cow::Borrowed)
    }
    fn local(&self) -> Cow<'_, Value> {
        Cow::Borrowed(&self.local)
    }
    fn max_value_bytes(&self) -> usize {
        self.max_value_bytes
    }
}

/// Evaluates a parsed expression over borrowed variables.
pub fn evaluate_with(expr: &Expr, vars: &dyn Vars, random: &mut Random) -> Result<Value, EvalError> {
    let limit = vars.max_value_bytes();
    Evaluator { vars, dialect: vars.dialect(), random, call_depth: 0, limit }.eval(expr)
}

struct Evaluator<'e> {
    vars: &'e dyn Vars,
    dialect: Dialect,
    random: &'e mut Random,
    call_depth: usize,
    /// [`Vars::max_value_bytes`].
    limit: usize,
}

/// The error of a value over the cap; `what` names it (`the list`, `the result of format`).
pub fn too_large(what: &str, limit: usize, range: TextRange) -> EvalError {
    let cap = bytes_limit(limit);
    err(
        "value-too-large",
        range,
        format!(
            "{what} would be over {cap} as JSON, the most an expression may build (the service \
             itself allows 64 KiB per state input or output and 256 KiB per global variable)"
        ),
    )
}

/// The value of a path: one value, or several after a `[*]` projection.
enum Selection {
    One(Value),
    Many(Vec<Value>),
}

fn err(code: &'static str, range: TextRange, message: impl Into<String>) -> EvalError {
    EvalError { code, message: message.into(), range }
}

impl<'e> Evaluator<'e> {
    fn eval(&mut self, expr: &Expr) -> Result<Value, EvalError> {
        let range = expr.range;
        match &expr.kind {
            ExprKind::Null => Ok(Value::Null),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Number(n) => Ok(Value::Number(n.clone())),
            ExprKind::String(s, _) => Ok(Value::String(s.clone())),
            ExprKind::Array(items) => {
                let mut total = 2;
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    let v = self.eval(item)?;
                    total = self.add_size(total, &v, "the list", range)? + 1;
                    values.push(v);
                }
                Ok(Value::Array(values))
            }
            ExprKind::Object(entries) => {
                let mut total = 2;
                let mut map = serde_json::Map::new();
                for e in entries {
                    let v = self.eval(&e.value)?;
                    total = self.add_size(total + e.key.len() + 4, &v, "the object", range)?;
                    map.insert(e.key.clone(), v);
                }
                Ok(Value::Object(map))
            }
            ExprKind::Variable(name) => self.variable(name, range),
            ExprKind::Ident(name) => Err(err(
                "unknown-variable",
                range,
                format!("`{name}` is not a value: strings are quoted and variables start with `$`"),
            )),
            ExprKind::Member { .. } | ExprKind::Index { .. } | ExprKind::Wildcard { .. } => {
                if let Some(found) = self.borrowed_path(expr) {
                    return Ok(found);
                }
                Ok(match self.select(expr)? {
                    Selection::One(v) => v,
                    Selection::Many(vs) => Value::Array(vs),
                })
            }
            ExprKind::Call { name, name_range, args } => self.call(expr, name, *name_range, args),
            ExprKind::Unary { op, operand, .. } => {
                let v = self.eval(operand)?;
                match op {
                    UnaryOp::Not => Ok(Value::Bool(!self.truth(&v, "!", operand.range)?)),
                    UnaryOp::Neg => match &v {
                        Value::Number(n) => {
                            let negated = match Num::of(n) {
                                Num::Int(i) => Num::Int(-i),
                                Num::Float(f) => Num::Float(-f),
                            };
                            negated.to_value().ok_or_else(|| {
                                err(
                                    "arithmetic-overflow",
                                    range,
                                    "the negation does not fit in a 64-bit integer",
                                )
                            })
                        }
                        other => Err(err(
                            "type-mismatch",
                            operand.range,
                            format!("`-` needs a number, not {}", describe(other)),
                        )),
                    },
                }
            }
            ExprKind::Binary { op, lhs, rhs, .. } => self.binary(*op, lhs, rhs, range),
        }
    }

    fn variable(&self, name: &str, range: TextRange) -> Result<Value, EvalError> {
        self.variable_ref(name, range).map(Cow::into_owned)
    }

    fn variable_ref(&self, name: &str, range: TextRange) -> Result<Cow<'e, Value>, EvalError> {
        let vars = self.vars;
        let missing = |what: &str| err("missing-value", range, format!("`{name}` has no value here: {what}"));
        match (self.dialect, name) {
            (Dialect::CloudFlow, "$Input") | (Dialect::Legacy, "$" | "$input") => Ok(vars.input()),
            (Dialect::CloudFlow, "$Context") | (Dialect::Legacy, "$context") => Ok(vars.context()),
            (Dialect::CloudFlow, "$Global") => Ok(vars.global()),
            (Dialect::Legacy, "$local") => Ok(vars.local()),
            (Dialect::CloudFlow, "$Output") => vars.output().ok_or_else(|| {
                missing("only a state's OutputConstructor and GlobalConstructor have an output")
            }),
            (Dialect::CloudFlow, "$Item") => {
                vars.item().ok_or_else(|| missing("only a distributed Map's ItemConstructor has an item"))
            }
            _ => Err(err("unknown-variable", range, format!("unknown variable `{name}`"))),
        }
    }

    /// A path of fields and constant indexes from a variable (`$Input.a.b[0]`), read by
    /// reference so that only the value found is copied. `None` when the path has other
    /// parts or meets something that needs the general rules (and their error messages).
    fn borrowed_path(&self, expr: &Expr) -> Option<Value> {
        let mut segments = Vec::new();
        let mut node = expr;
        let root = loop {
            match &node.kind {
                ExprKind::Variable(name) => break self.variable_ref(name, node.range).ok()?,
                ExprKind::Member { base, name, .. } => {
                    segments.push(Ok(name.as_str()));
                    node = base;
                }
                ExprKind::Index { base, index } => match &index.kind {
                    ExprKind::String(key, _) => {
                        segments.push(Ok(key.as_str()));
                        node = base;
                    }
                    ExprKind::Number(n) => {
                        segments.push(Err(n.as_u64()?));
                        node = base;
                    }
                    _ => return None,
                },
                _ => return None,
            }
        };
        let mut value: &Value = &root;
        for segment in segments.iter().rev() {
            value = match (value, segment) {
                (Value::Object(o), Ok(key)) => o.get(*key).unwrap_or(&Value::Null),
                (Value::Array(items), Err(i)) => items.get(usize::try_from(*i).ok()?)?,
                (Value::Null, _) => &Value::Null,
                _ => return None,
            };
        }
        Some(value.clone())
    }

    fn select(&mut self, expr: &Expr) -> Result<Selection, EvalError> {
        match &expr.kind {
            ExprKind::Member { base, name, name_range } => {
                let base_range = base.range;
                Ok(match self.select(base)? {
                    Selection::One(v) => Selection::One(member(v, name, *name_range, base_range)?),
                    // A projection keeps the elements that have the field, as JSONPath does.
                    Selection::Many(vs) => Selection::Many(
                        vs.into_iter()
                            .filter_map(|v| match v {
                                Value::Object(mut o) => o.remove(name.as_str()),
                                _ => None,
                            })
                            .collect(),
                    ),
                })
            }
            ExprKind::Index { base, index } => {
                let selection = self.select(base)?;
                let key = self.eval(index)?;
                Ok(match selection {
                    Selection::One(v) => Selection::One(self.index(v, &key, base.range, index.range)?),
                    Selection::Many(vs) => Selection::Many(
                        vs.into_iter()
                            .filter_map(|v| self.index(v, &key, base.range, index.range).ok())
                            .collect(),
                    ),
                })
            }
            ExprKind::Wildcard { base } => {
                let spread = |v: Value| -> Result<Vec<Value>, EvalError> {
                    match v {
                        Value::Array(a) => Ok(a),
                        Value::Object(o) => Ok(o.into_iter().map(|(_, v)| v).collect()),
                        Value::Null => Ok(Vec::new()),
                        other => Err(err(
                            "type-mismatch",
                            base.range,
                            format!("`[*]` needs an array or an object, not {}", describe(&other)),
                        )),
                    }
                };
                Ok(match self.select(base)? {
                    Selection::One(v) => Selection::Many(spread(v)?),
                    Selection::Many(vs) => {
                        let mut out = Vec::new();
                        for v in vs {
                            out.extend(spread(v).unwrap_or_default());
                        }
                        Selection::Many(out)
                    }
                })
            }
            _ => Ok(Selection::One(self.eval(expr)?)),
        }
    }

    fn index(&self, value: Value, key: &Value, base: TextRange, at: TextRange) -> Result<Value, EvalError> {
        match (value, key) {
            (Value::Array(items), Value::Number(n)) => match Num::of(n) {
                Num::Int(i) => {
                    let len = items.len();
                    usize::try_from(i).ok().and_then(|i| items.into_iter().nth(i)).ok_or_else(|| {
                        err(
                            "index-out-of-range",
                            at,
                            format!(
                                "index {i} is out of range: the array has {len} element{}",
                                super::builtins::plural(len)
                            ),
                        )
                    })
                }
                Num::Float(f) => {
                    Err(err("type-mismatch", at, format!("an array index must be an integer, not {f}")))
                }
            },
            (Value::Array(_), other) => Err(err(
                "type-mismatch",
                at,
                format!("an array index must be an integer, not {}", describe(other)),
            )),
            (Value::Object(mut o), Value::String(k)) => Ok(o.remove(k.as_str()).unwrap_or(Value::Null)),
            (Value::Object(_), other) => Err(err(
                "type-mismatch",
                at,
                format!("an object key must be a string, not {}", describe(other)),
            )),
            (Value::Null, _) => Ok(Value::Null),
            (other, _) => Err(err("type-mismatch", base, format!("cannot index {}", describe(&other)))),
        }
    }

    /// A condition operand as a boolean.
    fn truth(&self, v: &Value, op: &str, at: TextRange) -> Result<bool, EvalError> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::Null if self.dialect == Dialect::Legacy => Ok(false),
            other => Err(err("type-mismatch", at, format!("`{op}` needs booleans, not {}", describe(other)))),
        }
    }

    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, range: TextRange) -> Result<Value, EvalError> {
        let l = self.eval(lhs)?;
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let lb = self.truth(&l, op.as_str(), lhs.range)?;
                if (op == BinaryOp::And) != lb {
                    return Ok(Value::Bool(lb));
                }
                let r = self.eval(rhs)?;
                return Ok(Value::Bool(self.truth(&r, op.as_str(), rhs.range)?));
            }
            _ => {}
        }
        let r = self.eval(rhs)?;
        let mismatch = |what: &str| {
            err(
                "type-mismatch",
                range,
                format!("`{}` {what}, not {} and {}", op.as_str(), describe(&l), describe(&r)),
            )
        };
        match op {
            BinaryOp::Eq => Ok(Value::Bool(json_eq(&l, &r))),
            BinaryOp::Ne => Ok(Value::Bool(!json_eq(&l, &r))),
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => match compare(&l, &r) {
                Some(ord) => Ok(Value::Bool(match op {
                    BinaryOp::Lt => ord.is_lt(),
                    BinaryOp::Le => ord.is_le(),
                    BinaryOp::Gt => ord.is_gt(),
                    _ => ord.is_ge(),
                })),
                // Legacy docs: a comparison with a missing key does not match.
                None if self.dialect == Dialect::Legacy && (l.is_null() || r.is_null()) => {
                    Ok(Value::Bool(false))
                }
                None => Err(mismatch("compares two numbers or two strings")),
            },
            BinaryOp::In => match &r {
                Value::Array(items) => Ok(Value::Bool(items.iter().any(|i| json_eq(i, &l)))),
                Value::Object(map) => match &l {
                    Value::String(k) => Ok(Value::Bool(map.contains_key(k))),
                    other => Err(err(
                        "type-mismatch",
                        lhs.range,
                        format!("a key to look for in an object must be a string, not {}", describe(other)),
                    )),
                },
                Value::Null => Ok(Value::Bool(false)),
                _ => Err(mismatch("looks in an array or an object")),
            },
            BinaryOp::Add => match (&l, &r) {
                (Value::String(a), Value::String(b)) => {
                    if a.len() + b.len() + 2 > self.limit {
                        return Err(too_large("the joined string", self.limit, range));
                    }
                    let joined = Value::String(format!("{a}{b}"));
                    self.add_size(0, &joined, "the joined string", range)?;
                    Ok(joined)
                }
                (Value::Number(a), Value::Number(b)) => arithmetic(op, Num::of(a), Num::of(b), range),
                _ => Err(mismatch("adds two numbers or joins two strings")),
            },
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => match (&l, &r) {
                (Value::Number(a), Value::Number(b)) => arithmetic(op, Num::of(a), Num::of(b), range),
                _ => Err(mismatch("needs two numbers")),
            },
            // Evaluated with short-circuit above.
            BinaryOp::And | BinaryOp::Or => Ok(Value::Bool(false)),
        }
    }

    fn call(
        &mut self,
        call: &Expr,
        name: &str,
        name_range: TextRange,
        args: &[Expr],
    ) -> Result<Value, EvalError> {
        let Some(f) = functions::lookup(name) else {
            return Err(err("unknown-function", name_range, format!("unknown function `{name}`")));
        };
        let count = args.len();
        if count < f.min_args() || f.max_args().is_some_and(|m| count > m) {
            return Err(err(
                "wrong-arity",
                call.range,
                format!(
                    "`{}` cannot take {count} argument{}",
                    f.signature(name),
                    super::builtins::plural(count)
                ),
            ));
        }
        if self.call_depth >= MAX_CALL_DEPTH {
            return Err(err(
                "too-deep",
                name_range,
                format!("function calls are nested more than {MAX_CALL_DEPTH} levels deep"),
            ));
        }
        self.call_depth += 1;
        let values = self.arguments(name, call.range, args);
        self.call_depth -= 1;
        let values = values?;
        let result = (f.implementation)(&values, self.random).map_err(|e| {
            let range = e.arg.and_then(|i| args.get(i)).map_or(call.range, |a| a.range);
            err("invalid-argument", range, format!("{name}: {}", e.message))
        })?;
        self.add_size(0, &result, &format!("the result of `{name}`"), call.range)?;
        Ok(result)
    }

    /// A call's arguments, evaluated in order; together they may not pass the cap, so that
    /// repeating a big value in many arguments stops before they are all copied.
    fn arguments(&mut self, name: &str, range: TextRange, args: &[Expr]) -> Result<Vec<Value>, EvalError> {
        let mut total = 0;
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            let v = self.eval(a)?;
            total = self.add_size(total, &v, &format!("the arguments of `{name}` together"), range)?;
            values.push(v);
        }
        Ok(values)
    }

    /// `total` plus the JSON size of `value`, or the error naming `what` when that passes
    /// the cap.
    fn add_size(
        &self,
        total: usize,
        value: &Value,
        what: &str,
        range: TextRange,
    ) -> Result<usize, EvalError> {
        self.limit
            .checked_sub(total)
            .and_then(|room| json_size_within(value, room))
            .map(|n| total + n)
            .ok_or_else(|| too_large(what, self.limit, range))
    }
}

fn member(value: Value, name: &str, name_range: TextRange, base: TextRange) -> Result<Value, EvalError> {
    match value {
        Value::Object(mut o) => Ok(o.remove(name).unwrap_or(Value::Null)),
        Value::Null => Ok(Value::Null),
        other => Err(err(
            "type-mismatch",
            base.cover(name_range),
            format!("cannot read field `{name}` of {}", describe(&other)),
        )),
    }
}

fn arithmetic(op: BinaryOp, a: Num, b: Num, range: TextRange) -> Result<Value, EvalError> {
    let overflow = || err("arithmetic-overflow", range, "the result does not fit in a 64-bit integer");
    let result = match (op, a, b) {
        (BinaryOp::Div | BinaryOp::Rem, _, b) if b.as_f64() == 0.0 => {
            return Err(err("division-by-zero", range, "division by zero"));
        }
        (BinaryOp::Add, Num::Int(x), Num::Int(y)) => Num::Int(x + y),
        (BinaryOp::Sub, Num::Int(x), Num::Int(y)) => Num::Int(x - y),
        (BinaryOp::Mul, Num::Int(x), Num::Int(y)) => Num::Int(x.checked_mul(y).ok_or_else(overflow)?),
        (BinaryOp::Rem, Num::Int(x), Num::Int(y)) => Num::Int(x % y),
        (BinaryOp::Rem, ..) => {
            return Err(err("type-mismatch", range, "`%` needs two integers"));
        }
        (BinaryOp::Add, x, y) => Num::Float(x.as_f64() + y.as_f64()),
        (BinaryOp::Sub, x, y) => Num::Float(x.as_f64() - y.as_f64()),
        (BinaryOp::Mul, x, y) => Num::Float(x.as_f64() * y.as_f64()),
        (_, x, y) => Num::Float(x.as_f64() / y.as_f64()),
    };
    result.to_value().ok_or_else(|| match result {
        Num::Float(_) => err("arithmetic-overflow", range, "the result is not a finite number"),
        Num::Int(_) => overflow(),
    })
}
