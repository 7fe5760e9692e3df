//! Comments glued to the quoted scalar before them: `$ref: ""#/components/parameters/offset""`.
//!
//! YAML wants white space before the `#` of a comment, and granit-parser refuses the file
//! without it. The JavaScript YAML reader behind Redocly and Spectral (js-yaml) reads the
//! `#` as a comment all the same (the value above is the empty string), and Ed-Fi's own
//! resource specs hold over a hundred each. So oaslint reads them as js-yaml does, reports
//! each as a `glued-comment` warning, and refuses them only when the configuration asks for
//! strict YAML.
//!
//! How: the parser is the judge of where such a comment is. On its error at a `#` right
//! after a closing quote, the comment (from the `#` to the line's end) is blanked with
//! spaces in a copy of the text, which keeps every offset, and the copy is parsed again.
//! One parse per comment would cost a file like Ed-Fi's a hundred parses, so once the
//! parser has named the first, every later place of the same shape (a quoted scalar that
//! opens a value on its line and closes right before a `#`) is blanked at once, as a guess.
//! The parse then confirms the guesses: if one lies inside a scalar (the text of a block
//! scalar, say) or the copy does not parse, the guesses are dropped and the parser alone
//! decides, one comment at a time.

use super::InputProblem;
use super::{MAX_REPORTED, ParseError, ParseWarning, Span, Tree, capped_warnings};

/// At most this many glued comments are read in one file; past it, the file is refused as
/// the parser refused it (each one the parser names alone costs a parse).
const MAX_GLUED: usize = 1_000;

/// The byte offset of the `#` when `error` is the parser's refusal of a comment glued to a
/// closing quote in `text`.
pub(super) fn refused_at(error: &ParseError, text: &str) -> Option<usize> {
    if !error.message.contains("comments must be separated from other tokens by whitespace") {
        return None;
    }
    let at = error.span.start as usize;
    let bytes = text.as_bytes();
    let glued = bytes.get(at) == Some(&b'#') && matches!(bytes.get(at.checked_sub(1)?), Some(b'"' | b'\''));
    glued.then_some(at)
}

/// Read `text`, whose first parse failed with a glued comment at `first`, by parsing
/// copies with the glued comments blanked (`read` parses one copy). Gives the tree, the
/// warnings of the last parse and the offsets of the comments read, in order.
pub(super) fn read_around(
    text: &str,
    first: usize,
    mut read: impl FnMut(&str) -> Result<(Tree, Vec<ParseWarning>), ParseError>,
) -> Result<(Tree, Vec<ParseWarning>, Vec<usize>), ParseError> {
    let mut guesses: Vec<usize> = likely_places(text).filter(|&at| at > first).collect();
    let mut confirmed = vec![first];
    let mut copy = blanked(text, confirmed.iter().chain(&guesses));
    loop {
        match read(&copy) {
            Ok((tree, warnings)) if guesses.iter().all(|&at| !inside_a_scalar(&tree, at)) => {
                confirmed.extend(guesses);
                confirmed.sort_unstable();
                return Ok((tree, warnings, confirmed));
            }
            Err(error) if confirmed.len() + guesses.len() >= MAX_GLUED => return Err(error),
            Err(error) => match refused_at(&error, &copy) {
                Some(at) => {
                    confirmed.push(at);
                    blank(&mut copy, at);
                }
                None if guesses.is_empty() => return Err(error),
                // A guess may have broken the copy: start again from what the parser named.
                None => {
                    guesses.clear();
                    confirmed.truncate(1);
                    copy = blanked(text, &confirmed);
                }
            },
            // A guess lies inside a scalar: it was no comment.
            Ok(_) => {
                guesses.clear();
                confirmed.truncate(1);
                copy = blanked(text, &confirmed);
            }
        }
    }
}

/// One `glued-comment` warning per comment (up to [`MAX_REPORTED`], then one for the rest),
/// each on its `#`.
pub(super) fn warnings(places: &[usize]) -> Vec<ParseWarning> {
    let help = "put a space before the `#`; if the `#` belongs to the value, write it inside the quotes";
    let each = |at: usize| {
        let message = "a comment glued to the quoted value before it: YAML needs a space before `#`; \
                       the rest of the line is read as a comment";
        Some(ParseWarning::new(InputProblem::GluedComment, message, hash_at(at)).with_help(help))
    };
    let rest = |first: usize, count: usize| {
        let message = format!(
            "{count} more comments glued to the value before them from here to the end of the file \
             (the first {MAX_REPORTED} are reported one by one)"
        );
        ParseWarning::new(InputProblem::GluedComment, message, hash_at(first)).with_help(help)
    };
    capped_warnings(places.iter().copied(), each, rest)
}

fn hash_at(at: usize) -> Span {
    let start = u32::try_from(at).unwrap_or(u32::MAX);
    Span::new(start, start.saturating_add(1))
}

/// Whether `at` lies inside a scalar of `tree` (a comment lies in none).
fn inside_a_scalar(tree: &Tree, at: usize) -> bool {
    tree.scalar_spans().any(|span| (span.start as usize) <= at && at < span.end as usize)
}

/// A copy of `text` with the comment starting at each of `places` blanked.
fn blanked<'a>(text: &str, places: impl IntoIterator<Item = &'a usize>) -> String {
    let mut copy = text.to_owned();
    for &at in places {
        blank(&mut copy, at);
    }
    copy
}

/// Replace the comment starting at `at` (up to the line's end) with as many spaces: every
/// offset stays, and so does the line break.
fn blank(text: &mut String, at: usize) {
    let Some(rest) = text.get(at..) else { return };
    let end = at + rest.find(['\n', '\r']).unwrap_or(rest.len());
    let width = end - at;
    text.replace_range(at..end, &" ".repeat(width));
}

/// Places that look like a glued comment: on its line, a value that opens with a quote
/// (after the indentation, `- `, `key: `, `[`, `{` or `, `) and whose closing quote is
/// followed by `#`. Only a guess: the parse confirms it.
fn likely_places(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut line_start = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let start = line_start;
        line_start += line.len();
        glued_on_line(line).map(|at| start + at)
    })
}

/// The offset in `line` of the first `#` glued to a quoted value that opens a value.
fn glued_on_line(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = 0;
    // Where a value may open: the line's start (after spaces) or after `- `, `: `, `[`, `{`, `,`.
    let mut value_may_open = true;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' | b'\'' if value_may_open => {
                let close = closing_quote(bytes, at)?;
                if bytes.get(close + 1) == Some(&b'#') {
                    return Some(close + 1);
                }
                at = close + 1;
                value_may_open = false;
            }
            b' ' | b'\t' => at += 1,
            b'#' if at == 0 || matches!(bytes.get(at - 1), Some(b' ' | b'\t')) => return None,
            b'-' | b':' | b',' | b'[' | b'{' | b'?' => {
                value_may_open = matches!(byte, b',' | b'[' | b'{') || matches!(bytes.get(at + 1), Some(b' '));
                at += 1;
            }
            _ => {
                value_may_open = false;
                at += 1;
            }
        }
    }
    None
}

/// The offset of the quote that closes the one opening at `open`, on the same line.
fn closing_quote(bytes: &[u8], open: usize) -> Option<usize> {
    let quote = *bytes.get(open)?;
    let mut at = open + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' if quote == b'"' => at += 2,
            b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => at += 2,
            b'\n' | b'\r' => return None,
            _ if byte == quote => return Some(at),
            _ => at += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{glued_on_line, read_around, refused_at};
    use crate::source::Limits;
    use crate::source::yaml::parse;

    /// A file of many glued comments costs a few parses, not one each; a wrong guess (here
    /// inside block scalars) falls back to one parse per comment and still reads the file.
    #[test]
    fn guesses_spare_parses_and_wrong_ones_fall_back() {
        let strict = Limits { strict_yaml: true, ..Limits::default() };
        let count_parses = |text: &str| {
            let first = parse(text, &strict).err().and_then(|error| refused_at(&error, text)).expect("refused");
            let mut parses = 0;
            let outcome = read_around(text, first, |copy| {
                parses += 1;
                parse(copy, &strict)
            });
            let places = outcome.unwrap_or_else(|err| panic!("{err:?}")).2;
            (parses, places.len())
        };
        let many: String = (0..200).map(|n| format!("k{n}: \"v\"#c{n}\n")).collect();
        assert_eq!(count_parses(&many), (1, 200));
        let with_blocks = "a: 'x'#1\nb: |\n  - 'y'#text\nc: 'z'#2\n";
        assert_eq!(count_parses(with_blocks), (3, 2));
    }

    #[test]
    fn glued_places_are_guessed_on_their_line() {
        assert_eq!(glued_on_line("      - $ref: \"\"#/components/parameters/offset\"\"\n"), Some(16));
        assert_eq!(glued_on_line("a: 'it''s'#note\n"), Some(10));
        assert_eq!(glued_on_line("a: [\"x\"#c\n"), Some(7));
        // A quote that opens `#...`, a `#` inside quotes, a quote inside a plain value, a comment.
        assert_eq!(glued_on_line("$ref: \"#/components/x\"\n"), None);
        assert_eq!(glued_on_line("a: \"x#y\" # c\n"), None);
        assert_eq!(glued_on_line("a: don't\"#\n"), None);
        assert_eq!(glued_on_line("# \"x\"#y\n"), None);
        assert_eq!(glued_on_line("a: \"escaped \\\"\"#c\n"), Some(15));
    }
}
