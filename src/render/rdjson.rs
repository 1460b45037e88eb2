//! `--format rdjson`: reviewdog's Diagnostic Format (rdjson), so reviewdog can post
//! findings as pull-request review comments (`reviewdog -f=rdjson`).
//!
//! reviewdog counts columns in UTF-8 bytes and ends ranges exclusively; positions are
//! recomputed from the finding's excerpt, and fall back to character columns when that is
//! not possible. Safe fixes become `suggestions` (GitHub "suggested changes") when every
//! edit lies where it can be placed exactly.

use serde_json::{Value, json};

use super::{RenderContext, find_rule, rule_help_uri};
use crate::diagnostic::{Applicability, Diagnostic, Excerpt, Position, Severity};
use crate::report::Report;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

pub fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| diagnostic(d, ctx))
        .collect();
    let out = json!({
        "source": { "name": "spec-check", "url": env!("CARGO_PKG_REPOSITORY") },
        "diagnostics": diagnostics,
    });
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}

fn diagnostic(d: &Diagnostic, ctx: &RenderContext<'_>) -> Value {
    let path = ctx.paths.uri(&d.path);
    let mut message = d.message().to_string();
    if let Some(help) = d.help() {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut code = json!({ "value": d.code });
    if let Some(url) =
        find_rule(ctx.packs, &d.code).and_then(|(pack, rule)| rule_help_uri(pack, &rule.code))
    {
        code["url"] = Value::from(url);
    }
    let mut v = json!({
        "message": message,
        "location": {
            "path": path,
            "range": {
                "start": position(&d.excerpt, d.start, d.excerpt.span.start),
                "end": position(&d.excerpt, d.end, d.excerpt.span.end),
            },
        },
        "severity": severity(d.severity),
        "code": code,
    });
    if let Some(s) = suggestions(d) {
        v["suggestions"] = s;
    }
    if !d.related.is_empty() {
        v["related_locations"] = d
            .related
            .iter()
            .map(|r| {
                json!({
                    "message": r.message,
                    "location": {
                        "path": path,
                        "range": {
                            "start": position(&r.excerpt, r.start, r.excerpt.span.start),
                            "end": position(&r.excerpt, r.end, r.excerpt.span.end),
                        },
                    },
                })
            })
            .collect();
    }
    v
}

/// `pos` with a byte column, measured in the excerpt at `rel` (the same place, relative to
/// the excerpt's text). The excerpt starts at the beginning of a line; when `rel` is not on
/// the line `pos` names (a long span cut off by the excerpt), the character column is kept.
fn position(excerpt: &Excerpt, pos: Position, rel: usize) -> Value {
    let column = excerpt
        .text
        .get(..rel)
        .filter(|before| excerpt.line + before.matches('\n').count() == pos.line)
        .map(|before| before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1)
        .unwrap_or(pos.column);
    json!({ "line": pos.line, "column": column })
}

/// The safe fix as reviewdog suggestions, when every edit is on the finding's first line
/// or at its exact start or end (the places whose line and byte column are known).
fn suggestions(d: &Diagnostic) -> Option<Value> {
    let fix = d.fix().filter(|f| f.applicability == Applicability::Safe)?;
    if fix.edits.is_empty() {
        return None;
    }
    // byte offset of the excerpt's first line in the document
    let base = d.start.byte.checked_sub(d.excerpt.span.start)?;
    let first_line_len = d.excerpt.text.find('\n').unwrap_or(d.excerpt.text.len());
    let place = |byte: usize| -> Option<Value> {
        if byte == d.start.byte {
            return Some(position(&d.excerpt, d.start, d.excerpt.span.start));
        }
        if byte == d.end.byte {
            return Some(position(&d.excerpt, d.end, d.excerpt.span.end));
        }
        let rel = byte.checked_sub(base).filter(|r| *r <= first_line_len)?;
        Some(json!({ "line": d.excerpt.line, "column": rel + 1 }))
    };
    let mut out = Vec::new();
    for e in &fix.edits {
        out.push(json!({
            "range": { "start": place(e.range.start)?, "end": place(e.range.end)? },
            "text": e.replacement,
        }));
    }
    Some(Value::Array(out))
}
