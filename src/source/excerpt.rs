//! Quoting a file's text in a message: one line, control characters escaped, cut short.
//! An error about a configuration or ruleset shows where the mistake is, never pages of
//! the file (in CI, messages end up in public logs).

/// How many characters of a file's text a message quotes at most.
pub const EXCERPT_CHARS: usize = 60;

/// The longest message built from parser or serde errors, as a last resort.
const MESSAGE_CHARS: usize = 400;

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
