//! "Did you mean …?" suggestions.

/// The candidate closest to `word`, if it is close enough to be a likely typo: same text in
/// another case, or a small edit distance relative to the length.
pub(crate) fn did_you_mean<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    Suggester::new(candidates, usize::MAX).suggest(word)
}

/// Suggestions against one set of candidates, prepared once, with a budget of candidates
/// to examine: a flow with thousands of broken references to thousands of states must not
/// cost millions of edit distances per keystroke. Once the budget is spent, words get no
/// suggestion (the diagnostics stay, without the hint).
pub(crate) struct Suggester<'c> {
    candidates: Vec<Candidate<'c>>,
    budget: usize,
}

struct Candidate<'c> {
    text: &'c str,
    lower: String,
    chars: usize,
}

impl<'c> Suggester<'c> {
    pub(crate) fn new(candidates: impl Iterator<Item = &'c str>, budget: usize) -> Suggester<'c> {
        let candidates = candidates
            .map(|text| {
                let lower = text.to_lowercase();
                Candidate { text, chars: lower.chars().count(), lower }
            })
            .collect();
        Suggester { candidates, budget }
    }

    pub(crate) fn suggest(&mut self, word: &str) -> Option<&'c str> {
        let lower = word.to_lowercase();
        let chars = lower.chars().count();
        let mut best: Option<(&'c str, f64)> = None;
        for c in &self.candidates {
            if self.budget == 0 {
                return None;
            }
            self.budget -= 1;
            if c.text == word {
                continue;
            }
            let len = chars.max(c.chars) as f64;
            let allowed = (len / 3.0).max(1.0);
            // The distance is at least the difference in length: skip the work when that
            // alone is too much.
            if c.lower != lower && (chars.abs_diff(c.chars) as f64) > allowed {
                continue;
            }
            let score = if c.lower == lower {
                1.0
            } else {
                let d = strsim::damerau_levenshtein(&lower, &c.lower) as f64;
                if d > allowed { 0.0 } else { 1.0 - d / (len + 1.0) }
            };
            if score > 0.0 && best.is_none_or(|(_, s)| score > s) {
                best = Some((c.text, score));
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
