//! Tree to canonical text: one space around binary operators, none elsewhere, and
//! parentheses only where precedence needs them. Parsing the output gives the same tree
//! (a property test checks it), so quick-fixes and the CLI can print expressions safely.

use super::ast::{Expr, ExprKind};
use super::lexer::{Quote, is_ident_char, is_ident_start};

pub fn print(expr: &Expr) -> String {
    let mut out = String::new();
    write(expr, &mut out);
    out
}

/// Binding power of a node as an operand: postfix and atoms bind tightest.
fn strength(expr: &Expr) -> u8 {
    match &expr.kind {
        ExprKind::Binary { op, .. } => op.precedence(),
        ExprKind::Unary { .. } => 6,
        _ => 7,
    }
}

fn write_operand(expr: &Expr, need: u8, out: &mut String) {
    if strength(expr) < need {
        out.push('(');
        write(expr, out);
        out.push(')');
    } else {
        write(expr, out);
    }
}

fn write(expr: &Expr, out: &mut String) {
    match &expr.kind {
        ExprKind::Null => out.push_str("null"),
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Number(n) => out.push_str(&n.to_string()),
        ExprKind::String(s, q) => write_string(s, *q, out),
        ExprKind::Variable(v) | ExprKind::Ident(v) => out.push_str(v),
        ExprKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, out);
            }
            out.push(']');
        }
        ExprKind::Object(entries) => {
            out.push('{');
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match e.quote {
                    Some(q) => write_string(&e.key, q, out),
                    None if is_name(&e.key) => out.push_str(&e.key),
                    // A key built by hand that is no identifier needs quotes to read back.
                    None => write_string(&e.key, Quote::Double, out),
                }
                out.push_str(": ");
                write(&e.value, out);
            }
            out.push('}');
        }
        ExprKind::Member { base, name, .. } => {
            write_operand(base, 7, out);
            out.push('.');
            out.push_str(name);
        }
        ExprKind::Index { base, index } => {
            write_operand(base, 7, out);
            out.push('[');
            write(index, out);
            out.push(']');
        }
        ExprKind::Wildcard { base } => {
            write_operand(base, 7, out);
            out.push_str("[*]");
        }
        ExprKind::Call { name, args, .. } => {
            out.push_str(name);
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(a, out);
            }
            out.push(')');
        }
        ExprKind::Unary { op, operand, .. } => {
            out.push_str(op.as_str());
            write_operand(operand, 6, out);
        }
        ExprKind::Binary { op, lhs, rhs, .. } => {
            let p = op.precedence();
            // Left-associative: an equal-precedence operand on the right needs parentheses.
            write_operand(lhs, p, out);
            out.push(' ');
            out.push_str(op.as_str());
            out.push(' ');
            write_operand(rhs, p + 1, out);
        }
    }
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_ident_start) && chars.all(is_ident_char)
}

/// A string literal in the given quotes. A back-quoted string has no escapes, so one that
/// contains a back-quote is written in double quotes instead.
fn write_string(s: &str, quote: Quote, out: &mut String) {
    let quote = if quote == Quote::Back && s.contains('`') { Quote::Double } else { quote };
    let q = quote.char();
    out.push(q);
    if quote == Quote::Back {
        out.push_str(s);
    } else {
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c == q => {
                    out.push('\\');
                    out.push(c);
                }
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
    }
    out.push(q);
}
