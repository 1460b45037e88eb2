//! `database-choice`: the database the technology stack names (§1.4, "**Database:**
//! PostgreSQL 15") is the one the database design selects (§5.1). Each side names engines
//! through the pack's `engines` (a product counts as its engine: Supabase and Neon are
//! PostgreSQL, PlanetScale is MySQL). A contradiction is a stack whose database line names
//! engines none of which the selection mentions, while the selection names another: one
//! finding, at the selection, quoting both. Silent when either side names no engine.

use std::ops::Range;

use serde::Deserialize;

use super::{Check, CompileError, Context, Finding, known_scope};
use crate::document::Document;
use crate::language::{LangPattern, Vocabulary};
use crate::outline::Template;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    /// The technology stack (`executive-summary.technology-stack`).
    stack: String,
    /// The database selection (`database.selection`).
    selection: String,
    /// Labels of the stack line (or table row) that names the database (`Database`, `DB`,
    /// `Base de datos`); `{ lang, pattern }` entries apply to documents in that language.
    database_labels: Vec<LangPattern>,
    /// The database engines, each with the products that are it.
    engines: Vec<EngineParam>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EngineParam {
    /// How messages name it (`PostgreSQL`).
    name: String,
    /// A regex matching it and the products built on it (`postgres`, `supabase`, `neon`).
    pattern: String,
}

#[derive(Debug)]
struct Engine {
    name: String,
    pattern: super::LazyRegex,
}

#[derive(Debug)]
pub struct DatabaseChoice {
    stack: String,
    selection: String,
    labels: Vocabulary,
    engines: Vec<Engine>,
}

impl DatabaseChoice {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        known_scope(&[p.stack.clone(), p.selection.clone()], template)?;
        if p.engines.is_empty() || p.database_labels.is_empty() {
            return Err(CompileError::Params(
                "`engines` and `database-labels` must each list at least one entry".into(),
            ));
        }
        Ok(DatabaseChoice {
            stack: p.stack,
            selection: p.selection,
            labels: Vocabulary::new(&p.database_labels)?,
            engines: p
                .engines
                .into_iter()
                .map(|e| {
                    Ok(Engine {
                        name: e.name,
                        pattern: super::regex(&e.pattern)?,
                    })
                })
                .collect::<Result<_, CompileError>>()?,
        })
    }

    /// The engines `text` names, in the order of the pack.
    fn engines_in(&self, text: &str) -> Vec<usize> {
        (0..self.engines.len())
            .filter(|&i| self.engines[i].pattern.is_match(text))
            .collect()
    }

    /// The line of the stack that names the database (a labelled line or a table row whose
    /// label cell is a database label) and the engines on it.
    fn stack_database(
        &self,
        doc: &Document,
        span: &Range<usize>,
        lang: Option<&str>,
    ) -> Option<(Range<usize>, String, Vec<usize>)> {
        let mut at = span.start;
        for line in doc.slice(span).split_inclusive('\n') {
            let start = at;
            at += line.len();
            let text = line.trim_end();
            let Some((label, value)) = split_label(text) else {
                continue;
            };
            if !self.labels.is_match(label, lang) {
                continue;
            }
            let engines = self.engines_in(value);
            if !engines.is_empty() {
                let lead = line.len() - line.trim_start().len();
                return Some((
                    start + lead..start + text.len(),
                    quote(label, value),
                    engines,
                ));
            }
        }
        None
    }

    fn names(&self, engines: &[usize]) -> String {
        let names: Vec<String> = engines
            .iter()
            .map(|&i| format!("`{}`", self.engines[i].name))
            .collect();
        names.join(" and ")
    }
}

/// `Database: PostgreSQL 15 on Supabase`: the label and the value (a row's first cell), as a
/// message quotes them.
fn quote(label: &str, value: &str) -> String {
    let value = value.split('|').next().unwrap_or(value);
    let value = value.trim().trim_matches('*').trim();
    let mut short: String = value.chars().take(60).collect();
    if short.len() < value.len() {
        short.push('…');
    }
    format!("{label}: {short}")
}

/// `- **Database:** PostgreSQL` → (`Database`, `PostgreSQL`); `| Database | PostgreSQL |` →
/// the first cell and the rest of the row.
fn split_label(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    if let Some(row) = t.strip_prefix('|') {
        let (label, rest) = row.split_once('|')?;
        return Some((label.trim().trim_matches('*'), rest));
    }
    let t = t
        .trim_start_matches(['-', '*', '+'])
        .trim_start()
        .trim_start_matches("**");
    let (label, value) = t.split_once([':', '：'])?;
    let label = label.trim().trim_end_matches("**").trim_matches('*');
    // a label is short: `Database`, `Primary DB`, `数据库`
    let value = value.trim_start_matches(['*', '_']);
    (!label.is_empty() && label.chars().count() <= 40).then_some((label, value))
}

impl Check for DatabaseChoice {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let (Some(stack), Some(selection)) = (
            ctx.outline.resolve(&self.stack),
            ctx.outline.resolve(&self.selection),
        ) else {
            return false;
        };
        let stack_span = doc.sections[stack].span();
        let Some((line, quoted, stated)) = self.stack_database(doc, &stack_span, ctx.language)
        else {
            return false;
        };
        let chosen_section = &doc.sections[selection];
        let selected = self.engines_in(doc.slice(&chosen_section.body));
        if selected.is_empty() {
            return false;
        }
        if stated.iter().any(|e| selected.contains(e)) {
            return true;
        }
        out.push(
            Finding::new(
                chosen_section.heading.clone(),
                format!(
                    "`{}` selects {} as the database, but the technology stack says {} (`{}`)",
                    chosen_section.title,
                    self.names(&selected),
                    self.names(&stated),
                    quoted
                ),
            )
            .with_help(
                "decide which database the system uses and write the same one in the technology \
                 stack (1.4) and the database selection (5.1); if both are used, say what each \
                 one stores",
            )
            .with_related(line, "the technology stack names the database here"),
        );
        true
    }
}

#[cfg(test)]
mod tests {
    use super::split_label;

    #[test]
    fn labels_of_lines_and_rows() {
        assert_eq!(
            split_label("- **Database:** PostgreSQL 15"),
            Some(("Database", " PostgreSQL 15"))
        );
        assert_eq!(
            split_label("| Database | MongoDB Atlas | flexible documents |"),
            Some(("Database", " MongoDB Atlas | flexible documents |"))
        );
        assert_eq!(
            split_label("数据库：PostgreSQL"),
            Some(("数据库", "PostgreSQL"))
        );
        assert_eq!(split_label("PostgreSQL is fast"), None);
    }
}
