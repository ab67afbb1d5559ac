//! What the cursor is on, for completion and hover: which mapping (and which schema object)
//! owns the line, and whether a key or a value is being typed.
//!
//! The line being typed is often not in the tree at all (the parser dropped it as broken),
//! so the slot is read from the text of the line and its owner from the lines above it,
//! by indentation, the way YAML itself decides.

use fdl_schema::spec::{self, ObjectSpec, ValueType};

use crate::analysis::model::Flow;
use crate::syntax::{Node, NodeKind, SourceText, TextRange};

/// The mapping a key belongs to.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Owner<'a> {
    /// An existing mapping of the tree.
    Mapping(Node<'a>),
    /// A mapping that starts on the cursor line, as the value of `key` in `parent`
    /// (`Parameters:` then a first key below it).
    NewMapping { parent: Node<'a>, key: &'a str },
    /// The first key of a new list item of `key` in `parent` (`- Ty|` under `States:`).
    NewItem { parent: Node<'a>, key: &'a str },
}

/// What is being typed at the cursor.
#[derive(Clone, Debug)]
pub(crate) enum Slot<'a> {
    /// A key: `prefix` is the part already typed (possibly empty).
    Key { owner: Owner<'a>, prefix: TextRange },
    /// The value of `key`; `prefix` is the part already typed. `in_list` when the cursor is
    /// in an item of a flow list (`[a, b|]`) or a block list item under the key.
    Value { owner: Owner<'a>, key: String, prefix: TextRange, in_list: bool },
}

/// The shape of one line, from its text alone.
#[derive(Clone, Debug)]
pub(crate) struct LineShape {
    /// Column where the line's content starts.
    pub(crate) indent: u32,
    /// Columns of the `- ` indicators at the start of the content.
    pub(crate) dashes: Vec<u32>,
    /// Column where the key (or scalar) after the dashes starts.
    pub(crate) body: u32,
    /// The key and its byte range, when the line is `key:` or `key: value`.
    pub(crate) key: Option<(String, TextRange)>,
    pub(crate) blank: bool,
}

pub(crate) fn line_shape(text: &SourceText, line: u32) -> LineShape {
    let range = text.line_range(line);
    let s = text.slice(range);
    shape_of(&s, range.start)
}

fn shape_of(s: &str, start: u32) -> LineShape {
    let indent = (s.len() - s.trim_start_matches(' ').len()) as u32;
    let mut body = indent;
    let mut dashes = Vec::new();
    let mut rest = &s[indent as usize..];
    while rest == "-" || rest.starts_with("- ") {
        dashes.push(body);
        let after = rest[1..].trim_start_matches(' ');
        body += (rest.len() - after.len()) as u32;
        rest = after;
    }
    let blank = rest.trim().is_empty() && dashes.is_empty() || rest.starts_with('#');
    let key = key_of(rest).map(|(k, len)| {
        let at = start + body;
        (k, TextRange::new(at, at + len as u32))
    });
    LineShape { indent, dashes, body, key, blank }
}

/// The key at the start of `rest` (`key:` followed by a space or the end) and its length.
fn key_of(rest: &str) -> Option<(String, usize)> {
    if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = rest[1..].find(q)? + 2;
        let after = &rest[end..];
        return (after.starts_with(':') && (after.len() == 1 || after[1..].starts_with([' ', '\t'])))
            .then(|| (rest[1..end - 1].to_string(), end));
    }
    if rest.starts_with(['[', '{', '#', '&', '*', '!', '|', '>', '%', '@', '`']) {
        return None;
    }
    let bytes = rest.as_bytes();
    let colon = (0..bytes.len())
        .find(|&i| bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')))?;
    let key = rest[..colon].trim_end();
    (!key.is_empty()).then(|| (key.to_string(), key.len()))
}

/// The chain of nodes from the root down to the innermost node containing `offset`.
pub(crate) fn path_to<'a>(root: Node<'a>, offset: u32) -> Vec<Node<'a>> {
    let mut path = vec![root];
    let mut node = root;
    while let Some(child) = child_at(node, offset) {
        path.push(child);
        node = child;
    }
    path
}

/// Lists longer than this are searched by halving (a flow's `States` has thousands).
const HALVING_FROM: usize = 16;

/// The first direct child of `node` whose range contains `offset` (the end counts): a
/// long list's items are found by halving, as they follow one another in the text.
fn child_at<'a>(node: Node<'a>, offset: u32) -> Option<Node<'a>> {
    let n = node.item_count();
    if n <= HALVING_FROM {
        return node.children().find(|c| c.range().contains_inclusive(offset));
    }
    // Items do not overlap and are in source order, so their ends never decrease: the
    // first item that ends at or after `offset` is the only one that may be the first to
    // contain it.
    let at = node.item_partition_point(|item| item.range().end >= offset);
    node.item(at).filter(|c| c.range().contains_inclusive(offset))
}

/// The innermost mapping whose key starts at `key_offset`.
fn mapping_with_key_at<'a>(root: Node<'a>, key_offset: u32) -> Option<Node<'a>> {
    let path = path_to(root, key_offset);
    path.iter()
        .rev()
        .find(|n| n.kind() == NodeKind::Mapping && n.entries().any(|e| e.key.range().start == key_offset))
        .copied()
}

/// Finds what is typed at `offset`.
pub(crate) fn slot_at<'a>(flow: &Flow<'a>, text: &SourceText, offset: u32) -> Option<Slot<'a>> {
    let line = text.line_of(offset);
    let line_range = text.line_range(line);
    let before = text.slice(TextRange::new(line_range.start, offset));
    let shape = shape_of(&before, line_range.start);
    let rest_start = line_range.start + shape.body;
    if before[shape.body as usize..].trim_start().starts_with('#') {
        return None;
    }
    let owner = owner_of(flow, text, line, &shape)?;
    match &shape.key {
        Some((key, key_range)) => {
            // `key: partial` — the value is being typed.
            let after_colon = key_range.end + 1;
            let raw = text.slice(TextRange::new(after_colon.min(offset), offset));
            let value_start = after_colon + (raw.len() - raw.trim_start().len()) as u32;
            let typed = text.slice(TextRange::new(value_start.min(offset), offset));
            let (prefix_start, in_list) = match typed.rfind(['[', ',']) {
                Some(i) if typed.starts_with('[') => {
                    let item = &typed[i + 1..];
                    (value_start + i as u32 + 1 + (item.len() - item.trim_start().len()) as u32, true)
                }
                _ => (value_start, false),
            };
            Some(Slot::Value {
                owner,
                key: key.clone(),
                prefix: TextRange::new(prefix_start.min(offset), offset),
                in_list,
            })
        }
        None if !shape.dashes.is_empty() && is_scalar_list_item(flow, text, line, &shape) => {
            let (parent, key) = list_parent(flow, text, line, *shape.dashes.last()?)?;
            Some(Slot::Value {
                owner: Owner::Mapping(parent),
                key: key.to_string(),
                prefix: TextRange::new(rest_start, offset),
                in_list: true,
            })
        }
        None => Some(Slot::Key { owner, prefix: TextRange::new(rest_start.min(offset), offset) }),
    }
}

/// Whether a `- item` line belongs to a list of scalars (such as `Errors`) rather than to a
/// list of mappings.
fn is_scalar_list_item(flow: &Flow<'_>, text: &SourceText, line: u32, shape: &LineShape) -> bool {
    let Some(dash) = shape.dashes.last() else { return false };
    let Some((parent, key)) = list_parent(flow, text, line, *dash) else { return false };
    let Some(object) = object_of(flow, parent) else { return false };
    match object.field(key).map(|f| &f.ty) {
        Some(ValueType::Array { items, .. }) => !matches!(**items, ValueType::Object(_)),
        _ => false,
    }
}

/// The mapping and key whose block list has items at column `dash`, found above `line`.
fn list_parent<'a>(flow: &Flow<'a>, text: &SourceText, line: u32, dash: u32) -> Option<(Node<'a>, &'a str)> {
    for l in (0..line).rev() {
        let s = line_shape(text, l);
        if s.blank {
            continue;
        }
        if s.dashes.contains(&dash) || s.indent > dash {
            continue; // a sibling item or the inside of one
        }
        let (_, key_range) = s.key.as_ref()?;
        let mapping = mapping_with_key_at(flow.root(), key_range.start)?;
        let entry = mapping.entries().find(|e| e.key.range().start == key_range.start)?;
        return Some((mapping, entry.key.scalar()?));
    }
    None
}

/// The mapping that owns a key starting at `shape.body` on `line`.
fn owner_of<'a>(flow: &Flow<'a>, text: &SourceText, line: u32, shape: &LineShape) -> Option<Owner<'a>> {
    let column = shape.body;
    // A key on a `- ` line starts an item: the item's mapping, if the tree has it.
    if let Some(&dash) = shape.dashes.last() {
        if let Some((_, key_range)) = &shape.key
            && let Some(m) = mapping_with_key_at(flow.root(), key_range.start)
        {
            return Some(Owner::Mapping(m));
        }
        let (parent, key) = list_parent(flow, text, line, dash)?;
        // The item may already exist with other keys below the cursor line.
        if let Some(item) = existing_item(flow, parent, key, text.line_start(line)) {
            return Some(Owner::Mapping(item));
        }
        return Some(Owner::NewItem { parent, key });
    }
    for l in (0..line).rev() {
        let s = line_shape(text, l);
        if s.blank {
            continue;
        }
        if s.body == column && s.key.is_some() {
            let (_, key_range) = s.key.as_ref()?;
            return mapping_with_key_at(flow.root(), key_range.start).map(Owner::Mapping);
        }
        if s.body < column {
            let (_, key_range) = s.key.as_ref()?;
            let parent = mapping_with_key_at(flow.root(), key_range.start)?;
            let entry = parent.entries().find(|e| e.key.range().start == key_range.start)?;
            let key = entry.key.scalar()?;
            let value = flow.resolve(entry.value);
            if value.kind() == NodeKind::Mapping {
                return Some(Owner::Mapping(value));
            }
            return Some(Owner::NewMapping { parent, key });
        }
    }
    // Nothing above: the root mapping (or a document being started).
    (flow.root().kind() == NodeKind::Mapping).then(|| Owner::Mapping(flow.root()))
}

/// The item of list `key` in `parent` that starts on the line at `line_start`.
fn existing_item<'a>(flow: &Flow<'a>, parent: Node<'a>, key: &str, line_start: u32) -> Option<Node<'a>> {
    let list = flow.resolve(flow.get(parent, key)?.value);
    let fits = |i: &Node<'a>| {
        let r = i.range();
        r.start >= line_start && r.start <= line_start + 400 && i.kind() == NodeKind::Mapping
    };
    if flow.follows_aliases() || list.item_count() <= HALVING_FROM {
        return list.items().find(fits);
    }
    // Items in source order: those before the line are skipped by halving.
    let from = list.item_partition_point(|i| i.range().start >= line_start);
    (from..list.item_count())
        .map_while(|i| list.item(i))
        .take_while(|i| i.range().start <= line_start + 400)
        .find(fits)
}

/// The schema object of a mapping of the flow, found by walking from the root.
pub(crate) fn object_of(flow: &Flow<'_>, target: Node<'_>) -> Option<&'static ObjectSpec> {
    let dialect = flow.dialect();
    let mut node = flow.root();
    let mut object = spec::root_object(dialect);
    loop {
        if node.same(target) {
            return Some(object);
        }
        let entry = node.entries().find(|e| e.value.range().contains_range(target.range()))?;
        let key = entry.key.scalar()?;
        let value = flow.resolve(entry.value);
        let field = object.field(key)?;
        let (next_node, next_object) = child_object(flow, value, &field.ty, target)?;
        node = next_node;
        object = next_object;
    }
}

/// Steps from a value to the object that contains `target` inside it.
fn child_object<'a>(
    flow: &Flow<'a>,
    value: Node<'a>,
    ty: &ValueType,
    target: Node<'_>,
) -> Option<(Node<'a>, &'static ObjectSpec)> {
    let dialect = flow.dialect();
    match ty {
        ValueType::Object(name) => {
            let object = spec::object(dialect, name)?;
            Some((value, state_specific(flow, value, object)))
        }
        ValueType::Array { items, .. } => {
            let range = target.range();
            let item = if flow.follows_aliases() || value.item_count() <= HALVING_FROM {
                value.items().map(|i| flow.resolve(i)).find(|i| i.range().contains_range(range))?
            } else {
                // Without aliases items are where their text is, in order: found by halving.
                let at = value.item_partition_point(|i| i.range().end >= range.end);
                value.item(at).filter(|i| i.range().contains_range(range))?
            };
            child_object(flow, item, items, target)
        }
        ValueType::OneOf(options) => options.iter().find_map(|t| child_object(flow, value, t, target)),
        _ => None,
    }
}

/// For the state union, the object of the state's actual `Type`.
pub(crate) fn state_specific(
    flow: &Flow<'_>,
    node: Node<'_>,
    object: &'static ObjectSpec,
) -> &'static ObjectSpec {
    let dialect = flow.dialect();
    if object.name != spec::state_union(dialect).name {
        return object;
    }
    flow.get_str(node, spec::state_tag(dialect))
        .and_then(|(ty, _)| spec::state_object(dialect, ty))
        .unwrap_or(object)
}

/// The schema object for an owner.
pub(crate) fn owner_object(flow: &Flow<'_>, owner: Owner<'_>) -> Option<&'static ObjectSpec> {
    let dialect = flow.dialect();
    match owner {
        Owner::Mapping(m) => object_of(flow, m),
        Owner::NewMapping { parent, key } | Owner::NewItem { parent, key } => {
            let field = object_of(flow, parent)?.field(key)?;
            let ty = match (&field.ty, owner) {
                (ValueType::Array { items, .. }, Owner::NewItem { .. }) => &**items,
                (ty, _) => ty,
            };
            match ty {
                ValueType::Object(name) => spec::object(dialect, name),
                _ => None,
            }
        }
    }
}

impl Owner<'_> {
    /// The mapping node, when it exists.
    pub(crate) fn node(&self) -> Option<Node<'_>> {
        match self {
            Owner::Mapping(m) => Some(*m),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::cursor;

    fn check(fixture: &str, expect: Expect) {
        let (doc, offset) = cursor(fixture);
        let flow = Flow::new(&doc.tree).expect("a flow");
        let out = match slot_at(&flow, &doc.text, offset) {
            None => "none".to_string(),
            Some(slot) => {
                let (owner, what) = match &slot {
                    Slot::Key { owner, prefix } => (*owner, format!("key {:?}", doc.text.slice(*prefix))),
                    Slot::Value { owner, key, prefix, in_list } => (
                        *owner,
                        format!(
                            "value of {key} {:?}{}",
                            doc.text.slice(*prefix),
                            if *in_list { " in list" } else { "" }
                        ),
                    ),
                };
                let object = owner_object(&flow, owner).map_or("?".to_string(), |o| o.name.clone());
                let kind = match owner {
                    Owner::Mapping(_) => "mapping",
                    Owner::NewMapping { .. } => "new mapping",
                    Owner::NewItem { .. } => "new item",
                };
                format!("{what} in {kind} {object}")
            }
        };
        expect.assert_eq(&out);
    }

    const HEAD: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n";

    #[test]
    fn keys_and_values_in_states() {
        check(
            &format!("{HEAD}  - Type: Task\n    Name: A\n    Acti$0\n    End: true\n"),
            expect![[r#"key "Acti" in mapping TaskState"#]],
        );
        check(
            &format!("{HEAD}  - Type: Task\n    Name: A\n    TaskMode: Wa$0\n    End: true\n"),
            expect![[r#"value of TaskMode "Wa" in mapping TaskState"#]],
        );
        check(
            &format!("{HEAD}  - Type: Task\n    Name: A\n    End: true\n  - Ty$0\n"),
            expect![[r#"key "Ty" in new item State"#]],
        );
        check(
            &format!("{HEAD}  - Type: Task\n    Name: A\n    End: true\n  - Type: $0\n"),
            expect![[r#"value of Type "" in mapping State"#]],
        );
        check("Type: StateMachine\nSta$0", expect![[r#"key "Sta" in mapping StateMachine"#]]);
    }

    #[test]
    fn nested_objects_and_lists() {
        check(
            &format!(
                "{HEAD}  - Type: Task\n    Name: A\n    Retry:\n      - Errors: [FnF.ALL, FC.$0]\n    End: true\n"
            ),
            expect![[r#"value of Errors "FC." in list in mapping RetryRule"#]],
        );
        check(
            &format!(
                "{HEAD}  - Type: Task\n    Name: A\n    Catch:\n      - Errors:\n          - $0\n    End: true\n"
            ),
            expect![[r#"value of Errors "" in list in mapping CatchRule"#]],
        );
        check(
            &format!(
                "{HEAD}  - Type: Task\n    Name: A\n    Catch:\n      - Errors: [FnF.ALL]\n        N$0\n    End: true\n"
            ),
            expect![[r#"key "N" in mapping CatchRule"#]],
        );
        check(
            &format!(
                "{HEAD}  - Type: Parallel\n    Name: A\n    Branches:\n      - StartAt: B\n        States:\n          - Type: Pass\n            Name: B\n            Next: $0\n    End: true\n"
            ),
            expect![[r#"value of Next "" in mapping PassState"#]],
        );
        check(
            &format!("{HEAD}  - Type: Map\n    Name: A\n    Processor:\n      $0\n"),
            expect![[r#"key "" in new mapping Processor"#]],
        );
    }
}
