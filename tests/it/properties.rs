//! Properties that must hold for every input, checked with proptest: parsing and checking
//! never panic; every span the document model and the diagnostics hold lies inside the text
//! on char boundaries; line/column ⇄ byte conversions round-trip for LF, CRLF, CR-only and
//! BOM text; output order does not depend on the number of threads.

#[path = "../../benches/gen_corpus.rs"]
mod gen_corpus;
use crate::support;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use spec_check::document::Document;
use spec_check::pack::RulePack;
use spec_check::report::Report;
use spec_check::source::memory::MemoryWorkspace;
use spec_check::source::{Origin, SourceFile};
use spec_check::{EngineOptions, check};

const SPEC: &str = "docs/06-technical-specification.md";

fn packs() -> &'static [RulePack] {
    static P: OnceLock<Vec<RulePack>> = OnceLock::new();
    P.get_or_init(support::packs)
}

/// Markdown-ish text: the constructs the parser and the checks care about, in any order,
/// with any line ending, sometimes a BOM, sometimes front matter.
fn markdownish() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("# Title".to_string()),
        (1usize..=7, "[0-9.]{0,6}", "[A-Za-z &🔌é]{0,20}")
            .prop_map(|(n, num, t)| format!("{} {num} {t}", "#".repeat(n))),
        Just("## 4. API Specification".to_string()),
        Just("## 13. Service Integration Specifications".to_string()),
        Just("### 13.2 Environment Variables & Configuration".to_string()),
        Just("## 5. Database Design".to_string()),
        prop_oneof![
            Just("```"),
            Just("```json"),
            Just("```sql"),
            Just("```yaml"),
            Just("```mermaid"),
            Just("```env"),
            Just("~~~"),
            Just("    indented code"),
        ]
        .prop_map(str::to_string),
        Just("{ \"a\": [1, 2, {\"b\": null}] }".to_string()),
        Just("CREATE TABLE t (id UUID PRIMARY KEY, u UUID REFERENCES users(id));".to_string()),
        Just("DATABASE_URL=postgres://x".to_string()),
        Just("key: [value, {a: b}]".to_string()),
        Just("graph TD; A-->B".to_string()),
        "[|a-z ]{0,12}".prop_map(|s| format!("| {s} | b |")),
        Just("|---|---|".to_string()),
        (0usize..6, "[a-z `*_\\[\\]()]{0,20}")
            .prop_map(|(d, t)| format!("{}- {t}", "  ".repeat(d))),
        (0usize..6).prop_map(|d| format!("{} quote", "> ".repeat(d))),
        Just("<!-- comment".to_string()),
        Just("-->".to_string()),
        Just("<div>".to_string()),
        Just("</div>".to_string()),
        Just("---".to_string()),
        Just("[link](#4-api-specification) and `code` and <https://x.test>".to_string()),
        Just("GET /api/v1/things/:id".to_string()),
        Just("{Project Name} [Feature Name] TBD TODO".to_string()),
        Just("Setext".to_string()),
        Just("===".to_string()),
        Just(String::new()),
        "\\PC{0,30}",
    ];
    (
        any::<bool>(),
        prop::collection::vec((fragment, 0usize..3), 0..40),
    )
        .prop_map(|(bom, lines)| {
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            for (line, ending) in lines {
                s.push_str(&line);
                s.push_str(["\n", "\r\n", "\r"][ending]);
            }
            s
        })
}

fn in_text(text: &str, r: &Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what} {r:?} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what} {r:?} not on char boundaries"
    );
}

/// Every span of the document model lies inside the text, on char boundaries.
fn spans_are_sound(doc: &Document) {
    let t = doc.text.as_str();
    for s in &doc.sections {
        in_text(t, &s.heading, "heading");
        in_text(t, &s.body, "body");
        in_text(t, &s.title_span, "title");
        if let Some(n) = &s.number_span {
            in_text(t, n, "number");
        }
        assert!(s.level >= 1 && s.level <= 6);
    }
    for b in &doc.code_blocks {
        in_text(t, &b.span, "code block");
        in_text(t, &b.body, "code body");
    }
    for tab in &doc.tables {
        in_text(t, &tab.span, "table");
        for row in std::iter::once(&tab.header).chain(&tab.rows) {
            in_text(t, &row.span, "row");
            for c in &row.cells {
                in_text(t, &c.span, "cell");
            }
        }
    }
    for l in &doc.links {
        in_text(t, &l.span, "link");
    }
    for i in &doc.list_items {
        in_text(t, &i.span, "list item");
        in_text(t, &i.first_line, "list item line");
    }
    for h in &doc.html {
        in_text(t, h, "html");
    }
    for c in &doc.inline_code {
        in_text(t, c, "inline code");
    }
    if let Some(fm) = &doc.front_matter {
        in_text(t, fm, "front matter");
    }
}

/// Every diagnostic and fix of a report points inside its file's text.
fn diagnostics_are_sound(report: &Report, text: &str) {
    for d in &report.diagnostics {
        let r = d.start.byte..d.end.byte;
        in_text(text, &r, "diagnostic");
        assert!(d.start.line >= 1 && d.start.column >= 1);
        for rel in &d.related {
            in_text(text, &(rel.start.byte..rel.end.byte), "related");
        }
        if let Some(fix) = d.fix() {
            for e in &fix.edits {
                in_text(text, &e.range, "fix edit");
            }
        }
        assert!(
            !d.message().trim().is_empty(),
            "empty message from {}",
            d.code
        );
    }
}

fn check_one(text: &str) -> Report {
    support::check_text(packs(), SPEC, text, &support::complete_project())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Parse and the whole built-in pack (every check kind) on arbitrary UTF-8.
    #[test]
    fn arbitrary_utf8_never_panics(text in "\\PC*|.*") {
        let doc = Document::parse(SPEC, text.clone());
        spans_are_sound(&doc);
        let report = check_one(&text);
        diagnostics_are_sound(&report, &text);
    }

    /// The same on markdown-shaped input, which reaches much deeper into the checks.
    #[test]
    fn markdownish_never_panics_and_spans_are_sound(text in markdownish()) {
        let doc = Document::parse(SPEC, text.clone());
        spans_are_sound(&doc);
        let report = check_one(&text);
        diagnostics_are_sound(&report, &text);
    }

    /// Byte → (line, column) → byte is the identity for every char boundary inside a line,
    /// whatever the line endings, and with a BOM the BOM is not a column.
    #[test]
    fn line_column_round_trip(
        bom in any::<bool>(),
        lines in prop::collection::vec(("[a-zé🔌\\t ]{0,8}", 0usize..3), 0..12),
    ) {
        let mut text = String::new();
        if bom {
            text.push('\u{feff}');
        }
        for (content, ending) in &lines {
            text.push_str(content);
            text.push_str(["\n", "\r\n", "\r"][*ending]);
        }
        // byte offsets where each line starts; a lone CR followed by an empty LF-ended line
        // is one CRLF, as CommonMark reads it
        let mut breaks = vec![0];
        let mut rest = text.as_str();
        while let Some(i) = rest.find(['\r', '\n']) {
            let len = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
            breaks.push(text.len() - rest.len() + i + len);
            rest = &rest[i + len..];
        }
        let doc = Document::parse(SPEC, text.clone());
        let bom_len = if bom { 3 } else { 0 };
        for (b, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            if b < bom_len {
                continue;
            }
            let p = doc.position(b);
            prop_assert_eq!(p.byte, b);
            // the line is the number of line starts at or before `b`
            let line = breaks.iter().filter(|&&s| s <= b).count();
            prop_assert_eq!(p.line, line, "line of byte {} in {:?}", b, text);
            let start = breaks[p.line - 1].max(if p.line == 1 { bom_len } else { 0 });
            prop_assert_eq!(p.column, text[start..b].chars().count() + 1);
            // inside the line's content (not its terminator) the inverse gives `b` back
            let end = doc.lines.line_end(&text, p.line - 1);
            if b <= end {
                prop_assert_eq!(doc.offset(p.line, p.column), b, "round trip of byte {} in {:?}", b, text);
                let raw = doc.lines.position(&text, b);
                prop_assert_eq!(doc.lines.offset(&text, raw.line, raw.column), b);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    /// Several specs (generated, then damaged by dropping lines) checked with 1, 2 and 3
    /// threads give byte-identical JSON.
    #[test]
    fn output_order_does_not_depend_on_threads(
        seed in any::<u64>(),
        drops in prop::collection::vec((0usize..5, 0usize..2000), 0..30),
    ) {
        let shape = gen_corpus::Shape { size: 0, features: 1, ..gen_corpus::Shape::default() };
        let mut texts: Vec<Vec<&str>> = Vec::new();
        let specs: Vec<String> = (0..5).map(|i| gen_corpus::spec(gen_corpus::file_seed(seed, i), &shape)).collect();
        for s in &specs {
            texts.push(s.split_inclusive('\n').collect());
        }
        for (file, line) in drops {
            let lines = &mut texts[file];
            if !lines.is_empty() {
                let k = line % lines.len();
                lines.remove(k);
            }
        }
        let files = || -> Vec<SourceFile> {
            texts
                .iter()
                .enumerate()
                .map(|(i, lines)| SourceFile {
                    path: PathBuf::from(format!("p{i}/docs/06-technical-specification.md")),
                    text: lines.concat(),
                    origin: Origin::WorkTree,
                    explicit: false,
                })
                .collect()
        };
        let ws = MemoryWorkspace::new();
        let run = |threads| {
            let report = check(packs(), files(), &ws, &EngineOptions { threads, ..EngineOptions::default() });
            spec_check::render::json::render(&report)
        };
        let one = run(1);
        prop_assert_eq!(&one, &run(2));
        prop_assert_eq!(&one, &run(3));
    }
}

/// The generated corpus is what the benchmarks claim: a clean spec under the built-in pack,
/// so that timings measure checking, not the rendering of thousands of findings.
#[test]
fn generated_specs_are_clean() {
    for (shape, seed) in [
        (gen_corpus::Shape::default(), 1),
        (gen_corpus::Shape::default(), 2),
        (gen_corpus::large_shape(400_000), 3),
    ] {
        let text = gen_corpus::spec(seed, &shape);
        assert!(text.len() >= shape.size);
        assert_eq!(text, gen_corpus::spec(seed, &shape), "deterministic");
        let report = check_one(&text);
        let found: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} {}",
                    d.start.line,
                    d.start.column,
                    d.code,
                    d.message()
                )
            })
            .collect();
        assert!(
            found.is_empty(),
            "a rule fires on the benchmark generator's spec (benches/gen_corpus.rs, seed {seed}); \
             if the finding is right, make the generated text realistic: {found:#?}"
        );
    }
}
