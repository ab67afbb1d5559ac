//! Mocks and test files: their mistakes, their forms, and expectations.

use expect_test::expect;

use super::*;

#[test]
fn mocks_and_test_files_report_mistakes_with_positions() {
    let (_, errors) = suite::parse(&dedent(
        r#"
        States:
          A: {Return: 1, Throw: {Error: E}}
          B:
            "0": {Return: 1}
            "0-2": {Return: 2}
          C: {Callback: {Succeed: {}, Fail: {Error: X}}}
          D: {Throw: {Cause: no name}, Delay: -1}
          E: [1, 2]
        Actions: 3
        Tests:
          t:
            Input: [1]
            Expect:
              Status: Done
              Ran: {A: 1}
              Extra: 1
    "#,
    ));
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    expect![[r#"
        1:1: a file with `Tests` needs `Flow:`, the flow file the tests run (relative to this file)
        2:6: the mock of `A` gives more than one of `Return`, `Throw` and `Callback`
        5:5: invocations 0-2 of `B` overlap another entry
        6:17: `Callback` takes exactly one of `Succeed` (the output reported) or `Fail` (`Error`, `Cause`)
        7:14: `Throw` needs an `Error` name
        7:39: `Delay` must be a number of seconds, 0 or more
        8:6: the mock of `E` must be a mapping of keys
        9:10: `Actions` must be a mapping of keys
        12:12: `Input` must be a mapping: an execution's input is a JSON object
        14:15: `Status` is one of Succeeded, Failed, TimedOut, StepLimit, not `Done`
        15:12: `Ran` must be a list of state names
        16:7: unknown key `Extra` in `Expect`; expected `Status`, `Output`, `OutputIncludes`, `ErrorCode`, `Ran`, `NotRan`, `Parameters`"#]].assert_eq(&lines.join("\n"));
}

#[test]
fn mocks_may_be_json() {
    let (file, errors) = suite::parse(
        r#"{"States": {"A": {"0": {"Throw": {"Error": "E"}}, "1": {"Return": {"ok": true}}}}, "Actions": {"HTTP:Request": {"Return": {}}}}"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!((file.mocks.states.len(), file.mocks.actions.len()), (1, 1));
}

#[test]
fn per_invocation_mocks_repeat_the_last_response() {
    let (file, errors) = suite::parse("States:\n  A:\n    \"0\": {Return: 0}\n    \"1-2\": {Return: 1}\n");
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<String> = (0..5)
        .map(|i| match file.mocks.lookup("A", &[], i).map(|(r, _)| &r.outcome) {
            Some(crate::dryrun::mocks::Outcome::Return(v)) => v.to_string(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(got, ["0", "1", "1", "1", "1"]);
}

#[test]
fn expectations_compare_exactly_or_as_subsets() {
    let flow = cf("StartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n");
    let result = run_with(&flow, "", r#"{"a": {"b": [1, {"c": 2}], "d": 1.0}}"#, options(), &[]);
    let (file, errors) = suite::parse(&dedent(
        r#"
        Flow: f.yaml
        Tests:
          ok:
            Expect:
              Status: Succeeded
              Output: {a: {b: [1, {c: 2}], d: 1}}
              OutputIncludes: {a: {b: [1, {}]}}
              Ran: [A]
          wrong:
            Expect:
              Status: Failed
              Output: {a: 1}
              OutputIncludes: {a: {b: [1, {c: 3}]}, z: 1}
              ErrorCode: X
              NotRan: [A]
              Ran: [B]
              Parameters: {A: {}}
    "#,
    ));
    assert!(errors.is_empty(), "{errors:?}");
    let report: Vec<String> = file
        .cases
        .iter()
        .map(|c| format!("{}: {:?}", c.name, crate::dryrun::expect::check(&c.expect, &result)))
        .collect();
    expect![[r#"
        ok: []
        wrong: ["status: expected Failed, got Succeeded", "output: expected {\"a\":1}, got {\"a\":{\"b\":[1,{\"c\":2}],\"d\":1.0}}", "output.a.b[1].c: expected 3, got 2", "error code: expected `X`, but the run has no error", "`B` was expected to run, but it did not", "`A` was expected not to run, but it did", "parameters of `A`: the task was never called"]"#]].assert_eq(&report.join("\n"));
}
