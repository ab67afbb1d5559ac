//! `fdl eval`: evaluates one expression against JSON data, so that a Condition or a
//! constructor value can be tried without running a flow. The value goes to stdout as one
//! line of JSON (exit 0); an error goes to stderr with its code and position, the
//! expression underlined (exit 1); unreadable data is a usage problem (exit 2).

use serde_json::{Map, Value, json};

use super::args::EvalArgs;
use super::console::{Console, Exit};
use crate::analysis::Dialect;
use crate::expr::{Env, Level, evaluate_text};
use crate::syntax::TextRange;

pub fn run(args: &EvalArgs, console: &mut Console) -> Exit {
    let dialect: Dialect = args.dialect.into();
    let mut env = Env::new(dialect, args.seed);
    let given = [
        ("--input", &args.input),
        ("--context", &args.context),
        ("--global", &args.global),
        ("--output", &args.output),
        ("--item", &args.item),
        ("--local", &args.local),
    ];
    let mut values = Vec::with_capacity(given.len());
    for (flag, text) in given {
        match text.as_deref().map(|t| read_json(flag, t)).transpose() {
            Ok(v) => values.push(v),
            Err(message) => {
                console.error_line(&message);
                return Exit::Trouble;
            }
        }
    }
    let [input, context, global, output, item, local]: [Option<Value>; 6] =
        values.try_into().unwrap_or_default();
    // `$Input` is short for `$Context.Current.Input`: each defaults to the other.
    let input = input
        .or_else(|| context.as_ref().and_then(|c| c.pointer("/Current/Input")).cloned())
        .unwrap_or_else(|| Value::Object(Map::new()));
    env.context = context.unwrap_or_else(|| match dialect {
        Dialect::CloudFlow => {
            let mut current = json!({ "Input": input.clone() });
            if let Some(o) = &output {
                current["Output"] = o.clone();
            }
            json!({ "Execution": { "Input": input.clone() }, "Current": current })
        }
        Dialect::Legacy => Value::Object(Map::new()),
    });
    env.input = input;
    env.global = global.unwrap_or_else(|| Value::Object(Map::new()));
    env.output = output;
    env.item = item;
    env.local = local.unwrap_or_else(|| Value::Object(Map::new()));

    let result = evaluate_text(&args.expression, &mut env);
    for note in &result.notes {
        let label = match note.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Hint => "hint",
        };
        report(console, &args.expression, label, note.code.as_str(), &note.message, note.range);
    }
    match result.value {
        Ok(value) => {
            console.out(&format!("{value}\n"));
            Exit::Clean
        }
        Err(e) => {
            report(console, &args.expression, "error", e.code, &e.message, e.range);
            Exit::Errors
        }
    }
}

/// JSON from the text of a flag, or from a file named after `@`.
pub(super) fn read_json(flag: &str, text: &str) -> Result<Value, String> {
    let (source, content) = match text.strip_prefix('@') {
        Some(path) => {
            let content = std::fs::read_to_string(path)
                .map_err(|e| format!("{flag} {text}: cannot read the file: {e}"))?;
            (path.to_string(), content)
        }
        None => ("the argument".to_string(), text.to_string()),
    };
    serde_json::from_str(content.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("{flag}: {source} is not valid JSON: {e}"))
}

/// `error[code]: message`, the position, and the expression with the range underlined.
fn report(console: &mut Console, expression: &str, label: &str, code: &str, message: &str, range: TextRange) {
    let start = (range.start as usize).min(expression.len());
    let before = expression.get(..start).unwrap_or("");
    let line_no = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = expression[line_start..].find('\n').map_or(expression.len(), |i| line_start + i);
    let line = &expression[line_start..line_end];
    let column = expression.get(line_start..start).map_or(0, |s| s.chars().count()) + 1;
    let end = (range.end as usize).clamp(start, line_end);
    let width = expression.get(start..end).map_or(0, |s| s.chars().count()).max(1);
    let colored = console.err_color;
    let head = if colored {
        let color = if label == "error" { "1;91" } else { "1;93" };
        format!("\x1b[{color}m{label}[{code}]\x1b[0m\x1b[1m: {message}\x1b[0m")
    } else {
        format!("{label}[{code}]: {message}")
    };
    let gutter = " ".repeat(line_no.to_string().len());
    console.err(&format!(
        "{head}\n{gutter}--> expression:{line_no}:{column}\n{gutter} |\n{line_no} | {line}\n{gutter} | {}{}\n",
        " ".repeat(column - 1),
        "^".repeat(width)
    ));
}
