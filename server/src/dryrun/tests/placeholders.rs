//! Deploy-time placeholders in a run: filled in from the vars, or left as their text with
//! a warning that names them; a sub-flow is read with the same vars.

use std::sync::Arc;

use expect_test::{Expect, expect};
use serde_json::json;

use super::{Flows, dedent, options};
use crate::dryrun::render::{Style, human};
use crate::dryrun::{DeployVars, Mocks, lower_with, run};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

const FLOW: &str = r#"
    Type: StateMachine
    SpecVersion: v1
    Name: ${vars.name}-flow
    StartAt: 准备
    States:
      - Type: Pass
        Name: 准备
        OutputConstructor:
          region: ${vars.region}
          arn: acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:functions/f-<suffix>
          limit: ${vars.limit}
          big.$: $Input.n > ${vars.limit} && $Input.stage == "${vars.stage}"
        Next: 子流程
      - Type: Task
        Name: 子流程
        Action: FNF:StartExecution
        TaskMode: WaitForSystemCallback
        Parameters:
          resourceArn: acs:fnf:::flow/child
          input.$: $Input
        End: true
"#;

const CHILD: &str = r#"
    Type: StateMachine
    SpecVersion: v1
    Name: child
    StartAt: 回显
    States:
      - Type: Pass
        Name: 回显
        OutputConstructor:
          region: ${vars.region}
        End: true
"#;

fn check(vars: serde_json::Value, expect: Expect) {
    let flow = dedent(FLOW);
    let text = SourceText::new(&flow);
    let tree = SyntaxTree::parse(&text);
    let vars = Arc::new(DeployVars::from_value(vars).expect("vars"));
    let program = lower_with(&text, &tree, PositionEncoding::Utf16, vars).expect("a flow");
    let loader = Flows([("child", &*Box::leak(dedent(CHILD).into_boxed_str()))].into_iter().collect());
    let result = run(&program, json!({"n": 50, "stage": "prod"}), &Mocks::default(), &options(), &loader);
    expect.assert_eq(&human(&result, Style { max_value: 400, color: false }));
}

#[test]
fn without_vars_placeholders_stay_text_and_are_named() {
    check(
        json!({}),
        expect![[r#"
        ▶ execution input {"n":50,"stage":"prod"}
            ! `${vars.region}` is filled in at deployment (by Serverless Devs (`s deploy`)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`vars.region: ...`)
            ! `${ALIYUN::Region}` is filled in at deployment (by ROS (`Fn::Sub`, when the stack is created)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`"ALIYUN::Region": ...`)
            ! `${ALIYUN::TenantId}` is filled in at deployment (by ROS (`Fn::Sub`, when the stack is created)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`"ALIYUN::TenantId": ...`)
            ! `<suffix>` is filled in at deployment (by a ROS `Fn::Replace`, or by hand) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`suffix: ...`)
            ! `${vars.limit}` is filled in at deployment (by Serverless Devs (`s deploy`)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`vars.limit: ...`)
            ! `${vars.stage}` is filled in at deployment (by Serverless Devs (`s deploy`)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`vars.stage: ...`)
          准备 (Pass)  t=0s
            input  {"n":50,"stage":"prod"}
            ✗ failed: FnF.RuntimeError: the OutputConstructor of `准备`: `$Input.n > ${vars.limit} && $Input.stage == "${vars.stage}"`: expected an operator or the end of the expression, found `{` [expression-syntax]
        ✗ Failed after 0s (virtual)
          FnF.RuntimeError: the OutputConstructor of `准备`: `$Input.n > ${vars.limit} && $Input.stage == "${vars.stage}"`: expected an operator or the end of the expression, found `{` [expression-syntax]
        6 warnings:
          - `${vars.region}` is filled in at deployment (by Serverless Devs (`s deploy`)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`vars.region: ...`)
          - `${ALIYUN::Region}` is filled in at deployment (by ROS (`Fn::Sub`, when the stack is created)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`"ALIYUN::Region": ...`)
          - `${ALIYUN::TenantId}` is filled in at deployment (by ROS (`Fn::Sub`, when the stack is created)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`"ALIYUN::TenantId": ...`)
          - `<suffix>` is filled in at deployment (by a ROS `Fn::Replace`, or by hand) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`suffix: ...`)
          - `${vars.limit}` is filled in at deployment (by Serverless Devs (`s deploy`)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`vars.limit: ...`)
          - `${vars.stage}` is filled in at deployment (by Serverless Devs (`s deploy`)) and has no value here, so the run used the text as it is; give it one with `--vars FILE` (`vars.stage: ...`)
        assumptions this run relied on (README.md, "Assumptions"):
          - [default-output] at 准备
          - [runtime-error] at 准备
    "#]],
    );
}

#[test]
fn vars_fill_values_expressions_and_sub_flows() {
    check(
        json!({"vars.region": "cn-hangzhou", "vars.limit": 10, "vars.stage": "prod",
               "ALIYUN::Region": "cn-shanghai", "${ALIYUN::TenantId}": "123", "suffix": "dev"}),
        expect![[r#"
            ▶ execution input {"n":50,"stage":"prod"}
              准备 (Pass)  t=0s
                input  {"n":50,"stage":"prod"}
                output {"region":"cn-hangzhou","arn":"acs:fc:cn-shanghai:123:functions/f-dev","limit":10,"big":true}
              子流程 (Task)  t=0s
                input  {"region":"cn-hangzhou","arn":"acs:fc:cn-shanghai:123:functions/f-dev","limit":10,"big":true}
                call   FNF:StartExecution WaitForSystemCallback [sub-flow child from child.yaml: Succeeded in 0s]
                params {"resourceArn":"acs:fnf:::flow/child","input":{"region":"cn-hangzhou","arn":"acs:fc:cn-shanghai:123:functions/f-dev","limit":10,"big":true}}
                result {"region":"cn-hangzhou"}
                output {"region":"cn-hangzhou"}
            ✓ Succeeded in 0s (virtual)
              output {"region":"cn-hangzhou"}
            assumptions this run relied on (README.md, "Assumptions"):
              - [default-output] at 准备, 子流程 (sub-flow child)
              - [subflow-lookup] at 子流程
              - [subflow-output] at 子流程
        "#]],
    );
}
