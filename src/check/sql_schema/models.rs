//! Table and model names: those the component specs name, those the database design
//! defines, and the key that makes `InvoiceLineItem`, `invoice_line_items` and
//! "Invoice Line Item" the same thing.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::schema::Schema;
use crate::document::Document;

/// A name's comparison keys: snake and camel case alike, and the plural forms a
/// singular could take (`courses` → course, cours; `statuses` → status). Two names are
/// the same model when their keys meet.
pub fn keys(name: &str) -> Vec<String> {
    let name = name.rsplit('.').next().unwrap_or(name);
    let mut snake = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && prev_lower {
            snake.push('_');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        snake.extend(c.to_lowercase());
    }
    let joined: String = snake.split(|c: char| !c.is_alphanumeric()).collect();
    let mut out = vec![joined.clone()];
    if let Some(stem) = joined.strip_suffix("ies") {
        out.push(format!("{stem}y"));
    }
    if joined.len() > 3 && joined.ends_with('s') && !joined.ends_with("ss") {
        out.push(joined[..joined.len() - 1].to_string());
        if let Some(stem) = joined.strip_suffix("es") {
            out.push(stem.to_string());
        }
    }
    out
}

/// The canonical key of a name (its most singular form), for de-duplication.
pub fn key(name: &str) -> String {
    keys(name).pop().unwrap_or_default()
}

static LONE_CODE: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"`([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)`").expect("valid regex")
});
static TABLE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"`([A-Za-z][A-Za-z0-9_]*)`\s+(?:table|model|collection)s?\b|\b(?:table|model|collection)\s+`([A-Za-z][A-Za-z0-9_]*)`")
        .expect("valid regex")
});
/// "Refund model": only under a schema heading, and not a business or ML model.
static CAPITALIZED_MODEL: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"\b([A-Z][a-z]+(?:[A-Z][a-z]+)*)\s+model\b").expect("valid regex")
});
const NOT_DATA_MODELS: &[&str] = &[
    "data",
    "threat",
    "mental",
    "business",
    "pricing",
    "revenue",
    "language",
    "domain",
    "object",
    "security",
    "access",
    "permission",
    "cost",
    "billing",
    "subscription",
    "delivery",
    "operating",
    "deployment",
    "maturity",
    "tenancy",
    "service",
    "embedding",
    "machine",
    "learning",
    "ai",
    "ml",
    "llm",
    "llama",
    "mistral",
    "claude",
    "gemini",
    "gpt",
    "openai",
    "vision",
    "speech",
    "foundation",
    "base",
    "reference",
    "logical",
    "physical",
    "conceptual",
    "relational",
    "document",
    "graph",
    "actor",
    "programming",
    "execution",
    "memory",
    "consistency",
    "concurrency",
    "cloud",
    "hybrid",
    "freemium",
    "the",
    "this",
    "each",
    "our",
    "your",
    "new",
    "ranking",
    "scoring",
    "risk",
    "prediction",
    "classification",
];
static TABLE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"(?i)\b(?:see|tables?|models?|schema|stored|collections?|entit(?:y|ies)|relations?)\b|\b5\.\d")
        .expect("valid regex")
});
static COLUMN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"(?i)^\s*(?:column|field|attribute|flag|state|status|value|enum|key|index)s?\b",
    )
    .expect("valid regex")
});
static SCHEMA_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"(?i)database|schema|data model|\bmodels?\b|\btables?\b|persistence|storage|entities",
    )
    .expect("valid regex")
});
static CODE_MODEL: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r#"(?m)^\s*(?:model\s+(\w+)\s*\{|class\s+(\w+)\s*(?:<\s*(?:ApplicationRecord|ActiveRecord::Base)|\(\s*(?:models\.Model|db\.Model|Base|SQLModel)\b)|__tablename__\s*=\s*["'](\w+)|create_table\s+[:"'](\w+))|\b(?:pg|mysql|sqlite)Table\s*\(\s*["'](\w+)"#)
        .expect("valid regex")
});
static TS_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"(?m)^\s*(?:export\s+)?(?:interface\s+(\w+)|type\s+(\w+)\s*=\s*\{)")
        .expect("valid regex")
});
const NOT_MODELS: &[&str] = &[
    "id",
    "uuid",
    "json",
    "jsonb",
    "null",
    "true",
    "false",
    "text",
    "varchar",
    "integer",
    "boolean",
    "timestamp",
    "timestamptz",
    "now",
    "index",
    "unique",
    "primary",
    "select",
    "insert",
    "update",
    "delete",
    "the",
    "data",
    "view",
    "this",
    "each",
    "new",
    "same",
];

fn plausible(name: &str, schema: &Schema) -> bool {
    let lower = name.to_lowercase();
    lower.len() >= 3
        && !NOT_MODELS.contains(&lower.as_str())
        && !lower.ends_with("_id")
        && !lower.ends_with("_at")
        && !lower.contains("()")
        // a column of a known table, unless also a table
        && (schema.has_table(&lower) || !schema.column_names.contains(&lower))
}

/// The clauses of a line: split at `;` and at a `.` that ends a sentence (not `5.3.2`).
fn clauses(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        let end_of_sentence =
            c == '.' && line[i + 1..].chars().next().is_none_or(char::is_whitespace);
        if c == ';' || end_of_sentence {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < line.len() {
        out.push(start..line.len());
    }
    out
}

/// Names of tables and models in the component specs, with where each is written.
pub fn named_in_components(
    doc: &Document,
    schema: &Schema,
    scope: &Range<usize>,
) -> Vec<(String, Range<usize>)> {
    let inside = |r: &Range<usize>| scope.start <= r.start && r.start < scope.end;
    let mut out: Vec<(String, Range<usize>)> = schema
        .declared_tables()
        .filter(|(_, span)| inside(span))
        .map(|(name, span)| (name.to_string(), span.clone()))
        .collect();
    for b in doc.code_blocks.iter().filter(|b| inside(&b.span)) {
        for c in CODE_MODEL.captures_iter(&b.literal) {
            if let Some(m) = c.iter().skip(1).flatten().next() {
                let at = doc.code_offset(b, m.start());
                out.push((
                    m.as_str().to_string(),
                    at..doc.code_offset(b, m.end()).max(at),
                ));
            }
        }
    }
    // prose under a "Database Schema" heading, and "`refunds` table" / "Refund model" anywhere
    let mut current: Option<usize> = None;
    let mut next_section = doc
        .sections
        .partition_point(|s| s.heading.start < scope.start);
    for (start, line) in super::prose_lines(doc, scope.clone()) {
        while next_section < doc.sections.len() && doc.sections[next_section].heading.start <= start
        {
            current = Some(next_section);
            next_section += 1;
        }
        let under_schema_heading = current
            .is_some_and(|k| SCHEMA_HEADING.is_match(&doc.sections[k].title))
            && !line.trim_start().starts_with('#');
        if under_schema_heading {
            // clause by clause: "the `status` column moves from `queued` to `done`; rows
            // are stored in `comparisons`" names one table
            for clause in clauses(line) {
                let text = &line[clause.clone()];
                if !TABLE_WORDS.is_match(text) {
                    continue;
                }
                for c in LONE_CODE.captures_iter(text) {
                    let m = c.get(0).expect("match");
                    let name = c.get(1).expect("group 1");
                    if COLUMN_AFTER.is_match(&text[m.end()..]) || !plausible(name.as_str(), schema)
                    {
                        continue;
                    }
                    let at = start + clause.start;
                    out.push((
                        name.as_str().to_string(),
                        at + name.start()..at + name.end(),
                    ));
                }
            }
        }
        for c in TABLE_PHRASE.captures_iter(line) {
            if let Some(m) = c.iter().skip(1).flatten().next()
                && plausible(m.as_str(), schema)
            {
                out.push((m.as_str().to_string(), start + m.start()..start + m.end()));
            }
        }
        if under_schema_heading {
            for c in CAPITALIZED_MODEL.captures_iter(line) {
                let m = c.get(1).expect("group 1");
                if !NOT_DATA_MODELS.contains(&m.as_str().to_lowercase().as_str())
                    && plausible(m.as_str(), schema)
                {
                    out.push((m.as_str().to_string(), start + m.start()..start + m.end()));
                }
            }
        }
    }
    out.sort_by_key(|(_, r)| r.start);
    out
}

/// Keys of every table or model the database design defines or lists.
pub fn defined_in_database(
    doc: &Document,
    schema: &Schema,
    scope: &Range<usize>,
) -> HashSet<String> {
    let inside = |r: &Range<usize>| scope.start <= r.start && r.start < scope.end;
    let mut keys: HashSet<String> = schema
        .declared_tables()
        .filter(|(_, span)| inside(span))
        .flat_map(|(name, _)| self::keys(name))
        .collect();
    for b in doc.code_blocks.iter().filter(|b| inside(&b.span)) {
        for c in CODE_MODEL
            .captures_iter(&b.literal)
            .chain(TS_TYPE.captures_iter(&b.literal))
        {
            if let Some(m) = c.iter().skip(1).flatten().next() {
                keys.extend(self::keys(m.as_str()));
            }
        }
        // a plain list of table names, one a line
        for line in b.literal.lines() {
            let t = line.trim().trim_end_matches([',', ';']);
            if !t.is_empty()
                && t.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            {
                keys.extend(self::keys(t));
            }
        }
    }
    for (_, line) in super::prose_lines(doc, scope.clone()) {
        for c in LONE_CODE.captures_iter(line) {
            keys.extend(self::keys(&c[1]));
        }
        for c in TABLE_PHRASE
            .captures_iter(line)
            .chain(CAPITALIZED_MODEL.captures_iter(line))
        {
            if let Some(m) = c.iter().skip(1).flatten().next() {
                keys.extend(self::keys(m.as_str()));
            }
        }
    }
    // headings ("5.3.2 Invoice and Line Item Models") and first table cells
    for s in doc.sections.iter().filter(|s| inside(&s.heading)) {
        insert_phrases(&mut keys, &s.title);
    }
    for t in doc.tables_in(scope) {
        for row in &t.rows {
            if let Some(cell) = row.cells.first() {
                insert_phrases(&mut keys, cell.text.trim_matches(['`', '*', ' ']));
            }
        }
    }
    keys
}

/// Every run of up to four words of a title, as a key.
fn insert_phrases(keys: &mut HashSet<String>, title: &str) {
    const SKIP: &[&str] = &[
        "model", "models", "table", "tables", "schema", "and", "the", "core", "data", "entity",
        "entities",
    ];
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty() && !SKIP.contains(&w.to_lowercase().as_str()))
        .collect();
    for i in 0..words.len() {
        for j in i + 1..=(i + 4).min(words.len()) {
            keys.extend(self::keys(&words[i..j].join("_")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::keys;

    #[test]
    fn keys_ignore_case_style_and_number() {
        let meet = |a: &str, b: &str| keys(a).iter().any(|k| keys(b).contains(k));
        assert!(meet("InvoiceLineItem", "invoice_line_items"));
        assert!(meet("Category", "categories"));
        assert!(meet("public.addresses", "address"));
        assert!(meet("Course", "courses"));
        assert!(meet("status", "statuses"));
        assert!(meet("Refund", "refunds"));
        assert!(!meet("users", "user_roles"));
        assert!(!meet("course", "courts"));
    }
}
