//! Configuration as a user meets it: which `spec-check.toml` is found, how flags override
//! it, what every mistake in it looks like, `spec-check config` / `init`, user packs that
//! `extends` a built-in one, and the README's configuration reference.

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
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CI");
    cmd
}

const SPEC: &str = "# {Project Name} Technical Specification\n\n## 1. Executive Summary\n\nTBD\n";

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("utf-8")
}

/// The codes in `--format concise` output, in order.
fn codes(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| l.split(": ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// `(value, origin)` of `key` in `spec-check config` output.
fn setting(out: &str, key: &str) -> (String, String) {
    let line = out
        .lines()
        .find(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no `{key}` in {out}"));
    let (value, origin) = line.split_once(" # ").unwrap_or((line, ""));
    (
        value[key.len() + 3..].trim().to_string(),
        origin.trim().to_string(),
    )
}

fn config_file_line(out: &str) -> String {
    out.lines().next().unwrap_or_default().to_string()
}

// ─── discovery ────────────────────────────────────────────────────────────────────────

#[test]
fn the_nearest_config_file_wins_walking_up_to_the_repository_root() {
    let dir = support::project(SPEC);
    let sub = dir.path().join("docs/sub");
    fs::create_dir_all(&sub).unwrap();
    fs::write(
        dir.path().join("spec-check.toml"),
        "fail-on = \"warning\"\n",
    )
    .unwrap();
    fs::write(sub.join(".spec-check.toml"), "fail-on = \"info\"\n").unwrap();

    let root_out = stdout(spec_check(dir.path()).arg("config"));
    assert_eq!(
        config_file_line(&root_out),
        "# configuration file: spec-check.toml"
    );
    assert_eq!(
        setting(&root_out, "fail-on"),
        ("\"warning\"".into(), "spec-check.toml:1".into())
    );

    let sub_out = stdout(spec_check(&sub).arg("config"));
    assert_eq!(
        config_file_line(&sub_out),
        "# configuration file: .spec-check.toml"
    );
    assert!(sub_out.contains("fail-on = \"info\""), "{sub_out}");

    // docs/ has none of its own: the walk reaches the root's
    let docs_out = stdout(spec_check(&dir.path().join("docs")).arg("config"));
    assert!(docs_out.contains("fail-on = \"warning\""), "{docs_out}");
}

#[test]
fn spec_check_toml_beats_the_dotted_name_in_one_directory() {
    let dir = support::project(SPEC);
    fs::write(
        dir.path().join("spec-check.toml"),
        "fail-on = \"warning\"\n",
    )
    .unwrap();
    fs::write(dir.path().join(".spec-check.toml"), "fail-on = \"info\"\n").unwrap();
    let out = stdout(spec_check(dir.path()).arg("config"));
    assert_eq!(
        config_file_line(&out),
        "# configuration file: spec-check.toml"
    );
}

#[test]
fn the_walk_stops_at_the_repository_root() {
    let outer = tempfile::tempdir().unwrap();
    fs::write(outer.path().join("spec-check.toml"), "fail-on = \"info\"\n").unwrap();
    let repo = outer.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    let out = stdout(spec_check(&repo).arg("config"));
    assert!(
        out.starts_with("# configuration file: none found"),
        "a file above the repository must not apply: {out}"
    );
}

#[test]
fn outside_a_repository_only_the_current_directory_counts() {
    let outer = tempfile::tempdir().unwrap();
    fs::write(outer.path().join("spec-check.toml"), "fail-on = \"info\"\n").unwrap();
    let child = outer.path().join("child");
    fs::create_dir_all(&child).unwrap();
    let out = stdout(spec_check(&child).arg("config"));
    assert!(out.starts_with("# configuration file: none found"), "{out}");
    let here = stdout(spec_check(outer.path()).arg("config"));
    assert_eq!(
        config_file_line(&here),
        "# configuration file: spec-check.toml"
    );
}

#[test]
fn config_flag_overrides_discovery_and_isolated_ignores_files() {
    let dir = support::project(SPEC);
    fs::write(
        dir.path().join("spec-check.toml"),
        "fail-on = \"warning\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("other.toml"), "fail-on = \"never\"\n").unwrap();
    let out = stdout(spec_check(dir.path()).args(["config", "--config", "other.toml"]));
    assert_eq!(config_file_line(&out), "# configuration file: other.toml");
    assert!(out.contains("fail-on = \"never\""));

    let out = stdout(spec_check(dir.path()).args(["config", "--isolated"]));
    assert_eq!(
        config_file_line(&out),
        "# configuration file: none (--isolated)"
    );
    assert_eq!(
        setting(&out, "fail-on"),
        ("\"error\"".into(), "default".into())
    );
    // and the run itself: the flawed spec fails at `error` without the file's `never`
    spec_check(dir.path())
        .args(["--config", "other.toml"])
        .assert()
        .code(0);
    spec_check(dir.path()).arg("--isolated").assert().code(1);

    spec_check(dir.path())
        .args(["config", "--config", "missing.toml"])
        .assert()
        .code(2)
        .stderr(contains("cannot read configuration file missing.toml"));
}

// ─── overrides ────────────────────────────────────────────────────────────────────────

#[test]
fn flags_override_the_file() {
    let dir = support::project(SPEC);
    fs::write(
        dir.path().join("spec-check.toml"),
        "select = [\"SC008\"]\nfail-on = \"never\"\n",
    )
    .unwrap();
    let only_placeholders = stdout(spec_check(dir.path()).args(["--format", "concise"]));
    assert!(!only_placeholders.is_empty());
    assert!(
        codes(&only_placeholders).iter().all(|c| c == "SC008"),
        "{only_placeholders}"
    );
    spec_check(dir.path()).assert().code(0);

    // --select replaces the file's selection; --fail-on replaces its fail-on
    let empty = stdout(spec_check(dir.path()).args(["--format", "concise", "--select", "SC007"]));
    assert_eq!(codes(&empty), vec!["SC007"], "{empty}");
    spec_check(dir.path())
        .args(["--select", "SC007", "--fail-on", "error"])
        .assert()
        .code(1);
}

#[test]
fn ignore_and_extend_select_layer_like_ruff() {
    let dir = support::project(SPEC);
    fs::write(dir.path().join("spec-check.toml"), "ignore = [\"SC\"]\n").unwrap();
    let none = stdout(spec_check(dir.path()).args(["--format", "concise"]));
    assert!(codes(&none).iter().all(|c| !c.starts_with("SC")), "{none}");
    // the command line is a later layer: its extend-select turns SC008 back on
    let back = stdout(spec_check(dir.path()).args([
        "--format",
        "concise",
        "--extend-select",
        "placeholder",
    ]));
    assert!(codes(&back).iter().all(|c| c == "SC008"), "{back}");
    assert!(codes(&back).contains(&"SC008".to_string()));
    // within one layer the more specific selector wins
    fs::write(
        dir.path().join("spec-check.toml"),
        "ignore = [\"SC\"]\nextend-select = [\"SC007\"]\n",
    )
    .unwrap();
    let specific = stdout(spec_check(dir.path()).args(["--format", "concise"]));
    assert_eq!(codes(&specific), vec!["SC007"], "{specific}");
}

#[test]
fn severity_overrides_apply_most_specific_last() {
    let dir = support::project(SPEC);
    fs::write(
        dir.path().join("spec-check.toml"),
        "[severity]\nSC = \"info\"\nplaceholder = \"warning\"\nSC001 = \"off\"\n",
    )
    .unwrap();
    let out = stdout(spec_check(dir.path()).args(["--format", "concise"]));
    assert!(out.contains("SC008 [warning]"), "{out}");
    assert!(out.contains("SC007 [info]"), "{out}");
    assert!(!out.contains("SC001"), "off rules do not run: {out}");
    // nothing at error level is left
    spec_check(dir.path()).assert().code(0);
}

#[test]
fn rule_parameters_merge_over_the_pack() {
    let dir = support::project(SPEC);
    let spec = dir.path().join("docs/06-technical-specification.md");
    fs::write(
        &spec,
        "# Acme Technical Specification\n\n## 1. Executive Summary\n\nAcme sells widgets to ACME-FILL customers worldwide today.\n",
    )
    .unwrap();
    let before =
        stdout(spec_check(dir.path()).args(["--format", "concise", "--select", "SC007,SC008"]));
    assert!(before.is_empty(), "{before}");
    fs::write(
        dir.path().join("spec-check.toml"),
        "[rules.empty-section]\nmin-words = 20\n\n[rules.SC008]\nextend-patterns = [{ pattern = 'ACME-FILL' }]\n",
    )
    .unwrap();
    let after =
        stdout(spec_check(dir.path()).args(["--format", "concise", "--select", "SC007,SC008"]));
    assert!(
        after.contains("SC007 [error] section `1. Executive Summary` has only 8 words"),
        "{after}"
    );
    assert!(
        after.contains("SC008 [error] template placeholder `ACME-FILL`"),
        "{after}"
    );
    // the pack's own patterns still apply after extend-patterns
    fs::write(&spec, SPEC).unwrap();
    let pack_patterns =
        stdout(spec_check(dir.path()).args(["--format", "concise", "--select", "SC008"]));
    assert!(pack_patterns.contains("{Project Name}"), "{pack_patterns}");
}

#[test]
fn section_aliases_extend_the_outline() {
    let dir = support::project(SPEC);
    let spec = dir.path().join("docs/06-technical-specification.md");
    fs::write(
        &spec,
        "# Acme Technical Specification\n\n## 1. Executive Summary\n\nAcme sells widgets.\n\n## 4. Wire Protocol\n\nAll endpoints are listed here.\n",
    )
    .unwrap();
    let before = stdout(spec_check(dir.path()).args(["--format", "concise", "--select", "SC001"]));
    assert!(
        before.contains("missing section `4. API Specification`"),
        "{before}"
    );
    fs::write(
        dir.path().join("spec-check.toml"),
        "[sections.api]\nextend-aliases = [\"Wire Protocol\"]\n",
    )
    .unwrap();
    let after = stdout(spec_check(dir.path()).args(["--format", "concise", "--select", "SC001"]));
    assert!(!after.contains("`4. API Specification`"), "{after}");
}

#[test]
fn a_section_can_be_made_optional() {
    let dir = support::project(SPEC);
    let adr = dir.path().join("docs/adr");
    fs::create_dir_all(&adr).unwrap();
    fs::write(
        adr.join("0001-use-postgresql.md"),
        "# Use PostgreSQL\n\n* Status: accepted\n\n## Context and Problem Statement\n\nOrders and payments must stay consistent.\n\n## Decision Outcome\n\nChosen option: PostgreSQL, because it has transactions.\n",
    )
    .unwrap();
    fs::write(dir.path().join("spec-check.toml"), "packs = [\"adr\"]\n").unwrap();
    let strict = stdout(spec_check(dir.path()).args(["--format", "concise"]));
    assert_eq!(
        strict,
        "docs/adr/0001-use-postgresql.md:1:1: ADR001 [error] missing section `Consequences`\n"
    );
    fs::write(
        dir.path().join("spec-check.toml"),
        "packs = [\"adr\"]\n\n[sections.consequences]\noptional = true\n",
    )
    .unwrap();
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn include_and_exclude_choose_files() {
    let dir = support::project(SPEC);
    let nested = dir.path().join("services/a/docs");
    fs::create_dir_all(&nested).unwrap();
    fs::write(nested.join("06-technical-specification.md"), SPEC).unwrap();
    let both = stdout(spec_check(dir.path()).args(["--format", "concise", "--select", "SC008"]));
    assert!(
        both.contains("services/a/docs/") && both.contains("\ndocs/") || both.starts_with("docs/"),
        "{both}"
    );

    fs::write(
        dir.path().join("spec-check.toml"),
        "exclude = [\"services\"]\n",
    )
    .unwrap();
    let root_only =
        stdout(spec_check(dir.path()).args(["--format", "concise", "--select", "SC008"]));
    assert!(!root_only.contains("services/"), "{root_only}");
    assert!(root_only.contains("docs/06-technical-specification.md"));

    // exclude applies to files named on the command line too (pre-commit passes names)
    spec_check(dir.path())
        .args(["check", "services/a/docs/06-technical-specification.md"])
        .assert()
        .code(0)
        .stderr(contains(
            "skipped, excluded by the configuration's `exclude`",
        ));

    fs::write(
        dir.path().join("spec-check.toml"),
        "include = [\"services/**/*.md\"]\n",
    )
    .unwrap();
    let services_only =
        stdout(spec_check(dir.path()).args(["--format", "concise", "--select", "SC008"]));
    assert!(
        services_only.lines().all(|l| l.starts_with("services/")),
        "{services_only}"
    );
}

#[test]
fn max_file_size_from_the_file_and_the_flag() {
    let dir = support::project(SPEC);
    fs::write(dir.path().join("spec-check.toml"), "max-file-size = 10\n").unwrap();
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains(" B > 10 B (max-file-size)"));
    spec_check(dir.path())
        .args(["--max-file-size", "1MiB"])
        .assert()
        .code(1);
}

#[test]
fn config_shows_where_each_value_came_from() {
    let dir = support::project(SPEC);
    fs::write(
        dir.path().join("spec-check.toml"),
        "# team settings\nfail-on = \"warning\"\nexclude = [\"docs/archive/**\"]\n\n[severity]\nSC006 = \"off\"\n\n[rules.empty-section]\nmin-words = 12\n\n[sections.api]\nextend-aliases = [\"Wire Protocol\"]\n",
    )
    .unwrap();
    let out = stdout(spec_check(dir.path()).args(["config", "--ignore", "PR002"]));
    // the pack's rule count grows as rules are added; what is off is the point here
    let counts = regex::Regex::new(r"\d+ of \d+ on").unwrap();
    insta::assert_snapshot!("config_provenance", counts.replace_all(&out, "N of M on"));
}

// ─── errors ───────────────────────────────────────────────────────────────────────────

/// Every kind of mistake in a configuration file, and the message it gets.
const CONFIG_ERRORS: &[(&str, &str)] = &[
    ("unknown-key", "colour = true\n"),
    (
        "unknown-key-in-section-table",
        "[sections.api]\nalias = [\"Interfaces\"]\n",
    ),
    ("not-toml", "fail-on = \n"),
    ("wrong-type", "include = \"docs/*.md\"\n"),
    ("bad-fail-on", "fail-on = \"fatal\"\n"),
    ("bad-severity-level", "[severity]\nSC001 = \"loud\"\n"),
    ("unknown-severity-rule", "[severity]\nSC999 = \"off\"\n"),
    ("unknown-selector", "ignore = [\"placeholdr\"]\n"),
    ("prefix-matches-nothing", "select = [\"XYZ\"]\n"),
    ("empty-packs", "packs = []\n"),
    ("unknown-builtin-pack", "packs = [\"vibe-step-7\"]\n"),
    ("missing-pack-file", "packs = [\"packs/acme.toml\"]\n"),
    (
        "duplicate-pack",
        "packs = [\"vibe-step-6\", \"vibe-step-6\"]\n",
    ),
    ("bad-glob", "exclude = [\"docs/[*.md\"]\n"),
    ("bad-size", "max-file-size = \"10 parsecs\"\n"),
    ("negative-size", "max-file-size = -1\n"),
    ("empty-baseline", "baseline = \"\"\n"),
    (
        "rules-table-for-unknown-rule",
        "[rules.SC999]\nmin-words = 3\n",
    ),
    ("rules-table-for-a-prefix", "[rules.SC]\nmin-words = 3\n"),
    (
        "unknown-rule-param",
        "[rules.empty-section]\nmin-wrds = 3\n",
    ),
    (
        "invalid-rule-param",
        "[rules.empty-section]\nmin-words = 0\n",
    ),
    (
        "wrong-type-rule-param",
        "[rules.empty-section]\nmin-words = \"many\"\n",
    ),
    (
        "extend-non-list",
        "[rules.placeholder]\nextend-patterns = \"TODO\"\n",
    ),
    (
        "bad-regex-param",
        "[rules.placeholder]\nextend-patterns = [{ pattern = \"(\" }]\n",
    ),
    (
        "unknown-section",
        "[sections.apii]\nextend-aliases = [\"Interfaces\"]\n",
    ),
    (
        "essential-on-top-level-section",
        "[sections.api]\nessential = false\n",
    ),
    (
        "optional-on-subsection",
        "[sections.\"api.endpoints\"]\noptional = true\n",
    ),
    ("not-utf8", "fail-on = \"\u{FFFD}\"\n"),
];

#[test]
fn every_config_error_points_into_the_toml() {
    for (name, toml) in CONFIG_ERRORS {
        let dir = support::project(SPEC);
        let path = dir.path().join("spec-check.toml");
        if *name == "not-utf8" {
            fs::write(&path, b"fail-on = \"\xff\"\n").unwrap();
        } else {
            fs::write(&path, toml).unwrap();
        }
        let out = spec_check(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: exit status");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        insta::assert_snapshot!(format!("config_error_{name}"), stderr);
    }
}

#[test]
fn flag_errors_name_the_flag() {
    let dir = support::project(SPEC);
    spec_check(dir.path())
        .args(["--select", "SC0O1"])
        .assert()
        .code(2)
        .stderr(contains("--select: selector `SC0O1` matches no rule of the enabled packs; did you mean `SC001`?"));
    spec_check(dir.path())
        .args(["--max-file-size", "huge"])
        .assert()
        .code(2)
        .stderr(contains("--max-file-size `huge`"));
    spec_check(dir.path())
        .args(["--pack", "nope"])
        .assert()
        .code(2)
        .stderr(contains("unknown built-in pack `nope`"));
}

// ─── init ─────────────────────────────────────────────────────────────────────────────

#[test]
fn init_writes_the_defaults_and_never_overwrites() {
    let dir = support::project(SPEC);
    spec_check(dir.path())
        .arg("init")
        .assert()
        .code(0)
        .stdout(contains("wrote"));
    let written = fs::read_to_string(dir.path().join("spec-check.toml")).unwrap();
    assert!(written.starts_with("# spec-check configuration."));
    // every key is in it, documented
    for k in spec_check::config::KEYS {
        assert!(written.contains(k.key), "init lacks `{}`", k.key);
    }
    // resolved, it is exactly the defaults
    let with_file = stdout(spec_check(dir.path()).arg("config"));
    let isolated = stdout(spec_check(dir.path()).args(["config", "--isolated"]));
    let values = |s: &str| -> Vec<String> {
        s.lines()
            .skip(1)
            .map(|l| l.split(" # ").next().unwrap_or("").trim_end().to_string())
            .collect()
    };
    assert_eq!(values(&with_file), values(&isolated));

    fs::write(dir.path().join("spec-check.toml"), "fail-on = \"never\"\n").unwrap();
    spec_check(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(contains("already exists"));
    assert_eq!(
        fs::read_to_string(dir.path().join("spec-check.toml")).unwrap(),
        "fail-on = \"never\"\n"
    );
    let other = tempfile::tempdir().unwrap();
    fs::write(other.path().join(".spec-check.toml"), "").unwrap();
    spec_check(other.path()).arg("init").assert().code(2);
    assert!(!other.path().join("spec-check.toml").exists());
}

// ─── user packs ───────────────────────────────────────────────────────────────────────

const ACME_PACK: &str = r#"
id = "acme"
extends = "vibe-step-6"
version = "2.0.0"

# a stricter empty-section rule, at warning level
[[rules]]
code = "SC007"
severity = "warning"
params = { min-words = 50 }

# one more rule, from a generic kind
[[rules]]
code = "ACME001"
name = "internal-codename"
check = "placeholders"
severity = "error"
checklist = "all-sections"
summary = "The internal codename leaked into a spec."
what = "Finds `Project Bluebird`."
why = "Specs are shared with customers."
bad = "Project Bluebird ships in May."
good = "Acme Orders ships in May."
params = { patterns = [{ pattern = 'Project Bluebird', message = "internal codename `{match}`" }] }

[[rules]]
code = "SC006"
severity = "off"
"#;

#[test]
fn a_user_pack_extends_a_builtin_one() {
    let dir = support::project(SPEC);
    fs::write(dir.path().join("acme.toml"), ACME_PACK).unwrap();
    fs::write(
        dir.path().join("docs/06-technical-specification.md"),
        "# Acme Technical Specification\n\n## 1. Executive Summary\n\nProject Bluebird lets shops take orders online.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("spec-check.toml"),
        "packs = [\"acme.toml\"]\n",
    )
    .unwrap();
    let out = stdout(spec_check(dir.path()).args(["--format", "concise"]));
    assert!(
        out.contains("ACME001 [error] internal codename `Project Bluebird`"),
        "{out}"
    );
    assert!(
        out.contains("SC007 [warning] section `1. Executive Summary` has only"),
        "{out}"
    );
    assert!(
        out.contains("SC001 [error] missing section"),
        "inherited rules run: {out}"
    );
    assert!(!out.contains("SC006"), "{out}");

    let rules = stdout(spec_check(dir.path()).arg("rules"));
    assert!(
        rules.starts_with("acme 2.0.0 — Vibe Coding Step 6"),
        "{rules}"
    );
    assert!(
        rules
            .lines()
            .any(|l| l.starts_with("ACME001 ") && l.contains(" internal-codename ")),
        "{rules}"
    );
    let doc = stdout(spec_check(dir.path()).args(["rule", "ACME001"]));
    assert!(doc.contains("Specs are shared with customers."));

    // the same pack named on the command line, relative to where it is typed
    let sub = dir.path().join("docs");
    let out = stdout(spec_check(&sub).args([
        "--isolated",
        "--pack",
        "../acme.toml",
        "--format",
        "concise",
    ]));
    assert!(out.contains("ACME001"), "{out}");
}

/// Pack files that are wrong in each way `extends` allows.
const PACK_ERRORS: &[(&str, &str)] = &[
    ("unknown-parent", "id = \"a\"\nextends = \"vibe-step-9\"\n"),
    (
        "new-rule-missing-fields",
        "id = \"a\"\nextends = \"vibe-step-6\"\n\n[[rules]]\ncode = \"A001\"\nname = \"a-rule\"\ncheck = \"placeholders\"\n",
    ),
    (
        "kind-change-without-params",
        "id = \"a\"\nextends = \"vibe-step-6\"\n\n[[rules]]\ncode = \"SC007\"\ncheck = \"placeholders\"\n",
    ),
    (
        "bad-override-param",
        "id = \"a\"\nextends = \"vibe-step-6\"\n\n[[rules]]\ncode = \"SC007\"\nparams = { min-words = -3 }\n",
    ),
    (
        "no-files-without-extends",
        "id = \"a\"\nname = \"A\"\nversion = \"1\"\n",
    ),
    ("cycle", "id = \"a\"\nextends = \"a.toml\"\n"),
    (
        "unknown-key",
        "id = \"a\"\nextends = \"vibe-step-6\"\nrulez = []\n",
    ),
    (
        "unknown-checklist-item",
        "id = \"a\"\nextends = \"vibe-step-6\"\n\n[[rules]]\ncode = \"SC007\"\nchecklist = \"speed\"\n",
    ),
];

#[test]
fn every_pack_error_names_the_file_line_and_key() {
    for (name, toml) in PACK_ERRORS {
        let dir = support::project(SPEC);
        fs::write(dir.path().join("a.toml"), toml).unwrap();
        let out = spec_check(dir.path())
            .args(["--pack", "a.toml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("a.toml"),
            "{name}: names the file: {stderr}"
        );
        insta::assert_snapshot!(format!("pack_error_{name}"), stderr);
    }
}

// ─── the README's reference ───────────────────────────────────────────────────────────

#[test]
fn readme_configuration_reference_matches_the_code() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = spec_check::config::reference_table();
    let start = "<!-- config-reference:start -->\n";
    let end = "<!-- config-reference:end -->";
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        panic!("README.md lacks the {start:?} … {end:?} markers");
    };
    let current = &readme[a + start.len()..b];
    if std::env::var_os("SPEC_CHECK_BLESS_README").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        fs::write(
            &path,
            format!("{}{table}{}", &readme[..a + start.len()], &readme[b..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        current, table,
        "README.md's configuration reference is out of date; run `SPEC_CHECK_BLESS_README=1 cargo test --test config readme` and review the diff"
    );
}

#[test]
fn the_parser_accepts_exactly_the_documented_keys() {
    // serde lists the fields it knows in its unknown-field message, in declaration order
    let dir = support::project(SPEC);
    fs::write(dir.path().join("spec-check.toml"), "bogus = 1\n").unwrap();
    let out = spec_check(dir.path()).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let listed: Vec<String> = stderr
        .split("expected one of ")
        .nth(1)
        .and_then(|s| s.split(';').next())
        .unwrap_or_default()
        .split(", ")
        .map(|k| k.trim().trim_matches('`').to_string())
        .collect();
    let documented: Vec<String> = spec_check::config::KEYS
        .iter()
        .map(|k| k.key.to_string())
        .collect();
    assert_eq!(listed, documented, "{stderr}");
}

#[test]
fn unknown_keys_inside_tables_are_errors_too() {
    let dir = support::project(SPEC);
    fs::write(dir.path().join("spec-check.toml"), "[severity]\n").unwrap();
    spec_check(dir.path()).assert().code(1);
    fs::write(dir.path().join("spec-check.toml"), "[select]\n").unwrap();
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid configuration"));
}

/// The service-auth vocabularies are pack data shared by its rules (`[defaults.service-auth]`):
/// a pack that extends the built-in one adds a language's words once for every rule, and the
/// configuration can add words to one rule.
#[test]
fn shared_vocabularies_extend_per_kind_and_per_rule() {
    let dir = support::project(SPEC);
    let spec = dir.path().join("docs/06-technical-specification.md");
    fs::write(
        &spec,
        "# Specyfikacja\n\n## 13. Service Integration Specifications\n\n### 13.1 Required Services & Authentication\n\n**Płatności:** Stripe — klucz tajny trzymany w sejfie zespołu.\n",
    )
    .unwrap();
    let args = ["--format", "concise", "--select", "SVC001,SVC002"];
    fs::write(dir.path().join("spec-check.toml"), "language = \"pl\"\n").unwrap();
    let before = stdout(spec_check(dir.path()).args(args));
    assert!(
        before.contains(
            "SVC001 [error] service `Stripe` (Płatności) does not say how it authenticates"
        ),
        "{before}"
    );
    fs::write(
        dir.path().join("pl.toml"),
        "id = \"pl\"\nextends = \"vibe-step-6\"\n\n[defaults.service-auth]\nextend-methods = [{ lang = \"pl\", pattern = '(?i)klucz(?:e|a)? (?:API|tajny|prywatny)' }]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("spec-check.toml"),
        "language = \"pl\"\npacks = [\"pl.toml\"]\n",
    )
    .unwrap();
    let method = stdout(spec_check(dir.path()).args(args));
    assert!(!method.contains("SVC001"), "{method}");
    assert!(
        method.contains("SVC002 [warning] service `Stripe` (Płatności) does not say where its credentials are kept"),
        "{method}"
    );
    fs::write(
        dir.path().join("spec-check.toml"),
        "language = \"pl\"\npacks = [\"pl.toml\"]\n\n[rules.SVC002]\nextend-stores = [{ lang = \"pl\", pattern = '(?i)sejf' }]\n",
    )
    .unwrap();
    let stored = stdout(spec_check(dir.path()).args(args));
    assert!(stored.is_empty(), "{stored}");
}
