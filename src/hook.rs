//! Installs, removes and reports the git pre-commit hook that runs `spec-check check --staged`.
//!
//! The hook goes where git looks for it: `core.hooksPath` when set (a relative value is relative to the work
//! tree root), else `<common dir>/hooks`, which linked worktrees share. A hook is ours when it contains
//! [`MARKER`] on a line of its own; anything else is never overwritten or removed without `force`.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::source::git::{GitError, GitRepo};

/// The line that identifies a hook written by spec-check.
pub const MARKER: &str = "# installed by spec-check";

/// File name of the hook.
pub const HOOK_NAME: &str = "pre-commit";

/// File name of the first backup of a hook replaced with `force`; later ones get `.1`, `.2`, … appended.
pub const BACKUP_NAME: &str = "pre-commit.spec-check-backup";

/// The hook script (POSIX sh). It finds `spec-check` on `PATH` or fails with one line saying what to do.
pub const HOOK_SCRIPT: &str = r#"#!/bin/sh
# installed by spec-check
# Checks the staged docs before each commit; skip once with `git commit --no-verify`,
# remove with `spec-check hook uninstall`.
if ! command -v spec-check >/dev/null 2>&1; then
    echo "spec-check: not found on PATH; install it (\`cargo install --path <spec-check checkout>\`) or remove this hook ($0)" >&2
    exit 1
fi
exec spec-check check --staged
"#;

/// Why a hook operation failed. Each message is one line that says what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// The repository could not be read.
    #[error(transparent)]
    Git(#[from] GitError),
    /// A pre-commit hook spec-check did not write is in the way.
    #[error(
        "`{}` exists and was not written by spec-check; leaving it alone (rerun with --force to replace it and keep a backup, or call spec-check from that hook)",
        path.display()
    )]
    Foreign { path: PathBuf },
    /// A file operation failed.
    #[error("cannot {action} `{}`: {error}; check that the hooks directory is writable", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        error: io::Error,
    },
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> HookError {
    move |error| HookError::Io {
        action,
        path: path.to_owned(),
        error,
    }
}

/// What is at the hook path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookStatus {
    /// No pre-commit hook.
    NotInstalled,
    /// spec-check's hook (it carries [`MARKER`]).
    Ours { path: PathBuf },
    /// Some other pre-commit hook.
    Foreign { path: PathBuf },
}

/// What [`install`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallOutcome {
    /// There was no hook; ours is written.
    Installed { path: PathBuf },
    /// Our hook was already there, identical; nothing written.
    Unchanged { path: PathBuf },
    /// Our hook was there with other content (an older version or edited); rewritten.
    Updated { path: PathBuf },
    /// A foreign hook was moved to `backup` (`force`) and ours written.
    Replaced { path: PathBuf, backup: PathBuf },
}

/// What [`uninstall`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UninstallOutcome {
    /// Our hook was removed. `backups` lists hooks kept by `install --force`; they are not restored.
    Removed {
        path: PathBuf,
        backups: Vec<PathBuf>,
    },
    /// Nothing of ours to remove. `foreign` is a hook spec-check did not write (left alone); `backups` as above.
    NotInstalled {
        foreign: Option<PathBuf>,
        backups: Vec<PathBuf>,
    },
}

impl fmt::Display for InstallOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstallOutcome::Installed { path } => {
                write!(f, "installed the pre-commit hook at {}", path.display())
            }
            InstallOutcome::Unchanged { path } => write!(
                f,
                "the pre-commit hook at {} is already installed",
                path.display()
            ),
            InstallOutcome::Updated { path } => {
                write!(f, "updated the pre-commit hook at {}", path.display())
            }
            InstallOutcome::Replaced { path, backup } => write!(
                f,
                "replaced the pre-commit hook at {} (the previous hook is saved as {})",
                path.display(),
                backup.display()
            ),
        }
    }
}

impl fmt::Display for UninstallOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UninstallOutcome::Removed { path, backups } => {
                write!(f, "removed the pre-commit hook at {}", path.display())?;
                for b in backups {
                    write!(
                        f,
                        "\nnote: a backup of an earlier hook is at {} (not restored)",
                        b.display()
                    )?;
                }
                Ok(())
            }
            UninstallOutcome::NotInstalled {
                foreign: Some(p), ..
            } => write!(
                f,
                "the pre-commit hook at {} was not written by spec-check; left alone",
                p.display()
            ),
            UninstallOutcome::NotInstalled { foreign: None, .. } => {
                f.write_str("no spec-check pre-commit hook is installed")
            }
        }
    }
}

impl HookStatus {
    /// Whether spec-check's hook is the one git runs.
    pub fn installed(&self) -> bool {
        matches!(self, HookStatus::Ours { .. })
    }
}

impl fmt::Display for HookStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HookStatus::NotInstalled => {
                f.write_str("not installed (run `spec-check hook install`)")
            }
            HookStatus::Ours { path } => write!(f, "installed at {}", path.display()),
            HookStatus::Foreign { path } => write!(
                f,
                "not installed: a pre-commit hook not written by spec-check is at {} (call spec-check from it, or `spec-check hook install --force` to replace it)",
                path.display()
            ),
        }
    }
}

/// Whether the run is a git hook's: `hook install`'s (`staged`: it runs `check --staged`)
/// or the pre-commit framework's (it sets `PRE_COMMIT=1`).
pub fn running_in_hook(staged: bool) -> bool {
    staged || std::env::var_os("PRE_COMMIT").is_some_and(|v| v == "1")
}

/// The last line of a commit the hook blocks: how to adopt the gate gradually, and how to
/// get past it once.
pub fn blocked_commit_hint(has_baseline: bool) -> String {
    let gradual = if has_baseline {
        "refresh the baseline with `spec-check baseline` to accept the findings as they are"
    } else {
        "record today's findings with `spec-check baseline` (and set `baseline = \"spec-check-baseline.json\"` in spec-check.toml) so that only new ones block"
    };
    format!(
        "commit blocked by spec-check: fix the findings above, {gradual}, or skip the check once with `git commit --no-verify`"
    )
}

/// The hooks directory git uses for this work tree: `core.hooksPath` if set (relative paths are relative to
/// the work tree root, `~/` is expanded), else `<common dir>/hooks`, shared by linked worktrees.
pub fn hooks_dir(repo: &GitRepo) -> Result<PathBuf, GitError> {
    match repo.config_path("core.hooksPath")? {
        Some(path) if !path.as_os_str().is_empty() => Ok(if path.is_absolute() {
            path
        } else {
            repo.work_tree().join(path)
        }),
        _ => Ok(repo.common_dir().join("hooks")),
    }
}

/// The path of the pre-commit hook git would run.
pub fn hook_path(repo: &GitRepo) -> Result<PathBuf, GitError> {
    Ok(hooks_dir(repo)?.join(HOOK_NAME))
}

/// What occupies `path`: nothing, our hook, or something else (including a directory or unreadable file).
fn classify(path: &Path) -> Result<HookStatus, HookError> {
    match fs::symlink_metadata(path) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(HookStatus::NotInstalled),
        Err(err) => return Err(io_error("inspect", path)(err)),
        Ok(_) => {}
    }
    let ours = fs::read(path)
        .map(|content| is_ours(&content))
        .unwrap_or(false);
    let path = path.to_owned();
    Ok(if ours {
        HookStatus::Ours { path }
    } else {
        HookStatus::Foreign { path }
    })
}

fn is_ours(content: &[u8]) -> bool {
    content
        .split(|&b| b == b'\n')
        .any(|line| line.strip_suffix(b"\r").unwrap_or(line).trim_ascii() == MARKER.as_bytes())
}

/// What is installed as the pre-commit hook.
pub fn status(repo: &GitRepo) -> Result<HookStatus, HookError> {
    classify(&hook_path(repo)?)
}

/// Existing backups of replaced hooks in `dir`, oldest first.
fn backups(dir: &Path) -> Vec<PathBuf> {
    (0..)
        .map(|n| backup_path(dir, n))
        .take_while(|path| fs::symlink_metadata(path).is_ok())
        .collect()
}

fn backup_path(dir: &Path, n: usize) -> PathBuf {
    if n == 0 {
        dir.join(BACKUP_NAME)
    } else {
        dir.join(format!("{BACKUP_NAME}.{n}"))
    }
}

/// The first backup name not taken yet.
fn free_backup_path(dir: &Path) -> PathBuf {
    (0..)
        .map(|n| backup_path(dir, n))
        .find(|path| fs::symlink_metadata(path).is_err())
        .expect("an unbounded range has a free name")
}

/// Write the pre-commit hook. A hook spec-check did not write is refused unless `force`, which moves it to a
/// backup first (an existing backup is never overwritten: the new one is numbered). Creates the hooks
/// directory if needed; the hook is made executable (755) on unix. Reinstalling is a no-op.
pub fn install(repo: &GitRepo, force: bool) -> Result<InstallOutcome, HookError> {
    let dir = hooks_dir(repo)?;
    let path = dir.join(HOOK_NAME);
    let mut backup = None;
    match classify(&path)? {
        HookStatus::Ours { path } => {
            let current = fs::read(&path).map_err(io_error("read", &path))?;
            if current == HOOK_SCRIPT.as_bytes() && is_executable(&path) {
                return Ok(InstallOutcome::Unchanged { path });
            }
        }
        HookStatus::Foreign { path } if !force => return Err(HookError::Foreign { path }),
        HookStatus::Foreign { path } => {
            let target = free_backup_path(&dir);
            fs::rename(&path, &target).map_err(io_error("move aside", &path))?;
            backup = Some(target);
        }
        HookStatus::NotInstalled => fs::create_dir_all(&dir).map_err(io_error("create", &dir))?,
    }
    let existed = path.exists();
    write_executable(&dir, &path)?;
    Ok(match backup {
        Some(backup) => InstallOutcome::Replaced { path, backup },
        None if existed => InstallOutcome::Updated { path },
        None => InstallOutcome::Installed { path },
    })
}

/// Write [`HOOK_SCRIPT`] to `path` through a temporary file in `dir`, so a failure leaves no half hook.
fn write_executable(dir: &Path, path: &Path) -> Result<(), HookError> {
    let temp = dir.join(format!("{HOOK_NAME}.spec-check-tmp"));
    fs::write(&temp, HOOK_SCRIPT).map_err(io_error("write", &temp))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(err) = fs::set_permissions(&temp, fs::Permissions::from_mode(0o755)) {
            let _ = fs::remove_file(&temp);
            return Err(io_error("make executable", &temp)(err));
        }
    }
    if let Err(err) = fs::rename(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(io_error("write", path)(err));
    }
    Ok(())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & 0o777 == 0o755)
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    true
}

/// Remove our pre-commit hook. A hook spec-check did not write is left alone, and a backup made by
/// `install --force` is reported, never restored silently.
pub fn uninstall(repo: &GitRepo) -> Result<UninstallOutcome, HookError> {
    let dir = hooks_dir(repo)?;
    let backups = backups(&dir);
    match classify(&dir.join(HOOK_NAME))? {
        HookStatus::Ours { path } => {
            fs::remove_file(&path).map_err(io_error("remove", &path))?;
            Ok(UninstallOutcome::Removed { path, backups })
        }
        HookStatus::Foreign { path } => Ok(UninstallOutcome::NotInstalled {
            foreign: Some(path),
            backups,
        }),
        HookStatus::NotInstalled => Ok(UninstallOutcome::NotInstalled {
            foreign: None,
            backups,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_carries_the_marker_and_runs_staged_check() {
        assert!(is_ours(HOOK_SCRIPT.as_bytes()));
        assert!(HOOK_SCRIPT.starts_with("#!/bin/sh\n"));
        assert!(HOOK_SCRIPT.contains("exec spec-check check --staged\n"));
        assert!(!is_ours(
            b"#!/bin/sh\necho '# installed by spec-check, not'\n"
        ));
        assert!(is_ours(b"#!/bin/sh\r\n# installed by spec-check\r\n"));
    }
}
