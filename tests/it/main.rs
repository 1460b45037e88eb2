//! The integration tests, as one test binary (one link step instead of one per file).
//! Fixtures stay where they were: tests/cases, tests/fixes, tests/formats, tests/packs ….

mod gitrepo;
mod support;
mod validators;

mod action;
mod api_database_corpus;
mod bad_inputs;
mod cases;
mod checklist_corpus;
mod cli;
mod cli_outputs;
mod comforts;
mod config;
mod corpus;
mod examples;
mod fix;
mod fix_cli;
mod gate;
mod git_cli;
mod git_hook;
mod git_source;
mod judged;
mod languages;
mod packs;
mod properties;
mod release;
mod render_formats;
mod rule_examples;
mod rule_help;
mod rules_page;
mod schema_json_fixes;
mod scorecard;
mod secret_redaction;
mod server;
mod services_hygiene_corpus;
mod suppress;
