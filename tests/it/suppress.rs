//! Inline suppression comments: each form silences what it should and nothing else; a
//! comment that silences nothing is reported with a fix that removes it; a reason can be
//! required; `spec-check suppress` adds comments that silence every current finding.

use crate::support;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;
use spec_check::diagnostic::Applicability;
use spec_check::document::Document;
use spec_check::suppress;
use spec_check::{EngineOptions, check};

const PATH: &str = "docs/06-technical-specification.md";

/// Concise lines for the placeholder, empty-section and suppression rules only.
fn findings(text: &str, opts: &EngineOptions) -> Vec<String> {
    let packs = support::packs();
    let ws = support::complete_project();
    let file = spec_check::source::SourceFile {
        path: PATH.into(),
        text: text.to_string(),
        origin: spec_check::source::Origin::WorkTree,
        explicit: true,
    };
    let report = check(&packs, vec![file], &ws, opts);
    report
        .diagnostics
        .iter()
        .filter(|d| ["SC007", "SC008", "SC020", "SC021"].contains(&d.code.as_str()))
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d.start.line,
                d.start.column,
                d.code,
                d.message()
            )
        })
        .collect()
}

fn plain(text: &str) -> Vec<String> {
    findings(text, &EngineOptions::default())
}

const HEAD: &str = "# Acme Technical Specification\n\n## 1. Executive Summary\n\nAcme sells widgets to bakeries across the whole country.\n\n";

#[test]
fn disable_next_line_silences_the_next_non_blank_line_only() {
    let text = format!(
        "{HEAD}<!-- spec-check-disable-next-line SC008 -- the customer's name is still open -->\n\nWe serve {{Customer Name}} first.\nThen {{Customer Name}} again.\n"
    );
    assert_eq!(
        plain(&text),
        vec!["10:6 SC008 template placeholder `{Customer Name}` was never filled in"]
    );
}

#[test]
fn several_rules_by_code_and_name_in_one_comment() {
    let text = format!(
        "{HEAD}## 2. System Architecture\n<!-- spec-check-disable-next-line empty-section, SC008 -- stub until the design review -->\nTBD\n"
    );
    // the empty-section finding sits on the heading line, so it stays; TBD is silenced
    let got = plain(&text);
    assert!(got.iter().all(|f| !f.contains("SC008")), "{got:?}");
    assert!(
        got.iter()
            .any(|f| f.contains("SC020") && f.contains("`empty-section`")),
        "{got:?}"
    );
}

#[test]
fn disable_enable_region() {
    let text = format!(
        "{HEAD}<!-- spec-check-disable SC008 -- sample data -->\n- {{Customer Name}}\n- TBD\n<!-- spec-check-enable SC008 -->\n\nLater TBD.\n"
    );
    assert_eq!(plain(&text), vec!["12:7 SC008 `TBD` left in the document"]);
}

#[test]
fn disable_without_enable_runs_to_the_end() {
    let text =
        format!("{HEAD}<!-- spec-check-disable placeholder -- samples -->\nTBD\n\nTODO later.\n");
    assert!(plain(&text).is_empty(), "{:?}", plain(&text));
}

#[test]
fn disable_file_anywhere_silences_the_whole_file() {
    let text = format!(
        "# {{Project Name}} spec\n\n{HEAD}TBD\n\n<!-- spec-check-disable-file SC008 -- a template kept on purpose -->\n"
    );
    assert!(plain(&text).is_empty(), "{:?}", plain(&text));
}

#[test]
fn no_rules_means_every_rule_and_prefixes_work() {
    let text = format!(
        "{HEAD}<!-- spec-check-disable-next-line -- generated -->\nTBD and {{Customer Name}}\n\n<!-- spec-check-disable-next-line SC -- generated -->\nTODO\n"
    );
    assert!(plain(&text).is_empty(), "{:?}", plain(&text));
}

#[test]
fn comments_in_code_are_not_suppressions() {
    let text = format!("{HEAD}```markdown\n<!-- spec-check-disable-file SC008 -->\n```\n\nTBD\n");
    assert_eq!(plain(&text), vec!["11:1 SC008 `TBD` left in the document"]);
}

#[test]
fn unused_suppressions_are_reported_with_a_safe_removal() {
    let text = format!(
        "{HEAD}<!-- spec-check-disable-next-line SC008 -- fixed long ago -->\nAll filled in now.\n\n<!-- spec-check-enable SC007 -->\n<!-- spec-check-disable-next-line SC008, SC999 -- one real -->\nTBD\n<!-- spec-check-disabel SC008 -->\n"
    );
    let got = plain(&text);
    assert_eq!(
        got,
        vec![
            "7:1 SC020 unused suppression: `spec-check-disable-next-line` suppresses no finding of `SC008`",
            "10:1 SC020 unused suppression: `spec-check-enable` closes no suppressed region",
            "11:1 SC020 unused suppression: `spec-check-disable-next-line` suppresses no finding of `SC999` (not an enabled rule)",
            "13:1 SC020 unknown suppression comment `spec-check-disabel`",
        ]
    );
    // applying the safe fixes leaves only the comment that works
    let packs = support::packs();
    let ws = support::complete_project();
    let report = support::check_text(&packs, PATH, &text, &ws);
    let mut edits: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "SC020")
        .filter_map(|d| d.fix())
        .filter(|f| f.applicability == Applicability::Safe)
        .flat_map(|f| f.edits.clone())
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut fixed = text.clone();
    for e in edits {
        fixed.replace_range(e.range.clone(), &e.replacement);
    }
    assert_eq!(
        fixed,
        format!(
            "{HEAD}All filled in now.\n\n<!-- spec-check-disable-next-line SC008 -- one real -->\nTBD\n<!-- spec-check-disabel SC008 -->\n"
        )
    );
    assert_eq!(
        plain(&fixed),
        vec!["11:1 SC020 unknown suppression comment `spec-check-disabel`"]
    );
}

#[test]
fn unused_suppression_can_be_turned_off_and_reasons_required() {
    let text = format!(
        "{HEAD}<!-- spec-check-disable-next-line SC008 -->\nTBD\n\n<!-- spec-check-disable-next-line SC008 -- gone -->\nDone.\n"
    );
    let quiet = EngineOptions {
        suppression: suppress::Options {
            unused: None,
            missing_reason: None,
        },
        ..EngineOptions::default()
    };
    assert!(findings(&text, &quiet).is_empty());
    let strict = EngineOptions {
        suppression: suppress::Options {
            unused: None,
            missing_reason: Some(spec_check::diagnostic::Severity::Error),
        },
        ..EngineOptions::default()
    };
    assert_eq!(
        findings(&text, &strict),
        vec!["7:1 SC021 `spec-check-disable-next-line` gives no reason"]
    );
}

#[test]
fn suppressed_findings_do_not_fail_the_checklist() {
    let text = format!("{HEAD}<!-- spec-check-disable-file SC008 -- sample -->\nTBD\n");
    let packs = support::packs();
    let report = support::check_text(&packs, PATH, &text, &support::complete_project());
    let item = report.files[0]
        .checklist
        .iter()
        .find(|c| c.item == "all-sections")
        .unwrap();
    // other structure rules still fail it (missing sections), but not the placeholder
    assert!(!item.rules.contains(&"placeholder".to_string()), "{item:?}");
}

// ─── the command line ─────────────────────────────────────────────────────────────────

fn spec_check(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("spec-check").expect("binary");
    cmd.current_dir(dir).env("NO_COLOR", "1").env_remove("CI");
    cmd
}

fn project(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    for n in support::PREREQUISITES {
        fs::write(docs.join(n), "# prerequisite\n").unwrap();
    }
    fs::write(docs.join("06-technical-specification.md"), spec).unwrap();
    dir
}

#[test]
fn require_suppression_reason_from_the_config() {
    let dir = project(&format!(
        "{HEAD}<!-- spec-check-disable-next-line SC008 -->\nTBD\n"
    ));
    spec_check(dir.path())
        .args(["--select", "SC008,SC021"])
        .assert()
        .code(0);
    fs::write(
        dir.path().join("spec-check.toml"),
        "require-suppression-reason = true\n",
    )
    .unwrap();
    spec_check(dir.path())
        .args(["--select", "SC008,SC021", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(contains(
            "SC021 [error] `spec-check-disable-next-line` gives no reason",
        ));
}

#[test]
fn suppress_command_silences_every_finding_and_keeps_blocks_whole() {
    let flawed = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/flawed/docs/06-technical-specification.md"),
    )
    .unwrap();
    let crlf = flawed.replace('\n', "\r\n");
    for (name, text) in [("lf", flawed.clone()), ("crlf", crlf)] {
        let dir = project(&text);
        fs::write(dir.path().join(".vibe-status.md"), "- [ ] Step 6\n").unwrap();
        spec_check(dir.path()).assert().code(1);
        spec_check(dir.path())
            .arg("suppress")
            .assert()
            .code(0)
            .stdout(contains("suppressed"));
        let after =
            fs::read_to_string(dir.path().join("docs/06-technical-specification.md")).unwrap();
        // nothing is left, not even an unused suppression
        spec_check(dir.path())
            .args(["--format", "concise", "--fail-on", "info"])
            .assert()
            .code(0)
            .stdout("");
        // only comment lines were added: every original line is still there, in order
        let added: Vec<&str> = {
            let orig: Vec<&str> = text.split_inclusive('\n').collect();
            let mut i = 0;
            let mut added = Vec::new();
            for l in after.split_inclusive('\n') {
                if i < orig.len() && orig[i] == l {
                    i += 1;
                } else {
                    added.push(l);
                }
            }
            assert_eq!(i, orig.len(), "{name}: original lines lost");
            added
        };
        assert!(!added.is_empty());
        for l in &added {
            assert!(
                l.trim_start().starts_with("<!-- spec-check-"),
                "{name}: {l:?}"
            );
            if name == "crlf" {
                assert!(l.ends_with("\r\n"), "{name}: line ending kept: {l:?}");
            }
        }
        // the markdown structure is unchanged: same tables and code blocks
        let before_doc = Document::parse(PATH, text.clone());
        let after_doc = Document::parse(PATH, after.clone());
        assert_eq!(before_doc.tables.len(), after_doc.tables.len(), "{name}");
        assert_eq!(
            before_doc.code_blocks.len(),
            after_doc.code_blocks.len(),
            "{name}"
        );
        assert_eq!(
            before_doc.sections.len(),
            after_doc.sections.len(),
            "{name}"
        );
    }
}

/// Where `spec-check suppress` puts its comments: above a block's first line; around a
/// table, code block or paragraph it would otherwise split; `disable-file` for front matter.
#[test]
fn suppress_command_places_comments_without_splitting_blocks() {
    let fixture = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suppress-insert.md"),
    )
    .unwrap();
    let dir = project(&fixture);
    spec_check(dir.path())
        .args(["--select", "SC008", "--format", "concise"])
        .assert()
        .code(1);
    spec_check(dir.path())
        .args(["suppress", "--select", "SC008"])
        .assert()
        .code(0);
    spec_check(dir.path())
        .args([
            "--select",
            "SC008,SC020",
            "--format",
            "concise",
            "--fail-on",
            "info",
        ])
        .assert()
        .code(0)
        .stdout("");
    let after = fs::read_to_string(dir.path().join("docs/06-technical-specification.md")).unwrap();
    insta::assert_snapshot!("suppress_insert", after);
}

#[test]
fn suppress_refuses_git_modes() {
    let dir = project(HEAD);
    spec_check(dir.path())
        .args(["suppress", "--staged"])
        .assert()
        .code(2)
        .stderr(contains("edits files in the work tree"));
}
