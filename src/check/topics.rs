//! `topics`: a part of the specification must talk about each of a list of named topics —
//! security's authentication method, authorization model, TLS…; testing's unit, integration
//! and end-to-end layers; deployment's environments, rollback and monitoring.
//!
//! A topic is present when any of its patterns matches the text of the scope: the template
//! sections named by `scope` plus every section whose heading matches `titles` (a
//! specification may put "Security" under its non-functional requirements, or monitoring in
//! a section of its own). Code blocks count — a permission matrix is often a TypeScript
//! object, a CI pipeline a YAML file — but HTML comments and `- **Label:** [placeholder]`
//! lines left from the template do not. A topic may apply only `when` a pattern matches
//! (password hashing, when passwords exist) and not apply `unless` another does (delegated
//! sign-in). Each missing topic is one finding at the heading of the scope's first section.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Check, CompileError, Context, Finding, LazyRegex, known_scope, regex};
use crate::check::regexes::compiled;
use crate::document::Document;
use crate::language::{LangPattern, Vocabulary};
use crate::outline::Template;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    /// Template section ids whose text is searched; the first one present is where findings
    /// point.
    scope: Vec<String>,
    /// Also search every section whose heading title matches this regex.
    #[serde(default)]
    titles: Option<String>,
    topics: Vec<TopicParam>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TopicParam {
    /// What the topic is, as the message names it ("rate limiting").
    name: String,
    /// Regexes; any match makes the topic present. `{ lang = "es", pattern = '…' }`
    /// applies to documents in that language only.
    patterns: Vec<LangPattern>,
    /// The topic is required only when this regex matches the scope.
    #[serde(default)]
    when: Option<String>,
    /// The topic is not required when this regex matches the scope.
    #[serde(default)]
    unless: Option<String>,
    /// More template sections where this topic, and only this one, may be found (rate
    /// limits are often stated with the API design, not under security).
    #[serde(default)]
    also: Vec<String>,
    /// Message; `{section}` is the heading findings point at, `{name}` the topic.
    #[serde(default)]
    message: Option<String>,
    help: String,
    /// The template subsection this topic is what of (`deployment.cicd` for the CI/CD
    /// pipeline): a finding for both is one gap, reported once.
    #[serde(default)]
    covers: Option<String>,
}

#[derive(Debug)]
struct Topic {
    name: String,
    patterns: Vocabulary,
    when: Option<LazyRegex>,
    unless: Option<LazyRegex>,
    also: Vec<String>,
    message: String,
    help: String,
    covers: Option<String>,
}

#[derive(Debug)]
pub struct Topics {
    scope: Vec<String>,
    titles: Option<LazyRegex>,
    topics: Vec<Topic>,
}

impl Topics {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        known_scope(&p.scope, template)?;
        if p.scope.is_empty() && p.titles.is_none() {
            return Err(CompileError::Params(
                "`scope` or `titles` must name where to look".into(),
            ));
        }
        if p.topics.is_empty() {
            return Err(CompileError::Params(
                "`topics` must list at least one topic".into(),
            ));
        }
        let topics = p
            .topics
            .into_iter()
            .map(|t| {
                known_scope(&t.also, template)?;
                known_scope(t.covers.as_slice(), template)?;
                if t.patterns.is_empty() {
                    return Err(CompileError::Params(format!(
                        "topic `{}` has no `patterns`",
                        t.name
                    )));
                }
                Ok(Topic {
                    patterns: Vocabulary::new(&t.patterns)?,
                    when: t.when.as_deref().map(regex).transpose()?,
                    unless: t.unless.as_deref().map(regex).transpose()?,
                    message: t
                        .message
                        .unwrap_or_else(|| "`{section}` says nothing about {name}".into()),
                    help: t.help,
                    covers: t.covers,
                    also: t.also,
                    name: t.name,
                })
            })
            .collect::<Result<_, CompileError>>()?;
        Ok(Topics {
            scope: p.scope,
            titles: p.titles.as_deref().map(regex).transpose()?,
            topics,
        })
    }
}

/// A labelled line whose value is only template placeholders: `- **Rate Limiting:** [How]`.
static UNFILLED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        r"(?m)^[ \t]*(?:[-*+][ \t]+)?\*\*[^*\n]+\*\*[ \t]*:?[ \t]*(?:\[[^\]\n]*\][ \t,/&-]*)+\r?$",
    )
});

impl Check for Topics {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let Some((anchor, spans)) = self.where_to_look(doc, ctx) else {
            return false;
        };
        let text = searchable(doc, &spans);
        let heading = &doc.sections[anchor];
        let section = match heading
            .number
            .as_deref()
            .map(|n| n.trim_end_matches(['.', ')']))
        {
            Some(n) if n.contains('.') => format!("{n} {}", heading.title),
            Some(n) => format!("{n}. {}", heading.title),
            None => heading.title.clone(),
        };
        for topic in &self.topics {
            if topic.when.as_ref().is_some_and(|w| !w.is_match(&text)) {
                continue;
            }
            if topic.unless.as_ref().is_some_and(|u| u.is_match(&text)) {
                continue;
            }
            if topic.patterns.is_match(&text, ctx.language) {
                continue;
            }
            if !topic.also.is_empty()
                && let Some(extra) = ctx.scope(doc, &topic.also)
                && topic
                    .patterns
                    .is_match(&searchable(doc, &extra), ctx.language)
            {
                continue;
            }
            out.push(
                Finding::new(
                    heading.heading.clone(),
                    topic
                        .message
                        .replace("{section}", &section)
                        .replace("{name}", &topic.name),
                )
                .with_help(topic.help.replace("{name}", &topic.name))
                .covering_opt(topic.covers.clone()),
            );
        }
        true
    }
}

impl Topics {
    /// The section findings point at and the byte ranges to search (disjoint, in order).
    fn where_to_look(
        &self,
        doc: &Document,
        ctx: &Context<'_>,
    ) -> Option<(usize, Vec<Range<usize>>)> {
        let mut anchor = self.scope.iter().find_map(|id| ctx.outline.resolve(id));
        let mut spans: Vec<Range<usize>> = if anchor.is_some() {
            ctx.scope(doc, &self.scope).unwrap_or_default()
        } else {
            Vec::new()
        };
        // headings matched by `titles` widen a scope that is present; they do not stand in
        // for a missing section (that is `missing-section`'s finding)
        if let Some(titles) = &self.titles
            && (anchor.is_some() || self.scope.is_empty())
        {
            for (k, s) in doc.sections.iter().enumerate() {
                if Some(k) != ctx.outline.title && titles.is_match(&s.title) {
                    anchor.get_or_insert(k);
                    spans.push(s.span());
                }
            }
        }
        let anchor = anchor?;
        spans.sort_by_key(|s| s.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        Some((anchor, merged))
    }
}

/// The text of `spans`, joined by newlines, with HTML and unfilled template lines blanked.
fn searchable(doc: &Document, spans: &[Range<usize>]) -> String {
    let mut text = String::new();
    for span in spans {
        let mut part = doc.slice(span).to_string();
        let mut hidden: Vec<Range<usize>> = doc
            .html
            .iter()
            .filter(|h| h.start >= span.start && h.end <= span.end)
            .map(|h| h.start - span.start..h.end - span.start)
            .collect();
        hidden.extend(UNFILLED_LABEL.find_iter(&part).map(|m| m.range()));
        for r in hidden {
            // spaces byte for byte, so the rest keeps its offsets; `r` lies on char boundaries
            if part.is_char_boundary(r.start) && part.is_char_boundary(r.end) {
                let spaces = " ".repeat(r.len());
                part.replace_range(r, &spaces);
            }
        }
        text.push_str(&part);
        text.push('\n');
    }
    text
}
