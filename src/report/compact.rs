//! `path:line:col: severity [rule] message`, one finding per line, for editors and grep.

use std::io;

use crate::finding::Finding;
use crate::report::text::{one_line, suppression_note};
use crate::report::{Reporter, RunEnd, RunInfo};

pub struct CompactReporter;

impl Reporter for CompactReporter {
    fn findings(&mut self, run: &RunInfo<'_>, findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
        for finding in findings.iter().filter(|finding| run.shows(finding)) {
            let start = finding.primary.start();
            write!(
                out,
                "{}:{}:{}: {} [{}] {}",
                one_line(finding.primary.file_name()),
                start.line,
                start.column,
                finding.severity,
                finding.rule,
                one_line(&finding.message),
            )?;
            if let Some(suppression) = &finding.suppression {
                write!(out, " ({})", one_line(&suppression_note(suppression)))?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    fn end(&mut self, _run: &RunInfo<'_>, _end: &RunEnd<'_>, _out: &mut dyn io::Write) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::report::Format;
    use crate::report::Run;
    use crate::report::fixtures::{Fixture, clean_files, empty_run, render};

    #[test]
    fn compact() {
        let fixture = Fixture::new();
        let output = render(Format::COMPACT, &fixture.run());
        assert_eq!(output.lines().count(), fixture.findings.len());
        insta::assert_snapshot!(output);
    }

    #[test]
    fn compact_hides_suppressed_unless_asked() {
        let fixture = Fixture::new();
        let run = Run { show_suppressed: false, ..fixture.run() };
        let output = render(Format::COMPACT, &run);
        assert_eq!(output.lines().count(), fixture.findings.len() - 2);
        assert!(!output.contains("suppressed"));
    }

    #[test]
    fn compact_empty() {
        let files = clean_files();
        assert_eq!(render(Format::COMPACT, &empty_run(&files)), "");
    }
}
