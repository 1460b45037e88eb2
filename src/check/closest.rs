//! "Did you mean …?": the candidate closest to a misspelt name, by edit distance.

/// Levenshtein distance between `a` and `b`, counted in characters.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate nearest to `word`, if it is near enough to be a plausible typo: at most
/// a third of the longer name differs (and never more than `max`).
pub(super) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    max: usize,
) -> Option<&'c str> {
    let len = word.chars().count();
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| {
            let longer = len.max(c.chars().count());
            *d > 0 && *d <= max && *d * 3 <= longer
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("flowchar", "flowchart"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_only_plausible_typos() {
        let c = ["flowchart", "graph", "pie"];
        assert_eq!(closest("flowchar", c, 3), Some("flowchart"));
        assert_eq!(closest("gantt", c, 3), None);
        assert_eq!(
            closest("graph", c, 3),
            None,
            "exact matches are not suggestions"
        );
    }
}
