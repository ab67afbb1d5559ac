//! The analysis cache: reusing unchanged states' diagnostics gives exactly what a fresh
//! analysis gives.

use proptest::prelude::*;

use crate::analysis::{Cache, CheckOptions, Code, WorkflowMode, check, check_cached};
use crate::syntax::{Edit, SourceText, SyntaxTree, TextRange};

const FLOW: &str = "Type: StateMachine\nName: cache\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n  - Type: Task\n    Name: 视频理解\n    Action: FC:InvokeFunction\n    TaskMode: WaitForSystemCallback\n    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:1:functions/f/LATEST\n      invocationType: Sync\n      body:\n        url.$: $Input.url\n        bad.$: length(\n    Retry:\n      - Errors: [FnF.ALL]\n        MaxAttempts: 3\n        IntervalSeconds: 1\n    Next: 分支\n  - Type: Parallel\n    Name: 分支\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Wait\n            Name: A\n            Seconds: 400\n            End: true\n    Next: 结束\n  - Type: Task\n    Name: 列表\n    Action: ECS:DescribeInstances\n    Parameters:\n      RegionId: cn-hangzhou\n      PageSiz: 10\n    End: true\n  - Type: Succeed\n    Name: 结束\n";

/// Legacy: fall-through, `goto`s, a choice whose every way out jumps, nested steps.
const LEGACY: &str = "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: 甲\n  - type: choice\n    name: 乙\n    choices:\n      - condition: $.x > 1\n        goto: 丁\n    default:\n      goto: 丙\n  - type: pass\n    name: 丙\n    end: true\n  - type: foreach\n    name: 丁\n    iterationMapping:\n      collection: $.items\n      item: it\n    steps:\n      - type: pass\n        name: inner\n  - type: succeed\n    name: 戊\n";

/// A flow on one line: every state shares its line with the others, and fixes of one
/// state must stay inside it (a duplicate key, `End` on a Succeed state, an unknown key).
const ONE_LINE: &str = "{Type: StateMachine, SpecVersion: v1, StartAt: 甲, States: [{Type: Pass, Name: 甲, Next: 乙}, {Type: Pass, Name: 乙, Name: 丙, Nxt: 丁, Next: 丁}, {Type: Succeed, End: true, Name: 丁}]}\n";

/// A scope of several states whose names and transitions edits change: names shared by
/// two states, a placeholder name, a transition to a state that is not there, unreachable
/// states, a Choice.
const GRAPH: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 甲\nStates:\n  - Type: Pass\n    Name: 甲\n    Next: 乙\n  - Type: Choice\n    Name: 乙\n    Choices:\n      - Condition: $Input.x > 1\n        Next: 丙\n    Default: Step2\n  - Type: Pass\n    Name: 丙\n    Next: 乙\n  - Type: Pass\n    Name: Step1\n    Next: Stpe2\n  - Type: Pass\n    Name: Step2\n    Next: 终\n  - Type: Pass\n    Name: 丙\n    End: true\n  - Type: Pass\n    Name: ${later}\n    Next: 甲\n  - Type: Succeed\n    Name: 终\n";

const SNIPPETS: &[&str] = &[
    "x",
    "\n",
    "  ",
    "Next: 列表",
    "Type: Pas",
    "视频",
    ": ",
    "$Input.",
    "End: true\n",
    "#",
    "goto: 丙",
    "end: true\n",
    "name: 乙\n",
    "甲",
    "2",
    "Step",
    "${next}",
    "    Next: 丙\n",
    "  - Type: Pass\n    Name: 乙\n    End: true\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    /// Reusing unchanged states' diagnostics gives exactly what a fresh analysis gives.
    #[test]
    fn cached_check_equals_fresh_check(edits in prop::collection::vec((0.0..1.0f64, 0usize..12, 0..SNIPPETS.len() + 1), 1..10), express in any::<bool>(), base in prop::sample::select(vec![FLOW, LEGACY, ONE_LINE, GRAPH])) {
        let options = CheckOptions { mode: express.then_some(WorkflowMode::Express), ..CheckOptions::default() };
        let mut text = SourceText::new(base);
        let mut tree = SyntaxTree::parse(&text);
        let mut cache = Cache::default();
        check_cached(&text, &tree, &options, &mut cache);
        for (at, len, snippet) in edits {
            let s = text.to_string_lossless();
            let (start, end) = crate::syntax::text::random_edit_bounds(&s, at, len);
            let insert = SNIPPETS.get(snippet).copied().unwrap_or("");
            let range = TextRange::new(start as u32, end as u32);
            text.edit(range, insert);
            tree = tree.reparse(&text, Edit { range, new_len: insert.len() as u32 });
            let cached = check_cached(&text, &tree, &options, &mut cache);
            let fresh = check(&text, &SyntaxTree::parse(&text), &options);
            prop_assert_eq!(cached, fresh, "text: {:?}", text.to_string_lossless());
        }
    }
}

#[test]
fn an_edit_in_one_state_reuses_the_others() {
    let options = CheckOptions::default();
    let text = SourceText::new(FLOW);
    let tree = SyntaxTree::parse(&text);
    let mut cache = Cache::default();
    let before = check_cached(&text, &tree, &options, &mut cache);
    assert_eq!(cache.len(), 4);
    let mut edited = text.clone();
    let at = FLOW.find("PageSiz").unwrap() as u32 + 7;
    edited.edit(TextRange::empty(at), "e");
    let new_tree = tree.reparse(&edited, Edit { range: TextRange::empty(at), new_len: 1 });
    let after = check_cached(&edited, &new_tree, &options, &mut cache);
    assert_eq!(after, check(&edited, &SyntaxTree::parse(&edited), &options));
    assert!(before.iter().any(|d| d.code == Code::UnknownParameter), "{before:#?}");
    assert!(!after.iter().any(|d| d.code == Code::UnknownParameter), "{after:#?}");
}

/// Found by fuzzing: the fix of a duplicate key removed the whole line, which in a flow on
/// one line starts before the state; once a state before it changed length, the reused fix
/// pointed elsewhere than a fresh one.
#[test]
fn fixes_of_a_reused_state_on_a_shared_line_follow_it() {
    let options = CheckOptions::default();
    let text = SourceText::new(ONE_LINE);
    let tree = SyntaxTree::parse(&text);
    let mut cache = Cache::default();
    check_cached(&text, &tree, &options, &mut cache);
    let mut edited = text.clone();
    let at = ONE_LINE.find("Next: 乙").unwrap() as u32;
    edited.edit(TextRange::empty(at), "Comment: 注释, ");
    let new_tree =
        tree.reparse(&edited, Edit { range: TextRange::empty(at), new_len: "Comment: 注释, ".len() as u32 });
    let after = check_cached(&edited, &new_tree, &options, &mut cache);
    assert!(after.iter().any(|d| d.code == Code::DuplicateKey));
    assert_eq!(after, check(&edited, &SyntaxTree::parse(&edited), &options));
}
