//! Editor features inside flows that live in deployment files (ROS and Funcraft templates,
//! Serverless Devs `s.yaml`, Terraform): each embedded flow is a document of its own; a
//! feature runs on it at the mapped offset and its results are mapped back into the host.

use super::document::Language;
use super::{Config, Document};
use crate::analysis::embedded::{options_for, range_to_host, text_to_host, to_host};
use crate::analysis::{self, CheckOptions, Diagnostic};
use crate::syntax::{SourceText, TextRange};
use crate::templates::{self, EmbeddedFlow, Host};

/// The flows of a deployment file, each parsed as a document.
#[derive(Debug)]
pub struct HostDocs {
    pub host: Host,
    pub flows: Vec<EmbeddedDoc>,
}

#[derive(Debug)]
pub struct EmbeddedDoc {
    pub flow: EmbeddedFlow,
    pub doc: Document,
}

impl HostDocs {
    pub(crate) fn of(doc: &Document) -> Option<HostDocs> {
        let host = match doc.language {
            Language::Terraform => templates::terraform_host(&doc.text.to_string_lossless())?,
            Language::Yaml if analysis::looks_like_fdl(&doc.tree) => return None,
            Language::Yaml => templates::yaml_host(&doc.text, &doc.tree)?,
        };
        let flows =
            host.flows.iter().map(|f| EmbeddedDoc { doc: Document::new(&f.text), flow: f.clone() }).collect();
        Some(HostDocs { host, flows })
    }

    /// The diagnostics of every embedded flow, in host positions.
    pub fn diagnostics(&self, host_text: &SourceText, config: &Config) -> Vec<Diagnostic> {
        let base = CheckOptions { mode: config.mode, placeholders: config.placeholders.clone() };
        let mut out: Vec<Diagnostic> = self
            .flows
            .iter()
            .flat_map(|e| {
                let options = options_for(host_text, &e.flow, &base);
                e.doc.diagnostics_with(&options).into_iter().map(|d| to_host(&e.flow, d))
            })
            .collect();
        out.sort_by_key(|d| (d.range.start, d.range.end, d.code));
        out
    }

    /// The embedded flow at a host offset, and the offset inside it.
    pub fn at(&self, offset: u32) -> Option<(&EmbeddedDoc, u32)> {
        let e = self.flows.iter().find(|e| e.flow.range.contains_inclusive(offset))?;
        let inner = e.flow.map.to_value(offset)?;
        Some((e, inner))
    }
}

impl EmbeddedDoc {
    /// The settings the flow is read with: the host's execution mode and the tokens its
    /// template replaces.
    pub fn config(&self, host_text: &SourceText, config: &Config) -> Config {
        let base = CheckOptions { mode: config.mode, placeholders: config.placeholders.clone() };
        let options = options_for(host_text, &self.flow, &base);
        Config { mode: options.mode, placeholders: options.placeholders }
    }

    pub fn range_to_host(&self, range: TextRange) -> TextRange {
        range_to_host(&self.flow, range)
    }

    /// Text inserted into the flow, as it must be written in the host; `None` when the
    /// host cannot take it (a line break in a quoted string).
    pub fn text_to_host(&self, text: &str) -> Option<String> {
        text_to_host(&self.flow, text)
    }
}

/// Runs `feature` on the embedded flow at `offset`, if there is one.
pub(crate) fn at<T>(doc: &Document, offset: u32, feature: impl FnOnce(&EmbeddedDoc, u32) -> T) -> Option<T> {
    let host = doc.host()?;
    let (embedded, inner) = host.at(offset)?;
    Some(feature(embedded, inner))
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::ide::fixture::mark;

    const ROS: &str = r#"ROSTemplateFormatVersion: '2015-09-01'
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
            StartAt: 理解
            States:
              - Type: Task
                Name: 理解
                Action: FC:InvokeFunction
                Parameters:
                  resourceArn: acs:fc:::functions/f-<suffix>
                  invocationType: Sync
                Next: 完成
              - Type: Succeed
                Name: 完成
"#;

    fn cursor(src: &str, language: Language) -> (Document, u32) {
        let at = src.find("$0").expect("a $0 cursor");
        (Document::with_language(&src.replacen("$0", "", 1), language), at as u32)
    }

    #[test]
    fn completion_uses_the_host_mode_and_host_positions() {
        let with_mode = ROS.replace(
            "Action: FC:InvokeFunction\n",
            "Action: FC:InvokeFunction\n                TaskMode: $0\n",
        );
        let (doc, offset) = cursor(&with_mode, Language::Yaml);
        let items = crate::ide::completions(&doc, &Config::default(), offset);
        // Express (from ExecutionMode): only RequestComplete, at the cursor in the host.
        let labels: Vec<(&str, TextRange)> = items.iter().map(|i| (i.label.as_str(), i.replace)).collect();
        assert_eq!(labels, [("RequestComplete", TextRange::empty(offset))]);
        let (doc, offset) = cursor(&ROS.replace("Next: 完成", "Next: $0"), Language::Yaml);
        let items = crate::ide::completions(&doc, &Config::default(), offset);
        assert_eq!(items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(), ["完成"]);
    }

    #[test]
    fn navigation_hover_and_outline_in_the_host() {
        let src = ROS.replace("Next: 完成", "Next: 完$0成");
        let (doc, offset) = cursor(&src, Language::Yaml);
        let text = doc.text.to_string_lossless();
        let target = crate::ide::definition(&doc, offset).expect("the state");
        assert_eq!(doc.text.slice(target.focus_range), "完成");
        let refs = crate::ide::references(&doc, offset, true);
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
                        StartAt: 理解
                        States:
                          - Type: Task
                            Name: 理解
                            Action: FC:InvokeFunction
                            Parameters:
                              resourceArn: acs:fc:::functions/f-<suffix>
                              invocationType: Sync
                            Next: «完成»
                          - Type: Succeed
                            Name: «完成»
        "#]]
        .assert_eq(&mark(&text, &refs));
        let hover = crate::ide::hover(&doc, &Config::default(), offset).expect("a hover");
        assert_eq!(doc.text.slice(hover.range), "完成");
        let symbols = crate::ide::document_symbols(&doc);
        let outline: Vec<String> = symbols
            .iter()
            .flat_map(|s| std::iter::once(s).chain(&s.children))
            .map(|s| {
                format!("{} {:?}", s.name, doc.text.slice(s.selection_range).lines().next().unwrap_or(""))
            })
            .collect();
        expect![[r#"
            视频流程 "Type: StateMachine"
            理解 "理解"
            完成 "完成""#]]
        .assert_eq(&outline.join("\n"));
        let renamed = crate::ide::rename(&doc, offset, "结束").expect("a rename");
        assert_eq!(renamed.len(), 2);
        assert!(renamed.iter().all(|(r, t)| doc.text.slice(*r) == "完成" && t == "结束"));
    }

    #[test]
    fn terraform_strings_take_no_quotes() {
        let src = "resource \"alicloud_fnf_flow\" \"f\" {\n  definition = \"version: v1\\ntype: flow\\nsteps:\\n  - type: choice\\n    name: c\\n    choices:\\n      - condition: $.x\\n        goto: 步$0骤\\n  - type: pass\\n    name: 步骤\\n\"\n}\n";
        let (doc, offset) = cursor(src, Language::Terraform);
        assert_eq!(
            doc.text.slice(crate::ide::definition(&doc, offset).expect("a target").focus_range),
            "步骤"
        );
        assert_eq!(crate::ide::rename(&doc, offset, "新步骤").map(|e| e.len()), Ok(2));
        let refused = crate::ide::rename(&doc, offset, "a: b").unwrap_err();
        assert!(refused.contains("cannot be written inside this Terraform configuration"), "{refused}");
        let diagnostics = doc.diagnostics(&Config::default());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }
}
