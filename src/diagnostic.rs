//! What a check reports: `Finding`s (from checkers, which know nothing of rules) and
//! `Diagnostic`s (a finding stamped with its rule, severity, checklist item and file).

use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    #[serde(alias = "warn")]
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's configured level: a severity, or `off` to disable it (packs and configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    #[serde(alias = "warn")]
    Warning,
    Info,
    Off,
}

impl Level {
    /// The severity findings get, or `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Off => "off",
        }
    }
}

impl From<Severity> for Level {
    fn from(s: Severity) -> Level {
        match s {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Info,
        }
    }
}

/// Whether a fix may be applied without a human looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown only; never applied.
    DisplayOnly,
    /// Applied with `--unsafe-fixes`: changes meaning, anchors, or needs the author's follow-up.
    Unsafe,
    /// Applied with `--fix`: mechanical, meaning-preserving.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// Replace `range` (bytes of the original text) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, replacement: impl Into<String>) -> Self {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit::replace(at..at, text)
    }

    pub fn delete(range: Range<usize>) -> Self {
        Edit::replace(range, String::new())
    }
}

/// A remedy for a finding: data, applied by `crate::fix`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    /// Byte ranges of the file the edits apply to (see `path`), in the order given.
    pub edits: Vec<Edit>,
    /// The file the edits apply to when it is not the document itself (a status file
    /// beside `docs/`), as the checker read it through the `Workspace`.
    pub path: Option<PathBuf>,
    /// The edits insert section skeletons: what other rules then say about the new, empty
    /// sections (empty, no authentication method, no test layers) is the author's to-do
    /// list, so the fixer does not count it against the fix.
    pub skeleton: bool,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            applicability,
            edits,
            path: None,
            skeleton: false,
        }
    }

    /// Mark the fix as inserting section skeletons.
    pub fn skeleton(mut self) -> Self {
        self.skeleton = true;
        self
    }

    /// The edits apply to `path`, another file of the run, not to the document.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }
}

/// A secondary location that explains a finding ("first declared here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Range<usize>,
    pub message: String,
}

/// What a checker found, before it is tied to a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte range in the document text.
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    /// True for findings about the document as a whole (a missing section), which
    /// `--changed-lines-only` keeps whenever the file changed.
    pub document_level: bool,
    /// Byte ranges of the document that must never be shown (a leaked secret): every
    /// excerpt of the file masks them, whichever finding the excerpt belongs to.
    pub redact: Vec<Range<usize>>,
    /// The template section or subsection (`deployment.cicd`) whose content this finding is
    /// about: a missing-subsection finding and a content finding covering the same one are
    /// one gap, reported once (see `merge_gaps` in the engine).
    pub covers: Option<String>,
}

impl Finding {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Finding {
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fix: None,
            document_level: false,
            redact: Vec::new(),
            covers: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Say which template section's content the finding is about (`deployment.cicd`).
    pub fn covering(mut self, id: impl Into<String>) -> Self {
        self.covers = Some(id.into());
        self
    }

    /// [`Finding::covering`] when there is a section to name.
    pub fn covering_opt(mut self, id: Option<String>) -> Self {
        self.covers = id;
        self
    }

    pub fn document_level(mut self) -> Self {
        self.document_level = true;
        self
    }

    /// Mask `range` (document bytes) in every excerpt shown for this file. The first
    /// [`REDACT_KEEP`] characters stay visible so a reader can tell which value it was.
    pub fn with_redaction(mut self, range: Range<usize>) -> Self {
        self.redact.push(range);
        self
    }
}

/// Characters of a redacted value left visible (`sk_l…`).
pub const REDACT_KEEP: usize = 4;

/// `value` as messages may show it: its first [`REDACT_KEEP`] characters and `…`.
pub fn redacted(value: &str) -> String {
    let keep: String = value.chars().take(REDACT_KEEP).collect();
    format!("{keep}…")
}

/// A position in a file as people count: 1-based line and column (characters), 0-based byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub byte: usize,
}

/// A finding tied to its rule and file: what every renderer consumes.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: String,
    pub rule: String,
    pub severity: Severity,
    pub checklist: Option<String>,
    pub path: PathBuf,
    pub start: Position,
    pub end: Position,
    pub finding: Finding,
    /// The source lines under the finding, for renderers that show them.
    pub excerpt: Excerpt,
    /// Related locations, resolved.
    pub related: Vec<RelatedLocation>,
}

/// Whole source lines around a span, with the span relative to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// 1-based number of the first line.
    pub line: usize,
    pub text: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct RelatedLocation {
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub excerpt: Excerpt,
}

impl Diagnostic {
    pub fn message(&self) -> &str {
        &self.finding.message
    }

    pub fn help(&self) -> Option<&str> {
        self.finding.help.as_deref()
    }

    pub fn fix(&self) -> Option<&Fix> {
        self.finding.fix.as_ref()
    }

    /// Path with `/` separators, as every machine format wants it.
    pub fn path_string(&self) -> String {
        crate::source::display_path(&self.path)
    }
}
