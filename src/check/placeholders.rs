//! `placeholders`: template text left unfilled — `{Project Name}`, `[Feature Name]`,
//! `Weeks 1-X`, `your_client_id`, `TBD` — found by the pack's patterns, while leaving alone
//! what only looks like one: links, task-list boxes, index syntax in code, HTML comments.

use serde::Deserialize;

use super::regexes::scan;
use super::{Check, CompileError, Context, Finding, known_scope};
use crate::document::Document;
use crate::language::{Langs, applies};
use crate::outline::Template;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    patterns: Vec<PatternParam>,
    /// Section ids to look in (empty: the whole document).
    #[serde(default)]
    scope: Vec<String>,
    /// One finding per code block (or paragraph) that lists its matches, instead of one per
    /// match: example values of an env block are one decision, made once.
    #[serde(default)]
    per_block: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PatternParam {
    /// A regex; if it has a capture group named `p`, that group is what is reported.
    pattern: String,
    /// Message; `{match}` is replaced by the text found.
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    help: Option<String>,
    /// Also look inside code blocks and inline code.
    #[serde(default = "yes")]
    in_code: bool,
    /// Only in documents in these languages (`"es"`, `["zh", "ja"]`).
    #[serde(default)]
    lang: Option<Langs>,
}

fn yes() -> bool {
    true
}

#[derive(Debug)]
struct Pattern {
    re: super::LazyRegex,
    lang: Option<Vec<String>>,
    message: String,
    help: String,
    in_code: bool,
}

#[derive(Debug)]
pub struct Placeholders {
    patterns: Vec<Pattern>,
    scope: Vec<String>,
    per_block: bool,
}

impl Placeholders {
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
                    re: super::regex(&pp.pattern)?,
                    lang: pp.lang.map(Langs::into_vec),
                    message: pp.message.unwrap_or_else(|| {
                        "template placeholder `{match}` was never filled in".into()
                    }),
                    help: pp
                        .help
                        .unwrap_or_else(|| "replace it with the project's real content".into()),
                    in_code: pp.in_code,
                })
            })
            .collect::<Result<_, CompileError>>()?;
        Ok(Placeholders {
            patterns,
            scope: p.scope,
            per_block: p.per_block,
        })
    }
}

impl Check for Placeholders {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let Some(spans) = ctx.scope(doc, &self.scope) else {
            return false;
        };
        // (range, pattern) for every match; where matches overlap, the earlier pattern wins
        let patterns = (self.patterns.iter().enumerate())
            .filter(|(_, p)| p.lang.as_ref().is_none_or(|l| applies(l, ctx.language)))
            .map(|(i, p)| (i, &*p.re));
        let mut found: Vec<(std::ops::Range<usize>, usize)> = scan(doc, &spans, patterns)
            .into_iter()
            .filter(|hit| {
                is_placeholder(doc, hit.range.clone(), self.patterns[hit.pattern].in_code)
            })
            .map(|hit| (hit.range, hit.pattern))
            .collect();
        found.sort_by_key(|(r, pi)| (r.start, *pi));
        let mut kept: Vec<(std::ops::Range<usize>, usize)> = Vec::with_capacity(found.len());
        for (r, pi) in found {
            match kept.last_mut() {
                Some((prev, ppi)) if r.start < prev.end => {
                    if pi < *ppi {
                        *prev = r;
                        *ppi = pi;
                    }
                }
                _ => kept.push((r, pi)),
            }
        }
        if self.per_block {
            report_per_block(doc, &self.patterns, &kept, out);
            return true;
        }
        for (r, pi) in kept {
            let pat = &self.patterns[pi];
            let text = &doc.text[r.clone()];
            out.push(
                Finding::new(r.clone(), pat.message.replace("{match}", text))
                    .with_help(pat.help.replace("{match}", text)),
            );
        }
        true
    }
}

/// One finding per code block (or paragraph outside code) naming the distinct values found.
fn report_per_block(
    doc: &Document,
    patterns: &[Pattern],
    kept: &[(std::ops::Range<usize>, usize)],
    out: &mut Vec<Finding>,
) {
    let block_of = |at: usize| match doc.code_block_at(at) {
        Some(b) => b.span.clone(),
        None => {
            let line = doc.lines.line_of(at);
            doc.lines.line_span(&doc.text, line)
        }
    };
    let mut i = 0;
    while i < kept.len() {
        let block = block_of(kept[i].0.start);
        let same = kept[i..]
            .iter()
            .take_while(|(r, _)| block.contains(&r.start))
            .count()
            .max(1);
        let mut values: Vec<&str> = Vec::new();
        for (r, _) in &kept[i..i + same] {
            let v = &doc.text[r.clone()];
            if !values.contains(&v) {
                values.push(v);
            }
        }
        let first = &kept[i].0;
        let listed = values
            .iter()
            .take(5)
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = if values.len() > 5 {
            format!(" and {} more", values.len() - 5)
        } else {
            String::new()
        };
        let message = if values.len() == 1 {
            format!("example value {listed} is still the template's")
        } else {
            format!(
                "{} example values here are still the template's: {listed}{more}",
                values.len()
            )
        };
        let pat = &patterns[kept[i].1];
        out.push(
            Finding::new(first.clone(), message).with_help(pat.help.replace("{match}", values[0])),
        );
        i += same;
    }
}

/// Context rules: what looks like a placeholder but is markdown or code syntax.
fn is_placeholder(doc: &Document, range: std::ops::Range<usize>, in_code: bool) -> bool {
    let at = range.start;
    if doc
        .front_matter
        .as_ref()
        .is_some_and(|r| r.start <= at && at < r.end)
        || doc.in_html(at)
    {
        return false;
    }
    if doc.link_at(at).is_some() {
        return false;
    }
    let in_code_block = doc.code_block_at(at).is_some();
    let in_inline_code = doc.in_inline_code(at);
    if (in_code_block || in_inline_code) && !in_code {
        return false;
    }
    let text = &doc.text;
    let matched = &text[range.clone()];
    let before = text[..at].chars().next_back();
    let after = text[range.end..].chars().next();
    if matched.starts_with('[') {
        // buttons in box-drawn UI mock-ups: `│ [Accept] [Reject] │`
        let line = doc.lines.line_span(text, doc.lines.line_of(at));
        if text[line].contains(['│', '┃', '║', '├', '└', '┌']) {
            return false;
        }
        // index syntax: `items[X]`, `row[col]`, `]` `)` before the bracket
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ']' || c == ')') {
            return false;
        }
        // unresolved link syntax `[text](…)` / `[text][ref]`, or a reference definition `[x]: url`
        if matches!(after, Some('(') | Some('[')) {
            return false;
        }
        // buttons written side by side: `[Confirm] [Edit] [Cancel]`
        let line_range = doc.lines.line_span(text, doc.lines.line_of(at));
        if ui_buttons(
            &text[line_range.clone()],
            at - line_range.start,
            range.end - line_range.start,
        ) {
            return false;
        }
        let line = doc.lines.line_of(at);
        let line_start = doc.lines.line_start(line);
        let prefix = &text[line_start..at];
        if after == Some(':') && prefix.trim().is_empty() {
            return false;
        }
        // task-list boxes: `- [x] done`
        if matches!(matched, "[x]" | "[X]" | "[ ]")
            && prefix
                .trim_start()
                .trim_start_matches(['-', '*', '+'])
                .trim()
                .is_empty()
        {
            return false;
        }
    }
    if matched.starts_with('{') && before == Some('$') {
        return false; // `${VAR}` interpolation
    }
    true
}

/// Whether the bracket at `start..end` of `line` sits next to another short bracket with only
/// spaces between them: a row of UI buttons (`[Confirm] [Edit]`), not a placeholder.
fn ui_buttons(line: &str, start: usize, end: usize) -> bool {
    let short = |s: &str| s.split_whitespace().count() <= 3;
    if !short(&line[start..end]) {
        return false;
    }
    let before = line[..start].trim_end_matches([' ', '\t']);
    let after = line[end..].trim_start_matches([' ', '\t']);
    let next_is_button = after.starts_with('[')
        && after[1..]
            .find(']')
            .is_some_and(|j| short(&after[..j + 2]) && !after[..j].contains('\n'));
    let prev_is_button = before.ends_with(']')
        && before[..before.len() - 1]
            .rfind('[')
            .is_some_and(|j| short(&before[j..]));
    next_is_button || prev_is_button
}
