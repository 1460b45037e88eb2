//! `sections`: the template's top-level sections and essential subsections are present,
//! in order, once each, consistently numbered and named. One kind, several rules: the
//! `report` parameter picks which aspect a rule reports.

use serde::Deserialize;

use super::{Applicability, Check, CompileError, Context, Edit, Finding, Fix};
use crate::document::Document;
use crate::outline::{
    self, STRONG, SUGGEST, Template, TemplateSection, TemplateSubsection, Tokens,
};
use crate::scaffold;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Report {
    /// A top-level section is absent.
    Missing,
    /// A section comes before one the template puts ahead of it.
    Order,
    /// A section appears twice.
    Duplicate,
    /// A heading's number does not follow from its place.
    Numbering,
    /// An essential subsection is absent.
    Subsections,
    /// A section is present under a different title, or only as a subsection.
    Naming,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    report: Report,
}

#[derive(Debug)]
pub struct Sections {
    report: Report,
}

impl Sections {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        if template.is_empty() {
            return Err(CompileError::Params(
                "the `sections` check needs the pack to define [[sections]]".into(),
            ));
        }
        Ok(Sections { report: p.report })
    }
}

impl Check for Sections {
    fn fixable(&self) -> bool {
        matches!(
            self.report,
            Report::Missing | Report::Numbering | Report::Naming | Report::Subsections
        )
    }

    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        match self.report {
            Report::Missing => missing(doc, ctx, out),
            Report::Order => order(doc, ctx, out),
            Report::Duplicate => duplicate(doc, ctx, out),
            Report::Numbering => numbering(doc, ctx, out),
            Report::Subsections => subsections(doc, ctx, out),
            Report::Naming => naming(doc, ctx, out),
        }
        true
    }
}

fn label(number: &str, title: &str) -> String {
    if number.is_empty() {
        title.to_string()
    } else {
        format!("{number}. {title}")
    }
}

fn heading_label(doc: &Document, k: usize) -> String {
    let s = &doc.sections[k];
    match &s.number {
        Some(n) if n.contains('.') => format!("{n} {}", s.title),
        Some(n) => format!("{n}. {}", s.title),
        None => s.title.clone(),
    }
}

/// Where to insert a missing template section `i`: before the next present section in
/// template order; else after the last present earlier one (its subsections and any
/// untemplated sections that follow it stay with it only up to the next heading of its
/// level); else at the end of the document.
fn insertion_point(doc: &Document, ctx: &Context<'_>, i: usize) -> usize {
    let present = |m: &&outline::Match| !m.nested;
    if let Some(at) = ctx.outline.sections[i + 1..]
        .iter()
        .flatten()
        .filter(present)
        .map(|m| doc.sections[m.section].heading.start)
        .min()
    {
        return at;
    }
    ctx.outline.sections[..i]
        .iter()
        .flatten()
        .filter(present)
        .max_by_key(|m| doc.sections[m.section].heading.start)
        .map_or(doc.text.len(), |m| doc.sections[m.section].body.end)
}

/// Heading level for inserted top-level sections: the document's top level, except under a
/// lone `# Title` with nothing matched yet, where sections go one level below the title.
fn section_level(doc: &Document, ctx: &Context<'_>) -> u8 {
    let matched = ctx.outline.sections.iter().flatten().any(|m| !m.nested);
    let h1 = doc.sections.iter().filter(|s| s.level == 1).count();
    if !matched && h1 == 1 && doc.sections.first().is_some_and(|s| s.level == 1) {
        ctx.outline.top_level.max(2)
    } else if doc.sections.is_empty() {
        2
    } else {
        ctx.outline.top_level.clamp(1, 6)
    }
}

fn missing(doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let level = section_level(doc, ctx);
    // sections inserted at the same place so far, to number them one after another
    let mut at_same: Vec<usize> = Vec::new();
    for (i, ts) in ctx.template.sections.iter().enumerate() {
        if ctx.outline.sections[i].is_some()
            || ts.optional
            || ctx.template.present_without_heading(i, doc)
        {
            continue;
        }
        let name = label(&ts.number, &ts.title);
        let mut f =
            Finding::new(doc.first_line(), format!("missing section `{name}`")).document_level();
        // Did the author write it under a name we could not be sure of?
        let suggestion = ctx
            .outline
            .best
            .iter()
            .enumerate()
            .filter(|(k, _)| Some(*k) != ctx.outline.title && !is_matched(ctx, *k))
            .filter(|(k, _)| {
                doc.sections[*k].level <= ctx.outline.top_level + 1 && !inside_matched(doc, ctx, *k)
            })
            .filter_map(|(k, _)| {
                let score = ctx.template.score(i, &doc.sections[k].title);
                (score >= SUGGEST).then_some((k, score))
            })
            // a top-level heading is the likelier culprit than a subsection
            .max_by(|a, b| {
                let top = |k: usize| doc.sections[k].level == ctx.outline.top_level;
                top(a.0)
                    .cmp(&top(b.0))
                    .then(a.1.total_cmp(&b.1))
                    .then(b.0.cmp(&a.0))
            });
        let suggested = suggestion.is_some();
        if let Some((k, _)) = suggestion {
            let p = doc.position(doc.sections[k].heading.start);
            f = f
                .with_help(format!(
                    "did you mean `{}` (line {})? If so, rename it to `{name}`; otherwise add the section",
                    heading_label(doc, k),
                    p.line
                ))
                .with_related(doc.sections[k].heading.clone(), "this heading looks close");
        } else {
            let after = ctx.outline.sections[..i]
                .iter()
                .rev()
                .flatten()
                .find(|m| !m.nested)
                .map(|m| heading_label(doc, m.section));
            f = f.with_help(match after {
                Some(a) => format!(
                    "add a `{} {name}` section after `{a}`",
                    "#".repeat(level as usize)
                ),
                None => format!("add a `{} {name}` section", "#".repeat(level as usize)),
            });
        }
        let at = insertion_point(doc, ctx, i);
        let earlier = at_same.iter().filter(|&&a| a == at).count();
        at_same.push(at);
        let (number, style) = new_section_number(doc, ctx, level, at, &ts.number, earlier);
        let nl = doc.newline();
        let block = scaffold::section_block(ts, level, number.as_deref(), &style, nl);
        let text = scaffold::place(&doc.text, at, &block, nl);
        // when a heading looks like it, inserting another copy is for the author to decide
        let applicability = if suggested {
            Applicability::DisplayOnly
        } else {
            Applicability::Unsafe
        };
        f = with_skeleton(
            doc,
            f,
            Fix::new(
                format!("insert a `{name}` skeleton"),
                applicability,
                vec![Edit::insert(at, text)],
            )
            .skeleton(),
        );
        out.push(f);
    }
}

/// `f` with the skeleton `fix`, unless a block left open where it goes would swallow the
/// inserted headings (they would be code, and the finding would never go away): then the
/// finding points at that block instead.
fn with_skeleton(doc: &Document, f: Finding, fix: Fix) -> Finding {
    let at = fix.edits.first().map_or(0, |e| e.range.start);
    match doc.swallowing_block(at) {
        None => f.with_fix(fix),
        Some(block) => {
            let line = doc.slice(&block).lines().next().unwrap_or("").len();
            f.with_related(
                block.start..block.start + line,
                "this block is never closed, so it runs to the end of the file and would swallow an inserted skeleton; close it first",
            )
        }
    }
}

/// Whether a heading lies inside a section already matched to the template.
fn inside_matched(doc: &Document, ctx: &Context<'_>, k: usize) -> bool {
    let mut p = doc.sections[k].parent;
    while let Some(i) = p {
        if is_matched(ctx, i) {
            return true;
        }
        p = doc.sections[i].parent;
    }
    false
}

/// The number (and the separator after it, `.` in `4.`) for a section inserted at `at`:
/// the one after the numbered top-level section before it, counting `earlier` sections
/// inserted at the same place; the template's number at the start; none in a document whose
/// sections are unnumbered.
fn new_section_number(
    doc: &Document,
    ctx: &Context<'_>,
    level: u8,
    at: usize,
    template_number: &str,
    earlier: usize,
) -> (Option<String>, String) {
    // the sections the new one sits among (not a lone `# Title` above them)
    let top: Vec<usize> = ctx
        .outline
        .top
        .iter()
        .copied()
        .filter(|&k| doc.sections[k].level == level)
        .collect();
    let numbered: Vec<usize> = top
        .iter()
        .copied()
        .filter(|&k| doc.sections[k].number.as_deref().is_some_and(is_integer))
        .collect();
    if !top.is_empty() && numbered.is_empty() {
        return (None, String::new());
    }
    let before = numbered
        .iter()
        .copied()
        .rfind(|&k| doc.sections[k].heading.start < at);
    let style = before
        .or(numbered.first().copied())
        .map_or_else(|| ".".to_string(), |k| number_style(doc, k));
    let number = match before.and_then(|k| doc.sections[k].number.as_deref()?.parse::<u32>().ok()) {
        Some(n) => n
            .saturating_add(1)
            .saturating_add(earlier as u32)
            .to_string(),
        None if template_number.is_empty() => return (None, String::new()),
        None => template_number.to_string(),
    };
    (Some(number), style)
}

fn is_integer(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// What follows a heading's number where it is written: `.` in `4.`, `)` in `4)`, or nothing.
fn number_style(doc: &Document, k: usize) -> String {
    let s = &doc.sections[k];
    match (&s.number, &s.number_span) {
        (Some(n), Some(span)) => doc
            .slice(span)
            .strip_prefix(n.as_str())
            .unwrap_or("")
            .trim()
            .to_string(),
        _ => String::new(),
    }
}

/// The number for template subsection `sub` inserted into `parent` at `at`: the template's
/// own number when the parent carries the template's number, else the one after the
/// numbered sibling before it (`.1` when first, counting `earlier` insertions at the same
/// place) — whichever no sibling has yet. None when the parent or its subsections are
/// unnumbered, or when those numbers are taken (renumbering the author's subsections is not
/// this fix's business).
fn new_subsection_number(
    doc: &Document,
    parent: usize,
    at: usize,
    earlier: usize,
    ts: &TemplateSection,
    sub: &TemplateSubsection,
) -> Option<String> {
    let pnum = doc.sections[parent].number.as_deref()?;
    let children = &doc.sections[parent].children;
    if !children.is_empty() && children.iter().all(|&c| doc.sections[c].number.is_none()) {
        return None;
    }
    let prefix = format!("{pnum}.");
    let last = children
        .iter()
        .filter(|&&c| doc.sections[c].heading.start < at)
        .filter_map(|&c| {
            doc.sections[c]
                .number
                .as_deref()?
                .strip_prefix(prefix.as_str())?
                .parse::<u32>()
                .ok()
        })
        .next_back()
        .unwrap_or(0);
    let sequential = format!(
        "{pnum}.{}",
        last.saturating_add(1).saturating_add(earlier as u32)
    );
    let template = (pnum == ts.number && !sub.number.is_empty()).then(|| sub.number.clone());
    let taken = |n: &String| {
        children
            .iter()
            .any(|&c| doc.sections[c].number.as_deref() == Some(n.as_str()))
    };
    template
        .into_iter()
        .chain(std::iter::once(sequential))
        .find(|n| !taken(n))
}

fn is_matched(ctx: &Context<'_>, k: usize) -> bool {
    ctx.outline
        .sections
        .iter()
        .flatten()
        .any(|m| m.section == k)
}

fn order(doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // (template index, doc section) for top-level matches, in document order
    let mut seq: Vec<(usize, usize)> = ctx
        .outline
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.filter(|m| !m.nested).map(|m| (i, m.section)))
        .collect();
    seq.sort_by_key(|&(_, k)| k);
    let keep = longest_increasing(&seq.iter().map(|p| p.0).collect::<Vec<_>>());
    for (pos, &(i, k)) in seq.iter().enumerate() {
        if keep[pos] {
            continue;
        }
        let ts = &ctx.template.sections[i];
        // the first in-order section that the template puts after this one
        let before = seq
            .iter()
            .enumerate()
            .find(|(p, (j, _))| keep[*p] && *j > i)
            .map(|(_, &(_, kk))| kk);
        let mut f = Finding::new(
            doc.sections[k].heading.clone(),
            format!("section `{}` is out of order", label(&ts.number, &ts.title)),
        );
        if let Some(b) = before {
            f = f
                .with_help(format!(
                    "the template puts it before `{}`; move the whole section there",
                    heading_label(doc, b)
                ))
                .with_related(
                    doc.sections[b].heading.clone(),
                    "should come after this section",
                );
        }
        out.push(f);
    }
}

/// Marks the members of one longest strictly increasing subsequence.
fn longest_increasing(xs: &[usize]) -> Vec<bool> {
    let n = xs.len();
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if xs[j] < xs[i] && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let mut keep = vec![false; n];
    if let Some(mut i) = (0..n).max_by_key(|&i| (len[i], std::cmp::Reverse(i))) {
        loop {
            keep[i] = true;
            if prev[i] == usize::MAX {
                break;
            }
            i = prev[i];
        }
    }
    keep
}

fn duplicate(doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, ts) in ctx.template.sections.iter().enumerate() {
        let Some(m) = ctx.outline.sections[i].filter(|m| !m.nested) else {
            continue;
        };
        for &k in &ctx.outline.top {
            if k == m.section || is_matched(ctx, k) {
                continue;
            }
            // the same section twice: both name it, and they name each other
            let score = ctx.template.score(i, &doc.sections[k].title);
            let alike = Tokens::new(&doc.sections[k].title)
                .similarity(&Tokens::new(&doc.sections[m.section].title));
            if score >= STRONG && alike >= STRONG {
                out.push(
                    Finding::new(
                        doc.sections[k].heading.clone(),
                        format!(
                            "section `{}` appears more than once",
                            label(&ts.number, &ts.title)
                        ),
                    )
                    .with_help("merge the two sections into one")
                    .with_related(
                        doc.sections[m.section].heading.clone(),
                        "first appears here",
                    ),
                );
            }
        }
    }
}

fn numbering(doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // The template number of the section a heading names: its match, or — for a duplicate
    // the `duplicate-section` rule reports — the section it unmistakably names.
    let template_number = |k: usize| {
        let matched = ctx
            .outline
            .sections
            .iter()
            .position(|m| m.is_some_and(|m| m.section == k && !m.nested));
        matched
            .or_else(|| {
                ctx.outline.best[k]
                    .filter(|(_, s)| *s >= STRONG)
                    .map(|(i, _)| i)
            })
            .map(|i| ctx.template.sections[i].number.clone())
    };
    // Corrected numbers of flagged headings: children are judged against what their parent
    // should be, so `## 6. Database` holding `### 5.1 …` blames the parent, not the children.
    let mut corrected: std::collections::HashMap<usize, String> = std::collections::HashMap::new();
    // numbered headings before the first section (`## 1. Project Identity` under the title)
    // start the count
    let first = ctx
        .outline
        .top
        .first()
        .map_or(0, |&k| doc.sections[k].heading.start);
    let mut prev: Option<u32> = doc
        .sections
        .iter()
        .enumerate()
        .filter(|(k, s)| {
            s.heading.start < first
                && Some(*k) != ctx.outline.title
                && s.level > ctx.outline.top_level
        })
        .map(|(_, s)| s)
        .filter_map(|s| s.number.as_deref().filter(|n| is_integer(n))?.parse().ok())
        .next_back();
    for &k in &ctx.outline.top {
        let s = &doc.sections[k];
        let (Some(num), Some(span)) = (&s.number, &s.number_span) else {
            continue;
        };
        if num.contains('.') {
            continue; // a top-level heading numbered like a subsection is rare; leave it
        }
        let Ok(n) = num.parse::<u32>() else { continue };
        let expected = prev.map_or(1, |p| p + 1);
        let fits_template = template_number(k).as_deref() == Some(num.as_str());
        if n != expected && !fits_template {
            let why = match prev {
                Some(p) if n == p => format!("section number {n} is used twice"),
                Some(p) => format!("section number {n} does not follow {p}"),
                None => format!("the first section is numbered {n}"),
            };
            out.push(renumber(doc, k, span.clone(), &expected.to_string(), why));
            corrected.insert(k, expected.to_string());
            // the fix makes it `expected`; the sections after it are judged by that
            prev = Some(expected);
        } else {
            prev = Some(n);
        }
    }
    // subsections: their number must extend their parent's (corrected) number
    for (k, s) in doc.sections.iter().enumerate() {
        let (Some(num), Some(span), Some(p)) = (&s.number, &s.number_span, s.parent) else {
            continue;
        };
        if s.level <= ctx.outline.top_level {
            continue;
        }
        let Some(pnum) = corrected
            .get(&p)
            .or(doc.sections[p].number.as_ref())
            .cloned()
        else {
            continue;
        };
        let expected = match num.rsplit_once('.') {
            Some((prefix, _)) if prefix == pnum => continue,
            Some((_, last)) => format!("{pnum}.{last}"),
            None => format!("{pnum}.{num}"),
        };
        out.push(renumber(
            doc,
            k,
            span.clone(),
            &expected,
            format!("subsection number `{num}` does not extend its section's number `{pnum}`"),
        ));
        corrected.insert(k, expected);
    }
}

fn renumber(
    doc: &Document,
    k: usize,
    span: std::ops::Range<usize>,
    expected: &str,
    why: String,
) -> Finding {
    let s = &doc.sections[k];
    let written = doc.slice(&span);
    let num = s.number.as_deref().unwrap_or("");
    let replacement = written.replacen(num, expected, 1);
    Finding::new(span.clone(), format!("{why}; expected `{expected}`"))
        .with_help(format!(
            "renumber `{}` as `{expected}`",
            heading_label(doc, k)
        ))
        .with_fix(Fix::new(
            format!("renumber as {expected}"),
            Applicability::Safe,
            vec![Edit::replace(span, replacement)],
        ))
}

fn subsections(doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, ts) in ctx.template.sections.iter().enumerate() {
        let Some(m) = ctx.outline.sections[i] else {
            continue;
        };
        let parent = &doc.sections[m.section];
        let mut at_same: Vec<usize> = Vec::new();
        if parent.children.is_empty() {
            let missing: Vec<String> = ts
                .subsections
                .iter()
                .enumerate()
                .filter(|(j, sub)| sub.essential && ctx.outline.subsections[i][*j].is_none())
                .map(|(_, sub)| format!("`{} {}`", sub.number, sub.title))
                .collect();
            if !missing.is_empty() {
                // one skeleton per missing subsection, after the section's own text
                let nl = doc.newline();
                let level = (parent.level + 1).min(6);
                let at = parent.body.end;
                let blocks: Vec<String> = ts
                    .subsections
                    .iter()
                    .enumerate()
                    .filter(|(j, sub)| sub.essential && ctx.outline.subsections[i][*j].is_none())
                    .enumerate()
                    .map(|(earlier, (_, sub))| {
                        let number = new_subsection_number(doc, m.section, at, earlier, ts, sub);
                        scaffold::subsection_block(sub, level, number.as_deref(), nl)
                    })
                    .collect();
                let text = scaffold::place(&doc.text, at, &blocks.join(&format!("{nl}{nl}")), nl);
                let title = match missing.as_slice() {
                    [one] => format!("append a {one} skeleton"),
                    _ => format!("append {} subsection skeletons", missing.len()),
                };
                let f = Finding::new(
                    parent.heading.clone(),
                    format!(
                        "section `{}` has no subsections; the template expects {}",
                        label(&ts.number, &ts.title),
                        missing.join(", ")
                    ),
                )
                .with_help("split the section into the template's subsections");
                out.push(with_skeleton(
                    doc,
                    f,
                    Fix::new(title, Applicability::Unsafe, vec![Edit::insert(at, text)]).skeleton(),
                ));
            }
            continue;
        }
        for (j, sub) in ts.subsections.iter().enumerate() {
            if !sub.essential || ctx.outline.subsections[i][j].is_some() {
                continue;
            }
            let name = format!("{} {}", sub.number, sub.title);
            let level = (parent.level + 1).min(6);
            // before the first later subsection that is a direct child, else at the end of
            // the section (after its last subsection)
            let at = ctx.outline.subsections[i][j + 1..]
                .iter()
                .flatten()
                .filter(|&&k| doc.sections[k].parent == Some(m.section))
                .map(|&k| doc.sections[k].heading.start)
                .min()
                .unwrap_or(parent.body.end);
            let earlier = at_same.iter().filter(|&&a| a == at).count();
            at_same.push(at);
            let number = new_subsection_number(doc, m.section, at, earlier, ts, sub);
            let nl = doc.newline();
            let block = scaffold::subsection_block(sub, level, number.as_deref(), nl);
            let text = scaffold::place(&doc.text, at, &block, nl);
            let f = Finding::new(
                parent.heading.clone(),
                format!(
                    "section `{}` has no `{name}` subsection",
                    label(&ts.number, &ts.title)
                ),
            )
            .with_help(format!(
                "add a `{} {name}` subsection",
                "#".repeat(level as usize)
            ))
            .covering(format!("{}.{}", ts.id, sub.id));
            out.push(with_skeleton(
                doc,
                f,
                Fix::new(
                    format!("insert a `{name}` skeleton"),
                    Applicability::Unsafe,
                    vec![Edit::insert(at, text)],
                )
                .skeleton(),
            ));
        }
    }
}

fn naming(doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, ts) in ctx.template.sections.iter().enumerate() {
        let Some(m) = ctx.outline.sections[i] else {
            continue;
        };
        let s = &doc.sections[m.section];
        let expected = Tokens::new(&ts.title);
        if m.nested {
            out.push(
                Finding::new(
                    s.heading.clone(),
                    format!(
                        "`{}` is a subsection here; the template makes `{}` a top-level section",
                        heading_label(doc, m.section),
                        label(&ts.number, &ts.title)
                    ),
                )
                .with_help(format!(
                    "promote it to a level-{} heading in template order",
                    ctx.outline.top_level
                )),
            );
            continue;
        }
        let written = Tokens::new(&s.title);
        if written == expected {
            continue;
        }
        // A heading that shares the template title's subject is renamed; one matched only
        // through an alias ("Implementation Phases" for the team section) says something
        // else, so the rename is only shown.
        let applicability = if written.similarity(&expected) >= SUGGEST {
            Applicability::Unsafe
        } else {
            Applicability::DisplayOnly
        };
        let fix = Fix::new(
            format!("rename to `{}`", ts.title),
            applicability,
            vec![Edit::replace(
                s.title_span.clone(),
                renamed(doc.slice(&s.title_span), &ts.title),
            )],
        );
        out.push(
            Finding::new(
                s.title_span.clone(),
                format!("section `{}` is titled `{}`", label(&ts.number, &ts.title), s.title),
            )
            .with_help(format!(
                "use the template's title `{}` so readers and tools find it (renaming changes its anchor)",
                ts.title
            ))
            .with_fix(fix),
        );
    }
}

/// `title` written the way `raw` was: the same emphasis markers around it, in capitals if
/// it was, followed by the same trailing emoji.
fn renamed(raw: &str, title: &str) -> String {
    let body = raw.trim_end();
    // trailing decoration: emoji and symbols after the words (`API Specs 🔌`)
    let deco_start = body
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_whitespace() || (!c.is_ascii() && !c.is_alphanumeric()))
        .last()
        .map_or(body.len(), |(i, _)| i);
    let (words, deco) = body.split_at(deco_start);
    let marks = |s: &str, rev: bool| -> String {
        let it: Box<dyn Iterator<Item = char>> = if rev {
            Box::new(s.chars().rev())
        } else {
            Box::new(s.chars())
        };
        it.take_while(|c| matches!(c, '*' | '_')).collect()
    };
    let lead = marks(words, false);
    let trail = marks(words, true);
    let shouty = words.chars().any(char::is_alphabetic)
        && !words.chars().any(char::is_lowercase)
        && words.chars().filter(|c| c.is_alphabetic()).count() > 3;
    let title = if shouty {
        title.to_uppercase()
    } else {
        title.to_string()
    };
    if lead.is_empty() || trail.is_empty() {
        format!("{title}{deco}")
    } else {
        format!("{lead}{title}{trail}{deco}")
    }
}
