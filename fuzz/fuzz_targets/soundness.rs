//! What every fuzz target asserts about a run: it returns (no panic, no overflow), and every
//! span in the document model, the diagnostics and their fixes lies inside the text on char
//! boundaries.

#![allow(dead_code)] // each target uses part of it

use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use spec_check::document::Document;
use spec_check::pack::RulePack;
use spec_check::report::Report;
use spec_check::source::memory::MemoryWorkspace;
use spec_check::source::{Origin, SourceFile};
use spec_check::{EngineOptions, check};

pub const SPEC: &str = "docs/06-technical-specification.md";

pub fn packs() -> &'static [RulePack] {
    static P: OnceLock<Vec<RulePack>> = OnceLock::new();
    P.get_or_init(|| spec_check::run::default_packs().expect("built-in packs load"))
}

pub fn workspace() -> &'static MemoryWorkspace {
    static W: OnceLock<MemoryWorkspace> = OnceLock::new();
    W.get_or_init(|| {
        let mut ws = MemoryWorkspace::new();
        for n in [
            "01-project-specification.md",
            "02-technical-architecture.md",
            "03-ux-design.md",
            "04-design-system.md",
            "05-interface-states.md",
        ] {
            ws.insert(format!("docs/{n}"), "# prerequisite\n");
        }
        ws.insert(".vibe-status.md", "- [x] Step 6: Technical Specification\n");
        ws
    })
}

fn sound(text: &str, r: &Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what} {r:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what} {r:?} not on char boundaries"
    );
}

/// Parse `text`, run the built-in pack on it, and check every span.
pub fn check_text(text: &str) -> Report {
    let doc = Document::parse(SPEC, text);
    let t = doc.text.as_str();
    for s in &doc.sections {
        sound(t, &s.heading, "heading");
        sound(t, &s.body, "body");
        sound(t, &s.title_span, "title");
        if let Some(n) = &s.number_span {
            sound(t, n, "number");
        }
    }
    for b in &doc.code_blocks {
        sound(t, &b.span, "code block");
        sound(t, &b.body, "code body");
    }
    for tab in &doc.tables {
        for row in std::iter::once(&tab.header).chain(&tab.rows) {
            sound(t, &row.span, "row");
            for c in &row.cells {
                sound(t, &c.span, "cell");
            }
        }
    }
    for l in &doc.links {
        sound(t, &l.span, "link");
    }
    for i in &doc.list_items {
        sound(t, &i.span, "list item");
    }
    for h in doc.html.iter().chain(&doc.inline_code) {
        sound(t, h, "html or inline code");
    }
    let file = SourceFile {
        path: PathBuf::from(SPEC),
        text: text.to_string(),
        origin: Origin::WorkTree,
        explicit: true,
    };
    let opts = EngineOptions {
        threads: 1,
        ..EngineOptions::default()
    };
    let report = check(packs(), vec![file], workspace(), &opts);
    for d in &report.diagnostics {
        sound(text, &(d.start.byte..d.end.byte), "diagnostic");
        for r in &d.related {
            sound(text, &(r.start.byte..r.end.byte), "related");
        }
        if let Some(fix) = d.fix() {
            for e in &fix.edits {
                sound(text, &e.range, "fix edit");
            }
        }
    }
    report
}
