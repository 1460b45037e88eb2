//! Which files a walk picks up and which are never checked: the configuration's `include`
//! and `exclude` globs, matched relative to the configuration's directory.

use std::path::{Path, PathBuf};

use globset::GlobSet;

use super::{display_path, normalize_path};

/// Which files a walk picks up (`include`) and which are never checked (`exclude`),
/// matched relative to the configuration's directory.
#[derive(Debug, Clone, Default)]
pub struct FileFilter {
    base: PathBuf,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl FileFilter {
    /// A filter over files below `base`: a file is picked up by a walk when it matches
    /// `include` (everything without one), and never checked when it or a directory above
    /// it matches `exclude`.
    pub fn new(base: &Path, include: Option<GlobSet>, exclude: Option<GlobSet>) -> FileFilter {
        FileFilter {
            base: base.to_path_buf(),
            include,
            exclude,
        }
    }

    /// Whether a file found by walking a directory is considered.
    pub fn includes(&self, path: &Path) -> bool {
        let Some(include) = &self.include else {
            return true;
        };
        let Some(rel) = self.relative(path) else {
            return false;
        };
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        include.is_match(&rel) || include.is_match(name)
    }

    /// Whether a file is excluded (it, or a directory above it, matches `exclude`).
    pub fn excludes(&self, path: &Path) -> bool {
        let Some(exclude) = &self.exclude else {
            return false;
        };
        let Some(rel) = self.relative(path) else {
            return false;
        };
        let mut prefix = String::new();
        for part in rel.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if exclude.is_match(&prefix) || exclude.is_match(part) {
                return true;
            }
        }
        false
    }

    /// `path` (absolute, or relative to the current directory) relative to the base.
    fn relative(&self, path: &Path) -> Option<String> {
        let abs = if path.is_absolute() {
            normalize_path(path)
        } else {
            normalize_path(&std::env::current_dir().ok()?.join(path))
        };
        let base = self
            .base
            .canonicalize()
            .unwrap_or_else(|_| self.base.clone());
        let rel = abs
            .strip_prefix(&base)
            .ok()
            .or_else(|| abs.strip_prefix(&self.base).ok())?;
        Some(display_path(rel))
    }
}
