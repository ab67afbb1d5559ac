//! Static checks of one expression at one place of a flow: unknown and out-of-scope
//! variables, unknown functions, arity, arguments whose type or constant value cannot
//! work, calls nested too deeply, and syntax the docs do not confirm.
//!
//! Ranges are byte ranges in the expression text; the analysis maps them into the document.

use fdl_schema::Dialect;
use serde_json::Value;

use super::ast::{Expr, ExprKind, PathSegment, UnaryOp};
use super::functions::{self, Confidence, MAX_CALL_DEPTH};
use super::lexer::Quote;
use super::parser;
use super::scope::{self, ExprContext, Visibility};
use super::value::{Num, Ty};
use crate::syntax::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IssueCode {
    ExpressionSyntax,
    UnknownVariable,
    VariableOutOfScope,
    UnknownFunction,
    WrongArity,
    InvalidArgument,
    TooDeep,
    NotAnExpression,
    UndocumentedSyntax,
}

impl IssueCode {
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::ExpressionSyntax => "expression-syntax",
            IssueCode::UnknownVariable => "unknown-variable",
            IssueCode::VariableOutOfScope => "variable-out-of-scope",
            IssueCode::UnknownFunction => "unknown-function",
            IssueCode::WrongArity => "wrong-arity",
            IssueCode::InvalidArgument => "invalid-argument",
            IssueCode::TooDeep => "too-deep",
            IssueCode::NotAnExpression => "not-an-expression",
            IssueCode::UndocumentedSyntax => "undocumented-syntax",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
    Hint,
}

/// A replacement in the expression text that fixes an issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprFix {
    pub title: String,
    pub range: TextRange,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub code: IssueCode,
    pub level: Level,
    pub range: TextRange,
    pub message: String,
    pub fix: Option<ExprFix>,
}

impl Issue {
    fn new(code: IssueCode, level: Level, range: TextRange, message: impl Into<String>) -> Issue {
        Issue { code, level, range, message: message.into(), fix: None }
    }

    fn with_fix(mut self, title: String, range: TextRange, replacement: &str) -> Issue {
        self.fix = Some(ExprFix { title, range, replacement: replacement.to_string() });
        self
    }
}

/// Parses and checks `text`. A syntax error is the only issue when the text does not parse.
pub fn check_text(text: &str, ctx: &ExprContext) -> Vec<Issue> {
    match parser::parse(text) {
        Ok(expr) => check(&expr, ctx),
        Err(e) => vec![Issue::new(IssueCode::ExpressionSyntax, Level::Error, e.range, e.message)],
    }
}

/// Checks a parsed expression.
pub fn check(expr: &Expr, ctx: &ExprContext) -> Vec<Issue> {
    let mut issues = Vec::new();
    if let ExprKind::Ident(name) = &expr.kind {
        issues.push(Issue::new(
            IssueCode::NotAnExpression,
            Level::Error,
            expr.range,
            format!(
                "`{name}` is not an expression: read a value such as `{}.{name}`, call a function, or write a literal such as `\"{name}\"`",
                input_variable(ctx.dialect)
            ),
        ));
        return issues;
    }
    if ctx.place.is_path_only() && ctx.dialect == Dialect::Legacy && !is_json_path(expr) {
        issues.push(Issue::new(
            IssueCode::ExpressionSyntax,
            Level::Error,
            expr.range,
            format!(
                "{} takes a JSONPath such as `$input.key`, `$.items[0]` or `$local[*].name`, not an expression",
                ctx.place.describe()
            ),
        ));
        return issues;
    }
    let mut checker = Checker { ctx, issues };
    checker.visit(expr, 0);
    let mut issues = checker.issues;
    issues.sort_by_key(|i| (i.range.start, i.range.end, i.code));
    issues.dedup();
    issues
}

fn input_variable(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::CloudFlow => "$Input",
        Dialect::Legacy => "$",
    }
}

/// A variable followed by fields, literal indexes and `[*]` only.
fn is_json_path(expr: &Expr) -> bool {
    match expr.as_path() {
        Some((_, _, segments)) => segments.iter().all(|s| match s {
            PathSegment::Index(i) => matches!(i.kind, ExprKind::Number(_)),
            _ => true,
        }),
        None => false,
    }
}

struct Checker<'c> {
    ctx: &'c ExprContext,
    issues: Vec<Issue>,
}

impl Checker<'_> {
    fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    fn legacy(&self) -> bool {
        self.ctx.dialect == Dialect::Legacy
    }

    /// Syntax that works in CloudFlow (expr-lang) but is not confirmed for legacy conditions.
    fn legacy_unconfirmed(&mut self, range: TextRange, what: &str) {
        if self.legacy() {
            self.push(Issue::new(
                IssueCode::UndocumentedSyntax,
                Level::Hint,
                range,
                format!("{what} is not confirmed for legacy conditions; the documented forms are paths, literals, comparisons, `&&`, `||` and parentheses"),
            ));
        }
    }

    fn visit(&mut self, expr: &Expr, call_depth: usize) {
        match &expr.kind {
            ExprKind::Null => self.legacy_unconfirmed(expr.range, "`null`"),
            ExprKind::String(_, Quote::Single) => {
                self.legacy_unconfirmed(expr.range, "a single-quoted string")
            }
            ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::String(..) => {}
            ExprKind::Array(_) | ExprKind::Object(_) => {
                self.legacy_unconfirmed(expr.range, "an array or object literal")
            }
            ExprKind::Variable(_)
            | ExprKind::Member { .. }
            | ExprKind::Index { .. }
            | ExprKind::Wildcard { .. } => {
                self.path(expr, call_depth);
                return;
            }
            ExprKind::Ident(name) => {
                let input = input_variable(self.ctx.dialect);
                self.push(Issue::new(
                    IssueCode::UnknownVariable,
                    Level::Error,
                    expr.range,
                    format!("`{name}` is not a value: write a string `\"{name}\"` or a field `{input}.{name}`; variables start with `$`"),
                ));
            }
            ExprKind::Call { name, name_range, args } => {
                self.call(expr, name, *name_range, args, call_depth + 1);
                for a in args {
                    self.visit(a, call_depth + 1);
                }
                return;
            }
            ExprKind::Unary { op: UnaryOp::Not, op_range, .. } => self.legacy_unconfirmed(*op_range, "`!`"),
            ExprKind::Unary { op: UnaryOp::Neg, .. } => {}
            ExprKind::Binary { op, op_range, .. } => {
                if op.is_arithmetic() {
                    self.push(Issue::new(
                        IssueCode::UndocumentedSyntax,
                        Level::Hint,
                        *op_range,
                        format!(
                            "arithmetic (`{}`) is not documented for FDL expressions and may be rejected by the service{}",
                            op.as_str(),
                            if *op == super::ast::BinaryOp::Add && !self.legacy() {
                                "; `intAdd(a, b)` adds integers"
                            } else {
                                ""
                            }
                        ),
                    ));
                } else if *op == super::ast::BinaryOp::In {
                    self.legacy_unconfirmed(*op_range, "`in`");
                }
            }
        }
        for child in expr.children() {
            self.visit(child, call_depth);
        }
    }

    /// A variable with its fields and indexes.
    fn path(&mut self, expr: &Expr, call_depth: usize) {
        // Index expressions inside the path are expressions of their own.
        let mut node = expr;
        loop {
            match &node.kind {
                ExprKind::Member { base, .. } => node = base,
                ExprKind::Wildcard { base } => {
                    if !self.legacy() {
                        self.push(Issue::new(
                            IssueCode::UndocumentedSyntax,
                            Level::Hint,
                            TextRange::new(base.range.end, node.range.end),
                            "`[*]` is legacy JSONPath; CloudFlow documents only `[index]`",
                        ));
                    }
                    node = base;
                }
                ExprKind::Index { base, index } => {
                    self.visit(index, call_depth);
                    node = base;
                }
                ExprKind::Variable(_) => break,
                _ => {
                    // A path on something else, e.g. `uuid().x` or `[1, 2][0]`.
                    self.visit(node, call_depth);
                    return;
                }
            }
        }
        let Some((name, range, segments)) = expr.as_path() else { return };
        self.variable(name, range, &segments);
    }

    fn variable(&mut self, name: &str, range: TextRange, segments: &[PathSegment<'_>]) {
        let ctx = self.ctx;
        match scope::visibility(ctx, name) {
            Visibility::Visible => {}
            Visibility::OutOfScope { why, certain } => {
                let level = if certain { Level::Error } else { Level::Warning };
                self.push(Issue::new(
                    IssueCode::VariableOutOfScope,
                    level,
                    range,
                    format!("`{name}` cannot be read in {}: {why}", ctx.place.describe()),
                ));
                return;
            }
            Visibility::Unknown => {
                self.unknown_variable(name, range);
                return;
            }
        }
        // Documented fields of `$Context` (CloudFlow only: the legacy list is incomplete).
        if ctx.dialect == Dialect::CloudFlow
            && let Some(var) = scope::variable(ctx.dialect, name)
            && !var.fields.is_empty()
        {
            let mut level = var.fields;
            let mut path = name.to_string();
            for segment in segments {
                let PathSegment::Field(field, field_range) = segment else { break };
                if level.is_empty() {
                    break;
                }
                match level.iter().find(|f| f.name == *field) {
                    Some(f) => {
                        level = f.children;
                        path.push('.');
                        path.push_str(field);
                    }
                    None => {
                        let names: Vec<&str> = level.iter().map(|f| f.name).collect();
                        let mut issue = Issue::new(
                            IssueCode::UnknownVariable,
                            Level::Warning,
                            *field_range,
                            format!(
                                "`{path}` has no documented field `{field}`; its fields are {}",
                                quoted_list(&names)
                            ),
                        );
                        if let Some(s) = suggest(field, names.iter().copied()) {
                            issue.message =
                                format!("`{path}` has no documented field `{field}`: did you mean `{s}`?");
                            issue = issue.with_fix(format!("Change to `{s}`"), *field_range, s);
                        }
                        self.push(issue);
                        break;
                    }
                }
            }
        }
    }

    fn unknown_variable(&mut self, name: &str, range: TextRange) {
        let dialect = self.ctx.dialect;
        let ours: Vec<&str> = scope::variables(dialect).iter().map(|v| v.name).collect();
        let other_dialect = match dialect {
            Dialect::CloudFlow => Dialect::Legacy,
            Dialect::Legacy => Dialect::CloudFlow,
        };
        let same_ignoring_case = ours.iter().find(|v| v.eq_ignore_ascii_case(name)).copied();
        let mut message = format!("unknown variable `{name}`");
        let suggestion = same_ignoring_case.or_else(|| {
            if name == "$" && dialect == Dialect::CloudFlow {
                Some("$Input")
            } else {
                suggest(name, ours.iter().copied())
            }
        });
        if scope::variable(other_dialect, name).is_some() || name == "$" {
            let kind = match other_dialect {
                Dialect::CloudFlow => "a CloudFlow variable; legacy flows read",
                Dialect::Legacy => "legacy syntax; CloudFlow reads",
            };
            message.push_str(&format!(": `{name}` is {kind} {}", quoted_list(&ours)));
        } else {
            message.push_str(&format!(": the variables are {}", quoted_list(&ours)));
        }
        let mut issue = Issue::new(IssueCode::UnknownVariable, Level::Error, range, message);
        if let Some(s) = suggestion {
            issue.message.push_str(&format!(" (did you mean `{s}`?)"));
            issue = issue.with_fix(format!("Change to `{s}`"), range, s);
        }
        self.push(issue);
    }

    fn call(&mut self, call: &Expr, name: &str, name_range: TextRange, args: &[Expr], depth: usize) {
        if depth == MAX_CALL_DEPTH + 1 {
            self.push(Issue::new(
                IssueCode::TooDeep,
                Level::Error,
                name_range,
                format!(
                    "function calls are nested more than {MAX_CALL_DEPTH} levels deep, the documented limit"
                ),
            ));
        }
        if self.legacy() {
            self.legacy_unconfirmed(name_range, "a function call");
        }
        let Some(f) = functions::lookup(name) else {
            let mut issue = Issue::new(
                IssueCode::UnknownFunction,
                Level::Error,
                name_range,
                format!("unknown function `{name}`"),
            );
            let exact = functions::all_names().find(|n| n.eq_ignore_ascii_case(name));
            if let Some(s) = exact.or_else(|| suggest(name, functions::all_names())) {
                issue.message.push_str(&format!(": did you mean `{s}`?"));
                issue = issue.with_fix(format!("Change to `{s}`"), name_range, s);
            }
            self.push(issue);
            return;
        };
        if f.confidence == Confidence::Unconfirmed {
            self.push(Issue::new(
                IssueCode::UndocumentedSyntax,
                Level::Hint,
                name_range,
                format!("`{name}` is not confirmed by the docs; the service may not know it"),
            ));
        }
        let certain = f.confidence.signature_is_certain();
        let level = if certain { Level::Error } else { Level::Warning };
        let count = args.len();
        let too_few = count < f.min_args();
        let too_many = f.max_args().is_some_and(|m| count > m);
        if too_few || too_many {
            let expected = match f.max_args() {
                Some(m) if m == f.min_args() => format!("{m} argument{}", super::builtins::plural(m)),
                Some(m) => format!("{} to {m} arguments", f.min_args()),
                None => {
                    format!("at least {} argument{}", f.min_args(), super::builtins::plural(f.min_args()))
                }
            };
            let range = if too_many {
                let first_extra = &args[f.max_args().unwrap_or(0)];
                first_extra.range.cover(args[count - 1].range)
            } else {
                call.range
            };
            let hedge = if certain { "" } else { " (assumed signature)" };
            self.push(Issue::new(
                IssueCode::WrongArity,
                level,
                range,
                format!(
                    "`{}` takes {expected}, but {count} {} given{hedge}",
                    f.signature(name),
                    if count == 1 { "is" } else { "are" }
                ),
            ));
        }
        for (i, arg) in args.iter().enumerate() {
            let Some(param) = f.param(i) else { continue };
            let ty = infer(arg);
            if !ty.is_any() && !ty.intersects(param.ty) {
                self.push(Issue::new(
                    IssueCode::InvalidArgument,
                    level,
                    arg.range,
                    format!("`{}` of `{name}` must be {}, but this is {}", param.name, param.ty, ty),
                ));
                continue;
            }
            if let (Some(check), Some(value)) = (f.check_constant, constant(arg))
                && let Some(why) = check(i, &value, count)
            {
                // Only a fully documented function is surely wrong about a constant.
                let level =
                    if f.confidence == Confidence::Documented { Level::Error } else { Level::Warning };
                self.push(Issue::new(IssueCode::InvalidArgument, level, arg.range, why));
            }
        }
    }
}

fn quoted_list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The closest candidate, when it is close enough to be a likely typo.
pub fn suggest<'n>(name: &str, candidates: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    let lower = name.to_lowercase();
    candidates
        .map(|c| (rapidfuzz::distance::jaro_winkler::similarity(lower.chars(), c.to_lowercase().chars()), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The type an expression surely has, or `Ty::ANY` when it depends on data.
pub fn infer(expr: &Expr) -> Ty {
    use super::ast::BinaryOp as B;
    match &expr.kind {
        ExprKind::Null => Ty::NULL,
        ExprKind::Bool(_) => Ty::BOOL,
        ExprKind::Number(n) if n.is_f64() => Ty::FLOAT,
        ExprKind::Number(_) => Ty::INT,
        ExprKind::String(..) => Ty::STRING,
        ExprKind::Array(_) => Ty::ARRAY,
        ExprKind::Object(_) => Ty::OBJECT,
        ExprKind::Wildcard { .. } => Ty::ARRAY,
        ExprKind::Variable(_) | ExprKind::Ident(_) | ExprKind::Member { .. } | ExprKind::Index { .. } => {
            Ty::ANY
        }
        ExprKind::Call { name, .. } => functions::lookup(name).map_or(Ty::ANY, |f| f.returns),
        ExprKind::Unary { op: UnaryOp::Not, .. } => Ty::BOOL,
        ExprKind::Unary { op: UnaryOp::Neg, operand, .. } => {
            let t = infer(operand);
            if t.is_subset_of(Ty::NUMBER) && t != Ty::NONE { t } else { Ty::NUMBER }
        }
        ExprKind::Binary { op, lhs, rhs, .. } => match op {
            B::Or | B::And | B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge | B::In => Ty::BOOL,
            B::Add if infer(lhs) == Ty::STRING || infer(rhs) == Ty::STRING => Ty::STRING,
            B::Add => Ty::NUMBER.or(Ty::STRING),
            B::Div => Ty::FLOAT,
            B::Sub | B::Mul | B::Rem => Ty::NUMBER,
        },
    }
}

/// The value of an expression made of literals only (`["a", 1]`, `-2`).
pub fn constant(expr: &Expr) -> Option<Value> {
    match &expr.kind {
        ExprKind::Null => Some(Value::Null),
        ExprKind::Bool(b) => Some(Value::Bool(*b)),
        ExprKind::Number(n) => Some(Value::Number(n.clone())),
        ExprKind::String(s, _) => Some(Value::String(s.clone())),
        ExprKind::Array(items) => items.iter().map(constant).collect::<Option<Vec<_>>>().map(Value::Array),
        ExprKind::Object(entries) => {
            let mut map = serde_json::Map::new();
            for e in entries {
                map.insert(e.key.clone(), constant(&e.value)?);
            }
            Some(Value::Object(map))
        }
        ExprKind::Unary { op: UnaryOp::Neg, operand, .. } => match constant(operand)? {
            Value::Number(n) => match Num::of(&n) {
                Num::Int(i) => Num::Int(-i).to_value(),
                Num::Float(f) => Num::Float(-f).to_value(),
            },
            _ => None,
        },
        _ => None,
    }
}
