//! Small text helpers shared by the reporters.

use std::fmt::Write as _;

use crate::finding::{Suppression, SuppressionKind};

/// `text` on one line, safe for a terminal: line breaks become `\n` and `\r`, other
/// control characters (an escape sequence in a spec, say) become `\u{..}`; tabs stay.
pub(crate) fn one_line(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return text.to_owned();
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push('\t'),
            c if c.is_control() => {
                let _ = write!(escaped, "\\u{{{:x}}}", u32::from(c));
            }
            c => escaped.push(c),
        }
    }
    escaped
}

/// `text` safe for a terminal, line breaks kept: other control characters (an escape
/// sequence in a spec, say) become `\u{..}`.
pub(crate) fn printable(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\t' && c != '\n') {
        return text.to_owned();
    }
    text.split('\n').map(one_line).collect::<Vec<_>>().join("\n")
}

/// "suppressed in source: reason", for the formats that list suppressed findings.
pub(crate) fn suppression_note(suppression: &Suppression) -> String {
    let by = match suppression.kind {
        SuppressionKind::InSource => "suppressed in source",
        SuppressionKind::External => "suppressed by baseline or configuration",
    };
    match &suppression.justification {
        Some(reason) => format!("{by}: {reason}"),
        None => by.to_owned(),
    }
}

/// "1 error", "2 errors".
pub(crate) fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 { format!("1 {singular}") } else { format!("{n} {plural}") }
}

/// Milliseconds below ten seconds, seconds with two decimals above.
pub(crate) fn duration(elapsed: std::time::Duration) -> String {
    if elapsed.as_secs() < 10 { format!("{}ms", elapsed.as_millis()) } else { format!("{:.2}s", elapsed.as_secs_f64()) }
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn one_line_escapes_breaks_and_control_characters() {
        assert_eq!(one_line("plain"), "plain");
        assert_eq!(one_line("a\nb\r\tc\u{1b}[31m"), "a\\nb\\r\tc\\u{1b}[31m");
    }
}
