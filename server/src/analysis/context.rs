//! State shared by the rules while one document is analysed.

use fdl_schema::Dialect;
use fdl_schema::integrations::WorkflowMode;

use super::model::Flow;
use super::{Code, Diagnostic};
use crate::syntax::{Entry, Node, NodeKind, SourceText, TextRange};
use crate::templates::{Placeholder, Syntaxes, placeholder};

/// Widens a range to the whole lines it touches, line break included: what deleting an
/// entry should remove.
pub(crate) fn whole_lines(text: &SourceText, range: TextRange) -> TextRange {
    let first = text.line_of(range.start);
    let last = text.line_of(range.end);
    TextRange::new(text.line_start(first), text.line_start(last + 1))
}

/// What removing the entry at `range` (its key to its value) deletes: its whole lines when
/// it has them to itself (block style, or a flow mapping written an entry per line), else
/// the entry and the comma that separates it from the next one, or from the one before when
/// it is the last (flow style, where the line may hold the whole flow). Never more than the
/// mapping holds: the diagnostics of a state are reused while its subtree is unchanged, and
/// what is around it on its line may not be.
pub(crate) fn entry_removal(text: &SourceText, range: TextRange) -> TextRange {
    /// Far enough to see a line's indentation or what ends it; a longer look is flow style.
    const LOOK: u32 = 256;
    let lines = whole_lines(text, range);
    let before = text.slice(TextRange::new(range.start.saturating_sub(LOOK).max(lines.start), range.start));
    let after = text.slice(TextRange::new(range.end, (range.end + LOOK).min(lines.end)));
    let blank = |s: &str| s.len() - s.trim_start_matches([' ', '\t']).len();
    let own_line_start = range.start - lines.start <= LOOK && before.chars().all(|c| c == ' ' || c == '\t');
    let rest = &after[blank(&after)..];
    let rest_after_comma = rest.strip_prefix(',').map(|r| &r[blank(r)..]).unwrap_or(rest);
    if own_line_start && (rest_after_comma.is_empty() || rest_after_comma.starts_with(['\n', '\r', '#'])) {
        return lines;
    }
    if let Some(r) = rest.strip_prefix(',') {
        let end = range.end + (after.len() - r.len() + blank(r)) as u32;
        return TextRange::new(range.start, end);
    }
    let head = before.trim_end_matches([' ', '\t', '\n', '\r']);
    match head.strip_suffix(',') {
        Some(h) => TextRange::new(range.start - (before.len() - h.len()) as u32, range.end),
        None => range,
    }
}

pub(crate) struct Ctx<'c, 'a> {
    pub(crate) flow: &'c Flow<'a>,
    pub(crate) dialect: Dialect,
    pub(crate) mode: WorkflowMode,
    /// The deployment tools whose placeholders this file may hold.
    pub(crate) placeholders: Syntaxes,
    pub(crate) text: &'a SourceText,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The top-level list (`States` / `steps`) as written, and its items whose diagnostics
    /// are not reused from the cache: the local rules visit these, not the thousands of
    /// others.
    pub(crate) top_list: Option<Node<'a>>,
    pub(crate) fresh: Vec<Node<'a>>,
}

impl<'c, 'a> Ctx<'c, 'a> {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The top-level states to check (resolved, mappings only): those not reused.
    pub(crate) fn fresh_states(&self) -> Vec<Node<'a>> {
        self.fresh.iter().map(|n| self.flow.resolve(*n)).filter(|n| n.kind() == NodeKind::Mapping).collect()
    }

    pub(crate) fn resolve(&self, node: Node<'a>) -> Node<'a> {
        self.flow.resolve(node)
    }

    pub(crate) fn entries(&self, node: Node<'a>) -> Vec<Entry<'a>> {
        self.flow.entries(node)
    }

    pub(crate) fn get(&self, node: Node<'a>, key: &str) -> Option<Entry<'a>> {
        self.flow.get(node, key)
    }

    pub(crate) fn get_str(&self, node: Node<'a>, key: &str) -> Option<(&'a str, Node<'a>)> {
        self.flow.get_str(node, key)
    }

    /// Whether a value is only known at deployment (a placeholder in it, a YAML tag, a
    /// `{{ name }}` mapping): its format is then not ours to judge.
    pub(crate) fn deploy_time(&self, node: Node<'_>) -> bool {
        placeholder::is_deploy_time(node, self.text, &self.placeholders)
    }

    /// The placeholders in a string value, with ranges in that string.
    pub(crate) fn placeholders_in(&self, value: &str) -> Vec<Placeholder> {
        placeholder::find(value, &self.placeholders)
    }
}

/// Generic YAML checks over the whole document: keys that appear twice in one mapping, and
/// a `#` glued to a plain value (YAML keeps it in the value; a comment needs a space).
pub(crate) fn yaml_checks(cx: &mut Ctx<'_, '_>, root: Node<'_>) {
    let text = cx.text;
    let mut out = std::mem::take(&mut cx.diagnostics);
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if cx.top_list.is_some_and(|l| l.same(node)) {
            // The items an analysis reuses are not walked at all.
            stack.extend(cx.fresh.iter().copied());
            continue;
        }
        if node.is_plain_scalar()
            && let Some(value) = node.scalar()
            && let Some(hash) = value.find("# ")
            && value[..hash].ends_with(|c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | ')' | ']'))
        {
            let range = node.value_range();
            out.push(Diagnostic::warning(
                Code::YamlSyntax,
                range,
                format!(
                    "`#` right after text is part of the value `{value}`, not a comment; put a space before `#` to start a comment"
                ),
            ));
        }
        if node.kind() == NodeKind::Mapping {
            // Mappings are mostly small: a linear scan beats hashing every key, but a big one
            // (a constructor with thousands of keys) would make it quadratic.
            let mut seen: Vec<(&str, Node<'_>)> = Vec::with_capacity(node.entry_count());
            let mut index: Option<std::collections::HashMap<&str, usize>> =
                (node.entry_count() > 32).then(std::collections::HashMap::new);
            for e in node.entries() {
                let Some(k) = e.key.scalar() else { continue };
                if k == "<<" {
                    continue;
                }
                let found = match &index {
                    Some(index) => index.get(k).map(|&i| &seen[i]),
                    None => seen.iter().find(|(s, _)| *s == k),
                };
                if let Some((_, first)) = found {
                    // Relative, not absolute: the message must not change when lines are
                    // added above the mapping (diagnostics of unchanged states are reused).
                    let above = text.line_of(e.key.range().start) - text.line_of(first.range().start);
                    let where_ = if above == 0 {
                        "earlier on this line".to_string()
                    } else if above == 1 {
                        "on the line above".to_string()
                    } else {
                        format!("{above} lines above")
                    };
                    out.push(
                        Diagnostic::error(
                            Code::DuplicateKey,
                            e.key.range(),
                            format!("duplicate key `{k}`: it is already set {where_}, and only one of the two counts"),
                        )
                        .with_fix(format!("Remove this `{k}` entry"), entry_removal(text, e.key.range().cover(e.value.range())), ""),
                    );
                } else {
                    if let Some(index) = index.as_mut() {
                        index.insert(k, seen.len());
                    }
                    seen.push((k, e.key));
                }
            }
        }
        stack.extend(node.children());
    }
    cx.diagnostics = out;
}
