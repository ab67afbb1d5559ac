//! Migration fixtures: a legacy flow in, the migrated text and its notes out (snapshots),
//! and for every fixture the proof: the migrated flow has no error or warning beyond its
//! notes' subject, and runs like the legacy flow on generated inputs and mock outcomes.

use expect_test::Expect;

use super::*;
use crate::analysis::{CheckOptions, Severity};
use crate::dryrun::{Limits, NoLoader, Options};
use crate::syntax::PositionEncoding;

/// Cases per fixture: each is two dry runs of a few states.
pub(super) const CASES: u64 = 150;

/// Migrates `src`, snapshots the text and the notes, and checks the result.
pub(super) fn check(src: &str, expect: Expect) {
    check_allowing(src, &[], expect)
}

/// [`check`], allowing the diagnostics of `allowed` codes (what a note says).
pub(super) fn check_allowing(src: &str, allowed: &[&str], expect: Expect) {
    let m = migrate(src, &MigrateOptions { flow_name: Some("demo".into()) }).expect("a legacy flow");
    let mut shown = m.text.clone();
    for n in &m.notes {
        shown.push_str(&format!("-- note[{}] at {}: {}\n", n.code, n.range.start, n.message));
    }
    expect.assert_eq(&shown);
    prove(src, &m, allowed);
}

/// The migrated flow is clean (but for diagnostics whose code is in `allowed`, or that
/// the legacy flow has too) and equivalent to the legacy one.
pub(super) fn prove(src: &str, m: &Migration, allowed: &[&str]) {
    let old_text = SourceText::new(src);
    let old_tree = SyntaxTree::parse(&old_text);
    let legacy_codes: Vec<&str> = crate::analysis::check(&old_text, &old_tree, &CheckOptions::default())
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    let text = SourceText::new(&m.text);
    let tree = SyntaxTree::parse(&text);
    let problems: Vec<String> = crate::analysis::check(&text, &tree, &CheckOptions::default())
        .into_iter()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
        .filter(|d| !allowed.contains(&d.code.as_str()) && !legacy_codes.contains(&d.code.as_str()))
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect();
    assert!(problems.is_empty(), "the migrated flow has problems: {problems:#?}\n{}", m.text);
    let mut legacy = crate::dryrun::lower(&old_text, &old_tree, PositionEncoding::Utf16).expect("legacy");
    let migrated = crate::dryrun::lower(&text, &tree, PositionEncoding::Utf16).expect("migrated");
    verify::reference(&mut legacy, m);
    let options = Options {
        limits: Limits { max_steps: 300, ..Limits::default() },
        start_time_ms: verify::START_TIME_MS,
        ..Options::default()
    };
    for seed in 0..CASES {
        let case = verify::generate(&legacy, seed);
        let c = verify::compare(&legacy, &migrated, m, &case, &options, &NoLoader);
        if let Some(d) = c.difference {
            let style = crate::dryrun::render::Style { max_value: 200, color: false };
            panic!(
                "seed {seed}: {d}\n--- legacy\n{}\n--- migrated\n{}\n{}",
                crate::dryrun::render::human(&c.legacy, style),
                crate::dryrun::render::human(&c.migrated, style),
                m.text
            );
        }
    }
}

mod choices;
mod flows;
mod integrations;
mod proof;
mod scopes;
mod waits;
