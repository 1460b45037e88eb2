//! `timeline`: the schedule told twice agrees with itself — the timeline overview (§1.5,
//! "Phase 1 (Weeks 1-4)") and the development phases (§11.2) give each phase the same weeks
//! and end in the same week. Silent when either side is missing or in months; week ranges
//! still in template form ("Weeks 11-[Number]") are left out, and then only a stated total
//! tells the last week.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Check, CompileError, Context, Finding, known_scope};
use crate::check::regexes::compiled;
use crate::document::Document;
use crate::outline::Template;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    /// The overview that states the timeline (`executive-summary.timeline`).
    summary: String,
    /// The section that details the phases (`team.phases`).
    detail: String,
}

#[derive(Debug)]
pub struct Timeline {
    summary: String,
    detail: String,
}

impl Timeline {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        known_scope(&[p.summary.clone(), p.detail.clone()], template)?;
        Ok(Timeline {
            summary: p.summary,
            detail: p.detail,
        })
    }
}

/// `Weeks 1-4`, `Week 5–8`, `weeks 9 to 12`, `Weeks 13+`, `Week 6`.
static WEEKS: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        r"(?i)\bweeks?\s*(?P<a>\d{1,3})(?:\s*(?:[-–—]|to|through|until)\s*(?:weeks?\s*)?(?P<b>\d{1,3})|(?P<open>\+))?",
    )
});
/// A week range still in template form: `Weeks 1-X`, `Weeks 11-[Number]`, `Weeks X-Y`.
static TEMPLATE_WEEKS: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"(?i)\bweeks?\s*(?:\d+\s*[-–—]\s*)?(?:(?-i:[A-Z])\b|\[|\{|<)"));
static PHASE: LazyLock<Regex> = LazyLock::new(|| compiled(r"(?i)\bphase\s*(?P<n>\d{1,2})\b"));
/// "12 weeks total", "Total: 12 weeks", "a 12-week plan".
static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        r"(?i)\b(?:total|overall|in all)\b[^.\n\d]{0,20}(?P<a>\d{1,3})[ -]weeks?\b|\b(?P<b>\d{1,3})[ -]weeks?\s+(?:total|overall|in total)\b|\b(?P<c>\d{1,3})-week\s+(?:timeline|plan|schedule|programme|program|project|delivery|roadmap)\b",
    )
});

#[derive(Debug, Clone)]
struct Phase {
    number: Option<u32>,
    start: u32,
    /// `None` for an open end (`Weeks 13+`).
    end: Option<u32>,
    span: Range<usize>,
}

#[derive(Debug, Default)]
struct Plan {
    phases: Vec<Phase>,
    total: Option<(u32, Range<usize>)>,
    /// Some week range is still template text (`Weeks 11-[Number]`): the last week is only
    /// known if stated outright.
    incomplete: bool,
}

impl Plan {
    /// The last week and where it is written.
    fn last_week(&self) -> Option<(u32, Range<usize>)> {
        if let Some(t) = &self.total {
            return Some(t.clone());
        }
        if self.incomplete {
            return None;
        }
        self.phases
            .iter()
            .filter_map(|p| p.end.map(|e| (e, p.span.clone())))
            .max_by_key(|(e, _)| *e)
    }
}

/// Read the weeks of `span`. Lines whose weeks are still template text are left out.
fn plan(doc: &Document, span: &Range<usize>) -> Plan {
    let text = doc.slice(span);
    let mut out = Plan::default();
    let mut offset = span.start;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        if TEMPLATE_WEEKS.is_match(line) {
            out.incomplete = true;
            continue;
        }
        let phases: Vec<u32> = PHASE
            .captures_iter(line)
            .filter_map(|c| c.name("n").and_then(|n| n.as_str().parse().ok()))
            .collect();
        let ranges: Vec<regex::Captures<'_>> = WEEKS
            .captures_iter(line)
            .filter(|c| c.name("b").is_some() || c.name("open").is_some() || !phases.is_empty())
            .collect();
        for (i, c) in ranges.iter().enumerate() {
            let (Some(whole), Some(a)) = (c.get(0), c.name("a")) else {
                continue;
            };
            let Ok(start) = a.as_str().parse::<u32>() else {
                continue;
            };
            let end = match (c.name("b"), c.name("open")) {
                (Some(b), _) => b.as_str().parse().ok(),
                (None, Some(_)) => None,
                (None, None) => Some(start),
            };
            let number = if phases.len() == ranges.len() {
                phases.get(i).copied()
            } else if i == 0 {
                phases.first().copied()
            } else {
                None
            };
            out.phases.push(Phase {
                number,
                start,
                end,
                span: at + whole.start()..at + whole.end(),
            });
        }
        if out.total.is_none()
            && let Some(c) = TOTAL.captures(line)
            && let Some(m) = c.name("a").or_else(|| c.name("b")).or_else(|| c.name("c"))
            && let Ok(n) = m.as_str().parse()
        {
            out.total = Some((
                n,
                at + m.start()..at + c.get(0).map_or(m.end(), |w| w.end()),
            ));
        }
    }
    out
}

fn weeks(start: u32, end: Option<u32>) -> String {
    match end {
        Some(e) if e == start => format!("week {start}"),
        Some(e) => format!("weeks {start}-{e}"),
        None => format!("weeks {start}+"),
    }
}

impl Check for Timeline {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let (Some(s), Some(d)) = (
            ctx.outline.resolve(&self.summary),
            ctx.outline.resolve(&self.detail),
        ) else {
            return false;
        };
        let summary = plan(doc, &doc.sections[s].body);
        let detail = plan(doc, &doc.sections[d].body);
        if summary.phases.is_empty() && summary.total.is_none() || detail.phases.is_empty() {
            return false;
        }
        let summary_name = doc.sections[s].title.clone();
        let detail_name = match &doc.sections[d].number {
            Some(n) => format!("{n} {}", doc.sections[d].title),
            None => doc.sections[d].title.clone(),
        };
        // phase by phase, where both sides number them
        let detail_by_number: HashMap<u32, &Phase> = detail
            .phases
            .iter()
            .filter_map(|p| p.number.map(|n| (n, p)))
            .collect();
        let mut differ = false;
        for p in summary.phases.iter().filter(|p| p.number.is_some()) {
            let Some(n) = p.number else { continue };
            let Some(q) = detail_by_number.get(&n) else {
                continue;
            };
            if (p.start, p.end) != (q.start, q.end) {
                differ = true;
                out.push(
                    Finding::new(
                        p.span.clone(),
                        format!(
                            "Phase {n} runs {} here but {} in {detail_name}",
                            weeks(p.start, p.end),
                            weeks(q.start, q.end)
                        ),
                    )
                    .with_related(
                        q.span.clone(),
                        format!("{detail_name} says {}", weeks(q.start, q.end)),
                    )
                    .with_help(format!(
                        "make {summary_name} and {detail_name} give Phase {n} the same weeks"
                    )),
                );
            }
        }
        if differ {
            return true;
        }
        if let (Some((a, sa)), Some((b, sb))) = (summary.last_week(), detail.last_week())
            && a != b
        {
            out.push(
                Finding::new(
                    sa,
                    format!("the timeline here ends at week {a} but the phases in {detail_name} end at week {b}"),
                )
                .with_related(sb, format!("{detail_name} ends at week {b}"))
                .with_help(format!("make {summary_name} and {detail_name} agree on the schedule")),
            );
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(md: &str) -> Plan {
        let doc = Document::parse("x.md", md);
        plan(&doc, &(0..doc.text.len()))
    }

    #[test]
    fn reads_phases_and_weeks() {
        let p = parse(
            "- **Phase 1 (Weeks 1-4):** a\n- **Phase 2 (Weeks 5–9):** b\n#### Phase 3: Launch (Weeks 10 to 12)\n",
        );
        let got: Vec<_> = p
            .phases
            .iter()
            .map(|p| (p.number, p.start, p.end))
            .collect();
        assert_eq!(
            got,
            [
                (Some(1), 1, Some(4)),
                (Some(2), 5, Some(9)),
                (Some(3), 10, Some(12))
            ]
        );
        assert_eq!(p.last_week().map(|w| w.0), Some(12));
    }

    #[test]
    fn template_leftovers_hide_the_last_week() {
        let p = parse("- Phase 2 (Weeks 5-10)\n- Phase 3 (Weeks 11-[Number])\n");
        assert_eq!(p.phases.len(), 1);
        assert!(p.last_week().is_none());
        let p = parse("- Phase 1 (Weeks 1-X)\n- **Total:** 12 weeks\n");
        assert!(p.phases.is_empty());
        assert_eq!(p.last_week().map(|w| w.0), Some(12));
    }

    #[test]
    fn sprint_lengths_are_not_weeks_of_the_plan() {
        let p = parse("Two-week sprints; 2-week sprints.\n");
        assert!(p.phases.is_empty());
        let p = parse("Total: 12 weeks\n");
        assert_eq!(p.total.map(|t| t.0), Some(12));
    }
}
