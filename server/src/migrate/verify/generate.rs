//! Cases drawn for a flow: inputs whose keys are the field names its expressions read
//! (with values of every JSON kind, or none), and for every task a few mocked outcomes in
//! a row: results (objects with those names), the errors its Retry and Catch rules name,
//! other errors, callbacks for callback tasks, and latencies. Seeded, so a case is
//! reproducible from its seed.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Case;
use crate::dryrun::data::Data;
use crate::dryrun::mocks::{MockSpec, Outcome, Response};
use crate::dryrun::program::{CompiledExpr, Kind, Mode, Program, Template, WaitDef};
use crate::dryrun::{ErrorInfo, Mocks};
use crate::expr::{ExprKind, Random};

/// What the flow reads and raises, so that generated data hits its branches.
struct Vocabulary {
    /// Field names read by expressions.
    fields: Vec<String>,
    /// Names of collections that foreach steps (Maps) iterate.
    collections: Vec<String>,
    /// Error names of Retry/Catch rules and Fail states.
    errors: Vec<String>,
    /// String constants compared against (`"ready"`).
    strings: Vec<String>,
    /// Numbers compared against (`-1`, `4000`).
    numbers: Vec<i64>,
}

fn vocabulary(program: &Program) -> Vocabulary {
    let mut v = Vocabulary {
        fields: Vec::new(),
        collections: Vec::new(),
        errors: Vec::new(),
        strings: Vec::new(),
        numbers: Vec::new(),
    };
    let mut exprs: Vec<&CompiledExpr> = Vec::new();
    let mut templates: Vec<&Template> = Vec::new();
    templates.extend(program.flow_input.iter());
    templates.extend(program.flow_output.iter());
    for s in &program.states {
        templates.extend(s.input.iter().chain(&s.output).chain(&s.error_mappings));
        for rule in &s.retry {
            v.errors.extend(rule.errors.iter().map(|e| e.to_string()));
        }
        for rule in &s.catch {
            v.errors.extend(rule.errors.iter().map(|e| e.to_string()));
        }
        match &s.kind {
            Kind::Task(t) => templates.extend(t.parameters.iter()),
            Kind::Choice(c) => exprs.extend(c.branches.iter().map(|b| &b.condition)),
            Kind::Foreach(f) => {
                if let Some(c) = &f.collection {
                    exprs.push(c);
                    if let Ok(tree) = &c.parsed
                        && let ExprKind::Member { name, .. } = &tree.kind
                    {
                        v.collections.push(name.clone());
                    }
                }
            }
            Kind::Map(m) => exprs.extend(m.items.iter()),
            Kind::Wait(WaitDef::SecondsExpr(e) | WaitDef::TimestampExpr(e)) => exprs.push(e),
            Kind::Fail { code, .. } if !code.is_empty() => v.errors.push(code.to_string()),
            _ => {}
        }
    }
    while let Some(t) = templates.pop() {
        match t {
            Template::Expr(e) => exprs.push(e),
            Template::Object(entries) => templates.extend(entries.iter().map(|(_, t)| t)),
            Template::Array(items) => templates.extend(items.iter()),
            Template::Const(_) => {}
        }
    }
    for e in exprs {
        let Ok(tree) = &e.parsed else { continue };
        for node in tree.walk() {
            match &node.kind {
                ExprKind::Member { name, .. } => v.fields.push(name.clone()),
                ExprKind::String(s, _) => v.strings.push(s.clone()),
                ExprKind::Number(n) => {
                    if let Some(i) = n.as_i64() {
                        // `-1` is a negation of `1`: both are useful.
                        v.numbers.extend([i, -i]);
                    }
                }
                _ => {}
            }
        }
    }
    for list in [&mut v.fields, &mut v.collections, &mut v.errors, &mut v.strings] {
        list.sort();
        list.dedup();
    }
    v.numbers.sort_unstable();
    v.numbers.dedup();
    v.errors.retain(|e| e != "FnF.ALL");
    v
}

struct Draw<'v> {
    random: Random,
    vocabulary: &'v Vocabulary,
}

impl Draw<'_> {
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.random.next_u64() % n }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'s>(&mut self, list: &'s [String]) -> Option<&'s String> {
        (!list.is_empty()).then(|| &list[self.below(list.len() as u64) as usize])
    }

    fn string(&mut self) -> Value {
        let strings = &self.vocabulary.strings;
        if self.chance(60)
            && let Some(s) = self.pick(strings)
        {
            return Value::from(s.as_str());
        }
        let pool = ["", "a", "ready", "true", "x-1", "2019-05-02T15:04:05Z"];
        Value::from(pool[self.below(pool.len() as u64) as usize])
    }

    fn value(&mut self, depth: u32) -> Value {
        let kinds = if depth >= 2 { 5 } else { 7 };
        match self.below(kinds) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(50)),
            2 => Value::from(self.below(12) as i64 - 1),
            3 => self.string(),
            4 if !self.vocabulary.numbers.is_empty() && self.chance(60) => {
                let numbers = &self.vocabulary.numbers;
                Value::from(numbers[self.below(numbers.len() as u64) as usize])
            }
            4 => Value::from(self.below(7000) as i64),
            5 => self.object(depth + 1),
            _ => Value::Array((0..self.below(3)).map(|_| self.value(depth + 1)).collect()),
        }
    }

    fn object(&mut self, depth: u32) -> Value {
        let mut map = Map::new();
        let fields = &self.vocabulary.fields;
        let n = self.below(5);
        for _ in 0..n {
            let Some(key) = self.pick(fields).cloned() else { break };
            let value = self.field(&key, depth + 1);
            map.insert(key, value);
        }
        if self.chance(20) {
            map.insert("extra".into(), self.value(depth + 1));
        }
        Value::Object(map)
    }

    /// A value for a field: what a foreach iterates is always an array. (A missing
    /// collection is a documented difference: legacy ran no iteration, a Map fails.)
    fn field(&mut self, key: &str, depth: u32) -> Value {
        if self.vocabulary.collections.iter().any(|c| c == key) {
            Value::Array((0..self.below(4)).map(|_| self.value(depth.max(1))).collect())
        } else {
            self.value(depth)
        }
    }

    fn input(&mut self) -> Value {
        let mut map = Map::new();
        for field in self.vocabulary.fields.clone() {
            let collection = self.vocabulary.collections.contains(&field);
            if collection || self.chance(55) {
                let value = self.field(&field, 0);
                map.insert(field, value);
            }
        }
        Value::Object(map)
    }

    fn error(&mut self) -> ErrorInfo {
        let errors = &self.vocabulary.errors;
        match self.pick(errors) {
            Some(e) if self.chance(75) => ErrorInfo::new(e.as_str(), "generated"),
            _ => ErrorInfo::new("Custom.Error", "generated"),
        }
    }

    /// A task's result: any fields, and always the collections (a result is often what a
    /// later foreach iterates, through mappings that give `null` for a missing field).
    fn result(&mut self) -> Value {
        let mut map = Map::new();
        for field in self.vocabulary.fields.clone() {
            let collection = self.vocabulary.collections.contains(&field);
            if collection || self.chance(35) {
                let value = self.field(&field, 1);
                map.insert(field, value);
            }
        }
        Value::Object(map)
    }

    fn response(&mut self, callback: bool) -> Response {
        let outcome = match (self.chance(70), callback) {
            (true, false) => Outcome::Return(Data::new(self.result())),
            (false, false) => Outcome::Throw(self.error()),
            (true, true) => Outcome::CallbackSucceed(Data::new(self.result())),
            (false, true) => Outcome::CallbackFail(self.error()),
        };
        let delay = if self.chance(20) { self.below(5) as f64 + 1.0 } else { 0.0 };
        Response { outcome, delay }
    }
}

/// Case `seed` for a legacy flow.
pub fn generate(legacy: &Program, seed: u64) -> Case {
    let vocabulary = vocabulary(legacy);
    let mut draw = Draw {
        random: Random::seeded(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED),
        vocabulary: &vocabulary,
    };
    let input = draw.input();
    let mut states: HashMap<String, MockSpec> = HashMap::new();
    for s in &legacy.states {
        let Kind::Task(task) = &s.kind else { continue };
        if states.contains_key(&*s.name) {
            continue;
        }
        let callback = task.mode == Mode::CustomCallback;
        let n = 1 + draw.below(3) as u32;
        let list = (0..n).map(|i| (i, i, draw.response(callback))).collect();
        states.insert(s.name.to_string(), MockSpec::PerInvocation(list));
    }
    Case { input, mocks: Mocks { states, actions: HashMap::new() }, seed }
}

/// Only an input, for a run with the user's mocks.
pub fn generate_input(legacy: &Program, seed: u64) -> Value {
    let vocabulary = vocabulary(legacy);
    let mut draw = Draw { random: Random::seeded(seed ^ 0x1_0000_0001), vocabulary: &vocabulary };
    draw.input()
}
