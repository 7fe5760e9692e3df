//! `--format summary`: the counts per rule and severity, most severe first, then most
//! frequent, each with the rule's one-line summary; then the summary line. The human
//! output ends with the same table when its findings do not fit on a screen.

use std::fmt::Write as _;
use std::io;

use crate::finding::{Finding, Severity};
use crate::report::text::{count, duration, one_line};
use crate::report::{Reporter, RunEnd, RunInfo};

/// Prints nothing until the end: the table needs every count.
pub struct SummaryReporter;

impl Reporter for SummaryReporter {
    fn findings(&mut self, _run: &RunInfo<'_>, _findings: &[Finding], _out: &mut dyn io::Write) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, run: &RunInfo<'_>, end: &RunEnd<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        let table = rule_table(run, end);
        if !table.is_empty() {
            writeln!(out, "{table}")?;
        }
        if end.omitted > 0 {
            writeln!(out, "{}", omitted_line(end.omitted))?;
        }
        writeln!(out, "{}", summary_line(run, end))
    }
}

/// One line per rule and severity: severity, count, rule id, the rule's summary, and the
/// suppressed findings in brackets. Empty when nothing was found.
pub(crate) fn rule_table(run: &RunInfo<'_>, end: &RunEnd<'_>) -> String {
    let rows: Vec<_> = end.by_rule.iter().filter(|row| row.count > 0 || row.suppressed > 0).collect();
    let rule_width = rows.iter().map(|row| row.rule.chars().count()).max().unwrap_or(0);
    let count_width = rows.iter().map(|row| row.count.to_string().len()).max().unwrap_or(1);
    let mut table = String::new();
    for row in rows {
        let summary = run.rule(&row.rule).map(|rule| one_line(rule.summary)).unwrap_or_default();
        let severity = paint(run, &format!("{:<7}", row.severity.as_str()), row.severity, row.count);
        let mut line =
            format!("{severity} {:>count_width$}  {:<rule_width$}  {summary}", row.count, one_line(&row.rule));
        if row.suppressed > 0 {
            let _ = write!(line, " ({} suppressed)", row.suppressed);
        }
        table.push_str(line.trim_end());
        table.push('\n');
    }
    table
}

/// "... and 42 more findings not listed (--max-problems)."
pub(crate) fn omitted_line(omitted: usize) -> String {
    format!(
        "... and {} not listed (--max-problems); the counts include them.",
        count(omitted, "more finding", "more findings")
    )
}

/// "Checked 3 files in 42ms: 2 errors, 1 warning, 1 info, 0 hints, 2 suppressed.", after
/// `--fix` with "Fixed 3 findings in 2 files; …" ahead of it, else with how many findings
/// have a fix after it.
pub(crate) fn summary_line(run: &RunInfo<'_>, end: &RunEnd<'_>) -> String {
    let summary = &end.summary;
    let fixed = match end.fixes {
        Some(fixes) => {
            let dropped = match fixes.dropped {
                0 => String::new(),
                n => format!(" ({} dropped, see the notes)", count(n, "fix", "fixes")),
            };
            format!(
                "Fixed {} in {}{dropped}; the counts below are what remains.\n",
                count(fixes.applied, "finding", "findings"),
                count(fixes.files, "file", "files")
            )
        }
        None => String::new(),
    };
    fixed
        + &format!(
            "Checked {} in {}: {}, {}, {}, {}, {} suppressed.",
            count(summary.files, "file", "files"),
            duration(end.elapsed),
            paint(run, &count(summary.errors, "error", "errors"), Severity::Error, summary.errors),
            paint(run, &count(summary.warnings, "warning", "warnings"), Severity::Warning, summary.warnings),
            paint(run, &count(summary.infos, "info", "infos"), Severity::Info, summary.infos),
            count(summary.hints, "hint", "hints"),
            summary.suppressed,
        )
        + &fixable_line(end)
}

/// "\n2 fixable with `oaslint lint --fix` (1 more with `--fix --unsafe-fixes`)." where
/// fixes are available and were not just applied; else nothing.
fn fixable_line(end: &RunEnd<'_>) -> String {
    let fixable = end.fixable;
    if end.fixes.is_some() || fixable.safe + fixable.unsafe_only == 0 {
        return String::new();
    }
    match (fixable.safe, fixable.unsafe_only) {
        (safe, 0) => format!("\n{safe} fixable with `oaslint lint --fix`."),
        (0, unsafe_only) => {
            format!(
                "\n{unsafe_only} fixable with `oaslint lint --fix --unsafe-fixes` (the fixes change the API's contract)."
            )
        }
        (safe, unsafe_only) => {
            format!("\n{safe} fixable with `oaslint lint --fix` ({unsafe_only} more with `--fix --unsafe-fixes`).")
        }
    }
}

/// Colour by severity, where colour is on and there is something to count.
fn paint(run: &RunInfo<'_>, text: &str, severity: Severity, n: usize) -> String {
    let ansi = match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
        Severity::Hint => return text.to_owned(),
    };
    if run.color && n > 0 { format!("\u{1b}[{ansi}m{text}\u{1b}[0m") } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use crate::report::Format;
    use crate::report::fixtures::{Fixture, clean_files, empty_run, render};

    #[test]
    fn summary() {
        let fixture = Fixture::new();
        let output = render(Format::SUMMARY, &fixture.run());
        // Most severe first; the suppressed findings in brackets; the summary line last.
        let lines: Vec<&str> = output.lines().collect();
        assert!(lines.first().is_some_and(|line| line.starts_with("error ")), "{output}");
        assert!(output.contains("(2 suppressed)"), "{output}");
        // The summary line, then how many findings `--fix` resolves (the 204's body).
        assert!(output.ends_with(
            "Checked 3 files in 42ms: 2 errors, 1 warning, 1 info, 0 hints, 2 suppressed.\n1 fixable with `oaslint lint --fix`.\n"
        ));
        insta::assert_snapshot!(output);
    }

    #[test]
    fn summary_empty() {
        let files = clean_files();
        let output = render(Format::SUMMARY, &empty_run(&files));
        assert_eq!(output, "Checked 1 file in 7ms: 0 errors, 0 warnings, 0 infos, 0 hints, 0 suppressed.\n");
    }
}
