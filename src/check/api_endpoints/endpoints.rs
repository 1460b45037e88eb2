//! Finding REST endpoints wherever a specification writes them: `GET /users/:id  # …` lines
//! in code blocks, tables with method and path columns, headings such as
//! `#### POST /auth/login`, and `METHOD /path` in prose or inline code. One pass over each
//! kind of block; nothing is rescanned per endpoint.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::regexes::compiled;
use crate::document::{Document, Table};

/// How an endpoint is written, which decides where its description is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A line of a code block that starts with the method: a listing.
    CodeLine,
    /// A table row with method and path.
    TableRow,
    /// A heading `POST /auth/login`.
    Heading,
    /// A list item or paragraph line that starts with the method.
    ProseLine,
    /// Named in passing (`clients call \`POST /auth/refresh\` when …`, an HTTP example,
    /// `curl -X POST …`): a reference, not a definition.
    Mention,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub method: &'static str,
    /// As written, without host or query.
    pub path: String,
    /// `GET /users/:id` in the source.
    pub span: Range<usize>,
    /// The host, when written as an absolute URL (`https://api.stripe.com/v1/refunds`).
    pub host: Option<String>,
    pub form: Form,
    /// A description accompanies it (meaningful for every form but `Mention`).
    pub described: bool,
}

impl Endpoint {
    pub fn is_listing(&self) -> bool {
        self.form != Form::Mention
    }

    /// `GET /users/:id`, for messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

static ENDPOINT: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        r"\b(?P<m>(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)(?:\s*[/|,]\s*(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS))*)\s+(?:https?://(?P<h>[A-Za-z0-9.\-:\[\]{}_]+))?(?P<p>/)",
    )
});

/// Every endpoint of the document, in document order.
pub fn find(doc: &Document) -> Vec<Endpoint> {
    let around = Surroundings::new(doc);
    let mut out = Vec::new();
    for block in &doc.code_blocks {
        if matches!(
            block.lang.as_str(),
            "mermaid" | "plantuml" | "puml" | "dot" | "graphviz" | "sequence"
        ) {
            continue;
        }
        code_block(doc, block, &around, &mut out);
    }
    for table in &doc.tables {
        table_rows(doc, table, &mut out);
    }
    for s in &doc.sections {
        heading(doc, s, &mut out);
    }
    prose(doc, &around, &mut out);
    out.sort_by_key(|e| e.span.start);
    out
}

/// The document's lines, and which of them are headings and where blocks start and end:
/// what a lone endpoint line needs to find its description around it.
struct Surroundings<'d> {
    lines: Vec<(usize, &'d str)>,
    headings: HashSet<usize>,
    /// First lines of code blocks and tables.
    block_starts: HashSet<usize>,
}

impl<'d> Surroundings<'d> {
    fn new(doc: &'d Document) -> Self {
        let mut pos = 0;
        let lines = doc
            .text
            .split_inclusive('\n')
            .map(|l| {
                let at = pos;
                pos += l.len();
                (at, l.trim_end_matches(['\n', '\r']))
            })
            .collect();
        Surroundings {
            lines,
            headings: doc
                .sections
                .iter()
                .map(|s| doc.lines.line_of(s.heading.start))
                .collect(),
            block_starts: doc
                .code_blocks
                .iter()
                .map(|b| doc.lines.line_of(b.span.start))
                .chain(doc.tables.iter().map(|t| doc.lines.line_of(t.span.start)))
                .collect(),
        }
    }

    /// Whether the unit on lines `first..=last` (an endpoint line, or a code block holding
    /// only an endpoint) is described by what surrounds it: an indented continuation (a
    /// nested list), the paragraph, table or code block right after it (unless that is the
    /// next item of a list), or a specific heading right above it (`#### Create an order`
    /// then `` `POST /orders` ``).
    fn describe(&self, first: usize, last: usize, list_item: bool) -> bool {
        static GENERIC: LazyLock<Regex> =
            LazyLock::new(|| compiled(r"(?i)endpoints?|\bapi\b|routes?|resources?|specification"));
        let lines = &self.lines;
        let Some(&(_, line)) = lines.get(first) else {
            return false;
        };
        let indent = line.len() - line.trim_start().len();
        let starts_endpoint = |l: &str| {
            let lead = lead_in(l);
            ENDPOINT.find(&l[lead..]).is_some_and(|m| m.start() == 0)
        };
        if let Some(k) = (last + 1..lines.len()).find(|&k| !lines[k].1.trim().is_empty()) {
            let l = lines[k].1;
            let ni = l.len() - l.trim_start().len();
            if ni > indent && !starts_endpoint(l) && describes(l) {
                return true;
            }
            if !list_item
                && !self.headings.contains(&k)
                && !starts_endpoint(l)
                && !is_list_item(l)
                && (self.block_starts.contains(&k) || describes(l))
            {
                return true;
            }
        }
        (0..first)
            .rev()
            .find(|&k| !lines[k].1.trim().is_empty())
            .is_some_and(|k| {
                self.headings.contains(&k) && {
                    let title = lines[k].1.trim_start_matches('#').trim();
                    !GENERIC.is_match(title) && describes(title) && !ENDPOINT.is_match(title)
                }
            })
    }
}

fn is_list_item(l: &str) -> bool {
    let t = l.trim_start();
    t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") || ordered_marker(t).is_some()
}

/// One `METHOD /path` in a line: its methods (`GET/POST` is two), path, range in the line
/// and host (for an absolute URL).
struct LineMatch {
    methods: Vec<&'static str>,
    path: String,
    range: Range<usize>,
    host: Option<String>,
}

fn matches_in(line: &str) -> Vec<LineMatch> {
    let mut found = Vec::new();
    for c in ENDPOINT.captures_iter(line) {
        let (Some(m), Some(p)) = (c.name("m"), c.name("p")) else {
            continue;
        };
        // `POST`-like words inside identifiers (`HTTP_POST /x`) are not methods
        if line[..m.start()].ends_with(['_', '-', '.']) {
            continue;
        }
        let path_end = p.start() + path_len(&line[p.start()..]);
        let path = line[p.start()..path_end].to_string();
        if path.len() < 2
            && !line[path_end..]
                .trim_start()
                .starts_with(['#', '-', '—', ':', '|'])
        {
            // a lone `/` is a root route only when something describes it
            if path == "/" && line[path_end..].trim().is_empty() {
                continue;
            }
        }
        let methods: Vec<&'static str> = METHODS
            .iter()
            .copied()
            .filter(|meth| {
                m.as_str()
                    .split(|ch: char| !ch.is_ascii_alphabetic())
                    .any(|w| w == *meth)
            })
            .collect();
        let host = c.name("h").map(|h| h.as_str().to_lowercase());
        found.push(LineMatch {
            methods,
            path,
            range: m.start()..path_end,
            host,
        });
    }
    found
}

/// Length of the path at the start of `s` (which starts with `/`): up to whitespace,
/// markup or an unbalanced closing bracket; trailing punctuation is not part of it.
fn path_len(s: &str) -> usize {
    let mut depth: i32 = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' | '<' | '[' | '(' => depth += 1,
            '}' | '>' | ']' | ')' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            c if c.is_whitespace() || matches!(c, '`' | '|' | '"' | '\'' | '*') => break,
            _ => {}
        }
        end = i + c.len_utf8();
    }
    let trimmed = s[..end].trim_end_matches(['.', ',', ';', ':', '!']);
    trimmed.len().max(1)
}

/// Strip list markers, bold/italic and comment markers at the start of a line; returns
/// the offset where content starts and whether a comment marker was removed.
fn lead_in(line: &str) -> usize {
    let mut i = 0;
    let b = line.as_bytes();
    loop {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        let rest = &line[i..];
        let skip = if rest.starts_with("//") || rest.starts_with("--") {
            2
        } else if rest.starts_with("- ")
            || rest.starts_with("* ")
            || rest.starts_with("+ ")
            || rest.starts_with("• ")
            || rest.starts_with("# ")
        {
            rest.chars().next().map_or(1, char::len_utf8)
        } else if rest.starts_with("**") || rest.starts_with("__") {
            2
        } else if rest.starts_with('`')
            || rest.starts_with('*')
            || rest.starts_with('_')
            || rest.starts_with('|')
        {
            1
        } else {
            ordered_marker(rest).unwrap_or_default()
        };
        if skip == 0 {
            return i;
        }
        i += skip;
    }
}

/// `1. ` / `12) `.
fn ordered_marker(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0
        && matches!(s.as_bytes().get(digits), Some(b'.' | b')'))
        && s.as_bytes().get(digits + 1) == Some(&b' '))
    .then_some(digits + 2)
}

/// Text after a path that describes it: not separators, markup or status codes alone.
fn describes(rest: &str) -> bool {
    let t = rest.trim_start_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '`' | '*'
                    | '_'
                    | '#'
                    | '/'
                    | '-'
                    | '—'
                    | '–'
                    | ':'
                    | '='
                    | '>'
                    | '→'
                    | '|'
                    | '('
                    | ')'
            )
    });
    if t.starts_with("HTTP/") {
        return false;
    }
    t.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

fn push_all(
    out: &mut Vec<Endpoint>,
    m: &LineMatch,
    span: Range<usize>,
    form: Form,
    described: bool,
) {
    for method in &m.methods {
        out.push(Endpoint {
            method,
            path: m.path.clone(),
            span: span.clone(),
            host: m.host.clone(),
            form,
            described,
        });
    }
}

fn code_block(
    doc: &Document,
    block: &crate::document::CodeBlock,
    around: &Surroundings<'_>,
    out: &mut Vec<Endpoint>,
) {
    let lit = &block.literal;
    if !lit.contains('/') {
        return;
    }
    let lines: Vec<(usize, &str)> = {
        let mut pos = 0;
        lit.split_inclusive('\n')
            .map(|l| {
                let at = pos;
                pos += l.len();
                (at, l.trim_end_matches(['\n', '\r']))
            })
            .collect()
    };
    let http = matches!(block.lang.as_str(), "http" | "https" | "rest" | "httpie");
    let is_endpoint_line = |l: &str| {
        let lead = lead_in(l);
        ENDPOINT.find(&l[lead..]).is_some_and(|m| m.start() == 0)
    };
    for (n, &(at, line)) in lines.iter().enumerate() {
        let found = matches_in(line);
        if found.is_empty() {
            continue;
        }
        let lead = lead_in(line);
        for (i, m) in found.iter().enumerate() {
            let range = &m.range;
            let start = doc.code_offset(block, at + range.start);
            let end = doc.code_offset(block, at + range.end).max(start);
            let first = i == 0 && range.start == lead;
            let request_line = line[range.end..].trim_start().starts_with("HTTP/");
            if !first || http || request_line {
                push_all(out, m, start..end, Form::Mention, true);
                continue;
            }
            let mut described = describes(&line[range.end..]);
            let alone = lines.iter().filter(|(_, l)| !l.trim().is_empty()).count() == 1;
            if !described && alone && block.fenced {
                // a block holding just this endpoint: described by its heading or the text after
                let first = doc.lines.line_of(block.span.start);
                let last = doc
                    .lines
                    .line_of(block.span.end.saturating_sub(1).max(block.span.start));
                described = around.describe(first, last, false);
            } else if !described {
                // described by the lines after it (a body, "Auth: …") or a comment before it
                let next = lines[n + 1..]
                    .iter()
                    .map(|(_, l)| *l)
                    .find(|l| !l.trim().is_empty());
                let prev = lines[..n]
                    .iter()
                    .rev()
                    .map(|(_, l)| *l)
                    .find(|l| !l.trim().is_empty());
                described = next.is_some_and(|l| !is_endpoint_line(l))
                    || prev.is_some_and(|l| {
                        let t = l.trim_start();
                        (t.starts_with('#') || t.starts_with("//") || t.starts_with("--"))
                            && !ENDPOINT.is_match(l)
                            && describes(t)
                    });
            }
            push_all(out, m, start..end, Form::CodeLine, described);
        }
    }
}

/// Header words of columns that describe an endpoint.
const DESCRIPTION_COLUMNS: &[&str] = &[
    "description",
    "purpose",
    "summary",
    "notes",
    "action",
    "what",
    "details",
    "function",
    "use",
    "behavio",
    "operation",
    "returns",
    "response",
    "effect",
    "explanation",
    "meaning",
];
/// Header words of columns that do not (alone) describe one.
const NON_DESCRIPTION_COLUMNS: &[&str] = &[
    "method",
    "verb",
    "path",
    "endpoint",
    "route",
    "url",
    "uri",
    "auth",
    "status",
    "code",
    "rate",
    "limit",
    "role",
    "permission",
    "scope",
    "version",
    "cache",
    "#",
];

fn table_rows(doc: &Document, table: &Table, out: &mut Vec<Endpoint>) {
    let method_col = table.column(&["method", "verb"]);
    let path_col = table.column(&["path", "endpoint", "route", "url", "uri", "resource"]);
    let desc_col = table.column(DESCRIPTION_COLUMNS);
    let other_cols: Vec<usize> = table
        .header
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let t = c.text.to_lowercase();
            !NON_DESCRIPTION_COLUMNS.iter().any(|n| t.contains(n))
        })
        .map(|(i, _)| i)
        .collect();
    for row in &table.rows {
        let filled = |i: usize| {
            row.cells
                .get(i)
                .is_some_and(|c| describes(&c.text) && !is_placeholder(&c.text))
        };
        let described = match desc_col {
            Some(d) => filled(d),
            None => other_cols
                .iter()
                .any(|&i| Some(i) != path_col && Some(i) != method_col && filled(i)),
        };
        if let (Some(mc), Some(pc)) = (method_col, path_col)
            && mc != pc
        {
            let (Some(mcell), Some(pcell)) = (row.cells.get(mc), row.cells.get(pc)) else {
                continue;
            };
            let methods: Vec<&'static str> = METHODS
                .iter()
                .copied()
                .filter(|m| {
                    mcell
                        .text
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .any(|w| w == *m)
                })
                .collect();
            let ptext = doc.slice(&pcell.span);
            let Some(slash) = ptext.find('/') else {
                continue;
            };
            if methods.is_empty() {
                continue;
            }
            let len = path_len(&ptext[slash..]);
            let start = pcell.span.start + slash;
            let m = LineMatch {
                methods,
                path: ptext[slash..slash + len].to_string(),
                range: 0..0,
                host: None,
            };
            push_all(
                out,
                &m,
                mcell.span.start.min(start)..start + len,
                Form::TableRow,
                described,
            );
            continue;
        }
        // `GET /x` written inside one cell
        for (ci, cell) in row.cells.iter().enumerate() {
            let text = doc.slice(&cell.span);
            for m in matches_in(text) {
                let form = if Some(ci) == path_col || ci == 0 {
                    Form::TableRow
                } else {
                    Form::Mention
                };
                let span = cell.span.start + m.range.start..cell.span.start + m.range.end;
                let described = described || describes(&text[m.range.end..]);
                push_all(out, &m, span, form, described);
            }
        }
    }
}

fn is_placeholder(cell: &str) -> bool {
    let t = cell.trim().trim_matches(['*', '`', '_']);
    t.is_empty()
        || matches!(
            t.to_lowercase().as_str(),
            "-" | "—" | "tbd" | "todo" | "n/a" | "?" | "..."
        )
        || (t.starts_with('[') && t.ends_with(']'))
}

fn heading(doc: &Document, s: &crate::document::Section, out: &mut Vec<Endpoint>) {
    let title_text = doc.slice(&s.title_span);
    let lead = lead_in(title_text);
    let found = matches_in(title_text);
    let Some(m) = found.into_iter().next() else {
        return;
    };
    let range = m.range.clone();
    let span = s.title_span.start + range.start..s.title_span.start + range.end;
    if range.start != lead {
        push_all(out, &m, span, Form::Mention, true);
        return;
    }
    // described by the rest of the title or by anything before its first subheading
    let own_body_end = s
        .children
        .first()
        .map_or(s.body.end, |&c| doc.sections[c].heading.start);
    let body = doc.slice(&(s.body.start..own_body_end.max(s.body.start)));
    let described = describes(&title_text[range.end..]) || !body.trim().is_empty();
    push_all(out, &m, span, Form::Heading, described);
}

/// Lines outside code blocks, tables and headings.
fn prose(doc: &Document, around: &Surroundings<'_>, out: &mut Vec<Endpoint>) {
    let mut skip: Vec<Range<usize>> = doc
        .code_blocks
        .iter()
        .map(|b| b.span.clone())
        .chain(doc.tables.iter().map(|t| t.span.clone()))
        .chain(doc.sections.iter().map(|s| s.heading.clone()))
        .collect();
    skip.sort_by_key(|r| r.start);
    let mut skip = skip.into_iter().peekable();
    let lines = &around.lines;
    for (n, &(at, line)) in lines.iter().enumerate() {
        while skip.peek().is_some_and(|r| r.end <= at) {
            skip.next();
        }
        if skip.peek().is_some_and(|r| r.start <= at && at < r.end) {
            continue;
        }
        if !line.contains('/') {
            continue;
        }
        let found = matches_in(line);
        if found.is_empty() {
            continue;
        }
        let lead = lead_in(line);
        for (i, m) in found.iter().enumerate() {
            let range = &m.range;
            let span = at + range.start..at + range.end;
            if i > 0 || range.start != lead {
                push_all(out, m, span, Form::Mention, true);
                continue;
            }
            let described =
                describes(&line[range.end..]) || around.describe(n, n, is_list_item(line));
            push_all(out, m, span, Form::ProseLine, described);
        }
    }
}

/// The comparison key of a path: host, query and `/api` / `/v1` prefixes dropped,
/// parameters (`:id`, `{id}`, `<id>`, `[id]`, numbers, UUIDs) made alike, trailing slash
/// ignored, case folded. `base` segments (from the stated base URL) are dropped too.
pub fn normalize(path: &str, base: &[String]) -> String {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase)
        .collect();
    // the stated base path, then any `api` / version prefix
    if !base.is_empty() && segs.len() >= base.len() && segs[..base.len()] == *base {
        segs.drain(..base.len());
    }
    while segs
        .first()
        .is_some_and(|s| s == "api" || s == "rest" || is_version(s))
    {
        segs.remove(0);
    }
    let segs: Vec<String> = segs
        .into_iter()
        .map(|s| {
            if s.starts_with([':', '{', '<', '[', '$'])
                || s == "*"
                || s.chars().all(|c| c.is_ascii_digit())
                || (s.len() >= 32 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
            {
                "{}".to_string()
            } else {
                s
            }
        })
        .collect();
    format!("/{}", segs.join("/"))
}

fn is_version(s: &str) -> bool {
    s.strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eps(md: &str) -> Vec<(String, Form, bool)> {
        find(&Document::parse("spec.md", md))
            .into_iter()
            .map(|e| (e.label(), e.form, e.described))
            .collect()
    }

    #[test]
    fn code_listing_with_comments() {
        let got = eps(
            "```\nGET    /api/v1/users/:id   # Get a user\nPOST   /auth/login\nDELETE /users/{id}\n```\n",
        );
        assert_eq!(
            got,
            [
                ("GET /api/v1/users/:id".into(), Form::CodeLine, true),
                ("POST /auth/login".into(), Form::CodeLine, false),
                ("DELETE /users/{id}".into(), Form::CodeLine, false),
            ]
        );
    }

    #[test]
    fn code_line_described_by_following_lines() {
        let got = eps("```\nPOST /auth/login\nBody: { email, password }\n\nGET /me\n```\n");
        assert_eq!(got[0], ("POST /auth/login".into(), Form::CodeLine, true));
        assert_eq!(got[1], ("GET /me".into(), Form::CodeLine, false));
        let got =
            eps("```ts\n// GET /api/devices\ninterface GetDevicesRequest { page?: number }\n```\n");
        assert_eq!(got[0], ("GET /api/devices".into(), Form::CodeLine, true));
    }

    #[test]
    fn http_examples_and_combined_methods_are_mentions() {
        let got = eps(
            "```http\nPOST /api/v2/compare HTTP/1.1\nContent-Type: application/json\n```\n\nEndpoints: `GET/POST /api/v1/schedules`.\n",
        );
        assert_eq!(
            got,
            [
                ("POST /api/v2/compare".into(), Form::Mention, true),
                ("GET /api/v1/schedules".into(), Form::Mention, true),
                ("POST /api/v1/schedules".into(), Form::Mention, true),
            ]
        );
    }

    #[test]
    fn tables_headings_and_prose() {
        let md = "| Method | Path | Description |\n|---|---|---|\n| GET | `/users/:id` | Get a user |\n| POST | `/users` | |\n\n- `GET /health` — liveness\n- **POST /webhooks/stripe**\n\n#### POST /auth/login\nLogs a user in.\n\n#### DELETE /session\n\n#### Errors\n";
        let got = eps(md);
        assert_eq!(
            got,
            [
                ("GET /users/:id".into(), Form::TableRow, true),
                ("POST /users".into(), Form::TableRow, false),
                ("GET /health".into(), Form::ProseLine, true),
                ("POST /webhooks/stripe".into(), Form::ProseLine, false),
                ("POST /auth/login".into(), Form::Heading, true),
                ("DELETE /session".into(), Form::Heading, false),
            ]
        );
    }

    #[test]
    fn prose_endpoint_under_its_own_heading_or_before_its_body() {
        let md = "#### Create an order\n`POST /api/v1/orders`\n\n#### Endpoints\n`GET /api/v1/orders`\n\n#### Other\n\n`DELETE /api/v1/orders/{id}`\n\nRequest body: none; returns 204.\n\n- `GET /a`\n- `GET /b`\n";
        let got = eps(md);
        assert_eq!(
            got,
            [
                ("POST /api/v1/orders".into(), Form::ProseLine, true),
                ("GET /api/v1/orders".into(), Form::ProseLine, false),
                ("DELETE /api/v1/orders/{id}".into(), Form::ProseLine, true),
                ("GET /a".into(), Form::ProseLine, false),
                ("GET /b".into(), Form::ProseLine, false),
            ]
        );
    }

    #[test]
    fn endpoint_column_with_method_inside() {
        let md = "| Endpoint | Auth | Purpose |\n|---|---|---|\n| `GET /stations` | Bearer | List stations |\n| `DELETE /stations/:id` | admin | |\n";
        let got = eps(md);
        assert_eq!(got[0], ("GET /stations".into(), Form::TableRow, true));
        assert_eq!(
            got[1],
            ("DELETE /stations/:id".into(), Form::TableRow, false)
        );
    }

    #[test]
    fn paths_stop_at_markup_and_punctuation() {
        assert_eq!(path_len("/users/:id`, next"), "/users/:id".len());
        assert_eq!(path_len("/users/{id}/items."), "/users/{id}/items".len());
        assert_eq!(path_len("/a/(b)) x"), "/a/(b)".len());
    }

    #[test]
    fn normalization() {
        let n = |p: &str| normalize(p, &[]);
        assert_eq!(n("/api/v1/users/:id/"), n("/users/{userId}"));
        assert_eq!(n("/users/<id>"), n("/users/42"));
        assert_eq!(n("/reports/export.csv?from=&to="), "/reports/export.csv");
        assert_eq!(
            normalize("/rest/2/users", &["rest".into(), "2".into()]),
            "/users"
        );
        assert_ne!(n("/users"), n("/users/{id}"));
    }
}
