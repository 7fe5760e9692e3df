//! Why a configuration could not be turned into settings: a broken `.oaslint.yaml`, a
//! ruleset that does not load, a `--ruleset` that names nothing. Every front end (the
//! command line, the language server) shows these; located ones carry their place.

use std::path::PathBuf;

use crate::checks::ruleset::RulesetError;
use crate::finding::Location;
use crate::pipeline::PipelineError;
use crate::source::caret_snippet;

use super::ConfigError;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A choice made outside any file (a flag) names nothing usable.
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
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error("cannot determine the current directory")]
    CurrentDir(#[source] std::io::Error),
}

impl SettingsError {
    /// Where in which file the problem is, for errors in configuration or ruleset files.
    pub fn location(&self) -> Option<Location> {
        match self {
            SettingsError::Config(err) => Some(err.location.clone()),
            SettingsError::Ruleset(err) => err.location(),
            _ => None,
        }
    }

    /// The offending line of a located error with the span underlined, compiler style.
    pub fn snippet(&self) -> Option<String> {
        self.location().map(|location| caret_snippet(&location.file, location.span))
    }
}

/// ` (did you mean `x`?)`, or nothing.
pub(crate) fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map(|id| format!(" (did you mean `{id}`?)")).unwrap_or_default()
}
