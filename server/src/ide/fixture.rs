//! Test fixtures: a document with a `$0` cursor marker.

use super::Document;

/// Removes the `$0` marker and returns the document and the cursor's byte offset.
pub(crate) fn cursor(src: &str) -> (Document, u32) {
    let at = src.find("$0").expect("fixture needs a $0 cursor");
    let text = format!("{}{}", &src[..at], &src[at + 2..]);
    (Document::new(&text), at as u32)
}

/// Renders `src` with the given ranges marked by `«»` (for snapshot tests).
pub(crate) fn mark(src: &str, ranges: &[crate::syntax::TextRange]) -> String {
    let mut points: Vec<(u32, &str)> = Vec::new();
    for r in ranges {
        points.push((r.start, "«"));
        points.push((r.end, "»"));
    }
    // Closing marks before opening ones at the same offset keeps adjacent ranges readable.
    points.sort_by_key(|(at, mark)| (*at, *mark == "«"));
    let mut out = String::new();
    let mut last = 0usize;
    for (at, mark) in points {
        out.push_str(&src[last..at as usize]);
        out.push_str(mark);
        last = at as usize;
    }
    out.push_str(&src[last..]);
    out
}
