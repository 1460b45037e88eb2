//! The bundled demo: `examples/good` passes clean, `examples/flawed` trips every rule of the
//! built-in pack (so the README's first command shows what spec-check can find).

use crate::support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use spec_check::run::{CheckSettings, check_work_tree};

fn check(dir: &str) -> spec_check::report::Report {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let settings = CheckSettings {
        paths: vec![PathBuf::from(dir)],
        ..CheckSettings::default()
    };
    check_work_tree(&settings, &support::packs(), &root).expect("examples check")
}

#[test]
fn good_example_has_no_findings() {
    let report = check("examples/good");
    assert_eq!(report.files.iter().filter(|f| f.checked).count(), 1);
    let all: Vec<_> = report.diagnostics.iter().collect();
    assert!(
        all.is_empty(),
        "examples/good should be clean:\n{}",
        support::render(&all)
    );
    assert!(report.errors.is_empty());
}

/// Rules that cannot fire on a document the others fire on: ENV006 reports a spec with no
/// env block at all, while ENV001–ENV005 need one. Their fixtures under tests/cases cover them.
const EXCLUSIVE: &[&str] = &["ENV006"];

#[test]
fn flawed_example_trips_every_rule() {
    let report = check("examples/flawed");
    let fired: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    let missing: Vec<String> = support::packs()
        .iter()
        .flat_map(|p| p.rules.iter())
        .filter(|r| !fired.contains(r.code.as_str()) && !EXCLUSIVE.contains(&r.code.as_str()))
        .map(|r| format!("{} ({})", r.code, r.name))
        .collect();
    assert!(
        missing.is_empty(),
        "rules that do not fire on examples/flawed: {}",
        missing.join(", ")
    );
}
