//! Inline suppression: HTML comments in a document that silence findings.
//!
//! - `<!-- spec-check-disable-next-line SC007, placeholder -- reason -->`: findings that
//!   start on the next non-blank line;
//! - `<!-- spec-check-disable SC007 -- reason -->` … `<!-- spec-check-enable SC007 -->`:
//!   findings that start in between (to the end of the file without an `enable`);
//! - `<!-- spec-check-disable-file SC001 -- reason -->`: findings anywhere in the file.
//!
//! Rules are named by code, name or code prefix; no rule at all means every rule. The
//! engine applies this after every check has run on a document. A comment (or one of its
//! rules) that silences nothing is reported itself, with a fix that removes it, so
//! suppressions do not outlive the findings they were written for.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Finding, Fix, Severity};
use crate::document::Document;
use crate::pack::{RuleDocs, RuleInfo};

/// A rule the engine itself reports (it belongs to no pack). It is listed, documented,
/// selected and re-levelled like a pack's rule: see [`crate::pack::every_rule`].
#[derive(Debug, Clone)]
pub struct EngineRule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fixable: bool,
    pub docs: RuleDocs,
}

impl EngineRule {
    /// This rule as listings and documentation show it.
    pub fn info(&self) -> RuleInfo<'_> {
        RuleInfo {
            pack: None,
            code: self.code,
            name: self.name,
            severity: self.severity,
            checklist: None,
            fixable: self.fixable,
            docs: &self.docs,
        }
    }
}

pub const UNUSED: EngineRule = EngineRule {
    code: "SC020",
    name: "unused-suppression",
    severity: Severity::Info,
    fixable: true,
    docs: RuleDocs {
        summary: Cow::Borrowed("A suppression comment silences no finding."),
        what: Cow::Borrowed(
            "Reports a `spec-check-disable…` comment, or one rule named in it, that matched no finding, and an `enable` that closes nothing. Its fix removes the comment (or the unused rule from it).",
        ),
        why: Cow::Borrowed(
            "Suppressions written for findings that have since been fixed would silently hide the next real problem on that line.",
        ),
        bad: Cow::Borrowed(
            "<!-- spec-check-disable-next-line SC008 -- existing finding -->\nThe product has a name now.\n",
        ),
        good: Cow::Borrowed("The product has a name now.\n"),
    },
};

pub const MISSING_REASON: EngineRule = EngineRule {
    code: "SC021",
    name: "suppression-without-reason",
    severity: Severity::Error,
    fixable: false,
    docs: RuleDocs {
        summary: Cow::Borrowed(
            "A suppression comment gives no reason (with `require-suppression-reason`).",
        ),
        what: Cow::Borrowed(
            "With `require-suppression-reason = true` in the configuration, reports a `spec-check-disable…` comment without `-- reason` after its rules.",
        ),
        why: Cow::Borrowed(
            "A reason tells the next reader whether the finding was a false positive or accepted debt, and when the comment can go.",
        ),
        bad: Cow::Borrowed("<!-- spec-check-disable-next-line SC008 -->\n"),
        good: Cow::Borrowed(
            "<!-- spec-check-disable-next-line SC008 -- the brackets are the product's real syntax -->\n",
        ),
    },
};

/// The engine's rules, for `spec-check rules`, selection and `[severity]`.
pub const RULES: &[EngineRule] = &[UNUSED, MISSING_REASON];

/// How suppression comments are reported (`None`: not reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub unused: Option<Severity>,
    pub missing_reason: Option<Severity>,
}

impl Options {
    /// The level of the engine rule with this code (`None`: not reported).
    pub fn level(&self, code: &str) -> Option<Severity> {
        if code == UNUSED.code {
            self.unused
        } else if code == MISSING_REASON.code {
            self.missing_reason
        } else {
            None
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            unused: Some(UNUSED.severity),
            missing_reason: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NextLine,
    Disable,
    Enable,
    File,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::NextLine => "spec-check-disable-next-line",
            Kind::Disable => "spec-check-disable",
            Kind::Enable => "spec-check-enable",
            Kind::File => "spec-check-disable-file",
        }
    }
}

/// One rule named in a comment.
#[derive(Debug, Clone)]
struct Token {
    text: String,
    span: Range<usize>,
}

/// One suppression comment.
#[derive(Debug, Clone)]
struct Directive {
    kind: Kind,
    /// Empty: every rule.
    tokens: Vec<Token>,
    /// The part that lists the rules (for rewriting it without an unused one).
    tokens_span: Range<usize>,
    reason: Option<String>,
    /// `<!--` … `-->`.
    span: Range<usize>,
}

/// A `disable` … `enable` region: (directive, token slot, start byte, end byte, closed by
/// (directive, token slot)).
type Region = (usize, usize, usize, usize, Option<(usize, usize)>);

/// `<!-- spec-check-… -->` comments (any spelling after the prefix, so typos are caught).
static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<!--\s*(spec-check-[A-Za-z-]*)(.*?)-->").expect("valid suppression regex")
});

/// The comments of a document, in order, with ill-formed ones (unknown directive) apart.
fn directives(doc: &Document) -> (Vec<Directive>, Vec<(Range<usize>, String)>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for html in &doc.html {
        let text = doc.slice(html);
        for c in COMMENT.captures_iter(text) {
            let (Some(all), Some(word), Some(body)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let span = html.start + all.start()..html.start + all.end();
            let kind = match word.as_str() {
                "spec-check-disable-next-line" => Kind::NextLine,
                "spec-check-disable" => Kind::Disable,
                "spec-check-enable" => Kind::Enable,
                "spec-check-disable-file" => Kind::File,
                other => {
                    bad.push((span, other.to_string()));
                    continue;
                }
            };
            let body_start = html.start + body.start();
            let body_text = body.as_str();
            // `-- reason` ends the rule list
            let (rules_part, reason) = match find_reason(body_text) {
                Some(at) => (
                    &body_text[..at],
                    Some(body_text[at + 2..].trim().to_string()).filter(|r| !r.is_empty()),
                ),
                None => (body_text, None),
            };
            let mut tokens = Vec::new();
            let mut pos = 0;
            for piece in rules_part.split(|c: char| c == ',' || c.is_whitespace()) {
                let start = pos;
                pos += piece.len() + 1;
                if piece.is_empty() {
                    continue;
                }
                tokens.push(Token {
                    text: piece.to_string(),
                    span: body_start + start..body_start + start + piece.len(),
                });
            }
            let trimmed_end = rules_part.trim_end().len();
            let tokens_span = match (tokens.first(), tokens.last()) {
                (Some(f), Some(_)) => f.span.start..body_start + trimmed_end,
                _ => body_start..body_start,
            };
            out.push(Directive {
                kind,
                tokens,
                tokens_span,
                reason,
                span,
            });
        }
    }
    out.sort_by_key(|d| d.span.start);
    (out, bad)
}

/// Byte offset of the `--` that starts a reason (at the start or after whitespace).
fn find_reason(body: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = body[from..].find("--") {
        let at = from + i;
        if at == 0 || body[..at].ends_with(char::is_whitespace) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// What suppression did to a document's diagnostics.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Per input diagnostic: kept (`true`) or suppressed.
    pub keep: Vec<bool>,
    /// Findings about the comments themselves, with their engine rule.
    pub findings: Vec<(&'static EngineRule, Severity, Finding)>,
}

/// Apply the document's suppression comments to its diagnostics. `known` lists the
/// `(code, name)` of the rules enabled for this document.
pub fn apply(
    doc: &Document,
    diagnostics: &[Diagnostic],
    known: &[(&str, &str)],
    opts: &Options,
) -> Outcome {
    let mut keep = vec![true; diagnostics.len()];
    let (dirs, bad) = directives(doc);
    let mut findings = Vec::new();
    if dirs.is_empty() && bad.is_empty() {
        return Outcome { keep, findings };
    }
    let names = |t: &Token, d: &Diagnostic| {
        crate::selector::specificity(&t.text, &d.code, &d.rule).is_some()
    };
    // used[directive][token] (a directive without tokens has one implicit "every rule" slot)
    let mut used: Vec<Vec<bool>> = dirs
        .iter()
        .map(|d| vec![false; d.tokens.len().max(1)])
        .collect();

    let mut regions: Vec<Region> = Vec::new();
    for (di, d) in dirs.iter().enumerate() {
        match d.kind {
            Kind::Disable => {
                for slot in 0..d.tokens.len().max(1) {
                    regions.push((di, slot, d.span.end, doc.text.len(), None));
                }
            }
            Kind::Enable => {
                for slot in 0..d.tokens.len().max(1) {
                    for r in regions.iter_mut().filter(|r| r.4.is_none()) {
                        let opener = &dirs[r.0];
                        let same = match (d.tokens.get(slot), opener.tokens.get(r.1)) {
                            (None, _) => true, // a bare enable closes everything
                            (Some(t), Some(o)) => t.text.eq_ignore_ascii_case(&o.text),
                            (Some(_), None) => false,
                        };
                        if same {
                            r.3 = d.span.start;
                            r.4 = Some((di, slot));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    for (i, diag) in diagnostics.iter().enumerate() {
        let at = diag.start.byte;
        let line = doc.lines.line_of(at);
        for (di, d) in dirs.iter().enumerate() {
            let applies = match d.kind {
                Kind::File => true,
                Kind::NextLine => next_content_line(doc, d.span.end) == Some(line),
                Kind::Disable | Kind::Enable => false,
            };
            if applies && let Some(slot) = slot_for(d, diag, &names) {
                used[di][slot] = true;
                keep[i] = false;
            }
        }
        for r in &regions {
            let d = &dirs[r.0];
            if at >= r.2 && at < r.3 && slot_matches(d, r.1, diag, &names) {
                used[r.0][r.1] = true;
                if let Some((ei, es)) = r.4 {
                    used[ei][es] = true;
                }
                keep[i] = false;
            }
        }
    }

    if let Some(sev) = opts.unused {
        for (span, word) in bad {
            let fix = Fix::new(
                "remove the comment",
                Applicability::DisplayOnly,
                vec![Edit::delete(removal(doc, &span))],
            );
            findings.push((
                &UNUSED,
                sev,
                Finding::new(span, format!("unknown suppression comment `{word}`"))
                    .with_help("write `spec-check-disable-next-line`, `spec-check-disable`, `spec-check-enable` or `spec-check-disable-file`")
                    .with_fix(fix),
            ));
        }
        for (di, d) in dirs.iter().enumerate() {
            let unused: Vec<usize> = (0..used[di].len()).filter(|&s| !used[di][s]).collect();
            if unused.is_empty() {
                continue;
            }
            findings.push((&UNUSED, sev, unused_finding(doc, d, &unused, known)));
        }
    }
    if let Some(sev) = opts.missing_reason {
        for d in dirs
            .iter()
            .filter(|d| d.kind != Kind::Enable && d.reason.is_none())
        {
            findings.push((
                &MISSING_REASON,
                sev,
                Finding::new(d.span.clone(), format!("`{}` gives no reason", d.kind.as_str()))
                    .with_help("say why after the rules: `<!-- spec-check-disable-next-line SC008 -- the brackets are real syntax -->`"),
            ));
        }
    }
    Outcome { keep, findings }
}

/// The token slot of `d` that names the diagnostic's rule.
fn slot_for(
    d: &Directive,
    diag: &Diagnostic,
    names: &impl Fn(&Token, &Diagnostic) -> bool,
) -> Option<usize> {
    if d.tokens.is_empty() {
        return Some(0);
    }
    d.tokens.iter().position(|t| names(t, diag))
}

fn slot_matches(
    d: &Directive,
    slot: usize,
    diag: &Diagnostic,
    names: &impl Fn(&Token, &Diagnostic) -> bool,
) -> bool {
    match d.tokens.get(slot) {
        None => d.tokens.is_empty(),
        Some(t) => names(t, diag),
    }
}

/// The first non-blank line after byte `end` (0-based).
fn next_content_line(doc: &Document, end: usize) -> Option<usize> {
    let mut line = doc.lines.line_of(end) + 1;
    while line < doc.lines.line_count() {
        let span = doc.lines.line_span(&doc.text, line);
        if !doc.text[span].trim().is_empty() {
            return Some(line);
        }
        line += 1;
    }
    None
}

fn unused_finding(
    doc: &Document,
    d: &Directive,
    unused: &[usize],
    known: &[(&str, &str)],
) -> Finding {
    let all_unused = unused.len() == d.tokens.len().max(1);
    let what = if d.kind == Kind::Enable {
        "closes no suppressed region".to_string()
    } else if d.tokens.is_empty() {
        "suppresses nothing".to_string()
    } else {
        let names: Vec<String> = unused
            .iter()
            .filter_map(|&s| d.tokens.get(s))
            .map(|t| {
                let known_rule = known
                    .iter()
                    .any(|(c, n)| crate::selector::specificity(&t.text, c, n).is_some());
                let near = crate::selector::did_you_mean(
                    &t.text,
                    known.iter().flat_map(|(c, n)| [*c, *n]),
                );
                match (known_rule, near) {
                    (true, _) => format!("`{}`", t.text),
                    (false, Some(near)) => {
                        format!("`{}` (not an enabled rule; did you mean `{near}`?)", t.text)
                    }
                    (false, None) => format!("`{}` (not an enabled rule)", t.text),
                }
            })
            .collect();
        format!("suppresses no finding of {}", names.join(", "))
    };
    let message = format!("unused suppression: `{}` {what}", d.kind.as_str());
    let (title, edits) = if all_unused {
        (
            "remove the comment".to_string(),
            vec![Edit::delete(removal(doc, &d.span))],
        )
    } else {
        let kept: Vec<&str> = d
            .tokens
            .iter()
            .enumerate()
            .filter(|(s, _)| !unused.contains(s))
            .map(|(_, t)| t.text.as_str())
            .collect();
        (
            "remove the unused rules from the comment".to_string(),
            vec![Edit::replace(d.tokens_span.clone(), kept.join(", "))],
        )
    };
    Finding::new(d.span.clone(), message)
        .with_help(if d.kind == Kind::NextLine {
            "the finding it was written for is gone, or is not on the next non-blank line; remove the comment"
        } else {
            "the finding it was written for is gone; remove the comment"
        })
        .with_fix(Fix::new(title, Applicability::Safe, edits))
}

/// The bytes to delete to remove a comment: its whole line(s) when it stands alone.
fn removal(doc: &Document, span: &Range<usize>) -> Range<usize> {
    let first = doc.lines.line_of(span.start);
    let last = doc
        .lines
        .line_of(span.end.saturating_sub(1).max(span.start));
    let line_start = doc.lines.line_start(first);
    let line_end = doc.lines.line_end(&doc.text, last);
    let before = &doc.text[line_start..span.start];
    let after = &doc.text[span.end.min(line_end)..line_end];
    if before.trim().is_empty() && after.trim().is_empty() {
        // the whole line and its terminator
        let next = doc.lines.line_start(last + 1);
        line_start..next.max(line_end)
    } else {
        span.clone()
    }
}

/// `spec-check suppress`: the text of `doc` with a comment that silences each of
/// `diagnostics` (all from this document). A finding on its block's first line gets a
/// `disable-next-line` above that line; one inside a table, code block or further down a
/// paragraph gets a `disable` … `enable` pair around the block, so no block is split; a
/// document-level finding (or one in front matter) gets a `disable-file` at the top.
pub fn insert_comments(doc: &Document, diagnostics: &[&Diagnostic], reason: &str) -> String {
    insert_comments_with(doc, diagnostics, Some(reason))
}

/// [`insert_comments`] with the reason optional: the editor's "disable" action leaves it to
/// the author unless the configuration requires one.
pub fn insert_comments_with(
    doc: &Document,
    diagnostics: &[&Diagnostic],
    reason: Option<&str>,
) -> String {
    let nl = doc.newline();
    let (existing, _) = directives(doc);
    let mut file_codes: Vec<String> = Vec::new();
    // line → codes for disable-next-line
    let mut next_line: Vec<(usize, Vec<String>)> = Vec::new();
    // (first line, last line) → codes for a disable/enable pair
    let mut wraps: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let add = |codes: &mut Vec<String>, code: &str| {
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_string());
        }
    };
    for d in diagnostics {
        let line = doc.lines.line_of(d.start.byte);
        let in_front_matter = doc
            .front_matter
            .as_ref()
            .is_some_and(|fm| d.start.byte < fm.end);
        if d.finding.document_level || in_front_matter {
            add(&mut file_codes, &d.code);
            continue;
        }
        match block_of(doc, line) {
            None => match next_line.iter_mut().find(|(l, _)| *l == line) {
                Some((_, codes)) => add(codes, &d.code),
                None => next_line.push((line, vec![d.code.clone()])),
            },
            Some((first, last)) => {
                match wraps.iter_mut().find(|(f, l, _)| *f == first && *l == last) {
                    Some((_, _, codes)) => add(codes, &d.code),
                    None => wraps.push((first, last, vec![d.code.clone()])),
                }
            }
        }
    }

    // a line inside a wrapped block needs no comment of its own
    next_line.retain(|(line, codes)| {
        match wraps.iter_mut().find(|(f, l, _)| (*f..=*l).contains(line)) {
            Some((_, _, wrap)) => {
                for c in codes {
                    if !wrap.contains(c) {
                        wrap.push(c.clone());
                    }
                }
                false
            }
            None => true,
        }
    });
    // (byte, order, text): at one byte an `enable` closes before a `disable` opens, and a
    // `disable-next-line` sits right above its line
    let mut inserts: Vec<(usize, u8, String)> = Vec::new();
    let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
    let comment = |indent: &str, kind: Kind, codes: &[String], reason: Option<&str>| {
        let mut s = format!("{indent}<!-- {} {}", kind.as_str(), codes.join(", "));
        if let Some(r) = reason {
            s.push_str(&format!(" -- {r}"));
        }
        s.push_str(" -->");
        s.push_str(nl);
        s
    };
    if !file_codes.is_empty() {
        let at = match &doc.front_matter {
            Some(fm) => doc
                .lines
                .line_start(doc.lines.line_of(fm.end.saturating_sub(1)) + 1),
            None => doc.bom,
        };
        let mut text = comment("", Kind::File, &file_codes, reason);
        if at == doc.text.len() && !doc.text.is_empty() && !doc.text.ends_with('\n') {
            text.insert_str(0, nl);
        }
        inserts.push((at, 0, text));
    }
    for (first, last, codes) in &wraps {
        let indent = indent_of(doc, *first);
        inserts.push((
            doc.lines.line_start(*first),
            2,
            comment(&indent, Kind::Disable, codes, reason),
        ));
        let after = doc.lines.line_start(last + 1);
        let mut text = comment(&indent, Kind::Enable, codes, None);
        if after == doc.text.len() && !doc.text.ends_with('\n') {
            text.insert_str(0, nl);
        }
        inserts.push((after, 1, text));
    }
    for (line, codes) in &next_line {
        // extend a disable-next-line that already targets this line
        if let Some(d) = existing.iter().find(|d| {
            d.kind == Kind::NextLine
                && !d.tokens.is_empty()
                && next_content_line(doc, d.span.end) == Some(*line)
        }) {
            let mut all: Vec<String> = d.tokens.iter().map(|t| t.text.clone()).collect();
            all.extend(codes.iter().cloned());
            replacements.push((d.tokens_span.clone(), all.join(", ")));
            continue;
        }
        inserts.push((
            doc.lines.line_start(*line),
            3,
            comment(&indent_of(doc, *line), Kind::NextLine, codes, reason),
        ));
    }
    inserts.sort_by_key(|(at, order, _)| (*at, *order));
    replacements.sort_by_key(|(r, _)| r.start);

    let mut out = String::with_capacity(doc.text.len() + inserts.len() * 60);
    let mut pos = 0;
    let mut ins = inserts.into_iter().peekable();
    let mut reps = replacements.into_iter().peekable();
    loop {
        let next_ins = ins.peek().map(|(at, _, _)| *at);
        let next_rep = reps.peek().map(|(r, _)| r.start);
        match (next_ins, next_rep) {
            (None, None) => break,
            (Some(a), r) if r.is_none_or(|r| a <= r) => {
                let (at, _, text) = ins.next().unwrap_or_default();
                out.push_str(&doc.text[pos..at.max(pos)]);
                pos = at.max(pos);
                out.push_str(&text);
            }
            _ => {
                let Some((range, text)) = reps.next() else {
                    break;
                };
                out.push_str(&doc.text[pos..range.start.max(pos)]);
                out.push_str(&text);
                pos = range.end.max(pos);
            }
        }
    }
    out.push_str(&doc.text[pos..]);
    out
}

/// The lines of the block a comment must wrap for a finding on `line`, or `None` when a
/// comment right above `line` works (it starts its block).
fn block_of(doc: &Document, line: usize) -> Option<(usize, usize)> {
    let lines_of = |span: &Range<usize>| {
        (
            doc.lines.line_of(span.start),
            doc.lines
                .line_of(span.end.saturating_sub(1).max(span.start)),
        )
    };
    for b in &doc.code_blocks {
        let (first, last) = lines_of(&b.span);
        if (first..=last).contains(&line) {
            return (line != first).then_some((first, last));
        }
    }
    for t in &doc.tables {
        let (first, last) = lines_of(&t.span);
        if (first..=last).contains(&line) {
            return (line != first).then_some((first, last));
        }
    }
    if starts_block(doc, line) {
        return None;
    }
    // a continuation line of a paragraph: wrap the run of lines it belongs to
    let mut first = line;
    while first > 0 && !starts_block(doc, first) {
        first -= 1;
    }
    let mut last = line;
    while last + 1 < doc.lines.line_count() && !blank(doc, last + 1) && !starts_block(doc, last + 1)
    {
        last += 1;
    }
    Some((first, last))
}

/// Whether a comment line inserted above `line` leaves the blocks as they were: the line
/// follows a blank line, or is a heading or list item, or follows one.
fn starts_block(doc: &Document, line: usize) -> bool {
    if line == 0 || blank(doc, line - 1) {
        return true;
    }
    let lines_of = |span: &Range<usize>| {
        doc.lines.line_of(span.start)
            ..=doc
                .lines
                .line_of(span.end.saturating_sub(1).max(span.start))
    };
    let in_heading = |l: usize| {
        doc.sections
            .iter()
            .any(|s| lines_of(&s.heading).contains(&l))
    };
    let item_starts = |l: usize| {
        doc.list_items
            .iter()
            .any(|i| doc.lines.line_of(i.span.start) == l)
    };
    let prev = &doc.text[doc.lines.line_span(&doc.text, line - 1)];
    in_heading(line)
        || item_starts(line)
        || in_heading(line - 1)
        || prev.trim_end().ends_with("-->")
}

fn blank(doc: &Document, line: usize) -> bool {
    doc.text[doc.lines.line_span(&doc.text, line)]
        .trim()
        .is_empty()
}

fn indent_of(doc: &Document, line: usize) -> String {
    let text = &doc.text[doc.lines.line_span(&doc.text, line)];
    let start = if line == 0 {
        doc.bom.min(text.len())
    } else {
        0
    };
    text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_starts_at_a_separate_double_dash() {
        assert_eq!(find_reason(" SC007 -- why"), Some(7));
        assert_eq!(find_reason(" some-rule"), None);
        assert_eq!(find_reason("-- why"), Some(0));
    }
}
