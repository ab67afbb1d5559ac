//! The diagnostics of expression sites: syntax and the expression checks of `expr`
//! mapped into the document, `.$` values that are not expressions, and literal values
//! that look like expressions but lack the `.$`.

use fdl_schema::Dialect;

use super::sites::{Site, SiteKind, sites_within};
use crate::analysis::context::Ctx;
use crate::analysis::{Code, Diagnostic, Fix, Severity};
use crate::expr::check::{self as expr_check, Issue, IssueCode, Level};
use crate::expr::{ExprContext, Place, functions, parser};
use crate::syntax::scalar_map::ScalarMap;
use crate::syntax::{Node, NodeKind, SourceText, TextRange};

/// Reports the problems of every expression of the flow.
pub(crate) fn check(cx: &mut Ctx<'_, '_>) {
    let flow = cx.flow;
    for site in sites_within(flow, cx.fresh_states()) {
        match site.kind {
            SiteKind::Expression => check_expression(cx, &site),
            SiteKind::Literal => check_literal(cx, &site),
        }
    }
}

/// Removes the `.$` of a key (a fix for values that are not expressions).
fn drop_dollar_fix(text: &SourceText, key: Node<'_>) -> Option<Fix> {
    let k = key.scalar()?;
    let base = k.strip_suffix(".$")?;
    let range = key.value_range();
    let raw = text.slice(range);
    let replacement = if raw == k { base.to_string() } else { raw.replacen(".$", "", 1) };
    Some(Fix { title: format!("Remove `.$`: use `{base}` as a constant"), edits: vec![(range, replacement)] })
}

fn check_expression(cx: &mut Ctx<'_, '_>, site: &Site<'_>) {
    let node = site.node;
    if node.alias().is_some() || node.tag().is_some_and(|(t, _)| !t.starts_with("!!")) {
        return;
    }
    let dialect = cx.dialect;
    if node.kind() != NodeKind::Scalar {
        if cx.deploy_time(node) {
            return;
        }
        if site.dollar_key && matches!(node.kind(), NodeKind::Mapping | NodeKind::Sequence) {
            let mut d = Diagnostic::warning(
                Code::NotAnExpression,
                node.value_range(),
                "a `.$` key takes an expression string; what a mapping or list under it means is undocumented (write the key without `.$` and use `.$` on the leaves)",
            );
            d.fixes.extend(site.key.and_then(|k| drop_dollar_fix(cx.text, k)));
            cx.push(d);
        }
        return;
    }
    let Some(value) = node.scalar() else { return };
    if placeholder_outside_strings(cx, value) {
        return;
    }
    let range = node.value_range();
    if dialect == Dialect::CloudFlow && site.dollar_key {
        let non_string = node.is_plain_scalar() && (node.is_null() || plain_non_string(value));
        if non_string || value.trim().is_empty() {
            let what = if value.trim().is_empty() || node.is_null() {
                "nothing".to_string()
            } else {
                format!("the constant `{value}`")
            };
            let mut d = Diagnostic::error(
                Code::NotAnExpression,
                if range.is_empty() { site.key.map_or(range, |k| k.range()) } else { range },
                format!("a key ending in `.$` takes an expression, but its value is {what}"),
            );
            if !value.trim().is_empty() {
                d.fixes.extend(site.key.and_then(|k| drop_dollar_fix(cx.text, k)));
            }
            cx.push(d);
            return;
        }
    }
    if value.trim().is_empty() {
        if site.place == Place::Condition || site.place == Place::ItemsPath {
            cx.push(Diagnostic::error(Code::ExpressionSyntax, range, "the expression is empty"));
        }
        return;
    }
    let Some(map) = ScalarMap::new(node, cx.text) else { return };
    let ctx = ExprContext::new(dialect, site.place);
    let issues = match parser::parse(value) {
        Ok(expr) => expr_check::check(&expr, &ctx),
        Err(e) => {
            let looks_literal =
                dialect == Dialect::CloudFlow && site.dollar_key && !value.contains(['$', '(']);
            if looks_literal {
                let mut d = Diagnostic::error(
                    Code::NotAnExpression,
                    range,
                    format!(
                        "`{value}` is not an expression: a `.$` value reads variables (`$Input.x`), calls functions or is a quoted literal"
                    ),
                );
                d.fixes.extend(site.key.and_then(|k| drop_dollar_fix(cx.text, k)));
                cx.push(d);
                return;
            }
            vec![Issue {
                code: IssueCode::ExpressionSyntax,
                level: Level::Error,
                range: e.range,
                message: e.message,
                fix: None,
            }]
        }
    };
    for issue in issues {
        cx.push(to_diagnostic(&issue, &map));
    }
}

/// Whether a deploy-time placeholder stands in the expression itself rather than in one
/// of its string literals (`$Input.n > ${vars.limit}` against `$Input.s == "${vars.s}"`):
/// the expression is then only known after deployment.
fn placeholder_outside_strings(cx: &Ctx<'_, '_>, value: &str) -> bool {
    let placeholders = cx.placeholders_in(value);
    if placeholders.is_empty() {
        return false;
    }
    let (tokens, _) = crate::expr::lexer::lex(value);
    placeholders.iter().any(|p| {
        !tokens.iter().any(|t| {
            matches!(t.kind, crate::expr::lexer::TokenKind::String(_)) && t.range.contains_range(p.range)
        })
    })
}

/// Converts an expression issue to a document diagnostic.
pub fn to_diagnostic(issue: &Issue, map: &ScalarMap) -> Diagnostic {
    let severity = match issue.level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Hint => Severity::Hint,
    };
    let mut d = Diagnostic::new(
        code_of(issue.code),
        severity,
        map.range_to_document(issue.range),
        issue.message.clone(),
    );
    if let Some(fix) = &issue.fix
        && map.is_exact()
    {
        d.fixes.push(Fix {
            title: fix.title.clone(),
            edits: vec![(map.range_to_document(fix.range), fix.replacement.clone())],
        });
    }
    d
}

pub fn code_of(code: IssueCode) -> Code {
    match code {
        IssueCode::ExpressionSyntax => Code::ExpressionSyntax,
        IssueCode::UnknownVariable => Code::UnknownVariable,
        IssueCode::VariableOutOfScope => Code::VariableOutOfScope,
        IssueCode::UnknownFunction => Code::UnknownFunction,
        IssueCode::WrongArity => Code::WrongArity,
        IssueCode::InvalidArgument => Code::InvalidArgument,
        IssueCode::TooDeep => Code::TooDeep,
        IssueCode::NotAnExpression => Code::NotAnExpression,
        IssueCode::UndocumentedSyntax => Code::UndocumentedSyntax,
    }
}

/// A plain scalar YAML reads as a number or a boolean (YAML 1.2 core schema).
fn plain_non_string(value: &str) -> bool {
    let v = value.trim();
    matches!(v, "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | ".inf" | "-.inf" | ".nan")
        || v.parse::<f64>().is_ok_and(|_| v.bytes().any(|b| b.is_ascii_digit()))
        || v.strip_prefix("0x").is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

const CLOUDFLOW_ROOTS: &[&str] = &["$Input", "$Output", "$Context", "$Global", "$Item"];

/// Whether a literal value is most likely meant as an expression: it reads a CloudFlow
/// variable or calls a built-in, and parses. Text such as `${ALIUID}` or `$100` is not.
pub fn looks_like_expression(value: &str) -> bool {
    let v = value.trim();
    let reads_variable = CLOUDFLOW_ROOTS.iter().any(|root| {
        v.strip_prefix(root)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| ".[ =!<>&|".contains(c)))
    });
    let calls_builtin = v.find('(').is_some_and(|i| functions::lookup(&v[..i]).is_some()) && v.ends_with(')');
    (reads_variable || calls_builtin) && parser::parse(v).is_ok()
}

fn check_literal(cx: &mut Ctx<'_, '_>, site: &Site<'_>) {
    let node = site.node;
    let (Some(value), Some(key)) = (node.scalar(), site.key) else { return };
    if node.tag().is_some() || !looks_like_expression(value) {
        return;
    }
    let Some(k) = key.scalar() else { return };
    let key_range = key.value_range();
    // Inside the quotes of a quoted key, after the last character of a plain one.
    let insert_at = if key.is_plain_scalar() { key_range.end } else { key_range.end.saturating_sub(1) };
    let d = Diagnostic::warning(
        Code::MissingDollarKey,
        node.value_range(),
        format!("this looks like an expression, but `{k}` has no `.$`, so the text is used as it is; write `{k}.$` to evaluate it"),
    )
    .with_fix(format!("Rename the key to `{k}.$`"), TextRange::empty(insert_at), ".$");
    cx.push(d);
}
