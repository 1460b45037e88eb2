//! comrak → `Document`. Block positions come from comrak; heading numbers, table cells and
//! section bodies are computed from the source text, where exact byte ranges matter.

use std::borrow::Cow;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::LazyLock;

use comrak::nodes::{AstNode, NodeValue, Sourcepos};
use comrak::{Arena, Options, parse_document};
use regex::Regex;

use super::{Cell, CodeBlock, Document, LineIndex, Link, ListItem, Row, Section, Table};

const BOM: &str = "\u{feff}";

pub(super) fn parse(path: PathBuf, text: String) -> Document {
    let bom = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let lines = LineIndex::new(&text);
    let front_matter = front_matter(&text, bom, &lines);

    // comrak sees a copy in which the BOM and front matter are blanked with spaces, so every
    // byte offset it reports is an offset into the original text.
    let parse_text: Cow<str> = if bom > 0 || front_matter.is_some() {
        let mut bytes = text.as_bytes().to_vec();
        bytes[..bom].fill(b' ');
        if let Some(fm) = &front_matter {
            for b in &mut bytes[fm.clone()] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
        }
        // Blanking whole UTF-8 sequences with ASCII spaces keeps the text valid UTF-8.
        Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.clone()))
    } else {
        Cow::Borrowed(&text)
    };

    let mut options = Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.autolink = true;
    let arena = Arena::new();
    let root = parse_document(&arena, &parse_text, &options);

    let mut b = Builder {
        text: &text,
        lines: &lines,
        headings: Vec::new(),
        code_blocks: Vec::new(),
        tables: Vec::new(),
        links: Vec::new(),
        list_items: Vec::new(),
        html: Vec::new(),
        inline_code: Vec::new(),
    };
    b.walk(root, 0);

    let Builder {
        headings,
        code_blocks,
        tables,
        mut links,
        list_items,
        mut html,
        mut inline_code,
        ..
    } = b;
    // table cells are visited after their table: restore document order for binary searches
    links.sort_by_key(|l| l.span.start);
    html.sort_by_key(|r| r.start);
    inline_code.sort_by_key(|r| r.start);
    let sections = outline(&text, &lines, headings);
    Document {
        path,
        lines: lines.clone(),
        bom,
        front_matter,
        sections,
        code_blocks,
        tables,
        links,
        list_items,
        html,
        inline_code,
        text,
        memo: Default::default(),
    }
}

/// YAML (`---`) or TOML (`+++`) front matter at the very start.
fn front_matter(text: &str, bom: usize, lines: &LineIndex) -> Option<Range<usize>> {
    let first = lines.line_span(text, 0);
    let delim = text[first.start.max(bom)..first.end].trim_end();
    if delim != "---" && delim != "+++" {
        return None;
    }
    for line in 1..lines.line_count() {
        let span = lines.line_span(text, line);
        let t = text[span.clone()].trim_end();
        if t == delim || (delim == "---" && t == "...") {
            let end = lines.line_start(line + 1).max(span.end);
            return Some(bom..end.min(text.len()));
        }
    }
    None
}

struct RawHeading {
    level: u8,
    setext: bool,
    lines: Range<usize>, // 0-based, inclusive start, exclusive end
}

struct Builder<'t> {
    text: &'t str,
    lines: &'t LineIndex,
    headings: Vec<RawHeading>,
    code_blocks: Vec<CodeBlock>,
    tables: Vec<Table>,
    links: Vec<Link>,
    list_items: Vec<ListItem>,
    html: Vec<Range<usize>>,
    inline_code: Vec<Range<usize>>,
}

impl<'t> Builder<'t> {
    /// Whole lines covered by a block.
    fn block_span(&self, sp: Sourcepos) -> Range<usize> {
        let start = self.lines.line_start(sp.start.line.saturating_sub(1));
        let end = self
            .lines
            .line_end(self.text, sp.end.line.saturating_sub(1));
        start..end.max(start)
    }

    /// Exact span of an inline node (comrak columns are 1-based bytes, end inclusive).
    fn inline_span(&self, sp: Sourcepos) -> Range<usize> {
        let at = |line: usize, col: usize, inclusive_end: bool| {
            let l = line.saturating_sub(1);
            let ls = self.lines.line_span(self.text, l);
            let mut b = (ls.start + col.saturating_sub(1) + usize::from(inclusive_end)).min(ls.end);
            while !self.text.is_char_boundary(b) {
                b += 1;
            }
            b
        };
        let start = at(sp.start.line, sp.start.column, false);
        let end = at(sp.end.line, sp.end.column, true).max(start);
        start..end
    }

    /// Visit the tree in document order. Iterative: a document may nest blockquotes or lists
    /// thousands deep, and worker threads have small stacks.
    fn walk<'a>(&mut self, root: &'a AstNode<'a>, list_depth: usize) {
        let mut stack = vec![(root, list_depth)];
        while let Some((node, depth)) = stack.pop() {
            if let Some(child_depth) = self.visit(node, depth) {
                // reversed, so that the first child is popped first
                stack.extend(node.reverse_children().map(|c| (c, child_depth)));
            }
        }
    }

    /// Record one node; `Some(depth)` to visit its children at that list depth.
    fn visit<'a>(&mut self, node: &'a AstNode<'a>, list_depth: usize) -> Option<usize> {
        let data = node.data.borrow();
        let sp = data.sourcepos;
        let mut child_depth = list_depth;
        match &data.value {
            NodeValue::Heading(h) => {
                self.headings.push(RawHeading {
                    level: h.level,
                    setext: h.setext,
                    lines: sp.start.line.saturating_sub(1)..sp.end.line,
                });
                return None;
            }
            NodeValue::CodeBlock(cb) => {
                let span = self.block_span(sp);
                let first = sp.start.line.saturating_sub(1);
                let last = sp.end.line.saturating_sub(1);
                let (body_line, body) = if cb.fenced {
                    let body_first = first + 1;
                    let body_end_line = if cb.closed { last } else { last + 1 };
                    let start = self.lines.line_start(body_first).min(span.end);
                    let end = if body_end_line > body_first {
                        self.lines.line_end(self.text, body_end_line - 1).max(start)
                    } else {
                        start
                    };
                    (body_first, start..end.min(span.end).max(start))
                } else {
                    (first, span.clone())
                };
                let lang = cb
                    .info
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_matches(|c| c == '{' || c == '}' || c == '.')
                    .to_lowercase();
                self.code_blocks.push(CodeBlock {
                    info: cb.info.clone(),
                    lang,
                    span,
                    body,
                    literal: cb.literal.clone(),
                    body_line,
                    fenced: cb.fenced,
                    closed: cb.closed || !cb.fenced,
                });
                return None;
            }
            NodeValue::HtmlBlock(_) => {
                self.html.push(self.block_span(sp));
                return None;
            }
            NodeValue::HtmlInline(_) => self.html.push(self.inline_span(sp)),
            NodeValue::Code(_) => self.inline_code.push(self.inline_span(sp)),
            NodeValue::Link(link) => self.links.push(Link {
                url: link.url.clone(),
                span: self.inline_span(sp),
            }),
            NodeValue::Table(_) => {
                self.table(node);
                return None;
            }
            NodeValue::Item(_) | NodeValue::TaskItem(_) => {
                let span = self.block_span(sp);
                let first_line = self
                    .lines
                    .line_span(self.text, sp.start.line.saturating_sub(1));
                self.list_items.push(ListItem {
                    span,
                    first_line,
                    depth: list_depth,
                });
                child_depth = list_depth + 1;
            }
            _ => {}
        }
        Some(child_depth)
    }

    fn table<'a>(&mut self, node: &'a AstNode<'a>) {
        let span = self.block_span(node.data.borrow().sourcepos);
        let mut rows = Vec::new();
        for row in node.children() {
            let sp = row.data.borrow().sourcepos;
            let line = self
                .lines
                .line_span(self.text, sp.start.line.saturating_sub(1));
            rows.push(Row {
                cells: split_cells(self.text, line.clone()),
                span: line,
            });
        }
        // inline code and links inside cells still matter (placeholders, anchors)
        for row in node.children() {
            for cell in row.children() {
                for d in cell.descendants() {
                    let data = d.data.borrow();
                    match &data.value {
                        NodeValue::Code(_) => {
                            self.inline_code.push(self.inline_span(data.sourcepos))
                        }
                        NodeValue::Link(l) => self.links.push(Link {
                            url: l.url.clone(),
                            span: self.inline_span(data.sourcepos),
                        }),
                        NodeValue::HtmlInline(_) => {
                            self.html.push(self.inline_span(data.sourcepos))
                        }
                        _ => {}
                    }
                }
            }
        }
        if rows.is_empty() {
            return;
        }
        let header = rows.remove(0);
        self.tables.push(Table { span, header, rows });
    }
}

/// Split a table row into cells on unescaped pipes outside inline code.
fn split_cells(text: &str, line: Range<usize>) -> Vec<Cell> {
    let s = &text[line.clone()];
    let bytes = s.as_bytes();
    let mut bounds = Vec::new();
    let mut in_code = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => in_code = !in_code,
            b'|' if !in_code => bounds.push(i),
            _ => {}
        }
        i += 1;
    }
    let lead = s.len() - s.trim_start().len();
    let trail = s.trim_end().len();
    let mut edges = vec![lead];
    for b in bounds {
        edges.push(b);
    }
    edges.push(trail);
    let mut cells = Vec::new();
    for w in edges.windows(2) {
        let (a, b) = (w[0], w[1]);
        let start = if s.as_bytes().get(a) == Some(&b'|') {
            a + 1
        } else {
            a
        };
        if start > b {
            continue;
        }
        // skip the empty piece before a leading pipe and after a trailing pipe
        if (a == lead && b == lead && s.as_bytes().get(lead) == Some(&b'|'))
            || (start == b && b == trail)
        {
            continue;
        }
        let raw = &s[start..b];
        let t = raw.trim();
        let off = start + (raw.len() - raw.trim_start().len());
        cells.push(Cell {
            span: line.start + off..line.start + off + t.len(),
            text: t.to_string(),
        });
    }
    cells
}

static HEADING_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:§\s*|(?:section|part|chapter)\s+)?(\d{1,3}(?:\.\d{1,3})*)(?:\.\)?|\)|:|\s+[-–—:]|\s|$)\s*")
        .expect("valid heading-number regex")
});

/// A chapter ordinal written before a CJK title: `五、系统数据库设计`, `第五章 数据库设计`,
/// `第5章：部署`, `第十三部分 服务集成`.
static CJK_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:第\s*(?P<a>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*(?:章|部分|篇|部)|(?P<b>[一二三四五六七八九十]{1,3})\s*[、．.])[\s:：、.．]*")
        .expect("valid CJK heading-number regex")
});

/// `五` → 5, `十三` → 13, `二十` → 20 (up to 99); digits as they are.
fn cjk_ordinal(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Turn raw headings into sections with numbers, titles and bodies.
fn outline(text: &str, lines: &LineIndex, raw: Vec<RawHeading>) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(raw.len());
    for h in &raw {
        let heading = lines.line_start(h.lines.start)
            ..lines.line_end(text, h.lines.end.saturating_sub(1).max(h.lines.start));
        // The title is on the first line for ATX, and every line but the underline for setext.
        let content_line = lines.line_span(text, h.lines.start);
        let content_end = if h.setext && h.lines.end > h.lines.start + 1 {
            lines.line_end(text, h.lines.end - 2)
        } else {
            content_line.end
        };
        let (content, content_start) =
            heading_content(text, content_line.start..content_end, h.setext);
        let (decoration, number, number_span, title, title_span) =
            split_heading(content, content_start);
        sections.push(Section {
            level: h.level,
            number,
            number_span,
            title,
            title_span,
            decoration,
            heading,
            body: 0..0,
            parent: None,
            children: Vec::new(),
        });
    }
    // bodies and the tree
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..sections.len() {
        let level = sections[i].level;
        while let Some(&top) = stack.last() {
            if sections[top].level >= level {
                stack.pop();
            } else {
                break;
            }
        }
        sections[i].parent = stack.last().copied();
        if let Some(&p) = stack.last() {
            sections[p].children.push(i);
        }
        stack.push(i);
        let body_start = lines
            .line_start(lines.line_of(sections[i].heading.end) + 1)
            .min(text.len());
        let body_end = sections[i + 1..]
            .iter()
            .find(|s| s.level <= level)
            .map_or(text.len(), |s| s.heading.start);
        sections[i].body = body_start.min(body_end)..body_end;
    }
    sections
}

/// The heading's text without `#` markers or closing sequence; returns it with its offset.
fn heading_content(text: &str, line: Range<usize>, setext: bool) -> (&str, usize) {
    let s = &text[line.clone()];
    if setext {
        let t = s.trim_start();
        return (t.trim_end(), line.start + (s.len() - t.len()));
    }
    let t = s.trim_start();
    let after_hashes = t.trim_start_matches('#');
    let body = after_hashes.trim_start();
    let mut start = line.start + (s.len() - body.len());
    let mut content = body.trim_end();
    // closing sequence: spaces then #s at the end
    let without_closing = content.trim_end_matches('#');
    if without_closing.len() < content.len()
        && (without_closing.is_empty() || without_closing.ends_with([' ', '\t']))
    {
        content = without_closing.trim_end();
    }
    if content.is_empty() {
        start = line.start + s.len();
    }
    (content, start)
}

type SplitHeading = (
    String,
    Option<String>,
    Option<Range<usize>>,
    String,
    Range<usize>,
);

fn split_heading(content: &str, start: usize) -> SplitHeading {
    // leading decoration: emoji, symbols, spaces — anything before a letter, digit or §
    let deco_len = content
        .char_indices()
        .find(|(_, c)| {
            c.is_alphanumeric() || *c == '§' || *c == '*' || *c == '_' || *c == '`' || *c == '['
        })
        .map_or(content.len(), |(i, _)| i);
    let decoration = content[..deco_len].to_string();
    let mut rest = &content[deco_len..];
    let mut offset = start + deco_len;
    // markup around the number (`**1. Overview**`) is rare; strip a leading emphasis marker
    let mut number = None;
    let mut number_span = None;
    if let Some(m) = HEADING_NUMBER.captures(rest) {
        let whole = m.get(0).expect("match");
        let num = m.get(1).expect("group");
        // `2026 Roadmap`-style years are not section numbers
        let n = num.as_str();
        if n.len() <= 7 && (n.len() != 4 || n.contains('.')) {
            number = Some(num.as_str().to_string());
            let sep_end = whole.as_str().trim_end().len();
            number_span = Some(offset + num.start()..offset + sep_end);
            rest = &rest[whole.end()..];
            offset += whole.end();
        }
    }
    if number.is_none()
        && let Some(m) = CJK_NUMBER.captures(rest)
        && let Some(n) = m
            .name("a")
            .or_else(|| m.name("b"))
            .and_then(|g| cjk_ordinal(g.as_str()))
    {
        let whole = m.get(0).expect("match");
        number = Some(n.to_string());
        let sep_end = whole.as_str().trim_end().len();
        number_span = Some(offset..offset + sep_end);
        rest = &rest[whole.end()..];
        offset += whole.end();
    }
    // decoration may also follow the number (`4. 🔌 API`)
    let inner_deco = rest
        .char_indices()
        .find(|(_, c)| {
            c.is_alphanumeric() || matches!(c, '*' | '_' | '`' | '[' | '"' | '\'' | '(' | '“')
        })
        .map_or(rest.len(), |(i, _)| i);
    let decoration = if decoration.trim().is_empty() && inner_deco > 0 {
        rest[..inner_deco].to_string()
    } else {
        decoration
    };
    let title_raw = &rest[inner_deco..];
    let title_span = offset + inner_deco..offset + inner_deco + title_raw.len();
    (
        decoration,
        number,
        number_span,
        plain_text(title_raw),
        title_span,
    )
}

/// Strip inline markdown from a heading: emphasis, code ticks, link syntax, escapes.
pub(crate) fn plain_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '_' | '`' => {}
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '[' => {}
            ']' => {
                if chars.peek() == Some(&'(') {
                    for n in chars.by_ref() {
                        if n == ')' {
                            break;
                        }
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
