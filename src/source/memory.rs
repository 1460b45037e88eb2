//! An in-memory workspace: files held as strings, for standard input, tests and snapshots
//! of git objects already read.

use super::normalize_path;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Workspace;

#[derive(Debug, Default, Clone)]
pub struct MemoryWorkspace {
    files: BTreeMap<PathBuf, String>,
}

impl MemoryWorkspace {
    pub fn new() -> Self {
        MemoryWorkspace::default()
    }

    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> &mut Self {
        self.files.insert(normalize_path(&path.into()), text.into());
        self
    }
}

impl Workspace for MemoryWorkspace {
    fn read(&self, path: &Path) -> Option<String> {
        self.files.get(&normalize_path(path)).cloned()
    }

    fn exists(&self, path: &Path) -> bool {
        let p = normalize_path(path);
        self.files.contains_key(&p) || self.files.keys().any(|k| k.starts_with(&p))
    }

    fn list_dir(&self, dir: &Path) -> Vec<String> {
        let d = normalize_path(dir);
        self.files
            .keys()
            .filter(|k| k.parent().map(normalize_path).unwrap_or_default() == d)
            .filter_map(|k| k.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_direct_children_only() {
        let mut ws = MemoryWorkspace::new();
        ws.insert("docs/01-a.md", "x")
            .insert("docs/sub/02-b.md", "y")
            .insert("top.md", "z");
        assert_eq!(ws.list_dir(Path::new("docs")), vec!["01-a.md"]);
        assert_eq!(ws.list_dir(Path::new(".")), vec!["top.md"]);
        assert!(ws.exists(Path::new("./docs/01-a.md")));
        assert_eq!(ws.read(Path::new("top.md")).as_deref(), Some("z"));
    }
}
