//! Completion fixtures: a `$0` cursor in, the offered items out.

use expect_test::{Expect, expect};

use fdl_schema::integrations::WorkflowMode;

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
        &Config { mode: Some(WorkflowMode::Express), ..Config::default() },
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

/// A flow of 150 states: the first `$0` in `states` is where the cursor goes.
fn many_states(cursor_in: usize, next: &str) -> String {
    let mut s = HEAD.to_string();
    for i in 0..150 {
        let name = if i % 2 == 0 { format!("步骤{i}") } else { format!("Step{i}") };
        let next = if i == cursor_in { next.to_string() } else { format!("Step{}", (i + 1) % 150) };
        s.push_str(&format!("  - Type: Pass\n    Name: {name}\n    Next: {next}\n"));
    }
    s
}

/// The labels offered at the fixture's cursor, best first, and whether the list is cut.
fn offer(fixture: String) -> (Vec<String>, bool) {
    let (doc, offset) = cursor(&fixture);
    let list = completion_list(&doc, &Config::default(), offset);
    let mut items = list.items;
    items.sort_by(|a, b| a.sort.cmp(&b.sort));
    (items.into_iter().map(|i| i.label).collect(), list.incomplete)
}

/// With more states than [`names::MAX_STATE_ITEMS`], the list is cut short and says so:
/// the states right after the cursor's come first; typed text filters (prefix, then
/// contains); a scope of few states is offered whole and complete.
#[test]
fn many_state_names_are_offered_best_first_and_incomplete() {
    let (labels, incomplete) = offer(many_states(140, "$0"));
    assert!(incomplete);
    assert_eq!(labels.len(), names::MAX_STATE_ITEMS);
    assert_eq!(labels[..3], ["Step141", "步骤142", "Step143"]);
    assert!(!labels.contains(&"步骤140".to_string()), "not the state itself");

    let (labels, incomplete) = offer(many_states(3, "step1$0"));
    assert!(!incomplete, "{labels:?}");
    assert_eq!(labels[..3], ["Step1", "Step11", "Step13"], "the name typed first");
    assert!(labels.iter().all(|l| l.to_lowercase().contains("step1")), "{labels:?}");
    assert_eq!(labels.len(), 31, "Step1, the odd Step11-19 and Step101-149: {labels:?}");

    let (labels, incomplete) = offer(many_states(3, "骤$0"));
    assert!(!incomplete);
    assert_eq!(labels[..2], ["步骤4", "步骤6"]);
    assert_eq!(labels.len(), 75, "every even state");

    let (labels, incomplete) = offer(format!(
        "{HEAD}  - Type: Pass\n    Name: 视频理解\n    Next: x$0\n  - Type: Pass\n    Name: B\n    End: true\n"
    ));
    assert_eq!((labels, incomplete), (vec!["B".to_string()], false));
}

/// A big scope with nothing typed is answered from the states after the cursor's, around
/// the end of the list; names with letters that fold (`Ä`) match case-insensitively; the
/// scope of a branch inside a big flow is offered whole.
#[test]
fn big_scopes_wrap_around_fold_names_and_keep_nested_scopes_whole() {
    let (labels, incomplete) = offer(many_states(148, "$0"));
    assert!(incomplete);
    assert_eq!(labels[..4], ["Step149", "步骤0", "Step1", "步骤2"], "around the end");
    assert_eq!(labels.len(), names::MAX_STATE_ITEMS);

    let fixture = many_states(3, "ärger$0").replace("Name: Step7\n", "Name: ÄRGER-Ünd\n");
    let (labels, incomplete) = offer(fixture);
    assert_eq!((labels, incomplete), (vec!["ÄRGER-Ünd".to_string()], false));

    let branch = "  - Type: Parallel\n    Name: 并行\n    Branches:\n      - StartAt: 甲\n        States:\n          - Type: Pass\n            Name: 甲\n            Next: $0\n          - Type: Pass\n            Name: 乙\n            End: true\n    End: true\n";
    let (labels, incomplete) = offer(format!("{}{branch}", many_states(999, "")));
    assert_eq!((labels, incomplete), (vec!["乙".to_string()], false));
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
        format!("{HEAD}  - Type: Choice\n    Name: 视频理解\n    Branches:\n{rest}    Default: 视频理解\n")
    };
    let (doc, offset) = cursor(&flow("      - Condition: $Input.a\n        Next: 视频理解\n      - $0\n"));
    let labels: Vec<String> =
        completions(&doc, &Config::default(), offset).into_iter().map(|i| i.label).collect();
    assert!(labels.contains(&"Choice branch".to_string()), "{labels:?}");
    let (doc, offset) = cursor(&format!("{HEAD}  - Type: Map\n    Name: 视频理解\n    $0\n    End: true\n"));
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

/// Completion works around placeholders: task modes from an Action whose ARN is templated,
/// and state names beside states named with placeholders.
#[test]
fn around_placeholders() {
    let flow = "Type: StateMachine\nSpecVersion: v1\nName: ${vars.name}-flow\nStartAt: 调用\nStates:\n  - Type: Task\n    Name: 调用\n    Action: MNS:SendMessage\n    TaskMode: $0\n    Parameters:\n      resourceArn: acs:mns:${ALIYUN::Region}:${ALIYUN::TenantId}:/queues/${Queue}/messages\n    Next: 步骤-${vars.env}\n  - Type: Pass\n    Name: 步骤-${vars.env}\n    Next: \n";
    check(
        flow,
        expect![[r#"
            Value RequestComplete (supported by Simple Message Queue (formerly MNS) (MNS:SendMessage)) [replaces ""]
            Value WaitForCustomCallback (supported by Simple Message Queue (formerly MNS) (MNS:SendMessage)) [replaces ""]
        "#]],
    );
    check(
        &flow.replace("TaskMode: $0", "TaskMode: RequestComplete").replace("Next: \n", "Next: $0\n"),
        expect![[r#"
        State 调用 (Task state) [replaces ""]
    "#]],
    );
}
/// The cursor after `Next: ` of the last state stands past the end of the state list.
#[test]
fn next_of_the_last_state_at_the_end_of_the_file() {
    check(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: 调用\nStates:\n  - Type: Pass\n    Name: 调用\n    Next: 步骤\n  - Type: Pass\n    Name: 步骤\n    Next: $0\n",
        expect![[r#"
            State 调用 (Pass state) [replaces ""]
        "#]],
    );
}

/// Names for the table-versus-reading property: cases that fold (`Ä`, the Kelvin sign,
/// `İ`, a final sigma), CJK, names inside other names, duplicates.
const NAMES: [&str; 12] = [
    "Step",
    "step1",
    "STEP12",
    "步骤",
    "处理步骤",
    "ÄRGER",
    "\u{212A}elvin",
    "İyi",
    "ΣΟΦΟΣ",
    "a",
    "aa",
    "Ste p",
];

fn table_flow(n: usize) -> String {
    let mut s = HEAD.to_string();
    for i in 0..n {
        match i % 17 {
            // Not states: a scalar item, and a state without a name.
            5 => s.push_str("  - 5\n"),
            11 => s.push_str("  - Type: Succeed\n"),
            _ => {
                let name = format!("{}{}", NAMES[i % NAMES.len()], i / 3);
                let name = if i % 13 == 0 { format!("\"{name}\"") } else { name };
                // Types of every kind: none, not a string, empty.
                let ty =
                    ["Type: Pass\n    ", "", "Type: [a]\n    ", "Type: ''\n    ", "Type: Wait\n    "][i % 5];
                s.push_str(&format!("  - {ty}Name: {name}\n    Next: x\n"));
            }
        }
    }
    s
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// `Next:` completion in a big top-level scope answers from the document's table of
    /// names (kept across snapshots, brought up to date after each edit) exactly what
    /// reading every state answers: the items, their order, and whether the list is cut.
    #[test]
    fn names_from_the_table_equal_a_reading_of_every_state(
        steps in proptest::collection::vec((0usize..400, proptest::sample::select(vec![
            "s", "St", "STE", "step1", "步", "步骤", "处理", "ä", "ÄR", "k", "\u{212A}", "i̇", "σ", "ς", "a", "aa", "1", "0",
            "ste p", "\"St", "'步", "zz", "e", "ΣΟΦΟΣ1",
        ]), 0usize..4), 1..8),
    ) {
        let mut doc = Document::new(&table_flow(300));
        for (k, typed, rename) in steps {
            // Rename a state (a splice in the middle of the table) now and then.
            let text = doc.text.to_string_lossless();
            if rename > 0 {
                let at = text.match_indices("Name: ").nth(k % 200).unwrap().0 + 6;
                doc = doc.edit(crate::syntax::TextRange::empty(at as u32), ["", "新", "Q", "ste"][rename]);
            }
            let text = doc.text.to_string_lossless();
            // The `Next:` of a Pass state (one without a type has no `Next` to complete).
            let pass = text.match_indices("Type: Pass\n").nth(k % 50).unwrap().0;
            let at = pass + text[pass..].find("Next: ").unwrap();
            let start = at as u32 + 6;
            let end = start + text[at + 6..].find('\n').unwrap() as u32;
            doc = doc.edit(crate::syntax::TextRange::new(start, end), typed);
            let offset = start + typed.len() as u32;
            let from_table = completion_list(&doc, &Config::default(), offset);
            names::READ_EVERY_STATE.with(|r| r.set(true));
            let read = completion_list(&doc, &Config::default(), offset);
            names::READ_EVERY_STATE.with(|r| r.set(false));
            proptest::prop_assert!(!read.items.is_empty() || typed == "zz", "{typed}");
            proptest::prop_assert_eq!(from_table, read);
        }
    }
}
