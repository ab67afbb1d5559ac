//! Completion: keys allowed where the cursor is, whole-state and rule snippets, values
//! (types, task modes the Action supports, patterns, booleans, versions), state names of the
//! right scope for transitions, and error names for `Errors`.
//!
//! Split by the context being completed, as rust-analyzer's ide-completion is:
//! [`keys`] (the keys of the mapping being typed in), [`snippets`] (whole states and
//! Retry/Catch/branch rules), [`values`] (enums, task modes, patterns), [`names`] (state
//! names for transitions, error names), [`catalog`] (Actions and their Parameters),
//! [`expression`] (inside `.$` values and conditions) and [`root`] (an empty document).

mod catalog;
mod expression;
mod keys;
mod names;
mod root;
mod snippets;
mod values;

#[cfg(test)]
mod tests;

use fdl_schema::spec::ObjectSpec;

use super::cursor::{Slot, slot_at};
use super::{Config, Document};
use crate::analysis::model::Flow;
use crate::syntax::TextRange;

pub(crate) use values::task_mode_doc;

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
    pub(super) fn new(
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

    pub(super) fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub(super) fn doc(mut self, doc: impl Into<String>) -> Self {
        let doc = doc.into();
        if !doc.is_empty() {
            self.documentation = Some(doc);
        }
        self
    }

    pub(super) fn snippet(mut self) -> Self {
        self.snippet = true;
        self
    }

    pub(super) fn sort(mut self, rank: usize) -> Self {
        self.sort = format!("{rank:04}");
        self
    }
}

/// The items offered at a place, and whether the list is cut short: then the client asks
/// again as the user types (LSP's `isIncomplete`), and the server filters by what is typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompletionList {
    pub items: Vec<CompletionItem>,
    pub incomplete: bool,
}

pub fn completions(doc: &Document, config: &Config, offset: u32) -> Vec<CompletionItem> {
    completion_list(doc, config, offset).items
}

pub fn completion_list(doc: &Document, config: &Config, offset: u32) -> CompletionList {
    if let Some(list) = super::host::at(doc, offset, |e, inner| {
        let config = e.config(&doc.text, config);
        let list = completion_list(&e.doc, &config, inner);
        let items = list
            .items
            .into_iter()
            .filter_map(|mut item| {
                item.replace = e.range_to_host(item.replace);
                item.insert = e.text_to_host(&item.insert)?;
                Some(item)
            })
            .collect();
        CompletionList { items, incomplete: list.incomplete }
    }) {
        return list;
    }
    let complete = |items| CompletionList { items, incomplete: false };
    let Some(flow) = Flow::new(&doc.tree) else { return complete(root::root_snippets(doc, offset)) };
    if let Some(found) = super::expressions::expression_in(doc, &flow, offset) {
        return complete(expression::expression_completions(&found));
    }
    let Some(slot) = slot_at(&flow, &doc.text, offset) else { return complete(Vec::new()) };
    match slot {
        Slot::Key { owner, prefix } => complete(keys::key_completions(&flow, doc, owner, prefix)),
        Slot::Value { owner, key, prefix, in_list } => {
            let typed = doc.text.slice(prefix);
            let mut list =
                values::value_completions(doc, &flow, owner, &key, prefix, &typed, in_list, config, offset);
            // Completion right after `key:` (the `:` trigger) must not glue the value to it.
            let glued =
                prefix.start > 0 && doc.text.slice(TextRange::new(prefix.start - 1, prefix.start)) == ":";
            if glued {
                for item in &mut list.items {
                    item.insert.insert(0, ' ');
                }
            }
            list
        }
    }
}

/// "Task state", "Retry rule": the schema object's title.
pub(super) fn label(object: &ObjectSpec) -> &str {
    if object.title.is_empty() { &object.name } else { &object.title }
}
