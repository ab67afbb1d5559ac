//! Quick fixes: the fixes that diagnostics carry, for the diagnostics touching a range.

use super::{Config, Document};
use crate::analysis::Diagnostic;
use crate::syntax::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    /// The diagnostic it fixes.
    pub diagnostic: Diagnostic,
    pub edits: Vec<(TextRange, String)>,
    /// The only fix of its diagnostic: safe to apply without asking.
    pub preferred: bool,
}

pub fn code_actions(doc: &Document, config: &Config, range: TextRange) -> Vec<CodeAction> {
    doc.diagnostics(config)
        .into_iter()
        .filter(|d| d.range.start <= range.end && range.start <= d.range.end)
        .flat_map(|d| {
            let preferred = d.fixes.len() == 1;
            d.fixes.clone().into_iter().map(move |fix| CodeAction {
                title: fix.title,
                diagnostic: d.clone(),
                edits: fix.edits,
                preferred,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_of_the_diagnostics_under_the_cursor() {
        let src = "Type: StateMachine\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Task\n    Name: A\n    Action: EventBridge:PutEvents\n    TaskMode: WaitForSystemCallback\n    MaxConcurency: 3\n";
        let doc = Document::new(src);
        let at = src.find("WaitFor").unwrap() as u32;
        let titles: Vec<String> = code_actions(&doc, &Config::default(), TextRange::empty(at))
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert_eq!(titles, ["Use `RequestComplete`", "Use `WaitForCustomCallback`"]);
        let at = src.find("MaxConcurency").unwrap() as u32;
        let actions = code_actions(&doc, &Config::default(), TextRange::empty(at));
        assert_eq!(actions.len(), 0, "Task has no MaxConcurrency, so nothing close to suggest");
        let end = src.find("    Name: A").unwrap() as u32 + 10;
        let actions = code_actions(&doc, &Config::default(), TextRange::empty(end));
        assert_eq!(actions.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(), ["Add `End: true`"]);
        assert!(actions[0].preferred);
    }
}
