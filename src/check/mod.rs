//! Generic check kinds. Each kind is one file; a pack rule instantiates a kind with
//! parameters. A checker is a pure function of the document, its parameters and the
//! `Context`; it knows nothing of rule codes, severities, output or the file system.

use std::fmt::Debug;
use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::document::Document;
use crate::outline::{Outline, Template};
use crate::source::Workspace;

pub use crate::diagnostic::{Applicability, Edit, Finding, Fix};
pub use empty_sections::says_nothing;
pub use lazy_regex::LazyRegex;
pub(crate) use lazy_regex::trusting;

mod api_endpoints;
mod code_fences;
mod database_choice;
mod decisions;
mod empty_sections;
mod env_vars;
mod field;
mod forbidden;
mod json_blocks;
mod lazy_regex;
mod links;
mod mermaid_blocks;
mod performance_targets;
mod placeholders;
mod prerequisites;
mod regexes;
mod secrets;
mod sections;
mod service_auth;
mod sql_schema;
mod timeline;
mod topics;
mod vibe_status;
mod yaml_blocks;

/// Builds a kind's checker from its TOML parameters (and the pack's template outline).
type Constructor = fn(toml::Table, &Template) -> Result<Box<dyn Check>, CompileError>;

/// Every check kind a pack may name, and how to build it: a new kind is one file and one row.
const KINDS: &[(&str, Constructor)] = &[
    ("sections", |p, t| {
        boxed(sections::Sections::new(params_as(p)?, t))
    }),
    ("empty-sections", |p, t| {
        boxed(empty_sections::EmptySections::new(params_as(p)?, t))
    }),
    ("placeholders", |p, t| {
        boxed(placeholders::Placeholders::new(params_as(p)?, t))
    }),
    ("prerequisites", |p, _| {
        boxed(prerequisites::Prerequisites::new(params_as(p)?))
    }),
    ("vibe-status", |p, _| {
        boxed(vibe_status::VibeStatus::new(params_as(p)?))
    }),
    ("json-blocks", |p, _| {
        boxed(json_blocks::JsonBlocks::new(params_as(p)?))
    }),
    ("sql-schema", |p, t| {
        boxed(sql_schema::SqlSchema::new(params_as(p)?, t))
    }),
    ("decisions", |p, t| {
        boxed(decisions::Decisions::new(params_as(p)?, t))
    }),
    ("topics", |p, t| {
        boxed(topics::Topics::new(params_as(p)?, t))
    }),
    ("forbidden", |p, t| {
        boxed(forbidden::Forbidden::new(params_as(p)?, t))
    }),
    ("performance-targets", |p, t| {
        boxed(performance_targets::PerformanceTargets::new(
            params_as(p)?,
            t,
        ))
    }),
    ("api-endpoints", |p, t| {
        boxed(api_endpoints::ApiEndpoints::new(params_as(p)?, t))
    }),
    ("field", |p, t| boxed(field::Field::new(params_as(p)?, t))),
    ("env-vars", |p, t| {
        boxed(env_vars::EnvVars::new(params_as(p)?, t))
    }),
    ("secrets", |p, _| {
        boxed(secrets::Secrets::new(params_as(p)?))
    }),
    ("service-auth", |p, t| {
        boxed(service_auth::ServiceAuth::new(params_as(p)?, t))
    }),
    ("mermaid-blocks", |p, _| {
        boxed(mermaid_blocks::MermaidBlocks::new(params_as(p)?))
    }),
    ("yaml-blocks", |p, _| {
        boxed(yaml_blocks::YamlBlocks::new(params_as(p)?))
    }),
    ("code-fences", |p, _| {
        boxed(code_fences::CodeFences::new(params_as(p)?))
    }),
    ("links", |p, _| boxed(links::Links::new(params_as(p)?))),
    ("timeline", |p, t| {
        boxed(timeline::Timeline::new(params_as(p)?, t))
    }),
    ("database-choice", |p, t| {
        boxed(database_choice::DatabaseChoice::new(params_as(p)?, t))
    }),
];

fn boxed<C: Check + 'static>(
    check: Result<C, CompileError>,
) -> Result<Box<dyn Check>, CompileError> {
    Ok(Box::new(check?))
}

/// The names of the check kinds, in the order of [`KINDS`].
pub fn kinds() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|(name, _)| *name)
}

/// Build the checker for `kind` from its TOML parameters.
pub fn compile(
    kind: &str,
    params: toml::Table,
    template: &Template,
) -> Result<Box<dyn Check>, CompileError> {
    let (_, build) = KINDS
        .iter()
        .find(|(name, _)| *name == kind)
        .ok_or(CompileError::UnknownKind)?;
    build(params, template)
}

/// One generic check, compiled with its parameters.
pub trait Check: Send + Sync + Debug {
    /// Append findings for `doc`. Returns `false` when the check does not apply to this
    /// document (its section is absent), so the scorecard can say "not applicable".
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool;

    /// Whether findings of this check may carry a fix.
    fn fixable(&self) -> bool {
        false
    }
}

/// What a checker may know beyond its document.
pub struct Context<'a> {
    /// The document's headings matched against the pack's template.
    pub outline: &'a Outline,
    pub template: &'a Template,
    /// Other files of the run (prerequisites, `.vibe-status.md`), read from the same source
    /// as the document: work tree, index or commit.
    pub workspace: &'a dyn Workspace,
    /// The document's language (`es`, `zh`…: detected, or set by `language`), `None` when
    /// unknown. Vocabulary entries with a `lang` apply only to documents in their language.
    pub language: Option<&'a str>,
}

impl Context<'_> {
    /// Byte ranges of the sections named by `ids` (template section or subsection ids).
    /// An empty list means the whole document. `None` when none of them is present.
    pub fn scope(&self, doc: &Document, ids: &[String]) -> Option<Vec<Range<usize>>> {
        if ids.is_empty() {
            return Some(std::iter::once(0..doc.text.len()).collect());
        }
        let mut spans: Vec<Range<usize>> = ids
            .iter()
            .filter_map(|id| self.outline.resolve(id))
            .map(|k| doc.sections[k].span())
            .collect();
        if spans.is_empty() {
            return None;
        }
        spans.sort_by_key(|s| s.start);
        // drop spans nested in an earlier one
        let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for s in spans {
            if out.last().is_none_or(|l| s.start >= l.end) {
                out.push(s);
            }
        }
        Some(out)
    }
}

/// Why a check could not be built from its parameters.
#[derive(Debug)]
pub enum CompileError {
    UnknownKind,
    Params(String),
}

fn params_as<P: DeserializeOwned>(params: toml::Table) -> Result<P, CompileError> {
    toml::Value::Table(params)
        .try_into()
        .map_err(|e: toml::de::Error| CompileError::Params(e.message().trim().to_string()))
}

/// Check that every id in `ids` names a template section or subsection.
fn known_scope(ids: &[String], template: &Template) -> Result<(), CompileError> {
    for id in ids {
        let (sec, sub) = match id.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (id.as_str(), None),
        };
        let ok = template
            .sections
            .iter()
            .find(|s| s.id == sec)
            .is_some_and(|s| sub.is_none_or(|sub| s.subsections.iter().any(|x| x.id == sub)));
        if !ok {
            return Err(CompileError::Params(format!(
                "unknown section `{id}` in scope; sections are: {}",
                template.ids()
            )));
        }
    }
    Ok(())
}

/// A regex parameter, naming it in the error. `\b` and `\B` are ASCII word boundaries
/// (see `ascii_word_boundaries`). Its syntax is checked now; it compiles when a rule first
/// searches with it, once per process however many rules name it (see [`LazyRegex`]).
pub(crate) fn regex(pattern: &str) -> Result<LazyRegex, CompileError> {
    LazyRegex::new(pattern)
        .map_err(|e| CompileError::Params(format!("invalid regex `{pattern}`: {e}")))
}

/// Compile `pattern` for searching prose: ASCII word boundaries, and — when the pattern
/// allows it — ASCII case folding and ASCII `\w`/`\s`/`\d` (see [`ascii_classes`]). Falls
/// back to the pattern as written (with ASCII `\b`) when the ASCII form does not compile.
/// A pattern with non-ASCII letters (`überwachung`, `autenticación`, `认证`) keeps Unicode
/// mode, so that `(?i)` folds `Ü` to `ü`.
///
/// `\b` is an ASCII boundary: it never holds next to a letter outside ASCII, so patterns
/// for CJK (written without spaces) and for words that begin or end with an accented
/// letter are written without it and match as substrings.
///
/// Why: compiling is most of what a one-file run costs. With Unicode on, `(?i)` folds every
/// letter into its Unicode variants (`k` → `k`, `K`, the Kelvin sign) and the literal
/// extraction for prefilters multiplies them out; the ASCII form of the built-in pack's 85
/// patterns compiles in 26 ms instead of 45 ms, and matches the same English keywords.
pub fn quick_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    let boundaries = ascii_word_boundaries(pattern);
    let foreign_letters = pattern.chars().any(|c| !c.is_ascii() && c.is_alphabetic());
    if !foreign_letters
        && let Some(ascii) = ascii_classes(&boundaries)
        && let Ok(re) = regex::Regex::new(&ascii)
    {
        return Ok(re);
    }
    regex::Regex::new(&boundaries)
}

/// `pattern` with Unicode mode off (`(?-u)` first), except for the parts that could then
/// match bytes that are not UTF-8 — `.`, negated classes `[^…]`, `\W`, `\S`, `\D` — which
/// keep Unicode mode (`(?u:…)`). `None` when the pattern uses something this does not
/// rewrite safely (`\p`, `\P`, a class holding a negated class); the regex crate rejects
/// any rewrite that could still match invalid UTF-8, and the caller then falls back.
fn ascii_classes(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    out.push_str("(?-u)");
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let n = *chars.get(i + 1)?;
                match n {
                    'p' | 'P' => return None,
                    'W' | 'S' | 'D' => {
                        out.push_str("(?u:\\");
                        out.push(n);
                        out.push(')');
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
                i += 2;
            }
            '[' => {
                // the whole class, nested classes included
                let start = i;
                let mut j = i + 1;
                let negated = chars.get(j) == Some(&'^');
                if negated {
                    j += 1;
                }
                if chars.get(j) == Some(&']') {
                    j += 1; // a literal `]` first
                }
                let mut depth = 1;
                while depth > 0 {
                    match *chars.get(j)? {
                        '\\' => {
                            if matches!(chars.get(j + 1), Some('p' | 'P')) {
                                return None;
                            }
                            j += 1;
                        }
                        '[' => {
                            if chars.get(j + 1) == Some(&'^')
                                || (chars.get(j + 1) == Some(&':')
                                    && chars.get(j + 2) == Some(&'^'))
                            {
                                return None;
                            }
                            depth += 1;
                        }
                        ']' => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                let class: String = chars[start..j].iter().collect();
                if negated {
                    out.push_str("(?u:");
                    out.push_str(&class);
                    out.push(')');
                } else {
                    out.push_str(&class);
                }
                i = j;
            }
            '.' => {
                out.push_str("(?u:.)");
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

/// `pattern` with every `\b` / `\B` outside a character class made ASCII (`(?-u:\b)`).
///
/// Why: a Unicode word boundary cannot run in the regex crate's fast DFA once the text holds
/// any non-ASCII character (`—`, `✓`, `é`, an emoji heading — every real spec does), and the
/// whole search falls back to the PikeVM. Measured on a 45 KB spec: one keyword alternation
/// took 87 ms with `\b`, 0.6 ms with `(?-u:\b)`. The two differ only next to non-ASCII
/// letters (`é` is a word character for one, not the other), which keyword patterns do not
/// care about. Use it for hand-written regexes in check kinds too.
pub fn ascii_word_boundaries(pattern: &str) -> std::borrow::Cow<'_, str> {
    if !pattern.contains("\\b") && !pattern.contains("\\B") {
        return std::borrow::Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut class = 0usize; // depth of `[...]` (classes nest in the regex crate)
    let mut class_start = false; // just after `[` or `[^`: a `]` here is literal
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next();
                match next {
                    // `\b{start}` and friends are left alone
                    Some(b @ ('b' | 'B')) if class == 0 && chars.peek() != Some(&'{') => {
                        out.push_str("(?-u:\\");
                        out.push(b);
                        out.push(')');
                    }
                    Some(n) => {
                        out.push('\\');
                        out.push(n);
                    }
                    None => out.push('\\'),
                }
                class_start = false;
                continue;
            }
            '[' => {
                class += 1;
                out.push(c);
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                class_start = true;
                continue;
            }
            ']' if class > 0 && !class_start => class -= 1,
            _ => {}
        }
        class_start = false;
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::ascii_word_boundaries as a;

    #[test]
    fn word_boundaries_become_ascii_outside_classes_only() {
        assert_eq!(a(r"\bvault\b"), r"(?-u:\b)vault(?-u:\b)");
        assert_eq!(a(r"\Bx"), r"(?-u:\B)x");
        assert_eq!(a(r"\\b"), r"\\b"); // an escaped backslash, then `b`
        assert_eq!(a(r"[\b]x"), r"[\b]x");
        assert_eq!(a(r"[]\b]\b"), r"[]\b](?-u:\b)");
        assert_eq!(a(r"[^]a]\b"), r"[^]a](?-u:\b)");
        assert_eq!(a(r"\b{start}x"), r"\b{start}x");
        assert_eq!(a("no boundary"), "no boundary");
    }

    #[test]
    fn ascii_classes_keep_unicode_where_bytes_could_be_matched() {
        use super::ascii_classes as c;
        assert_eq!(c(r"(?i)\bfast\b").unwrap(), r"(?-u)(?i)\bfast\b");
        assert_eq!(
            c(r"a.b[^.\n]{0,4}\W").unwrap(),
            r"(?-u)a(?u:.)b(?u:[^.\n]){0,4}(?u:\W)"
        );
        assert_eq!(c(r"[a-z\]]+\.").unwrap(), r"(?-u)[a-z\]]+\.");
        assert_eq!(c(r"[[:alpha:]]x").unwrap(), r"(?-u)[[:alpha:]]x");
        assert!(c(r"\p{L}").is_none());
        assert!(c(r"[[:^alpha:]]").is_none());
        assert!(c(r"[a[^b]]").is_none());
    }

    #[test]
    fn quick_regexes_fall_back_and_match_keywords_like_unicode_ones() {
        // a non-ASCII literal in a class cannot be ASCII: the pattern is kept as written
        let re = super::quick_regex(r"[\x27’]s\b").unwrap();
        assert!(re.is_match("team’s"));
        let text = "Réponse rapide — the API is FAST, sub-second; ünïcode fast. Naïve speed.";
        for p in [
            r"(?i)\bfast\b",
            r"(?i)\bspeed\b[^.]{0,10}",
            r"(?i)r.ponse",
            r"\w+",
        ] {
            let u = regex::Regex::new(p).unwrap();
            let q = super::quick_regex(p).unwrap();
            let spans = |r: &regex::Regex| {
                r.find_iter(text)
                    .map(|m| m.as_str().to_string())
                    .collect::<Vec<_>>()
            };
            if p == r"\w+" {
                // ASCII `\w` splits words at accented letters: the one difference
                assert!(spans(&q).contains(&"R".to_string()), "{:?}", spans(&q));
            } else {
                assert_eq!(spans(&u), spans(&q), "{p}");
            }
        }
    }

    #[test]
    fn ascii_boundaries_match_like_unicode_ones_on_keywords() {
        let text = "Keys live in Vault — ✓ (see `vault.hcl`); avault is not one. Ünïcode vault.";
        for p in [
            r"(?i)\bvault\b",
            r"\b[A-Z][a-z]+\b",
            r"(?i)\bkms\b|\bvault\b",
        ] {
            let u = regex::Regex::new(p).unwrap();
            let b = regex::Regex::new(&a(p)).unwrap();
            let spans = |r: &regex::Regex| r.find_iter(text).map(|m| m.range()).collect::<Vec<_>>();
            assert_eq!(spans(&u), spans(&b), "{p}");
        }
    }
}
