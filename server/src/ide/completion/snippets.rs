//! Whole states for a new item of `States`/`steps`, and rule snippets (Retry, Catch,
//! Choice and Parallel branches, Map processors).

use fdl_schema::Dialect;
use fdl_schema::spec::{self, ObjectSpec};

use super::{CompletionItem, CompletionKind};
use crate::syntax::TextRange;

/// A whole state of each type, for a new item of `States` / `steps`.
pub(super) fn state_snippets(dialect: Dialect, indent: &str, replace: TextRange) -> Vec<CompletionItem> {
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
pub(super) fn rule_snippets(
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
