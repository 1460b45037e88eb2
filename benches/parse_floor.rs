//! The floor every markdown linter stands on: find the files, read each and parse it with
//! comrak (the options `src/document/parse.rs` uses), on every core. Nothing else.
//!
//! Shared like gen_corpus.rs: the pipeline bench includes it with
//! `#[path = "parse_floor.rs"] mod parse_floor;`, and benches/compare.sh runs it as an
//! example beside the linters, with the same threads and the same files:
//! `cargo run --release --example parse-floor -- PATH…` (files, or directories walked for
//! `*.md`). It prints the number of markdown nodes it built, so nothing is optimised away.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Parse `text` as `Document::parse` does; the number of nodes.
pub fn comrak_parse(text: &str) -> usize {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.autolink = true;
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, text, &options);
    root.descendants().count()
}

/// Every `*.md` file under `path` (or `path` itself), sorted.
pub fn markdown_files(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Read and parse `files` on `threads` threads; the total number of nodes.
pub fn read_and_parse(files: &[PathBuf], threads: usize) -> usize {
    let next = AtomicUsize::new(0);
    let nodes = AtomicUsize::new(0);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = files.get(i) else { break };
            let text = std::fs::read_to_string(path).expect("read");
            nodes.fetch_add(comrak_parse(&text), Ordering::Relaxed);
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    nodes.into_inner()
}

pub fn main() {
    let files: Vec<PathBuf> = std::env::args_os()
        .skip(1)
        .flat_map(|p| markdown_files(Path::new(&p)))
        .collect();
    if files.is_empty() {
        eprintln!("usage: parse-floor PATH… (markdown files, or directories to walk)");
        std::process::exit(2);
    }
    // as many threads as spec-check uses: one per core, at most one per file
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    println!("{}", read_and_parse(&files, threads));
}
