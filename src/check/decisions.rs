//! `decisions`: every key decision or technology choice carries its reason.
//!
//! Decisions are the labelled lines of the scope sections (`- **Frontend:** Next.js 14 …`,
//! `**Architecture Pattern:** …`) whose label `labels` accepts, and the rows of tables that
//! list choices (a header with a choice/technology/component column, or a rationale column).
//! A decision is justified by
//! - a filled rationale column (`| Decision | Choice | Rationale |`);
//! - reason words in its text or nested items (`reason`: "because", "so that", "chosen
//!   over", "suits a four-engineer team"…), or an explanation after a dash
//!   (`Next.js 14 — server components keep pages fast`);
//! - a `**Rationale:**` / `**Why:**` line right after it, or nested under it.
//!
//! Values that are only template placeholders are left to the placeholder rule.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Check, CompileError, Context, Finding, LazyRegex, known_scope, regex};
use crate::check::regexes::compiled;
use crate::document::{Document, Row, Table};
use crate::language::{LangPattern, Vocabulary};
use crate::outline::Template;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    /// Template section ids to look in.
    scope: Vec<String>,
    /// Labels that name a decision (default: every label).
    #[serde(default)]
    labels: Option<String>,
    /// Labels that are not decisions (process, tooling lists).
    #[serde(default)]
    skip_labels: Option<String>,
    /// Words that give a reason (default: `REASON`).
    #[serde(default)]
    reason: Option<String>,
    /// More regexes that give a reason, in addition to `reason`; entries with a `lang`
    /// (`{ lang = "es", pattern = '(?i)\bporque\b' }`) apply to documents in that language.
    #[serde(default)]
    reasons: Vec<LangPattern>,
    /// Labels of a line that gives the reason for the decision before it.
    #[serde(default = "default_rationale_labels")]
    rationale_labels: String,
    /// Header words of a table column that holds reasons.
    #[serde(default = "default_rationale_columns")]
    rationale_columns: Vec<String>,
    /// Header words of a table column that holds choices.
    #[serde(default = "default_choice_columns")]
    choice_columns: Vec<String>,
    /// Sections whose justified decisions also justify a choice restated here: a 1.4 line
    /// `**Frontend:** React 18, Vite` needs no second reason when 1.2 explains React.
    #[serde(default)]
    justified_in: Vec<String>,
    /// Labels of a library inside a layer (`Icons`, `HTTP Client`, `Validation`): words or
    /// phrases, matched as whole words of the label, case-insensitively. Not decisions.
    #[serde(default)]
    library_labels: Vec<String>,
}

fn default_rationale_labels() -> String {
    r"(?i)^(?:rationale|reason(?:ing)?|why(?: chosen| this| we chose it)?|justification|because|trade-?offs?|alternatives(?: considered)?)$".into()
}
fn default_rationale_columns() -> Vec<String> {
    [
        "rationale",
        "why",
        "justification",
        "reason",
        "benefit",
        "trade-off",
        "tradeoff",
    ]
    .map(String::from)
    .to_vec()
}
fn default_choice_columns() -> Vec<String> {
    [
        "choice",
        "technology",
        "tool",
        "selection",
        "decision",
        "option",
        "stack",
        "chosen",
    ]
    .map(String::from)
    .to_vec()
}

#[derive(Debug)]
pub struct Decisions {
    scope: Vec<String>,
    labels: Option<LazyRegex>,
    skip_labels: Option<LazyRegex>,
    reason: LazyRegex,
    reasons: Vocabulary,
    rationale_labels: LazyRegex,
    rationale_columns: Vec<String>,
    choice_columns: Vec<String>,
    justified_in: Vec<String>,
    library_labels: Vec<String>,
}

impl Decisions {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        known_scope(&p.scope, template)?;
        known_scope(&p.justified_in, template)?;
        if p.scope.is_empty() {
            return Err(CompileError::Params(
                "`scope` must name the sections that hold decisions".into(),
            ));
        }
        let lower = |v: Vec<String>| v.into_iter().map(|s| s.to_lowercase()).collect();
        Ok(Decisions {
            scope: p.scope,
            labels: p.labels.as_deref().map(regex).transpose()?,
            skip_labels: p.skip_labels.as_deref().map(regex).transpose()?,
            reason: regex(p.reason.as_deref().unwrap_or(REASON))?,
            reasons: Vocabulary::new(&p.reasons)?,
            rationale_labels: regex(&p.rationale_labels)?,
            rationale_columns: lower(p.rationale_columns),
            choice_columns: lower(p.choice_columns),
            justified_in: p.justified_in,
            library_labels: lower(p.library_labels),
        })
    }

    fn is_decision(&self, label: &str) -> bool {
        !self.rationale_labels.is_match(label)
            && self.labels.as_ref().is_none_or(|r| r.is_match(label))
            && self.skip_labels.as_ref().is_none_or(|r| !r.is_match(label))
            && !self.is_library(label)
    }

    /// A library inside a layer (`**Icons:** Lucide`): it needs no reason of its own.
    fn is_library(&self, label: &str) -> bool {
        let label = label.to_lowercase();
        let words: Vec<&str> = label
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .collect();
        self.library_labels.iter().any(|phrase| {
            let want: Vec<&str> = phrase.split_whitespace().collect();
            !want.is_empty() && words.windows(want.len()).any(|w| w == want.as_slice())
        })
    }

    /// Whether `byte` lies under a heading of `span` that names a list of tools, not
    /// decisions (`#### Development Tools`).
    fn under_skipped_heading(&self, doc: &Document, span: &Range<usize>, byte: usize) -> bool {
        let Some(skip) = &self.skip_labels else {
            return false;
        };
        let mut at = doc.section_at(byte);
        while let Some(k) = at {
            let s = &doc.sections[k];
            if s.heading.start <= span.start {
                break; // the scope section itself is not a tool list
            }
            if skip.is_match(s.title.trim()) {
                return true;
            }
            at = s.parent;
        }
        false
    }

    /// Whether `text` (placeholders already removed) gives a reason, for a document in
    /// `lang`.
    fn gives_reason(&self, text: &str, lang: Option<&str>) -> bool {
        self.reason.is_match(text)
            || self.reasons.is_match(text, lang)
            || DASH_EXPLANATION.is_match(text)
            || INLINE_RATIONALE.is_match(text)
    }
}

/// Words and phrases that give a reason: causes ("because", "so that"), comparisons ("over
/// X", "instead of", "alternatives"), and what a choice does for the project ("keeps",
/// "avoids", "suits", "fits", "enough"). Stating only what a technology is for ("Redis for
/// caching") is not a reason.
const REASON: &str = r"(?i)\b(?:because|since|so that|so (?:we|it|the|that|users|pages|there|no|a|each)|as (?:it|they|we|this|the team)|(?:chosen|selected|picked|preferred|favou?red) (?:for|because|over|as|to)|due to|given (?:that|the|our)|thanks to|trade-?offs?|instead of|rather than|versus|vs\.?|compared (?:to|with)|alternatives?|which (?:means|gives|lets|keeps|avoids|allows|enables|makes|is|are|removes|reduces)|meaning|to (?:avoid|keep|reduce|support|allow|enable|simplify|minimi[sz]e|maximi[sz]e|meet|match|share|reuse|stay|limit|isolate|prevent|ensure|cut|save|scale|speed)|avoids?|avoiding|enables?|enabling|allows?|allowing|lets|gives?|giving|provides?|providing|keeps?|keeping|ensures?|reduces?|removes?|eliminates?|simplif\w+|suits?|suited|fits?|matches|supports?|covers?|offers?|means|needs?|needed|requires?|required|familiar|proven|mature|battle[- ]tested|cheap(?:er|est)?|low[- ]cost|cost[- ]effective|affordable|faster|simpler|easier|best|better|reliable|natively|native (?:to|support|integration)|built[- ]in|out of the box|no need|without|sufficient|enough|already|expertise|experience|ecosystem|hiring|compatible|compliant|fast|lightweight|small(?:er)?|widely|standard|de facto|recommended|mandated|preferred|strong|robust|free(?:[- ]tier)?|open[- ]source)\b|\bover\s+(?:a|an|the|self-hosted|managed|custom|hand-rolled|plain)\b|(?-i:\bover\s+[A-Z`])";

/// `- **Label:** value`, `**Label**: value`, `* __Label:__ value`.
static BOLD_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        r"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?:\*\*|__)(?P<label>[^*_\n]{1,80}?)[ \t]*(?P<colon>[:：]?)[ \t]*(?:\*\*|__)[ \t]*(?P<colon2>[:：]?)[ \t]*(?P<value>.*?)\r?$",
    )
});

/// `- Label: value` (a short capitalised label in a list item).
static PLAIN_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        r"^[ \t]*[-*+][ \t]+(?P<label>[A-Z][A-Za-z0-9 /&+.-]{0,40}?):[ \t]+(?P<value>\S.*?)\r?$",
    )
});

/// An explanation after a dash: ` — keeps pages fast on tablets`.
static DASH_EXPLANATION: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"\s(?:—|–|--|-)\s+\S+(?:\s+\S+){2,}"));

/// A reason introduced by its own label inside the value: `(Rationale: …)`, `*Why*: …`.
static INLINE_RATIONALE: LazyLock<Regex> = LazyLock::new(|| {
    compiled(r"(?i)\b(?:why|rationale|reason(?:ing)?|justification)\b[*_ ]{0,3}:[*_ ]*[^\s\]]")
});

/// Bracketed template text: `[Why chosen]`.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| compiled(r"\[[^\]\n]*\]"));

/// One labelled line in the scope.
struct Labelled {
    label: String,
    /// The line, from its first non-blank character.
    line: Range<usize>,
    /// The line's value and everything that belongs to it (nested items, wrapped lines).
    region: Range<usize>,
    /// The value on the label's own line, placeholders removed, trimmed.
    value: String,
}

impl Check for Decisions {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let Some(spans) = ctx.scope(doc, &self.scope) else {
            return false;
        };
        // sections another decisions rule judges (`justified-in`) nested in this rule's
        // scope are left to it: one line, one rule
        let others: Vec<Range<usize>> = ctx
            .scope(doc, &self.justified_in)
            .filter(|_| !self.justified_in.is_empty())
            .unwrap_or_default()
            .into_iter()
            .filter(|o| {
                spans
                    .iter()
                    .any(|s| s.start <= o.start && o.end <= s.end && s != o)
            })
            .collect();
        let mut found = Vec::new();
        for span in &spans {
            self.check_lines(doc, span, &others, ctx.language, &mut found, out);
            for table in doc.tables_in(span) {
                if !others.iter().any(|o| o.contains(&table.header.span.start)) {
                    self.check_table(doc, table, ctx.language, &mut found);
                }
            }
        }
        if !found.is_empty() && !self.justified_in.is_empty() {
            let explained = self.explained_choices(doc, ctx);
            found.retain(|u| {
                !u.product.as_ref().is_some_and(|name| {
                    explained
                        .iter()
                        .any(|(at, text)| !u.finding.span.contains(at) && names(text, name))
                })
            });
        }
        if !found.is_empty() {
            // a reason given anywhere else in the document: a cost comparison, a rationale
            // section, a line about the product that says what it gives
            let reasons = self.reason_lines(doc, ctx.language);
            found.retain(|u| {
                !u.product.as_ref().is_some_and(|name| {
                    reasons
                        .iter()
                        .any(|(at, text)| !u.finding.span.contains(at) && about(text, name))
                })
            });
        }
        // a table of choices without a rationale column in which no row gives a reason
        // is one finding at its header; the other unjustified choices of one list are one
        // finding that names them
        let mut i = 0;
        while i < found.len() {
            if let Some((header, rows)) = found[i].table.clone() {
                let same = found[i..]
                    .iter()
                    .take_while(|u| u.table.as_ref().is_some_and(|(h, _)| *h == header))
                    .count();
                if same == rows && rows > 1 {
                    out.push(
                        Finding::new(
                            header,
                            "table of technology choices gives no reasons and has no rationale column",
                        )
                        .with_help(
                            "add a `Rationale` column that says why each choice was made: what it gives this project or what it was chosen over",
                        ),
                    );
                    i += same;
                    continue;
                }
            }
            let group = found[i].group.clone();
            let same = found[i..].iter().take_while(|u| u.group == group).count();
            out.push(list_finding(doc, &found[i..i + same]));
            i += same;
        }
        true
    }
}

/// One finding for the unjustified choices of one list or table: the first choice's own
/// finding when it is alone, else one at the first that names them all.
fn list_finding(doc: &Document, choices: &[Unjustified]) -> Finding {
    let [first, rest @ ..] = choices else {
        unreachable!("a group has a member")
    };
    if rest.is_empty() {
        return first.finding.clone();
    }
    let names: Vec<String> = choices
        .iter()
        .map(|u| match u.shown.is_empty() {
            false => format!("`{}` ({})", u.label, u.shown),
            true => format!("`{}`", u.label),
        })
        .collect();
    let place = match (first.group.table, first.group.section) {
        (Some(_), _) => " in this table".to_string(),
        (None, Some(k)) => format!(" in `{}`", doc.sections[k].title.trim()),
        (None, None) => String::new(),
    };
    let mut f = Finding::new(
        first.finding.span.clone(),
        format!(
            "{} choices{place} give no reason: {}",
            choices.len(),
            names.join(", ")
        ),
    )
    .with_help(HELP);
    f.related = rest
        .iter()
        .map(|u| crate::diagnostic::Related {
            span: u.finding.span.clone(),
            message: format!("`{}` gives no reason", u.label),
        })
        .collect();
    f
}

/// Where unjustified choices are grouped: the list (the innermost section holding it) or
/// the table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    section: Option<usize>,
    table: Option<usize>,
}

/// A decision without a reason, and the technology it chooses first.
struct Unjustified {
    finding: Finding,
    /// The decision's label (`Framework`).
    label: String,
    /// The product it names in full (`React Native`, `MongoDB Atlas`).
    product: Option<String>,
    /// The choice as the message shows it: the value's start (`Next.js 14+`).
    shown: String,
    group: Group,
    /// For a row of a choice table without a rationale column: the table's header and its
    /// number of decision rows (when none gives a reason, the table is reported once).
    table: Option<(Range<usize>, usize)>,
}

impl Decisions {
    fn check_lines(
        &self,
        doc: &Document,
        span: &Range<usize>,
        others: &[Range<usize>],
        lang: Option<&str>,
        out: &mut Vec<Unjustified>,
        undecided: &mut Vec<Finding>,
    ) {
        let items = labelled_lines(doc, span);
        for (i, item) in items.iter().enumerate() {
            if !self.is_decision(&item.label)
                || item.value.is_empty()
                || others.iter().any(|o| o.contains(&item.line.start))
                || self.under_skipped_heading(doc, span, item.line.start)
            {
                continue;
            }
            if let Some(open) = undecided_choice(&item.label, &item.value) {
                undecided.push(
                    Finding::new(
                        item.line.clone(),
                        format!(
                            "decision `{}` is not made: `{open}` names alternatives",
                            item.label
                        ),
                    )
                    .with_help("pick one and say why (e.g. `Supabase — chosen over RDS because auth and storage come with it`); if the choice has to wait, say what decides it and by when"),
                );
                continue;
            }
            let region = strip_placeholders(doc.slice(&item.region));
            if self.gives_reason(&region, lang) {
                continue;
            }
            // a rationale line right after it, or nested inside it
            let explained = items[i + 1..]
                .iter()
                .take_while(|next| {
                    next.line.start <= item.region.end.max(next_line_start(doc, item.region.end))
                })
                .any(|next| self.rationale_labels.is_match(&next.label) && !next.value.is_empty());
            if explained {
                continue;
            }
            out.push(Unjustified {
                finding: Finding::new(
                    item.line.clone(),
                    format!("decision `{}` gives no reason for the choice", item.label),
                )
                .with_help(HELP),
                label: item.label.clone(),
                product: product_name(&item.value),
                shown: shown(&item.value),
                group: Group {
                    section: doc.section_at(item.line.start),
                    table: None,
                },
                table: None,
            });
        }
    }

    /// Lines of the whole document (outside code) that give a reason, with where they start.
    fn reason_lines(&self, doc: &Document, lang: Option<&str>) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for line in 0..doc.lines.line_count() {
            let range = doc.lines.line_span(&doc.text, line);
            if doc.in_code_or_html(range.start) {
                continue;
            }
            let text = strip_placeholders(&doc.text[range.clone()]);
            if self.gives_reason(&text, lang) {
                out.push((range.start, text));
            }
        }
        out
    }

    /// Where (a byte inside) and what text of every justified decision in `justified_in`
    /// and the rule's own scope.
    fn explained_choices(&self, doc: &Document, ctx: &Context<'_>) -> Vec<(usize, String)> {
        let mut ids = self.scope.clone();
        ids.extend(self.justified_in.iter().cloned());
        let Some(spans) = ctx.scope(doc, &ids) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for span in &spans {
            for item in labelled_lines(doc, span) {
                let text = strip_placeholders(doc.slice(&(item.line.start..item.region.end)));
                if !item.value.is_empty()
                    && self.gives_reason(&strip_placeholders(doc.slice(&item.region)), ctx.language)
                {
                    out.push((item.line.start, text));
                }
            }
            for table in doc.tables_in(span) {
                let rationale = column(table, &self.rationale_columns);
                for row in &table.rows {
                    let filled = rationale
                        .and_then(|c| row.cells.get(c))
                        .is_some_and(|c| !rationale_is_empty(&c.text));
                    let text = strip_placeholders(doc.slice(&row.span));
                    if filled || self.gives_reason(&text, ctx.language) {
                        out.push((row.span.start, text));
                    }
                }
            }
        }
        out
    }

    fn check_table(
        &self,
        doc: &Document,
        table: &Table,
        lang: Option<&str>,
        out: &mut Vec<Unjustified>,
    ) {
        let rationale = column(table, &self.rationale_columns);
        let choice = column(table, &self.choice_columns);
        if rationale.is_none() && choice.is_none() {
            return; // not a table of choices
        }
        // a comparison matrix (`| Factor | TanStack Query | SWR |`) supports a decision; it
        // is not a list of decisions
        if table
            .header
            .cells
            .first()
            .is_some_and(|c| COMPARISON.is_match(&c.text))
        {
            return;
        }
        let label_of = |cells: &[crate::document::Cell]| {
            cells
                .first()
                .map(|c| c.text.trim_matches(['*', '_', '`', ' ']).to_string())
                .unwrap_or_default()
        };
        let rows: Vec<_> = table
            .rows
            .iter()
            .filter(|r| {
                let label = label_of(&r.cells);
                !label.is_empty() && self.is_decision(&label)
            })
            .collect();
        // a decision row the table leaves unjustified, reported with `message`
        let unjustified = |row: &Row, message: String, table_of: Option<(Range<usize>, usize)>| {
            let value = choice
                .and_then(|c| row.cells.get(c))
                .map(|c| c.text.as_str());
            Unjustified {
                label: label_of(&row.cells),
                product: value.and_then(product_name),
                shown: value.map(shown).unwrap_or_default(),
                group: Group {
                    section: None,
                    table: Some(table.header.span.start),
                },
                table: table_of,
                finding: Finding::new(row.span.clone(), message).with_help(HELP),
            }
        };
        if let Some(col) = rationale {
            for row in rows {
                let cell = row.cells.get(col).map_or("", |c| c.text.as_str());
                if rationale_is_empty(cell) {
                    let message = format!(
                        "decision `{}` has an empty `{}` cell",
                        label_of(&row.cells),
                        table.header.cells[col].text.trim_matches(['*', '_'])
                    );
                    out.push(unjustified(row, message, None));
                }
            }
            return;
        }
        let unexplained: Vec<_> = rows
            .iter()
            .filter(|r| !self.gives_reason(&strip_placeholders(doc.slice(&r.span)), lang))
            .collect();
        if unexplained.is_empty() {
            return;
        }
        // all rows unexplained: `run` reports the table once unless some rows are explained
        // elsewhere
        let table_of =
            (unexplained.len() == rows.len()).then(|| (table.header.span.clone(), rows.len()));
        for row in unexplained {
            let message = format!(
                "decision `{}` gives no reason for the choice",
                label_of(&row.cells)
            );
            out.push(unjustified(row, message, table_of.clone()));
        }
    }
}

const HELP: &str = "say why it was chosen: what it gives this project, what it was chosen over, or the trade-off accepted (e.g. `— chosen over MongoDB because invoices need transactions`)";

/// First header cell of a comparison matrix: the rows are criteria, not decisions.
static COMPARISON: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        r"(?i)^\W*(?:factors?|criteri(?:on|a)|aspects?|features?|dimensions?|requirements?|considerations?|attributes?|capabilit(?:y|ies)|metrics?|comparison|concerns? vs)\W*$",
    )
});

/// Index of the first header cell that has one of `words` as a word (`Rationale`,
/// `Why chosen`; not `TanStack` for `stack`).
fn column(table: &Table, words: &[String]) -> Option<usize> {
    table.header.cells.iter().position(|c| {
        let text = c.text.to_lowercase();
        let cell_words: Vec<&str> = text
            .split(|ch: char| !ch.is_alphanumeric() && ch != '-')
            .filter(|w| !w.is_empty())
            .collect();
        words.iter().any(|w| {
            cell_words
                .iter()
                .any(|cw| cw == w || (cw.starts_with(w.as_str()) && cw.len() <= w.len() + 2))
        })
    })
}

/// A rationale cell with nothing in it: empty, a dash, `N/A`, `TBD`, a placeholder.
fn rationale_is_empty(cell: &str) -> bool {
    let filled = strip_placeholders(cell);
    let filled = filled.trim().trim_matches(['*', '_', '`']).trim();
    filled.is_empty()
        || matches!(
            filled.to_lowercase().as_str(),
            "-" | "—" | "–" | "n/a" | "na" | "none" | "tbd" | "tba" | "todo" | "?"
        )
}

/// The first product name in a decision's value: `React` in `React 18, Vite 5`,
/// `Supabase` in `Supabase Postgres 15 + TimescaleDB`.
fn primary_technology(value: &str) -> Option<String> {
    const NOT_NAMES: &[&str] = &[
        "The", "A", "An", "None", "Use", "Using", "Single", "One", "Managed", "Hosted", "Self",
        "Our", "We", "All", "No", "Not", "Custom", "Standard", "Modern", "Latest", "Each",
    ];
    TECH_WORD
        .find_iter(value)
        .map(|m| m.as_str())
        .find(|w| w.starts_with(|c: char| c.is_uppercase()) && !NOT_NAMES.contains(w))
        .map(|w| w.trim_end_matches(['.', '-']).to_string())
        .filter(|w| w.len() >= 2)
}

/// A choice's value as a message shows it: up to a parenthesis, at most about 32 characters.
fn shown(value: &str) -> String {
    let value = value.split(" (").next().unwrap_or(value).trim();
    let value = value.replace('`', "");
    let value = value.trim_matches(['*', '_']).trim();
    if value.chars().count() <= 32 {
        return value.to_string();
    }
    let cut: String = value.chars().take(32).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut} …")
}

/// A product named in full: the first product word and the capitalised words after it
/// (`React Native` in `React Native 0.72+`, `MongoDB Atlas` in `MongoDB Atlas (free tier)`).
fn product_name(value: &str) -> Option<String> {
    let first = primary_technology(value)?;
    let at = value.find(first.as_str())?;
    let mut name = first.clone();
    let mut rest = &value[at + first.len()..];
    while let Some(next) = rest.strip_prefix(' ') {
        let word = TECH_WORD.find(next).filter(|m| m.start() == 0);
        match word {
            Some(m) if m.as_str().starts_with(|c: char| c.is_uppercase()) => {
                name.push(' ');
                name.push_str(m.as_str());
                rest = &next[m.end()..];
            }
            _ => break,
        }
    }
    Some(name)
}

/// Whether a line is about the product `name`: it starts with it, as written (a label
/// `**Railway.app**: $5/month (vs $50+ AWS)` or a sentence `MongoDB Atlas keeps …`), and not
/// as the start of a longer product name (`MongoDB` is not `MongoDB Atlas`, `Express` is not
/// `Express Rate Limit`).
fn about(line: &str, name: &str) -> bool {
    let head = line
        .trim_start()
        .trim_start_matches(|c: char| "-*+>#|0123456789.) _\t".contains(c));
    let Some(after) = head.strip_prefix(name) else {
        return false;
    };
    !after.starts_with(|c: char| c.is_alphanumeric())
        && !after
            .strip_prefix(' ')
            .is_some_and(|a| a.starts_with(|c: char| c.is_uppercase()))
}

/// The alternatives of a choice not yet made: `Supabase or RDS`, `SendGrid or AWS SES`.
/// Sign-in options offered side by side (`Email or Google`) are not an open choice.
fn undecided_choice(label: &str, value: &str) -> Option<String> {
    if SIGN_IN.is_match(label) || SIGN_IN.is_match(value) {
        return None;
    }
    let m = UNDECIDED.find(value)?;
    Some(m.as_str().to_string())
}

static SIGN_IN: LazyLock<Regex> = LazyLock::new(|| {
    compiled(r"(?i)\b(?:auth\w*|log ?in|sign[- ]?(?:in|up|on)|users? (?:can|may|choose))\b")
});

/// Two capitalised product names joined by `or`.
static UNDECIDED: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        r"\b[A-Z][A-Za-z0-9.+#-]*(?: [A-Z][A-Za-z0-9.+#-]*)?(?: \d[\d.x+]*)? or [A-Z][A-Za-z0-9.+#-]*(?: [A-Z][A-Za-z0-9.+#-]*)?",
    )
});

/// A word of a product name: `Next.js`, `C#`, `Node`, `shadcn/ui` stops at `/`.
static TECH_WORD: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"[A-Za-z][A-Za-z0-9]*(?:[.+#-][A-Za-z0-9]+)*[+#]*"));

/// Whether `text` names the product `name` as written, and not as the start of a longer
/// product name (`MongoDB` is not named by `MongoDB Atlas (free tier)`).
fn names(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = &text[i + name.len()..];
        !before.is_some_and(|c| c.is_alphanumeric())
            && !after.starts_with(|c: char| c.is_alphanumeric())
            && !after
                .strip_prefix(' ')
                .is_some_and(|a| a.starts_with(|c: char| c.is_uppercase()))
    })
}

fn strip_placeholders(text: &str) -> String {
    PLACEHOLDER.replace_all(text, " ").into_owned()
}

/// Start of the line after the one containing `byte`.
fn next_line_start(doc: &Document, byte: usize) -> usize {
    let line = doc.lines.line_of(byte.min(doc.text.len()));
    if line + 1 < doc.lines.line_count() {
        doc.lines.line_start(line + 1)
    } else {
        doc.text.len()
    }
}

/// The labelled lines of `span`, outside code blocks and HTML, in order.
fn labelled_lines(doc: &Document, span: &Range<usize>) -> Vec<Labelled> {
    let mut out = Vec::new();
    let first = doc.lines.line_of(span.start);
    let last = doc
        .lines
        .line_of(span.end.saturating_sub(1).max(span.start));
    for line in first..=last {
        let range = doc.lines.line_span(&doc.text, line);
        if range.start < span.start || range.start >= span.end || doc.in_code_or_html(range.start) {
            continue;
        }
        let text = &doc.text[range.clone()];
        let (label, value, value_start) = if let Some(c) = BOLD_LABEL.captures(text) {
            if c["colon"].is_empty() && c["colon2"].is_empty() {
                continue; // bold text without a colon is emphasis, not a label
            }
            let v = c.name("value").expect("group");
            (c["label"].trim().to_string(), v.as_str(), v.start())
        } else if let Some(c) = PLAIN_LABEL.captures(text) {
            if c["label"].split_whitespace().count() > 5 {
                continue;
            }
            let v = c.name("value").expect("group");
            (c["label"].trim().to_string(), v.as_str(), v.start())
        } else {
            continue;
        };
        let indent = text.len() - text.trim_start().len();
        let start = range.start + indent;
        // the value's region: a list item's whole content, or the line plus wrapped lines
        let item_end = doc
            .list_items
            .iter()
            .filter(|it| it.first_line.start <= start && start < it.first_line.end)
            .map(|it| it.span.end)
            .min();
        let region_end = item_end.unwrap_or_else(|| paragraph_line_end(doc, line, span.end));
        out.push(Labelled {
            label: label.trim_end_matches(':').trim().to_string(),
            line: start..range.end,
            region: range.start + value_start..region_end.max(range.start + value_start),
            // `[PostgreSQL] - [Why chosen]` leaves only the dash: nothing was filled in
            value: strip_placeholders(value)
                .trim_matches(|c: char| c.is_whitespace() || "-–—:;,/|.".contains(c))
                .to_string(),
        });
    }
    out
}

/// End of a labelled paragraph line and the plain lines that wrap it (until a blank line,
/// another labelled line or list item, or a heading).
fn paragraph_line_end(doc: &Document, line: usize, limit: usize) -> usize {
    let mut end = doc.lines.line_span(&doc.text, line).end;
    let mut next = line + 1;
    while next < doc.lines.line_count() {
        let r = doc.lines.line_span(&doc.text, next);
        if r.start >= limit {
            break;
        }
        let t = doc.text[r.clone()].trim();
        if t.is_empty()
            || t.starts_with('#')
            || t.starts_with(['-', '*', '+', '|', '>'])
            || t.starts_with("__")
            || BOLD_LABEL.is_match(&doc.text[r.clone()])
        {
            break;
        }
        end = r.end;
        next += 1;
    }
    end
}
