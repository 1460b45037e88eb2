//! `--format junit`: JUnit XML, the report format CI test widgets read (GitLab, Jenkins,
//! Azure DevOps, GitHub test-report actions).
//!
//! One `<testsuite>` per checked file, one `<testcase>` per rule that ran on it. A test case
//! fails when its rule has findings at or above `--fail-on` (the same findings that fail the
//! run); findings below it are kept in the test case's `<system-out>`. A file that could not
//! be checked is a suite with one test case in `<error>`.

use std::fmt::Write;

use super::{RenderContext, find_rule};
use crate::diagnostic::Diagnostic;
use crate::report::Report;

pub fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for file in report.files.iter().filter(|f| f.checked) {
        let path = ctx.paths.uri(&file.path);
        let mine: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.path == file.path)
            .collect();
        // rules that ran, plus any rule that reported without claiming to apply
        let mut codes: Vec<&str> = file.rules_run.iter().map(String::as_str).collect();
        for d in &mine {
            if !codes.contains(&d.code.as_str()) {
                codes.push(&d.code);
            }
        }
        let mut cases = String::new();
        let mut suite_failures = 0;
        for code in &codes {
            let found: Vec<&&Diagnostic> = mine.iter().filter(|d| d.code == *code).collect();
            let (failing, other): (Vec<&&Diagnostic>, Vec<&&Diagnostic>) =
                found.iter().partition(|d| ctx.fail_on.fails(d.severity));
            let name = match find_rule(ctx.packs, code) {
                Some((_, rule)) => format!("{code} {}", rule.name),
                None => (*code).to_string(),
            };
            let _ = write!(
                cases,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
                attr(&name),
                attr(&path),
                attr(&path)
            );
            if failing.is_empty() && other.is_empty() {
                cases.push_str("/>\n");
                continue;
            }
            cases.push_str(">\n");
            if let Some(first) = failing.first() {
                suite_failures += 1;
                let _ = writeln!(
                    cases,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    attr(&if failing.len() == 1 {
                        first.message().to_string()
                    } else {
                        format!("{} findings; first: {}", failing.len(), first.message())
                    }),
                    first.severity,
                    text(&listing(&path, &failing))
                );
            }
            if !other.is_empty() {
                let _ = writeln!(
                    cases,
                    "      <system-out>{}</system-out>",
                    text(&listing(&path, &other))
                );
            }
            cases.push_str("    </testcase>\n");
        }
        tests += codes.len();
        failures += suite_failures;
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{suite_failures}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n",
            attr(&path),
            codes.len()
        );
    }
    for e in &report.errors {
        let path = ctx.paths.uri(&e.path);
        tests += 1;
        errors += 1;
        let _ = write!(
            suites,
            "  <testsuite name=\"{p}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"read\" classname=\"{p}\" file=\"{p}\">\n      <error message=\"{m}\" type=\"unreadable\">{t}</error>\n    </testcase>\n  </testsuite>\n",
            p = attr(&path),
            m = attr(&e.message),
            t = text(&e.message)
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"spec-check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
}

/// The findings of one test case, one block each: where, what, and the help.
fn listing(path: &str, found: &[&&Diagnostic]) -> String {
    let mut s = String::new();
    for d in found {
        let _ = writeln!(
            s,
            "{path}:{}:{}: {} [{}] {}",
            d.start.line,
            d.start.column,
            d.code,
            d.severity,
            d.message()
        );
        if let Some(help) = d.help() {
            let _ = writeln!(s, "  help: {help}");
        }
    }
    s
}

/// Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates cannot occur in
/// a `str`, U+FFFE/U+FFFF) become U+FFFD.
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
        _ => c,
    }
}

/// Element text.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // a bare CR would be normalised to LF by every XML parser
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
}

/// Attribute values (double-quoted): also quotes, and whitespace that attribute-value
/// normalisation would otherwise flatten.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_characters_xml_cannot_hold() {
        assert_eq!(text("a<b>&c]]>"), "a&lt;b&gt;&amp;c]]&gt;");
        assert_eq!(attr("\"x'\n"), "&quot;x&apos;&#10;");
        assert_eq!(text("bell\u{7}"), "bell\u{fffd}");
    }
}
