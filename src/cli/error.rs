//! The one error type of the command line. Problems with the documents being linted are
//! findings, not errors; these are the failures that stop a command (exit code 2).

use std::path::PathBuf;

use crate::checks::adopt::BaselineError;
use crate::checks::ruleset::RulesetError;
use crate::finding::Location;
use crate::pipeline::PipelineError;
use crate::source::caret_snippet;

use crate::config::SettingsError;
pub(crate) use crate::config::did_you_mean;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line makes no sense (clap's own checks passed, ours did not).
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Lsp(#[from] crate::lsp::LspError),
    #[error(transparent)]
    Ruleset(#[from] RulesetError),
    #[error("cannot write `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "refusing to write the `{format}` report to `{}`: that is `{input}`, which this run reads; \
         write the report to another file",
        output.display()
    )]
    OutputIsInput { format: crate::report::Format, output: PathBuf, input: String },
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
            CliError::Settings(err) => err.location(),
            CliError::Ruleset(err) => err.location(),
            _ => None,
        }
    }

    /// The offending line of a located error with the span underlined, compiler style.
    pub fn snippet(&self) -> Option<String> {
        self.location().map(|location| caret_snippet(&location.file, location.span))
    }
}
