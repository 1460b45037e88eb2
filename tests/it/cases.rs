//! Check-kind fixtures: every `tests/cases/<kind>/<case>.md` is checked with the built-in
//! pack; the findings of the rules that use `<kind>` are snapshotted. A case that is a
//! directory is a small project: its `docs/06-technical-specification.md` is checked with the
//! real file system around it.
//!
//! `cargo insta review` (or `INSTA_UPDATE=always`) blesses changes.

use crate::support;

use std::fs;
use std::path::Path;

use spec_check::source::fs::FsWorkspace;

#[test]
fn check_kind_cases() {
    let packs = support::packs();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut kinds: Vec<_> = fs::read_dir(&root)
        .expect("tests/cases")
        .flatten()
        .collect();
    kinds.sort_by_key(|e| e.file_name());
    let mut ran = 0;
    for kind_dir in kinds {
        let kind = kind_dir.file_name().to_string_lossy().into_owned();
        if kind == "languages" {
            continue; // whole specifications in other languages: tests/it/languages.rs
        }
        let codes: Vec<String> = packs
            .iter()
            .flat_map(|p| p.rules.iter())
            .filter(|r| r.kind == kind)
            .map(|r| r.code.clone())
            .collect();
        assert!(
            !codes.is_empty(),
            "tests/cases/{kind}: no rule of the built-in pack uses this kind"
        );
        let mut cases: Vec<_> = fs::read_dir(kind_dir.path())
            .expect("kind dir")
            .flatten()
            .collect();
        cases.sort_by_key(|e| e.file_name());
        for case in cases {
            let path = case.path();
            if case.file_name() == "snapshots" {
                continue;
            }
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let report = if path.is_dir() {
                // relative to the package root, where cargo runs integration tests
                let spec = Path::new("tests/cases")
                    .join(&kind)
                    .join(&name)
                    .join("docs/06-technical-specification.md");
                let text = fs::read_to_string(&spec).expect("case spec");
                support::check_text(&packs, spec.to_str().unwrap(), &text, &FsWorkspace)
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = fs::read_to_string(&path).expect("case");
                // a fixture checked as if it were docs/06-…, with its prerequisites present
                let ws = support::complete_project();
                support::check_text(&packs, "docs/06-technical-specification.md", &text, &ws)
            } else {
                continue;
            };
            let mine: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| codes.contains(&d.code))
                .collect();
            insta::with_settings!({
                snapshot_path => root.join(&kind).join("snapshots"),
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("tests/cases/{kind}/{}", path.file_name().unwrap().to_string_lossy()),
            }, {
                insta::assert_snapshot!(name.clone(), support::render(&mine));
            });
            ran += 1;
        }
    }
    assert!(ran > 0, "no cases found under tests/cases");
}
