//! Accuracy against human verdicts: `../shared/corpus/real/JUDGED.tsv` holds every finding
//! spec-check 0.1.0 reported on six real specifications, each judged `TP` (a real shortcoming,
//! accurately described), `FP` (wrong) or `DEB` (debatable) by a reviewer.
//!
//! For the rules in [`IN_SCOPE`] this test asserts that every FP is no longer reported and every
//! TP still is. A verdict we disagree with, or a TP that is now reported as part of another
//! finding, goes to `tests/judged-allow.tsv` with a one-line reason. For every rule it prints
//! the tally (`cargo test --test it judged -- --nocapture`), and the findings no reviewer has
//! judged yet, so that a change in accuracy is visible.
//!
//! Matching: a finding is "the same" as a judged one when it has the same code and line and
//! quotes the same first back-ticked name (`missing section \`5. Database Design\``). A TP
//! also counts as kept when a finding of its code quotes that name anywhere (one finding per
//! list that names the items) or spans its line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use spec_check::diagnostic::Diagnostic;

use crate::support;

/// The rules whose verdicts this test enforces. A rule joins when its FPs are gone and its TPs
/// are kept; it never leaves.
const IN_SCOPE: &[&str] = &[
    "AD001", "AD002", "API001", "API002", "API003", "API004", "CB007", "DB002", "DB004", "ENV006",
    "PERF005", "SC001", "SC002", "SC003", "SC004", "SC005", "SC006", "SC008", "SEC001", "TST003",
];

const ALLOW: &str = include_str!("../judged-allow.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    Tp,
    Fp,
    Deb,
}

#[derive(Debug)]
struct Judged {
    slug: String,
    code: String,
    line: usize,
    verdict: Verdict,
    reason: String,
    message: String,
}

impl Judged {
    fn name(&self) -> Option<&str> {
        first_quoted(&self.message)
    }
}

/// The first back-ticked name of a message, if any.
fn first_quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn read_judged(path: &Path) -> Vec<Judged> {
    let text = std::fs::read_to_string(path).expect("JUDGED.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 6, "JUDGED.tsv: 6 columns expected in {line:?}");
            Judged {
                slug: cols[0].to_owned(),
                code: cols[1].to_owned(),
                line: cols[2].parse().expect("line number"),
                verdict: match cols[3] {
                    "TP" => Verdict::Tp,
                    "FP" => Verdict::Fp,
                    "DEB" => Verdict::Deb,
                    other => panic!("unknown verdict {other:?}"),
                },
                reason: cols[4].to_owned(),
                message: cols[5].to_owned(),
            }
        })
        .collect()
}

/// `slug \t code \t line \t name-or-empty \t reason` rows: verdicts we disagree with, or TPs
/// now reported as part of another finding.
fn allowed() -> Vec<(String, String, usize, String)> {
    ALLOW
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                cols.len(),
                5,
                "tests/judged-allow.tsv: slug, code, line, name, reason expected in {line:?}"
            );
            assert!(
                !cols[4].trim().is_empty(),
                "tests/judged-allow.tsv: every entry needs a reason: {line:?}"
            );
            (
                cols[0].to_owned(),
                cols[1].to_owned(),
                cols[2].parse().expect("line number"),
                cols[3].to_owned(),
            )
        })
        .collect()
}

/// Same code, same line, same first quoted name.
fn same(j: &Judged, d: &Diagnostic) -> bool {
    d.code == j.code && d.start.line == j.line && j.name().is_none_or(|n| d.message().contains(n))
}

/// Still reported, possibly as part of a finding that names several items or spans the line.
fn kept(j: &Judged, d: &Diagnostic) -> bool {
    if d.code != j.code {
        return false;
    }
    same(j, d)
        || (j.name().is_none() && d.start.line <= j.line && j.line <= d.end.line)
        || j.name()
            .is_some_and(|n| d.message().contains(&format!("`{n}`")))
}

#[derive(Default)]
struct Tally {
    tp_kept: usize,
    tp_lost: usize,
    fp_gone: usize,
    fp_left: usize,
    deb_left: usize,
    deb_gone: usize,
    unjudged: usize,
}

#[test]
fn judged_findings_on_real_specifications() {
    let Some(corpus) = support::corpus() else {
        eprintln!("../shared/corpus not found: skipped");
        return;
    };
    let real = corpus.join("real");
    let judged = read_judged(&real.join("JUDGED.tsv"));
    let allow = allowed();
    let packs = support::packs();

    let mut by_slug: BTreeMap<&str, Vec<&Judged>> = BTreeMap::new();
    for j in &judged {
        by_slug.entry(j.slug.as_str()).or_default().push(j);
    }

    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = String::new();
    let mut unjudged = String::new();
    for (slug, rows) in &by_slug {
        let path = real.join(slug).join("docs/06-technical-specification.md");
        let text = std::fs::read_to_string(&path).expect("judged document");
        let report = support::check_text(
            &packs,
            path.to_str().expect("UTF-8 path"),
            &text,
            &spec_check::source::fs::FsWorkspace,
        );
        let diags: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| !d.code.starts_with("PR"))
            .collect();

        for j in rows {
            let t = tally.entry(j.code.clone()).or_default();
            let is_allowed = allow.iter().any(|(s, c, l, n)| {
                s == slug && *c == j.code && *l == j.line && n == j.name().unwrap_or("")
            });
            let enforced = IN_SCOPE.contains(&j.code.as_str()) && !is_allowed;
            match j.verdict {
                Verdict::Fp => {
                    if let Some(d) = diags.iter().find(|d| same(j, d)) {
                        t.fp_left += 1;
                        if enforced {
                            let _ = writeln!(
                                failures,
                                "FP still reported: {slug}:{} {} {}\n    reviewer: {}",
                                d.start.line,
                                d.code,
                                d.message(),
                                j.reason
                            );
                        }
                    } else {
                        t.fp_gone += 1;
                    }
                }
                Verdict::Tp => {
                    if diags.iter().any(|d| kept(j, d)) {
                        t.tp_kept += 1;
                    } else {
                        t.tp_lost += 1;
                        if enforced {
                            let _ = writeln!(
                                failures,
                                "TP no longer reported: {slug}:{} {} {}\n    reviewer: {}",
                                j.line, j.code, j.message, j.reason
                            );
                        }
                    }
                }
                Verdict::Deb => {
                    if diags.iter().any(|d| same(j, d)) {
                        t.deb_left += 1;
                    } else {
                        t.deb_gone += 1;
                    }
                }
            }
        }

        for d in &diags {
            if !rows
                .iter()
                .any(|j| same(j, d) || (j.verdict == Verdict::Tp && kept(j, d)))
            {
                tally.entry(d.code.clone()).or_default().unjudged += 1;
                let _ = writeln!(
                    unjudged,
                    "  {slug}:{} {} [{}] {}",
                    d.start.line,
                    d.code,
                    d.severity,
                    d.message()
                );
            }
        }
    }

    let mut table = String::from(
        "rule      TP kept/all  FP gone/all  DEB left/all  unjudged  precision(judged)\n",
    );
    let (mut tp, mut fp) = (0, 0);
    for (code, t) in &tally {
        let decided = t.tp_kept + t.fp_left;
        tp += t.tp_kept;
        fp += t.fp_left;
        let precision = if decided == 0 {
            "-".to_owned()
        } else {
            format!("{:.2}", t.tp_kept as f64 / decided as f64)
        };
        let _ = writeln!(
            table,
            "{code:<9} {:>5}/{:<5}  {:>5}/{:<5}  {:>6}/{:<5}  {:>8}  {precision}{}",
            t.tp_kept,
            t.tp_kept + t.tp_lost,
            t.fp_gone,
            t.fp_gone + t.fp_left,
            t.deb_left,
            t.deb_left + t.deb_gone,
            t.unjudged,
            if IN_SCOPE.contains(&code.as_str()) {
                "  (enforced)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        table,
        "all judged: {tp} TP kept, {fp} FP left: precision {:.2}",
        tp as f64 / (tp + fp).max(1) as f64
    );
    eprintln!("{table}");
    if !unjudged.is_empty() {
        eprintln!("findings no reviewer has judged (read them as a reviewer would):\n{unjudged}");
    }
    assert!(
        failures.is_empty(),
        "verdicts of JUDGED.tsv broken for enforced rules (fix the rule, or add a row with a \
         reason to tests/judged-allow.tsv):\n{failures}"
    );
}
