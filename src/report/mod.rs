//! Output formats: one file per format behind one trait, [`Reporter`].
//!
//! Reporters receive a [`Run`]: findings already sorted (suppressed ones included and
//! marked), the rule metadata, the files checked and how the run ends. Every reporter
//! is deterministic: the same run gives the same bytes. Only `human.rs` knows miette.
//!
//! ```
//! use oaslint::report::{Format, Run};
//!
//! let run = Run::new(&[], &[], &[]);
//! let mut out = Vec::new();
//! Format::Compact.reporter().report(&run, &mut out).unwrap();
//! ```

mod compact;
mod github;
mod human;
mod json;
mod junit;
mod sarif;
mod text;

#[cfg(test)]
mod fixtures;

use std::fmt;
use std::io;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use crate::finding::{Finding, RuleMeta, Severity};

pub use compact::CompactReporter;
pub use github::GithubReporter;
pub use human::HumanReporter;
pub use json::{JSON_SCHEMA_VERSION, JsonReporter};
pub use junit::JunitReporter;
pub use sarif::SarifReporter;

/// The version written into reports by default.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Renders a whole run in one output format.
pub trait Reporter {
    fn report(&self, run: &Run<'_>, out: &mut dyn io::Write) -> io::Result<()>;
}

/// The output formats, named as `--format` takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with code snippets, for people at a terminal.
    Human,
    /// `path:line:col: severity [rule] message`, one per line.
    Compact,
    /// The versioned JSON schema of `docs/json-output.md`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, for CI test report views.
    Junit,
}

impl Format {
    pub const ALL: [Format; 6] =
        [Format::Human, Format::Compact, Format::Json, Format::Sarif, Format::Github, Format::Junit];

    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Compact => "compact",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
        }
    }

    pub fn reporter(self) -> &'static dyn Reporter {
        match self {
            Format::Human => &HumanReporter,
            Format::Compact => &CompactReporter,
            Format::Json => &JsonReporter,
            Format::Sarif => &SarifReporter,
            Format::Github => &GithubReporter,
            Format::Junit => &JunitReporter,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format `{0}` (expected human, compact, json, sarif, github or junit)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// Everything a reporter needs to know about one run.
#[derive(Clone, Debug)]
pub struct Run<'a> {
    /// Sorted (see [`crate::finding::sort_and_dedup`]); suppressed ones included and marked.
    pub findings: &'a [Finding],
    /// Every rule of the run's ruleset (SARIF lists them all; JUnit has a test case per rule).
    pub rules: &'a [RuleMeta],
    /// The names of the files checked, as reports show them.
    pub files: &'a [String],
    pub elapsed: Duration,
    /// The process exit code the run ends with.
    pub exit_code: i32,
    pub tool_version: &'a str,
    /// List suppressed findings too (SARIF always carries them, as `suppressions`).
    pub show_suppressed: bool,
    /// The absolute directory relative file names are relative to (SARIF's `%SRCROOT%`).
    pub source_root: Option<&'a Path>,
    /// Human output: ANSI colours on or off.
    pub color: bool,
    /// Human output: wrap at this many columns; `None` does not wrap.
    pub width: Option<usize>,
}

impl<'a> Run<'a> {
    /// A run with no time elapsed, exit code 0, this build's version, suppressed findings
    /// hidden, no source root, no colour and no wrapping; set the fields to change that.
    pub fn new(findings: &'a [Finding], rules: &'a [RuleMeta], files: &'a [String]) -> Run<'a> {
        Run {
            findings,
            rules,
            files,
            elapsed: Duration::ZERO,
            exit_code: 0,
            tool_version: TOOL_VERSION,
            show_suppressed: false,
            source_root: None,
            color: false,
            width: None,
        }
    }

    /// The findings to list: all, or only the unsuppressed ones unless asked otherwise.
    pub fn shown_findings(&self) -> impl Iterator<Item = &'a Finding> + 'a {
        let show_suppressed = self.show_suppressed;
        self.findings.iter().filter(move |finding| show_suppressed || !finding.is_suppressed())
    }

    pub fn rule(&self, id: &str) -> Option<&'a RuleMeta> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    pub fn summary(&self) -> Summary {
        let mut summary = Summary { files: self.files.len(), ..Summary::default() };
        for finding in self.findings {
            if finding.is_suppressed() {
                summary.suppressed += 1;
                continue;
            }
            match finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
                Severity::Hint => summary.hints += 1,
            }
        }
        summary
    }
}

/// Counts for the summary line; suppressed findings are counted apart, not by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
    pub suppressed: usize,
}

#[cfg(test)]
mod tests {

    use clap::ValueEnum;

    use super::{Format, Summary};
    use crate::report::fixtures::Fixture;

    #[test]
    fn format_names_round_trip_through_from_str_and_clap() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
            assert_eq!(format.name().to_uppercase().parse::<Format>(), Ok(format));
            let clap_name = format.to_possible_value().map(|value| value.get_name().to_owned());
            assert_eq!(clap_name.as_deref(), Some(format.name()));
        }
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn summary_counts_suppressed_findings_apart() {
        let fixture = Fixture::new();
        let summary = fixture.run().summary();
        assert_eq!(summary, Summary { files: 3, errors: 2, warnings: 1, infos: 1, hints: 0, suppressed: 2 });
    }
}
