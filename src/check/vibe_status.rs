//! `vibe-status`: the project's status file (`.vibe-status.md`, in the folder that holds
//! `docs/`) exists and records the step that produces this document as complete.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::prerequisites::dir_of;
use super::{Applicability, Check, CompileError, Context, Edit, Finding, Fix};
use crate::check::regexes::compiled;
use crate::document::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    #[serde(default = "default_file")]
    file: String,
    /// The step this document completes.
    step: u32,
    /// Words that name the step, e.g. "Technical Specification".
    #[serde(default)]
    step_title: Option<String>,
}

fn default_file() -> String {
    ".vibe-status.md".into()
}

#[derive(Debug)]
pub struct VibeStatus {
    file: String,
    step: u32,
    step_title: Option<String>,
    mention: Regex,
}

impl VibeStatus {
    pub fn new(p: Params) -> Result<Self, CompileError> {
        if p.file.is_empty() || p.file.contains(['/', '\\']) {
            return Err(CompileError::Params("`file` must be a file name".into()));
        }
        let n = p.step;
        let mut alts = vec![
            format!(r"\bstep\s*#?\s*0?{n}\b"),
            format!(r"^\s*(?:[-*+]\s*)?(?:\[[ xX]\]\s*)?0?{n}\s*[.):—–-]\s"),
            format!(r"\|\s*0?{n}\s*\|"),
            format!(r"\bsteps?\s+completed?\b[^0-9\n]*\b0?{n}\b"),
            format!(r"\bcurrent step\b[^0-9\n]*\b0?{n}\b"),
        ];
        if let Some(t) = &p.step_title {
            alts.push(regex::escape(t));
        }
        let mention = crate::check::quick_regex(&format!("(?im){}", alts.join("|")))
            .map_err(|e| CompileError::Params(format!("invalid step title: {e}")))?;
        Ok(VibeStatus {
            file: p.file,
            step: n,
            step_title: p.step_title,
            mention,
        })
    }
}

static DONE: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"(?i)\[x\]|✅|✔|☑|🟢|\bcompleted?\b|\bdone\b|\bfinished\b"));
static NOT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        r"(?i)\[ \]|⏳|🚧|🟡|❌|⬜|\bin[ -]progress\b|\bnot (?:yet )?(?:started|complete|completed|done)\b|\bpending\b|\bincomplete\b|\bwip\b|\bdraft\b",
    )
});

impl Check for VibeStatus {
    fn fixable(&self) -> bool {
        true
    }

    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let dir = dir_of(doc.path());
        let root = if dir.file_name().is_some_and(|n| n == "docs") {
            match dir.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        } else {
            dir.to_path_buf()
        };
        let path = root.join(&self.file);
        let shown = crate::source::display_path(&path);
        let Some(status) = ctx.workspace.read(&path) else {
            out.push(
                Finding::new(
                    doc.first_line(),
                    format!("project status file `{shown}` is missing"),
                )
                .with_help(format!(
                    "create `{shown}` recording steps 1–{} and mark step {} complete",
                    self.step, self.step
                ))
                .document_level(),
            );
            return true;
        };
        let mut mentioned = false;
        let mut complete = false;
        for line in status.lines() {
            if !self.mention.is_match(line) {
                continue;
            }
            mentioned = true;
            if DONE.is_match(line) && !NOT_DONE.is_match(line) {
                complete = true;
                break;
            }
        }
        if !complete {
            let msg = if mentioned {
                format!("`{shown}` does not record step {} as complete", self.step)
            } else {
                format!("`{shown}` does not mention step {}", self.step)
            };
            let mut f = Finding::new(doc.first_line(), msg)
                .with_help(format!(
                    "when this document is done, mark step {} complete in `{shown}`",
                    self.step
                ))
                .document_level();
            if let Some(fix) = self.mark_complete(&status, &path) {
                f = f.with_fix(fix);
            }
            out.push(f);
        }
        true
    }
}

/// A list item that names a step by number: `- [x] Step 5: Interface States`, `- [ ] 5. UX`.
static STEP_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    compiled(r"(?i)^(\s*[-*+]\s+)(\[[ x]\]\s+)?(?:\*\*)?(step\s*)?0?(\d+)(?:\*\*)?(\s*[.:)—–-]\s*)")
});

impl VibeStatus {
    /// Mark the step complete in the status file's own format: tick its box and turn its
    /// "in progress" into "complete", or add a line like its neighbours' when the file does
    /// not list the step. `None` when no edit would certainly read as complete.
    fn mark_complete(&self, status: &str, path: &Path) -> Option<Fix> {
        let lines: Vec<(usize, &str)> = status
            .split_inclusive('\n')
            .scan(0, |at, l| {
                let start = *at;
                *at += l.len();
                Some((start, l.trim_end_matches(['\n', '\r'])))
            })
            .collect();
        let shown = crate::source::display_path(path);
        let title = format!("mark step {} complete in `{shown}`", self.step);
        let edit = self
            .tick_line(&lines)
            .or_else(|| self.add_line(status, &lines))?;
        // only offer what the check will then accept
        let mut fixed = status.to_string();
        fixed.replace_range(edit.range.clone(), &edit.replacement);
        let done = fixed
            .lines()
            .any(|l| self.mention.is_match(l) && DONE.is_match(l) && !NOT_DONE.is_match(l));
        done.then(|| Fix::new(title, Applicability::Unsafe, vec![edit]).in_file(path))
    }

    /// The line that records the step, marked done.
    fn tick_line(&self, lines: &[(usize, &str)]) -> Option<Edit> {
        let candidates: Vec<&(usize, &str)> = lines
            .iter()
            .filter(|(_, l)| self.mention.is_match(l) && !l.trim_start().starts_with('#'))
            .collect();
        let &&(start, line) = candidates
            .iter()
            .find(|(_, l)| NOT_DONE.is_match(l))
            .or_else(|| candidates.iter().find(|(_, l)| STEP_ITEM.is_match(l)))?;
        let mut new = String::with_capacity(line.len() + 4);
        let mut pos = 0;
        for m in NOT_DONE.find_iter(line) {
            new.push_str(&line[pos..m.start()]);
            new.push_str(&done_word(m.as_str()));
            pos = m.end();
        }
        new.push_str(&line[pos..]);
        if pos == 0 {
            // a list item that says nothing about its state: tick it where the file uses
            // task boxes, else mark it like a table would
            let caps = STEP_ITEM.captures(line)?;
            if caps.get(2).is_some() {
                return None;
            }
            let bullet = caps.get(1)?;
            new = if lines
                .iter()
                .any(|(_, l)| l.contains("[x]") || l.contains("[ ]"))
            {
                format!("{}[x] {}", bullet.as_str(), &line[bullet.end()..])
            } else {
                format!("{} ✅", line.trim_end())
            };
        }
        Some(Edit::replace(start..start + line.len(), new))
    }

    /// A new line for the step after the last listed step before it, written like that
    /// line; at the end of the file when no step is listed.
    fn add_line(&self, status: &str, lines: &[(usize, &str)]) -> Option<Edit> {
        let nl = if status.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let title = self
            .step_title
            .clone()
            .unwrap_or_else(|| format!("Step {}", self.step));
        let before = lines.iter().rev().find_map(|&(start, l)| {
            let c = STEP_ITEM.captures(l)?;
            let n: u32 = c.get(4)?.as_str().parse().ok()?;
            (n < self.step).then_some((start, l, c))
        });
        match before {
            Some((start, line, c)) => {
                let bullet = c.get(1).map_or("- ", |m| m.as_str());
                let tick = if c.get(2).is_some() { "[x] " } else { "" };
                let word = c.get(3).map_or("", |m| m.as_str());
                let sep = c.get(5).map_or(": ", |m| m.as_str());
                let mut new = format!("{bullet}{tick}{word}{}{sep}{title}", self.step);
                if tick.is_empty() {
                    new.push_str(" ✅");
                }
                let end = start + line.len();
                // after the line and its line break
                let at = status[end..]
                    .find('\n')
                    .map_or(status.len(), |i| end + i + 1);
                let text = if at == status.len() && !status.ends_with('\n') {
                    format!("{nl}{new}")
                } else {
                    format!("{new}{nl}")
                };
                Some(Edit::insert(at, text))
            }
            None => {
                // at the end, after a blank line; a file without a final line break keeps
                // that
                let line = format!("- [x] Step {}: {title}", self.step);
                let text = if status.is_empty() {
                    format!("{line}{nl}")
                } else if status.ends_with('\n') {
                    format!("{nl}{line}{nl}")
                } else {
                    format!("{nl}{nl}{line}")
                };
                Some(Edit::insert(status.len(), text))
            }
        }
    }
}

/// The "done" counterpart of a "not done" marker, in the same case.
fn done_word(marker: &str) -> String {
    match marker {
        "[ ]" => "[x]".into(),
        m if !m.chars().any(char::is_alphabetic) => "✅".into(),
        m if m
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase) =>
        {
            "COMPLETE".into()
        }
        m if m.starts_with(char::is_uppercase) => "Complete".into(),
        _ => "complete".into(),
    }
}
