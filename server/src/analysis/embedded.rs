//! Flows inside deployment files (`templates::embedded`): checked as the flow the tool
//! hands to the service, with every position mapped back into the host file.

use fdl_schema::integrations::WorkflowMode;

use super::{CheckOptions, Code, Diagnostic, Directives, Fix, check};
use crate::syntax::{SourceText, SyntaxTree, TextRange};
use crate::templates::{EmbeddedFlow, FlowFile, Host};

/// The options an embedded flow is checked with: the tokens its template replaces are
/// placeholders, and the host's execution mode (or a `# fdl: mode=` comment in the host)
/// applies unless the setting or the flow's own comment says otherwise.
pub fn options_for(host: &SourceText, flow: &EmbeddedFlow, options: &CheckOptions) -> CheckOptions {
    let declared =
        flow.execution_mode.as_deref().and_then(|m| match m.trim().to_ascii_lowercase().as_str() {
            "express" => Some(WorkflowMode::Express),
            "standard" => Some(WorkflowMode::Standard),
            _ => None,
        });
    let own = Directives::read(&SourceText::new(&flow.text)).mode;
    let host_directives = Directives::read(host);
    CheckOptions {
        mode: options.mode.or(own).or(declared).or(host_directives.mode),
        placeholders: host_directives
            .placeholders(&options.placeholders)
            .replacing(flow.replaced.iter().cloned()),
    }
}

/// The diagnostics of every flow written in a deployment file, in host positions, sorted.
pub fn check_host(host_text: &SourceText, host: &Host, options: &CheckOptions) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> =
        host.flows.iter().flat_map(|f| check_embedded(host_text, f, options)).collect();
    out.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    out
}

/// The diagnostic for a flow file a deployment file names but that does not exist.
pub fn missing_flow_file(file: &FlowFile, resolved: &str) -> Diagnostic {
    Diagnostic::error(
        Code::MissingFlowFile,
        file.range,
        format!(
            "the flow file `{}` of `{}` does not exist (looked for {resolved})",
            file.path, file.resource
        ),
    )
}

/// The diagnostics of an embedded flow, in host positions.
pub fn check_embedded(host: &SourceText, flow: &EmbeddedFlow, options: &CheckOptions) -> Vec<Diagnostic> {
    let text = SourceText::new(&flow.text);
    let tree = SyntaxTree::parse(&text);
    let options = options_for(host, flow, options);
    check(&text, &tree, &options).into_iter().map(|d| to_host(flow, d)).collect()
}

/// A diagnostic of the embedded flow, moved into the host. Fixes whose edits cannot be
/// written there (a line break inside a quoted string, an inexact map) are dropped.
pub fn to_host(flow: &EmbeddedFlow, mut d: Diagnostic) -> Diagnostic {
    d.range = flow.map.range_to_document(d.range);
    d.fixes = d.fixes.into_iter().filter_map(|f| fix_to_host(flow, f)).collect();
    d
}

pub fn fix_to_host(flow: &EmbeddedFlow, fix: Fix) -> Option<Fix> {
    let mut edits = Vec::with_capacity(fix.edits.len());
    for (range, text) in fix.edits {
        edits.push((range_to_host(flow, range), text_to_host(flow, &text)?));
    }
    Some(Fix { title: fix.title, edits })
}

/// A range of the embedded flow in the host.
pub fn range_to_host(flow: &EmbeddedFlow, range: TextRange) -> TextRange {
    flow.map.range_to_document(range)
}

/// Text to insert into the embedded flow, as it must be written in the host: each line
/// break followed by the block's indentation. `None` when the host cannot take it as it
/// is: a line break, quote or backslash inside a quoted string would need escaping.
pub fn text_to_host(flow: &EmbeddedFlow, text: &str) -> Option<String> {
    if flow.line_prefix.is_none() && text.contains(['"', '\'', '\\']) {
        return None;
    }
    if !text.contains('\n') {
        return Some(text.to_string());
    }
    if !flow.map.is_exact() {
        return None;
    }
    let prefix = flow.line_prefix.as_deref()?;
    Some(text.replace('\n', &format!("\n{prefix}")))
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::analysis::fixture::caret_note;
    use crate::templates::{terraform_host, yaml_host};

    /// The host with the diagnostics of its embedded flows under their lines.
    fn check_host(src: &str, expect: Expect) {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let host = yaml_host(&text, &tree).or_else(|| terraform_host(src)).expect("a host");
        let diagnostics: Vec<Diagnostic> =
            host.flows.iter().flat_map(|f| check_embedded(&text, f, &CheckOptions::default())).collect();
        let mut out = String::new();
        for (i, line) in src.lines().enumerate() {
            out.push_str(&format!("{line}\n"));
            for (l, note) in diagnostics.iter().map(|d| caret_note(&text, d)) {
                if l == i {
                    out.push_str(&format!("{note}\n"));
                }
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn ros_template_positions_in_the_host() {
        check_host(
            r#"ROSTemplateFormatVersion: '2015-09-01'
Resources:
  视频流程:
    Type: ALIYUN::FNF::Flow
    Properties:
      ExecutionMode: Express
      Definition:
        Fn::Replace:
          - <suffix>: {Ref: ALIYUN::StackName}
          - |
            Type: StateMachine
            SpecVersion: v1
            Name: video-<suffix>
            StartAt: 等待
            States:
              - Type: Wait
                Name: 等待
                Seconds: 60
                Next: 调用函数
              - Type: Task
                Name: 调用函数
                Action: FC:InvokeFunction
                Parameters:
                  resourceArn: acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:functions/fn-<suffix>
                  invocationType: Sync
                Nxt: 结束
              - Type: Succeed
                Name: 结束
"#,
            expect![[r#"
                ROSTemplateFormatVersion: '2015-09-01'
                Resources:
                  视频流程:
                    Type: ALIYUN::FNF::Flow
                    Properties:
                      ExecutionMode: Express
                      Definition:
                        Fn::Replace:
                          - <suffix>: {Ref: ALIYUN::StackName}
                          - |
                            Type: StateMachine
                            SpecVersion: v1
                            Name: video-<suffix>
                            StartAt: 等待
                            States:
                              - Type: Wait
                                Name: 等待
                                Seconds: 60
                                         ^^ error[out-of-range]: a Wait in an Express workflow lasts 1 to 20 seconds, not 60
                                Next: 调用函数
                              - Type: Task
                                Name: 调用函数
                                      ^^^^ error[missing-transition]: this state needs `Next: <state>` or `End: true`: otherwise the flow cannot go on from it [fix: Add `End: true`; Add `Next: 结束`]
                                Action: FC:InvokeFunction
                                Parameters:
                                  resourceArn: acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:functions/fn-<suffix>
                                  invocationType: Sync
                                Nxt: 结束
                                ^^^ warning[unknown-key]: unknown key `Nxt` in the Task state: did you mean `Next`? [fix: Replace with `Next`]
                              - Type: Succeed
                                Name: 结束
                                      ^^ warning[unreachable-state]: no path from `StartAt` leads to this state: it never runs
            "#]],
        );
    }

    #[test]
    fn terraform_positions_in_the_host() {
        check_host(
            "resource \"alicloud_fnf_flow\" \"f\" {\n  definition = <<-EOF\n    version: v1\n    type: flow\n    steps:\n      - type: wait\n        name: 等待\n        duraton: 10\n  EOF\n}\n\nresource \"alicloud_fnf_flow\" \"g\" {\n  definition = \"version: v1\\ntype: flow\\nsteps:\\n  - type: pass\\n    nme: \\\"名字\\\"\\n\"\n}\n",
            expect![[r#"
                resource "alicloud_fnf_flow" "f" {
                  definition = <<-EOF
                    version: v1
                    type: flow
                    steps:
                      - type: wait
                        name: 等待
                              ^^ error[missing-key]: the Wait step needs `duration` or `timestamp`
                        duraton: 10
                        ^^^^^^^ warning[unknown-key]: unknown key `duraton` in the Wait step: did you mean `duration`? [fix: Replace with `duration`]
                  EOF
                }

                resource "alicloud_fnf_flow" "g" {
                  definition = "version: v1\ntype: flow\nsteps:\n  - type: pass\n    nme: \"名字\"\n"
                                                                     ^^^^ error[missing-key]: the Pass step needs `name`: name of the step.
                                                                                     ^^^ warning[unknown-key]: unknown key `nme` in the Pass step: did you mean `name`? [fix: Replace with `name`]
                }
            "#]],
        );
    }
}
