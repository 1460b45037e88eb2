//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`).
//!
//! GitHub keeps at most 10 error, 10 warning and 10 notice annotations per step (50 per
//! job) and drops the rest silently, so findings are printed most severe first, capped, and
//! the ones left out are listed in a collapsed log group followed by a notice that says how
//! many there are and where to see them all.
//!
//! Everything quoted from a document or a path is untrusted: the runner must never read it
//! as a command of its own. See `data`, `property` and `neutralize` for how that is ensured.

use std::fmt::Write;

use super::{RenderContext, plural, severity_rank};
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::Report;

/// Annotations GitHub keeps per step, for each of error, warning and notice.
pub const PER_STEP: usize = 10;

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let mut out = String::new();
    // files that could not be checked come first: they are errors of the run itself
    let mut budget = [PER_STEP; 3];
    let mut left_out: Vec<&Diagnostic> = Vec::new();
    let mut unreadable_left_out = 0;
    for e in &report.errors {
        if budget[0] > 0 {
            budget[0] -= 1;
            let _ = writeln!(
                out,
                "::error file={},title={}::{}",
                property(&ctx.paths.uri(&e.path)),
                property("spec-check: file not checked"),
                data(&e.message)
            );
        } else {
            unreadable_left_out += 1;
        }
    }
    let mut order: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    order.sort_by_key(|d| severity_rank(d.severity)); // stable: file order within a severity
    let total = order.len() + unreadable_left_out;
    let fits = |budget: &[usize; 3], d: &Diagnostic| budget[severity_rank(d.severity) as usize] > 0;
    // Reserve one notice for the closing "N more" notice when anything will be left out.
    let overflow = {
        let mut b = budget;
        let mut n = unreadable_left_out;
        for d in &order {
            let i = severity_rank(d.severity) as usize;
            if b[i] > 0 {
                b[i] -= 1;
            } else {
                n += 1;
            }
        }
        n > 0
    };
    if overflow {
        budget[2] = budget[2].saturating_sub(1);
    }
    for d in order {
        if fits(&budget, d) {
            budget[severity_rank(d.severity) as usize] -= 1;
            annotation(&mut out, d, ctx);
        } else {
            left_out.push(d);
        }
    }
    let s = report.summary();
    let counts = counts(s.errors, s.warnings, s.infos);
    if !left_out.is_empty() || unreadable_left_out > 0 {
        let more = left_out.len() + unreadable_left_out;
        let _ = writeln!(
            out,
            "::group::{}",
            data(&format!(
                "spec-check: {} not shown as annotations",
                plural(more, "more finding")
            ))
        );
        for d in &left_out {
            let _ = writeln!(
                out,
                "- {}",
                plain(&format!(
                    "{}:{}:{}: {} [{}] {}",
                    ctx.paths.uri(&d.path),
                    d.start.line,
                    d.start.column,
                    d.code,
                    d.severity,
                    d.message()
                ))
            );
        }
        if unreadable_left_out > 0 {
            let _ = writeln!(
                out,
                "- {}",
                plain(&format!(
                    "{} could not be checked (see the errors above)",
                    plural(unreadable_left_out, "more file")
                ))
            );
        }
        let _ = writeln!(out, "::endgroup::");
        let where_ = if ctx.job_summary {
            "the job summary lists them all"
        } else {
            "run spec-check locally, or use --format sarif or markdown, to see them all"
        };
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            property("spec-check: more findings"),
            data(&format!(
                "{} of {total} not shown as annotations (GitHub shows at most {PER_STEP} errors, {PER_STEP} warnings and {PER_STEP} notices per step); {where_}.",
                plural(more, "finding"),
            ))
        );
    }
    let _ = writeln!(
        out,
        "{}",
        plain(&format!(
            "spec-check: {counts} in {}.",
            plural(s.files, "file")
        ))
    );
    out
}

fn counts(errors: usize, warnings: usize, infos: usize) -> String {
    if errors + warnings + infos == 0 {
        return "no findings".to_string();
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if infos > 0 {
        parts.push(plural(infos, "info"));
    }
    parts.join(", ")
}

fn annotation(out: &mut String, d: &Diagnostic, ctx: &RenderContext<'_>) {
    let mut props = format!(
        "file={},line={}",
        property(&ctx.paths.uri(&d.path)),
        d.start.line
    );
    // A span that ends at the start of a line ends on the line before it.
    let end_line = if d.end.column == 1 && d.end.line > d.start.line {
        d.end.line - 1
    } else {
        d.end.line.max(d.start.line)
    };
    let _ = write!(props, ",endLine={end_line}");
    // GitHub uses columns only for annotations on one line.
    if end_line == d.start.line {
        let end_col = if d.end.line == d.start.line {
            d.end.column.max(d.start.column)
        } else {
            d.start.column
        };
        let _ = write!(props, ",col={},endColumn={end_col}", d.start.column);
    }
    let _ = write!(
        props,
        ",title={}",
        property(&format!("spec-check {} ({})", d.code, d.rule))
    );
    let mut message = d.message().to_string();
    if let Some(help) = d.help() {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let _ = writeln!(out, "::{} {props}::{}", command(d.severity), data(&message));
}

/// A command's message: GitHub's data escaping (`%`, CR, LF), so the message stays on the
/// command's line, then `neutralize`.
pub fn data(s: &str) -> String {
    neutralize(
        &s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

/// A command property value (`file=`, `title=`): data escaping plus `:` and `,`, which
/// would otherwise end the value or the property list.
pub fn property(s: &str) -> String {
    neutralize(
        &s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
            .replace(':', "%3A")
            .replace(',', "%2C"),
    )
}

/// A log line that is not a command: on one line, and neutralized. Callers start it with
/// text of their own, so it never begins with `::`.
fn plain(s: &str) -> String {
    neutralize(&s.replace(['\r', '\n'], " "))
}

/// Make sure untrusted text cannot be read as a workflow command anywhere in a line.
///
/// The runner (actions/runner, `ActionCommand.TryParseV2` then `TryParse`) recognises two
/// forms: `::name props::data` at the start of a line (after leading whitespace), and the
/// legacy `##[name props]data` *anywhere* in a line. Escaping CR/LF already keeps
/// document text off the start of a line; on top of that:
///
/// - `##[` becomes `##%5B`. The runner decodes only `%25`, `%0D` and `%0A` in data (and
///   `%3A`, `%2C` in properties), never `%5B`, so it cannot turn back into `[`. It is
///   plain ASCII on purpose: the runner searches with culture-sensitive `IndexOf`, which
///   under ICU skips zero-width characters, so a zero-width space would not break it.
/// - `::` gets a zero-width space between the colons. Inside a command's data it is
///   harmless anyway (the runner splits a command at its *first* `::`), so this is
///   belt-and-braces that keeps the annotation text visually unchanged.
pub fn neutralize(s: &str) -> String {
    let s = s.replace("##[", "##%5B");
    let mut out = String::with_capacity(s.len());
    let mut prev = '\0';
    for c in s.chars() {
        if prev == ':' && c == ':' {
            out.push('\u{200B}');
        }
        out.push(c);
        prev = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_newlines_and_percent() {
        assert_eq!(data("a%0A::error\r\nb"), "a%250A:\u{200B}:error%0D%0Ab");
    }

    #[test]
    fn property_escapes_separators() {
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
    }

    #[test]
    fn neutralize_breaks_legacy_commands_and_runs_of_colons() {
        assert_eq!(neutralize("x ##[warning]y"), "x ##%5Bwarning]y");
        assert_eq!(neutralize("###[a"), "###%5Ba");
        assert!(!neutralize(":::").contains("::"));
    }
}
