//! `env-vars`: the environment the system needs, as §13.2 declares it. The env block(s)
//! there parse as `KEY=value` lines with UPPER_SNAKE keys, declared once, with a value unless
//! they are secrets whose source the document names; and every variable the spec uses
//! anywhere (`$VAR`, `process.env.VAR`, `os.getenv("VAR")`, …) is declared. One kind,
//! several rules: `report` picks the aspect.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::Deserialize;

use super::{
    Applicability, Check, CompileError, Context, Edit, Finding, Fix, LazyRegex, known_scope, regex,
};
use crate::document::{CodeBlock, Document};
use crate::outline::Template;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// A line of an env block that is not `KEY=value`, a comment or blank.
    Syntax,
    /// A key that is not UPPER_SNAKE_CASE.
    Naming,
    /// A key declared twice in one block.
    Duplicates,
    /// A key without a value that is neither a sourced secret nor a per-environment id.
    Empty,
    /// A variable used in the document but not declared.
    Undeclared,
    /// No env block at all.
    MissingBlock,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    report: Aspect,
    /// Where env blocks are declared (template ids); elsewhere only `.env`-style blocks count.
    #[serde(default)]
    scope: Vec<String>,
    /// Variables the platform provides (shell, CI, hosting) that no spec needs to declare.
    #[serde(default)]
    builtin: Vec<String>,
    /// Prefixes of platform-provided variables (`GITHUB_`, `RUNNER_`).
    #[serde(default)]
    builtin_prefixes: Vec<String>,
    /// Words (`_`-separated parts of a key) that make a variable a secret.
    #[serde(default)]
    secret_words: Vec<String>,
    /// Final parts of keys that name per-environment identifiers (`ID`, `ARN`, `URL`).
    #[serde(default)]
    identifier_suffixes: Vec<String>,
    /// Regexes (case-insensitive) for text that says where secrets come from.
    #[serde(default)]
    secret_sources: Vec<String>,
}

#[derive(Debug)]
pub struct EnvVars {
    report: Aspect,
    scope: Vec<String>,
    builtin: HashSet<String>,
    builtin_prefixes: Vec<String>,
    secret_words: HashSet<String>,
    identifier_suffixes: HashSet<String>,
    secret_sources: Option<LazyRegex>,
}

impl EnvVars {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        known_scope(&p.scope, template)?;
        let secret_sources = if p.secret_sources.is_empty() {
            None
        } else {
            Some(regex(&format!("(?i){}", p.secret_sources.join("|")))?)
        };
        if p.report == Aspect::Empty && secret_sources.is_none() {
            return Err(CompileError::Params(
                "`report = \"empty\"` needs `secret-sources`: the phrases that say where secrets come from".into(),
            ));
        }
        Ok(EnvVars {
            report: p.report,
            scope: p.scope,
            builtin: p.builtin.into_iter().collect(),
            builtin_prefixes: p.builtin_prefixes,
            secret_words: p.secret_words.iter().map(|w| w.to_uppercase()).collect(),
            identifier_suffixes: p
                .identifier_suffixes
                .iter()
                .map(|w| w.to_uppercase())
                .collect(),
            secret_sources,
        })
    }

    fn is_builtin(&self, name: &str) -> bool {
        self.builtin.contains(name) || self.builtin_prefixes.iter().any(|p| name.starts_with(p))
    }

    /// Whether `key` holds a credential: one of its words is a secret word, or it is a
    /// connection URL of a data store (which carries a password).
    fn is_secret(&self, key: &str) -> bool {
        let upper = key.to_uppercase();
        let words: Vec<&str> = upper.split(['_', '-', '.']).collect();
        if words.iter().any(|w| self.secret_words.contains(*w)) {
            return true;
        }
        let last = words.last().copied().unwrap_or("");
        matches!(last, "URL" | "URI" | "DSN")
            && words.iter().any(|w| {
                matches!(
                    *w,
                    "DATABASE"
                        | "DB"
                        | "POSTGRES"
                        | "POSTGRESQL"
                        | "PG"
                        | "MYSQL"
                        | "MONGO"
                        | "MONGODB"
                        | "REDIS"
                        | "CACHE"
                        | "BROKER"
                        | "AMQP"
                        | "RABBITMQ"
                        | "KAFKA"
                        | "CELERY"
                        | "SIDEKIQ"
                        | "QUEUE"
                        | "WEBHOOK"
                        | "ELASTICSEARCH"
                        | "CONNECTION"
                )
            })
    }

    fn is_identifier(&self, key: &str) -> bool {
        let upper = key.to_uppercase();
        upper
            .rsplit(['_', '-', '.'])
            .next()
            .is_some_and(|last| self.identifier_suffixes.contains(last))
    }
}

impl Check for EnvVars {
    fn fixable(&self) -> bool {
        matches!(
            self.report,
            Aspect::Naming | Aspect::Duplicates | Aspect::Undeclared
        )
    }

    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let env = Environment::read(doc, ctx, &self.scope);
        match self.report {
            Aspect::MissingBlock => return self.missing_block(doc, ctx, &env, out),
            // without any declaration every use would be "undeclared": not applicable
            Aspect::Undeclared if env.names.is_empty() => return false,
            Aspect::Undeclared => self.undeclared(doc, &env, out),
            _ if env.blocks.is_empty() => return false,
            Aspect::Syntax => syntax(&env, out),
            Aspect::Naming => naming(doc, &env, out),
            Aspect::Duplicates => duplicates(doc, &env, out),
            Aspect::Empty => self.empty(doc, &env, out),
        }
        true
    }
}

// ─── Reading env blocks ─────────────────────────────────────────────────────────────────

/// One `KEY=value` line.
#[derive(Debug, Clone)]
pub(super) struct Assignment {
    pub key: String,
    pub key_span: Range<usize>,
    /// The value as written (quotes included), trimmed.
    pub value: String,
    /// The whole line, line break included.
    pub line: Range<usize>,
}

#[derive(Debug)]
enum Line {
    Assign(Assignment),
    /// Not `KEY=value`, not a comment: `(span, why)`.
    Malformed(Range<usize>, &'static str),
}

/// An env block and what its lines declare.
#[derive(Debug)]
pub(super) struct EnvBlock {
    pub block: BlockAt,
    lines: Vec<Line>,
    /// Lines use `export KEY=value`.
    export: bool,
}

/// Where an env block's code block is.
#[derive(Debug, Clone)]
pub(super) struct BlockAt {
    pub span: Range<usize>,
    pub body: Range<usize>,
    pub closed: bool,
}

impl EnvBlock {
    pub(super) fn assignments(&self) -> impl Iterator<Item = &Assignment> {
        self.lines.iter().filter_map(|l| match l {
            Line::Assign(a) => Some(a),
            Line::Malformed(..) => None,
        })
    }
}

/// What the document declares about its environment.
#[derive(Debug, Default)]
pub(super) struct Environment {
    pub blocks: Vec<EnvBlock>,
    /// Every declared name: env block keys, and variables listed in §13.2 tables or code spans.
    pub names: HashSet<String>,
    /// Whether the blocks were found in the declared scope (§13.2) rather than elsewhere.
    pub in_scope: bool,
}

static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"^(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)([ \t]*)=([ \t]*)(.*)$")
        .expect("regex")
});
static UPPER_SNAKE: LazyLock<Regex> =
    LazyLock::new(|| crate::check::quick_regex(r"^[A-Z_][A-Z0-9_]*$").expect("regex"));
/// A variable name mentioned in a table or code span of §13.2.
static MENTIONED: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b").expect("regex")
});

/// The environments read from a document, by the spans of the scope they were read from:
/// every env rule (and SVC003) asks for the same one, which is parsed once.
#[derive(Default)]
struct Read(std::sync::Mutex<Vec<(ScopeSpans, Arc<Environment>)>>);

/// The resolved spans of an env scope (`None`: read `.env` blocks anywhere).
type ScopeSpans = Option<Vec<Range<usize>>>;

impl Environment {
    /// Env blocks in `scope`; when the scope section is absent, `.env`-style blocks anywhere.
    /// Read once per document and scope.
    pub(super) fn read(doc: &Document, ctx: &Context<'_>, scope: &[String]) -> Arc<Self> {
        let spans = if scope.is_empty() {
            None
        } else {
            ctx.scope(doc, scope)
        };
        let read = doc.memo(Read::default);
        let mut cache = read.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, env)) = cache.iter().find(|(k, _)| *k == spans) {
            return env.clone();
        }
        let env = Arc::new(Environment::parse(doc, spans.as_deref()));
        cache.push((spans, env.clone()));
        env
    }

    fn parse(doc: &Document, spans: Option<&[Range<usize>]>) -> Self {
        let mut env = Environment::default();
        match spans.filter(|spans| {
            // a matched 13.2 without any env block falls back to `.env` blocks anywhere
            spans.iter().any(|span| {
                doc.code_blocks_in(span)
                    .any(|b| parse_block(doc, b, false).is_some())
                    || doc.tables_in(span).next().is_some()
            })
        }) {
            Some(spans) => {
                env.in_scope = true;
                for span in spans {
                    for b in doc.code_blocks_in(span) {
                        if let Some(eb) = parse_block(doc, b, false) {
                            env.blocks.push(eb);
                        }
                    }
                    // variables listed in tables or code spans of §13.2 are declared too
                    for t in doc.tables_in(span) {
                        for row in &t.rows {
                            for cell in &row.cells {
                                for m in MENTIONED.find_iter(&cell.text) {
                                    env.names.insert(m.as_str().to_string());
                                }
                            }
                        }
                    }
                    for c in doc
                        .inline_code
                        .iter()
                        .filter(|c| c.start >= span.start && c.end <= span.end)
                    {
                        let t = doc.slice(c).trim_matches('`').trim();
                        if MENTIONED.is_match(t) && UPPER_SNAKE.is_match(t) {
                            env.names.insert(t.to_string());
                        }
                    }
                }
            }
            None => {
                for b in &doc.code_blocks {
                    if let Some(eb) = parse_block(doc, b, true) {
                        env.blocks.push(eb);
                    }
                }
            }
        }
        for b in &env.blocks {
            for a in b.assignments() {
                env.names.insert(a.key.clone());
            }
        }
        env
    }
}

/// The kinds of code block that can hold env declarations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    /// ```env / ```dotenv or a block titled `.env…`: every line must parse.
    Dotenv,
    /// ```bash / ```sh: assignments among commands.
    Shell,
    /// Untagged or plain text: an env block when mostly `KEY=value`.
    Plain,
}

fn block_kind(b: &CodeBlock) -> Option<BlockKind> {
    let titled_env = b.info.contains(".env");
    match b.lang.as_str() {
        "env" | "dotenv" | ".env" => Some(BlockKind::Dotenv),
        _ if titled_env => Some(BlockKind::Dotenv),
        "bash" | "sh" | "shell" | "zsh" | "ksh" => Some(BlockKind::Shell),
        "" | "text" | "txt" | "plaintext" | "ini" | "properties" | "conf" | "config" => {
            Some(BlockKind::Plain)
        }
        _ => None,
    }
}

/// Parse `b` as an env block, or `None` when it is not one. Outside §13.2 (`anywhere`),
/// only blocks that say they are `.env` files count.
fn parse_block(doc: &Document, b: &CodeBlock, anywhere: bool) -> Option<EnvBlock> {
    let mut kind = block_kind(b)?;
    let body = doc.slice(&b.body);
    if anywhere && kind != BlockKind::Dotenv {
        // a shell or plain block whose opening comment names it a `.env` file
        let named = body
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(3)
            .any(|l| l.trim_start().starts_with('#') && l.contains(".env"));
        if !named {
            return None;
        }
        kind = BlockKind::Dotenv;
    }
    let mut lines = Vec::new();
    let (mut code, mut assigns, mut exports) = (0usize, 0usize, 0usize);
    let mut offset = b.body.start;
    let mut rest = body;
    while !rest.is_empty() {
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let raw = &rest[..len];
        let line_span = offset..offset + len;
        rest = &rest[len..];
        offset += len;
        let content = raw.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        code += 1;
        let lead = content.len() - trimmed.len();
        let start = line_span.start + lead;
        let Some(c) = ASSIGN.captures(trimmed) else {
            lines.push(Line::Malformed(
                start..line_span.start + content.len(),
                why_malformed(trimmed),
            ));
            continue;
        };
        let (Some(key), Some(value)) = (c.get(2), c.get(5)) else {
            continue;
        };
        let spaced = !c.get(3).is_none_or(|m| m.as_str().is_empty())
            || !c.get(4).is_none_or(|m| m.as_str().is_empty());
        if spaced && kind == BlockKind::Shell {
            lines.push(Line::Malformed(
                start..line_span.start + content.len(),
                "spaces around `=`: the shell runs the key as a command",
            ));
            continue;
        }
        let mut value_text = value.as_str();
        let mut value_end = start + value.end();
        // an unquoted value ends at ` #` (a trailing comment)
        if !value_text.starts_with(['"', '\'']) {
            if let Some(i) = value_text.find(" #") {
                value_text = &value_text[..i];
            }
            value_text = value_text.trim_end();
            value_end = start + value.start() + value_text.len();
        } else if let Some(q) = value_text.chars().next() {
            let closed = value_text.len() > 1 && value_text[1..].contains(q);
            if !closed {
                // a quoted value may continue on the next lines (a PEM key)
                let mut extra = 0;
                let mut found = false;
                for next in rest.split_inclusive('\n') {
                    extra += next.len();
                    if next.contains(q) {
                        found = true;
                        break;
                    }
                }
                if !found {
                    lines.push(Line::Malformed(
                        start..line_span.start + content.len(),
                        "the quoted value is never closed",
                    ));
                    continue;
                }
                rest = &rest[extra..];
                offset += extra;
                value_end = offset - 1;
            }
        }
        assigns += 1;
        if c.get(1).is_some() {
            exports += 1;
        }
        lines.push(Line::Assign(Assignment {
            key: key.as_str().to_string(),
            key_span: start + key.start()..start + key.end(),
            value: doc
                .slice(&(start + value.start()..value_end.max(start + value.start())))
                .trim()
                .to_string(),
            line: line_span.start..offset,
        }));
    }
    let is_env = match kind {
        BlockKind::Dotenv => true,
        BlockKind::Shell => assigns > 0 && assigns * 2 >= code,
        BlockKind::Plain => assigns > 0 && assigns * 3 >= code * 2,
    };
    if !is_env {
        return None;
    }
    if kind == BlockKind::Shell {
        // commands among the exports are not errors
        lines.retain(|l| match l {
            Line::Malformed(_, why) => why.starts_with("spaces"),
            Line::Assign(_) => true,
        });
    }
    Some(EnvBlock {
        block: BlockAt {
            span: b.span.clone(),
            body: b.body.clone(),
            closed: b.closed,
        },
        lines,
        export: exports * 2 > assigns,
    })
}

fn why_malformed(line: &str) -> &'static str {
    static YAML_STYLE: LazyLock<Regex> =
        LazyLock::new(|| crate::check::quick_regex(r"^[A-Za-z_][A-Za-z0-9_]*\s*:").expect("regex"));
    if line.starts_with("```") || line.starts_with("~~~") {
        "a code fence inside the block: a fence above it was never closed"
    } else if YAML_STYLE.is_match(line) {
        "`KEY: value` is YAML, not an env file"
    } else if line.starts_with(['-', '*']) {
        "a list item, not `KEY=value`"
    } else if !line.contains('=') {
        "no `=`"
    } else {
        "the key is not a variable name"
    }
}

// ─── Reports ────────────────────────────────────────────────────────────────────────────

impl EnvVars {
    /// No env block at all. Reported at 13.2 or 13 when the spec has them; a spec without
    /// 13 (whose absence the section rules report) only when it reads variables somewhere.
    /// Returns whether the check applied.
    fn missing_block(
        &self,
        doc: &Document,
        ctx: &Context<'_>,
        env: &Environment,
        out: &mut Vec<Finding>,
    ) -> bool {
        let sub = self.scope.iter().find_map(|id| ctx.outline.resolve(id));
        let parent = self
            .scope
            .iter()
            .filter_map(|id| id.split_once('.').map(|(s, _)| s))
            .find_map(|id| ctx.outline.resolve(id));
        if !env.blocks.is_empty()
            || !env.names.is_empty()
            || declared_otherwise(doc, |n| self.is_builtin(n))
        {
            return true;
        }
        let (span, why) = match (sub, parent) {
            (Some(k), _) => (
                doc.sections[k].heading.clone(),
                "this section has no env block".to_string(),
            ),
            (None, Some(k)) => (
                doc.sections[k].heading.clone(),
                "this section has no Environment Variables subsection".to_string(),
            ),
            (None, None) => {
                let mut used: Vec<String> = scan_uses(doc)
                    .into_iter()
                    .map(|u| u.name)
                    .filter(|n| !self.is_builtin(n))
                    .collect();
                used.sort();
                used.dedup();
                if used.is_empty() {
                    return false;
                }
                let listed = if used.len() > 4 {
                    format!("{} and {} more", used[..4].join(", "), used.len() - 4)
                } else {
                    used.join(", ")
                };
                (
                    doc.first_line(),
                    format!("the spec reads {listed} but has no env block"),
                )
            }
        };
        out.push(
            Finding::new(span, format!("no environment variables are declared: {why}"))
                .with_help(
                    "add `13.2 Environment Variables & Configuration` with an ```env block of `KEY=value` lines, one for every variable the system reads",
                )
                .document_level(),
        );
        true
    }
}

/// Whether the document declares its environment in another common form: a list of
/// `NAME`s (`- DATABASE_URL: Postgres connection string`), a Kubernetes `env:` block
/// (`- name: DATABASE_URL`) or a docker-compose `environment:` block (`DATABASE_URL: …`,
/// `- DATABASE_URL=…`).
/// Such a declaration counts when it declares a variable the document reads (a
/// docker-compose block that only configures the Postgres container does not declare the
/// application's `DATABASE_URL`), or any when the document reads none.
fn declared_otherwise(doc: &Document, is_builtin: impl Fn(&str) -> bool) -> bool {
    let mut names: HashSet<String> = HashSet::new();
    let mut listed = 0;
    for it in &doc.list_items {
        if doc.in_code_or_html(it.first_line.start) {
            continue;
        }
        if let Some(m) = LISTED_NAME.captures(doc.slice(&it.first_line)) {
            listed += 1;
            names.insert(m["name"].to_string());
        }
    }
    if listed < 2 {
        names.clear();
    }
    for b in &doc.code_blocks {
        let mut in_env = None::<usize>; // indentation of the `env:` key while inside it
        for line in b.literal.lines() {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if let Some(at) = in_env {
                if indent <= at && !t.starts_with('-') || indent < at {
                    in_env = None;
                } else if let Some(m) = ENV_ENTRY.captures(t) {
                    let name = m.name("name").or_else(|| m.name("name2"));
                    names.extend(name.map(|n| n.as_str().to_string()));
                    continue;
                }
            }
            if ENV_KEY.is_match(t) {
                in_env = Some(indent);
            }
        }
    }
    if names.is_empty() {
        return false;
    }
    let used: Vec<String> = scan_uses(doc)
        .into_iter()
        .map(|u| u.name)
        .filter(|n| !is_builtin(n))
        .collect();
    used.is_empty() || used.iter().any(|u| names.contains(u))
}

/// A list item that names an environment variable first: `- DATABASE_URL: …`, ``- `JWT_SECRET` — …``.
static LISTED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*|__)?`?(?P<name>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`?(?:\*\*|__)?\s*(?:$|[:=(]|—|–|-\s)",
    )
    .expect("regex")
});
/// `env:` (Kubernetes, GitHub Actions) or `environment:` (docker-compose).
static ENV_KEY: LazyLock<Regex> =
    LazyLock::new(|| crate::check::quick_regex(r"^(?:env|environment):\s*$").expect("regex"));
/// An entry of such a block: `- name: DATABASE_URL`, `DATABASE_URL: x`, `- DATABASE_URL=x`.
static ENV_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(
        r"^(?:-\s+name:\s*[\x22\x27]?(?P<name>[A-Z][A-Z0-9_]*)|-?\s*[\x22\x27]?(?P<name2>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)[\x22\x27]?\s*[:=])",
    )
    .expect("regex")
});

fn syntax(env: &Environment, out: &mut Vec<Finding>) {
    for b in &env.blocks {
        for l in &b.lines {
            if let Line::Malformed(span, why) = l {
                out.push(
                    Finding::new(span.clone(), format!("env line is not `KEY=value`: {why}"))
                        .with_help("write one `KEY=value` per line; comments start with `#`"),
                );
            }
        }
    }
}

/// `databaseUrl` / `database-url` → `DATABASE_URL`.
fn upper_snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c == '-' || c == '.' || c == '_' {
            if !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !out.ends_with('_') {
            out.push('_');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        out.extend(c.to_uppercase());
    }
    out
}

fn naming(doc: &Document, env: &Environment, out: &mut Vec<Finding>) {
    // every place a name is written as a variable, gathered once: declarations, uses,
    // `$name`/`${name}` of any case in code, and code spans holding exactly the name
    static ANY_DOLLAR: LazyLock<Regex> = LazyLock::new(|| {
        crate::check::quick_regex(r"\$\{?(?P<n>[A-Za-z_][A-Za-z0-9_]*)").expect("regex")
    });
    let mut places: HashMap<&str, Vec<Range<usize>>> = HashMap::new();
    for a in env.blocks.iter().flat_map(|b| b.assignments()) {
        places
            .entry(a.key.as_str())
            .or_default()
            .push(a.key_span.clone());
    }
    let uses = scan_uses(doc);
    for u in &uses {
        places
            .entry(u.name.as_str())
            .or_default()
            .push(u.span.clone());
    }
    for b in &doc.code_blocks {
        for c in ANY_DOLLAR.captures_iter(doc.slice(&b.body)) {
            if let Some(m) = c.name("n") {
                let at = b.body.start + m.start();
                places.entry(m.as_str()).or_default().push(at..at + m.len());
            }
        }
    }
    for c in &doc.inline_code {
        let t = doc.slice(c);
        let inner = t.trim_matches('`');
        let lead = t.len() - t.trim_start_matches('`').len();
        places
            .entry(inner)
            .or_default()
            .push(c.start + lead..c.start + lead + inner.len());
    }
    let mut reported: HashSet<&str> = HashSet::new();
    for b in &env.blocks {
        for a in b.assignments() {
            if UPPER_SNAKE.is_match(&a.key) || !reported.insert(a.key.as_str()) {
                continue;
            }
            let new = upper_snake(&a.key);
            let mut f = Finding::new(
                a.key_span.clone(),
                format!("environment variable `{}` is not UPPER_SNAKE_CASE", a.key),
            )
            .with_help(format!(
                "name it `{new}`: upper-case words joined by `_` is the convention every shell, platform and library expects"
            ));
            if !env.names.contains(&new) && UPPER_SNAKE.is_match(&new) {
                let mut spans: Vec<Range<usize>> =
                    places.get(a.key.as_str()).cloned().unwrap_or_default();
                spans.sort_by_key(|s| s.start);
                spans.dedup();
                f = f.with_fix(Fix::new(
                    format!("rename `{}` to `{new}` everywhere in the document", a.key),
                    Applicability::Unsafe,
                    spans
                        .into_iter()
                        .map(|s| Edit::replace(s, new.clone()))
                        .collect(),
                ));
            }
            out.push(f);
        }
    }
}

fn duplicates(doc: &Document, env: &Environment, out: &mut Vec<Finding>) {
    for b in &env.blocks {
        let mut first: HashMap<&str, &Assignment> = HashMap::new();
        for a in b.assignments() {
            let Some(prev) = first.get(a.key.as_str()).copied() else {
                first.insert(a.key.as_str(), a);
                continue;
            };
            let p = doc.position(prev.key_span.start);
            let mut f = Finding::new(
                a.key_span.clone(),
                format!("`{}` is declared twice in this env block", a.key),
            )
            .with_related(prev.key_span.clone(), "first declared here");
            if prev.value == a.value {
                f = f
                    .with_help(format!("delete this line: it repeats line {}", p.line))
                    .with_fix(Fix::new(
                        "delete the repeated line",
                        Applicability::Safe,
                        vec![Edit::delete(a.line.clone())],
                    ));
            } else {
                f = f.with_help(format!(
                    "keep one declaration: the later value `{}` silently overrides `{}` from line {}",
                    shown(&a.value),
                    shown(&prev.value),
                    p.line
                ));
            }
            out.push(f);
        }
    }
}

/// A value as a message may show it: secrets never reach here (the key is not secret-like
/// when values differ), but long values are shortened.
fn shown(v: &str) -> String {
    if v.is_empty() {
        return "(empty)".into();
    }
    let mut s: String = v.chars().take(40).collect();
    if s.len() < v.len() {
        s.push('…');
    }
    s
}

impl EnvVars {
    fn empty(&self, doc: &Document, env: &Environment, out: &mut Vec<Finding>) {
        let names_source = |t: &str| {
            self.secret_sources
                .as_ref()
                .is_some_and(|re| re.is_match(t))
        };
        let sourced = names_source(&doc.text);
        for b in &env.blocks {
            // a block whose secrets carry their source as the value (`stored-in-1password`)
            // sets a convention that an empty secret breaks
            let convention = b
                .assignments()
                .find(|a| self.is_secret(&a.key) && !a.value.is_empty() && names_source(&a.value));
            let mut unsourced: Vec<&Assignment> = Vec::new();
            for a in b.assignments() {
                let v = a.value.trim();
                if !(v.is_empty() || v == "\"\"" || v == "''") || self.is_builtin(&a.key) {
                    continue;
                }
                if self.is_secret(&a.key) {
                    if let Some(c) = convention {
                        out.push(
                            Finding::new(
                                a.key_span.clone(),
                                format!(
                                    "secret `{}` is empty, while this block says where the others are kept",
                                    a.key
                                ),
                            )
                            .with_related(c.key_span.clone(), format!("`{}` names its source", c.key))
                            .with_help(format!(
                                "write where `{}` comes from the way the other secrets do (e.g. `{}`)",
                                a.key,
                                shown(&c.value)
                            )),
                        );
                    } else if !sourced {
                        unsourced.push(a);
                    }
                    continue;
                }
                if self.is_identifier(&a.key) {
                    continue;
                }
                out.push(
                    Finding::new(a.key_span.clone(), format!("`{}` has no value", a.key)).with_help(
                        "write the value (or the default) the system runs with; only secrets, which come from the secret store, and per-environment ids and URLs are left empty",
                    ),
                );
            }
            if let Some((first, rest)) = unsourced.split_first() {
                let names: Vec<&str> = unsourced.iter().map(|a| a.key.as_str()).collect();
                let listed = if names.len() > 4 {
                    format!("{} and {} more", names[..4].join(", "), names.len() - 4)
                } else {
                    names.join(", ")
                };
                let mut f = Finding::new(
                    first.key_span.clone(),
                    format!(
                        "{} secret variable{} left empty ({listed}) but the document never says where secret values come from",
                        names.len(),
                        if names.len() == 1 { " is" } else { "s are" }
                    ),
                )
                .with_help(
                    "say where the values live and how they reach the runtime (a secrets manager, vault, the platform's secret store), e.g. a comment `# values from AWS Secrets Manager`",
                );
                for a in rest.iter().take(8) {
                    f = f.with_related(a.key_span.clone(), "also empty");
                }
                out.push(f);
            }
        }
    }

    fn undeclared(&self, doc: &Document, env: &Environment, out: &mut Vec<Finding>) {
        let target = env
            .blocks
            .iter()
            .rev()
            .find(|b| env.in_scope || b.block.closed);
        let mut fixed: HashSet<&str> = HashSet::new();
        let uses = scan_uses(doc);
        for u in &uses {
            if env.names.contains(&u.name) || self.is_builtin(&u.name) {
                continue;
            }
            let mut f = Finding::new(
                u.span.clone(),
                format!(
                    "`{}` is used here but not declared in the environment variables (13.2)",
                    u.name
                ),
            )
            .with_help(format!(
                "add `{}=` to the env block in 13.2 with its value, or leave it empty and say where the secret comes from",
                u.name
            ));
            if let Some(t) = target.filter(|t| t.block.closed)
                && fixed.insert(u.name.as_str())
            {
                f = f.with_fix(Fix::new(
                    format!("declare `{}` in the env block", u.name),
                    Applicability::Unsafe,
                    vec![declare(doc, t, &u.name)],
                ));
            }
            out.push(f);
        }
    }
}

/// An edit adding `NAME=` as the last line of env block `b`.
fn declare(doc: &Document, b: &EnvBlock, name: &str) -> Edit {
    let nl = doc.newline();
    let export = if b.export { "export " } else { "" };
    let body = &b.block.body;
    let indent: String = doc.text[doc.lines.line_start(doc.lines.line_of(b.block.span.start))..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    if body.is_empty() {
        return Edit::insert(body.start, format!("{indent}{export}{name}={nl}"));
    }
    let at = body.end;
    if doc.text[..at].ends_with('\n') {
        Edit::insert(at, format!("{indent}{export}{name}={nl}"))
    } else {
        Edit::insert(at, format!("{nl}{indent}{export}{name}="))
    }
}

// ─── Uses ───────────────────────────────────────────────────────────────────────────────

/// A place the document reads a variable.
#[derive(Debug, Clone)]
pub(super) struct Use {
    pub name: String,
    pub span: Range<usize>,
}

/// Calls that read the environment, in the languages specs quote. Group `n` is the name.
static CALLS: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(concat!(
        r#"(?:process\.env|import\.meta\.env|Bun\.env)\.(?P<n>[A-Za-z_][A-Za-z0-9_]*)"#,
        r#"|process\.env\[\s*["'`](?P<n2>[A-Za-z_][A-Za-z0-9_]*)["'`]\s*\]"#,
        r#"|(?:os\.environ|ENV|\$_ENV|\$_SERVER)\[\s*["'](?P<n3>[A-Za-z_][A-Za-z0-9_]*)["']\s*\]"#,
        r#"|(?:os\.environ\.get|ENV\.fetch|Deno\.env\.get|(?i:getenv)|os\.LookupEnv|env::var(?:_os)?|env!|option_env!|System\.get_env|System\.fetch_env!|Environment\.GetEnvironmentVariable)\(\s*["'](?P<n4>[A-Za-z_][A-Za-z0-9_]*)["']"#,
        // django-environ / Laravel: env("KEY"), env.str("KEY") — upper-case names only
        r#"|(?-u:\b)env(?:\.[a-z_]+)?\(\s*["'](?P<n5>[A-Z][A-Z0-9_]*)["']"#,
    ))
    .expect("regex")
});

/// `$VAR`, `${VAR}`, `${VAR:-default}`: shell-style references (upper-case names only;
/// lower-case ones are script-local variables).
static DOLLAR: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"\$(?:\{(?P<b>[A-Za-z_][A-Za-z0-9_]*)(?:[:?+=\-#%/][^}\n]*)?\}|(?P<p>[A-Za-z_][A-Za-z0-9_]*))")
        .expect("regex")
});

/// Names a code block defines for itself: shell assignments, `for X in`, `read X`, YAML
/// `env:` keys, Dockerfile `ENV`/`ARG`.
static LOCAL: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(concat!(
        r"(?m)(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)*)?(?P<a>[A-Za-z_][A-Za-z0-9_]*)=",
        r"|(?-u:\b)for\s+(?P<f>[A-Za-z_][A-Za-z0-9_]*)\s+in(?-u:\b)",
        r"|(?-u:\b)read\s+(?:-\w+\s+)*(?P<r>[A-Za-z_][A-Za-z0-9_]*)",
        r"|^\s*(?:-\s+)?(?P<y>[A-Z_][A-Z0-9_]*)\s*:",
        r"|^\s*(?:ENV|ARG)\s+(?P<d>[A-Za-z_][A-Za-z0-9_]*)",
    ))
    .expect("regex")
});

/// Code languages in which `$VAR` means an environment variable.
fn dollar_means_env(lang: &str) -> bool {
    matches!(
        lang,
        "" | "bash"
            | "sh"
            | "shell"
            | "zsh"
            | "ksh"
            | "fish"
            | "console"
            | "shell-session"
            | "shellsession"
            | "terminal"
            | "dockerfile"
            | "docker"
            | "containerfile"
            | "yaml"
            | "yml"
            | "makefile"
            | "make"
            | "env"
            | "dotenv"
            | "ini"
            | "toml"
            | "conf"
            | "properties"
            | "text"
            | "txt"
            | "plaintext"
            | "json"
            | "jsonc"
            | "hcl"
            | "terraform"
            | "tf"
            | "nginx"
            | "procfile"
    )
}

/// Every place the document reads an environment variable, in document order.
pub(super) fn scan_uses(doc: &Document) -> Vec<Use> {
    let mut uses: Vec<Use> = Vec::new();
    let text = doc.text.as_str();
    let mut seen: HashSet<usize> = HashSet::new();
    for c in CALLS.captures_iter(text) {
        let Some(m) = ["n", "n2", "n3", "n4", "n5"].iter().find_map(|g| c.name(g)) else {
            continue;
        };
        if seen.insert(m.start()) {
            uses.push(Use {
                name: m.as_str().to_string(),
                span: m.range(),
            });
        }
    }
    let mut dollar_in = |span: Range<usize>, locals: &HashSet<&str>, uses: &mut Vec<Use>| {
        let part = doc.slice(&span);
        for c in DOLLAR.captures_iter(part) {
            let Some(m) = c.name("b").or_else(|| c.name("p")) else {
                continue;
            };
            let whole = c.get(0).map_or(m.start(), |w| w.start());
            let name = m.as_str();
            let escaped = part[..whole].ends_with('\\');
            if escaped
                || name.len() < 2
                || !UPPER_SNAKE.is_match(name)
                || !name.chars().any(|ch| ch.is_ascii_alphabetic())
                || locals.contains(name)
            {
                continue;
            }
            let at = span.start + m.start();
            if seen.insert(at) {
                uses.push(Use {
                    name: name.to_string(),
                    span: at..at + name.len(),
                });
            }
        }
    };
    for b in &doc.code_blocks {
        if !dollar_means_env(&b.lang) {
            continue;
        }
        let body = doc.slice(&b.body);
        let locals: HashSet<&str> = LOCAL
            .captures_iter(body)
            .filter_map(|c| ["a", "f", "r", "y", "d"].iter().find_map(|g| c.name(g)))
            .map(|m| m.as_str())
            .collect();
        dollar_in(b.body.clone(), &locals, &mut uses);
    }
    let none = HashSet::new();
    for c in &doc.inline_code {
        dollar_in(c.clone(), &none, &mut uses);
    }
    uses.sort_by_key(|u| u.span.start);
    uses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_snake_names() {
        assert_eq!(upper_snake("databaseUrl"), "DATABASE_URL");
        assert_eq!(upper_snake("database-url"), "DATABASE_URL");
        assert_eq!(upper_snake("Stripe_Key"), "STRIPE_KEY");
        assert_eq!(upper_snake("s3Bucket"), "S3_BUCKET");
    }

    fn names(md: &str) -> Vec<String> {
        let doc = Document::parse("x.md", md);
        scan_uses(&doc).into_iter().map(|u| u.name).collect()
    }

    #[test]
    fn finds_uses_in_every_language() {
        let md = "```ts\nconst a = process.env.API_URL;\nconst b = `${LOCAL_TEMPLATE}`;\nimport.meta.env.VITE_KEY\n```\n\n```python\nos.environ[\"PY_A\"]; os.getenv('PY_B'); env(\"DJ_C\")\n```\n\n```bash\npsql \"$DATABASE_URL\" ${REDIS_URL:-redis://localhost} $lower \\$ESCAPED\n```\n\n```ruby\nENV.fetch(\"RB_A\") ENV[\"RB_B\"]\n```\n\n```rust\nstd::env::var(\"RS_A\")\n```\n\nRun `curl $API_HOST` and `Deno.env.get(\"DENO_A\")`.\n";
        assert_eq!(
            names(md),
            [
                "API_URL",
                "VITE_KEY",
                "PY_A",
                "PY_B",
                "DJ_C",
                "DATABASE_URL",
                "REDIS_URL",
                "RB_A",
                "RB_B",
                "RS_A",
                "API_HOST",
                "DENO_A"
            ]
        );
    }

    #[test]
    fn block_local_variables_and_ci_expressions_are_not_uses() {
        let md = "```bash\nVERSION=$(cat VERSION)\necho $VERSION\nfor FILE in *.md; do echo $FILE; done\n```\n\n```yaml\nenv:\n  NODE_VERSION: 20\nsteps:\n  - run: echo $NODE_VERSION ${{ secrets.DEPLOY_KEY }} $TOKEN\n```\n";
        assert_eq!(names(md), ["TOKEN"]);
    }

    #[test]
    fn prices_are_not_variables() {
        assert!(names("```\nmonthly_limit: $500\n```\n").is_empty());
    }
}
