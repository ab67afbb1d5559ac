//! Writing strings back as YAML scalars.

/// `text` as a YAML scalar that reads back as the same string: plain when that is safe,
/// double-quoted otherwise (state names often hold spaces, dots, colons or CJK text).
pub fn yaml_string(text: &str) -> String {
    let risky = text.is_empty()
        || text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` \t".contains(c))
        || text.ends_with([' ', '\t', ':'])
        || text.contains(": ")
        || text.contains(" #")
        || text.contains(['\n', '\r', '\t'])
        || matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
        || text.parse::<f64>().is_ok()
        || text.starts_with("0x")
        || text.starts_with("0o");
    if !risky {
        return text.to_string();
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
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::yaml_string;
    use crate::syntax::{SourceText, SyntaxTree};

    #[test]
    fn quoted_only_when_needed_and_reads_back() {
        for name in [
            "视频理解",
            "an example of function invocation.",
            "Pass1",
            "a: b",
            "#x",
            "true",
            "12",
            "",
            "x #y",
            "say \"hi\"",
            "- a",
            "tail:",
        ] {
            let text = SourceText::new(&format!("k: {}\n", yaml_string(name)));
            let tree = SyntaxTree::parse(&text);
            assert!(tree.errors().is_empty(), "{name:?}");
            let value = tree.root().and_then(|r| r.get("k")).and_then(|e| e.value.scalar());
            assert_eq!(value, Some(name), "{name:?} as {}", yaml_string(name));
        }
        assert_eq!(yaml_string("视频理解"), "视频理解");
        assert_eq!(yaml_string("a: b"), "\"a: b\"");
    }
}
