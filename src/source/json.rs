//! A span-aware JSON reader: one pass over the bytes, no recursion, feeding the
//! tree builder. Keeps duplicate keys visible (serde_json would drop them) and
//! stores unescaped strings as slices of the source.

use super::InputProblem;
use super::tree::{Container, ScalarKind, ScalarText, TreeBuilder};
use super::{Limits, MAX_REPORTED, ParseError, ParseWarning, Span, Tree, capped_warnings};

pub(super) fn parse(text: &str, body_start: usize, limits: &Limits) -> Result<(Tree, Vec<ParseWarning>), ParseError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: body_start,
        builder: TreeBuilder::new(text, limits, false),
        text,
        trailing_commas: Vec::new(),
    };
    reader.builder.reserve(text.len() / 24);
    reader.document()?;
    let trailing_commas = std::mem::take(&mut reader.trailing_commas);
    let (tree, mut warnings) = reader.builder.finish()?;
    warnings.extend(trailing_comma_warnings(&trailing_commas));
    Ok((tree, warnings))
}

/// One `trailing-comma` warning per comma (up to [`MAX_REPORTED`], then one for the rest).
/// JSON has no trailing commas, but JavaScript, JSON5 and YAML's flow collections do, and
/// the peers (which read JSON as YAML) take them; so does oaslint, with a warning.
fn trailing_comma_warnings(commas: &[usize]) -> Vec<ParseWarning> {
    let help = "remove the comma: JSON allows no comma before `]` or `}`";
    let at = |offset: usize| {
        let start = u32::try_from(offset).unwrap_or(u32::MAX);
        Span::new(start, start.saturating_add(1))
    };
    let each = |comma: usize| {
        let message = "a comma before the closing bracket: JSON allows none";
        Some(ParseWarning::new(InputProblem::TrailingComma, message, at(comma)).with_help(help))
    };
    let rest = |first: usize, count: usize| {
        let message = format!(
            "{count} more commas before a closing bracket from here to the end of the file (the first {MAX_REPORTED} \
             are reported one by one)"
        );
        ParseWarning::new(InputProblem::TrailingComma, message, at(first)).with_help(help)
    };
    capped_warnings(commas.iter().copied(), each, rest)
}

struct Reader<'s, 'l> {
    text: &'s str,
    bytes: &'s [u8],
    pos: usize,
    builder: TreeBuilder<'s, 'l>,
    /// Offsets of the commas read right before a closing bracket.
    trailing_commas: Vec<usize>,
}

/// What the reader expects next inside the innermost container.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value (at the top, after `:` or after `,` in an array).
    Value,
    /// A key or `}` right after `{`.
    FirstKey,
    /// A value or `]` right after `[`.
    FirstItem,
    /// `,` or the closing bracket.
    Separator,
}

impl Reader<'_, '_> {
    fn error(&self, message: impl Into<String>, at: usize) -> ParseError {
        let at = at as u32;
        ParseError::new(InputProblem::InvalidSyntax, message, Span::new(at, at + 1))
    }

    fn unexpected(&self, wanted: &str) -> ParseError {
        match self.peek() {
            // At the end itself (an empty span), not on the last byte: with CRLF that is the
            // `\n`, which is no place on a line.
            None => {
                let end = self.bytes.len() as u32;
                ParseError::new(
                    InputProblem::InvalidSyntax,
                    format!("unexpected end of file, expected {wanted}"),
                    Span::at(end),
                )
            }
            Some(_) => {
                let found: String =
                    self.text.get(self.pos..).unwrap_or("").chars().next().map(String::from).unwrap_or_default();
                self.error(format!("expected {wanted}, found `{}`", found.escape_default()), self.pos)
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// The containers currently open, innermost last (mapping or sequence).
    fn document(&mut self) -> Result<(), ParseError> {
        let mut open: Vec<Container> = Vec::new();
        let mut expect = Expect::Value;
        loop {
            self.skip_whitespace();
            match expect {
                Expect::Value | Expect::FirstItem => {
                    if expect == Expect::FirstItem && self.peek() == Some(b']') {
                        self.close(&mut open)?;
                        expect = if open.is_empty() {
                            break;
                        } else {
                            Expect::Separator
                        };
                        continue;
                    }
                    match self.peek() {
                        Some(b'{') => {
                            self.builder.begin(Container::Mapping, self.pos as u32)?;
                            open.push(Container::Mapping);
                            self.pos += 1;
                            expect = Expect::FirstKey;
                        }
                        Some(b'[') => {
                            self.builder.begin(Container::Sequence, self.pos as u32)?;
                            open.push(Container::Sequence);
                            self.pos += 1;
                            expect = Expect::FirstItem;
                        }
                        _ => {
                            self.scalar()?;
                            if open.is_empty() {
                                break;
                            }
                            expect = Expect::Separator;
                        }
                    }
                }
                Expect::FirstKey => {
                    if self.peek() == Some(b'}') {
                        self.close(&mut open)?;
                        expect = if open.is_empty() {
                            break;
                        } else {
                            Expect::Separator
                        };
                        continue;
                    }
                    self.key()?;
                    expect = Expect::Value;
                }
                Expect::Separator => match (self.peek(), open.last()) {
                    (Some(b','), Some(container)) => {
                        let comma = self.pos;
                        self.pos += 1;
                        self.skip_whitespace();
                        let closing = if *container == Container::Mapping { b'}' } else { b']' };
                        if self.peek() == Some(closing) {
                            self.trailing_commas.push(comma);
                            self.close(&mut open)?;
                            if open.is_empty() {
                                break;
                            }
                        } else if *container == Container::Mapping {
                            self.key()?;
                            expect = Expect::Value;
                        } else {
                            expect = Expect::Value;
                        }
                    }
                    (Some(b'}'), Some(Container::Mapping)) | (Some(b']'), Some(Container::Sequence)) => {
                        self.close(&mut open)?;
                        if open.is_empty() {
                            break;
                        }
                    }
                    (_, Some(Container::Mapping)) => return Err(self.unexpected("`,` or `}`")),
                    _ => return Err(self.unexpected("`,` or `]`")),
                },
            }
        }
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return Err(self.error("unexpected content after the end of the document", self.pos));
        }
        Ok(())
    }

    fn close(&mut self, open: &mut Vec<Container>) -> Result<(), ParseError> {
        self.pos += 1;
        open.pop();
        self.builder.end(self.pos as u32)?;
        Ok(())
    }

    /// A key string followed by `:`.
    fn key(&mut self) -> Result<(), ParseError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a string key in double quotes"));
        }
        self.string()?;
        self.skip_whitespace();
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:` after the key"));
        }
        self.pos += 1;
        Ok(())
    }

    fn scalar(&mut self) -> Result<(), ParseError> {
        let start = self.pos;
        match self.peek() {
            Some(b'"') => self.string(),
            Some(b't') => self.literal("true", ScalarKind::Bool(true)),
            Some(b'f') => self.literal("false", ScalarKind::Bool(false)),
            Some(b'n') => self.literal("null", ScalarKind::Null),
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                let span = Span::new(start as u32, self.pos as u32);
                self.builder.scalar(ScalarKind::Number, ScalarText::Source(span), span)?;
                Ok(())
            }
            _ => Err(self.unexpected("a value")),
        }
    }

    fn literal(&mut self, word: &str, kind: ScalarKind) -> Result<(), ParseError> {
        let start = self.pos;
        if !self.bytes.get(start..).is_some_and(|rest| rest.starts_with(word.as_bytes())) {
            return Err(self.unexpected("a value"));
        }
        self.pos += word.len();
        let span = Span::new(start as u32, self.pos as u32);
        self.builder.scalar(kind, ScalarText::Source(span), span)?;
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_digits = self.digits();
        if int_digits == 0 {
            return Err(self.error("invalid number", start));
        }
        if int_digits > 1 && self.bytes.get(int_start) == Some(&b'0') {
            return Err(self.error("invalid number: leading zero", int_start));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number: digits expected after `.`", self.pos));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number: digits expected in the exponent", self.pos));
            }
        }
        Ok(())
    }

    /// A string at `"`; stored as a source slice when it has no escapes.
    fn string(&mut self) -> Result<(), ParseError> {
        let start = self.pos;
        self.pos += 1;
        let content_start = self.pos;
        let mut decoded: Option<String> = None;
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
            let Some(offset) = memchr::memchr2(b'"', b'\\', rest) else {
                return Err(self.error("unterminated string", start));
            };
            let chunk_end = self.pos + offset;
            if let Some(control) = rest.get(..offset).and_then(|chunk| chunk.iter().position(|&b| b < 0x20)) {
                return Err(self.error("control character in a string (escape it)", self.pos + control));
            }
            if let Some(buffer) = decoded.as_mut() {
                buffer.push_str(self.text.get(self.pos..chunk_end).unwrap_or(""));
            }
            self.pos = chunk_end;
            if self.peek() == Some(b'"') {
                self.pos += 1;
                break;
            }
            // A backslash: decode from here on.
            let buffer =
                decoded.get_or_insert_with(|| self.text.get(content_start..chunk_end).unwrap_or("").to_owned());
            let escape_at = self.pos;
            let escaped = self.bytes.get(self.pos + 1).copied();
            self.pos += 2;
            match escaped {
                Some(b'"') => buffer.push('"'),
                Some(b'\\') => buffer.push('\\'),
                Some(b'/') => buffer.push('/'),
                Some(b'b') => buffer.push('\u{8}'),
                Some(b'f') => buffer.push('\u{c}'),
                Some(b'n') => buffer.push('\n'),
                Some(b'r') => buffer.push('\r'),
                Some(b't') => buffer.push('\t'),
                Some(b'u') => {
                    let high = self.hex4(escape_at)?;
                    let ch = if (0xD800..0xDC00).contains(&high) {
                        // A surrogate pair; a lone surrogate becomes U+FFFD as browsers do.
                        if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                            let pair_at = self.pos;
                            self.pos += 2;
                            let low = self.hex4(pair_at)?;
                            if (0xDC00..0xE000).contains(&low) {
                                char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                            } else {
                                None
                            }
                        } else {
                            None
                        }
                    } else {
                        char::from_u32(high)
                    };
                    buffer.push(ch.unwrap_or('\u{fffd}'));
                }
                _ => return Err(self.error("invalid escape in a string", escape_at)),
            }
        }
        let span = Span::new(start as u32, self.pos as u32);
        let text = match &decoded {
            Some(buffer) => ScalarText::Decoded(buffer),
            None => ScalarText::Source(Span::new(content_start as u32, (self.pos - 1) as u32)),
        };
        self.builder.scalar(ScalarKind::String, text, span)?;
        Ok(())
    }

    fn hex4(&mut self, escape_at: usize) -> Result<u32, ParseError> {
        let digits =
            self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.error("invalid \\u escape", escape_at))?;
        let mut value = 0u32;
        for &digit in digits {
            let nibble = (digit as char).to_digit(16).ok_or_else(|| self.error("invalid \\u escape", escape_at))?;
            value = value * 16 + nibble;
        }
        self.pos += 4;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::source::InputProblem;
    use crate::source::{Limits, Value};

    fn read(text: &str) -> crate::source::Tree {
        let (tree, _) = parse(text, 0, &Limits::default()).expect("valid JSON");
        tree.with_source(text.to_owned())
    }

    #[test]
    fn values_and_spans() {
        let tree = read(r#"{"a": [1, -2.5e3, true, null], "b\n": "x\u00e9\ud83d\ude00"}"#);
        let root = tree.root().expect("root");
        let a = tree.get(root, "a").expect("a");
        assert_eq!(tree.items(a).len(), 4);
        assert_eq!(tree.value(tree.items(a)[1]), Value::Number("-2.5e3"));
        assert_eq!(tree.get_str(root, "b\n"), Some("xé😀"));
        let entry = tree.entry(root, "a").expect("entry");
        assert_eq!(tree.span(entry.key).start, 1);
        assert_eq!(tree.pointer(tree.items(a)[2]), "/a/2");
    }

    #[test]
    fn duplicate_keys_warn_and_keep_the_first() {
        let (tree, warnings) = parse(r#"{"a": 1, "a": 2}"#, 0, &Limits::default()).expect("parses");
        let tree = tree.with_source(r#"{"a": 1, "a": 2}"#.to_owned());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, InputProblem::DuplicateKey);
        assert_eq!(warnings[0].span.start, 9);
        let root = tree.root().expect("root");
        assert_eq!(tree.value(tree.get(root, "a").expect("a")), Value::Number("1"));
    }

    #[test]
    fn trailing_commas_warn_and_are_read() {
        let text = "{\"a\": [1, 2,\n], \"b\": {\"c\": true,},\n}";
        let (tree, warnings) = parse(text, 0, &Limits::default()).expect("parses");
        let tree = tree.with_source(text.to_owned());
        let root = tree.root().expect("root");
        assert_eq!(tree.items(tree.get(root, "a").expect("a")).len(), 2);
        assert_eq!(tree.entries(tree.get(root, "b").expect("b")).len(), 1);
        let commas: Vec<(InputProblem, u32)> =
            warnings.iter().map(|warning| (warning.code, warning.span.start)).collect();
        assert_eq!(
            commas,
            [(InputProblem::TrailingComma, 11), (InputProblem::TrailingComma, 31), (InputProblem::TrailingComma, 33)]
        );
        // Still errors: a comma with nothing before it, two commas, a comma after the last value.
        for (bad, at) in [("[,]", 1), ("[1,,]", 3), ("{\"a\": 1,,}", 8), ("[1],", 3)] {
            let err = parse(bad, 0, &Limits::default()).expect_err(bad);
            assert_eq!((err.code, err.span.start), (InputProblem::InvalidSyntax, at), "{bad}: {}", err.message);
        }
        // Many: the first hundred one by one, then one for the rest.
        let many = format!("[{}]", "[1,],".repeat(150) + "0");
        let (_, warnings) = parse(&many, 0, &Limits::default()).expect("parses");
        assert_eq!(warnings.len(), 101);
        assert!(warnings[100].message.starts_with("50 more"), "{}", warnings[100].message);
    }

    #[test]
    fn errors_are_located() {
        for (text, at) in
            [(r#"{"a": }"#, 6), (r#"{"a" 1}"#, 5), ("[1, 2", 5), (r#"{"a": 01}"#, 6), ("[1] x", 4), ("\"\\q\"", 1)]
        {
            let err = parse(text, 0, &Limits::default()).expect_err(text);
            assert_eq!(err.span.start, at, "{text}: {}", err.message);
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = "[".repeat(100_000);
        let err = parse(&text, 0, &Limits::default()).expect_err("too deep");
        assert_eq!(err.code, InputProblem::TooDeep);
    }
}
