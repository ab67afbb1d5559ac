//! Actions from the API catalog, and the Parameters (legacy: serviceParams) of the
//! state's API.

use fdl_schema::Dialect;

use super::{CompletionItem, CompletionKind};
use crate::analysis::model::Flow;
use crate::ide::cursor::Owner;
use crate::syntax::{Node, TextRange, yaml_string};

/// `Action` values from the catalog: services until a `:` is typed, then that service's
/// APIs; with a word typed and no `:`, also the APIs of every service that match it.
pub(super) fn actions(dialect: Dialect, typed: &str, prefix: TextRange) -> Vec<CompletionItem> {
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
pub(super) fn parameters_owner<'a>(flow: &Flow<'a>, owner: Owner<'a>) -> Option<Node<'a>> {
    let params_key = match flow.dialect() {
        Dialect::CloudFlow => "Parameters",
        Dialect::Legacy => "serviceParams",
    };
    match owner {
        Owner::NewMapping { parent, key } if key == params_key => Some(parent),
        Owner::Mapping(m) => {
            let path = crate::ide::cursor::path_to(flow.root(), m.range().start);
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
pub(super) fn parameter_keys(
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
pub(super) fn parameter_values(
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
