//! The result an unmocked task gets: shaped like the integration's documented output, so
//! that the states after it (`$Output.Body.x`, `$local.MessageId`) read what they would
//! read from the real service, only empty. Ids are drawn from the run's seeded generator.

use fdl_schema::Dialect;
use serde_json::{Value, json};

use crate::dryrun::program::{Integration, Mode, TaskDef};
use crate::expr::Random;

/// A short pseudo-random hex id (request ids, message ids).
pub(crate) fn hex_id(random: &mut Random, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes * 2);
    while out.len() < bytes * 2 {
        out.push_str(&format!("{:016X}", random.next_u64()));
    }
    out.truncate(bytes * 2);
    out
}

/// A UUID-shaped id.
pub(crate) fn uuid(random: &mut Random) -> String {
    let h = hex_id(random, 16).to_ascii_lowercase();
    format!("{}-{}-4{}-a{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
}

pub(crate) fn result(dialect: Dialect, task: &TaskDef, params: &Value, random: &mut Random) -> Value {
    let request_id = uuid(random).to_ascii_uppercase();
    let param = |key: &str| params.get(key).cloned().unwrap_or(Value::Null);
    match (&task.integration, dialect) {
        // CloudFlow: the function's return value is under `Body` (`$Output.Body.x` in the
        // docs' examples). Legacy: the return value itself is `$local`.
        (Integration::Function, Dialect::CloudFlow) => json!({ "Body": {} }),
        (Integration::Function, Dialect::Legacy) => json!({}),
        (Integration::Http, _) => json!({ "Header": {}, "Code": 200, "Body": "" }),
        (Integration::SubFlow { .. } | Integration::StartExecutionApi, _) => match task.mode {
            Mode::Request => start_response(params, random),
            // The child's output, which an unmocked run does not know.
            _ => json!({}),
        },
        (Integration::MessageQueue | Integration::Topic, _) => json!({
            "MessageId": hex_id(random, 16),
            "MessageBodyMD5": hex_id(random, 16),
            "RequestId": request_id,
        }),
        (Integration::EventBridge, _) => json!({
            "FailedEntryCount": 0,
            "EntryList": [{ "EventId": param("id") }],
        }),
        (Integration::Sms, _) => json!({
            "EntryList": { "BizId": hex_id(random, 10), "Code": "OK", "Message": "OK", "RequestId": request_id },
            "Headers": {},
        }),
        (Integration::Oss, _) => json!({ "bucket": param("bucket"), "key": param("key") }),
        (Integration::DashScope, _) => json!({
            "output": { "choices": [{ "finish_reason": "stop", "message": { "role": "assistant", "content": "" } }] },
            "usage": {},
            "request_id": request_id,
        }),
        (Integration::Api, _) => json!({ "RequestId": request_id }),
    }
}

/// What StartExecution answers: `{FlowName, ExecutionName, RequestID}` (CloudFlow's
/// documented RequestComplete result of `FNF:StartExecution`).
pub(crate) fn start_response(params: &Value, random: &mut Random) -> Value {
    let field = |keys: &[&str]| keys.iter().find_map(|k| params.get(*k)).cloned();
    let flow = field(&["FlowName", "flowName"]).unwrap_or_else(|| {
        params
            .get("resourceArn")
            .and_then(Value::as_str)
            .and_then(|arn| arn.rsplit_once(":flow/").map(|(_, n)| Value::from(n)))
            .unwrap_or(Value::Null)
    });
    let execution = field(&["executionName", "ExecutionName"]).unwrap_or_else(|| Value::from(uuid(random)));
    json!({ "FlowName": flow, "ExecutionName": execution, "RequestID": uuid(random).to_ascii_uppercase() })
}
