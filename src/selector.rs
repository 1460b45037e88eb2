//! Naming rules on the command line and in configuration: which rules a selector (a code,
//! a code prefix, a name, or `ALL`) matches and how specifically, and the "did you mean"
//! suggestion for a name that matches nothing. Every "did you mean" in spec-check (rule
//! selectors, configuration keys, `spec-check rule`, mermaid diagram types, link anchors)
//! comes from [`did_you_mean`], so they all agree on what a plausible typo is.

/// How specifically `selector` names the rule `code`/`name`: `None` if it does not match.
/// `ALL` < a bare prefix (`SEC`) < a longer prefix (`SEC00`) < the code or name itself.
pub fn specificity(selector: &str, code: &str, name: &str) -> Option<u32> {
    if selector.eq_ignore_ascii_case("ALL") {
        return Some(0);
    }
    if selector.eq_ignore_ascii_case(code) || selector == name {
        return Some(100);
    }
    // a prefix must be the code's whole letter part plus leading digits: `SEC` selects
    // SEC001 but not SECRET001
    let split = |s: &str| {
        let at = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
        (s[..at].to_ascii_uppercase(), s[at..].to_string())
    };
    let (sl, sd) = split(selector);
    let (cl, cd) = split(code);
    if !sl.is_empty() && sl == cl && sd.chars().all(|c| c.is_ascii_digit()) && cd.starts_with(&sd) {
        return Some(1 + sd.len() as u32);
    }
    None
}

/// Whether `selector` matches any of `rules` (code, name).
pub fn matches_any(selector: &str, rules: &[(&str, &str)]) -> bool {
    rules
        .iter()
        .any(|(c, n)| specificity(selector, c, n).is_some())
}

/// Levenshtein distance between `a` and `b`, counted in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
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

/// The candidate nearest to `word`, if it is near enough to be a plausible typo: case is
/// ignored, and at most a third of the longer of the two differs. `word` itself is never
/// suggested. On a tie the earlier candidate wins.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let len = lower.chars().count();
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d * 3 <= len.max(c.chars().count()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// What to add to "`X` matches no rule": the pack to enable when `selector` names a rule of
/// a built-in pack that is not enabled, else the nearest code or name of `rules` (the
/// enabled ones), else where to look them up. Starts with "; ".
pub fn unknown_rule_hint(selector: &str, rules: &[(&str, &str)], enabled_packs: &[&str]) -> String {
    for (id, _) in crate::pack::BUILTIN {
        if enabled_packs.contains(id) {
            continue;
        }
        let Ok(pack) = crate::pack::RulePack::builtin(id) else {
            continue;
        };
        if pack
            .rules
            .iter()
            .any(|r| specificity(selector, &r.code, &r.name).is_some())
        {
            let mut ids: Vec<&str> = enabled_packs.to_vec();
            ids.push(id);
            return format!(
                "; it is a rule of the built-in `{id}` pack, which is not enabled: add the pack in spec-check.toml (`packs = [{}]`) or on the command line (`--pack {}`)",
                ids.iter()
                    .map(|i| format!("\"{i}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                ids.join(",")
            );
        }
    }
    match did_you_mean(selector, rules.iter().flat_map(|(c, n)| [*c, *n])) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => "; run `spec-check rules` to list codes and names".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_match_by_code_prefix_and_name() {
        assert_eq!(specificity("ALL", "SC001", "missing-section"), Some(0));
        assert_eq!(specificity("SC", "SC001", "missing-section"), Some(1));
        assert_eq!(specificity("SC00", "SC001", "missing-section"), Some(3));
        assert_eq!(specificity("sc001", "SC001", "missing-section"), Some(100));
        assert_eq!(
            specificity("missing-section", "SC001", "missing-section"),
            Some(100)
        );
        assert_eq!(specificity("SEC", "SECRET001", "secret"), None);
        assert_eq!(specificity("S", "SC001", "x"), None);
        assert_eq!(specificity("SC01", "SC001", "x"), None);
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("flowchar", "flowchart"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_only_plausible_typos() {
        let c = ["flowchart", "graph", "pie"];
        assert_eq!(did_you_mean("flowchar", c), Some("flowchart"));
        assert_eq!(did_you_mean("gantt", c), None);
        assert_eq!(
            did_you_mean("graph", c),
            None,
            "exact matches are not suggestions"
        );
        assert_eq!(did_you_mean("sc07", ["SC001", "SC007"]), Some("SC007"));
        assert_eq!(
            did_you_mean("max-file-sise", ["fail-on", "max-file-size"]),
            Some("max-file-size")
        );
        assert_eq!(did_you_mean("Graph", ["graph"]), Some("graph"));
    }
}
