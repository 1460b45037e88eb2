//! The result of a run: diagnostics in a stable order, per-file checklist scorecards,
//! counts, and the exit status.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Applicability, Diagnostic, Severity};

/// The lowest severity that makes the run fail (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    #[default]
    Error,
    /// `warn` is accepted too, as eslint spells it.
    #[serde(alias = "warn")]
    #[value(alias = "warn")]
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn fails(self, s: Severity) -> bool {
        match self {
            FailOn::Error => s >= Severity::Error,
            FailOn::Warning => s >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    /// The item's section could not be told apart in the document (its structure was not
    /// recognised, or a heading only probably is the section): neither pass nor fail.
    Unknown,
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::NotApplicable => "n/a",
        }
    }
}

/// One quality-checklist item for one file.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistStatus {
    pub item: String,
    pub title: String,
    pub status: Status,
    /// The rules that decided it: those with findings when it fails, else those that ran.
    pub rules: Vec<String>,
    /// Findings (warning or error) under this item.
    pub findings: usize,
    /// Why the item failed or is unknown without a rule's finding: the template sections it
    /// needs that are missing, empty or not recognised (`missing section \`6. Security
    /// Specifications\``).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

/// What happened to one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub checked: bool,
    /// The pack(s) that checked it.
    pub packs: Vec<String>,
    pub checklist: Vec<ChecklistStatus>,
    /// Rules that ran on it (for JUnit and the like).
    pub rules_run: Vec<String>,
    /// The text as checked, kept when fixes or diffs are wanted.
    pub text: Option<String>,
}

/// A file that could not be checked.
#[derive(Debug, Clone)]
pub struct FileError {
    pub path: PathBuf,
    pub message: String,
    /// A file that vanished while the run listed it (deleted meanwhile): a warning, not a
    /// failure of the run. Every other file that could not be checked fails it (exit 2).
    pub skipped: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
    pub diagnostics: Vec<Diagnostic>,
    pub errors: Vec<FileError>,
    /// Things said on the side (submodules, excluded files named on the command line).
    pub notes: Vec<String>,
    /// The worst severity among diagnostics dropped past the report's cap
    /// ([`crate::MAX_DIAGNOSTICS`]): it still decides the exit status.
    pub dropped_worst: Option<Severity>,
    /// Only findings on changed lines are listed (`--changed-lines-only`); the checklist
    /// scorecards still cover whole files, and say so.
    pub changed_lines_only: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
    /// Fixable only with `--unsafe-fixes`.
    pub unsafe_fixable: usize,
    /// Files checked.
    pub files: usize,
    /// Files that could not be checked (too large, unreadable, not UTF-8): the run fails.
    pub unchecked: usize,
}

impl Report {
    /// Nothing checked, no finding and no error: a run that found no file of its business.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.errors.is_empty() && self.diagnostics.is_empty()
    }

    /// Sort diagnostics by path, position, code: the order every format prints.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            a.path
                .cmp(&b.path)
                .then(a.start.byte.cmp(&b.start.byte))
                .then(a.code.cmp(&b.code))
                .then(a.end.byte.cmp(&b.end.byte))
                .then_with(|| natural_cmp(&a.finding.message, &b.finding.message))
        });
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.errors.sort_by(|a, b| a.path.cmp(&b.path));
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.iter().filter(|f| f.checked).count(),
            unchecked: self.errors.iter().filter(|e| !e.skipped).count(),
            ..Summary::default()
        };
        for d in &self.diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
            match d.fix().map(|f| f.applicability) {
                Some(Applicability::Safe) => s.fixable += 1,
                Some(Applicability::Unsafe) => s.unsafe_fixable += 1,
                _ => {}
            }
        }
        s
    }

    /// 0: nothing at or above `fail_on`; 1: findings at or above it; 2: a file could not be checked.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        if self.errors.iter().any(|e| !e.skipped) {
            2
        } else if self
            .diagnostics
            .iter()
            .map(|d| d.severity)
            .chain(self.dropped_worst)
            .any(|s| fail_on.fails(s))
        {
            1
        } else {
            0
        }
    }
}

/// `a` and `b` compared with their runs of digits as numbers: `section \`2.` before
/// `section \`10.` (missing sections are reported in template order).
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let dx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let dy = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (nx, ny) = (&x[..dx], &y[..dy]);
                let strip = |n: &[u8]| -> usize { n.iter().take_while(|&&c| c == b'0').count() };
                let (tx, ty) = (&nx[strip(nx)..], &ny[strip(ny)..]);
                let ord = tx.len().cmp(&ty.len()).then(tx.cmp(ty)).then(dx.cmp(&dy));
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
                x = &x[dx..];
                y = &y[dy..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_in_messages_sort_by_value() {
        use std::cmp::Ordering::*;
        let cmp = super::natural_cmp;
        assert_eq!(
            cmp("missing section `2. A`", "missing section `10. B`"),
            Less
        );
        assert_eq!(
            cmp("missing section `13. A`", "missing section `9. B`"),
            Greater
        );
        assert_eq!(cmp("a1b", "a1b"), Equal);
        assert_eq!(cmp("abc", "abd"), Less);
    }
}
