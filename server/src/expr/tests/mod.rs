//! Tests of the expression language: evaluation tables per operator and per built-in
//! (with the docs' own examples), parser and checker fixtures, and properties (round
//! trip, totality). The editor features on expressions are tested in `ide::expressions`.
//!
//! One module per topic; each feature's fixtures go through one helper (`eval_table` here,
//! shared by `builtins` and `evaluation`; `syntax` in `parser`; `issues` in `checks`).

mod builtins;
mod checks;
mod evaluation;
mod parser;
pub(crate) mod properties;

use expect_test::Expect;
use fdl_schema::Dialect;
use serde_json::json;

use super::eval::{Env, evaluate_text};

fn env(dialect: Dialect) -> Env {
    let mut env = Env::new(dialect, Some(42));
    env.input = json!({
        "status": "ready", "n": 3, "f": 2.5, "list": [1, 2, 3], "obj": {"a": 1, "b": [10, 20]},
        "name": "视频", "flag": true, "nothing": null,
        "orders": [{"id": 1, "parts": [1, 2]}, {"id": 2, "parts": [3]}, {"other": 0}]
    });
    env.context = json!({"Execution": {"Name": "exec-1", "Input": {"videoUrl": "u"}}, "Current": {"Name": "S", "Input": {}}});
    env.global = json!({"count": 7});
    env.output = Some(json!({"Body": {"x": "y"}}));
    env.item = Some(json!({"k": 1}));
    env.local = json!({"items": [{"name": "a"}, {"name": "b"}], "error": "E", "cause": "C"});
    env
}

/// Evaluates each case and renders `expression => value` or `expression => error[code] @range: message`.
fn eval_table(dialect: Dialect, cases: &[&str], expect: Expect) {
    let mut out = String::new();
    for case in cases {
        let mut env = env(dialect);
        let result = evaluate_text(case, &mut env);
        match result.value {
            Ok(v) => out.push_str(&format!("{case} => {v}\n")),
            Err(e) => out.push_str(&format!(
                "{case} => error[{}] {:?} {:?}: {}\n",
                e.code,
                e.range,
                case.get(e.range.as_usize()).unwrap_or(""),
                e.message
            )),
        }
    }
    expect.assert_eq(&out);
}
