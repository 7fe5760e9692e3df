//! YAML 1.2 through granit-parser's event stream into the span tree.
//!
//! granit-parser is a maintained fork of saphyr-parser whose markers carry byte
//! offsets (saphyr's count characters), so spans need no conversion.

use super::InputProblem;
use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, ScanError, StructureStyle, Tag};

use super::c1_control::{self, StandIn};
use super::glued_comment;
use super::tree::{Container, NodeId, ScalarKind, ScalarText, TreeBuilder};
use super::{Limits, ParseError, ParseWarning, Span, Tree};

pub(super) fn parse(text: &str, limits: &Limits) -> Result<(Tree, Vec<ParseWarning>), ParseError> {
    // Unescaped C1 control characters are read through a stand-in text (see `c1_control`);
    // a text without any, nearly every one, is parsed as it is.
    let has_c1 = c1_control::positions(text).next().is_some();
    let stand_in = if has_c1 && !limits.strict_yaml { StandIn::new(text) } else { None };
    let parsed = stand_in.as_ref().map_or(text, StandIn::text);
    // The parser's error, told in terms of the original text.
    let explain = |error: ParseError| match (&stand_in, has_c1) {
        (Some(stand_in), _) => c1_control::lenient_error(error, stand_in, text),
        (None, true) => c1_control::strict_error(error, text),
        (None, false) => error,
    };
    let (tree, mut warnings) = match read(text, parsed, stand_in.as_ref(), limits) {
        Ok(read) => read,
        // A comment glued to a quoted value: read as a comment, unless YAML is held strict
        // (see `glued_comment`).
        Err(error) => match glued_comment::refused_at(&error, parsed).filter(|_| !limits.strict_yaml) {
            Some(first) => {
                let (tree, mut warnings, places) =
                    glued_comment::read_around(parsed, first, |copy| read(text, copy, stand_in.as_ref(), limits))
                        .map_err(explain)?;
                warnings.extend(glued_comment::warnings(&places));
                (tree, warnings)
            }
            None => return Err(explain(error)),
        },
    };
    if stand_in.is_some() {
        warnings.extend(c1_control::warnings(text));
    }
    Ok((tree, warnings))
}

/// Build the tree of `text` by parsing `parsed`: `text` itself, or a copy of the same
/// length (the C1 stand-in, glued comments blanked) whose spans hold for `text`.
fn read(
    text: &str,
    parsed: &str,
    stand_in: Option<&StandIn>,
    limits: &Limits,
) -> Result<(Tree, Vec<ParseWarning>), ParseError> {
    let mut builder = TreeBuilder::new(text, limits, true);
    builder.reserve(text.len() / 16);
    // Anchor ids are small integers handed out in order; the map holds the nodes built for them.
    let mut anchors: HashMap<usize, NodeId> = HashMap::new();
    // Per open container: its anchor id and whether it is in flow style (`{}`/`[]`).
    let mut open: Vec<(usize, StructureStyle, u32)> = Vec::new();
    let mut last_end: u32 = 0;
    let mut documents = 0usize;
    for event in Parser::new_from_str(parsed) {
        let (event, yaml_span) = event.map_err(|err| scan_error(&err, parsed))?;
        let span = byte_span(&yaml_span);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(ParseError::new(
                        InputProblem::InvalidSyntax,
                        "more than one YAML document in the file (an OpenAPI description is one document)",
                        span,
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let kind = resolve_scalar(&value, style, tag.as_deref());
                let restored;
                let stored = match (stored_text(parsed, value.as_ref(), style, span), stand_in) {
                    (ScalarText::Decoded(decoded), Some(stand_in)) => {
                        restored = stand_in.restore(decoded);
                        ScalarText::Decoded(&restored)
                    }
                    (stored, _) => stored,
                };
                let id = builder.scalar(kind, stored, span)?;
                if anchor != 0 {
                    anchors.insert(anchor, id);
                }
                last_end = span.end;
            }
            Event::MappingStart(style, anchor, _) | Event::SequenceStart(style, anchor, _) => {
                let container =
                    if matches!(event, Event::MappingStart(..)) { Container::Mapping } else { Container::Sequence };
                builder.begin(container, span.start)?;
                open.push((anchor, style, span.start));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some((anchor, style, _)) = open.pop() else {
                    return Err(ParseError::new(InputProblem::InvalidSyntax, "unbalanced end of a collection", span));
                };
                // A block collection ends with its last child; the parser's end marker sits
                // on the next token, possibly lines further down.
                let end = if style == StructureStyle::Flow { span.end } else { last_end };
                let id = builder.end(end)?;
                if anchor != 0 {
                    anchors.insert(anchor, id);
                }
                last_end = end.max(last_end);
            }
            Event::Alias(anchor) => {
                let Some(&target) = anchors.get(&anchor) else {
                    return Err(ParseError::new(
                        InputProblem::InvalidSyntax,
                        "an alias refers to its own enclosing node",
                        span,
                    ));
                };
                builder.alias(target)?;
                last_end = span.end;
            }
            Event::UnresolvedAlias(name) => {
                return Err(ParseError::new(InputProblem::InvalidSyntax, format!("unknown anchor `{name}`"), span));
            }
            _ => {}
        }
    }
    builder.finish()
}

/// The parser's span as ours (byte offsets both).
fn byte_span(span: &granit_parser::Span) -> Span {
    match span.byte_range() {
        Some(range) => Span::new(range.start as u32, range.end.max(range.start) as u32),
        None => Span::default(),
    }
}

fn scan_error(err: &ScanError, text: &str) -> ParseError {
    let mut offset = err.marker().byte_offset().unwrap_or(0).min(text.len());
    let message = err.kind().to_string();
    // Tab errors are reported after the tabs; point at the first tab, where the fix is.
    if message.contains("tab") {
        while offset > 0 && text.as_bytes().get(offset - 1) == Some(&b'\t') {
            offset -= 1;
        }
    }
    let offset = offset as u32;
    let code = if message.contains("nesting") || message.contains("recursion") {
        InputProblem::TooDeep
    } else {
        InputProblem::InvalidSyntax
    };
    ParseError::new(code, message, Span::new(offset, offset + 1))
}

/// Store plain and quoted scalars as source slices where the value is the text as written
/// (`text` is the parsed text; a stand-in has the source's length, so spans carry over).
fn stored_text<'a>(text: &str, value: &'a str, style: ScalarStyle, span: Span) -> ScalarText<'a> {
    let raw = text.get(span.range()).unwrap_or("");
    let inner = match style {
        ScalarStyle::Plain => Some((raw, span.start)),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if raw.len() >= 2 => {
            raw.get(1..raw.len() - 1).map(|inner| (inner, span.start + 1))
        }
        _ => None,
    };
    match inner {
        Some((inner, start)) if inner == value => ScalarText::Source(Span::new(start, start + inner.len() as u32)),
        _ => ScalarText::Decoded(value),
    }
}

/// YAML 1.2 core schema: what a plain scalar means; quoted and block scalars are strings.
fn resolve_scalar(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> ScalarKind {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() {
            return match tag.suffix() {
                "null" => ScalarKind::Null,
                "bool" => ScalarKind::Bool(matches!(value, "true" | "True" | "TRUE")),
                "int" | "float" => ScalarKind::Number,
                _ => ScalarKind::String,
            };
        }
        return ScalarKind::String;
    }
    if style != ScalarStyle::Plain {
        return ScalarKind::String;
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => ScalarKind::Null,
        "true" | "True" | "TRUE" => ScalarKind::Bool(true),
        "false" | "False" | "FALSE" => ScalarKind::Bool(false),
        _ if is_number(value) => ScalarKind::Number,
        _ => ScalarKind::String,
    }
}

fn is_number(value: &str) -> bool {
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    if let Some(octal) = value.strip_prefix("0o") {
        return !octal.is_empty() && octal.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if let Some(hex) = value.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(value, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (unsigned.get(..at).unwrap_or(""), unsigned.get(at + 1..)),
        None => (unsigned, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && frac.is_none_or(digits) && !(int.is_empty() && frac.is_none_or(str::is_empty));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::{is_number, parse};
    use crate::source::InputProblem;
    use crate::source::{Limits, ParseWarning, Span, Tree, Value};

    fn read(text: &str) -> Tree {
        let (tree, _) = parse(text, &Limits::default()).expect("valid YAML");
        tree.with_source(text.to_owned())
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let tree = read("a: 200\nb: '200'\nc: true\nd: ~\ne: 2XX\nf: 1.5e3\n");
        let root = tree.root().expect("root");
        assert_eq!(tree.value(tree.get(root, "a").expect("a")), Value::Number("200"));
        assert_eq!(tree.value(tree.get(root, "b").expect("b")), Value::String("200"));
        assert_eq!(tree.value(tree.get(root, "c").expect("c")), Value::Bool(true));
        assert_eq!(tree.value(tree.get(root, "d").expect("d")), Value::Null);
        assert_eq!(tree.value(tree.get(root, "e").expect("e")), Value::String("2XX"));
        assert!(is_number("-1.5") && is_number("0x1F") && !is_number("1.2.3") && !is_number("."));
    }

    #[test]
    fn keys_have_their_own_spans() {
        let text = "paths:\n  /pets:\n    get:\n      responses:\n        \"200\":\n          description: ok\n";
        let tree = read(text);
        let root = tree.root().expect("root");
        let paths = tree.get(root, "paths").expect("paths");
        let pets = tree.entry(paths, "/pets").expect("pets");
        assert_eq!(tree.span(pets.key).start, 9);
        let get = tree.get(pets.value, "get").expect("get");
        let responses = tree.get(get, "responses").expect("responses");
        let ok = tree.entry(responses, "200").expect("200");
        assert_eq!(&text[tree.span(ok.key).range()], "\"200\"");
        assert_eq!(tree.pointer(ok.value), "/paths/~1pets/get/responses/200");
        // A block mapping ends with its last value, not at the next token.
        assert_eq!(tree.span(ok.value).end as usize, text.len() - 1);
    }

    #[test]
    fn aliases_and_merge_keys() {
        let tree = read("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\nlist: [*b]\n");
        let root = tree.root().expect("root");
        let derived = tree.get(root, "derived").expect("derived");
        assert_eq!(tree.value(tree.get(derived, "x").expect("x")), Value::Number("1"));
        assert_eq!(tree.value(tree.get(derived, "y").expect("y")), Value::Number("3"));
        assert!(tree.get(derived, "<<").is_none());
    }

    /// Every node's pointer leads back to it, merged entries included: an entry merged in
    /// from a mapping written in place belongs to the mapping it is merged into, and a node
    /// named by an alias keeps the place where it was written.
    #[test]
    fn merged_entries_have_pointers_that_lead_back() {
        let text = "top: {<<: {z: 9}}\nbase: &base {a: 1, b: 2}\nmid: &mid {<<: *base, c: 3}\n\
                    last: {<<: [*mid, *base, {w: 4}], a: overridden}\nshared: {<<: &inline {q: 5}, again: *inline}\n";
        let tree = read(text);
        let root = tree.root().expect("root");
        let at = |path: &[&str]| {
            let node = tree.lookup(path.iter().copied()).unwrap_or_else(|| panic!("{path:?}"));
            let pointer = tree.pointer(node);
            let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
            assert_eq!(tree.lookup(tokens.iter().copied()), Some(node), "{path:?} has pointer {pointer}");
            pointer
        };
        assert_eq!(at(&["top", "z"]), "/top/z");
        assert_eq!(at(&["last", "w"]), "/last/w");
        // Merged from a named mapping: the pointer names where it was written.
        assert_eq!(at(&["last", "c"]), "/mid/c");
        assert_eq!(at(&["last", "b"]), "/base/b");
        assert_eq!(at(&["mid", "a"]), "/base/a");
        assert_eq!(at(&["last", "a"]), "/last/a");
        assert_eq!(at(&["shared", "again", "q"]), at(&["shared", "q"]));
        assert!(tree.get(root, "top").is_some());
    }

    #[test]
    fn alias_bombs_are_capped() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let prev = level - 1;
            text.push_str(&format!("a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let err = parse(&text, &Limits::default()).expect_err("refused");
        assert_eq!(err.code, InputProblem::AliasBomb);
    }

    #[test]
    fn errors_are_located() {
        let text = "a:\n\tb: 1\n";
        let err = parse(text, &Limits::default()).expect_err("tab indentation is an error");
        assert_eq!(err.code, InputProblem::InvalidSyntax);
        assert!(err.span.start <= 4, "{err:?}");
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse(&deep, &Limits::default()).expect_err("too deep");
        assert!(err.code == InputProblem::TooDeep || err.code == InputProblem::InvalidSyntax, "{err:?}");
    }

    fn read_lenient(text: &str) -> (Tree, Vec<ParseWarning>) {
        let (tree, warnings) = parse(text, &Limits::default()).unwrap_or_else(|err| panic!("{err:?}"));
        (tree.with_source(text.to_owned()), warnings)
    }

    fn spans_of(warnings: &[ParseWarning]) -> Vec<(InputProblem, Span)> {
        warnings.iter().map(|warning| (warning.code, warning.span)).collect()
    }

    #[test]
    fn c1_characters_are_read_as_they_are_everywhere_a_scalar_may_hold_them() {
        let text = "k\u{83}ey: plain \u{84}value\n\
                    single: 'it\u{86}s'\n\
                    double: \"tab\\there \u{9f}\"\n\
                    folded: two\n  lines\u{80}\n\
                    literal: |\n  block \u{81}\n  text\n\
                    end: at the end\u{9e}\n\
                    escaped: \"\\u0083 is fine\"\n\
                    # a comment \u{87}\n\
                    nel: a\u{85}b\n";
        let (tree, warnings) = read_lenient(text);
        let root = tree.root().expect("root");
        let value = |key: &str| tree.get_str(root, key).unwrap_or_else(|| panic!("{key}"));
        assert_eq!(value("k\u{83}ey"), "plain \u{84}value");
        assert_eq!(value("single"), "it\u{86}s");
        assert_eq!(value("double"), "tab\there \u{9f}");
        assert_eq!(value("folded"), "two lines\u{80}");
        assert_eq!(value("literal"), "block \u{81}\ntext\n");
        assert_eq!(value("end"), "at the end\u{9e}");
        assert_eq!(value("escaped"), "\u{83} is fine");
        // NEL is printable in YAML 1.2: an ordinary character, not reported.
        assert_eq!(value("nel"), "a\u{85}b");
        // One warning per written C1 character, on the whole character, in order.
        let expected: Vec<(InputProblem, Span)> =
            positions(text, &['\u{83}', '\u{84}', '\u{86}', '\u{9f}', '\u{80}', '\u{81}', '\u{9e}', '\u{87}'])
                .into_iter()
                .map(|at| (InputProblem::ControlCharacter, Span::new(at, at + 2)))
                .collect();
        assert_eq!(spans_of(&warnings), expected);
        assert!(warnings.iter().all(|warning| text.is_char_boundary(warning.span.end as usize)));
        // Keys stay locatable: the key's span covers the key with its character.
        let entry = tree.entry(root, "k\u{83}ey").expect("entry");
        assert_eq!(&text[tree.span(entry.key).range()], "k\u{83}ey");
        assert_eq!(tree.pointer(entry.value), "/k\u{83}ey");
    }

    /// Byte offsets of each of `characters` in `text`, in the text's order.
    fn positions(text: &str, characters: &[char]) -> Vec<u32> {
        text.char_indices().filter(|(_, c)| characters.contains(c)).map(|(at, _)| at as u32).collect()
    }

    #[test]
    fn c1_characters_with_crlf_line_ends() {
        let text = "a: one\u{83}\r\nb:\r\n  - \"two\u{90}\"\r\n  - |\r\n    three\u{91}\r\n";
        let (tree, warnings) = read_lenient(text);
        let root = tree.root().expect("root");
        assert_eq!(tree.get_str(root, "a"), Some("one\u{83}"));
        let items = tree.items(tree.get(root, "b").expect("b"));
        assert_eq!(
            items.iter().map(|&item| tree.str(item).unwrap_or("")).collect::<Vec<_>>(),
            ["two\u{90}", "three\u{91}\n"]
        );
        let expected: Vec<(InputProblem, Span)> = positions(text, &['\u{83}', '\u{90}', '\u{91}'])
            .into_iter()
            .map(|at| (InputProblem::ControlCharacter, Span::new(at, at + 2)))
            .collect();
        assert_eq!(spans_of(&warnings), expected);
    }

    #[test]
    fn strict_yaml_refuses_c1_characters_at_the_character() {
        let strict = Limits { strict_yaml: true, ..Limits::default() };
        for text in ["a: b\u{83}\n", "a: |\n  x\u{83}\n", "# \u{83}\na: b\n", "k\u{83}: v\n"] {
            let err = parse(text, &strict).expect_err("refused");
            let at = text.find('\u{83}').expect("C1") as u32;
            assert_eq!((err.code, err.span), (InputProblem::InvalidSyntax, Span::new(at, at + 2)), "{text:?}");
            assert!(err.message.contains("U+0083"), "{}", err.message);
            assert!(err.help.as_deref().is_some_and(|help| help.contains("`\\u0083`")), "{err:?}");
        }
        // NEL is not a C1 character YAML refuses.
        assert!(parse("a: b\u{85}\n", &strict).is_ok());
    }

    #[test]
    fn comments_glued_to_a_quoted_value_are_read_as_comments() {
        let text = "a: \"\"#/components/x\"\"\r\nlist:\r\n  - 'q'#c\r\n  - \"r\" # fine\r\nb: \"#not a comment\"\r\n\
                    doc: |\r\n  - $ref: \"\"#kept\"\"\r\nc: {d: \"e\"#f\r\n  }\r\n";
        let (tree, warnings) = read_lenient(text);
        let root = tree.root().expect("root");
        assert_eq!(tree.get_str(root, "a"), Some(""));
        let items = tree.items(tree.get(root, "list").expect("list"));
        assert_eq!(items.iter().map(|&item| tree.str(item).unwrap_or("?")).collect::<Vec<_>>(), ["q", "r"]);
        assert_eq!(tree.get_str(root, "b"), Some("#not a comment"));
        // A block scalar's line of the same shape is text, not a comment.
        assert_eq!(tree.get_str(root, "doc"), Some("- $ref: \"\"#kept\"\"\n"));
        assert_eq!(tree.get_str(tree.get(root, "c").expect("c"), "d"), Some("e"));
        let glued: Vec<(InputProblem, Span)> = [text.find("\"#/").expect("a") + 1, text.find("'#").expect("q") + 1]
            .into_iter()
            .chain(text.find("\"#f").map(|at| at + 1))
            .map(|at| (InputProblem::GluedComment, Span::new(at as u32, at as u32 + 1)))
            .collect();
        assert_eq!(spans_of(&warnings), glued);
        // Strict YAML refuses the file at the first one.
        let err = parse(text, &Limits { strict_yaml: true, ..Limits::default() }).expect_err("strict");
        assert_eq!(
            (err.code, err.span.start as usize),
            (InputProblem::InvalidSyntax, text.find("\"#/").expect("a") + 1)
        );
    }

    #[test]
    fn many_glued_comments_are_reported_up_to_a_hundred() {
        let text: String = (0..250).map(|n| format!("k{n}: \"v\"#c{n}\n")).collect();
        let (tree, warnings) = read_lenient(&text);
        let root = tree.root().expect("root");
        assert_eq!(tree.get_str(root, "k249"), Some("v"));
        assert_eq!(warnings.len(), 101);
        assert!(warnings.iter().all(|warning| warning.code == InputProblem::GluedComment));
        assert!(warnings.last().is_some_and(|warning| warning.message.starts_with("150 more")), "{warnings:?}");
    }

    #[test]
    fn other_errors_in_a_text_with_c1_characters_stay_errors() {
        // A tab in indentation, after a C1 character: the error is the tab's, not the C1's.
        let text = "a: b\u{83}\nc:\n\td: 1\n";
        let err = parse(text, &Limits::default()).expect_err("tab");
        assert_eq!(err.code, InputProblem::InvalidSyntax);
        assert_eq!(err.span.start, 10, "{err:?}");
        // A C1 character where YAML wants a tag: refused, and the message names the real character.
        let err = parse("a: !t\u{83} x\n", &Limits::default()).expect_err("tag");
        assert_eq!(err.code, InputProblem::InvalidSyntax);
        assert!(!err.message.contains('\u{7c3}') && !err.message.contains("7c3"), "{}", err.message);
    }
}
