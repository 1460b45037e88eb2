//! The command line as a user meets it: exit codes, formats, and one-line errors.

use crate::support;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn spec_check(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("spec-check").expect("binary");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS");
    cmd
}

const FLAWED: &str = "# {Project Name} Technical Specification\n\n## 1. Executive Summary\n\nTBD\n";

#[test]
fn findings_exit_1_with_rustc_style_report() {
    let dir = support::project(FLAWED);
    spec_check(dir.path())
        .assert()
        .code(1)
        .stdout(contains(
            "error[SC001]: missing section `2. System Architecture`",
        ))
        .stdout(contains("--> docs/06-technical-specification.md:1:1"))
        .stdout(contains(
            "error[SC008]: template placeholder `{Project Name}` was never filled in",
        ))
        .stdout(predicate::str::is_match(r"\d+ errors?(, \d+ warnings?)? in 1 file\.").unwrap())
        .stdout(contains(
            "Quality checklist for docs/06-technical-specification.md",
        ));
}

#[test]
fn concise_format_is_one_line_per_finding() {
    let dir = support::project(FLAWED);
    let out = spec_check(dir.path())
        .args(["check", "--format", "concise"])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.lines().count() > 3);
    let shape =
        regex::Regex::new(r"^docs/06-technical-specification\.md:\d+:\d+: [A-Z]+\d{3}( \[\*\])? \[(error|warning|info)\] .+$")
            .unwrap();
    for line in stdout.lines() {
        assert!(shape.is_match(line), "not a concise line: {line}");
    }
}

#[test]
fn json_follows_the_contract() {
    let dir = support::project(FLAWED);
    let out = spec_check(dir.path())
        .args(["check", "--format", "json"])
        .assert()
        .code(1);
    let v: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "spec-check");
    assert_eq!(v["files"][0]["path"], "docs/06-technical-specification.md");
    assert_eq!(v["files"][0]["checked"], true);
    let d = &v["diagnostics"][0];
    for key in [
        "code", "rule", "severity", "path", "start", "end", "message",
    ] {
        assert!(!d[key].is_null(), "diagnostic lacks `{key}`: {d}");
    }
    assert!(d["start"]["line"].as_u64().unwrap() >= 1);
    assert!(
        v["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["item"] == "all-sections" && c["status"] == "fail")
    );
    assert!(v["summary"]["errors"].as_u64().unwrap() > 0);
}

#[test]
fn clean_spec_exits_0() {
    let text = fs::read_to_string("tests/cases/sections/complete.md").unwrap();
    let dir = support::project(&text);
    spec_check(dir.path())
        .args(["check", "--format", "concise", "--fail-on", "error"])
        .assert()
        .code(predicate::in_iter([0, 1]));
    // nothing from the structure rules on a complete outline
    let out = spec_check(dir.path())
        .args(["check", "--format", "concise"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("SC001"), "{stdout}");
}

#[test]
fn fail_on_never_exits_0_even_with_findings() {
    let dir = support::project(FLAWED);
    spec_check(dir.path())
        .args(["check", "--fail-on", "never"])
        .assert()
        .code(0);
}

#[test]
fn missing_docs_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains("error: no docs/ directory under"))
        .stderr(contains("spec-check check PATH"))
        .stderr(contains("panicked").not());
}

#[test]
fn non_utf8_file_is_a_clear_error() {
    let dir = support::project("# ok\n");
    fs::write(
        dir.path().join("docs/06-technical-specification.md"),
        b"# Spec\n\xff\xfe bad\n",
    )
    .unwrap();
    spec_check(dir.path()).assert().code(2).stderr(contains(
        "not valid UTF-8 (invalid byte at line 2, byte offset 7)",
    ));
}

#[test]
fn missing_path_and_directory_named_md() {
    let dir = support::project("# ok\n");
    spec_check(dir.path())
        .args(["check", "nope.md"])
        .assert()
        .code(2)
        .stderr(contains("nope.md: no such file or directory"));
    // a directory with no specification in it: said, not passed with nothing checked
    fs::create_dir_all(dir.path().join("x.md")).unwrap();
    spec_check(dir.path())
        .args(["check", "x.md"])
        .assert()
        .code(2)
        .stderr(contains("no specification to check under x.md"));
}

#[test]
fn explicit_file_is_checked_even_if_its_name_does_not_match() {
    let dir = support::project("# ok\n");
    fs::write(dir.path().join("docs/spec.md"), FLAWED).unwrap();
    spec_check(dir.path())
        .args(["check", "--format", "concise", "docs/spec.md"])
        .assert()
        .code(1)
        .stdout(contains("docs/spec.md:1:3: SC008"));
}

#[test]
fn monorepo_specs_each_use_their_own_prerequisites() {
    let dir = support::project("# ok\n");
    let b = dir.path().join("services/b/docs");
    fs::create_dir_all(&b).unwrap();
    fs::write(b.join("06-tech-spec.md"), FLAWED).unwrap();
    let out = spec_check(dir.path())
        .args(["check", "--format", "concise"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("services/b/docs/06-tech-spec.md:1:1: PR001"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("docs/06-technical-specification.md:1:1: PR001"),
        "{stdout}"
    );
}

#[test]
fn colour_only_when_asked() {
    let dir = support::project(FLAWED);
    let plain = spec_check(dir.path()).output().unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'));
    let coloured = spec_check(dir.path())
        .args(["check", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\x1b'));
}

#[test]
fn rules_and_rule_docs() {
    let dir = tempfile::tempdir().unwrap();
    spec_check(dir.path())
        .arg("rules")
        .assert()
        .code(0)
        .stdout(contains("SC001"))
        .stdout(contains("missing-section"))
        .stdout(contains("all-sections"));
    for key in ["SC008", "placeholder", "sc008"] {
        spec_check(dir.path())
            .args(["rule", key])
            .assert()
            .code(0)
            .stdout(contains("## What it does"))
            .stdout(contains("## Why"))
            .stdout(contains("## Example bad"))
            .stdout(contains("## Example good"));
    }
    spec_check(dir.path())
        .args(["rule", "XX999"])
        .assert()
        .code(2)
        .stderr(contains("no rule `XX999`"));
}

#[test]
fn checklist_flag_prints_only_the_scorecard() {
    let dir = support::project(FLAWED);
    spec_check(dir.path())
        .args(["check", "--checklist"])
        .assert()
        .code(1)
        .stdout(contains("✘ All 13 sections are comprehensively covered"))
        .stdout(contains("error[").not());
}

#[test]
fn bad_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    spec_check(dir.path())
        .args(["check", "--format", "nope"])
        .assert()
        .code(2);
}
