//! The comments of the legacy text, so that the migration can put each one next to what its
//! node became. The syntax tree keeps no comments, but it knows where every scalar is: a `#`
//! at the start of a line or after a blank, outside every scalar, starts a comment.
//!
//! A comment on a line of its own belongs to the node that starts on the next line with
//! content (a step, a key, a list item); a comment after content belongs to that line. Each
//! comment is handed out once; what the migration could not place is collected at the end
//! so that nothing is lost.

use crate::syntax::{Node, SourceText, SyntaxTree, TextRange};

#[derive(Clone, Debug)]
struct Comment {
    /// Offset of the `#`.
    at: u32,
    /// The text after `#`, right-trimmed.
    text: String,
    /// Own line: the offset of the node it introduces. After content: `None`.
    anchor: Option<u32>,
    line: u32,
    taken: bool,
}

pub struct Comments {
    list: Vec<Comment>,
}

impl Comments {
    pub fn new(text: &SourceText, tree: &SyntaxTree) -> Comments {
        let full = text.to_string_lossless();
        let mut scalars: Vec<TextRange> = Vec::new();
        if let Some(root) = tree.root() {
            collect_scalars(root, &mut scalars);
        }
        scalars.sort_by_key(|r| r.start);
        let inside = |offset: u32| {
            let i = scalars.partition_point(|r| r.start <= offset);
            i > 0 && scalars[i - 1].end > offset
        };
        let mut list = Vec::new();
        let mut line_start = 0usize;
        let mut pending: Vec<usize> = Vec::new();
        for (line, raw) in full.split_inclusive('\n').enumerate() {
            let content = raw.trim_end_matches(['\n', '\r']);
            let first = content.find(|c: char| c != ' ' && c != '\t');
            let mut hash = None;
            let bytes = content.as_bytes();
            for (i, b) in bytes.iter().enumerate() {
                if *b == b'#'
                    && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t')
                    && !inside((line_start + i) as u32)
                {
                    hash = Some(i);
                    break;
                }
            }
            match (first, hash) {
                (Some(f), Some(h)) if f == h => {
                    pending.push(list.len());
                    list.push(Comment {
                        at: (line_start + h) as u32,
                        text: content[h + 1..].trim_end().to_string(),
                        anchor: None,
                        line: line as u32,
                        taken: false,
                    });
                }
                (Some(f), hash) => {
                    // Content: it is what the comments above introduce. A list item's
                    // node starts after its dash.
                    let mut start = f;
                    while content[start..].starts_with("- ") || content[start..] == *"-" {
                        start += 1;
                        start += content[start..].len() - content[start..].trim_start().len();
                    }
                    for i in pending.drain(..) {
                        list[i].anchor = Some((line_start + start) as u32);
                    }
                    if let Some(h) = hash {
                        list.push(Comment {
                            at: (line_start + h) as u32,
                            text: content[h + 1..].trim_end().to_string(),
                            anchor: None,
                            line: line as u32,
                            taken: false,
                        });
                    }
                }
                (None, _) => {}
            }
            line_start += raw.len();
        }
        // Comments after the last content belong to the end of the document.
        for i in pending {
            list[i].anchor = Some(u32::MAX);
        }
        Comments { list }
    }

    /// The whole-line comments just above the node starting at `offset`.
    pub fn before(&mut self, offset: u32) -> Vec<String> {
        self.take(|c| c.anchor == Some(offset))
    }

    /// The comment at the end of `line`.
    pub fn after(&mut self, line: u32) -> Option<String> {
        let mut found = self.take(|c| c.anchor.is_none() && c.line == line);
        found.pop()
    }

    /// Every comment not yet handed out whose `#` lies in `range`, in order.
    pub fn rest_in(&mut self, range: TextRange) -> Vec<String> {
        self.take(|c| range.start <= c.at && c.at < range.end)
    }

    /// Every comment not yet handed out.
    pub fn rest(&mut self) -> Vec<String> {
        self.take(|_| true)
    }

    /// Comments not yet handed out that lie before `offset`.
    pub fn rest_before(&mut self, offset: u32) -> Vec<String> {
        self.take(|c| c.at < offset)
    }

    fn take(&mut self, wanted: impl Fn(&Comment) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        for c in &mut self.list {
            if !c.taken && wanted(c) {
                c.taken = true;
                out.push(c.text.clone());
            }
        }
        out
    }
}

fn collect_scalars(node: Node<'_>, out: &mut Vec<TextRange>) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.scalar().is_some() && !n.value_range().is_empty() {
            out.push(n.value_range());
        }
        stack.extend(n.children());
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn whole_line_trailing_and_inside_scalars() {
        let src = "# header\nversion: v1 # the version\nsteps:\n  # first step\n  - type: pass # a pass\n    name: \"a # not a comment\"\n    text: |\n      # content\n    # about end\n    end: true\n# last\n";
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let mut c = Comments::new(&text, &tree);
        let step = src.find("type: pass").unwrap() as u32;
        let end = src.find("end: true").unwrap() as u32;
        let got = (
            c.before(src.find("version").unwrap() as u32),
            c.after(1),
            c.before(step),
            c.after(4),
            c.before(end),
            c.rest(),
        );
        expect![[r#"
            (
                [
                    " header",
                ],
                Some(
                    " the version",
                ),
                [
                    " first step",
                ],
                Some(
                    " a pass",
                ),
                [
                    " about end",
                ],
                [
                    " last",
                ],
            )
        "#]]
        .assert_debug_eq(&got);
    }
}
