//! Hand-written documents: the schemas must reject what the service is known to
//! reject, and keep accepting the documented variations.

use fdl_schema::Dialect;
use serde_json::{Value, json};

use crate::schema_errors;

fn cloudflow(states: Value) -> Value {
    json!({
        "Type": "StateMachine",
        "Name": "demo",
        "SpecVersion": "v1",
        "StartAt": states[0]["Name"].clone(),
        "States": states,
    })
}

fn legacy(steps: Value) -> Value {
    json!({ "version": "v1", "type": "flow", "steps": steps })
}

fn fc_task(extra: Value) -> Value {
    let mut task = json!({
        "Type": "Task",
        "Name": "Call",
        "Action": "FC:InvokeFunction",
        "Parameters": {
            "resourceArn": "acs:fc:cn-hangzhou:123:functions/fn/LATEST",
            "invocationType": "Sync",
        },
        "End": true,
    });
    merge(&mut task, extra);
    task
}

fn merge(target: &mut Value, extra: Value) {
    for (key, value) in extra.as_object().unwrap() {
        match (target.get_mut(key), value) {
            (Some(existing @ Value::Object(_)), Value::Object(_)) => merge(existing, value.clone()),
            _ => {
                target[key] = value.clone();
            }
        }
    }
}

#[track_caller]
fn assert_valid(dialect: Dialect, document: &Value) {
    let errors = schema_errors(dialect, document);
    assert!(errors.is_empty(), "expected valid, got:\n{}\n{document:#}", errors.join("\n"));
}

/// Asserts that the document is rejected and that some error mentions `needle`.
#[track_caller]
fn assert_invalid(dialect: Dialect, document: &Value, needle: &str) {
    let errors = schema_errors(dialect, document);
    assert!(!errors.is_empty(), "expected errors mentioning {needle:?}, got none:\n{document:#}");
    assert!(
        errors.iter().any(|e| e.contains(needle)),
        "no error mentions {needle:?}:\n{}",
        errors.join("\n")
    );
}

#[test]
fn cloudflow_baseline_is_valid() {
    assert_valid(Dialect::CloudFlow, &cloudflow(json!([fc_task(json!({}))])));
}

#[test]
fn unknown_key_in_a_task_is_reported_at_the_task() {
    let doc = cloudflow(json!([fc_task(json!({ "ResultPath": "$.x" }))]));
    assert_invalid(
        Dialect::CloudFlow,
        &doc,
        "`/States/0`: Additional properties are not allowed ('ResultPath'",
    );
    // A key of another state type is unknown in a Task too.
    assert_invalid(Dialect::CloudFlow, &cloudflow(json!([fc_task(json!({ "Seconds": 3 }))])), "'Seconds'");
}

#[test]
fn wrong_type_is_reported() {
    let doc = cloudflow(json!([{ "Type": "Tsak", "Name": "A", "End": true }]));
    assert_invalid(Dialect::CloudFlow, &doc, "`/States/0/Type`");
    let missing = cloudflow(json!([{ "Name": "A", "End": true }]));
    assert_invalid(Dialect::CloudFlow, &missing, "\"Type\" is a required property");
    let lower = json!({ "Type": "statemachine", "SpecVersion": "v1", "StartAt": "A",
                        "States": [{ "Type": "Pass", "Name": "A", "End": true }] });
    assert_invalid(Dialect::CloudFlow, &lower, "`/Type`");
}

#[test]
fn map_concurrency_is_at_most_40() {
    let map = |concurrency: Value| {
        cloudflow(json!([{
            "Type": "Map", "Name": "M", "ItemsPath": "$Input.items", "MaxConcurrency": concurrency,
            "Processor": { "StartAt": "P", "States": [{ "Type": "Pass", "Name": "P", "End": true }] },
            "End": true,
        }]))
    };
    assert_valid(Dialect::CloudFlow, &map(json!(40)));
    assert_invalid(Dialect::CloudFlow, &map(json!(41)), "41 is greater than the maximum of 40");
    let misspelt = cloudflow(json!([{
        "Type": "Map", "Name": "M", "ItemsPath": "$Input.items", "MaxConcuccency": 10,
        "Processor": { "StartAt": "P", "States": [{ "Type": "Pass", "Name": "P", "End": true }] },
        "End": true,
    }]));
    assert_valid(Dialect::CloudFlow, &misspelt);
}

#[test]
fn map_needs_items_and_a_processor() {
    let processor = json!({ "StartAt": "P", "States": [{ "Type": "Pass", "Name": "P", "End": true }] });
    let no_items = cloudflow(json!([{ "Type": "Map", "Name": "M", "Processor": processor, "End": true }]));
    assert_invalid(Dialect::CloudFlow, &no_items, "anyOf");
    let distributed = cloudflow(json!([{
        "Type": "Map", "Name": "M", "Processor": processor, "End": true,
        "ProcessorConfig": { "ExecutionMode": "Express" },
        "ItemReader": { "SourceType": "OSS_OBJECTS" },
        "ItemConstructor": { "key.$": "$Item.key" },
        "ItemBatcher": { "MaxItemsPerBatch": 10 },
        "ResultWriter": { "Bucket": "b" },
        "MaxItems": 100,
        "ToleratedFailurePercentage": 10,
        "ToleratedFailureCount": 2,
    }]));
    assert_valid(Dialect::CloudFlow, &distributed);
    let bad_mode = cloudflow(json!([{
        "Type": "Map", "Name": "M", "ItemsPath": "$Input.x", "Processor": processor, "End": true,
        "ProcessorConfig": { "ExecutionMode": "Fast" },
    }]));
    assert_invalid(Dialect::CloudFlow, &bad_mode, "ExecutionMode");
    let no_processor =
        cloudflow(json!([{ "Type": "Map", "Name": "M", "ItemsPath": "$Input.x", "End": true }]));
    assert_invalid(Dialect::CloudFlow, &no_processor, "\"Processor\" is a required property");
}

#[test]
fn transitions_need_exactly_one_of_next_or_end() {
    let pass = |extra: Value| {
        let mut state = json!({ "Type": "Pass", "Name": "A" });
        merge(&mut state, extra);
        cloudflow(json!([state, { "Type": "Succeed", "Name": "B" }]))
    };
    assert_valid(Dialect::CloudFlow, &pass(json!({ "Next": "B" })));
    assert_valid(Dialect::CloudFlow, &pass(json!({ "End": true })));
    assert_valid(Dialect::CloudFlow, &pass(json!({ "Next": "B", "End": false })));
    assert_invalid(Dialect::CloudFlow, &pass(json!({})), "`/States/0`");
    assert_invalid(Dialect::CloudFlow, &pass(json!({ "Next": "B", "End": true })), "`/States/0`");
    assert_invalid(Dialect::CloudFlow, &pass(json!({ "End": false })), "`/States/0`");
    // An empty value is a mistake, not an omitted key.
    assert_invalid(Dialect::CloudFlow, &pass(json!({ "Next": null })), "`/States/0/Next`");
    // Succeed and Fail end by themselves; `End: true` there is tolerated.
    let succeed = cloudflow(json!([{ "Type": "Succeed", "Name": "S", "End": true }]));
    assert_valid(Dialect::CloudFlow, &succeed);
}

#[test]
fn choice_has_default_and_no_next() {
    let choice = |extra: Value| {
        let mut state = json!({
            "Type": "Choice", "Name": "C",
            "Branches": [{ "Condition": "$Input.ok", "Next": "B" }],
            "Default": "B",
        });
        merge(&mut state, extra);
        cloudflow(json!([state, { "Type": "Succeed", "Name": "B" }]))
    };
    assert_valid(Dialect::CloudFlow, &choice(json!({})));
    assert_invalid(Dialect::CloudFlow, &choice(json!({ "Next": "B" })), "'Next'");
    assert_invalid(Dialect::CloudFlow, &choice(json!({ "End": true })), "'End'");
    let mut no_default = choice(json!({}));
    no_default["States"][0].as_object_mut().unwrap().remove("Default");
    assert_invalid(Dialect::CloudFlow, &no_default, "\"Default\" is a required property");
    let bad_branch = choice(json!({ "Branches": [{ "Condition": "$Input.ok", "Goto": "B" }] }));
    assert_invalid(Dialect::CloudFlow, &bad_branch, "`/States/0/Branches/0`");
}

#[test]
fn wait_needs_seconds_within_limits() {
    let wait = |extra: Value| {
        let mut state = json!({ "Type": "Wait", "Name": "W", "End": true });
        merge(&mut state, extra);
        cloudflow(json!([state]))
    };
    assert_valid(Dialect::CloudFlow, &wait(json!({ "Seconds": 300 })));
    assert_valid(Dialect::CloudFlow, &wait(json!({ "Seconds.$": "$Input.delay" })));
    assert_invalid(
        Dialect::CloudFlow,
        &wait(json!({ "Seconds": 301 })),
        "301 is greater than the maximum of 300",
    );
    assert_invalid(Dialect::CloudFlow, &wait(json!({ "Seconds": 0 })), "0 is less than the minimum of 1");
    assert_invalid(Dialect::CloudFlow, &wait(json!({ "Seconds": "12" })), "`/States/0/Seconds`");
    assert_invalid(Dialect::CloudFlow, &wait(json!({})), "`/States/0`");
    assert_invalid(
        Dialect::CloudFlow,
        &wait(json!({ "Seconds": 3, "Seconds.$": "$Input.d" })),
        "`/States/0`",
    );
    // The obsolete timestamp key is still understood (flagged as deprecated, not unknown).
    assert_valid(Dialect::CloudFlow, &wait(json!({ "Seconds": 3, "UntilDateTime": "2024-01-01T00:00:00Z" })));
}

#[test]
fn parallel_has_at_most_50_branches() {
    let branch = json!({ "StartAt": "P", "States": [{ "Type": "Pass", "Name": "P", "End": true }] });
    let parallel = |count: usize| {
        cloudflow(
            json!([{ "Type": "Parallel", "Name": "Par", "End": true, "Branches": vec![branch.clone(); count] }]),
        )
    };
    assert_valid(Dialect::CloudFlow, &parallel(50));
    assert_invalid(Dialect::CloudFlow, &parallel(51), "has more than 50 items");
    assert_invalid(Dialect::CloudFlow, &parallel(0), "`/States/0/Branches`");
}

#[test]
fn retry_and_catch_rules() {
    let with_rules = |retry: Value, catch: Value| {
        cloudflow(
            json!([fc_task(json!({ "Retry": retry, "Catch": catch })), { "Type": "Fail", "Name": "F" }]),
        )
    };
    let retry = json!([{ "Errors": ["FC.ResourceThrottled"], "Description": "r", "MaxAttempts": 3,
                         "IntervalSeconds": 2, "BackoffRate": 1.5, "MaxBackoffSeconds": 86400 }]);
    let catch = json!([{ "Errors": ["FnF.ALL"], "Next": "F", "OutputConstructor": { "code.$": "$Context.Current.Error.Code" } }]);
    assert_valid(Dialect::CloudFlow, &with_rules(retry.clone(), catch.clone()));
    let too_long = json!([{ "Errors": ["FnF.ALL"], "MaxAttempts": 3, "IntervalSeconds": 86401 }]);
    assert_invalid(
        Dialect::CloudFlow,
        &with_rules(too_long, catch.clone()),
        "86401 is greater than the maximum of 86400",
    );
    let missing = json!([{ "Errors": ["FnF.ALL"], "IntervalSeconds": 1 }]);
    assert_invalid(
        Dialect::CloudFlow,
        &with_rules(missing, catch.clone()),
        "\"MaxAttempts\" is a required property",
    );
    let aws_style = json!([{ "ErrorEquals": ["FnF.ALL"], "Next": "F" }]);
    assert_invalid(Dialect::CloudFlow, &with_rules(retry.clone(), aws_style), "'ErrorEquals'");
    let no_errors = json!([{ "Errors": [], "Next": "F" }]);
    assert_invalid(Dialect::CloudFlow, &with_rules(retry, no_errors), "`/States/0/Catch/0/Errors`");
    // Retry/Catch belong to Task, Parallel and Map only.
    let pass = cloudflow(json!([{ "Type": "Pass", "Name": "P", "End": true, "Retry": [] }]));
    assert_invalid(Dialect::CloudFlow, &pass, "'Retry'");
    // The obsolete OnErrors list is recognised.
    let on_errors = cloudflow(json!([fc_task(
        json!({ "OnErrors": [{ "Errors": ["FnF.ALL"], "Retry": { "MaxAttempts": 2, "FixedBackoff": 1 } }] })
    )]));
    assert_valid(Dialect::CloudFlow, &on_errors);
}

#[test]
fn task_timeout_is_a_string_or_integer_up_to_seven_days() {
    for ok in [json!("30"), json!("0"), json!("604800"), json!(30)] {
        assert_valid(Dialect::CloudFlow, &cloudflow(json!([fc_task(json!({ "Timeout": ok }))])));
    }
    for bad in [json!("604801"), json!("30s"), json!(-1), json!(604_801)] {
        assert_invalid(
            Dialect::CloudFlow,
            &cloudflow(json!([fc_task(json!({ "Timeout": bad }))])),
            "`/States/0/Timeout`",
        );
    }
}

#[test]
fn action_syntax_and_task_modes() {
    let bad_action = cloudflow(json!([fc_task(json!({ "Action": "FC::InvokeFunction" }))]));
    assert_invalid(Dialect::CloudFlow, &bad_action, "`/States/0/Action`");
    let bad_mode = cloudflow(json!([fc_task(json!({ "TaskMode": "requestComplete" }))]));
    assert_invalid(Dialect::CloudFlow, &bad_mode, "`/States/0/TaskMode`");
    let normal = cloudflow(json!([{ "Type": "Task", "Name": "T", "Action": "ECS:DescribeInstances",
                                    "Parameters": { "RegionId": "cn-hangzhou" }, "End": true }]));
    assert_valid(Dialect::CloudFlow, &normal);
}

#[test]
fn optimized_integration_parameters() {
    // WaitForSystemCallback needs an asynchronous invocation.
    let sync_wait = cloudflow(json!([fc_task(json!({ "TaskMode": "WaitForSystemCallback" }))]));
    assert_invalid(Dialect::CloudFlow, &sync_wait, "`/States/0/Parameters/invocationType`");
    let async_wait = cloudflow(json!([fc_task(json!({
        "TaskMode": "WaitForSystemCallback", "Parameters": { "invocationType": "Async" } }))]));
    assert_valid(Dialect::CloudFlow, &async_wait);
    // Required parameters, possibly given as expressions.
    let no_arn = cloudflow(json!([{ "Type": "Task", "Name": "T", "Action": "FC:InvokeFunction",
                                    "Parameters": { "invocationType": "Sync" }, "End": true }]));
    assert_invalid(Dialect::CloudFlow, &no_arn, "`/States/0/Parameters`");
    let arn_expression = cloudflow(json!([{ "Type": "Task", "Name": "T", "Action": "FC:InvokeFunction",
        "Parameters": { "resourceArn.$": "$Input.arn", "invocationType": "Sync" }, "End": true }]));
    assert_valid(Dialect::CloudFlow, &arn_expression);
    let no_parameters =
        cloudflow(json!([{ "Type": "Task", "Name": "T", "Action": "FC:InvokeFunction", "End": true }]));
    assert_invalid(Dialect::CloudFlow, &no_parameters, "\"Parameters\" is a required property");
    // Enumerations and ranges.
    let lower_sync = cloudflow(json!([fc_task(json!({ "Parameters": { "invocationType": "sync" } }))]));
    assert_invalid(Dialect::CloudFlow, &lower_sync, "`/States/0/Parameters/invocationType`");
    let mns = |extra: Value| {
        let mut task = json!({ "Type": "Task", "Name": "T", "Action": "MNS:SendMessage", "End": true,
            "Parameters": { "resourceArn": "acs:mns:cn-hangzhou:1:/queues/q/messages", "message": "hi" } });
        merge(&mut task, extra);
        cloudflow(json!([task]))
    };
    assert_valid(
        Dialect::CloudFlow,
        &mns(json!({ "Parameters": { "priority": 16, "delaySeconds": 604800 } })),
    );
    assert_invalid(
        Dialect::CloudFlow,
        &mns(json!({ "Parameters": { "priority": 17 } })),
        "17 is greater than the maximum of 16",
    );
    assert_invalid(
        Dialect::CloudFlow,
        &mns(json!({ "Parameters": { "delaySeconds": 604801 } })),
        "604801 is greater",
    );
    assert_invalid(
        Dialect::CloudFlow,
        &mns(json!({ "TaskMode": "WaitForSystemCallback" })),
        "`/States/0/TaskMode`",
    );
    assert_valid(Dialect::CloudFlow, &mns(json!({ "TaskMode": "WaitForCustomCallback" })));
    let http = |method: &str| {
        cloudflow(json!([{ "Type": "Task", "Name": "T", "Action": "HTTP:Request", "End": true,
                           "Parameters": { "url": "https://example.com", "method": method } }]))
    };
    assert_valid(Dialect::CloudFlow, &http("Get"));
    assert_valid(Dialect::CloudFlow, &http("POST"));
    assert_invalid(Dialect::CloudFlow, &http("FETCH"), "`/States/0/Parameters/method`");
    let oss_callback = cloudflow(json!([{ "Type": "Task", "Name": "T", "Action": "OSS:GetObject",
        "TaskMode": "WaitForCustomCallback", "Parameters": { "bucket": "b", "key": "k" }, "End": true }]));
    assert_invalid(Dialect::CloudFlow, &oss_callback, "`/States/0/TaskMode`");
}

#[test]
fn nested_scopes_are_checked() {
    let doc = cloudflow(json!([{
        "Type": "Parallel", "Name": "Par", "End": true,
        "Branches": [{ "StartAt": "P", "States": [{ "Type": "Pass", "Name": "P", "End": true, "Bogus": 1 }] }],
    }]));
    assert_invalid(
        Dialect::CloudFlow,
        &doc,
        "`/States/0/Branches/0/States/0`: Additional properties are not allowed ('Bogus'",
    );
}

#[test]
fn top_level_keys() {
    let mut doc = cloudflow(json!([{ "Type": "Pass", "Name": "P", "End": true }]));
    doc["Comment"] = json!("x");
    assert_invalid(Dialect::CloudFlow, &doc, "'Comment'");
    let mut bad_name = cloudflow(json!([{ "Type": "Pass", "Name": "P", "End": true }]));
    bad_name["Name"] = json!("1-starts-with-a-digit");
    assert_invalid(Dialect::CloudFlow, &bad_name, "`/Name`");
    let mut bad_version = cloudflow(json!([{ "Type": "Pass", "Name": "P", "End": true }]));
    bad_version["SpecVersion"] = json!("v2");
    assert_invalid(Dialect::CloudFlow, &bad_version, "`/SpecVersion`");
}

#[test]
fn legacy_baseline_and_unknown_keys() {
    let task = json!({ "type": "task", "name": "t", "resourceArn": "acs:fc:::services/s/functions/f" });
    assert_valid(Dialect::Legacy, &legacy(json!([task])));
    let mut unknown = task.clone();
    unknown["Next"] = json!("x");
    assert_invalid(
        Dialect::Legacy,
        &legacy(json!([unknown])),
        "`/steps/0`: Additional properties are not allowed ('Next'",
    );
    let capital = json!({ "type": "Task", "name": "t", "resourceArn": "acs:fnf:::flow/x" });
    assert_invalid(Dialect::Legacy, &legacy(json!([capital])), "`/steps/0/type`");
    let mut v2 = legacy(json!([task]));
    v2["version"] = json!("v2");
    assert_invalid(Dialect::Legacy, &v2, "`/version`");
}

#[test]
fn legacy_task_targets_and_patterns() {
    let both = json!({ "type": "task", "name": "t", "resourceArn": "acs:fnf:::flow/x", "action": "fnf:StartExecution" });
    assert_invalid(Dialect::Legacy, &legacy(json!([both])), "`/steps/0`");
    let neither = json!({ "type": "task", "name": "t" });
    assert_invalid(Dialect::Legacy, &legacy(json!([neither])), "`/steps/0`");
    let bad_pattern = json!({ "type": "task", "name": "t", "resourceArn": "acs:fnf:::flow/x", "pattern": "RequestResponse" });
    assert_invalid(Dialect::Legacy, &legacy(json!([bad_pattern])), "`/steps/0/pattern`");
}

#[test]
fn legacy_wait_parallel_and_policies() {
    let wait = |extra: Value| {
        let mut step = json!({ "type": "wait", "name": "w" });
        merge(&mut step, extra);
        legacy(json!([step]))
    };
    assert_valid(Dialect::Legacy, &wait(json!({ "duration": 172800 })));
    assert_valid(Dialect::Legacy, &wait(json!({ "timestamp": "2019-05-02T15:04:05Z" })));
    assert_invalid(Dialect::Legacy, &wait(json!({ "duration": 172801 })), "`/steps/0/duration`");
    assert_invalid(Dialect::Legacy, &wait(json!({ "duration": 1, "timestamp": "$.t" })), "`/steps/0`");
    let branch = json!({ "steps": [{ "type": "pass", "name": "p" }] });
    let parallel = |count: usize| {
        legacy(json!([{ "type": "parallel", "name": "par", "branches": vec![branch.clone(); count] }]))
    };
    assert_valid(Dialect::Legacy, &parallel(100));
    assert_invalid(Dialect::Legacy, &parallel(101), "has more than 100 items");
    let retry_on_pass = json!({ "type": "pass", "name": "p", "retry": [{ "errors": ["FnF.ALL"] }] });
    assert_invalid(Dialect::Legacy, &legacy(json!([retry_on_pass])), "'retry'");
    let bad_retry = json!({ "type": "task", "name": "t", "resourceArn": "acs:fnf:::flow/x",
                            "retry": [{ "errors": ["FnF.ALL"], "intervalSeconds": 86401 }] });
    assert_invalid(
        Dialect::Legacy,
        &legacy(json!([bad_retry])),
        "86401 is greater than the maximum of 86400",
    );
    let no_goto = json!({ "type": "task", "name": "t", "resourceArn": "acs:fnf:::flow/x", "catch": [{ "errors": ["FnF.ALL"] }] });
    assert_invalid(Dialect::Legacy, &legacy(json!([no_goto])), "\"goto\" is a required property");
    let half_mapping = json!({ "type": "pass", "name": "p", "outputMappings": [{ "target": "x" }] });
    assert_invalid(Dialect::Legacy, &legacy(json!([half_mapping])), "\"source\" is a required property");
    let foreach = json!({ "type": "foreach", "name": "f", "iterationMapping": { "collection": "$.xs", "item": "x", "index": "i" },
                          "steps": [{ "type": "succeed", "name": "s" }] });
    assert_valid(Dialect::Legacy, &legacy(json!([foreach])));
    let foreach_without_item = json!({ "type": "foreach", "name": "f", "iterationMapping": { "collection": "$.xs" },
                                       "steps": [{ "type": "succeed", "name": "s" }] });
    assert_invalid(
        Dialect::Legacy,
        &legacy(json!([foreach_without_item])),
        "\"item\" is a required property",
    );
}
