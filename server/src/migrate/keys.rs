//! Which keys the legacy `$local` of a step list has, step by step: an analysis over the
//! list's steps and jumps. Where the keys are known exactly (no task result merged in
//! whole, the same keys on every path), the flow's output can be built key by key and is
//! then the legacy output itself, not the `local` of an envelope.

use std::collections::{BTreeSet, HashMap};

use crate::analysis::model::{Flow, State};
use crate::syntax::Node;

/// The keys of a `$local`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Keys {
    /// A result whose keys are only known at run time was merged in.
    Unknown,
    /// `must`: on every path; `may`: on some path (in the order they were first set).
    Known { must: BTreeSet<String>, may: Vec<String> },
}

impl Keys {
    pub fn empty() -> Keys {
        Keys::Known { must: BTreeSet::new(), may: Vec::new() }
    }

    fn set(keys: Vec<String>) -> Keys {
        let mut may: Vec<String> = Vec::new();
        for k in keys {
            if !may.contains(&k) {
                may.push(k);
            }
        }
        Keys::Known { must: may.iter().cloned().collect(), may }
    }

    /// After a step added `other`'s keys.
    fn then(&self, other: &Keys) -> Keys {
        match (self, other) {
            (Keys::Known { must: a, may: am }, Keys::Known { must: b, may: bm }) => {
                let mut may = am.clone();
                may.extend(bm.iter().filter(|k| !am.contains(k)).cloned());
                Keys::Known { must: a.union(b).cloned().collect(), may }
            }
            _ => Keys::Unknown,
        }
    }

    /// Where two paths meet.
    fn meet(&self, other: &Keys) -> Keys {
        match (self, other) {
            (Keys::Known { must: a, may: am }, Keys::Known { must: b, may: bm }) => {
                let mut may = am.clone();
                may.extend(bm.iter().filter(|k| !am.contains(k)).cloned());
                Keys::Known { must: a.intersection(b).cloned().collect(), may }
            }
            _ => Keys::Unknown,
        }
    }

    /// The keys, when they are the same on every path.
    pub fn exact(&self) -> Option<Vec<String>> {
        match self {
            Keys::Known { must, may } if must.len() == may.len() => Some(may.clone()),
            _ => None,
        }
    }
}

/// The keys before every step of the analysed lists (by the step's offset), and at the end
/// of every choice branch's steps (by the branch's offset).
#[derive(Default)]
pub(super) struct Analysis {
    pub before: HashMap<u32, Keys>,
    pub arms: HashMap<u32, Keys>,
}

impl Analysis {
    /// Analyses a list (and the branch steps of its choices); the keys at its end.
    pub fn list(&mut self, flow: &Flow<'_>, steps: &[State<'_, '_>]) -> Keys {
        let n = steps.len();
        let index: HashMap<&str, usize> =
            steps.iter().enumerate().filter_map(|(i, s)| s.name().map(|(n, _)| (n, i))).collect();
        let mut before: Vec<Option<Keys>> = vec![None; n];
        let mut exit: Option<Keys> = None;
        if n == 0 {
            return Keys::empty();
        }
        before[0] = Some(Keys::empty());
        let meet = |slot: &mut Option<Keys>, keys: Keys| -> bool {
            let new = match slot.as_ref() {
                Some(old) => old.meet(&keys),
                None => keys,
            };
            let changed = slot.as_ref() != Some(&new);
            *slot = Some(new);
            changed
        };
        // Keys only grow and meet, so this settles; the bound keeps odd input finite.
        let mut work: Vec<usize> = vec![0];
        let mut rounds = 0;
        while let Some(i) = work.pop() {
            rounds += 1;
            if rounds > 64 * n + 64 {
                return Keys::Unknown;
            }
            let Some(b) = before[i].clone() else { continue };
            let step = &steps[i];
            let next = |target: Option<&str>| -> Option<usize> {
                match target {
                    Some(t) => index.get(t).copied(),
                    None if flow.get_bool(step.node, "end") => None,
                    None => (i + 1 < n).then_some(i + 1),
                }
            };
            let mut edges: Vec<(Option<usize>, Keys)> = Vec::new();
            match step.ty().map(|(t, _)| t) {
                Some("fail") => {}
                Some("succeed") => {
                    exit = Some(match exit {
                        Some(e) => e.meet(&b.then(&out(flow, step.node))),
                        None => b.then(&out(flow, step.node)),
                    });
                }
                Some("choice") => {
                    let mut arms: Vec<Option<Node<'_>>> =
                        flow.list(step.node, "choices").into_iter().map(Some).collect();
                    arms.push(flow.get(step.node, "default").map(|e| flow.resolve(e.value)));
                    for arm in arms {
                        let added = if flow.get(step.node, "outputMappings").is_some() {
                            out(flow, step.node)
                        } else {
                            match arm.and_then(|a| step.child_scopes().into_iter().find(|s| s.owner.same(a)))
                            {
                                Some(scope) => {
                                    let owner = scope.owner.range().start;
                                    match self.arms.get(&owner) {
                                        Some(k) => k.clone(),
                                        None => {
                                            let k = self.list(flow, &scope.states());
                                            self.arms.insert(owner, k.clone());
                                            k
                                        }
                                    }
                                }
                                None => Keys::empty(),
                            }
                        };
                        let goto = arm.and_then(|a| flow.get_str(a, "goto")).map(|(g, _)| g);
                        if goto.is_some_and(|g| !index.contains_key(g)) {
                            continue;
                        }
                        edges.push((next(goto), b.then(&added)));
                    }
                }
                _ => {
                    edges.push((next(None), b.then(&out(flow, step.node))));
                    let caught = match flow.get(step.node, "errorMappings") {
                        Some(_) => targets(flow, step.node, "errorMappings"),
                        None => Keys::empty(),
                    };
                    for rule in flow.list(step.node, "catch") {
                        if let Some((g, _)) = flow.get_str(rule, "goto")
                            && let Some(j) = index.get(g)
                        {
                            edges.push((Some(*j), b.then(&caught)));
                        }
                    }
                }
            }
            for (target, keys) in edges {
                match target {
                    Some(j) => {
                        if meet(&mut before[j], keys) {
                            work.push(j);
                        }
                    }
                    None => {
                        meet(&mut exit, keys);
                    }
                }
            }
        }
        for (step, keys) in steps.iter().zip(before) {
            if let Some(k) = keys {
                self.before.insert(step.node.range().start, k);
            }
        }
        exit.unwrap_or_else(Keys::empty)
    }
}

/// What a step adds to its list's local: its outputMappings' targets; a task without them
/// adds its whole result.
fn out(flow: &Flow<'_>, node: Node<'_>) -> Keys {
    if flow.get(node, "outputMappings").is_some() {
        return targets(flow, node, "outputMappings");
    }
    match flow.get_str(node, "type").map(|(t, _)| t) {
        Some("task") => Keys::Unknown,
        _ => Keys::empty(),
    }
}

fn targets(flow: &Flow<'_>, node: Node<'_>, key: &str) -> Keys {
    Keys::set(
        flow.list(node, key)
            .into_iter()
            .filter_map(|m| flow.get_str(m, "target").map(|(t, _)| t.to_string()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{SourceText, SyntaxTree};

    fn end_keys(src: &str) -> Option<Vec<String>> {
        let text = SourceText::new(src);
        let tree = SyntaxTree::parse(&text);
        let flow = Flow::new(&tree).expect("a flow");
        Analysis::default().list(&flow, &flow.top_scope().states()).exact()
    }

    #[test]
    fn keys_on_every_path() {
        let head = "version: v1\ntype: flow\nsteps:\n";
        let pass = |name: &str, target: &str| {
            format!(
                "  - type: pass\n    name: {name}\n    outputMappings:\n      - target: {target}\n        source: 1\n"
            )
        };
        // Straight line: both keys.
        let src = format!("{head}{}{}", pass("a", "x"), pass("b", "y"));
        assert_eq!(end_keys(&src), Some(vec!["x".to_string(), "y".to_string()]));
        // A task result merged in whole: unknown.
        let src = format!(
            "{head}{}  - type: task\n    name: t\n    resourceArn: acs:fc:::services/s/functions/f\n",
            pass("a", "x")
        );
        assert_eq!(end_keys(&src), None);
        // A choice that skips a step: `y` on one path only.
        let src = format!(
            "{head}  - type: choice\n    name: c\n    choices:\n      - condition: $.a\n        goto: b\n{}{}",
            pass("a", "y"),
            pass("b", "x")
        );
        assert_eq!(end_keys(&src), None);
        // The same keys on both paths of a loop.
        let src = format!(
            "{head}{}  - type: choice\n    name: c\n    choices:\n      - condition: $.more\n        goto: a\n",
            pass("a", "x")
        );
        assert_eq!(end_keys(&src), Some(vec!["x".to_string()]));
    }
}
