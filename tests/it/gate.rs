//! spec-check as a gate in hooks and CI: the pre-commit framework's hook as pre-commit runs
//! it, staged changed lines, what a blocked commit says, and the flags users of ruff,
//! eslint and markdownlint type.

use std::collections::BTreeMap;
use std::path::Path;

use crate::gitrepo::{Repo, SPEC, good_spec, project_with, spec_check};
use predicates::prelude::*;
use predicates::str::contains;

/// The hook of `.pre-commit-hooks.yaml`, as the pre-commit framework reads it.
struct PreCommitHook {
    entry: String,
    args: Vec<String>,
    files: regex::Regex,
    pass_filenames: bool,
}

fn pre_commit_hook() -> PreCommitHook {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let hooks: Vec<BTreeMap<String, serde_json::Value>> = serde_saphyr::from_str(&text).unwrap();
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "spec-check")
        .expect("a hook with id spec-check");
    PreCommitHook {
        entry: hook["entry"].as_str().unwrap().to_string(),
        args: hook
            .get("args")
            .and_then(|a| a.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect(),
        files: regex::Regex::new(hook["files"].as_str().unwrap()).unwrap(),
        // pre-commit's default is true
        pass_filenames: hook
            .get("pass_filenames")
            .is_none_or(|v| v.as_bool() == Some(true)),
    }
}

/// Run the hook the way pre-commit does: skipped when no file matches `files`, else
/// `entry` + `args` (+ the matching file names when `pass_filenames`), from the repository
/// root, with `PRE_COMMIT=1` in the environment. `None`: the hook was skipped.
fn run_pre_commit_hook(repo: &Repo, candidates: &[String]) -> Option<assert_cmd::assert::Assert> {
    let hook = pre_commit_hook();
    let files: Vec<&String> = candidates
        .iter()
        .filter(|f| hook.files.is_match(f))
        .collect();
    if files.is_empty() {
        return None;
    }
    let mut words = hook.entry.split_whitespace();
    assert_eq!(words.next(), Some("spec-check"));
    let mut cmd = spec_check(&repo.dir);
    cmd.env("PRE_COMMIT", "1")
        .args(words)
        .args(&hook.args)
        .args(["--format", "concise"]);
    if hook.pass_filenames {
        cmd.args(files);
    }
    Some(cmd.assert())
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

#[test]
fn pre_commit_run_all_files_checks_every_committed_spec() {
    let spec = good_spec().replace("Pawpath Technical", "{Project Name} Technical");
    let repo = project_with(&spec);
    // `pre-commit run --all-files`: every tracked file is a candidate, nothing is staged
    let all = lines(&repo.git(&["ls-files"]));
    run_pre_commit_hook(&repo, &all)
        .expect("docs/ markdown matches the hook's `files`")
        .code(1)
        .stdout(contains(format!("{SPEC}:1:3: SC008")))
        .stderr(contains("git commit --no-verify"));
}

#[test]
fn pre_commit_on_a_commit_checks_what_is_committed() {
    let repo = project_with(&good_spec());
    // pre-commit stashes unstaged changes, so the work tree is the commit
    repo.write(
        SPEC,
        &good_spec().replace("Pawpath Technical", "[X] Technical"),
    );
    repo.git(&["add", SPEC]);
    let staged = lines(&repo.git(&["diff", "--cached", "--name-only"]));
    run_pre_commit_hook(&repo, &staged)
        .unwrap()
        .code(1)
        .stdout(contains("SC008"));
    // a commit touching no markdown under docs/ does not run the hook at all
    assert!(run_pre_commit_hook(&repo, &["src/main.rs".to_string()]).is_none());
    // a clean commit passes
    repo.write(SPEC, &format!("{}\n", good_spec()));
    repo.git(&["add", SPEC]);
    run_pre_commit_hook(&repo, &[SPEC.to_string()])
        .unwrap()
        .code(0);
}

#[test]
fn staged_changed_lines_only_reports_the_staged_lines_that_changed() {
    // an old placeholder on line 1, committed
    let spec = good_spec().replace("Pawpath Technical", "{Project Name} Technical");
    let repo = project_with(&spec);
    // a new one staged further down
    let line_of_summary = spec
        .lines()
        .position(|l| l.contains("Executive Summary"))
        .unwrap()
        + 1;
    let staged = spec.replacen(
        "## 1. Executive Summary\n",
        "## 1. Executive Summary\n\nWe ship in [Number] weeks.\n",
        1,
    );
    repo.write(SPEC, &staged);
    repo.git(&["add", SPEC]);
    let out = spec_check(&repo.dir)
        .args([
            "check",
            "--staged",
            "--changed-lines-only",
            "--format",
            "concise",
            "--select",
            "SC008",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains(&format!("{SPEC}:{}:", line_of_summary + 2)),
        "{out}"
    );
    assert!(!out.contains(&format!("{SPEC}:1:3")), "{out}");
    // without the flag, both
    spec_check(&repo.dir)
        .args([
            "check", "--staged", "--format", "concise", "--select", "SC008",
        ])
        .assert()
        .code(1)
        .stdout(contains(format!("{SPEC}:1:3")));
    // the scorecard says it covers the whole file
    spec_check(&repo.dir)
        .args(["check", "--staged", "--changed-lines-only"])
        .assert()
        .stdout(contains(
            "whole file: it counts findings on unchanged lines, which are not listed",
        ));
    spec_check(&repo.dir)
        .args([
            "check",
            "--staged",
            "--changed-lines-only",
            "--format",
            "markdown",
        ])
        .assert()
        .stdout(contains("Findings (whole file)"));
    // only with a git mode
    spec_check(&repo.dir)
        .args(["check", "--changed-lines-only"])
        .assert()
        .code(2)
        .stderr(contains("--staged").or(contains("git_mode")));
}

#[test]
fn a_blocked_commit_ends_with_how_to_adopt_gradually_or_bypass_once() {
    let repo = project_with(&good_spec());
    repo.write(
        SPEC,
        &good_spec().replace("Pawpath Technical", "TBD Technical"),
    );
    repo.git(&["add", SPEC]);
    let assert = spec_check(&repo.dir)
        .args(["check", "--staged"])
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.contains("spec-check baseline") && last.contains("git commit --no-verify"),
        "{stderr}"
    );
    // not outside a hook
    spec_check(&repo.dir)
        .assert()
        .code(1)
        .stderr(contains("--no-verify").not());
}

#[test]
fn conventional_flags() {
    let spec = good_spec().replace("Pawpath Technical", "{Project Name} Technical");
    let repo = project_with(&spec);
    // --output-format is --format (clap used to suggest --output, which wrote a file)
    spec_check(&repo.dir)
        .args(["--output-format", "concise"])
        .assert()
        .code(1)
        .stdout(contains(format!("{SPEC}:1:3: SC008")));
    assert!(!repo.dir.join("concise").exists());
    // --exit-zero reports but passes; a file that cannot be checked still fails
    spec_check(&repo.dir)
        .args(["--exit-zero", "--output-format", "concise"])
        .assert()
        .code(0)
        .stdout(contains("SC008"));
    // -c is --config; `warn` is `warning` in the file and on the command line
    repo.write(
        "conf/strict.toml",
        "fail-on = \"warn\"\n[severity]\nSC008 = \"warn\"\n",
    );
    spec_check(&repo.dir)
        .args([
            "-c",
            "conf/strict.toml",
            "--format",
            "concise",
            "--select",
            "SC008",
        ])
        .assert()
        .code(1)
        .stdout(contains("SC008 [warning]"));
    spec_check(&repo.dir)
        .args(["--fail-on", "warn", "--select", "SC008", "-q"])
        .assert()
        .code(1);
}

#[test]
fn did_you_mean_everywhere() {
    let repo = project_with(&good_spec());
    // configuration keys
    repo.write("spec-check.toml", "max-file-sise = \"1MiB\"\n");
    spec_check(&repo.dir)
        .assert()
        .code(2)
        .stderr(contains("did you mean `max-file-size`?"));
    std::fs::remove_file(repo.dir.join("spec-check.toml")).unwrap();
    // pack ids
    spec_check(&repo.dir)
        .args(["--pack", "vibe-step6"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `vibe-step-6`?"));
    // rule codes and names
    spec_check(&repo.dir)
        .args(["rule", "SC07"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `SC007`?"))
        .stderr(contains("SC001, SC002").not());
    spec_check(&repo.dir)
        .args(["rule", "empty-sectoin"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `empty-section`?"));
    spec_check(&repo.dir)
        .args(["--ignore", "SC07"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `SC007`?"));
    // a rule of a pack that is not enabled: name the pack and how to enable it
    spec_check(&repo.dir)
        .args(["--ignore", "ADR001"])
        .assert()
        .code(2)
        .stderr(contains("built-in `adr` pack, which is not enabled"))
        .stderr(contains("--pack vibe-step-6,adr"))
        .stderr(contains("AD001").not());
    spec_check(&repo.dir)
        .args(["--pack", "vibe-step-6,adr", "--ignore", "ADR001", "-q"])
        .assert()
        .code(0);
}

#[test]
fn hook_status_answers_with_its_exit_code() {
    let repo = project_with(&good_spec());
    spec_check(&repo.dir)
        .args(["hook", "status"])
        .assert()
        .code(1)
        .stdout(contains("not installed"));
    spec_check(&repo.dir)
        .args(["hook", "install"])
        .assert()
        .code(0);
    spec_check(&repo.dir)
        .args(["hook", "status"])
        .assert()
        .code(0)
        .stdout(contains("installed at"));
    std::fs::write(
        repo.dir.join(".git/hooks/pre-commit"),
        "#!/bin/sh\nexit 0\n",
    )
    .unwrap();
    spec_check(&repo.dir)
        .args(["hook", "status"])
        .assert()
        .code(1)
        .stdout(contains("not written by spec-check"));
}

/// The demo's flawed project, in a repository of its own.
fn flawed_project() -> Repo {
    let repo = Repo::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/flawed/docs");
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        repo.write(
            &format!("docs/{name}"),
            &std::fs::read_to_string(entry.path()).unwrap(),
        );
    }
    repo.commit(&[], "flawed");
    repo
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// (code, fix title) of every fix `--fix --unsafe-fixes` refused, from its notes.
fn refused_fixes(stderr: &str) -> Vec<(String, String)> {
    stderr
        .lines()
        .filter_map(|l| l.split_once(": not applied: "))
        .filter_map(|(_, rest)| {
            let (title, rest) = rest.split_once(" (")?;
            let code = rest.split_whitespace().next()?;
            Some((code.to_string(), title.to_string()))
        })
        .collect()
}

#[test]
fn fixable_counts_only_fixes_the_engine_applies() {
    let repo = flawed_project();
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(spec_check(&repo.dir).args(["--format", "json"]))).unwrap();
    let offered: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["fix"].is_null())
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["fix"]["title"].as_str().unwrap().to_string(),
                d["fix"]["applicability"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let text = stdout_of(spec_check(&repo.dir).args(["--unsafe-fixes"]));
    let out = spec_check(&repo.dir)
        .args(["--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    let refused = refused_fixes(&String::from_utf8(out.stderr).unwrap());
    assert!(!refused.is_empty(), "the demo has a fix the engine refuses");
    for (code, title) in &refused {
        let promised = offered
            .iter()
            .filter(|(c, t, _)| c == code && t == title)
            .map(|(_, _, a)| a.as_str())
            .collect::<Vec<_>>();
        assert!(
            promised.iter().all(|a| *a == "display-only"),
            "{code} `{title}` is refused by --fix but offered as {promised:?}"
        );
    }
    // the summary's count is what the JSON says is fixable
    let fixable = json["summary"]["fixable"].as_u64().unwrap()
        + json["summary"]["unsafe_fixable"].as_u64().unwrap();
    assert!(
        text.contains(&format!("{fixable} fixable with --fix --unsafe-fixes.")),
        "{text}"
    );
}

#[test]
fn unsafe_fixes_without_fix_marks_them_fixable_like_ruff() {
    let repo = flawed_project();
    let plain = stdout_of(spec_check(&repo.dir).args(["--select", "SC001,SC003"]));
    assert!(
        plain.contains("fixable with --fix --unsafe-fixes."),
        "{plain}"
    );
    assert!(!plain.contains("[*]"), "{plain}");
    let marked =
        stdout_of(spec_check(&repo.dir).args(["--unsafe-fixes", "--select", "SC001,SC003"]));
    assert!(marked.contains("[*]"), "{marked}");
    // and --statistics marks them too
    let stats = stdout_of(spec_check(&repo.dir).args([
        "--statistics",
        "--unsafe-fixes",
        "--select",
        "SC001,SC003",
    ]));
    assert!(stats.contains("[*]"), "{stats}");
    assert!(
        stats.contains("`spec-check check --fix --unsafe-fixes`"),
        "{stats}"
    );
}

#[test]
fn diff_says_when_only_unsafe_fixes_exist() {
    let repo = flawed_project();
    spec_check(&repo.dir)
        .args(["--diff", "--select", "SC001"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("No safe fixes to apply; with --unsafe-fixes,"))
        .stderr(contains("`spec-check check --diff --unsafe-fixes`"));
    spec_check(&repo.dir)
        .args(["--diff", "--select", "SC001", "--unsafe-fixes"])
        .assert()
        .code(1)
        .stdout(contains("+## "));
}

#[test]
fn fix_says_which_findings_the_inserted_skeletons_carry() {
    let repo = flawed_project();
    spec_check(&repo.dir)
        .args(["--fix", "--unsafe-fixes", "--select", "SC001,SC007"])
        .assert()
        .stdout(predicates::str::is_match(
            r"Fixed \d+ findings? \(\d+ remaining, \d+ of them new: the fixes inserted text that is still to be written, such as empty section skeletons\)\.",
        )
        .unwrap());
}

#[cfg(unix)]
#[test]
fn fix_does_not_rewrite_a_file_outside_the_repository_through_a_link() {
    let spec = good_spec().replace("## 8. Testing Strategy", "## 9. Testing Strategy");
    let repo = project_with(&good_spec());
    let outside = repo.sibling("elsewhere.md");
    std::fs::write(&outside, &spec).unwrap();
    std::fs::remove_file(repo.dir.join(SPEC)).unwrap();
    std::os::unix::fs::symlink(&outside, repo.dir.join(SPEC)).unwrap();
    let before = std::fs::read_to_string(&outside).unwrap();
    spec_check(&repo.dir)
        .args(["--fix"])
        .assert()
        .stderr(contains(format!(
            "warning: {SPEC}: not fixed: it is a link to"
        )))
        .stderr(contains(
            "outside the repository; name the file on the command line",
        ));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), before);
    // named explicitly, it is the user's call
    spec_check(&repo.dir)
        .args(["--fix", SPEC])
        .assert()
        .stderr(contains("not fixed").not());
    assert_ne!(std::fs::read_to_string(&outside).unwrap(), before);
    assert!(repo.dir.join(SPEC).is_symlink(), "the link stays a link");
}
