//! Builds real git repositories in temporary directories with the git CLI, isolated from the caller's
//! environment and configuration.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A `git` command run in `dir`, with repository-selecting variables cleared, no system or global config,
/// a fixed identity and date, and `main` as the default branch.
pub fn git_cmd(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_COMMON_DIR")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_CEILING_DIRECTORIES")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Spec Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Spec Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "protocol.file.allow=always",
        ]);
    cmd
}

/// Run git in `dir` and return its stdout (trimmed); panics with git's stderr on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = git_output(dir, args);
    assert!(
        output.status.success(),
        "git {args:?} in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

pub fn git_output(dir: &Path, args: &[&str]) -> Output {
    git_cmd(dir).args(args).output().expect("git runs")
}

/// Write `content` to `dir/rel`, creating parent directories.
pub fn write(dir: &Path, rel: &str, content: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// A fresh repository (`git init`) in a temporary directory.
pub struct Repo {
    pub tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Repo {
    pub fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("repo");
        std::fs::create_dir(&dir).unwrap();
        git(&dir, &["init", "-q"]);
        Repo { tmp, dir }
    }

    pub fn git(&self, args: &[&str]) -> String {
        git(&self.dir, args)
    }

    pub fn write(&self, rel: &str, content: &str) {
        write(&self.dir, rel, content);
    }

    /// Write files, stage everything, commit; returns the commit id.
    pub fn commit(&self, files: &[(&str, &str)], message: &str) -> String {
        for (rel, content) in files {
            self.write(rel, content);
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// A sibling path inside the same temporary directory.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
}

/// The specification's path in the projects [`project_with`] builds.
pub const SPEC: &str = "docs/06-technical-specification.md";

/// The prerequisite documents of a complete project.
pub const PREREQS: &[&str] = &[
    "docs/01-project-specification.md",
    "docs/02-technical-architecture.md",
    "docs/03-ux-design.md",
    "docs/04-design-system.md",
    "docs/05-interface-states.md",
];

/// The spec-check binary run in `dir`, isolated like [`git_cmd`] from the caller's
/// repository, git configuration, hook and CI environment.
pub fn spec_check(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("spec-check").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env_remove("PRE_COMMIT")
        .env_remove("GITHUB_ACTIONS")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    cmd
}

/// The demo's clean spec: it stays free of findings as rules are added (tests/it/examples.rs).
pub fn good_spec() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/good/docs/06-technical-specification.md"),
    )
    .unwrap()
}

/// A repository whose first commit holds a complete project with `spec` as the spec.
pub fn project_with(spec: &str) -> Repo {
    let repo = Repo::new();
    let mut files: Vec<(&str, &str)> = PREREQS.iter().map(|p| (*p, "# prerequisite\n")).collect();
    files.push((SPEC, spec));
    files.push((".vibe-status.md", "- [x] Step 6: Technical Specification\n"));
    repo.commit(&files, "initial");
    repo
}
