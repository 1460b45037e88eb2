//! The git modes end to end through the binary: `--staged` (pre-commit), `--base` (pull
//! requests), `--changed-lines-only`, and the installed hook blocking a real `git commit`.

use crate::gitrepo::{Repo, SPEC, git_cmd, good_spec, project_with, spec_check};
use predicates::prelude::*;
use predicates::str::contains;

/// A repository whose first commit holds a complete project.
fn project() -> Repo {
    project_with(&good_spec())
}

#[test]
fn staged_checks_the_index_not_the_work_tree() {
    let repo = project();
    // stage a placeholder, then hide it in the work tree
    let staged = good_spec().replace("Pawpath Technical", "{Project Name} Technical");
    repo.write(SPEC, &staged);
    repo.git(&["add", SPEC]);
    repo.write(SPEC, &good_spec());
    spec_check(&repo.dir)
        .args(["check", "--staged", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(contains("docs/06-technical-specification.md:1:3: SC008"));
    // the work tree itself is clean
    spec_check(&repo.dir)
        .args(["check", "--format", "concise"])
        .assert()
        .code(0);
}

#[test]
fn a_commit_that_stages_no_spec_prints_nothing() {
    let repo = project();
    spec_check(&repo.dir)
        .args(["check", "--staged"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
    // a staged file that is not a specification is not the hook's business either
    repo.write("README.md", "# readme\n");
    repo.git(&["add", "README.md"]);
    spec_check(&repo.dir)
        .args(["check", "--staged"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
}

#[test]
fn staged_sees_prerequisites_in_the_index() {
    let repo = project();
    repo.git(&["rm", "-q", "--cached", "docs/04-design-system.md"]);
    repo.write(SPEC, &format!("{}\n", good_spec()));
    repo.git(&["add", SPEC]);
    spec_check(&repo.dir)
        .args(["check", "--staged", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(contains(
            "04-design-system.md` (Step 4: Design System) is missing",
        ));
}

#[test]
fn base_checks_changed_files_and_changed_lines_only_filters() {
    let repo = project();
    let old = good_spec().replace("Pawpath Technical", "{Project Name} Technical");
    repo.commit(
        &[(SPEC, &old)],
        "a placeholder in the title, already on main",
    );
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let new = format!("{old}\nThe export format is TBD.\n");
    repo.commit(&[(SPEC, &new)], "add a TBD");
    let all = spec_check(&repo.dir)
        .args(["check", "--base", "main", "--format", "concise"])
        .output()
        .unwrap();
    let all = String::from_utf8(all.stdout).unwrap();
    assert!(
        all.contains("{Project Name}") && all.contains("`TBD`"),
        "{all}"
    );
    // the untouched title line's finding disappears; the changed line's stays
    let changed = spec_check(&repo.dir)
        .args([
            "check",
            "--base",
            "main",
            "--changed-lines-only",
            "--format",
            "concise",
        ])
        .output()
        .unwrap();
    let changed = String::from_utf8(changed.stdout).unwrap();
    assert!(changed.contains("`TBD` left in the document"), "{changed}");
    assert!(!changed.contains("{Project Name}"), "{changed}");
    // a file that did not change between the merge base and HEAD is not checked at all
    repo.git(&["checkout", "-q", "main"]);
    spec_check(&repo.dir)
        .args(["check", "--base", "main"])
        .assert()
        .code(0)
        .stdout(contains("0 files"));
}

#[test]
fn base_errors_are_one_clear_line() {
    let repo = project();
    spec_check(&repo.dir)
        .args(["check", "--base", "no-such-branch"])
        .assert()
        .code(2)
        .stderr(contains("no-such-branch"))
        .stderr(contains("panicked").not());
    let empty = Repo::new();
    spec_check(&empty.dir)
        .args(["check", "--base", "main"])
        .assert()
        .code(2)
        .stderr(contains("there is no commit yet"));
    let not_repo = tempfile::tempdir().unwrap();
    spec_check(not_repo.path())
        .args(["check", "--staged"])
        .assert()
        .code(2)
        .stderr(contains("error:"));
}

#[test]
fn hook_blocks_a_bad_commit_and_accepts_a_good_one() {
    let repo = project();
    spec_check(&repo.dir)
        .args(["hook", "install"])
        .assert()
        .code(0)
        .stdout(contains("installed"));
    spec_check(&repo.dir)
        .args(["hook", "status"])
        .assert()
        .code(0)
        .stdout(contains("installed at"));
    let bin_dir = assert_cmd::cargo::cargo_bin("spec-check")
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    repo.write(
        SPEC,
        &good_spec().replace("Pawpath Technical", "{Project Name} Technical"),
    );
    repo.git(&["add", SPEC]);
    let bad = git_cmd(&repo.dir)
        .env("PATH", &path)
        .args(["commit", "-q", "-m", "bad"])
        .output()
        .unwrap();
    assert!(!bad.status.success(), "the hook should block the commit");
    // git sends a hook's output to its stderr
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&bad.stdout),
        String::from_utf8_lossy(&bad.stderr)
    );
    assert!(said.contains("SC008"), "{said}");

    repo.write(SPEC, &format!("{}\nMore words.\n", good_spec()));
    repo.git(&["add", SPEC]);
    let good = git_cmd(&repo.dir)
        .env("PATH", &path)
        .args(["commit", "-q", "-m", "good"])
        .output()
        .unwrap();
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );

    spec_check(&repo.dir)
        .args(["hook", "uninstall"])
        .assert()
        .code(0)
        .stdout(contains("removed"));
}
