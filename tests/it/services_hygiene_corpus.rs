//! Environment variables, secrets, service authentication, mermaid/YAML blocks, links and the
//! timeline (ENV, SECRET, SVC, CB004–CB006, LNK, CON) over the shared corpus
//! (`../shared/corpus/`, or `$SPEC_CHECK_CORPUS`; skipped when absent). Every finding was read
//! and judged by hand, so a change in this snapshot is a change in accuracy to review.

use crate::support;

/// The corpus documents, each with the rule prefixes judged on it.
const DOCS: &[(&str, &[&str])] = &[
    (
        "generated/brightpath/docs/06-technical-specification.md",
        ALL,
    ),
    ("generated/ledgerly/docs/06-technical-specification.md", ALL),
    ("generated/tidepool/docs/06-technical-specification.md", ALL),
    ("netneural__demo/docs/TECHNICAL_SPECIFICATION.md", ALL),
    (
        "vibecred__regchange_ai/docs/RegChange AI — Master Technical Specification & Development Blueprint.md",
        ALL,
    ),
    // not step-6 specs (so no section 13 to judge), but real tables of contents, diagrams
    // and code for the document-hygiene rules
    (
        "szewong__simple-crm-3/docs/01-product-requirements.md",
        HYGIENE,
    ),
    ("szewong__simple-crm-3/docs/02-architecture.md", HYGIENE),
    (
        "szewong__simple-crm-3/docs/04-visual-design-system.md",
        HYGIENE,
    ),
    ("szewong__simple-crm-3/docs/05-database-schema.md", HYGIENE),
    ("szewong__simple-crm-3/docs/06-testing-strategy.md", HYGIENE),
];

const ALL: &[&str] = &[
    "ENV", "SECRET", "SVC", "CB004", "CB005", "CB006", "LNK", "CON",
];
const HYGIENE: &[&str] = &["SECRET", "CB004", "CB005", "CB006", "LNK"];

#[test]
fn services_and_hygiene_findings_on_the_corpus() {
    let Some(out) = support::corpus_findings(DOCS) else {
        eprintln!("../shared/corpus not found: skipped");
        return;
    };
    insta::assert_snapshot!(out);
}
