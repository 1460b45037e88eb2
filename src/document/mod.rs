//! The parsed document: markdown read once with comrak into a small, immutable model.
//!
//! Everything a checker needs is here as byte ranges into `Document::text` (the file's exact
//! bytes, BOM and CRLF included). comrak's 1-based line/byte-column positions are converted
//! once, in this module; checkers never parse markdown again.

mod lines;
mod parse;

use std::ops::Range;
use std::path::{Path, PathBuf};

pub use lines::LineIndex;

use crate::diagnostic::Position;

/// A heading and the text it governs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// 1–6.
    pub level: u8,
    /// `"4.3.1"` for `### 4.3.1 Authentication Endpoints`; `None` when unnumbered.
    pub number: Option<String>,
    /// Where the number (with its trailing `.`/`)`) is written.
    pub number_span: Option<Range<usize>>,
    /// Plain-text title without number, leading emoji or inline markup.
    pub title: String,
    /// Where the title text is written (after number and emoji).
    pub title_span: Range<usize>,
    /// Leading emoji or symbols before the number or title (`"🔌 "`), kept for fixes.
    pub decoration: String,
    /// The heading line(s).
    pub heading: Range<usize>,
    /// From the line after the heading to the next heading of the same or a higher level.
    pub body: Range<usize>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

impl Section {
    /// Heading and body together.
    pub fn span(&self) -> Range<usize> {
        self.heading.start..self.body.end
    }
}

/// A fenced or indented code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The whole info string (` ```sql title="x"` → `sql title="x"`).
    pub info: String,
    /// First word of the info string, lowercased (`""` when none).
    pub lang: String,
    /// The whole block, fences included.
    pub span: Range<usize>,
    /// The content lines (without fences) in the source.
    pub body: Range<usize>,
    /// The content as comrak gives it (indentation of the fence removed).
    pub literal: String,
    /// 0-based line of the first content line.
    pub body_line: usize,
    pub fenced: bool,
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub span: Range<usize>,
    /// Trimmed source text of the cell.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub span: Range<usize>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub span: Range<usize>,
    pub header: Row,
    pub rows: Vec<Row>,
}

impl Table {
    /// Index of the first header cell whose lowercased text contains any of `needles`.
    pub fn column(&self, needles: &[&str]) -> Option<usize> {
        self.header.cells.iter().position(|c| {
            let t = c.text.to_lowercase();
            needles.iter().any(|n| t.contains(n))
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The whole item, nested content included.
    pub span: Range<usize>,
    /// The item's first line, marker included.
    pub first_line: Range<usize>,
    /// 0 for a top-level item.
    pub depth: usize,
}

/// One markdown file, parsed.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
    /// Byte length of a leading UTF-8 BOM (0 or 3).
    pub bom: usize,
    pub front_matter: Option<Range<usize>>,
    /// Every heading in document order.
    pub sections: Vec<Section>,
    pub code_blocks: Vec<CodeBlock>,
    pub tables: Vec<Table>,
    pub links: Vec<Link>,
    pub list_items: Vec<ListItem>,
    /// HTML blocks and inline HTML (comments included), in document order.
    pub html: Vec<Range<usize>>,
    /// Inline code spans, backticks included, in document order.
    pub inline_code: Vec<Range<usize>>,
    /// What several rules derive from the document alike (the parsed SQL schema, the env
    /// blocks…), computed by the first rule that asks. See [`Document::memo`].
    pub(crate) memo: Memo,
}

/// A per-document cache keyed by type: each rule of a kind runs the kind's check, and the
/// expensive part (parsing every SQL block, say) should happen once per document, not once
/// per rule. Cloning a document starts an empty cache.
#[derive(Default)]
pub struct Memo(
    std::sync::Mutex<
        Vec<(
            std::any::TypeId,
            std::sync::Arc<dyn std::any::Any + Send + Sync>,
        )>,
    >,
);

impl Clone for Memo {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Document {
    /// Parse `text` (the file's exact contents) read from `path`.
    pub fn parse(path: impl Into<PathBuf>, text: impl Into<String>) -> Document {
        parse::parse(path.into(), text.into())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Line/column of a byte offset; columns count characters and ignore a BOM.
    pub fn position(&self, byte: usize) -> Position {
        let mut p = self.lines.position(&self.text, byte);
        if self.bom > 0 && p.line == 1 && p.byte >= self.bom {
            p.column -= 1;
        }
        p
    }

    /// Byte offset of a 1-based line and character column as `position` reports them (the
    /// inverse of `position`; a BOM is not a column). Clamped to the line.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let column = if self.bom > 0 && line <= 1 {
            column + 1
        } else {
            column
        };
        self.lines.offset(&self.text, line, column)
    }

    pub fn slice(&self, span: &Range<usize>) -> &str {
        let end = span.end.min(self.text.len());
        let start = span.start.min(end);
        self.text.get(start..end).unwrap_or("")
    }

    /// Span of the document's first line (where document-level findings point).
    pub fn first_line(&self) -> Range<usize> {
        let mut line = 0;
        if let Some(fm) = &self.front_matter {
            line = self.lines.line_of(fm.end);
            // the line after front matter may be blank: skip to the first non-blank line
            while line < self.lines.line_count() {
                let s = self.lines.line_span(&self.text, line);
                if !self.text[s].trim().is_empty() {
                    break;
                }
                line += 1;
            }
        }
        let span = self.lines.line_span(&self.text, line);
        span.start.max(self.bom)..span.end
    }

    /// Line terminator used by the document (`"\r\n"` if its first line break is CRLF).
    pub fn newline(&self) -> &'static str {
        match self.text.find('\n') {
            Some(i) if i > 0 && self.text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// The block that would swallow markdown inserted at `at`: a code block or HTML block
    /// around it, or one left open (an unclosed fence, an unterminated `<!--`) that runs to
    /// the end of the text at `at`. Text inserted there would not be a heading.
    pub fn swallowing_block(&self, at: usize) -> Option<Range<usize>> {
        // an unclosed block runs to the end of the text (its span may stop before the last
        // line break)
        let to_end = |r: &Range<usize>| self.text[r.end.min(self.text.len())..].trim().is_empty();
        let code = self
            .code_blocks
            .iter()
            .find(|b| b.span.start < at && (at < b.span.end || (!b.closed && to_end(&b.span))));
        code.map(|b| b.span.clone()).or_else(|| {
            self.html
                .iter()
                .find(|h| {
                    // only HTML blocks of kinds 1–5 (comments, `<pre>`, `<script>`…) wait
                    // for an end marker; the others end at a blank line
                    let t = self.slice(h);
                    let marked = t.starts_with("<!")
                        || t.starts_with("<?")
                        || ["<pre", "<script", "<style", "<textarea"]
                            .iter()
                            .any(|p| t.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p)));
                    let open = marked && to_end(h) && !t.trim_end().ends_with('>');
                    h.start < at && (at < h.end || open)
                })
                .cloned()
        })
    }

    /// The value of type `T` derived from this document, computed by `init` on first use.
    /// `init` runs without the cache locked, so it may itself ask for other values.
    pub fn memo<T: std::any::Any + Send + Sync>(
        &self,
        init: impl FnOnce() -> T,
    ) -> std::sync::Arc<T> {
        let id = std::any::TypeId::of::<T>();
        let find = |v: &[(
            std::any::TypeId,
            std::sync::Arc<dyn std::any::Any + Send + Sync>,
        )]| {
            v.iter()
                .find(|(k, _)| *k == id)
                .and_then(|(_, a)| a.clone().downcast::<T>().ok())
        };
        if let Some(t) = find(&self.memo.0.lock().unwrap_or_else(|e| e.into_inner())) {
            return t;
        }
        let value = std::sync::Arc::new(init());
        let mut cache = self.memo.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = find(&cache) {
            return t; // another thread got there first; keep one value
        }
        cache.push((id, value.clone()));
        value
    }

    /// Whether `byte` lies inside a code block, inline code span or HTML.
    pub fn in_code_or_html(&self, byte: usize) -> bool {
        self.code_block_at(byte).is_some() || self.in_inline_code(byte) || self.in_html(byte)
    }

    /// The code block containing `byte`.
    pub fn code_block_at(&self, byte: usize) -> Option<&CodeBlock> {
        let i = self.code_blocks.partition_point(|b| b.span.start <= byte);
        i.checked_sub(1)
            .map(|i| &self.code_blocks[i])
            .filter(|b| byte < b.span.end)
    }

    pub fn in_inline_code(&self, byte: usize) -> bool {
        in_sorted(&self.inline_code, byte)
    }

    pub fn in_html(&self, byte: usize) -> bool {
        in_sorted(&self.html, byte)
    }

    /// The link containing `byte`.
    pub fn link_at(&self, byte: usize) -> Option<&Link> {
        let i = self.links.partition_point(|l| l.span.start <= byte);
        i.checked_sub(1)
            .map(|i| &self.links[i])
            .filter(|l| byte < l.span.end)
    }

    /// Code blocks that lie within `span`.
    pub fn code_blocks_in(&self, span: &Range<usize>) -> impl Iterator<Item = &CodeBlock> {
        let span = span.clone();
        self.code_blocks
            .iter()
            .filter(move |b| b.span.start >= span.start && b.span.start < span.end)
    }

    /// Tables that lie within `span`.
    pub fn tables_in(&self, span: &Range<usize>) -> impl Iterator<Item = &Table> {
        let span = span.clone();
        self.tables
            .iter()
            .filter(move |t| t.span.start >= span.start && t.span.start < span.end)
    }

    /// List items that start within `span`.
    pub fn list_items_in(&self, span: &Range<usize>) -> impl Iterator<Item = &ListItem> {
        let span = span.clone();
        self.list_items
            .iter()
            .filter(move |i| i.span.start >= span.start && i.span.start < span.end)
    }

    /// Map a byte offset inside `block.literal` to a byte offset in the document.
    pub fn code_offset(&self, block: &CodeBlock, literal_offset: usize) -> usize {
        let lit = &block.literal;
        let off = literal_offset.min(lit.len());
        let line_in_block = lit[..off].matches('\n').count();
        let lit_line_start = lit[..off].rfind('\n').map_or(0, |i| i + 1);
        let lit_line_end = lit[off..].find('\n').map_or(lit.len(), |i| off + i);
        let lit_line_len = lit_line_end - lit_line_start;
        let doc_line = block.body_line + line_in_block;
        let span = self.lines.line_span(&self.text, doc_line);
        if span.start < block.body.start || span.start >= block.body.end.max(block.body.start + 1) {
            return block.body.start;
        }
        let indent = (span.end - span.start).saturating_sub(lit_line_len);
        let mut byte = (span.start + indent + (off - lit_line_start)).min(span.end);
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        byte
    }

    /// The section (index) that most closely encloses `byte`.
    pub fn section_at(&self, byte: usize) -> Option<usize> {
        self.sections
            .iter()
            .rposition(|s| s.heading.start <= byte && byte < s.body.end.max(s.heading.end))
    }
}

/// Whether `byte` lies in one of `spans` (sorted by start, not nested).
fn in_sorted(spans: &[Range<usize>], byte: usize) -> bool {
    let i = spans.partition_point(|r| r.start <= byte);
    i.checked_sub(1).is_some_and(|i| byte < spans[i].end)
}

#[cfg(test)]
mod tests;
