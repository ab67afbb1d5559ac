//! Legacy JSONPath (mapping sources, conditions, paths in `serviceParams`, collections and
//! wait times) rewritten as CloudFlow expressions over the migrated state's variables.
//!
//! The roots are replaced: `$` and `$input` by the expression that holds the legacy
//! step's input, `$local` by what the legacy `$local` is at that place (the parent's local,
//! a task's result, the branches' or iterations' locals, a caught error), `$context` by
//! the `$Context` fields that exist. The rest of the path is kept.
//!
//! Conditions keep the legacy meaning where it differs from CloudFlow's: a missing value
//! (`null`) counts as false where a boolean is needed, and an ordering comparison with a
//! missing value is false, where CloudFlow raises an error. Both are made explicit with
//! `x != null && …` guards, so that the migrated condition takes the same branch (and fails
//! where the legacy one fails) for every input.

use serde_json::Number;

use crate::expr::ast::{BinaryOp, Expr, ExprKind, ObjectEntry, UnaryOp};
use crate::expr::lexer::Quote;
use crate::syntax::TextRange;

/// What the legacy `$local` is where an expression is evaluated.
#[derive(Clone, Debug)]
pub enum Local {
    /// An object: the parent's `$local`, a task's result, a choice branch's local.
    Value(Expr),
    /// Known to be `{}` (the first step of a list; pass and wait steps).
    Empty,
    /// A parallel step's outputMappings: one local per branch (`$Output.BranchN.local`).
    Branches(usize),
    /// A foreach step's outputMappings: one local per iteration (`$Output.Items[i].local`).
    Iterations,
    /// errorMappings: the caught error as `{error, cause}`.
    Error,
}

/// The replacements for the legacy roots.
#[derive(Clone, Debug)]
pub struct Vars {
    /// `$` and `$input`.
    pub input: Expr,
    pub local: Local,
    pub names: Names,
}

/// What `$context.flow.name` and `$context.step.name` are where an expression runs.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// The flow's name: CloudFlow's `$Context` has none, and the migrated flow's `Name`
    /// is this constant.
    pub flow: String,
    /// The legacy step's name when the state evaluating the expression has another one (a
    /// renamed state, a choice's joining state, the flow's own mappings: `""`); `None`:
    /// `$Context.Current.Name`.
    pub step: Option<String>,
}

/// A difference a rewrite could not avoid, for a `fdl-migrate` note.
pub type Notes = Vec<String>;

/// A value (mapping source, path): the same value in CloudFlow.
pub fn value(e: &Expr, vars: &Vars, notes: &mut Notes) -> Expr {
    match &e.kind {
        ExprKind::Variable(_)
        | ExprKind::Member { .. }
        | ExprKind::Index { .. }
        | ExprKind::Wildcard { .. } => match path(e, vars, notes) {
            Some(p) => p,
            None => rebuild(e, vars, notes),
        },
        ExprKind::Binary { op, lhs, rhs, .. }
            if op.is_comparison() && *op != BinaryOp::Eq && *op != BinaryOp::Ne =>
        {
            ordering(*op, value(lhs, vars, notes), value(rhs, vars, notes))
        }
        ExprKind::Binary { op: op @ (BinaryOp::And | BinaryOp::Or), lhs, rhs, .. } => {
            binary(*op, truth(lhs, vars, notes), truth(rhs, vars, notes))
        }
        ExprKind::Unary { op: UnaryOp::Not, operand, .. } => unary(UnaryOp::Not, truth(operand, vars, notes)),
        _ => rebuild(e, vars, notes),
    }
}

/// A choice condition: the same branch is taken for every input.
pub fn condition(e: &Expr, vars: &Vars, notes: &mut Notes) -> Expr {
    truth(e, vars, notes)
}

/// `e` where a boolean is needed: legacy reads `null` as false.
fn truth(e: &Expr, vars: &Vars, notes: &mut Notes) -> Expr {
    let v = value(e, vars, notes);
    if may_be_null(&v) { binary(BinaryOp::And, binary(BinaryOp::Ne, v.clone(), null()), v) } else { v }
}

/// `<`, `<=`, `>`, `>=`: false (not an error) when a side is missing.
fn ordering(op: BinaryOp, l: Expr, r: Expr) -> Expr {
    let mut guards: Vec<Expr> = Vec::new();
    for side in [&l, &r] {
        if may_be_null(side) {
            guards.push(binary(BinaryOp::Ne, side.clone(), null()));
        }
    }
    guards.push(binary(op, l, r));
    guards.into_iter().reduce(|acc, e| binary(BinaryOp::And, acc, e)).unwrap_or_else(null)
}

/// Whether an expression can evaluate to `null` (paths and calls can; literals and
/// operators cannot).
fn may_be_null(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Null
            | ExprKind::Variable(_)
            | ExprKind::Ident(_)
            | ExprKind::Member { .. }
            | ExprKind::Index { .. }
            | ExprKind::Wildcard { .. }
            | ExprKind::Call { .. }
    )
}

/// The same node with its children rewritten.
fn rebuild(e: &Expr, vars: &Vars, notes: &mut Notes) -> Expr {
    let kind = match &e.kind {
        ExprKind::Array(items) => ExprKind::Array(items.iter().map(|i| value(i, vars, notes)).collect()),
        ExprKind::Object(entries) => ExprKind::Object(
            entries
                .iter()
                .map(|o| ObjectEntry { value: value(&o.value, vars, notes), ..o.clone() })
                .collect(),
        ),
        ExprKind::Call { name, name_range, args } => ExprKind::Call {
            name: name.clone(),
            name_range: *name_range,
            args: args.iter().map(|a| value(a, vars, notes)).collect(),
        },
        ExprKind::Unary { op, op_range, operand } => {
            ExprKind::Unary { op: *op, op_range: *op_range, operand: Box::new(value(operand, vars, notes)) }
        }
        ExprKind::Binary { op, op_range, lhs, rhs } => ExprKind::Binary {
            op: *op,
            op_range: *op_range,
            lhs: Box::new(value(lhs, vars, notes)),
            rhs: Box::new(value(rhs, vars, notes)),
        },
        ExprKind::Member { base, name, name_range } => ExprKind::Member {
            base: Box::new(value(base, vars, notes)),
            name: name.clone(),
            name_range: *name_range,
        },
        ExprKind::Index { base, index } => ExprKind::Index {
            base: Box::new(value(base, vars, notes)),
            index: Box::new(value(index, vars, notes)),
        },
        ExprKind::Wildcard { base } => ExprKind::Wildcard { base: Box::new(value(base, vars, notes)) },
        other => other.clone(),
    };
    Expr::new(kind, e.range)
}

/// One step after the root of a path.
#[derive(Clone, Debug)]
enum Op {
    Field(String),
    Index(Expr),
    Wildcard,
}

fn apply(base: Expr, ops: &[Op]) -> Expr {
    ops.iter().fold(base, |acc, op| match op {
        Op::Field(name) => member(acc, name),
        Op::Index(i) => Expr::new(ExprKind::Index { base: Box::new(acc), index: Box::new(i.clone()) }, at()),
        Op::Wildcard => wildcard(acc),
    })
}

/// A path rooted at a variable, rewritten; `None` when the root is no variable.
fn path(e: &Expr, vars: &Vars, notes: &mut Notes) -> Option<Expr> {
    let mut ops = Vec::new();
    let mut node = e;
    let root = loop {
        match &node.kind {
            ExprKind::Variable(name) => break name.as_str(),
            ExprKind::Member { base, name, .. } => {
                ops.push(Op::Field(name.clone()));
                node = base;
            }
            ExprKind::Index { base, index } => {
                ops.push(Op::Index(value(index, vars, notes)));
                node = base;
            }
            ExprKind::Wildcard { base } => {
                ops.push(Op::Wildcard);
                node = base;
            }
            _ => return None,
        }
    };
    ops.reverse();
    Some(match root {
        "$" | "$input" => apply(vars.input.clone(), &ops),
        "$local" => local(&vars.local, &ops, notes),
        "$context" => context(&ops, &vars.names, notes),
        other => {
            notes.push(format!("`{other}` is not a legacy variable; it was kept as written"));
            apply(var(other), &ops)
        }
    })
}

fn local(local: &Local, ops: &[Op], notes: &mut Notes) -> Expr {
    match local {
        Local::Value(e) => apply(e.clone(), ops),
        Local::Empty => match ops.first() {
            None => object(Vec::new()),
            // Projecting an empty object gives nothing; any field of it is missing.
            _ if ops.iter().any(|o| matches!(o, Op::Wildcard)) => array(Vec::new()),
            _ => null(),
        },
        Local::Branches(n) => {
            let all = || member(wildcard(var("$Output")), "local");
            let each = |k: usize| member(member(var("$Output"), &format!("Branch{k}")), "local");
            match ops.first() {
                // The whole array: one element per branch, as a literal.
                None => array((0..*n).map(each).collect()),
                Some(Op::Index(i)) if literal_index(i).is_some_and(|k| k < *n) => {
                    apply(each(literal_index(i).unwrap_or(0)), &ops[1..])
                }
                Some(Op::Wildcard) => apply(all(), &ops[1..]),
                Some(_) => {
                    notes.push(
                        "a parallel step's `$local` is read other than as `$local[*]` or `$local[N]`; the migrated expression projects the branches' locals, check it".into(),
                    );
                    apply(all(), ops)
                }
            }
        }
        Local::Iterations => {
            let items = || member(var("$Output"), "Items");
            match ops.first() {
                Some(Op::Index(i)) => {
                    let item = Expr::new(
                        ExprKind::Index { base: Box::new(items()), index: Box::new(i.clone()) },
                        at(),
                    );
                    apply(member(item, "local"), &ops[1..])
                }
                None | Some(Op::Wildcard) => {
                    apply(member(wildcard(items()), "local"), &ops[ops.len().min(1)..])
                }
                Some(Op::Field(_)) => {
                    notes.push(
                        "a foreach step's `$local` (an array) is read with a field name; the migrated expression projects the iterations' locals, check it".into(),
                    );
                    apply(member(wildcard(items()), "local"), ops)
                }
            }
        }
        Local::Error => {
            let code = || member(member(member(var("$Context"), "Current"), "Error"), "Code");
            let detail = || member(member(member(var("$Context"), "Current"), "Error"), "Detail");
            match ops.first() {
                Some(Op::Field(f)) if f == "error" => apply(code(), &ops[1..]),
                Some(Op::Field(f)) if f == "cause" => apply(detail(), &ops[1..]),
                Some(Op::Field(f)) => {
                    notes.push(format!(
                        "`$local.{f}` in errorMappings: a caught error only has `error` and `cause`, so it is null"
                    ));
                    null()
                }
                _ => apply(object(vec![("error", code()), ("cause", detail())]), ops),
            }
        }
    }
}

/// The legacy `$context` as far as CloudFlow's `$Context` has it.
fn context(ops: &[Op], names: &Names, notes: &mut Notes) -> Expr {
    let current = || member(var("$Context"), "Current");
    let fields = |group: &str| -> Vec<(&'static str, Expr)> {
        match group {
            "task" => vec![("token", member(current(), "TaskToken"))],
            "execution" => vec![("name", member(member(var("$Context"), "Execution"), "Name"))],
            "flow" => vec![("name", string(&names.flow))],
            "step" => {
                let name = names.step.as_deref().map_or_else(|| member(current(), "Name"), string);
                vec![("name", name), ("eventId", number(0))]
            }
            _ => Vec::new(),
        }
    };
    let groups = ["task", "execution", "flow", "step"];
    let whole = || object(groups.iter().map(|g| (*g, object(fields(g).into_iter().collect()))).collect());
    let Some(Op::Field(group)) = ops.first() else { return apply(whole(), ops) };
    if !groups.contains(&group.as_str()) {
        notes.push(format!(
            "`$context.{group}` has no counterpart in CloudFlow's `$Context`; it reads as null"
        ));
        return null();
    }
    let Some(Op::Field(field)) = ops.get(1) else {
        return apply(object(fields(group).into_iter().collect()), &ops[1..]);
    };
    match fields(group).into_iter().find(|(name, _)| name == field) {
        Some((name, e)) => {
            if (group.as_str(), name) == ("step", "eventId") {
                notes.push(
                    "`$context.step.eventId` (the number of history events so far) has no counterpart in CloudFlow's `$Context`; the migrated flow reads 0 here, so a hand-over before the 5,000-event limit never happens: count the rounds yourself (e.g. in `$Global`) if the flow needs it".into(),
                );
            }
            apply(e, &ops[2..])
        }
        None => {
            notes.push(format!(
                "`$context.{group}.{field}` has no counterpart in CloudFlow's `$Context`; it reads as null"
            ));
            null()
        }
    }
}

fn literal_index(e: &Expr) -> Option<usize> {
    match &e.kind {
        ExprKind::Number(n) => n.as_u64().and_then(|k| usize::try_from(k).ok()),
        _ => None,
    }
}

// Building nodes. Ranges mean nothing in built trees: the migration prints them.

fn at() -> TextRange {
    TextRange::empty(0)
}

pub fn var(name: &str) -> Expr {
    Expr::new(ExprKind::Variable(name.to_string()), at())
}

pub fn member(base: Expr, name: &str) -> Expr {
    Expr::new(ExprKind::Member { base: Box::new(base), name: name.to_string(), name_range: at() }, at())
}

pub fn wildcard(base: Expr) -> Expr {
    Expr::new(ExprKind::Wildcard { base: Box::new(base) }, at())
}

pub fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::new(ExprKind::Call { name: name.to_string(), name_range: at(), args }, at())
}

pub fn string(s: &str) -> Expr {
    Expr::new(ExprKind::String(s.to_string(), Quote::Double), at())
}

pub fn number(n: u64) -> Expr {
    Expr::new(ExprKind::Number(Number::from(n)), at())
}

pub fn null() -> Expr {
    Expr::new(ExprKind::Null, at())
}

pub fn object(entries: Vec<(&str, Expr)>) -> Expr {
    object_owned(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

pub fn object_owned(entries: Vec<(String, Expr)>) -> Expr {
    Expr::new(
        ExprKind::Object(
            entries
                .into_iter()
                .map(|(key, value)| ObjectEntry { key, quote: Some(Quote::Double), key_range: at(), value })
                .collect(),
        ),
        at(),
    )
}

pub fn array(items: Vec<Expr>) -> Expr {
    Expr::new(ExprKind::Array(items), at())
}

pub fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    Expr::new(ExprKind::Binary { op, op_range: at(), lhs: Box::new(lhs), rhs: Box::new(rhs) }, at())
}

fn unary(op: UnaryOp, operand: Expr) -> Expr {
    Expr::new(ExprKind::Unary { op, op_range: at(), operand: Box::new(operand) }, at())
}

/// A JSON constant as an expression literal.
pub fn literal(value: &serde_json::Value) -> Expr {
    use serde_json::Value;
    match value {
        Value::Null => null(),
        Value::Bool(b) => Expr::new(ExprKind::Bool(*b), at()),
        // Negative numbers are a negation of a literal in the expression language.
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) if i < 0 => {
                unary(UnaryOp::Neg, Expr::new(ExprKind::Number(Number::from(i.unsigned_abs())), at()))
            }
            (None, Some(f)) if f < 0.0 => match Number::from_f64(-f) {
                Some(m) => unary(UnaryOp::Neg, Expr::new(ExprKind::Number(m), at())),
                None => null(),
            },
            _ => Expr::new(ExprKind::Number(n.clone()), at()),
        },
        Value::String(s) => string(s),
        Value::Array(items) => array(items.iter().map(literal).collect()),
        Value::Object(map) => object_owned(map.iter().map(|(k, v)| (k.clone(), literal(v))).collect()),
    }
}

/// `jsonMerge(a, b)`, with the trivial cases folded: merging `{}` changes nothing.
pub fn merge(a: Expr, b: Expr) -> Expr {
    let empty = |e: &Expr| matches!(&e.kind, ExprKind::Object(entries) if entries.is_empty());
    if empty(&b) {
        return a;
    }
    call("jsonMerge", vec![a, b])
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::expr::{parse, printer};

    fn check(local: Local, exprs: &[&str], cond: bool, expect: Expect) {
        let names = Names { flow: "demo".into(), step: None };
        let vars = Vars { input: member(var("$Input"), "step"), local, names };
        let mut out = String::new();
        for text in exprs {
            let mut notes = Vec::new();
            let tree = parse(text).expect("parses");
            let e = if cond { condition(&tree, &vars, &mut notes) } else { value(&tree, &vars, &mut notes) };
            let printed = printer::print(&e);
            // The result must read back as the same tree.
            let again = parse(&printed).expect("the result parses");
            assert_eq!(crate::expr::ast::shape(&again), crate::expr::ast::shape(&e), "{printed}");
            out.push_str(&format!("{text}  →  {printed}\n"));
            for n in notes {
                out.push_str(&format!("    note: {n}\n"));
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn roots_and_paths() {
        check(
            Local::Value(member(var("$Input"), "local")),
            &["$", "$.a.b[0]", "$input.key_info[1]", "$local", "$local.marker", "$local[*].x"],
            false,
            expect![[r#"
                $  →  $Input.step
                $.a.b[0]  →  $Input.step.a.b[0]
                $input.key_info[1]  →  $Input.step.key_info[1]
                $local  →  $Input.local
                $local.marker  →  $Input.local.marker
                $local[*].x  →  $Input.local[*].x
            "#]],
        );
    }

    #[test]
    fn locals_of_branches_iterations_errors_and_empty() {
        check(
            Local::Branches(2),
            &["$local", "$local[*].name", "$local[0].results", "$local[5].x"],
            false,
            expect![[r#"
                $local  →  [$Output.Branch0.local, $Output.Branch1.local]
                $local[*].name  →  $Output[*].local.name
                $local[0].results  →  $Output.Branch0.local.results
                $local[5].x  →  $Output[*].local[5].x
                    note: a parallel step's `$local` is read other than as `$local[*]` or `$local[N]`; the migrated expression projects the branches' locals, check it
            "#]],
        );
        check(
            Local::Iterations,
            &["$local[*].parts[*]", "$local[1]"],
            false,
            expect![[r#"
                $local[*].parts[*]  →  $Output.Items[*].local.parts[*]
                $local[1]  →  $Output.Items[1].local
            "#]],
        );
        check(
            Local::Error,
            &["$local.error", "$local.cause", "$local", "$local.code"],
            false,
            expect![[r#"
                $local.error  →  $Context.Current.Error.Code
                $local.cause  →  $Context.Current.Error.Detail
                $local  →  {"error": $Context.Current.Error.Code, "cause": $Context.Current.Error.Detail}
                $local.code  →  null
                    note: `$local.code` in errorMappings: a caught error only has `error` and `cause`, so it is null
            "#]],
        );
        check(
            Local::Empty,
            &["$local", "$local.x", "$local[*].x"],
            false,
            expect![[r#"
                $local  →  {}
                $local.x  →  null
                $local[*].x  →  []
            "#]],
        );
    }

    #[test]
    fn context_fields() {
        check(
            Local::Empty,
            &[
                "$context.task.token",
                "$context.execution.name",
                "$context.flow.name",
                "$context.step.name",
                "$context.step.eventId",
                "$context.flow.id",
                "$context.step",
            ],
            false,
            expect![[r#"
                $context.task.token  →  $Context.Current.TaskToken
                $context.execution.name  →  $Context.Execution.Name
                $context.flow.name  →  "demo"
                $context.step.name  →  $Context.Current.Name
                $context.step.eventId  →  0
                    note: `$context.step.eventId` (the number of history events so far) has no counterpart in CloudFlow's `$Context`; the migrated flow reads 0 here, so a hand-over before the 5,000-event limit never happens: count the rounds yourself (e.g. in `$Global`) if the flow needs it
                $context.flow.id  →  null
                    note: `$context.flow.id` has no counterpart in CloudFlow's `$Context`; it reads as null
                $context.step  →  {"name": $Context.Current.Name, "eventId": 0}
            "#]],
        );
    }

    #[test]
    fn conditions_keep_the_legacy_meaning_of_missing_values() {
        check(
            Local::Empty,
            &[
                "$.status == \"ready\"",
                "$.hasMore",
                "$.faceIndex < $.faceCount",
                "$.offset_bytes != -1",
                "$.has_more && ($.event_id >= 4000 || $.total_group_count >= $.total_group_threshold)",
                "!$.done",
                "true",
            ],
            true,
            expect![[r#"
                $.status == "ready"  →  $Input.step.status == "ready"
                $.hasMore  →  $Input.step.hasMore != null && $Input.step.hasMore
                $.faceIndex < $.faceCount  →  $Input.step.faceIndex != null && $Input.step.faceCount != null && $Input.step.faceIndex < $Input.step.faceCount
                $.offset_bytes != -1  →  $Input.step.offset_bytes != -1
                $.has_more && ($.event_id >= 4000 || $.total_group_count >= $.total_group_threshold)  →  $Input.step.has_more != null && $Input.step.has_more && ($Input.step.event_id != null && $Input.step.event_id >= 4000 || $Input.step.total_group_count != null && $Input.step.total_group_threshold != null && $Input.step.total_group_count >= $Input.step.total_group_threshold)
                !$.done  →  !($Input.step.done != null && $Input.step.done)
                true  →  true
            "#]],
        );
    }
}
