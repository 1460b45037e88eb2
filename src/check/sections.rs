//! `sections`: the template's top-level sections and essential subsections are present,
//! in order, once each, consistently numbered and named. One kind, several rules: the
//! `report` parameter picks which aspect a rule reports.

use serde::Deserialize;

use super::{Applicability, Check, CompileError, Context, Edit, Finding, Fix};
use crate::document::Document;
use crate::outline::{self, STRONG, Template, TemplateSection, TemplateSubsection, Tokens};
use crate::scaffold;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
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
    report: Aspect,
}

#[derive(Debug)]
pub struct Sections {
    report: Aspect,
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
            Aspect::Missing | Aspect::Numbering | Aspect::Naming | Aspect::Subsections
        )
    }

    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        match self.report {
            Aspect::Missing => missing(doc, ctx, out),
            Aspect::Order => order(doc, ctx, out),
            Aspect::Duplicate => duplicate(doc, ctx, out),
            Aspect::Numbering => numbering(doc, ctx, out),
            Aspect::Subsections => subsections(doc, ctx, out),
            Aspect::Naming => naming(doc, ctx, out),
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
    if ctx.outline.unrecognised() {
        out.push(unrecognised(doc, ctx));
        return;
    }
    let level = section_level(doc, ctx);
    // numbers given to inserted sections so far: each is used once
    let mut given: Vec<u32> = Vec::new();
    for (i, ts) in ctx.template.sections.iter().enumerate() {
        // a heading that probably is the section gets a note from `section-title`, not an error
        if ctx.outline.sections[i].is_some()
            || ctx.outline.probable[i].is_some()
            || ctx.outline.pointed[i].is_some()
            || ts.optional
            || ctx.template.present_without_heading(i, doc)
        {
            continue;
        }
        let name = label(&ts.number, &ts.title);
        let mut f =
            Finding::new(doc.first_line(), format!("missing section `{name}`")).document_level();
        let after = ctx.outline.sections[..i]
            .iter()
            .rev()
            .flatten()
            .find(|m| !m.nested)
            .map(|m| heading_label(doc, m.section));
        let looked = format!(
            "no heading at any level is titled `{}`{}, is numbered and placed as it, or holds its content",
            ts.title,
            if ts.aliases.is_empty() {
                ""
            } else {
                " or one of its other names"
            }
        );
        let at = insertion_point(doc, ctx, i);
        let (number, style) = new_section_number(doc, ctx, level, at, &ts.number, &mut given);
        // the heading the help asks for is the one the fix inserts
        let heading = format!(
            "{} {}{}",
            "#".repeat(level as usize),
            number
                .as_deref()
                .map(|n| format!("{n}{style} "))
                .unwrap_or_default(),
            ts.title
        );
        f = f.with_help(match after {
            Some(a) => format!("{looked}; add a `{heading}` section after `{a}`"),
            None => format!("{looked}; add a `{heading}` section"),
        });
        let nl = doc.newline();
        let block = scaffold::section_block(ts, level, number.as_deref(), &style, nl);
        let text = scaffold::place(&doc.text, at, &block, nl);
        f = with_skeleton(
            doc,
            f,
            Fix::new(
                format!("insert a `{name}` skeleton"),
                Applicability::Unsafe,
                vec![Edit::insert(at, text)],
            )
            .skeleton(),
        );
        out.push(f);
    }
}

/// One finding for a document whose headings are not the template's: which of them were
/// read, and how to map them in `spec-check.toml`.
fn unrecognised(doc: &Document, ctx: &Context<'_>) -> Finding {
    let top = &ctx.outline.top;
    let example = top.first().map_or("Your Heading".to_string(), |&k| {
        doc.sections[k].title.clone()
    });
    let first = &ctx.template.sections[0];
    let mut f = Finding::new(
        doc.first_line(),
        format!(
            "the headings do not follow the template: {} of {} top-level headings name none of its {} sections",
            top.len() - top.iter().filter(|&&k| is_matched(ctx, k)).count(),
            top.len(),
            ctx.template.sections.len()
        ),
    )
    .document_level()
    .with_help(format!(
        "if the document follows another outline or language, map its headings to the template's sections in spec-check.toml, e.g. `[sections.{}]` `extend-aliases = [\"{}\"]` when `{}` is the template's `{}`; section ids: {}",
        first.id,
        example.replace('"', "\\\""),
        example,
        label(&first.number, &first.title),
        ctx.template
            .sections
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if let Some(&k) = top.first() {
        f = f.with_related(doc.sections[k].heading.clone(), "first top-level heading");
    }
    f
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
    given: &mut Vec<u32>,
) -> (Option<String>, String) {
    // the sections the new one sits among (not a lone `# Title` above them)
    let top: Vec<usize> = ctx
        .outline
        .top
        .iter()
        .copied()
        .filter(|&k| doc.sections[k].level == level)
        .collect();
    let numbered: Vec<(usize, u32)> = top
        .iter()
        .filter_map(|&k| Some((k, whole_number(doc.sections[k].number.as_deref()?)?)))
        .collect();
    if !top.is_empty() && numbered.is_empty() {
        return (None, String::new());
    }
    let before = numbered
        .iter()
        .rfind(|(k, _)| doc.sections[*k].heading.start < at)
        .copied();
    let after = numbered
        .iter()
        .find(|(k, _)| doc.sections[*k].heading.start >= at)
        .map(|&(_, n)| n);
    let style = before
        .map(|(k, _)| k)
        .or(numbered.first().map(|&(k, _)| k))
        .map_or_else(|| ".".to_string(), |k| number_style(doc, k));
    // the template's number where it fits between the neighbours, else the next free one;
    // never a number a section already has (then none: an unnumbered heading is better
    // than a duplicate)
    let fits = |n: u32| {
        !numbered.iter().any(|&(_, m)| m == n)
            && !given.contains(&n)
            && before.is_none_or(|(_, p)| n > p)
            && after.is_none_or(|q| n < q)
    };
    let candidates = template_number
        .parse::<u32>()
        .ok()
        .into_iter()
        .chain((1..=64).map(|d| before.map_or(0, |(_, p)| p).saturating_add(d)));
    let number = candidates.into_iter().find(|&n| n > 0 && fits(n));
    match number {
        Some(n) => {
            given.push(n);
            (Some(n.to_string()), style)
        }
        None => (None, String::new()),
    }
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
    let children = &doc.sections[parent].children;
    if !children.is_empty() && children.iter().all(|&c| doc.sections[c].number.is_none()) {
        return None;
    }
    // the prefix the subsections are written with (`5.` under a `## 6.` numbered by mistake:
    // the new one follows its siblings), else the parent's number (`1` for `1.0`)
    let prefixes: Vec<&str> = children
        .iter()
        .filter_map(|&c| Some(doc.sections[c].number.as_deref()?.rsplit_once('.')?.0))
        .collect();
    let written = doc.sections[parent].number.as_deref();
    let pnum = match prefixes.split_first() {
        Some((first, rest)) if rest.iter().all(|p| p == first) => *first,
        _ => written.map(|n| n.strip_suffix(".0").unwrap_or(n))?,
    };
    let prefix = format!("{pnum}.");
    // a child's own number under this prefix (`5.3` → 3)
    let own_number = |c: usize| -> Option<u32> {
        doc.sections[c]
            .number
            .as_deref()?
            .strip_prefix(prefix.as_str())?
            .parse::<u32>()
            .ok()
    };
    let last = children
        .iter()
        .filter(|&&c| doc.sections[c].heading.start < at)
        .filter_map(|&c| own_number(c))
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
    let max = children
        .iter()
        .filter_map(|&c| own_number(c))
        .max()
        .unwrap_or(0);
    let after_all = format!(
        "{pnum}.{}",
        max.saturating_add(1).saturating_add(earlier as u32)
    );
    template
        .into_iter()
        .chain([sequential, after_all])
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
        .filter_map(|(i, m)| {
            m.filter(|m| !m.nested && m.confident())
                .map(|m| (i, m.section))
        })
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

/// A section number as a whole number: `4`, or `4.0` in documents numbered that way.
fn whole_number(n: &str) -> Option<u32> {
    n.strip_suffix(".0").unwrap_or(n).parse().ok()
}

fn numbering(doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // The template number of the section a heading names: its confident link, or — for a
    // duplicate the `duplicate-section` rule reports — the section it unmistakably names.
    let template_number = |k: usize| {
        let matched = ctx
            .outline
            .sections
            .iter()
            .position(|m| m.is_some_and(|m| m.section == k && !m.nested && m.confident()));
        matched
            .or_else(|| {
                ctx.outline.best[k]
                    .filter(|(_, s)| *s >= STRONG)
                    .map(|(i, _)| i)
            })
            .map(|i| ctx.template.sections[i].number.clone())
    };
    // Corrected numbers of renumbered headings: their subsections are renumbered with them.
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
    let numbered: Vec<(usize, u32)> = ctx
        .outline
        .top
        .iter()
        .filter_map(|&k| {
            let s = &doc.sections[k];
            s.number_span.as_ref()?;
            Some((k, whole_number(s.number.as_deref()?)?))
        })
        .collect();
    for (pos, &(k, n)) in numbered.iter().enumerate() {
        let expected = prev.map_or(1, |p| p + 1);
        let written = doc.sections[k].number.clone().unwrap_or_default();
        let fits_template = template_number(k).as_deref() == Some(written.as_str());
        prev = Some(n);
        if n == expected || fits_template {
            continue;
        }
        // One finding at the break. The headings after it that count on from it are fine
        // as written; the fix renumbers them with it, so that no number is used twice.
        let why = match prev_of(&numbered, pos) {
            Some(p) if n == p => format!("section number {n} is used twice"),
            Some(p) => format!("section number {n} does not follow {p}"),
            None => format!("the first section is numbered {n}"),
        };
        let mut run = vec![(k, n)];
        for &(next, m) in &numbered[pos + 1..] {
            if m != run.last().map_or(0, |r| r.1) + 1 {
                break;
            }
            run.push((next, m));
        }
        let shift = |m: u32| (i64::from(m) + i64::from(expected) - i64::from(n)).max(0) as u32;
        let outside: Vec<u32> = numbered
            .iter()
            .filter(|(o, _)| !run.iter().any(|(r, _)| r == o))
            .map(|&(_, m)| m)
            .collect();
        let clashes = run.iter().any(|&(_, m)| outside.contains(&shift(m)));
        let mut edits = Vec::new();
        for &(r, m) in &run {
            let new = shift(m).to_string();
            edits.extend(renumber_edits(doc, r, &new));
            corrected.insert(r, new);
        }
        let s = &doc.sections[k];
        let span = s.number_span.clone().unwrap_or(s.heading.clone());
        let mut f = Finding::new(span, format!("{why}; expected `{expected}`")).with_help(
            if run.len() > 1 {
                format!(
                    "renumber `{}` as `{expected}` and the {} sections after it that count on from it",
                    heading_label(doc, k),
                    run.len() - 1
                )
            } else {
                format!("renumber `{}` as `{expected}`", heading_label(doc, k))
            },
        );
        if !clashes {
            // one heading (and its subsections' prefix) is mechanical; shifting a run of
            // sections may hide sections that were deleted
            let applicability = if run.len() == 1 {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            f = f.with_fix(Fix::new(
                format!("renumber as {expected}"),
                applicability,
                edits,
            ));
        }
        out.push(f);
    }
    subsection_numbering(doc, ctx, &corrected, out);
}

fn prev_of(numbered: &[(usize, u32)], pos: usize) -> Option<u32> {
    pos.checked_sub(1).map(|p| numbered[p].1)
}

/// Edits that give section `k` the number `new`, and its numbered subsections the same
/// prefix (`14.2` → `10.2` when `14` becomes `10`).
fn renumber_edits(doc: &Document, k: usize, new: &str) -> Vec<Edit> {
    let s = &doc.sections[k];
    let (Some(old), Some(span)) = (s.number.as_deref(), s.number_span.clone()) else {
        return Vec::new();
    };
    let old_whole = old.strip_suffix(".0").unwrap_or(old);
    let new_written = if old.ends_with(".0") {
        format!("{new}.0")
    } else {
        new.to_string()
    };
    let mut edits = vec![Edit::replace(
        span.clone(),
        doc.slice(&span).replacen(old, &new_written, 1),
    )];
    let prefix = format!("{old_whole}.");
    for d in outline::descendants(doc, k) {
        let ds = &doc.sections[d];
        if let (Some(num), Some(dspan)) = (ds.number.as_deref(), ds.number_span.clone())
            && let Some(rest) = num.strip_prefix(prefix.as_str())
        {
            let renumbered = format!("{new}.{rest}");
            edits.push(Edit::replace(
                dspan.clone(),
                doc.slice(&dspan).replacen(num, &renumbered, 1),
            ));
        }
    }
    edits
}

/// Subsection numbers: each extends its parent's number, and no two siblings share one.
/// Subsections numbered as a list of their own (`1.`, `2.` … under `## 3.`) are a style,
/// accepted; so is `1.0` for a section whose subsections are `1.1`, `1.2`.
fn subsection_numbering(
    doc: &Document,
    ctx: &Context<'_>,
    corrected: &std::collections::HashMap<usize, String>,
    out: &mut Vec<Finding>,
) {
    for (p, parent) in doc.sections.iter().enumerate() {
        if parent.children.is_empty() || corrected.contains_key(&p) {
            continue; // renumbered with their parent
        }
        if parent.level < ctx.outline.top_level || Some(p) == ctx.outline.title {
            continue;
        }
        let numbered: Vec<(usize, &str)> = parent
            .children
            .iter()
            .filter_map(|&c| {
                doc.sections[c].number_span.as_ref()?;
                Some((c, doc.sections[c].number.as_deref()?))
            })
            .collect();
        if numbered.iter().all(|(_, n)| !n.contains('.')) {
            continue; // a list of their own
        }
        let Some(pnum) = parent.number.as_deref() else {
            continue;
        };
        let pnum = pnum.strip_suffix(".0").unwrap_or(pnum);
        let prefix = format!("{pnum}.");
        // numbers that do not extend the parent's: one finding for the parent, at the first
        let wrong: Vec<(usize, String)> = numbered
            .iter()
            .filter(|(_, n)| n.contains('.') && !n.starts_with(prefix.as_str()))
            .map(|&(c, n)| {
                let last = n.rsplit_once('.').map_or(n, |(_, l)| l);
                (c, format!("{pnum}.{last}"))
            })
            .collect();
        if let Some((first, expected)) = wrong.first() {
            let num = doc.sections[*first].number.as_deref().unwrap_or("");
            let taken: Vec<&str> = numbered.iter().map(|(_, n)| *n).collect();
            let clashes = wrong.iter().any(|(_, e)| taken.contains(&e.as_str()));
            let more = match wrong.len() {
                1 => String::new(),
                n => format!(" (and {} more under it)", n - 1),
            };
            let mut f = Finding::new(
                doc.sections[*first].number_span.clone().unwrap_or_default(),
                format!(
                    "subsection number `{num}` does not extend its section's number `{pnum}`; expected `{expected}`{more}"
                ),
            )
            .with_help(format!(
                "renumber `{}` as `{expected}`{}",
                heading_label(doc, *first),
                if wrong.len() > 1 {
                    " and its siblings the same way"
                } else {
                    ""
                }
            ));
            if !clashes {
                let edits = wrong
                    .iter()
                    .flat_map(|(c, e)| renumber_edits(doc, *c, e))
                    .collect();
                f = f.with_fix(Fix::new(
                    format!("renumber as {expected}"),
                    Applicability::Safe,
                    edits,
                ));
            }
            out.push(f);
            continue;
        }
        // the same number twice among siblings
        for (idx, &(c, n)) in numbered.iter().enumerate() {
            let Some(&(first, _)) = numbered[..idx].iter().find(|(_, m)| *m == n) else {
                continue;
            };
            let max_last = numbered
                .iter()
                .filter_map(|(_, m)| m.strip_prefix(prefix.as_str())?.parse::<u32>().ok())
                .max()
                .unwrap_or(0);
            let free = format!("{pnum}.{}", max_last + 1);
            let line = doc.position(doc.sections[first].heading.start).line;
            out.push(
                Finding::new(
                    doc.sections[c].number_span.clone().unwrap_or_default(),
                    format!("subsection number `{n}` is used twice (also on line {line})"),
                )
                .with_help(format!(
                    "merge the two `{n}` subsections if they say the same, or renumber this one `{free}`"
                ))
                .with_related(doc.sections[first].heading.clone(), "first used here")
                .with_fix(Fix::new(
                    format!("renumber as {free}"),
                    Applicability::Unsafe,
                    renumber_edits(doc, c, &free),
                )),
            );
        }
    }
}

fn subsections(doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, ts) in ctx.template.sections.iter().enumerate() {
        let Some(m) = ctx.outline.sections[i] else {
            continue;
        };
        // missing: no heading for it, and none of its content anywhere in the document
        let absent = |j: usize| {
            ts.subsections[j].essential
                && ctx.outline.subsections[i][j].is_none()
                && ctx.template.subsection_content(i, j, doc).is_none()
        };
        let parent = &doc.sections[m.section];
        let mut at_same: Vec<usize> = Vec::new();
        if parent.children.is_empty() {
            let missing: Vec<String> = ts
                .subsections
                .iter()
                .enumerate()
                .filter(|(j, _)| absent(*j))
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
                    .filter(|(j, _)| absent(*j))
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
                .with_help("split the section into the template's subsections (no heading anywhere in the document names them, and their content is not elsewhere either)");
                out.push(with_skeleton(
                    doc,
                    f,
                    Fix::new(title, Applicability::Unsafe, vec![Edit::insert(at, text)]).skeleton(),
                ));
            }
            continue;
        }
        for (j, sub) in ts.subsections.iter().enumerate() {
            if !absent(j) {
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
                "add a `{} {name}` subsection (no heading anywhere in the document names it, and its content is not elsewhere either)",
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
    if ctx.outline.unrecognised() {
        return;
    }
    for (i, ts) in ctx.template.sections.iter().enumerate() {
        let name = label(&ts.number, &ts.title);
        if let Some(k) = ctx.outline.pointed[i] {
            out.push(
                Finding::new(
                    doc.sections[k].heading.clone(),
                    format!(
                        "section `{name}` is only a pointer here: `{}` refers to another document",
                        heading_label(doc, k)
                    ),
                )
                .with_help(format!(
                    "the checks of `{name}` cannot see the other document; summarise the section here, or check the other document with its own pack"
                )),
            );
            continue;
        }
        if let Some(p) = ctx.outline.probable[i] {
            // not sure enough to call it the section, too close to call the section missing
            let s = &doc.sections[p.section];
            out.push(
                Finding::new(
                    s.title_span.clone(),
                    format!(
                        "`{}` is probably section `{name}`",
                        heading_label(doc, p.section)
                    ),
                )
                .with_help(format!(
                    "if it is, title it `{}` (or add `{}` to `[sections.{}] extend-aliases` in spec-check.toml); if it is not, add a `{name}` section",
                    ts.title, s.title, ts.id
                ))
                .with_fix(Fix::new(
                    format!("rename to `{}`", ts.title),
                    Applicability::DisplayOnly,
                    vec![Edit::replace(
                        s.title_span.clone(),
                        renamed(doc.slice(&s.title_span), &ts.title),
                    )],
                )),
            );
            continue;
        }
        // Only a confident link recognised by its number, subsections or content rather
        // than its title is worth a note: a title that already names the section (the
        // template's, an alias, a close variant) is the author's to choose, and a section
        // written one level down inside another is a structure the template allows.
        let Some(m) = ctx.outline.sections[i] else {
            continue;
        };
        if m.nested || !m.confident() || m.exact || m.title_score >= outline::MATCH {
            continue;
        }
        // In a document written in another language the template's English title is no
        // better a name than the author's own: recognising the section is all that matters.
        if ctx.language.is_some_and(|l| l != "en") {
            continue;
        }
        let s = &doc.sections[m.section];
        let fix = Fix::new(
            format!("rename to `{}`", ts.title),
            Applicability::Unsafe,
            vec![Edit::replace(
                s.title_span.clone(),
                renamed(doc.slice(&s.title_span), &ts.title),
            )],
        );
        out.push(
            Finding::new(
                s.title_span.clone(),
                format!("section `{name}` is titled `{}`", s.title),
            )
            .with_help(format!(
                "its numbering and content are the template's `{name}`; use the template's title `{}` so readers and tools find it (renaming changes its anchor)",
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
