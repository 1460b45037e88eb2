//! The Quality-Checklist rules (AD, SEC, TST, DEP, PERF) over the shared corpus
//! (`../shared/corpus/`, or `$SPEC_CHECK_CORPUS`; skipped when absent): every finding was
//! read and judged by hand, so a change in this snapshot is a change in accuracy to review.

use crate::support;

const SPECS: &[&str] = &[
    "generated/brightpath/docs/06-technical-specification.md",
    "generated/ledgerly/docs/06-technical-specification.md",
    "generated/tidepool/docs/06-technical-specification.md",
    "netneural__demo/docs/TECHNICAL_SPECIFICATION.md",
    "vibecred__regchange_ai/docs/RegChange AI — Master Technical Specification & Development Blueprint.md",
];

const PREFIXES: &[&str] = &["AD", "SEC0", "TST", "DEP", "PERF"];

#[test]
fn checklist_findings_on_the_corpus() {
    let docs: Vec<(&str, &[&str])> = SPECS.iter().map(|s| (*s, PREFIXES)).collect();
    let Some(out) = support::corpus_findings(&docs) else {
        eprintln!("../shared/corpus not found: skipped");
        return;
    };
    insta::assert_snapshot!(out);
}
