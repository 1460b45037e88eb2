//! Rule help renders as written: in `spec-check rule` and in SARIF's `help.markdown` (what
//! code scanning shows), an example that holds fenced blocks of its own stays inside one
//! code block, and every section heading stays a heading. Checked by parsing the markdown
//! with comrak, as a renderer would.

use std::path::Path;

use assert_cmd::Command;
use comrak::nodes::NodeValue;
use comrak::{Arena, Options, parse_document};

/// The headings of `markdown` that a renderer shows as headings, and its code blocks.
fn outline(markdown: &str) -> (Vec<String>, usize) {
    let arena = Arena::new();
    let root = parse_document(&arena, markdown, &Options::default());
    let mut headings = Vec::new();
    let mut blocks = 0;
    for node in root.descendants() {
        match &node.data.borrow().value {
            NodeValue::Heading(_) => {
                let text: String = node
                    .descendants()
                    .filter_map(|n| match &n.data.borrow().value {
                        NodeValue::Text(t) => Some(t.to_string()),
                        _ => None,
                    })
                    .collect();
                headings.push(text);
            }
            NodeValue::CodeBlock(_) => blocks += 1,
            _ => {}
        }
    }
    (headings, blocks)
}

fn assert_renders(code: &str, markdown: &str) {
    let (headings, blocks) = outline(markdown);
    assert_eq!(
        headings,
        ["What it does", "Why", "Example bad", "Example good"],
        "{code}: a heading was swallowed into a code block (or a code line became a heading):\n{markdown}"
    );
    assert_eq!(
        blocks, 2,
        "{code}: each example is one code block:\n{markdown}"
    );
}

#[test]
fn sarif_rule_help_renders_with_every_heading_outside_code_blocks() {
    let dir = crate::support::project("# Spec\n");
    let out = Command::cargo_bin("spec-check")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("GITHUB_ACTIONS")
        .args([
            "--format",
            "sarif",
            "--pack",
            "vibe-step-6,vibe-steps-1-5,adr",
        ])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.len() > 60, "{}", rules.len());
    let mut nested = 0;
    for r in rules {
        let code = r["id"].as_str().unwrap();
        let markdown = r["help"]["markdown"].as_str().unwrap();
        nested += usize::from(markdown.contains("````"));
        assert_renders(code, markdown);
    }
    // the rules whose examples hold a fence (CB001…, DB001…, ENV001…) are among them
    assert!(nested >= 10, "{nested}");
}

#[test]
fn spec_check_rule_shows_nested_examples_whole() {
    for code in ["DB001", "CB001", "ENV001", "SECRET001", "SVC003", "SC001"] {
        let out = Command::cargo_bin("spec-check")
            .unwrap()
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
            .args(["rule", code])
            .output()
            .unwrap();
        assert!(out.status.success(), "{code}");
        let text = String::from_utf8(out.stdout).unwrap();
        // the first line is the title, not markdown
        let body = text.split_once("\n\n").unwrap().1;
        let body = body.split_once("## What it does").map(|(_, b)| b).unwrap();
        assert_renders(code, &format!("## What it does{body}"));
    }
}
