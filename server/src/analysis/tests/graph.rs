//! The states of each scope and their transitions: references, names, `Next`/`End`,
//! terminal states and reachability.

use expect_test::expect;

use super::check_flow;
use crate::analysis::{CheckOptions, Code, check};
use crate::syntax::{SourceText, SyntaxTree};

#[test]
fn state_references_in_every_scope() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: InvokeFunction\nStates:\n  - Type: Task\n    Name: 调用函数示例\n    Action: HTTP:Request\n    Next: 结速\n  - Type: Choice\n    Name: C\n    Branches:\n      - Condition: $Input.a\n        Next: Nowhere\n    Default: 结束\n  - Type: Pass\n    Name: 结束\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: InvokeFunction
                     ^^^^^^^^^^^^^^ error[unknown-state]: StartAt `InvokeFunction` names no state of this scope; states here: `C`, `结束`, `调用函数示例`
            States:
              - Type: Task
                Name: 调用函数示例
                Action: HTTP:Request
                Next: 结速
                      ^^ error[unknown-state]: transition `结速` names no state of this scope: did you mean `结束`? [fix: Change to `结束`]
              - Type: Choice
                Name: C
                Branches:
                  - Condition: $Input.a
                    Next: Nowhere
                          ^^^^^^^ error[unknown-state]: transition `Nowhere` names no state of this scope; states here: `C`, `结束`, `调用函数示例`
                Default: 结束
              - Type: Pass
                Name: 结束
                End: true
        "#]],
    );
}

#[test]
fn duplicate_names_and_keys() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    Next: A2\n  - Type: Pass\n    Name: A2\n    End: true\n    End: true\n  - Type: Pass\n    Name: A2\n    End: true\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: A
            States:
              - Type: Pass
                Name: A
                Next: A2
              - Type: Pass
                Name: A2
                End: true
                End: true
                ^^^ error[duplicate-key]: duplicate key `End`: it is already set on the line above, and only one of the two counts [fix: Remove this `End` entry]
              - Type: Pass
                Name: A2
                      ^^ error[duplicate-state-name]: another state of this scope is already named `A2` (line 9): transitions could not tell them apart
                      ^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
                End: true
        "#]],
    );
}

#[test]
fn transitions_and_reachability() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    Next: B\n    End: true\n  - Type: Pass\n    Name: B\n  - Type: Pass\n    Name: Lonely\n    Next: A\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: A
            States:
              - Type: Pass
                Name: A
                Next: B
                End: true
                ^^^^^^^^^ warning[conflicting-transition]: a state has either `Next` or `End: true`, not both: with both, `End: true` wins (the engine looks for `Next` only when `End` is not set) and `Next` is ignored
              - Type: Pass
                Name: B
                      ^ error[missing-transition]: this state needs `Next: <state>` or `End: true`: otherwise the flow cannot go on from it [fix: Add `End: true`; Add `Next: Lonely`]
              - Type: Pass
                Name: Lonely
                      ^^^^^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
                Next: A
        "#]],
    );
}

/// The missing-transition fix adds a line in a block mapping, and `, End: true` after the
/// last entry of a flow mapping (a flow on one long line gets no line of spaces).
#[test]
fn missing_transition_fix_in_block_and_flow_style() {
    let fixed = |src: &str| {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let diagnostics = check(&text, &tree, &CheckOptions::default());
        let d = diagnostics.iter().find(|d| d.code == Code::MissingTransition).expect("missing-transition");
        let (range, insert) = &d.fixes[0].edits[0];
        let mut out = src.to_string();
        out.replace_range(range.as_usize(), insert);
        out
    };
    assert_eq!(
        fixed("Type: StateMachine\nStartAt: 甲\nStates:\n  - Type: Pass\n    Name: 甲\n"),
        "Type: StateMachine\nStartAt: 甲\nStates:\n  - Type: Pass\n    Name: 甲\n    End: true\n"
    );
    assert_eq!(
        fixed("{Type: StateMachine, StartAt: 甲, States: [{Type: Pass, Name: 甲 }]}"),
        "{Type: StateMachine, StartAt: 甲, States: [{Type: Pass, Name: 甲, End: true }]}"
    );
}

#[test]
fn no_terminal_state_in_a_branch() {
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: P\nStates:\n  - Type: Parallel\n    Name: P\n    End: true\n    Branches:\n      - StartAt: X\n        States:\n          - Type: Pass\n            Name: X\n            Next: X\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: P
            States:
              - Type: Parallel
                Name: P
                End: true
                Branches:
                  - StartAt: X
                    States:
                    ^^^^^^ error[no-terminal-state]: no state of this Parallel branch ends it (`End: true`, Succeed or Fail): an execution could never finish
                      - Type: Pass
                        Name: X
                        Next: X
        "#]],
    );
}

#[test]
fn unreachable_states_are_reported_once_per_chain_and_cycle() {
    // A chain no one enters is one warning, at its first state; a cycle no one enters has no
    // first state, so the first of it in the file stands for it.
    check_flow(
        "Type: StateMachine\nSpecVersion: v1\nStartAt: 开始\nStates:\n  - Type: Pass\n    Name: 开始\n    End: true\n  - Type: Pass\n    Name: 甲\n    Next: 乙\n  - Type: Pass\n    Name: 乙\n    End: true\n  - Type: Pass\n    Name: C1\n    Next: C2\n  - Type: Pass\n    Name: C2\n    Next: C3\n  - Type: Pass\n    Name: C3\n    Next: C1\n  - Type: Succeed\n    Name: Alone\n",
        expect![[r#"
            Type: StateMachine
            SpecVersion: v1
            StartAt: 开始
            States:
              - Type: Pass
                Name: 开始
                End: true
              - Type: Pass
                Name: 甲
                      ^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs, nor does the state it leads to
                Next: 乙
              - Type: Pass
                Name: 乙
                End: true
              - Type: Pass
                Name: C1
                      ^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs, nor do the 2 states it leads to
                Next: C2
              - Type: Pass
                Name: C2
                Next: C3
              - Type: Pass
                Name: C3
                Next: C1
              - Type: Succeed
                Name: Alone
                      ^^^^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
        "#]],
    );
}
