//! Deploy-time placeholders in a dry run (`${vars.region}`, `${ALIYUN::Region}`,
//! `{{ name }}`, `<suffix>`): a deployment tool fills them in before the service sees the
//! flow, so the dry run takes their values from `fdl run --vars FILE`, or leaves them as
//! their text and says so.
//!
//! A vars file is a mapping; a placeholder is looked up by what it says as written
//! (`${vars.region}`) or by what is inside it (`vars.region`, `ALIYUN::Region`, `name`,
//! `suffix`):
//!
//! ```yaml
//! vars.region: cn-hangzhou
//! ALIYUN::TenantId: "123456789012"
//! suffix: dev
//! ```

use serde_json::{Map, Value};

use crate::templates::placeholder::{self, Placeholder};
use crate::templates::{Syntaxes, Tool};

/// The values given for placeholders (none by default).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeployVars {
    values: Map<String, Value>,
}

impl DeployVars {
    /// From a parsed vars file: a mapping of placeholders to values.
    pub fn from_value(value: Value) -> Result<DeployVars, String> {
        match value {
            Value::Object(values) => Ok(DeployVars { values }),
            Value::Null => Ok(DeployVars::default()),
            other => Err(format!(
                "a vars file is a mapping of placeholders to values (`vars.region: cn-hangzhou`), not {}",
                crate::expr::value::describe(&other)
            )),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn lookup(&self, written: &str) -> Option<&Value> {
        if let Some(v) = self.values.get(written) {
            return Some(v);
        }
        let inner = written
            .strip_prefix("${")
            .or_else(|| written.strip_prefix("%{"))
            .and_then(|s| s.strip_suffix('}'))
            .or_else(|| written.strip_prefix("{{").and_then(|s| s.strip_suffix("}}")))
            .or_else(|| written.strip_prefix('<').and_then(|s| s.strip_suffix('>')))
            .unwrap_or(written)
            .trim();
        self.values.get(inner)
    }

    /// A string value with its placeholders filled in. A string that is exactly one
    /// placeholder becomes the value as given (a number stays a number); placeholders
    /// without a value stay as they are written and are added to `left`.
    pub fn fill_string(&self, text: &str, syntaxes: &Syntaxes, left: &mut Vec<String>) -> Value {
        let found = placeholder::find(text, syntaxes);
        if found.is_empty() {
            return Value::String(text.to_string());
        }
        if let [only] = found.as_slice()
            && only.range.start == 0
            && only.range.end as usize == text.len()
        {
            return match self.lookup(text) {
                Some(v) => v.clone(),
                None => {
                    left.push(text.to_string());
                    Value::String(text.to_string())
                }
            };
        }
        Value::String(self.replace(text, &found, left, |v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }))
    }

    /// An expression's source with its placeholders filled in: inside a string literal as
    /// the value's text, elsewhere as the value in JSON (`${vars.limit}` → `100`).
    pub fn fill_expression(&self, source: &str, syntaxes: &Syntaxes, left: &mut Vec<String>) -> String {
        let found = placeholder::find(source, syntaxes);
        if found.is_empty() {
            return source.to_string();
        }
        let (tokens, _) = crate::expr::lexer::lex(source);
        let in_string = |p: &Placeholder| {
            tokens.iter().any(|t| {
                matches!(t.kind, crate::expr::lexer::TokenKind::String(_)) && t.range.contains_range(p.range)
            })
        };
        let mut out = String::with_capacity(source.len());
        let mut at = 0;
        for p in &found {
            let r = p.range.as_usize();
            out.push_str(&source[at..r.start]);
            let written = &source[r.clone()];
            match self.lookup(written) {
                Some(Value::String(s)) if in_string(p) => out.push_str(&escape_for_literal(s)),
                Some(v) if in_string(p) => out.push_str(&escape_for_literal(&v.to_string())),
                Some(v) => out.push_str(&v.to_string()),
                None => {
                    left.push(written.to_string());
                    out.push_str(written);
                }
            }
            at = r.end;
        }
        out.push_str(&source[at..]);
        out
    }

    fn replace(
        &self,
        text: &str,
        found: &[Placeholder],
        left: &mut Vec<String>,
        render: impl Fn(&Value) -> String,
    ) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for p in found {
            let r = p.range.as_usize();
            out.push_str(&text[at..r.start]);
            let written = &text[r.clone()];
            match self.lookup(written) {
                Some(v) => out.push_str(&render(v)),
                None => {
                    left.push(written.to_string());
                    out.push_str(written);
                }
            }
            at = r.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// Reads a vars file (YAML or JSON); errors carry their line and column.
pub fn read(text: &str) -> Result<DeployVars, Vec<super::FileError>> {
    let source = crate::syntax::SourceText::new(text);
    let tree = crate::syntax::SyntaxTree::parse(&source);
    let (reader, errors) = super::reader::open(&source, &tree);
    if !errors.is_empty() {
        return Err(errors);
    }
    let value = reader.map_or(Value::Null, |r| r.json(r.root()));
    DeployVars::from_value(value).map_err(|message| {
        vec![super::FileError { line: 1, column: 1, range: crate::syntax::TextRange::empty(0), message }]
    })
}

/// Text put inside a double- or back-quoted expression literal: quotes and backslashes
/// escaped (a back-quoted literal keeps backslashes, and has no way to hold a back quote,
/// which is then left as is).
fn escape_for_literal(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// What the dry run says about a placeholder left as its text.
pub fn unfilled_message(written: &str) -> String {
    let tool = placeholder::find(written, &Syntaxes::ALL).first().map(|p| p.tool).unwrap_or(Tool::Ros);
    format!(
        "`{written}` is filled in at deployment (by {}) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`{}: ...`)",
        placeholder::substituted_by(tool),
        key_for(written)
    )
}

/// The key a vars file would use for a placeholder.
fn key_for(written: &str) -> String {
    let inner = written
        .strip_prefix("${")
        .and_then(|s| s.strip_suffix('}'))
        .or_else(|| written.strip_prefix("{{").and_then(|s| s.strip_suffix("}}")))
        .or_else(|| written.strip_prefix('<').and_then(|s| s.strip_suffix('>')))
        .unwrap_or(written)
        .trim();
    if inner.contains(':') || inner.contains(['{', '}', '[', ']', '#']) {
        format!("\"{inner}\"")
    } else {
        inner.to_string()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_by_placeholder_or_by_what_is_inside() {
        let vars = DeployVars::from_value(json!({
            "vars.region": "cn-hangzhou",
            "${vars.limit}": 100,
            "ALIYUN::TenantId": "123",
            "suffix": "dev",
            "name": "订单"
        }))
        .unwrap();
        let all = Syntaxes::ALL;
        let mut left = Vec::new();
        assert_eq!(vars.fill_string("${vars.limit}", &all, &mut left), json!(100));
        assert_eq!(
            vars.fill_string(
                "acs:fc:${vars.region}:${ALIYUN::TenantId}:functions/f-<suffix>",
                &all,
                &mut left
            ),
            json!("acs:fc:cn-hangzhou:123:functions/f-dev")
        );
        assert_eq!(vars.fill_string("{{ name }}-flow", &all, &mut left), json!("订单-flow"));
        assert_eq!(vars.fill_string("${vars.missing}-x", &all, &mut left), json!("${vars.missing}-x"));
        assert_eq!(left, ["${vars.missing}"]);
        let mut left = Vec::new();
        assert_eq!(
            vars.fill_expression(
                "$Input.n > ${vars.limit} && $Input.r == \"${vars.region}\"",
                &all,
                &mut left
            ),
            "$Input.n > 100 && $Input.r == \"cn-hangzhou\""
        );
        assert!(left.is_empty());
        assert!(DeployVars::from_value(json!([1])).is_err());
        assert!(unfilled_message("${ALIYUN::Region}").contains("`\"ALIYUN::Region\": ...`"));
    }
}
