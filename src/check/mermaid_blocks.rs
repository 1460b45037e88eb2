//! `mermaid-blocks`: ```mermaid blocks that will render — they start with a diagram type
//! mermaid knows (after optional `---` front matter and `%%` comments), and their brackets,
//! quotes and `subgraph`/`loop`/`alt` … `end` blocks are balanced. `report` picks which.

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;

use super::{Applicability, Check, CompileError, Context, Edit, Finding, Fix};
use crate::document::{CodeBlock, Document};
use crate::selector::did_you_mean;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// The first statement is not a known diagram type.
    Type,
    /// Brackets, quotes or `… end` blocks do not balance.
    Balance,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    report: Aspect,
    /// Diagram type keywords, exactly as mermaid spells them.
    #[serde(default)]
    diagram_types: Vec<String>,
}

#[derive(Debug)]
pub struct MermaidBlocks {
    report: Aspect,
    types: Vec<String>,
}

impl MermaidBlocks {
    pub fn new(p: Params) -> Result<Self, CompileError> {
        if p.report == Aspect::Type && p.diagram_types.is_empty() {
            return Err(CompileError::Params(
                "`report = \"type\"` needs `diagram-types`".into(),
            ));
        }
        Ok(MermaidBlocks {
            report: p.report,
            types: p.diagram_types,
        })
    }
}

/// One line of diagram source with its document offset.
struct Line<'d> {
    text: &'d str,
    at: usize,
}

/// The diagram's lines after front matter, blank lines and `%%` comments, with the first
/// being the type declaration.
fn statements<'d>(doc: &'d Document, b: &CodeBlock) -> Vec<Line<'d>> {
    let mut out = Vec::new();
    let mut offset = b.body.start;
    let mut in_front_matter = false;
    let mut seen_content = false;
    for raw in doc.slice(&b.body).split_inclusive('\n') {
        let at = offset;
        offset += raw.len();
        let content = raw.trim_end_matches(['\n', '\r']);
        let t = content.trim();
        if !seen_content && t == "---" {
            in_front_matter = !in_front_matter;
            continue;
        }
        if in_front_matter || t.is_empty() || t.starts_with("%%") {
            continue;
        }
        seen_content = true;
        let lead = content.len() - content.trim_start().len();
        out.push(Line {
            text: t,
            at: at + lead,
        });
    }
    out
}

impl Check for MermaidBlocks {
    fn fixable(&self) -> bool {
        self.report == Aspect::Type
    }

    fn run(&self, doc: &Document, _ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        for b in doc.code_blocks.iter().filter(|b| b.lang == "mermaid") {
            let lines = statements(doc, b);
            match self.report {
                Aspect::Type => self.diagram_type(doc, b, &lines, out),
                Aspect::Balance => {
                    if let Some(first) = lines.first() {
                        let ty = first.text.split_whitespace().next().unwrap_or("");
                        balance(ty.trim_end_matches([':', ';']), &lines[1..], out);
                    }
                }
            }
        }
        true
    }
}

impl MermaidBlocks {
    fn diagram_type(
        &self,
        doc: &Document,
        b: &CodeBlock,
        lines: &[Line<'_>],
        out: &mut Vec<Finding>,
    ) {
        let Some(first) = lines.first() else {
            let at = doc
                .lines
                .line_span(&doc.text, doc.lines.line_of(b.span.start));
            out.push(
                Finding::new(at, "mermaid block is empty")
                    .with_help("write the diagram, starting with its type (`flowchart LR`, `sequenceDiagram`, …), or remove the block"),
            );
            return;
        };
        let word = first
            .text
            .split(|c: char| c.is_whitespace() || c == ';')
            .next()
            .unwrap_or("")
            .trim_end_matches(':');
        if self.types.iter().any(|t| t == word) {
            return;
        }
        let span = first.at..first.at + word.len().max(1).min(first.text.len());
        let known = self.types.iter().map(String::as_str);
        if let Some(right) = self.types.iter().find(|t| t.eq_ignore_ascii_case(word)) {
            out.push(
                Finding::new(
                    span.clone(),
                    format!("mermaid diagram type `{word}` must be written `{right}`"),
                )
                .with_help(
                    "mermaid matches diagram types case-sensitively; the block will not render",
                )
                .with_fix(Fix::new(
                    format!("write `{right}`"),
                    Applicability::Safe,
                    vec![Edit::replace(span, right.clone())],
                )),
            );
            return;
        }
        let mut f = Finding::new(
            span.clone(),
            format!(
                "mermaid block does not start with a diagram type: `{}`",
                shorten(first.text)
            ),
        );
        if let Some(s) = did_you_mean(word, known) {
            f = f
                .with_help(format!("did you mean `{s}`?"))
                .with_fix(Fix::new(
                    format!("write `{s}`"),
                    Applicability::Unsafe,
                    vec![Edit::replace(span, s)],
                ));
        } else {
            f = f.with_help("start the diagram with its type: `flowchart LR`, `sequenceDiagram`, `erDiagram`, `classDiagram`, `stateDiagram-v2`, `gantt`, …");
        }
        out.push(f);
    }
}

fn shorten(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

/// How a diagram type treats brackets and blocks.
struct Grammar {
    /// Brackets are checked line by line.
    brackets: bool,
    /// Only the part of a line before `:` is syntax; the rest is a free-text label.
    label_after_colon: bool,
    /// `{` … `}` may span lines (class bodies, composite states, entities).
    braces_span_lines: bool,
    /// Keywords that open a block closed by `end`.
    openers: &'static [&'static str],
    /// Flowchart node shapes (`id>text]`).
    flowchart: bool,
    /// ER cardinality markers (`||--o{`).
    er: bool,
}

fn grammar(ty: &str) -> Grammar {
    let g = |brackets, label_after_colon, braces_span_lines, openers| Grammar {
        brackets,
        label_after_colon,
        braces_span_lines,
        openers,
        flowchart: false,
        er: false,
    };
    match ty {
        "graph" | "flowchart" | "flowchart-elk" => Grammar {
            flowchart: true,
            ..g(true, false, false, &["subgraph"])
        },
        "sequenceDiagram" => g(
            true,
            true,
            false,
            &[
                "loop", "alt", "opt", "par", "par_over", "critical", "break", "rect", "box",
            ],
        ),
        "classDiagram" | "classDiagram-v2" | "stateDiagram" | "stateDiagram-v2"
        | "requirementDiagram" => g(true, true, true, &[]),
        "erDiagram" => Grammar {
            er: true,
            ..g(true, true, true, &[])
        },
        "block-beta" | "block" => g(true, false, false, &["block"]),
        t if t.starts_with("C4") => g(true, false, true, &[]),
        "architecture-beta" | "architecture" | "xychart-beta" | "xychart" | "quadrantChart"
        | "gitGraph" | "packet-beta" | "packet" => g(true, true, false, &[]),
        // mindmap shapes use reversed brackets; gantt, pie, journey, timeline, sankey,
        // kanban lines are free text
        _ => g(false, false, false, &[]),
    }
}

fn opens_block(line: &str, openers: &[&str]) -> Option<usize> {
    let first = line.split(|c: char| c.is_whitespace() || c == ':').next()?;
    openers.contains(&first).then_some(first.len())
}

fn is_end(line: &str) -> bool {
    let t = line.trim();
    t == "end" || t.starts_with("end ") || t.starts_with("end;") || t.starts_with("end\t")
}

fn balance(ty: &str, lines: &[Line<'_>], out: &mut Vec<Finding>) {
    let g = grammar(ty);
    let mut blocks: Vec<(Range<usize>, &str)> = Vec::new();
    let mut braces: Vec<usize> = Vec::new();
    for l in lines {
        if !g.openers.is_empty() {
            if let Some(n) = opens_block(l.text, g.openers) {
                blocks.push((l.at..l.at + n, &l.text[..n]));
            } else if is_end(l.text) {
                let span = l.at..l.at + 3;
                if blocks.pop().is_none() {
                    out.push(
                        Finding::new(span, "`end` closes no block in this mermaid diagram")
                            .with_help(format!(
                                "remove it, or open the block it closes ({})",
                                g.openers.join(", ")
                            )),
                    );
                }
                continue;
            }
        }
        // an unclosed quote swallows the rest of the line: one finding is enough
        if !quotes(l, out) && g.brackets {
            brackets(l, &g, &mut braces, out);
        }
    }
    for (span, kw) in blocks {
        out.push(
            Finding::new(span, format!("`{kw}` is never closed with `end`"))
                .with_help(format!("add `end` after the last line of this `{kw}` block; mermaid will not render the diagram otherwise")),
        );
    }
    for at in braces {
        out.push(Finding::new(at..at + 1, "`{` is never closed").with_help("add the matching `}`"));
    }
}

/// An odd number of `"` on a line leaves a label open; reports it and returns `true`.
fn quotes(l: &Line<'_>, out: &mut Vec<Finding>) -> bool {
    let positions: Vec<usize> = l.text.match_indices('"').map(|(i, _)| i).collect();
    if positions.len() % 2 == 1
        && let Some(&last) = positions.last()
    {
        out.push(
            Finding::new(
                l.at + last..l.at + last + 1,
                "unclosed `\"` in mermaid diagram",
            )
            .with_help("close the quoted label; write a literal quote as `#quot;`"),
        );
        return true;
    }
    false
}

const CLOSERS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('{', '}')];

fn brackets(l: &Line<'_>, g: &Grammar, braces: &mut Vec<usize>, out: &mut Vec<Finding>) {
    let mut text = l.text;
    if g.label_after_colon
        && let Some(i) = colon_outside_quotes(text)
    {
        text = &text[..i];
    }
    let masked = if g.er {
        mask_er(text)
    } else {
        text.to_string()
    };
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut in_quote = false;
    // flowchart edge text between pipes (`-->|a > b|`) is a label
    let mut in_pipe = false;
    let mut prev: Option<char> = None;
    let mut before_prev: Option<char> = None;
    let mut reported: HashSet<usize> = HashSet::new();
    for (i, c) in masked.char_indices() {
        if c == '"' {
            in_quote = !in_quote;
        } else if c == '|' && g.flowchart && !in_quote && stack.is_empty() {
            in_pipe = !in_pipe;
        } else if !in_quote && !in_pipe {
            match c {
                '(' | '[' => stack.push((c, i)),
                '{' if g.braces_span_lines => braces.push(l.at + i),
                '{' => stack.push((c, i)),
                // flowchart asymmetric shape: `id>label]`
                '>' if g.flowchart
                    && prev.is_some_and(|p| p.is_alphanumeric() || p == '_')
                    && !matches!(before_prev, Some('-' | '=' | '.')) =>
                {
                    stack.push(('>', i))
                }
                ')' | ']' | '}' => {
                    if c == '}' && g.braces_span_lines {
                        if braces.pop().is_none() {
                            out.push(
                                Finding::new(
                                    l.at + i..l.at + i + 1,
                                    "`}` closes nothing in this mermaid diagram",
                                )
                                .with_help("remove it or add the `{` it closes"),
                            );
                        }
                    } else {
                        let open = CLOSERS.iter().find(|(_, cl)| *cl == c).map(|(o, _)| *o);
                        match stack.last() {
                            Some(&(o, _)) if Some(o) == open || (o == '>' && c == ']') => {
                                stack.pop();
                            }
                            Some(&(o, at)) => {
                                if reported.insert(at) {
                                    out.push(
                                        Finding::new(
                                            l.at + i..l.at + i + 1,
                                            format!("`{c}` does not match the `{o}` it closes"),
                                        )
                                        .with_help(
                                            format!(
                                                "close the `{o}` with `{}`",
                                                CLOSERS
                                                    .iter()
                                                    .find(|(x, _)| *x == o)
                                                    .map_or(']', |(_, cl)| *cl)
                                            ),
                                        ),
                                    );
                                }
                                return;
                            }
                            None => {
                                out.push(
                                    Finding::new(
                                        l.at + i..l.at + i + 1,
                                        format!("`{c}` closes nothing in this mermaid diagram"),
                                    )
                                    .with_help("remove it, or add the opening bracket"),
                                );
                                return;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        before_prev = prev;
        prev = Some(c);
    }
    if let Some(&(o, at)) = stack.first() {
        let close = CLOSERS
            .iter()
            .find(|(x, _)| *x == o)
            .map_or(']', |(_, cl)| *cl);
        out.push(
            Finding::new(
                l.at + at..l.at + at + 1,
                format!("`{o}` is never closed on this line"),
            )
            .with_help(format!("add the closing `{close}`")),
        );
    }
}

fn colon_outside_quotes(s: &str) -> Option<usize> {
    let mut in_quote = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            ':' if !in_quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// Blank out ER relationship markers (`||--o{`, `}|..|{`), which use braces as glyphs.
fn mask_er(s: &str) -> String {
    static REL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::check::quick_regex(r"[|}o]{1,2}(?:--|\.\.)[|{o]{1,2}").expect("regex")
    });
    REL.replace_all(s, |c: &regex::Captures<'_>| " ".repeat(c[0].len()))
        .into_owned()
}
