//! `--format human`: rustc-style annotated snippets (annotate-snippets), a summary line and
//! the checklist scorecard.

use std::fmt::Write;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Patch, Renderer, Snippet};

use super::{FixedCounts, RenderContext, plural};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::report::{Report, Status};

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

pub fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let renderer = if ctx.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = findings(report, &renderer, ctx.unsafe_fixes);
    summary(report, ctx, &mut out);
    if ctx.scorecard {
        scorecard(report, ctx, &mut out);
    }
    out
}

/// `--quiet`: the findings alone, without summary or scorecard.
pub fn render_findings(report: &Report, ctx: &RenderContext<'_>) -> String {
    let renderer = if ctx.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    findings(report, &renderer, ctx.unsafe_fixes)
}

fn findings(report: &Report, renderer: &Renderer, unsafe_fixes: bool) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&renderer.render(&diagnostic(d, unsafe_fixes)));
        out.push('\n');
        out.push_str(&preview(d));
        out.push('\n');
    }
    out
}

fn diagnostic(d: &Diagnostic, unsafe_fixes: bool) -> Vec<Group<'_>> {
    let path = d.path_string();
    let fixable = match d.fix().map(|f| f.applicability) {
        Some(Applicability::Safe) => "[*] ",
        Some(Applicability::Unsafe) if unsafe_fixes => "[*] ",
        _ => "",
    };
    let title = format!("{fixable}{}", d.message());
    let mut snippet = Snippet::source(d.excerpt.text.as_str())
        .line_start(d.excerpt.line)
        .path(path.clone())
        .annotation(AnnotationKind::Primary.span(d.excerpt.span.clone()));
    // related locations on the same lines share the snippet; others get their own
    let mut others = Vec::new();
    for r in &d.related {
        if r.excerpt.line == d.excerpt.line && r.excerpt.text == d.excerpt.text {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(r.excerpt.span.clone())
                    .label(r.message.as_str()),
            );
        } else {
            others.push(r);
        }
    }
    let mut group = level(d.severity)
        .primary_title(title)
        .id(d.code.as_str())
        .element(snippet);
    for r in others {
        group = group.element(
            Snippet::source(r.excerpt.text.as_str())
                .line_start(r.excerpt.line)
                .path(path.clone())
                .annotation(
                    AnnotationKind::Context
                        .span(r.excerpt.span.clone())
                        .label(r.message.as_str()),
                ),
        );
    }
    if let Some(help) = d.help() {
        group = group.element(Level::HELP.message(help));
    }
    let mut groups = vec![group];
    if let Some(fix) = d.fix() {
        let start = d.start.byte - d.excerpt.span.start;
        let local = is_local(d);
        let how = match fix.applicability {
            Applicability::Safe => " (fix with --fix)",
            Applicability::Unsafe => " (fix with --fix --unsafe-fixes)",
            Applicability::DisplayOnly => "",
        };
        let title = format!("{}{how}", fix.title);
        if local && !fix.edits.is_empty() {
            let mut s = Snippet::source(d.excerpt.text.as_str())
                .line_start(d.excerpt.line)
                .path(path.clone());
            for e in &fix.edits {
                s = s.patch(Patch::new(
                    e.range.start - start..e.range.end - start,
                    e.replacement.as_str(),
                ));
            }
            groups.push(Level::HELP.secondary_title(title).element(s));
        } else {
            groups.push(Group::with_title(Level::HELP.secondary_title(title)));
        }
    }
    groups
}

/// At most this many lines of a fix's new text are shown.
const PREVIEW_LINES: usize = 8;

/// The text a fix writes, when annotate-snippets cannot show it in place (it spans lines,
/// or lands away from the finding, or in another file): its lines marked `+`.
fn preview(d: &Diagnostic) -> String {
    let Some(fix) = d.fix() else {
        return String::new();
    };
    if is_local(d) || fix.edits.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    if let Some(p) = &fix.path {
        let _ = writeln!(out, "   = in {}:", crate::source::display_path(p));
    }
    let lines: Vec<&str> = fix
        .edits
        .iter()
        .flat_map(|e| e.replacement.trim_matches(['\r', '\n']).lines())
        .collect();
    for l in lines.iter().take(PREVIEW_LINES) {
        let _ = writeln!(out, "   + {}", l.trim_end_matches('\r'));
    }
    if lines.len() > PREVIEW_LINES {
        let _ = writeln!(
            out,
            "   … {} more lines (see them all with --diff)",
            lines.len() - PREVIEW_LINES
        );
    }
    out
}

/// Whether annotate-snippets can show the fix as a patch of the finding's own lines.
fn is_local(d: &Diagnostic) -> bool {
    let Some(fix) = d.fix() else {
        return false;
    };
    let start = d.start.byte - d.excerpt.span.start;
    let end = start + d.excerpt.text.len();
    fix.path.is_none()
        && !d.excerpt.text.contains('\r')
        && fix
            .edits
            .iter()
            .all(|e| e.range.start >= start && e.range.end <= end && !e.replacement.contains('\n'))
}

fn summary(report: &Report, ctx: &RenderContext<'_>, out: &mut String) {
    let s = report.summary();
    let files = plural(s.files, "file");
    let unchecked = match s.unchecked {
        0 => String::new(),
        n => format!(
            "; {} could not be checked (see the errors above)",
            plural(n, "file")
        ),
    };
    if s.errors + s.warnings + s.infos == 0 {
        if s.files == 0 && s.unchecked > 0 {
            let _ = writeln!(
                out,
                "Nothing checked: {} could not be checked (see the errors above).",
                plural(s.unchecked, "file")
            );
        } else {
            let _ = writeln!(out, "No findings in {files}{unchecked}.");
        }
    } else {
        let mut parts = Vec::new();
        if s.errors > 0 {
            parts.push(plural(s.errors, "error"));
        }
        if s.warnings > 0 {
            parts.push(plural(s.warnings, "warning"));
        }
        if s.infos > 0 {
            parts.push(plural(s.infos, "info"));
        }
        let _ = writeln!(out, "{} in {files}{unchecked}.", parts.join(", "));
    }
    if let Some(fixed) = ctx.fixed {
        let _ = writeln!(
            out,
            "{}",
            fixed_line(fixed, s.errors + s.warnings + s.infos)
        );
    }
    if ctx.unsafe_fixes && s.fixable + s.unsafe_fixable > 0 {
        let _ = writeln!(
            out,
            "{} fixable with --fix --unsafe-fixes.",
            s.fixable + s.unsafe_fixable
        );
    } else if s.fixable > 0 {
        let more = if s.unsafe_fixable > 0 {
            format!(" ({} more with --unsafe-fixes)", s.unsafe_fixable)
        } else {
            String::new()
        };
        let _ = writeln!(out, "{} fixable with --fix{more}.", s.fixable);
    } else if s.unsafe_fixable > 0 {
        let _ = writeln!(
            out,
            "{} fixable with --fix --unsafe-fixes.",
            s.unsafe_fixable
        );
    }
}

/// "Fixed 3 findings (5 remaining, 2 of them new: …)": what `--fix` changed, including the
/// findings the fixes brought (an inserted skeleton is empty until the author fills it in).
pub fn fixed_line(counts: FixedCounts, remaining: usize) -> String {
    let new = match counts.added {
        0 => String::new(),
        n => format!(
            ", {n} of them new: the fixes inserted text that is still to be written, such as empty section skeletons"
        ),
    };
    format!(
        "Fixed {} ({remaining} remaining{new}).",
        plural(counts.fixed, "finding")
    )
}

fn scorecard(report: &Report, ctx: &RenderContext<'_>, out: &mut String) {
    let paint = |status: Status, text: &str| -> String {
        if !ctx.color {
            return text.to_string();
        }
        let code = match status {
            Status::Pass => "32",
            Status::Fail => "31",
            Status::Unknown => "33",
            Status::NotApplicable => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    };
    for f in report
        .files
        .iter()
        .filter(|f| f.checked && !f.checklist.is_empty())
    {
        let passed = f
            .checklist
            .iter()
            .filter(|c| c.status == Status::Pass)
            .count();
        let total = f
            .checklist
            .iter()
            .filter(|c| c.status != Status::NotApplicable)
            .count();
        let scope = if report.changed_lines_only {
            ", whole file: it counts findings on unchanged lines, which are not listed"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "\nQuality checklist for {} ({passed}/{total} pass{scope}):",
            crate::source::display_path(&f.path)
        );
        for c in &f.checklist {
            let (mark, detail) = match c.status {
                Status::Pass => ("✔", String::new()),
                Status::Fail if c.rules.is_empty() => ("✘", format!(" ({})", c.reasons.join("; "))),
                Status::Fail if !c.reasons.is_empty() => (
                    "✘",
                    format!(
                        " ({}; {}: {})",
                        c.reasons.join("; "),
                        plural(c.findings, "finding"),
                        c.rules.join(", ")
                    ),
                ),
                Status::Fail => (
                    "✘",
                    format!(
                        " ({}: {})",
                        plural(c.findings, "finding"),
                        c.rules.join(", ")
                    ),
                ),
                Status::Unknown => ("?", format!(" (unknown: {})", c.reasons.join("; "))),
                Status::NotApplicable => ("–", " (not applicable)".to_string()),
            };
            let _ = writeln!(out, "  {} {}{detail}", paint(c.status, mark), c.title);
        }
    }
}

/// `--checklist`: the scorecard alone.
pub fn scorecard_only(report: &Report, ctx: &RenderContext<'_>) -> String {
    let mut out = String::new();
    scorecard(report, ctx, &mut out);
    out.trim_start().to_string()
}
