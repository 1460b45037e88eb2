//! The Quality-Checklist rules (AD, SEC, TST, DEP, PERF) over the shared corpus
//! (`../shared/corpus/`, or `$SPEC_CHECK_CORPUS`; skipped when absent): every finding was
//! read and judged by hand, so a change in this snapshot is a change in accuracy to review.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use spec_check::source::fs::FsWorkspace;

const SPECS: &[&str] = &[
    "generated/brightpath/docs/06-technical-specification.md",
    "generated/ledgerly/docs/06-technical-specification.md",
    "generated/tidepool/docs/06-technical-specification.md",
    "netneural__demo/docs/TECHNICAL_SPECIFICATION.md",
    "vibecred__regchange_ai/docs/RegChange AI — Master Technical Specification & Development Blueprint.md",
];

const PREFIXES: &[&str] = &["AD", "SEC0", "TST", "DEP", "PERF"];

fn corpus() -> Option<PathBuf> {
    let p = std::env::var_os("SPEC_CHECK_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    p.is_dir().then_some(p)
}

#[test]
fn checklist_findings_on_the_corpus() {
    let Some(root) = corpus() else {
        eprintln!("../shared/corpus not found: skipped");
        return;
    };
    let packs = support::packs();
    let mut out = String::new();
    for rel in SPECS {
        let path = root.join(rel);
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let report = support::check_text(&packs, path.to_str().unwrap(), &text, &FsWorkspace);
        let mine: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| PREFIXES.iter().any(|p| d.code.starts_with(p)))
            .collect();
        out.push_str(&format!("== {rel}\n{}", support::render(&mine)));
    }
    insta::assert_snapshot!(out);
}
