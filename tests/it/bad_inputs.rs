//! The bad-input catalogue: inputs a gate meets in the wild. Each gives either a correct
//! result or one clear line on stderr, never a panic, and the documented exit status
//! (0 clean, 1 findings, 2 could not check; a file skipped over `max-file-size` is a warning
//! and does not change the status).

use crate::support;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const SPEC: &str = "docs/06-technical-specification.md";

fn spec_check(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("spec-check").expect("binary");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .env_remove("GITHUB_ACTIONS");
    cmd
}

fn with_spec(bytes: impl AsRef<[u8]>) -> tempfile::TempDir {
    let dir = support::project_without_spec();
    fs::write(dir.path().join(SPEC), bytes).unwrap();
    dir
}

/// The good demo spec: a complete document to damage.
fn good() -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/good/docs/06-technical-specification.md"),
    )
    .expect("examples/good spec")
}

/// stderr never carries a panic or a backtrace.
fn no_panic() -> impl Predicate<str> {
    contains("panicked")
        .not()
        .and(contains("RUST_BACKTRACE").not())
}

/// Exactly one line on stderr.
fn one_line() -> impl Predicate<str> {
    predicate::function(|s: &str| s.lines().count() == 1)
}

#[test]
fn empty_file_is_a_document_with_every_section_missing() {
    let dir = with_spec("");
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(1)
        .stdout(contains(format!(
            "{SPEC}:1:1: SC001 [error] missing section `1. Executive Summary`"
        )))
        .stderr(no_panic());
}

#[test]
fn only_a_bom_is_an_empty_document_at_line_1_column_1() {
    let dir = with_spec("\u{feff}");
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(1)
        .stdout(contains(format!("{SPEC}:1:1: SC001")))
        .stderr(no_panic());
}

#[test]
fn non_utf8_bytes_are_one_line_with_the_position() {
    let dir = with_spec(b"# Spec\n\nLatin-1 caf\xe9 here\n".as_slice());
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains(format!(
            "error: {SPEC}: not valid UTF-8 (invalid byte at line 3, byte offset 19); re-save it as UTF-8"
        )))
        .stderr(one_line());
}

#[test]
fn binary_file_named_md_is_reported_not_parsed() {
    // a PNG header: not UTF-8
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
    let dir = with_spec(png);
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains("not valid UTF-8"))
        .stderr(one_line());
}

#[test]
fn nul_bytes_that_are_valid_utf8_are_checked_as_text() {
    let dir = with_spec("# Spec\0\0\n\n## 1. Executive\0 Summary\n\0\0\0\n");
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(1)
        .stdout(contains("SC001"))
        .stderr(no_panic());
}

#[test]
fn a_file_over_max_file_size_fails_the_run_instead_of_passing_unchecked() {
    let dir = support::project_without_spec();
    let f = fs::File::create(dir.path().join(SPEC)).unwrap();
    // sparse: the size check reads metadata, never the bytes
    f.set_len(20_618_479).unwrap();
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains(format!(
            "error: {SPEC}: not checked, 19.7 MiB > 10 MiB (max-file-size); raise `max-file-size` in spec-check.toml or pass `--max-file-size 20MiB`, or list the file under `exclude` to leave it out on purpose"
        )))
        .stderr(one_line())
        .stdout(contains("Nothing checked: 1 file could not be checked"))
        .stdout(contains("No findings").not());
    // the suggested limit lets it through
    spec_check(dir.path())
        .args(["--max-file-size", "20MiB", "--format", "concise"])
        .assert()
        .stderr(contains("max-file-size").not());
    // leaving it out on purpose: `exclude`
    fs::write(
        dir.path().join("spec-check.toml"),
        format!("exclude = [\"{SPEC}\"]\n"),
    )
    .unwrap();
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains("no specification to check"));
}

#[test]
fn a_utf16_spec_is_named_as_utf16() {
    let dir = support::project_without_spec();
    let mut bytes = vec![0xFF, 0xFE];
    for u in "# Spec\n\n## 1. Executive Summary\n".encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    fs::write(dir.path().join(SPEC), &bytes).unwrap();
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains(format!(
            "error: {SPEC}: not valid UTF-8: the file is UTF-16 (little-endian, with a byte-order mark); re-save it as UTF-8"
        )))
        .stderr(one_line())
        .stdout(contains("No findings").not());
    // without a byte-order mark, big-endian
    let be: Vec<u8> = "# Spec\n\nplain ASCII text in UTF-16\n"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    fs::write(dir.path().join(SPEC), be).unwrap();
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains("UTF-16 (big-endian, no byte-order mark)"));
}

#[test]
fn the_summary_counts_files_that_could_not_be_checked() {
    let dir = support::project("# Spec\n");
    fs::write(dir.path().join("docs/07-bad.md"), [b'#', b' ', 0xC3, b'(']).unwrap();
    spec_check(dir.path())
        .args(["docs/06-technical-specification.md", "docs/07-bad.md"])
        .assert()
        .code(2)
        .stderr(contains(
            "docs/07-bad.md: not valid UTF-8 (invalid byte at line 1",
        ))
        .stdout(contains(
            "in 1 file; 1 file could not be checked (see the errors above).",
        ));
    let json = spec_check(dir.path())
        .args([
            "docs/06-technical-specification.md",
            "docs/07-bad.md",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["summary"]["unchecked"], 1, "{v}");
    assert_eq!(v["summary"]["files"], 1, "{v}");
}

#[test]
fn ten_thousand_headings() {
    let mut text = good();
    for i in 0..10_000 {
        text.push_str(&format!("\n#### Note {i}\n\nText {i}.\n"));
    }
    let dir = with_spec(text);
    spec_check(dir.path())
        .args(["--format", "json"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(predicate::in_iter([0, 1]))
        .stdout(contains("\"version\": 1"))
        .stderr(no_panic());
}

#[test]
fn headings_nested_fifty_deep_in_blockquotes_and_lists() {
    let mut text = good();
    text.push('\n');
    for d in 1..=50 {
        text.push_str(&format!("{} ## {d}. Quoted Heading {d}\n", "> ".repeat(d)));
    }
    text.push('\n');
    for d in 0..50 {
        text.push_str(&format!("{}- item {d}\n", "  ".repeat(d)));
    }
    text.push('\n');
    for d in 0..50 {
        text.push_str(&format!("{}- ## Heading in item {d}\n", "  ".repeat(d)));
    }
    let dir = with_spec(text);
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(predicate::in_iter([0, 1]))
        .stderr(no_panic());
}

#[test]
fn nesting_far_deeper_than_any_document_does_not_overflow_the_stack() {
    let mut text = String::from("# Spec\n\n");
    text.push_str(&"> ".repeat(20_000));
    text.push_str("deep\n\n");
    for d in 0..2_000 {
        text.push_str(&format!("{}- item {d}\n", "  ".repeat(d)));
    }
    text.push_str(&"[".repeat(10_000));
    text.push_str(&"*".repeat(10_000));
    text.push('\n');
    let dir = with_spec(text);
    spec_check(dir.path())
        .args(["--format", "concise"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(1)
        .stderr(no_panic().and(contains("overflow").not()));
}

#[test]
fn table_with_ten_thousand_rows() {
    let mut text = good();
    text.push_str("\n| Key | Value | Rationale |\n|---|---|---|\n");
    for i in 0..10_000 {
        text.push_str(&format!("| k{i} | v{i} | because {i} |\n"));
    }
    let dir = with_spec(text);
    spec_check(dir.path())
        .args(["--format", "concise"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(predicate::in_iter([0, 1]))
        .stderr(no_panic());
}

#[test]
fn unterminated_code_fence_at_the_end_is_checked() {
    let text = format!("{}\n```yaml\nkey: [unclosed\n", good());
    let dir = with_spec(text);
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(predicate::in_iter([0, 1]))
        .stderr(no_panic());
}

#[test]
fn unterminated_code_fence_in_the_middle_hides_what_follows() {
    // A fence opened before §13 pairs with the next fence inside §13, so the `## 13.` heading
    // is code, as a renderer shows it: the report must not pass §13 as if nothing happened.
    let text = good();
    let at = text.find("## 13.").expect("§13");
    let broken = format!("{}```sql\nSELECT 1;\n\n{}", &text[..at], &text[at..]);
    let dir = with_spec(broken);
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .stdout(contains("13. Service Integration Specifications"))
        .stderr(no_panic());
}

#[test]
fn html_comment_spanning_sections_hides_them() {
    let text = good();
    let (a, b) = (
        text.find("## 4.").expect("§4"),
        text.find("## 5.").expect("§5"),
    );
    let commented = format!(
        "{}<!-- draft, not reviewed yet\n{}-->\n{}",
        &text[..a],
        &text[a..b],
        &text[b..]
    );
    let dir = with_spec(commented);
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .stdout(contains("4. API Specification"))
        .stderr(no_panic());
}

#[test]
fn html_block_spanning_sections_is_not_a_crash() {
    let text = good();
    let a = text.find("## 6.").expect("§6");
    let html = format!(
        "{}<div class=\"draft\">\n\n{}\n</div>\n",
        &text[..a],
        &text[a..]
    );
    let dir = with_spec(html);
    spec_check(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(predicate::in_iter([0, 1]))
        .stderr(no_panic());
}

#[cfg(unix)]
#[test]
fn symlink_loops_under_docs_are_not_followed() {
    let dir = with_spec(good());
    let docs = dir.path().join("docs");
    std::os::unix::fs::symlink(".", docs.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", docs.join("up")).unwrap();
    std::os::unix::fs::symlink("b.md", docs.join("a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", docs.join("b.md")).unwrap();
    spec_check(dir.path())
        .args(["--format", "concise"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(0)
        .stderr("");
    // named explicitly, a looping link is one clear error
    spec_check(dir.path())
        .arg("docs/a.md")
        .assert()
        .code(2)
        .stderr(contains("error: docs/a.md: cannot read:").and(one_line()));
}

#[cfg(unix)]
#[test]
fn dangling_symlink_spec_is_an_error_naming_the_target() {
    // what a file deleted between listing and reading looks like to the reader
    let dir = support::project_without_spec();
    std::os::unix::fs::symlink("drafts/gone.md", dir.path().join(SPEC)).unwrap();
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains(format!(
            "error: {SPEC}: a symbolic link to drafts/gone.md, which does not exist; fix or remove the link"
        )))
        .stderr(one_line());
}

#[test]
fn directory_named_like_a_spec_is_not_a_file() {
    let dir = support::project_without_spec();
    fs::create_dir_all(dir.path().join(SPEC)).unwrap();
    fs::create_dir_all(dir.path().join("docs/x.md")).unwrap();
    // walked: nothing to check
    spec_check(dir.path())
        .assert()
        .code(2)
        .stderr(contains("error: no specification to check under .").and(one_line()));
    // named: also says so rather than passing with nothing checked
    spec_check(dir.path())
        .arg("docs/x.md")
        .assert()
        .code(2)
        .stderr(contains("error: no specification to check under docs/x.md").and(one_line()));
}

#[test]
fn paths_with_spaces_and_unicode() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("my project é 🔌");
    fs::create_dir_all(project.join("docs")).unwrap();
    fs::write(
        project.join(SPEC),
        "# Spec\n\n## 1. Executive Summary\n\nTBD\n",
    )
    .unwrap();
    spec_check(dir.path())
        .args(["--format", "concise"])
        .arg(&project)
        .assert()
        .code(1)
        .stdout(contains(
            "my project é 🔌/docs/06-technical-specification.md:1:1: SC001",
        ))
        .stderr(no_panic());
}

#[cfg(unix)]
#[test]
fn path_with_a_newline_stays_one_json_string() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("two\nlines");
    fs::create_dir_all(project.join("docs")).unwrap();
    fs::write(
        project.join(SPEC),
        "# Spec\n\n## 1. Executive Summary\n\nTBD\n",
    )
    .unwrap();
    let out = spec_check(dir.path())
        .args(["--format", "json", "two\nlines"])
        .assert()
        .code(1)
        .stderr(no_panic())
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    assert_eq!(
        json["files"][0]["path"],
        "two\nlines/docs/06-technical-specification.md"
    );
}

/// Ten megabytes of lorem ipsum: about 170,000 placeholder matches.
fn lorem_ipsum(bytes: usize) -> String {
    let paragraph = format!(
        "{}\n\n",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(8)
    );
    paragraph.repeat(bytes / paragraph.len())
}

#[test]
fn one_rule_reports_at_most_fifty_findings_per_file_then_how_many_more() {
    let dir = with_spec(lorem_ipsum(100_000));
    let out = spec_check(dir.path())
        .args(["--format", "concise", "--select", "SC008"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().filter(|l| l.contains("SC008")).collect();
    assert_eq!(lines.len(), 51, "{stdout}");
    assert!(
        lines[50].ends_with(
            "…and 1694 more findings of this rule in this file (the first 50 are shown)"
        ),
        "{}",
        lines[50]
    );
}

/// The README promises a 10 MiB file (the largest accepted) stays under about 200 MB of peak
/// memory: a pathological one must too, with its report capped.
#[cfg(target_os = "linux")]
#[test]
fn a_10_mb_file_of_lorem_ipsum_gets_a_capped_report_within_the_memory_figure() {
    let dir = with_spec(lorem_ipsum(10_000_000));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("spec-check"))
        .current_dir(dir.path())
        .args(["--format", "json"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    // VmHWM is the peak resident set so far: the last reading before exit is the peak
    let mut peak_kb = 0u64;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        {
            peak_kb = kb;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let json: serde_json::Value = serde_json::from_str(&reader.join().unwrap()).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() < 100, "{} diagnostics", diagnostics.len());
    assert!(peak_kb < 200 * 1024, "peak {peak_kb} kB");
}
