//! The API, database and JSON/SQL code-block rules (API, DB, CB001–CB003) over the shared
//! corpus (`../shared/corpus/`, or `$SPEC_CHECK_CORPUS`; skipped when absent). Every
//! finding in the snapshot was read and judged by hand; a change in it is a change in
//! accuracy to review, not to bless blindly.

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
    // not a step-6 spec, but forty blocks of real Supabase SQL (functions, policies, `DO`
    // blocks, triggers): none of it may be reported as a syntax error
    ("szewong__simple-crm-3/docs/05-database-schema.md", SQL),
    ("szewong__simple-crm-3/docs/02-architecture.md", SQL),
];

const ALL: &[&str] = &["API", "DB", "CB001", "CB002", "CB003"];
const SQL: &[&str] = &["CB001", "CB002", "CB003", "DB001", "DB002"];

#[test]
fn api_and_database_findings_on_the_corpus() {
    let Some(out) = support::corpus_findings(DOCS) else {
        eprintln!("../shared/corpus not found: skipped");
        return;
    };
    insta::assert_snapshot!(out);
}
