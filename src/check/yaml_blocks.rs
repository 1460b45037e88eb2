//! `yaml-blocks`: ```yaml / ```yml blocks parse as YAML (serde-saphyr, every document of a
//! `---` stream, duplicate keys rejected), with the error placed where the parser stopped.
//! Templated YAML (Helm/Jinja `{{ … }}`, `{% … %}`) is not YAML until rendered and is skipped;
//! GitHub Actions' `${{ … }}` is plain YAML and is checked.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Check, CompileError, Context, Finding};
use crate::check::regexes::compiled;
use crate::document::{CodeBlock, Document};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    /// Code block languages parsed as YAML.
    #[serde(default = "default_langs")]
    langs: Vec<String>,
}

fn default_langs() -> Vec<String> {
    vec!["yaml".into(), "yml".into()]
}

#[derive(Debug)]
pub struct YamlBlocks {
    langs: Vec<String>,
}

impl YamlBlocks {
    pub fn new(p: Params) -> Result<Self, CompileError> {
        Ok(YamlBlocks {
            langs: p.langs.into_iter().map(|l| l.to_lowercase()).collect(),
        })
    }
}

/// Template syntax that is not YAML until rendered: `{{ x }}` not preceded by `$`, `{% %}`.
static TEMPLATED: LazyLock<Regex> = LazyLock::new(|| compiled(r"(?:^|[^$])\{\{|\{%"));
/// serde-saphyr's message prefix (`error: line 2 column 40: `), which we replace with a span.
static LOCATION_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"^(?:error:\s*)?(?:line \d+ column \d+:\s*)?"));

static LOCATION_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"\s*at line \d+,? column \d+\s*$"));

impl Check for YamlBlocks {
    fn run(&self, doc: &Document, _ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        for b in doc
            .code_blocks
            .iter()
            .filter(|b| self.langs.contains(&b.lang))
        {
            if b.literal.trim().is_empty() || TEMPLATED.is_match(&b.literal) {
                continue;
            }
            if let Some(f) = check_block(doc, b) {
                out.push(f);
            }
        }
        true
    }
}

fn check_block(doc: &Document, b: &CodeBlock) -> Option<Finding> {
    let err = serde_saphyr::from_multiple::<serde::de::IgnoredAny>(&b.literal).err()?;
    let first = err.without_snippet().to_string();
    let first = first.lines().next().unwrap_or("").trim();
    let message = LOCATION_PREFIX.replace(first, "").trim().to_string();
    let message = LOCATION_SUFFIX
        .replace(&message, "")
        .trim_end_matches(", set DuplicateKeyPolicy in Options if acceptable")
        .to_string();
    let offset = err
        .location()
        .map(|l| literal_offset(&b.literal, l.line() as usize, l.column() as usize))
        .unwrap_or(0);
    let at = doc.code_offset(b, offset);
    let end = doc.text[at..]
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
        .map_or(at, |c| at + c.len_utf8());
    Some(
        Finding::new(at..end, format!("YAML does not parse: {message}"))
            .with_help(help(&message, &b.literal, offset)),
    )
}

/// Byte offset in `text` of 1-based `line` and character `column`.
fn literal_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

fn help(message: &str, literal: &str, offset: usize) -> String {
    let line_start = literal[..offset.min(literal.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = literal[line_start..].lines().next().unwrap_or("");
    if message.contains("duplicate") {
        "remove or rename the repeated key: a YAML mapping cannot hold a key twice (most tools silently keep only the last one)".into()
    } else if message.contains("tab") {
        "indent with spaces; YAML does not allow tabs for indentation".into()
    } else if line.contains("${")
        && (line.contains('{') || line.contains('['))
        && message.contains("flow")
    {
        "quote the value: inside `{ … }` or `[ … ]`, `${VAR}` must be written `\"${VAR}\"`".into()
    } else {
        "fix the syntax; quote values that contain `: ` or ` #`, or that start with `*`, `&`, `!`, `%`, `@`, `{`, `[` or a backtick".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters() {
        let t = "a: 1\nbé: [x\n";
        assert_eq!(literal_offset(t, 2, 3), 5 + "bé".len());
        assert_eq!(literal_offset(t, 1, 1), 0);
        assert_eq!(literal_offset(t, 9, 1), t.len());
    }
}
