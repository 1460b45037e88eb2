//! Test support shared by the integration tests: run the built-in packs on in-memory
//! documents and render findings the way snapshots store them.
#![allow(dead_code)]

use std::fmt::Write;
use std::path::{Path, PathBuf};

use spec_check::diagnostic::Diagnostic;
use spec_check::pack::RulePack;
use spec_check::report::Report;
use spec_check::source::memory::MemoryWorkspace;
use spec_check::source::{Origin, SourceFile, Workspace};
use spec_check::{EngineOptions, check};

/// The file names of the prerequisite documents (Steps 1–5) the built-in pack asks for.
pub const PREREQUISITES: [&str; 5] = [
    "01-project-specification.md",
    "02-technical-architecture.md",
    "03-ux-design.md",
    "04-design-system.md",
    "05-interface-states.md",
];

/// The packs a plain `spec-check` run uses.
pub fn packs() -> Vec<RulePack> {
    spec_check::run::default_packs().expect("built-in packs load")
}

/// Check one document (as an explicitly named file) against `packs`.
pub fn check_text(packs: &[RulePack], path: &str, text: &str, workspace: &dyn Workspace) -> Report {
    let file = SourceFile {
        path: PathBuf::from(path),
        text: text.to_string(),
        origin: Origin::WorkTree,
        explicit: true,
    };
    check(packs, vec![file], workspace, &EngineOptions::default())
}

/// A workspace in which a spec at `docs/06-technical-specification.md` has all its
/// prerequisites and a status file recording step 6 complete.
pub fn complete_project() -> MemoryWorkspace {
    let mut ws = MemoryWorkspace::new();
    for name in PREREQUISITES {
        ws.insert(Path::new("docs").join(name), "# prerequisite\n");
    }
    ws.insert(".vibe-status.md", "- [x] Step 6: Technical Specification\n");
    ws
}

/// Findings as snapshots store them: position, code, severity, message, help, fix title.
pub fn render(diags: &[&Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let _ = writeln!(
            out,
            "{}:{}: {} [{}] {}",
            d.start.line,
            d.start.column,
            d.code,
            d.severity,
            d.message()
        );
        if let Some(h) = d.help() {
            let _ = writeln!(out, "    help: {h}");
        }
        for r in &d.related {
            let _ = writeln!(
                out,
                "    related {}:{}: {}",
                r.start.line, r.start.column, r.message
            );
        }
        if let Some(f) = d.fix() {
            let _ = writeln!(out, "    fix ({}): {}", f.applicability.as_str(), f.title);
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

/// The shared corpus: `$SPEC_CHECK_CORPUS`, or `../shared/corpus` beside the repository (or
/// beside a worktree of it). `None` when absent: corpus tests then skip.
pub fn corpus() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("SPEC_CHECK_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            manifest.join("../shared/corpus"),
            manifest.join("../../shared/corpus"),
        ])
        .find(|p| p.is_dir())
}

/// The findings of the rules whose codes start with one of a document's prefixes, for each
/// corpus document (`(path under the corpus, prefixes)`), rendered for a snapshot that was
/// judged finding by finding. Documents missing from the corpus are left out; `None` when
/// there is no corpus.
pub fn corpus_findings(docs: &[(&str, &[&str])]) -> Option<String> {
    let root = corpus()?;
    let packs = packs();
    let mut out = String::new();
    for (rel, prefixes) in docs {
        let path = root.join(rel);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let report = check_text(
            &packs,
            path.to_str().expect("UTF-8 corpus path"),
            &text,
            &spec_check::source::fs::FsWorkspace,
        );
        let mine: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| prefixes.iter().any(|p| d.code.starts_with(p)))
            .collect();
        let _ = write!(out, "== {rel}\n{}", render(&mine));
    }
    Some(out)
}

/// A repository on disk (a `.git` directory) with the prerequisites and a status file that
/// records step 6 complete, and no spec yet.
pub fn project_without_spec() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    for n in PREREQUISITES {
        std::fs::write(docs.join(n), "# prerequisite\n").unwrap();
    }
    std::fs::write(
        dir.path().join(".vibe-status.md"),
        "- [x] Step 6: Technical Specification\n",
    )
    .unwrap();
    dir
}

/// [`project_without_spec`] with `docs/06-technical-specification.md` holding `spec`.
pub fn project(spec: &str) -> tempfile::TempDir {
    let dir = project_without_spec();
    std::fs::write(dir.path().join("docs/06-technical-specification.md"), spec).unwrap();
    dir
}

/// A GitHub Actions step's outputs as written to GITHUB_OUTPUT, in both of its forms:
/// `name=value` and `name<<DELIM … DELIM`.
pub fn github_outputs(text: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delim)) = line.split_once("<<") {
            let mut value = Vec::new();
            for l in lines.by_ref() {
                if l == delim {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        }
    }
    out
}
