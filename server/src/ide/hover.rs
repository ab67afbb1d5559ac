//! Hover: keys (the schema's descriptions), state types, task modes and legacy patterns with
//! the service's support matrix, and state names (type and where the state leads).

use fdl_schema::Dialect;
use fdl_schema::integrations::{self, Pattern, TaskMode, WorkflowMode};
use fdl_schema::spec::{self, ObjectSpec};

use super::completion::task_mode_doc;
use super::cursor::{object_of, path_to, state_specific};
use super::{Config, Document};
use crate::analysis::model::{Flow, State, TransitionKind};
use crate::syntax::scalar_map::ScalarMap;
use crate::syntax::{Node, NodeKind, TextRange};
use crate::templates::placeholder;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

pub fn hover(doc: &Document, config: &Config, offset: u32) -> Option<Hover> {
    if let Some(h) = super::host::at(doc, offset, |e, inner| {
        let h = hover(&e.doc, &e.config(&doc.text, config), inner)?;
        Some(Hover { range: e.range_to_host(h.range), markdown: h.markdown })
    }) {
        return h;
    }
    let flow = Flow::new(&doc.tree)?;
    if let Some(h) = placeholder_hover(doc, config, &flow, offset) {
        return Some(h);
    }
    if let Some(found) = super::expressions::expression_in(doc, &flow, offset) {
        let h = super::expressions::hover::hover(&found.text, found.cursor, &found.context)?;
        return Some(Hover { range: found.map.range_to_document(h.range), markdown: h.markdown });
    }
    let path = path_to(flow.root(), offset);
    let node = *path.last()?;
    if node.kind() != NodeKind::Scalar {
        return None;
    }
    let mapping = path.iter().rev().nth(1).copied().filter(|m| m.kind() == NodeKind::Mapping)?;
    let entry = mapping.entries().find(|e| e.key.same(node) || e.value.same(node))?;
    let key = entry.key.scalar()?;
    let object = object_of(&flow, mapping).map(|o| state_specific(&flow, mapping, o));
    let range = node.value_range();
    if let Some(markdown) = catalog_hover(&flow, &path, mapping, key, entry.key.same(node)) {
        return Some(Hover { range, markdown });
    }
    let markdown = if entry.key.same(node) {
        key_doc(object?, key)?
    } else {
        value_doc(&flow, doc, config, mapping, object, key, node)?
    };
    Some(Hover { range, markdown })
}

/// A deploy-time placeholder under the cursor: what it is and which tool substitutes it.
fn placeholder_hover(doc: &Document, config: &Config, flow: &Flow<'_>, offset: u32) -> Option<Hover> {
    let syntaxes = doc.placeholders(config);
    for node in path_to(flow.root(), offset).into_iter().rev() {
        if let Some(p) = placeholder::whole_value(node, &doc.text, &syntaxes) {
            let markdown = p.hover(&doc.text.slice(p.range));
            return Some(Hover { range: p.range, markdown });
        }
        let Some(value) = node.scalar() else { continue };
        let Some(map) = ScalarMap::new(node, &doc.text) else { continue };
        for p in placeholder::find(value, &syntaxes) {
            let range = map.range_to_document(p.range);
            if range.contains_inclusive(offset) && offset < range.end {
                return Some(Hover { range, markdown: p.hover(&value[p.range.as_usize()]) });
            }
        }
    }
    None
}

/// The catalog's view: the API an `Action` calls, or one of its `Parameters`.
fn catalog_hover(
    flow: &Flow<'_>,
    path: &[Node<'_>],
    mapping: Node<'_>,
    key: &str,
    on_key: bool,
) -> Option<String> {
    use crate::analysis::catalog_rules;
    let (action_key, params_key) = match flow.dialect() {
        Dialect::CloudFlow => ("Action", "Parameters"),
        Dialect::Legacy => ("action", "serviceParams"),
    };
    if key == action_key && !on_key {
        return catalog_rules::action_hover(flow, &flow.state(mapping));
    }
    if on_key {
        // mapping is the Parameters value: the state is the mapping that holds it.
        let at = path.iter().rposition(|n| n.same(mapping))?;
        let state = path[..at].iter().rev().find(|n| n.kind() == NodeKind::Mapping).copied()?;
        let entry = flow.entries(state).into_iter().find(|e| flow.resolve(e.value).same(mapping))?;
        if entry.key.scalar() == Some(params_key) {
            let param = catalog_rules::parameter(flow, &flow.state(state), key.trim_end_matches(".$"))?;
            return Some(fdl_schema::catalog::param_markdown(&param));
        }
    }
    None
}

fn key_doc(object: &ObjectSpec, key: &str) -> Option<String> {
    let base = key.strip_suffix(".$");
    let field = object.field(key).or_else(|| base.and_then(|b| object.field(b)))?;
    let mut out = format!("**`{}`** — {}", field.name, label(object));
    if field.required {
        out.push_str(" (required)");
    }
    out.push_str("\n\n");
    out.push_str(&field.description);
    if base.is_some() && object.field(key).is_none() {
        out.push_str("\n\nWith `.$` the value is an expression, evaluated when the state runs.");
    }
    if let Some(new) = &field.replaced_by {
        out.push_str(&format!("\n\n**Obsolete**: use `{new}`."));
    }
    Some(out)
}

fn label(object: &ObjectSpec) -> &str {
    if object.title.is_empty() { &object.name } else { &object.title }
}

fn value_doc(
    flow: &Flow<'_>,
    doc: &Document,
    config: &Config,
    mapping: Node<'_>,
    object: Option<&ObjectSpec>,
    key: &str,
    value: Node<'_>,
) -> Option<String> {
    let dialect = flow.dialect();
    let text = value.scalar()?;
    let is_state = object.is_some_and(|o| {
        spec::state_types(dialect)
            .iter()
            .any(|t| spec::state_object(dialect, t).is_some_and(|s| s.name == o.name))
    });
    match (dialect, key) {
        (_, "Type" | "type")
            if is_state || object.is_some_and(|o| o.name == spec::state_union(dialect).name) =>
        {
            let state = spec::state_object(dialect, text)?;
            Some(format!("**{text}** state\n\n{}", state.description))
        }
        (Dialect::CloudFlow, "TaskMode") => {
            let mode = TaskMode::parse(text)?;
            Some(task_mode_hover(flow, mapping, mode, doc.mode(config)))
        }
        (Dialect::Legacy, "pattern") => {
            let pattern = Pattern::parse(text)?;
            Some(pattern_hover(flow, mapping, pattern))
        }
        (Dialect::CloudFlow, "Name" | "StartAt" | "Next" | "Default")
        | (Dialect::Legacy, "name" | "goto") => state_hover(flow, value),
        _ => None,
    }
}

fn task_mode_hover(flow: &Flow<'_>, state: Node<'_>, mode: TaskMode, workflow: WorkflowMode) -> String {
    let mut out = format!("**{}**\n\n{}", mode.as_str(), task_mode_doc(mode));
    if let Some((action, _)) = flow.get_str(state, "Action") {
        let support = integrations::supported_task_modes(action);
        out.push_str(&format!("\n\n| {} | Standard | Express |\n|---|---|---|\n", support.name));
        for m in TaskMode::ALL {
            let standard = if support.modes.contains(m) { "✔" } else { "✘" };
            let express =
                if *m == TaskMode::RequestComplete && support.modes.contains(m) { "✔" } else { "✘" };
            out.push_str(&format!("| {} | {standard} | {express} |\n", m.as_str()));
        }
        if workflow == WorkflowMode::Express {
            out.push_str("\nThis document is checked as an **Express** workflow.\n");
        }
    }
    out.trim_end().to_string()
}

fn pattern_hover(flow: &Flow<'_>, step: Node<'_>, pattern: Pattern) -> String {
    let what = match pattern {
        Pattern::RequestResponse => "Call the service and continue as soon as the call returns. The default.",
        Pattern::Sync => {
            "Submit an asynchronous job (asynchronous function invocation, child flow) and wait until it completes."
        }
        Pattern::WaitForCallback => {
            "Submit, then pause until ReportTaskSucceeded or ReportTaskFailed is called with the task token (`$context.task.token`)."
        }
    };
    let mut out = format!("**{}**\n\n{what}", pattern.as_str());
    let target = flow.get_str(step, "resourceArn").and_then(|(arn, _)| crate::analysis::arn::target(arn));
    if let Some(target) = target {
        let invocation = flow
            .get(step, "serviceParams")
            .and_then(|e| flow.get_str(e.value, "InvocationType"))
            .and_then(|(v, _)| integrations::InvocationType::parse(v));
        let supported = integrations::supported_patterns(&target, invocation);
        let names: Vec<String> = supported.iter().map(|p| format!("`{}`", p.as_str())).collect();
        out.push_str(&format!("\n\n{} supports {}.", target.describe(), names.join(", ")));
    }
    out
}

/// The state a name refers to: its type and where it leads.
fn state_hover(flow: &Flow<'_>, value: Node<'_>) -> Option<String> {
    let offset = value.value_range().start;
    // Only the top-level state under the cursor and its nested scopes can hold the name
    // (or the flow's `StartAt`): thousands of other states are not looked at.
    let top = flow.top_state_before(offset).map(|s| s.node.range()).filter(|r| r.contains_inclusive(offset));
    let scopes = flow.scopes_where(&|n| top.is_some_and(|t| t.contains_range(n.range())));
    for scope in scopes {
        let around: Vec<_> =
            scope.states().into_iter().filter(|s| s.node.range().contains_inclusive(offset)).collect();
        // A state's own name: that state, with no search by name.
        if let Some(state) = around.iter().find(|s| s.name().is_some_and(|(_, n)| n.same(value))) {
            return Some(describe_state(state));
        }
        let named_here = scope.start_at().is_some_and(|(_, n)| n.same(value))
            || around.iter().any(|s| s.transitions().iter().any(|t| t.node.same(value)));
        if named_here {
            let name = value.scalar()?;
            let Some(state) = scope.find(name) else {
                return Some(format!("`{name}`: no state of this scope has this name"));
            };
            return Some(describe_state(&state));
        }
    }
    None
}

fn describe_state(state: &State<'_, '_>) -> String {
    let name = state.name().map(|(n, _)| n).unwrap_or("?");
    let ty = state.ty().map(|(t, _)| t).unwrap_or("state");
    let mut out = format!("**{ty}** `{name}`");
    if let Some((action, _)) = state.get_str("Action").or_else(|| state.get_str("action")) {
        out.push_str(&format!(" calls `{action}`"));
    }
    if let Some((arn, _)) = state.get_str("resourceArn") {
        out.push_str(&format!(" calls `{arn}`"));
    }
    let moves = state.transitions();
    let mut leads: Vec<String> = moves
        .iter()
        .map(|t| match t.kind {
            TransitionKind::Next => format!("→ `{}`", t.target),
            TransitionKind::Default => format!("→ `{}` (default)", t.target),
            TransitionKind::Branch => format!("→ `{}` (when its condition holds)", t.target),
            TransitionKind::Catch => format!("→ `{}` (on error)", t.target),
        })
        .collect();
    if state.is_terminal() {
        leads.push("ends its scope".to_string());
    }
    if !leads.is_empty() {
        out.push_str("\n\n");
        out.push_str(&leads.join("  \n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::cursor;

    fn check(fixture: &str, expect: Expect) {
        let (doc, offset) = cursor(fixture);
        let out = match hover(&doc, &Config::default(), offset) {
            Some(h) => format!("{:?}\n{}", doc.text.slice(h.range), h.markdown),
            None => "none".to_string(),
        };
        expect.assert_eq(&out);
    }

    const FLOW: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 视频理解\nStates:\n  - Type: Task\n    Name: 视频理解\n    Action: EventBridge:PutEvents\n    TaskMode: RequestComplete\n    Catch:\n      - Errors: [FnF.ALL]\n        Next: 失败\n    Next: 失败\n  - Type: Fail\n    Name: 失败\n    Code: E\n";

    fn at(needle: &str) -> String {
        let i = FLOW.find(needle).expect("needle") + 1;
        format!("{}$0{}", &FLOW[..i], &FLOW[i..])
    }

    #[test]
    fn keys_types_modes_and_states() {
        check(
            &at("TaskMode:"),
            expect![[r#"
            "TaskMode"
            **`TaskMode`** — Task state

            How the task waits for the integration. `RequestComplete` (default): done when the API answers. `WaitForSystemCallback`: waits until the service reports that the started job finished. `WaitForCustomCallback`: waits until ReportTaskSucceeded or ReportTaskFailed is called with the task token. Express workflows allow only `RequestComplete`, and each integration supports only some modes."#]],
        );
        check(
            &at("Task\n"),
            expect![[r#"
            "Task"
            **Task** state

            Calls a service integration given by `Action`: an optimized integration such as `FC:InvokeFunction`, or any Alibaba Cloud OpenAPI operation. The call's result is `$Output` in `OutputConstructor`."#]],
        );
        check(
            &at("RequestComplete"),
            expect![[r#"
            "RequestComplete"
            **RequestComplete**

            The task finishes as soon as the called API answers; the answer is the task's output. The default.

            | EventBridge (EventBridge:PutEvents) | Standard | Express |
            |---|---|---|
            | RequestComplete | ✔ | ✔ |
            | WaitForSystemCallback | ✘ | ✘ |
            | WaitForCustomCallback | ✔ | ✘ |"#]],
        );
        check(
            &at("StartAt"),
            expect![[r#"
            "StartAt"
            **`StartAt`** — CloudFlow flow definition (required)

            Name of the first state to run; must be one of the top-level `States`."#]],
        );
        check(
            &FLOW.replace("Name: 视频理解", "Name: 视$0频理解"),
            expect![[r#"
            "视频理解"
            **Task** `视频理解` calls `EventBridge:PutEvents`

            → `失败` (on error)  
            → `失败`"#]],
        );
    }

    #[test]
    fn catalog_and_expressions() {
        check(
            "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Task\n    Name: A\n    Action: ECS:Describe$0Instances\n    Parameters:\n      RegionId: cn-hangzhou\n    End: true\n",
            expect![[r#"
                "ECS:DescribeInstances"
                **Ecs:DescribeInstances** · Elastic Compute Service (云服务器 ECS) · API version 2014-05-26

                Queries Elastic Compute Service (ECS) instances by various filter conditions. The details of the queried ECS instances are returned in the response.

                | Parameter | Type | Required | Description |
                |---|---|---|---|
                | `RegionId` | string | yes | The region ID of the instance. You can call the [DescribeRegions](~~25609~~) operation to query the most recent region list. |
                | `AdditionalAttributes` | array | no | The additional instance attributes. (at most 5 items) |
                | `DeviceAvailable` | boolean | no | > This parameter is in invitational preview and is not publicly available. |
                | `DryRun` | boolean | no | Specifies whether to perform only a dry run, without performing the actual request. Valid values: * true: performs only a dry run. The system checks the request… |
                | `EipAddresses` | string | no | The elastic IP addresses (EIPs) of instances. This parameter is valid when InstanceNetworkType is set to vpc. The value can be a JSON array that consists of up… |
                | `Filter.1.Key` | string | no | The key of filter 1 used to query resources. Set the value to `CreationStartTime`. You can specify a time by setting both `Filter.1.Key` and `Filter.1.Value` to… |
                | `Filter.1.Value` | string | no | The value of filter 1 used to query resources. Set the value to a time. If you specify this parameter, you must also specify `Filter.1.Key`. Specify the time in… |
                | `Filter.2.Key` | string | no | The key of filter 2 used to query resources. Set the value to `CreationEndTime`. You can specify a time by setting both `Filter.2.Key` and `Filter.2.Value` to q… |
                | `Filter.2.Value` | string | no | The value of filter 2 used to query resources. Set the value to a time. If you specify this parameter, you must also specify `Filter.2.Key`. Specify the time in… |
                | `Filter.3.Key` | string | no | The key of filter 3 used to query resources. Set the value to `ExpiredStartTime`. You can specify a time by setting both `Filter.3.Key` and `Filter.3.Value` to… |
                | `Filter.3.Value` | string | no | The value of filter 3 used to query resources. Set the value to a time. If you specify this parameter, you must also specify `Filter.3.Key`. Specify the time in… |
                | `Filter.4.Key` | string | no | The key of filter 4 used to query resources. Set the value to `ExpiredEndTime`. You can specify a time by setting both `Filter.4.Key` and `Filter.4.Value` to qu… |
                | `Filter.4.Value` | string | no | The value of filter 4 used to query resources. Set the value to a time. If you specify this parameter, you must also specify `Filter.4.Key`. Specify the time in… |
                | `HpcClusterId` | string | no | The ID of the high-performance computing (HPC) cluster to which the instance belongs. |
                | `HttpEndpoint` | string | no | Specifies whether the access channel is enabled for instance metadata. Valid values: * enabled * disabled Default value: enabled. > For information about instan… |
                | `HttpPutResponseHopLimit` | integer | no | > This parameter is in invitational preview and is not publicly available. |
                | `HttpTokens` | string | no | Specifies whether the security hardening mode (IMDSv2) is forcefully used to access instance metadata. Valid values: * optional: The security hardening mode (IM… |
                | `ImageId` | string | no | The ID of the image. |
                | `InnerIpAddresses` | string | no | The internal IP addresses of instances located in the classic network. This parameter is valid when InstanceNetworkType is set to classic. The value can be a JS… |
                | `InstanceChargeType` | string | no | The billing method of the instance. Valid values: * PostPaid: pay-as-you-go * PrePaid: subscription |
                | `InstanceIds` | string | no | The ID of the instance. The value can be a JSON array that consists of up to 100 instance IDs. Separate the IDs with commas (,). |
                | `InstanceName` | string | no | The name of the instance. Fuzzy search with asterisk (\*) wildcard characters is supported. |
                | `InstanceNetworkType` | string | no | The network type of the instance. Valid values: * classic * vpc |
                | `InstanceType` | string | no | The instance type of the instance. |
                | `InstanceTypeFamily` | string | no | The instance family of the instance. |
                | `InternetChargeType` | string | no | The billing method for network usage. Valid values: * PayByBandwidth * PayByTraffic > When the **pay-by-traffic** billing method is used for network usage, the… |
                | `IoOptimized` | boolean | no | Specifies whether the instance is an I/O optimized instance. Valid values: * true * false |
                | `Ipv6Address` | array | no | The IPv6 addresses assigned to elastic network interfaces (ENIs). (at most 100 items) |
                | `KeyPairName` | string | no | The name of the SSH key pair bound to the instance. |
                | `LockReason` | string | no | The reason why the instance is locked. Valid values: * financial: The instance is locked due to overdue payments. * security: The instance is locked due to secu… |
                | `MaxResults` | integer | no | The maximum number of entries per page. Valid values: 1 to 100. Default value: * If you do not specify this parameter or if you set this parameter to a value th… (1 to 100) |
                | `NeedSaleCycle` | boolean | no | > This parameter is in invitational preview and is not publicly available. |
                | `NextToken` | string | no | The pagination token that is used in the next request to retrieve a new page of results. You do not need to specify this parameter for the first request. You mu… |
                | `PageNumber` | integer | no | > This parameter will be removed in the future. We recommend that you use NextToken and MaxResults for a paged query. (at least 1) |
                | `PageSize` | integer | no | > This parameter will be removed in the future. We recommend that you use NextToken and MaxResults for a paged query. (1 to 100) |
                | `PrivateIpAddresses` | string | no | The private IP addresses of instances located in a VPC. This parameter is valid when InstanceNetworkType is set to vpc. The value can be a JSON array that consi… |
                | `PublicIpAddresses` | string | no | The public IP addresses of instances. The value can be a JSON array that consists of up to 100 IP addresses. Separate the IP addresses with commas (,). |
                | `RdmaIpAddresses` | string | no | The remote direct memory access (RDMA) IP addresses of the instance in the HPC cluster. |
                | `ResourceGroupId` | string | no | The ID of the resource group to which the instance belongs. If this parameter is specified to query resources, up to 1,000 resources that belong to the specifie… |
                | `SecurityGroupId` | string | no | The ID of the security group to which the instance belongs. |

                …and 5 more parameters.

                TaskMode: `RequestComplete`
            "#]],
        );
        check(
            "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Parameters:\n      invocation$0Type: Sync\n    End: true\n",
            expect![[r#"
                "invocationType"
                `invocationType`: string, required

                `Sync` waits for the function's result; `Async` only queues the event. `TaskMode: WaitForSystemCallback` needs `Async`.

                one of `Sync`, `Async`
            "#]],
        );
        check(
            "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    InputConstructor:\n      h.$: has$0h($Input.x, \"MD5\")\n    End: true\n",
            expect![[r#"
                "hash"
                ```fdl
                hash(input: string, algorithm: string) -> string
                ```

                The hash of `input` in lowercase hexadecimal.

                - `input`: the text to hash (its UTF-8 bytes)
                - `algorithm`: `MD5`, `SHA-1`, `SHA-256` or `SHA-512`

                Example: `hash("abc", "MD5")` gives `"900150983cd24fb0d6963f7d28e17f72"`

                *hash built-in, documented.*"#]],
        );
    }

    #[test]
    fn legacy_pattern() {
        check(
            "version: v1\ntype: flow\nsteps:\n  - type: task\n    name: t\n    resourceArn: acs:fnf:::flow/child\n    pattern: s$0ync\n",
            expect![[r#"
                "sync"
                **sync**

                Submit an asynchronous job (asynchronous function invocation, child flow) and wait until it completes.

                child workflow `child` supports `requestResponse`, `sync`, `waitForCallback`."#]],
        );
    }

    #[test]
    fn placeholders_say_what_they_are_and_who_substitutes_them() {
        let flow = "Type: StateMachine\nSpecVersion: v1\nName: ${vars.name}-流程\nStartAt: A\nStates:\n  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Parameters:\n      resourceArn: \"acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:functions/${FunctionName}\"\n      invocationType: {{ invocationType }}\n      body:\n        fn: !Ref Service/Function\n    End: true\n";
        let at = |needle: &str, back: usize| {
            let i = flow.find(needle).expect("needle") + needle.len() - back;
            format!("{}$0{}", &flow[..i], &flow[i..])
        };
        check(
            &at("${vars.na", 0),
            expect![[r#"
            "${vars.name}"
            **Deploy-time placeholder** `${vars.name}`

            The variable `vars.name` of s.yaml, substituted by **Serverless Devs (`s deploy`)** before the flow is deployed. Its value is unknown here, so fdl checks only the text around it."#]],
        );
        check(
            &at("${ALIYUN::Ten", 0),
            expect![[r#"
            "${ALIYUN::TenantId}"
            **Deploy-time placeholder** `${ALIYUN::TenantId}`

            The ROS pseudo parameter `ALIYUN::TenantId`, substituted by **ROS (`Fn::Sub`, when the stack is created)** before the flow is deployed. Its value is unknown here, so fdl checks only the text around it."#]],
        );
        check(
            &at("{{ invocationType }}", 5),
            expect![[r#"
            "{{ invocationType }}"
            **Deploy-time placeholder** `{{ invocationType }}`

            The template variable `invocationType` (filled in by `s init`), substituted by **Serverless Devs (`s deploy`)** before the flow is deployed. Its value is unknown here, so fdl checks only the text around it."#]],
        );
        check(
            &at("!Re", 0),
            expect![[r#"
            "!Ref Service/Function"
            **Deploy-time placeholder** `!Ref Service/Function`

            A reference to `Service/Function` resolved by the deployment template, substituted by **Funcraft or ROS (YAML tag, when the template is deployed)** before the flow is deployed. Its value is unknown here, so fdl checks only the text around it."#]],
        );
        // Outside the placeholder, the rest of the name has no hover of its own.
        check(&at("-流", 0), expect!["none"]);
    }
}
