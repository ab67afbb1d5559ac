//! "Did you mean …?" suggestions.

/// The candidate closest to `word`, if it is close enough to be a likely typo: same text in
/// another case, or a small edit distance relative to the length.
pub(crate) fn did_you_mean<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let score = if c.to_lowercase() == lower {
            1.0
        } else {
            let d = strsim::damerau_levenshtein(&lower, &c.to_lowercase()) as f64;
            let len = word.chars().count().max(c.chars().count()) as f64;
            if d > (len / 3.0).max(1.0) { 0.0 } else { 1.0 - d / (len + 1.0) }
        };
        if score > 0.0 && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
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
}
