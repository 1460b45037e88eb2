//! `api-endpoints`: the API specification is complete. Endpoints are found wherever the
//! document writes them (see [`endpoints`]); the `report` parameter picks the aspect:
//!
//! - `description`: an endpoint listed (code line, table row, heading, list item) with
//!   nothing saying what it does.
//! - `error-responses`: the API section has neither HTTP error status codes nor an error
//!   format.
//! - `authentication`: the API section never says how clients authenticate (globally or
//!   per endpoint).
//! - `examples`: the API section shows no request or response body for any endpoint (the
//!   common envelope of 4.2 alone does not count).
//! - `components-in-api`: an endpoint a component spec (§3) names that the API section
//!   lacks — unless the API section says the component specs list them.
//! - `api-in-components`: an endpoint of a resource §3 specifies that §3's listing lacks.
//!
//! A document with no REST endpoints (GraphQL, gRPC, a library) is not judged.

mod endpoints;

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Check, CompileError, Context, Finding, known_scope};
use crate::document::Document;
use crate::language::{LangPattern, Vocabulary};
use crate::outline::Template;
use endpoints::{Endpoint, normalize};

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    Description,
    ErrorResponses,
    Authentication,
    Examples,
    ComponentsInApi,
    ApiInComponents,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    report: Aspect,
    /// The API section.
    #[serde(default = "default_api")]
    api: String,
    /// Its common response formats subsection (generic, not per-endpoint examples).
    #[serde(default = "default_formats")]
    response_formats: String,
    /// The component specifications.
    #[serde(default = "default_components")]
    components: String,
    /// `description`: last path words that say what an endpoint does on their own
    /// (`login`, `logout`, `me`, `health`), besides the CRUD routes of a collection.
    #[serde(default)]
    self_explanatory: Vec<String>,
    /// `error-responses`: errors named in words ("Not Found", "Too Many Requests"); entries
    /// with a `lang` apply to documents in that language.
    #[serde(default)]
    error_names: Vec<LangPattern>,
    /// `error-responses`: headings about errors ("Error Responses", "Códigos de error").
    #[serde(default)]
    error_headings: Vec<LangPattern>,
    /// `authentication`: text in the API section that states an authentication requirement
    /// (a scheme, an `Authorization` header, "requires auth", "public").
    #[serde(default)]
    auth_words: Vec<LangPattern>,
    /// `authentication`: sections whose authentication scheme is the API's too (the
    /// security specifications), and what counts as naming a scheme there (`auth-schemes`).
    #[serde(default)]
    auth_also: Vec<String>,
    #[serde(default)]
    auth_schemes: Vec<LangPattern>,
}

fn default_api() -> String {
    "api".into()
}
fn default_formats() -> String {
    "api.response-formats".into()
}
fn default_components() -> String {
    "components".into()
}

#[derive(Debug)]
pub struct ApiEndpoints {
    report: Aspect,
    api: Vec<String>,
    formats: Vec<String>,
    components: Vec<String>,
    self_explanatory: Vec<String>,
    error_names: Vocabulary,
    error_headings: Vocabulary,
    auth_words: Vocabulary,
    auth_also: Vec<String>,
    auth_schemes: Vocabulary,
}

impl ApiEndpoints {
    pub fn new(p: Params, template: &Template) -> Result<Self, CompileError> {
        let (api, formats, components) =
            (vec![p.api], vec![p.response_formats], vec![p.components]);
        if !template.is_empty() {
            known_scope(&api, template)?;
            known_scope(&formats, template)?;
            known_scope(&components, template)?;
            known_scope(&p.auth_also, template)?;
        }
        let need = |v: &[LangPattern], key: &str, report: Aspect| {
            if p.report == report && v.is_empty() {
                Err(CompileError::Params(format!(
                    "`{key}` must list at least one pattern"
                )))
            } else {
                Ok(())
            }
        };
        need(&p.error_names, "error-names", Aspect::ErrorResponses)?;
        need(&p.auth_words, "auth-words", Aspect::Authentication)?;
        Ok(ApiEndpoints {
            report: p.report,
            api,
            formats,
            components,
            self_explanatory: p
                .self_explanatory
                .into_iter()
                .map(|w| w.to_lowercase())
                .collect(),
            error_names: Vocabulary::new(&p.error_names)?,
            error_headings: Vocabulary::new(&p.error_headings)?,
            auth_words: Vocabulary::new(&p.auth_words)?,
            auth_also: p.auth_also,
            auth_schemes: Vocabulary::new(&p.auth_schemes)?,
        })
    }
}

/// The sections a run looks at, resolved once.
struct Scopes {
    api: Option<Range<usize>>,
    formats: Option<Range<usize>>,
    components: Option<Range<usize>>,
}

impl Scopes {
    fn in_api(&self, at: usize) -> bool {
        self.api.as_ref().is_some_and(|r| r.contains(&at))
    }
    fn in_components(&self, at: usize) -> bool {
        self.components.as_ref().is_some_and(|r| r.contains(&at)) && !self.in_api(at)
    }
}

impl Check for ApiEndpoints {
    fn run(&self, doc: &Document, ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let span_of = |ids: &[String]| {
            ids.first()
                .and_then(|id| ctx.outline.resolve(id))
                .map(|k| doc.sections[k].span())
        };
        let scopes = Scopes {
            api: span_of(&self.api),
            formats: span_of(&self.formats),
            components: span_of(&self.components),
        };
        // found once per document and shared by the kind's rules
        let all = doc.memo(|| endpoints::find(doc));
        let all: &[Endpoint] = &all;
        let rest = all
            .iter()
            .any(|e| scopes.in_api(e.span.start) || scopes.in_components(e.span.start));
        match self.report {
            Aspect::Description => self.description(doc, all, &scopes, out),
            Aspect::ErrorResponses => rest && self.error_responses(doc, ctx, &scopes, out),
            Aspect::Authentication => rest && self.authentication(doc, ctx, &scopes, all, out),
            Aspect::Examples => rest && examples(doc, &scopes, all, out),
            Aspect::ComponentsInApi => components_in_api(doc, &scopes, all, out),
            Aspect::ApiInComponents => api_in_components(doc, &scopes, all, out),
        }
    }
}

impl ApiEndpoints {
    /// Endpoints whose verb and path do not say what they do and that have no description:
    /// one finding per API section (per component spec in the component specs) that names
    /// them all.
    fn description(
        &self,
        doc: &Document,
        all: &[Endpoint],
        scopes: &Scopes,
        out: &mut Vec<Finding>,
    ) -> bool {
        let whole = scopes.api.is_none() && scopes.components.is_none();
        let mut applies = false;
        let mut seen: HashSet<Range<usize>> = HashSet::new();
        // (where the list is, listed, undescribed)
        let mut lists: Vec<(Option<usize>, usize, Vec<&Endpoint>)> = Vec::new();
        for e in all.iter().filter(|e| e.is_listing()) {
            if !(whole || scopes.in_api(e.span.start) || scopes.in_components(e.span.start)) {
                continue;
            }
            applies = true;
            // `GET/POST /x` is one listing
            if !seen.insert(e.span.clone()) {
                continue;
            }
            let list = if scopes.in_api(e.span.start) {
                None
            } else {
                doc.section_at(e.span.start)
            };
            let i = match lists.iter().position(|(l, _, _)| *l == list) {
                Some(i) => i,
                None => {
                    lists.push((list, 0, Vec::new()));
                    lists.len() - 1
                }
            };
            lists[i].1 += 1;
            if !e.described && !self.explains_itself(e) {
                lists[i].2.push(e);
            }
        }
        for (_, listed, bare) in lists {
            let Some(first) = bare.first() else {
                continue;
            };
            let message = if bare.len() == 1 {
                format!("endpoint `{}` has no description", first.label())
            } else {
                let names: Vec<String> = bare
                    .iter()
                    .take(8)
                    .map(|e| format!("`{}`", e.label()))
                    .collect();
                let more = if bare.len() > 8 {
                    format!(" and {} more", bare.len() - 8)
                } else {
                    String::new()
                };
                format!(
                    "{} of {listed} endpoints have no description: {}{more}",
                    bare.len(),
                    names.join(", ")
                )
            };
            let mut f = Finding::new(first.span.clone(), message).with_help(
                "say what each does and for whom: after the path (`POST /auth/login  # Log in \
                 with e-mail and password`), in a description column, or under its heading",
            );
            f.related = bare[1..]
                .iter()
                .map(|e| crate::diagnostic::Related {
                    span: e.span.clone(),
                    message: format!("`{}` has no description", e.label()),
                })
                .collect();
            out.push(f);
        }
        applies
    }

    /// Whether verb and path say what an endpoint does: the CRUD routes of a collection
    /// (`GET /teams`, `POST /teams`, `PUT /teams/:id`, `GET /apis/:id/users`) and the
    /// pack's `self-explanatory` words (`POST /auth/logout`, `GET /auth/me`).
    fn explains_itself(&self, e: &Endpoint) -> bool {
        let segments: Vec<&str> = e.path.split('/').filter(|s| !s.is_empty()).collect();
        let Some((last, before)) = segments.split_last() else {
            return false;
        };
        let is_param = |s: &str| {
            s.starts_with([':', '{', '<', '['])
                || s.starts_with('$')
                || s.chars().all(|c| c.is_ascii_digit())
        };
        let is_collection = |s: &str| {
            let s = s.to_ascii_lowercase();
            s.len() > 2
                && s.ends_with('s')
                && !s.ends_with("ss")
                && !s.ends_with("us")
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if self
            .self_explanatory
            .iter()
            .any(|w| w.eq_ignore_ascii_case(last))
        {
            return true;
        }
        match e.method {
            // a collection: list it, add to it; a nested one lists what belongs to its parent
            "GET" | "POST" if is_collection(last) => true,
            // an item of a collection: read, replace, change, remove it
            "GET" | "PUT" | "PATCH" | "DELETE" if is_param(last) => {
                before.last().is_some_and(|c| is_collection(c))
            }
            _ => false,
        }
    }
}

fn api_heading(doc: &Document, scopes: &Scopes) -> Option<Range<usize>> {
    let api = scopes.api.as_ref()?;
    doc.sections
        .iter()
        .find(|s| s.heading.start == api.start)
        .map(|s| s.heading.clone())
}

impl ApiEndpoints {
    fn error_responses(
        &self,
        doc: &Document,
        ctx: &Context<'_>,
        scopes: &Scopes,
        out: &mut Vec<Finding>,
    ) -> bool {
        let Some(api) = scopes.api.clone() else {
            return false;
        };
        let text = doc.slice(&api);
        let lang = ctx.language;
        if has_error_status(text)
            || self.error_names.is_match(text, lang)
            || self.has_error_envelope(doc, &api, lang)
            || REFERENCE.is_match(text)
        {
            return true;
        }
        if let Some(h) = api_heading(doc, scopes) {
            out.push(
                Finding::new(h, "the API specification defines no error responses: no HTTP error status codes and no error format")
                    .with_help(
                        "add the error envelope (e.g. `{\"status\": \"error\", \"error\": {\"code\", \
                         \"message\", \"details\"}}`) and the status codes endpoints return: 400 \
                         validation, 401 unauthenticated, 403 forbidden, 404 not found, 409 conflict, \
                         429 rate limited, 500",
                    )
                    .covering_opt(self.formats.first().cloned()),
            );
        }
        true
    }

    /// An error format: a JSON body with an `error`/`errors` member, or a heading about
    /// errors with content under it.
    fn has_error_envelope(&self, doc: &Document, api: &Range<usize>, lang: Option<&str>) -> bool {
        static ERROR_KEY: LazyLock<Regex> = LazyLock::new(|| {
            crate::check::quick_regex(r#""errors?"\s*:|\berrors?\s*:\s*\{"#).expect("valid regex")
        });
        doc.code_blocks_in(api)
            .any(|b| ERROR_KEY.is_match(&b.literal))
            || doc.sections.iter().any(|s| {
                api.contains(&s.heading.start)
                    && self.error_headings.is_match(&s.title, lang)
                    && !doc.slice(&s.body).trim().is_empty()
            })
    }
}

/// The contract lives in a machine-readable document the section points to.
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    crate::check::quick_regex(r"(?i)\bopenapi\b|\bswagger\b|\bjson schema\b|\.proto\b|\basyncapi\b")
        .expect("valid regex")
});

/// A 4xx/5xx status code, not a quantity (`500 ms`, `400 stations`, `1,404`).
fn has_error_status(text: &str) -> bool {
    static CODE: LazyLock<Regex> =
        LazyLock::new(|| crate::check::quick_regex(r"\b[45][0-9]{2}\b").expect("valid regex"));
    static UNIT: LazyLock<Regex> = LazyLock::new(|| {
        crate::check::quick_regex(r"(?i)^\s*(?:(?:ms|s|sec|secs|seconds?|minutes?|mins?|h|hours?|days?|kb|mb|gb|tb|k|px|req|reqs|requests?|rps|qps|users?|items?|rows?|records?|chars?|characters?|bytes?|words?|concurrent|per|x|stations?|devices?|messages?|events?|times)\b|%|/|×)")
            .expect("valid regex")
    });
    CODE.find_iter(text).any(|m| {
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| {
            c.is_ascii_digit() || matches!(c, ',' | '.' | '$' | '€' | '£' | '~' | '≈')
        }) {
            return false;
        }
        let after = &text[m.end()..];
        // part of a larger number: `4.500`, `500,000`
        if after.starts_with(['.', ',']) && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        !UNIT.is_match(after)
    })
}

impl ApiEndpoints {
    fn authentication(
        &self,
        doc: &Document,
        ctx: &Context<'_>,
        scopes: &Scopes,
        all: &[Endpoint],
        out: &mut Vec<Finding>,
    ) -> bool {
        let Some(api) = scopes.api.clone() else {
            return false;
        };
        // the API text without headings ("Authentication Endpoints" names endpoints, not a
        // requirement) and without paths (`/oauth/token`, `/api-keys`)
        let mut text: Vec<u8> = doc.slice(&api).as_bytes().to_vec();
        let mut blank = |r: &Range<usize>| {
            let (s, e) = (
                r.start.max(api.start) - api.start,
                r.end.min(api.end).saturating_sub(api.start),
            );
            for b in text.iter_mut().take(e).skip(s) {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
        };
        for s in doc
            .sections
            .iter()
            .filter(|s| api.contains(&s.heading.start))
        {
            blank(&s.heading);
        }
        for e in all.iter().filter(|e| api.contains(&e.span.start)) {
            blank(&e.span);
        }
        let text = String::from_utf8_lossy(&text);
        let auth_column = doc.tables_in(&api).any(|t| {
            t.column(&["auth", "access", "permission", "role", "scope"])
                .is_some()
        });
        if self.auth_words.is_match(&text, ctx.language)
            || auth_column
            || REFERENCE.is_match(&text)
            || self.scheme_stated_elsewhere(doc, ctx)
        {
            return true;
        }
        if let Some(h) = api_heading(doc, scopes) {
            out.push(
                Finding::new(
                    h,
                    "the API specification does not say how clients authenticate",
                )
                .with_help(
                    "state it once for the API (e.g. `Authentication: Bearer token in the \
                     Authorization header`) and mark the exceptions per endpoint (`public`, \
                     `admin only`), or add an Auth column to the endpoint table",
                ),
            );
        }
        true
    }

    /// Whether a section whose scheme is the API's too (`auth-also`: the security
    /// specifications) names one (`JWT access tokens`, `session cookies`): stated once for
    /// the system, it need not be repeated in the API section.
    fn scheme_stated_elsewhere(&self, doc: &Document, ctx: &Context<'_>) -> bool {
        self.auth_also
            .iter()
            .filter_map(|id| ctx.outline.resolve(id))
            .any(|k| {
                let text = doc.slice(&doc.sections[k].span());
                self.auth_schemes.is_match(text, ctx.language)
            })
    }
}

fn examples(doc: &Document, scopes: &Scopes, all: &[Endpoint], out: &mut Vec<Finding>) -> bool {
    static SHAPE_LANGS: &[&str] = &[
        "json",
        "jsonc",
        "json5",
        "http",
        "https",
        "yaml",
        "yml",
        "typescript",
        "ts",
        "graphql",
        "proto",
        "protobuf",
        "javascript",
        "js",
        "python",
        "py",
        "xml",
    ];
    static INLINE_SHAPE: LazyLock<Regex> = LazyLock::new(|| {
        crate::check::quick_regex(r#"\{\s*"?[A-Za-z_][A-Za-z0-9_]*"?\s*[,:}]"#)
            .expect("valid regex")
    });
    let Some(api) = scopes.api.clone() else {
        return false;
    };
    let outside_formats = |r: &Range<usize>| {
        !scopes
            .formats
            .as_ref()
            .is_some_and(|f| f.contains(&r.start))
    };
    let listing_lines: HashSet<usize> = all
        .iter()
        .filter(|e| api.contains(&e.span.start))
        .map(|e| doc.lines.line_of(e.span.start))
        .collect();
    let shape_block = doc
        .code_blocks_in(&api)
        .filter(|b| outside_formats(&b.span))
        .any(|b| {
            if SHAPE_LANGS.contains(&b.lang.as_str()) {
                return true;
            }
            // a block of endpoint lines is a listing; anything with a body in it is a shape
            (b.body_line..b.body_line + b.literal.lines().count()).any(|line| {
                !listing_lines.contains(&line) && {
                    let t = doc
                        .slice(&doc.lines.line_span(&doc.text, line))
                        .trim()
                        .to_string();
                    t.contains('{') && t.contains(':')
                }
            })
        });
    let field_table = doc
        .tables_in(&api)
        .filter(|t| outside_formats(&t.span))
        .any(|t| {
            t.column(&[
                "field",
                "param",
                "property",
                "attribute",
                "body",
                "payload",
                "schema",
                "request",
                "response",
            ])
            .is_some()
        });
    let inline = all
        .iter()
        .filter(|e| api.contains(&e.span.start) && outside_formats(&e.span))
        .any(|e| {
            let line = doc
                .lines
                .line_span(&doc.text, doc.lines.line_of(e.span.start));
            INLINE_SHAPE.is_match(&doc.text[e.span.end.min(line.end)..line.end])
        });
    if shape_block || field_table || inline || REFERENCE.is_match(doc.slice(&api)) {
        return true;
    }
    if let Some(h) = api_heading(doc, scopes) {
        out.push(
            Finding::new(
                h,
                "the API specification shows no request or response body for any endpoint",
            )
            .with_help(
                "give the main endpoints an example request and response (a JSON block), a \
                     field table (field, type, required), or a link to the OpenAPI document; the \
                     common envelope alone does not say what `data` holds",
            ),
        );
    }
    true
}

/// The path of the base URL the API section states (`https://api.x.com/v1` → [v1]).
fn base_segments(doc: &Document, api: &Range<usize>) -> Vec<String> {
    static BASE: LazyLock<Regex> = LazyLock::new(|| {
        crate::check::quick_regex(r"(?i)base\s*(?:url|path|uri|endpoint)[^\n]*?(?:https?://[^\s/`)>]+)?(/[A-Za-z0-9_./-]*)")
            .expect("valid regex")
    });
    BASE.captures(doc.slice(api))
        .and_then(|c| c.get(1))
        .map(|m| {
            m.as_str()
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default()
}

/// The API section says the component specs list (some of) its endpoints.
fn defers_to_components(doc: &Document, api: &Range<usize>) -> bool {
    static DEFER: LazyLock<Regex> = LazyLock::new(|| {
        crate::check::quick_regex(r"(?i)\b(?:listed|documented|specified|defined|described|detailed|covered|see)\b[^.\n]{0,80}?(?:\b3\.\d|\bsection\s+3\b|§\s*3\b|component spec|detailed component|component system|feature spec)")
            .expect("valid regex")
    });
    DEFER.is_match(doc.slice(api))
}

type Key = (&'static str, String);

/// Hosts of the URLs the API section writes (its own base URLs).
fn api_hosts(doc: &Document, api: &Range<usize>) -> HashSet<String> {
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        crate::check::quick_regex(r"(?i)(?:https?|wss?)://([A-Za-z0-9.\-:_]+)")
            .expect("valid regex")
    });
    URL.captures_iter(doc.slice(api))
        .map(|c| c[1].to_lowercase())
        .collect()
}

/// Written as an absolute URL on a host the API section never names: a third party's
/// endpoint (`POST https://api.stripe.com/v1/refunds`), not one of ours.
fn external(e: &Endpoint, hosts: &HashSet<String>) -> bool {
    e.host.as_ref().is_some_and(|h| !hosts.contains(h))
}

fn components_in_api(
    doc: &Document,
    scopes: &Scopes,
    all: &[Endpoint],
    out: &mut Vec<Finding>,
) -> bool {
    let (Some(api), Some(_)) = (scopes.api.clone(), scopes.components.as_ref()) else {
        return false;
    };
    let base = base_segments(doc, &api);
    let in_api: HashSet<Key> = all
        .iter()
        .filter(|e| scopes.in_api(e.span.start))
        .map(|e| (e.method, normalize(&e.path, &base)))
        .collect();
    let hosts = api_hosts(doc, &api);
    let named: Vec<&Endpoint> = all
        .iter()
        .filter(|e| scopes.in_components(e.span.start) && !external(e, &hosts))
        .collect();
    if named.is_empty() {
        return false;
    }
    if defers_to_components(doc, &api) {
        return true;
    }
    let mut seen: HashSet<Key> = HashSet::new();
    for e in named {
        let key = (e.method, normalize(&e.path, &base));
        if in_api.contains(&key) || !seen.insert(key) {
            continue;
        }
        out.push(
            Finding::new(
                e.span.clone(),
                format!(
                    "endpoint `{}` is specified here but missing from the API specification",
                    e.label()
                ),
            )
            .with_help(
                "list it in the API section's endpoint specifications with its request, \
                 response and status codes, or say there that the component specs list it",
            ),
        );
    }
    true
}

fn api_in_components(
    doc: &Document,
    scopes: &Scopes,
    all: &[Endpoint],
    out: &mut Vec<Finding>,
) -> bool {
    let (Some(api), Some(_)) = (scopes.api.clone(), scopes.components.as_ref()) else {
        return false;
    };
    let base = base_segments(doc, &api);
    let resource = |p: &str| p.split('/').nth(1).unwrap_or("").to_string();
    let hosts = api_hosts(doc, &api);
    let specified: Vec<Key> = all
        .iter()
        .filter(|e| scopes.in_components(e.span.start) && !external(e, &hosts))
        .map(|e| (e.method, normalize(&e.path, &base)))
        .collect();
    if specified.is_empty() {
        return false;
    }
    let resources: HashSet<String> = specified
        .iter()
        .map(|(_, p)| resource(p))
        .filter(|r| !r.is_empty())
        .collect();
    let specified: HashSet<Key> = specified.into_iter().collect();
    let mut seen: HashSet<Key> = HashSet::new();
    for e in all
        .iter()
        .filter(|e| scopes.in_api(e.span.start) && e.is_listing())
    {
        let key = (e.method, normalize(&e.path, &base));
        let res = resource(&key.1);
        if specified.contains(&key) || !resources.contains(&res) || !seen.insert(key) {
            continue;
        }
        out.push(
            Finding::new(
                e.span.clone(),
                format!(
                    "endpoint `{}` is not in the component specs, which list other `/{res}` endpoints",
                    e.label()
                ),
            )
            .with_help(
                "add it to the endpoints of the component that owns this resource, so the \
                 feature's spec and the API agree",
            ),
        );
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_are_not_quantities() {
        assert!(has_error_status("returns 404 when missing"));
        assert!(has_error_status("| 422 | Validation failed |"));
        assert!(has_error_status("`429` with `Retry-After`"));
        assert!(has_error_status("\"status\": 401,"));
        assert!(!has_error_status("p95 < 500 ms"));
        assert!(!has_error_status("400 stations and 1,404 devices"));
        assert!(!has_error_status("429 requests per minute"));
        assert!(!has_error_status("version 4.500.1"));
    }
}
