//! `vibe-status`: the project's status file (`.vibe-status.md`, in the folder that holds
//! `docs/`) exists and records the step that produces this document as complete.

use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::prerequisites::dir_of;
use super::{Check, CompileError, Context, Finding};
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
        let mention = Regex::new(&format!("(?im){}", alts.join("|")))
            .map_err(|e| CompileError::Params(format!("invalid step title: {e}")))?;
        Ok(VibeStatus {
            file: p.file,
            step: n,
            mention,
        })
    }
}

static DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\[x\]|✅|✔|☑|🟢|\bcompleted?\b|\bdone\b|\bfinished\b").expect("valid regex")
});
static NOT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\[ \]|⏳|🚧|🟡|❌|⬜|\bin[ -]progress\b|\bnot (?:yet )?(?:started|complete|completed|done)\b|\bpending\b|\bincomplete\b|\bwip\b|\bdraft\b")
        .expect("valid regex")
});

impl Check for VibeStatus {
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
            out.push(
                Finding::new(doc.first_line(), msg)
                    .with_help(format!(
                        "when this document is done, mark step {} complete in `{shown}`",
                        self.step
                    ))
                    .document_level(),
            );
        }
        true
    }
}
