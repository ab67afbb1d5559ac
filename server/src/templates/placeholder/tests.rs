use expect_test::{Expect, expect};

use super::*;
use crate::syntax::SyntaxTree;

/// Each line of `cases` is searched with every tool enabled; the placeholders found are
/// listed under it with their tool and meaning.
fn check(cases: &[&str], syntaxes: Syntaxes, expect: Expect) {
    let mut out = String::new();
    for text in cases {
        out.push_str(&format!("{text}\n"));
        for p in find(text, &syntaxes) {
            out.push_str(&format!(
                "  {:?} {} [{}]: {}\n",
                p.range,
                &text[p.range.as_usize()],
                p.tool.name(),
                p.meaning
            ));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn every_tool_is_recognised_by_what_is_inside() {
    check(
        &[
            "${vars.name}-flow",
            "${resources.fc.output.functionName}",
            "${env('REGION')} ${env.REGION}",
            "${config('AccountID')}",
            "${this.props.region}",
            "acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:services/${ServiceName}.LATEST/functions/${FunctionName}",
            "${var.region} ${local.name} ${data.alicloud_account.current.id}",
            "${alicloud_fc_function.f.name}",
            "${jsonencode({a = \"}\"})}",
            "%{ if var.debug }x%{ endif }",
            "{{ flowName }}-视频",
            "FnFDemoTimer-<suffix> acs:mns:::/topics/<topic>/messages",
        ],
        Syntaxes::ALL,
        expect![[r#"
            ${vars.name}-flow
              0..12 ${vars.name} [serverless-devs]: the variable `vars.name` of s.yaml
            ${resources.fc.output.functionName}
              0..35 ${resources.fc.output.functionName} [serverless-devs]: an output or property of another resource of s.yaml (`resources.fc.output.functionName`)
            ${env('REGION')} ${env.REGION}
              0..16 ${env('REGION')} [serverless-devs]: the environment variable read by `env('REGION')`
              17..30 ${env.REGION} [serverless-devs]: the environment variable `env.REGION`
            ${config('AccountID')}
              0..22 ${config('AccountID')} [serverless-devs]: the Serverless Devs configuration value read by `config('AccountID')`
            ${this.props.region}
              0..20 ${this.props.region} [serverless-devs]: a property of this resource of s.yaml (`this.props.region`)
            acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:services/${ServiceName}.LATEST/functions/${FunctionName}
              7..24 ${ALIYUN::Region} [ros]: the ROS pseudo parameter `ALIYUN::Region`
              25..44 ${ALIYUN::TenantId} [ros]: the ROS pseudo parameter `ALIYUN::TenantId`
              54..68 ${ServiceName} [ros]: the template parameter or resource attribute `ServiceName` (ROS `Fn::Sub`)
              86..101 ${FunctionName} [ros]: the template parameter or resource attribute `FunctionName` (ROS `Fn::Sub`)
            ${var.region} ${local.name} ${data.alicloud_account.current.id}
              0..13 ${var.region} [terraform]: the Terraform variable `var.region`
              14..27 ${local.name} [terraform]: the Terraform local value `local.name`
              28..63 ${data.alicloud_account.current.id} [terraform]: an attribute of a Terraform data source (`data.alicloud_account.current.id`)
            ${alicloud_fc_function.f.name}
              0..30 ${alicloud_fc_function.f.name} [terraform]: an attribute of the Terraform resource `alicloud_fc_function.f.name`
            ${jsonencode({a = "}"})}
              0..24 ${jsonencode({a = "}"})} [terraform]: the result of the Terraform function call `jsonencode({a = "}"})`
            %{ if var.debug }x%{ endif }
              0..17 %{ if var.debug } [terraform]: a Terraform template directive
              18..28 %{ endif } [terraform]: a Terraform template directive
            {{ flowName }}-视频
              0..14 {{ flowName }} [serverless-devs]: the template variable `flowName` (filled in by `s init`)
            FnFDemoTimer-<suffix> acs:mns:::/topics/<topic>/messages
              13..21 <suffix> [tokens]: the token `<suffix>`
              40..47 <topic> [tokens]: the token `<topic>`
        "#]],
    );
}

#[test]
fn look_alikes_are_not_placeholders() {
    check(
        &[
            "$Input.name",
            "$.x == \"${\"",
            "${ unclosed",
            "${}",
            "{{}}",
            "$${escaped} %%{escaped}",
            "format(\"{}\", $Input.x)",
            "$Input.a < 1 && 2 > $Input.b <- >",
            "${a\n}",
        ],
        Syntaxes::ALL,
        expect![[r#"
            $Input.name
            $.x == "${"
            ${ unclosed
            ${}
            {{}}
            $${escaped} %%{escaped}
            format("{}", $Input.x)
            $Input.a < 1 && 2 > $Input.b <- >
            ${a
            }
        "#]],
    );
}

#[test]
fn disabled_tools_are_not_recognised() {
    let only_devs = Syntaxes::ALL.edit("serverless-devs").unwrap();
    check(
        &["${vars.a} ${var.b} ${ALIYUN::Region} {{ c }}"],
        only_devs,
        expect![[r#"
            ${vars.a} ${var.b} ${ALIYUN::Region} {{ c }}
              0..9 ${vars.a} [serverless-devs]: the variable `vars.a` of s.yaml
              37..44 {{ c }} [serverless-devs]: the template variable `c` (filled in by `s init`)
        "#]],
    );
    check(
        &["${vars.a}"],
        Syntaxes::NONE,
        expect![[r#"
        ${vars.a}
    "#]],
    );
}

#[test]
fn settings_add_and_remove_tools() {
    let names = |spec: &str| Syntaxes::ALL.edit(spec).map(|s| s.names());
    assert_eq!(names("-terraform"), Ok(vec!["serverless-devs", "ros", "funcraft", "tokens"]));
    assert_eq!(names("ros, tf"), Ok(vec!["ros", "terraform"]));
    assert_eq!(names("none +devs"), Ok(vec!["serverless-devs"]));
    assert_eq!(names("all"), Ok(vec!["serverless-devs", "ros", "terraform", "funcraft", "tokens"]));
    assert_eq!(names("-nope"), Err("nope".to_string()));
    assert_eq!(Syntaxes::NONE.edit("+ros").map(|s| s.names()), Ok(vec!["ros"]));
}

#[test]
fn masking_keeps_each_placeholder_in_one_segment() {
    let text = "acs:fc:${ALIYUN::Region}:${a.b}:services/${resources.s.props.name}.LATEST/functions/f";
    let masked = Masked::new(text, &find(text, &Syntaxes::ALL));
    assert_eq!(masked.text.split(':').count(), 5);
    assert_eq!(masked.text.split('/').count(), 4);
    assert_eq!(masked.unmask(&masked.text), text);
}

#[test]
fn whole_values_tags_and_template_mappings() {
    let src = "a: !Ref Svc/Fn\nb: {{ name }}\nc: {x: 1}\nd: !!str 5\ne: \"{{ name }}\"\n";
    let text = SourceText::new(src);
    let tree = SyntaxTree::parse(&text);
    let root = tree.root().unwrap();
    let describe = |key: &str| {
        let node = root.get(key).unwrap().value;
        match whole_value(node, &text, &Syntaxes::ALL) {
            Some(p) => format!("{key}: {} [{}] {}", text.slice(p.range), p.tool.name(), p.meaning),
            None => format!("{key}: - deploy-time={}", is_deploy_time(node, &text, &Syntaxes::ALL)),
        }
    };
    let out: Vec<String> = ["a", "b", "c", "d", "e"].iter().map(|k| describe(k)).collect();
    expect![[r#"
        a: !Ref Svc/Fn [funcraft] a reference to `Svc/Fn` resolved by the deployment template
        b: {{ name }} [serverless-devs] the template variable `name` (filled in by `s init`)
        c: - deploy-time=false
        d: - deploy-time=false
        e: - deploy-time=true"#]]
    .assert_eq(&out.join("\n"));
    let without = Syntaxes::ALL.without(Tool::Funcraft).without(Tool::ServerlessDevs);
    assert!(whole_value(root.get("a").unwrap().value, &text, &without).is_none());
    assert!(whole_value(root.get("b").unwrap().value, &text, &without).is_none());
}

#[test]
fn tokens_a_template_replaces_and_ros_escapes() {
    let syntaxes = Syntaxes::ALL.replacing(["<suffix>".to_string(), "<resource-arn>".to_string()]);
    check(
        &["acs:fc:::services/计时-<suffix>/functions/f", "<resource-arn>", "${!Literal} ${Name}"],
        syntaxes,
        expect![[r#"
            acs:fc:::services/计时-<suffix>/functions/f
              25..33 <suffix> [ros]: the token `<suffix>`, which the template's `Fn::Replace` replaces
            <resource-arn>
              0..14 <resource-arn> [ros]: the token `<resource-arn>`, which the template's `Fn::Replace` replaces
            ${!Literal} ${Name}
              12..19 ${Name} [ros]: the template parameter or resource attribute `Name` (ROS `Fn::Sub`)
        "#]],
    );
}
