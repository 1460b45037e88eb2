//! Recognising the outline a pack expects in a document's headings.
//!
//! Real documents write the template's headings in many ways — `## 4. API Specification`,
//! `## 4) API Specs`, `# 🔌 4. API Specification`, `## API Specification` under an H1 title,
//! `Team & Resource Planning` for `Team Structure & Responsibilities`, `### 3.4 Security
//! Implementation` inside another section, a title in another language. Every heading is
//! weighed against every template section on all the evidence there is:
//!
//! - its title against the template title and aliases, as bags of normalised words (case,
//!   `&`/`and`, plurals, prefixes, diacritics kept, scripts written without spaces compared by
//!   character pairs, weak words such as "specification" counting little);
//! - the document's own numbering, when it follows the template's;
//! - its subsections, when they carry the template's subsection titles;
//! - its content: the pack's `cues` for the section (DDL for a database, method + path lines for
//!   an API, likelihood and impact for risks …);
//! - its level: the top level is the level whose headings name the most template sections,
//!   never a level numbered as subsections (`1.2`) of the one above.
//!
//! Headings and sections are then paired one to one, most certain pairs first. Each link
//! carries a confidence; the rules and the scorecard claim only as much as it allows. A
//! one-line pointer ("See API_SPECIFICATION.md") is never a section. Recognition happens once
//! per document and is linear in its size: every cue regex scans the text once.

use serde::Deserialize;

use crate::document::Document;

/// One expected top-level section, from a pack's `[[sections]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TemplateSection {
    pub id: String,
    /// The template's number (`"4"`); empty for outlines without numbers (ADRs).
    #[serde(default)]
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub subsections: Vec<TemplateSubsection>,
    /// What belongs in the section (used by scaffolding and "add this section" help).
    #[serde(default)]
    pub guidance: Option<String>,
    /// Globs of the files this section is expected in, for a pack that covers several
    /// documents with different outlines (empty: every file the pack checks).
    #[serde(default)]
    pub files: Vec<String>,
    /// Recognised when present, never reported missing (MADR's "Decision Drivers", which
    /// must not be mistaken for the decision itself).
    #[serde(default)]
    pub optional: bool,
    /// A regex: when the document's text (outside code) matches it, the section's content
    /// is there without a heading of its own (a states table right under the title), so
    /// it is not reported missing.
    #[serde(default)]
    pub present_if: Option<String>,
    /// Regexes for content that gives the section away wherever it is written (DDL for a
    /// database, `GET /path` lines for an API). A heading whose text matches several of them
    /// is more likely the section; see rules/README.md.
    #[serde(default)]
    pub cues: Vec<String>,
}

impl TemplateSection {
    /// How messages name the section: `4. API Specification`, or `Context` unnumbered.
    pub fn label(&self) -> String {
        if self.number.is_empty() {
            self.title.clone()
        } else {
            format!("{}. {}", self.number, self.title)
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TemplateSubsection {
    pub id: String,
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub essential: bool,
    #[serde(default)]
    pub guidance: Option<String>,
    /// Regexes for content that covers the subsection wherever it is written (a
    /// `Contingency:` line under each risk covers the contingency plans).
    #[serde(default)]
    pub cues: Vec<String>,
}

/// A pack's expected outline with its names pre-tokenised.
#[derive(Debug, Clone, Default)]
pub struct Template {
    pub sections: Vec<TemplateSection>,
    names: Vec<Vec<Tokens>>,
    sub_names: Vec<Vec<Vec<Tokens>>>,
    /// The template title alone, per section (an exact title anchors its section).
    titles: Vec<Tokens>,
    /// `present_if` per section (packs validate the regexes when they load; each compiles
    /// when first asked).
    present_if: Vec<Option<crate::check::LazyRegex>>,
    /// Every section's `cues` in one set (one pass over a heading's text finds them all),
    /// and which section and cue each pattern of the set is.
    cue_set: Option<regex::RegexSet>,
    cue_index: Vec<(usize, usize)>,
    sub_cues: Vec<Vec<Vec<crate::check::LazyRegex>>>,
}

/// Cue regexes, compiled when a document first needs them (packs validate them when they
/// load; an invalid one is skipped here).
fn compile_cues(cues: &[String]) -> Vec<crate::check::LazyRegex> {
    cues.iter()
        .filter_map(|c| crate::check::LazyRegex::new(c).ok())
        .collect()
}

impl Template {
    pub fn new(sections: Vec<TemplateSection>) -> Self {
        let names = sections
            .iter()
            .map(|s| names_of(&s.title, &s.aliases))
            .collect();
        let sub_names = sections
            .iter()
            .map(|s| {
                s.subsections
                    .iter()
                    .map(|sub| names_of(&sub.title, &sub.aliases))
                    .collect()
            })
            .collect();
        let present_if = sections
            .iter()
            .map(|s| {
                s.present_if
                    .as_deref()
                    .and_then(|r| crate::check::LazyRegex::new(r).ok())
            })
            .collect();
        let titles = sections.iter().map(|s| Tokens::new(&s.title)).collect();
        let mut cue_index = Vec::new();
        let mut patterns = Vec::new();
        for (i, s) in sections.iter().enumerate() {
            for (c, cue) in s.cues.iter().enumerate().take(64) {
                // a syntax check, not a compilation: the set compiles them all once
                if crate::check::LazyRegex::new(cue).is_ok() {
                    cue_index.push((i, c));
                    patterns.push(crate::check::ascii_word_boundaries(cue).into_owned());
                }
            }
        }
        let cue_set = if patterns.is_empty() {
            None
        } else {
            regex::RegexSet::new(&patterns).ok()
        };
        let sub_cues = sections
            .iter()
            .map(|s| {
                s.subsections
                    .iter()
                    .map(|x| compile_cues(&x.cues))
                    .collect()
            })
            .collect();
        Template {
            sections,
            names,
            sub_names,
            titles,
            present_if,
            cue_set,
            cue_index,
            sub_cues,
        }
    }

    /// Where in `doc` the content of subsection `j` of section `i` is written without its
    /// heading: the first match of one of its cues, if any.
    pub fn subsection_content(&self, i: usize, j: usize, doc: &Document) -> Option<usize> {
        // in the text, not in a heading (`## Risk Mitigation & Contingency Planning` names
        // contingency plans without holding any)
        let in_heading = |at: usize| {
            let k = doc.sections.partition_point(|s| s.heading.start <= at);
            k > 0 && doc.sections[k - 1].heading.contains(&at)
        };
        self.sub_cues
            .get(i)?
            .get(j)?
            .iter()
            .filter_map(|re| {
                re.find_iter(&doc.text)
                    .map(|m| m.start())
                    .find(|&at| !in_heading(at))
            })
            .min()
    }

    /// Whether section `i`'s content is in `doc` without a heading (its `present_if`
    /// matches text outside code blocks).
    pub fn present_without_heading(&self, i: usize, doc: &Document) -> bool {
        let Some(Some(re)) = self.present_if.get(i) else {
            return false;
        };
        re.find_iter(&doc.text)
            .any(|m| !doc.code_blocks.iter().any(|b| b.span.contains(&m.start())))
    }

    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.id == id)
    }

    /// The section ids, comma-separated, for error messages that list the valid ones.
    pub fn ids(&self) -> String {
        self.sections
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// How well `title` names template section `i` (0–1).
    pub fn score(&self, i: usize, title: &str) -> f32 {
        let t = Tokens::new(title);
        best(&self.names[i], &t)
    }

    fn sub_score(&self, i: usize, j: usize, title: &Tokens) -> f32 {
        best(&self.sub_names[i][j], title)
    }

    /// Whether `title` has a word (not a weak one such as "specification") in common with a
    /// name of section `i`.
    fn shares_word(&self, i: usize, title: &Tokens) -> bool {
        self.names[i].iter().any(|n| n.shares_word(title))
    }

    /// Whether `title` is the template's own title of section `i` (numbering, emoji, case,
    /// `&`/`and` and plurals aside).
    pub fn is_exact(&self, i: usize, title: &Tokens) -> bool {
        !title.is_empty() && self.titles[i].same_words(title)
    }
}

fn names_of(title: &str, aliases: &[String]) -> Vec<Tokens> {
    std::iter::once(title)
        .chain(aliases.iter().map(String::as_str))
        .map(Tokens::new)
        .collect()
}

fn best(names: &[Tokens], t: &Tokens) -> f32 {
    names.iter().map(|n| n.similarity(t)).fold(0.0, f32::max)
}

/// A confidence at or above this makes a top-level heading the template's section.
pub const MATCH: f32 = 0.6;
/// A confidence at or above this is unmistakable, at any heading level: rules that move or
/// rename sections act only on links this sure.
pub const STRONG: f32 = 0.8;
/// A confidence at or above this is worth a "did you mean" / "probably".
pub const SUGGEST: f32 = 0.5;
/// A top-level heading whose title scores below this is not a template section, whatever
/// its number and content.
const TITLE_FLOOR: f32 = 0.4;

/// Where a template section was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// Index into `Document::sections`.
    pub section: usize,
    /// How sure the link is (0–1): title, numbering, subsections and content together.
    pub score: f32,
    /// Found only below the document's top level (e.g. `### Testing Strategy` inside QA).
    pub nested: bool,
    /// The heading carries the template's own title.
    pub exact: bool,
    /// How well the heading's title alone names the section (0–1).
    pub title_score: f32,
}

impl Match {
    /// Sure enough to reorder, rename or fix on.
    pub fn confident(&self) -> bool {
        self.score >= STRONG
    }
}

/// A document's headings matched against a template.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Heading level of the document's top-level sections.
    pub top_level: u8,
    /// The document title heading, if any (not a section).
    pub title: Option<usize>,
    /// Per template section.
    pub sections: Vec<Option<Match>>,
    /// Per template section that no heading is linked to: the heading that probably covers
    /// it under another title (too unsure to be the section, too close to call it missing).
    pub probable: Vec<Option<Match>>,
    /// Per template section, per subsection: the heading that provides it.
    pub subsections: Vec<Vec<Option<usize>>>,
    /// Indices of the document's top-level sections (title excluded).
    pub top: Vec<usize>,
    /// Per document section: best template section and title score (for suggestions).
    pub best: Vec<Option<(usize, f32)>>,
    /// Headings that only point elsewhere ("See API_SPECIFICATION.md"): never a section.
    pub pointers: Vec<usize>,
    /// Per template section not linked: a pointer heading that names it (the section is
    /// kept in another document).
    pub pointed: Vec<Option<usize>>,
    template_ids: Vec<String>,
    sub_ids: Vec<Vec<String>>,
}

/// How a heading is numbered, as far as telling sections from subsections goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    None,
    /// `4.`, `4)`, `4.0`, `Section 4:`, `§4`, `IV.`: a section's number.
    Whole(u32),
    /// `4.2`: a subsection's.
    Dotted,
}

fn numbering(s: &crate::document::Section) -> Numbering {
    match s.number.as_deref() {
        Some(n) => {
            let whole = n.strip_suffix(".0").unwrap_or(n);
            match whole.parse::<u32>() {
                Ok(v) => Numbering::Whole(v),
                Err(_) => Numbering::Dotted,
            }
        }
        None => roman_prefix(&s.title).map_or(Numbering::None, |(v, _)| Numbering::Whole(v)),
    }
}

/// A leading roman numeral followed by `.` or `)` and a space (`IV. Database Design`):
/// its value and the length of the prefix.
pub fn roman_prefix(title: &str) -> Option<(u32, usize)> {
    let letters = title
        .find(|c: char| !matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
        .unwrap_or(title.len());
    if letters == 0 || letters > 7 {
        return None;
    }
    let rest = &title[letters..];
    let after = rest.strip_prefix(['.', ')'])?;
    if !after.starts_with(' ') {
        return None;
    }
    let value = |c: u8| match c {
        b'I' => 1,
        b'V' => 5,
        b'X' => 10,
        b'L' => 50,
        _ => 100,
    };
    let b = title.as_bytes();
    let mut total = 0i32;
    for i in 0..letters {
        let v = value(b[i]);
        // a smaller numeral before a larger one is subtracted (`IV`)
        if i + 1 < letters && v < value(b[i + 1]) {
            total -= v;
        } else {
            total += v;
        }
    }
    Some((u32::try_from(total).ok()?, letters + 2))
}

/// Whether a section above `k` is linked already.
fn inside_taken(doc: &Document, taken: &[bool], k: usize) -> bool {
    let mut p = doc.sections[k].parent;
    while let Some(q) = p {
        if taken[q] {
            return true;
        }
        p = doc.sections[q].parent;
    }
    false
}

/// Whether section `k` only points elsewhere: no subsections, and its text is one short
/// line that refers to another document ("See API_SPECIFICATION.md", a link).
fn is_pointer(doc: &Document, k: usize) -> bool {
    let s = &doc.sections[k];
    if !s.children.is_empty() {
        return false;
    }
    let body = doc.slice(&s.body);
    let mut lines = body.lines().map(str::trim).filter(|l| !l.is_empty());
    let (Some(line), None) = (lines.next(), lines.next()) else {
        return false;
    };
    if line.split_whitespace().count() > 12 {
        return false;
    }
    let lower = line.to_lowercase();
    lower.starts_with("see ")
        || lower.starts_with("refer to")
        || lower.starts_with("→")
        || lower.contains("](")
        || lower.contains(".md")
}

/// Which cues of each template section match in each heading's own text (before its first
/// subsection): one bit per cue. One pass of the pack's cue set over each heading's text: the
/// document is read once, whatever the number of cues.
const CUE_WINDOW: usize = 64 * 1024;

fn own_cues(doc: &Document, template: &Template) -> Vec<Vec<u64>> {
    let mut own = vec![vec![0u64; template.sections.len()]; doc.sections.len()];
    let Some(set) = &template.cue_set else {
        return own;
    };
    for (k, bits) in own.iter_mut().enumerate() {
        let start = doc.sections[k].heading.start;
        let end = doc
            .sections
            .get(k + 1)
            .map_or(doc.text.len(), |s| s.heading.start);
        // enough of the text to tell what the section is about: a section's first 64 KB
        // hold its cues if any do, and megabytes of one section cost no more than that
        let mut end = end.max(start).min(start + CUE_WINDOW);
        while !doc.text.is_char_boundary(end) {
            end -= 1;
        }
        for p in set.matches(&doc.text[start..end]).iter() {
            let (i, c) = template.cue_index[p];
            bits[i] |= 1 << c;
        }
    }
    own
}

impl Outline {
    pub fn new(doc: &Document, template: &Template) -> Outline {
        let n = template.sections.len();
        let count = doc.sections.len();
        let tokens: Vec<Tokens> = doc.sections.iter().map(|s| Tokens::new(&s.title)).collect();
        let scores: Vec<Vec<f32>> = tokens
            .iter()
            .map(|t| (0..n).map(|i| best(&template.names[i], t)).collect())
            .collect();
        let exact: Vec<Vec<bool>> = tokens
            .iter()
            .map(|t| (0..n).map(|i| template.is_exact(i, t)).collect())
            .collect();
        let best: Vec<Option<(usize, f32)>> = scores
            .iter()
            .map(|row| {
                row.iter()
                    .copied()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .filter(|(_, s)| *s > 0.0)
            })
            .collect();
        let numbers: Vec<Numbering> = doc.sections.iter().map(numbering).collect();
        let pointers: Vec<usize> = (0..count).filter(|&k| is_pointer(doc, k)).collect();

        // The top level: of the levels not numbered as subsections of the one above, the one
        // whose headings name the most different template sections; then a numbered sequence;
        // then the shallowest. Distinct, not total: twenty feature components each with
        // `##### API Endpoints` must not outvote the thirteen `##` sections.
        let mut covered = [0usize; 7];
        let mut whole = [0usize; 7];
        let mut dotted = [0usize; 7];
        let mut at_level = [0usize; 7];
        let mut seen = vec![[false; 7]; n];
        for (k, s) in doc.sections.iter().enumerate() {
            let l = s.level as usize;
            at_level[l] += 1;
            match numbers[k] {
                Numbering::Whole(_) => whole[l] += 1,
                Numbering::Dotted => dotted[l] += 1,
                Numbering::None => {}
            }
            if let Some((i, sc)) = best[k]
                && (sc >= MATCH || exact[k][i])
                && !pointers.contains(&k)
                && !std::mem::replace(&mut seen[i][l], true)
            {
                covered[l] += 1;
            }
        }
        let levels: Vec<usize> = (1..=6).filter(|&l| at_level[l] > 0).collect();
        let sections_level = |l: &&usize| dotted[**l] <= whole[**l];
        let pool: Vec<usize> = if levels.iter().any(|l| sections_level(&l)) {
            levels
                .iter()
                .copied()
                .filter(|l| sections_level(&l))
                .collect()
        } else {
            levels.clone()
        };
        let mut top_level = pool
            .iter()
            .copied()
            .max_by_key(|&l| (covered[l], whole[l] >= 2, std::cmp::Reverse(l)))
            .unwrap_or(1) as u8;
        // A lone heading first at its level, with deeper ones below it, is a title (unless
        // it names a template section: a document may be that one section).
        if at_level[top_level as usize] == 1
            && doc.sections.first().is_some_and(|s| s.level == top_level)
            && best[0].is_none_or(|(_, sc)| sc < MATCH)
            && !exact[0].iter().any(|&e| e)
            && let Some(&deeper) = levels.iter().find(|&&l| l > top_level as usize)
        {
            top_level = deeper as u8;
        }
        let title = doc.sections.first().and_then(|s| {
            let k = 0;
            let is_title = s.level < top_level
                || (s.level == top_level
                    && !matches!(numbers[k], Numbering::Whole(_))
                    && best[k].is_none_or(|(_, sc)| sc < MATCH)
                    && !exact[k].iter().any(|&e| e)
                    && doc.sections.iter().skip(1).any(|o| o.level == top_level));
            is_title.then_some(k)
        });
        let top: Vec<usize> = doc
            .sections
            .iter()
            .enumerate()
            .filter(|(k, s)| s.level == top_level && Some(*k) != title)
            .map(|(k, _)| k)
            .collect();

        // The document's numbers follow the template's when most top-level headings that
        // name a section carry its number: then a number is evidence too.
        let (named, agreeing) = top
            .iter()
            .filter_map(|&k| match (numbers[k], best[k]) {
                (Numbering::Whole(v), Some((i, sc))) if sc >= MATCH => {
                    Some(template.sections[i].number == v.to_string())
                }
                _ => None,
            })
            .fold((0, 0), |(a, b), agrees| (a + 1, b + usize::from(agrees)));
        let aligned = agreeing >= 2 && agreeing * 2 > named;

        // Content: the cues matched in each heading's text and its subsections'.
        let mut cues = own_cues(doc, template);
        for k in (0..count).rev() {
            if let Some(p) = doc.sections[k].parent {
                // a parent comes before its children: split between them
                let (before, from_k) = cues.split_at_mut(k);
                for (acc, bits) in before[p].iter_mut().zip(&from_k[0]) {
                    *acc |= bits;
                }
            }
        }
        // Subsections: which template sections a heading's children are subsections of.
        let mut child_hits = vec![vec![0u8; n]; count];
        for (c, s) in doc.sections.iter().enumerate() {
            let Some(p) = s.parent else { continue };
            for (i, ts) in template.sections.iter().enumerate() {
                if (0..ts.subsections.len()).any(|j| template.sub_score(i, j, &tokens[c]) >= STRONG)
                {
                    child_hits[p][i] = child_hits[p][i].saturating_add(1);
                }
            }
        }

        // a title written under several headings (`##### API Endpoints` in every feature) is
        // a pattern of subsections, not one section
        let key = |t: &Tokens| -> String {
            t.0.iter()
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>()
                .join("\u{1}")
        };
        let mut times: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for t in &tokens {
            *times.entry(key(t)).or_default() += 1;
        }
        let repeated: Vec<bool> = tokens
            .iter()
            .map(|t| !t.is_empty() && times[&key(t)] > 1)
            .collect();
        // the title of one of the section's own subsections (`13.5 Service Integration
        // Checklist`): inside another section, that is a stray subsection, not the section
        let names_subsection = |k: usize, i: usize| {
            (0..template.sections[i].subsections.len())
                .any(|j| template.sub_score(i, j, &tokens[k]) >= scores[k][i])
        };
        let confidence = |k: usize, i: usize| -> f32 {
            if exact[k][i] {
                return 1.0;
            }
            let mut c = scores[k][i];
            if aligned
                && doc.sections[k].level == top_level
                && template.sections[i]
                    .number
                    .parse::<u32>()
                    .is_ok_and(|t| numbers[k] == Numbering::Whole(t))
            {
                c += 0.2;
            }
            c += 0.3 * f32::from(child_hits[k][i].min(2));
            // subsections that are another section's, and none of this one's, say it is
            // that other section
            if child_hits[k][i] == 0 && child_hits[k].iter().any(|&h| h > 0) && scores[k][i] < 0.9 {
                c -= 0.25;
            }
            c += match cues[k][i].count_ones() {
                0 => 0.0,
                1 => 0.1,
                2 => 0.2,
                _ => 0.3,
            };
            c.min(0.99)
        };

        // One heading per section, most certain pairs first; the template's own title, then
        // the top level, then the earlier heading break ties.
        let mut pairs: Vec<(f32, bool, bool, usize, usize)> = Vec::new();
        for k in 0..count {
            if Some(k) == title || pointers.contains(&k) {
                continue;
            }
            let level = doc.sections[k].level;
            for i in 0..n {
                let c = confidence(k, i);
                // numbering and content confirm a title; they never make one up
                let eligible = exact[k][i]
                    || (level == top_level
                        && c >= MATCH
                        && (scores[k][i] >= TITLE_FLOOR
                            || (child_hits[k][i] > 0 && scores[k][i] >= 0.25)))
                    || (level > top_level && c >= STRONG && scores[k][i] >= MATCH);
                // the template's title on a subsection of a heading that already is the
                // section (`## 1. Technical Architecture Overview` › `### 1.1 System
                // Architecture`) is its subsection
                let under_the_section = level > top_level && {
                    let mut p = doc.sections[k].parent;
                    let mut found = false;
                    while let Some(q) = p {
                        found |= doc.sections[q].level == top_level
                            && Some(q) != title
                            && scores[q][i] >= STRONG;
                        p = doc.sections[q].parent;
                    }
                    found
                };
                if under_the_section {
                    continue;
                }
                if eligible {
                    pairs.push((c, exact[k][i], level == top_level, k, i));
                }
            }
        }
        pairs.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(b.2.cmp(&a.2))
                .then(a.3.cmp(&b.3))
        });
        let mut sections: Vec<Option<Match>> = vec![None; n];
        let mut taken = vec![false; count];
        for (c, is_exact, is_top, k, i) in pairs {
            if sections[i].is_some() || taken[k] {
                continue;
            }
            // a subsection of another section is that section's, unless it carries the
            // template's title, or its title and its content both say otherwise
            if !is_top
                && !is_exact
                && inside_taken(doc, &taken, k)
                && (scores[k][i] < STRONG
                    || cues[k][i] == 0
                    || doc.sections[k].level > top_level + 1
                    || repeated[k]
                    || names_subsection(k, i))
            {
                continue;
            }
            sections[i] = Some(Match {
                section: k,
                score: c,
                nested: !is_top,
                exact: is_exact,
                title_score: scores[k][i],
            });
            taken[k] = true;
        }

        // What an unlinked section probably is: the closest heading not linked to anything.
        let probable: Vec<Option<Match>> = (0..n)
            .map(|i| {
                if sections[i].is_some() {
                    return None;
                }
                (0..count)
                    .filter(|&k| !taken[k] && Some(k) != title && !pointers.contains(&k))
                    .filter(|&k| doc.sections[k].level <= top_level + 1)
                    .filter(|&k| cues[k][i] != 0 || !inside_taken(doc, &taken, k))
                    .map(|k| (k, confidence(k, i)))
                    // close in title, or full of the section's content with a word in common
                    .filter(|&(k, c)| {
                        let t = scores[k][i];
                        if doc.sections[k].level == top_level {
                            (c.max(t) >= SUGGEST && t >= TITLE_FLOOR)
                                || (cues[k][i].count_ones() >= 3
                                    && t >= 0.25
                                    && template.shares_word(i, &tokens[k]))
                        } else {
                            t >= MATCH && cues[k][i].count_ones() >= 2
                        }
                    })
                    .max_by(|a, b| {
                        let top = |k: usize| doc.sections[k].level == top_level;
                        top(a.0)
                            .cmp(&top(b.0))
                            .then(a.1.total_cmp(&b.1))
                            .then(b.0.cmp(&a.0))
                    })
                    .map(|(k, c)| Match {
                        section: k,
                        score: c,
                        nested: doc.sections[k].level != top_level,
                        exact: false,
                        title_score: scores[k][i],
                    })
            })
            .collect();

        // Where the template puts an unlinked section, between the headings of the sections
        // around it, a single heading holding some of its content probably is it (`# Vision`
        // first, where the executive summary goes).
        let mut probable = probable;
        for i in 0..n {
            if sections[i].is_some() || probable[i].is_some() {
                continue;
            }
            let at = |m: &Option<Match>| m.filter(|m| !m.nested).map(|m| m.section);
            let after = sections[..i].iter().filter_map(at).max();
            let before = sections[i + 1..].iter().filter_map(at).min();
            // both neighbours known: the first section may open the document, the last
            // may close it
            if (after.is_none() && i > 0) || (before.is_none() && i + 1 < n) {
                continue;
            }
            let gap: Vec<usize> = top
                .iter()
                .copied()
                .filter(|&k| after.is_none_or(|a| k > a) && before.is_none_or(|b| k < b))
                .filter(|&k| !taken[k] && !pointers.contains(&k))
                .collect();
            if let [k] = gap[..]
                && cues[k][i] != 0
                && !probable.iter().flatten().any(|m| m.section == k)
            {
                probable[i] = Some(Match {
                    section: k,
                    score: SUGGEST,
                    nested: false,
                    exact: false,
                    title_score: scores[k][i],
                });
            }
        }

        let pointed: Vec<Option<usize>> = (0..n)
            .map(|i| {
                if sections[i].is_some() || probable[i].is_some() {
                    return None;
                }
                pointers.iter().copied().find(|&k| scores[k][i] >= MATCH)
            })
            .collect();

        // Subsections: look below the matched section first, then anywhere (unmistakable only).
        // One heading per subsection and one subsection per heading, best scores first: a
        // `2.2 Frontend Architecture` is 2.2, even though it also shares a word with 2.1.
        let mut subsections = Vec::with_capacity(n);
        for (i, ts) in template.sections.iter().enumerate() {
            let mut found = vec![None; ts.subsections.len()];
            let below: Vec<usize> = match sections[i] {
                Some(m) => descendants(doc, m.section),
                None => Vec::new(),
            };
            let score = |j: usize, k: usize| {
                let mut s = template.sub_score(i, j, &tokens[k]);
                if doc.sections[k].number.as_deref() == Some(ts.subsections[j].number.as_str()) {
                    s += 0.25;
                }
                s
            };
            let mut used: Vec<usize> = Vec::new();
            let mut assign = |cands: &[usize], threshold: f32, found: &mut [Option<usize>]| {
                let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
                for j in (0..found.len()).filter(|&j| found[j].is_none()) {
                    for &k in cands {
                        let s = score(j, k);
                        if s >= threshold {
                            pairs.push((s, j, k));
                        }
                    }
                }
                // best score first; ties to the earlier subsection, then the earlier heading
                pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
                for (_, j, k) in pairs {
                    if found[j].is_none() && !used.contains(&k) {
                        found[j] = Some(k);
                        used.push(k);
                    }
                }
            };
            assign(&below, MATCH, &mut found);
            let anywhere: Vec<usize> = (0..count)
                .filter(|&k| Some(k) != title && !pointers.contains(&k))
                .collect();
            assign(&anywhere, STRONG, &mut found);
            subsections.push(found);
        }

        Outline {
            top_level,
            title,
            sections,
            probable,
            subsections,
            top,
            best,
            pointers,
            pointed,
            template_ids: template.sections.iter().map(|s| s.id.clone()).collect(),
            sub_ids: template
                .sections
                .iter()
                .map(|s| s.subsections.iter().map(|x| x.id.clone()).collect())
                .collect(),
        }
    }

    /// How many template sections are linked to a heading or probably covered by one.
    pub fn recognised(&self) -> usize {
        self.sections
            .iter()
            .zip(&self.probable)
            .zip(&self.pointed)
            .filter(|((s, p), q)| s.is_some() || p.is_some() || q.is_some())
            .count()
    }

    /// Whether the document's structure is not the template's at all (another template,
    /// another language): most of its top-level headings name no template section, and
    /// hardly any template section was recognised. Then findings about single sections
    /// would be guesses, and the scorecard says "unknown".
    pub fn unrecognised(&self) -> bool {
        let n = self.sections.len();
        if n < 4 || self.top.len() < 3 {
            return false;
        }
        let linked: Vec<usize> = self
            .sections
            .iter()
            .chain(&self.probable)
            .flatten()
            .map(|m| m.section)
            .collect();
        let named = self.top.iter().filter(|k| linked.contains(k)).count();
        named * 4 < self.top.len() && self.recognised() * 5 <= n
    }

    /// The document section that provides template section or subsection `id`
    /// (`"security"`, `"performance.targets"`).
    pub fn resolve(&self, id: &str) -> Option<usize> {
        let (sec, sub) = match id.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (id, None),
        };
        let i = self.template_ids.iter().position(|t| t == sec)?;
        match sub {
            None => self.sections[i].map(|m| m.section),
            Some(sub) => {
                let j = self.sub_ids[i].iter().position(|t| t == sub)?;
                self.subsections[i][j]
            }
        }
    }

    /// The link of template section `id`, with its confidence.
    pub fn link(&self, id: &str) -> Option<Match> {
        let i = self.template_ids.iter().position(|t| t == id)?;
        self.sections[i]
    }

    /// Whether `id` names a section or subsection of the template.
    pub fn knows(&self, id: &str) -> bool {
        let (sec, sub) = match id.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (id, None),
        };
        let Some(i) = self.template_ids.iter().position(|t| t == sec) else {
            return false;
        };
        sub.is_none_or(|s| self.sub_ids[i].iter().any(|t| t == s))
    }
}

/// All sections below `k`, depth first.
pub fn descendants(doc: &Document, k: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack: Vec<usize> = doc.sections[k].children.iter().rev().copied().collect();
    while let Some(c) = stack.pop() {
        out.push(c);
        stack.extend(doc.sections[c].children.iter().rev().copied());
    }
    out
}

/// Words that say little about which section a heading is.
const WEAK: &[&str] = &[
    "spec",
    "requirement",
    "development",
    "technical",
    "overview",
    "detail",
    "strategy",
    "plan",
    "planning",
    "guide",
    "guideline",
    "section",
    "document",
    "approach",
    "consideration",
];
const STOP: &[&str] = &[
    "and", "the", "of", "for", "a", "an", "to", "in", "with", "on", "our", "vs",
];

/// A heading title as a bag of normalised, weighted words.
#[derive(Debug, Clone, PartialEq)]
pub struct Tokens(Vec<(String, f32)>, u64);

impl Tokens {
    pub fn new(title: &str) -> Tokens {
        // a leading roman numeral is numbering, not a word (`IV. Database Design`)
        let title = roman_prefix(title).map_or(title, |(_, len)| &title[len..]);
        let lower = title.to_lowercase().replace(['&', '+'], " and ");
        let mut out: Vec<(String, f32)> = Vec::new();
        // words in parentheses qualify a title ("Components (shadcn/ui based)"): they count
        // as little as weak words
        let mut depth = 0usize;
        let mut words: Vec<(&str, bool)> = Vec::new();
        let mut start = 0;
        for (i, c) in lower.char_indices() {
            if !is_word_char(c) {
                words.push((&lower[start..i], depth > 0));
                start = i + c.len_utf8();
                match c {
                    '(' | '（' => depth += 1,
                    ')' | '）' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        words.push((&lower[start..], depth > 0));
        let mut push = |w: String, weight: f32| {
            if !out.iter().any(|(t, _)| *t == w) {
                out.push((w, weight));
            }
        };
        for (raw, qualifier) in words {
            if raw.is_empty() || STOP.contains(&raw) {
                continue;
            }
            // scripts written without spaces: each run of their characters is compared by
            // character pairs, so that `数据库` and `数据库设计` share most of their words
            if raw.chars().any(unspaced) {
                let weight = if qualifier { 0.3 } else { 1.0 };
                let mut rest = raw;
                while !rest.is_empty() {
                    let split = rest
                        .char_indices()
                        .find(|&(_, c)| unspaced(c) != rest.starts_with(unspaced))
                        .map_or(rest.len(), |(i, _)| i);
                    let (run, tail) = rest.split_at(split);
                    rest = tail;
                    let chars: Vec<char> = run.chars().collect();
                    if !unspaced(chars[0]) {
                        push(stem(run), weight);
                    } else if chars.len() == 1 {
                        push(run.to_string(), weight);
                    } else {
                        for pair in chars.windows(2) {
                            push(pair.iter().collect(), weight);
                        }
                    }
                }
                continue;
            }
            let w = stem(raw);
            let weight = if qualifier || WEAK.contains(&w.as_str()) {
                0.3
            } else {
                1.0
            };
            push(w, weight);
        }
        let firsts = out.iter().fold(0u64, |m, (w, _)| m | first_bit(w));
        Tokens(out, firsts)
    }

    /// Whether a word of full weight is in both.
    pub fn shares_word(&self, other: &Tokens) -> bool {
        self.0.iter().any(|(a, wa)| {
            *wa >= 1.0
                && other
                    .0
                    .iter()
                    .any(|(b, wb)| *wb >= 1.0 && words_match(a, b))
        })
    }

    /// The same words, whatever their order.
    pub fn same_words(&self, other: &Tokens) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .all(|(w, _)| other.0.iter().any(|(o, _)| o == w))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Weighted Dice coefficient; words match when equal or one is a ≥4-letter prefix of the other.
    pub fn similarity(&self, other: &Tokens) -> f32 {
        let total: f32 = self.0.iter().chain(other.0.iter()).map(|(_, w)| w).sum();
        if total == 0.0 {
            return 0.0;
        }
        if self.1 & other.1 == 0 {
            return 0.0; // matching words share their first letter; these share none
        }
        let mut common = 0.0;
        // which of `other`'s words are taken: a bit set for titles (no allocation on this
        // hot path: every heading is scored against every template name), a vector beyond
        let mut bits = 0u64;
        let mut more = if other.0.len() > 64 {
            vec![false; other.0.len()]
        } else {
            Vec::new()
        };
        for (a, wa) in &self.0 {
            let used = |j: usize| {
                if j < 64 {
                    bits & (1 << j) != 0
                } else {
                    more[j]
                }
            };
            if let Some(j) = other
                .0
                .iter()
                .enumerate()
                .position(|(j, (b, _))| !used(j) && words_match(a, b))
            {
                if j < 64 {
                    bits |= 1 << j;
                } else {
                    more[j] = true;
                }
                common += wa + other.0[j].1;
            }
        }
        common / total
    }
}

/// A bit standing for a word's first character (a one-word Bloom filter): two words can only
/// match (equal, or one a prefix of the other) when their bits are equal.
fn first_bit(w: &str) -> u64 {
    w.chars().next().map_or(0, |c| 1u64 << (c as u32 % 64))
}

fn words_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // an inflection (`deploy`/`deployment`), not a compound (`system`/`systemarchitektur`)
    let (s, l) = (short.chars().count(), long.chars().count());
    s >= 4 && l.abs_diff(s) <= (s / 2).max(4) && long.starts_with(short)
}

/// A character of a word: a letter or digit, or a combining mark (decomposed diacritics,
/// `e` + U+0301, stay inside their word).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// A character of a script written without spaces between words (Han, kana).
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Light stemming: enough to equate "Specs"/"Specification", "Requirements"/"Requirement".
fn stem(w: &str) -> String {
    if !w.is_ascii() {
        return w.to_string(); // plural rules below are English; other words stay as written
    }
    let w = match w {
        "specs" | "specification" | "specifications" | "specifics" => "spec",
        "e2e" => "end",
        "devops" => "devops",
        "db" | "databases" => "database",
        "apis" => "api",
        "env" | "environments" => "environment",
        "auth" => "authentication",
        "tech" => "technical",
        other => other,
    };
    if w.len() > 4 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f32 {
        Tokens::new(a).similarity(&Tokens::new(b))
    }

    /// Regression: a spec with many feature components (each with `##### API Endpoints`,
    /// `##### Database Schema`, …) lost all 13 top-level sections to its level-5 headings.
    #[test]
    fn repeated_deep_headings_do_not_outvote_the_top_level() {
        let template = crate::pack::RulePack::builtin("vibe-step-6")
            .expect("built-in pack")
            .template;
        let mut text = String::from("# Spec\n\n");
        for (i, s) in template.sections.iter().enumerate() {
            text.push_str(&format!("## {}. {}\n\ntext\n\n", i + 1, s.title));
            if i == 2 {
                for f in 1..=12 {
                    text.push_str(&format!(
                        "#### 3.1.{f} Feature {f}\n\n##### API Endpoints\n\nx\n\n\
                         ##### Database Schema\n\nx\n\n##### Performance Considerations\n\nx\n\n"
                    ));
                }
            }
        }
        let doc = Document::parse("docs/06-technical-specification.md", text);
        let outline = Outline::new(&doc, &template);
        assert_eq!(outline.top_level, 2);
        assert!(
            outline
                .sections
                .iter()
                .all(|m| m.is_some_and(|m| !m.nested))
        );
    }

    fn outline_of(text: &str) -> (Document, Outline, Template) {
        let template = crate::pack::RulePack::builtin("vibe-step-6")
            .expect("built-in pack")
            .template;
        let doc = Document::parse("docs/06-technical-specification.md", text.to_string());
        let outline = Outline::new(&doc, &template);
        (doc, outline, template)
    }

    fn linked_title(doc: &Document, outline: &Outline, id: &str) -> Option<String> {
        outline
            .link(id)
            .map(|m| doc.sections[m.section].title.clone())
    }

    /// Regression (examples/flawed after --fix): the inserted `### 2.2 Frontend Architecture`
    /// shares a word with `2.1 Architecture Overview`; each subsection takes its own heading.
    #[test]
    fn one_heading_per_subsection() {
        let (doc, outline, template) = outline_of(
            "# Spec\n\n## 2. System Architecture\n\nMicroservices.\n\n### 2.2 Frontend Architecture\n\nReact.\n",
        );
        let i = template.index_of("system-architecture").expect("section 2");
        let ids: Vec<&str> = template.sections[i]
            .subsections
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        let frontend = ids.iter().position(|&id| id == "frontend").expect("2.2");
        let overview = ids.iter().position(|&id| id == "overview").expect("2.1");
        let k = outline.subsections[i][frontend].expect("2.2 is found");
        assert_eq!(doc.sections[k].title, "Frontend Architecture");
        assert_eq!(outline.subsections[i][overview], None);
    }

    /// Regression (yolovibecode__rpsfull): more H3 titles matched fuzzily than H2 ones, and
    /// `## 1. Executive Summary` was reported missing; `### 1.2 Implementation Phases` was
    /// taken for the team section although `## 11. Team Structure & Responsibilities` exists.
    #[test]
    fn numbered_subsections_never_make_the_top_level() {
        let text = "# Plan\n\n## 1. Executive Summary\n\n### 1.1 Project Scope\n\nx\n\n\
                    ### 1.2 Implementation Phases\n\nx\n\n## 2. Phase 6: Polish\n\n\
                    ### 2.1 Testing\n\nx\n\n### 2.2 Infrastructure\n\nx\n\n\
                    ### 2.3 Development Tools\n\nx\n\n\
                    ## 3. Team Structure & Responsibilities\n\nRoles.\n";
        let (doc, outline, _) = outline_of(text);
        assert_eq!(outline.top_level, 2);
        assert_eq!(
            linked_title(&doc, &outline, "executive-summary").as_deref(),
            Some("Executive Summary")
        );
        let team = outline.link("team").expect("team");
        assert_eq!(
            doc.sections[team.section].title,
            "Team Structure & Responsibilities"
        );
        assert!(team.exact && !team.nested);
    }

    /// The template's own title anchors its section at any level.
    #[test]
    fn an_exact_title_anchors_at_any_level() {
        let text = "# Spec\n\n## Overview\n\n### Database Design\n\nTables.\n\n## Other\n\nx\n";
        let (doc, outline, _) = outline_of(text);
        let db = outline.link("database").expect("database");
        assert_eq!(doc.sections[db.section].title, "Database Design");
        assert!(db.exact);
    }

    /// A one-line pointer to another document is never the section.
    #[test]
    fn a_pointer_is_not_the_section() {
        let text = "# Spec\n\n## 1. Executive Summary\n\nText.\n\n## 17. Appendix\n\n\
                    ### 17.2 API Endpoint Reference\n\nSee API_SPECIFICATION.md\n";
        let (_, outline, template) = outline_of(text);
        let api = template.index_of("api").unwrap();
        assert!(outline.sections[api].is_none());
        assert!(outline.pointed[api].is_some());
    }

    /// Content confirms a title the aliases only half know: `HỆ THỐNG BACKEND API ENDPOINTS`
    /// with method + path lines is the API section.
    #[test]
    fn content_cues_confirm_a_partial_title() {
        let text = "# Spec\n\n## 1. Tổng quan\n\nx\n\n## 7. HỆ THỐNG BACKEND API ENDPOINTS\n\n\
                    * `POST /api/auth/login`: đăng nhập\n* `GET /api/users`: danh sách\n\n\
                    ## 8. Khác\n\nx\n";
        let (doc, outline, _) = outline_of(text);
        assert_eq!(
            linked_title(&doc, &outline, "api").as_deref(),
            Some("HỆ THỐNG BACKEND API ENDPOINTS")
        );
    }

    #[test]
    fn numbering_styles_are_read() {
        let text = "# Spec\n\n## I. Executive Summary\n\nx\n\n## II. System Architecture\n\nx\n\n\
                    ## 3.0 Database Design\n\n### 3.1 Tables\n\nx\n";
        let (doc, outline, _) = outline_of(text);
        assert_eq!(outline.top_level, 2);
        assert_eq!(
            linked_title(&doc, &outline, "executive-summary").as_deref(),
            Some("I. Executive Summary")
        );
        assert!(outline.link("system-architecture").is_some_and(|m| m.exact));
        assert!(outline.link("database").is_some_and(|m| m.exact));
        assert_eq!(roman_prefix("IV. Database"), Some((4, 4)));
        assert_eq!(roman_prefix("Index"), None);
        assert_eq!(roman_prefix("CI/CD"), None);
    }

    #[test]
    fn unspaced_scripts_match_by_character_pairs() {
        assert!(sim("数据库设计", "数据库设计") >= 0.99);
        assert!(sim("数据库", "数据库设计") >= MATCH);
        assert!(sim("5. 数据库设计 (Database Design)", "数据库设计") >= MATCH);
        assert!(sim("设计", "数据库设计") < MATCH);
    }

    #[test]
    fn diacritics_and_capitals_match() {
        assert!(sim("CƠ SỞ DỮ LIỆU", "Cơ sở dữ liệu") >= 0.99);
        // decomposed (NFD) diacritics stay inside their word
        assert!(sim("Co\u{31b} so\u{309}", "Co\u{31b} so\u{309}") >= 0.99);
        assert!(sim("Kiến trúc hệ thống", "Hệ thống") >= SUGGEST);
    }

    #[test]
    fn compounds_are_not_prefixes() {
        assert!(sim("Authentication System", "Systemarchitektur") < SUGGEST);
        assert!(sim("Deploy", "Deployment") >= STRONG);
    }

    #[test]
    fn variants_match() {
        assert!(sim("API Specs", "API Specification") >= STRONG);
        assert!(sim("Security Specification", "Security Specifications") >= STRONG);
        assert!(sim("Team & Resource Planning", "Team and Resource Planning") >= STRONG);
        assert!(sim("DevOps and Deployment", "DevOps & Deployment") >= STRONG);
        assert!(sim("Testing Strategy", "Testing") >= MATCH);
        assert!(sim("Deployment Specification", "Deployment") >= STRONG);
        assert!(sim("Database Design", "Security Specifications") < SUGGEST);
    }
}
