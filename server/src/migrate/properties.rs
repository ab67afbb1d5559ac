//! Properties of the migration on generated legacy flows (every step type, nested choice
//! branches with their own steps and jumps, parallel branches, foreach bodies, mappings
//! over `$input`, `$local` and constants, retry, catch with errorMappings, `end: true`,
//! names repeated across lists): the migration never fails on them, the migrated text
//! has no YAML error and no checker error the legacy flow does not have, and for
//! generated inputs and mock outcomes both flows run alike.

use proptest::prelude::*;

use super::*;
use crate::analysis::{CheckOptions, Severity};
use crate::dryrun::{Limits, NoLoader, Options};
use crate::expr::Random;
use crate::syntax::PositionEncoding;

const SOURCES: &[&str] = &[
    "$.n",
    "$input.xs",
    "$local.v",
    "$input",
    "$local",
    "$.s",
    "1",
    "\"a\"",
    "[1, 2]",
    "{\"a\": 1}",
    "$context.step.name",
    "$context.execution.name",
    "$input.xs[0]",
];
const CONDITIONS: &[&str] =
    &["$.n > 1", "$.flag", "$.s == \"a\"", "$.v != null", "$.n <= $.m", "$.flag && $.n >= 2", "!$.flag"];
const ERRORS: &[&str] = &["FnF.ALL", "FC.Unknown", "E1", "FnF.TaskTimeout"];
const TARGETS: &[&str] = &[
    "acs:fc:::services/s/functions/f",
    "acs:fnf:::flow/child",
    "acs:mns:::/topics/t/messages",
    "acs:mns:::/queues/q/messages",
];

/// Writes a random legacy flow.
struct Gen {
    random: Random,
    next_name: usize,
}

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        (self.random.next_u64() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'s>(&mut self, list: &[&'s str]) -> &'s str {
        list[self.below(list.len())]
    }

    fn mappings(&mut self, key: &str, pad: &str, targets: &[&str]) -> String {
        let mut out = format!("{pad}{key}:\n");
        // Steps inside read `$.xs` as their foreach collection: pass it on (a missing
        // collection is a documented difference: legacy ran no iteration, a Map fails).
        if key == "inputMappings" {
            out.push_str(&format!("{pad}  - target: xs\n{pad}    source: $input.xs\n"));
        }
        for _ in 0..1 + self.below(2) {
            let target = self.pick(targets);
            let source = self.pick(SOURCES);
            out.push_str(&format!("{pad}  - target: {target}\n{pad}    source: {source}\n"));
        }
        out
    }

    /// A list of steps at `depth`, indented by `pad`.
    fn list(&mut self, depth: usize, pad: &str) -> String {
        let n = 1 + self.below(if depth == 0 { 5 } else { 3 });
        // Names repeat across lists now and then (a choice's steps share its scope).
        let names: Vec<String> = (0..n)
            .map(|_| {
                self.next_name += 1;
                if self.chance(10) { "x".to_string() } else { format!("s{}", self.next_name) }
            })
            .collect();
        let mut names = names;
        names.dedup();
        let mut out = String::new();
        for (i, name) in names.iter().enumerate() {
            let goto = |g: &mut Gen| names[g.below(names.len())].clone();
            let inner = format!("{pad}  ");
            let mut step = format!("{pad}- name: {name}\n");
            let kind = if depth >= 2 { self.below(5) } else { self.below(8) };
            match kind {
                0 => step.push_str(&format!("{inner}type: pass\n")),
                1 => {
                    step.push_str(&format!(
                        "{inner}type: task\n{inner}resourceArn: {}\n",
                        self.pick(TARGETS)
                    ));
                    if self.chance(30) {
                        let pattern = self.pick(&["sync", "waitForCallback", "requestResponse"]);
                        step.push_str(&format!("{inner}pattern: {pattern}\n"));
                    }
                    if self.chance(40) {
                        // Not `FnF.ALL`: a retry after an inputMappings error is where the
                        // dry run's dialects part (see README, "Migrating legacy flows").
                        step.push_str(&format!(
                            "{inner}retry:\n{inner}  - errors: [{}]\n{inner}    maxAttempts: {}\n",
                            self.pick(&ERRORS[1..]),
                            self.below(3)
                        ));
                    }
                    if self.chance(40) {
                        let target = goto(self);
                        step.push_str(&format!(
                            "{inner}catch:\n{inner}  - errors: [{}]\n{inner}    goto: {target}\n",
                            self.pick(ERRORS)
                        ));
                        if self.chance(50) {
                            step.push_str(&format!(
                                "{inner}errorMappings:\n{inner}  - target: v\n{inner}    source: $local.{}\n",
                                self.pick(&["error", "cause"])
                            ));
                        }
                    }
                }
                2 => step.push_str(&format!(
                    "{inner}type: wait\n{inner}duration: {}\n",
                    self.pick(&["1", "$.n", "400"])
                )),
                3 => step.push_str(&format!("{inner}type: succeed\n")),
                4 => step.push_str(&format!("{inner}type: fail\n{inner}error: {}\n", self.pick(ERRORS))),
                5 => {
                    step.push_str(&format!("{inner}type: choice\n{inner}choices:\n"));
                    for _ in 0..1 + self.below(2) {
                        step.push_str(&format!("{inner}  - condition: '{}'\n", self.pick(CONDITIONS)));
                        if self.chance(50) {
                            step.push_str(&format!(
                                "{inner}    steps:\n{}",
                                self.list(depth + 1, &format!("{inner}      "))
                            ));
                        }
                        if self.chance(50) {
                            let target = goto(self);
                            step.push_str(&format!("{inner}    goto: {target}\n"));
                        }
                    }
                    if self.chance(50) {
                        step.push_str(&format!("{inner}default:\n"));
                        if self.chance(50) {
                            step.push_str(&format!(
                                "{inner}  steps:\n{}",
                                self.list(depth + 1, &format!("{inner}    "))
                            ));
                        }
                        let target = goto(self);
                        step.push_str(&format!("{inner}  goto: {target}\n"));
                    }
                }
                6 => {
                    step.push_str(&format!("{inner}type: parallel\n{inner}branches:\n"));
                    let branches = 1 + self.below(2);
                    for _ in 0..branches {
                        step.push_str(&format!(
                            "{inner}  - steps:\n{}",
                            self.list(depth + 1, &format!("{inner}      "))
                        ));
                    }
                    if self.chance(60) {
                        let source = self.pick(&["$local[*].v", "$local[0]", "$local", "$local[0].v"]);
                        step.push_str(&format!(
                            "{inner}outputMappings:\n{inner}  - target: v\n{inner}    source: {source}\n"
                        ));
                    }
                }
                _ => {
                    step.push_str(&format!("{inner}type: foreach\n{inner}iterationMapping:\n{inner}  collection: $.xs\n{inner}  item: it\n"));
                    if self.chance(30) {
                        step.push_str(&format!("{inner}  index: i\n"));
                    }
                    step.push_str(&format!("{inner}steps:\n{}", self.list(depth + 1, &format!("{inner}  "))));
                    if self.chance(60) {
                        let source = self.pick(&["$local[*].v", "$local", "$local[0].v"]);
                        step.push_str(&format!(
                            "{inner}outputMappings:\n{inner}  - target: v\n{inner}    source: {source}\n"
                        ));
                    }
                }
            }
            if kind != 4 && self.chance(35) {
                step.push_str(&self.mappings("inputMappings", &inner, &["n", "s", "v", "flag"]));
            }
            if kind != 4 && kind != 6 && kind != 7 && self.chance(35) {
                step.push_str(&self.mappings("outputMappings", &inner, &["v", "n", "w"]));
            }
            if kind != 3 && kind != 4 && i + 1 < names.len() && self.chance(10) {
                step.push_str(&format!("{inner}end: true\n"));
            }
            out.push_str(&step);
        }
        out
    }
}

fn legacy_flow(seed: u64) -> String {
    let mut g = Gen { random: Random::seeded(seed), next_name: 0 };
    let mut out = String::from("version: v1\ntype: flow\nname: generated\n");
    if g.chance(20) {
        out.push_str(
            "inputMappings:\n  - target: n\n    source: $input.n\n  - target: xs\n    source: $input.xs\n",
        );
    }
    if g.chance(20) {
        out.push_str(
            "outputMappings:\n  - target: out\n    source: $local.v\n  - target: n\n    source: $input.n\n",
        );
    }
    out.push_str("steps:\n");
    out.push_str(&g.list(0, "  "));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_legacy_flows_migrate_to_equivalent_flows(flow_seed in any::<u64>()) {
        let src = legacy_flow(flow_seed);
        let old_text = SourceText::new(&src);
        let old_tree = SyntaxTree::parse(&old_text);
        prop_assert!(old_tree.errors().is_empty(), "the generator wrote invalid YAML:\n{}", src);
        let m = migrate(&src, &MigrateOptions::default()).map_err(|e| TestCaseError::fail(format!("{e}\n{src}")))?;
        // Mocks are by state name; see `mocks::conflicts`.
        prop_assume!(mocks::conflicts(&m).is_empty());
        let text = SourceText::new(&m.text);
        let tree = SyntaxTree::parse(&text);
        prop_assert!(tree.errors().is_empty(), "YAML errors {:?} in\n{}", tree.errors(), m.text);
        // The same mistake under CloudFlow's name for it.
        fn same(code: &str) -> &str {
            if code == "unsupported-pattern" { "unsupported-task-mode" } else { code }
        }
        let legacy_errors: Vec<&str> = crate::analysis::check(&old_text, &old_tree, &CheckOptions::default())
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| same(d.code.as_str()))
            .collect();
        let new_errors: Vec<String> = crate::analysis::check(&text, &tree, &CheckOptions::default())
            .into_iter()
            // A list whose every path jumps back is an endless loop in both dialects; only
            // CloudFlow's checker says so.
            .filter(|d| d.severity == Severity::Error && !legacy_errors.contains(&d.code.as_str()))
            .filter(|d| d.code.as_str() != "no-terminal-state")
            .map(|d| format!("{}: {}", d.code.as_str(), d.message))
            .collect();
        prop_assert!(new_errors.is_empty(), "{:#?}\n{}\n{}", new_errors, src, m.text);
        let mut legacy = crate::dryrun::lower(&old_text, &old_tree, PositionEncoding::Utf16).expect("legacy");
        let migrated = crate::dryrun::lower(&text, &tree, PositionEncoding::Utf16).expect("migrated");
        verify::reference(&mut legacy, &m);
        let options = Options {
            limits: Limits { max_steps: 200, max_map_items: 20, ..Limits::default() },
            start_time_ms: verify::START_TIME_MS,
            ..Options::default()
        };
        for seed in 0..12 {
            let case = verify::generate(&legacy, seed);
            let c = verify::compare(&legacy, &migrated, &m, &case, &options, &NoLoader);
            // Data that grows round after round meets each dialect's size limit at another
            // round: the limits differ (see `verify::hit_data_limit`).
            if verify::hit_data_limit(&c.legacy) || verify::hit_data_limit(&c.migrated) {
                continue;
            }
            if let Some(d) = c.difference {
                let style = crate::dryrun::render::Style { max_value: 160, color: false };
                return Err(TestCaseError::fail(format!(
                    "case {seed}: {d}\n--- legacy flow\n{src}\n--- migrated flow\n{}\n--- legacy run\n{}\n--- migrated run\n{}",
                    m.text,
                    crate::dryrun::render::human(&c.legacy, style),
                    crate::dryrun::render::human(&c.migrated, style),
                )));
            }
        }
    }
}
