//! Validation of machine formats in tests: JSON schemas (draft-04, from the shared
//! `schemas/` folder) through Python's `jsonschema`, and XML well-formedness through
//! Python's standard library. `.ci/run` installs the validator; a developer machine
//! without it skips with a message, but under CI (`CI` set) a missing validator or schema
//! fails the test, so the check can never silently stop running there.
#![allow(dead_code)] // each test crate uses a part of it

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The validator, run as `python3 -c SCRIPT SCHEMA` with the instance on stdin.
const SCRIPT: &str = r#"
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit(3)
schema = json.load(open(sys.argv[1], encoding="utf-8"))
instance = json.load(sys.stdin)
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
for e in errors[:20]:
    print("/".join(str(p) for p in e.absolute_path) or "(root)", ":", e.message)
sys.exit(1 if errors else 0)
"#;

/// `shared/schemas/NAME`: beside the repository (CI), or beside any ancestor (worktrees);
/// `SPEC_CHECK_SCHEMAS` overrides.
fn schema_path(name: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SPEC_CHECK_SCHEMAS") {
        return Some(PathBuf::from(dir).join(name)).filter(|p| p.is_file());
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|a| a.join("shared").join("schemas").join(name))
        .find(|p| p.is_file())
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

fn unavailable(what: &str) {
    if in_ci() {
        panic!(
            "{what}; CI must validate schemas: install it (`.ci/run` does: pip install jsonschema)"
        );
    }
    eprintln!(
        "skipping schema validation: {what} (CI installs it; `pip install jsonschema` to run it here)"
    );
}

/// Validate `json` against the schema `name`; panics with the validator's errors.
pub fn validate(name: &str, json: &str) {
    let Some(schema) = schema_path(name) else {
        unavailable(&format!("schema {name} not found under shared/schemas/"));
        return;
    };
    let child = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(&schema)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            unavailable(&format!("python3 cannot be run ({e})"));
            return;
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(json.as_bytes())
            .expect("write the instance to the validator");
    }
    let out = child.wait_with_output().expect("run the validator");
    match out.status.code() {
        Some(0) => {}
        Some(3) => unavailable("the python module jsonschema is not installed"),
        _ => panic!(
            "{name}: the output does not validate:\n{}{}\n--- output ---\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            json.chars().take(4000).collect::<String>()
        ),
    }
}

/// Check that `xml` is well-formed, with Python's standard-library parser.
pub fn well_formed_xml(xml: &str) {
    let script = "import sys, xml.etree.ElementTree as ET\nET.fromstring(sys.stdin.buffer.read())";
    let child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            unavailable(&format!("python3 cannot be run ({e})"));
            return;
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(xml.as_bytes()).expect("write the XML");
    }
    let out = child.wait_with_output().expect("run the XML parser");
    assert!(
        out.status.success(),
        "not well-formed XML: {}\n--- output ---\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}
