//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it (upload-sarif).
//!
//! One run; `tool.driver.rules` lists every rule of the run's packs with its documentation,
//! results point at them by `ruleId` and `ruleIndex`. Paths are relative to the repository
//! root under `uriBaseId` `SRCROOT`; columns count Unicode code points (`columnKind`), as
//! every spec-check format does. Each result carries a `partialFingerprints` entry that stays
//! the same while the lines under the finding are unchanged (see `fingerprint.rs`).

use serde_json::{Value, json};

use super::{RenderContext, fingerprints, help_uri};
use crate::diagnostic::{Diagnostic, Position, Severity};
use crate::pack::{RuleInfo, every_rule};
use crate::report::Report;

/// The `partialFingerprints` key; bump the version if the fingerprint recipe changes.
pub const FINGERPRINT_KEY: &str = "specCheck/v1";

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let every: Vec<RuleInfo<'_>> = every_rule(ctx.packs).collect();
    let rules: Vec<Value> = every
        .iter()
        .map(|rule| {
            let d = rule.docs;
            let tags: Vec<&str> = match rule.pack {
                Some(pack) => ["spec-check", pack.id.as_str()]
                    .into_iter()
                    .chain(rule.checklist)
                    .collect(),
                None => vec!["spec-check", "suppression"],
            };
            let mut r = json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": d.summary.trim() },
                "fullDescription": { "text": d.what.trim() },
                "help": {
                    "text": format!("{}\n\nWhy: {}", d.what.trim(), d.why.trim()),
                    "markdown": super::rule_doc(rule),
                },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "tags": tags },
            });
            if let Some(uri) = help_uri(rule) {
                r["helpUri"] = Value::from(uri);
            }
            r
        })
        .collect();
    let rule_index = |code: &str| every.iter().position(|r| r.code == code);
    let fingerprints = fingerprints(report);
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .zip(&fingerprints)
        .map(|(d, fp)| result(d, fp, rule_index(&d.code), ctx))
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": { "text": e.message },
                "locations": [{ "physicalLocation": { "artifactLocation": {
                    "uri": ctx.paths.uri(&e.path), "uriBaseId": "SRCROOT" } } }],
            })
        })
        .collect();
    let driver = json!({
        "name": "spec-check",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": env!("CARGO_PKG_REPOSITORY"),
        "rules": rules,
    });
    let sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    s.push('\n');
    s
}

fn region(start: Position, end: Position) -> Value {
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn result(d: &Diagnostic, fingerprint: &str, index: Option<usize>, ctx: &RenderContext) -> Value {
    let uri = ctx.paths.uri(&d.path);
    let location = |start: Position, end: Position| {
        json!({
            "artifactLocation": { "uri": uri, "uriBaseId": "SRCROOT" },
            "region": region(start, end),
        })
    };
    let mut text = d.message().to_string();
    if let Some(help) = d.help() {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut r = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": location(d.start, d.end) }],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
    });
    if let Some(i) = index {
        r["ruleIndex"] = Value::from(i);
    }
    if !d.related.is_empty() {
        r["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                json!({
                    "id": i + 1,
                    "physicalLocation": location(rel.start, rel.end),
                    "message": { "text": rel.message },
                })
            })
            .collect();
    }
    if let Some(item) = &d.checklist {
        r["properties"] = json!({ "checklist": item });
    }
    r
}
