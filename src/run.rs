//! A `check` run end to end: which files, read from where, checked by which packs.

use std::path::{Path, PathBuf};

use crate::pack::{PackError, RulePack};
use crate::report::{FileError, Report};
use crate::source::SourceFile;
use crate::source::fs::{self, FsWorkspace, ReadError};
use crate::{EngineOptions, check};

/// Why a run could not start (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Pack(#[from] PackError),
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error(
        "no docs/ directory under {root}; run spec-check inside a repository with docs/, or name what to check: `spec-check check PATH`"
    )]
    NoDocs { root: String },
    #[error(
        "no specification to check under {root}: no file matches the packs' `files` globs ({globs}); name the file: `spec-check check PATH`"
    )]
    NothingToCheck { root: String, globs: String },
    #[error("cannot read directory {path}: {source}")]
    Walk {
        path: String,
        source: std::io::Error,
    },
}

/// What to check, resolved from the command line (and, later, configuration).
#[derive(Debug, Clone, Default)]
pub struct CheckSettings {
    /// Paths as typed; empty means "the repository".
    pub paths: Vec<PathBuf>,
    pub threads: usize,
    pub keep_text: bool,
    pub max_file_size: Option<u64>,
}

/// The packs every run uses unless configured otherwise.
pub fn default_packs() -> Result<Vec<RulePack>, PackError> {
    Ok(vec![RulePack::builtin("vibe-step-6")?])
}

/// Collect sources from the work tree: explicit files, walked directories, or the repository.
pub fn collect(
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
) -> Result<(Vec<SourceFile>, Vec<FileError>), RunError> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let read = |path: PathBuf,
                explicit: bool,
                sources: &mut Vec<SourceFile>,
                errors: &mut Vec<FileError>| {
        match fs::read_text(&path, settings.max_file_size) {
            Ok(text) => sources.push(fs::source(path, text, explicit)),
            Err(e) => errors.push(FileError {
                path,
                message: e.to_string(),
            }),
        }
    };
    let wanted = |p: &Path| {
        let m = crate::source::match_path(p);
        packs.iter().any(|pack| pack.applies_to(&m))
    };
    if settings.paths.is_empty() {
        let root = fs::repo_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
        let files = fs::walk_markdown(&root).map_err(|e| RunError::Walk {
            path: crate::source::display_path(&root),
            source: e,
        })?;
        let files: Vec<PathBuf> = files.into_iter().map(|f| relative_to(&f, cwd)).collect();
        let in_docs: Vec<&PathBuf> = files
            .iter()
            .filter(|f| f.components().any(|c| c.as_os_str() == "docs"))
            .collect();
        if in_docs.is_empty() && !root.join("docs").is_dir() {
            return Err(RunError::NoDocs {
                root: crate::source::display_path(&relative_to(&root, cwd)),
            });
        }
        let selected: Vec<PathBuf> = files.iter().filter(|f| wanted(f)).cloned().collect();
        if selected.is_empty() {
            return Err(RunError::NothingToCheck {
                root: crate::source::display_path(&relative_to(&root, cwd)),
                globs: packs
                    .iter()
                    .flat_map(|p| p.file_patterns.first())
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        for f in selected {
            read(f, false, &mut sources, &mut errors);
        }
    } else {
        for p in &settings.paths {
            if p.is_dir() {
                let files = fs::walk_markdown(p).map_err(|e| RunError::Walk {
                    path: crate::source::display_path(p),
                    source: e,
                })?;
                for f in files.into_iter().filter(|f| wanted(f)) {
                    read(f, false, &mut sources, &mut errors);
                }
            } else {
                read(p.clone(), true, &mut sources, &mut errors);
            }
        }
    }
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    sources.dedup_by(|a, b| a.path == b.path);
    Ok((sources, errors))
}

/// Check the work tree.
pub fn check_work_tree(
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
) -> Result<Report, RunError> {
    let (sources, errors) = collect(settings, packs, cwd)?;
    let opts = EngineOptions {
        threads: settings.threads,
        keep_text: settings.keep_text,
    };
    let mut report = check(packs, sources, &FsWorkspace, &opts);
    report.errors.extend(errors);
    report.sort();
    Ok(report)
}

/// `path` relative to `base` when it lies below it (else unchanged).
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
    match path.strip_prefix(&base) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => {
            // walk up: ../../docs/…
            let mut up = PathBuf::new();
            for anc in base.ancestors().skip(1) {
                up.push("..");
                if let Ok(rel) = path.strip_prefix(anc) {
                    return up.join(rel);
                }
            }
            path.to_path_buf()
        }
    }
}
