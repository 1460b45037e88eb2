//! The CI formats (sarif, github, junit, gitlab, rdjson, markdown) on a flawed
//! specification and on one whose headings try to inject workflow commands and markup:
//! snapshots of exactly what a tool or person receives, schema validation, and the
//! properties each format promises (escaping, caps, stable fingerprints).

use crate::validators;

use std::path::{Path, PathBuf};

use spec_check::diagnostic::Severity;
use spec_check::pack::RulePack;
use spec_check::render::{self, Format, RenderContext, RepoPaths};
use spec_check::report::{FailOn, Report};
use spec_check::source::{Origin, SourceFile, Workspace};
use spec_check::{EngineOptions, check};

/// No other files: keeps the prerequisite rules out of these tests.
struct NoFiles;

impl Workspace for NoFiles {
    fn read(&self, _: &Path) -> Option<String> {
        None
    }
    fn exists(&self, _: &Path) -> bool {
        false
    }
    fn list_dir(&self, _: &Path) -> Vec<String> {
        Vec::new()
    }
}

/// The built-in pack's structure rules only, so rules added to the pack later do not
/// change what these renderer tests see.
fn packs() -> Vec<RulePack> {
    let mut pack = RulePack::builtin("vibe-step-6").expect("built-in pack");
    pack.rules.retain(|r| r.code.starts_with("SC"));
    vec![pack]
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/formats")
            .join(name),
    )
    .expect("fixture")
}

fn report(packs: &[RulePack], path: &str, text: &str) -> Report {
    let file = SourceFile {
        path: PathBuf::from(path),
        text: text.to_string(),
        origin: Origin::WorkTree,
        explicit: true,
    };
    check(packs, vec![file], &NoFiles, &EngineOptions::default())
}

fn render(format: Format, packs: &[RulePack], report: &Report) -> String {
    let paths = RepoPaths::default();
    let ctx = RenderContext {
        packs,
        color: false,
        fail_on: FailOn::Error,
        scorecard: false,
        paths: &paths,
        job_summary: true,
        fixed: None,
        unsafe_fixes: false,
    };
    render::render(format, report, &ctx)
}

const FORMATS: &[Format] = &[
    Format::Sarif,
    Format::Github,
    Format::Junit,
    Format::Gitlab,
    Format::Rdjson,
    Format::Markdown,
];

const FLAWED: &str = "docs/06-technical-specification.md";
/// A path as hostile as a file name can be.
const HOSTILE_PATH: &str = "docs/06,spec:%0A::x ##[y].md";

/// Text no rule of the pack quotes verbatim yet (headings are normalised), put into a
/// finding's message, help and related note to cover rules that quote document values.
const HOSTILE_VALUE: &str = "value `##[warning]legacy` ::set-output name=a::b\n::stop-commands::tok3n\r\n%0A::error::x, with, commas | <b>&amp;</b> @octocat ]]>";

/// The injection fixture's report, plus one finding whose texts are `HOSTILE_VALUE` (an
/// info, so it is among the annotations rather than the overflow list).
fn injection_report(packs: &[RulePack]) -> Report {
    let mut r = report(packs, HOSTILE_PATH, &fixture("injection.md"));
    let mut d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "SC006")
        .expect("a section-title finding")
        .clone();
    d.finding.message = format!("section titled {HOSTILE_VALUE}");
    d.finding.help = Some(format!("replace {HOSTILE_VALUE}"));
    r.diagnostics.push(d);
    r.sort();
    r
}

fn snapshot_all(name: &str, path: &str) {
    let packs = packs();
    let r = if name == "injection.md" {
        injection_report(&packs)
    } else {
        report(&packs, path, &fixture(name))
    };
    assert!(
        r.diagnostics.len() >= 4,
        "the fixture should produce findings"
    );
    for &f in FORMATS {
        let out = render(f, &packs, &r);
        insta::assert_snapshot!(
            format!("{}__{}", name.trim_end_matches(".md"), f.name()),
            out
        );
    }
}

#[test]
fn flawed_spec_in_every_ci_format() {
    snapshot_all("flawed.md", FLAWED);
}

#[test]
fn injection_spec_in_every_ci_format() {
    snapshot_all("injection.md", HOSTILE_PATH);
}

#[test]
fn sarif_and_rdjson_validate_against_their_schemas() {
    let packs = packs();
    for (name, path) in [("flawed.md", FLAWED), ("injection.md", HOSTILE_PATH)] {
        let r = if name == "injection.md" {
            injection_report(&packs)
        } else {
            report(&packs, path, &fixture(name))
        };
        validators::validate(
            "sarif-schema-2.1.0.json",
            &render(Format::Sarif, &packs, &r),
        );
        validators::validate("rdjson.schema.json", &render(Format::Rdjson, &packs, &r));
        validators::well_formed_xml(&render(Format::Junit, &packs, &r));
    }
    // an empty run is valid too
    let empty = Report::default();
    validators::validate(
        "sarif-schema-2.1.0.json",
        &render(Format::Sarif, &packs, &empty),
    );
    validators::validate(
        "rdjson.schema.json",
        &render(Format::Rdjson, &packs, &empty),
    );
    validators::well_formed_xml(&render(Format::Junit, &packs, &empty));
}

#[test]
fn sarif_results_point_at_their_rules() {
    let packs = packs();
    let r = report(&packs, FLAWED, &fixture("flawed.md"));
    let sarif: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif, &packs, &r)).expect("SARIF is JSON");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), r.diagnostics.len());
    for res in results {
        let i = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], FLAWED);
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
        assert!(loc["region"]["startLine"].as_u64().is_some());
        assert!(res["partialFingerprints"]["specCheck/v1"].is_string());
    }
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{key} of {}",
                rule["id"]
            );
        }
        assert!(rule["help"]["markdown"].is_string());
    }
}

/// The fingerprint of every finding, keyed by rule code and message.
fn fingerprints(text: &str) -> Vec<(String, String, String)> {
    let packs = packs();
    let r = report(&packs, FLAWED, text);
    let fps = render::fingerprints(&r);
    r.diagnostics
        .iter()
        .zip(fps)
        .map(|(d, fp)| (d.code.clone(), d.message().to_string(), fp))
        .collect()
}

#[test]
fn fingerprints_survive_edits_elsewhere_and_change_with_the_finding_line() {
    let text = fixture("flawed.md");
    let before = fingerprints(&text);
    // text added above every finding but the title's: line numbers move, fingerprints don't
    let shifted = text.replacen(
        "## 1. Executive Summary\n",
        "## 1. Executive Summary\n\nA new paragraph.\n\nAnd another one.\n",
        1,
    );
    let after = fingerprints(&shifted);
    let number = |v: &[(String, String, String)]| {
        v.iter()
            .find(|(_, m, _)| m.contains("[Number]"))
            .map(|t| t.2.clone())
            .expect("the [Number] placeholder finding")
    };
    assert_eq!(number(&before), number(&after));
    assert_eq!(before.len(), after.len());
    for b in &before {
        assert!(after.contains(b), "fingerprint changed: {b:?}");
    }
    // editing the line under a finding gives it a new fingerprint
    let edited = text.replace("[Number] développeurs", "[Number] developers");
    assert_ne!(number(&before), number(&fingerprints(&edited)));
    // all distinct
    let mut all: Vec<&String> = before.iter().map(|t| &t.2).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), before.len());
}

#[test]
fn identical_findings_on_identical_lines_get_distinct_fingerprints() {
    let text = "# Spec\n\n- [Number] walkers\n\n- [Number] walkers\n";
    let fps = fingerprints(text);
    let numbers: Vec<&String> = fps
        .iter()
        .filter(|(_, m, _)| m.contains("[Number]"))
        .map(|t| &t.2)
        .collect();
    assert_eq!(numbers.len(), 2);
    assert_ne!(numbers[0], numbers[1]);
}

/// A workflow command as the GitHub runner reads one line of output (actions/runner,
/// `ActionCommand.TryParseV2`): `::name props::data` after leading whitespace.
struct RunnerCommand {
    name: String,
    properties: Vec<(String, String)>,
    data: String,
}

fn unescape_data(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

fn unescape_property(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

fn parse_v2(line: &str) -> Option<RunnerCommand> {
    let line = line.trim_start();
    let rest = line.strip_prefix("::")?;
    let end = rest.find("::")?;
    let info = &rest[..end];
    let (name, props) = info.split_once(' ').unwrap_or((info, ""));
    let properties = props
        .trim()
        .split(',')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), unescape_property(v)))
        .collect();
    Some(RunnerCommand {
        name: name.to_string(),
        properties,
        data: unescape_data(&rest[end + 2..]),
    })
}

#[test]
fn github_output_cannot_be_hijacked_by_document_text() {
    let packs = packs();
    let r = injection_report(&packs);
    let out = render(Format::Github, &packs, &r);
    let mut annotations = 0;
    for line in out.lines() {
        // the legacy form is recognised anywhere in a line
        assert!(!line.contains("##["), "legacy command in: {line}");
        match parse_v2(line) {
            Some(cmd) => {
                assert!(
                    ["error", "warning", "notice", "group", "endgroup"]
                        .contains(&cmd.name.as_str()),
                    "unexpected command {} in: {line}",
                    cmd.name
                );
                assert!(!cmd.data.contains("::"), "`::` in data: {:?}", cmd.data);
                let keys: Vec<&str> = cmd.properties.iter().map(|(k, _)| k.as_str()).collect();
                if keys.first() == Some(&"file") {
                    annotations += 1;
                    assert!(keys.contains(&"title"), "{line}");
                    // the path survives escaping intact (but for the legacy marker)
                    assert_eq!(cmd.properties[0].1, HOSTILE_PATH.replace("##[", "##%5B"));
                }
            }
            None => assert!(!line.trim_start().starts_with("::"), "{line}"),
        }
    }
    let listed = out.lines().filter(|l| l.starts_with("- ")).count();
    assert_eq!(annotations + listed, r.diagnostics.len());
    // the headings' hostile text did reach the messages (so the test exercises escaping)
    assert!(out.contains("stop-commands"), "{out}");
    assert!(out.contains("set-output"), "{out}");
    assert!(out.contains("%250A"), "{out}");
}

#[test]
fn github_escaping_round_trips_any_text() {
    use proptest::prelude::*;
    proptest!(|(s in "\\PC*|[:#\\[%\r\n,a ]*")| {
        let line = format!("::error file={},title=t::{}", render::github::property(&s), render::github::data(&s));
        prop_assert!(!line.contains('\n') && !line.contains('\r'));
        prop_assert!(!line.contains("##["));
        let cmd = parse_v2(&line).expect("parses");
        prop_assert_eq!(&cmd.name, "error");
        // the runner gives back the text, only with `##[` and `::` neutralized
        let shown = render::github::neutralize(&s);
        prop_assert_eq!(&cmd.properties[0].1, &s.replace("##[", "##%5B"));
        prop_assert_eq!(cmd.data, shown);
    });
}

/// A document with `n` placeholders (errors) and `n` unnumbered `TODO`s in one section.
fn many_findings(n: usize) -> String {
    let mut s = String::from("# Spec\n\n## 1. Executive Summary\n\n");
    for i in 0..n {
        s.push_str(&format!("- item {i}: [Number] walkers\n"));
    }
    s
}

#[test]
fn github_annotations_are_capped_most_severe_first_with_a_closing_notice() {
    let packs = packs();
    let r = report(&packs, FLAWED, &many_findings(25));
    let errors = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    assert!(
        errors >= 25 && warnings >= 1,
        "{errors} errors, {warnings} warnings"
    );
    let out = render(Format::Github, &packs, &r);
    let count = |p: &str| out.lines().filter(|l| l.starts_with(p)).count();
    assert_eq!(count("::error "), 10);
    assert_eq!(count("::warning "), warnings.min(10));
    let lines: Vec<&str> = out.lines().collect();
    let notice = lines
        .iter()
        .rposition(|l| l.starts_with("::notice "))
        .expect("closing notice");
    let more = r.diagnostics.len() - 10 - warnings.min(10);
    assert!(
        lines[notice].contains(&format!("{more} findings of {}", r.diagnostics.len())),
        "{}",
        lines[notice]
    );
    assert!(lines[notice].contains("job summary"), "{}", lines[notice]);
    // errors come before warnings
    let first_warning = lines.iter().position(|l| l.starts_with("::warning "));
    let last_error = lines.iter().rposition(|l| l.starts_with("::error "));
    if let (Some(w), Some(e)) = (first_warning, last_error) {
        assert!(e < w);
    }
    // every finding left out is still in the log, inside a group
    assert_eq!(out.lines().filter(|l| l.starts_with("- ")).count(), more);
}

#[test]
fn markdown_is_capped_with_an_and_n_more_line() {
    let packs = packs();
    let r = report(&packs, FLAWED, &many_findings(400));
    let paths = RepoPaths::default();
    let ctx = RenderContext {
        packs: &packs,
        color: false,
        fail_on: FailOn::Error,
        scorecard: false,
        paths: &paths,
        job_summary: true,
        fixed: None,
        unsafe_fixes: false,
    };
    let full = render::markdown::render(&r, &ctx);
    assert!(full.len() <= render::markdown::MAX_BYTES, "{}", full.len());
    let small = render::markdown::render_capped(&r, &ctx, 8 * 1024);
    assert!(small.len() <= 8 * 1024, "{}", small.len());
    let last = small.lines().last().expect("lines");
    assert!(
        last.starts_with("…and ") && last.contains(" more findings"),
        "{last}"
    );
    let shown = small
        .lines()
        .filter(|l| l.starts_with("| ") && l[2..].starts_with(|c: char| c.is_ascii_digit()))
        .count();
    let more: usize = last
        .trim_start_matches("…and ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert_eq!(shown + more, r.diagnostics.len());
}

#[test]
fn junit_fails_only_the_rules_at_or_above_fail_on() {
    let packs = packs();
    let r = report(&packs, FLAWED, &fixture("flawed.md"));
    let paths = RepoPaths::default();
    let mut ctx = RenderContext {
        packs: &packs,
        color: false,
        fail_on: FailOn::Error,
        scorecard: false,
        paths: &paths,
        job_summary: false,
        fixed: None,
        unsafe_fixes: false,
    };
    let errors_only = render::junit::render(&r, &ctx);
    ctx.fail_on = FailOn::Never;
    let never = render::junit::render(&r, &ctx);
    assert!(errors_only.contains("<failure "));
    assert!(!never.contains("<failure "));
    assert!(never.contains("<system-out>"));
    let rules_run = r.files[0].rules_run.len();
    assert!(errors_only.contains(&format!("tests=\"{rules_run}\"")));
}

#[test]
fn rdjson_counts_columns_in_utf8_bytes_and_suggests_safe_fixes() {
    let packs = packs();
    let r = report(&packs, FLAWED, &fixture("flawed.md"));
    let out: serde_json::Value =
        serde_json::from_str(&render(Format::Rdjson, &packs, &r)).expect("rdjson is JSON");
    let diags = out["diagnostics"].as_array().expect("diagnostics");
    let find = |needle: &str| {
        diags
            .iter()
            .find(|d| d["message"].as_str().is_some_and(|m| m.contains(needle)))
            .unwrap_or_else(|| panic!("a diagnostic with {needle}"))
    };
    // `- **Équipe:** [Number]`: character column 15, byte column 16 (É is two bytes)
    let number = r
        .diagnostics
        .iter()
        .find(|d| d.message().contains("[Number]"))
        .expect("[Number] finding");
    assert_eq!(number.start.column, 15);
    let range = &find("[Number]")["location"]["range"];
    assert_eq!(range["start"]["column"], 16);
    assert_eq!(range["end"]["column"], 24);
    // the safe renumbering fix becomes a suggestion on the heading's number
    let renumber = find("expected `1.2`");
    assert_eq!(renumber["suggestions"][0]["text"], "1.2");
    assert_eq!(
        renumber["suggestions"][0]["range"],
        renumber["location"]["range"]
    );
    // unsafe fixes (inserting a skeleton section) are not suggested
    assert!(find("missing section").get("suggestions").is_none());
}
