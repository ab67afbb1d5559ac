//! One open document: its text, its syntax tree and the settings it is analysed with.

use std::sync::{Arc, Mutex, OnceLock};

use super::host::HostDocs;
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

/// What kind of file a document is: YAML (a flow, or a YAML deployment file that holds
/// flows) or a Terraform configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    #[default]
    Yaml,
    Terraform,
}

impl Language {
    /// From an LSP language id or, failing that, a path or URI (`*.tf` is Terraform).
    pub fn guess(language_id: &str, path: &str) -> Language {
        let tf = matches!(language_id, "terraform" | "hcl" | "tf")
            || path.rsplit(['/', '\\']).next().is_some_and(|name| name.to_ascii_lowercase().ends_with(".tf"));
        if tf { Language::Terraform } else { Language::Yaml }
    }
}

/// An immutable snapshot of a document. Cloning is cheap (shared rope and tree).
#[derive(Clone, Debug)]
pub struct Document {
    pub text: SourceText,
    pub tree: Arc<SyntaxTree>,
    pub language: Language,
    /// Diagnostics of unchanged states, shared by the snapshots of one document's history.
    cache: Arc<Mutex<Cache>>,
    /// The flows embedded in this snapshot (a deployment file), found on first use.
    host: Arc<OnceLock<Option<Arc<HostDocs>>>>,
}

impl Document {
    pub fn new(text: &str) -> Document {
        Document::with_language(text, Language::Yaml)
    }

    pub fn with_language(text: &str, language: Language) -> Document {
        let text = SourceText::new(text);
        // A Terraform file is not YAML: its tree stays empty and its flows are found by a
        // scanner of its own.
        let tree = match language {
            Language::Yaml => SyntaxTree::parse(&text),
            Language::Terraform => SyntaxTree::parse(&SourceText::new("")),
        };
        Document { text, tree: Arc::new(tree), language, cache: Arc::default(), host: Arc::default() }
    }

    /// The document after replacing `range` with `new_text`; re-parses only what changed.
    pub fn edit(&self, range: TextRange, new_text: &str) -> Document {
        let len = self.text.len();
        let range = TextRange::new(range.start.min(len), range.end.min(len).max(range.start.min(len)));
        let mut text = self.text.clone();
        text.edit(range, new_text);
        let tree = match self.language {
            Language::Yaml => {
                Arc::new(self.tree.reparse(&text, Edit { range, new_len: new_text.len() as u32 }))
            }
            Language::Terraform => Arc::clone(&self.tree),
        };
        Document { text, tree, language: self.language, cache: Arc::clone(&self.cache), host: Arc::default() }
    }

    /// The flows written inside this document when it is a deployment file (a ROS or
    /// Funcraft template, an s.yaml, a Terraform file); `None` for a flow or other text.
    pub fn host(&self) -> Option<&HostDocs> {
        self.host.get_or_init(|| HostDocs::of(self).map(Arc::new)).as_deref()
    }

    pub fn diagnostics(&self, config: &Config) -> Vec<Diagnostic> {
        if let Some(host) = self.host() {
            return host.diagnostics(&self.text, config);
        }
        let options = CheckOptions { mode: config.mode, placeholders: config.placeholders.clone() };
        self.diagnostics_with(&options)
    }

    /// The diagnostics of this document as a flow, with options already decided.
    pub(crate) fn diagnostics_with(&self, options: &CheckOptions) -> Vec<Diagnostic> {
        // A poisoned cache only means an earlier analysis panicked: start it afresh.
        let mut cache = self.cache.lock().unwrap_or_else(|e| {
            let mut guard = e.into_inner();
            *guard = Cache::default();
            guard
        });
        analysis::check_cached(&self.text, &self.tree, options, &mut cache)
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
