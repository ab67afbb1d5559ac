//! One open document: its text, its syntax tree and the settings it is analysed with.

use std::sync::{Arc, Mutex};

use crate::analysis::{self, Cache, CheckOptions, Diagnostic, WorkflowMode};
use crate::syntax::{Edit, SourceText, SyntaxTree, TextRange};
use crate::templates::Syntaxes;

/// Settings that come from the editor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// `fdl.mode`: the workflow mode; `None` means the file's `# fdl: mode=` comment, else
    /// Standard.
    pub mode: Option<WorkflowMode>,
    /// `fdl.placeholders`: the deployment tools whose placeholders are recognised (all by
    /// default); a `# fdl: placeholders=…` comment edits it per file.
    pub placeholders: Syntaxes,
}

/// An immutable snapshot of a document. Cloning is cheap (shared rope and tree).
#[derive(Clone, Debug)]
pub struct Document {
    pub text: SourceText,
    pub tree: Arc<SyntaxTree>,
    /// Diagnostics of unchanged states, shared by the snapshots of one document's history.
    cache: Arc<Mutex<Cache>>,
}

impl Document {
    pub fn new(text: &str) -> Document {
        let text = SourceText::new(text);
        let tree = Arc::new(SyntaxTree::parse(&text));
        Document { text, tree, cache: Arc::default() }
    }

    /// The document after replacing `range` with `new_text`; re-parses only what changed.
    pub fn edit(&self, range: TextRange, new_text: &str) -> Document {
        let len = self.text.len();
        let range = TextRange::new(range.start.min(len), range.end.min(len).max(range.start.min(len)));
        let mut text = self.text.clone();
        text.edit(range, new_text);
        let tree = Arc::new(self.tree.reparse(&text, Edit { range, new_len: new_text.len() as u32 }));
        Document { text, tree, cache: Arc::clone(&self.cache) }
    }

    pub fn diagnostics(&self, config: &Config) -> Vec<Diagnostic> {
        let options = CheckOptions { mode: config.mode, placeholders: config.placeholders.clone() };
        // A poisoned cache only means an earlier analysis panicked: start it afresh.
        let mut cache = self.cache.lock().unwrap_or_else(|e| {
            let mut guard = e.into_inner();
            *guard = Cache::default();
            guard
        });
        analysis::check_cached(&self.text, &self.tree, &options, &mut cache)
    }

    /// The workflow mode the document is analysed in.
    pub fn mode(&self, config: &Config) -> WorkflowMode {
        config.mode.or_else(|| analysis::mode_from_comment(&self.text)).unwrap_or(WorkflowMode::Standard)
    }

    /// The placeholder syntaxes of the document: the setting, edited by its comments.
    pub fn placeholders(&self, config: &Config) -> Syntaxes {
        analysis::Directives::read(&self.text).placeholders(&config.placeholders)
    }
}
