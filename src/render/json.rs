//! `--format json`: the versioned machine contract documented in the README.
//! Version 1. Adding fields is compatible; renaming or removing one bumps the version.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Position};
use crate::report::{ChecklistStatus, Report, Summary};

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    files: Vec<File<'a>>,
    diagnostics: Vec<Diag<'a>>,
    checklist: Vec<FileChecklist<'a>>,
    errors: Vec<Error<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct File<'a> {
    path: String,
    checked: bool,
    packs: &'a [String],
}

#[derive(Serialize)]
struct FileChecklist<'a> {
    path: String,
    #[serde(flatten)]
    item: &'a ChecklistStatus,
}

#[derive(Serialize)]
struct Error<'a> {
    path: String,
    message: &'a str,
    /// Skipped (e.g. over max-file-size) rather than failed.
    skipped: bool,
}

#[derive(Serialize)]
struct Diag<'a> {
    code: &'a str,
    rule: &'a str,
    severity: &'a str,
    checklist: Option<&'a str>,
    path: String,
    start: Position,
    end: Position,
    message: &'a str,
    help: Option<&'a str>,
    related: Vec<Related<'a>>,
    fix: Option<Fix<'a>>,
}

#[derive(Serialize)]
struct Related<'a> {
    start: Position,
    end: Position,
    message: &'a str,
}

#[derive(Serialize)]
struct Fix<'a> {
    applicability: &'a str,
    title: &'a str,
    /// Set when the edits apply to another file than the diagnostic's (`.vibe-status.md`).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    edits: Vec<Edit<'a>>,
}

#[derive(Serialize)]
struct Edit<'a> {
    start_byte: usize,
    end_byte: usize,
    replacement: &'a str,
}

fn diag(d: &Diagnostic) -> Diag<'_> {
    Diag {
        code: &d.code,
        rule: &d.rule,
        severity: d.severity.as_str(),
        checklist: d.checklist.as_deref(),
        path: d.path_string(),
        start: d.start,
        end: d.end,
        message: d.message(),
        help: d.help(),
        related: d
            .related
            .iter()
            .map(|r| Related {
                start: r.start,
                end: r.end,
                message: &r.message,
            })
            .collect(),
        fix: d.fix().map(|f| Fix {
            applicability: f.applicability.as_str(),
            title: &f.title,
            path: f.path.as_deref().map(crate::source::display_path),
            edits: f
                .edits
                .iter()
                .map(|e| Edit {
                    start_byte: e.range.start,
                    end_byte: e.range.end,
                    replacement: &e.replacement,
                })
                .collect(),
        }),
    }
}

pub fn render(report: &Report) -> String {
    let out = Output {
        version: VERSION,
        tool: Tool {
            name: "spec-check",
            version: env!("CARGO_PKG_VERSION"),
        },
        files: report
            .files
            .iter()
            .map(|f| File {
                path: crate::source::display_path(&f.path),
                checked: f.checked,
                packs: &f.packs,
            })
            .collect(),
        diagnostics: report.diagnostics.iter().map(diag).collect(),
        checklist: report
            .files
            .iter()
            .flat_map(|f| {
                f.checklist.iter().map(|item| FileChecklist {
                    path: crate::source::display_path(&f.path),
                    item,
                })
            })
            .collect(),
        errors: report
            .errors
            .iter()
            .map(|e| Error {
                path: crate::source::display_path(&e.path),
                message: &e.message,
                skipped: e.skipped,
            })
            .collect(),
        summary: report.summary(),
    };
    let mut s =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
