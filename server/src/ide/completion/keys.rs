//! Keys allowed in the mapping being typed in, with what to insert for each.

use fdl_schema::Dialect;
use fdl_schema::spec::{self, FieldSpec, ObjectSpec, ValueType};

use super::catalog::{parameter_keys, parameters_owner};
use super::snippets::{rule_snippets, state_snippets};
use super::{CompletionItem, CompletionKind};
use crate::analysis::model::Flow;
use crate::ide::Document;
use crate::ide::cursor::{Owner, owner_object};
use crate::syntax::TextRange;

/// Column of the start of the line holding `offset` up to the key: the indentation that
/// nested lines of an inserted snippet need.
pub(super) fn key_column(doc: &Document, prefix: TextRange) -> usize {
    let line_start = doc.text.line_start(doc.text.line_of(prefix.start));
    doc.text.slice(TextRange::new(line_start, prefix.start)).chars().count()
}

pub(super) fn key_completions(
    flow: &Flow<'_>,
    doc: &Document,
    owner: Owner<'_>,
    prefix: TextRange,
) -> Vec<CompletionItem> {
    let dialect = flow.dialect();
    if let Some(state) = parameters_owner(flow, owner) {
        return parameter_keys(flow, state, owner, prefix);
    }
    let Some(object) = owner_object(flow, owner) else { return Vec::new() };
    let present: Vec<&str> = match owner.node() {
        Some(m) => flow
            .entries(m)
            .iter()
            .filter(|e| !e.key.range().contains_inclusive(prefix.start))
            .filter_map(|e| e.key.scalar())
            .collect(),
        None => Vec::new(),
    };
    let column = key_column(doc, prefix);
    let indent = " ".repeat(column);
    let mut items = Vec::new();
    let is_union = object.name == spec::state_union(dialect).name;
    if is_union {
        items.extend(state_snippets(dialect, &indent, prefix));
    }
    let fields = if is_union { union_fields(dialect) } else { object.fields.iter().collect() };
    for (rank, field) in fields.into_iter().enumerate() {
        if field.deprecated || present.contains(&field.name.as_str()) {
            continue;
        }
        let (insert, snippet) = key_insert(dialect, field, &indent);
        let mut item = CompletionItem::new(field.name.clone(), CompletionKind::Key, insert, prefix)
            .detail(describe_type(&field.ty, field.required))
            .doc(field.description.clone())
            .sort(if field.required { rank } else { 100 + rank });
        item.snippet = snippet;
        items.push(item);
    }
    items.extend(rule_snippets(dialect, object, &present, &indent, prefix));
    items
}

/// The keys every state has, for an item whose type is not known yet.
pub(super) fn union_fields(dialect: Dialect) -> Vec<&'static FieldSpec> {
    let tag = spec::state_tag(dialect);
    let name = match dialect {
        Dialect::CloudFlow => "Name",
        Dialect::Legacy => "name",
    };
    let first = spec::state_types(dialect).first().and_then(|t| spec::state_object(dialect, t));
    first.map(|o| o.fields.iter().filter(|f| f.name == tag || f.name == name).collect()).unwrap_or_default()
}

/// What to insert for a key: `key: ` for scalars, a choice for enums, a block for objects.
pub(super) fn key_insert(dialect: Dialect, field: &FieldSpec, indent: &str) -> (String, bool) {
    let name = &field.name;
    let inner = format!("{indent}  ");
    match &field.ty {
        ValueType::Enum(values) if values.len() > 1 => {
            let choices: Vec<String> = values.iter().map(|v| v.replace([',', '|'], "")).collect();
            (format!("{name}: ${{1|{}|}}", choices.join(",")), true)
        }
        ValueType::Boolean if name == "End" || name == "end" => (format!("{name}: true"), false),
        ValueType::Boolean => (format!("{name}: ${{1|true,false|}}"), true),
        ValueType::Object(_) | ValueType::Map => (format!("{name}:\n{inner}$0"), true),
        ValueType::Array { items, .. } => match &**items {
            ValueType::Object(object) => {
                let body = spec::object(dialect, object)
                    .map(|o| required_body(o, &format!("{inner}  ")))
                    .unwrap_or_default();
                (format!("{name}:\n{inner}- {}", body.trim_start()), true)
            }
            _ => (format!("{name}:\n{inner}- $0"), true),
        },
        _ => (format!("{name}: "), false),
    }
}

/// `key: ${n}` lines for the required keys of an object, with numbered tab stops.
pub(super) fn required_body(object: &ObjectSpec, indent: &str) -> String {
    let mut out = String::new();
    let fields = object.fields.iter().filter(|f| f.required || f.name == "Description");
    for (stop, f) in (1..).zip(fields) {
        let value = match &f.ty {
            ValueType::Array { .. } => format!("[${{{stop}}}]"),
            ValueType::Enum(v) if !v.is_empty() => format!("${{{stop}:{}}}", v[0]),
            _ => format!("${{{stop}}}"),
        };
        out.push_str(&format!("{indent}{}: {value}\n", f.name));
    }
    out.trim_end().to_string()
}

pub(super) fn describe_type(ty: &ValueType, required: bool) -> String {
    let t = match ty {
        ValueType::String => "string".to_string(),
        ValueType::Integer { min, max } => match (min, max) {
            (Some(a), Some(b)) => format!("integer {a}..{b}"),
            _ => "integer".to_string(),
        },
        ValueType::Number { .. } => "number".to_string(),
        ValueType::Boolean => "boolean".to_string(),
        ValueType::Enum(v) => v.join(" | "),
        ValueType::Array { .. } => "list".to_string(),
        ValueType::Object(name) => name.clone(),
        ValueType::Map => "mapping".to_string(),
        ValueType::Any => "any".to_string(),
        ValueType::OneOf(o) => o.iter().map(|t| describe_type(t, false)).collect::<Vec<_>>().join(" or "),
    };
    if required { format!("{t} (required)") } else { t }
}
