//! Host fixtures in their published shapes (written for these tests): what is found, and
//! that every character of an embedded flow maps back to where it is written.

use expect_test::{Expect, expect};

use super::*;
use crate::templates::terraform_host;

fn describe(src: &str, host: Option<Host>) -> String {
    let Some(host) = host else { return "not a host".to_string() };
    let mut out = format!("{}\n", host.format);
    for f in &host.flows {
        out.push_str(&format!(
            "flow `{}` ({}) at {:?}{}{}{}\n",
            f.resource,
            f.format,
            f.range,
            f.line_prefix.as_ref().map(|p| format!(", indent {}", p.len())).unwrap_or_default(),
            if f.replaced.is_empty() { String::new() } else { format!(", replaces {:?}", f.replaced) },
            f.execution_mode.as_ref().map(|m| format!(", mode {m}")).unwrap_or_default(),
        ));
        for line in f.text.lines() {
            out.push_str(&format!("  | {line}\n"));
        }
        assert_traced(src, f);
    }
    for file in &host.files {
        out.push_str(&format!(
            "file `{}` for `{}` ({}) at {:?} = {:?}\n",
            file.path,
            file.resource,
            file.format,
            file.range,
            &src[file.range.as_usize()]
        ));
    }
    out
}

/// Every character of the flow comes from host text that decodes to it: itself, or an
/// escape sequence; line breaks from line breaks or `\n`.
fn assert_traced(src: &str, flow: &EmbeddedFlow) {
    for (i, c) in flow.text.char_indices() {
        let r = TextRange::new(i as u32, (i + c.len_utf8()) as u32);
        let host = &src[flow.map.range_to_document(r).as_usize()];
        let ok = match c {
            '\n' => matches!(host, "\n" | "\r\n" | "\\n" | ""),
            '"' => matches!(host, "\"" | "\\\""),
            '\\' => matches!(host, "\\" | "\\\\"),
            _ => host == c.to_string(),
        };
        assert!(ok, "{:?} at {i} of `{}` maps to {host:?}", c, flow.resource);
    }
}

fn check_yaml(src: &str, expect: Expect) {
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    expect.assert_eq(&describe(src, yaml_host(&text, &tree)));
}

fn check_tf(src: &str, expect: Expect) {
    expect.assert_eq(&describe(src, terraform_host(src)));
}

#[test]
fn ros_block_scalar_sub_replace_and_parameter_default() {
    check_yaml(
        r#"ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  FlowDefinition:
    Type: String
    Default: "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: \"默认\"\n"
Resources:
  视频流程:
    Type: ALIYUN::FNF::Flow
    Properties:
      Name: video
      ExecutionMode: Express
      Definition: |
        Type: StateMachine
        SpecVersion: v1
        StartAt: 开始 # 中文注释
        States:
          - Type: Pass
            Name: 开始
            End: true
  Replaced:
    Type: ALIYUN::FNF::Flow
    Properties:
      Definition:
        Fn::Replace:
          - <suffix>: {Ref: ALIYUN::StackName}
            <resource-arn>: {Ref: Arn}
          - |-
            version: v1beta1
            type: flow
            steps:
              - type: task
                name: t
                resourceArn: <resource-arn>
  Subbed:
    Type: ALIYUN::FNF::Flow
    Properties:
      Definition:
        Fn::Sub:
          - "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: ${Step}\n"
          - Step: p
  FromParameter:
    Type: ALIYUN::FNF::Flow
    Properties:
      Definition: {Ref: FlowDefinition}
  Other:
    Type: ALIYUN::FC::Function
    Properties:
      Code: {}
"#,
        expect![[r#"
            ROS template
            flow `视频流程` (ROS template) at 319..486, indent 8, mode Express
              | Type: StateMachine
              | SpecVersion: v1
              | StartAt: 开始 # 中文注释
              | States:
              |   - Type: Pass
              |     Name: 开始
              |     End: true
            flow `Replaced` (ROS template) at 695..848, indent 12, replaces ["<suffix>", "<resource-arn>"]
              | version: v1beta1
              | type: flow
              | steps:
              |   - type: task
              |     name: t
              |     resourceArn: <resource-arn>
            flow `Subbed` (ROS template) at 950..1020
              | version: v1
              | type: flow
              | steps:
              |   - type: pass
              |     name: ${Step}
            flow `FromParameter` (ROS template) at 99..172
              | version: v1
              | type: flow
              | steps:
              |   - type: pass
              |     name: "默认"
        "#]],
    );
}

#[test]
fn funcraft_inline_and_by_path() {
    check_yaml(
        "ROSTemplateFormatVersion: '2015-09-01'\nTransform: 'Aliyun::Serverless-2018-04-03'\nResources:\n  copy-flow:\n    Type: 'Aliyun::Serverless::Flow'\n    Properties:\n      Description: copy\n      DefinitionUri: flows/copy.flow.yml\n  inline:\n    Type: Aliyun::Serverless::Flow\n    Properties:\n      Description: inline\n      Definition:\n        Fn::Sub: |\n          version: v1beta1\n          type: flow\n          steps:\n            - type: task\n              name: copy\n              resourceArn: '${OssCopyList.ARN}'\n",
        expect![[r#"
            Funcraft template
            flow `inline` (Funcraft template) at 358..510, indent 10
              | version: v1beta1
              | type: flow
              | steps:
              |   - type: task
              |     name: copy
              |     resourceArn: '${OssCopyList.ARN}'
            file `flows/copy.flow.yml` for `copy-flow` (Funcraft template) at 204..223 = "flows/copy.flow.yml"
        "#]],
    );
}

#[test]
fn serverless_devs_paths_and_inline_mappings() {
    check_yaml(
        "edition: 1.0.0\nname: video\nservices:\n  video-flow:\n    component: devsapp/fnf\n    props:\n      region: ${vars.region}\n      name: video-flow\n      definition: src/flows/video.flow.yml\n",
        expect![[r#"
            Serverless Devs s.yaml
            file `src/flows/video.flow.yml` for `video-flow` (Serverless Devs s.yaml) at 159..183 = "src/flows/video.flow.yml"
        "#]],
    );
    check_yaml(
        "edition: 3.0.0\nname: app\nresources:\n  流程:\n    component: flow\n    props:\n      region: cn-hangzhou\n      executionMode: Express\n      definition:\n        type: flow\n        version: v1beta1\n        steps:\n          - type: pass\n            name: 步骤\n  code:\n    component: fc3\n    props:\n      runtime: python3.10\n",
        expect![[r#"
            Serverless Devs s.yaml
            flow `流程` (Serverless Devs s.yaml) at 158..256, indent 8, mode Express
              | type: flow
              | version: v1beta1
              | steps:
              |   - type: pass
              |     name: 步骤
        "#]],
    );
}

#[test]
fn other_yaml_is_not_a_host() {
    check_yaml("Type: StateMachine\nSpecVersion: v1\nStates: []\n", expect!["not a host"]);
    check_yaml("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n", expect!["not a host"]);
    check_yaml("Resources:\n  Fn:\n    Type: ALIYUN::FC::Function\n", expect!["not a host"]);
    check_yaml(
        "edition: 3.0.0\nresources:\n  f:\n    component: fc3\n    props: {}\n",
        expect!["not a host"],
    );
}

#[test]
fn terraform_heredocs_strings_and_files() {
    check_tf(
        r#"# resource "alicloud_fnf_flow" "in_a_comment" { definition = "x" }
variable "region" { default = "cn-hangzhou" }

resource "alicloud_fnf_flow" "example" {
  definition  = <<EOF
  version: v1beta1
  type: flow
  steps:
    - type: wait
      name: 等待
      duration: $.wait
  EOF
  role_arn    = alicloud_ram_role.default.arn
  description = "Test for terraform fnf_flow. }"
  name        = "tf-testaccflow"
  type        = "FDL"
}

resource "alicloud_fnf_flow" "indented" {
  definition = <<-YAML
    Type: StateMachine
    SpecVersion: v1
    Name: ${var.name}
    StartAt: A
    States:
      - Type: Pass
        Name: A
        End: true
    YAML
  name = "x"
}

resource "alicloud_fnf_flow" "quoted" {
  definition = "version: v1beta1\ntype: flow\nsteps:\n  - type: pass\n    name: \"引号\"\n"
}

resource "alicloud_fnf_flow" "from_file" {
  definition = templatefile("${path.module}/flows/main.flow.yaml", { region = var.region })
}

resource "alicloud_fnf_flow" "unknown_file" {
  definition = file("${var.dir}/flow.yaml")
}
"#,
        expect![[r#"
            Terraform configuration
            flow `example` (Terraform configuration) at 177..277, indent 0
              |   version: v1beta1
              |   type: flow
              |   steps:
              |     - type: wait
              |       name: 等待
              |       duration: $.wait
            flow `indented` (Terraform configuration) at 501..646, indent 4
              | Type: StateMachine
              | SpecVersion: v1
              | Name: ${var.name}
              | StartAt: A
              | States:
              |   - Type: Pass
              |     Name: A
              |     End: true
            flow `quoted` (Terraform configuration) at 727..803
              | version: v1beta1
              | type: flow
              | steps:
              |   - type: pass
              |     name: "引号"
            file `./flows/main.flow.yaml` for `from_file` (Terraform configuration) at 879..916 = "\"${path.module}/flows/main.flow.yaml\""
        "#]],
    );
}

#[test]
fn terraform_while_typing() {
    // An unclosed heredoc runs to the end of the file; a file without flows is no host.
    check_tf(
        "resource \"alicloud_fnf_flow\" \"f\" {\n  definition = <<EOF\nversion: v1\ntype: flow\nsteps:\n  - type: pass\n    name: ${var.x\n",
        expect![[r#"
            Terraform configuration
            flow `f` (Terraform configuration) at 56..119, indent 0
              | version: v1
              | type: flow
              | steps:
              |   - type: pass
              |     name: ${var.x
        "#]],
    );
    check_tf("resource \"alicloud_fc_function\" \"f\" {\n  name = \"x\"\n}\n", expect!["not a host"]);
    // A quoted string not closed on its line (found by fuzzing): it ends with its line, its
    // last character (CJK here) whole.
    check_tf(
        "resource \"alicloud_fnf_flow\" \"f\" {\n  definition = \"version: v1\\ntype: flow\\nsteps:\\n  - type: pass\\n    name: 等待\n}\n",
        expect![[r#"
            Terraform configuration
            flow `f` (Terraform configuration) at 51..116
              | version: v1
              | type: flow
              | steps:
              |   - type: pass
              |     name: 等待
        "#]],
    );
}
