/// Byte offsets of line starts, so a byte offset becomes line and column in
/// O(log lines) without rescanning the file.
#[derive(Debug, Default, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

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
        LineIndex { line_starts }
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
        let column = match text.get(start as usize..offset as usize) {
            Some(prefix) if prefix.is_ascii() => prefix.len(),
            Some(prefix) => prefix.chars().count(),
            // `offset` is inside a multi-byte character: count the characters before it.
            None => text.get(start as usize..).map_or(0, |rest| {
                rest.char_indices().take_while(|(i, _)| (start as usize + i) < offset as usize).count()
            }),
        };
        LineCol { line: line as u32 + 1, column: column as u32 + 1 }
    }

    /// Byte offset of a 1-based line and a 1-based column in code points (the inverse
    /// of [`LineIndex::line_col`]); clamps to the line's end.
    pub fn offset(&self, text: &str, at: LineCol) -> u32 {
        let line = (at.line as usize).saturating_sub(1);
        let Some(start) = self.line_start(line) else {
            return text.len() as u32;
        };
        let end = self.line_start(line + 1).unwrap_or(text.len() as u32);
        let line_text = text.get(start as usize..end as usize).unwrap_or("");
        let column = (at.column as usize).saturating_sub(1);
        let within = line_text.char_indices().nth(column).map_or(line_text.len(), |(i, _)| i);
        start + within as u32
    }
}

#[cfg(test)]
mod tests {
    use super::{LineCol, LineIndex};

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
}
