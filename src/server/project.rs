//! Which settings and packs apply to a document the editor opened, found as the CLI finds
//! them, and noticed when they change.
//!
//! A document belongs to the deepest of its workspace folder and its repository: settings
//! are resolved there exactly as `spec-check check` run in that directory resolves them (the
//! nearest `spec-check.toml` up to the repository root), and paths are made relative to the
//! repository root, so pack globs such as `docs/06-….md` match as they do on the command
//! line. Each project remembers a stamp of its configuration file and pack files (path,
//! modification time, size); a changed stamp reloads it, so editing the configuration takes
//! effect without a restart. A configuration that does not load is kept as a
//! [`ConfigProblem`] to show on the file at fault.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::{self, ConfigError, Overrides, Settings};
use crate::pack::RulePack;
use crate::toml_error::TomlFile;

/// Settings and packs that apply to a set of documents.
#[derive(Debug)]
pub struct Project {
    /// Documents are checked under paths relative to this (the repository root, or the
    /// project directory outside a repository).
    pub root: PathBuf,
    pub settings: Settings,
    pub packs: Vec<RulePack>,
}

/// A configuration (or pack) that could not be loaded, and where to show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The file at fault.
    pub path: PathBuf,
    /// Its text, for positions (empty when unknown).
    pub text: String,
    pub span: Option<Range<usize>>,
    pub message: String,
}

/// Modification time and size of the files a project was loaded from.
type Stamp = Vec<(PathBuf, Option<(SystemTime, u64)>)>;

struct Entry {
    stamp: Stamp,
    loaded: Result<Arc<Project>, ConfigProblem>,
}

/// Projects by the directory their settings were resolved in.
#[derive(Default)]
pub struct Projects {
    entries: HashMap<PathBuf, Entry>,
}

impl Projects {
    /// The project of the document at `path` (absolute), loading or reloading it when its
    /// configuration changed.
    pub fn for_document(
        &mut self,
        path: &Path,
        folders: &[PathBuf],
    ) -> Result<Arc<Project>, ConfigProblem> {
        let (dir, root) = locate(path, folders);
        if let Some(e) = self.entries.get(&dir)
            && stamp_of(&dir, e.loaded.as_ref().ok().map(|p| &**p)) == e.stamp
        {
            return e.loaded.clone();
        }
        let loaded = load(&dir, root).map(Arc::new);
        let stamp = stamp_of(&dir, loaded.as_ref().ok().map(|p| &**p));
        self.entries.insert(
            dir,
            Entry {
                stamp,
                loaded: loaded.clone(),
            },
        );
        loaded
    }

    /// Whether any project's configuration changed on disk since it was loaded.
    pub fn stale(&self) -> bool {
        self.entries
            .iter()
            .any(|(dir, e)| stamp_of(dir, e.loaded.as_ref().ok().map(|p| &**p)) != e.stamp)
    }

    /// Forget every project (the next check reloads).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The problems of the projects that failed to load.
    pub fn problems(&self) -> impl Iterator<Item = &ConfigProblem> {
        self.entries
            .values()
            .filter_map(|e| e.loaded.as_ref().err())
    }
}

/// Where settings are resolved for `path`, and the root its relative path starts from.
fn locate(path: &Path, folders: &[PathBuf]) -> (PathBuf, PathBuf) {
    let parent = path.parent().unwrap_or(Path::new("/"));
    let repo = crate::source::fs::repo_root(parent);
    let folder = folders
        .iter()
        .filter(|f| path.starts_with(f))
        .max_by_key(|f| f.components().count())
        .cloned();
    let dir = match (&folder, &repo) {
        (Some(f), Some(r)) => {
            if f.components().count() >= r.components().count() {
                f.clone()
            } else {
                r.clone()
            }
        }
        (Some(d), None) | (None, Some(d)) => d.clone(),
        // a loose file: its project is the folder that holds its docs/ folder
        (None, None) if parent.file_name().is_some_and(|n| n == "docs") => parent
            .parent()
            .map_or_else(|| parent.to_path_buf(), Path::to_path_buf),
        (None, None) => parent.to_path_buf(),
    };
    let root = repo.unwrap_or_else(|| dir.clone());
    (dir, root)
}

fn load(dir: &Path, root: PathBuf) -> Result<Project, ConfigProblem> {
    let config_file = || {
        config::discover(dir)
            .0
            .unwrap_or_else(|| dir.join(config::FILE_NAMES[0]))
    };
    let settings = Settings::resolve(dir, &Overrides::default())
        .map_err(|e| problem(e, &config_file(), dir))?;
    let packs = settings
        .load_packs()
        .map_err(|e| problem(e, &config_file(), &settings.base))?;
    Ok(Project {
        root,
        settings,
        packs,
    })
}

/// Where a configuration error belongs: the configuration file, or the pack file at fault.
fn problem(e: ConfigError, config_file: &Path, base: &Path) -> ConfigProblem {
    match e {
        ConfigError::Toml(t) => {
            let path = match t.file {
                TomlFile::Config => config_file.to_path_buf(),
                TomlFile::Pack => {
                    let pack = base.join(&t.origin);
                    if pack.is_file() {
                        pack
                    } else {
                        config_file.to_path_buf()
                    }
                }
            };
            let (text, span) = if path == config_file || t.file == TomlFile::Pack {
                (t.toml.clone(), t.span.clone())
            } else {
                (String::new(), None)
            };
            let message = match t.file {
                TomlFile::Config => format!("invalid configuration: {}", t.message),
                TomlFile::Pack => format!("invalid rule pack {}: {}", t.origin, t.message),
            };
            ConfigProblem {
                path,
                text,
                span,
                message,
            }
        }
        other => ConfigProblem {
            path: config_file.to_path_buf(),
            text: String::new(),
            span: None,
            message: other.to_string(),
        },
    }
}

/// The stamp of the files `dir`'s settings come from: the configuration file discovery finds
/// now (a new or deleted file changes it) and the pack files a loaded project uses.
fn stamp_of(dir: &Path, project: Option<&Project>) -> Stamp {
    let mut files: Vec<PathBuf> = config::discover(dir).0.into_iter().collect();
    if let Some(p) = project {
        for item in &p.settings.packs.value {
            if crate::pack::is_path(&item.text) {
                files.push(p.settings.base.join(&item.text));
            }
        }
    }
    files
        .into_iter()
        .map(|f| {
            let meta = std::fs::metadata(&f)
                .ok()
                .and_then(|m| Some((m.modified().ok()?, m.len())));
            (f, meta)
        })
        .collect()
}
