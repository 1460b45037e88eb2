//! `secrets`: real-looking credentials written into the document — provider keys, private
//! key blocks, tokens, passwords in connection strings — told apart from placeholders
//! (`sk_live_xxx`, `<password>`, `${VAR}`, `changeme`) by shape and Shannon entropy. The
//! value is never repeated: messages show its first characters and every excerpt masks it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Applicability, Check, CompileError, Context, Edit, Finding, Fix, LazyRegex, regex};
use crate::diagnostic::redacted;
use crate::document::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    patterns: Vec<PatternParam>,
    /// Words that make a value a placeholder (`example`, `changeme`, `your`).
    #[serde(default)]
    placeholder_words: Vec<String>,
    /// A regex for values another rule reports (known key formats), left to it.
    #[serde(default)]
    except: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PatternParam {
    /// What the value is ("AWS access key id"), for the message.
    label: String,
    /// A regex; group `secret` is the value (whole match if absent); group `body`, if
    /// present, is the random part judged for entropy and placeholders.
    pattern: String,
    /// Minimum Shannon entropy (bits per character) of the body; lower is a placeholder.
    #[serde(default)]
    min_entropy: f64,
    /// Minimum length of the body in characters.
    #[serde(default)]
    min_length: usize,
    /// Extra judgement for this shape.
    #[serde(default)]
    validate: Validate,
}

#[derive(Debug, Default, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Validate {
    #[default]
    None,
    /// A JSON Web Token: its header and payload decode to JSON; example tokens (jwt.io's
    /// "John Doe") and public Supabase `anon` keys are not secrets.
    Jwt,
    /// The password of `scheme://user:password@host`: not when it equals the user name or
    /// the host is the developer's own machine.
    UrlPassword,
}

#[derive(Debug)]
struct Pattern {
    label: String,
    re: LazyRegex,
    min_entropy: f64,
    min_length: usize,
    validate: Validate,
}

#[derive(Debug)]
pub struct Secrets {
    patterns: Vec<Pattern>,
    placeholder_words: Vec<String>,
    except: Option<LazyRegex>,
}

impl Secrets {
    pub fn new(p: Params) -> Result<Self, CompileError> {
        if p.patterns.is_empty() {
            return Err(CompileError::Params(
                "`patterns` must list at least one pattern".into(),
            ));
        }
        let patterns = p
            .patterns
            .into_iter()
            .map(|pp| {
                Ok(Pattern {
                    label: pp.label,
                    re: regex(&pp.pattern)?,
                    min_entropy: pp.min_entropy,
                    min_length: pp.min_length,
                    validate: pp.validate,
                })
            })
            .collect::<Result<_, CompileError>>()?;
        Ok(Secrets {
            except: p.except.as_deref().map(regex).transpose()?,
            patterns,
            placeholder_words: p
                .placeholder_words
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
        })
    }

    /// Whether `body` only stands in for a value.
    fn is_placeholder(&self, body: &str, p: &Pattern) -> bool {
        static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
            crate::check::quick_regex(concat!(
                r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$", // an env var name
                r"|^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$", // a code path
                r"|^[a-z]+(?:[-_][a-z]+)+$",        // typed words
            ))
            .expect("regex")
        });
        let lower = body.to_lowercase();
        if REFERENCE.is_match(body) {
            return true;
        }
        if body.contains(['<', '>', '[', ']', '{', '}', '…', '*'])
            || body.contains("...")
            || body.starts_with(['$', '%'])
            || body.contains("$(")
            || lower.contains("xxx")
            || self
                .placeholder_words
                .iter()
                .any(|w| lower.contains(w.as_str()))
        {
            return true;
        }
        let distinct = {
            let mut cs: Vec<char> = body.chars().collect();
            cs.sort_unstable();
            cs.dedup();
            cs.len()
        };
        distinct <= 3
            || body.chars().count() < p.min_length
            || entropy(body) < p.min_entropy
            || monotone(body)
    }
}

/// Shannon entropy of `s` in bits per character.
pub(super) fn entropy(s: &str) -> f64 {
    let mut counts: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// `abcdef…`, `123456…`: a run that counts up or down is typed, not generated.
fn monotone(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 6
        && (b.windows(2).all(|w| w[1] == w[0].wrapping_add(1))
            || b.windows(2).all(|w| w[1].wrapping_add(1) == w[0]))
}

impl Check for Secrets {
    fn fixable(&self) -> bool {
        true
    }

    fn run(&self, doc: &Document, _ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let text = doc.text.as_str();
        // reported ranges by start, so overlap checks stay logarithmic
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        let mut found = Vec::new();
        for p in &self.patterns {
            for c in p.re.captures_iter(text) {
                let Some(whole) = c.get(0) else { continue };
                let secret = c.name("secret").unwrap_or(whole);
                let body = c.name("body").unwrap_or(secret);
                let range = secret.range();
                if range.is_empty()
                    || overlaps(&taken, &range)
                    || self.is_placeholder(body.as_str().trim(), p)
                {
                    continue;
                }
                if self
                    .except
                    .as_ref()
                    .is_some_and(|e| e.is_match(secret.as_str()))
                {
                    continue;
                }
                let ok = match p.validate {
                    Validate::None => true,
                    Validate::Jwt => real_jwt(secret.as_str()),
                    Validate::UrlPassword => real_url_password(
                        c.name("user").map_or("", |m| m.as_str()),
                        secret.as_str(),
                        c.name("host").map_or("", |m| m.as_str()),
                    ),
                };
                if !ok {
                    continue;
                }
                taken.insert(range.start, range.end);
                // a key block keeps its armour lines; only the key material is masked
                let value = secret.as_str().trim();
                found.push(
                    Finding::new(
                        range.clone(),
                        format!("{} `{}` is written in the document", p.label, redacted(value)),
                    )
                    .with_help(
                        "treat it as leaked and rotate it now — anyone who can read the repository or its history has it; then refer to it by its environment variable (e.g. `${STRIPE_SECRET_KEY}`) or write a placeholder such as `<redacted>`",
                    )
                    .with_redaction(range.clone())
                    .with_fix(Fix::new(
                        "replace the value with `<REDACTED>` (the secret must still be rotated)",
                        Applicability::Unsafe,
                        vec![Edit::replace(range, "<REDACTED>")],
                    )),
                );
            }
        }
        found.sort_by_key(|f| f.span.start);
        out.extend(found);
        true
    }
}

/// Whether `r` overlaps a range already in `taken` (start → end, non-overlapping).
fn overlaps(taken: &BTreeMap<usize, usize>, r: &Range<usize>) -> bool {
    // the last range starting before `r` ends, and whether it reaches into `r`
    taken
        .range(..r.end)
        .next_back()
        .is_some_and(|(_, &end)| end > r.start)
}

/// Decode base64url (no padding needed); `None` on bad input.
fn base64url(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn real_jwt(token: &str) -> bool {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let json = |s: &str| {
        base64url(s)
            .and_then(|b| String::from_utf8(b).ok())
            .filter(|t| t.trim_start().starts_with('{'))
    };
    let (Some(_), Some(payload)) = (json(h), json(p)) else {
        return false;
    };
    let lower = payload.to_lowercase();
    // jwt.io's sample, documentation examples, public anon keys
    !(lower.contains("john doe")
        || lower.contains("\"1234567890\"")
        || lower.contains("example")
        || lower.contains("\"role\":\"anon\"")
        || lower.contains("\"role\": \"anon\"")
        || sig.len() < 16)
}

fn real_url_password(user: &str, password: &str, host: &str) -> bool {
    let host = host.split([':', '/']).next().unwrap_or("").to_lowercase();
    let local = matches!(
        host.as_str(),
        "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "host.docker.internal"
    ) || host.ends_with(".local")
        || host.ends_with(".localhost");
    !(password.eq_ignore_ascii_case(user) || local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_separates_typed_from_generated() {
        assert!(entropy("aaaaaaaa") < 0.1);
        assert!(entropy("4eC39HqLyjWDarjtT1zdp7dc") > 4.0);
        assert!(monotone("abcdefgh"));
        assert!(!monotone("4eC39HqL"));
    }

    #[test]
    fn jwt_examples_are_not_secrets() {
        let sample = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert!(!real_jwt(sample));
        // {"alg":"HS256","typ":"JWT"}.{"sub":"u_83f2","role":"service_role"}
        let real = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1XzgzZjIiLCJyb2xlIjoic2VydmljZV9yb2xlIn0.Vb7pQ2mX9kLr4TzH1sWnE8aYc3JdF6gU0oNiK5eRtPw";
        assert!(real_jwt(real));
    }

    #[test]
    fn local_and_default_passwords_are_not_leaks() {
        assert!(!real_url_password("postgres", "postgres", "localhost:5432"));
        assert!(!real_url_password("app", "Zq8vL2mN4pR7", "127.0.0.1"));
        assert!(real_url_password("app", "Zq8vL2mN4pR7", "db.prod.internal"));
    }
}
