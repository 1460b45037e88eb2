//! Byte offset ⇄ line/column conversion for LF, CRLF and CR-only text.

use crate::diagnostic::Position;

/// Start offsets of every line. Lines end at `\n`, `\r\n` or a lone `\r`, as in CommonMark.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines (a final line without terminator counts; an empty text has one line).
    pub fn line_count(&self) -> usize {
        if self.starts.len() > 1 && *self.starts.last().unwrap() == self.len {
            self.starts.len() - 1
        } else {
            self.starts.len()
        }
    }

    /// 0-based line containing `byte`.
    pub fn line_of(&self, byte: usize) -> usize {
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based `line` starts (clamped to the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte offset where 0-based `line` ends, before its terminator.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        let mut end = next;
        if end > self.line_start(line) && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > self.line_start(line) && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }

    /// The whole 0-based line, without terminator.
    pub fn line_span(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        self.line_start(line)..self.line_end(text, line)
    }

    /// 1-based line, 1-based column in characters, 0-based byte. `byte` is clamped to a char boundary.
    pub fn position(&self, text: &str, byte: usize) -> Position {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.line_of(byte);
        let start = self.line_start(line);
        let column = text[start..byte].chars().count() + 1;
        Position {
            line: line + 1,
            column,
            byte,
        }
    }

    /// Byte offset of a 1-based line and 1-based character column (clamped to the line).
    pub fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let l = line.saturating_sub(1);
        let span = self.line_span(text, l);
        text[span.clone()]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(span.end, |(i, _)| span.start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_cr_lines() {
        let text = "a\r\nbc\rd\ne";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_span(text, 0), 0..1);
        assert_eq!(idx.line_span(text, 1), 3..5);
        assert_eq!(idx.line_span(text, 2), 6..7);
        assert_eq!(idx.position(text, 4).line, 2);
        assert_eq!(idx.position(text, 4).column, 2);
        assert_eq!(idx.position(text, 9).line, 4);
    }

    #[test]
    fn columns_count_characters() {
        let text = "é🔌x";
        let idx = LineIndex::new(text);
        let p = idx.position(text, text.find('x').unwrap());
        assert_eq!(p.column, 3);
        assert_eq!(idx.offset(text, 1, 3), text.find('x').unwrap());
    }
}
