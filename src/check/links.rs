//! `links`: internal links (`[text](#anchor)`, `<a href="#anchor">`) point at an anchor the
//! document has — a heading's GitHub-style slug (duplicates numbered `-1`, `-2`), an explicit
//! `<a id>`/`<a name>`/`id="…"`, or a `{#id}` heading attribute.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Applicability, Check, CompileError, Context, Edit, Finding, Fix};
use crate::check::regexes::compiled;
use crate::document::Document;
use crate::selector::did_you_mean;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {}

#[derive(Debug)]
pub struct Links;

impl Links {
    pub fn new(_p: Params) -> Result<Self, CompileError> {
        Ok(Links)
    }
}

static HTML_ID: LazyLock<Regex> =
    LazyLock::new(|| compiled(r#"(?i)\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')"#));
static HTML_HREF: LazyLock<Regex> =
    LazyLock::new(|| compiled(r#"(?i)\bhref\s*=\s*["']#([^"']*)["']"#));
static ATTR_ID: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"\{\s*#([A-Za-z0-9_:.\-]+)[^}]*\}\s*$"));

/// GitHub's heading slug: lower-case, punctuation and emoji dropped (`-` and `_` kept),
/// each space a `-`.
pub(super) fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// A heading's text as rendered: inline markup removed, link text kept, `{#id}` dropped.
fn rendered(md: &str) -> String {
    static LINK: LazyLock<Regex> = LazyLock::new(|| compiled(r"!?\[([^\]]*)\]\([^)]*\)"));
    static TAG: LazyLock<Regex> = LazyLock::new(|| compiled(r"<[^>]+>"));
    // `_` is emphasis only at a word's edge; `snake_case` keeps it
    static UNDERSCORE: LazyLock<Regex> = LazyLock::new(|| compiled(r"(?:^|\b|\s)_+|_+(?:\s|$|\b)"));
    let s = ATTR_ID.replace(md, "");
    let s = LINK.replace_all(&s, "$1");
    let s = TAG.replace_all(&s, "");
    let s: String = s
        .chars()
        .filter(|c| *c != '*' && *c != '`' && *c != '\\')
        .collect();
    UNDERSCORE
        .replace_all(&s, |c: &regex::Captures<'_>| c[0].replace('_', ""))
        .into_owned()
}

/// The heading's source text without `#` markers (ATX) or underline (setext).
fn heading_source(doc: &Document, k: usize) -> String {
    let h = &doc.sections[k].heading;
    let text = doc.slice(h);
    let first = text.lines().next().unwrap_or("").trim();
    if first.starts_with('#') {
        let t = first.trim_start_matches('#').trim();
        let without = t.trim_end_matches('#');
        if without.len() < t.len() && (without.is_empty() || without.ends_with(' ')) {
            return without.trim().to_string();
        }
        t.to_string()
    } else {
        // setext: every line but the underline
        let lines: Vec<&str> = text.lines().collect();
        lines[..lines.len().saturating_sub(1)]
            .join(" ")
            .trim()
            .to_string()
    }
}

/// Every anchor of the document, in heading order for slugs.
fn anchors(doc: &Document) -> (Vec<String>, HashSet<String>) {
    let mut list: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for k in 0..doc.sections.len() {
        let src = heading_source(doc, k);
        if let Some(c) = ATTR_ID.captures(&src)
            && let Some(id) = c.get(1)
        {
            let id = id.as_str().to_string();
            if seen.insert(id.clone()) {
                list.push(id);
            }
        }
        let base = slug(&rendered(&src));
        let mut s = base.clone();
        let mut n = 0;
        while seen.contains(&s) {
            n += 1;
            s = format!("{base}-{n}");
        }
        seen.insert(s.clone());
        list.push(s);
    }
    for h in &doc.html {
        for c in HTML_ID.captures_iter(doc.slice(h)) {
            if let Some(id) = c.get(1).or_else(|| c.get(2)) {
                let id = id.as_str().to_string();
                if seen.insert(id.clone()) {
                    list.push(id);
                }
            }
        }
    }
    (list, seen)
}

/// `%20`-style escapes decoded (invalid sequences kept as written).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

impl Check for Links {
    fn fixable(&self) -> bool {
        true
    }

    fn run(&self, doc: &Document, _ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let (list, set) = anchors(doc);
        let lower: HashSet<String> = set.iter().map(|a| a.to_lowercase()).collect();
        // (anchor as written, where the anchor text is in the document)
        let mut targets: Vec<(String, Range<usize>)> = Vec::new();
        for l in &doc.links {
            let Some(anchor) = l.url.strip_prefix('#') else {
                continue;
            };
            let src = doc.slice(&l.span);
            // the anchor as written, to replace it exactly
            let at = src
                .rfind(&format!("#{anchor}"))
                .map(|i| l.span.start + i + 1..l.span.start + i + 1 + anchor.len())
                .unwrap_or_else(|| l.span.clone());
            targets.push((anchor.to_string(), at));
        }
        for h in &doc.html {
            let text = doc.slice(h);
            for c in HTML_HREF.captures_iter(text) {
                if let Some(m) = c.get(1) {
                    targets.push((
                        m.as_str().to_string(),
                        h.start + m.start()..h.start + m.end(),
                    ));
                }
            }
        }
        for (anchor, span) in targets {
            let decoded = percent_decode(&anchor);
            if decoded.is_empty()
                || decoded.eq_ignore_ascii_case("top")
                || set.contains(&decoded)
                || lower.contains(&decoded.to_lowercase())
            {
                continue;
            }
            let mut f = Finding::new(
                span.clone(),
                format!("link target `#{anchor}` matches no heading or anchor"),
            );
            let wanted = decoded.to_lowercase();
            match did_you_mean(&wanted, list.iter().map(String::as_str)).or_else(|| {
                list.iter()
                    .find(|a| a.ends_with(&wanted) || wanted.ends_with(a.as_str()))
                    .map(String::as_str)
            }) {
                Some(s) => {
                    f = f
                        .with_help(format!("did you mean `#{s}`?"))
                        .with_fix(Fix::new(
                            format!("point the link at `#{s}`"),
                            Applicability::Unsafe,
                            vec![Edit::replace(span, s.to_string())],
                        ));
                }
                None => {
                    f = f.with_help("link to an existing heading (its anchor is the heading text in lower case, punctuation dropped, spaces as `-`), or add `<a id=\"…\"></a>` where it should land");
                }
            }
            out.push(f);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(
            slug(&rendered("2. Target Users & Personas")),
            "2-target-users--personas"
        );
        assert_eq!(
            slug(&rendered("🧭 1. Executive Summary")),
            "-1-executive-summary"
        );
        assert_eq!(
            slug(&rendered("9. shadcn/ui Customization")),
            "9-shadcnui-customization"
        );
        assert_eq!(
            slug(&rendered("Use `snake_case` **names**")),
            "use-snake_case-names"
        );
        assert_eq!(slug(&rendered("See [the API](http://x.y)")), "see-the-api");
        assert_eq!(slug(&rendered("5. Out of Scope (v1)")), "5-out-of-scope-v1");
    }

    #[test]
    fn duplicates_are_numbered() {
        let doc = Document::parse("x.md", "# A\n## Setup\n## Setup\n## Setup-1\n");
        let (list, _) = anchors(&doc);
        assert_eq!(list, ["a", "setup", "setup-1", "setup-1-1"]);
    }
}
