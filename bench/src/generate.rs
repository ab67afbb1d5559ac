//! The flows. `n` is the number of top-level states; nested scopes add a few more.

use std::fmt::Write;

/// A CloudFlow flow with `n` top-level states.
pub fn cloudflow(n: usize) -> String {
    let mut s = String::with_capacity(n * 420);
    s.push_str("Type: StateMachine\nName: generated\nSpecVersion: v1\nStartAt: 处理0\nStates:\n");
    for i in 0..n {
        let name = name(i);
        let next = if i + 1 == n {
            "    End: true\n".to_string()
        } else {
            format!("    Next: {}\n", name_of(i + 1))
        };
        // The last state ends the flow, so it is never a Choice (which cannot end it).
        let kind = if i + 1 == n && matches!(i % 40, 7 | 27) { 1 } else { i % 40 };
        match kind {
            // A Parallel with two branches, one of them a Map of Tasks.
            0 => {
                let _ = write!(
                    s,
                    "  - Type: Parallel\n    Name: {name}\n    Branches:\n      - StartAt: 准备{i}\n        States:\n          - Type: Pass\n            Name: 准备{i}\n            InputConstructor:\n              orderId.$: $Input.orderId\n            End: true\n      - StartAt: Fanout{i}\n        States:\n          - Type: Map\n            Name: Fanout{i}\n            ItemsPath: $Input.items\n            MaxConcurrency: 10\n            Processor:\n              StartAt: 检查{i}\n              States:\n                - Type: Task\n                  Name: 检查{i}\n                  Action: FC:InvokeFunction\n                  Parameters:\n                    resourceArn: acs:fc:cn-hangzhou:123456789012:functions/check/LATEST\n                    invocationType: Sync\n                    body.$: $Input\n                  End: true\n            End: true\n    OutputConstructor:\n      orderId.$: $Input.Branch0.orderId\n{next}"
                );
            }
            7 | 27 => {
                let target = name_of((i + 1).min(n - 1));
                let other = name_of((i + 2).min(n - 1));
                let _ = write!(
                    s,
                    "  - Type: Choice\n    Name: {name}\n    Branches:\n      - Condition: $Input.amount > {i} && $Input.status == \"ready\"\n        Next: {target}\n      - Condition: length($Input.items) >= 2\n        Next: {other}\n    Default: {target}\n"
                );
            }
            13 => {
                let _ = write!(s, "  - Type: Wait\n    Name: {name}\n    Seconds: 5\n{next}");
            }
            19 => {
                let _ = write!(
                    s,
                    "  - Type: Task\n    Name: {name}\n    Action: ECS:DescribeInstances\n    Parameters:\n      RegionId: cn-hangzhou\n      PageSize: 10\n      InstanceIds.$: $Input.instances\n    OutputConstructor:\n      count.$: length($Output.Instances.Instance)\n{next}"
                );
            }
            23 => {
                let _ = write!(
                    s,
                    "  - Type: Task\n    Name: {name}\n    Action: HTTP:Request\n    Parameters:\n      url: https://example.com/orders\n      method: POST\n      body.$: format(\"{{}}-{{}}\", $Input.orderId, uuid())\n    Catch:\n      - Errors: [FnF.ALL]\n        Description: any failure\n        Next: {}\n{next}",
                    name_of((i + 1).min(n - 1))
                );
            }
            _ => {
                let _ = write!(
                    s,
                    "  - Type: Task\n    Name: {name}\n    Action: FC:InvokeFunction\n    TaskMode: RequestComplete\n    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:123456789012:functions/step{i}/LATEST\n      invocationType: Sync\n      body:\n        orderId.$: $Input.orderId\n        step: {i}\n    OutputConstructor:\n      orderId.$: $Input.orderId\n      result.$: $Output.Body\n    Retry:\n      - Errors: [FC.ResourceThrottled]\n        Description: throttled\n        MaxAttempts: 3\n        IntervalSeconds: 1\n        BackoffRate: 2\n{next}"
                );
            }
        }
    }
    s
}

/// The CloudFlow flow of [`cloudflow`]'s kind written in flow style on one line, as a
/// tool that prints JSON-like YAML would: `{Type: StateMachine, …, States: [{…}, …]}`.
/// About 250 bytes per state: 4,000 states make a 1 MB line.
pub fn cloudflow_one_line(n: usize) -> String {
    let mut s = String::with_capacity(n * 260);
    s.push_str("{Type: StateMachine, Name: generated, SpecVersion: v1, StartAt: 处理0, States: [");
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        let name = name(i);
        let next = if i + 1 == n { "End: true".to_string() } else { format!("Next: {}", name_of(i + 1)) };
        let after = name_of((i + 1).min(n - 1));
        let _ = match i % 40 {
            0 => write!(
                s,
                "{{Type: Parallel, Name: {name}, Branches: [{{StartAt: 准备{i}, States: [{{Type: Pass, Name: 准备{i}, InputConstructor: {{orderId.$: $Input.orderId}}, End: true}}]}}, {{StartAt: Fanout{i}, States: [{{Type: Map, Name: Fanout{i}, ItemsPath: $Input.items, MaxConcurrency: 10, Processor: {{StartAt: 检查{i}, States: [{{Type: Task, Name: 检查{i}, Action: 'FC:InvokeFunction', Parameters: {{resourceArn: 'acs:fc:cn-hangzhou:123456789012:functions/check/LATEST', invocationType: Sync, body.$: $Input}}, End: true}}]}}, End: true}}]}}], {next}}}"
            ),
            7 | 27 => write!(
                s,
                "{{Type: Choice, Name: {name}, Branches: [{{Condition: '$Input.amount > {i} && $Input.status == \"ready\"', Next: {after}}}, {{Condition: length($Input.items) >= 2, Next: {after}}}], Default: {after}}}"
            ),
            13 => write!(s, "{{Type: Wait, Name: {name}, Seconds: 5, {next}}}"),
            23 => write!(
                s,
                "{{Type: Task, Name: {name}, Action: 'HTTP:Request', Parameters: {{url: 'https://example.com/orders', method: POST, body.$: 'format(\"{{}}-{{}}\", $Input.orderId, uuid())'}}, Catch: [{{Errors: [FnF.ALL], Description: any failure, Next: {after}}}], {next}}}"
            ),
            _ => write!(
                s,
                "{{Type: Task, Name: {name}, Action: 'FC:InvokeFunction', TaskMode: RequestComplete, Parameters: {{resourceArn: 'acs:fc:cn-hangzhou:123456789012:functions/step{i}/LATEST', invocationType: Sync, body: {{orderId.$: $Input.orderId, step: {i}}}}}, OutputConstructor: {{result.$: $Output.Body}}, {next}}}"
            ),
        };
    }
    s.push_str("]}\n");
    s
}

/// A legacy flow with `n` top-level steps.
pub fn legacy(n: usize) -> String {
    let mut s = String::with_capacity(n * 300);
    s.push_str("version: v1\ntype: flow\nsteps:\n");
    for i in 0..n {
        let name = name(i);
        // The last step ends the flow, so it is never a choice (whose jumps would loop).
        let kind = if i + 1 == n && i % 30 == 11 { 1 } else { i % 30 };
        match kind {
            0 => {
                let _ = write!(
                    s,
                    "  - type: parallel\n    name: {name}\n    branches:\n      - steps:\n          - type: pass\n            name: 左{i}\n      - steps:\n          - type: foreach\n            name: 每个{i}\n            iterationMapping:\n              collection: $.items\n              item: item\n            steps:\n              - type: task\n                name: 处理项{i}\n                resourceArn: acs:fc:::services/shop/functions/item\n    outputMappings:\n      - target: results\n        source: $local[*]\n"
                );
            }
            11 => {
                let _ = write!(
                    s,
                    "  - type: choice\n    name: {name}\n    choices:\n      - condition: $.status == \"done\"\n        goto: {}\n    default:\n      goto: {}\n",
                    name_of((i + 1).min(n - 1)),
                    name_of((i + 1).min(n - 1))
                );
            }
            17 => {
                let _ = write!(s, "  - type: wait\n    name: {name}\n    duration: 5\n");
            }
            _ => {
                let _ = write!(
                    s,
                    "  - type: task\n    name: {name}\n    resourceArn: acs:fc:::services/shop/functions/step{i}\n    inputMappings:\n      - target: orderId\n        source: $input.orderId\n    outputMappings:\n      - target: result{i}\n        source: $local.result\n    retry:\n      - errors: [FC.ResourceThrottled]\n        intervalSeconds: 1\n        maxAttempts: 3\n        multiplier: 2\n"
                );
            }
        }
    }
    s
}

/// The name of the `i`th top-level state: mostly Chinese, some ASCII.
pub fn name_of(i: usize) -> String {
    if i.is_multiple_of(3) { format!("处理{i}") } else { format!("Step{i}") }
}

fn name(i: usize) -> String {
    name_of(i)
}

#[cfg(test)]
mod tests {
    use fdl::analysis::{self, CheckOptions};
    use fdl::syntax::{SourceText, SyntaxTree};

    fn problems(flow: &str) -> Vec<String> {
        let text = SourceText::new(flow);
        let tree = SyntaxTree::parse(&text);
        analysis::check(&text, &tree, &CheckOptions::default()).into_iter().map(|d| d.message).collect()
    }

    /// Every size is a clean flow, whichever state kind falls last.
    #[test]
    fn every_generated_flow_checks_clean() {
        for n in 1..=90 {
            assert_eq!(problems(&super::cloudflow(n)), Vec::<String>::new(), "cloudflow({n})");
            assert_eq!(problems(&super::legacy(n)), Vec::<String>::new(), "legacy({n})");
        }
    }
}
