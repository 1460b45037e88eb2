//! `spec_check::hook` (install / uninstall / status of the pre-commit hook) on real repositories, including
//! running the written hook through `git commit`.

use crate::gitrepo;

use std::fs;
use std::path::{Path, PathBuf};

use crate::gitrepo::{Repo, write};
use spec_check::hook::{
    self, BACKUP_NAME, HOOK_SCRIPT, HookError, HookStatus, InstallOutcome, UninstallOutcome,
};
use spec_check::source::git::GitRepo;

fn open(dir: &Path) -> GitRepo {
    for var in ["GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"] {
        assert!(
            std::env::var_os(var).is_none(),
            "{var} is set in the test environment; unset it to run these tests"
        );
    }
    GitRepo::discover(dir).unwrap()
}

fn canon(path: &Path) -> PathBuf {
    path.canonicalize().unwrap()
}

const FOREIGN: &str = "#!/bin/sh\necho someone else's hook\n";

#[test]
fn install_status_reinstall_uninstall() {
    let repo = Repo::new();
    let git_repo = open(&repo.dir);
    let expected = repo.dir.join(".git/hooks/pre-commit");
    assert_eq!(
        canon(&hook::hooks_dir(&git_repo).unwrap()),
        canon(&repo.dir.join(".git/hooks"))
    );
    assert_eq!(hook::status(&git_repo).unwrap(), HookStatus::NotInstalled);

    let outcome = hook::install(&git_repo, false).unwrap();
    let InstallOutcome::Installed { path } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(canon(&path), canon(&expected));
    assert_eq!(fs::read_to_string(&path).unwrap(), HOOK_SCRIPT);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o755
        );
    }
    assert!(matches!(
        hook::status(&git_repo).unwrap(),
        HookStatus::Ours { .. }
    ));

    // Idempotent.
    assert!(matches!(
        hook::install(&git_repo, false).unwrap(),
        InstallOutcome::Unchanged { .. }
    ));
    // An older or edited version of our hook is refreshed without --force.
    fs::write(
        &path,
        "#!/bin/sh\n# installed by spec-check\nexec spec-check check\n",
    )
    .unwrap();
    assert!(matches!(
        hook::install(&git_repo, false).unwrap(),
        InstallOutcome::Updated { .. }
    ));
    assert_eq!(fs::read_to_string(&path).unwrap(), HOOK_SCRIPT);

    let outcome = hook::uninstall(&git_repo).unwrap();
    assert!(
        matches!(&outcome, UninstallOutcome::Removed { backups, .. } if backups.is_empty()),
        "{outcome:?}"
    );
    assert!(!path.exists());
    assert_eq!(hook::status(&git_repo).unwrap(), HookStatus::NotInstalled);
    assert_eq!(
        hook::uninstall(&git_repo).unwrap(),
        UninstallOutcome::NotInstalled {
            foreign: None,
            backups: vec![]
        }
    );
}

#[test]
fn foreign_hook_is_refused_without_force_and_backed_up_with_it() {
    let repo = Repo::new();
    let git_repo = open(&repo.dir);
    let hooks = repo.dir.join(".git/hooks");
    fs::create_dir_all(&hooks).unwrap();
    let path = hooks.join("pre-commit");
    fs::write(&path, FOREIGN).unwrap();

    assert!(matches!(
        hook::status(&git_repo).unwrap(),
        HookStatus::Foreign { .. }
    ));
    let err = hook::install(&git_repo, false).unwrap_err();
    assert!(matches!(err, HookError::Foreign { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("--force"), "{message}");
    assert!(!message.contains('\n'), "{message}");
    assert_eq!(fs::read_to_string(&path).unwrap(), FOREIGN);

    // Uninstall leaves a foreign hook alone.
    let outcome = hook::uninstall(&git_repo).unwrap();
    assert!(
        matches!(
            &outcome,
            UninstallOutcome::NotInstalled {
                foreign: Some(_),
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), FOREIGN);

    // --force keeps a backup.
    let outcome = hook::install(&git_repo, true).unwrap();
    let InstallOutcome::Replaced { backup, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(backup.file_name().unwrap(), BACKUP_NAME);
    assert_eq!(fs::read_to_string(&backup).unwrap(), FOREIGN);
    assert_eq!(fs::read_to_string(&path).unwrap(), HOOK_SCRIPT);

    // --force over our own hook replaces nothing and makes no backup.
    assert!(matches!(
        hook::install(&git_repo, true).unwrap(),
        InstallOutcome::Unchanged { .. }
    ));

    // A second foreign hook forced over: the first backup is not clobbered.
    fs::write(&path, "#!/bin/sh\necho second\n").unwrap();
    let InstallOutcome::Replaced { backup: second, .. } = hook::install(&git_repo, true).unwrap()
    else {
        panic!("expected a replacement")
    };
    assert_eq!(
        second.file_name().unwrap().to_str().unwrap(),
        format!("{BACKUP_NAME}.1")
    );
    assert_eq!(fs::read_to_string(&backup).unwrap(), FOREIGN);
    assert_eq!(
        fs::read_to_string(&second).unwrap(),
        "#!/bin/sh\necho second\n"
    );

    // Uninstall removes ours, reports the backups, restores nothing.
    let outcome = hook::uninstall(&git_repo).unwrap();
    let UninstallOutcome::Removed { backups, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(backups, vec![backup.clone(), second.clone()]);
    assert!(!path.exists());
    assert!(backup.exists() && second.exists());
}

#[test]
fn core_hooks_path_relative_to_work_tree_root() {
    let repo = Repo::new();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    fs::create_dir_all(repo.dir.join("docs/deep")).unwrap();
    // Discovered from a subdirectory: still relative to the work tree root, and the directory is created.
    let git_repo = open(&repo.dir.join("docs/deep"));
    let dir = hook::hooks_dir(&git_repo).unwrap();
    assert_eq!(dir.file_name().unwrap(), ".githooks");
    assert_eq!(canon(dir.parent().unwrap()), canon(&repo.dir));
    let InstallOutcome::Installed { path } = hook::install(&git_repo, false).unwrap() else {
        panic!("expected an installation")
    };
    assert_eq!(canon(&path), canon(&repo.dir.join(".githooks/pre-commit")));
    assert!(!repo.dir.join(".git/hooks/pre-commit").exists());
    assert!(!repo.dir.join("docs/deep/.githooks").exists());

    // An absolute core.hooksPath is used as is.
    let elsewhere = repo.sibling("shared-hooks");
    repo.git(&["config", "core.hooksPath", elsewhere.to_str().unwrap()]);
    let git_repo = open(&repo.dir);
    assert_eq!(hook::hooks_dir(&git_repo).unwrap(), elsewhere);
}

#[test]
fn linked_worktree_installs_into_the_common_hooks_dir() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    let linked = repo.sibling("linked");
    repo.git(&["worktree", "add", "-q", linked.to_str().unwrap()]);

    let from_linked = open(&linked);
    let InstallOutcome::Installed { path } = hook::install(&from_linked, false).unwrap() else {
        panic!("expected an installation")
    };
    assert_eq!(canon(&path), canon(&repo.dir.join(".git/hooks/pre-commit")));
    assert!(matches!(
        hook::status(&open(&repo.dir)).unwrap(),
        HookStatus::Ours { .. }
    ));
}

/// A directory holding a `git` symlink and, if `spec_check` is given, a fake `spec-check` script.
fn fake_path(repo: &Repo, spec_check: Option<&str>) -> PathBuf {
    let bin = repo.sibling("bin");
    fs::create_dir_all(&bin).unwrap();
    let real_git = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|dir| dir.join("git"))
        .find(|candidate| candidate.is_file())
        .expect("git on PATH");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::os::unix::fs::symlink(real_git, bin.join("git")).unwrap();
        if let Some(script) = spec_check {
            let fake = bin.join("spec-check");
            fs::write(&fake, script).unwrap();
            fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    bin
}

fn commit_with_path(repo: &Repo, path: &Path) -> std::process::Output {
    gitrepo::git_cmd(&repo.dir)
        .env("PATH", path)
        .args(["commit", "-q", "-m", "try"])
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn written_hook_runs_spec_check_and_blocks_on_failure() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    hook::install(&open(&repo.dir), false).unwrap();
    let log = repo.sibling("calls.log");
    // The fake fails when the staged content says "bad", as the real check would on a bad spec. PATH holds
    // only git and the fake, so the script sticks to shell builtins.
    let script = format!(
        "#!/bin/sh\necho \"$PWD $*\" >> '{}'\ncase \"$(git show :docs/a.md)\" in *bad*) echo 'bad spec' >&2; exit 1;; esac\nexit 0\n",
        log.display()
    );
    let bin = fake_path(&repo, Some(&script));

    write(&repo.dir, "docs/a.md", "bad\n");
    repo.git(&["add", "docs/a.md"]);
    let output = commit_with_path(&repo, &bin);
    assert!(!output.status.success(), "the hook must block the commit");
    assert!(String::from_utf8_lossy(&output.stderr).contains("bad spec"));
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "1");

    write(&repo.dir, "docs/a.md", "good\n");
    repo.git(&["add", "docs/a.md"]);
    let output = commit_with_path(&repo, &bin);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "2");

    let calls = fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = calls.lines().collect();
    assert_eq!(lines.len(), 2, "{calls}");
    for line in lines {
        assert!(line.ends_with(" check --staged"), "{line}");
        // git runs the hook at the work tree root.
        let cwd = line.strip_suffix(" check --staged").unwrap();
        assert_eq!(canon(Path::new(cwd)), canon(&repo.dir));
    }
}

#[cfg(unix)]
#[test]
fn written_hook_explains_a_missing_binary() {
    let repo = Repo::new();
    repo.commit(&[("docs/a.md", "a\n")], "init");
    hook::install(&open(&repo.dir), false).unwrap();
    let bin = fake_path(&repo, None);
    write(&repo.dir, "docs/a.md", "changed\n");
    repo.git(&["add", "docs/a.md"]);

    let output = commit_with_path(&repo, &bin);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr
        .lines()
        .find(|line| line.starts_with("spec-check:"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("not found on PATH"), "{line}");
    assert!(line.contains("cargo install"), "{line}");
    assert!(line.contains("pre-commit"), "{line}");
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("spec-check:"))
            .count(),
        1
    );
}
