//! Completion: keys allowed where the cursor is, whole-state and rule snippets, values
//! (types, task modes the Action supports, patterns, booleans, versions), state names of the
//! right scope for transitions, and error names for `Errors`.

use fdl_schema::Dialect;
use fdl_schema::integrations::{self, Pattern, TaskMode, WorkflowMode, classify_resource_arn};
use fdl_schema::spec::{self, FieldSpec, ObjectSpec, ValueType};

use super::cursor::{Owner, Slot, owner_object, slot_at};
use super::{Config, Document};
use crate::analysis::model::{Flow, Scope};
use crate::syntax::{Node, TextRange, yaml_string};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Key,
    Value,
    State,
    Snippet,
    Error,
    /// A service of the catalog (`Ecs:`).
    Service,
    /// An API of the catalog (`Ecs:DescribeInstances`).
    Api,
    /// Inside an expression.
    Variable,
    Field,
    Function,
    Keyword,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// What replaces `replace`; a snippet (`$1`, `${1|a,b|}`) when `snippet` is set.
    pub insert: String,
    pub snippet: bool,
    pub replace: TextRange,
    /// Orders items; clients sort by it before the label.
    pub sort: String,
    pub deprecated: bool,
}

impl CompletionItem {
    fn new(
        label: impl Into<String>,
        kind: CompletionKind,
        insert: impl Into<String>,
        replace: TextRange,
    ) -> Self {
        CompletionItem {
            label: label.into(),
            kind,
            detail: None,
            documentation: None,
            insert: insert.into(),
            snippet: false,
            replace,
            sort: String::new(),
            deprecated: false,
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    fn doc(mut self, doc: impl Into<String>) -> Self {
        let doc = doc.into();
        if !doc.is_empty() {
            self.documentation = Some(doc);
        }
        self
    }

    fn snippet(mut self) -> Self {
        self.snippet = true;
        self
    }

    fn sort(mut self, rank: usize) -> Self {
        self.sort = format!("{rank:04}");
        self
    }
}

pub fn completions(doc: &Document, config: &Config, offset: u32) -> Vec<CompletionItem> {
    let Some(flow) = Flow::new(&doc.tree) else { return root_snippets(doc, offset) };
    if let Some(found) = crate::expr::ide::expression_at(&flow, &doc.text, offset) {
        return expression_completions(&found);
    }
    let Some(slot) = slot_at(&flow, &doc.text, offset) else { return Vec::new() };
    let mode = doc.mode(config);
    match slot {
        Slot::Key { owner, prefix } => key_completions(&flow, doc, owner, prefix),
        Slot::Value { owner, key, prefix, in_list } => {
            let typed = doc.text.slice(prefix);
            let mut items = value_completions(&flow, owner, &key, prefix, &typed, in_list, mode, offset);
            // Completion right after `key:` (the `:` trigger) must not glue the value to it.
            let glued =
                prefix.start > 0 && doc.text.slice(TextRange::new(prefix.start - 1, prefix.start)) == ":";
            if glued {
                for item in &mut items {
                    item.insert.insert(0, ' ');
                }
            }
            items
        }
    }
}

/// An empty or unrecognisable document: offer a skeleton of each dialect.
fn root_snippets(doc: &Document, offset: u32) -> Vec<CompletionItem> {
    let line = doc.text.line_of(offset);
    let range = TextRange::new(doc.text.line_start(line), offset);
    if !doc.text.slice(range).trim().chars().all(|c| c.is_alphanumeric()) {
        return Vec::new();
    }
    vec![
        CompletionItem::new(
            "CloudFlow state machine",
            CompletionKind::Snippet,
            "Type: StateMachine\nName: ${1:my-flow}\nSpecVersion: v1\nStartAt: ${2:Start}\nStates:\n  - Type: Pass\n    Name: ${2:Start}\n    End: true\n",
            range,
        )
        .detail("Type: StateMachine, StartAt, States")
        .snippet()
        .sort(0),
        CompletionItem::new(
            "Serverless Workflow flow (legacy)",
            CompletionKind::Snippet,
            "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: ${1:start}\n",
            range,
        )
        .detail("version: v1, type: flow, steps")
        .snippet()
        .sort(1),
    ]
}

/// Column of the start of the line holding `offset` up to the key: the indentation that
/// nested lines of an inserted snippet need.
fn key_column(doc: &Document, prefix: TextRange) -> usize {
    let line_start = doc.text.line_start(doc.text.line_of(prefix.start));
    doc.text.slice(TextRange::new(line_start, prefix.start)).chars().count()
}

fn key_completions(
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
fn union_fields(dialect: Dialect) -> Vec<&'static FieldSpec> {
    let tag = spec::state_tag(dialect);
    let name = match dialect {
        Dialect::CloudFlow => "Name",
        Dialect::Legacy => "name",
    };
    let first = spec::state_types(dialect).first().and_then(|t| spec::state_object(dialect, t));
    first.map(|o| o.fields.iter().filter(|f| f.name == tag || f.name == name).collect()).unwrap_or_default()
}

/// What to insert for a key: `key: ` for scalars, a choice for enums, a block for objects.
fn key_insert(dialect: Dialect, field: &FieldSpec, indent: &str) -> (String, bool) {
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
fn required_body(object: &ObjectSpec, indent: &str) -> String {
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

fn describe_type(ty: &ValueType, required: bool) -> String {
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

/// A whole state of each type, for a new item of `States` / `steps`.
fn state_snippets(dialect: Dialect, indent: &str, replace: TextRange) -> Vec<CompletionItem> {
    let i = indent;
    let snippets: Vec<(&str, String)> = match dialect {
        Dialect::CloudFlow => vec![
            (
                "Task",
                format!(
                    "Type: Task\n{i}Name: ${{1:Task}}\n{i}Action: ${{2:FC:InvokeFunction}}\n{i}TaskMode: ${{3|RequestComplete,WaitForSystemCallback,WaitForCustomCallback|}}\n{i}Parameters:\n{i}  $4\n{i}Next: $0"
                ),
            ),
            ("Pass", format!("Type: Pass\n{i}Name: ${{1:Pass}}\n{i}Next: $0")),
            ("Wait", format!("Type: Wait\n{i}Name: ${{1:Wait}}\n{i}Seconds: ${{2:10}}\n{i}Next: $0")),
            (
                "Choice",
                format!(
                    "Type: Choice\n{i}Name: ${{1:Choice}}\n{i}Branches:\n{i}  - Condition: ${{2:\\$Input.ok == true}}\n{i}    Next: $3\n{i}Default: $0"
                ),
            ),
            (
                "Parallel",
                format!(
                    "Type: Parallel\n{i}Name: ${{1:Parallel}}\n{i}Branches:\n{i}  - StartAt: ${{2:Branch1}}\n{i}    States:\n{i}      - Type: Pass\n{i}        Name: ${{2:Branch1}}\n{i}        End: true\n{i}Next: $0"
                ),
            ),
            (
                "Map",
                format!(
                    "Type: Map\n{i}Name: ${{1:Map}}\n{i}ItemsPath: ${{2:\\$Input.items}}\n{i}MaxConcurrency: ${{3:10}}\n{i}Processor:\n{i}  StartAt: ${{4:Item}}\n{i}  States:\n{i}    - Type: Pass\n{i}      Name: ${{4:Item}}\n{i}      End: true\n{i}Next: $0"
                ),
            ),
            ("Succeed", format!("Type: Succeed\n{i}Name: ${{1:Succeed}}")),
            (
                "Fail",
                format!(
                    "Type: Fail\n{i}Name: ${{1:Fail}}\n{i}Code: ${{2:Error}}\n{i}Detail: ${{3:what went wrong}}"
                ),
            ),
        ],
        Dialect::Legacy => vec![
            (
                "task",
                format!(
                    "type: task\n{i}name: ${{1:task}}\n{i}resourceArn: ${{2:acs:fc:::services/service/functions/function}}"
                ),
            ),
            ("pass", format!("type: pass\n{i}name: ${{1:pass}}")),
            ("wait", format!("type: wait\n{i}name: ${{1:wait}}\n{i}duration: ${{2:10}}")),
            (
                "choice",
                format!(
                    "type: choice\n{i}name: ${{1:choice}}\n{i}choices:\n{i}  - condition: ${{2:\\$.ok == true}}\n{i}    goto: $3\n{i}default:\n{i}  goto: $0"
                ),
            ),
            (
                "parallel",
                format!(
                    "type: parallel\n{i}name: ${{1:parallel}}\n{i}branches:\n{i}  - steps:\n{i}      - type: pass\n{i}        name: ${{2:branch1}}"
                ),
            ),
            (
                "foreach",
                format!(
                    "type: foreach\n{i}name: ${{1:foreach}}\n{i}iterationMapping:\n{i}  collection: ${{2:\\$.items}}\n{i}  item: ${{3:item}}\n{i}steps:\n{i}  - type: pass\n{i}    name: ${{4:each}}"
                ),
            ),
            ("succeed", format!("type: succeed\n{i}name: ${{1:succeed}}")),
            (
                "fail",
                format!(
                    "type: fail\n{i}name: ${{1:fail}}\n{i}error: ${{2:Error}}\n{i}cause: ${{3:what went wrong}}"
                ),
            ),
        ],
    };
    snippets
        .into_iter()
        .enumerate()
        .map(|(rank, (ty, body))| {
            let description =
                spec::state_object(dialect, ty).map(|o| o.description.clone()).unwrap_or_default();
            CompletionItem::new(format!("{ty} state"), CompletionKind::Snippet, body, replace)
                .detail(format!("a whole {ty} state"))
                .doc(description)
                .snippet()
                .sort(rank)
        })
        .collect()
}

/// Rule snippets for objects that take them: Retry and Catch on states that allow them.
fn rule_snippets(
    dialect: Dialect,
    object: &ObjectSpec,
    present: &[&str],
    indent: &str,
    replace: TextRange,
) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    if dialect != Dialect::CloudFlow {
        return out;
    }
    let i = indent;
    // The first key of a new list item: a whole branch.
    if present.is_empty() {
        match object.name.as_str() {
            "ChoiceBranch" => out.push(
                CompletionItem::new("Choice branch", CompletionKind::Snippet, format!("Condition: ${{1:\\$Input.ok == true}}\n{i}Next: $0"), replace)
                    .detail("Condition and Next")
                    .snippet()
                    .sort(0),
            ),
            "ParallelBranch" => out.push(
                CompletionItem::new("Parallel branch", CompletionKind::Snippet, format!("StartAt: ${{1:Start}}\n{i}States:\n{i}  - Type: Pass\n{i}    Name: ${{1:Start}}\n{i}    End: true"), replace)
                    .detail("StartAt and States")
                    .snippet()
                    .sort(0),
            ),
            _ => {}
        }
    }
    if object.field("Processor").is_some() && !present.contains(&"Processor") {
        out.push(
            CompletionItem::new("Map processor", CompletionKind::Snippet, format!("Processor:\n{i}  StartAt: ${{1:Item}}\n{i}  States:\n{i}    - Type: Pass\n{i}      Name: ${{1:Item}}\n{i}      End: true"), replace)
                .detail("Processor with StartAt and States")
                .snippet()
                .sort(199),
        );
    }
    if object.field("Retry").is_some() && !present.contains(&"Retry") {
        out.push(
            CompletionItem::new("Retry rule", CompletionKind::Snippet, format!("Retry:\n{i}  - Errors:\n{i}      - ${{1:FnF.ALL}}\n{i}    Description: ${{2:retry on errors}}\n{i}    MaxAttempts: ${{3:3}}\n{i}    IntervalSeconds: ${{4:2}}\n{i}    BackoffRate: ${{5:2}}"), replace)
                .detail("Retry with Errors, MaxAttempts, IntervalSeconds, BackoffRate")
                .snippet()
                .sort(200),
        );
    }
    if object.field("Catch").is_some() && !present.contains(&"Catch") {
        out.push(
            CompletionItem::new("Catch rule", CompletionKind::Snippet, format!("Catch:\n{i}  - Errors:\n{i}      - ${{1:FnF.ALL}}\n{i}    Description: ${{2:handle errors}}\n{i}    Next: $0"), replace)
                .detail("Catch with Errors and Next")
                .snippet()
                .sort(201),
        );
    }
    out
}

/// Keys whose value names a state of the scope.
fn is_state_reference(dialect: Dialect, object: &ObjectSpec, key: &str) -> bool {
    match dialect {
        Dialect::CloudFlow => {
            matches!(key, "StartAt" | "Default") || (key == "Next" && object.field("Next").is_some())
        }
        Dialect::Legacy => key == "goto",
    }
}

#[allow(clippy::too_many_arguments)]
fn value_completions(
    flow: &Flow<'_>,
    owner: Owner<'_>,
    key: &str,
    prefix: TextRange,
    typed: &str,
    in_list: bool,
    mode: WorkflowMode,
    offset: u32,
) -> Vec<CompletionItem> {
    let dialect = flow.dialect();
    if let Some(items) = parameter_values(flow, owner, key, prefix) {
        return items;
    }
    let Some(object) = owner_object(flow, owner) else { return Vec::new() };
    let object = match owner.node() {
        Some(m) => super::cursor::state_specific(flow, m, object),
        None => object,
    };
    if is_state_reference(dialect, object, key) {
        return state_names(flow, owner, key, prefix, offset);
    }
    if matches!(key, "Errors" | "errors") {
        return error_names(flow, prefix, in_list);
    }
    let Some(field) = object.field(key) else { return Vec::new() };
    let node = owner.node();
    match (dialect, key) {
        (Dialect::CloudFlow, "TaskMode") => return task_modes(flow, node, mode, prefix),
        (Dialect::Legacy, "pattern") => return patterns(flow, node, prefix),
        (Dialect::CloudFlow, "Action") | (Dialect::Legacy, "action") => {
            return actions(dialect, typed, prefix);
        }
        _ => {}
    }
    enum_items(&field.ty, prefix, object, key)
}

fn enum_items(ty: &ValueType, prefix: TextRange, object: &ObjectSpec, key: &str) -> Vec<CompletionItem> {
    let dialect_types = |v: &str| {
        spec::objects(Dialect::CloudFlow)
            .iter()
            .chain(spec::objects(Dialect::Legacy))
            .find(|o| {
                o.name
                    .strip_suffix("State")
                    .or_else(|| o.name.strip_suffix("Step"))
                    .is_some_and(|n| n.eq_ignore_ascii_case(v))
            })
            .map(|o| o.description.clone())
    };
    match ty {
        ValueType::Enum(values) => values
            .iter()
            .enumerate()
            .map(|(rank, v)| {
                let mut item =
                    CompletionItem::new(v.clone(), CompletionKind::Value, yaml_string(v), prefix).sort(rank);
                if key == "Type" || key == "type" {
                    item = item.doc(dialect_types(v).unwrap_or_default());
                }
                item.detail(format!("{key} of the {}", label(object)))
            })
            .collect(),
        ValueType::Boolean => ["true", "false"]
            .iter()
            .enumerate()
            .map(|(rank, v)| CompletionItem::new(*v, CompletionKind::Value, *v, prefix).sort(rank))
            .collect(),
        ValueType::OneOf(options) => {
            options.iter().flat_map(|t| enum_items(t, prefix, object, key)).collect()
        }
        _ => Vec::new(),
    }
}

/// The task modes the state's Action supports, in the workflow's mode.
fn task_modes(
    flow: &Flow<'_>,
    state: Option<Node<'_>>,
    mode: WorkflowMode,
    prefix: TextRange,
) -> Vec<CompletionItem> {
    let action = state.and_then(|s| flow.get_str(s, "Action")).map(|(a, _)| a);
    let allowed = match action {
        Some(a) => integrations::allowed_task_modes(a, mode),
        None if mode == WorkflowMode::Express => vec![TaskMode::RequestComplete],
        None => TaskMode::ALL.to_vec(),
    };
    let service = action.map(|a| integrations::supported_task_modes(a).name);
    TaskMode::ALL
        .iter()
        .enumerate()
        .filter(|(_, m)| allowed.contains(m))
        .map(|(rank, m)| {
            let detail = match &service {
                Some(s) => format!("supported by {s}"),
                None => "task mode".to_string(),
            };
            CompletionItem::new(m.as_str(), CompletionKind::Value, m.as_str(), prefix)
                .detail(detail)
                .doc(task_mode_doc(*m))
                .sort(rank)
        })
        .collect()
}

pub(crate) fn task_mode_doc(mode: TaskMode) -> &'static str {
    match mode {
        TaskMode::RequestComplete => {
            "The task finishes as soon as the called API answers; the answer is the task's output. The default."
        }
        TaskMode::WaitForSystemCallback => {
            "The call starts an asynchronous job; the task waits until the service reports that the job finished (asynchronous FC invocations, child flows). Standard workflows only."
        }
        TaskMode::WaitForCustomCallback => {
            "The task pauses with a task token (`$Context.Current.TaskToken`) until someone calls ReportTaskSucceeded or ReportTaskFailed with it. Standard workflows only."
        }
    }
}

/// Legacy patterns the step's resourceArn (or action) supports.
fn patterns(flow: &Flow<'_>, step: Option<Node<'_>>, prefix: TextRange) -> Vec<CompletionItem> {
    let supported: Vec<Pattern> = step
        .and_then(|s| {
            if let Some((a, _)) = flow.get_str(s, "action") {
                return Some(integrations::supported_patterns_for_action(a));
            }
            let (arn, _) = flow.get_str(s, "resourceArn")?;
            let target = classify_resource_arn(arn).ok()?;
            let invocation = flow
                .get(s, "serviceParams")
                .and_then(|e| flow.get_str(e.value, "InvocationType"))
                .and_then(|(v, _)| integrations::InvocationType::parse(v));
            Some(integrations::supported_patterns(&target, invocation))
        })
        .unwrap_or_else(|| Pattern::ALL.to_vec());
    supported
        .iter()
        .enumerate()
        .map(|(rank, p)| {
            CompletionItem::new(p.as_str(), CompletionKind::Value, p.as_str(), prefix).sort(rank)
        })
        .collect()
}

/// `Action` values from the catalog: services until a `:` is typed, then that service's
/// APIs; with a word typed and no `:`, also the APIs of every service that match it.
fn actions(dialect: Dialect, typed: &str, prefix: TextRange) -> Vec<CompletionItem> {
    use fdl_schema::catalog;
    let typed = typed.trim();
    if let Some((service, api)) = typed.split_once(':') {
        return catalog::apis(dialect, service, api)
            .into_iter()
            .enumerate()
            .map(|(rank, a)| {
                let action = format!("{service}:{}", a.name);
                let mut item = CompletionItem::new(action.clone(), CompletionKind::Api, action, prefix)
                    .doc(a.summary)
                    .sort(rank);
                if a.optimized {
                    item = item.detail("CloudFlow integration");
                }
                item.deprecated = a.deprecated;
                item
            })
            .collect();
    }
    let mut items: Vec<CompletionItem> = catalog::services(dialect, typed)
        .into_iter()
        .enumerate()
        .map(|(rank, s)| {
            let name = if s.name_zh.is_empty() {
                s.name.to_string()
            } else {
                format!("{} · {}", s.name, s.name_zh)
            };
            CompletionItem::new(
                format!("{}:", s.code),
                CompletionKind::Service,
                format!("{}:", s.code),
                prefix,
            )
            .detail(format!("{name} ({} APIs)", s.api_count))
            .sort(if s.integration { rank } else { 1000 + rank })
        })
        .collect();
    if typed.len() >= 3 {
        items.extend(catalog::search_actions(dialect, typed, 30).into_iter().enumerate().map(|(rank, a)| {
            let action = format!("{}:{}", a.service, a.api);
            let mut item =
                CompletionItem::new(action.clone(), CompletionKind::Api, action, prefix).sort(5000 + rank);
            item.deprecated = a.deprecated;
            item
        }));
    }
    items
}

/// The Task (legacy: task step) whose `Parameters` (`serviceParams`) mapping owns a key.
fn parameters_owner<'a>(flow: &Flow<'a>, owner: Owner<'a>) -> Option<Node<'a>> {
    let params_key = match flow.dialect() {
        Dialect::CloudFlow => "Parameters",
        Dialect::Legacy => "serviceParams",
    };
    match owner {
        Owner::NewMapping { parent, key } if key == params_key => Some(parent),
        Owner::Mapping(m) => {
            let path = super::cursor::path_to(flow.root(), m.range().start);
            // …, state mapping, `Parameters` key or value, this mapping
            let at = path.iter().rposition(|n| n.same(m))?;
            let state = path.get(at.checked_sub(1)?).copied()?;
            let state = if state.kind() == crate::syntax::NodeKind::Mapping {
                state
            } else {
                path.get(at.checked_sub(2)?).copied()?
            };
            let entry = flow.entries(state).into_iter().find(|e| flow.resolve(e.value).same(m))?;
            (entry.key.scalar() == Some(params_key)).then_some(state)
        }
        _ => None,
    }
}

/// The parameters of the state's API that are not written yet, required ones first.
fn parameter_keys(
    flow: &Flow<'_>,
    state: Node<'_>,
    owner: Owner<'_>,
    prefix: TextRange,
) -> Vec<CompletionItem> {
    let view = flow.state(state);
    let present: Vec<String> = owner
        .node()
        .map(|m| {
            flow.entries(m)
                .iter()
                .filter_map(|e| e.key.scalar())
                .map(|k| k.trim_end_matches(".$").to_string())
                .collect()
        })
        .unwrap_or_default();
    crate::analysis::catalog_rules::missing_parameters(flow, &view)
        .into_iter()
        .filter(|p| !present.iter().any(|k| k == p.name))
        .enumerate()
        .map(|(rank, p)| {
            let required = match p.required {
                Some(true) => " (required)",
                Some(false) => "",
                None => " (not documented whether required)",
            };
            let insert = if p.enum_values.len() > 1 {
                let choices: Vec<String> = p.enum_values.iter().map(|v| v.replace([',', '|'], "")).collect();
                format!("{}: ${{1|{}|}}", p.name, choices.join(","))
            } else {
                format!("{}: ", p.name)
            };
            let mut item = CompletionItem::new(p.name, CompletionKind::Key, insert, prefix)
                .detail(format!("{}{required}", p.ty.as_str()))
                .doc(fdl_schema::catalog::param_markdown(&p))
                .sort(rank);
            item.snippet = p.enum_values.len() > 1;
            item.deprecated = p.deprecated;
            item
        })
        .collect()
}

/// Enum values of a parameter of the state's API.
fn parameter_values(
    flow: &Flow<'_>,
    owner: Owner<'_>,
    key: &str,
    prefix: TextRange,
) -> Option<Vec<CompletionItem>> {
    let state = parameters_owner(flow, owner)?;
    let param = crate::analysis::catalog_rules::parameter(flow, &flow.state(state), key)?;
    if param.enum_values.is_empty() {
        return Some(Vec::new());
    }
    Some(
        param
            .enum_values
            .iter()
            .enumerate()
            .map(|(rank, v)| {
                CompletionItem::new(*v, CompletionKind::Value, yaml_string(v), prefix)
                    .detail(format!("{} of {}", param.name, param.ty.as_str()))
                    .sort(rank)
            })
            .collect(),
    )
}

/// Completion inside an expression, mapped back to the document.
fn expression_completions(found: &crate::expr::ide::FoundExpression) -> Vec<CompletionItem> {
    use crate::expr::ide::{self, CompletionKind as K};
    ide::complete(&found.text, found.cursor, &found.context)
        .into_iter()
        .enumerate()
        .map(|(rank, c)| {
            let kind = match c.kind {
                K::Variable => CompletionKind::Variable,
                K::Field => CompletionKind::Field,
                K::Function => CompletionKind::Function,
                K::Keyword => CompletionKind::Keyword,
            };
            let mut item =
                CompletionItem::new(c.label, kind, c.insert_text, found.map.range_to_document(c.range))
                    .sort(rank);
            item.detail = c.detail;
            item.documentation = c.documentation;
            item
        })
        .collect()
}

/// The scope a transition at `offset` refers into, and the state it is written in.
fn scope_for<'f, 'a>(
    flow: &'f Flow<'a>,
    owner: Owner<'a>,
    key: &str,
    offset: u32,
) -> Option<(Scope<'f, 'a>, Option<Node<'a>>)> {
    let scopes = flow.scopes();
    if key == "StartAt"
        && let Some(m) = owner.node()
    {
        return scopes.into_iter().find(|s| s.owner.same(m)).map(|s| (s, None));
    }
    let inside =
        |s: &Scope<'f, 'a>| s.list_entry().is_some_and(|e| e.value.range().contains_inclusive(offset));
    let scope = scopes.into_iter().rfind(inside)?;
    // The state the cursor is in: the one holding the owner mapping (the cursor itself may
    // be past the end of an empty value).
    let anchor = owner.node().map_or(offset, |m| m.range().start);
    let current =
        scope.states().into_iter().find(|s| s.node.range().contains_inclusive(anchor)).map(|s| s.node);
    Some((scope, current))
}

fn state_names(
    flow: &Flow<'_>,
    owner: Owner<'_>,
    key: &str,
    prefix: TextRange,
    offset: u32,
) -> Vec<CompletionItem> {
    let Some((scope, current)) = scope_for(flow, owner, key, offset) else { return Vec::new() };
    scope
        .states()
        .into_iter()
        .filter(|s| current.is_none_or(|c| !c.same(s.node)))
        .filter_map(|s| {
            let (name, _) = s.name()?;
            let ty = s.ty().map(|(t, _)| t).unwrap_or("state");
            Some(
                CompletionItem::new(name, CompletionKind::State, yaml_string(name), prefix)
                    .detail(format!("{ty} state")),
            )
        })
        .enumerate()
        .map(|(rank, item)| item.sort(rank))
        .collect()
}

/// Error names for `Errors`: the wildcard, known service errors and the Fail codes of the flow.
fn error_names(flow: &Flow<'_>, prefix: TextRange, _in_list: bool) -> Vec<CompletionItem> {
    let dialect = flow.dialect();
    let mut items: Vec<CompletionItem> = integrations::known_errors(dialect)
        .map(|(name, doc)| CompletionItem::new(name, CompletionKind::Error, name, prefix).doc(doc))
        .collect();
    let code_key = match dialect {
        Dialect::CloudFlow => "Code",
        Dialect::Legacy => "error",
    };
    let fail = match dialect {
        Dialect::CloudFlow => "Fail",
        Dialect::Legacy => "fail",
    };
    for scope in flow.scopes() {
        for state in scope.states() {
            if state.ty().map(|(t, _)| t) == Some(fail)
                && let Some((code, _)) = state.get_str(code_key)
                && !items.iter().any(|i| i.label == code)
            {
                let name = state.name().map(|(n, _)| n).unwrap_or("?");
                items.push(
                    CompletionItem::new(code, CompletionKind::Error, yaml_string(code), prefix)
                        .detail(format!("raised by the Fail state `{name}`")),
                );
            }
        }
    }
    items.into_iter().enumerate().map(|(rank, i)| i.sort(rank)).collect()
}

/// "Task state", "Retry rule": the schema object's title.
fn label(object: &ObjectSpec) -> &str {
    if object.title.is_empty() { &object.name } else { &object.title }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::cursor;

    fn check_with(fixture: &str, config: &Config, expect: Expect) {
        let (doc, offset) = cursor(fixture);
        let mut items = completions(&doc, config, offset);
        items.sort_by(|a, b| (&a.sort, &a.label).cmp(&(&b.sort, &b.label)));
        let out: Vec<String> = items
            .iter()
            .map(|i| {
                let replaced = doc.text.slice(i.replace);
                let insert = if i.insert == i.label { String::new() } else { format!(" => {:?}", i.insert) };
                let detail = i.detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
                format!("{:?} {}{detail}{insert} [replaces {replaced:?}]", i.kind, i.label)
            })
            .collect();
        expect.assert_eq(&(out.join("\n") + "\n"));
    }

    fn check(fixture: &str, expect: Expect) {
        check_with(fixture, &Config::default(), expect);
    }

    const HEAD: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n";

    #[test]
    fn keys_of_a_task_being_typed() {
        check(
            &format!("{HEAD}  - Type: Task\n    Name: 视频理解\n    Acti$0\n    End: true\n"),
            expect![[r#"
                Key Action (string (required)) => "Action: " [replaces "Acti"]
                Key Description (string) => "Description: " [replaces "Acti"]
                Key TaskMode (RequestComplete | WaitForSystemCallback | WaitForCustomCallback) => "TaskMode: ${1|RequestComplete,WaitForSystemCallback,WaitForCustomCallback|}" [replaces "Acti"]
                Key Parameters (mapping) => "Parameters:\n      $0" [replaces "Acti"]
                Key Timeout (string or integer 0..604800) => "Timeout: " [replaces "Acti"]
                Key InputConstructor (mapping) => "InputConstructor:\n      $0" [replaces "Acti"]
                Key OutputConstructor (mapping) => "OutputConstructor:\n      $0" [replaces "Acti"]
                Key GlobalConstructor (mapping) => "GlobalConstructor:\n      $0" [replaces "Acti"]
                Key Retry (list) => "Retry:\n      - Errors: [${1}]\n        Description: ${2}\n        MaxAttempts: ${3}\n        IntervalSeconds: ${4}" [replaces "Acti"]
                Key Catch (list) => "Catch:\n      - Errors: [${1}]\n        Description: ${2}\n        Next: ${3}" [replaces "Acti"]
                Key Next (string) => "Next: " [replaces "Acti"]
                Snippet Retry rule (Retry with Errors, MaxAttempts, IntervalSeconds, BackoffRate) => "Retry:\n      - Errors:\n          - ${1:FnF.ALL}\n        Description: ${2:retry on errors}\n        MaxAttempts: ${3:3}\n        IntervalSeconds: ${4:2}\n        BackoffRate: ${5:2}" [replaces "Acti"]
                Snippet Catch rule (Catch with Errors and Next) => "Catch:\n      - Errors:\n          - ${1:FnF.ALL}\n        Description: ${2:handle errors}\n        Next: $0" [replaces "Acti"]
            "#]],
        );
    }

    #[test]
    fn whole_states_for_a_new_item() {
        check(
            &format!("{HEAD}  - Type: Pass\n    Name: 视频理解\n    End: true\n  - $0\n"),
            expect![[r#"
            Snippet Task state (a whole Task state) => "Type: Task\n    Name: ${1:Task}\n    Action: ${2:FC:InvokeFunction}\n    TaskMode: ${3|RequestComplete,WaitForSystemCallback,WaitForCustomCallback|}\n    Parameters:\n      $4\n    Next: $0" [replaces ""]
            Key Type (Task | Pass | Wait | Choice | Parallel | Map | Succeed | Fail (required)) => "Type: ${1|Task,Pass,Wait,Choice,Parallel,Map,Succeed,Fail|}" [replaces ""]
            Key Name (string (required)) => "Name: " [replaces ""]
            Snippet Pass state (a whole Pass state) => "Type: Pass\n    Name: ${1:Pass}\n    Next: $0" [replaces ""]
            Snippet Wait state (a whole Wait state) => "Type: Wait\n    Name: ${1:Wait}\n    Seconds: ${2:10}\n    Next: $0" [replaces ""]
            Snippet Choice state (a whole Choice state) => "Type: Choice\n    Name: ${1:Choice}\n    Branches:\n      - Condition: ${2:\\$Input.ok == true}\n        Next: $3\n    Default: $0" [replaces ""]
            Snippet Parallel state (a whole Parallel state) => "Type: Parallel\n    Name: ${1:Parallel}\n    Branches:\n      - StartAt: ${2:Branch1}\n        States:\n          - Type: Pass\n            Name: ${2:Branch1}\n            End: true\n    Next: $0" [replaces ""]
            Snippet Map state (a whole Map state) => "Type: Map\n    Name: ${1:Map}\n    ItemsPath: ${2:\\$Input.items}\n    MaxConcurrency: ${3:10}\n    Processor:\n      StartAt: ${4:Item}\n      States:\n        - Type: Pass\n          Name: ${4:Item}\n          End: true\n    Next: $0" [replaces ""]
            Snippet Succeed state (a whole Succeed state) => "Type: Succeed\n    Name: ${1:Succeed}" [replaces ""]
            Snippet Fail state (a whole Fail state) => "Type: Fail\n    Name: ${1:Fail}\n    Code: ${2:Error}\n    Detail: ${3:what went wrong}" [replaces ""]
        "#]],
        );
    }

    #[test]
    fn task_modes_follow_the_action_and_the_mode() {
        let fixture = format!(
            "{HEAD}  - Type: Task\n    Name: 视频理解\n    Action: EventBridge:PutEvents\n    TaskMode: $0\n    End: true\n"
        );
        check(
            &fixture,
            expect![[r#"
            Value RequestComplete (supported by EventBridge (EventBridge:PutEvents)) [replaces ""]
            Value WaitForCustomCallback (supported by EventBridge (EventBridge:PutEvents)) [replaces ""]
        "#]],
        );
        check_with(
            &fixture,
            &Config { mode: Some(WorkflowMode::Express) },
            expect![[r#"
            Value RequestComplete (supported by EventBridge (EventBridge:PutEvents)) [replaces ""]
        "#]],
        );
    }

    #[test]
    fn transitions_offer_state_names_of_the_scope() {
        check(
            &format!(
                "{HEAD}  - Type: Pass\n    Name: 视频理解\n    Next: $0\n  - Type: Pass\n    Name: \"a: b\"\n    End: true\n  - Type: Parallel\n    Name: P\n    Branches:\n      - StartAt: Inner\n        States:\n          - Type: Pass\n            Name: Inner\n            End: true\n    End: true\n"
            ),
            expect![[r#"
                State a: b (Pass state) => "\"a: b\"" [replaces ""]
                State P (Parallel state) [replaces ""]
            "#]],
        );
    }

    #[test]
    fn error_names_include_fail_codes() {
        check(
            &format!(
                "{HEAD}  - Type: Task\n    Name: 视频理解\n    Action: HTTP:Request\n    Retry:\n      - Errors: [FnF.ALL, $0]\n    Next: F\n  - Type: Fail\n    Name: F\n    Code: OrderRejected\n"
            ),
            expect![[r#"
                Error FnF.ALL [replaces ""]
                Error FC.ResourceThrottled [replaces ""]
                Error FC.ResourceExhausted [replaces ""]
                Error FC.InternalServerError [replaces ""]
                Error FC.ServiceNotFound [replaces ""]
                Error FC.FunctionNotFound [replaces ""]
                Error FC.InvalidArgument [replaces ""]
                Error OrderRejected (raised by the Fail state `F`) [replaces ""]
            "#]],
        );
    }

    #[test]
    fn legacy_patterns_follow_the_resource() {
        check(
            "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: q\n    resourceArn: acs:mns:::/queues/q/messages\n    pattern: $0\n",
            expect![[r#"
                Value requestResponse [replaces ""]
                Value waitForCallback [replaces ""]
            "#]],
        );
    }

    #[test]
    fn branch_and_processor_snippets() {
        let flow = |rest: &str| {
            format!(
                "{HEAD}  - Type: Choice\n    Name: 视频理解\n    Branches:\n{rest}    Default: 视频理解\n"
            )
        };
        let (doc, offset) =
            cursor(&flow("      - Condition: $Input.a\n        Next: 视频理解\n      - $0\n"));
        let labels: Vec<String> =
            completions(&doc, &Config::default(), offset).into_iter().map(|i| i.label).collect();
        assert!(labels.contains(&"Choice branch".to_string()), "{labels:?}");
        let (doc, offset) =
            cursor(&format!("{HEAD}  - Type: Map\n    Name: 视频理解\n    $0\n    End: true\n"));
        let labels: Vec<String> =
            completions(&doc, &Config::default(), offset).into_iter().map(|i| i.label).collect();
        assert!(labels.contains(&"Map processor".to_string()), "{labels:?}");
        let (doc, offset) = cursor(&format!(
            "{HEAD}  - Type: Parallel\n    Name: 视频理解\n    Branches:\n      - $0\n    End: true\n"
        ));
        let labels: Vec<String> =
            completions(&doc, &Config::default(), offset).into_iter().map(|i| i.label).collect();
        assert!(labels.contains(&"Parallel branch".to_string()), "{labels:?}");
    }

    #[test]
    fn a_value_right_after_the_colon_gets_its_space() {
        check(
            &format!("{HEAD}  - Type: Task\n    Name: 视频理解\n    TaskMode:$0\n    End: true\n"),
            expect![[r#"
                Value RequestComplete (task mode) => " RequestComplete" [replaces ""]
                Value WaitForSystemCallback (task mode) => " WaitForSystemCallback" [replaces ""]
                Value WaitForCustomCallback (task mode) => " WaitForCustomCallback" [replaces ""]
            "#]],
        );
    }

    #[test]
    fn actions_and_parameters_from_the_catalog() {
        let task = |rest: &str| format!("{HEAD}  - Type: Task\n    Name: 视频理解\n{rest}    End: true\n");
        let (doc, offset) = cursor(&task("    Action: ECS:DescribeInst$0\n"));
        let labels: Vec<String> =
            completions(&doc, &Config::default(), offset).into_iter().map(|i| i.label).take(3).collect();
        assert_eq!(labels[0], "ECS:DescribeInstances", "{labels:?}");
        let (doc, offset) = cursor(&task("    Action: ec$0\n"));
        let items = completions(&doc, &Config::default(), offset);
        assert!(
            items.iter().any(|i| i.label == "Ecs:" && i.kind == CompletionKind::Service),
            "{:?}",
            items.iter().map(|i| &i.label).collect::<Vec<_>>()
        );
        check(
            &task("    Action: FC:InvokeFunction\n    Parameters:\n      body: {}\n      $0\n"),
            expect![[r#"
                Key resourceArn (string (required)) => "resourceArn: " [replaces ""]
                Key invocationType (string (required)) => "invocationType: ${1|Sync,Async|}" [replaces ""]
            "#]],
        );
        check(
            &task("    Action: FC:InvokeFunction\n    Parameters:\n      invocationType: $0\n"),
            expect![[r#"
                Value Sync (invocationType of string) [replaces ""]
                Value Async (invocationType of string) [replaces ""]
            "#]],
        );
    }

    #[test]
    fn catalog_entries_in_both_dialects() {
        let labels = |fixture: &str| -> Vec<String> {
            let (doc, offset) = cursor(fixture);
            completions(&doc, &Config::default(), offset).into_iter().map(|i| i.label).collect()
        };
        // MNS:SendMessage parameters (CloudFlow's own, lowerCamelCase), required first.
        let mns = labels(&format!(
            "{HEAD}  - Type: Task\n    Name: 视频理解\n    Action: MNS:SendMessage\n    Parameters:\n      $0\n    End: true\n"
        ));
        assert_eq!(mns.first().map(String::as_str), Some("resourceArn"), "{mns:?}");
        assert!(mns.contains(&"messageAttributes".to_string()), "{mns:?}");
        // Legacy: `action:` with a case-insensitive service, then its serviceParams.
        let apis = labels(
            "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: t\n    action: GOODSTECH:Classify$0\n",
        );
        assert!(apis.iter().any(|a| a == "GOODSTECH:ClassifyCommodity"), "{apis:?}");
        let params = labels(
            "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: t\n    action: goodstech:ClassifyCommodity\n    serviceParams:\n      $0\n",
        );
        assert!(params.contains(&"ImageURL".to_string()), "{params:?}");
    }

    #[test]
    fn inside_expressions() {
        let (doc, offset) = cursor(&format!(
            "{HEAD}  - Type: Pass\n    Name: 视频理解\n    InputConstructor:\n      a.$: $Context.Cur$0\n    End: true\n"
        ));
        let items = completions(&doc, &Config::default(), offset);
        let current = items.iter().find(|i| i.label == "Current").expect("Current");
        assert_eq!(doc.text.slice(current.replace), "Cur");
    }

    #[test]
    fn empty_document_offers_skeletons() {
        check(
            "$0",
            expect![[r#"
            Snippet CloudFlow state machine (Type: StateMachine, StartAt, States) => "Type: StateMachine\nName: ${1:my-flow}\nSpecVersion: v1\nStartAt: ${2:Start}\nStates:\n  - Type: Pass\n    Name: ${2:Start}\n    End: true\n" [replaces ""]
            Snippet Serverless Workflow flow (legacy) (version: v1, type: flow, steps) => "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: ${1:start}\n" [replaces ""]
        "#]],
        );
    }
}
