//! States (CloudFlow) and steps (legacy): each one against the schema of its type, then the
//! rules the schema cannot say (integrations, mode-dependent limits, doc quirks).

use fdl_schema::Dialect;
use fdl_schema::spec;

use super::context::Ctx;
use super::keys::{anchor_of, check_object, object_label};
use super::names::did_you_mean;
use super::{Code, Diagnostic, integration};
use crate::syntax::{Node, NodeKind};

pub(crate) fn check_state_list<'a>(cx: &mut Ctx<'_, 'a>, list: Node<'a>, owner: &str) {
    let list = cx.resolve(list);
    if list.kind() != NodeKind::Sequence {
        if list.kind() != NodeKind::Error {
            let key = cx.flow.list_key();
            cx.push(Diagnostic::error(
                Code::InvalidType,
                list.value_range(),
                format!(
                    "`{key}` of the {owner} must be a list of {}, found {}",
                    noun(cx.dialect),
                    super::keys::describe(list)
                ),
            ));
        }
        return;
    }
    if cx.top_list.is_some_and(|l| l.same(list)) {
        for item in cx.fresh.clone() {
            check_state(cx, item);
        }
        return;
    }
    for item in list.items() {
        check_state(cx, item);
    }
}

fn noun(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::CloudFlow => "states",
        Dialect::Legacy => "steps",
    }
}

pub(crate) fn check_state<'a>(cx: &mut Ctx<'_, 'a>, state: Node<'a>) {
    let state = cx.resolve(state);
    if state.kind() != NodeKind::Mapping {
        if state.kind() != NodeKind::Error {
            cx.push(Diagnostic::error(
                Code::InvalidType,
                state.value_range(),
                format!(
                    "each item must be a {} (a mapping with `{}` and `{}`), found {}",
                    noun(cx.dialect).trim_end_matches('s'),
                    cx.flow.type_key(),
                    cx.flow.name_key(),
                    super::keys::describe(state)
                ),
            ));
        }
        return;
    }
    let tkey = cx.flow.type_key();
    let types = spec::state_types(cx.dialect);
    let Some((ty, ty_node)) = cx.get_str(state, tkey) else {
        cx.push(Diagnostic::error(
            Code::MissingKey,
            anchor_of(cx, state),
            format!(
                "this {} has no `{tkey}`: one of {}",
                noun(cx.dialect).trim_end_matches('s'),
                types.join(", ")
            ),
        ));
        return;
    };
    let Some(object) = spec::state_object(cx.dialect, ty) else {
        let range = ty_node.value_range();
        let suggestion = did_you_mean(ty, types.iter().copied());
        let mut message = format!("unknown {tkey} `{ty}`: expected one of {}", types.join(", "));
        if let Some(s) = suggestion {
            message = format!("unknown {tkey} `{ty}`: did you mean `{s}`?");
        }
        let mut d = Diagnostic::error(Code::InvalidValue, range, message);
        if let Some(s) = suggestion {
            d = d.with_fix(format!("Replace with `{s}`"), range, s);
        }
        cx.push(d);
        return;
    };
    check_object(cx, state, object, object_label(object));
    match cx.dialect {
        Dialect::CloudFlow => integration::check_cloudflow_state(cx, state, ty),
        Dialect::Legacy => integration::check_legacy_step(cx, state, ty),
    }
}
