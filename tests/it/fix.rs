//! Fixes as data, applied: every `tests/fixes/<case>.md` is fixed as if it were
//! `docs/06-technical-specification.md` in a complete project (`<case>.unsafe.md` also with
//! the unsafe fixes), and the patch and the fixed file are snapshotted. Every case must be
//! idempotent and must not add findings of other rules. Property tests do the same on
//! generated documents and on documents derived from the shared corpus.
//!
//! `cargo insta review` (or `INSTA_UPDATE=always`) blesses changes.

use crate::support;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use spec_check::fix::{self, FixRun, FixSettings};
use spec_check::pack::RulePack;
use spec_check::report::Report;
use spec_check::source::memory::MemoryWorkspace;
use spec_check::source::{Origin, SourceFile, Workspace};

const SPEC: &str = "docs/06-technical-specification.md";

fn source(text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from(SPEC),
        text: text.to_string(),
        origin: Origin::WorkTree,
        explicit: true,
    }
}

fn settings(unsafe_fixes: bool) -> FixSettings {
    FixSettings {
        unsafe_fixes,
        ..FixSettings::default()
    }
}

/// Fix `text`; returns the run and the fixed document text.
fn fix_text(
    packs: &[RulePack],
    text: &str,
    ws: &dyn Workspace,
    unsafe_fixes: bool,
) -> (FixRun, String) {
    let run = fix::fix_files(packs, &[source(text)], ws, &settings(unsafe_fixes))
        .unwrap_or_else(|e| panic!("fixing failed: {e}"));
    let fixed = run
        .changes
        .iter()
        .find(|c| c.path == Path::new(SPEC))
        .map_or_else(|| text.to_string(), |c| c.fixed.clone());
    (run, fixed)
}

/// Line breaks and a BOM made visible, so snapshots show what the bytes are.
fn visible(s: &str) -> String {
    s.replace('\u{feff}', "<BOM>").replace('\r', "␍")
}

/// Findings per rule, leaving out findings on lines the fix inserted: skeletons are empty
/// on purpose, and what the rules say about them is the author's to-do list.
fn counts(report: &Report, added: &[std::ops::Range<usize>]) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for d in &report.diagnostics {
        let line = d.start.line - 1;
        if added.iter().any(|r| r.contains(&line)) {
            continue;
        }
        *out.entry(d.code.clone()).or_insert(0) += 1;
    }
    out
}

/// 0-based line ranges of `fixed` that are not in `original` (inserted skeletons; also a
/// renamed heading line, which the fixer itself does not exempt).
fn added_lines(original: &str, fixed: &str) -> Vec<std::ops::Range<usize>> {
    similar::TextDiff::from_lines(original, fixed)
        .ops()
        .iter()
        .filter_map(|op| match op.as_tag_tuple() {
            (similar::DiffTag::Equal | similar::DiffTag::Delete, _, _) => None,
            (_, _, new) => Some(new),
        })
        .collect()
}

/// Fixing never leaves more findings of a rule than there were (skeletons aside). `ws` is
/// the project before, `fixed_ws` after (they differ when a fix edits another file).
fn assert_no_new_findings(
    packs: &[RulePack],
    original: &str,
    fixed: &str,
    ws: &dyn Workspace,
    fixed_ws: &dyn Workspace,
) {
    let before = support::check_text(packs, SPEC, original, ws);
    let after = support::check_text(packs, SPEC, fixed, fixed_ws);
    let (b, a) = (
        counts(&before, &[]),
        counts(&after, &added_lines(original, fixed)),
    );
    for (code, n) in &a {
        let was = b.get(code).copied().unwrap_or(0);
        assert!(
            *n <= was,
            "fixing added {} finding(s) of {code}:\n{}\n--- fixed text ---\n{fixed}",
            n - was,
            after
                .diagnostics
                .iter()
                .filter(|d| &d.code == code)
                .map(|d| format!("{}:{} {}", d.start.line, d.start.column, d.message()))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

fn assert_idempotent(packs: &[RulePack], fixed: &str, ws: &dyn Workspace, unsafe_fixes: bool) {
    let (again, refixed) = fix_text(packs, fixed, ws, unsafe_fixes);
    assert_eq!(
        visible(&refixed),
        visible(fixed),
        "fixing the fixed text changed it again: {:?}",
        again.documents.first().map(|d| &d.applied)
    );
}

/// A case: `<name>.md` (the spec, in a complete project) or a directory `<name>/` holding
/// `docs/06-technical-specification.md` and whatever else the project has (its status
/// file); prerequisites are added when the directory lacks them.
fn load_case(path: &Path) -> (String, MemoryWorkspace) {
    if path.is_file() {
        let text = String::from_utf8(fs::read(path).unwrap()).expect("UTF-8 case");
        return (text, support::complete_project());
    }
    let mut ws = MemoryWorkspace::new();
    for n in support::PREREQUISITES {
        ws.insert(Path::new("docs").join(n), "# prerequisite\n");
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(path).unwrap().to_path_buf();
                ws.insert(rel, String::from_utf8(fs::read(&p).unwrap()).unwrap());
            }
        }
    }
    let text = ws
        .read(Path::new(SPEC))
        .expect("case directory has the spec");
    (text, ws)
}

#[test]
fn fix_cases() {
    let packs = support::packs();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/fixes")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                || (p.is_dir() && p.file_name().is_some_and(|n| n != "snapshots"))
        })
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases under tests/fixes");
    for path in cases {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let name = file.trim_end_matches(".md").to_string();
        let unsafe_fixes = name.ends_with(".unsafe");
        let (text, ws) = load_case(&path);
        let (run, fixed) = fix_text(&packs, &text, &ws, unsafe_fixes);
        let mut account = String::new();
        for d in &run.documents {
            account.push_str(&format!(
                // finding counts depend on every rule of the pack; the fixes do not
                "settled in {} round(s)\n",
                d.rounds
            ));
            for a in &d.applied {
                account.push_str(&format!(
                    "applied {}: {} ({})\n",
                    a.code,
                    a.title,
                    a.path.display()
                ));
            }
            for s in &d.skipped {
                account.push_str(&format!("skipped {}: {} ({})\n", s.code, s.title, s.reason));
            }
        }
        let diff = fix::unified_diff(&run.changes, Path::new("/repo"), Path::new("/repo"));
        // every changed file, fixed
        let mut files = String::new();
        for c in &run.changes {
            files.push_str(&format!("=== {}\n{}", c.path.display(), c.fixed));
            if !c.fixed.ends_with('\n') {
                files.push_str("\n(no newline at end of file)\n");
            }
        }
        insta::with_settings!({
            snapshot_path => dir.join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("tests/fixes/{file}"),
        }, {
            insta::assert_snapshot!(format!("{name}.diff"), visible(&format!("{account}\n{diff}")));
            insta::assert_snapshot!(format!("{name}.fixed"), visible(&files));
        });
        // what the user asked for still holds, in every file the fixes touched
        for c in &run.changes {
            let shown = c.path.display();
            assert_eq!(
                c.original.starts_with('\u{feff}'),
                c.fixed.starts_with('\u{feff}'),
                "{shown}: BOM"
            );
            assert_eq!(
                c.original.ends_with('\n'),
                c.fixed.ends_with('\n'),
                "{shown}: final newline"
            );
            if c.original.contains("\r\n") {
                assert!(
                    !c.fixed.replace("\r\n", "").contains('\n'),
                    "{shown}: a line break without CR in a CRLF file"
                );
            }
        }
        // the fixed project, checked again: nothing more to fix, nothing new found
        let mut fixed_ws = ws.clone();
        for c in &run.changes {
            fixed_ws.insert(c.path.clone(), c.fixed.clone());
        }
        assert_idempotent(&packs, &fixed, &fixed_ws, unsafe_fixes);
        assert_no_new_findings(&packs, &text, &fixed, &ws, &fixed_ws);
    }
}

/// A file that is checked but not matched by any skeleton or rename: fixing changes nothing.
#[test]
fn a_clean_document_is_left_alone() {
    let packs = support::packs();
    let ws = support::complete_project();
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/sections/complete.md"),
    )
    .unwrap();
    let (run, fixed) = fix_text(&packs, &text, &ws, true);
    assert!(run.changes.is_empty(), "{:?}", run.documents);
    assert_eq!(run.fixed(), 0);
    assert_eq!(fixed, text);
}

/// A fix that would add findings of another rule is dropped and said so; the other fixes
/// still apply. (A pack where a placeholder rule flags the word the rename would write.)
#[test]
fn a_fix_that_adds_findings_of_another_rule_is_dropped() {
    let toml = format!(
        "{}\n{}",
        spec_check::pack::BUILTIN[0].1,
        r#"
[[rules]]
code = "TST901"
name = "no-specifications-word"
check = "placeholders"
severity = "error"
summary = "test rule"
what = "test"
why = "test"
bad = "x"
good = "y"
params = { patterns = [ { pattern = 'Specifications' } ] }
"#
    );
    let packs = vec![RulePack::from_toml("test pack", &toml).expect("test pack loads")];
    let ws = support::complete_project();
    let complete = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/sections/complete.md"),
    )
    .unwrap();
    // section 6 is recognised by its number and subsections, not its title (its rename
    // would bring the word), and section 9 is misnumbered (its renumbering would not)
    let text = complete
        .replace(
            "## 6. Security Specifications",
            "## 6. Security Notes Appendix",
        )
        .replace("## 9. DevOps & Deployment", "## 90. DevOps & Deployment");
    let (run, fixed) = fix_text(&packs, &text, &ws, true);
    let doc = &run.documents[0];
    assert!(
        doc.skipped.iter().any(|s| s.code == "SC006"
            && s.title.contains("Security Specifications")
            && s.reason.contains("TST901")),
        "{:?}",
        doc.skipped
    );
    assert!(
        fixed.contains("## 6. Security Notes Appendix\n"),
        "the rename was dropped"
    );
    assert!(
        fixed.contains("## 9. DevOps & Deployment\n"),
        "the harmless renumbering was applied"
    );
}

/// Fixes that need more rounds than allowed stop with an error naming the rules, and
/// nothing is returned to write.
#[test]
fn fixes_that_do_not_settle_are_an_error_naming_the_rules() {
    let packs = support::packs();
    let ws = support::complete_project();
    let complete = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/sections/complete.md"),
    )
    .unwrap();
    // section 10 and subsection 9.2 are missing (the 9.2 gap is DEP001's, with SC005's skeleton):
    // their skeletons go to the same place, and
    // two rules' insertions at one place wait for each other, one per round
    let (a, b) = (
        complete.find("### 9.2 ").expect("9.2"),
        complete.find("## 11. ").expect("§11"),
    );
    let text = format!("{}{}", &complete[..a], &complete[b..]);
    let tight = FixSettings {
        unsafe_fixes: true,
        max_rounds: 1,
        ..FixSettings::default()
    };
    let err = fix::fix_files(&packs, &[source(&text)], &ws, &tight).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("did not settle after 1 rounds"), "{msg}");
    assert!(
        msg.contains("SC001 (missing-section)")
            || msg.contains("SC005 (missing-subsection)")
            || msg.contains("DEP001 (deployment-gap)"),
        "{msg}"
    );
    let run = fix::fix_files(&packs, &[source(&text)], &ws, &settings(true)).expect("settles");
    let fixed = &run.changes[0].fixed;
    assert!(fixed.contains("### 9.2 CI/CD Pipeline"), "{fixed}");
    assert!(fixed.contains("## 10. Development Workflow"), "{fixed}");
}

// ─── Property tests ──────────────────────────────────────────────────────────────────────

/// Heading titles a generated document draws from: template titles, aliases, and noise.
const TITLES: &[&str] = &[
    "Executive Summary",
    "Summary",
    "System Architecture",
    "Architecture",
    "Detailed Component Specifications",
    "API Specification",
    "API SPECS",
    "Database Design",
    "Data Model",
    "Security Specifications",
    "Performance Optimization",
    "Performance Targets",
    "Testing Strategy",
    "Testing Pyramid",
    "DevOps & Deployment",
    "CI/CD Pipeline",
    "Development Workflow",
    "Team Structure & Responsibilities",
    "Implementation Phases",
    "Risk Mitigation & Contingency Planning",
    "Technical Risks",
    "Service Integration Specifications",
    "Environment Variables & Configuration",
    "Glossary",
    "Appendix",
    "🔌 Integrations",
];

const BODIES: &[&str] = &[
    "This part is written out with enough real words for a reviewer to read.",
    "TBD",
    "",
    "<!-- to do -->",
    "- PostgreSQL because the data is relational and we need transactions.",
    "```sql\nCREATE TABLE users (id uuid PRIMARY KEY);\n```",
];

/// One heading of a generated document: level, number style, title, body.
fn heading() -> impl Strategy<Value = (u8, Option<String>, usize, usize)> {
    (
        1u8..=4,
        prop_oneof![
            Just(None),
            (1u32..16).prop_map(|n| Some(format!("{n}."))),
            (1u32..16, 1u32..6).prop_map(|(a, b)| Some(format!("{a}.{b}"))),
            (1u32..16).prop_map(|n| Some(format!("{n})"))),
        ],
        0..TITLES.len(),
        0..BODIES.len(),
    )
}

fn document() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(heading(), 0..18),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(heads, crlf, bom, final_newline)| {
            let mut lines = vec!["# Acme Technical Specification".to_string(), String::new()];
            for (level, number, t, b) in heads {
                let hashes = "#".repeat(level as usize + 1);
                let title = TITLES[t];
                lines.push(match number {
                    Some(n) => format!("{hashes} {n} {title}"),
                    None => format!("{hashes} {title}"),
                });
                lines.push(String::new());
                if !BODIES[b].is_empty() {
                    lines.push(BODIES[b].to_string());
                    lines.push(String::new());
                }
            }
            let mut text = lines.join("\n");
            if !final_newline {
                text = text.trim_end().to_string();
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            if bom {
                text.insert(0, '\u{feff}');
            }
            text
        })
}

fn check_properties(packs: &[RulePack], ws: &dyn Workspace, text: &str) {
    for unsafe_fixes in [false, true] {
        let (_, once) = fix_text(packs, text, ws, unsafe_fixes);
        assert_idempotent(packs, &once, ws, unsafe_fixes);
        assert_no_new_findings(packs, text, &once, ws, ws);
        assert_eq!(text.starts_with('\u{feff}'), once.starts_with('\u{feff}'));
        assert_eq!(text.ends_with('\n'), once.ends_with('\n'));
        if text.contains("\r\n") {
            // a CRLF document stays CRLF, and fixing it is fixing its LF twin
            assert!(!once.replace("\r\n", "").contains('\n'));
            let (_, lf) = fix_text(packs, &text.replace("\r\n", "\n"), ws, unsafe_fixes);
            assert_eq!(once.replace("\r\n", "\n"), lf);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_fix_idempotently(text in document()) {
        let packs = support::packs();
        let ws = support::complete_project();
        check_properties(&packs, &ws, &text);
    }
}

fn corpus_documents() -> Vec<String> {
    let Some(root) = support::corpus() else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md")
                && p.to_string_lossy().contains("/docs/")
            {
                paths.push(p);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .collect()
}

/// A corpus document with some of its headings removed or renumbered, and its line
/// endings possibly changed: real text around the edits the fixes make.
fn mutate(text: &str, seed: u64, crlf: bool) -> String {
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut out = Vec::new();
    let mut skipping: Option<usize> = None;
    for line in text.lines() {
        let level = line.chars().take_while(|&c| c == '#').count();
        let is_heading = (1..=6).contains(&level) && line[level..].starts_with(' ');
        if is_heading {
            if skipping.is_some_and(|l| level <= l) {
                skipping = None;
            }
            if skipping.is_none() {
                match next() % 10 {
                    0 => {
                        skipping = Some(level);
                        continue;
                    }
                    1 => {
                        // shift a number: `## 4.` → `## 5.`
                        let shifted = line.replacen(
                            |c: char| c.is_ascii_digit(),
                            &(next() % 9 + 1).to_string(),
                            1,
                        );
                        out.push(shifted);
                        continue;
                    }
                    _ => {}
                }
            }
        }
        if skipping.is_none() {
            out.push(line.to_string());
        }
    }
    let text = out.join("\n") + "\n";
    if crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

#[test]
fn corpus_derived_documents_fix_idempotently() {
    let docs = corpus_documents();
    if docs.is_empty() {
        eprintln!("shared corpus not found; skipped");
        return;
    }
    let packs = support::packs();
    let ws = support::complete_project();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 6,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &(0..docs.len(), any::<u64>(), any::<bool>()),
            |(i, seed, crlf)| {
                let text = mutate(&docs[i], seed, crlf);
                check_properties(&packs, &ws, &text);
                Ok(())
            },
        )
        .unwrap();
}
