//! `forbidden`: text that must not be in a specification, such as passwords hashed with MD5
//! or stored in plain text. Each pattern may require a `context` in the same clause (the
//! words around the match up to a line break, `;` or the end of a sentence) — "MD5" is a
//! defect next to "password", not next to "ETag" — and is skipped when an `exempt` pattern
//! is in that clause ("never stored in plain text"). HTML comments are not searched.

use std::ops::Range;

use serde::Deserialize;

use super::regexes::scan;
use super::{Check, CompileError, Context, Finding, LazyRegex, known_scope, regex};
use crate::document::Document;
use crate::outline::Template;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    patterns: Vec<PatternParam>,
    /// Section ids to look in (empty: the whole document).
    #[serde(default)]
    scope: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PatternParam {
    /// A regex; if it has a capture group named `p`, that group is what is reported.
    pattern: String,
    /// Report only when this regex matches in the same clause.
    #[serde(default)]
    context: Option<String>,
    /// Do not report when this regex matches in the same clause.
    #[serde(default)]
    exempt: Option<String>,
    /// Message; `{match}` is replaced by the text found.
    message: String,
    help: String,
}

#[derive(Debug)]
struct Pattern {
    re: LazyRegex,
    context: Option<LazyRegex>,
    exempt: Option<LazyRegex>,
    message: String,
    help: String,
}

#[derive(Debug)]
pub struct Forbidden {
    patterns: Vec<Pattern>,
    scope: Vec<String>,
}

impl Forbidden {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        known_scope(&p.scope, template)?;
        if p.patterns.is_empty() {
            return Err(CompileError::Params(
                "`patterns` must list at least one pattern".into(),
            ));
        }
        let patterns = p
            .patterns
            .into_iter()
            .map(|pp| {
                Ok(Pattern {
                    re: regex(&pp.pattern)?,
                    context: pp.context.as_deref().map(regex).transpose()?,
                    exempt: pp.exempt.as_deref().map(regex).transpose()?,
                    message: pp.message,
                    help: pp.help,
                })
            })
            .collect::<Result<_, CompileError>>()?;
        Ok(Forbidden {
            patterns,
            scope: p.scope,
        })
    }
}

impl Check for Forbidden {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let Some(spans) = ctx.scope(doc, &self.scope) else {
            return false;
        };
        let mut found: Vec<Finding> = Vec::new();
        let patterns = self.patterns.iter().map(|p| &*p.re).enumerate();
        for hit in scan(doc, &spans, patterns) {
            let pat = &self.patterns[hit.pattern];
            let range = hit.range;
            if doc
                .html
                .iter()
                .any(|h| h.start <= range.start && range.start < h.end)
            {
                continue;
            }
            let clause = &hit.text[clause_around(hit.text, hit.local)];
            if pat.context.as_ref().is_some_and(|c| !c.is_match(clause))
                || pat.exempt.as_ref().is_some_and(|e| e.is_match(clause))
            {
                continue;
            }
            if found
                .iter()
                .any(|f| f.span.start < range.end && range.start < f.span.end)
            {
                continue;
            }
            found.push(
                Finding::new(range, pat.message.replace("{match}", hit.matched))
                    .with_help(pat.help.replace("{match}", hit.matched)),
            );
        }
        found.sort_by_key(|f| f.span.start);
        out.extend(found);
        true
    }
}

/// The clause that holds `m`: from the previous to the next line break, `;`, or sentence
/// end (`.`, `!`, `?` followed by whitespace).
fn clause_around(text: &str, m: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let ends_sentence = |i: usize| {
        matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
    };
    let mut start = m.start;
    while start > 0 {
        let i = start - 1;
        if matches!(bytes[i], b'\n' | b';') || ends_sentence(i) {
            break;
        }
        start -= 1;
    }
    let mut end = m.end;
    while end < bytes.len() {
        if matches!(bytes[end], b'\n' | b';') || ends_sentence(end) {
            break;
        }
        end += 1;
    }
    // both ends sit next to ASCII bytes (or the text's ends): valid boundaries
    start..end
}

#[cfg(test)]
mod tests {
    use super::clause_around;

    #[test]
    fn clause_stops_at_sentence_and_semicolon() {
        let t = "API keys use SHA-256. Passwords use MD5; tokens are random.\nNext";
        let at = t.find("MD5").unwrap();
        let c = clause_around(t, at..at + 3);
        assert_eq!(&t[c], " Passwords use MD5");
        let at = t.find("tokens").unwrap();
        assert_eq!(&t[clause_around(t, at..at + 6)], " tokens are random");
    }

    #[test]
    fn a_dot_inside_a_word_is_not_a_sentence_end() {
        let t = "hashlib.md5(password.encode())";
        let at = t.find("md5").unwrap();
        assert_eq!(clause_around(t, at..at + 3), 0..t.len());
    }
}
