//! What a debugger gets from the interpreter: errors where they are raised (and whether
//! anything handles them), sub-flows run under the hook, and a paused run's data, which
//! can be read and edited without changing anything else the run does.

use expect_test::expect;
use serde_json::{Value, json};

use super::*;
use crate::dryrun::hook::{Control, Hook, Stop, SubflowStart};
use crate::dryrun::result::ErrorInfo;
use crate::dryrun::{Execution, Phase, Progress, lower};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

/// Runs `flow` under `hook`, calling `at_pause` at each pause, and returns the result.
fn debug(
    flow: &str,
    mocks: &str,
    input: Value,
    subflows: &[(&'static str, &'static str)],
    hook: &mut dyn Hook,
    mut at_pause: impl FnMut(&mut Execution<'_>),
) -> super::super::RunResult {
    let text = SourceText::new(flow);
    let tree = SyntaxTree::parse(&text);
    let program = lower(&text, &tree, PositionEncoding::Utf16).expect("a flow");
    let (file, errors) = suite::parse(&dedent(mocks));
    assert!(errors.is_empty(), "mocks: {errors:?}");
    let loader = Flows(subflows.iter().map(|(n, t)| (*n, &*Box::leak(dedent(t).into_boxed_str()))).collect());
    let options = options();
    let mut execution = Execution::new(&program, input, &file.mocks, &options, &loader);
    while execution.resume(hook) == Progress::Paused {
        at_pause(&mut execution);
    }
    execution.into_result()
}

/// Records errors, pausing at each.
#[derive(Default)]
struct Errors(Vec<String>);

impl Hook for Errors {
    fn wants_errors(&self) -> bool {
        true
    }

    fn on_error(&mut self, at: &Stop<'_>, error: &ErrorInfo, handled: bool) -> Control {
        let depth = at.path.len();
        self.0.push(format!("{} {} handled={handled} depth={depth} input={}", at.state, error.code, at.data));
        Control::Pause
    }
}

#[test]
fn errors_are_told_once_where_raised_with_whether_anything_handles_them() {
    let flow = cf(r#"
        StartAt: Flaky
        States:
          - Type: Task
            Name: Flaky
            Action: FC:InvokeFunction
            Parameters: {resourceArn: "acs:fc:cn-hangzhou:1:functions/f"}
            Retry:
              - Errors: [Boom]
                MaxAttempts: 1
            Catch:
              - Errors: [Other]
                Next: Done
            Next: P
          - Type: Parallel
            Name: P
            Branches:
              - StartAt: Inner
                States:
                  - {Type: Fail, Name: Inner, Code: Deep, End: true}
            Catch:
              - Errors: [Deep]
                Next: Last
            Next: Done
          - {Type: Fail, Name: Last, Code: Final}
          - {Type: Succeed, Name: Done}
    "#);
    let mocks = r#"
        States:
          Flaky: {Throw: {Error: Boom}}
    "#;
    let mut hook = Errors::default();
    let mut pauses = 0;
    let result = debug(&flow, mocks, json!({"a": 1}), &[], &mut hook, |e| {
        pauses += 1;
        assert!(matches!(e.paused().map(|p| p.phase), Some(Phase::Failed { .. })));
    });
    // Boom is retried once, then nothing takes it: the execution fails with it.
    expect![[r#"
        Flaky Boom handled=true depth=0 input={"a":1}
        Flaky Boom handled=false depth=0 input={"a":1}"#]]
    .assert_eq(&hook.0.join("\n"));
    assert_eq!((pauses, result.status.as_str()), (2, "Failed"));

    // Deep fails a branch and is caught by the Parallel around it: told once, in the branch.
    let mocks = "States:\n  Flaky: {Return: {}}\n";
    let mut hook = Errors::default();
    let result = debug(&flow, mocks, json!({}), &[], &mut hook, |_| {});
    expect![[r#"
        Inner Deep handled=true depth=1 input={}
        Last Final handled=false depth=0 input={"Code":"Deep","Detail":""}"#]]
    .assert_eq(&hook.0.join("\n"));
    assert_eq!(result.error.map(|e| e.code.to_string()).as_deref(), Some("Final"));
}

/// Enters sub-flows and pauses before every state, in the parent and the child.
#[derive(Default)]
struct Nested {
    log: Vec<String>,
    depth: usize,
}

impl Hook for Nested {
    fn before_state(&mut self, at: &Stop<'_>) -> Control {
        self.log.push(format!("{}before {} {}", "  ".repeat(self.depth), at.state, at.data));
        Control::Pause
    }

    fn enter_subflow(&mut self, at: &SubflowStart<'_>) -> bool {
        self.log.push(format!("enter {} from {} ({}) input {}", at.flow, at.file, at.task.state, at.input));
        self.depth += 1;
        true
    }

    fn subflow_paused(&mut self, child: &mut Execution<'_>) {
        let paused = child.paused().expect("paused at a state");
        self.log.push(format!("{}paused in the child at {}", "  ".repeat(self.depth), paused.name));
    }

    fn exit_subflow(&mut self, child: &Execution<'_>) {
        self.depth -= 1;
        self.log.push(format!("exit after {} events", child.events().len()));
    }
}

#[test]
fn a_subflow_runs_under_the_hook_and_pauses_inside() {
    let flow = cf(r#"
        StartAt: Call
        States:
          - Type: Task
            Name: Call
            Action: FNF:StartExecution
            TaskMode: WaitForSystemCallback
            Parameters:
              resourceArn: acs:fnf:cn-hangzhou:1:flow/child
              input:
                n.$: $Input.n
            End: true
    "#);
    let mut hook = Nested::default();
    let result = debug(&flow, "", json!({"n": 2}), &[("child", CHILD)], &mut hook, |_| {});
    expect![[r#"
        before Call {"n":2}
        enter child from child.yaml (Call) input {"n":2}
          before Work {"n":2}
          paused in the child at Work
          before Answer {"n":2}
          paused in the child at Answer
        exit after 8 events"#]]
    .assert_eq(&hook.log.join("\n"));
    assert_eq!(result.output.map(|o| o.value().clone()), Some(json!({"doubled": 4})));
}

const CHILD: &str = r#"
    Type: StateMachine
    Name: child
    SpecVersion: v1
    StartAt: Work
    States:
      - Type: Wait
        Name: Work
        Seconds: 30
        Next: Answer
      - Type: Pass
        Name: Answer
        OutputConstructor:
          doubled.$: $Input.n * 2
        End: true
"#;

/// Pauses before and after the states named.
struct At(&'static [&'static str]);

impl Hook for At {
    fn before_state(&mut self, at: &Stop<'_>) -> Control {
        if self.0.contains(&at.state) { Control::Pause } else { Control::Continue }
    }

    fn after_state(&mut self, at: &Stop<'_>) -> Control {
        self.before_state(at)
    }
}

#[test]
fn a_paused_state_shows_its_data_and_takes_a_new_input() {
    let flow = cf(r#"
        StartAt: Prepare
        States:
          - Type: Pass
            Name: Prepare
            GlobalConstructor:
              seen.$: $Input.amount
            Next: M
          - Type: Map
            Name: M
            ItemsPath: $Input.items
            Processor:
              StartAt: Charge
              States:
                - Type: Task
                  Name: Charge
                  Action: FC:InvokeFunction
                  Parameters:
                    resourceArn: acs:fc:cn-hangzhou:1:functions/charge
                    id.$: uuid()
                    amount.$: $Input.amount
                  End: true
            End: true
    "#);
    let mocks = "Actions:\n  FC:InvokeFunction: {Return: {charged: true}}\n";
    let mut log = Vec::new();
    let mut previews = Vec::new();
    let mut sent = Vec::new();
    let input = json!({"amount": 5, "items": [{"amount": 1}, {"amount": 2}]});
    let result = debug(&flow, mocks, input, &[], &mut At(&["Charge"]), |e| {
        let p = e.paused().expect("paused");
        let eval = |e: &Execution<'_>, text: &str| match e.evaluate(text).expect("paused").value {
            Ok(v) => v.to_string(),
            Err(err) => format!("error {}: {}", err.code, err.message),
        };
        let enclosing: Vec<_> = p
            .enclosing
            .iter()
            .map(|s| format!("{} {}", e.program().states[s.state as usize].name, s.input.value()))
            .collect();
        let phase = match &p.phase {
            Phase::Before => "before".to_string(),
            Phase::After { output } => format!("after, output {}", output.value()),
            Phase::Failed { error } => format!("failed {}", error.code),
        };
        log.push(format!(
            "{} {phase} at {:?} path {} input {} global {} result {:?} | in {:?} | $Input.amount + 1 = {} | $Context.Current.Name = {} | $Inpt = {}",
            p.name,
            (p.range.start.line, p.time),
            serde_json::to_string(&*p.path).unwrap(),
            p.input.value(),
            e.global(),
            e.task_result(),
            enclosing,
            eval(e, "$Input.amount + 1"),
            eval(e, "$Context.Current.Name"),
            eval(e, "$Inpt"),
        ));
        let params = e.parameters().expect("a task").expect("built");
        match p.phase {
            Phase::Before => {
                previews.push(params);
                // The second item is charged 100 instead.
                if e.paused().unwrap().input.value() == &json!({"amount": 2}) {
                    assert_eq!(
                        e.set_input(json!([])).unwrap_err(),
                        "a state's input must be a JSON object, not an array"
                    );
                    e.set_input(json!({"amount": 100})).unwrap();
                }
            }
            _ => {
                sent.push(params);
                assert!(e.set_input(json!({})).unwrap_err().contains("already run"));
            }
        }
    });
    expect![[r#"
        Charge before at (16, 0.0) path [{"state":"M","iteration":0}] input {"amount":1} global {"seen":5} result None | in ["M {\"amount\":5,\"items\":[{\"amount\":1},{\"amount\":2}]}"] | $Input.amount + 1 = 2 | $Context.Current.Name = "Charge" | $Inpt = error unknown-variable: unknown variable `$Inpt`: the variables are `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?)
        Charge after, output {"charged":true} at (16, 0.0) path [{"state":"M","iteration":0}] input {"amount":1} global {"seen":5} result Some(Object {"charged": Bool(true)}) | in ["M {\"amount\":5,\"items\":[{\"amount\":1},{\"amount\":2}]}"] | $Input.amount + 1 = 2 | $Context.Current.Name = "Charge" | $Inpt = error unknown-variable: unknown variable `$Inpt`: the variables are `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?)
        Charge before at (16, 0.0) path [{"state":"M","iteration":1}] input {"amount":2} global {"seen":5} result None | in ["M {\"amount\":5,\"items\":[{\"amount\":1},{\"amount\":2}]}"] | $Input.amount + 1 = 3 | $Context.Current.Name = "Charge" | $Inpt = error unknown-variable: unknown variable `$Inpt`: the variables are `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?)
        Charge after, output {"charged":true} at (16, 0.0) path [{"state":"M","iteration":1}] input {"amount":100} global {"seen":5} result Some(Object {"charged": Bool(true)}) | in ["M {\"amount\":5,\"items\":[{\"amount\":1},{\"amount\":2}]}"] | $Input.amount + 1 = 101 | $Context.Current.Name = "Charge" | $Inpt = error unknown-variable: unknown variable `$Inpt`: the variables are `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?)"#]]
    .assert_eq(&log.join("\n"));
    // The preview is what was sent, `uuid()` included: looking drew nothing from the run's
    // random generator. Only the edited input changed the call.
    assert_eq!(previews[0], sent[0]);
    assert_eq!(previews[1]["id"], sent[1]["id"]);
    assert_eq!((previews[1]["amount"].clone(), sent[1]["amount"].clone()), (json!(2), json!(100)));
    assert_eq!(result.status.as_str(), "Succeeded");
    let plain =
        run_with(&flow, mocks, r#"{"amount": 5, "items": [{"amount": 1}, {"amount": 2}]}"#, options(), &[]);
    let ids = |r: &super::super::RunResult| {
        r.events
            .iter()
            .filter_map(|e| match &e.kind {
                crate::dryrun::EventKind::TaskScheduled { parameters, .. } => {
                    Some(parameters.value()["id"].clone())
                }
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&result), ids(&plain));
}
