//! The keys and values of each object, from the dialect's schema: unknown and missing
//! keys, types and values, obsolete keys and doc quirks, key groups, recommended keys,
//! limits, and a `#` glued to a value.

use expect_test::expect;

use super::check_flow;
use crate::analysis::{CheckOptions, Code, check};
use crate::syntax::{SourceText, SyntaxTree};

#[test]
fn unknown_and_missing_keys_with_suggestions() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: M\nStates:\n  - Type: Map\n    Name: M\n    ItemsPath: $Input.xs\n    MaxConcurency: 5\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: M
            States:
              - Type: Map
                Name: M
                      ^ error[missing-key]: the Map state needs `Processor`: the sub-flow run for each element.
                ItemsPath: $Input.xs
                MaxConcurency: 5
                ^^^^^^^^^^^^^ warning[unknown-key]: unknown key `MaxConcurency` in the Map state: did you mean `MaxConcurrency`? [fix: Replace with `MaxConcurrency`]
                End: true
        "#]],
    );
}

#[test]
fn invalid_values_and_types() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v2\nStartAt: P\nStates:\n  - Type: Pas\n    Name: P\n    End: true\n  - Type: Wait\n    Name: W\n    Seconds: soon\n    End: yes\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v2
                         ^^ error[invalid-value]: `SpecVersion` of the state machine cannot be `v2`: did you mean `v1`? (expected one of `v1`) [fix: Replace with `v1`]
            StartAt: P
            States:
              - Type: Pas
                      ^^^ error[invalid-value]: unknown Type `Pas`: did you mean `Pass`? [fix: Replace with `Pass`]
                Name: P
                End: true
              - Type: Wait
                Name: W
                      ^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
                      ^ error[missing-transition]: this state needs `Next: <state>` or `End: true`: otherwise the flow cannot go on from it [fix: Add `End: true`]
                Seconds: soon
                         ^^^^ error[invalid-type]: `Seconds` of the Wait state must be an integer, found the text `soon`
                End: yes
                     ^^^ error[invalid-type]: `End` of the Wait state must be `true` or `false`, found the text `yes`
        "#]],
    );
}

#[test]
fn obsolete_keys_and_doc_quirks() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: M\nStates:\n  - Type: Map\n    Name: M\n    ItemsPath: $Input.xs\n    MaxConcuccency: 5\n    Processor:\n      StartAt: T\n      States:\n        - Type: Task\n          Name: T\n          Action: FC::InvokeFunction\n          End: true\n    Next: S\n  - Type: Succeed\n    Name: S\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: M
            States:
              - Type: Map
                Name: M
                ItemsPath: $Input.xs
                MaxConcuccency: 5
                ^^^^^^^^^^^^^^ warning[obsolete-key]: `MaxConcuccency` is obsolete in the Map state: use `MaxConcurrency` [fix: Rename to `MaxConcurrency`]
                Processor:
                  StartAt: T
                  States:
                    - Type: Task
                      Name: T
                      Action: FC::InvokeFunction
                              ^^^^^^^^^^^^^^^^^^ error[doc-quirk]: `FC::InvokeFunction` has a double colon (a typo copied from Alibaba's docs): write `FC:InvokeFunction` [fix: Replace with `FC:InvokeFunction`]
                      End: true
                Next: S
              - Type: Succeed
                Name: S
                End: true
                ^^^ information[doc-quirk]: `End` is redundant on a Succeed state: it always ends its scope [fix: Remove `End`]
        "#]],
    );
}

#[test]
fn exclusive_and_required_key_groups() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: W\nStates:\n  - Type: Wait\n    Name: W\n    Next: V\n  - Type: Wait\n    Name: V\n    Seconds: 3\n    Seconds.$: $Input.n\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: W
            States:
              - Type: Wait
                Name: W
                      ^ warning[missing-key]: the Wait state should have `Seconds`: the docs require `Seconds` or `Seconds.$` since December 2024 (earlier versions did not); what a Wait without them does is undocumented
                Next: V
              - Type: Wait
                Name: V
                Seconds: 3
                Seconds.$: $Input.n
                ^^^^^^^^^ error[conflicting-keys]: the Wait state takes only one of `Seconds` or `Seconds.$`
                End: true
        "#]],
    );
}

#[test]
fn recommended_keys_are_warnings() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: T\nStates:\n  - Type: Task\n    Name: T\n    Action: HTTP:Request\n    Retry:\n      - Errors: [FnF.ALL]\n        MaxAttempts: 2\n        IntervalSeconds: 1\n    Catch:\n      - Errors: [FnF.ALL]\n        Next: F\n    End: true\n  - Type: Fail\n    Name: F\n    Code: Failed\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: T
            States:
              - Type: Task
                Name: T
                Action: HTTP:Request
                Retry:
                  - Errors: [FnF.ALL]
                    ^^^^^^ warning[missing-key]: the Retry rule should have `Description`: the docs since December 2024 require it on every Retry rule (older versions did not)
                    MaxAttempts: 2
                    IntervalSeconds: 1
                Catch:
                  - Errors: [FnF.ALL]
                    ^^^^^^ warning[missing-key]: the Catch rule should have `Description`: the docs since December 2024 require it on every Catch rule (older versions did not)
                    Next: F
                End: true
              - Type: Fail
                Name: F
                      ^ warning[missing-key]: the Fail state should have `Detail`: the field table requires this human-readable message, though Alibaba's own example omits it
                Code: Failed
        "#]],
    );
}

#[test]
fn task_timeout_and_flow_name() {
    check_flow(
        "Type: StateMachine\nName: 9 lives\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Task\n    Name: A\n    Action: HTTP:Request\n    Timeout: \"700000\"\n    Next: B\n  - Type: Task\n    Name: B\n    Action: HTTP:Request\n    Timeout: 604801\n    Next: C\n  - Type: Task\n    Name: C\n    Action: HTTP:Request\n    Timeout: \"30\"\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            Name: 9 lives
                  ^^^^^^^ error[invalid-value]: the flow name `9 lives` contains ` `: only letters, digits, `_` and `-` are allowed
            SpecVersion: v1
            StartAt: A
            States:
              - Type: Task
                Name: A
                Action: HTTP:Request
                Timeout: "700000"
                         ^^^^^^^^ error[out-of-range]: a task `Timeout` is 0 to 604800 seconds (7 days), not 700000
                Next: B
              - Type: Task
                Name: B
                Action: HTTP:Request
                Timeout: 604801
                         ^^^^^^ error[out-of-range]: `Timeout` of the Task state is 604801; the service allows between 0 and 604800
                Next: C
              - Type: Task
                Name: C
                Action: HTTP:Request
                Timeout: "30"
                End: true
        "#]],
    );
}

#[test]
fn hash_glued_to_a_value_is_not_a_comment() {
    check_flow(
        "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: a# the first step\n  - type: choice\n    name: \"C#\"\n    choices:\n      - condition: $.x == \"#\" # a real comment\n        goto: a\n",
        expect![[r##"
            version: v1
            type: flow
            steps:
              - type: pass
                name: a# the first step
                      ^^^^^^^^^^^^^^^^^ warning[yaml-syntax]: `#` right after text is part of the value `a# the first step`, not a comment; put a space before `#` to start a comment
              - type: choice
                name: "C#"
                choices:
                  - condition: $.x == "#" # a real comment
                    goto: a
                          ^ error[unknown-state]: goto `a` names no state of this scope; states here: `C#`, `a# the first step`
        "##]],
    );
}

/// Removing an entry (a duplicate key, `End` on a Succeed state) takes its lines in block
/// style and in a flow mapping written an entry per line; on a line shared with other
/// entries, the entry and one comma, never the line (which may hold the whole flow).
#[test]
fn entry_removal_in_block_and_flow_style() {
    let fixed = |src: &str, code: Code| {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let diagnostics = check(&text, &tree, &CheckOptions::default());
        let d =
            diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no {code:?} in {src:?}"));
        let (range, insert) = &d.fixes[0].edits[0];
        let mut out = src.to_string();
        out.replace_range(range.as_usize(), insert);
        out
    };
    let head = "Type: StateMachine\nSpecVersion: v1\nStartAt: 甲\nStates:\n";
    assert_eq!(
        fixed(
            &format!("{head}  - Type: Pass\n    Name: 甲\n    Name: 乙\n    End: true\n"),
            Code::DuplicateKey
        ),
        format!("{head}  - Type: Pass\n    Name: 甲\n    End: true\n")
    );
    let flow =
        |state: &str| format!("{{Type: StateMachine, SpecVersion: v1, StartAt: 甲, States: [{state}]}}");
    assert_eq!(
        fixed(&flow("{Type: Pass, Name: 甲, Name: 乙 , End: true}"), Code::DuplicateKey),
        flow("{Type: Pass, Name: 甲, End: true}")
    );
    assert_eq!(
        fixed(&flow("{Type: Pass, Name: 甲, End: true, Name: 乙}"), Code::DuplicateKey),
        flow("{Type: Pass, Name: 甲, End: true}")
    );
    assert_eq!(
        fixed(&flow("{Type: Succeed, End: true, Name: 甲}"), Code::DocQuirk),
        flow("{Type: Succeed, Name: 甲}")
    );
    let json = "{\"Type\": \"StateMachine\", \"SpecVersion\": \"v1\", \"StartAt\": \"甲\", \"States\": [\n  {\n    \"Type\": \"Pass\",\n    \"Name\": \"甲\",\n    \"Name\": \"乙\",\n    \"End\": true\n  }\n]}\n";
    assert_eq!(fixed(json, Code::DuplicateKey), json.replace("    \"Name\": \"乙\",\n", ""));
}
