//! The work tree: finding the repository root, walking for markdown, reading files as
//! exact UTF-8 text with clear errors.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Origin, SourceFile, Workspace};

/// Directories never walked into.
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "target",
    "vendor",
    "dist",
    "build",
    "__pycache__",
];

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: no such file or directory")]
    NotFound { path: String },
    #[error("{path}: a symbolic link to {target}, which does not exist; fix or remove the link")]
    DanglingSymlink { path: String, target: String },
    #[error("{path}: is a directory, not a markdown file")]
    NotAFile { path: String },
    #[error(
        "{path}: not valid UTF-8 (invalid byte at line {line}, byte offset {byte}); re-save it as UTF-8"
    )]
    NotUtf8 {
        path: String,
        line: usize,
        byte: usize,
    },
    #[error(
        "{path}: not valid UTF-8: the file is UTF-16 ({endian}); re-save it as UTF-8 (for example with `iconv -f UTF-16 -t UTF-8`)"
    )]
    Utf16 { path: String, endian: &'static str },
    #[error(
        "{path}: not checked, {} > {} (max-file-size); raise `max-file-size` in spec-check.toml or pass `--max-file-size {}`, or list the file under `exclude` to leave it out on purpose",
        crate::config::human_size(*size),
        crate::config::human_size(*limit),
        crate::config::suggested_limit(*size)
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: io::Error },
}

/// Read one file as UTF-8 text (BOM and line endings preserved).
pub fn read_text(path: &Path, max_size: Option<u64>) -> Result<String, ReadError> {
    let shown = super::display_path(path);
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => match fs::read_link(path) {
            Ok(target) => ReadError::DanglingSymlink {
                path: shown.clone(),
                target: super::display_path(&target),
            },
            Err(_) => ReadError::NotFound {
                path: shown.clone(),
            },
        },
        _ => ReadError::Io {
            path: shown.clone(),
            source: e,
        },
    })?;
    if meta.is_dir() {
        return Err(ReadError::NotAFile { path: shown });
    }
    if let Some(limit) = max_size
        && meta.len() > limit
    {
        return Err(ReadError::TooLarge {
            path: shown,
            size: meta.len(),
            limit,
        });
    }
    let bytes = fs::read(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound {
            path: shown.clone(),
        },
        _ => ReadError::Io {
            path: shown.clone(),
            source: e,
        },
    })?;
    bytes_to_text(bytes, &shown)
}

/// UTF-8 validation with a position people can find; UTF-16 is named as such.
pub fn bytes_to_text(bytes: Vec<u8>, shown: &str) -> Result<String, ReadError> {
    if let Some(endian) = utf16(&bytes) {
        return Err(ReadError::Utf16 {
            path: shown.to_string(),
            endian,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..byte].iter().filter(|&&b| b == b'\n').count() + 1;
        ReadError::NotUtf8 {
            path: shown.to_string(),
            line,
            byte,
        }
    })
}

/// Whether `bytes` look like UTF-16: a byte-order mark, or (without one) text whose every
/// other byte is NUL, as ASCII is in UTF-16. Returns how it is encoded.
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some("little-endian, with a byte-order mark"),
        [0xFE, 0xFF, ..] => return Some("big-endian, with a byte-order mark"),
        _ => {}
    }
    let sample = &bytes[..bytes.len().min(512) & !1];
    if sample.len() < 4 {
        return None;
    }
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = sample.len() / 2;
    // ASCII in UTF-16: (nearly) all high bytes are NUL, (nearly) no low byte is
    match (nul_at(0), nul_at(1)) {
        (_, odd) if odd * 10 >= half * 9 && nul_at(0) == 0 => {
            Some("little-endian, no byte-order mark")
        }
        (even, _) if even * 10 >= half * 9 && nul_at(1) == 0 => {
            Some("big-endian, no byte-order mark")
        }
        _ => None,
    }
}

/// The repository root above `start` (a directory containing `.git`), if any.
pub fn repo_root(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Every `*.md` file under `dir`, sorted, skipping hidden and vendor directories. Symlinked
/// directories are not followed (no loops, no walking out of the repository); a symlink named
/// `*.md` is listed unless it points to a directory, so that a dangling one is reported when
/// it is read rather than silently ignored.
pub fn walk_markdown(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if d == dir => return Err(e),
            Err(_) => continue, // unreadable subdirectory: skip, like ripgrep
        };
        for entry in entries.flatten() {
            let Ok(ft) = entry.file_type() else { continue };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = entry.path();
            if ft.is_dir() {
                if !name.starts_with('.') && !SKIP_DIRS.contains(&name.as_ref()) {
                    stack.push(path);
                }
            } else if name.to_ascii_lowercase().ends_with(".md")
                && (ft.is_file() || (ft.is_symlink() && !path.is_dir()))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A file named on the command line or found by walking, not yet read.
pub fn source(path: PathBuf, text: String, explicit: bool) -> SourceFile {
    SourceFile {
        path,
        text,
        origin: Origin::WorkTree,
        explicit,
    }
}

/// The work tree as seen by cross-document rules.
#[derive(Debug, Default)]
pub struct FsWorkspace;

impl Workspace for FsWorkspace {
    fn read(&self, path: &Path) -> Option<String> {
        let bytes = fs::read(path).ok()?;
        String::from_utf8(bytes).ok()
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn list_dir(&self, dir: &Path) -> Vec<String> {
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// Write `text` to `path` (a report file), creating its directory.
pub fn write_creating_dir(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)
}

/// Append `text` and a line break to `path` (a job summary), creating the file.
pub fn append_line(path: &Path, text: &str) -> io::Result<()> {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")
}

/// Replace `path`'s contents atomically: write a temporary file in the same directory, give
/// it the original's permissions, then rename it over the original.
pub fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.spec-check-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
