use std::sync::OnceLock;

/// Byte offsets of line starts, so a byte offset becomes line and column in
/// O(log lines) without rescanning the file.
#[derive(Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Whether the whole text is ASCII, so columns are byte distances.
    ascii: bool,
    /// For non-ASCII text, built on first use: the number of UTF-8 continuation
    /// bytes before each [`BLOCK`]-byte boundary, so counting the characters of a
    /// long line (a minified spec is one line) costs at most one block.
    continuations: OnceLock<Vec<u32>>,
}

const BLOCK: usize = 4096;

/// A 1-based line and a 1-based column counted in Unicode code points (as SARIF's
/// `unicodeCodePoints` column kind and editors expect).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    /// Lines end at `\n`, `\r\n` or a lone `\r`, as in YAML and JSON.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 40 + 1);
        line_starts.push(0);
        for pos in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let is_crlf_head = bytes.get(pos) == Some(&b'\r') && bytes.get(pos + 1) == Some(&b'\n');
            if !is_crlf_head {
                line_starts.push(pos as u32 + 1);
            }
        }
        LineIndex { line_starts, ascii: text.is_ascii(), continuations: OnceLock::new() }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> Option<u32> {
        self.line_starts.get(line).copied()
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1)
    }

    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(text.len() as u32);
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0);
        let column = self.chars_between(text, start as usize, offset as usize);
        LineCol { line: line as u32 + 1, column: column as u32 + 1 }
    }

    /// The number of characters that start in `start..end` (an offset inside a
    /// multi-byte character counts that character as started).
    fn chars_between(&self, text: &str, start: usize, end: usize) -> usize {
        let length = end.saturating_sub(start);
        if self.ascii {
            return length;
        }
        if length <= BLOCK {
            return text.as_bytes().get(start..end).map_or(0, |bytes| length - count_continuations(bytes));
        }
        length.saturating_sub(self.continuations_before(text, end) - self.continuations_before(text, start))
    }

    fn continuations_before(&self, text: &str, offset: usize) -> usize {
        let table = self.continuations.get_or_init(|| {
            let mut table = Vec::with_capacity(text.len() / BLOCK + 1);
            let mut total = 0u32;
            for block in text.as_bytes().chunks(BLOCK) {
                table.push(total);
                total += count_continuations(block) as u32;
            }
            table
        });
        let block = offset / BLOCK;
        let before_block = table.get(block).copied().unwrap_or(0) as usize;
        let within = text.as_bytes().get(block * BLOCK..offset).map_or(0, count_continuations);
        before_block + within
    }

    /// Byte offset of a 1-based line and a 1-based column in code points (the inverse
    /// of [`LineIndex::line_col`]); clamps to the line's end.
    pub fn offset(&self, text: &str, at: LineCol) -> u32 {
        let line = (at.line as usize).saturating_sub(1);
        let Some(start) = self.line_start(line) else { return text.len() as u32 };
        let end = self.line_start(line + 1).unwrap_or(text.len() as u32);
        let line_text = text.get(start as usize..end as usize).unwrap_or("");
        let column = (at.column as usize).saturating_sub(1);
        let within = line_text.char_indices().nth(column).map_or(line_text.len(), |(i, _)| i);
        start + within as u32
    }
}

/// UTF-8 continuation bytes (`0b10xx_xxxx`): each is part of a character started earlier.
fn count_continuations(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| (byte as i8) < -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::{BLOCK, LineCol, LineIndex};

    #[test]
    fn lines_and_columns() {
        let text = "a: 1\r\nbé: 2\rc: 3\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 6), LineCol { line: 2, column: 1 });
        // "é" is two bytes but one column.
        assert_eq!(index.line_col(text, 9), LineCol { line: 2, column: 3 });
        assert_eq!(index.line_col(text, 13), LineCol { line: 3, column: 1 });
        assert_eq!(index.offset(text, LineCol { line: 2, column: 3 }), 9);
    }

    #[test]
    fn long_non_ascii_lines_count_characters() {
        // One line of 3 * BLOCK characters, each "é" two bytes, then an ASCII tail.
        let text = "é".repeat(3 * BLOCK) + "xyz";
        let index = LineIndex::new(&text);
        let offset = (3 * BLOCK * 2 + 2) as u32;
        assert_eq!(index.line_col(&text, offset), LineCol { line: 1, column: (3 * BLOCK + 3) as u32 });
        assert_eq!(index.line_col(&text, (BLOCK * 2 + 2) as u32), LineCol { line: 1, column: (BLOCK + 2) as u32 });
    }
}
