//! Flows that live inside deployment files: the `Definition` of a ROS `ALIYUN::FNF::Flow`
//! or a Funcraft `Aliyun::Serverless::Flow` (a block scalar, or inside `Fn::Sub` /
//! `Fn::Replace`), the `definition` of a Terraform `alicloud_fnf_flow` (a heredoc or a
//! string, see [`super::terraform`]), and the flow files a Serverless Devs `s.yaml` or a
//! Funcraft `DefinitionUri` names by path.
//!
//! An embedded flow is the text the tool hands to the service (placeholders still in it)
//! plus a map from its offsets to the host file, so that everything found in the flow is
//! reported where the user wrote it.

use std::fmt;

use crate::syntax::scalar_map::ScalarMap;
use crate::syntax::{Node, NodeKind, ScalarStyle, SourceText, SyntaxTree, TextRange};

/// The kind of deployment file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HostFormat {
    /// A ROS template (`ALIYUN::FNF::Flow`).
    Ros,
    /// A Funcraft template (`Aliyun::Serverless::Flow`).
    Funcraft,
    /// A Serverless Devs `s.yaml`.
    ServerlessDevs,
    /// Terraform (`alicloud_fnf_flow`).
    Terraform,
}

impl fmt::Display for HostFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HostFormat::Ros => "ROS template",
            HostFormat::Funcraft => "Funcraft template",
            HostFormat::ServerlessDevs => "Serverless Devs s.yaml",
            HostFormat::Terraform => "Terraform configuration",
        })
    }
}

/// A flow definition written inside a deployment file.
#[derive(Clone, Debug)]
pub struct EmbeddedFlow {
    pub format: HostFormat,
    /// The resource that holds it (a ROS logical id, a Terraform resource name).
    pub resource: String,
    /// The definition as the deployment tool hands it on (placeholders still in it).
    pub text: String,
    /// Offsets in `text` to offsets in the host file, and back.
    pub map: ScalarMap,
    /// The definition's value in the host file.
    pub range: TextRange,
    /// What follows each line break of text inserted into the host (the block's
    /// indentation); `None` when the host cannot take raw line breaks (a quoted string).
    pub line_prefix: Option<String>,
    /// Literal tokens the template replaces in it (the keys of a ROS `Fn::Replace`).
    pub replaced: Vec<String>,
    /// The workflow mode the host declares (ROS `ExecutionMode`, s.yaml `executionMode`).
    pub execution_mode: Option<String>,
}

/// A flow definition that a deployment file names by path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowFile {
    pub format: HostFormat,
    pub resource: String,
    /// The path as written (relative to the host file's folder).
    pub path: String,
    /// The path's value in the host file.
    pub range: TextRange,
}

/// What a deployment file holds: flows written in it and flow files it names.
#[derive(Clone, Debug)]
pub struct Host {
    pub format: HostFormat,
    pub flows: Vec<EmbeddedFlow>,
    pub files: Vec<FlowFile>,
}

impl Host {
    pub fn is_empty(&self) -> bool {
        self.flows.is_empty() && self.files.is_empty()
    }

    /// The embedded flow whose definition holds a host offset (its end included, where a
    /// value is being typed).
    pub fn flow_at(&self, offset: u32) -> Option<&EmbeddedFlow> {
        self.flows.iter().find(|f| f.range.contains_inclusive(offset))
    }
}

/// Whether a YAML document is a deployment file (a ROS or Funcraft template, a Serverless
/// Devs `s.yaml`), with or without flows: such a file is never a flow itself.
pub fn is_deployment_file(tree: &SyntaxTree) -> bool {
    let Some(root) = tree.root() else { return false };
    root.get("ROSTemplateFormatVersion").is_some()
        || root.get("Transform").is_some()
        || (root.get("edition").is_some()
            && (root.get("services").is_some() || root.get("resources").is_some()))
}

const ROS_FLOW: &str = "ALIYUN::FNF::Flow";
const FUNCRAFT_FLOW: &str = "Aliyun::Serverless::Flow";

/// The flows of a YAML deployment file (ROS, Funcraft or Serverless Devs), if it is one.
/// `None` for any other YAML, flow definitions included.
pub fn yaml_host(text: &SourceText, tree: &SyntaxTree) -> Option<Host> {
    let root = tree.root()?;
    if root.kind() != NodeKind::Mapping {
        return None;
    }
    if let Some(resources) = root.get("Resources").map(|e| e.value).filter(|v| v.kind() == NodeKind::Mapping)
    {
        return template_host(text, root, resources);
    }
    let edition = root.get("edition").is_some();
    let components =
        root.get("resources").or_else(|| root.get("services")).map(|e| e.value).filter(|_| edition)?;
    devs_host(text, components)
}

/// ROS and Funcraft: resources of the flow types, their `Definition` and `DefinitionUri`.
fn template_host(text: &SourceText, root: Node<'_>, resources: Node<'_>) -> Option<Host> {
    let mut host = Host { format: HostFormat::Ros, flows: Vec::new(), files: Vec::new() };
    let mut found = false;
    for resource in resources.entries() {
        let (Some(id), body) = (resource.key.scalar(), resource.value) else { continue };
        let ty = body.get("Type").and_then(|e| e.value.scalar()).map(str::trim);
        let format = match ty {
            Some(t) if t.eq_ignore_ascii_case(ROS_FLOW) => HostFormat::Ros,
            Some(t) if t.eq_ignore_ascii_case(FUNCRAFT_FLOW) => HostFormat::Funcraft,
            _ => continue,
        };
        found = true;
        host.format = format;
        let Some(props) = body.get("Properties").map(|e| e.value) else { continue };
        let mode = props.get("ExecutionMode").and_then(|e| e.value.scalar()).map(str::to_string);
        if let Some(def) = props.get("Definition") {
            // `Definition: {Ref: P}` takes the flow from the parameter's default.
            let referenced = def.value.get("Ref").and_then(|r| r.value.scalar()).and_then(|name| {
                let param = root.get("Parameters")?.value.get(name)?.value;
                param.get("Default").map(|d| d.value)
            });
            if let Some(mut flow) = embedded(text, format, id, referenced.unwrap_or(def.value)) {
                flow.execution_mode = mode;
                host.flows.push(flow);
            }
        }
        if let Some(uri) = props.get("DefinitionUri")
            && let Some(path) = uri.value.scalar().filter(|p| !p.trim().is_empty())
        {
            host.files.push(FlowFile {
                format,
                resource: id.to_string(),
                path: path.trim().to_string(),
                range: uri.value.value_range(),
            });
        }
    }
    found.then_some(host)
}

/// Serverless Devs: components whose `props.definition` names a flow file or holds a flow
/// (inline, as a mapping the component sends as JSON).
fn devs_host(text: &SourceText, components: Node<'_>) -> Option<Host> {
    let mut host = Host { format: HostFormat::ServerlessDevs, flows: Vec::new(), files: Vec::new() };
    for component in components.entries() {
        let (Some(id), body) = (component.key.scalar(), component.value) else { continue };
        let Some(props) = body.get("props").map(|p| p.value) else { continue };
        let Some(def) = props.get("definition") else { continue };
        let mode = props.get("executionMode").and_then(|e| e.value.scalar()).map(str::to_string);
        let flow = match def.value.scalar() {
            Some(value) if looks_like_path(value) => {
                host.files.push(FlowFile {
                    format: HostFormat::ServerlessDevs,
                    resource: id.to_string(),
                    path: value.trim().to_string(),
                    range: def.value.value_range(),
                });
                continue;
            }
            Some(_) => embedded(text, HostFormat::ServerlessDevs, id, def.value),
            None if def.value.kind() == NodeKind::Mapping => inline_mapping(text, id, def.value),
            None => None,
        };
        if let Some(mut flow) = flow {
            flow.execution_mode = mode;
            host.flows.push(flow);
        }
    }
    (!host.is_empty()).then_some(host)
}

/// A flow written as a YAML mapping inside the host: its lines, less the mapping's
/// indentation.
fn inline_mapping(text: &SourceText, resource: &str, node: Node<'_>) -> Option<EmbeddedFlow> {
    let range = node.value_range();
    let column = (range.start - text.line_start(text.line_of(range.start))) as usize;
    let raw = text.slice(range);
    let (content, map) = dedented(&raw, range.start, column, false);
    Some(EmbeddedFlow {
        format: HostFormat::ServerlessDevs,
        resource: resource.to_string(),
        text: content,
        map,
        range,
        line_prefix: Some(" ".repeat(column)),
        replaced: Vec::new(),
        execution_mode: None,
    })
}

/// The text of `raw` (which starts at host offset `base`) with up to `strip` leading spaces
/// or tabs removed from each line, every line ending in a line break, and the map of each
/// character back to the host. The first line is stripped only when `raw` starts a line.
pub(crate) fn dedented(raw: &str, base: u32, strip: usize, first_starts_line: bool) -> (String, ScalarMap) {
    let mut pieces = Vec::with_capacity(raw.len());
    let mut value = String::with_capacity(raw.len());
    let mut start = 0usize;
    for (n, line) in raw.split_inclusive('\n').enumerate() {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let content = content.strip_suffix('\r').unwrap_or(content);
        let indent = content.len() - content.trim_start_matches([' ', '\t']).len();
        let cut = if n == 0 && !first_starts_line { 0 } else { indent.min(strip) };
        let kept = &content[cut..];
        let from = base as usize + start + cut;
        for (j, c) in kept.char_indices() {
            let at = (from + j) as u32;
            pieces.push((c, TextRange::new(at, at + c.len_utf8() as u32)));
            value.push(c);
        }
        let brk = (from + kept.len()) as u32;
        pieces.push(('\n', TextRange::new(brk, brk + (line.len() - content.len()) as u32)));
        value.push('\n');
        start += line.len();
    }
    (value, ScalarMap::from_pieces(pieces, base + raw.len() as u32))
}

/// A one-line value naming a YAML or JSON file.
fn looks_like_path(value: &str) -> bool {
    let v = value.trim();
    !v.contains('\n')
        && [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| v.len() > ext.len() && v.to_ascii_lowercase().ends_with(ext))
}

/// The flow a `Definition` value holds: a scalar, `Fn::Sub: text`, `Fn::Sub: [text, vars]`,
/// `Fn::Replace: [replacements, text]` or `!Sub text`.
fn embedded(text: &SourceText, format: HostFormat, resource: &str, value: Node<'_>) -> Option<EmbeddedFlow> {
    let (scalar, replaced) = definition_scalar(value)?;
    let content = scalar.scalar()?;
    if content.trim().is_empty() {
        return None;
    }
    let map = ScalarMap::new(scalar, text)?;
    let line_prefix = match scalar.scalar_style() {
        Some(ScalarStyle::Literal | ScalarStyle::Folded) => {
            let start = scalar.value_range().start;
            let column = start - text.line_start(text.line_of(start));
            Some(" ".repeat(column as usize))
        }
        _ => None,
    };
    Some(EmbeddedFlow {
        format,
        resource: resource.to_string(),
        text: content.to_string(),
        map,
        range: scalar.value_range(),
        line_prefix,
        replaced,
        execution_mode: None,
    })
}

/// The scalar holding the flow, and the tokens a `Fn::Replace` around it replaces.
fn definition_scalar<'a>(value: Node<'a>) -> Option<(Node<'a>, Vec<String>)> {
    let scalar = |n: Option<&Node<'a>>| n.copied().filter(|n| n.kind() == NodeKind::Scalar);
    match value.kind() {
        NodeKind::Scalar => Some((value, Vec::new())),
        NodeKind::Mapping => {
            let e = value.entries().next()?;
            let items: Vec<Node<'a>> = e.value.items().collect();
            match e.key.scalar()? {
                "Fn::Sub" if e.value.kind() == NodeKind::Scalar => Some((e.value, Vec::new())),
                "Fn::Sub" => Some((scalar(items.first())?, Vec::new())),
                "Fn::Replace" => {
                    let tokens = items
                        .first()
                        .map(|m| m.entries().filter_map(|e| e.key.scalar()).map(str::to_string).collect())
                        .unwrap_or_default();
                    Some((scalar(items.get(1))?, tokens))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
