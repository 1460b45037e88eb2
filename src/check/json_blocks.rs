//! `json-blocks`: the JSON examples in ```` ```json ```` (and ```` ```jsonc ````) blocks parse.
//!
//! Two aspects, picked by `report`:
//! - `syntax`: the block is not JSON even after the illustrative conventions below are
//!   forgiven — a trailing comma, an unquoted key, a missing comma. Reported at the exact
//!   byte inside the block.
//! - `illustrative`: a ```` ```json ```` block that parses only once `//` / `/* */`
//!   comments, `...` ellipses or `<placeholder>` values are set aside, or that holds
//!   several JSON values. Common in specs (the template itself writes `// Response data`),
//!   harmless to a reader, but copy-pasting it into a client or test fails: a softer finding.
//!
//! ```` ```jsonc ```` blocks may hold comments and trailing commas; ```` ```json5 ```` blocks
//! (unquoted keys, single quotes, hex numbers) are not judged: serde_json cannot tell valid
//! JSON5 from invalid.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Applicability, Check, CompileError, Context, Edit, Finding, Fix};
use crate::document::{CodeBlock, Document};

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// The block is not JSON.
    Syntax,
    /// The block is JSON only once comments, ellipses and placeholders are set aside.
    Illustrative,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    report: Aspect,
}

#[derive(Debug)]
pub struct JsonBlocks {
    report: Aspect,
}

impl JsonBlocks {
    pub fn new(p: Params) -> Result<Self, CompileError> {
        Ok(JsonBlocks { report: p.report })
    }
}

impl Check for JsonBlocks {
    fn fixable(&self) -> bool {
        self.report == Aspect::Syntax
    }

    fn run(&self, doc: &Document, _ctx: &Context<'_>, out: &mut Vec<Finding>) -> bool {
        let mut any = false;
        for block in &doc.code_blocks {
            let dialect = match block.lang.as_str() {
                "json" => Dialect::Json,
                "jsonc" => Dialect::Jsonc,
                _ => continue,
            };
            any = true;
            match judge(&block.literal, dialect) {
                Verdict::Valid => {}
                Verdict::Illustrative { at, len, what } if self.report == Aspect::Illustrative => {
                    let start = doc.code_offset(block, at);
                    let end = doc.code_offset(block, at + len).max(start);
                    out.push(
                        Finding::new(start..end, format!("JSON example is not valid JSON: {what}"))
                            .with_help(
                                "readers understand it, but a client, test or schema validator fed this \
                                 example fails; write a complete JSON value, or tag the block `jsonc` \
                                 (comments) or `text` (a sketch)",
                            ),
                    );
                }
                Verdict::Invalid { at, message, help } if self.report == Aspect::Syntax => {
                    let mut finding = error_finding(doc, block, at, &message, help);
                    if message == TRAILING_COMMA {
                        // removing the comma changes nothing but validity
                        let comma = finding.span.clone();
                        finding = finding.with_fix(Fix::new(
                            "remove the trailing comma",
                            Applicability::Safe,
                            vec![Edit::delete(comma)],
                        ));
                    }
                    out.push(finding);
                }
                _ => {}
            }
        }
        any
    }
}

const TRAILING_COMMA: &str = "trailing comma";

fn error_finding(
    doc: &Document,
    block: &CodeBlock,
    at: usize,
    message: &str,
    help: &str,
) -> Finding {
    let lit = &block.literal;
    let at = at.min(lit.len());
    let start = doc.code_offset(block, at);
    // one character, or nothing at the end of the block
    let char_len = lit[at..]
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
        .map_or(0, char::len_utf8);
    let end = if char_len > 0 {
        doc.code_offset(block, at + char_len).max(start)
    } else {
        start
    };
    Finding::new(
        start..end,
        format!("JSON example does not parse: {message}"),
    )
    .with_help(help)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Json,
    Jsonc,
}

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Valid,
    /// Parses once conventions are set aside; `at..at+len` is the first of them.
    Illustrative {
        at: usize,
        len: usize,
        what: String,
    },
    Invalid {
        at: usize,
        message: String,
        help: &'static str,
    },
}

fn judge(text: &str, dialect: Dialect) -> Verdict {
    if text.trim().is_empty() {
        return Verdict::Valid;
    }
    if dialect == Dialect::Json && serde_json::from_str::<IgnoredAny>(text).is_ok() {
        return Verdict::Valid;
    }
    let lenient = set_aside(text, dialect);
    let mut values = 0;
    let mut stream = serde_json::Deserializer::from_str(&lenient.text).into_iter::<IgnoredAny>();
    loop {
        match stream.next() {
            None => break,
            Some(Ok(_)) => values += 1,
            Some(Err(e)) => return invalid(&lenient.text, &e),
        }
    }
    if values == 0 {
        // only comments: nothing to judge
        return Verdict::Valid;
    }
    let mut marks = lenient.marks;
    if values > 1 {
        marks.push(Mark {
            at: first_value_end(&lenient.text),
            len: 0,
            kind: MarkKind::SeveralValues,
        });
    }
    if dialect == Dialect::Jsonc {
        marks.retain(|m| !matches!(m.kind, MarkKind::Comment | MarkKind::TrailingComma));
    }
    let Some(first) = marks.iter().min_by_key(|m| m.at) else {
        return Verdict::Valid;
    };
    let mut kinds: Vec<&'static str> = marks.iter().map(|m| m.kind.describe()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    Verdict::Illustrative {
        at: first.at,
        len: first.len,
        what: format!("it holds {}", join_and(&kinds)),
    }
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [a] => (*a).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Byte offset just after the first top-level value (where a second one starts).
fn first_value_end(text: &str) -> usize {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<IgnoredAny>();
    let _ = stream.next();
    let end = stream.byte_offset();
    // point at the start of the next value
    end + text[end..].len() - text[end..].trim_start().len()
}

fn invalid(text: &str, e: &serde_json::Error) -> Verdict {
    let mut at = byte_at(text, e.line(), e.column());
    if e.is_eof() {
        // the closing bracket is missing after the last thing written
        at = text.trim_end().len().saturating_sub(1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
    }
    let full = e.to_string();
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string();
    // serde_json reports a trailing comma at the bracket after it
    let bytes = text.as_bytes();
    if matches!(bytes.get(at), Some(b']' | b'}')) {
        let before = text[..at].trim_end();
        if before.ends_with(',') {
            return Verdict::Invalid {
                at: before.len() - 1,
                message: TRAILING_COMMA.into(),
                help: "remove the comma after the last element (JSON allows none), or tag the block `jsonc`",
            };
        }
    }
    let help = if message.starts_with("key must be a string") {
        "object keys need double quotes in JSON: `\"key\": value`"
    } else if message.starts_with("expected `,`") {
        "a comma is missing between two members or elements"
    } else if message.starts_with("expected `:`") {
        "a colon is missing between a key and its value"
    } else if message.starts_with("EOF") {
        "the JSON ends early: close every `{` and `[`"
    } else if message.starts_with("trailing characters") {
        "there is text after the JSON value; put each example in its own block"
    } else {
        "fix the JSON so it parses; tag the block `jsonc` if it holds comments, or `text` if it is not JSON"
    };
    Verdict::Invalid { at, message, help }
}

/// Byte offset of serde_json's 1-based line and byte column.
fn byte_at(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut at = (start + column.saturating_sub(1)).min(line_end);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkKind {
    Comment,
    Ellipsis,
    Placeholder,
    TrailingComma,
    SeveralValues,
}

impl MarkKind {
    fn describe(self) -> &'static str {
        match self {
            MarkKind::Comment => "comments",
            MarkKind::Ellipsis => "`...` ellipses",
            MarkKind::Placeholder => "`<placeholder>` values",
            MarkKind::TrailingComma => "trailing commas",
            MarkKind::SeveralValues => "several JSON values",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    at: usize,
    len: usize,
    kind: MarkKind,
}

struct Lenient {
    /// Same length as the input, newlines in place: positions carry over.
    text: String,
    marks: Vec<Mark>,
}

/// Blank out comments, ellipses and `<placeholder>` values outside strings (and, for
/// JSONC, trailing commas), keeping every byte offset.
fn set_aside(text: &str, dialect: Dialect) -> Lenient {
    let mut out: Vec<u8> = text.as_bytes().to_vec();
    let mut marks = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_string = false;
                    i += 1;
                }
                b'\n' => {
                    // an unterminated string: let the parser say so
                    in_string = false;
                    i += 1;
                }
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                blank(&mut out, i, end);
                marks.push(Mark {
                    at: i,
                    len: end - i,
                    kind: MarkKind::Comment,
                });
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                blank(&mut out, i, end);
                marks.push(Mark {
                    at: i,
                    len: end - i,
                    kind: MarkKind::Comment,
                });
                i = end;
            }
            b'.' if text[i..].starts_with("...") => {
                let end = i + text[i..].bytes().take_while(|&c| c == b'.').count();
                set_aside_value(&mut out, &mut marks, i, end, MarkKind::Ellipsis);
                i = end;
            }
            0xE2 if text[i..].starts_with('…') => {
                let end = i + '…'.len_utf8();
                set_aside_value(&mut out, &mut marks, i, end, MarkKind::Ellipsis);
                i = end;
            }
            b'<' => {
                // `<uuid>`, `<ISO 8601 timestamp>`: a value written as a description
                let end = text[i..]
                    .find(['>', '\n'])
                    .map(|n| i + n)
                    .filter(|&e| b[e] == b'>' && e > i + 1);
                match end {
                    Some(e) => {
                        set_aside_value(&mut out, &mut marks, i, e + 1, MarkKind::Placeholder);
                        i = e + 1;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    if dialect == Dialect::Jsonc {
        trailing_commas(&mut out, &mut marks);
    }
    Lenient {
        // only ASCII bytes were written over whole characters, so this stays UTF-8
        text: String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        marks,
    }
}

/// Overwrite `start..end` with spaces, keeping line breaks.
fn blank(out: &mut [u8], start: usize, end: usize) {
    for byte in &mut out[start..end] {
        if *byte != b'\n' && *byte != b'\r' {
            *byte = b' ';
        }
    }
}

/// Set aside an ellipsis or placeholder: as a member value it becomes `0`; as an element
/// it disappears with the comma that separated it.
fn set_aside_value(
    out: &mut [u8],
    marks: &mut Vec<Mark>,
    start: usize,
    end: usize,
    kind: MarkKind,
) {
    marks.push(Mark {
        at: start,
        len: end - start,
        kind,
    });
    let prev = out[..start].iter().rposition(|c| !c.is_ascii_whitespace());
    let next = out[end..]
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .map(|n| end + n);
    blank(out, start, end);
    match prev.map(|p| out[p]) {
        Some(b':') => out[start] = b'0',
        Some(b',') => {
            if let Some(p) = prev {
                out[p] = b' ';
            }
        }
        _ => {
            if let Some(n) = next.filter(|&n| out[n] == b',') {
                out[n] = b' ';
            }
        }
    }
}

/// JSONC: blank a comma followed (after whitespace) by `]` or `}`.
fn trailing_commas(out: &mut [u8], marks: &mut Vec<Mark>) {
    let mut in_string = false;
    let mut i = 0;
    while i < out.len() {
        let c = out[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' | b'\n' => in_string = false,
                _ => {}
            }
        } else if c == b'"' {
            in_string = true;
        } else if c == b',' {
            let next = out[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
            if matches!(next, Some(b']' | b'}')) {
                out[i] = b' ';
                marks.push(Mark {
                    at: i,
                    len: 1,
                    kind: MarkKind::TrailingComma,
                });
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Verdict {
        judge(s, Dialect::Json)
    }

    #[test]
    fn valid_json() {
        assert_eq!(j("{\"a\": [1, 2, {\"b\": null}]}"), Verdict::Valid);
        assert_eq!(j("  \n"), Verdict::Valid);
        assert_eq!(
            j("{\"url\": \"http://x//y\", \"s\": \"a...b <c>\"}"),
            Verdict::Valid
        );
    }

    #[test]
    fn template_comment_is_illustrative() {
        let v = j("{\n  \"data\": {\n    // Response data\n  }\n}");
        assert!(
            matches!(
                v,
                Verdict::Illustrative {
                    at: 18,
                    len: 16,
                    ..
                }
            ),
            "{v:?}"
        );
    }

    #[test]
    fn ellipses_in_every_position() {
        for s in [
            "{\"changes\": [...]}",
            "{\"a\": 1, ...}",
            "{\"a\": ...}",
            "[1, 2, ...]",
            "{\n  ...\n  \"a\": 1\n}",
            "[\"x\", …]",
            "{\"id\": <uuid>, \"at\": <ISO 8601 timestamp>}",
        ] {
            assert!(
                matches!(j(s), Verdict::Illustrative { .. }),
                "{s}: {:?}",
                j(s)
            );
        }
    }

    #[test]
    fn several_values() {
        let v = j("// Request\n{\"a\": 1}\n// Response\n{\"b\": 2}");
        let Verdict::Illustrative { what, .. } = v else {
            panic!("{v:?}")
        };
        assert_eq!(what, "it holds comments and several JSON values");
    }

    #[test]
    fn real_errors_point_at_the_byte() {
        assert_eq!(
            j("{\n  \"a\": 1,\n  \"b\": 2,\n}"),
            Verdict::Invalid {
                at: 20,
                message: TRAILING_COMMA.into(),
                help: "remove the comma after the last element (JSON allows none), or tag the block `jsonc`",
            }
        );
        let Verdict::Invalid { at, message, .. } = j("{\"a\": 1 \"b\": 2}") else {
            panic!()
        };
        assert_eq!((at, message.as_str()), (8, "expected `,` or `}`"));
        let Verdict::Invalid { message, .. } = j("{a: 1}") else {
            panic!()
        };
        assert_eq!(message, "key must be a string");
        // an error after a comment is still an error, at its own position
        let Verdict::Invalid { at, .. } = j("{ // c\n  \"a\": tru }") else {
            panic!()
        };
        assert!((14..=17).contains(&at), "{at}");
    }

    #[test]
    fn jsonc_allows_comments_and_trailing_commas() {
        assert_eq!(
            judge("{\n // c\n \"a\": 1,\n}", Dialect::Jsonc),
            Verdict::Valid
        );
        assert!(matches!(
            judge("{\"a\": ...}", Dialect::Jsonc),
            Verdict::Illustrative { .. }
        ));
        assert!(matches!(
            judge("{\"a\" 1}", Dialect::Jsonc),
            Verdict::Invalid { .. }
        ));
    }

    #[test]
    fn unterminated_string_and_eof() {
        assert!(matches!(j("{\"a\": \"x}"), Verdict::Invalid { .. }));
        assert!(matches!(j("{\"a\": 1"), Verdict::Invalid { .. }));
        assert!(matches!(j("\"multi-byte é"), Verdict::Invalid { .. }));
    }
}
