//! Benchmarks on a generated corpus (benches/gen_corpus.rs): the read + comrak parse floor,
//! the full `check` pipeline with the built-in packs, one vs two threads, `--staged` in a
//! large repository, `--fix` on 100 files, and scaling (10× document size, env vars,
//! endpoints, SQL tables).
//!
//! `cargo bench --bench pipeline` runs everything (a few minutes); pass a filter to run
//! part, e.g. `cargo bench --bench pipeline -- scaling`. Benchmarks, never timed assertions:
//! the targets and the measured table live in the README's "Performance" section.

#[path = "gen_corpus.rs"]
mod gen_corpus;
#[path = "parse_floor.rs"]
mod parse_floor;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use divan::{Bencher, black_box};
use gen_corpus::Shape;
use spec_check::pack::RulePack;
use spec_check::run::{self, CheckSettings, Mode};
use spec_check::source::memory::MemoryWorkspace;
use spec_check::source::{Origin, SourceFile};
use spec_check::{EngineOptions, check_file};
use tempfile::TempDir;

fn main() {
    divan::main();
}

const SPEC_PATH: &str = "docs/06-technical-specification.md";

fn packs() -> &'static [RulePack] {
    static PACKS: OnceLock<Vec<RulePack>> = OnceLock::new();
    PACKS.get_or_init(|| run::default_packs().expect("built-in packs load"))
}

/// Corpora of 1, 100 and 1,000 typical specs, and the ≥ 5 MB file, generated once per run.
struct Corpus {
    _dir: TempDir,
    root: PathBuf,
}

fn corpus(files: usize) -> &'static Path {
    static C: [OnceLock<Corpus>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = match files {
        1 => 0,
        100 => 1,
        1000 => 2,
        _ => unreachable!("corpus sizes are 1, 100 and 1000"),
    };
    &C[slot]
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let root = dir.path().join("corpus");
            gen_corpus::write_corpus(&root, files, &Shape::default(), 1, true)
                .expect("write corpus");
            Corpus { _dir: dir, root }
        })
        .root
}

fn large() -> &'static Path {
    static C: OnceLock<Corpus> = OnceLock::new();
    &C.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("large");
        gen_corpus::write_project(&root, &gen_corpus::large_shape(5_500_000), 7, true)
            .expect("write large spec");
        Corpus { _dir: dir, root }
    })
    .root
}

/// What `spec-check check DIR --threads N` does, minus printing.
fn check_dir(dir: &Path, threads: usize) -> usize {
    let settings = CheckSettings {
        mode: Mode::WorkTree,
        paths: vec![dir.to_path_buf()],
        threads,
        max_file_size: Some(64 * 1024 * 1024),
        ..CheckSettings::default()
    };
    let report = run::check(&settings, packs(), dir).expect("check runs");
    report.files.len() + report.diagnostics.len()
}

/// The floor: list the same files, read each and parse it with comrak, with the options
/// `src/document/parse.rs` uses, on `threads` threads. Nothing else.
fn floor_dir(dir: &Path, threads: usize) -> usize {
    let files: Vec<PathBuf> = spec_check::source::fs::walk_markdown(dir)
        .expect("walk")
        .into_iter()
        .filter(|p| p.ends_with(SPEC_PATH))
        .collect();
    parse_floor::read_and_parse(&files, threads)
}

/// (a) read + comrak parse only.
#[divan::bench(args = [1, 100, 1000], consts = [1, 2], sample_count = 10, sample_size = 1)]
fn floor<const THREADS: usize>(files: usize) -> usize {
    floor_dir(corpus(files), THREADS)
}

/// (b) the whole `check` pipeline with the built-in packs (discovery, read, parse, every rule,
/// report), as the CLI runs it.
#[divan::bench(args = [1, 100, 1000], consts = [1, 2], sample_count = 10, sample_size = 1)]
fn pipeline<const THREADS: usize>(files: usize) -> usize {
    check_dir(corpus(files), THREADS)
}

/// (a) and (b) on one ≥ 5 MB specification (about 120 features, 600 endpoints).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn large_floor() -> usize {
    floor_dir(large(), 1)
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn large_pipeline() -> usize {
    check_dir(large(), 1)
}

/// (c) `--staged` in a repository of 2,000 committed specs where one is staged: the cost must
/// be the staged file, not the repository.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn staged_1_of_2000(bencher: Bencher) {
    let repo = staged_repo();
    bencher.bench(|| {
        let settings = CheckSettings {
            mode: Mode::Staged,
            max_file_size: Some(64 * 1024 * 1024),
            ..CheckSettings::default()
        };
        let report = run::check(&settings, packs(), repo).expect("staged check runs");
        assert_eq!(report.files.len(), 1, "exactly the staged file is checked");
        report.diagnostics.len()
    });
}

fn staged_repo() -> &'static Path {
    static C: OnceLock<Corpus> = OnceLock::new();
    &C.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("repo");
        let paths = gen_corpus::write_corpus(&root, 2000, &Shape::default(), 3, true)
            .expect("write corpus");
        let git = |args: &[&str]| {
            let ok = Command::new("git")
                .args([
                    "-c",
                    "user.name=bench",
                    "-c",
                    "user.email=bench@example.test",
                ])
                .args(["-c", "core.compression=0", "-c", "gc.auto=0"])
                .args(args)
                .current_dir(&root)
                .output()
                .expect("git runs");
            assert!(ok.status.success(), "git {args:?}: {ok:?}");
        };
        git(&["init", "-q"]);
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "corpus"]);
        let changed = &paths[1234];
        let mut text = std::fs::read_to_string(changed).expect("read");
        text.push_str("\nOne more line, staged.\n");
        std::fs::write(changed, text).expect("write");
        let rel = changed.strip_prefix(&root).expect("inside the repo");
        git(&["add", &rel.to_string_lossy()]);
        Corpus { _dir: dir, root }
    })
    .root
}

/// (d) `--fix --unsafe-fixes` on 100 specs, each with a numbering slip (a safe renumbering)
/// and a missing section (an unsafe skeleton): fix to a fixed point, re-check, and write the
/// files atomically, as the CLI does. Every sample starts from fresh copies.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn fix_100(bencher: Bencher) {
    let settings = spec_check::fix::FixSettings {
        unsafe_fixes: true,
        ..Default::default()
    };
    bencher
        .with_inputs(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let paths = gen_corpus::write_corpus(dir.path(), 100, &Shape::default(), 5, true)
                .expect("write corpus");
            let files: Vec<SourceFile> = paths
                .into_iter()
                .map(|path| {
                    let text = std::fs::read_to_string(&path)
                        .expect("read")
                        .replacen("## 8. Testing Strategy", "## 9. Testing Strategy", 1)
                        .replacen(
                            "## 12. Risk Mitigation & Contingency Planning",
                            "## Notes",
                            1,
                        );
                    std::fs::write(&path, &text).expect("write");
                    SourceFile {
                        path,
                        text,
                        origin: Origin::WorkTree,
                        explicit: true,
                    }
                })
                .collect();
            (dir, files)
        })
        .bench_values(|(dir, files)| {
            let run = spec_check::fix::fix_files(
                packs(),
                &files,
                &spec_check::source::fs::FsWorkspace,
                &settings,
            )
            .expect("fixes settle");
            spec_check::fix::write_changes(&run.changes).expect("write fixed files");
            assert_eq!(run.changes.len(), 100, "every spec was fixed");
            drop(dir);
            run.fixed()
        });
}

/// Scaling: the same check on a document and on one with 10× of one dimension. The ratio of
/// the two timings must stay ≤ 12 (linear with slack); a quadratic check shows up as ~100×.
mod scaling {
    use super::*;

    fn base() -> Shape {
        Shape {
            size: 0,
            features: 6,
            endpoints_per_feature: 5,
            tables_per_feature: 2,
            env_vars: 24,
        }
    }

    fn shape(dimension: &str, factor: usize) -> Shape {
        let mut s = base();
        match dimension {
            "size" => {
                s.size = 45_000 * factor;
                s.features = 1;
            }
            "env_vars" => s.env_vars = 100 * factor,
            "endpoints" => s.endpoints_per_feature = 10 * factor,
            "sql_tables" => s.tables_per_feature = 4 * factor,
            _ => unreachable!(),
        }
        s
    }

    fn run(bencher: Bencher, dimension: &str, factor: usize, parse_only: bool) {
        let text = gen_corpus::spec(11, &shape(dimension, factor));
        let workspace = prerequisites();
        let file = SourceFile {
            path: PathBuf::from(SPEC_PATH),
            text,
            origin: Origin::WorkTree,
            explicit: true,
        };
        let opts = EngineOptions::default();
        bencher
            .counter(divan::counter::BytesCount::new(file.text.len()))
            .bench(|| {
                if parse_only {
                    black_box(parse_floor::comrak_parse(&file.text));
                } else {
                    black_box(check_file(packs(), &file, &workspace, &opts));
                }
            });
    }

    #[divan::bench(args = [1, 10], sample_count = 10)]
    fn size(bencher: Bencher, factor: usize) {
        run(bencher, "size", factor, false);
    }

    #[divan::bench(args = [1, 10], sample_count = 10)]
    fn size_parse_only(bencher: Bencher, factor: usize) {
        run(bencher, "size", factor, true);
    }

    #[divan::bench(args = [1, 10], sample_count = 10)]
    fn env_vars(bencher: Bencher, factor: usize) {
        run(bencher, "env_vars", factor, false);
    }

    #[divan::bench(args = [1, 10], sample_count = 10)]
    fn endpoints(bencher: Bencher, factor: usize) {
        run(bencher, "endpoints", factor, false);
    }

    #[divan::bench(args = [1, 10], sample_count = 10)]
    fn sql_tables(bencher: Bencher, factor: usize) {
        run(bencher, "sql_tables", factor, false);
    }

    fn prerequisites() -> MemoryWorkspace {
        let mut ws = MemoryWorkspace::new();
        for (name, title) in gen_corpus::PREREQUISITES {
            ws.insert(format!("docs/{name}"), format!("# {title}\n"));
        }
        ws.insert(".vibe-status.md", "- [x] Step 6: Technical Specification\n");
        ws
    }
}

/// Outline recognition alone (titles, numbering, subsections, content cues, the one-to-one
/// assignment) on a 50 KB spec and on one ten times larger: it must stay linear and add at
/// most a few milliseconds to a check.
mod recognition {
    use super::*;
    use spec_check::document::Document;
    use spec_check::outline::Outline;

    fn run(bencher: Bencher, factor: usize) {
        let shape = Shape {
            size: 50_000 * factor,
            features: 6,
            endpoints_per_feature: 5,
            tables_per_feature: 2,
            env_vars: 24,
        };
        let text = gen_corpus::spec(11, &shape);
        let doc = Document::parse(SPEC_PATH, text);
        let pack = packs()
            .iter()
            .find(|p| p.id == "vibe-step-6")
            .expect("built-in pack");
        let template = pack.template_for(SPEC_PATH);
        bencher
            .counter(divan::counter::BytesCount::new(doc.text.len()))
            .bench(|| black_box(Outline::new(&doc, &template)));
    }

    #[divan::bench(args = [1, 10], sample_count = 20)]
    fn outline_50kb(bencher: Bencher, factor: usize) {
        run(bencher, factor);
    }
}
