//! Machine-readable output: diagnostics as LSP-style objects (0-based lines, characters in
//! UTF-16 code units), so editors and CI annotators can use the positions unchanged.

use serde_json::{Value, json};

use crate::analysis::Diagnostic;
use crate::syntax::{PositionEncoding, SourceText};

/// One JSON object per diagnostic of a file, in the analyser's order.
pub fn file_diagnostics(path: &str, text: &SourceText, diagnostics: &[Diagnostic]) -> Vec<Value> {
    diagnostics.iter().map(|d| diagnostic(path, text, d)).collect()
}

fn diagnostic(path: &str, text: &SourceText, d: &Diagnostic) -> Value {
    json!({
        "file": path,
        "range": {
            "start": position(text, d.range.start),
            "end": position(text, d.range.end.max(d.range.start)),
        },
        "severity": d.severity.as_str(),
        "code": d.code.as_str(),
        "message": d.message,
    })
}

fn position(text: &SourceText, offset: u32) -> Value {
    let p = text.position(offset, PositionEncoding::Utf16);
    json!({ "line": p.line, "character": p.character })
}

/// The whole output: one array, pretty-printed so that it also reads well in a terminal.
pub fn document(diagnostics: Vec<Value>) -> String {
    let mut out = serde_json::to_string_pretty(&Value::Array(diagnostics)).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::analysis::{Code, Severity};
    use crate::syntax::TextRange;

    #[test]
    fn positions_are_zero_based_utf16() {
        // 😀 takes two UTF-16 units, each CJK character one: `x` sits at character 12
        // (it would be 11 counted in characters, 22 in bytes).
        let source = "Type: StateMachine\nName: 视频理解😀x\n";
        let text = SourceText::new(source);
        let start = source.find('视').unwrap() as u32;
        let end = source.find('x').unwrap() as u32;
        let d = Diagnostic::new(
            Code::InvalidValue,
            Severity::Warning,
            TextRange::new(start, end),
            "bad \"name\"",
        );
        expect![[r#"
            [
              {
                "file": "dir/flow.yaml",
                "range": {
                  "start": {
                    "line": 1,
                    "character": 6
                  },
                  "end": {
                    "line": 1,
                    "character": 12
                  }
                },
                "severity": "warning",
                "code": "invalid-value",
                "message": "bad \"name\""
              }
            ]
        "#]]
        .assert_eq(&document(file_diagnostics("dir/flow.yaml", &text, &[d])));
    }

    #[test]
    fn no_diagnostics_is_an_empty_array() {
        expect![[r#"
            []
        "#]]
        .assert_eq(&document(Vec::new()));
    }
}
