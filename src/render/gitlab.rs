//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), the
//! JSON array of Code Climate issues GitLab shows in merge requests.
//!
//! Severity: error → `major`, warning → `minor`, info → `info` (GitLab's scale also has
//! `critical` and `blocker`, which a documentation finding never is). The fingerprint is
//! stable while the lines under the finding do not change (see `fingerprint.rs`), so GitLab
//! can tell new findings from old ones.

use serde::Serialize;

use super::{RenderContext, fingerprints};
use crate::diagnostic::Severity;
use crate::report::Report;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: &'a str,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let fingerprints = fingerprints(report);
    let issues: Vec<Issue<'_>> = report
        .diagnostics
        .iter()
        .zip(&fingerprints)
        .map(|(d, fp)| Issue {
            description: format!("{} ({} {})", d.message(), d.code, d.rule),
            check_name: &d.code,
            fingerprint: fp,
            severity: severity(d.severity),
            location: Location {
                path: ctx.paths.uri(&d.path),
                lines: Lines {
                    begin: d.start.line,
                },
            },
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_default();
    s.push('\n');
    s
}
