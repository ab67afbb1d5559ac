//! State names as symbols: go to definition, find references, highlight, rename. A name is
//! defined by a state's `Name` (legacy `name`) and referenced by `StartAt`, `Next`,
//! `Default`, Choice branch `Next`, Catch `Next` and legacy `goto`, always within one scope.

use super::{Document, host};
use crate::analysis::model::{Flow, Scope};
use crate::syntax::{Node, ScalarStyle, TextRange, yaml_string};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NavigationTarget {
    /// The state's name.
    pub focus_range: TextRange,
    /// The whole state.
    pub full_range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HighlightKind {
    /// Where the state is named.
    Write,
    /// Where a transition names it.
    Read,
}

/// A state name under the cursor.
struct Found<'f, 'a> {
    scope: Scope<'f, 'a>,
    name: &'a str,
    node: Node<'a>,
}

fn find<'f, 'a>(flow: &'f Flow<'a>, offset: u32) -> Option<Found<'f, 'a>> {
    let hit = |node: Node<'a>| node.value_range().contains_inclusive(offset);
    for scope in flow.scopes() {
        if let Some((name, node)) = scope.start_at().filter(|(_, n)| hit(*n)) {
            return Some(Found { scope, name, node });
        }
        for state in scope.states() {
            if let Some((name, node)) = state.name().filter(|(_, n)| hit(*n)) {
                return Some(Found { scope, name, node });
            }
            if let Some(t) = state.transitions().into_iter().find(|t| hit(t.node)) {
                return Some(Found { scope, name: t.target, node: t.node });
            }
        }
    }
    None
}

/// Every place that names `name` in `scope`: definitions first, then references.
fn occurrences<'a>(scope: &Scope<'_, 'a>, name: &str) -> Vec<(Node<'a>, HighlightKind)> {
    let mut out = Vec::new();
    for state in scope.states() {
        if let Some((n, node)) = state.name()
            && n == name
        {
            out.push((node, HighlightKind::Write));
        }
    }
    if let Some((n, node)) = scope.start_at()
        && n == name
    {
        out.push((node, HighlightKind::Read));
    }
    for state in scope.states() {
        for t in state.transitions() {
            if t.target == name {
                out.push((t.node, HighlightKind::Read));
            }
        }
    }
    out
}

pub fn definition(doc: &Document, offset: u32) -> Option<NavigationTarget> {
    if let Some(t) = host::at(doc, offset, |e, inner| {
        let t = definition(&e.doc, inner)?;
        Some(NavigationTarget {
            focus_range: e.range_to_host(t.focus_range),
            full_range: e.range_to_host(t.full_range),
        })
    }) {
        return t;
    }
    let flow = Flow::new(&doc.tree)?;
    let found = find(&flow, offset)?;
    let state = found.scope.find(found.name)?;
    let (_, name) = state.name()?;
    Some(NavigationTarget { focus_range: name.value_range(), full_range: state.node.range() })
}

pub fn references(doc: &Document, offset: u32, include_declaration: bool) -> Vec<TextRange> {
    if let Some(refs) = host::at(doc, offset, |e, inner| {
        references(&e.doc, inner, include_declaration).into_iter().map(|r| e.range_to_host(r)).collect()
    }) {
        return refs;
    }
    let Some(flow) = Flow::new(&doc.tree) else { return Vec::new() };
    let Some(found) = find(&flow, offset) else { return Vec::new() };
    occurrences(&found.scope, found.name)
        .into_iter()
        .filter(|(_, kind)| include_declaration || *kind == HighlightKind::Read)
        .map(|(node, _)| node.value_range())
        .collect()
}

pub fn highlights(doc: &Document, offset: u32) -> Vec<(TextRange, HighlightKind)> {
    if let Some(found) = host::at(doc, offset, |e, inner| {
        highlights(&e.doc, inner).into_iter().map(|(r, k)| (e.range_to_host(r), k)).collect()
    }) {
        return found;
    }
    let Some(flow) = Flow::new(&doc.tree) else { return Vec::new() };
    let Some(found) = find(&flow, offset) else { return Vec::new() };
    occurrences(&found.scope, found.name).into_iter().map(|(node, kind)| (node.value_range(), kind)).collect()
}

const NOT_A_STATE: &str =
    "only state names can be renamed: put the cursor on a state's Name or on StartAt, Next, Default or goto";

/// The name under the cursor (without quotes) and the name itself, if it can be renamed.
pub fn prepare_rename(doc: &Document, offset: u32) -> Result<(TextRange, String), String> {
    if let Some(result) = host::at(doc, offset, |e, inner| {
        prepare_rename(&e.doc, inner).map(|(r, name)| (e.range_to_host(r), name))
    }) {
        return result;
    }
    let flow = Flow::new(&doc.tree).ok_or_else(|| NOT_A_STATE.to_string())?;
    let found = find(&flow, offset).ok_or_else(|| NOT_A_STATE.to_string())?;
    if found.node.tag().is_some() {
        return Err("this name is computed at deploy time (a YAML tag); rename it at its source".to_string());
    }
    Ok((inner_range(found.node), found.name.to_string()))
}

/// The edits that rename the state under the cursor everywhere in its scope.
pub fn rename(doc: &Document, offset: u32, new_name: &str) -> Result<Vec<(TextRange, String)>, String> {
    if let Some(result) = host::at(doc, offset, |e, inner| {
        rename(&e.doc, inner, new_name)?
            .into_iter()
            .map(|(r, text)| match e.text_to_host(&text) {
                Some(text) => Ok((e.range_to_host(r), text)),
                None => Err(format!("`{new_name}` cannot be written inside this {} as it is", e.flow.format)),
            })
            .collect()
    }) {
        return result;
    }
    prepare_rename(doc, offset)?;
    let flow = Flow::new(&doc.tree).ok_or_else(|| NOT_A_STATE.to_string())?;
    let found = find(&flow, offset).ok_or_else(|| NOT_A_STATE.to_string())?;
    if new_name.trim().is_empty() {
        return Err("a state name cannot be empty".to_string());
    }
    if new_name != found.name && found.scope.find(new_name).is_some() {
        return Err(format!("this scope already has a state named `{new_name}`"));
    }
    let replacement = yaml_string(new_name);
    let mut edits: Vec<(TextRange, String)> = occurrences(&found.scope, found.name)
        .into_iter()
        .map(|(node, _)| (node.value_range(), replacement.clone()))
        .collect();
    edits.sort_by_key(|(r, _)| r.start);
    Ok(edits)
}

/// A scalar's range without its quotes.
fn inner_range(node: Node<'_>) -> TextRange {
    let r = node.value_range();
    match node.scalar_style() {
        Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) if r.len() >= 2 => {
            TextRange::new(r.start + 1, r.end - 1)
        }
        _ => r,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::{cursor, mark};

    const FLOW: &str = r#"Type: StateMachine
SpecVersion: v1
StartAt: 视频理解
States:
  - Type: Task
    Name: 视频理解
    Action: HTTP:Request
    Catch:
      - Errors: [FnF.ALL]
        Next: "失败: 原因"
    Next: 分支
  - Type: Parallel
    Name: 分支
    Branches:
      - StartAt: 视频理解
        States:
          - Type: Pass
            Name: 视频理解
            End: true
    Next: 判断
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.ok
        Next: 视频理解
    Default: "失败: 原因"
  - Type: Fail
    Name: "失败: 原因"
"#;

    fn with_cursor(needle: &str, nth: usize) -> String {
        let found = FLOW.match_indices(needle).nth(nth).expect("needle").0;
        let at = found + needle.chars().next().map_or(0, char::len_utf8);
        format!("{}$0{}", &FLOW[..at], &FLOW[at..])
    }

    fn check_references(fixture: &str, expect: Expect) {
        let (doc, offset) = cursor(fixture);
        let text = doc.text.to_string_lossless();
        expect.assert_eq(&mark(&text, &references(&doc, offset, true)));
    }

    #[test]
    fn references_stay_in_their_scope() {
        // From the top-level StartAt: the top-level state, not the one in the branch.
        check_references(
            &with_cursor("视频理解", 0),
            expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: «视频理解»
            States:
              - Type: Task
                Name: «视频理解»
                Action: HTTP:Request
                Catch:
                  - Errors: [FnF.ALL]
                    Next: "失败: 原因"
                Next: 分支
              - Type: Parallel
                Name: 分支
                Branches:
                  - StartAt: 视频理解
                    States:
                      - Type: Pass
                        Name: 视频理解
                        End: true
                Next: 判断
              - Type: Choice
                Name: 判断
                Branches:
                  - Condition: $Input.ok
                    Next: «视频理解»
                Default: "失败: 原因"
              - Type: Fail
                Name: "失败: 原因"
        "#]],
        );
        // From the branch's StartAt: only the branch's state.
        check_references(
            &with_cursor("视频理解", 2),
            expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: 视频理解
            States:
              - Type: Task
                Name: 视频理解
                Action: HTTP:Request
                Catch:
                  - Errors: [FnF.ALL]
                    Next: "失败: 原因"
                Next: 分支
              - Type: Parallel
                Name: 分支
                Branches:
                  - StartAt: «视频理解»
                    States:
                      - Type: Pass
                        Name: «视频理解»
                        End: true
                Next: 判断
              - Type: Choice
                Name: 判断
                Branches:
                  - Condition: $Input.ok
                    Next: 视频理解
                Default: "失败: 原因"
              - Type: Fail
                Name: "失败: 原因"
        "#]],
        );
    }

    #[test]
    fn definition_of_a_quoted_name() {
        let (doc, offset) = cursor(&with_cursor("\"失败: 原因\"", 0));
        let target = definition(&doc, offset).expect("a target");
        let text = doc.text.to_string_lossless();
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: 视频理解
            States:
              - Type: Task
                Name: 视频理解
                Action: HTTP:Request
                Catch:
                  - Errors: [FnF.ALL]
                    Next: "失败: 原因"
                Next: 分支
              - Type: Parallel
                Name: 分支
                Branches:
                  - StartAt: 视频理解
                    States:
                      - Type: Pass
                        Name: 视频理解
                        End: true
                Next: 判断
              - Type: Choice
                Name: 判断
                Branches:
                  - Condition: $Input.ok
                    Next: 视频理解
                Default: "失败: 原因"
              - Type: Fail
                Name: «"失败: 原因"»
        "#]]
        .assert_eq(&mark(&text, &[target.focus_range]));
    }

    #[test]
    fn rename_quotes_when_needed_and_refuses_other_tokens() {
        let (doc, offset) = cursor(&with_cursor("判断", 1));
        let (range, name) = prepare_rename(&doc, offset).unwrap();
        assert_eq!((doc.text.slice(range), name.as_str()), ("判断".to_string(), "判断"));
        let edits = rename(&doc, offset, "check: ok").unwrap();
        let mut text = doc.text.to_string_lossless();
        for (r, new) in edits.iter().rev() {
            text.replace_range(r.as_usize(), new);
        }
        assert_eq!(text.matches("\"check: ok\"").count(), 2, "{text}");
        // Renaming changes no diagnostic (the fixture has two warnings of its own).
        let codes =
            |d: &Document| d.diagnostics(&Default::default()).iter().map(|d| d.code).collect::<Vec<_>>();
        assert_eq!(codes(&Document::new(&text)), codes(&doc), "{text}");

        let (doc, offset) = cursor(&FLOW.replace("Action: HTTP", "Action: $0HTTP"));
        assert!(prepare_rename(&doc, offset).is_err());
        let (doc, offset) = cursor(&with_cursor("判断", 1));
        assert_eq!(rename(&doc, offset, "分支").unwrap_err(), "this scope already has a state named `分支`");
    }

    /// States named and targeted with placeholders sit beside plain ones: references and
    /// rename of the plain ones are unaffected, and a placeholder target leads nowhere.
    #[test]
    fn placeholders_beside_state_names() {
        let flow = "Type: StateMachine\nSpecVersion: v1\nName: ${vars.name}-flow\nStartAt: 开始\nStates:\n  - Type: Choice\n    Name: 开始\n    Branches:\n      - Condition: $Input.env == \"${vars.env}\"\n        Next: ${vars.next}\n    Default: 步骤-${vars.env}\n  - Type: Pass\n    Name: 步骤-${vars.env}\n    Next: 开始\n";
        check_references(
            &flow.replace("Name: 开始", "Name: 开$0始"),
            expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            Name: ${vars.name}-flow
            StartAt: «开始»
            States:
              - Type: Choice
                Name: «开始»
                Branches:
                  - Condition: $Input.env == "${vars.env}"
                    Next: ${vars.next}
                Default: 步骤-${vars.env}
              - Type: Pass
                Name: 步骤-${vars.env}
                Next: «开始»
        "#]],
        );
        let (doc, offset) = cursor(&flow.replace("Default: 步骤", "Default: 步$0骤"));
        let target = definition(&doc, offset).expect("the state with the same written name");
        assert_eq!(doc.text.slice(target.focus_range), "步骤-${vars.env}");
        let (doc, offset) = cursor(&flow.replace("Next: ${vars", "Next: ${$0vars"));
        assert!(definition(&doc, offset).is_none());
    }
}
