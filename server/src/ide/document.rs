//! One open document: its text, its syntax tree and the settings it is analysed with.

use std::sync::Arc;

use crate::analysis::{self, CheckOptions, Diagnostic, WorkflowMode};
use crate::syntax::{Edit, SourceText, SyntaxTree, TextRange};

/// Settings that come from the editor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// `fdl.mode`: the workflow mode; `None` means the file's `# fdl: mode=` comment, else
    /// Standard.
    pub mode: Option<WorkflowMode>,
}

/// An immutable snapshot of a document. Cloning is cheap (shared rope and tree).
#[derive(Clone, Debug)]
pub struct Document {
    pub text: SourceText,
    pub tree: Arc<SyntaxTree>,
}

impl Document {
    pub fn new(text: &str) -> Document {
        let text = SourceText::new(text);
        let tree = Arc::new(SyntaxTree::parse(&text));
        Document { text, tree }
    }

    /// The document after replacing `range` with `new_text`; re-parses only what changed.
    pub fn edit(&self, range: TextRange, new_text: &str) -> Document {
        let len = self.text.len();
        let range = TextRange::new(range.start.min(len), range.end.min(len).max(range.start.min(len)));
        let mut text = self.text.clone();
        text.edit(range, new_text);
        let tree = Arc::new(self.tree.reparse(&text, Edit { range, new_len: new_text.len() as u32 }));
        Document { text, tree }
    }

    pub fn diagnostics(&self, config: &Config) -> Vec<Diagnostic> {
        analysis::check(&self.text, &self.tree, &CheckOptions { mode: config.mode })
    }

    /// The workflow mode the document is analysed in.
    pub fn mode(&self, config: &Config) -> WorkflowMode {
        config.mode.or_else(|| analysis::mode_from_comment(&self.text)).unwrap_or(WorkflowMode::Standard)
    }
}
