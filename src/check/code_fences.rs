//! `code-fences`: a fenced code block that is never closed. CommonMark runs it to the end of
//! the document, so every heading, table and block after the opening fence is read as code:
//! whole sections vanish from the rendered page and from every other check.

use serde::Deserialize;

use super::{Applicability, Check, CompileError, Context, Edit, Finding, Fix};
use crate::document::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

#[derive(Debug)]
pub struct CodeFences;

impl CodeFences {
    pub fn new(_: Params) -> Result<Self, CompileError> {
        Ok(CodeFences)
    }
}

impl Check for CodeFences {
    fn run(&self, doc: &Document, _ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        for b in doc.code_blocks.iter().filter(|b| b.fenced && !b.closed) {
            let block = doc.slice(&b.span);
            let opening = block.lines().next().unwrap_or("");
            let fence: String = opening
                .trim_start()
                .chars()
                .take_while(|&c| c == '`' || c == '~')
                .collect();
            if fence.len() < 3 {
                continue; // not a fence line (should not happen for a fenced block)
            }
            let closing = format!(
                "a line of {} {}",
                fence.len(),
                if fence.starts_with('`') {
                    "backticks"
                } else {
                    "tildes"
                }
            );
            let start = b.span.start + (opening.len() - opening.trim_start().len());
            let span = start..b.span.start + opening.trim_end().len();
            // headings swallowed by the block: lines that would be ATX headings outside it,
            // after a blank line as markdown headings are, or with two or more `#` (a
            // `# comment` right below a command is the script's own)
            let mut headings: Vec<&str> = Vec::new();
            let mut after_blank = false;
            for line in b.literal.lines() {
                if is_atx_heading(line) && (after_blank || line.trim_start().starts_with("##")) {
                    headings.push(line.trim());
                }
                after_blank = line.trim().is_empty();
            }
            let mut f = match headings.first() {
                Some(first) => Finding::new(
                    span,
                    format!(
                        "this code block is never closed, so the rest of the document is read as code, including {} line{} that look{} like headings (`{}`)",
                        headings.len(),
                        if headings.len() == 1 { "" } else { "s" },
                        if headings.len() == 1 { "s" } else { "" },
                        first.chars().take(60).collect::<String>()
                    ),
                )
                .with_help(format!(
                    "close it with {closing} where the code ends; until then no rule sees what follows"
                )),
                None => Finding::new(
                    span,
                    "this code block is never closed: it runs to the end of the document",
                )
                .with_help(format!("close it with {closing} where the code ends")),
            };
            if headings.is_empty() {
                // the block already ends the document: closing it there changes nothing else
                let nl = doc.newline();
                let text = &doc.text;
                let insert = if text.ends_with('\n') {
                    format!("{fence}{nl}")
                } else {
                    format!("{nl}{fence}")
                };
                f = f.with_fix(Fix::new(
                    format!("close the block with {closing} at the end of the file"),
                    Applicability::Safe,
                    vec![Edit::insert(text.len(), insert)],
                ));
            }
            out.push(f);
        }
        for b in doc.code_blocks.iter().filter(|b| b.fenced && b.closed) {
            if let Some(f) = swallowing_pair(doc, b) {
                out.push(f);
            }
        }
        true
    }

    fn fixable(&self) -> bool {
        true
    }
}

/// A block that is closed, but by the fence meant to close a later block: the writer forgot
/// its closing fence, so markdown headings run on as code until a ```` ```lang ```` line —
/// which cannot close a block, an info string marks an opening fence — and the bare fence
/// after it. Counting fences does not show it (the count is even); the opening fence with an
/// info string inside the block, after lines that are headings, does.
fn swallowing_pair(doc: &Document, b: &crate::document::CodeBlock) -> Option<Finding> {
    if matches!(b.lang.as_str(), "markdown" | "md" | "mdx" | "gfm") {
        return None; // a markdown example may show headings and fences of its own
    }
    let block = doc.slice(&b.span);
    let opening = block.lines().next().unwrap_or("").trim_start();
    let fence_char = opening.chars().next()?;
    let fence_len = opening.chars().take_while(|&c| c == fence_char).count();
    let mut headings: Vec<&str> = Vec::new();
    let mut after_blank = false;
    for (i, line) in b.literal.lines().enumerate() {
        let t = line.trim_start();
        let run = t.chars().take_while(|&c| c == fence_char).count();
        let info = t[run * fence_char.len_utf8()..].trim();
        if run >= fence_len
            && line.len() - t.len() <= 3
            && info.starts_with(|c: char| c.is_ascii_alphabetic())
            && !headings.is_empty()
        {
            let start = b.span.start + (block.len() - block.trim_start().len());
            let span = start..start + opening.trim_end().len();
            let line_no = b.body_line + i + 1;
            return Some(
                Finding::new(
                    span,
                    format!(
                        "this code block is not closed where its code ends: {} line{} that look{} like headings (`{}`) and the opening fence of a `{}` block on line {line_no} are read as its code",
                        headings.len(),
                        if headings.len() == 1 { "" } else { "s" },
                        if headings.len() == 1 { "s" } else { "" },
                        headings[0].chars().take(60).collect::<String>(),
                        info.split_whitespace().next().unwrap_or(info),
                    ),
                )
                .with_help(format!(
                    "close it with a line of {fence_len} {} before `{}`",
                    if fence_char == '`' { "backticks" } else { "tildes" },
                    headings[0].chars().take(60).collect::<String>(),
                )),
            );
        }
        if is_atx_heading(line) && (after_blank || t.starts_with("##")) {
            headings.push(line.trim());
        }
        after_blank = line.trim().is_empty();
    }
    None
}

/// `# Title` … `###### Title` with at most three spaces of indentation.
fn is_atx_heading(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    (1..=6).contains(&hashes)
        && rest[hashes..].starts_with([' ', '\t'])
        && !rest[hashes..].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::is_atx_heading;

    #[test]
    fn atx_headings() {
        assert!(is_atx_heading("## 12. Risks"));
        assert!(is_atx_heading("   # x"));
        assert!(!is_atx_heading("    # indented code"));
        assert!(!is_atx_heading("#hashtag"));
        assert!(!is_atx_heading("####### seven"));
        assert!(!is_atx_heading("## "));
    }
}
