//! Baselines: adopting the gate on a repository with existing findings without editing
//! its documents. `spec-check baseline` records every current finding; `check --baseline`
//! then reports only findings not recorded, and counts the entries that no longer match.
//!
//! A finding is keyed by rule, path (relative to the baseline file) and a fingerprint of
//! the text around it — its excerpt, trimmed — plus an occurrence index among findings of
//! the same rule with the same text in the file. Line numbers are not part of the key, so
//! edits above a finding do not make it new.

use crate::source::normalize_path;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};
use crate::render::plural;
use crate::report::{Report, Status};

/// The file format version this build writes and reads.
pub const VERSION: u32 = 1;

/// The default baseline file name.
pub const DEFAULT_NAME: &str = "spec-check-baseline.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub tool: String,
    pub entries: Vec<Entry>,
}

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Rule code.
    pub rule: String,
    /// `/`-separated, relative to the baseline file's directory.
    pub path: String,
    /// 16 hex digits.
    pub fingerprint: String,
    /// The message when it was recorded (for people reading the file; not matched).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path} is not a spec-check baseline: {message}; write one with `spec-check baseline --output {path}`"
    )]
    Invalid { path: String, message: String },
    #[error(
        "{path} is a version-{found} baseline; this spec-check reads version {VERSION}: rewrite it with `spec-check baseline`"
    )]
    Version { path: String, found: u32 },
}

/// The entries for every diagnostic of `report`; paths relative to `dir` (the baseline's
/// directory), diagnostics' paths relative to `cwd`.
pub fn entries(report: &Report, dir: &Path, cwd: &Path) -> Vec<Entry> {
    let (dir, cwd) = (&real(dir), &real(cwd));
    let mut seen: HashMap<(String, String, u64), usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let path = key_path(&d.path, dir, cwd);
            let text = hash(normalized_excerpt(d).as_bytes());
            let n = seen
                .entry((d.code.clone(), path.clone(), text))
                .or_insert(0);
            let fp = fingerprint(&d.code, text, *n);
            *n += 1;
            Entry {
                rule: d.code.clone(),
                path,
                fingerprint: fp,
                message: d.finding.message.clone(),
            }
        })
        .collect()
}

/// The baseline file's text.
pub fn to_json(entries: Vec<Entry>) -> String {
    let mut entries = entries;
    entries.sort_by(|a, b| {
        (a.path.as_str(), a.rule.as_str(), a.fingerprint.as_str()).cmp(&(
            b.path.as_str(),
            b.rule.as_str(),
            b.fingerprint.as_str(),
        ))
    });
    let file = BaselineFile {
        version: VERSION,
        tool: format!("spec-check {}", env!("CARGO_PKG_VERSION")),
        entries,
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
    s.push('\n');
    s
}

/// Read a baseline file; `shown` names it in errors.
pub fn read(path: &Path, shown: &str) -> Result<BaselineFile, BaselineError> {
    let shown = shown.to_string();
    let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
        path: shown.clone(),
        source,
    })?;
    // the version first, so an old or newer file gets the right message
    #[derive(Deserialize)]
    struct Head {
        version: u32,
    }
    let head: Head = serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    if head.version != VERSION {
        return Err(BaselineError::Version {
            path: shown,
            found: head.version,
        });
    }
    serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
        path: shown,
        message: e.to_string(),
    })
}

/// What applying a baseline did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings hidden because the baseline has them.
    pub hidden: usize,
    /// Entries for checked files that matched no finding (fixed since: the baseline can shrink).
    pub stale: usize,
}

/// Read the baseline file at `path` and hide the findings it records; the report's notes
/// say how many were hidden and how many entries no longer match (the file can shrink).
/// `cwd` is where the run started; paths in the notes are relative to it.
pub fn apply_file(report: &mut Report, path: &Path, cwd: &Path) -> Result<Applied, BaselineError> {
    let shown = crate::source::display_path(path.strip_prefix(cwd).unwrap_or(path));
    let file = read(path, &shown)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let applied = apply(report, &file, dir, cwd);
    if applied.hidden > 0 {
        report.notes.push(format!(
            "{} in the baseline {shown} not shown",
            plural(applied.hidden, "finding")
        ));
    }
    if applied.stale > 0 {
        report.notes.push(format!(
            "{} of {shown} no longer {} (fixed since it was written); run `spec-check baseline --output {shown}` to shrink it",
            plural(applied.stale, "baseline entry"),
            if applied.stale == 1 { "matches" } else { "match" }
        ));
    }
    Ok(applied)
}

/// Drop the report's findings that the baseline records, and update the files' checklist
/// scorecards to match.
pub fn apply(report: &mut Report, baseline: &BaselineFile, dir: &Path, cwd: &Path) -> Applied {
    let current = entries(report, dir, cwd);
    let (dir, cwd) = (&real(dir), &real(cwd));
    let mut budget: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for e in &baseline.entries {
        *budget
            .entry((e.rule.as_str(), e.path.as_str(), e.fingerprint.as_str()))
            .or_insert(0) += 1;
    }
    let mut keep = Vec::with_capacity(current.len());
    let mut hidden: Vec<(String, Option<String>, Severity)> = Vec::new();
    for (e, d) in current.iter().zip(&report.diagnostics) {
        match budget.get_mut(&(e.rule.as_str(), e.path.as_str(), e.fingerprint.as_str())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                keep.push(false);
                hidden.push((
                    crate::source::display_path(&d.path),
                    d.checklist.clone(),
                    d.severity,
                ));
            }
            _ => keep.push(true),
        }
    }
    let checked: Vec<String> = report
        .files
        .iter()
        .filter(|f| f.checked)
        .map(|f| key_path(&f.path, dir, cwd))
        .collect();
    let stale = baseline
        .entries
        .iter()
        .filter(|e| checked.contains(&e.path))
        .count()
        .saturating_sub(hidden.len());
    let mut it = keep.iter();
    report.diagnostics.retain(|_| *it.next().unwrap_or(&true));
    // a checklist item that failed only because of baselined findings passes now
    for (path, item, severity) in &hidden {
        let (Some(item), true) = (item, *severity >= Severity::Warning) else {
            continue;
        };
        let Some(file) = report
            .files
            .iter_mut()
            .find(|f| crate::source::display_path(&f.path) == *path)
        else {
            continue;
        };
        if let Some(c) = file.checklist.iter_mut().find(|c| c.item == *item) {
            c.findings = c.findings.saturating_sub(1);
            if c.findings == 0 && c.status == Status::Fail {
                c.status = Status::Pass;
            }
        }
    }
    Applied {
        hidden: hidden.len(),
        stale,
    }
}

/// The excerpt's lines, each trimmed, blank ones dropped: indentation and wrapping
/// changes do not make a finding new.
fn normalized_excerpt(d: &Diagnostic) -> String {
    d.excerpt
        .text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn fingerprint(code: &str, text: u64, occurrence: usize) -> String {
    let mut bytes = Vec::with_capacity(code.len() + 24);
    bytes.extend_from_slice(code.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(&text.to_le_bytes());
    bytes.extend_from_slice(&(occurrence as u64).to_le_bytes());
    format!("{:016x}", hash(&bytes))
}

/// FNV-1a, 64 bits: stable across platforms and releases (unlike std's hasher).
fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A report path (relative to `cwd`) as the baseline keys it: relative to `dir`.
fn key_path(path: &Path, dir: &Path, cwd: &Path) -> String {
    let abs = normalize_path(&cwd.join(path));
    let dir = normalize_path(dir);
    match abs.strip_prefix(&dir) {
        Ok(rel) => crate::source::display_path(rel),
        Err(_) => crate::source::display_path(&abs),
    }
}

/// A directory with symlinks resolved, so `/tmp` and `/private/tmp` key the same paths.
fn real(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_values() {
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
