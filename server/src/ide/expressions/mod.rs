//! Expression features that are not completion or hover: signature help and semantic
//! tokens, mapped from expression offsets to the document.

use super::Document;
use crate::analysis::expressions::{SiteKind, sites};
use crate::analysis::model::Flow;
use crate::expr::ide::{self, ExprTokenKind, SignatureHelp};
use crate::syntax::scalar_map::ScalarMap;
use crate::syntax::{NodeKind, TextRange};

pub fn signature_help(doc: &Document, offset: u32) -> Option<SignatureHelp> {
    let flow = Flow::new(&doc.tree)?;
    let found = ide::expression_at(&flow, &doc.text, offset)?;
    ide::signature_help(&found.text, found.cursor)
}

/// The coloured parts of every expression of the document, in document order. Tokens that
/// the scalar's layout splits across lines are left out (LSP tokens are single-line).
pub fn semantic_tokens(doc: &Document) -> Vec<(TextRange, ExprTokenKind)> {
    let Some(flow) = Flow::new(&doc.tree) else { return Vec::new() };
    let mut out = Vec::new();
    for site in sites(&flow) {
        if site.kind != SiteKind::Expression || site.node.kind() != NodeKind::Scalar {
            continue;
        }
        let Some(map) = ScalarMap::new(site.node, &doc.text) else { continue };
        let Some(value) = site.node.scalar() else { continue };
        for (range, kind) in ide::semantic_tokens(value) {
            let r = map.range_to_document(range);
            if doc.text.line_of(r.start) == doc.text.line_of(r.end) && !r.is_empty() {
                out.push((r, kind));
            }
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture::cursor;

    #[test]
    fn tokens_and_signatures_map_to_the_document() {
        let src = "Type: StateMachine\nSpecVersion: v1\nStartAt: 选择\nStates:\n  - Type: Choice\n    Name: 选择\n    Branches:\n      - Condition: length($Input.名字) > 2\n        Next: 完\n    Default: 完\n  - Type: Succeed\n    Name: 完\n";
        let doc = Document::new(src);
        let tokens: Vec<(String, ExprTokenKind)> =
            semantic_tokens(&doc).into_iter().map(|(r, k)| (doc.text.slice(r), k)).collect();
        let texts: Vec<&str> = tokens.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["length", "$Input", "名字", ">", "2"]);
        assert_eq!(tokens[0].1, ExprTokenKind::Function);
        let (doc, offset) = cursor(&src.replace("$Input.名字)", "$Input.名字$0)"));
        let help = signature_help(&doc, offset).expect("inside length(");
        assert!(help.label.starts_with("length("), "{help:?}");
        assert_eq!(help.active_parameter, Some(0));
    }
}
