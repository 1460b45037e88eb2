//! `prerequisites`: the documents a spec builds on exist beside it (e.g. `docs/01-…` to
//! `docs/05-…` for a Step-6 spec), matched tolerantly by name. Findings point at the
//! spec's first line: one finding that names every missing file and how to turn the check
//! off where a repository keeps no such documents.

use std::path::Path;

use serde::Deserialize;

use super::{Check, CompileError, Context, Finding, regex};
use crate::document::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    documents: Vec<DocParam>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DocParam {
    /// The canonical file name, e.g. `01-project-specification.md`.
    name: String,
    /// Regex over file names in the spec's directory (case-insensitive) that count as this document.
    pattern: String,
    /// What produces it, for the message ("Step 1: Project Specification").
    #[serde(default)]
    produced_by: Option<String>,
}

#[derive(Debug)]
struct Prerequisite {
    name: String,
    re: super::LazyRegex,
    produced_by: Option<String>,
}

#[derive(Debug)]
pub struct Prerequisites {
    documents: Vec<Prerequisite>,
}

impl Prerequisites {
    pub fn new(p: Params) -> Result<Self, CompileError> {
        let documents = p
            .documents
            .into_iter()
            .map(|d| {
                Ok(Prerequisite {
                    re: regex(&format!("(?i){}", d.pattern))?,
                    name: d.name,
                    produced_by: d.produced_by,
                })
            })
            .collect::<Result<_, CompileError>>()?;
        Ok(Prerequisites { documents })
    }
}

/// The directory a document lives in (`.` for a bare file name).
pub(super) fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

impl Check for Prerequisites {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let dir = dir_of(doc.path());
        let names = ctx.workspace.list_dir(dir);
        let dir_label = crate::source::display_path(dir);
        let shown = |name: &str| {
            if dir_label == "." {
                name.to_string()
            } else {
                format!("{dir_label}/{name}")
            }
        };
        let missing: Vec<&Prerequisite> = self
            .documents
            .iter()
            .filter(|d| !names.iter().any(|n| d.re.is_match(n)))
            .collect();
        let (message, help) = match missing.as_slice() {
            [] => return true,
            [d] => {
                let by = d
                    .produced_by
                    .as_deref()
                    .map(|b| format!(" ({b})"))
                    .unwrap_or_default();
                (
                    format!("prerequisite `{}`{by} is missing", shown(&d.name)),
                    format!("this spec builds on it: write `{}` first", shown(&d.name)),
                )
            }
            many => {
                let list = many
                    .iter()
                    .map(|d| format!("`{}`", d.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                let folder = if dir_label == "." {
                    ".".to_string()
                } else {
                    dir_label.clone()
                };
                let count = if many.len() == self.documents.len() {
                    format!("none of the {} prerequisite documents is in", many.len())
                } else {
                    format!(
                        "{} of the {} prerequisite documents are missing from",
                        many.len(),
                        self.documents.len()
                    )
                };
                (
                    format!("{count} `{folder}`: {list}"),
                    "this spec builds on them: write them first".to_string(),
                )
            }
        };
        out.push(
            Finding::new(doc.first_line(), message)
                .with_help(format!(
                    "{help}; a repository that keeps no such documents can turn the check off in `spec-check.toml` with `ignore = [\"PR\"]`"
                ))
                .document_level(),
        );
        true
    }
}
