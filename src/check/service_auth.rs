//! `service-auth`: every external service in §13.1 says how it authenticates and where its
//! credentials live, each credential-bearing service has an environment variable in §13.2,
//! and every MCP tool in §13.3 says how it authenticates. Services are found the ways specs
//! write them: bold lead lines (`**Primary Database:** Supabase`), one heading per service,
//! table rows, or bold list items. `report` picks the aspect.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::env_vars::Environment;
use super::{Check, CompileError, Context, Finding, known_scope};
use crate::document::Document;
use crate::language::{LangPattern, Vocabulary};
use crate::outline::{Template, descendants};

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// A service without an authentication method.
    Method,
    /// A service whose credentials' location is not stated.
    Storage,
    /// A credential-bearing service with no environment variable of its own.
    EnvVar,
    /// An MCP tool without an authentication method.
    Mcp,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    report: Aspect,
    /// The section that lists the services (or MCP tools).
    scope: Vec<String>,
    /// Where environment variables are declared (for `env-var`).
    #[serde(default)]
    env_scope: Vec<String>,
    /// Regexes naming an authentication method that involves a secret (`api key`, `oauth`;
    /// `{ lang = "es", pattern = '…' }` entries apply to documents in that language). The
    /// vocabularies below are pack data (`[defaults.service-auth]` in the built-in pack).
    methods: Vec<LangPattern>,
    /// Regexes naming keyless methods (IAM roles, OIDC, SSO): no stored credential.
    #[serde(default)]
    keyless: Vec<LangPattern>,
    /// Regexes naming where credentials are kept (a secret store, "stored in").
    #[serde(default)]
    stores: Vec<LangPattern>,
    /// Regexes for text saying the credential is not held by this system (inbound
    /// credentials stored hashed, keys configured inside another service).
    #[serde(default)]
    held_elsewhere: Vec<LangPattern>,
    /// Bold labels that describe a service rather than name one (`Authentication`), in any
    /// language.
    #[serde(default)]
    attribute_labels: Vec<String>,
    /// Words of a service's name that say nothing about which service it is.
    #[serde(default)]
    stopwords: Vec<String>,
    /// Label or name word → env-var words that belong to it (`database` → `DB`, `PG`).
    #[serde(default)]
    synonyms: HashMap<String, Vec<String>>,
    /// Words or phrases naming the system's own components in a services table (`gateway`,
    /// `workers`): not providers, no credentials of their own.
    #[serde(default)]
    own_components: Vec<String>,
}

#[derive(Debug)]
pub struct ServiceAuth {
    report: Aspect,
    scope: Vec<String>,
    env_scope: Vec<String>,
    methods: Vocabulary,
    keyless: Vocabulary,
    stores: Vocabulary,
    held_elsewhere: Vocabulary,
    attribute_labels: HashSet<String>,
    stopwords: HashSet<String>,
    synonyms: HashMap<String, Vec<String>>,
    own_components: Vec<String>,
}

impl ServiceAuth {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        known_scope(&p.scope, template)?;
        known_scope(&p.env_scope, template)?;
        if p.scope.is_empty() {
            return Err(CompileError::Params(
                "`scope` must name the section that lists the services".into(),
            ));
        }
        if p.report == Aspect::EnvVar && p.env_scope.is_empty() {
            return Err(CompileError::Params(
                "`report = \"env-var\"` needs `env-scope`: where variables are declared".into(),
            ));
        }
        if p.methods.is_empty() {
            return Err(CompileError::Params(
                "`methods` must list at least one pattern".into(),
            ));
        }
        Ok(ServiceAuth {
            report: p.report,
            scope: p.scope,
            env_scope: p.env_scope,
            methods: Vocabulary::new(&p.methods)?,
            keyless: Vocabulary::new(&p.keyless)?,
            stores: Vocabulary::new(&p.stores)?,
            held_elsewhere: Vocabulary::new(&p.held_elsewhere)?,
            attribute_labels: p
                .attribute_labels
                .iter()
                .map(|l| normalize_label(l))
                .collect(),
            own_components: p.own_components.iter().map(|w| w.to_lowercase()).collect(),
            stopwords: p.stopwords.iter().map(|w| w.to_uppercase()).collect(),
            synonyms: p
                .synonyms
                .into_iter()
                .map(|(k, v)| {
                    (
                        k.to_uppercase(),
                        v.into_iter().map(|w| w.to_uppercase()).collect(),
                    )
                })
                .collect(),
        })
    }
}

/// One service (or MCP tool) as the document lists it.
#[derive(Debug, Clone)]
struct Service {
    /// `Primary Database` in `**Primary Database:** Supabase`.
    label: Option<String>,
    /// `Supabase Postgres 15` — the name, without its parenthetical details.
    name: String,
    /// Where a finding points: the name (or label) as written.
    at: Range<usize>,
    /// All text that describes it.
    text: Range<usize>,
    /// A table row's filled-in authentication / credentials cells.
    auth_cell: bool,
    credentials_cell: bool,
}

impl Service {
    fn title(&self) -> String {
        match &self.label {
            Some(l) if !l.eq_ignore_ascii_case(&self.name) => format!("`{}` ({l})", self.name),
            _ => format!("`{}`", self.name),
        }
    }
}

/// `**Label:** rest`, `**Label**: rest`, `**Name** rest`.
static BOLD_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"^(?:[-*+][ \t]+(?:\[[ xX]\][ \t]+)?)?\*\*(?P<label>[^*\n]+?)\*\*[ \t]*(?P<colon>:)?[ \t]*(?P<rest>.*)$")
        .expect("regex")
});
/// Rows of a services table that are not providers: totals, phases, periods.
static NOT_A_PROVIDER: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"(?i)^\W*(?:(?:sub)?totals?|phase\s*\d+|months?\b|years?\b|weeks?\b|q[1-4]\b|\d+\s*[-–]\s*\d+\s*(?:months?|users?)|mvp\b|launch\b|growth\b|scale\b)",
    )
    .expect("valid regex")
});

/// A template placeholder (`[API key setup]`), not a link.
static BRACKETED: LazyLock<Regex> =
    LazyLock::new(|| crate::check::quick_regex(r"(?m)\[[^\]\n]*\](?:[^(\n]|$)").expect("regex"));
static ENV_NAME: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b").expect("regex")
});
/// Headings that organise services rather than name one (`MCP Tool Configuration`).
static SECTION_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"(?i)\b(?:configuration|config|setup|overview|summary|checklist|notes|procedures?|testing|management|strategy|strategies|requirements|services|tools|integrations?|variables|environments?|costs?|budget|alerts|examples?|authentication|security|monitoring)\b")
        .expect("regex")
});
/// `**Authentication:** <something>` — the author stated a method in so many words.
static AUTH_STATED: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"(?im)\bauth(?:entication)?(?:[ \t]+method)?\*{0,2}[ \t]*:[ \t]*\*{0,2}[ \t]*[^\s*]",
    )
    .expect("regex")
});
/// Credentials that are public by design (browser tokens, publishable keys): no secret.
static PUBLIC_CREDENTIAL: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"(?i)\b(?:public|publishable|anon(?:ymous)?|browser)\s+(?:api\s+)?(?:keys?|tokens?)\b",
    )
    .expect("regex")
});
static NOT_USED: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"(?i)\b(?:not (?:required|used|needed|in use|applicable)|n/a|unused|none)\b",
    )
    .expect("regex")
});

fn normalize_label(l: &str) -> String {
    l.trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase()
        .replace('&', "and")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name part of `Supabase Postgres 15 + TimescaleDB (Pro, us-west-1) — details`.
fn short_name(rest: &str) -> String {
    let cut = [
        " (", " — ", " – ", " - ", ", ", "; ", " via ", " for ", ": ",
    ]
    .iter()
    .filter_map(|s| rest.find(s))
    .min()
    .unwrap_or(rest.len());
    rest[..cut]
        .trim()
        .trim_matches(|c: char| c == '*' || c == '`' || c == '_')
        .trim()
        .to_string()
}

impl ServiceAuth {
    fn is_attribute(&self, label: &str) -> bool {
        let l = normalize_label(label);
        self.attribute_labels.contains(&l)
            || self
                .attribute_labels
                .iter()
                .any(|a| l.starts_with(&format!("{a} ")))
    }

    /// The services listed in `span` (a section with its subsections).
    fn services(&self, doc: &Document, section: usize, mcp: bool) -> Vec<Service> {
        let mut containers = vec![section];
        containers.extend(descendants(doc, section));
        let mut out = Vec::new();
        for &k in &containers {
            let s = &doc.sections[k];
            // the part of this section before its first subsection
            let end = s
                .children
                .first()
                .map_or(s.body.end, |&c| doc.sections[c].heading.start);
            let own = s.body.start..end.max(s.body.start);
            let before = out.len();
            self.bold_entries(doc, &own, mcp, &mut out);
            if out.len() == before {
                self.table_entries(doc, &own, &mut out);
            }
            if out.len() == before
                && k != section
                && s.children.is_empty()
                && !SECTION_WORDS.is_match(&s.title)
            {
                // a heading per service: `#### Stripe`, described in prose or bullets
                let text = doc.slice(&own);
                let prose = doc
                    .code_blocks_in(&own)
                    .fold(text.trim().len(), |n, b| n.saturating_sub(b.span.len()));
                if prose > 0 && !(mcp && NOT_USED.is_match(text)) {
                    out.push(Service {
                        label: None,
                        name: short_name(&s.title),
                        at: s.title_span.clone(),
                        text: s.heading.start..s.body.end,
                        auth_cell: false,
                        credentials_cell: false,
                    });
                }
            }
        }
        out.sort_by_key(|s| s.at.start);
        out
    }

    /// Bold lead lines (`**Label:** Name`) and bold top-level list items in `span`.
    fn bold_entries(&self, doc: &Document, span: &Range<usize>, mcp: bool, out: &mut Vec<Service>) {
        // what each line of the span is: inside code, inside a list item, an item's first line
        let first_line = doc.lines.line_of(span.start);
        let line_count = doc
            .lines
            .line_of(span.end.saturating_sub(1).max(span.start))
            + 1
            - first_line;
        let mut skip = vec![false; line_count];
        let mut items: HashMap<usize, &crate::document::ListItem> = HashMap::new();
        let mark = |r: &Range<usize>, from_second: bool, skip: &mut Vec<bool>| {
            let a =
                doc.lines.line_of(r.start).saturating_sub(first_line) + usize::from(from_second);
            let b = doc
                .lines
                .line_of(r.end.saturating_sub(1).max(r.start))
                .saturating_sub(first_line);
            for l in skip.iter_mut().take(b + 1).skip(a) {
                *l = true;
            }
        };
        for b in doc.code_blocks_in(span) {
            mark(&b.span, false, &mut skip);
        }
        for i in doc.list_items_in(span) {
            if i.depth == 0 {
                items.insert(i.first_line.start, i);
                mark(&i.span, true, &mut skip);
            } else {
                mark(&i.span, false, &mut skip);
            }
        }
        let (mut leads, mut listed): (Vec<Service>, Vec<Service>) = (Vec::new(), Vec::new());
        let mut offset = span.start;
        for (n, line) in doc.slice(span).split_inclusive('\n').enumerate() {
            let line_start = offset;
            offset += line.len();
            let item = items.get(&line_start).copied();
            if item.is_none() && skip.get(n).copied().unwrap_or(true) {
                continue;
            }
            let trimmed = line.trim_end_matches(['\n', '\r']);
            let lead = trimmed.len() - trimmed.trim_start().len();
            let content = trimmed.trim_start();
            let Some(c) = BOLD_LEAD.captures(content) else {
                continue;
            };
            let (Some(label), Some(rest)) = (c.name("label"), c.name("rest")) else {
                continue;
            };
            let label_text = label.as_str().trim().trim_end_matches(':').trim();
            if self.is_attribute(label_text) {
                continue;
            }
            // an unchecked tool, or one marked not used, is not part of the system
            if mcp
                && (content.starts_with("- [ ]")
                    || content.starts_with("* [ ]")
                    || NOT_USED.is_match(rest.as_str()))
            {
                continue;
            }
            let colon = c.name("colon").is_some() || label.as_str().trim_end().ends_with(':');
            // `**Label:** Name` names the service after the colon; `**Name** …` in the bold
            let name_after = short_name(rest.as_str());
            let (svc_label, name, at) = if colon && !name_after.is_empty() {
                let at = line_start + lead + rest.start();
                (
                    Some(label_text.to_string()),
                    name_after.clone(),
                    at..at + name_after.len(),
                )
            } else {
                let at = line_start + lead + label.start();
                (None, label_text.to_string(), at..at + label.as_str().len())
            };
            match item {
                Some(i) => listed.push(Service {
                    label: svc_label,
                    name,
                    at,
                    text: i.span.clone(),
                    auth_cell: false,
                    credentials_cell: false,
                }),
                None => leads.push(Service {
                    label: svc_label,
                    name,
                    at,
                    text: line_start..span.end,
                    auth_cell: false,
                    credentials_cell: false,
                }),
            }
        }
        // Lead paragraphs are the services when there are any (their bullets describe
        // them); a lead's text runs to the next lead. Otherwise each bold item is one.
        if leads.is_empty() {
            out.extend(listed);
            return;
        }
        for i in 0..leads.len() {
            if let Some(n) = leads.get(i + 1).map(|s| s.text.start) {
                leads[i].text.end = n;
            }
        }
        out.extend(leads);
    }

    /// Rows of a table whose header names services, providers or tools.
    fn table_entries(&self, doc: &Document, span: &Range<usize>, out: &mut Vec<Service>) {
        for t in doc.tables_in(span) {
            let Some(col) = t.column(&[
                "service",
                "provider",
                "tool",
                "integration",
                "vendor",
                "system",
                "name",
            ]) else {
                continue;
            };
            let auth = t.column(&["auth"]);
            let creds = t.column(&["credential", "secret", "storage", "stored"]);
            // a cost table lists what services cost, not how they authenticate
            if auth.is_none()
                && creds.is_none()
                && t.column(&["cost", "price", "pricing", "budget", "monthly", "$"])
                    .is_some()
            {
                continue;
            }
            for row in &t.rows {
                let Some(cell) = row.cells.get(col) else {
                    continue;
                };
                let name = short_name(cell.text.trim_matches('*'));
                if name.is_empty() || NOT_A_PROVIDER.is_match(&name) || self.is_own(&name) {
                    continue;
                }
                let filled = |c: Option<usize>| {
                    c.and_then(|c| row.cells.get(c)).is_some_and(|c| {
                        let t = BRACKETED.replace_all(&c.text, " ");
                        !t.trim_matches(|ch: char| ch.is_whitespace() || "-–—*_`".contains(ch))
                            .is_empty()
                    })
                };
                out.push(Service {
                    label: None,
                    name,
                    at: cell.span.clone(),
                    text: row.span.clone(),
                    auth_cell: filled(auth),
                    credentials_cell: filled(creds),
                });
            }
        }
    }

    /// Whether a row names one of the system's own components (`API Gateway`, `Workers`),
    /// which hold no credentials of a provider.
    fn is_own(&self, name: &str) -> bool {
        let lower = name.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        self.own_components.iter().any(|phrase| {
            let want: Vec<&str> = phrase.split_whitespace().collect();
            !want.is_empty() && words.windows(want.len()).any(|w| w == want.as_slice())
        })
    }

    /// The entry's text with template placeholders (`[API key setup]`) blanked, and with
    /// variable names also spelled as words (`AUTH0_CLIENT_SECRET` says "client secret").
    fn text(doc: &Document, s: &Service) -> String {
        let text = BRACKETED.replace_all(doc.slice(&s.text), " ");
        let words: Vec<String> = ENV_NAME
            .find_iter(&text)
            .map(|m| m.as_str().replace('_', " "))
            .collect();
        if words.is_empty() {
            text.into_owned()
        } else {
            format!("{text}\n{}", words.join("\n"))
        }
    }

    /// Words of the service's name and label that an env var of it would contain.
    fn tokens(&self, s: &Service) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for part in [Some(s.name.as_str()), s.label.as_deref()]
            .into_iter()
            .flatten()
        {
            for w in part.split(|c: char| !c.is_alphanumeric()) {
                let w = w.to_uppercase();
                if w.is_empty()
                    || w.chars().all(|c| c.is_ascii_digit())
                    || self.stopwords.contains(&w)
                {
                    continue;
                }
                if let Some(syn) = self.synonyms.get(&w) {
                    words.extend(syn.iter().cloned());
                }
                if w.len() >= 3 || self.synonyms.contains_key(&w) {
                    words.push(w);
                }
            }
        }
        words.sort();
        words.dedup();
        words
    }
}

/// Whether env var `name` plausibly belongs to a service with `token` in its name.
fn belongs(name: &str, token: &str) -> bool {
    name.split('_')
        .any(|seg| seg == token || (token.len() >= 4 && seg.starts_with(token)))
        || (token.len() >= 5 && name.replace('_', "").contains(token))
}

impl Check for ServiceAuth {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let Some(section) = self.scope.iter().find_map(|id| ctx.outline.resolve(id)) else {
            return false;
        };
        let mcp = self.report == Aspect::Mcp;
        let lang = ctx.language;
        let services = self.services(doc, section, mcp);
        match self.report {
            Aspect::Method | Aspect::Mcp => {
                for s in &services {
                    let text = Self::text(doc, s);
                    if s.auth_cell
                        || AUTH_STATED.is_match(&text)
                        || self.methods.is_match(&text, lang)
                        || self.keyless.is_match(&text, lang)
                    {
                        continue;
                    }
                    let what = if mcp { "MCP tool" } else { "service" };
                    out.push(
                        Finding::new(
                            s.at.clone(),
                            format!("{what} {} does not say how it authenticates", s.title()),
                        )
                        .with_help(if mcp {
                            "add `- Authentication: …` to the tool: API key, OAuth, personal access token, and the variable that holds it"
                        } else {
                            "add `- **Authentication:** …` naming the method (API key, OAuth client, IAM role, DSN, connection string with password, webhook signing secret…)"
                        }),
                    );
                }
            }
            Aspect::Storage => {
                for s in &services {
                    let text = Self::text(doc, s);
                    let secret = self
                        .methods
                        .is_match(&PUBLIC_CREDENTIAL.replace_all(&text, " "), lang);
                    let keyless = self.keyless.is_match(&text, lang);
                    // a service without a method is reported once, by the `method` rule
                    if !secret || keyless {
                        continue;
                    }
                    let stored = s.credentials_cell
                        || self.stores.is_match(&text, lang)
                        || ENV_NAME.is_match(&text);
                    if stored {
                        continue;
                    }
                    let hint = self.hint(s);
                    out.push(
                        Finding::new(
                            s.at.clone(),
                            format!(
                                "service {} does not say where its credentials are kept",
                                s.title()
                            ),
                        )
                        .with_help(format!(
                            "name the environment variable(s) that hold them (e.g. `{hint}_…`) and where their values live: a secrets manager, Vault, the platform's secret store"
                        )),
                    );
                }
            }
            Aspect::EnvVar => {
                let env = Environment::read(doc, ctx, &self.env_scope);
                if env.names.is_empty() {
                    // no env block at all is reported by the env-vars rules
                    return false;
                }
                // names are compared in upper case: a badly cased `redis_host` is still the
                // cache's variable (its case is ENV002's business)
                let declared: HashSet<String> =
                    env.names.iter().map(|n| n.to_uppercase()).collect();
                for s in &services {
                    let text = Self::text(doc, s);
                    let secret = self
                        .methods
                        .is_match(&PUBLIC_CREDENTIAL.replace_all(&text, " "), lang);
                    let keyless = self.keyless.is_match(&text, lang);
                    let elsewhere = self.held_elsewhere.is_match(&text, lang);
                    if !secret || elsewhere || (keyless && !self.names_secret_value(&text)) {
                        continue;
                    }
                    if ENV_NAME
                        .find_iter(&text)
                        .any(|m| declared.contains(m.as_str()))
                    {
                        continue;
                    }
                    let tokens = self.tokens(s);
                    if declared
                        .iter()
                        .any(|n| tokens.iter().any(|t| belongs(n, t)))
                    {
                        continue;
                    }
                    let hint = self.hint(s);
                    out.push(
                        Finding::new(
                            s.at.clone(),
                            format!(
                                "service {} uses credentials but no environment variable in 13.2 belongs to it",
                                s.title()
                            ),
                        )
                        .with_help(format!(
                            "declare the variable(s) the system reads its credentials from in the 13.2 env block, e.g. `{hint}_API_KEY=`"
                        )),
                    );
                }
            }
        }
        true
    }
}

impl ServiceAuth {
    /// A likely env-var prefix for `s`: the first distinctive word of its name.
    fn hint(&self, s: &Service) -> String {
        s.name
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_uppercase)
            .find(|w| {
                w.len() >= 3
                    && !self.stopwords.contains(w)
                    && !w.chars().all(|c| c.is_ascii_digit())
            })
            .unwrap_or_else(|| "SERVICE".into())
    }

    /// Whether a keyless service also names a stored secret (an IAM role *and* a password).
    fn names_secret_value(&self, text: &str) -> bool {
        static SECRET_VALUE: LazyLock<Regex> = LazyLock::new(|| {
            crate::check::quick_regex(r"(?i)\b(?:password|api[ -]?key|secret|token|dsn)\b")
                .expect("regex")
        });
        SECRET_VALUE.is_match(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_details() {
        assert_eq!(
            short_name("Supabase Postgres 15 + TimescaleDB (Pro, `us-west-1`)"),
            "Supabase Postgres 15 + TimescaleDB"
        );
        assert_eq!(short_name("Resend — **Authentication:** key"), "Resend");
        assert_eq!(short_name("Sentry"), "Sentry");
    }

    #[test]
    fn env_names_belong_by_word() {
        assert!(belongs("STRIPE_SECRET_KEY", "STRIPE"));
        assert!(belongs("POSTGRESQL_URL", "POSTGRES"));
        assert!(belongs("CONTEXT7_API_KEY", "CONTEXT7"));
        assert!(!belongs("GITHUB_TOKEN", "HUB"));
    }
}
