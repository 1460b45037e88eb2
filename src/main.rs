//! The `spec-check` binary: arguments → settings → run → render → exit status.
//! The only place that writes to stdout and stderr.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{ArgMatches, CommandFactory, FromArgMatches};

use spec_check::baseline;
use spec_check::cli::{
    self, BaselineArgs, CheckArgs, CheckCommand, Cli, ColorChoice, Command, GlobalArgs, HookAction,
    ListFormat, NewArgs, OutputArgs, RulesArgs, SelectionArgs,
};
use spec_check::config::{self, ConfigError, Overrides, Settings};
use spec_check::diagnostic::Applicability;
use spec_check::document::Document;
use spec_check::fix::{self, FixSettings};
use spec_check::hook::{self, HookStatus, InstallOutcome, UninstallOutcome};
use spec_check::pack::{self, RulePack};
use spec_check::render::{self, FixedCounts, Format, RenderContext, RepoPaths, plural};
use spec_check::report::{FailOn, Report};
use spec_check::run::{self, CheckSettings, Mode, RunError};
use spec_check::source::git::GitRepo;
use spec_check::{Progress, suppress};

fn main() -> ExitCode {
    let version: &'static str = Box::leak(long_version().into_boxed_str());
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
            // into a buffer: clap_complete panics on a closed pipe
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "spec-check", &mut out);
            print(&String::from_utf8_lossy(&out));
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

/// `--version`: the tool's version and each built-in pack's.
fn long_version() -> String {
    let packs: Vec<String> = pack::builtin_versions()
        .into_iter()
        .map(|(id, v)| format!("{id} {v}"))
        .collect();
    format!(
        "{}\nbuilt-in packs: {}",
        env!("CARGO_PKG_VERSION"),
        packs.join(", ")
    )
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

/// Settings from the configuration file under the command line's flags.
fn resolve(
    g: &GlobalArgs,
    sel: &SelectionArgs,
    args: Option<&CheckArgs>,
    cwd: &Path,
) -> Result<Settings, RunError> {
    let overrides = Overrides {
        config: g.config.clone(),
        isolated: g.isolated,
        packs: (!sel.packs.is_empty()).then(|| sel.packs.clone()),
        select: sel.select.clone(),
        extend_select: sel.extend_select.clone(),
        ignore: sel.ignore.clone(),
        fail_on: args.and_then(|a| {
            if a.exit_zero {
                Some(FailOn::Never)
            } else {
                a.fail_on
            }
        }),
        changed_lines_only: args.and_then(|a| a.changed_lines_only.then_some(true)),
        max_file_size: sel.max_file_size.clone(),
        baseline: args.and_then(|a| a.baseline.clone()),
    };
    Ok(Settings::resolve(cwd, &overrides)?)
}

fn check_settings(settings: &Settings, args: &CheckArgs, keep_text: bool) -> CheckSettings {
    let mode = match (&args.base, args.staged) {
        (Some(rev), _) => Mode::Since(rev.clone()),
        (None, true) => Mode::Staged,
        (None, false) => Mode::WorkTree,
    };
    CheckSettings {
        mode,
        changed_lines_only: settings.changed_lines_only.value,
        paths: args.paths.clone(),
        threads: args.threads.unwrap_or(0),
        keep_text,
        max_file_size: Some(settings.max_file_size.value),
        filter: settings.filter().clone(),
        suppression: settings.suppression(),
        language: settings.language.value,
        progress: None,
    }
}

/// Run the check the arguments ask for: standard input, the work tree, or git.
fn run_check(
    settings: &CheckSettings,
    packs: &[RulePack],
    args: &CheckArgs,
    cwd: &Path,
) -> Result<Report, RunError> {
    if args.stdin {
        let (name, text) = read_stdin(args)?;
        return Ok(run::check_stdin(settings, packs, name, text));
    }
    let mut settings = settings.clone();
    let indicator = (!args.quiet).then(ProgressIndicator::start).flatten();
    settings.progress = indicator.as_ref().map(|i| Arc::clone(&i.progress));
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
    let settings = resolve(g, &args.selection, Some(args), &cwd)?;
    let packs = settings.load_packs()?;
    let fail_on = settings.fail_on.value;
    let cs = check_settings(&settings, args, false);
    if args.show_settings {
        let all = settings.load_all_packs()?;
        print(&show_settings(
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
    if !args.stdin {
        offer_only_fixes_that_apply(&mut report, &cs, &packs, &cwd);
    }
    let mut notes = std::mem::take(&mut report.notes);
    if let Some(path) = &settings.baseline.value {
        let shown = spec_check::source::display_path(path.strip_prefix(&cwd).unwrap_or(path));
        let file = baseline::read(path, &shown)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let applied = baseline::apply(&mut report, &file, dir, &cwd);
        if applied.hidden > 0 {
            notes.push(format!(
                "{} in the baseline {shown} not shown",
                plural(applied.hidden, "finding")
            ));
        }
        if applied.stale > 0 {
            notes.push(format!(
                "{} of {shown} no longer {} (fixed since it was written); run `spec-check baseline --output {shown}` to shrink it",
                plural(applied.stale, "baseline entry"),
                if applied.stale == 1 { "matches" } else { "match" }
            ));
        }
    }
    if !args.quiet {
        for n in &notes {
            eprintln!("note: {n}");
        }
    }
    for e in &report.errors {
        let level = if e.skipped { "warning" } else { "error" };
        eprintln!("{level}: {}", e.message);
    }
    let job_summary = job_summary_path(&c.output, &targets);
    // Work-tree paths are relative to the working directory; git modes report paths
    // relative to the repository root already.
    let root = spec_check::source::fs::repo_root(&cwd);
    let paths = match (&cs.mode, &root) {
        (Mode::WorkTree, _) | (_, None) => {
            RepoPaths::new(cwd.canonicalize().unwrap_or_else(|_| cwd.clone()), root)
        }
        (_, Some(r)) => RepoPaths::new(r.clone(), root.clone()),
    };
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
    let nothing_staged = cs.mode == Mode::Staged
        && report.files.is_empty()
        && report.errors.is_empty()
        && report.diagnostics.is_empty();
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
        let text = match &target.path {
            None if args.statistics => statistics(&report, target.format, c.fix.unsafe_fixes),
            None if args.checklist => render::human::scorecard_only(&report, &ctx),
            None if args.quiet && target.format == Format::Human => {
                render::human::render_findings(&report, &ctx)
            }
            _ => render::render(target.format, &report, &ctx),
        };
        match &target.path {
            None => print(&text),
            Some(path) => {
                if let Err(e) = write_file(path, &text) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    failed = true;
                }
            }
        }
    }
    if let Some(path) = job_summary {
        let text = render::render(Format::Markdown, &report, &base);
        if let Err(e) = append_file(&path, &text) {
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
    // a git hook: `hook install`'s (--staged) or the pre-commit framework's (it sets PRE_COMMIT)
    let in_hook =
        cs.mode == Mode::Staged || std::env::var_os("PRE_COMMIT").is_some_and(|v| v == "1");
    if code == 1 && in_hook && !args.quiet {
        eprintln!("{}", blocked_commit_hint(settings.baseline.value.is_some()));
    }
    Ok(code)
}

/// The last line of a commit the hook blocks: how to adopt the gate gradually, and how to
/// get past it once.
fn blocked_commit_hint(has_baseline: bool) -> String {
    let gradual = if has_baseline {
        "refresh the baseline with `spec-check baseline` to accept the findings as they are"
    } else {
        "record today's findings with `spec-check baseline` (and set `baseline = \"spec-check-baseline.json\"` in spec-check.toml) so that only new ones block"
    };
    format!(
        "commit blocked by spec-check: fix the findings above, {gradual}, or skip the check once with `git commit --no-verify`"
    )
}

/// Above this many files with fixes, the fixable counts are not verified by a trial run
/// (it re-checks each document a few times) and stay what the rules offered.
const FIX_TRIAL_MAX_FILES: usize = 100;

/// Count as fixable only what `--fix` will do: try the fixes in memory (unsafe ones too,
/// nothing written) and turn every fix the engine refuses (it would add findings of another
/// rule, or its edits are invalid) into a suggestion (`DisplayOnly`). The report then
/// promises no fix that every later run would refuse again.
fn offer_only_fixes_that_apply(
    report: &mut Report,
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
) {
    let mut with_fixes: Vec<&Path> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.fix()
                .is_some_and(|f| f.applicability != Applicability::DisplayOnly)
        })
        .map(|d| d.path.as_path())
        .collect();
    with_fixes.dedup();
    if with_fixes.is_empty() || with_fixes.len() > FIX_TRIAL_MAX_FILES {
        return;
    }
    let trial = FixSettings {
        unsafe_fixes: true,
        ..FixSettings::default()
    };
    // a failed trial (a fix that never settles) changes nothing here; --fix reports it
    let Ok(fixed) = run::fix(settings, packs, cwd, &trial) else {
        return;
    };
    for doc in &fixed.run.documents {
        for s in &doc.skipped {
            for d in report.diagnostics.iter_mut().filter(|d| {
                d.path == doc.path
                    && d.code == s.code
                    && d.fix().is_some_and(|f| f.title == s.title)
            }) {
                if let Some(f) = d.finding.fix.as_mut() {
                    f.applicability = Applicability::DisplayOnly;
                }
            }
        }
    }
}

/// Where the markdown summary is appended by default: `$GITHUB_STEP_SUMMARY` in GitHub
/// Actions, unless `--no-summary`, or a `--format markdown --output` already writes there.
fn job_summary_path(args: &OutputArgs, targets: &[cli::OutputTarget]) -> Option<PathBuf> {
    if args.no_summary || std::env::var("GITHUB_ACTIONS").as_deref() != Ok("true") {
        return None;
    }
    let path = PathBuf::from(std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())?);
    let same = |p: &Path| {
        p == path || matches!((p.canonicalize(), path.canonicalize()), (Ok(a), Ok(b)) if a == b)
    };
    let already = targets
        .iter()
        .any(|t| t.format == Format::Markdown && t.path.as_deref().is_some_and(same));
    (!already).then_some(path)
}

fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

fn append_file(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")
}

/// `--fix` and `--diff`: fix to a fixed point in memory, then write the files (and report
/// what remains) or print the patch.
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
    if fix_args.fix && (args.staged || args.base.is_some()) {
        let what = if args.staged {
            "--staged checks the index"
        } else {
            "--base checks commits"
        };
        eprintln!(
            "error: --fix writes files in the work tree, but {what}, and the staged or committed text can differ from the working file; use `spec-check check {} --diff` to see the fixes as a patch (apply it with `git apply --cached` for the index, or `git apply` for the work tree)",
            if args.staged {
                "--staged".to_string()
            } else {
                format!("--base {}", args.base.as_deref().unwrap_or("REV"))
            }
        );
        return Ok(FixOutcome::Exit(2));
    }
    let fix_settings = FixSettings {
        unsafe_fixes: fix_args.unsafe_fixes,
        ..FixSettings::default()
    };
    if args.stdin {
        return fix_stdin(args, fix_args, settings, packs, &fix_settings).map(FixOutcome::Exit);
    }
    let fixed = run::fix(settings, packs, cwd, &fix_settings)?;
    for e in &fixed.errors {
        let level = if e.skipped { "warning" } else { "error" };
        eprintln!("{level}: {}", e.message);
    }
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
            eprintln!("{}", no_fixes(fix_args, settings, packs, cwd));
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
            spec_check::source::display_path(&n.path),
            n.reason
        );
    }
    fix::write_changes(&changes)?;
    // fixes of a document that was not written did not happen
    let written = || {
        result
            .documents
            .iter()
            .filter(|d| !not_written.iter().any(|n| n.path == d.path))
    };
    Ok(FixOutcome::Written(FixedCounts {
        fixed: written().map(|d| d.fixed).sum(),
        added: written().map(|d| d.added).sum(),
    }))
}

/// "No fixes to apply." — and, when only unsafe fixes exist and `--unsafe-fixes` was not
/// given, how many those would fix and how to see them.
fn no_fixes(
    fix_args: &cli::FixArgs,
    settings: &CheckSettings,
    packs: &[RulePack],
    cwd: &Path,
) -> String {
    if fix_args.unsafe_fixes {
        return "No fixes to apply.".to_string();
    }
    let with_unsafe = FixSettings {
        unsafe_fixes: true,
        ..FixSettings::default()
    };
    match run::fix(settings, packs, cwd, &with_unsafe) {
        Ok(f) if !f.run.changes.is_empty() => format!(
            "No safe fixes to apply; with --unsafe-fixes, {} in {} would be fixed (`spec-check check --diff --unsafe-fixes` shows them, `--fix --unsafe-fixes` applies them).",
            plural(f.run.fixed(), "finding"),
            plural(f.run.changes.len(), "file")
        ),
        _ => "No fixes to apply.".to_string(),
    }
}

/// Say which offered fixes were not applied, and why.
fn report_skipped(result: &fix::FixRun) {
    for doc in &result.documents {
        for s in &doc.skipped {
            eprintln!(
                "note: {}: not applied: {} ({} {}): {}",
                spec_check::source::display_path(&doc.path),
                s.title,
                s.code,
                s.rule,
                s.reason
            );
        }
    }
}

/// The document on standard input and the name it is checked under (`--stdin-filename`,
/// else `<stdin>`); bytes that are not UTF-8 are an error naming the position.
fn read_stdin(args: &CheckArgs) -> Result<(PathBuf, String), RunError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(RunError::Stdin)?;
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdin>"));
    let text =
        spec_check::source::fs::bytes_to_text(bytes, &spec_check::source::display_path(&name))?;
    Ok((name, text))
}

/// `--stdin` with `--fix` prints the fixed text (for editors), with `--diff` the patch.
fn fix_stdin(
    args: &CheckArgs,
    fix_args: &cli::FixArgs,
    settings: &CheckSettings,
    packs: &[RulePack],
    fix_settings: &FixSettings,
) -> Result<u8, RunError> {
    let (name, text) = read_stdin(args)?;
    let source = spec_check::source::SourceFile {
        path: name,
        text: text.clone(),
        origin: spec_check::source::Origin::Stdin,
        explicit: true,
    };
    let fix_settings = FixSettings {
        suppression: settings.suppression,
        language: settings.language,
        ..*fix_settings
    };
    let result = fix::fix_files(
        packs,
        std::slice::from_ref(&source),
        &spec_check::source::fs::FsWorkspace,
        &fix_settings,
    )?;
    report_skipped(&result);
    let fixed = result
        .changes
        .iter()
        .find(|c| c.path == source.path)
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
    let settings = resolve(g, &SelectionArgs::default(), None, &cwd)?;
    let packs = settings.load_packs()?;
    let path = match &args.path {
        Some(p) => p.clone(),
        None => {
            let root = spec_check::source::fs::repo_root(&cwd).unwrap_or_else(|| cwd.clone());
            root.join("docs").join("06-technical-specification.md")
        }
    };
    // the pack whose files the new file is (the step-6 pack for the default path)
    let root = spec_check::source::fs::repo_root(&cwd).unwrap_or_else(|| cwd.clone());
    let absolute = cwd.join(&path);
    let rel = spec_check::source::display_path(absolute.strip_prefix(&root).unwrap_or(&path));
    let Some(pack) = packs
        .iter()
        .find(|p| p.applies_to(&rel) && !p.template.is_empty())
        .or_else(|| packs.iter().find(|p| !p.template.is_empty()))
    else {
        eprintln!("error: no configured pack has a template outline to write a skeleton from");
        return Ok(2);
    };
    let title = if pack.id == "vibe-step-6" {
        "Technical Specification"
    } else {
        pack.name.as_str()
    };
    let text = spec_check::scaffold::document(&pack.template, title);
    spec_check::scaffold::write_new(&path, &text)?;
    let shown = spec_check::source::display_path(path.strip_prefix(&cwd).unwrap_or(&path));
    eprintln!(
        "Wrote {shown}: {} sections to fill in. Run `spec-check check {shown}` to see what is still empty.",
        pack.template.sections.len()
    );
    Ok(0)
}

/// `--statistics`: findings per rule, most first, under a header; `[*]` marks rules with
/// findings a fix the run would apply (`--fix`, or `--fix --unsafe-fixes`) removes.
fn statistics(report: &Report, format: Format, unsafe_fixes: bool) -> String {
    let mut rows: Vec<(String, String, usize, usize)> = Vec::new();
    for d in &report.diagnostics {
        let fixable = usize::from(d.fix().is_some_and(|f| match f.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::DisplayOnly => false,
        }));
        match rows.iter_mut().find(|r| r.0 == d.code) {
            Some(r) => {
                r.2 += 1;
                r.3 += fixable;
            }
            None => rows.push((d.code.clone(), d.rule.clone(), 1, fixable)),
        }
    }
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    if format == Format::Json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(code, name, n, fixable)| {
                serde_json::json!({"code": code, "rule": name, "count": n, "fixable": fixable})
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
        s.push('\n');
        return s;
    }
    if rows.is_empty() {
        return "No findings.\n".to_string();
    }
    let code_w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(4);
    let mut out = format!("COUNT  {:<code_w$}  FIX  RULE\n", "CODE");
    for (code, name, n, fixable) in &rows {
        let mark = if *fixable > 0 { "[*]" } else { "   " };
        out.push_str(&format!("{n:>5}  {code:<code_w$}  {mark}  {name}\n"));
    }
    let how = if unsafe_fixes {
        "--fix --unsafe-fixes"
    } else {
        "--fix"
    };
    out.push_str(&format!(
        "\n[*] some of the rule's findings are fixed by `spec-check check {how}`\n"
    ));
    out
}

/// `--show-settings`: the resolved configuration and the files a run would check.
fn show_settings(
    settings: &Settings,
    packs: &[RulePack],
    all: &[RulePack],
    cs: &CheckSettings,
    cwd: &Path,
    stdin: bool,
) -> Result<String, RunError> {
    let mut out = settings.show(all);
    out.push_str("\n# files\n");
    if stdin {
        out.push_str("#   (standard input)\n");
        return Ok(out);
    }
    if cs.mode != Mode::WorkTree {
        out.push_str("#   (chosen from git when the check runs)\n");
        return Ok(out);
    }
    let candidates = match run::collect(cs, packs, cwd) {
        Ok(c) => c,
        Err(e @ (RunError::NothingToCheck { .. } | RunError::NoDocs { .. })) => {
            out.push_str(&format!("#   (none: {e})\n"));
            return Ok(out);
        }
        Err(e) => return Err(e),
    };
    for c in candidates {
        let file = spec_check::source::SourceFile {
            path: c.path.clone(),
            text: String::new(),
            origin: spec_check::source::Origin::WorkTree,
            explicit: c.explicit,
        };
        let ids: Vec<&str> = spec_check::packs_for(packs, &file)
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        out.push_str(&format!(
            "#   {}  ({})\n",
            spec_check::source::display_path(&c.path),
            if ids.is_empty() {
                "no pack".to_string()
            } else {
                ids.join(", ")
            }
        ));
    }
    Ok(out)
}

fn show_config(g: &GlobalArgs, sel: &SelectionArgs) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let settings = resolve(g, sel, None, &cwd)?;
    let packs = settings.load_all_packs()?;
    print(&settings.show(&packs));
    Ok(0)
}

fn init(dir: Option<&Path>) -> Result<u8, RunError> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => current_dir()?,
    };
    for name in config::FILE_NAMES {
        let p = dir.join(name);
        if p.exists() {
            eprintln!(
                "error: {} already exists; edit it, or remove it to start over (init never overwrites)",
                spec_check::source::display_path(&p)
            );
            return Ok(2);
        }
    }
    let path = dir.join(config::FILE_NAMES[0]);
    std::fs::write(&path, config::init_template()).map_err(|e| RunError::Write {
        path: spec_check::source::display_path(&path),
        source: e,
    })?;
    print(&format!(
        "wrote {}\n",
        spec_check::source::display_path(&path)
    ));
    Ok(0)
}

fn write_baseline(g: &GlobalArgs, args: &BaselineArgs) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let mut check_args = args.check.clone();
    check_args.baseline = None;
    let settings = resolve(g, &check_args.selection, Some(&check_args), &cwd)?;
    let packs = settings.load_packs()?;
    let cs = check_settings(&settings, &check_args, false);
    let report = run_check(&cs, &packs, &check_args, &cwd)?;
    for e in &report.errors {
        eprintln!("error: {}", e.message);
    }
    let output = match &args.output {
        Some(p) => cwd.join(p),
        None => settings.base.join(baseline::DEFAULT_NAME),
    };
    let dir = output.parent().unwrap_or(Path::new("."));
    let entries = baseline::entries(&report, dir, &cwd);
    let n = entries.len();
    spec_check::source::fs::write_atomic(&output, &baseline::to_json(entries)).map_err(|e| {
        RunError::Write {
            path: spec_check::source::display_path(&output),
            source: e,
        }
    })?;
    let shown = spec_check::source::display_path(output.strip_prefix(&cwd).unwrap_or(&output));
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
        eprintln!(
            "error: `spec-check suppress` edits files in the work tree; it cannot take --staged, --base or --stdin"
        );
        return Ok(2);
    }
    let cwd = current_dir()?;
    let mut check_args = args.clone();
    check_args.baseline = None;
    let settings = resolve(g, &check_args.selection, Some(&check_args), &cwd)?;
    let packs = settings.load_packs()?;
    let cs = check_settings(&settings, &check_args, true);
    let report = run_check(&cs, &packs, &check_args, &cwd)?;
    let engine: Vec<&str> = suppress::RULES.iter().map(|r| r.code).collect();
    let mut findings = 0;
    let mut files = 0;
    for f in &report.files {
        let Some(text) = &f.text else { continue };
        let mine: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.path == f.path && !engine.contains(&d.code.as_str()))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let doc = Document::parse(f.path.clone(), text.clone());
        let new = suppress::insert_comments(&doc, &mine, "existing finding");
        spec_check::source::fs::write_atomic(&f.path, &new).map_err(|e| RunError::Write {
            path: spec_check::source::display_path(&f.path),
            source: e,
        })?;
        findings += mine.len();
        files += 1;
    }
    for e in &report.errors {
        eprintln!("error: {}", e.message);
    }
    print(&format!(
        "suppressed {} in {} with `spec-check-disable` comments (reason \"existing finding\")\n",
        plural(findings, "finding"),
        plural(files, "file")
    ));
    Ok(0)
}

fn rules(g: &GlobalArgs, args: &RulesArgs) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let settings = resolve(g, &SelectionArgs::default(), None, &cwd)?;
    let packs = settings.load_all_packs()?;
    let level = |code: &str, name: &str, default| {
        settings
            .rule_level(code, name, default)
            .map_or("off", |s: spec_check::diagnostic::Severity| s.as_str())
    };
    let mut out = String::new();
    match args.format {
        ListFormat::Table => {
            // (title, rows); columns as wide as their widest cell, across every table
            let mut tables: Vec<(String, Vec<[String; 5]>)> = Vec::new();
            for pack in &packs {
                let rows = pack
                    .rules
                    .iter()
                    .map(|r| {
                        [
                            r.code.clone(),
                            r.name.clone(),
                            level(&r.code, &r.name, r.severity).to_string(),
                            r.checklist.clone().unwrap_or_else(|| "-".into()),
                            if r.fixable() { "yes" } else { "" }.to_string(),
                        ]
                    })
                    .collect();
                tables.push((
                    format!("{} {} — {}", pack.id, pack.version, pack.name),
                    rows,
                ));
            }
            let engine = settings.suppression();
            let rows = [
                (&suppress::UNUSED, engine.unused, "yes"),
                (&suppress::MISSING_REASON, engine.missing_reason, ""),
            ]
            .into_iter()
            .map(|(r, sev, fix)| {
                [
                    r.code.to_string(),
                    r.name.to_string(),
                    sev.map_or("off", |s| s.as_str()).to_string(),
                    "-".to_string(),
                    fix.to_string(),
                ]
            })
            .collect();
            tables.push(("engine — suppression comments".to_string(), rows));
            let header = ["CODE", "NAME", "SEVERITY", "CHECKLIST", "FIX"].map(String::from);
            let mut widths = header.clone().map(|h| h.chars().count());
            for row in tables.iter().flat_map(|(_, rows)| rows) {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let line = |row: &[String; 5]| {
                let mut l = String::new();
                for (cell, w) in row.iter().zip(widths) {
                    l.push_str(&format!("{cell:<w$}  "));
                }
                format!("{}\n", l.trim_end())
            };
            for (i, (title, rows)) in tables.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&format!("{title}\n\n"));
                out.push_str(&line(&header));
                for row in rows {
                    out.push_str(&line(row));
                }
            }
        }
        ListFormat::Json => {
            let mut list: Vec<serde_json::Value> = packs
                .iter()
                .flat_map(|p| {
                    p.rules.iter().map(|r| {
                        serde_json::json!({
                            "pack": p.id, "code": r.code, "name": r.name,
                            "severity": level(&r.code, &r.name, r.severity),
                            "checklist": r.checklist, "fixable": r.fixable(), "summary": r.docs.summary,
                        })
                    })
                })
                .collect();
            for r in suppress::RULES {
                list.push(serde_json::json!({
                    "pack": null, "code": r.code, "name": r.name,
                    "severity": level(r.code, r.name, r.severity),
                    "checklist": null, "fixable": r.code == suppress::UNUSED.code, "summary": r.summary,
                }));
            }
            out = serde_json::to_string_pretty(&list).unwrap_or_default();
            out.push('\n');
        }
        ListFormat::Markdown => {
            // the reference covers every built-in pack, configured or not
            let mut extra = Vec::new();
            for (id, _) in pack::BUILTIN {
                if !packs.iter().any(|p| p.id == *id) {
                    extra.push(RulePack::builtin(id)?);
                }
            }
            let all: Vec<&RulePack> = packs.iter().chain(&extra).collect();
            out = render::rules_page::render(&all, &level);
        }
    }
    print(&out);
    Ok(0)
}

fn rule(g: &GlobalArgs, code: &str) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let settings = resolve(g, &SelectionArgs::default(), None, &cwd)?;
    // every built-in pack, so a rule's docs are there even when its pack is not enabled
    let mut packs = settings.load_all_packs()?;
    for (id, _) in pack::BUILTIN {
        if !packs.iter().any(|p| p.id == *id) {
            packs.push(RulePack::builtin(id)?);
        }
    }
    if let Some((pack, r)) = packs.iter().find_map(|p| p.rule(code).map(|r| (p, r))) {
        print(&render::rule_doc(pack, r));
        return Ok(0);
    }
    if let Some(r) = suppress::RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
    {
        print(&render::engine_rule_doc(r));
        return Ok(0);
    }
    let known: Vec<(&str, &str)> = packs
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| (r.code.as_str(), r.name.as_str())))
        .chain(suppress::RULES.iter().map(|r| (r.code, r.name)))
        .collect();
    let hint =
        match spec_check::selector::did_you_mean(code, known.iter().flat_map(|(c, n)| [*c, *n])) {
            Some(near) => format!("did you mean `{near}`? (`spec-check rules` lists them all)"),
            None => "run `spec-check rules` to list codes and names".to_string(),
        };
    eprintln!("error: no rule `{code}`; {hint}");
    Ok(2)
}

/// A progress indicator on stderr for long runs: only on a terminal, never in CI, drawn
/// after a moment and only for many files, erased when done.
struct ProgressIndicator {
    progress: Arc<Progress>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Fewer files than this finish before an indicator would help.
const PROGRESS_MIN_FILES: usize = 20;

impl ProgressIndicator {
    fn start() -> Option<ProgressIndicator> {
        if !std::io::stderr().is_terminal()
            || std::env::var_os("CI").is_some()
            || std::env::var("TERM").is_ok_and(|t| t == "dumb")
        {
            return None;
        }
        let progress = Arc::new(Progress::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (p, s) = (Arc::clone(&progress), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut drawn = false;
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(80));
                let total = p.total.load(Ordering::Relaxed);
                if total >= PROGRESS_MIN_FILES && started.elapsed() > Duration::from_millis(250) {
                    let done = p.done.load(Ordering::Relaxed);
                    eprint!("\rchecking {done}/{total} files…");
                    drawn = true;
                }
            }
            if drawn {
                eprint!("\r\x1b[K");
            }
        });
        Some(ProgressIndicator {
            progress,
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for ProgressIndicator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn hook_command(action: &HookAction) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let repo = GitRepo::discover(&cwd)?;
    let shown = |p: &std::path::Path| p.display().to_string();
    // `hook status` answers with its exit code too: 0 installed, 1 not (or another hook)
    let mut code = 0;
    let line = match action {
        HookAction::Install { force } => match hook::install(&repo, *force)? {
            InstallOutcome::Installed { path } => {
                format!("installed the pre-commit hook at {}", shown(&path))
            }
            InstallOutcome::Unchanged { path } => format!(
                "the pre-commit hook at {} is already installed",
                shown(&path)
            ),
            InstallOutcome::Updated { path } => {
                format!("updated the pre-commit hook at {}", shown(&path))
            }
            InstallOutcome::Replaced { path, backup } => format!(
                "replaced the pre-commit hook at {} (the previous hook is saved as {})",
                shown(&path),
                shown(&backup)
            ),
        },
        HookAction::Uninstall => match hook::uninstall(&repo)? {
            UninstallOutcome::Removed { path, backups } => {
                let mut s = format!("removed the pre-commit hook at {}", shown(&path));
                for b in backups {
                    s.push_str(&format!(
                        "\nnote: a backup of an earlier hook is at {} (not restored)",
                        shown(&b)
                    ));
                }
                s
            }
            UninstallOutcome::NotInstalled { foreign, .. } => match foreign {
                Some(p) => format!(
                    "the pre-commit hook at {} was not written by spec-check; left alone",
                    shown(&p)
                ),
                None => "no spec-check pre-commit hook is installed".to_string(),
            },
        },
        HookAction::Status => match hook::status(&repo)? {
            HookStatus::NotInstalled => {
                code = 1;
                "not installed (run `spec-check hook install`)".to_string()
            }
            HookStatus::Ours { path } => format!("installed at {}", shown(&path)),
            HookStatus::Foreign { path } => {
                code = 1;
                format!(
                    "not installed: a pre-commit hook not written by spec-check is at {} (call spec-check from it, or `spec-check hook install --force` to replace it)",
                    shown(&path)
                )
            }
        },
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
