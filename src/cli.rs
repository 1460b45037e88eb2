//! The command line, as typed. `main.rs` turns it once into settings; nothing below the
//! binary looks at clap types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Format;
use crate::report::FailOn;

/// Quality gates for the design documents in a repository's docs/.
///
/// With no command, checks the specifications under the repository's docs/ (`spec-check check`).
#[derive(Debug, Parser)]
#[command(name = "spec-check", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check specifications (the default command).
    Check(CheckArgs),
    /// List every rule: code, name, severity, checklist item, fixable.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Rule {
        /// A rule code (SC001) or name (missing-section).
        code: String,
    },
    /// Install, remove or inspect the git pre-commit hook that runs `spec-check check --staged`.
    Hook {
        #[command(subcommand)]
        action: HookAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Write the pre-commit hook into the hooks directory git uses (core.hooksPath or .git/hooks).
    Install {
        /// Replace a pre-commit hook spec-check did not write (a backup is kept).
        #[arg(long)]
        force: bool,
    },
    /// Remove the hook, if spec-check wrote it.
    Uninstall,
    /// Say whether the hook is installed.
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args, Default)]
pub struct CheckArgs {
    /// Files or directories to check (default: the repository's markdown, filtered by the packs' `files` globs).
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colour in human output (NO_COLOR is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Lowest severity that fails the run (exit 1).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Print only the quality-checklist scorecard.
    #[arg(long)]
    pub checklist: bool,

    /// Check the staged content (the git index) instead of the work tree: what a pre-commit hook sees.
    #[arg(long, conflicts_with = "base")]
    pub staged: bool,

    /// Check the files changed between merge-base(REV, HEAD) and HEAD, as committed (pull requests).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,

    /// With --base: report only findings on changed lines (and findings about a changed file as a whole).
    #[arg(long, requires = "base")]
    pub changed_lines_only: bool,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct RulesArgs {
    /// Output format for the list.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    #[default]
    Table,
    Json,
}
