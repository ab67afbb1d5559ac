//! Step lists to CloudFlow scopes: names, transitions and the states that the implicit
//! order of `steps` needs made explicit.
//!
//! A legacy list runs in order; its end (`end: true`, a `succeed`, falling off the last
//! step) ends its scope. Parallel branches and foreach bodies become their own scopes; the
//! steps of a choice branch join the choice's scope, ending at a joining state that hands
//! the branch's local on and goes where the legacy choice went next.

use std::collections::{HashMap, HashSet};

use super::comments::Comments;
use super::rewrite::{member, var};
use super::yaml::{Entry, Item, Yaml};
use super::{MigrateOptions, Migration, Note, Origin, OutputShape};
use crate::analysis::model::{Flow, State, TransitionKind};
use crate::expr::Expr;
use crate::syntax::{Node, SourceText, SyntaxTree, TextRange};

/// Where a step list runs, and so what its states receive and carry.
#[derive(Clone, Copy, Debug)]
pub(super) struct Frame {
    /// The flow's own list: its end is the flow's output.
    pub top: bool,
    /// How many `parent` envelopes the states carry (choice branches inside choice branches).
    pub depth: usize,
}

/// What the end of a step list (or a step's `end: true`) leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Exit {
    /// The end of the CloudFlow scope.
    End,
    /// A state of the same scope (a choice branch's steps end at the joining state).
    State(String),
}

/// How the first state of a scope builds the envelope from what it receives.
#[derive(Clone, Debug)]
pub(super) struct EntryFrom {
    /// The legacy input of the list, over the raw `$Input` the first state receives.
    pub input: Expr,
    /// A choice branch: the choice's frame depth (its envelope becomes `parent`).
    pub parent_of: Option<usize>,
}

/// One step list being turned into states.
pub(super) struct ListCx {
    pub frame: Frame,
    /// `None` when the container already hands over an envelope (foreach iterations).
    pub entry: Option<EntryFrom>,
    pub exit: Exit,
    /// Names the states the migration adds for this list (`Start`, `name.branch0.start`).
    pub label: String,
}

/// What one step is translated with.
pub(super) struct StepCx<'l> {
    pub frame: Frame,
    pub entry: Option<EntryFrom>,
    /// Where the step goes when it is done (its list's next step, or the list's exit).
    pub exit: Exit,
    /// Where the step's list ends (a `succeed` in a choice branch goes there).
    pub list_exit: Exit,
    pub by_name: &'l HashMap<String, String>,
    pub name: String,
}

/// The states of one CloudFlow scope, in the order they are printed.
#[derive(Default)]
pub(super) struct Scope {
    pub states: Vec<Item>,
    used: HashSet<String>,
}

impl Scope {
    /// `base`, or `base (2)`, … : a name no state of the scope has.
    pub fn unique(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base} ({n})");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }
}

pub(super) struct Builder<'f, 'a> {
    pub flow: &'f Flow<'a>,
    pub text: &'f SourceText,
    pub comments: Comments,
    pub notes: Vec<Note>,
    pub origins: Vec<Origin>,
    pub flow_name: String,
    /// The legacy name of the step being translated, when its state has another name.
    pub step_name: Option<String>,
    pub output: OutputShape,
    /// Notes made before their state exists (renames), by the legacy step's offset.
    pub pending: HashMap<u32, Vec<String>>,
    /// Notes made while the current state is built; they go above it.
    pub here: Vec<String>,
    pub known: Vec<super::KnownDifference>,
    /// The keys of the flow's `$local` step by step.
    pub keys: super::keys::Analysis,
    /// Whether to build the output key by key where the keys are known.
    pub exact_output: bool,
    /// Whether some end of the flow built its output key by key.
    pub spread: bool,
    unnamed: usize,
}

impl<'f, 'a> Builder<'f, 'a> {
    pub fn new(
        flow: &'f Flow<'a>,
        text: &'f SourceText,
        tree: &'f SyntaxTree,
        options: &MigrateOptions,
    ) -> Builder<'f, 'a> {
        let written = flow.get_str(flow.root(), "name").map(|(n, _)| n.to_string());
        let flow_name = written.or_else(|| options.flow_name.clone()).unwrap_or_else(|| "flow".to_string());
        Builder {
            flow,
            text,
            comments: Comments::new(text, tree),
            notes: Vec::new(),
            origins: Vec::new(),
            flow_name,
            step_name: None,
            output: OutputShape::Same,
            pending: HashMap::new(),
            here: Vec::new(),
            known: Vec::new(),
            keys: super::keys::Analysis::default(),
            exact_output: true,
            spread: false,
            unnamed: 0,
        }
    }

    /// What `$context.flow.name` and `$context.step.name` are in the expressions of the step
    /// being translated.
    pub fn names(&self) -> super::rewrite::Names {
        super::rewrite::Names { flow: self.flow_name.clone(), step: self.step_name.clone() }
    }

    /// Records a note; the returned line is its `# fdl-migrate:` comment.
    pub fn note(
        &mut self,
        code: &'static str,
        message: String,
        range: TextRange,
        state: Option<&str>,
    ) -> String {
        let comment = format!(" fdl-migrate: {message}");
        self.notes.push(Note { code, message, range, state: state.map(str::to_string) });
        comment
    }

    pub fn line(&self, offset: u32) -> u32 {
        self.text.line_of(offset)
    }

    /// The migration, and whether some ends of the flow built the legacy output key by key
    /// while others could not (then it must run again without `exact_output`: one shape
    /// for every end).
    pub fn run(mut self) -> (Migration, bool) {
        let flow = self.flow;
        let root = flow.root();
        let top_steps = flow.top_scope().states();
        let _ = self.keys.list(flow, &top_steps);
        let steps_key = flow.get(root, "steps").map(|e| e.key.range().start).unwrap_or(root.range().end);
        let states_before = self.comments.before(steps_key);
        let mut header = self.comments.rest_before(steps_key);
        let name = self.checked_name(&mut header);
        let mut scope = Scope::default();
        let frame = Frame { top: true, depth: 0 };
        let entry = EntryFrom { input: var("$Input"), parent_of: None };
        let cx = ListCx { frame, entry: Some(entry), exit: Exit::End, label: "Start".into() };
        let start = match self.list(&mut scope, top_steps, &cx) {
            Some(start) => start,
            None => {
                // An empty legacy flow succeeds with an empty output.
                let name = scope.unique("Start");
                let mut entries = vec![Entry::text("Type", "Pass"), Entry::text("Name", &name)];
                let output = self.flow_output(member(var("$Input"), "input"), super::data::LocalOut::empty());
                entries.push(Entry::new("OutputConstructor", Yaml::map(output)));
                entries.push(Entry::new("End", Yaml::Scalar("true".into())));
                scope.states.push(Item::new(Yaml::map(entries)));
                self.origins.push(Origin { name: name.clone(), legacy: None, task: None });
                name
            }
        };
        let mut doc = vec![
            Entry::text("Type", "StateMachine"),
            Entry::text("SpecVersion", "v1"),
            Entry::text("Name", &name),
            Entry::text("StartAt", &start),
        ];
        if let Some(e) = flow.get(root, "timeoutSeconds") {
            let value = crate::dryrun::literal::to_json(flow, e.value);
            let mut entry = Entry::new("Timeout", Yaml::json(&value));
            entry.trailing = self.comments.after(self.line(e.key.range().start));
            doc.push(entry);
        }
        let mut states = Entry::new("States", Yaml::Seq(scope.states));
        states.before = states_before;
        doc.push(states);
        let mixed = self.spread && self.output == OutputShape::UnderLocal;
        if self.output == OutputShape::UnderLocal {
            let message = "the legacy flow's output was its `$local`, the outputs of its steps merged; CloudFlow constructors cannot spread an object whose keys are only known at run time, so this flow outputs it under `local`: callers read `local` now".to_string();
            header.push(self.note("output-under-local", message, root.range(), None));
        }
        let footer = self.comments.rest();
        let mut text = super::yaml::print(&Yaml::Map(doc), &header);
        for line in footer {
            text.push('#');
            text.push_str(&line);
            text.push('\n');
        }
        self.notes.sort_by_key(|n| n.range.start);
        let migration = Migration {
            text,
            name,
            notes: self.notes,
            states: self.origins,
            output: self.output,
            known: self.known,
        };
        (migration, mixed)
    }

    /// The flow's name, made a valid CloudFlow flow name if it is not one.
    fn checked_name(&mut self, header: &mut Vec<String>) -> String {
        let name = self.flow_name.clone();
        let written = self.flow.get(self.flow.root(), "name");
        let valid = name.len() <= 128
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let placeholder =
            !crate::templates::placeholder::find(&name, &crate::templates::Syntaxes::ALL).is_empty();
        let range = written.map_or(TextRange::empty(self.flow.root().range().start), |e| e.value.range());
        if valid || placeholder {
            if written.is_none() {
                // Legacy flows are named by the API; CloudFlow's `Name` must say the same.
                let message = format!(
                    "the legacy definition has no `name`; the flow is named `{name}` here: `Name` must be the flow's name in CloudFlow"
                );
                header.push(self.note("flow-name", message, range, None));
            }
            return name;
        }
        let mut fixed: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .take(127)
            .collect();
        if !fixed.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            fixed.insert(0, '_');
        }
        let message = format!(
            "`{name}` is not a valid CloudFlow flow name (letters, digits, `_` and `-`, starting with a letter or `_`); the flow is named `{fixed}` here: `Name` must be the flow's name in CloudFlow"
        );
        header.push(self.note("flow-name", message, range, None));
        self.flow_name = fixed.clone();
        fixed
    }

    /// Turns a step list into states of `scope`; the name of its first state.
    pub fn list(&mut self, scope: &mut Scope, steps: Vec<State<'f, 'a>>, cx: &ListCx) -> Option<String> {
        if steps.is_empty() {
            return None;
        }
        // Names first, so that transitions can name later steps and nested lists get
        // renamed around them.
        let mut names = Vec::with_capacity(steps.len());
        let mut by_name: HashMap<String, String> = HashMap::new();
        for step in &steps {
            let name = self.step_name(scope, step);
            if let Some((legacy, _)) = step.name() {
                by_name.entry(legacy.to_string()).or_insert_with(|| name.clone());
            }
            names.push(name);
        }
        let mut targets: HashSet<&str> = HashSet::new();
        for step in &steps {
            for t in step.transitions() {
                if matches!(t.kind, TransitionKind::Branch | TransitionKind::Default | TransitionKind::Catch)
                {
                    targets.insert(t.target);
                }
            }
        }
        let first_legacy = steps[0].name().map(|(n, _)| n);
        let flow_inputs = cx.frame.top && self.flow.get(self.flow.root(), "inputMappings").is_some();
        // The first state builds the envelope in its InputConstructor, with the step's
        // inputMappings; if those fail and a Catch takes the error, the Catch sees the raw
        // input instead of the envelope. Such a step gets a start state of its own.
        let first = steps[0].node;
        let caught = self.flow.get(first, "inputMappings").is_some()
            && (self.flow.get(first, "catch").is_some() || self.flow.get(first, "retry").is_some());
        let mut entry = cx.entry.clone();
        let mut start = names[0].clone();
        if let Some(from) = &cx.entry
            && (first_legacy.is_some_and(|n| targets.contains(n)) || flow_inputs || caught)
        {
            start = self.start_state(scope, &cx.label, from, cx.frame, &names[0]);
            entry = None;
        }
        for (i, step) in steps.iter().enumerate() {
            let exit = if self.flow.get_bool(step.node, "end") {
                cx.exit.clone()
            } else {
                names.get(i + 1).map_or_else(|| cx.exit.clone(), |n| Exit::State(n.clone()))
            };
            let step_cx = StepCx {
                frame: cx.frame,
                entry: if i == 0 { entry.take() } else { None },
                exit,
                list_exit: cx.exit.clone(),
                by_name: &by_name,
                name: names[i].clone(),
            };
            let before = scope.states.len();
            // `$context.step.name` is the legacy name, also where the state has another.
            self.step_name = step.name().map(|(n, _)| n.to_string()).filter(|n| *n != names[i]);
            super::steps::step(self, scope, step, &step_cx);
            // Comments inside the step that found no place go above its state.
            let rest = self.comments.rest_in(step.node.range());
            if let Some(Item { value: Yaml::Map(entries), .. }) = scope.states.get_mut(before)
                && let Some(first) = entries.first_mut()
            {
                first.before.extend(rest);
            }
        }
        Some(start)
    }

    /// The name of a step's state: its legacy name unless the scope has it already.
    fn step_name(&mut self, scope: &mut Scope, step: &State<'f, 'a>) -> String {
        let Some((legacy, node)) = step.name() else {
            self.unnamed += 1;
            let name = scope.unique(&format!("unnamed step {}", self.unnamed));
            let message = format!("the step has no `name`; its state is called `{name}`");
            let comment = self.note("renamed", message, step.node.range(), Some(&name));
            self.pending_before(step.node, comment);
            return name;
        };
        let name = scope.unique(legacy);
        if name != legacy {
            let message = format!(
                "CloudFlow keeps a choice branch's steps in the choice's scope, where `{legacy}` is taken; this state is `{name}`"
            );
            let comment = self.note("renamed", message, node.range(), Some(&name));
            self.pending_before(step.node, comment);
        }
        name
    }

    /// Notes found before a state exists, kept until it is built.
    fn pending_before(&mut self, node: Node<'a>, comment: String) {
        self.pending.entry(node.range().start).or_default().push(comment);
    }
}
