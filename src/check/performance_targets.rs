//! `performance-targets`: the performance targets are measurable and achievable.
//!
//! The targets are read from the first of `scope` that the document has (§7.3 Performance
//! Targets, else the whole performance section). Every line there is a target — a list
//! item, a table row, a `key: '< 2s'` line of a code block — except that code lines, and
//! all lines when only the fallback section exists, count only when they name a metric
//! (response time, latency, page load, uptime, users…): an optimisation note such as
//! "Redis keeps reads fast" is not a target.
//!
//! One kind, five reports (each its own rule):
//! - `vague`: a target with no number and a word such as "fast" or "minimal";
//! - `impossible`: 100 % uptime, 0 ms, "no downtime ever";
//! - `unitless`: a number with no unit ("< 200", "under 2.5");
//! - `percentile`: a latency with a time but no percentile or statistic (p95, median);
//! - `missing`: no target in the section has a number with a unit, or a part of it (a
//!   subsection) names metrics and measures none of them.
//!
//! Numbers that are not targets (years, versions, "Phase 3", "4G") are never looked at on
//! their own: only numbers after a comparator or alone after a label are checked for units.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Check, CompileError, Context, Finding, LazyRegex, known_scope, regex};
use crate::document::Document;
use crate::language::{LangPattern, Vocabulary};
use crate::language::{Langs, applies};
use crate::outline::{Template, descendants};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Aspect {
    Vague,
    Impossible,
    Unitless,
    Percentile,
    Missing,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    report: Aspect,
    /// Section ids tried in order; the first one present holds the targets.
    #[serde(default = "default_scope")]
    scope: Vec<String>,
    /// `vague` and `impossible`: what to report.
    #[serde(default)]
    patterns: Vec<PatternParam>,
    /// A line that names a metric (used for code lines and for the fallback section). This
    /// and the vocabularies below take `{ lang, pattern }` entries for documents in that
    /// language; the built-in pack sets them in `[defaults.performance-targets]`.
    metric: Vec<LangPattern>,
    /// `unitless`: labels of measures that have no unit (CLS, scores, ratios).
    #[serde(default)]
    unitless_measures: Vec<LangPattern>,
    /// `percentile`: lines whose times need a percentile.
    #[serde(default)]
    latency: Vec<LangPattern>,
    /// `percentile`: what counts as saying which percentile or statistic.
    #[serde(default)]
    percentile: Vec<LangPattern>,
    /// A number with a unit beyond the built-in English ones (`200 毫秒`, `1.000 usuarios`).
    #[serde(default)]
    units: Vec<LangPattern>,
    /// `missing`: titles of sections elsewhere whose measured metric lines are targets too
    /// (`Technical Metrics`, `SLOs`).
    #[serde(default)]
    metric_titles: Vec<LangPattern>,
}

fn default_scope() -> Vec<String> {
    vec!["performance.targets".into(), "performance".into()]
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PatternParam {
    /// A regex; if it has a capture group named `p`, that group is what is reported.
    pattern: String,
    /// Not reported when the text right after the match (same line) matches this regex.
    #[serde(default)]
    unless_followed_by: Option<String>,
    /// `{match}` is the text found, `{target}` the target's label (or "a performance target").
    message: String,
    help: String,
    /// Only in documents in these languages (`"es"`, `["zh", "ja"]`).
    #[serde(default)]
    lang: Option<Langs>,
}

#[derive(Debug)]
struct Pattern {
    re: LazyRegex,
    lang: Option<Vec<String>>,
    unless_followed_by: Option<LazyRegex>,
    message: String,
    help: String,
}

#[derive(Debug)]
pub struct PerformanceTargets {
    report: Aspect,
    scope: Vec<String>,
    patterns: Vec<Pattern>,
    metric: Vocabulary,
    unitless_measures: Vocabulary,
    latency: Vocabulary,
    percentile: Vocabulary,
    units: Vocabulary,
    metric_titles: Vocabulary,
}

/// A number followed by a unit: what makes a target measurable.
static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"(?ix)\d[\d,]*(?:\.\d+)?\s?(?:\+\s?)?(?:[kKmM]\s?)?
        (?: %
          | (?: ms|milliseconds?|µs|us|ns|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?
              | [KMGT]i?B|kb|mb|gb|bytes?
              | rps|rpm|qps|tps|fps|[MG]bps
              | (?:req|reqs|requests?|ops|msgs?|messages?|events?|writes?|reads?|queries|transactions?|jobs?)(?:\s?/\s?|\s+(?:per|a|an)\s+)(?:s|sec|second|min|minute|h|hr|hour|day)
              | concurrent|simultaneous|parallel
              | (?:active\s+|daily\s+|monthly\s+)?(?:users?|sessions?|connections?|requests?|devices?|vus|visitors?|tenants?|clients?|sensors?|orders?|messages?|events?|records?|rows?|tasks?)
              | nines
            )\b
        )",
    )
    .expect("valid regex")
});

/// A `key: value` or `key = value` line of a code block.
static SETTING: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r#"^\s*["']?[A-Za-z][\w .-]{0,60}["']?\s*[:=]\s*\S"#)
        .expect("valid regex")
});

/// A comparator and the number after it: `< 200`, `under 2.5`, `at least 99.9`.
static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"(?i)(?:[<>≤≥]=?|\b(?:under|below|less than|fewer than|at most|at least|up to|within|over|above|more than|exceeds?|exceeding|max(?:imum)?(?: of)?|min(?:imum)?(?: of)?)\b)\s*~?\s*(?P<n>\d[\d,]*(?:\.\d+)?)",
    )
    .expect("valid regex")
});

/// A time: `300 ms`, `2.5 s`, `1 second`.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"(?i)(?P<n>\d[\d,]*(?:\.\d+)?)\s?(?:ms|milliseconds?|µs|s|secs?|seconds?|mins?|minutes?)\b")
        .expect("valid regex")
});

/// A label at the start of a line: `- **Page Load Time:**`, `Page load time:`, `page_load: `.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r#"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?:\*\*|__)?(?P<label>[A-Za-z][\w /&().'-]{0,50}?)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*(?P<value>.*)$"#,
    )
    .expect("valid regex")
});

/// Words after a number that are not its unit.
const NOT_UNITS: &[&str] = &[
    "for",
    "at",
    "on",
    "in",
    "of",
    "and",
    "or",
    "with",
    "when",
    "to",
    "from",
    "by",
    "during",
    "under",
    "while",
    "across",
    "if",
    "the",
    "a",
    "an",
    "is",
    "are",
    "p",
    "tp",
    "percentile",
    "th",
    "nd",
    "rd",
    "st",
];

impl PerformanceTargets {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        known_scope(&p.scope, template)?;
        if p.scope.is_empty() {
            return Err(CompileError::Params(
                "`scope` must name the section that holds the targets".into(),
            ));
        }
        if p.metric.is_empty() {
            return Err(CompileError::Params(
                "`metric` must list at least one pattern".into(),
            ));
        }
        let needs_patterns = matches!(p.report, Aspect::Vague | Aspect::Impossible);
        if needs_patterns == p.patterns.is_empty() {
            return Err(CompileError::Params(if needs_patterns {
                "`patterns` must list what to report".into()
            } else {
                "`patterns` applies only to `report = \"vague\"` or `\"impossible\"`".into()
            }));
        }
        let patterns = p
            .patterns
            .into_iter()
            .map(|pp| {
                Ok(Pattern {
                    re: regex(&pp.pattern)?,
                    lang: pp.lang.map(Langs::into_vec),
                    unless_followed_by: pp.unless_followed_by.as_deref().map(regex).transpose()?,
                    message: pp.message,
                    help: pp.help,
                })
            })
            .collect::<Result<_, CompileError>>()?;
        Ok(PerformanceTargets {
            report: p.report,
            scope: p.scope,
            patterns,
            metric: Vocabulary::new(&p.metric)?,
            unitless_measures: Vocabulary::new(&p.unitless_measures)?,
            latency: Vocabulary::new(&p.latency)?,
            percentile: Vocabulary::new(&p.percentile)?,
            units: Vocabulary::new(&p.units)?,
            metric_titles: Vocabulary::new(&p.metric_titles)?,
        })
    }
}

/// One line that states (or should state) a target.
struct Target {
    /// The line, from its first non-blank character.
    span: Range<usize>,
    /// Its text with `_` read as a space, so `first_contentful_paint` and `query_time_p95`
    /// read as words (same byte offsets as the source).
    text: String,
    label: Option<String>,
    /// It has a number with a unit.
    measured: bool,
    /// It names a metric (response time, page load, uptime…).
    names_metric: bool,
    /// The innermost section it is in.
    section: Option<usize>,
}

impl Target {
    fn name(&self) -> String {
        match &self.label {
            Some(l) => format!("performance target `{l}`"),
            None => "a performance target".into(),
        }
    }
}

impl Check for PerformanceTargets {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let Some((pos, section)) = self
            .scope
            .iter()
            .enumerate()
            .find_map(|(i, id)| ctx.outline.resolve(id).map(|k| (i, k)))
        else {
            return false;
        };
        let fallback = pos > 0;
        let lang = ctx.language;
        let targets = self.targets(doc, section, fallback, lang);
        match self.report {
            Aspect::Vague => {
                for t in targets.iter().filter(|t| !t.measured) {
                    if let Some(f) = self.first_pattern(ctx.language, t) {
                        out.push(f);
                    }
                }
            }
            Aspect::Impossible => {
                for t in &targets {
                    if let Some(f) = self.first_pattern(ctx.language, t) {
                        out.push(f);
                    }
                }
            }
            Aspect::Unitless => {
                for t in &targets {
                    self.unitless(t, lang, out);
                }
            }
            Aspect::Percentile => {
                for t in &targets {
                    if !self.percentile_in_context(doc, t, section, &targets, lang) {
                        self.missing_percentile(t, lang, out);
                    }
                }
            }
            Aspect::Missing => {
                let help = "state measurable targets, e.g. `API response time: p95 < 300 ms`, `Page load: LCP < 2.5 s at p75`, `Availability: 99.9 % monthly`, `Concurrent users: 1,000`";
                if !targets.iter().any(|t| t.measured)
                    && !self.measured_elsewhere(doc, section, lang)
                {
                    let s = &doc.sections[section];
                    out.push(
                        Finding::new(
                            s.heading.clone(),
                            format!(
                                "`{}` gives no performance target with a number and a unit",
                                display_name(doc, section)
                            ),
                        )
                        .with_help(help),
                    );
                    return true;
                }
                // a part of the targets (`7.3.2 Mobile`) that names metrics but measures none
                for k in descendants(doc, section) {
                    let mut named = targets
                        .iter()
                        .filter(|t| t.section == Some(k) && t.names_metric)
                        .peekable();
                    if named.peek().is_some() && named.all(|t| !t.measured) {
                        out.push(
                            Finding::new(
                                doc.sections[k].heading.clone(),
                                format!(
                                    "`{}` names performance metrics but gives none a number with a unit",
                                    display_name(doc, k)
                                ),
                            )
                            .with_help(help),
                        );
                    }
                }
            }
        }
        true
    }
}

impl PerformanceTargets {
    /// The target lines of section `k`.
    fn targets(&self, doc: &Document, k: usize, fallback: bool, lang: Option<&str>) -> Vec<Target> {
        let span = doc.sections[k].span();
        let body = doc.sections[k].body.clone();
        let headings: Vec<Range<usize>> = doc
            .sections
            .iter()
            .map(|s| s.heading.clone())
            .filter(|h| h.start >= span.start && h.start < span.end)
            .collect();
        let mut out = Vec::new();
        if body.is_empty() {
            return out;
        }
        let first = doc.lines.line_of(body.start);
        let last = doc
            .lines
            .line_of(body.end.saturating_sub(1).max(body.start));
        for line in first..=last {
            let range = doc.lines.line_span(&doc.text, line);
            if range.start < body.start || range.start >= body.end {
                continue;
            }
            let raw = &doc.text[range.clone()];
            let trimmed = raw.trim();
            if trimmed.is_empty()
                || headings
                    .iter()
                    .any(|h| h.start <= range.start && range.start < h.end)
                || doc
                    .html
                    .iter()
                    .any(|h| h.start <= range.start && range.start < h.end)
                || trimmed.starts_with("```")
                || trimmed.starts_with("~~~")
                || is_table_rule(trimmed)
                || doc
                    .tables
                    .iter()
                    .any(|t| t.header.span.start <= range.start && range.start < t.header.span.end)
            {
                continue;
            }
            let norm = raw.replace('_', " ");
            let text = norm.as_str();
            let in_code = doc
                .code_blocks
                .iter()
                .any(|b| b.span.start <= range.start && range.start < b.span.end);
            let names_metric = self.metric.is_match(text, lang);
            if (in_code || fallback) && !names_metric {
                continue;
            }
            // in code, only settings (`page_load: '< 2s'`), not diagrams or statements
            if in_code && !SETTING.is_match(text) {
                continue;
            }
            let indent = text.len() - text.trim_start().len();
            out.push(Target {
                span: range.start + indent..range.end,
                text: text[indent..].to_string(),
                label: label_of(trimmed),
                measured: MEASURE.is_match(text) || self.units.is_match(text, lang),
                names_metric,
                section: doc.section_at(range.start),
            });
        }
        out
    }

    fn first_pattern(&self, language: Option<&str>, t: &Target) -> Option<Finding> {
        for pat in &self.patterns {
            if pat.lang.as_ref().is_some_and(|l| !applies(l, language)) {
                continue;
            }
            for caps in pat.re.captures_iter(&t.text) {
                let Some(m) = caps.name("p").or_else(|| caps.get(0)) else {
                    continue;
                };
                if m.as_str().is_empty() {
                    continue;
                }
                let after = &t.text[caps.get(0).map_or(m.end(), |w| w.end())..];
                if pat
                    .unless_followed_by
                    .as_ref()
                    .is_some_and(|r| r.is_match(after))
                {
                    continue;
                }
                let fill = |s: &str| {
                    s.replace("{match}", m.as_str())
                        .replace("{target}", &t.name())
                };
                let span = t.span.start + m.start()..t.span.start + m.end();
                return Some(Finding::new(span, fill(&pat.message)).with_help(fill(&pat.help)));
            }
        }
        None
    }

    /// Whether a section outside `scope` whose title names metrics or targets (`13.1
    /// Technical Metrics`, `SLOs`) measures one: the targets are stated, only elsewhere.
    fn measured_elsewhere(&self, doc: &Document, scope: usize, lang: Option<&str>) -> bool {
        let inside = doc.sections[scope].span();
        (0..doc.sections.len()).any(|k| {
            !inside.contains(&doc.sections[k].heading.start)
                && self.metric_titles.is_match(&doc.sections[k].title, lang)
                && self
                    .targets(doc, k, true, lang)
                    .iter()
                    .any(|t| t.measured && t.section == Some(k))
        })
    }

    /// Whether the percentile of `t` is stated around it: in its table's header
    /// (`| Endpoint | p95 target |`), an enclosing heading (`7.3 Targets (p95)`), or a
    /// statement in its section ("All latencies are p95 unless noted").
    fn percentile_in_context(
        &self,
        doc: &Document,
        t: &Target,
        top: usize,
        all: &[Target],
        lang: Option<&str>,
    ) -> bool {
        let at = t.span.start;
        if doc.tables.iter().any(|tb| {
            tb.span.start <= at
                && at < tb.span.end
                && self.percentile.is_match(doc.slice(&tb.header.span), lang)
        }) {
            return true;
        }
        let mut k = t.section;
        while let Some(i) = k {
            if self.percentile.is_match(&doc.sections[i].title, lang) {
                return true;
            }
            if i == top {
                break;
            }
            k = doc.sections[i].parent;
        }
        all.iter().any(|u| {
            u.section == t.section && !u.measured && self.percentile.is_match(&u.text, lang)
        })
    }

    fn unitless(&self, t: &Target, lang: Option<&str>, out: &mut Vec<Finding>) {
        if t.label
            .as_ref()
            .is_some_and(|l| self.unitless_measures.is_match(&l.replace('_', " "), lang))
        {
            return;
        }
        let mut numbers: Vec<Range<usize>> = COMPARED
            .captures_iter(&t.text)
            .filter_map(|c| c.name("n").map(|m| m.range()))
            .collect();
        // `**Label:** 200` — a bare number as the whole value
        if let Some(c) = LABEL.captures(&t.text)
            && let Some(v) = c.name("value")
        {
            let value = v
                .as_str()
                .trim()
                .trim_end_matches(['.', '\'', '"', ',', ';'])
                .trim_start_matches(['\'', '"']);
            let value = value.trim_start_matches(['<', '>', '≤', '≥', '=', '~', ' ']);
            if !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
            {
                if let Some(at) = t.text[v.start()..].find(value) {
                    let start = v.start() + at;
                    numbers.push(start..start + value.len());
                }
            }
        }
        numbers.sort_by_key(|r| r.start);
        numbers.dedup();
        for n in numbers {
            if has_unit_after(&t.text[n.end..]) {
                continue;
            }
            // what the number measures: the words since the previous separator
            let before = &t.text[..n.start];
            let measure = before
                .rfind([',', ';', '|', '(', ':'])
                .map_or(before, |i| &before[i + 1..]);
            if self.unitless_measures.is_match(measure, lang) {
                continue;
            }
            let number = &t.text[n.clone()];
            out.push(
                Finding::new(
                    t.span.start + n.start..t.span.start + n.end,
                    format!("{} has a number with no unit: `{number}`", t.name()),
                )
                .with_help(format!(
                    "say what is measured: `{number} ms`, `{number} req/s`, `{number} concurrent users`, `{number} %`"
                )),
            );
        }
    }

    fn missing_percentile(&self, t: &Target, lang: Option<&str>, out: &mut Vec<Finding>) {
        if !self.latency.is_match(&t.text, lang) || self.percentile.is_match(&t.text, lang) {
            return;
        }
        let time = TIME.captures_iter(&t.text).find_map(|c| {
            let n = c.name("n")?;
            let value: f64 = n.as_str().replace(',', "").parse().ok()?;
            (value > 0.0).then(|| c.get(0).map(|m| m.range()))?
        });
        let Some(time) = time else { return };
        out.push(
            Finding::new(
                t.span.start + time.start..t.span.start + time.end,
                format!(
                    "{} gives a time but not which requests it covers (`{}` at p95? p99? median?)",
                    t.name(),
                    &t.text[time.clone()]
                ),
            )
            .with_help("name the percentile or statistic, e.g. `p95 < 300 ms, p99 < 800 ms` or `median 120 ms`: an unqualified time is usually met by the average and missed by the users who wait longest"),
        );
    }
}

/// `7.3 Performance Targets`, `Performance Benchmarks`: how messages name a section.
fn display_name(doc: &Document, k: usize) -> String {
    let s = &doc.sections[k];
    match s.number.as_deref().map(|n| n.trim_end_matches(['.', ')'])) {
        Some(n) if n.contains('.') => format!("{n} {}", s.title),
        Some(n) => format!("{n}. {}", s.title),
        None => s.title.clone(),
    }
}

/// `|---|:--:|` separator rows.
fn is_table_rule(line: &str) -> bool {
    line.starts_with('|')
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The target's name: a bold or plain label, a table row's first cell, a code key.
fn label_of(line: &str) -> Option<String> {
    if line.starts_with('|') {
        let cell = line.trim_matches('|').split('|').next()?.trim();
        let cell = cell.trim_matches(['*', '_', '`']).trim();
        return (!cell.is_empty() && cell.chars().any(char::is_alphabetic))
            .then(|| cell.to_string());
    }
    let c = LABEL.captures(line)?;
    let label = c["label"].trim().trim_matches(['*', '_', '\'', '"']).trim();
    (label.split_whitespace().count() <= 6 && !label.is_empty()).then(|| label.to_string())
}

/// Whether the text right after a number names its unit.
fn has_unit_after(rest: &str) -> bool {
    let mut r = rest.trim_start_matches([' ', '\u{a0}', '+']);
    // a range: `200–500 ms`
    if let Some(after_dash) = r.strip_prefix(['-', '–', '—']) {
        let digits = after_dash
            .trim_start()
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
        if digits.len() < after_dash.trim_start().len() {
            r = digits.trim_start_matches([' ', '\u{a0}', '+']);
        }
    }
    if r.starts_with(['%', '/', '×', '‰']) {
        return true;
    }
    let word: String = r
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == 'µ')
        .collect();
    if word.is_empty() {
        return false;
    }
    // `p95` after a number is a percentile, not a unit
    if word.eq_ignore_ascii_case("p") && r[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    !NOT_UNITS.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::{MEASURE, has_unit_after};

    #[test]
    fn units_after_numbers() {
        for rest in [
            " ms",
            "ms",
            " seconds",
            "%",
            " %",
            "/s",
            " req/min",
            " concurrent users",
            "+ devices",
            "–500 ms",
            "k users",
            "x faster",
        ] {
            assert!(has_unit_after(rest), "{rest:?}");
        }
        for rest in ["", " for reads", ")", ", p95", " p95", "–500", ".", "'"] {
            assert!(!has_unit_after(rest), "{rest:?}");
        }
    }

    #[test]
    fn measures() {
        for t in [
            "p95 < 300 ms",
            "99.5 % monthly",
            "500 msg/s",
            "1,000 concurrent sessions",
            "< 2.5 s",
            "10,000 simultaneous users",
            "500 req/min",
            "5 MB",
        ] {
            assert!(MEASURE.is_match(t), "{t}");
        }
        for t in ["Phase 3", "Node 20", "in 2026", "on 4G", "version 1.2"] {
            assert!(!MEASURE.is_match(t), "{t}");
        }
    }
}
