//! Rule packs: data that says which files a pack applies to, the outline it expects and the
//! rules it runs (each a generic check kind with parameters). Built-in packs live in `rules/`
//! and are compiled in; users add their own by path. Regexes and globs compile here, once.

use std::ops::Range;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::check::{self, Check};
use crate::diagnostic::Severity;
use crate::outline::{Template, TemplateSection};

/// The packs shipped inside the binary: `(id, TOML source)`.
pub const BUILTIN: &[(&str, &str)] = &[("vibe-step-6", include_str!("../rules/vibe-step-6.toml"))];

/// A quality-checklist item a pack scores documents on.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: String,
    pub title: String,
}

/// A rule's documentation, printed by `spec-check rule CODE`.
#[derive(Debug, Clone, Default)]
pub struct RuleDocs {
    pub summary: String,
    pub what: String,
    pub why: String,
    pub bad: String,
    pub good: String,
}

/// One rule: a check kind with parameters, a code, a name and a default severity.
#[derive(Debug)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub severity: Severity,
    pub checklist: Option<String>,
    pub docs: RuleDocs,
    pub check: Box<dyn Check>,
}

impl Rule {
    pub fn fixable(&self) -> bool {
        self.check.fixable()
    }
}

/// A loaded, compiled pack.
#[derive(Debug)]
pub struct RulePack {
    pub id: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub file_patterns: Vec<String>,
    files: GlobSet,
    pub checklist: Vec<ChecklistItem>,
    pub template: Template,
    pub rules: Vec<Rule>,
}

impl RulePack {
    /// Whether this pack applies to `path` (relative, `/`-separated).
    pub fn applies_to(&self, path: &str) -> bool {
        self.files.is_match(path)
    }

    pub fn rule(&self, code_or_name: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
    }

    /// Load a built-in pack by id.
    pub fn builtin(id: &str) -> Result<RulePack, PackError> {
        let (_, src) = BUILTIN
            .iter()
            .find(|(b, _)| *b == id)
            .ok_or_else(|| PackError {
                origin: id.to_string(),
                toml: String::new(),
                span: None,
                message: format!(
                    "unknown built-in pack `{id}`; built-in packs are: {}",
                    BUILTIN
                        .iter()
                        .map(|(b, _)| *b)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
        RulePack::from_toml(&format!("built-in pack `{id}`"), src)
    }

    /// Parse and compile a pack. `origin` names it in errors (a path, or "built-in pack …").
    pub fn from_toml(origin: &str, source: &str) -> Result<RulePack, PackError> {
        let err = |span: Option<Range<usize>>, message: String| PackError {
            origin: origin.to_string(),
            toml: source.to_string(),
            span,
            message,
        };
        let raw: RawPack =
            toml::from_str(source).map_err(|e| err(e.span(), e.message().trim().to_string()))?;

        let mut files = GlobSetBuilder::new();
        for pattern in &raw.files {
            let glob = Glob::new(pattern.get_ref())
                .map_err(|e| err(Some(pattern.span()), format!("invalid glob: {e}")))?;
            files.add(glob);
        }
        let files = files
            .build()
            .map_err(|e| err(None, format!("invalid globs: {e}")))?;

        let template = Template::new(raw.sections);
        let mut rules: Vec<Rule> = Vec::with_capacity(raw.rules.len());
        for r in raw.rules {
            if let Some(prev) = rules.iter().find(|p| p.code == *r.code.get_ref()) {
                return Err(err(
                    Some(r.code.span()),
                    format!(
                        "duplicate rule code `{}` (also used by `{}`)",
                        r.code.get_ref(),
                        prev.name
                    ),
                ));
            }
            if rules.iter().any(|p| p.name == *r.name.get_ref()) {
                return Err(err(
                    Some(r.name.span()),
                    format!("duplicate rule name `{}`", r.name.get_ref()),
                ));
            }
            if !is_kebab(r.name.get_ref()) {
                return Err(err(
                    Some(r.name.span()),
                    format!(
                        "rule name `{}` must be kebab-case (lowercase words joined by `-`)",
                        r.name.get_ref()
                    ),
                ));
            }
            if let Some(item) = &r.checklist
                && !raw.checklist.iter().any(|c| c.id == *item.get_ref())
            {
                return Err(err(
                    Some(item.span()),
                    format!(
                        "unknown checklist item `{}`; this pack defines: {}",
                        item.get_ref(),
                        raw.checklist
                            .iter()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let (params, params_span) = match r.params {
                Some(p) => {
                    let span = p.span();
                    (p.into_inner(), Some(span))
                }
                None => (toml::Table::new(), None),
            };
            let check =
                check::compile(r.check.get_ref(), params, &template).map_err(|e| match e {
                    check::CompileError::UnknownKind => err(
                        Some(r.check.span()),
                        format!(
                            "unknown check kind `{}`; known kinds: {}",
                            r.check.get_ref(),
                            check::KINDS.join(", ")
                        ),
                    ),
                    check::CompileError::Params(m) => err(
                        params_span.clone().or(Some(r.check.span())),
                        format!(
                            "invalid params for check `{}` in rule `{}`: {m}",
                            r.check.get_ref(),
                            r.code.get_ref()
                        ),
                    ),
                })?;
            rules.push(Rule {
                code: r.code.into_inner(),
                name: r.name.into_inner(),
                kind: r.check.into_inner(),
                severity: r.severity,
                checklist: r.checklist.map(Spanned::into_inner),
                docs: RuleDocs {
                    summary: r.summary,
                    what: r.what,
                    why: r.why,
                    bad: r.bad,
                    good: r.good,
                },
                check,
            });
        }
        Ok(RulePack {
            id: raw.id,
            name: raw.name,
            version: raw.version,
            description: raw.description.unwrap_or_default(),
            file_patterns: raw.files.into_iter().map(Spanned::into_inner).collect(),
            files,
            checklist: raw.checklist,
            template,
            rules,
        })
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPack {
    id: String,
    name: String,
    version: String,
    #[serde(default)]
    description: Option<String>,
    files: Vec<Spanned<String>>,
    #[serde(default)]
    checklist: Vec<ChecklistItem>,
    #[serde(default)]
    sections: Vec<TemplateSection>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    code: Spanned<String>,
    name: Spanned<String>,
    check: Spanned<String>,
    severity: Severity,
    #[serde(default)]
    checklist: Option<Spanned<String>>,
    summary: String,
    what: String,
    why: String,
    bad: String,
    good: String,
    #[serde(default)]
    params: Option<Spanned<toml::Table>>,
}

/// A pack that could not be loaded, with the place in its TOML.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct PackError {
    /// A path, or "built-in pack `id`".
    pub origin: String,
    /// The TOML text the span points into.
    pub toml: String,
    pub span: Option<Range<usize>>,
    pub message: String,
}
