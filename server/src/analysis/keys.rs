//! Key and value checks driven by the schema types of `fdl-schema`: unknown and missing
//! keys, value types, enums, obsolete keys and the limits the schema states.

use fdl_schema::Dialect;
use fdl_schema::spec::{self, FieldSpec, ObjectSpec, ValueType};

use super::context::Ctx;
use super::names::did_you_mean;
use super::{Code, Diagnostic};
use crate::syntax::scalar::{parse_bool, parse_int};
use crate::syntax::{Entry, Node, NodeKind};

/// Keys the schema leaves optional because the docs disagree, but that a careful author
/// should write: reported as warnings.
const RECOMMENDED: &[(&str, &str, &str)] = &[
    (
        "RetryRule",
        "Description",
        "the docs since December 2024 require it on every Retry rule (older versions did not)",
    ),
    (
        "CatchRule",
        "Description",
        "the docs since December 2024 require it on every Catch rule (older versions did not)",
    ),
    (
        "FailState",
        "Detail",
        "the field table requires this human-readable message, though Alibaba's own example omits it",
    ),
];

/// Keys the schema requires (as the current docs do) but that the service is not known to
/// insist on: their absence is reported as a warning that says why. Severity follows
/// evidence (README, "Severity by evidence").
const REQUIRED_ON_PAPER: &[(&str, &str, &str)] = &[
    (
        "RetryRule",
        "MaxAttempts",
        "the docs require it, but no published example shows what the service does without it (the legacy dialect defaults to 3 attempts)",
    ),
    (
        "RetryRule",
        "IntervalSeconds",
        "the docs require it, but no published example shows what the service does without it (the legacy dialect defaults to 1 second)",
    ),
    (
        "WaitState",
        "Seconds",
        "the docs require `Seconds` or `Seconds.$` since December 2024 (earlier versions did not); what a Wait without them does is undocumented",
    ),
];

/// The keys that hold a list of states in each dialect: checked state by state.
pub(crate) fn is_state_list(cx: &Ctx<'_, '_>, key: &str) -> bool {
    key == cx.flow.list_key()
}

/// Checks a mapping against an object of the schema. `label` names it in messages
/// ("Task state", "Retry rule").
pub(crate) fn check_object<'a>(cx: &mut Ctx<'_, 'a>, node: Node<'a>, object: &ObjectSpec, label: &str) {
    let node = cx.resolve(node);
    if node.kind() != NodeKind::Mapping {
        if node.kind() != NodeKind::Error {
            cx.push(Diagnostic::error(
                Code::InvalidType,
                node.value_range(),
                format!("expected a mapping of keys for the {label}, found {}", describe(node)),
            ));
        }
        return;
    }
    let entries = cx.entries(node);
    for e in node.entries() {
        let Some(key) = e.key.scalar() else { continue };
        if key == "<<" {
            continue;
        }
        match find_field(cx.dialect, object, key) {
            Some((field, dynamic)) => {
                if field.deprecated {
                    obsolete(cx, e.key, field, label);
                }
                if !dynamic {
                    check_field_value(cx, e.value, field, label);
                }
            }
            None if !object.closed => {}
            None => unknown_key(cx, e.key, key, object, label, &entries),
        }
    }
    let present = |name: &str| {
        entries
            .iter()
            .any(|e| e.key.scalar().is_some_and(|k| k == name || k.strip_suffix(".$") == Some(name)))
    };
    let on_paper = |key: &str| REQUIRED_ON_PAPER.iter().any(|(o, n, _)| *o == object.name && *n == key);
    for field in object.fields.iter().filter(|f| f.required && !present(&f.name) && !on_paper(&f.name)) {
        cx.push(Diagnostic::error(
            Code::MissingKey,
            anchor_of(cx, node),
            format!(
                "the {label} needs `{}`: {}",
                field.name,
                lowercase_first(first_sentence(&field.description))
            ),
        ));
    }
    let recommended = RECOMMENDED.iter().chain(REQUIRED_ON_PAPER);
    for (_, name, why) in recommended.filter(|(o, n, _)| *o == object.name && !present(n)) {
        cx.push(Diagnostic::warning(
            Code::MissingKey,
            anchor_of(cx, node),
            format!("the {label} should have `{name}`: {why}"),
        ));
    }
    for group in &object.alternatives {
        // Next/End get their own, more specific diagnostics in graph.rs.
        if group.keys.iter().any(|k| k == "Next" || k == "End") {
            continue;
        }
        let given: Vec<&Entry<'a>> = entries
            .iter()
            .filter(|e| e.key.scalar().is_some_and(|k| group.keys.iter().any(|g| g == k)))
            .collect();
        let names = group.keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" or ");
        if given.is_empty() && !group.keys.iter().any(|k| on_paper(k)) {
            cx.push(Diagnostic::error(
                Code::MissingKey,
                anchor_of(cx, node),
                format!("the {label} needs {names}"),
            ));
        } else if group.exclusive && given.len() > 1 {
            for e in &given[1..] {
                cx.push(Diagnostic::error(
                    Code::ConflictingKeys,
                    e.key.range(),
                    format!("the {label} takes only one of {names}"),
                ));
            }
        }
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Where to report something about a whole object: its `Name` (states are known by it),
/// else its first key.
pub(crate) fn anchor_of(cx: &Ctx<'_, '_>, node: Node<'_>) -> crate::syntax::TextRange {
    if let Some(e) = node.get(cx.flow.name_key()).filter(|e| !e.value.is_missing()) {
        return e.value.value_range();
    }
    node.entries().next().map_or(node.range(), |e| e.key.range())
}

fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

/// The field for `key`, and whether the key is its `.$` (expression) form.
fn find_field<'s>(dialect: Dialect, object: &'s ObjectSpec, key: &str) -> Option<(&'s FieldSpec, bool)> {
    if let Some(f) = object.fields.iter().find(|f| f.name == key) {
        return Some((f, false));
    }
    if dialect == Dialect::CloudFlow
        && let Some(base) = key.strip_suffix(".$")
    {
        return object.fields.iter().find(|f| f.name == base).map(|f| (f, true));
    }
    None
}

fn obsolete(cx: &mut Ctx<'_, '_>, key: Node<'_>, field: &FieldSpec, label: &str) {
    let name = &field.name;
    let mut d = Diagnostic::warning(
        Code::ObsoleteKey,
        key.range(),
        match &field.replaced_by {
            Some(new) => format!("`{name}` is obsolete in the {label}: use `{new}`"),
            None => format!("`{name}` is obsolete in the {label}"),
        },
    );
    if let Some(new) = &field.replaced_by
        && !new.contains(['/', ' '])
    {
        d = d.with_fix(format!("Rename to `{new}`"), key.range(), new.clone());
    }
    cx.push(d);
}

fn unknown_key(
    cx: &mut Ctx<'_, '_>,
    key_node: Node<'_>,
    key: &str,
    object: &ObjectSpec,
    label: &str,
    present: &[Entry<'_>],
) {
    let candidates: Vec<&str> = object
        .fields
        .iter()
        .filter(|f| !f.deprecated)
        .map(|f| f.name.as_str())
        .filter(|n| !present.iter().any(|e| e.key.scalar() == Some(n)))
        .collect();
    let suggestion = did_you_mean(key, candidates.iter().copied());
    let mut message = format!("unknown key `{key}` in the {label}");
    let other = match cx.dialect {
        Dialect::CloudFlow => Dialect::Legacy,
        Dialect::Legacy => Dialect::CloudFlow,
    };
    match suggestion {
        Some(s) => message.push_str(&format!(": did you mean `{s}`?")),
        None if spec::objects(other).iter().any(|o| o.fields.iter().any(|f| f.name == key)) => {
            let which = match other {
                Dialect::Legacy => "the legacy Serverless Workflow dialect (steps)",
                Dialect::CloudFlow => "the CloudFlow dialect (States)",
            };
            message.push_str(&format!(": `{key}` belongs to {which}"));
        }
        None => {
            let mut known: Vec<&str> = candidates.clone();
            known.truncate(12);
            if !known.is_empty() {
                message.push_str(&format!("; allowed here: {}", known.join(", ")));
            }
        }
    }
    // The service is not known to reject keys it does not document (Alibaba's own flows
    // write `End` on Succeed states, which has none): a warning, whose did-you-mean catches
    // the typo that leaves the intended key missing.
    let mut d = Diagnostic::warning(Code::UnknownKey, key_node.range(), message);
    if let Some(s) = suggestion {
        d = d.with_fix(format!("Replace with `{s}`"), key_node.range(), s);
    }
    cx.push(d);
}

pub(crate) fn describe(node: Node<'_>) -> String {
    match node.kind() {
        NodeKind::Mapping => "a mapping".to_string(),
        NodeKind::Sequence => "a list".to_string(),
        NodeKind::Alias => "an alias".to_string(),
        NodeKind::Error => "unparseable text".to_string(),
        NodeKind::Scalar if node.is_missing() => "nothing".to_string(),
        NodeKind::Scalar => match node.scalar() {
            Some(s) if node.is_plain_scalar() && parse_int(s).is_some() => format!("the number {s}"),
            Some(s) if node.is_plain_scalar() && parse_bool(s).is_some() => format!("the boolean {s}"),
            Some(s) if node.is_null() => format!("null (`{s}`)"),
            Some(s) => format!("the text `{}`", truncate(s, 40)),
            None => "a value".to_string(),
        },
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// Checks a value against its field type, reporting the first problem found.
fn check_field_value<'a>(cx: &mut Ctx<'_, 'a>, value: Node<'a>, field: &FieldSpec, label: &str) {
    if is_state_list(cx, &field.name) {
        super::states::check_state_list(cx, value, label);
        return;
    }
    let what = What { field: &field.name, label };
    check_value(cx, value, &field.ty, &what);
}

fn check_value<'a>(cx: &mut Ctx<'_, 'a>, value: Node<'a>, ty: &ValueType, what: &What<'_>) {
    // Deploy-time values (`${vars.x}`, `{{ name }}`, `!Ref …`) and aliases are not ours
    // to judge.
    if value.alias().is_some()
        || value.tag().is_some_and(|(t, _)| !t.starts_with("!!"))
        || cx.deploy_time(value)
    {
        return;
    }
    if let Some(problem) = mismatch(cx, value, ty, what) {
        cx.push(problem);
    }
}

fn mismatch<'a>(
    cx: &mut Ctx<'_, 'a>,
    value: Node<'a>,
    ty: &ValueType,
    what: &What<'_>,
) -> Option<Diagnostic> {
    let range = value.value_range();
    let plain = value.scalar().filter(|_| value.is_plain_scalar());
    let invalid_type = |expected: &str| {
        Some(Diagnostic::error(
            Code::InvalidType,
            range,
            format!("{what} must be {expected}, found {}", describe(value)),
        ))
    };
    match ty {
        ValueType::Any => None,
        ValueType::Map => match cx.resolve(value).kind() {
            NodeKind::Mapping => None,
            _ => invalid_type("a mapping"),
        },
        ValueType::String => match value.kind() {
            NodeKind::Scalar if !value.is_missing() => None,
            _ => invalid_type("a string"),
        },
        ValueType::Boolean => match plain.and_then(parse_bool) {
            Some(_) => None,
            None => invalid_type("`true` or `false`"),
        },
        ValueType::Integer { min, max } => {
            let Some(n) = plain.and_then(parse_int) else { return invalid_type("an integer") };
            range_check(n as f64, min.map(|m| m as f64), max.map(|m| m as f64), range, what)
        }
        ValueType::Number { min, max } => {
            let Some(n) = plain.and_then(|s| s.trim().parse::<f64>().ok()) else {
                return invalid_type("a number");
            };
            range_check(n, *min, *max, range, what)
        }
        ValueType::Enum(values) => {
            let Some(s) = value.scalar().filter(|_| !value.is_missing()) else {
                return invalid_type(&format!("one of {}", list(values)));
            };
            if values.iter().any(|v| v == s) {
                return None;
            }
            let suggestion = did_you_mean(s, values.iter().map(String::as_str));
            let mut message = format!("{what} cannot be `{s}`: expected one of {}", list(values));
            if let Some(sug) = suggestion {
                message = format!(
                    "{what} cannot be `{s}`: did you mean `{sug}`? (expected one of {})",
                    list(values)
                );
            }
            let mut d = Diagnostic::error(Code::InvalidValue, range, message);
            if let Some(sug) = suggestion {
                d = d.with_fix(format!("Replace with `{sug}`"), range, sug);
            }
            Some(d)
        }
        ValueType::Array { items, max_items } => {
            if value.kind() != NodeKind::Sequence {
                return invalid_type("a list");
            }
            let count = value.items().len() as u64;
            for item in value.items() {
                check_value(cx, item, items, what);
            }
            match max_items {
                Some(max) if count > *max => Some(Diagnostic::error(
                    Code::OutOfRange,
                    range,
                    format!("{what} has {count} items; the service allows at most {max}"),
                )),
                _ => None,
            }
        }
        ValueType::Object(name) => {
            if let Some(object) = spec::object(cx.dialect, name) {
                check_object(cx, value, object, object_label(object));
            }
            None
        }
        ValueType::OneOf(options) => {
            // Any scalar is a string, so try the more specific alternatives first: `30` must
            // meet the integer's range even where a string is also allowed.
            let specific = options.iter().filter(|t| !matches!(t, ValueType::String | ValueType::Any));
            let general = options.iter().filter(|t| matches!(t, ValueType::String | ValueType::Any));
            if let Some(t) = specific.chain(general).find(|t| accepts(cx, value, t)) {
                mismatch(cx, value, t, what)
            } else {
                let names: Vec<String> = options.iter().map(type_name).collect();
                invalid_type(&names.join(" or "))
            }
        }
    }
}

/// Whether a value has the right shape for a type (ignoring ranges and object contents).
fn accepts(cx: &Ctx<'_, '_>, value: Node<'_>, ty: &ValueType) -> bool {
    let plain = value.scalar().filter(|_| value.is_plain_scalar());
    match ty {
        ValueType::Any => true,
        ValueType::String => value.kind() == NodeKind::Scalar && !value.is_missing(),
        ValueType::Boolean => plain.and_then(parse_bool).is_some(),
        ValueType::Integer { .. } => plain.and_then(parse_int).is_some(),
        ValueType::Number { .. } => plain.and_then(|s| s.trim().parse::<f64>().ok()).is_some(),
        ValueType::Enum(values) => value.scalar().is_some_and(|s| values.iter().any(|v| v == s)),
        ValueType::Array { .. } => value.kind() == NodeKind::Sequence,
        ValueType::Object(_) | ValueType::Map => cx.resolve(value).kind() == NodeKind::Mapping,
        ValueType::OneOf(options) => options.iter().any(|t| accepts(cx, value, t)),
    }
}

fn type_name(ty: &ValueType) -> String {
    match ty {
        ValueType::String => "a string".into(),
        ValueType::Integer { .. } => "an integer".into(),
        ValueType::Number { .. } => "a number".into(),
        ValueType::Boolean => "a boolean".into(),
        ValueType::Enum(v) => format!("one of {}", list(v)),
        ValueType::Array { .. } => "a list".into(),
        ValueType::Object(_) | ValueType::Map => "a mapping".into(),
        ValueType::Any => "any value".into(),
        ValueType::OneOf(o) => o.iter().map(type_name).collect::<Vec<_>>().join(" or "),
    }
}

fn list(values: &[String]) -> String {
    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}

fn range_check(
    n: f64,
    min: Option<f64>,
    max: Option<f64>,
    range: crate::syntax::TextRange,
    what: &What<'_>,
) -> Option<Diagnostic> {
    let low = min.is_some_and(|m| n < m);
    let high = max.is_some_and(|m| n > m);
    if !low && !high {
        return None;
    }
    let bounds = match (min, max) {
        (Some(a), Some(b)) => format!("between {a} and {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => unreachable!(),
    };
    Some(Diagnostic::error(Code::OutOfRange, range, format!("{what} is {n}; the service allows {bounds}")))
}

/// "Task state", "Retry rule": a readable name for an object of the schema.
pub(crate) fn object_label(object: &ObjectSpec) -> &str {
    if !object.title.is_empty() { &object.title } else { &object.name }
}

/// Names a value in messages ("`Seconds` of the Wait state"), formatted only when a
/// message is actually written.
pub(crate) struct What<'s> {
    field: &'s str,
    label: &'s str,
}

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` of the {}", self.field, self.label)
    }
}
