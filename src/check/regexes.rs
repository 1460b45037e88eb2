//! Regexes of the check kinds: those written in the code ([`compiled`]; the packs' own
//! patterns are [`super::LazyRegex`]), and the scan of a kind's pattern list ([`scan`]).

use std::ops::Range;

use regex::Regex;

use crate::document::Document;

/// A pattern written in the code, compiled with [`super::quick_regex`] — for a
/// `static X: LazyLock<Regex> = LazyLock::new(|| compiled(r"…"))`. The pattern is a literal
/// that every test run compiles, so an error is a bug in spec-check: it panics.
pub(crate) fn compiled(pattern: &str) -> Regex {
    super::quick_regex(pattern).expect("valid regex")
}

/// A match of one of a kind's patterns in the text a rule scans.
pub(crate) struct PatternMatch<'t> {
    /// Which pattern (its index in the list scanned).
    pub pattern: usize,
    /// The match in the document: the pattern's named group `p` if it has one and it took
    /// part, else the whole match. Never empty.
    pub range: Range<usize>,
    pub matched: &'t str,
    /// The scoped text the match stands in, and the match's range in it.
    pub text: &'t str,
    pub local: Range<usize>,
}

/// Every non-empty match of `patterns` (index, regex) in the `spans` of `doc`, span by span
/// and pattern by pattern, each in text order: the scan placeholders and forbidden phrases
/// share.
pub(crate) fn scan<'t, 'p>(
    doc: &'t Document,
    spans: &[Range<usize>],
    patterns: impl IntoIterator<Item = (usize, &'p Regex)> + Clone,
) -> Vec<PatternMatch<'t>> {
    let mut out = Vec::new();
    for span in spans {
        let text = doc.slice(span);
        for (pattern, re) in patterns.clone() {
            for caps in re.captures_iter(text) {
                let Some(m) = caps.name("p").or_else(|| caps.get(0)) else {
                    continue;
                };
                if m.as_str().is_empty() {
                    continue;
                }
                out.push(PatternMatch {
                    pattern,
                    range: span.start + m.start()..span.start + m.end(),
                    matched: m.as_str(),
                    text,
                    local: m.range(),
                });
            }
        }
    }
    out
}
