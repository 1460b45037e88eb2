//! A secret found in a spec never reaches the output: not in messages, not in the source
//! excerpts of any finding on its line (whichever rule reported it), in no output format.

use crate::support;

use clap::ValueEnum;
use spec_check::render::{Format, RenderContext, RepoPaths, render};
use spec_check::report::FailOn;

/// Fabricated for this test; the tails below must not appear anywhere in the output.
const STRIPE: &str = "sk_live_4Qz8RmT2vXb7NcK1pLw9HdYe";
const AWS: &str = "AKIAQ3HV8NW5TKR2ZPLM";
const PASSWORD: &str = "Hb6tW3qYx9KmR2vLp7";

fn spec() -> String {
    format!(
        "# Acme Technical Specification\n\n\
         ## 13. Service Integration Specifications\n\n\
         ### 13.2 Environment Variables & Configuration\n\n\
         ```env\n\
         STRIPE_SECRET_KEY={STRIPE}\n\
         AWS_ACCESS_KEY_ID={AWS}\n\
         LOG_LEVEL=\n\
         ```\n\n\
         Production database: postgresql://app:{PASSWORD}@db.prod.internal:5432/app TODO rotate\n"
    )
}

#[test]
fn no_format_shows_a_secret() {
    let packs = support::packs();
    let text = spec();
    let report = support::check_text(
        &packs,
        "docs/06-technical-specification.md",
        &text,
        &support::complete_project(),
    );
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    for code in ["SECRET001", "SECRET002", "SC008"] {
        assert!(codes.contains(&code), "{code} should fire: {codes:?}");
    }
    let paths = RepoPaths::default();
    for format in Format::value_variants() {
        for color in [false, true] {
            let ctx = RenderContext {
                packs: &packs,
                color,
                fail_on: FailOn::default(),
                scorecard: true,
                paths: &paths,
                job_summary: true,
                fixed: None,
                unsafe_fixes: false,
            };
            let out = render(*format, &report, &ctx);
            for secret in [STRIPE, AWS, PASSWORD] {
                // everything after the 4 characters a reader may see
                let tail = &secret[4..];
                assert!(
                    !out.contains(tail),
                    "{format:?} (color {color}) shows `{secret}`:\n{out}"
                );
            }
        }
    }
}

#[test]
fn human_output_shows_which_value_it_was() {
    let packs = support::packs();
    let text = spec();
    let report = support::check_text(
        &packs,
        "docs/06-technical-specification.md",
        &text,
        &support::complete_project(),
    );
    let paths = RepoPaths::default();
    let ctx = RenderContext {
        packs: &packs,
        color: false,
        fail_on: FailOn::default(),
        scorecard: false,
        paths: &paths,
        job_summary: true,
        fixed: None,
        unsafe_fixes: false,
    };
    let out = render(Format::Human, &report, &ctx);
    assert!(out.contains("Stripe secret key `sk_l…`"), "{out}");
    assert!(
        out.contains("STRIPE_SECRET_KEY=sk_l****"),
        "the excerpt keeps the first characters:\n{out}"
    );
    assert!(
        out.contains("app:Hb6t**************@db"),
        "other findings' excerpts are masked too:\n{out}"
    );
}
