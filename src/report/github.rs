//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` annotation
//! per finding, escaped as GitHub's toolkit does.

use std::io;

use crate::finding::{Finding, Severity};
use crate::report::text::suppression_note;
use crate::report::{Reporter, RunEnd, RunInfo};

pub struct GithubReporter;

impl Reporter for GithubReporter {
    fn findings(&mut self, run: &RunInfo<'_>, findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
        for finding in findings.iter().filter(|finding| run.shows(finding)) {
            writeln!(out, "{}", annotation(finding))?;
        }
        Ok(())
    }

    fn end(&mut self, _run: &RunInfo<'_>, _end: &RunEnd<'_>, _out: &mut dyn io::Write) -> io::Result<()> {
        Ok(())
    }
}

fn annotation(finding: &Finding) -> String {
    let command = match (&finding.suppression, finding.severity) {
        // A suppressed finding is listed only for information.
        (Some(_), _) | (None, Severity::Info | Severity::Hint) => "notice",
        (None, Severity::Warning) => "warning",
        (None, Severity::Error) => "error",
    };
    let start = finding.primary.start();
    let end = finding.primary.end();
    let mut properties = vec![("file", escape_property(finding.primary.file_name())), ("line", start.line.to_string())];
    // GitHub takes columns only for a region within one line.
    if start.line == end.line {
        properties.push(("col", start.column.to_string()));
        properties.push(("endLine", end.line.to_string()));
        properties.push(("endColumn", end.column.to_string()));
    } else {
        properties.push(("endLine", end.line.to_string()));
    }
    let title = match finding.suppression {
        Some(_) => format!("{} (suppressed)", finding.rule),
        None => finding.rule.clone(),
    };
    properties.push(("title", escape_property(&title)));

    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if let Some(suppression) = &finding.suppression {
        message.push('\n');
        message.push_str(&suppression_note(suppression));
    }
    let properties = properties.into_iter().map(|(key, value)| format!("{key}={value}")).collect::<Vec<_>>().join(",");
    format!("::{command} {properties}::{}", escape_data(&message))
}

/// The message part, as GitHub's toolkit escapes it: `%`, CR and LF are percent-encoded.
/// Other control characters (ESC, BEL, …) would reach the log as they are, where an escape
/// sequence recolours or hides text: they are shown as `\u{1b}`, as the other formats do
/// (the runner decodes no other percent sequence, so `%1B` would be shown as it is too).
fn escape_data(text: &str) -> String {
    escape(text, false)
}

/// A property value: also `:` and `,`, which delimit properties.
fn escape_property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            ':' if property => escaped.push_str("%3A"),
            ',' if property => escaped.push_str("%2C"),
            c if c.is_control() && c != '\t' => escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};
    use crate::report::Format;
    use crate::report::fixtures::{Fixture, clean_files, empty_run, render};

    #[test]
    fn github() {
        let fixture = Fixture::new();
        let output = render(Format::GITHUB, &fixture.run());
        assert_eq!(output.lines().count(), fixture.findings.len());
        for line in output.lines() {
            // Every command is `::name properties::message`, with no raw delimiter left in
            // the properties.
            let rest = line.strip_prefix("::").unwrap();
            let (command, rest) = rest.split_once(' ').unwrap();
            assert!(["error", "warning", "notice"].contains(&command), "{line}");
            let (properties, _message) = rest.split_once("::").unwrap();
            for property in properties.split(',') {
                let (key, value) = property.split_once('=').unwrap();
                assert!(!key.is_empty() && !value.contains(':'), "{property}");
            }
        }
        insta::assert_snapshot!(output);
    }

    #[test]
    fn github_escaping() {
        assert_eq!(escape_data("100%\r\na:b,c"), "100%25%0D%0Aa:b,c");
        assert_eq!(escape_property("100%\r\na:b,c"), "100%25%0D%0Aa%3Ab%2Cc");
        // Control characters never reach the log: ESC, BEL, C1's CSI, DEL; tabs stay.
        assert_eq!(escape_data("a\u{1b}[2Jb\u{7}\tc\u{9b}d\u{7f}"), "a\\u{1b}[2Jb\\u{7}\tc\\u{9b}d\\u{7f}");
        assert_eq!(escape_property("x\u{1b}]8;;y"), "x\\u{1b}]8;;y");
    }

    #[test]
    fn github_empty() {
        let files = clean_files();
        assert_eq!(render(Format::GITHUB, &empty_run(&files)), "");
    }
}
