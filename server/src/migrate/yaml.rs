//! The migrated document as a small YAML tree with comments, printed in block style with
//! two-space indentation (the layout of the project's examples). Building text directly
//! would scatter quoting and indentation rules over the migration; a tree keeps them here.

use serde_json::Value as Json;

/// A YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Yaml {
    Map(Vec<Entry>),
    Seq(Vec<Item>),
    /// A scalar as YAML text, already quoted where needed (see [`scalar`]).
    Scalar(String),
}

/// A mapping entry with the comments that go with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Yaml,
    /// Whole-line comments before the entry, without their `#`.
    pub before: Vec<String>,
    /// A comment at the end of the entry's first line.
    pub trailing: Option<String>,
}

/// A sequence item with its comments.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub value: Yaml,
    pub before: Vec<String>,
    pub trailing: Option<String>,
}

impl Entry {
    pub fn new(key: impl Into<String>, value: Yaml) -> Entry {
        Entry { key: key.into(), value, before: Vec::new(), trailing: None }
    }

    /// `key: text`, the text quoted as needed.
    pub fn text(key: impl Into<String>, text: &str) -> Entry {
        Entry::new(key, Yaml::text(text))
    }
}

impl Item {
    pub fn new(value: Yaml) -> Item {
        Item { value, before: Vec::new(), trailing: None }
    }
}

impl Yaml {
    /// A string scalar.
    pub fn text(text: &str) -> Yaml {
        Yaml::Scalar(scalar(text))
    }

    /// A JSON value as YAML.
    pub fn json(value: &Json) -> Yaml {
        match value {
            Json::Object(map) if !map.is_empty() => {
                Yaml::Map(map.iter().map(|(k, v)| Entry::new(k.clone(), Yaml::json(v))).collect())
            }
            Json::Object(_) => Yaml::Map(Vec::new()),
            Json::Array(items) => Yaml::Seq(items.iter().map(|v| Item::new(Yaml::json(v))).collect()),
            Json::String(s) => Yaml::text(s),
            other => Yaml::Scalar(other.to_string()),
        }
    }

    pub fn map(entries: Vec<Entry>) -> Yaml {
        Yaml::Map(entries)
    }
}

/// `text` as a YAML scalar that reads back as the same string: plain when that is safe,
/// single-quoted when the text holds no line breaks (expressions with `"` stay readable),
/// double-quoted otherwise.
pub fn scalar(text: &str) -> String {
    if plain_is_safe(text) {
        return text.to_string();
    }
    if !text.chars().any(|c| c.is_control()) {
        return format!("'{}'", text.replace('\'', "''"));
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `text` can be written as a plain scalar and still read as this string (YAML 1.2
/// core schema, in block context; flow indicators are avoided too, so that the text also
/// survives inside a flow collection).
fn plain_is_safe(text: &str) -> bool {
    !(text.is_empty()
        || text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` \t".contains(c))
        || text.ends_with([' ', '\t', ':'])
        || text.contains(": ")
        || text.contains(" #")
        || text.contains(|c: char| c.is_control())
        || matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
        || looks_numeric(text))
}

/// Whether a plain scalar `text` would read as a number (or a YAML 1.1 number-ish value
/// some tools still resolve).
fn looks_numeric(text: &str) -> bool {
    let t = text.trim_start_matches(['+', '-']);
    t.parse::<f64>().is_ok()
        || t.starts_with("0x")
        || t.starts_with("0o")
        || t.starts_with('.') && t[1..].eq_ignore_ascii_case("inf")
        || t.eq_ignore_ascii_case(".nan")
}

/// The document, with a final newline.
pub fn print(root: &Yaml, header: &[String]) -> String {
    let mut out = String::new();
    comments(&mut out, header, 0);
    match root {
        Yaml::Map(entries) => map(&mut out, entries, 0),
        Yaml::Seq(items) => seq(&mut out, items, 0),
        Yaml::Scalar(s) => {
            out.push_str(s);
            out.push('\n');
        }
    }
    out
}

fn comments(out: &mut String, lines: &[String], indent: usize) {
    for line in lines {
        pad(out, indent);
        push_comment(out, line);
        out.push('\n');
    }
}

fn push_comment(out: &mut String, text: &str) {
    out.push('#');
    if !text.is_empty() && !text.starts_with([' ', '#']) {
        out.push(' ');
    }
    out.push_str(text);
}

fn trailing(out: &mut String, comment: &Option<String>) {
    if let Some(c) = comment {
        out.push(' ');
        push_comment(out, c);
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn map(out: &mut String, entries: &[Entry], indent: usize) {
    for e in entries {
        comments(out, &e.before, indent);
        pad(out, indent);
        entry_body(out, e, indent);
    }
}

/// `key: value…` from the key on, the first line already indented.
fn entry_body(out: &mut String, e: &Entry, indent: usize) {
    out.push_str(&scalar(&e.key));
    out.push(':');
    value_after_key(out, &e.value, &e.trailing, indent);
}

fn value_after_key(out: &mut String, value: &Yaml, comment: &Option<String>, indent: usize) {
    match value {
        Yaml::Scalar(s) => {
            out.push(' ');
            out.push_str(s);
            trailing(out, comment);
            out.push('\n');
        }
        Yaml::Map(entries) if entries.is_empty() => {
            out.push_str(" {}");
            trailing(out, comment);
            out.push('\n');
        }
        Yaml::Seq(items) if items.is_empty() => {
            out.push_str(" []");
            trailing(out, comment);
            out.push('\n');
        }
        Yaml::Map(entries) => {
            trailing(out, comment);
            out.push('\n');
            map(out, entries, indent + 2);
        }
        Yaml::Seq(items) => {
            trailing(out, comment);
            out.push('\n');
            seq(out, items, indent + 2);
        }
    }
}

fn seq(out: &mut String, items: &[Item], indent: usize) {
    for item in items {
        comments(out, &item.before, indent);
        match &item.value {
            Yaml::Map(entries) if !entries.is_empty() => {
                // The first entry shares the dash's line: its own comments go above the
                // dash, and the item's trailing comment after the first entry.
                let (first, rest) = entries.split_first().expect("not empty");
                comments(out, &first.before, indent);
                pad(out, indent);
                out.push_str("- ");
                let mut first = first.clone();
                if first.trailing.is_none() {
                    first.trailing = item.trailing.clone();
                }
                entry_body(out, &first, indent + 2);
                map(out, rest, indent + 2);
            }
            other => {
                pad(out, indent);
                out.push('-');
                value_after_key(out, other, &item.trailing, indent);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use proptest::prelude::*;

    use super::*;
    use crate::syntax::{SourceText, SyntaxTree};

    fn reads_back(text: &str) -> bool {
        let src = SourceText::new(&format!("k: {}\n", scalar(text)));
        let tree = SyntaxTree::parse(&src);
        let value = tree.root().and_then(|r| r.get("k")).map(|e| e.value);
        tree.errors().is_empty()
            && value.and_then(|v| v.scalar()) == Some(text)
            && value.is_some_and(|v| v.is_plain_scalar() == plain_is_safe(text))
    }

    #[test]
    fn scalars_quote_only_when_needed() {
        let cases = [
            "$Input.x",
            "$Input.status == \"ready\"",
            "jsonMerge($Input.local, {\"names\": $Output.Items[*].local.name})",
            "it's",
            "line\nbreak",
            "12",
            "true",
            "",
            "acs:fc:::services/a/functions/b",
            "- x",
            "视频理解",
        ];
        let shown: Vec<String> = cases.iter().map(|c| scalar(c)).collect();
        expect![[r#"
            [
                "$Input.x",
                "$Input.status == \"ready\"",
                "'jsonMerge($Input.local, {\"names\": $Output.Items[*].local.name})'",
                "it's",
                "\"line\\nbreak\"",
                "'12'",
                "'true'",
                "''",
                "acs:fc:::services/a/functions/b",
                "'- x'",
                "视频理解",
            ]
        "#]]
        .assert_debug_eq(&shown);
        for c in cases {
            assert!(reads_back(c), "{c:?} as {}", scalar(c));
        }
    }

    proptest! {
        #[test]
        fn any_string_reads_back(text in "\\PC{0,12}|[ -~]{0,12}|[:#\\- '\"\\[\\]{}!&*]{0,6}") {
            prop_assert!(reads_back(&text), "{:?} as {}", text, scalar(&text));
        }
    }

    #[test]
    fn block_layout_with_comments() {
        let mut state = vec![
            Entry::text("Type", "Task"),
            Entry::text("Name", "first"),
            Entry::new(
                "Parameters",
                Yaml::map(vec![
                    Entry {
                        trailing: Some("the function".into()),
                        ..Entry::text("resourceArn", "acs:fc:::x")
                    },
                    Entry::new("body", Yaml::Map(Vec::new())),
                ]),
            ),
            Entry::new(
                "Retry",
                Yaml::Seq(vec![Item::new(Yaml::map(vec![Entry::new(
                    "Errors",
                    Yaml::Seq(vec![Item {
                        before: vec!["retriable".into()],
                        ..Item::new(Yaml::text("FC.Unknown"))
                    }]),
                )]))]),
            ),
            Entry::new("End", Yaml::Scalar("true".into())),
        ];
        state[0].before = vec![" the first state".into()];
        let root = Yaml::map(vec![
            Entry::text("Type", "StateMachine"),
            Entry::new("States", Yaml::Seq(vec![Item::new(Yaml::map(state))])),
        ]);
        expect![[r#"
            # header
            Type: StateMachine
            States:
              # the first state
              - Type: Task
                Name: first
                Parameters:
                  resourceArn: acs:fc:::x # the function
                  body: {}
                Retry:
                  - Errors:
                      # retriable
                      - FC.Unknown
                End: true
        "#]]
        .assert_eq(&print(&root, &["header".into()]));
    }
}
