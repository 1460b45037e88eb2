//! Regexes written in the code of the check kinds (the packs' own patterns are
//! [`super::LazyRegex`]).

use regex::Regex;

/// A pattern written in the code, compiled with [`super::quick_regex`] — for a
/// `static X: LazyLock<Regex> = LazyLock::new(|| compiled(r"…"))`. The pattern is a literal
/// that every test run compiles, so an error is a bug in spec-check: it panics.
pub(crate) fn compiled(pattern: &str) -> Regex {
    super::quick_regex(pattern).expect("valid regex")
}
