//! Where the run is, as a scope key, and when a step ends.
//!
//! One thread, with scopes in the stack: the interpreter runs one state at a time on a
//! virtual clock, so a branch or an iteration is a place in the stack, not a thread. A key
//! names the scope instance a state runs in: the path of Parallel branches, Map iterations
//! and legacy choice branches, with the sub-flows entered on the way. Every pause of the
//! run (before a state, after it, where it fails) is judged against the step under way:
//! - next: the next pause in this scope instance, or in an enclosing one once this one
//!   ended (so a Parallel's or a Map's own children are stepped over);
//! - step in: the same, or the first pause inside the state being run (a branch, an
//!   iteration, a sub-flow);
//! - step out: the first pause in an enclosing scope (after the Parallel or Map around,
//!   or after the Task that ran the sub-flow).

use std::sync::Arc;

use crate::dryrun::PathSegment;

/// One level of a key.
#[derive(Clone, Debug, PartialEq)]
pub enum Seg {
    /// A Parallel branch, Map iteration or legacy choice branch.
    Scope(PathSegment),
    /// A sub-flow started by the named Task.
    Subflow(Arc<str>),
}

impl Seg {
    /// The state whose scope this is.
    pub fn state(&self) -> &str {
        match self {
            Seg::Scope(p) => &p.state,
            Seg::Subflow(s) => s,
        }
    }
}

pub type Key = Vec<Seg>;

/// The step under way.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Step {
    /// Continue: stop only at breakpoints, exceptions, or a pause request.
    #[default]
    Run,
    Next(Key),
    In {
        key: Key,
        state: Arc<str>,
    },
    Out(Key),
}

fn strictly_encloses(outer: &[Seg], inner: &[Seg]) -> bool {
    outer.len() < inner.len() && inner.starts_with(outer)
}

impl Step {
    /// Whether a pause at `key` ends the step.
    pub fn ends_at(&self, key: &[Seg]) -> bool {
        match self {
            Step::Run => false,
            Step::Next(k) => key == k.as_slice() || strictly_encloses(key, k),
            Step::In { key: k, state } => {
                key == k.as_slice()
                    || strictly_encloses(key, k)
                    || (strictly_encloses(k, key) && key[k.len()].state() == &**state)
            }
            Step::Out(k) => strictly_encloses(key, k),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(state: &str, branch: Option<u32>, iteration: Option<u32>) -> Seg {
        Seg::Scope(PathSegment { state: Arc::from(state), branch, iteration, choice: None })
    }

    #[test]
    fn steps_end_in_this_scope_an_enclosing_one_or_inside_the_state() {
        let top: Key = vec![];
        let branch0 = vec![scope("P", Some(0), None)];
        let branch1 = vec![scope("P", Some(1), None)];
        let item3 = vec![scope("P", Some(0), None), scope("M", None, Some(3))];
        let sub = vec![scope("P", Some(0), None), Seg::Subflow(Arc::from("Call"))];
        let keys =
            [("top", &top), ("branch0", &branch0), ("branch1", &branch1), ("item3", &item3), ("sub", &sub)];
        let steps = [
            ("next in branch0", Step::Next(branch0.clone())),
            ("in at M in branch0", Step::In { key: branch0.clone(), state: Arc::from("M") }),
            ("in at Call in branch0", Step::In { key: branch0.clone(), state: Arc::from("Call") }),
            ("out of item3", Step::Out(item3.clone())),
            ("out of top", Step::Out(top.clone())),
            ("run", Step::Run),
        ];
        let out: Vec<String> = steps
            .iter()
            .map(|(name, step)| {
                let ends: Vec<&str> = keys.iter().filter(|(_, k)| step.ends_at(k)).map(|(n, _)| *n).collect();
                format!("{name}: {}", ends.join(" "))
            })
            .collect();
        expect_test::expect![[r#"
            next in branch0: top branch0
            in at M in branch0: top branch0 item3
            in at Call in branch0: top branch0 sub
            out of item3: top branch0
            out of top: 
            run: "#]]
        .assert_eq(&out.join("\n"));
    }
}
