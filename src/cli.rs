//! The command line, as typed, and its one conversion into settings
//! ([`GlobalArgs::resolve`], [`CheckArgs::check_settings`]); nothing below looks at clap types.

use std::path::{Path, PathBuf};

use clap::{ArgAction, ArgGroup, ArgMatches, Args, Parser, Subcommand, ValueEnum};

use crate::config::{ConfigError, Overrides, Settings};
use crate::render::{Format, View};
use crate::report::FailOn;
use crate::run::{CheckSettings, Mode, RunError};

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
    pub check: CheckCommand,
}

/// Options every command takes.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Use this configuration file instead of the nearest spec-check.toml.
    #[arg(long, short = 'c', global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Ignore configuration files: defaults and command-line flags only.
    #[arg(long, global = true, conflicts_with = "config")]
    pub isolated: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check specifications (the default command).
    Check(CheckCommand),
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
    /// Write a skeleton specification from the pack's template outline (never overwrites).
    New(NewArgs),
    /// Run the language server (LSP over stdin/stdout): findings, fixes and rule docs while
    /// you type. Editors start it; see the README for set-up.
    Server,
}

#[derive(Debug, Clone, Args, Default)]
pub struct NewArgs {
    /// Where to write it (default: docs/06-technical-specification.md under the repository
    /// root, or under the current directory outside a repository).
    pub path: Option<PathBuf>,
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
#[command(group(ArgGroup::new("git_mode").args(["staged", "base"]).multiple(false)))]
pub struct CheckArgs {
    /// Files or directories to check (default: the repository's markdown, filtered by the packs' `files` globs).
    pub paths: Vec<PathBuf>,

    /// When to use colour in human output (NO_COLOR is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Lowest severity that fails the run (exit 1); `warn` is accepted for `warning`.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Exit 0 even when there are findings (same as `--fail-on never`); a file that could
    /// not be checked still exits 2.
    #[arg(long, conflicts_with = "fail_on")]
    pub exit_zero: bool,

    /// Print only the quality-checklist scorecard.
    #[arg(long)]
    pub checklist: bool,

    /// Check the staged content (the git index) instead of the work tree: what a pre-commit hook sees.
    #[arg(long, conflicts_with = "base")]
    pub staged: bool,

    /// Check the files changed between merge-base(REV, HEAD) and HEAD, as committed (pull requests).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,

    /// With --base or --staged: report only findings on changed lines (and findings about a
    /// changed file as a whole). With --staged, "changed" means changed against HEAD.
    #[arg(long, requires = "git_mode")]
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

/// `spec-check check`: what to check, and where the report goes.
#[derive(Debug, Clone, Args, Default)]
pub struct CheckCommand {
    #[command(flatten)]
    pub check: CheckArgs,

    #[command(flatten)]
    pub fix: FixArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Applying the fixes the findings offer (only `check` fixes).
#[derive(Debug, Clone, Args, Default)]
#[command(group(ArgGroup::new("fixing").args(["fix", "diff"]).multiple(false)))]
pub struct FixArgs {
    /// Apply the safe fixes, re-check until nothing changes, and write the files.
    #[arg(long)]
    pub fix: bool,

    /// Print the fixes as a unified diff (for `git apply` / `patch -p1`); write nothing.
    /// Exits 1 when there is something to apply.
    #[arg(long)]
    pub diff: bool,

    /// Also apply the unsafe fixes (renames, inserted skeletons, the status file), which need
    /// the author's review. Without --fix or --diff: count and mark them as fixable.
    #[arg(long)]
    pub unsafe_fixes: bool,
}

/// The report's formats and destinations (only `check` writes reports).
#[derive(Debug, Clone, Args, Default)]
pub struct OutputArgs {
    /// Output format [default: human]. Repeat to produce several formats from one run: each
    /// `--output FILE` sends the `--format` just before it to FILE; a format without
    /// `--output` goes to stdout, and only one may. Example: `--format github --format sarif
    /// --output spec-check.sarif`.
    #[arg(long, visible_alias = "output-format", value_enum, action = ArgAction::Append, value_name = "FORMAT")]
    pub format: Vec<Format>,

    /// Write the `--format` given just before this option to FILE (`-` is stdout) instead of
    /// stdout. Parent directories are created.
    #[arg(long, short = 'o', action = ArgAction::Append, value_name = "FILE")]
    pub output: Vec<PathBuf>,

    /// Don't append the markdown summary to `$GITHUB_STEP_SUMMARY` (done by default when
    /// `GITHUB_ACTIONS=true`, as in GitHub Actions).
    #[arg(long)]
    pub no_summary: bool,
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
    /// The rule reference page (docs/rules.md): every rule's documentation, grouped by
    /// checklist item, with every built-in pack.
    Markdown,
}

/// One rendering of a run: a format and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTarget {
    pub format: Format,
    /// `None`: stdout.
    pub path: Option<PathBuf>,
}

/// Pair each `--output` with the `--format` typed just before it, from the positions clap
/// recorded. `matches` are those of the `check` arguments (the subcommand's, or the top
/// level's when no command was given). Errors say what to type instead.
pub fn output_targets(
    args: &OutputArgs,
    matches: &ArgMatches,
) -> Result<Vec<OutputTarget>, String> {
    let format_at: Vec<usize> = matches
        .indices_of("format")
        .map(Iterator::collect)
        .unwrap_or_default();
    let output_at: Vec<usize> = matches
        .indices_of("output")
        .map(Iterator::collect)
        .unwrap_or_default();
    let mut targets: Vec<(usize, OutputTarget, bool)> = if args.format.is_empty() {
        vec![(
            0,
            OutputTarget {
                format: Format::Human,
                path: None,
            },
            false,
        )]
    } else {
        args.format
            .iter()
            .zip(format_at.iter().copied().chain(std::iter::repeat(0)))
            .map(|(f, at)| {
                (
                    at,
                    OutputTarget {
                        format: *f,
                        path: None,
                    },
                    false,
                )
            })
            .collect()
    };
    let single = targets.len() == 1;
    for (path, at) in args.output.iter().zip(
        output_at
            .iter()
            .copied()
            .chain(std::iter::repeat(usize::MAX)),
    ) {
        let owner = if single {
            Some(0)
        } else {
            targets.iter().rposition(|(f_at, _, _)| *f_at < at)
        };
        let Some(i) = owner else {
            return Err(format!(
                "`--output {}` comes before any `--format`: put each `--output FILE` right after the `--format` it is for",
                path.display()
            ));
        };
        let (_, target, taken) = &mut targets[i];
        if *taken {
            return Err(format!(
                "`--format {}` has more than one `--output`; repeat `--format {0}` before each file",
                target.format.name()
            ));
        }
        *taken = true;
        target.path = (path.as_os_str() != "-").then(|| path.clone());
    }
    let targets: Vec<OutputTarget> = targets.into_iter().map(|(_, t, _)| t).collect();
    let on_stdout: Vec<&str> = targets
        .iter()
        .filter(|t| t.path.is_none())
        .map(|t| t.format.name())
        .collect();
    if on_stdout.len() > 1 {
        return Err(format!(
            "only one format can go to stdout, but {} have no `--output`; add `--output FILE` after all but one of them",
            on_stdout
                .iter()
                .map(|f| format!("`--format {f}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        ));
    }
    for (i, t) in targets.iter().enumerate() {
        if let Some(p) = &t.path
            && targets[..i].iter().any(|o| o.path.as_ref() == Some(p))
        {
            return Err(format!(
                "`--output {}` is given for two formats; give each its own file",
                p.display()
            ));
        }
    }
    Ok(targets)
}

/// `--version`: the tool's version and each built-in pack's.
pub fn long_version() -> String {
    let packs: Vec<String> = crate::pack::builtin_versions()
        .into_iter()
        .map(|(id, v)| format!("{id} {v}"))
        .collect();
    format!(
        "{}\nbuilt-in packs: {}",
        env!("CARGO_PKG_VERSION"),
        packs.join(", ")
    )
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> String {
    use clap::CommandFactory;
    // into a buffer: clap_complete panics on a closed pipe
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "spec-check", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

impl OutputArgs {
    /// Where the markdown summary is appended by default: `$GITHUB_STEP_SUMMARY` in GitHub
    /// Actions, unless `--no-summary`, or a `--format markdown --output` already writes there.
    pub fn job_summary(&self, targets: &[OutputTarget]) -> Option<PathBuf> {
        if self.no_summary || std::env::var("GITHUB_ACTIONS").as_deref() != Ok("true") {
            return None;
        }
        let path =
            PathBuf::from(std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())?);
        let same = |p: &Path| {
            p == path || matches!((p.canonicalize(), path.canonicalize()), (Ok(a), Ok(b)) if a == b)
        };
        let already = targets
            .iter()
            .any(|t| t.format == Format::Markdown && t.path.as_deref().is_some_and(same));
        (!already).then_some(path)
    }
}

impl GlobalArgs {
    /// The settings of a run: the configuration file (found from `cwd`, or `--config`)
    /// under the command line's flags.
    pub fn resolve(
        &self,
        selection: &SelectionArgs,
        check: Option<&CheckArgs>,
        cwd: &Path,
    ) -> Result<Settings, ConfigError> {
        let overrides = Overrides {
            config: self.config.clone(),
            isolated: self.isolated,
            packs: (!selection.packs.is_empty()).then(|| selection.packs.clone()),
            select: selection.select.clone(),
            extend_select: selection.extend_select.clone(),
            ignore: selection.ignore.clone(),
            fail_on: check.and_then(|a| {
                if a.exit_zero {
                    Some(FailOn::Never)
                } else {
                    a.fail_on
                }
            }),
            changed_lines_only: check.and_then(|a| a.changed_lines_only.then_some(true)),
            max_file_size: selection.max_file_size.clone(),
            baseline: check.and_then(|a| a.baseline.clone()),
        };
        Settings::resolve(cwd, &overrides)
    }
}

impl CheckCommand {
    /// `--fix` writes the work tree: refused with `--staged` or `--base`, whose text can
    /// differ from the working file.
    pub fn may_fix(&self) -> Result<(), RunError> {
        let args = &self.check;
        if !self.fix.fix {
            return Ok(());
        }
        match (&args.base, args.staged) {
            (_, true) => Err(RunError::FixNotInWorkTree {
                what: "--staged checks the index",
                flag: "--staged".to_string(),
            }),
            (Some(rev), false) => Err(RunError::FixNotInWorkTree {
                what: "--base checks commits",
                flag: format!("--base {rev}"),
            }),
            (None, false) => Ok(()),
        }
    }
}

impl CheckArgs {
    /// What stdout shows: `--statistics`, else `--checklist`, else `--quiet`'s findings.
    pub fn view(&self) -> View {
        if self.statistics {
            View::Statistics
        } else if self.checklist {
            View::Checklist
        } else if self.quiet {
            View::Findings
        } else {
            View::Full
        }
    }

    /// What `check` runs on, and how, from these flags and the resolved `settings`. The
    /// baseline is applied and offered fixes are verified only when the caller asks
    /// (the `check` command does; `baseline` and `suppress` record the findings as found).
    pub fn check_settings(&self, settings: &Settings, keep_text: bool) -> CheckSettings {
        let mode = match (&self.base, self.staged) {
            (Some(rev), _) => Mode::Since(rev.clone()),
            (None, true) => Mode::Staged,
            (None, false) => Mode::WorkTree,
        };
        CheckSettings {
            mode,
            changed_lines_only: settings.changed_lines_only.value,
            paths: self.paths.clone(),
            threads: self.threads.unwrap_or(0),
            keep_text,
            max_file_size: Some(settings.max_file_size.value),
            filter: settings.filter().clone(),
            suppression: settings.suppression(),
            language: settings.language.value,
            progress: None,
            baseline: None,
            verify_fixes: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;

    type Pairs = Vec<(Format, Option<String>)>;

    fn want(pairs: &[(Format, Option<&str>)]) -> Result<Pairs, String> {
        Ok(pairs
            .iter()
            .map(|(f, p)| (*f, p.map(str::to_string)))
            .collect())
    }

    fn targets(args: &[&str]) -> Result<Pairs, String> {
        let matches = Cli::command()
            .try_get_matches_from(std::iter::once("spec-check").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        let cli = Cli::from_arg_matches(&matches).map_err(|e| e.to_string())?;
        let (args, m) = match (&cli.command, matches.subcommand_matches("check")) {
            (Some(Command::Check(a)), Some(m)) => (a.output.clone(), m),
            _ => (cli.check.output.clone(), &matches),
        };
        Ok(output_targets(&args, m)?
            .into_iter()
            .map(|t| (t.format, t.path.map(|p| p.to_string_lossy().into_owned())))
            .collect())
    }

    #[test]
    fn no_format_is_human_on_stdout() {
        assert_eq!(targets(&["check"]), want(&[(Format::Human, None)]));
        assert_eq!(
            targets(&["check", "-o", "r.txt"]),
            want(&[(Format::Human, Some("r.txt"))])
        );
    }

    #[test]
    fn output_belongs_to_the_format_before_it() {
        assert_eq!(
            targets(&[
                "check", "--format", "sarif", "--output", "x.sarif", "--format", "github"
            ]),
            want(&[(Format::Sarif, Some("x.sarif")), (Format::Github, None)])
        );
        assert_eq!(
            targets(&[
                "--format=github",
                "--format=sarif",
                "--output=x.sarif",
                "--format",
                "junit",
                "-o",
                "j.xml",
                "docs"
            ]),
            want(&[
                (Format::Github, None),
                (Format::Sarif, Some("x.sarif")),
                (Format::Junit, Some("j.xml"))
            ])
        );
    }

    #[test]
    fn a_single_format_takes_its_output_from_either_side() {
        assert_eq!(
            targets(&["check", "-o", "x.sarif", "--format", "sarif"]),
            want(&[(Format::Sarif, Some("x.sarif"))])
        );
    }

    #[test]
    fn dash_is_stdout() {
        assert_eq!(
            targets(&["check", "--format", "json", "-o", "-"]),
            want(&[(Format::Json, None)])
        );
    }

    #[test]
    fn ambiguous_pairings_are_errors() {
        let e = targets(&["check", "--format", "json", "--format", "sarif"]).unwrap_err();
        assert!(e.contains("only one format can go to stdout"), "{e}");
        let e =
            targets(&["check", "-o", "a", "--format", "json", "--format", "sarif"]).unwrap_err();
        assert!(e.contains("comes before any `--format`"), "{e}");
        let e = targets(&["check", "--format", "json", "-o", "a", "-o", "b"]).unwrap_err();
        assert!(e.contains("more than one `--output`"), "{e}");
        let e = targets(&[
            "check", "--format", "json", "-o", "a", "--format", "sarif", "-o", "a",
        ])
        .unwrap_err();
        assert!(e.contains("given for two formats"), "{e}");
    }
}
