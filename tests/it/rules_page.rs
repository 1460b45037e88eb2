//! `docs/rules.md` is `spec-check rules --format markdown` for the built-in packs: it must not
//! drift from them, and every link spec-check hands out (SARIF `helpUri`, the language
//! server's `codeDescription`) must land on an anchor of it.

use std::path::Path;

use assert_cmd::Command;

use spec_check::render::rules_page::{PAGE_PATH, REGENERATE, rule_anchor, rule_url};

fn generated() -> String {
    let out = Command::cargo_bin("spec-check")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["rules", "--isolated", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn committed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGE_PATH);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{PAGE_PATH} is missing ({e}); write it with `{REGENERATE}`"))
        // a checkout with autocrlf must not count as drift
        .replace("\r\n", "\n")
}

#[test]
fn docs_rules_md_is_up_to_date_with_the_packs() {
    let (now, committed) = (generated(), committed());
    if now != committed {
        let first = now
            .lines()
            .zip(committed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| now.lines().count().min(committed.lines().count()));
        panic!(
            "{PAGE_PATH} is out of date with the rule packs (first difference at line {}: \
             generated {:?}, committed {:?}).\nRegenerate it and commit the result:\n    {REGENERATE}",
            first + 1,
            now.lines().nth(first).unwrap_or("<end>"),
            committed.lines().nth(first).unwrap_or("<end>"),
        );
    }
}

/// Anchors of the page: the `id`s of its `<a id="…"></a>` tags.
fn anchors(page: &str) -> Vec<&str> {
    page.match_indices("<a id=\"")
        .filter_map(|(i, m)| {
            let rest = &page[i + m.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn every_rule_has_one_anchor_and_every_link_on_the_page_resolves() {
    let page = generated();
    let ids = anchors(&page);
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        assert!(seen.insert(*id), "anchor `{id}` appears twice");
    }
    let mut codes: Vec<String> = spec_check::pack::BUILTIN
        .iter()
        .flat_map(|(id, _)| spec_check::pack::RulePack::builtin(id).unwrap().rules)
        .map(|r| r.code)
        .collect();
    codes.extend(
        spec_check::suppress::RULES
            .iter()
            .map(|r| r.code.to_string()),
    );
    for code in &codes {
        assert!(
            ids.contains(&rule_anchor(code).as_str()),
            "no anchor for {code}"
        );
        assert!(
            page.contains(&format!("#### {code} `")),
            "no section for {code}"
        );
    }
    // the page's own links (contents and summary tables; rule examples may hold links too)
    let own = page
        .lines()
        .filter(|l| l.starts_with("- [") || l.starts_with("| ["));
    let mut links = 0;
    for line in own {
        for (i, m) in line.match_indices("](#") {
            let rest = &line[i + m.len()..];
            let target = &rest[..rest.find(')').unwrap()];
            assert!(ids.contains(&target), "link to #{target} has no anchor");
            links += 1;
        }
    }
    assert!(links > codes.len(), "only {links} links checked");
}

#[test]
fn sarif_help_uris_point_at_anchors_of_the_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(
        dir.path().join("docs/06-technical-specification.md"),
        "# Spec\n\n## 1. Executive Summary\n\nTBD\n",
    )
    .unwrap();
    let out = Command::cargo_bin("spec-check")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let page = committed();
    let ids = anchors(&page);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.len() > 50);
    for rule in rules {
        let code = rule["id"].as_str().unwrap();
        let uri = rule["helpUri"]
            .as_str()
            .unwrap_or_else(|| panic!("{code} has no helpUri"));
        assert_eq!(uri, rule_url(code));
        let anchor = uri.rsplit_once('#').unwrap().1;
        assert!(
            ids.contains(&anchor),
            "{uri}: no such anchor in {PAGE_PATH}"
        );
        assert!(uri.starts_with(env!("CARGO_PKG_REPOSITORY")));
    }
}
