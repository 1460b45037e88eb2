//! Renderers: one file per output format, each a pure function from a `Report` to text.
//! The library prints nothing; `main.rs` decides where the text goes.

use clap::ValueEnum;

use crate::pack::RulePack;
use crate::report::{FailOn, Report};

pub mod concise;
pub mod human;
pub mod json;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// rustc-style annotated snippets, then a summary and the checklist scorecard.
    #[default]
    Human,
    /// One line per finding: `path:line:col: CODE [severity] message`.
    Concise,
    /// The versioned JSON contract (see README).
    Json,
}

/// What renderers may need besides the report.
pub struct RenderContext<'a> {
    pub packs: &'a [RulePack],
    pub color: bool,
    pub fail_on: FailOn,
    /// Human output: print the checklist scorecard after the findings.
    pub scorecard: bool,
}

pub fn render(format: Format, report: &Report, ctx: &RenderContext<'_>) -> String {
    match format {
        Format::Human => human::render(report, ctx),
        Format::Concise => concise::render(report),
        Format::Json => json::render(report),
    }
}

/// "1 error", "2 warnings".
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `spec-check rule CODE`: a rule's documentation as text.
pub fn rule_doc(pack: &RulePack, rule: &crate::pack::Rule) -> String {
    let d = &rule.docs;
    let mut s = format!("{} ({})\n\n{}\n\n", rule.code, rule.name, d.summary);
    s.push_str(&format!(
        "Pack: {}    Severity: {}    Checklist: {}    Fixable: {}\n\n",
        pack.id,
        rule.severity,
        rule.checklist.as_deref().unwrap_or("-"),
        if rule.fixable() { "yes" } else { "no" }
    ));
    s.push_str(&format!(
        "## What it does\n{}\n\n## Why\n{}\n\n",
        d.what.trim(),
        d.why.trim()
    ));
    s.push_str(&format!(
        "## Example bad\n```markdown\n{}\n```\n\n",
        d.bad.trim_end()
    ));
    s.push_str(&format!(
        "## Example good\n```markdown\n{}\n```\n",
        d.good.trim_end()
    ));
    s
}

/// `spec-check rule CODE` for a rule of the engine itself (suppression comments).
pub fn engine_rule_doc(rule: &crate::suppress::EngineRule) -> String {
    format!(
        "{} ({})\n\n{}\n\nPack: (engine)    Severity: {}    Checklist: -    Fixable: {}\n\n## What it does\n{}\n\n## Why\n{}\n\n## Example bad\n```markdown\n{}\n```\n\n## Example good\n```markdown\n{}\n```\n",
        rule.code,
        rule.name,
        rule.summary,
        rule.severity,
        if rule.code == crate::suppress::UNUSED.code {
            "yes"
        } else {
            "no"
        },
        rule.what.trim(),
        rule.why.trim(),
        rule.bad.trim_end(),
        rule.good.trim_end()
    )
}
