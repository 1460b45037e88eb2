//! Where documents come from: the work tree (`fs`) or git objects (`git`), behind one
//! `Workspace` view so cross-document rules read the same source as the document.

use std::path::{Path, PathBuf};

mod filter;
pub mod fs;
pub mod git;
pub mod memory;

pub use filter::FileFilter;

/// Where a file's text was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    WorkTree,
    Index,
    Commit,
    Stdin,
    /// An editor's buffer (the language server): the path is relative to the repository
    /// root (or the project directory outside a repository), like a git path.
    Editor,
}

/// A file to check: its path (as shown to the user) and exact text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub origin: Origin,
    /// Checked even if no pack's `files` globs match (named explicitly on the command line).
    pub explicit: bool,
}

/// Read access to the other files of a run.
pub trait Workspace: Sync {
    /// The file's text, or `None` if it does not exist or is not UTF-8.
    fn read(&self, path: &Path) -> Option<String>;
    fn exists(&self, path: &Path) -> bool;
    /// File names directly inside `dir`.
    fn list_dir(&self, dir: &Path) -> Vec<String>;
}

/// A path as shown in output: `/` separators, no leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// `path` with `.` components dropped and `..` folded into the component before it, without
/// touching the file system (the file may be a git blob), so one file named two ways
/// (`docs/../.vibe-status.md`, `./.vibe-status.md`) is one key. A `..` that has nothing to
/// fold stays in a relative path (`../a`) and is dropped at the root (`/../a` is `/a`). A path
/// that folds to nothing is empty.
pub fn normalize_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::ParentDir) | None => out.push(".."),
                Some(Component::CurDir) => unreachable!("never pushed"),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The part of a path that pack globs are matched against.
pub fn match_path(p: &Path) -> String {
    display_path(p)
}

/// The path pack globs are matched against for a file: for the work tree (and standard
/// input), relative to the repository root, so a run from a subdirectory still sees
/// `docs/06-….md`; git paths are repository-relative already.
pub fn match_path_of(path: &Path, origin: Origin) -> String {
    use std::sync::OnceLock;
    // the current directory and its repository root, looked up once per process
    static HERE: OnceLock<Option<(PathBuf, PathBuf)>> = OnceLock::new();
    if matches!(origin, Origin::Index | Origin::Commit | Origin::Editor) {
        return match_path(path);
    }
    let here = HERE.get_or_init(|| {
        let cwd = std::env::current_dir().ok()?.canonicalize().ok()?;
        let root = fs::repo_root(&cwd)?;
        Some((cwd, root))
    });
    let Some((cwd, root)) = here else {
        return match_path(path);
    };
    match normalize_path(&cwd.join(path)).strip_prefix(root) {
        Ok(rel) => display_path(rel),
        Err(_) => match_path(path),
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_path;
    use std::path::{Path, PathBuf};

    #[test]
    fn normalize_path_folds_dots_lexically() {
        let cases = [
            ("a/./b/../c", "a/c"),
            ("./docs/../.vibe-status.md", ".vibe-status.md"),
            ("docs/", "docs"),
            ("../a", "../a"),
            ("a/../../b", "../b"),
            ("../../a/..", "../.."),
            ("/../a", "/a"),
            ("/a/b/../../..", "/"),
            ("a/..", ""),
            (".", ""),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(
                normalize_path(Path::new(input)),
                PathBuf::from(want),
                "normalize_path({input:?})"
            );
        }
    }
}
