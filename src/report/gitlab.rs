//! GitLab Code Quality: the Code Climate subset GitLab reads from a job's
//! `artifacts: reports: codequality:` file, an array of issues with `description`,
//! `check_name`, `fingerprint`, `severity` and `location` (`path` relative to the
//! repository, which is where GitLab runs the job, and `lines.begin`).
//!
//! - Only findings that count are issues: suppressed ones are left out (GitLab has no way
//!   to show them as accepted), and so, with `--quiet`, are those below `--fail-on`.
//! - `fingerprint` is the finding's own (rule, file, JSON pointer, message; never a line),
//!   the one the baseline uses, so an issue keeps its identity across runs and GitLab
//!   tells new issues from fixed ones in a merge request. Two identical findings get
//!   `-2`, `-3` appended, as GitLab asks for unique fingerprints.
//! - Severities: an input problem that stops the check is `blocker`, an error `critical`,
//!   a warning `major`, an info `minor`, a hint `info`.

use std::collections::HashMap;
use std::io;

use serde::Serialize;

use crate::finding::{Category, Finding, Severity};
use crate::report::json::write_indented;
use crate::report::text::one_line;
use crate::report::text::pretty_json;
use crate::report::{Reporter, RunEnd, RunInfo};

#[derive(Default)]
pub struct GitlabReporter {
    /// How many issues were written so far (a comma goes before every one but the first).
    written: usize,
    /// How often each fingerprint was used, to keep them unique.
    fingerprints: HashMap<String, usize>,
}

const ISSUE_INDENT: &[u8] = b"\n  ";

impl Reporter for GitlabReporter {
    fn begin(&mut self, _run: &RunInfo<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(b"[")
    }

    fn findings(&mut self, run: &RunInfo<'_>, findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
        for finding in findings.iter().filter(|finding| !finding.is_suppressed() && run.passes_quiet(finding)) {
            let uses = self.fingerprints.entry(finding.fingerprint.clone()).or_default();
            *uses += 1;
            let fingerprint =
                if *uses == 1 { finding.fingerprint.clone() } else { format!("{}-{uses}", finding.fingerprint) };
            let issue = Issue {
                description: description(finding),
                check_name: &finding.rule,
                fingerprint,
                severity: severity(finding),
                location: IssueLocation {
                    path: finding.primary.file_name().strip_prefix("./").unwrap_or(finding.primary.file_name()),
                    lines: Lines { begin: finding.primary.start().line },
                },
            };
            out.write_all(if self.written == 0 { b"" } else { b"," })?;
            out.write_all(ISSUE_INDENT)?;
            write_indented(out, &pretty_json(&issue)?, ISSUE_INDENT)?;
            self.written += 1;
        }
        Ok(())
    }

    fn end(&mut self, _run: &RunInfo<'_>, _end: &RunEnd<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"]\n" } else { b"\n]\n" })
    }
}

/// `[rule] message`, on one line: GitLab shows the description as the issue's title.
fn description(finding: &Finding) -> String {
    one_line(&finding.message)
}

fn severity(finding: &Finding) -> &'static str {
    match (finding.category, finding.severity) {
        (Category::Input, Severity::Error) => "blocker",
        (_, Severity::Error) => "critical",
        (_, Severity::Warning) => "major",
        (_, Severity::Info) => "minor",
        (_, Severity::Hint) => "info",
    }
}

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::report::fixtures::{Fixture, clean_files, empty_run, render};
    use crate::report::{Format, Run};

    #[test]
    fn gitlab() {
        let fixture = Fixture::new();
        let output = render(Format::GITLAB, &fixture.run());
        let issues: Vec<Value> = serde_json::from_str(&output).unwrap();
        // Every unsuppressed finding is an issue; the suppressed ones are not.
        let unsuppressed = fixture.findings.iter().filter(|finding| !finding.is_suppressed()).count();
        assert_eq!(issues.len(), unsuppressed);
        let mut fingerprints: Vec<&str> = issues.iter().map(|issue| issue["fingerprint"].as_str().unwrap()).collect();
        fingerprints.sort_unstable();
        fingerprints.dedup();
        assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
        for issue in &issues {
            assert!(["blocker", "critical", "major", "minor", "info"].contains(&issue["severity"].as_str().unwrap()));
            assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
            assert!(!issue["location"]["path"].as_str().unwrap().starts_with('/'));
            assert!(!issue["description"].as_str().unwrap().contains('\n'));
        }
        let input = issues.iter().find(|issue| issue["check_name"] == "invalid-syntax").unwrap();
        assert_eq!(input["severity"], "blocker");
        insta::assert_snapshot!(output);

        // --quiet: only what fails the run.
        let quiet = render(Format::GITLAB, &Run { quiet: true, ..fixture.run() });
        let quiet: Vec<Value> = serde_json::from_str(&quiet).unwrap();
        assert!(quiet.iter().all(|issue| ["blocker", "critical"].contains(&issue["severity"].as_str().unwrap())));
        assert_eq!(quiet.len(), 2);
    }

    #[test]
    fn gitlab_empty() {
        let files = clean_files();
        assert_eq!(render(Format::GITLAB, &empty_run(&files)), "[]\n");
    }

    /// Two findings alike in rule, file, pointer and message still get distinct fingerprints.
    #[test]
    fn gitlab_fingerprints_stay_unique() {
        let fixture = Fixture::new();
        let twice: Vec<_> = fixture
            .findings
            .iter()
            .filter(|finding| !finding.is_suppressed())
            .take(1)
            .cycle()
            .take(3)
            .cloned()
            .collect();
        let files = clean_files();
        let output = render(Format::GITLAB, &Run::new(&twice, &[], &files));
        let issues: Vec<Value> = serde_json::from_str(&output).unwrap();
        let first = issues[0]["fingerprint"].as_str().unwrap();
        assert_eq!(issues[1]["fingerprint"].as_str().unwrap(), format!("{first}-2"));
        assert_eq!(issues[2]["fingerprint"].as_str().unwrap(), format!("{first}-3"));
    }
}
