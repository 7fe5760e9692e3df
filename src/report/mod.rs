//! Output formats: one file per format behind one trait, [`Reporter`].
//!
//! A run streams: a reporter is told the run's settings ([`RunInfo`]) once, then
//! receives the findings batch by batch (one batch per root document and the files it
//! reaches, each sorted, suppressed findings included and marked), then how the run
//! ended ([`RunEnd`]). Nothing a reporter keeps may hold a batch's files alive, so a run
//! over thousands of documents holds only the documents in flight. Every reporter is
//! deterministic: the same batches give the same bytes. Only `human.rs` knows miette.
//!
//! [`Run`] is a whole run at once (tests, library users): [`write_run`] streams it as one
//! batch.
//!
//! ```
//! use oaslint::report::{Format, Run, write_run};
//!
//! let run = Run::new(&[], &[], &[]);
//! let mut out = Vec::new();
//! write_run(Format::COMPACT, &run, &mut out).unwrap();
//! ```

mod compact;
mod github;
mod gitlab;
mod html;
mod human;
mod json;
mod junit;
mod sarif;
mod summary;
mod text;

#[cfg(test)]
mod fixtures;

use std::fmt;
use std::io;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use crate::finding::{Finding, RuleMeta, Severity};
use crate::pipeline::ResponseMap;

pub use compact::CompactReporter;
pub use github::GithubReporter;
pub use gitlab::GitlabReporter;
pub use html::HtmlReporter;
pub use human::HumanReporter;
pub use json::{JSON_SCHEMA_VERSION, JsonReporter};
pub use junit::JunitReporter;
pub use sarif::SarifReporter;
pub use summary::SummaryReporter;

/// The version written into reports by default.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Renders a run in one output format, as it streams. Each sink gets a reporter of its own
/// ([`Format::reporter`]), so a reporter may keep state between the calls.
pub trait Reporter {
    /// Before the first batch: a header, if the format has one.
    fn begin(&mut self, _run: &RunInfo<'_>, _out: &mut dyn io::Write) -> io::Result<()> {
        Ok(())
    }

    /// Whether the format draws each root document's [`ResponseMap`]: the run builds the
    /// maps only when one of its reports does, and hands each to [`Reporter::document`].
    fn wants_response_maps(&self) -> bool {
        false
    }

    /// A root document's operations and the codes they declare, just before its batch of
    /// findings (only to a reporter that [wants them](Reporter::wants_response_maps)).
    fn document(&mut self, _run: &RunInfo<'_>, _map: &ResponseMap, _out: &mut dyn io::Write) -> io::Result<()> {
        Ok(())
    }

    /// One batch of findings, sorted; batches come in the run's order.
    fn findings(&mut self, run: &RunInfo<'_>, findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()>;

    /// After the last batch: totals, the files checked, the exit code.
    fn end(&mut self, run: &RunInfo<'_>, end: &RunEnd<'_>, out: &mut dyn io::Write) -> io::Result<()>;
}

/// Render a whole run as one batch.
pub fn write_run(format: Format, run: &Run<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let mut reporter = format.reporter();
    let info = run.info();
    reporter.begin(&info, out)?;
    reporter.findings(&info, run.findings, out)?;
    reporter.end(&info, &run.end(), out)
}

/// A reporter, as the command line and the docs name it. Adding a format is one file
/// (its reporter) and one line in [`REPORTERS`].
#[derive(Debug)]
pub struct FormatSpec {
    /// What `--format` and `--output NAME=FILE` take.
    pub name: &'static str,
    /// The file extension of its reports: `--output FILE` without a format picks the
    /// format by it (where one format has it).
    pub extension: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// A fresh reporter for one output.
    pub make: fn() -> Box<dyn Reporter>,
}

/// Every output format, the default first.
pub const REPORTERS: &[FormatSpec] = &[
    FormatSpec {
        name: "human",
        extension: "txt",
        about: "diagnostics with code snippets, for people",
        make: || Box::<HumanReporter>::default(),
    },
    FormatSpec {
        name: "compact",
        extension: "log",
        about: "`path:line:col: severity [rule] message`, one per line",
        make: || Box::new(CompactReporter),
    },
    FormatSpec {
        name: "json",
        extension: "json",
        about: "the versioned JSON of docs/json-output.md",
        make: || Box::<JsonReporter>::default(),
    },
    FormatSpec {
        name: "sarif",
        extension: "sarif",
        about: "SARIF 2.1.0, for GitHub code scanning",
        make: || Box::<SarifReporter>::default(),
    },
    FormatSpec {
        name: "github",
        extension: "github",
        about: "GitHub Actions annotations",
        make: || Box::new(GithubReporter),
    },
    FormatSpec {
        name: "junit",
        extension: "xml",
        about: "JUnit XML, for CI test views",
        make: || Box::<JunitReporter>::default(),
    },
    FormatSpec {
        name: "gitlab",
        extension: "codequality.json",
        about: "GitLab Code Quality",
        make: || Box::<GitlabReporter>::default(),
    },
    FormatSpec {
        name: "summary",
        extension: "summary",
        about: "counts per rule and severity",
        make: || Box::new(SummaryReporter),
    },
    FormatSpec {
        name: "html",
        extension: "html",
        about: "one self-contained page: each operation's status codes as a matrix, with its findings",
        make: || Box::<HtmlReporter>::default(),
    },
];

/// An output format: one of [`REPORTERS`].
#[derive(Clone, Copy)]
pub struct Format(&'static FormatSpec);

impl Format {
    pub const HUMAN: Format = Format::at(0);
    pub const COMPACT: Format = Format::at(1);
    pub const JSON: Format = Format::at(2);
    pub const SARIF: Format = Format::at(3);
    pub const GITHUB: Format = Format::at(4);
    pub const JUNIT: Format = Format::at(5);
    pub const GITLAB: Format = Format::at(6);
    pub const SUMMARY: Format = Format::at(7);
    pub const HTML: Format = Format::at(8);

    /// The format at `index` of [`REPORTERS`]; a wrong index fails the build.
    const fn at(index: usize) -> Format {
        Format(&REPORTERS[index])
    }

    /// Every format, in [`REPORTERS`]' order.
    pub fn all() -> impl Iterator<Item = Format> {
        REPORTERS.iter().map(Format)
    }

    pub fn name(self) -> &'static str {
        self.0.name
    }

    pub fn spec(self) -> &'static FormatSpec {
        self.0
    }

    /// A fresh reporter for one output.
    pub fn reporter(self) -> Box<dyn Reporter> {
        (self.0.make)()
    }

    /// Whether its reports draw the documents' response maps ([`Reporter::wants_response_maps`]).
    pub fn wants_response_maps(self) -> bool {
        self.reporter().wants_response_maps()
    }

    /// The one format whose reports a file of this name holds, by its extension.
    pub fn by_file_name(name: &str) -> Option<Format> {
        let name = name.to_ascii_lowercase();
        let mut matching = Format::all().filter(|format| name.ends_with(&format!(".{}", format.0.extension)));
        // The longest extension wins (`.codequality.json` over `.json`).
        let best = matching.next()?;
        Some(
            matching
                .fold(best, |best, other| if other.0.extension.len() > best.0.extension.len() { other } else { best }),
        )
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Format {}

impl std::hash::Hash for Format {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format `{0}` (expected {names})", names = format_names())]
pub struct UnknownFormat(pub String);

/// "human, compact, ... or summary".
pub fn format_names() -> String {
    let names: Vec<&str> = REPORTERS.iter().map(|spec| spec.name).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::all()
            .find(|format| format.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// What every reporter is told before the first finding.
#[derive(Clone, Debug)]
pub struct RunInfo<'a> {
    /// Every rule of the run's ruleset (SARIF lists them all; JUnit has a test case per rule).
    pub rules: &'a [RuleMeta],
    pub tool_version: &'a str,
    /// List suppressed findings too (SARIF always carries them, as `suppressions`).
    pub show_suppressed: bool,
    /// The absolute directory relative file names are relative to (SARIF's `%SRCROOT%`).
    pub source_root: Option<&'a Path>,
    /// Human output: ANSI colours on or off.
    pub color: bool,
    /// Human output: wrap at this many columns; `None` does not wrap.
    pub width: Option<usize>,
    /// The least severe finding that fails the run (`--fail-on`).
    pub fail_on: Severity,
    /// List only the findings at or above `fail_on` (`--quiet`); the counts still count all.
    pub quiet: bool,
    /// A baseline was applied: SARIF says which results are new and which it accepted.
    pub baseline: bool,
    /// The ruleset's name (`recommended`, or the file it was read from), where known.
    pub ruleset: Option<&'a str>,
}

impl<'a> RunInfo<'a> {
    /// This build's version, suppressed findings hidden, every severity listed, failing
    /// on errors, no baseline, no source root, no colour and no wrapping; set the fields
    /// to change that.
    pub fn new(rules: &'a [RuleMeta]) -> RunInfo<'a> {
        RunInfo {
            rules,
            tool_version: TOOL_VERSION,
            show_suppressed: false,
            source_root: None,
            color: false,
            width: None,
            fail_on: Severity::Error,
            quiet: false,
            baseline: false,
            ruleset: None,
        }
    }

    pub fn rule(&self, id: &str) -> Option<&'a RuleMeta> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// Whether a finding is listed: unsuppressed ones always (with `--quiet`, those at or
    /// above the `--fail-on` level), suppressed ones on request.
    pub fn shows(&self, finding: &Finding) -> bool {
        (self.show_suppressed || !finding.is_suppressed()) && self.passes_quiet(finding)
    }

    /// Whether `--quiet` lets a finding through: without it, every finding does.
    pub fn passes_quiet(&self, finding: &Finding) -> bool {
        !self.quiet || self.fails(finding)
    }

    /// Whether a finding's severity is at or above the `--fail-on` level (suppressed or not).
    pub fn fails(&self, finding: &Finding) -> bool {
        finding.severity >= self.fail_on
    }
}

/// How a run ended: what reporters write after the last finding.
#[derive(Clone, Debug)]
pub struct RunEnd<'a> {
    /// The names of the files checked, as reports show them, sorted.
    pub files: &'a [String],
    pub summary: Summary,
    /// Counts per rule and severity, most severe first, then most frequent.
    pub by_rule: Vec<RuleCount>,
    pub elapsed: Duration,
    /// The process exit code the run ends with.
    pub exit_code: i32,
    /// Findings listed nowhere because of `--max-problems` (they are counted).
    pub omitted: usize,
    /// Baseline entries no finding matched any more (SARIF `baselineState: absent`).
    pub absent: Vec<Absent>,
    /// What `--fix` did before the findings were gathered (`None` without `--fix`).
    pub fixes: Option<FixCounts>,
    /// How many of the findings have a fix.
    pub fixable: Fixable,
}

/// What `lint --fix` applied: the findings reported are those that remain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FixCounts {
    /// Fixes applied (each resolves one finding).
    pub applied: usize,
    /// Files written.
    pub files: usize,
    /// Fixes dropped because they would have broken the document or not worked.
    pub dropped: usize,
}

/// How often one rule found something at one severity.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RuleCount {
    pub rule: String,
    pub severity: Severity,
    /// Unsuppressed findings.
    pub count: usize,
    pub suppressed: usize,
}

/// A baseline entry no finding matched any more: the problem it accepted is gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Absent {
    pub rule: String,
    /// As reports show it: relative to the working directory.
    pub file: String,
    pub message: String,
    pub fingerprint: String,
}

/// The counts of a run, kept as its findings stream past.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub summary: Summary,
    by_rule: std::collections::HashMap<(String, Severity), (usize, usize)>,
    /// Unsuppressed findings that come with a fix.
    pub fixable: Fixable,
}

/// How many findings `--fix` could resolve, safe and unsafe.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fixable {
    pub safe: usize,
    pub unsafe_only: usize,
}

impl Counts {
    pub fn count(&mut self, findings: &[Finding]) {
        self.summary.count(findings);
        for finding in findings {
            let (count, suppressed) = self.by_rule.entry((finding.rule.clone(), finding.severity)).or_default();
            if finding.is_suppressed() {
                *suppressed += 1;
            } else {
                *count += 1;
                match finding.fix.as_ref().map(|fix| fix.applicability) {
                    Some(crate::finding::Applicability::Safe) => self.fixable.safe += 1,
                    Some(crate::finding::Applicability::Unsafe) => self.fixable.unsafe_only += 1,
                    None => {}
                }
            }
        }
    }

    /// Per rule and severity: most severe first, then most frequent, then by id.
    pub fn by_rule(&self) -> Vec<RuleCount> {
        let mut counts: Vec<RuleCount> = self
            .by_rule
            .iter()
            .map(|((rule, severity), (count, suppressed))| RuleCount {
                rule: rule.clone(),
                severity: *severity,
                count: *count,
                suppressed: *suppressed,
            })
            .collect();
        counts.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.count.cmp(&a.count))
                .then(b.suppressed.cmp(&a.suppressed))
                .then(a.rule.cmp(&b.rule))
        });
        counts
    }
}

/// A whole run at once: every finding, sorted (see [`crate::finding::sort_and_dedup`]),
/// suppressed ones included and marked. [`write_run`] renders it.
#[derive(Clone, Debug)]
pub struct Run<'a> {
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
    /// The least severe finding that fails the run (`--fail-on`).
    pub fail_on: Severity,
    /// List only the findings at or above `fail_on`.
    pub quiet: bool,
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
            fail_on: Severity::Error,
            quiet: false,
        }
    }

    pub fn info(&self) -> RunInfo<'a> {
        RunInfo {
            rules: self.rules,
            tool_version: self.tool_version,
            show_suppressed: self.show_suppressed,
            source_root: self.source_root,
            color: self.color,
            width: self.width,
            fail_on: self.fail_on,
            quiet: self.quiet,
            baseline: false,
            ruleset: None,
        }
    }

    pub fn end(&self) -> RunEnd<'a> {
        let mut counts = Counts::default();
        counts.count(self.findings);
        let summary = Summary { files: self.files.len(), ..counts.summary };
        RunEnd {
            files: self.files,
            summary,
            by_rule: counts.by_rule(),
            elapsed: self.elapsed,
            exit_code: self.exit_code,
            omitted: 0,
            absent: Vec::new(),
            fixes: None,
            fixable: counts.fixable,
        }
    }

    pub fn summary(&self) -> Summary {
        self.end().summary
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

impl Summary {
    /// Add findings to the counts.
    pub fn count(&mut self, findings: &[Finding]) {
        for finding in findings {
            if finding.is_suppressed() {
                self.suppressed += 1;
                continue;
            }
            match finding.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
                Severity::Hint => self.hints += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {

    use super::{Format, REPORTERS, Summary};
    use crate::report::fixtures::Fixture;

    #[test]
    fn format_names_round_trip_through_from_str() {
        for format in Format::all() {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
            assert_eq!(format.name().to_uppercase().parse::<Format>(), Ok(format));
        }
        assert!("xml".parse::<Format>().is_err());
        let mut names: Vec<&str> = REPORTERS.iter().map(|spec| spec.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), REPORTERS.len(), "format names are unique");
        assert_eq!(Format::HUMAN.name(), "human");
        assert_eq!(Format::SUMMARY.name(), "summary");
        assert_eq!(Format::GITLAB.name(), "gitlab");
    }

    #[test]
    fn a_file_name_names_its_format() {
        assert_eq!(Format::by_file_name("out/report.SARIF"), Some(Format::SARIF));
        assert_eq!(Format::by_file_name("gl.codequality.json"), Some(Format::GITLAB));
        assert_eq!(Format::by_file_name("report.json"), Some(Format::JSON));
        assert_eq!(Format::by_file_name("report"), None);
        assert_eq!(Format::by_file_name("map.HTML"), Some(Format::HTML));
    }

    /// The maps cost time: only the format that draws them has the run build them.
    #[test]
    fn only_html_wants_response_maps() {
        let wanting: Vec<Format> = Format::all().filter(|format| format.wants_response_maps()).collect();
        assert_eq!(wanting, [Format::HTML]);
    }

    #[test]
    fn summary_counts_suppressed_findings_apart() {
        let fixture = Fixture::new();
        let summary = fixture.run().summary();
        assert_eq!(summary, Summary { files: 3, errors: 2, warnings: 1, infos: 1, hints: 0, suppressed: 2 });
    }
}
