//! `--format concise`: one line per finding, `path:line:col: CODE [severity] message`.

use std::fmt::Write;

use crate::report::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let fixable = if d
            .fix()
            .is_some_and(|f| f.applicability == crate::diagnostic::Applicability::Safe)
        {
            " [*]"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {}{} [{}] {}",
            d.path_string(),
            d.start.line,
            d.start.column,
            d.code,
            fixable,
            d.severity,
            one_line(d.message())
        );
    }
    out
}

/// Messages quote document text; keep each finding on one line.
pub(crate) fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}
