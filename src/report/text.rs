//! Small text helpers shared by the reporters.

use std::fmt::Write as _;

use serde_json::ser::{Formatter, PrettyFormatter};

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

/// Write `value` as indented JSON, as `serde_json::to_writer_pretty` does, with DEL and the
/// C1 control characters escaped too (`\u009b`): serde_json escapes only those below U+0020,
/// and a C1 CSI from a spec, printed raw, is an escape sequence to many terminals.
pub(crate) fn write_json_pretty(out: &mut dyn std::io::Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, ControlEscaping(PrettyFormatter::new()));
    value.serialize(&mut serializer).map_err(std::io::Error::from)
}

/// [`write_json_pretty`] into a string (streaming reporters indent it into place).
pub(crate) fn pretty_json(value: &impl serde::Serialize) -> std::io::Result<String> {
    let mut out = Vec::new();
    write_json_pretty(&mut out, value)?;
    String::from_utf8(out).map_err(std::io::Error::other)
}

/// serde_json's pretty formatter, escaping U+007F to U+009F in strings.
struct ControlEscaping(PrettyFormatter<'static>);

/// Delegate a formatter method to the pretty formatter.
macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $name<W: ?Sized + std::io::Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> std::io::Result<()> {
                self.0.$name(writer $(, $arg)*)
            }
        )*
    };
}

impl Formatter for ControlEscaping {
    delegate! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(|c: char| ('\u{7f}'..='\u{9f}').contains(&c)) {
            let (before, from) = rest.split_at(at);
            writer.write_all(before.as_bytes())?;
            let mut chars = from.chars();
            if let Some(control) = chars.next() {
                write!(writer, "\\u{:04x}", u32::from(control))?;
            }
            rest = chars.as_str();
        }
        writer.write_all(rest.as_bytes())
    }
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
    fn json_escapes_c1_control_characters_and_still_parses() {
        let value = serde_json::json!({"message": "a\u{1b}[2Jb\u{9b}31mc\u{7f}d\u{a0}é", "list": [1, {"k": "\u{85}"}]});
        let mut out = Vec::new();
        super::write_json_pretty(&mut out, &value).expect("writes");
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
        assert!(text.contains(r"a\u001b[2Jb\u009b31mc\u007fd"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, value);
        // Otherwise as serde_json's pretty printer writes it.
        let plain = serde_json::json!({"a": [1, 2], "b": {"c": null}});
        let mut ours = Vec::new();
        super::write_json_pretty(&mut ours, &plain).expect("writes");
        assert_eq!(String::from_utf8(ours).ok(), serde_json::to_string_pretty(&plain).ok());
    }

    #[test]
    fn one_line_escapes_breaks_and_control_characters() {
        assert_eq!(one_line("plain"), "plain");
        assert_eq!(one_line("a\nb\r\tc\u{1b}[31m"), "a\\nb\\r\tc\\u{1b}[31m");
    }
}
