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

/// Characters of the offending line shown before the span's start, and at most in all:
/// an excerpt, not the line (a minified file is one line).
const BEFORE_SPAN: usize = 30;
const SNIPPET_CHARS: usize = 100;

/// The line holding the location's start, with carets under the span (cut at the line's
/// end), windowed to about [`SNIPPET_CHARS`] characters around the span.
fn snippet(location: &Location) -> String {
    let start = location.start();
    let end = location.end();
    let text = location.file.text();
    let line = text.lines().nth(start.line.saturating_sub(1) as usize).unwrap_or("");
    let line = line.trim_end_matches('\r');
    let chars: Vec<char> = line.chars().collect();
    let width = chars.len();
    let from = (start.column.saturating_sub(1) as usize).min(width);
    let to = if end.line == start.line { (end.column.saturating_sub(1) as usize).min(width) } else { width };
    let window_start = from.saturating_sub(BEFORE_SPAN);
    let window_end = (window_start + SNIPPET_CHARS).min(width);
    let shown: String = chars.get(window_start..window_end).unwrap_or(&[]).iter().collect();
    let lead = if window_start > 0 { "…" } else { "" };
    let tail = if window_end < width { "…" } else { "" };
    let shown = format!("{lead}{}{tail}", printable(&shown));
    // Carets stay under the span: count what is printed before it (escapes are wider).
    let before: String = chars.get(window_start..from).unwrap_or(&[]).iter().collect();
    let offset = lead.chars().count() + printable(&before).chars().count();
    let under: String = chars.get(from..to.min(window_end)).unwrap_or(&[]).iter().collect();
    let carets = printable(&under).chars().count().max(1);
    let gutter = start.line.to_string();
    let pad = " ".repeat(gutter.len());
    let mut out = String::new();
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{gutter} | {shown}");
    let _ = write!(out, "{pad} | {}{}", " ".repeat(offset), "^".repeat(carets));
    out
}

/// A line of a user's file, safe for a terminal: control characters (an escape sequence
/// in a config file, say) are shown escaped; tabs stay.
fn printable(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_control() && c != '\t' { c.escape_unicode().to_string() } else { c.to_string() })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::snippet;
    use crate::finding::Location;
    use crate::source::{SourceFile, Span};

    fn snippet_of(text: &str, span: Span) -> String {
        let (file, _) = SourceFile::from_text("c.yaml", text);
        snippet(&Location::new(Arc::new(file), span))
    }

    #[test]
    fn snippets_show_the_line_with_carets() {
        assert_eq!(snippet_of("a: 1\nrulez: 2\n", Span::new(5, 10)), "  |\n2 | rulez: 2\n  | ^^^^^");
    }

    #[test]
    fn long_lines_are_cut_to_a_window_around_the_span() {
        let secret = "s".repeat(5_000);
        let text = format!("{{\"a\": \"{secret}\", \"bad\": 1, \"b\": \"{secret}\"}}");
        let at = text.find("\"bad\"").unwrap_or(0) as u32;
        let shown = snippet_of(&text, Span::new(at, at + 5));
        let line = shown.lines().nth(1).unwrap_or("");
        assert!(line.chars().count() < 120, "{shown}");
        assert!(line.starts_with("1 | …") && line.ends_with('…'), "{shown}");
        let carets = shown.lines().nth(2).unwrap_or("");
        let column = carets.find('^').unwrap_or(0);
        assert_eq!(line.chars().skip(column).take(5).collect::<String>(), "\"bad\"", "{shown}");
    }
}
