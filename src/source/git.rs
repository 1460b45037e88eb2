//! Reads a repository's index, commits, trees and blobs through `gix` for the `--staged` and `--base` modes.
//!
//! Nothing here writes to the repository and nothing shells out to `git`. Paths are repository-relative and
//! use `/` separators. Blob content is returned byte-for-byte as stored (no filters, no line-ending changes),
//! and only read when asked for: a [`Snapshot`] holds a path → object-id map and reads a blob on demand.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gix::bstr::ByteSlice;

pub use gix::ObjectId;

/// Why the git layer could not do its job. Each message is one line that says what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// `start` (or `GIT_DIR`) does not lead to a git repository.
    #[error(
        "`{}` is not inside a git repository ({reason}); run spec-check from a git work tree, or check files on disk without --staged/--base",
        path.display()
    )]
    NotARepository { path: PathBuf, reason: String },
    /// The repository has no work tree.
    #[error(
        "`{}` is a bare repository (it has no work tree); run spec-check in a clone with a checkout",
        git_dir.display()
    )]
    Bare { git_dir: PathBuf },
    /// HEAD points to a branch that has no commit yet.
    #[error("there is no commit yet (HEAD is unborn); PR mode needs at least one commit")]
    NoHead,
    /// `rev` does not name anything in this repository.
    #[error(
        "unknown revision `{rev}`: no branch, tag, remote-tracking branch or commit of that name in this repository; fetch it first (`{fetch_hint}`)"
    )]
    UnknownRevision { rev: String, fetch_hint: String },
    /// `rev` matches more than one object or reference.
    #[error(
        "revision `{rev}` is ambiguous ({reason}); pass a longer SHA or a full ref name (refs/heads/…, refs/tags/…)"
    )]
    AmbiguousRevision { rev: String, reason: String },
    /// `rev` names an object that does not lead to a commit (a tree or a blob).
    #[error(
        "revision `{rev}` names a {kind}, not a commit; pass a branch, tag or commit to --base"
    )]
    NotACommit { rev: String, kind: String },
    /// The clone is shallow and the merge base is cut off.
    #[error(
        "this clone is shallow and does not contain the merge base of {rev} and HEAD; fetch more history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)"
    )]
    ShallowMissingBase { rev: String },
    /// `rev` and HEAD share no history.
    #[error(
        "{rev} and HEAD have no common ancestor (unrelated histories); pass a --base that HEAD was branched from"
    )]
    NoMergeBase { rev: String },
    /// A blob is not in this partial clone (objects are fetched on demand by git, which spec-check does not do).
    #[error(
        "`{path}` ({id}) is not in this partial clone (git fetches such objects on demand, spec-check does not); check out without a blob filter (drop `filter:` in actions/checkout, or `git clone` without `--filter`)"
    )]
    PartialClone { path: String, id: ObjectId },
    /// The index file exists but could not be read.
    #[error(
        "cannot read the git index `{}`: {reason}; run `git status` to check the repository",
        path.display()
    )]
    Index { path: PathBuf, reason: String },
    /// Reading the repository failed in a way not covered above (corrupt or missing objects, I/O errors).
    #[error("cannot {action}: {reason}; run `git fsck` to check the repository")]
    Other { action: String, reason: String },
}

impl GitError {
    fn gix(action: impl Into<String>, err: gix::Error) -> Self {
        GitError::Other {
            action: action.into(),
            reason: gix_line(&err),
        }
    }
}

/// Format an error on a single line.
fn one_line(err: impl Display) -> String {
    collapse(std::iter::once(err.to_string()))
}

/// Format a `gix` error and its causes (a tree) on a single line, `outer: inner: innermost`.
fn gix_line(err: &gix::Error) -> String {
    collapse(err.iter_errors().map(ToString::to_string))
}

fn collapse(messages: impl Iterator<Item = String>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for message in messages {
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        if !message.is_empty() && !parts.iter().any(|seen| seen.contains(&message)) {
            parts.push(message);
        }
    }
    parts.join(": ")
}

/// A repository opened for reading, with a work tree.
pub struct GitRepo {
    repo: gix::Repository,
    work_tree: PathBuf,
}

impl std::fmt::Debug for GitRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitRepo")
            .field("git_dir", &self.repo.git_dir())
            .field("work_tree", &self.work_tree)
            .finish()
    }
}

/// Index entries that differ from HEAD, as `git diff --cached --diff-filter=AMRT` would list them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StagedChanges {
    /// Regular files added, modified or renamed-to in the index, sorted. Deletions and symlinks are not listed.
    pub changed: Vec<String>,
    /// Submodule (gitlink) paths added or moved to another commit in the index, sorted; their content is not checked.
    pub submodules: Vec<String>,
}

/// The result of PR mode: what changed between the merge base and HEAD.
#[derive(Debug, Clone)]
pub struct ChangeSet {
    /// The merge base of the requested revision and HEAD.
    pub base: ObjectId,
    /// The commit HEAD points to.
    pub head_commit: ObjectId,
    /// Regular files added, modified or renamed-to since `base`, sorted by path. Deletions are not listed.
    pub files: Vec<ChangedFile>,
    /// Submodule (gitlink) paths added or moved since `base`, sorted; their content is not checked.
    pub submodules: Vec<String>,
    /// The HEAD tree, for reading the content of changed files and of any other file a rule needs.
    pub head: Snapshot,
}

/// One file changed between the merge base and HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    /// Repository-relative path at HEAD.
    pub path: String,
    /// Added or changed lines of the HEAD version, 1-based, sorted and non-overlapping. Lines that were only
    /// removed leave no trace here. For an added file this covers every line (empty for an empty file).
    pub changed_lines: Vec<RangeInclusive<u32>>,
    /// The file did not exist at the merge base (and is not a rename target).
    pub added: bool,
    /// For a rename, the path at the merge base.
    pub renamed_from: Option<String>,
}

impl ChangedFile {
    /// Whether `line` (1-based, HEAD version) was added or changed.
    pub fn touches_line(&self, line: u32) -> bool {
        self.changed_lines.iter().any(|range| range.contains(&line))
    }

    /// Whether any line in `lines` (1-based, inclusive, HEAD version) was added or changed.
    pub fn touches_lines(&self, lines: RangeInclusive<u32>) -> bool {
        self.changed_lines
            .iter()
            .any(|range| range.start() <= lines.end() && lines.start() <= range.end())
    }
}

/// Where a [`Snapshot`]'s content comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotOrigin {
    /// The index (staged content).
    Index,
    /// The tree of this commit.
    Commit(ObjectId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Symlink,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    id: ObjectId,
    kind: EntryKind,
}

/// Where to find objects, so each thread can open its own (non-`Sync`) object database handle.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OdbLocation {
    objects_dir: PathBuf,
    hash: gix::hash::Kind,
    /// Objects may be missing by design (`git clone --filter`), to be fetched on demand by git.
    partial_clone: bool,
}

/// The content of a tree or of the index, read lazily: listing paths reads no blob, and [`Snapshot::read`]
/// reads only the blob asked for. `Send + Sync` and cheap to clone.
#[derive(Clone)]
pub struct Snapshot {
    inner: Arc<SnapshotInner>,
}

struct SnapshotInner {
    origin: SnapshotOrigin,
    /// Regular files and symlinks by repository-relative path. Submodules and directories are not entries.
    entries: BTreeMap<String, Entry>,
    odb: OdbLocation,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("origin", &self.inner.origin)
            .field("files", &self.inner.entries.len())
            .finish()
    }
}

/// Number of object databases kept open per thread (one per repository a thread reads from).
const ODB_CACHE_SIZE: usize = 4;

thread_local! {
    static ODB_HANDLES: RefCell<Vec<(OdbLocation, gix::odb::Handle)>> = const { RefCell::new(Vec::new()) };
}

impl Snapshot {
    /// Where this content comes from.
    pub fn origin(&self) -> SnapshotOrigin {
        self.inner.origin
    }

    /// The bytes of the regular file at `path`; `None` if there is no such file (absent, a directory, a
    /// symlink, a submodule) or its blob cannot be read. Use [`Snapshot::try_read`] to tell those apart.
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.try_read(path).ok().flatten()
    }

    /// Like [`Snapshot::read`], but reports a blob that is listed and cannot be read (a corrupt or incomplete
    /// repository) as an error.
    pub fn try_read(&self, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let Some(entry) = self.inner.entries.get(path) else {
            return Ok(None);
        };
        if entry.kind != EntryKind::File {
            return Ok(None);
        }
        read_blob(&self.inner.odb, entry.id, path).map(Some)
    }

    /// The object id of the file or symlink at `path`.
    pub fn object_id(&self, path: &str) -> Option<ObjectId> {
        self.inner.entries.get(path).map(|entry| entry.id)
    }

    /// Whether `path` names a file (regular or symlink) in this snapshot. Directories do not count.
    pub fn exists(&self, path: &str) -> bool {
        self.inner.entries.contains_key(path)
    }

    /// Names of the files (regular or symlink) directly inside `dir` (`""` is the root), sorted.
    /// Subdirectories are not listed. A trailing `/` on `dir` is ignored.
    pub fn list_dir(&self, dir: &str) -> Vec<String> {
        let dir = dir.trim_end_matches('/');
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        self.inner
            .entries
            .range::<str, _>((
                std::ops::Bound::Included(prefix.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .map(|(path, _)| path)
            .take_while(|path| path.starts_with(&prefix))
            .filter_map(|path| {
                let name = &path[prefix.len()..];
                (!name.contains('/')).then(|| name.to_owned())
            })
            .collect()
    }

    /// Every file path (regular or symlink), sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.inner.entries.keys().map(String::as_str)
    }

    /// Number of files (regular or symlink).
    pub fn len(&self) -> usize {
        self.inner.entries.len()
    }

    /// Whether there is no file at all.
    pub fn is_empty(&self) -> bool {
        self.inner.entries.is_empty()
    }
}

/// Read the blob `id` (listed at `path`) through this thread's handle on the object database at `odb`.
fn read_blob(odb: &OdbLocation, id: ObjectId, path: &str) -> Result<Vec<u8>, GitError> {
    use gix::prelude::Find;
    let failed = |reason: String| GitError::Other {
        action: format!("read `{path}` ({id}) from git"),
        reason,
    };
    ODB_HANDLES.with(|cell| {
        let mut handles = cell.borrow_mut();
        let position = match handles.iter().position(|(location, _)| location == odb) {
            Some(position) => position,
            None => {
                let handle = gix::odb::at(odb.objects_dir.clone(), odb.hash)
                    .map_err(|err| failed(one_line(err)))?;
                if handles.len() >= ODB_CACHE_SIZE {
                    handles.remove(0);
                }
                handles.push((odb.clone(), handle));
                handles.len() - 1
            }
        };
        let handle = &handles[position].1;
        let mut buf = Vec::new();
        match handle
            .try_find(&id, &mut buf)
            .map_err(|err| failed(one_line(err)))?
        {
            Some(data) if data.kind == gix::object::Kind::Blob => Ok(data.data.to_vec()),
            Some(data) => Err(failed(format!(
                "object {id} is a {}, not a blob",
                data.kind
            ))),
            None if odb.partial_clone => Err(GitError::PartialClone {
                path: path.to_owned(),
                id,
            }),
            None => Err(failed(format!(
                "object {id} is missing from the object database"
            ))),
        }
    })
}

/// Lossless for UTF-8 paths; other paths get replacement characters (and then cannot be read back).
fn path_string(path: &gix::bstr::BStr) -> String {
    path.to_str_lossy().into_owned()
}

impl GitRepo {
    /// Discover the repository containing `start` the way git does for hooks: `GIT_DIR`, `GIT_WORK_TREE` and
    /// `GIT_INDEX_FILE` are honoured when set (then `start` is not searched from); otherwise the search goes up
    /// from `start` (honouring `GIT_CEILING_DIRECTORIES`). A bare repository is an error.
    pub fn discover(start: &Path) -> Result<GitRepo, GitError> {
        let not_a_repo = |err: gix::Error| match std::env::var_os("GIT_DIR") {
            Some(git_dir) => GitError::NotARepository {
                path: PathBuf::from(git_dir),
                reason: format!("GIT_DIR names it: {}", gix_line(&err)),
            },
            None => GitError::NotARepository {
                path: start.to_owned(),
                reason: gix_line(&err),
            },
        };
        // Like git, a GIT_CEILING_DIRECTORIES entry that is not above `start` is ignored, not an error.
        let options = gix::discover::upwards::Options {
            match_ceiling_dir_or_error: false,
            ..Default::default()
        };
        let repo = gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
            start,
            options,
            Default::default(),
        )
        .map_err(not_a_repo)?;
        let mut repo = repo.to_thread_local();
        repo.make_paths_absolute()
            .map_err(|err| GitError::gix("resolve the repository's paths", err))?;
        let Some(work_tree) = repo.workdir().map(Path::to_owned) else {
            return Err(GitError::Bare {
                git_dir: repo.git_dir().to_owned(),
            });
        };
        Ok(GitRepo { repo, work_tree })
    }

    /// The root of the work tree.
    pub fn work_tree(&self) -> &Path {
        &self.work_tree
    }

    /// The work tree with symlinks resolved (as given when that fails), to compare with
    /// canonical paths.
    pub fn canonical_work_tree(&self) -> std::path::PathBuf {
        self.work_tree
            .canonicalize()
            .unwrap_or_else(|_| self.work_tree.clone())
    }

    /// The git directory of this work tree (`.git`, or `.git/worktrees/<name>` for a linked worktree).
    pub fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }

    /// The directory shared by all worktrees (objects, refs, config, hooks).
    pub fn common_dir(&self) -> &Path {
        self.repo.common_dir()
    }

    /// The index file in use (`GIT_INDEX_FILE` when set).
    pub fn index_path(&self) -> PathBuf {
        self.repo.index_path()
    }

    /// Whether the clone is shallow.
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow().unwrap_or(false)
    }

    /// The underlying `gix` repository, for callers that need more than this module offers.
    pub fn gix(&self) -> &gix::Repository {
        &self.repo
    }

    /// The value of a configuration key such as `core.hooksPath`, interpolated as a path (`~/` expanded).
    pub(crate) fn config_path(&self, key: &str) -> Result<Option<PathBuf>, GitError> {
        let config = self.repo.config_snapshot();
        match config.trusted_path(key) {
            Ok(Some(path)) => Ok(Some(path)),
            Ok(None) => Ok(config
                .string(key)
                .and_then(|value| gix::path::from_bstring(value).ok())),
            Err(err) => Err(GitError::gix(
                format!("read `{key}` from the git configuration"),
                err,
            )),
        }
    }

    /// Whether objects may be missing by design: `extensions.partialClone`, or a remote with `promisor = true`.
    fn is_partial_clone(&self) -> bool {
        let config = self.repo.config_snapshot();
        config.string("extensions.partialClone").is_some()
            || config
                .plumbing()
                .sections_by_name("remote")
                .into_iter()
                .flatten()
                .any(|section| {
                    section.value("promisor").is_some_and(|value| {
                        gix::config::Boolean::try_from(value.as_bstr()).is_ok_and(|b| b.0)
                    })
                })
    }

    fn odb_location(&self) -> OdbLocation {
        OdbLocation {
            objects_dir: self.repo.objects.store_ref().path().to_owned(),
            hash: self.repo.object_hash(),
            partial_clone: self.is_partial_clone(),
        }
    }

    fn read_index(&self) -> Result<Option<gix::index::File>, GitError> {
        let path = self.repo.index_path();
        match std::fs::metadata(&path) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(GitError::Index {
                    path,
                    reason: one_line(err),
                });
            }
            Ok(_) => {}
        }
        // Like git outside `git fsck`, do not verify the trailing checksum: it hashes the whole file and
        // is the largest cost of reading a big index.
        let skip_hash = true;
        gix::index::File::at(
            &path,
            self.repo.object_hash(),
            skip_hash,
            gix::index::decode::Options::default(),
        )
        .map(Some)
        .map_err(|err| GitError::Index {
            path: path.clone(),
            reason: gix_line(&err),
        })
    }

    /// A read-only view of the index (staged blobs, stage 0). Paths are repo-relative with `/` separators.
    /// Without an index file (a fresh repository) the snapshot is empty. Entries only marked with
    /// `git add --intent-to-add` have no staged content and are left out.
    pub fn index_snapshot(&self) -> Result<Snapshot, GitError> {
        let index = self.read_index()?;
        self.snapshot_from_index(index.as_ref())
    }

    fn snapshot_from_index(&self, index: Option<&gix::index::File>) -> Result<Snapshot, GitError> {
        let mut entries = BTreeMap::new();
        if let Some(index) = index {
            for (path, entry) in staged_entries(index) {
                if let Some(kind) = index_entry_kind(entry.mode) {
                    entries.insert(path_string(path), Entry { id: entry.id, kind });
                }
            }
            // A sparse index (`git sparse-checkout --sparse-index`) keeps whole directories as tree entries.
            for entry in index.entries() {
                if entry.mode.is_sparse() && entry.stage_raw() == 0 {
                    let dir = path_string(entry.path(index));
                    let dir = dir.trim_end_matches('/');
                    for (path, (kind, id)) in self.flatten_tree(entry.id)? {
                        if let Some(kind) = tree_entry_kind(kind) {
                            let path = format!("{dir}/{}", path_string(path.as_ref()));
                            entries.insert(path, Entry { id, kind });
                        }
                    }
                }
            }
        }
        Ok(Snapshot {
            inner: Arc::new(SnapshotInner {
                origin: SnapshotOrigin::Index,
                entries,
                odb: self.odb_location(),
            }),
        })
    }

    /// Paths added, modified or renamed-to in the index relative to HEAD (on an unborn branch: every index
    /// entry). Deleted paths and symlinks are skipped; submodule (gitlink) entries are returned separately.
    pub fn staged_changes(&self) -> Result<StagedChanges, GitError> {
        let index = self.read_index()?;
        self.staged_changes_in(index.as_ref())
    }

    /// [`GitRepo::index_snapshot`] and [`GitRepo::staged_changes`] from one read of the index, so both agree.
    pub fn staged(&self) -> Result<(Snapshot, StagedChanges), GitError> {
        let index = self.read_index()?;
        let changes = self.staged_changes_in(index.as_ref())?;
        Ok((self.snapshot_from_index(index.as_ref())?, changes))
    }

    fn staged_changes_in(
        &self,
        index: Option<&gix::index::File>,
    ) -> Result<StagedChanges, GitError> {
        let mut changes = StagedChanges::default();
        let Some(index) = index else {
            return Ok(changes);
        };
        let head_tree = match self.head_commit_id()? {
            Some(commit) => self.flatten_tree(self.commit_tree_id(commit)?)?,
            None => BTreeMap::new(),
        };
        for (path, entry) in staged_entries(index) {
            let Some(mode) = entry.mode.to_tree_entry_mode() else {
                continue;
            };
            let unchanged = head_tree
                .get(path.as_bytes())
                .is_some_and(|(head_mode, head_id)| {
                    *head_id == entry.id && *head_mode == mode.kind()
                });
            if unchanged {
                continue;
            }
            if entry.mode == gix::index::entry::Mode::COMMIT {
                changes.submodules.push(path_string(path));
            } else if index_entry_kind(entry.mode) == Some(EntryKind::File) {
                changes.changed.push(path_string(path));
            }
        }
        changes.changed.sort();
        changes.submodules.sort();
        Ok(changes)
    }

    /// The commit HEAD points to, or `None` on an unborn branch.
    fn head_commit_id(&self) -> Result<Option<ObjectId>, GitError> {
        let head = self
            .repo
            .head()
            .map_err(|err| GitError::gix("read HEAD", err))?;
        if head.is_unborn() {
            return Ok(None);
        }
        let id = head
            .try_into_peeled_id()
            .map_err(|err| GitError::gix("resolve HEAD", err))?;
        Ok(id.map(gix::Id::detach))
    }

    fn commit_tree_id(&self, commit: ObjectId) -> Result<ObjectId, GitError> {
        let commit = self
            .repo
            .find_commit(commit)
            .map_err(|err| GitError::gix(format!("read commit {commit}"), err))?;
        commit
            .tree_id()
            .map(gix::Id::detach)
            .map_err(|err| GitError::gix(format!("read the tree of commit {}", commit.id), err))
    }

    /// Every non-tree entry of `tree`, recursively: path → (kind, id). Reads trees only, never blobs.
    fn flatten_tree(
        &self,
        tree: ObjectId,
    ) -> Result<BTreeMap<gix::bstr::BString, (gix::object::tree::EntryKind, ObjectId)>, GitError>
    {
        let tree = self
            .repo
            .find_tree(tree)
            .map_err(|err| GitError::gix(format!("read tree {tree}"), err))?;
        let records = tree
            .traverse()
            .breadthfirst
            .files()
            .map_err(|err| GitError::gix(format!("walk tree {}", tree.id), err))?;
        Ok(records
            .into_iter()
            .filter(|record| !record.mode.is_tree())
            .map(|record| (record.filepath, (record.mode.kind(), record.oid)))
            .collect())
    }

    fn tree_snapshot(&self, commit: ObjectId) -> Result<Snapshot, GitError> {
        let flat = self.flatten_tree(self.commit_tree_id(commit)?)?;
        let entries = flat
            .into_iter()
            .filter_map(|(path, (kind, id))| {
                let kind = tree_entry_kind(kind)?;
                Some((path_string(path.as_ref()), Entry { id, kind }))
            })
            .collect();
        Ok(Snapshot {
            inner: Arc::new(SnapshotInner {
                origin: SnapshotOrigin::Commit(commit),
                entries,
                odb: self.odb_location(),
            }),
        })
    }

    /// A snapshot of the tree of `HEAD`. Fails with [`GitError::NoHead`] on an unborn branch.
    pub fn head_snapshot(&self) -> Result<Snapshot, GitError> {
        let head = self.head_commit_id()?.ok_or(GitError::NoHead)?;
        self.tree_snapshot(head)
    }

    /// Resolve `rev` (branch, remote-tracking branch, tag — annotated tags are peeled —, SHA, or any
    /// `git rev-parse` expression) to a commit.
    pub fn resolve_commit(&self, rev: &str) -> Result<ObjectId, GitError> {
        let id = self.repo.rev_parse_single(rev).map_err(|err| {
            let reason = gix_line(&err);
            if reason.to_lowercase().contains("ambiguous") {
                GitError::AmbiguousRevision {
                    rev: rev.to_owned(),
                    reason,
                }
            } else {
                GitError::UnknownRevision {
                    rev: rev.to_owned(),
                    fetch_hint: fetch_hint(rev),
                }
            }
        })?;
        let object = id
            .object()
            .map_err(|err| GitError::gix(format!("read the object `{rev}` names"), err))?;
        let object = object
            .peel_tags_to_end()
            .map_err(|err| GitError::gix(format!("peel the tag `{rev}`"), err))?;
        if object.kind != gix::object::Kind::Commit {
            return Err(GitError::NotACommit {
                rev: rev.to_owned(),
                kind: object.kind.to_string(),
            });
        }
        Ok(object.id)
    }

    /// PR mode: resolve `rev`, compute merge-base(`rev`, HEAD), diff the base tree against the HEAD tree and
    /// return the files added, modified or renamed-to (deletions skipped) with the HEAD-side lines that were
    /// added or changed, plus a snapshot of the HEAD tree. Renames are detected as git does by default
    /// (50% similarity); copies are reported as additions.
    pub fn changes_since(&self, rev: &str) -> Result<ChangeSet, GitError> {
        let head = self.head_commit_id()?.ok_or(GitError::NoHead)?;
        let other = self.resolve_commit(rev)?;
        let base = self.merge_base(rev, other, head)?;

        let base_tree = self.find_tree_of(base)?;
        let head_tree = self.find_tree_of(head)?;
        let options =
            gix::diff::Options::default().with_rewrites(Some(gix::diff::Rewrites::default()));
        let changes = self
            .repo
            .diff_tree_to_tree(&base_tree, &head_tree, options)
            .map_err(|err| GitError::gix(format!("diff {base} against HEAD"), err))?;

        let odb = self.odb_location();
        let mut files = Vec::new();
        let mut submodules = BTreeSet::new();
        for change in changes {
            use gix::object::tree::diff::ChangeDetached as Change;
            let (path, mode, id, previous, renamed_from) = match change {
                Change::Addition {
                    location,
                    entry_mode,
                    id,
                    ..
                } => (location, entry_mode, id, None, None),
                Change::Modification {
                    location,
                    previous_entry_mode,
                    previous_id,
                    entry_mode,
                    id,
                } => (
                    location,
                    entry_mode,
                    id,
                    Some((previous_entry_mode, previous_id)),
                    None,
                ),
                Change::Rewrite {
                    source_location,
                    source_entry_mode,
                    source_id,
                    location,
                    entry_mode,
                    id,
                    copy,
                    ..
                } => {
                    if copy {
                        (location, entry_mode, id, None, None)
                    } else {
                        let from = path_string(source_location.as_ref());
                        (
                            location,
                            entry_mode,
                            id,
                            Some((source_entry_mode, source_id)),
                            Some(from),
                        )
                    }
                }
                Change::Deletion { .. } => continue,
            };
            let path = path_string(path.as_ref());
            if mode.is_commit() {
                submodules.insert(path);
                continue;
            }
            if tree_entry_kind(mode.kind()) != Some(EntryKind::File) {
                continue;
            }
            let read = |id: ObjectId| read_blob(&odb, id, &path);
            let new = read(id)?;
            let previous_blob = match previous {
                Some((previous_mode, previous_id))
                    if tree_entry_kind(previous_mode.kind()) == Some(EntryKind::File) =>
                {
                    Some(read(previous_id)?)
                }
                _ => None,
            };
            let added = previous.is_none();
            let changed_lines = match previous_blob {
                Some(old) => changed_lines(&old, &new),
                None => all_lines(&new),
            };
            files.push(ChangedFile {
                path,
                changed_lines,
                added,
                renamed_from,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(ChangeSet {
            base,
            head_commit: head,
            files,
            submodules: submodules.into_iter().collect(),
            head: self.tree_snapshot(head)?,
        })
    }

    fn find_tree_of(&self, commit: ObjectId) -> Result<gix::Tree<'_>, GitError> {
        let tree = self.commit_tree_id(commit)?;
        self.repo
            .find_tree(tree)
            .map_err(|err| GitError::gix(format!("read tree {tree}"), err))
    }

    fn merge_base(&self, rev: &str, other: ObjectId, head: ObjectId) -> Result<ObjectId, GitError> {
        match self.repo.merge_base(other, head) {
            Ok(Some(base)) => Ok(base.detach()),
            Ok(None) if self.is_shallow() => Err(GitError::ShallowMissingBase {
                rev: rev.to_owned(),
            }),
            Ok(None) => Err(GitError::NoMergeBase {
                rev: rev.to_owned(),
            }),
            Err(_) if self.is_shallow() => Err(GitError::ShallowMissingBase {
                rev: rev.to_owned(),
            }),
            Err(err) => Err(GitError::gix(
                format!("find the merge base of {rev} and HEAD"),
                err,
            )),
        }
    }
}

/// Stage-0 index entries that carry staged content, with their paths.
fn staged_entries(
    index: &gix::index::File,
) -> impl Iterator<Item = (&gix::bstr::BStr, &gix::index::Entry)> {
    index.entries().iter().filter_map(move |entry| {
        let staged = entry.stage_raw() == 0
            && !entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
            && !entry.mode.is_sparse();
        staged.then(|| (entry.path(index), entry))
    })
}

fn index_entry_kind(mode: gix::index::entry::Mode) -> Option<EntryKind> {
    use gix::index::entry::Mode;
    if mode == Mode::FILE || mode == Mode::FILE_EXECUTABLE {
        Some(EntryKind::File)
    } else if mode == Mode::SYMLINK {
        Some(EntryKind::Symlink)
    } else {
        None
    }
}

fn tree_entry_kind(kind: gix::object::tree::EntryKind) -> Option<EntryKind> {
    use gix::object::tree::EntryKind as Kind;
    match kind {
        Kind::Blob | Kind::BlobExecutable => Some(EntryKind::File),
        Kind::Link => Some(EntryKind::Symlink),
        Kind::Tree | Kind::Commit => None,
    }
}

/// What to tell the user to fetch when `rev` is unknown.
fn fetch_hint(rev: &str) -> String {
    let looks_like_sha = rev.len() >= 7 && rev.bytes().all(|b| b.is_ascii_hexdigit());
    if looks_like_sha {
        return format!("git fetch origin {rev}");
    }
    let name = rev
        .strip_prefix("refs/remotes/")
        .or_else(|| rev.strip_prefix("refs/heads/"))
        .unwrap_or(rev);
    match name.split_once('/') {
        Some((remote, branch)) if !remote.is_empty() && !branch.is_empty() => {
            format!("git fetch {remote} {branch}")
        }
        _ => format!("git fetch origin {name}, then pass origin/{name}"),
    }
}

/// Number of lines in `data`: a final line without a newline counts.
fn line_count(data: &[u8]) -> u32 {
    let newlines = data.iter().filter(|&&b| b == b'\n').count();
    let unterminated = usize::from(data.last().is_some_and(|&b| b != b'\n'));
    u32::try_from(newlines + unterminated).unwrap_or(u32::MAX)
}

fn all_lines(data: &[u8]) -> Vec<RangeInclusive<u32>> {
    match line_count(data) {
        0 => Vec::new(),
        n => vec![1..=n],
    }
}

/// The 1-based lines of `new` that were added or changed relative to `old` (histogram diff, git's slider
/// heuristics), merged into sorted, non-overlapping ranges.
pub fn changed_lines(old: &[u8], new: &[u8]) -> Vec<RangeInclusive<u32>> {
    use gix::diff::blob::{Algorithm, InternedInput, diff_with_slider_heuristics};
    let input = InternedInput::new(old, new);
    let diff = diff_with_slider_heuristics(Algorithm::Histogram, &input);
    let mut ranges: Vec<RangeInclusive<u32>> = Vec::new();
    for hunk in diff.hunks() {
        if hunk.after.is_empty() {
            continue;
        }
        let (start, end) = (hunk.after.start + 1, hunk.after.end);
        match ranges.last_mut() {
            Some(last) if *last.end() + 1 >= start => *last = *last.start()..=end.max(*last.end()),
            _ => ranges.push(start..=end),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Snapshot>();
        assert_send_sync::<ChangeSet>();
        assert_send_sync::<GitError>();
    }

    #[test]
    fn changed_lines_cover_additions_and_replacements() {
        let old = b"a\nb\nc\nd\n";
        assert_eq!(changed_lines(old, old), Vec::<RangeInclusive<u32>>::new());
        assert_eq!(changed_lines(old, b"a\nB\nc\nd\n"), vec![2..=2]);
        assert_eq!(changed_lines(old, b"a\nb\nc\nd\ne\nf\n"), vec![5..=6]);
        assert_eq!(
            changed_lines(old, b"a\nc\nd\n"),
            Vec::<RangeInclusive<u32>>::new()
        );
        assert_eq!(changed_lines(old, b"x\na\nb\nc\nD\n"), vec![1..=1, 5..=5]);
        assert_eq!(changed_lines(b"", b"one\ntwo"), vec![1..=2]);
    }

    #[test]
    fn line_counts() {
        assert_eq!(line_count(b""), 0);
        assert_eq!(line_count(b"a"), 1);
        assert_eq!(line_count(b"a\n"), 1);
        assert_eq!(line_count(b"a\r\nb"), 2);
    }

    #[test]
    fn fetch_hints() {
        assert_eq!(fetch_hint("origin/main"), "git fetch origin main");
        assert_eq!(
            fetch_hint("refs/remotes/upstream/dev"),
            "git fetch upstream dev"
        );
        assert_eq!(
            fetch_hint("main"),
            "git fetch origin main, then pass origin/main"
        );
        assert_eq!(fetch_hint("0123abcd"), "git fetch origin 0123abcd");
    }
}
