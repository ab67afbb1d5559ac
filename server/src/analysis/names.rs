//! "Did you mean …?" suggestions.

use rapidfuzz::distance::osa;

/// The candidate closest to `word`, if it is close enough to be a likely typo: same text in
/// another case, or a small edit distance relative to the length.
pub(crate) fn did_you_mean<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    Suggester::new(candidates, usize::MAX).suggest(word)
}

/// Suggestions against one set of candidates, with a budget of candidates to examine: a
/// flow with thousands of broken references to thousands of states must not cost millions
/// of edit distances per keystroke. Once the budget is spent, words get no suggestion (the
/// diagnostics stay, without the hint).
pub(crate) struct Suggester<'c> {
    candidates: Vec<&'c str>,
    budget: usize,
}

/// Compared without case, without allocating per candidate.
fn folded(s: &str) -> impl DoubleEndedIterator<Item = char> + Clone + '_ {
    s.chars().flat_map(char::to_lowercase)
}

impl<'c> Suggester<'c> {
    pub(crate) fn new(candidates: impl Iterator<Item = &'c str>, budget: usize) -> Suggester<'c> {
        Suggester { candidates: candidates.collect(), budget }
    }

    pub(crate) fn suggest(&mut self, word: &str) -> Option<&'c str> {
        let chars = folded(word).count();
        // The word is prepared once and compared bit-parallel (optimal string alignment:
        // edits and swaps of neighbours), with the cutoff that decides anyway.
        let word_cmp = osa::BatchComparator::new(folded(word));
        let mut best: Option<(&'c str, f64)> = None;
        for &c in &self.candidates {
            if self.budget == 0 {
                return None;
            }
            self.budget -= 1;
            if c == word {
                continue;
            }
            let c_chars = folded(c).count();
            let len = chars.max(c_chars);
            let allowed = (len / 3).max(1);
            // The distance is at least the difference in length: skip the work when that
            // alone is too much.
            if chars.abs_diff(c_chars) > allowed {
                continue;
            }
            let Some(d) = word_cmp.distance_with_args(folded(c), &osa::Args::default().score_cutoff(allowed))
            else {
                continue;
            };
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
        use super::Suggester;
        let mut s = Suggester::new(["Next", "End", "Type"].into_iter(), 4);
        assert_eq!(s.suggest("Nxt"), Some("Next"));
        // One candidate of budget left: not enough to look at them all.
        assert_eq!(s.suggest("Ende"), None);
    }
}
