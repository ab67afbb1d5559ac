//! Fuzzy matching for completion: the query's characters must appear in order in the
//! candidate (ignoring case), and the best alignment is scored the way editors do, so
//! `descinst` ranks `DescribeInstances` above `DescribeInstanceAttribute`'s cousins that
//! only match by scattered letters.
//!
//! Scoring (a small dynamic programme over query × candidate, as in fzf): every matched
//! character earns points, more at the start of a word (`Describe|Instances`, after `-`,
//! `_`, `.`, `:` or a space), more again when it follows the previous match; gaps cost a
//! little per skipped character. ASCII candidates, almost all of them, take a byte path that
//! allocates nothing; others (Chinese product names) are compared by `char`.

const MATCH: i32 = 16;
const CONSECUTIVE: i32 = 8;
const BOUNDARY_START: i32 = 10;
const BOUNDARY: i32 = 8;
const DIGIT_BOUNDARY: i32 = 4;
const GAP_START: i32 = 3;
const GAP_EXTEND: i32 = 1;
const LEADING_MAX: i32 = 8;
const EXACT: i32 = 200;
const PREFIX: i32 = 40;
const NONE: i32 = i32::MIN / 4;

trait Unit: Copy + PartialEq {
    fn lower(self) -> Self;
    fn is_upper(self) -> bool;
    fn is_lower_or_digit(self) -> bool;
    fn is_digit(self) -> bool;
    fn is_alphanumeric(self) -> bool;
}

impl Unit for u8 {
    fn lower(self) -> u8 {
        self.to_ascii_lowercase()
    }
    fn is_upper(self) -> bool {
        self.is_ascii_uppercase()
    }
    fn is_lower_or_digit(self) -> bool {
        self.is_ascii_lowercase() || self.is_ascii_digit()
    }
    fn is_digit(self) -> bool {
        self.is_ascii_digit()
    }
    fn is_alphanumeric(self) -> bool {
        self.is_ascii_alphanumeric()
    }
}

impl Unit for char {
    fn lower(self) -> char {
        // Only ASCII folding: full Unicode lowercasing can change the length.
        self.to_ascii_lowercase()
    }
    fn is_upper(self) -> bool {
        self.is_uppercase()
    }
    fn is_lower_or_digit(self) -> bool {
        self.is_lowercase() || self.is_ascii_digit()
    }
    fn is_digit(self) -> bool {
        self.is_ascii_digit()
    }
    fn is_alphanumeric(self) -> bool {
        self.is_alphanumeric()
    }
}

/// A query, lowered once, with scratch rows reused across candidates.
pub(crate) struct Matcher {
    bytes: Vec<u8>,
    chars: Vec<char>,
    ascii: bool,
    rows: Rows,
    scratch: Vec<char>,
}

impl Matcher {
    pub(crate) fn new(query: &str) -> Matcher {
        let query = query.trim();
        Matcher {
            bytes: query.bytes().map(|b| b.to_ascii_lowercase()).collect(),
            chars: query.chars().map(|c| c.to_ascii_lowercase()).collect(),
            ascii: query.is_ascii(),
            rows: Rows::default(),
            scratch: Vec::new(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The score of `candidate`, or `None` when the query is not a subsequence of it.
    /// An empty query matches everything with 0.
    pub(crate) fn score(&mut self, candidate: &str) -> Option<i32> {
        if self.chars.is_empty() {
            return Some(0);
        }
        if candidate.is_ascii() {
            if !self.ascii {
                return None;
            }
            let q = std::mem::take(&mut self.bytes);
            let s = score_units(&q, candidate.as_bytes(), &mut self.rows);
            self.bytes = q;
            s
        } else {
            let q = std::mem::take(&mut self.chars);
            let mut c = std::mem::take(&mut self.scratch);
            c.clear();
            c.extend(candidate.chars());
            let s = score_units(&q, &c, &mut self.rows);
            self.chars = q;
            self.scratch = c;
            s
        }
    }
}

fn is_subsequence<T: Unit>(query: &[T], candidate: &[T]) -> bool {
    let mut q = query.iter();
    let mut want = q.next();
    for c in candidate {
        match want {
            Some(w) if *w == c.lower() => want = q.next(),
            Some(_) => {}
            None => break,
        }
    }
    want.is_none()
}

fn bonus<T: Unit>(candidate: &[T], j: usize) -> i32 {
    if j == 0 {
        return BOUNDARY_START;
    }
    let (prev, cur) = (candidate[j - 1], candidate[j]);
    if !prev.is_alphanumeric() || (prev.is_lower_or_digit() && cur.is_upper()) {
        BOUNDARY
    } else if cur.is_digit() && !prev.is_digit() {
        DIGIT_BOUNDARY
    } else {
        0
    }
}

/// Rows of the dynamic programme, reused across candidates.
#[derive(Default)]
struct Rows {
    prev: Vec<i32>,
    cur: Vec<i32>,
    bonuses: Vec<i32>,
}

fn score_units<T: Unit>(query: &[T], candidate: &[T], rows: &mut Rows) -> Option<i32> {
    let Rows { prev, cur, bonuses } = rows;
    let (m, n) = (query.len(), candidate.len());
    if m > n || !is_subsequence(query, candidate) {
        return None;
    }
    // Each position's bonus, computed once rather than once per query character.
    bonuses.clear();
    bonuses.extend((0..n).map(|j| bonus(candidate, j)));
    prev.clear();
    prev.resize(n, NONE);
    cur.clear();
    cur.resize(n, NONE);
    for (j, c) in candidate.iter().enumerate() {
        if c.lower() == query[0] {
            let leading = (j as i32).min(LEADING_MAX);
            prev[j] = MATCH + 2 * bonuses[j] - leading;
        }
    }
    for (i, q) in query.iter().enumerate().skip(1) {
        // Best score of the previous query character matched at least two positions back,
        // with the gap penalty already applied for the current position.
        let mut gapped = NONE;
        // Position j can only hold query character i when i characters precede it.
        cur[..i.min(n)].fill(NONE);
        for j in i..n {
            if j >= 2 {
                let from = prev[j - 2];
                let extended = if gapped > NONE { gapped - GAP_EXTEND } else { NONE };
                let opened = if from > NONE { from - GAP_START } else { NONE };
                gapped = extended.max(opened);
            }
            cur[j] = if candidate[j].lower() == *q {
                let adjacent = if prev[j - 1] > NONE { prev[j - 1] + CONSECUTIVE } else { NONE };
                let best = adjacent.max(gapped);
                if best > NONE { best + MATCH + bonuses[j] } else { NONE }
            } else {
                NONE
            };
        }
        std::mem::swap(prev, cur);
    }
    let mut best = prev.iter().copied().max().filter(|s| *s > NONE)?;
    if m == n {
        best += EXACT;
    } else if candidate[..m].iter().zip(query).all(|(c, q)| c.lower() == *q) {
        best += PREFIX;
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order<'a>(query: &str, names: &[&'a str]) -> Vec<&'a str> {
        let mut m = Matcher::new(query);
        let mut scored: Vec<(i32, &str)> = names.iter().filter_map(|n| m.score(n).map(|s| (s, *n))).collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.len().cmp(&b.1.len())));
        scored.into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn word_starts_beat_scattered_letters() {
        let names = ["DescribeInstances", "DescribeInstanceAttribute", "DeleteInstance", "DescribeDisks"];
        assert_eq!(order("descinst", &names), ["DescribeInstances", "DescribeInstanceAttribute"]);
        assert_eq!(order("DescI", &names)[0], "DescribeInstances");
        assert_eq!(order("deli", &names), ["DeleteInstance"]);
        assert_eq!(order("describeinstances", &names), ["DescribeInstances"]);
        assert!(order("xyz", &names).is_empty());
    }

    #[test]
    fn exact_and_prefix_matches_come_first() {
        assert_eq!(
            order("ecs", &["ecs-workbench", "Ecs", "EcsDemo", "ResourceCenterSearch"]),
            ["Ecs", "EcsDemo", "ecs-workbench", "ResourceCenterSearch"]
        );
    }

    #[test]
    fn non_ascii_candidates_and_queries() {
        let mut m = Matcher::new("服务器");
        assert!(m.score("云服务器 ECS").is_some());
        assert!(m.score("Elastic Compute Service").is_none());
        let mut m = Matcher::new("ecs");
        assert!(m.score("云服务器 ECS").is_some());
        let mut m = Matcher::new("");
        assert_eq!(m.score("anything"), Some(0));
        assert!(m.is_empty());
    }
}
