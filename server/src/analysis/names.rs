//! "Did you mean …?" suggestions.

use rapidfuzz::distance::osa;

/// The candidate closest to `word`, if it is close enough to be a likely typo: same text in
/// another case, or a small edit distance relative to the length.
pub(crate) fn did_you_mean<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let candidates: Vec<(&'c str, Sketch)> = candidates.map(|c| (c, Sketch::of(c))).collect();
    Suggester::new(candidates.iter().map(|(c, s)| (*c, s)), usize::MAX).suggest(word)
}

/// What a candidate's distance to a word can be bounded with, in two integer operations:
/// its length in case-folded characters, and the set of its folded characters hashed into
/// 64 bits. A character of the word that the candidate lacks costs at least one edit, so the
/// distance is at least the number of bits set in one sketch and not the other. Kept with
/// each state's facts, so that a keystroke does not fold thousands of names again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sketch {
    chars: usize,
    bits: u64,
    /// The folded text itself, when folding changed it (compared without folding again).
    folded: Option<Box<str>>,
}

impl Sketch {
    pub(crate) fn of(s: &str) -> Sketch {
        let mut sketch = Sketch { chars: 0, bits: 0, folded: None };
        for c in folded(s) {
            sketch.chars += 1;
            sketch.bits |= 1 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26);
        }
        if folded(s).ne(s.chars()) {
            sketch.folded = Some(folded(s).collect());
        }
        sketch
    }

    /// A lower bound of the edit distance between this string and one of `chars` folded
    /// characters whose sketch bits are `bits`.
    fn bound(&self, chars: usize, bits: u64) -> usize {
        let missing = (self.bits & !bits).count_ones().max((bits & !self.bits).count_ones());
        (missing as usize).max(self.chars.abs_diff(chars))
    }
}

/// Suggestions against one set of candidates, with a budget of candidates to examine: a
/// flow with thousands of broken references to thousands of states must not cost millions
/// of edit distances per keystroke. Once the budget is spent, words get no suggestion (the
/// diagnostics stay, without the hint).
pub(crate) struct Suggester<'c, 'k> {
    /// In candidate order: a candidate's position is its index.
    candidates: Vec<(&'c str, &'k Sketch)>,
    index: NameIndex,
    budget: usize,
}

impl<'c, 'k> Suggester<'c, 'k> {
    pub(crate) fn new(
        candidates: impl Iterator<Item = (&'c str, &'k Sketch)>,
        budget: usize,
    ) -> Suggester<'c, 'k> {
        let candidates: Vec<(&'c str, &'k Sketch)> = candidates.collect();
        let mut index = NameIndex::default();
        for (position, (_, sketch)) in candidates.iter().enumerate() {
            index.insert(position as u32, sketch);
        }
        Suggester { candidates, index, budget }
    }

    pub(crate) fn suggest(&mut self, word: &str) -> Option<&'c str> {
        let candidates = &self.candidates;
        self.index.suggest(word, &mut self.budget, |p| candidates[p as usize])
    }
}

/// Names of this many folded characters or more share one bucket.
const LONG: usize = 64;

/// One candidate as the index holds it: its position (candidates are ranked by it among
/// equals), its sketch's bits and its folded length, side by side for the scan.
#[derive(Clone, Copy, Debug)]
struct Indexed {
    position: u32,
    bits: u64,
    chars: usize,
}

/// Candidates indexed by their folded length, each bucket in position order: a word looks
/// only at the lengths within its allowed distance, rules most of those out on the bits,
/// and computes edit distances best bound first, stopping when no candidate left can match
/// the best found. The answer is the brute-force one: the closest candidate by
/// `1 - distance / (length + 1)`, the earliest position among equals (a property test
/// compares them).
///
/// Candidates come and go one at a time (`insert`, `remove`), so the graph of a scope of
/// thousands of states keeps one between keystrokes and updates it for the names that
/// changed, instead of indexing every name again.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameIndex {
    buckets: Vec<Vec<Indexed>>,
}

fn bucket(sketch: &Sketch) -> usize {
    sketch.chars.min(LONG)
}

impl NameIndex {
    pub(crate) fn insert(&mut self, position: u32, sketch: &Sketch) {
        if self.buckets.is_empty() {
            self.buckets = vec![Vec::new(); LONG + 1];
        }
        let bucket = &mut self.buckets[bucket(sketch)];
        let at = bucket.partition_point(|c| c.position < position);
        bucket.insert(at, Indexed { position, bits: sketch.bits, chars: sketch.chars });
    }

    pub(crate) fn remove(&mut self, position: u32, sketch: &Sketch) {
        let Some(bucket) = self.buckets.get_mut(bucket(sketch)) else { return };
        let at = bucket.partition_point(|c| c.position < position);
        if bucket.get(at).is_some_and(|c| c.position == position) {
            bucket.remove(at);
        }
    }

    /// The candidate closest to `word`, examining at most `budget` candidates (what it
    /// examines is taken off). `candidate` gives a position's text and sketch.
    pub(crate) fn suggest<'c, 'k>(
        &self,
        word: &str,
        budget: &mut usize,
        candidate: impl Fn(u32) -> (&'c str, &'k Sketch),
    ) -> Option<&'c str> {
        let sketch = Sketch::of(word);
        let reach = Self::reach(&sketch);
        if !self.spend(&reach, budget) {
            return None;
        }
        self.best(word, &sketch, reach, &candidate).map(|(position, _)| candidate(position).0)
    }

    /// The buckets a word may find candidates in: lengths whose difference alone is allowed.
    pub(crate) fn reach(sketch: &Sketch) -> std::ops::RangeInclusive<usize> {
        let within = |length: usize| length.abs_diff(sketch.chars) <= allowed(sketch.chars, length);
        let low = (0..LONG).find(|&l| within(l)).unwrap_or(LONG);
        let mut high = sketch.chars.min(LONG);
        while high < LONG && within(high + 1) {
            high += 1;
        }
        low..=high
    }

    /// Takes off `budget` the candidates a search of `reach` examines, one each; whether
    /// the budget covered them all (else it is spent, and the search finds nothing).
    pub(crate) fn spend(&self, reach: &std::ops::RangeInclusive<usize>, budget: &mut usize) -> bool {
        let examined: usize = self.buckets.get(reach.clone()).into_iter().flatten().map(Vec::len).sum();
        if *budget < examined {
            *budget = 0;
            return false;
        }
        *budget -= examined;
        true
    }

    /// The closest candidate of `reach` and its score.
    pub(crate) fn best<'c, 'k>(
        &self,
        word: &str,
        sketch: &Sketch,
        reach: std::ops::RangeInclusive<usize>,
        candidate: &impl Fn(u32) -> (&'c str, &'k Sketch),
    ) -> Option<(u32, f64)> {
        // Every candidate of those buckets that its sketch does not rule out, listed by
        // that lower bound of its distance, with its length and position.
        let mut open: Vec<Vec<(usize, u32)>> = Vec::new();
        let mut longest = 0;
        for c in self.buckets.get(reach).into_iter().flatten().flatten() {
            let bound = sketch.bound(c.chars, c.bits);
            if bound <= allowed(sketch.chars, c.chars) {
                if open.len() <= bound {
                    open.resize_with(bound + 1, Vec::new);
                }
                let len = sketch.chars.max(c.chars);
                longest = longest.max(len);
                open[bound].push((len, c.position));
            }
        }
        // Smallest bound first: a candidate's score is at most `1 - bound / (len + 1)`, so
        // once the best found beats what the next bound allows the longest, nothing left can
        // do better; an equal score wins only earlier in candidate order.
        let score_of = |d: usize, len: usize| 1.0 - d as f64 / (len as f64 + 1.0);
        let mut word_cmp = None;
        let mut best: Option<(u32, f64)> = None;
        for (bound, entries) in open.into_iter().enumerate() {
            if best.is_some_and(|(_, s)| score_of(bound, longest) < s) {
                break;
            }
            for (len, position) in entries {
                if let Some((best_position, best_score)) = best {
                    let possible = score_of(bound, len);
                    if possible < best_score || (possible == best_score && position > best_position) {
                        continue;
                    }
                }
                let (c, c_sketch) = candidate(position);
                if c == word {
                    continue;
                }
                let allowed = allowed(sketch.chars, c_sketch.chars);
                // The word is prepared once and compared bit-parallel (optimal string
                // alignment: edits and swaps of neighbours), with the cutoff that decides
                // anyway.
                let cmp = word_cmp.get_or_insert_with(|| osa::BatchComparator::new(folded(word)));
                let args = osa::Args::default().score_cutoff(allowed);
                let d = match c_sketch.folded.as_deref() {
                    Some(f) => cmp.distance_with_args(f.chars(), &args),
                    None => cmp.distance_with_args(c.chars(), &args),
                };
                let Some(d) = d else { continue };
                let score = score_of(d, len);
                let better = match best {
                    None => true,
                    Some((best_position, best_score)) => {
                        score > best_score || (score == best_score && position < best_position)
                    }
                };
                if better {
                    best = Some((position, score));
                }
            }
        }
        best
    }
}

/// How well `candidate` matches `word` (`None`: too far, or the word itself): the score the
/// index ranks by, for one candidate.
pub(crate) fn score(word: &str, sketch: &Sketch, candidate: &str, c_sketch: &Sketch) -> Option<f64> {
    if candidate == word {
        return None;
    }
    let args = osa::Args::default().score_cutoff(allowed(sketch.chars, c_sketch.chars));
    let d = match c_sketch.folded.as_deref() {
        Some(f) => osa::distance_with_args(folded(word), f.chars(), &args),
        None => osa::distance_with_args(folded(word), candidate.chars(), &args),
    }?;
    Some(1.0 - d as f64 / (sketch.chars.max(c_sketch.chars) as f64 + 1.0))
}

/// Whether a candidate of this sketch lies in `reach`.
pub(crate) fn in_reach(reach: &std::ops::RangeInclusive<usize>, sketch: &Sketch) -> bool {
    reach.contains(&bucket(sketch))
}

/// Compared without case, without allocating per candidate.
fn folded(s: &str) -> impl DoubleEndedIterator<Item = char> + Clone + '_ {
    s.chars().flat_map(char::to_lowercase)
}

/// The edit distance a word of `a` and a candidate of `b` folded characters may be apart.
fn allowed(a: usize, b: usize) -> usize {
    (a.max(b) / 3).max(1)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggestions() {
        let keys = ["MaxConcurrency", "ItemsPath", "Processor", "Next", "End"];
        assert_eq!(did_you_mean("MaxConcurency", keys.into_iter()), Some("MaxConcurrency"));
        assert_eq!(did_you_mean("next", keys.into_iter()), Some("Next"));
        assert_eq!(did_you_mean("Nxt", keys.into_iter()), Some("Next"));
        assert_eq!(did_you_mean("Parameters", keys.into_iter()), None);
        assert_eq!(did_you_mean("视频理", ["视频理解", "一键成片"].into_iter()), Some("视频理解"));
    }

    #[test]
    fn the_budget_bounds_the_work() {
        use super::{Sketch, Suggester};
        let sketches: Vec<(&str, Sketch)> =
            ["Next", "End", "Type"].into_iter().map(|c| (c, Sketch::of(c))).collect();
        let mut s = Suggester::new(sketches.iter().map(|(c, k)| (*c, k)), 4);
        assert_eq!(s.suggest("Nxt"), Some("Next"));
        // One candidate of budget left: not enough to look at them all.
        assert_eq!(s.suggest("Ende"), None);
    }

    /// The suggestion by examining every candidate in order, as before the index.
    fn brute_force<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
        use rapidfuzz::distance::osa;
        let folded = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<Vec<char>>();
        let w = folded(word);
        let mut best: Option<(&'c str, f64)> = None;
        for &c in candidates {
            if c == word {
                continue;
            }
            let f = folded(c);
            let len = w.len().max(f.len());
            let allowed = (len / 3).max(1);
            let Some(d) = osa::distance_with_args(
                w.iter().copied(),
                f.iter().copied(),
                &osa::Args::default().score_cutoff(allowed),
            ) else {
                continue;
            };
            let score = 1.0 - d as f64 / (len as f64 + 1.0);
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((c, score));
            }
        }
        best.map(|(c, _)| c)
    }

    mod index {
        use proptest::prelude::*;

        use super::super::{Sketch, Suggester};
        use super::brute_force;

        fn name() -> impl Strategy<Value = String> {
            let piece = prop::sample::select(vec![
                "a", "b", "A", "ab", "Step", "step", "处理", "视", "1", "2", "0", "ß", "İ", "x", "Ω",
            ]);
            prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
            /// The index suggests what examining every candidate in order suggests, ties
            /// (the first in order wins) and case folding included.
            #[test]
            fn index_answers_equal_brute_force_answers(
                names in prop::collection::vec(name(), 0..80),
                words in prop::collection::vec((name(), any::<prop::sample::Index>(), 0usize..4), 1..12),
            ) {
                let sketches: Vec<(&str, Sketch)> = names.iter().map(|n| (n.as_str(), Sketch::of(n))).collect();
                let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
                let mut suggester = Suggester::new(sketches.iter().map(|(c, k)| (*c, k)), usize::MAX);
                for (random, pick, edit) in words {
                    // A random word, or a name with a typo in it.
                    let word = match (names.is_empty(), edit) {
                        (true, _) | (_, 0) => random,
                        (false, e) => {
                            let mut chars: Vec<char> = pick.get(&names).chars().collect();
                            match e {
                                1 if !chars.is_empty() => { chars.remove(chars.len() / 2); }
                                2 => chars.insert(chars.len() / 2, 'q'),
                                _ if chars.len() > 1 => chars.swap(0, 1),
                                _ => chars.push('S'),
                            }
                            chars.into_iter().collect()
                        }
                    };
                    prop_assert_eq!(suggester.suggest(&word), brute_force(&word, &candidates), "word {:?} among {:?}", word, names);
                }
            }
        }

        #[test]
        fn long_names_and_many_similar_names() {
            let mut names: Vec<String> =
                (0..3000).map(|i| if i % 3 == 0 { format!("处理{i}") } else { format!("Step{i}") }).collect();
            names[1500] = "Step1500x".to_string();
            names.push("L".repeat(100));
            names.push(format!("{}y", "L".repeat(70)));
            let sketches: Vec<(&str, Sketch)> = names.iter().map(|n| (n.as_str(), Sketch::of(n))).collect();
            let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut suggester = Suggester::new(sketches.iter().map(|(c, k)| (*c, k)), usize::MAX);
            let long = "L".repeat(99);
            for word in [
                "Step1500",
                "step1501",
                "处理1499",
                "Stpe17",
                "Completely",
                long.as_str(),
                "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLz",
            ] {
                assert_eq!(suggester.suggest(word), brute_force(word, &candidates), "{word}");
            }
            assert_eq!(suggester.suggest("Step1500"), Some("Step1500x"));
        }
    }
}
