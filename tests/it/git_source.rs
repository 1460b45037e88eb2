//! The git layer (`spec_check::source::git`) against real repositories built with the git CLI.

use std::path::Path;
use std::process::Command;

use crate::gitrepo::{Repo, git, git_cmd, write};
use spec_check::source::git::{ChangedFile, GitError, GitRepo, SnapshotOrigin};

/// Discover in-process. The test process must not carry git's repository variables (they would win).
fn open(dir: &Path) -> Result<GitRepo, GitError> {
    for var in ["GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"] {
        assert!(
            std::env::var_os(var).is_none(),
            "{var} is set in the test environment; unset it to run these tests"
        );
    }
    GitRepo::discover(dir)
}

fn text(bytes: Option<Vec<u8>>) -> Option<String> {
    bytes.map(|b| String::from_utf8(b).unwrap())
}

fn file<'a>(files: &'a [ChangedFile], path: &str) -> &'a ChangedFile {
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not in {files:?}"))
}

fn paths(files: &[ChangedFile]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

const SPEC: &str = "# Spec\n\n## 1. Overview\n\nText.\n\n## 2. Design\n\nMore text.\n";

#[test]
fn not_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let err = open(tmp.path()).unwrap_err();
    assert!(matches!(err, GitError::NotARepository { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("is not inside a git repository"),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn bare_repository_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let bare = tmp.path().join("bare.git");
    git(
        tmp.path(),
        &["init", "-q", "--bare", bare.to_str().unwrap()],
    );
    let err = open(&bare).unwrap_err();
    assert!(matches!(err, GitError::Bare { .. }), "{err:?}");
    assert!(err.to_string().contains("bare repository"), "{err}");
}

#[test]
fn discovers_from_a_subdirectory() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", SPEC)], "init");
    let repo_git = open(&repo.dir.join("docs")).unwrap();
    assert_eq!(
        repo_git.work_tree().canonicalize().unwrap(),
        repo.dir.canonicalize().unwrap()
    );
}

#[test]
fn unborn_branch_index_works_and_pr_mode_needs_a_commit() {
    let repo = Repo::new();
    let git_repo = open(&repo.dir).unwrap();
    // Nothing staged yet: no index file at all.
    assert!(git_repo.index_snapshot().unwrap().is_empty());
    assert!(git_repo.staged_changes().unwrap().changed.is_empty());

    repo.write("docs/06-technical-specification.md", SPEC);
    repo.write("README.md", "readme\n");
    repo.git(&["add", "-A"]);
    let changes = git_repo.staged_changes().unwrap();
    assert_eq!(
        changes.changed,
        ["README.md", "docs/06-technical-specification.md"]
    );
    let snapshot = git_repo.index_snapshot().unwrap();
    assert_eq!(snapshot.origin(), SnapshotOrigin::Index);
    assert_eq!(
        text(snapshot.read("docs/06-technical-specification.md")).as_deref(),
        Some(SPEC)
    );

    let err = git_repo.changes_since("main").unwrap_err();
    assert!(matches!(err, GitError::NoHead), "{err:?}");
    assert_eq!(
        err.to_string(),
        "there is no commit yet (HEAD is unborn); PR mode needs at least one commit"
    );
}

#[test]
fn staged_content_not_work_tree_and_partial_staging() {
    let repo = Repo::new();
    repo.commit(
        &[
            ("docs/spec.md", "line 1\nline 2\nline 3\n"),
            ("docs/other.md", "x\n"),
        ],
        "init",
    );
    // Stage one version (as `git add -p` would stage part of the edits) ...
    repo.write("docs/spec.md", "line 1\nline 2 staged\nline 3\n");
    repo.git(&["add", "docs/spec.md"]);
    // ... then keep editing the work tree.
    repo.write(
        "docs/spec.md",
        "line 1\nline 2 staged\nline 3\nunstaged line 4\n",
    );
    // An unstaged-only change is not staged.
    repo.write("docs/other.md", "changed but not staged\n");

    let git_repo = open(&repo.dir).unwrap();
    let (snapshot, changes) = git_repo.staged().unwrap();
    assert_eq!(changes.changed, ["docs/spec.md"]);
    assert!(changes.submodules.is_empty());
    assert_eq!(
        text(snapshot.read("docs/spec.md")).as_deref(),
        Some("line 1\nline 2 staged\nline 3\n")
    );
    // Unchanged files read as committed (= staged), not as in the work tree.
    assert_eq!(text(snapshot.read("docs/other.md")).as_deref(), Some("x\n"));
    assert_eq!(git_repo.staged_changes().unwrap(), changes);
}

#[test]
fn real_partial_staging_with_add_patch() {
    let repo = Repo::new();
    let original: String = (1..=20).map(|n| format!("line {n}\n")).collect();
    repo.commit(&[("docs/spec.md", &original)], "init");
    let edited = original
        .replace("line 2\n", "line 2 first hunk\n")
        .replace("line 19\n", "line 19 second hunk\n");
    repo.write("docs/spec.md", &edited);
    // Stage the first hunk only: `y` then `n`.
    let mut child = git_cmd(&repo.dir)
        .args(["add", "-p", "docs/spec.md"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"y\nn\n").unwrap();
    assert!(child.wait().unwrap().success());

    let git_repo = open(&repo.dir).unwrap();
    let staged = text(git_repo.index_snapshot().unwrap().read("docs/spec.md")).unwrap();
    assert!(staged.contains("line 2 first hunk\n"), "{staged}");
    assert!(staged.contains("line 19\n"), "{staged}");
    assert!(!staged.contains("second hunk"), "{staged}");
    assert_eq!(git_repo.staged_changes().unwrap().changed, ["docs/spec.md"]);
}

#[test]
fn deletion_is_skipped_and_rename_lists_its_target() {
    let repo = Repo::new();
    repo.commit(
        &[
            ("docs/old-name.md", SPEC),
            ("docs/deleted.md", "bye\n"),
            ("docs/kept.md", "kept\n"),
        ],
        "init",
    );
    repo.git(&["rm", "-q", "docs/deleted.md"]);
    repo.git(&["mv", "docs/old-name.md", "docs/new-name.md"]);

    let git_repo = open(&repo.dir).unwrap();
    let (snapshot, changes) = git_repo.staged().unwrap();
    assert_eq!(changes.changed, ["docs/new-name.md"]);
    assert!(!snapshot.exists("docs/deleted.md"));
    assert!(!snapshot.exists("docs/old-name.md"));
    assert!(snapshot.exists("docs/new-name.md"));
    assert_eq!(snapshot.list_dir("docs"), ["kept.md", "new-name.md"]);
    assert_eq!(snapshot.list_dir("docs/"), ["kept.md", "new-name.md"]);
    assert!(snapshot.list_dir("").is_empty());
    assert_eq!(
        snapshot.paths().collect::<Vec<_>>(),
        ["docs/kept.md", "docs/new-name.md"]
    );
    assert_eq!(snapshot.read("docs"), None);
    assert_eq!(snapshot.read("docs/nope.md"), None);
}

#[test]
fn intent_to_add_and_symlinks_are_not_content() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    repo.write("docs/later.md", "not staged yet\n");
    repo.git(&["add", "--intent-to-add", "docs/later.md"]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("a.md", repo.dir.join("docs/link.md")).unwrap();
        repo.git(&["add", "docs/link.md"]);
    }
    let git_repo = open(&repo.dir).unwrap();
    let (snapshot, changes) = git_repo.staged().unwrap();
    assert!(changes.changed.is_empty(), "{changes:?}");
    assert!(!snapshot.exists("docs/later.md"));
    #[cfg(unix)]
    {
        assert!(snapshot.exists("docs/link.md"));
        assert_eq!(snapshot.read("docs/link.md"), None);
    }
}

#[test]
fn staged_mode_reads_only_the_blobs_asked_for() {
    let repo = Repo::new();
    let files: Vec<(String, String)> = (0..50)
        .map(|n| (format!("docs/{n:02}.md"), format!("file {n}\n")))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    repo.commit(&refs, "many");
    repo.write("docs/07.md", "staged\n");
    repo.git(&["add", "docs/07.md"]);
    // Remove every other blob from the object database: if anything read them, it would fail.
    for (path, _) in &files {
        let blob = repo.git(&["rev-parse", &format!("HEAD:{path}")]);
        let loose = repo
            .dir
            .join(".git/objects")
            .join(&blob[..2])
            .join(&blob[2..]);
        std::fs::remove_file(loose).unwrap();
    }
    let git_repo = open(&repo.dir).unwrap();
    let (snapshot, changes) = git_repo.staged().unwrap();
    assert_eq!(changes.changed, ["docs/07.md"]);
    assert_eq!(
        text(snapshot.read("docs/07.md")).as_deref(),
        Some("staged\n")
    );
    assert_eq!(snapshot.list_dir("docs").len(), 50);
    assert!(snapshot.exists("docs/01.md"));
}

#[test]
fn sparse_index_directories_are_expanded() {
    let repo = Repo::new();
    repo.commit(
        &[
            ("docs/01-brief.md", "brief\n"),
            ("docs/06-spec.md", "spec\n"),
            ("other/deep/file.md", "outside the cone\n"),
        ],
        "init",
    );
    repo.git(&["sparse-checkout", "set", "--cone", "--sparse-index", "docs"]);
    let listed = repo.git(&["ls-files", "--sparse"]);
    assert!(listed.lines().any(|line| line == "other/"), "{listed}");
    let git_repo = open(&repo.dir).unwrap();
    let (snapshot, changes) = git_repo.staged().unwrap();
    assert!(changes.changed.is_empty(), "{changes:?}");
    assert!(
        !repo.dir.join("other").exists(),
        "sparse checkout took effect"
    );
    assert_eq!(
        text(snapshot.read("other/deep/file.md")).as_deref(),
        Some("outside the cone\n")
    );
    assert_eq!(snapshot.list_dir("docs"), ["01-brief.md", "06-spec.md"]);

    repo.write("docs/06-spec.md", "spec 2\n");
    repo.git(&["add", "docs/06-spec.md"]);
    assert_eq!(
        git_repo.staged_changes().unwrap().changed,
        ["docs/06-spec.md"]
    );
}

#[test]
fn detached_head_works() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "one");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.commit(&[("docs/b.md", "b\n")], "two");
    repo.git(&["checkout", "-q", "--detach"]);
    repo.write("docs/a.md", "a changed\n");
    repo.git(&["add", "docs/a.md"]);

    let git_repo = open(&repo.dir).unwrap();
    assert_eq!(git_repo.staged_changes().unwrap().changed, ["docs/a.md"]);
    let change_set = git_repo.changes_since("main").unwrap();
    assert_eq!(paths(&change_set.files), ["docs/b.md"]);
    assert_eq!(
        change_set.base.to_string(),
        repo.git(&["rev-parse", "main"])
    );
}

#[test]
fn pr_mode_reports_changed_lines_and_head_content() {
    let repo = Repo::new();
    let base = repo.commit(
        &[
            ("docs/spec.md", "a\nb\nc\nd\ne\n"),
            ("docs/gone.md", "gone\n"),
            ("docs/same.md", "same\n"),
        ],
        "base",
    );
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("docs/spec.md", "a\nB\nc\nd\ne\nf\ng\n");
    repo.write("docs/new.md", "one\ntwo\nthree");
    repo.write("docs/empty.md", "");
    std::fs::remove_file(repo.dir.join("docs/gone.md")).unwrap();
    repo.commit(&[], "feature work");
    // The work tree and index do not matter in PR mode.
    repo.write("docs/spec.md", "work tree only\n");

    let git_repo = open(&repo.dir).unwrap();
    let change_set = git_repo.changes_since("main").unwrap();
    assert_eq!(change_set.base.to_string(), base);
    assert_eq!(
        paths(&change_set.files),
        ["docs/empty.md", "docs/new.md", "docs/spec.md"]
    );
    let spec = file(&change_set.files, "docs/spec.md");
    assert!(!spec.added);
    assert_eq!(spec.changed_lines, vec![2..=2, 6..=7]);
    assert!(spec.touches_line(6) && !spec.touches_line(3));
    let new = file(&change_set.files, "docs/new.md");
    assert!(new.added);
    assert_eq!(new.changed_lines, vec![1..=3]);
    assert!(
        file(&change_set.files, "docs/empty.md")
            .changed_lines
            .is_empty()
    );

    let head = &change_set.head;
    assert!(matches!(head.origin(), SnapshotOrigin::Commit(_)));
    assert_eq!(
        text(head.read("docs/spec.md")).as_deref(),
        Some("a\nB\nc\nd\ne\nf\ng\n")
    );
    assert!(head.exists("docs/same.md"));
    assert!(!head.exists("docs/gone.md"));

    // The same base given as a SHA, a full ref name and a rev-parse expression.
    for rev in [base.as_str(), &base[..10], "refs/heads/main", "feature~1"] {
        let again = git_repo.changes_since(rev).unwrap();
        assert_eq!(again.base.to_string(), base, "{rev}");
        assert_eq!(again.files, change_set.files, "{rev}");
    }
    // HEAD against itself: nothing changed.
    assert!(git_repo.changes_since("HEAD").unwrap().files.is_empty());
}

#[test]
fn pr_mode_detects_renames_as_their_target() {
    let repo = Repo::new();
    let body: String = (1..=30).map(|n| format!("line {n}\n")).collect();
    repo.commit(&[("docs/old.md", &body)], "base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.git(&["mv", "docs/old.md", "docs/new.md"]);
    repo.write("docs/new.md", &body.replace("line 10\n", "line ten\n"));
    repo.commit(&[], "rename with an edit");

    let change_set = open(&repo.dir).unwrap().changes_since("main").unwrap();
    assert_eq!(paths(&change_set.files), ["docs/new.md"]);
    let renamed = &change_set.files[0];
    assert_eq!(renamed.renamed_from.as_deref(), Some("docs/old.md"));
    assert!(!renamed.added);
    assert_eq!(renamed.changed_lines, vec![10..=10]);
}

#[test]
fn pr_mode_against_remote_tracking_branch_and_annotated_tag() {
    let repo = Repo::new();
    let base = repo.commit(&[("docs/a.md", "a\n")], "base");
    repo.git(&["tag", "-a", "v1.0", "-m", "release 1.0"]);
    repo.commit(&[("docs/b.md", "b\n")], "after tag");

    let clone = repo.sibling("clone");
    let url = format!("file://{}", repo.dir.display());
    git(
        repo.tmp.path(),
        &["clone", "-q", &url, clone.to_str().unwrap()],
    );
    git(&clone, &["checkout", "-q", "-b", "feature", "v1.0"]);
    write(&clone, "docs/c.md", "c\n");
    git(&clone, &["add", "-A"]);
    git(&clone, &["commit", "-q", "-m", "feature"]);

    let git_repo = open(&clone).unwrap();
    let by_tag = git_repo.changes_since("v1.0").unwrap();
    assert_eq!(by_tag.base.to_string(), base);
    assert_eq!(paths(&by_tag.files), ["docs/c.md"]);

    let by_remote = git_repo.changes_since("origin/main").unwrap();
    assert_eq!(by_remote.base.to_string(), base);
    assert_eq!(paths(&by_remote.files), ["docs/c.md"]);
}

#[test]
fn pr_mode_with_a_merge_in_history() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "A");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit(&[("docs/feature-1.md", "f1\n")], "C");
    repo.git(&["checkout", "-q", "main"]);
    let main_tip = repo.commit(&[("docs/main-only.md", "m\n")], "B");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git(&["merge", "-q", "--no-edit", "--no-ff", "main"]);
    repo.commit(&[("docs/feature-2.md", "f2\n")], "D");

    let change_set = open(&repo.dir).unwrap().changes_since("main").unwrap();
    // main was merged into feature, so the merge base is main's tip and main's own file is not a change.
    assert_eq!(change_set.base.to_string(), main_tip);
    assert_eq!(
        paths(&change_set.files),
        ["docs/feature-1.md", "docs/feature-2.md"]
    );
    assert!(change_set.head.exists("docs/main-only.md"));
}

#[test]
fn unknown_revision_names_it_and_says_what_to_fetch() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    let git_repo = open(&repo.dir).unwrap();

    let err = git_repo.changes_since("origin/main").unwrap_err();
    assert!(
        matches!(&err, GitError::UnknownRevision { rev, .. } if rev == "origin/main"),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("`origin/main`"), "{message}");
    assert!(message.contains("git fetch origin main"), "{message}");

    let err = git_repo.changes_since("develop").unwrap_err();
    assert!(
        err.to_string().contains("git fetch origin develop"),
        "{err}"
    );

    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let err = git_repo.changes_since(&tree).unwrap_err();
    assert!(matches!(err, GitError::NotACommit { .. }), "{err:?}");
}

#[test]
fn unrelated_histories_have_no_merge_base() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    repo.git(&["checkout", "-q", "--orphan", "other"]);
    repo.commit(&[("docs/b.md", "b\n")], "unrelated");
    let err = open(&repo.dir).unwrap().changes_since("main").unwrap_err();
    assert!(matches!(err, GitError::NoMergeBase { .. }), "{err:?}");
}

/// origin: A - B (main), A - C (feature). Returns the origin repository.
fn origin_with_diverged_branches() -> Repo {
    let origin = Repo::new();
    origin.commit(&[("docs/a.md", "a\n")], "A");
    origin.git(&["checkout", "-q", "-b", "feature"]);
    origin.commit(&[("docs/c.md", "c\n")], "C");
    origin.git(&["checkout", "-q", "main"]);
    origin.commit(&[("docs/b.md", "b\n")], "B");
    origin
}

#[test]
fn shallow_clone_without_the_merge_base() {
    let origin = origin_with_diverged_branches();
    let clone = origin.sibling("shallow");
    let url = format!("file://{}", origin.dir.display());
    git(
        origin.tmp.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            &url,
            clone.to_str().unwrap(),
        ],
    );
    git(&clone, &["checkout", "-q", "feature"]);

    let git_repo = open(&clone).unwrap();
    assert!(git_repo.is_shallow());
    let err = git_repo.changes_since("origin/main").unwrap_err();
    assert!(
        matches!(err, GitError::ShallowMissingBase { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("shallow"), "{message}");
    assert!(message.contains("fetch-depth: 0"), "{message}");
    assert!(message.contains("git fetch --unshallow"), "{message}");
    // The staged mode does not need history.
    assert!(git_repo.staged_changes().unwrap().changed.is_empty());
}

#[test]
fn shallow_clone_deep_enough_works() {
    let origin = origin_with_diverged_branches();
    let clone = origin.sibling("deeper");
    let url = format!("file://{}", origin.dir.display());
    git(
        origin.tmp.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "2",
            "--no-single-branch",
            &url,
            clone.to_str().unwrap(),
        ],
    );
    git(&clone, &["checkout", "-q", "feature"]);
    let git_repo = open(&clone).unwrap();
    assert!(git_repo.is_shallow());
    let change_set = git_repo.changes_since("origin/main").unwrap();
    assert_eq!(paths(&change_set.files), ["docs/c.md"]);
}

#[test]
fn partial_clone_missing_base_blob_says_so() {
    let origin = Repo::new();
    origin.git(&["config", "uploadpack.allowFilter", "true"]);
    origin.commit(&[("docs/a.md", "version 1\n")], "A");
    origin.git(&["checkout", "-q", "-b", "feature"]);
    origin.commit(&[("docs/a.md", "version 1\nversion 2\n")], "B");
    let clone = origin.sibling("partial");
    let url = format!("file://{}", origin.dir.display());
    git(
        origin.tmp.path(),
        &[
            "clone",
            "-q",
            "--filter=blob:none",
            "--branch",
            "feature",
            &url,
            clone.to_str().unwrap(),
        ],
    );
    let git_repo = open(&clone).unwrap();
    // The checked-out blobs are there ...
    assert!(
        git_repo
            .head_snapshot()
            .unwrap()
            .read("docs/a.md")
            .is_some()
    );
    // ... but the base version of the modified file was never fetched.
    let err = git_repo.changes_since("origin/main").unwrap_err();
    assert!(matches!(err, GitError::PartialClone { .. }), "{err:?}");
    assert!(err.to_string().contains("filter"), "{err}");
}

#[test]
fn linked_worktree_index_and_pr_mode() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    let linked = repo.sibling("linked");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "wt-branch",
        linked.to_str().unwrap(),
    ]);
    write(&linked, "docs/b.md", "b in worktree\n");
    git(&linked, &["add", "docs/b.md"]);
    git(&linked, &["commit", "-q", "-m", "in worktree"]);
    write(&linked, "docs/c.md", "c staged in worktree\n");
    git(&linked, &["add", "docs/c.md"]);
    // The main work tree has its own, different index.
    repo.write("docs/main-staged.md", "main\n");
    repo.git(&["add", "docs/main-staged.md"]);

    let git_repo = open(&linked.join("docs")).unwrap();
    assert_eq!(
        git_repo.work_tree().canonicalize().unwrap(),
        linked.canonicalize().unwrap()
    );
    assert_eq!(
        git_repo.common_dir().canonicalize().unwrap(),
        repo.dir.join(".git").canonicalize().unwrap()
    );
    let (snapshot, changes) = git_repo.staged().unwrap();
    assert_eq!(changes.changed, ["docs/c.md"]);
    assert_eq!(
        text(snapshot.read("docs/c.md")).as_deref(),
        Some("c staged in worktree\n")
    );
    assert!(!snapshot.exists("docs/main-staged.md"));

    let change_set = git_repo.changes_since("main").unwrap();
    assert_eq!(paths(&change_set.files), ["docs/b.md"]);
    assert_eq!(
        text(change_set.head.read("docs/b.md")).as_deref(),
        Some("b in worktree\n")
    );
}

#[test]
fn submodule_is_listed_separately() {
    let sub = Repo::new();
    sub.commit(&[("README.md", "sub\n")], "sub init");
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&[
        "submodule",
        "add",
        "-q",
        sub.dir.to_str().unwrap(),
        "vendor/sub",
    ]);

    let git_repo = open(&repo.dir).unwrap();
    let (snapshot, changes) = git_repo.staged().unwrap();
    assert_eq!(changes.submodules, ["vendor/sub"]);
    assert_eq!(changes.changed, [".gitmodules"]);
    assert!(!snapshot.exists("vendor/sub"));
    assert_eq!(snapshot.read("vendor/sub"), None);

    repo.git(&["commit", "-q", "-m", "add submodule"]);
    let change_set = git_repo.changes_since(&base).unwrap();
    assert_eq!(change_set.submodules, ["vendor/sub"]);
    assert_eq!(paths(&change_set.files), [".gitmodules"]);
}

#[test]
fn snapshot_reads_from_several_threads() {
    let repo = Repo::new();
    let files: Vec<(String, String)> = (0..16)
        .map(|n| (format!("docs/{n:02}.md"), format!("file {n}\n")))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    repo.commit(&refs, "many");
    let git_repo = open(&repo.dir).unwrap();
    let snapshot = git_repo.index_snapshot().unwrap();
    let head = git_repo.head_snapshot().unwrap();
    std::thread::scope(|scope| {
        for chunk in files.chunks(4) {
            let (snapshot, head) = (&snapshot, &head);
            scope.spawn(move || {
                for (path, content) in chunk {
                    assert_eq!(text(snapshot.read(path)).as_deref(), Some(content.as_str()));
                    assert_eq!(text(head.read(path)).as_deref(), Some(content.as_str()));
                }
            });
        }
    });
}

#[test]
fn packed_objects_are_read() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "packed a\n")], "init");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit(&[("docs/a.md", "packed a\nmore\n")], "more");
    repo.git(&["gc", "-q", "--aggressive"]);
    let git_repo = open(&repo.dir).unwrap();
    let change_set = git_repo.changes_since("main").unwrap();
    assert_eq!(change_set.files[0].changed_lines, vec![2..=2]);
    assert_eq!(
        text(git_repo.index_snapshot().unwrap().read("docs/a.md")).as_deref(),
        Some("packed a\nmore\n")
    );
}

// ---- Environment variables, as git sets them for hooks. They are read at discovery, so these run the
// ---- discovery in a child process (this test binary, running `env_probe`) with the variables set.

/// Runs only as a child of the tests below: discovers from `SPEC_CHECK_PROBE_START` and prints what it sees.
#[test]
#[ignore = "helper run as a child process by the environment tests"]
fn env_probe() {
    let Some(start) = std::env::var_os("SPEC_CHECK_PROBE_START") else {
        return;
    };
    let repo = GitRepo::discover(Path::new(&start)).unwrap();
    let (snapshot, changes) = repo.staged().unwrap();
    println!(
        "PROBE work_tree={}",
        repo.work_tree().canonicalize().unwrap().display()
    );
    println!("PROBE changed={}", changes.changed.join(","));
    let read = std::env::var("SPEC_CHECK_PROBE_READ").unwrap();
    println!(
        "PROBE content={}",
        text(snapshot.read(&read)).unwrap_or_default().trim_end()
    );
}

fn probe(start: &Path, read: &str, env: &[(&str, &Path)]) -> Vec<String> {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "git_source::env_probe",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env_remove("GIT_DIR")
    .env_remove("GIT_INDEX_FILE")
    .env_remove("GIT_WORK_TREE")
    .env("SPEC_CHECK_PROBE_START", start)
    .env("SPEC_CHECK_PROBE_READ", read);
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "probe failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        // libtest may print `test env_probe ... ` on the same line before the first output.
        .filter_map(|line| line.split_once("PROBE ").map(|(_, rest)| rest.to_owned()))
        .collect()
}

#[test]
fn honours_git_index_file() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "committed\n")], "init");
    // A second index, as `git commit -a` / `git commit <path>` hand to hooks.
    let alt_index = repo.sibling("alt-index");
    std::fs::copy(repo.dir.join(".git/index"), &alt_index).unwrap();
    repo.write("docs/a.md", "in the alternate index\n");
    let status = git_cmd(&repo.dir)
        .env("GIT_INDEX_FILE", &alt_index)
        .args(["add", "docs/a.md"])
        .status()
        .unwrap();
    assert!(status.success());
    repo.write("docs/a.md", "work tree\n");

    let lines = probe(
        &repo.dir,
        "docs/a.md",
        &[("GIT_INDEX_FILE", alt_index.as_path())],
    );
    assert_eq!(lines[1], "changed=docs/a.md");
    assert_eq!(lines[2], "content=in the alternate index");
    // Without the variable, the default index (nothing staged) is used.
    let lines = probe(&repo.dir, "docs/a.md", &[]);
    assert_eq!(lines[1], "changed=");
    assert_eq!(lines[2], "content=committed");
}

#[test]
fn honours_git_dir_and_git_work_tree() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    repo.write("docs/b.md", "staged b\n");
    repo.git(&["add", "docs/b.md"]);
    // Move the git directory away from the work tree, as `--separate-git-dir` setups do.
    let git_dir = repo.sibling("elsewhere.git");
    std::fs::rename(repo.dir.join(".git"), &git_dir).unwrap();
    let unrelated = repo.sibling("unrelated");
    std::fs::create_dir(&unrelated).unwrap();

    let lines = probe(
        &unrelated,
        "docs/b.md",
        &[
            ("GIT_DIR", git_dir.as_path()),
            ("GIT_WORK_TREE", repo.dir.as_path()),
        ],
    );
    assert_eq!(
        lines[0],
        format!("work_tree={}", repo.dir.canonicalize().unwrap().display())
    );
    assert_eq!(lines[1], "changed=docs/b.md");
    assert_eq!(lines[2], "content=staged b");
}

/// Install a pre-commit hook that runs `env_probe` (this test binary) with whatever environment git gives
/// hooks, run `git <args>` in `dir`, and return the probe's lines.
#[cfg(unix)]
fn probe_as_hook(hooks_dir: &Path, dir: &Path, read: &str, args: &[&str]) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let log = hooks_dir.join("probe.log");
    let hook = hooks_dir.join("pre-commit");
    std::fs::create_dir_all(hooks_dir).unwrap();
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nSPEC_CHECK_PROBE_START=. '{}' git_source::env_probe --exact --ignored --nocapture --test-threads=1 > '{}' 2>&1\nexit 1\n",
            std::env::current_exe().unwrap().display(),
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = git_cmd(dir)
        .env("SPEC_CHECK_PROBE_READ", read)
        .args(args)
        .output()
        .unwrap();
    assert!(!output.status.success(), "the probe hook blocks the commit");
    let stdout = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<String> = stdout
        .lines()
        .filter_map(|line| line.split_once("PROBE ").map(|(_, rest)| rest.to_owned()))
        .collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    lines
}

/// What git really hands to a pre-commit hook: `git commit -a` uses a temporary index (`index.lock`, via
/// GIT_INDEX_FILE), and a linked worktree gets GIT_DIR=<common>/worktrees/<name>.
#[cfg(unix)]
#[test]
fn discovery_inside_real_hooks() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "v1\n"), ("docs/b.md", "b\n")], "init");
    let hooks = repo.dir.join(".git/hooks");

    // `git commit -a` from a subdirectory: the hook sees the index git is about to commit.
    repo.write("docs/a.md", "v2 only in the work tree until commit -a\n");
    let lines = probe_as_hook(
        &hooks,
        &repo.dir.join("docs"),
        "docs/a.md",
        &["commit", "-q", "-a", "-m", "x"],
    );
    assert_eq!(
        lines,
        [
            format!("work_tree={}", repo.dir.canonicalize().unwrap().display()),
            "changed=docs/a.md".to_owned(),
            "content=v2 only in the work tree until commit -a".to_owned(),
        ]
    );
    // `git commit <path>`: only that path's work-tree content, in yet another temporary index.
    repo.write("docs/b.md", "b2\n");
    let lines = probe_as_hook(
        &hooks,
        &repo.dir,
        "docs/b.md",
        &["commit", "-q", "-m", "x", "docs/b.md"],
    );
    assert_eq!(lines[1], "changed=docs/b.md");
    assert_eq!(lines[2], "content=b2");
    repo.git(&["checkout", "--", "docs"]);

    // A linked worktree: hooks come from the common dir, the index is the worktree's.
    let linked = repo.sibling("linked");
    repo.git(&["worktree", "add", "-q", linked.to_str().unwrap()]);
    write(&linked, "docs/b.md", "b staged in the linked worktree\n");
    git(&linked, &["add", "docs/b.md"]);
    write(&linked, "docs/b.md", "b unstaged\n");
    let lines = probe_as_hook(&hooks, &linked, "docs/b.md", &["commit", "-q", "-m", "x"]);
    assert_eq!(
        lines,
        [
            format!("work_tree={}", linked.canonicalize().unwrap().display()),
            "changed=docs/b.md".to_owned(),
            "content=b staged in the linked worktree".to_owned(),
        ]
    );
}

/// Not a correctness test: prints how long the staged mode takes with 2,000 committed files and one staged.
/// Run with `cargo test --release --test git_source -- --ignored --nocapture staged_timing`.
#[test]
#[ignore = "timing measurement; run explicitly"]
fn staged_timing() {
    let repo = Repo::new();
    for n in 0..2000 {
        repo.write(
            &format!("docs/section-{:02}/doc-{n:04}.md", n % 40),
            &format!("# Doc {n}\n\nSome text for document {n}.\n"),
        );
    }
    repo.commit(&[], "2000 files");
    repo.write("docs/section-07/doc-0007.md", "# Doc 7\n\nChanged.\n");
    repo.git(&["add", "docs/section-07/doc-0007.md"]);

    let runs = 20;
    let mut best = std::time::Duration::MAX;
    let mut total = std::time::Duration::ZERO;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let git_repo = GitRepo::discover(&repo.dir).unwrap();
        let (snapshot, changes) = git_repo.staged().unwrap();
        assert_eq!(changes.changed.len(), 1);
        let content = snapshot.read(&changes.changed[0]).unwrap();
        assert!(!content.is_empty());
        let elapsed = start.elapsed();
        best = best.min(elapsed);
        total += elapsed;
    }
    let start = std::time::Instant::now();
    let git_repo = GitRepo::discover(&repo.dir).unwrap();
    let discover = start.elapsed();
    let start = std::time::Instant::now();
    let changes = git_repo.staged_changes().unwrap();
    let staged_changes = start.elapsed();
    let start = std::time::Instant::now();
    let snapshot = git_repo.index_snapshot().unwrap();
    let content = snapshot.read(&changes.changed[0]).unwrap();
    let snapshot_and_read = start.elapsed();
    let start = std::time::Instant::now();
    let on_disk = std::fs::read(repo.dir.join(&changes.changed[0])).unwrap();
    let fs_read = start.elapsed();
    assert_eq!(content, on_disk);
    println!(
        "TIMING discover+staged()+read over {runs} runs: best {best:?}, mean {:?}; \
         one run split: discover {discover:?}, staged_changes {staged_changes:?}, \
         index_snapshot+read {snapshot_and_read:?}; plain fs read {fs_read:?}",
        total / runs
    );
}

#[test]
fn broken_repository_states_are_errors_not_panics() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit(&[("docs/a.md", "a\nb\n")], "two");

    // A blob missing from the object database: listed, but unreadable.
    let blob = repo.git(&["rev-parse", "HEAD:docs/a.md"]);
    let loose = repo
        .dir
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    std::fs::remove_file(&loose).unwrap();
    let git_repo = open(&repo.dir).unwrap();
    let snapshot = git_repo.index_snapshot().unwrap();
    assert!(snapshot.exists("docs/a.md"));
    assert_eq!(snapshot.read("docs/a.md"), None);
    let err = snapshot.try_read("docs/a.md").unwrap_err();
    assert!(matches!(err, GitError::Other { .. }), "{err:?}");
    assert!(err.to_string().contains("docs/a.md"), "{err}");
    let err = git_repo.changes_since("main").unwrap_err();
    assert!(matches!(err, GitError::Other { .. }), "{err:?}");
    assert!(!err.to_string().contains('\n'), "{err}");

    // A garbage index file.
    std::fs::write(repo.dir.join(".git/index"), b"not an index at all").unwrap();
    let err = git_repo.staged_changes().unwrap_err();
    assert!(matches!(err, GitError::Index { .. }), "{err:?}");
    assert!(err.to_string().contains("git status"), "{err}");
    assert!(git_repo.index_snapshot().is_err());
}
