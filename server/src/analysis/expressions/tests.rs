//! Expression diagnostics rendered as carets under the source, in every scalar style and
//! both dialects, and the expression under a cursor.

use expect_test::{Expect, expect};

use super::expression_at;
use crate::analysis::model::Flow;
use crate::analysis::{CheckOptions, Code, Diagnostic, check as check_document};
use crate::expr::Place;
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

const EXPRESSION_CODES: &[Code] = &[
    Code::ExpressionSyntax,
    Code::UnknownVariable,
    Code::VariableOutOfScope,
    Code::UnknownFunction,
    Code::WrongArity,
    Code::InvalidArgument,
    Code::TooDeep,
    Code::MissingDollarKey,
    Code::NotAnExpression,
    Code::UndocumentedSyntax,
];

/// The flow with the expression diagnostics underlined (carets count characters; a
/// range over several lines is marked on each of its lines).
fn annotate(src: &str) -> String {
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    let diagnostics: Vec<Diagnostic> = check_document(&text, &tree, &CheckOptions::default())
        .into_iter()
        .filter(|d| EXPRESSION_CODES.contains(&d.code))
        .collect();
    let mut out = String::new();
    for (i, line) in src.lines().enumerate() {
        out.push_str(line);
        out.push('\n');
        let line_range = text.line_range(i as u32);
        for d in &diagnostics {
            let start = d.range.start.max(line_range.start);
            let end = d.range.end.min(line_range.end);
            if start > end || (start == end && d.range.start != start) {
                continue;
            }
            let from = text.position(start, PositionEncoding::Chars).character;
            let to = text.position(end, PositionEncoding::Chars).character;
            let first = start == d.range.start;
            let fixes: Vec<String> = d
                .fixes
                .iter()
                .map(|f| {
                    format!(
                        "{} => {:?}",
                        f.title,
                        f.edits.iter().map(|(r, s)| format!("{}→{s}", text.slice(*r))).collect::<Vec<_>>()
                    )
                })
                .collect();
            let fixes = if fixes.is_empty() || !first {
                String::new()
            } else {
                format!(" [fix: {}]", fixes.join("; "))
            };
            let label = if first {
                format!(" {}[{}]: {}{fixes}", d.severity.as_str(), d.code.as_str(), d.message)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "{}{}{label}\n",
                " ".repeat(from as usize),
                "^".repeat((to - from).max(1) as usize)
            ));
        }
    }
    out
}

fn check_flow(src: &str, expect: Expect) {
    expect.assert_eq(&annotate(src));
}

const HEAD: &str = "Type: StateMachine\nName: f\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n";

#[test]
fn ranges_in_every_scalar_style() {
    check_flow(
        &format!(
            "{HEAD}{}",
            r#"  - Type: Task
    Name: 视频理解
    Action: HTTP:Request
    Parameters:
      plain.$: lenght($Input.视频)
      single.$: 'format(''{}'', $Inptu.a)'
      double.$: "hash(\"视频\", \"MD4\")"
      folded.$: >-
        format("{} {}",
          $Input.a,
          $Output.b)
      literal.$: |
        $Input.a ==
          ready
      nested:
        - deep.$: $Item
    OutputConstructor:
      ok.$: $Output.Body
      note: $Output.Body.note
      arn: acs:fc:${ALIUID}:x
      count.$: 3
      bare.$: hello world
      map.$:
        a: b
    Next: 判断
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.status = "ready"
        Next: 完成
      - Condition: "$Context.Current.Eror.Code == 'x'"
        Next: 完成
    Default: 完成
  - Type: Succeed
    Name: 完成
"#
        ),
        expect![[r#"
            Type: StateMachine
            Name: f
            SpecVersion: v1
            StartAt: 视频理解
            States:
              - Type: Task
                Name: 视频理解
                Action: HTTP:Request
                Parameters:
                  plain.$: lenght($Input.视频)
                           ^^^^^^ error[unknown-function]: unknown function `lenght`: did you mean `length`? [fix: Change to `length` => ["lenght→length"]]
                  single.$: 'format(''{}'', $Inptu.a)'
                                            ^^^^^^ error[unknown-variable]: unknown variable `$Inptu`: the variables are `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?) [fix: Change to `$Input` => ["$Inptu→$Input"]]
                  double.$: "hash(\"视频\", \"MD4\")"
                                          ^^^^^^^ error[invalid-argument]: unknown hash algorithm `MD4`: the algorithms are `MD5`, `SHA-1`, `SHA-256`, `SHA-512`
                  folded.$: >-
                    format("{} {}",
                      $Input.a,
                      $Output.b)
                      ^^^^^^^ error[variable-out-of-scope]: `$Output` cannot be read in Parameters: `$Output` holds the state's result, so it is only readable in OutputConstructor and GlobalConstructor
                  literal.$: |
                    $Input.a ==
                      ready
                      ^^^^^ error[unknown-variable]: `ready` is not a value: write a string `"ready"` or a field `$Input.ready`; variables start with `$`
                  nested:
                    - deep.$: $Item
                              ^^^^^ error[variable-out-of-scope]: `$Item` cannot be read in Parameters: `$Item` is the current element of a distributed Map, only readable in its ItemConstructor
                OutputConstructor:
                  ok.$: $Output.Body
                  note: $Output.Body.note
                        ^^^^^^^^^^^^^^^^^ warning[missing-dollar-key]: this looks like an expression, but `note` has no `.$`, so the text is used as it is; write `note.$` to evaluate it [fix: Rename the key to `note.$` => ["→.$"]]
                  arn: acs:fc:${ALIUID}:x
                  count.$: 3
                           ^ error[not-an-expression]: a key ending in `.$` takes an expression, but its value is the constant `3` [fix: Remove `.$`: use `count` as a constant => ["count.$→count"]]
                  bare.$: hello world
                          ^^^^^^^^^^^ error[not-an-expression]: `hello world` is not an expression: a `.$` value reads variables (`$Input.x`), calls functions or is a quoted literal [fix: Remove `.$`: use `bare` as a constant => ["bare.$→bare"]]
                  map.$:
                    a: b
                    ^^^^ warning[not-an-expression]: a `.$` key takes an expression string; what a mapping or list under it means is undocumented (write the key without `.$` and use `.$` on the leaves) [fix: Remove `.$`: use `map` as a constant => ["map.$→map"]]
                Next: 判断
              - Type: Choice
                Name: 判断
                Branches:
                  - Condition: $Input.status = "ready"
                                             ^ error[expression-syntax]: `=` is not an operator: compare with `==`
                    Next: 完成
                  - Condition: "$Context.Current.Eror.Code == 'x'"
                                                 ^^^^ warning[unknown-variable]: `$Context.Current` has no documented field `Eror`: did you mean `Error`? [fix: Change to `Error` => ["Eror→Error"]]
                    Next: 完成
                Default: 完成
              - Type: Succeed
                Name: 完成
        "#]],
    );
}

#[test]
fn wait_map_and_catch_expressions() {
    check_flow(
        &format!(
            "{HEAD}{}",
            r#"  - Type: Wait
    Name: 视频理解
    Seconds.$: $Input.delay + 1
    Next: M
  - Type: Map
    Name: M
    ItemsPath: $Input.items[*]
    ItemConstructor:
      item.$: $Item.k
      out.$: $Output
    Processor:
      StartAt: P
      States:
        - Type: Pass
          Name: P
          End: true
    Next: T
  - Type: Task
    Name: T
    Action: HTTP:Request
    Catch:
      - Errors: [FnF.ALL]
        Description: all
        Next: E
        OutputConstructor:
          code.$: $Context.Current.Error.Code
          n.$: length(1, 2)
    End: true
  - Type: Fail
    Name: E
"#
        ),
        expect![[r#"
            Type: StateMachine
            Name: f
            SpecVersion: v1
            StartAt: 视频理解
            States:
              - Type: Wait
                Name: 视频理解
                Seconds.$: $Input.delay + 1
                                        ^ hint[undocumented-syntax]: arithmetic (`+`) is not documented for FDL expressions and may be rejected by the service; `intAdd(a, b)` adds integers
                Next: M
              - Type: Map
                Name: M
                ItemsPath: $Input.items[*]
                                       ^^^ hint[undocumented-syntax]: `[*]` is legacy JSONPath; CloudFlow documents only `[index]`
                ItemConstructor:
                  item.$: $Item.k
                  out.$: $Output
                         ^^^^^^^ error[variable-out-of-scope]: `$Output` cannot be read in an ItemConstructor: `$Output` holds the state's result, so it is only readable in OutputConstructor and GlobalConstructor
                Processor:
                  StartAt: P
                  States:
                    - Type: Pass
                      Name: P
                      End: true
                Next: T
              - Type: Task
                Name: T
                Action: HTTP:Request
                Catch:
                  - Errors: [FnF.ALL]
                    Description: all
                    Next: E
                    OutputConstructor:
                      code.$: $Context.Current.Error.Code
                      n.$: length(1, 2)
                                  ^ error[invalid-argument]: `value` of `length` must be string | array | object, but this is integer
                                     ^ error[wrong-arity]: `length(value: string | array | object) -> integer` takes 1 argument, but 2 are given
                End: true
              - Type: Fail
                Name: E
        "#]],
    );
}

#[test]
fn legacy_mappings_and_conditions() {
    check_flow(
        r#"version: v1
type: flow
inputMappings:
  - target: a
    source: $local.x
steps:
  - type: task
    name: t
    resourceArn: acs:fc:::services/s/functions/f
    inputMappings:
      - target: token
        source: $context.task.token
      - target: constant
        source: just text
      - target: bad
        source: $input.a == 1
    serviceParams:
      Input: $
      Name: $.name
      Other: $locl.x
    errorMappings:
      - target: err
        source: $local.cause
  - type: choice
    name: c
    choices:
      - condition: $.status == "ready" && $local.x
        goto: t
  - type: wait
    name: w
    duration: $.wait
  - type: foreach
    name: each
    iterationMapping:
      collection: $.names[
      item: name
    steps:
      - type: pass
        name: p
"#,
        expect![[r#"
            version: v1
            type: flow
            inputMappings:
              - target: a
                source: $local.x
                        ^^^^^^ error[variable-out-of-scope]: `$local` cannot be read in the flow's inputMappings: the flow's inputMappings read the execution input (`$input`); there is no `$local` yet
            steps:
              - type: task
                name: t
                resourceArn: acs:fc:::services/s/functions/f
                inputMappings:
                  - target: token
                    source: $context.task.token
                  - target: constant
                    source: just text
                  - target: bad
                    source: $input.a == 1
                            ^^^^^^^^^^^^^ error[expression-syntax]: inputMappings takes a JSONPath such as `$input.key`, `$.items[0]` or `$local[*].name`, not an expression
                serviceParams:
                  Input: $
                  Name: $.name
                  Other: $locl.x
                         ^^^^^ error[unknown-variable]: unknown variable `$locl`: the variables are `$`, `$input`, `$local`, `$context` (did you mean `$local`?) [fix: Change to `$local` => ["$locl→$local"]]
                errorMappings:
                  - target: err
                    source: $local.cause
              - type: choice
                name: c
                choices:
                  - condition: $.status == "ready" && $local.x
                                                      ^^^^^^ error[variable-out-of-scope]: `$local` cannot be read in a condition: `$local` is only readable in inputMappings, outputMappings and errorMappings; here `$` is the step's mapped input
                    goto: t
              - type: wait
                name: w
                duration: $.wait
              - type: foreach
                name: each
                iterationMapping:
                  collection: $.names[
                                      ^ error[expression-syntax]: a value is missing at the end of the expression
                  item: name
                steps:
                  - type: pass
                    name: p
        "#]],
    );
}

#[test]
fn clean_flows_stay_clean() {
    check_flow(
        &format!(
            "{HEAD}{}",
            r#"  - Type: Task
    Name: 视频理解
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:cn-shanghai:${ALIUID}:functions/f/LATEST
      body:
        videoUrl.$: $Input.videoUrl
        id.$: uuid()
        text: "$100 is not an expression"
    OutputConstructor:
      content.$: >-
        $Output.output.choices[0].message.content
      merged.$: jsonMerge($Input, {"k": `v`})
    GlobalConstructor:
      last.$: $Output.Body
    Next: 判断
  - Type: Choice
    Name: 判断
    Branches:
      - Condition: $Input.content != "" && "k" in $Input.merged
        Next: 完成
    Default: 完成
  - Type: Succeed
    Name: 完成
"#
        ),
        expect![[r#"
            Type: StateMachine
            Name: f
            SpecVersion: v1
            StartAt: 视频理解
            States:
              - Type: Task
                Name: 视频理解
                Action: FC:InvokeFunction
                Parameters:
                  resourceArn: acs:fc:cn-shanghai:${ALIUID}:functions/f/LATEST
                  body:
                    videoUrl.$: $Input.videoUrl
                    id.$: uuid()
                    text: "$100 is not an expression"
                OutputConstructor:
                  content.$: >-
                    $Output.output.choices[0].message.content
                  merged.$: jsonMerge($Input, {"k": `v`})
                GlobalConstructor:
                  last.$: $Output.Body
                Next: 判断
              - Type: Choice
                Name: 判断
                Branches:
                  - Condition: $Input.content != "" && "k" in $Input.merged
                    Next: 完成
                Default: 完成
              - Type: Succeed
                Name: 完成
        "#]],
    );
}

#[test]
fn the_expression_under_a_cursor() {
    let src = format!(
        "{HEAD}{}",
        r#"  - Type: Pass
    Name: 视频理解
    OutputConstructor:
      url.$: $Input.u
      body:
        size: 3
    Next: 下一步
  - Type: Task
    Name: 下一步
    Action: HTTP:Request
    Parameters:
      q.$: "format('{}', $Input.$0)"
    End: true
"#
    );
    let at = src.find("$0").unwrap() as u32;
    let src = src.replacen("$0", "", 1);
    let text = SourceText::new(&src);
    let tree = SyntaxTree::parse(&text);
    let flow = Flow::new(&tree).unwrap();
    let found = expression_at(&flow, &text, at).expect("an expression");
    assert_eq!(found.text, "format('{}', $Input.)");
    assert_eq!(found.cursor, 20);
    assert_eq!(found.context.place, Place::Parameters);
    let names: Vec<&str> = found.context.input_fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["url", "body"]);
    assert_eq!(found.context.input_fields[1].children[0].name, "size");
    assert_eq!(found.map.to_document(found.cursor), at);
    // Outside any expression.
    let name_at = src.find("下一步").unwrap() as u32;
    assert!(expression_at(&flow, &text, name_at).is_none());
    // An empty value being typed.
    let src2 = src.replace("q.$: \"format('{}', $Input.)\"", "q.$: ");
    let text2 = SourceText::new(&src2);
    let tree2 = SyntaxTree::parse(&text2);
    let flow2 = Flow::new(&tree2).unwrap();
    let after = src2.find("q.$: ").unwrap() as u32 + 5;
    let found = expression_at(&flow2, &text2, after).expect("an empty expression");
    assert_eq!((found.text.as_str(), found.cursor, found.map.to_document(0)), ("", 0, after));
}
