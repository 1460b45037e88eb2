//! spec-check: quality gates for the design documents in a repository's `docs/`.
//!
//! The pipeline runs one way, each step in the module named for it:
//!
//! ```text
//! cli ─► config ─► pack ─► source ─► document ─► engine (outline, check, suppress) ─► report ─┬─► render
//!                                                                                              └─► fix
//! ```
//!
//! - [`cli`]: the command line as typed, turned once into [`config::Settings`] and
//!   [`run::CheckSettings`]; nothing below looks at clap types.
//! - [`config`]: `spec-check.toml` found and layered under the flags (`config/mod.rs`), its
//!   keys and their documentation (`config/keys.rs`), the `spec-check config` printer
//!   (`config/show.rs`).
//! - [`pack`]: rule packs (`rules/*.toml`) loaded into rules with compiled checks;
//!   [`selector`]: rule codes, names and prefixes, and "did you mean".
//! - [`source`]: files from the work tree, the git index or a commit, behind one
//!   [`source::Workspace`]; the `include`/`exclude` [`source::FileFilter`]; one
//!   [`source::normalize_path`].
//! - [`document`]: a file parsed once into an immutable [`document::Document`];
//!   [`outline`]: its headings linked to the pack's template sections; [`language`]: the
//!   language its vocabularies are read in.
//! - [`check`](mod@check): one generic checker per file in `src/check/`, pure functions from a
//!   document to findings.
//! - [`engine`]: runs the applicable packs over each file in parallel, merges and caps
//!   findings, stamps them into [`diagnostic::Diagnostic`]s (secrets masked), applies the
//!   [`suppress`] comments and fills the checklist scorecard.
//! - [`run`]: a `check` end to end: which files, read from where; the fix trial, the
//!   [`baseline`], `suppress`, `init`; [`report`]: the outcome and the exit status.
//! - [`render`]: one file per output format, plus the rules list, the rules reference
//!   page and `--statistics`; pure functions to text.
//! - [`fix`]: fixes applied and re-checked to a fixed point, written atomically.
//! - [`hook`], [`scaffold`] (`spec-check new`), [`server`] (the language server),
//!   [`progress`] (counters and a terminal indicator), [`toml_error`] (errors pointing
//!   into TOML).
//!
//! The library prints nothing itself; `src/main.rs` parses the arguments, calls it, writes
//! stdout and stderr, and returns the exit status.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod fix;
pub mod hook;
pub mod language;
pub mod outline;
pub mod pack;
pub mod progress;
pub mod render;
pub mod report;
pub mod run;
pub mod scaffold;
pub mod selector;
pub mod server;
pub mod source;
pub mod suppress;
pub mod toml_error;

pub use engine::{
    EngineOptions, MAX_DIAGNOSTICS, MAX_FINDINGS_PER_RULE, check, check_each, check_file, packs_for,
};
pub use progress::Progress;
