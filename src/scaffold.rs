//! Skeletons from a pack's template outline: the document `spec-check new` writes and the
//! section skeletons the missing-section fixes insert. Headings and guidance as HTML
//! comments only — never invented content — so the empty-section rule still asks the author
//! to write each part.

use std::path::{Path, PathBuf};

use crate::outline::{Template, TemplateSection, TemplateSubsection};
use crate::pack::RulePack;

/// What a comment says when the template gives no guidance.
const NO_GUIDANCE: &str = "Describe this part of the system.";

/// A top-level section with its essential subsections, as lines joined by `nl`, without a
/// trailing line break (`place` decides the spacing around it). `number` is written before
/// the title followed by `style` (`4.` / `4)`), and its subsections are numbered under it;
/// with no number, no heading of the block is numbered.
pub fn section_block(
    ts: &TemplateSection,
    level: u8,
    number: Option<&str>,
    style: &str,
    nl: &str,
) -> String {
    let level = level.clamp(1, 6);
    let hashes = "#".repeat(level as usize);
    // templates without numbers (ADRs) get unnumbered headings
    let number = number.filter(|n| !n.is_empty());
    let heading = match number {
        Some(n) => format!("{hashes} {n}{style} {}", ts.title),
        None => format!("{hashes} {}", ts.title),
    };
    let mut lines = vec![heading, String::new(), comment(ts.guidance.as_deref())];
    for sub in ts.subsections.iter().filter(|s| s.essential) {
        let last = sub.number.rsplit('.').next().unwrap_or(&sub.number);
        let sub_number = number
            .filter(|_| !last.is_empty())
            .map(|n| format!("{n}.{last}"));
        lines.push(String::new());
        lines.push(subsection_block(sub, level + 1, sub_number.as_deref(), nl));
    }
    lines.join(nl)
}

/// One subsection heading (numbered `number` if given) and its guidance comment, without a
/// trailing line break.
pub fn subsection_block(
    sub: &TemplateSubsection,
    level: u8,
    number: Option<&str>,
    nl: &str,
) -> String {
    let hashes = "#".repeat(level.clamp(1, 6) as usize);
    let heading = match number.filter(|n| !n.is_empty()) {
        Some(n) => format!("{hashes} {n} {}", sub.title),
        None => format!("{hashes} {}", sub.title),
    };
    format!("{heading}{nl}{nl}{}", comment(sub.guidance.as_deref()))
}

/// Guidance as an HTML comment; `--` may not appear inside one.
fn comment(guidance: Option<&str>) -> String {
    let text = guidance.unwrap_or(NO_GUIDANCE).trim().replace("--", "–");
    format!("<!-- {text} -->")
}

/// `block` ready to insert into `text` at byte `at`: separated from its neighbours by one
/// blank line, and ending the way the text ends (with a line break or without one), so an
/// insertion never changes whether the file ends with a newline.
pub fn place(text: &str, at: usize, block: &str, nl: &str) -> String {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or("").trim_start_matches('\u{feff}');
    let after = text.get(at..).unwrap_or("");
    let mut out = String::with_capacity(block.len() + 8);
    if before.is_empty() || before.ends_with("\n\n") || before.ends_with("\n\r\n") {
        // already at the start of a paragraph
    } else if before.ends_with('\n') {
        out.push_str(nl);
    } else {
        out.push_str(nl);
        out.push_str(nl);
    }
    out.push_str(block);
    if after.is_empty() {
        if text.is_empty() || text.ends_with('\n') {
            out.push_str(nl);
        }
    } else {
        out.push_str(nl);
        out.push_str(nl);
    }
    out
}

/// A whole specification skeleton: a title, then every template section with its
/// essential subsections, in template order.
pub fn document(template: &Template, title: &str) -> String {
    let nl = "\n";
    let mut out = format!(
        "# {title}{nl}{nl}<!-- Written by `spec-check new` from the template outline. Replace each comment with the section's content; `spec-check` reports the sections still empty. -->{nl}"
    );
    for ts in &template.sections {
        out.push_str(nl);
        out.push_str(&section_block(ts, 2, Some(&ts.number), ".", nl));
        out.push_str(nl);
    }
    out
}

/// Why `spec-check new` could not write its skeleton.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error(
        "{path} already exists; spec-check new never overwrites a file. Check it with `spec-check check {path}`, or name another path: `spec-check new PATH`"
    )]
    Exists { path: String },
    #[error("no configured pack has a template outline to write a skeleton from")]
    NoTemplate,
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// A new document written by [`new_document`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// Where it was written (as given, or the default path under the repository root).
    pub path: PathBuf,
    /// Sections of the outline it holds.
    pub sections: usize,
}

/// `spec-check new [PATH]`: write a skeleton at `path` (default:
/// docs/06-technical-specification.md under the repository root, or under `cwd` outside a
/// repository) from the outline of the pack the file belongs to, or of the first pack that
/// has an outline.
pub fn new_document(
    packs: &[RulePack],
    cwd: &Path,
    path: Option<&Path>,
) -> Result<NewDocument, NewError> {
    let root = crate::source::fs::repo_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
    let path = match path {
        Some(p) => p.to_path_buf(),
        None => root.join("docs").join("06-technical-specification.md"),
    };
    // the pack whose files the new file is (the step-6 pack for the default path)
    let absolute = cwd.join(&path);
    let rel = crate::source::display_path(absolute.strip_prefix(&root).unwrap_or(&path));
    let pack = packs
        .iter()
        .find(|p| p.applies_to(&rel) && !p.template.is_empty())
        .or_else(|| packs.iter().find(|p| !p.template.is_empty()))
        .ok_or(NewError::NoTemplate)?;
    let title = if pack.id == "vibe-step-6" {
        "Technical Specification"
    } else {
        pack.name.as_str()
    };
    write_new(&path, &document(&pack.template, title))?;
    Ok(NewDocument {
        path,
        sections: pack.template.sections.len(),
    })
}

/// Write `text` to a new file at `path`, creating its directory; never replaces a file.
pub fn write_new(path: &Path, text: &str) -> Result<(), NewError> {
    use std::io::Write;
    let shown = crate::source::display_path(path);
    let io = |source: std::io::Error| NewError::Io {
        path: shown.clone(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(NewError::Exists { path: shown });
        }
        Err(e) => return Err(io(e)),
    };
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(io)
}
