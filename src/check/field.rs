//! `field`: the document states a value for a named field — an architecture decision
//! record's status, a document's owner — and, optionally, the value is one of a list.
//!
//! Real documents write a field in several ways, all accepted:
//! - front matter: `status: accepted`;
//! - a labelled line, bulleted or bold or not: `* Status: accepted`, `**Status:** Accepted`;
//! - a two-column table row: `| Status | Accepted |`;
//! - a section titled for it: `## Status` followed by `Accepted`.
//!
//! The value is its first word, case-insensitive, after struck-through text is dropped
//! (`~~Proposed~~ Accepted` is accepted), so `Superseded by ADR-0007` reads `superseded`.

use std::ops::Range;

use serde::Deserialize;

use super::{Check, CompileError, Context, Finding, LazyRegex, regex};
use crate::document::Document;
use crate::outline::Template;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    /// The field as messages name it ("status").
    name: String,
    /// Regex for the key or section title, matched case-insensitively against all of it.
    key: String,
    /// Values the field may take (its first word, case-insensitive); empty: any value.
    #[serde(default)]
    allowed: Vec<String>,
    /// Report a document that does not state the field at all.
    #[serde(default = "yes")]
    required: bool,
    /// `help:` when the field is missing.
    #[serde(default)]
    help: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug)]
pub struct Field {
    name: String,
    allowed: Vec<String>,
    required: bool,
    help: Option<String>,
    /// The whole key or title.
    key: LazyRegex,
    /// `key: value` lines (front matter, labelled lines).
    line: LazyRegex,
    /// `| key | value |` rows.
    row: LazyRegex,
}

impl Field {
    pub fn new(p: Params, _template: &Template) -> Result<Self, CompileError> {
        if p.name.trim().is_empty() {
            return Err(CompileError::Params("`name` must not be empty".into()));
        }
        // validate the user's regex on its own, so an error names it
        regex(&p.key)?;
        let key = regex(&format!("(?i)^(?:{})$", p.key))?;
        let line = regex(&format!(
            r"(?im)^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?[ \t]*(?:{})[ \t]*(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*(?P<v>[^\r\n]*)",
            p.key
        ))?;
        let row = regex(&format!(
            r"(?im)^[ \t]*\|[ \t]*(?:\*\*|__)?(?:{})(?:\*\*|__)?[ \t]*\|[ \t]*(?P<v>[^|\r\n]*)\|",
            p.key
        ))?;
        Ok(Field {
            name: p.name,
            allowed: p.allowed.iter().map(|a| a.to_lowercase()).collect(),
            required: p.required,
            help: p.help,
            key,
            line,
            row,
        })
    }

    /// Where the document states the field: the value's span (possibly empty).
    fn find(&self, doc: &Document) -> Option<Range<usize>> {
        if let Some(fm) = &doc.front_matter {
            let text = doc.slice(fm);
            if let Some(v) = self.line.captures(text).and_then(|c| c.name("v")) {
                return Some(fm.start + v.start()..fm.start + v.end());
            }
        }
        let outside = |at: usize| {
            !doc.in_code_or_html(at) && doc.front_matter.as_ref().is_none_or(|fm| at >= fm.end)
        };
        for re in [&self.line, &self.row] {
            for c in re.captures_iter(&doc.text) {
                let (Some(all), Some(v)) = (c.get(0), c.name("v")) else {
                    continue;
                };
                // a heading is not a labelled line
                let in_heading = doc
                    .sections
                    .iter()
                    .any(|s| s.heading.start <= all.start() && all.start() < s.heading.end);
                if outside(all.start()) && !in_heading {
                    return Some(v.start()..v.end());
                }
            }
        }
        // a section titled for the field: its first line of text
        let s = doc
            .sections
            .iter()
            .find(|s| self.key.is_match(s.title.trim()))?;
        let body = doc.slice(&s.body);
        let mut at = s.body.start;
        for line in body.split_inclusive('\n') {
            let t = line.trim();
            if !t.is_empty() && !t.starts_with("<!--") {
                let lead = line.len() - line.trim_start().len();
                return Some(at + lead..at + lead + t.len());
            }
            at += line.len();
        }
        Some(s.heading.clone())
    }
}

/// The value's first word: struck-through text and markup dropped, lowercased.
fn first_word(value: &str) -> Option<String> {
    let mut kept = String::new();
    let mut rest = value;
    while let Some(a) = rest.find("~~") {
        let Some(b) = rest[a + 2..].find("~~") else {
            break;
        };
        kept.push_str(&rest[..a]);
        kept.push(' ');
        rest = &rest[a + 2 + b + 2..];
    }
    kept.push_str(rest);
    kept.split(|c: char| !c.is_alphanumeric() && c != '-')
        .find(|w| !w.is_empty())
        .map(str::to_lowercase)
}

impl Check for Field {
    fn run(&self, doc: &Document, _ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let Some(span) = self.find(doc) else {
            if self.required {
                let mut f = Finding::new(
                    doc.first_line(),
                    format!("the document does not state its {}", self.name),
                )
                .document_level();
                f = f.with_help(self.help.clone().unwrap_or_else(|| {
                    format!(
                        "add a `{}: …` line or section{}",
                        capitalised(&self.name),
                        self.one_of()
                    )
                }));
                out.push(f);
            }
            return true;
        };
        if self.allowed.is_empty() {
            return true;
        }
        let value = doc.slice(&span);
        let bare = value.trim().trim_matches(['"', '\'']).trim();
        if bare.starts_with('{') || (bare.starts_with('[') && !bare.contains("](")) {
            out.push(
                Finding::new(
                    span.clone(),
                    format!("the {} is still the template's placeholder", self.name),
                )
                .with_help(format!("write the {}{}", self.name, self.one_of())),
            );
            return true;
        }
        match first_word(value) {
            Some(w) if self.allowed.contains(&w) => {}
            Some(_) => out.push(
                Finding::new(
                    span.clone(),
                    format!(
                        "{} `{}` is not one of the known values",
                        self.name,
                        shown_value(bare)
                    ),
                )
                .with_help(format!("use{}", self.one_of())),
            ),
            None => out.push(
                Finding::new(span.clone(), format!("the {} has no value", self.name))
                    .with_help(format!("write it{}", self.one_of())),
            ),
        }
        true
    }
}

impl Field {
    fn one_of(&self) -> String {
        if self.allowed.is_empty() {
            String::new()
        } else {
            format!(
                ": one of {}",
                self.allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// The value as a message quotes it: one line, at most 40 characters.
fn shown_value(v: &str) -> String {
    let v = v.lines().next().unwrap_or("").trim();
    match v.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &v[..i]),
        None => v.to_string(),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_word_skips_struck_text_and_markup() {
        assert_eq!(
            first_word("~~Proposed~~ Accepted").as_deref(),
            Some("accepted")
        );
        assert_eq!(
            first_word("**Superseded** by [ADR-7](7.md)").as_deref(),
            Some("superseded")
        );
        assert_eq!(first_word("  "), None);
        assert_eq!(first_word("~~unclosed").as_deref(), Some("unclosed"));
    }
}
