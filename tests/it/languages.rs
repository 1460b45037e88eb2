//! Specifications in other languages: a short spec per language in tests/cases/languages/
//! (`<lang>.md`), with the template's 13 sections under the titles a writer of that
//! language would use, and the defects seeded into it (`<lang>.toml`: one mutation per
//! checklist item, applied one at a time). Each spec is recognised whole (no SC001), and
//! each seeded defect must raise a finding of its rule and checklist item that the unchanged
//! spec does not have — as in the English spec, `en.md`, that they all translate.
//!
//! The snapshot per language holds the unchanged spec's findings and, per mutation,
//! whether it was found; the last test snapshots the detection rate of every language
//! against English.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use serde::Deserialize;
use spec_check::report::Report;

use crate::support;

const LANGUAGES: &[&str] = &["en", "es", "pt", "de", "fr", "zh", "ja", "id", "vi"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mutations {
    mutation: Vec<Mutation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Mutation {
    item: String,
    rule: String,
    what: String,
    /// Delete the top-level section with this number, up to the next one.
    delete_section: Option<String>,
    find: Option<String>,
    replace: Option<String>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases/languages")
}

fn check(text: &str) -> Report {
    static PACKS: std::sync::LazyLock<Vec<spec_check::pack::RulePack>> =
        std::sync::LazyLock::new(support::packs);
    support::check_text(
        &PACKS,
        "docs/06-technical-specification.md",
        text,
        &support::complete_project(),
    )
}

/// `text` with the mutation applied; panics when its anchor is not there exactly once.
fn apply(text: &str, m: &Mutation, lang: &str) -> String {
    if let Some(n) = &m.delete_section {
        let start = text
            .find(&format!("\n## {n}. "))
            .unwrap_or_else(|| panic!("{lang}: no section `## {n}.`"));
        let end = text[start + 1..]
            .find("\n## ")
            .map_or(text.len(), |e| start + 1 + e);
        return format!("{}{}", &text[..start], &text[end..]);
    }
    let find = m.find.as_deref().expect("find or delete-section");
    assert_eq!(
        text.matches(find).count(),
        1,
        "{lang}: `{find}` must occur exactly once ({})",
        m.what
    );
    text.replacen(find, m.replace.as_deref().unwrap_or(""), 1)
}

fn count(report: &Report, rule: &str, item: &str) -> usize {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == rule && d.checklist.as_deref() == Some(item))
        .count()
}

/// (what, rule, found) per mutation, and the unchanged spec's findings.
fn run(lang: &str) -> (Vec<(String, String, bool)>, Report) {
    let text = std::fs::read_to_string(dir().join(format!("{lang}.md"))).unwrap();
    let toml_text = std::fs::read_to_string(dir().join(format!("{lang}.toml"))).unwrap();
    let muts: Mutations = toml::from_str(&toml_text).unwrap();
    let base = check(&text);
    let results = muts
        .mutation
        .iter()
        .map(|m| {
            let mutated = check(&apply(&text, m, lang));
            let found = count(&mutated, &m.rule, &m.item) > count(&base, &m.rule, &m.item);
            (m.what.clone(), m.rule.clone(), found)
        })
        .collect();
    (results, base)
}

fn snapshot_for(lang: &str) -> String {
    let (results, base) = run(lang);
    let missing: Vec<&str> = base
        .diagnostics
        .iter()
        .filter(|d| d.code == "SC001")
        .map(|d| d.finding.message.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "{lang}: sections not recognised: {missing:?}"
    );
    let mut out = String::from("seeded defects:\n");
    for (what, rule, found) in &results {
        let _ = writeln!(
            out,
            "  {} {rule:<8} {what}",
            if *found { "found  " } else { "MISSED " }
        );
    }
    out.push_str("\nfindings on the unchanged spec:\n");
    let diags: Vec<_> = base.diagnostics.iter().collect();
    out.push_str(&support::render(&diags));
    out
}

macro_rules! language_case {
    ($name:ident, $lang:literal) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(concat!("language_", $lang), snapshot_for($lang));
        }
    };
}

language_case!(english_spec, "en");
language_case!(spanish_spec, "es");
language_case!(portuguese_spec, "pt");
language_case!(german_spec, "de");
language_case!(french_spec, "fr");
language_case!(chinese_spec, "zh");
language_case!(japanese_spec, "ja");
language_case!(indonesian_spec, "id");
language_case!(vietnamese_spec, "vi");

/// The share of seeded defects found per language, next to English's.
#[test]
fn detection_rate_per_language() {
    let mut rates = BTreeMap::new();
    for lang in LANGUAGES {
        let (results, _) = run(lang);
        let found = results.iter().filter(|r| r.2).count();
        rates.insert(*lang, (found, results.len()));
    }
    let mut out = String::new();
    for lang in LANGUAGES {
        if let Some((found, total)) = rates.get(lang) {
            let _ = writeln!(
                out,
                "{lang}: {found}/{total} ({:.0} %)",
                100.0 * *found as f64 / *total as f64
            );
        }
    }
    insta::assert_snapshot!(out);
}

/// A Polish spec: the pack has no Polish titles, so most sections are not recognised until
/// `[sections.<id>] extend-aliases` in spec-check.toml maps them, as the README shows.
const POLISH: &str = "# Okruszek — specyfikacja techniczna

## 1. Podsumowanie
Okruszek pozwala klientom osiedlowej piekarni zamawiać chleb przez internet dzień wcześniej.

## 2. Architektura systemu
Jeden serwis Fastify obsługuje stronę i API, a proces w tle wysyła e-maile z kolejki w PostgreSQL.

## 3. Opis modułów
Klient wybiera produkty i godzinę odbioru, płaci online i dostaje potwierdzenie e-mailem.

## 4. Interfejs programistyczny
Bazowy adres `/api/v1`, treści w JSON, token bearer w nagłówku `Authorization`.

## 5. Projekt bazy danych
PostgreSQL 16, ponieważ zamówienia, terminy i płatności zmieniają się razem w jednej transakcji.

## 6. Bezpieczeństwo
Logowanie bez hasła przez magic link, dwie role, TLS 1.3 na wszystkich połączeniach.

## 7. Wydajność
Czas odpowiedzi API: p95 < 300 ms; dostępność 99,9 % w miesiącu.

## 8. Strategia testów
Testy jednostkowe w Vitest, integracyjne z Supertest, end-to-end w Playwright i obciążeniowe w k6.

## 9. Wdrożenie
GitHub Actions buduje i testuje każdy pull request; `main` trafia na staging, a po akceptacji na produkcję.

## 10. Proces wytwarzania
Trunk-based development z krótkimi gałęziami; każdy pull request wymaga jednej recenzji.

## 11. Zespół
Dwóch programistów full-stack i projektantka; właścicielka piekarni zatwierdza każde wydanie.

## 12. Zarządzanie ryzykiem
Awaria Stripe: zamówienia czekają jako nieopłacone, a klient płaci przy odbiorze.

## 13. Usługi zewnętrzne
Stripe do płatności i Postmark do e-maili, z kluczami w sekretach Fly.io.
";

const POLISH_CONFIG: &str = r#"
[sections.executive-summary]
extend-aliases = ["Podsumowanie"]
[sections.system-architecture]
extend-aliases = ["Architektura systemu"]
[sections.components]
extend-aliases = ["Opis modułów"]
[sections.api]
extend-aliases = ["Interfejs programistyczny"]
[sections.database]
extend-aliases = ["Projekt bazy danych"]
[sections.security]
extend-aliases = ["Bezpieczeństwo"]
[sections.performance]
extend-aliases = ["Wydajność"]
[sections.testing]
extend-aliases = ["Strategia testów"]
[sections.deployment]
extend-aliases = ["Wdrożenie"]
[sections.workflow]
extend-aliases = ["Proces wytwarzania"]
[sections.team]
extend-aliases = ["Zespół"]
[sections.risks]
extend-aliases = ["Zarządzanie ryzykiem"]
[sections.services]
extend-aliases = ["Usługi zewnętrzne"]
"#;

fn missing_sections(dir: &std::path::Path) -> Vec<String> {
    let out = assert_cmd::Command::cargo_bin("spec-check")
        .expect("binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", "--format", "concise", "--select", "SC001"])
        .output()
        .expect("runs");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .filter(|l| l.contains("SC001"))
        .map(String::from)
        .collect()
}

#[test]
fn aliases_in_the_configuration_teach_a_new_language() {
    let dir = support::project(POLISH);
    assert!(
        !missing_sections(dir.path()).is_empty(),
        "Polish titles are not in the pack: something must say the sections were not recognised"
    );
    std::fs::write(dir.path().join("spec-check.toml"), POLISH_CONFIG).unwrap();
    assert_eq!(missing_sections(dir.path()), Vec::<String>::new());
}
