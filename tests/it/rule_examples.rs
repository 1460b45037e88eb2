//! Every rule's documented "Example bad" fires the rule and its "Example good" does not.
//! The documentation is the specification; this keeps them honest.
//!
//! For cross-document rules the examples describe the other file: for `prerequisites`, the
//! names of the files in the spec's `docs/` folder; for `vibe-status`, the status file.

use crate::support;

use std::path::Path;

use spec_check::source::memory::MemoryWorkspace;

const SPEC: &str = "docs/06-technical-specification.md";
const MINIMAL_SPEC: &str =
    "# Acme Technical Specification\n\n## 1. Executive Summary\n\nA short spec.\n";

/// The document and workspace an example stands for.
fn scenario(kind: &str, example: &str) -> (String, MemoryWorkspace) {
    match kind {
        "prerequisites" => {
            let mut ws = MemoryWorkspace::new();
            for name in example.lines().map(str::trim).filter(|l| !l.is_empty()) {
                ws.insert(Path::new("docs").join(name), "# x\n");
            }
            (MINIMAL_SPEC.to_string(), ws)
        }
        "vibe-status" => {
            let mut ws = support::complete_project();
            ws.insert(".vibe-status.md", example);
            (MINIMAL_SPEC.to_string(), ws)
        }
        _ => (example.to_string(), support::complete_project()),
    }
}

#[test]
fn documented_examples_behave_as_documented() {
    let packs = support::packs();
    let mut failures = Vec::new();
    for pack in &packs {
        for rule in &pack.rules {
            for (which, example, should_fire) in [
                ("bad", &rule.docs.bad, true),
                ("good", &rule.docs.good, false),
            ] {
                let (text, ws) = scenario(&rule.kind, example);
                let report = support::check_text(&packs, SPEC, &text, &ws);
                let mine: Vec<_> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == rule.code)
                    .collect();
                if should_fire && mine.is_empty() {
                    failures.push(format!(
                        "{} ({}): the `bad` example does not fire",
                        rule.code, rule.name
                    ));
                }
                if !should_fire && !mine.is_empty() {
                    failures.push(format!(
                        "{} ({}): the `{which}` example fires:\n{}",
                        rule.code,
                        rule.name,
                        support::render(&mine)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_is_documented() {
    for pack in support::packs() {
        for r in &pack.rules {
            for (field, text) in [
                ("summary", &r.docs.summary),
                ("what", &r.docs.what),
                ("why", &r.docs.why),
                ("bad", &r.docs.bad),
                ("good", &r.docs.good),
            ] {
                assert!(
                    !text.trim().is_empty(),
                    "{} ({}) has no `{field}`",
                    r.code,
                    r.name
                );
            }
        }
    }
}
