//! Lowering: the typed flow of `analysis::model` (either dialect) to a [`Program`]. Runs
//! once per dry run, so everything the interpreter would otherwise look up per step is
//! settled here: names become indices, expressions are parsed and checked, constructors
//! become templates whose constant parts are ready-made values.
//!
//! Lowering never fails on a broken flow: what cannot run (a `Next` naming no state, an
//! unknown `Type`, an expression with a static error) becomes a value that fails the run
//! when, and only if, the execution gets there.

mod cloudflow;
pub(crate) use cloudflow::flow_name_of_arn;
mod legacy;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use fdl_schema::Dialect;

use super::deploy::DeployVars;
use super::literal;
use super::program::{CompiledExpr, Program, ScopeDef, ScopeId, StateDef, StateId, StaticError, Target};
use super::result::{Pos, Range};
use crate::analysis::model::{Flow, Scope};
use crate::expr::{self, ExprContext, ExprKind, Level, Place};
use crate::syntax::{Node, PositionEncoding, SourceText, SyntaxTree, TextRange};
use crate::templates::Syntaxes;

/// Compiles the flow in `tree`. `Err` only when the document is no flow definition.
pub fn lower(text: &SourceText, tree: &SyntaxTree, encoding: PositionEncoding) -> Result<Program, String> {
    lower_with(text, tree, encoding, Arc::default())
}

/// [`lower`], with values for the flow's deploy-time placeholders.
pub fn lower_with(
    text: &SourceText,
    tree: &SyntaxTree,
    encoding: PositionEncoding,
    deploy: Arc<DeployVars>,
) -> Result<Program, String> {
    let Some(flow) = Flow::new(tree) else {
        return Err("not a flow definition: expected `Type: StateMachine` with `States` (CloudFlow) \
                    or `type: flow` with `steps` (legacy Serverless Workflow)"
            .to_string());
    };
    let syntaxes = crate::analysis::Directives::read(text).placeholders(&Syntaxes::ALL);
    let mut cx = Lowering {
        flow: &flow,
        text,
        encoding,
        states: Vec::new(),
        scopes: Vec::new(),
        unnamed: 0,
        deploy,
        syntaxes,
        unfilled: RefCell::new(Vec::new()),
    };
    let program = match flow.dialect() {
        Dialect::CloudFlow => cloudflow::lower(&mut cx),
        Dialect::Legacy => legacy::lower(&mut cx),
    };
    Ok(program)
}

pub(super) struct Lowering<'f, 'a> {
    pub flow: &'f Flow<'a>,
    pub text: &'f SourceText,
    pub encoding: PositionEncoding,
    /// Filled in two passes: ids are handed out for a whole scope first, so that
    /// transitions can name states further down.
    pub states: Vec<Option<StateDef>>,
    pub scopes: Vec<ScopeDef>,
    unnamed: usize,
    deploy: Arc<DeployVars>,
    syntaxes: Syntaxes,
    /// Placeholders met without a value, and the node they were in.
    unfilled: RefCell<Vec<(String, TextRange)>>,
}

/// The states of one scope, with their ids and names.
pub(super) struct ScopeStates<'f, 'a> {
    pub id: ScopeId,
    pub states: Vec<(StateId, crate::analysis::model::State<'f, 'a>, Arc<str>)>,
    pub by_name: HashMap<Arc<str>, StateId>,
}

impl<'f, 'a> Lowering<'f, 'a> {
    pub fn range(&self, span: TextRange) -> Range {
        let pos = |offset| {
            let p = self.text.position(offset, self.encoding);
            Pos { line: p.line, character: p.character }
        };
        Range { start: pos(span.start), end: pos(span.end) }
    }

    /// Hands out ids for the states of `scope` (in list order) and registers the scope.
    pub fn open_scope(&mut self, scope: &Scope<'f, 'a>, owner: Option<StateId>) -> ScopeStates<'f, 'a> {
        let id = self.scopes.len() as ScopeId;
        self.scopes.push(ScopeDef { owner, start: Target::Missing, states: Vec::new() });
        let mut states = Vec::new();
        let mut by_name = HashMap::new();
        for state in scope.states() {
            let sid = self.states.len() as StateId;
            self.states.push(None);
            let name: Arc<str> = match state.name() {
                Some((n, _)) => Arc::from(n),
                None => {
                    self.unnamed += 1;
                    Arc::from(format!("(unnamed state {})", self.unnamed))
                }
            };
            // The first of two states with one name wins, as `Next` would find it.
            by_name.entry(Arc::clone(&name)).or_insert(sid);
            states.push((sid, state, name));
        }
        self.scopes[id as usize].states = states.iter().map(|(sid, _, _)| *sid).collect();
        ScopeStates { id, states, by_name }
    }

    pub fn finish(&mut self, dialect: Dialect, fill: impl FnOnce(&mut Program)) -> Program {
        let states = std::mem::take(&mut self.states)
            .into_iter()
            .enumerate()
            .map(|(i, s)| s.unwrap_or_else(|| placeholder(i)))
            .collect();
        let mut unfilled: Vec<(Arc<str>, Range)> = Vec::new();
        for (written, span) in self.unfilled.take() {
            if !unfilled.iter().any(|(w, _)| **w == *written) {
                unfilled.push((Arc::from(written), self.range(span)));
            }
        }
        let mut program = Program {
            dialect,
            name: None,
            states,
            scopes: std::mem::take(&mut self.scopes),
            timeout: None,
            flow_input: None,
            flow_output: None,
            deploy: Arc::clone(&self.deploy),
            unfilled,
        };
        fill(&mut program);
        program
    }

    /// An expression written at `node`, parsed and checked once (its placeholders filled).
    pub fn expr(&self, node: Node<'_>, place: Place) -> CompiledExpr {
        let node = self.flow.resolve(node);
        let source = node.scalar().unwrap_or("");
        let mut left = Vec::new();
        let source = self.deploy.fill_expression(source, &self.syntaxes, &mut left);
        self.note_unfilled(left, node);
        compile_expr(&source, node.value_range(), self.flow.dialect(), place)
    }

    /// The JSON value written at `node`, its placeholders filled.
    pub fn json(&self, node: Node<'_>) -> serde_json::Value {
        let value = literal::to_json(self.flow, node);
        let mut left = Vec::new();
        let value = self.fill(value, &mut left);
        self.note_unfilled(left, node);
        value
    }

    fn fill(&self, value: serde_json::Value, left: &mut Vec<String>) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => self.deploy.fill_string(&s, &self.syntaxes, left),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.fill(v, left)).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, self.fill(v, left))).collect())
            }
            other => other,
        }
    }

    fn note_unfilled(&self, left: Vec<String>, node: Node<'_>) {
        if !left.is_empty() {
            let mut unfilled = self.unfilled.borrow_mut();
            unfilled.extend(left.into_iter().map(|w| (w, node.value_range())));
        }
    }

    /// A number given as a YAML number or a numeric string (`Timeout: "300"`).
    pub fn number(&self, node: Node<'_>) -> Option<f64> {
        match self.json(node) {
            serde_json::Value::Number(n) => n.as_f64(),
            serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|n| n.is_finite())
    }

    pub fn str_list(&self, owner: Node<'a>, key: &str) -> Vec<Arc<str>> {
        self.flow.list(owner, key).into_iter().filter_map(|n| n.scalar()).map(Arc::from).collect()
    }
}

/// Resolves a state name in a scope.
pub(super) fn target(by_name: &HashMap<Arc<str>, StateId>, name: &str) -> Target {
    match by_name.get(name) {
        Some(id) => Target::State(*id),
        None => Target::Unknown(Arc::from(name)),
    }
}

fn placeholder(i: usize) -> StateDef {
    StateDef {
        name: Arc::from(format!("(state {i})")),
        kind: super::program::Kind::Invalid(Arc::from("this state could not be read")),
        scope: 0,
        span: TextRange::empty(0),
        range: Range::default(),
        next: Target::Missing,
        input: None,
        output: None,
        global: None,
        retry: Vec::new(),
        catch: Vec::new(),
        error_mappings: None,
    }
}

/// Parses `source` and applies the static checks of `place`; an error there is what the
/// service would reject, so it becomes the result of evaluating the expression.
pub fn compile_expr(source: &str, span: TextRange, dialect: Dialect, place: Place) -> CompiledExpr {
    let text: Arc<str> = Arc::from(source.trim());
    let parsed = match expr::parse(&text) {
        Err(e) => Err(StaticError { code: "expression-syntax", message: e.message }),
        Ok(tree) => {
            let ctx = ExprContext::new(dialect, place);
            match expr::check::check(&tree, &ctx).into_iter().find(|i| i.level == Level::Error) {
                Some(issue) => Err(StaticError { code: issue.code.as_str(), message: issue.message }),
                None => Ok(tree),
            }
        }
    };
    let reads_context = parsed.as_ref().is_ok_and(reads_context);
    CompiledExpr { text, span, parsed, reads_context }
}

fn reads_context(tree: &expr::Expr) -> bool {
    let mut stack = vec![tree];
    while let Some(e) = stack.pop() {
        if let ExprKind::Variable(name) = &e.kind
            && (name == "$Context" || name == "$context")
        {
            return true;
        }
        stack.extend(e.children());
    }
    false
}
