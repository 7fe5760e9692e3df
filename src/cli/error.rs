//! The one error type of the command line. Problems with the documents being linted are
//! findings, not errors; these are the failures that stop a command (exit code 2).

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::checks::adopt::BaselineError;
use crate::checks::ruleset::RulesetError;
use crate::finding::Location;
use crate::pipeline::PipelineError;

use super::config::ConfigError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line makes no sense (clap's own checks passed, ours did not).
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot read the configuration file `{}`", path.display())]
    ReadConfig {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Ruleset(#[from] RulesetError),
    #[error("cannot write `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write to standard output")]
    Stdout(#[source] std::io::Error),
    #[error("cannot determine the current directory")]
    CurrentDir(#[source] std::io::Error),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(
        "no OpenAPI documents found in {where_}: no file there has an `openapi` or `swagger` version key \
         (or none that a named fragment belongs to); `--allow-empty` accepts that"
    )]
    NoDocuments { where_: String },
    #[error("`{}` already exists; `oaslint init` does not overwrite it", path.display())]
    ConfigExists { path: PathBuf },
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    #[error(
        "{count} input problem{} (listed above): fix {} first; `{}` was not written",
        if *count == 1 { "" } else { "s" },
        if *count == 1 { "it" } else { "them" },
        path.display()
    )]
    InputProblems { count: usize, path: PathBuf },
    #[error("unknown rule `{id}`{}", did_you_mean(suggestion.as_deref()))]
    UnknownRule { id: String, suggestion: Option<String> },
}

impl CliError {
    /// Where in which file the problem is, for errors in configuration or ruleset files.
    pub fn location(&self) -> Option<Location> {
        match self {
            CliError::Config(err) => Some(err.location.clone()),
            CliError::Ruleset(err) => err.location(),
            _ => None,
        }
    }

    /// The offending line of a located error with the span underlined, compiler style.
    pub fn snippet(&self) -> Option<String> {
        self.location().map(|location| snippet(&location))
    }
}

/// ` (did you mean `x`?)`, or nothing.
pub(crate) fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map(|id| format!(" (did you mean `{id}`?)")).unwrap_or_default()
}

/// The line holding the location's start, with carets under the span (cut at the line's end).
fn snippet(location: &Location) -> String {
    let start = location.start();
    let end = location.end();
    let text = location.file.text();
    let line = text.lines().nth(start.line.saturating_sub(1) as usize).unwrap_or("");
    let line = line.trim_end_matches('\r');
    let width = line.chars().count();
    let from = (start.column.saturating_sub(1) as usize).min(width);
    let to = if end.line == start.line { (end.column.saturating_sub(1) as usize).min(width) } else { width };
    let carets = to.saturating_sub(from).max(1);
    let gutter = start.line.to_string();
    let pad = " ".repeat(gutter.len());
    let mut out = String::new();
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{gutter} | {}", printable(line));
    let _ = write!(out, "{pad} | {}{}", " ".repeat(from), "^".repeat(carets));
    out
}

/// A line of a user's file, safe for a terminal: control characters (an escape sequence
/// in a config file, say) are shown escaped; tabs stay.
fn printable(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_control() && c != '\t' { c.escape_unicode().to_string() } else { c.to_string() })
        .collect()
}
