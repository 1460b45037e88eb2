//! `--statistics`: findings per rule, most first; `[*]` marks rules with findings a fix
//! the run would apply (`--fix`, or `--fix --unsafe-fixes`) removes.

use super::Format;
use crate::diagnostic::Applicability;
use crate::report::Report;

/// One rule's findings in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RuleCount {
    code: String,
    rule: String,
    count: usize,
    /// Findings a fix removes (unsafe fixes count with `unsafe_fixes`).
    fixable: usize,
}

/// Counts per rule, most first (then by code).
fn count(report: &Report, unsafe_fixes: bool) -> Vec<RuleCount> {
    let mut rows: Vec<RuleCount> = Vec::new();
    for d in &report.diagnostics {
        let fixable = usize::from(d.fix().is_some_and(|f| match f.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::DisplayOnly => false,
        }));
        match rows.iter_mut().find(|r| r.code == d.code) {
            Some(r) => {
                r.count += 1;
                r.fixable += fixable;
            }
            None => rows.push(RuleCount {
                code: d.code.clone(),
                rule: d.rule.clone(),
                count: 1,
                fixable,
            }),
        }
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
    rows
}

/// The statistics as JSON (`--format json`) or as a table under a header.
pub fn render(report: &Report, format: Format, unsafe_fixes: bool) -> String {
    let rows = count(report, unsafe_fixes);
    if format == Format::Json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({"code": r.code, "rule": r.rule, "count": r.count, "fixable": r.fixable})
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
        s.push('\n');
        return s;
    }
    if rows.is_empty() {
        return "No findings.\n".to_string();
    }
    let code_w = rows.iter().map(|r| r.code.len()).max().unwrap_or(0).max(4);
    let mut out = format!("COUNT  {:<code_w$}  FIX  RULE\n", "CODE");
    for r in &rows {
        let mark = if r.fixable > 0 { "[*]" } else { "   " };
        out.push_str(&format!(
            "{:>5}  {:<code_w$}  {mark}  {}\n",
            r.count, r.code, r.rule
        ));
    }
    let how = if unsafe_fixes {
        "--fix --unsafe-fixes"
    } else {
        "--fix"
    };
    out.push_str(&format!(
        "\n[*] some of the rule's findings are fixed by `spec-check check {how}`\n"
    ));
    out
}
