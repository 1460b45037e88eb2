//! A `check` run end to end: which files, read from where, checked by which packs.

use std::path::{Path, PathBuf};

use crate::config::{ConfigError, FileFilter};
use crate::fix::{FixRun, FixSettings};
use crate::pack::{PackError, RulePack};
use crate::report::{FileError, Report};
use crate::source::fs::{self, FsWorkspace, ReadError};
use crate::source::git::{ChangedFile, GitError, GitRepo, Snapshot};
use crate::source::{Origin, SourceFile, Workspace};
use crate::{EngineOptions, Progress};

/// Why a run could not start (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Pack(#[from] PackError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Baseline(#[from] crate::baseline::BaselineError),
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error(
        "no docs/ directory under {root}; start a specification with `spec-check new`, run spec-check inside a repository with docs/, or name what to check: `spec-check check PATH`"
    )]
    NoDocs { root: String },
    #[error(
        "no specification to check under {root}: no file matches the packs' `files` globs ({globs}); start one with `spec-check new`, or name the file: `spec-check check PATH`"
    )]
    NothingToCheck { root: String, globs: String },
    #[error(transparent)]
    Fix(#[from] crate::fix::FixError),
    #[error(transparent)]
    New(#[from] crate::scaffold::NewError),
    #[error("cannot read directory {path}: {source}")]
    Walk {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read the current directory: {0}; run spec-check from a directory that exists")]
    CurrentDir(std::io::Error),
    #[error("cannot read standard input: {0}")]
    Stdin(std::io::Error),
    #[error(
        "cannot write {path}: {source}; nothing was written (check that its directory exists and is writable)"
    )]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Git(#[from] GitError),
    #[error("{0}")]
    Hook(#[from] crate::hook::HookError),
}

/// Where the text to check comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Mode {
    /// Files on disk.
    #[default]
    WorkTree,
    /// The staged blobs (pre-commit).
    Staged,
    /// Files changed between merge-base(REV, HEAD) and HEAD, read from HEAD (pull requests).
    Since(String),
}

/// What to check, resolved from the command line (and, later, configuration).
#[derive(Debug, Clone, Default)]
pub struct CheckSettings {
    pub mode: Mode,
    /// With `Mode::Since`: keep only findings on changed lines (and document-level ones).
    pub changed_lines_only: bool,
    /// Paths as typed; empty means "the repository".
    pub paths: Vec<PathBuf>,
    pub threads: usize,
    pub keep_text: bool,
    pub max_file_size: Option<u64>,
    /// `include` / `exclude` from the configuration.
    pub filter: FileFilter,
    /// How suppression comments are reported.
    pub suppression: crate::suppress::Options,
    /// How each document's language is chosen.
    pub language: crate::language::LanguageSetting,
    /// Progress counters for an indicator the binary draws.
    pub progress: Option<std::sync::Arc<Progress>>,
}

impl CheckSettings {
    fn engine(&self) -> EngineOptions {
        EngineOptions {
            threads: self.threads,
            keep_text: self.keep_text,
            suppression: self.suppression,
            progress: self.progress.clone(),
            language: self.language,
        }
    }
}

/// The packs every run uses unless configured otherwise.
pub fn default_packs() -> Result<Vec<RulePack>, PackError> {
    Ok(vec![RulePack::builtin("vibe-step-6")?])
}

/// A file to read from the work tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// Named on the command line (checked even if no pack's globs match).
    pub explicit: bool,
}

/// Which work-tree files to check: explicit files, walked directories, or the repository.
pub fn collect(
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
) -> Result<Vec<Candidate>, RunError> {
    let mut out = Vec::new();
    let filter = &settings.filter;
    let wanted = |p: &Path| {
        let m = crate::source::match_path_of(p, Origin::WorkTree);
        packs.iter().any(|pack| pack.applies_to(&m)) && filter.includes(p) && !filter.excludes(p)
    };
    if settings.paths.is_empty() {
        let root = fs::repo_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
        let files = fs::walk_markdown(&root).map_err(|e| RunError::Walk {
            path: crate::source::display_path(&root),
            source: e,
        })?;
        let files: Vec<PathBuf> = files.into_iter().map(|f| relative_to(&f, cwd)).collect();
        let in_docs = files
            .iter()
            .any(|f| f.components().any(|c| c.as_os_str() == "docs"));
        if !in_docs && !root.join("docs").is_dir() {
            return Err(RunError::NoDocs {
                root: crate::source::display_path(&relative_to(&root, cwd)),
            });
        }
        out.extend(
            files
                .into_iter()
                .filter(|f| wanted(f))
                .map(|path| Candidate {
                    path,
                    explicit: false,
                }),
        );
        if out.is_empty() {
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
    } else {
        for p in &settings.paths {
            if p.is_dir() {
                let files = fs::walk_markdown(p).map_err(|e| RunError::Walk {
                    path: crate::source::display_path(p),
                    source: e,
                })?;
                out.extend(
                    files
                        .into_iter()
                        .filter(|f| wanted(f))
                        .map(|path| Candidate {
                            path,
                            explicit: false,
                        }),
                );
            } else if !filter.excludes(p) {
                out.push(Candidate {
                    path: p.clone(),
                    explicit: true,
                });
            }
        }
        // directories named on the command line that hold no specification: say so rather
        // than pass with nothing checked (files excluded by the configuration are noted)
        if out.is_empty() && settings.paths.iter().all(|p| p.is_dir()) {
            return Err(RunError::NothingToCheck {
                root: settings
                    .paths
                    .iter()
                    .map(|p| crate::source::display_path(p))
                    .collect::<Vec<_>>()
                    .join(", "),
                globs: packs
                    .iter()
                    .flat_map(|p| p.file_patterns.first())
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

/// Check the work tree. Files are read by the workers, one at a time per thread.
pub fn check_work_tree(
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
) -> Result<Report, RunError> {
    let candidates = collect(settings, packs, cwd)?;
    let opts = settings.engine();
    let load = |i: usize| {
        let c = &candidates[i];
        match fs::read_text(&c.path, settings.max_file_size) {
            Ok(text) => Ok(Some(fs::source(c.path.clone(), text, c.explicit))),
            // listed by the walk, gone when read: deleted while we ran, not a broken spec
            Err(ReadError::NotFound { path }) if !c.explicit => Err(FileError {
                path: c.path.clone(),
                skipped: true,
                message: format!("{path}: deleted while spec-check was running; skipped"),
            }),
            Err(e) => Err(FileError {
                path: c.path.clone(),
                skipped: false,
                message: e.to_string(),
            }),
        }
    };
    let mut report = crate::check_each(packs, candidates.len(), load, &FsWorkspace, &opts);
    note_excluded(&mut report, settings, settings.paths.iter().cloned());
    Ok(report)
}

/// Check text read from standard input as if it were the file `path`.
pub fn check_stdin(
    settings: &CheckSettings,
    packs: &[RulePack],
    path: PathBuf,
    text: String,
) -> Report {
    let mut report = Report::default();
    if settings.filter.excludes(&path) {
        note_excluded(&mut report, settings, std::iter::once(path));
        return report;
    }
    let file = SourceFile {
        path,
        text,
        origin: Origin::Stdin,
        explicit: true,
    };
    crate::check(packs, vec![file], &FsWorkspace, &settings.engine())
}

/// Say which files named on the command line `exclude` skipped.
fn note_excluded(
    report: &mut Report,
    settings: &CheckSettings,
    named: impl Iterator<Item = PathBuf>,
) {
    for p in named {
        if !p.is_dir() && settings.filter.excludes(&p) {
            report.notes.push(format!(
                "{}: skipped, excluded by the configuration's `exclude`",
                crate::source::display_path(&p)
            ));
        }
    }
}

/// Check according to `settings.mode`.
pub fn check(settings: &CheckSettings, packs: &[RulePack], cwd: &Path) -> Result<Report, RunError> {
    match &settings.mode {
        Mode::WorkTree => check_work_tree(settings, packs, cwd),
        Mode::Staged => check_staged(settings, packs, cwd),
        Mode::Since(rev) => check_since(settings, packs, cwd, rev),
    }
}

/// The pre-commit view: staged blobs, with line numbers of the staged version. Cross-document
/// rules read the index too.
pub fn check_staged(
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
) -> Result<Report, RunError> {
    let repo = GitRepo::discover(cwd)?;
    let (snapshot, staged) = repo.staged()?;
    let paths = select_git_paths(
        settings,
        packs,
        &repo,
        cwd,
        staged.changed.iter().map(String::as_str),
    );
    let mut report = check_snapshot(settings, packs, &snapshot, &paths, Origin::Index);
    if settings.changed_lines_only {
        let files = staged_line_changes(&repo, &snapshot, &paths)?;
        keep_changed_lines(&mut report, &files);
    }
    note_submodules(&mut report, &staged.submodules);
    Ok(report)
}

/// The staged lines that differ from HEAD, per checked path (every line of a file HEAD does
/// not have, and every file on an unborn branch).
fn staged_line_changes(
    repo: &GitRepo,
    index: &Snapshot,
    paths: &[(String, bool)],
) -> Result<Vec<ChangedFile>, RunError> {
    let head = match repo.head_snapshot() {
        Ok(h) => Some(h),
        Err(GitError::NoHead) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(paths
        .iter()
        .filter_map(|(path, _)| {
            let new = index.read(path)?;
            let old = head.as_ref().and_then(|h| h.read(path));
            Some(ChangedFile {
                path: path.clone(),
                changed_lines: crate::source::git::changed_lines(
                    old.as_deref().unwrap_or_default(),
                    &new,
                ),
                added: old.is_none(),
                renamed_from: None,
            })
        })
        .collect())
}

/// The pull-request view: files changed since the merge base, read from HEAD.
pub fn check_since(
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
    rev: &str,
) -> Result<Report, RunError> {
    let repo = GitRepo::discover(cwd)?;
    let changes = repo.changes_since(rev)?;
    let paths = select_git_paths(
        settings,
        packs,
        &repo,
        cwd,
        changes.files.iter().map(|f| f.path.as_str()),
    );
    let mut report = check_snapshot(settings, packs, &changes.head, &paths, Origin::Commit);
    if settings.changed_lines_only {
        keep_changed_lines(&mut report, &changes.files);
    }
    note_submodules(&mut report, &changes.submodules);
    Ok(report)
}

/// Changed paths that a pack applies to, limited to the paths named on the command line.
fn select_git_paths<'a>(
    settings: &CheckSettings,
    packs: &[RulePack],
    repo: &GitRepo,
    cwd: &Path,
    changed: impl Iterator<Item = &'a str>,
) -> Vec<(String, bool)> {
    let root = repo.canonical_work_tree();
    // paths typed on the command line, as repo-relative prefixes
    let named: Vec<String> = settings
        .paths
        .iter()
        .map(|p| {
            let abs = cwd.join(p);
            let abs = abs.canonicalize().unwrap_or(abs);
            git_path(abs.strip_prefix(&root).unwrap_or(&abs))
        })
        .collect();
    changed
        .filter_map(|p| {
            let explicit = named.iter().any(|n| n == p);
            let under = named.is_empty()
                || named
                    .iter()
                    .any(|n| n.is_empty() || p.starts_with(&format!("{n}/")));
            let on_disk = root.join(p);
            if settings.filter.excludes(&on_disk) {
                return None;
            }
            let wanted = under
                && packs.iter().any(|pack| pack.applies_to(p))
                && settings.filter.includes(&on_disk);
            (explicit || wanted).then(|| (p.to_string(), explicit))
        })
        .collect()
}

fn check_snapshot(
    settings: &CheckSettings,
    packs: &[RulePack],
    snapshot: &Snapshot,
    paths: &[(String, bool)],
    origin: Origin,
) -> Report {
    let opts = settings.engine();
    let load = |i: usize| {
        let (path, explicit) = &paths[i];
        snapshot_source(settings, snapshot, path, *explicit, origin)
    };
    crate::check_each(
        packs,
        paths.len(),
        load,
        &SnapshotWorkspace(snapshot),
        &opts,
    )
}

/// Read one file of a git snapshot as a source (`None` when the snapshot lacks it).
fn snapshot_source(
    settings: &CheckSettings,
    snapshot: &Snapshot,
    path: &str,
    explicit: bool,
    origin: Origin,
) -> Result<Option<SourceFile>, FileError> {
    let Some(bytes) = snapshot.read(path) else {
        return Ok(None);
    };
    let error = |e: ReadError| FileError {
        path: PathBuf::from(path),
        message: e.to_string(),
        skipped: false,
    };
    if let Some(limit) = settings.max_file_size
        && bytes.len() as u64 > limit
    {
        let size = bytes.len() as u64;
        return Err(error(ReadError::TooLarge {
            path: path.to_string(),
            size,
            limit,
        }));
    }
    match fs::bytes_to_text(bytes, path) {
        Ok(text) => Ok(Some(SourceFile {
            path: PathBuf::from(path),
            text,
            origin,
            explicit,
        })),
        Err(e) => Err(error(e)),
    }
}

/// Fixes computed in memory (nothing written), with where their paths start from.
#[derive(Debug)]
pub struct Fixed {
    pub run: FixRun,
    /// Files that could not be read.
    pub errors: Vec<FileError>,
    /// The directory the changes' relative paths start from.
    pub base: PathBuf,
    /// The directory patch paths are relative to: the repository root, or the current
    /// directory outside a repository.
    pub root: PathBuf,
}

/// Fix the files `settings` selects, reading them (and the files cross-document rules read)
/// from where `settings.mode` says: the work tree, the index, or HEAD.
pub fn fix(
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
    fix_settings: &FixSettings,
) -> Result<Fixed, RunError> {
    let fix_settings = &FixSettings {
        suppression: settings.suppression,
        language: settings.language,
        ..*fix_settings
    };
    let cwd_abs = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    let snapshot_fix = |snapshot: &Snapshot, paths: &[(String, bool)], origin, root: PathBuf| {
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for (path, explicit) in paths {
            match snapshot_source(settings, snapshot, path, *explicit, origin) {
                Ok(Some(s)) => sources.push(s),
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
        let run =
            crate::fix::fix_files(packs, &sources, &SnapshotWorkspace(snapshot), fix_settings)?;
        Ok::<Fixed, RunError>(Fixed {
            run,
            errors,
            base: root.clone(),
            root,
        })
    };
    match &settings.mode {
        Mode::WorkTree => {
            let mut sources = Vec::new();
            let mut errors = Vec::new();
            for c in collect(settings, packs, cwd)? {
                match fs::read_text(&c.path, settings.max_file_size) {
                    Ok(text) => sources.push(fs::source(c.path, text, c.explicit)),
                    Err(e) => errors.push(FileError {
                        path: c.path,
                        skipped: false,
                        message: e.to_string(),
                    }),
                }
            }
            let run = crate::fix::fix_files(packs, &sources, &FsWorkspace, fix_settings)?;
            let root = fs::repo_root(cwd).unwrap_or_else(|| cwd_abs.clone());
            Ok(Fixed {
                run,
                errors,
                base: cwd_abs,
                root,
            })
        }
        Mode::Staged => {
            let repo = GitRepo::discover(cwd)?;
            let (snapshot, staged) = repo.staged()?;
            let paths = select_git_paths(
                settings,
                packs,
                &repo,
                cwd,
                staged.changed.iter().map(String::as_str),
            );
            let root = repo.canonical_work_tree();
            snapshot_fix(&snapshot, &paths, Origin::Index, root)
        }
        Mode::Since(rev) => {
            let repo = GitRepo::discover(cwd)?;
            let changes = repo.changes_since(rev)?;
            let paths = select_git_paths(
                settings,
                packs,
                &repo,
                cwd,
                changes.files.iter().map(|f| f.path.as_str()),
            );
            let root = repo.canonical_work_tree();
            snapshot_fix(&changes.head, &paths, Origin::Commit, root)
        }
    }
}

/// A fixed file `--fix` does not write, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotWritten {
    pub path: PathBuf,
    pub reason: String,
}

/// Take out of `changes` the files whose real path (symbolic links resolved) lies outside
/// the repository (outside the current directory when there is no repository), unless the
/// file was named on the command line (`named`, as typed): a link in docs/ must not let
/// `--fix` rewrite a file elsewhere on the machine. Paths are relative to `cwd`.
pub fn keep_inside_repository(
    changes: &mut Vec<crate::fix::FileChange>,
    named: &[PathBuf],
    cwd: &Path,
) -> Vec<NotWritten> {
    let cwd_abs = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    let root = fs::repo_root(cwd).unwrap_or_else(|| cwd_abs.clone());
    let lexical = |p: &Path| crate::source::normalize_path(&cwd_abs.join(p));
    let named: Vec<PathBuf> = named.iter().map(|p| lexical(p)).collect();
    let mut refused = Vec::new();
    changes.retain(|c| {
        let Ok(real) = cwd_abs.join(&c.path).canonicalize() else {
            return true; // writing reports what is wrong with it
        };
        if real.starts_with(&root) || named.contains(&lexical(&c.path)) {
            return true;
        }
        refused.push(NotWritten {
            path: c.path.clone(),
            reason: format!(
                "it is a link to {}, outside the repository; name the file on the command line to fix it there",
                real.display()
            ),
        });
        false
    });
    refused
}

/// Keep findings that touch a changed line, and document-level findings of changed files.
fn keep_changed_lines(report: &mut Report, files: &[ChangedFile]) {
    report.changed_lines_only = true;
    report.diagnostics.retain(|d| {
        let path = crate::source::display_path(&d.path);
        let Some(f) = files.iter().find(|f| f.path == path) else {
            return false;
        };
        let (start, end) = (d.start.line as u32, d.end.line.max(d.start.line) as u32);
        d.finding.document_level || f.touches_lines(start..=end)
    });
}

fn note_submodules(report: &mut Report, submodules: &[String]) {
    for s in submodules {
        report.notes.push(format!(
            "{s}: submodule, skipped (check it in its own repository)"
        ));
    }
}

/// A repository-relative path as git spells it (`""` for the root).
fn git_path(p: &Path) -> String {
    let s = crate::source::display_path(p);
    if s == "." { String::new() } else { s }
}

/// Cross-document rules read git objects through this.
struct SnapshotWorkspace<'a>(&'a Snapshot);

impl Workspace for SnapshotWorkspace<'_> {
    fn read(&self, path: &Path) -> Option<String> {
        String::from_utf8(self.0.read(&git_path(path))?).ok()
    }

    fn exists(&self, path: &Path) -> bool {
        self.0.exists(&git_path(path))
    }

    fn list_dir(&self, dir: &Path) -> Vec<String> {
        self.0.list_dir(&git_path(dir))
    }
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
