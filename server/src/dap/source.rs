//! Which state holds a line of a flow file: line breakpoints are set on lines, the run
//! stops at states. Built from the compiled program, whose states carry their ranges
//! (UTF-16 columns, zero-based lines), so the editor's lines and the run's ranges agree.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::dryrun::{self, Program, Range};
use crate::syntax::{PositionEncoding, SourceText, SyntaxTree};

#[derive(Clone, Debug)]
pub struct SourceMap {
    /// Every state's range and name, in program order (enclosing states first).
    states: Vec<(Range, Arc<str>)>,
}

impl SourceMap {
    pub fn new(program: &Program) -> SourceMap {
        SourceMap { states: program.states.iter().map(|s| (s.range, Arc::clone(&s.name))).collect() }
    }

    /// The map of a flow file's text; `None` when it is no flow.
    pub fn of_text(text: &str) -> Option<SourceMap> {
        let source = SourceText::new(text);
        let tree = SyntaxTree::parse(&source);
        dryrun::lower(&source, &tree, PositionEncoding::Utf16).ok().map(|p| SourceMap::new(&p))
    }

    /// The innermost state whose text holds the zero-based `line` (a state nested in a
    /// Parallel or Map starts inside it, so the latest start wins).
    pub fn state_at(&self, line: u32) -> Option<(Range, &str)> {
        self.states
            .iter()
            .filter(|(r, _)| r.start.line <= line && holds_line(r, line))
            .max_by_key(|(r, _)| (r.start.line, r.start.character))
            .map(|(r, n)| (*r, &**n))
    }

    pub fn has_state(&self, name: &str) -> bool {
        self.states.iter().any(|(_, n)| &**n == name)
    }
}

/// A range that ends at the start of a line does not hold that line.
fn holds_line(r: &Range, line: u32) -> bool {
    line < r.end.line || (line == r.end.line && (r.end.character > 0 || r.end.line == r.start.line))
}

/// A path as the adapter compares it: absolute and without `..` or links where the file
/// exists, so that the editor's path, the launch configuration's and a sub-flow's agree.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_maps_to_the_innermost_state_that_holds_it() {
        let text = "Type: StateMachine\nName: f\nSpecVersion: v1\nStartAt: P\nStates:\n  - Type: Parallel\n    Name: P\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Pass\n            Name: A\n            End: true\n    Next: B\n  - Type: Pass\n    Name: B\n    End: true\n";
        let map = SourceMap::of_text(text).expect("a flow");
        let at = |line: u32| map.state_at(line).map(|(r, n)| format!("{n}@{}", r.start.line));
        let lines: Vec<String> = (0..18).map(|l| format!("{l}: {:?}", at(l))).collect();
        expect_test::expect![[r#"
            0: None
            1: None
            2: None
            3: None
            4: None
            5: Some("P@5")
            6: Some("P@5")
            7: Some("P@5")
            8: Some("P@5")
            9: Some("P@5")
            10: Some("A@10")
            11: Some("A@10")
            12: Some("A@10")
            13: Some("P@5")
            14: Some("B@14")
            15: Some("B@14")
            16: Some("B@14")
            17: None"#]]
        .assert_eq(&lines.join("\n"));
        assert!(map.has_state("A") && !map.has_state("C"));
        assert!(SourceMap::of_text("just: yaml\n").is_none());
    }
}
