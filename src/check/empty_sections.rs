//! `empty-sections`: a template section or essential subsection that is present but says
//! nothing — only headings, only a placeholder, or fewer than `min-words` words.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Check, CompileError, Context, Finding};
use crate::document::Document;
use crate::outline::Template;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    /// Fewer words than this (outside headings, comments and placeholders) is empty.
    #[serde(default = "default_min_words")]
    min_words: usize,
    /// Also check the template's essential subsections.
    #[serde(default = "yes")]
    subsections: bool,
}

fn default_min_words() -> usize {
    5
}
fn yes() -> bool {
    true
}

#[derive(Debug)]
pub struct EmptySections {
    min_words: usize,
    subsections: bool,
}

impl EmptySections {
    pub fn new(p: Params, _template: &Template) -> Result<Self, CompileError> {
        if p.min_words == 0 {
            return Err(CompileError::Params(
                "`min-words` must be at least 1".into(),
            ));
        }
        Ok(EmptySections {
            min_words: p.min_words,
            subsections: p.subsections,
        })
    }
}

/// Bracketed template text and stand-in words that are not content.
static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"(?i)\[[^\]\n]*\]|\{[^}\n]*\}|\b(?:TBD|TBA|TODO|FIXME|N/A|coming soon|to be (?:defined|determined|decided|written|added))\b")
        .expect("valid filler regex")
});

impl Check for EmptySections {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let mut targets: Vec<(usize, String, Option<&str>)> = Vec::new();
        for (i, ts) in ctx.template.sections.iter().enumerate() {
            if let Some(m) = ctx.outline.sections[i] {
                targets.push((m.section, ts.label(), ts.guidance.as_deref()));
            }
            if self.subsections {
                for (j, sub) in ts.subsections.iter().enumerate() {
                    if let (true, Some(k)) = (sub.essential, ctx.outline.subsections[i][j]) {
                        targets.push((
                            k,
                            format!("{} {}", sub.number, sub.title),
                            sub.guidance.as_deref(),
                        ));
                    }
                }
            }
        }
        targets.sort_by_key(|t| t.0);
        targets.dedup_by_key(|t| t.0);
        for (k, name, guidance) in targets {
            let s = &doc.sections[k];
            let words = content_words(doc, s.span(), self.min_words);
            if words >= self.min_words {
                continue;
            }
            let raw = doc.slice(&s.body).trim();
            let what = if words == 0 && !raw.is_empty() && !only_headings(doc, s.body.clone()) {
                "has only a placeholder".to_string()
            } else if words == 0 {
                "is empty".to_string()
            } else {
                format!("has only {words} word{}", if words == 1 { "" } else { "s" })
            };
            out.push(
                Finding::new(s.heading.clone(), format!("section `{name}` {what}")).with_help(
                    format!(
                        "write the section's content (at least {} words){}",
                        self.min_words,
                        guidance.map(|g| format!(": {g}")).unwrap_or_default()
                    ),
                ),
            );
        }
        true
    }
}

fn only_headings(doc: &Document, body: Range<usize>) -> bool {
    let text = doc.slice(&body);
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    })
}

/// Words in `span` outside headings, HTML and placeholders; stops counting at `enough`.
fn content_words(doc: &Document, span: Range<usize>, enough: usize) -> usize {
    let mut skip: Vec<Range<usize>> = doc
        .sections
        .iter()
        .map(|s| s.heading.clone())
        .chain(doc.html.iter().cloned())
        .filter(|r| r.start < span.end && r.end > span.start)
        .collect();
    skip.sort_by_key(|r| r.start);
    let mut count = 0;
    let mut pos = span.start;
    let count_in = |a: usize, b: usize, count: &mut usize| {
        if a >= b {
            return;
        }
        let text = &doc.text[a..b];
        let cleaned = FILLER.replace_all(text, " ");
        *count += cleaned.split_whitespace().map(words_in).sum::<usize>();
    };
    for r in skip {
        if count >= enough {
            return count;
        }
        count_in(pos, r.start.max(pos).min(span.end), &mut count);
        pos = pos.max(r.end);
    }
    count_in(pos, span.end, &mut count);
    count
}

/// Whether section `k` (with its subsections) says nothing: fewer than the default
/// `min-words` words outside headings, comments and placeholders. The scorecard fails an item
/// whose section says nothing.
pub fn says_nothing(doc: &Document, k: usize) -> bool {
    let min = default_min_words();
    content_words(doc, doc.sections[k].span(), min) < min
}

/// How many words a whitespace-separated token holds. Chinese and Japanese are written
/// without spaces, so a sentence is one token: each two ideographs or kana count as a word
/// (words there average under two characters); other text is one word if it has a letter
/// or digit.
fn words_in(token: &str) -> usize {
    let cjk = token
        .chars()
        .filter(|&c| {
            matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
        })
        .count();
    let other = token
        .chars()
        .any(|c| c.is_alphanumeric() && !matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'));
    cjk.div_ceil(2) + usize::from(other)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cjk_sentences_count_as_several_words() {
        assert_eq!(super::words_in("数据库只能从私有网络访问。"), 6);
        assert_eq!(
            super::words_in("データベースはプライベートネットワークから"),
            11
        );
        assert_eq!(super::words_in("PostgreSQL"), 1);
        assert_eq!(super::words_in("Fastify模块"), 2);
        assert_eq!(super::words_in("—"), 0);
    }
}
