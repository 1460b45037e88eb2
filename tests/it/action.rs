//! The GitHub Action without GitHub: `action.yml`'s structure (inputs, outputs, steps, no
//! expression inside a `run:` script), the workflow the README shows, and the action's own
//! check script (`scripts/action/run.sh`) run the way the runner runs it — GITHUB_* set,
//! an event payload, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files — against the built binary
//! in real git repositories.

use crate::validators;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::gitrepo::{Repo, write};
use crate::support::github_outputs;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("valid YAML")
}

fn action() -> Value {
    yaml(&std::fs::read_to_string(root().join("action.yml")).expect("action.yml"))
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

const INPUTS: &[&str] = &[
    "version",
    "path",
    "paths",
    "base",
    "changed-lines-only",
    "fail-on",
    "sarif-file",
    "config",
    "args",
];
const OUTPUTS: &[&str] = &["errors", "warnings", "sarif-file", "exit-code"];

#[test]
fn action_yml_declares_the_documented_interface() {
    let a = action();
    assert_eq!(a["name"], "spec-check");
    assert!(a["description"].as_str().is_some_and(|d| !d.is_empty()));
    let mut inputs = keys(&a["inputs"]);
    inputs.sort();
    let mut want: Vec<String> = INPUTS.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(inputs, want);
    for (name, input) in a["inputs"].as_object().expect("inputs") {
        assert!(
            input["description"].as_str().is_some_and(|d| !d.is_empty()),
            "input {name} has no description"
        );
        assert!(
            input.get("default").is_some(),
            "input {name} has no default"
        );
    }
    assert_eq!(a["inputs"]["fail-on"]["default"], "error");
    let mut outputs = keys(&a["outputs"]);
    outputs.sort();
    let mut want: Vec<String> = OUTPUTS.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(outputs, want);
    for name in OUTPUTS {
        assert_eq!(
            a["outputs"][name]["value"],
            format!("${{{{ steps.check.outputs.{name} }}}}")
        );
    }
}

#[test]
fn action_steps_keep_inputs_out_of_scripts() {
    let a = action();
    assert_eq!(a["runs"]["using"], "composite");
    let steps = a["runs"]["steps"].as_array().expect("steps");
    let ids: Vec<&str> = steps.iter().filter_map(|s| s["id"].as_str()).collect();
    assert!(ids.contains(&"check"), "{ids:?}");
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            // script injection: an expression in `run:` is pasted into the script as text
            assert!(!run.contains("${{"), "expression inside run: {run}");
            assert_eq!(step["shell"], "bash", "run step without shell: {run}");
            // the script it runs exists in the repository
            let script = run
                .split('"')
                .find_map(|part| part.strip_prefix("$GITHUB_ACTION_PATH/"))
                .expect("runs a script from the action's checkout");
            assert!(root().join(script).is_file(), "{script} is missing");
        }
        if let Some(uses) = step["uses"].as_str() {
            assert!(uses.contains('@'), "unpinned action: {uses}");
        }
        // every input a step reads comes through env
        for (name, value) in step["env"].as_object().into_iter().flatten() {
            let v = value.as_str().unwrap_or_default();
            if let Some(input) = v
                .strip_prefix("${{ inputs.")
                .and_then(|s| s.strip_suffix(" }}"))
            {
                assert!(INPUTS.contains(&input), "{name}: unknown input {input}");
            }
        }
    }
    // the check step passes every input but version/path (those belong to the install steps)
    let check = steps
        .iter()
        .find(|s| s["id"] == "check")
        .expect("check step");
    let env = check["env"].as_object().expect("check env");
    for input in INPUTS.iter().filter(|i| !["version", "path"].contains(i)) {
        let var = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
        assert_eq!(
            env.get(&var).and_then(Value::as_str),
            Some(format!("${{{{ inputs.{input} }}}}").as_str()),
            "{var}"
        );
    }
}

/// The README's workflow example (the YAML block that uses the action).
fn readme_workflow() -> Value {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let block = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("\n```").next())
        .find(|b| b.contains("uses: spec-check/spec-check@") && b.contains("jobs:"))
        .expect("a workflow using the action in the README");
    yaml(block)
}

#[test]
fn readme_workflow_uses_the_action_as_declared() {
    let wf = readme_workflow();
    let a = action();
    let (job_name, job) = wf["jobs"]
        .as_object()
        .and_then(|j| j.iter().next())
        .expect("a job");
    assert_eq!(
        job["permissions"]["security-events"], "write",
        "{job_name}: upload-sarif needs security-events: write"
    );
    let steps = job["steps"].as_array().expect("steps");
    let checkout = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .expect("checkout");
    assert_eq!(
        checkout["with"]["fetch-depth"], 0,
        "--base needs the history"
    );
    let ours = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("spec-check/spec-check@"))
        })
        .expect("the action");
    let inputs = keys(&a["inputs"]);
    for k in keys(&ours["with"]) {
        assert!(inputs.contains(&k), "README passes unknown input {k}");
    }
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("upload-sarif");
    // findings fail the spec-check step; the SARIF must be uploaded all the same
    assert!(
        upload["if"]
            .as_str()
            .is_some_and(|c| c.contains("always()") || c.contains("!cancelled()")),
        "upload-sarif must run when spec-check fails"
    );
    assert_eq!(upload["with"]["sarif_file"], ours["with"]["sarif-file"]);
}

/// A repository with a committed spec, as a pull request would have it.
struct Workspace {
    repo: Repo,
    /// The temp dir beside the repo for the runner's files.
    runner: PathBuf,
}

const SPEC: &str = "docs/06-technical-specification.md";

fn flawed() -> String {
    std::fs::read_to_string(root().join("tests/formats/flawed.md")).expect("fixture")
}

impl Workspace {
    fn new() -> Workspace {
        let repo = Repo::new();
        write(&repo.dir, SPEC, &flawed());
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-qm", "spec"]);
        let runner = repo.tmp.path().join("runner");
        std::fs::create_dir_all(&runner).expect("runner dir");
        Workspace { repo, runner }
    }

    /// Run the action's check script as the runner would, with `event` as the payload.
    fn run(&self, event_name: &str, event: &Value, inputs: &[(&str, &str)]) -> Run {
        let event_path = self.runner.join("event.json");
        std::fs::write(&event_path, event.to_string()).expect("event");
        let output = self.runner.join("output");
        let summary = self.runner.join("summary.md");
        std::fs::write(&output, "").expect("GITHUB_OUTPUT");
        std::fs::write(&summary, "").expect("GITHUB_STEP_SUMMARY");
        let mut cmd = Command::new("bash");
        cmd.arg(root().join("scripts/action/run.sh"))
            .current_dir(&self.repo.dir)
            .env("SPEC_CHECK", env!("CARGO_BIN_EXE_spec-check"))
            .env("GITHUB_ACTIONS", "true")
            .env("CI", "true")
            .env("GITHUB_WORKSPACE", &self.repo.dir)
            .env("GITHUB_EVENT_NAME", event_name)
            .env("GITHUB_EVENT_PATH", &event_path)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("RUNNER_TEMP", &self.runner)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .env_remove("NO_COLOR");
        for var in [
            "INPUT_PATHS",
            "INPUT_BASE",
            "INPUT_CHANGED_LINES_ONLY",
            "INPUT_FAIL_ON",
            "INPUT_SARIF_FILE",
            "INPUT_CONFIG",
            "INPUT_ARGS",
        ] {
            cmd.env_remove(var);
        }
        for (k, v) in inputs {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("bash runs");
        Run {
            out,
            outputs: github_outputs(&std::fs::read_to_string(&output).expect("outputs")),
            summary: std::fs::read_to_string(&summary).expect("summary"),
        }
    }
}

struct Run {
    out: Output,
    outputs: BTreeMap<String, String>,
    summary: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn output(&self, name: &str) -> &str {
        self.outputs
            .get(name)
            .unwrap_or_else(|| panic!("no output {name}: {:?}\n{}", self.outputs, self.stderr()))
    }
    fn annotations(&self, kind: &str) -> usize {
        self.stdout()
            .lines()
            .filter(|l| l.starts_with(&format!("::{kind} file=")))
            .count()
    }
}

/// Errors and warnings of a report as spec-check's own JSON gives them.
fn counts(ws: &Workspace, args: &[&str]) -> (u64, u64) {
    let out = Command::new(env!("CARGO_BIN_EXE_spec-check"))
        .current_dir(&ws.repo.dir)
        .args(["check", "--format", "json"])
        .args(args)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("spec-check runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    (
        v["summary"]["errors"].as_u64().expect("errors"),
        v["summary"]["warnings"].as_u64().expect("warnings"),
    )
}

#[test]
fn push_event_checks_everything_and_reports_through_every_channel() {
    let ws = Workspace::new();
    let sarif = ws.runner.join("results/spec-check.sarif");
    let sarif_s = sarif.to_string_lossy().into_owned();
    let run = ws.run(
        "push",
        &serde_json::json!({ "ref": "refs/heads/main", "after": "0123abc" }),
        &[("INPUT_SARIF_FILE", sarif_s.as_str())],
    );
    assert_eq!(run.out.status.code(), Some(1), "{}", run.stderr());
    let (errors, warnings) = counts(&ws, &[]);
    assert!(errors > 0 && warnings > 0);
    assert_eq!(run.output("errors"), errors.to_string());
    assert_eq!(run.output("warnings"), warnings.to_string());
    assert_eq!(run.output("exit-code"), "1");
    assert_eq!(run.output("sarif-file"), sarif_s);
    // annotations: capped per step, errors first, all naming the repository-relative path
    let stdout = run.stdout();
    assert_eq!(
        run.annotations("error"),
        (errors as usize).min(10),
        "{stdout}"
    );
    assert!(
        stdout.starts_with(&format!("::error file={SPEC},line=")),
        "{stdout}"
    );
    // SARIF for upload-sarif, valid against the schema
    let text = std::fs::read_to_string(&sarif).expect("SARIF written");
    validators::validate("sarif-schema-2.1.0.json", &text);
    let v: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        v["runs"][0]["results"].as_array().map(Vec::len),
        Some((errors + warnings) as usize + infos(&v))
    );
    // the job summary, appended by spec-check itself
    assert!(
        run.summary.starts_with("## spec-check\n"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains(&format!("### {SPEC}")),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("| All 13 sections are comprehensively covered | ❌ fail |")
    );
}

fn infos(sarif: &Value) -> usize {
    sarif["runs"][0]["results"]
        .as_array()
        .map(|r| r.iter().filter(|r| r["level"] == "note").count())
        .unwrap_or(0)
}

#[test]
fn pull_request_event_checks_the_changes_since_its_base() {
    let ws = Workspace::new();
    let base = ws.repo.git(&["rev-parse", "HEAD"]);
    // the pull request adds a placeholder on one line and nothing else
    let text = flawed().replace(
        "Passwords are hashed with Argon2id;",
        "Passwords are hashed with [Algorithm];",
    );
    write(&ws.repo.dir, SPEC, &text);
    ws.repo.git(&["commit", "-qam", "pr"]);
    let event = serde_json::json!({
        "action": "synchronize",
        "pull_request": { "number": 7, "base": { "sha": base, "ref": "main" }, "head": { "sha": "ffff" } }
    });
    let run = ws.run(
        "pull_request",
        &event,
        &[("INPUT_CHANGED_LINES_ONLY", "true")],
    );
    assert!(
        run.stdout().contains(&format!(
            "pull request: checking the specs changed since {base}"
        )),
        "{}",
        run.stdout()
    );
    let (errors, warnings) = counts(&ws, &["--base", &base, "--changed-lines-only"]);
    assert_eq!(run.output("errors"), errors.to_string(), "{}", run.stderr());
    assert_eq!(run.output("warnings"), warnings.to_string());
    let stdout = run.stdout();
    assert!(stdout.contains("[Algorithm]"), "{stdout}");
    // findings on lines the pull request did not touch are not annotated
    assert!(!stdout.contains("[Number]"), "{stdout}");
    assert!(!stdout.contains("`TBD`"), "{stdout}");
    assert_eq!(run.out.status.code(), Some(1));
    // the job summary's scorecard covers the whole file, and says so
    assert!(
        run.summary.contains("Quality checklist of the whole file")
            && run.summary.contains("| Findings (whole file) |"),
        "{}",
        run.summary
    );

    // without changed-lines-only: the whole changed file
    let whole = ws.run("pull_request", &event, &[]);
    assert!(whole.stdout().contains("[Number]"));
    assert!(!whole.summary.contains("(whole file)"), "{}", whole.summary);
    // an explicit base wins over the event's
    let explicit = ws.run(
        "pull_request",
        &event,
        &[("INPUT_BASE", "HEAD"), ("INPUT_CHANGED_LINES_ONLY", "true")],
    );
    assert_eq!(explicit.output("errors"), "0", "{}", explicit.stderr());
    assert_eq!(explicit.out.status.code(), Some(0));
}

#[test]
fn fail_on_decides_the_step_status_not_the_counts() {
    let ws = Workspace::new();
    let event = serde_json::json!({});
    let never = ws.run("push", &event, &[("INPUT_FAIL_ON", "never")]);
    assert_eq!(never.out.status.code(), Some(0));
    assert_eq!(never.output("exit-code"), "0");
    assert_ne!(never.output("errors"), "0");
    assert_eq!(never.output("sarif-file"), "");

    let bad = ws.run("push", &event, &[("INPUT_FAIL_ON", "sometimes")]);
    assert_eq!(bad.out.status.code(), Some(2));
    assert_eq!(bad.output("exit-code"), "2");
    assert!(
        bad.stdout()
            .contains("::error title=spec-check action::fail-on must be error, warning or never")
    );
}

#[test]
fn inputs_are_data_never_shell() {
    let ws = Workspace::new();
    let marker = ws.runner.join("pwned");
    let m = marker.to_string_lossy().into_owned();
    let run = ws.run(
        "push",
        &serde_json::json!({}),
        &[
            ("INPUT_PATHS", &format!("{SPEC} $(touch {m}) `touch {m}`")),
            ("INPUT_ARGS", &format!("--threads 1 ; touch {m}")),
            ("INPUT_CONFIG", ""),
        ],
    );
    assert!(!marker.exists(), "an input was executed");
    // the odd words reach spec-check as arguments, which rejects them
    assert_eq!(run.out.status.code(), Some(2), "{}", run.stderr());
    // a value with a newline cannot add step outputs
    let ws2 = Workspace::new();
    let run = ws2.run(
        "push",
        &serde_json::json!({}),
        &[("INPUT_SARIF_FILE", "out.sarif\nexit-code=0")],
    );
    assert_eq!(run.output("sarif-file"), "out.sarif\nexit-code=0");
    assert_eq!(
        run.output("exit-code"),
        run.out.status.code().unwrap_or(-1).to_string()
    );
    let names: Vec<&String> = run.outputs.keys().collect();
    assert_eq!(names, ["errors", "exit-code", "sarif-file", "warnings"]);
}

#[test]
fn a_malformed_base_in_the_event_is_refused() {
    let ws = Workspace::new();
    let event = serde_json::json!({ "pull_request": { "base": { "sha": "--output=/etc/x" } } });
    let run = ws.run("pull_request", &event, &[]);
    assert_eq!(run.out.status.code(), Some(2));
    assert!(
        run.stdout().contains("is not a commit id"),
        "{}",
        run.stdout()
    );
}

/// Run `scripts/action/install.sh MODE` with `inputs`; its outputs and status.
fn install(mode: &str, inputs: &[(&str, &str)]) -> (Option<i32>, BTreeMap<String, String>, String) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let output = tmp.path().join("output");
    std::fs::write(&output, "").expect("GITHUB_OUTPUT");
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scripts/action/install.sh"))
        .arg(mode)
        .env("GITHUB_ACTION_PATH", root())
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("CACHE_DIR", tmp.path().join("cache"))
        // a branch: the action builds its own source unless told otherwise
        .env("ACTION_REF", "main")
        .env_remove("INPUT_VERSION")
        .env_remove("INPUT_PATH")
        .env_remove("SPEC_CHECK_RELEASES_URL");
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash runs");
    (
        out.status.code(),
        github_outputs(&std::fs::read_to_string(&output).expect("outputs")),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn install_keys_the_cache_on_the_source() {
    let (code, first, _) = install("key", &[]);
    assert_eq!(code, Some(0));
    let key = &first["key"];
    let hash = key
        .strip_prefix("spec-check-Linux-X64-src-")
        .unwrap_or_else(|| panic!("{key}"));
    assert!(
        hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()),
        "{key}"
    );
    assert_eq!(first["build"], "true");
    assert_eq!(first["restore-prefix"], "spec-check-Linux-X64-");
    assert_eq!(install("key", &[]).1["key"], *key, "the key is stable");

    // a version is downloaded (tests/it/release.rs), not built: nothing to cache
    let (_, v, _) = install("key", &[("INPUT_VERSION", "0.1.0")]);
    assert_eq!(v["build"], "false");

    let (code, _, stdout) = install("key", &[("INPUT_VERSION", "1.0; rm -rf ~")]);
    assert_eq!(code, Some(2));
    assert!(
        stdout.contains("version must be a release number"),
        "{stdout}"
    );
}

#[test]
fn install_uses_a_given_binary_as_is() {
    let bin = env!("CARGO_BIN_EXE_spec-check");
    let (_, key, _) = install("key", &[("INPUT_PATH", bin)]);
    assert_eq!(key["build"], "false");
    let (code, out, _) = install("install", &[("INPUT_PATH", bin)]);
    assert_eq!(code, Some(0));
    assert_eq!(
        Path::new(&out["bin"]).canonicalize().expect("bin exists"),
        Path::new(bin).canonicalize().expect("binary")
    );
}
