//! A Task's call checked against the API catalog: CloudFlow `Action: Service:Api` with its
//! `Parameters`, legacy `action: service:Api` or `resourceArn` with its `serviceParams`.
//!
//! The catalog is a snapshot and lags the services, so severities follow how sure a
//! finding is (README, "Diagnostic codes"):
//! - a name that is one typo away from a known one (or differs only in case, for API
//!   names, which are case-sensitive) is an error with a fix;
//! - a name the catalog does not know otherwise is a warning: it may be newer than the
//!   snapshot (Alibaba's own flows call `DashScope:QwenTextGeneration`, which no
//!   integration page lists);
//! - missing required parameters and wrong constant values are errors when CloudFlow's
//!   docs define the parameters (optimized integrations, legacy `resourceArn` targets),
//!   warnings when they come from the OpenAPI snapshot;
//! - unknown parameters are always warnings.
//!
//! Parameter names are matched as the OpenAPI defines them, flattened names such as
//! `SystemDisk.Size` included; `key.$` (CloudFlow) supplies `key` through an expression,
//! and a legacy value starting with `$` is a path, so neither has its value checked.
//!
//! The `pub fn`s at the end serve the editor (completion and hover); they take the typed
//! model and return plain data.

use fdl_schema::Dialect;
use fdl_schema::catalog::{self, ActionLookup, ApiDetail, ApiSource, Param};
use fdl_schema::integrations::{self, ParamType};

use super::arn::{ArnReading, read_arn};
use super::context::{Ctx, whole_lines};
use super::model::{Flow, State};
use super::names::did_you_mean;
use super::{Code, Diagnostic, Severity};
use crate::syntax::{Entry, Node, NodeKind, ScalarStyle, TextRange};
use crate::templates::Syntaxes;
use crate::templates::placeholder;

/// Shortest service name for which one edit counts as a typo (`ECSS` may be anything).
const SERVICE_TYPO_MIN_LEN: usize = 5;
/// Shortest API name for which one edit counts as a typo.
const API_TYPO_MIN_LEN: usize = 6;

/// What a Task calls, as read from its keys.
enum Call<'a> {
    /// `Action` / `action`: `Service:Api`.
    Action { service: &'a str, api: &'a str, lookup: ActionLookup },
    /// A legacy `resourceArn` that names a function, flow, queue or topic.
    Resource(ApiDetail),
}

struct TaskCall<'a> {
    call: Call<'a>,
    /// The scalar that names the call (the `Action`, `action` or `resourceArn` value).
    named_by: Node<'a>,
    /// The `Parameters` / `serviceParams` entry.
    params: Option<Entry<'a>>,
}

fn params_key(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::CloudFlow => "Parameters",
        Dialect::Legacy => "serviceParams",
    }
}

fn is_task(flow: &Flow<'_>, state: &State<'_, '_>) -> bool {
    matches!(
        (flow.dialect(), state.ty().map(|(t, _)| t)),
        (Dialect::CloudFlow, Some("Task")) | (Dialect::Legacy, Some("task"))
    )
}

/// Reads what a Task calls. `None` for other states and for calls other rules reject
/// (a malformed `Action`, an invalid `resourceArn`, a tagged value).
fn task_call<'a>(flow: &Flow<'a>, state: &State<'_, 'a>, syntaxes: &Syntaxes) -> Option<TaskCall<'a>> {
    if !is_task(flow, state) {
        return None;
    }
    let dialect = flow.dialect();
    let params = state.get(params_key(dialect));
    let action_key = if dialect == Dialect::CloudFlow { "Action" } else { "action" };
    if let Some((action, node)) = state.get_str(action_key) {
        if node.tag().is_some() || action.contains("::") || !placeholder::find(action, syntaxes).is_empty() {
            return None;
        }
        let (service, api) = integrations::split_action(action)?;
        let lookup = catalog::lookup_action(dialect, service, api);
        return Some(TaskCall { call: Call::Action { service, api, lookup }, named_by: node, params });
    }
    if dialect == Dialect::Legacy
        && let Some((arn, node)) = state.get_str("resourceArn")
        && node.tag().is_none()
    {
        let ArnReading::Target(target) = read_arn(arn, syntaxes) else { return None };
        return Some(TaskCall {
            call: Call::Resource(catalog::legacy_target_api(&target)),
            named_by: node,
            params,
        });
    }
    None
}

pub(crate) fn check(cx: &mut Ctx<'_, '_>) {
    let flow = cx.flow;
    for state in flow.states_within(cx.fresh_states()) {
        let Some(call) = task_call(flow, &state, &cx.placeholders) else { continue };
        match call.call {
            Call::Action { service, api, lookup } => match lookup {
                ActionLookup::Found { detail, params_apply } => {
                    if params_apply {
                        check_params(cx, &detail, call.named_by, call.params);
                    }
                }
                ActionLookup::UnknownApi { service: known, other_version } => {
                    unknown_api(cx, call.named_by, service, api, known, other_version)
                }
                ActionLookup::UnknownService => unknown_service(cx, call.named_by, service),
                ActionLookup::NoApiData { .. } => {}
            },
            Call::Resource(detail) => check_params(cx, &detail, call.named_by, call.params),
        }
    }
}

/// The range of `part` (a slice of the scalar `value` of `node`) in the source, when the
/// scalar is written as is; else the whole value.
fn part_range(cx: &Ctx<'_, '_>, node: Node<'_>, value: &str, part: &str) -> TextRange {
    let whole = node.value_range();
    let offset = (part.as_ptr() as usize).checked_sub(value.as_ptr() as usize);
    let Some(offset) = offset.filter(|o| o + part.len() <= value.len()) else { return whole };
    let raw = cx.text.slice(whole);
    match raw.find(value) {
        Some(at) => {
            let start = whole.start + (at + offset) as u32;
            TextRange::new(start, start + part.len() as u32)
        }
        None => whole,
    }
}

/// A candidate that is almost certainly what was meant: the same name in other letter
/// case, or the only name one edit away from a name of at least `min_len` characters.
fn near_miss<'c>(word: &str, candidates: &[&'c str], min_len: usize) -> Option<&'c str> {
    if let Some(c) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(c);
    }
    if word.chars().count() < min_len {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let mut found = None;
    for c in candidates {
        if c.len().abs_diff(word.len()) > 1 {
            continue;
        }
        if rapidfuzz::distance::damerau_levenshtein::distance(lower.chars(), c.to_ascii_lowercase().chars())
            == 1
        {
            if found.is_some() {
                return None;
            }
            found = Some(*c);
        }
    }
    found
}

fn unknown_service(cx: &mut Ctx<'_, '_>, node: Node<'_>, service: &str) {
    let Some(value) = node.scalar() else { return };
    let range = part_range(cx, node, value, service);
    let names = catalog::service_names(cx.dialect);
    let d = if let Some(near) = near_miss(service, &names, SERVICE_TYPO_MIN_LEN) {
        Diagnostic::error(
            Code::UnknownService,
            range,
            format!("unknown service `{service}`: did you mean `{near}`?"),
        )
        .with_fix(format!("Replace with `{near}`"), range, near)
    } else {
        let mut message = format!(
            "`{service}` is not a service in the API catalog (snapshot of {}); if it is newer, \
             this warning can be ignored",
            catalog::SNAPSHOT
        );
        let suggestion = did_you_mean(service, names.iter().copied());
        if let Some(s) = suggestion {
            message.push_str(&format!("; did you mean `{s}`?"));
        }
        let mut d = Diagnostic::warning(Code::UnknownService, range, message);
        if let Some(s) = suggestion {
            d = d.with_fix(format!("Replace with `{s}`"), range, s);
        }
        d
    };
    cx.push(d);
}

fn unknown_api(
    cx: &mut Ctx<'_, '_>,
    node: Node<'_>,
    service: &str,
    api: &str,
    known: catalog::ServiceRef,
    other_version: Option<&str>,
) {
    let Some(value) = node.scalar() else { return };
    let range = part_range(cx, node, value, api);
    let names = catalog::api_names(cx.dialect, service);
    let d = if let Some(near) = near_miss(api, &names, API_TYPO_MIN_LEN) {
        let why = if near.eq_ignore_ascii_case(api) { " (API names are case-sensitive)" } else { "" };
        Diagnostic::error(
            Code::UnknownApi,
            range,
            format!("`{}` has no API `{api}`: did you mean `{near}`?{why}", known.code),
        )
        .with_fix(format!("Replace with `{near}`"), range, near)
    } else if let Some(version) = other_version {
        Diagnostic::warning(
            Code::UnknownApi,
            range,
            format!(
                "`{}` has `{api}` only in API version {version}; the catalog describes the version \
                 CloudFlow is assumed to call, which does not have it",
                known.code
            ),
        )
    } else {
        let mut message = format!(
            "`{}` ({}) has no API `{api}` in the catalog (snapshot of {}); if it is newer, this \
             warning can be ignored",
            known.code,
            known.name,
            catalog::SNAPSHOT
        );
        let suggestion = did_you_mean(api, names.iter().copied());
        if let Some(s) = suggestion {
            message.push_str(&format!("; did you mean `{s}`?"));
        }
        let mut d = Diagnostic::warning(Code::UnknownApi, range, message);
        if let Some(s) = suggestion {
            d = d.with_fix(format!("Replace with `{s}`"), range, s);
        }
        d
    };
    cx.push(d);
}

/// What messages call the API: `Ecs:DescribeInstances`, or for a legacy `resourceArn`,
/// "an MNS queue target".
fn subject(detail: &ApiDetail) -> String {
    match detail.source {
        ApiSource::LegacyTarget => format!("{} target", article(detail.product)),
        _ => format!("`{}`", detail.action()),
    }
}

/// Whether the parameters come from CloudFlow's own docs rather than the OpenAPI snapshot.
fn documented(detail: &ApiDetail) -> bool {
    detail.source != ApiSource::OpenApi
}

fn check_params<'a>(cx: &mut Ctx<'_, 'a>, detail: &ApiDetail, named_by: Node<'a>, params: Option<Entry<'a>>) {
    let severity = if documented(detail) { Severity::Error } else { Severity::Warning };
    let mapping = params.map(|e| cx.resolve(e.value));
    let entries = match mapping {
        Some(m) if m.kind() == NodeKind::Mapping => cx.entries(m),
        // `Parameters:` with nothing yet counts as empty.
        Some(m) if m.is_null() => Vec::new(),
        // A computed or malformed value: the schema rules report what is wrong with it.
        Some(_) => return,
        None => Vec::new(),
    };
    let mut present: Vec<&str> = Vec::with_capacity(entries.len());
    for e in &entries {
        let Some(raw) = e.key.scalar() else { continue };
        let (name, computed) = split_key(cx.dialect, raw);
        present.push(name);
        match detail.param(name) {
            None => unknown_param(cx, detail, e, raw, name),
            Some(p) if !computed => check_value(cx, detail, p, cx.resolve(e.value), severity),
            Some(_) => {}
        }
    }
    let absent: Vec<&Param> = detail
        .params
        .iter()
        .filter(|p| p.required == Some(true) && !present.iter().any(|n| p.matches(n)))
        .collect();
    // Required on paper but omitted by Alibaba's own templates: a warning that says so.
    for p in absent.iter().filter(|p| p.omitted_in_practice.is_some()) {
        let why = p.omitted_in_practice.unwrap_or_default();
        let range = params.map_or(named_by.value_range(), |e| e.key.range());
        let mut d = Diagnostic::warning(
            Code::MissingParameter,
            range,
            format!("{} should have `{}`: {why}", subject(detail), p.name),
        );
        if let Some((at, text)) = mapping.and_then(|m| insertion(cx, m, &entries, &[*p])) {
            d = d.with_fix(format!("Add `{}`", p.name), TextRange::empty(at), text);
        }
        cx.push(d);
    }
    let missing: Vec<&Param> = absent.into_iter().filter(|p| p.omitted_in_practice.is_none()).collect();
    if missing.is_empty() {
        return;
    }
    let names: Vec<String> = missing.iter().map(|p| format!("`{}`", p.name)).collect();
    let (what, verb, it) =
        if missing.len() == 1 { ("parameter", "is", "it") } else { ("parameters", "are", "them") };
    let source = if documented(detail) { "" } else { " (per the API catalog)" };
    let hint = match cx.dialect {
        Dialect::CloudFlow => format!("; a `name.$` key may compute {it} from an expression"),
        Dialect::Legacy => String::new(),
    };
    let message = format!(
        "{} requires {what} {}{source}, which {verb} missing{hint}",
        subject(detail),
        names.join(", ")
    );
    let range = match params {
        Some(e) => e.key.range(),
        None => named_by.value_range(),
    };
    let mut d = Diagnostic::new(Code::MissingParameter, severity, range, message);
    if let Some((at, text)) = mapping.and_then(|m| insertion(cx, m, &entries, &missing)) {
        let title = if missing.len() == 1 {
            format!("Add `{}`", missing[0].name)
        } else {
            format!("Add the {} missing parameters", missing.len())
        };
        d = d.with_fix(title, TextRange::empty(at), text);
    }
    cx.push(d);
}

/// `RegionId.$` names `RegionId` with a computed value (CloudFlow only).
fn split_key(dialect: Dialect, key: &str) -> (&str, bool) {
    match key.strip_suffix(".$") {
        Some(name) if dialect == Dialect::CloudFlow => (name, true),
        _ => (key, false),
    }
}

/// Where and what to insert to add `missing` to a block mapping that has entries: new
/// lines after its last entry, at the same indentation.
fn insertion(
    cx: &Ctx<'_, '_>,
    mapping: Node<'_>,
    entries: &[Entry<'_>],
    missing: &[&Param],
) -> Option<(u32, String)> {
    if mapping.is_flow() {
        return None;
    }
    let first = entries.first()?;
    let last = entries
        .iter()
        .filter(|e| mapping.range().contains_range(e.key.range()))
        .max_by_key(|e| e.key.range().start)?;
    let line = cx.text.line_of(first.key.range().start);
    let indent = first.key.range().start - cx.text.line_start(line);
    let line_text = cx.text.slice(cx.text.line_range(line));
    let prefix: String = line_text.chars().take(indent as usize).collect();
    if !prefix.chars().all(|c| c == ' ') {
        return None; // the first key follows `- ` or similar: leave it to the user
    }
    let end = whole_lines(cx.text, last.key.range().cover(last.value.range())).end;
    let lines: Vec<String> = missing.iter().map(|p| format!("{prefix}{}: ", p.name)).collect();
    // A mapping that ends the file may have no line break after its last entry.
    let ends_line = cx.text.slice(TextRange::new(end.saturating_sub(1), end)).ends_with(['\n', '\r']);
    let text = if ends_line { format!("{}\n", lines.join("\n")) } else { format!("\n{}", lines.join("\n")) };
    Some((end, text))
}

fn unknown_param(cx: &mut Ctx<'_, '_>, detail: &ApiDetail, e: &Entry<'_>, raw: &str, name: &str) {
    let range = e.key.range();
    let mut message = format!("`{name}` is not a parameter of {}", subject(detail));
    if !documented(detail) {
        message.push_str(&format!(" in the API catalog (snapshot of {})", catalog::SNAPSHOT));
    }
    let names: Vec<&str> = detail.params.iter().map(|p| p.name).filter(|n| !n.ends_with('*')).collect();
    let suggestion = did_you_mean(name, names.iter().copied());
    // Hints from the data: a list parameter written in its wire form, or the flattened
    // names of an object written as a nested mapping.
    let head = name.split('.').next().unwrap_or(name);
    let list = detail.param(head).filter(|p| p.ty == ParamType::Array && head != name);
    let flattened: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.strip_prefix(name).is_some_and(|rest| rest.starts_with('.')))
        .collect();
    if let Some(s) = suggestion {
        message.push_str(&format!(": did you mean `{s}`?"));
    } else if let Some(list) = list {
        message
            .push_str(&format!(": `{}` is a list parameter; write `{}:` with a list", list.name, list.name));
    } else if !flattened.is_empty() {
        let shown: Vec<String> = flattened.iter().take(3).map(|n| format!("`{n}`")).collect();
        let more = if flattened.len() > 3 { ", ..." } else { "" };
        message.push_str(&format!(": the API takes flattened names such as {}{more}", shown.join(", ")));
    }
    let mut d = Diagnostic::warning(Code::UnknownParameter, range, message);
    if let Some(s) = suggestion
        && e.key.is_plain_scalar()
    {
        let replacement = format!("{s}{}", &raw[name.len()..]);
        d = d.with_fix(format!("Replace with `{replacement}`"), range, replacement);
    }
    cx.push(d);
}

/// What a YAML value is, for messages.
fn describe(node: Node<'_>) -> String {
    match node.kind() {
        NodeKind::Mapping => "a mapping".to_owned(),
        NodeKind::Sequence => "a list".to_owned(),
        _ => match node.scalar() {
            Some(s) => format!("`{s}`"),
            None => "this value".to_owned(),
        },
    }
}

fn parse_int(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse::<f64>().ok())
        .flatten()
}

fn parse_number(text: &str) -> Option<f64> {
    parse_int(text).or_else(|| text.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
}

fn is_bool(node: Node<'_>, text: &str) -> bool {
    match node.scalar_style() {
        Some(ScalarStyle::Plain) => matches!(text, "true" | "True" | "TRUE" | "false" | "False" | "FALSE"),
        _ => text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false"),
    }
}

/// Checks a constant value against the parameter's type, listed values and bounds.
fn check_value(cx: &mut Ctx<'_, '_>, detail: &ApiDetail, p: &Param, value: Node<'_>, severity: Severity) {
    if value.tag().is_some()
        || value.is_null()
        || value.kind() == NodeKind::Error
        || value.kind() == NodeKind::Alias
        || cx.deploy_time(value)
    {
        return;
    }
    let scalar = value.scalar();
    // Legacy serviceParams values starting with `$` are paths into the step's input; in
    // CloudFlow such a value under a key without `.$` is a forgotten `.$`, which the
    // expression rules report (`missing-dollar-key`) better than a type mismatch would.
    if scalar.is_some_and(|s| s.trim_start().starts_with('$')) {
        return;
    }
    let range = value.value_range();
    let label = p.type_label();
    let push = |cx: &mut Ctx<'_, '_>, message: String| {
        cx.push(Diagnostic::new(Code::InvalidParameterValue, severity, range, message));
    };
    let structured = |s: &str, open: char| s.trim_start().starts_with(open);
    let type_ok = match (p.ty, scalar) {
        (ParamType::Any, _) => true,
        (ParamType::String, Some(_)) => true,
        (ParamType::String, None) => p.style == "json",
        (ParamType::Integer, Some(s)) => parse_int(s).is_some(),
        (ParamType::Number, Some(s)) => parse_number(s).is_some(),
        (ParamType::Boolean, Some(s)) => is_bool(value, s),
        (ParamType::Array, Some(s)) => structured(s, '['),
        (ParamType::Array, None) => value.kind() == NodeKind::Sequence,
        (ParamType::Object, Some(s)) => structured(s, '{'),
        (ParamType::Object, None) => value.kind() == NodeKind::Mapping,
        (ParamType::Integer | ParamType::Number | ParamType::Boolean, None) => false,
    };
    if !type_ok {
        push(
            cx,
            format!("`{}` of {} takes {}, not {}", p.name, subject(detail), article(&label), describe(value)),
        );
        return;
    }
    if let Some(s) = scalar {
        if !p.accepts_value(s) {
            let values: Vec<String> = p.enum_values.iter().take(12).map(|v| format!("`{v}`")).collect();
            let more = if p.enum_values.len() > 12 { ", ..." } else { "" };
            let mut d = Diagnostic::new(
                Code::InvalidParameterValue,
                severity,
                range,
                format!("`{s}` is not a value of `{}`: expected one of {}{more}", p.name, values.join(", ")),
            );
            if let Some(fix) = p
                .enum_values
                .iter()
                .find(|v| v.eq_ignore_ascii_case(s))
                .copied()
                .or_else(|| did_you_mean(s, p.enum_values.iter().copied()))
                && value.is_plain_scalar()
            {
                d = d.with_fix(format!("Replace with `{fix}`"), range, fix);
            }
            cx.push(d);
            return;
        }
        if matches!(p.ty, ParamType::Integer | ParamType::Number)
            && let Some(n) = parse_number(s)
            && let Some(why) = out_of_bounds(p, n)
        {
            push(cx, format!("`{}` must be {why}, not {s}", p.name));
            return;
        }
        if p.ty == ParamType::String
            && let Some(l) = &p.limits
        {
            let len = s.chars().count() as u64;
            if let Some(max) = l.max_length.filter(|m| len > *m) {
                push(cx, format!("`{}` takes at most {max} characters, this value has {len}", p.name));
            } else if let Some(min) = l.min_length.filter(|m| len < *m) {
                push(cx, format!("`{}` takes at least {min} characters, this value has {len}", p.name));
            }
        }
    } else if value.kind() == NodeKind::Sequence
        && let Some(l) = &p.limits
    {
        let n = value.items().count() as u64;
        if let Some(max) = l.max_items.filter(|m| n > *m) {
            push(cx, format!("`{}` takes at most {max} items, this list has {n}", p.name));
        } else if let Some(min) = l.min_items.filter(|m| n < *m) {
            push(cx, format!("`{}` takes at least {min} items, this list has {n}", p.name));
        }
    }
}

fn article(label: &str) -> String {
    let word = label.split_whitespace().next().unwrap_or_default();
    // Acronyms are read letter by letter: "an MNS queue", "a FC function".
    let acronym = word.len() > 1 && word.chars().all(|c| c.is_ascii_uppercase());
    let an = if acronym {
        word.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X'])
    } else {
        word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U'])
    };
    format!("{} {label}", if an { "an" } else { "a" })
}

fn fmt_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 { format!("{}", v as i64) } else { format!("{v}") }
}

fn out_of_bounds(p: &Param, n: f64) -> Option<String> {
    let below = p.minimum.is_some_and(|b| if b.exclusive { n <= b.value } else { n < b.value });
    let above = p.maximum.is_some_and(|b| if b.exclusive { n >= b.value } else { n > b.value });
    if !below && !above {
        return None;
    }
    Some(match (p.minimum, p.maximum) {
        (Some(min), Some(max)) => format!("between {} and {}", fmt_number(min.value), fmt_number(max.value)),
        (Some(min), None) => {
            format!("{} {}", if min.exclusive { "greater than" } else { "at least" }, fmt_number(min.value))
        }
        (None, Some(max)) => {
            format!("{} {}", if max.exclusive { "less than" } else { "at most" }, fmt_number(max.value))
        }
        (None, None) => return None,
    })
}

// Editor support: plain data for completion and hover.

/// The API a Task calls, for the editor.
pub struct TaskApi<'a> {
    pub detail: ApiDetail,
    /// Whether `detail.params` are the parameters CloudFlow takes (false for OSS
    /// operations besides GetObject, whose CloudFlow parameters are not documented).
    pub params_apply: bool,
    /// The scalar that names the call: the `Action`, `action` or `resourceArn` value.
    pub named_by: Node<'a>,
    /// The `Parameters` (legacy `serviceParams`) mapping, when the Task has one.
    pub params: Option<Node<'a>>,
}

/// What `state` calls, when it is a Task whose call the catalog (or CloudFlow's docs)
/// knows.
pub fn task_api<'a>(flow: &Flow<'a>, state: &State<'_, 'a>) -> Option<TaskApi<'a>> {
    let call = task_call(flow, state, &Syntaxes::ALL)?;
    let (detail, params_apply) = match call.call {
        Call::Action { lookup: ActionLookup::Found { detail, params_apply }, .. } => (detail, params_apply),
        Call::Action { .. } => return None,
        Call::Resource(detail) => (detail, true),
    };
    let params =
        call.params.map(|e| flow.resolve(e.value)).filter(|n| n.kind() == NodeKind::Mapping || n.is_null());
    Some(TaskApi { detail, params_apply, named_by: call.named_by, params })
}

/// The parameters of the Task's API that are not written yet (neither `name` nor
/// `name.$`), required ones first, then those the docs leave open, then optional ones,
/// each group in the catalog's order. Empty when the parameters are unknown.
pub fn missing_parameters<'a>(flow: &Flow<'a>, state: &State<'_, 'a>) -> Vec<Param> {
    let Some(api) = task_api(flow, state) else { return Vec::new() };
    if !api.params_apply {
        return Vec::new();
    }
    let present: Vec<&str> = api
        .params
        .filter(|n| n.kind() == NodeKind::Mapping)
        .map(|n| flow.entries(n))
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e.key.scalar())
        .map(|k| split_key(flow.dialect(), k).0)
        .collect();
    let mut out: Vec<Param> =
        api.detail.params.into_iter().filter(|p| !present.iter().any(|k| p.matches(k))).collect();
    out.sort_by_key(|p| match p.required {
        Some(true) => 0,
        None => 1,
        Some(false) => 2,
    });
    out
}

/// The parameter a key under the Task's `Parameters` / `serviceParams` names (`.$` allowed),
/// e.g. for value completion from its `enum_values` or a hover on the key.
pub fn parameter<'a>(flow: &Flow<'a>, state: &State<'_, 'a>, key: &str) -> Option<Param> {
    let api = task_api(flow, state)?;
    let name = split_key(flow.dialect(), key).0;
    api.detail.param(name).cloned()
}

/// The hover of the Task's `Action` (legacy `action` or `resourceArn`): the API, its
/// product, summary, version, parameters and, in CloudFlow, the task modes it supports.
pub fn action_hover<'a>(flow: &Flow<'a>, state: &State<'_, 'a>) -> Option<String> {
    let api = task_api(flow, state)?;
    let modes = match flow.dialect() {
        Dialect::CloudFlow => integrations::supported_task_modes(&api.detail.action()).modes,
        Dialect::Legacy => &[],
    };
    Some(catalog::hover_markdown(&api.detail, modes))
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
