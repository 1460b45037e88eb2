//! spec-check over the shared corpus of real and template-written specifications
//! (`../shared/corpus/`, skipped when absent): no panic, and no section reported missing
//! that the document has under a variant heading. The "present" lists below were
//! established by reading each document.

use crate::support;

use std::fs;
use std::path::{Path, PathBuf};

use spec_check::source::fs::FsWorkspace;

fn markdown_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            markdown_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

/// Template section numbers that each specification has (under any title), read by hand.
const PRESENT: &[(&str, &[&str])] = &[
    (
        "generated/brightpath/docs/06-technical-specification.md",
        &[
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
        ],
    ),
    (
        "generated/ledgerly/docs/06-technical-specification.md",
        &[
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
        ],
    ),
    (
        "generated/tidepool/docs/06-technical-specification.md",
        &[
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
        ],
    ),
    // Executive Summary, Architecture Overview, Functional Requirements (core features), API contract
    // under Data Architecture, QA (testing), Security, CI/CD + Deployment, Standards, Phases, Risks
    (
        "netneural__demo/docs/TECHNICAL_SPECIFICATION.md",
        &[
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
        ],
    ),
    // ARCHITECTURE, CORE API, DATABASE DESIGN, SECURITY, performance criteria, DEVELOPMENT PRINCIPLE
    (
        "vibecred__regchange_ai/docs/RegChange AI — Master Technical Specification & Development Blueprint.md",
        &["2", "4", "5", "6", "7", "10"],
    ),
];

#[test]
fn every_corpus_document_checks_without_panic() {
    let Some(root) = support::corpus() else {
        eprintln!("../shared/corpus not found: skipped");
        return;
    };
    let packs = support::packs();
    let mut files = Vec::new();
    markdown_under(&root, &mut files);
    assert!(!files.is_empty());
    for f in files {
        let text = fs::read_to_string(&f).expect("corpus is UTF-8");
        let report = support::check_text(&packs, f.to_str().unwrap(), &text, &FsWorkspace);
        for d in &report.diagnostics {
            assert!(
                d.start.byte <= d.end.byte && d.end.byte <= text.len(),
                "{}: bad span",
                f.display()
            );
            assert!(text.is_char_boundary(d.start.byte) && text.is_char_boundary(d.end.byte));
        }
    }
}

#[test]
fn no_present_section_is_reported_missing() {
    let Some(root) = support::corpus() else {
        return;
    };
    let packs = support::packs();
    for (rel, present) in PRESENT {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).expect("corpus document");
        let report = support::check_text(&packs, path.to_str().unwrap(), &text, &FsWorkspace);
        for d in report.diagnostics.iter().filter(|d| d.code == "SC001") {
            let number = d
                .message()
                .split('`')
                .nth(1)
                .and_then(|s| s.split('.').next())
                .unwrap_or("");
            assert!(
                !present.contains(&number),
                "{rel}: section {number} is present but reported: {}",
                d.message()
            );
        }
        if rel.starts_with("generated/") {
            let structural: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| {
                    ["SC001", "SC002", "SC003", "SC004", "SC005"].contains(&d.code.as_str())
                })
                .collect();
            assert!(
                structural.is_empty(),
                "{rel}: {}",
                support::render(&structural)
            );
        }
    }
}
