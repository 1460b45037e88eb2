//! Matching a document's headings to the outline a pack expects.
//!
//! Real documents write the template's headings in many ways — `## 4. API Specification`,
//! `## 4) API Specs`, `# 🔌 4. API Specification`, `## API Specification` under an H1 title,
//! `Team & Resource Planning` for `Team Structure & Responsibilities`. Titles are compared
//! as bags of normalised words (case, `&`/`and`, plurals, prefixes, weak words such as
//! "specification" or "overview" counting little), against the template title and its
//! aliases. Matching happens once per document; every section-scoped check reads it.

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
}

/// A pack's expected outline with its names pre-tokenised.
#[derive(Debug, Clone, Default)]
pub struct Template {
    pub sections: Vec<TemplateSection>,
    names: Vec<Vec<Tokens>>,
    sub_names: Vec<Vec<Vec<Tokens>>>,
    /// `present_if` per section (packs validate the regexes when they load; each compiles
    /// when first asked).
    present_if: Vec<Option<crate::check::LazyRegex>>,
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
        Template {
            sections,
            names,
            sub_names,
            present_if,
        }
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

    /// How well `title` names template section `i` (0–1).
    pub fn score(&self, i: usize, title: &str) -> f32 {
        let t = Tokens::new(title);
        best(&self.names[i], &t)
    }

    fn sub_score(&self, i: usize, j: usize, title: &Tokens) -> f32 {
        best(&self.sub_names[i][j], title)
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

/// A score at or above this makes a top-level heading the template's section.
pub const MATCH: f32 = 0.6;
/// A score at or above this is unmistakable, at any heading level.
pub const STRONG: f32 = 0.8;
/// A score at or above this is worth a "did you mean".
pub const SUGGEST: f32 = 0.5;

/// Where a template section was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// Index into `Document::sections`.
    pub section: usize,
    pub score: f32,
    /// Found only below the document's top level (e.g. `### Testing Strategy` inside QA).
    pub nested: bool,
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
    /// Per template section, per subsection: the heading that provides it.
    pub subsections: Vec<Vec<Option<usize>>>,
    /// Indices of the document's top-level sections (title excluded).
    pub top: Vec<usize>,
    /// Per document section: best template section and score (for suggestions).
    pub best: Vec<Option<(usize, f32)>>,
    template_ids: Vec<String>,
    sub_ids: Vec<Vec<String>>,
}

impl Outline {
    pub fn new(doc: &Document, template: &Template) -> Outline {
        let n = template.sections.len();
        let tokens: Vec<Tokens> = doc.sections.iter().map(|s| Tokens::new(&s.title)).collect();
        let scores: Vec<Vec<f32>> = tokens
            .iter()
            .map(|t| (0..n).map(|i| best(&template.names[i], t)).collect())
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

        // The top level is where the most different template sections are named
        // unmistakably. Distinct, not total: a spec with twenty feature components repeats
        // `##### API Endpoints` and `##### Database Schema` twenty times, and those must not
        // outvote the thirteen `##` sections.
        let mut per_level = [0usize; 7];
        let mut seen = vec![[false; 7]; n];
        for (k, b) in best.iter().enumerate() {
            let level = doc.sections[k].level as usize;
            if let Some((i, s)) = b
                && *s >= STRONG
                && !std::mem::replace(&mut seen[*i][level], true)
            {
                per_level[level] += 1;
            }
        }
        let min_level = doc.sections.iter().map(|s| s.level).min().unwrap_or(1);
        let mut top_level = (1..=6)
            .max_by_key(|&l| (per_level[l], std::cmp::Reverse(l)))
            .filter(|&l| per_level[l] > 0)
            .map_or(min_level, |l| l as u8);
        // A lone H1 followed by H2s is a title, not the only section.
        let h1 = doc.sections.iter().filter(|s| s.level == 1).count();
        if per_level.iter().all(|&c| c == 0) && top_level == 1 && h1 == 1 && doc.sections.len() > 1
        {
            top_level = 2;
        }
        let title = doc.sections.first().and_then(|s| {
            let k = 0;
            let is_title = s.level < top_level
                || (s.level == top_level
                    && best[k].is_none_or(|(_, sc)| sc < MATCH)
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

        // Greedy one-to-one assignment, best pairs first; top-level headings before nested ones.
        let mut sections: Vec<Option<Match>> = vec![None; n];
        let mut taken = vec![false; doc.sections.len()];
        let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
        for &k in &top {
            for (i, &s) in scores[k].iter().enumerate() {
                if s >= MATCH {
                    pairs.push((s, k, i));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (s, k, i) in pairs {
            if sections[i].is_none() && !taken[k] {
                sections[i] = Some(Match {
                    section: k,
                    score: s,
                    nested: false,
                });
                taken[k] = true;
            }
        }
        // Not at the top level: an unmistakable heading deeper down still counts as present.
        for i in 0..n {
            if sections[i].is_some() {
                continue;
            }
            let deeper = (0..doc.sections.len())
                .filter(|&k| !taken[k] && Some(k) != title && doc.sections[k].level > top_level)
                .map(|k| (k, scores[k][i]))
                .filter(|(_, s)| *s >= STRONG)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((k, s)) = deeper {
                sections[i] = Some(Match {
                    section: k,
                    score: s,
                    nested: true,
                });
                taken[k] = true;
            }
        }

        // Subsections: look below the matched section first, then anywhere (unmistakable only).
        let mut subsections = Vec::with_capacity(n);
        for (i, ts) in template.sections.iter().enumerate() {
            let mut found = vec![None; ts.subsections.len()];
            let below: Vec<usize> = match sections[i] {
                Some(m) => descendants(doc, m.section),
                None => Vec::new(),
            };
            for (j, sub) in ts.subsections.iter().enumerate() {
                let pick = |cands: &mut dyn Iterator<Item = usize>, threshold: f32| {
                    cands
                        .map(|k| {
                            let mut s = template.sub_score(i, j, &tokens[k]);
                            if doc.sections[k].number.as_deref() == Some(sub.number.as_str()) {
                                s += 0.25;
                            }
                            (k, s)
                        })
                        .filter(|(_, s)| *s >= threshold)
                        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                        .map(|(k, _)| k)
                };
                found[j] = pick(&mut below.iter().copied(), MATCH).or_else(|| {
                    pick(
                        &mut (0..doc.sections.len()).filter(|&k| Some(k) != title),
                        STRONG,
                    )
                });
            }
            subsections.push(found);
        }

        Outline {
            top_level,
            title,
            sections,
            subsections,
            top,
            best,
            template_ids: template.sections.iter().map(|s| s.id.clone()).collect(),
            sub_ids: template
                .sections
                .iter()
                .map(|s| s.subsections.iter().map(|x| x.id.clone()).collect())
                .collect(),
        }
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
        let lower = title.to_lowercase().replace(['&', '+'], " and ");
        let mut out: Vec<(String, f32)> = Vec::new();
        // words in parentheses qualify a title ("Components (shadcn/ui based)"): they count
        // as little as weak words
        let mut depth = 0usize;
        let mut words: Vec<(&str, bool)> = Vec::new();
        let mut start = 0;
        for (i, c) in lower.char_indices() {
            if !c.is_alphanumeric() {
                words.push((&lower[start..i], depth > 0));
                start = i + c.len_utf8();
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        words.push((&lower[start..], depth > 0));
        for (raw, qualifier) in words {
            if raw.is_empty() || STOP.contains(&raw) {
                continue;
            }
            let w = stem(raw);
            let weight = if qualifier || WEAK.contains(&w.as_str()) {
                0.3
            } else {
                1.0
            };
            if !out.iter().any(|(t, _)| *t == w) {
                out.push((w, weight));
            }
        }
        let firsts = out.iter().fold(0u64, |m, (w, _)| m | first_bit(w));
        Tokens(out, firsts)
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
    short.len() >= 4 && long.starts_with(short)
}

/// Light stemming: enough to equate "Specs"/"Specification", "Requirements"/"Requirement".
fn stem(w: &str) -> String {
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
