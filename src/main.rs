//! The `spec-check` binary: arguments → settings → run → render → exit status.
//! The only place that writes to stdout and stderr.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches};

use spec_check::cli::{
    self, BaselineArgs, CheckArgs, CheckCommand, Cli, ColorChoice, Command, GlobalArgs, HookAction,
    ListFormat, NewArgs, RulesArgs, SelectionArgs,
};
use spec_check::config::ConfigError;
use spec_check::fix::{self, FixSettings};
use spec_check::hook;
use spec_check::pack::{self, RulePack};
use spec_check::progress::Indicator;
use spec_check::render::{self, FixedCounts, Format, RenderContext, RepoPaths, View, plural};
use spec_check::report::{FileError, Report};
use spec_check::run::{self, CheckSettings, Mode, RunError};
use spec_check::source::git::GitRepo;
use spec_check::source::{display_path, fs};

fn main() -> ExitCode {
    let version: &'static str = Box::leak(cli::long_version().into_boxed_str());
    let matches = Cli::command().long_version(version).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let g = &cli.global;
    let result = match &cli.command {
        Some(Command::Check(c)) => check(g, c, matches.subcommand_matches("check")),
        None => check(g, &cli.check, Some(&matches)),
        Some(Command::Rules(args)) => rules(g, args),
        Some(Command::Rule { code }) => rule(g, code),
        Some(Command::Config(sel)) => show_config(g, sel),
        Some(Command::Init { dir }) => init(dir.as_deref()),
        Some(Command::Baseline(args)) => write_baseline(g, args),
        Some(Command::Suppress(args)) => suppress_all(g, args),
        Some(Command::Completions { shell }) => {
            print(&cli::completions(*shell));
            Ok(0)
        }
        Some(Command::Hook { action }) => hook_command(action),
        Some(Command::New(args)) => new(g, args),
        Some(Command::Server) => {
            // stdout carries the protocol; messages for people go to stderr
            let input = std::io::BufReader::new(std::io::stdin());
            match spec_check::server::serve(input, std::io::stdout()) {
                Ok(code) => Ok(code),
                Err(e) => {
                    eprintln!("error: the language server lost its connection: {e}");
                    Ok(2)
                }
            }
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report_error(&e);
            ExitCode::from(2)
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // a closed pipe (`spec-check | head`) is not an error worth a panic
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn current_dir() -> Result<PathBuf, RunError> {
    std::env::current_dir().map_err(RunError::CurrentDir)
}

/// Run the check the arguments ask for: standard input, the work tree, or git.
fn run_check(
    settings: &CheckSettings,
    packs: &[RulePack],
    args: &CheckArgs,
    cwd: &Path,
) -> Result<Report, RunError> {
    if args.stdin {
        let (name, text) = run::read_stdin(std::io::stdin(), args.stdin_filename.clone())?;
        return run::check_stdin(settings, packs, name, text, cwd);
    }
    let mut settings = settings.clone();
    let indicator = (!args.quiet)
        .then(|| Indicator::on_terminal(std::io::stderr()))
        .flatten();
    settings.progress = indicator.as_ref().map(Indicator::progress);
    let report = run::check(&settings, packs, cwd);
    drop(indicator);
    report
}

fn check(g: &GlobalArgs, c: &CheckCommand, matches: Option<&ArgMatches>) -> Result<u8, RunError> {
    let args = &c.check;
    let targets = matches
        .ok_or_else(|| "internal: no matches for the check arguments".to_string())
        .and_then(|m| cli::output_targets(&c.output, m))
        .unwrap_or_else(|msg| {
            Cli::command()
                .error(clap::error::ErrorKind::ArgumentConflict, msg)
                .exit()
        });
    let cwd = current_dir()?;
    let settings = g.resolve(&args.selection, Some(args), &cwd)?;
    let packs = settings.load_packs()?;
    let fail_on = settings.fail_on.value;
    let cs = CheckSettings {
        baseline: settings.baseline.value.clone(),
        verify_fixes: !args.stdin,
        ..args.check_settings(&settings, false)
    };
    if args.show_settings {
        let all = settings.load_all_packs()?;
        print(&run::show_settings(
            &settings, &packs, &all, &cs, &cwd, args.stdin,
        )?);
        return Ok(0);
    }
    let mut fixed = None;
    if c.fix.fix || c.fix.diff {
        match fix_files(c, &cs, &packs, &cwd)? {
            FixOutcome::Exit(code) => return Ok(code),
            FixOutcome::Written(n) => fixed = Some(n),
        }
    }
    let mut report = run_check(&cs, &packs, args, &cwd)?;
    // notes go to stderr here, not into the rendered formats
    let notes = std::mem::take(&mut report.notes);
    if !args.quiet {
        for n in &notes {
            eprintln!("note: {n}");
        }
    }
    print_file_errors(&report.errors);
    let job_summary = c.output.job_summary(&targets);
    let paths = RepoPaths::of_run(&cs.mode, &cwd);
    let base = RenderContext {
        packs: &packs,
        color: false,
        fail_on,
        scorecard: false,
        paths: &paths,
        job_summary: job_summary.is_some(),
        fixed,
        unsafe_fixes: c.fix.unsafe_fixes,
    };
    // a commit that stages no specification is none of the hook's business: say nothing
    let nothing_staged = cs.mode == Mode::Staged && report.is_empty();
    let mut failed = false;
    for target in &targets {
        if nothing_staged && target.path.is_none() && target.format == Format::Human {
            continue;
        }
        let ctx = RenderContext {
            color: target.path.is_none() && use_color(args.color),
            scorecard: target.format == Format::Human,
            ..base
        };
        // --statistics, --checklist and --quiet shape what goes to stdout; files get the format
        let view = if target.path.is_none() {
            args.view()
        } else {
            View::Full
        };
        let text = render::render_view(target.format, view, &report, &ctx);
        match &target.path {
            None => print(&text),
            Some(path) => {
                if let Err(e) = fs::write_creating_dir(path, &text) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    failed = true;
                }
            }
        }
    }
    if let Some(path) = job_summary {
        let text = render::render(Format::Markdown, &report, &base);
        if let Err(e) = fs::append_line(&path, &text) {
            // the summary is a convenience: say so, but do not fail the gate over it
            eprintln!(
                "warning: cannot append the summary to GITHUB_STEP_SUMMARY ({}): {e}",
                path.display()
            );
        }
    }
    if let Some(n) = fixed
        && !targets
            .iter()
            .any(|t| t.path.is_none() && t.format == Format::Human)
    {
        // the human summary says it; other formats keep stdout to their own syntax
        eprintln!("{}", render::human::fixed_line(n, report.diagnostics.len()));
    }
    if failed {
        return Ok(2);
    }
    let code = report.exit_code(fail_on);
    if code == 1 && hook::running_in_hook(cs.mode == Mode::Staged) && !args.quiet {
        eprintln!(
            "{}",
            hook::blocked_commit_hint(settings.baseline.value.is_some())
        );
    }
    Ok(code)
}

/// What `--fix` / `--diff` leave to do: exit now (the patch is printed, or fixing was
/// refused), or report the files as the fixes wrote them.
enum FixOutcome {
    Exit(u8),
    Written(FixedCounts),
}

fn fix_files(
    c: &CheckCommand,
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
) -> Result<FixOutcome, RunError> {
    let args = &c.check;
    let fix_args = &c.fix;
    c.may_fix()?;
    let fix_settings = FixSettings {
        unsafe_fixes: fix_args.unsafe_fixes,
        ..FixSettings::default()
    };
    if args.stdin {
        return fix_stdin(args, fix_args, settings, packs, &fix_settings).map(FixOutcome::Exit);
    }
    let fixed = run::fix(settings, packs, cwd, &fix_settings)?;
    print_file_errors(&fixed.errors);
    let result = &fixed.run;
    report_skipped(result);
    let failed = if fixed.errors.iter().any(|e| !e.skipped) {
        2
    } else {
        0
    };
    if fix_args.diff {
        print(&fix::unified_diff(
            &result.changes,
            &fixed.base,
            &fixed.root,
        ));
        if result.changes.is_empty() {
            eprintln!(
                "{}",
                run::no_fixes(settings, packs, cwd, fix_args.unsafe_fixes)
            );
        } else {
            eprintln!(
                "Would fix {} in {}.",
                plural(result.fixed(), "finding"),
                plural(result.changes.len(), "file")
            );
        }
        return Ok(FixOutcome::Exit(if failed > 0 {
            failed
        } else {
            u8::from(!result.changes.is_empty())
        }));
    }
    if failed > 0 {
        return Ok(FixOutcome::Exit(failed));
    }
    let mut changes = result.changes.clone();
    let not_written = run::keep_inside_repository(&mut changes, &args.paths, cwd);
    for n in &not_written {
        eprintln!(
            "warning: {}: not fixed: {}",
            display_path(&n.path),
            n.reason
        );
    }
    fix::write_changes(&changes)?;
    Ok(FixOutcome::Written(FixedCounts::written(
        result,
        &not_written,
    )))
}

/// Files that could not be checked (errors) or were left out (warnings).
fn print_file_errors(errors: &[FileError]) {
    for e in errors {
        let level = if e.skipped { "warning" } else { "error" };
        eprintln!("{level}: {}", e.message);
    }
}

/// Say which offered fixes were not applied, and why.
fn report_skipped(result: &fix::FixRun) {
    for doc in &result.documents {
        for s in &doc.skipped {
            eprintln!(
                "note: {}: not applied: {} ({} {}): {}",
                display_path(&doc.path),
                s.title,
                s.code,
                s.rule,
                s.reason
            );
        }
    }
}

/// `--stdin` with `--fix` prints the fixed text (for editors), with `--diff` the patch.
fn fix_stdin(
    args: &CheckArgs,
    fix_args: &cli::FixArgs,
    settings: &CheckSettings,
    packs: &[RulePack],
    fix_settings: &FixSettings,
) -> Result<u8, RunError> {
    let (name, text) = run::read_stdin(std::io::stdin(), args.stdin_filename.clone())?;
    let result = run::fix_stdin(settings, packs, &name, &text, fix_settings)?;
    report_skipped(&result);
    let fixed = result
        .changes
        .iter()
        .find(|c| c.path == name)
        .map_or(text.as_str(), |c| c.fixed.as_str());
    if fix_args.diff {
        let here = Path::new(".");
        print(&fix::unified_diff(&result.changes, here, here));
        return Ok(u8::from(!result.changes.is_empty()));
    }
    print(fixed);
    eprintln!("Fixed {}.", plural(result.fixed(), "finding"));
    Ok(0)
}

/// `spec-check new [PATH]`: a skeleton from the outline of the pack the file belongs to.
fn new(g: &GlobalArgs, args: &NewArgs) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let settings = g.resolve(&SelectionArgs::default(), None, &cwd)?;
    let packs = settings.load_packs()?;
    let new = spec_check::scaffold::new_document(&packs, &cwd, args.path.as_deref())?;
    let shown = display_path(new.path.strip_prefix(&cwd).unwrap_or(&new.path));
    eprintln!(
        "Wrote {shown}: {} sections to fill in. Run `spec-check check {shown}` to see what is still empty.",
        new.sections
    );
    Ok(0)
}

fn show_config(g: &GlobalArgs, sel: &SelectionArgs) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let settings = g.resolve(sel, None, &cwd)?;
    let packs = settings.load_all_packs()?;
    print(&settings.show(&packs));
    Ok(0)
}

fn init(dir: Option<&Path>) -> Result<u8, RunError> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => current_dir()?,
    };
    let path = run::init(&dir)?;
    print(&format!("wrote {}\n", display_path(&path)));
    Ok(0)
}

fn write_baseline(g: &GlobalArgs, args: &BaselineArgs) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let mut check_args = args.check.clone();
    check_args.baseline = None;
    let settings = g.resolve(&check_args.selection, Some(&check_args), &cwd)?;
    let packs = settings.load_packs()?;
    let cs = check_args.check_settings(&settings, false);
    let report = run_check(&cs, &packs, &check_args, &cwd)?;
    for e in &report.errors {
        eprintln!("error: {}", e.message);
    }
    let output = match &args.output {
        Some(p) => cwd.join(p),
        None => settings.base.join(spec_check::baseline::DEFAULT_NAME),
    };
    let n = run::write_baseline(&report, &output, &cwd)?;
    let shown = display_path(output.strip_prefix(&cwd).unwrap_or(&output));
    print(&format!(
        "wrote {} to {shown}; check with `spec-check check --baseline {shown}` (or set `baseline = \"…\"` in spec-check.toml)\n",
        plural(n, "baseline entry")
    ));
    Ok(if report.errors.iter().any(|e| !e.skipped) {
        2
    } else {
        0
    })
}

fn suppress_all(g: &GlobalArgs, args: &CheckArgs) -> Result<u8, RunError> {
    if args.staged || args.base.is_some() || args.stdin {
        return Err(RunError::SuppressNotInWorkTree);
    }
    let cwd = current_dir()?;
    let mut check_args = args.clone();
    check_args.baseline = None;
    let settings = g.resolve(&check_args.selection, Some(&check_args), &cwd)?;
    let packs = settings.load_packs()?;
    let cs = check_args.check_settings(&settings, true);
    let report = run_check(&cs, &packs, &check_args, &cwd)?;
    let done = run::suppress_findings(&report, "existing finding")?;
    for e in &report.errors {
        eprintln!("error: {}", e.message);
    }
    print(&format!(
        "suppressed {} in {} with `spec-check-disable` comments (reason \"existing finding\")\n",
        plural(done.findings, "finding"),
        plural(done.files, "file")
    ));
    Ok(0)
}

fn rules(g: &GlobalArgs, args: &RulesArgs) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let settings = g.resolve(&SelectionArgs::default(), None, &cwd)?;
    let packs = settings.load_all_packs()?;
    let level = |code: &str, name: &str, default| settings.level_name(code, name, default);
    let out = match args.format {
        ListFormat::Table => render::rules_list::table(&packs, &level, settings.suppression()),
        ListFormat::Json => render::rules_list::json(&packs, &level),
        // the reference covers every built-in pack, configured or not
        ListFormat::Markdown => {
            let all = pack::with_every_builtin(packs)?;
            render::rules_page::render(&all.iter().collect::<Vec<_>>(), &level)
        }
    };
    print(&out);
    Ok(0)
}

fn rule(g: &GlobalArgs, code: &str) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let settings = g.resolve(&SelectionArgs::default(), None, &cwd)?;
    // every built-in pack, so a rule's docs are there even when its pack is not enabled
    let packs = pack::with_every_builtin(settings.load_all_packs()?)?;
    match render::find_rule_doc(&packs, code) {
        Ok(doc) => {
            print(&doc);
            Ok(0)
        }
        Err(message) => {
            eprintln!("error: {message}");
            Ok(2)
        }
    }
}

fn hook_command(action: &HookAction) -> Result<u8, RunError> {
    let repo = GitRepo::discover(&current_dir()?)?;
    // `hook status` answers with its exit code too: 0 installed, 1 not (or another hook)
    let (line, code) = match action {
        HookAction::Install { force } => (hook::install(&repo, *force)?.to_string(), 0),
        HookAction::Uninstall => (hook::uninstall(&repo)?.to_string(), 0),
        HookAction::Status => {
            let status = hook::status(&repo)?;
            (status.to_string(), u8::from(!status.installed()))
        }
    };
    print(&format!("{line}\n"));
    Ok(code)
}

fn report_error(e: &RunError) {
    match e {
        RunError::Pack(p) | RunError::Config(ConfigError::Toml(p)) => {
            eprint!("{}", p.render(stderr_color()))
        }
        other => eprintln!("error: {other}"),
    }
}
