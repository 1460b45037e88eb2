//! `spec-check rules`: every rule of the configured packs and the engine, as an aligned
//! table or as JSON, each at the severity the configuration gives it (`off` when disabled).
//! The markdown reference (`--format markdown`) is [`super::rules_page`].

use crate::diagnostic::Severity;
use crate::pack::RulePack;
use crate::suppress;

/// A rule's configured level by code, name and default severity: a severity or `off`.
pub type Level<'a> = &'a dyn Fn(&str, &str, Severity) -> &'static str;

/// One table per pack, then the engine's rules (at `engine`'s levels); columns as wide as
/// their widest cell across every table.
pub fn table(packs: &[RulePack], level: Level<'_>, engine: suppress::Options) -> String {
    let mut tables: Vec<(String, Vec<[String; 5]>)> = Vec::new();
    for pack in packs {
        let rows = pack
            .rules
            .iter()
            .map(|r| {
                [
                    r.code.clone(),
                    r.name.clone(),
                    level(&r.code, &r.name, r.severity).to_string(),
                    r.checklist.clone().unwrap_or_else(|| "-".into()),
                    if r.fixable() { "yes" } else { "" }.to_string(),
                ]
            })
            .collect();
        tables.push((
            format!("{} {} — {}", pack.id, pack.version, pack.name),
            rows,
        ));
    }
    let rows = [
        (&suppress::UNUSED, engine.unused, "yes"),
        (&suppress::MISSING_REASON, engine.missing_reason, ""),
    ]
    .into_iter()
    .map(|(r, sev, fix)| {
        [
            r.code.to_string(),
            r.name.to_string(),
            sev.map_or("off", |s| s.as_str()).to_string(),
            "-".to_string(),
            fix.to_string(),
        ]
    })
    .collect();
    tables.push(("engine — suppression comments".to_string(), rows));
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
    let mut list: Vec<serde_json::Value> = packs
        .iter()
        .flat_map(|p| {
            p.rules.iter().map(|r| {
                serde_json::json!({
                    "pack": p.id, "code": r.code, "name": r.name,
                    "severity": level(&r.code, &r.name, r.severity),
                    "checklist": r.checklist, "fixable": r.fixable(), "summary": r.docs.summary,
                })
            })
        })
        .collect();
    for r in suppress::RULES {
        list.push(serde_json::json!({
            "pack": null, "code": r.code, "name": r.name,
            "severity": level(r.code, r.name, r.severity),
            "checklist": null, "fixable": r.code == suppress::UNUSED.code, "summary": r.summary,
        }));
    }
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
    out.push('\n');
    out
}
