//! One open document: its text, its syntax tree and the settings it is analysed with.

use std::sync::{Arc, Mutex, OnceLock};

use super::host::HostDocs;
use crate::analysis::model::Flow;
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
    /// "Migrate to CloudFlow" of this snapshot, made on first use: editors ask for code
    /// actions whenever the cursor moves.
    pub(super) migration: Arc<OnceLock<Option<Arc<super::MigrationOffer>>>>,
    /// The `# fdl:` comments of this snapshot, read on first use: hover and completion
    /// ask for the mode and the placeholder syntaxes on every request.
    directives: Arc<OnceLock<analysis::Directives>>,
    /// Semantic tokens of unchanged states, shared like `cache`.
    pub(super) tokens: Arc<Mutex<super::expressions::token_cache::TokenCache>>,
    /// Outline symbols of unchanged states, shared like `cache`.
    pub(super) symbols: Arc<Mutex<super::symbols::SymbolCache>>,
    /// The names and targets of the top-level states, shared like `cache` and brought up
    /// to date with the snapshot that reads them.
    top: Arc<Mutex<super::top_states::TopStates>>,
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
        Document {
            text,
            tree: Arc::new(tree),
            language,
            cache: Arc::default(),
            host: Arc::default(),
            migration: Arc::default(),
            directives: Arc::default(),
            tokens: Arc::default(),
            symbols: Arc::default(),
            top: Arc::default(),
        }
    }

    /// The document after replacing `range` with `new_text`; re-parses only what changed.
    pub fn edit(&self, range: TextRange, new_text: &str) -> Document {
        let mut pending = Pending::new(self);
        pending.apply(range, new_text);
        pending.into_document(self)
    }

    /// The document whose text is `text`, which `edit` made from this one's.
    fn reparsed(&self, text: SourceText, edit: Edit) -> Document {
        let tree = match self.language {
            Language::Yaml => Arc::new(self.tree.reparse(&text, edit)),
            Language::Terraform => Arc::clone(&self.tree),
        };
        Document {
            text,
            tree,
            language: self.language,
            cache: Arc::clone(&self.cache),
            host: Arc::default(),
            migration: Arc::default(),
            directives: Arc::default(),
            tokens: Arc::clone(&self.tokens),
            symbols: Arc::clone(&self.symbols),
            top: Arc::clone(&self.top),
        }
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
        config.mode.or(self.directives().mode).unwrap_or(WorkflowMode::Standard)
    }

    /// The placeholder syntaxes of the document: the setting, edited by its comments.
    pub fn placeholders(&self, config: &Config) -> Syntaxes {
        self.directives().placeholders(&config.placeholders)
    }

    /// `f` on the table of the top-level states of this snapshot (see `ide::top_states`),
    /// `flow` being this snapshot's; `None` when the document has no top-level state list
    /// or may have aliases (a state's subtree then does not decide its name or targets).
    pub(crate) fn top_states<R>(
        &self,
        flow: &Flow<'_>,
        f: impl FnOnce(&super::top_states::TopStates) -> R,
    ) -> Option<R> {
        if self.tree.may_have_anchors() || flow.follows_aliases() {
            return None;
        }
        let list = flow.top_scope().state_list()?;
        // A poisoned table only means an earlier request panicked: start it afresh.
        let mut table = self.top.lock().unwrap_or_else(|e| {
            let mut guard = e.into_inner();
            *guard = Default::default();
            guard
        });
        table.sync(flow, list);
        Some(f(&table))
    }

    fn directives(&self) -> &analysis::Directives {
        self.directives.get_or_init(|| analysis::Directives::read(&self.text))
    }
}
/// Text edits not yet re-parsed: the text after them, and the regions they changed. A
/// burst of keystrokes then costs rope edits only; the tree is brought up to date once,
/// when a snapshot is needed, with one re-parse per region (edits in a few places of a big
/// file do not re-parse everything between them).
#[derive(Clone, Debug)]
pub struct Pending {
    pub text: SourceText,
    /// Disjoint regions, in order: each an old range of the document's text and the range
    /// of the current text that replaced it.
    regions: Vec<Region>,
    /// The text is new as a whole (a document just opened): it is parsed afresh.
    whole: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Region {
    old: (u32, u32),
    new: (u32, u32),
}

impl Region {
    fn growth(&self) -> i64 {
        (self.new.1 - self.new.0) as i64 - (self.old.1 - self.old.0) as i64
    }
}

/// More regions than this are merged into one: a snapshot would otherwise re-assemble the
/// tree once per region.
const MAX_REGIONS: usize = 32;

impl Pending {
    pub fn new(doc: &Document) -> Pending {
        Pending { text: doc.text.clone(), regions: Vec::new(), whole: false }
    }

    /// A whole new text (a document being opened), to be parsed when first needed: not on
    /// the loop that reads the client's messages.
    pub fn whole(text: SourceText) -> Pending {
        Pending { text, regions: Vec::new(), whole: true }
    }

    /// Replaces `range` of the current text (clamped to it) with `new_text`.
    pub fn apply(&mut self, range: TextRange, new_text: &str) {
        // The regions must hold the offsets the text is edited at: ends inside a character
        // move back to its start, as `SourceText::edit` moves them (a fuzzed edit script
        // found regions off by the rest of the character, and the snapshot's text wrong).
        let s = self.text.floor_offset(range.start);
        let e = self.text.floor_offset(range.end).max(s);
        self.text.edit(TextRange::new(s, e), new_text);
        if self.whole {
            return;
        }
        let delta = new_text.len() as i64 - (e - s) as i64;
        // The regions this edit touches (or abuts), and the growth of those before it.
        let first = self.regions.partition_point(|r| r.new.1 < s);
        let last = self.regions.partition_point(|r| r.new.0 <= e);
        let before: i64 = self.regions[..first].iter().map(Region::growth).sum();
        let to_old = |at: u32, growth: i64| (at as i64 - growth) as u32;
        let merged = if first == last {
            Region { old: (to_old(s, before), to_old(e, before)), new: (s, s + new_text.len() as u32) }
        } else {
            let (a, b) = (self.regions[first], self.regions[last - 1]);
            let through: i64 = before + self.regions[first..last].iter().map(Region::growth).sum::<i64>();
            let old_start = if s < a.new.0 { to_old(s, before) } else { a.old.0 };
            let old_end = if e > b.new.1 { to_old(e, through) } else { b.old.1 };
            let new_start = s.min(a.new.0);
            let new_end = (b.new.1.max(e) as i64 + delta) as u32;
            Region { old: (old_start, old_end), new: (new_start, new_end) }
        };
        for r in &mut self.regions[last..] {
            r.new = ((r.new.0 as i64 + delta) as u32, (r.new.1 as i64 + delta) as u32);
        }
        self.regions.splice(first..last, [merged]);
        if self.regions.len() > MAX_REGIONS {
            let (a, b) = (self.regions[0], self.regions[self.regions.len() - 1]);
            self.regions = vec![Region { old: (a.old.0, b.old.1), new: (a.new.0, b.new.1) }];
        }
    }

    /// The document these edits make of `base` (the document they started from): one
    /// re-parse per region, from the last to the first, so that each region's old offsets
    /// still hold when its turn comes.
    pub fn into_document(self, base: &Document) -> Document {
        if self.whole {
            return Document::with_language(&self.text.to_string_lossless(), base.language);
        }
        let mut doc = base.clone();
        for r in self.regions.iter().rev() {
            let replacement = self.text.slice(TextRange::new(r.new.0, r.new.1));
            let mut text = doc.text.clone();
            let old = TextRange::new(r.old.0, r.old.1);
            text.edit(old, &replacement);
            doc = doc.reparsed(text, Edit { range: old, new_len: r.new.1 - r.new.0 });
        }
        doc
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::syntax::dump;

    const BASE: &str = "Type: StateMachine\nSpecVersion: v1\nStartAt: 开始\nStates:\n  - Type: Pass\n    Name: 开始\n    Next: 视频\n  - Type: Wait\n    Name: 视频\n    Seconds: 3\n    End: true\n";

    fn shape(doc: &Document) -> String {
        let tree = doc.tree.root().map(dump).unwrap_or_default();
        format!("{tree}{:?}", doc.tree.errors())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// A burst of edits applied to the text and re-parsed once gives the document a
        /// fresh parse of the final text gives.
        #[test]
        fn a_burst_reparsed_once_equals_a_fresh_parse(
            edits in prop::collection::vec((0.0f64..1.0, 0usize..6, prop::sample::select(vec!["", "x", "\n", "  - ", "Name: 新\n", ":", "视"])), 1..120)
        ) {
            let base = Document::new(BASE);
            let mut pending = Pending::new(&base);
            for (at, len, insert) in edits {
                let total = pending.text.len() as usize;
                let text = pending.text.to_string_lossless();
                let mut start = (at * total as f64) as usize;
                while !text.is_char_boundary(start) { start -= 1; }
                let mut end = (start + len).min(total);
                while !text.is_char_boundary(end) { end -= 1; }
                pending.apply(TextRange::new(start as u32, end as u32), insert);
            }
            let final_text = pending.text.to_string_lossless();
            let burst = pending.into_document(&base);
            let fresh = Document::new(&final_text);
            prop_assert_eq!(burst.text.to_string_lossless(), final_text);
            prop_assert_eq!(shape(&burst), shape(&fresh));
        }
    }

    /// Range ends inside a character (a confused client's) move back to its start, in the
    /// text and in the regions re-parsed, edit by edit and in a burst. Found by the `edit`
    /// fuzz target: the snapshot's text lost the inserted character.
    #[test]
    fn ranges_inside_a_character_move_to_its_start() {
        let name = BASE.find("开始\n").unwrap() as u32;
        // Inside 开, then from inside 开 to inside 始; then an edit after them.
        let edits = [(name + 1, name + 1, "x"), (name + 2, name + 5, "视"), (name + 40, name + 41, "y")];
        let mut expected = BASE.to_string();
        let mut one_by_one = Document::new(BASE);
        let mut pending = Pending::new(&one_by_one);
        let base = one_by_one.clone();
        for (s, e, insert) in edits {
            let floor = |mut at: usize, text: &str| {
                at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            let (fs, fe) = (floor(s as usize, &expected), floor(e as usize, &expected));
            expected.replace_range(fs..fe.max(fs), insert);
            one_by_one = one_by_one.edit(TextRange::new(s, e), insert);
            pending.apply(TextRange::new(s, e), insert);
        }
        let burst = pending.into_document(&base);
        let fresh = Document::new(&expected);
        for doc in [&one_by_one, &burst] {
            assert_eq!(doc.text.to_string_lossless(), expected);
            assert_eq!(shape(doc), shape(&fresh));
        }
    }
}
