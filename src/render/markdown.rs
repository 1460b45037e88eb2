//! `--format markdown`: a summary for people reading CI results, suitable for
//! `$GITHUB_STEP_SUMMARY` and pull-request comments: the totals, then per file its
//! quality-checklist scorecard and its findings.
//!
//! Text from documents is escaped so it renders as text: it cannot break a table, open HTML,
//! a link or an image, or mention anyone. The output is capped at `MAX_BYTES` (GitHub
//! rejects job summaries over 1 MiB, and a PR comment over 64 KiB), ending with an "…and N
//! more" line that says where the rest is.

use std::fmt::Write;

use super::{RenderContext, plural};
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::{Report, Status};

/// Stop adding findings past this size, leaving room for the closing lines.
pub const MAX_BYTES: usize = 60 * 1024;
/// Room kept for the closing lines once the cap is reached.
const TAIL: usize = 1024;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
        Severity::Info => "ℹ️ info",
    }
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Pass => "✅ pass",
        Status::Fail => "❌ fail",
        Status::Unknown => "❔ unknown",
        Status::NotApplicable => "➖ n/a",
    }
}

pub fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    render_capped(report, ctx, MAX_BYTES)
}

/// `render` with a given cap (tests use a small one).
pub fn render_capped(report: &Report, ctx: &RenderContext<'_>, cap: usize) -> String {
    let mut out = String::from("## spec-check\n\n");
    let s = report.summary();
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
    let counts = if parts.is_empty() {
        "No findings".to_string()
    } else {
        parts.join(", ")
    };
    let _ = write!(out, "**{counts}** in {}", plural(s.files, "checked file"));
    if s.unchecked > 0 {
        let _ = write!(
            out,
            " · **{} could not be checked** (the run fails)",
            plural(s.unchecked, "file")
        );
    }
    if s.fixable > 0 {
        let _ = write!(
            out,
            " · {} fixable with `spec-check check --fix`",
            s.fixable
        );
    }
    out.push_str(".\n");
    if !report.errors.is_empty() {
        let _ = writeln!(
            out,
            "\n**{} could not be checked:**\n",
            plural(report.errors.len(), "file")
        );
        for e in &report.errors {
            let _ = writeln!(
                out,
                "- {}: {}",
                escape(&ctx.paths.uri(&e.path)),
                escape(&e.message)
            );
        }
    }

    let mut shown = 0;
    let mut cut = false;
    for file in report.files.iter().filter(|f| f.checked) {
        let path = ctx.paths.uri(&file.path);
        let mine: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.path == file.path)
            .collect();
        let mut block = String::new();
        let _ = write!(block, "\n### {}\n\n", escape(&path));
        if !file.checklist.is_empty() {
            let pass = file
                .checklist
                .iter()
                .filter(|c| c.status == Status::Pass)
                .count();
            let applicable = file
                .checklist
                .iter()
                .filter(|c| c.status != Status::NotApplicable)
                .count();
            if report.changed_lines_only {
                let _ = writeln!(
                    block,
                    "Quality checklist of the whole file: **{pass}/{applicable}** applicable items pass. It counts findings on lines this change did not touch, which are not listed below.\n"
                );
                block.push_str(
                    "| Checklist item | Status | Findings (whole file) | Rules |\n|---|---|---:|---|\n",
                );
            } else {
                let _ = writeln!(
                    block,
                    "Quality checklist: **{pass}/{applicable}** applicable items pass.\n"
                );
                block.push_str(
                    "| Checklist item | Status | Findings | Rules |\n|---|---|---:|---|\n",
                );
            }
            for c in &file.checklist {
                let rules = if c.status == Status::Fail {
                    c.reasons
                        .iter()
                        .map(|r| escape(r))
                        .chain(c.rules.iter().map(|r| escape(r)))
                        .collect::<Vec<_>>()
                        .join(", ")
                } else if c.status == Status::Unknown {
                    c.reasons
                        .iter()
                        .map(|r| escape(r))
                        .collect::<Vec<_>>()
                        .join(", ")
                } else {
                    String::new()
                };
                let findings = if c.status == Status::NotApplicable {
                    String::new()
                } else {
                    c.findings.to_string()
                };
                let _ = writeln!(
                    block,
                    "| {} | {} | {findings} | {rules} |",
                    escape(&c.title),
                    status(c.status),
                );
            }
            block.push('\n');
        }
        if mine.is_empty() {
            block.push_str("No findings.\n");
        } else {
            let (e, w, i) = mine
                .iter()
                .fold((0, 0, 0), |(e, w, i), d| match d.severity {
                    Severity::Error => (e + 1, w, i),
                    Severity::Warning => (e, w + 1, i),
                    Severity::Info => (e, w, i + 1),
                });
            let counts: Vec<String> = [(e, "error"), (w, "warning"), (i, "info")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, word)| plural(n, word))
                .collect();
            let _ = writeln!(
                block,
                "**{}:** {}\n",
                plural(mine.len(), "finding"),
                counts.join(", ")
            );
            block.push_str("| Line | Severity | Rule | Message |\n|---:|---|---|---|\n");
        }
        if out.len() + block.len() + TAIL > cap {
            cut = true;
            break;
        }
        out.push_str(&block);
        for d in &mine {
            let mut message = inline(d.message());
            if let Some(help) = d.help() {
                let _ = write!(message, "<br>help: {}", inline(help));
            }
            let row = format!(
                "| {} | {} | {} {} | {message} |\n",
                d.start.line,
                severity(d.severity),
                escape(&d.code),
                escape(&d.rule)
            );
            if out.len() + row.len() + TAIL > cap {
                cut = true;
                break;
            }
            out.push_str(&row);
            shown += 1;
        }
        if cut {
            break;
        }
    }
    if cut {
        let more = report.diagnostics.len() - shown;
        let _ = writeln!(
            out,
            "\n…and {} (this summary is capped at {} KB): run `spec-check check` locally, or see the SARIF or JSON output, for the full list.",
            plural(more, "more finding"),
            cap / 1024
        );
    }
    out
}

/// A message: `escape`d, with its backtick-quoted parts (names, quoted document text)
/// shown as code. `<code>` rather than backticks, because a code span cannot hold a
/// backtick or a table pipe reliably; its content is escaped like the rest.
pub fn inline(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() % 2 == 0 {
        // unbalanced backticks: no code, just text
        return escape(s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(p))
            } else {
                escape(p)
            }
        })
        .collect()
}

/// Text from a document or a path, made inert for GitHub-flavoured markdown: no HTML,
/// entities, emphasis, code, links or images, no table-cell breaks, no line breaks, no
/// @-mentions (a zero-width space after `@`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200B}"),
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, inline};

    #[test]
    fn escape_makes_markup_inert() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(escape("![x](y)"), "\\!\\[x\\](y)");
        assert_eq!(escape("@octocat"), "@\u{200B}octocat");
        assert_eq!(escape("a\nb"), "a b");
    }

    #[test]
    fn quoted_parts_become_code() {
        assert_eq!(
            inline("missing `5. Database` here"),
            "missing <code>5. Database</code> here"
        );
        assert_eq!(inline("a `<b>|` c"), "a <code>&lt;b&gt;\\|</code> c");
        assert_eq!(inline("odd ` tick"), "odd \\` tick");
    }
}
