//! Expandable JSON for the Variables view: each object or array shown gets a reference
//! (valid while the run stays stopped, as DAP says), its members are listed on request,
//! and the members of a paused state's `$Input` remember their place in it, so that
//! `setVariable` can rebuild the input with one value changed.

use serde_json::{Map, Value};

use super::protocol::Variable;
use crate::expr::value::preview;

/// Where a value sits in the paused state's `$Input`, if it does.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    None,
    /// A scope whose member `$Input` is the input itself.
    InputScope,
    /// The value at this path of `$Input`.
    Input(Vec<Step>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

struct Node {
    value: Value,
    /// The expression for this value (`$Input.items[0]`), when there is one.
    eval: Option<String>,
    edit: Edit,
}

#[derive(Default)]
pub struct Store {
    nodes: Vec<Node>,
}

impl Store {
    pub fn clear(&mut self) {
        self.nodes.clear();
    }

    /// A reference for a value's members (0 for a value without any).
    pub fn add(&mut self, value: Value, eval: Option<String>, edit: Edit) -> i64 {
        let expandable = match &value {
            Value::Object(m) => !m.is_empty() || edit == Edit::InputScope,
            Value::Array(a) => !a.is_empty(),
            _ => false,
        };
        if !expandable {
            return 0;
        }
        self.nodes.push(Node { value, eval, edit });
        self.nodes.len() as i64
    }

    fn node(&self, reference: i64) -> Option<&Node> {
        usize::try_from(reference).ok().and_then(|r| r.checked_sub(1)).and_then(|i| self.nodes.get(i))
    }

    /// The members of a reference (`start`/`count` page through arrays).
    pub fn members(
        &mut self,
        reference: i64,
        start: Option<usize>,
        count: Option<usize>,
    ) -> Result<Vec<Variable>, String> {
        let node = self.node(reference).ok_or("no such variable (the run has moved on)")?;
        let (value, eval, edit) = (node.value.clone(), node.eval.clone(), node.edit.clone());
        let members: Vec<(String, Step, Value)> = match value {
            Value::Object(map) => map.into_iter().map(|(k, v)| (k.clone(), Step::Key(k), v)).collect(),
            Value::Array(items) => {
                let start = start.unwrap_or(0);
                let count = count.unwrap_or(usize::MAX);
                items
                    .into_iter()
                    .enumerate()
                    .skip(start)
                    .take(count)
                    .map(|(i, v)| (i.to_string(), Step::Index(i), v))
                    .collect()
            }
            _ => Vec::new(),
        };
        Ok(members
            .into_iter()
            .map(|(name, step, value)| {
                let child_eval = match (&eval, &edit) {
                    (Some(base), _) => Some(format!("{base}{}", accessor(&step))),
                    // The members of a scope name themselves: `$Input`, `$Context`.
                    (None, Edit::InputScope) if name.starts_with('$') => Some(name.clone()),
                    _ => None,
                };
                let child_edit = match (&edit, &step) {
                    (Edit::InputScope, Step::Key(k)) if k == "$Input" => Edit::Input(Vec::new()),
                    (Edit::Input(path), _) => Edit::Input([path.clone(), vec![step.clone()]].concat()),
                    _ => Edit::None,
                };
                self.variable(name, value, child_eval, child_edit)
            })
            .collect())
    }

    /// A value as a variable, with a reference for its members.
    pub fn variable(&mut self, name: String, value: Value, eval: Option<String>, edit: Edit) -> Variable {
        let (named, indexed) = match &value {
            Value::Object(m) => (Some(m.len()), None),
            Value::Array(a) => (None, Some(a.len())),
            _ => (None, None),
        };
        let text = shown(&value);
        let kind = kind(&value);
        let reference = self.add(value, eval.clone(), edit);
        Variable {
            name,
            value: text,
            kind,
            variables_reference: reference,
            named_variables: named,
            indexed_variables: indexed,
            evaluate_name: eval,
        }
    }

    /// Where a member of `reference` named `name` sits in `$Input`.
    pub fn input_path(&self, reference: i64, name: &str) -> Result<Vec<Step>, String> {
        let node = self.node(reference).ok_or("no such variable (the run has moved on)")?;
        let step = match &node.value {
            Value::Array(_) => Step::Index(name.parse().map_err(|_| format!("`{name}` is no index"))?),
            _ => Step::Key(name.to_string()),
        };
        match (&node.edit, step) {
            (Edit::InputScope, Step::Key(k)) if k == "$Input" => Ok(Vec::new()),
            (Edit::Input(path), step) => Ok([path.clone(), vec![step]].concat()),
            _ => Err("only the paused state's `$Input` can be changed".into()),
        }
    }

    /// After `$Input` changed: every node inside it shows the new value.
    pub fn input_changed(&mut self, input: &Value) {
        for node in &mut self.nodes {
            match &node.edit {
                Edit::Input(path) => {
                    if let Some(v) = get(input, path) {
                        node.value = v.clone();
                    }
                }
                Edit::InputScope => {
                    if let Value::Object(scope) = &mut node.value {
                        scope.insert("$Input".into(), input.clone());
                    }
                }
                Edit::None => {}
            }
        }
    }
}

/// How a value shows on one line: scalars as JSON, containers as a short preview.
pub fn shown(value: &Value) -> String {
    match value {
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        _ => preview(value, 120),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `.key`, `["odd key"]` or `[3]`.
fn accessor(step: &Step) -> String {
    match step {
        Step::Index(i) => format!("[{i}]"),
        Step::Key(k) if is_identifier(k) => format!(".{k}"),
        Step::Key(k) => format!("[{}]", Value::String(k.clone())),
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

pub fn get<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

/// `root` with the value at `path` replaced (or added, for a new key of an object).
pub fn set(root: &Value, path: &[Step], new: Value) -> Result<Value, String> {
    let Some((first, rest)) = path.split_first() else { return Ok(new) };
    match (root, first) {
        (Value::Object(map), Step::Key(k)) => {
            let child = map.get(k).cloned().unwrap_or(Value::Null);
            let mut map: Map<String, Value> = map.clone();
            map.insert(k.clone(), set(&child, rest, new)?);
            Ok(Value::Object(map))
        }
        (Value::Array(items), Step::Index(i)) if *i < items.len() => {
            let mut items = items.clone();
            items[*i] = set(&items[*i], rest, new)?;
            Ok(Value::Array(items))
        }
        _ => Err("that value is no longer there".into()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn members_expand_with_expressions_and_input_places() {
        let mut store = Store::default();
        let scope = json!({"$Input": {"items": [{"odd key": 1}], "n": 2}, "Parameters": {"a": true}});
        let r = store.add(scope, None, Edit::InputScope);
        let show = |vars: &[Variable]| {
            vars.iter()
                .map(|v| {
                    format!(
                        "{}={} {} ref={} eval={:?}",
                        v.name, v.value, v.kind, v.variables_reference, v.evaluate_name
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let top = store.members(r, None, None).unwrap();
        let input = store.members(top[0].variables_reference, None, None).unwrap();
        let items = store.members(input[0].variables_reference, None, None).unwrap();
        let item = store.members(items[0].variables_reference, None, None).unwrap();
        let params = store.members(top[1].variables_reference, None, None).unwrap();
        expect_test::expect![[r#"
            $Input={"items":[{"odd key":1}],"n":2} object ref=2 eval=Some("$Input")
            Parameters={"a":true} object ref=3 eval=None
            items=[{"odd key":1}] array ref=4 eval=Some("$Input.items")
            n=2 number ref=0 eval=Some("$Input.n")
            0={"odd key":1} object ref=5 eval=Some("$Input.items[0]")
            odd key=1 number ref=0 eval=Some("$Input.items[0][\"odd key\"]")
            a=true boolean ref=0 eval=None"#]]
        .assert_eq(&[show(&top), show(&input), show(&items), show(&item), show(&params)].join("\n"));
        assert_eq!(
            store.input_path(5, "odd key").unwrap(),
            [Step::Key("items".into()), Step::Index(0), Step::Key("odd key".into())]
        );
        assert_eq!(store.input_path(1, "$Input").unwrap(), []);
        assert!(store.input_path(3, "a").unwrap_err().contains("only the paused state's `$Input`"));
        let input = json!({"items": [{"odd key": 1}], "n": 2});
        let changed = set(&input, &store.input_path(5, "odd key").unwrap(), json!("x")).unwrap();
        assert_eq!(changed, json!({"items": [{"odd key": "x"}], "n": 2}));
        store.input_changed(&changed);
        assert_eq!(store.members(5, None, None).unwrap()[0].value, "\"x\"");
        assert_eq!(store.members(4, Some(1), Some(5)).unwrap(), []);
        assert!(store.members(99, None, None).is_err());
    }
}
