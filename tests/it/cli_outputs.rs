//! `--format`/`--output` pairs and the GitHub job summary, through the binary: several
//! formats from one run, files written where asked, the summary appended only in GitHub
//! Actions, and clear usage errors for pairings that cannot be meant.

use crate::validators;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

/// A repository (a `.git` directory is enough) with the flawed fixture as its spec.
fn repo() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join(".git")).expect(".git");
    fs::create_dir_all(dir.path().join("docs")).expect("docs");
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/flawed.md"))
            .expect("fixture");
    fs::write(dir.path().join("docs/06-technical-specification.md"), text).expect("write");
    dir
}

/// The binary with no GitHub Actions environment leaking in from the machine running tests.
fn spec_check(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("spec-check").expect("binary");
    cmd.current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1");
    cmd
}

const SPEC: &str = "docs/06-technical-specification.md";

#[test]
fn one_run_writes_github_to_stdout_and_sarif_and_junit_to_files() {
    let dir = repo();
    let out = spec_check(dir.path())
        .args(["check", SPEC, "--format", "github", "--format", "sarif"])
        .args([
            "--output",
            "reports/spec-check.sarif",
            "--format",
            "junit",
            "-o",
        ])
        .arg("reports/junit.xml")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(out).expect("utf-8");
    assert!(
        stdout.starts_with("::error file=docs/06-technical-specification.md,"),
        "{stdout}"
    );
    let sarif =
        fs::read_to_string(dir.path().join("reports/spec-check.sarif")).expect("sarif written");
    validators::validate("sarif-schema-2.1.0.json", &sarif);
    let junit = fs::read_to_string(dir.path().join("reports/junit.xml")).expect("junit written");
    validators::well_formed_xml(&junit);
    // the same findings in each
    let v: serde_json::Value = serde_json::from_str(&sarif).expect("json");
    let results = v["runs"][0]["results"].as_array().expect("results").len();
    let annotations = stdout
        .lines()
        .filter(|l| {
            l.starts_with("::error ")
                || l.starts_with("::warning ")
                || l.starts_with("::notice file=")
        })
        .count();
    let listed = stdout.lines().filter(|l| l.starts_with("- ")).count();
    assert_eq!(results, annotations + listed);
}

#[test]
fn paths_in_machine_formats_are_relative_to_the_repository_root() {
    let dir = repo();
    let out = spec_check(&dir.path().join("docs"))
        .args([
            "check",
            "06-technical-specification.md",
            "--format",
            "gitlab",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v[0]["location"]["path"], SPEC);
}

#[test]
fn the_markdown_summary_is_appended_in_github_actions_only() {
    let dir = repo();
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "earlier step\n").expect("write");
    spec_check(dir.path())
        .args(["check", SPEC, "--format", "concise"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(1);
    let text = fs::read_to_string(&summary).expect("summary");
    assert!(text.starts_with("earlier step\n## spec-check\n"), "{text}");
    assert!(
        text.contains("| All 13 sections are comprehensively covered | ❌ fail |"),
        "{text}"
    );

    // --no-summary, or outside GitHub Actions: untouched
    fs::write(&summary, "earlier step\n").expect("write");
    spec_check(dir.path())
        .args(["check", SPEC, "--no-summary"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(1);
    spec_check(dir.path())
        .args(["check", SPEC])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(1);
    assert_eq!(
        fs::read_to_string(&summary).expect("summary"),
        "earlier step\n"
    );
}

#[test]
fn markdown_written_to_the_step_summary_is_not_appended_twice() {
    let dir = repo();
    let summary = dir.path().join("summary.md");
    spec_check(dir.path())
        .args(["check", SPEC, "--format", "markdown", "--output"])
        .arg(&summary)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(1);
    let text = fs::read_to_string(&summary).expect("summary");
    assert_eq!(text.matches("## spec-check").count(), 1, "{text}");
}

#[test]
fn two_formats_on_stdout_is_a_usage_error() {
    let dir = repo();
    spec_check(dir.path())
        .args(["check", SPEC, "--format", "json", "--format", "sarif"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("only one format can go to stdout"));
}

#[test]
fn an_output_that_cannot_be_written_fails_the_run() {
    let dir = repo();
    fs::write(dir.path().join("blocker"), "a file, not a directory").expect("write");
    spec_check(dir.path())
        .args([
            "check",
            SPEC,
            "--format",
            "sarif",
            "--output",
            "blocker/x.sarif",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write blocker/x.sarif"));
}

#[test]
fn help_explains_how_formats_and_outputs_pair() {
    let dir = repo();
    spec_check(dir.path())
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "sends the `--format` just before it",
        ))
        .stdout(predicate::str::contains("sarif"))
        .stdout(predicate::str::contains("rdjson"))
        .stdout(predicate::str::contains("--no-summary"));
}
