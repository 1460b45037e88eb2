//! The `spec-check` binary: arguments → settings → run → render → exit status.
//! The only place that writes to stdout and stderr.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use clap::Parser;

use spec_check::cli::{CheckArgs, Cli, ColorChoice, Command, HookAction, ListFormat, RulesArgs};
use spec_check::hook::{self, HookStatus, InstallOutcome, UninstallOutcome};
use spec_check::pack::PackError;
use spec_check::render::{self, Format, RenderContext};
use spec_check::report::FailOn;
use spec_check::run::{self, CheckSettings, Mode, RunError};
use spec_check::source::git::GitRepo;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Check(args)) => check(&args),
        None => check(&cli.check),
        Some(Command::Rules(args)) => rules(&args),
        Some(Command::Rule { code }) => rule(&code),
        Some(Command::Hook { action }) => hook_command(&action),
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

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // a closed pipe (`spec-check | head`) is not an error worth a panic
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn check(args: &CheckArgs) -> Result<u8, RunError> {
    let packs = run::default_packs()?;
    let fail_on = args.fail_on.unwrap_or(FailOn::Error);
    let mode = match (&args.base, args.staged) {
        (Some(rev), _) => Mode::Since(rev.clone()),
        (None, true) => Mode::Staged,
        (None, false) => Mode::WorkTree,
    };
    let settings = CheckSettings {
        mode,
        changed_lines_only: args.changed_lines_only,
        paths: args.paths.clone(),
        threads: args.threads.unwrap_or(0),
        keep_text: false,
        max_file_size: Some(DEFAULT_MAX_FILE_SIZE),
    };
    let cwd = std::env::current_dir().map_err(|e| RunError::Walk {
        path: ".".into(),
        source: e,
    })?;
    let report = run::check(&settings, &packs, &cwd)?;
    for n in &report.notes {
        eprintln!("note: {n}");
    }
    for e in &report.errors {
        let level = if e.skipped { "warning" } else { "error" };
        eprintln!("{level}: {}", e.message);
    }
    let color = use_color(args.color);
    let ctx = RenderContext {
        packs: &packs,
        color,
        fail_on,
        scorecard: args.format == Format::Human,
    };
    if args.checklist {
        print(&render::human::scorecard_only(&report, &ctx));
    } else {
        print(&render::render(args.format, &report, &ctx));
    }
    Ok(report.exit_code(fail_on))
}

/// Files larger than this are skipped with a warning: comrak's tree takes about twelve
/// times the input, so 10 MiB stays near 150 MB of memory; real specifications are < 1 MiB.
const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

fn rules(args: &RulesArgs) -> Result<u8, RunError> {
    let packs = run::default_packs()?;
    let mut out = String::new();
    match args.format {
        ListFormat::Table => {
            for pack in &packs {
                out.push_str(&format!("{} {} — {}\n\n", pack.id, pack.version, pack.name));
                out.push_str(&format!(
                    "{:<8} {:<28} {:<8} {:<26} {}\n",
                    "CODE", "NAME", "SEVERITY", "CHECKLIST", "FIX"
                ));
                for r in &pack.rules {
                    out.push_str(&format!(
                        "{:<8} {:<28} {:<8} {:<26} {}\n",
                        r.code,
                        r.name,
                        r.severity,
                        r.checklist.as_deref().unwrap_or("-"),
                        if r.fixable() { "yes" } else { "" }
                    ));
                }
            }
        }
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = packs
                .iter()
                .flat_map(|p| {
                    p.rules.iter().map(move |r| {
                        serde_json::json!({
                            "pack": p.id, "code": r.code, "name": r.name, "severity": r.severity,
                            "checklist": r.checklist, "fixable": r.fixable(), "summary": r.docs.summary,
                        })
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&list).unwrap_or_default();
            out.push('\n');
        }
    }
    print(&out);
    Ok(0)
}

fn rule(code: &str) -> Result<u8, RunError> {
    let packs = run::default_packs()?;
    let Some((pack, r)) = packs.iter().find_map(|p| p.rule(code).map(|r| (p, r))) else {
        let known: Vec<String> = packs
            .iter()
            .flat_map(|p| p.rules.iter().map(|r| r.code.clone()))
            .collect();
        eprintln!(
            "error: no rule `{code}`; run `spec-check rules` to list them (codes: {})",
            known.join(", ")
        );
        return Ok(2);
    };
    print(&render::rule_doc(pack, r));
    Ok(0)
}

fn hook_command(action: &HookAction) -> Result<u8, RunError> {
    let cwd = std::env::current_dir().map_err(|e| RunError::Walk {
        path: ".".into(),
        source: e,
    })?;
    let repo = GitRepo::discover(&cwd)?;
    let shown = |p: &std::path::Path| p.display().to_string();
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
            HookStatus::NotInstalled => "not installed (run `spec-check hook install`)".to_string(),
            HookStatus::Ours { path } => format!("installed at {}", shown(&path)),
            HookStatus::Foreign { path } => format!(
                "a pre-commit hook not written by spec-check is at {}",
                shown(&path)
            ),
        },
    };
    print(&format!("{line}\n"));
    Ok(0)
}

fn report_error(e: &RunError) {
    match e {
        RunError::Pack(p) => eprint!("{}", pack_error(p)),
        other => eprintln!("error: {other}"),
    }
}

/// A pack error with the TOML it points into.
fn pack_error(e: &PackError) -> String {
    let title = format!("invalid rule pack: {}", e.message);
    let renderer = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    match &e.span {
        Some(span) if !e.toml.is_empty() => {
            let report = &[Level::ERROR.primary_title(title.as_str()).element(
                Snippet::source(e.toml.as_str())
                    .path(e.origin.as_str())
                    .annotation(AnnotationKind::Primary.span(span.clone())),
            )];
            format!("{}\n", renderer.render(report))
        }
        _ => format!("error: {}: {}\n", e.origin, e.message),
    }
}
