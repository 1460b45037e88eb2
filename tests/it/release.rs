//! Releases without GitHub: the archives that `scripts/release/package.sh` makes (what
//! `.github/workflows/release.yml` publishes) and the action's download of them
//! (`scripts/action/download.sh`, through `install.sh` as the action runs it), against a fake
//! release served from `file://` and from a loopback HTTP server; the tag check that gates a
//! release; and the pieces that must agree with each other: the workflow's targets and the
//! platforms the action downloads for, Cargo.toml's version and the wheel hook's pin, the
//! two pre-commit hooks.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::support::github_outputs;
use serde_json::Value;
use tempfile::TempDir;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn script(path: &str) -> Command {
    let mut cmd = Command::new("bash");
    cmd.arg(root().join(path));
    for var in [
        "INPUT_VERSION",
        "INPUT_PATH",
        "ACTION_REF",
        "SPEC_CHECK_RELEASES_URL",
        "GITHUB_OUTPUT",
        "CACHE_HIT",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The version the release tests publish: any version works, the archives are fakes.
const VERSION: &str = "1.2.3";

/// Every target the release workflow builds, and the runner (RUNNER_OS, RUNNER_ARCH) whose
/// download it is.
const PLATFORMS: &[(&str, &str, &str)] = &[
    ("Linux", "X64", "x86_64-unknown-linux-musl"),
    ("Linux", "ARM64", "aarch64-unknown-linux-musl"),
    ("macOS", "X64", "x86_64-apple-darwin"),
    ("macOS", "ARM64", "aarch64-apple-darwin"),
    ("Windows", "X64", "x86_64-pc-windows-msvc"),
];

/// A release directory laid out as GitHub serves one: `vVERSION/ARCHIVE` and
/// `vVERSION/ARCHIVE.sha256`, made by the release workflow's own packaging script.
struct FakeRelease {
    dir: TempDir,
}

impl FakeRelease {
    /// A release of VERSION whose archive for each target holds a stand-in binary that
    /// prints which target it is.
    fn of_stand_ins() -> FakeRelease {
        let release = FakeRelease {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        for (_, _, target) in PLATFORMS {
            let bin = release.dir.path().join(format!("stand-in-{target}"));
            std::fs::write(
                &bin,
                format!("#!/bin/sh\necho 'spec-check {VERSION} for {target}'\n"),
            )
            .expect("stand-in");
            release.package(VERSION, target, &bin);
        }
        release
    }

    /// Package `binary` as the archive of `target` with scripts/release/package.sh.
    fn package(&self, version: &str, target: &str, binary: &Path) -> PathBuf {
        let out = script("scripts/release/package.sh")
            .args([version, target])
            .arg(binary)
            .arg(self.dir.path().join(format!("v{version}")))
            .output()
            .expect("bash runs");
        assert!(out.status.success(), "package.sh: {}", stderr(&out));
        PathBuf::from(stdout(&out).trim())
    }

    fn url(&self) -> String {
        format!("file://{}", self.dir.path().display())
    }

    fn archive(&self, version: &str, target: &str) -> PathBuf {
        let ext = if target.contains("-windows-") {
            "zip"
        } else {
            "tar.gz"
        };
        self.dir
            .path()
            .join(format!("v{version}/spec-check-{version}-{target}.{ext}"))
    }
}

/// `download.sh VERSION DIR` for the runner `os`/`arch` from the release at `url`.
fn download(url: &str, os: &str, arch: &str, dir: &Path) -> Output {
    script("scripts/action/download.sh")
        .arg(VERSION)
        .arg(dir)
        .env("SPEC_CHECK_RELEASES_URL", url)
        .env("RUNNER_OS", os)
        .env("RUNNER_ARCH", arch)
        .output()
        .expect("bash runs")
}

#[test]
fn download_picks_the_archive_of_the_runners_platform() {
    let release = FakeRelease::of_stand_ins();
    let tmp = tempfile::tempdir().expect("temp dir");
    let runners = PLATFORMS
        .iter()
        .copied()
        // Windows on ARM runs the x86_64 build; uname's names work outside GitHub
        .chain([
            ("Windows", "ARM64", "x86_64-pc-windows-msvc"),
            ("Darwin", "arm64", "aarch64-apple-darwin"),
            ("Linux", "aarch64", "aarch64-unknown-linux-musl"),
        ]);
    for (i, (os, arch, target)) in runners.enumerate() {
        let dir = tmp.path().join(i.to_string());
        let out = download(&release.url(), os, arch, &dir);
        assert_eq!(out.status.code(), Some(0), "{os} {arch}: {}", stderr(&out));
        let exe = if target.contains("windows") {
            "spec-check.exe"
        } else {
            "spec-check"
        };
        let bin = PathBuf::from(stdout(&out).trim());
        assert_eq!(
            bin,
            dir.join(format!("spec-check-{VERSION}-{target}/{exe}")),
            "{os} {arch}"
        );
        let ran = Command::new(&bin).output().expect("the binary runs");
        assert_eq!(
            stdout(&ran).trim(),
            format!("spec-check {VERSION} for {target}"),
            "{os} {arch} got another platform's archive"
        );
    }
}

#[test]
fn download_refuses_an_archive_whose_checksum_does_not_match() {
    let release = FakeRelease::of_stand_ins();
    let archive = release.archive(VERSION, "x86_64-unknown-linux-musl");
    // the archive changed after its sum was published (a corrupt or altered download)
    let mut bytes = std::fs::read(&archive).expect("archive");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&archive, bytes).expect("tamper");
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("spec-check");
    let out = download(&release.url(), "Linux", "X64", &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with(&format!(
            "checksum mismatch for spec-check-{VERSION}-x86_64-unknown-linux-musl.tar.gz: expected "
        )),
        "{err}"
    );
    assert!(err.contains("so it is not used"), "{err}");
    assert!(!dir.exists(), "nothing of a refused archive is unpacked");
    assert_eq!(stdout(&out), "");

    // a sum file that holds no sum is refused the same way
    let sum = PathBuf::from(format!(
        "{}.sha256",
        release.archive(VERSION, "aarch64-apple-darwin").display()
    ));
    std::fs::write(&sum, "<html>not found</html>\n").expect("sum");
    let out = download(&release.url(), "macOS", "ARM64", &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".sha256 does not hold a SHA-256 sum"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.exists());
}

#[test]
fn download_explains_a_missing_asset() {
    let release = FakeRelease::of_stand_ins();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("spec-check");

    // a version that was never released
    let out = script("scripts/action/download.sh")
        .args(["9.9.9"])
        .arg(&dir)
        .env("SPEC_CHECK_RELEASES_URL", release.url())
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .output()
        .expect("bash runs");
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with("spec-check 9.9.9 has no release archive for Linux X64: "),
        "{err}"
    );
    assert!(
        err.contains("/v9.9.9/spec-check-9.9.9-x86_64-unknown-linux-musl.tar.gz was not found"),
        "{err}"
    );

    // a release without this platform's archive
    std::fs::remove_file(release.archive(VERSION, "x86_64-apple-darwin")).expect("rm");
    let out = download(&release.url(), "macOS", "X64", &dir);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).starts_with(&format!(
            "spec-check {VERSION} has no release archive for macOS X64: "
        )),
        "{}",
        stderr(&out)
    );

    // a platform no release is built for
    let out = download(&release.url(), "Linux", "ARM", &dir);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).starts_with("spec-check releases have no build for Linux ARM "),
        "{}",
        stderr(&out)
    );

    // an archive without its published sum cannot be verified, so it is not used
    let archive = release.archive(VERSION, "aarch64-apple-darwin");
    std::fs::remove_file(format!("{}.sha256", archive.display())).expect("rm");
    let out = download(&release.url(), "macOS", "ARM64", &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".sha256 was not found: without the published checksum"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.exists());
}

/// `python3 -m http.server` on the loopback interface, serving a directory. None (and the
/// test is skipped) when python3 is missing, except under CI, where that fails the test.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(dir: &Path) -> Option<Server> {
        let spawned = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir)
            .arg("0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) if std::env::var_os("CI").is_none() => {
                eprintln!("skipped: python3 is needed for the loopback HTTP server ({e})");
                return None;
            }
            Err(e) => panic!("python3 is needed for the loopback HTTP server: {e}"),
        };
        // "Serving HTTP on 127.0.0.1 port 41235 (http://127.0.0.1:41235/) ..."
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server starts");
        let port = line
            .split_whitespace()
            .skip_while(|w| *w != "port")
            .nth(1)
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Some(Server {
            url: format!("http://127.0.0.1:{port}"),
            child,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn download_over_http_fetches_verifies_and_explains_a_404() {
    let release = FakeRelease::of_stand_ins();
    let Some(server) = Server::start(release.dir.path()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = download(&server.url, "Linux", "ARM64", &tmp.path().join("a"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ran = Command::new(stdout(&out).trim()).output().expect("runs");
    assert_eq!(
        stdout(&ran).trim(),
        format!("spec-check {VERSION} for aarch64-unknown-linux-musl")
    );

    std::fs::remove_file(release.archive(VERSION, "x86_64-pc-windows-msvc")).expect("rm");
    let out = download(&server.url, "Windows", "X64", &tmp.path().join("b"));
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains(&format!(
            "{}/v{VERSION}/spec-check-{VERSION}-x86_64-pc-windows-msvc.zip was not found",
            server.url
        )),
        "{}",
        stderr(&out)
    );

    let archive = release.archive(VERSION, "aarch64-apple-darwin");
    std::fs::write(&archive, b"not the archive that was summed").expect("tamper");
    let out = download(&server.url, "macOS", "ARM64", &tmp.path().join("c"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("checksum mismatch for "),
        "{}",
        stderr(&out)
    );
}

/// The action's install step (`install.sh`) as the runner runs it on Linux x64, from an
/// action checked out at `action_ref`, with a fake `cargo` first on PATH that records how
/// it was called and "builds" a binary.
struct Install {
    tmp: TempDir,
    out: Output,
    outputs: BTreeMap<String, String>,
}

impl Install {
    fn run(mode: &str, action_ref: &str, release_url: &str, inputs: &[(&str, &str)]) -> Install {
        let tmp = tempfile::tempdir().expect("temp dir");
        let output = tmp.path().join("output");
        std::fs::write(&output, "").expect("GITHUB_OUTPUT");
        let fake = tmp.path().join("fake-bin");
        std::fs::create_dir(&fake).expect("fake bin dir");
        let cargo = fake.join("cargo");
        std::fs::write(
            &cargo,
            "#!/bin/sh\n\
             echo \"$*\" > \"$FAKE_CARGO_LOG\"\n\
             while [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; shift; done\n\
             mkdir -p \"$root/bin\"\n\
             printf '#!/bin/sh\\necho spec-check built from source\\n' > \"$root/bin/spec-check\"\n\
             chmod +x \"$root/bin/spec-check\"\n",
        )
        .expect("fake cargo");
        make_executable(&cargo);
        let path = format!(
            "{}:{}",
            fake.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = script("scripts/action/install.sh");
        cmd.arg(mode)
            .env("PATH", path)
            .env("GITHUB_ACTION_PATH", root())
            .env("ACTION_REF", action_ref)
            .env("GITHUB_OUTPUT", &output)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("CACHE_DIR", tmp.path().join("cache"))
            .env("SPEC_CHECK_RELEASES_URL", release_url)
            .env("FAKE_CARGO_LOG", tmp.path().join("cargo.log"));
        for (k, v) in inputs {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("bash runs");
        let outputs = github_outputs(&std::fs::read_to_string(&output).expect("outputs"));
        Install { tmp, out, outputs }
    }

    fn stdout(&self) -> String {
        stdout(&self.out)
    }

    /// How the fake cargo was called, if it was.
    fn cargo(&self) -> Option<String> {
        std::fs::read_to_string(self.tmp.path().join("cargo.log")).ok()
    }

    /// The `::error` and `::notice` lines of the step's log.
    fn annotations(&self) -> Vec<String> {
        self.stdout()
            .lines()
            .filter(|l| l.starts_with("::"))
            .map(str::to_string)
            .collect()
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {}

/// A release of this crate's version whose Linux x64 archive (the runner the install tests
/// pretend to be) holds `binary`, or a stand-in that answers `--version` like spec-check.
fn release_of_this_version(binary: Option<&Path>) -> FakeRelease {
    let release = FakeRelease {
        dir: tempfile::tempdir().expect("temp dir"),
    };
    let stand_in = release.dir.path().join("stand-in");
    std::fs::write(&stand_in, format!("#!/bin/sh\necho 'spec-check {OWN}'\n")).expect("stand-in");
    release.package(
        OWN,
        "x86_64-unknown-linux-musl",
        binary.unwrap_or(&stand_in),
    );
    release
}

const OWN: &str = env!("CARGO_PKG_VERSION");

#[test]
fn action_downloads_the_version_asked_for_and_runs_it() {
    // the real binary, once: the archive's layout and permissions are what a runner gets
    let release = release_of_this_version(Some(Path::new(env!("CARGO_BIN_EXE_spec-check"))));
    let key = Install::run("key", "main", &release.url(), &[("INPUT_VERSION", OWN)]);
    assert_eq!(
        key.outputs["build"], "false",
        "a download needs no build cache"
    );

    let install = Install::run("install", "main", &release.url(), &[("INPUT_VERSION", OWN)]);
    assert_eq!(install.out.status.code(), Some(0), "{}", install.stdout());
    assert!(
        install
            .stdout()
            .contains(&format!("downloaded spec-check {OWN} (SHA-256 verified)")),
        "{}",
        install.stdout()
    );
    let bin = &install.outputs["bin"];
    let version = Command::new(bin).arg("--version").output().expect("runs");
    assert_eq!(
        stdout(&version).lines().next(),
        Some(format!("spec-check {OWN}").as_str())
    );
    assert_eq!(install.cargo(), None, "nothing is compiled");
}

#[test]
fn action_fails_in_one_line_on_a_bad_download_of_the_version_asked_for() {
    let release = release_of_this_version(None);
    // not released: an error, never a silent build of something else
    let missing = Install::run(
        "install",
        "main",
        &release.url(),
        &[("INPUT_VERSION", "9.9.9")],
    );
    assert_eq!(missing.out.status.code(), Some(2));
    assert_eq!(
        missing.annotations(),
        [format!(
            "::error title=spec-check action::spec-check 9.9.9 has no release archive for Linux X64: \
             {}/v9.9.9/spec-check-9.9.9-x86_64-unknown-linux-musl.tar.gz was not found \
             (is 9.9.9 released? see {})",
            release.url(),
            release.url()
        )]
    );
    assert!(!missing.outputs.contains_key("bin"));
    assert_eq!(missing.cargo(), None);

    // altered: refused before it runs
    let archive = release.archive(OWN, "x86_64-unknown-linux-musl");
    let mut bytes = std::fs::read(&archive).expect("archive");
    bytes.extend_from_slice(b"tail");
    std::fs::write(&archive, bytes).expect("tamper");
    let tampered = Install::run("install", "main", &release.url(), &[("INPUT_VERSION", OWN)]);
    assert_eq!(tampered.out.status.code(), Some(2));
    let annotations = tampered.annotations();
    assert_eq!(annotations.len(), 1, "{annotations:?}");
    assert!(
        annotations[0].starts_with("::error title=spec-check action::checksum mismatch for "),
        "{annotations:?}"
    );
    assert!(!tampered.stdout().contains("downloaded"));
    assert!(!tampered.outputs.contains_key("bin"));
}

#[test]
fn action_at_a_release_tag_downloads_that_release() {
    let release = release_of_this_version(None);
    // the exact tag, and moving major / minor tags that cover this version
    let (major, minor) = {
        let mut parts = OWN.split('.');
        let major = parts.next().expect("major");
        (
            major.to_string(),
            format!("{major}.{}", parts.next().expect("minor")),
        )
    };
    for tag in [format!("v{OWN}"), format!("v{major}"), format!("v{minor}")] {
        let key = Install::run("key", &tag, &release.url(), &[]);
        assert_eq!(key.outputs["build"], "false", "{tag}");
        let install = Install::run("install", &tag, &release.url(), &[]);
        assert_eq!(
            install.out.status.code(),
            Some(0),
            "{tag}: {}",
            install.stdout()
        );
        assert!(install.outputs["bin"].contains(&format!("spec-check-{OWN}-")));
        assert_eq!(install.cargo(), None, "{tag}");
    }
    // a branch, a commit or another version's tag: the action's own source is built
    for r#ref in [
        "main",
        "0123456789abcdef0123456789abcdef01234567",
        "v99",
        "v99.1.0",
    ] {
        let key = Install::run("key", r#ref, &release.url(), &[]);
        assert_eq!(key.outputs["build"], "true", "{ref}");
        assert!(key.outputs["key"].contains("-src-"), "{ref}");
    }
}

#[test]
fn action_at_a_release_tag_without_an_archive_builds_its_source() {
    // the tag's release is not published yet (its workflow is still running)
    let empty = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", empty.path().display());
    let install = Install::run("install", &format!("v{OWN}"), &url, &[]);
    assert_eq!(install.out.status.code(), Some(0), "{}", install.stdout());
    let annotations = install.annotations();
    assert_eq!(annotations.len(), 1, "{annotations:?}");
    assert!(
        annotations[0].starts_with(&format!(
            "::notice title=spec-check action::spec-check {OWN} has no release archive for Linux X64"
        )),
        "{annotations:?}"
    );
    assert!(
        annotations[0].ends_with("; building this action's source instead"),
        "{annotations:?}"
    );
    let cargo = install.cargo().expect("cargo install ran");
    assert!(
        cargo.starts_with("install --locked --root ")
            && cargo
                .trim_end()
                .ends_with(&format!("--path {}", root().display())),
        "{cargo}"
    );
    let built = Command::new(&install.outputs["bin"])
        .output()
        .expect("runs");
    assert_eq!(stdout(&built).trim(), "spec-check built from source");
}

#[test]
fn action_refuses_a_path_that_does_not_exist() {
    let install = Install::run(
        "key",
        "main",
        "file:///nonexistent",
        &[("INPUT_PATH", "/nonexistent/spec-check")],
    );
    assert_eq!(install.out.status.code(), Some(2));
    assert_eq!(
        install.annotations(),
        [
            "::error title=spec-check action::the path input /nonexistent/spec-check does not exist: \
          give a spec-check binary or source directory"
        ]
    );
}

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).expect(path);
    serde_saphyr::from_str(&text).expect("valid YAML")
}

fn toml(path: &str) -> toml::Value {
    let text = std::fs::read_to_string(root().join(path)).expect(path);
    toml::from_str(&text).expect("valid TOML")
}

#[test]
fn release_workflow_builds_an_archive_for_every_platform_the_action_downloads_for() {
    let workflow = yaml(".github/workflows/release.yml");
    let jobs = workflow["jobs"].as_object().expect("jobs");
    let mut built: Vec<&str> = jobs["archives"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("archive matrix")
        .iter()
        .map(|row| row["target"].as_str().expect("target"))
        .collect();
    built.sort();
    let mut downloaded: Vec<&str> = PLATFORMS.iter().map(|(_, _, target)| *target).collect();
    downloaded.sort();
    assert_eq!(built, downloaded);
    // and the action's own mapping (scripts/action/lib.sh) names the same targets
    for (os, arch, target) in PLATFORMS {
        let out = Command::new("bash")
            .arg("-c")
            .arg(". scripts/action/lib.sh && release_target \"$0\" \"$1\"")
            .args([os, arch])
            .current_dir(root())
            .output()
            .expect("bash runs");
        assert_eq!(stdout(&out).trim(), *target, "{os} {arch}");
    }
}

#[test]
fn release_workflow_publishes_nothing_before_the_tag_is_checked() {
    let workflow = yaml(".github/workflows/release.yml");
    let jobs = workflow["jobs"].as_object().expect("jobs");
    let version_job = &jobs["version"];
    let steps = version_job["steps"].as_array().expect("steps");
    assert!(
        steps.iter().any(|s| s["run"]
            .as_str()
            .is_some_and(|r| r.contains("scripts/release/check-version.sh"))),
        "the version job runs the tag check"
    );
    // every other job depends on the check, directly or through a job that does
    fn needs(job: &Value) -> Vec<&str> {
        match &job["needs"] {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        }
    }
    fn reaches_version(jobs: &serde_json::Map<String, Value>, name: &str) -> bool {
        name == "version" || needs(&jobs[name]).iter().any(|n| reaches_version(jobs, n))
    }
    for name in jobs.keys() {
        assert!(
            reaches_version(jobs, name),
            "{name} does not wait for the tag check"
        );
    }
    // publishing waits for every build
    let release_needs = needs(&jobs["github-release"]);
    for build in ["archives", "wheels", "sdist"] {
        assert!(
            release_needs.contains(&build),
            "github-release needs {build}"
        );
    }
    assert!(needs(&jobs["pypi"]).contains(&"github-release"));
    // write access only where it publishes
    assert_eq!(workflow["permissions"]["contents"], "read");
    assert_eq!(jobs["github-release"]["permissions"]["contents"], "write");
    assert_eq!(jobs["pypi"]["permissions"]["id-token"], "write");
}

/// `scripts/release/check-version.sh TAG` in this repository.
fn check_version(tag: &str) -> (Option<i32>, String, String) {
    let out = script("scripts/release/check-version.sh")
        .arg(tag)
        .output()
        .expect("bash runs");
    (out.status.code(), stdout(&out), stderr(&out))
}

#[test]
fn a_release_tag_must_name_cargo_tomls_version() {
    let (code, out, _) = check_version(&format!("v{OWN}"));
    assert_eq!(code, Some(0));
    assert_eq!(out, format!("version={OWN}\n"));

    let (code, _, err) = check_version("v99.0.0");
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "tag v99.0.0 does not match Cargo.toml's version {OWN}: set version = \"99.0.0\" in \
             Cargo.toml (and run cargo build to update Cargo.lock), or tag v{OWN}\n"
        )
    );
    for tag in [OWN.to_string(), "v1.2".to_string(), "latest".to_string()] {
        let (code, _, err) = check_version(&tag);
        assert_eq!(code, Some(1), "{tag}");
        assert!(err.contains("is not a release tag"), "{tag}: {err}");
    }
}

#[test]
fn the_wheel_hook_installs_the_wheel_of_this_version() {
    let wheel = toml("wheel/pyproject.toml");
    let name = wheel["project"]["name"].as_str().expect("wheel name");
    assert_eq!(wheel["tool"]["maturin"]["bindings"].as_str(), Some("bin"));
    assert_eq!(
        wheel["tool"]["maturin"]["manifest-path"].as_str(),
        Some("../Cargo.toml")
    );
    // the placeholder that pre-commit installs depends on exactly this version of the wheel
    let placeholder = toml("pyproject.toml");
    let deps = placeholder["project"]["dependencies"]
        .as_array()
        .expect("dependencies");
    assert_eq!(
        deps.iter().filter_map(|d| d.as_str()).collect::<Vec<_>>(),
        [format!("{name}=={OWN}")]
    );
    assert_eq!(placeholder["project"]["version"].as_str(), Some(OWN));
}

#[test]
fn the_two_pre_commit_hooks_differ_only_in_how_they_install() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let find = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"] == id)
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("hook {id}"))
            .clone()
    };
    let mut source = find("spec-check");
    let mut wheel = find("spec-check-wheel");
    assert_eq!(source["language"], "rust");
    assert_eq!(wheel["language"], "python");
    for key in ["id", "name", "description", "language"] {
        source.remove(key);
        wheel.remove(key);
    }
    assert_eq!(
        source, wheel,
        "the wheel hook runs spec-check exactly as the source hook does"
    );
}
