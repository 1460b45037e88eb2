//! A `check` run end to end: which files, read from where, checked by which packs.

use std::path::{Path, PathBuf};

use crate::config::ConfigError;
use crate::diagnostic::Applicability;
use crate::fix::{FixRun, FixSettings};
use crate::pack::{PackError, RulePack};
use crate::render::plural;
use crate::report::{FileError, Report};
use crate::source::fs::{self, FsWorkspace, ReadError};
use crate::source::git::{ChangedFile, GitError, GitRepo, Snapshot};
use crate::source::{FileFilter, Origin, SourceFile, Workspace};
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
    #[error("{path} already exists; edit it, or remove it to start over (init never overwrites)")]
    ConfigExists { path: String },
    #[error(
        "--fix writes files in the work tree, but {what}, and the staged or committed text can differ from the working file; use `spec-check check {flag} --diff` to see the fixes as a patch (apply it with `git apply --cached` for the index, or `git apply` for the work tree)"
    )]
    FixNotInWorkTree { what: &'static str, flag: String },
    #[error(
        "`spec-check suppress` edits files in the work tree; it cannot take --staged, --base or --stdin"
    )]
    SuppressNotInWorkTree,
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
    /// Hide the findings this baseline file records (`check --baseline`, `baseline = …`).
    pub baseline: Option<PathBuf>,
    /// Offer as fixable only the fixes `--fix` would apply: a trial run in memory (see
    /// `offer_only_fixes_that_apply`). Work tree and git runs; not standard input.
    pub verify_fixes: bool,
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
    cwd: &Path,
) -> Result<Report, RunError> {
    let mut report = Report::default();
    if settings.filter.excludes(&path) {
        note_excluded(&mut report, settings, std::iter::once(path));
    } else {
        let file = SourceFile {
            path,
            text,
            origin: Origin::Stdin,
            explicit: true,
        };
        report = crate::check(packs, vec![file], &FsWorkspace, &settings.engine());
    }
    apply_baseline(&mut report, settings, cwd)?;
    Ok(report)
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

/// Check according to `settings.mode`; then verify the offered fixes and apply the
/// baseline when `settings` asks for them.
pub fn check(settings: &CheckSettings, packs: &[RulePack], cwd: &Path) -> Result<Report, RunError> {
    let mut report = match &settings.mode {
        Mode::WorkTree => check_work_tree(settings, packs, cwd),
        Mode::Staged => check_git(settings, packs, cwd, None),
        Mode::Since(rev) => check_git(settings, packs, cwd, Some(rev)),
    }?;
    if settings.verify_fixes {
        offer_only_fixes_that_apply(&mut report, settings, packs, cwd);
    }
    apply_baseline(&mut report, settings, cwd)?;
    Ok(report)
}

fn apply_baseline(
    report: &mut Report,
    settings: &CheckSettings,
    cwd: &Path,
) -> Result<(), RunError> {
    if let Some(path) = &settings.baseline {
        crate::baseline::apply_file(report, path, cwd)?;
    }
    Ok(())
}

/// Above this many files with fixes, the fixable counts are not verified by a trial run
/// (it re-checks each document a few times) and stay what the rules offered.
const FIX_TRIAL_MAX_FILES: usize = 100;

/// Count as fixable only what `--fix` will do: try the fixes in memory (unsafe ones too,
/// nothing written) and turn every fix the engine refuses (it would add findings of another
/// rule, or its edits are invalid) into a suggestion (`DisplayOnly`). The report then
/// promises no fix that every later run would refuse again.
fn offer_only_fixes_that_apply(
    report: &mut Report,
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
) {
    let mut with_fixes: Vec<&Path> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.fix()
                .is_some_and(|f| f.applicability != Applicability::DisplayOnly)
        })
        .map(|d| d.path.as_path())
        .collect();
    with_fixes.dedup();
    if with_fixes.is_empty() || with_fixes.len() > FIX_TRIAL_MAX_FILES {
        return;
    }
    let trial = FixSettings {
        unsafe_fixes: true,
        ..FixSettings::default()
    };
    // in the work tree, only the files with fixes are tried (the others would be checked
    // again for nothing); named explicitly, they keep the packs they were checked with
    let only_those;
    let settings = if settings.mode == Mode::WorkTree {
        only_those = CheckSettings {
            paths: with_fixes.iter().map(|p| p.to_path_buf()).collect(),
            ..settings.clone()
        };
        &only_those
    } else {
        settings
    };
    // a failed trial (a fix that never settles) changes nothing here; --fix reports it
    let Ok(fixed) = fix(settings, packs, cwd, &trial) else {
        return;
    };
    for doc in &fixed.run.documents {
        for s in &doc.skipped {
            for d in report.diagnostics.iter_mut().filter(|d| {
                d.path == doc.path
                    && d.code == s.code
                    && d.fix().is_some_and(|f| f.title == s.title)
            }) {
                if let Some(f) = d.finding.fix.as_mut() {
                    f.applicability = Applicability::DisplayOnly;
                }
            }
        }
    }
}

/// What a git mode reads: the repository, the snapshot files are read from, which of its
/// files to check, and what changed.
struct GitView {
    repo: GitRepo,
    /// The index (`--staged`) or HEAD's tree (`--base`); cross-document rules read it too.
    snapshot: Snapshot,
    origin: Origin,
    /// Changed repository paths a pack applies to, and whether each was named on the
    /// command line.
    paths: Vec<(String, bool)>,
    /// The changed lines of each file (`--base`); for the index they are computed when
    /// asked for.
    changed: Option<Vec<ChangedFile>>,
    /// Submodules added or moved; their content is not checked.
    submodules: Vec<String>,
}

impl GitView {
    /// The pre-commit view (`rev: None`): staged blobs, with line numbers of the staged
    /// version. The pull-request view (`rev: Some`): files changed since the merge base of
    /// `rev` and HEAD, read from HEAD.
    fn new(
        settings: &CheckSettings,
        packs: &[RulePack],
        cwd: &Path,
        rev: Option<&str>,
    ) -> Result<GitView, RunError> {
        let repo = GitRepo::discover(cwd)?;
        let view = match rev {
            None => {
                let (snapshot, staged) = repo.staged()?;
                let changed = staged.changed.iter().map(String::as_str);
                GitView {
                    paths: select_git_paths(settings, packs, &repo, cwd, changed),
                    snapshot,
                    origin: Origin::Index,
                    changed: None,
                    submodules: staged.submodules,
                    repo,
                }
            }
            Some(rev) => {
                let changes = repo.changes_since(rev)?;
                let changed = changes.files.iter().map(|f| f.path.as_str());
                GitView {
                    paths: select_git_paths(settings, packs, &repo, cwd, changed),
                    snapshot: changes.head,
                    origin: Origin::Commit,
                    changed: Some(changes.files),
                    submodules: changes.submodules,
                    repo,
                }
            }
        };
        Ok(view)
    }
}

/// Check the files a git mode selects (see [`GitView::new`]).
fn check_git(
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
    rev: Option<&str>,
) -> Result<Report, RunError> {
    let view = GitView::new(settings, packs, cwd, rev)?;
    let mut report = check_snapshot(settings, packs, &view.snapshot, &view.paths, view.origin);
    if settings.changed_lines_only {
        let files = match view.changed {
            Some(files) => files,
            None => staged_line_changes(&view.repo, &view.snapshot, &view.paths)?,
        };
        keep_changed_lines(&mut report, &files);
    }
    note_submodules(&mut report, &view.submodules);
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
        Mode::Staged | Mode::Since(_) => {
            let rev = match &settings.mode {
                Mode::Since(rev) => Some(rev.as_str()),
                _ => None,
            };
            let view = GitView::new(settings, packs, cwd, rev)?;
            let root = view.repo.canonical_work_tree();
            snapshot_fix(&view.snapshot, &view.paths, view.origin, root)
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

/// `spec-check init [DIR]`: write a commented spec-check.toml with every key at its default
/// into `dir`; never over an existing configuration file.
pub fn init(dir: &Path) -> Result<PathBuf, RunError> {
    for name in crate::config::FILE_NAMES {
        let p = dir.join(name);
        if p.exists() {
            return Err(RunError::ConfigExists {
                path: crate::source::display_path(&p),
            });
        }
    }
    let path = dir.join(crate::config::FILE_NAMES[0]);
    std::fs::write(&path, crate::config::init_template()).map_err(|e| RunError::Write {
        path: crate::source::display_path(&path),
        source: e,
    })?;
    Ok(path)
}

/// What `spec-check suppress` wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Suppressed {
    pub findings: usize,
    pub files: usize,
}

/// `spec-check suppress`: above every finding of a pack rule in `report` (checked with
/// `keep_text`), write a `spec-check-disable-next-line` comment giving `reason`. The
/// engine's own findings are about such comments and are left alone.
pub fn suppress_findings(report: &Report, reason: &str) -> Result<Suppressed, RunError> {
    let engine: Vec<&str> = crate::suppress::RULES.iter().map(|r| r.code).collect();
    let mut done = Suppressed::default();
    for f in &report.files {
        let Some(text) = &f.text else { continue };
        let mine: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.path == f.path && !engine.contains(&d.code.as_str()))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let doc = crate::document::Document::parse(f.path.clone(), text.clone());
        let new = crate::suppress::insert_comments(&doc, &mine, reason);
        fs::write_atomic(&f.path, &new).map_err(|e| RunError::Write {
            path: crate::source::display_path(&f.path),
            source: e,
        })?;
        done.findings += mine.len();
        done.files += 1;
    }
    Ok(done)
}

/// `check --show-settings`: the resolved configuration (`all` packs configured, enabled or
/// not) and the files a run with `settings` would check, each with its packs.
pub fn show_settings(
    config: &crate::config::Settings,
    packs: &[RulePack],
    all: &[RulePack],
    settings: &CheckSettings,
    cwd: &Path,
    stdin: bool,
) -> Result<String, RunError> {
    let mut out = config.show(all);
    out.push_str("\n# files\n");
    if stdin {
        out.push_str("#   (standard input)\n");
        return Ok(out);
    }
    if settings.mode != Mode::WorkTree {
        out.push_str("#   (chosen from git when the check runs)\n");
        return Ok(out);
    }
    let candidates = match collect(settings, packs, cwd) {
        Ok(c) => c,
        Err(e @ (RunError::NothingToCheck { .. } | RunError::NoDocs { .. })) => {
            out.push_str(&format!("#   (none: {e})\n"));
            return Ok(out);
        }
        Err(e) => return Err(e),
    };
    for c in candidates {
        let file = SourceFile {
            path: c.path.clone(),
            text: String::new(),
            origin: Origin::WorkTree,
            explicit: c.explicit,
        };
        let ids: Vec<&str> = crate::packs_for(packs, &file)
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        out.push_str(&format!(
            "#   {}  ({})\n",
            crate::source::display_path(&c.path),
            if ids.is_empty() {
                "no pack".to_string()
            } else {
                ids.join(", ")
            }
        ));
    }
    Ok(out)
}

/// `spec-check baseline`: record every finding of `report` in a baseline file at `output`
/// (written atomically). Returns how many entries it holds.
pub fn write_baseline(report: &Report, output: &Path, cwd: &Path) -> Result<usize, RunError> {
    let dir = output.parent().unwrap_or(Path::new("."));
    let entries = crate::baseline::entries(report, dir, cwd);
    let n = entries.len();
    fs::write_atomic(output, &crate::baseline::to_json(entries)).map_err(|e| RunError::Write {
        path: crate::source::display_path(output),
        source: e,
    })?;
    Ok(n)
}

/// `--diff` with nothing to fix: "No fixes to apply." — and, when only unsafe fixes exist
/// and `unsafe_fixes` is off, how many those would fix and how to see them.
pub fn no_fixes(
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
    unsafe_fixes: bool,
) -> String {
    if unsafe_fixes {
        return "No fixes to apply.".to_string();
    }
    let with_unsafe = FixSettings {
        unsafe_fixes: true,
        ..FixSettings::default()
    };
    match fix(settings, packs, cwd, &with_unsafe) {
        Ok(f) if !f.run.changes.is_empty() => format!(
            "No safe fixes to apply; with --unsafe-fixes, {} in {} would be fixed (`spec-check check --diff --unsafe-fixes` shows them, `--fix --unsafe-fixes` applies them).",
            plural(f.run.fixed(), "finding"),
            plural(f.run.changes.len(), "file")
        ),
        _ => "No fixes to apply.".to_string(),
    }
}

/// Fix text read from standard input as if it were the file `path` (nothing is written).
pub fn fix_stdin(
    settings: &CheckSettings,
    packs: &[RulePack],
    path: &Path,
    text: &str,
    fix_settings: &FixSettings,
) -> Result<FixRun, RunError> {
    let source = SourceFile {
        path: path.to_path_buf(),
        text: text.to_string(),
        origin: Origin::Stdin,
        explicit: true,
    };
    let fix_settings = FixSettings {
        suppression: settings.suppression,
        language: settings.language,
        ..*fix_settings
    };
    Ok(crate::fix::fix_files(
        packs,
        std::slice::from_ref(&source),
        &FsWorkspace,
        &fix_settings,
    )?)
}

/// The document on standard input (`input`) and the name it is checked under (`name`, from
/// `--stdin-filename`, else `<stdin>`); bytes that are not UTF-8 are an error naming the
/// position.
pub fn read_stdin(
    mut input: impl std::io::Read,
    name: Option<PathBuf>,
) -> Result<(PathBuf, String), RunError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(RunError::Stdin)?;
    let name = name.unwrap_or_else(|| PathBuf::from("<stdin>"));
    let text = fs::bytes_to_text(bytes, &crate::source::display_path(&name))?;
    Ok((name, text))
}
