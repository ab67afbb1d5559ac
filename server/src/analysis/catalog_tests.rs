//! Fixtures of the catalog rules: each rule with a flow that triggers it and one that must
//! stay clean, on real catalog entries, in both dialects. Diagnostics of other rules are
//! left out so the fixtures stay about the catalog.

use expect_test::{Expect, expect};

use super::*;
use crate::analysis::fixture::caret_note;
use crate::analysis::model::Flow;
use crate::analysis::{CheckOptions, Code, check};
use crate::syntax::{SourceText, SyntaxTree};

const CATALOG_CODES: &[Code] = &[
    Code::UnknownService,
    Code::UnknownApi,
    Code::MissingParameter,
    Code::UnknownParameter,
    Code::InvalidParameterValue,
];

/// The flow with the catalog diagnostics as carets under their lines; fixes are listed.
fn annotate(src: &str) -> String {
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    let diagnostics: Vec<_> = check(&text, &tree, &CheckOptions::default())
        .into_iter()
        .filter(|d| CATALOG_CODES.contains(&d.code))
        .collect();
    let mut out = String::new();
    for (i, line) in src.lines().enumerate() {
        let mut notes = String::new();
        for (line, note) in diagnostics.iter().map(|d| caret_note(&text, d)) {
            if line == i {
                notes.push_str(&note);
                notes.push('\n');
            }
        }
        if !notes.is_empty() {
            // A line-number gutter keeps the source's indentation through expect-test's
            // dedenting of the snapshot.
            out.push_str(&format!("{:<3}| {line}\n", i + 1));
            for note in notes.lines() {
                out.push_str(&format!("   | {note}\n"));
            }
        }
    }
    out
}

fn check_flow(src: &str, expect: Expect) {
    expect.assert_eq(&annotate(src));
}

/// Applies the first fix of every catalog diagnostic, for fixtures of the fixes.
fn fixed(src: &str) -> String {
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    let mut edits: Vec<_> = check(&text, &tree, &CheckOptions::default())
        .into_iter()
        .filter(|d| CATALOG_CODES.contains(&d.code))
        .filter_map(|d| d.fixes.into_iter().next())
        .flat_map(|f| f.edits)
        .collect();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = src.to_owned();
    for (range, replacement) in edits {
        out.replace_range(range.as_usize(), &replacement);
    }
    out
}

fn cloudflow_task(action: &str, rest: &str) -> String {
    format!(
        "Type: StateMachine\nName: demo\nSpecVersion: v1\nStartAt: 调用\nStates:\n  - Type: Task\n    Name: 调用\n    Action: {action}\n{rest}    End: true\n"
    )
}

#[test]
fn known_calls_are_clean() {
    check_flow(
        r#"Type: StateMachine
Name: calls
SpecVersion: v1
StartAt: 查询实例
States:
  - Type: Task
    Name: 查询实例
    Action: ECS:DescribeInstances
    Parameters:
      RegionId: cn-hangzhou
      PageSize: 50
      MaxResults: "20"
      DryRun: false
      Filter.1.Key: CreationStartTime
      Tag:
        - Key: env
          Value: prod
    Next: 小写服务
  - Type: Task
    Name: 小写服务
    Action: ecs:DescribeInstances
    Parameters:
      RegionId.$: $Input.region
    Next: 创建实例
  - Type: Task
    Name: 创建实例
    Action: Ecs:RunInstances
    Parameters:
      RegionId: cn-hangzhou
      SystemDisk.Size: 40
      Amount: 2
    Next: 商品
  - Type: Task
    Name: 商品
    Action: goodstech:ClassifyCommodity
    Parameters:
      ImageURL: https://example.com/a.jpg
    Next: 函数
  - Type: Task
    Name: 函数
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:cn-hangzhou:123:functions/f/LATEST
      invocationType: Sync
      body:
        id.$: $Input.id
    Next: 消息
  - Type: Task
    Name: 消息
    Action: MNS:SendMessage
    Parameters:
      resourceArn: acs:mns:cn-hangzhou:123:/queues/q/messages
      message: hello
      priority: 1
      delaySeconds: "10"
    Next: 请求
  - Type: Task
    Name: 请求
    Action: HTTP:Request
    Parameters:
      url: https://example.com
      method: Get
    Next: 模型
  - Type: Task
    Name: 模型
    Action: DashScope:QwenTextGeneration
    Parameters:
      model: qwen-max
      messages:
        - role: user
          content.$: $Input.prompt
    Next: 写对象
  - Type: Task
    Name: 写对象
    Action: OSS:PutObject
    Parameters:
      bucket: b
      anything: goes
    Next: 新服务
  - Type: Task
    Name: 新服务
    Action: ModelStudio:Whatever
    End: true
"#,
        expect![[""]],
    );
}

#[test]
fn unknown_service() {
    check_flow(
        &cloudflow_task("goodtech:ClassifyCommodity", "    Parameters:\n      ImageURL: x\n"),
        expect![[r#"
            8  |     Action: goodtech:ClassifyCommodity
               |             ^^^^^^^^ error[unknown-service]: unknown service `goodtech`: did you mean `goodstech`? [fix: Replace with `goodstech`]
        "#]],
    );
    check_flow(
        &cloudflow_task("Ecss:DescribeInstances", ""),
        expect![[r#"
        8  |     Action: Ecss:DescribeInstances
           |             ^^^^ warning[unknown-service]: `Ecss` is not a service in the API catalog (snapshot of April 2026); if it is newer, this warning can be ignored; did you mean `Ecs`? [fix: Replace with `Ecs`]
    "#]],
    );
    check_flow(
        &cloudflow_task("BrandNewService:DoThings", ""),
        expect![[r#"
        8  |     Action: BrandNewService:DoThings
           |             ^^^^^^^^^^^^^^^ warning[unknown-service]: `BrandNewService` is not a service in the API catalog (snapshot of April 2026); if it is newer, this warning can be ignored
    "#]],
    );
    // Case never matters for services, and CloudFlow's own spellings are known.
    check_flow(
        &cloudflow_task("eventbridge:PutEvents", "    Parameters:\n      eventBusName: default\n"),
        expect![[""]],
    );
}

#[test]
fn unknown_api() {
    check_flow(
        &cloudflow_task("ECS:describeInstances", "    Parameters:\n      RegionId: x\n"),
        expect![[r#"
        8  |     Action: ECS:describeInstances
           |                 ^^^^^^^^^^^^^^^^^ error[unknown-api]: `Ecs` has no API `describeInstances`: did you mean `DescribeInstances`? (API names are case-sensitive) [fix: Replace with `DescribeInstances`]
    "#]],
    );
    check_flow(
        &cloudflow_task("ECS:DescribeInstance", ""),
        expect![[r#"
        8  |     Action: ECS:DescribeInstance
           |                 ^^^^^^^^^^^^^^^^ error[unknown-api]: `Ecs` has no API `DescribeInstance`: did you mean `DescribeInstances`? [fix: Replace with `DescribeInstances`]
    "#]],
    );
    check_flow(
        &cloudflow_task("\"ECS:DescribeEverything\"", ""),
        expect![[r#"
        8  |     Action: "ECS:DescribeEverything"
           |                  ^^^^^^^^^^^^^^^^^^ warning[unknown-api]: `Ecs` (Elastic Compute Service) has no API `DescribeEverything` in the catalog (snapshot of April 2026); if it is newer, this warning can be ignored
    "#]],
    );
    check_flow(
        &cloudflow_task("Ess:DeactivateScalingConfiguration", ""),
        expect![[r#"
        8  |     Action: Ess:DeactivateScalingConfiguration
           |                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[unknown-api]: `Ess` has `DeactivateScalingConfiguration` only in API version 2014-08-28; the catalog describes the version CloudFlow is assumed to call, which does not have it
    "#]],
    );
    check_flow(
        &cloudflow_task("MNS:SendMesage", ""),
        expect![[r#"
        8  |     Action: MNS:SendMesage
           |                 ^^^^^^^^^^ error[unknown-api]: `MNS` has no API `SendMesage`: did you mean `SendMessage`? [fix: Replace with `SendMessage`]
    "#]],
    );
    check_flow(
        &cloudflow_task("FC:invokeFunction", ""),
        expect![[r#"
        8  |     Action: FC:invokeFunction
           |                ^^^^^^^^^^^^^^ error[unknown-api]: `FC` has no API `invokeFunction`: did you mean `InvokeFunction`? (API names are case-sensitive) [fix: Replace with `InvokeFunction`]
    "#]],
    );
    // Known APIs of the same services.
    check_flow(
        &cloudflow_task("Ess:DescribeScalingGroups", "    Parameters:\n      RegionId: cn-hangzhou\n"),
        expect![[""]],
    );
}

#[test]
fn missing_parameter() {
    check_flow(
        &cloudflow_task("ECS:DescribeInstances", "    Parameters:\n      PageSize: 10\n"),
        expect![[r#"
            9  |     Parameters:
               |     ^^^^^^^^^^ warning[missing-parameter]: `Ecs:DescribeInstances` requires parameter `RegionId` (per the API catalog), which is missing; a `name.$` key may compute it from an expression [fix: Add `RegionId`]
        "#]],
    );
    check_flow(
        &cloudflow_task("FC:InvokeFunction", ""),
        expect![[r#"
            8  |     Action: FC:InvokeFunction
               |             ^^^^^^^^^^^^^^^^^ warning[missing-parameter]: `FC:InvokeFunction` should have `invocationType`: the docs require it, but Alibaba's published templates call `FC:InvokeFunction` without it; the function is then presumably invoked synchronously, Function Compute's default
               |             ^^^^^^^^^^^^^^^^^ error[missing-parameter]: `FC:InvokeFunction` requires parameter `resourceArn`, which is missing; a `name.$` key may compute it from an expression
        "#]],
    );
    check_flow(
        &cloudflow_task(
            "FC:InvokeFunction",
            "    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:123:functions/f\n      body: {}\n",
        ),
        expect![[r#"
            9  |     Parameters:
               |     ^^^^^^^^^^ warning[missing-parameter]: `FC:InvokeFunction` should have `invocationType`: the docs require it, but Alibaba's published templates call `FC:InvokeFunction` without it; the function is then presumably invoked synchronously, Function Compute's default [fix: Add `invocationType`]
        "#]],
    );
    check_flow(
        &cloudflow_task(
            "SMS:SendSms",
            "    Parameters:\n      phoneNumbers: \"13800000000\"\n      templateParam: {}\n",
        ),
        expect![[r#"
            9  |     Parameters:
               |     ^^^^^^^^^^ error[missing-parameter]: `SMS:SendSms` requires parameters `signName`, `templateCode`, which are missing; a `name.$` key may compute them from an expression [fix: Add the 2 missing parameters]
        "#]],
    );
    // Supplied through expressions: nothing is missing.
    check_flow(
        &cloudflow_task(
            "FC:InvokeFunction",
            "    Parameters:\n      resourceArn.$: $Input.arn\n      invocationType.$: $Input.how\n",
        ),
        expect![[""]],
    );
}

#[test]
fn missing_parameter_fix_adds_lines() {
    let src = cloudflow_task("ECS:DescribeInstances", "    Parameters:\n      PageSize: 10\n");
    expect![[r#"
        Type: StateMachine
        Name: demo
        SpecVersion: v1
        StartAt: 调用
        States:
          - Type: Task
            Name: 调用
            Action: ECS:DescribeInstances
            Parameters:
              PageSize: 10
              RegionId: 
            End: true
    "#]]
    .assert_eq(&fixed(&src));
}

#[test]
fn unknown_parameter() {
    check_flow(
        &cloudflow_task(
            "ECS:DescribeInstances",
            "    Parameters:\n      RegionID: cn-hangzhou\n      Tag.1.Key: env\n      Unheard: x\n",
        ),
        expect![[r#"
            9  |     Parameters:
               |     ^^^^^^^^^^ warning[missing-parameter]: `Ecs:DescribeInstances` requires parameter `RegionId` (per the API catalog), which is missing; a `name.$` key may compute it from an expression [fix: Add `RegionId`]
            10 |       RegionID: cn-hangzhou
               |       ^^^^^^^^ warning[unknown-parameter]: `RegionID` is not a parameter of `Ecs:DescribeInstances` in the API catalog (snapshot of April 2026): did you mean `RegionId`? [fix: Replace with `RegionId`]
            11 |       Tag.1.Key: env
               |       ^^^^^^^^^ warning[unknown-parameter]: `Tag.1.Key` is not a parameter of `Ecs:DescribeInstances` in the API catalog (snapshot of April 2026): `Tag` is a list parameter; write `Tag:` with a list
            12 |       Unheard: x
               |       ^^^^^^^ warning[unknown-parameter]: `Unheard` is not a parameter of `Ecs:DescribeInstances` in the API catalog (snapshot of April 2026)
        "#]],
    );
    check_flow(
        &cloudflow_task(
            "ECS:RunInstances",
            "    Parameters:\n      RegionId: cn-hangzhou\n      SystemDisk:\n        Size: 40\n",
        ),
        // The catalog defines both `SystemDisk` (an object) and `SystemDisk.Size`.
        expect![[""]],
    );
    check_flow(
        &cloudflow_task(
            "ECS:DescribeInstances",
            "    Parameters:\n      RegionId: cn-hangzhou\n      Filter:\n        Key: CreationStartTime\n",
        ),
        expect![[r#"
            11 |       Filter:
               |       ^^^^^^ warning[unknown-parameter]: `Filter` is not a parameter of `Ecs:DescribeInstances` in the API catalog (snapshot of April 2026): the API takes flattened names such as `Filter.1.Key`, `Filter.1.Value`, `Filter.2.Key`, ...
        "#]],
    );
    check_flow(
        &cloudflow_task(
            "FC:InvokeFunction",
            "    Parameters:\n      resourceArn: acs:fc:::functions/f\n      invocationtype: Sync\n",
        ),
        expect![[r#"
            9  |     Parameters:
               |     ^^^^^^^^^^ warning[missing-parameter]: `FC:InvokeFunction` should have `invocationType`: the docs require it, but Alibaba's published templates call `FC:InvokeFunction` without it; the function is then presumably invoked synchronously, Function Compute's default [fix: Add `invocationType`]
            11 |       invocationtype: Sync
               |       ^^^^^^^^^^^^^^ warning[unknown-parameter]: `invocationtype` is not a parameter of `FC:InvokeFunction`: did you mean `invocationType`? [fix: Replace with `invocationType`]
        "#]],
    );
}

#[test]
fn invalid_parameter_value() {
    check_flow(
        &cloudflow_task(
            "ECS:DescribeInstances",
            "    Parameters:\n      RegionId: cn-hangzhou\n      PageSize: lots\n      MaxResults: 1000\n      DryRun: maybe\n      Tag: env\n",
        ),
        expect![[r#"
            11 |       PageSize: lots
               |                 ^^^^ warning[invalid-parameter-value]: `PageSize` of `Ecs:DescribeInstances` takes an integer, not `lots`
            12 |       MaxResults: 1000
               |                   ^^^^ warning[invalid-parameter-value]: `MaxResults` must be between 1 and 100, not 1000
            13 |       DryRun: maybe
               |               ^^^^^ warning[invalid-parameter-value]: `DryRun` of `Ecs:DescribeInstances` takes a boolean, not `maybe`
            14 |       Tag: env
               |            ^^^ warning[invalid-parameter-value]: `Tag` of `Ecs:DescribeInstances` takes an array<object>, not `env`
        "#]],
    );
    check_flow(
        &cloudflow_task(
            "ECS:DescribeDiagnosticMetricSets",
            "    Parameters:\n      RegionId: cn-hangzhou\n      Type: user\n      ResourceType: instance\n",
        ),
        expect![[r#"
            11 |       Type: user
               |             ^^^^ warning[invalid-parameter-value]: `user` is not a value of `Type`: expected one of `User`, `Common` [fix: Replace with `User`]
        "#]],
    );
    check_flow(
        &cloudflow_task(
            "FC:InvokeFunction",
            "    Parameters:\n      resourceArn: acs:fc:::functions/f\n      invocationType: sync\n",
        ),
        expect![[r#"
            11 |       invocationType: sync
               |                       ^^^^ error[invalid-parameter-value]: `sync` is not a value of `invocationType`: expected one of `Sync`, `Async` [fix: Replace with `Sync`]
        "#]],
    );
    check_flow(
        &cloudflow_task(
            "MNS:SendMessage",
            "    Parameters:\n      resourceArn: acs:mns:::/queues/q/messages\n      priority: 20\n      delaySeconds: -1\n",
        ),
        expect![[r#"
            11 |       priority: 20
               |                 ^^ error[invalid-parameter-value]: `priority` must be between 1 and 16, not 20
            12 |       delaySeconds: -1
               |                     ^^ error[invalid-parameter-value]: `delaySeconds` must be between 0 and 604800, not -1
        "#]],
    );
    // Computed values are not checked.
    check_flow(
        &cloudflow_task(
            "MNS:SendMessage",
            "    Parameters:\n      resourceArn: acs:mns:::/queues/q/messages\n      priority.$: $Input.p\n",
        ),
        expect![[""]],
    );
    // A `$` value under a key without `.$` is left to the expression rules.
    check_flow(
        &cloudflow_task(
            "ECS:DescribeInstances",
            "    Parameters:\n      RegionId: cn-hangzhou\n      PageSize: $Input.size\n",
        ),
        expect![[""]],
    );
}

#[test]
fn legacy_actions() {
    check_flow(
        r#"version: v1
type: flow
steps:
  - type: task
    name: classify
    action: goodstech:ClassifyCommodity
    serviceParams:
      ImageURL: $.image
  - type: task
    name: child
    action: fnf:StartExecution
    serviceParams:
      FlowName: $.flow_name
      ExecutionName: $.execution_name
      Input: $
  - type: task
    name: ocr
    action: ocr:RecognizeIdentityCard
    serviceParams:
      ImageURL: $.url
      Side: face
"#,
        expect![[""]],
    );
    check_flow(
        r#"version: v1
type: flow
steps:
  - type: task
    name: classify
    action: GOODSTECH:ClassifyComodity
  - type: task
    name: child
    action: FNF:StartExecution
    serviceParams:
      ExecutionName: $.name
      input: $
  - type: task
    name: http
    action: HTTP:Request
"#,
        expect![[r#"
            6  |     action: GOODSTECH:ClassifyComodity
               |                       ^^^^^^^^^^^^^^^^ error[unknown-api]: `goodstech` has no API `ClassifyComodity`: did you mean `ClassifyCommodity`? [fix: Replace with `ClassifyCommodity`]
            10 |     serviceParams:
               |     ^^^^^^^^^^^^^ warning[missing-parameter]: `fnf:StartExecution` requires parameter `FlowName` (per the API catalog), which is missing [fix: Add `FlowName`]
            12 |       input: $
               |       ^^^^^ warning[unknown-parameter]: `input` is not a parameter of `fnf:StartExecution` in the API catalog (snapshot of April 2026): did you mean `Input`? [fix: Replace with `Input`]
            15 |     action: HTTP:Request
               |             ^^^^ warning[unknown-service]: `HTTP` is not a service in the API catalog (snapshot of April 2026); if it is newer, this warning can be ignored
        "#]],
    );
}

#[test]
fn legacy_resource_targets() {
    check_flow(
        r#"version: v1
type: flow
steps:
  - type: task
    name: fc
    resourceArn: acs:fc:::services/s/functions/f
    serviceParams:
      InvocationType: Async
  - type: task
    name: queue
    resourceArn: acs:mns:::/queues/q/messages
    serviceParams:
      MessageBody: $
      Priority: 8
  - type: task
    name: topic
    resourceArn: acs:mns:::/topics/t/messages
    serviceParams:
      MessageBody: $
      MessageTag: $.tag
  - type: task
    name: flow
    resourceArn: acs:fnf:::flow/child
"#,
        expect![[""]],
    );
    check_flow(
        r#"version: v1
type: flow
steps:
  - type: task
    name: fc
    resourceArn: acs:fc:::services/s/functions/f
    serviceParams:
      InvocationType: async
  - type: task
    name: queue
    resourceArn: acs:mns:::/queues/q/messages
    serviceParams:
      Priority: 0
  - type: task
    name: flow
    resourceArn: acs:fnf:::flow/child
    serviceParams:
      FlowName: child
"#,
        expect![[r#"
            8  |       InvocationType: async
               |                       ^^^^^ error[invalid-parameter-value]: `async` is not a value of `InvocationType`: expected one of `Sync`, `Async` [fix: Replace with `Async`]
            12 |     serviceParams:
               |     ^^^^^^^^^^^^^ error[missing-parameter]: an MNS queue target requires parameter `MessageBody`, which is missing [fix: Add `MessageBody`]
            13 |       Priority: 0
               |                 ^ error[invalid-parameter-value]: `Priority` must be between 1 and 16, not 0
            18 |       FlowName: child
               |       ^^^^^^^^ warning[unknown-parameter]: `FlowName` is not a parameter of a child workflow target
        "#]],
    );
}

fn first_task<'f, 'a>(flow: &'f Flow<'a>) -> State<'f, 'a> {
    flow.top_scope().states().into_iter().next().expect("a state")
}

#[test]
fn editor_helpers() {
    let src = cloudflow_task("ECS:DescribeInstances", "    Parameters:\n      PageSize: 10\n");
    let text = SourceText::new(&src);
    let tree = SyntaxTree::parse(&text);
    let flow = Flow::new(&tree).unwrap();
    let task = first_task(&flow);
    let missing = missing_parameters(&flow, &task);
    assert_eq!(missing[0].name, "RegionId", "required first");
    assert!(missing.iter().all(|p| p.name != "PageSize"), "present ones are left out");
    assert_eq!(parameter(&flow, &task, "PageSize").map(|p| p.type_label()), Some("integer".to_owned()));
    assert_eq!(parameter(&flow, &task, "PageSize.$").map(|p| p.name), Some("PageSize"));
    let hover = action_hover(&flow, &task).unwrap();
    assert!(hover.starts_with("**Ecs:DescribeInstances** · Elastic Compute Service"), "{hover}");
    assert!(hover.contains("TaskMode: `RequestComplete`"));

    let src = cloudflow_task("FC:InvokeFunction", "    Parameters:\n      invocationType: Async\n");
    let text = SourceText::new(&src);
    let tree = SyntaxTree::parse(&text);
    let flow = Flow::new(&tree).unwrap();
    let task = first_task(&flow);
    let names: Vec<&str> = missing_parameters(&flow, &task).iter().map(|p| p.name).collect();
    assert_eq!(names, ["resourceArn", "body"]);
    assert_eq!(
        parameter(&flow, &task, "invocationType").map(|p| p.enum_values.to_vec()),
        Some(vec!["Sync", "Async"])
    );
    let hover = action_hover(&flow, &task).unwrap();
    assert!(hover.contains("`RequestComplete`, `WaitForSystemCallback`, `WaitForCustomCallback`"), "{hover}");

    let src = "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: q\n    resourceArn: acs:mns:::/topics/t/messages\n    serviceParams:\n      MessageBody: $\n";
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    let flow = Flow::new(&tree).unwrap();
    let task = first_task(&flow);
    let names: Vec<&str> = missing_parameters(&flow, &task).iter().map(|p| p.name).collect();
    assert_eq!(names, ["MessageTag", "MessageAttributes"]);
    assert!(action_hover(&flow, &task).unwrap().starts_with("**MNS:PublishMessage** · MNS topic"));
}
