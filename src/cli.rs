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
    pub global: GlobalArgs,

    #[command(flatten)]
    pub check: CheckArgs,
}

/// Options every command takes.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Use this configuration file instead of the nearest spec-check.toml.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Ignore configuration files: defaults and command-line flags only.
    #[arg(long, global = true, conflicts_with = "config")]
    pub isolated: bool,
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
    /// Print the resolved configuration and where each value came from.
    Config(SelectionArgs),
    /// Write a commented spec-check.toml with every key at its default (never overwrites).
    Init {
        /// Directory to write it in (default: the current directory).
        dir: Option<PathBuf>,
    },
    /// Record the current findings in a baseline file; `check --baseline FILE` then reports only new ones.
    Baseline(BaselineArgs),
    /// Add a `spec-check-disable-next-line` comment (reason "existing finding") above every current finding.
    Suppress(CheckArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
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

    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Report only findings that are not in this baseline file (written by `spec-check baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Check text read from standard input (name it with --stdin-filename).
    #[arg(long, conflicts_with_all = ["staged", "base"])]
    pub stdin: bool,

    /// The path the standard input stands for: it picks the pack and names the file in the report.
    #[arg(long, value_name = "PATH", requires = "stdin")]
    pub stdin_filename: Option<PathBuf>,

    /// Print findings only: no summary, scorecard or notes.
    #[arg(long, short)]
    pub quiet: bool,

    /// Print how many findings each rule has instead of the findings.
    #[arg(long)]
    pub statistics: bool,

    /// Print the resolved settings and the files that would be checked, then exit.
    #[arg(long)]
    pub show_settings: bool,
}

/// Which packs and rules run (each overrides the configuration file).
#[derive(Debug, Clone, Args, Default)]
pub struct SelectionArgs {
    /// Rule packs to run: built-in ids or pack files (replaces the configuration's `packs`).
    #[arg(long = "pack", value_name = "ID|PATH", value_delimiter = ',')]
    pub packs: Vec<String>,

    /// Rules to run, by code, code prefix or name (replaces the configuration's `select`).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Rules to run in addition to the selected ones.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub extend_select: Vec<String>,

    /// Rules not to run.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Skip files larger than this (bytes, or e.g. 10MiB).
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct BaselineArgs {
    /// Where to write the baseline (default: spec-check-baseline.json next to the configuration file, or in the repository root).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub check: CheckArgs,
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
