//! Markdown for hovers and completion documentation. Plain strings: the language server
//! passes them on as `MarkupContent`.

use std::fmt::Write;

use super::{ApiDetail, ApiSource, Param};
use crate::integrations::{ArnTarget, TaskMode};

/// Rows of the parameters table before the rest is summarised in one line.
const MAX_ROWS: usize = 40;
/// Characters of a description shown in the table.
const MAX_DESCRIPTION: usize = 160;

/// The hover of an `Action`: the API and its product, summary, version, a parameters
/// table (required ones first) and the task modes it supports (`modes`; empty to leave the
/// line out, e.g. for legacy steps).
pub fn hover_markdown(detail: &ApiDetail, modes: &[TaskMode]) -> String {
    let mut out = format!("**{}**", detail.action());
    let product = match (detail.product, detail.product_zh) {
        (en, zh) if !zh.is_empty() && zh != en => format!("{en} ({zh})"),
        (en, _) => en.to_owned(),
    };
    let _ = write!(out, " · {product}");
    match detail.source {
        ApiSource::OpenApi if !detail.version.is_empty() => {
            let _ = write!(out, " · API version {}", detail.version);
        }
        ApiSource::OpenApi => {}
        ApiSource::Optimized => out.push_str(" · CloudFlow optimized integration"),
        ApiSource::Documented => out.push_str(" · seen in Alibaba's example flows"),
        ApiSource::LegacyTarget => out.push_str(" · legacy `resourceArn` target"),
    }
    out.push('\n');
    if detail.deprecated {
        out.push_str("\n**Deprecated.**\n");
    }
    if !detail.summary.is_empty() {
        let _ = write!(out, "\n{}\n", detail.summary.trim());
    }
    if detail.params.is_empty() {
        out.push_str("\nNo parameters.\n");
    } else {
        out.push_str("\n| Parameter | Type | Required | Description |\n|---|---|---|---|\n");
        let mut params: Vec<&Param> = detail.params.iter().collect();
        params.sort_by_key(|p| required_rank(p.required));
        for p in params.iter().take(MAX_ROWS) {
            let required = match p.required {
                Some(true) => "yes",
                Some(false) => "no",
                None => "?",
            };
            let _ = writeln!(
                out,
                "| `{}` | {} | {required} | {} |",
                p.name,
                p.type_label(),
                cell(&short_description(p))
            );
        }
        if params.len() > MAX_ROWS {
            let _ = writeln!(out, "\n…and {} more parameters.", params.len() - MAX_ROWS);
        }
    }
    if !modes.is_empty() {
        let names: Vec<String> = modes.iter().map(|m| format!("`{}`", m.as_str())).collect();
        let _ = write!(out, "\nTaskMode: {}\n", names.join(", "));
    }
    if let Some(note) = detail.note {
        let _ = write!(out, "\n{note}\n");
    }
    if let Some(doc) = detail.doc.first() {
        let _ = write!(out, "\n[Documentation]({doc})\n");
    }
    out
}

/// Completion documentation of one parameter: type, required flag, constraints and the
/// whole description.
pub fn param_markdown(p: &Param) -> String {
    let required = match p.required {
        Some(true) => "required",
        Some(false) => "optional",
        None => "required or not: not documented",
    };
    let mut out = format!("`{}`: {}, {required}", p.name, p.type_label());
    if p.deprecated {
        out.push_str(", **deprecated**");
    }
    out.push('\n');
    if !p.description.is_empty() {
        let _ = write!(out, "\n{}\n", p.description.trim());
    }
    let constraints = constraints(p);
    if !constraints.is_empty() {
        let _ = write!(out, "\n{}\n", constraints.join("; "));
    }
    if !p.fields.is_empty() {
        let fields: Vec<String> = p.fields.iter().map(|f| format!("`{}`", f.name)).collect();
        let what = if p.item_type.is_some() { "Fields of each item" } else { "Fields" };
        let _ = write!(out, "\n{what}: {}\n", fields.join(", "));
    }
    out
}

/// Required first, then undocumented, then optional.
pub(crate) fn required_rank(required: Option<bool>) -> u8 {
    match required {
        Some(true) => 0,
        None => 1,
        Some(false) => 2,
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 { format!("{}", v as i64) } else { format!("{v}") }
}

fn constraints(p: &Param) -> Vec<String> {
    let mut out = Vec::new();
    if !p.enum_values.is_empty() {
        let values: Vec<String> = p.enum_values.iter().take(12).map(|v| format!("`{v}`")).collect();
        let more = if p.enum_values.len() > 12 { ", …" } else { "" };
        out.push(format!("one of {}{more}", values.join(", ")));
    }
    match (p.minimum, p.maximum) {
        (Some(min), Some(max)) => out.push(format!("{} to {}", number(min.value), number(max.value))),
        (Some(min), None) => out.push(format!("at least {}", number(min.value))),
        (None, Some(max)) => out.push(format!("at most {}", number(max.value))),
        (None, None) => {}
    }
    if let Some(l) = &p.limits {
        match (l.min_length, l.max_length) {
            (Some(a), Some(b)) => out.push(format!("{a} to {b} characters")),
            (None, Some(b)) => out.push(format!("at most {b} characters")),
            (Some(a), None) if a > 0 => out.push(format!("at least {a} characters")),
            _ => {}
        }
        match (l.min_items, l.max_items) {
            (Some(a), Some(b)) => out.push(format!("{a} to {b} items")),
            (None, Some(b)) => out.push(format!("at most {b} items")),
            (Some(a), None) if a > 0 => out.push(format!("at least {a} items")),
            _ => {}
        }
        if let Some(pattern) = l.pattern {
            out.push(format!("pattern `{pattern}`"));
        }
    }
    if let Some(d) = p.default {
        out.push(format!("default `{d}`"));
    }
    out
}

fn short_description(p: &Param) -> String {
    let text = p.description.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut text = match text.char_indices().nth(MAX_DESCRIPTION) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text,
    };
    let constraints = constraints(p);
    if !constraints.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        let _ = write!(text, "({})", constraints.join("; "));
    }
    text
}

/// A table cell: no line breaks, no unescaped pipes.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// One-line summaries of CloudFlow's own Actions (the catalog has none for them).
pub(crate) fn optimized_summary(action: &str) -> &'static str {
    let Some((service, api)) = action.split_once(':') else { return "" };
    let key = (service.to_ascii_lowercase(), api);
    match (key.0.as_str(), key.1) {
        ("fc", "InvokeFunction") => "Invokes a Function Compute function, synchronously or asynchronously.",
        ("fnf", "StartExecution") => "Starts an execution of another workflow as a child workflow.",
        ("sms", "SendSms") => "Sends a text message with an approved signature and template.",
        ("mns", "SendMessage") => "Sends a message to a Simple Message Queue (formerly MNS) queue or topic.",
        ("eventbridge", "PutEvents") => "Publishes an event to an EventBridge event bus.",
        ("oss", "GetObject") => "Reads an object from an OSS bucket.",
        ("http", "Request") => "Sends an HTTP or HTTPS request to a publicly reachable endpoint.",
        ("dashscope", "QwenTextGeneration") => {
            "Generates text with a Qwen model on Model Studio (DashScope)."
        }
        _ => "",
    }
}

pub(crate) fn legacy_target_summary(target: &ArnTarget) -> &'static str {
    match target {
        ArnTarget::FcServiceFunction { .. } | ArnTarget::FcFunction { .. } => {
            "Invokes the function with the step's mapped input as its event."
        }
        ArnTarget::Flow { .. } => "Starts the workflow as a child flow.",
        ArnTarget::MnsQueue { .. } => "Sends a message to the queue.",
        ArnTarget::MnsTopic { .. } => "Publishes a message to the topic.",
    }
}
