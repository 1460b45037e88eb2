//! Everyday command-line comforts: standard input, --quiet, --statistics, --show-settings,
//! shell completions, --version with the packs, and adopting the gate with a baseline.

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
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS");
    cmd
}

const SPEC: &str =
    "# {Project Name} Technical Specification\n\n## 1. Executive Summary\n\nTBD\n\nTBD again.\n";

fn out(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

#[test]
fn stdin_is_checked_as_the_named_file() {
    let dir = support::project("# ok\n");
    let got = out(spec_check(dir.path())
        .args([
            "check",
            "--stdin",
            "--stdin-filename",
            "docs/06-technical-specification.md",
            "--format",
            "concise",
            "--select",
            "SC008,PR001",
        ])
        .write_stdin(SPEC));
    assert_eq!(
        got,
        "docs/06-technical-specification.md:1:3: SC008 [error] template placeholder `{Project Name}` was never filled in\n\
         docs/06-technical-specification.md:5:1: SC008 [error] `TBD` left in the document\n\
         docs/06-technical-specification.md:7:1: SC008 [error] `TBD` left in the document\n"
    );
    // the file on disk was not read
    assert_eq!(
        fs::read_to_string(dir.path().join("docs/06-technical-specification.md")).unwrap(),
        "# ok\n"
    );
    // cross-document rules look beside the named path: here docs/04 is missing
    fs::remove_file(dir.path().join("docs/04-design-system.md")).unwrap();
    spec_check(dir.path())
        .args([
            "--stdin",
            "--stdin-filename",
            "docs/06-technical-specification.md",
            "--format",
            "concise",
            "--select",
            "PR001",
        ])
        .write_stdin("# x\n")
        .assert()
        .code(1)
        .stdout(contains("PR001"));
    // without a name it is `<stdin>`, checked by the first pack
    spec_check(dir.path())
        .args(["--stdin", "--format", "concise", "--select", "SC008"])
        .write_stdin(SPEC)
        .assert()
        .code(1)
        .stdout(contains("<stdin>:1:3: SC008"));
    // non-UTF-8 input is an error like a file's
    spec_check(dir.path())
        .args(["--stdin"])
        .write_stdin(vec![0xffu8, 0xfe])
        .assert()
        .code(2)
        .stderr(contains("not valid UTF-8"));
    spec_check(dir.path())
        .args(["--stdin", "--staged"])
        .assert()
        .code(2);
}

#[test]
fn quiet_prints_findings_only() {
    let dir = support::project(SPEC);
    let loud = out(spec_check(dir.path()).args(["--select", "SC008"]));
    assert!(loud.contains("Quality checklist"));
    let quiet = out(spec_check(dir.path()).args(["--select", "SC008", "--quiet"]));
    assert!(quiet.contains("error[SC008]"));
    assert!(!quiet.contains("Quality checklist"), "{quiet}");
    assert!(!quiet.contains("errors in 1 file"), "{quiet}");
    spec_check(dir.path())
        .args(["--select", "SC008", "-q"])
        .assert()
        .code(1);
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = support::project(SPEC);
    let stats = out(spec_check(dir.path()).args(["--statistics", "--select", "SC007,SC008"]));
    assert_eq!(
        stats,
        "COUNT  CODE   FIX  RULE\n    3  SC008       placeholder\n    1  SC007       empty-section\n\n[*] some of the rule's findings are fixed by `spec-check check --fix`\n"
    );
    let json =
        out(spec_check(dir.path()).args(["--statistics", "--select", "SC008", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["code"], "SC008");
    assert_eq!(v[0]["count"], 3);
}

#[test]
fn show_settings_lists_the_files_and_exits_0() {
    let dir = support::project(SPEC);
    spec_check(dir.path())
        .arg("--show-settings")
        .assert()
        .code(0)
        .stdout(contains("fail-on = \"error\""))
        .stdout(contains(
            "#   docs/06-technical-specification.md  (vibe-step-6)",
        ));
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        spec_check(dir.path())
            .args(["completions", shell])
            .assert()
            .code(0)
            .stdout(contains("spec-check"))
            .stdout(contains("--stdin-filename"));
    }
    spec_check(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn version_lists_the_builtin_packs() {
    let dir = tempfile::tempdir().unwrap();
    let long = out(spec_check(dir.path()).arg("--version"));
    assert!(
        long.starts_with(&format!("spec-check {}\n", env!("CARGO_PKG_VERSION"))),
        "{long}"
    );
    for (id, version) in spec_check::pack::builtin_versions() {
        assert!(long.contains(&format!("{id} {version}")), "{long}");
        assert_ne!(version, "?");
    }
    let short = out(spec_check(dir.path()).arg("-V"));
    assert_eq!(short, format!("spec-check {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_progress_indicator_when_stderr_is_not_a_terminal() {
    let dir = support::project(SPEC);
    for i in 0..30 {
        let d = dir.path().join(format!("s{i}/docs"));
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("06-technical-specification.md"), SPEC).unwrap();
    }
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("checking").not());
}

#[test]
fn baseline_hides_recorded_findings_and_survives_edits_above_them() {
    let dir = support::project(SPEC);
    spec_check(dir.path())
        .arg("baseline")
        .assert()
        .code(0)
        .stdout(contains("wrote"));
    let path = dir.path().join("spec-check-baseline.json");
    let file: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(file["version"], 1);
    assert!(file["entries"].as_array().unwrap().len() > 3);
    assert_eq!(
        file["entries"][0]["path"],
        "docs/06-technical-specification.md"
    );

    spec_check(dir.path())
        .args([
            "--baseline",
            "spec-check-baseline.json",
            "--format",
            "concise",
        ])
        .assert()
        .code(0)
        .stdout("");

    // an unrelated edit above, and a new placeholder below
    let spec = dir.path().join("docs/06-technical-specification.md");
    let edited = SPEC.replace(
        "## 1. Executive Summary\n",
        "Intro paragraph added later.\n\n## 1. Executive Summary\n",
    ) + "\nNew: {Customer Name}\n";
    fs::write(&spec, &edited).unwrap();
    let got = out(spec_check(dir.path()).args([
        "--baseline",
        "spec-check-baseline.json",
        "--format",
        "concise",
    ]));
    assert_eq!(
        got,
        "docs/06-technical-specification.md:11:6: SC008 [error] template placeholder `{Customer Name}` was never filled in\n"
    );

    // fixing a recorded finding: the baseline has a stale entry, and says so
    fs::write(&spec, SPEC.replace("TBD again.", "Filled in.")).unwrap();
    spec_check(dir.path())
        .args(["--baseline", "spec-check-baseline.json"])
        .assert()
        .code(0)
        .stderr(contains(
            "1 baseline entry of spec-check-baseline.json no longer matches",
        ));

    // the config key works the same, relative to the config file
    fs::write(
        dir.path().join("spec-check.toml"),
        "baseline = \"spec-check-baseline.json\"\n",
    )
    .unwrap();
    let sub = dir.path().join("docs");
    spec_check(&sub).assert().code(0);
}

#[test]
fn baseline_counts_repeated_findings_on_identical_lines() {
    let dir = support::project(SPEC);
    spec_check(dir.path())
        .args(["baseline", "-o", "b.json"])
        .assert()
        .code(0);
    // a third identical `TBD again.` line is a new finding, the first two are not
    fs::write(
        dir.path().join("docs/06-technical-specification.md"),
        format!("{SPEC}\nTBD again.\n"),
    )
    .unwrap();
    let got = out(spec_check(dir.path()).args([
        "--baseline",
        "b.json",
        "--format",
        "concise",
        "--select",
        "SC008",
    ]));
    assert_eq!(got.lines().count(), 1, "{got}");
}

#[test]
fn a_broken_baseline_is_a_clear_error() {
    let dir = support::project(SPEC);
    fs::write(
        dir.path().join("b.json"),
        "{\"version\": 9, \"tool\": \"x\", \"entries\": []}",
    )
    .unwrap();
    spec_check(dir.path())
        .args(["--baseline", "b.json"])
        .assert()
        .code(2)
        .stderr(contains("b.json is a version-9 baseline"));
    fs::write(dir.path().join("b.json"), "[]").unwrap();
    spec_check(dir.path())
        .args(["--baseline", "b.json"])
        .assert()
        .code(2)
        .stderr(contains("is not a spec-check baseline"));
    spec_check(dir.path())
        .args(["--baseline", "none.json"])
        .assert()
        .code(2)
        .stderr(contains("cannot read baseline none.json"));
}
