//! Deploy-time placeholders: parts of a value that a deployment tool substitutes before
//! the service ever sees the flow (`${vars.name}`, `${ALIYUN::Region}`, `${var.region}`,
//! `{{ name }}`, `!Ref Service/Function`). Their value is unknown here, so rules check only
//! what is around them and editor features explain them.
//!
//! Recognition is by shape: `${…}` (brace-balanced, quotes respected), `%{…}` (Terraform
//! directives), `{{…}}` and `<name>`; what is inside tells which tool substitutes it. The tools a
//! file uses are a [`Syntaxes`] set: all known tools by default, narrowed by the
//! `fdl.placeholders` setting or a `# fdl: placeholders=…` comment.

use std::fmt;
use std::sync::Arc;

use crate::syntax::{Node, NodeKind, SourceText, TextRange};

/// A deployment tool whose substitutions may appear in a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    /// Serverless Devs (`s deploy`): `${vars.x}`, `${resources.x.props.y}`, `${env('X')}`,
    /// `${config('AccountID')}`, and `{{ name }}` in templates made by `s init`.
    ServerlessDevs,
    /// Resource Orchestration Service: `Fn::Sub` parameters and pseudo parameters
    /// (`${ServiceName}`, `${ALIYUN::Region}`).
    Ros,
    /// Terraform templates and heredocs: `${var.region}`, `${alicloud_fc_function.f.name}`,
    /// `%{ if … }` directives.
    Terraform,
    /// Funcraft and ROS YAML tags: `!Ref Service/Function`, `!Sub`, `!GetAtt`.
    Funcraft,
    /// `<name>` tokens: what a ROS `Fn::Replace` replaces in Alibaba's templates
    /// (`FnFDemoTimer-<suffix>`), and the docs' own placeholders (`<topic>`).
    Tokens,
}

impl Tool {
    pub const ALL: [Tool; 5] =
        [Tool::ServerlessDevs, Tool::Ros, Tool::Terraform, Tool::Funcraft, Tool::Tokens];

    /// The name used in settings and `# fdl:` comments.
    pub fn name(self) -> &'static str {
        match self {
            Tool::ServerlessDevs => "serverless-devs",
            Tool::Ros => "ros",
            Tool::Terraform => "terraform",
            Tool::Funcraft => "funcraft",
            Tool::Tokens => "tokens",
        }
    }

    pub fn from_name(name: &str) -> Option<Tool> {
        let name = name.trim().to_ascii_lowercase();
        Tool::ALL.into_iter().find(|t| {
            t.name() == name
                || matches!(
                    (t, name.as_str()),
                    (Tool::ServerlessDevs, "devs" | "s" | "serverlessdevs") | (Tool::Terraform, "tf")
                )
        })
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tool::ServerlessDevs => "Serverless Devs",
            Tool::Ros => "ROS",
            Tool::Terraform => "Terraform",
            Tool::Funcraft => "Funcraft",
            Tool::Tokens => "template tokens",
        })
    }
}

/// The set of tools whose placeholders are recognised, and the literal tokens a template
/// replaces in this flow (the keys of a ROS `Fn::Replace`, such as `<suffix>`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Syntaxes {
    tools: u8,
    /// Longest first; `None` when there are none (so that the sets can be constants).
    replaced: Option<Arc<[String]>>,
}

impl Default for Syntaxes {
    fn default() -> Self {
        Syntaxes::ALL
    }
}

impl Syntaxes {
    pub const ALL: Syntaxes = Syntaxes { tools: 0b11111, replaced: None };
    pub const NONE: Syntaxes = Syntaxes { tools: 0, replaced: None };

    pub fn contains(&self, tool: Tool) -> bool {
        self.tools & tool.bit() != 0
    }

    pub fn with(&self, tool: Tool) -> Syntaxes {
        Syntaxes { tools: self.tools | tool.bit(), replaced: self.replaced.clone() }
    }

    pub fn without(&self, tool: Tool) -> Syntaxes {
        Syntaxes { tools: self.tools & !tool.bit(), replaced: self.replaced.clone() }
    }

    /// The same, plus literal tokens that a template replaces (ROS `Fn::Replace` keys).
    pub fn replacing(&self, tokens: impl IntoIterator<Item = String>) -> Syntaxes {
        let mut all: Vec<String> = self.replaced().to_vec();
        all.extend(tokens.into_iter().filter(|t| !t.is_empty()));
        // Longest first, so that `<a-b>` wins over `<a`.
        all.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        all.dedup();
        Syntaxes { tools: self.tools, replaced: (!all.is_empty()).then(|| all.into()) }
    }

    /// The literal tokens a template replaces.
    pub fn replaced(&self) -> &[String] {
        self.replaced.as_deref().unwrap_or(&[])
    }

    /// Applies a list of changes to this set: `all`, `none`, `name` (after a bare name the
    /// set holds exactly the names given), `+name` (add) and `-name` (remove), separated by
    /// commas or spaces. Unknown names are returned as the error.
    pub fn edit(&self, spec: &str) -> Result<Syntaxes, String> {
        let mut out = self.clone();
        let mut exact = false;
        for word in spec.split([',', ' ']).map(str::trim).filter(|w| !w.is_empty()) {
            match word.to_ascii_lowercase().as_str() {
                "all" | "default" => out.tools = Syntaxes::ALL.tools,
                "none" => out.tools = 0,
                _ => {
                    let (sign, name) = match word.as_bytes()[0] {
                        b'+' => (Some(true), &word[1..]),
                        b'-' => (Some(false), &word[1..]),
                        _ => (None, word),
                    };
                    let tool = Tool::from_name(name).ok_or_else(|| name.to_string())?;
                    out = match sign {
                        Some(true) => out.with(tool),
                        Some(false) => out.without(tool),
                        None => {
                            if !exact {
                                exact = true;
                                out.tools = 0;
                            }
                            out.with(tool)
                        }
                    };
                }
            }
        }
        Ok(out)
    }

    /// The tools in the set, by name.
    pub fn names(&self) -> Vec<&'static str> {
        Tool::ALL.into_iter().filter(|t| self.contains(*t)).map(Tool::name).collect()
    }
}

/// One placeholder in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    /// Its range in the text searched, delimiters included.
    pub range: TextRange,
    pub tool: Tool,
    /// What it stands for, in a few words ("the variable `name` of s.yaml").
    pub meaning: String,
}

impl Placeholder {
    /// Markdown for hover: what it is, who substitutes it, and what fdl does about it.
    pub fn hover(&self, text: &str) -> String {
        format!(
            "**Deploy-time placeholder** `{}`\n\n{}, substituted by **{}** before the flow is deployed. \
             Its value is unknown here, so fdl checks only the text around it.",
            text,
            capitalise(&self.meaning),
            substituted_by(self.tool)
        )
    }
}

/// Who fills in a placeholder of `tool`, in a few words.
pub fn substituted_by(tool: Tool) -> &'static str {
    match tool {
        Tool::ServerlessDevs => "Serverless Devs (`s deploy`)",
        Tool::Ros => "ROS (`Fn::Sub`, when the stack is created)",
        Tool::Terraform => "Terraform (template rendering, at plan time)",
        Tool::Funcraft => "Funcraft or ROS (YAML tag, when the template is deployed)",
        Tool::Tokens => "a ROS `Fn::Replace`, or by hand",
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The placeholders in `text` of the enabled tools, in order.
pub fn find(text: &str, syntaxes: &Syntaxes) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let replaced = syntaxes.replaced();
    if (syntaxes.tools == 0 || !text.contains(['$', '{', '%', '<'])) && replaced.is_empty() {
        return out;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(token) = replaced.iter().find(|t| bytes[i..].starts_with(t.as_bytes())) {
            let end = i + token.len();
            out.push(Placeholder {
                range: TextRange::new(i as u32, end as u32),
                tool: Tool::Ros,
                meaning: format!("the token `{token}`, which the template's `Fn::Replace` replaces"),
            });
            i = end;
            continue;
        }
        let Some(&next) = bytes.get(i + 1) else { break };
        let b = bytes[i];
        // ROS `Fn::Sub` writes a literal `${X}` as `${!X}`.
        if b == b'$' && next == b'{' && bytes.get(i + 2) == Some(&b'!') {
            i += 3;
            continue;
        }
        // Terraform writes a literal `${` as `$${` (and `%{` as `%%{`).
        if (b == b'$' || b == b'%') && next == b && bytes.get(i + 2) == Some(&b'{') {
            i += 3;
            continue;
        }
        let found = match (b, next) {
            (b'$', b'{') => closing_brace(text, i + 2).map(|end| {
                let inner = text[i + 2..end].trim();
                let (tool, meaning) = classify(inner);
                (end + 1, tool, meaning)
            }),
            (b'%', b'{') => closing_brace(text, i + 2)
                .map(|end| (end + 1, Tool::Terraform, "a Terraform template directive".to_string())),
            (b'<', _) => token_end(bytes, i + 1).map(|end| {
                let meaning = format!("the token `{}`", &text[i..end]);
                (end, Tool::Tokens, meaning)
            }),
            (b'{', b'{') => text[i + 2..].find("}}").filter(|&n| n > 0).map(|n| {
                let inner = text[i + 2..i + 2 + n].trim();
                let meaning = format!("the template variable `{inner}` (filled in by `s init`)");
                (i + 2 + n + 2, Tool::ServerlessDevs, meaning)
            }),
            _ => None,
        };
        match found {
            Some((end, tool, meaning)) if syntaxes.contains(tool) => {
                out.push(Placeholder { range: TextRange::new(i as u32, end as u32), tool, meaning });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// The end (after `>`) of a `<name>` token whose name starts at `from`: a letter or `_`,
/// then letters, digits, `_`, `-` or `.`, and nothing else before the `>`.
fn token_end(bytes: &[u8], from: usize) -> Option<usize> {
    let first = *bytes.get(from)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let len = bytes[from..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .count();
    (bytes.get(from + len) == Some(&b'>')).then_some(from + len + 1)
}

/// The `}` that closes a `${` whose contents start at `from`, counting nested braces and
/// skipping quoted strings (`${env('X')}`, `${jsonencode({a = "}"})}`). `None` when it
/// does not close on the same line: then it is text being typed, not a placeholder.
fn closing_brace(text: &str, from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'{' => depth += 1,
                b'}' if depth == 0 => return (i > from).then_some(i),
                b'}' => depth -= 1,
                b'\n' => return None,
                _ => {}
            },
        }
        i += 1;
    }
    None
}

const DEVS_PREFIXES: &[(&str, &str)] = &[
    ("vars.", "the variable `{}` of s.yaml"),
    ("resources.", "an output or property of another resource of s.yaml (`{}`)"),
    ("services.", "an output of another service of s.yaml (`{}`)"),
    ("env(", "the environment variable read by `{}`"),
    ("env.", "the environment variable `{}`"),
    ("config(", "the Serverless Devs configuration value read by `{}`"),
    ("config.", "the Serverless Devs configuration value `{}`"),
    ("this.", "a property of this resource of s.yaml (`{}`)"),
    ("credentials.", "a credential of the Serverless Devs access (`{}`)"),
    ("path(", "a path computed by Serverless Devs (`{}`)"),
    ("file(", "the content of a file read by Serverless Devs (`{}`)"),
    ("json(", "a JSON value decoded by Serverless Devs (`{}`)"),
];

const TERRAFORM_PREFIXES: &[(&str, &str)] = &[
    ("var.", "the Terraform variable `{}`"),
    ("local.", "the Terraform local value `{}`"),
    ("data.", "an attribute of a Terraform data source (`{}`)"),
    ("module.", "an output of a Terraform module (`{}`)"),
    ("each.", "the current element of a Terraform `for_each` (`{}`)"),
    ("count.", "the index of a Terraform `count` (`{}`)"),
    ("path.", "a Terraform path (`{}`)"),
    ("terraform.", "a Terraform workspace value (`{}`)"),
];

/// Which tool substitutes `${inner}`, and what it stands for.
fn classify(inner: &str) -> (Tool, String) {
    let with = |template: &str| template.replace("{}", inner);
    if let Some(rest) = inner.strip_prefix("ALIYUN::") {
        return (Tool::Ros, format!("the ROS pseudo parameter `ALIYUN::{rest}`"));
    }
    for (prefix, meaning) in DEVS_PREFIXES {
        if inner.starts_with(prefix) {
            return (Tool::ServerlessDevs, with(meaning));
        }
    }
    for (prefix, meaning) in TERRAFORM_PREFIXES {
        if inner.starts_with(prefix) {
            return (Tool::Terraform, with(meaning));
        }
    }
    let head = inner.split(['.', '(', '[', ' ']).next().unwrap_or("");
    // Terraform resources are `provider_type.name.attribute` (`alicloud_fc_function.f.name`).
    if inner[head.len()..].starts_with('.')
        && head.contains('_')
        && head.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return (Tool::Terraform, with("an attribute of the Terraform resource `{}`"));
    }
    if inner[head.len()..].starts_with('(') {
        return (Tool::Terraform, with("the result of the Terraform function call `{}`"));
    }
    // What is left is ROS `Fn::Sub` (`${ServiceName}`, `${Function.Arn}`), which also reads
    // like a shell or envsubst variable.
    (Tool::Ros, with("the template parameter or resource attribute `{}` (ROS `Fn::Sub`)"))
}

/// A value whose whole meaning is decided at deployment: a YAML tag such as `!Ref x`, or
/// a `{{ name }}` written as the whole value (YAML reads it as a nested flow mapping).
pub fn whole_value(node: Node<'_>, text: &SourceText, syntaxes: &Syntaxes) -> Option<Placeholder> {
    if let Some((tag, range)) = node.tag()
        && !tag.starts_with("!!")
        && syntaxes.contains(Tool::Funcraft)
    {
        let target = node.scalar().unwrap_or("").trim();
        let meaning = match tag {
            "!Ref" => format!("a reference to `{target}` resolved by the deployment template"),
            _ => format!("the template function `{tag}`"),
        };
        return Some(Placeholder { range: range.cover(node.value_range()), tool: Tool::Funcraft, meaning });
    }
    if node.kind() == NodeKind::Mapping && syntaxes.contains(Tool::ServerlessDevs) {
        let range = node.range();
        // Only a mapping written `{{…}}` qualifies: look at its ends before copying its
        // text (the root mapping of a big flow is the whole document).
        let byte = |at: u32| text.rope().get_byte(at as usize);
        let braces = range.len() >= 4
            && [range.start, range.start + 1].iter().all(|&at| byte(at) == Some(b'{'))
            && [range.end - 2, range.end - 1].iter().all(|&at| byte(at) == Some(b'}'));
        if !braces {
            return None;
        }
        let source = text.slice(range);
        let inner = source.strip_prefix("{{")?.strip_suffix("}}")?.trim();
        if !inner.is_empty() && !inner.contains(['{', '}', '\n']) {
            return Some(Placeholder {
                range,
                tool: Tool::ServerlessDevs,
                meaning: format!("the template variable `{inner}` (filled in by `s init`)"),
            });
        }
    }
    None
}

/// Whether `node`'s value depends on a placeholder: a tag, a `{{ name }}` mapping, or a
/// scalar with a placeholder in it.
pub fn is_deploy_time(node: Node<'_>, text: &SourceText, syntaxes: &Syntaxes) -> bool {
    whole_value(node, text, syntaxes).is_some()
        || node.scalar().is_some_and(|s| !find(s, syntaxes).is_empty())
}

/// A text with each placeholder replaced by one private-use character, so that a parser
/// that splits on punctuation (an ARN on `:` and `/`) treats each placeholder as part of
/// one segment. [`Masked::unmask`] restores the placeholders in anything derived from it.
pub struct Masked {
    pub text: String,
    originals: Vec<String>,
}

/// The first of the private-use characters that stand for placeholders.
const MASK_BASE: u32 = 0xF0000;

impl Masked {
    pub fn new(text: &str, placeholders: &[Placeholder]) -> Masked {
        let mut out = String::with_capacity(text.len());
        let mut originals = Vec::with_capacity(placeholders.len());
        let mut at = 0usize;
        for (i, p) in placeholders.iter().enumerate() {
            let r = p.range.as_usize();
            out.push_str(&text[at..r.start]);
            out.push(char::from_u32(MASK_BASE + i as u32).unwrap_or('\u{FFFD}'));
            originals.push(text[r.clone()].to_string());
            at = r.end;
        }
        out.push_str(&text[at..]);
        Masked { text: out, originals }
    }

    pub fn is_masked(c: char) -> bool {
        (MASK_BASE..MASK_BASE + 0xFFFF).contains(&(c as u32))
    }

    /// `s` with every mask character replaced by the placeholder it stands for.
    pub fn unmask(&self, s: &str) -> String {
        s.chars()
            .map(|c| match (c as u32).checked_sub(MASK_BASE) {
                Some(i) if Masked::is_masked(c) => {
                    self.originals.get(i as usize).cloned().unwrap_or_else(|| c.to_string())
                }
                _ => c.to_string(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
