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

    /// A lower bound of the edit distance between the two strings.
    fn bound(&self, other: &Sketch) -> usize {
        let missing = (self.bits & !other.bits).count_ones().max((other.bits & !self.bits).count_ones());
        (missing as usize).max(self.chars.abs_diff(other.chars))
    }
}

/// Suggestions against one set of candidates, with a budget of candidates to examine: a
/// flow with thousands of broken references to thousands of states must not cost millions
/// of edit distances per keystroke. Once the budget is spent, words get no suggestion (the
/// diagnostics stay, without the hint).
pub(crate) struct Suggester<'c, 'k> {
    candidates: Vec<(&'c str, &'k Sketch)>,
    budget: usize,
}

/// Compared without case, without allocating per candidate.
fn folded(s: &str) -> impl DoubleEndedIterator<Item = char> + Clone + '_ {
    s.chars().flat_map(char::to_lowercase)
}

impl<'c, 'k> Suggester<'c, 'k> {
    pub(crate) fn new(
        candidates: impl Iterator<Item = (&'c str, &'k Sketch)>,
        budget: usize,
    ) -> Suggester<'c, 'k> {
        Suggester { candidates: candidates.collect(), budget }
    }

    pub(crate) fn suggest(&mut self, word: &str) -> Option<&'c str> {
        let sketch = Sketch::of(word);
        let mut word_cmp = None;
        let mut best: Option<(&'c str, f64)> = None;
        for &(c, c_sketch) in &self.candidates {
            if self.budget == 0 {
                return None;
            }
            self.budget -= 1;
            if c == word {
                continue;
            }
            let len = sketch.chars.max(c_sketch.chars);
            let allowed = (len / 3).max(1);
            // Most candidates are ruled out here, without computing a distance.
            if sketch.bound(c_sketch) > allowed {
                continue;
            }
            // The word is prepared once and compared bit-parallel (optimal string
            // alignment: edits and swaps of neighbours), with the cutoff that decides anyway.
            let cmp = word_cmp.get_or_insert_with(|| osa::BatchComparator::new(folded(word)));
            let args = osa::Args::default().score_cutoff(allowed);
            let d = match c_sketch.folded.as_deref() {
                Some(f) => cmp.distance_with_args(f.chars(), &args),
                None => cmp.distance_with_args(c.chars(), &args),
            };
            let Some(d) = d else { continue };
            let score = 1.0 - d as f64 / (len as f64 + 1.0);
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((c, score));
            }
        }
        best.map(|(c, _)| c)
    }
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
}
