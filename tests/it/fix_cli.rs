//! `--fix`, `--diff`, `--unsafe-fixes` and `spec-check new` as a user meets them: the patch
//! applies with `git apply` and `patch -p1` and gives the same bytes as `--fix`; files are
//! replaced atomically or not at all; the index is never "fixed" behind the user's back.

use crate::gitrepo;
use crate::support;

use std::fs;
use std::path::Path;

use crate::gitrepo::{Repo, git, git_cmd};
use assert_cmd::Command;
use predicates::str::contains;

fn spec_check(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("spec-check").expect("binary");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GITHUB_ACTIONS");
    cmd
}

const SPEC: &str = "docs/06-technical-specification.md";
const STATUS_IN_PROGRESS: &str = "# Status\n\n- [x] Step 5: Interface States\n- [ ] Step 6: Technical Specification (in progress)\n";

/// A spec with a numbering slip (safe fix), a variant title and a missing section (unsafe).
fn flawed_spec() -> String {
    let complete = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/sections/complete.md"),
    )
    .unwrap();
    let mut out = String::new();
    let mut skip = false;
    for line in complete.split_inclusive('\n') {
        if line.starts_with("## 12. ") {
            skip = true;
        } else if line.starts_with("## ") {
            skip = false;
        }
        if !skip {
            out.push_str(line);
        }
    }
    out.replace("## 8. Testing Strategy", "## 9. Testing Strategy")
        .replace("## 4. API Specification", "## 4. API Specs")
}

/// Write a project (prerequisites, status file, spec) into `dir`.
fn write_project(dir: &Path, spec: &str, status: &str) {
    for n in support::PREREQUISITES {
        gitrepo::write(dir, &format!("docs/{n}"), "# prerequisite\n");
    }
    gitrepo::write(dir, ".vibe-status.md", status);
    gitrepo::write(dir, SPEC, spec);
}

fn committed_repo(spec: &str, status: &str) -> Repo {
    let repo = Repo::new();
    write_project(&repo.dir, spec, status);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "spec"]);
    repo
}

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    fs::read(dir.join(rel)).unwrap()
}

/// The patch printed by `--diff` applies with `git apply` (checked first) and with
/// `patch -p1`, and both give exactly the bytes `--fix` writes, for LF and for CRLF+BOM text.
#[test]
fn diff_applies_and_matches_fix() {
    for (name, spec, status) in [
        ("lf", flawed_spec(), STATUS_IN_PROGRESS.to_string()),
        (
            "crlf-bom",
            format!("\u{feff}{}", flawed_spec().replace('\n', "\r\n")),
            STATUS_IN_PROGRESS.replace('\n', "\r\n"),
        ),
    ] {
        let patched = committed_repo(&spec, &status);
        let fixed = committed_repo(&spec, &status);
        let out = spec_check(&patched.dir)
            .args(["check", "--diff", "--unsafe-fixes"])
            .assert()
            .code(1)
            .stderr(contains("Would fix"))
            .get_output()
            .stdout
            .clone();
        let patch = String::from_utf8(out).unwrap();
        assert!(
            patch.contains("--- a/docs/06-technical-specification.md"),
            "{name}: {patch}"
        );
        assert!(patch.contains("+++ b/.vibe-status.md"), "{name}: {patch}");
        // --diff wrote nothing
        assert_eq!(read(&patched.dir, SPEC), spec.as_bytes(), "{name}");
        let patch_file = patched.sibling(&format!("{name}.patch"));
        fs::write(&patch_file, &patch).unwrap();
        let p = patch_file.to_str().unwrap();
        git(&patched.dir, &["apply", "--check", p]);

        spec_check(&fixed.dir)
            .args(["check", "--fix", "--unsafe-fixes"])
            .assert()
            .stdout(contains("Fixed "));
        assert_ne!(
            read(&fixed.dir, SPEC),
            spec.as_bytes(),
            "{name}: --fix changed nothing"
        );

        git(&patched.dir, &["apply", p]);
        for f in [SPEC, ".vibe-status.md"] {
            assert_eq!(
                read(&patched.dir, f),
                read(&fixed.dir, f),
                "{name}: {f} differs between `git apply` of --diff and --fix"
            );
        }

        // GNU patch, where installed, reads the same patch
        let has_patch = std::process::Command::new("patch")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if has_patch {
            let plain = committed_repo(&spec, &status);
            let st = std::process::Command::new("patch")
                .args(["-p1", "--binary", "-s", "-i", p])
                .current_dir(&plain.dir)
                .status()
                .unwrap();
            assert!(st.success(), "{name}: patch -p1 failed");
            assert_eq!(
                read(&plain.dir, SPEC),
                read(&fixed.dir, SPEC),
                "{name}: patch -p1"
            );
        }

        // fixed is fixed: nothing more to do
        spec_check(&fixed.dir)
            .args(["check", "--diff", "--unsafe-fixes"])
            .assert()
            .code(0)
            .stdout("")
            .stderr(contains("No fixes to apply."));
    }
}

/// Without --unsafe-fixes only the safe renumbering is applied; the summary says what was
/// fixed and what remains, and how many more --unsafe-fixes would fix.
#[test]
fn fix_applies_safe_fixes_and_reports() {
    let repo = committed_repo(&flawed_spec(), STATUS_IN_PROGRESS);
    spec_check(&repo.dir)
        .args(["check", "--fix"])
        .assert()
        .code(1)
        .stdout(predicates::str::is_match(r"Fixed [1-9]\d* findings? \(\d+ remaining\)\.").unwrap())
        .stdout(contains("fixable with --fix --unsafe-fixes."));
    let text = String::from_utf8(read(&repo.dir, SPEC)).unwrap();
    assert!(text.contains("## 8. Testing Strategy"), "renumbered");
    assert!(
        text.contains("## 4. API Specs"),
        "unsafe rename not applied"
    );
    assert_eq!(
        read(&repo.dir, ".vibe-status.md"),
        STATUS_IN_PROGRESS.as_bytes()
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let repo = committed_repo(&flawed_spec(), STATUS_IN_PROGRESS);
    let path = repo.dir.join(SPEC);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    spec_check(&repo.dir)
        .args(["check", "--fix"])
        .assert()
        .code(1);
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // no temporary file left behind
    let leftovers: Vec<_> = fs::read_dir(repo.dir.join("docs"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn read_only_file_or_directory_is_a_clear_error_and_nothing_changes() {
    use std::os::unix::fs::PermissionsExt;
    let spec = flawed_spec();
    // a read-only file
    let repo = committed_repo(&spec, STATUS_IN_PROGRESS);
    let path = repo.dir.join(SPEC);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    spec_check(&repo.dir)
        .args(["check", "--fix", "--unsafe-fixes"])
        .assert()
        .code(2)
        .stderr(contains(
            "docs/06-technical-specification.md: the file is read-only",
        ));
    assert_eq!(read(&repo.dir, SPEC), spec.as_bytes());
    // nothing else was written either (the status file fix goes with it)
    assert_eq!(
        read(&repo.dir, ".vibe-status.md"),
        STATUS_IN_PROGRESS.as_bytes()
    );

    // a read-only directory
    let repo = committed_repo(&spec, STATUS_IN_PROGRESS);
    let docs = repo.dir.join("docs");
    fs::set_permissions(&docs, fs::Permissions::from_mode(0o555)).unwrap();
    let assert = spec_check(&repo.dir)
        .args(["check", "--fix"])
        .assert()
        .code(2)
        .stderr(contains("is read-only"));
    fs::set_permissions(&docs, fs::Permissions::from_mode(0o755)).unwrap();
    drop(assert);
    assert_eq!(read(&repo.dir, SPEC), spec.as_bytes());
}

/// A write that fails part-way (the disk fills up) leaves every original file as it was and
/// no temporary file behind. The failure is made real with a file-size limit (`ulimit -f`):
/// writing past it fails with EFBIG, as writing to a full disk fails with ENOSPC.
#[cfg(unix)]
#[test]
fn a_write_failing_part_way_leaves_the_originals_intact() {
    let spec = flawed_spec();
    assert!(spec.len() > 4096, "the spec must be larger than the limit");
    let repo = committed_repo(&spec, STATUS_IN_PROGRESS);
    let bin = assert_cmd::cargo::cargo_bin("spec-check");
    let out = std::process::Command::new("bash")
        .current_dir(&repo.dir)
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GITHUB_ACTIONS")
        // SIGXFSZ ignored, so the write returns an error instead of killing the process
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 2; exec \"$0\" check --fix --unsafe-fixes",
        ])
        .arg(&bin)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write the fixed file") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert_eq!(read(&repo.dir, SPEC), spec.as_bytes());
    assert_eq!(
        read(&repo.dir, ".vibe-status.md"),
        STATUS_IN_PROGRESS.as_bytes()
    );
    let leftovers: Vec<_> = fs::read_dir(repo.dir.join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp") || n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `--staged --fix` would write the work tree from the index: refused, pointing at
/// `--staged --diff`, whose patch applies to the index.
#[test]
fn staged_fix_is_refused_and_staged_diff_patches_the_index() {
    let repo = committed_repo(&flawed_spec(), STATUS_IN_PROGRESS);
    // the staged version differs from the working file
    let staged = flawed_spec().replace("## 3. Detailed", "## 2. Detailed");
    repo.write(SPEC, &staged);
    repo.git(&["add", SPEC]);
    repo.write(SPEC, &format!("{staged}\nA line not staged yet.\n"));
    let before = read(&repo.dir, SPEC);
    spec_check(&repo.dir)
        .args(["check", "--staged", "--fix"])
        .assert()
        .code(2)
        .stderr(contains("--staged --diff"));
    assert_eq!(read(&repo.dir, SPEC), before);

    let out = spec_check(&repo.dir)
        .args(["check", "--staged", "--diff"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let patch = repo.sibling("staged.patch");
    fs::write(&patch, out).unwrap();
    git(&repo.dir, &["apply", "--cached", patch.to_str().unwrap()]);
    let index = git_cmd(&repo.dir)
        .args(["show", &format!(":{SPEC}")])
        .output()
        .unwrap();
    let index = String::from_utf8(index.stdout).unwrap();
    assert!(
        index.contains("## 3. Detailed Component Specifications"),
        "{index}"
    );
    assert!(index.contains("## 8. Testing Strategy"));
    // the working file was not touched
    assert_eq!(read(&repo.dir, SPEC), before);
}

#[test]
fn fix_and_diff_exclude_each_other() {
    let repo = committed_repo(&flawed_spec(), STATUS_IN_PROGRESS);
    spec_check(&repo.dir)
        .args(["check", "--fix", "--diff"])
        .assert()
        .code(2);
}

/// `spec-check new` writes the skeleton at the repository root's docs/ (from a
/// subdirectory too), never overwrites, and the skeleton checks clean but for its empty
/// sections.
#[test]
fn new_writes_a_skeleton_that_only_lacks_content() {
    let repo = Repo::new();
    write_project(&repo.dir, "", STATUS_IN_PROGRESS);
    fs::remove_file(repo.dir.join(SPEC)).unwrap();
    gitrepo::write(
        &repo.dir,
        ".vibe-status.md",
        "- [x] Step 6: Technical Specification\n",
    );
    fs::create_dir_all(repo.dir.join("src")).unwrap();
    spec_check(&repo.dir.join("src"))
        .arg("new")
        .assert()
        .code(0)
        .stderr(contains("docs/06-technical-specification.md"));
    let text = String::from_utf8(read(&repo.dir, SPEC)).unwrap();
    assert!(text.starts_with("# Technical Specification\n"));
    assert!(text.contains("## 13. Service Integration Specifications\n"));
    assert!(text.contains("### 13.2 Environment Variables & Configuration\n"));

    // checking it: only empty-section findings
    let out = spec_check(&repo.dir)
        .args(["check", "--format", "concise"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    assert!(lines.iter().any(|l| l.contains(" SC007 ")));
    // every finding is about a section being empty: it is the empty-section rule, or another
    // rule (security, testing, …) reporting on the heading of a section that rule calls empty
    let position = |l: &str| l.split(' ').next().unwrap_or("").to_string();
    let empty: Vec<String> = lines
        .iter()
        .filter(|l| l.contains(" SC007 "))
        .map(|l| position(l))
        .collect();
    for l in &lines {
        assert!(
            empty.contains(&position(l)),
            "a finding not about an empty section: {l}\n{out}"
        );
    }
    // no fixes to offer on it either
    spec_check(&repo.dir)
        .args(["check", "--diff", "--unsafe-fixes"])
        .assert()
        .code(0);

    // never overwrites
    let before = read(&repo.dir, SPEC);
    spec_check(&repo.dir)
        .arg("new")
        .assert()
        .code(2)
        .stderr(contains("already exists"));
    assert_eq!(read(&repo.dir, SPEC), before);
    // an explicit path
    spec_check(&repo.dir)
        .args(["new", "specs/other.md"])
        .assert()
        .code(0);
    assert!(repo.dir.join("specs/other.md").is_file());
}
