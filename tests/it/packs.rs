//! The built-in packs beyond `vibe-step-6` — `vibe-steps-1-5` and `adr` — on fixture
//! projects under `tests/packs/<pack>/<case>/`, their documented examples, and the pack
//! format's documentation (every check kind is described in rules/README.md).

use crate::support;

use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use spec_check::pack::RulePack;
use spec_check::run::{self, CheckSettings};
use spec_check::source::memory::MemoryWorkspace;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Check a fixture directory with one pack, as `spec-check check --pack ID DIR` does.
fn check_dir(pack: &str, dir: &Path) -> String {
    let packs = vec![RulePack::builtin(pack).expect("built-in pack")];
    let settings = CheckSettings {
        paths: vec![dir.to_path_buf()],
        ..CheckSettings::default()
    };
    let report = run::check(&settings, &packs, &root()).expect("runs");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "checked: {}",
        report
            .files
            .iter()
            .filter(|f| f.checked)
            .map(|f| spec_check::source::display_path(f.path.strip_prefix(dir).unwrap_or(&f.path)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for d in &report.diagnostics {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} [{}] {}",
            spec_check::source::display_path(d.path.strip_prefix(dir).unwrap_or(&d.path)),
            d.start.line,
            d.start.column,
            d.code,
            d.severity,
            d.message()
        );
    }
    out
}

#[test]
fn adr_pack_on_nygard_madr_and_broken_records() {
    let dir = Path::new("tests/packs/adr");
    let out = check_dir("adr", dir);
    // the index and the template in the same folder are not records
    assert!(
        !out.contains("README.md") && !out.contains("template.md"),
        "{out}"
    );
    insta::assert_snapshot!("adr_records", out);
}

#[test]
fn steps_pack_passes_a_complete_set_in_its_many_spellings() {
    let out = check_dir(
        "vibe-steps-1-5",
        Path::new("tests/packs/vibe-steps-1-5/complete"),
    );
    assert_eq!(
        out,
        "checked: docs/01-project-specification.md, docs/02-technical-architecture.md, docs/03-ux-design.md, docs/04-design-system.md, docs/05-interface-states.md\n"
    );
}

#[test]
fn steps_pack_reports_what_step_6_would_miss() {
    let out = check_dir(
        "vibe-steps-1-5",
        Path::new("tests/packs/vibe-steps-1-5/gaps"),
    );
    insta::assert_snapshot!("steps_gaps", out);
}

/// Where each pack's documented examples are checked.
fn example_path(pack: &str) -> &'static str {
    match pack {
        "adr" => "docs/adr/0003-use-postgresql.md",
        "vibe-steps-1-5" => "docs/01-project-specification.md",
        _ => "docs/06-technical-specification.md",
    }
}

#[test]
fn documented_examples_of_the_other_builtin_packs_behave() {
    let mut failures = Vec::new();
    for id in ["vibe-steps-1-5", "adr"] {
        let packs = vec![RulePack::builtin(id).unwrap()];
        for rule in &packs[0].rules {
            for (which, example, should_fire) in [
                ("bad", &rule.docs.bad, true),
                ("good", &rule.docs.good, false),
            ] {
                let report =
                    support::check_text(&packs, example_path(id), example, &MemoryWorkspace::new());
                let fired = report.diagnostics.iter().any(|d| d.code == rule.code);
                if fired != should_fire {
                    failures.push(format!(
                        "{} ({}): the `{which}` example {}",
                        rule.code,
                        rule.name,
                        if should_fire {
                            "does not fire"
                        } else {
                            "fires"
                        }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_builtin_pack_loads_and_has_distinct_codes() {
    let mut seen: Vec<(String, String)> = Vec::new();
    for (id, _) in spec_check::pack::BUILTIN {
        let pack = RulePack::builtin(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        for r in &pack.rules {
            if let Some((other, _)) = seen.iter().find(|(_, c)| *c == r.code) {
                panic!("{} is used by both {other} and {id}", r.code);
            }
            seen.push((id.to_string(), r.code.clone()));
        }
    }
    for r in spec_check::suppress::RULES {
        assert!(
            !seen.iter().any(|(_, c)| c == r.code),
            "{} is an engine rule",
            r.code
        );
    }
}

#[test]
fn every_check_kind_is_documented_in_rules_readme() {
    let readme = fs::read_to_string(root().join("rules/README.md")).expect("rules/README.md");
    let missing: Vec<&str> = spec_check::check::kinds()
        .filter(|k| !readme.contains(&format!("### `{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "rules/README.md has no `### `kind`` section for: {}",
        missing.join(", ")
    );
}

#[test]
fn the_default_stays_the_step_6_gate() {
    // README explains why the other built-in packs are opt-in; change both together
    assert_eq!(spec_check::config::DEFAULT_PACKS, ["vibe-step-6"]);
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("Why only `vibe-step-6` by default"));
}
