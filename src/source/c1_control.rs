//! C1 control characters (U+0080–U+009F) written unescaped in YAML.
//!
//! YAML 1.2 allows them only escaped (NEL, U+0085, is printable since 1.2 and stays an
//! ordinary character), and granit-parser's scanner refuses them. Yet real specs hold stray
//! ones, mostly text decoded with the wrong encoding (DocuSign's and SendGrid's), and the
//! JavaScript YAML readers behind Redocly and Spectral read them as they are. So oaslint
//! reads them too, reports each as a `control-character` warning, and refuses them only
//! when the configuration asks for strict YAML.
//!
//! How: the parser gets a stand-in copy of the text in which the lead byte `0xC2` of each
//! C1 character is replaced by the lead byte of a block of two-byte characters the text
//! does not use (NKo, U+07C0–U+07DF, unless the text holds one), so every character keeps
//! its length and every offset and span stays true. The tree keeps the original text:
//! scalars stored as slices of the source (plain and quoted ones written as their value)
//! read the real characters, and the scalars whose value the parser decoded (escapes,
//! folded lines, block scalars) get their stand-ins swapped back. Since neither the text
//! nor any escape in it spells a character of the chosen block, every such character in
//! a decoded value stands for a C1 character. Patching the parser instead is not ours to
//! do, and a parser of our own for YAML is not worth one stray byte.
//!
//! Cost: one memchr scan for `0xC2`, the lead byte of U+0080–U+00BF; a text without a C1
//! character is parsed as it is, with no copy.

use super::InputProblem;
use std::borrow::Cow;

use super::{MAX_REPORTED, ParseError, ParseWarning, Span, capped_warnings};

/// The first two-byte lead byte a stand-in block may use: U+0100 upwards, which no `\x`
/// escape (at most U+00FF) can spell.
const FIRST_LEAD: u8 = 0xC4;
/// The last one, tried first: U+07C0–U+07DF, NKo, rarely found in an API description.
const LAST_LEAD: u8 = 0xDF;
/// NEL's second byte: printable in YAML 1.2, so never replaced nor reported.
const NEL: u8 = 0x85;

/// Whether `second` follows `0xC2` in a C1 control character that YAML 1.2 refuses.
fn is_refused_c1(second: u8) -> bool {
    (0x80..=0x9F).contains(&second) && second != NEL
}

/// Byte offsets of the C1 control characters YAML 1.2 refuses (all but NEL), in order.
pub(super) fn positions(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xC2, bytes).filter(move |&at| bytes.get(at + 1).copied().is_some_and(is_refused_c1))
}

/// The C1 control character starting at `offset`, if one does.
fn c1_at(text: &str, offset: usize) -> Option<char> {
    let bytes = text.as_bytes();
    match (bytes.get(offset), bytes.get(offset + 1)) {
        (Some(0xC2), Some(&second)) if is_refused_c1(second) => char::from_u32(u32::from(second)),
        _ => None,
    }
}

/// The help every report of a C1 character gives.
fn help(character: char) -> String {
    format!(
        "remove it, or write it escaped (`\\u{:04X}` in a double-quoted string); a stray control \
         character usually comes from text decoded with the wrong encoding",
        u32::from(character)
    )
}

/// One `control-character` warning per C1 character of `text` (up to [`MAX_REPORTED`],
/// then one for the rest), each spanning the whole character.
pub(super) fn warnings(text: &str) -> Vec<ParseWarning> {
    let each = |at: usize| {
        let character = c1_at(text, at)?;
        let message = format!(
            "unescaped control character U+{:04X}: YAML 1.2 allows it only escaped; it is read as it is",
            u32::from(character)
        );
        Some(ParseWarning::new(InputProblem::ControlCharacter, message, span_of(at)).with_help(help(character)))
    };
    let rest = |first: usize, count: usize| {
        let message = format!(
            "{count} more unescaped control characters from here to the end of the file \
             (the first {MAX_REPORTED} are reported one by one)"
        );
        let help = "remove them, or write them escaped (`\\u0080` to `\\u009F` in double-quoted strings); \
                    they usually come from text decoded with the wrong encoding";
        ParseWarning::new(InputProblem::ControlCharacter, message, span_of(first)).with_help(help)
    };
    capped_warnings(positions(text), each, rest)
}

/// The two bytes of the character at `at`.
fn span_of(at: usize) -> Span {
    let start = u32::try_from(at).unwrap_or(u32::MAX);
    Span::new(start, start.saturating_add(2))
}

/// The parser's error when it refused a C1 character (strict reading: `yaml: {strict: true}`,
/// and always for oaslint's own configuration): located on the whole character and naming
/// its code point, still `invalid-syntax`. The parser places some of these errors at the
/// start of the run of text holding the character (in a block scalar), so the character is
/// looked for from there.
pub(super) fn strict_error(error: ParseError, text: &str) -> ParseError {
    let start = error.span.start as usize;
    let refused =
        |at: &usize| c1_at(text, *at).is_some_and(|c| error.message.contains(&c.escape_default().to_string()));
    let Some((at, character)) =
        positions(text).skip_while(|&at| at < start).find(refused).and_then(|at| Some((at, c1_at(text, at)?)))
    else {
        return error;
    };
    let message =
        format!("unescaped control character U+{:04X}: YAML 1.2 allows it only escaped", u32::from(character));
    ParseError::new(error.code, message, span_of(at)).with_help(help(character))
}

/// The parser's error on a stand-in text, told in terms of the original: stand-ins named
/// as the C1 characters they are, and the character named when the error sits on one.
pub(super) fn lenient_error(mut error: ParseError, stand_in: &StandIn, text: &str) -> ParseError {
    error.message = stand_in.restore_message(&error.message);
    let at = error.span.start as usize;
    if let Some(character) = c1_at(text, at) {
        error.message = format!("{} (at an unescaped control character U+{:04X})", error.message, u32::from(character));
        error.span = span_of(at);
        error.help = Some(help(character));
    }
    error
}

/// The text the parser reads in place of one holding C1 characters, and how to undo it.
pub(super) struct StandIn {
    /// The lead byte that replaced `0xC2` in each C1 character.
    lead: u8,
    text: String,
}

impl StandIn {
    /// `None` when the text uses every candidate block (then it is read strictly).
    pub(super) fn new(text: &str) -> Option<StandIn> {
        let lead = free_lead(text)?;
        let mut bytes = text.as_bytes().to_vec();
        for at in positions(text) {
            if let Some(byte) = bytes.get_mut(at) {
                *byte = lead;
            }
        }
        // A lead byte swapped for another of the same length keeps the text valid UTF-8.
        let text = String::from_utf8(bytes).ok()?;
        Some(StandIn { lead, text })
    }

    /// The text to hand the parser.
    pub(super) fn text(&self) -> &str {
        &self.text
    }

    /// A value the parser decoded, with its stand-ins turned back into C1 characters.
    pub(super) fn restore<'a>(&self, value: &'a str) -> Cow<'a, str> {
        let bytes = value.as_bytes();
        let stand_in =
            |at: usize| bytes.get(at) == Some(&self.lead) && bytes.get(at + 1).copied().is_some_and(is_refused_c1);
        if !memchr::memchr_iter(self.lead, bytes).any(stand_in) {
            return Cow::Borrowed(value);
        }
        let mut restored = bytes.to_vec();
        for at in memchr::memchr_iter(self.lead, bytes).filter(|&at| stand_in(at)) {
            if let Some(byte) = restored.get_mut(at) {
                *byte = 0xC2;
            }
        }
        String::from_utf8(restored).map_or(Cow::Borrowed(value), Cow::Owned)
    }

    /// A parser message, with stand-ins written as the C1 characters they stand for
    /// (escaped, as the parser writes the characters it refuses).
    fn restore_message(&self, message: &str) -> String {
        let mut restored = String::with_capacity(message.len());
        for character in message.chars() {
            match self.original(character) {
                Some(original) => restored.extend(original.escape_default()),
                None => restored.push(character),
            }
        }
        // The parser escapes the characters it names: `\u{7d3}` for a stand-in.
        for second in (0x80u32..=0x9F).filter(|&second| second != u32::from(NEL)) {
            let stand_in = (u32::from(self.lead & 0x1F) << 6) | (second & 0x3F);
            let escaped = format!("\\u{{{stand_in:x}}}");
            if restored.contains(&escaped) {
                restored = restored.replace(&escaped, &format!("\\u{{{second:x}}}"));
            }
        }
        restored
    }

    /// The C1 character a stand-in character stands for.
    fn original(&self, character: char) -> Option<char> {
        let mut buffer = [0u8; 4];
        match *character.encode_utf8(&mut buffer).as_bytes() {
            [lead, second] if lead == self.lead && is_refused_c1(second) => char::from_u32(u32::from(second)),
            _ => None,
        }
    }
}

/// A lead byte whose characters `lead 0x80..=0x9F` neither appear in `text` nor can come
/// from an escape in it (`\uXXXX`, `\UXXXXXXXX`), tried from [`LAST_LEAD`] down. Usually
/// the first is free, which costs one memchr pass for it and one for the backslashes.
fn free_lead(text: &str) -> Option<u8> {
    let bytes = text.as_bytes();
    let mut escaped = [false; 32];
    for at in memchr::memchr_iter(b'\\', bytes) {
        let digits = match bytes.get(at + 1) {
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => continue,
        };
        let Some(hex) = text.get(at + 2..at + 2 + digits) else { continue };
        let Ok(code) = u32::from_str_radix(hex, 16) else { continue };
        if (0x100..=0x7FF).contains(&code) && code & 0x3F < 0x20 {
            if let Some(slot) = escaped.get_mut((code >> 6) as usize) {
                *slot = true;
            }
        }
    }
    (FIRST_LEAD..=LAST_LEAD).rev().find(|&lead| {
        let written = memchr::memchr_iter(lead, bytes)
            .any(|at| bytes.get(at + 1).is_some_and(|next| (0x80..=0x9F).contains(next)));
        !written && escaped.get(usize::from(lead & 0x1F)) == Some(&false)
    })
}

#[cfg(test)]
mod tests {
    use super::{MAX_REPORTED, StandIn, free_lead, lenient_error, positions, strict_error, warnings};
    use crate::source::InputProblem;
    use crate::source::{ParseError, Span};

    #[test]
    fn finds_c1_characters_but_not_nel_or_other_latin_1() {
        let text = "a\u{83}b\u{85}c\u{a0}d\u{9f}\u{80}é";
        let found: Vec<usize> = positions(text).collect();
        assert_eq!(found, [1, 10, 12]);
        assert_eq!(positions("plain ASCII and ünïcödé").count(), 0);
    }

    #[test]
    fn stand_ins_keep_lengths_and_come_back() {
        let text = "k\u{83}: \"v\u{9f}\"\n";
        let stand_in = StandIn::new(text).expect("a free block");
        assert_eq!(stand_in.text().len(), text.len());
        assert_eq!(positions(stand_in.text()).count(), 0);
        assert!(stand_in.text().contains('\u{7c3}'), "NKo is tried first");
        assert_eq!(stand_in.restore("v\u{7df} w\u{7c3}"), "v\u{9f} w\u{83}");
        // Characters of the block past U+07DF are not stand-ins.
        assert_eq!(stand_in.restore("\u{7e0}"), "\u{7e0}");
        assert_eq!(stand_in.restore_message("found `\\u{7c3}' and \u{7df}"), "found `\\u{83}' and \\u{9f}");
    }

    #[test]
    fn a_block_the_text_uses_is_not_a_stand_in() {
        // NKo written as is, and Thaana spelled by an escape: the next block down is used.
        let text = "a: \u{7c5}\nb: \"\\u0790\"\nc: \u{83}\n";
        assert_eq!(free_lead(text), Some(0xDD));
        let stand_in = StandIn::new(text).expect("a free block");
        assert_eq!(stand_in.restore("\u{7c5}\u{743}"), "\u{7c5}\u{83}");
        // Characters past the first 32 of a block (Thaana's U+07A0..) do not take it.
        assert_eq!(free_lead("\u{7c0} \u{7a0} \u{83}"), Some(0xDE));
    }

    #[test]
    fn each_character_is_one_warning_up_to_a_cap() {
        let found = warnings("a: \u{83}x\u{9f}\n");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].span, Span::new(3, 5));
        assert!(found[0].message.contains("U+0083"), "{}", found[0].message);
        assert!(found[0].help.as_deref().is_some_and(|help| help.contains("`\\u0083`")), "{:?}", found[0].help);
        assert_eq!(found[1].span, Span::new(6, 8));

        let many = "\u{81}".repeat(MAX_REPORTED + 5);
        let found = warnings(&many);
        assert_eq!(found.len(), MAX_REPORTED + 1);
        let last = found.last().expect("summary");
        assert_eq!(last.span, Span::new(2 * MAX_REPORTED as u32, 2 * MAX_REPORTED as u32 + 2));
        assert!(last.message.starts_with("5 more"), "{}", last.message);
    }

    #[test]
    fn lenient_errors_name_the_character_they_sit_on() {
        let text = "a: b\n\u{83} - c\n";
        let stand_in = StandIn::new(text).expect("a free block");
        let error = ParseError::new(InputProblem::InvalidSyntax, "simple key expected ':'", Span::new(5, 6));
        let error = lenient_error(error, &stand_in, text);
        assert_eq!(error.span, Span::new(5, 7));
        assert_eq!(error.message, "simple key expected ':' (at an unescaped control character U+0083)");
        let elsewhere = ParseError::new(InputProblem::InvalidSyntax, "found `\\u{7c3}'", Span::new(0, 1));
        assert_eq!(lenient_error(elsewhere, &stand_in, text).message, "found `\\u{83}'");
    }

    #[test]
    fn strict_errors_cover_the_character() {
        let text = "a: b\u{83}\n";
        let error = ParseError::new(InputProblem::InvalidSyntax, "unexpected character: `\\u{83}'", Span::new(4, 5));
        let error = strict_error(error, text);
        assert_eq!((error.code, error.span), (InputProblem::InvalidSyntax, Span::new(4, 6)));
        assert!(error.message.starts_with("unescaped control character U+0083"), "{}", error.message);
        // Placed at the start of the line's text: the character is found after it.
        let early = ParseError::new(InputProblem::InvalidSyntax, "unexpected character: `\\u{83}'", Span::new(3, 4));
        assert_eq!(strict_error(early, text).span, Span::new(4, 6));
        let elsewhere = ParseError::new(InputProblem::InvalidSyntax, "something else", Span::new(0, 1));
        assert_eq!(strict_error(elsewhere.clone(), text), elsewhere);
    }
}
