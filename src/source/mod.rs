//! Source text into one span-carrying tree.
//!
//! Every document, YAML or JSON, becomes a [`Tree`]: an arena of nodes whose
//! byte ranges point back into the file's text. Line and column are computed
//! only at the edges, through the file's [`LineIndex`].
//!
//! Every file is read through [`read`] (regular files only, capped as the bytes arrive)
//! and written through [`write`] (atomically).

mod c1_control;
pub mod edit;
mod excerpt;
mod glued_comment;
mod json;
mod line_index;
mod problem;
pub mod read;
mod tree;
pub mod write;
mod yaml;

use std::path::{Path, PathBuf};

pub use excerpt::{EXCERPT_CHARS, caret_snippet, excerpt, shorten_quotes};
pub use line_index::{LineCol, LineIndex};
pub use problem::{InputProblem, is_input_warning};
pub use read::{FileIdentity, ReadError};
pub use tree::{Entry, NodeId, Tree, TreeBuilder, Value};

/// A half-open byte range into a file's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub const fn at(offset: u32) -> Span {
        Span { start: offset, end: offset }
    }

    pub fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The syntax a file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

/// How input is read: limits that keep hostile input from costing unbounded time or
/// memory, and how strictly YAML is held to its specification.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Files larger than this are refused (`too-large`); reading stops at this many bytes.
    /// Never above [`MAX_ADDRESSABLE_BYTES`], whatever is set: see [`Limits::file_bytes`].
    pub max_file_bytes: u64,
    /// Deeper nesting is refused (the tree walkers recurse, so this also bounds the stack).
    pub max_depth: u32,
    /// YAML aliases may not add more than this many nodes to the document (counted as if
    /// every alias were a copy of what it names).
    pub max_alias_expansion: u64,
    /// Refuse YAML with unescaped C1 control characters (U+0080–U+009F but NEL) or
    /// comments glued to a quoted value, as YAML 1.2 does, instead of reading them with a
    /// `control-character` or `glued-comment` warning.
    pub strict_yaml: bool,
    /// A document of more nodes (every key, value and item counts) is refused as `too-large`.
    /// It bounds the memory of one document whatever its bytes hold: a tree costs about 40
    /// bytes a node, and a file of tiny numbers holds a node every two bytes.
    pub max_nodes: u64,
}

/// The largest file a span can address: findings locate text by `u32` byte offsets (half
/// the memory of `usize` in every node and finding), so no file may pass 4 GiB − 1 bytes.
/// `max_file_size` is refused above it; [`Limits::max_file_bytes`] is clamped to it.
pub const MAX_ADDRESSABLE_BYTES: u64 = u32::MAX as u64;

/// The default [`Limits::max_nodes`]: 8 million nodes, a tree of about 330 MB at most.
/// The largest real document in the shared corpus, GitHub's REST description (13 MB),
/// has 475,521; Stripe's has 142,018.
pub const DEFAULT_MAX_NODES: u64 = 8_000_000;

impl Limits {
    /// The cap on a file's bytes: `max_file_bytes`, but never more than spans can address.
    pub fn file_bytes(&self) -> u64 {
        self.max_file_bytes.min(MAX_ADDRESSABLE_BYTES)
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 256 * 1024 * 1024,
            max_depth: 1_000,
            max_alias_expansion: 10_000_000,
            strict_yaml: false,
            max_nodes: DEFAULT_MAX_NODES,
        }
    }
}

/// Why a file could not be read into a tree: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The kind of problem (its id is the finding's rule id).
    pub code: InputProblem,
    pub message: String,
    pub span: Span,
    /// What to do about it, where there is more to say than the message.
    pub help: Option<String>,
}

impl ParseError {
    pub fn new(code: InputProblem, message: impl Into<String>, span: Span) -> ParseError {
        ParseError { code, message: message.into(), span, help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> ParseError {
        self.help = Some(help.into());
        self
    }
}

/// A problem found while parsing that does not stop the tree from being built
/// (a duplicate key keeps its first value, for instance).
pub type ParseWarning = ParseError;

/// At most this many warnings of one kind are reported one by one in a file (C1
/// characters, glued comments, trailing commas); one more counts the rest, so a file full
/// of them can flood neither a report nor memory.
const MAX_REPORTED: usize = 100;

/// The warnings for `places` (byte offsets, in order): `each` gives the warning of a place
/// (or none) for the first [`MAX_REPORTED`] warnings, and `rest`, given the first place
/// after them and how many there are, the one warning that counts the rest.
fn capped_warnings(
    places: impl IntoIterator<Item = usize>,
    mut each: impl FnMut(usize) -> Option<ParseWarning>,
    rest: impl FnOnce(usize, usize) -> ParseWarning,
) -> Vec<ParseWarning> {
    let mut warnings = Vec::new();
    let (mut rest_from, mut rest_count) = (None, 0usize);
    for at in places {
        if warnings.len() < MAX_REPORTED {
            warnings.extend(each(at));
        } else {
            rest_from.get_or_insert(at);
            rest_count += 1;
        }
    }
    if let Some(first) = rest_from {
        warnings.push(rest(first, rest_count));
    }
    warnings
}

/// One loaded file: its text (inside the tree), its tree and its line index.
#[derive(Debug)]
pub struct SourceFile {
    /// The path the file was read from (as given, or joined from a `$ref`).
    pub path: PathBuf,
    /// The path shown to people and written into reports (relative where possible).
    pub name: String,
    pub syntax: Syntax,
    pub line_index: LineIndex,
    /// The document; empty (no root) when the file could not be parsed.
    pub tree: Tree,
    /// The file's device and inode, when it was read from disk on a platform that has them:
    /// the same file under two names has one identity.
    pub identity: Option<FileIdentity>,
}

impl SourceFile {
    /// Read `bytes` as `path`. Always gives a file (so errors can be located in it);
    /// the second value says whether parsing succeeded, with its warnings or its error.
    pub fn parse(
        path: PathBuf,
        name: String,
        bytes: Vec<u8>,
        limits: &Limits,
    ) -> (SourceFile, Result<Vec<ParseWarning>, ParseError>) {
        let (text, invalid_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(err) => {
                let at = err.utf8_error().valid_up_to() as u32;
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                (
                    text,
                    Some(ParseError::new(
                        InputProblem::InvalidEncoding,
                        "the file is not valid UTF-8",
                        Span::new(at, at + 1),
                    )),
                )
            }
        };
        let syntax = detect_syntax(&path, &text);
        let outcome = match invalid_utf8 {
            Some(err) => Err(err),
            None => parse_text(&text, syntax, limits),
        };
        let outcome = fit_problems(&text, outcome);
        let line_index = LineIndex::new(&text);
        let (tree, syntax, result) = match outcome {
            Ok(parsed) => (parsed.tree.with_source(text), parsed.syntax, Ok(parsed.warnings)),
            Err(err) => (Tree::default().with_source(text), syntax, Err(err)),
        };
        (SourceFile { path, name, syntax, line_index, tree, identity: None }, result)
    }

    /// Parse an in-memory text (tests, fuzzing, standard input).
    pub fn from_text(name: &str, text: &str) -> (SourceFile, Result<Vec<ParseWarning>, ParseError>) {
        SourceFile::parse(PathBuf::from(name), name.to_owned(), text.as_bytes().to_vec(), &Limits::default())
    }

    pub fn text(&self) -> &str {
        self.tree.source()
    }

    /// 1-based line and column (in Unicode code points) of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.line_index.line_col(self.text(), offset)
    }

    /// The text under a span (empty when the span does not fit the text).
    pub fn slice(&self, span: Span) -> &str {
        self.text().get(span.range()).unwrap_or("")
    }
}

/// Readers locate a problem at a byte (`at..at + 1`); make every span one a person can be
/// shown: whole characters (the byte may start a multi-byte character, or the U+FFFD
/// that stands for invalid UTF-8), and at the end of the text an empty span, not one past it.
fn fit_problems(text: &str, outcome: Result<Parsed, ParseError>) -> Result<Parsed, ParseError> {
    let fit = |mut problem: ParseError| {
        problem.span = fit_span(text, problem.span);
        problem
    };
    match outcome {
        Ok(mut parsed) => {
            parsed.warnings = parsed.warnings.into_iter().map(fit).collect();
            Ok(parsed)
        }
        Err(error) => Err(fit(error)),
    }
}

/// `span` inside `text`, widened to whole characters.
fn fit_span(text: &str, span: Span) -> Span {
    let len = text.len();
    let mut start = (span.start as usize).min(len);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (span.end as usize).clamp(start, len);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start as u32, end as u32)
}

/// What parsing a text gave: a tree without its source yet, and warnings.
struct Parsed {
    tree: Tree,
    syntax: Syntax,
    warnings: Vec<ParseWarning>,
}

/// Decide JSON or YAML: by extension first, then by the first significant character.
pub fn detect_syntax(path: &Path, text: &str) -> Syntax {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("json") => Syntax::Json,
        Some("yaml" | "yml") => Syntax::Yaml,
        _ => {
            let first = text.trim_start_matches('\u{feff}').trim_start().as_bytes().first();
            if matches!(first, Some(b'{') | Some(b'[')) { Syntax::Json } else { Syntax::Yaml }
        }
    }
}

/// Check the text (no NUL, not empty; a byte-order mark is skipped) and parse it as `syntax`.
/// A `.json` file is read as JSON (a trailing comma is read, with a warning, as the peers read it).
fn parse_text(text: &str, syntax: Syntax, limits: &Limits) -> Result<Parsed, ParseError> {
    if text.len() as u64 > limits.file_bytes() {
        return Err(ParseError::new(
            InputProblem::TooLarge,
            format!("the file is larger than the limit of {} bytes", limits.file_bytes()),
            Span::at(0),
        ));
    }
    if let Some(nul) = memchr::memchr(0, text.as_bytes()) {
        let at = nul as u32;
        return Err(ParseError::new(
            InputProblem::InvalidEncoding,
            "the file contains a NUL byte (is it binary?)",
            Span::new(at, at + 1),
        ));
    }
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if text.get(body_start..).is_none_or(|body| body.trim().is_empty()) {
        return Err(ParseError::new(InputProblem::EmptyDocument, "the file is empty", Span::at(0)));
    }
    let (tree, warnings) = match syntax {
        Syntax::Json => json::parse(text, body_start, limits)?,
        Syntax::Yaml => yaml::parse(text, limits)?,
    };
    Ok(Parsed { tree, syntax, warnings })
}

#[cfg(test)]
mod tests {
    use super::{SourceFile, Span};
    use crate::source::InputProblem;

    fn problem(name: &str, bytes: &[u8]) -> (SourceFile, super::ParseError) {
        let (file, outcome) =
            SourceFile::parse(name.into(), name.to_owned(), bytes.to_vec(), &super::Limits::default());
        let error = outcome.expect_err("a parse error");
        (file, error)
    }

    /// A problem at a multi-byte character covers the whole character.
    #[test]
    fn problem_spans_cover_whole_characters() {
        let (file, error) = problem("a.json", "{\"a\": é}".as_bytes());
        assert_eq!(file.slice(error.span), "é", "{error:?}");
        // Invalid UTF-8 is shown as U+FFFD (three bytes): the span covers all of it.
        let (file, error) = problem("a.yaml", b"a: 1\nb: \xff\xfe\n");
        assert_eq!(error.code, InputProblem::InvalidEncoding);
        assert_eq!(file.slice(error.span), "\u{fffd}", "{error:?}");
        // A C1 control character (two bytes) that YAML refuses.
        let (file, error) = problem("a.yaml", "a: \"x\u{85}\u{9b}y\n".as_bytes());
        assert!(file.text().is_char_boundary(error.span.end as usize), "{error:?}");
    }

    /// At the end of the text a problem has an empty span there, never one past it.
    #[test]
    fn problems_at_the_end_are_empty_spans_at_the_end() {
        for (name, text) in [("a.yaml", "a: \"unterminated"), ("a.yaml", "a: [1, 2"), ("a.json", "{\"a\": 1,")] {
            let (file, error) = problem(name, text.as_bytes());
            let end = file.text().len() as u32;
            assert!(error.span.end <= end, "{name} {text:?}: {error:?}");
            if error.span.start == end {
                assert_eq!(error.span, Span::at(end));
            }
        }
    }

    /// JSON's "unexpected end of file" sits at the end, not on the last byte (which, with
    /// CRLF line breaks, is the `\n` of the last break: no place on a line).
    #[test]
    fn json_end_of_file_is_at_the_end() {
        let text = "{\"a\": [1,\r\n";
        let (file, error) = problem("a.json", text.as_bytes());
        assert!(error.message.contains("unexpected end of file"), "{error:?}");
        assert_eq!(error.span, Span::at(text.len() as u32));
        let at = file.line_col(error.span.start);
        assert_eq!((at.line, at.column), (2, 1));
    }
}

#[cfg(test)]
mod budget_tests {
    use super::{InputProblem, Limits, SourceFile};

    fn parse(name: &str, text: &str, limits: &Limits) -> Result<usize, super::ParseError> {
        let (file, outcome) = SourceFile::parse(name.into(), name.to_owned(), text.as_bytes().to_vec(), limits);
        outcome.map(|_| file.tree.node_count())
    }

    /// `[1,1,…]` of `items` numbers: `items + 1` nodes.
    fn numbers(items: usize) -> String {
        format!("[{}]", vec!["1"; items].join(","))
    }

    /// The budget is for the whole document, however its nodes are spread (one long list,
    /// many small mappings), in JSON and in YAML; just under it passes.
    #[test]
    fn a_document_over_the_node_budget_is_too_large() {
        let limits = Limits { max_nodes: 1_000, ..Limits::default() };
        assert_eq!(parse("under.json", &numbers(999), &limits).ok(), Some(1_000));
        let mappings: String = (0..400).map(|n| format!("k{n}: {{a: 1}}\n")).collect();
        for (name, text) in [("over.json", numbers(1_000)), ("over.yaml", numbers(1_000)), ("spread.yaml", mappings)] {
            let error = parse(name, &text, &limits).expect_err(name);
            assert_eq!(error.code, InputProblem::TooLarge, "{name}: {error:?}");
            assert_eq!(error.message, "the document has more than 1000 nodes (keys, values and items), the limit");
            assert!(error.span.end as usize <= text.len());
        }
    }

    /// `alias-bomb` is for what aliases add; a large document without aliases is not one.
    #[test]
    fn only_aliases_make_an_alias_bomb() {
        let limits = Limits { max_alias_expansion: 100, ..Limits::default() };
        let plain: String = (0..500).map(|n| format!("- item {n}\n")).collect();
        assert_eq!(parse("plain.yaml", &plain, &limits).ok(), Some(501));
        let aliased = format!("a: &a [{}]\nb: [*a, *a, *a]\n", vec!["x"; 40].join(", "));
        let error = parse("aliased.yaml", &aliased, &limits).expect_err("aliases add 120 nodes");
        assert_eq!(error.code, InputProblem::AliasBomb);
    }
}
