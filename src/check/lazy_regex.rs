//! Pack regexes that compile on first use.
//!
//! A pack names a few hundred patterns (phrase lists, topic keywords, secret shapes), and a
//! run needs only those its documents reach: `spec-check rules` needs none, an empty file a
//! handful, a spec with no SQL none of the schema rule's. Compiling a regex costs 50–500 µs
//! (literal extraction, prefilters, the NFA); checking its syntax costs a few µs. So a
//! pattern's syntax is checked when the pack loads — a bad regex in a pack is still an error
//! that points into the TOML at load time — and the pattern compiles when a rule first
//! searches with it. Patterns are shared by their text: the same phrase list named by
//! several rules compiles once per process.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use regex::Regex;

/// Every pattern seen so far, by its text (cleared past 4,096: a long-lived process loading
/// ever new packs, a fuzzer, stays bounded).
static SHARED: LazyLock<Mutex<HashMap<String, LazyRegex>>> = LazyLock::new(Default::default);

thread_local! {
    /// Set while a built-in pack's own parameters compile (see [`trusting`]).
    static TRUSTED: Cell<bool> = const { Cell::new(false) };
}

/// Run `f` with the syntax check of new patterns off: for the parameters of a rule exactly
/// as a built-in pack wrote them. Those patterns are part of the binary and a test compiles
/// every one of them (`every_built_in_pattern_compiles`), so checking them again at every
/// start is wasted: it was 104 M of the 139 M instructions `spec-check rules` took (the
/// `(?i)` case folding of `\p{L}` classes most of it). A pattern a user wrote is checked.
pub(crate) fn trusting<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            TRUSTED.with(|t| t.set(self.0));
        }
    }
    let _restore = Restore(TRUSTED.with(|t| t.replace(true)));
    f()
}

/// A regex whose syntax is known to be valid and that compiles the first time it is used
/// (through `Deref`, so a `LazyRegex` is used like a `Regex`). Clones share the compiled form.
#[derive(Clone)]
pub struct LazyRegex(Arc<Inner>);

struct Inner {
    /// The pattern as the pack wrote it.
    source: String,
    compiled: OnceLock<Regex>,
}

impl LazyRegex {
    /// Check `pattern`'s syntax now and compile it (through [`super::quick_regex`]) on first
    /// use. The error is the regex crate's own, with the caret under the problem.
    pub fn new(pattern: &str) -> Result<LazyRegex, regex::Error> {
        let lock = || SHARED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = lock().get(pattern) {
            return Ok(p.clone());
        }
        if !TRUSTED.with(Cell::get) {
            validate(pattern)?;
        }
        let p = LazyRegex(Arc::new(Inner {
            source: pattern.to_string(),
            compiled: OnceLock::new(),
        }));
        let mut shared = lock();
        if shared.len() >= 4096 {
            shared.clear();
        }
        Ok(shared.entry(pattern.to_string()).or_insert(p).clone())
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Whether the pattern has been compiled (by a search, or by [`LazyRegex::compile`]).
    pub fn is_compiled(&self) -> bool {
        self.0.compiled.get().is_some()
    }

    /// The compiled regex, compiling it now if no search has yet.
    pub fn compile(&self) -> &Regex {
        self.0.compiled.get_or_init(|| compile(&self.0.source))
    }
}

impl Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.compile()
    }
}

impl fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.0.source).finish()
    }
}

/// What `Regex::new` would say about the pattern's syntax (as [`super::quick_regex`] sees
/// it: with ASCII word boundaries), without building any automaton.
///
/// Parsing the pattern finds every syntax error. Translating it to the regex crate's
/// intermediate form (which folds case for `(?i)` through the Unicode tables, most of the
/// cost) can only fail on a Unicode class name (`\p{…}`) or with Unicode mode switched off
/// (`(?-u)`, where a class may match invalid UTF-8), so it runs only for such patterns.
fn validate(pattern: &str) -> Result<(), regex::Error> {
    let written = super::ascii_word_boundaries(pattern);
    let syntax = |e: regex_syntax::Error| regex::Error::Syntax(e.to_string());
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(&written)
        .map_err(|e| syntax(e.into()))?;
    // on the pattern as written: the ASCII word boundaries put in `(?-u:\b)`, always valid
    let unicode_class = pattern.contains("\\p") || pattern.contains("\\P");
    if unicode_class || switches_unicode_off(pattern) {
        regex_syntax::hir::translate::Translator::new()
            .translate(&written, &ast)
            .map_err(|e| syntax(e.into()))?;
    }
    Ok(())
}

/// Whether a flag group (`(?-u)`, `(?i-u:…)`) turns Unicode mode off somewhere in `pattern`.
/// Errs on the side of yes (an escaped `\(?` is taken as a group).
fn switches_unicode_off(pattern: &str) -> bool {
    pattern.match_indices("(?").any(|(i, _)| {
        let flags = &pattern[i + 2..];
        let flags = &flags[..flags.find([')', ':']).unwrap_or(flags.len())];
        flags
            .split_once('-')
            .is_some_and(|(_, off)| off.contains('u'))
    })
}

/// Compile a pattern whose syntax [`validate`] accepted.
///
/// Syntax errors were reported when the pack loaded, so what is left to fail is the regex
/// crate's size limit (a pattern that expands to more than 10 MB of automaton, such as
/// `\w{1000}` repeated). Such a pattern gets ten times the room; one that does not fit
/// even then matches nothing rather than stopping every check of the run.
fn compile(pattern: &str) -> Regex {
    super::quick_regex(pattern)
        .or_else(|_| {
            regex::RegexBuilder::new(&super::ascii_word_boundaries(pattern))
                .size_limit(100 << 20)
                .build()
        })
        .unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("an empty class compiles"))
}

#[cfg(test)]
mod tests {
    use super::LazyRegex;

    #[test]
    fn syntax_errors_are_the_regex_crates_own_at_load_time() {
        for bad in [
            r"(unclosed",
            r"\p{NoSuchClass}",
            r"a{2,1}",
            r"[z-a]",
            r"(?i-u:[\xFF])",
            r"(?-u)\xFF",
            r"x{4294967296}",
        ] {
            let ours = LazyRegex::new(bad).unwrap_err().to_string();
            let theirs = regex::Regex::new(bad).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{bad}");
        }
    }

    #[test]
    fn every_built_in_pattern_compiles() {
        // packs check syntax only; what else could fail (the size limit) is caught here
        for (id, _) in crate::pack::BUILTIN {
            crate::pack::RulePack::builtin(id).unwrap();
        }
        let shared = super::SHARED.lock().unwrap();
        assert!(shared.len() > 100, "{} patterns", shared.len());
        for pattern in shared.keys() {
            if let Err(e) = super::super::quick_regex(pattern) {
                panic!("{pattern}: {e}");
            }
        }
    }

    #[test]
    fn trust_ends_with_the_closure_that_asked_for_it() {
        let trusted = || super::TRUSTED.with(std::cell::Cell::get);
        assert!(!trusted());
        assert!(super::trusting(|| trusted()
            && super::trusting(trusted)
            && trusted()));
        assert!(!trusted());
        let caught = std::panic::catch_unwind(|| super::trusting(|| panic!("in a pack")));
        assert!(caught.is_err());
        assert!(!trusted(), "restored on unwinding too");
        assert!(LazyRegex::new(r"(unclosed-untrusted-test").is_err());
    }

    #[test]
    fn only_unicode_classes_and_unicode_off_need_the_full_translation() {
        use super::switches_unicode_off as off;
        assert!(off(r"(?-u)\xFF") && off(r"(?i-u:x)") && off(r"(?-iu)x"));
        assert!(!off(r"(?i)\bfast\b") && !off(r"(?u)x") && !off(r"(?i:u-x)"));
    }

    #[test]
    fn patterns_compile_on_first_use_and_are_shared_by_text() {
        let a = LazyRegex::new(r"(?i)\bshared-lazy-test\b").unwrap();
        let b = LazyRegex::new(r"(?i)\bshared-lazy-test\b").unwrap();
        assert!(!a.is_compiled());
        assert!(b.is_match("a SHARED-LAZY-TEST here"));
        assert!(a.is_compiled(), "clones share the compiled regex");
        assert!(!a.is_match("shared-lazy-tester"));
    }

    #[test]
    fn a_pattern_matches_like_quick_regex() {
        let text = "Vault — KMS; ünïcode fast, Réponse";
        for p in [
            r"(?i)\bkms\b|\bvault\b",
            r"(?i)r.ponse",
            r"[\x27’]s\b",
            r"\w+",
        ] {
            let lazy = LazyRegex::new(p).unwrap();
            let eager = super::super::quick_regex(p).unwrap();
            let spans = |r: &regex::Regex| r.find_iter(text).map(|m| m.range()).collect::<Vec<_>>();
            assert_eq!(spans(&lazy), spans(&eager), "{p}");
        }
    }
}
