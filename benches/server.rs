//! The language server's per-keystroke cost: one incremental `didChange` to a 100 KB spec,
//! then the check the change schedules, with the diagnostics converted and published (to a
//! sink). What an editor waits for after the debounce; the target is < 50 ms.
//!
//! `cargo bench --bench server`. A benchmark, never a timed assertion: the measured figure
//! is in the README's language-server section.

#[path = "gen_corpus.rs"]
mod gen_corpus;

use std::io;
use std::time::Instant;

use divan::Bencher;
use gen_corpus::Shape;
use serde_json::json;
use spec_check::server::{Incoming, Server};

fn main() {
    divan::main();
}

fn message(v: serde_json::Value) -> Incoming {
    Incoming::Message {
        message: serde_json::from_value(v).expect("a JSON-RPC message"),
        lossy: false,
    }
}

/// A server with a ~100 KB spec open in a repository (with its prerequisites on disk).
fn opened(dir: &std::path::Path) -> (Server<io::Sink>, String, usize) {
    let root = dir.canonicalize().expect("temp dir");
    std::fs::create_dir_all(root.join(".git")).expect("mkdir");
    std::fs::create_dir_all(root.join("docs")).expect("mkdir");
    for name in [
        "01-project-overview.md",
        "02-requirements.md",
        "03-user-stories.md",
        "04-architecture.md",
        "05-design.md",
    ] {
        std::fs::write(root.join("docs").join(name), "# x\n").expect("write");
    }
    let shape = Shape {
        size: 100_000,
        features: 1,
        ..Shape::default()
    };
    let text = gen_corpus::spec(7, &shape);
    let path = root.join("docs/06-technical-specification.md");
    std::fs::write(&path, &text).expect("write");
    let uri = format!("file://{}", path.display());
    let mut server = Server::new(io::sink());
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {},
        "initializationOptions": {"debounceMs": 0}}});
    server.handle(message(init)).expect("initialize");
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}});
    server.handle(message(open)).expect("didOpen");
    // a line in the middle of the document, where a writer types
    let line = text.lines().count() / 2;
    (server, uri, line)
}

/// Type one character (then delete it, alternately) and check: the whole keystroke.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn keystroke_100kb(bencher: Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut server, uri, line) = opened(dir.path());
    let mut version = 1;
    bencher.bench_local(|| {
        version += 1;
        let (end, text) = if version % 2 == 0 { (0, "x") } else { (1, "") };
        let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                          "end": {"line": line, "character": end}}, "text": text}]}});
        server.handle(message(change)).expect("didChange");
        server.tick(Instant::now()).expect("check");
    });
}
