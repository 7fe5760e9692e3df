//! Quoting a file's text in a message: one line, control characters escaped, cut short.
//! An error about a configuration or ruleset shows where the mistake is, never pages of
//! the file (in CI, messages end up in public logs).

use super::{SourceFile, Span};

/// How many characters of a file's text a message quotes at most.
pub const EXCERPT_CHARS: usize = 60;

/// Characters of the offending line shown before the span's start, and at most in all:
/// an excerpt, not the line (a minified file is one line).
const BEFORE_SPAN: usize = 30;
const SNIPPET_CHARS: usize = 100;

/// The longest message built from parser or serde errors, as a last resort.
const MESSAGE_CHARS: usize = 400;

/// The line holding `span`'s start, with carets under the span (cut at the line's end),
/// windowed to about [`SNIPPET_CHARS`] characters around it, control characters escaped,
/// compiler style:
///
/// ```text
///   |
/// 2 | rulez: 2
///   | ^^^^^
/// ```
pub fn caret_snippet(file: &SourceFile, span: Span) -> String {
    let start = file.line_col(span.start);
    let end = file.line_col(span.end);
    let line = file.line_index.line_start(start.line.saturating_sub(1) as usize).map_or("", |at| {
        let rest = file.text().get(at as usize..).unwrap_or("");
        rest.split(['\n', '\r']).next().unwrap_or("")
    });
    let chars: Vec<char> = line.chars().collect();
    let width = chars.len();
    let from = (start.column.saturating_sub(1) as usize).min(width);
    let to = if end.line == start.line { (end.column.saturating_sub(1) as usize).min(width) } else { width };
    let window_start = from.saturating_sub(BEFORE_SPAN);
    let window_end = (window_start + SNIPPET_CHARS).min(width);
    let shown: String = chars.get(window_start..window_end).unwrap_or(&[]).iter().collect();
    let lead = if window_start > 0 { "…" } else { "" };
    let tail = if window_end < width { "…" } else { "" };
    let shown = format!("{lead}{}{tail}", escape_controls(&shown));
    // Carets stay under the span: count what is printed before it (escapes are wider).
    let before: String = chars.get(window_start..from).unwrap_or(&[]).iter().collect();
    let offset = lead.chars().count() + escape_controls(&before).chars().count();
    let under: String = chars.get(from..to.min(window_end)).unwrap_or(&[]).iter().collect();
    let carets = escape_controls(&under).chars().count().max(1);
    let gutter = start.line.to_string();
    let pad = " ".repeat(gutter.len());
    format!("{pad} |\n{gutter} | {shown}\n{pad} | {}{}", " ".repeat(offset), "^".repeat(carets))
}

/// A line of a user's file, safe for a terminal: control characters (an escape sequence
/// in a config file, say) are shown escaped; tabs stay.
fn escape_controls(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_control() && c != '\t' { c.escape_unicode().to_string() } else { c.to_string() })
        .collect()
}

/// `text` on one line, control characters escaped, cut after `max` characters (`…`).
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 2));
    for (count, c) in text.chars().enumerate() {
        if count == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A message that quotes a file's content (serde's `invalid type: string "…"`, `unknown
/// field `…``) with every quoted part cut to [`EXCERPT_CHARS`], on one line, and the whole
/// cut to a few hundred characters.
pub fn shorten_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MESSAGE_CHARS));
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let (before, from_quote) = rest.split_at(open);
        out.push_str(before);
        let quote = if from_quote.starts_with('"') { '"' } else { '`' };
        let inner = from_quote.get(1..).unwrap_or("");
        let close = closing_quote(inner, quote).unwrap_or(inner.len());
        let (quoted, after) = inner.split_at(close);
        out.push(quote);
        out.push_str(&excerpt(quoted, EXCERPT_CHARS));
        match after.strip_prefix(quote) {
            Some(after) => {
                out.push(quote);
                rest = after;
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    excerpt(&out, MESSAGE_CHARS)
}

/// The byte offset of the quote that closes a quoted part (`\"` does not, in `"…"`).
fn closing_quote(inner: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in inner.char_indices() {
        if c == quote && !escaped {
            return Some(at);
        }
        escaped = quote == '"' && c == '\\' && !escaped;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{EXCERPT_CHARS, excerpt, shorten_quotes};

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt("a\nb\u{1b}[31m", 10), "a\\nb\\u{1b}[31m");
        assert_eq!(excerpt("abcdef", 3), "abc…");
        assert_eq!(excerpt("abc", 3), "abc");
    }

    #[test]
    fn quoted_content_is_cut() {
        let secret = "x".repeat(10_000);
        let message = format!("invalid type: string \"{secret}\\\"{secret}\", expected a map");
        let short = shorten_quotes(&message);
        assert!(short.starts_with("invalid type: string \""), "{short}");
        assert!(short.ends_with("\", expected a map"), "{short}");
        assert!(short.len() < EXCERPT_CHARS + 60, "{short}");
        assert_eq!(
            shorten_quotes("unknown field `colour`, expected `name`"),
            "unknown field `colour`, expected `name`"
        );
        let unclosed = shorten_quotes(&format!("at `{secret}"));
        assert!(unclosed.len() < EXCERPT_CHARS + 10, "{unclosed}");
        assert!(shorten_quotes(&"y".repeat(10_000)).chars().count() <= 401);
    }
}

#[cfg(test)]
mod caret_tests {
    use super::caret_snippet;
    use crate::source::{SourceFile, Span};

    fn snippet_of(text: &str, span: Span) -> String {
        let (file, _) = SourceFile::from_text("c.yaml", text);
        caret_snippet(&file, span)
    }

    #[test]
    fn snippets_show_the_line_with_carets() {
        assert_eq!(snippet_of("a: 1\nrulez: 2\n", Span::new(5, 10)), "  |\n2 | rulez: 2\n  | ^^^^^");
    }

    #[test]
    fn long_lines_are_cut_to_a_window_around_the_span() {
        let secret = "s".repeat(5_000);
        let text = format!("{{\"a\": \"{secret}\", \"bad\": 1, \"b\": \"{secret}\"}}");
        let at = text.find("\"bad\"").unwrap_or(0) as u32;
        let shown = snippet_of(&text, Span::new(at, at + 5));
        let line = shown.lines().nth(1).unwrap_or("");
        assert!(line.chars().count() < 120, "{shown}");
        assert!(line.starts_with("1 | …") && line.ends_with('…'), "{shown}");
        let carets = shown.lines().nth(2).unwrap_or("");
        let column = carets.find('^').unwrap_or(0);
        assert_eq!(line.chars().skip(column).take(5).collect::<String>(), "\"bad\"", "{shown}");
    }
}
