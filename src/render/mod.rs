//! Renderers: one file per output format, each a pure function from a `Report` to text.
//! The library prints nothing; `main.rs` decides where the text goes.

use crate::source::normalize_path;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::diagnostic::Severity;
use crate::pack::{Rule, RuleInfo, RulePack, every_rule};
use crate::report::{FailOn, Report};

pub mod concise;
mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod rdjson;
pub mod rules_list;
pub mod rules_page;
pub mod sarif;
pub mod statistics;

pub use fingerprint::fingerprints;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum, Default)]
pub enum Format {
    /// rustc-style annotated snippets, then a summary and the checklist scorecard.
    #[default]
    Human,
    /// One line per finding: `path:line:col: CODE [severity] message`.
    Concise,
    /// The versioned JSON contract (see README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning (upload-sarif) and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding, most severe first.
    Github,
    /// JUnit XML: a test suite per file, a test case per rule that ran.
    Junit,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// reviewdog's diagnostic format (rdjson), for PR review comments.
    Rdjson,
    /// A markdown summary (checklist scorecards and findings), for job summaries and PR comments.
    Markdown,
}

impl Format {
    /// The name typed after `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
            Format::Rdjson => "rdjson",
            Format::Markdown => "markdown",
        }
    }
}

/// What renderers may need besides the report.
#[derive(Clone, Copy)]
pub struct RenderContext<'a> {
    pub packs: &'a [RulePack],
    pub color: bool,
    pub fail_on: FailOn,
    /// Human output: print the checklist scorecard after the findings.
    pub scorecard: bool,
    /// Where the repository is, so machine formats can name files relative to its root.
    pub paths: &'a RepoPaths,
    /// GitHub output: whether the markdown summary goes to the job summary in this run
    /// (so the notice about annotations left out can point there).
    pub job_summary: bool,
    /// After `--fix`: what the fixes did (the report holds what remains).
    pub fixed: Option<FixedCounts>,
    /// `--unsafe-fixes`: unsafe fixes count and are marked as fixable, as ruff does.
    pub unsafe_fixes: bool,
}

/// What `--fix` did, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FixedCounts {
    /// Findings of the first check that the written files no longer have.
    pub fixed: usize,
    /// Findings the fixed files have that the originals did not: mostly the empty sections
    /// of inserted skeletons, which are the author's to fill in.
    pub added: usize,
}

impl FixedCounts {
    /// What `run` fixed in the files written: fixes of a document in `not_written` did not
    /// happen.
    pub fn written(
        run: &crate::fix::FixRun,
        not_written: &[crate::run::NotWritten],
    ) -> FixedCounts {
        let written = || {
            run.documents
                .iter()
                .filter(|d| !not_written.iter().any(|n| n.path == d.path))
        };
        FixedCounts {
            fixed: written().map(|d| d.fixed).sum(),
            added: written().map(|d| d.added).sum(),
        }
    }
}

pub fn render(format: Format, report: &Report, ctx: &RenderContext<'_>) -> String {
    match format {
        Format::Human => human::render(report, ctx),
        Format::Concise => concise::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, ctx),
        Format::Github => github::render(report, ctx),
        Format::Junit => junit::render(report, ctx),
        Format::Gitlab => gitlab::render(report, ctx),
        Format::Rdjson => rdjson::render(report, ctx),
        Format::Markdown => markdown::render(report, ctx),
    }
}

/// What stdout shows of a report instead of the whole format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    /// The format as it is.
    #[default]
    Full,
    /// `--statistics`: findings per rule.
    Statistics,
    /// `--checklist`: the scorecard only.
    Checklist,
    /// `--quiet`: the findings without the summary (human format only).
    Findings,
}

/// [`render`], shaped by `view`.
pub fn render_view(format: Format, view: View, report: &Report, ctx: &RenderContext<'_>) -> String {
    match view {
        View::Statistics => statistics::render(report, format, ctx.unsafe_fixes),
        View::Checklist => human::scorecard_only(report, ctx),
        View::Findings if format == Format::Human => human::render_findings(report, ctx),
        _ => render(format, report, ctx),
    }
}

/// Turns the paths of a run (as typed, relative to the working directory) into paths
/// relative to the repository root, which is what code scanning, annotations and review
/// tools resolve against.
#[derive(Debug, Clone, Default)]
pub struct RepoPaths {
    /// The working directory (absolute).
    pub cwd: PathBuf,
    /// The repository root (absolute), when the run is inside one.
    pub root: Option<PathBuf>,
}

impl RepoPaths {
    /// The paths of a run in `mode` started in `cwd`: work-tree paths are relative to the
    /// working directory; git modes report paths relative to the repository root already.
    pub fn of_run(mode: &crate::run::Mode, cwd: &Path) -> RepoPaths {
        let root = crate::source::fs::repo_root(cwd);
        match (mode, &root) {
            (crate::run::Mode::WorkTree, _) | (_, None) => RepoPaths::new(
                cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf()),
                root,
            ),
            (_, Some(r)) => RepoPaths::new(r.clone(), root.clone()),
        }
    }

    pub fn new(cwd: PathBuf, root: Option<PathBuf>) -> Self {
        RepoPaths { cwd, root }
    }

    /// `path` relative to the repository root with `/` separators; as shown to the user
    /// when there is no root or the file lies outside it.
    pub fn uri(&self, path: &Path) -> String {
        let Some(root) = &self.root else {
            return crate::source::display_path(path);
        };
        let absolute = normalize_path(&self.cwd.join(path));
        match absolute.strip_prefix(root) {
            Ok(rel) if !rel.as_os_str().is_empty() => crate::source::display_path(rel),
            _ => crate::source::display_path(path),
        }
    }
}

/// Most severe first (for formats that must cut the list short).
pub(crate) fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// A rule of the run's packs by code, with the pack it belongs to.
pub(crate) fn find_rule<'a>(packs: &'a [RulePack], code: &str) -> Option<(&'a RulePack, &'a Rule)> {
    packs
        .iter()
        .find_map(|p| p.rules.iter().find(|r| r.code == code).map(|r| (p, r)))
}

/// Where a built-in rule's documentation lives online: its entry on the rule reference page
/// (`docs/rules.md`, generated from the packs; `spec-check rule CODE` prints the same text).
/// None for user packs, which the page does not cover.
pub(crate) fn rule_help_uri(pack: &RulePack, code: &str) -> Option<String> {
    crate::pack::BUILTIN
        .iter()
        .any(|(id, _)| *id == pack.id)
        .then(|| rules_page::rule_url(code))
}

/// "1 error", "2 warnings", "3 baseline entries": the one way counts are spelt.
pub fn plural(n: usize, word: &str) -> String {
    let consonant_y = word
        .strip_suffix('y')
        .filter(|stem| !stem.ends_with(['a', 'e', 'i', 'o', 'u']));
    match (n, consonant_y) {
        (1, _) => format!("1 {word}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {word}s"),
    }
}

/// `spec-check rule CODE`: a rule's documentation as text.
pub fn rule_doc(rule: &RuleInfo<'_>) -> String {
    let d = rule.docs;
    let mut s = format!("{} ({})\n\n{}\n\n", rule.code, rule.name, d.summary);
    s.push_str(&format!(
        "Pack: {}    Severity: {}    Checklist: {}    Fixable: {}\n\n",
        rule.pack.map_or("(engine)", |p| p.id.as_str()),
        rule.severity,
        rule.checklist.unwrap_or("-"),
        if rule.fixable { "yes" } else { "no" }
    ));
    s.push_str(&format!(
        "## What it does\n{}\n\n## Why\n{}\n\n",
        d.what.trim(),
        d.why.trim()
    ));
    // the examples hold fenced blocks of their own: the outer fence is longer
    s.push_str(&format!(
        "## Example bad\n{}\n\n",
        rules_page::fenced(&d.bad)
    ));
    s.push_str(&format!(
        "## Example good\n{}\n",
        rules_page::fenced(&d.good)
    ));
    s
}

/// `spec-check rule CODE`: the documentation of the rule with this code or name in `packs`
/// or the engine, or (`Err`) what to say when there is none.
pub fn find_rule_doc(packs: &[RulePack], code: &str) -> Result<String, String> {
    if let Some(rule) = every_rule(packs).find(|r| r.is(code)) {
        return Ok(rule_doc(&rule));
    }
    let known = every_rule(packs).flat_map(|r| [r.code, r.name]);
    let hint = match crate::selector::did_you_mean(code, known) {
        Some(near) => format!("did you mean `{near}`? (`spec-check rules` lists them all)"),
        None => "run `spec-check rules` to list codes and names".to_string(),
    };
    Err(format!("no rule `{code}`; {hint}"))
}

/// Where a rule's documentation is online: its anchor on the reference page, for the rules
/// of the built-in packs and the engine's.
pub fn help_uri(rule: &RuleInfo<'_>) -> Option<String> {
    match rule.pack {
        Some(pack) => rule_help_uri(pack, rule.code),
        None => Some(rules_page::rule_url(rule.code)),
    }
}
