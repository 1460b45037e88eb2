//! LSP positions ↔ byte offsets. A position is a line and a column counted in the code units
//! of the negotiated encoding: UTF-16 by default (what every client must accept), UTF-8 or
//! UTF-32 when the client offers them. Lines end at `\n`, `\r\n` or a lone `\r`, as the
//! protocol says; a column past the end of its line means the end of the line.

use lsp_types::{Position, PositionEncodingKind, Range};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding to use given what the client offers (in its order of preference):
    /// UTF-8 when offered (no conversion at all), else UTF-16, which every client supports.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.is_empty() || offered.contains(&PositionEncodingKind::UTF16) {
            Encoding::Utf16
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// Where each line of a text starts, as the document's [`crate::document::LineIndex`]
/// knows it, with positions in the protocol's terms: 0-based lines and columns counted in
/// code units of the negotiated encoding.
#[derive(Debug, Clone)]
pub struct LineIndex(crate::document::LineIndex);

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex(crate::document::LineIndex::new(text))
    }

    /// The byte range of line `line`'s content (without its terminator); past the last
    /// line, the empty range at the end of the text.
    fn content(&self, text: &str, line: usize) -> (usize, usize) {
        let span = self.0.line_span(text, line);
        (span.start, span.end)
    }

    /// The position of byte `offset` (clamped to the text, rounded down to a character).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.0.line_of(offset);
        let (start, end) = self.content(text, line);
        // inside a `\r\n` terminator: the end of the line
        let offset = offset.min(end);
        let character = match enc {
            Encoding::Utf8 => (offset - start) as u32,
            _ => text[start..offset].chars().map(|c| enc.units(c)).sum(),
        };
        Position::new(line as u32, character)
    }

    pub fn range(&self, text: &str, span: std::ops::Range<usize>, enc: Encoding) -> Range {
        Range::new(
            self.position(text, span.start, enc),
            self.position(text, span.end.max(span.start), enc),
        )
    }

    /// The byte offset of `pos`: a line past the end is the end of the text, a column past
    /// the end of its line the end of that line, and a column inside a character its start.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let (start, end) = self.content(text, pos.line as usize);
        let want = pos.character;
        if enc == Encoding::Utf8 {
            let mut at = (start + want as usize).min(end);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            let next = units + enc.units(c);
            if next > want {
                return start + i;
            }
            units = next;
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a€😀b\r\nxy\rz\n";

    #[test]
    fn columns_count_code_units_of_the_encoding() {
        let idx = LineIndex::new(TEXT);
        let b = TEXT.find('b').unwrap();
        assert_eq!(idx.position(TEXT, b, Encoding::Utf8), Position::new(0, 8));
        assert_eq!(idx.position(TEXT, b, Encoding::Utf16), Position::new(0, 4));
        assert_eq!(idx.position(TEXT, b, Encoding::Utf32), Position::new(0, 3));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let p = idx.position(TEXT, b, enc);
            assert_eq!(idx.offset(TEXT, p, enc), b, "{enc:?}");
        }
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let idx = LineIndex::new(TEXT);
        let z = TEXT.find('z').unwrap();
        assert_eq!(idx.position(TEXT, z, Encoding::Utf16), Position::new(2, 0));
        // the `\n` of `\r\n` is still line 0's end
        let lf = TEXT.find('\n').unwrap();
        assert_eq!(idx.position(TEXT, lf, Encoding::Utf16), Position::new(0, 5));
        assert_eq!(
            idx.offset(TEXT, Position::new(1, 0), Encoding::Utf16),
            lf + 1
        );
        assert_eq!(
            idx.position(TEXT, TEXT.len(), Encoding::Utf16),
            Position::new(3, 0)
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let idx = LineIndex::new(TEXT);
        // past the line's end: before its terminator
        assert_eq!(
            idx.offset(TEXT, Position::new(1, 99), Encoding::Utf16),
            TEXT.find("\rz").unwrap()
        );
        assert_eq!(
            idx.offset(TEXT, Position::new(9, 0), Encoding::Utf16),
            TEXT.len()
        );
        // the middle of a surrogate pair is the character's start
        let emoji = TEXT.find('😀').unwrap();
        assert_eq!(
            idx.offset(TEXT, Position::new(0, 3), Encoding::Utf16),
            emoji
        );
        // a UTF-8 column inside `€` (bytes 1..4) is its start
        assert_eq!(
            idx.offset(TEXT, Position::new(0, 2), Encoding::Utf8),
            TEXT.find('€').unwrap()
        );
    }

    #[test]
    fn negotiation_prefers_utf8_and_falls_back_to_utf16() {
        use PositionEncodingKind as K;
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF16, K::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(Encoding::negotiate(Some(&[K::UTF16])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&[K::UTF32])), Encoding::Utf32);
    }
}
