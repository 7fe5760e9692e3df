//! Byte offsets (what findings carry) to LSP positions and back, in the encoding the
//! client and the server agreed on: UTF-8 bytes where the client offers it, else UTF-16
//! code units, which every client understands (LSP 3.17 `positionEncoding`). Lines end at
//! `\n`, `\r\n` or a lone `\r`, as in LSP and in oaslint's line index.

use lsp_types::{Position, PositionEncodingKind, Range};

use crate::source::{LineIndex, SourceFile, Span};

/// What a position's `character` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 if the client lists it among the encodings it supports, else UTF-16 (the
    /// protocol's default, which every client must support).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// How many units `text` is in this encoding.
    fn units(self, text: &str) -> u32 {
        match self {
            Encoding::Utf8 => text.len() as u32,
            Encoding::Utf16 => text.chars().map(|c| c.len_utf16() as u32).sum(),
        }
    }
}

/// A text with its line starts, for converting positions.
pub struct Positions<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    encoding: Encoding,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str, lines: &'a LineIndex, encoding: Encoding) -> Positions<'a> {
        Positions { text, lines, encoding }
    }

    pub fn of_file(file: &'a SourceFile, encoding: Encoding) -> Positions<'a> {
        Positions::new(file.text(), &file.line_index, encoding)
    }

    /// The position of a byte offset (clamped to the text; an offset inside a character
    /// counts from that character's start).
    pub fn position(&self, offset: u32) -> Position {
        let offset = floor_char_boundary(self.text, offset as usize);
        let line = self.lines.line_of(offset as u32);
        let start = self.lines.line_start(line).unwrap_or(0) as usize;
        let before = self.text.get(start..offset).unwrap_or("");
        Position { line: line as u32, character: self.encoding.units(before) }
    }

    pub fn range(&self, span: Span) -> Range {
        Range { start: self.position(span.start), end: self.position(span.end) }
    }

    /// The byte offset of a position. A `character` past the line's end means the line's
    /// end (before its line break), a line past the last means the text's end, and a
    /// position inside a UTF-16 surrogate pair means the character's start, as LSP asks.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        let Some(start) = self.lines.line_start(line) else { return self.text.len() };
        let end = self.lines.line_start(line + 1).map_or(self.text.len(), |next| next as usize);
        let line_text = self.text.get(start as usize..end).unwrap_or("");
        let content = line_text.trim_end_matches(['\n', '\r']);
        let wanted = position.character;
        let mut units = 0u32;
        for (at, character) in content.char_indices() {
            let width = match self.encoding {
                Encoding::Utf8 => character.len_utf8() as u32,
                Encoding::Utf16 => character.len_utf16() as u32,
            };
            if units + width > wanted {
                return start as usize + at;
            }
            units += width;
        }
        start as usize + content.len()
    }
}

/// The largest character boundary at or before `offset`, within the text.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::{Encoding, Positions};
    use crate::source::LineIndex;
    use lsp_types::{Position, PositionEncodingKind};

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn non_ascii_columns_count_utf16_units_or_bytes() {
        // "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 units.
        let text = "a: 1\r\nné😀x: 2\rc: 3\n";
        let lines = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        let utf16 = Positions::new(text, &lines, Encoding::Utf16);
        assert_eq!(utf16.position(x), at(1, 4));
        assert_eq!(utf16.offset(at(1, 4)), x as usize);
        let utf8 = Positions::new(text, &lines, Encoding::Utf8);
        assert_eq!(utf8.position(x), at(1, 7));
        assert_eq!(utf8.offset(at(1, 7)), x as usize);
        // The lone-CR line break starts line 2.
        let c = text.find('c').unwrap() as u32;
        assert_eq!(utf16.position(c), at(2, 0));
        assert_eq!(utf16.offset(at(2, 0)), c as usize);
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let text = "ab\r\ncd";
        let lines = LineIndex::new(text);
        let positions = Positions::new(text, &lines, Encoding::Utf16);
        assert_eq!(positions.offset(at(0, 99)), 2, "the line's end, before CRLF");
        assert_eq!(positions.offset(at(9, 0)), text.len());
        assert_eq!(positions.position(999), at(1, 2));
        // Inside the surrogate pair of "😀": its start.
        let text = "😀z";
        let lines = LineIndex::new(text);
        let positions = Positions::new(text, &lines, Encoding::Utf16);
        assert_eq!(positions.offset(at(0, 1)), 0);
        assert_eq!(positions.offset(at(0, 2)), 4);
        assert_eq!(positions.position(2), at(0, 0), "an offset inside a character");
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
