//! The engine: runs packs over documents. Each file is parsed once, every applicable rule
//! runs on it, findings are merged where two say one thing, capped per rule, stamped into
//! diagnostics (with secrets masked in every excerpt), filtered by suppression comments,
//! and counted on the checklist scorecard. Files are checked in parallel; the report's
//! order is stable.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::check::{self, Context};
use crate::diagnostic::{self, Diagnostic, Excerpt, Finding, RelatedLocation, Severity};
use crate::document::Document;
use crate::language;
use crate::outline::{self, Outline};
use crate::pack::{self, RulePack};
use crate::progress::Progress;
use crate::report::{ChecklistStatus, FileError, FileReport, Report, Status};
use crate::source::{self, SourceFile, Workspace};
use crate::suppress;

/// How the engine runs.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Keep each checked file's text in the report (for `--fix` / `--diff`).
    pub keep_text: bool,
    /// How suppression comments are reported.
    pub suppression: suppress::Options,
    /// Counts files as they finish, for a progress indicator.
    pub progress: Option<Arc<Progress>>,
    /// How each document's language is chosen (vocabularies with a `lang`).
    pub language: language::LanguageSetting,
}

/// One file's outcome.
type Checked = (FileReport, Vec<Diagnostic>);

/// Findings of one rule kept per file; the rest become one "…and N more" finding. Past a few
/// dozen, more findings of one rule say nothing new: the document has one systematic problem.
pub const MAX_FINDINGS_PER_RULE: usize = 50;

/// Diagnostics kept in one report, across all files, so that pathological input (a 10 MB file
/// of lorem ipsum, thousands of broken files) cannot exhaust memory. What is dropped is
/// counted in a note, and still decides the exit status.
pub const MAX_DIAGNOSTICS: usize = 10_000;

/// Check `files` with `packs`. Files are checked in parallel; the report's order is stable.
pub fn check(
    packs: &[RulePack],
    files: Vec<SourceFile>,
    workspace: &dyn Workspace,
    opts: &EngineOptions,
) -> Report {
    let slots: Vec<Mutex<Option<SourceFile>>> =
        files.into_iter().map(|f| Mutex::new(Some(f))).collect();
    check_each(
        packs,
        slots.len(),
        |i| Ok(slots[i].lock().unwrap_or_else(|e| e.into_inner()).take()),
        workspace,
        opts,
    )
}

/// Check `count` files that `load(i)` reads on demand, in parallel. Reading happens in the
/// workers, so at most one file's text and tree per thread is alive at a time. `Ok(None)`
/// skips a file (it vanished); `Err` records a file that could not be read.
pub fn check_each<L>(
    packs: &[RulePack],
    count: usize,
    load: L,
    workspace: &dyn Workspace,
    opts: &EngineOptions,
) -> Report
where
    L: Fn(usize) -> Result<Option<SourceFile>, FileError> + Sync,
{
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(count.max(1));
    let next = AtomicUsize::new(0);
    if let Some(p) = &opts.progress {
        p.total.store(count, Ordering::Relaxed);
    }
    let results: Vec<Mutex<Option<Result<Checked, FileError>>>> =
        (0..count).map(|_| Mutex::new(None)).collect();
    // diagnostics kept so far, and the worst and number of those dropped past the cap
    let kept = AtomicUsize::new(0);
    let dropped = AtomicUsize::new(0);
    let worst_dropped = Mutex::new(None::<Severity>);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            let r = match load(i) {
                Ok(Some(file)) => {
                    let (file, mut diags) = check_file(packs, &file, workspace, opts);
                    let before = kept.fetch_add(diags.len(), Ordering::Relaxed);
                    let room = MAX_DIAGNOSTICS.saturating_sub(before);
                    if diags.len() > room {
                        let rest = diags.split_off(room);
                        dropped.fetch_add(rest.len(), Ordering::Relaxed);
                        let worst = rest.iter().map(|d| d.severity).max();
                        let mut w = worst_dropped.lock().unwrap_or_else(|e| e.into_inner());
                        *w = (*w).max(worst);
                    }
                    Some(Ok((file, diags)))
                }
                Ok(None) => None,
                Err(e) => Some(Err(e)),
            };
            *results[i].lock().unwrap_or_else(|e| e.into_inner()) = r;
            if let Some(p) = &opts.progress {
                p.done.fetch_add(1, Ordering::Relaxed);
            }
        }
    };
    if threads <= 1 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(work);
            }
        });
    }
    let mut report = Report::default();
    for r in results {
        match r.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(Ok((file, diags))) => {
                report.files.push(file);
                report.diagnostics.extend(diags);
            }
            Some(Err(e)) => report.errors.push(e),
            None => {}
        }
    }
    let dropped = dropped.into_inner();
    if dropped > 0 {
        report.notes.push(format!(
            "{dropped} more findings were not kept: a report holds at most {MAX_DIAGNOSTICS}; check fewer files at a time to see them"
        ));
        report.dropped_worst = worst_dropped
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
    }
    report.sort();
    report
}

/// The packs that apply to a file: those whose globs match, or the first pack for a file
/// named explicitly.
pub fn packs_for<'p>(packs: &'p [RulePack], file: &SourceFile) -> Vec<&'p RulePack> {
    let path = source::match_path_of(&file.path, file.origin);
    let matching: Vec<&RulePack> = packs.iter().filter(|p| p.applies_to(&path)).collect();
    if matching.is_empty() && file.explicit {
        packs.first().into_iter().collect()
    } else {
        matching
    }
}

/// Parse one file, run every applicable rule on it, then apply its suppression comments.
pub fn check_file(
    packs: &[RulePack],
    file: &SourceFile,
    workspace: &dyn Workspace,
    opts: &EngineOptions,
) -> (FileReport, Vec<Diagnostic>) {
    let applicable = packs_for(packs, file);
    let mut report = FileReport {
        path: file.path.clone(),
        checked: !applicable.is_empty(),
        packs: applicable.iter().map(|p| p.id.clone()).collect(),
        checklist: Vec::new(),
        rules_run: Vec::new(),
        text: None,
    };
    if applicable.is_empty() {
        return (report, Vec::new());
    }
    let doc = Document::parse(file.path.clone(), file.text.clone());
    let language = opts.language.resolve(&doc);
    let shown = source::match_path_of(&file.path, file.origin);
    // Findings become diagnostics only after every rule ran, so that a secret one rule
    // found is masked in the excerpts of all the others too.
    let mut found: Vec<Found> = Vec::new();
    // per pack, per rule: whether it applied, and its findings that fail its checklist item
    let mut outcomes: Vec<Vec<RuleOutcome>> = Vec::with_capacity(applicable.len());
    let mut findings = Vec::new();
    // per pack, per checklist item: what its sections allow it to claim
    let mut gates: Vec<Vec<Gate>> = Vec::with_capacity(applicable.len());
    for (pack_index, pack) in applicable.iter().enumerate() {
        let template = pack.template_for(&shown);
        let outline = Outline::new(&doc, &template);
        let ctx = Context {
            outline: &outline,
            template: &template,
            workspace,
            language: language.as_deref(),
        };
        gates.push(section_gates(pack, &doc, &outline, &template));
        let mut pack_outcomes = Vec::with_capacity(pack.rules.len());
        for (rule_index, rule) in pack.rules.iter().enumerate() {
            findings.clear();
            let applied = rule.check.run(&doc, &ctx, &mut findings);
            cap_findings(&mut findings, MAX_FINDINGS_PER_RULE);
            pack_outcomes.push(RuleOutcome {
                applied,
                failing: 0,
            });
            if applied {
                report.rules_run.push(rule.code.clone());
            }
            let by = RuleRef {
                pack: pack_index,
                rule: rule_index,
            };
            found.extend(findings.drain(..).map(|finding| Found { by, finding }));
        }
        outcomes.push(pack_outcomes);
    }
    let merged = merge_gaps(&applicable, &mut found);
    let masks: Vec<Range<usize>> = found
        .iter()
        .flat_map(|f| f.finding.redact.iter().cloned())
        .collect();
    let mut diagnostics = Vec::with_capacity(found.len());
    let mut origin: Vec<RuleRef> = Vec::with_capacity(found.len());
    for Found { by, finding } in found {
        diagnostics.push(diagnose_masked(&doc, by.of(&applicable), finding, &masks));
        origin.push(by);
    }

    let known: Vec<(&str, &str)> = applicable
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| (r.code.as_str(), r.name.as_str())))
        .collect();
    let outcome = suppress::apply(&doc, &diagnostics, &known, &opts.suppression);
    let mut kept = Vec::with_capacity(diagnostics.len());
    for ((d, keep), by) in diagnostics.into_iter().zip(outcome.keep).zip(origin) {
        if keep {
            if d.severity >= Severity::Warning {
                outcomes[by.pack][by.rule].failing += 1;
            }
            kept.push(d);
        }
    }
    // a finding merged into another still fails its checklist item
    for by in merged {
        if by.of(&applicable).severity >= Severity::Warning {
            outcomes[by.pack][by.rule].failing += 1;
        }
    }
    for (rule, severity, f) in outcome.findings {
        kept.push(diagnose_parts(
            &doc, rule.code, rule.name, severity, None, f, &masks,
        ));
    }
    for ((pack, pack_outcomes), pack_gates) in applicable.iter().zip(&outcomes).zip(&gates) {
        report
            .checklist
            .extend(scorecard(pack, pack_outcomes, pack_gates));
    }
    if opts.keep_text {
        report.text = Some(doc.text);
    }
    (report, kept)
}

/// Which rule of the applicable packs: indices into the packs and the pack's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RuleRef {
    pack: usize,
    rule: usize,
}

impl RuleRef {
    fn of<'p>(self, packs: &[&'p RulePack]) -> &'p pack::Rule {
        &packs[self.pack].rules[self.rule]
    }
}

/// A finding and the rule that produced it.
#[derive(Debug)]
struct Found {
    by: RuleRef,
    finding: Finding,
}

/// What one rule did in one file, for the scorecard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct RuleOutcome {
    /// It ran on something (its section or blocks were there).
    applied: bool,
    /// Its findings at warning or above that were not suppressed (merged ones included).
    failing: usize,
}

/// Kinds whose findings are about a section's content (as opposed to its presence).
const CONTENT_KINDS: &[&str] = &[
    "topics",
    "performance-targets",
    "sql-schema",
    "api-endpoints",
    "decisions",
    "service-auth",
    "env-vars",
];

/// One gap, one finding. Content findings at the heading of a section that is reported
/// empty say nothing the empty-section finding does not; a missing-subsection finding and a
/// content finding about the same subsection (`covers`) are one gap: the content finding,
/// the more specific, stays, and takes the other's skeleton fix and help. Returns the rules
/// of the findings dropped, which still count on the scorecard.
fn merge_gaps(packs: &[&RulePack], found: &mut Vec<Found>) -> Vec<RuleRef> {
    let kind = |by: RuleRef| by.of(packs).kind.as_str();
    let empty: Vec<(usize, Range<usize>)> = found
        .iter()
        .filter(|f| kind(f.by) == "empty-sections")
        .map(|f| (f.by.pack, f.finding.span.clone()))
        .collect();
    let mut dropped = vec![false; found.len()];
    for (i, f) in found.iter().enumerate() {
        let start = f.finding.span.start;
        if CONTENT_KINDS.contains(&kind(f.by))
            && empty
                .iter()
                .any(|(p, s)| *p == f.by.pack && s.start <= start && start < s.end)
        {
            dropped[i] = true;
        }
    }
    for i in 0..found.len() {
        let by = found[i].by;
        if dropped[i] || kind(by) != "sections" {
            continue;
        }
        let Some(id) = found[i].finding.covers.clone() else {
            continue;
        };
        let content = (0..found.len()).find(|&j| {
            !dropped[j]
                && found[j].by.pack == by.pack
                && CONTENT_KINDS.contains(&kind(found[j].by))
                && found[j].finding.covers.as_deref() == Some(id.as_str())
        });
        if let Some(j) = content {
            dropped[i] = true;
            let missing = found[i].finding.clone();
            let keep = &mut found[j].finding;
            if keep.fix.is_none() {
                keep.fix = missing.fix;
            }
            keep.help = match (keep.help.take(), missing.help) {
                (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                (a, b) => a.or(b),
            };
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    found.retain(|f| {
        let drop = dropped[i];
        i += 1;
        if drop {
            out.push(f.by);
        }
        !drop
    });
    out
}

/// Keep the first `max` findings (in document order) and sum up the rest in one finding at
/// the first one left out.
fn cap_findings(findings: &mut Vec<Finding>, max: usize) {
    if findings.len() <= max {
        return;
    }
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    let rest = findings.split_off(max);
    let first = &rest[0];
    let mut more = Finding::new(
        first.span.clone(),
        format!(
            "…and {} more findings of this rule in this file (the first {max} are shown)",
            rest.len()
        ),
    )
    .with_help("the same problem recurs throughout the document: fix the ones shown and run again");
    more.document_level = true;
    // what the rest would have masked is still masked
    more.redact = rest.iter().flat_map(|f| f.redact.iter().cloned()).collect();
    findings.push(more);
}

/// What a checklist item's template sections let it claim.
enum Gate {
    /// Its sections are there and hold content (or it names none).
    Open,
    /// A section is missing or empty: the item fails, whatever its rules say.
    Fail(Vec<String>),
    /// A section could not be told apart: the item cannot pass.
    Unknown(Vec<String>),
}

fn section_gates(
    pack: &RulePack,
    doc: &Document,
    outline: &Outline,
    template: &outline::Template,
) -> Vec<Gate> {
    pack.checklist
        .iter()
        .map(|item| {
            let mut failed = Vec::new();
            let mut unknown = Vec::new();
            for id in &item.sections {
                let Some(i) = template.index_of(id) else {
                    continue; // not expected in this file
                };
                let name = template.sections[i].label();
                if outline.unrecognised() {
                    unknown.push(format!(
                        "the document's outline was not recognised, so `{name}` could not be found"
                    ));
                } else if let Some(m) = outline.sections[i] {
                    if check::says_nothing(doc, m.section) {
                        failed.push(format!("section `{name}` is empty"));
                    }
                } else if outline.probable[i].is_some() || outline.pointed[i].is_some() {
                    unknown.push(format!(
                        "section `{name}` was not recognised with certainty"
                    ));
                } else if template.present_without_heading(i, doc) {
                    // its content is there without a heading of its own
                } else {
                    failed.push(format!("missing section `{name}`"));
                }
            }
            if !failed.is_empty() {
                Gate::Fail(failed)
            } else if !unknown.is_empty() {
                Gate::Unknown(unknown)
            } else {
                Gate::Open
            }
        })
        .collect()
}

/// The pack's checklist items for one file. An item passes only when its sections are there
/// (`gates`) and its rules ran clean; it fails when a rule has failing findings or a section
/// is missing or empty; it is unknown when a section could not be told apart or none of its
/// rules could run; it is not applicable when it names no section and no rule applied.
/// `outcomes` is per rule of the pack, in order; `gates` per checklist item.
fn scorecard(pack: &RulePack, outcomes: &[RuleOutcome], gates: &[Gate]) -> Vec<ChecklistStatus> {
    pack.checklist
        .iter()
        .zip(gates)
        .map(|(item, gate)| {
            let mine: Vec<(&pack::Rule, &RuleOutcome)> = pack
                .rules
                .iter()
                .zip(outcomes)
                .filter(|(r, _)| r.checklist.as_deref() == Some(item.id.as_str()))
                .collect();
            let names = |keep: fn(&RuleOutcome) -> bool| -> Vec<String> {
                mine.iter()
                    .filter(|(_, o)| keep(o))
                    .map(|(r, _)| r.name.clone())
                    .collect()
            };
            let failing = names(|o| o.failing > 0);
            let applied = names(|o| o.applied);
            let findings = mine.iter().map(|(_, o)| o.failing).sum();
            let (status, rules, reasons) = match gate {
                Gate::Fail(why) => (Status::Fail, failing, why.clone()),
                _ if !failing.is_empty() => (Status::Fail, failing, Vec::new()),
                Gate::Unknown(why) => (Status::Unknown, Vec::new(), why.clone()),
                Gate::Open if !applied.is_empty() => (Status::Pass, applied, Vec::new()),
                Gate::Open if !item.sections.is_empty() => (
                    Status::Unknown,
                    Vec::new(),
                    vec!["none of its rules could run on this document".to_string()],
                ),
                Gate::Open => (Status::NotApplicable, Vec::new(), Vec::new()),
            };
            ChecklistStatus {
                item: item.id.clone(),
                title: item.title.clone(),
                status,
                rules,
                findings,
                reasons,
            }
        })
        .collect()
}

/// Stamp a finding with its rule and resolve its positions.
pub fn diagnose(doc: &Document, rule: &pack::Rule, finding: Finding) -> Diagnostic {
    diagnose_masked(doc, rule, finding, &[])
}

/// [`diagnose`], masking `masks` (and the finding's own redactions) in every excerpt.
fn diagnose_masked(
    doc: &Document,
    rule: &pack::Rule,
    finding: Finding,
    masks: &[Range<usize>],
) -> Diagnostic {
    diagnose_parts(
        doc,
        &rule.code,
        &rule.name,
        rule.severity,
        rule.checklist.clone(),
        finding,
        masks,
    )
}

fn diagnose_parts(
    doc: &Document,
    code: &str,
    name: &str,
    severity: Severity,
    checklist: Option<String>,
    finding: Finding,
    masks: &[Range<usize>],
) -> Diagnostic {
    let own: Vec<Range<usize>>;
    let masks = if finding.redact.is_empty() {
        masks
    } else {
        own = masks.iter().chain(&finding.redact).cloned().collect();
        &own
    };
    let span = clamp(doc, finding.span.clone());
    let related = finding
        .related
        .iter()
        .map(|r| {
            let s = clamp(doc, r.span.clone());
            RelatedLocation {
                start: doc.position(s.start),
                end: doc.position(s.end),
                message: r.message.clone(),
                excerpt: excerpt(doc, s, masks),
            }
        })
        .collect();
    Diagnostic {
        code: code.to_string(),
        rule: name.to_string(),
        severity,
        checklist,
        path: doc.path.clone(),
        start: doc.position(span.start),
        end: doc.position(span.end),
        excerpt: excerpt(doc, span, masks),
        related,
        finding,
    }
}

/// A span inside the text, on char boundaries.
fn clamp(doc: &Document, span: Range<usize>) -> Range<usize> {
    let fix = |mut b: usize| {
        b = b.min(doc.text.len());
        while !doc.text.is_char_boundary(b) {
            b -= 1;
        }
        b
    };
    let start = fix(span.start);
    start..fix(span.end).max(start)
}

/// At most this many lines are shown under a finding.
const EXCERPT_LINES: usize = 6;

fn excerpt(doc: &Document, span: Range<usize>, masks: &[Range<usize>]) -> Excerpt {
    let first = doc.lines.line_of(span.start);
    let last = doc
        .lines
        .line_of(span.end.saturating_sub(1).max(span.start));
    let last = last.min(first + EXCERPT_LINES - 1);
    let start = doc
        .lines
        .line_start(first)
        .max(if first == 0 { doc.bom } else { 0 });
    let end = doc.lines.line_end(&doc.text, last);
    let text = mask(&doc.text[start..end], start, masks)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    // offsets shift where CRLF was folded to LF
    let shift = |b: usize| {
        let b = b.clamp(start, end);
        b - start - doc.text[start..b].matches("\r\n").count()
    };
    let rel = shift(span.start)..shift(span.end).max(shift(span.start));
    Excerpt {
        line: first + 1,
        text,
        span: rel,
    }
}

/// `text` (which starts at document byte `at`) with every masked range blanked out after
/// its first few characters. Each masked byte becomes one `*`, so offsets into the
/// excerpt stay valid; line breaks and spaces inside a range (a key block) are kept.
fn mask(text: &str, at: usize, masks: &[Range<usize>]) -> String {
    let end = at + text.len();
    let mut bytes: Option<Vec<u8>> = None;
    for m in masks.iter().filter(|m| m.start < end && at < m.end) {
        let keep = doc_keep_end(text, at, m);
        let buf = bytes.get_or_insert_with(|| text.as_bytes().to_vec());
        for b in keep.max(at)..m.end.min(end) {
            let c = &mut buf[b - at];
            if !c.is_ascii_whitespace() {
                *c = b'*';
            }
        }
    }
    match bytes {
        // only whole UTF-8 sequences of non-whitespace were replaced, by ASCII bytes
        Some(b) => String::from_utf8(b)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        None => text.to_string(),
    }
}

/// End of the visible prefix of masked range `m`, as a document byte.
fn doc_keep_end(text: &str, at: usize, m: &Range<usize>) -> usize {
    let mut b = m.start;
    let mut kept = 0;
    while kept < diagnostic::REDACT_KEEP && b < m.end {
        // the prefix may begin before the excerpt; step by characters where we can see them
        let step = if b >= at && b < at + text.len() {
            text[b - at..].chars().next().map_or(1, char::len_utf8)
        } else {
            1
        };
        b += step;
        kept += 1;
    }
    b
}
