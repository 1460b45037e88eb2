//! `spec-check rules`: every rule of the configured packs and the engine, as an aligned
//! table or as JSON, each at the severity the configuration gives it (`off` when disabled).
//! The markdown reference (`--format markdown`) is [`super::rules_page`].

use crate::diagnostic::Severity;
use crate::pack::{RuleInfo, RulePack, every_rule};
use crate::suppress;

/// A rule's configured level by code, name and default severity: a severity or `off`.
pub type Level<'a> = &'a dyn Fn(&str, &str, Severity) -> &'static str;

/// One table per pack, then the engine's rules (at `engine`'s levels: reasons are required
/// only with `require-suppression-reason`); columns as wide as their widest cell across
/// every table.
pub fn table(packs: &[RulePack], level: Level<'_>, engine: suppress::Options) -> String {
    let mut groups: Vec<(String, Vec<RuleInfo<'_>>)> = packs
        .iter()
        .map(|p| {
            let title = format!("{} {} — {}", p.id, p.version, p.name);
            (title, p.rules.iter().map(|r| r.info(p)).collect())
        })
        .collect();
    groups.push((
        "engine — suppression comments".to_string(),
        suppress::RULES
            .iter()
            .map(suppress::EngineRule::info)
            .collect(),
    ));
    let row = |rule: &RuleInfo<'_>| {
        let severity = match rule.pack {
            Some(_) => level(rule.code, rule.name, rule.severity),
            None => engine.level(rule.code).map_or("off", |s| s.as_str()),
        };
        [
            rule.code.to_string(),
            rule.name.to_string(),
            severity.to_string(),
            rule.checklist.unwrap_or("-").to_string(),
            if rule.fixable { "yes" } else { "" }.to_string(),
        ]
    };
    let tables: Vec<(String, Vec<[String; 5]>)> = groups
        .into_iter()
        .map(|(title, rules)| (title, rules.iter().map(row).collect()))
        .collect();
    let header = ["CODE", "NAME", "SEVERITY", "CHECKLIST", "FIX"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in tables.iter().flat_map(|(_, rows)| rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |row: &[String; 5]| {
        let mut l = String::new();
        for (cell, w) in row.iter().zip(widths) {
            l.push_str(&format!("{cell:<w$}  "));
        }
        format!("{}\n", l.trim_end())
    };
    let mut out = String::new();
    for (i, (title, rows)) in tables.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{title}\n\n"));
        out.push_str(&line(&header));
        for row in rows {
            out.push_str(&line(row));
        }
    }
    out
}

/// Every rule as a JSON array of `{pack, code, name, severity, checklist, fixable, summary}`.
pub fn json(packs: &[RulePack], level: Level<'_>) -> String {
    let list: Vec<serde_json::Value> = every_rule(packs)
        .map(|r| {
            serde_json::json!({
                "pack": r.pack.map(|p| p.id.as_str()), "code": r.code, "name": r.name,
                "severity": level(r.code, r.name, r.severity),
                "checklist": r.checklist, "fixable": r.fixable, "summary": r.docs.summary,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
    out.push('\n');
    out
}
