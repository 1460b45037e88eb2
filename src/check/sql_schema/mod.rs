//! `sql-schema`: the database schema the document declares is sound. The SQL of every
//! ```` ```sql ```` block (database section and component specs alike) is parsed once into a
//! [`Schema`]; the `report` parameter picks the aspect a rule reports:
//!
//! - `syntax`: a statement that parses in none of PostgreSQL, MySQL and generic SQL.
//! - `primary-key`: a table without a primary key.
//! - `foreign-key-index`: a foreign-key column that leads no index.
//! - `timestamps`: a table with no creation or modification timestamp.
//! - `optimization`: the database section says nothing of indexes or query strategy.
//! - `models`: a table or model the component specs name that the database section lacks.
//!
//! Documents whose schemas are not SQL (Prisma, ORM models, JSON schema) are recognised:
//! the SQL rules do not apply to them, the section-level ones still do.

mod schema;

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Applicability, Check, CompileError, Context, Edit, Finding, Fix, known_scope};
use crate::document::Document;
use crate::language::{LangPattern, Vocabulary};
use crate::outline::Template;
use schema::{Schema, Table};

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    Syntax,
    PrimaryKey,
    ForeignKeyIndex,
    Timestamps,
    Optimization,
    Models,
    UndefinedReference,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    report: Aspect,
    /// The database design section.
    #[serde(default = "default_database")]
    database: String,
    /// Its optimisation subsection.
    #[serde(default = "default_optimization")]
    optimization: String,
    /// The component specifications, whose models must exist in `database`.
    #[serde(default = "default_components")]
    components: String,
    /// `optimization`: words naming indexes (`index`, `índice`, `索引`); entries with a `lang`
    /// apply to documents in that language. The built-in pack sets the vocabularies in
    /// `[defaults.sql-schema]`.
    #[serde(default)]
    index_words: Vec<LangPattern>,
    /// `optimization`: words naming a query strategy (EXPLAIN, pooling, replicas, partitions).
    #[serde(default)]
    query_words: Vec<LangPattern>,
    /// `optimization`: more strategy words that count in the optimisation subsection only
    /// (caching: a caching layer alone is not a plan for the database).
    #[serde(default)]
    strategy_words: Vec<LangPattern>,
}

fn default_database() -> String {
    "database".into()
}
fn default_optimization() -> String {
    "database.optimization".into()
}
fn default_components() -> String {
    "components".into()
}

#[derive(Debug)]
pub struct SqlSchema {
    report: Aspect,
    database: Vec<String>,
    optimization: Vec<String>,
    components: Vec<String>,
    index_words: Vocabulary,
    query_words: Vocabulary,
    strategy_words: Vocabulary,
}

impl SqlSchema {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        if p.report == Aspect::Optimization
            && (p.index_words.is_empty() || p.query_words.is_empty())
        {
            return Err(CompileError::Params(
                "`report = \"optimization\"` needs `index-words` and `query-words`".into(),
            ));
        }
        let ids = |s: String| vec![s];
        let (database, optimization, components) =
            (ids(p.database), ids(p.optimization), ids(p.components));
        if !template.is_empty() {
            known_scope(&database, template)?;
            known_scope(&optimization, template)?;
            known_scope(&components, template)?;
        }
        Ok(SqlSchema {
            report: p.report,
            database,
            optimization,
            components,
            index_words: Vocabulary::new(&p.index_words)?,
            query_words: Vocabulary::new(&p.query_words)?,
            strategy_words: Vocabulary::new(&p.strategy_words)?,
        })
    }
}

impl Check for SqlSchema {
    fn fixable(&self) -> bool {
        self.report == Aspect::ForeignKeyIndex
    }

    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let schema = doc.memo(|| Schema::from_document(doc));
        match self.report {
            Aspect::Syntax => {
                for e in &schema.errors {
                    out.push(
                        Finding::new(e.span.clone(), format!("SQL does not parse: {}", e.message))
                            .with_help(
                                "fix the statement so your database accepts it (spec-check reads \
                                 PostgreSQL, MySQL and standard SQL); a missing or extra comma \
                                 between column definitions is the usual cause",
                            ),
                    );
                }
                schema.sql_blocks > 0
            }
            Aspect::PrimaryKey => primary_keys(&schema, out),
            Aspect::ForeignKeyIndex => foreign_key_indexes(doc, &schema, out),
            Aspect::Timestamps => timestamps(&schema, out),
            Aspect::Optimization => self.optimization(doc, ctx, &schema, out),
            Aspect::Models => self.models(doc, ctx, &schema, out),
            Aspect::UndefinedReference => undefined_references(&schema, out),
        }
    }
}

/// Foreign keys whose table no SQL block of the document creates. A table of another schema
/// (`auth.users` of Supabase) lives outside the document; documents that also describe
/// tables another way (Prisma, ORM models) are not judged.
fn undefined_references(schema: &Schema, out: &mut Vec<Finding>) -> bool {
    if schema.tables.is_empty() || schema.non_sql_blocks > 0 {
        return false;
    }
    let mut seen = HashSet::new();
    for t in &schema.tables {
        for fk in &t.foreign_keys {
            let external = fk
                .references_schema
                .as_deref()
                .is_some_and(|s| s != "public");
            if external || schema.has_table(&fk.references) || !seen.insert(&fk.references) {
                continue;
            }
            out.push(
                Finding::new(
                    fk.span.clone(),
                    format!(
                        "foreign key `{}.{}` references `{}`, a table no SQL block defines",
                        t.name,
                        fk.columns.join(", "),
                        fk.references
                    ),
                )
                .with_help(format!(
                    "add the `CREATE TABLE {}` statement to the data models, or correct the name",
                    fk.references
                )),
            );
        }
    }
    true
}

fn primary_keys(schema: &Schema, out: &mut Vec<Finding>) -> bool {
    for t in schema.canonical_tables() {
        if t.primary_key
            || t.derived
            || t.partitioned
            || schema.hypertables.contains(&t.name)
            || schema.primary_keys_added.contains(&t.name)
            || has_candidate_key(t)
        {
            continue;
        }
        out.push(
            Finding::new(
                t.span.clone(),
                format!("table `{}` has no primary key", t.name),
            )
            .with_help(
                "add one — `id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY`, a UUID key, or \
                 `PRIMARY KEY (a_id, b_id)` for a join table: without it rows cannot be updated, \
                 deleted, referenced or replicated reliably",
            ),
        );
    }
    !schema.tables.is_empty()
}

/// A UNIQUE key over NOT NULL columns identifies rows as well as a primary key
/// (join tables often declare their pair this way).
fn has_candidate_key(t: &Table) -> bool {
    t.keys.iter().any(|k| {
        !k.is_empty()
            && k.iter()
                .all(|c| t.columns.iter().any(|col| &col.name == c && col.not_null))
            && t.foreign_keys
                .iter()
                .filter(|f| k.contains(&f.columns[0]))
                .count()
                >= 2
    })
}

fn foreign_key_indexes(doc: &Document, schema: &Schema, out: &mut Vec<Finding>) -> bool {
    let mentioned = IndexMentions::from_prose(doc);
    let mut applies = false;
    for t in schema.canonical_tables() {
        if t.mysql || t.derived {
            // InnoDB creates an index for every foreign key itself
            continue;
        }
        applies = true;
        for fk in &t.foreign_keys {
            let leads = |cols: &[String]| {
                cols.len() >= fk.columns.len()
                    && fk
                        .columns
                        .iter()
                        .all(|c| cols[..fk.columns.len()].contains(c))
            };
            let indexed = t.keys.iter().any(|k| leads(k))
                || schema
                    .indexes_by_table
                    .get(&t.name)
                    .is_some_and(|all| all.iter().any(|cols| leads(cols)))
                || mentioned.covers(&t.name, &fk.columns[0]);
            if indexed {
                continue;
            }
            let cols = fk.columns.join(", ");
            let index_name = format!("idx_{}_{}", t.name, fk.columns.join("_"));
            out.push(
                Finding::new(
                    fk.span.clone(),
                    format!(
                        "foreign key `{}.{cols}` (→ `{}`) has no index",
                        t.name, fk.references
                    ),
                )
                .with_help(format!(
                    "add `CREATE INDEX {index_name} ON {} ({cols});` or make it the first column of \
                     an existing index: PostgreSQL does not index foreign keys itself, so joins \
                     on it and deletes from `{}` scan the whole table",
                    t.name, fk.references
                ))
                .with_fix(Fix::new(
                    format!("add `CREATE INDEX {index_name}` after the table"),
                    // a design decision (a composite index may serve better): applied only
                    // with --unsafe-fixes
                    Applicability::Unsafe,
                    vec![Edit::insert(
                        t.statement_end,
                        format!(
                            "{nl}{}CREATE INDEX {index_name} ON {} ({cols});",
                            t.indent,
                            t.name,
                            nl = doc.newline()
                        ),
                    )],
                )),
            );
        }
    }
    applies
}

/// Indexes named in prose ("index on invoices(customer_id)", "`payments(invoice_id)` index",
/// "composite index `(workspace_id, status)`").
struct IndexMentions {
    /// (table, leading column)
    qualified: HashSet<(String, String)>,
    /// Leading columns named without a table.
    bare: HashSet<String>,
}

impl IndexMentions {
    fn from_prose(doc: &Document) -> IndexMentions {
        static INDEX: LazyLock<Regex> =
            LazyLock::new(|| crate::check::quick_regex(r"(?i)\bindex").expect("valid regex"));
        static TABLE_COLS: LazyLock<Regex> = LazyLock::new(|| {
            crate::check::quick_regex(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)")
                .expect("valid regex")
        });
        static DOTTED: LazyLock<Regex> = LazyLock::new(|| {
            crate::check::quick_regex(r"\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b")
                .expect("valid regex")
        });
        static BARE: LazyLock<Regex> = LazyLock::new(|| {
            crate::check::quick_regex(r"(?:\(\s*`?|`)([a-z_][a-z0-9_]*)`?\s*[,)`]")
                .expect("valid regex")
        });
        let mut m = IndexMentions {
            qualified: HashSet::new(),
            bare: HashSet::new(),
        };
        for (_, line) in prose_lines(doc, 0..doc.text.len()) {
            if !INDEX.is_match(line) {
                continue;
            }
            for c in TABLE_COLS.captures_iter(line) {
                m.qualified
                    .insert((c[1].to_lowercase(), c[2].to_lowercase()));
            }
            for c in DOTTED.captures_iter(line) {
                m.qualified.insert((c[1].to_string(), c[2].to_string()));
            }
            for c in BARE.captures_iter(line) {
                // `(col, …)` names a column only when no table precedes the parenthesis
                let whole = c.get(0).expect("match");
                let before = line[..whole.start()].trim_end();
                if whole.as_str().starts_with('(')
                    && before.ends_with(|ch: char| ch.is_alphanumeric() || ch == '_' || ch == '`')
                {
                    continue;
                }
                m.bare.insert(c[1].to_string());
            }
        }
        m
    }

    fn covers(&self, table: &str, column: &str) -> bool {
        self.bare.contains(column)
            || self
                .qualified
                .contains(&(table.to_string(), column.to_string()))
    }
}

/// The lines of `range` outside code blocks, with their byte offsets: one pass, no rescans.
fn prose_lines(doc: &Document, range: Range<usize>) -> impl Iterator<Item = (usize, &str)> {
    let mut blocks = doc.code_blocks.iter().map(|b| b.span.clone()).peekable();
    let mut pos = range.start;
    doc.slice(&range)
        .split_inclusive('\n')
        .filter_map(move |line| {
            let start = pos;
            pos += line.len();
            while blocks.peek().is_some_and(|b| b.end <= start) {
                blocks.next();
            }
            let inside = blocks
                .peek()
                .is_some_and(|b| b.start <= start && start < b.end);
            (!inside).then_some((start, line))
        })
}

const CREATED: &[&str] = &[
    "created_at",
    "createdat",
    "created",
    "created_on",
    "creation_date",
    "creation_time",
    "date_created",
    "inserted_at",
    "insertedat",
    "created_date",
    "create_time",
    "create_date",
    "created_time",
    "createdon",
];
const UPDATED: &[&str] = &[
    "updated_at",
    "updatedat",
    "updated",
    "updated_on",
    "modified_at",
    "modified",
    "modifiedat",
    "last_modified",
    "last_modified_at",
    "date_modified",
    "update_time",
    "updated_date",
    "modified_on",
    "lastmodified",
    "updatedon",
];

/// Required columns that record when the row's event happened, set as the row is written.
const WRITTEN_AT: &[&str] = &[
    "started_at",
    "sent_at",
    "received_at",
    "recorded_at",
    "logged_at",
    "occurred_at",
    "submitted_at",
    "issued_at",
    "captured_at",
    "requested_at",
    "triggered_at",
    "generated_at",
    "uploaded_at",
    "measured_at",
    "observed_at",
    "detected_at",
    "reported_at",
    "joined_at",
    "invited_at",
    "registered_at",
    "enqueued_at",
    "queued_at",
    "placed_at",
];

fn timestamps(schema: &Schema, out: &mut Vec<Finding>) -> bool {
    for t in schema.canonical_tables() {
        if t.derived
            || t.partitioned
            || schema.hypertables.contains(&t.name)
            || t.columns.is_empty()
        {
            continue;
        }
        let stamped = t.columns.iter().any(|c| {
            let n = c.name.as_str();
            CREATED.contains(&n)
                || UPDATED.contains(&n)
                || (c.temporal && c.defaults_to_now)
                // a required time of the event the row records (`started_at`, `sent_at …
                // NOT NULL`) is set when the row is written: it says when the row appeared.
                // Schedules (`opens_at`, `due_at`) do not.
                || (c.temporal && c.not_null && WRITTEN_AT.contains(&n))
        });
        // a pure join table: nothing but keys
        let join_table = t
            .columns
            .iter()
            .all(|c| c.name == "id" || t.foreign_keys.iter().any(|f| f.columns.contains(&c.name)));
        // a lookup table: `roles(id, name)`, `countries(code, name, currency)`
        let lookup = t.foreign_keys.is_empty() && t.columns.len() <= 3;
        if stamped || join_table || lookup {
            continue;
        }
        out.push(
            Finding::new(
                t.span.clone(),
                format!(
                    "table `{}` has no `created_at` / `updated_at` timestamp",
                    t.name
                ),
            )
            .with_help(
                "add `created_at` (and `updated_at` for rows that change), e.g. `created_at \
                 TIMESTAMPTZ NOT NULL DEFAULT now()`: support, audits, sync and data fixes all \
                 need to know when a row appeared; append-only tables need only `created_at`",
            ),
        );
    }
    schema.tables.iter().any(|t| !t.derived)
}

/// Whether a section is only a pointer to where the design is written (`See
/// DATABASE_SCHEMA.md for the complete schema`): a few words and a file name or link.
fn delegates(doc: &Document, body: &Range<usize>) -> bool {
    static FILE: LazyLock<Regex> = LazyLock::new(|| {
        crate::check::quick_regex(
            r"(?i)[\w./-]+\.(?:md|sql|prisma|dbml|ya?ml|json|html?)\b|\]\((?:\.{0,2}/)?[^)#\s][^)\s]*\)",
        )
        .expect("valid regex")
    });
    let text = doc.slice(body);
    let words = text.split_whitespace().count();
    words > 0 && words <= 40 && doc.code_blocks_in(body).next().is_none() && FILE.is_match(text)
}

impl SqlSchema {
    fn optimization(
        &self,
        doc: &Document,
        ctx: &Context<'_>,
        schema: &Schema,
        out: &mut Vec<Finding>,
    ) -> bool {
        let Some(k) = self.database.first().and_then(|id| ctx.outline.resolve(id)) else {
            return false;
        };
        let section = &doc.sections[k];
        let text = doc.slice(&section.body);
        if delegates(doc, &section.body) {
            // the design lives in another document (`See DATABASE_SCHEMA.md`)
            return false;
        }
        let lang = ctx.language;
        let names_indexes = |t: &str| self.index_words.is_match(t, lang);
        let names_queries = |t: &str| self.query_words.is_match(t, lang);
        let declared = !schema.indexes.is_empty()
            || schema
                .tables
                .iter()
                .any(|t| t.keys.len() > usize::from(t.primary_key));
        let no_indexes = !names_indexes(text) && !declared;
        let optimization = self
            .optimization
            .first()
            .and_then(|id| ctx.outline.resolve(id));
        let help_indexes = "name the indexes the main queries need (e.g. `index on \
                            invoices(customer_id, status)`) and the indexing strategy: which \
                            foreign keys, composite and partial indexes, full-text search";
        let help_strategy = "say how queries stay fast: indexes for the hot queries, how slow \
                             queries are found (EXPLAIN, slow-query log), connection pooling, read \
                             replicas, caching, archival of old data";
        match optimization {
            Some(k) => {
                if no_indexes {
                    out.push(
                        Finding::new(
                            section.heading.clone(),
                            format!("`{}` says nothing about indexes", section.title),
                        )
                        .with_help(help_indexes),
                    );
                }
                let sub = &doc.sections[k];
                let body = doc.slice(&sub.body);
                if !names_queries(body)
                    && !self.strategy_words.is_match(body, lang)
                    && !names_indexes(body)
                {
                    out.push(
                        Finding::new(
                            sub.heading.clone(),
                            format!("`{}` names no query or optimisation strategy", sub.title),
                        )
                        .with_help(help_strategy),
                    );
                }
            }
            None => {
                // no optimisation subsection (reported as missing elsewhere): the strategy
                // may still be written somewhere in the section
                let no_strategy = !names_queries(text);
                let what = match (no_indexes, no_strategy) {
                    (true, true) => "indexes or query strategy",
                    (true, false) => "indexes",
                    (false, true) => "query strategy",
                    (false, false) => return true,
                };
                out.push(
                    Finding::new(
                        section.heading.clone(),
                        format!("`{}` says nothing about {what}", section.title),
                    )
                    .with_help(if no_strategy {
                        help_strategy
                    } else {
                        help_indexes
                    })
                    .covering_opt(self.optimization.first().cloned()),
                );
            }
        }
        true
    }

    fn models(
        &self,
        doc: &Document,
        ctx: &Context<'_>,
        schema: &Schema,
        out: &mut Vec<Finding>,
    ) -> bool {
        let (Some(comp), Some(db)) = (
            self.components
                .first()
                .and_then(|id| ctx.outline.resolve(id)),
            self.database.first().and_then(|id| ctx.outline.resolve(id)),
        ) else {
            return false;
        };
        let comp = doc.sections[comp].span();
        let db = doc.sections[db].span();
        if db.start < comp.end && comp.start < db.end {
            // one section nested in the other: nothing to compare
            return false;
        }
        let named = models::named_in_components(doc, schema, &comp);
        if named.is_empty() {
            return false;
        }
        let defined = models::defined_in_database(doc, schema, &db);
        let mut seen = HashSet::new();
        for (name, span) in named {
            if models::keys(&name).iter().any(|k| defined.contains(k))
                || !seen.insert(models::key(&name))
            {
                continue;
            }
            let section = doc
                .section_at(span.start)
                .map(|k| section_label(doc, k))
                .unwrap_or_default();
            out.push(
                Finding::new(
                    span,
                    format!("`{name}` (named in {section}) is not defined in the database design"),
                )
                .with_help(
                    "add its table or model — fields, keys, indexes — to the core data models, \
                     or correct the name here",
                ),
            );
        }
        true
    }
}

/// "3.1.2 Payments", or "Payments › Database Schema" for an unnumbered heading.
fn section_label(doc: &Document, k: usize) -> String {
    let s = &doc.sections[k];
    match (&s.number, s.parent) {
        (Some(n), _) => format!("{n} {}", s.title),
        (None, Some(p)) if doc.sections[p].level > 1 => {
            let parent = &doc.sections[p];
            match &parent.number {
                Some(n) => format!("{n} {} › {}", parent.title, s.title),
                None => format!("{} › {}", parent.title, s.title),
            }
        }
        (None, _) => s.title.clone(),
    }
}

mod models;
